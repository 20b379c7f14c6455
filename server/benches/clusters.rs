//! The clusters benchmark: a million synthetic cases against npm supercluster, in process, from a database, over HTTP.
//
// Run with `cargo bench -p hientruong --bench clusters` (Node and the npm packages must be installed);
// `-- --in-process` stops before the database and HTTP part. It measures the cluster query per zoom,
// index memory and build time, live updates, start-up from SQLite and PostgreSQL, HTTP under load
// beside /healthz, and how soon a new case shows.

use chrono::{DateTime, SecondsFormat, Utc};
use domain::case::{CaseStatus, Channel};
use hientruong::{Application, Settings};
use serde_json::{json, Value};
use services::case_index::{CaseIndex, IndexedCase};
use services::clusters::{Bounds, CaseFilter, ClusterIndex, ClusterItem, ClusterQuery, SIDE_LIMIT};
use std::time::{Duration, Instant};

// The server binary runs on mimalloc (see `src/main.rs`); the server measured here in-process
// must run on it too, or the figures are glibc's allocator's, not the shipped server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CASES: usize = 1_000_000;
const VIEWPORTS_PER_ZOOM: usize = 200;
const ZOOMS: std::ops::RangeInclusive<u8> = 8..=18;
const NOW: i64 = 1_795_000_000;
/// Every timing is taken this many times; the tables give the median and the spread.
const ROUNDS: usize = 3;
/// Supercluster's radius as it ships (about 30 px on 256 px tiles), and the radius of our cell size
/// (64 px, a quarter tile: 128 of its 512 units).
const RADII: [u32; 2] = [60, 128];

/// A small deterministic generator, so every run draws the same province.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn gaussian(&mut self) -> f64 {
        let (u, v) = (self.unit().max(1e-12), self.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    fn pick<T: Copy>(&mut self, weighted: &[(T, u64)]) -> T {
        let total: u64 = weighted.iter().map(|w| w.1).sum();
        let mut roll = self.below(total);
        for &(value, weight) in weighted {
            if roll < weight {
                return value;
            }
            roll -= weight;
        }
        weighted[0].0
    }
}

const PROVINCE: Bounds = Bounds { west: 105.6, south: 16.9, east: 107.0, north: 18.1 };

/// Five towns (centre, spread in degrees, share of all cases): 60% of cases fall in them.
const TOWNS: [((f64, f64), f64, u64); 5] = [
    ((17.4689, 106.6222), 0.030, 24),
    ((17.7547, 106.4236), 0.020, 10),
    ((17.2175, 106.7897), 0.015, 9),
    ((17.5935, 106.5264), 0.015, 9),
    ((17.8883, 106.0228), 0.015, 8),
];

fn synthetic_cases(n: usize) -> Vec<IndexedCase> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let statuses = [
        (CaseStatus::Submitted, 5),
        (CaseStatus::Rejected, 10),
        (CaseStatus::Assigned, 10),
        (CaseStatus::InProgress, 15),
        (CaseStatus::ResultReview, 5),
        (CaseStatus::Resolved, 15),
        (CaseStatus::Closed, 40),
    ];
    let channels = [(Channel::Web, 50), (Channel::App, 30), (Channel::Hotline, 15), (Channel::Api, 5)];
    (0..n)
        .map(|i| {
            let roll = rng.below(100);
            let mut share = 0;
            let town = TOWNS.iter().position(|t| {
                share += t.2;
                roll < share
            });
            let (lat, lon) = match town {
                Some(t) => {
                    let ((lat, lon), spread, _) = TOWNS[t];
                    (
                        (lat + rng.gaussian() * spread).clamp(PROVINCE.south, PROVINCE.north),
                        (lon + rng.gaussian() * spread).clamp(PROVINCE.west, PROVINCE.east),
                    )
                }
                None => (
                    PROVINCE.south + rng.unit() * (PROVINCE.north - PROVINCE.south),
                    PROVINCE.west + rng.unit() * (PROVINCE.east - PROVINCE.west),
                ),
            };
            let status = rng.pick(&statuses);
            let submitted_at = 1_672_531_200 + rng.below(120_000_000) as i64;
            let routed = !matches!(status, CaseStatus::Submitted | CaseStatus::Rejected);
            IndexedCase {
                id: i as i64 + 1,
                lat,
                lon,
                category: rng.below(14) as u16,
                area: Some(town.map_or(5 + rng.below(3) as u16, |t| t as u16)),
                agency: routed.then(|| rng.below(29) as u16),
                channel: rng.pick(&channels),
                status,
                submitted_at,
                deadline: routed.then(|| submitted_at + 86_400 * (5 + rng.below(10) as i64)),
                rejection: None,
                handled_on_time: None,
                rating: None,
                screened_at: None,
                result_submitted_at: None,
                resolved_at: None,
            }
        })
        .collect()
}

