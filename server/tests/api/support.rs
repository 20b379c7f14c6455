//! "Me too" over HTTP: suggestions near a pin, support once per account and per device, refusals that name why, the rate limit, and merges.

use crate::helpers::{invalid_fields, spawn_app, spawn_app_configured, valid_report, TestApp};
use app::cases::ChangeRequest;
use app::support::{SupportOutcome, SupportSuggestion};
use domain::case::{ActorRole, CaseStatus};
use domain::workflow::RejectReason;
use hientruong::limits::{Limited, RateLimits, Rule};
use serde_json::{json, Value};
use services::store::Store;
use std::sync::Arc;

const DEVICE_COOKIE: &str = "hientruong_device";

async fn support(app: &TestApp, cookie: &str, id: i64) -> reqwest::Response {
    app.post_json("/api/support_case", cookie, &json!({ "id": id })).await
}

async fn support_ok(app: &TestApp, cookie: &str, id: i64) -> SupportOutcome {
    let response = support(app, cookie, id).await;
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    assert_eq!(status, 200, "support of case {id}: {text}");
    serde_json::from_str(&text).expect("support outcome")
}

/// The `name=value` of the device cookie a response sets.
fn device_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{DEVICE_COOKIE}=")))
        .and_then(|value| value.split(';').next())
        .map(str::to_string)
}

/// A case `cookie`'s citizen reported, accepted by `coordinator`.
async fn screened(app: &TestApp, cookie: &str, coordinator: &str, key: &str) -> i64 {
    let id = app.submit_case_as(&valid_report(key), cookie).await;
    app.change_ok(coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    id
}

#[tokio::test]
async fn a_screened_case_nearby_is_suggested_and_supported_once_per_account_and_per_device() {
    let app = spawn_app().await;
    let reporter = app.signed_in("dan.bao", ActorRole::Citizen, None).await;
    let neighbour = app.signed_in("dan.hangxom", ActorRole::Citizen, None).await;
    let coordinator = app.signed_in("dieuphoi.ungho", ActorRole::Coordinator, None).await;
    let id = app.submit_case_as(&valid_report("ungho-01"), &reporter).await;

    let near = "/api/nearby_cases?category=environment&lat=17.4690&lon=106.6223";
    let suggested: Vec<SupportSuggestion> = app.get_ok(near, "").await;
    assert!(suggested.is_empty(), "a report waiting for screening is not suggested: {suggested:?}");
    assert_eq!(support(&app, &neighbour, id).await.status().as_u16(), 404, "nor supported: it is not public");

    app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let suggested: Vec<SupportSuggestion> = app.get_ok(near, "").await;
    assert_eq!(suggested.iter().map(|s| (s.id, s.supporters)).collect::<Vec<_>>(), vec![(id, 0)]);
    assert!(suggested[0].metres < 50, "{suggested:?}");
    let other_category: Vec<SupportSuggestion> =
        app.get_ok("/api/nearby_cases?category=traffic&lat=17.4690&lon=106.6223", "").await;
    assert!(other_category.is_empty(), "only the same category is suggested");
    let far: Vec<SupportSuggestion> =
        app.get_ok("/api/nearby_cases?category=environment&lat=17.4800&lon=106.6222", "").await;
    assert!(far.is_empty(), "only within the duplicate distance");

    assert_eq!(support_ok(&app, &neighbour, id).await.supporters, 1);
    let again = support(&app, &neighbour, id).await;
    assert_eq!(again.status().as_u16(), 422);
    let body: Value = again.json().await.expect("json");
    assert_eq!(invalid_fields(&body), ["case_id"]);
    assert!(body.to_string().contains("một lần"), "the refusal says why, in Vietnamese: {body}");
    let in_english = app
        .client
        .post(format!("{}/api/support_case", app.address))
        .header("cookie", &neighbour)
        .header("accept-language", "en")
        .json(&json!({ "id": id }))
        .send()
        .await
        .expect("sent");
    let body: Value = in_english.json().await.expect("json");
    assert!(body.to_string().contains("one support per account or device"), "and in English: {body}");
    let own = support(&app, &reporter, id).await;
    assert_eq!(own.status().as_u16(), 422, "the reporter already counts");

    let first = support(&app, "", id).await;
    assert_eq!(first.status().as_u16(), 200);
    let device = device_cookie(&first).expect("an anonymous supporter's device gets its cookie");
    let again = support(&app, &device, id).await;
    assert_eq!(again.status().as_u16(), 422, "one support per device");
    assert_eq!(support_ok(&app, "", id).await.supporters, 3, "another device counts");

    let case = app.public_case(id).await;
    assert_eq!((case.supporters, case.merged_into), (3, None));
    let open311: Value =
        app.get(&format!("/open311/v2/requests/{id}.json?extensions=true")).await.json().await.expect("json");
    assert_eq!(open311[0]["extended_attributes"]["supporters"], 3, "{open311}");
    let (page, api) = app.public_texts(id).await;
    assert!(page.contains("3 người cùng phản ánh"), "the case page shows the count");
    assert!(!api.contains("dan.hangxom") && !api.contains("supported"), "never who supports: {api}");
    let key = device.split('=').nth(1).expect("a key");
    let stored = app.store().await.case_supporters(id).await.expect("supporters");
    assert!(stored.iter().all(|s| s.device_hash.as_deref() != Some(key)), "only the key's hash is kept");
}

#[tokio::test]
async fn support_is_refused_to_staff_first_and_names_an_unreadable_field() {
    let app = spawn_app().await;
    let citizen = app.signed_in("dan.mot", ActorRole::Citizen, None).await;
    let coordinator = app.signed_in("dieuphoi.mot", ActorRole::Coordinator, None).await;
    let officer = app.signed_in("xuly.mot", ActorRole::Officer, Some("urenco")).await;
    let id = screened(&app, &citizen, &coordinator, "ungho-nv").await;
    for staff in [&coordinator, &officer] {
        assert_eq!(support(&app, staff, id).await.status().as_u16(), 403, "staff support nothing in their name");
        assert_eq!(support(&app, staff, 999_999).await.status().as_u16(), 403, "before the case is read");
    }
    assert_eq!(support(&app, &citizen, 999_999).await.status().as_u16(), 404);
    let unreadable = app.post_json("/api/support_case", &citizen, &json!({ "id": "bốn" })).await;
    assert_eq!(unreadable.status().as_u16(), 400);
    let body: Value = unreadable.json().await.expect("json");
    assert_eq!(body["details"]["field"], "id", "{body}");
    let bad_pin = app.get("/api/nearby_cases?category=environment&lat=95&lon=106.6").await;
    assert_eq!(bad_pin.status().as_u16(), 422);
    assert_eq!(invalid_fields(&bad_pin.json().await.expect("json")), ["location"]);
    let bad_category = app.get("/api/nearby_cases?category=khong-co&lat=17.4&lon=106.6").await;
    assert_eq!(invalid_fields(&bad_category.json().await.expect("json")), ["category"]);
}

#[tokio::test]
async fn supporting_is_rate_bounded_per_address() {
    let rule = Rule::parse("2/h").expect("a rule");
    let app = spawn_app_configured(|settings| {
        settings.rate_limits = Some(Arc::new(RateLimits::new(&[(Limited::Support, rule)])));
    })
    .await;
    let citizen = app.signed_in("dan.gioihan", ActorRole::Citizen, None).await;
    let coordinator = app.signed_in("dieuphoi.gioihan", ActorRole::Coordinator, None).await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        let id = screened(&app, &citizen, &coordinator, &format!("gioihan-{n}")).await;
        statuses.push(support(&app, "", id).await.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 429]);
}

