//! Submitting a report over HTTP, bypassing the browser: every rule holds on the server.

use crate::helpers::{spawn_app, valid_report, TestApp};
use serde_json::{json, Value};
use services::store::Store;

async fn case_count(app: &TestApp) -> u64 {
    app.store().await.count_cases().await.expect("count")
}

#[tokio::test]
async fn a_valid_report_is_stored_and_its_page_shows_it_without_contact() {
    let app = spawn_app().await;
    let (id, receipt) = app.submit_anonymously(&valid_report("key-valid-0001")).await;
    // Until screening, the public finds nothing at the case's number, not even that it exists.
    let page = app.get(&format!("/cases/{id}")).await;
    assert_eq!(page.status().as_u16(), 404);
    assert!(!page.text().await.expect("html").contains("Rác thải đổ trộm ven sông"));
    assert_eq!(app.get(&format!("/api/case?id={id}")).await.status().as_u16(), 404);
    // The reporter's private receipt link opens their own view, server-rendered.
    let page = app.get(&format!("/receipt/{receipt}")).await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Một đống rác lớn bị đổ trộm bên bờ sông Nhật Lệ, bốc mùi hôi."),
        "SSR carries the description"
    );
    assert!(html.contains("Rác thải đổ trộm ven sông"));
    for personal in ["Trần Văn Bình", "0905111222", "0905 111 222", "binh@example.vn"] {
        assert!(!html.contains(personal), "case page leaks {personal}");
    }
    let view = app.receipt_view(&receipt).await;
    assert_eq!(view["id"], json!(id));
    let json = view.to_string();
    for personal in ["Trần Văn Bình", "0905111222", "binh@example.vn"] {
        assert!(!json.contains(personal), "case API leaks {personal}");
    }
    let contact = app.store().await.reporter_contact(id).await.expect("contact").expect("kept for staff");
    assert_eq!(contact.phone.expect("phone").as_str(), "0905111222");
}

#[tokio::test]
async fn only_the_hash_of_a_receipt_is_kept_and_other_tokens_open_nothing() {
    let app = spawn_app().await;
    let (id, receipt) = app.submit_anonymously(&valid_report("key-receipt-001")).await;
    let store = app.store().await;
    assert_eq!(store.case_for_receipt(&receipt).await.expect("read"), None, "the token itself is not stored");
    assert_eq!(store.case_for_receipt(&app::auth::token_hash(&receipt)).await.expect("read"), Some(id));
    let other = "0".repeat(64);
    let near = format!("{}{}", &receipt[..63], if receipt.ends_with('0') { '1' } else { '0' });
    for token in [other.as_str(), near.as_str(), "short"] {
        assert_eq!(app.get(&format!("/api/receipt?token={token}")).await.status().as_u16(), 404, "{token}");
    }
    assert_eq!(app.get(&format!("/receipt/{other}")).await.status().as_u16(), 404);
    // A retry of the same report stores nothing new and hands out no second receipt.
    let again: Value = app.submit(&valid_report("key-receipt-001")).await.json().await.expect("json");
    assert_eq!((again["id"].as_i64(), again["newly_created"].as_bool()), (Some(id), Some(false)));
    assert_eq!(again["receipt"], Value::Null);
}

#[tokio::test]
async fn every_field_rule_is_enforced_by_the_server_and_nothing_is_stored() {
    let app = spawn_app().await;
    let long_title = "ư".repeat(121);
    let long_description = "a".repeat(4001);
    let long_name = "A".repeat(101);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("missing key", json!(""), "submission_key"),
        ("bad key", json!("has spaces!"), "submission_key"),
        ("no category", json!(""), "category"),
        ("unknown category", json!("potholes"), "category"),
        ("blank title", json!("   "), "title"),
        ("short title", json!("abcd"), "title"),
        ("long title", json!(long_title), "title"),
        ("control character in title", json!("Ổ gà\u{0007} lớn"), "title"),
        ("blank description", json!(""), "description"),
        ("short description", json!("quá ngắn"), "description"),
        ("long description", json!(long_description), "description"),
        ("no latitude", Value::Null, "location"),
        ("latitude out of range", json!(91.0), "location"),
        ("longitude out of range", json!(181.0), "location"),
        ("bad phone", json!("12345"), "reporter_phone"),
        ("bad e-mail", json!("binh@"), "reporter_email"),
        ("long name", json!(long_name), "reporter_name"),
    ];
    let keys = [
        "submission_key",
        "submission_key",
        "category",
        "category",
        "title",
        "title",
        "title",
        "title",
        "description",
        "description",
        "description",
        "lat",
        "lat",
        "lon",
        "reporter_phone",
        "reporter_email",
        "reporter_name",
    ];
    for ((label, value, field), key) in cases.into_iter().zip(keys) {
        let mut report = valid_report("key-rules-0001");
        report[key] = value;
        let response = app.submit(&report).await;
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{label}: expected 4xx, got {status}");
        let body: Value = response.json().await.expect("json error");
        assert_eq!(body["error"], "invalid", "{label}");
        let fields: Vec<&str> =
            body["details"].as_array().expect("list").iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, vec![field], "{label}");
        let message = body["details"][0]["message"].as_str().expect("message");
        assert!(!message.is_empty(), "{label}: a message for people");
    }
    assert_eq!(case_count(&app).await, 0, "nothing stored for a rejected submission");
}

