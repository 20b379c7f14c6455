//! The SQLite backend: the embedded default, one file in WAL mode with full synchronous commits.

use super::codec::corrupt;
use super::shared::{db, impl_store, SearchWalk};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use services::store::StoreError;
use sqlx::query::Query;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{ColumnIndex, Row, Sqlite, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// A SQLite database file (or `sqlite::memory:` for throwaway use).
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    catalogue: super::catalogue_cache::CatalogueCache,
    /// New cases go through one writer, a batch per transaction (see `group_commit`).
    intake: std::sync::Arc<super::group_commit::GroupCommit<statements::IntakeJob, services::store::StoredCase>>,
}

impl SqliteStore {
    /// Opens or creates the database at `url`, creating its folder, and migrates it.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // A citizen's report is acknowledged only once it is on disk.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(folder) = Path::new(options.get_filename()).parent() {
            if !folder.as_os_str().is_empty() {
                std::fs::create_dir_all(folder).map_err(|e| StoreError::Unavailable(e.to_string()))?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        MIGRATIONS.run(&pool).await.map_err(|e| StoreError::Database(e.to_string()))?;
        let intake = statements::intake_writer(pool.clone());
        Ok(Self { pool, catalogue: Default::default(), intake })
    }
}

impl_store!(SqliteStore, sqlx::Sqlite);

/// Categories list in the order they were created; SQLite's `rowid` keeps it.
const CATEGORY_ORDER: &str = "rowid";

/// When the hotline should phone a case's reporter, from its facts.
const VERIFICATION_DUE: &str = "json_extract(facts, '$.verification_due')";

/// Timestamps are stored as RFC 3339 UTC text with microseconds, so they sort as text.
fn encode_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn decode_time(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(format!("time {text:?}: {e}")))
}

fn time_at<I: ColumnIndex<SqliteRow>>(row: &SqliteRow, index: I) -> Result<DateTime<Utc>, StoreError> {
    decode_time(row.try_get(index).map_err(db)?)
}

fn maybe_time_at<I: ColumnIndex<SqliteRow>>(row: &SqliteRow, index: I) -> Result<Option<DateTime<Utc>>, StoreError> {
    row.try_get::<Option<&str>, _>(index).map_err(db)?.map(decode_time).transpose()
}

/// One process owns an SQLite file, so its clock is the database's clock.
async fn database_now(_pool: &SqlitePool) -> Result<DateTime<Utc>, StoreError> {
    Ok(Utc::now())
}

/// A written case is stamped by that clock, bound as the statement's parameter `param`.
fn changed_at_sql(param: usize) -> String {
    format!("${param}")
}

fn bind_changed_at<'q>(query: Query<'q, Sqlite, SqliteArguments<'q>>) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    query.bind(encode_time(Utc::now()))
}

/// The same clock for a row of a multi-row insert.
fn push_changed_at(row: &mut sqlx::query_builder::Separated<'_, '_, Sqlite, &'static str>) {
    row.push_bind(encode_time(Utc::now()));
}

/// JSON is stored as TEXT, which SQLite's JSON functions read.
fn json_param<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(corrupt)
}

fn json_at<T: serde::de::DeserializeOwned>(row: &SqliteRow, column: &str) -> Result<T, StoreError> {
    let text: &str = row.try_get(column).map_err(db)?;
    serde_json::from_str(text).map_err(|e| corrupt(format!("{column}: {e}")))
}

/// Days are stored as ISO 8601 text, so they sort as text.
fn day_param(day: NaiveDate) -> String {
    day.to_string()
}

fn day_at(row: &SqliteRow, column: &str) -> Result<NaiveDate, StoreError> {
    let day: &str = row.try_get(column).map_err(db)?;
    day.parse().map_err(|e| corrupt(format!("{column} {day:?}: {e}")))
}

/// SQLite has no arrays: a list binds as one JSON array that `json_each` unpacks.
fn list_param<T: Clone + Into<serde_json::Value>>(items: &[T]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

fn in_list(param: usize) -> String {
    format!("IN (SELECT value FROM json_each(${param}))")
}

/// The full-text table joined to its cases: FTS5 keeps the case id as the row id.
fn search_from() -> &'static str {
    "case_search s JOIN cases c ON c.id = s.rowid"
}

/// Whether the case matches the search expression bound at `param`.
fn search_match(param: usize) -> String {
    format!("case_search MATCH ${param}")
}

/// Never a walk: FTS5 reads a query ordered by rowid from its posting lists in that order and stops
/// when the search's window is full, which is what a walk would do.
fn search_walk(_param: usize, _newest: Option<u32>) -> Option<SearchWalk> {
    None
}

/// The newest matches first, in the full-text index's own order.
fn search_recency() -> &'static str {
    "s.rowid DESC"
}

/// What a match is ranked by: its folded text, which `domain::search::relevance` measures. FTS5's
/// own `bm25` would count every case holding each word first, which costs more than the search.
fn search_ranked(_param: usize) -> String {
    "s.document".to_string()
}

fn search_relevance(row: &SqliteRow, column: &str, words: &[String]) -> Result<f64, StoreError> {
    let document: &str = row.try_get(column).map_err(db)?;
    Ok(domain::search::relevance(document, words))
}

/// The folded words, the last one (the word being typed) as a prefix: `"duong" "tran"*` (FTS5
/// reads juxtaposed terms as AND). Whole words and prefixes of up to 7 letters (every Vietnamese
/// syllable) are read from the index in rowid order; a longer prefix is merged from every word it
/// starts first.
fn search_expression(words: &[String]) -> String {
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(n, word)| if n == last { format!("\"{word}\"*") } else { format!("\"{word}\"") })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The ids of the cases matching the search expression bound at `param`, as a subquery.
fn search_ids(param: usize) -> String {
    format!("SELECT rowid FROM case_search WHERE case_search MATCH ${param}")
}

/// Writes cases' folded text (rows follow, see `push_search_document`), replacing earlier text.
fn search_insert_sql() -> &'static str {
    "INSERT OR REPLACE INTO case_search (rowid, document) "
}

/// One row of that statement: the case id and its folded text.
fn push_search_document(
    row: &mut sqlx::query_builder::Separated<'_, '_, Sqlite, &'static str>,
    id: i64,
    document: String,
) {
    row.push_bind(id).push_bind(document);
}

/// What follows the rows: nothing, the statement itself replaces.
fn search_insert_conflict() -> &'static str {
    ""
}

/// The highest case id the search has indexed.
fn search_indexed_max_sql() -> &'static str {
    "SELECT COALESCE(MAX(rowid), 0) FROM case_search"
}

/// Whether case `c` is indexed.
fn search_indexed_sql() -> &'static str {
    "EXISTS (SELECT 1 FROM case_search s WHERE s.rowid = c.id)"
}

/// A transaction that will write, holding SQLite's write lock from its first statement: one that
/// read first and wrote later would fail at once (not wait) if another connection wrote between
/// its read and its write, which the background jobs and several requests at once make likely.
async fn begin_write(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}
