//! Cases and their events: statuses, channels, actors, and the state derived by replaying events.

use super::account::Account;
use super::photos::CasePhoto;
use super::workflow::{CaseFacts, Change, ChangeKind, RejectReason};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a case is in its lifecycle (see the lifecycle in the domain brief).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Submitted,
    Rejected,
    Assigned,
    InProgress,
    ResultReview,
    Resolved,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 7] = [
        CaseStatus::Submitted,
        CaseStatus::Rejected,
        CaseStatus::Assigned,
        CaseStatus::InProgress,
        CaseStatus::ResultReview,
        CaseStatus::Resolved,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Submitted => "submitted",
            CaseStatus::Rejected => "rejected",
            CaseStatus::Assigned => "assigned",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::ResultReview => "result_review",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether the case is finished for good: no change leads out of a closed or rejected case.
    pub fn is_final(self) -> bool {
        matches!(self, CaseStatus::Closed | CaseStatus::Rejected)
    }
}

/// How a case reached the system. Set by the server from the route it came in by, never by the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Web,
    App,
    Hotline,
    Api,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Web, Channel::App, Channel::Hotline, Channel::Api];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::App => "app",
            Channel::Hotline => "hotline",
            Channel::Api => "api",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// The role an actor held when acting. Public timelines show this, never a citizen's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    Anonymous,
    Citizen,
    Operator,
    Coordinator,
    Officer,
    Leader,
    Admin,
    System,
}

impl ActorRole {
    pub const ALL: [ActorRole; 8] = [
        ActorRole::Anonymous,
        ActorRole::Citizen,
        ActorRole::Operator,
        ActorRole::Coordinator,
        ActorRole::Officer,
        ActorRole::Leader,
        ActorRole::Admin,
        ActorRole::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActorRole::Anonymous => "anonymous",
            ActorRole::Citizen => "citizen",
            ActorRole::Operator => "operator",
            ActorRole::Coordinator => "coordinator",
            ActorRole::Officer => "officer",
            ActorRole::Leader => "leader",
            ActorRole::Admin => "admin",
            ActorRole::System => "system",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// One change to a case: who, when, from which status to which, and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEvent {
    /// 1 for the event that created the case, then consecutive.
    pub seq: u32,
    pub actor_role: ActorRole,
    /// The acting account; `None` for anonymous reporters and the system.
    pub actor_id: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    pub from_status: Option<CaseStatus>,
    pub to_status: CaseStatus,
    /// Whether the event shows on the public timeline.
    pub public: bool,
    pub change: Change,
}

/// Why a list of events does not describe a case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    #[error("a case has at least one event")]
    Empty,
    #[error("event {seq} is out of sequence")]
    OutOfSequence { seq: u32 },
    #[error("event {seq} starts from {found:?} but the case was {expected:?}")]
    Discontinuous { seq: u32, expected: Option<CaseStatus>, found: Option<CaseStatus> },
}

/// Folds a case's events, oldest first, into its current status, checking that they chain.
pub fn replay(events: &[CaseEvent]) -> Result<CaseStatus, ReplayError> {
    let mut status: Option<CaseStatus> = None;
    for (index, event) in events.iter().enumerate() {
        if event.seq as usize != index + 1 {
            return Err(ReplayError::OutOfSequence { seq: event.seq });
        }
        if event.from_status != status {
            return Err(ReplayError::Discontinuous { seq: event.seq, expected: status, found: event.from_status });
        }
        status = Some(event.to_status);
    }
    status.ok_or(ReplayError::Empty)
}

