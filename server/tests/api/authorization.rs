//! Who may do what: every role against every queue, view and change, driven over HTTP.

use crate::helpers::{spawn_app, valid_report, TestApp};
use app::cases::{ChangeRequest, StaffCase};
use domain::case::{ActorRole, CaseStatus};
use domain::workflow::Rating;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Citizen,
    Operator,
    Coordinator,
    /// A coordinator bound to Quảng Ninh, while the matrix's cases lie in Đồng Hới.
    AreaCoordinator,
    /// An officer of urenco, the agency the case is routed to.
    RoutedOfficer,
    /// An officer of vnpt.
    OtherOfficer,
    Leader,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    ScreeningQueue,
    ReviewQueue,
    AgencyQueue,
    MyReports,
    Notices,
    /// The staff view of a case routed to urenco.
    StaffCase,
    /// Accepting a fresh submitted case.
    Accept,
    /// Acknowledging a fresh case routed to urenco.
    Acknowledge,
    /// Accepting the case already routed to urenco: a lifecycle refusal for the coordinator.
    AcceptRouted,
    PublicPage,
    PublicApi,
    /// The admin console's catalogue.
    AdminCatalogue,
    /// Saving a category in the admin console.
    SaveCategory,
}

const ACTIONS: [Action; 13] = [
    Action::ScreeningQueue,
    Action::ReviewQueue,
    Action::AgencyQueue,
    Action::MyReports,
    Action::Notices,
    Action::StaffCase,
    Action::Accept,
    Action::Acknowledge,
    Action::AcceptRouted,
    Action::PublicPage,
    Action::PublicApi,
    Action::AdminCatalogue,
    Action::SaveCategory,
];

/// The expected HTTP status of each action, in the order of `ACTIONS`. A role that may never take
/// an action gets 403 before the case is read; a role that may, on a case out of its reach (another
/// area, another agency), gets the 404 of a missing case.
#[rustfmt::skip]
const MATRIX: [(Who, [u16; 13]); 9] = [
    //                     screen review agency  mine notices  staff accept   ack re-acc  page  api  admin  save
    (Who::Anonymous,       [401,   401,   401,    401,  401,    401,   401,    401,  401,   200,  200, 401,   401]),
    (Who::Citizen,         [403,   403,   403,    200,  200,    403,   403,    403,  403,   200,  200, 403,   403]),
    (Who::Operator,        [403,   403,   403,    403,  200,    200,   403,    403,  403,   200,  200, 403,   403]),
    (Who::Coordinator,     [200,   200,   403,    403,  200,    200,   200,    403,  409,   200,  200, 403,   403]),
    (Who::AreaCoordinator, [200,   200,   403,    403,  200,    404,   404,    403,  404,   200,  200, 403,   403]),
    (Who::RoutedOfficer,   [403,   403,   200,    403,  200,    200,   403,    200,  403,   200,  200, 403,   403]),
    (Who::OtherOfficer,    [403,   403,   200,    403,  200,    404,   403,    404,  403,   200,  200, 403,   403]),
    (Who::Leader,          [403,   403,   403,    403,  200,    200,   403,    403,  403,   200,  200, 403,   403]),
    (Who::Admin,           [403,   403,   403,    403,  200,    200,   403,    403,  403,   200,  200, 200,   200]),
];

const INTERNAL_NOTE: &str = "NOI-BO-9152 số nhà người báo tin";
const PUBLIC_NOTE: &str = "CONG-KHAI-2287 đã tiếp nhận";
const PHONES: [&str; 2] = ["0905111222", "0905 111 222"];

struct World {
    cookies: Vec<(Who, String)>,
    /// A coordinator who prepares cases and is not part of the matrix.
    setup: String,
    /// Reported by the citizen, routed to urenco, with an internal and a public note.
    routed: i64,
}

impl World {
    fn cookie(&self, who: Who) -> &str {
        self.cookies.iter().find(|(w, _)| *w == who).map(|(_, c)| c.as_str()).unwrap_or_default()
    }
}

