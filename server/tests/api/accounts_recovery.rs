//! Account recovery over HTTP: a citizen's own details, the link verifying an address, the
//! forgotten password's one-time reset link, and an administrator's reset of a staff password.

use crate::helpers::{invalid_fields, session_cookie, spawn_app, spawn_app_configured, TestApp, PASSWORD};
use crate::relay::{fake_relay, Received};
use app::auth::token_hash;
use chrono::{Duration, Utc};
use domain::account::Account;
use domain::case::ActorRole;
use domain::catalogue::Entity;
use domain::profile::{LinkProblem, Profile};
use hientruong::limits::{Limited, RateLimits, Rule};
use serde_json::{json, Value};
use services::account_links::{self, LinkState};
use services::store::Store;
use std::sync::{Arc, Mutex};

/// The site's public address in the tests' messages (plain http, so that the session cookie keeps its local name).
const SITE: &str = "http://phananh.example.vn";

type Inbox = Arc<Mutex<Vec<Received>>>;

/// The app mailing through a fake relay of its own; answers the relay's inbox.
async fn mailing_app() -> (TestApp, Inbox) {
    let (port, inbox) = fake_relay().await;
    let app = spawn_app_configured(|settings| {
        settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
        settings.mail_from = "Phản ánh hiện trường <no-reply@example.vn>".into();
        settings.public_url = SITE.into();
    })
    .await;
    (app, inbox)
}

/// Waits up to five seconds for the inbox to hold `count` messages, then a little more for any
/// that should not come; answers them all.
async fn mail(inbox: &Inbox, count: usize) -> Vec<Received> {
    crate::relay::delivered(inbox, count).await
}

/// The token of the link to `page` (`verify-email`, `reset-password`) on the public site in `message`.
fn link_token(message: &Received, page: &str) -> String {
    let prefix = format!("{SITE}/{page}/");
    let body = message.body();
    let start = body.find(&prefix).unwrap_or_else(|| panic!("no {page} link in {body}"));
    let token: String = body[start + prefix.len()..].chars().take_while(char::is_ascii_hexdigit).collect();
    assert_eq!(token.len(), 64, "32 random bytes in hex: {token}");
    token
}

fn profile_input(display_name: &str, email: &str, phone: &str) -> Value {
    json!({ "input": { "display_name": display_name, "email": email, "phone": phone } })
}

async fn update_profile(
    app: &TestApp,
    cookie: &str,
    display_name: &str,
    email: &str,
    phone: &str,
) -> reqwest::Response {
    app.post_json("/api/my/update_profile", cookie, &profile_input(display_name, email, phone)).await
}

/// A citizen signed in whose address `email` is verified through the mailed link; answers the
/// session cookie. The inbox is emptied.
async fn verified_citizen(app: &TestApp, inbox: &Inbox, username: &str, email: &str) -> String {
    let cookie = app.signed_in(username, ActorRole::Citizen, None).await;
    let response = update_profile(app, &cookie, "Nguyễn Thị Lan", email, "").await;
    assert_eq!(response.status().as_u16(), 200);
    let sent = mail(inbox, 1).await;
    let token = link_token(sent.last().expect("a verification message"), "verify-email");
    let verified = app.post_json("/api/verify_email", "", &json!({ "token": token })).await;
    assert_eq!(verified.status().as_u16(), 200);
    inbox.lock().expect("inbox").clear();
    cookie
}

async fn profile(app: &TestApp, cookie: &str) -> Profile {
    app.get_ok("/api/my/profile", cookie).await
}

