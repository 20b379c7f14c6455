//! Durable intake: reports acknowledged per second through `POST /api/submit_case` at 1, 8, 32 and
//! 128 clients, with their p50 and p99, on SQLite and on PostgreSQL, each beside the raw rate at
//! which the same database commits one-row transactions with the same durability, in the same run.
//!
//! `cargo bench -p hientruong --bench intake` (`./dev.sh bench intake`). Rate limits are off, as
//! `HIENTRUONG_RATE_LIMITS=off` sets them for a release server. `HIENTRUONG_BENCH_SECONDS` sets each
//! measurement's length (default 4), `HIENTRUONG_BENCH_ROUNDS` the rounds a median is taken over
//! (default 3); the PostgreSQL half runs when `127.0.0.1:5432` answers.

use hientruong::{Application, Settings};
use serde_json::json;
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::{Duration, Instant};

// The server binary runs on mimalloc (see `src/main.rs`); the server measured here in-process
// must run on it too, or the figures are glibc's allocator's, not the shipped server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/support/postgres.rs"]
mod postgres_support;
#[path = "../tests/support/reports.rs"]
mod reports;

const CLIENTS: [usize; 4] = [1, 8, 32, 128];

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let at = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples.get(at).copied().unwrap_or(f64::NAN)
}

/// The median of `values` and their spread (lowest, highest).
fn summary(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    let median = percentile(&mut sorted, 0.5);
    (median, sorted.first().copied().unwrap_or(f64::NAN), sorted.last().copied().unwrap_or(f64::NAN))
}

/// One-row transactions committed per second on one connection, for `length`: the ceiling a
/// transaction per report would have, without HTTP, parsing or the report's other rows.
async fn raw_commit_rate(url: &str, length: Duration) -> anyhow::Result<f64> {
    let create = "CREATE TABLE IF NOT EXISTS bench_raw_commits (id BIGINT PRIMARY KEY, body TEXT NOT NULL)";
    let mut committed = 0i64;
    let started = Instant::now();
    if url.starts_with("sqlite:") {
        // The store's own durability: WAL with a full fsync at every commit.
        let mut connection = sqlx::sqlite::SqliteConnectOptions::from_str(url)?
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
            .connect()
            .await?;
        sqlx::query(create).execute(&mut connection).await?;
        let base: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM bench_raw_commits").fetch_one(&mut connection).await?;
        while started.elapsed() < length {
            committed += 1;
            sqlx::raw_sql(&one_row_transaction(base + committed)).execute(&mut connection).await?;
        }
    } else {
        let mut connection = sqlx::PgConnection::connect(url).await?;
        sqlx::query(create).execute(&mut connection).await?;
        let base: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0)::BIGINT FROM bench_raw_commits")
            .fetch_one(&mut connection)
            .await?;
        while started.elapsed() < length {
            committed += 1;
            sqlx::raw_sql(&one_row_transaction(base + committed)).execute(&mut connection).await?;
        }
    }
    Ok(committed as f64 / started.elapsed().as_secs_f64())
}

/// One transaction of one row, sent as one request so that the driver's round trips do not count:
/// the rate measured is the database's, as a C or Python loop would see it.
fn one_row_transaction(id: i64) -> String {
    format!("BEGIN; INSERT INTO bench_raw_commits (id, body) VALUES ({id}, 'Rác thải đổ trộm ven sông'); COMMIT;")
}

fn report(key: &str) -> serde_json::Value {
    json!({ "input": reports::valid_report(key) })
}

struct Load {
    acknowledged_per_second: f64,
    /// The process's CPU time (server and load generator together) per acknowledged report, in µs:
    /// what a change to the request's path saves shows here even when the disk's speed varies.
    cpu_us_per_report: f64,
    p50: f64,
    p99: f64,
    refused: usize,
}

/// `clients` clients each filing reports one after another for `length`; a report counts once its
/// answer (200, the case stored) has arrived.
async fn file_reports(address: &str, tag: &str, clients: usize, length: Duration) -> Load {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap_or_default();
    let started = Instant::now();
    let cpu_before = process_cpu_seconds();
    let mut tasks = Vec::new();
    for task in 0..clients {
        let (client, url, tag) = (client.clone(), format!("{address}/api/submit_case"), tag.to_string());
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut refused) = (Vec::new(), 0usize);
            let mut n = 0u64;
            while started.elapsed() < length {
                n += 1;
                let body = report(&format!("{tag}-t{task}-n{n}"));
                let sent = Instant::now();
                let answer = client.post(&url).header("origin", address_of(&url)).json(&body).send().await;
                match answer {
                    Ok(response) if response.status().is_success() => {
                        let _ = response.bytes().await;
                        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => refused += 1,
                }
            }
            (latencies, refused)
        }));
    }
    let (mut latencies, mut refused) = (Vec::new(), 0);
    for task in tasks {
        if let Ok((mine, failed)) = task.await {
            latencies.extend(mine);
            refused += failed;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_us_per_report = (process_cpu_seconds() - cpu_before) * 1e6 / latencies.len().max(1) as f64;
    let acknowledged_per_second = latencies.len() as f64 / elapsed;
    let p50 = percentile(&mut latencies, 0.5);
    let p99 = percentile(&mut latencies, 0.99);
    Load { acknowledged_per_second, cpu_us_per_report, p50, p99, refused }
}

/// User and system CPU time of the whole process so far, in seconds.
fn process_cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return f64::NAN;
    }
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

