//! Push notices: who may subscribe and what is refused, and the encrypted, signed messages a push service of the test's own receives when a case moves, each once.

use crate::helpers::{spawn_app_configured, valid_report, TestApp};
use aes_gcm::aead::Aead;
use aes_gcm::{Aes128Gcm, KeyInit, Nonce};
use app::cases::ChangeRequest;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use domain::case::ActorRole;
use hkdf::Hkdf;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use rand_core::{OsRng, RngCore};
use serde_json::{json, Value};
use services::store::{PushOwner, Store};
use sha2::Sha256;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request the test's push service received.
#[derive(Debug, Clone)]
struct Received {
    /// The last segment of the endpoint it was sent to.
    path: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

type Inbox = Arc<Mutex<Vec<Received>>>;

/// A push service on a free loopback port: it keeps every message, and answers 410 for the
/// endpoints whose last segment starts with `gone`, 201 for the others. Answers its base address.
async fn push_service() -> (String, Inbox) {
    async fn take(
        State(inbox): State<Inbox>,
        Path(path): Path<String>,
        headers: HeaderMap,
        body: axum::body::Bytes,
    ) -> StatusCode {
        let gone = path.starts_with("gone");
        if let Ok(mut inbox) = inbox.lock() {
            inbox.push(Received { path, headers, body: body.to_vec() });
        }
        if gone {
            StatusCode::GONE
        } else {
            StatusCode::CREATED
        }
    }
    let inbox: Inbox = Arc::default();
    let router = axum::Router::new().route("/push/{path}", axum::routing::post(take)).with_state(inbox.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = format!("http://127.0.0.1:{}", listener.local_addr().expect("address").port());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (address, inbox)
}

/// What the messages sent to `path` are, once `count` of them arrived (or ten seconds passed).
async fn received(inbox: &Inbox, path: &str, count: usize) -> Vec<Received> {
    let mine = || inbox.lock().map(|all| all.iter().filter(|r| r.path == path).cloned().collect::<Vec<_>>());
    for _ in 0..100 {
        if mine().map(|found| found.len() >= count).unwrap_or(false) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    mine().unwrap_or_default()
}

/// A browser's side of a subscription: its key pair and authentication secret.
struct Browser {
    secret: SecretKey,
    auth: [u8; 16],
}

impl Browser {
    fn new() -> Self {
        let mut auth = [0u8; 16];
        OsRng.fill_bytes(&mut auth);
        Self { secret: SecretKey::random(&mut OsRng), auth }
    }

    fn public(&self) -> Vec<u8> {
        self.secret.public_key().to_encoded_point(false).as_bytes().to_vec()
    }

    /// The subscription JSON a browser posts for `endpoint`.
    fn subscription(&self, endpoint: &str) -> Value {
        json!({
            "endpoint": endpoint,
            "expirationTime": null,
            "keys": { "p256dh": URL_SAFE_NO_PAD.encode(self.public()), "auth": URL_SAFE_NO_PAD.encode(self.auth) }
        })
    }

    /// Opens an aes128gcm body (RFC 8188) encrypted for this browser (RFC 8291), as a browser would.
    fn open(&self, body: &[u8]) -> Vec<u8> {
        assert!(body.len() > 21, "a header at least");
        let salt = &body[..16];
        let record_size = u32::from_be_bytes(body[16..20].try_into().expect("four bytes"));
        let key_length = usize::from(body[20]);
        assert_eq!(key_length, 65, "the sender's key is the key id");
        let sender = &body[21..21 + key_length];
        let sealed = &body[21 + key_length..];
        assert!(sealed.len() <= record_size as usize, "one record");

        let sender_key = PublicKey::from_sec1_bytes(sender).expect("the sender's key is a P-256 point");
        let shared = p256::ecdh::diffie_hellman(self.secret.to_nonzero_scalar(), sender_key.as_affine());
        let mut info = b"WebPush: info\0".to_vec();
        info.extend_from_slice(&self.public());
        info.extend_from_slice(sender);
        let mut ikm = [0u8; 32];
        Hkdf::<Sha256>::new(Some(&self.auth), shared.raw_secret_bytes()).expand(&info, &mut ikm).expect("hkdf");
        let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
        let (mut key, mut nonce) = ([0u8; 16], [0u8; 12]);
        prk.expand(b"Content-Encoding: aes128gcm\0", &mut key).expect("hkdf");
        prk.expand(b"Content-Encoding: nonce\0", &mut nonce).expect("hkdf");
        let mut plain = Aes128Gcm::new_from_slice(&key)
            .expect("key")
            .decrypt(Nonce::from_slice(&nonce), sealed)
            .expect("the tag holds: the message is for this browser");
        while plain.last() == Some(&0) {
            plain.pop();
        }
        assert_eq!(plain.pop(), Some(2), "the last record's delimiter");
        plain
    }
}

/// Checks a message's headers as a push service would, its VAPID token against the key it names
/// and the service's origin `audience`, and answers its payload, decrypted by `browser`.
fn check_and_open(message: &Received, browser: &Browser, audience: &str, server_key: &str) -> Value {
    let header = |name: &str| message.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(header("content-encoding"), "aes128gcm");
    let ttl: u64 = header("ttl").parse().expect("a TTL in seconds");
    assert!(ttl > 0 && ttl <= 4 * 24 * 3600, "{ttl}");
    assert!(["very-low", "low", "normal", "high"].contains(&header("urgency").as_str()), "{}", header("urgency"));

    let authorization = header("authorization");
    let (token, k) = authorization
        .strip_prefix("vapid t=")
        .and_then(|rest| rest.split_once(", k="))
        .unwrap_or_else(|| panic!("vapid t=…, k=…: {authorization}"));
    assert_eq!(k, server_key, "k is the key browsers subscribed with");
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).expect("base64url");
    let verifying = VerifyingKey::from_sec1_bytes(&decode(k)).expect("k is a P-256 key");
    let signature = Signature::from_slice(&decode(parts[2])).expect("an ES256 signature");
    verifying.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature).expect("signed by k");
    let jwt_header: Value = serde_json::from_slice(&decode(parts[0])).expect("JSON");
    assert_eq!(jwt_header["alg"], "ES256");
    let claims: Value = serde_json::from_slice(&decode(parts[1])).expect("JSON");
    assert_eq!(claims["aud"], audience, "the push service's origin");
    let now = chrono::Utc::now().timestamp();
    let exp = claims["exp"].as_i64().expect("exp");
    assert!(exp > now && exp <= now + 24 * 3600, "expires within a day: {exp}");
    let sub = claims["sub"].as_str().expect("sub");
    assert!(sub.starts_with("mailto:") || sub.starts_with("https://"), "{sub}");

    serde_json::from_slice(&browser.open(&message.body)).expect("the payload is JSON")
}

/// The app, taking loopback endpoints (as its tests' push service is) and pushing every 100 ms.
async fn pushing_app() -> TestApp {
    spawn_app_configured(|settings| {
        settings.push_loopback_http = true;
        settings.job_interval = Duration::from_millis(100);
    })
    .await
}

async fn server_key(app: &TestApp) -> String {
    let answer: Value = app.get_ok("/api/v1/push/key", "").await;
    let key = answer["key"].as_str().expect("the key").to_string();
    assert_eq!(URL_SAFE_NO_PAD.decode(&key).expect("base64url").len(), 65, "an uncompressed P-256 key");
    key
}

async fn subscribe(app: &TestApp, cookie: &str, body: &Value) -> reqwest::Response {
    app.post_json("/api/v1/push/subscriptions", cookie, body).await
}

async fn accept(app: &TestApp, id: i64) {
    let coordinator = app.signed_in(&format!("dieuphoi.push{id}"), ActorRole::Coordinator, None).await;
    app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
}

#[tokio::test]
async fn a_signed_in_reporter_is_pushed_the_acceptance_encrypted_signed_and_once() {
    let (service, inbox) = push_service().await;
    let app = pushing_app().await;
    let key = server_key(&app).await;
    let citizen = app.signed_in("dan.push", ActorRole::Citizen, None).await;
    let id = app.submit_case_as(&valid_report("push-citizen-1"), &citizen).await;
    let browser = Browser::new();
    let response = subscribe(&app, &citizen, &browser.subscription(&format!("{service}/push/citizen"))).await;
    assert_eq!(response.status().as_u16(), 201, "{}", response.text().await.unwrap_or_default());

    accept(&app, id).await;
    let messages = received(&inbox, "citizen", 1).await;
    assert_eq!(messages.len(), 1, "the acceptance arrives");
    let payload = check_and_open(&messages[0], &browser, &service, &key);
    assert_eq!(payload["case"], id);
    assert_eq!(payload["status"], "assigned", "the case's new status");
    assert_eq!(payload["step"], "accepted");
    assert_eq!(payload["url"], format!("/cases/{id}"));
    assert_eq!(payload["receipt"], false);
    assert!(payload["title"].as_str().is_some_and(|t| t.contains(&format!("#{id}"))), "{payload}");
    assert!(payload["body"].as_str().is_some_and(|b| b.contains("Rác thải")), "the case's title: {payload}");
    let text = payload.to_string();
    assert!(!text.contains("Trần Văn Bình") && !text.contains("binh@example.vn"), "no contact: {text}");

    // Rounds of the job after it send nothing twice.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(received(&inbox, "citizen", 2).await.len(), 1, "once");
}

#[tokio::test]
async fn an_anonymous_reporter_subscribes_with_the_receipt_and_nobody_else_may() {
    let (service, inbox) = push_service().await;
    let app = pushing_app().await;
    let key = server_key(&app).await;
    let (id, receipt) = app.submit_anonymously(&valid_report("push-receipt-1")).await;
    let browser = Browser::new();
    let endpoint = format!("{service}/push/receipt");
    let mut body = browser.subscription(&endpoint);

    let refused = subscribe(&app, "", &body).await;
    assert_eq!(refused.status().as_u16(), 401, "neither a session nor a receipt");
    body["receipt"] = json!("0".repeat(64));
    assert_eq!(subscribe(&app, "", &body).await.status().as_u16(), 404, "a receipt naming no case");
    body["receipt"] = json!("not-a-token");
    assert_eq!(subscribe(&app, "", &body).await.status().as_u16(), 404, "a malformed receipt alike");
    let forged = app
        .client
        .delete(format!("{}/api/v1/push/subscriptions", app.address))
        .json(&json!({"endpoint": endpoint}))
        .send()
        .await
        .expect("sent");
    assert_eq!(forged.status().as_u16(), 401, "turning off asks the same");

    body["receipt"] = json!(receipt);
    assert_eq!(subscribe(&app, "", &body).await.status().as_u16(), 201);
    let kept = app.store().await.push_subscriptions(PushOwner::Receipt(id)).await.expect("read");
    assert_eq!(kept.len(), 1, "kept for the case, not for an account");
    assert_eq!(kept[0].endpoint, endpoint);

    accept(&app, id).await;
    let messages = received(&inbox, "receipt", 1).await;
    assert_eq!(messages.len(), 1, "the acceptance arrives");
    let payload = check_and_open(&messages[0], &browser, &service, &key);
    assert_eq!((payload["case"].as_i64(), payload["status"].as_str()), (Some(id), Some("assigned")));
    assert_eq!(payload["receipt"], true);
    assert_eq!(payload["url"], Value::Null, "the receipt link is the browser's alone");
    assert!(!payload.to_string().contains(&receipt), "the token never travels");

    // Turned off, the next step is not pushed.
    let off = app
        .client
        .delete(format!("{}/api/v1/push/subscriptions", app.address))
        .json(&json!({ "endpoint": endpoint, "receipt": receipt }))
        .send()
        .await
        .expect("sent");
    assert_eq!(off.status().as_u16(), 204);
    assert!(app.store().await.push_subscriptions(PushOwner::Receipt(id)).await.expect("read").is_empty());
}

#[tokio::test]
async fn the_officers_of_the_agency_a_case_is_routed_to_are_pushed_its_routing() {
    let (service, inbox) = push_service().await;
    let app = pushing_app().await;
    let key = server_key(&app).await;
    let officer = app.signed_in("xuly.push", ActorRole::Officer, Some("urenco")).await;
    let elsewhere = app.signed_in("xuly.khac.push", ActorRole::Officer, Some("quawaco")).await;
    let (browser, other) = (Browser::new(), Browser::new());
    assert_eq!(
        subscribe(&app, &officer, &browser.subscription(&format!("{service}/push/officer"))).await.status().as_u16(),
        201
    );
    assert_eq!(
        subscribe(&app, &elsewhere, &other.subscription(&format!("{service}/push/elsewhere"))).await.status().as_u16(),
        201
    );
    let (id, _) = app.submit_anonymously(&valid_report("push-officer-1")).await;

    accept(&app, id).await;
    let messages = received(&inbox, "officer", 1).await;
    assert_eq!(messages.len(), 1, "the routing arrives");
    let payload = check_and_open(&messages[0], &browser, &service, &key);
    assert_eq!(payload["case"], id);
    assert_eq!(payload["status"], "assigned");
    assert_eq!(payload["url"], format!("/staff/cases/{id}"), "where the officer works it");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(received(&inbox, "elsewhere", 1).await.is_empty(), "another agency's officer hears nothing");
}

#[tokio::test]
async fn a_subscription_the_push_service_says_is_gone_is_forgotten() {
    let (service, inbox) = push_service().await;
    let app = pushing_app().await;
    let citizen = app.signed_in("dan.push.gone", ActorRole::Citizen, None).await;
    let account = app.store().await.account_credentials("dan.push.gone").await.expect("read").expect("account").0.id;
    let id = app.submit_case_as(&valid_report("push-gone-1"), &citizen).await;
    let browser = Browser::new();
    assert_eq!(
        subscribe(&app, &citizen, &browser.subscription(&format!("{service}/push/gone-1"))).await.status().as_u16(),
        201
    );
    assert_eq!(app.store().await.push_subscriptions(PushOwner::Account(account)).await.expect("read").len(), 1);

    accept(&app, id).await;
    assert_eq!(received(&inbox, "gone-1", 1).await.len(), 1, "tried once");
    let mut left = usize::MAX;
    for _ in 0..50 {
        left = app.store().await.push_subscriptions(PushOwner::Account(account)).await.expect("read").len();
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "410 removes the subscription");
}

#[tokio::test]
async fn refused_subscriptions_name_their_fields_in_the_callers_language_and_are_bounded() {
    let app = spawn_app_configured(|_| {}).await;
    let citizen = app.signed_in("dan.push.sai", ActorRole::Citizen, None).await;
    let fields = |body: &Value| -> Vec<String> {
        body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["field"].as_str().map(str::to_string))
            .collect()
    };

