//! Staff are told of deadlines: the agency of its reminder and its overdue, the coordinator of the overdue, the leader of the last step; nobody else.

use crate::helpers::{invalid_fields, spawn_app, valid_report};
use app::cases::{ChangeRequest, NoticeReason};
use chrono::Duration;
use domain::case::ActorRole;
use domain::deadline::shipped_calendar;
use domain::escalation::{step_time, EscalationRules, EscalationStep};
use domain::workflow::{Change, ChangeKind};
use serde_json::json;

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

#[tokio::test]
async fn a_category_sets_its_own_ladder_and_refuses_steps_out_of_range_by_name() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.ladder", ActorRole::Admin, None).await;
    let coordinator = app.signed_in("dieuphoi.ladder", ActorRole::Coordinator, None).await;
    let form = |reminder: &str, leader: &str| {
        json!({ "form": { "code": "environment", "name_vi": "Môi trường, vệ sinh", "name_en": "Environment and sanitation",
            "deadline_days": "5", "active": true, "reminder_days_before": reminder, "leader_days_after": leader } })
    };
    let refused = app.admin_post(&admin, "save_category", &form("0", "11")).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert_eq!(invalid_fields(&refused.json().await.expect("json")), vec!["reminder_days_before", "leader_days_after"]);
    app.admin_ok(&admin, "save_category", &form("3", "1")).await;

    let id = app.submit_case_as(&valid_report("key-escalation-category"), "").await;
    let version = app.staff_case(&coordinator, id).await.facts.version;
    let facts = app.change_ok(&coordinator, id, version, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let deadline = facts.deadline.expect("a deadline");
    let calendar = shipped_calendar();
    let province = EscalationRules::default();
    let own = EscalationRules { reminder_days_before: 3, leader_days_after: 1 };
    let store = app.store().await;
    let steps_at = |at| {
        let store = &store;
        async move { services::escalation::escalate_due(store, &province, at).await.expect("run") }
    };
    // The agency is reminded three working days before the deadline's day, not one.
    let reminder = step_time(deadline, EscalationStep::Reminder, &calendar, &own);
    assert!(reminder < step_time(deadline, EscalationStep::Reminder, &calendar, &province));
    assert_eq!(steps_at(reminder - Duration::hours(1)).await, 0);
    assert_eq!(steps_at(reminder).await, 1);
    // The leader is told one working day after the deadline's day, not two.
    let leader = step_time(deadline, EscalationStep::Leader, &calendar, &own);
    assert!(leader < step_time(deadline, EscalationStep::Leader, &calendar, &province));
    assert_eq!(steps_at(leader - Duration::hours(1)).await, 1, "the overdue step");
    assert_eq!(steps_at(leader).await, 1, "the leader's step");
    let taken: Vec<(EscalationStep, chrono::DateTime<chrono::Utc>)> = app
        .events(id)
        .await
        .into_iter()
        .filter_map(|event| match event.change {
            Change::DeadlineEscalated { step, .. } => Some((step, event.occurred_at)),
            _ => None,
        })
        .collect();
    let at = |moment: chrono::DateTime<chrono::Utc>| chrono::SubsecRound::trunc_subsecs(moment, 6);
    assert_eq!(
        taken,
        vec![
            (EscalationStep::Reminder, at(reminder)),
            (EscalationStep::Overdue, at(leader - Duration::hours(1))),
            (EscalationStep::Leader, at(leader))
        ]
    );
}