/// A case as anyone may see it: no reporter contact, no internal notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicCase {
    pub id: i64,
    pub category_code: String,
    pub category_name_vi: String,
    pub category_name_en: String,
    pub title: String,
    pub description: String,
    pub status: CaseStatus,
    pub lat: f64,
    pub lon: f64,
    /// The place in words, when the reporter or operator gave it.
    pub address: Option<String>,
    /// The served area holding the pin, or `None` when it lies outside every served area.
    pub area_name: Option<String>,
    pub channel: Channel,
    pub submitted_at: DateTime<Utc>,
    pub timeline: Vec<PublicEvent>,
    /// The photos of the report and its results, empty until the case is accepted at screening
    /// (see [`photos_public`]).
    #[serde(default)]
    pub photos: Vec<CasePhoto>,
    /// How many support the case ("me too"); never who.
    #[serde(default)]
    pub supporters: u32,
    /// The original a duplicate was merged into, which its page points to.
    #[serde(default)]
    pub merged_into: Option<i64>,
    /// The question waiting for the reporter's answer: only in the reporter's own view of the case.
    #[serde(default)]
    pub question: Option<crate::pause::QuestionToReporter>,
}

impl PublicCase {
    /// The approval whose published summary is the case's public answer in force: the latest one,
    /// unless the case was reopened since. Its note is the text.
    pub fn published_result(&self) -> Option<&PublicEvent> {
        let approval = self.timeline.iter().rposition(|e| e.kind == ChangeKind::ResultApproved)?;
        let reopened = self.timeline[approval..].iter().any(|e| e.kind == ChangeKind::Reopened);
        let event = &self.timeline[approval];
        (!reopened && event.note.is_some()).then_some(event)
    }

    /// Whether the approved result waits for its reporter's rating: resolved and not rated since
    /// the latest approval (ratings are public steps).
    pub fn awaits_rating(&self) -> bool {
        let since_approval = match self.timeline.iter().rposition(|e| e.kind == ChangeKind::ResultApproved) {
            Some(at) => &self.timeline[at..],
            None => return false,
        };
        self.status == CaseStatus::Resolved && !since_approval.iter().any(|e| e.kind == ChangeKind::Rated)
    }
}

/// A screened case as a public list shows it: what a row and its pin need, no timeline or photos.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicListItem {
    pub id: i64,
    pub title: String,
    pub status: CaseStatus,
    pub category_name_vi: String,
    pub category_name_en: String,
    pub area_name: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub lat: f64,
    pub lon: f64,
    /// The public explanation of a rejection.
    pub rejection_note: Option<String>,
}

/// A public event on a case's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicEvent {
    pub kind: ChangeKind,
    pub actor_role: ActorRole,
    pub occurred_at: DateTime<Utc>,
    pub to_status: CaseStatus,
    pub note: Option<String>,
    /// The agency involved: the one a case was routed to, or the officer's. Never a person.
    pub agency: Option<String>,
}

impl PublicEvent {
    /// The public view of `event`, or `None` for an internal event.
    pub fn of(event: &CaseEvent) -> Option<Self> {
        event.public.then(|| Self {
            kind: event.change.kind(),
            actor_role: event.actor_role,
            occurred_at: event.occurred_at,
            to_status: event.to_status,
            note: event.change.public_note().map(str::to_string),
            agency: None,
        })
    }
}

/// The public timeline of a case: its public events, each naming the agency involved by
/// `agency_name` (routing names the receiving agency; an officer acts for the lead agency).
pub fn public_timeline(events: &[CaseEvent], agency_name: impl Fn(&str) -> Option<String>) -> Vec<PublicEvent> {
    let mut lead_agency: Option<String> = None;
    let mut timeline = Vec::new();
    for event in events {
        let before = lead_agency.clone();
        match &event.change {
            Change::Accepted { agency, .. } => lead_agency = Some(agency.clone()),
            Change::Returned { .. } => lead_agency = None,
            _ => {}
        }
        if let Some(mut public) = PublicEvent::of(event) {
            let involved = match (&event.change, event.actor_role) {
                (Change::Accepted { agency, .. }, _) => Some(agency.clone()),
                (_, ActorRole::Officer) => before,
                _ => None,
            };
            public.agency = involved.and_then(|code| agency_name(&code));
            timeline.push(public);
        }
    }
    timeline
}

