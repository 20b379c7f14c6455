//! The storage seam: everything the server asks of a database, whichever backend provides it.

use crate::account_links::{AccountAddress, LinkPurpose, LinkState, NewLink};
use crate::chain::ChainedEvent;
use crate::login_throttle::LoginFailures;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::access_log::{AccessCount, AccessEntry, AccessQuery, NewAccess};
pub use domain::account::ApiKey;
use domain::account::{Account, NewAccount, RoleAssignment};
use domain::alerts::{Alert, NewAlert, Notice};
use domain::calls::{Call, CallCounts, CallRecord};
use domain::case::{ActorRole, CaseEvent, CaseStatus, Channel, PublicCase, PublicListItem};
pub use domain::case::{CaseSummary, QueueCursor};
use domain::catalogue::{Agency, CatalogueChange, CatalogueEdit, Category, Route};
use domain::contact::ReporterContact;
use domain::deadline::Holiday;
use domain::digest::StaffDigestKind;
use domain::geo::Area;
use domain::new_case::NewCase;
use domain::photos::{CasePhoto, PhotoId};
use domain::profile::{AccountHandle, Profile, ProfileEdit};
use domain::workflow::{CaseFacts, ChangeKind, ErasureReason, IntakeTerms, Rating, RejectReason};
use std::sync::Arc;

/// The store as the server shares it: one per process, handed out through context.
pub type SharedStore = Arc<dyn Store>;

/// What a backend failed at. The text is for logs, never for users.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("the database is unreachable: {0}")]
    Unavailable(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(String),
    /// Someone else changed the case first; `current` is the version now stored.
    #[error("the case changed meanwhile (now at version {current})")]
    Conflict { current: u32 },
    #[error("{0} is already taken")]
    Duplicate(String),
    #[error("{0} does not exist")]
    Missing(String),
}

/// The catalogue a fresh database starts with.
#[derive(Debug, Clone, Default)]
pub struct CatalogueSeed {
    pub categories: Vec<Category>,
    pub agencies: Vec<Agency>,
    pub areas: Vec<Area>,
    pub routes: Vec<Route>,
    pub holidays: Vec<Holiday>,
}

/// The facts about a submission that the server, not the client, decides.
#[derive(Debug, Clone)]
pub struct Submission {
    pub channel: Channel,
    pub actor_role: ActorRole,
    /// The signed-in citizen who reports, or the operator taking a call; `None` when anonymous.
    pub actor_account: Option<i64>,
    /// The served area holding the pin; `None` flags the case as out of area.
    pub area_code: Option<String>,
    pub received_at: DateTime<Utc>,
    /// The catalogue's deadline and route for the case as it arrived.
    pub terms: Option<IntakeTerms>,
    /// The hashes of the secrets handed out with the case, kept in the same transaction.
    pub secrets: CaseSecrets,
}

/// The hashes of a new case's secrets; only the hashes are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseSecrets {
    /// The private receipt token handed to an anonymous reporter.
    pub receipt_hash: Option<String>,
    /// The one-time claim code an operator reads to the caller of a phoned-in report.
    pub claim_code_hash: Option<String>,
}

/// The outcome of storing a case. A repeated submission key yields the first case, not a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCase {
    pub id: i64,
    pub newly_created: bool,
}

/// How the delivery of one notice ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeOutcome {
    Sent,
    /// Nothing to send: a step the reporter is not told of, or no address to send to.
    Skipped,
    /// The relay refused or was unreachable; tried again from `retry_at`, or never when `None`.
    Failed {
        retry_at: Option<DateTime<Utc>>,
    },
}

impl NoticeOutcome {
    /// The name stored for the outcome.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeOutcome::Sent => "sent",
            NoticeOutcome::Skipped => "skipped",
            NoticeOutcome::Failed { .. } => "failed",
        }
    }
}

/// Which cases a listing asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseQuery {
    /// Cases in these statuses, oldest submission first.
    InStatus(Vec<CaseStatus>),
    /// An agency's cases in these statuses, earliest deadline first.
    OfAgency { agency: String, statuses: Vec<CaseStatus> },
    /// What one citizen reported, newest first.
    ReportedBy(i64),
    /// Cases whose reporter the hotline should phone, the earliest due first.
    AwaitingVerification,
    /// Cases submitted in `[from, to)`, optionally only these ids, categories and statuses,
    /// newest first, skipping `offset`: the Open311 request list.
    Submitted {
        ids: Option<Vec<i64>>,
        categories: Option<Vec<String>>,
        statuses: Option<Vec<CaseStatus>>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        offset: u32,
        /// Only the cases the public sees (see [`domain::case::held_back`]).
        public_only: bool,
        /// Folded words every case listed matches (see `domain::search`); empty for any. Only
        /// screened cases are matched, as in the exports.
        words: Vec<String>,
    },
    /// Cases being handled past their deadline at `now`, by agency, the longest overdue first.
    Overdue { now: DateTime<Utc> },
    /// Cases of a category submitted in a time window inside a box, for finding duplicates.
    Near { category: String, south: f64, west: f64, north: f64, east: f64, since: DateTime<Utc>, until: DateTime<Utc> },
}

/// A staff queue: exactly the cases it holds, in its own order.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffQueue {
    /// New reports to screen, oldest submission first; `areas` bounds an area-bound coordinator's.
    Screening { areas: Option<Vec<String>> },
    /// Cases awaiting the coordinator (see [`CaseFacts::awaits_review`]), oldest submission first.
    Review { areas: Option<Vec<String>> },
    /// An agency's cases being handled or in review, earliest deadline first, those without last.
    Agency { agency: String },
    /// The cases of an agency's queue that one of its officers holds, in the same order.
    Held { agency: String, assignee: i64 },
}

