//! The SQLite backend: the embedded default, one file in WAL mode with full synchronous commits.

use app::core::case::{ActorRole, CaseEvent, CaseMarker, CaseStatus, Channel, EventKind, PublicCase, PublicEvent};
use app::core::catalogue::{Agency, AgencyKind, Category};
use app::core::contact::{Email, PersonName, PhoneNumber, ReporterContact};
use app::core::geo::{Area, AreaShape};
use app::core::new_case::NewCase;
use app::store::{CatalogueSeed, Store, StoreError, StoredCase, Submission};
use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// A SQLite database file (or `sqlite::memory:` for throwaway use).
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
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
        Ok(Self { pool })
    }
}

fn db(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(error.to_string())
        }
        other => StoreError::Database(other.to_string()),
    }
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// Timestamps are stored as RFC 3339 UTC text with microseconds, so they sort as text.
fn encode_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn decode_time(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(format!("time {text:?}: {e}")))
}

fn decode_status(text: &str) -> Result<CaseStatus, StoreError> {
    CaseStatus::parse(text).ok_or_else(|| corrupt(format!("status {text:?}")))
}

fn agency_kind_name(kind: AgencyKind) -> Result<String, StoreError> {
    match serde_json::to_value(kind).map_err(corrupt)? {
        serde_json::Value::String(name) => Ok(name),
        other => Err(corrupt(format!("agency kind {other}"))),
    }
}

