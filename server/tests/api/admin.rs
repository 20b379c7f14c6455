//! The admin console over HTTP: area import and its refusals, routing and deadlines for new cases
//! only, deactivation keeping history, staff accounts, and the change log.

use crate::helpers::{expected_deadline, invalid_fields, spawn_app, valid_report, TestApp};
use app::admin::CatalogueView;
use app::cases::ChangeRequest;
use chrono::Utc;
use domain::account::Account;
use domain::case::ActorRole;
use domain::catalogue::{CatalogueChange, Entity};
use serde_json::{json, Value};

/// Two districts south of the city: Quảng Ninh and Lệ Thủy, as a province would draw them.
pub fn districts_file() -> String {
    json!({
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": "quang-ninh", "name": "Huyện Quảng Ninh"},
             "geometry": {"type": "Polygon", "coordinates": [[
                [106.25, 17.10], [106.80, 17.10], [106.80, 17.35], [106.25, 17.35], [106.25, 17.10]]]}},
            {"type": "Feature", "properties": {"code": "le-thuy", "name": "Huyện Lệ Thủy"},
             "geometry": {"type": "MultiPolygon", "coordinates": [
                [[[106.40, 16.85], [107.00, 16.85], [107.00, 17.09], [106.40, 17.09], [106.40, 16.85]]],
                [[[107.10, 16.85], [107.20, 16.85], [107.20, 16.95], [107.10, 16.85]]]]}}
        ]
    })
    .to_string()
}

/// A point inside Quảng Ninh, and one outside every area.
const IN_QUANG_NINH: (f64, f64) = (17.22, 106.55);
const IN_HUE: (f64, f64) = (16.4637, 107.5909);

fn report_at(key: &str, (lat, lon): (f64, f64)) -> Value {
    let mut report = valid_report(key);
    report["lat"] = json!(lat);
    report["lon"] = json!(lon);
    report
}

impl TestApp {
    pub async fn catalogue(&self, admin: &str) -> CatalogueView {
        self.get_ok("/api/admin/catalogue", admin).await
    }

    pub async fn admin_post(&self, admin: &str, endpoint: &str, body: &Value) -> reqwest::Response {
        self.post_json(&format!("/api/admin/{endpoint}"), admin, body).await
    }

    /// An admin request that must succeed.
    pub async fn admin_ok(&self, admin: &str, endpoint: &str, body: &Value) -> Value {
        let response = self.admin_post(admin, endpoint, body).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        assert_eq!(status, 200, "{endpoint} {body}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn change_log(&self, admin: &str) -> Vec<CatalogueChange> {
        self.get_ok("/api/admin/changes", admin).await
    }

    /// Imports the districts file and activates Quảng Ninh, routing environment there to a new committee.
    pub async fn roll_out_quang_ninh(&self, admin: &str) {
        let imported = self.admin_ok(admin, "import_areas", &json!({ "file": districts_file() })).await;
        assert_eq!(imported, json!(["quang-ninh", "le-thuy"]));
        self.admin_ok(admin, "set_area_active", &json!({ "code": "quang-ninh", "active": true })).await;
        let agency = json!({ "form": { "code": "ubnd-quang-ninh", "name": "UBND huyện Quảng Ninh",
            "kind": "district", "contact": "0232 3870 203", "active": true } });
        self.admin_ok(admin, "save_agency", &agency).await;
        let route = json!({ "category": "environment", "area": "quang-ninh", "agency": "ubnd-quang-ninh" });
        self.admin_ok(admin, "save_route", &route).await;
    }
}

#[tokio::test]
async fn an_imported_area_routes_new_cases_once_active_and_outside_stays_out_of_area() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.areas", ActorRole::Admin, None).await;
    let coordinator = app.signed_in("dieuphoi.areas", ActorRole::Coordinator, None).await;

    let imported = app.admin_ok(&admin, "import_areas", &json!({ "file": districts_file() })).await;
    assert_eq!(imported, json!(["quang-ninh", "le-thuy"]));
    let catalogue = app.catalogue(&admin).await;
    let le_thuy = catalogue.areas.iter().find(|a| a.code == "le-thuy").expect("imported");
    assert_eq!((le_thuy.active, le_thuy.shape.polygons.len()), (false, 2), "imported inactive, both polygons kept");