#[tokio::test]
async fn a_citizen_edits_their_details_and_each_bad_field_is_named_in_their_language() {
    let app = spawn_app().await;
    let cookie = app.signed_in("dan.hoso", ActorRole::Citizen, None).await;
    let before = profile(&app, &cookie).await;
    assert_eq!(
        (before.display_name.as_str(), before.email.as_deref(), before.phone.as_deref()),
        ("Người thử dan.hoso", None, None)
    );

    let refused = update_profile(&app, &cookie, " ", "lan@", "0123").await;
    assert_eq!(refused.status().as_u16(), 422);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(invalid_fields(&body), ["display_name", "email", "phone"]);
    assert_eq!(
        body["details"][1]["message"], "Thư điện tử: địa chỉ thư điện tử không hợp lệ.",
        "Vietnamese by default"
    );
    let english = app
        .client
        .post(format!("{}/api/my/update_profile", app.address))
        .header("cookie", format!("{cookie}; lang=en"))
        .json(&profile_input("Lan", "lan@example.vn", "12"))
        .send()
        .await
        .expect("sent");
    assert_eq!(english.status().as_u16(), 422);
    let body: Value = english.json().await.expect("json");
    assert_eq!(invalid_fields(&body), ["phone"]);
    assert_eq!(body["details"][0]["message"], "Phone number is not a valid Vietnamese number (e.g. 0912 345 678).");
    assert_eq!(profile(&app, &cookie).await, before, "a refused edit stores nothing");

    let saved = update_profile(&app, &cookie, "Nguyễn Thị Lan", "Lan.Nguyen@Example.VN", "+84 912 345 678").await;
    assert_eq!(saved.status().as_u16(), 200);
    let answered: Profile = saved.json().await.expect("the stored details");
    assert_eq!(answered.display_name, "Nguyễn Thị Lan");
    assert_eq!(answered.email.as_deref(), Some("Lan.Nguyen@example.vn"));
    assert_eq!(answered.phone.as_deref(), Some("0912345678"));
    assert_eq!(answered.email_verified_at, None, "a new address is unverified");
    assert_eq!(profile(&app, &cookie).await, answered);
    let me: Option<Account> = app.get_ok("/api/me", &cookie).await;
    assert_eq!(me.expect("signed in").display_name, "Nguyễn Thị Lan", "the name is the account's own");

    let cleared = update_profile(&app, &cookie, "Nguyễn Thị Lan", "", "").await;
    assert_eq!(cleared.status().as_u16(), 200);
    let cleared: Profile = cleared.json().await.expect("json");
    assert_eq!((cleared.email, cleared.phone), (None, None), "blank fields remove the address and the phone");
}

#[tokio::test]
async fn only_a_signed_in_person_edits_details_and_staff_keep_the_name_an_administrator_gave() {
    let app = spawn_app().await;
    let bad = profile_input("", "not-an-address", "1");
    let anonymous = app.post_json("/api/my/update_profile", "", &bad).await;
    assert_eq!(anonymous.status().as_u16(), 401);
    assert_eq!(app.get_as("/api/my/profile", "").await.status().as_u16(), 401);
    assert_eq!(app.post_json("/api/my/resend_verification", "", &json!({})).await.status().as_u16(), 401);

    // Staff set their own address (where their digests and deadline warnings go) and phone.
    let coordinator = app.signed_in("dieuphoi.hoso", ActorRole::Coordinator, None).await;
    let refused = app.post_json("/api/my/update_profile", &coordinator, &bad).await;
    assert_eq!(refused.status().as_u16(), 422);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(invalid_fields(&body), ["email", "phone"], "the name is not theirs to send");
    let saved = update_profile(&app, &coordinator, "Tên Tự Đặt", "Dieuphoi@Example.vn", "0912 345 678").await;
    assert_eq!(saved.status().as_u16(), 200);
    let saved: Profile = saved.json().await.expect("the stored details");
    assert_eq!(saved.display_name, "Người thử dieuphoi.hoso", "the administrator's name stays");
    assert_eq!(saved.email.as_deref(), Some("Dieuphoi@example.vn"));
    assert_eq!((saved.phone.as_deref(), saved.email_verified_at), (Some("0912345678"), None), "unverified");
    assert_eq!(profile(&app, &coordinator).await, saved);
}

