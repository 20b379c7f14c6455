//! Staff are told of deadlines: the agency of its reminder and its overdue, the coordinator of the overdue, the leader of the last step; nobody else.

use crate::helpers::{spawn_app, valid_report};
use app::cases::{ChangeRequest, NoticeReason};
use domain::case::ActorRole;
use domain::escalation::EscalationRules;
use domain::workflow::ChangeKind;

#[tokio::test]
async fn each_role_is_told_of_its_steps_of_a_deadlines_ladder() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi", ActorRole::Coordinator, None).await;
    let urenco = app.signed_in("xuly.urenco", ActorRole::Officer, Some("urenco")).await;
    let vnpt = app.signed_in("xuly.vnpt", ActorRole::Officer, Some("vnpt")).await;
    let leader = app.signed_in("lanhdao", ActorRole::Leader, None).await;
    let citizen = app.signed_in("dan", ActorRole::Citizen, None).await;
    let id = app.submit_case_as(&valid_report("key-escalation-api"), "").await;
    app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;

    // A month on, every step has come.
    let store = app.store().await;
    let later = chrono::Utc::now() + chrono::Duration::days(30);
    let taken = services::escalation::escalate_due(&store, &EscalationRules::default(), later).await.expect("run");
    assert_eq!(taken, 3);

    let deadline_steps = |notices: Vec<app::cases::Notice>| {
        notices
            .into_iter()
            .filter(|n| n.case_id == id && n.kind == ChangeKind::DeadlineEscalated)
            .map(|n| {
                assert_eq!(n.reason, NoticeReason::Deadline);
                n.seq
            })
            .collect::<Vec<_>>()
    };
    // Events 3, 4 and 5: the reminder, the overdue, the leader's step.
    assert_eq!(deadline_steps(app.my_notices(&urenco).await), vec![4, 3], "the agency: overdue and reminder");
    assert_eq!(deadline_steps(app.my_notices(&coordinator).await), vec![4], "the coordinator: overdue");
    assert_eq!(deadline_steps(app.my_notices(&leader).await), vec![5], "the leader: the last step");
    assert!(deadline_steps(app.my_notices(&vnpt).await).is_empty(), "another agency: nothing");
    assert!(deadline_steps(app.my_notices(&citizen).await).is_empty(), "the public: nothing");
    // The steps are the staff's: the public timeline does not show them.
    assert!(app.public_case(id).await.timeline.iter().all(|e| e.kind != ChangeKind::DeadlineEscalated));
}
