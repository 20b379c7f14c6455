//! Spawning the application on port 0 with a database of its own, and typed request helpers.

use app::auth::{hash_password, SESSION_COOKIE};
use app::cases::{ChangeRequest, Notice, QueueItem, QueuePage, StaffCase};
use app::hotline::VerificationItem;
use chrono::{DateTime, Utc};
use domain::account::{NewAccount, Username};
use domain::calls::{CallDirection, CallRecord};
use domain::case::{ActorRole, CaseEvent, PublicCase};
use domain::contact::PersonName;
use domain::deadline::{shipped_holidays, HolidayCalendar};
use domain::workflow::CaseFacts;
use hientruong::storage::sqlite::SqliteStore;
use hientruong::{Application, Settings};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use services::store::Store;
use std::sync::OnceLock;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    /// Where this app stores photos.
    pub media_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// Starts the app on a free port with a fresh SQLite database and no demo data.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(hientruong::demo::DemoDataset::Off).await
}

/// Starts the app on a free port with a fresh SQLite database holding `demo`.
pub async fn spawn_app_with(demo: hientruong::demo::DemoDataset) -> TestApp {
    spawn_app_configured(|settings| settings.demo = demo).await
}

/// Starts the app on a free port with a fresh SQLite database, no demo data, and `configure`'s settings.
pub async fn spawn_app_configured(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary folder");
    let database_url = format!("sqlite://{}/api.db", dir.path().display());
    let media_dir = dir.path().join("media");
    let mut settings = Settings {
        tile_url: "http://127.0.0.1:9/{z}/{x}/{y}.png".into(),
        media_dir: media_dir.clone(),
        ..Settings::local(&database_url)
    };
    configure(&mut settings);
    let application = Application::build(settings).await.expect("application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    tokio::spawn(application.run());
    let client = same_site_client(&address);
    TestApp { address, client, database_url, media_dir, _dir: dir }
}

/// A client that speaks as the site's own pages do: its requests carry the site's `Origin`.
pub fn same_site_client(address: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, address.parse().expect("an origin header"));
    // A request the server never answers fails its test with a clear error instead of stalling the run.
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

#[path = "../support/reports.rs"]
mod reports;
pub use reports::valid_report;

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

    /// Submits `report` anonymously; answers the case number and the private receipt token.
    pub async fn submit_anonymously(&self, report: &Value) -> (i64, String) {
        let response = self.submit(report).await;
        assert_eq!(response.status().as_u16(), 200, "submission accepted");
        let body: Value = response.json().await.expect("json");
        let receipt = body["receipt"].as_str().expect("an anonymous report gets a receipt").to_string();
        assert_eq!(receipt.len(), 64, "a receipt is 32 random bytes in hex");
        (body["id"].as_i64().expect("case id"), receipt)
    }

    /// The reporter's own view of a case through its receipt token, which must open it.
    pub async fn receipt_view(&self, receipt: &str) -> Value {
        let response = self.get(&format!("/api/receipt?token={receipt}")).await;
        assert_eq!(response.status().as_u16(), 200, "the receipt opens the case");
        response.json().await.expect("json")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request sent")
    }

    /// The database as a second client sees it, to check what was stored.
    pub async fn store(&self) -> SqliteStore {
        SqliteStore::open(&self.database_url).await.expect("open the app's database")
    }
}

/// The password of every account the tests create.
pub const PASSWORD: &str = "mật-khẩu-kiểm-thử-01";

/// One argon2 hash of [`PASSWORD`] for the whole test binary: hashing is deliberately slow.
pub fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD).expect("hash the test password")).clone()
}

/// The `name=value` part of a response's session cookie, to send back as a `cookie` header.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{SESSION_COOKIE}=")))
        .and_then(|value| value.split(';').next())
        .map(str::to_string)
}

