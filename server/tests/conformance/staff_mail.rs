//! Staff digests and escalation mail: who has an address, which staff digests are due once per period, what an agency's digest lists, and which escalation steps are still to mail.

use super::{append, coordinator, input, parse, seed, seeded, submission, urenco_officer, verify_address};
use chrono::Duration;
use domain::account::{NewAccount, RoleAssignment, Username};
use domain::case::ActorRole;
use domain::catalogue::{Agency, AgencyKind};
use domain::contact::PersonName;
use domain::digest::StaffDigestKind;
use domain::escalation::{EscalationRules, EscalationStep};
use domain::workflow::Change;
use services::store::{AgencyDigestQuery, CatalogueSeed, DigestList, NoticeOutcome, Store};

/// A staff account of `role` (of `agency` for an officer, bound to `areas` for a coordinator).
async fn staff(store: &dyn Store, username: &str, role: ActorRole, agency: Option<&str>, areas: &[&str]) -> i64 {
    let account = NewAccount {
        username: Username::parse(username).expect("username"),
        display_name: PersonName::parse("Cán Bộ Thử").expect("name"),
        role,
        agency: agency.map(str::to_string),
        password_hash: "$argon2id$stand-in".into(),
    };
    let areas: Vec<String> = areas.iter().map(|a| a.to_string()).collect();
    let at = submission(None, 0).received_at;
    store.invite_account(&account, &areas, None, None, at).await.expect("account")
}

/// The ids of the accounts in `addresses`.
fn ids(addresses: &[services::store::StaffAddress]) -> Vec<i64> {
    addresses.iter().map(|a| a.account.id).collect()
}

pub async fn staff_digests_go_to_verified_active_staff_once_per_period(store: &dyn Store) {
    seeded(store).await;
    let at = submission(None, 0).received_at;
    let officer = staff(store, "xuly.conf", ActorRole::Officer, Some("urenco"), &[]).await;
    let unverified = staff(store, "xuly.chua", ActorRole::Officer, Some("urenco"), &[]).await;
    let other = staff(store, "xuly.khac", ActorRole::Officer, Some("urenco"), &[]).await;
    let coordinator = staff(store, "dieuphoi.conf", ActorRole::Coordinator, None, &["dong-hoi"]).await;
    let leader = staff(store, "lanhdao.conf", ActorRole::Leader, None, &[]).await;
    let retired = staff(store, "lanhdao.cu", ActorRole::Leader, None, &[]).await;
    let citizen = staff(store, "dan.conf", ActorRole::Citizen, None, &[]).await;
    for (n, id) in [officer, other, coordinator, leader, retired, citizen].into_iter().enumerate() {
        verify_address(store, id, &format!("canbo{n}@example.vn"), &format!("hash-staff-{n}"), at).await;
    }
    store.update_profile(unverified, &super::profile_edit("Cán Bộ Thử", "chua@example.vn", "")).await.expect("saved");
    let leader_role = RoleAssignment { role: ActorRole::Leader, agency: None, areas: Vec::new(), agency_head: false };
    store.update_account(retired, &leader_role, false, None, at).await.expect("deactivated");

    let roles = [ActorRole::Officer, ActorRole::Coordinator, ActorRole::Leader];
    let found = store.staff_addresses(&roles, 100).await.expect("read");
    assert_eq!(ids(&found), vec![officer, other, coordinator, leader], "active, verified, of those roles, by id");
    assert_eq!(found[0].email, "canbo0@example.vn");
    assert_eq!(found[0].account.agency.as_deref(), Some("urenco"));
    assert_eq!(found[2].account.areas, vec!["dong-hoi".to_string()], "a coordinator's areas come along");
    assert_eq!(ids(&store.staff_addresses(&roles, 1).await.expect("read")), vec![officer], "bounded");
    assert_eq!(ids(&store.staff_addresses(&[ActorRole::Leader], 100).await.expect("read")), vec![leader]);

    let daily = StaffDigestKind::AgencyDaily;
    let due = |kind, period: &'static str, now| async move {
        ids(&store.due_staff_digests(kind, period, now, 100).await.expect("due"))
    };
    assert_eq!(due(daily, "day:2023-03-02", at).await, vec![officer, other], "officers only");
    assert_eq!(store.claim_staff_digest(daily, other, "day:2023-03-02", at).await.expect("claim"), Some(0));
    store.settle_staff_digest(daily, other, "day:2023-03-02", NoticeOutcome::Sent).await.expect("sent");
    assert_eq!(due(StaffDigestKind::LeaderWeekly, "week:2023-02-20", at).await, vec![leader]);

    assert_eq!(store.claim_staff_digest(daily, officer, "day:2023-03-02", at).await.expect("claim"), Some(0));
    assert_eq!(store.claim_staff_digest(daily, officer, "day:2023-03-02", at).await.expect("again"), None, "once");
    assert!(due(daily, "day:2023-03-02", at).await.is_empty(), "a claimed digest is not due");
    assert_eq!(due(daily, "day:2023-03-03", at).await, vec![officer, other], "the next day's is");
    let retry = at + Duration::minutes(10);
    let failed = NoticeOutcome::Failed { retry_at: Some(retry) };
    store.settle_staff_digest(daily, officer, "day:2023-03-02", failed).await.expect("failed");
    assert!(due(daily, "day:2023-03-02", at).await.is_empty(), "not due again yet");
    assert_eq!(store.claim_staff_digest(daily, officer, "day:2023-03-02", at).await.expect("early"), None);
    assert_eq!(due(daily, "day:2023-03-02", retry).await, vec![officer], "due again");
    assert_eq!(store.claim_staff_digest(daily, officer, "day:2023-03-02", retry).await.expect("claim"), Some(1));
    store.settle_staff_digest(daily, officer, "day:2023-03-02", NoticeOutcome::Sent).await.expect("sent");
    let later = retry + Duration::days(1);
    assert!(due(daily, "day:2023-03-02", later).await.is_empty(), "sent for good");
    assert_eq!(store.claim_staff_digest(daily, officer, "day:2023-03-02", later).await.expect("claim"), None);
    let weekly = StaffDigestKind::LeaderWeekly;
    assert_eq!(store.claim_staff_digest(weekly, leader, "week:2023-02-20", at).await.expect("claim"), Some(0));
    store.settle_staff_digest(weekly, leader, "week:2023-02-20", NoticeOutcome::Skipped).await.expect("skipped");
    assert!(due(weekly, "week:2023-02-20", later).await.is_empty(), "a skipped summary is settled");
    let given_up = NoticeOutcome::Failed { retry_at: None };
    assert_eq!(store.claim_staff_digest(weekly, leader, "week:2023-02-27", at).await.expect("claim"), Some(0));
    store.settle_staff_digest(weekly, leader, "week:2023-02-27", given_up).await.expect("given up");
    assert!(due(weekly, "week:2023-02-27", later).await.is_empty(), "a digest given up is never due");
}

