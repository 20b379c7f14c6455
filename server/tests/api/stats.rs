//! The pilot's published figures, recomputed from its events through `/api/v1/stats`, and the exports.

use crate::helpers::{spawn_app_with, TestApp};
use app::cases::ChangeRequest;
use domain::case::CaseStatus;
use hientruong::demo::{DemoDataset, DEMO_PASSWORD};
use hientruong::storage::sqlite::SqliteStore;
use serde_json::Value;
use services::store::{CaseQuery, Store};

const PILOT_PERIOD: &str = "/api/v1/stats?from=2022-11-01&to=2023-06-30";

async fn stats(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.expect("statistics are JSON")
}

async fn demo_sign_in(app: &TestApp, username: &str) -> String {
    let response = app.login(username, DEMO_PASSWORD).await;
    assert_eq!(response.status().as_u16(), 200, "{username} signs in");
    crate::helpers::session_cookie(&response).expect("session cookie")
}

/// Waits until the figure `field` at `path` differs from `before`'s: the index follows changes
/// within a second. Waiting on the one figure expected to move, not on any, so that a step taken
/// on the way (a result submitted before it is approved) is not taken for the end.
async fn changed_stats(app: &TestApp, path: &str, before: &Value, field: &str) -> Value {
    for _ in 0..40 {
        let now = stats(app, path).await;
        if now[field] != before[field] {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the statistics did not change within four seconds");
}

#[tokio::test]
async fn the_pilot_reproduces_its_published_figures_and_they_follow_new_events() {
    let app = spawn_app_with(DemoDataset::Pilot).await;
    let figures = stats(&app, PILOT_PERIOD).await;
    assert_eq!(figures["received"], 306);
    assert_eq!(figures["accepted"], 210);
    assert_eq!(figures["rejected"], 96);
    assert_eq!(figures["rejected_by_reason"]["out_of_area"], 10);
    assert_eq!(figures["agencies_participating"], 29);
    assert_eq!(figures["accounts_registered"], 876);
    assert_eq!(figures["handled"], 200);
    assert_eq!(figures["on_time"], 130);
    assert_eq!(figures["late"], 70);
    assert_eq!(figures["ratings"], serde_json::json!({"satisfied": 36, "acceptable": 7, "unsatisfied": 4}));
    assert!(figures["calls"]["inbound"].as_u64().expect("count") >= 230, "{}", figures["calls"]);
    assert!(figures["calls"]["outbound"].as_u64().expect("count") >= 315, "{}", figures["calls"]);
    let by_category = figures["by_category"].as_array().expect("rows");
    let leaders: Vec<&str> = by_category.iter().take(2).filter_map(|row| row["code"].as_str()).collect();
    assert_eq!(leaders, vec!["environment", "traffic"], "sanitation and traffic lead");
    let months: u64 = figures["by_month"].as_array().expect("rows").iter().filter_map(|m| m["received"].as_u64()).sum();
    assert_eq!(months, 306, "every report falls in one month");
    let agencies = figures["by_agency"].as_array().expect("rows");
    assert_eq!(agencies.len(), 29);
    let handled: u64 = agencies.iter().filter_map(|a| a["handled"].as_u64()).sum();
    assert_eq!(handled, 200);

    // A case still being handled gets its (late) result approved: the figures move.
    let store = SqliteStore::open(&app.database_url).await.expect("open");
    let open = store.list_cases(&CaseQuery::InStatus(vec![CaseStatus::InProgress]), 1).await.expect("list");
    let case = open.first().expect("the pilot leaves cases in progress");
    let agency = case.facts.lead_agency.clone().expect("routed");
    let officer = demo_sign_in(&app, &format!("xuly.{agency}")).await;
    let summary = ChangeRequest::SubmitResult { summary: "Đã sửa xong.".into(), photos: Vec::new() };
    let facts = app.change_ok(&officer, case.id, case.facts.version, &summary).await;
    let coordinator = demo_sign_in(&app, "dieuphoi").await;
    app.change_ok(&coordinator, case.id, facts.version, &ChangeRequest::ApproveResult { published: String::new() })
        .await;
    let after = changed_stats(&app, PILOT_PERIOD, &figures, "handled").await;
    assert_eq!(after["handled"], 201);
    assert_eq!(after["late"], 71, "its deadline passed long ago");
    assert_eq!(after["on_time"], 130);
}

#[tokio::test]
async fn the_pilot_exports_as_csv_and_geojson_with_public_fields_only() {
    let app = spawn_app_with(DemoDataset::Pilot).await;
    let response = app.get("/api/v1/cases.csv").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/csv"));
    let link = response.headers()["link"].to_str().expect("ascii").to_string();
    assert!(link.contains("<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\""), "{link}");
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()), "a byte-order mark for spreadsheets");
    let text = std::str::from_utf8(&bytes).expect("UTF-8");
    let rows = parse_csv(text.trim_start_matches('\u{FEFF}'));
    let header = &rows[0];
    assert_eq!(rows.len(), 1 + 306, "a header and one row per pilot case, each counted");
    // A form's empty "any" filter is no filter: the whole province, as the statistics page links it.
    let blank = app.get("/api/v1/cases.csv?area=&agency=&status=").await;
    assert_eq!(blank.status().as_u16(), 200);
    assert_eq!(blank.text().await.expect("body"), text, "empty filters export everything");
    for personal in ["reporter_name", "reporter_phone", "reporter_email", "phone", "email", "name"] {
        assert!(!header.iter().any(|h| h == personal), "no {personal} column");
    }
    assert!(!text.contains("Người gọi đường dây nóng"), "no caller's name");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("a {name} column"));
    let (title, published, status) = (column("title"), column("published"), column("status"));
    assert!(rows[1..].iter().all(|row| row.len() == header.len()), "every row has every column");
    assert!(rows[1..].iter().any(|row| row[title].contains("Ổ gà")), "Vietnamese text survives");
    // The 4 rejected as inappropriate are counted, but their text stays private.
    let hidden: Vec<&Vec<String>> = rows[1..].iter().filter(|row| row[published] == "false").collect();
    assert_eq!(hidden.len(), 4);
    assert!(hidden.iter().all(|row| row[status] == "rejected" && row[column("rejection_reason")] == "inappropriate"));
    assert!(!text.contains("Nội dung phản ánh không phù hợp"), "no rejection's explanation");
    let (_, checked) = app.csv_export("/api/v1/cases.csv", "").await;
    assert_eq!(checked.len(), 306, "a CSV parser reads the same rows, the hidden ones empty but for their counts");

    let rejected = app.geojson_export("/api/v1/cases.geojson?status=rejected", "").await;
    let features = rejected["features"].as_array().expect("features");
    assert_eq!(features.len(), 96, "the pilot's 96 rejections");
    assert!(features.iter().all(|f| f["properties"]["status"] == "rejected"));
    let placed = features.iter().filter(|f| f["geometry"]["type"] == "Point").count();
    assert_eq!(placed, 92, "all but the 4 inappropriate ones on the map");
    let all = app.geojson_export("/api/v1/cases.geojson", "").await;
    assert_eq!(all["features"].as_array().map(Vec::len), Some(306));
    assert_eq!(all["license"]["id"], "CC-BY-4.0");
    let rejected_rows = rows[1..].iter().filter(|row| row[status] == "rejected" && row[published] == "true").count();
    assert_eq!(rejected_rows, 92, "the CSV publishes the same rejections");
    let keys: Vec<&String> = all["features"][0]["properties"].as_object().expect("properties").keys().collect();
    assert!(!keys.iter().any(|k| k.contains("phone") || k.contains("email") || k.contains("reporter")), "{keys:?}");
}