/// A 1280 x 800 px viewport at `zoom` centred on (lat, lon).
fn viewport(lat: f64, lon: f64, zoom: u8) -> Bounds {
    let world_px = 256.0 * f64::from(1u32 << zoom);
    let half_width = 640.0 / world_px * 360.0;
    let y = 0.5 - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / (2.0 * std::f64::consts::PI);
    let to_lat = |y: f64| (std::f64::consts::PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    Bounds {
        west: lon - half_width,
        east: lon + half_width,
        north: to_lat(y - 400.0 / world_px),
        south: to_lat(y + 400.0 / world_px),
    }
}

fn quantile(times: &mut [Duration], q: f64) -> f64 {
    times.sort();
    let at = ((q * times.len() as f64) as usize).min(times.len() - 1);
    times[at].as_secs_f64() * 1000.0
}

#[derive(Clone, Copy)]
struct Timing {
    p50: f64,
    p95: f64,
    features: f64,
}

/// The median of a few runs' p50 and p95, with the lowest and highest p95.
struct Summary {
    p50: f64,
    p95: f64,
    p95_low: f64,
    p95_high: f64,
    features: f64,
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn summarise(runs: &[Timing]) -> Summary {
    let mut p50: Vec<f64> = runs.iter().map(|t| t.p50).collect();
    let mut p95: Vec<f64> = runs.iter().map(|t| t.p95).collect();
    let p95_median = median(&mut p95);
    Summary {
        p50: median(&mut p50),
        p95: p95_median,
        p95_low: p95.first().copied().unwrap_or(f64::NAN),
        p95_high: p95.last().copied().unwrap_or(f64::NAN),
        features: runs.first().map_or(f64::NAN, |t| t.features),
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3} / {:.3} ({:.3}–{:.3}) [{:.0}]", self.p50, self.p95, self.p95_low, self.p95_high, self.features)
    }
}

fn time_queries(
    index: &ClusterIndex,
    cases: &[IndexedCase],
    boxes: &[Bounds],
    zoom: u8,
    filter: &CaseFilter,
) -> Timing {
    let query = |viewport: Bounds| ClusterQuery { viewport, zoom, filter: filter.clone(), now: NOW };
    for b in boxes {
        std::hint::black_box(index.query(cases, &query(*b)));
    }
    let mut times = Vec::with_capacity(boxes.len());
    let mut features = 0;
    for b in boxes {
        let q = query(*b);
        let started = Instant::now();
        let items = index.query(cases, &q);
        times.push(started.elapsed());
        features += items.len();
        std::hint::black_box(items);
    }
    Timing {
        p50: quantile(&mut times, 0.5),
        p95: quantile(&mut times, 0.95),
        features: features as f64 / boxes.len() as f64,
    }
}

/// The points and viewports written once for the supercluster script.
fn baseline_inputs(cases: &[IndexedCase], boxes: &[(u8, Vec<Bounds>)]) -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().ok()?;
    let points: Vec<u8> = cases.iter().flat_map(|c| [c.lon, c.lat]).flat_map(f64::to_le_bytes).collect();
    std::fs::write(dir.path().join("points.bin"), points).ok()?;
    let viewports: Vec<serde_json::Value> = boxes
        .iter()
        .map(|(zoom, list)| {
            serde_json::json!({"zoom": zoom, "boxes": list.iter().map(|b| [b.west, b.south, b.east, b.north]).collect::<Vec<_>>()})
        })
        .collect();
    std::fs::write(dir.path().join("viewports.json"), serde_json::to_vec(&viewports).ok()?).ok()?;
    Some(dir)
}

