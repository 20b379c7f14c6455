//! The case lifecycle: one pure function decides whether an actor may make a change from a case's state.

use super::calls::{CallDirection, CallOutcome};
use super::case::{ActorRole, CaseEvent, CaseStatus, Channel};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why a report was found ineligible at screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    OutOfArea,
    Duplicate,
    InsufficientInfo,
    NotPublicMatter,
    Inappropriate,
    HandledElsewhere,
}

impl RejectReason {
    pub const ALL: [RejectReason; 6] = [
        RejectReason::OutOfArea,
        RejectReason::Duplicate,
        RejectReason::InsufficientInfo,
        RejectReason::NotPublicMatter,
        RejectReason::Inappropriate,
        RejectReason::HandledElsewhere,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::OutOfArea => "out_of_area",
            RejectReason::Duplicate => "duplicate",
            RejectReason::InsufficientInfo => "insufficient_info",
            RejectReason::NotPublicMatter => "not_public_matter",
            RejectReason::Inappropriate => "inappropriate",
            RejectReason::HandledElsewhere => "handled_elsewhere",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// How a rating reached the case: from the reporter's account, through the private receipt link
/// of an anonymous report, or given by the caller of a phoned-in report on a call an operator logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(tag = "via", rename_all = "snake_case")]
pub enum RatedVia {
    #[default]
    Account,
    Receipt,
    Call {
        call_id: i64,
    },
}

impl RatedVia {
    fn is_account(&self) -> bool {
        *self == RatedVia::Account
    }
}

/// The citizen's judgement of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    Acceptable,
    Unsatisfied,
}

/// A change to a case, with the facts it carries. Every event records one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The case was created; only intake makes this one.
    Submitted {
        channel: Channel,
        area: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        terms: Option<IntakeTerms>,
    },
    /// Screened as eligible and routed to a lead agency with a deadline.
    Accepted { agency: String, deadline: DateTime<Utc> },
    /// Screened as ineligible, with a coded reason and a public explanation.
    Rejected { reason: RejectReason, duplicate_of: Option<i64>, explanation: String },
    /// The lead agency has taken the case up.
    Acknowledged,
    /// A progress note; public ones show on the case page.
    NoteAdded { text: String, public: bool },
    /// The lead agency asks for more working days.
    ExtensionRequested { days: u16, reason: String },
    /// The coordinator's answer; an approval carries the new deadline.
    ExtensionDecided { approved: bool, deadline: Option<DateTime<Utc>>, note: String },
    /// The lead agency reports the result, with photos as proof.
    ResultSubmitted {
        summary: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        photos: Vec<crate::photos::PhotoId>,
    },
    /// The agency says the case is not theirs; it goes back to screening.
    Returned { reason: String },
    /// The coordinator accepts the result; the case is resolved and published. `published` is the
    /// result's summary as approved, the coordinator's edit if any: the case's public answer.
    /// Approvals recorded before answers were published carry none.
    ResultApproved {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        published: Option<String>,
    },
    /// The coordinator sends the result back to the agency.
    SentBack { note: String },
    /// The reporter rates the result, by the way `via` says.
    Rated {
        rating: Rating,
        comment: Option<String>,
        #[serde(default, skip_serializing_if = "RatedVia::is_account")]
        via: RatedVia,
    },
    /// The case is closed: by the coordinator after an unsatisfied rating, or when the rating window ends.
    Closed { note: Option<String>, expired: bool },
    /// After an unsatisfied rating the coordinator sends the case back to the agency with a new deadline.
    Reopened { deadline: DateTime<Utc>, note: String },
    /// The coordinator asks the hotline to phone the reporter and verify the report.
    VerificationRequested { note: String },
    /// An operator logged a call about the case; the call log row holds the caller's number.
    CallLogged { direction: CallDirection, outcome: CallOutcome, callback_at: Option<DateTime<Utc>> },
    /// A citizen who reported by phone claims the case for their account.
    Claimed { account_id: i64 },
    /// Personal data was erased from the case, and how much: the reporter's contact, the phone
    /// numbers of its calls, its photos. The case, its timeline and its statistics stay.
    PersonalDataErased { reason: ErasureReason, contact: bool, call_numbers: u32, photos: u32 },
    /// Someone adds their voice to a screened case ("me too") instead of filing the same report
    /// again: a signed-in citizen (`account_id`), an anonymous device (no account; the store keeps
    /// the device's key hashed beside the event), or, when `merged_from` names a duplicate merged
    /// into this case, that duplicate's reporter or supporter, moved over by the coordinator.
    /// Internal: the public sees how many support a case, never who.
    Supported { account_id: Option<i64>, merged_from: Option<i64> },
    /// A step of the deadline's escalation ladder, taken by the system once for the deadline in
    /// force: the agency reminded, the case overdue and its coordinator told, the leader told.
    DeadlineEscalated { step: crate::escalation::EscalationStep, deadline: DateTime<Utc> },
    /// The coordinator or the lead agency asks the reporter for more information. The deadline
    /// stands still until the answer comes or `pause_ends` passes; meanwhile `deadline`, the one
    /// before moved by the whole pause, is in force.
    InformationRequested { question: String, pause_ends: DateTime<Utc>, deadline: DateTime<Utc> },
    /// The reporter's answer, given the way `via` says (their account, the receipt link, or a call
    /// the hotline logged). `deadline` is the one in force after it: the deadline before the
    /// question moved by the working time the clock stood still.
    InformationProvided {
        answer: String,
        deadline: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "RatedVia::is_account")]
        via: RatedVia,
    },
    /// Inside the lead agency, the case is given to one of its officers (`account_id`): by a head
    /// of the agency, to anyone of it or again to someone else, or by an officer taking a case
    /// nobody holds. Internal: the public never reads who works a case.
    Assigned { account_id: i64 },
}

/// Why personal data was erased from a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureReason {
    /// The retention period after the case finished has passed.
    Retention,
    /// The reporter closed their account: the case no longer names them.
    AccountClosed,
    /// The photos of a case rejected as inappropriate are kept for a short time only.
    InappropriatePhotos,
}

/// The catalogue's terms for a case as they stood when it arrived: the category's deadline and
/// the lead agency the routing table named. Later catalogue changes apply to new cases only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeTerms {
    pub deadline_days: u16,
    pub agency: Option<String>,
}

/// The kind of a change, without its facts: what a button offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Submitted,
    Accepted,
    Rejected,
    Acknowledged,
    NoteAdded,
    ExtensionRequested,
    ExtensionDecided,
    ResultSubmitted,
    Returned,
    ResultApproved,
    SentBack,
    Rated,
    Closed,
    Reopened,
    VerificationRequested,
    CallLogged,
    Claimed,
    PersonalDataErased,
    Supported,
    DeadlineEscalated,
    InformationRequested,
    InformationProvided,
    Assigned,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 23] = [
        ChangeKind::Submitted,
        ChangeKind::Accepted,
        ChangeKind::Rejected,
        ChangeKind::Acknowledged,
        ChangeKind::NoteAdded,
        ChangeKind::ExtensionRequested,
        ChangeKind::ExtensionDecided,
        ChangeKind::ResultSubmitted,
        ChangeKind::Returned,
        ChangeKind::ResultApproved,
        ChangeKind::SentBack,
        ChangeKind::Rated,
        ChangeKind::Closed,
        ChangeKind::Reopened,
        ChangeKind::VerificationRequested,
        ChangeKind::CallLogged,
        ChangeKind::Claimed,
        ChangeKind::PersonalDataErased,
        ChangeKind::Supported,
        ChangeKind::DeadlineEscalated,
        ChangeKind::InformationRequested,
        ChangeKind::InformationProvided,
        ChangeKind::Assigned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Submitted => "submitted",
            ChangeKind::Accepted => "accepted",
            ChangeKind::Rejected => "rejected",
            ChangeKind::Acknowledged => "acknowledged",
            ChangeKind::NoteAdded => "note_added",
            ChangeKind::ExtensionRequested => "extension_requested",
            ChangeKind::ExtensionDecided => "extension_decided",
            ChangeKind::ResultSubmitted => "result_submitted",
            ChangeKind::Returned => "returned",
            ChangeKind::ResultApproved => "result_approved",
            ChangeKind::SentBack => "sent_back",
            ChangeKind::Rated => "rated",
            ChangeKind::Closed => "closed",
            ChangeKind::Reopened => "reopened",
            ChangeKind::VerificationRequested => "verification_requested",
            ChangeKind::CallLogged => "call_logged",
            ChangeKind::Claimed => "claimed",
            ChangeKind::PersonalDataErased => "personal_data_erased",
            ChangeKind::Supported => "supported",
            ChangeKind::DeadlineEscalated => "deadline_escalated",
            ChangeKind::InformationRequested => "information_requested",
            ChangeKind::InformationProvided => "information_provided",
            ChangeKind::Assigned => "assigned",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

impl Change {
    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::Submitted { .. } => ChangeKind::Submitted,
            Change::Accepted { .. } => ChangeKind::Accepted,
            Change::Rejected { .. } => ChangeKind::Rejected,
            Change::Acknowledged => ChangeKind::Acknowledged,
            Change::NoteAdded { .. } => ChangeKind::NoteAdded,
            Change::ExtensionRequested { .. } => ChangeKind::ExtensionRequested,
            Change::ExtensionDecided { .. } => ChangeKind::ExtensionDecided,
            Change::ResultSubmitted { .. } => ChangeKind::ResultSubmitted,
            Change::Returned { .. } => ChangeKind::Returned,
            Change::ResultApproved { .. } => ChangeKind::ResultApproved,
            Change::SentBack { .. } => ChangeKind::SentBack,
            Change::Rated { .. } => ChangeKind::Rated,
            Change::Closed { .. } => ChangeKind::Closed,
            Change::Reopened { .. } => ChangeKind::Reopened,
            Change::VerificationRequested { .. } => ChangeKind::VerificationRequested,
            Change::CallLogged { .. } => ChangeKind::CallLogged,
            Change::Claimed { .. } => ChangeKind::Claimed,
            Change::PersonalDataErased { .. } => ChangeKind::PersonalDataErased,
            Change::Supported { .. } => ChangeKind::Supported,
            Change::DeadlineEscalated { .. } => ChangeKind::DeadlineEscalated,
            Change::InformationRequested { .. } => ChangeKind::InformationRequested,
            Change::InformationProvided { .. } => ChangeKind::InformationProvided,
            Change::Assigned { .. } => ChangeKind::Assigned,
        }
    }

    /// The text the public may read with the change: rejection explanations, public notes, closing notes.
    pub fn public_note(&self) -> Option<&str> {
        match self {
            Change::Rejected { explanation, .. } => Some(explanation.as_str()),
            Change::NoteAdded { text, public: true } => Some(text.as_str()),
            Change::Closed { note, expired: false } => note.as_deref(),
            Change::ResultApproved { published } => published.as_deref(),
            _ => None,
        }
    }

    /// The text a person wrote with the change, if any.
    pub fn note(&self) -> Option<&str> {
        match self {
            Change::Rejected { explanation: text, .. }
            | Change::NoteAdded { text, .. }
            | Change::ExtensionRequested { reason: text, .. }
            | Change::ExtensionDecided { note: text, .. }
            | Change::ResultSubmitted { summary: text, .. }
            | Change::Returned { reason: text }
            | Change::SentBack { note: text }
            | Change::Reopened { note: text, .. }
            | Change::VerificationRequested { note: text }
            | Change::InformationRequested { question: text, .. }
            | Change::InformationProvided { answer: text, .. } => Some(text.as_str()),
            Change::Rated { comment, .. } => comment.as_deref(),
            Change::Closed { note, .. } | Change::ResultApproved { published: note } => note.as_deref(),
            Change::Submitted { .. }
            | Change::Accepted { .. }
            | Change::Acknowledged
            | Change::CallLogged { .. }
            | Change::Claimed { .. }
            | Change::PersonalDataErased { .. }
            | Change::Supported { .. }
            | Change::DeadlineEscalated { .. }
            | Change::Assigned { .. } => None,
        }
    }
}

