//! Server functions of the case workflow: the staff queues, a case as staff see it, and every change to it.

use crate::codec::FieldJson;
use crate::error::AppError;
pub use domain::alerts::{Notice, NoticeReason};
use domain::case::{CaseEvent, PublicCase};
use domain::case::{CaseSummary, QueueCursor};
use domain::catalogue::Agency;
use domain::contact::ReporterContact;
use domain::validation::{Field, Reason, ValidationError};
use domain::workflow::{CaseFacts, ChangeKind, Rating, RejectReason};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A change as a person asks for it; the server adds what it decides (deadlines, the actor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ChangeRequest {
    Accept {
        agency: String,
    },
    Reject {
        reason: RejectReason,
        duplicate_of: Option<i64>,
        explanation: String,
    },
    Acknowledge,
    AddNote {
        text: String,
        public: bool,
    },
    RequestExtension {
        days: u16,
        reason: String,
    },
    DecideExtension {
        approved: bool,
        note: String,
    },
    SubmitResult {
        summary: String,
        /// Ids of photos uploaded beforehand, as proof of the result.
        #[serde(default)]
        photos: Vec<String>,
    },
    Return {
        reason: String,
    },
    /// `published` is the result's summary as the coordinator approves it, their edit if any;
    /// empty publishes the officer's summary as submitted.
    ApproveResult {
        #[serde(default)]
        published: String,
    },
    SendBack {
        note: String,
    },
    Rate {
        rating: Rating,
        comment: String,
    },
    Close {
        note: String,
    },
    Reopen {
        note: String,
    },
    RequestVerification {
        note: String,
    },
    /// Asks the reporter `question`; the deadline stands still for at most `days` working days.
    RequestInformation {
        question: String,
        days: u16,
    },
    /// The signed-in reporter's answer to the question waiting for one.
    ProvideInformation {
        answer: String,
    },
    /// A head of the lead agency gives the case to `assignee`, one of its officers; again to
    /// someone else, reassigning it.
    Assign {
        assignee: i64,
    },
    /// An officer of the lead agency takes a case nobody holds.
    Take,
}

impl ChangeRequest {
    /// The kind of change asked for, known before any of its text is read.
    pub fn kind(&self) -> ChangeKind {
        match self {
            ChangeRequest::Accept { .. } => ChangeKind::Accepted,
            ChangeRequest::Reject { .. } => ChangeKind::Rejected,
            ChangeRequest::Acknowledge => ChangeKind::Acknowledged,
            ChangeRequest::AddNote { .. } => ChangeKind::NoteAdded,
            ChangeRequest::RequestExtension { .. } => ChangeKind::ExtensionRequested,
            ChangeRequest::DecideExtension { .. } => ChangeKind::ExtensionDecided,
            ChangeRequest::SubmitResult { .. } => ChangeKind::ResultSubmitted,
            ChangeRequest::Return { .. } => ChangeKind::Returned,
            ChangeRequest::ApproveResult { .. } => ChangeKind::ResultApproved,
            ChangeRequest::SendBack { .. } => ChangeKind::SentBack,
            ChangeRequest::Rate { .. } => ChangeKind::Rated,
            ChangeRequest::Close { .. } => ChangeKind::Closed,
            ChangeRequest::Reopen { .. } => ChangeKind::Reopened,
            ChangeRequest::RequestVerification { .. } => ChangeKind::VerificationRequested,
            ChangeRequest::RequestInformation { .. } => ChangeKind::InformationRequested,
            ChangeRequest::ProvideInformation { .. } => ChangeKind::InformationProvided,
            ChangeRequest::Assign { .. } | ChangeRequest::Take => ChangeKind::Assigned,
        }
    }
}

/// Written text that goes with a change: 1 to 2,000 characters after normalisation.
pub fn parse_note(raw: &str, field: Field) -> Result<String, ValidationError> {
    domain::text::clean_text(raw, 1, 2000, domain::text::Lines::Multi)
        .map_err(|reason| ValidationError::new(field, reason))
}

/// Extensions ask for 1 to 30 working days.
pub fn parse_extension_days(days: u16) -> Result<u16, ValidationError> {
    if (1..=30).contains(&days) {
        Ok(days)
    } else {
        Err(ValidationError::new(Field::Days, Reason::OutOfRange))
    }
}

/// What the server suggests to the coordinator screening a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestions {
    /// The pin lies outside every active served area.
    pub out_of_area: bool,
    /// Cases of the same category nearby and recent: (case number, title, distance in metres).
    pub possible_duplicates: Vec<(i64, String, u32)>,
    /// The lead agency the routing table names for the case's category and area.
    pub agency: Option<String>,
}

/// A case in a staff queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub case: CaseSummary,
    pub overdue: bool,
    pub suggestions: Option<Suggestions>,
    /// In an agency's queue, the name of the officer holding the case; `None` while nobody does.
    #[serde(default)]
    pub assignee: Option<String>,
}

/// One page of a staff queue, and where the next one starts; `None` on the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub next: Option<QueueCursor>,
}

/// The staff queue a case belongs to for the person working it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueKind {
    Screening,
    Review,
    Agency,
}

impl QueueKind {
    /// The page that lists this queue.
    pub fn path(self) -> &'static str {
        match self {
            QueueKind::Screening => "/staff/screening",
            QueueKind::Review => "/staff/review",
            QueueKind::Agency => "/staff/agency",
        }
    }
}

