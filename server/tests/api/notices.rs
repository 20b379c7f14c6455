//! E-mail notices: a public step of a case reaches the reporter through the SMTP relay, once.

use domain::case::ActorRole;
use domain::workflow::{Actor, Change};
use hientruong::storage::sqlite::SqliteStore;
use hientruong::{Application, Settings};
use services::store::Store;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the relay received it.
#[derive(Debug, Clone, Default)]
struct Received {
    recipients: Vec<String>,
    data: String,
}

/// A minimal SMTP relay on a free local port that keeps what it is sent.
async fn fake_relay() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
    let port = listener.local_addr().expect("address").port();
    let inbox: Arc<Mutex<Vec<Received>>> = Arc::default();
    let shared = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let inbox = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let mut current = Received::default();
                let _ = write.write_all(b"220 relay ready\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-relay\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        current.recipients.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go on\r\n").await;
                        while let Ok(Some(data)) = lines.next_line().await {
                            if data == "." {
                                break;
                            }
                            current.data.push_str(&data);
                            current.data.push('\n');
                        }
                        if let Ok(mut inbox) = inbox.lock() {
                            inbox.push(std::mem::take(&mut current));
                        }
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, inbox)
}

#[tokio::test]
async fn a_public_step_mails_the_reporter_once_and_internal_steps_do_not() {
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("hientruong=debug,warn").try_init();
    let (port, inbox) = fake_relay().await;
    let dir = tempfile::tempdir().expect("temporary folder");
    let database_url = format!("sqlite://{}/notices.db", dir.path().display());
    let settings = Settings {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}").into()),
        mail_from: "Phản ánh hiện trường <no-reply@example.vn>".into(),
        public_url: "https://phananh.example.vn".into(),
        job_interval: Duration::from_millis(100),
        ..Settings::local(&database_url)
    };
    let application = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    // Let the notice job take its starting point before anything happens.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let report = crate::helpers::valid_report("key-notice-mail-1");
    let response = crate::helpers::same_site_client(&address)
        .post(format!("{address}/api/submit_case"))
        .json(&serde_json::json!({ "input": report }))
        .send()
        .await
        .expect("sent");
    let id = response.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");

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
