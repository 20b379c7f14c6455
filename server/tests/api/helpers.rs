//! Spawning the application on port 0 with a database of its own, and typed request helpers.

use hientruong::demo::DemoDataset;
use hientruong::storage::sqlite::SqliteStore;
use hientruong::{Application, Settings};
use serde_json::{json, Value};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

/// Starts the app on a free port with a fresh SQLite database and no demo data.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temporary folder");
    let database_url = format!("sqlite://{}/api.db", dir.path().display());
    let settings = Settings {
        database_url: database_url.clone(),
        site_addr: "127.0.0.1:0".parse().expect("address"),
        site_root: "target/site".into(),
        tile_url: "http://127.0.0.1:9/{z}/{x}/{y}.png".into(),
        demo: DemoDataset::Off,
        rating_window_days: 7,
    };
    let application = Application::build(settings).await.expect("application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    TestApp { address, client: reqwest::Client::new(), database_url, _dir: dir }
}

/// A report every rule accepts, inside the pilot area, with a contact.
pub fn valid_report(key: &str) -> Value {
    json!({
        "submission_key": key,
        "category": "environment",
        "title": "Rác thải đổ trộm ven sông",
        "description": "Một đống rác lớn bị đổ trộm bên bờ sông Nhật Lệ, bốc mùi hôi.",
        "lat": 17.4689,
        "lon": 106.6222,
        "reporter_name": "Trần Văn Bình",
        "reporter_phone": "0905 111 222",
        "reporter_email": "binh@example.vn"
    })
}

impl TestApp {
    pub async fn submit(&self, report: &Value) -> reqwest::Response {
        self.submit_with_cookie(report, "").await
    }

    pub async fn submit_with_cookie(&self, report: &Value, cookie: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/submit_case", self.address))
            .header("cookie", cookie)
            .json(&json!({ "input": report }))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request sent")
    }

    /// The database as a second client sees it, to check what was stored.
    pub async fn store(&self) -> SqliteStore {
        SqliteStore::open(&self.database_url).await.expect("open the app's database")
    }
}
