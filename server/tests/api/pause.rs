//! Pausing the clock: a question to the reporter stops the deadline until the answer comes or the
//! pause ends, the answer comes by account, receipt link or a logged call, and on-time counting
//! follows the deadline it leaves.

use crate::helpers::{hotline_report, invalid_fields, spawn_app, valid_report, TestApp};
use app::cases::ChangeRequest;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::case::{ActorRole, Channel};
use domain::deadline::{province_offset, shipped_calendar};
use domain::new_case::{NewCase, NewCaseInput};
use domain::pause::{pause, resume, OpenQuestion, PauseDays};
use domain::workflow::{Actor, Change, ChangeKind, RatedVia};
use serde_json::{json, Value};
use services::changes::apply_change;
use services::store::{CaseSecrets, Store, Submission};

const QUESTION: &str = "Xin cho biết số nhà gần nhất với đống rác?";

fn ask(days: u16) -> ChangeRequest {
    ChangeRequest::RequestInformation { question: QUESTION.into(), days }
}

async fn answer_by_receipt(app: &TestApp, token: &str, answer: &str) -> reqwest::Response {
    app.post_json("/api/receipt/answer", "", &json!({ "token": token, "answer": answer })).await
}

#[tokio::test]
async fn the_agency_asks_the_anonymous_reporter_who_answers_through_the_receipt_link() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.pause", ActorRole::Coordinator, None).await;
    let officer = app.signed_in("xuly.pause", ActorRole::Officer, Some("urenco")).await;
    let other_agency = app.signed_in("xuly.pause.vnpt", ActorRole::Officer, Some("vnpt")).await;
    let citizen = app.signed_in("dan.pause", ActorRole::Citizen, None).await;
    let (id, receipt) = app.submit_anonymously(&valid_report("key-pause-000001")).await;
    let path = "/api/receipt/answer";
    assert_eq!(answer_by_receipt(&app, &receipt, "Số 12").await.status().as_u16(), 409, "nothing was asked");

    let version = app.staff_case(&coordinator, id).await.facts.version;
    let accepted = app.change_ok(&coordinator, id, version, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let before = accepted.deadline.expect("a deadline");
    // Who may ask is decided before what is asked is read.
    assert_eq!(app.change(&citizen, id, accepted.version, &ask(0)).await.status().as_u16(), 403);
    assert_eq!(app.change(&other_agency, id, accepted.version, &ask(2)).await.status().as_u16(), 404);
    for (request, field) in [
        (ask(0), "pause_days"),
        (ask(domain::pause::MAX_PAUSE_DAYS + 1), "pause_days"),
        (ChangeRequest::RequestInformation { question: "  ".into(), days: 2 }, "question"),
    ] {
        let refused = app.change(&officer, id, accepted.version, &request).await;
        assert_eq!(refused.status().as_u16(), 422, "{request:?}");
        assert_eq!(invalid_fields(&refused.json().await.expect("json")), vec![field]);
    }
    let asked = app.change_ok(&officer, id, accepted.version, &ask(2)).await;
    let open = asked.open_question.expect("a question waits");
    assert_eq!(open.deadline_before, before);
    let calendar = shipped_calendar();
    assert_eq!(
        asked.deadline,
        Some(calendar.after_working_time(before, calendar.working_time_between(open.asked_at, open.pause_ends))),
        "meanwhile the deadline is moved by the whole pause"
    );
    assert_eq!(calendar.working_time_between(open.asked_at, open.pause_ends), Duration::days(2));
    assert_eq!(app.change(&coordinator, id, asked.version, &ask(1)).await.status().as_u16(), 409, "one at a time");

    // The public sees that the clock stands still, not the question; the reporter reads it.
    let public = app.public_case(id).await;
    let step = public.timeline.iter().find(|e| e.kind == ChangeKind::InformationRequested).expect("a public step");
    assert_eq!((step.note.as_deref(), public.question.as_ref()), (None, None));
    let (title, description) = app.public_texts(id).await;
    assert!(!title.contains(QUESTION) && !description.contains(QUESTION));
    let view: domain::case::PublicCase = serde_json::from_value(app.receipt_view(&receipt).await).expect("case");
    let waiting = view.question.expect("the reporter reads the question");
    assert_eq!((waiting.question.as_str(), waiting.pause_ends), (QUESTION, open.pause_ends));

    // Only the link's holder answers, with some text.
    assert_eq!(answer_by_receipt(&app, &"0".repeat(64), "Số 12").await.status().as_u16(), 404);
    let empty = answer_by_receipt(&app, &receipt, " ").await;
    assert_eq!(empty.status().as_u16(), 422);
    assert_eq!(invalid_fields(&empty.json().await.expect("json")), vec!["answer"]);
    let answered =
        app.post_json(path, "", &json!({ "token": receipt, "answer": "Trước nhà số 12 Lý Thường Kiệt." })).await;
    assert_eq!(answered.status().as_u16(), 200);
    let facts: domain::workflow::CaseFacts = answered.json().await.expect("facts");
    assert_eq!(facts.open_question, None);
    let moved = facts.deadline.expect("a deadline");
    assert!(before <= moved && moved < asked.deadline.expect("paused deadline"), "the pause ended early");
    assert!(moved - before < Duration::minutes(5), "answered at once: the clock hardly stood still");
    assert_eq!(answer_by_receipt(&app, &receipt, "Số 12").await.status().as_u16(), 409, "answered once");
    let events = app.events(id).await;
    let last = events.last().expect("the answer");
    assert!(matches!(&last.change, Change::InformationProvided { via: RatedVia::Receipt, .. }), "{:?}", last.change);
    let staff = app.staff_case(&officer, id).await;
    assert!(staff.events.iter().any(|e| e.change.note() == Some("Trước nhà số 12 Lý Thường Kiệt.")), "staff read it");
}

