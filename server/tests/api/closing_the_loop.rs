//! Closing the loop: the approved result is the case's public answer everywhere it is published,
//! and every reporter rates it: by account, through the receipt link, or on a logged call.

use crate::helpers::{hotline_report, invalid_fields, spawn_app, valid_report, TestApp};
use app::cases::ChangeRequest;
use chrono::{Duration, Utc};
use domain::calls::CallDirection;
use domain::case::{ActorRole, CaseStatus};
use domain::deadline::province_offset;
use domain::workflow::{CaseFacts, Change, ChangeKind, RatedVia, Rating};
use serde_json::{json, Value};

const SUBMITTED: &str = "Đã thu gom 2 tấn rác, phun khử khuẩn khu vực.";
const PUBLISHED: &str = "Công ty môi trường đã thu gom toàn bộ rác và phun khử khuẩn bờ sông.";

/// Staff of the workflow, signed in: the coordinator and urenco's officer.
async fn staff(app: &TestApp) -> (String, String) {
    let coordinator = app.signed_in("dieuphoi.loop", ActorRole::Coordinator, None).await;
    let officer = app.signed_in("xuly.loop", ActorRole::Officer, Some("urenco")).await;
    (coordinator, officer)
}

/// Takes case `id` from screening to an approved result, the coordinator publishing `published`.
async fn approve(app: &TestApp, id: i64, coordinator: &str, officer: &str, published: &str) -> CaseFacts {
    let version = app.staff_case(coordinator, id).await.facts.version;
    let facts = app.change_ok(coordinator, id, version, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let facts = app.change_ok(officer, id, facts.version, &ChangeRequest::Acknowledge).await;
    let result = ChangeRequest::SubmitResult { summary: SUBMITTED.into(), photos: Vec::new() };
    let facts = app.change_ok(officer, id, facts.version, &result).await;
    let approval = ChangeRequest::ApproveResult { published: published.into() };
    app.change_ok(coordinator, id, facts.version, &approval).await
}

/// The ratings of the public statistics for the days around today.
async fn ratings(app: &TestApp) -> Value {
    let today = Utc::now().with_timezone(&province_offset()).date_naive();
    let path = format!("/api/v1/stats?from={}&to={}", today - Duration::days(1), today + Duration::days(1));
    let response = app.get(&path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let figures: Value = response.json().await.expect("statistics are JSON");
    figures["ratings"].clone()
}

async fn rate_by_receipt(app: &TestApp, token: &str, rating: &str, comment: &str) -> reqwest::Response {
    app.post_json("/api/receipt/rate", "", &json!({ "token": token, "rating": rating, "comment": comment })).await
}

#[tokio::test]
async fn the_approved_text_is_published_and_the_anonymous_reporter_rates_it_through_the_receipt() {
    let app = spawn_app().await;
    let (coordinator, officer) = staff(&app).await;
    let (id, receipt) = app.submit_anonymously(&valid_report("key-loop-000001")).await;
    let (other, other_receipt) = app.submit_anonymously(&valid_report("key-loop-000002")).await;
    assert_eq!(
        rate_by_receipt(&app, &other_receipt, "satisfied", "").await.status().as_u16(),
        409,
        "nothing to rate before a result is approved"
    );

    let facts = approve(&app, id, &coordinator, &officer, PUBLISHED).await;
    assert_eq!((facts.status, facts.published_result.as_deref()), (CaseStatus::Resolved, Some(PUBLISHED)));
    let events = app.events(id).await;
    let approval = events.iter().find(|e| e.change.kind() == ChangeKind::ResultApproved).expect("approval");
    assert_eq!(approval.change, Change::ResultApproved { published: Some(PUBLISHED.into()) }, "the edit is recorded");

    // The public answer, wherever the case is published; the officer's own words stay internal.
    let public = app.public_case(id).await;
    assert_eq!(public.published_result().and_then(|e| e.note.as_deref()), Some(PUBLISHED));
    let (page, api) = app.public_texts(id).await;
    assert!(page.contains(PUBLISHED) && api.contains(PUBLISHED), "the case page and its API show the answer");
    assert!(!page.contains(SUBMITTED) && !api.contains(SUBMITTED), "the officer's draft is not published");
    let open311 = app.open311_get(&format!("requests/{id}"), "json", &[]).await;
    assert!(open311.text.contains(PUBLISHED), "Open311 status_notes: {}", open311.text);
    let feed = app.get(&format!("/api/v1/cases/{id}/timeline.atom")).await.text().await.expect("feed");
    assert!(feed.contains(PUBLISHED), "the case's feed carries the answer");
    let (header, rows) = app.csv_export("/api/v1/cases.csv", "").await;
    assert_eq!(header.last().map(String::as_str), Some("result"));
    let row = rows.iter().find(|row| row.get("id") == Some(&id.to_string())).expect("the case is exported");
    assert_eq!(row.get("result").map(String::as_str), Some(PUBLISHED));

    // The reporter's own view shows it, and rates it.
    let view: domain::case::PublicCase = serde_json::from_value(app.receipt_view(&receipt).await).expect("case");
    assert_eq!(view.published_result().and_then(|e| e.note.as_deref()), Some(PUBLISHED));
    assert!(view.awaits_rating());
    let before = ratings(&app).await;
    assert_eq!(rate_by_receipt(&app, &"0".repeat(64), "satisfied", "").await.status().as_u16(), 404);
    assert_eq!(rate_by_receipt(&app, "not-a-token", "satisfied", "").await.status().as_u16(), 404);
    let too_long = rate_by_receipt(&app, &receipt, "satisfied", &"x".repeat(2001)).await;
    assert_eq!(too_long.status().as_u16(), 422);
    let body: Value = too_long.json().await.expect("json");
    assert_eq!(invalid_fields(&body), vec!["note"], "{body}");
    let malformed = rate_by_receipt(&app, &receipt, "great", "").await;
    assert!(malformed.status().is_client_error(), "an unknown rating is refused");
    let rated = rate_by_receipt(&app, &receipt, "satisfied", "Sạch sẽ, cảm ơn.").await;
    assert_eq!(rated.status().as_u16(), 200);
    let facts: CaseFacts = rated.json().await.expect("facts");
    assert_eq!((facts.status, facts.rating), (CaseStatus::Closed, Some(Rating::Satisfied)));
    let rating = app.events(id).await.pop().expect("rating");
    assert_eq!((rating.actor_role, rating.actor_id), (ActorRole::Anonymous, None));
    assert!(matches!(rating.change, Change::Rated { via: RatedVia::Receipt, .. }), "{:?}", rating.change);
    assert_eq!(rate_by_receipt(&app, &receipt, "unsatisfied", "").await.status().as_u16(), 409, "rated once");
    let after = ratings(&app).await;
    assert_eq!(after["satisfied"].as_u64(), before["satisfied"].as_u64().map(|n| n + 1), "{before} → {after}");
    let waiting: domain::case::PublicCase =
        serde_json::from_value(app.receipt_view(&other_receipt).await).expect("case");
    assert_eq!((waiting.id, waiting.awaits_rating()), (other, false), "a report without a result awaits no rating");
}

#[tokio::test]
async fn an_approval_left_unedited_publishes_the_officers_summary() {
    let app = spawn_app().await;
    let (coordinator, officer) = staff(&app).await;
    let citizen = app.signed_in("dan.loop", ActorRole::Citizen, None).await;
    let id = app.submit_case_as(&valid_report("key-loop-000003"), &citizen).await;
    let facts = approve(&app, id, &coordinator, &officer, "  ").await;
    assert_eq!(facts.published_result.as_deref(), Some(SUBMITTED));
    let mine = app.my_reports(&citizen).await;
    let (case, _) = mine.iter().find(|(case, _)| case.id == id).expect("my report");
    assert_eq!(case.published_result().and_then(|e| e.note.as_deref()), Some(SUBMITTED), "my reports show it");
    let notices = app.my_notices(&citizen).await;
    assert!(notices.iter().any(|n| n.case_id == id && n.kind == ChangeKind::ResultApproved));
    // An operator does not rate through the staff change, even on a web report.
    let operator = app.signed_in("tongdai.loop.web", ActorRole::Operator, None).await;
    let rate = ChangeRequest::Rate { rating: Rating::Acceptable, comment: String::new() };
    assert_eq!(app.change(&operator, id, facts.version, &rate).await.status().as_u16(), 403);
}

#[tokio::test]
async fn an_operator_records_a_callers_rating_on_a_logged_call() {
    let app = spawn_app().await;
    let (coordinator, officer) = staff(&app).await;
    let operator = app.signed_in("tongdai.loop", ActorRole::Operator, None).await;
    let id = app.hotline_case(&operator, &hotline_report("key-loop-hotline-1")).await;
    let web = app.submit_case_as(&valid_report("key-loop-000004"), &coordinator).await;
    let record = |case_id: i64, rating: &str, comment: &str| json!({ "case_id": case_id, "rating": rating, "comment": comment, "duration_seconds": 40 });
    let path = "/api/hotline/rating";
    assert_eq!(
        app.post_json(path, &operator, &record(id, "satisfied", "")).await.status().as_u16(),
        409,
        "no result yet"
    );

    approve(&app, id, &coordinator, &officer, PUBLISHED).await;
    let queue = app.verification_queue(&operator).await;
    assert!(queue.iter().any(|item| item.case.id == id), "the approved phoned-in case comes due for a call");
    let before = ratings(&app).await;

    // Operators only, and only on a case that exists and was phoned in.
    for cookie in ["", coordinator.as_str(), officer.as_str()] {
        let status = app.post_json(path, cookie, &record(id, "satisfied", "")).await.status().as_u16();
        assert!(matches!(status, 401 | 403), "{status}");
    }
    let unknown = app.post_json(path, &operator, &record(999_999, "satisfied", "")).await;
    assert_eq!(unknown.status().as_u16(), 422);
    assert_eq!(invalid_fields(&unknown.json().await.expect("json")), vec!["case_id"]);
    let long = app.post_json(path, &operator, &record(id, "satisfied", &"x".repeat(2001))).await;
    assert_eq!(long.status().as_u16(), 422);
    assert_eq!(invalid_fields(&long.json().await.expect("json")), vec!["note"]);
    assert_eq!(app.post_json(path, &operator, &record(web, "satisfied", "")).await.status().as_u16(), 409);
    let calls_before = app.recent_calls(&operator, Some(id)).await.len();

    let response = app.post_json(path, &operator, &record(id, "acceptable", "Người gọi hài lòng một phần.")).await;
    assert_eq!(response.status().as_u16(), 200);
    let facts: CaseFacts = response.json().await.expect("facts");
    assert_eq!((facts.status, facts.rating), (CaseStatus::Closed, Some(Rating::Acceptable)));
    let calls = app.recent_calls(&operator, Some(id)).await;
    assert_eq!(calls.len(), calls_before + 1, "the call is logged");
    let call = calls.iter().max_by_key(|c| c.id).expect("the call");
    assert_eq!(call.call.direction, CallDirection::Outbound);
    let events = app.events(id).await;
    let [.., logged, rated] = events.as_slice() else { panic!("events") };
    assert_eq!(logged.change.kind(), ChangeKind::CallLogged, "the call comes first on the timeline");
    assert_eq!(rated.actor_role, ActorRole::Operator);
    assert!(matches!(rated.change, Change::Rated { via: RatedVia::Call { call_id }, .. } if call_id == call.id));
    assert!(!app.verification_queue(&operator).await.iter().any(|item| item.case.id == id), "no more calls due");
    let after = ratings(&app).await;
    assert_eq!(after["acceptable"].as_u64(), before["acceptable"].as_u64().map(|n| n + 1), "{before} → {after}");
}
