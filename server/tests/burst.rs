//! A burst of registrations, whose password hashing is costly on purpose, leaves the rest of the server responsive.
//!
//! Its own test binary, so that no other test shares the machine while it measures.

use hientruong::{Application, Settings};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_registrations_at_once_leave_healthz_p95_under_50_ms() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let database_url = format!("sqlite://{}/burst.db", dir.path().display());
    let settings = Settings { media_dir: dir.path().join("media"), ..Settings::local(&database_url) };
    let application = Application::build(settings).await.expect("application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, address.parse().expect("an origin"));
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("HTTP client");

    let mut registrations = tokio::task::JoinSet::new();
    for n in 0..50 {
        let (client, url) = (client.clone(), format!("{address}/api/register"));
        registrations.spawn(async move {
            let body = json!({ "input": {
                "username": format!("dan.so{n}"),
                "display_name": "Người Dân",
                "password": "một mật khẩu đủ dài",
            }});
            client.post(url).json(&body).send().await.expect("sent").status().as_u16()
        });
    }
    let mut latencies = Vec::new();
    while !registrations.is_empty() {
        let started = Instant::now();
        let health = client.get(format!("{address}/healthz")).send().await.expect("sent");
        assert_eq!(health.status().as_u16(), 200);
        latencies.push(started.elapsed());
        while let Some(done) = registrations.try_join_next() {
            let status = done.expect("a registration task");
            assert!([200, 503].contains(&status), "registered, or told to retry when the queue is full: {status}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    latencies.sort();
    let p95 = latencies[latencies.len() * 95 / 100];
    println!("healthz during the burst: {} probes, p95 {p95:?}, max {:?}", latencies.len(), latencies.last());
    assert!(latencies.len() >= 10, "the burst lasted long enough to measure: {} probes", latencies.len());
    assert!(p95 < Duration::from_millis(50), "healthz p95 {p95:?} during 50 registrations");
}