async fn world(app: &TestApp) -> World {
    let accounts: [(Who, &str, ActorRole, Option<&str>); 7] = [
        (Who::Citizen, "dan.matrix", ActorRole::Citizen, None),
        (Who::Operator, "tongdai.matrix", ActorRole::Operator, None),
        (Who::Coordinator, "dieuphoi.matrix", ActorRole::Coordinator, None),
        (Who::RoutedOfficer, "xuly.urenco", ActorRole::Officer, Some("urenco")),
        (Who::OtherOfficer, "xuly.vnpt", ActorRole::Officer, Some("vnpt")),
        (Who::Leader, "lanhdao.matrix", ActorRole::Leader, None),
        (Who::Admin, "quantri.matrix", ActorRole::Admin, None),
    ];
    let mut cookies = vec![(Who::Anonymous, String::new())];
    for (who, username, role, agency) in accounts {
        cookies.push((who, app.signed_in(username, role, agency).await));
    }
    // A coordinator of another area, bound through the admin console.
    let admin = cookies.iter().find(|(w, _)| *w == Who::Admin).map(|(_, c)| c.clone()).unwrap_or_default();
    app.roll_out_quang_ninh(&admin).await;
    let invitation = json!({ "form": { "username": "dieuphoi.quangninh", "display_name": "Điều Phối Quảng Ninh",
        "role": { "role": "coordinator", "agency": "", "areas": ["quang-ninh"] } } });
    let password: String = serde_json::from_value(app.admin_ok(&admin, "invite", &invitation).await).expect("password");
    cookies.push((Who::AreaCoordinator, app.sign_in_invited("dieuphoi.quangninh", &password).await));
    let setup = app.signed_in("dieuphoi.setup", ActorRole::Coordinator, None).await;
    let citizen = cookies.iter().find(|(w, _)| *w == Who::Citizen).map(|(_, c)| c.clone()).unwrap_or_default();
    let routed = app.submit_case_as(&valid_report("key-matrix-routed"), &citizen).await;
    let facts = app.change_ok(&setup, routed, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let internal = ChangeRequest::AddNote { text: INTERNAL_NOTE.into(), public: false };
    let facts = app.change_ok(&setup, routed, facts.version, &internal).await;
    let public = ChangeRequest::AddNote { text: PUBLIC_NOTE.into(), public: true };
    app.change_ok(&setup, routed, facts.version, &public).await;
    World { cookies, setup, routed }
}

/// Performs `action` as `who`; answers the status and the body.
async fn perform(app: &TestApp, world: &World, who: Who, action: Action, cell: usize) -> (u16, String) {
    let cookie = world.cookie(who);
    let routed = world.routed;
    let response = match action {
        Action::ScreeningQueue => app.get_as("/api/staff/screening", cookie).await,
        Action::ReviewQueue => app.get_as("/api/staff/review", cookie).await,
        Action::AgencyQueue => app.get_as("/api/staff/agency", cookie).await,
        Action::MyReports => app.get_as("/api/my/reports", cookie).await,
        Action::Notices => app.get_as("/api/my/notices", cookie).await,
        Action::StaffCase => app.get_as(&format!("/api/staff/case?id={routed}"), cookie).await,
        Action::Accept => {
            let fresh = app.submit_case_as(&valid_report(&format!("key-matrix-acc-{cell:03}")), "").await;
            app.change(cookie, fresh, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await
        }
        Action::Acknowledge => {
            let fresh = app.submit_case_as(&valid_report(&format!("key-matrix-ack-{cell:03}")), "").await;
            let facts = app.change_ok(&world.setup, fresh, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
            app.change(cookie, fresh, facts.version, &ChangeRequest::Acknowledge).await
        }
        Action::AcceptRouted => {
            let version = app.events(routed).await.len() as u32;
            app.change(cookie, routed, version, &ChangeRequest::Accept { agency: "vnpt".into() }).await
        }
        Action::PublicPage => app.get_as(&format!("/cases/{routed}"), cookie).await,
        Action::PublicApi => app.get_as(&format!("/api/case?id={routed}"), cookie).await,
        Action::AdminCatalogue => app.get_as("/api/admin/catalogue", cookie).await,
        Action::SaveCategory => {
            let form = json!({ "form": { "code": "matrix", "name_vi": "Ma trận", "name_en": "Matrix",
                "deadline_days": "3", "active": false } });
            app.admin_post(cookie, "save_category", &form).await
        }
    };
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn every_role_gets_the_expected_status_for_every_action() {
    let app = spawn_app().await;
    let world = world(&app).await;
    let mut mismatches = Vec::new();
    let mut cell = 0;
    for (who, expected_row) in MATRIX {
        for (action, expected) in ACTIONS.into_iter().zip(expected_row) {
            cell += 1;
            let (status, body) = perform(&app, &world, who, action, cell).await;
            if status != expected {
                mismatches.push(format!("{who:?} × {action:?}: expected {expected}, got {status}: {body}"));
            }
            if status == 200 && who == Who::AreaCoordinator && action == Action::ScreeningQueue {
                let queue: app::cases::QueuePage = serde_json::from_str(&body).expect("queue");
                if queue.items.iter().any(|item| item.case.area_code.as_deref() != Some("quang-ninh")) {
                    mismatches.push(format!("{who:?} × ScreeningQueue: lists cases of other areas"));
                }
            }
            if status == 200 && action == Action::StaffCase {
                let view: StaffCase = serde_json::from_str(&body).expect("staff case");
                let sees_contact = view.contact.is_some();
                let should = matches!(who, Who::Operator | Who::Coordinator);
                if sees_contact != should {
                    mismatches.push(format!("{who:?} × StaffCase: contact shown {sees_contact}, expected {should}"));
                }
                if should && !PHONES.iter().any(|phone| body.contains(phone)) {
                    mismatches.push(format!("{who:?} × StaffCase: the contact carries no phone"));
                }
                if !body.contains(INTERNAL_NOTE) {
                    mismatches.push(format!("{who:?} × StaffCase: staff should see the internal note"));
                }
            }
            if matches!(action, Action::PublicPage | Action::PublicApi | Action::MyReports) && status == 200 {
                for secret in PHONES.iter().chain([&INTERNAL_NOTE]) {
                    if body.contains(secret) {
                        mismatches.push(format!("{who:?} × {action:?}: public response shows {secret:?}"));
                    }
                }
                if action != Action::MyReports && !body.contains(PUBLIC_NOTE) {
                    mismatches.push(format!("{who:?} × {action:?}: the public note is missing"));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[tokio::test]
async fn the_citizens_own_report_shows_without_internal_notes_or_contact() {
    let app = spawn_app().await;
    let world = world(&app).await;
    let reports = app.my_reports(world.cookie(Who::Citizen)).await;
    let (case, facts) = reports.iter().find(|(c, _)| c.id == world.routed).expect("the citizen's report is listed");
    assert_eq!(facts.lead_agency.as_deref(), Some("urenco"));
    assert!(case.timeline.iter().any(|e| e.note.as_deref() == Some(PUBLIC_NOTE)));
    assert!(case.timeline.iter().all(|e| e.note.as_deref() != Some(INTERNAL_NOTE)));
    // Another citizen's list does not carry it.
    let other = app.signed_in("dan.khac", ActorRole::Citizen, None).await;
    assert!(app.my_reports(&other).await.iter().all(|(c, _)| c.id != world.routed));
}

#[tokio::test]
async fn only_the_reporter_rates_a_resolved_case_and_only_once() {
    let app = spawn_app().await;
    let reporter = app.signed_in("dan.reporter", ActorRole::Citizen, None).await;
    let stranger = app.signed_in("dan.stranger", ActorRole::Citizen, None).await;
    let coordinator = app.signed_in("dieuphoi.rate", ActorRole::Coordinator, None).await;
    let officer = app.signed_in("xuly.urenco", ActorRole::Officer, Some("urenco")).await;
    let id = app.submit_case_as(&valid_report("key-matrix-rate1"), &reporter).await;
    let rate = ChangeRequest::Rate { rating: Rating::Satisfied, comment: String::new() };
    let error = |status: u16, body: Value| (status, body["error"].clone(), body["details"].clone());

    let facts = app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let early = app.change(&reporter, id, facts.version, &rate).await;
    let status = early.status().as_u16();
    assert_eq!(
        error(status, early.json().await.expect("json")),
        (409, json!("refused"), json!("wrong_state")),
        "a lifecycle refusal before the result"
    );
    let facts = app.change_ok(&officer, id, facts.version, &ChangeRequest::Acknowledge).await;
    let result = ChangeRequest::SubmitResult { summary: "Đã xong.".into(), photos: Vec::new() };
    let facts = app.change_ok(&officer, id, facts.version, &result).await;
    let facts = app
        .change_ok(&coordinator, id, facts.version, &ChangeRequest::ApproveResult { published: String::new() })
        .await;

    let response = app.change(&stranger, id, facts.version, &rate).await;
    let status = response.status().as_u16();
    let refused = error(status, response.json().await.expect("json"));
    assert_eq!(refused.0, 404, "another citizen may not rate, and learns nothing of the case");
    let missing = app.change(&stranger, id + 1000, facts.version, &rate).await;
    let status = missing.status().as_u16();
    assert_eq!(error(status, missing.json().await.expect("json")), refused, "the same answer as a missing case");
    let stale = app.change(&reporter, id, facts.version - 1, &rate).await;
    let status = stale.status().as_u16();
    assert_eq!(error(status, stale.json().await.expect("json")).1, json!("conflict"), "a stale version");
    assert_eq!(status, 409);
    let facts = app.change_ok(&reporter, id, facts.version, &rate).await;
    assert_eq!(facts.status, CaseStatus::Closed);
    let again = app.change(&reporter, id, facts.version, &rate).await;
    let status = again.status().as_u16();
    assert_eq!(error(status, again.json().await.expect("json")), (409, json!("refused"), json!("wrong_state")));
    assert_eq!(app.events(id).await.len(), 6, "refusals append nothing");
}

/// One state-changing call, twice: about something that exists (with input that would pass) and
/// about something missing (with input that would not).
struct Probe {
    what: &'static str,
    path: &'static str,
    existing: Value,
    missing: Value,
}

fn probes(case: i64, resolved: i64, hotline: i64, account: i64) -> Vec<Probe> {
    let change = |id: i64, version: u32, request: Value| json!({ "id": id, "version": version, "request": request });
    let note = |text: &str| json!({ "action": "add_note", "text": text, "public": false });
    let missing = case + 1000;
    let role = json!({ "role": "coordinator", "agency": "", "areas": [] });
    let call = |id: i64| {
        json!({ "direction": "inbound", "input": { "phone": "0905 111 222", "purpose": "status_inquiry",
            "outcome": "answered", "case_id": id, "duration_seconds": 30, "callback_at": null, "note": "" } })
    };
    let probe = |what, path, existing, missing| Probe { what, path, existing, missing };
    vec![
        probe(
            "accept",
            "/api/staff/change",
            change(case, 1, json!({ "action": "accept", "agency": "urenco" })),
            change(missing, 9, json!({ "action": "accept", "agency": "khong-co" })),
        ),
        probe("note", "/api/staff/change", change(case, 1, note("Ghi chú hợp lệ")), change(missing, 1, note(""))),
        probe(
            "rate",
            "/api/staff/change",
            change(resolved, 5, json!({ "action": "rate", "rating": "satisfied", "comment": "" })),
            change(missing, 1, json!({ "action": "rate", "rating": "satisfied", "comment": "" })),
        ),
        probe(
            "save category",
            "/api/admin/save_category",
            json!({ "form": { "code": "moi", "name_vi": "Mới", "name_en": "New", "deadline_days": "3", "active": true } }),
            json!({ "form": { "code": "", "name_vi": "", "name_en": "", "deadline_days": "x", "active": true } }),
        ),
        probe(
            "save agency",
            "/api/admin/save_agency",
            json!({ "form": { "code": "moi", "name": "Đơn vị mới", "kind": "district", "contact": "0232", "active": true } }),
            json!({ "form": { "code": "", "name": "", "kind": "district", "contact": "", "active": true } }),
        ),
        probe(
            "import areas",
            "/api/admin/import_areas",
            json!({ "file": "{\"type\":\"FeatureCollection\",\"features\":[]}" }),
            json!({ "file": "không phải GeoJSON" }),
        ),
        probe(
            "set area active",
            "/api/admin/set_area_active",
            json!({ "code": "dong-hoi", "active": false }),
            json!({ "code": "khong-co", "active": false }),
        ),
        probe(
            "save route",
            "/api/admin/save_route",
            json!({ "category": "environment", "area": "dong-hoi", "agency": "vnpt" }),
            json!({ "category": "khong-co", "area": "khong-co", "agency": "khong-co" }),
        ),
        probe(
            "remove route",
            "/api/admin/remove_route",
            json!({ "category": "environment", "area": "dong-hoi" }),
            json!({ "category": "khong-co", "area": "khong-co" }),
        ),
        probe(
            "save holiday",
            "/api/admin/save_holiday",
            json!({ "form": { "date": "2027-11-20", "name": "Nghỉ" } }),
            json!({ "form": { "date": "ngày mai", "name": "" } }),
        ),
        probe("remove holiday", "/api/admin/remove_holiday", json!({ "date": "2027-01-01" }), json!({ "date": "x" })),
        probe(
            "invite",
            "/api/admin/invite",
            json!({ "form": { "username": "moi.vao", "display_name": "Người Mới", "role": role } }),
            json!({ "form": { "username": "!", "display_name": "", "role": role } }),
        ),
        probe(
            "update staff",
            "/api/admin/update_staff",
            json!({ "id": account, "role": role, "active": false }),
            json!({ "id": account + 1000, "role": role, "active": false }),
        ),
        probe("issue key", "/api/admin/issue_api_key", json!({ "name": "Hệ thống" }), json!({ "name": "" })),
        probe("revoke key", "/api/admin/revoke_api_key", json!({ "id": 1 }), json!({ "id": 1000 })),
        probe(
            "hotline report",
            "/api/hotline/report",
            json!({ "input": crate::helpers::hotline_report("key-authz-hotline"), "duration_seconds": 30 }),
            json!({ "input": valid_report(""), "duration_seconds": 30 }),
        ),
        probe("log call", "/api/hotline/call", call(case), call(missing)),
        probe(
            "claim",
            "/api/my/claim",
            json!({ "id": hotline, "code": "12345678" }),
            json!({ "id": missing, "code": "không phải mã" }),
        ),
        probe(
            "change password",
            "/api/change_password",
            json!({ "current": crate::helpers::PASSWORD, "new": "mật-khẩu-mới-đủ-dài-01" }),
            json!({ "current": "", "new": "" }),
        ),
        probe(
            "reset staff password",
            "/api/admin/reset_password",
            json!({ "id": account }),
            json!({ "id": account + 1000 }),
        ),
        probe(
            "update profile",
            "/api/my/update_profile",
            json!({ "input": { "display_name": "Người Dân", "email": "dan@example.vn", "phone": "0912 345 678" } }),
            json!({ "input": { "display_name": "", "email": "không phải địa chỉ", "phone": "1" } }),
        ),
        probe("resend verification", "/api/my/resend_verification", json!({}), json!({})),
    ]
}

/// Who may not make each call, and the answer they get: 401 without a session, 403 for a role
/// that may never make it, 404 for a role that may, on a case out of its reach. `None` for those
/// who may make it.
fn refused(what: &str, who: Who) -> Option<u16> {
    if who == Who::Anonymous {
        return Some(401);
    }
    let allowed: &[Who] = match what {
        "accept" => &[Who::Coordinator],
        "note" => &[Who::Coordinator, Who::RoutedOfficer],
        "rate" => &[],
        "hotline report" | "log call" => &[Who::Operator],
        "claim" => &[Who::Citizen],
        // Staff keep their own address too, where their digests and deadline warnings go.
        "change password" | "update profile" | "resend verification" => return None,
        _ => &[Who::Admin],
    };
    if allowed.contains(&who) {
        return None;
    }
    let out_of_reach = match what {
        "accept" => who == Who::AreaCoordinator,
        "note" => matches!(who, Who::AreaCoordinator | Who::OtherOfficer),
        "rate" => who == Who::Citizen,
        _ => false,
    };
    Some(if out_of_reach { 404 } else { 403 })
}

#[tokio::test]
async fn every_state_changing_call_refuses_the_wrong_caller_alike_for_existing_and_missing_things() {
    let app = &spawn_app().await;
    let world = world(app).await;
    let operator = world.cookie(Who::Operator).to_string();
    let hotline = app.hotline_case(&operator, &crate::helpers::hotline_report("key-authz-claim")).await;
    // Reported by a citizen outside the matrix, so the matrix's citizen is a stranger to it.
    let reporter = app.signed_in("dan.authz", ActorRole::Citizen, None).await;
    let resolved = app.submit_case_as(&valid_report("key-authz-resolved"), &reporter).await;
    let officer = world.cookie(Who::RoutedOfficer).to_string();
    let facts = app.change_ok(&world.setup, resolved, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let facts = app.change_ok(&officer, resolved, facts.version, &ChangeRequest::Acknowledge).await;
    let result = ChangeRequest::SubmitResult { summary: "Đã xong.".into(), photos: Vec::new() };
    let facts = app.change_ok(&officer, resolved, facts.version, &result).await;
    let facts = app
        .change_ok(&world.setup, resolved, facts.version, &ChangeRequest::ApproveResult { published: String::new() })
        .await;
    assert_eq!(facts.version, 5, "the rate probe names this version");
    let fresh = app.submit_case_as(&valid_report("key-authz-fresh"), "").await;
    let account = app.create_account("dieuphoi.authz", ActorRole::Coordinator, None).await;
    let ids = [world.routed, fresh, resolved, hotline];
    let stored = || async move {
        let mut events = Vec::new();
        for id in ids {
            events.push(app.events(id).await.len());
        }
        (events, app.case_count().await)
    };
    let before = stored().await;
    let mut mismatches = Vec::new();
    for (who, _) in MATRIX {
        for probe in probes(fresh, resolved, hotline, account) {
            let Some(expected) = refused(probe.what, who) else { continue };
            // The area coordinator and the other officer are refused on the routed case, out of their reach.
            let existing = match probe.what {
                "note" => json!({ "id": world.routed, "version": 1, "request": probe.existing["request"] }),
                _ => probe.existing.clone(),
            };
            let cookie = world.cookie(who);
            let path = probe.path;
            let answer = |body: Value| async move {
                let response = app.post_json(path, cookie, &body).await;
                (response.status().as_u16(), response.text().await.expect("body"))
            };
            let (for_existing, for_missing) = (answer(existing).await, answer(probe.missing.clone()).await);
            if for_existing.0 != expected || for_existing != for_missing {
                mismatches.push(format!(
                    "{who:?} × {}: expected {expected} alike, got {for_existing:?} and {for_missing:?}",
                    probe.what
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
    assert_eq!(stored().await, before, "refusals change nothing");
}
