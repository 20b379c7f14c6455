//! The staff workspace and the landing pages over HTTP: a case's facts and the next case of the
//! queue its reader works, the admin overview, and who may open the staff map.

use crate::helpers::{spawn_app, valid_report};
use app::admin::ConsoleOverview;
use app::cases::{ChangeRequest, QueueKind};
use app::map_data::FilterChoices;
use domain::case::ActorRole;
use serde_json::json;

#[tokio::test]
async fn a_coordinator_s_case_names_the_next_case_of_the_screening_queue_even_after_it_is_accepted() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.ws", ActorRole::Coordinator, None).await;
    let (first, _) = app.submit_anonymously(&valid_report("ws-first")).await;
    let (second, _) = app.submit_anonymously(&valid_report("ws-second")).await;
    let mut outside = valid_report("ws-outside");
    outside["lat"] = json!(16.4637);
    outside["lon"] = json!(107.5909);
    let (third, _) = app.submit_anonymously(&outside).await;

    let case = app.staff_case(&coordinator, first).await;
    assert!(!case.out_of_area, "the pin lies in Đồng Hới");
    let next = case.next_case.expect("a next case");
    assert_eq!((next.id, next.queue), (second, QueueKind::Screening));
    assert!(app.staff_case(&coordinator, third).await.out_of_area, "Huế lies outside every served area");

    // Accepted, the case has left the queue; the next one is still the one after it.
    let accept = ChangeRequest::Accept { agency: "urenco".into() };
    app.change_ok(&coordinator, first, case.facts.version, &accept).await;
    let next = app.staff_case(&coordinator, first).await.next_case.expect("a next case");
    assert_eq!((next.id, next.queue), (second, QueueKind::Screening));

    // The last case of the queue leads back to its first other case, never to itself.
    let next = app.staff_case(&coordinator, third).await.next_case.expect("a next case");
    assert_eq!(next.id, second);
}

#[tokio::test]
async fn an_officer_s_next_case_comes_from_the_agency_queue_and_a_leader_has_none() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.ws", ActorRole::Coordinator, None).await;
    let urenco = app.signed_in("xuly.ws", ActorRole::Officer, Some("urenco")).await;
    let leader = app.signed_in("lanhdao.ws", ActorRole::Leader, None).await;
    let mut ids = Vec::new();
    for key in ["ws-agency-a", "ws-agency-b"] {
        let (id, _) = app.submit_anonymously(&valid_report(key)).await;
        app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
        ids.push(id);
    }
    let next = app.staff_case(&urenco, ids[0]).await.next_case.expect("a next case");
    assert_eq!(next.queue, QueueKind::Agency);
    assert_eq!(next.id, ids[1]);
    let seen_by_leader = app.staff_case(&leader, ids[0]).await;
    assert_eq!((seen_by_leader.queue, seen_by_leader.next_case), (None, None), "a leader works no queue");
}

#[tokio::test]
async fn the_administrator_and_the_leader_may_open_the_staff_map_and_a_citizen_may_not() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.ws", ActorRole::Admin, None).await;
    let leader = app.signed_in("lanhdao.ws", ActorRole::Leader, None).await;
    let citizen = app.signed_in("dan.ws", ActorRole::Citizen, None).await;
    let operator = app.signed_in("tongdai.ws", ActorRole::Operator, None).await;

    for cookie in [&admin, &leader] {
        let choices: FilterChoices = app.get_ok("/api/map_choices", cookie).await;
        assert!(choices.allowed && !choices.categories.is_empty() && choices.choose_agency);
    }
    for cookie in [&citizen, &operator] {
        let response = app.get_as("/api/map_choices", cookie).await;
        assert_eq!(response.status().as_u16(), 403);
    }
    assert_eq!(app.get("/api/map_choices").await.status().as_u16(), 401, "signed out");
}

#[tokio::test]
async fn the_admin_overview_counts_each_console_page_for_the_administrator_only() {
    let app = spawn_app().await;
    let admin = app.signed_in("quantri.ws", ActorRole::Admin, None).await;
    let leader = app.signed_in("lanhdao.ws", ActorRole::Leader, None).await;
    app.issue_api_key(&admin, "Ứng dụng thành phố").await;

    let overview: ConsoleOverview = app.get_ok("/api/admin/overview", &admin).await;
    let store = app.store().await;
    use services::store::Store;
    assert_eq!(overview.categories.total, store.categories().await.expect("categories").len());
    assert_eq!(overview.agencies.total, store.agencies().await.expect("agencies").len());
    assert_eq!(overview.areas.total, store.areas().await.expect("areas").len());
    assert_eq!(overview.staff_accounts.total, store.staff_accounts().await.expect("staff").len());
    assert!(overview.staff_accounts.total >= 2, "the administrator and the leader");
    assert_eq!((overview.api_keys.total, overview.api_keys.active), (1, 1));
    assert!(overview.recent_changes.len() <= app::admin::OVERVIEW_CHANGES);

    assert_eq!(app.get_as("/api/admin/overview", &leader).await.status().as_u16(), 403);
    assert_eq!(app.get("/api/admin/overview").await.status().as_u16(), 401);
}
