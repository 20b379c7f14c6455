//! `GET /api/v1/clusters`: new cases counted within a second, status changes moving cases between filters, scopes, and bad parameters refused by name.

use crate::helpers::{spawn_app, valid_report, TestApp};
use app::cases::ChangeRequest;
use domain::case::ActorRole;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Around the pilot area (the valid report's pin lies inside it).
const AROUND_DONG_HOI: &str = "bbox=106.50,17.40,106.75,17.55";

async fn features(app: &TestApp, query: &str, cookie: &str) -> Vec<Value> {
    let response = app.get_as(&format!("/api/v1/clusters?{query}"), cookie).await;
    assert_eq!(response.status().as_u16(), 200, "{query}");
    let body: Value = response.json().await.expect("GeoJSON");
    assert_eq!(body["type"], "FeatureCollection");
    body["features"].as_array().cloned().unwrap_or_default()
}

/// How many cases the answer counts: a cluster's point_count, one per single case.
async fn count(app: &TestApp, query: &str, cookie: &str) -> u64 {
    features(app, query, cookie)
        .await
        .iter()
        .map(
            |f| {
                if f["properties"]["cluster"] == true {
                    f["properties"]["point_count"].as_u64().unwrap_or(0)
                } else {
                    1
                }
            },
        )
        .sum()
}

/// Waits until the count of `query` is `expected`, and answers how long that took.
async fn until_counted(app: &TestApp, query: &str, cookie: &str, expected: u64) -> Duration {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        if count(app, query, cookie).await == expected {
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{query} did not count {expected} within three seconds");
}

#[tokio::test]
async fn a_new_case_is_counted_within_a_second_and_a_status_change_moves_it_between_filters() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.map", ActorRole::Coordinator, None).await;
    let urenco = app.signed_in("xuly.urenco", ActorRole::Officer, Some("urenco")).await;
    let vnpt = app.signed_in("xuly.vnpt", ActorRole::Officer, Some("vnpt")).await;
    let all = format!("{AROUND_DONG_HOI}&zoom=12");
    assert_eq!(count(&app, &all, &coordinator).await, 0);

    let id = app.submit_case_as(&valid_report("cluster-new-1"), "").await;
    let waited = until_counted(&app, &all, &coordinator, 1).await;
    assert!(waited < Duration::from_secs(1), "a new case appeared after {waited:?}");
    assert_eq!(count(&app, &format!("{all}&status=submitted"), &coordinator).await, 1);
    assert_eq!(count(&app, &format!("{all}&status=assigned,in_progress"), &coordinator).await, 0);
    assert_eq!(count(&app, &all, "").await, 0, "the public does not see unscreened cases");

    app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    until_counted(&app, &format!("{all}&status=assigned,in_progress"), &coordinator, 1).await;
    assert_eq!(count(&app, &format!("{all}&status=submitted"), &coordinator).await, 0);
    assert_eq!(count(&app, &format!("{all}&category=environment&agency=urenco"), &coordinator).await, 1);
    assert_eq!(count(&app, &format!("{all}&category=traffic"), &coordinator).await, 0);
    assert_eq!(count(&app, &all, "").await, 1, "the public sees the screened case");
    assert_eq!(count(&app, &all, &urenco).await, 1, "the agency's officer sees its case");
    assert_eq!(count(&app, &all, &vnpt).await, 0, "another agency's officer does not");
    let public_view = format!("{all}&public=true");
    assert_eq!(count(&app, &public_view, &vnpt).await, 1, "asking for the public's view shows what the public sees");
    let unscreened = app.submit_case_as(&valid_report("cluster-new-2"), "").await;
    until_counted(&app, &format!("{all}&status=submitted"), &coordinator, 1).await;
    assert_eq!(count(&app, &format!("{public_view}&status=submitted"), &coordinator).await, 0, "even a screener's");
    assert!(unscreened > id);

    let close = features(&app, "bbox=106.60,17.45,106.65,17.50&zoom=18", "").await;
    assert_eq!(close.len(), 1);
    let properties = &close[0]["properties"];
    assert_eq!(properties["cluster"], false);
    assert_eq!(properties["id"], id);
    assert_eq!(properties["status"], "assigned");
    assert_eq!(properties["category"], "environment");
    let text = close[0].to_string();
    for personal in ["Trần Văn Bình", "0905", "binh@example.vn"] {
        assert!(!text.contains(personal), "the public answer shows {personal}");
    }
}

#[tokio::test]
async fn clusters_sum_to_every_case_in_view_and_expand_to_bounds_holding_them() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.sum", ActorRole::Coordinator, None).await;
    for i in 0..12 {
        let mut report = valid_report(&format!("cluster-sum-{i}"));
        report["lat"] = (17.46 + f64::from(i) * 0.001).into();
        report["lon"] = (106.61 + f64::from(i % 4) * 0.002).into();
        app.submit_case_as(&report, "").await;
    }
    let query = format!("{AROUND_DONG_HOI}&zoom=10");
    until_counted(&app, &query, &coordinator, 12).await;
    let found = features(&app, &query, &coordinator).await;
    assert!(found.len() < 12, "cases this close cluster from afar");
    let mut union = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for feature in found.iter().filter(|f| f["properties"]["cluster"] == true) {
        let bbox: Vec<f64> = feature["properties"]["expansion_bbox"]
            .as_array()
            .expect("bbox")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        assert_eq!(bbox.len(), 4);
        let (lon, lat) =
            (feature["geometry"]["coordinates"][0].as_f64(), feature["geometry"]["coordinates"][1].as_f64());
        let (lon, lat) = (lon.expect("lon"), lat.expect("lat"));
        assert!(lon >= bbox[0] && lon <= bbox[2] && lat >= bbox[1] && lat <= bbox[3], "{bbox:?} holds its centre");
        union = [union[0].min(bbox[0]), union[1].min(bbox[1]), union[2].max(bbox[2]), union[3].max(bbox[3])];
    }
    assert!(union[0] <= 106.61 + 1e-6 && union[2] >= 106.616 - 1e-6, "{union:?}");
    assert!(union[1] <= 17.46 + 1e-6 && union[3] >= 17.471 - 1e-6, "{union:?}");
}