/// Supercluster at `radius` over the points and viewports in `inputs`: one timed pass over every zoom.
fn supercluster(inputs: &std::path::Path, radius: u32) -> Option<serde_json::Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/supercluster.mjs");
    let output = std::process::Command::new("node")
        .args(["--expose-gc", "--max-old-space-size=8192", script])
        .arg(inputs.join("points.bin"))
        .arg(inputs.join("viewports.json"))
        .arg(radius.to_string())
        .arg("1")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!("supercluster failed: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    serde_json::from_slice(&output.stdout).ok()
}

fn main() {
    println!(
        "## Clusters benchmark: {CASES} synthetic cases, {VIEWPORTS_PER_ZOOM} viewports of 1280x800 px per zoom\n"
    );
    let started = Instant::now();
    let cases = synthetic_cases(CASES);
    println!("generated the cases in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);

    let mut builds: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(ClusterIndex::build(&cases));
            started.elapsed()
        })
        .collect();
    let build_ms = quantile(&mut builds, 0.5);
    let index = ClusterIndex::build(&cases);
    let index_mb = index.heap_bytes() as f64 / 1_048_576.0;
    let cases_mb = (cases.capacity() * std::mem::size_of::<IndexedCase>()) as f64 / 1_048_576.0;

    let mut rng = Rng(42);
    let boxes: Vec<(u8, Vec<Bounds>)> = ZOOMS
        .map(|zoom| {
            let list = (0..VIEWPORTS_PER_ZOOM)
                .map(|_| {
                    let c = &cases[rng.below(CASES as u64) as usize];
                    viewport(c.lat, c.lon, zoom)
                })
                .collect();
            (zoom, list)
        })
        .collect();

    let inputs = baseline_inputs(&cases, &boxes);
    // Per radius, one answer of the script per round.
    let mut baselines: Vec<Vec<Value>> = RADII.iter().map(|_| Vec::new()).collect();
    let everything = CaseFilter::default();
    let public = CaseFilter { public_only: true, ..Default::default() };
    let narrow = CaseFilter {
        statuses: Some(vec![CaseStatus::Assigned, CaseStatus::InProgress]),
        categories: Some(vec![3]),
        ..Default::default()
    };

    // All zooms and filters once per round, each round right after supercluster's, so that a noisy
    // moment spreads over the rounds instead of one row and weighs on both sides of a ratio.
    let filters = [&everything, &public, &narrow];
    let mut ours: Vec<[Vec<Timing>; 3]> = boxes.iter().map(|_| Default::default()).collect();
    for _ in 0..ROUNDS {
        for (&radius, answers) in RADII.iter().zip(&mut baselines) {
            if let Some(answer) = inputs.as_ref().and_then(|dir| supercluster(dir.path(), radius)) {
                answers.push(answer);
            }
        }
        for ((zoom, list), runs) in boxes.iter().zip(&mut ours) {
            for (filter, runs) in filters.iter().zip(runs.iter_mut()) {
                runs.push(time_queries(&index, &cases, list, *zoom, filter));
            }
        }
    }
    println!(
        "\n### (a) In-process cluster query, ms: median p50 / median p95 (lowest–highest p95) of {ROUNDS} runs, features per answer in brackets\n"
    );
    println!(
        "| zoom | all cases | public only | status + category | supercluster radius 60 | supercluster radius 128 | p95 ratio all / public / filtered vs radius 60 | vs radius 128 |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for ((zoom, _), runs) in boxes.iter().zip(&ours) {
        let [all, open, filtered] = runs.each_ref().map(|r| summarise(r));
        let sc: Vec<Option<Summary>> = baselines
            .iter()
            .map(|answers| {
                let runs: Vec<Timing> = answers
                    .iter()
                    .filter_map(|answer| answer["zooms"][zoom.to_string()].as_array())
                    .flatten()
                    .map(|r| Timing {
                        p50: r["p50"].as_f64().unwrap_or(f64::NAN),
                        p95: r["p95"].as_f64().unwrap_or(f64::NAN),
                        features: r["features"].as_f64().unwrap_or(f64::NAN),
                    })
                    .collect();
                (!runs.is_empty()).then(|| summarise(&runs))
            })
            .collect();
        let shown = |s: &Option<Summary>| s.as_ref().map_or("failed".to_string(), |s| s.to_string());
        let ratios = |s: &Option<Summary>| {
            let base = s.as_ref().map_or(f64::NAN, |s| s.p95);
            format!("{:.2} / {:.2} / {:.2}", all.p95 / base, open.p95 / base, filtered.p95 / base)
        };
        println!(
            "| {zoom} | {all} | {open} | {filtered} | {} | {} | {} | {} |",
            shown(&sc[0]),
            shown(&sc[1]),
            ratios(&sc[0]),
            ratios(&sc[1])
        );
    }

    println!("\n### (c) Index memory and build\n");
    println!("| | this index | supercluster |");
    println!("|---|---:|---:|");
    let mut loads: Vec<f64> = baselines[0].iter().filter_map(|b| b["load_ms"].as_f64()).collect();
    let sc_load = median(&mut loads);
    let mut heaps: Vec<f64> = baselines[0].iter().filter_map(|b| b["index_mb"].as_f64()).collect();
    let sc_mb = median(&mut heaps);
    println!("| build from points in memory, ms (median of 3) | {build_ms:.0} | {sc_load:.0} (load, radius 60) |");
    println!("| cluster index heap, MB | {index_mb:.1} | {sc_mb:.1} (JS heap and typed arrays grown) |");
    println!("| the case records it reads (IndexedCase x {CASES}), MB | {cases_mb:.1} | |");

    println!("\n### Live updates\n");
    let mut live = index.clone();
    let mut cases = cases;
    let mut status_changes = Vec::new();
    for i in 0..10_000 {
        let slot = rng.below(CASES as u64) as usize;
        cases[slot].status = if i % 2 == 0 { CaseStatus::Resolved } else { CaseStatus::Closed };
        let started = Instant::now();
        live.upsert(&cases, slot);
        status_changes.push(started.elapsed());
    }
    let mut inserts = Vec::new();
    let mut merge = Duration::ZERO;
    for i in 0..=SIDE_LIMIT {
        let mut case = cases[i * 7];
        case.id = (CASES + i + 1) as i64;
        case.lat += 0.0001;
        cases.push(case);
        let started = Instant::now();
        live.upsert(&cases, cases.len() - 1);
        let took = started.elapsed();
        if live.side_len() == 0 {
            merge = took;
        } else {
            inserts.push(took);
        }
    }
    let province_view = ClusterQuery { viewport: PROVINCE, zoom: 8, filter: CaseFilter::default(), now: NOW };
    let total: u64 = live
        .query(&cases, &province_view)
        .iter()
        .map(|item| if let ClusterItem::Cluster { count, .. } = item { *count } else { 1 })
        .sum();
    println!("| operation | p50 ms | p95 ms |");
    println!("|---|---:|---:|");
    println!(
        "| status change (bits flipped in place, running totals after it updated) | {:.4} | {:.4} |",
        quantile(&mut status_changes, 0.5),
        quantile(&mut status_changes, 0.95)
    );
    println!(
        "| new case (into the side list) | {:.4} | {:.4} |",
        quantile(&mut inserts, 0.5),
        quantile(&mut inserts, 0.95)
    );
    println!(
        "| merge of {} side cases into {} (once per {SIDE_LIMIT} new cases) | {:.0} | |",
        SIDE_LIMIT + 1,
        CASES,
        merge.as_secs_f64() * 1000.0
    );
    println!("\nafter the updates the province view counts {total} of {} cases", cases.len());

    if std::env::args().any(|a| a == "--in-process") {
        return;
    }
    let cases = &cases[..CASES];
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("no async runtime: {error}");
            return;
        }
    };
    if let Err(error) = runtime.block_on(through_the_server(cases, &boxes)) {
        eprintln!("the server part failed: {error:#}");
    }
}

