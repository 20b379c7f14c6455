//! The case workflow end to end over HTTP: at each step, what the next person sees.

use crate::helpers::{expected_deadline, invalid_fields, lists, spawn_app, valid_report, TestApp};
use app::cases::ChangeRequest;
use chrono::{Duration, NaiveTime, Timelike, Utc};
use domain::case::{ActorRole, CaseStatus};
use domain::deadline::{province_offset, shipped_holidays, HolidayCalendar};
use domain::workflow::{CaseFacts, Change, ChangeKind, Rating, RejectReason};
use serde_json::{json, Value};
use services::changes::close_expired_ratings;

/// What must never reach the public: the reporter's contact in any spelling.
const PERSONAL: [&str; 4] = ["0905111222", "0905 111 222", "binh@example.vn", "Trần Văn Bình"];

/// The people of the workflow, signed in.
struct Cast {
    citizen: String,
    citizen_id: i64,
    coordinator: String,
    urenco: String,
    vnpt: String,
    viettel: String,
}

async fn cast(app: &TestApp) -> Cast {
    let citizen_id = app.create_account("dan.flow", ActorRole::Citizen, None).await;
    Cast {
        citizen: app.sign_in("dan.flow").await,
        citizen_id,
        coordinator: app.signed_in("dieuphoi.flow", ActorRole::Coordinator, None).await,
        urenco: app.signed_in("xuly.urenco", ActorRole::Officer, Some("urenco")).await,
        vnpt: app.signed_in("xuly.vnpt", ActorRole::Officer, Some("vnpt")).await,
        viettel: app.signed_in("xuly.viettel", ActorRole::Officer, Some("viettel")).await,
    }
}

fn accept(agency: &str) -> ChangeRequest {
    ChangeRequest::Accept { agency: agency.into() }
}

/// Checks that the public page and API of case `id` carry none of `secrets` nor the reporter's contact.
async fn assert_public_hides(app: &TestApp, id: i64, secrets: &[&str]) {
    let (page, api) = app.public_texts(id).await;
    for secret in secrets.iter().chain(PERSONAL.iter()) {
        assert!(!page.contains(secret), "the public page of case {id} shows {secret:?}");
        assert!(!api.contains(secret), "the public API of case {id} shows {secret:?}");
    }
}

/// A case the citizen reported, routed to urenco, worked on and approved: resolved and unrated.
async fn resolved_case(app: &TestApp, cast: &Cast, key: &str) -> (i64, CaseFacts) {
    let id = app.submit_case_as(&valid_report(key), &cast.citizen).await;
    let facts = app.change_ok(&cast.coordinator, id, 1, &accept("urenco")).await;
    let facts = app.change_ok(&cast.urenco, id, facts.version, &ChangeRequest::Acknowledge).await;
    let result = ChangeRequest::SubmitResult { summary: "Đã thu gom toàn bộ rác.".into(), photos: Vec::new() };
    let facts = app.change_ok(&cast.urenco, id, facts.version, &result).await;
    let facts = app
        .change_ok(&cast.coordinator, id, facts.version, &ChangeRequest::ApproveResult { published: String::new() })
        .await;
    assert_eq!(facts.status, CaseStatus::Resolved);
    (id, facts)
}