#[tokio::test]
async fn a_coordinator_merges_a_duplicate_and_its_reporter_supports_the_original() {
    let app = spawn_app().await;
    let first = app.signed_in("dan.goc", ActorRole::Citizen, None).await;
    let second_id = app.create_account("dan.trung", ActorRole::Citizen, None).await;
    let second = app.sign_in("dan.trung").await;
    let coordinator = app.signed_in("dieuphoi.gop", ActorRole::Coordinator, None).await;
    let original = screened(&app, &first, &coordinator, "gop-goc-01").await;
    let duplicate = app.submit_case_as(&valid_report("gop-trung-01"), &second).await;
    let waiting = app.submit_case_as(&valid_report("gop-cho-01"), &first).await;
    let merge = |into: i64| ChangeRequest::Reject {
        reason: RejectReason::Duplicate,
        duplicate_of: Some(into),
        explanation: "Trùng với phản ánh đã tiếp nhận.".into(),
    };
    for (into, why) in [(duplicate, "itself"), (999_999, "a missing case"), (waiting, "a case not screened")] {
        let refused = app.change(&coordinator, duplicate, 1, &merge(into)).await;
        assert_eq!(refused.status().as_u16(), 422, "merging into {why}");
        assert_eq!(invalid_fields(&refused.json().await.expect("json")), ["duplicate_of"], "merging into {why}");
    }
    let officer = app.signed_in("xuly.gop", ActorRole::Officer, Some("urenco")).await;
    assert_eq!(app.change(&officer, duplicate, 1, &merge(original)).await.status().as_u16(), 403);

    let facts = app.change_ok(&coordinator, duplicate, 1, &merge(original)).await;
    assert_eq!((facts.status, facts.merged_into), (CaseStatus::Rejected, Some(original)));
    assert_eq!(app.public_case(original).await.supporters, 1, "the duplicate's reporter now supports the original");
    assert_eq!(app.public_case(duplicate).await.merged_into, Some(original));
    let (page, _) = app.public_texts(duplicate).await;
    assert!(page.contains(&format!("/cases/{original}")), "the duplicate's page points to the original");
    let supporters = app.store().await.case_supporter_accounts(original).await.expect("supporters");
    assert_eq!(supporters, vec![second_id]);
    assert_eq!(support(&app, &second, original).await.status().as_u16(), 422, "they support it already");

    // A case merged into the merged duplicate goes to the original it leads to.
    let third = app.submit_case_as(&valid_report("gop-ba-01"), &first).await;
    let facts = app.change_ok(&coordinator, third, 1, &merge(duplicate)).await;
    assert_eq!(facts.merged_into, Some(original));
    assert_eq!(app.public_case(original).await.supporters, 1, "the original's reporter is not their own supporter");
}