/// Who acts: their role, their account, and for officers the agency they work for and whether
/// they head it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub role: ActorRole,
    pub account_id: Option<i64>,
    pub agency: Option<String>,
    /// A head of `agency` hands its cases out to its officers.
    #[serde(default)]
    pub agency_head: bool,
}

impl Actor {
    pub fn new(role: ActorRole) -> Self {
        Self { role, account_id: None, agency: None, agency_head: false }
    }

    pub fn system() -> Self {
        Self::new(ActorRole::System)
    }
}

/// What the events of a case say about it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFacts {
    pub status: CaseStatus,
    /// Number of events so far: the version a change must name to be applied.
    pub version: u32,
    pub reporter_account: Option<i64>,
    pub lead_agency: Option<String>,
    /// The deadline in force, extensions counted.
    pub deadline: Option<DateTime<Utc>>,
    pub pending_extension_days: Option<u16>,
    /// When the latest result was submitted.
    pub result_submitted_at: Option<DateTime<Utc>>,
    /// The deadline in force when the latest result was submitted.
    pub result_deadline: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub rating: Option<Rating>,
    /// How many times agencies returned the case as not theirs.
    pub returns: u32,
    /// When the hotline should phone the reporter to verify the report; `None` when no call is due.
    #[serde(default)]
    pub verification_due: Option<DateTime<Utc>>,
    /// Why screening found the case ineligible; `None` unless it was rejected.
    #[serde(default)]
    pub rejection: Option<RejectReason>,
    /// The catalogue's terms when the case arrived; `None` for cases older than the terms.
    #[serde(default)]
    pub terms: Option<IntakeTerms>,
    /// When the screening decision in force was made (the latest acceptance or rejection);
    /// `None` while the case waits for screening, again after an agency returns it.
    #[serde(default)]
    pub screened_at: Option<DateTime<Utc>>,
    /// When the case was closed or rejected: where the retention period of its personal data starts.
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
    /// How many support the case ("me too"): its `Supported` events.
    #[serde(default)]
    pub supporters: u32,
    /// The original this case was merged into as its duplicate; `None` unless rejected as one.
    #[serde(default)]
    pub merged_into: Option<i64>,
    /// The latest step of a deadline's escalation ladder taken, and for which deadline.
    #[serde(default)]
    pub escalation: Option<Escalation>,
    /// The approved result's summary in force: the case's public answer; `None` before an
    /// approval that published one, and again once the case is reopened.
    #[serde(default)]
    pub published_result: Option<String>,
    /// Whether the report came in by phone: its caller rates through the hotline.
    #[serde(default)]
    pub phoned_in: bool,
    /// The question to the reporter waiting for its answer, while the deadline stands still.
    #[serde(default)]
    pub open_question: Option<crate::pause::OpenQuestion>,
    /// The officer of the lead agency who holds the case; `None` until someone is given it or
    /// takes it, and again once the case leaves the agency.
    #[serde(default)]
    pub assignee: Option<i64>,
}

/// A step of the escalation ladder taken for a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub deadline: DateTime<Utc>,
    pub step: crate::escalation::EscalationStep,
}

/// Why an actor may not make a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    #[error("this role may not make this change")]
    NotYourRole,
    #[error("the case belongs to another agency")]
    NotYourAgency,
    #[error("only the person who reported the case may do this")]
    NotTheReporter,
    #[error("the case is not in a state that allows this change")]
    WrongState,
    #[error("an extension request is already waiting")]
    ExtensionPending,
    #[error("there is no extension request to decide")]
    NoExtensionPending,
    #[error("the result was already rated")]
    AlreadyRated,
    #[error("only an unsatisfied rating allows this")]
    NeedsUnsatisfiedRating,
    #[error("a duplicate needs the number of the original case")]
    DuplicateNeedsOriginal,
    #[error("the case already belongs to an account")]
    AlreadyClaimed,
    /// The reporter's own report already counts them.
    #[error("the reporter of a case cannot support it")]
    OwnReport,
    /// One support per account and per device: the store finds this one there already.
    #[error("this account or device already supports the case")]
    AlreadySupported,
    /// One question to the reporter at a time: the open one waits for its answer.
    #[error("a question to the reporter is still waiting for its answer")]
    QuestionOpen,
    #[error("no question to the reporter is waiting for an answer")]
    NoOpenQuestion,
    /// Asking a question stops the clock only before the deadline.
    #[error("the deadline has passed")]
    DeadlinePassed,
    /// Only a head of the agency gives a case to someone else.
    #[error("only a head of the agency assigns cases to others")]
    NotAgencyHead,
    /// The case is held already: by someone, for an officer taking it; by that officer, for a head.
    #[error("the case is already held")]
    AlreadyAssigned,
}

/// What applying a change does: the status after it, and whether the public sees the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub to: CaseStatus,
    pub public: bool,
}

/// Whether a person of `role` may ask for a change of `kind` at all, whatever the case: what a
/// server checks before it reads the case or the request's text, so a refusal reveals nothing.
/// [`decide`] then checks the case itself.
pub fn role_may_ask(role: ActorRole, kind: ChangeKind) -> bool {
    use ChangeKind::*;
    match kind {
        Accepted | Rejected | ExtensionDecided | ResultApproved | SentBack | Reopened | VerificationRequested => {
            role == ActorRole::Coordinator
        }
        Closed => matches!(role, ActorRole::Coordinator | ActorRole::System),
        Acknowledged | ExtensionRequested | ResultSubmitted | Returned => role == ActorRole::Officer,
        NoteAdded => matches!(role, ActorRole::Coordinator | ActorRole::Officer),
        Claimed => role == ActorRole::Citizen,
        // An anonymous reporter rates through the receipt link, a caller through the hotline.
        Rated => matches!(role, ActorRole::Citizen | ActorRole::Anonymous | ActorRole::Operator),
        CallLogged => role == ActorRole::Operator,
        PersonalDataErased | DeadlineEscalated => role == ActorRole::System,
        // A coordinator supports only on behalf of a merged duplicate's people.
        Supported => matches!(role, ActorRole::Citizen | ActorRole::Anonymous | ActorRole::Coordinator),
        InformationRequested => matches!(role, ActorRole::Coordinator | ActorRole::Officer),
        // The reporter answers from their account or receipt link, a caller through the hotline.
        InformationProvided => matches!(role, ActorRole::Citizen | ActorRole::Anonymous | ActorRole::Operator),
        Assigned => role == ActorRole::Officer,
        Submitted => false,
    }
}