impl StaffQueue {
    /// The cursor of the page that follows `case`, by this queue's sort key.
    pub fn cursor_after(&self, case: &CaseSummary) -> QueueCursor {
        let at = match self {
            StaffQueue::Screening { .. } | StaffQueue::Review { .. } => Some(case.submitted_at),
            StaffQueue::Agency { .. } | StaffQueue::Held { .. } => case.facts.deadline,
        };
        QueueCursor { at, id: case.id }
    }
}

/// A case's id and version: which state of the case a reader has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseVersion {
    pub id: i64,
    pub version: i64,
}

/// The few facts of a case that maps and statistics aggregate, as its row projects them.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDigest {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub category: String,
    pub area: Option<String>,
    pub agency: Option<String>,
    pub channel: Channel,
    pub status: CaseStatus,
    pub submitted_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub rejection: Option<RejectReason>,
    /// `Some` once a result is approved: whether it came before the deadline.
    pub handled_on_time: Option<bool>,
    pub rating: Option<Rating>,
    /// When the row was last written, by the database's clock: what followers of changes page by.
    pub changed_at: DateTime<Utc>,
    /// When the screening decision in force was made; `None` while the case waits for screening.
    pub screened_at: Option<DateTime<Utc>>,
    /// When the latest result was submitted.
    pub result_submitted_at: Option<DateTime<Utc>>,
    /// When the latest result was approved.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// A saved case index and the database time up to which it holds every change.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedCaseIndex {
    pub taken_at: DateTime<Utc>,
    pub bytes: Vec<u8>,
}

/// A finished case that still holds personal data its retention rule says must go, and how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasableCase {
    pub case_id: i64,
    /// The case's version when it was found: the erasure is appended at it, or not at all.
    pub version: u32,
    pub reason: ErasureReason,
    /// Whether the reporter's contact still holds a name, a phone number or an e-mail address.
    pub contact: bool,
    /// Calls about the case whose phone number is still kept.
    pub call_numbers: u32,
    /// Photos the case still holds.
    pub photos: u32,
}

/// A search of cases by folded words (see `domain::search`), in the searcher's scope.
#[derive(Debug, Clone, Copy)]
pub struct CaseSearch<'a> {
    /// Folded words: each but the last a whole word of the case's text, the last (the word being
    /// typed) the start of one.
    pub words: &'a [String],
    /// Only the cases the public sees (see [`domain::case::held_back`]).
    pub public_only: bool,
    /// Only the cases this agency leads: an officer's scope.
    pub agency: Option<&'a str>,
    /// Cases held back from the public only in these areas: an area-bound coordinator's scope
    /// (the cases they screen), with the public's cases elsewhere.
    pub held_back_areas: Option<&'a [String]>,
    pub limit: u32,
}

/// Which cases an export holds. Empty lists mean any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFilter {
    pub statuses: Vec<CaseStatus>,
    pub categories: Vec<String>,
    /// Routed to this lead agency; a held-back case has none.
    pub agency: Option<String>,
    pub area: Option<String>,
    /// Submitted at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Submitted before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Only the cases the public sees; otherwise held-back cases come too, with what the
    /// statistics count them by and nothing else.
    pub public_only: bool,
    /// Folded words the case's text must match (see `domain::search`); a held-back case never
    /// matches, so its text stays unread. Empty means any.
    pub words: Vec<String>,
    /// Pages from the newest case down, `after_id` then being the id below which a page starts
    /// (`i64::MAX` for the first): what a feed reads.
    pub newest_first: bool,
}

/// One case as the exports write it: never the reporter's contact, and of a case held back from
/// the public (see [`domain::case::held_back`]) only what the statistics count it by.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedCase {
    pub id: i64,
    pub submitted_at: DateTime<Utc>,
    pub status: CaseStatus,
    pub channel: Channel,
    pub category: String,
    pub area: Option<String>,
    pub rejection: Option<RejectReason>,
    /// What the public reads of the case; `None` for a held-back case, whose text, place and
    /// times the database does not hand out for an export.
    pub published: Option<PublishedFields>,
}

/// The public fields of a screened case beyond those it is counted by.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedFields {
    pub title: String,
    pub description: String,
    pub address: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub agency: Option<String>,
    /// The deadline in force, extensions counted.
    pub deadline: Option<DateTime<Utc>>,
    pub screened_at: Option<DateTime<Utc>>,
    pub result_submitted_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// `Some` once a result is approved: whether it came before the deadline in force then.
    pub handled_on_time: Option<bool>,
    pub rating: Option<Rating>,
    /// The approved result's summary in force: the case's public answer.
    pub result: Option<String>,
}

/// An event to append to a case at a known version, with the facts after it.
#[derive(Debug, Clone, Copy)]
pub struct CaseAppend<'a> {
    pub case_id: i64,
    pub expected_version: u32,
    pub event: &'a CaseEvent,
    pub facts: &'a CaseFacts,
}

/// An uploaded photo whose two sizes are in blob storage: the display image under its id, the
/// thumbnail under `thumbnail_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPhoto {
    pub id: PhotoId,
    pub thumbnail_key: String,
    pub width: u32,
    pub height: u32,
    pub uploaded_at: DateTime<Utc>,
    /// The client address that uploaded it, which its quota counts against; `None` when unknown.
    pub uploaded_by: Option<String>,
    /// The bytes its two sizes take in blob storage, which the disk budget counts.
    pub stored_bytes: u64,
}

/// Photos uploaded that no case holds yet: what upload quotas and the disk budget count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnattachedPhotos {
    /// Those one client uploaded.
    pub by_client: u64,
    /// Everyone's.
    pub total: u64,
    /// The bytes everyone's take in blob storage.
    pub stored_bytes: u64,
}

