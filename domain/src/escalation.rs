//! The escalation ladder of a deadline in working days: a reminder to the agency before it, the case marked overdue at it, the leader told after it.

use crate::deadline::{province_offset, HolidayCalendar};
use crate::workflow::CaseFacts;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// A step of the ladder, in the order they come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationStep {
    /// The deadline is near: the agency is reminded.
    Reminder,
    /// The deadline passed without a result: the case is overdue and the coordinator is told.
    Overdue,
    /// Still no result some working days later: the leader is told.
    Leader,
}

impl EscalationStep {
    pub const ALL: [EscalationStep; 3] = [EscalationStep::Reminder, EscalationStep::Overdue, EscalationStep::Leader];

    pub fn as_str(self) -> &'static str {
        match self {
            EscalationStep::Reminder => "reminder",
            EscalationStep::Overdue => "overdue",
            EscalationStep::Leader => "leader",
        }
    }
}

/// The hour of a working day (province time) at which reminders and the leader's notice go out:
/// the start of office hours, never in the night.
pub const OFFICE_HOUR: u32 = 7;

/// When the ladder's steps come, in working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationRules {
    /// The reminder comes at the start of the working day this many working days before the
    /// deadline's day (1: the day before).
    pub reminder_days_before: u16,
    /// The leader is told at the start of the working day this many working days after the
    /// deadline's day.
    pub leader_days_after: u16,
}

impl Default for EscalationRules {
    fn default() -> Self {
        Self { reminder_days_before: 1, leader_days_after: 2 }
    }
}

impl EscalationRules {
    /// The ladder of a case of `category`: the category's own steps where it sets them, these
    /// (the province's) for the rest.
    pub fn for_category(self, category: Option<&crate::catalogue::Category>) -> Self {
        Self {
            reminder_days_before: category.and_then(|c| c.reminder_days_before).unwrap_or(self.reminder_days_before),
            leader_days_after: category.and_then(|c| c.leader_days_after).unwrap_or(self.leader_days_after),
        }
    }
}

fn at_office_hour(day: NaiveDate) -> Option<DateTime<Utc>> {
    let local = day.and_hms_opt(OFFICE_HOUR, 0, 0)?;
    province_offset().from_local_datetime(&local).single().map(|at| at.with_timezone(&Utc))
}

/// The `n`th working day before `day` (`day` itself never counts).
fn working_days_before(calendar: &HolidayCalendar, day: NaiveDate, n: u16) -> NaiveDate {
    let mut current = day;
    let mut counted = 0;
    while counted < n {
        match current.pred_opt() {
            Some(previous) => current = previous,
            None => break,
        }
        if calendar.is_working_day(current) {
            counted += 1;
        }
    }
    current
}

/// When `step` of the ladder of `deadline` comes.
pub fn step_time(
    deadline: DateTime<Utc>,
    step: EscalationStep,
    calendar: &HolidayCalendar,
    rules: &EscalationRules,
) -> DateTime<Utc> {
    let day = deadline.with_timezone(&province_offset()).date_naive();
    let at = match step {
        EscalationStep::Reminder => at_office_hour(working_days_before(calendar, day, rules.reminder_days_before)),
        EscalationStep::Overdue => Some(deadline),
        EscalationStep::Leader => at_office_hour(calendar.working_days_after(day, rules.leader_days_after)),
    };
    at.unwrap_or(deadline)
}