#[tokio::test]
async fn an_address_is_verified_once_by_the_link_mailed_to_it_in_the_citizens_language() {
    let (app, inbox) = mailing_app().await;
    let cookie = app.signed_in("dan.xacnhan", ActorRole::Citizen, None).await;
    assert_eq!(update_profile(&app, &cookie, "Trần Văn Bình", "binh@example.vn", "").await.status().as_u16(), 200);
    let sent = mail(&inbox, 1).await;
    assert_eq!(sent.len(), 1, "one message for one new address: {sent:?}");
    assert_eq!(sent[0].recipients, ["binh@example.vn"]);
    let data = &sent[0].body();
    assert!(data.contains("Mở liên kết sau để xác nhận") && data.contains("24 giờ"), "in Vietnamese: {data}");
    assert!(data.contains(&format!("\n{SITE}\n")), "the site's public address: {data}");
    let token = link_token(&sent[0], "verify-email");

    let store = app.store().await;
    assert!(
        store.account_link(account_links::LinkPurpose::VerifyEmail, &token, Utc::now()).await.expect("read")
            == LinkState::Closed(LinkProblem::Unknown),
        "the token itself is not stored, only its hash"
    );
    let opened = app.post_json("/api/verify_email", "", &json!({ "token": token })).await;
    assert_eq!(opened.status().as_u16(), 200, "the link works in any browser, signed in or not");
    let verified = profile(&app, &cookie).await;
    assert!(verified.email_verified(), "{verified:?}");
    let again = app.post_json("/api/verify_email", "", &json!({ "token": token })).await;
    assert_eq!(again.status().as_u16(), 410, "a link works once");
    let body: Value = again.json().await.expect("json");
    assert_eq!(body, json!({ "error": "link", "details": "used" }));
    assert_eq!(app.post_json("/api/my/resend_verification", &cookie, &json!({})).await.status().as_u16(), 200);
    assert_eq!(mail(&inbox, 1).await.len(), 1, "a verified address is not sent another link");

    // A changed address is unverified again and gets a link of its own, in the language asked in.
    let english = app
        .client
        .post(format!("{}/api/my/update_profile", app.address))
        .header("cookie", format!("{cookie}; lang=en"))
        .json(&profile_input("Trần Văn Bình", "binh.tran@example.vn", ""))
        .send()
        .await
        .expect("sent");
    assert_eq!(english.status().as_u16(), 200);
    let sent = mail(&inbox, 2).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].recipients, ["binh.tran@example.vn"]);
    assert!(sent[1].body().contains("Open this link to confirm it"), "in English: {}", sent[1].body());
    assert!(!profile(&app, &cookie).await.email_verified());
    let resend = app.post_json("/api/my/resend_verification", &cookie, &json!({})).await;
    assert_eq!(resend.status().as_u16(), 429, "the link just sent stands for a minute");
    let newer = link_token(&sent[1], "verify-email");
    assert_eq!(app.post_json("/api/verify_email", "", &json!({ "token": newer })).await.status().as_u16(), 200);
    assert_eq!(profile(&app, &cookie).await.email.as_deref(), Some("binh.tran@example.vn"));
    assert!(profile(&app, &cookie).await.email_verified());

    for unknown in ["0".repeat(64), "not-a-token".into()] {
        let response = app.post_json("/api/verify_email", "", &json!({ "token": unknown })).await;
        assert_eq!(response.status().as_u16(), 404, "{unknown}");
    }
}

#[tokio::test]
async fn a_verification_link_for_an_old_address_verifies_nothing() {
    let (app, inbox) = mailing_app().await;
    let cookie = app.signed_in("dan.doidiachi", ActorRole::Citizen, None).await;
    update_profile(&app, &cookie, "Lê Thị Hoa", "hoa@example.vn", "").await;
    let old = link_token(&mail(&inbox, 1).await[0], "verify-email");
    update_profile(&app, &cookie, "Lê Thị Hoa", "hoa.le@example.vn", "").await;
    let response = app.post_json("/api/verify_email", "", &json!({ "token": old })).await;
    assert_eq!(response.status().as_u16(), 404, "the link of the address given up is gone");
    assert!(!profile(&app, &cookie).await.email_verified());
}

