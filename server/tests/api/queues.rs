//! Staff queues past any cap: every case of a queue is on one of its pages, and the newest result is reviewed.

use crate::helpers::{lists, spawn_app, valid_report, TestApp};
use app::cases::ChangeRequest;
use chrono::{Duration, Utc};
use domain::case::{ActorRole, CaseEvent, CaseStatus, Channel};
use domain::workflow::{Actor, CaseFacts, Change};
use hientruong::synthetic::{bulk_load, SyntheticCase};
use std::collections::HashSet;

/// More open cases than the review queue once read before filtering.
const OPEN_CASES: i64 = 2_001;

/// `count` cases in Đồng Hới that urenco is working on, submitted over the last days, oldest first.
fn cases_in_progress(count: i64) -> Vec<SyntheticCase> {
    let start = Utc::now() - Duration::days(3);
    let coordinator = Actor::new(ActorRole::Coordinator);
    let officer =
        Actor { role: ActorRole::Officer, account_id: None, agency: Some("urenco".into()), agency_head: false };
    (1..=count)
        .map(|id| {
            let submitted_at = start + Duration::seconds(id);
            let area = Some("dong-hoi".to_string());
            let mut events = vec![CaseEvent {
                seq: 1,
                actor_role: ActorRole::Anonymous,
                actor_id: None,
                occurred_at: submitted_at,
                from_status: None,
                to_status: CaseStatus::Submitted,
                public: true,
                change: Change::Submitted { channel: Channel::Web, area: area.clone(), terms: None },
            }];
            let mut facts = CaseFacts::submitted(None);
            let accepted = Change::Accepted { agency: "urenco".into(), deadline: Utc::now() + Duration::days(7) };
            for (actor, change) in [(&coordinator, accepted), (&officer, Change::Acknowledged)] {
                let (event, after) = facts.next_event(actor, change, submitted_at).expect("allowed");
                events.push(event);
                facts = after;
            }
            SyntheticCase {
                id,
                category: "environment",
                area,
                lat: 17.4689,
                lon: 106.6222,
                channel: Channel::Web,
                submitted_at,
                reporter_account: None,
                events,
                facts,
            }
        })
        .collect()
}

async fn seed_open_cases(app: &TestApp, count: i64) {
    bulk_load(&app.database_url, &cases_in_progress(count)).await.expect("bulk load");
}

#[tokio::test]
async fn with_more_than_two_thousand_open_cases_the_result_submitted_last_waits_in_the_review_queue() {
    let app = spawn_app().await;
    seed_open_cases(&app, OPEN_CASES).await;
    let coordinator = app.signed_in("dieuphoi.queue", ActorRole::Coordinator, None).await;
    let urenco = app.signed_in("xuly.urenco", ActorRole::Officer, Some("urenco")).await;
    let (id, _) = app.submit_anonymously(&valid_report("key-queue-last")).await;
    let facts = app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let facts = app.change_ok(&urenco, id, facts.version, &ChangeRequest::Acknowledge).await;
    let result = ChangeRequest::SubmitResult { summary: "Đã thu gom xong.".into(), photos: Vec::new() };
    let facts = app.change_ok(&urenco, id, facts.version, &result).await;
    assert_eq!(facts.status, CaseStatus::ResultReview);

    let review = app.queue_page("/api/staff/review", &coordinator, None).await;
    assert_eq!(review.items.iter().map(|item| item.case.id).collect::<Vec<_>>(), vec![id], "only what awaits review");
    assert_eq!(review.next, None);

    // The agency's queue holds every open case; its pages, followed to the end, list each once.
    let first = app.queue_page("/api/staff/agency", &urenco, None).await;
    assert_eq!(first.items.len(), 100, "a bounded page");
    assert!(first.next.is_some(), "with a way to the next");
    let whole = app.agency_queue(&urenco).await;
    let distinct: HashSet<i64> = whole.iter().map(|item| item.case.id).collect();
    assert_eq!((whole.len(), distinct.len()), (OPEN_CASES as usize + 1, OPEN_CASES as usize + 1));
    assert!(lists(&whole, id));
}

#[tokio::test]
async fn the_queue_page_links_to_the_next_page_in_the_readers_language() {
    let app = spawn_app().await;
    seed_open_cases(&app, 101).await;
    let urenco = app.signed_in("xuly.urenco", ActorRole::Officer, Some("urenco")).await;
    let page = |cookie: String| {
        let app = &app;
        async move { app.get_as("/staff/agency", &cookie).await.text().await.expect("html") }
    };
    let vietnamese = page(format!("{urenco}; lang=vi")).await;
    assert!(vietnamese.contains("Trang sau") && vietnamese.contains("rel=\"next\""), "{vietnamese}");
    let english = page(format!("{urenco}; lang=en")).await;
    assert!(english.contains("Next page"), "{english}");
    let last = app.queue_page("/api/staff/agency", &urenco, None).await.next.expect("a second page");
    let second = app.queue_page("/api/staff/agency", &urenco, Some(last)).await;
    assert_eq!(second.items.iter().map(|item| item.case.id).collect::<Vec<_>>(), vec![101]);
    assert_eq!(second.next, None);
}