/// A public step of a followed case that a follower with a verified address is to be mailed.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowerNotice {
    pub case_id: i64,
    pub event: CaseEvent,
    pub account_id: i64,
    pub email: String,
}

impl FollowerNotice {
    /// The notice channel of one follower's mail, so that each follower's delivery is settled on
    /// its own.
    pub fn channel(account_id: i64) -> String {
        format!("follower:{account_id}")
    }
}

/// A screened case one alert watches for, with where its message goes.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertMatch {
    pub alert_id: i64,
    pub email: String,
    pub case_id: i64,
    pub title: String,
    pub address: Option<String>,
    pub screened_at: DateTime<Utc>,
}

/// A step of a deadline's escalation ladder, with what the staff's notice of it names.
#[derive(Debug, Clone, PartialEq)]
pub struct EscalationNotice {
    pub case_id: i64,
    pub title: String,
    pub area: Option<String>,
    pub agency: Option<String>,
    pub event: CaseEvent,
}

/// Where the escalated cases a reader's deadline notices name lie: the whole province, one lead
/// agency's cases, or the cases pinned in some areas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscalationPlace {
    Province,
    Agency(String),
    Areas(Vec<String>),
}

/// A daily alert whose digest for a day is not settled yet.
#[derive(Debug, Clone, PartialEq)]
pub struct DueDigest {
    pub alert_id: i64,
    pub email: String,
    pub created_at: DateTime<Utc>,
}

/// One supporter of a case, as the store records them beside their `Supported` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supporter {
    /// The signed-in citizen who supports; `None` for an anonymous device or an anonymous
    /// reporter moved over from a merged duplicate.
    pub account_id: Option<i64>,
    /// The hash of an anonymous device's key; never the key itself.
    pub device_hash: Option<String>,
}

/// A `Supported` event to append, with who it records.
#[derive(Debug, Clone, Copy)]
pub struct SupportAppend<'a> {
    pub append: CaseAppend<'a>,
    /// The hash of the anonymous device's key; `None` for an account or an anonymous reporter.
    pub device_hash: Option<&'a str>,
}

// Staff digests and escalation mail.

/// A staff member with a verified e-mail address: where staff mail goes.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffAddress {
    pub account: Account,
    pub email: String,
}

/// What an agency's daily digest lists (see `domain::digest::DailyDigest`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgencyDigestQuery<'a> {
    pub agency: &'a str,
    /// Cases routed to the agency in `[routed_since, at)` are new.
    pub routed_since: DateTime<Utc>,
    pub at: DateTime<Utc>,
    /// Cases still with the agency (assigned or in progress) whose deadline in force is in
    /// `[at, near_until)` are near it, and those whose deadline is before `at` overdue.
    pub near_until: DateTime<Utc>,
    /// The cases each list holds at most; its total counts them all.
    pub limit: u32,
}

/// One list of a digest: its first cases and how many it holds in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DigestList {
    pub cases: Vec<CaseSummary>,
    pub total: u64,
}

/// An agency's daily digest: new cases by routing time, near-deadline and overdue ones by deadline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgencyDigest {
    pub new: DigestList,
    pub near: DigestList,
    pub overdue: DigestList,
}

impl AgencyDigest {
    /// Whether all three lists are empty: such a day sends nothing.
    pub fn is_empty(&self) -> bool {
        self.new.total == 0 && self.near.total == 0 && self.overdue.total == 0
    }
}

