//! Two coordinators screening one case at once: exactly one wins, the other learns what happened.

use crate::helpers::{spawn_app, valid_report};
use app::cases::ChangeRequest;
use chrono::{Duration, Utc};
use domain::case::{ActorRole, CaseStatus};
use domain::workflow::{Actor, CaseFacts, Change, ChangeKind};
use serde_json::Value;
use services::changes::{apply_change, ChangeError};
use services::store::{CaseQuery, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_accepts_at_one_version_yield_one_success_and_one_conflict_with_fresh_facts() {
    let app = spawn_app().await;
    let first = app.signed_in("dieuphoi.mot", ActorRole::Coordinator, None).await;
    let second = app.signed_in("dieuphoi.hai", ActorRole::Coordinator, None).await;
    // Several rounds, so that the race really happens rather than once by luck.
    for round in 0..5 {
        let id = app.submit_case_as(&valid_report(&format!("key-race-{round:06}")), "").await;
        let to_urenco = ChangeRequest::Accept { agency: "urenco".into() };
        let to_ubnd = ChangeRequest::Accept { agency: "ubnd-dong-hoi".into() };
        let (a, b) = tokio::join!(app.change(&first, id, 1, &to_urenco), app.change(&second, id, 1, &to_ubnd));
        let mut answers = Vec::new();
        for response in [a, b] {
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("json body");
            answers.push((status, body));
        }
        answers.sort_by_key(|(status, _)| *status);
        let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
        assert_eq!(statuses, vec![200, 409], "round {round}: {answers:?}");
        let winner: CaseFacts = serde_json::from_value(answers[0].1.clone()).expect("the winner gets the facts");
        let conflict = &answers[1].1;
        assert_eq!(conflict["error"], "conflict", "round {round}: {conflict}");
        let fresh: CaseFacts = serde_json::from_value(conflict["details"].clone()).expect("the fresh facts come along");
        assert_eq!(fresh, winner, "round {round}: the loser sees the winner's change");
        assert_eq!((fresh.status, fresh.version), (CaseStatus::Assigned, 2));
        assert!(fresh.lead_agency.is_some() && fresh.deadline.is_some());

        let events = app.events(id).await;
        assert_eq!(events.len(), 2, "round {round}: exactly one change appended");
        assert_eq!(events[1].change.kind(), ChangeKind::Accepted);
        assert_eq!(app.staff_case(&first, id).await.facts, fresh, "round {round}: the events replay to it");
        let store = app.store().await;
        let listed = store.list_cases(&CaseQuery::InStatus(vec![CaseStatus::Assigned]), 100).await.expect("list");
        let projection = listed.into_iter().find(|c| c.id == id).map(|c| c.facts);
        assert_eq!(projection, Some(fresh), "round {round}: the stored projection is the winner's");
    }
}

/// The same race below HTTP: two writers that both read version 1 before either appends. The
/// store's conditional append, not the early version check, must decide it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_lets_exactly_one_of_two_writers_at_one_version_append() {
    let app = spawn_app().await;
    let coordinator = Actor { role: ActorRole::Coordinator, account_id: None, agency: None, agency_head: false };
    let (one, two) = (app.store().await, app.store().await);
    for round in 0..5 {
        let id = app.submit_case_as(&valid_report(&format!("key-srace-{round:05}")), "").await;
        let deadline = Utc::now() + Duration::days(7);
        let now = Utc::now();
        let urenco = Change::Accepted { agency: "urenco".into(), deadline };
        let sgtvt = Change::Accepted { agency: "sgtvt".into(), deadline };
        let (a, b) = tokio::join!(
            apply_change(&one, id, 1, &coordinator, urenco, now),
            apply_change(&two, id, 1, &coordinator, sgtvt, now)
        );
        let (winner, loser) = match (a, b) {
            (Ok(winner), Err(loser)) | (Err(loser), Ok(winner)) => (winner, loser),
            other => panic!("round {round}: expected one success and one failure, got {other:?}"),
        };
        match loser {
            ChangeError::Conflict(fresh) => assert_eq!(*fresh, winner, "round {round}: the fresh facts"),
            other => panic!("round {round}: expected a conflict, got {other:?}"),
        }
        assert_eq!(app.events(id).await.len(), 2, "round {round}");
        assert_eq!(one.case_status(id).await.expect("status"), Some(CaseStatus::Assigned));
    }
}
