//! The access log of personal data: staff views of a reporter's contact and of callers' numbers are
//! recorded before they are shown, administrators read them filtered by person and by case,
//! leaders see counts, and a view that cannot be recorded shows nothing.

use crate::helpers::{hotline_report, spawn_app, valid_report, TestApp, CALLER_NAME, CALLER_PHONE_NATIONAL};
use app::access_log::{AccessLogPage, PeriodAccessCounts};
use app::cases::ChangeRequest;
use chrono::Utc;
use domain::access_log::{AccessCount, AccessEntry, AccessPurpose, AccessSubject};
use domain::case::ActorRole;
use serde_json::Value;

impl TestApp {
    /// `GET /api/admin/access_log` with its filters, answering the raw response.
    async fn access_log_response(&self, cookie: &str, person: &str, case_number: &str) -> reqwest::Response {
        self.client
            .get(format!("{}/api/admin/access_log", self.address))
            .query(&[("username", person), ("case_id", case_number)])
            .header("cookie", cookie)
            .send()
            .await
            .expect("request sent")
    }

    /// The first page of the access log as the administrator `cookie` reads it; must be allowed.
    async fn access_log(&self, cookie: &str, person: &str, case_number: &str) -> Vec<AccessEntry> {
        let response = self.access_log_response(cookie, person, case_number).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        assert_eq!(status, 200, "the access log ({person:?}, {case_number:?}): {text}");
        let page: AccessLogPage = serde_json::from_str(&text).expect("an access log page");
        page.entries
    }
}

/// The ids of the cases an entry covered.
fn cases_of(entry: &AccessEntry) -> Vec<i64> {
    entry.cases()
}

#[tokio::test]
async fn staff_views_of_contacts_and_numbers_appear_in_the_admins_log_with_who_when_and_which_case() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.log", ActorRole::Admin, None).await;
    let coordinator = app.signed_in("dieuphoi.log", ActorRole::Coordinator, None).await;
    let operator = app.signed_in("tongdai.log", ActorRole::Operator, None).await;
    let leader = app.signed_in("lanhdao.log", ActorRole::Leader, None).await;
    let citizen = app.signed_in("dan.log", ActorRole::Citizen, None).await;
    let reported = app.submit_case_as(&valid_report("key-access-citizen-1"), &citizen).await;
    let phoned = app.hotline_case(&operator, &hotline_report("key-access-hotline1")).await;

    // A citizen reading their own report sees their own contact: no staff access is recorded.
    assert_eq!(app.my_reports(&citizen).await.len(), 1);
    app.case_as(&citizen, reported).await;
    assert!(app.access_log(&admin, "", "").await.is_empty(), "a citizen's own view records nothing; nor does filing");

    // A coordinator opens the case's staff view, with the reporter's contact.
    let before = Utc::now();
    let view = app.staff_case(&coordinator, reported).await;
    assert!(view.contact.is_some(), "the coordinator sees the contact");
    // An operator looks up the caller of a phoned-in report: the calls about it, with the number.
    let calls = app.recent_calls(&operator, Some(phoned)).await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].call.phone.as_ref().map(|phone| phone.as_str()), Some(CALLER_PHONE_NATIONAL));
    // And works through the verification calls, which show each reporter's name and number.
    let version = app.events(reported).await.len() as u32;
    app.change_ok(&coordinator, reported, version, &ChangeRequest::RequestVerification { note: String::new() }).await;
    let queue = app.verification_queue(&operator).await;
    assert_eq!(queue.iter().map(|item| item.case.id).collect::<Vec<_>>(), vec![reported]);
    let after = Utc::now();

    // The administrator reads every view, newest first: who, when, which case, and which page.
    let log = app.access_log(&admin, "", "").await;
    let summary: Vec<(&str, ActorRole, AccessPurpose, Vec<i64>)> =
        log.iter().map(|e| (e.username.as_str(), e.role, e.purpose, cases_of(e))).collect();
    assert_eq!(
        summary,
        vec![
            ("tongdai.log", ActorRole::Operator, AccessPurpose::VerificationQueue, vec![reported]),
            ("tongdai.log", ActorRole::Operator, AccessPurpose::CallLog, vec![phoned]),
            ("dieuphoi.log", ActorRole::Coordinator, AccessPurpose::StaffCase, vec![reported]),
        ]
    );
    for entry in &log {
        assert!(before <= entry.at && entry.at <= after, "recorded when seen: {entry:?}");
        assert!(entry.display_name.starts_with("Người thử"), "named: {entry:?}");
    }
    assert_eq!(log[1].subjects, vec![AccessSubject::call(calls[0].id, Some(phoned))], "the call seen is named");
    let text = app.access_log_response(&admin, "", "").await.text().await.expect("body");
    assert!(!text.contains(CALLER_PHONE_NATIONAL) && !text.contains("0905111222"), "the log holds no number: {text}");

    // Filtered by person, by case, and by both.
    let ids = |entries: Vec<AccessEntry>| entries.iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(ids(app.access_log(&admin, "dieuphoi.log", "").await), vec![log[2].id]);
    assert_eq!(ids(app.access_log(&admin, "TONGDAI.LOG", "").await), vec![log[0].id, log[1].id]);
    assert_eq!(ids(app.access_log(&admin, "", &reported.to_string()).await), vec![log[0].id, log[2].id]);
    assert_eq!(ids(app.access_log(&admin, "", &format!("#{phoned}")).await), vec![log[1].id]);
    assert_eq!(ids(app.access_log(&admin, "tongdai.log", &reported.to_string()).await), vec![log[0].id]);
    assert!(app.access_log(&admin, "lanhdao.log", "").await.is_empty(), "the leader saw nothing");

    // A filter that is not a case number is refused by name, in the caller's language.
    let refused = app.access_log_response(&admin, "", "không-phải-số").await;
    assert_eq!(refused.status().as_u16(), 422);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(crate::helpers::invalid_fields(&body), vec!["case_id"]);

    // Only administrators read the log: 401 signed out, 403 for the other roles, whatever they ask.
    for (who, cookie) in
        [("coordinator", &coordinator), ("operator", &operator), ("leader", &leader), ("citizen", &citizen)]
    {
        for case_number in ["", "không-phải-số"] {
            let response = app.access_log_response(cookie, "", case_number).await;
            assert_eq!(response.status().as_u16(), 403, "{who} reads no access log");
        }
    }
    assert_eq!(app.access_log_response("", "", "không-phải-số").await.status().as_u16(), 401);

    // Leaders see counts by role, and nothing of what was seen.
    let counts: PeriodAccessCounts = app.get_ok("/api/leader/access_counts?from=&to=", &leader).await;
    assert_eq!(
        counts.by_role,
        vec![
            AccessCount { role: ActorRole::Coordinator, views: 1, people: 1, cases: 1 },
            AccessCount { role: ActorRole::Operator, views: 2, people: 1, cases: 2 },
        ]
    );
    assert!(counts.from < counts.to, "the last twelve months: {counts:?}");
    let _: PeriodAccessCounts = app.get_ok("/api/leader/access_counts?from=&to=", &admin).await;
    for cookie in [&coordinator, &operator, &citizen] {
        assert_eq!(app.get_as("/api/leader/access_counts?from=&to=", cookie).await.status().as_u16(), 403);
    }
    assert_eq!(app.get_as("/api/leader/access_counts?from=&to=", "").await.status().as_u16(), 401);
    let bad = app.get_as("/api/leader/access_counts?from=2026-13-01&to=", &leader).await;
    assert_eq!(bad.status().as_u16(), 422);
}