/// A database behind the seam. Every backend passes the same conformance suite.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Answers when the database takes queries.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Inserts the catalogue entries that are missing; existing ones keep their current values.
    async fn seed_catalogue(&self, seed: &CatalogueSeed) -> Result<(), StoreError>;

    /// All categories, active or not, ordered by code.
    async fn categories(&self) -> Result<Vec<Category>, StoreError>;

    /// All agencies, active or not, ordered by code.
    async fn agencies(&self) -> Result<Vec<Agency>, StoreError>;

    /// All areas, active or not, ordered by code.
    async fn areas(&self) -> Result<Vec<Area>, StoreError>;

    /// Applies an administrator's edits to the catalogue and logs each entry before and after,
    /// all in one transaction: all of them or none. An edit that changes nothing logs nothing.
    /// `Missing` when an edit names an entry that does not exist (an unknown area to activate,
    /// a route to an unknown agency).
    async fn apply_catalogue_edits(
        &self,
        edits: &[CatalogueEdit],
        by: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The change log, newest first, older than `before_id` when given, at most `limit`.
    async fn catalogue_changes(&self, before_id: Option<i64>, limit: u32) -> Result<Vec<CatalogueChange>, StoreError>;

    /// Every account that is not a citizen's, by username, active or not.
    async fn staff_accounts(&self) -> Result<Vec<Account>, StoreError>;

    /// Creates a staff account with a coordinator's areas and logs it, in one transaction;
    /// `Duplicate` when the username is taken. With `one_time_until`, its password is a one-time
    /// password that works until then and must be replaced at first sign-in.
    async fn invite_account(
        &self,
        account: &NewAccount,
        areas: &[String],
        one_time_until: Option<DateTime<Utc>>,
        by: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError>;

    /// Sets an account's role, agency, areas and active flag and logs the change. People are
    /// never deleted, since cases name them; deactivating ends their sessions.
    async fn update_account(
        &self,
        id: i64,
        assignment: &RoleAssignment,
        active: bool,
        by: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Stores the case, its contact and its creating event atomically. A submission key seen
    /// before returns the case it created and stores nothing.
    async fn create_case(&self, case: &NewCase, submission: &Submission) -> Result<StoredCase, StoreError>;

    /// The case without personal data or internal events, or `None` when no such case exists.
    async fn public_case(&self, id: i64) -> Result<Option<PublicCase>, StoreError> {
        Ok(self.public_cases(&[id]).await?.pop())
    }

    /// Several cases as [`Store::public_case`] gives each, in the order of `ids`, skipping ids
    /// with no case: one read of each table for a whole page of a list.
    async fn public_cases(&self, ids: &[i64]) -> Result<Vec<PublicCase>, StoreError>;

    /// Several screened cases as a public list shows them, in the order of `ids`, skipping ids
    /// with no case: one query for a whole page, reading no events or photos beyond a rejection's
    /// public explanation.
    async fn public_list_items(&self, ids: &[i64]) -> Result<Vec<PublicListItem>, StoreError>;

    /// The case's events, oldest first.
    async fn case_events(&self, id: i64) -> Result<Vec<CaseEvent>, StoreError>;

    /// The events of several cases, each case's oldest first, in one read; cases without events
    /// are absent.
    async fn events_of_cases(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, Vec<CaseEvent>>, StoreError>;

    /// The status the store holds for the case, which must equal the replay of its events.
    async fn case_status(&self, id: i64) -> Result<Option<CaseStatus>, StoreError>;

    /// The reporter's contact, for staff only.
    async fn reporter_contact(&self, id: i64) -> Result<Option<ReporterContact>, StoreError>;

    /// How many cases exist.
    async fn count_cases(&self) -> Result<u64, StoreError>;

    /// Appends `event` if the case is still at `expected_version`, and writes the projections of
    /// `facts` (the facts after the event) in the same transaction. Otherwise `Conflict`.
    async fn append_event(
        &self,
        case_id: i64,
        expected_version: u32,
        event: &CaseEvent,
        facts: &CaseFacts,
    ) -> Result<(), StoreError>;

    /// Cases matching `query`, at most `limit`.
    async fn list_cases(&self, query: &CaseQuery, limit: u32) -> Result<Vec<CaseSummary>, StoreError>;

    /// Up to `limit` cases of `queue` in its order, those after `after` when given.
    async fn queue_page(
        &self,
        queue: &StaffQueue,
        after: Option<QueueCursor>,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError>;

    /// The lead agency for a category in an area, from the routing table.
    async fn route_for(&self, category: &str, area: &str) -> Result<Option<String>, StoreError>;

    /// The whole routing table, by category and area.
    async fn routes(&self) -> Result<Vec<Route>, StoreError>;

    /// The holiday calendar.
    async fn holidays(&self) -> Result<Vec<Holiday>, StoreError>;

    /// Creates an account; `Duplicate` when the username is taken.
    async fn create_account(&self, account: &NewAccount, at: DateTime<Utc>) -> Result<i64, StoreError>;

    /// The account and its password hash, by username.
    async fn account_credentials(&self, username: &str) -> Result<Option<(Account, String)>, StoreError>;

    async fn account(&self, id: i64) -> Result<Option<Account>, StoreError>;

    /// Sets an account's password hash; a one-time password it had is replaced for good.
    async fn set_password_hash(&self, account_id: i64, hash: &str) -> Result<(), StoreError>;

    /// A session that ends at `expires_at` whatever happens, and at `idle_until` unless it is used.
    async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        idle_until: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The active account of a session that has neither reached its end nor been idle too long.
    async fn session_account(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Account>, StoreError>;

    /// Moves a session's idle end forward to `idle_until` (never back, never past its absolute end).
    async fn extend_session(&self, token_hash: &str, idle_until: DateTime<Utc>) -> Result<(), StoreError>;

    /// Deletes the sessions that have ended or been idle too long at `now`; answers how many.
    async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError>;

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Ends every session of an account except `keep` (after a password change).
    async fn delete_other_sessions(&self, account_id: i64, keep: &str) -> Result<(), StoreError>;

    /// Records a sign-in attempt by `client` for `username` at `at`, as failed until it proves
    /// otherwise, and answers its id with the client's failures recorded before it since `since`.
    /// Recording before counting is what makes the count atomic: of many attempts at once, each
    /// counts those recorded before it.
    async fn begin_login_attempt(
        &self,
        client: &str,
        username: &str,
        at: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> Result<(i64, LoginFailures), StoreError>;

    /// Forgets an attempt that was refused before its password was checked.
    async fn forget_login_attempt(&self, attempt: i64) -> Result<(), StoreError>;

    /// Forgets the failures of `client` for `username`, after it signed in.
    async fn clear_login_failures(&self, client: &str, username: &str) -> Result<(), StoreError>;

    /// Deletes failures recorded before `before`; answers how many.
    async fn purge_login_failures(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Logs a call; when `on_case` is given, appends its event to the case in the same
    /// transaction (as `append_event` does, with the same version check). Returns the call's id.
    async fn log_call(
        &self,
        call: &Call,
        operator: Option<i64>,
        at: DateTime<Utc>,
        on_case: Option<CaseAppend<'_>>,
    ) -> Result<i64, StoreError>;

    /// Logged calls, newest first: all of them, or those about one case.
    async fn calls(&self, case_id: Option<i64>, limit: u32) -> Result<Vec<CallRecord>, StoreError>;

    /// Calls logged in `[from, to)`, counted by direction, purpose and outcome.
    async fn call_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<CallCounts, StoreError>;

    /// Records that a staff member saw personal data: the view and everything it showed, in one
    /// transaction, before the data is shown. The log is append-only: the database refuses to
    /// change or remove what it holds.
    async fn record_access(&self, access: &NewAccess) -> Result<i64, StoreError>;

    /// Recorded views matching `query`, newest first, at most `limit`, each with the first
    /// `shown` of its subjects (those of the case asked for first) and how many it had.
    async fn access_log(&self, query: &AccessQuery, limit: u32, shown: u32) -> Result<Vec<AccessEntry>, StoreError>;

    /// The views recorded in `[from, to)`, counted by the viewer's role at the time, by role name.
    async fn access_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<AccessCount>, StoreError>;

    /// The case a submission key created.
    async fn case_for_key(&self, submission_key: &str) -> Result<Option<i64>, StoreError>;

    /// The case whose receipt token hashes to `token_hash`, if any.
    async fn case_for_receipt(&self, token_hash: &str) -> Result<Option<i64>, StoreError>;

    /// Counts one attempt at the claim code of case `case_id` and answers the code's hash, or
    /// `None` when the case has no claim code or took `limit` attempts already. The count and the
    /// check are one statement, so concurrent attempts cannot pass the limit together.
    async fn claim_attempt_on_case(&self, case_id: i64, limit: u32) -> Result<Option<String>, StoreError>;

    /// Counts one claim attempt by `account_id` at `at` and answers whether it is within `limit`
    /// attempts of its window; a window that started before `window_after` starts afresh at `at`.
    /// One statement, as above.
    async fn claim_attempt_by_account(
        &self,
        account_id: i64,
        at: DateTime<Utc>,
        window_after: DateTime<Utc>,
        limit: u32,
    ) -> Result<bool, StoreError>;

    /// Stores a new API key (its hash only) for an integrating system.
    async fn create_api_key(
        &self,
        name: &str,
        key_hash: &str,
        by: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError>;

    /// Every API key, newest first.
    async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError>;

    /// The unrevoked key with this hash.
    async fn active_api_key(&self, key_hash: &str) -> Result<Option<ApiKey>, StoreError>;

    async fn revoke_api_key(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Public events newer than `since`, oldest first, with their case ids, whose notice on
    /// `channel` is not settled: never claimed, or failed and due again by `now`. Read this way
    /// rather than from a cursor, an event that committed late or while no server ran is still found.
    async fn unsettled_notices(
        &self,
        channel: &str,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<(i64, CaseEvent)>, StoreError>;

    /// Claims the notice for event `seq` of a case on `channel`, if it is unclaimed or failed and
    /// due again at `at`: answers the failed attempts so far to the one caller that claims it, and
    /// `None` to every other, so that several servers never send one notice twice.
    async fn claim_notice(
        &self,
        case_id: i64,
        seq: u32,
        channel: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<u32>, StoreError>;

    /// Records how a claimed notice ended.
    async fn settle_notice(
        &self,
        case_id: i64,
        seq: u32,
        channel: &str,
        outcome: NoticeOutcome,
    ) -> Result<(), StoreError>;

    /// Digests of the cases with ids above `after_id`, by id, at most `limit`: how an index of
    /// every case loads page by page.
    async fn case_digests(&self, after_id: i64, limit: u32) -> Result<Vec<CaseDigest>, StoreError>;

    /// The id and version of each case written at or after `since`, by the database's clock: how
    /// every server follows the changes the others make. Every write to a case raises its version,
    /// so a follower reads in full ([`Store::case_digests_of`]) only the cases it has not yet seen
    /// at that version.
    async fn changed_case_versions(&self, since: DateTime<Utc>) -> Result<Vec<CaseVersion>, StoreError>;

    /// Digests of the cases `ids` that exist, by id.
    async fn case_digests_of(&self, ids: &[i64]) -> Result<Vec<CaseDigest>, StoreError>;

    /// The current time by the database's clock, which every server shares.
    async fn database_time(&self) -> Result<DateTime<Utc>, StoreError>;

    /// The case index some server saved last, unless the database's schema changed since: what a
    /// start reads instead of every case, then catches up from.
    async fn case_index_snapshot(&self) -> Result<Option<SavedCaseIndex>, StoreError>;

    /// Keeps `bytes`, the case index as it stood with every change up to `taken_at` (database
    /// time) folded in, in place of an older one; a newer one already kept stays.
    async fn save_case_index_snapshot(&self, taken_at: DateTime<Utc>, bytes: &[u8]) -> Result<(), StoreError>;

    /// Citizen accounts created before `until`.
    async fn count_citizen_accounts(&self, until: DateTime<Utc>) -> Result<u64, StoreError>;

    /// The cases matching `filter` with ids above `after_id`, by id, at most `limit`, as exports
    /// write them: the pages an export streams.
    async fn export_cases(
        &self,
        filter: &CaseFilter,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<ExportedCase>, StoreError>;

    /// Records an uploaded photo, not yet held by any case. Recording the same photo again
    /// changes nothing, so a retried upload is stored once.
    async fn save_photo(&self, photo: &StoredPhoto) -> Result<(), StoreError>;

    /// The photos no case holds yet: `client`'s, everyone's, and the room they take.
    async fn unattached_photos(&self, client: &str) -> Result<UnattachedPhotos, StoreError>;

    /// Which of `ids` name no recorded photo.
    async fn unknown_photos(&self, ids: &[PhotoId]) -> Result<Vec<PhotoId>, StoreError>;

    /// The photos a case holds, by event then position; all of them, whoever asks. The public
    /// sees those `public_case` carries.
    async fn case_photos(&self, case_id: i64) -> Result<Vec<CasePhoto>, StoreError>;

    /// The cases holding the photo whose blob is `key` (a photo id or a thumbnail key), by id:
    /// `None` when no photo uses the key, empty while the photo waits for a report.
    async fn photo_cases(&self, key: &str) -> Result<Option<Vec<i64>>, StoreError>;

    /// Forgets the photos uploaded before `before` that no case holds, and answers their blob
    /// keys (both sizes) so the blobs can be deleted.
    async fn sweep_unheld_photos(&self, before: DateTime<Utc>) -> Result<Vec<String>, StoreError>;

    /// Events with the hash each was stored with and their case's version, by case then seq,
    /// those after `after` (a case id and a seq), at most `limit`: the pages `verify` reads, so
    /// that checking a million events never holds them all (see `crate::chain`).
    async fn chained_events(&self, after: (i64, i64), limit: u32) -> Result<Vec<ChainedEvent>, StoreError>;

    /// Hashes the events written before the chain existed (or by an older server during a rolling
    /// upgrade), each case from its first event on; answers how many it sealed. Deterministic and
    /// idempotent: it only fills missing hashes, from the hashes already stored, so servers
    /// starting together compute the same values and a second run seals nothing.
    async fn seal_event_chains(&self) -> Result<u64, StoreError>;

    /// Finished cases past their retention, oldest first, at most `limit` of each rule: those
    /// finished before `contacts_before` that still hold a contact or a call's phone number, and
    /// those rejected as inappropriate before `photos_before` that still hold photos.
    async fn erasable_cases(
        &self,
        contacts_before: DateTime<Utc>,
        photos_before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ErasableCase>, StoreError>;

    /// Calls logged with any of `phones` (national form), newest first, at most `limit`.
    async fn calls_with_numbers(&self, phones: &[String], limit: u32) -> Result<Vec<CallRecord>, StoreError>;

    /// Empties the phone number of calls about no case logged before `before`; answers how many.
    async fn erase_unattached_call_numbers(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Closes a citizen's account in one transaction: appends `erasures` (each at its version, the
    /// events that unlink the account's cases and erase their contacts), then strips the account of
    /// everything personal, ends its sessions and makes it impossible to sign in to. `Conflict` when
    /// a case changed meanwhile, `Missing` when there is no such citizen account; nothing is changed then.
    async fn close_citizen_account(&self, account_id: i64, erasures: &[CaseAppend<'_>]) -> Result<(), StoreError>;

    /// Folds and indexes for search the cases not indexed yet: those after `from_id` (a start-up
    /// backfill pages through all of them), or with `None` the newest (a case id range just below
    /// the highest indexed, where concurrent writers may have committed out of order). At most
    /// `limit`; answers how many were indexed and the highest of their ids. Idempotent on every server.
    async fn index_cases_for_search(&self, from_id: Option<i64>, limit: u32) -> Result<(u32, Option<i64>), StoreError>;

    /// The ids of the cases `search` finds, best match first, then the newest.
    async fn search_cases(&self, search: &CaseSearch<'_>) -> Result<Vec<i64>, StoreError>;
    /// An account's own details: its name, e-mail address and when that was verified, phone.
    async fn account_profile(&self, account_id: i64) -> Result<Option<Profile>, StoreError>;

    /// Sets an account's name, e-mail address and phone; answers whether the address changed. A
    /// changed (or removed) address is unverified, and the links sent to the old one stop working.
    /// `Missing` when there is no such account.
    async fn update_profile(&self, account_id: i64, edit: &ProfileEdit) -> Result<bool, StoreError>;

    /// The active citizen accounts `handle` names that have a verified address (by username, or
    /// by address whatever its case), by id, at most `limit`.
    async fn recoverable_accounts(&self, handle: &AccountHandle, limit: u32)
        -> Result<Vec<AccountAddress>, StoreError>;

    /// Stores `link`, the account's one link of its purpose, in place of the previous one unless
    /// that one is unused, unexpired at `link.issued_at` and was issued after `replaces_before`;
    /// answers whether it was stored. One statement, so concurrent requests store one link at most.
    async fn issue_account_link(&self, link: &NewLink<'_>, replaces_before: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Whether the link of `purpose` whose token hashes to `token_hash` works at `now`, and whose it is.
    async fn account_link(
        &self,
        purpose: LinkPurpose,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<LinkState, StoreError>;

    /// Uses a verification link working at `now`: the address it was sent to is verified if it is
    /// still the account's. Used once; a used, expired, unknown or outdated link changes nothing.
    async fn verify_email_with_link(&self, token_hash: &str, now: DateTime<Utc>) -> Result<LinkState, StoreError>;

    /// Uses a reset link working at `now`: in one transaction the link is used, the active
    /// account's password hash becomes `password_hash` (a one-time password it had is gone) and
    /// every session of the account ends. A used, expired or unknown link changes nothing.
    async fn reset_password_with_link(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<LinkState, StoreError>;

    /// An administrator's reset of a staff account's password: the hash of a one-time password
    /// that works until `one_time_until` and must be replaced at first sign-in, every session of the
    /// account ended, and the change logged, in one transaction. `Missing` for no such staff account.
    async fn reset_staff_password(
        &self,
        id: i64,
        password_hash: &str,
        one_time_until: DateTime<Utc>,
        by: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Makes the account follow the case from `at`, unless it follows `max` cases already;
    /// `false` when it already followed this one or holds `max`.
    async fn follow_case(&self, account_id: i64, case_id: i64, at: DateTime<Utc>, max: u32)
        -> Result<bool, StoreError>;

    /// The cases the account follows, with when it began, by case number.
    async fn followed_cases(&self, account_id: i64) -> Result<Vec<(i64, DateTime<Utc>)>, StoreError>;

    /// Stops the account following the case; `false` when it did not.
    async fn unfollow_case(&self, account_id: i64, case_id: i64) -> Result<bool, StoreError>;

    /// Whether the account follows the case.
    async fn follows_case(&self, account_id: i64, case_id: i64) -> Result<bool, StoreError>;

    /// Stores an alert of the account, unless it already holds `max` of them (`None`).
    async fn create_alert(
        &self,
        account_id: i64,
        alert: &NewAlert,
        at: DateTime<Utc>,
        max: u32,
    ) -> Result<Option<i64>, StoreError>;

    /// The account's alerts, oldest first.
    async fn account_alerts(&self, account_id: i64) -> Result<Vec<Alert>, StoreError>;

    /// Deletes one of the account's alerts; `false` when the account holds no such alert.
    async fn delete_alert(&self, account_id: i64, alert_id: i64) -> Result<bool, StoreError>;

    /// The account's notices since `since`, newest first, at most `limit`: the public steps (but
    /// the submission) of the cases it reported or follows (from when it followed), and the screening of new cases its
    /// alerts watch (from when each alert was made), marked unread when newer than the last time
    /// the account read its notices.
    async fn account_notices(
        &self,
        account_id: i64,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Notice>, StoreError>;

    /// Records that the account read its notices at `at`.
    async fn mark_notices_read(&self, account_id: i64, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Public steps after `since` of followed cases, oldest first, at most `limit`, for each
    /// follower with a verified address who is not the case's reporter and whose notice on
    /// [`FollowerNotice::channel`] is not settled (never claimed, or failed and due again by `now`).
    async fn unsettled_follower_notices(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<FollowerNotice>, StoreError>;

    /// Cases screened after `since` that an alert sent at once watches, oldest first, at most
    /// `limit`, whose message (subject: the case number) is not settled by `now`.
    async fn unsettled_alert_matches(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<AlertMatch>, StoreError>;

    /// Daily alerts made before `made_before` whose digest `subject` is not settled by `now`, of
    /// accounts with a verified address, at most `limit`.
    async fn due_daily_alerts(
        &self,
        subject: &str,
        made_before: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DueDigest>, StoreError>;

    /// The cases one alert watches that were screened in `[from, to)`, oldest first, at most `limit`.
    async fn alert_matches_between(
        &self,
        alert_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<AlertMatch>, StoreError>;

    /// Claims the alert message `subject`, as [`Store::claim_notice`] claims a notice.
    async fn claim_alert_delivery(
        &self,
        alert_id: i64,
        subject: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<u32>, StoreError>;

    /// Records how a claimed alert message ended.
    async fn settle_alert_delivery(
        &self,
        alert_id: i64,
        subject: &str,
        outcome: NoticeOutcome,
    ) -> Result<(), StoreError>;

    /// Cases still with their agency (assigned or in progress) whose deadline in force falls in
    /// `[deadline_after, deadline_before)` and whose ladder has not reached its last step, earliest
    /// deadline first, at most `limit`: those the escalation job looks at.
    async fn cases_to_escalate(
        &self,
        deadline_after: DateTime<Utc>,
        deadline_before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError>;

    /// The escalation events since `since`, newest first, at most `limit`, with their cases'
    /// titles, areas and lead agencies: the staff's notices of deadlines.
    /// Only those of cases in `place`: a reader's own are then never crowded out by the rest.
    async fn recent_escalations(
        &self,
        since: DateTime<Utc>,
        place: &EscalationPlace,
        limit: u32,
    ) -> Result<Vec<EscalationNotice>, StoreError>;

    /// Adds a supporter to a case: appends `support`'s `Supported` event (as `append_event` does,
    /// with the same version check) and records its supporter (the event's account, or the
    /// device hash) in one transaction. `Duplicate` when that account or device already supports
    /// the case, checked by the database so that two supports at once cannot both count; nothing
    /// is stored then.
    async fn add_support(&self, support: SupportAppend<'_>) -> Result<(), StoreError>;

    /// The supporters of a case, oldest first.
    async fn case_supporters(&self, case_id: i64) -> Result<Vec<Supporter>, StoreError>;

    /// The accounts of a case's signed-in supporters (those moved over by a merge included), by
    /// id: who gets the case's notices beside its reporter.
    async fn case_supporter_accounts(&self, case_id: i64) -> Result<Vec<i64>, StoreError>;

    /// Merges a duplicate into its original in one transaction: appends `duplicate` (its
    /// rejection as a duplicate of the original) and then `supports`, the original's `Supported`
    /// events moving the duplicate's reporter and supporters over, each at its version. `Conflict`
    /// when either case changed meanwhile, `Duplicate` when a supporter already supports the
    /// original; nothing is stored then.
    async fn merge_case(&self, duplicate: CaseAppend<'_>, supports: &[SupportAppend<'_>]) -> Result<(), StoreError>;

    /// Up to `limit` cases of `queue` whose text holds `words` (see `domain::search`), in the
    /// queue's order, those after `after` when given; with no words, the queue's page as it is.
    async fn search_queue_page(
        &self,
        queue: &StaffQueue,
        words: &[String],
        after: Option<QueueCursor>,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError>;

    // Assignment inside an agency.

    /// The officers of `agency`, active or not, by display name then id: whom a head gives the
    /// agency's cases to, and the names its queue and its cases' timelines show.
    async fn agency_officers(&self, agency: &str) -> Result<Vec<Account>, StoreError>;

    /// Events of `kind`, public or internal, newer than `since`, oldest first, at most `limit`,
    /// with their case ids, whose notice on `channel` is not settled: never claimed, or failed and
    /// due again by `now` (as [`Store::unsettled_notices`] reads the public steps).
    async fn unsettled_notices_of_kind(
        &self,
        kind: ChangeKind,
        channel: &str,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<(i64, CaseEvent)>, StoreError>;

    /// When the account last read its notices (see [`Store::mark_notices_read`]); `None` if never.
    async fn notices_read_at(&self, account_id: i64) -> Result<Option<DateTime<Utc>>, StoreError>;

    // Staff digests and escalation mail.

    /// Active staff accounts of `roles` with a verified e-mail address, by id, at most `limit`.
    async fn staff_addresses(&self, roles: &[ActorRole], limit: u32) -> Result<Vec<StaffAddress>, StoreError>;

    /// The active accounts `kind` goes to (officers, each of one agency; leaders) that have a verified
    /// address and whose digest `kind` of `period` is not settled by `now` (never claimed, or
    /// failed and due again), by id, at most `limit`.
    async fn due_staff_digests(
        &self,
        kind: StaffDigestKind,
        period: &str,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<StaffAddress>, StoreError>;

    /// Claims the digest `kind` of `period` to the account, as [`Store::claim_notice`] claims a
    /// notice: the failed attempts so far to the one caller that claims it, `None` to every other.
    async fn claim_staff_digest(
        &self,
        kind: StaffDigestKind,
        account_id: i64,
        period: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<u32>, StoreError>;

    /// Records how a claimed staff digest ended.
    async fn settle_staff_digest(
        &self,
        kind: StaffDigestKind,
        account_id: i64,
        period: &str,
        outcome: NoticeOutcome,
    ) -> Result<(), StoreError>;

    /// The lists of an agency's daily digest: the cases routed to it in the window, oldest
    /// routing first; those still with it near their deadline and past it, earliest deadline first.
    async fn agency_digest(&self, query: &AgencyDigestQuery<'_>) -> Result<AgencyDigest, StoreError>;

    /// Escalation steps taken after `since`, oldest first, at most `limit`, whose notice on
    /// `channel` is not settled by `now`, with their cases' titles, areas and lead agencies.
    async fn unsettled_escalations(
        &self,
        channel: &str,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<EscalationNotice>, StoreError>;

    // Push notices.

    /// Keeps `candidate` (the private key of the server's VAPID key pair, base64url) unless a key
    /// is kept already, and answers the one kept: of several servers starting at once on one
    /// database, every one ends with the key the first of them wrote.
    async fn push_key(&self, candidate: &str, at: DateTime<Utc>) -> Result<String, StoreError>;

    /// Keeps a browser's subscription for `owner` from `at`, or gives the owner's subscription at
    /// the same endpoint the new keys and language; `false`, storing nothing, when the owner holds
    /// `max` subscriptions at other endpoints already.
    async fn save_push_subscription(
        &self,
        owner: PushOwner,
        subscription: &NewPushSubscription,
        at: DateTime<Utc>,
        max: u32,
    ) -> Result<bool, StoreError>;

    /// Removes the owner's subscription at `endpoint`; `false` when it held none there.
    async fn delete_push_subscription(&self, owner: PushOwner, endpoint: &str) -> Result<bool, StoreError>;

    /// The owner's subscriptions, oldest first.
    async fn push_subscriptions(&self, owner: PushOwner) -> Result<Vec<PushSubscription>, StoreError>;

    /// Removes the subscription `id`, whoever holds it: its push service said it is gone.
    async fn forget_push_subscription(&self, id: i64) -> Result<(), StoreError>;

    /// The steps after `since` each subscription is to be pushed, oldest first, at most `limit`,
    /// whose notice on [`PushNotice::channel`] is not settled (never claimed, or failed and due
    /// again by `now`): the public steps that tell followers (see `domain::alerts::tells_followers`)
    /// to the subscriptions of the case's receipt, of its signed-in reporter and of its followers
    /// and signed-in supporters (from when they followed), and the routing of a case to an agency
    /// (accepted, reopened) to its officers' subscriptions. Only steps after a subscription was
    /// made, and only active accounts' subscriptions. A subscription told of one step for several
    /// reasons comes once per reason, the most particular first (see [`PushRecipient`]).
    async fn unsettled_push_notices(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<PushNotice>, StoreError>;
}

// Push notices.

/// Whose a browser's push subscription is, which decides what it is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOwner {
    /// A signed-in account's: its own cases, those it follows or supports, and for an officer the
    /// cases routed to its agency.
    Account(i64),
    /// The holder's of one case's receipt token: that case alone.
    Receipt(i64),
}

/// A browser's push subscription to keep, as it passed the route's rules: where its push service
/// takes messages, and its keys as the browser gave them (base64url).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPushSubscription {
    pub endpoint: String,
    /// The browser's P-256 public key, 65 bytes uncompressed.
    pub p256dh: String,
    /// The browser's authentication secret, 16 bytes.
    pub auth: String,
    /// The language its messages are written in: the one the subscriber asked in.
    pub lang: domain::lang::Lang,
}

/// A kept push subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushSubscription {
    pub id: i64,
    pub owner: PushOwner,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub lang: domain::lang::Lang,
    pub created_at: DateTime<Utc>,
}

/// Why a subscription is told of a step, the most particular first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PushRecipient {
    /// It holds the case's receipt: the anonymous reporter.
    Receipt,
    /// Its account reported the case.
    Reporter,
    /// Its account is an officer of the agency the case was routed to.
    Officer,
    /// Its account follows or supports the case.
    Follower,
}

/// A step of a case to push to one subscription, with what its message names.
#[derive(Debug, Clone, PartialEq)]
pub struct PushNotice {
    pub case_id: i64,
    /// The case's title as it stands.
    pub title: String,
    pub event: CaseEvent,
    pub subscription: PushSubscription,
    pub recipient: PushRecipient,
    /// The role and agency of the subscription's account; `None` for a receipt's.
    pub account_role: Option<ActorRole>,
    pub account_agency: Option<String>,
}

impl PushNotice {
    /// The notice channel of one subscription's messages, so that each is settled on its own.
    pub fn channel(subscription_id: i64) -> String {
        format!("push:{subscription_id}")
    }
}
