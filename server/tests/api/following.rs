//! Following a case and alerts for a place: who may ask, what is refused and why, and the mail and notices a screened case brings, once.

use crate::helpers::{invalid_fields, spawn_app, spawn_app_configured, valid_report, TestApp};
use crate::relay::{delivered, fake_relay};
use domain::case::ActorRole;
use domain::workflow::{Actor, Change, ChangeKind};
use serde_json::{json, Value};
use services::store::Store;
use std::time::Duration;

/// The area a report filed with the sample's pin lies in, as intake found it.
async fn area_of(app: &TestApp, id: i64) -> String {
    let digests = app.store().await.case_digests(id - 1, 1).await.expect("digest");
    digests[0].area.clone().expect("the sample pin lies in a served area")
}

async fn accept(app: &TestApp, id: i64) {
    let now = chrono::Utc::now();
    let accept = Change::Accepted { agency: "urenco".into(), deadline: now + chrono::Duration::days(7) };
    let store = app.store().await;
    let version = store.case_events(id).await.expect("events").len() as u32;
    services::changes::apply_change(&store, id, version, &Actor::new(ActorRole::Coordinator), accept, now)
        .await
        .expect("accept");
}

/// Gives the account a verified address, as opening the link mailed to it does.
async fn verify(app: &TestApp, account_id: i64, address: &str) {
    use domain::profile::{ProfileEdit, ProfileInput};
    use services::account_links::{LinkPurpose, NewLink};
    let store = app.store().await;
    let input = ProfileInput { display_name: "Người theo dõi".into(), email: address.into(), phone: String::new() };
    store.update_profile(account_id, &ProfileEdit::parse(&input).expect("valid")).await.expect("saved");
    let email = domain::contact::Email::parse(address).expect("address");
    let now = chrono::Utc::now();
    let purpose = LinkPurpose::VerifyEmail;
    let link = NewLink {
        account_id,
        purpose,
        token_hash: "verify-following",
        email: &email,
        issued_at: now,
        expires_at: now + purpose.lifetime(),
    };
    store.issue_account_link(&link, now).await.expect("issued");
    store.verify_email_with_link("verify-following", now).await.expect("verified");
}

#[tokio::test]
async fn following_and_alerts_ask_for_a_session_first_and_name_each_refused_field() {
    let app = spawn_app().await;
    let alert = json!({ "input": { "area": "", "drawn": "", "categories": [], "frequency": "at_once" } });
    for (path, body) in
        [("/api/follow", json!({ "case_id": 1, "follow": true })), ("/api/my/alerts/add", alert.clone())]
    {
        assert_eq!(app.post_json(path, "", &body).await.status().as_u16(), 401, "{path} asks for a session");
    }
    assert_eq!(app.get("/api/my/alerts").await.status().as_u16(), 401);

    let citizen = app.signed_in("dan.theodoi", ActorRole::Citizen, None).await;
    // A report waiting for screening cannot be followed: it is not public.
    let (id, _) = app.submit_anonymously(&valid_report("key-follow-hidden")).await;
    let response = app.post_json("/api/follow", &citizen, &json!({ "case_id": id, "follow": true })).await;
    assert_eq!(response.status().as_u16(), 404);

    let refused = |input: Value| {
        let (app, citizen) = (&app, &citizen);
        async move {
            let response = app.post_json("/api/my/alerts/add", citizen, &json!({ "input": input })).await;
            assert_eq!(response.status().as_u16(), 422, "{input}");
            invalid_fields(&response.json::<Value>().await.expect("json"))
        }
    };
    assert_eq!(
        refused(json!({"area": "", "drawn": "", "categories": [], "frequency": "weekly"})).await,
        ["area", "frequency"]
    );
    assert_eq!(
        refused(json!({"area": "nowhere", "drawn": "", "categories": [], "frequency": "daily"})).await,
        ["area"]
    );
    let area = area_of(&app, id).await;
    assert_eq!(
        refused(json!({"area": area, "drawn": "", "categories": ["no-such"], "frequency": "daily"})).await,
        ["category"]
    );
    assert_eq!(
        refused(json!({"area": "", "drawn": "105,17,106.7,17.6", "categories": [], "frequency": "daily"})).await,
        ["area"],
        "a drawn place wider than a town"
    );
    let too_large = app
        .post_json(
            "/api/my/alerts/add",
            &citizen,
            &json!({"input": {"area": "", "drawn": "105,17,106.7,17.6", "categories": [], "frequency": "daily"}}),
        )
        .await
        .text()
        .await
        .expect("text");
    assert!(too_large.contains("quá rộng"), "told in Vietnamese why: {too_large}");

    let good = json!({"input": {"area": area, "drawn": "", "categories": [], "frequency": "daily"}});
    for _ in 0..domain::alerts::MAX_ALERTS_PER_ACCOUNT {
        assert_eq!(app.post_json("/api/my/alerts/add", &citizen, &good).await.status().as_u16(), 200);
    }
    let over = app.post_json("/api/my/alerts/add", &citizen, &good).await;
    assert_eq!(over.status().as_u16(), 422, "one alert over the allowance");
    assert_eq!(invalid_fields(&over.json::<Value>().await.expect("json")), ["area"]);

    // Someone else's alert cannot be deleted; one's own can.
    let listed: Value = app.get_as("/api/my/alerts", &citizen).await.json().await.expect("json");
    let first = listed["alerts"][0]["id"].as_i64().expect("an alert id");
    let other = app.signed_in("dan.khac", ActorRole::Citizen, None).await;
    assert_eq!(app.post_json("/api/my/alerts/delete", &other, &json!({ "id": first })).await.status().as_u16(), 404);
    assert_eq!(app.post_json("/api/my/alerts/delete", &citizen, &json!({ "id": first })).await.status().as_u16(), 200);
}