#[tokio::test]
async fn bad_periods_and_filters_are_refused_by_name() {
    let app = spawn_app_with(DemoDataset::Off).await;
    let refused = |path: &'static str| {
        let app = &app;
        async move {
            let response = app
                .client
                .get(format!("{}{path}", app.address))
                .header("accept-language", "vi")
                .send()
                .await
                .expect("request sent");
            assert_eq!(response.status().as_u16(), 422, "{path}");
            let body: Value = response.json().await.expect("JSON error");
            body["errors"]
                .as_array()
                .expect("a list")
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_string(),
                        e["message"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let errors = refused("/api/v1/stats?from=2023-02-30&to=2023-06-30").await;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "from");
    assert!(errors[0].1.starts_with("Từ ngày"), "{}", errors[0].1);
    let errors = refused("/api/v1/stats?from=2023-06-30&to=2023-01-01").await;
    assert_eq!(errors.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), vec!["to"]);
    let errors = refused("/api/v1/stats?to=2023-01-01").await;
    assert_eq!(errors.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), vec!["from"]);
    let errors = refused("/api/v1/stats?from=2023-01-01&to=2023-02-01&area=atlantis").await;
    assert_eq!(errors.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), vec!["area"]);
    let errors = refused("/api/v1/cases.csv?status=lost&category=weather&from=yesterday").await;
    let fields: Vec<&str> = errors.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(fields, vec!["status", "category", "from"]);
}

/// RFC 4180 CSV: quoted fields may hold commas, quotes and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
