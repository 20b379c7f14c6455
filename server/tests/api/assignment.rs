//! Assignment inside an agency over HTTP: a head gives a case to an officer and gives it again, an
//! officer takes a case nobody holds, what each is refused and why, who holds what in the agency's
//! queue, and how the assignee is told.

use crate::helpers::{invalid_fields, spawn_app, spawn_app_configured, valid_report, TestApp};
use crate::relay::{delivered, fake_relay};
use app::cases::{ChangeRequest, QueueItem};
use domain::account::Account;
use domain::alerts::NoticeReason;
use domain::case::ActorRole;
use domain::workflow::{Change, ChangeKind};
use serde_json::{json, Value};
use services::store::Store;
use std::time::Duration;

/// An agency with a head and two officers, another agency's officer, and a coordinator, signed in.
struct Agency {
    coordinator: String,
    head: String,
    head_id: i64,
    xuan: String,
    xuan_id: i64,
    an: String,
    an_id: i64,
    vnpt: String,
    vnpt_id: i64,
}

/// The head is made one by an administrator, in the role form of the staff page.
async fn agency(app: &TestApp) -> Agency {
    let admin = app.signed_in("quantri.giao", ActorRole::Admin, None).await;
    let head_id = app.create_account("truong.urenco", ActorRole::Officer, Some("urenco")).await;
    let head = json!({ "id": head_id, "active": true,
        "role": { "role": "officer", "agency": "urenco", "areas": [], "agency_head": true } });
    app.admin_ok(&admin, "update_staff", &head).await;
    let staff: Vec<Account> = app.get_ok("/api/admin/staff", &admin).await;
    assert!(staff.iter().any(|a| a.id == head_id && a.agency_head), "the staff page lists the head as one");
    let xuan_id = app.create_account("xuan.urenco", ActorRole::Officer, Some("urenco")).await;
    let an_id = app.create_account("an.urenco", ActorRole::Officer, Some("urenco")).await;
    let vnpt_id = app.create_account("xuly.vnpt", ActorRole::Officer, Some("vnpt")).await;
    Agency {
        coordinator: app.signed_in("dieuphoi.giao", ActorRole::Coordinator, None).await,
        head: app.sign_in("truong.urenco").await,
        head_id,
        xuan: app.sign_in("xuan.urenco").await,
        xuan_id,
        an: app.sign_in("an.urenco").await,
        an_id,
        vnpt: app.sign_in("xuly.vnpt").await,
        vnpt_id,
    }
}

/// A report routed to urenco by the coordinator; answers its number and version.
async fn routed(app: &TestApp, people: &Agency, key: &str) -> (i64, u32) {
    let (id, _) = app.submit_anonymously(&valid_report(key)).await;
    let accept = ChangeRequest::Accept { agency: "urenco".into() };
    let facts = app.change_ok(&people.coordinator, id, 1, &accept).await;
    (id, facts.version)
}

fn assign(assignee: i64) -> ChangeRequest {
    ChangeRequest::Assign { assignee }
}

/// The agency's queue as `cookie`'s officer reads it: the whole agency's, or their own cases.
async fn queue(app: &TestApp, cookie: &str, mine: bool) -> Vec<QueueItem> {
    let path = if mine { "/api/staff/agency?mine=true" } else { "/api/staff/agency" };
    app.whole_queue(path, cookie).await
}

fn holder_of(queue: &[QueueItem], id: i64) -> Option<Option<String>> {
    queue.iter().find(|item| item.case.id == id).map(|item| item.assignee.clone())
}