/// The case that follows this one in the queue its reader works, so the next is one click away.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextCase {
    pub id: i64,
    pub title: String,
    pub queue: QueueKind,
}

/// A case as staff see it: the public view, the facts, the whole timeline and what they may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffCase {
    pub public: PublicCase,
    pub facts: CaseFacts,
    pub events: Vec<CaseEvent>,
    pub allowed: Vec<ChangeKind>,
    /// Only operators and coordinators see the reporter's contact.
    pub contact: Option<ReporterContact>,
    pub suggestions: Option<Suggestions>,
    pub agencies: Vec<Agency>,
    pub overdue: bool,
    /// Every photo of the report and its results, whatever the status: staff screen them.
    #[serde(default)]
    pub photos: Vec<domain::photos::CasePhoto>,
    /// The pin lies outside every served area, as the server found when the case arrived.
    #[serde(default)]
    pub out_of_area: bool,
    /// The queue this reader works this case in: a coordinator's screening or review, an
    /// officer's agency; `None` for the roles that work no queue.
    #[serde(default)]
    pub queue: Option<QueueKind>,
    /// The case after this one in that queue; `None` when no other case waits in it.
    #[serde(default)]
    pub next_case: Option<NextCase>,
    /// The officers of the lead agency, and whoever else held the case: the names its holder and
    /// its assignments show with, and, for a head of the agency, whom it may be given to.
    #[serde(default)]
    pub officers: Vec<domain::account::AgencyOfficer>,
    /// Whether the reader heads the lead agency: they give the case to its officers, where
    /// another officer may only take it.
    #[serde(default)]
    pub heads_agency: bool,
}

/// A case for staff; officers see only their agency's cases.
#[server(prefix = "/api", endpoint = "staff/case", input = GetUrl, output = crate::codec::JsonText)]
pub async fn get_staff_case(id: i64) -> Result<StaffCase, AppError> {
    server::staff_case(id).await
}

/// Applies a change to a case at `version`; answers with the facts after it, or a conflict with the fresh ones.
#[server(prefix = "/api", endpoint = "staff/change", input = FieldJson, output = crate::codec::JsonText)]
pub async fn change_case(id: i64, version: u32, request: ChangeRequest) -> Result<CaseFacts, AppError> {
    server::change_case(id, version, request).await
}

/// New cases waiting for screening, oldest first, with suggestions.
/// A page at a time: the first, or the one after the case `after_id` whose sort key is `after_at`;
/// with `q`, only the cases whose text holds its words (typed as in any search box).
#[server(prefix = "/api", endpoint = "staff/screening", input = GetUrl, output = crate::codec::JsonText)]
pub async fn screening_queue(
    after_at: Option<chrono::DateTime<chrono::Utc>>,
    after_id: Option<i64>,
    q: Option<String>,
) -> Result<QueuePage, AppError> {
    server::screening_queue(after_id.map(|id| QueueCursor { at: after_at, id }), q.as_deref().unwrap_or_default()).await
}

/// Results to review, extension requests to decide, and unsatisfied ratings to act on.
/// A page at a time: the first, or the one after the case `after_id` whose sort key is `after_at`;
/// with `q`, only the cases whose text holds its words.
#[server(prefix = "/api", endpoint = "staff/review", input = GetUrl, output = crate::codec::JsonText)]
pub async fn review_queue(
    after_at: Option<chrono::DateTime<chrono::Utc>>,
    after_id: Option<i64>,
    q: Option<String>,
) -> Result<QueuePage, AppError> {
    server::review_queue(after_id.map(|id| QueueCursor { at: after_at, id }), q.as_deref().unwrap_or_default()).await
}

/// The officer's agency's open cases, earliest deadline first, each with who holds it.
/// A page at a time: the first, or the one after the case `after_id` whose sort key is `after_at`;
/// with `q`, only the cases whose text holds its words; with `mine`, only those the reader holds.
#[server(prefix = "/api", endpoint = "staff/agency", input = GetUrl, output = crate::codec::JsonText)]
pub async fn agency_queue(
    after_at: Option<chrono::DateTime<chrono::Utc>>,
    after_id: Option<i64>,
    q: Option<String>,
    mine: Option<bool>,
) -> Result<QueuePage, AppError> {
    let after = after_id.map(|id| QueueCursor { at: after_at, id });
    server::agency_queue(after, q.as_deref().unwrap_or_default(), mine.unwrap_or(false)).await
}

/// The signed-in citizen's reports with their public timelines, newest first.
#[server(prefix = "/api", endpoint = "my/reports", input = GetUrl, output = crate::codec::JsonText)]
pub async fn my_reports() -> Result<Vec<(PublicCase, CaseFacts)>, AppError> {
    server::my_reports().await
}

/// Notices for the signed-in person, newest first; reading them marks them read.
#[server(prefix = "/api", endpoint = "my/notices", input = GetUrl, output = crate::codec::JsonText)]
pub async fn my_notices() -> Result<Vec<Notice>, AppError> {
    server::my_notices().await
}

/// The reporter of an anonymous report rates its approved result through the private receipt link
/// the report form gave them. Only the link's holder may: a token that names no case answers 404.
#[server(prefix = "/api", endpoint = "receipt/rate", input = FieldJson, output = crate::codec::JsonText)]
pub async fn rate_by_receipt(token: String, rating: Rating, comment: String) -> Result<CaseFacts, AppError> {
    server::rate_by_receipt(token, rating, comment).await
}