#[tokio::test]
async fn a_citizens_report_goes_from_screening_to_closure_and_each_next_person_sees_it() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let id = app.submit_case_as(&valid_report("key-flow-000001"), &cast.citizen).await;

    // The coordinator finds it in screening, with the routing table's suggestion.
    let screening = app.screening_queue(&cast.coordinator).await;
    let item = screening.iter().find(|item| item.case.id == id).expect("the new report waits for screening");
    let suggestions = item.suggestions.as_ref().expect("screening items carry suggestions");
    assert!(!suggestions.out_of_area, "a pin in Đồng Hới is inside the served area");
    assert_eq!(suggestions.agency.as_deref(), Some("urenco"), "environment in Đồng Hới goes to urenco");
    assert_eq!(item.case.facts.status, CaseStatus::Submitted);
    assert_eq!(item.case.facts.reporter_account, Some(cast.citizen_id), "the signed-in citizen is the reporter");
    let staff = app.staff_case(&cast.coordinator, id).await;
    assert!(staff.allowed.contains(&ChangeKind::Accepted) && staff.allowed.contains(&ChangeKind::Rejected));
    assert_eq!(staff.suggestions.as_ref().and_then(|s| s.agency.as_deref()), Some("urenco"));

    // Accepting routes it with a deadline: the end of a working day in the province (UTC+7).
    let before = Utc::now();
    let facts = app.change_ok(&cast.coordinator, id, 1, &accept("urenco")).await;
    let after = Utc::now();
    assert_eq!((facts.status, facts.lead_agency.as_deref(), facts.version), (CaseStatus::Assigned, Some("urenco"), 2));
    let deadline = facts.deadline.expect("an accepted case has a deadline");
    assert!(deadline > Utc::now(), "the deadline {deadline} lies ahead");
    assert_eq!(deadline.time(), NaiveTime::from_hms_opt(16, 59, 59).expect("time"), "23:59:59 in UTC+7");
    assert_eq!(deadline.nanosecond(), 0);
    assert!(
        [expected_deadline(before, 5), expected_deadline(after, 5)].contains(&deadline),
        "5 working days for environment: got {deadline}"
    );
    let calendar = HolidayCalendar::new(shipped_holidays().into_iter().map(|h| h.date));
    assert!(calendar.is_working_day(deadline.with_timezone(&province_offset()).date_naive()));
    assert!(!lists(&app.screening_queue(&cast.coordinator).await, id), "screened cases leave screening");
    assert_eq!(app.staff_case(&cast.coordinator, id).await.facts, facts, "the staff view shows the same facts");

    // The urenco officer sees it in the agency queue and is told; vnpt sees nothing.
    let queue = app.agency_queue(&cast.urenco).await;
    let item = queue.iter().find(|item| item.case.id == id).expect("urenco's queue lists the case");
    assert_eq!(item.case.facts.deadline, Some(deadline));
    assert!(!item.overdue);
    assert!(!lists(&app.agency_queue(&cast.vnpt).await, id), "vnpt's queue does not list urenco's case");
    let notices = app.my_notices(&cast.urenco).await;
    assert!(notices.iter().any(|n| n.case_id == id && n.kind == ChangeKind::Accepted), "the officer is told");
    let officer_view = app.staff_case(&cast.urenco, id).await;
    assert!(officer_view.allowed.contains(&ChangeKind::Acknowledged));
    assert_eq!(officer_view.contact, None, "officers do not see the reporter's contact");
    let citizen_notices = app.my_notices(&cast.citizen).await;
    assert!(citizen_notices.iter().any(|n| n.case_id == id && n.kind == ChangeKind::Accepted), "the citizen is told");

    // The officer takes it up, writes one internal and one public note, and reports the result.
    let facts = app.change_ok(&cast.urenco, id, facts.version, &ChangeRequest::Acknowledge).await;
    assert_eq!(facts.status, CaseStatus::InProgress);
    let internal = "GHI-CHU-NOI-BO-7731 chỉ cán bộ được đọc";
    let public = "THONG-BAO-CONG-KHAI-4410 đội thu gom đã đến";
    let facts = app
        .change_ok(&cast.urenco, id, facts.version, &ChangeRequest::AddNote { text: internal.into(), public: false })
        .await;
    let facts = app
        .change_ok(&cast.urenco, id, facts.version, &ChangeRequest::AddNote { text: public.into(), public: true })
        .await;
    let (page, api) = app.public_texts(id).await;
    assert!(page.contains(public) && api.contains(public), "the public note shows on the page and the API");
    assert_public_hides(&app, id, &[internal]).await;
    let summary =
        ChangeRequest::SubmitResult { summary: "Đã thu gom và vệ sinh khu vực.".into(), photos: Vec::new() };
    let facts = app.change_ok(&cast.urenco, id, facts.version, &summary).await;
    assert_eq!(facts.status, CaseStatus::ResultReview);
    assert_eq!(facts.result_on_time(), Some(true));

    // The coordinator reviews and approves; the citizen sees it resolved.
    assert!(lists(&app.review_queue(&cast.coordinator).await, id), "results wait in the review queue");
    let facts = app
        .change_ok(&cast.coordinator, id, facts.version, &ChangeRequest::ApproveResult { published: String::new() })
        .await;
    assert_eq!(facts.status, CaseStatus::Resolved);
    assert!(!lists(&app.review_queue(&cast.coordinator).await, id));
    assert!(!lists(&app.agency_queue(&cast.urenco).await, id), "resolved cases leave the agency queue");
    let reports = app.my_reports(&cast.citizen).await;
    let (public_case, citizen_facts) = reports.iter().find(|(c, _)| c.id == id).expect("the citizen's report");
    assert_eq!((public_case.status, citizen_facts.status), (CaseStatus::Resolved, CaseStatus::Resolved));
    let citizen_notices = app.my_notices(&cast.citizen).await;
    assert!(citizen_notices.iter().any(|n| n.case_id == id && n.kind == ChangeKind::ResultApproved));

    // The citizen rates it satisfied: closed.
    let rate = ChangeRequest::Rate { rating: Rating::Satisfied, comment: String::new() };
    let facts = app.change_ok(&cast.citizen, id, facts.version, &rate).await;
    assert_eq!((facts.status, facts.rating), (CaseStatus::Closed, Some(Rating::Satisfied)));
    let reports = app.my_reports(&cast.citizen).await;
    assert_eq!(reports.iter().find(|(c, _)| c.id == id).map(|(c, _)| c.status), Some(CaseStatus::Closed));
    assert_eq!(app.public_case(id).await.status, CaseStatus::Closed);
    let (page, api) = app.public_texts(id).await;
    assert!(page.contains(public) && api.contains(public));
    assert_public_hides(&app, id, &[internal]).await;
}

