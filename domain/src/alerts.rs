//! Following cases and alerts for new screened cases in a place: what a subscription is, how its form parses, and what a person is told.

use crate::map_query::Bounds;
use crate::validation::{Field, Reason, ValidationError};
use crate::workflow::ChangeKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Alerts one account may hold: enough for a home, a workplace and a commute, and a bound on
/// the work each new case costs the sender.
pub const MAX_ALERTS_PER_ACCOUNT: u32 = 20;
/// Cases one account may follow at once: more than anyone reads, and a bound on what one account
/// can make the sender do.
pub const MAX_FOLLOWS: u32 = 1000;
/// Categories one alert may name; more than this is every category in practice.
pub const MAX_ALERT_CATEGORIES: usize = 20;
/// The widest and tallest place drawn on the map, in degrees (about 55 km): an alert for a
/// neighbourhood or a town, never for the whole province case by case.
pub const MAX_DRAWN_SPAN_DEGREES: f64 = 0.5;
/// How far back a person's notices reach.
pub const NOTICE_DAYS: i64 = 90;
/// The most notices one page of them shows.
pub const NOTICES_SHOWN: u32 = 50;

/// The public steps of a case that its reporter, supporters and followers are told of.
pub fn tells_followers(kind: ChangeKind) -> bool {
    matches!(
        kind,
        ChangeKind::Accepted
            | ChangeKind::Rejected
            | ChangeKind::ResultApproved
            | ChangeKind::Reopened
            | ChangeKind::Closed
    )
}

/// Where an alert looks for new cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertPlace {
    /// One of the province's areas (ward, commune), by code.
    Area { code: String },
    /// A rectangle drawn on the map.
    Drawn { bounds: Bounds },
}

/// When an alert's matches are sent by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertFrequency {
    /// One message for each new case, within a minute of its screening.
    AtOnce,
    /// One message a day listing the day's new cases, or none on a quiet day.
    Daily,
}

impl AlertFrequency {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertFrequency::AtOnce => "at_once",
            AlertFrequency::Daily => "daily",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "at_once" => Some(AlertFrequency::AtOnce),
            "daily" => Some(AlertFrequency::Daily),
            _ => None,
        }
    }
}

/// The alert form as sent: an area code, or the four edges of a drawn rectangle
/// (`west,south,east,north`) when the area is blank.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertInput {
    pub area: String,
    pub drawn: String,
    pub categories: Vec<String>,
    pub frequency: String,
}

/// An alert that passed every rule of its own; whether its area and categories exist is the
/// catalogue's to say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAlert {
    pub place: AlertPlace,
    /// Category codes; empty for every category.
    pub categories: Vec<String>,
    pub frequency: AlertFrequency,
}

impl NewAlert {
    /// Parses the form, naming every refused field.
    pub fn parse(input: &AlertInput) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let area = input.area.trim();
        let place = if !area.is_empty() {
            if area.chars().count() > 64 {
                errors.push(ValidationError::new(Field::Area, Reason::TooLong { max: 64 }));
                None
            } else {
                Some(AlertPlace::Area { code: area.to_string() })
            }
        } else if input.drawn.trim().is_empty() {
            errors.push(ValidationError::new(Field::Area, Reason::Required));
            None
        } else {
            match parse_drawn(&input.drawn) {
                Ok(bounds) => Some(AlertPlace::Drawn { bounds }),
                Err(reason) => {
                    errors.push(ValidationError::new(Field::Area, reason));
                    None
                }
            }
        };
        let mut categories: Vec<String> =
            input.categories.iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        categories.sort();
        categories.dedup();
        if categories.len() > MAX_ALERT_CATEGORIES || categories.iter().any(|c| c.chars().count() > 64) {
            errors.push(ValidationError::new(Field::Category, Reason::OutOfRange));
        }
        let frequency = AlertFrequency::parse(input.frequency.trim());
        if frequency.is_none() {
            errors.push(ValidationError::new(Field::Frequency, Reason::Required));
        }
        match (place, frequency) {
            (Some(place), Some(frequency)) if errors.is_empty() => Ok(NewAlert { place, categories, frequency }),
            _ => Err(errors),
        }
    }
}

