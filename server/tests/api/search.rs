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

/// The ids of the cases the clusters answer counts for `query`, as `cookie` sees them (single cases only:
/// the cases of these tests lie far enough apart at zoom 18).
async fn clustered_ids(app: &TestApp, query: &str, cookie: &str) -> Vec<i64> {
    let response =
        app.get_as(&format!("/api/v1/clusters?bbox=106.60,17.46,106.64,17.48&zoom=18&{query}"), cookie).await;
    assert_eq!(response.status().as_u16(), 200, "{query}");
    let body: Value = response.json().await.expect("GeoJSON");
    let mut ids: Vec<i64> = body["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|feature| feature["properties"]["id"].as_i64().expect("single cases up close"))
        .collect();
    ids.sort_unstable();
    ids
}

/// The ids the Open311 request list answers for `query`.
async fn open311_ids(app: &TestApp, query: &str) -> Vec<i64> {
    let response = app.get(&format!("/open311/v2/requests.json?{query}")).await;
    assert_eq!(response.status().as_u16(), 200, "{query}");
    let body: Value = response.json().await.expect("json");
    body.as_array()
        .expect("a list")
        .iter()
        .map(|request| request["service_request_id"].as_str().and_then(|id| id.parse().ok()).expect("an id"))
        .collect()
}

#[tokio::test]
async fn the_clusters_and_the_open311_list_take_the_same_words_in_each_reader_s_scope() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi", ActorRole::Coordinator, None).await;
    let urenco = app.signed_in("urenco1", ActorRole::Officer, Some("urenco")).await;
    let vnpt = app.signed_in("vnpt1", ActorRole::Officer, Some("vnpt")).await;
    let mut report = valid_report("key-search-api-11");
    report["title"] = json!("Biển báo giao thông gãy đổ ở dốc Mẹ Suốt");
    let screened = app.submit_case_as(&report, "").await;
    app.change_ok(&coordinator, screened, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let mut hidden = valid_report("key-search-api-12");
    hidden["title"] = json!("Biển báo bị che khuất bởi cây");
    hidden["lat"] = json!(17.4701);
    let unscreened = app.submit_case_as(&hidden, "").await;
    found_soon(&app, "bien bao gay", screened).await;

    assert_eq!(clustered_ids(&app, "public=true&q=bien+bao+gay", "").await, vec![screened], "folded, as the search");
    assert_eq!(clustered_ids(&app, "public=true&q=BIỂN+BÁO", "").await, vec![screened], "the public: screened only");
    assert_eq!(clustered_ids(&app, &format!("public=true&q=%23{screened}"), "").await, vec![screened], "#N");
    assert_eq!(clustered_ids(&app, "public=true&q=bien+bao+khong+co", "").await, Vec::<i64>::new());
    let mut both = vec![screened, unscreened];
    both.sort_unstable();
    let started = std::time::Instant::now();
    while clustered_ids(&app, "q=bien+ba", &coordinator).await != both {
        assert!(
            started.elapsed().as_secs() < 5,
            "the coordinator finds what waits for screening, the last word a prefix"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(clustered_ids(&app, "q=bien+bao", &urenco).await, vec![screened], "the agency's case");
    assert_eq!(clustered_ids(&app, "q=bien+bao", &vnpt).await, Vec::<i64>::new(), "not another agency's");

    let too_long = format!("public=true&q={}", "a".repeat(201));
    let refused = app.get(&format!("/api/v1/clusters?bbox=106.60,17.46,106.64,17.48&zoom=18&{too_long}")).await;
    assert_eq!(refused.status().as_u16(), 400);
    let body = refused.text().await.expect("body");
    assert!(body.contains("\"q\"") || body.contains("q "), "{body}");

    assert_eq!(open311_ids(&app, "q=bien+bao").await, vec![screened], "Open311's q: screened cases only");
    assert_eq!(open311_ids(&app, "q=doc+me+suo&status=open").await, vec![screened], "with the other filters");
    assert_eq!(open311_ids(&app, "q=doc+me+suot&status=closed").await, Vec::<i64>::new());
    assert_eq!(open311_ids(&app, &format!("q=%23{screened}")).await, vec![screened]);
    let refused = app.get(&format!("/open311/v2/requests.json?q={}", "a".repeat(201))).await;
    assert_eq!(refused.status().as_u16(), 400);
    let body = refused.text().await.expect("body");
    assert!(body.contains("q may be at most 200") || body.contains("q dài tối đa 200"), "{body}");
}

/// The ids a staff queue's first page lists for `q`.
async fn queue_ids(app: &TestApp, path: &str, q: &str, cookie: &str) -> Vec<i64> {
    let page: app::cases::QueuePage =
        app.get_ok(&format!("{path}?q={}", q.replace(' ', "+").replace('#', "%23")), cookie).await;
    page.items.iter().map(|item| item.case.id).collect()
}

#[tokio::test]
async fn the_staff_queues_filter_by_the_same_search_within_each_reader_s_scope() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi", ActorRole::Coordinator, None).await;
    let urenco = app.signed_in("urenco1", ActorRole::Officer, Some("urenco")).await;
    let vnpt = app.signed_in("vnpt1", ActorRole::Officer, Some("vnpt")).await;
    let mut lamp = valid_report("key-search-api-21");
    lamp["title"] = json!("Đèn đường hỏng trước chợ Đồng Phú");
    let lamp = app.submit_case_as(&lamp, "").await;
    let other = app.submit_case_as(&valid_report("key-search-api-22"), "").await;

    let started = std::time::Instant::now();
    while queue_ids(&app, "/api/staff/screening", "den duong cho", &coordinator).await != vec![lamp] {
        assert!(started.elapsed().as_secs() < 5, "the screening queue finds the case typed without diacritics");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let everything = queue_ids(&app, "/api/staff/screening", "", &coordinator).await;
    assert!(everything.contains(&lamp) && everything.contains(&other), "no words, the whole queue");
    assert_eq!(queue_ids(&app, "/api/staff/screening", "ĐÈN ĐƯỜNG", &coordinator).await, vec![lamp]);
    assert_eq!(queue_ids(&app, "/api/staff/screening", "den duong xyz", &coordinator).await, Vec::<i64>::new());

    app.change_ok(&coordinator, lamp, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    assert_eq!(queue_ids(&app, "/api/staff/agency", "den duong", &urenco).await, vec![lamp]);
    assert_eq!(queue_ids(&app, "/api/staff/agency", &format!("#{lamp}"), &urenco).await, vec![lamp], "#N");
    assert_eq!(
        queue_ids(&app, "/api/staff/agency", "den duong", &vnpt).await,
        Vec::<i64>::new(),
        "an officer never finds another agency's case"
    );
    assert_eq!(queue_ids(&app, "/api/staff/screening", "den duong", &coordinator).await, Vec::<i64>::new());

    let refused = app.get_as(&format!("/api/staff/agency?q={}", "a".repeat(201)), &urenco).await;
    assert_eq!(refused.status().as_u16(), 422);
    let body = refused.text().await.expect("body");
    assert!(body.contains("200"), "{body}");
    let anonymous = app.get("/api/staff/agency?q=den").await;
    assert_eq!(anonymous.status().as_u16(), 401, "who may call is decided before the words are read");
}
