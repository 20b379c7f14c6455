//! Statistics and exports over a million synthetic cases with their events, on SQLite and on
//! PostgreSQL: the case index's load time and memory, the statistics function the HTTP handler
//! calls, the same over HTTP beside `/healthz` under the same load, and a streamed export's memory.
//!
//! `cargo bench -p hientruong --bench statistics` (HIENTRUONG_BENCH_CASES sets the size, default
//! 1,000,000; the PostgreSQL half runs when `127.0.0.1:5432` answers).

use chrono::{Duration, NaiveDate, Utc};
use domain::account::{NewAccount, Username};
use domain::case::ActorRole;
use domain::contact::PersonName;
use domain::statistics::Period;
use hientruong::synthetic::{bulk_load, Generator, Lcg};
use hientruong::{seed, storage, Application, Settings};
use services::case_index::CaseIndex;
use services::statistics::statistics;
use services::store::SharedStore;
use services::{ScreeningRules, ServerContext};
use sqlx::Connection;
use std::sync::Arc;
use std::time::Instant;

#[path = "../tests/support/postgres.rs"]
mod postgres_support;

const GENERATION_CHUNK: i64 = 20_000;

fn resident_megabytes() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0.0);
    pages * 4096.0 / 1_048_576.0
}

/// The peak resident size since the last reset, in MB.
fn peak_megabytes() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let at = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples.get(at).copied().unwrap_or(f64::NAN)
}

fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Fills the migrated, seeded database at `url` with `count` cases.
async fn fill(url: &str, store: &SharedStore, count: i64) -> anyhow::Result<()> {
    let account = NewAccount {
        username: Username::parse("bench.congdan").map_err(|r| anyhow::anyhow!("{r:?}"))?,
        display_name: PersonName::parse("Người dân đo hiệu năng").map_err(|r| anyhow::anyhow!("{r:?}"))?,
        role: ActorRole::Citizen,
        agency: None,
        password_hash: "not-a-login".into(),
    };
    let reporter = store.create_account(&account, Utc::now()).await?;
    let mut generator = Generator::new(20_221_101, seed::catalogue()?.areas, reporter);
    let mut next = 1;
    while next <= count {
        let end = (next + GENERATION_CHUNK).min(count + 1);
        let cases = (next..end).map(|id| generator.case(id)).collect::<anyhow::Result<Vec<_>>>()?;
        bulk_load(url, &cases).await?;
        next = end;
    }
    Ok(())
}

/// A period of `days` starting at a random day of the four synthetic years.
fn random_period(random: &mut Lcg, days: i64) -> Period {
    let first = NaiveDate::from_ymd_opt(2022, 11, 1).unwrap_or_default();
    let latest_start = (4 * 365 - days).max(0);
    let from = first + Duration::days((random.next_unit() * latest_start as f64) as i64);
    Period { from, to: from + Duration::days(days - 1) }
}

/// The same period's headline counts by one SQL aggregate: the database's own time, as a baseline.
async fn sql_aggregate(url: &str, period: Period) -> anyhow::Result<f64> {
    if url.starts_with("sqlite:") {
        let mut connection = sqlx::SqliteConnection::connect(url).await?;
        let start = period.start().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let end = period.end().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let started = Instant::now();
        sqlx::query(
            "SELECT status, rejection, handled_on_time, rating, category_code, COUNT(*) FROM cases
             WHERE submitted_at >= ? AND submitted_at < ? GROUP BY 1, 2, 3, 4, 5",
        )
        .bind(start)
        .bind(end)
        .fetch_all(&mut connection)
        .await?;
        return Ok(millis(started));
    }
    let mut connection = sqlx::PgConnection::connect(url).await?;
    let started = Instant::now();
    sqlx::query(
        "SELECT status, rejection, handled_on_time, rating, category_code, COUNT(*) FROM cases
         WHERE submitted_at >= $1 AND submitted_at < $2 GROUP BY 1, 2, 3, 4, 5",
    )
    .bind(period.start())
    .bind(period.end())
    .fetch_all(&mut connection)
    .await?;
    Ok(millis(started))
}

async fn http_latencies(client: reqwest::Client, url: String, clients: usize, per_client: usize) -> Vec<f64> {
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                let started = Instant::now();
                let ok = client.get(&url).send().await.map(|r| r.status().is_success()).unwrap_or(false);
                if ok {
                    samples.push(millis(started));
                }
            }
            samples
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap_or_default());
    }
    all
}