/// The reporter of an anonymous report answers the question waiting for them through the private
/// receipt link; the deadline runs again. A token that names no case answers 404.
#[server(prefix = "/api", endpoint = "receipt/answer", input = FieldJson, output = crate::codec::JsonText)]
pub async fn answer_by_receipt(token: String, answer: String) -> Result<CaseFacts, AppError> {
    server::answer_by_receipt(token, answer).await
}

#[cfg(feature = "ssr")]
pub use server::{answered_deadline, refresh_index, store_failed};

#[cfg(feature = "ssr")]
mod server {
    //! The server's half of the workflow: authorization, deadlines, and optimistic appends.

    use super::*;
    use crate::access_log::record_access;
    use crate::auth::require_account;
    use crate::error::with_status;
    use crate::request::request_lang;
    use chrono::{DateTime, Duration, Utc};
    use domain::access_log::{AccessPurpose, AccessSubject};
    use domain::account::{Account, CaseScope};
    use domain::case::{ActorRole, CaseAccess, CaseStatus};
    use domain::deadline::HolidayCalendar;
    use domain::workflow::{allowed_changes, role_may_ask, Actor, Change, RatedVia, Refusal};
    use services::changes::apply_change;
    use services::store::{CaseQuery, EscalationPlace, StaffQueue, Store, StoreError};
    use services::visibility::{seen_case, SeenCase};
    use services::{ScreeningRules, ServerContext};

    const QUEUE_LIMIT: u32 = 500;
    /// Cases on one page of a staff queue; the page links to the next.
    const QUEUE_PAGE: u32 = 100;

    pub fn store_failed(error: StoreError) -> AppError {
        failed(error)
    }

    fn failed(error: StoreError) -> AppError {
        match error {
            StoreError::Missing(_) => with_status(AppError::NotFound),
            other => {
                tracing::error!(error = %other, "storage failed");
                with_status(AppError::Unavailable)
            }
        }
    }

    fn forbidden() -> AppError {
        with_status(AppError::Forbidden)
    }

    async fn calendar(store: &dyn Store) -> Result<HolidayCalendar, AppError> {
        Ok(HolidayCalendar::new(store.holidays().await.map_err(failed)?.into_iter().map(|h| h.date)))
    }

    async fn category_days(store: &dyn Store, category: &str) -> Result<u16, AppError> {
        let categories = store.categories().await.map_err(failed)?;
        categories.iter().find(|c| c.code == category).map(|c| c.deadline_days).ok_or_else(|| {
            tracing::error!(category, "case category missing from the catalogue");
            with_status(AppError::Unavailable)
        })
    }

    fn distance_metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let (lat1, lon1, lat2, lon2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
        let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
        2.0 * 6_371_000.0 * h.sqrt().asin()
    }

    /// What the server suggests to `account` screening `case`: possible duplicates come from the
    /// account's own scope only, so no other area's titles show.
    async fn suggestions_for(
        store: &dyn Store,
        rules: &ScreeningRules,
        account: &Account,
        case: &CaseSummary,
    ) -> Result<Suggestions, AppError> {
        let scope = account.scope();
        let degrees_lat = rules.duplicate_radius_metres / 111_000.0;
        let degrees_lon = degrees_lat / case.lat.to_radians().cos().max(0.01);
        let near = CaseQuery::Near {
            category: case.category_code.clone(),
            south: case.lat - degrees_lat,
            north: case.lat + degrees_lat,
            west: case.lon - degrees_lon,
            east: case.lon + degrees_lon,
            since: case.submitted_at - Duration::days(rules.duplicate_window_days),
            until: case.submitted_at + Duration::days(rules.duplicate_window_days),
        };
        let possible_duplicates = store
            .list_cases(&near, 20)
            .await
            .map_err(failed)?
            .into_iter()
            .filter(|other| other.id != case.id && other.facts.status != CaseStatus::Rejected)
            .filter(|other| scope.covers(other.area_code.as_deref()))
            .map(|other| {
                let metres = distance_metres((case.lat, case.lon), (other.lat, other.lon));
                (other.id, other.title, metres.round() as u32)
            })
            .filter(|(_, _, metres)| f64::from(*metres) <= rules.duplicate_radius_metres)
            .collect();
        // The route as it stood when the case arrived: routing changes apply to new cases only.
        let agency = match (&case.facts.terms, &case.area_code) {
            (Some(terms), _) => terms.agency.clone(),
            (None, Some(area)) => store.route_for(&case.category_code, area).await.map_err(failed)?,
            (None, None) => None,
        };
        Ok(Suggestions { out_of_area: case.area_code.is_none(), possible_duplicates, agency })
    }

    fn summary_of(public: &PublicCase, area_code: Option<String>, facts: &CaseFacts) -> CaseSummary {
        CaseSummary {
            id: public.id,
            title: public.title.clone(),
            category_code: public.category_code.clone(),
            area_code,
            channel: public.channel,
            lat: public.lat,
            lon: public.lon,
            submitted_at: public.submitted_at,
            facts: facts.clone(),
        }
    }