/// Decides whether `actor` may make `change` to a case with `facts`, and what follows.
/// This is the one state machine: the server enforces it and the UI offers only what it allows.
pub fn decide(facts: &CaseFacts, actor: &Actor, change: &Change) -> Result<Transition, Refusal> {
    use CaseStatus::*;
    let status = facts.status;
    let require_role = |role: ActorRole| if actor.role == role { Ok(()) } else { Err(Refusal::NotYourRole) };
    let require_state =
        |allowed: &[CaseStatus]| if allowed.contains(&status) { Ok(()) } else { Err(Refusal::WrongState) };
    let require_lead_officer = || {
        require_role(ActorRole::Officer)?;
        match (&actor.agency, &facts.lead_agency) {
            (Some(mine), Some(lead)) if mine == lead => Ok(()),
            _ => Err(Refusal::NotYourAgency),
        }
    };
    // The server proves the receipt or logs the call first; here each way is kept to its role.
    let require_reporter = |via: &RatedVia| {
        match (actor.role, via) {
            (ActorRole::Citizen, RatedVia::Account) => {
                if actor.account_id.is_none() || actor.account_id != facts.reporter_account {
                    return Err(Refusal::NotTheReporter);
                }
            }
            (ActorRole::Anonymous, RatedVia::Receipt) => {}
            (ActorRole::Operator, RatedVia::Call { .. }) => {
                if !facts.phoned_in {
                    return Err(Refusal::NotTheReporter);
                }
            }
            _ => return Err(Refusal::NotYourRole),
        }
        Ok(())
    };
    let stay = |public| Ok(Transition { to: status, public });
    let go = |to, public| Ok(Transition { to, public });
    match change {
        Change::Submitted { .. } => Err(Refusal::WrongState),
        Change::Accepted { .. } => {
            require_role(ActorRole::Coordinator)?;
            require_state(&[Submitted])?;
            go(Assigned, true)
        }
        Change::Rejected { reason, duplicate_of, .. } => {
            require_role(ActorRole::Coordinator)?;
            require_state(&[Submitted])?;
            if *reason == RejectReason::Duplicate && duplicate_of.is_none() {
                return Err(Refusal::DuplicateNeedsOriginal);
            }
            go(Rejected, true)
        }
        Change::Acknowledged => {
            require_lead_officer()?;
            require_state(&[Assigned])?;
            go(InProgress, true)
        }
        Change::NoteAdded { public, .. } => {
            match actor.role {
                ActorRole::Coordinator => require_state(&[Submitted, Assigned, InProgress, ResultReview, Resolved])?,
                _ => {
                    require_lead_officer()?;
                    require_state(&[Assigned, InProgress])?;
                }
            }
            stay(*public)
        }
        Change::ExtensionRequested { .. } => {
            require_lead_officer()?;
            require_state(&[Assigned, InProgress])?;
            if facts.pending_extension_days.is_some() {
                return Err(Refusal::ExtensionPending);
            }
            stay(false)
        }
        Change::ExtensionDecided { .. } => {
            require_role(ActorRole::Coordinator)?;
            require_state(&[Assigned, InProgress])?;
            if facts.pending_extension_days.is_none() {
                return Err(Refusal::NoExtensionPending);
            }
            stay(false)
        }
        Change::ResultSubmitted { .. } => {
            require_lead_officer()?;
            require_state(&[InProgress])?;
            go(ResultReview, false)
        }
        Change::Returned { .. } => {
            require_lead_officer()?;
            require_state(&[Assigned, InProgress])?;
            go(Submitted, false)
        }
        Change::ResultApproved { .. } => {
            require_role(ActorRole::Coordinator)?;
            require_state(&[ResultReview])?;
            go(Resolved, true)
        }
        Change::SentBack { .. } => {
            require_role(ActorRole::Coordinator)?;
            require_state(&[ResultReview])?;
            go(InProgress, false)
        }
        Change::Rated { rating, via, .. } => {
            require_reporter(via)?;
            require_state(&[Resolved])?;
            if facts.rating.is_some() {
                return Err(Refusal::AlreadyRated);
            }
            match rating {
                Rating::Unsatisfied => stay(true),
                Rating::Satisfied | Rating::Acceptable => go(Closed, true),
            }
        }
        Change::Closed { expired: true, .. } => {
            require_role(ActorRole::System)?;
            require_state(&[Resolved])?;
            go(Closed, true)
        }
        Change::VerificationRequested { .. } => {
            require_role(ActorRole::Coordinator)?;
            require_state(&[Submitted, Assigned, InProgress, ResultReview, Resolved])?;
            stay(false)
        }
        Change::CallLogged { .. } => {
            require_role(ActorRole::Operator)?;
            stay(false)
        }
        Change::Claimed { account_id } => {
            require_role(ActorRole::Citizen)?;
            if actor.account_id != Some(*account_id) {
                return Err(Refusal::NotTheReporter);
            }
            if facts.reporter_account.is_some() {
                return Err(Refusal::AlreadyClaimed);
            }
            stay(false)
        }
        Change::PersonalDataErased { reason, .. } => {
            require_role(ActorRole::System)?;
            match reason {
                // A person may leave at any time; the rules of retention wait until the case is finished.
                ErasureReason::AccountClosed => {}
                ErasureReason::Retention => require_state(&[Closed, Rejected])?,
                ErasureReason::InappropriatePhotos => {
                    require_state(&[Rejected])?;
                    if facts.rejection != Some(RejectReason::Inappropriate) {
                        return Err(Refusal::WrongState);
                    }
                }
            }
            stay(false)
        }
        Change::DeadlineEscalated { step, deadline } => {
            require_role(ActorRole::System)?;
            require_state(&[Assigned, InProgress])?;
            if facts.deadline != Some(*deadline) || facts.escalation_in_force().is_some_and(|taken| taken >= *step) {
                return Err(Refusal::WrongState);
            }
            stay(false)
        }
        Change::Supported { account_id, merged_from } => {
            let on_own_behalf = match actor.role {
                ActorRole::Citizen => actor.account_id.is_some() && *account_id == actor.account_id,
                ActorRole::Anonymous => account_id.is_none(),
                _ => false,
            };
            let allowed = match merged_from {
                Some(_) => actor.role == ActorRole::Coordinator,
                None => on_own_behalf,
            };
            if !allowed {
                return Err(Refusal::NotYourRole);
            }
            if account_id.is_some() && *account_id == facts.reporter_account {
                return Err(Refusal::OwnReport);
            }
            // Screened and still being worked on: a held-back or finished case gathers no voices.
            require_state(&SUPPORTABLE)?;
            stay(false)
        }
        Change::InformationRequested { .. } => {
            match actor.role {
                ActorRole::Coordinator => {}
                _ => require_lead_officer()?,
            }
            require_state(&[Assigned, InProgress])?;
            if facts.open_question.is_some() {
                return Err(Refusal::QuestionOpen);
            }
            if facts.deadline.is_none() {
                return Err(Refusal::WrongState);
            }
            // Public without its text: everyone sees that the clock stands still, the question
            // itself goes to the reporter.
            stay(true)
        }
        Change::InformationProvided { via, .. } => {
            require_reporter(via)?;
            require_state(&[Assigned, InProgress])?;
            if facts.open_question.is_none() {
                return Err(Refusal::NoOpenQuestion);
            }
            stay(true)
        }
        Change::Assigned { account_id } => {
            require_lead_officer()?;
            // Only while the agency has the case: from routing until its result goes for review.
            require_state(&[Assigned, InProgress])?;
            let taking = actor.account_id == Some(*account_id);
            if !taking && !actor.agency_head {
                return Err(Refusal::NotAgencyHead);
            }
            // A head gives and gives again; an officer takes only what nobody holds.
            let held = if actor.agency_head { facts.assignee == Some(*account_id) } else { facts.assignee.is_some() };
            if held {
                return Err(Refusal::AlreadyAssigned);
            }
            stay(false)
        }
        Change::Closed { expired: false, .. } | Change::Reopened { .. } => {
            require_role(ActorRole::Coordinator)?;
            require_state(&[Resolved])?;
            if facts.rating != Some(Rating::Unsatisfied) {
                return Err(Refusal::NeedsUnsatisfiedRating);
            }
            let to = if matches!(change, Change::Reopened { .. }) { Assigned } else { Closed };
            go(to, true)
        }
    }
}

/// The statuses in which a case takes support: screened, public and not yet finished.
pub const SUPPORTABLE: [CaseStatus; 4] =
    [CaseStatus::Assigned, CaseStatus::InProgress, CaseStatus::ResultReview, CaseStatus::Resolved];

/// The edges of the lifecycle: every status change `decide` can produce, and no other.
pub const LIFECYCLE: &[(CaseStatus, CaseStatus)] = &[
    (CaseStatus::Submitted, CaseStatus::Assigned),
    (CaseStatus::Submitted, CaseStatus::Rejected),
    (CaseStatus::Assigned, CaseStatus::InProgress),
    (CaseStatus::Assigned, CaseStatus::Submitted),
    (CaseStatus::InProgress, CaseStatus::Submitted),
    (CaseStatus::InProgress, CaseStatus::ResultReview),
    (CaseStatus::ResultReview, CaseStatus::Resolved),
    (CaseStatus::ResultReview, CaseStatus::InProgress),
    (CaseStatus::Resolved, CaseStatus::Closed),
    (CaseStatus::Resolved, CaseStatus::Assigned),
];