/// Routes a new case (reported at minute `reported`) to `agency` at minute `routed`, due at
/// minute `due`; answers its id.
async fn routed_case(store: &dyn Store, key: &str, agency: &str, routed: i64, due: i64) -> i64 {
    let id = store.create_case(&parse(&input(key)), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    let deadline = submission(None, due).received_at;
    append(store, id, &coordinator(), Change::Accepted { agency: agency.into(), deadline }, routed)
        .await
        .expect("routed");
    id
}

fn listed(list: &DigestList) -> (Vec<i64>, u64) {
    (list.cases.iter().map(|c| c.id).collect(), list.total)
}

pub async fn an_agencys_digest_lists_its_new_near_and_overdue_cases(store: &dyn Store) {
    let vnpt = Agency {
        code: "vnpt".into(),
        name: "VNPT Quảng Bình".into(),
        kind: AgencyKind::Utility,
        contact: String::new(),
        active: true,
    };
    store
        .seed_catalogue(&CatalogueSeed { agencies: vec![seed().agencies[0].clone(), vnpt], ..seed() })
        .await
        .expect("seed");
    // The digest's hour is minute 4320; the previous one a day before; near means due before minute 7200.
    let (at, since, near_until) = (4320, 2880, 7200);
    let new_far = routed_case(store, "key-digest-01", "urenco", at - 120, at + 14_400).await;
    let new_near = routed_case(store, "key-digest-02", "urenco", at - 60, 5000).await;
    let overdue = routed_case(store, "key-digest-03", "urenco", 100, 3000).await;
    let overdue_later = routed_case(store, "key-digest-04", "urenco", 110, 3100).await;
    let near = routed_case(store, "key-digest-05", "urenco", 100, 4400).await;
    let in_review = routed_case(store, "key-digest-06", "urenco", 100, 3000).await;
    append(store, in_review, &urenco_officer(), Change::Acknowledged, 200).await.expect("acknowledged");
    let result = Change::ResultSubmitted { summary: "Đã dọn sạch.".into(), photos: Vec::new() };
    append(store, in_review, &urenco_officer(), result, 300).await.expect("result in");
    let _at_the_hour = routed_case(store, "key-digest-07", "urenco", at, at + 14_400).await;
    let other_agency = routed_case(store, "key-digest-08", "vnpt", 100, 3000).await;
    let waiting = store.create_case(&parse(&input("key-digest-09")), &submission(Some("dong-hoi"), 1)).await;
    waiting.expect("a case waiting for screening");

    let time = |minutes| submission(None, minutes).received_at;
    let query = |agency, limit| AgencyDigestQuery {
        agency,
        routed_since: time(since),
        at: time(at),
        near_until: time(near_until),
        limit,
    };
    let urenco = store.agency_digest(&query("urenco", 10)).await.expect("digest");
    assert_eq!(listed(&urenco.new), (vec![new_far, new_near], 2), "routed since the last digest, by routing time");
    assert_eq!(listed(&urenco.near), (vec![near, new_near], 2), "still with the agency, by deadline");
    assert_eq!(listed(&urenco.overdue), (vec![overdue, overdue_later], 2), "past the deadline, with the agency");
    assert!(!urenco.is_empty());
    let near_case = &urenco.near.cases[0];
    assert_eq!((near_case.title.as_str(), near_case.facts.deadline), ("Rác thải đổ trộm", Some(time(4400))));

    let bounded = store.agency_digest(&query("urenco", 1)).await.expect("digest");
    assert_eq!(listed(&bounded.overdue), (vec![overdue], 2), "the first cases, and how many in all");
    assert_eq!(
        listed(&store.agency_digest(&query("vnpt", 10)).await.expect("digest").overdue),
        (vec![other_agency], 1)
    );
    let nobody = store.agency_digest(&query("nobody", 10)).await.expect("digest");
    assert!(nobody.is_empty(), "an agency with no case: {nobody:?}");
}

pub async fn escalation_steps_are_found_until_their_staff_mail_is_settled(store: &dyn Store) {
    seeded(store).await;
    let id = routed_case(store, "key-escalation-mail", "urenco", 10, 60).await;
    let taken_at = submission(None, 60).received_at + Duration::days(20);
    let rules = EscalationRules::default();
    assert_eq!(services::escalation::escalate_due(store, &rules, taken_at).await.expect("run"), 3);
    let unsettled = |channel: &'static str, now| async move {
        let since = taken_at - Duration::days(2);
        let found = store.unsettled_escalations(channel, since, now, 10).await.expect("read");
        found.iter().map(|n| (n.case_id, n.event.seq)).collect::<Vec<_>>()
    };
    let steps = store.unsettled_escalations("staff", taken_at - Duration::days(2), taken_at, 10).await.expect("read");
    let kinds: Vec<EscalationStep> = steps
        .iter()
        .filter_map(|n| match n.event.change {
            Change::DeadlineEscalated { step, .. } => Some(step),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, EscalationStep::ALL.to_vec(), "the steps only, oldest first");
    assert_eq!(
        (steps[0].case_id, steps[0].title.as_str(), steps[0].agency.as_deref(), steps[0].area.as_deref()),
        (id, "Rác thải đổ trộm", Some("urenco"), Some("dong-hoi"))
    );
    let later = store.unsettled_escalations("staff", taken_at, taken_at, 10).await.expect("read");
    assert!(later.is_empty(), "only steps after the time asked");

    let reminder = steps[0].event.seq;
    assert_eq!(store.claim_notice(id, reminder, "staff", taken_at).await.expect("claim"), Some(0));
    assert_eq!(store.claim_notice(id, reminder, "staff:7", taken_at).await.expect("claim"), Some(0));
    assert_eq!(
        unsettled("staff", taken_at).await,
        vec![(id, reminder + 1), (id, reminder + 2)],
        "claimed: not unsettled"
    );
    let retry = taken_at + Duration::minutes(5);
    store.settle_notice(id, reminder, "staff", NoticeOutcome::Failed { retry_at: Some(retry) }).await.expect("failed");
    assert_eq!(unsettled("staff", taken_at).await.len(), 2, "not due again yet");
    assert_eq!(unsettled("staff", retry).await.first(), Some(&(id, reminder)), "due again");
    assert_eq!(unsettled("other", taken_at).await.len(), 3, "each channel is settled on its own");
}