#[tokio::test]
async fn a_head_assigns_a_case_the_assignee_finds_among_their_own_with_a_notice_and_reassigns_it() {
    let app = spawn_app().await;
    let people = agency(&app).await;
    let (id, version) = routed(&app, &people, "key-assign-000001").await;

    let seen = app.staff_case(&people.head, id).await;
    assert!(seen.heads_agency && seen.allowed.contains(&ChangeKind::Assigned), "the head may give it out");
    let available: Vec<i64> = seen.officers.iter().filter(|o| o.available).map(|o| o.id).collect();
    for officer in [people.head_id, people.xuan_id, people.an_id] {
        assert!(available.contains(&officer), "officer {officer} may be given it: {:?}", seen.officers);
    }
    assert!(!available.contains(&people.vnpt_id), "nobody of another agency");
    let plain = app.staff_case(&people.xuan, id).await;
    assert!(!plain.heads_agency && plain.allowed.contains(&ChangeKind::Assigned), "an officer may take it");
    assert_eq!(holder_of(&queue(&app, &people.xuan, false).await, id), Some(None), "nobody holds it yet");
    assert_eq!(holder_of(&queue(&app, &people.xuan, true).await, id), None);

    let facts = app.change_ok(&people.head, id, version, &assign(people.xuan_id)).await;
    assert_eq!(facts.assignee, Some(people.xuan_id));
    let name = "Người thử xuan.urenco".to_string();
    assert_eq!(holder_of(&queue(&app, &people.xuan, true).await, id), Some(Some(name.clone())), "in 'my cases'");
    assert_eq!(holder_of(&queue(&app, &people.an, false).await, id), Some(Some(name.clone())), "who holds what");
    assert_eq!(holder_of(&queue(&app, &people.an, true).await, id), None, "not among the others' own");
    let notices = app.my_notices(&people.xuan).await;
    let told = notices.iter().find(|n| n.case_id == id && n.reason == NoticeReason::Assigned).expect("told");
    assert!(told.kind == ChangeKind::Assigned && told.unread, "a new notice of the assignment: {told:?}");
    let again = app.my_notices(&people.xuan).await;
    assert!(again.iter().all(|n| !n.unread), "read once opened");
    assert!(!app.my_notices(&people.an).await.iter().any(|n| n.reason == NoticeReason::Assigned));

    // The assignment is an internal event: staff read it, the public never reads who works a case.
    let events = app.events(id).await;
    let last = events.last().expect("the assignment");
    assert_eq!((last.change.clone(), last.public), (Change::Assigned { account_id: people.xuan_id }, false));
    assert_eq!(last.actor_id, Some(people.head_id));
    assert!(app.public_case(id).await.timeline.iter().all(|e| e.kind != ChangeKind::Assigned));
    let (page, api) = app.public_texts(id).await;
    assert!(!page.contains(&name) && !api.contains(&name), "no officer's name reaches the public");

    // Given again: a new event, the case moves to the other officer's own cases, who is told.
    let facts = app.change_ok(&people.head, id, facts.version, &assign(people.an_id)).await;
    assert_eq!(facts.assignee, Some(people.an_id));
    assert_eq!(holder_of(&queue(&app, &people.xuan, true).await, id), None, "no longer the first officer's");
    assert!(holder_of(&queue(&app, &people.an, true).await, id).is_some());
    assert!(app.my_notices(&people.an).await.iter().any(|n| n.case_id == id && n.reason == NoticeReason::Assigned));
    let assignments = app.events(id).await.iter().filter(|e| e.change.kind() == ChangeKind::Assigned).count();
    assert_eq!(assignments, 2, "each assignment is its own event");
    let same = app.change(&people.head, id, facts.version, &assign(people.an_id)).await;
    assert_eq!(same.status().as_u16(), 409, "giving a case to its holder again is refused");
}

