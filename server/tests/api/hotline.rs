//! The hotline over HTTP: reports taken by phone, the call log, verification calls, who may use
//! them, what the public never sees, the channel the server decides, and claims by callers.

use crate::helpers::{
    hotline_report, invalid_fields, session_cookie, spawn_app, valid_report, TestApp, CALLER_NAME, CALLER_PHONE,
    CALLER_PHONE_NATIONAL,
};
use app::cases::{ChangeRequest, StaffCase};
use chrono::{DateTime, Duration, Utc};
use domain::account::Account;
use domain::calls::{CallDirection, CallOutcome, CallPurpose};
use domain::case::{ActorRole, CaseEvent, CaseStatus, Channel};
use domain::workflow::{Change, ChangeKind};
use serde_json::{json, Value};
use services::store::Store;

/// The caller's number in every spelling that must never reach the public. The last one, the
/// subscriber digits alone, is inside every national and international spelling.
const PHONE_SPELLINGS: [&str; 8] = [
    "0912345678",
    "0912 345 678",
    "091 234 5678",
    "0912.345.678",
    "+84912345678",
    "+84 912 345 678",
    "+84 91 234 5678",
    "912345678",
];

/// The answer's status and its body as JSON.
async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("json body ({status}): {e}: {text}")))
}

/// The case's call events, oldest first.
fn call_events(events: &[CaseEvent]) -> Vec<&CaseEvent> {
    events.iter().filter(|e| e.change.kind() == ChangeKind::CallLogged).collect()
}

/// A time `ahead` from now at the millisecond, as a browser would send it.
fn at_millis(ahead: Duration) -> DateTime<Utc> {
    let at = Utc::now() + ahead;
    DateTime::from_timestamp_millis(at.timestamp_millis()).expect("a representable time")
}

/// An outbound call to the caller about case `id` (outbound calls need one).
fn outbound(id: Option<i64>, outcome: &str, callback_at: Option<DateTime<Utc>>, note: &str) -> Value {
    json!({
        "phone": CALLER_PHONE,
        "purpose": null,
        "outcome": outcome,
        "case_id": id,
        "duration_seconds": 45,
        "callback_at": callback_at,
        "note": note
    })
}

/// An inbound call asking how case `id` is going.
fn status_inquiry(id: Option<i64>, phone: &str) -> Value {
    json!({
        "phone": phone,
        "purpose": "status_inquiry",
        "outcome": "answered",
        "case_id": id,
        "duration_seconds": 60,
        "callback_at": null,
        "note": "Người dân hỏi tiến độ xử lý"
    })
}