impl CaseFacts {
    /// The facts of a case that has just been submitted by `reporter_account`.
    pub fn submitted(reporter_account: Option<i64>) -> Self {
        Self {
            status: CaseStatus::Submitted,
            version: 1,
            reporter_account,
            lead_agency: None,
            deadline: None,
            pending_extension_days: None,
            result_submitted_at: None,
            result_deadline: None,
            resolved_at: None,
            rating: None,
            returns: 0,
            verification_due: None,
            rejection: None,
            terms: None,
            screened_at: None,
            finished_at: None,
            supporters: 0,
            merged_into: None,
            escalation: None,
            published_result: None,
            phoned_in: false,
            open_question: None,
            assignee: None,
        }
    }

    /// The facts of a case that has just arrived on `channel` under `terms`.
    pub fn on_submission(reporter_account: Option<i64>, terms: Option<IntakeTerms>, channel: Channel) -> Self {
        Self { terms, phoned_in: channel == Channel::Hotline, ..Self::submitted(reporter_account) }
    }

    /// The facts a case's events establish, oldest event first; the chain of statuses is checked.
    pub fn from_events(events: &[CaseEvent]) -> Result<Self, super::case::ReplayError> {
        super::case::replay(events)?;
        let (first, rest) = events.split_first().ok_or(super::case::ReplayError::Empty)?;
        let reporter = if first.actor_role == ActorRole::Citizen { first.actor_id } else { None };
        let mut facts = match &first.change {
            Change::Submitted { terms, channel, .. } => Self::on_submission(reporter, terms.clone(), *channel),
            _ => Self::submitted(reporter),
        };
        for event in rest {
            facts.apply(event);
        }
        Ok(facts)
    }

    /// Decides `change` by `actor` at `at` and, when allowed, returns the event that records it
    /// and the facts after it: what the store appends at this case's version.
    pub fn next_event(
        &self,
        actor: &Actor,
        change: Change,
        at: DateTime<Utc>,
    ) -> Result<(CaseEvent, CaseFacts), Refusal> {
        let transition = decide(self, actor, &change)?;
        // Both databases keep times to the microsecond: an event's time is kept so from the start,
        // so that the facts answered with it equal those its stored events replay to.
        let at = chrono::SubsecRound::trunc_subsecs(at, 6);
        let event = CaseEvent {
            seq: self.version + 1,
            actor_role: actor.role,
            actor_id: actor.account_id,
            occurred_at: at,
            from_status: Some(self.status),
            to_status: transition.to,
            public: transition.public,
            change,
        };
        let mut after = self.clone();
        after.apply(&event);
        Ok((event, after))
    }

    /// Folds one more event into the facts.
    pub fn apply(&mut self, event: &CaseEvent) {
        if event.to_status.is_final() && !self.status.is_final() {
            self.finished_at = Some(event.occurred_at);
        }
        self.status = event.to_status;
        self.version = event.seq;
        match &event.change {
            Change::Submitted { .. } => {}
            Change::Accepted { agency, deadline } => {
                self.open_question = None;
                self.lead_agency = Some(agency.clone());
                self.deadline = Some(*deadline);
                self.pending_extension_days = None;
                self.screened_at = Some(event.occurred_at);
                // A newly routed case starts unheld in its agency.
                self.assignee = None;
            }
            Change::ExtensionRequested { days, .. } => self.pending_extension_days = Some(*days),
            Change::ExtensionDecided { approved, deadline, .. } => {
                self.pending_extension_days = None;
                if let (true, Some(deadline)) = (approved, deadline) {
                    self.deadline = Some(*deadline);
                }
            }
            Change::ResultSubmitted { .. } => {
                // A result ends the wait: the deadline moved by the whole pause stays in force,
                // which is on time either way for a result given during the pause.
                self.open_question = None;
                self.result_submitted_at = Some(event.occurred_at);
                self.result_deadline = self.deadline;
            }
            Change::Returned { .. } => {
                self.returns += 1;
                self.open_question = None;
                self.lead_agency = None;
                self.deadline = None;
                self.pending_extension_days = None;
                // Back to screening: the decision that sent it to the agency is no longer in force.
                self.screened_at = None;
                self.assignee = None;
            }
            Change::ResultApproved { published } => {
                self.resolved_at = Some(event.occurred_at);
                self.published_result = published.clone();
                // A caller has no receipt link or account to rate from: the hotline phones them.
                if self.phoned_in {
                    self.verification_due = Some(event.occurred_at);
                }
            }
            Change::Rated { rating, .. } => {
                self.rating = Some(*rating);
                self.verification_due = None;
            }
            Change::Reopened { deadline, .. } => {
                self.deadline = Some(*deadline);
                self.rating = None;
                self.resolved_at = None;
                self.result_submitted_at = None;
                self.result_deadline = None;
                self.published_result = None;
            }
            Change::VerificationRequested { .. } => self.verification_due = Some(event.occurred_at),
            Change::CallLogged { direction: CallDirection::Outbound, outcome, callback_at, .. } => {
                self.verification_due = match outcome {
                    CallOutcome::CallbackScheduled => *callback_at,
                    _ => None,
                };
            }
            Change::Claimed { account_id } => self.reporter_account = Some(*account_id),
            Change::Rejected { reason, duplicate_of, .. } => {
                self.rejection = Some(*reason);
                self.merged_into = if *reason == RejectReason::Duplicate { *duplicate_of } else { None };
                self.screened_at = Some(event.occurred_at);
                // A finished case needs no more verification calls.
                self.verification_due = None;
            }
            Change::Closed { .. } => self.verification_due = None,
            Change::PersonalDataErased { reason: ErasureReason::AccountClosed, .. } => self.reporter_account = None,
            Change::Supported { .. } => self.supporters += 1,
            Change::DeadlineEscalated { step, deadline } => {
                self.escalation = Some(Escalation { deadline: *deadline, step: *step });
            }
            Change::InformationRequested { pause_ends, deadline, .. } => {
                self.open_question = self.deadline.map(|before| crate::pause::OpenQuestion {
                    asked_at: event.occurred_at,
                    pause_ends: *pause_ends,
                    deadline_before: before,
                });
                self.deadline = Some(*deadline);
                // A caller has no receipt link or account to answer from: the hotline phones them.
                if self.phoned_in {
                    self.verification_due = Some(event.occurred_at);
                }
            }
            Change::InformationProvided { deadline, .. } => {
                self.open_question = None;
                self.deadline = Some(*deadline);
                if self.phoned_in {
                    self.verification_due = None;
                }
            }
            Change::Assigned { account_id } => self.assignee = Some(*account_id),
            Change::PersonalDataErased { .. }
            | Change::CallLogged { .. }
            | Change::Acknowledged
            | Change::NoteAdded { .. }
            | Change::SentBack { .. } => {}
        }
    }

    /// The latest step of the escalation ladder taken for the deadline in force.
    pub fn escalation_in_force(&self) -> Option<crate::escalation::EscalationStep> {
        self.escalation.filter(|taken| Some(taken.deadline) == self.deadline).map(|taken| taken.step)
    }

    /// Whether the latest result was submitted on time; `None` until a result exists.
    pub fn result_on_time(&self) -> Option<bool> {
        match (self.result_submitted_at, self.result_deadline) {
            (Some(at), Some(deadline)) => Some(super::deadline::on_time(at, deadline)),
            _ => None,
        }
    }

    /// Whether the approved result came in on time; `None` until a result is approved.
    pub fn handled_on_time(&self) -> Option<bool> {
        self.resolved_at.and(self.result_on_time())
    }

    /// Whether the case waits in the coordinator's review queue: a result to review, an extension
    /// request to decide, or an unsatisfied rating to act on.
    pub fn awaits_review(&self) -> bool {
        match self.status {
            CaseStatus::ResultReview => true,
            CaseStatus::Assigned | CaseStatus::InProgress => self.pending_extension_days.is_some(),
            CaseStatus::Resolved => self.rating == Some(Rating::Unsatisfied),
            _ => false,
        }
    }

    /// Whether the deadline has passed at `now` without a result.
    pub fn overdue_at(&self, now: DateTime<Utc>) -> bool {
        matches!(self.status, CaseStatus::Assigned | CaseStatus::InProgress) && self.deadline.is_some_and(|d| now > d)
    }
}

/// Stands for "someone else" in a prototype assignment: no account has id 0.
const SOMEONE_ELSE: i64 = 0;