    let wrong = json!({
        "endpoint": "http://push.example.net/x",
        "keys": { "p256dh": URL_SAFE_NO_PAD.encode([4u8; 33]), "auth": "" }
    });
    let response = subscribe(&app, &citizen, &wrong).await;
    assert_eq!(response.status().as_u16(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(fields(&body), vec!["endpoint", "keys.p256dh", "keys.auth"], "{body}");
    assert!(body["errors"][1]["message"].as_str().is_some_and(|m| m.contains("65")), "{body}");

    let english = app
        .client
        .post(format!("{}/api/v1/push/subscriptions", app.address))
        .header("cookie", &citizen)
        .header("accept-language", "en")
        .json(&json!({ "endpoint": "http://127.0.0.1:9/x", "keys": {} }))
        .send()
        .await
        .expect("sent");
    assert_eq!(english.status().as_u16(), 422, "loopback http only when the setting says so");
    let body: Value = english.json().await.expect("json");
    assert_eq!(fields(&body), vec!["endpoint", "keys.p256dh", "keys.auth"]);
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("https address")), "{body}");

    let long = Browser::new().subscription(&format!("https://push.example.net/{}", "a".repeat(2048)));
    let body: Value = subscribe(&app, &citizen, &long).await.json().await.expect("json");
    assert_eq!(fields(&body), vec!["endpoint"], "an endpoint over 2048 characters");