async fn run_backend(name: &str, url: &str, count: i64) -> anyhow::Result<()> {
    println!("\n## {name}: {count} cases");
    let store = storage::connect(url).await?;
    store.seed_catalogue(&seed::catalogue()?).await?;
    let started = Instant::now();
    fill(url, &store, count).await?;
    println!("bulk load: {:.1} s", started.elapsed().as_secs_f64());

    let before = resident_megabytes();
    let started = Instant::now();
    let index = Arc::new(CaseIndex::load(store.as_ref()).await?);
    let load_ms = millis(started);
    println!(
        "case index: {} cases loaded from the database in {load_ms:.0} ms; resident memory +{:.0} MB",
        index.len(),
        resident_megabytes() - before
    );

    let context = ServerContext {
        store: store.clone(),
        index,
        tile_url: String::new(),
        screening: ScreeningRules::default(),
        ranking_minimum: 5,
        sessions: Default::default(),
        secure_cookies: false,
        rate_limits: None,
        open_data_licence: Default::default(),
        retention: Default::default(),
        account_mail: None,
        geocoder: None,
        escalation: Default::default(),
    };
    println!("| period | statistics p50 ms | p95 ms | SQL aggregate p50 ms (baseline) | ratio p50 |");
    println!("|---|---|---|---|---|");
    let mut random = Lcg(42);
    for (label, days, area) in [
        ("1 month", 30, None),
        ("1 quarter", 91, None),
        ("1 year", 365, None),
        ("4 years (all)", 4 * 365, None),
        ("1 year, one area", 365, Some("dong-hoi")),
    ] {
        let mut ours = Vec::new();
        let mut baseline = Vec::new();
        for round in 0..60 {
            let period = random_period(&mut random, days);
            let started = Instant::now();
            let figures =
                statistics(&context, period, area, Utc::now()).await.map_err(|e| anyhow::anyhow!("statistics: {e}"))?;
            ours.push(millis(started));
            std::hint::black_box(figures);
            // The database's scan is slow at a million rows; a quarter of the periods show its speed.
            if round % 4 == 0 {
                baseline.push(sql_aggregate(url, period).await?);
            }
        }
        let (p50, p95) = (percentile(&mut ours, 0.5), percentile(&mut ours, 0.95));
        let base = percentile(&mut baseline, 0.5);
        println!("| {label} | {p50:.2} | {p95:.2} | {base:.2} | {:.3} |", p50 / base);
    }
    drop(context);

    let started = Instant::now();
    let settings = Settings { demo: hientruong::demo::DemoDataset::Off, ..Settings::local(url) };
    let application = Application::build(settings).await?;
    println!(
        "server start-up (migrations checked, catalogue, index read from the database): {:.0} ms",
        millis(started)
    );
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    let client = reqwest::Client::new();
    let stats_url = format!("{address}/api/v1/stats?from=2023-01-01&to=2023-12-31");
    println!(
        "| HTTP, 1 year | clients | stats p50 ms | stats p95 ms | /healthz p95 ms under the same load | ratio p95 |"
    );
    println!("|---|---|---|---|---|---|");
    for clients in [1, 8] {
        let health = tokio::spawn(http_latencies(client.clone(), format!("{address}/healthz"), 1, 200));
        let mut stats = http_latencies(client.clone(), stats_url.clone(), clients, 200 / clients.max(1) * 2).await;
        let mut health = health.await.unwrap_or_default();
        let (p50, p95) = (percentile(&mut stats, 0.5), percentile(&mut stats, 0.95));
        let health95 = percentile(&mut health, 0.95);
        println!("| | {clients} | {p50:.2} | {p95:.2} | {health95:.2} | {:.2} |", p95 / health95);
    }

    for (label, query) in [("one month", "?from=2023-03-01&to=2023-03-31"), ("everything", "")] {
        reset_peak();
        let before = resident_megabytes();
        let started = Instant::now();
        let mut response = client.get(format!("{address}/api/v1/cases.csv{query}")).send().await?;
        let (mut bytes, mut rows) = (0usize, 0usize);
        while let Some(chunk) = response.chunk().await? {
            bytes += chunk.len();
            rows += chunk.iter().filter(|b| **b == b'\n').count();
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "CSV export, {label}: {} rows, {:.0} MB in {seconds:.1} s ({:.0} rows/s); peak resident memory {:.0} MB above the {:.0} MB before",
            rows.saturating_sub(1),
            bytes as f64 / 1_048_576.0,
            rows as f64 / seconds,
            peak_megabytes() - before,
            before
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: i64 = std::env::var("HIENTRUONG_BENCH_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("# statistics benchmark: {count} cases, {cpus} CPUs, {}", Utc::now().format("%Y-%m-%d"));
    let folder = tempfile::tempdir()?;
    let sqlite_url = format!("sqlite://{}/bench.db", folder.path().display());
    run_backend("SQLite", &sqlite_url, count).await?;
    match postgres_support::TemporaryDatabase::create().await {
        Some(database) => run_backend("PostgreSQL", &database.url, count).await?,
        None => println!("\nPostgreSQL: not reachable, skipped"),
    }
    Ok(())
}
