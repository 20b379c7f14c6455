//! Storage backends behind the seam, chosen by the scheme of `DATABASE_URL`.

mod catalogue_cache;
mod codec;
mod group_commit;
pub mod postgres;
mod shared;
pub mod sqlite;

use anyhow::{bail, Context};
use services::store::SharedStore;
use std::sync::Arc;

/// Opens the database `url` names, runs its migrations, and returns it as the shared store.
pub async fn connect(url: &str) -> anyhow::Result<SharedStore> {
    if url.starts_with("sqlite:") {
        let store = sqlite::SqliteStore::open(url).await.context("opening the SQLite database")?;
        Ok(Arc::new(store))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let connections = std::env::var("HIENTRUONG_DB_POOL").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
        let store = postgres::PgStore::open(url, connections).await.context("opening the PostgreSQL database")?;
        Ok(Arc::new(store))
    } else {
        bail!("DATABASE_URL must start with sqlite: or postgres:")
    }
}
