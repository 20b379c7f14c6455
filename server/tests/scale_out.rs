//! Two stateless servers on one PostgreSQL database: no lost update, no duplicate case, one truth.

#[path = "support/postgres.rs"]
mod temporary;

use app::auth::hash_password;
use domain::account::{NewAccount, Username};
use domain::case::ActorRole;
use domain::contact::PersonName;
use hientruong::storage::postgres::PgStore;
use hientruong::{Application, Settings};
use serde_json::{json, Value};
use services::store::Store;
use temporary::TemporaryDatabase;

async fn start_server(database_url: &str) -> String {
    let settings = Settings::local(database_url);
    let application = Application::build(settings).await.expect("server starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    address
}

fn report(key: &str, n: usize) -> Value {
    json!({"input": {
        "submission_key": key,
        "category": "environment",
        "title": format!("Rác thải số {n} ven đường"),
        "description": "Rác thải sinh hoạt bị đổ thành đống bên lề đường, bốc mùi hôi.",
        "lat": 17.46 + n as f64 * 0.001,
        "lon": 106.61,
    }})
}

async fn sign_in(client: &reqwest::Client, server: &str, username: &str) -> String {
    let response = client
        .post(format!("{server}/api/login"))
        .header("origin", server)
        .json(&json!({"username": username, "password": "mật khẩu điều phối viên"}))
        .send()
        .await
        .expect("login");
    assert_eq!(response.status().as_u16(), 200);
    let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
    cookie.split(';').next().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_agree_and_never_duplicate_or_lose_a_change() {
    let Some(database) = TemporaryDatabase::create().await else { return };
    let (a, b) = (start_server(&database.url).await, start_server(&database.url).await);
    let store = PgStore::open(&database.url, 2).await.expect("open");
    for username in ["dieuphoi.a", "dieuphoi.b"] {
        let account = NewAccount {
            username: Username::parse(username).expect("username"),
            display_name: PersonName::parse("Cán bộ điều phối").expect("name"),
            role: ActorRole::Coordinator,
            agency: None,
            password_hash: hash_password("mật khẩu điều phối viên").expect("hash"),
        };
        store.create_account(&account, chrono::Utc::now()).await.expect("account");
    }
    let client = reqwest::Client::new();

    // Every report is sent to both servers at once, as a retry that lands on the other server would be.
    const REPORTS: usize = 20;
    let mut ids = Vec::new();
    for n in 0..REPORTS {
        let body = report(&format!("scale-out-key-{n:04}"), n);
        let (first, second) = tokio::join!(
            client.post(format!("{a}/api/submit_case")).header("origin", &a).json(&body).send(),
            client.post(format!("{b}/api/submit_case")).header("origin", &b).json(&body).send(),
        );
        let first: Value = first.expect("sent").json().await.expect("json");
        let second: Value = second.expect("sent").json().await.expect("json");
        assert_eq!(first["id"], second["id"], "one case per submission key, whichever server answers");
        assert_eq!(
            [&first["newly_created"], &second["newly_created"]].iter().filter(|v| **v == &json!(true)).count(),
            1,
            "exactly one of the two created it"
        );
        ids.push(first["id"].as_i64().expect("id"));
    }
    assert_eq!(store.count_cases().await.expect("count"), REPORTS as u64);

    // A session opened on one server works on the other: sessions live in the database.
    let (coordinator_a, coordinator_b) =
        (sign_in(&client, &a, "dieuphoi.a").await, sign_in(&client, &b, "dieuphoi.b").await);
    let me: Value = client
        .get(format!("{b}/api/me"))
        .header("cookie", &coordinator_a)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(me["username"], "dieuphoi.a");

    // Two coordinators route every case at the same moment through different servers.
    for id in &ids {
        let accept = |agency: &str| json!({"id": id, "version": 1, "request": {"action": "accept", "agency": agency}});
        let (first, second) = tokio::join!(
            client
                .post(format!("{a}/api/staff/change"))
                .header("origin", &a)
                .header("cookie", &coordinator_a)
                .json(&accept("urenco"))
                .send(),
            client
                .post(format!("{b}/api/staff/change"))
                .header("origin", &b)
                .header("cookie", &coordinator_b)
                .json(&accept("vnpt"))
                .send(),
        );
        let mut statuses = [first.expect("sent").status().as_u16(), second.expect("sent").status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "case {id}: one wins, the other gets a conflict");
        let events = store.case_events(*id).await.expect("events");
        assert_eq!(events.len(), 2, "case {id}: no lost and no doubled change");
    }

    // Both servers give the same answers afterwards.
    for id in &ids {
        let from_a: Value =
            client.get(format!("{a}/api/case?id={id}")).send().await.expect("sent").json().await.expect("json");
        let from_b: Value =
            client.get(format!("{b}/api/case?id={id}")).send().await.expect("sent").json().await.expect("json");
        assert_eq!(from_a, from_b);
        assert_eq!(from_a["status"], "assigned");
    }
    let list = |server: &str| client.get(format!("{server}/open311/v2/requests.json")).send();
    let list_a: Value = list(a.as_str()).await.expect("sent").json().await.expect("json");
    let list_b: Value = list(b.as_str()).await.expect("sent").json().await.expect("json");
    assert_eq!(list_a, list_b);
    assert_eq!(list_a.as_array().map(Vec::len), Some(ids.len()), "every accepted case is listed");
    store.close().await;
}
