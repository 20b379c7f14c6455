//! Accounts and sessions over HTTP: registering, signing in and out, the throttle, and passwords.

use crate::helpers::{invalid_fields, session_cookie, spawn_app, spawn_app_configured, TestApp, PASSWORD};
use domain::account::Account;
use domain::case::ActorRole;
use serde_json::{json, Value};

fn registration(username: &str, display_name: &str, password: &str) -> Value {
    json!({ "input": { "username": username, "display_name": display_name, "password": password } })
}

const GOOD_PASSWORD: &str = "một mật khẩu đủ dài";

#[tokio::test]
async fn registration_names_every_bad_field_and_refuses_a_taken_username() {
    let app = spawn_app().await;
    let cases = [
        (registration("ab", "", "short"), vec!["username", "display_name", "password"]),
        (registration("lan nguyen", "Nguyễn Thị Lan", GOOD_PASSWORD), vec!["username"]),
        (registration("lan.nguyen", "Nguyễn Thị Lan", "ngắn quá"), vec!["password"]),
        (registration("lan.nguyen", "   ", GOOD_PASSWORD), vec!["display_name"]),
    ];
    for (input, fields) in cases {
        let response = app.post_json("/api/register", "", &input).await;
        assert_eq!(response.status().as_u16(), 422, "{input}");
        assert_eq!(session_cookie(&response), None, "no session for a refused registration");
        let body: Value = response.json().await.expect("json");
        assert_eq!(invalid_fields(&body), fields, "{input}");
    }
    assert_eq!(app.login("lan.nguyen", GOOD_PASSWORD).await.status().as_u16(), 401, "nothing was created");

    let response =
        app.post_json("/api/register", "", &registration("Lan.Nguyen", "Nguyễn Thị Lan", GOOD_PASSWORD)).await;
    assert_eq!(response.status().as_u16(), 200);
    let cookie = session_cookie(&response).expect("registering signs in");
    let account: Account = response.json().await.expect("the new account");
    assert_eq!(
        (account.username.as_str(), account.role, account.agency.as_deref()),
        ("lan.nguyen", ActorRole::Citizen, None)
    );
    let me: Option<Account> = app.get_ok("/api/me", &cookie).await;
    assert_eq!(me, Some(account));

    for taken in ["lan.nguyen", "LAN.NGUYEN"] {
        let response = app.post_json("/api/register", "", &registration(taken, "Người khác", GOOD_PASSWORD)).await;
        assert_eq!(response.status().as_u16(), 409, "{taken}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"], "username_taken");
    }
    app.create_account("dieuphoi", ActorRole::Coordinator, None).await;
    let response = app.post_json("/api/register", "", &registration("dieuphoi", "Kẻ mạo danh", GOOD_PASSWORD)).await;
    assert_eq!(response.status().as_u16(), 409, "a staff username cannot be registered again");
    assert_eq!(app.login("lan.nguyen", GOOD_PASSWORD).await.status().as_u16(), 200, "the first owner keeps it");
}

#[tokio::test]
async fn a_wrong_password_or_unknown_username_gets_401_without_a_session() {
    let app = spawn_app().await;
    app.create_account("dan.login", ActorRole::Citizen, None).await;
    for (username, password) in [("dan.login", "sai mật khẩu rồi"), ("khong.co.ai", PASSWORD), ("", "")] {
        let response = app.login(username, password).await;
        assert_eq!(response.status().as_u16(), 401, "{username:?}");
        assert_eq!(session_cookie(&response), None);
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"], "bad_credentials");
    }
    let response = app.login("DAN.LOGIN", PASSWORD).await;
    assert_eq!(response.status().as_u16(), 200, "usernames are not case-sensitive");
}

/// Signs in as `username` from `client`, an address the test server believes its proxy about.
async fn login_from(app: &TestApp, client: &str, username: &str, password: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/api/login", app.address))
        .header("x-forwarded-for", client)
        .header("cookie", "lang=en")
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("request sent")
}

