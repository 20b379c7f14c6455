//! The store's statements and row decoding, written once and expanded for each backend.

use domain::case::CaseStatus;
use services::store::StoreError;

/// An account's columns, with a coordinator's areas gathered into one comma-separated column.
/// SQLite has known `string_agg` since 3.44; sqlx bundles a later one.
pub const ACCOUNT_COLUMNS: &str =
    "id, username, display_name, role, agency_code, active, one_time_password_until, agency_head,
    (SELECT string_agg(area_code, ',') FROM coordinator_areas WHERE account_id = accounts.id) AS areas";
pub const SUMMARY_COLUMNS: &str = "id, title, category_code, area_code, channel, lat, lon, submitted_at, facts";
pub const EVENT_COLUMNS: &str = "seq, actor_role, actor_id, occurred_at, from_status, to_status, public, data";
pub const DIGEST_COLUMNS: &str = "id, lat, lon, category_code, area_code, lead_agency, channel, status, submitted_at,
                                  deadline, rejection, handled_on_time, rating, changed_at, screened_at,
                                  result_submitted_at, resolved_at";

/// How many cases one read of digests by id names at most.
pub const DIGESTS_PER_READ: usize = 5_000;

/// An export's columns: those every case is counted by, then, unless the case is held back, its
/// public fields. A held-back case's text and place are never read out for an export.
pub fn export_columns() -> String {
    let held_back = held_back_sql();
    let published = [
        "title",
        "description",
        "address",
        "lat",
        "lon",
        "lead_agency",
        "deadline",
        "screened_at",
        "result_submitted_at",
        "resolved_at",
        "handled_on_time",
        "rating",
        "published_result",
    ]
    .map(|column| format!("CASE WHEN {held_back} THEN NULL ELSE {column} END AS {column}"))
    .join(", ");
    format!(
        "id, submitted_at, status, channel, category_code, area_code, rejection, {held_back} AS held_back, {published}"
    )
}
pub const CASE_PHOTO_COLUMNS: &str =
    "p.id, p.thumbnail_key, cp.event_seq, CAST(p.width AS BIGINT) AS width, CAST(p.height AS BIGINT) AS height";

pub fn db(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(error.to_string())
        }
        other => StoreError::Database(other.to_string()),
    }
}

/// What saving a catalogue entry does to one already stored under its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// An administrator's edit replaces it.
    Replace,
    /// Seeding keeps it, so a restart never undoes an edit.
    Keep,
}

impl Existing {
    /// `insert` with the conflict clause on `key`: `update` (SET assignments) or nothing.
    pub fn upsert(self, insert: &str, key: &str, update: &str) -> String {
        match self {
            Existing::Replace => format!("{insert} ON CONFLICT ({key}) DO UPDATE SET {update}"),
            Existing::Keep => format!("{insert} ON CONFLICT ({key}) DO NOTHING"),
        }
    }
}

/// The SQL form of [`domain::case::held_back`] over a row of `cases` (its `status` and `rejection`):
/// the storage's copy of the one rule, which the conformance suite checks against it for every
/// status and reason.
pub fn held_back_sql() -> String {
    format!(
        "(status = '{}' OR (status = '{}' AND COALESCE(rejection, '') = '{}'))",
        CaseStatus::Submitted.as_str(),
        CaseStatus::Rejected.as_str(),
        domain::workflow::RejectReason::Inappropriate.as_str()
    )
}

pub fn status_names(statuses: &[CaseStatus]) -> Vec<String> {
    statuses.iter().map(|s| s.as_str().to_string()).collect()
}

