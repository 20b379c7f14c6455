//! The clusters benchmark: a million synthetic cases over the province, the in-process cluster query per
//! zoom, index memory and build time, live updates, and npm supercluster as the baseline in the same run.
//!
//! Run with `cargo bench -p hientruong --bench clusters` (Node and the npm packages must be installed).

use app::case_index::IndexedCase;
use app::clusters::{Bounds, CaseFilter, ClusterIndex, ClusterItem, ClusterQuery, SIDE_LIMIT};
use app::core::case::{CaseStatus, Channel};
use std::time::{Duration, Instant};

const CASES: usize = 1_000_000;
const VIEWPORTS_PER_ZOOM: usize = 200;
const ZOOMS: std::ops::RangeInclusive<u8> = 8..=18;
const NOW: i64 = 1_795_000_000;

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
    Bounds { west: lon - half_width, east: lon + half_width, north: to_lat(y - 400.0 / world_px), south: to_lat(y + 400.0 / world_px) }
}

fn quantile(times: &mut [Duration], q: f64) -> f64 {
    times.sort();
    let at = ((q * times.len() as f64) as usize).min(times.len() - 1);
    times[at].as_secs_f64() * 1000.0
}

struct Timing {
    p50: f64,
    p95: f64,
    features: f64,
}

fn time_queries(index: &ClusterIndex, cases: &[IndexedCase], boxes: &[Bounds], zoom: u8, filter: &CaseFilter) -> Timing {
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
    Timing { p50: quantile(&mut times, 0.5), p95: quantile(&mut times, 0.95), features: features as f64 / boxes.len() as f64 }
}

fn supercluster(cases: &[IndexedCase], boxes: &[(u8, Vec<Bounds>)]) -> Option<serde_json::Value> {
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
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/supercluster.mjs");
    let output = std::process::Command::new("node")
        .args(["--expose-gc", "--max-old-space-size=8192", script])
        .arg(dir.path().join("points.bin"))
        .arg(dir.path().join("viewports.json"))
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
    println!("## Clusters benchmark: {CASES} synthetic cases, {VIEWPORTS_PER_ZOOM} viewports of 1280x800 px per zoom\n");
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

    let baseline = supercluster(&cases, &boxes);
    let everything = CaseFilter::default();
    let public = CaseFilter { public_only: true, ..Default::default() };
    let narrow = CaseFilter {
        statuses: Some(vec![CaseStatus::Assigned, CaseStatus::InProgress]),
        categories: Some(vec![3]),
        ..Default::default()
    };

    println!("\n### (a) In-process cluster query, ms (p50 / p95), features per answer in brackets\n");
    println!("| zoom | all cases | public only | status + category | supercluster getClusters | p95 ratio all / public / filtered vs supercluster |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for (zoom, list) in &boxes {
        let all = time_queries(&index, &cases, list, *zoom, &everything);
        let open = time_queries(&index, &cases, list, *zoom, &public);
        let filtered = time_queries(&index, &cases, list, *zoom, &narrow);
        let sc = baseline.as_ref().and_then(|b| b["zooms"][zoom.to_string()].as_object().cloned());
        let sc_p50 = sc.as_ref().and_then(|s| s["p50"].as_f64()).unwrap_or(f64::NAN);
        let sc_p95 = sc.as_ref().and_then(|s| s["p95"].as_f64()).unwrap_or(f64::NAN);
        let sc_features = sc.as_ref().and_then(|s| s["features"].as_f64()).unwrap_or(f64::NAN);
        println!(
            "| {zoom} | {:.3} / {:.3} [{:.0}] | {:.3} / {:.3} [{:.0}] | {:.3} / {:.3} [{:.0}] | {sc_p50:.3} / {sc_p95:.3} [{sc_features:.0}] | {:.2} / {:.2} / {:.2} |",
            all.p50, all.p95, all.features, open.p50, open.p95, open.features, filtered.p50, filtered.p95, filtered.features,
            all.p95 / sc_p95, open.p95 / sc_p95, filtered.p95 / sc_p95
        );
    }

    println!("\n### (c) Index memory and build\n");
    println!("| | this index | supercluster |");
    println!("|---|---:|---:|");
    let sc_load = baseline.as_ref().and_then(|b| b["load_ms"].as_f64()).unwrap_or(f64::NAN);
    let sc_mb = baseline.as_ref().and_then(|b| b["index_mb"].as_f64()).unwrap_or(f64::NAN);
    println!("| build from points in memory, ms (median of 3) | {build_ms:.0} | {sc_load:.0} (load) |");
    println!("| cluster index heap, MB | {index_mb:.1} | {sc_mb:.1} (JS heap growth) |");
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
    println!("| status change (bits flipped in place) | {:.4} | {:.4} |", quantile(&mut status_changes, 0.5), quantile(&mut status_changes, 0.95));
    println!("| new case (into the side list) | {:.4} | {:.4} |", quantile(&mut inserts, 0.5), quantile(&mut inserts, 0.95));
    println!("| merge of {} side cases into {} (once per {SIDE_LIMIT} new cases) | {:.0} | |", SIDE_LIMIT + 1, CASES, merge.as_secs_f64() * 1000.0);
    println!("\nafter the updates the province view counts {total} of {} cases", cases.len());
}