#[tokio::test]
async fn a_signed_in_reporter_answers_in_their_reports_and_a_caller_on_a_logged_call() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.pause2", ActorRole::Coordinator, None).await;
    let operator = app.signed_in("tongdai.pause", ActorRole::Operator, None).await;
    let citizen = app.signed_in("dan.pause2", ActorRole::Citizen, None).await;
    let stranger = app.signed_in("dan.pause3", ActorRole::Citizen, None).await;

    let id = app.submit_case_as(&valid_report("key-pause-000002"), &citizen).await;
    let version = app.staff_case(&coordinator, id).await.facts.version;
    let facts = app.change_ok(&coordinator, id, version, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let facts = app.change_ok(&coordinator, id, facts.version, &ask(3)).await;
    let mine = app.my_reports(&citizen).await;
    let (case, _) = mine.iter().find(|(case, _)| case.id == id).expect("my report");
    assert_eq!(case.question.as_ref().map(|q| q.question.as_str()), Some(QUESTION), "my reports show the question");
    assert!(app
        .my_notices(&citizen)
        .await
        .iter()
        .any(|n| n.case_id == id && n.kind == ChangeKind::InformationRequested));
    let reply = ChangeRequest::ProvideInformation { answer: "Số 45.".into() };
    assert_eq!(app.change(&stranger, id, facts.version, &reply).await.status().as_u16(), 404);
    assert_eq!(app.change(&coordinator, id, facts.version, &reply).await.status().as_u16(), 403);
    let answered = app.change_ok(&citizen, id, facts.version, &reply).await;
    assert_eq!(answered.open_question, None);

    // A phoned-in case: the question puts the caller in the hotline's call queue.
    let phoned = app.hotline_case(&operator, &hotline_report("key-pause-hotline")).await;
    let version = app.staff_case(&coordinator, phoned).await.facts.version;
    let facts = app.change_ok(&coordinator, phoned, version, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let record = |case_id: i64, answer: &str| json!({ "case_id": case_id, "answer": answer, "duration_seconds": 35 });
    let path = "/api/hotline/answer";
    assert_eq!(app.post_json(path, &operator, &record(phoned, "Số 7")).await.status().as_u16(), 409, "not asked yet");
    app.change_ok(&coordinator, phoned, facts.version, &ask(2)).await;
    let queue = app.verification_queue(&operator).await;
    let item = queue.iter().find(|item| item.case.id == phoned).expect("the caller is to be phoned");
    assert_eq!(item.question.as_ref().map(|q| q.question.as_str()), Some(QUESTION));
    for cookie in ["", coordinator.as_str(), citizen.as_str()] {
        let status = app.post_json(path, cookie, &record(phoned, "Số 7")).await.status().as_u16();
        assert!(matches!(status, 401 | 403), "{status}");
    }
    let empty = app.post_json(path, &operator, &record(phoned, "")).await;
    assert_eq!(empty.status().as_u16(), 422);
    assert_eq!(invalid_fields(&empty.json().await.expect("json")), vec!["answer"]);
    let unknown = app.post_json(path, &operator, &record(999_999, "Số 7")).await;
    assert_eq!(invalid_fields(&unknown.json().await.expect("json")), vec!["case_id"]);
    let calls_before = app.recent_calls(&operator, Some(phoned)).await.len();
    let recorded = app.post_json(path, &operator, &record(phoned, "Trước cổng chợ Đồng Hới.")).await;
    assert_eq!(recorded.status().as_u16(), 200);
    assert_eq!(app.recent_calls(&operator, Some(phoned)).await.len(), calls_before + 1, "the call is logged");
    let last = app.events(phoned).await.pop().expect("the answer");
    assert!(matches!(last.change, Change::InformationProvided { via: RatedVia::Call { .. }, .. }), "{:?}", last.change);
    assert!(!app.verification_queue(&operator).await.iter().any(|item| item.case.id == phoned), "no call due any more");
}

/// A moment in the province's time.
fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    province_offset().with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("a time").with_timezone(&Utc)
}