#[tokio::test]
async fn guessing_from_one_address_slows_that_address_and_never_locks_the_owner_out() {
    let localhost: std::net::IpAddr = "127.0.0.1".parse().expect("an address");
    let app = spawn_app_configured(|settings| {
        settings.trusted_proxies = hientruong::client::TrustedProxies::new(vec![localhost]);
    })
    .await;
    app.create_account("quantri.tinh", ActorRole::Admin, None).await;
    let attacker = "203.0.113.66";
    for attempt in 1..=5 {
        let status = login_from(&app, attacker, "quantri.tinh", "đoán bừa mật khẩu").await.status().as_u16();
        assert_eq!(status, 401, "attempt {attempt} costs nothing yet");
    }
    // Past the free failures the attacker waits, even with the right password, and is told how long.
    let response = login_from(&app, attacker, "quantri.tinh", PASSWORD).await;
    assert_eq!(response.status().as_u16(), 429, "the guessing address waits");
    assert_eq!(session_cookie(&response), None);
    let retry: u64 = response.headers()["retry-after"].to_str().expect("text").parse().expect("seconds");
    assert!((1..=2).contains(&retry), "the first wait is a second: {retry}");
    let body: Value = response.json().await.expect("json");
    assert_eq!((&body["error"], &body["details"]["retry_after_seconds"]), (&json!("too_many_attempts"), &json!(retry)));

    // Hammering on: refusals cost no password check and the wait keeps doubling, while the
    // administrator, from their own address, signs in with the right password every time.
    let mut hammering = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let (client, url) = (app.client.clone(), format!("{}/api/login", app.address));
        hammering.spawn(async move {
            let body = json!({ "username": "quantri.tinh", "password": "đoán tiếp" });
            let response = client.post(url).header("x-forwarded-for", attacker).json(&body).send().await;
            response.expect("request sent").status().as_u16()
        });
    }
    let statuses: Vec<u16> = hammering.join_all().await;
    let refused = statuses.iter().filter(|status| **status == 429).count();
    assert!(statuses.iter().all(|status| [401, 429].contains(status)), "{statuses:?}");
    assert!(refused >= 35, "nearly all refused unchecked while the wait lasts: {statuses:?}");
    let owner = login_from(&app, "198.51.100.10", "quantri.tinh", PASSWORD).await;
    assert_eq!(owner.status().as_u16(), 200, "the owner signs in from an address that has not failed");
    assert!(session_cookie(&owner).is_some());

    // Trying many usernames from one address is slowed too, once past an office's worth of typos.
    let sprayer = "203.0.113.99";
    let mut refused_at = None;
    for n in 0..40 {
        let status = login_from(&app, sprayer, &format!("nguoi.dung{n}"), "mật khẩu chung").await.status().as_u16();
        if status == 429 {
            refused_at = Some(n);
            break;
        }
        assert_eq!(status, 401);
    }
    assert_eq!(refused_at, Some(30), "thirty failures free per address, then a wait");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = spawn_app().await;
    app.create_account("dan.cookie", ActorRole::Citizen, None).await;
    let login = app.login("dan.cookie", PASSWORD).await;
    let register = app.post_json("/api/register", "", &registration("dan.moi", "Dân Mới", GOOD_PASSWORD)).await;
    for (label, response) in [("login", login), ("register", register)] {
        assert_eq!(response.status().as_u16(), 200, "{label}");
        let header = response
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("hientruong_session="))
            .map(str::to_string)
            .expect("a session cookie");
        let attributes: Vec<String> = header.split(';').skip(1).map(|a| a.trim().to_ascii_lowercase()).collect();
        for wanted in ["httponly", "samesite=lax", "path=/"] {
            assert!(attributes.iter().any(|a| a == wanted), "{label}: {wanted} missing from {header}");
        }
        let value = header.split(';').next().and_then(|p| p.split_once('=')).map(|(_, v)| v).unwrap_or_default();
        assert!(value.len() >= 32, "{label}: a long random token");
    }
}