/// The wire names of the fields an `invalid` error body refuses.
pub fn invalid_fields(body: &Value) -> Vec<String> {
    assert_eq!(body["error"], "invalid", "an invalid-input error: {body}");
    body["details"]
        .as_array()
        .expect("a list of field errors")
        .iter()
        .filter_map(|e| e["field"].as_str().map(str::to_string))
        .collect()
}

/// The deadline the server should give work started at `start` with `days` working days.
pub fn expected_deadline(start: DateTime<Utc>, days: u16) -> DateTime<Utc> {
    HolidayCalendar::new(shipped_holidays().into_iter().map(|h| h.date)).deadline(start, days)
}

impl TestApp {
    pub async fn post_json(&self, path: &str, cookie: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .header("cookie", cookie)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_as(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).header("cookie", cookie).send().await.expect("request sent")
    }

    /// Creates an account with [`PASSWORD`] straight in the store; answers its id.
    pub async fn create_account(&self, username: &str, role: ActorRole, agency: Option<&str>) -> i64 {
        let account = NewAccount {
            username: Username::parse(username).expect("valid username"),
            display_name: PersonName::parse(&format!("Người thử {username}")).expect("valid name"),
            role,
            agency: agency.map(str::to_string),
            password_hash: password_hash(),
        };
        self.store().await.create_account(&account, Utc::now()).await.expect("account created")
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_json("/api/login", "", &json!({ "username": username, "password": password })).await
    }

    /// Signs in with [`PASSWORD`] and answers the session cookie.
    pub async fn sign_in(&self, username: &str) -> String {
        self.sign_in_with(username, PASSWORD).await
    }

    /// Signs in with `password` and answers the session cookie.
    pub async fn sign_in_with(&self, username: &str, password: &str) -> String {
        let response = self.login(username, password).await;
        assert_eq!(response.status().as_u16(), 200, "{username} signs in");
        session_cookie(&response).expect("login sets the session cookie")
    }

    /// Signs in an account an administrator created, with its one-time password, and sets the
    /// account's own password ([`PASSWORD`]) as it must before anything else; answers the session cookie.
    pub async fn sign_in_invited(&self, username: &str, one_time_password: &str) -> String {
        let cookie = self.sign_in_with(username, one_time_password).await;
        let change = json!({"current": one_time_password, "new": PASSWORD});
        let response = self.post_json("/api/change_password", &cookie, &change).await;
        assert_eq!(response.status().as_u16(), 200, "{username} sets its own password");
        cookie
    }

    /// Creates an account and signs it in; answers the session cookie.
    pub async fn signed_in(&self, username: &str, role: ActorRole, agency: Option<&str>) -> String {
        self.create_account(username, role, agency).await;
        self.sign_in(username).await
    }

    /// Submits a report with `cookie` and answers the new case's id.
    pub async fn submit_case_as(&self, report: &Value, cookie: &str) -> i64 {
        let response = self.submit_with_cookie(report, cookie).await;
        assert_eq!(response.status().as_u16(), 200, "submission accepted");
        let body: Value = response.json().await.expect("json");
        body["id"].as_i64().expect("case id")
    }

    /// `POST /api/staff/change`, answering the raw response.
    pub async fn change(&self, cookie: &str, id: i64, version: u32, request: &ChangeRequest) -> reqwest::Response {
        self.post_json("/api/staff/change", cookie, &json!({ "id": id, "version": version, "request": request })).await
    }

    /// A change that must succeed; answers the facts after it.
    pub async fn change_ok(&self, cookie: &str, id: i64, version: u32, request: &ChangeRequest) -> CaseFacts {
        let response = self.change(cookie, id, version, request).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        assert_eq!(status, 200, "{request:?} on case {id} at version {version}: {text}");
        serde_json::from_str(&text).expect("case facts")
    }