#[tokio::test]
async fn a_reset_link_works_once_ends_every_session_and_not_after_thirty_minutes() {
    let (app, inbox) = mailing_app().await;
    let here = verified_citizen(&app, &inbox, "dan.quenmatkhau", "lan@example.vn").await;
    let elsewhere = app.sign_in("dan.quenmatkhau").await;

    let asked = app.post_json("/api/forgot_password", "", &json!({ "handle": "dan.quenmatkhau" })).await;
    assert_eq!(asked.status().as_u16(), 200);
    let sent = mail(&inbox, 1).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipients, ["lan@example.vn"]);
    let data = &sent[0].body();
    assert!(data.contains("Mở liên kết sau để đặt mật khẩu mới") && data.contains("30 phút"), "{data}");
    assert!(data.contains("dan.quenmatkhau"), "the message names the account: {data}");
    let token = link_token(&sent[0], "reset-password");
    let hash = token_hash(&token);

    // Thirty-one minutes on, the link opens nothing and changes nothing.
    let store = app.store().await;
    let later = Utc::now() + Duration::minutes(31);
    assert_eq!(
        account_links::check_reset_link(&store, &hash, later).await.expect("read"),
        LinkState::Closed(LinkProblem::Expired)
    );
    let late = account_links::reset_password(&store, &hash, "$argon2id$too-late", later).await.expect("tried");
    assert_eq!(late, LinkState::Closed(LinkProblem::Expired));
    assert_eq!(app.login("dan.quenmatkhau", PASSWORD).await.status().as_u16(), 200, "the password is unchanged");

    let whose = app.post_json("/api/reset_link", "", &json!({ "token": token })).await;
    assert_eq!(whose.status().as_u16(), 200);
    assert_eq!(whose.json::<String>().await.expect("json"), "dan.quenmatkhau");
    let short = app.post_json("/api/reset_password", "", &json!({ "token": token, "password": "ngắn" })).await;
    assert_eq!(short.status().as_u16(), 422);
    assert_eq!(invalid_fields(&short.json().await.expect("json")), ["password"]);

    let new_password = "mật khẩu mới sau khi quên 2026";
    let reset = app.post_json("/api/reset_password", "", &json!({ "token": token, "password": new_password })).await;
    assert_eq!(reset.status().as_u16(), 200, "a refused password leaves the link usable");
    for cookie in [&here, &elsewhere] {
        let me: Option<Account> = app.get_ok("/api/me", cookie).await;
        assert_eq!(me, None, "every session ended");
    }
    assert_eq!(app.login("dan.quenmatkhau", PASSWORD).await.status().as_u16(), 401, "the old password is gone");
    assert_eq!(app.login("dan.quenmatkhau", new_password).await.status().as_u16(), 200);

    let again = app
        .client
        .post(format!("{}/api/reset_password", app.address))
        .header("accept-language", "en")
        .json(&json!({ "token": token, "password": "một mật khẩu khác nữa" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status().as_u16(), 410, "the link works once");
    assert_eq!(again.json::<Value>().await.expect("json"), json!({ "error": "link", "details": "used" }));
    let used = app.post_json("/api/reset_link", "", &json!({ "token": token })).await;
    assert_eq!(used.status().as_u16(), 410);
    assert_eq!(app.login("dan.quenmatkhau", new_password).await.status().as_u16(), 200, "still the new one");
    assert_eq!(app.post_json("/api/reset_link", "", &json!({ "token": "f".repeat(64) })).await.status().as_u16(), 404);
}

#[tokio::test]
async fn asking_for_a_reset_answers_alike_whether_or_not_an_account_matches() {
    let (app, inbox) = mailing_app().await;
    verified_citizen(&app, &inbox, "dan.cothu", "cothu@example.vn").await;
    let unverified = app.signed_in("dan.chuaxacnhan", ActorRole::Citizen, None).await;
    update_profile(&app, &unverified, "Người chưa xác nhận", "chua@example.vn", "").await;
    mail(&inbox, 1).await;
    inbox.lock().expect("inbox").clear();
    app.create_account("xuly.quen", ActorRole::Officer, Some("urenco")).await;

    let mut answers = Vec::new();
    for handle in [
        "dan.cothu",
        "CoThu@Example.vn",
        "dan.chuaxacnhan",
        "chua@example.vn",
        "xuly.quen",
        "khong.co.ai",
        "khong.ai@example.vn",
    ] {
        let response = app.post_json("/api/forgot_password", "", &json!({ "handle": handle })).await;
        let status = response.status().as_u16();
        answers.push((status, response.text().await.expect("body")));
    }
    assert!(answers.iter().all(|answer| *answer == answers[0]), "one answer for all: {answers:?}");
    assert_eq!(answers[0].0, 200);
    let sent = mail(&inbox, 1).await;
    assert_eq!(sent.len(), 1, "one pending link per account, sent to a verified address only: {sent:?}");
    assert_eq!(sent[0].recipients, ["cothu@example.vn"]);

    let refused = app
        .client
        .post(format!("{}/api/forgot_password", app.address))
        .header("accept-language", "en")
        .json(&json!({ "handle": "lan nguyen" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status().as_u16(), 422, "neither a username nor an address");
    let body: Value = refused.json().await.expect("json");
    assert_eq!(invalid_fields(&body), ["handle"]);
    assert!(body["details"][0]["message"].as_str().is_some_and(|m| m.starts_with("Username or e-mail address")));
}

#[tokio::test]
async fn asking_for_reset_links_is_limited_per_address() {
    let rule = Rule::parse("2/h").expect("a rule");
    let app = spawn_app_configured(|settings| {
        settings.rate_limits = Some(Arc::new(RateLimits::new(&[(Limited::AccountMail, rule)])));
    })
    .await;
    for n in 0..2 {
        let response = app.post_json("/api/forgot_password", "", &json!({ "handle": format!("ai.do{n}") })).await;
        assert_eq!(response.status().as_u16(), 200);
    }
    let refused = app.post_json("/api/forgot_password", "", &json!({ "handle": "ai.do2" })).await;
    assert_eq!(refused.status().as_u16(), 429);
    assert!(refused.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn an_administrator_resets_a_staff_password_which_must_be_changed_at_first_sign_in() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.datlai", ActorRole::Admin, None).await;
    let officer_id = app.create_account("xuly.datlai", ActorRole::Officer, Some("urenco")).await;
    let officer = app.sign_in("xuly.datlai").await;

    let reset = app.post_json("/api/admin/reset_password", &admin, &json!({ "id": officer_id })).await;
    assert_eq!(reset.status().as_u16(), 200);
    let one_time: String = reset.json().await.expect("the one-time password");
    assert_eq!(one_time.len(), 64, "as long as an invitation's");
    let ended: Option<Account> = app.get_ok("/api/me", &officer).await;
    assert_eq!(ended, None, "the staff member's sessions ended");
    assert_eq!(app.login("xuly.datlai", PASSWORD).await.status().as_u16(), 401, "the old password is gone");

    let cookie = app.sign_in_with("xuly.datlai", &one_time).await;
    let me: Option<Account> = app.get_ok("/api/me", &cookie).await;
    assert!(me.expect("signed in").one_time_password_until.is_some(), "the page learns it must be changed");
    let refused = app.get_as("/api/staff/agency", &cookie).await;
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(refused.json::<Value>().await.expect("json")["error"], "password_change_required");
    let own = "mật khẩu riêng của cán bộ 2026";
    let change = app.post_json("/api/change_password", &cookie, &json!({ "current": one_time, "new": own })).await;
    assert_eq!(change.status().as_u16(), 200);
    assert_eq!(app.get_as("/api/staff/agency", &cookie).await.status().as_u16(), 200, "now it may work");
    assert_eq!(app.login("xuly.datlai", &one_time).await.status().as_u16(), 401, "the one-time password is spent");

    let log = app.store().await.catalogue_changes(None, 10).await.expect("log");
    let logged = log.iter().find(|c| c.entity == Entity::Account && c.key == "xuly.datlai").expect("logged");
    assert!(logged.after.as_deref().is_some_and(|after| after.contains("one_time_password_until\":\"")), "{logged:?}");
    assert!(!logged.after.as_deref().unwrap_or_default().contains(&one_time), "never the password itself");
}

#[tokio::test]
async fn only_an_administrator_resets_staff_passwords_and_refusals_come_before_the_account_is_looked_up() {
    let app = spawn_app().await;
    let admin_id = app.create_account("quantri.chinh", ActorRole::Admin, None).await;
    let admin = app.sign_in("quantri.chinh").await;
    let staff_id = app.create_account("dieuphoi.giu", ActorRole::Coordinator, None).await;
    let citizen_id = app.create_account("dan.binhthuong", ActorRole::Citizen, None).await;
    let citizen = app.sign_in("dan.binhthuong").await;
    let coordinator = app.sign_in("dieuphoi.giu").await;
    let reset = |cookie: String, id: i64| {
        let app = &app;
        async move { app.post_json("/api/admin/reset_password", &cookie, &json!({ "id": id })).await.status().as_u16() }
    };
    for id in [staff_id, 999_999] {
        assert_eq!(reset(String::new(), id).await, 401, "anonymous, account {id}");
        assert_eq!(reset(citizen.clone(), id).await, 403, "a citizen, account {id}");
        assert_eq!(reset(coordinator.clone(), id).await, 403, "a coordinator, account {id}");
    }
    assert_eq!(app.login("dieuphoi.giu", PASSWORD).await.status().as_u16(), 200, "nothing was reset");
    assert_eq!(reset(admin.clone(), 999_999).await, 404);
    assert_eq!(reset(admin.clone(), citizen_id).await, 404, "citizens recover by e-mail, not here");
    assert_eq!(reset(admin.clone(), admin_id).await, 403, "an administrator changes their own on the account page");
    let me: Option<Account> = app.get_ok("/api/me", &admin).await;
    assert!(me.is_some(), "and stays signed in");
    assert!(session_cookie(&app.login("dan.binhthuong", PASSWORD).await).is_some(), "the citizen keeps theirs");
}