/// A drawn rectangle as `west,south,east,north`, inside the world and at most
/// [`MAX_DRAWN_SPAN_DEGREES`] each way.
fn parse_drawn(raw: &str) -> Result<Bounds, Reason> {
    let numbers: Vec<Option<f64>> = raw.splitn(5, ',').map(|n| n.trim().parse::<f64>().ok()).collect();
    let [Some(west), Some(south), Some(east), Some(north)] = numbers[..] else {
        return Err(Reason::OutOfRange);
    };
    let inside_world = [west, south, east, north].iter().all(|n| n.is_finite())
        && (-180.0..=180.0).contains(&west)
        && (-180.0..=180.0).contains(&east)
        && (-90.0..=90.0).contains(&south)
        && (-90.0..=90.0).contains(&north);
    if !inside_world || west >= east || south >= north {
        return Err(Reason::OutOfRange);
    }
    if east - west > MAX_DRAWN_SPAN_DEGREES || north - south > MAX_DRAWN_SPAN_DEGREES {
        return Err(Reason::AreaTooLarge);
    }
    Ok(Bounds { west, south, east, north })
}

/// An alert as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: i64,
    pub place: AlertPlace,
    pub categories: Vec<String>,
    pub frequency: AlertFrequency,
    pub created_at: DateTime<Utc>,
}

/// Why a person is told of a case's step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeReason {
    /// They reported the case.
    Reported,
    /// They follow or support it.
    Followed,
    /// It is a new case in a place one of their alerts watches.
    Alert,
    /// It is a case of their agency (officers).
    Agency,
    /// A deadline is near or passed: the reminder to the agency, the overdue case to its
    /// coordinator, the case still overdue later to the leader.
    Deadline,
    /// A case of their agency was given to them (officers).
    Assigned,
}

impl NoticeReason {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeReason::Reported => "reported",
            NoticeReason::Followed => "followed",
            NoticeReason::Alert => "alert",
            NoticeReason::Agency => "agency",
            NoticeReason::Deadline => "deadline",
            NoticeReason::Assigned => "assigned",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "reported" => Some(NoticeReason::Reported),
            "followed" => Some(NoticeReason::Followed),
            "alert" => Some(NoticeReason::Alert),
            "agency" => Some(NoticeReason::Agency),
            "deadline" => Some(NoticeReason::Deadline),
            "assigned" => Some(NoticeReason::Assigned),
            _ => None,
        }
    }
}

/// One in-app notice: a public step of a case, derived from the case's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub case_id: i64,
    pub seq: u32,
    pub title: String,
    pub kind: ChangeKind,
    pub reason: NoticeReason,
    pub at: DateTime<Utc>,
    /// Whether it arrived after the person last opened their notices.
    pub unread: bool,
}

/// Whether a person of `role` (of `agency`, bound to `areas` when any) is told of this step of a
/// deadline's ladder on a case of `case_agency` in `case_area`: the agency of its reminder and its
/// overdue, the coordinators of the case's area of its overdue, the leaders of its last step.
pub fn told_of_escalation(
    step: crate::escalation::EscalationStep,
    role: crate::case::ActorRole,
    agency: Option<&str>,
    areas: &[String],
    case_agency: Option<&str>,
    case_area: Option<&str>,
) -> bool {
    use crate::case::ActorRole;
    use crate::escalation::EscalationStep::{Leader, Overdue, Reminder};
    match (role, step) {
        (ActorRole::Officer, Reminder | Overdue) => agency.is_some() && agency == case_agency,
        (ActorRole::Coordinator, Overdue) => {
            areas.is_empty() || case_area.is_some_and(|area| areas.iter().any(|a| a == area))
        }
        (ActorRole::Leader, Leader) => true,
        _ => false,
    }
}

