//! The browser's protection: the security headers on every kind of answer, the page's script nonce,
//! HSTS over https, and a fresh session at every sign-in.

use crate::helpers::{session_cookie, spawn_app, PASSWORD};
use domain::case::ActorRole;
use hientruong::{Application, Settings};

/// Every answer carries these, whatever route gives it.
const HEADERS: [(&str, &str); 3] = [
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
];

fn check_headers(what: &str, response: &reqwest::Response) -> String {
    let headers = response.headers();
    for (name, value) in HEADERS {
        assert_eq!(headers.get(name).and_then(|v| v.to_str().ok()), Some(value), "{what}: {name}");
    }
    let policy = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
        .to_string();
    for directive in ["default-src 'self'", "'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"] {
        assert!(policy.contains(directive), "{what}: {directive} in {policy}");
    }
    assert!(policy.contains("img-src 'self' data: blob: http://127.0.0.1:9"), "{what}: the tile host in {policy}");
    assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
    assert!(headers.get("strict-transport-security").is_none(), "{what}: no HSTS over plain http");
    policy
}

/// The nonce a policy allows scripts with.
fn nonce_of(policy: &str) -> String {
    policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce").to_string()
}

#[tokio::test]
async fn every_kind_of_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let cookie = app.signed_in("canbo.tieude", ActorRole::Coordinator, None).await;
    let site = reqwest::Client::new();
    let answers = vec![
        ("page", app.get("/").await),
        ("missing page", app.get("/khong-co-trang-nay").await),
        ("case page", app.get("/cases/999").await),
        ("server function", app.get("/api/me").await),
        ("server function refusal", app.get_as("/api/staff/screening", "").await),
        ("server function for staff", app.get_as("/api/staff/screening", &cookie).await),
        ("failed login", app.login("khong.ai", "sai mật khẩu").await),
        ("REST", app.get("/api/v1/stats").await),
        ("REST export", app.get("/api/v1/cases.csv").await),
        ("REST refusal", app.get("/api/v1/clusters?zoom=3").await),
        ("Open311", app.get("/open311/v2/services.json").await),
        ("Open311 refusal", app.get("/open311/v2/requests/999.json").await),
        ("photo refusal", app.get(&format!("/media/{}.jpg", "a".repeat(64))).await),
        ("static file", app.get("/favicon.svg").await),
        ("health", app.get("/healthz").await),
        (
            "cross-site refusal",
            site.post(format!("{}/api/login", app.address))
                .header("content-type", "text/plain")
                .send()
                .await
                .expect("sent"),
        ),
    ];
    for (what, response) in &answers {
        check_headers(what, response);
    }
}

#[tokio::test]
async fn a_pages_inline_scripts_carry_the_nonce_its_policy_names_fresh_each_time() {
    let app = spawn_app().await;
    let first = app.get("/").await;
    let policy = check_headers("page", &first);
    let nonce = nonce_of(&policy);
    assert!(nonce.len() >= 16, "{nonce}");
    let html = first.text().await.expect("html");
    let scripts: Vec<&str> = html.split("<script").skip(1).map(|s| s.split('>').next().unwrap_or_default()).collect();
    assert!(!scripts.is_empty());
    for attributes in scripts {
        // Scripts from the site itself need no nonce; every inline one carries it.
        let from_the_site = attributes.contains("src=\"/");
        assert!(from_the_site || attributes.contains(&format!("nonce=\"{nonce}\"")), "<script{attributes}>");
    }
    let second = nonce_of(&check_headers("page again", &app.get("/").await));
    assert_ne!(nonce, second, "each answer gets its own nonce");
}

#[tokio::test]
async fn an_https_site_asks_browsers_to_keep_to_https() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let address =
        spawn_with(&dir, |settings| Settings { public_url: "https://phananh.example.vn".into(), ..settings }).await;
    let client = reqwest::Client::new();
    for path in ["/", "/healthz", "/api/v1/stats"] {
        let response = client.get(format!("{address}{path}")).send().await.expect("sent");
        let hsts = response.headers().get("strict-transport-security").and_then(|v| v.to_str().ok());
        assert_eq!(hsts, Some("max-age=31536000; includeSubDomains"), "{path}");
    }
    // Its own public address is a same-site origin; the bound address stays one for local runs.
    let from_public = client
        .post(format!("{address}/api/logout"))
        .header("content-type", "application/json")
        .header("origin", "https://phananh.example.vn")
        .body("{}")
        .send()
        .await
        .expect("sent");
    assert_eq!(from_public.status().as_u16(), 200);
}