/// Implements `Store` (and `close`) for `$store`, a backend's struct holding a `pool` of `$db`.
/// SQL is written once with `$N` placeholders, which both backends accept. What each database does
/// its own way comes from the module that invokes this, its dialect:
/// - `encode_time`, `time_at`, `maybe_time_at`: how a timestamp binds and reads back;
/// - `json_param`, `json_at`, `day_param`, `day_at`: the same for JSON and for calendar days;
/// - `list_param`, `in_list(n)`: a list bound as parameter `n`, and the SQL testing membership in it;
/// - `changed_at_sql(n)`, `bind_changed_at`, `push_changed_at`, `database_now`: whose clock stamps a written case;
/// - `CATEGORY_ORDER`, `VERIFICATION_DUE`: SQL the two spell differently.
///
/// A macro rather than generic code: sqlx's bounds for a generic database would outweigh the code.
macro_rules! impl_store {
    ($store:ident, $db:ty) => {
        mod statements {
            use super::{
                bind_changed_at, changed_at_sql, database_now, day_at, day_param, encode_time, in_list, json_at,
                begin_write, json_param, list_param, maybe_time_at, push_changed_at, search_expression, search_from, search_ids,
                search_indexed_max_sql, search_indexed_sql, search_insert_conflict, search_insert_sql, search_match, push_search_document, search_ranked, search_recency, search_relevance, search_walk, time_at,
                $store, CATEGORY_ORDER, VERIFICATION_DUE,
            };
            use crate::storage::codec::{
                add_count, corrupt, decode_case_photo, decode_contact, decode_status, entry_json, enum_name,
                enum_value, split_areas, to_u32,
            };
            use crate::storage::group_commit::GroupCommit;
            use crate::storage::shared::{
                db, export_columns, held_back_sql, status_names, Existing, ACCOUNT_COLUMNS, CASE_PHOTO_COLUMNS,
                DIGESTS_PER_READ, DIGEST_COLUMNS, EVENT_COLUMNS, SUMMARY_COLUMNS,
            };
            use domain::access_log::{AccessCount, AccessEntry, AccessPurpose, AccessQuery, AccessSubject, NewAccess};
            use domain::alerts::{tells_followers, without_repeats, Alert, AlertFrequency, AlertPlace, NewAlert, Notice, NoticeReason};
            use domain::map_query::Bounds;
            use domain::account::{Account, NewAccount, RoleAssignment};
            use domain::calls::{Call, CallCounts, CallDirection, CallRecord};
            use domain::case::{
                public_photos, public_timeline, ActorRole, CaseEvent, CaseStatus, Channel, PublicCase, PublicListItem,
            };
            use domain::catalogue::{Agency, CatalogueChange, CatalogueEdit, Category, Entity, Route};
            use domain::contact::{Email, PersonName, PhoneNumber, ReporterContact};
            use domain::deadline::Holiday;
            use domain::digest::StaffDigestKind;
            use domain::geo::Area;
            use domain::new_case::NewCase;
            use domain::photos::{CasePhoto, PhotoId};
            use domain::workflow::{CaseFacts, Change, ChangeKind, ErasureReason, RejectReason};
            use services::chain::{event_hash, stored_time, ChainedEvent, EventContent, GENESIS};
            use services::login_throttle::{FailureRun, LoginFailures};
            use services::store::{
                AgencyDigest, AgencyDigestQuery, DigestList, StaffAddress,
                AlertMatch, ApiKey, CaseAppend, DueDigest, EscalationNotice, EscalationPlace, FollowerNotice, CaseDigest, CaseFilter, CaseVersion, CaseQuery, CaseSearch, CaseSummary, CatalogueSeed, ErasableCase, ExportedCase,
                NoticeOutcome, PublishedFields, QueueCursor, SavedCaseIndex, StaffQueue, Store, StoreError, StoredCase, StoredPhoto, Submission,
                SupportAppend, Supporter, UnattachedPhotos,
            };
            use services::store::{NewPushSubscription, PushNotice, PushOwner, PushRecipient, PushSubscription};
            use domain::profile::{AccountHandle, LinkProblem, Profile, ProfileEdit};
            use services::account_links::{LinkPurpose, LinkState, NewLink, AccountAddress};
            use async_trait::async_trait;
            use chrono::{DateTime, Utc};
            use sqlx::Row as _;
            use std::collections::HashMap;

            type DbRow = <$db as sqlx::Database>::Row;
            type Connection = <$db as sqlx::Database>::Connection;
            type Transaction<'c> = sqlx::Transaction<'c, $db>;

            impl $store {
                /// Closes every connection; later calls fail as `Unavailable`.
                pub async fn close(&self) {
                    self.pool.close().await;
                }
            }

            fn decode_event(row: &DbRow) -> Result<CaseEvent, StoreError> {
                let actor: String = row.try_get("actor_role").map_err(db)?;
                let from: Option<String> = row.try_get("from_status").map_err(db)?;
                let to: String = row.try_get("to_status").map_err(db)?;
                Ok(CaseEvent {
                    seq: to_u32(row.try_get("seq").map_err(db)?)?,
                    actor_role: ActorRole::parse(&actor).ok_or_else(|| corrupt(format!("actor role {actor:?}")))?,
                    actor_id: row.try_get("actor_id").map_err(db)?,
                    occurred_at: time_at(row, "occurred_at")?,
                    from_status: from.as_deref().map(decode_status).transpose()?,
                    to_status: decode_status(&to)?,
                    public: row.try_get("public").map_err(db)?,
                    change: json_at(row, "data")?,
                })
            }

            fn decode_account(row: &DbRow) -> Result<Account, StoreError> {
                let role: String = row.try_get("role").map_err(db)?;
                Ok(Account {
                    id: row.try_get("id").map_err(db)?,
                    username: row.try_get("username").map_err(db)?,
                    display_name: row.try_get("display_name").map_err(db)?,
                    role: ActorRole::parse(&role).ok_or_else(|| corrupt(format!("role {role:?}")))?,
                    agency: row.try_get("agency_code").map_err(db)?,
                    areas: split_areas(row.try_get("areas").map_err(db)?),
                    active: row.try_get("active").map_err(db)?,
                    one_time_password_until: maybe_time_at(row, "one_time_password_until")?,
                    agency_head: row.try_get("agency_head").map_err(db)?,
                })
            }

            fn decode_category(row: &DbRow) -> Result<Category, StoreError> {
                let days: i64 = row.try_get("deadline_days").map_err(db)?;
                Ok(Category {
                    code: row.try_get("code").map_err(db)?,
                    name_vi: row.try_get("name_vi").map_err(db)?,
                    name_en: row.try_get("name_en").map_err(db)?,
                    deadline_days: u16::try_from(days).map_err(corrupt)?,
                    active: row.try_get("active").map_err(db)?,
                    reminder_days_before: escalation_days(row, "reminder_days_before")?,
                    leader_days_after: escalation_days(row, "leader_days_after")?,
                })
            }

            /// A step of a category's own escalation ladder, in working days; `None` where it keeps
            /// the province's setting.
            fn escalation_days(row: &DbRow, column: &str) -> Result<Option<u16>, StoreError> {
                let days: Option<i64> = row.try_get(column).map_err(db)?;
                days.map(|days| u16::try_from(days).map_err(corrupt)).transpose()
            }

            fn decode_agency(row: &DbRow) -> Result<Agency, StoreError> {
                let kind: String = row.try_get("kind").map_err(db)?;
                Ok(Agency {
                    code: row.try_get("code").map_err(db)?,
                    name: row.try_get("name").map_err(db)?,
                    kind: enum_value(&kind)?,
                    contact: row.try_get("contact").map_err(db)?,
                    active: row.try_get("active").map_err(db)?,
                })
            }

            fn decode_area(row: &DbRow) -> Result<Area, StoreError> {
                Ok(Area {
                    code: row.try_get("code").map_err(db)?,
                    name: row.try_get("name").map_err(db)?,
                    shape: json_at(row, "shape")?,
                    active: row.try_get("active").map_err(db)?,
                })
            }

            fn decode_channel(text: &str) -> Result<Channel, StoreError> {
                Channel::parse(text).ok_or_else(|| corrupt(format!("channel {text:?}")))
            }

            fn decode_summary(row: &DbRow) -> Result<CaseSummary, StoreError> {
                Ok(CaseSummary {
                    id: row.try_get("id").map_err(db)?,
                    title: row.try_get("title").map_err(db)?,
                    category_code: row.try_get("category_code").map_err(db)?,
                    area_code: row.try_get("area_code").map_err(db)?,
                    channel: decode_channel(row.try_get("channel").map_err(db)?)?,
                    lat: row.try_get("lat").map_err(db)?,
                    lon: row.try_get("lon").map_err(db)?,
                    submitted_at: time_at(row, "submitted_at")?,
                    facts: json_at(row, "facts")?,
                })
            }

            fn decode_digest(row: &DbRow) -> Result<CaseDigest, StoreError> {
                // By position and borrowed: the case index reads a million of these at start-up.
                let rejection: Option<&str> = row.try_get(10).map_err(db)?;
                let rating: Option<&str> = row.try_get(12).map_err(db)?;
                Ok(CaseDigest {
                    id: row.try_get(0).map_err(db)?,
                    lat: row.try_get(1).map_err(db)?,
                    lon: row.try_get(2).map_err(db)?,
                    category: row.try_get(3).map_err(db)?,
                    area: row.try_get(4).map_err(db)?,
                    agency: row.try_get(5).map_err(db)?,
                    channel: decode_channel(row.try_get(6).map_err(db)?)?,
                    status: decode_status(row.try_get(7).map_err(db)?)?,
                    submitted_at: time_at(row, 8)?,
                    deadline: maybe_time_at(row, 9)?,
                    rejection: rejection.map(enum_value).transpose()?,
                    handled_on_time: row.try_get(11).map_err(db)?,
                    rating: rating.map(enum_value).transpose()?,
                    changed_at: time_at(row, 13)?,
                    screened_at: maybe_time_at(row, 14)?,
                    result_submitted_at: maybe_time_at(row, 15)?,
                    resolved_at: maybe_time_at(row, 16)?,
                })
            }

            fn decode_export(row: &DbRow) -> Result<ExportedCase, StoreError> {
                let rejection: Option<&str> = row.try_get("rejection").map_err(db)?;
                let held_back: bool = row.try_get("held_back").map_err(db)?;
                let published = if held_back {
                    None
                } else {
                    let rating: Option<&str> = row.try_get("rating").map_err(db)?;
                    let address: Option<String> = row.try_get("address").map_err(db)?;
                    Some(PublishedFields {
                        title: row.try_get("title").map_err(db)?,
                        description: row.try_get("description").map_err(db)?,
                        address: address.filter(|a| !a.trim().is_empty()),
                        lat: row.try_get("lat").map_err(db)?,
                        lon: row.try_get("lon").map_err(db)?,
                        agency: row.try_get("lead_agency").map_err(db)?,
                        deadline: maybe_time_at(row, "deadline")?,
                        screened_at: maybe_time_at(row, "screened_at")?,
                        result_submitted_at: maybe_time_at(row, "result_submitted_at")?,
                        resolved_at: maybe_time_at(row, "resolved_at")?,
                        handled_on_time: row.try_get("handled_on_time").map_err(db)?,
                        rating: rating.map(enum_value).transpose()?,
                        result: row.try_get("published_result").map_err(db)?,
                    })
                };
                Ok(ExportedCase {
                    id: row.try_get("id").map_err(db)?,
                    submitted_at: time_at(row, "submitted_at")?,
                    status: decode_status(row.try_get("status").map_err(db)?)?,
                    channel: decode_channel(row.try_get("channel").map_err(db)?)?,
                    category: row.try_get("category_code").map_err(db)?,
                    area: row.try_get("area_code").map_err(db)?,
                    rejection: rejection.map(enum_value).transpose()?,
                    published,
                })
            }

            fn decode_call(row: &DbRow) -> Result<CallRecord, StoreError> {
                let direction: String = row.try_get("direction").map_err(db)?;
                let phone: String = row.try_get("phone").map_err(db)?;
                let purpose: Option<String> = row.try_get("purpose").map_err(db)?;
                let outcome: String = row.try_get("outcome").map_err(db)?;
                Ok(CallRecord {
                    id: row.try_get("id").map_err(db)?,
                    call: Call {
                        direction: enum_value(&direction)?,
                        // An erased number is kept as an empty text: the column predates erasure and is NOT NULL.
                        phone: match phone.as_str() {
                            "" => None,
                            kept => Some(PhoneNumber::parse(kept).map_err(|r| corrupt(format!("call phone: {r:?}")))?),
                        },
                        purpose: purpose.as_deref().map(enum_value).transpose()?,
                        outcome: enum_value(&outcome)?,
                        case_id: row.try_get("case_id").map_err(db)?,
                        duration_seconds: to_u32(row.try_get("duration_seconds").map_err(db)?)?,
                        callback_at: maybe_time_at(row, "callback_at")?,
                        note: row.try_get("note").map_err(db)?,
                    },
                    operator_account: row.try_get("operator_account").map_err(db)?,
                    logged_at: time_at(row, "logged_at")?,
                })
            }

            fn decode_api_key(row: &DbRow) -> Result<ApiKey, StoreError> {
                Ok(ApiKey {
                    id: row.try_get("id").map_err(db)?,
                    name: row.try_get("name").map_err(db)?,
                    created_at: time_at(row, "created_at")?,
                    revoked_at: maybe_time_at(row, "revoked_at")?,
                })
            }

            fn decode_photo(row: &DbRow) -> Result<CasePhoto, StoreError> {
                decode_case_photo(
                    row.try_get("id").map_err(db)?,
                    row.try_get("thumbnail_key").map_err(db)?,
                    row.try_get("event_seq").map_err(db)?,
                    row.try_get("width").map_err(db)?,
                    row.try_get("height").map_err(db)?,
                )
            }

            /// The catalogue entry an edit touches, as JSON, read inside the edit's transaction.
            async fn catalogue_entry(tx: &mut Connection, edit: &CatalogueEdit) -> Result<Option<String>, StoreError> {
                match edit {
                    CatalogueEdit::SaveCategory { category } => {
                        let row = sqlx::query(
                            "SELECT code, name_vi, name_en, deadline_days, active, reminder_days_before, leader_days_after FROM categories WHERE code = $1",
                        )
                        .bind(&category.code)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                        entry_json(row.as_ref().map(decode_category).transpose()?)
                    }
                    CatalogueEdit::SaveAgency { agency } => {
                        let row = sqlx::query("SELECT code, name, kind, contact, active FROM agencies WHERE code = $1")
                            .bind(&agency.code)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        entry_json(row.as_ref().map(decode_agency).transpose()?)
                    }
                    CatalogueEdit::ImportArea { area: Area { code, .. } }
                    | CatalogueEdit::SetAreaActive { code, .. } => {
                        let row = sqlx::query("SELECT code, name, shape, active FROM areas WHERE code = $1")
                            .bind(code)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        entry_json(row.as_ref().map(decode_area).transpose()?)
                    }
                    CatalogueEdit::SaveRoute { route: Route { category, area, .. } }
                    | CatalogueEdit::RemoveRoute { category, area } => {
                        let agency: Option<String> = sqlx::query_scalar(
                            "SELECT agency_code FROM routes WHERE category_code = $1 AND area_code = $2",
                        )
                        .bind(category)
                        .bind(area)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                        entry_json(agency.map(|agency| Route {
                            category: category.clone(),
                            area: area.clone(),
                            agency,
                        }))
                    }
                    CatalogueEdit::SaveHoliday { holiday: Holiday { date, .. } }
                    | CatalogueEdit::RemoveHoliday { date } => {
                        let name: Option<String> = sqlx::query_scalar("SELECT name FROM holidays WHERE day = $1")
                            .bind(day_param(*date))
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                        entry_json(name.map(|name| Holiday { date: *date, name }))
                    }
                }
            }

            /// Every row `sql` (without parameters) reads, decoded.
            async fn all_rows<T>(
                pool: &sqlx::Pool<$db>,
                sql: &str,
                decode: fn(&DbRow) -> Result<T, StoreError>,
            ) -> Result<Vec<T>, StoreError> {
                sqlx::query(sql).fetch_all(pool).await.map_err(db)?.iter().map(decode).collect()
            }

            /// Writes one catalogue edit inside an open transaction; answers the rows it touched.
            async fn save_entry(
                tx: &mut Connection,
                edit: &CatalogueEdit,
                existing: Existing,
            ) -> Result<u64, StoreError> {
                let sql: String;
                Ok(match edit {
                    CatalogueEdit::SaveCategory { category: c } => {
                        sql = existing.upsert(
                            "INSERT INTO categories (code, name_vi, name_en, deadline_days, active, reminder_days_before,
                                 leader_days_after)
                             VALUES ($1, $2, $3, $4, $5, $6, $7)",
                            "code",
                            "name_vi = excluded.name_vi, name_en = excluded.name_en,
                             deadline_days = excluded.deadline_days, active = excluded.active,
                             reminder_days_before = excluded.reminder_days_before,
                             leader_days_after = excluded.leader_days_after",
                        );
                        sqlx::query(&sql)
                    }
                    .bind(&c.code)
                    .bind(&c.name_vi)
                    .bind(&c.name_en)
                    .bind(i64::from(c.deadline_days))
                    .bind(c.active)
                    .bind(c.reminder_days_before.map(i64::from))
                    .bind(c.leader_days_after.map(i64::from)),
                    CatalogueEdit::SaveAgency { agency: a } => {
                        sql = existing.upsert(
                            "INSERT INTO agencies (code, name, kind, contact, active) VALUES ($1, $2, $3, $4, $5)",
                            "code",
                            "name = excluded.name, kind = excluded.kind, contact = excluded.contact,
                             active = excluded.active",
                        );
                        sqlx::query(&sql)
                    }
                    .bind(&a.code)
                    .bind(&a.name)
                    .bind(a.kind.as_str())
                    .bind(&a.contact)
                    .bind(a.active),
                    CatalogueEdit::ImportArea { area } => {
                        sql = existing.upsert(
                            "INSERT INTO areas (code, name, shape, active) VALUES ($1, $2, $3, $4)",
                            "code",
                            "name = excluded.name, shape = excluded.shape",
                        );
                        sqlx::query(&sql)
                    }
                    .bind(&area.code)
                    .bind(&area.name)
                    .bind(json_param(&area.shape)?)
                    .bind(area.active),
                    CatalogueEdit::SetAreaActive { code, active } => {
                        sqlx::query("UPDATE areas SET active = $1 WHERE code = $2").bind(*active).bind(code)
                    }
                    CatalogueEdit::SaveRoute { route } => {
                        sql = existing.upsert(
                            "INSERT INTO routes (category_code, area_code, agency_code) VALUES ($1, $2, $3)",
                            "category_code, area_code",
                            "agency_code = excluded.agency_code",
                        );
                        sqlx::query(&sql)
                    }
                    .bind(&route.category)
                    .bind(&route.area)
                    .bind(&route.agency),
                    CatalogueEdit::RemoveRoute { category, area } => {
                        sqlx::query("DELETE FROM routes WHERE category_code = $1 AND area_code = $2")
                            .bind(category)
                            .bind(area)
                    }
                    CatalogueEdit::SaveHoliday { holiday } => {
                        let insert = "INSERT INTO holidays (day, name) VALUES ($1, $2)";
                        sql = existing.upsert(insert, "day", "name = excluded.name");
                        sqlx::query(&sql)
                    }
                    .bind(day_param(holiday.date))
                    .bind(&holiday.name),
                    CatalogueEdit::RemoveHoliday { date } => {
                        sqlx::query("DELETE FROM holidays WHERE day = $1").bind(day_param(*date))
                    }
                }
                .execute(&mut *tx)
                .await
                .map_err(|error| match &error {
                    sqlx::Error::Database(e) if e.is_foreign_key_violation() => StoreError::Missing(edit.target().1),
                    _ => db(error),
                })?
                .rows_affected())
            }

            /// One edit inside an open transaction, logged when it changes the entry.
            async fn apply_edit(
                tx: &mut Connection,
                edit: &CatalogueEdit,
                by: Option<i64>,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let before = catalogue_entry(&mut *tx, edit).await?;
                let affected = save_entry(&mut *tx, edit, Existing::Replace).await?;
                let (entity, key) = edit.target();
                if affected == 0 && matches!(edit, CatalogueEdit::SetAreaActive { .. }) {
                    return Err(StoreError::Missing(key));
                }
                let after = catalogue_entry(&mut *tx, edit).await?;
                if before != after {
                    log_change(&mut *tx, (entity, &key), by, at, before, after).await?;
                }
                Ok(())
            }

            async fn log_change(
                tx: &mut Connection,
                change: (Entity, &str),
                by: Option<i64>,
                at: DateTime<Utc>,
                before: Option<String>,
                after: Option<String>,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO catalogue_changes (changed_at, actor_id, entity, entry_key, before, after)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(encode_time(at))
                .bind(by)
                .bind(change.0.as_str())
                .bind(change.1)
                .bind(before)
                .bind(after)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                Ok(())
            }

            /// Inserts an account; `Duplicate` when the username is taken.
            async fn insert_account(
                connection: &mut Connection,
                account: &NewAccount,
                at: DateTime<Utc>,
            ) -> Result<i64, StoreError> {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO accounts (username, display_name, role, agency_code, password_hash, active, created_at)
                     VALUES ($1, $2, $3, $4, $5, TRUE, $6) ON CONFLICT (username) DO NOTHING RETURNING id",
                )
                .bind(account.username.as_str())
                .bind(account.display_name.as_str())
                .bind(account.role.as_str())
                .bind(account.agency.as_deref())
                .bind(&account.password_hash)
                .bind(encode_time(at))
                .fetch_optional(&mut *connection)
                .await
                .map_err(db)?;
                id.ok_or_else(|| StoreError::Duplicate(format!("username {}", account.username.as_str())))
            }

            /// Writes one view of personal data and everything it showed inside an open transaction.
            async fn insert_access(tx: &mut Connection, access: &NewAccess) -> Result<i64, StoreError> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO staff_accesses (account_id, role, purpose, accessed_at)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(access.account_id)
                .bind(access.role.as_str())
                .bind(access.purpose.as_str())
                .bind(encode_time(access.at))
                .fetch_one(&mut *tx)
                .await
                .map_err(db)?;
                // A few hundred rows per statement keeps well inside both databases' bound parameters.
                for chunk in access.subjects.chunks(500) {
                    let mut subjects =
                        sqlx::QueryBuilder::<$db>::new("INSERT INTO staff_access_subjects (access_id, case_id, call_id) ");
                    subjects.push_values(chunk, |mut row, subject| {
                        row.push_bind(id).push_bind(subject.case_id).push_bind(subject.call_id);
                    });
                    subjects.build().execute(&mut *tx).await.map_err(db)?;
                }
                Ok(id)
            }

            async fn replace_account_areas(tx: &mut Connection, id: i64, areas: &[String]) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM coordinator_areas WHERE account_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                for area in areas {
                    sqlx::query("INSERT INTO coordinator_areas (account_id, area_code) VALUES ($1, $2)")
                        .bind(id)
                        .bind(area)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                }
                Ok(())
            }

            async fn account_in(tx: &mut Connection, id: i64) -> Result<Option<Account>, StoreError> {
                let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                row.as_ref().map(decode_account).transpose()
            }

            /// An event's content as [`EventContent`] describes it, from a row of `case_events`.
            /// A time or JSON payload that no longer decodes (only tampering makes one) reads as a
            /// value no event ever hashed, so `verify` reports the link instead of stopping.
            fn decode_content(row: &DbRow) -> Result<EventContent, StoreError> {
                Ok(EventContent {
                    case_id: row.try_get("case_id").map_err(db)?,
                    seq: row.try_get("seq").map_err(db)?,
                    kind: row.try_get("kind").map_err(db)?,
                    actor_role: row.try_get("actor_role").map_err(db)?,
                    actor_id: row.try_get("actor_id").map_err(db)?,
                    occurred_at: time_at(row, "occurred_at").map(stored_time).unwrap_or_else(|_| "undecodable".into()),
                    from_status: row.try_get("from_status").map_err(db)?,
                    to_status: row.try_get("to_status").map_err(db)?,
                    note: row.try_get("note").map_err(db)?,
                    public: row.try_get("public").map_err(db)?,
                    data: json_at(row, "data").unwrap_or(serde_json::Value::Null),
                })
            }

            const CHAIN_COLUMNS: &str =
                "e.case_id, e.seq, e.kind, e.actor_role, e.actor_id, e.occurred_at, e.from_status, e.to_status, e.note,
                 e.public, e.data, e.hash";

            /// Hashes the events of case `case_id` that have none, each from the hash stored before it;
            /// answers how many it sealed. Only a missing hash is written, which is the one update the
            /// table's triggers allow.
            async fn seal_case_in(tx: &mut Connection, case_id: i64) -> Result<u64, StoreError> {
                let rows = sqlx::query(&format!("SELECT {CHAIN_COLUMNS} FROM case_events e WHERE e.case_id = $1 ORDER BY e.seq"))
                    .bind(case_id)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(db)?;
                let mut previous = GENESIS.to_string();
                let mut sealed = 0;
                for row in &rows {
                    let stored: Option<String> = row.try_get("hash").map_err(db)?;
                    previous = match stored {
                        Some(hash) => hash,
                        None => {
                            let content = decode_content(row)?;
                            let hash = event_hash(&previous, &content);
                            // `hash IS NULL`: a server sealing the same case at the same time wrote
                            // the same value first, and this statement then changes nothing.
                            sqlx::query("UPDATE case_events SET hash = $1 WHERE case_id = $2 AND seq = $3 AND hash IS NULL")
                                .bind(&hash)
                                .bind(case_id)
                                .bind(content.seq)
                                .execute(&mut *tx)
                                .await
                                .map_err(db)?;
                            sealed += 1;
                            hash
                        }
                    };
                }
                Ok(sealed)
            }

            /// The hash event `seq` of case `case_id` chains from: [`GENESIS`] for the first, else the
            /// stored hash of the event before it, sealing the case first if that one has none yet
            /// (an event an older server wrote during a rolling upgrade).
            async fn previous_hash_in(tx: &mut Connection, case_id: i64, seq: i64) -> Result<String, StoreError> {
                if seq <= 1 {
                    return Ok(GENESIS.to_string());
                }
                for _ in 0..2 {
                    let stored: Option<Option<String>> =
                        sqlx::query_scalar("SELECT hash FROM case_events WHERE case_id = $1 AND seq = $2")
                            .bind(case_id)
                            .bind(seq - 1)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?;
                    match stored {
                        Some(Some(hash)) => return Ok(hash),
                        Some(None) => {
                            seal_case_in(tx, case_id).await?;
                        }
                        None => break,
                    }
                }
                Err(corrupt(format!("case {case_id} has no event {} to chain event {seq} from", seq - 1)))
            }

            /// Appends an event inside `tx` if the case is still at the expected version; otherwise
            /// `Conflict` (or `Missing`) and the caller's transaction is left to roll back.
            /// Commits `tx` when `outcome` is a success, else rolls it back at once: SQLite's write
            /// lock must not be held until the pool lends the connection again.
            async fn settle<T>(tx: Transaction<'_>, outcome: Result<T, StoreError>) -> Result<T, StoreError> {
                match outcome {
                    Ok(value) => {
                        tx.commit().await.map_err(db)?;
                        Ok(value)
                    }
                    Err(error) => {
                        if let Err(rollback) = tx.rollback().await {
                            tracing::warn!(%rollback, "rolling back a refused transaction failed");
                        }
                        Err(error)
                    }
                }
            }

            async fn append_in(tx: &mut Transaction<'_>, append: CaseAppend<'_>) -> Result<(), StoreError> {
                let CaseAppend { case_id, expected_version, event, facts } = append;
                // The version check and the write are one statement, so two writers cannot both pass it.
                let update = format!(
                    "UPDATE cases SET status = $1, version = $2, lead_agency = $3, deadline = $4, reporter_account = $5,
                                      facts = $6, rejection = $7, handled_on_time = $8, rating = $9, awaits_review = $12,
                                      screened_at = $13, result_submitted_at = $14, resolved_at = $15,
                                      finished_at = $16, escalated = $17, published_result = $18, assignee = $19,
                                      changed_at = {}
                     WHERE id = $10 AND version = $11",
                    changed_at_sql(20)
                );
                let update = sqlx::query(&update)
                    .bind(event.to_status.as_str())
                    .bind(i64::from(event.seq))
                    .bind(facts.lead_agency.as_deref())
                    .bind(facts.deadline.map(encode_time))
                    .bind(facts.reporter_account)
                    .bind(json_param(facts)?)
                    .bind(facts.rejection.as_ref().map(enum_name).transpose()?)
                    .bind(facts.handled_on_time())
                    .bind(facts.rating.as_ref().map(enum_name).transpose()?)
                    .bind(case_id)
                    .bind(i64::from(expected_version))
                    .bind(facts.awaits_review())
                    .bind(facts.screened_at.map(encode_time))
                    .bind(facts.result_submitted_at.map(encode_time))
                    .bind(facts.resolved_at.map(encode_time))
                    .bind(facts.finished_at.map(encode_time))
                    .bind(facts.escalation_in_force().map(|step| step.as_str()))
                    .bind(facts.published_result.as_deref())
                    .bind(facts.assignee);
                let updated = bind_changed_at(update).execute(&mut **tx).await.map_err(db)?;
                if updated.rows_affected() == 0 {
                    let current: Option<i64> = sqlx::query_scalar("SELECT version FROM cases WHERE id = $1")
                        .bind(case_id)
                        .fetch_optional(&mut **tx)
                        .await
                        .map_err(db)?;
                    return match current {
                        Some(version) => Err(StoreError::Conflict { current: to_u32(version)? }),
                        None => Err(StoreError::Missing(format!("case {case_id}"))),
                    };
                }
                // The update above holds the case's row, so no other event of the case is written
                // between reading the previous hash and inserting this one.
                let content = EventContent::of(case_id, event)?;
                let hash = event_hash(&previous_hash_in(tx, case_id, content.seq).await?, &content);
                insert_event_in(tx, &content, event.occurred_at, &hash).await?;
                match &event.change {
                    Change::ResultSubmitted { photos, .. } => insert_case_photos(tx, case_id, event.seq, photos).await?,
                    Change::PersonalDataErased { contact, call_numbers, photos, .. } => {
                        erase_in(tx, case_id, *contact, *call_numbers > 0, *photos > 0).await?
                    }
                    _ => {}
                }
                Ok(())
            }

            /// Erases what a `PersonalDataErased` event says it erased, with the event: the contact's
            /// fields, the calls' phone numbers, the case's hold on its photos (the photos themselves
            /// then go with the sweep of photos no case holds); and, whatever it says, the push
            /// subscriptions of the case's receipt.
            async fn erase_in(
                tx: &mut Transaction<'_>,
                case_id: i64,
                contact: bool,
                call_numbers: bool,
                photos: bool,
            ) -> Result<(), StoreError> {
                // The browsers of the case's receipt holder are theirs as much as a contact is.
                sqlx::query("DELETE FROM push_subscriptions WHERE case_id = $1")
                    .bind(case_id)
                    .execute(&mut **tx)
                    .await
                    .map_err(db)?;
                if contact {
                    sqlx::query("UPDATE case_contacts SET name = NULL, phone = NULL, email = NULL WHERE case_id = $1")
                        .bind(case_id)
                        .execute(&mut **tx)
                        .await
                        .map_err(db)?;
                }
                if call_numbers {
                    sqlx::query("UPDATE calls SET phone = '' WHERE case_id = $1 AND phone <> ''")
                        .bind(case_id)
                        .execute(&mut **tx)
                        .await
                        .map_err(db)?;
                }
                if photos {
                    sqlx::query("DELETE FROM case_photos WHERE case_id = $1").bind(case_id).execute(&mut **tx).await.map_err(db)?;
                }
                Ok(())
            }

            /// Writes one event: the very values its hash covers, and the hash.
            async fn insert_event_in(
                tx: &mut Transaction<'_>,
                content: &EventContent,
                occurred_at: DateTime<Utc>,
                hash: &str,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO case_events (case_id, seq, kind, actor_role, actor_id, occurred_at, from_status,
                                              to_status, note, public, data, hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(content.case_id)
                .bind(content.seq)
                .bind(&content.kind)
                .bind(&content.actor_role)
                .bind(content.actor_id)
                .bind(encode_time(occurred_at))
                .bind(content.from_status.as_deref())
                .bind(&content.to_status)
                .bind(content.note.as_deref())
                .bind(content.public)
                .bind(json_param(&content.data)?)
                .bind(hash)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
                Ok(())
            }

            /// The event that creates a case, as `submission` describes it.
            fn submitted_event(submission: &Submission) -> CaseEvent {
                CaseEvent {
                    seq: 1,
                    actor_role: submission.actor_role,
                    actor_id: submission.actor_account,
                    occurred_at: submission.received_at,
                    from_status: None,
                    to_status: CaseStatus::Submitted,
                    public: true,
                    change: Change::Submitted {
                        channel: submission.channel,
                        area: submission.area_code.clone(),
                        terms: submission.terms.clone(),
                    },
                }
            }

            /// Links a case's photos to event `seq`, in order. An id naming no recorded photo fails the
            /// foreign key, and with it the whole transaction.
            async fn insert_case_photos(
                tx: &mut Transaction<'_>,
                case_id: i64,
                seq: u32,
                photos: &[PhotoId],
            ) -> Result<(), StoreError> {
                for (position, photo) in photos.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO case_photos (case_id, event_seq, position, photo_id) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(case_id)
                    .bind(i64::from(seq))
                    .bind(position as i32)
                    .bind(photo.as_str())
                    .execute(&mut **tx)
                    .await
                    .map_err(db)?;
                }
                Ok(())
            }

            /// The case stored under `case`'s submission key, as `tx` sees it.
            async fn case_for_key_in(tx: &mut Transaction<'_>, case: &NewCase) -> Result<i64, StoreError> {
                sqlx::query_scalar("SELECT id FROM cases WHERE submission_key = $1")
                    .bind(case.submission_key().as_str())
                    .fetch_one(&mut **tx)
                    .await
                    .map_err(db)
            }

            /// Writes one report inside `tx`: its case, contact, first event, photos and secrets, or
            /// the earlier case under its submission key. `None` when a concurrent writer took the key
            /// and this statement failed for it, which leaves `tx` to roll back to the report's savepoint.
            async fn insert_case_in(
                tx: &mut Transaction<'_>,
                case: &NewCase,
                submission: &Submission,
            ) -> Result<Option<StoredCase>, StoreError> {
                let reporter =
                    if submission.actor_role == ActorRole::Citizen { submission.actor_account } else { None };
                let facts = CaseFacts::on_submission(reporter, submission.terms.clone(), submission.channel);
                let insert = format!(
                    "INSERT INTO cases (submission_key, category_code, title, description, lat, lon, area_code,
                                        channel, submitted_at, status, version, reporter_account, facts, address,
                                        changed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $13, {})
                     ON CONFLICT (submission_key) DO NOTHING
                     RETURNING id",
                    changed_at_sql(14)
                );
                let insert = sqlx::query(&insert)
                    .bind(case.submission_key().as_str())
                    .bind(case.category())
                    .bind(case.title().as_str())
                    .bind(case.description().as_str())
                    .bind(case.location().lat())
                    .bind(case.location().lon())
                    .bind(submission.area_code.as_deref())
                    .bind(submission.channel.as_str())
                    .bind(encode_time(submission.received_at))
                    .bind(CaseStatus::Submitted.as_str())
                    .bind(reporter)
                    .bind(json_param(&facts)?)
                    .bind(case.address());
                let inserted = match bind_changed_at(insert).fetch_optional(&mut **tx).await {
                    Ok(row) => row.map(|row| row.try_get::<i64, _>("id")).transpose().map_err(db)?,
                    // Two servers inserting one key at once: the loser's statement has failed, so
                    // the caller rolls back to the report's savepoint and reads the winner's case.
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(None),
                    Err(error) => return Err(db(error)),
                };
                // The key was taken before, or earlier in this batch: the first case answers.
                let Some(id) = inserted else {
                    let id = case_for_key_in(tx, case).await?;
                    return Ok(Some(StoredCase { id, newly_created: false }));
                };
                if let Some(contact) = case.contact() {
                    sqlx::query("INSERT INTO case_contacts (case_id, name, phone, email) VALUES ($1, $2, $3, $4)")
                        .bind(id)
                        .bind(contact.name.as_ref().map(PersonName::as_str))
                        .bind(contact.phone.as_ref().map(PhoneNumber::as_str))
                        .bind(contact.email.as_ref().map(Email::as_str))
                        .execute(&mut **tx)
                        .await
                        .map_err(db)?;
                }
                let content = EventContent::of(id, &submitted_event(submission))?;
                insert_event_in(tx, &content, submission.received_at, &event_hash(GENESIS, &content)).await?;
                insert_case_photos(tx, id, 1, case.photos()).await?;
                let secrets = [
                    ("INSERT INTO case_receipts (token_hash, case_id) VALUES ($1, $2)", &submission.secrets.receipt_hash),
                    ("INSERT INTO case_claims (code_hash, case_id) VALUES ($1, $2)", &submission.secrets.claim_code_hash),
                ];
                for (insert, hash) in secrets {
                    if let Some(hash) = hash {
                        sqlx::query(insert).bind(hash).bind(id).execute(&mut **tx).await.map_err(db)?;
                    }
                }
                Ok(Some(StoredCase { id, newly_created: true }))
            }

            /// One report waiting for the intake writer.
            pub(super) type IntakeJob = (NewCase, Submission);

            /// The group-commit writer of new cases for `pool`: see [`write_intake_batch`].
            pub(super) fn intake_writer(pool: sqlx::Pool<$db>) -> std::sync::Arc<GroupCommit<IntakeJob, StoredCase>> {
                std::sync::Arc::new(GroupCommit::new(std::sync::Arc::new(move |jobs| {
                    let pool = pool.clone();
                    Box::pin(async move { write_intake_batch(&pool, jobs).await })
                })))
            }

            /// Writes a whole batch with one statement per table: its cases (a repeated key keeps the
            /// first), then the new cases' contacts, first events, photos and secrets. Any failure
            /// fails the lot, and the caller writes the batch again one savepoint per report.
            async fn insert_cases_together(
                tx: &mut Transaction<'_>,
                jobs: &[IntakeJob],
            ) -> Result<Vec<StoredCase>, StoreError> {
                let reporter = |submission: &Submission| {
                    if submission.actor_role == ActorRole::Citizen { submission.actor_account } else { None }
                };
                let facts: Vec<CaseFacts> = jobs
                    .iter()
                    .map(|(_, submission)| CaseFacts::on_submission(reporter(submission), submission.terms.clone(), submission.channel))
                    .collect();
                let facts_json = facts.iter().map(|f| json_param(f)).collect::<Result<Vec<_>, _>>()?;
                let mut insert = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO cases (submission_key, category_code, title, description, lat, lon, area_code, channel,
                                        submitted_at, status, version, reporter_account, facts, address, changed_at) ",
                );
                insert.push_values(jobs.iter().zip(facts_json), |mut row, ((case, submission), facts)| {
                    row.push_bind(case.submission_key().as_str())
                        .push_bind(case.category())
                        .push_bind(case.title().as_str())
                        .push_bind(case.description().as_str())
                        .push_bind(case.location().lat())
                        .push_bind(case.location().lon())
                        .push_bind(submission.area_code.as_deref())
                        .push_bind(submission.channel.as_str())
                        .push_bind(encode_time(submission.received_at))
                        .push_bind(CaseStatus::Submitted.as_str())
                        .push_bind(1_i64)
                        .push_bind(reporter(submission))
                        .push_bind(facts)
                        .push_bind(case.address());
                    push_changed_at(&mut row);
                });
                insert.push(" ON CONFLICT (submission_key) DO NOTHING RETURNING id, submission_key");
                let mut created: HashMap<String, i64> = HashMap::new();
                for row in insert.build().fetch_all(&mut **tx).await.map_err(db)? {
                    created.insert(row.try_get("submission_key").map_err(db)?, row.try_get("id").map_err(db)?);
                }
                // Keys stored before this batch answer with their first case.
                let earlier: Vec<String> = jobs
                    .iter()
                    .map(|(case, _)| case.submission_key().as_str().to_string())
                    .filter(|key| !created.contains_key(key))
                    .collect();
                let mut existing: HashMap<String, i64> = HashMap::new();
                if !earlier.is_empty() {
                    let select = format!("SELECT id, submission_key FROM cases WHERE submission_key {}", in_list(1));
                    for row in sqlx::query(&select).bind(list_param(&earlier)).fetch_all(&mut **tx).await.map_err(db)? {
                        existing.insert(row.try_get("submission_key").map_err(db)?, row.try_get("id").map_err(db)?);
                    }
                }
                // The first job with a newly stored key created it; every other job names a case made before.
                let mut answers = Vec::with_capacity(jobs.len());
                let mut creators = Vec::new();
                for (job, (case, _)) in jobs.iter().enumerate() {
                    let key = case.submission_key().as_str();
                    match created.remove(key) {
                        Some(id) => {
                            existing.insert(key.to_string(), id);
                            creators.push((job, id));
                            answers.push(StoredCase { id, newly_created: true });
                        }
                        None => {
                            let id = existing.get(key).copied().ok_or_else(|| corrupt(format!("no case for key {key}")))?;
                            answers.push(StoredCase { id, newly_created: false });
                        }
                    }
                }
                if creators.is_empty() {
                    return Ok(answers);
                }
                let with_contact: Vec<_> =
                    creators.iter().filter_map(|&(job, id)| jobs[job].0.contact().map(|contact| (id, contact))).collect();
                if !with_contact.is_empty() {
                    let mut contacts = sqlx::QueryBuilder::<$db>::new("INSERT INTO case_contacts (case_id, name, phone, email) ");
                    contacts.push_values(with_contact, |mut row, (id, contact)| {
                        row.push_bind(id)
                            .push_bind(contact.name.as_ref().map(PersonName::as_str))
                            .push_bind(contact.phone.as_ref().map(PhoneNumber::as_str))
                            .push_bind(contact.email.as_ref().map(Email::as_str));
                    });
                    contacts.build().execute(&mut **tx).await.map_err(db)?;
                }
                // Every new case's chain starts here, from the genesis value.
                let contents = creators
                    .iter()
                    .map(|&(job, id)| EventContent::of(id, &submitted_event(&jobs[job].1)))
                    .collect::<Result<Vec<_>, _>>()?;
                let datas = contents.iter().map(|c| json_param(&c.data)).collect::<Result<Vec<_>, _>>()?;
                let mut events = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO case_events (case_id, seq, kind, actor_role, actor_id, occurred_at, from_status,
                                              to_status, note, public, data, hash) ",
                );
                events.push_values(creators.iter().zip(contents.iter().zip(datas)), |mut row, (&(job, _), (content, data))| {
                    row.push_bind(content.case_id)
                        .push_bind(content.seq)
                        .push_bind(content.kind.as_str())
                        .push_bind(content.actor_role.as_str())
                        .push_bind(content.actor_id)
                        .push_bind(encode_time(jobs[job].1.received_at))
                        .push_bind(content.from_status.as_deref())
                        .push_bind(content.to_status.as_str())
                        .push_bind(content.note.as_deref())
                        .push_bind(content.public)
                        .push_bind(data)
                        .push_bind(event_hash(GENESIS, content));
                });
                events.build().execute(&mut **tx).await.map_err(db)?;
                let photos: Vec<(i64, usize, &PhotoId)> = creators
                    .iter()
                    .flat_map(|&(job, id)| jobs[job].0.photos().iter().enumerate().map(move |(at, photo)| (id, at, photo)))
                    .collect();
                if !photos.is_empty() {
                    let mut links =
                        sqlx::QueryBuilder::<$db>::new("INSERT INTO case_photos (case_id, event_seq, position, photo_id) ");
                    links.push_values(photos, |mut row, (id, position, photo)| {
                        row.push_bind(id).push_bind(1_i64).push_bind(position as i32).push_bind(photo.as_str());
                    });
                    links.build().execute(&mut **tx).await.map_err(db)?;
                }
                let receipt = |s: &Submission| s.secrets.receipt_hash.clone();
                let claim = |s: &Submission| s.secrets.claim_code_hash.clone();
                let secrets: [(&str, &(dyn Fn(&Submission) -> Option<String> + Sync)); 2] = [
                    ("INSERT INTO case_receipts (token_hash, case_id) ", &receipt),
                    ("INSERT INTO case_claims (code_hash, case_id) ", &claim),
                ];
                for (insert, hash_of) in secrets {
                    let hashes: Vec<(String, i64)> =
                        creators.iter().filter_map(|&(job, id)| hash_of(&jobs[job].1).map(|hash| (hash, id))).collect();
                    if !hashes.is_empty() {
                        let mut rows = sqlx::QueryBuilder::<$db>::new(insert);
                        rows.push_values(hashes, |mut row, (hash, id)| {
                            row.push_bind(hash).push_bind(id);
                        });
                        rows.build().execute(&mut **tx).await.map_err(db)?;
                    }
                }
                Ok(answers)
            }

            /// Writes a batch of reports in one transaction. When the batch does not write whole, each
            /// report goes inside a savepoint of its own: a report that fails (a constraint, an unknown
            /// photo) is rolled back to its savepoint and answered with its error while the others commit. Nobody is answered before the commit,
            /// so an acknowledged report is on disk; if the commit fails, every report fails with it.
            async fn write_intake_batch(pool: &sqlx::Pool<$db>, jobs: Vec<IntakeJob>) -> Vec<Result<StoredCase, StoreError>> {
                let all_fail = |error: StoreError| jobs.iter().map(|_| Err(error.clone())).collect::<Vec<_>>();
                let mut tx = match begin_write(pool).await {
                    Ok(tx) => tx,
                    Err(error) => return all_fail(db(error)),
                };
                // Reports have passed every rule before they get here, so a batch nearly always
                // writes whole: first as one statement per table, and only if that fails again
                // report by report, to find the ones that fail.
                match insert_cases_together(&mut tx, &jobs).await {
                    Ok(stored) => {
                        return match tx.commit().await {
                            Ok(()) => stored.into_iter().map(Ok).collect(),
                            Err(error) => all_fail(db(error)),
                        };
                    }
                    Err(_) => {
                        if let Err(error) = tx.rollback().await {
                            return all_fail(db(error));
                        }
                    }
                }
                let mut tx = match begin_write(pool).await {
                    Ok(tx) => tx,
                    Err(error) => return all_fail(db(error)),
                };
                let mut answers = Vec::with_capacity(jobs.len());
                for (case, submission) in &jobs {
                    if let Err(error) = sqlx::query("SAVEPOINT report").execute(&mut *tx).await {
                        return all_fail(db(error));
                    }
                    let outcome = insert_case_in(&mut tx, case, submission).await;
                    if !matches!(outcome, Ok(Some(_))) {
                        if let Err(error) = sqlx::query("ROLLBACK TO SAVEPOINT report").execute(&mut *tx).await {
                            return all_fail(db(error));
                        }
                    }
                    if let Err(error) = sqlx::query("RELEASE SAVEPOINT report").execute(&mut *tx).await {
                        return all_fail(db(error));
                    }
                    answers.push(match outcome {
                        Ok(Some(stored)) => Ok(stored),
                        Ok(None) => case_for_key_in(&mut tx, case).await.map(|id| StoredCase { id, newly_created: false }),
                        Err(error) => Err(error),
                    });
                }
                match tx.commit().await {
                    Ok(()) => answers,
                    Err(error) => all_fail(db(error)),
                }
            }

            #[async_trait]
            impl Store for $store {
                async fn ping(&self) -> Result<(), StoreError> {
                    sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db)?;
                    Ok(())
                }

                async fn seed_catalogue(&self, seed: &CatalogueSeed) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let edits = (seed.categories.iter().map(|c| CatalogueEdit::SaveCategory { category: c.clone() }))
                        .chain(seed.agencies.iter().map(|a| CatalogueEdit::SaveAgency { agency: a.clone() }))
                        .chain(seed.areas.iter().map(|a| CatalogueEdit::ImportArea { area: a.clone() }))
                        .chain(seed.routes.iter().map(|r| CatalogueEdit::SaveRoute { route: r.clone() }))
                        .chain(seed.holidays.iter().map(|h| CatalogueEdit::SaveHoliday { holiday: h.clone() }));
                    for edit in edits {
                        // A catalogue already seeded or edited by an administrator is kept as it is.
                        save_entry(&mut tx, &edit, Existing::Keep).await?;
                    }
                    let committed = tx.commit().await.map_err(db);
                    self.catalogue.forget();
                    committed
                }

                async fn categories(&self) -> Result<Vec<Category>, StoreError> {
                    let sql = format!(
                        "SELECT code, name_vi, name_en, deadline_days, active, reminder_days_before, leader_days_after FROM categories ORDER BY {CATEGORY_ORDER}"
                    );
                    self.catalogue.categories.get_or_read(all_rows(&self.pool, &sql, decode_category)).await
                }

                async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
                    let sql = "SELECT code, name, kind, contact, active FROM agencies ORDER BY code";
                    self.catalogue.agencies.get_or_read(all_rows(&self.pool, sql, decode_agency)).await
                }

                async fn areas(&self) -> Result<Vec<Area>, StoreError> {
                    let sql = "SELECT code, name, shape, active FROM areas ORDER BY code";
                    self.catalogue.areas.get_or_read(all_rows(&self.pool, sql, decode_area)).await
                }

                async fn apply_catalogue_edits(
                    &self,
                    edits: &[CatalogueEdit],
                    by: Option<i64>,
                    at: DateTime<Utc>,
                ) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    for edit in edits {
                        if let Err(refused) = apply_edit(&mut tx, edit, by, at).await {
                            // Rolled back here, not when the pool next lends this connection out: a
                            // dropped transaction keeps SQLite's write lock until then, and the next
                            // writer on another connection would wait for it and time out.
                            if let Err(error) = tx.rollback().await {
                                tracing::error!(%error, "rolling back refused catalogue edits failed");
                            }
                            return Err(refused);
                        }
                    }
                    let committed = tx.commit().await.map_err(db);
                    self.catalogue.forget();
                    committed
                }

                async fn catalogue_changes(
                    &self,
                    before_id: Option<i64>,
                    limit: u32,
                ) -> Result<Vec<CatalogueChange>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT c.id, c.changed_at, a.username, c.entity, c.entry_key, c.before, c.after
                         FROM catalogue_changes c LEFT JOIN accounts a ON a.id = c.actor_id
                         WHERE $1 IS NULL OR c.id < $1 ORDER BY c.id DESC LIMIT $2",
                    )
                    .bind(before_id)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|row| {
                            let entity: String = row.try_get("entity").map_err(db)?;
                            Ok(CatalogueChange {
                                id: row.try_get("id").map_err(db)?,
                                at: time_at(row, "changed_at")?,
                                actor: row.try_get("username").map_err(db)?,
                                entity: Entity::parse(&entity).ok_or_else(|| corrupt(format!("entity {entity:?}")))?,
                                key: row.try_get("entry_key").map_err(db)?,
                                before: row.try_get("before").map_err(db)?,
                                after: row.try_get("after").map_err(db)?,
                            })
                        })
                        .collect()
                }

                async fn staff_accounts(&self) -> Result<Vec<Account>, StoreError> {
                    let sql =
                        format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE role <> 'citizen' ORDER BY username");
                    all_rows(&self.pool, &sql, decode_account).await
                }

                async fn invite_account(
                    &self,
                    account: &NewAccount,
                    areas: &[String],
                    one_time_until: Option<DateTime<Utc>>,
                    by: Option<i64>,
                    at: DateTime<Utc>,
                ) -> Result<i64, StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let invited = async {
                        let id = insert_account(&mut tx, account, at).await?;
                        sqlx::query("UPDATE accounts SET one_time_password_until = $1 WHERE id = $2")
                            .bind(one_time_until.map(encode_time))
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        replace_account_areas(&mut tx, id, areas).await?;
                        let after = entry_json(account_in(&mut tx, id).await?)?;
                        log_change(&mut tx, (Entity::Account, account.username.as_str()), by, at, None, after).await?;
                        Ok(id)
                    }
                    .await;
                    settle(tx, invited).await
                }

                async fn update_account(
                    &self,
                    id: i64,
                    assignment: &RoleAssignment,
                    active: bool,
                    by: Option<i64>,
                    at: DateTime<Utc>,
                ) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let updated = async {
                    let Some(before) = account_in(&mut tx, id).await? else {
                        return Err(StoreError::Missing(format!("account {id}")));
                    };
                    sqlx::query("UPDATE accounts SET role = $1, agency_code = $2, active = $3, agency_head = $5 WHERE id = $4")
                        .bind(assignment.role.as_str())
                        .bind(assignment.agency.as_deref())
                        .bind(active)
                        .bind(id)
                        .bind(assignment.agency_head)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    replace_account_areas(&mut tx, id, &assignment.areas).await?;
                    if !active {
                        // A deactivated person is signed out everywhere at once.
                        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    let after = account_in(&mut tx, id).await?;
                    if after.as_ref() != Some(&before) {
                        let key = before.username.clone();
                        let (before, after) = (entry_json(Some(before))?, entry_json(after)?);
                        log_change(&mut tx, (Entity::Account, &key), by, at, before, after).await?;
                    }
                    Ok(())
                    }
                    .await;
                    settle(tx, updated).await
                }

                async fn create_case(&self, case: &NewCase, submission: &Submission) -> Result<StoredCase, StoreError> {
                    self.intake.submit((case.clone(), submission.clone())).await
                }

                async fn public_cases(&self, ids: &[i64]) -> Result<Vec<PublicCase>, StoreError> {
                    if ids.is_empty() {
                        return Ok(Vec::new());
                    }
                    // One list parameter stands for the whole page in every query.
                    let (wanted, in_wanted) = (list_param(ids), in_list(1));
                    let rows = sqlx::query(&format!(
                        "SELECT c.id, c.category_code, k.name_vi, k.name_en, c.title, c.description, c.status,
                                c.lat, c.lon, a.name AS area_name, c.channel, c.submitted_at, c.address
                         FROM cases c
                         JOIN categories k ON k.code = c.category_code
                         LEFT JOIN areas a ON a.code = c.area_code
                         WHERE c.id {in_wanted}"
                    ))
                    .bind(&wanted)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let mut events = self.events_of_cases(ids).await?;
                    let mut photos: HashMap<i64, Vec<CasePhoto>> = HashMap::new();
                    let photo_rows = sqlx::query(&format!(
                        "SELECT cp.case_id, {CASE_PHOTO_COLUMNS}
                         FROM case_photos cp JOIN photos p ON p.id = cp.photo_id
                         WHERE cp.case_id {in_wanted}
                         ORDER BY cp.case_id, cp.event_seq, cp.position"
                    ))
                    .bind(&wanted)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    for row in &photo_rows {
                        photos.entry(row.try_get("case_id").map_err(db)?).or_default().push(decode_photo(row)?);
                    }
                    let agencies: HashMap<String, String> =
                        self.agencies().await?.into_iter().map(|a| (a.code, a.name)).collect();
                    let mut found: HashMap<i64, PublicCase> = HashMap::with_capacity(rows.len());
                    for row in &rows {
                        let id: i64 = row.try_get("id").map_err(db)?;
                        let status = decode_status(row.try_get("status").map_err(db)?)?;
                        let case_events = events.remove(&id).unwrap_or_default();
                        let facts = CaseFacts::from_events(&case_events)
                            .map_err(|error| corrupt(format!("case {id} does not replay: {error}")))?;
                        let case = PublicCase {
                            supporters: facts.supporters,
                            merged_into: facts.merged_into,
                            id,
                            category_code: row.try_get("category_code").map_err(db)?,
                            category_name_vi: row.try_get("name_vi").map_err(db)?,
                            category_name_en: row.try_get("name_en").map_err(db)?,
                            title: row.try_get("title").map_err(db)?,
                            description: row.try_get("description").map_err(db)?,
                            status,
                            lat: row.try_get("lat").map_err(db)?,
                            lon: row.try_get("lon").map_err(db)?,
                            address: row.try_get("address").map_err(db)?,
                            area_name: row.try_get("area_name").map_err(db)?,
                            channel: decode_channel(row.try_get("channel").map_err(db)?)?,
                            submitted_at: time_at(row, "submitted_at")?,
                            timeline: public_timeline(&case_events, |code| agencies.get(code).cloned()),
                            photos: public_photos(status, &case_events, photos.remove(&id).unwrap_or_default()),
                            // The question's text is the reporter's; their view adds it.
                            question: None,
                        };
                        found.insert(id, case);
                    }
                    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
                }

                async fn public_list_items(&self, ids: &[i64]) -> Result<Vec<PublicListItem>, StoreError> {
                    if ids.is_empty() {
                        return Ok(Vec::new());
                    }
                    // A rejected case shows its latest rejection's explanation, which the event
                    // keeps as its note; no other event is read.
                    let rows = sqlx::query(&format!(
                        "SELECT c.id, c.title, c.status, k.name_vi, k.name_en, a.name AS area_name,
                                c.submitted_at, c.lat, c.lon,
                                CASE WHEN c.status = $2 THEN
                                    (SELECT e.note FROM case_events e
                                     WHERE e.case_id = c.id AND e.kind = $3
                                     ORDER BY e.seq DESC LIMIT 1)
                                END AS rejection_note
                         FROM cases c
                         JOIN categories k ON k.code = c.category_code
                         LEFT JOIN areas a ON a.code = c.area_code
                         WHERE c.id {}",
                        in_list(1)
                    ))
                    .bind(list_param(ids))
                    .bind(CaseStatus::Rejected.as_str())
                    .bind(ChangeKind::Rejected.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let mut found: HashMap<i64, PublicListItem> = HashMap::with_capacity(rows.len());
                    for row in &rows {
                        let item = PublicListItem {
                            id: row.try_get("id").map_err(db)?,
                            title: row.try_get("title").map_err(db)?,
                            status: decode_status(row.try_get("status").map_err(db)?)?,
                            category_name_vi: row.try_get("name_vi").map_err(db)?,
                            category_name_en: row.try_get("name_en").map_err(db)?,
                            area_name: row.try_get("area_name").map_err(db)?,
                            submitted_at: time_at(row, "submitted_at")?,
                            lat: row.try_get("lat").map_err(db)?,
                            lon: row.try_get("lon").map_err(db)?,
                            rejection_note: row.try_get("rejection_note").map_err(db)?,
                        };
                        found.insert(item.id, item);
                    }
                    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
                }

                async fn case_events(&self, id: i64) -> Result<Vec<CaseEvent>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {EVENT_COLUMNS} FROM case_events WHERE case_id = $1 ORDER BY seq"
                    ))
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_event).collect()
                }

                async fn events_of_cases(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<CaseEvent>>, StoreError> {
                    let mut events: HashMap<i64, Vec<CaseEvent>> = HashMap::new();
                    if ids.is_empty() {
                        return Ok(events);
                    }
                    let rows = sqlx::query(&format!(
                        "SELECT case_id, {EVENT_COLUMNS} FROM case_events WHERE case_id {}
                         ORDER BY case_id, seq",
                        in_list(1)
                    ))
                    .bind(list_param(ids))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    for row in &rows {
                        events.entry(row.try_get("case_id").map_err(db)?).or_default().push(decode_event(row)?);
                    }
                    Ok(events)
                }

                async fn case_status(&self, id: i64) -> Result<Option<CaseStatus>, StoreError> {
                    let status: Option<String> = sqlx::query_scalar("SELECT status FROM cases WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    status.as_deref().map(decode_status).transpose()
                }

                async fn reporter_contact(&self, id: i64) -> Result<Option<ReporterContact>, StoreError> {
                    let row = sqlx::query("SELECT name, phone, email FROM case_contacts WHERE case_id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    let Some(row) = row else { return Ok(None) };
                    let name: Option<String> = row.try_get("name").map_err(db)?;
                    let phone: Option<String> = row.try_get("phone").map_err(db)?;
                    let email: Option<String> = row.try_get("email").map_err(db)?;
                    // A contact erased under the retention rules is no contact at all.
                    if name.is_none() && phone.is_none() && email.is_none() {
                        return Ok(None);
                    }
                    Ok(Some(decode_contact(name, phone, email)?))
                }

                async fn count_cases(&self) -> Result<u64, StoreError> {
                    let count: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&self.pool).await.map_err(db)?;
                    u64::try_from(count).map_err(corrupt)
                }

                async fn append_event(
                    &self,
                    case_id: i64,
                    expected_version: u32,
                    event: &CaseEvent,
                    facts: &CaseFacts,
                ) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let appended = append_in(&mut tx, CaseAppend { case_id, expected_version, event, facts }).await;
                    settle(tx, appended).await
                }

                async fn list_cases(&self, query: &CaseQuery, limit: u32) -> Result<Vec<CaseSummary>, StoreError> {
                    let limit = i64::from(limit);
                    let rows = match query {
                        CaseQuery::InStatus(statuses) => {
                            sqlx::query(&format!(
                                "SELECT {SUMMARY_COLUMNS} FROM cases WHERE status {}
                                 ORDER BY submitted_at, id LIMIT $2",
                                in_list(1)
                            ))
                            .bind(list_param(&status_names(statuses)))
                            .bind(limit)
                            .fetch_all(&self.pool)
                            .await
                        }
                        CaseQuery::OfAgency { agency, statuses } => {
                            sqlx::query(&format!(
                                "SELECT {SUMMARY_COLUMNS} FROM cases WHERE lead_agency = $1 AND status {}
                                 ORDER BY deadline NULLS LAST, id LIMIT $3",
                                in_list(2)
                            ))
                            .bind(agency)
                            .bind(list_param(&status_names(statuses)))
                            .bind(limit)
                            .fetch_all(&self.pool)
                            .await
                        }
                        CaseQuery::AwaitingVerification => {
                            sqlx::query(&format!(
                                "SELECT {SUMMARY_COLUMNS} FROM cases WHERE {VERIFICATION_DUE} IS NOT NULL
                                 ORDER BY {VERIFICATION_DUE}, id LIMIT $1"
                            ))
                            .bind(limit)
                            .fetch_all(&self.pool)
                            .await
                        }
                        CaseQuery::Submitted { ids, categories, statuses, from, to, offset, public_only, words } => {
                            // A full-text match cannot stand for "any", so the clause is there only when asked.
                            let searched = if words.is_empty() {
                                String::new()
                            } else {
                                format!("AND NOT {} AND id IN ({})", held_back_sql(), search_ids(9))
                            };
                            let sql = format!(
                                "SELECT {SUMMARY_COLUMNS} FROM cases
                                 WHERE submitted_at >= $1 AND submitted_at < $2
                                   AND ($3 IS NULL OR id {})
                                   AND ($4 IS NULL OR category_code {})
                                   AND ($5 IS NULL OR status {})
                                   AND (NOT $8 OR NOT {})
                                   {searched}
                                 ORDER BY submitted_at DESC, id DESC LIMIT $6 OFFSET $7",
                                in_list(3),
                                in_list(4),
                                in_list(5),
                                held_back_sql()
                            );
                            let query = sqlx::query(&sql)
                            .bind(encode_time(*from))
                            .bind(encode_time(*to))
                            .bind(ids.as_deref().map(list_param))
                            .bind(categories.as_deref().map(list_param))
                            .bind(statuses.as_deref().map(|statuses| list_param(&status_names(statuses))))
                            .bind(limit)
                            .bind(i64::from(*offset))
                            .bind(*public_only);
                            let query = if words.is_empty() { query } else { query.bind(search_expression(words)) };
                            query.fetch_all(&self.pool).await
                        }
                        CaseQuery::ReportedBy(account) => {
                            sqlx::query(&format!(
                                "SELECT {SUMMARY_COLUMNS} FROM cases WHERE reporter_account = $1
                                 ORDER BY submitted_at DESC, id DESC LIMIT $2"
                            ))
                            .bind(account)
                            .bind(limit)
                            .fetch_all(&self.pool)
                            .await
                        }
                        CaseQuery::Overdue { now } => {
                            sqlx::query(&format!(
                                "SELECT {SUMMARY_COLUMNS} FROM cases
                                 WHERE status IN ('assigned', 'in_progress') AND deadline < $1
                                 ORDER BY lead_agency, deadline, id LIMIT $2"
                            ))
                            .bind(encode_time(*now))
                            .bind(limit)
                            .fetch_all(&self.pool)
                            .await
                        }
                        CaseQuery::Near { category, south, west, north, east, since, until } => {
                            sqlx::query(&format!(
                                "SELECT {SUMMARY_COLUMNS} FROM cases
                                 WHERE category_code = $1 AND lat BETWEEN $2 AND $3 AND lon BETWEEN $4 AND $5
                                   AND submitted_at BETWEEN $6 AND $7
                                 ORDER BY submitted_at, id LIMIT $8"
                            ))
                            .bind(category)
                            .bind(south)
                            .bind(north)
                            .bind(west)
                            .bind(east)
                            .bind(encode_time(*since))
                            .bind(encode_time(*until))
                            .bind(limit)
                            .fetch_all(&self.pool)
                            .await
                        }
                    }
                    .map_err(db)?;
                    rows.iter().map(decode_summary).collect()
                }

                async fn queue_page(
                    &self,
                    queue: &StaffQueue,
                    after: Option<QueueCursor>,
                    limit: u32,
                ) -> Result<Vec<CaseSummary>, StoreError> {
                    self.search_queue_page(queue, &[], after, limit).await
                }

                async fn routes(&self) -> Result<Vec<Route>, StoreError> {
                    let sql = "SELECT category_code, area_code, agency_code FROM routes
                               ORDER BY category_code, area_code";
                    let read = all_rows(&self.pool, sql, |row| {
                        Ok(Route {
                            category: row.try_get("category_code").map_err(db)?,
                            area: row.try_get("area_code").map_err(db)?,
                            agency: row.try_get("agency_code").map_err(db)?,
                        })
                    });
                    self.catalogue.routes.get_or_read(read).await
                }

                // Every report asks this: it is answered from the kept catalogue, not a query each.
                async fn route_for(&self, category: &str, area: &str) -> Result<Option<String>, StoreError> {
                    let routes = self.routes().await?;
                    let Some(route) = routes.iter().find(|r| r.category == category && r.area == area) else {
                        return Ok(None);
                    };
                    let agencies = self.agencies().await?;
                    let active = agencies.iter().any(|a| a.code == route.agency && a.active);
                    Ok(active.then(|| route.agency.clone()))
                }

                async fn holidays(&self) -> Result<Vec<Holiday>, StoreError> {
                    all_rows(&self.pool, "SELECT day, name FROM holidays ORDER BY day", |row| {
                        Ok(Holiday { date: day_at(row, "day")?, name: row.try_get("name").map_err(db)? })
                    })
                    .await
                }

                async fn create_account(&self, account: &NewAccount, at: DateTime<Utc>) -> Result<i64, StoreError> {
                    let mut connection = self.pool.acquire().await.map_err(db)?;
                    insert_account(&mut connection, account, at).await
                }

                async fn account_credentials(&self, username: &str) -> Result<Option<(Account, String)>, StoreError> {
                    let row = sqlx::query(&format!(
                        "SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE username = $1"
                    ))
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    row.map(|row| Ok((decode_account(&row)?, row.try_get("password_hash").map_err(db)?))).transpose()
                }

                async fn account(&self, id: i64) -> Result<Option<Account>, StoreError> {
                    let mut connection = self.pool.acquire().await.map_err(db)?;
                    account_in(&mut connection, id).await
                }

                async fn set_password_hash(&self, account_id: i64, hash: &str) -> Result<(), StoreError> {
                    sqlx::query("UPDATE accounts SET password_hash = $1, one_time_password_until = NULL WHERE id = $2")
                        .bind(hash)
                        .bind(account_id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }

                async fn create_session(
                    &self,
                    token_hash: &str,
                    account_id: i64,
                    created_at: DateTime<Utc>,
                    expires_at: DateTime<Utc>,
                    idle_until: DateTime<Utc>,
                ) -> Result<(), StoreError> {
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, idle_until)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(token_hash)
                    .bind(account_id)
                    .bind(encode_time(created_at))
                    .bind(encode_time(expires_at))
                    .bind(encode_time(idle_until.min(expires_at)))
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(())
                }

                async fn session_account(
                    &self,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<Option<Account>, StoreError> {
                    // `token_hash` is the sessions' key, so the subquery names one account at most.
                    let row = sqlx::query(&format!(
                        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE active = TRUE
                           AND id = (SELECT account_id FROM sessions
                                      WHERE token_hash = $1 AND expires_at > $2 AND idle_until > $2)"
                    ))
                    .bind(token_hash)
                    .bind(encode_time(now))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    row.as_ref().map(decode_account).transpose()
                }

                async fn extend_session(&self, token_hash: &str, idle_until: DateTime<Utc>) -> Result<(), StoreError> {
                    // Written only when it moves the end forward: most requests change nothing.
                    sqlx::query(
                        "UPDATE sessions SET idle_until = CASE WHEN expires_at < $2 THEN expires_at ELSE $2 END
                          WHERE token_hash = $1 AND idle_until < $2 AND idle_until < expires_at",
                    )
                    .bind(token_hash)
                    .bind(encode_time(idle_until))
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(())
                }

                async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
                    let purged = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR idle_until <= $1")
                        .bind(encode_time(now))
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(purged.rows_affected())
                }

                async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }

                async fn delete_other_sessions(&self, account_id: i64, keep: &str) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
                        .bind(account_id)
                        .bind(keep)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }

                async fn begin_login_attempt(
                    &self,
                    client: &str,
                    username: &str,
                    at: DateTime<Utc>,
                    since: DateTime<Utc>,
                ) -> Result<(i64, LoginFailures), StoreError> {
                    let attempt: i64 = sqlx::query_scalar(
                        "INSERT INTO login_failures (client, username, attempted_at) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(client)
                    .bind(username)
                    .bind(encode_time(at))
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db)?;
                    let row = sqlx::query(
                        "SELECT COUNT(*) AS failures, MAX(attempted_at) AS latest,
                                COUNT(CASE WHEN username = $1 THEN 1 END) AS failures_for_username,
                                MAX(CASE WHEN username = $1 THEN attempted_at END) AS latest_for_username
                           FROM login_failures WHERE client = $2 AND id < $3 AND attempted_at > $4",
                    )
                    .bind(username)
                    .bind(client)
                    .bind(attempt)
                    .bind(encode_time(since))
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db)?;
                    let run = |count: &str, latest: &str| -> Result<FailureRun, StoreError> {
                        Ok(FailureRun {
                            count: to_u32(row.try_get::<i64, _>(count).map_err(db)?)?,
                            latest: maybe_time_at(&row, latest)?,
                        })
                    };
                    let failures = LoginFailures {
                        for_username: run("failures_for_username", "latest_for_username")?,
                        for_client: run("failures", "latest")?,
                    };
                    Ok((attempt, failures))
                }

                async fn forget_login_attempt(&self, attempt: i64) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM login_failures WHERE id = $1")
                        .bind(attempt)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }

                async fn clear_login_failures(&self, client: &str, username: &str) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM login_failures WHERE client = $1 AND username = $2")
                        .bind(client)
                        .bind(username)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }

                async fn purge_login_failures(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
                    let done = sqlx::query("DELETE FROM login_failures WHERE attempted_at < $1")
                        .bind(encode_time(before))
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(done.rows_affected())
                }

                async fn log_call(
                    &self,
                    call: &Call,
                    operator: Option<i64>,
                    at: DateTime<Utc>,
                    on_case: Option<CaseAppend<'_>>,
                ) -> Result<i64, StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let logged = async {
                    if let Some(append) = on_case {
                        append_in(&mut tx, append).await?;
                    }
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO calls (direction, phone, purpose, outcome, case_id, duration_seconds, callback_at,
                                            note, operator_account, logged_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    )
                    .bind(enum_name(&call.direction)?)
                    .bind(call.phone.as_ref().map_or("", PhoneNumber::as_str))
                    .bind(call.purpose.as_ref().map(enum_name).transpose()?)
                    .bind(enum_name(&call.outcome)?)
                    .bind(call.case_id)
                    .bind(i64::from(call.duration_seconds))
                    .bind(call.callback_at.map(encode_time))
                    .bind(call.note.as_deref())
                    .bind(operator)
                    .bind(encode_time(at))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                    Ok(id)
                    }
                    .await;
                    settle(tx, logged).await
                }

                async fn calls(&self, case_id: Option<i64>, limit: u32) -> Result<Vec<CallRecord>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT id, direction, phone, purpose, outcome, case_id, duration_seconds, callback_at, note,
                                operator_account, logged_at
                         FROM calls WHERE $1 IS NULL OR case_id = $1 ORDER BY logged_at DESC, id DESC LIMIT $2",
                    )
                    .bind(case_id)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_call).collect()
                }

                async fn call_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<CallCounts, StoreError> {
                    let rows = sqlx::query(
                        "SELECT direction, purpose, outcome, COUNT(*) AS n FROM calls
                         WHERE logged_at >= $1 AND logged_at < $2 GROUP BY direction, purpose, outcome",
                    )
                    .bind(encode_time(from))
                    .bind(encode_time(to))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let mut counts = CallCounts::default();
                    for row in &rows {
                        let direction: String = row.try_get("direction").map_err(db)?;
                        let purpose: Option<String> = row.try_get("purpose").map_err(db)?;
                        let outcome: String = row.try_get("outcome").map_err(db)?;
                        let n = u64::try_from(row.try_get::<i64, _>("n").map_err(db)?).map_err(corrupt)?;
                        match enum_value::<CallDirection>(&direction)? {
                            CallDirection::Inbound => counts.inbound += n,
                            CallDirection::Outbound => counts.outbound += n,
                        }
                        if let Some(purpose) = purpose {
                            add_count(&mut counts.by_purpose, enum_value(&purpose)?, n);
                        }
                        add_count(&mut counts.by_outcome, enum_value(&outcome)?, n);
                    }
                    Ok(counts)
                }

                async fn record_access(&self, access: &NewAccess) -> Result<i64, StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    match insert_access(&mut tx, access).await {
                        Ok(id) => {
                            tx.commit().await.map_err(db)?;
                            Ok(id)
                        }
                        Err(refused) => {
                            // Rolled back at once, as refused catalogue edits are: a dropped
                            // transaction would keep SQLite's write lock until the pool lends the
                            // connection again.
                            if let Err(error) = tx.rollback().await {
                                tracing::error!(%error, "rolling back a refused access record failed");
                            }
                            Err(refused)
                        }
                    }
                }

                async fn access_log(
                    &self,
                    query: &AccessQuery,
                    limit: u32,
                    shown: u32,
                ) -> Result<Vec<AccessEntry>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT a.id, a.account_id, a.role, a.purpose, a.accessed_at, ac.username, ac.display_name,
                                (SELECT COUNT(*) FROM staff_access_subjects s WHERE s.access_id = a.id) AS subject_count
                         FROM staff_accesses a JOIN accounts ac ON ac.id = a.account_id
                         WHERE ($1 IS NULL OR ac.username = $1)
                           AND ($2 IS NULL OR EXISTS (SELECT 1 FROM staff_access_subjects s
                                                      WHERE s.access_id = a.id AND s.case_id = $2))
                           AND ($3 IS NULL OR a.id < $3)
                         ORDER BY a.id DESC LIMIT $4",
                    )
                    .bind(query.username.as_deref())
                    .bind(query.case_id)
                    .bind(query.before)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let mut entries = Vec::with_capacity(rows.len());
                    for row in &rows {
                        let role: String = row.try_get("role").map_err(db)?;
                        let purpose: String = row.try_get("purpose").map_err(db)?;
                        let count: i64 = row.try_get("subject_count").map_err(db)?;
                        entries.push(AccessEntry {
                            id: row.try_get("id").map_err(db)?,
                            at: time_at(row, "accessed_at")?,
                            account_id: row.try_get("account_id").map_err(db)?,
                            username: row.try_get("username").map_err(db)?,
                            display_name: row.try_get("display_name").map_err(db)?,
                            role: ActorRole::parse(&role).ok_or_else(|| corrupt(format!("access role {role:?}")))?,
                            purpose: AccessPurpose::parse(&purpose)
                                .ok_or_else(|| corrupt(format!("access purpose {purpose:?}")))?,
                            subjects: Vec::new(),
                            subject_count: u64::try_from(count).map_err(corrupt)?,
                        });
                    }
                    if entries.is_empty() || shown == 0 {
                        return Ok(entries);
                    }
                    // The first few subjects of every entry on the page, in one read.
                    let ids: Vec<i64> = entries.iter().map(|entry| entry.id).collect();
                    let subjects = sqlx::query(&format!(
                        "SELECT access_id, case_id, call_id FROM (
                             SELECT access_id, case_id, call_id,
                                    ROW_NUMBER() OVER (
                                        PARTITION BY access_id
                                        ORDER BY CASE WHEN case_id = $2 THEN 0 ELSE 1 END,
                                                 case_id IS NULL, case_id, call_id IS NULL, call_id
                                    ) AS place
                             FROM staff_access_subjects WHERE access_id {}
                         ) listed
                         WHERE place <= $3 ORDER BY access_id, place",
                        in_list(1)
                    ))
                    .bind(list_param(&ids))
                    .bind(query.case_id)
                    .bind(i64::from(shown))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let mut by_access: HashMap<i64, Vec<AccessSubject>> = HashMap::new();
                    for row in &subjects {
                        by_access.entry(row.try_get("access_id").map_err(db)?).or_default().push(AccessSubject {
                            case_id: row.try_get("case_id").map_err(db)?,
                            call_id: row.try_get("call_id").map_err(db)?,
                        });
                    }
                    for entry in &mut entries {
                        entry.subjects = by_access.remove(&entry.id).unwrap_or_default();
                    }
                    Ok(entries)
                }

                async fn access_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<AccessCount>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT a.role, COUNT(DISTINCT a.id) AS views, COUNT(DISTINCT a.account_id) AS people,
                                COUNT(DISTINCT s.case_id) AS cases
                         FROM staff_accesses a LEFT JOIN staff_access_subjects s ON s.access_id = a.id
                         WHERE a.accessed_at >= $1 AND a.accessed_at < $2
                         GROUP BY a.role ORDER BY a.role",
                    )
                    .bind(encode_time(from))
                    .bind(encode_time(to))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let count = |row: &DbRow, column: &str| -> Result<u64, StoreError> {
                        u64::try_from(row.try_get::<i64, _>(column).map_err(db)?).map_err(corrupt)
                    };
                    rows.iter()
                        .map(|row| {
                            let role: String = row.try_get("role").map_err(db)?;
                            Ok(AccessCount {
                                role: ActorRole::parse(&role).ok_or_else(|| corrupt(format!("access role {role:?}")))?,
                                views: count(row, "views")?,
                                people: count(row, "people")?,
                                cases: count(row, "cases")?,
                            })
                        })
                        .collect()
                }

                async fn case_for_key(&self, submission_key: &str) -> Result<Option<i64>, StoreError> {
                    sqlx::query_scalar("SELECT id FROM cases WHERE submission_key = $1")
                        .bind(submission_key)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)
                }

                async fn case_for_receipt(&self, token_hash: &str) -> Result<Option<i64>, StoreError> {
                    sqlx::query_scalar("SELECT case_id FROM case_receipts WHERE token_hash = $1")
                        .bind(token_hash)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)
                }

                async fn claim_attempt_on_case(&self, case_id: i64, limit: u32) -> Result<Option<String>, StoreError> {
                    sqlx::query_scalar(
                        "UPDATE case_claims SET attempts = attempts + 1 WHERE case_id = $1 AND attempts < $2
                         RETURNING code_hash",
                    )
                    .bind(case_id)
                    .bind(i64::from(limit))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)
                }

                async fn claim_attempt_by_account(
                    &self,
                    account_id: i64,
                    at: DateTime<Utc>,
                    window_after: DateTime<Utc>,
                    limit: u32,
                ) -> Result<bool, StoreError> {
                    // Both assignments read the row as it was, so a stale window restarts in one step.
                    let attempts: i64 = sqlx::query_scalar(
                        "INSERT INTO account_claim_attempts (account_id, window_start, attempts) VALUES ($1, $2, 1)
                         ON CONFLICT (account_id) DO UPDATE SET
                             attempts = CASE WHEN account_claim_attempts.window_start < $3 THEN 1
                                             ELSE account_claim_attempts.attempts + 1 END,
                             window_start = CASE WHEN account_claim_attempts.window_start < $3 THEN $2
                                                 ELSE account_claim_attempts.window_start END
                         RETURNING attempts",
                    )
                    .bind(account_id)
                    .bind(encode_time(at))
                    .bind(encode_time(window_after))
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(attempts <= i64::from(limit))
                }

                async fn create_api_key(
                    &self,
                    name: &str,
                    key_hash: &str,
                    by: Option<i64>,
                    at: DateTime<Utc>,
                ) -> Result<i64, StoreError> {
                    sqlx::query_scalar(
                        "INSERT INTO api_keys (name, key_hash, created_by, created_at) VALUES ($1, $2, $3, $4)
                         RETURNING id",
                    )
                    .bind(name)
                    .bind(key_hash)
                    .bind(by)
                    .bind(encode_time(at))
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db)
                }

                async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
                    let sql = "SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY created_at DESC, id DESC";
                    all_rows(&self.pool, sql, decode_api_key).await
                }

                async fn active_api_key(&self, key_hash: &str) -> Result<Option<ApiKey>, StoreError> {
                    let row = sqlx::query(
                        "SELECT id, name, created_at, revoked_at FROM api_keys
                         WHERE key_hash = $1 AND revoked_at IS NULL",
                    )
                    .bind(key_hash)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    row.as_ref().map(decode_api_key).transpose()
                }

                async fn revoke_api_key(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
                    let done = sqlx::query("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
                        .bind(encode_time(at))
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Missing(format!("API key {id}")));
                    }
                    Ok(())
                }

                async fn unsettled_notices(
                    &self,
                    channel: &str,
                    since: DateTime<Utc>,
                    now: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<(i64, CaseEvent)>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT case_id, {EVENT_COLUMNS} FROM case_events e WHERE public = TRUE AND occurred_at > $2
                         AND NOT EXISTS (SELECT 1 FROM notice_deliveries d
                             WHERE d.case_id = e.case_id AND d.seq = e.seq AND d.channel = $1
                             AND NOT (d.outcome = 'failed' AND d.retry_at IS NOT NULL AND d.retry_at <= $3))
                         ORDER BY occurred_at, case_id, seq LIMIT $4"
                    ))
                    .bind(channel)
                    .bind(encode_time(since))
                    .bind(encode_time(now))
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(|row| Ok((row.try_get("case_id").map_err(db)?, decode_event(row)?))).collect()
                }

                async fn claim_notice(
                    &self,
                    case_id: i64,
                    seq: u32,
                    channel: &str,
                    at: DateTime<Utc>,
                ) -> Result<Option<u32>, StoreError> {
                    let attempts: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO notice_deliveries (case_id, seq, channel, claimed_at, outcome, attempts)
                         VALUES ($1, $2, $3, $4, 'sending', 0)
                         ON CONFLICT (case_id, seq, channel) DO UPDATE SET outcome = 'sending', claimed_at = excluded.claimed_at
                         WHERE notice_deliveries.outcome = 'failed' AND notice_deliveries.retry_at <= excluded.claimed_at
                         RETURNING attempts",
                    )
                    .bind(case_id)
                    .bind(i64::from(seq))
                    .bind(channel)
                    .bind(encode_time(at))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    attempts.map(to_u32).transpose()
                }

                async fn settle_notice(
                    &self,
                    case_id: i64,
                    seq: u32,
                    channel: &str,
                    outcome: NoticeOutcome,
                ) -> Result<(), StoreError> {
                    let (failed, retry_at) = match outcome {
                        NoticeOutcome::Failed { retry_at } => (1, retry_at),
                        NoticeOutcome::Sent | NoticeOutcome::Skipped => (0, None),
                    };
                    sqlx::query(
                        "UPDATE notice_deliveries SET outcome = $4, attempts = attempts + $5, retry_at = $6
                         WHERE case_id = $1 AND seq = $2 AND channel = $3",
                    )
                    .bind(case_id)
                    .bind(i64::from(seq))
                    .bind(channel)
                    .bind(outcome.as_str())
                    .bind(i64::from(failed))
                    .bind(retry_at.map(encode_time))
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(())
                }

                async fn case_digests(&self, after_id: i64, limit: u32) -> Result<Vec<CaseDigest>, StoreError> {
                    let rows =
                        sqlx::query(&format!("SELECT {DIGEST_COLUMNS} FROM cases WHERE id > $1 ORDER BY id LIMIT $2"))
                            .bind(after_id)
                            .bind(i64::from(limit))
                            .fetch_all(&self.pool)
                            .await
                            .map_err(db)?;
                    rows.iter().map(decode_digest).collect()
                }

                async fn changed_case_versions(&self, since: DateTime<Utc>) -> Result<Vec<CaseVersion>, StoreError> {
                    let rows = sqlx::query("SELECT id, version FROM cases WHERE changed_at >= $1 ORDER BY id")
                        .bind(encode_time(since))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    rows.iter()
                        .map(|row| Ok(CaseVersion { id: row.try_get(0).map_err(db)?, version: row.try_get(1).map_err(db)? }))
                        .collect()
                }

                async fn case_digests_of(&self, ids: &[i64]) -> Result<Vec<CaseDigest>, StoreError> {
                    let select = format!("SELECT {DIGEST_COLUMNS} FROM cases WHERE id {} ORDER BY id", in_list(1));
                    let mut digests = Vec::with_capacity(ids.len());
                    // A bounded list per statement: a follower catching up may ask for many.
                    for some in ids.chunks(DIGESTS_PER_READ) {
                        let rows = sqlx::query(&select).bind(list_param(some)).fetch_all(&self.pool).await.map_err(db)?;
                        for row in &rows {
                            digests.push(decode_digest(row)?);
                        }
                    }
                    Ok(digests)
                }

                async fn database_time(&self) -> Result<DateTime<Utc>, StoreError> {
                    database_now(&self.pool).await
                }

                async fn case_index_snapshot(&self) -> Result<Option<SavedCaseIndex>, StoreError> {
                    // Saved under another schema, the digests it holds may mean something else now.
                    let row = sqlx::query(
                        "SELECT taken_at, bytes FROM case_index_snapshots
                         WHERE name = 'cases' AND schema_version = (SELECT MAX(version) FROM _sqlx_migrations)",
                    )
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    row.map(|row| Ok(SavedCaseIndex { taken_at: time_at(&row, 0)?, bytes: row.try_get(1).map_err(db)? }))
                        .transpose()
                }

                async fn save_case_index_snapshot(&self, taken_at: DateTime<Utc>, bytes: &[u8]) -> Result<(), StoreError> {
                    sqlx::query(
                        "INSERT INTO case_index_snapshots (name, taken_at, schema_version, bytes)
                         VALUES ('cases', $1, (SELECT MAX(version) FROM _sqlx_migrations), $2)
                         ON CONFLICT (name) DO UPDATE
                         SET taken_at = excluded.taken_at, schema_version = excluded.schema_version, bytes = excluded.bytes
                         WHERE case_index_snapshots.taken_at < excluded.taken_at
                            OR case_index_snapshots.schema_version <> excluded.schema_version",
                    )
                    .bind(encode_time(taken_at))
                    .bind(bytes)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(())
                }

                async fn count_citizen_accounts(&self, until: DateTime<Utc>) -> Result<u64, StoreError> {
                    let count: i64 =
                        sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE role = 'citizen' AND created_at < $1")
                            .bind(encode_time(until))
                            .fetch_one(&self.pool)
                            .await
                            .map_err(db)?;
                    u64::try_from(count).map_err(corrupt)
                }

                async fn export_cases(
                    &self,
                    filter: &CaseFilter,
                    after_id: i64,
                    limit: u32,
                ) -> Result<Vec<ExportedCase>, StoreError> {
                    // An empty list means any, so it binds as NULL.
                    let list = |items: &[String]| (!items.is_empty()).then(|| list_param(items));
                    let held_back = held_back_sql();
                    // A full-text match cannot stand for "any", so the clause is there only when asked.
                    let searched = if filter.words.is_empty() {
                        String::new()
                    } else {
                        format!("AND NOT {held_back} AND id IN ({})", search_ids(10))
                    };
                    let (beyond, order) = if filter.newest_first { ("<", "DESC") } else { (">", "ASC") };
                    let sql = format!(
                        "SELECT {} FROM cases
                         WHERE id {beyond} $1
                           AND ($2 IS NULL OR status {})
                           AND ($3 IS NULL OR category_code {})
                           AND ($4 IS NULL OR (lead_agency = $4 AND NOT {held_back}))
                           AND ($5 IS NULL OR area_code = $5)
                           AND ($6 IS NULL OR submitted_at >= $6)
                           AND ($7 IS NULL OR submitted_at < $7)
                           AND (NOT $8 OR NOT {held_back})
                           {searched}
                         ORDER BY id {order} LIMIT $9",
                        export_columns(),
                        in_list(2),
                        in_list(3),
                    );
                    let mut query = sqlx::query(&sql)
                    .bind(after_id)
                    .bind(list(&status_names(&filter.statuses)))
                    .bind(list(&filter.categories))
                    .bind(filter.agency.as_deref())
                    .bind(filter.area.as_deref())
                    .bind(filter.from.map(encode_time))
                    .bind(filter.to.map(encode_time))
                    .bind(filter.public_only)
                    .bind(i64::from(limit));
                    if !filter.words.is_empty() {
                        query = query.bind(search_expression(&filter.words));
                    }
                    let rows = query.fetch_all(&self.pool).await.map_err(db)?;
                    rows.iter().map(decode_export).collect()
                }

                async fn save_photo(&self, photo: &StoredPhoto) -> Result<(), StoreError> {
                    sqlx::query(
                        "INSERT INTO photos (id, thumbnail_key, width, height, uploaded_at, uploaded_by, stored_bytes)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)
                         ON CONFLICT (id) DO NOTHING",
                    )
                    .bind(photo.id.as_str())
                    .bind(&photo.thumbnail_key)
                    .bind(i64::from(photo.width))
                    .bind(i64::from(photo.height))
                    .bind(encode_time(photo.uploaded_at))
                    .bind(photo.uploaded_by.as_deref())
                    .bind(i64::try_from(photo.stored_bytes).map_err(corrupt)?)
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(())
                }

                async fn unattached_photos(&self, client: &str) -> Result<UnattachedPhotos, StoreError> {
                    let row = sqlx::query(
                        "SELECT CAST(COUNT(*) AS BIGINT) AS total,
                                CAST(COALESCE(SUM(CASE WHEN uploaded_by = $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS by_client,
                                CAST(COALESCE(SUM(stored_bytes), 0) AS BIGINT) AS stored_bytes
                         FROM photos
                         WHERE NOT EXISTS (SELECT 1 FROM case_photos cp WHERE cp.photo_id = photos.id)",
                    )
                    .bind(client)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db)?;
                    let count = |column: &str| -> Result<u64, StoreError> {
                        u64::try_from(row.try_get::<i64, _>(column).map_err(db)?).map_err(corrupt)
                    };
                    Ok(UnattachedPhotos {
                        by_client: count("by_client")?,
                        total: count("total")?,
                        stored_bytes: count("stored_bytes")?,
                    })
                }

                async fn unknown_photos(&self, ids: &[PhotoId]) -> Result<Vec<PhotoId>, StoreError> {
                    let mut unknown = Vec::new();
                    for id in ids {
                        let found: Option<String> = sqlx::query_scalar("SELECT id FROM photos WHERE id = $1")
                            .bind(id.as_str())
                            .fetch_optional(&self.pool)
                            .await
                            .map_err(db)?;
                        if found.is_none() {
                            unknown.push(id.clone());
                        }
                    }
                    Ok(unknown)
                }

                async fn case_photos(&self, case_id: i64) -> Result<Vec<CasePhoto>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {CASE_PHOTO_COLUMNS} FROM case_photos cp JOIN photos p ON p.id = cp.photo_id
                         WHERE cp.case_id = $1 ORDER BY cp.event_seq, cp.position"
                    ))
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_photo).collect()
                }

                async fn photo_cases(&self, key: &str) -> Result<Option<Vec<i64>>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT DISTINCT cp.case_id FROM photos p
                         LEFT JOIN case_photos cp ON cp.photo_id = p.id
                         WHERE p.id = $1 OR p.thumbnail_key = $1",
                    )
                    .bind(key)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    if rows.is_empty() {
                        return Ok(None);
                    }
                    let mut cases = Vec::new();
                    for row in &rows {
                        if let Some(case_id) = row.try_get::<Option<i64>, _>("case_id").map_err(db)? {
                            cases.push(case_id);
                        }
                    }
                    cases.sort_unstable();
                    Ok(Some(cases))
                }

                async fn sweep_unheld_photos(&self, before: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let rows = sqlx::query(
                        "DELETE FROM photos
                         WHERE uploaded_at < $1
                           AND NOT EXISTS (SELECT 1 FROM case_photos cp WHERE cp.photo_id = photos.id)
                         RETURNING id, thumbnail_key",
                    )
                    .bind(encode_time(before))
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(db)?;
                    let mut swept = Vec::with_capacity(rows.len() * 2);
                    for row in &rows {
                        swept.push(row.try_get::<String, _>("id").map_err(db)?);
                        swept.push(row.try_get::<String, _>("thumbnail_key").map_err(db)?);
                    }
                    // A thumbnail key another photo still uses stays: identical thumbnails share one blob.
                    let mut kept = Vec::with_capacity(swept.len());
                    for key in swept {
                        let used: Option<String> =
                            sqlx::query_scalar("SELECT id FROM photos WHERE id = $1 OR thumbnail_key = $1 LIMIT 1")
                                .bind(&key)
                                .fetch_optional(&mut *tx)
                                .await
                                .map_err(db)?;
                        if used.is_none() {
                            kept.push(key);
                        }
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(kept)
                }

                async fn chained_events(&self, after: (i64, i64), limit: u32) -> Result<Vec<ChainedEvent>, StoreError> {
                    // A row-value bound, which both databases answer from the primary key's index:
                    // each page costs the same wherever it starts.
                    let rows = sqlx::query(&format!(
                        "SELECT {CHAIN_COLUMNS}, c.version FROM case_events e JOIN cases c ON c.id = e.case_id
                         WHERE (e.case_id, e.seq) > ($1, $2) ORDER BY e.case_id, e.seq LIMIT $3"
                    ))
                    .bind(after.0)
                    .bind(after.1)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|row| {
                            Ok(ChainedEvent {
                                content: decode_content(row)?,
                                hash: row.try_get("hash").map_err(db)?,
                                case_version: row.try_get("version").map_err(db)?,
                            })
                        })
                        .collect()
                }

                async fn seal_event_chains(&self) -> Result<u64, StoreError> {
                    let mut sealed = 0;
                    loop {
                        // A few hundred cases per transaction: one commit for many cases, and short
                        // enough that the servers' writes beside it never wait long.
                        let mut tx = begin_write(&self.pool).await.map_err(db)?;
                        let cases: Vec<i64> = sqlx::query_scalar(
                            "SELECT DISTINCT case_id FROM case_events WHERE hash IS NULL ORDER BY case_id LIMIT 500",
                        )
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(db)?;
                        if cases.is_empty() {
                            return Ok(sealed);
                        }
                        for case_id in cases {
                            sealed += seal_case_in(&mut tx, case_id).await?;
                        }
                        tx.commit().await.map_err(db)?;
                    }
                }

                async fn account_profile(&self, account_id: i64) -> Result<Option<Profile>, StoreError> {
                    let row = sqlx::query(
                        "SELECT display_name, email, email_verified_at, phone FROM accounts WHERE id = $1",
                    )
                    .bind(account_id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    row.map(|row| {
                        Ok(Profile {
                            display_name: row.try_get("display_name").map_err(db)?,
                            email: row.try_get("email").map_err(db)?,
                            email_verified_at: maybe_time_at(&row, "email_verified_at")?,
                            phone: row.try_get("phone").map_err(db)?,
                        })
                    })
                    .transpose()
                }

                async fn update_profile(&self, account_id: i64, edit: &ProfileEdit) -> Result<bool, StoreError> {
                    let email = edit.email.as_ref().map(Email::as_str);
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    // A write first, so that SQLite takes its write lock before reading anything.
                    // A new address proves nothing yet.
                    let unverified = sqlx::query(
                        "UPDATE accounts SET email_verified_at = NULL WHERE id = $1 AND email IS DISTINCT FROM $2",
                    )
                    .bind(account_id)
                    .bind(email)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    let changed = unverified.rows_affected() > 0;
                    let updated = sqlx::query("UPDATE accounts SET display_name = $1, email = $2, phone = $3 WHERE id = $4")
                        .bind(edit.display_name.as_str())
                        .bind(email)
                        .bind(edit.phone.as_ref().map(PhoneNumber::as_str))
                        .bind(account_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    if updated.rows_affected() == 0 {
                        if let Err(error) = tx.rollback().await {
                            tracing::error!(%error, "rolling back a profile edit failed");
                        }
                        return Err(StoreError::Missing(format!("account {account_id}")));
                    }
                    if changed {
                        // Links sent to the old address must not open the account once the person
                        // has moved away from it.
                        sqlx::query("DELETE FROM account_links WHERE account_id = $1")
                            .bind(account_id)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                    }
                    tx.commit().await.map_err(db)?;
                    Ok(changed)
                }

                async fn recoverable_accounts(
                    &self,
                    handle: &AccountHandle,
                    limit: u32,
                ) -> Result<Vec<AccountAddress>, StoreError> {
                    let (condition, value) = match handle {
                        AccountHandle::Username(username) => ("username = $1", username.as_str()),
                        AccountHandle::Email(email) => ("lower(email) = lower($1)", email.as_str()),
                    };
                    let rows = sqlx::query(&format!(
                        "SELECT id, username, email FROM accounts
                          WHERE {condition} AND role = 'citizen' AND active = TRUE
                            AND email IS NOT NULL AND email_verified_at IS NOT NULL
                          ORDER BY id LIMIT $2"
                    ))
                    .bind(value)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|row| {
                            let email: String = row.try_get("email").map_err(db)?;
                            Ok(AccountAddress {
                                account_id: row.try_get("id").map_err(db)?,
                                username: row.try_get("username").map_err(db)?,
                                email: Email::parse(&email).map_err(|_| corrupt(format!("address {email:?}")))?,
                            })
                        })
                        .collect()
                }

                async fn issue_account_link(
                    &self,
                    link: &NewLink<'_>,
                    replaces_before: DateTime<Utc>,
                ) -> Result<bool, StoreError> {
                    let stored: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO account_links (account_id, purpose, token_hash, email, issued_at, expires_at, used_at)
                         VALUES ($1, $2, $3, $4, $5, $6, NULL)
                         ON CONFLICT (account_id, purpose) DO UPDATE
                            SET token_hash = excluded.token_hash, email = excluded.email,
                                issued_at = excluded.issued_at, expires_at = excluded.expires_at, used_at = NULL
                          WHERE account_links.used_at IS NOT NULL
                             OR account_links.expires_at <= excluded.issued_at
                             OR account_links.issued_at <= $7
                         RETURNING account_id",
                    )
                    .bind(link.account_id)
                    .bind(link.purpose.as_str())
                    .bind(link.token_hash)
                    .bind(link.email.as_str())
                    .bind(encode_time(link.issued_at))
                    .bind(encode_time(link.expires_at))
                    .bind(encode_time(replaces_before))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(stored.is_some())
                }

                async fn account_link(
                    &self,
                    purpose: LinkPurpose,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<LinkState, StoreError> {
                    let row = sqlx::query(
                        "SELECT l.account_id, l.used_at, l.expires_at, a.username, a.active
                           FROM account_links l JOIN accounts a ON a.id = l.account_id
                          WHERE l.token_hash = $1 AND l.purpose = $2",
                    )
                    .bind(token_hash)
                    .bind(purpose.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    let Some(row) = row else { return Ok(LinkState::Closed(LinkProblem::Unknown)) };
                    let active: bool = row.try_get("active").map_err(db)?;
                    Ok(if !active {
                        LinkState::Closed(LinkProblem::Unknown)
                    } else if maybe_time_at(&row, "used_at")?.is_some() {
                        LinkState::Closed(LinkProblem::Used)
                    } else if time_at(&row, "expires_at")? <= now {
                        LinkState::Closed(LinkProblem::Expired)
                    } else {
                        LinkState::Open {
                            account_id: row.try_get("account_id").map_err(db)?,
                            username: row.try_get("username").map_err(db)?,
                        }
                    })
                }

                async fn verify_email_with_link(
                    &self,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<LinkState, StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let opened: Result<LinkState, StoreError> = async {
                        let (account_id, email) = match use_link_in(&mut tx, LinkPurpose::VerifyEmail, token_hash, now).await? {
                            Ok(link) => link,
                            Err(problem) => return Ok(LinkState::Closed(problem)),
                        };
                        let username: Option<String> = sqlx::query_scalar(
                            "UPDATE accounts SET email_verified_at = $1
                              WHERE id = $2 AND active = TRUE AND email = $3 RETURNING username",
                        )
                        .bind(encode_time(now))
                        .bind(account_id)
                        .bind(&email)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                        Ok(match username {
                            Some(username) => LinkState::Open { account_id, username },
                            None => LinkState::Closed(LinkProblem::Unknown),
                        })
                    }
                    .await;
                    settle_link(tx, opened).await
                }

                async fn reset_password_with_link(
                    &self,
                    token_hash: &str,
                    password_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<LinkState, StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let opened: Result<LinkState, StoreError> = async {
                        let (account_id, _) = match use_link_in(&mut tx, LinkPurpose::ResetPassword, token_hash, now).await? {
                            Ok(link) => link,
                            Err(problem) => return Ok(LinkState::Closed(problem)),
                        };
                        let username: Option<String> = sqlx::query_scalar(
                            "UPDATE accounts SET password_hash = $1, one_time_password_until = NULL
                              WHERE id = $2 AND active = TRUE RETURNING username",
                        )
                        .bind(password_hash)
                        .bind(account_id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db)?;
                        let Some(username) = username else { return Ok(LinkState::Closed(LinkProblem::Unknown)) };
                        // Whoever knew the old password may be signed in somewhere: all of it ends.
                        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                            .bind(account_id)
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        Ok(LinkState::Open { account_id, username })
                    }
                    .await;
                    settle_link(tx, opened).await
                }

                async fn reset_staff_password(
                    &self,
                    id: i64,
                    password_hash: &str,
                    one_time_until: DateTime<Utc>,
                    by: Option<i64>,
                    at: DateTime<Utc>,
                ) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let before = match account_in(&mut tx, id).await? {
                        Some(account) if account.role != ActorRole::Citizen => account,
                        _ => {
                            if let Err(error) = tx.rollback().await {
                                tracing::error!(%error, "rolling back a refused password reset failed");
                            }
                            return Err(StoreError::Missing(format!("staff account {id}")));
                        }
                    };
                    sqlx::query("UPDATE accounts SET password_hash = $1, one_time_password_until = $2 WHERE id = $3")
                        .bind(password_hash)
                        .bind(encode_time(one_time_until))
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    let after = account_in(&mut tx, id).await?;
                    let key = before.username.clone();
                    let (before, after) = (entry_json(Some(before))?, entry_json(after)?);
                    log_change(&mut tx, (Entity::Account, &key), by, at, before, after).await?;
                    tx.commit().await.map_err(db)
                }

                async fn erasable_cases(
                    &self,
                    contacts_before: DateTime<Utc>,
                    photos_before: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<ErasableCase>, StoreError> {
                    // Counts rather than EXISTS: both databases answer a count as a 64-bit integer.
                    let kept_contact = "(SELECT COUNT(*) FROM case_contacts k WHERE k.case_id = c.id
                                          AND (k.name IS NOT NULL OR k.phone IS NOT NULL OR k.email IS NOT NULL))";
                    let kept_numbers = "(SELECT COUNT(*) FROM calls l WHERE l.case_id = c.id AND l.phone <> '')";
                    let held_photos = "(SELECT COUNT(*) FROM case_photos p WHERE p.case_id = c.id)";
                    let contacts = sqlx::query(&format!(
                        "SELECT c.id, c.version, {kept_contact} AS contact, {kept_numbers} AS call_numbers, CAST(0 AS BIGINT) AS photos
                         FROM cases c
                         WHERE c.finished_at < $1 AND ({kept_contact} > 0 OR {kept_numbers} > 0)
                         ORDER BY c.finished_at, c.id LIMIT $2"
                    ))
                    .bind(encode_time(contacts_before))
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let photos = sqlx::query(&format!(
                        "SELECT c.id, c.version, CAST(0 AS BIGINT) AS contact, CAST(0 AS BIGINT) AS call_numbers, {held_photos} AS photos
                         FROM cases c
                         WHERE c.finished_at < $1 AND c.status = $2 AND c.rejection = $3 AND {held_photos} > 0
                         ORDER BY c.finished_at, c.id LIMIT $4"
                    ))
                    .bind(encode_time(photos_before))
                    .bind(CaseStatus::Rejected.as_str())
                    .bind(enum_name(&RejectReason::Inappropriate)?)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let decode = |row: &DbRow, reason: ErasureReason| -> Result<ErasableCase, StoreError> {
                        let count = |column: &str| -> Result<u32, StoreError> {
                            to_u32(row.try_get::<i64, _>(column).map_err(db)?)
                        };
                        Ok(ErasableCase {
                            case_id: row.try_get("id").map_err(db)?,
                            version: to_u32(row.try_get("version").map_err(db)?)?,
                            reason,
                            contact: count("contact")? > 0,
                            call_numbers: count("call_numbers")?,
                            photos: count("photos")?,
                        })
                    };
                    let mut found = Vec::with_capacity(contacts.len() + photos.len());
                    for row in &contacts {
                        found.push(decode(row, ErasureReason::Retention)?);
                    }
                    for row in &photos {
                        found.push(decode(row, ErasureReason::InappropriatePhotos)?);
                    }
                    Ok(found)
                }

                async fn calls_with_numbers(&self, phones: &[String], limit: u32) -> Result<Vec<CallRecord>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT id, direction, phone, purpose, outcome, case_id, duration_seconds, callback_at, note,
                                operator_account, logged_at
                         FROM calls WHERE phone {} ORDER BY logged_at DESC, id DESC LIMIT $2",
                        in_list(1)
                    ))
                    .bind(list_param(phones))
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_call).collect()
                }

                async fn erase_unattached_call_numbers(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
                    let done = sqlx::query("UPDATE calls SET phone = '' WHERE case_id IS NULL AND logged_at < $1 AND phone <> ''")
                        .bind(encode_time(before))
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(done.rows_affected())
                }

                async fn close_citizen_account(&self, account_id: i64, erasures: &[CaseAppend<'_>]) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let closed = close_citizen_account_in(&mut tx, account_id, erasures).await;
                    settle(tx, closed).await
                }

                async fn index_cases_for_search(
                    &self,
                    from_id: Option<i64>,
                    limit: u32,
                ) -> Result<(u32, Option<i64>), StoreError> {
                    let after = match from_id {
                        Some(id) => id,
                        None => {
                            let highest: i64 =
                                sqlx::query_scalar(search_indexed_max_sql()).fetch_one(&self.pool).await.map_err(db)?;
                            (highest - SEARCH_RECHECK_WINDOW).max(0)
                        }
                    };
                    let rows = sqlx::query(&format!(
                        "SELECT c.id, c.title, c.description, c.address, k.name_vi, k.name_en, a.name AS area_name
                         FROM cases c
                         JOIN categories k ON k.code = c.category_code
                         LEFT JOIN areas a ON a.code = c.area_code
                         WHERE c.id > $1 AND NOT {}
                         ORDER BY c.id LIMIT $2",
                        search_indexed_sql()
                    ))
                    .bind(after)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    if rows.is_empty() {
                        return Ok((0, None));
                    }
                    let mut documents = Vec::with_capacity(rows.len());
                    for row in &rows {
                        let id: i64 = row.try_get("id").map_err(db)?;
                        let title: String = row.try_get("title").map_err(db)?;
                        let description: String = row.try_get("description").map_err(db)?;
                        let address: Option<String> = row.try_get("address").map_err(db)?;
                        let names: [Option<String>; 3] = [
                            Some(row.try_get("name_vi").map_err(db)?),
                            Some(row.try_get("name_en").map_err(db)?),
                            row.try_get("area_name").map_err(db)?,
                        ];
                        let names: Vec<&str> = names.iter().flatten().map(String::as_str).collect();
                        documents.push((id, domain::search::case_document(id, &title, &description, address.as_deref(), &names)));
                    }
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    // Many rows a statement: a statement a case cost PostgreSQL a round trip each.
                    let indexed = async {
                        for chunk in documents.chunks(SEARCH_INSERT_ROWS) {
                            let mut insert = sqlx::QueryBuilder::<$db>::new(search_insert_sql());
                            insert.push_values(chunk, |mut row, (id, document)| push_search_document(&mut row, *id, document.clone()));
                            insert.push(search_insert_conflict());
                            insert.build().execute(&mut *tx).await.map_err(db)?;
                        }
                        Ok(documents.last().map(|(id, _)| *id))
                    }
                    .await;
                    let highest = settle(tx, indexed).await?;
                    Ok((to_u32(rows.len() as i64)?, highest))
                }

                async fn search_cases(&self, search: &CaseSearch<'_>) -> Result<Vec<i64>, StoreError> {
                    if search.words.is_empty() {
                        return Ok(Vec::new());
                    }
                    let expression = search_expression(search.words);
                    // Ranking every match of a common word would cost as much as the matches are many;
                    // the newest matches in the searcher's scope are ranked instead, and the best of them answered.
                    let window = |source: &str, matched: &str| {
                        format!(
                            "SELECT c.id AS id, c.submitted_at AS submitted_at, {} AS ranked FROM {source}
                             WHERE {matched} AND (NOT $2 OR NOT {held_back}) AND ($3 IS NULL OR c.lead_agency = $3)
                               AND ($4 IS NULL OR NOT {held_back} OR c.area_code {})
                             ORDER BY {} LIMIT {SEARCH_RANKED_WINDOW}",
                            search_ranked(1),
                            in_list(4),
                            search_recency(),
                            held_back = held_back_sql(),
                        )
                    };
                    let run = |sql: String| {
                        let expression = expression.clone();
                        async move {
                            let rows = sqlx::query(&sql)
                                .bind(expression)
                                .bind(search.public_only)
                                .bind(search.agency)
                                .bind(search.held_back_areas.map(list_param))
                                .fetch_all(&self.pool)
                                .await
                                .map_err(db)?;
                            rows.iter()
                                .map(|row| {
                                    let id: i64 = row.try_get("id").map_err(db)?;
                                    Ok((search_relevance(row, "ranked", search.words)?, time_at(row, "submitted_at")?, id))
                                })
                                .collect::<Result<Vec<_>, StoreError>>()
                        }
                    };
                    let full = SEARCH_RANKED_WINDOW as usize;
                    let mut ranked = match (search_walk(1, Some(SEARCH_WALK_FIRST)), search_walk(1, None)) {
                        (Some(first), Some(rest)) => {
                            // The newest cases first: where the words are common, the window fills there.
                            let found = run(window(&first.source, &first.matched)).await?;
                            let highest: i64 = if found.len() >= full {
                                0
                            } else {
                                sqlx::query_scalar(search_indexed_max_sql()).fetch_one(&self.pool).await.map_err(db)?
                            };
                            if found.len() >= full || highest <= i64::from(SEARCH_WALK_FIRST) {
                                found
                            } else {
                                // Otherwise the share of those cases that matched tells whether walking on
                                // (rows read: the window over the share) costs less than reading every match
                                // through the index (the share of all cases, each dearer than a row walked).
                                let share = found.len() as f64 / f64::from(SEARCH_WALK_FIRST);
                                let walked = f64::from(SEARCH_RANKED_WINDOW) / share;
                                if found.is_empty() || walked > SEARCH_WALK_ROWS_PER_MATCH * share * highest as f64 {
                                    run(window(search_from(), &search_match(1))).await?
                                } else {
                                    run(window(&rest.source, &rest.matched)).await?
                                }
                            }
                        }
                        _ => run(window(search_from(), &search_match(1))).await?,
                    };
                    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
                    Ok(ranked.into_iter().take(search.limit as usize).map(|(_, _, id)| id).collect())
                }

                async fn search_queue_page(
                    &self,
                    queue: &StaffQueue,
                    words: &[String],
                    after: Option<QueueCursor>,
                    limit: u32,
                ) -> Result<Vec<CaseSummary>, StoreError> {
                    // A full-text match cannot stand for "any", so the clause is there only when asked;
                    // a queue holds cases still held back from the public, so they are matched too.
                    let searched =
                        if words.is_empty() { String::new() } else { format!("AND id IN ({})", search_ids(5)) };
                    // Keyset paging: a page starts after the last case of the one before, so
                    // cases handled meanwhile shift nothing and every case is reached.
                    let after_at = after.and_then(|cursor| cursor.at).map(encode_time);
                    let after_id = after.map(|cursor| cursor.id);
                    let limit = i64::from(limit);
                    let by_submission = |which: &str, areas: &Option<Vec<String>>| {
                        let sql = format!(
                            "SELECT {SUMMARY_COLUMNS} FROM cases
                             WHERE {which} AND ($1 IS NULL OR area_code {})
                               AND ($3 IS NULL OR submitted_at > $2 OR (submitted_at = $2 AND id > $3))
                               {searched}
                             ORDER BY submitted_at, id LIMIT $4",
                            in_list(1)
                        );
                        (sql, areas.as_deref().map(list_param))
                    };
                    let (sql, areas, agency) = match queue {
                        StaffQueue::Screening { areas } => {
                            let which = format!("status = '{}'", CaseStatus::Submitted.as_str());
                            let (sql, areas) = by_submission(&which, areas);
                            (sql, areas, None)
                        }
                        StaffQueue::Review { areas } => {
                            let (sql, areas) = by_submission("awaits_review", areas);
                            (sql, areas, None)
                        }
                        StaffQueue::Agency { agency } | StaffQueue::Held { agency, .. } => {
                            let handling = [CaseStatus::Assigned, CaseStatus::InProgress, CaseStatus::ResultReview]
                                .map(|status| format!("'{}'", status.as_str()))
                                .join(", ");
                            // The holder is bound after the words, whose parameter comes only with them.
                            let held = match queue {
                                StaffQueue::Held { .. } => format!("AND assignee = ${}", if words.is_empty() { 5 } else { 6 }),
                                _ => String::new(),
                            };
                            // Cases without a deadline come last, as the order puts them.
                            let sql = format!(
                                "SELECT {SUMMARY_COLUMNS} FROM cases
                                 WHERE lead_agency = $1 AND status IN ({handling}) {held}
                                   AND ($3 IS NULL
                                        OR ($2 IS NULL AND deadline IS NULL AND id > $3)
                                        OR ($2 IS NOT NULL
                                            AND (deadline > $2 OR (deadline = $2 AND id > $3) OR deadline IS NULL)))
                                   {searched}
                                 ORDER BY deadline NULLS LAST, id LIMIT $4"
                            );
                            (sql, None, Some(agency.as_str()))
                        }
                    };
                    let query = sqlx::query(&sql);
                    let query = match agency {
                        Some(agency) => query.bind(agency),
                        None => query.bind(areas),
                    };
                    let query = query.bind(after_at).bind(after_id).bind(limit);
                    let query = if words.is_empty() { query } else { query.bind(search_expression(words)) };
                    let query = match queue {
                        StaffQueue::Held { assignee, .. } => query.bind(*assignee),
                        _ => query,
                    };
                    let rows = query.fetch_all(&self.pool).await.map_err(db)?;
                    rows.iter().map(decode_summary).collect()
                }

                async fn follow_case(
                    &self,
                    account_id: i64,
                    case_id: i64,
                    at: DateTime<Utc>,
                    max: u32,
                ) -> Result<bool, StoreError> {
                    let added = sqlx::query(
                        "INSERT INTO case_follows (account_id, case_id, since)
                         SELECT $1, $2, $3 WHERE (SELECT COUNT(*) FROM case_follows WHERE account_id = $1) < $4
                         ON CONFLICT (account_id, case_id) DO NOTHING",
                    )
                    .bind(account_id)
                    .bind(case_id)
                    .bind(encode_time(at))
                    .bind(i64::from(max))
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(added.rows_affected() == 1)
                }

                async fn followed_cases(&self, account_id: i64) -> Result<Vec<(i64, DateTime<Utc>)>, StoreError> {
                    let rows = sqlx::query("SELECT case_id, since FROM case_follows WHERE account_id = $1 ORDER BY case_id")
                        .bind(account_id)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                    rows.iter().map(|row| Ok((row.try_get("case_id").map_err(db)?, time_at(row, "since")?))).collect()
                }

                async fn unfollow_case(&self, account_id: i64, case_id: i64) -> Result<bool, StoreError> {
                    let removed = sqlx::query("DELETE FROM case_follows WHERE account_id = $1 AND case_id = $2")
                        .bind(account_id)
                        .bind(case_id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(removed.rows_affected() == 1)
                }

                async fn follows_case(&self, account_id: i64, case_id: i64) -> Result<bool, StoreError> {
                    let found: Option<i64> =
                        sqlx::query_scalar("SELECT case_id FROM case_follows WHERE account_id = $1 AND case_id = $2")
                            .bind(account_id)
                            .bind(case_id)
                            .fetch_optional(&self.pool)
                            .await
                            .map_err(db)?;
                    Ok(found.is_some())
                }

                async fn create_alert(
                    &self,
                    account_id: i64,
                    alert: &NewAlert,
                    at: DateTime<Utc>,
                    max: u32,
                ) -> Result<Option<i64>, StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let created = async {
                        let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM area_alerts WHERE account_id = $1")
                            .bind(account_id)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(db)?;
                        if held >= i64::from(max) {
                            return Ok(None);
                        }
                        let (area, drawn) = match &alert.place {
                            AlertPlace::Area { code } => (Some(code.as_str()), None),
                            AlertPlace::Drawn { bounds } => (None, Some(*bounds)),
                        };
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO area_alerts (account_id, area_code, west, south, east, north, frequency, created_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        )
                        .bind(account_id)
                        .bind(area)
                        .bind(drawn.map(|b| b.west))
                        .bind(drawn.map(|b| b.south))
                        .bind(drawn.map(|b| b.east))
                        .bind(drawn.map(|b| b.north))
                        .bind(alert.frequency.as_str())
                        .bind(encode_time(at))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db)?;
                        for category in &alert.categories {
                            sqlx::query("INSERT INTO area_alert_categories (alert_id, category_code) VALUES ($1, $2)")
                                .bind(id)
                                .bind(category)
                                .execute(&mut *tx)
                                .await
                                .map_err(db)?;
                        }
                        Ok(Some(id))
                    }
                    .await;
                    settle(tx, created).await
                }

                async fn account_alerts(&self, account_id: i64) -> Result<Vec<Alert>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT id, area_code, west, south, east, north, frequency, created_at
                         FROM area_alerts WHERE account_id = $1 ORDER BY id",
                    )
                    .bind(account_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let category_rows = sqlx::query(
                        "SELECT ac.alert_id, ac.category_code FROM area_alert_categories ac
                         JOIN area_alerts a ON a.id = ac.alert_id WHERE a.account_id = $1
                         ORDER BY ac.alert_id, ac.category_code",
                    )
                    .bind(account_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let mut categories: HashMap<i64, Vec<String>> = HashMap::new();
                    for row in &category_rows {
                        categories
                            .entry(row.try_get("alert_id").map_err(db)?)
                            .or_default()
                            .push(row.try_get("category_code").map_err(db)?);
                    }
                    rows.iter()
                        .map(|row| {
                            let id: i64 = row.try_get("id").map_err(db)?;
                            let area: Option<String> = row.try_get("area_code").map_err(db)?;
                            let place = match area {
                                Some(code) => AlertPlace::Area { code },
                                None => AlertPlace::Drawn {
                                    bounds: Bounds {
                                        west: row.try_get::<Option<f64>, _>("west").map_err(db)?.unwrap_or_default(),
                                        south: row.try_get::<Option<f64>, _>("south").map_err(db)?.unwrap_or_default(),
                                        east: row.try_get::<Option<f64>, _>("east").map_err(db)?.unwrap_or_default(),
                                        north: row.try_get::<Option<f64>, _>("north").map_err(db)?.unwrap_or_default(),
                                    },
                                },
                            };
                            let frequency: String = row.try_get("frequency").map_err(db)?;
                            Ok(Alert {
                                id,
                                place,
                                categories: categories.remove(&id).unwrap_or_default(),
                                frequency: AlertFrequency::parse(&frequency)
                                    .ok_or_else(|| corrupt(format!("alert frequency {frequency:?}")))?,
                                created_at: time_at(row, "created_at")?,
                            })
                        })
                        .collect()
                }

                async fn delete_alert(&self, account_id: i64, alert_id: i64) -> Result<bool, StoreError> {
                    let removed = sqlx::query("DELETE FROM area_alerts WHERE id = $1 AND account_id = $2")
                        .bind(alert_id)
                        .bind(account_id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(removed.rows_affected() == 1)
                }

                async fn account_notices(
                    &self,
                    account_id: i64,
                    since: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<Notice>, StoreError> {
                    let read_at: Option<DateTime<Utc>> = {
                        let row = sqlx::query("SELECT notices_read_at FROM accounts WHERE id = $1")
                            .bind(account_id)
                            .fetch_optional(&self.pool)
                            .await
                            .map_err(db)?;
                        match row {
                            Some(row) => maybe_time_at(&row, "notices_read_at")?,
                            None => None,
                        }
                    };
                    // In the app a person sees every public step; mail carries only the main ones.
                    let submitted = ChangeKind::Submitted.as_str();
                    let rows = sqlx::query(&format!(
                        "SELECT n.case_id, n.seq, n.occurred_at, n.kind, n.reason, c.title FROM (
                             SELECT e.case_id, e.seq, e.occurred_at, e.kind, 'followed' AS reason
                             FROM {followers} f JOIN case_events e ON e.case_id = f.case_id
                             WHERE f.account_id = $1 AND e.public = $4 AND e.kind <> '{submitted}'
                               AND e.occurred_at >= f.since AND e.occurred_at > $2
                             UNION ALL
                             SELECT e.case_id, e.seq, e.occurred_at, e.kind, 'reported' AS reason
                             FROM cases r JOIN case_events e ON e.case_id = r.id
                             WHERE r.reporter_account = $1 AND e.public = $4 AND e.kind <> '{submitted}' AND e.occurred_at > $2
                             UNION ALL
                             SELECT e.case_id, e.seq, e.occurred_at, e.kind, 'alert' AS reason
                             FROM area_alerts a JOIN cases c ON {watches} JOIN case_events e ON e.case_id = c.id
                             WHERE a.account_id = $1 AND e.kind = $5 AND e.occurred_at >= a.created_at
                               AND e.occurred_at > $2 AND NOT {held_back}
                         ) n JOIN cases c ON c.id = n.case_id
                         ORDER BY n.occurred_at DESC, n.case_id DESC, n.seq DESC, n.reason DESC LIMIT $3",
                        watches = alert_watches_sql(),
                        held_back = held_back_sql(),
                        followers = followers_sql(),
                    ))
                    .bind(account_id)
                    .bind(encode_time(since))
                    .bind(i64::from(limit))
                    .bind(true)
                    .bind(ChangeKind::Accepted.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    let notices = rows
                        .iter()
                        .map(|row| {
                            let reason: String = row.try_get("reason").map_err(db)?;
                            let kind: String = row.try_get("kind").map_err(db)?;
                            let at = time_at(row, "occurred_at")?;
                            Ok(Notice {
                                case_id: row.try_get("case_id").map_err(db)?,
                                seq: to_u32(row.try_get("seq").map_err(db)?)?,
                                title: row.try_get("title").map_err(db)?,
                                kind: ChangeKind::parse(&kind).ok_or_else(|| corrupt(format!("event kind {kind:?}")))?,
                                reason: NoticeReason::parse(&reason)
                                    .ok_or_else(|| corrupt(format!("notice reason {reason:?}")))?,
                                at,
                                unread: read_at.is_none_or(|read| at > read),
                            })
                        })
                        .collect::<Result<Vec<_>, StoreError>>()?;
                    Ok(without_repeats(notices))
                }

                async fn mark_notices_read(&self, account_id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
                    sqlx::query("UPDATE accounts SET notices_read_at = $2 WHERE id = $1")
                        .bind(account_id)
                        .bind(encode_time(at))
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }

                async fn unsettled_follower_notices(
                    &self,
                    since: DateTime<Utc>,
                    now: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<FollowerNotice>, StoreError> {
                    let event_columns = EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
                    let rows = sqlx::query(&format!(
                        "SELECT e.case_id, f.account_id, ac.email, {event_columns}
                         FROM {followers} f
                         JOIN case_events e ON e.case_id = f.case_id
                         JOIN cases c ON c.id = f.case_id
                         JOIN accounts ac ON ac.id = f.account_id
                         WHERE e.public = $4 AND e.kind IN ({told}) AND e.occurred_at > $1 AND e.occurred_at >= f.since
                           AND ac.active = $4 AND ac.email IS NOT NULL AND ac.email_verified_at IS NOT NULL
                           AND (c.reporter_account IS NULL OR c.reporter_account <> f.account_id)
                           AND NOT EXISTS (SELECT 1 FROM notice_deliveries d
                               WHERE d.case_id = e.case_id AND d.seq = e.seq
                               AND d.channel = 'follower:' || CAST(f.account_id AS TEXT)
                               AND NOT (d.outcome = 'failed' AND d.retry_at IS NOT NULL AND d.retry_at <= $2))
                         ORDER BY e.occurred_at, e.case_id, e.seq, f.account_id LIMIT $3",
                        told = told_kinds_sql(),
                        followers = followers_sql(),
                    ))
                    .bind(encode_time(since))
                    .bind(encode_time(now))
                    .bind(i64::from(limit))
                    .bind(true)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|row| {
                            Ok(FollowerNotice {
                                case_id: row.try_get("case_id").map_err(db)?,
                                account_id: row.try_get("account_id").map_err(db)?,
                                email: row.try_get("email").map_err(db)?,
                                event: decode_event(row)?,
                            })
                        })
                        .collect()
                }

                async fn unsettled_alert_matches(
                    &self,
                    since: DateTime<Utc>,
                    now: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<AlertMatch>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT a.id AS alert_id, ac.email, c.id AS case_id, c.title, c.address, e.occurred_at AS screened_at
                         FROM case_events e
                         JOIN cases c ON c.id = e.case_id
                         JOIN area_alerts a ON a.frequency = $5 AND e.occurred_at >= a.created_at AND {watches}
                         JOIN accounts ac ON ac.id = a.account_id
                         WHERE e.kind = $6 AND e.occurred_at > $1 AND NOT {held_back}
                           AND (c.reporter_account IS NULL OR c.reporter_account <> a.account_id)
                           AND ac.active = $4 AND ac.email IS NOT NULL AND ac.email_verified_at IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM alert_deliveries d
                               WHERE d.alert_id = a.id AND d.subject = CAST(c.id AS TEXT)
                               AND NOT (d.outcome = 'failed' AND d.retry_at IS NOT NULL AND d.retry_at <= $2))
                         ORDER BY e.occurred_at, c.id, a.id LIMIT $3",
                        watches = alert_watches_sql(),
                        held_back = held_back_sql(),
                    ))
                    .bind(encode_time(since))
                    .bind(encode_time(now))
                    .bind(i64::from(limit))
                    .bind(true)
                    .bind(AlertFrequency::AtOnce.as_str())
                    .bind(ChangeKind::Accepted.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_alert_match).collect()
                }

                async fn due_daily_alerts(
                    &self,
                    subject: &str,
                    made_before: DateTime<Utc>,
                    now: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<DueDigest>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT a.id, ac.email, a.created_at FROM area_alerts a JOIN accounts ac ON ac.id = a.account_id
                         WHERE a.frequency = $5 AND a.created_at < $2
                           AND ac.active = $6 AND ac.email IS NOT NULL AND ac.email_verified_at IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND d.subject = $1
                               AND NOT (d.outcome = 'failed' AND d.retry_at IS NOT NULL AND d.retry_at <= $3))
                         ORDER BY a.id LIMIT $4",
                    )
                    .bind(subject)
                    .bind(encode_time(made_before))
                    .bind(encode_time(now))
                    .bind(i64::from(limit))
                    .bind(AlertFrequency::Daily.as_str())
                    .bind(true)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|row| {
                            Ok(DueDigest {
                                alert_id: row.try_get("id").map_err(db)?,
                                email: row.try_get("email").map_err(db)?,
                                created_at: time_at(row, "created_at")?,
                            })
                        })
                        .collect()
                }

                async fn alert_matches_between(
                    &self,
                    alert_id: i64,
                    from: DateTime<Utc>,
                    to: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<AlertMatch>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT a.id AS alert_id, COALESCE(ac.email, '') AS email, c.id AS case_id, c.title, c.address,
                                e.occurred_at AS screened_at
                         FROM area_alerts a
                         JOIN accounts ac ON ac.id = a.account_id
                         JOIN cases c ON {watches}
                         JOIN case_events e ON e.case_id = c.id AND e.kind = $5
                         WHERE a.id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3 AND e.occurred_at >= a.created_at
                           AND NOT {held_back} AND (c.reporter_account IS NULL OR c.reporter_account <> a.account_id)
                         ORDER BY e.occurred_at, c.id LIMIT $4",
                        watches = alert_watches_sql(),
                        held_back = held_back_sql(),
                    ))
                    .bind(alert_id)
                    .bind(encode_time(from))
                    .bind(encode_time(to))
                    .bind(i64::from(limit))
                    .bind(ChangeKind::Accepted.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_alert_match).collect()
                }

                async fn claim_alert_delivery(
                    &self,
                    alert_id: i64,
                    subject: &str,
                    at: DateTime<Utc>,
                ) -> Result<Option<u32>, StoreError> {
                    let attempts: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO alert_deliveries (alert_id, subject, claimed_at, outcome, attempts)
                         VALUES ($1, $2, $3, 'sending', 0)
                         ON CONFLICT (alert_id, subject) DO UPDATE SET outcome = 'sending', claimed_at = excluded.claimed_at
                         WHERE alert_deliveries.outcome = 'failed' AND alert_deliveries.retry_at <= excluded.claimed_at
                         RETURNING attempts",
                    )
                    .bind(alert_id)
                    .bind(subject)
                    .bind(encode_time(at))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    attempts.map(to_u32).transpose()
                }

                async fn settle_alert_delivery(
                    &self,
                    alert_id: i64,
                    subject: &str,
                    outcome: NoticeOutcome,
                ) -> Result<(), StoreError> {
                    let (failed, retry_at) = match outcome {
                        NoticeOutcome::Failed { retry_at } => (1, retry_at),
                        NoticeOutcome::Sent | NoticeOutcome::Skipped => (0, None),
                    };
                    sqlx::query(
                        "UPDATE alert_deliveries SET outcome = $3, attempts = attempts + $4, retry_at = $5
                         WHERE alert_id = $1 AND subject = $2",
                    )
                    .bind(alert_id)
                    .bind(subject)
                    .bind(outcome.as_str())
                    .bind(i64::from(failed))
                    .bind(retry_at.map(encode_time))
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(())
                }

                async fn cases_to_escalate(
                    &self,
                    deadline_after: DateTime<Utc>,
                    deadline_before: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<CaseSummary>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {SUMMARY_COLUMNS} FROM cases
                         WHERE status IN ($1, $2) AND deadline IS NOT NULL AND deadline >= $6 AND deadline < $3
                           AND (escalated IS NULL OR escalated <> $4)
                         ORDER BY deadline, id LIMIT $5"
                    ))
                    .bind(CaseStatus::Assigned.as_str())
                    .bind(CaseStatus::InProgress.as_str())
                    .bind(encode_time(deadline_before))
                    .bind(domain::escalation::EscalationStep::Leader.as_str())
                    .bind(i64::from(limit))
                    .bind(encode_time(deadline_after))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_summary).collect()
                }

                async fn recent_escalations(
                    &self,
                    since: DateTime<Utc>,
                    place: &EscalationPlace,
                    limit: u32,
                ) -> Result<Vec<EscalationNotice>, StoreError> {
                    let event_columns = EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
                    let (agency, areas) = match place {
                        EscalationPlace::Province => (None, None),
                        EscalationPlace::Agency(agency) => (Some(agency.as_str()), None),
                        EscalationPlace::Areas(areas) => (None, Some(list_param(areas))),
                    };
                    let rows = sqlx::query(&format!(
                        "SELECT e.case_id, c.title, c.area_code, c.lead_agency, {event_columns}
                         FROM case_events e JOIN cases c ON c.id = e.case_id
                         WHERE e.kind = $1 AND e.occurred_at > $2
                           AND ($4 IS NULL OR c.lead_agency = $4) AND ($5 IS NULL OR c.area_code {})
                         ORDER BY e.occurred_at DESC, e.case_id DESC, e.seq DESC LIMIT $3",
                        in_list(5)
                    ))
                    .bind(ChangeKind::DeadlineEscalated.as_str())
                    .bind(encode_time(since))
                    .bind(i64::from(limit))
                    .bind(agency)
                    .bind(areas)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|row| {
                            Ok(EscalationNotice {
                                case_id: row.try_get("case_id").map_err(db)?,
                                title: row.try_get("title").map_err(db)?,
                                area: row.try_get("area_code").map_err(db)?,
                                agency: row.try_get("lead_agency").map_err(db)?,
                                event: decode_event(row)?,
                            })
                        })
                        .collect()
                }

                async fn add_support(&self, support: SupportAppend<'_>) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let added = support_in(&mut tx, support).await;
                    settle(tx, added).await
                }

                async fn case_supporters(&self, case_id: i64) -> Result<Vec<Supporter>, StoreError> {
                    let rows = sqlx::query(
                        "SELECT account_id, device_hash FROM case_supporters WHERE case_id = $1 ORDER BY event_seq",
                    )
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter()
                        .map(|row| {
                            Ok(Supporter {
                                account_id: row.try_get("account_id").map_err(db)?,
                                device_hash: row.try_get("device_hash").map_err(db)?,
                            })
                        })
                        .collect()
                }

                async fn case_supporter_accounts(&self, case_id: i64) -> Result<Vec<i64>, StoreError> {
                    sqlx::query_scalar(
                        "SELECT account_id FROM case_supporters
                         WHERE case_id = $1 AND account_id IS NOT NULL ORDER BY account_id",
                    )
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)
                }

                async fn merge_case(
                    &self,
                    duplicate: CaseAppend<'_>,
                    supports: &[SupportAppend<'_>],
                ) -> Result<(), StoreError> {
                    let mut tx = begin_write(&self.pool).await.map_err(db)?;
                    let merged = async {
                        append_in(&mut tx, duplicate).await?;
                        for support in supports {
                            support_in(&mut tx, *support).await?;
                        }
                        Ok::<(), StoreError>(())
                    }
                    .await;
                    settle(tx, merged).await
                }

                // Assignment inside an agency.

                async fn agency_officers(&self, agency: &str) -> Result<Vec<Account>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE role = $1 AND agency_code = $2
                         ORDER BY display_name, id"
                    ))
                    .bind(ActorRole::Officer.as_str())
                    .bind(agency)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_account).collect()
                }

                async fn unsettled_notices_of_kind(
                    &self,
                    kind: ChangeKind,
                    channel: &str,
                    since: DateTime<Utc>,
                    now: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<(i64, CaseEvent)>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT case_id, {EVENT_COLUMNS} FROM case_events e WHERE kind = $5 AND occurred_at > $2
                         AND NOT EXISTS (SELECT 1 FROM notice_deliveries d
                             WHERE d.case_id = e.case_id AND d.seq = e.seq AND d.channel = $1
                             AND NOT (d.outcome = 'failed' AND d.retry_at IS NOT NULL AND d.retry_at <= $3))
                         ORDER BY occurred_at, case_id, seq LIMIT $4"
                    ))
                    .bind(channel)
                    .bind(encode_time(since))
                    .bind(encode_time(now))
                    .bind(i64::from(limit))
                    .bind(kind.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(|row| Ok((row.try_get("case_id").map_err(db)?, decode_event(row)?))).collect()
                }

                async fn notices_read_at(&self, account_id: i64) -> Result<Option<DateTime<Utc>>, StoreError> {
                    let row = sqlx::query("SELECT notices_read_at FROM accounts WHERE id = $1")
                        .bind(account_id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db)?;
                    match row {
                        Some(row) => maybe_time_at(&row, "notices_read_at"),
                        None => Ok(None),
                    }
                }

                // Staff digests and escalation mail.

                async fn staff_addresses(&self, roles: &[ActorRole], limit: u32) -> Result<Vec<StaffAddress>, StoreError> {
                    let roles: Vec<String> = roles.iter().map(|role| role.as_str().to_string()).collect();
                    let rows = sqlx::query(&format!(
                        "SELECT {ACCOUNT_COLUMNS}, email FROM accounts
                         WHERE role {} AND active = $2 AND email IS NOT NULL AND email_verified_at IS NOT NULL
                         ORDER BY id LIMIT $3",
                        in_list(1)
                    ))
                    .bind(list_param(&roles))
                    .bind(true)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_staff_address).collect()
                }

                async fn due_staff_digests(
                    &self,
                    kind: StaffDigestKind,
                    period: &str,
                    now: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<StaffAddress>, StoreError> {
                    let rows = sqlx::query(&format!(
                        "SELECT {ACCOUNT_COLUMNS}, email FROM accounts
                         WHERE role = $3 AND active = $4 AND email IS NOT NULL AND email_verified_at IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM staff_digest_deliveries d
                               WHERE d.kind = $1 AND d.account_id = accounts.id AND d.period = $2
                               AND NOT (d.outcome = 'failed' AND d.retry_at IS NOT NULL AND d.retry_at <= $5))
                         ORDER BY id LIMIT $6"
                    ))
                    .bind(kind.as_str())
                    .bind(period)
                    .bind(kind.recipients().as_str())
                    .bind(true)
                    .bind(encode_time(now))
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_staff_address).collect()
                }

                async fn claim_staff_digest(
                    &self,
                    kind: StaffDigestKind,
                    account_id: i64,
                    period: &str,
                    at: DateTime<Utc>,
                ) -> Result<Option<u32>, StoreError> {
                    let attempts: Option<i64> = sqlx::query_scalar(
                        "INSERT INTO staff_digest_deliveries (kind, account_id, period, claimed_at, outcome, attempts)
                         VALUES ($1, $2, $3, $4, 'sending', 0)
                         ON CONFLICT (kind, account_id, period) DO UPDATE SET outcome = 'sending', claimed_at = excluded.claimed_at
                         WHERE staff_digest_deliveries.outcome = 'failed' AND staff_digest_deliveries.retry_at <= excluded.claimed_at
                         RETURNING attempts",
                    )
                    .bind(kind.as_str())
                    .bind(account_id)
                    .bind(period)
                    .bind(encode_time(at))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db)?;
                    attempts.map(to_u32).transpose()
                }

                async fn settle_staff_digest(
                    &self,
                    kind: StaffDigestKind,
                    account_id: i64,
                    period: &str,
                    outcome: NoticeOutcome,
                ) -> Result<(), StoreError> {
                    let (failed, retry_at) = match outcome {
                        NoticeOutcome::Failed { retry_at } => (1, retry_at),
                        NoticeOutcome::Sent | NoticeOutcome::Skipped => (0, None),
                    };
                    sqlx::query(
                        "UPDATE staff_digest_deliveries SET outcome = $4, attempts = attempts + $5, retry_at = $6
                         WHERE kind = $1 AND account_id = $2 AND period = $3",
                    )
                    .bind(kind.as_str())
                    .bind(account_id)
                    .bind(period)
                    .bind(outcome.as_str())
                    .bind(i64::from(failed))
                    .bind(retry_at.map(encode_time))
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(())
                }

                async fn agency_digest(&self, query: &AgencyDigestQuery<'_>) -> Result<AgencyDigest, StoreError> {
                    let with_agency =
                        format!("status IN ('{}', '{}')", CaseStatus::Assigned.as_str(), CaseStatus::InProgress.as_str());
                    // Each list is one statement over a window [$2, $3) of one column: its first cases,
                    // each row carrying how many the list holds. No deadline lies before 1970.
                    let lists = [
                        ("TRUE", "screened_at", query.routed_since, query.at),
                        (with_agency.as_str(), "deadline", query.at, query.near_until),
                        (with_agency.as_str(), "deadline", DateTime::<Utc>::UNIX_EPOCH, query.at),
                    ];
                    let mut found = Vec::with_capacity(lists.len());
                    for (condition, column, from, until) in lists {
                        let rows = sqlx::query(&format!(
                            "SELECT {SUMMARY_COLUMNS}, COUNT(*) OVER () AS total FROM cases
                             WHERE lead_agency = $1 AND {condition} AND {column} >= $2 AND {column} < $3
                             ORDER BY {column}, id LIMIT $4"
                        ))
                        .bind(query.agency)
                        .bind(encode_time(from))
                        .bind(encode_time(until))
                        .bind(i64::from(query.limit))
                        .fetch_all(&self.pool)
                        .await
                        .map_err(db)?;
                        let total = match rows.first() {
                            Some(row) => u64::try_from(row.try_get::<i64, _>("total").map_err(db)?).map_err(corrupt)?,
                            None => 0,
                        };
                        let cases = rows.iter().map(decode_summary).collect::<Result<Vec<_>, _>>()?;
                        found.push(DigestList { cases, total });
                    }
                    let mut found = found.into_iter();
                    let mut next = || found.next().unwrap_or_default();
                    Ok(AgencyDigest { new: next(), near: next(), overdue: next() })
                }

                async fn unsettled_escalations(
                    &self,
                    channel: &str,
                    since: DateTime<Utc>,
                    now: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<EscalationNotice>, StoreError> {
                    let event_columns = EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
                    let rows = sqlx::query(&format!(
                        "SELECT e.case_id, c.title, c.area_code, c.lead_agency, {event_columns}
                         FROM case_events e JOIN cases c ON c.id = e.case_id
                         WHERE e.kind = $1 AND e.occurred_at > $2
                           AND NOT EXISTS (SELECT 1 FROM notice_deliveries d
                               WHERE d.case_id = e.case_id AND d.seq = e.seq AND d.channel = $3
                               AND NOT (d.outcome = 'failed' AND d.retry_at IS NOT NULL AND d.retry_at <= $4))
                         ORDER BY e.occurred_at, e.case_id, e.seq LIMIT $5"
                    ))
                    .bind(ChangeKind::DeadlineEscalated.as_str())
                    .bind(encode_time(since))
                    .bind(channel)
                    .bind(encode_time(now))
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_escalation_notice).collect()
                }

                // Push notices.

                async fn push_key(&self, candidate: &str, at: DateTime<Utc>) -> Result<String, StoreError> {
                    // Insert if absent, then read what is there: every server starting at once ends
                    // with the one key that was written first.
                    sqlx::query(
                        "INSERT INTO push_keys (id, private_key, created_at) VALUES (1, $1, $2)
                         ON CONFLICT (id) DO NOTHING",
                    )
                    .bind(candidate)
                    .bind(encode_time(at))
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    sqlx::query_scalar("SELECT private_key FROM push_keys WHERE id = 1")
                        .fetch_one(&self.pool)
                        .await
                        .map_err(db)
                }

                async fn save_push_subscription(
                    &self,
                    owner: PushOwner,
                    subscription: &NewPushSubscription,
                    at: DateTime<Utc>,
                    max: u32,
                ) -> Result<bool, StoreError> {
                    let (column, owner_id) = push_owner_column(owner);
                    let saved = sqlx::query(&format!(
                        "INSERT INTO push_subscriptions (endpoint, p256dh, auth, lang, {column}, created_at)
                         SELECT $1, $2, $3, $4, $5, $6
                         WHERE (SELECT COUNT(*) FROM push_subscriptions WHERE {column} = $5 AND endpoint <> $1) < $7
                         ON CONFLICT (endpoint, {column}) DO UPDATE
                         SET p256dh = excluded.p256dh, auth = excluded.auth, lang = excluded.lang"
                    ))
                    .bind(&subscription.endpoint)
                    .bind(&subscription.p256dh)
                    .bind(&subscription.auth)
                    .bind(subscription.lang.code())
                    .bind(owner_id)
                    .bind(encode_time(at))
                    .bind(i64::from(max))
                    .execute(&self.pool)
                    .await
                    .map_err(db)?;
                    Ok(saved.rows_affected() == 1)
                }

                async fn delete_push_subscription(&self, owner: PushOwner, endpoint: &str) -> Result<bool, StoreError> {
                    let (column, owner_id) = push_owner_column(owner);
                    let removed =
                        sqlx::query(&format!("DELETE FROM push_subscriptions WHERE {column} = $1 AND endpoint = $2"))
                            .bind(owner_id)
                            .bind(endpoint)
                            .execute(&self.pool)
                            .await
                            .map_err(db)?;
                    Ok(removed.rows_affected() > 0)
                }

                async fn push_subscriptions(&self, owner: PushOwner) -> Result<Vec<PushSubscription>, StoreError> {
                    let (column, owner_id) = push_owner_column(owner);
                    let rows = sqlx::query(&format!(
                        "SELECT id, endpoint, p256dh, auth, lang, account_id, case_id, created_at
                         FROM push_subscriptions WHERE {column} = $1 ORDER BY created_at, id"
                    ))
                    .bind(owner_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(|row| decode_push_subscription(row, "id", "account_id", "case_id")).collect()
                }

                async fn forget_push_subscription(&self, id: i64) -> Result<(), StoreError> {
                    sqlx::query("DELETE FROM push_subscriptions WHERE id = $1")
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                    Ok(())
                }

                async fn unsettled_push_notices(
                    &self,
                    since: DateTime<Utc>,
                    now: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<PushNotice>, StoreError> {
                    let event_columns = EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
                    let told = told_kinds_sql();
                    let routed = [ChangeKind::Accepted, ChangeKind::Reopened]
                        .map(|kind| format!("'{}'", kind.as_str()))
                        .join(", ");
                    // Each branch is one reason to tell a subscription, numbered as `PushRecipient` orders them.
                    let rows = sqlx::query(&format!(
                        "SELECT r.case_id, r.recipient, cs.title AS case_title,
                                s.id AS subscription_id, s.endpoint, s.p256dh, s.auth, s.lang,
                                s.account_id AS subscription_account, s.case_id AS subscription_case, s.created_at,
                                a.role AS account_role, a.agency_code AS account_agency, {event_columns}
                         FROM (
                             SELECT e.case_id, e.seq, s.id AS subscription_id, CAST(1 AS BIGINT) AS recipient
                             FROM case_events e JOIN push_subscriptions s ON s.case_id = e.case_id
                             WHERE e.public = $4 AND e.kind IN ({told}) AND e.occurred_at > $1
                               AND e.occurred_at >= s.created_at
                             UNION ALL
                             SELECT e.case_id, e.seq, s.id, CAST(2 AS BIGINT)
                             FROM case_events e JOIN cases c ON c.id = e.case_id
                             JOIN push_subscriptions s ON s.account_id = c.reporter_account
                             WHERE e.public = $4 AND e.kind IN ({told}) AND e.occurred_at > $1
                               AND e.occurred_at >= s.created_at
                             UNION ALL
                             SELECT e.case_id, e.seq, s.id, CAST(3 AS BIGINT)
                             FROM case_events e JOIN cases c ON c.id = e.case_id
                             JOIN accounts o ON o.role = $5 AND o.agency_code = c.lead_agency
                             JOIN push_subscriptions s ON s.account_id = o.id
                             WHERE e.kind IN ({routed}) AND e.occurred_at > $1 AND e.occurred_at >= s.created_at
                             UNION ALL
                             SELECT e.case_id, e.seq, s.id, CAST(4 AS BIGINT)
                             FROM {followers} f JOIN case_events e ON e.case_id = f.case_id
                             JOIN push_subscriptions s ON s.account_id = f.account_id
                             WHERE e.public = $4 AND e.kind IN ({told}) AND e.occurred_at > $1
                               AND e.occurred_at >= f.since AND e.occurred_at >= s.created_at
                         ) r
                         JOIN case_events e ON e.case_id = r.case_id AND e.seq = r.seq
                         JOIN cases cs ON cs.id = r.case_id
                         JOIN push_subscriptions s ON s.id = r.subscription_id
                         LEFT JOIN accounts a ON a.id = s.account_id
                         WHERE (s.account_id IS NULL OR a.active = $4)
                           AND NOT EXISTS (SELECT 1 FROM notice_deliveries d
                               WHERE d.case_id = r.case_id AND d.seq = r.seq
                               AND d.channel = 'push:' || CAST(r.subscription_id AS TEXT)
                               AND NOT (d.outcome = 'failed' AND d.retry_at IS NOT NULL AND d.retry_at <= $2))
                         ORDER BY e.occurred_at, r.case_id, r.seq, r.subscription_id, r.recipient
                         LIMIT $3",
                        followers = followers_sql(),
                    ))
                    .bind(encode_time(since))
                    .bind(encode_time(now))
                    .bind(i64::from(limit))
                    .bind(true)
                    .bind(ActorRole::Officer.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db)?;
                    rows.iter().map(decode_push_notice).collect()
                }
            }

            /// How many of the newest matches a search scores: enough that the best match of any
            /// recent stretch is among them, few enough that a word in every case costs the same as a rare one.
            const SEARCH_RANKED_WINDOW: u32 = 2000;

            /// How many cases' search text one statement writes; both backends' parameter limits allow it.
            const SEARCH_INSERT_ROWS: usize = 1000;

            /// How many of the newest indexed cases a search that walks (see the backend's `search_walk`)
            /// reads first, before it judges whether to walk on.
            const SEARCH_WALK_FIRST: u32 = 4096;

            /// How many rows a walk reads for the cost of one match read through the full-text index
            /// (measured on PostgreSQL at 1,000,000 cases: about 0.75 µs a row walked, 10 µs a match).
            const SEARCH_WALK_ROWS_PER_MATCH: f64 = 10.0;

            /// How far below the highest indexed case id the search looks again for cases not yet
            /// indexed: several writers may commit cases out of id order.
            const SEARCH_RECHECK_WINDOW: i64 = 1000;

            /// Marks the link of `purpose` with this token hash used if it works at `now`, and
            /// answers its account and the address it was sent to; otherwise why it does not work.
            async fn use_link_in(
                tx: &mut Connection,
                purpose: LinkPurpose,
                token_hash: &str,
                now: DateTime<Utc>,
            ) -> Result<Result<(i64, String), LinkProblem>, StoreError> {
                // One statement: of two requests with one link, exactly one finds it unused.
                let used = sqlx::query(
                    "UPDATE account_links SET used_at = $3
                      WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
                      RETURNING account_id, email",
                )
                .bind(token_hash)
                .bind(purpose.as_str())
                .bind(encode_time(now))
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
                if let Some(row) = used {
                    return Ok(Ok((row.try_get("account_id").map_err(db)?, row.try_get("email").map_err(db)?)));
                }
                let row = sqlx::query("SELECT used_at FROM account_links WHERE token_hash = $1 AND purpose = $2")
                    .bind(token_hash)
                    .bind(purpose.as_str())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                Ok(Err(match row {
                    None => LinkProblem::Unknown,
                    Some(row) if maybe_time_at(&row, "used_at")?.is_some() => LinkProblem::Used,
                    Some(_) => LinkProblem::Expired,
                }))
            }

            /// Commits what a link did when it opened; otherwise rolls back at once, so that SQLite's
            /// write lock is not held until the pool lends the connection again.
            async fn settle_link(
                tx: Transaction<'_>,
                opened: Result<LinkState, StoreError>,
            ) -> Result<LinkState, StoreError> {
                match opened {
                    Ok(state @ LinkState::Open { .. }) => {
                        tx.commit().await.map_err(db)?;
                        Ok(state)
                    }
                    other => {
                        if let Err(error) = tx.rollback().await {
                            tracing::error!(%error, "rolling back an unused link failed");
                        }
                        other
                    }
                }
            }

            async fn close_citizen_account_in(
                tx: &mut Transaction<'_>,
                account_id: i64,
                erasures: &[CaseAppend<'_>],
            ) -> Result<(), StoreError> {
                for erasure in erasures {
                    append_in(tx, *erasure).await?;
                }
                // The row stays, so that the events its id acted in still resolve, but nothing in it
                // names the person any more, and no password matches its hash.
                let closed = sqlx::query(
                    "UPDATE accounts SET username = $2, display_name = '', password_hash = '!', active = $4,
                                         one_time_password_until = NULL, email = NULL, email_verified_at = NULL,
                                         phone = NULL
                     WHERE id = $1 AND role = $3 AND active = $5",
                )
                .bind(account_id)
                .bind(format!("closed-account-{account_id}"))
                .bind(ActorRole::Citizen.as_str())
                .bind(false)
                .bind(true)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
                if closed.rows_affected() == 0 {
                    return Err(StoreError::Missing(format!("citizen account {account_id}")));
                }
                for statement in [
                    "DELETE FROM sessions WHERE account_id = $1",
                    "DELETE FROM account_claim_attempts WHERE account_id = $1",
                    "DELETE FROM account_links WHERE account_id = $1",
                    "DELETE FROM case_follows WHERE account_id = $1",
                    "DELETE FROM area_alerts WHERE account_id = $1",
                    "DELETE FROM push_subscriptions WHERE account_id = $1",
                    // The count of a case it supported stays; nothing names the person any more.
                    "UPDATE case_supporters SET account_id = NULL WHERE account_id = $1",
                ] {
                    sqlx::query(statement).bind(account_id).execute(&mut **tx).await.map_err(db)?;
                }
                Ok(())
            }

            /// The event kinds followers are told of, as an SQL list of literals.
            fn told_kinds_sql() -> String {
                ChangeKind::ALL
                    .iter()
                    .filter(|kind| tells_followers(**kind))
                    .map(|kind| format!("'{}'", kind.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            }

            /// Who follows which case since when: those who asked to, and the signed-in supporters of
            /// the case (from their support, a merge's included), each once.
            fn followers_sql() -> &'static str {
                "(SELECT account_id, case_id, MIN(since) AS since FROM (
                     SELECT account_id, case_id, since FROM case_follows
                     UNION ALL
                     SELECT s.account_id, s.case_id, e.occurred_at AS since
                     FROM case_supporters s JOIN case_events e ON e.case_id = s.case_id AND e.seq = s.event_seq
                     WHERE s.account_id IS NOT NULL
                 ) followers_and_supporters GROUP BY account_id, case_id)"
            }

            /// Whether alert `a` watches case `c`: its area, or its drawn rectangle, and one of its
            /// categories when it names any.
            fn alert_watches_sql() -> &'static str {
                "((a.area_code IS NOT NULL AND c.area_code = a.area_code)
                   OR (a.area_code IS NULL AND c.lat BETWEEN a.south AND a.north AND c.lon BETWEEN a.west AND a.east))
                 AND (NOT EXISTS (SELECT 1 FROM area_alert_categories k WHERE k.alert_id = a.id)
                      OR EXISTS (SELECT 1 FROM area_alert_categories k
                                 WHERE k.alert_id = a.id AND k.category_code = c.category_code))"
            }

            fn decode_alert_match(row: &DbRow) -> Result<AlertMatch, StoreError> {
                Ok(AlertMatch {
                    alert_id: row.try_get("alert_id").map_err(db)?,
                    email: row.try_get("email").map_err(db)?,
                    case_id: row.try_get("case_id").map_err(db)?,
                    title: row.try_get("title").map_err(db)?,
                    address: row.try_get("address").map_err(db)?,
                    screened_at: time_at(row, "screened_at")?,
                })
            }

            /// Appends a `Supported` event and records its supporter beside it, inside `tx`. The
            /// supporter is the event's account when it names one, else the device hash. A supporter
            /// already recorded on the case is `Duplicate`, and the caller's transaction rolls back.
            async fn support_in(tx: &mut Transaction<'_>, support: SupportAppend<'_>) -> Result<(), StoreError> {
                let SupportAppend { append, device_hash } = support;
                let Change::Supported { account_id, .. } = &append.event.change else {
                    return Err(corrupt(format!("case {}: only a supported event records a supporter", append.case_id)));
                };
                append_in(tx, append).await?;
                let device_hash = if account_id.is_some() { None } else { device_hash };
                // A second support by one account or device leaves the row out; that is the refusal.
                let recorded = sqlx::query(
                    "INSERT INTO case_supporters (case_id, event_seq, account_id, device_hash)
                     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind(append.case_id)
                .bind(i64::from(append.event.seq))
                .bind(*account_id)
                .bind(device_hash)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
                if recorded.rows_affected() == 0 {
                    return Err(StoreError::Duplicate(format!("a supporter of case {}", append.case_id)));
                }
                Ok(())
            }

            // Staff digests and escalation mail.

            fn decode_staff_address(row: &DbRow) -> Result<StaffAddress, StoreError> {
                Ok(StaffAddress { account: decode_account(row)?, email: row.try_get("email").map_err(db)? })
            }

            fn decode_escalation_notice(row: &DbRow) -> Result<EscalationNotice, StoreError> {
                Ok(EscalationNotice {
                    case_id: row.try_get("case_id").map_err(db)?,
                    title: row.try_get("title").map_err(db)?,
                    area: row.try_get("area_code").map_err(db)?,
                    agency: row.try_get("lead_agency").map_err(db)?,
                    event: decode_event(row)?,
                })
            }

            // Push notices.

            /// The column naming a subscription's owner, and the owner's id there.
            fn push_owner_column(owner: PushOwner) -> (&'static str, i64) {
                match owner {
                    PushOwner::Account(id) => ("account_id", id),
                    PushOwner::Receipt(case_id) => ("case_id", case_id),
                }
            }

            fn decode_push_subscription(row: &DbRow, id: &str, account: &str, case: &str) -> Result<PushSubscription, StoreError> {
                let account: Option<i64> = row.try_get(account).map_err(db)?;
                let case: Option<i64> = row.try_get(case).map_err(db)?;
                let owner = match (account, case) {
                    (Some(account), None) => PushOwner::Account(account),
                    (None, Some(case)) => PushOwner::Receipt(case),
                    _ => return Err(corrupt("a push subscription belongs to an account or a receipt")),
                };
                let lang: String = row.try_get("lang").map_err(db)?;
                Ok(PushSubscription {
                    id: row.try_get(id).map_err(db)?,
                    owner,
                    endpoint: row.try_get("endpoint").map_err(db)?,
                    p256dh: row.try_get("p256dh").map_err(db)?,
                    auth: row.try_get("auth").map_err(db)?,
                    lang: if lang == "en" { domain::lang::Lang::En } else { domain::lang::Lang::Vi },
                    created_at: time_at(row, "created_at")?,
                })
            }

            fn decode_push_notice(row: &DbRow) -> Result<PushNotice, StoreError> {
                let recipient: i64 = row.try_get("recipient").map_err(db)?;
                let recipient = match recipient {
                    1 => PushRecipient::Receipt,
                    2 => PushRecipient::Reporter,
                    3 => PushRecipient::Officer,
                    4 => PushRecipient::Follower,
                    other => return Err(corrupt(format!("push recipient {other}"))),
                };
                let role: Option<String> = row.try_get("account_role").map_err(db)?;
                Ok(PushNotice {
                    case_id: row.try_get("case_id").map_err(db)?,
                    title: row.try_get("case_title").map_err(db)?,
                    event: decode_event(row)?,
                    subscription: decode_push_subscription(row, "subscription_id", "subscription_account", "subscription_case")?,
                    recipient,
                    account_role: role.as_deref().map(|role| ActorRole::parse(role).ok_or_else(|| corrupt(format!("role {role:?}")))).transpose()?,
                    account_agency: row.try_get("account_agency").map_err(db)?,
                })
            }
        }
    };
}
pub(super) use impl_store;

/// A walk down the indexed cases, newest first, with the match as a filter: the source a search
/// reads its newest matches from when they are common, so that it stops once its window is full
/// instead of reading every match through the full-text index.
pub struct SearchWalk {
    /// The walked rows joined to their cases, as `s` and `c`.
    pub source: String,
    /// Whether a walked row matches, as a filter.
    pub matched: String,
}
