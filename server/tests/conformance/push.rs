//! Push notices: the server's key kept once, subscriptions owned, bounded, renewed and removed, and which steps each subscription is to be pushed, until settled.

use super::{accepted, append, citizen_account, coordinator, input, parse, seeded, submission};
use chrono::Duration;
use domain::account::{NewAccount, RoleAssignment, Username};
use domain::case::ActorRole;
use domain::contact::PersonName;
use domain::lang::Lang;
use domain::workflow::{Actor, Change, ErasureReason, RejectReason};
use services::store::{
    CaseSecrets, NewPushSubscription, NoticeOutcome, PushNotice, PushOwner, PushRecipient, Store, Submission,
};

fn browser(endpoint: &str, lang: Lang) -> NewPushSubscription {
    NewPushSubscription {
        endpoint: endpoint.into(),
        p256dh: format!("key-of-{endpoint}"),
        auth: format!("auth-of-{endpoint}"),
        lang,
    }
}

async fn staff(store: &dyn Store, username: &str, role: ActorRole, agency: Option<&str>) -> i64 {
    let account = NewAccount {
        username: Username::parse(username).expect("username"),
        display_name: PersonName::parse("Cán Bộ Thử").expect("name"),
        role,
        agency: agency.map(str::to_string),
        password_hash: "$argon2id$stand-in".into(),
    };
    store.create_account(&account, submission(None, 0).received_at).await.expect("officer")
}

pub async fn the_push_key_is_written_once_and_read_back_by_every_server(store: &dyn Store) {
    let at = submission(None, 0).received_at;
    let (first, second) = tokio::join!(store.push_key("key-one", at), store.push_key("key-two", at));
    let (first, second) = (first.expect("kept"), second.expect("kept"));
    assert_eq!(first, second, "servers starting together end with one key");
    assert!(first == "key-one" || first == "key-two");
    assert_eq!(store.push_key("key-three", at).await.expect("kept"), first, "a later start keeps it");
}

pub async fn push_subscriptions_are_owned_bounded_renewed_and_removed(store: &dyn Store) {
    seeded(store).await;
    let at = submission(None, 0).received_at;
    let citizen = store.create_account(&citizen_account("dan.day"), at).await.expect("citizen");
    let other = PushOwner::Account(store.create_account(&citizen_account("dan.khac.day"), at).await.expect("citizen"));
    let case_id = store.create_case(&parse(&input("key-push-own")), &submission(None, 0)).await.expect("case").id;
    let mine = PushOwner::Account(citizen);
    let receipt = PushOwner::Receipt(case_id);
    let endpoints = |subscriptions: Vec<services::store::PushSubscription>| {
        subscriptions.into_iter().map(|s| (s.endpoint, s.p256dh, s.lang)).collect::<Vec<_>>()
    };

    assert!(store
        .save_push_subscription(mine, &browser("https://push.example/a", Lang::Vi), at, 2)
        .await
        .expect("save"));
    assert!(store
        .save_push_subscription(mine, &browser("https://push.example/b", Lang::En), at, 2)
        .await
        .expect("save"));
    assert!(
        !store.save_push_subscription(mine, &browser("https://push.example/c", Lang::Vi), at, 2).await.expect("save"),
        "two at most"
    );
    let renewed = NewPushSubscription { p256dh: "new-key".into(), ..browser("https://push.example/a", Lang::En) };
    assert!(store.save_push_subscription(mine, &renewed, at, 2).await.expect("save"), "the same endpoint renews");
    // One browser serves several owners: the same endpoint for another account and for a receipt.
    assert!(store
        .save_push_subscription(other, &browser("https://push.example/a", Lang::Vi), at, 2)
        .await
        .expect("save"));
    assert!(store
        .save_push_subscription(receipt, &browser("https://push.example/a", Lang::Vi), at, 2)
        .await
        .expect("save"));

    let kept = store.push_subscriptions(mine).await.expect("read");
    assert_eq!(kept.iter().map(|s| s.owner).collect::<Vec<_>>(), vec![mine, mine]);
    assert_eq!(
        endpoints(kept),
        vec![
            ("https://push.example/a".to_string(), "new-key".to_string(), Lang::En),
            ("https://push.example/b".to_string(), "key-of-https://push.example/b".to_string(), Lang::En),
        ]
    );
    let theirs = store.push_subscriptions(receipt).await.expect("read");
    assert_eq!((theirs.len(), theirs[0].owner), (1, receipt));
    assert_eq!(theirs[0].created_at, at);

    assert!(store.delete_push_subscription(mine, "https://push.example/b").await.expect("delete"));
    assert!(!store.delete_push_subscription(mine, "https://push.example/b").await.expect("delete"), "gone already");
    assert!(!store.delete_push_subscription(mine, "https://push.example/zzz").await.expect("delete"));
    assert_eq!(store.push_subscriptions(mine).await.expect("read").len(), 1);
    assert_eq!(store.push_subscriptions(other).await.expect("read").len(), 1, "another owner's stays");

    let id = store.push_subscriptions(receipt).await.expect("read")[0].id;
    store.forget_push_subscription(id).await.expect("forget");
    assert!(store.push_subscriptions(receipt).await.expect("read").is_empty());

    store.close_citizen_account(citizen, &[]).await.expect("close");
    assert!(store.push_subscriptions(mine).await.expect("read").is_empty(), "a closed account's go with it");
}