    /// The roles that open cases as staff.
    const STAFF_ROLES: [ActorRole; 5] =
        [ActorRole::Operator, ActorRole::Coordinator, ActorRole::Officer, ActorRole::Leader, ActorRole::Admin];

    fn not_found() -> AppError {
        with_status(AppError::NotFound)
    }

    pub async fn staff_case(id: i64) -> Result<StaffCase, AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        if !STAFF_ROLES.contains(&account.role) {
            return Err(forbidden());
        }
        let store = context.store.as_ref();
        // A case outside the account's reach answers as a missing one: nothing about it shows.
        let seen = seen_case(store, id, Some(&account), None).await?.filter(|s| s.access == CaseAccess::Staff);
        let seen = seen.ok_or_else(not_found)?;
        let area_code = seen.area().map(str::to_string);
        let SeenCase { events, facts, .. } = seen;
        let public = store.public_case(id).await.map_err(failed)?.ok_or_else(not_found)?;
        let summary = summary_of(&public, area_code.clone(), &facts);
        let queue = queue_of(&account, &summary, &events);
        let next_case = match &queue {
            Some((queue, kind)) => next_in_queue(store, queue, *kind, &summary).await?,
            None => None,
        };
        let contact = if matches!(account.role, ActorRole::Operator | ActorRole::Coordinator) {
            store.reporter_contact(id).await.map_err(failed)?
        } else {
            None
        };
        // Seen only once recorded: a contact whose view cannot be logged is not shown.
        if contact.as_ref().is_some_and(|c| c.name.is_some() || c.phone.is_some() || c.email.is_some()) {
            let subjects = vec![AccessSubject::case(id)];
            record_access(store, &account, AccessPurpose::StaffCase, subjects).await?;
        }
        let suggestions = if account.role == ActorRole::Coordinator && facts.status == CaseStatus::Submitted {
            Some(suggestions_for(store, &context.screening, &account, &summary).await?)
        } else {
            None
        };
        let agencies = store.agencies().await.map_err(failed)?.into_iter().filter(|a| a.active).collect();
        let photos = store.case_photos(id).await.map_err(failed)?;
        let held = events.iter().filter_map(|event| match event.change {
            Change::Assigned { account_id } => Some(account_id),
            _ => None,
        });
        let officers =
            services::assignment::officers_named(store, facts.lead_agency.as_deref(), held.collect::<Vec<_>>())
                .await
                .map_err(failed)?;
        let heads_agency = account.agency_head
            && account.agency.is_some()
            && account.agency.as_deref() == facts.lead_agency.as_deref();
        Ok(StaffCase {
            officers,
            heads_agency,
            photos,
            out_of_area: area_code.is_none(),
            queue: queue.map(|(_, kind)| kind),
            next_case,
            overdue: facts.overdue_at(Utc::now()),
            allowed: allowed_changes(&facts, &account.actor()),
            public,
            facts,
            events,
            contact,
            suggestions,
            agencies,
        })
    }

    /// The queue `account` works `case` in: an officer their agency's; a coordinator the review
    /// queue for what awaits review or what they last did there, screening otherwise.
    fn queue_of(account: &Account, case: &CaseSummary, events: &[CaseEvent]) -> Option<(StaffQueue, QueueKind)> {
        match account.role {
            ActorRole::Officer => {
                let agency = account.agency.clone()?;
                Some((StaffQueue::Agency { agency }, QueueKind::Agency))
            }
            ActorRole::Coordinator => {
                // A case just approved, sent back or closed has left the review queue; its last
                // event says that was the queue being worked.
                let reviewed_last = events.last().is_some_and(|event| {
                    matches!(
                        event.change.kind(),
                        ChangeKind::ResultApproved
                            | ChangeKind::SentBack
                            | ChangeKind::ExtensionDecided
                            | ChangeKind::Closed
                            | ChangeKind::Reopened
                    )
                });
                let areas = queue_areas(account);
                if case.facts.status != CaseStatus::Submitted && (case.facts.awaits_review() || reviewed_last) {
                    Some((StaffQueue::Review { areas }, QueueKind::Review))
                } else {
                    Some((StaffQueue::Screening { areas }, QueueKind::Screening))
                }
            }
            _ => None,
        }
    }

    /// The case after `case` in `queue`, in the queue's own order, or its first other case when
    /// none follows: at most three cases are read.
    async fn next_in_queue(
        store: &dyn Store,
        queue: &StaffQueue,
        kind: QueueKind,
        case: &CaseSummary,
    ) -> Result<Option<NextCase>, AppError> {
        let after = store.queue_page(queue, Some(queue.cursor_after(case)), 1).await.map_err(failed)?;
        let next = match after.into_iter().find(|other| other.id != case.id) {
            Some(next) => Some(next),
            None => {
                store.queue_page(queue, None, 2).await.map_err(failed)?.into_iter().find(|other| other.id != case.id)
            }
        };
        Ok(next.map(|next| NextCase { id: next.id, title: next.title, queue: kind }))
    }

    /// Turns a request into the change it asks for, checking its text and computing deadlines.
    async fn change_for(
        store: &dyn Store,
        account: &Account,
        id: i64,
        seen: &SeenCase,
        request: ChangeRequest,
        now: DateTime<Utc>,
    ) -> Result<Change, AppError> {
        let facts = &seen.facts;
        let invalid = |error: ValidationError| with_status(AppError::invalid(request_lang(), vec![error]));
        let note = |raw: &str, field| parse_note(raw, field).map_err(invalid);
        let optional = |raw: &str| if raw.trim().is_empty() { Ok(None) } else { note(raw, Field::Note).map(Some) };
        let routing_deadline = || async {
            // The category's deadline as it stood when the case arrived, for cases that record it.
            let days = match &facts.terms {
                Some(terms) => terms.deadline_days,
                None => {
                    let category =
                        store.public_case(id).await.map_err(failed)?.map(|c| c.category_code).unwrap_or_default();
                    category_days(store, &category).await?
                }
            };
            Ok::<_, AppError>(calendar(store).await?.deadline(now, days))
        };
        Ok(match request {
            ChangeRequest::Accept { agency } => {
                let agencies = store.agencies().await.map_err(failed)?;
                if !agencies.iter().any(|a| a.active && a.code == agency) {
                    return Err(invalid(ValidationError::new(Field::Agency, Reason::UnknownAgency)));
                }
                Change::Accepted { agency, deadline: routing_deadline().await? }
            }
            ChangeRequest::Reject { reason, duplicate_of, explanation } => {
                if let Some(original) = duplicate_of {
                    if original == id || store.case_status(original).await.map_err(failed)?.is_none() {
                        return Err(invalid(ValidationError::new(Field::DuplicateOf, Reason::UnknownCase)));
                    }
                }
                if reason == RejectReason::Duplicate && duplicate_of.is_none() {
                    return Err(invalid(ValidationError::new(Field::DuplicateOf, Reason::Required)));
                }
                let duplicate_of = if reason == RejectReason::Duplicate { duplicate_of } else { None };
                Change::Rejected { reason, duplicate_of, explanation: note(&explanation, Field::Reason)? }
            }
            ChangeRequest::Acknowledge => Change::Acknowledged,
            ChangeRequest::AddNote { text, public } => Change::NoteAdded { text: note(&text, Field::Note)?, public },
            ChangeRequest::RequestExtension { days, reason } => Change::ExtensionRequested {
                days: parse_extension_days(days).map_err(invalid)?,
                reason: note(&reason, Field::Reason)?,
            },
            ChangeRequest::DecideExtension { approved, note: text } => {
                let deadline = match (approved, facts.deadline, facts.pending_extension_days) {
                    (true, Some(current), Some(days)) => Some(calendar(store).await?.deadline(current, days)),
                    _ => None,
                };
                Change::ExtensionDecided { approved, deadline, note: optional(&text)?.unwrap_or_default() }
            }
            ChangeRequest::SubmitResult { summary, photos } => {
                let photos = domain::photos::parse_photo_ids(&photos)
                    .map_err(|reason| invalid(ValidationError::new(Field::Photos, reason)))?;
                // Checked here for a clear message; the store's foreign key refuses them again atomically.
                if !store.unknown_photos(&photos).await.map_err(failed)?.is_empty() {
                    return Err(invalid(ValidationError::new(Field::Photos, Reason::UnknownPhoto)));
                }
                Change::ResultSubmitted { summary: note(&summary, Field::Note)?, photos }
            }
            ChangeRequest::Return { reason } => Change::Returned { reason: note(&reason, Field::Reason)? },
            ChangeRequest::ApproveResult { published } => {
                let published = if published.trim().is_empty() {
                    submitted_summary(&seen.events).map(str::to_string)
                } else {
                    Some(note(&published, Field::Note)?)
                };
                Change::ResultApproved { published }
            }
            ChangeRequest::SendBack { note: text } => Change::SentBack { note: note(&text, Field::Note)? },
            ChangeRequest::Rate { rating, comment } => {
                Change::Rated { rating, comment: optional(&comment)?, via: RatedVia::Account }
            }
            ChangeRequest::Close { note: text } => {
                Change::Closed { note: Some(note(&text, Field::Note)?), expired: false }
            }
            ChangeRequest::RequestVerification { note: text } => {
                Change::VerificationRequested { note: optional(&text)?.unwrap_or_default() }
            }
            ChangeRequest::Reopen { note: text } => {
                Change::Reopened { deadline: routing_deadline().await?, note: note(&text, Field::Note)? }
            }
            ChangeRequest::RequestInformation { question, days } => {
                let days = domain::pause::PauseDays::parse(days).map_err(invalid)?;
                let question = note(&question, Field::Question)?;
                let refused = |refusal| with_status(AppError::Refused(refusal));
                let deadline = facts.deadline.ok_or_else(|| refused(Refusal::WrongState))?;
                let (pause_ends, deadline) = domain::pause::pause(&calendar(store).await?, deadline, now, days)
                    .ok_or_else(|| refused(Refusal::DeadlinePassed))?;
                Change::InformationRequested { question, pause_ends, deadline }
            }
            ChangeRequest::ProvideInformation { answer } => Change::InformationProvided {
                answer: note(&answer, Field::Answer)?,
                deadline: answered_deadline(store, facts, now).await?,
                via: RatedVia::Account,
            },
            ChangeRequest::Assign { assignee } => {
                // Whom the case may go to is the store's to say; who may give it, the state machine's.
                let agency = facts.lead_agency.as_deref().unwrap_or_default();
                if services::assignment::eligible_assignee(store, agency, assignee).await.map_err(failed)?.is_none() {
                    return Err(invalid(ValidationError::new(Field::Assignee, Reason::NotAnOfficerOfTheAgency)));
                }
                Change::Assigned { account_id: assignee }
            }
            ChangeRequest::Take => Change::Assigned { account_id: account.id },
        })
    }

    /// The deadline in force once the question waiting on `facts` is answered at `now`: the clock
    /// stood still from the question until now, the whole pause at most.
    pub async fn answered_deadline(
        store: &dyn Store,
        facts: &CaseFacts,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, AppError> {
        let question = facts.open_question.ok_or_else(|| with_status(AppError::Refused(Refusal::NoOpenQuestion)))?;
        Ok(domain::pause::resume(&calendar(store).await?, &question, now))
    }

    pub async fn answer_by_receipt(token: String, answer: String) -> Result<CaseFacts, AppError> {
        let context = crate::request::context()?;
        // The token is the caller's only credential: it is checked before the answer is read.
        let id = crate::api::case_of_receipt(&context, &token).await?;
        let store = context.store.as_ref();
        let answer = parse_note(&answer, Field::Answer)
            .map_err(|error| with_status(AppError::invalid(request_lang(), vec![error])))?;
        let seen = seen_case(store, id, None, Some(&crate::auth::token_hash(&token))).await?.ok_or_else(not_found)?;
        let now = Utc::now();
        let deadline = answered_deadline(store, &seen.facts, now).await?;
        let change = Change::InformationProvided { answer, deadline, via: RatedVia::Receipt };
        let facts = apply_change(store, id, seen.facts.version, &Actor::new(ActorRole::Anonymous), change, now).await?;
        tracing::info!(case_id = id, "question answered through the receipt link");
        refresh_index(&context, id).await;
        Ok(facts)
    }

    pub async fn rate_by_receipt(token: String, rating: Rating, comment: String) -> Result<CaseFacts, AppError> {
        let context = crate::request::context()?;
        // The token is the caller's only credential: it is checked before the comment is read.
        let id = crate::api::case_of_receipt(&context, &token).await?;
        let store = context.store.as_ref();
        let comment = if comment.trim().is_empty() {
            None
        } else {
            Some(
                parse_note(&comment, Field::Note)
                    .map_err(|error| with_status(AppError::invalid(request_lang(), vec![error])))?,
            )
        };
        let seen = seen_case(store, id, None, Some(&crate::auth::token_hash(&token))).await?.ok_or_else(not_found)?;
        let change = Change::Rated { rating, comment, via: RatedVia::Receipt };
        let facts =
            apply_change(store, id, seen.facts.version, &Actor::new(ActorRole::Anonymous), change, Utc::now()).await?;
        tracing::info!(case_id = id, "rated through the receipt link");
        refresh_index(&context, id).await;
        Ok(facts)
    }

    /// The summary of the latest result submitted: what an approval publishes unless edited.
    fn submitted_summary(events: &[CaseEvent]) -> Option<&str> {
        events.iter().rev().find_map(|event| match &event.change {
            Change::ResultSubmitted { summary, .. } => Some(summary.as_str()),
            _ => None,
        })
    }

    /// Authorizes first, in an order that reveals nothing: the role against the kind of change
    /// (403, before the case is read), then the case against the account (404 alike for a case
    /// out of reach and a missing one), and only then the request's text and the version. A
    /// conflict's fresh facts therefore go only to someone who may see the case.
    pub async fn change_case(id: i64, version: u32, request: ChangeRequest) -> Result<CaseFacts, AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        let kind = request.kind();
        // Receipt holders and the hotline rate and answer through their own functions; here only
        // accounts do.
        let reporters_change = matches!(kind, ChangeKind::Rated | ChangeKind::InformationProvided);
        if !role_may_ask(account.role, kind) || (reporters_change && account.role != ActorRole::Citizen) {
            return Err(forbidden());
        }
        let store = context.store.as_ref();
        let seen = seen_case(store, id, Some(&account), None).await?.ok_or_else(not_found)?;
        let needed = if reporters_change { CaseAccess::Reporter } else { CaseAccess::Staff };
        if seen.access != needed {
            return Err(not_found());
        }
        let now = Utc::now();
        let facts = match request {
            ChangeRequest::Reject { reason: RejectReason::Duplicate, duplicate_of: Some(original), explanation } => {
                merge(&context, &account, id, version, original, &explanation, now).await?
            }
            request => {
                let change = change_for(store, &account, id, &seen, request, now).await?;
                apply_change(store, id, version, &account.actor(), change, now).await?
            }
        };
        refresh_index(&context, id).await;
        Ok(facts)
    }

    /// The public maps and statistics read the index: a change shows there before its answer
    /// does, on this server at least; others follow within a second.
    pub async fn refresh_index(context: &ServerContext, id: i64) {
        if let Err(error) = context.index.refresh(context.store.as_ref()).await {
            tracing::warn!(%error, case_id = id, "the case index will catch up on its next refresh");
        }
    }

    /// Merges duplicate `id` into `original` (followed to the case it was itself merged into): the
    /// duplicate is rejected pointing to it, and its reporter and supporters support the original.
    /// An original out of the coordinator's reach answers as a missing one.
    async fn merge(
        context: &ServerContext,
        account: &Account,
        id: i64,
        version: u32,
        original: i64,
        explanation: &str,
        now: DateTime<Utc>,
    ) -> Result<CaseFacts, AppError> {
        use services::support::{merge_duplicate, merge_root, Merge, MergeError};
        let store = context.store.as_ref();
        let invalid = |reason| {
            with_status(AppError::invalid(request_lang(), vec![ValidationError::new(Field::DuplicateOf, reason)]))
        };
        let refused = |error: MergeError| match error {
            MergeError::SameCase => invalid(Reason::SameCase),
            MergeError::UnknownOriginal => invalid(Reason::UnknownCase),
            MergeError::OriginalNotOpen => invalid(Reason::NotOpenForSupport),
            MergeError::Change(error) => error.into(),
        };
        let root = merge_root(store, id, original).await.map_err(refused)?;
        let in_reach =
            seen_case(store, root, Some(account), None).await?.is_some_and(|s| s.access == CaseAccess::Staff);
        if !in_reach {
            return Err(invalid(Reason::UnknownCase));
        }
        let explanation = parse_note(explanation, Field::Reason)
            .map_err(|error| with_status(AppError::invalid(request_lang(), vec![error])))?;
        let actor = account.actor();
        let merge = Merge { duplicate: id, version, coordinator: &actor, original: root, explanation, now };
        merge_duplicate(store, &merge).await.map_err(refused)
    }

    async fn require_role(role: ActorRole) -> Result<(ServerContext, Account), AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        if account.role != role {
            return Err(forbidden());
        }
        Ok((context, account))
    }

    /// The areas a coordinator's queues are bounded to; `None` for the whole province.
    fn queue_areas(account: &Account) -> Option<Vec<String>> {
        match account.scope() {
            CaseScope::Province => None,
            CaseScope::Areas(areas) => Some(areas),
        }
    }

    fn item(case: CaseSummary, now: DateTime<Utc>, suggestions: Option<Suggestions>) -> QueueItem {
        QueueItem { overdue: case.facts.overdue_at(now), case, suggestions, assignee: None }
    }

    /// The words a queue's search box holds, folded; a query too long is refused naming `q`.
    fn queue_words(raw: &str) -> Result<Vec<String>, AppError> {
        domain::search::filter_words(raw).map_err(|reason| {
            let error = domain::validation::ValidationError::new(domain::validation::Field::SearchQuery, reason);
            with_status(AppError::invalid(request_lang(), vec![error]))
        })
    }

    /// One page of `queue` after `after` (only the cases holding `words` when there are any), and
    /// the cursor of the next page when there is one.
    async fn page_of(
        store: &dyn Store,
        queue: &StaffQueue,
        words: &[String],
        after: Option<QueueCursor>,
    ) -> Result<(Vec<CaseSummary>, Option<QueueCursor>), AppError> {
        // One case more than a page tells whether another page follows.
        let mut cases = store.search_queue_page(queue, words, after, QUEUE_PAGE + 1).await.map_err(failed)?;
        let page = QUEUE_PAGE as usize;
        let next = if cases.len() > page {
            cases.truncate(page);
            cases.last().map(|case| queue.cursor_after(case))
        } else {
            None
        };
        Ok((cases, next))
    }

    pub async fn screening_queue(after: Option<QueueCursor>, q: &str) -> Result<QueuePage, AppError> {
        let (context, account) = require_role(ActorRole::Coordinator).await?;
        let words = queue_words(q)?;
        let store = context.store.as_ref();
        let queue = StaffQueue::Screening { areas: queue_areas(&account) };
        let (cases, next) = page_of(store, &queue, &words, after).await?;
        let now = Utc::now();
        let mut items = Vec::with_capacity(cases.len());
        for case in cases {
            let suggestions = suggestions_for(store, &context.screening, &account, &case).await?;
            items.push(item(case, now, Some(suggestions)));
        }
        Ok(QueuePage { items, next })
    }

    pub async fn review_queue(after: Option<QueueCursor>, q: &str) -> Result<QueuePage, AppError> {
        let (context, account) = require_role(ActorRole::Coordinator).await?;
        let words = queue_words(q)?;
        let queue = StaffQueue::Review { areas: queue_areas(&account) };
        let (cases, next) = page_of(context.store.as_ref(), &queue, &words, after).await?;
        let now = Utc::now();
        Ok(QueuePage { items: cases.into_iter().map(|c| item(c, now, None)).collect(), next })
    }

    pub async fn agency_queue(after: Option<QueueCursor>, q: &str, mine: bool) -> Result<QueuePage, AppError> {
        let (context, account) = require_role(ActorRole::Officer).await?;
        let agency = account.agency.clone().ok_or_else(forbidden)?;
        let words = queue_words(q)?;
        let queue = if mine {
            StaffQueue::Held { agency: agency.clone(), assignee: account.id }
        } else {
            StaffQueue::Agency { agency: agency.clone() }
        };
        let store = context.store.as_ref();
        let (cases, next) = page_of(store, &queue, &words, after).await?;
        // Who holds what: the agency's officers are read once, anyone else a page names one by one.
        let held: Vec<i64> = cases.iter().filter_map(|case| case.facts.assignee).collect();
        let officers =
            services::assignment::officers_named(store, Some(agency.as_str()), held).await.map_err(failed)?;
        let now = Utc::now();
        let items = cases
            .into_iter()
            .map(|case| {
                let holder = case.facts.assignee.and_then(|id| domain::account::officer_name(&officers, id));
                let assignee = holder.map(str::to_string);
                QueueItem { assignee, ..item(case, now, None) }
            })
            .collect();
        Ok(QueuePage { items, next })
    }

    pub async fn my_reports() -> Result<Vec<(PublicCase, CaseFacts)>, AppError> {
        let (context, account) = require_role(ActorRole::Citizen).await?;
        let store = context.store.as_ref();
        let mine = store.list_cases(&CaseQuery::ReportedBy(account.id), QUEUE_LIMIT).await.map_err(failed)?;
        let ids: Vec<i64> = mine.iter().map(|case| case.id).collect();
        let mut facts: std::collections::HashMap<i64, CaseFacts> = mine.into_iter().map(|c| (c.id, c.facts)).collect();
        let public = store.public_cases(&ids).await.map_err(failed)?;
        // The questions waiting for the reporter's answer, with their texts from the events.
        let asked: Vec<i64> = facts.iter().filter(|(_, f)| f.open_question.is_some()).map(|(id, _)| *id).collect();
        let mut events = store.events_of_cases(&asked).await.map_err(failed)?;
        Ok(public
            .into_iter()
            .filter_map(|mut case| {
                let facts = facts.remove(&case.id)?;
                case.question = domain::pause::waiting_question(&facts, &events.remove(&case.id).unwrap_or_default());
                Some((case, facts))
            })
            .collect())
    }

    /// Escalation steps of deadlines of the last weeks that `account`'s role is told of.
    async fn deadline_notices(
        store: &dyn Store,
        account: &Account,
        now: DateTime<Utc>,
    ) -> Result<Vec<Notice>, AppError> {
        if !matches!(account.role, ActorRole::Officer | ActorRole::Coordinator | ActorRole::Leader) {
            return Ok(Vec::new());
        }
        let since = now - Duration::days(domain::alerts::NOTICE_DAYS);
        // Read where the reader works, so that the rest of the province never crowds theirs out.
        let place = match (account.role, &account.agency) {
            (ActorRole::Officer, Some(agency)) => EscalationPlace::Agency(agency.clone()),
            (ActorRole::Coordinator, _) if !account.areas.is_empty() => EscalationPlace::Areas(account.areas.clone()),
            _ => EscalationPlace::Province,
        };
        let steps = store.recent_escalations(since, &place, 500).await.map_err(failed)?;
        Ok(steps
            .into_iter()
            .filter_map(|found| {
                let Change::DeadlineEscalated { step, .. } = &found.event.change else { return None };
                let told = domain::alerts::told_of_escalation(
                    *step,
                    account.role,
                    account.agency.as_deref(),
                    &account.areas,
                    found.agency.as_deref(),
                    found.area.as_deref(),
                );
                told.then_some(Notice {
                    case_id: found.case_id,
                    seq: found.event.seq,
                    title: found.title,
                    kind: ChangeKind::DeadlineEscalated,
                    reason: NoticeReason::Deadline,
                    at: found.event.occurred_at,
                    unread: false,
                })
            })
            .collect())
    }

    pub async fn my_notices() -> Result<Vec<Notice>, AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        let store = context.store.as_ref();
        let now = Utc::now();
        let mut notices = deadline_notices(store, &account, now).await?;
        if account.role != ActorRole::Officer {
            // Steps of the cases the person reported or follows, and new cases their alerts watch.
            let mut followed =
                services::following::notices(store, &account, now, true).await.map_err(|error| match error {
                    services::following::FollowingError::Store(error) => failed(error),
                    other => failed(StoreError::Database(other.to_string())),
                })?;
            followed.append(&mut notices);
            followed.sort_by_key(|n| std::cmp::Reverse(n.at));
            return Ok(followed);
        }
        let agency = account.agency.clone().unwrap_or_default();
        let statuses = vec![CaseStatus::Assigned, CaseStatus::InProgress];
        let cases = store.list_cases(&CaseQuery::OfAgency { agency, statuses }, QUEUE_LIMIT).await.map_err(failed)?;
        let ids: Vec<i64> = cases.iter().map(|case| case.id).collect();
        let mut events = store.events_of_cases(&ids).await.map_err(failed)?;
        for case in cases {
            for event in events.remove(&case.id).unwrap_or_default() {
                let kind = event.change.kind();
                let reason = match &event.change {
                    Change::Accepted { .. }
                    | Change::Reopened { .. }
                    | Change::SentBack { .. }
                    | Change::ExtensionDecided { .. } => NoticeReason::Agency,
                    // Given to this officer by someone else: taking a case oneself tells nobody.
                    Change::Assigned { account_id }
                        if *account_id == account.id && event.actor_id != Some(account.id) =>
                    {
                        NoticeReason::Assigned
                    }
                    _ => continue,
                };
                notices.push(Notice {
                    case_id: case.id,
                    seq: event.seq,
                    title: case.title.clone(),
                    kind,
                    reason,
                    at: event.occurred_at,
                    unread: false,
                });
            }
        }
        // What arrived since the officer last read their notices is marked new, as a citizen's is.
        let read_at = store.notices_read_at(account.id).await.map_err(failed)?;
        for notice in &mut notices {
            notice.unread = read_at.is_none_or(|read| notice.at > read);
        }
        store.mark_notices_read(account.id, now).await.map_err(failed)?;
        notices.sort_by_key(|n| std::cmp::Reverse(n.at));
        Ok(notices)
    }
}