#[tokio::test]
async fn a_report_outside_the_area_is_rejected_with_a_public_explanation() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let mut report = valid_report("key-flow-hue-01");
    report["lat"] = json!(16.4637);
    report["lon"] = json!(107.5909);
    let id = app.submit_case_as(&report, "").await;

    let screening = app.screening_queue(&cast.coordinator).await;
    let item = screening.iter().find(|item| item.case.id == id).expect("waits for screening");
    let suggestions = item.suggestions.as_ref().expect("suggestions");
    assert!(suggestions.out_of_area, "Huế is outside the served area");
    assert_eq!(suggestions.agency, None, "no route outside the served area");

    let explanation = "Vị trí phản ánh nằm ở Huế, ngoài địa bàn thí điểm Đồng Hới.";
    let reject =
        ChangeRequest::Reject { reason: RejectReason::OutOfArea, duplicate_of: None, explanation: explanation.into() };
    let facts = app.change_ok(&cast.coordinator, id, 1, &reject).await;
    assert_eq!(facts.status, CaseStatus::Rejected);
    assert!(!lists(&app.screening_queue(&cast.coordinator).await, id));
    let case = app.public_case(id).await;
    assert_eq!(case.status, CaseStatus::Rejected);
    assert_eq!(case.timeline.last().and_then(|e| e.note.as_deref()), Some(explanation));
    let (page, api) = app.public_texts(id).await;
    assert!(page.contains(explanation), "the public page explains the rejection");
    assert!(api.contains(explanation));
    assert_public_hides(&app, id, &[]).await;
}

#[tokio::test]
async fn a_case_returned_as_not_ours_goes_back_to_screening_and_can_be_rerouted() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let mut report = valid_report("key-flow-ret-01");
    report["category"] = json!("telecom");
    report["title"] = json!("Cáp viễn thông bị võng thấp");
    let id = app.submit_case_as(&report, "").await;

    let facts = app.change_ok(&cast.coordinator, id, 1, &accept("vnpt")).await;
    assert!(lists(&app.agency_queue(&cast.vnpt).await, id));
    let reason = "LY-DO-TRA-LAI-3321: cáp này của Viettel";
    let facts = app.change_ok(&cast.vnpt, id, facts.version, &ChangeRequest::Return { reason: reason.into() }).await;
    assert_eq!(facts.status, CaseStatus::Submitted);
    assert_eq!(facts.returns, 1);
    assert_eq!((facts.lead_agency.as_deref(), facts.deadline), (None, None));
    assert!(lists(&app.screening_queue(&cast.coordinator).await, id), "back in screening");
    assert!(!lists(&app.agency_queue(&cast.vnpt).await, id), "gone from vnpt's queue");
    let vnpt_view = app.get_as(&format!("/api/staff/case?id={id}"), &cast.vnpt).await;
    assert_eq!(vnpt_view.status().as_u16(), 404, "vnpt no longer sees the case, as if it did not exist");
    // Back in screening, the case is held back from the public again.
    app.assert_hidden_from_the_public(id).await;

    let facts = app.change_ok(&cast.coordinator, id, facts.version, &accept("viettel")).await;
    assert_eq!((facts.status, facts.lead_agency.as_deref(), facts.returns), (CaseStatus::Assigned, Some("viettel"), 1));
    assert!(lists(&app.agency_queue(&cast.viettel).await, id), "viettel's queue has it");
    assert!(!lists(&app.agency_queue(&cast.vnpt).await, id));
    assert_eq!(app.staff_case(&cast.viettel, id).await.facts, facts);
}