    /// A GET server function that must succeed, decoded as `T`.
    pub async fn get_ok<T: DeserializeOwned>(&self, path: &str, cookie: &str) -> T {
        let response = self.get_as(path, cookie).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        assert_eq!(status, 200, "GET {path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {path}: {e}: {text}"))
    }

    pub async fn staff_case(&self, cookie: &str, id: i64) -> StaffCase {
        self.get_ok(&format!("/api/staff/case?id={id}"), cookie).await
    }

    pub async fn screening_queue(&self, cookie: &str) -> Vec<QueueItem> {
        self.whole_queue("/api/staff/screening", cookie).await
    }

    pub async fn review_queue(&self, cookie: &str) -> Vec<QueueItem> {
        self.whole_queue("/api/staff/review", cookie).await
    }

    pub async fn agency_queue(&self, cookie: &str) -> Vec<QueueItem> {
        self.whole_queue("/api/staff/agency", cookie).await
    }

    /// One page of the staff queue at `path`: the first, or the one `after` names.
    pub async fn queue_page(&self, path: &str, cookie: &str, after: Option<domain::case::QueueCursor>) -> QueuePage {
        let path = match after {
            None => path.to_string(),
            Some(cursor) => match cursor.at {
                Some(at) => format!(
                    "{path}?after_at={}&after_id={}",
                    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                    cursor.id
                ),
                None => format!("{path}?after_id={}", cursor.id),
            },
        };
        self.get_ok(&path, cookie).await
    }

    /// Every item of the staff queue at `path`, following its pages to the last.
    pub async fn whole_queue(&self, path: &str, cookie: &str) -> Vec<QueueItem> {
        let mut items = Vec::new();
        let mut after = None;
        loop {
            let page = self.queue_page(path, cookie, after).await;
            items.extend(page.items);
            match page.next {
                Some(next) => after = Some(next),
                None => return items,
            }
        }
    }

    pub async fn my_reports(&self, cookie: &str) -> Vec<(PublicCase, CaseFacts)> {
        self.get_ok("/api/my/reports", cookie).await
    }

    pub async fn my_notices(&self, cookie: &str) -> Vec<Notice> {
        self.get_ok("/api/my/notices", cookie).await
    }

    /// The case as the public API answers it.
    pub async fn public_case(&self, id: i64) -> PublicCase {
        self.get_ok(&format!("/api/case?id={id}"), "").await
    }

    /// Case `id` through `/api/case` as the holder of `cookie` sees it, which must be allowed.
    pub async fn case_as(&self, cookie: &str, id: i64) -> PublicCase {
        self.get_ok(&format!("/api/case?id={id}"), cookie).await
    }

    /// Checks that every public surface answers case `id` as a missing one: its page, `/api/case`,
    /// Open311's request and list and the public clusters; the CSV and GeoJSON exports, which count
    /// every case, publish nothing of it but what it is counted by.
    pub async fn assert_hidden_from_the_public(&self, id: i64) {
        let missing = |path: String| async move {
            let response = self.get(&path).await;
            assert_eq!(response.status().as_u16(), 404, "{path} hides case {id}");
            response.text().await.expect("body")
        };
        // The page (whose nonces differ on every answer) says what a missing case's page says.
        let not_found = "<p class=\"not-found\">Không tìm thấy phản ánh này.";
        for page in [missing(format!("/cases/{id}")).await, missing("/cases/987654".into()).await] {
            assert!(page.contains(not_found), "a hidden case's page is a missing one's: {page}");
        }
        assert_eq!(missing(format!("/api/case?id={id}")).await, missing("/api/case?id=987654".into()).await);
        assert_eq!(
            missing(format!("/open311/v2/requests/{id}.json")).await,
            missing("/open311/v2/requests/987654.json".into()).await
        );
        let list: Value = self.get_ok(&format!("/open311/v2/requests.json?service_request_id={id}"), "").await;
        assert_eq!(list, json!([]), "the Open311 list leaves case {id} out");
        // The exports count the case by its status, category and area, and publish nothing else of it.
        let csv = self.get("/api/v1/cases.csv").await.text().await.expect("csv");
        assert!(!csv.contains(&format!("/cases/{id},")), "the CSV lists case {id}: {csv}");
        let (_, rows) = self.csv_export("/api/v1/cases.csv", "").await;
        let row = rows.iter().find(|row| row["id"] == id.to_string());
        assert!(row.is_none_or(|row| row["published"] == "false"), "the CSV publishes case {id}: {row:?}");
        let geojson = self.get("/api/v1/cases.geojson").await.text().await.expect("geojson");
        assert!(!geojson.contains(&format!("/cases/{id}\"")), "the GeoJSON lists case {id}: {geojson}");
        let feature = self.geojson_feature_of(id, "").await;
        assert!(feature.is_none_or(|f| f["properties"]["published"] == false), "the GeoJSON publishes case {id}");
        let clusters = self.get("/api/v1/clusters?bbox=106.55,17.40,106.65,17.50&zoom=17").await;
        assert_eq!(clusters.status().as_u16(), 200, "the clusters answer");
        let clusters = clusters.text().await.expect("clusters");
        assert!(!clusters.contains(&format!("\"id\":{id},")), "the clusters show case {id}: {clusters}");
    }

    /// The case's public page and its public API answer, as text.
    pub async fn public_texts(&self, id: i64) -> (String, String) {
        let page = self.get(&format!("/cases/{id}")).await;
        assert_eq!(page.status().as_u16(), 200, "public page of case {id}");
        let api = self.get(&format!("/api/case?id={id}")).await;
        assert_eq!(api.status().as_u16(), 200, "public API of case {id}");
        (page.text().await.expect("html"), api.text().await.expect("json"))
    }

    /// The case's events as stored.
    pub async fn events(&self, id: i64) -> Vec<CaseEvent> {
        self.store().await.case_events(id).await.expect("events")
    }
}

