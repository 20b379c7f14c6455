//! Search through the API: the public finds screened cases by words typed without diacritics, a
//! number finds its case, and the exports take the same words.

use crate::helpers::{spawn_app, valid_report, TestApp};
use app::cases::ChangeRequest;
use domain::case::ActorRole;
use serde_json::{json, Value};

async fn search(app: &TestApp, q: &str) -> Vec<i64> {
    let response =
        app.client.get(format!("{}/api/v1/search", app.address)).query(&[("q", q)]).send().await.expect("sent");
    assert_eq!(response.status().as_u16(), 200, "{q}");
    let body: Value = response.json().await.expect("json");
    body["cases"].as_array().expect("cases").iter().map(|case| case["id"].as_i64().expect("an id")).collect()
}

/// Waits until the search index, which follows new cases within a second, finds `id` for `q`.
async fn found_soon(app: &TestApp, q: &str, id: i64) {
    for _ in 0..50 {
        if search(app, q).await.contains(&id) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("case {id} was not found for {q:?} within five seconds");
}

#[tokio::test]
async fn the_public_finds_screened_cases_by_words_and_numbers_and_the_exports_filter_by_them() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi", ActorRole::Coordinator, None).await;
    let mut report = valid_report("key-search-api-01");
    report["title"] = json!("Cống thoát nước bị tắc trên đường Quách Xuân Kỳ");
    let screened = app.submit_case_as(&report, "").await;
    app.change_ok(&coordinator, screened, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let mut hidden = valid_report("key-search-api-02");
    hidden["title"] = json!("Cống thoát nước vỡ ở chợ Đồng Hới");
    let unscreened = app.submit_case_as(&hidden, "").await;

    found_soon(&app, "cong thoat nuoc quach", screened).await;
    let found = search(&app, "cong thoat nuoc").await;
    assert_eq!(found, vec![screened], "the unscreened report is not the public's to find");
    assert_eq!(search(&app, &format!("#{screened}")).await, vec![screened]);
    assert_eq!(search(&app, &unscreened.to_string()).await, Vec::<i64>::new());
    assert_eq!(search(&app, "").await, Vec::<i64>::new());

    let too_long = "đường ".repeat(60);
    let refused =
        app.client.get(format!("{}/api/v1/search", app.address)).query(&[("q", &too_long)]).send().await.expect("sent");
    assert_eq!(refused.status().as_u16(), 422);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["errors"][0]["field"], "q", "{body}");
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("200")), "{body}");

    let (_, rows) = app.csv_export("/api/v1/cases.csv?q=quach+xuan", "").await;
    let ids: Vec<&str> = rows.iter().map(|row| row["id"].as_str()).collect();
    assert_eq!(ids, vec![screened.to_string().as_str()], "the export holds only what the words match");
    let (_, everything) = app.csv_export("/api/v1/cases.csv", "").await;
    assert_eq!(everything.len(), 2, "without words every counted case is a row");
}