#[tokio::test]
async fn malformed_payloads_get_400_and_store_nothing() {
    let app = spawn_app().await;
    let mut report = valid_report("key-malformed-1");
    report["lat"] = json!("north");
    assert_eq!(app.submit(&report).await.status().as_u16(), 400);
    let raw = app
        .client
        .post(format!("{}/api/submit_case", app.address))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(raw.status().as_u16(), 400);
    assert_eq!(case_count(&app).await, 0);
}

#[tokio::test]
async fn error_messages_follow_the_language_cookie() {
    let app = spawn_app().await;
    let mut report = valid_report("key-language-01");
    report["reporter_phone"] = json!("12345");
    let vietnamese: Value = app.submit(&report).await.json().await.expect("json");
    assert!(vietnamese["details"][0]["message"].as_str().expect("message").starts_with("Số điện thoại"));
    let english: Value = app.submit_with_cookie(&report, "lang=en").await.json().await.expect("json");
    assert!(english["details"][0]["message"].as_str().expect("message").starts_with("Phone number"));
}

#[tokio::test]
async fn a_pin_outside_the_pilot_area_is_flagged_on_the_stored_case() {
    let app = spawn_app().await;
    let mut outside = valid_report("key-outside-001");
    // Huế, far south of Đồng Hới.
    outside["lat"] = json!(16.4637);
    outside["lon"] = json!(107.5909);
    let (_, outside) = app.submit_anonymously(&outside).await;
    let (_, inside) = app.submit_anonymously(&valid_report("key-inside-0001")).await;
    assert_eq!(app.receipt_view(&outside).await["area_name"], Value::Null);
    assert_eq!(app.receipt_view(&inside).await["area_name"], json!("Thành phố Đồng Hới"));
    let html = app.get(&format!("/receipt/{outside}")).await.text().await.expect("html");
    assert!(html.contains("Ngoài địa bàn phục vụ"));
}

#[tokio::test]
async fn a_retried_submission_creates_exactly_one_case() {
    let app = spawn_app().await;
    let report = valid_report("key-retry-00001");
    let first: Value = app.submit(&report).await.json().await.expect("json");
    let (a, b) = tokio::join!(app.submit(&report), app.submit(&report));
    let second: Value = a.json().await.expect("json");
    let third: Value = b.json().await.expect("json");
    assert_eq!(first["newly_created"], json!(true));
    assert_eq!(second["id"], first["id"]);
    assert_eq!(third["id"], first["id"]);
    assert_eq!(second["newly_created"], json!(false));
    assert_eq!(case_count(&app).await, 1);
}

#[tokio::test]
async fn nfd_text_is_stored_as_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let app = spawn_app().await;
    let mut report = valid_report("key-nfd-0000001");
    let title = "Đường Trần Hưng Đạo hư hỏng nặng";
    report["title"] = json!(title.nfd().collect::<String>());
    let (_, receipt) = app.submit_anonymously(&report).await;
    assert_eq!(app.receipt_view(&receipt).await["title"], json!(title));
}

#[tokio::test]
async fn a_client_cannot_choose_its_channel() {
    let app = spawn_app().await;
    let mut report = valid_report("key-channel-001");
    report["channel"] = json!("hotline");
    let (_, receipt) = app.submit_anonymously(&report).await;
    assert_eq!(app.receipt_view(&receipt).await["channel"], json!("web"));
}

#[tokio::test]
async fn a_report_from_the_installed_app_carries_the_app_channel_and_stays_one_case_when_sent_again() {
    let app = spawn_app().await;
    let report = valid_report("key-app-draft-01");
    let body = json!({ "input": report, "from_app": true });
    let first = app.post_json("/api/submit_case", "", &body).await;
    assert_eq!(first.status().as_u16(), 200);
    let first: serde_json::Value = first.json().await.expect("json");
    let receipt = first["receipt"].as_str().expect("a receipt for the first answer").to_string();
    assert_eq!(app.receipt_view(&receipt).await["channel"], json!("app"));
    // A draft sent again by a second tab (or after a lost answer) names the same case, with no new receipt.
    let again: serde_json::Value = app.post_json("/api/submit_case", "", &body).await.json().await.expect("json");
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["newly_created"], json!(false));
    assert_eq!(again["receipt"], json!(null));
    // `from_app` must be a boolean; anything else is refused before a case is made.
    let bad = app
        .post_json("/api/submit_case", "", &json!({ "input": valid_report("key-app-draft-02"), "from_app": "yes" }))
        .await;
    assert_eq!(bad.status().as_u16(), 400);
    let refusal = bad.text().await.expect("body");
    assert!(refusal.contains("from_app"), "the refusal names the field: {refusal}");
}

#[tokio::test]
async fn an_unknown_case_is_404_on_page_and_api() {
    let app = spawn_app().await;
    assert_eq!(app.get("/cases/4242").await.status().as_u16(), 404);
    assert_eq!(app.get("/api/case?id=4242").await.status().as_u16(), 404);
    assert_eq!(app.get("/cases/not-a-number").await.status().as_u16(), 404);
}