    // While inactive, the new area serves nobody: the pin is out of area.
    let before = app.submit_case_as(&report_at("key-area-before", IN_QUANG_NINH), "").await;
    assert!(app.staff_case(&coordinator, before).await.suggestions.expect("screening").out_of_area);

    let other = app.signed_in("quantri.other", ActorRole::Admin, None).await;
    app.roll_out_quang_ninh(&other).await;
    let inside = app.submit_case_as(&report_at("key-area-inside", IN_QUANG_NINH), "").await;
    let suggestions = app.staff_case(&coordinator, inside).await.suggestions.expect("screening");
    assert!(!suggestions.out_of_area);
    assert_eq!(suggestions.agency.as_deref(), Some("ubnd-quang-ninh"), "routed by the routing table");
    let facts =
        app.change_ok(&coordinator, inside, 1, &ChangeRequest::Accept { agency: "ubnd-quang-ninh".into() }).await;
    assert_eq!(facts.lead_agency.as_deref(), Some("ubnd-quang-ninh"));

    let outside = app.submit_case_as(&report_at("key-area-outside", IN_HUE), "").await;
    assert!(app.staff_case(&coordinator, outside).await.suggestions.expect("screening").out_of_area);

    // Deactivating the area takes it out of screening's check again.
    app.admin_ok(&admin, "set_area_active", &json!({ "code": "quang-ninh", "active": false })).await;
    let after = app.submit_case_as(&report_at("key-area-after", IN_QUANG_NINH), "").await;
    assert!(app.staff_case(&coordinator, after).await.suggestions.expect("screening").out_of_area);

    let missing = app.admin_post(&admin, "set_area_active", &json!({ "code": "ha-noi", "active": true })).await;
    assert_eq!(missing.status().as_u16(), 404);
}

#[tokio::test]
async fn bad_area_files_are_refused_naming_the_problem_and_nothing_is_imported() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.bad", ActorRole::Admin, None).await;
    let areas_before = app.catalogue(&admin).await.areas;
    let feature = |code: &str, ring: Value| {
        json!({"type": "Feature", "properties": {"code": code, "name": format!("Vùng {code}")},
               "geometry": {"type": "Polygon", "coordinates": [ring]}})
    };
    let good = feature("good-area", json!([[106.0, 17.0], [106.1, 17.0], [106.1, 17.1], [106.0, 17.0]]));
    let with_good = |bad: Value| json!({"type": "FeatureCollection", "features": [good.clone(), bad]}).to_string();
    let cases = [
        (
            "unclosed ring",
            with_good(feature("open-ring", json!([[106.0, 17.0], [106.1, 17.0], [106.1, 17.1], [106.0, 17.1]]))),
            "Feature 2 (open-ring): a boundary ring is not closed",
        ),
        (
            "out of range",
            with_good(feature("far-away", json!([[106.0, 17.0], [186.0, 17.0], [106.1, 17.1], [106.0, 17.0]]))),
            "Feature 2 (far-away): position (17, 186) is outside WGS84 ranges",
        ),
        (
            "self-intersection",
            with_good(feature(
                "bow-tie",
                json!([[106.0, 17.0], [106.2, 17.2], [106.2, 17.0], [106.0, 17.2], [106.0, 17.0]]),
            )),
            "Feature 2 (bow-tie): the boundary crosses itself near (17.10000, 106.10000)",
        ),
        (
            "not JSON",
            "{\"type\": \"FeatureCollection\", \"features\": [\n  {\"type\": ".to_string(),
            "Area file: not valid JSON (error at line 2",
        ),
        (
            "over 10 MB",
            format!("{}{}", " ".repeat(10 * 1024 * 1024 + 100), with_good(good.clone())),
            "Area file: the file is 10.0 MB, over the 10.0 MB limit.",
        ),
    ];
    for (what, file, message) in cases {
        let response = app
            .client
            .post(format!("{}/api/admin/import_areas", app.address))
            .header("cookie", &admin)
            .header("cookie", "lang=en")
            .json(&json!({ "file": file }))
            .send()
            .await
            .expect("sent");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json");
        assert_eq!(status, 422, "{what}: {body}");
        assert_eq!(body["error"], json!("area_import"), "{what}");
        let text = body.to_string();
        let rendered = app::i18n::import_problem_message(
            app::i18n::Lang::En,
            &serde_json::from_value(body["details"][0].clone()).expect("a problem"),
        );
        assert!(rendered.starts_with(message), "{what}: {rendered} in {text}");
    }
    // A 50 MB upload is refused before it is read.
    let huge = "x".repeat(50 * 1024 * 1024);
    let response = app.admin_post(&admin, "import_areas", &json!({ "file": huge })).await;
    assert_eq!(response.status().as_u16(), 413, "a 50 MB body is too large");

    assert_eq!(app.catalogue(&admin).await.areas, areas_before, "nothing was imported");
    assert!(app.change_log(&admin).await.is_empty(), "nothing was logged");
}

