//! Statistics and exports over a million synthetic cases with their events, on SQLite and on
//! PostgreSQL: the case index's load time and memory, the statistics function the HTTP handler
//! calls, the same over HTTP beside `/healthz` under the same load, and a streamed export's memory.
//!
//! `cargo bench -p hientruong --bench statistics` (HIENTRUONG_BENCH_CASES sets the size, default
//! 1,000,000; `HIENTRUONG_BENCH_BACKENDS` names the halves to run, default `sqlite,postgres`; the
//! PostgreSQL half runs when `127.0.0.1:5432` answers).

use chrono::{Duration, NaiveDate, Utc};
use domain::statistics::Period;
use hientruong::synthetic::{self, Lcg};
use hientruong::{seed, storage, Application, Settings};
use services::case_index::CaseIndex;
use services::statistics::statistics;
use services::{ScreeningRules, ServerContext};
use sqlx::Connection;
use std::sync::Arc;
use std::time::Instant;

#[path = "../tests/support/postgres.rs"]
mod postgres_support;

/// Periods of each length, the same for both sides.
const PERIODS: usize = 60;

/// Runs over those periods; each figure is the median of the runs.
const RUNS: usize = 3;

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

/// A period of `days` starting at a random day of the four synthetic years.
fn random_period(random: &mut Lcg, days: i64) -> Period {
    let first = NaiveDate::from_ymd_opt(2022, 11, 1).unwrap_or_default();
    let latest_start = (4 * 365 - days).max(0);
    let from = first + Duration::days((random.next_unit() * latest_start as f64) as i64);
    Period { from, to: from + Duration::days(days - 1) }
}

/// One connection kept open for the baseline's queries, so that it runs warm as the store's pool does.
enum Baseline {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Baseline {
    async fn open(url: &str) -> anyhow::Result<Self> {
        Ok(if url.starts_with("sqlite:") {
            Baseline::Sqlite(sqlx::SqliteConnection::connect(url).await?)
        } else {
            Baseline::Postgres(sqlx::PgConnection::connect(url).await?)
        })
    }

    /// The period's headline counts by one SQL aggregate, filtered by area when one is given: the
    /// database's own time for the same question, as a baseline; answers its ms.
    async fn aggregate(&mut self, period: Period, area: Option<&str>) -> anyhow::Result<f64> {
        let in_area = if area.is_some() { "AND area_code = $3" } else { "" };
        let sql = format!(
            "SELECT status, rejection, handled_on_time, rating, category_code, COUNT(*) FROM cases
             WHERE submitted_at >= $1 AND submitted_at < $2 {in_area} GROUP BY 1, 2, 3, 4, 5"
        );
        let started = Instant::now();
        match self {
            Baseline::Sqlite(connection) => {
                let time = |at: chrono::DateTime<Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
                let mut query = sqlx::query(&sql).bind(time(period.start())).bind(time(period.end()));
                if let Some(area) = area {
                    query = query.bind(area);
                }
                query.fetch_all(connection).await?;
            }
            Baseline::Postgres(connection) => {
                let mut query = sqlx::query(&sql).bind(period.start()).bind(period.end());
                if let Some(area) = area {
                    query = query.bind(area);
                }
                query.fetch_all(connection).await?;
            }
        }
        Ok(millis(started))
    }
}

/// "median (min to max)" of `samples`.
fn spread(samples: &[f64]) -> String {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN);
    let (low, high) = (sorted.first().copied().unwrap_or(f64::NAN), sorted.last().copied().unwrap_or(f64::NAN));
    format!("{median:.2} ({low:.2} to {high:.2})")
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
    synthetic::fill(url, store.as_ref(), count).await?;
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
    let mut baseline = Baseline::open(url).await?;
    println!(
        "| period | statistics p50 ms | statistics p95 ms | SQL aggregate p50 ms (baseline) | SQL aggregate p95 ms | ratio of p50s |"
    );
    println!("|---|---|---|---|---|---|");
    let mut random = Lcg(42);
    for (label, days, area) in [
        ("1 month", 30, None),
        ("1 quarter", 91, None),
        ("1 year", 365, None),
        ("4 years (all)", 4 * 365, None),
        ("1 year, one area", 365, Some("dong-hoi")),
    ] {
        let periods: Vec<Period> = (0..PERIODS).map(|_| random_period(&mut random, days)).collect();
        // One untimed pass each, so neither side is measured cold.
        if let Some(first) = periods.first() {
            statistics(&context, *first, area, Utc::now()).await.map_err(|e| anyhow::anyhow!("statistics: {e}"))?;
            baseline.aggregate(*first, area).await?;
        }
        // Each figure: the median over the runs of that run's percentile, with the spread.
        let mut runs: [Vec<f64>; 5] = Default::default();
        for _ in 0..RUNS {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            for period in &periods {
                let started = Instant::now();
                let figures = statistics(&context, *period, area, Utc::now())
                    .await
                    .map_err(|e| anyhow::anyhow!("statistics: {e}"))?;
                ours.push(millis(started));
                std::hint::black_box(figures);
                theirs.push(baseline.aggregate(*period, area).await?);
            }
            let (ours50, theirs50) = (percentile(&mut ours, 0.5), percentile(&mut theirs, 0.5));
            for (figures, value) in runs.iter_mut().zip([
                ours50,
                percentile(&mut ours, 0.95),
                theirs50,
                percentile(&mut theirs, 0.95),
                ours50 / theirs50,
            ]) {
                figures.push(value);
            }
        }
        let [ours50, ours95, theirs50, theirs95, ratio] = runs.map(|figures| spread(&figures));
        println!("| {label} | {ours50} | {ours95} | {theirs50} | {theirs95} | {ratio} |");
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
    // `HIENTRUONG_BENCH_BACKENDS=postgres` (or `sqlite`) runs one half alone.
    let backends = std::env::var("HIENTRUONG_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let folder = tempfile::tempdir()?;
    let sqlite_url = format!("sqlite://{}/bench.db", folder.path().display());
    if backends.contains("sqlite") {
        run_backend("SQLite", &sqlite_url, count).await?;
    }
    if !backends.contains("postgres") {
        return Ok(());
    }
    match postgres_support::TemporaryDatabase::create().await {
        Some(database) => run_backend("PostgreSQL", &database.url, count).await?,
        None => println!("\nPostgreSQL: not reachable, skipped"),
    }
    Ok(())
}