#[tokio::test]
async fn an_approved_extension_moves_the_deadline_and_on_time_uses_it() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let id = app.submit_case_as(&valid_report("key-flow-ext-01"), &cast.citizen).await;
    let facts = app.change_ok(&cast.coordinator, id, 1, &accept("urenco")).await;
    let original = facts.deadline.expect("deadline");
    let facts = app.change_ok(&cast.urenco, id, facts.version, &ChangeRequest::Acknowledge).await;
    let request =
        ChangeRequest::RequestExtension { days: 3, reason: "Mưa lớn kéo dài, xe không vào được.".into() };
    let facts = app.change_ok(&cast.urenco, id, facts.version, &request).await;
    assert_eq!(facts.pending_extension_days, Some(3));
    assert_eq!(facts.deadline, Some(original), "a request alone moves nothing");
    let review = app.review_queue(&cast.coordinator).await;
    assert!(lists(&review, id), "extension requests wait in the review queue");
    assert!(app.staff_case(&cast.coordinator, id).await.allowed.contains(&ChangeKind::ExtensionDecided));

    let decision = ChangeRequest::DecideExtension { approved: true, note: String::new() };
    let facts = app.change_ok(&cast.coordinator, id, facts.version, &decision).await;
    let extended = facts.deadline.expect("deadline");
    assert!(extended > original, "the deadline moved later: {original} -> {extended}");
    assert_eq!(extended, expected_deadline(original, 3), "three more working days");
    assert_eq!(extended.time(), NaiveTime::from_hms_opt(16, 59, 59).expect("time"));
    assert_eq!(facts.pending_extension_days, None);
    assert!(!lists(&app.review_queue(&cast.coordinator).await, id), "decided requests leave the review queue");
    let queue = app.agency_queue(&cast.urenco).await;
    assert_eq!(queue.iter().find(|i| i.case.id == id).and_then(|i| i.case.facts.deadline), Some(extended));

    let result = ChangeRequest::SubmitResult { summary: "Đã xử lý xong.".into(), photos: Vec::new() };
    let facts = app.change_ok(&cast.urenco, id, facts.version, &result).await;
    assert_eq!(facts.result_deadline, Some(extended), "judged against the extended deadline");
    assert_eq!(facts.result_on_time(), Some(true));
    // A result after the original deadline but before the extended one is on time.
    let late_for_original = CaseFacts { result_submitted_at: Some(original + Duration::hours(1)), ..facts.clone() };
    assert_eq!(late_for_original.result_on_time(), Some(true));
}

#[tokio::test]
async fn an_unsatisfied_rating_goes_to_review_and_a_reopened_case_gets_a_new_deadline() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let id = app.submit_case_as(&valid_report("key-flow-uns-01"), &cast.citizen).await;
    let facts = app.change_ok(&cast.coordinator, id, 1, &accept("urenco")).await;
    // An extension first, so that the deadline in force differs from a fresh one.
    let request = ChangeRequest::RequestExtension { days: 5, reason: "Cần thêm nhân lực.".into() };
    let facts = app.change_ok(&cast.urenco, id, facts.version, &request).await;
    let decision = ChangeRequest::DecideExtension { approved: true, note: "Đồng ý".into() };
    let facts = app.change_ok(&cast.coordinator, id, facts.version, &decision).await;
    let extended = facts.deadline.expect("deadline");
    let facts = app.change_ok(&cast.urenco, id, facts.version, &ChangeRequest::Acknowledge).await;
    let result = ChangeRequest::SubmitResult { summary: "Đã dọn.".into(), photos: Vec::new() };
    let facts = app.change_ok(&cast.urenco, id, facts.version, &result).await;
    let facts = app
        .change_ok(&cast.coordinator, id, facts.version, &ChangeRequest::ApproveResult { published: String::new() })
        .await;

    let rate = ChangeRequest::Rate { rating: Rating::Unsatisfied, comment: "Rác vẫn còn một nửa.".into() };
    let facts = app.change_ok(&cast.citizen, id, facts.version, &rate).await;
    assert_eq!((facts.status, facts.rating), (CaseStatus::Resolved, Some(Rating::Unsatisfied)), "stays resolved");
    assert!(lists(&app.review_queue(&cast.coordinator).await, id), "unsatisfied ratings wait for the coordinator");
    let view = app.staff_case(&cast.coordinator, id).await;
    assert!(view.allowed.contains(&ChangeKind::Reopened) && view.allowed.contains(&ChangeKind::Closed));

    let before = Utc::now();
    let reopen = ChangeRequest::Reopen { note: "Yêu cầu dọn nốt phần còn lại.".into() };
    let facts = app.change_ok(&cast.coordinator, id, facts.version, &reopen).await;
    let after = Utc::now();
    assert_eq!(facts.status, CaseStatus::Assigned);
    assert_eq!((facts.rating, facts.resolved_at, facts.result_submitted_at), (None, None, None));
    let deadline = facts.deadline.expect("a reopened case has a deadline");
    assert!(deadline > Utc::now());
    assert!(
        [expected_deadline(before, 5), expected_deadline(after, 5)].contains(&deadline),
        "5 working days from the reopening: got {deadline}"
    );
    assert_ne!(deadline, extended, "a new deadline, not the old one in force");
    let events = app.events(id).await;
    assert!(matches!(events.last().map(|e| &e.change), Some(Change::Reopened { deadline: d, .. }) if *d == deadline));
    assert!(!lists(&app.review_queue(&cast.coordinator).await, id));
    assert!(lists(&app.agency_queue(&cast.urenco).await, id), "back with the agency");
    let reports = app.my_reports(&cast.citizen).await;
    assert_eq!(reports.iter().find(|(c, _)| c.id == id).map(|(c, _)| c.status), Some(CaseStatus::Assigned));
}

