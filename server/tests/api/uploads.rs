//! Upload bounds over HTTP: a decoder is waited for before the body is read, and photos no report has taken are bounded per client, in all, and on disk.

use crate::helpers::{spawn_app_configured, valid_report, TestApp};
use crate::photos::encode;
use hientruong::client::TrustedProxies;
use image::{ImageFormat, Rgb, RgbImage};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A small PNG, different for each `n`.
fn picture(n: u8) -> Vec<u8> {
    encode(RgbImage::from_pixel(24, 16, Rgb([n, 100, 200])), ImageFormat::Png)
}

/// The one problem of a refused upload: its field, file and message.
async fn problem(response: reqwest::Response) -> (String, String, String) {
    let body: Value = response.json().await.expect("JSON");
    let text = |key: &str| body["errors"][0][key].as_str().unwrap_or_default().to_string();
    (text("field"), text("file"), text("message"))
}

async fn upload_from(app: &TestApp, forwarded_for: &str, n: u8) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/photos", app.address))
        .query(&[("name", format!("anh-{n}.png"))])
        .header("x-forwarded-for", forwarded_for)
        .header("content-type", "application/octet-stream")
        .body(picture(n))
        .send()
        .await
        .expect("request sent")
}

#[tokio::test]
async fn an_upload_waits_a_bounded_time_for_a_place_before_its_body_is_read_then_gets_503() {
    let app = spawn_app_configured(|settings| {
        settings.uploads.readers = 1;
        settings.uploads.decoder_wait = Duration::from_millis(300);
    })
    .await;
    // A sender that announces a photo and stalls holds the only place while its body is awaited.
    let host = app.address.trim_start_matches("http://");
    let mut stalled = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST /api/v1/photos?name=cham.jpg HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n",
        app.address
    );
    stalled.write_all(head.as_bytes()).await.expect("send the head");
    stalled.write_all(&[0xFF, 0xD8]).await.expect("send a little");
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = std::time::Instant::now();
    let busy = app.upload("anh.png", picture(1), "en").await;
    assert_eq!(busy.status().as_u16(), 503);
    assert!(started.elapsed() < Duration::from_secs(3), "the wait is bounded: {:?}", started.elapsed());
    let retry: u64 = busy.headers()["retry-after"].to_str().expect("text").parse().expect("seconds");
    assert!(retry >= 1);
    let (field, file, message) = problem(busy).await;
    assert_eq!((field.as_str(), file.as_str()), ("photos", "anh.png"));
    assert!(message.contains("anh.png") && message.contains("busy"), "{message}");

    drop(stalled);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(app.upload("anh.png", picture(1), "en").await.status().as_u16(), 201, "the place is free again");
}

#[tokio::test]
async fn photos_no_report_took_are_bounded_per_client_who_is_told_in_their_language() {
    let app = spawn_app_configured(|settings| {
        settings.uploads.unattached_per_client = 2;
        // Rate limits stay off; the client behind the trusted proxy is still told apart.
        settings.trusted_proxies = TrustedProxies::new(vec!["127.0.0.1".parse().expect("an address")]);
    })
    .await;
    let mut ids = Vec::new();
    for n in 1..=2 {
        let response = upload_from(&app, "203.0.113.5", n).await;
        assert_eq!(response.status().as_u16(), 201, "photo {n} is within the quota");
        let body: Value = response.json().await.expect("JSON");
        ids.push(body["id"].as_str().expect("id").to_string());
    }
    let refused = upload_from(&app, "203.0.113.5", 3).await;
    assert_eq!(refused.status().as_u16(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let (field, file, message) = problem(refused).await;
    assert_eq!((field.as_str(), file.as_str()), ("photos", "anh-3.png"));
    assert!(message.starts_with("anh-3.png: Ảnh"), "Vietnamese unless asked otherwise: {message}");
    assert_eq!(upload_from(&app, "203.0.113.6", 3).await.status().as_u16(), 201, "another client has its own quota");

    let mut report = valid_report("key-upload-quota");
    report["photos"] = json!(ids);
    assert_eq!(app.submit(&report).await.status().as_u16(), 200, "the report takes both photos");
    assert_eq!(upload_from(&app, "203.0.113.5", 3).await.status().as_u16(), 201, "taken photos leave the count");
}

#[tokio::test]
async fn past_the_sites_quota_of_waiting_photos_uploads_get_507() {
    let app = spawn_app_configured(|settings| settings.uploads.unattached_total = 1).await;
    assert_eq!(app.upload("mot.png", picture(1), "vi").await.status().as_u16(), 201);
    let refused = app.upload("hai.png", picture(2), "en").await;
    assert_eq!(refused.status().as_u16(), 507);
    let (field, file, message) = problem(refused).await;
    assert_eq!((field.as_str(), file.as_str()), ("photos", "hai.png"));
    assert!(message.contains("not taking more photos"), "{message}");
}

#[tokio::test]
async fn past_the_disk_budget_for_waiting_photos_uploads_get_507() {
    let app = spawn_app_configured(|settings| settings.uploads.budget_bytes = 1).await;
    assert_eq!(app.upload("mot.png", picture(1), "vi").await.status().as_u16(), 201, "nothing waits yet");
    let refused = app.upload("hai.png", picture(2), "vi").await;
    assert_eq!(refused.status().as_u16(), 507);
    let (field, _, message) = problem(refused).await;
    assert_eq!(field, "photos");
    assert!(message.contains("không nhận thêm ảnh"), "{message}");
}

#[tokio::test]
async fn one_address_uploading_many_photos_at_once_leaves_room_for_everyone_else() {
    let app = spawn_app_configured(|settings| {
        settings.uploads.readers = 2;
        settings.uploads.readers_per_client = 1;
        settings.uploads.decoder_wait = Duration::from_millis(400);
        settings.trusted_proxies = TrustedProxies::new(vec!["127.0.0.1".parse().expect("an address")]);
    })
    .await;
    // One address announces a photo and stalls: it holds its own share of places, one of two.
    let host = app.address.trim_start_matches("http://");
    let mut stalled = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST /api/v1/photos?name=cham.jpg HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nX-Forwarded-For: 203.0.113.7\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n",
        app.address
    );
    stalled.write_all(head.as_bytes()).await.expect("send the head");
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Its next upload waits for its own share and is turned away when the wait ends, although a
    // place is free; someone else's upload takes that place at once.
    let (same, other) = tokio::join!(upload_from(&app, "203.0.113.7", 1), upload_from(&app, "198.51.100.20", 2));
    assert_eq!(other.status().as_u16(), 201, "another address is not held up");
    assert_eq!(same.status().as_u16(), 503, "the same address waits within its own share");
    drop(stalled);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(upload_from(&app, "203.0.113.7", 3).await.status().as_u16(), 201, "its share comes back");
}