#[tokio::test]
async fn signing_in_starts_a_fresh_session_and_ends_the_one_it_came_with() {
    let app = spawn_app().await;
    app.create_account("dan.phien", ActorRole::Citizen, None).await;
    let first = app.sign_in("dan.phien").await;
    let response =
        app.post_json("/api/login", &first, &serde_json::json!({"username": "dan.phien", "password": PASSWORD})).await;
    assert_eq!(response.status().as_u16(), 200);
    let second = session_cookie(&response).expect("a new session cookie");
    assert_ne!(first, second, "a fresh session id");
    let ended: Option<serde_json::Value> = app.get_ok("/api/me", &first).await;
    assert!(ended.is_none(), "the session it came with has ended");
    let fresh: Option<serde_json::Value> = app.get_ok("/api/me", &second).await;
    assert!(fresh.is_some());
}

#[tokio::test]
async fn a_failed_login_says_why_in_the_callers_language() {
    let app = spawn_app().await;
    app.create_account("dan.sai", ActorRole::Citizen, None).await;
    for (username, password) in [("dan.sai", "không phải mật khẩu"), ("khong.co.ai", PASSWORD), ("x", PASSWORD)]
    {
        for (lang, message) in [("vi", "Sai tên đăng nhập hoặc mật khẩu."), ("en", "Wrong username or password.")]
        {
            let response = app
                .client
                .post(format!("{}/api/login", app.address))
                .header("accept-language", lang)
                .json(&serde_json::json!({"username": username, "password": password}))
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status().as_u16(), 401);
            let body: serde_json::Value = response.json().await.expect("json");
            assert_eq!(body, serde_json::json!({"error": "bad_credentials", "details": message}), "{username} {lang}");
        }
    }
}

/// Who `/api/me` says the session in `cookie` belongs to.
async fn signed_in_as(client: &reqwest::Client, address: &str, cookie: String) -> Option<serde_json::Value> {
    let request = client.get(format!("{address}/api/me")).header("cookie", cookie);
    request.send().await.expect("sent").json().await.expect("json")
}

