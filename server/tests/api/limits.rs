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
        rate_limits: Some(Arc::new(RateLimits::new(&rules))),
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

/// One limited request: where it goes and what it carries.
struct Probe {
    action: &'static str,
    path: &'static str,
    body: ProbeBody,
}

enum ProbeBody {
    Json(Value),
    Bytes(Vec<u8>),
}

#[tokio::test]
async fn every_limited_action_answers_429_past_its_allowance() {
    let (address, _dir) = spawn_limited("2/h").await;
    let client = crate::helpers::same_site_client(&address);
    let probes = [
        Probe {
            action: "intake",
            path: "/api/submit_case",
            body: ProbeBody::Json(json!({ "input": crate::helpers::valid_report("gioi-han") })),
        },
        Probe {
            action: "login",
            path: "/api/login",
            body: ProbeBody::Json(json!({ "username": "khong.co", "password": "sai" })),
        },
        Probe { action: "photo upload", path: "/api/v1/photos", body: ProbeBody::Bytes(b"not a photo".to_vec()) },
        Probe { action: "claim", path: "/api/my/claim", body: ProbeBody::Json(json!({ "id": 1, "code": "123456" })) },
    ];
    for probe in probes {
        // Each action has an allowance of its own, so the probes do not eat into each other's.
        let mut statuses = Vec::new();
        for _ in 0..3 {
            let request = client.post(format!("{address}{}", probe.path)).header("cookie", "lang=en");
            let request = match &probe.body {
                ProbeBody::Json(body) => request.json(body),
                ProbeBody::Bytes(bytes) => request.header("content-type", "image/jpeg").body(bytes.clone()),
            };
            let response = request.send().await.expect("sent");
            statuses.push(response.status().as_u16());
            if response.status().as_u16() == 429 {
                let retry = response.headers().get("retry-after").map(|v| v.to_str().unwrap_or_default().to_string());
                assert!(retry.is_some_and(|seconds| seconds.parse::<u64>().is_ok()), "{}: Retry-After", probe.action);
                let body: Value = response.json().await.expect("JSON");
                let text = body.to_string();
                assert!(
                    text.contains("too_many_requests") || text.contains("You have sent too many requests"),
                    "{}: {text}",
                    probe.action
                );
            }
        }
        assert!(
            statuses[..2].iter().all(|status| *status != 429),
            "{}: within the allowance: {statuses:?}",
            probe.action
        );
        assert_eq!(statuses[2], 429, "{}: past the allowance: {statuses:?}", probe.action);
    }
    // Reports phoned in count with reports filed on the web: one intake allowance per address.
    let hotline = client
        .post(format!("{address}/api/hotline/report"))
        .json(&json!({ "input": {}, "duration_seconds": 60 }))
        .send()
        .await
        .expect("sent");
    assert_eq!(hotline.status().as_u16(), 429, "the intake allowance is spent");
}

#[tokio::test]
async fn an_account_and_an_api_key_are_held_to_one_allowance_from_any_address() {
    let localhost: std::net::IpAddr = "127.0.0.1".parse().expect("an address");
    let rule = Rule::parse("2/h").expect("a rule");
    let rules = [(Limited::Intake, rule), (Limited::Open311Post, rule)];
    let app = crate::helpers::spawn_app_configured(|settings| {
        settings.rate_limits = Some(Arc::new(RateLimits::new(&rules)));
        settings.trusted_proxies = hientruong::client::TrustedProxies::new(vec![localhost]);
    })
    .await;
    let citizen = app.signed_in("dan.nhieu.may", domain::case::ActorRole::Citizen, None).await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        let response = app
            .client
            .post(format!("{}/api/submit_case", app.address))
            .header("cookie", &citizen)
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .json(&json!({ "input": crate::helpers::valid_report(&format!("nhieu-may-{n}")) }))
            .send()
            .await
            .expect("sent");
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 429], "three addresses, one account, one allowance");
    let anonymous = app
        .client
        .post(format!("{}/api/submit_case", app.address))
        .header("x-forwarded-for", "198.51.100.9")
        .json(&json!({ "input": crate::helpers::valid_report("nguoi-khac") }))
        .send()
        .await
        .expect("sent");
    assert_eq!(anonymous.status().as_u16(), 200, "someone else at a fresh address goes on");

    let admin = app.signed_in("quantri.gioihan", domain::case::ActorRole::Admin, None).await;
    let key = app.issue_api_key(&admin, "Tổng đài 1022").await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        let response = app
            .client
            .post(format!("{}/open311/v2/requests.json", app.address))
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .form(&[
                ("api_key", key.as_str()),
                ("service_code", "environment"),
                ("lat", "17.4689"),
                ("long", "106.6222"),
                ("description", "Rác thải đổ trộm ven sông Nhật Lệ"),
            ])
            .send()
            .await
            .expect("sent");
        statuses.push(response.status().as_u16());
        if n == 2 {
            assert!(response.headers().contains_key("retry-after"));
            let body: Value = response.json().await.expect("JSON");
            assert_eq!(body[0]["code"], 429, "{body}");
        }
    }
    assert_eq!(statuses, [200, 200, 429], "three addresses, one key, one allowance");
}