#[tokio::test]
async fn an_officer_takes_a_case_nobody_holds_and_neither_a_held_one_nor_gives_work_to_others() {
    let app = spawn_app().await;
    let people = agency(&app).await;
    let (id, version) = routed(&app, &people, "key-assign-000002").await;

    let refused = app.change(&people.an, id, version, &assign(people.xuan_id)).await;
    assert_eq!(refused.status().as_u16(), 403, "an officer who does not head the agency gives nobody work");
    let facts = app.change_ok(&people.xuan, id, version, &ChangeRequest::Take).await;
    assert_eq!(facts.assignee, Some(people.xuan_id));
    assert_eq!(holder_of(&queue(&app, &people.xuan, true).await, id), Some(Some("Người thử xuan.urenco".into())));
    assert!(
        !app.my_notices(&people.xuan).await.iter().any(|n| n.reason == NoticeReason::Assigned),
        "taking a case oneself tells nobody"
    );
    let held = app.change(&people.an, id, facts.version, &ChangeRequest::Take).await;
    assert_eq!(held.status().as_u16(), 409, "a held case is not taken from its holder");
    assert!(!app.staff_case(&people.an, id).await.allowed.contains(&ChangeKind::Assigned), "nor offered");
    let taking_over = app.change(&people.an, id, facts.version, &assign(people.an_id)).await;
    assert_eq!(taking_over.status().as_u16(), 409, "nor taken over by naming oneself");

    // Out of reach or out of role, refused before anything of the case is read.
    let other_agency = app.change(&people.vnpt, id, facts.version, &ChangeRequest::Take).await;
    assert_eq!(other_agency.status().as_u16(), 404, "another agency's officer: out of reach as a missing case");
    let coordinator = app.change(&people.coordinator, id, facts.version, &assign(people.xuan_id)).await;
    assert_eq!(coordinator.status().as_u16(), 403, "assignment is the agency's own");
    let citizen = app.signed_in("dan.giao", ActorRole::Citizen, None).await;
    assert_eq!(app.change(&citizen, id, facts.version, &ChangeRequest::Take).await.status().as_u16(), 403);

    // Once the result goes for review, the agency no longer hands the case around.
    let facts = app.change_ok(&people.xuan, id, facts.version, &ChangeRequest::Acknowledge).await;
    let result = ChangeRequest::SubmitResult { summary: "Đã thu gom xong.".into(), photos: Vec::new() };
    let facts = app.change_ok(&people.xuan, id, facts.version, &result).await;
    let late = app.change(&people.head, id, facts.version, &assign(people.an_id)).await;
    assert_eq!(late.status().as_u16(), 409, "not while the coordinator reviews the result");
    assert_eq!(holder_of(&queue(&app, &people.xuan, true).await, id), Some(Some("Người thử xuan.urenco".into())));

    // A case returned as not the agency's leaves its holder.
    let (other, version) = routed(&app, &people, "key-assign-000003").await;
    let facts = app.change_ok(&people.xuan, other, version, &ChangeRequest::Take).await;
    let back = ChangeRequest::Return { reason: "Không thuộc thẩm quyền của đơn vị.".into() };
    let facts = app.change_ok(&people.xuan, other, facts.version, &back).await;
    assert_eq!(facts.assignee, None);
    assert_eq!(holder_of(&queue(&app, &people.xuan, true).await, other), None);
}

#[tokio::test]
async fn an_unknown_or_ineligible_assignee_is_refused_naming_the_field_in_the_callers_language() {
    let app = spawn_app().await;
    let people = agency(&app).await;
    let (id, version) = routed(&app, &people, "key-assign-000004").await;
    let citizen_id = app.create_account("dan.khong", ActorRole::Citizen, None).await;
    let gone_id = app.create_account("cu.urenco", ActorRole::Officer, Some("urenco")).await;
    let admin = app.signed_in("quantri.khoa", ActorRole::Admin, None).await;
    let deactivate = json!({ "id": gone_id, "active": false,
        "role": { "role": "officer", "agency": "urenco", "areas": [] } });
    app.admin_ok(&admin, "update_staff", &deactivate).await;

    for (who, assignee) in
        [("nobody", 987_654), ("a citizen", citizen_id), ("another agency's", people.vnpt_id), ("a former", gone_id)]
    {
        let response = app.change(&people.head, id, version, &assign(assignee)).await;
        assert_eq!(response.status().as_u16(), 422, "{who} officer");
        let body: Value = response.json().await.expect("json");
        assert_eq!(invalid_fields(&body), ["assignee"], "{who}: {body}");
        assert!(body.to_string().contains("Cán bộ được giao"), "{who}: in Vietnamese by default: {body}");
    }
    let english = app
        .client
        .post(format!("{}/api/staff/change", app.address))
        .header("cookie", format!("{}; lang=en", people.head))
        .json(&json!({ "id": id, "version": version, "request": assign(987_654) }))
        .send()
        .await
        .expect("request sent");
    assert_eq!(english.status().as_u16(), 422);
    let body: Value = english.json().await.expect("json");
    assert!(body.to_string().contains("Officer assigned: not an active officer"), "{body}");
    assert_eq!(app.events(id).await.len() as u32, version, "nothing was stored");
}