fn end_of(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    local(y, m, d, 23) + Duration::seconds(59 * 60 + 59)
}

/// Files a report received at `at` straight into the store, as intake would have then.
async fn filed_at(store: &dyn Store, key: &str, at: DateTime<Utc>) -> i64 {
    let input = NewCaseInput {
        submission_key: key.into(),
        category: "environment".into(),
        title: "Rác thải đổ trộm ven đường".into(),
        description: "Đống rác lớn bị đổ trộm bên đường, bốc mùi hôi.".into(),
        lat: Some(17.4689),
        lon: Some(106.6222),
        reporter_name: String::new(),
        reporter_phone: String::new(),
        reporter_email: String::new(),
        address: String::new(),
        photos: Vec::new(),
    };
    let submission = Submission {
        channel: Channel::Web,
        actor_role: ActorRole::Anonymous,
        actor_account: None,
        area_code: None,
        received_at: at,
        terms: None,
        secrets: CaseSecrets::default(),
    };
    let case = NewCase::parse(&input, &store.categories().await.expect("categories")).expect("a valid report");
    store.create_case(&case, &submission).await.expect("stored").id
}

/// Applies `change` by `role` (of urenco when an officer) to case `id` at `at`.
async fn at_time(store: &dyn Store, id: i64, role: ActorRole, change: Change, at: DateTime<Utc>) {
    let agency = (role == ActorRole::Officer).then(|| "urenco".to_string());
    let actor = Actor { role, account_id: None, agency, agency_head: false };
    let version = store.case_events(id).await.expect("events").len() as u32;
    apply_change(store, id, version, &actor, change, at).await.expect("applied");
}