    let huge = json!({ "endpoint": "x".repeat(20_000) });
    assert_eq!(subscribe(&app, &citizen, &huge).await.status().as_u16(), 413, "the body is bounded");
    let not_json = app
        .client
        .post(format!("{}/api/v1/push/subscriptions", app.address))
        .header("cookie", &citizen)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(not_json.status().as_u16(), 400);

    // Ten browsers per account; the same browser again renews its keys.
    let browser = Browser::new();
    for n in 0..10 {
        let response = subscribe(&app, &citizen, &browser.subscription(&format!("https://push.example.net/{n}"))).await;
        assert_eq!(response.status().as_u16(), 201, "subscription {n}");
    }
    let again = Browser::new().subscription("https://push.example.net/3");
    assert_eq!(subscribe(&app, &citizen, &again).await.status().as_u16(), 201, "a renewed subscription is no new one");
    let eleventh = subscribe(&app, &citizen, &browser.subscription("https://push.example.net/10")).await;
    assert_eq!(eleventh.status().as_u16(), 422);
    assert_eq!(fields(&eleventh.json().await.expect("json")), vec!["endpoint"]);

    // A page of another site cannot subscribe someone's session.
    let cross = reqwest::Client::new()
        .post(format!("{}/api/v1/push/subscriptions", app.address))
        .header("cookie", &citizen)
        .header("origin", "https://evil.example")
        .json(&browser.subscription("https://push.example.net/evil"))
        .send()
        .await
        .expect("sent");
    assert_eq!(cross.status().as_u16(), 403);
}

#[tokio::test]
async fn the_key_is_made_once_and_kept_across_restarts() {
    let app = spawn_app_configured(|_| {}).await;
    let first = server_key(&app).await;
    let restarted =
        hientruong::Application::build(hientruong::Settings::local(&app.database_url)).await.expect("builds");
    let address = format!("http://127.0.0.1:{}", restarted.port());
    tokio::spawn(restarted.run());
    let again: Value =
        reqwest::get(format!("{address}/api/v1/push/key")).await.expect("sent").json().await.expect("json");
    assert_eq!(again["key"], first, "the database keeps the key pair");
}