/// The catalogue codes the synthetic cases' numbers stand for.
struct Codes {
    categories: Vec<String>,
    agencies: Vec<String>,
    areas: Vec<String>,
}

impl Codes {
    async fn of(store: &dyn services::store::Store) -> anyhow::Result<Self> {
        Ok(Codes {
            categories: store.categories().await?.into_iter().map(|c| c.code).collect(),
            agencies: store.agencies().await?.into_iter().map(|a| a.code).collect(),
            areas: store.areas().await?.into_iter().map(|a| a.code).collect(),
        })
    }

    fn category(&self, case: &IndexedCase) -> String {
        self.categories[usize::from(case.category) % self.categories.len()].clone()
    }

    fn agency(&self, case: &IndexedCase) -> Option<String> {
        case.agency.map(|a| self.agencies[usize::from(a) % self.agencies.len()].clone())
    }

    /// Only the first town lies in a served area the catalogue knows.
    fn area(&self, case: &IndexedCase) -> Option<String> {
        (case.area == Some(0)).then(|| self.areas.first().cloned()).flatten()
    }
}

fn time(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// Writes the cases straight into a fresh SQLite database, as years of reports would have left them.
async fn fill_sqlite(url: &str, cases: &[IndexedCase]) -> anyhow::Result<()> {
    let store = hientruong::storage::connect(url).await?;
    store.seed_catalogue(&hientruong::seed::catalogue()?).await?;
    let codes = Codes::of(store.as_ref()).await?;
    let pool = sqlx::SqlitePool::connect(url).await?;
    let mut tx = pool.begin().await?;
    let text = |at: i64| time(at).to_rfc3339_opts(SecondsFormat::Micros, true);
    for chunk in cases.chunks(2000) {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO cases (submission_key, category_code, title, description, lat, lon, area_code, channel, \
             submitted_at, status, version, lead_agency, deadline, changed_at) ",
        );
        insert.push_values(chunk, |mut row, case| {
            row.push_bind(format!("bench-{}", case.id))
                .push_bind(codes.category(case))
                .push_bind(format!("Phản ánh mẫu {}", case.id))
                .push_bind("Phản ánh tổng hợp cho phép đo hiệu năng.")
                .push_bind(case.lat)
                .push_bind(case.lon)
                .push_bind(codes.area(case))
                .push_bind(case.channel.as_str())
                .push_bind(text(case.submitted_at))
                .push_bind(case.status.as_str())
                .push_bind(1i64)
                .push_bind(codes.agency(case))
                .push_bind(case.deadline.map(text))
                .push_bind(text(case.submitted_at));
        });
        insert.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    pool.close().await;
    Ok(())
}

/// The same into a fresh PostgreSQL database, a column array per statement.
async fn fill_postgres(url: &str, cases: &[IndexedCase]) -> anyhow::Result<()> {
    let store = hientruong::storage::connect(url).await?;
    store.seed_catalogue(&hientruong::seed::catalogue()?).await?;
    let codes = Codes::of(store.as_ref()).await?;
    let pool = sqlx::PgPool::connect(url).await?;
    for chunk in cases.chunks(20_000) {
        sqlx::query(
            "INSERT INTO cases (submission_key, category_code, title, description, lat, lon, area_code, channel, \
             submitted_at, status, version, lead_agency, deadline, changed_at) \
             SELECT 'bench-' || i, c, 'Phản ánh mẫu ' || i, 'Phản ánh tổng hợp cho phép đo hiệu năng.', la, lo, a, ch, s, st, 1, ag, d, s \
             FROM UNNEST($1::bigint[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::timestamptz[], \
                         $8::text[], $9::text[], $10::timestamptz[]) AS u(i, c, la, lo, a, ch, s, st, ag, d)",
        )
        .bind(chunk.iter().map(|c| c.id).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| codes.category(c)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| c.lat).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| c.lon).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| codes.area(c)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| c.channel.as_str().to_string()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| time(c.submitted_at)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| c.status.as_str().to_string()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| codes.agency(c)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|c| c.deadline.map(time)).collect::<Vec<_>>())
        .execute(&pool)
        .await?;
    }
    sqlx::query("ANALYZE cases").execute(&pool).await?;
    pool.close().await;
    Ok(())
}