/// Keeps the first notice of each event (the list is newest first, and a case a person both
/// follows and has an alert for would otherwise show its screening twice).
pub fn without_repeats(notices: Vec<Notice>) -> Vec<Notice> {
    let mut seen = std::collections::HashSet::new();
    notices.into_iter().filter(|n| seen.insert((n.case_id, n.seq))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(area: &str, drawn: &str, frequency: &str) -> AlertInput {
        AlertInput { area: area.into(), drawn: drawn.into(), categories: vec![], frequency: frequency.into() }
    }

    #[test]
    fn an_area_or_a_drawn_rectangle_is_a_place() {
        let by_area = NewAlert::parse(&input(" dong-hai ", "", "daily")).expect("parses");
        assert_eq!(by_area.place, AlertPlace::Area { code: "dong-hai".into() });
        assert_eq!(by_area.frequency, AlertFrequency::Daily);
        let drawn = NewAlert::parse(&input("", "106.6,17.45,106.65,17.5", "at_once")).expect("parses");
        assert_eq!(
            drawn.place,
            AlertPlace::Drawn { bounds: Bounds { west: 106.6, south: 17.45, east: 106.65, north: 17.5 } }
        );
    }

    #[test]
    fn a_missing_place_and_frequency_are_named() {
        let errors = NewAlert::parse(&input("", "", "weekly")).expect_err("refused");
        assert_eq!(
            errors,
            vec![
                ValidationError::new(Field::Area, Reason::Required),
                ValidationError::new(Field::Frequency, Reason::Required)
            ]
        );
    }

    #[test]
    fn a_drawn_place_must_be_a_real_small_rectangle() {
        for (drawn, reason) in [
            ("106.6,17.45,106.65", Reason::OutOfRange),
            ("106.65,17.45,106.6,17.5", Reason::OutOfRange),
            ("106.6,17.45,200,17.5", Reason::OutOfRange),
            ("NaN,17.45,106.6,17.5", Reason::OutOfRange),
            ("105.0,17.0,106.6,17.5", Reason::AreaTooLarge),
        ] {
            let errors = NewAlert::parse(&input("", drawn, "daily")).expect_err(drawn);
            assert_eq!(errors, vec![ValidationError::new(Field::Area, reason)], "{drawn}");
        }
    }

    #[test]
    fn categories_are_deduplicated_and_bounded() {
        let mut form = input("a", "", "daily");
        form.categories = vec!["roads".into(), " roads".into(), "".into(), "lights".into()];
        assert_eq!(NewAlert::parse(&form).expect("parses").categories, vec!["lights", "roads"]);
        form.categories = (0..=MAX_ALERT_CATEGORIES).map(|i| format!("c{i}")).collect();
        assert_eq!(
            NewAlert::parse(&form).expect_err("too many"),
            vec![ValidationError::new(Field::Category, Reason::OutOfRange)]
        );
    }

    #[test]
    fn only_public_steps_are_told_to_followers() {
        assert!(tells_followers(ChangeKind::Accepted));
        assert!(tells_followers(ChangeKind::Closed));
        assert!(!tells_followers(ChangeKind::NoteAdded));
        assert!(!tells_followers(ChangeKind::ResultSubmitted));
    }

    #[test]
    fn repeats_of_one_event_are_dropped() {
        let notice = |case_id, seq, reason| Notice {
            case_id,
            seq,
            title: String::new(),
            kind: ChangeKind::Accepted,
            reason,
            at: DateTime::<Utc>::UNIX_EPOCH,
            unread: false,
        };
        let kept = without_repeats(vec![
            notice(1, 2, NoticeReason::Followed),
            notice(1, 2, NoticeReason::Alert),
            notice(1, 3, NoticeReason::Followed),
        ]);
        assert_eq!(
            kept.iter().map(|n| (n.case_id, n.seq, n.reason)).collect::<Vec<_>>(),
            vec![(1, 2, NoticeReason::Followed), (1, 3, NoticeReason::Followed)]
        );
    }
}
