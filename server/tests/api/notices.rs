//! E-mail notices: a public step of a case reaches the reporter through the SMTP relay, once.

use crate::relay::{delivered, failing_relay, fake_relay};
use domain::case::ActorRole;
use domain::workflow::{Actor, Change};
use hientruong::storage::sqlite::SqliteStore;
use hientruong::{Application, Settings};
use services::store::Store;
use std::time::Duration;

/// Settings of a server on `database_url` that mails notices through the relay on `port`, looking for work every 100 ms.
fn mailing(database_url: &str, port: u16) -> Settings {
    Settings {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}").into()),
        mail_from: "Phản ánh hiện trường <no-reply@example.vn>".into(),
        public_url: "https://phananh.example.vn".into(),
        job_interval: Duration::from_millis(100),
        ..Settings::local(database_url)
    }
}

/// Files the sample report through the form's server function at `address`; answers its case number.
async fn file_report(address: &str, key: &str) -> i64 {
    let report = crate::helpers::valid_report(key);
    let response = crate::helpers::same_site_client(address)
        .post(format!("{address}/api/submit_case"))
        .json(&serde_json::json!({ "input": report }))
        .send()
        .await
        .expect("sent");
    response.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id")
}

#[tokio::test]
async fn a_public_step_mails_the_reporter_once_and_internal_steps_do_not() {
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("hientruong=debug,warn").try_init();
    let (port, inbox) = fake_relay().await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let database_url = format!("sqlite://{}/notices.db", dir.path().display());
    let application = Application::build(mailing(&database_url, port)).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    // Let the notice job take its starting point before anything happens.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let id = file_report(&address, "key-notice-mail-1").await;

    let store = SqliteStore::open(&database_url).await.expect("open");
    let now = chrono::Utc::now();
    let coordinator = Actor::new(ActorRole::Coordinator);
    let internal = Change::NoteAdded { text: "Ghi chú nội bộ không gửi đi".into(), public: false };
    services::changes::apply_change(&store, id, 1, &coordinator, internal, now).await.expect("note");
    let accept = Change::Accepted { agency: "urenco".into(), deadline: now + chrono::Duration::days(7) };
    services::changes::apply_change(&store, id, 2, &coordinator, accept, now).await.expect("accept");

    let mut delivered = Vec::new();
    for _ in 0..100 {
        delivered = inbox.lock().map(|i| i.clone()).unwrap_or_default();
        if !delivered.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Give a second round of the job the chance to send a duplicate, which it must not.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let delivered = inbox.lock().map(|i| i.clone()).unwrap_or(delivered);
    assert_eq!(delivered.len(), 1, "one notice for one public step: {delivered:?}");
    assert_eq!(delivered[0].recipients, vec!["binh@example.vn".to_string()]);
    let data = &delivered[0].data;
    assert!(data.contains(&format!("https://phananh.example.vn/cases/{id}")), "{data}");
    assert!(!data.contains("Ghi chú nội bộ"), "internal notes never leave");
    assert_eq!(store.case_events(id).await.expect("events").len(), 3);
}

#[tokio::test]
async fn notices_of_a_downtime_a_late_commit_and_a_refused_first_send_each_arrive_once() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let database_url = format!("sqlite://{}/notices.db", dir.path().display());
    // A server without a relay takes the report: nothing is mailed while no notice job runs.
    let quiet = Application::build(Settings::local(&database_url)).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", quiet.port());
    tokio::spawn(quiet.run());
    let id = file_report(&address, "key-notice-down-1").await;
    let store = SqliteStore::open(&database_url).await.expect("open");
    let now = chrono::Utc::now();
    let coordinator = Actor::new(ActorRole::Coordinator);
    let accept = Change::Accepted { agency: "urenco".into(), deadline: now + chrono::Duration::days(7) };
    services::changes::apply_change(&store, id, 1, &coordinator, accept, now).await.expect("accept");

    // Then a server with a relay starts; the relay refuses the first message.
    let (port, inbox) = failing_relay(1).await;
    let mailer = Application::build(mailing(&database_url, port)).await.expect("app builds");
    tokio::spawn(mailer.run());
    let first = delivered(&inbox, 1).await;
    assert_eq!(first.len(), 1, "the acceptance of the downtime, once, after one refusal: {first:?}");
    assert!(first[0].data.contains("urenco") || first[0].data.contains(&format!("/cases/{id}")), "{}", first[0].data);

    // A step stamped before the last one mailed, as a transaction that committed late would be.
    let officer =
        Actor { role: ActorRole::Officer, account_id: None, agency: Some("urenco".into()), agency_head: false };
    services::changes::apply_change(&store, id, 2, &officer, Change::Acknowledged, now).await.expect("acknowledge");
    let result =
        Change::ResultSubmitted { summary: "Đã dọn sạch bãi rác ven sông.".into(), photos: Vec::new() };
    services::changes::apply_change(&store, id, 3, &officer, result, now).await.expect("result");
    let earlier = now - chrono::Duration::minutes(5);
    services::changes::apply_change(&store, id, 4, &coordinator, Change::ResultApproved { published: None }, earlier)
        .await
        .expect("approve");
    let all = delivered(&inbox, 2).await;
    assert_eq!(all.len(), 2, "the late step too, and nothing twice: {all:?}");
    assert!(all.iter().all(|m| m.recipients == vec!["binh@example.vn".to_string()]));
}