#[tokio::test]
async fn bad_parameters_are_refused_naming_the_parameter_in_the_callers_language() {
    let app = spawn_app().await;
    let cases = [
        ("zoom=12", "bbox"),
        ("bbox=1,2,3&zoom=12", "bbox"),
        ("bbox=106.7,17.4,106.5,17.5&zoom=12", "bbox"),
        ("bbox=106.5,17.4,206.7,17.5&zoom=12", "bbox"),
        ("bbox=106.5,junk,17.4,106.7,17.5&zoom=12", "bbox"),
        ("bbox=-180,-85,180,85&zoom=20", "bbox"),
        ("bbox=106.5,17.4,106.7,17.5", "zoom"),
        ("bbox=106.5,17.4,106.7,17.5&zoom=abc", "zoom"),
        ("bbox=106.5,17.4,106.7,17.5&zoom=40", "zoom"),
        ("bbox=106.5,17.4,106.7,17.5&zoom=12&status=lost", "status"),
        ("bbox=106.5,17.4,106.7,17.5&zoom=12&channel=fax", "channel"),
        ("bbox=106.5,17.4,106.7,17.5&zoom=12&category=Not%20A%20Code", "category"),
        ("bbox=106.5,17.4,106.7,17.5&zoom=12&overdue=yes", "overdue"),
        ("bbox=106.5,17.4,106.7,17.5&zoom=12&from=2026-13-01", "from"),
        ("bbox=106.5,17.4,106.7,17.5&zoom=12&from=2026-02-01&to=2026-01-01", "to"),
    ];
    for (query, parameter) in cases {
        let response = app
            .client
            .get(format!("{}/api/v1/clusters?{query}", app.address))
            .header("accept-language", "en")
            .send()
            .await
            .expect("request sent");
        assert_eq!(response.status().as_u16(), 400, "{query}");
        let body: Value = response.json().await.expect("JSON");
        let errors = body["errors"].as_array().expect("errors");
        assert_eq!(errors[0]["parameter"], parameter, "{query}");
        let message = errors[0]["message"].as_str().unwrap_or_default();
        assert!(message.starts_with(parameter), "{query}: {message}");
    }
    let response = app.get("/api/v1/clusters?bbox=106.5,17.4,106.7,17.5").await;
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["errors"][0]["message"], "zoom: thiếu tham số bắt buộc.", "Vietnamese unless asked otherwise");
}