/// Start-up from a database of the cases: the case index's read and build alone, and the whole application build.
async fn start_up(url: &str) -> anyhow::Result<(f64, f64, Application)> {
    let store = hientruong::storage::connect(url).await?;
    let started = Instant::now();
    let index = CaseIndex::load(store.as_ref()).await?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(index.len() == CASES, "the index holds {} cases", index.len());
    drop(index);
    drop(store);
    let started = Instant::now();
    let application = Application::build(Settings::local(url)).await?;
    Ok((load_ms, started.elapsed().as_secs_f64() * 1000.0, application))
}

/// Requests `paths` from `clients` concurrent clients, each going through all of them; answers p50 and p95 in ms.
/// With `encodings`, the clients accept compressed answers, as browsers do (the bodies are read, not decoded).
async fn load(
    client: &reqwest::Client,
    base: &str,
    paths: &[String],
    clients: usize,
    encodings: Option<&'static str>,
) -> anyhow::Result<(f64, f64)> {
    let mut tasks = Vec::new();
    for worker in 0..clients {
        let client = client.clone();
        let urls: Vec<String> =
            paths.iter().cycle().skip(worker * 7).take(paths.len()).map(|p| format!("{base}{p}")).collect();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(urls.len());
            for url in urls {
                let started = Instant::now();
                let mut request = client.get(&url);
                if let Some(encodings) = encodings {
                    request = request.header(reqwest::header::ACCEPT_ENCODING, encodings);
                }
                let response = request.send().await?;
                anyhow::ensure!(response.status().is_success(), "{url}: {}", response.status());
                response.bytes().await?;
                times.push(started.elapsed());
            }
            Ok::<_, anyhow::Error>(times)
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await??);
    }
    Ok((quantile(&mut times, 0.5), quantile(&mut times, 0.95)))
}

