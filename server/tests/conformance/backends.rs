//! Fresh, empty stores of each backend for one test each.

use hientruong::storage::postgres::PgStore;
use hientruong::storage::sqlite::SqliteStore;
use services::store::SharedStore;
use std::sync::Arc;

#[path = "../support/postgres.rs"]
mod temporary;
pub use temporary::TemporaryDatabase;

/// A store and whatever must outlive it (a temporary folder, a database to drop).
pub struct TestStore {
    pub store: SharedStore,
    /// The same database reached around the store, as a person with its password would.
    pub raw: RawSql,
    _keep: Box<dyn std::any::Any + Send>,
}

/// Plain SQL on a backend's database, through a connection of its own: what the store's seam
/// never does, for tests of what the database itself refuses.
pub enum RawSql {
    Sqlite(String),
    Postgres(String),
}

impl RawSql {
    /// Runs `sql`; answers the rows it changed, or the database's error message.
    pub async fn execute(&self, sql: &str) -> Result<u64, String> {
        use sqlx::Connection;
        let done = match self {
            RawSql::Sqlite(url) => {
                let mut connection = sqlx::SqliteConnection::connect(url).await.expect("connect to SQLite");
                sqlx::query(sql).execute(&mut connection).await.map(|r| r.rows_affected())
            }
            RawSql::Postgres(url) => {
                let mut connection = sqlx::PgConnection::connect(url).await.expect("connect to PostgreSQL");
                sqlx::query(sql).execute(&mut connection).await.map(|r| r.rows_affected())
            }
        };
        done.map_err(|error| error.to_string())
    }

    /// Drops the triggers that keep `case_events` append-only, as an intruder with the database's
    /// owner rights could.
    pub async fn drop_event_triggers(&self) {
        for trigger in ["case_events_refuse_update", "case_events_refuse_delete"] {
            let sql = match self {
                RawSql::Sqlite(_) => format!("DROP TRIGGER {trigger}"),
                RawSql::Postgres(_) => format!("DROP TRIGGER {trigger} ON case_events"),
            };
            self.execute(&sql).await.expect("drop the trigger");
        }
    }
}

pub async fn sqlite() -> Option<TestStore> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}/conformance.db", dir.path().display());
    let store = SqliteStore::open(&url).await.expect("open SQLite store");
    Some(TestStore { store: Arc::new(store), raw: RawSql::Sqlite(url), _keep: Box::new(dir) })
}

pub async fn postgres() -> Option<TestStore> {
    let database = TemporaryDatabase::create().await?;
    let store = PgStore::open(&database.url, 4).await.expect("open PostgreSQL store");
    Some(TestStore { store: Arc::new(store), raw: RawSql::Postgres(database.url.clone()), _keep: Box::new(database) })
}
