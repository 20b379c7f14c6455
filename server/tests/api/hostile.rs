//! Hostile input: malformed JSON, wrong types, huge and invisible text, cross-site content types and
//! origins. Each request is refused with a 4xx naming the field in the language it asked for, and
//! nothing of any of them is stored.

use crate::helpers::{spawn_app, valid_report, TestApp, PASSWORD};
use domain::case::ActorRole;
use serde_json::{json, Value};
use services::store::Store;

/// How a hostile request is sent.
#[derive(Clone, Copy)]
enum Sender {
    /// As the site's own page does: JSON from the site's origin.
    Site,
    /// With this content type, from the site's origin.
    ContentType(&'static str),
    /// JSON with this `Origin`.
    Origin(&'static str),
    /// JSON with this `Referer` and no `Origin`.
    Referer(&'static str),
    /// JSON with neither `Origin` nor `Referer`.
    Nowhere,
}

struct Hostile {
    what: &'static str,
    path: &'static str,
    /// Sent as an administrator when true, else anonymously.
    admin: bool,
    sender: Sender,
    body: String,
    status: u16,
    field: &'static str,
}

fn case(what: &'static str, path: &'static str, body: impl Into<String>, status: u16, field: &'static str) -> Hostile {
    Hostile { what, path, admin: false, sender: Sender::Site, body: body.into(), status, field }
}

fn report_with(field: &str, value: Value) -> String {
    let mut report = valid_report("key-hostile-0001");
    report[field] = value;
    json!({ "input": report }).to_string()
}

fn report_without(field: &str) -> String {
    let mut report = valid_report("key-hostile-0002");
    report.as_object_mut().expect("an object").remove(field);
    json!({ "input": report }).to_string()
}

fn valid_body() -> String {
    json!({ "input": valid_report("key-hostile-0003") }).to_string()
}

fn login_body() -> String {
    json!({"username": "admin.hostile", "password": PASSWORD}).to_string()
}

fn registration(field: &str, value: Value) -> String {
    let mut input =
        json!({"username": "nguoi.dan.moi", "display_name": "Người dân mới", "password": "mật khẩu đủ dài 123"});
    input[field] = value;
    json!({ "input": input }).to_string()
}

fn cases() -> Vec<Hostile> {
    let huge = "Ổ gà ".repeat(200_000);
    let zero_width = "\u{200B}".repeat(12);
    let mut list = vec![
        // Malformed JSON: the body as a whole cannot be read.
        case("not JSON", "/api/submit_case", "{not json", 400, "body"),
        case("empty body", "/api/submit_case", "", 400, "body"),
        case("cut short", "/api/submit_case", r#"{"input":"#, 400, "body"),
        case("cut short inside the report", "/api/submit_case", r#"{"input": {"title": "Ổ gà""#, 400, "body"),
        case("null", "/api/submit_case", "null", 400, "body"),
        case("a list", "/api/submit_case", "[]", 400, "body"),
        case("a bare string", "/api/submit_case", r#""phản ánh""#, 400, "body"),
        case("trailing garbage", "/api/submit_case", format!("{}}}", valid_body()), 400, "body"),
        case("login not JSON", "/api/login", "{username:", 400, "body"),
        case("register not JSON", "/api/register", "{,}", 400, "body"),
        case("password change not JSON", "/api/change_password", "}{", 400, "body"),
        case("case change not JSON", "/api/staff/change", "nul", 400, "body"),
        case("call not JSON", "/api/hotline/call", "{\"direction\"", 400, "body"),
        case("claim not JSON", "/api/my/claim", "{'id': 1}", 400, "body"),
        // Wrong types: the field is named.
        case("latitude as words", "/api/submit_case", report_with("lat", json!("north")), 400, "lat"),
        case("longitude as a boolean", "/api/submit_case", report_with("lon", json!(true)), 400, "lon"),
        case("latitude as an object", "/api/submit_case", report_with("lat", json!({"deg": 17})), 400, "lat"),
        case("title as a number", "/api/submit_case", report_with("title", json!(42)), 400, "title"),
        case("description as a list", "/api/submit_case", report_with("description", json!([])), 400, "description"),
        case("category as an object", "/api/submit_case", report_with("category", json!({})), 400, "category"),
        case("key as a number", "/api/submit_case", report_with("submission_key", json!(12345)), 400, "submission_key"),
        case("photos as a string", "/api/submit_case", report_with("photos", json!("abc")), 400, "photos"),
        case("a photo as a number", "/api/submit_case", report_with("photos", json!([1])), 400, "photos.0"),
        case("name as a boolean", "/api/submit_case", report_with("reporter_name", json!(false)), 400, "reporter_name"),
        case("the report as a string", "/api/submit_case", r#"{"input": "all of it"}"#, 400, "input"),
        case("no report", "/api/submit_case", "{}", 400, "input"),
        case("no title", "/api/submit_case", report_without("title"), 400, "title"),
        case("no category", "/api/submit_case", report_without("category"), 400, "category"),
        case("login name as a number", "/api/login", r#"{"username": 12, "password": "x"}"#, 400, "username"),
        case("login password null", "/api/login", r#"{"username": "a.b", "password": null}"#, 400, "password"),
        case("login without password", "/api/login", r#"{"username": "a.b"}"#, 400, "password"),
        case("display name as a number", "/api/register", registration("display_name", json!(5)), 400, "display_name"),
        case("registration password as a list", "/api/register", registration("password", json!([])), 400, "password"),
        case("new password as a list", "/api/change_password", r#"{"current": "x", "new": []}"#, 400, "new"),
        case("case id as words", "/api/staff/change", r#"{"id": "x", "version": 1, "request": {}}"#, 400, "id"),
        case("negative version", "/api/staff/change", r#"{"id": 1, "version": -1, "request": {}}"#, 400, "version"),
        case(
            "unknown action",
            "/api/staff/change",
            r#"{"id": 1, "version": 1, "request": {"action": "teleport"}}"#,
            400,
            "action",
        ),
        case(
            "unknown call direction",
            "/api/hotline/call",
            r#"{"direction": "sideways", "input": {}}"#,
            400,
            "direction",
        ),
        case("claim id as a list", "/api/my/claim", r#"{"id": [1], "phone": "0905111222"}"#, 400, "id"),
        // A body larger than any report is refused before it is read; invisible text is read,
        // then refused by the rules, naming the field.
        case("title of a megabyte", "/api/submit_case", report_with("title", json!(huge)), 413, "body"),
        case("title too long", "/api/submit_case", report_with("title", json!("Ổ".repeat(121))), 422, "title"),
        case(
            "description too long",
            "/api/submit_case",
            report_with("description", json!("a".repeat(4001))),
            422,
            "description",
        ),
        case("title of zero-width spaces", "/api/submit_case", report_with("title", json!(zero_width)), 422, "title"),
        case(
            "title of byte-order marks",
            "/api/submit_case",
            report_with("title", json!("\u{FEFF}".repeat(8))),
            422,
            "title",
        ),
        case(
            "title reversed by an override",
            "/api/submit_case",
            report_with("title", json!("Ổ gà \u{202E}lớn giữa đường")),
            422,
            "title",
        ),
        case(
            "title hiding a zero-width space",
            "/api/submit_case",
            report_with("title", json!("Ổ gà\u{200B}lớn")),
            422,
            "title",
        ),
        case("title with a NUL", "/api/submit_case", report_with("title", json!("Ổ gà\u{0000} lớn")), 422, "title"),
        case("title of blanks", "/api/submit_case", report_with("title", json!("   \t  ")), 422, "title"),
        case(
            "description of invisible text",
            "/api/submit_case",
            report_with("description", json!("\u{2060}".repeat(40))),
            422,
            "description",
        ),
        case(
            "huge reporter name",
            "/api/submit_case",
            report_with("reporter_name", json!("A".repeat(10_000))),
            422,
            "reporter_name",
        ),
        case("huge username", "/api/register", registration("username", json!("a".repeat(1000))), 422, "username"),
        case(
            "display name reversed by an override",
            "/api/register",
            registration("display_name", json!("\u{202E}Nguyễn Văn A")),
            422,
            "display_name",
        ),
    ];
    // Cross-site: refused before anything reads the body.
    let cross_site: [(&'static str, &'static str, Sender, &'static str); 18] = [
        ("plain text report", "/api/submit_case", Sender::ContentType("text/plain"), "content-type"),
        ("form report", "/api/submit_case", Sender::ContentType("application/x-www-form-urlencoded"), "content-type"),
        (
            "multipart report",
            "/api/submit_case",
            Sender::ContentType("multipart/form-data; boundary=x"),
            "content-type",
        ),
        ("report without a type", "/api/submit_case", Sender::ContentType(""), "content-type"),
        ("plain text login", "/api/login", Sender::ContentType("text/plain;charset=UTF-8"), "content-type"),
        ("plain text registration", "/api/register", Sender::ContentType("text/plain"), "content-type"),
        ("plain text photo", "/api/v1/photos", Sender::ContentType("text/plain"), "content-type"),
        ("JSON to Open311", "/open311/v2/requests.json", Sender::ContentType("application/json"), "content-type"),
        ("report from another site", "/api/submit_case", Sender::Origin("https://evil.example"), "origin"),
        ("login from another site", "/api/login", Sender::Origin("https://evil.example"), "origin"),
        ("report from an opaque origin", "/api/submit_case", Sender::Origin("null"), "origin"),
        ("report from a sibling port", "/api/submit_case", Sender::Origin("http://127.0.0.1:1"), "origin"),
        ("logout from another site", "/api/logout", Sender::Origin("http://evil.example"), "origin"),
        ("registration from another site", "/api/register", Sender::Origin("https://evil.example"), "origin"),
        ("report from nowhere", "/api/submit_case", Sender::Nowhere, "origin"),
        ("report referred by another site", "/api/submit_case", Sender::Referer("https://evil.example/page"), "origin"),
        ("password change from another site", "/api/change_password", Sender::Origin("https://evil.example"), "origin"),
        ("call from nowhere", "/api/hotline/call", Sender::Nowhere, "origin"),
    ];
    for (what, path, sender, field) in cross_site {
        let body = if path == "/api/login" { login_body() } else { valid_body() };
        list.push(Hostile { what, path, admin: false, sender, body, status: 403, field });
    }
    list.push(Hostile {
        what: "plain text area file from the admin",
        path: "/api/admin/import_areas",
        admin: true,
        sender: Sender::ContentType("text/plain"),
        body: json!({"file": "{}"}).to_string(),
        status: 403,
        field: "content-type",
    });
    list.push(Hostile {
        what: "area file from another site",
        path: "/api/admin/import_areas",
        admin: true,
        sender: Sender::Origin("https://evil.example"),
        body: json!({"file": "{}"}).to_string(),
        status: 403,
        field: "origin",
    });
    list.push(Hostile {
        admin: true,
        ..case("area file as a number", "/api/admin/import_areas", r#"{"file": 7}"#, 400, "file")
    });
    list.push(Hostile {
        admin: true,
        ..case("area file not JSON", "/api/admin/import_areas", "{\"file\": }", 400, "body")
    });
    list
}

/// Sends `hostile` asking for `lang` (`vi` by default, `en` through `Accept-Language`).
async fn send(app: &TestApp, hostile: &Hostile, admin: &str, english: bool) -> reqwest::Response {
    let bare = reqwest::Client::new();
    let url = format!("{}{}", app.address, hostile.path);
    let mut request = bare.post(url).body(hostile.body.clone());
    request = match hostile.sender {
        Sender::Site => request.header("content-type", "application/json").header("origin", &app.address),
        Sender::ContentType("") => request.header("origin", &app.address),
        Sender::ContentType(kind) => request.header("content-type", kind).header("origin", &app.address),
        Sender::Origin(origin) => request.header("content-type", "application/json").header("origin", origin),
        Sender::Referer(referer) => request.header("content-type", "application/json").header("referer", referer),
        Sender::Nowhere => request.header("content-type", "application/json"),
    };
    if hostile.admin {
        request = request.header("cookie", admin);
    }
    if english {
        request = request.header("accept-language", "en-US,en;q=0.9");
    }
    request.send().await.expect("sent")
}

/// The refused fields and their messages, whichever of the server's error shapes answered.
fn named_fields(body: &Value) -> Vec<(String, String)> {
    let problems = match (&body["errors"], &body["details"]) {
        (Value::Array(errors), _) => errors.clone(),
        (_, Value::Array(details)) => details.clone(),
        (_, details @ Value::Object(_)) => vec![details.clone()],
        _ => Vec::new(),
    };
    problems
        .iter()
        .filter_map(|p| Some((p["field"].as_str()?.to_string(), p["message"].as_str()?.to_string())))
        .collect()
}

#[tokio::test]
async fn hostile_requests_are_refused_naming_the_field_in_the_callers_language_and_store_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin.hostile", ActorRole::Admin, None).await;
    let store = app.store().await;
    let areas_before = store.areas().await.expect("areas").len();
    let accounts_before = store.staff_accounts().await.expect("accounts").len();
    let cases = cases();
    assert!(cases.len() >= 60, "{} hostile cases", cases.len());
    for hostile in &cases {
        for english in [false, true] {
            let response = send(&app, hostile, &admin, english).await;
            let status = response.status().as_u16();
            let text = response.text().await.expect("body");
            let body: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON ({e}): {text}", hostile.what));
            assert_eq!(status, hostile.status, "{} (english: {english}): {body}", hostile.what);
            let fields = named_fields(&body);
            let named = fields.iter().find(|(field, _)| field == hostile.field);
            let (_, message) = named.unwrap_or_else(|| panic!("{} names {}: {body}", hostile.what, hostile.field));
            // Vietnamese messages always carry its letters; the English ones are plain ASCII.
            assert_eq!(message.is_ascii(), english, "{} (english: {english}): {message}", hostile.what);
            assert!(!message.contains("expected") && !message.contains("line 1"), "no parser text: {message}");
        }
    }
    assert_eq!(store.count_cases().await.expect("count"), 0, "no case was stored");
    assert_eq!(store.areas().await.expect("areas").len(), areas_before, "no area was stored");
    assert_eq!(store.staff_accounts().await.expect("accounts").len(), accounts_before);
    assert!(store.calls(None, 10).await.expect("calls").is_empty(), "no call was stored");
    assert_eq!(app.login("nguoi.dan.moi", "mật khẩu đủ dài 123").await.status().as_u16(), 401, "no account was made");
}

#[tokio::test]
async fn formulas_and_markup_in_a_report_reach_exports_and_pages_as_inert_text() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.hostile", ActorRole::Coordinator, None).await;
    let mut report = valid_report("key-hostile-formula");
    report["title"] = json!("=HYPERLINK(\"http://evil.example\",\"Xem\")");
    report["description"] = json!("@SUM(1+1) <img src=x onerror=alert(1)> rác đổ trộm ven sông");
    let formula = app.submit_case_as(&report, "").await;
    let mut report = valid_report("key-hostile-markup");
    report["title"] = json!("</title><img src=x onerror=alert(1)> ổ gà");
    let markup = app.submit_case_as(&report, "").await;
    for id in [formula, markup] {
        let accept = app::cases::ChangeRequest::Accept { agency: "urenco".into() };
        app.change_ok(&coordinator, id, 1, &accept).await;
    }

    let csv = app.get("/api/v1/cases.csv").await.text().await.expect("csv");
    assert!(csv.contains(r#""'=HYPERLINK(""http://evil.example"",""Xem"")""#), "{csv}");
    assert!(csv.contains("'@SUM(1+1) <img src=x onerror=alert(1)> rác"), "{csv}");
    for line in csv.lines().skip(1) {
        for cell in line.split(',') {
            // A cell never starts a formula, whether quoted or not.
            assert!(!cell.trim_start_matches('"').starts_with(['=', '+', '@']), "a live formula: {cell} in {line}");
        }
    }

    let page = app.get(&format!("/cases/{markup}")).await.text().await.expect("html");
    assert!(!page.contains("<img src=x onerror"), "the title is not markup on its page");
    assert!(page.contains("&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt; ổ gà"), "the title is shown as written");
    // Not even inside the document's title, which ends at the first `</title>`.
    assert!(page.contains("<title>#2 · &lt;/title&gt;&lt;img"), "the document title keeps it as text");
}