#[tokio::test]
async fn a_new_deadline_or_route_applies_to_new_cases_only() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.terms", ActorRole::Admin, None).await;
    let coordinator = app.signed_in("dieuphoi.terms", ActorRole::Coordinator, None).await;
    let earlier = app.submit_case_as(&valid_report("key-terms-earlier"), "").await;

    let category = json!({ "form": { "code": "environment", "name_vi": "Môi trường, vệ sinh",
        "name_en": "Environment and sanitation", "deadline_days": "12", "active": true } });
    app.admin_ok(&admin, "save_category", &category).await;
    let route = json!({ "category": "environment", "area": "dong-hoi", "agency": "quawaco" });
    app.admin_ok(&admin, "save_route", &route).await;
    let later = app.submit_case_as(&valid_report("key-terms-later"), "").await;

    let suggested = |id| {
        let app = &app;
        let coordinator = &coordinator;
        async move { app.staff_case(coordinator, id).await.suggestions.expect("screening").agency }
    };
    assert_eq!(suggested(earlier).await.as_deref(), Some("urenco"), "the route when it arrived");
    assert_eq!(suggested(later).await.as_deref(), Some("quawaco"));

    let now = Utc::now();
    let accept = ChangeRequest::Accept { agency: "urenco".into() };
    let first = app.change_ok(&coordinator, earlier, 1, &accept).await.deadline.expect("deadline");
    let second = app.change_ok(&coordinator, later, 1, &accept).await.deadline.expect("deadline");
    let close = |a: chrono::DateTime<Utc>, b: chrono::DateTime<Utc>| (a - b).num_seconds().abs() < 60;
    assert!(close(first, expected_deadline(now, 5)), "the earlier case keeps 5 working days: {first}");
    assert!(close(second, expected_deadline(now, 12)), "the later case gets 12: {second}");
}

