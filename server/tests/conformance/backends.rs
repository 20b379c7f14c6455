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
    _keep: Box<dyn std::any::Any + Send>,
}

pub async fn sqlite() -> Option<TestStore> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}/conformance.db", dir.path().display());
    let store = SqliteStore::open(&url).await.expect("open SQLite store");
    Some(TestStore { store: Arc::new(store), _keep: Box::new(dir) })
}

pub async fn postgres() -> Option<TestStore> {
    let database = TemporaryDatabase::create().await?;
    let store = PgStore::open(&database.url, 4).await.expect("open PostgreSQL store");
    Some(TestStore { store: Arc::new(store), _keep: Box::new(database) })
}