/// One row of the CSV export, by column name.
pub type ExportRow = std::collections::HashMap<String, String>;

impl TestApp {
    /// The CSV export at `path` as `cookie`'s holder downloads it, read by a CSV parser: its
    /// header and its rows by column name. Every row must have every column, and a row that is
    /// not published must carry nothing but what the statistics count it by.
    pub async fn csv_export(&self, path: &str, cookie: &str) -> (Vec<String>, Vec<ExportRow>) {
        let response = self.get_as(path, cookie).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let text = response.text().await.expect("body");
        let body = text.strip_prefix('\u{FEFF}').unwrap_or_else(|| panic!("{path} starts with a byte-order mark"));
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_string).collect();
        let rows: Vec<ExportRow> = reader
            .records()
            .map(|record| {
                let record = record.unwrap_or_else(|e| panic!("{path}: a well-formed row: {e}"));
                header.iter().cloned().zip(record.iter().map(str::to_string)).collect()
            })
            .collect();
        for row in &rows {
            assert_counted_only(row);
        }
        (header, rows)
    }

    /// The GeoJSON export at `path` as `cookie`'s holder downloads it; every feature that is not
    /// published must have no geometry and no property but those the statistics count it by.
    pub async fn geojson_export(&self, path: &str, cookie: &str) -> Value {
        let response = self.get_as(path, cookie).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let collection: Value = response.json().await.expect("GeoJSON parses");
        assert_eq!(collection["type"], "FeatureCollection");
        for feature in collection["features"].as_array().expect("features") {
            if feature["properties"]["published"] == true {
                continue;
            }
            assert_eq!(feature["properties"]["published"], false, "{feature}");
            assert_eq!(feature["geometry"], Value::Null, "an unpublished case has no place: {feature}");
            for column in domain::open_data::ExportColumn::ALL.iter().filter(|c| !c.counts_held_back_cases()) {
                if column.is_geojson_property() {
                    assert_eq!(feature["properties"][column.name()], Value::Null, "{}: {feature}", column.name());
                }
            }
        }
        collection
    }

    /// Case `id`'s feature in the whole GeoJSON export, if it has one.
    pub async fn geojson_feature_of(&self, id: i64, cookie: &str) -> Option<Value> {
        let collection = self.geojson_export("/api/v1/cases.geojson", cookie).await;
        collection["features"]
            .as_array()
            .and_then(|features| features.iter().find(|f| f["properties"]["id"] == id).cloned())
    }
}