#[tokio::test]
async fn deactivating_a_category_or_agency_keeps_history_and_refuses_new_use() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.retire", ActorRole::Admin, None).await;
    let coordinator = app.signed_in("dieuphoi.retire", ActorRole::Coordinator, None).await;
    let id = app.submit_case_as(&valid_report("key-retire-case"), "").await;
    app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;

    let category = json!({ "form": { "code": "environment", "name_vi": "Môi trường, vệ sinh",
        "name_en": "Environment and sanitation", "deadline_days": "5", "active": false } });
    app.admin_ok(&admin, "save_category", &category).await;
    let agency = json!({ "form": { "code": "urenco", "name": "Công ty CP Môi trường và Phát triển đô thị Quảng Bình",
        "kind": "utility", "contact": "", "active": false } });
    app.admin_ok(&admin, "save_agency", &agency).await;

    // The case's history reads as before.
    let public = app.public_case(id).await;
    assert_eq!(public.category_code, "environment");
    let (html, _) = app.public_texts(id).await;
    assert!(html.contains("Môi trường, vệ sinh"), "the category's name still shows");
    let staff = app.staff_case(&coordinator, id).await;
    assert_eq!(staff.facts.lead_agency.as_deref(), Some("urenco"));
    assert!(!staff.agencies.iter().any(|a| a.code == "urenco"), "no longer offered for routing");

    // New use is refused, naming the field.
    let response = app.submit(&valid_report("key-retire-new")).await;
    assert_eq!(response.status().as_u16(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(invalid_fields(&body), ["category"]);
    assert!(body.to_string().contains("ngừng sử dụng"), "{body}");
    assert!(!app.get_ok::<Vec<Value>>("/api/categories", "").await.iter().any(|c| c["code"] == "environment"));
    let mut water = valid_report("key-retire-water");
    water["category"] = json!("water");
    let fresh = app.submit_case_as(&water, "").await;
    let refused = app.change(&coordinator, fresh, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert_eq!(invalid_fields(&refused.json().await.expect("json")), ["agency"]);
    let route = json!({ "category": "water", "area": "dong-hoi", "agency": "urenco" });
    let refused = app.admin_post(&admin, "save_route", &route).await;
    assert_eq!(refused.status().as_u16(), 422, "an inactive agency cannot lead a route");
}

#[tokio::test]
async fn catalogue_changes_are_logged_with_who_when_before_and_after() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.log", ActorRole::Admin, None).await;
    let form = |days: &str| json!({ "form": { "code": "flooding", "name_vi": "Ngập úng", "name_en": "Flooding", "deadline_days": days, "active": true } });
    app.admin_ok(&admin, "save_category", &form("4")).await;
    app.admin_ok(&admin, "save_category", &form("4")).await;
    app.admin_ok(&admin, "save_category", &form("6")).await;
    app.admin_ok(&admin, "save_holiday", &json!({ "form": { "date": "2027-11-20", "name": "Nghỉ đột xuất" } })).await;
    app.admin_ok(&admin, "remove_holiday", &json!({ "date": "2027-11-20" })).await;

    let log = app.change_log(&admin).await;
    let entries: Vec<(Entity, &str, bool, bool)> =
        log.iter().map(|c| (c.entity, c.key.as_str(), c.before.is_some(), c.after.is_some())).collect();
    assert_eq!(
        entries,
        [
            (Entity::Holiday, "2027-11-20", true, false),
            (Entity::Holiday, "2027-11-20", false, true),
            (Entity::Category, "flooding", true, true),
            (Entity::Category, "flooding", false, true),
        ],
        "newest first; saving the same values logs nothing"
    );
    let change = &log[2];
    assert_eq!(change.actor.as_deref(), Some("quantri.log"));
    assert!(change.before.as_deref().is_some_and(|b| b.contains("\"deadline_days\":4")));
    assert!(change.after.as_deref().is_some_and(|a| a.contains("\"deadline_days\":6")));
    assert!((Utc::now() - change.at).num_seconds() < 60);

    let bad = app
        .admin_post(
            &admin,
            "save_category",
            &json!({ "form": { "code": "Ngập", "name_vi": "",
        "name_en": "Flooding", "deadline_days": "90", "active": true } }),
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    assert_eq!(invalid_fields(&bad.json().await.expect("json")), ["code", "name_vi", "deadline_days"]);
    assert_eq!(app.change_log(&admin).await.len(), 4, "a refused edit logs nothing");
}

#[tokio::test]
async fn staff_are_invited_bound_and_deactivated_but_never_deleted() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.staff", ActorRole::Admin, None).await;
    app.roll_out_quang_ninh(&admin).await;

    let officer_without_agency = json!({ "form": { "username": "xuly.moi", "display_name": "Nguyễn Văn Mới",
        "role": { "role": "officer", "agency": "", "areas": [] } } });
    let refused = app.admin_post(&admin, "invite", &officer_without_agency).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert_eq!(invalid_fields(&refused.json().await.expect("json")), ["agency"]);
    let leader_with_area = json!({ "form": { "username": "lanhdao.moi", "display_name": "Lê Thị Lãnh Đạo",
        "role": { "role": "leader", "agency": "", "areas": ["quang-ninh"] } } });
    let refused = app.admin_post(&admin, "invite", &leader_with_area).await;
    assert_eq!(invalid_fields(&refused.json().await.expect("json")), ["areas"]);

    let invitation = json!({ "form": { "username": "dieuphoi.qn", "display_name": "Phan Văn Điều Phối",
        "role": { "role": "coordinator", "agency": "", "areas": ["quang-ninh"] } } });
    let password: String = serde_json::from_value(app.admin_ok(&admin, "invite", &invitation).await).expect("password");
    assert!(password.len() >= 32);
    let taken = app.admin_post(&admin, "invite", &invitation).await;
    assert_eq!(taken.status().as_u16(), 409, "the username is taken");
    let response = app.login("dieuphoi.qn", &password).await;
    assert_eq!(response.status().as_u16(), 200, "the one-time password signs in");
    let session = crate::helpers::session_cookie(&response).expect("cookie");

    let staff: Vec<Account> = app.get_ok("/api/admin/staff", &admin).await;
    let account = staff.iter().find(|a| a.username == "dieuphoi.qn").expect("listed");
    assert_eq!((account.role, account.areas.clone()), (ActorRole::Coordinator, vec!["quang-ninh".to_string()]));

    let deactivate = json!({ "id": account.id, "role": { "role": "coordinator", "agency": "", "areas": ["quang-ninh"] }, "active": false });
    app.admin_ok(&admin, "update_staff", &deactivate).await;
    assert_eq!(app.get_as("/api/staff/screening", &session).await.status().as_u16(), 401, "signed out at once");
    assert_eq!(app.login("dieuphoi.qn", &password).await.status().as_u16(), 401);
    let staff: Vec<Account> = app.get_ok("/api/admin/staff", &admin).await;
    assert!(staff.iter().any(|a| a.username == "dieuphoi.qn" && !a.active), "kept, deactivated");

    let me = staff.iter().find(|a| a.username == "quantri.staff").expect("the admin");
    let demote = json!({ "id": me.id, "role": { "role": "leader", "agency": "", "areas": [] }, "active": true });
    let refused = app.admin_post(&admin, "update_staff", &demote).await;
    assert_eq!(invalid_fields(&refused.json().await.expect("json")), ["role"], "no admin locks themselves out");

    let log = app.change_log(&admin).await;
    assert!(log.iter().any(|c| c.entity == Entity::Account && c.key == "dieuphoi.qn" && c.before.is_none()));
    assert!(log.iter().any(|c| c.entity == Entity::Account
        && c.key == "dieuphoi.qn"
        && c.after.as_deref().is_some_and(|a| a.contains("\"active\":false"))));
}

#[tokio::test]
async fn the_province_demo_gives_each_district_its_areas_routes_and_own_coordinator() {
    let app = crate::helpers::spawn_app_with(hientruong::demo::DemoDataset::Province).await;
    let admin = app.sign_in_with("quantri", hientruong::demo::DEMO_PASSWORD).await;
    let catalogue = app.catalogue(&admin).await;
    for district in ["dong-hoi", "bo-trach", "ba-don", "quang-ninh", "le-thuy"] {
        assert!(catalogue.areas.iter().any(|a| a.code == district && a.active), "{district} is served");
        assert!(
            catalogue.routes.iter().any(|r| r.area == district && r.category == "environment"),
            "{district} routed"
        );
    }

    let district = app.sign_in_with("dieuphoi.ba-don", hientruong::demo::DEMO_PASSWORD).await;
    let queue = app.screening_queue(&district).await;
    assert!(!queue.is_empty(), "Ba Đồn's coordinator has reports to screen");
    assert!(queue.iter().all(|item| item.case.area_code.as_deref() == Some("ba-don")), "only Ba Đồn's");
    let suggested = queue[0].suggestions.as_ref().and_then(|s| s.agency.clone());
    assert!(suggested.is_some_and(|agency| agency.ends_with("ba-don")), "routed to the district's own agencies");

    let province = app.sign_in_with("dieuphoi", hientruong::demo::DEMO_PASSWORD).await;
    let everything = app.screening_queue(&province).await;
    let mut areas: Vec<Option<String>> = everything.iter().map(|item| item.case.area_code.clone()).collect();
    areas.sort();
    areas.dedup();
    assert!(areas.len() >= 4, "the province-level coordinator screens every district: {areas:?}");
}