#[tokio::test]
async fn an_assignee_with_a_verified_address_is_mailed_once_and_a_taker_is_not() {
    let (port, inbox) = fake_relay().await;
    let app = spawn_app_configured(|settings| {
        settings.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
        settings.job_interval = Duration::from_millis(100);
    })
    .await;
    let people = agency(&app).await;
    verify(&app, people.xuan_id, "xuan@urenco.example.vn").await;
    verify(&app, people.an_id, "an@urenco.example.vn").await;
    let (id, version) = routed(&app, &people, "key-assign-000005").await;
    let facts = app.change_ok(&people.head, id, version, &assign(people.xuan_id)).await;
    let (other, version) = routed(&app, &people, "key-assign-000006").await;
    app.change_ok(&people.an, other, version, &ChangeRequest::Take).await;

    // The reporter is mailed both acceptances; the assignee their assignment, once.
    let mail = delivered(&inbox, 3).await;
    let to = |address: &str| mail.iter().filter(|m| m.recipients == vec![address.to_string()]).collect::<Vec<_>>();
    let assigned = to("xuan@urenco.example.vn");
    assert_eq!(assigned.len(), 1, "{mail:?}");
    let body = assigned[0].body();
    assert!(body.contains(&format!("/staff/cases/{id}")) && body.contains("Rác thải đổ trộm ven sông"), "{body}");
    assert!(to("an@urenco.example.vn").is_empty(), "taking a case oneself mails nobody: {mail:?}");

    // Given again, the next holder is told too.
    app.change_ok(&people.head, id, facts.version, &assign(people.an_id)).await;
    let mail = delivered(&inbox, 4).await;
    let to_an: Vec<_> = mail.iter().filter(|m| m.recipients == vec!["an@urenco.example.vn".to_string()]).collect();
    assert_eq!(to_an.len(), 1, "{mail:?}");
    assert!(to_an[0].body().contains(&format!("/staff/cases/{id}")));
}

/// Gives the account a verified address, as opening the link mailed to it does.
async fn verify(app: &TestApp, account_id: i64, address: &str) {
    use domain::profile::{ProfileEdit, ProfileInput};
    use services::account_links::{LinkPurpose, NewLink};
    let store = app.store().await;
    let input = ProfileInput { display_name: "Cán bộ".into(), email: address.into(), phone: String::new() };
    store.update_profile(account_id, &ProfileEdit::parse(&input).expect("valid")).await.expect("saved");
    let email = domain::contact::Email::parse(address).expect("address");
    let now = chrono::Utc::now();
    let purpose = LinkPurpose::VerifyEmail;
    let token = format!("verify-assignee-{account_id}");
    let link = NewLink {
        account_id,
        purpose,
        token_hash: &token,
        email: &email,
        issued_at: now,
        expires_at: now + purpose.lifetime(),
    };
    store.issue_account_link(&link, now).await.expect("issued");
    store.verify_email_with_link(&token, now).await.expect("verified");
}