pub async fn push_notices_reach_receipts_reporters_officers_and_followers_once_each(store: &dyn Store) {
    seeded(store).await;
    let start = submission(None, 0).received_at;
    let reporter = store.create_account(&citizen_account("dan.baocao"), start).await.expect("citizen");
    let follower = store.create_account(&citizen_account("dan.theodoi.day"), start).await.expect("citizen");
    let late = store.create_account(&citizen_account("dan.muon"), start).await.expect("citizen");
    let urenco = staff(store, "xuly.day", ActorRole::Officer, Some("urenco")).await;
    let retired = staff(store, "xuly.nghi", ActorRole::Officer, Some("urenco")).await;
    let screener = staff(store, "dieuphoi.day", ActorRole::Coordinator, None).await;
    let role = RoleAssignment {
        role: ActorRole::Officer,
        agency: Some("urenco".into()),
        areas: Vec::new(),
        agency_head: false,
    };
    store.update_account(retired, &role, false, None, start).await.expect("deactivated");

    let theirs =
        Submission { actor_role: ActorRole::Citizen, actor_account: Some(reporter), ..submission(Some("dong-hoi"), 1) };
    let reported = store.create_case(&parse(&input("key-push-reported")), &theirs).await.expect("case").id;
    let anonymous = Submission {
        secrets: CaseSecrets { receipt_hash: Some("receipt-hash-push".into()), claim_code_hash: None },
        ..submission(Some("dong-hoi"), 1)
    };
    let anonymous = store.create_case(&parse(&input("key-push-anonymous")), &anonymous).await.expect("case").id;

    let subscribe = |owner, endpoint: &'static str, at| async move {
        assert!(store.save_push_subscription(owner, &browser(endpoint, Lang::Vi), at, 10).await.expect("save"));
        store
            .push_subscriptions(owner)
            .await
            .expect("read")
            .into_iter()
            .find(|s| s.endpoint == endpoint)
            .expect("kept")
            .id
    };
    let reporter_sub = subscribe(PushOwner::Account(reporter), "https://push.example/reporter", start).await;
    let receipt_sub = subscribe(PushOwner::Receipt(anonymous), "https://push.example/receipt", start).await;
    let follower_sub = subscribe(PushOwner::Account(follower), "https://push.example/follower", start).await;
    let officer_sub = subscribe(PushOwner::Account(urenco), "https://push.example/officer", start).await;
    subscribe(PushOwner::Account(retired), "https://push.example/retired", start).await;
    subscribe(PushOwner::Account(screener), "https://push.example/coordinator", start).await;
    assert!(store.follow_case(follower, reported, submission(None, 2).received_at, 1000).await.expect("follow"));
    // The follower follows the anonymous case too, before any step: a follower of a case held back
    // is found here, and the server decides from the step that it is not told.
    assert!(store.follow_case(follower, anonymous, submission(None, 2).received_at, 1000).await.expect("follow"));

    let since = start - Duration::days(7);
    let now = start + Duration::hours(1);
    assert!(store.unsettled_push_notices(since, now, 100).await.expect("read").is_empty(), "nothing before a step");

    append(store, reported, &coordinator(), accepted(5000), 10).await.expect("accept");
    let rejection = Change::Rejected {
        reason: RejectReason::Inappropriate,
        duplicate_of: None,
        explanation: "Nội dung không phù hợp.".into(),
    };
    append(store, anonymous, &coordinator(), rejection, 11).await.expect("reject");
    // A subscription made after a step is not told of it.
    let late_sub =
        subscribe(PushOwner::Account(late), "https://push.example/late", submission(None, 30).received_at).await;
    assert!(store.follow_case(late, reported, submission(None, 1).received_at, 1000).await.expect("follow"));

    let due = store.unsettled_push_notices(since, now, 100).await.expect("read");
    let seen = |due: &[PushNotice]| {
        due.iter().map(|n| (n.case_id, n.event.seq, n.subscription.id, n.recipient)).collect::<Vec<_>>()
    };
    let mut expected = vec![
        (reported, 2, reporter_sub, PushRecipient::Reporter),
        (reported, 2, follower_sub, PushRecipient::Follower),
        (reported, 2, officer_sub, PushRecipient::Officer),
        (anonymous, 2, receipt_sub, PushRecipient::Receipt),
        (anonymous, 2, follower_sub, PushRecipient::Follower),
    ];
    assert_eq!(
        seen(&due),
        expected,
        "by step, then subscription; neither the retired officer, a coordinator, nor {late_sub}"
    );
    let officer_notice = due.iter().find(|n| n.recipient == PushRecipient::Officer).expect("the officer");
    assert_eq!(
        (officer_notice.account_role, officer_notice.account_agency.as_deref()),
        (Some(ActorRole::Officer), Some("urenco"))
    );
    assert_eq!(officer_notice.title, "Rác thải đổ trộm");
    let receipt_notice = due.iter().find(|n| n.recipient == PushRecipient::Receipt).expect("the receipt");
    assert_eq!((receipt_notice.account_role, receipt_notice.subscription.owner), (None, PushOwner::Receipt(anonymous)));
    assert_eq!(store.unsettled_push_notices(since, now, 2).await.expect("read").len(), 2, "bounded");

    // Each subscription's message is settled on its own channel.
    let channel = PushNotice::channel(reporter_sub);
    assert_eq!(store.claim_notice(reported, 2, &channel, now).await.expect("claim"), Some(0));
    assert_eq!(store.claim_notice(reported, 2, &channel, now).await.expect("claim"), None, "claimed once");
    store.settle_notice(reported, 2, &channel, NoticeOutcome::Sent).await.expect("settle");
    expected.remove(0);
    assert_eq!(seen(&store.unsettled_push_notices(since, now, 100).await.expect("read")), expected);
    let channel = PushNotice::channel(officer_sub);
    assert_eq!(store.claim_notice(reported, 2, &channel, now).await.expect("claim"), Some(0));
    let retry = now + Duration::minutes(5);
    store.settle_notice(reported, 2, &channel, NoticeOutcome::Failed { retry_at: Some(retry) }).await.expect("settle");
    let without_officer: Vec<_> = expected.iter().copied().filter(|e| e.3 != PushRecipient::Officer).collect();
    assert_eq!(
        seen(&store.unsettled_push_notices(since, now, 100).await.expect("read")),
        without_officer,
        "not due yet"
    );
    assert_eq!(seen(&store.unsettled_push_notices(since, retry, 100).await.expect("read")), expected, "due again");
    assert_eq!(store.claim_notice(reported, 2, &channel, retry).await.expect("claim"), Some(1), "one failure before");

    // Internal steps push nothing; a closed account's subscriptions are gone with it.
    append(store, reported, &super::urenco_officer(), Change::Acknowledged, 20).await.expect("acknowledge");
    store.close_citizen_account(follower, &[]).await.expect("close");
    let left = store.unsettled_push_notices(since, retry, 100).await.expect("read");
    assert_eq!(seen(&left), vec![(anonymous, 2, receipt_sub, PushRecipient::Receipt)], "the officer's is being sent");

    // When the case's personal data is erased, its receipt's browsers go with it.
    let erased =
        Change::PersonalDataErased { reason: ErasureReason::Retention, contact: true, call_numbers: 0, photos: 0 };
    append(store, anonymous, &Actor::system(), erased, 60).await.expect("erase");
    assert!(store.push_subscriptions(PushOwner::Receipt(anonymous)).await.expect("read").is_empty());
    assert!(store.unsettled_push_notices(since, retry, 100).await.expect("read").is_empty());
}