#[tokio::test]
async fn a_coordinator_bound_to_an_area_sees_only_its_cases_on_the_map() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.map", ActorRole::Admin, None).await;
    app.roll_out_quang_ninh(&admin).await;
    let province = app.signed_in("dieuphoi.tinh", ActorRole::Coordinator, None).await;
    let invitation = serde_json::json!({ "form": { "username": "dieuphoi.qn.map", "display_name": "Điều Phối Quảng Ninh",
        "role": { "role": "coordinator", "agency": "", "areas": ["quang-ninh"] } } });
    let password: String = serde_json::from_value(app.admin_ok(&admin, "invite", &invitation).await).expect("password");
    let bound = app.sign_in_invited("dieuphoi.qn.map", &password).await;

    app.submit_case_as(&valid_report("cluster-area-city"), "").await;
    let mut district = valid_report("cluster-area-district");
    district["lat"] = serde_json::json!(17.22);
    district["lon"] = serde_json::json!(106.55);
    app.submit_case_as(&district, "").await;
    let province_wide = "bbox=106.0,17.0,107.0,17.8&zoom=8";
    until_counted(&app, province_wide, &province, 2).await;
    assert_eq!(count(&app, province_wide, &bound).await, 1, "only the Quảng Ninh case");
    assert_eq!(count(&app, &format!("{province_wide}&area=dong-hoi"), &bound).await, 0, "not even when asked");
}

#[tokio::test]
async fn a_restarted_server_reads_the_saved_case_index_and_maps_what_changed_since() {
    let app = spawn_app().await;
    for n in 0..3 {
        app.submit_anonymously(&valid_report(&format!("restart-{n}"))).await;
    }
    // A second server on the same database saves the index, as a running one does now and then.
    let saving = hientruong::Application::build(hientruong::Settings::local(&app.database_url)).await.expect("builds");
    assert_eq!(saving.case_index().len(), 3);
    let store = hientruong::storage::connect(&app.database_url).await.expect("store");
    assert!(saving.case_index().save_snapshot(store.as_ref()).await.expect("saved") > 0);
    drop(saving);

    app.submit_anonymously(&valid_report("restart-after-the-snapshot")).await;
    let restarted =
        hientruong::Application::build(hientruong::Settings::local(&app.database_url)).await.expect("builds");
    assert!(
        matches!(restarted.case_index().loaded_from(), services::case_index::LoadedFrom::Snapshot { caught_up: 1.. }),
        "{:?}",
        restarted.case_index().loaded_from()
    );
    let address = format!("http://127.0.0.1:{}", restarted.port());
    tokio::spawn(restarted.run());
    let mut restarted = app;
    restarted.client = crate::helpers::same_site_client(&address);
    restarted.address = address;
    let coordinator = restarted.signed_in("dieuphoi.restart", ActorRole::Coordinator, None).await;
    assert_eq!(count(&restarted, &format!("{AROUND_DONG_HOI}&zoom=12"), &coordinator).await, 4);
}

#[tokio::test]
async fn a_client_accepting_gzip_gets_the_same_answer_gzipped() {
    use std::io::Read;
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.gzip", ActorRole::Coordinator, None).await;
    for i in 0..12 {
        let mut report = valid_report(&format!("cluster-gzip-{i}"));
        report["lat"] = (17.46 + f64::from(i) * 0.001).into();
        app.submit_case_as(&report, "").await;
    }
    let query = "bbox=106.60,17.45,106.65,17.50&zoom=18";
    until_counted(&app, query, &coordinator, 12).await;
    let url = format!("{}/api/v1/clusters?{query}", app.address);
    let plain: Value =
        app.get_as(&format!("/api/v1/clusters?{query}"), &coordinator).await.json().await.expect("GeoJSON");
    let response = app
        .client
        .get(&url)
        .header(reqwest::header::COOKIE, &coordinator)
        .header(reqwest::header::ACCEPT_ENCODING, "gzip, deflate, br")
        .send()
        .await
        .expect("clusters");
    assert_eq!(response.headers()[reqwest::header::CONTENT_ENCODING], "gzip");
    let compressed = response.bytes().await.expect("body");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&compressed[..]).read_to_string(&mut text).expect("gzip");
    let unpacked: Value = serde_json::from_str(&text).expect("GeoJSON");
    assert_eq!(unpacked, plain);
    assert_eq!(unpacked["features"].as_array().map(Vec::len), Some(12));
}