/// The changes `actor` may make now, for the buttons the UI shows. An assignment is offered
/// when the actor may take the case or give it to someone else.
pub fn allowed_changes(facts: &CaseFacts, actor: &Actor) -> Vec<ChangeKind> {
    let epoch = DateTime::<Utc>::MIN_UTC;
    let prototypes = [
        Change::Accepted { agency: String::new(), deadline: epoch },
        Change::Rejected { reason: RejectReason::InsufficientInfo, duplicate_of: None, explanation: String::new() },
        Change::Acknowledged,
        Change::NoteAdded { text: String::new(), public: false },
        Change::ExtensionRequested { days: 1, reason: String::new() },
        Change::ExtensionDecided { approved: false, deadline: None, note: String::new() },
        Change::ResultSubmitted { summary: String::new(), photos: Vec::new() },
        Change::Returned { reason: String::new() },
        Change::ResultApproved { published: None },
        Change::SentBack { note: String::new() },
        Change::Rated { rating: Rating::Satisfied, comment: None, via: RatedVia::Account },
        Change::Closed { note: None, expired: false },
        Change::Reopened { deadline: epoch, note: String::new() },
        Change::VerificationRequested { note: String::new() },
        Change::CallLogged { direction: CallDirection::Inbound, outcome: CallOutcome::Answered, callback_at: None },
        Change::InformationRequested { question: String::new(), pause_ends: epoch, deadline: epoch },
        Change::InformationProvided { answer: String::new(), deadline: epoch, via: RatedVia::Account },
        Change::Assigned { account_id: actor.account_id.unwrap_or(SOMEONE_ELSE) },
        Change::Assigned { account_id: SOMEONE_ELSE },
    ];
    let mut kinds: Vec<ChangeKind> =
        prototypes.iter().filter(|change| decide(facts, actor, change).is_ok()).map(Change::kind).collect();
    kinds.dedup();
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::replay;
    use proptest::prelude::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_680_000_000 + minutes * 60, 0).unwrap_or_default()
    }

    fn officer(agency: &str) -> Actor {
        Actor { role: ActorRole::Officer, account_id: Some(20), agency: Some(agency.into()), agency_head: false }
    }

    fn reporter() -> Actor {
        Actor { role: ActorRole::Citizen, account_id: Some(7), agency: None, agency_head: false }
    }

    /// Applies `change` by `actor` when allowed, appending its event; refusals change nothing.
    fn attempt(
        events: &mut Vec<CaseEvent>,
        facts: &mut CaseFacts,
        actor: &Actor,
        change: Change,
    ) -> Result<(), Refusal> {
        let transition = decide(facts, actor, &change)?;
        let event = CaseEvent {
            seq: facts.version + 1,
            actor_role: actor.role,
            actor_id: actor.account_id,
            occurred_at: at(i64::from(facts.version)),
            from_status: Some(facts.status),
            to_status: transition.to,
            public: transition.public,
            change,
        };
        facts.apply(&event);
        events.push(event);
        Ok(())
    }

    fn submitted() -> (Vec<CaseEvent>, CaseFacts) {
        let event = CaseEvent {
            seq: 1,
            actor_role: ActorRole::Citizen,
            actor_id: Some(7),
            occurred_at: at(0),
            from_status: None,
            to_status: CaseStatus::Submitted,
            public: true,
            change: Change::Submitted { channel: Channel::Web, area: Some("dong-hoi".into()), terms: None },
        };
        (vec![event], CaseFacts::submitted(Some(7)))
    }

    #[test]
    fn the_happy_path_runs_from_submission_to_closure() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (mut events, mut facts) = submitted();
        attempt(
            &mut events,
            &mut facts,
            &coordinator,
            Change::Accepted { agency: "urenco".into(), deadline: at(1000) },
        )
        .expect("accept");
        attempt(&mut events, &mut facts, &officer("urenco"), Change::Acknowledged).expect("acknowledge");
        attempt(
            &mut events,
            &mut facts,
            &officer("urenco"),
            Change::ResultSubmitted { summary: "Đã dọn".into(), photos: Vec::new() },
        )
        .expect("result");
        attempt(&mut events, &mut facts, &coordinator, Change::ResultApproved { published: None }).expect("approve");
        attempt(
            &mut events,
            &mut facts,
            &reporter(),
            Change::Rated { rating: Rating::Satisfied, comment: None, via: RatedVia::Account },
        )
        .expect("rate");
        assert_eq!(facts.status, CaseStatus::Closed);
        assert_eq!(facts.result_on_time(), Some(true));
        assert_eq!(replay(&events), Ok(CaseStatus::Closed));
    }

    #[test]
    fn other_agencies_and_roles_are_refused() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (mut events, mut facts) = submitted();
        assert_eq!(
            attempt(&mut events, &mut facts, &officer("urenco"), Change::Acknowledged),
            Err(Refusal::NotYourAgency)
        );
        attempt(&mut events, &mut facts, &coordinator, Change::Accepted { agency: "urenco".into(), deadline: at(10) })
            .expect("accept");
        assert_eq!(
            attempt(&mut events, &mut facts, &officer("vnpt"), Change::Acknowledged),
            Err(Refusal::NotYourAgency)
        );
        for role in [ActorRole::Anonymous, ActorRole::Citizen, ActorRole::Operator, ActorRole::Leader, ActorRole::Admin]
        {
            assert_eq!(
                attempt(&mut events, &mut facts, &Actor::new(role), Change::Acknowledged),
                Err(Refusal::NotYourRole)
            );
        }
        assert_eq!(facts.status, CaseStatus::Assigned);
    }

    #[test]
    fn a_returned_case_goes_back_to_screening_and_counts_returns() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (mut events, mut facts) = submitted();
        assert_eq!(facts.screened_at, None, "not screened yet");
        attempt(&mut events, &mut facts, &coordinator, Change::Accepted { agency: "vnpt".into(), deadline: at(10) })
            .expect("accept");
        assert_eq!(facts.screened_at, Some(at(1)), "screened when accepted");
        attempt(&mut events, &mut facts, &officer("vnpt"), Change::Returned { reason: "Cáp của Viettel".into() })
            .expect("return");
        assert_eq!((facts.status, facts.returns, facts.lead_agency.clone()), (CaseStatus::Submitted, 1, None));
        assert_eq!(facts.screened_at, None, "a returned case waits for screening again");
        attempt(&mut events, &mut facts, &coordinator, Change::Accepted { agency: "viettel".into(), deadline: at(20) })
            .expect("reroute");
        assert_eq!(facts.lead_agency.as_deref(), Some("viettel"));
        assert_eq!(facts.screened_at, Some(at(3)), "the decision in force is the latest");
    }

    #[test]
    fn event_times_are_kept_to_the_microsecond_the_databases_store() {
        let (_, facts) = submitted();
        let at_nanos = at(5) + chrono::Duration::nanoseconds(123_456_789);
        let accept = Change::Accepted { agency: "urenco".into(), deadline: at(1000) };
        let (event, after) = facts.next_event(&Actor::new(ActorRole::Coordinator), accept, at_nanos).expect("accept");
        assert_eq!(event.occurred_at, at(5) + chrono::Duration::microseconds(123_456));
        assert_eq!(after.screened_at, Some(event.occurred_at), "the facts carry the time as stored");
    }

    #[test]
    fn unsatisfied_ratings_let_the_coordinator_reopen() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (mut events, mut facts) = submitted();
        for (actor, change) in [
            (coordinator.clone(), Change::Accepted { agency: "urenco".into(), deadline: at(10) }),
            (officer("urenco"), Change::Acknowledged),
            (officer("urenco"), Change::ResultSubmitted { summary: "Xong".into(), photos: Vec::new() }),
            (coordinator.clone(), Change::ResultApproved { published: None }),
        ] {
            attempt(&mut events, &mut facts, &actor, change).expect("step");
        }
        let stranger = Actor { role: ActorRole::Citizen, account_id: Some(99), agency: None, agency_head: false };
        let rate = |rating| Change::Rated { rating, comment: None, via: RatedVia::Account };
        assert_eq!(
            attempt(&mut events, &mut facts, &stranger, rate(Rating::Unsatisfied)),
            Err(Refusal::NotTheReporter)
        );
        let reopen = Change::Reopened { deadline: at(50), note: "Chưa dọn hết".into() };
        assert_eq!(
            attempt(&mut events, &mut facts, &coordinator, reopen.clone()),
            Err(Refusal::NeedsUnsatisfiedRating)
        );
        attempt(&mut events, &mut facts, &reporter(), rate(Rating::Unsatisfied)).expect("rate");
        assert_eq!(facts.status, CaseStatus::Resolved);
        assert_eq!(attempt(&mut events, &mut facts, &reporter(), rate(Rating::Satisfied)), Err(Refusal::AlreadyRated));
        attempt(&mut events, &mut facts, &coordinator, reopen).expect("reopen");
        assert_eq!((facts.status, facts.deadline, facts.rating), (CaseStatus::Assigned, Some(at(50)), None));
    }

    #[test]
    fn on_time_uses_the_deadline_in_force_with_an_extension() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (mut events, mut facts) = submitted();
        attempt(&mut events, &mut facts, &coordinator, Change::Accepted { agency: "urenco".into(), deadline: at(3) })
            .expect("accept");
        attempt(
            &mut events,
            &mut facts,
            &officer("urenco"),
            Change::ExtensionRequested { days: 2, reason: "Mưa".into() },
        )
        .expect("request");
        assert_eq!(
            attempt(
                &mut events,
                &mut facts,
                &officer("urenco"),
                Change::ExtensionRequested { days: 2, reason: "x".into() }
            ),
            Err(Refusal::ExtensionPending)
        );
        let decision = Change::ExtensionDecided { approved: true, deadline: Some(at(100)), note: "Đồng ý".into() };
        attempt(&mut events, &mut facts, &coordinator, decision).expect("approve extension");
        attempt(&mut events, &mut facts, &officer("urenco"), Change::Acknowledged).expect("ack");
        attempt(
            &mut events,
            &mut facts,
            &officer("urenco"),
            Change::ResultSubmitted { summary: "Xong".into(), photos: Vec::new() },
        )
        .expect("result");
        assert!(facts.result_submitted_at > Some(at(3)), "after the original deadline");
        assert_eq!(facts.result_on_time(), Some(true), "on time against the extended deadline");
    }

    #[test]
    fn verification_calls_come_due_and_callbacks_move_them() {
        let (mut events, mut facts) = submitted();
        attempt(
            &mut events,
            &mut facts,
            &Actor::new(ActorRole::Coordinator),
            Change::VerificationRequested { note: "Xác minh".into() },
        )
        .expect("request");
        assert_eq!(facts.verification_due, Some(at(1)));
        let call =
            |outcome, callback_at| Change::CallLogged { direction: CallDirection::Outbound, outcome, callback_at };
        let operator = Actor::new(ActorRole::Operator);
        attempt(&mut events, &mut facts, &operator, call(CallOutcome::CallbackScheduled, Some(at(90))))
            .expect("callback");
        assert_eq!(facts.verification_due, Some(at(90)));
        attempt(&mut events, &mut facts, &operator, call(CallOutcome::Confirmed, None)).expect("confirmed");
        assert_eq!(facts.verification_due, None);
        assert_eq!(facts.status, CaseStatus::Submitted, "calls do not move the case");
        assert!(events[1..].iter().all(|e| !e.public), "calls and requests stay internal");
        let coordinator = Actor::new(ActorRole::Coordinator);
        attempt(&mut events, &mut facts, &coordinator, Change::VerificationRequested { note: String::new() })
            .expect("again");
        let reject =
            Change::Rejected { reason: RejectReason::Inappropriate, duplicate_of: None, explanation: "x".into() };
        attempt(&mut events, &mut facts, &coordinator, reject).expect("reject");
        assert_eq!(facts.verification_due, None, "a rejected case leaves the call queue");
    }

    #[test]
    fn a_phoned_in_case_is_claimed_once_by_its_caller() {
        let event = CaseEvent {
            seq: 1,
            actor_role: ActorRole::Operator,
            actor_id: Some(3),
            occurred_at: at(0),
            from_status: None,
            to_status: CaseStatus::Submitted,
            public: true,
            change: Change::Submitted { channel: Channel::Hotline, area: None, terms: None },
        };
        let mut events = vec![event];
        let mut facts = CaseFacts::from_events(&events).expect("replay");
        assert_eq!(facts.reporter_account, None, "an operator is not the reporter");
        let caller = Actor { role: ActorRole::Citizen, account_id: Some(42), agency: None, agency_head: false };
        assert_eq!(
            attempt(&mut events, &mut facts, &caller, Change::Claimed { account_id: 41 }),
            Err(Refusal::NotTheReporter)
        );
        attempt(&mut events, &mut facts, &caller, Change::Claimed { account_id: 42 }).expect("claim");
        assert_eq!(facts.reporter_account, Some(42));
        let other = Actor { role: ActorRole::Citizen, account_id: Some(43), agency: None, agency_head: false };
        assert_eq!(
            attempt(&mut events, &mut facts, &other, Change::Claimed { account_id: 43 }),
            Err(Refusal::AlreadyClaimed)
        );
    }

    #[test]
    fn personal_data_is_erased_by_the_system_only_once_the_rules_allow() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let erase = |reason| Change::PersonalDataErased { reason, contact: true, call_numbers: 1, photos: 0 };
        let (mut events, mut facts) = submitted();
        assert_eq!(facts.finished_at, None);
        assert_eq!(
            attempt(&mut events, &mut facts, &Actor::system(), erase(ErasureReason::Retention)),
            Err(Refusal::WrongState),
            "an open case keeps its reporter's contact"
        );
        assert_eq!(
            attempt(&mut events, &mut facts, &coordinator, erase(ErasureReason::AccountClosed)),
            Err(Refusal::NotYourRole)
        );
        let reject = Change::Rejected {
            reason: RejectReason::OutOfArea,
            duplicate_of: None,
            explanation: "Ngoài địa bàn".into(),
        };
        attempt(&mut events, &mut facts, &coordinator, reject).expect("reject");
        let finished = facts.finished_at.expect("a rejected case is finished");
        assert_eq!(
            attempt(&mut events, &mut facts, &Actor::system(), erase(ErasureReason::InappropriatePhotos)),
            Err(Refusal::WrongState),
            "only an inappropriate report loses its photos early"
        );
        attempt(&mut events, &mut facts, &Actor::system(), erase(ErasureReason::Retention)).expect("erase");
        assert_eq!(facts.status, CaseStatus::Rejected);
        assert_eq!(facts.finished_at, Some(finished), "erasing does not move the start of retention");
        assert_eq!(facts.reporter_account, Some(7));
        attempt(&mut events, &mut facts, &Actor::system(), erase(ErasureReason::AccountClosed)).expect("unlink");
        assert_eq!(facts.reporter_account, None, "the case no longer names the closed account");
        assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts);
        assert!(!events.last().expect("event").public, "erasure is not a public step");
    }

    #[test]
    fn allowed_changes_offer_only_what_decide_accepts() {
        let (_, facts) = submitted();
        let coordinator = Actor::new(ActorRole::Coordinator);
        assert_eq!(
            allowed_changes(&facts, &coordinator),
            vec![ChangeKind::Accepted, ChangeKind::Rejected, ChangeKind::NoteAdded, ChangeKind::VerificationRequested]
        );
        assert!(allowed_changes(&facts, &Actor::new(ActorRole::Anonymous)).is_empty());
        assert!(allowed_changes(&facts, &officer("urenco")).is_empty());
    }

    #[test]
    fn screened_open_cases_take_support_from_citizens_devices_and_merges_only() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let neighbour = Actor { role: ActorRole::Citizen, account_id: Some(8), agency: None, agency_head: false };
        let anonymous = Actor::new(ActorRole::Anonymous);
        let support = |account_id| Change::Supported { account_id, merged_from: None };
        let (mut events, mut facts) = submitted();
        assert_eq!(
            attempt(&mut events, &mut facts, &neighbour, support(Some(8))),
            Err(Refusal::WrongState),
            "a report waiting for screening is not public yet"
        );
        attempt(&mut events, &mut facts, &coordinator, Change::Accepted { agency: "urenco".into(), deadline: at(10) })
            .expect("accept");
        assert_eq!(
            attempt(&mut events, &mut facts, &neighbour, support(Some(9))),
            Err(Refusal::NotYourRole),
            "a citizen supports in their own name only"
        );
        assert_eq!(attempt(&mut events, &mut facts, &anonymous, support(Some(8))), Err(Refusal::NotYourRole));
        assert_eq!(
            attempt(&mut events, &mut facts, &coordinator, support(Some(8))),
            Err(Refusal::NotYourRole),
            "staff move supporters only by merging"
        );
        assert_eq!(attempt(&mut events, &mut facts, &reporter(), support(Some(7))), Err(Refusal::OwnReport));
        assert_eq!(attempt(&mut events, &mut facts, &officer("urenco"), support(None)), Err(Refusal::NotYourRole));
        attempt(&mut events, &mut facts, &neighbour, support(Some(8))).expect("a neighbour supports");
        attempt(&mut events, &mut facts, &anonymous, support(None)).expect("a device supports");
        let moved = Change::Supported { account_id: Some(11), merged_from: Some(4) };
        attempt(&mut events, &mut facts, &coordinator, moved).expect("a merge moves a supporter");
        assert_eq!(
            attempt(
                &mut events,
                &mut facts,
                &coordinator,
                Change::Supported { account_id: Some(7), merged_from: Some(4) }
            ),
            Err(Refusal::OwnReport),
            "a merge never makes the reporter a supporter of their own case"
        );
        assert_eq!((facts.supporters, facts.status), (3, CaseStatus::Assigned), "support does not move the case");
        assert!(events[2..].iter().all(|e| !e.public), "who supports stays internal");
        assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts, "the count is the replay's");
        assert!(!allowed_changes(&facts, &neighbour).contains(&ChangeKind::Supported), "no staff button offers it");
    }

    #[test]
    fn finished_cases_take_no_support_and_a_merged_duplicate_names_its_original() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (mut events, mut facts) = submitted();
        let merge =
            Change::Rejected { reason: RejectReason::Duplicate, duplicate_of: Some(3), explanation: "Trùng".into() };
        attempt(&mut events, &mut facts, &coordinator, merge).expect("merge");
        assert_eq!(facts.merged_into, Some(3));
        let neighbour = Actor { role: ActorRole::Citizen, account_id: Some(8), agency: None, agency_head: false };
        assert_eq!(
            attempt(&mut events, &mut facts, &neighbour, Change::Supported { account_id: Some(8), merged_from: None }),
            Err(Refusal::WrongState)
        );
        let (mut events, mut facts) = submitted();
        let reject =
            Change::Rejected { reason: RejectReason::OutOfArea, duplicate_of: Some(3), explanation: "x".into() };
        attempt(&mut events, &mut facts, &coordinator, reject).expect("reject");
        assert_eq!(facts.merged_into, None, "only a duplicate points to an original");
        assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts);
    }

    /// A case whose result waits for the coordinator's review, reported on `channel` by `reporter`.
    fn in_review(channel: Channel, reporter: Option<i64>) -> (Vec<CaseEvent>, CaseFacts) {
        let (mut events, _) = submitted();
        events[0].change = Change::Submitted { channel, area: None, terms: None };
        events[0].actor_role = if reporter.is_some() { ActorRole::Citizen } else { ActorRole::Operator };
        events[0].actor_id = reporter;
        let mut facts = CaseFacts::from_events(&events).expect("replay");
        for (actor, change) in [
            (Actor::new(ActorRole::Coordinator), Change::Accepted { agency: "urenco".into(), deadline: at(100) }),
            (officer("urenco"), Change::Acknowledged),
            (officer("urenco"), Change::ResultSubmitted { summary: "Đã dọn xong".into(), photos: Vec::new() }),
        ] {
            attempt(&mut events, &mut facts, &actor, change).expect("step");
        }
        (events, facts)
    }

    #[test]
    fn the_approved_summary_becomes_the_public_answer_until_a_reopening() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (mut events, mut facts) = in_review(Channel::Web, Some(7));
        assert_eq!(events.last().expect("result").change.public_note(), None, "the officer's text stays internal");
        let approve = Change::ResultApproved { published: Some("Đã dọn sạch rác.".into()) };
        attempt(&mut events, &mut facts, &coordinator, approve).expect("approve");
        let approval = events.last().expect("approval");
        assert!(approval.public, "the approval is a public step");
        assert_eq!(approval.change.public_note(), Some("Đã dọn sạch rác."), "the edited text is its public note");
        assert_eq!(facts.published_result.as_deref(), Some("Đã dọn sạch rác."));
        let unsatisfied = Change::Rated { rating: Rating::Unsatisfied, comment: None, via: RatedVia::Account };
        attempt(&mut events, &mut facts, &reporter(), unsatisfied).expect("rate");
        let reopen = Change::Reopened { deadline: at(500), note: "Làm lại".into() };
        attempt(&mut events, &mut facts, &coordinator, reopen).expect("reopen");
        assert_eq!(facts.published_result, None, "a reopened case has no answer in force");
        assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts);
    }

    #[test]
    fn approvals_recorded_before_answers_were_published_still_read() {
        let old: Change = serde_json::from_str(r#"{"kind":"result_approved"}"#).expect("old approval");
        assert_eq!(old, Change::ResultApproved { published: None });
        assert_eq!(
            serde_json::to_string(&old).expect("write"),
            r#"{"kind":"result_approved"}"#,
            "same bytes, same hash"
        );
        let rated: Change =
            serde_json::from_str(r#"{"kind":"rated","rating":"satisfied","comment":null}"#).expect("old");
        assert_eq!(rated, Change::Rated { rating: Rating::Satisfied, comment: None, via: RatedVia::Account });
        assert_eq!(
            serde_json::to_string(&rated).expect("write"),
            r#"{"kind":"rated","rating":"satisfied","comment":null}"#
        );
    }

    #[test]
    fn an_anonymous_reporter_rates_by_receipt_and_a_caller_on_a_logged_call() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let approve = Change::ResultApproved { published: Some("Xong".into()) };
        let rate = |via| Change::Rated { rating: Rating::Satisfied, comment: None, via };
        let anonymous = Actor::new(ActorRole::Anonymous);
        let operator = Actor { role: ActorRole::Operator, account_id: Some(3), agency: None, agency_head: false };

        let (mut events, mut facts) = in_review(Channel::Web, None);
        assert!(!facts.phoned_in);
        assert_eq!(attempt(&mut events, &mut facts, &anonymous, rate(RatedVia::Receipt)), Err(Refusal::WrongState));
        attempt(&mut events, &mut facts, &coordinator, approve.clone()).expect("approve");
        assert_eq!(attempt(&mut events, &mut facts, &anonymous, rate(RatedVia::Account)), Err(Refusal::NotYourRole));
        assert_eq!(
            attempt(&mut events, &mut facts, &operator, rate(RatedVia::Call { call_id: 5 })),
            Err(Refusal::NotTheReporter),
            "a web report is rated by its reporter, not over the phone"
        );
        attempt(&mut events, &mut facts, &anonymous, rate(RatedVia::Receipt)).expect("rate by receipt");
        assert_eq!((facts.status, facts.rating), (CaseStatus::Closed, Some(Rating::Satisfied)));

        let (mut events, mut facts) = in_review(Channel::Hotline, None);
        assert!(facts.phoned_in);
        attempt(&mut events, &mut facts, &coordinator, approve).expect("approve");
        let approved_at = events.last().expect("approval").occurred_at;
        assert_eq!(facts.verification_due, Some(approved_at), "the hotline is to phone the caller for a rating");
        assert_eq!(attempt(&mut events, &mut facts, &operator, rate(RatedVia::Receipt)), Err(Refusal::NotYourRole));
        assert_eq!(
            attempt(&mut events, &mut facts, &coordinator, rate(RatedVia::Call { call_id: 5 })),
            Err(Refusal::NotYourRole)
        );
        attempt(&mut events, &mut facts, &operator, rate(RatedVia::Call { call_id: 5 })).expect("rate on a call");
        assert_eq!(facts.verification_due, None, "a rated result needs no more calls");
        assert_eq!(
            attempt(&mut events, &mut facts, &operator, rate(RatedVia::Call { call_id: 6 })),
            Err(Refusal::WrongState),
            "one rating per result"
        );
        assert_eq!(facts.rating, Some(Rating::Satisfied));
        assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts);
    }

    #[test]
    fn a_question_to_the_reporter_moves_the_deadline_and_waits_for_one_answer() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let ask = |m| Change::InformationRequested {
            question: "Ở số nhà nào?".into(),
            pause_ends: at(m),
            deadline: at(m + 50),
        };
        let answer = |via, m| Change::InformationProvided { answer: "Số 12".into(), deadline: at(m), via };
        let (mut events, mut facts) = submitted();
        assert_eq!(
            attempt(&mut events, &mut facts, &coordinator, ask(10)),
            Err(Refusal::WrongState),
            "no deadline yet"
        );
        attempt(&mut events, &mut facts, &coordinator, Change::Accepted { agency: "urenco".into(), deadline: at(30) })
            .expect("accept");
        assert_eq!(
            attempt(&mut events, &mut facts, &reporter(), answer(RatedVia::Account, 31)),
            Err(Refusal::NoOpenQuestion)
        );
        assert_eq!(attempt(&mut events, &mut facts, &officer("vnpt"), ask(10)), Err(Refusal::NotYourAgency));
        attempt(&mut events, &mut facts, &officer("urenco"), ask(10)).expect("ask");
        let asked = events.last().expect("question");
        assert!(asked.public, "the public sees that the clock stands still");
        assert_eq!(facts.deadline, Some(at(60)), "the deadline moved by the whole pause meanwhile");
        assert_eq!(facts.open_question.map(|q| (q.pause_ends, q.deadline_before)), Some((at(10), at(30))));
        assert_eq!(attempt(&mut events, &mut facts, &coordinator, ask(12)), Err(Refusal::QuestionOpen));
        assert_eq!(
            allowed_changes(&facts, &reporter()),
            vec![ChangeKind::InformationProvided],
            "the reporter's view offers the answer"
        );
        let stranger = Actor { role: ActorRole::Citizen, account_id: Some(8), agency: None, agency_head: false };
        assert_eq!(
            attempt(&mut events, &mut facts, &stranger, answer(RatedVia::Account, 35)),
            Err(Refusal::NotTheReporter)
        );
        let operator = Actor { role: ActorRole::Operator, account_id: Some(3), agency: None, agency_head: false };
        assert_eq!(
            attempt(&mut events, &mut facts, &operator, answer(RatedVia::Call { call_id: 4 }, 35)),
            Err(Refusal::NotTheReporter),
            "a web report is answered by its reporter"
        );
        attempt(&mut events, &mut facts, &reporter(), answer(RatedVia::Account, 35)).expect("answer");
        assert_eq!((facts.deadline, facts.open_question), (Some(at(35)), None));
        assert_eq!(
            attempt(&mut events, &mut facts, &reporter(), answer(RatedVia::Account, 36)),
            Err(Refusal::NoOpenQuestion),
            "one answer per question"
        );
        // The agency may ask again; its result ends the wait.
        attempt(&mut events, &mut facts, &coordinator, ask(20)).expect("ask again");
        attempt(&mut events, &mut facts, &officer("urenco"), Change::Acknowledged).expect("ack");
        attempt(
            &mut events,
            &mut facts,
            &officer("urenco"),
            Change::ResultSubmitted { summary: "Xong".into(), photos: Vec::new() },
        )
        .expect("result");
        assert_eq!((facts.open_question, facts.result_deadline), (None, Some(at(70))));
        assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts);
    }

    fn head(agency: &str) -> Actor {
        Actor { account_id: Some(30), agency_head: true, ..officer(agency) }
    }

    fn give(account_id: i64) -> Change {
        Change::Assigned { account_id }
    }

    #[test]
    fn a_head_assigns_and_reassigns_inside_the_agency_while_it_holds_the_case() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (mut events, mut facts) = submitted();
        assert_eq!(
            attempt(&mut events, &mut facts, &head("urenco"), give(20)),
            Err(Refusal::NotYourAgency),
            "no agency holds a case before routing"
        );
        let accept = Change::Accepted { agency: "urenco".into(), deadline: at(100) };
        attempt(&mut events, &mut facts, &coordinator, accept).expect("accept");
        assert_eq!(facts.assignee, None, "a routed case starts unheld");
        assert!(allowed_changes(&facts, &head("urenco")).contains(&ChangeKind::Assigned));
        assert_eq!(attempt(&mut events, &mut facts, &head("vnpt"), give(20)), Err(Refusal::NotYourAgency));
        assert_eq!(attempt(&mut events, &mut facts, &coordinator, give(20)), Err(Refusal::NotYourRole));
        attempt(&mut events, &mut facts, &head("urenco"), give(20)).expect("assign");
        assert_eq!(
            (facts.assignee, facts.status),
            (Some(20), CaseStatus::Assigned),
            "assigning does not move the case"
        );
        assert!(!events.last().expect("assignment").public, "who holds a case stays internal");
        assert_eq!(
            attempt(&mut events, &mut facts, &head("urenco"), give(20)),
            Err(Refusal::AlreadyAssigned),
            "giving a case to its holder again changes nothing"
        );
        attempt(&mut events, &mut facts, &officer("urenco"), Change::Acknowledged).expect("acknowledge");
        attempt(&mut events, &mut facts, &head("urenco"), give(21)).expect("reassign while in progress");
        assert_eq!(facts.assignee, Some(21));
        let result = Change::ResultSubmitted { summary: "Xong".into(), photos: Vec::new() };
        attempt(&mut events, &mut facts, &officer("urenco"), result).expect("result");
        assert_eq!(
            attempt(&mut events, &mut facts, &head("urenco"), give(20)),
            Err(Refusal::WrongState),
            "not while the coordinator reviews the result"
        );
        assert_eq!(facts.assignee, Some(21), "its holder keeps it through the review");
        assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts);
    }

    #[test]
    fn an_officer_takes_only_an_unheld_case_and_only_for_themselves() {
        let (mut events, mut facts) = submitted();
        let accept = Change::Accepted { agency: "urenco".into(), deadline: at(100) };
        attempt(&mut events, &mut facts, &Actor::new(ActorRole::Coordinator), accept).expect("accept");
        let me = officer("urenco");
        let colleague = Actor { account_id: Some(21), ..officer("urenco") };
        assert_eq!(
            attempt(&mut events, &mut facts, &me, give(21)),
            Err(Refusal::NotAgencyHead),
            "an officer gives no work to others"
        );
        assert!(allowed_changes(&facts, &me).contains(&ChangeKind::Assigned), "an unheld case may be taken");
        attempt(&mut events, &mut facts, &me, give(20)).expect("take");
        assert_eq!(facts.assignee, Some(20));
        assert_eq!(attempt(&mut events, &mut facts, &colleague, give(21)), Err(Refusal::AlreadyAssigned));
        assert!(!allowed_changes(&facts, &colleague).contains(&ChangeKind::Assigned), "nothing left to take");
        assert!(!allowed_changes(&facts, &me).contains(&ChangeKind::Assigned));
        assert!(
            allowed_changes(&facts, &head("urenco")).contains(&ChangeKind::Assigned),
            "a head may still give it to someone else"
        );
        assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts);
    }

    #[test]
    fn a_case_leaving_its_agency_leaves_its_holder_behind() {
        let coordinator = Actor::new(ActorRole::Coordinator);
        let (mut events, mut facts) = submitted();
        attempt(&mut events, &mut facts, &coordinator, Change::Accepted { agency: "vnpt".into(), deadline: at(10) })
            .expect("accept");
        attempt(&mut events, &mut facts, &officer("vnpt"), give(20)).expect("take");
        attempt(&mut events, &mut facts, &officer("vnpt"), Change::Returned { reason: "Của Viettel".into() })
            .expect("return");
        assert_eq!(facts.assignee, None, "a returned case is nobody's");
        attempt(&mut events, &mut facts, &coordinator, Change::Accepted { agency: "viettel".into(), deadline: at(20) })
            .expect("reroute");
        assert_eq!(facts.assignee, None);
        assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts);
    }

    #[test]
    fn facts_stored_before_assignments_read_as_unheld() {
        let (_, facts) = submitted();
        let mut stored = serde_json::to_value(&facts).expect("facts");
        stored.as_object_mut().expect("an object").remove("assignee");
        let read: CaseFacts = serde_json::from_value(stored).expect("old facts");
        assert_eq!(read.assignee, None);
        let actor: Actor =
            serde_json::from_str(r#"{"role":"officer","account_id":3,"agency":"urenco"}"#).expect("actor");
        assert!(!actor.agency_head);
    }

    fn any_actor() -> impl Strategy<Value = Actor> {
        prop_oneof![
            Just(Actor::new(ActorRole::Anonymous)),
            Just(reporter()),
            Just(Actor { role: ActorRole::Citizen, account_id: Some(8), agency: None, agency_head: false }),
            Just(Actor::new(ActorRole::Operator)),
            Just(Actor { role: ActorRole::Citizen, account_id: Some(8), agency: None, agency_head: false }),
            Just(Actor::new(ActorRole::Coordinator)),
            Just(officer("urenco")),
            Just(officer("vnpt")),
            Just(head("urenco")),
            Just(Actor::new(ActorRole::Leader)),
            Just(Actor::new(ActorRole::Admin)),
            Just(Actor::system()),
        ]
    }

    fn any_change() -> impl Strategy<Value = Change> {
        let agency = prop_oneof![Just("urenco".to_string()), Just("vnpt".to_string())];
        let rating = prop_oneof![Just(Rating::Satisfied), Just(Rating::Acceptable), Just(Rating::Unsatisfied)];
        let reason = proptest::sample::select(RejectReason::ALL.to_vec());
        prop_oneof![
            (agency, 0i64..100).prop_map(|(agency, m)| Change::Accepted { agency, deadline: at(m) }),
            (reason, proptest::option::of(1i64..5)).prop_map(|(reason, duplicate_of)| Change::Rejected {
                reason,
                duplicate_of,
                explanation: "Lý do".into()
            }),
            Just(Change::Acknowledged),
            any::<bool>().prop_map(|public| Change::NoteAdded { text: "Ghi chú".into(), public }),
            (1u16..5).prop_map(|days| Change::ExtensionRequested { days, reason: "Mưa".into() }),
            (any::<bool>(), 0i64..200).prop_map(|(approved, m)| Change::ExtensionDecided {
                approved,
                deadline: approved.then(|| at(m)),
                note: String::new()
            }),
            Just(Change::ResultSubmitted { summary: "Xong".into(), photos: Vec::new() }),
            Just(Change::Returned { reason: "Không thuộc thẩm quyền".into() }),
            Just(Change::ResultApproved { published: None }),
            Just(Change::SentBack { note: "Chưa đạt".into() }),
            (
                rating,
                prop_oneof![Just(RatedVia::Account), Just(RatedVia::Receipt), Just(RatedVia::Call { call_id: 1 })]
            )
                .prop_map(|(rating, via)| Change::Rated { rating, comment: None, via }),
            any::<bool>().prop_map(|expired| Change::Closed { note: None, expired }),
            (0i64..200).prop_map(|m| Change::Reopened { deadline: at(m), note: "Làm lại".into() }),
            Just(Change::Submitted { channel: Channel::Web, area: None, terms: None }),
            Just(Change::VerificationRequested { note: "Gọi xác minh".into() }),
            proptest::sample::select(CallOutcome::OUTBOUND.to_vec()).prop_map(|outcome| Change::CallLogged {
                direction: CallDirection::Outbound,
                outcome,
                callback_at: Some(at(500))
            }),
            prop_oneof![Just(7i64), Just(8i64)].prop_map(|account_id| Change::Claimed { account_id }),
            (proptest::option::of(prop_oneof![Just(7i64), Just(8i64)]), proptest::option::of(1i64..5))
                .prop_map(|(account_id, merged_from)| Change::Supported { account_id, merged_from }),
            prop_oneof![Just(20i64), Just(21i64), Just(30i64)].prop_map(|account_id| Change::Assigned { account_id }),
            (
                prop_oneof![
                    Just(ErasureReason::Retention),
                    Just(ErasureReason::AccountClosed),
                    Just(ErasureReason::InappropriatePhotos)
                ],
                any::<bool>(),
                0u32..3
            )
                .prop_map(|(reason, contact, photos)| Change::PersonalDataErased {
                    reason,
                    contact,
                    call_numbers: 0,
                    photos
                }),
            (0i64..200, 0i64..200).prop_map(|(ends, m)| Change::InformationRequested {
                question: "Ở đâu?".into(),
                pause_ends: at(ends),
                deadline: at(m)
            }),
            (
                0i64..200,
                prop_oneof![Just(RatedVia::Account), Just(RatedVia::Receipt), Just(RatedVia::Call { call_id: 1 })]
            )
                .prop_map(|(m, via)| Change::InformationProvided {
                    answer: "Số 12".into(),
                    deadline: at(m),
                    via
                }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn no_sequence_of_changes_leaves_the_lifecycle(steps in proptest::collection::vec((any_actor(), any_change()), 0..60)) {
            let (mut events, mut facts) = submitted();
            for (actor, change) in steps {
                let before = facts.status;
                if attempt(&mut events, &mut facts, &actor, change).is_ok() && facts.status != before {
                    prop_assert!(LIFECYCLE.contains(&(before, facts.status)), "{before:?} -> {:?}", facts.status);
                }
                prop_assert_eq!(replay(&events), Ok(facts.status));
                for kind in allowed_changes(&facts, &actor) {
                    prop_assert!(role_may_ask(actor.role, kind), "{:?} may make {kind:?}", actor.role);
                }
                prop_assert_eq!(&CaseFacts::from_events(&events).expect("replay"), &facts);
                if matches!(facts.status, CaseStatus::Rejected | CaseStatus::Closed) {
                    let allowed = allowed_changes(&facts, &actor);
                    prop_assert!(
                        allowed.iter().all(|k| *k == ChangeKind::CallLogged),
                        "a finished case takes no changes but the hotline's call log: {allowed:?}"
                    );
                }
            }
        }
    }
}