#[tokio::test]
async fn officers_leaders_and_admins_see_no_contact_and_leave_no_entry() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.none", ActorRole::Admin, None).await;
    let leader = app.signed_in("lanhdao.none", ActorRole::Leader, None).await;
    let officer = app.signed_in("xuly.none", ActorRole::Officer, Some("urenco")).await;
    let coordinator = app.signed_in("dieuphoi.none", ActorRole::Coordinator, None).await;
    let id = app.submit_case_as(&valid_report("key-access-nobody-1"), "").await;
    // Accepted without opening its staff view, so that every staff role may open it.
    app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    for cookie in [&admin, &leader, &officer] {
        assert!(app.staff_case(cookie, id).await.contact.is_none());
    }
    assert!(app.access_log(&admin, "", "").await.is_empty(), "no contact shown, nothing recorded");
}

#[tokio::test]
async fn a_view_that_cannot_be_recorded_shows_no_personal_data() {
    use sqlx::Connection;
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.closed", ActorRole::Admin, None).await;
    let coordinator = app.signed_in("dieuphoi.closed", ActorRole::Coordinator, None).await;
    let operator = app.signed_in("tongdai.closed", ActorRole::Operator, None).await;
    let phoned = app.hotline_case(&operator, &hotline_report("key-access-closed1")).await;
    let version = app.events(phoned).await.len() as u32;
    app.change_ok(&coordinator, phoned, version, &ChangeRequest::RequestVerification { note: String::new() }).await;

    // The log stops taking records, as a full disk or a failing database would.
    let mut database = sqlx::SqliteConnection::connect(&app.database_url).await.expect("connect");
    sqlx::query(
        "CREATE TRIGGER access_log_broken BEFORE INSERT ON staff_accesses
         BEGIN SELECT RAISE(ABORT, 'the access log is unavailable'); END",
    )
    .execute(&mut database)
    .await
    .expect("break the log");

    for path in [
        format!("/api/staff/case?id={phoned}"),
        format!("/api/hotline/calls?case_id={phoned}"),
        "/api/hotline/calls".to_string(),
        "/api/hotline/verification".to_string(),
    ] {
        let cookie = if path.starts_with("/api/staff") { &coordinator } else { &operator };
        let response = app.get_as(&path, cookie).await;
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        assert_eq!(status, 503, "{path} fails closed: {text}");
        assert!(!text.contains(CALLER_PHONE_NATIONAL) && !text.contains(CALLER_NAME), "{path} shows nothing: {text}");
    }
    // The staff page itself renders without the contact.
    let page = app.get_as(&format!("/staff/cases/{phoned}"), &coordinator).await.text().await.expect("page");
    assert!(!page.contains(CALLER_PHONE_NATIONAL), "the page shows no number");

    sqlx::query("DROP TRIGGER access_log_broken").execute(&mut database).await.expect("mend the log");
    let view = app.staff_case(&coordinator, phoned).await;
    assert!(view.contact.is_some(), "once the log works again, the contact shows");
    let log = app.access_log(&admin, "", "").await;
    assert_eq!(log.len(), 1, "only the view that was shown is recorded: {log:?}");
    assert_eq!((log[0].purpose, cases_of(&log[0])), (AccessPurpose::StaffCase, vec![phoned]));
}