#[tokio::test]
async fn who_am_i_answers_the_signed_in_account_or_nobody() {
    let app = spawn_app().await;
    let nobody: Option<Account> = app.get_ok("/api/me", "").await;
    assert_eq!(nobody, None);
    let id = app.create_account("xuly.urenco", ActorRole::Officer, Some("urenco")).await;
    let cookie = app.sign_in("xuly.urenco").await;
    let me: Option<Account> = app.get_ok("/api/me", &cookie).await;
    let me = me.expect("signed in");
    assert_eq!(me.id, id);
    assert_eq!(me.username, "xuly.urenco");
    assert_eq!(me.display_name, "Người thử xuly.urenco");
    assert_eq!((me.role, me.agency.as_deref(), me.active), (ActorRole::Officer, Some("urenco"), true));
    let forged: Option<Account> = app.get_ok("/api/me", "hientruong_session=0123456789abcdef").await;
    assert_eq!(forged, None, "an unknown token is nobody");
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = spawn_app().await;
    app.create_account("dan.logout", ActorRole::Citizen, None).await;
    let cookie = app.sign_in("dan.logout").await;
    let other = app.sign_in("dan.logout").await;
    assert_eq!(app.get_as("/api/my/reports", &cookie).await.status().as_u16(), 200);

    let response = app.post_json("/api/logout", &cookie, &json!({})).await;
    assert_eq!(response.status().as_u16(), 200);
    let cleared = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("hientruong_session=;") && v.to_ascii_lowercase().contains("max-age=0"));
    assert!(cleared, "the browser is told to drop the cookie");

    for path in ["/api/my/reports", "/api/my/notices"] {
        assert_eq!(app.get_as(path, &cookie).await.status().as_u16(), 401, "the old cookie is dead for {path}");
    }
    let me: Option<Account> = app.get_ok("/api/me", &cookie).await;
    assert_eq!(me, None);
    assert_eq!(app.get_as("/api/my/reports", &other).await.status().as_u16(), 200, "other devices stay signed in");
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = spawn_app().await;
    app.create_account("dan.password", ActorRole::Citizen, None).await;
    let here = app.sign_in("dan.password").await;
    let elsewhere = app.sign_in("dan.password").await;
    let change = |current: &str, new: &str| json!({ "current": current, "new": new });

    let wrong = app.post_json("/api/change_password", &here, &change("không phải mật khẩu", GOOD_PASSWORD)).await;
    assert_eq!(wrong.status().as_u16(), 401, "the current password is checked");
    let short = app.post_json("/api/change_password", &here, &change(PASSWORD, "ngắn")).await;
    assert_eq!(short.status().as_u16(), 422);
    let body: Value = short.json().await.expect("json");
    assert_eq!(invalid_fields(&body), vec!["password"]);
    let anonymous = app.post_json("/api/change_password", "", &change(PASSWORD, GOOD_PASSWORD)).await;
    assert_eq!(anonymous.status().as_u16(), 401);
    assert_eq!(app.get_as("/api/my/reports", &elsewhere).await.status().as_u16(), 200, "failed changes end nothing");

    let done = app.post_json("/api/change_password", &here, &change(PASSWORD, GOOD_PASSWORD)).await;
    assert_eq!(done.status().as_u16(), 200);
    assert_eq!(app.get_as("/api/my/reports", &elsewhere).await.status().as_u16(), 401, "the other session ended");
    assert_eq!(app.get_as("/api/my/reports", &here).await.status().as_u16(), 200, "this session continues");
    assert_eq!(app.login("dan.password", PASSWORD).await.status().as_u16(), 401, "the old password is gone");
    assert_eq!(app.login("dan.password", GOOD_PASSWORD).await.status().as_u16(), 200, "the new one works");
}
