//! The `hientruong` binary's command line: help, version, and `migrate` on a fresh database.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::process::{Command, Output};
use std::str::FromStr;

/// Runs the binary with `args`, the database being `database_url`.
fn run(args: &[&str], database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hientruong"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_the_commands_and_version_names_the_release() {
    let help = run(&["--help"], "sqlite::memory:");
    assert!(help.status.success(), "{help:?}");
    let shown = text(&help.stdout);
    for word in ["serve", "create-admin", "migrate", "DATABASE_URL"] {
        assert!(shown.contains(word), "--help mentions {word}: {shown}");
    }
    let admin_help = run(&["create-admin", "--help"], "sqlite::memory:");
    assert!(admin_help.status.success(), "{admin_help:?}");
    assert!(text(&admin_help.stdout).contains("HIENTRUONG_ADMIN_PASSWORD"), "{admin_help:?}");

    let version = run(&["--version"], "sqlite::memory:");
    assert!(version.status.success(), "{version:?}");
    assert_eq!(text(&version.stdout).trim(), format!("hientruong {}", env!("CARGO_PKG_VERSION")));

    let unknown = run(&["seed"], "sqlite::memory:");
    assert_eq!(unknown.status.code(), Some(2), "an unknown command is a usage error: {unknown:?}");
}

#[tokio::test]
async fn migrate_creates_the_schema_of_a_fresh_database_and_exits() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = dir.path().join("fresh").join("hientruong.db");
    let database_url = format!("sqlite://{}", file.display());
    let migrated = run(&["migrate"], &database_url);
    assert!(migrated.status.success(), "{migrated:?}");
    assert!(file.exists(), "the database file was created");

    // Read-only, so that nothing but the binary could have created the schema.
    let options = SqliteConnectOptions::from_str(&database_url).expect("options").read_only(true);
    let mut connection = options.connect().await.expect("the migrated file opens");
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
        .fetch_all(&mut connection)
        .await
        .expect("list tables");
    for table in ["cases", "case_events", "accounts", "photos", "_sqlx_migrations"] {
        assert!(tables.iter().any(|t| t == table), "{table} exists: {tables:?}");
    }
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut connection)
        .await
        .expect("count migrations");
    let shipped =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).expect("migrations").count();
    assert_eq!(applied, shipped as i64, "every shipped migration is applied");
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&mut connection).await.expect("count");
    assert_eq!(cases, 0, "migrating loads no data");
    connection.close().await.expect("close");

    let again = run(&["migrate"], &database_url);
    assert!(again.status.success(), "migrating an up-to-date database is harmless: {again:?}");
}