/// A row of a case that is not published carries nothing but what the statistics count it by.
pub fn assert_counted_only(row: &ExportRow) {
    let published = row.get("published").map(String::as_str);
    assert!(matches!(published, Some("true" | "false")), "published is true or false: {row:?}");
    if published == Some("false") {
        for column in domain::open_data::ExportColumn::ALL.iter().filter(|c| !c.counts_held_back_cases()) {
            let value = row.get(column.name()).map(String::as_str);
            assert_eq!(
                value,
                Some(""),
                "case {:?} is not published, yet its {} is: {row:?}",
                row.get("id"),
                column.name()
            );
        }
    }
}

/// The caller of [`hotline_report`], as the operator types the number in.
pub const CALLER_PHONE: &str = "0912 345 678";
/// The same number as stored: national form, digits only.
pub const CALLER_PHONE_NATIONAL: &str = "0912345678";
pub const CALLER_NAME: &str = "Lê Thị Hoa";

/// A report an operator takes by phone: the caller's name and number, a pin, a category, a description, an address.
pub fn hotline_report(key: &str) -> Value {
    json!({
        "submission_key": key,
        "category": "environment",
        "title": "Cống thoát nước bị tắc bốc mùi",
        "description": "Người gọi cho biết cống trước nhà bị tắc ba ngày nay, nước thải tràn ra đường.",
        "lat": 17.4689,
        "lon": 106.6222,
        "reporter_name": CALLER_NAME,
        "reporter_phone": CALLER_PHONE,
        "reporter_email": "",
        "address": "Số 12 đường Trần Hưng Đạo, Đồng Hới"
    })
}

impl TestApp {
    /// `POST /api/hotline/report`, answering the raw response.
    pub async fn submit_hotline(&self, cookie: &str, input: &Value, duration_seconds: u32) -> reqwest::Response {
        self.post_json("/api/hotline/report", cookie, &json!({ "input": input, "duration_seconds": duration_seconds }))
            .await
    }

    /// A hotline report that must be stored as a new case; answers its id.
    pub async fn hotline_case(&self, cookie: &str, input: &Value) -> i64 {
        let response = self.submit_hotline(cookie, input, 95).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json");
        assert_eq!(status, 200, "hotline report accepted: {body}");
        assert_eq!(body["newly_created"], true, "a new case: {body}");
        body["id"].as_i64().expect("case id")
    }

    /// `POST /api/hotline/call`, answering the raw response.
    pub async fn log_call(&self, cookie: &str, direction: CallDirection, input: &Value) -> reqwest::Response {
        self.post_json("/api/hotline/call", cookie, &json!({ "direction": direction, "input": input })).await
    }