/// The statistics of April and May 2026, once they count `handled` handled cases.
async fn spring_figures(app: &TestApp, handled: u64) -> Value {
    let path = "/api/v1/stats?from=2026-04-01&to=2026-05-31";
    for _ in 0..100 {
        let figures: Value = app.get(path).await.json().await.expect("statistics are JSON");
        if figures["handled"].as_u64() == Some(handled) {
            return figures;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the statistics never counted {handled} handled cases");
}

#[tokio::test]
async fn a_pause_of_two_working_days_moves_the_deadline_by_two_and_an_early_answer_by_what_it_lasted() {
    let app = spawn_app().await;
    let store = app.store().await;
    let calendar = shipped_calendar();
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("a date");
    // Routed on Thursday 23 April 2026 with three working days: Friday 24, then Monday 27 April
    // (Hùng Kings' day) is off, Tuesday 28, Wednesday 29.
    let routed = local(2026, 4, 23, 10);
    let deadline = calendar.deadline(routed, 3);
    assert_eq!(deadline, end_of(2026, 4, 29));
    // Asked on Friday 24 April at 9:00, to wait two working days: Friday's rest, Monday off,
    // Tuesday 28, into Wednesday 29 at 9:00.
    let asked = local(2026, 4, 24, 9);
    let days = PauseDays::parse(2).expect("two days");
    let (pause_ends, paused) = pause(&calendar, deadline, asked, days).expect("before the deadline");
    assert_eq!(pause_ends, local(2026, 4, 29, 9));
    // Two working days later than Wednesday 29: 30 April to 3 May are off, so Tuesday 5 May.
    assert_eq!(paused, end_of(2026, 5, 5));
    assert_eq!(calendar.working_days_after(day(4, 29), 2), day(5, 5));
    let question = OpenQuestion { asked_at: asked, pause_ends, deadline_before: deadline };

    let unanswered = filed_at(&store, "key-pause-clock-1", routed - Duration::hours(1)).await;
    let answered = filed_at(&store, "key-pause-clock-2", routed - Duration::hours(1)).await;
    for id in [unanswered, answered] {
        at_time(&store, id, ActorRole::Coordinator, Change::Accepted { agency: "urenco".into(), deadline }, routed)
            .await;
        let ask = Change::InformationRequested { question: QUESTION.into(), pause_ends, deadline: paused };
        at_time(&store, id, ActorRole::Officer, ask, asked).await;
        at_time(&store, id, ActorRole::Officer, Change::Acknowledged, asked + Duration::hours(1)).await;
    }
    // The second reporter answers on Tuesday 28 April at 9:00, one working day into the pause: the
    // deadline moves by one working day, to Monday 4 May.
    let answered_at = local(2026, 4, 28, 9);
    let moved = resume(&calendar, &question, answered_at);
    assert_eq!(moved, end_of(2026, 5, 4));
    let answer = Change::InformationProvided { answer: "Số 12.".into(), deadline: moved, via: RatedVia::Receipt };
    at_time(&store, answered, ActorRole::Anonymous, answer, answered_at).await;

    // Both results come on Tuesday 5 May at 10:00: in time for the deadline the whole pause moved,
    // late for the one the early answer left. Without the pause both would be late.
    let result_at = local(2026, 5, 5, 10);
    assert!(result_at > deadline);
    for id in [unanswered, answered] {
        let result = Change::ResultSubmitted { summary: "Đã thu gom.".into(), photos: Vec::new() };
        at_time(&store, id, ActorRole::Officer, result, result_at).await;
        at_time(
            &store,
            id,
            ActorRole::Coordinator,
            Change::ResultApproved { published: None },
            result_at + Duration::hours(2),
        )
        .await;
    }
    let facts_of = |id| {
        let store = &store;
        async move {
            domain::workflow::CaseFacts::from_events(&store.case_events(id).await.expect("events")).expect("replays")
        }
    };
    assert_eq!(facts_of(unanswered).await.handled_on_time(), Some(true));
    assert_eq!(facts_of(answered).await.handled_on_time(), Some(false));

    // The statistics count the same, from the events.
    let figures = spring_figures(&app, 2).await;
    assert_eq!((figures["on_time"].as_u64(), figures["late"].as_u64()), (Some(1), Some(1)), "{figures}");
}