async fn through_the_server(cases: &[IndexedCase], boxes: &[(u8, Vec<Bounds>)]) -> anyhow::Result<()> {
    println!("\n### (c) Start-up from a database of {CASES} cases\n");
    println!("| backend | write the cases (setup) | case index: read + cluster build | whole application start-up |");
    println!("|---|---:|---:|---:|");
    let dir = tempfile::tempdir()?;
    let sqlite_url = format!("sqlite://{}/bench.db", dir.path().display());
    let started = Instant::now();
    fill_sqlite(&sqlite_url, cases).await?;
    let fill_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (load_ms, startup_ms, application) = start_up(&sqlite_url).await?;
    println!("| SQLite | {fill_ms:.0} ms | {load_ms:.0} ms | {startup_ms:.0} ms |");

    let admin = std::env::var("HIENTRUONG_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    match sqlx::PgPool::connect(&admin).await {
        Ok(pool) => {
            let name = format!("hientruong_bench_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await?;
            let base = admin.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin).to_string();
            let url = format!("{base}/{name}");
            let started = Instant::now();
            let outcome = async {
                fill_postgres(&url, cases).await?;
                let fill_ms = started.elapsed().as_secs_f64() * 1000.0;
                let (load_ms, startup_ms, pg_application) = start_up(&url).await?;
                drop(pg_application);
                Ok::<_, anyhow::Error>((fill_ms, load_ms, startup_ms))
            }
            .await;
            match outcome {
                Ok((fill_ms, load_ms, startup_ms)) => {
                    println!("| PostgreSQL | {fill_ms:.0} ms | {load_ms:.0} ms | {startup_ms:.0} ms |")
                }
                Err(error) => println!("| PostgreSQL | failed: {error:#} | | |"),
            }
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&pool).await?;
        }
        Err(error) => println!("| PostgreSQL | not reachable at {admin}: {error} | | |"),
    }

    let base = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    // As a browser on the site does: the server refuses state-changing requests from other origins,
    // and signing in and filing reports below are such requests.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, base.parse()?);
    let client = reqwest::Client::builder().pool_max_idle_per_host(16).default_headers(headers).build()?;
    let clusters: Vec<String> = boxes
        .iter()
        .flat_map(|(zoom, list)| {
            list.iter().take(40).map(move |b| format!("/api/v1/clusters?bbox={}&zoom={zoom}", b.to_param()))
        })
        .collect();
    let health = vec!["/healthz".to_string(); clusters.len()];
    load(&client, &base, &clusters[..50], 1, None).await?;
    println!(
        "\n### (b) Over HTTP: `GET /api/v1/clusters` (public caller, zooms 8 to 18 mixed) beside `GET /healthz`, ms\n"
    );
    println!(
        "Medians of {ROUNDS} runs, lowest–highest in brackets; each run times the clusters requests, then /healthz.\n"
    );
    println!("| concurrent clients | clusters p50 | clusters p95 | /healthz p50 | /healthz p95 | clusters p95 / healthz p95 |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for (clients, encodings) in [(1, None), (8, None), (8, Some("gzip, deflate, br"))] {
        let mut runs: [Vec<f64>; 5] = Default::default();
        for _ in 0..ROUNDS {
            let (c50, c95) = load(&client, &base, &clusters, clients, encodings).await?;
            let (h50, h95) = load(&client, &base, &health, clients, encodings).await?;
            for (list, value) in runs.iter_mut().zip([c50, c95, h50, h95, c95 / h95]) {
                list.push(value);
            }
        }
        let cells: Vec<String> = runs
            .iter_mut()
            .map(|values| {
                let middle = median(values);
                format!("{middle:.2} ({:.2}–{:.2})", values[0], values[values.len() - 1])
            })
            .collect();
        let accepting = if encodings.is_some() { ", accepting br and gzip" } else { "" };
        println!("| {clients}{accepting} | {} |", cells.join(" | "));
    }

    println!("\n### (d) From a case's creation to its first appearance in a query\n");
    let store = hientruong::storage::connect(&sqlite_url).await?;
    let account = domain::account::NewAccount {
        username: domain::account::Username::parse("dieuphoi.bench").map_err(|e| anyhow::anyhow!("{e:?}"))?,
        display_name: domain::contact::PersonName::parse("Điều phối đo hiệu năng")
            .map_err(|e| anyhow::anyhow!("{e:?}"))?,
        role: domain::case::ActorRole::Coordinator,
        agency: None,
        password_hash: app::auth::hash_password("bench-password-long-enough").map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    store.create_account(&account, Utc::now()).await?;
    let login = client
        .post(format!("{base}/api/login"))
        .json(&json!({"username": "dieuphoi.bench", "password": "bench-password-long-enough"}))
        .send()
        .await?;
    let status = login.status();
    let cookie = login
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(app::auth::SESSION_COOKIE))
        .and_then(|v| v.split(';').next())
        .map(str::to_string);
    let Some(cookie) = cookie else {
        let body = login.text().await.unwrap_or_default();
        anyhow::bail!("signing in answered {status} without a session cookie: {body}");
    };
    let mut waits = Vec::new();
    for i in 0..20 {
        let (lat, lon) = (17.45 + f64::from(i) * 0.002, 106.60 + f64::from(i) * 0.001);
        let report = json!({"input": {
            "submission_key": format!("bench-live-{i}"),
            "category": "environment",
            "title": "Rác thải đổ trộm ven sông",
            "description": "Một đống rác lớn bị đổ trộm bên bờ sông, bốc mùi hôi.",
            "lat": lat,
            "lon": lon,
        }});
        let response = client.post(format!("{base}/api/submit_case")).json(&report).send().await?;
        let id = response.json::<Value>().await?["id"].as_i64().ok_or_else(|| anyhow::anyhow!("no case id"))?;
        let created = Instant::now();
        let bbox = format!("{},{},{},{}", lon - 0.0005, lat - 0.0005, lon + 0.0005, lat + 0.0005);
        loop {
            let body: Value = client
                .get(format!("{base}/api/v1/clusters?bbox={bbox}&zoom=18&status=submitted"))
                .header(reqwest::header::COOKIE, &cookie)
                .send()
                .await?
                .json()
                .await?;
            let seen = body["features"].as_array().is_some_and(|f| f.iter().any(|f| f["properties"]["id"] == id));
            if seen {
                waits.push(created.elapsed());
                break;
            }
            anyhow::ensure!(created.elapsed() < Duration::from_secs(10), "case {id} never appeared");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let max = waits.iter().max().copied().unwrap_or_default().as_secs_f64() * 1000.0;
    println!("| cases | p50 ms | p95 ms | max ms |");
    println!("|---:|---:|---:|---:|");
    println!("| {} | {:.0} | {:.0} | {max:.0} |", waits.len(), quantile(&mut waits, 0.5), quantile(&mut waits, 0.95));
    Ok(())
}