fn decode_event(row: &sqlx::sqlite::SqliteRow) -> Result<CaseEvent, StoreError> {
    let kind: String = row.try_get("kind").map_err(db)?;
    let actor: String = row.try_get("actor_role").map_err(db)?;
    let from: Option<String> = row.try_get("from_status").map_err(db)?;
    let to: String = row.try_get("to_status").map_err(db)?;
    let occurred_at: String = row.try_get("occurred_at").map_err(db)?;
    let seq: i64 = row.try_get("seq").map_err(db)?;
    Ok(CaseEvent {
        seq: u32::try_from(seq).map_err(corrupt)?,
        kind: EventKind::parse(&kind).ok_or_else(|| corrupt(format!("event kind {kind:?}")))?,
        actor_role: ActorRole::parse(&actor).ok_or_else(|| corrupt(format!("actor role {actor:?}")))?,
        occurred_at: decode_time(&occurred_at)?,
        from_status: from.as_deref().map(decode_status).transpose()?,
        to_status: decode_status(&to)?,
        note: row.try_get("note").map_err(db)?,
        public: row.try_get("public").map_err(db)?,
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    async fn seed_catalogue(&self, seed: &CatalogueSeed) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        for c in &seed.categories {
            sqlx::query(
                "INSERT INTO categories (code, name_vi, name_en, deadline_days, active) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(&c.code)
            .bind(&c.name_vi)
            .bind(&c.name_en)
            .bind(i64::from(c.deadline_days))
            .bind(c.active)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        for a in &seed.agencies {
            sqlx::query(
                "INSERT INTO agencies (code, name, kind, active) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
            )
            .bind(&a.code)
            .bind(&a.name)
            .bind(agency_kind_name(a.kind)?)
            .bind(a.active)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        for area in &seed.areas {
            let shape = serde_json::to_string(&area.shape).map_err(corrupt)?;
            sqlx::query(
                "INSERT INTO areas (code, name, shape, active) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
            )
            .bind(&area.code)
            .bind(&area.name)
            .bind(shape)
            .bind(area.active)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn categories(&self) -> Result<Vec<Category>, StoreError> {
        let rows = sqlx::query("SELECT code, name_vi, name_en, deadline_days, active FROM categories ORDER BY rowid")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                let days: i64 = row.try_get("deadline_days").map_err(db)?;
                Ok(Category {
                    code: row.try_get("code").map_err(db)?,
                    name_vi: row.try_get("name_vi").map_err(db)?,
                    name_en: row.try_get("name_en").map_err(db)?,
                    deadline_days: u16::try_from(days).map_err(corrupt)?,
                    active: row.try_get("active").map_err(db)?,
                })
            })
            .collect()
    }

    async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
        let rows = sqlx::query("SELECT code, name, kind, active FROM agencies ORDER BY code")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind").map_err(db)?;
                Ok(Agency {
                    code: row.try_get("code").map_err(db)?,
                    name: row.try_get("name").map_err(db)?,
                    kind: serde_json::from_value(serde_json::Value::String(kind)).map_err(corrupt)?,
                    active: row.try_get("active").map_err(db)?,
                })
            })
            .collect()
    }

    async fn areas(&self) -> Result<Vec<Area>, StoreError> {
        let rows = sqlx::query("SELECT code, name, shape, active FROM areas ORDER BY code")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|row| {
                let shape: String = row.try_get("shape").map_err(db)?;
                Ok(Area {
                    code: row.try_get("code").map_err(db)?,
                    name: row.try_get("name").map_err(db)?,
                    shape: serde_json::from_str::<AreaShape>(&shape).map_err(corrupt)?,
                    active: row.try_get("active").map_err(db)?,
                })
            })
            .collect()
    }

    async fn create_case(&self, case: &NewCase, submission: &Submission) -> Result<StoredCase, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let received_at = encode_time(submission.received_at);
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO cases (submission_key, category_code, title, description, lat, lon, area_code, channel,
                                submitted_at, status, version)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
             ON CONFLICT (submission_key) DO NOTHING
             RETURNING id",
        )
        .bind(case.submission_key().as_str())
        .bind(case.category())
        .bind(case.title().as_str())
        .bind(case.description().as_str())
        .bind(case.location().lat())
        .bind(case.location().lon())
        .bind(submission.area_code.as_deref())
        .bind(submission.channel.as_str())
        .bind(&received_at)
        .bind(CaseStatus::Submitted.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some(id) = inserted else {
            let id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE submission_key = ?")
                .bind(case.submission_key().as_str())
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
            tx.rollback().await.map_err(db)?;
            return Ok(StoredCase { id, newly_created: false });
        };
        if let Some(contact) = case.contact() {
            sqlx::query("INSERT INTO case_contacts (case_id, name, phone, email) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(contact.name.as_ref().map(PersonName::as_str))
                .bind(contact.phone.as_ref().map(PhoneNumber::as_str))
                .bind(contact.email.as_ref().map(Email::as_str))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let data = serde_json::json!({ "area": submission.area_code, "channel": submission.channel.as_str() });
        sqlx::query(
            "INSERT INTO case_events (case_id, seq, kind, actor_role, occurred_at, from_status, to_status, note, public, data)
             VALUES (?, 1, ?, ?, ?, NULL, ?, NULL, 1, ?)",
        )
        .bind(id)
        .bind(EventKind::Submitted.as_str())
        .bind(submission.actor_role.as_str())
        .bind(&received_at)
        .bind(CaseStatus::Submitted.as_str())
        .bind(data.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(StoredCase { id, newly_created: true })
    }

    async fn public_case(&self, id: i64) -> Result<Option<PublicCase>, StoreError> {
        let row = sqlx::query(
            "SELECT c.id, c.category_code, k.name_vi, k.name_en, c.title, c.description, c.status, c.lat, c.lon,
                    a.name AS area_name, c.channel, c.submitted_at
             FROM cases c
             JOIN categories k ON k.code = c.category_code
             LEFT JOIN areas a ON a.code = c.area_code
             WHERE c.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let events = self.case_events(id).await?;
        let status: String = row.try_get("status").map_err(db)?;
        let channel: String = row.try_get("channel").map_err(db)?;
        let submitted_at: String = row.try_get("submitted_at").map_err(db)?;
        Ok(Some(PublicCase {
            id: row.try_get("id").map_err(db)?,
            category_code: row.try_get("category_code").map_err(db)?,
            category_name_vi: row.try_get("name_vi").map_err(db)?,
            category_name_en: row.try_get("name_en").map_err(db)?,
            title: row.try_get("title").map_err(db)?,
            description: row.try_get("description").map_err(db)?,
            status: decode_status(&status)?,
            lat: row.try_get("lat").map_err(db)?,
            lon: row.try_get("lon").map_err(db)?,
            area_name: row.try_get("area_name").map_err(db)?,
            channel: Channel::parse(&channel).ok_or_else(|| corrupt(format!("channel {channel:?}")))?,
            submitted_at: decode_time(&submitted_at)?,
            timeline: events.iter().filter_map(PublicEvent::of).collect(),
        }))
    }

    async fn case_events(&self, id: i64) -> Result<Vec<CaseEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, kind, actor_role, occurred_at, from_status, to_status, note, public
             FROM case_events WHERE case_id = ? ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(decode_event).collect()
    }

    async fn case_status(&self, id: i64) -> Result<Option<CaseStatus>, StoreError> {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM cases WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        status.as_deref().map(decode_status).transpose()
    }

    async fn reporter_contact(&self, id: i64) -> Result<Option<ReporterContact>, StoreError> {
        let row = sqlx::query("SELECT name, phone, email FROM case_contacts WHERE case_id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let name: Option<String> = row.try_get("name").map_err(db)?;
        let phone: Option<String> = row.try_get("phone").map_err(db)?;
        let email: Option<String> = row.try_get("email").map_err(db)?;
        // Stored values were parsed on the way in, so parsing them again only fails on corruption.
        Ok(Some(ReporterContact {
            name: name.as_deref().map(PersonName::parse).transpose().map_err(|r| corrupt(format!("name: {r:?}")))?,
            phone: phone
                .as_deref()
                .map(PhoneNumber::parse)
                .transpose()
                .map_err(|r| corrupt(format!("phone: {r:?}")))?,
            email: email.as_deref().map(Email::parse).transpose().map_err(|r| corrupt(format!("email: {r:?}")))?,
        }))
    }

    async fn case_markers(&self, limit: u32) -> Result<Vec<CaseMarker>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, title, category_code, status, lat, lon FROM cases ORDER BY submitted_at DESC, id DESC LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|row| {
                let status: String = row.try_get("status").map_err(db)?;
                Ok(CaseMarker {
                    id: row.try_get("id").map_err(db)?,
                    title: row.try_get("title").map_err(db)?,
                    category_code: row.try_get("category_code").map_err(db)?,
                    status: decode_status(&status)?,
                    lat: row.try_get("lat").map_err(db)?,
                    lon: row.try_get("lon").map_err(db)?,
                })
            })
            .collect()
    }

    async fn count_cases(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&self.pool).await.map_err(db)?;
        u64::try_from(count).map_err(corrupt)
    }
}