#[tokio::test]
async fn an_unrated_result_closes_when_the_rating_window_ends() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let (id, _) = resolved_case(&app, &cast, "key-flow-win-01").await;
    let (unsatisfied, facts) = resolved_case(&app, &cast, "key-flow-win-02").await;
    let rate = ChangeRequest::Rate { rating: Rating::Unsatisfied, comment: String::new() };
    app.change_ok(&cast.citizen, unsatisfied, facts.version, &rate).await;
    let store = app.store().await;

    let closed = close_expired_ratings(&store, Duration::days(7), Utc::now()).await.expect("runs");
    assert_eq!(closed, 0, "the window is still open");
    assert_eq!(app.public_case(id).await.status, CaseStatus::Resolved);

    let closed = close_expired_ratings(&store, Duration::days(7), Utc::now() + Duration::days(8)).await.expect("runs");
    assert_eq!(closed, 1, "only the unrated case closes");
    assert_eq!(app.public_case(id).await.status, CaseStatus::Closed);
    assert_eq!(app.staff_case(&cast.coordinator, id).await.facts.status, CaseStatus::Closed);
    let events = app.events(id).await;
    let last = events.last().expect("events");
    assert_eq!((last.actor_role, last.actor_id), (ActorRole::System, None), "closed by the system");
    assert_eq!(last.change, Change::Closed { note: None, expired: true });
    assert_eq!(app.public_case(unsatisfied).await.status, CaseStatus::Resolved, "rated cases wait for the coordinator");
}

#[tokio::test]
async fn invalid_changes_name_the_field_and_append_nothing() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let id = app.submit_case_as(&valid_report("key-flow-val-01"), "").await;
    let requests = [
        (
            ChangeRequest::Reject {
                reason: RejectReason::InsufficientInfo,
                duplicate_of: None,
                explanation: "".into(),
            },
            "reason",
        ),
        (
            ChangeRequest::Reject {
                reason: RejectReason::InsufficientInfo,
                duplicate_of: None,
                explanation: " \n ".into(),
            },
            "reason",
        ),
        (accept("khong-co-co-quan-nay"), "agency"),
        (
            ChangeRequest::Reject {
                reason: RejectReason::Duplicate,
                duplicate_of: None,
                explanation: "Trùng phản ánh trước".into(),
            },
            "duplicate_of",
        ),
        (
            ChangeRequest::Reject {
                reason: RejectReason::Duplicate,
                duplicate_of: Some(987_654),
                explanation: "Trùng phản ánh trước".into(),
            },
            "duplicate_of",
        ),
    ];
    for (request, field) in requests {
        let response = app.change(&cast.coordinator, id, 1, &request).await;
        assert_eq!(response.status().as_u16(), 422, "{request:?}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(invalid_fields(&body), vec![field], "{request:?}");
        let message = body["details"][0]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "a message for people");
    }
    assert_eq!(app.events(id).await.len(), 1, "nothing appended");
    let facts = app.staff_case(&cast.coordinator, id).await.facts;
    assert_eq!((facts.status, facts.version), (CaseStatus::Submitted, 1));
}
