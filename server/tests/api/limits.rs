//! Rate limits over HTTP: past its allowance a client gets 429 with Retry-After and a message in its language, in the shape its route speaks.

use hientruong::limits::{Limited, RateLimits, Rule};
use hientruong::{Application, Settings};
use serde_json::{json, Value};
use std::sync::Arc;

/// A server whose every limited action allows `allowance` requests an hour per client.
async fn spawn_limited(allowance: &str) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let database_url = format!("sqlite://{}/limits.db", dir.path().display());
    let rule = Rule::parse(allowance).expect("a rule");
    let rules: Vec<(Limited, Rule)> = Limited::ALL.iter().map(|action| (*action, rule)).collect();
    let settings = Settings {
        rate_limits: Some(Arc::new(RateLimits::new(&rules, Vec::new()))),
        media_dir: dir.path().join("media"),
        ..Settings::local(&database_url)
    };
    let application = Application::build(settings).await.expect("application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    (address, dir)
}

fn registration(username: &str) -> Value {
    json!({ "input": { "username": username, "display_name": "Người Dân", "password": "một mật khẩu đủ dài" } })
}

#[tokio::test]
async fn past_the_limit_each_surface_answers_429_with_retry_after_in_the_callers_language() {
    let (address, _dir) = spawn_limited("2/h").await;
    // The site's own pages send their origin; cross-site posts are refused before any limit counts.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, address.parse().expect("an origin"));
    let client = reqwest::Client::builder().default_headers(headers).build().expect("HTTP client");
    for n in 0..2 {
        let response =
            client.post(format!("{address}/api/register")).json(&registration(&format!("dan.so{n}"))).send().await;
        assert_eq!(response.expect("sent").status().as_u16(), 200, "registration {n} is within the limit");
    }
    let refused = client
        .post(format!("{address}/api/register"))
        .header("cookie", "lang=en")
        .json(&registration("dan.so2"))
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status().as_u16(), 429);
    let retry: u64 = refused.headers()["retry-after"].to_str().expect("text").parse().expect("seconds");
    assert!((1_000..=1_800).contains(&retry), "half an hour's allowance returns in about that: {retry}");
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(body["error"], "too_many_requests", "the server function's own error, which the form shows: {body}");
    assert_eq!(body["details"]["retry_after_seconds"], retry);

    for _ in 0..2 {
        client.get(format!("{address}/api/v1/cases.csv")).send().await.expect("sent");
    }
    let export =
        client.get(format!("{address}/api/v1/cases.csv")).header("accept-language", "vi").send().await.expect("sent");
    assert_eq!(export.status().as_u16(), 429);
    assert!(export.headers().contains_key("retry-after"));
    let body: Value = export.json().await.expect("JSON");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("Bạn đã gửi quá nhiều yêu cầu"), "{message}");

    for _ in 0..2 {
        client
            .post(format!("{address}/open311/v2/requests.json"))
            .form(&[("api_key", "x")])
            .send()
            .await
            .expect("sent");
    }
    let open311 = client
        .post(format!("{address}/open311/v2/requests.json"))
        .form(&[("api_key", "x")])
        .send()
        .await
        .expect("sent");
    assert_eq!(open311.status().as_u16(), 429);
    let body: Value = open311.json().await.expect("JSON");
    assert_eq!(body[0]["code"], 429, "Open311's own error list: {body}");
    assert!(body[0]["description"].as_str().unwrap_or_default().starts_with("You have sent too many requests"));

    // Pages and reads that are not limited go on.
    let page = client.get(format!("{address}/healthz")).send().await.expect("sent");
    assert_eq!(page.status().as_u16(), 200);
}