/// Checks that no public surface of the screened case `id` (the case page and API, its Open311
/// request, the map page) carries the caller's number in any spelling, nor their name, nor any of
/// `secrets`.
async fn assert_public_hides_the_caller(app: &TestApp, id: i64, secrets: &[&str]) {
    let (page, api) = app.public_texts(id).await;
    assert!(page.contains("Người gọi cho biết cống trước nhà bị tắc"), "the case page shows the report itself");
    let request = app.get(&format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(request.status().as_u16(), 200, "the Open311 request answers");
    let request = request.text().await.expect("json");
    assert!(request.contains(&format!("\"service_request_id\":\"{id}\"")), "Open311 shows case {id}: {request}");
    let map = app.get("/map").await;
    assert_eq!(map.status().as_u16(), 200, "the map page answers");
    let map = map.text().await.expect("html");
    let surfaces = [("case page", &page), ("case API", &api), ("Open311 request", &request), ("map page", &map)];
    for (surface, text) in surfaces {
        for secret in PHONE_SPELLINGS.iter().chain([&CALLER_NAME]).chain(secrets) {
            assert!(!text.contains(secret), "the public {surface} shows {secret:?}");
        }
    }
}

#[tokio::test]
async fn a_hotline_report_is_a_hotline_case_with_its_call_on_the_internal_timeline() {
    let app = spawn_app().await;
    let operator_id = app.create_account("tongdai.report", ActorRole::Operator, None).await;
    let operator = app.sign_in("tongdai.report").await;
    let coordinator = app.signed_in("dieuphoi.report", ActorRole::Coordinator, None).await;

    // Without the caller's phone the report is refused and nothing is stored.
    for phone in ["", "   "] {
        let mut report = hotline_report("key-hotline-nophone");
        report["reporter_phone"] = json!(phone);
        let (status, body) = answer(app.submit_hotline(&operator, &report, 60).await).await;
        assert_eq!(status, 422, "a hotline report needs the caller's phone ({phone:?}): {body}");
        assert_eq!(invalid_fields(&body), vec!["reporter_phone"], "{phone:?}");
    }
    assert_eq!(app.store().await.count_cases().await.expect("count"), 0, "no case stored without a phone");
    assert!(app.stored_calls().await.is_empty(), "no call logged without a phone");

    let report = hotline_report("key-hotline-000001");
    let id = app.hotline_case(&operator, &report).await;

    // Before screening the public finds nothing; the operator and the coordinator see a hotline case.
    app.assert_hidden_from_the_public(id).await;
    assert_eq!(app.case_as(&operator, id).await.channel, Channel::Hotline);
    let api = app.get_as(&format!("/api/case?id={id}"), &coordinator).await.text().await.expect("json");
    assert!(api.contains("\"channel\":\"hotline\""), "the case API names the channel: {api}");

    // The coordinator screens it as a hotline case that no citizen account reported.
    let screening = app.screening_queue(&coordinator).await;
    let item = screening.iter().find(|item| item.case.id == id).expect("the hotline report waits for screening");
    assert_eq!(item.case.channel, Channel::Hotline);
    assert_eq!(item.case.facts.status, CaseStatus::Submitted);
    assert_eq!(item.case.facts.reporter_account, None, "the operator is not the reporter");

    // The call that brought it is in the log, linked to the case, for operators and coordinators.
    let calls = app.recent_calls(&operator, Some(id)).await;
    assert_eq!(calls.len(), 1, "one call: {calls:?}");
    let record = &calls[0];
    let call = &record.call;
    assert_eq!(
        (call.direction, call.purpose, call.outcome, call.case_id),
        (CallDirection::Inbound, Some(CallPurpose::NewReport), CallOutcome::ReportCreated, Some(id))
    );
    assert_eq!(call.phone.as_ref().map(|p| p.as_str()), Some(CALLER_PHONE_NATIONAL));
    assert_eq!((call.duration_seconds, call.callback_at), (95, None));
    assert_eq!(record.operator_account, Some(operator_id), "the operator who took the call");
    assert_eq!(app.recent_calls(&coordinator, Some(id)).await, calls, "the coordinator reads the same log");
    assert_eq!(app.recent_calls(&operator, None).await, calls, "the latest calls");

    // And on the case's internal timeline, never the public one.
    let staff = app.staff_case(&coordinator, id).await;
    assert!(matches!(staff.events[0].change, Change::Submitted { channel: Channel::Hotline, .. }));
    assert_eq!(staff.events[0].actor_role, ActorRole::Operator);
    let logged = call_events(&staff.events);
    assert_eq!(logged.len(), 1, "one call event: {:?}", staff.events);
    assert_eq!(
        logged[0].change,
        Change::CallLogged {
            direction: CallDirection::Inbound,
            outcome: CallOutcome::ReportCreated,
            callback_at: None
        }
    );
    assert!(!logged[0].public, "call events are internal");
    assert_eq!((logged[0].actor_role, logged[0].actor_id), (ActorRole::Operator, Some(operator_id)));
    assert_eq!(staff.facts.status, CaseStatus::Submitted, "the call does not move the case");
    let public = app.case_as(&coordinator, id).await;
    assert_eq!(public.timeline.iter().map(|e| e.kind).collect::<Vec<_>>(), vec![ChangeKind::Submitted]);

    // Retrying the same submission creates no second case and logs no second call.
    let (status, body) = answer(app.submit_hotline(&operator, &report, 95).await).await;
    assert_eq!(status, 200, "a retry is answered: {body}");
    assert_eq!((body["id"].as_i64(), &body["newly_created"]), (Some(id), &json!(false)), "the first case: {body}");
    assert_eq!(app.store().await.count_cases().await.expect("count"), 1, "one case");
    assert_eq!(app.stored_calls().await.len(), 1, "one call");
    assert_eq!(app.events(id).await.len(), staff.events.len(), "no second call event");
}

#[tokio::test]
async fn a_verification_call_is_queued_rescheduled_and_done_on_the_internal_timeline_only() {
    let app = spawn_app().await;
    let operator = app.signed_in("tongdai.verify", ActorRole::Operator, None).await;
    let coordinator = app.signed_in("dieuphoi.verify", ActorRole::Coordinator, None).await;
    let id = app.hotline_case(&operator, &hotline_report("key-hotline-verify1")).await;
    assert!(app.verification_queue(&operator).await.is_empty(), "nothing to verify before the coordinator asks");

    // The coordinator asks the hotline to phone the caller.
    let note = "XAC-MINH-5521 hỏi lại vị trí cống";
    let version = app.staff_case(&coordinator, id).await.facts.version;
    let before = Utc::now();
    let request = ChangeRequest::RequestVerification { note: note.into() };
    let facts = app.change_ok(&coordinator, id, version, &request).await;
    let after = Utc::now();
    assert_eq!(facts.status, CaseStatus::Submitted, "asking for a call does not move the case");
    let due = facts.verification_due.expect("a call is due");
    assert!(before <= due && due <= after, "due at once: {due}");

    let queue = app.verification_queue(&operator).await;
    assert_eq!(queue.len(), 1, "{queue:?}");
    let item = &queue[0];
    assert_eq!(item.case.id, id);
    assert_eq!(item.case.channel, Channel::Hotline);
    assert_eq!(item.caller_phone.as_deref(), Some(CALLER_PHONE_NATIONAL), "the operator gets the number to dial");
    assert_eq!(item.caller_name.as_deref(), Some(CALLER_NAME));
    assert!(!item.upcoming, "a call due now is not upcoming");
    assert!(before <= item.due && item.due <= after, "due at the request: {}", item.due);

    // The caller asks to be called back in two hours: the item waits for that time.
    let callback_at = at_millis(Duration::hours(2));
    let callback = outbound(Some(id), "callback_scheduled", Some(callback_at), "Người gọi đang bận, hẹn gọi lại");
    let record = app.log_call_ok(&operator, CallDirection::Outbound, &callback).await;
    assert_eq!(
        (record.call.direction, record.call.outcome, record.call.callback_at, record.call.case_id),
        (CallDirection::Outbound, CallOutcome::CallbackScheduled, Some(callback_at), Some(id))
    );
    let queue = app.verification_queue(&operator).await;
    let item = queue.iter().find(|item| item.case.id == id).expect("a scheduled callback stays in the queue");
    assert!(item.upcoming, "the callback's time has not come");
    assert_eq!(item.due, callback_at, "due at the callback time");
    assert_eq!(item.caller_phone.as_deref(), Some(CALLER_PHONE_NATIONAL));

    // The caller confirms the report: the case leaves the queue.
    let confirmed = outbound(Some(id), "confirmed", None, "Người gọi xác nhận thông tin");
    app.log_call_ok(&operator, CallDirection::Outbound, &confirmed).await;
    let queue = app.verification_queue(&operator).await;
    assert!(queue.iter().all(|item| item.case.id != id), "a confirmed case leaves the queue: {queue:?}");

    // Staff see the request and both calls as internal events.
    let staff = app.staff_case(&coordinator, id).await;
    assert_eq!(staff.facts.verification_due, None);
    assert_eq!(staff.facts.status, CaseStatus::Submitted, "calls do not move the case");
    let changes: Vec<&Change> = staff.events.iter().skip(1).map(|e| &e.change).collect();
    assert_eq!(
        changes,
        vec![
            &Change::CallLogged {
                direction: CallDirection::Inbound,
                outcome: CallOutcome::ReportCreated,
                callback_at: None
            },
            &Change::VerificationRequested { note: note.into() },
            &Change::CallLogged {
                direction: CallDirection::Outbound,
                outcome: CallOutcome::CallbackScheduled,
                callback_at: Some(callback_at)
            },
            &Change::CallLogged {
                direction: CallDirection::Outbound,
                outcome: CallOutcome::Confirmed,
                callback_at: None
            },
        ]
    );
    assert!(staff.events.iter().skip(1).all(|e| !e.public), "the request and the calls are internal");
    let operator_view = app.staff_case(&operator, id).await;
    assert_eq!(operator_view.events, staff.events, "the operator sees the same timeline");
    let calls = app.recent_calls(&coordinator, Some(id)).await;
    let outcomes: Vec<CallOutcome> = calls.iter().map(|r| r.call.outcome).collect();
    assert_eq!(
        outcomes,
        vec![CallOutcome::Confirmed, CallOutcome::CallbackScheduled, CallOutcome::ReportCreated],
        "the case's calls, newest first"
    );

    // The public never sees them: before screening it sees nothing of the case at all, and the
    // case's public view (as its screeners see it) holds only the submission.
    app.assert_hidden_from_the_public(id).await;
    let public = app.case_as(&coordinator, id).await;
    assert_eq!(public.timeline.iter().map(|e| e.kind).collect::<Vec<_>>(), vec![ChangeKind::Submitted]);
    let api = serde_json::to_string(&public).expect("json");
    for internal in ["call_logged", "verification_requested", "callback_scheduled", note, "hẹn gọi lại"] {
        assert!(!api.contains(internal), "the public view shows {internal:?}");
    }
    let facts = app.staff_case(&coordinator, id).await.facts;
    app.change_ok(&coordinator, id, facts.version, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let (page, api) = app.public_texts(id).await;
    for text in [&page, &api] {
        for internal in ["call_logged", "verification_requested", "callback_scheduled", note, "hẹn gọi lại"] {
            assert!(!text.contains(internal), "the public case shows {internal:?}");
        }
    }
    assert_public_hides_the_caller(&app, id, &[note]).await;
}

#[tokio::test]
async fn an_inquiry_shows_on_its_case_and_bad_calls_are_refused_by_field_and_not_logged() {
    let app = spawn_app().await;
    let operator = app.signed_in("tongdai.inquiry", ActorRole::Operator, None).await;
    let coordinator = app.signed_in("dieuphoi.inquiry", ActorRole::Coordinator, None).await;
    let id = app.hotline_case(&operator, &hotline_report("key-hotline-inquiry")).await;
    let events_before = app.events(id).await.len();

    // Someone phones about the case by its number.
    let record = app.log_call_ok(&operator, CallDirection::Inbound, &status_inquiry(Some(id), "+84 912 345 678")).await;
    assert_eq!(
        (record.call.purpose, record.call.outcome, record.call.case_id),
        (Some(CallPurpose::StatusInquiry), CallOutcome::Answered, Some(id))
    );
    assert_eq!(record.call.phone.as_ref().map(|p| p.as_str()), Some(CALLER_PHONE_NATIONAL), "stored in national form");
    let calls = app.recent_calls(&coordinator, Some(id)).await;
    let logged = calls.iter().find(|r| r.id == record.id).expect("the inquiry is among the case's calls");
    assert_eq!(logged.call, record.call);
    assert_eq!(calls.len(), 2, "the report's call and the inquiry");
    let staff = app.staff_case(&coordinator, id).await;
    assert_eq!(staff.events.len(), events_before + 1, "one more event");
    let last = staff.events.last().expect("events");
    assert_eq!(
        last.change,
        Change::CallLogged { direction: CallDirection::Inbound, outcome: CallOutcome::Answered, callback_at: None }
    );
    assert!(!last.public);
    assert_eq!(last.actor_role, ActorRole::Operator);

    // Refused calls name their field and leave no trace.
    let calls_before = app.stored_calls().await.len();
    let events_before = app.events(id).await.len();
    let past = at_millis(-Duration::hours(1));
    let refused: [(&str, CallDirection, Value, &str); 5] = [
        ("unknown case number", CallDirection::Inbound, status_inquiry(Some(id + 1000), CALLER_PHONE), "case_id"),
        ("bad phone", CallDirection::Inbound, status_inquiry(Some(id), "12345"), "phone"),
        ("outbound without a case", CallDirection::Outbound, outbound(None, "confirmed", None, ""), "case_id"),
        (
            "callback in the past",
            CallDirection::Outbound,
            outbound(Some(id), "callback_scheduled", Some(past), ""),
            "callback_at",
        ),
        (
            "unknown case, outbound",
            CallDirection::Outbound,
            outbound(Some(id + 1000), "confirmed", None, ""),
            "case_id",
        ),
    ];
    for (label, direction, input, field) in refused {
        let (status, body) = answer(app.log_call(&operator, direction, &input).await).await;
        assert_eq!(status, 422, "{label}: {body}");
        assert_eq!(invalid_fields(&body), vec![field], "{label}");
    }
    assert_eq!(app.stored_calls().await.len(), calls_before, "no refused call is logged");
    assert_eq!(app.events(id).await.len(), events_before, "no refused call reaches the case");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Citizen,
    Operator,
    Coordinator,
    /// An officer of urenco, the agency the request-verification case is routed to.
    Officer,
    Leader,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    HotlineReport,
    LogCall,
    VerificationQueue,
    RecentCalls,
    /// Asking for a verification call on a case routed to urenco.
    RequestVerification,
}

const ACTIONS: [Action; 5] = [
    Action::HotlineReport,
    Action::LogCall,
    Action::VerificationQueue,
    Action::RecentCalls,
    Action::RequestVerification,
];

/// The expected HTTP status of each action, in the order of `ACTIONS`.
#[rustfmt::skip]
const MATRIX: [(Who, [u16; 5]); 7] = [
    //                 report  call  queue calls  verify
    (Who::Anonymous,   [401,   401,  401,  401,   401]),
    (Who::Citizen,     [403,   403,  403,  403,   403]),
    (Who::Operator,    [200,   200,  200,  200,   403]),
    (Who::Coordinator, [403,   403,  403,  200,   200]),
    (Who::Officer,     [403,   403,  403,  403,   403]),
    (Who::Leader,      [403,   403,  403,  403,   403]),
    (Who::Admin,       [403,   403,  403,  403,   403]),
];

async fn perform(app: &TestApp, cookie: &str, setup: &str, action: Action, cell: usize) -> (u16, String) {
    let response = match action {
        Action::HotlineReport => {
            app.submit_hotline(cookie, &hotline_report(&format!("key-hl-matrix-{cell:03}")), 30).await
        }
        Action::LogCall => {
            let guidance = json!({
                "phone": "0987 654 321",
                "purpose": "guidance",
                "outcome": "answered",
                "case_id": null,
                "duration_seconds": 30,
                "callback_at": null,
                "note": ""
            });
            app.log_call(cookie, CallDirection::Inbound, &guidance).await
        }
        Action::VerificationQueue => app.get_as("/api/hotline/verification", cookie).await,
        Action::RecentCalls => app.get_as("/api/hotline/calls", cookie).await,
        Action::RequestVerification => {
            let fresh = app.submit_case_as(&valid_report(&format!("key-hl-verify-{cell:03}")), "").await;
            let facts = app.change_ok(setup, fresh, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
            let request = ChangeRequest::RequestVerification { note: "Gọi lại người báo tin".into() };
            app.change(cookie, fresh, facts.version, &request).await
        }
    };
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn every_role_gets_the_expected_status_for_every_hotline_action() {
    let app = spawn_app().await;
    let accounts: [(Who, &str, ActorRole, Option<&str>); 6] = [
        (Who::Citizen, "dan.hotline", ActorRole::Citizen, None),
        (Who::Operator, "tongdai.hotline", ActorRole::Operator, None),
        (Who::Coordinator, "dieuphoi.hotline", ActorRole::Coordinator, None),
        (Who::Officer, "xuly.urenco", ActorRole::Officer, Some("urenco")),
        (Who::Leader, "lanhdao.hotline", ActorRole::Leader, None),
        (Who::Admin, "quantri.hotline", ActorRole::Admin, None),
    ];
    let mut cookies = vec![(Who::Anonymous, String::new())];
    for (who, username, role, agency) in accounts {
        cookies.push((who, app.signed_in(username, role, agency).await));
    }
    let setup = app.signed_in("dieuphoi.setup", ActorRole::Coordinator, None).await;
    let mut mismatches = Vec::new();
    let mut cell = 0;
    for (who, expected_row) in MATRIX {
        let cookie = cookies.iter().find(|(w, _)| *w == who).map(|(_, c)| c.as_str()).unwrap_or_default();
        for (action, expected) in ACTIONS.into_iter().zip(expected_row) {
            cell += 1;
            let (status, body) = perform(&app, cookie, &setup, action, cell).await;
            if status != expected {
                mismatches.push(format!("{who:?} × {action:?}: expected {expected}, got {status}: {body}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));

    // Only the operator's report and the operator's call were logged; refused reports stored nothing.
    let calls = app.stored_calls().await;
    let purposes: Vec<Option<CallPurpose>> = calls.iter().rev().map(|r| r.call.purpose).collect();
    assert_eq!(purposes, vec![Some(CallPurpose::NewReport), Some(CallPurpose::Guidance)], "{calls:?}");
    let store = app.store().await;
    let hotline_cases = store
        .list_cases(&services::store::CaseQuery::InStatus(vec![CaseStatus::Submitted, CaseStatus::Assigned]), 1000)
        .await
        .expect("cases")
        .into_iter()
        .filter(|c| c.channel == Channel::Hotline)
        .count();
    assert_eq!(hotline_cases, 1, "only the operator's hotline report is stored");
}

#[tokio::test]
async fn the_callers_phone_reaches_operators_and_coordinators_only() {
    let app = spawn_app().await;
    let operator = app.signed_in("tongdai.privacy", ActorRole::Operator, None).await;
    let coordinator = app.signed_in("dieuphoi.privacy", ActorRole::Coordinator, None).await;
    let officer = app.signed_in("xuly.urenco", ActorRole::Officer, Some("urenco")).await;
    let leader = app.signed_in("lanhdao.privacy", ActorRole::Leader, None).await;
    let id = app.hotline_case(&operator, &hotline_report("key-hotline-privacy")).await;
    // A later call from the same person, typed in international form, and the case routed to urenco.
    app.log_call_ok(&operator, CallDirection::Inbound, &status_inquiry(Some(id), "+84 91 234 5678")).await;
    let facts = app.staff_case(&coordinator, id).await.facts;
    let facts =
        app.change_ok(&coordinator, id, facts.version, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    assert_eq!(facts.lead_agency.as_deref(), Some("urenco"));

    assert_public_hides_the_caller(&app, id, &[]).await;

    for (label, cookie, sees) in [
        ("operator", &operator, true),
        ("coordinator", &coordinator, true),
        ("leader", &leader, false),
        ("officer", &officer, false),
    ] {
        let response = app.get_as(&format!("/api/staff/case?id={id}"), cookie).await;
        assert_eq!(response.status().as_u16(), 200, "the {label} opens the case");
        let body = response.text().await.expect("json");
        let view: StaffCase = serde_json::from_str(&body).expect("staff case");
        assert_eq!(call_events(&view.events).len(), 2, "the {label} sees the calls on the timeline");
        if sees {
            let contact = view.contact.as_ref().expect("operators and coordinators see the contact");
            assert_eq!(contact.phone.as_ref().map(|p| p.as_str()), Some(CALLER_PHONE_NATIONAL), "{label}");
            assert_eq!(contact.name.as_ref().map(|n| n.as_str()), Some(CALLER_NAME), "{label}");
            assert!(body.contains(CALLER_PHONE_NATIONAL), "the {label}'s view carries the number");
        } else {
            assert_eq!(view.contact, None, "the {label} does not see the contact");
            for spelling in PHONE_SPELLINGS.iter().chain([&CALLER_NAME]) {
                assert!(!body.contains(spelling), "the {label}'s view shows {spelling:?}");
            }
        }
    }
}

#[tokio::test]
async fn the_server_decides_the_channel_whatever_the_client_says() {
    let app = spawn_app().await;
    let operator = app.signed_in("tongdai.channel", ActorRole::Operator, None).await;
    let citizen = app.signed_in("dan.channel", ActorRole::Citizen, None).await;

    let web = app.submit_case_as(&valid_report("key-channel-web-01"), "").await;
    assert_eq!(app.case_as(&operator, web).await.channel, Channel::Web);
    let hotline = app.hotline_case(&operator, &hotline_report("key-channel-hotline")).await;
    assert_eq!(app.case_as(&operator, hotline).await.channel, Channel::Hotline);

    let spoofs = [
        ("key-channel-api-01", "api", ""),
        ("key-channel-hot-01", "hotline", ""),
        ("key-channel-hot-02", "hotline", citizen.as_str()),
        ("key-channel-hot-03", "hotline", operator.as_str()),
    ];
    for (key, claimed, cookie) in spoofs {
        let mut report = valid_report(key);
        report["channel"] = json!(claimed);
        let id = app.submit_case_as(&report, cookie).await;
        assert_eq!(
            app.case_as(&operator, id).await.channel,
            Channel::Web,
            "{key}: a web form report claiming {claimed:?}"
        );
        let api = app.get_as(&format!("/api/case?id={id}"), &operator).await.text().await.expect("json");
        assert!(api.contains("\"channel\":\"web\""), "{key}: {api}");
        let events = app.events(id).await;
        assert!(matches!(events[0].change, Change::Submitted { channel: Channel::Web, .. }), "{key}: {events:?}");
    }
    assert!(app.stored_calls().await.iter().all(|r| r.call.case_id == Some(hotline)), "web reports log no calls");
}

#[tokio::test]
async fn a_caller_claims_their_phoned_in_report_once_by_number_and_claim_code() {
    let app = spawn_app().await;
    let operator = app.signed_in("tongdai.claim", ActorRole::Operator, None).await;
    let (id, code) = app.hotline_case_with_code(&operator, &hotline_report("key-hotline-claim01")).await;
    let wrong = format!("{:08}", (code.parse::<u64>().expect("digits") + 1) % 100_000_000);

    // The caller registers an account.
    let registration =
        json!({ "input": { "username": "hoa.le", "display_name": "Lê Thị Hoa", "password": "một mật khẩu đủ dài" } });
    let response = app.post_json("/api/register", "", &registration).await;
    assert_eq!(response.status().as_u16(), 200, "registration");
    let citizen = session_cookie(&response).expect("registration signs in");
    let account: Account = response.json().await.expect("account");
    let other = app.signed_in("dan.khac", ActorRole::Citizen, None).await;

    // A wrong code, a case that does not exist and a case not phoned in get the same answer; the
    // caller's phone number no longer claims anything.
    let web = app.submit_case_as(&valid_report("key-claim-web-01"), "").await;
    let (wrong_status, wrong_body) = answer(app.claim(&citizen, id, &wrong).await).await;
    let (missing_status, missing_body) = answer(app.claim(&citizen, id + 1000, &code).await).await;
    let (web_status, web_body) = answer(app.claim(&citizen, web, &code).await).await;
    assert_eq!((wrong_status, missing_status, web_status), (404, 404, 404), "{wrong_body} / {missing_body}");
    assert_eq!(wrong_body, missing_body, "no probing which cases exist");
    assert_eq!(web_body, missing_body, "only phoned-in reports are claimed");
    let (status, body) = answer(app.claim(&citizen, id, CALLER_PHONE_NATIONAL).await).await;
    assert_eq!((status, invalid_fields(&body)), (422, vec!["code".to_string()]), "a phone is not a claim code");
    assert!(app.my_reports(&citizen).await.is_empty());
    let events_before = app.events(id).await.len();

    // Only citizens claim, and who asks is decided before the code is read.
    assert_eq!(app.claim("", id, &code).await.status().as_u16(), 401);
    assert_eq!(app.claim(&operator, id, &code).await.status().as_u16(), 403);
    assert_eq!(app.claim(&operator, id, "x").await.status().as_u16(), 403);
    assert_eq!(app.events(id).await.len(), events_before, "refused claims change nothing");

    // The code as read aloud, in groups, is the same code.
    let spoken = format!("{} {}", &code[..4], &code[4..]);
    let (status, body) = answer(app.claim(&citizen, id, &spoken).await).await;
    assert_eq!(status, 200, "the caller claims the case: {body}");
    let reports = app.my_reports(&citizen).await;
    let (case, facts) = reports.iter().find(|(c, _)| c.id == id).expect("the claimed case is among my reports");
    assert_eq!(case.channel, Channel::Hotline);
    assert_eq!(facts.reporter_account, Some(account.id));
    let events = app.events(id).await;
    assert_eq!(events.len(), events_before + 1);
    let last = events.last().expect("events");
    assert_eq!(last.change, Change::Claimed { account_id: account.id });
    assert!(!last.public, "a claim is internal");

    // The code is used up: a second citizen with it is refused; the case stays with the first.
    let (status, body) = answer(app.claim(&other, id, &code).await).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!((&body["error"], &body["details"]), (&json!("refused"), &json!("already_claimed")));
    assert!(app.my_reports(&other).await.is_empty(), "the second citizen does not get the case");
    assert_eq!(app.events(id).await.len(), events_before + 1, "the refused claim changes nothing");
    assert!(app.my_reports(&citizen).await.iter().any(|(c, _)| c.id == id));

    // A retried hotline submission creates nothing and hands out no second code.
    let retry = app.submit_hotline(&operator, &hotline_report("key-hotline-claim01"), 60).await;
    let retry: Value = retry.json().await.expect("json");
    assert_eq!((retry["id"].as_i64(), &retry["claim_code"]), (Some(id), &Value::Null));
}

#[tokio::test]
async fn claim_guesses_are_bounded_per_case_and_per_account() {
    let app = spawn_app().await;
    let operator = app.signed_in("tongdai.guess", ActorRole::Operator, None).await;
    let (id, code) = app.hotline_case_with_code(&operator, &hotline_report("key-hotline-guess01")).await;
    let wrong = |n: usize| format!("{:08}", (code.parse::<u64>().expect("digits") + 1 + n as u64) % 100_000_000);

    // Five wrong guesses at one case use it up: even the right code then answers as a wrong one.
    for n in 0..5 {
        let guesser = app.signed_in(&format!("dan.doan{n}"), ActorRole::Citizen, None).await;
        assert_eq!(app.claim(&guesser, id, &wrong(n)).await.status().as_u16(), 404);
    }
    let owner = app.signed_in("dan.chuthat", ActorRole::Citizen, None).await;
    assert_eq!(app.claim(&owner, id, &code).await.status().as_u16(), 404, "the case takes no more guesses");
    assert_eq!(app.events(id).await.last().map(|e| e.change.kind()), Some(ChangeKind::CallLogged), "unclaimed");

    // One account makes ten attempts a day across all cases; the eleventh is refused at once.
    let (second, second_code) = app.hotline_case_with_code(&operator, &hotline_report("key-hotline-guess02")).await;
    let prober = app.signed_in("dan.doliendoan", ActorRole::Citizen, None).await;
    for n in 0..10 {
        assert_eq!(app.claim(&prober, second + 1000 + n, &second_code).await.status().as_u16(), 404);
    }
    let (status, body) = answer(app.claim(&prober, second, &second_code).await).await;
    assert_eq!((status, &body["error"]), (429, &json!("too_many_requests")), "{body}");
    assert_eq!(app.events(second).await.len(), 2, "the case stays unclaimed");
}
