//! Citizens' rights over their data through the API: the download, closing the account, and the
//! retention job leaving the published statistics as they were.

use crate::helpers::{invalid_fields, spawn_app, valid_report, PASSWORD};
use app::cases::ChangeRequest;
use chrono::{Duration, Months, Utc};
use domain::case::ActorRole;
use domain::workflow::{Change, ErasureReason, RejectReason};
use serde_json::{json, Value};
use services::retention::{erase_expired, RetentionPolicy};
use services::store::Store;

#[tokio::test]
async fn a_citizen_downloads_their_data_and_only_they_may() {
    let app = spawn_app().await;
    let citizen = app.signed_in("tran.binh", ActorRole::Citizen, None).await;
    let id = app.submit_case_as(&valid_report("key-mine-json-01"), &citizen).await;
    let _ = app.submit_case_as(&valid_report("key-not-mine-01"), "").await;

    let alert = serde_json::json!({"input": {"area": "", "drawn": "106.6,17.45,106.65,17.5", "categories": [], "frequency": "daily"}});
    assert_eq!(app.post_json("/api/my/alerts/add", &citizen, &alert).await.status().as_u16(), 200);

    let response = app.get_as("/api/v1/me/data.json", &citizen).await;
    assert_eq!(response.status().as_u16(), 200);
    let disposition = response.headers()["content-disposition"].to_str().expect("ascii").to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let data: Value = response.json().await.expect("json");
    assert_eq!(data["account"]["username"], "tran.binh");
    let reports = data["reports"].as_array().expect("reports");
    assert_eq!(reports.len(), 1, "only their own report: {data}");
    assert_eq!(reports[0]["case"]["id"], id);
    assert_eq!(reports[0]["contact"]["phone"], "0905111222");
    assert_eq!(reports[0]["contact"]["email"], "binh@example.vn");
    assert_eq!(data["alerts"][0]["frequency"], "daily", "the places they watch: {data}");
    assert_eq!(data["following"], serde_json::json!([]));

    let anonymous = app.get("/api/v1/me/data.json").await;
    assert_eq!(anonymous.status().as_u16(), 401);
    let officer = app.signed_in("xuly.urenco", ActorRole::Officer, Some("urenco")).await;
    assert_eq!(app.get_as("/api/v1/me/data.json", &officer).await.status().as_u16(), 403);
}

#[tokio::test]
async fn a_citizen_closes_their_account_and_their_reports_stay_public_without_them() {
    let app = spawn_app().await;
    let citizen = app.signed_in("le.hoa", ActorRole::Citizen, None).await;
    let id = app.submit_case_as(&valid_report("key-closing-01"), &citizen).await;
    let coordinator = app.signed_in("dieuphoi", ActorRole::Coordinator, None).await;
    assert!(app.staff_case(&coordinator, id).await.contact.is_some(), "the contact is there before");
    // Screened, so the public sees it.
    let reject = ChangeRequest::Reject {
        reason: RejectReason::InsufficientInfo,
        duplicate_of: None,
        explanation: "Thiếu thông tin vị trí cụ thể.".into(),
    };
    app.change_ok(&coordinator, id, 1, &reject).await;

    // Signed out: 401 before anything is read; staff: 403.
    let signed_out = app.post_json("/api/close_account", "", &json!({"password": PASSWORD})).await;
    assert_eq!(signed_out.status().as_u16(), 401);
    let refused = app.post_json("/api/close_account", &coordinator, &json!({"password": PASSWORD})).await;
    assert_eq!(refused.status().as_u16(), 403);
    // The password is asked again, and a wrong one is named as such, in Vietnamese by default.
    let empty = app.post_json("/api/close_account", &citizen, &json!({"password": ""})).await;
    assert_eq!(empty.status().as_u16(), 422);
    let wrong = app.post_json("/api/close_account", &citizen, &json!({"password": "không-phải-mật-khẩu"})).await;
    assert_eq!(wrong.status().as_u16(), 422);
    let body: Value = wrong.json().await.expect("json");
    assert_eq!(invalid_fields(&body), vec!["password"]);
    assert!(body.to_string().contains("mật khẩu"), "{body}");

    let closed = app.post_json("/api/close_account", &citizen, &json!({"password": PASSWORD})).await;
    assert_eq!(closed.status().as_u16(), 200, "{}", closed.text().await.unwrap_or_default());
    let me: Value = app.get_ok("/api/me", &citizen).await;
    assert_eq!(me, Value::Null, "the session ended");
    assert_eq!(app.login("le.hoa", PASSWORD).await.status().as_u16(), 401, "no one signs in to it again");
    assert_eq!(app.public_case(id).await.id, id, "the report stays public");
    let staff_view = app.staff_case(&coordinator, id).await;
    assert_eq!(staff_view.contact, None, "no staff view shows their name or number");
    assert_eq!(staff_view.facts.reporter_account, None);
    let last = staff_view.events.last().expect("an event");
    assert!(matches!(
        last.change,
        Change::PersonalDataErased { reason: ErasureReason::AccountClosed, contact: true, .. }
    ));
}

#[tokio::test]
async fn erasing_contacts_past_their_retention_leaves_the_published_statistics_as_they_were() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi", ActorRole::Coordinator, None).await;
    let id = app.submit_case_as(&valid_report("key-retention-01"), "").await;
    let reject = ChangeRequest::Reject {
        reason: RejectReason::InsufficientInfo,
        duplicate_of: None,
        explanation: "Thiếu thông tin vị trí cụ thể.".into(),
    };
    app.change_ok(&coordinator, id, 1, &reject).await;
    let today = Utc::now().date_naive();
    let path = format!("/api/v1/stats?from={}&to={}", today - Duration::days(30), today + Duration::days(1));
    let path = path.as_str();
    let before: Value = app.get_ok(path, "").await;

    // A year and a day on, as the job would see it on any server.
    let store = app.store().await;
    let later = Utc::now().checked_add_months(Months::new(12)).expect("a time") + Duration::days(1);
    let run = erase_expired(&store, &RetentionPolicy::default(), later).await.expect("erase");
    assert_eq!(run.erasures, 1);
    assert_eq!(store.reporter_contact(id).await.expect("contact"), None);
    assert_eq!(app.staff_case(&coordinator, id).await.contact, None);
    // The index follows the change within a second; the figures must not move.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let after: Value = app.get_ok(path, "").await;
    assert_eq!(after, before);
    assert_eq!(erase_expired(&store, &RetentionPolicy::default(), later).await.expect("erase").erasures, 0);
}
