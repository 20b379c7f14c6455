//! Reading an uploaded area file at survey detail: the whole check (`parse_area_file`: JSON,
//! closed rings, WGS84 ranges, the crossing sweep) against reading the same JSON alone, and the
//! sweep against checking every pair of edges.
//!
//! `cargo bench -p hientruong --bench area_import`

use domain::area_import::parse_area_file;
use std::time::Instant;

/// A district boundary of `points` positions: a wobbly ring around a centre, never crossing itself.
fn ring(points: usize, lon: f64, lat: f64) -> Vec<[f64; 2]> {
    let mut ring: Vec<[f64; 2]> = (0..points)
        .map(|i| {
            let angle = std::f64::consts::TAU * i as f64 / points as f64;
            let radius = 0.2 * (1.0 + 0.05 * (angle * 37.0).sin());
            [lon + radius * angle.cos(), lat + radius * angle.sin()]
        })
        .collect();
    ring.push(ring[0]);
    ring
}

/// A province file: `districts` features of `points` positions each.
fn province_file(districts: usize, points: usize) -> String {
    let features: Vec<serde_json::Value> = (0..districts)
        .map(|d| {
            let (lon, lat) = (105.5 + (d % 4) as f64 * 0.5, 16.5 + (d / 4) as f64 * 0.5);
            serde_json::json!({
                "type": "Feature",
                "properties": {"code": format!("district-{d}"), "name": format!("Huyện {d}")},
                "geometry": {"type": "Polygon", "coordinates": [ring(points, lon, lat)]}
            })
        })
        .collect();
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// Whether any two non-neighbouring edges of `ring` cross: every pair, the check a sweep replaces.
fn crosses_by_every_pair(ring: &[[f64; 2]]) -> bool {
    let orientation =
        |a: [f64; 2], b: [f64; 2], c: [f64; 2]| (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    let edges = ring.len() - 1;
    for i in 0..edges {
        for j in (i + 2)..edges {
            if i == 0 && j == edges - 1 {
                continue;
            }
            let (a, b, c, d) = (ring[i], ring[i + 1], ring[j], ring[j + 1]);
            let (d1, d2) = (orientation(c, d, a), orientation(c, d, b));
            let (d3, d4) = (orientation(a, b, c), orientation(a, b, d));
            if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
                return true;
            }
        }
    }
    false
}

fn median_ms(runs: usize, mut work: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    println!("| districts × points | file MB | JSON only p50 ms (baseline) | whole check p50 ms | ratio | every pair of edges p50 ms |");
    println!("|---|---|---|---|---|---|");
    for (districts, points) in [(8, 1_000), (8, 10_000), (8, 25_000)] {
        let file = province_file(districts, points);
        let json_only = median_ms(7, || {
            let value: serde_json::Value = serde_json::from_str(&file).expect("JSON");
            std::hint::black_box(value);
        });
        let whole = median_ms(7, || {
            let areas = parse_area_file(&file).unwrap_or_else(|problems| panic!("{problems:?}"));
            assert_eq!(areas.len(), districts);
            std::hint::black_box(areas);
        });
        let pairs = if points <= 10_000 {
            let rings: Vec<Vec<[f64; 2]>> = (0..districts).map(|d| ring(points, 105.5 + d as f64, 16.5)).collect();
            let ms = median_ms(3, || {
                for ring in &rings {
                    assert!(!crosses_by_every_pair(ring));
                }
            });
            format!("{ms:.1}")
        } else {
            "not run (quadratic)".to_string()
        };
        println!(
            "| {districts} × {points} | {:.1} | {json_only:.1} | {whole:.1} | {:.2} | {pairs} |",
            file.len() as f64 / 1_048_576.0,
            whole / json_only
        );
    }
}
