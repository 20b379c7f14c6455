//! The storage seam: everything the server asks of a database, whichever backend provides it.

use crate::core::case::{ActorRole, CaseEvent, CaseMarker, CaseStatus, Channel, PublicCase};
use crate::core::catalogue::{Agency, Category};
use crate::core::contact::ReporterContact;
use crate::core::geo::Area;
use crate::core::new_case::NewCase;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// The store as the server shares it: one per process, handed out through context.
pub type SharedStore = Arc<dyn Store>;

/// What a backend failed at. The text is for logs, never for users.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database is unreachable: {0}")]
    Unavailable(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(String),
}

/// The catalogue a fresh database starts with.
#[derive(Debug, Clone, Default)]
pub struct CatalogueSeed {
    pub categories: Vec<Category>,
    pub agencies: Vec<Agency>,
    pub areas: Vec<Area>,
}

/// The facts about a submission that the server, not the client, decides.
#[derive(Debug, Clone)]
pub struct Submission {
    pub channel: Channel,
    pub actor_role: ActorRole,
    /// The served area holding the pin; `None` flags the case as out of area.
    pub area_code: Option<String>,
    pub received_at: DateTime<Utc>,
}

/// The outcome of storing a case. A repeated submission key yields the first case, not a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCase {
    pub id: i64,
    pub newly_created: bool,
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

    /// Stores the case, its contact and its creating event atomically. A submission key seen
    /// before returns the case it created and stores nothing.
    async fn create_case(&self, case: &NewCase, submission: &Submission) -> Result<StoredCase, StoreError>;

    /// The case without personal data or internal events, or `None` when no such case exists.
    async fn public_case(&self, id: i64) -> Result<Option<PublicCase>, StoreError>;

    /// The case's events, oldest first.
    async fn case_events(&self, id: i64) -> Result<Vec<CaseEvent>, StoreError>;

    /// The status the store holds for the case, which must equal the replay of its events.
    async fn case_status(&self, id: i64) -> Result<Option<CaseStatus>, StoreError>;

    /// The reporter's contact, for staff only.
    async fn reporter_contact(&self, id: i64) -> Result<Option<ReporterContact>, StoreError>;

    /// The most recent cases as map markers, newest first, at most `limit`.
    async fn case_markers(&self, limit: u32) -> Result<Vec<CaseMarker>, StoreError>;

    /// How many cases exist.
    async fn count_cases(&self) -> Result<u64, StoreError>;
}