fn address_of(url: &str) -> String {
    url.split("/api/").next().unwrap_or(url).to_string()
}

/// Starts the server for `url` on a runtime of its own, as a separate process would have, and
/// answers its address.
fn start_server(url: &str, media: std::path::PathBuf) -> anyhow::Result<String> {
    let settings = Settings { media_dir: media, ..Settings::local(url) };
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
            Ok(runtime) => runtime,
            Err(error) => {
                let _ = sender.send(Err(anyhow::anyhow!(error)));
                return;
            }
        };
        runtime.block_on(async move {
            match Application::build(settings).await {
                Ok(application) => {
                    let _ = sender.send(Ok(format!("http://127.0.0.1:{}", application.port())));
                    let _ = application.run().await;
                }
                Err(error) => {
                    let _ = sender.send(Err(error));
                }
            }
        });
    });
    receiver.recv()?
}

async fn bench(backend: &str, url: &str, media: std::path::PathBuf) -> anyhow::Result<()> {
    let length = Duration::from_secs(setting("HIENTRUONG_BENCH_SECONDS", 4));
    let rounds = setting("HIENTRUONG_BENCH_ROUNDS", 3) as usize;
    let address = start_server(url, media)?;
    // Warm the connections and the catalogue cache.
    let _ = file_reports(&address, &format!("{backend}-warm"), 8, Duration::from_secs(1)).await;
    let mut raw = Vec::new();
    let mut loads: Vec<Vec<Load>> = CLIENTS.iter().map(|_| Vec::new()).collect();
    for round in 0..rounds {
        raw.push(raw_commit_rate(url, length / 2).await?);
        for (level, clients) in CLIENTS.iter().enumerate() {
            let tag = format!("{backend}-r{round}-c{clients}");
            loads[level].push(file_reports(&address, &tag, *clients, length).await);
        }
    }
    let (raw_median, raw_low, raw_high) = summary(&raw);
    println!(
        "\n{backend}: raw one-row commits/s on one connection, median of {rounds} (spread): {raw_median:.0} ({raw_low:.0}–{raw_high:.0})"
    );
    println!(
        "| {backend} clients | acknowledged reports/s (spread) | × raw | p50 ms (spread) | p99 ms (spread) | CPU µs per report (spread) | refused |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (clients, runs) in CLIENTS.iter().zip(&loads) {
        let rates: Vec<f64> = runs.iter().map(|l| l.acknowledged_per_second).collect();
        let p50s: Vec<f64> = runs.iter().map(|l| l.p50).collect();
        let p99s: Vec<f64> = runs.iter().map(|l| l.p99).collect();
        let cpus: Vec<f64> = runs.iter().map(|l| l.cpu_us_per_report).collect();
        let refused: usize = runs.iter().map(|l| l.refused).sum();
        let (rate, rate_low, rate_high) = summary(&rates);
        let (p50, p50_low, p50_high) = summary(&p50s);
        let (p99, p99_low, p99_high) = summary(&p99s);
        let (cpu, cpu_low, cpu_high) = summary(&cpus);
        println!(
            "| {clients} | {rate:.0} ({rate_low:.0}–{rate_high:.0}) | {:.2} | {p50:.1} ({p50_low:.1}–{p50_high:.1}) | {p99:.1} ({p99_low:.1}–{p99_high:.1}) | {cpu:.0} ({cpu_low:.0}–{cpu_high:.0}) | {refused} |",
            rate / raw_median
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let folder = tempfile::tempdir()?;
    let url = format!("sqlite://{}/intake.db", folder.path().display());
    bench("SQLite", &url, folder.path().join("media")).await?;
    match postgres_support::TemporaryDatabase::create().await {
        Some(database) => bench("PostgreSQL", &database.url, folder.path().join("pg-media")).await?,
        None => println!("\nPostgreSQL: not measured, nothing answers at 127.0.0.1:5432"),
    }
    Ok(())
}
