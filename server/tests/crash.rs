//! Durability across a crash: the server process is killed with SIGKILL while 16 clients file
//! reports, three times; after each restart every acknowledged report is stored whole and the
//! SQLite file passes its integrity check.

use serde_json::{json, Value};

#[path = "support/reports.rs"]
mod reports;
use sqlx::{Connection, Row};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;
const CRASHES: usize = 3;

/// What the server acknowledged: the case number and how many photos the report carried, by key.
type Acknowledged = Arc<Mutex<BTreeMap<String, (i64, usize)>>>;

struct Server {
    child: Child,
    address: String,
}

// A failing test must not leave its server running.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// Starts the built server on `database_url` and waits until it answers.
async fn start(database_url: &str, media: &std::path::Path) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_hientruong"))
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("HIENTRUONG_MEDIA_DIR", media)
        .env("HIENTRUONG_RATE_LIMITS", "off")
        .env("HIENTRUONG_DEMO", "off")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    // Held from here on, so that its drop kills and waits for the process however this ends.
    let server = Server { child, address: format!("http://127.0.0.1:{port}") };
    let client = reqwest::Client::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if client.get(format!("{}/healthz", server.address)).send().await.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not answer within a minute");
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("HTTP client")
}

/// Uploads two small pictures and answers their photo ids.
async fn upload_photos(address: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for shade in [40u8, 200] {
        let picture = image::RgbImage::from_pixel(64, 48, image::Rgb([shade, 90, 160]));
        let mut png = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(picture).write_to(&mut png, image::ImageFormat::Png).expect("encode");
        let response = client()
            .post(format!("{address}/api/v1/photos"))
            .query(&[("name", "crash.png")])
            .header("origin", address)
            .header("content-type", "application/octet-stream")
            .body(png.into_inner())
            .send()
            .await
            .expect("upload sent");
        assert_eq!(response.status().as_u16(), 201, "the photo is stored");
        let answer: Value = response.json().await.expect("json");
        ids.push(answer["id"].as_str().expect("photo id").to_string());
    }
    ids
}

fn report(key: &str, photos: &[String]) -> Value {
    let mut report = reports::valid_report(key);
    report["photos"] = json!(photos);
    json!({ "input": report })
}

/// Files reports from one client until the server stops answering, noting each acknowledgement.
async fn file_until_refused(address: String, tag: String, photos: Vec<String>, acknowledged: Acknowledged) {
    let client = client();
    for n in 0.. {
        let key = format!("{tag}-n{n}");
        // Every third report carries both photos, so photos are checked too.
        let carried = if n % 3 == 0 { photos.clone() } else { Vec::new() };
        let sent = client
            .post(format!("{address}/api/submit_case"))
            .header("origin", &address)
            .json(&report(&key, &carried))
            .send()
            .await;
        let Ok(response) = sent else { return };
        if !response.status().is_success() {
            return;
        }
        let Ok(body) = response.json::<Value>().await else { return };
        let id = body["id"].as_i64().expect("an acknowledged report has its case number");
        acknowledged.lock().expect("not poisoned").insert(key, (id, carried.len()));
    }
}

/// Every acknowledged report is there whole, and SQLite finds its file sound.
async fn check_stored_whole(database_url: &str, acknowledged: &Acknowledged) {
    let mut db = sqlx::SqliteConnection::connect(database_url).await.expect("open the database");
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut db).await.expect("check");
    assert_eq!(integrity, "ok");
    let expected = acknowledged.lock().expect("not poisoned").clone();
    for (key, (id, photos)) in &expected {
        let row = sqlx::query(
            "SELECT c.id,
                    (SELECT COUNT(*) FROM case_contacts WHERE case_id = c.id) AS contacts,
                    (SELECT COUNT(*) FROM case_events WHERE case_id = c.id AND seq = 1) AS first_events,
                    (SELECT COUNT(*) FROM case_photos WHERE case_id = c.id) AS photos
             FROM cases c WHERE c.submission_key = $1",
        )
        .bind(key)
        .fetch_optional(&mut db)
        .await
        .expect("read the case");
        let row = row.unwrap_or_else(|| panic!("acknowledged report {key} (case {id}) is missing"));
        assert_eq!(row.get::<i64, _>("id"), *id, "{key}");
        assert_eq!(row.get::<i64, _>("contacts"), 1, "{key}: its contact");
        assert_eq!(row.get::<i64, _>("first_events"), 1, "{key}: its first event");
        assert_eq!(row.get::<i64, _>("photos"), *photos as i64, "{key}: its photos");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_report_survives_a_sigkill() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let database_url = format!("sqlite://{}/crash.db", folder.path().display());
    let media = folder.path().join("media");
    let acknowledged: Acknowledged = Arc::default();
    let mut server = start(&database_url, &media).await;
    let photos = upload_photos(&server.address).await;
    for crash in 0..CRASHES {
        let before = acknowledged.lock().expect("not poisoned").len();
        let clients: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let tag = format!("crash{crash}-c{client}");
                tokio::spawn(file_until_refused(server.address.clone(), tag, photos.clone(), acknowledged.clone()))
            })
            .collect();
        // Long enough for a few hundred reports, at a moment that differs from one crash to the next.
        tokio::time::sleep(Duration::from_millis(700 + 300 * crash as u64)).await;
        server.child.kill().expect("SIGKILL the server");
        server.child.wait().expect("the server is gone");
        for client in clients {
            client.await.expect("the client stops when the server does");
        }
        let after = acknowledged.lock().expect("not poisoned").len();
        assert!(after > before, "crash {crash}: reports were acknowledged before the kill");
        eprintln!("crash {crash}: {} reports acknowledged before the kill", after - before);
        server = start(&database_url, &media).await;
        check_stored_whole(&database_url, &acknowledged).await;
    }
    drop(server);
}
