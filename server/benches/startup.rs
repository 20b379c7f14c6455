//! Start-up with a million cases on SQLite and on PostgreSQL: the whole application build, cold
//! (the case index read case by case from the database, as after an upgrade) and warm (from the
//! snapshot a running server saves, plus the changes since), each the median of several runs with
//! their spread; and what the snapshot costs: its size and the time to save it.
//!
//! `cargo bench -p hientruong --bench startup` (HIENTRUONG_BENCH_CASES sets the size, default
//! 1,000,000; HIENTRUONG_BENCH_RUNS the runs per figure, default 3; the PostgreSQL half runs when
//! `127.0.0.1:5432` answers).

use hientruong::config::Settings;
use hientruong::startup::Application;
use hientruong::{seed, storage, synthetic};
use services::case_index::{CaseIndex, LoadedFrom};
use sqlx::Connection;
use std::time::Instant;

#[path = "../tests/support/postgres.rs"]
mod postgres_support;

fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// "median (min to max)" of `samples`, in ms.
fn spread(samples: &[f64]) -> String {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN);
    let (low, high) = (sorted.first().copied().unwrap_or(f64::NAN), sorted.last().copied().unwrap_or(f64::NAN));
    format!("{median:.0} ({low:.0} to {high:.0})")
}

async fn forget_snapshot(url: &str) -> anyhow::Result<()> {
    let sql = "DELETE FROM case_index_snapshots";
    if url.starts_with("sqlite:") {
        sqlx::query(sql).execute(&mut sqlx::SqliteConnection::connect(url).await?).await?;
    } else {
        sqlx::query(sql).execute(&mut sqlx::PgConnection::connect(url).await?).await?;
    }
    Ok(())
}

/// Builds the whole application `runs` times; answers each build's ms after checking where its
/// case index came from and that it holds every case.
async fn builds(url: &str, runs: usize, count: usize, snapshot: bool) -> anyhow::Result<Vec<f64>> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        if !snapshot {
            forget_snapshot(url).await?;
        }
        let started = Instant::now();
        let application = Application::build(Settings::local(url)).await?;
        times.push(millis(started));
        let index = application.case_index();
        anyhow::ensure!(index.len() == count, "the index holds {} of {count} cases", index.len());
        let from_snapshot = matches!(index.loaded_from(), LoadedFrom::Snapshot { .. });
        anyhow::ensure!(from_snapshot == snapshot, "loaded from {:?}", index.loaded_from());
    }
    Ok(times)
}

async fn run_backend(name: &str, url: &str, count: i64, runs: usize) -> anyhow::Result<String> {
    let store = storage::connect(url).await?;
    store.seed_catalogue(&seed::catalogue()?).await?;
    let started = Instant::now();
    synthetic::fill(url, store.as_ref(), count).await?;
    println!("{name}: {count} cases written in {:.1} s (setup, not start-up)", started.elapsed().as_secs_f64());
    let cases = usize::try_from(count)?;

    // The case index alone, both ways.
    let mut read_all = Vec::new();
    let mut save = Vec::new();
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let index = CaseIndex::read_all(store.as_ref()).await?;
        read_all.push(millis(started));
        let started = Instant::now();
        bytes = index.save_snapshot(store.as_ref()).await?;
        save.push(millis(started));
    }
    let mut from_snapshot = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let index = CaseIndex::load(store.as_ref()).await?;
        from_snapshot.push(millis(started));
        anyhow::ensure!(matches!(index.loaded_from(), LoadedFrom::Snapshot { .. }), "{:?}", index.loaded_from());
    }
    drop(store);

    let cold = builds(url, runs, cases, false).await?;
    // The last cold build left no snapshot: save one as a running server would.
    let index = CaseIndex::read_all(storage::connect(url).await?.as_ref()).await?;
    index.save_snapshot(storage::connect(url).await?.as_ref()).await?;
    drop(index);
    let warm = builds(url, runs, cases, true).await?;
    Ok(format!(
        "| {name} | {} | {} | {} | {} | {} | {:.1} |",
        spread(&cold),
        spread(&warm),
        spread(&read_all),
        spread(&from_snapshot),
        spread(&save),
        bytes as f64 / 1_048_576.0
    ))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: i64 = std::env::var("HIENTRUONG_BENCH_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = std::env::var("HIENTRUONG_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let folder = tempfile::tempdir()?;
    let url = format!("sqlite://{}/startup.db", folder.path().display());
    let mut rows = vec![run_backend("SQLite", &url, count, runs).await?];
    match postgres_support::TemporaryDatabase::create().await {
        Some(database) => rows.push(run_backend("PostgreSQL", &database.url, count, runs).await?),
        None => rows.push("| PostgreSQL | not reachable | | | | | |".into()),
    }
    println!("\n### Start-up from a database of {count} cases, ms: median of {runs} (min to max)\n");
    println!(
        "| backend | whole start-up, cold (every case read) | whole start-up, warm (snapshot + changes since) \
         | case index: every case read | case index: from the snapshot | snapshot save | snapshot MB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        println!("{row}");
    }
    Ok(())
}