/// Starts the app with `settings` changed by `adjust`; answers its address.
async fn spawn_with(dir: &tempfile::TempDir, adjust: impl FnOnce(Settings) -> Settings) -> String {
    let database_url = format!("sqlite://{}/app.db", dir.path().display());
    let settings = adjust(Settings { media_dir: dir.path().join("media"), ..Settings::local(&database_url) });
    let application = Application::build(settings).await.expect("builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    address
}

#[tokio::test]
async fn a_staff_session_ends_when_idle_while_a_citizens_lasts() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let address = spawn_with(&dir, |settings| Settings {
        sessions: services::SessionRules { staff_idle: chrono::Duration::seconds(2), ..Default::default() },
        ..settings
    })
    .await;
    let store = hientruong::storage::sqlite::SqliteStore::open(&format!("sqlite://{}/app.db", dir.path().display()))
        .await
        .expect("open");
    let client = crate::helpers::same_site_client(&address);
    let mut cookies = Vec::new();
    for (username, role) in [("canbo.nghi", ActorRole::Coordinator), ("dan.nghi", ActorRole::Citizen)] {
        let account = domain::account::NewAccount {
            username: domain::account::Username::parse(username).expect("username"),
            display_name: domain::contact::PersonName::parse("Người thử phiên").expect("name"),
            role,
            agency: None,
            password_hash: crate::helpers::password_hash(),
        };
        services::store::Store::create_account(&store, &account, chrono::Utc::now()).await.expect("account");
        let response = client
            .post(format!("{address}/api/login"))
            .json(&serde_json::json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .expect("sent");
        let cookie = session_cookie(&response).expect("signed in");
        cookies.push(cookie);
    }
    let me = |cookie: String| signed_in_as(&client, &address, cookie);
    assert!(me(cookies[0].clone()).await.is_some(), "the coordinator is signed in");
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert!(me(cookies[0].clone()).await.is_none(), "idle too long: signed out");
    assert!(me(cookies[1].clone()).await.is_some(), "the citizen's session lasts");
}

#[tokio::test]
async fn an_https_site_names_its_session_cookie_with_the_host_prefix_and_marks_it_secure() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let address =
        spawn_with(&dir, |settings| Settings { public_url: "https://phananh.example.vn".into(), ..settings }).await;
    let client = crate::helpers::same_site_client(&address);
    let registration = serde_json::json!({"input": {
        "username": "dan.https", "display_name": "Người dân", "password": "mật khẩu đủ dài 123"
    }});
    let response = client.post(format!("{address}/api/register")).json(&registration).send().await.expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let set_cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).expect("a cookie").to_string();
    assert!(set_cookie.starts_with(&format!("{}=", app::auth::SECURE_SESSION_COOKIE)), "{set_cookie}");
    assert!(
        set_cookie.contains("; Secure") && set_cookie.contains("; Path=/") && !set_cookie.contains("Domain"),
        "{set_cookie}"
    );
    let token = set_cookie.split(';').next().expect("name=value").split_once('=').expect("a value").1.to_string();
    let me = |cookie: String| signed_in_as(&client, &address, cookie);
    assert!(me(format!("{}={token}", app::auth::SECURE_SESSION_COOKIE)).await.is_some());
    // The unprefixed name, which a sibling subdomain could plant, is not read.
    assert!(me(format!("{}={token}", app::auth::SESSION_COOKIE)).await.is_none());
}

/// A coordinator made with a one-time password (the tests' password) that works until `until`.
async fn invited(app: &crate::helpers::TestApp, username: &str, until: chrono::DateTime<chrono::Utc>) {
    let account = domain::account::NewAccount {
        username: domain::account::Username::parse(username).expect("username"),
        display_name: domain::contact::PersonName::parse("Cán bộ mới").expect("name"),
        role: ActorRole::Coordinator,
        agency: None,
        password_hash: crate::helpers::password_hash(),
    };
    let store = app.store().await;
    let now = chrono::Utc::now();
    services::store::Store::invite_account(&store, &account, &[], Some(until), None, now).await.expect("invited");
}

#[tokio::test]
async fn a_one_time_password_must_be_replaced_first_and_expires() {
    let app = spawn_app().await;
    invited(&app, "dieuphoi.moi", chrono::Utc::now() + chrono::Duration::hours(72)).await;
    let cookie = app.sign_in("dieuphoi.moi").await;
    let me: Option<serde_json::Value> = app.get_ok("/api/me", &cookie).await;
    assert!(me.expect("signed in")["one_time_password_until"].is_string(), "the page learns it must change it");
    let refused = app.get_as("/api/staff/screening", &cookie).await;
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(refused.json::<serde_json::Value>().await.expect("json")["error"], "password_change_required");
    let change = serde_json::json!({"current": PASSWORD, "new": "mật khẩu riêng của tôi 2026"});
    assert_eq!(app.post_json("/api/change_password", &cookie, &change).await.status().as_u16(), 200);
    assert_eq!(app.get_as("/api/staff/screening", &cookie).await.status().as_u16(), 200, "now it may work");

    invited(&app, "dieuphoi.tre", chrono::Utc::now() - chrono::Duration::minutes(1)).await;
    let late = app
        .client
        .post(format!("{}/api/login", app.address))
        .header("accept-language", "en")
        .json(&serde_json::json!({"username": "dieuphoi.tre", "password": PASSWORD}))
        .send()
        .await
        .expect("sent");
    assert_eq!(late.status().as_u16(), 401);
    let body: serde_json::Value = late.json().await.expect("json");
    assert_eq!(
        body,
        serde_json::json!({"error": "bad_credentials", "details": "The one-time password expired after 72 hours; ask an administrator for a new one."})
    );
}
