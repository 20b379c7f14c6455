//! The PostgreSQL backend: for a province that outgrows one machine, with stateless servers in front.

use super::codec::corrupt;
use super::shared::{db, impl_store, SearchWalk};
use chrono::{DateTime, NaiveDate, Utc};
use services::store::StoreError;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::query::Query;
use sqlx::types::Json;
use sqlx::{ColumnIndex, PgPool, Postgres, Row};
use std::str::FromStr;
use std::time::Duration;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A PostgreSQL database shared by every server of the deployment.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    catalogue: super::catalogue_cache::CatalogueCache,
    /// New cases go through one writer, a batch per transaction (see `group_commit`).
    intake: std::sync::Arc<super::group_commit::GroupCommit<statements::IntakeJob, services::store::StoredCase>>,
}

impl PgStore {
    /// Connects to `url` with at most `max_connections` and migrates the database.
    pub async fn open(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        // Several servers may start at once; the migrator takes an advisory lock itself.
        MIGRATIONS.run(&pool).await.map_err(|e| StoreError::Database(e.to_string()))?;
        let intake = statements::intake_writer(pool.clone());
        Ok(Self { pool, catalogue: Default::default(), intake })
    }
}

impl_store!(PgStore, sqlx::Postgres);

/// Categories list in the order they were created, which the `position` serial keeps.
const CATEGORY_ORDER: &str = "position";

/// When the hotline should phone a case's reporter, from its facts, as a time so that it sorts as one.
const VERIFICATION_DUE: &str = "(facts->>'verification_due')::timestamptz";

/// Timestamps are TIMESTAMPTZ, which sqlx maps to and from `DateTime<Utc>` itself.
fn encode_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at
}

fn time_at<I: ColumnIndex<PgRow>>(row: &PgRow, index: I) -> Result<DateTime<Utc>, StoreError> {
    row.try_get(index).map_err(db)
}

fn maybe_time_at<I: ColumnIndex<PgRow>>(row: &PgRow, index: I) -> Result<Option<DateTime<Utc>>, StoreError> {
    row.try_get(index).map_err(db)
}

/// Several servers write, each with its own clock: the database's is the one they share.
async fn database_now(pool: &PgPool) -> Result<DateTime<Utc>, StoreError> {
    sqlx::query_scalar("SELECT clock_timestamp()").fetch_one(pool).await.map_err(db)
}

/// A written case is stamped by the database's clock, so nothing is bound for it.
fn changed_at_sql(_param: usize) -> String {
    "clock_timestamp()".to_string()
}

fn bind_changed_at(query: Query<'_, Postgres, PgArguments>) -> Query<'_, Postgres, PgArguments> {
    query
}

/// The same for a row of a multi-row insert.
fn push_changed_at(row: &mut sqlx::query_builder::Separated<'_, '_, Postgres, &'static str>) {
    row.push("clock_timestamp()");
}

/// JSON is stored as JSONB, which sqlx reads and writes through `Json`.
fn json_param<T: serde::Serialize + ?Sized>(value: &T) -> Result<Json<&T>, StoreError> {
    Ok(Json(value))
}

fn json_at<T: serde::de::DeserializeOwned>(row: &PgRow, column: &str) -> Result<T, StoreError> {
    let Json(value) = row.try_get(column).map_err(|e| corrupt(format!("{column}: {e}")))?;
    Ok(value)
}

/// Days are stored as DATE.
fn day_param(day: NaiveDate) -> NaiveDate {
    day
}

fn day_at(row: &PgRow, column: &str) -> Result<NaiveDate, StoreError> {
    row.try_get(column).map_err(db)
}

/// A list binds as an array, which `= ANY` searches.
fn list_param<T: Clone>(items: &[T]) -> Vec<T> {
    items.to_vec()
}

fn in_list(param: usize) -> String {
    format!("= ANY(${param})")
}

/// The full-text table joined to its cases.
fn search_from() -> &'static str {
    "case_search s JOIN cases c ON c.id = s.case_id"
}

/// Whether the case matches the search expression bound at `param`, as GIN answers it.
fn search_match(param: usize) -> String {
    format!("s.document @@ to_tsquery('simple', ${param})")
}

/// A walk down the case numbers with the match as a filter, over the `newest` indexed cases or
/// all of them. GIN reads every match before any order applies, so a word in half the cases costs
/// half the table; a walk stops once the search's window is full. The match is written as the
/// function behind `@@`, which GIN cannot answer, so that the planner walks the primary key
/// (reckoning, as for any function, that many rows match) rather than read GIN on its estimate of
/// how few cases hold all the words together, far too low for words that come together. Each row
/// walked that matches looks up its case (a lateral subquery the planner keeps as it is), where a
/// merge join would read the cases alongside, every one of them, matched or not.
fn search_walk(param: usize, newest: Option<u32>) -> Option<SearchWalk> {
    let walked = match newest {
        Some(rows) => format!("(SELECT case_id, document FROM case_search ORDER BY case_id DESC LIMIT {rows}) s"),
        None => "case_search s".to_string(),
    };
    Some(SearchWalk {
        source: format!("{walked} CROSS JOIN LATERAL (SELECT * FROM cases WHERE cases.id = s.case_id OFFSET 0) c"),
        matched: format!("ts_match_vq(s.document, to_tsquery('simple', ${param}))"),
    })
}

/// The newest matches first.
fn search_recency() -> &'static str {
    "s.case_id DESC"
}

/// What a match is ranked by: `ts_rank`, higher for better matches, read from the stored vector.
fn search_ranked(param: usize) -> String {
    format!("ts_rank(s.document, to_tsquery('simple', ${param}))")
}

fn search_relevance(row: &PgRow, column: &str, _words: &[String]) -> Result<f64, StoreError> {
    let rank: f32 = row.try_get(column).map_err(db)?;
    Ok(f64::from(rank))
}

/// The folded words, the last one (the word being typed) as a prefix: `duong & tran:*`.
fn search_expression(words: &[String]) -> String {
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(n, word)| if n == last { format!("{word}:*") } else { word.clone() })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// The ids of the cases matching the search expression bound at `param`, as a subquery.
fn search_ids(param: usize) -> String {
    format!("SELECT case_id FROM case_search WHERE document @@ to_tsquery('simple', ${param})")
}

/// Writes cases' folded text (rows follow, see `push_search_document`).
fn search_insert_sql() -> &'static str {
    "INSERT INTO case_search (case_id, document) "
}

/// One row of that statement: the case id and its folded text as a vector of its words.
fn push_search_document(
    row: &mut sqlx::query_builder::Separated<'_, '_, Postgres, &'static str>,
    id: i64,
    document: String,
) {
    row.push_bind(id);
    row.push("to_tsvector('simple', ").push_bind_unseparated(document).push_unseparated(")");
}

/// Each case is written once; a second server indexing the same case changes nothing.
fn search_insert_conflict() -> &'static str {
    " ON CONFLICT (case_id) DO NOTHING"
}

/// The highest case id the search has indexed.
fn search_indexed_max_sql() -> &'static str {
    "SELECT COALESCE(MAX(case_id), 0) FROM case_search"
}

/// Whether case `c` is indexed.
fn search_indexed_sql() -> &'static str {
    "EXISTS (SELECT 1 FROM case_search s WHERE s.case_id = c.id)"
}

/// A transaction that will write; PostgreSQL's row locks need no more at its start.
async fn begin_write(pool: &sqlx::PgPool) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
    pool.begin().await
}