/// A case as the staff queues list it, with the facts its events establish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    pub title: String,
    pub category_code: String,
    pub area_code: Option<String>,
    pub channel: Channel,
    pub lat: f64,
    pub lon: f64,
    pub submitted_at: DateTime<Utc>,
    pub facts: super::workflow::CaseFacts,
}

/// Where the next page of a staff queue starts: after the case `id` whose sort key is `at` (its
/// submission for screening and review, its deadline, possibly none, for an agency's queue). The
/// key travels with the id, so a case that moved since does not move the page boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCursor {
    pub at: Option<DateTime<Utc>>,
    pub id: i64,
}

/// The served area a case was pinned in, from its first event; `None` outside every served area.
pub fn submitted_area(events: &[CaseEvent]) -> Option<&str> {
    match events.first().map(|e| &e.change) {
        Some(Change::Submitted { area, .. }) => area.as_deref(),
        _ => None,
    }
}

/// Whether a case is held back from the public: a report waiting for screening (the screening
/// step exists so a coordinator reads what a citizen wrote before the public does), and a report
/// rejected as inappropriate (its text may name people or be abusive).
pub fn held_back(status: CaseStatus, rejection: Option<RejectReason>) -> bool {
    status == CaseStatus::Submitted
        || (status == CaseStatus::Rejected && rejection == Some(RejectReason::Inappropriate))
}

/// What decides who may see a case: where it stands, whose it is, who handles it and where it lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseStanding<'a> {
    pub status: CaseStatus,
    pub rejection: Option<RejectReason>,
    pub reporter_account: Option<i64>,
    pub lead_agency: Option<&'a str>,
    /// The served area holding the pin; `None` outside every served area.
    pub area: Option<&'a str>,
}

impl<'a> CaseStanding<'a> {
    pub fn of(facts: &'a CaseFacts, area: Option<&'a str>) -> Self {
        Self {
            status: facts.status,
            rejection: facts.rejection,
            reporter_account: facts.reporter_account,
            lead_agency: facts.lead_agency.as_deref(),
            area,
        }
    }
}

/// How much of one case a person may see, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseAccess {
    /// Nothing: the case answers as if it did not exist.
    Hidden,
    /// The public view.
    Public,
    /// The reporter's own view: the public view, held-back cases included, with the case's facts.
    Reporter,
    /// The staff view: the whole timeline and the facts.
    Staff,
}

/// The one visibility rule every page, server function and route asks. `account` is the signed-in
/// person, if any; `holds_receipt` says the request carries the case's private receipt link. A
/// held-back case (see [`held_back`]) is seen only by the staff who screen it, that is the
/// coordinators whose scope covers its area and the hotline operators (who take reports by phone
/// and make the verification calls screening asks for), and by its reporter; everyone else gets
/// [`CaseAccess::Hidden`].
pub fn case_access(account: Option<&Account>, holds_receipt: bool, case: &CaseStanding<'_>) -> CaseAccess {
    let reporter =
        holds_receipt || account.is_some_and(|a| a.role == ActorRole::Citizen && Some(a.id) == case.reporter_account);
    let screener = account.is_some_and(|a| match a.role {
        ActorRole::Coordinator => a.scope().covers(case.area),
        ActorRole::Operator => true,
        _ => false,
    });
    let staff = screener
        || account.is_some_and(|a| match a.role {
            ActorRole::Officer => a.agency.is_some() && a.agency.as_deref() == case.lead_agency,
            ActorRole::Operator | ActorRole::Leader | ActorRole::Admin => true,
            _ => false,
        });
    let hidden = held_back(case.status, case.rejection);
    match (hidden, staff, screener, reporter) {
        (true, _, true, _) | (false, true, _, _) => CaseAccess::Staff,
        (_, _, _, true) => CaseAccess::Reporter,
        (true, _, _, false) => CaseAccess::Hidden,
        (false, _, _, false) => CaseAccess::Public,
    }
}

/// Whether the public may see a case's photos: only once the case was accepted at screening,
/// and never for a rejected case.
pub fn photos_public(status: CaseStatus) -> bool {
    !matches!(status, CaseStatus::Submitted | CaseStatus::Rejected)
}