    /// A call that must be logged; answers its record.
    pub async fn log_call_ok(&self, cookie: &str, direction: CallDirection, input: &Value) -> CallRecord {
        let response = self.log_call(cookie, direction, input).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        assert_eq!(status, 200, "{direction:?} call {input}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("call record: {e}: {text}"))
    }

    /// `GET /api/hotline/calls`: the latest calls, or those about one case.
    pub async fn recent_calls(&self, cookie: &str, case_id: Option<i64>) -> Vec<CallRecord> {
        match case_id {
            Some(id) => self.get_ok(&format!("/api/hotline/calls?case_id={id}"), cookie).await,
            None => self.get_ok("/api/hotline/calls", cookie).await,
        }
    }

    pub async fn verification_queue(&self, cookie: &str) -> Vec<VerificationItem> {
        self.get_ok("/api/hotline/verification", cookie).await
    }

    /// `POST /api/my/claim`, answering the raw response.
    pub async fn claim(&self, cookie: &str, id: i64, code: &str) -> reqwest::Response {
        self.post_json("/api/my/claim", cookie, &json!({ "id": id, "code": code })).await
    }

    /// Files a hotline report as the operator `cookie`; answers the case number and the claim code
    /// shown once to the operator.
    pub async fn hotline_case_with_code(&self, cookie: &str, input: &Value) -> (i64, String) {
        let response = self.submit_hotline(cookie, input, 60).await;
        assert_eq!(response.status().as_u16(), 200, "the hotline report is taken");
        let body: Value = response.json().await.expect("json");
        let code = body["claim_code"].as_str().expect("a new hotline case comes with a claim code").to_string();
        assert!(code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()), "8 digits: {code}");
        (body["id"].as_i64().expect("case id"), code)
    }

    /// Every logged call as stored, newest first.
    pub async fn stored_calls(&self) -> Vec<CallRecord> {
        self.store().await.calls(None, 10_000).await.expect("calls")
    }
}

/// Whether case `id` is in `queue`.
pub fn lists(queue: &[QueueItem], id: i64) -> bool {
    queue.iter().any(|item| item.case.id == id)
}

/// One answer of the Open311 endpoint: its status, its content type and its body as text.
#[derive(Debug)]
pub struct Open311Answer {
    pub status: u16,
    pub content_type: String,
    pub text: String,
}

impl Open311Answer {
    async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string();
        // Strictly UTF-8: a lossy decoding would hide a wrongly encoded body.
        let bytes = response.bytes().await.expect("body");
        let text = String::from_utf8(bytes.to_vec()).unwrap_or_else(|e| panic!("a UTF-8 body ({status}): {e}"));
        Self { status, content_type, text }
    }
}

impl TestApp {
    /// Every case stored, whatever its state.
    pub async fn case_count(&self) -> u64 {
        self.store().await.count_cases().await.expect("count")
    }

    /// `POST /api/admin/issue_api_key` as the administrator `cookie`; answers the key, shown this once.
    pub async fn issue_api_key(&self, cookie: &str, name: &str) -> String {
        let response = self.post_json("/api/admin/issue_api_key", cookie, &json!({ "name": name })).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        assert_eq!(status, 200, "API key issued: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("the key as a JSON string: {e}: {text}"))
    }

    /// `GET /api/admin/api_keys` as the administrator `cookie`.
    pub async fn api_keys(&self, cookie: &str) -> Vec<domain::account::ApiKey> {
        self.get_ok("/api/admin/api_keys", cookie).await
    }

    /// `POST /api/admin/revoke_api_key` as the administrator `cookie`; must succeed.
    pub async fn revoke_api_key(&self, cookie: &str, id: i64) {
        let response = self.post_json("/api/admin/revoke_api_key", cookie, &json!({ "id": id })).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        assert_eq!(status, 200, "API key {id} revoked: {text}");
    }

    /// `GET /open311/v2/{path}.{format}` with `query` (encoded as a form would be).
    pub async fn open311_get(&self, path: &str, format: &str, query: &[(&str, &str)]) -> Open311Answer {
        let response = self
            .client
            .get(format!("{}/open311/v2/{path}.{format}", self.address))
            .query(query)
            .send()
            .await
            .expect("request sent");
        Open311Answer::read(response).await
    }

    /// `POST /open311/v2/requests.{format}` with `form` as `application/x-www-form-urlencoded`.
    pub async fn open311_post(&self, format: &str, form: &[(&str, &str)]) -> Open311Answer {
        let response = self
            .client
            .post(format!("{}/open311/v2/requests.{format}", self.address))
            .form(form)
            .send()
            .await
            .expect("request sent");
        Open311Answer::read(response).await
    }
}