#[tokio::test]
async fn a_screened_case_mails_its_reporter_its_follower_and_the_alert_watching_it_once_each() {
    let (port, inbox) = fake_relay().await;
    let app = spawn_app_configured(|settings| {
        settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
        settings.job_interval = Duration::from_millis(100);
    })
    .await;
    let follower_id = app.create_account("dan.theodoi", ActorRole::Citizen, None).await;
    verify(&app, follower_id, "theodoi@example.vn").await;
    let follower = app.sign_in("dan.theodoi").await;
    let (probe, _) = app.submit_anonymously(&valid_report("key-follow-probe")).await;
    let area = area_of(&app, probe).await;
    let alert = json!({"input": {"area": area, "drawn": "", "categories": ["environment"], "frequency": "at_once"}});
    assert_eq!(app.post_json("/api/my/alerts/add", &follower, &alert).await.status().as_u16(), 200);

    let (id, _) = app.submit_anonymously(&valid_report("key-follow-mail")).await;
    accept(&app, id).await;
    let response = app.post_json("/api/follow", &follower, &json!({ "case_id": id, "follow": true })).await;
    assert_eq!(response.status().as_u16(), 200);
    let state: Value =
        app.get_as(&format!("/api/follow/state?case_id={id}"), &follower).await.json().await.expect("json");
    assert_eq!(state, json!({ "signed_in": true, "following": true }));

    // The officer takes it up and reports; the coordinator approves: one public step the follower is told of.
    let store = app.store().await;
    let officer =
        Actor { role: ActorRole::Officer, account_id: None, agency: Some("urenco".into()), agency_head: false };
    let now = chrono::Utc::now();
    services::changes::apply_change(&store, id, 2, &officer, Change::Acknowledged, now).await.expect("acknowledge");
    let result = Change::ResultSubmitted { summary: "Đã dọn sạch.".into(), photos: Vec::new() };
    services::changes::apply_change(&store, id, 3, &officer, result, now).await.expect("result");
    let coordinator = Actor::new(ActorRole::Coordinator);
    services::changes::apply_change(&store, id, 4, &coordinator, Change::ResultApproved { published: None }, now)
        .await
        .expect("approve");

    // The reporter: accepted and resolved; the follower: the alert and the resolution.
    let mail = delivered(&inbox, 4).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mail = inbox.lock().map(|i| i.clone()).unwrap_or(mail);
    let to = |address: &str| mail.iter().filter(|m| m.recipients == vec![address.to_string()]).collect::<Vec<_>>();
    assert_eq!(to("binh@example.vn").len(), 2, "{mail:?}");
    let followed = to("theodoi@example.vn");
    assert_eq!(followed.len(), 2, "nothing twice: {mail:?}");
    assert!(followed.iter().any(|m| m.body().contains("Phản ánh mới") && m.body().contains(&format!("/cases/{id}"))));
    assert!(followed.iter().all(|m| !m.body().contains(&format!("/cases/{probe}"))), "the probe was never screened");
    assert_eq!(mail.len(), 4);

    let notices: Vec<domain::alerts::Notice> = app.get_ok("/api/my/notices", &follower).await;
    let kinds: Vec<ChangeKind> = notices.iter().filter(|n| n.case_id == id).map(|n| n.kind).collect();
    assert!(kinds.contains(&ChangeKind::Accepted) && kinds.contains(&ChangeKind::ResultApproved), "{notices:?}");
    assert!(notices.iter().all(|n| n.unread), "unread on the first reading");
    let again: Vec<domain::alerts::Notice> = app.get_ok("/api/my/notices", &follower).await;
    assert!(again.iter().all(|n| !n.unread), "read once opened");
}
