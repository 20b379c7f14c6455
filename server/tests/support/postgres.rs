//! A PostgreSQL database of its own for one test, shared by the test binaries that need one.

use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("HIENTRUONG_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database of its own on the test PostgreSQL, dropped when the test ends.
pub struct TemporaryDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl TemporaryDatabase {
    /// Creates one; `None` (with a loud message) when no PostgreSQL answers, unless `CI=true`,
    /// where that fails the run instead.
    pub async fn create() -> Option<Self> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let admin_url = postgres_admin_url();
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(connection) => connection,
            Err(error) if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("PostgreSQL at {admin_url} is unreachable under CI: {error}")
            }
            Err(error) => {
                eprintln!("\n!!! SKIPPED: PostgreSQL at {admin_url} is unreachable ({error}); the PostgreSQL tests did not run !!!\n");
                return None;
            }
        };
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name =
            format!("hientruong_test_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst), nanos);
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create test database");
        let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin_url).to_string();
        Some(Self { url: format!("{base}/{name}"), admin_url, name })
    }
}

impl Drop for TemporaryDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs outside async code, so the cleanup gets a small runtime of its own.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async move {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
                }
            });
        });
        let _ = cleanup.join();
    }
}