/// The photos of a case the public may see: none before the case is accepted or once it is
/// rejected; then the report's photos, and a result's photos only once the coordinator approved
/// that result (a result sent back stays internal, as its text does).
pub fn public_photos(status: CaseStatus, events: &[CaseEvent], photos: Vec<CasePhoto>) -> Vec<CasePhoto> {
    if !photos_public(status) {
        return Vec::new();
    }
    photos.into_iter().filter(|photo| photo.event_seq == 1 || result_approved(events, photo.event_seq)).collect()
}

/// The photos a case's reporter sees: the public ones, and before the case is accepted (or once it
/// is rejected) the photos of their own report, which they took and may see again.
pub fn reporter_photos(status: CaseStatus, events: &[CaseEvent], photos: Vec<CasePhoto>) -> Vec<CasePhoto> {
    if photos_public(status) {
        public_photos(status, events, photos)
    } else {
        photos.into_iter().filter(|photo| photo.event_seq == 1).collect()
    }
}

/// Whether the result submitted by event `seq` was approved: the coordinator's next decision on
/// a result after it is an approval.
fn result_approved(events: &[CaseEvent], seq: u32) -> bool {
    events
        .iter()
        .filter(|event| event.seq > seq)
        .find_map(|event| match event.change.kind() {
            ChangeKind::ResultApproved => Some(true),
            ChangeKind::SentBack => Some(false),
            _ => None,
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: u32, from: Option<CaseStatus>, to: CaseStatus) -> CaseEvent {
        CaseEvent {
            seq,
            actor_role: ActorRole::Citizen,
            actor_id: None,
            occurred_at: DateTime::<Utc>::MIN_UTC,
            from_status: from,
            to_status: to,
            public: true,
            change: Change::Acknowledged,
        }
    }

    #[test]
    fn replay_yields_the_last_status() {
        let events =
            vec![event(1, None, CaseStatus::Submitted), event(2, Some(CaseStatus::Submitted), CaseStatus::Assigned)];
        assert_eq!(replay(&events), Ok(CaseStatus::Assigned));
    }

    #[test]
    fn replay_refuses_gaps_and_breaks() {
        assert_eq!(replay(&[]), Err(ReplayError::Empty));
        assert_eq!(replay(&[event(2, None, CaseStatus::Submitted)]), Err(ReplayError::OutOfSequence { seq: 2 }));
        let broken =
            vec![event(1, None, CaseStatus::Submitted), event(2, Some(CaseStatus::Assigned), CaseStatus::InProgress)];
        assert!(matches!(replay(&broken), Err(ReplayError::Discontinuous { seq: 2, .. })));
    }

    #[test]
    fn the_public_timeline_hides_internal_events_and_names_agencies() {
        let deadline = DateTime::<Utc>::MIN_UTC;
        let mut events = vec![event(1, None, CaseStatus::Submitted)];
        let mut push = |role: ActorRole, to: CaseStatus, public: bool, change: Change| {
            let seq = events.len() as u32 + 1;
            let from = events.last().map(|e| e.to_status);
            events.push(CaseEvent { actor_role: role, to_status: to, public, change, ..event(seq, from, to) });
        };
        push(
            ActorRole::Coordinator,
            CaseStatus::Assigned,
            true,
            Change::Accepted { agency: "urenco".into(), deadline },
        );
        push(
            ActorRole::Officer,
            CaseStatus::Assigned,
            false,
            Change::NoteAdded { text: "nội bộ".into(), public: false },
        );
        push(ActorRole::Officer, CaseStatus::InProgress, true, Change::Acknowledged);
        let names = |code: &str| (code == "urenco").then(|| "Công ty Môi trường".to_string());
        let timeline = public_timeline(&events, names);
        assert_eq!(
            timeline.iter().map(|e| e.kind).collect::<Vec<_>>(),
            vec![ChangeKind::Acknowledged, ChangeKind::Accepted, ChangeKind::Acknowledged]
        );
        assert_eq!(timeline[1].agency.as_deref(), Some("Công ty Môi trường"));
        assert_eq!(timeline[2].agency.as_deref(), Some("Công ty Môi trường"));
        assert!(timeline.iter().all(|e| e.note.as_deref() != Some("nội bộ")));
    }

    #[test]
    fn names_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for r in ActorRole::ALL {
            assert_eq!(ActorRole::parse(r.as_str()), Some(r));
        }
    }

    fn photo_event(seq: u32, change: Change) -> CaseEvent {
        CaseEvent {
            seq,
            actor_role: ActorRole::Coordinator,
            actor_id: None,
            occurred_at: chrono::Utc::now(),
            from_status: None,
            to_status: CaseStatus::Assigned,
            public: true,
            change,
        }
    }

    fn photo(digit: char, event_seq: u32) -> CasePhoto {
        let id = digit.to_string().repeat(64);
        CasePhoto {
            id: crate::photos::PhotoId::parse(&id).expect("id"),
            event_seq,
            display_url: crate::photos::media_url(&id),
            thumbnail_url: crate::photos::media_url(&id),
            width: 10,
            height: 10,
        }
    }

    #[test]
    fn a_results_photos_turn_public_with_its_approval() {
        let result = |summary: &str| Change::ResultSubmitted { summary: summary.into(), photos: Vec::new() };
        let events = vec![
            photo_event(1, Change::Acknowledged),
            photo_event(2, result("first")),
            photo_event(3, Change::SentBack { note: "again".into() }),
            photo_event(4, result("second")),
            photo_event(5, Change::ResultApproved { published: None }),
            photo_event(6, result("after reopening")),
        ];
        let photos = vec![photo('1', 1), photo('2', 2), photo('4', 4), photo('6', 6)];
        let public = public_photos(CaseStatus::Resolved, &events, photos.clone());
        assert_eq!(public.iter().map(|p| p.event_seq).collect::<Vec<_>>(), vec![1, 4]);
        assert!(public_photos(CaseStatus::Submitted, &events, photos.clone()).is_empty());
        assert!(public_photos(CaseStatus::Rejected, &events, photos.clone()).is_empty());
        let own = reporter_photos(CaseStatus::Submitted, &events, photos.clone());
        assert_eq!(own.iter().map(|p| p.event_seq).collect::<Vec<_>>(), vec![1]);
        assert_eq!(reporter_photos(CaseStatus::Resolved, &events, photos), public);
    }

    fn person(id: i64, role: ActorRole, agency: Option<&str>, areas: &[&str]) -> Account {
        Account {
            id,
            username: format!("user{id}"),
            display_name: String::new(),
            role,
            agency: agency.map(str::to_string),
            areas: areas.iter().map(|a| a.to_string()).collect(),
            active: true,
            one_time_password_until: None,
            agency_head: false,
        }
    }

    #[test]
    fn held_back_cases_show_only_to_their_screeners_and_reporter() {
        let reporter = person(1, ActorRole::Citizen, None, &[]);
        let citizen = person(2, ActorRole::Citizen, None, &[]);
        let in_area = person(3, ActorRole::Coordinator, None, &["dong-hoi"]);
        let out_of_area = person(4, ActorRole::Coordinator, None, &["bo-trach"]);
        let province = person(5, ActorRole::Coordinator, None, &[]);
        let officer = person(6, ActorRole::Officer, Some("urenco"), &[]);
        let other_officer = person(7, ActorRole::Officer, Some("power"), &[]);
        let operator = person(8, ActorRole::Operator, None, &[]);
        let others = [person(9, ActorRole::Leader, None, &[]), person(10, ActorRole::Admin, None, &[])];
        let standing = |status, rejection, lead_agency| CaseStanding {
            status,
            rejection,
            reporter_account: Some(1),
            lead_agency,
            area: Some("dong-hoi"),
        };
        let inappropriate = standing(CaseStatus::Rejected, Some(RejectReason::Inappropriate), None);
        for case in [standing(CaseStatus::Submitted, None, None), inappropriate] {
            assert!(held_back(case.status, case.rejection));
            assert_eq!(case_access(None, false, &case), CaseAccess::Hidden);
            assert_eq!(case_access(None, true, &case), CaseAccess::Reporter);
            assert_eq!(case_access(Some(&reporter), false, &case), CaseAccess::Reporter);
            assert_eq!(case_access(Some(&in_area), false, &case), CaseAccess::Staff);
            assert_eq!(case_access(Some(&province), false, &case), CaseAccess::Staff);
            assert_eq!(case_access(Some(&operator), false, &case), CaseAccess::Staff);
            for stranger in [&citizen, &out_of_area, &officer, &other_officer].into_iter().chain(&others) {
                assert_eq!(case_access(Some(stranger), false, &case), CaseAccess::Hidden, "{:?}", stranger.role);
            }
        }
        let duplicate = standing(CaseStatus::Rejected, Some(RejectReason::Duplicate), None);
        assert_eq!(case_access(None, false, &duplicate), CaseAccess::Public);
        let accepted = standing(CaseStatus::Assigned, None, Some("urenco"));
        assert_eq!(case_access(None, false, &accepted), CaseAccess::Public);
        assert_eq!(case_access(Some(&citizen), false, &accepted), CaseAccess::Public);
        assert_eq!(case_access(Some(&reporter), false, &accepted), CaseAccess::Reporter);
        assert_eq!(case_access(Some(&officer), false, &accepted), CaseAccess::Staff);
        assert_eq!(case_access(Some(&other_officer), false, &accepted), CaseAccess::Public);
        assert_eq!(case_access(Some(&out_of_area), false, &accepted), CaseAccess::Public);
        for staff in others.iter().chain([&operator]) {
            assert_eq!(case_access(Some(staff), false, &accepted), CaseAccess::Staff);
        }
    }

    #[test]
    fn photos_turn_public_with_acceptance_only() {
        assert!(!photos_public(CaseStatus::Submitted));
        assert!(!photos_public(CaseStatus::Rejected));
        assert!(photos_public(CaseStatus::Assigned));
        assert!(photos_public(CaseStatus::Closed));
    }

    fn public_step(kind: ChangeKind, to_status: CaseStatus, note: Option<&str>) -> PublicEvent {
        PublicEvent {
            kind,
            actor_role: ActorRole::Coordinator,
            occurred_at: DateTime::<Utc>::MIN_UTC,
            to_status,
            note: note.map(str::to_string),
            agency: None,
        }
    }

    #[test]
    fn the_public_answer_is_the_latest_approval_and_awaits_one_rating() {
        let approved = public_step(ChangeKind::ResultApproved, CaseStatus::Resolved, Some("Đã dọn"));
        let mut case = PublicCase {
            id: 1,
            title: "Rác".into(),
            description: String::new(),
            category_code: "environment".into(),
            category_name_vi: "Môi trường".into(),
            category_name_en: "Environment".into(),
            lat: 17.4,
            lon: 106.6,
            status: CaseStatus::InProgress,
            address: None,
            area_name: None,
            channel: Channel::Web,
            submitted_at: DateTime::<Utc>::MIN_UTC,
            timeline: vec![public_step(ChangeKind::Accepted, CaseStatus::Assigned, None)],
            photos: Vec::new(),
            supporters: 0,
            merged_into: None,
            question: None,
        };
        assert_eq!((case.published_result(), case.awaits_rating()), (None, false));
        case.timeline.push(approved.clone());
        case.status = CaseStatus::Resolved;
        assert_eq!(case.published_result(), Some(&approved));
        assert!(case.awaits_rating());
        case.timeline.push(public_step(ChangeKind::Rated, CaseStatus::Resolved, None));
        assert!(!case.awaits_rating(), "rated once");
        case.timeline.push(public_step(ChangeKind::Reopened, CaseStatus::Assigned, Some("Làm lại")));
        case.status = CaseStatus::Assigned;
        assert_eq!(case.published_result(), None, "a reopened case has no answer in force");
    }
}
