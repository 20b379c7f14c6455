//! The scorecards' JSON: an agency's equals its row in `/api/v1/stats`, an area's equals the
//! statistics of the area, for the pilot's period; unknown codes and bad periods are refused.

use crate::helpers::{spawn_app_with, TestApp};
use hientruong::demo::DemoDataset;
use serde_json::Value;
use services::store::Store;

const PERIOD: &str = "from=2022-11-01&to=2023-06-30";

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.expect("JSON")
}

fn sum_of(rows: &Value, field: &str) -> u64 {
    rows.as_array().expect("rows").iter().filter_map(|row| row[field].as_u64()).sum()
}

#[tokio::test]
async fn every_agency_scorecard_equals_its_row_and_an_area_scorecard_its_statistics() {
    let app = spawn_app_with(DemoDataset::Pilot).await;
    let stats = json(&app, &format!("/api/v1/stats?{PERIOD}")).await;
    let rows = stats["by_agency"].as_array().expect("rows");
    assert_eq!(rows.len(), 29);
    let minimum = stats["ranking_minimum"].as_u64().expect("a minimum");
    let mut ranked = 0;
    for row in rows {
        let code = row["code"].as_str().expect("a code");
        let card = json(&app, &format!("/api/v1/scorecards/agencies/{code}?{PERIOD}")).await;
        for field in ["received", "handled", "on_time", "late", "overdue_now", "ratings"] {
            assert_eq!(card[field], row[field], "{code}: {field}");
        }
        assert_eq!((&card["name"], &card["kind"]), (&row["name"], &"agency".into()), "{code}");
        assert_eq!(sum_of(&card["by_month"], "received"), row["received"].as_u64().expect("a count"), "{code}");
        assert_eq!(sum_of(&card["by_month"], "handled"), row["handled"].as_u64().expect("a count"), "{code}");
        assert_eq!(card["by_month"].as_array().map(Vec::len), Some(8), "November to June");
        let accepted = card["accepted"].as_u64().expect("a count");
        assert!(accepted <= card["received"].as_u64().expect("a count"), "{code}: taken up of received");
        assert!(accepted >= card["handled"].as_u64().expect("a count"), "{code}: every handled case was taken up");
        let handled = row["handled"].as_u64().expect("a count");
        // Every handled case has an approval time, so exactly the agencies with a handled case have a median.
        let median = card["median_working_days"].as_f64();
        assert_eq!(median.is_some(), handled > 0, "{code}: {}", card["median_working_days"]);
        assert!(median.is_none_or(|days| (0.0..=260.0).contains(&days)), "{code}: {median:?}");
        assert_eq!(card["rank"].is_u64(), handled >= minimum, "{code}: ranked only with the minimum volume");
        ranked += u64::from(card["rank"].is_u64());
    }
    assert!(ranked > 0, "some agencies are ranked");

    let areas = app.store().await.areas().await.expect("areas");
    let mut received = 0;
    for area in &areas {
        let code = &area.code;
        let figures = json(&app, &format!("/api/v1/stats?{PERIOD}&area={code}")).await;
        let card = json(&app, &format!("/api/v1/scorecards/areas/{code}?{PERIOD}")).await;
        for field in ["received", "accepted", "handled", "on_time", "late", "ratings"] {
            assert_eq!(card[field], figures[field], "{code}: {field}");
        }
        assert!(card["rank"].is_null(), "areas are not ranked");
        received += card["received"].as_u64().expect("a count");
    }
    assert!(received > 0, "the pilot's cases lie in its areas");
}

#[tokio::test]
async fn unknown_codes_are_not_found_and_bad_periods_are_refused_by_name() {
    let app = spawn_app_with(DemoDataset::Pilot).await;
    for path in [
        format!("/api/v1/scorecards/agencies/atlantis?{PERIOD}"),
        format!("/api/v1/scorecards/areas/atlantis?{PERIOD}"),
        format!("/api/v1/scorecards/areas/{}?{PERIOD}", "x".repeat(5_000)),
    ] {
        assert_eq!(app.get(&path).await.status().as_u16(), 404, "{path}");
    }
    let stats = json(&app, &format!("/api/v1/stats?{PERIOD}")).await;
    let code = stats["by_agency"][0]["code"].as_str().expect("a code").to_string();
    let response = app
        .client
        .get(format!("{}/api/v1/scorecards/agencies/{code}?from=2023-02-30&to=2023-06-30", app.address))
        .header("accept-language", "en")
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status().as_u16(), 422);
    let body: Value = response.json().await.expect("JSON error");
    assert_eq!(body["errors"][0]["field"], "from");
    assert!(body["errors"][0]["message"].as_str().unwrap_or_default().starts_with("From"), "{body}");
    let response = app.get(&format!("/api/v1/scorecards/agencies/{code}?to=2023-06-30")).await;
    assert_eq!(response.status().as_u16(), 422, "a period is required");
}