/// The steps of the ladder due at `now` for a case with `facts` and not taken yet, in order: none
/// once a result is in or the case left the agency, and a step counts once per deadline in force
/// (an extension or a reopening starts a new ladder).
pub fn due_steps(
    facts: &CaseFacts,
    now: DateTime<Utc>,
    calendar: &HolidayCalendar,
    rules: &EscalationRules,
) -> Vec<EscalationStep> {
    use crate::case::CaseStatus::{Assigned, InProgress};
    let Some(deadline) = facts.deadline else { return Vec::new() };
    if !matches!(facts.status, Assigned | InProgress) {
        return Vec::new();
    }
    let taken = facts.escalation_in_force();
    EscalationStep::ALL
        .into_iter()
        .filter(|step| taken.is_none_or(|taken| *step > taken))
        .filter(|step| step_time(deadline, *step, calendar, rules) <= now)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{ActorRole, CaseStatus};
    use crate::workflow::{Actor, Change};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        province_offset().with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("a time").with_timezone(&Utc)
    }

    /// The 30 April and 1 May holidays, then a weekend.
    fn calendar() -> HolidayCalendar {
        HolidayCalendar::new([day(2026, 4, 30), day(2026, 5, 1)])
    }

    #[test]
    fn a_three_day_deadline_across_holidays_and_a_weekend_has_its_steps_on_working_days() {
        let calendar = calendar();
        let rules = EscalationRules::default();
        // Routed on Wednesday 29 April: Monday 4, Tuesday 5, Wednesday 6 May are its three days.
        let deadline = calendar.deadline(local(2026, 4, 29, 10), 3);
        assert_eq!(deadline.with_timezone(&province_offset()).date_naive(), day(2026, 5, 6));
        assert_eq!(step_time(deadline, EscalationStep::Reminder, &calendar, &rules), local(2026, 5, 5, 7));
        assert_eq!(step_time(deadline, EscalationStep::Overdue, &calendar, &rules), deadline);
        assert_eq!(step_time(deadline, EscalationStep::Leader, &calendar, &rules), local(2026, 5, 8, 7));
        // A reminder two working days before falls on Monday, across the weekend and holidays back.
        let early = EscalationRules { reminder_days_before: 2, ..rules };
        assert_eq!(step_time(deadline, EscalationStep::Reminder, &calendar, &early), local(2026, 5, 4, 7));
        let earlier = EscalationRules { reminder_days_before: 3, ..rules };
        assert_eq!(step_time(deadline, EscalationStep::Reminder, &calendar, &earlier), local(2026, 4, 29, 7));
    }

    #[test]
    fn due_steps_come_in_order_once_for_the_deadline_in_force() {
        let calendar = calendar();
        let rules = EscalationRules::default();
        let routed = local(2026, 4, 29, 10);
        let deadline = calendar.deadline(routed, 3);
        let mut facts = CaseFacts::submitted(None);
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (_, accepted) = facts
            .next_event(&coordinator, Change::Accepted { agency: "urenco".into(), deadline }, routed)
            .expect("accepted");
        facts = accepted;
        assert!(due_steps(&facts, local(2026, 5, 5, 6), &calendar, &rules).is_empty());
        assert_eq!(due_steps(&facts, local(2026, 5, 5, 7), &calendar, &rules), vec![EscalationStep::Reminder]);
        // A server that was down all week takes every step due, in order.
        assert_eq!(due_steps(&facts, local(2026, 5, 11, 9), &calendar, &rules), EscalationStep::ALL.to_vec());

        let system = Actor::system();
        let remind = Change::DeadlineEscalated { step: EscalationStep::Reminder, deadline };
        let (event, reminded) = facts.next_event(&system, remind.clone(), local(2026, 5, 5, 7)).expect("allowed");
        assert!(!event.public);
        assert_eq!(reminded.status, CaseStatus::Assigned, "the status stays");
        assert_eq!(due_steps(&reminded, local(2026, 5, 5, 9), &calendar, &rules), Vec::<EscalationStep>::new());
        assert_eq!(
            reminded.next_event(&system, remind, local(2026, 5, 5, 8)).map(|_| ()),
            Err(crate::workflow::Refusal::WrongState),
            "once"
        );
        assert_eq!(
            reminded
                .next_event(
                    &coordinator,
                    Change::DeadlineEscalated { step: EscalationStep::Overdue, deadline },
                    local(2026, 5, 7, 0)
                )
                .map(|_| ()),
            Err(crate::workflow::Refusal::NotYourRole),
            "only the system escalates"
        );
        let stale = Change::DeadlineEscalated { step: EscalationStep::Overdue, deadline: routed };
        assert!(reminded.next_event(&system, stale, local(2026, 5, 7, 0)).is_err(), "only the deadline in force");

        // An approved extension is a new deadline: its ladder starts again.
        let mut extended = reminded.clone();
        extended.deadline = Some(calendar.deadline(deadline, 5));
        assert_eq!(extended.escalation_in_force(), None);
        assert!(due_steps(&extended, local(2026, 5, 7, 0), &calendar, &rules).is_empty());

        // A result in, or a case back at screening, is no longer escalated.
        let mut resolved = reminded;
        resolved.status = CaseStatus::ResultReview;
        assert!(due_steps(&resolved, local(2026, 5, 11, 9), &calendar, &rules).is_empty());
    }
}
