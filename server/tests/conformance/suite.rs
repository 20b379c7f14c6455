//! The tests every storage backend must pass, written against the `Store` seam alone.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::access_log::{AccessCount, AccessPurpose, AccessQuery, AccessSubject, NewAccess};
use domain::account::{NewAccount, RoleAssignment, Username};
use domain::alerts::{AlertFrequency, AlertPlace, NewAlert, NoticeReason};
use domain::calls::{Call, CallDirection, CallInput, CallOutcome, CallPurpose};
use domain::case::{replay, ActorRole, CaseStatus, Channel};
use domain::catalogue::{Agency, AgencyKind, CatalogueEdit, Category, Entity, Route};
use domain::contact::Email;
use domain::contact::PersonName;
use domain::deadline::Holiday;
use domain::geo::{Area, AreaShape};
use domain::new_case::{NewCase, NewCaseInput};
use domain::photos::PhotoId;
use domain::profile::{AccountHandle, LinkProblem, Profile, ProfileEdit, ProfileInput};
use domain::workflow::{Actor, CaseFacts, Change, ChangeKind, IntakeTerms};
use services::account_links::{AccountAddress, LinkPurpose, LinkState, NewLink};
use services::chain::{verify_chains, Breakage, BrokenLink, ChainSummary};
use services::login_throttle::{FailureRun, LoginFailures};
use services::store::CaseAppend;
use services::store::{CaseFilter, CaseQuery, EscalationPlace, QueueCursor, StaffQueue, StoreError};
use services::store::{
    CaseSecrets, CaseVersion, CatalogueSeed, NoticeOutcome, Store, StoredPhoto, Submission, UnattachedPhotos,
};

/// Expands to one test per conformance check for the backend `make` builds.
macro_rules! conformance_suite {
    ($backend:ident, $make:path) => {
        mod $backend {
            use super::suite;
            macro_rules! check {
                ($name:ident) => {
                    #[tokio::test]
                    async fn $name() {
                        let Some(held) = $make().await else { return };
                        suite::$name(held.store.as_ref()).await;
                    }
                };
            }
            /// A check that also reaches the database around the store.
            macro_rules! check_raw {
                ($name:ident) => {
                    #[tokio::test]
                    async fn $name() {
                        let Some(held) = $make().await else { return };
                        suite::$name(held.store.as_ref(), &held.raw).await;
                    }
                };
            }
            check_raw!(events_are_chained_sealed_and_unchangeable_and_verify_names_each_broken_link);
            check!(ping_answers);
            check!(seeding_is_idempotent_and_keeps_current_values);
            check!(a_created_case_has_one_submitted_event_and_replays_to_its_status);
            check!(public_case_carries_no_contact_but_contact_is_kept);
            check!(vietnamese_text_round_trips_exactly);
            check!(a_repeated_submission_key_returns_the_first_case);
            check!(concurrent_submissions_with_one_key_create_one_case);
            check!(out_of_area_cases_have_no_area);
            check!(a_case_with_an_unknown_category_stores_nothing);
            check!(a_receipt_opens_its_case_only);
            check!(claim_attempts_are_bounded_per_case_and_per_account);
            check!(public_listings_leave_out_held_back_cases);
            check!(unknown_cases_are_absent);
            check!(appended_events_replay_to_the_stored_status_and_facts);
            check!(a_stale_version_is_a_conflict_and_stores_nothing);
            check!(accounts_sessions_and_login_failures);
            check!(routes_and_holidays_are_kept);
            check!(listings_filter_and_order_cases);
            check!(staff_queues_hold_exactly_their_cases_and_page_through_all_of_them);
            check!(a_notice_is_claimed_once_settled_and_a_failed_one_claimed_again_when_due);
            check!(calls_are_logged_with_their_case_event_and_counted);
            check_raw!(views_of_personal_data_are_recorded_filtered_paged_counted_and_never_changed);
            check!(digests_page_by_id_and_follow_every_write);
            check!(digests_project_rejections_results_and_ratings);
            check!(digests_project_screening_result_and_resolution_times);
            check!(exports_filter_page_and_hold_no_contact);
            check!(citizen_accounts_are_counted_up_to_a_time);
            check!(photos_are_recorded_once_and_linked_with_their_case);
            check!(unattached_photos_are_counted_per_client_until_a_case_takes_them);
            check!(a_case_with_an_unknown_photo_stores_nothing);
            check!(photo_cases_tell_which_cases_hold_a_blob);
            check!(only_old_photos_no_case_holds_are_swept);
            check!(a_results_photos_come_with_its_event_or_not_at_all);
            check!(catalogue_edits_are_applied_and_logged_all_or_nothing);
            check!(staff_accounts_carry_their_areas_and_changes_are_logged);
            check!(public_cases_come_in_the_asked_order_as_each_would_alone);
            check!(public_list_items_agree_with_the_public_cases_and_carry_the_rejection);
            check!(concurrent_reports_share_a_batch_and_each_is_stored_whole);
            check!(a_failing_report_fails_alone_not_its_batch);
            check!(repeated_keys_inside_one_batch_return_one_case_each);
            check!(personal_data_past_its_retention_is_erased_once_with_an_event);
            check!(closing_a_citizen_account_unlinks_its_cases_and_erases_their_contacts_at_once);
            check!(search_folds_vietnamese_finds_prefixes_and_numbers_and_keeps_to_the_searchers_scope);
            check!(a_profile_is_edited_and_a_changed_address_is_unverified);
            check!(account_links_work_once_until_they_expire_one_of_each_purpose_per_account);
            check!(reset_links_reach_only_active_citizens_with_a_verified_address);
            check!(an_administrators_reset_gives_a_staff_account_a_one_time_password_and_ends_its_sessions);
            check!(followers_and_alerts_are_told_of_public_steps_once_each);
            check!(the_escalation_ladder_is_projected_and_its_cases_found_until_its_last_step);
            check!(follows_and_alerts_are_bounded_owned_and_gone_with_the_account);
            check!(support_counts_once_per_account_and_device_and_equals_the_replay);
            check!(a_merge_moves_the_duplicates_reporter_and_supporters_to_the_original_once);
            check!(the_published_result_is_kept_beside_the_facts_exported_and_cleared_on_reopening);
            // Assignment inside an agency.
            check!(an_agencys_officers_and_heads_are_listed_and_its_cases_found_by_their_holder);
            check!(assignments_are_told_once_and_an_accounts_reading_of_its_notices_is_kept);
            // Staff digests and escalation mail.
            check!(staff_digests_go_to_verified_active_staff_once_per_period);
            check!(an_agencys_digest_lists_its_new_near_and_overdue_cases);
            check!(escalation_steps_are_found_until_their_staff_mail_is_settled);
            // Push notices.
            check!(the_push_key_is_written_once_and_read_back_by_every_server);
            check!(push_subscriptions_are_owned_bounded_renewed_and_removed);
            check!(push_notices_reach_receipts_reporters_officers_and_followers_once_each);
            // The case index's snapshot.
            check_raw!(the_case_index_is_saved_and_a_start_catches_up_from_its_snapshot);
            check!(a_refresh_reads_in_full_only_the_cases_it_has_not_seen_at_their_version);
        }
    };
}

fn category(code: &str, active: bool) -> Category {
    Category {
        code: code.into(),
        name_vi: format!("Lĩnh vực {code}"),
        name_en: format!("Category {code}"),
        deadline_days: 5,
        active,
        reminder_days_before: None,
        leader_days_after: None,
    }
}

fn seed() -> CatalogueSeed {
    let shape = AreaShape::from_geojson(&serde_json::json!({
        "type": "Polygon",
        "coordinates": [[[106.5, 17.4], [106.7, 17.4], [106.7, 17.6], [106.5, 17.6], [106.5, 17.4]]]
    }))
    .expect("valid area");
    CatalogueSeed {
        categories: vec![category("environment", true), category("traffic", true), category("retired", false)],
        agencies: vec![Agency {
            code: "urenco".into(),
            name: "Công ty Môi trường".into(),
            kind: AgencyKind::Utility,
            contact: "0232 3822 111".into(),
            active: true,
        }],
        areas: vec![Area { code: "dong-hoi".into(), name: "Thành phố Đồng Hới".into(), shape, active: true }],
        routes: vec![Route { category: "environment".into(), area: "dong-hoi".into(), agency: "urenco".into() }],
        holidays: domain::deadline::shipped_holidays(),
    }
}

async fn seeded(store: &dyn Store) {
    store.seed_catalogue(&seed()).await.expect("seed");
}

fn input(key: &str) -> NewCaseInput {
    NewCaseInput {
        submission_key: key.into(),
        category: "environment".into(),
        title: "Rác thải đổ trộm".into(),
        description: "Đống rác lớn bên đường Lý Thường Kiệt.".into(),
        lat: Some(17.47),
        lon: Some(106.62),
        reporter_name: "Nguyễn Thị Lan".into(),
        reporter_phone: "0912 345 678".into(),
        reporter_email: "lan@example.vn".into(),
        address: "25 Lý Thường Kiệt, phường Đồng Phú".into(),
        photos: Vec::new(),
    }
}

fn parse(input: &NewCaseInput) -> NewCase {
    NewCase::parse(input, &seed().categories).expect("valid case")
}

fn submission(area: Option<&str>, minutes: i64) -> Submission {
    Submission {
        channel: Channel::Web,
        actor_role: ActorRole::Anonymous,
        actor_account: None,
        area_code: area.map(str::to_string),
        received_at: Utc.with_ymd_and_hms(2023, 3, 1, 8, 0, 0).single().expect("valid time")
            + Duration::minutes(minutes),
        terms: Some(IntakeTerms { deadline_days: 5, agency: area.map(|_| "urenco".to_string()) }),
        secrets: CaseSecrets::default(),
    }
}

pub async fn ping_answers(store: &dyn Store) {
    store.ping().await.expect("ping");
}

pub async fn seeding_is_idempotent_and_keeps_current_values(store: &dyn Store) {
    seeded(store).await;
    let mut changed = seed();
    changed.categories[0].name_vi = "Tên khác".into();
    store.seed_catalogue(&changed).await.expect("second seed");
    let categories = store.categories().await.expect("categories");
    assert_eq!(categories.len(), 3);
    let environment = categories.iter().find(|c| c.code == "environment").expect("environment");
    assert_eq!(environment.name_vi, "Lĩnh vực environment", "a later seed does not overwrite");
    assert!(!categories.iter().find(|c| c.code == "retired").expect("retired").active);
    assert_eq!(store.agencies().await.expect("agencies"), seed().agencies);
    assert_eq!(store.areas().await.expect("areas"), seed().areas);
}

pub async fn a_created_case_has_one_submitted_event_and_replays_to_its_status(store: &dyn Store) {
    seeded(store).await;
    let stored =
        store.create_case(&parse(&input("key-00000001")), &submission(Some("dong-hoi"), 0)).await.expect("create");
    assert!(stored.newly_created);
    let events = store.case_events(stored.id).await.expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].change.kind(), ChangeKind::Submitted);
    let terms = Some(IntakeTerms { deadline_days: 5, agency: Some("urenco".into()) });
    assert_eq!(
        events[0].change,
        Change::Submitted { channel: Channel::Web, area: Some("dong-hoi".into()), terms: terms.clone() }
    );
    let facts = CaseFacts::from_events(&events).expect("replays");
    assert_eq!(facts.terms, terms, "the terms the case arrived under replay from its first event");
    assert_eq!(events[0].seq, 1);
    assert_eq!(events[0].from_status, None);
    assert_eq!(events[0].to_status, CaseStatus::Submitted);
    assert_eq!(events[0].occurred_at, submission(None, 0).received_at);
    assert!(events[0].public);
    let stored_status = store.case_status(stored.id).await.expect("status");
    assert_eq!(stored_status, Some(replay(&events).expect("replay")));
}

pub async fn public_case_carries_no_contact_but_contact_is_kept(store: &dyn Store) {
    seeded(store).await;
    let stored =
        store.create_case(&parse(&input("key-00000002")), &submission(Some("dong-hoi"), 0)).await.expect("create");
    let public = store.public_case(stored.id).await.expect("read").expect("exists");
    let serialised = serde_json::to_string(&public).expect("json");
    for personal in ["Nguyễn Thị Lan", "0912345678", "lan@example.vn"] {
        assert!(!serialised.contains(personal), "public case leaks {personal}");
    }
    let contact = store.reporter_contact(stored.id).await.expect("contact").expect("kept");
    assert_eq!(contact.phone.expect("phone").as_str(), "0912345678");
    assert_eq!(contact.email.expect("email").as_str(), "lan@example.vn");
    assert_eq!(contact.name.expect("name").as_str(), "Nguyễn Thị Lan");
}

pub async fn vietnamese_text_round_trips_exactly(store: &dyn Store) {
    seeded(store).await;
    let mut raw = input("key-00000003");
    raw.title = "Đường Nguyễn Hữu Cảnh ngập sâu".into();
    raw.description = "Nước ngập tới đầu gối,\nxe máy chết máy hàng loạt — cần khơi thông cống.".into();
    let stored = store.create_case(&parse(&raw), &submission(Some("dong-hoi"), 0)).await.expect("create");
    let public = store.public_case(stored.id).await.expect("read").expect("exists");
    assert_eq!(public.title, raw.title);
    assert_eq!(public.description, raw.description);
    assert_eq!(public.category_name_vi, "Lĩnh vực environment");
    assert_eq!(public.channel, Channel::Web);
    assert_eq!(public.submitted_at, submission(None, 0).received_at);
    assert_eq!((public.lat, public.lon), (17.47, 106.62));
    assert_eq!(public.address.as_deref(), Some("25 Lý Thường Kiệt, phường Đồng Phú"));
}

pub async fn a_repeated_submission_key_returns_the_first_case(store: &dyn Store) {
    seeded(store).await;
    let first =
        store.create_case(&parse(&input("key-00000004")), &submission(Some("dong-hoi"), 0)).await.expect("create");
    let mut changed = input("key-00000004");
    changed.title = "Một tiêu đề khác hẳn".into();
    let again = store.create_case(&parse(&changed), &submission(Some("dong-hoi"), 5)).await.expect("retry");
    assert_eq!(again.id, first.id);
    assert!(!again.newly_created);
    assert_eq!(store.count_cases().await.expect("count"), 1);
    assert_eq!(store.case_events(first.id).await.expect("events").len(), 1);
    assert_eq!(store.public_case(first.id).await.expect("read").expect("exists").title, "Rác thải đổ trộm");
}

pub async fn concurrent_submissions_with_one_key_create_one_case(store: &dyn Store) {
    seeded(store).await;
    let case = parse(&input("key-00000005"));
    let received = submission(Some("dong-hoi"), 0);
    let attempts = (0..8).map(|_| store.create_case(&case, &received));
    let results = futures_join_all(attempts).await;
    let ids: std::collections::BTreeSet<i64> = results.iter().map(|r| r.as_ref().expect("create").id).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(results.iter().filter(|r| r.as_ref().is_ok_and(|s| s.newly_created)).count(), 1);
    assert_eq!(store.count_cases().await.expect("count"), 1);
}

/// Runs the futures concurrently on this task and collects their outputs in order.
async fn futures_join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

pub async fn out_of_area_cases_have_no_area(store: &dyn Store) {
    seeded(store).await;
    let inside =
        store.create_case(&parse(&input("key-00000006")), &submission(Some("dong-hoi"), 0)).await.expect("create");
    let mut far = input("key-00000007");
    far.lat = Some(16.46);
    far.lon = Some(107.59);
    let outside = store.create_case(&parse(&far), &submission(None, 1)).await.expect("create");
    let area = |id| async move { store.public_case(id).await.expect("read").expect("exists").area_name };
    assert_eq!(area(inside.id).await.as_deref(), Some("Thành phố Đồng Hới"));
    assert_eq!(area(outside.id).await, None);
}

pub async fn a_case_with_an_unknown_category_stores_nothing(store: &dyn Store) {
    seeded(store).await;
    let mut catalogue = seed().categories;
    catalogue.push(category("not-in-store", true));
    let mut raw = input("key-00000008");
    raw.category = "not-in-store".into();
    let case = NewCase::parse(&raw, &catalogue).expect("valid against the wider catalogue");
    assert!(store.create_case(&case, &submission(Some("dong-hoi"), 0)).await.is_err());
    assert_eq!(store.count_cases().await.expect("count"), 0);
    assert_eq!(store.reporter_contact(1).await.expect("contact"), None);
    assert!(store.case_events(1).await.expect("events").is_empty());
}

pub async fn a_receipt_opens_its_case_only(store: &dyn Store) {
    seeded(store).await;
    let with_receipt = |hash: &str| Submission {
        secrets: CaseSecrets { receipt_hash: Some(hash.into()), claim_code_hash: None },
        ..submission(Some("dong-hoi"), 0)
    };
    let first = store.create_case(&parse(&input("key-receipt-1")), &with_receipt("aa11")).await.expect("create");
    let second = store.create_case(&parse(&input("key-receipt-2")), &submission(None, 1)).await.expect("create");
    assert_eq!(store.case_for_receipt("aa11").await.expect("read"), Some(first.id));
    assert_eq!(store.case_for_receipt("bb22").await.expect("read"), None);
    assert_ne!(first.id, second.id);
    // A repeated submission stores no second receipt: only the first case's opens it.
    let again = store.create_case(&parse(&input("key-receipt-1")), &with_receipt("cc33")).await.expect("again");
    assert_eq!((again.id, again.newly_created), (first.id, false));
    assert_eq!(store.case_for_receipt("cc33").await.expect("read"), None);
    assert_eq!(store.case_for_receipt("aa11").await.expect("read"), Some(first.id));
}

pub async fn claim_attempts_are_bounded_per_case_and_per_account(store: &dyn Store) {
    seeded(store).await;
    let with_code = Submission {
        secrets: CaseSecrets { receipt_hash: None, claim_code_hash: Some("c0de".into()) },
        ..submission(Some("dong-hoi"), 0)
    };
    let phoned = store.create_case(&parse(&input("key-claim-001")), &with_code).await.expect("create").id;
    let plain = store.create_case(&parse(&input("key-claim-002")), &submission(None, 1)).await.expect("create").id;
    // Three attempts on the case: each answers the hash, the fourth is past the limit.
    for _ in 0..3 {
        assert_eq!(store.claim_attempt_on_case(phoned, 3).await.expect("attempt"), Some("c0de".into()));
    }
    assert_eq!(store.claim_attempt_on_case(phoned, 3).await.expect("attempt"), None);
    assert_eq!(
        store.claim_attempt_on_case(phoned, 4).await.expect("attempt"),
        Some("c0de".into()),
        "counted, not reset"
    );
    assert_eq!(store.claim_attempt_on_case(plain, 3).await.expect("attempt"), None, "a case without a code");
    assert_eq!(store.claim_attempt_on_case(plain + 100, 3).await.expect("attempt"), None, "a missing case");

    let account = NewAccount {
        username: Username::parse("dan.claim").expect("username"),
        display_name: PersonName::parse("Dân Nhận").expect("name"),
        role: ActorRole::Citizen,
        agency: None,
        password_hash: "hash".into(),
    };
    let at = submission(None, 0).received_at;
    let id = store.create_account(&account, at).await.expect("account");
    let attempt = |minutes: i64| {
        let now = at + Duration::minutes(minutes);
        store.claim_attempt_by_account(id, now, now - Duration::hours(24), 2)
    };
    assert!(attempt(0).await.expect("attempt"));
    assert!(attempt(1).await.expect("attempt"));
    assert!(!attempt(2).await.expect("attempt"), "the third in the window is refused");
    assert!(!attempt(60).await.expect("attempt"), "and counted");
    assert!(attempt(24 * 60 + 1).await.expect("attempt"), "a new window starts afresh");
    assert!(attempt(24 * 60 + 2).await.expect("attempt"));
    assert!(!attempt(24 * 60 + 3).await.expect("attempt"));
    // Concurrent attempts cannot pass the limit together.
    let fresh = NewAccount { username: Username::parse("dan.claim2").expect("username"), ..account };
    let other = store.create_account(&fresh, at).await.expect("account");
    let allowed =
        futures_join_all((0..8).map(|_| store.claim_attempt_by_account(other, at, at - Duration::hours(24), 3)))
            .await
            .into_iter()
            .filter(|r| *r.as_ref().expect("attempt"))
            .count();
    assert_eq!(allowed, 3);
}

pub async fn public_listings_leave_out_held_back_cases(store: &dyn Store) {
    use domain::case::held_back;
    use domain::workflow::RejectReason;
    seeded(store).await;
    let reject = |reason| Change::Rejected { reason, duplicate_of: None, explanation: "Lý do công khai".into() };
    let mut cases = Vec::new();
    for (n, change) in [
        None,
        Some(accepted(5000)),
        Some(reject(RejectReason::Inappropriate)),
        Some(reject(RejectReason::InsufficientInfo)),
        Some(reject(RejectReason::NotPublicMatter)),
    ]
    .into_iter()
    .enumerate()
    {
        let key = format!("key-held-{n:03}");
        let id =
            store.create_case(&parse(&input(&key)), &submission(Some("dong-hoi"), n as i64)).await.expect("create").id;
        if let Some(change) = change {
            append(store, id, &coordinator(), change, 300).await.expect("screened");
        }
        let facts = CaseFacts::from_events(&store.case_events(id).await.expect("events")).expect("replay");
        cases.push((id, held_back(facts.status, facts.rejection)));
    }
    let public: Vec<i64> = cases.iter().filter(|(_, held)| !held).map(|(id, _)| *id).collect();
    assert_eq!(cases.iter().filter(|(_, held)| *held).count(), 2, "the fresh report and the inappropriate one");
    let exported = store.export_cases(&CaseFilter { public_only: true, ..CaseFilter::default() }, 0, 10).await;
    assert_eq!(exported.expect("export").iter().map(|c| c.id).collect::<Vec<_>>(), public);
    let everything = store.export_cases(&CaseFilter::default(), 0, 10).await.expect("export");
    assert_eq!(everything.len(), cases.len());
    for (case, (id, held)) in everything.iter().zip(&cases) {
        assert_eq!(case.id, *id);
        assert_eq!(case.published.is_none(), *held, "case {id}: only what it is counted by when held back");
    }
    let routed = CaseFilter { agency: Some("urenco".into()), ..CaseFilter::default() };
    let routed = store.export_cases(&routed, 0, 10).await.expect("export");
    assert!(routed.iter().all(|case| case.published.is_some()), "an agency's cases are screened ones");
    let listing = |public_only| CaseQuery::Submitted {
        ids: None,
        categories: None,
        statuses: None,
        from: submission(None, -1).received_at,
        to: submission(None, 60).received_at,
        offset: 0,
        public_only,
        words: Vec::new(),
    };
    let mut listed: Vec<i64> = store.list_cases(&listing(true), 10).await.expect("list").iter().map(|c| c.id).collect();
    listed.sort_unstable();
    assert_eq!(listed, public);
    assert_eq!(store.list_cases(&listing(false), 10).await.expect("list").len(), cases.len());
}

pub async fn unknown_cases_are_absent(store: &dyn Store) {
    seeded(store).await;
    assert_eq!(store.public_case(42).await.expect("read"), None);
    assert_eq!(store.case_status(42).await.expect("read"), None);
    assert!(store.case_events(42).await.expect("read").is_empty());
}

/// Appends `change` by `actor` the way the server does: decided by the core, at the current version.
async fn append(
    store: &dyn Store,
    id: i64,
    actor: &Actor,
    change: Change,
    minutes: i64,
) -> Result<CaseFacts, StoreError> {
    let events = store.case_events(id).await?;
    let facts = CaseFacts::from_events(&events).expect("replay");
    let (event, after) = facts.next_event(actor, change, submission(None, minutes).received_at).expect("allowed");
    store.append_event(id, facts.version, &event, &after).await?;
    Ok(after)
}

fn coordinator() -> Actor {
    Actor::new(ActorRole::Coordinator)
}

fn urenco_officer() -> Actor {
    Actor { role: ActorRole::Officer, account_id: None, agency: Some("urenco".into()), agency_head: false }
}

fn accepted(minutes: i64) -> Change {
    Change::Accepted { agency: "urenco".into(), deadline: submission(None, minutes).received_at }
}

pub async fn appended_events_replay_to_the_stored_status_and_facts(store: &dyn Store) {
    seeded(store).await;
    let id =
        store.create_case(&parse(&input("key-append-01")), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    append(store, id, &coordinator(), accepted(5000), 1).await.expect("accept");
    let facts = append(store, id, &urenco_officer(), Change::Acknowledged, 2).await.expect("acknowledge");
    let events = store.case_events(id).await.expect("events");
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(store.case_status(id).await.expect("status"), Some(replay(&events).expect("replay")));
    assert_eq!(CaseFacts::from_events(&events).expect("replay"), facts);
    let listed = store
        .list_cases(&CaseQuery::OfAgency { agency: "urenco".into(), statuses: vec![CaseStatus::InProgress] }, 10)
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].facts, facts, "the stored projection equals the replay");
    assert_eq!(events[1].change, accepted(5000));
}

pub async fn a_stale_version_is_a_conflict_and_stores_nothing(store: &dyn Store) {
    seeded(store).await;
    let id =
        store.create_case(&parse(&input("key-stale-001")), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    let events = store.case_events(id).await.expect("events");
    let facts = CaseFacts::from_events(&events).expect("replay");
    let event = |change: Change| domain::case::CaseEvent {
        seq: 2,
        actor_role: ActorRole::Coordinator,
        actor_id: None,
        occurred_at: submission(None, 1).received_at,
        from_status: Some(CaseStatus::Submitted),
        to_status: CaseStatus::Assigned,
        public: true,
        change,
    };
    store.append_event(id, 1, &event(accepted(100)), &facts).await.expect("first writer wins");
    let second = store.append_event(id, 1, &event(accepted(200)), &facts).await;
    assert!(matches!(second, Err(StoreError::Conflict { current: 2 })), "{second:?}");
    assert_eq!(store.case_events(id).await.expect("events").len(), 2);
    let batch = store.events_of_cases(&[999, id]).await.expect("events of several cases");
    assert_eq!(batch.len(), 1, "a case without events is absent");
    assert_eq!(batch.get(&id), Some(&store.case_events(id).await.expect("events")), "the same events, oldest first");
    assert!(store.events_of_cases(&[]).await.expect("none asked").is_empty());
    assert!(matches!(store.append_event(999, 1, &event(accepted(1)), &facts).await, Err(StoreError::Missing(_))));
}

pub async fn accounts_sessions_and_login_failures(store: &dyn Store) {
    seeded(store).await;
    let account = NewAccount {
        username: Username::parse("xuly.urenco").expect("username"),
        display_name: PersonName::parse("Cán bộ Môi trường").expect("name"),
        role: ActorRole::Officer,
        agency: Some("urenco".into()),
        password_hash: "$argon2id$stand-in".into(),
    };
    let at = submission(None, 0).received_at;
    let id = store.create_account(&account, at).await.expect("create");
    assert!(matches!(store.create_account(&account, at).await, Err(StoreError::Duplicate(_))));
    let (found, hash) = store.account_credentials("xuly.urenco").await.expect("read").expect("exists");
    assert_eq!(
        (found.id, found.role, found.agency.as_deref(), hash.as_str()),
        (id, ActorRole::Officer, Some("urenco"), "$argon2id$stand-in")
    );
    store.set_password_hash(id, "$argon2id$other").await.expect("set");
    assert_eq!(store.account_credentials("xuly.urenco").await.expect("read").expect("exists").1, "$argon2id$other");
    store.create_session("token-a", id, at, at + Duration::days(1), at + Duration::days(1)).await.expect("session");
    store.create_session("token-b", id, at, at + Duration::days(1), at + Duration::days(1)).await.expect("session");
    assert_eq!(store.session_account("token-a", at).await.expect("read").map(|a| a.id), Some(id));
    assert_eq!(store.session_account("token-a", at + Duration::days(2)).await.expect("read"), None, "expired");
    store.delete_other_sessions(id, "token-a").await.expect("delete others");
    assert_eq!(store.session_account("token-b", at).await.expect("read"), None);
    store.delete_session("token-a").await.expect("delete");
    assert_eq!(store.session_account("token-a", at).await.expect("read"), None);

    // A session ends when it has been idle too long; using it moves its idle end forward, never past
    // its absolute end; ended sessions are purged, live ones kept.
    let hour = Duration::hours(1);
    store.create_session("token-idle", id, at, at + Duration::days(1), at + hour).await.expect("session");
    assert!(store.session_account("token-idle", at + Duration::minutes(59)).await.expect("read").is_some());
    assert_eq!(store.session_account("token-idle", at + hour).await.expect("read"), None, "idle too long");
    store.extend_session("token-idle", at + hour * 3).await.expect("extend");
    assert!(store.session_account("token-idle", at + hour * 2).await.expect("read").is_some(), "kept alive");
    store.extend_session("token-idle", at + hour * 2).await.expect("an earlier end changes nothing");
    assert!(store.session_account("token-idle", at + hour * 2 + Duration::minutes(30)).await.expect("read").is_some());
    store.extend_session("token-idle", at + Duration::days(5)).await.expect("extend past the end");
    assert_eq!(store.session_account("token-idle", at + Duration::days(1)).await.expect("read"), None, "absolute end");
    store.create_session("token-live", id, at, at + Duration::days(1), at + Duration::days(1)).await.expect("session");
    store.create_session("token-stale", id, at, at + Duration::days(1), at + hour).await.expect("session");
    assert_eq!(store.purge_sessions(at + hour * 4).await.expect("purge"), 1, "the idle session is purged");
    assert!(store.session_account("token-live", at + hour * 4).await.expect("read").is_some(), "the live one kept");
    assert_eq!(store.purge_sessions(at + Duration::days(1)).await.expect("purge"), 2, "both ended at their end");
    assert_eq!(store.purge_sessions(at + Duration::days(1)).await.expect("purge"), 0);

    // Sign-in failures: each attempt is recorded before it is checked and counts those recorded
    // before it, per client and username and per client alone, strictly after `since`.
    let (here, there) = ("203.0.113.5", "198.51.100.7");
    let minute = |m: i64| at + Duration::minutes(m);
    let mut attempts = Vec::new();
    for (m, client, username) in
        [(0, here, "xuly.urenco"), (1, here, "xuly.urenco"), (2, here, "quantri"), (3, there, "xuly.urenco")]
    {
        attempts.push(store.begin_login_attempt(client, username, minute(m), at).await.expect("record"));
    }
    assert_eq!(attempts[0].1, LoginFailures::default(), "the first attempt finds none before it");
    assert_eq!(attempts[3].1, LoginFailures::default(), "another client's failures are its own");
    let (attempt, failures) = store.begin_login_attempt(here, "xuly.urenco", minute(4), at).await.expect("record");
    assert_eq!(
        failures,
        LoginFailures {
            for_username: FailureRun { count: 1, latest: Some(minute(1)) },
            for_client: FailureRun { count: 2, latest: Some(minute(2)) },
        },
        "the failure at `since` itself is not counted"
    );
    store.forget_login_attempt(attempt).await.expect("forget");
    let (_, failures) =
        store.begin_login_attempt(here, "quantri", minute(5), at - Duration::days(1)).await.expect("record");
    assert_eq!((failures.for_username.count, failures.for_client.count), (1, 3), "the forgotten attempt is gone");
    store.clear_login_failures(here, "xuly.urenco").await.expect("clear");
    let (_, failures) =
        store.begin_login_attempt(here, "xuly.urenco", minute(6), at - Duration::days(1)).await.expect("record");
    assert_eq!(
        (failures.for_username.count, failures.for_client.count),
        (0, 2),
        "only this client's, for this username"
    );
    let (_, failures) =
        store.begin_login_attempt(there, "xuly.urenco", minute(7), at - Duration::days(1)).await.expect("record");
    assert_eq!(failures.for_username.count, 1, "another client's failures stay");
    assert_eq!(store.purge_login_failures(minute(3)).await.expect("purge"), 1, "the one before minute 3");
    assert_eq!(store.purge_login_failures(minute(3)).await.expect("purge"), 0);
}

pub async fn routes_and_holidays_are_kept(store: &dyn Store) {
    seeded(store).await;
    assert_eq!(store.route_for("environment", "dong-hoi").await.expect("route").as_deref(), Some("urenco"));
    assert_eq!(store.route_for("traffic", "dong-hoi").await.expect("route"), None);
    let holidays = store.holidays().await.expect("holidays");
    assert_eq!(holidays, domain::deadline::shipped_holidays());
}

pub async fn listings_filter_and_order_cases(store: &dyn Store) {
    seeded(store).await;
    let citizen = NewAccount {
        username: Username::parse("dan").expect("username"),
        display_name: PersonName::parse("Nguyễn Văn Dân").expect("name"),
        role: ActorRole::Citizen,
        agency: None,
        password_hash: "$argon2id$stand-in".into(),
    };
    let reporter = store.create_account(&citizen, submission(None, 0).received_at).await.expect("account");
    let mut ids = Vec::new();
    for n in 0..3 {
        let mut raw = input(&format!("key-list-{n:04}"));
        raw.lat = Some(17.47 + f64::from(n) * 0.01);
        let mut at = submission(Some("dong-hoi"), i64::from(n));
        at.actor_role = ActorRole::Citizen;
        at.actor_account = (n == 0).then_some(reporter);
        ids.push(store.create_case(&parse(&raw), &at).await.expect("create").id);
    }
    // Routed in reverse, so the later case has the earlier deadline.
    append(store, ids[1], &coordinator(), accepted(900), 10).await.expect("accept");
    append(store, ids[2], &coordinator(), accepted(500), 11).await.expect("accept");
    let submitted = store.list_cases(&CaseQuery::InStatus(vec![CaseStatus::Submitted]), 10).await.expect("list");
    assert_eq!(submitted.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[0]]);
    let agency = CaseQuery::OfAgency { agency: "urenco".into(), statuses: vec![CaseStatus::Assigned] };
    let routed = store.list_cases(&agency, 10).await.expect("list");
    assert_eq!(routed.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[2], ids[1]], "earliest deadline first");
    let mine = store.list_cases(&CaseQuery::ReportedBy(reporter), 10).await.expect("list");
    assert_eq!(mine.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[0]]);
    assert_eq!(mine[0].facts.reporter_account, Some(reporter));
    let near = CaseQuery::Near {
        category: "environment".into(),
        south: 17.465,
        north: 17.475,
        west: 106.6,
        east: 106.64,
        since: submission(None, -60).received_at,
        until: submission(None, 60).received_at,
    };
    let found = store.list_cases(&near, 10).await.expect("list");
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[0]]);
}

/// The ids of every page of `queue`, `size` cases at a time, following each page's last case.
async fn pages(store: &dyn Store, queue: &StaffQueue, size: u32) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = store.queue_page(queue, after, size).await.expect("queue page");
        let Some(last) = page.last() else { return pages };
        after = Some(queue.cursor_after(last));
        pages.push(page.iter().map(|case| case.id).collect());
        assert!(pages.len() < 20, "paging ends");
    }
}

pub async fn staff_queues_hold_exactly_their_cases_and_page_through_all_of_them(store: &dyn Store) {
    seeded(store).await;
    let create = |n: i64, area: Option<&'static str>| async move {
        let at = submission(area, n);
        store.create_case(&parse(&input(&format!("key-queue-{n:02}"))), &at).await.expect("create").id
    };
    let fresh = create(0, Some("dong-hoi")).await;
    let outside = create(1, None).await;
    let extension = create(2, Some("dong-hoi")).await;
    let result = create(3, Some("dong-hoi")).await;
    let plain = create(4, Some("dong-hoi")).await;
    append(store, extension, &coordinator(), accepted(900), 10).await.expect("accept");
    append(store, result, &coordinator(), accepted(500), 11).await.expect("accept");
    append(store, plain, &coordinator(), accepted(700), 12).await.expect("accept");
    let asked = Change::ExtensionRequested { days: 3, reason: "Chờ vật tư.".into() };
    append(store, extension, &urenco_officer(), asked, 13).await.expect("ask for more time");
    append(store, result, &urenco_officer(), Change::Acknowledged, 14).await.expect("acknowledge");
    let summary = Change::ResultSubmitted { summary: "Đã thu gom xong.".into(), photos: Vec::new() };
    append(store, result, &urenco_officer(), summary, 15).await.expect("result");

    let screening = StaffQueue::Screening { areas: None };
    assert_eq!(pages(store, &screening, 10).await, vec![vec![fresh, outside]], "new reports, oldest first");
    assert_eq!(pages(store, &screening, 1).await, vec![vec![fresh], vec![outside]]);
    let in_city = StaffQueue::Screening { areas: Some(vec!["dong-hoi".into()]) };
    assert_eq!(pages(store, &in_city, 10).await, vec![vec![fresh]], "an area's coordinator sees its own");
    let elsewhere = StaffQueue::Screening { areas: Some(vec!["bo-trach".into()]) };
    assert!(pages(store, &elsewhere, 10).await.is_empty());

    let review = StaffQueue::Review { areas: None };
    assert_eq!(pages(store, &review, 10).await, vec![vec![extension, result]], "only what awaits the coordinator");
    assert_eq!(pages(store, &review, 1).await, vec![vec![extension], vec![result]]);
    assert!(pages(store, &StaffQueue::Review { areas: Some(vec!["bo-trach".into()]) }, 10).await.is_empty());

    let agency = StaffQueue::Agency { agency: "urenco".into() };
    assert_eq!(pages(store, &agency, 10).await, vec![vec![result, plain, extension]], "earliest deadline first");
    assert_eq!(pages(store, &agency, 2).await, vec![vec![result, plain], vec![extension]]);
    let past_deadlines = QueueCursor { at: None, id: 0 };
    assert!(store.queue_page(&agency, Some(past_deadlines), 10).await.expect("page").is_empty(), "none undated");
    assert!(pages(store, &StaffQueue::Agency { agency: "vnpt".into() }, 10).await.is_empty());

    let refused = Change::ExtensionDecided { approved: false, deadline: None, note: "Không gia hạn.".into() };
    append(store, extension, &coordinator(), refused, 16).await.expect("decide");
    append(store, result, &coordinator(), Change::ResultApproved { published: None }, 17).await.expect("approve");
    assert!(pages(store, &review, 10).await.is_empty(), "decided cases leave the review queue");
    assert_eq!(pages(store, &agency, 10).await, vec![vec![plain, extension]], "approved results leave the agency's");
}

pub async fn a_notice_is_claimed_once_settled_and_a_failed_one_claimed_again_when_due(store: &dyn Store) {
    seeded(store).await;
    let id =
        store.create_case(&parse(&input("key-notice-01")), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    append(store, id, &coordinator(), accepted(5000), 3).await.expect("accept");
    let at = submission(None, 5).received_at;
    let unsettled = |since: i64, now: DateTime<Utc>| async move {
        let found = store.unsettled_notices("email", submission(None, since).received_at, now, 10).await;
        found.expect("unsettled").iter().map(|(case, e)| (*case, e.seq)).collect::<Vec<_>>()
    };
    assert_eq!(unsettled(-1, at).await, vec![(id, 1), (id, 2)], "public events, oldest first");
    assert_eq!(unsettled(0, at).await, vec![(id, 2)], "only those after the given time");

    assert_eq!(store.claim_notice(id, 2, "email", at).await.expect("claim"), Some(0));
    assert_eq!(store.claim_notice(id, 2, "email", at).await.expect("claim again"), None, "a second claim loses");
    assert_eq!(store.claim_notice(id, 2, "sms", at).await.expect("other channel"), Some(0));
    assert_eq!(unsettled(0, at).await, Vec::new(), "a claimed notice is no longer unsettled");

    let retry = at + Duration::minutes(10);
    store.settle_notice(id, 2, "email", NoticeOutcome::Failed { retry_at: Some(retry) }).await.expect("failed");
    assert_eq!(unsettled(0, at).await, Vec::new(), "not due yet");
    assert_eq!(store.claim_notice(id, 2, "email", at).await.expect("early claim"), None);
    assert_eq!(unsettled(0, retry).await, vec![(id, 2)], "due again");
    assert_eq!(store.claim_notice(id, 2, "email", retry).await.expect("claim when due"), Some(1), "one failure so far");
    store.settle_notice(id, 2, "email", NoticeOutcome::Sent).await.expect("sent");
    let much_later = retry + Duration::days(1);
    assert_eq!(unsettled(0, much_later).await, Vec::new());
    assert_eq!(store.claim_notice(id, 2, "email", much_later).await.expect("claim a sent one"), None);

    assert_eq!(store.claim_notice(id, 1, "email", at).await.expect("claim"), Some(0));
    store.settle_notice(id, 1, "email", NoticeOutcome::Failed { retry_at: None }).await.expect("given up");
    assert_eq!(unsettled(-1, much_later).await, Vec::new(), "a notice given up is never due");
}

pub async fn calls_are_logged_with_their_case_event_and_counted(store: &dyn Store) {
    seeded(store).await;
    let id =
        store.create_case(&parse(&input("key-calls-001")), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    append(store, id, &coordinator(), Change::VerificationRequested { note: "Gọi xác minh".into() }, 1)
        .await
        .expect("request");
    let queue = store.list_cases(&CaseQuery::AwaitingVerification, 10).await.expect("queue");
    assert_eq!(queue.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id]);

    let now = submission(None, 2).received_at;
    let callback = CallInput {
        phone: "0912 345 678".into(),
        outcome: Some(CallOutcome::CallbackScheduled),
        case_id: Some(id),
        duration_seconds: 40,
        callback_at: Some(now + Duration::hours(3)),
        ..Default::default()
    };
    let call = Call::parse(&callback, CallDirection::Outbound, now).expect("valid call");
    let events = store.case_events(id).await.expect("events");
    let facts = CaseFacts::from_events(&events).expect("replay");
    let operator = Actor::new(ActorRole::Operator);
    let change = Change::CallLogged { direction: call.direction, outcome: call.outcome, callback_at: call.callback_at };
    let (event, after) = facts.next_event(&operator, change, now).expect("allowed");
    let append = CaseAppend { case_id: id, expected_version: facts.version, event: &event, facts: &after };
    let call_id = store.log_call(&call, None, now, Some(append)).await.expect("log");
    let stale = CaseAppend { case_id: id, expected_version: facts.version, event: &event, facts: &after };
    assert!(matches!(store.log_call(&call, None, now, Some(stale)).await, Err(StoreError::Conflict { .. })));
    let logged = store.calls(Some(id), 10).await.expect("calls");
    assert_eq!(logged.len(), 1, "a conflicting call is not logged half");
    assert_eq!((logged[0].id, logged[0].call.phone.as_ref().map(|p| p.as_str())), (call_id, Some("0912345678")));
    assert_eq!(logged[0].call.callback_at, Some(now + Duration::hours(3)));
    let queued = store.list_cases(&CaseQuery::AwaitingVerification, 10).await.expect("queue");
    assert_eq!(queued[0].facts.verification_due, Some(now + Duration::hours(3)));

    let inbound = CallInput {
        phone: "0232 3822 123".into(),
        purpose: Some(CallPurpose::Guidance),
        outcome: Some(CallOutcome::Answered),
        duration_seconds: 120,
        ..Default::default()
    };
    let guidance = Call::parse(&inbound, CallDirection::Inbound, now).expect("valid call");
    store.log_call(&guidance, None, now + Duration::minutes(1), None).await.expect("log");
    assert_eq!(store.calls(None, 10).await.expect("calls").len(), 2);
    let counts = store.call_counts(now - Duration::hours(1), now + Duration::hours(1)).await.expect("counts");
    assert_eq!((counts.inbound, counts.outbound), (1, 1));
    assert_eq!(counts.by_purpose, vec![(CallPurpose::Guidance, 1)]);
    assert_eq!(counts.by_outcome.len(), 2);
    let later = store.call_counts(now + Duration::hours(1), now + Duration::hours(2)).await.expect("counts");
    assert_eq!((later.inbound, later.outbound), (0, 0));
}

async fn staff_account(store: &dyn Store, username: &str, role: ActorRole) -> i64 {
    let account = NewAccount {
        username: Username::parse(username).expect("username"),
        display_name: PersonName::parse(&format!("Cán bộ {username}")).expect("name"),
        role,
        agency: None,
        password_hash: "$argon2id$stand-in".into(),
    };
    store.create_account(&account, submission(None, 0).received_at).await.expect("account")
}

pub async fn views_of_personal_data_are_recorded_filtered_paged_counted_and_never_changed(
    store: &dyn Store,
    raw: &crate::backends::RawSql,
) {
    seeded(store).await;
    let first =
        store.create_case(&parse(&input("key-access-001")), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    let second =
        store.create_case(&parse(&input("key-access-002")), &submission(Some("dong-hoi"), 1)).await.expect("create").id;
    let coordinator = staff_account(store, "dieuphoi", ActorRole::Coordinator).await;
    let operator = staff_account(store, "tongdai", ActorRole::Operator).await;
    let base = submission(None, 10).received_at;
    let call = |case_id: Option<i64>| CallInput {
        phone: "0912 345 678".into(),
        purpose: Some(CallPurpose::StatusInquiry),
        outcome: Some(CallOutcome::Answered),
        case_id,
        duration_seconds: 30,
        ..Default::default()
    };
    let about_first = Call::parse(&call(Some(first)), CallDirection::Inbound, base).expect("valid call");
    let about_first = store.log_call(&about_first, Some(operator), base, None).await.expect("log");
    let about_nothing = Call::parse(&call(None), CallDirection::Inbound, base).expect("valid call");
    let about_nothing = store.log_call(&about_nothing, Some(operator), base, None).await.expect("log");

    let view = |account_id, role, purpose, minutes, subjects| NewAccess {
        account_id,
        role,
        purpose,
        at: base + Duration::minutes(minutes),
        subjects,
    };
    let case_view =
        view(coordinator, ActorRole::Coordinator, AccessPurpose::StaffCase, 1, vec![AccessSubject::case(first)]);
    let calls = vec![AccessSubject::call(about_nothing, None), AccessSubject::call(about_first, Some(first))];
    let calls_view = view(operator, ActorRole::Operator, AccessPurpose::CallLog, 2, calls);
    let queue = vec![AccessSubject::case(first), AccessSubject::case(second)];
    let queue_view = view(operator, ActorRole::Operator, AccessPurpose::VerificationQueue, 3, queue);
    let mut ids = Vec::new();
    for access in [&case_view, &calls_view, &queue_view] {
        ids.push(store.record_access(access).await.expect("record"));
    }
    let [case_id, calls_id, queue_id] = ids[..] else { unreachable!() };

    // Newest first, each with who, when, why and what it showed.
    let everything = AccessQuery::default();
    let log = store.access_log(&everything, 10, 10).await.expect("log");
    assert_eq!(log.iter().map(|e| e.id).collect::<Vec<_>>(), vec![queue_id, calls_id, case_id]);
    let oldest = &log[2];
    assert_eq!(
        (oldest.account_id, oldest.username.as_str(), oldest.display_name.as_str(), oldest.role, oldest.purpose),
        (coordinator, "dieuphoi", "Cán bộ dieuphoi", ActorRole::Coordinator, AccessPurpose::StaffCase)
    );
    assert_eq!(
        (oldest.at, oldest.subjects.clone(), oldest.subject_count),
        (case_view.at, vec![AccessSubject::case(first)], 1)
    );
    // Subjects list by case, a call about no case last.
    let listed = vec![AccessSubject::call(about_first, Some(first)), AccessSubject::call(about_nothing, None)];
    assert_eq!((log[1].subjects.clone(), log[1].subject_count), (listed, 2));

    // Filtered by person, by case, and both.
    let by = |username: &str, case_id: Option<i64>| AccessQuery {
        username: Some(username.to_string()),
        case_id,
        before: None,
    };
    let ids_of = |entries: Vec<domain::access_log::AccessEntry>| entries.iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(ids_of(store.access_log(&by("tongdai", None), 10, 10).await.expect("log")), vec![queue_id, calls_id]);
    assert_eq!(ids_of(store.access_log(&by("dieuphoi", Some(second)), 10, 10).await.expect("log")), Vec::<i64>::new());
    assert_eq!(ids_of(store.access_log(&by("khongco", None), 10, 10).await.expect("log")), Vec::<i64>::new());
    let of_first = AccessQuery { case_id: Some(first), ..Default::default() };
    assert_eq!(ids_of(store.access_log(&of_first, 10, 10).await.expect("log")), vec![queue_id, calls_id, case_id]);
    // The case asked for is listed first, however few subjects are listed.
    let of_second = AccessQuery { case_id: Some(second), ..Default::default() };
    let found = store.access_log(&of_second, 10, 1).await.expect("log");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].id, found[0].subjects.clone(), found[0].subject_count),
        (queue_id, vec![AccessSubject::case(second)], 2)
    );

    // Paged: the entries older than the last one seen.
    let page = store.access_log(&everything, 2, 10).await.expect("page");
    assert_eq!(ids_of(page), vec![queue_id, calls_id]);
    let older = AccessQuery { before: Some(calls_id), ..Default::default() };
    assert_eq!(ids_of(store.access_log(&older, 2, 10).await.expect("page")), vec![case_id]);
    assert!(store.access_log(&everything, 10, 0).await.expect("log").iter().all(|e| e.subjects.is_empty()));

    // Counted by role in a period: views, people, and distinct cases.
    let counts = store.access_counts(base, base + Duration::hours(1)).await.expect("counts");
    assert_eq!(
        counts,
        vec![
            AccessCount { role: ActorRole::Coordinator, views: 1, people: 1, cases: 1 },
            AccessCount { role: ActorRole::Operator, views: 2, people: 1, cases: 2 },
        ]
    );
    let later = store.access_counts(base + Duration::minutes(2), base + Duration::minutes(3)).await.expect("counts");
    assert_eq!(later, vec![AccessCount { role: ActorRole::Operator, views: 1, people: 1, cases: 1 }]);

    // A view naming a case that does not exist is refused whole.
    let unknown = view(operator, ActorRole::Operator, AccessPurpose::StaffCase, 4, vec![AccessSubject::case(999_999)]);
    assert!(store.record_access(&unknown).await.is_err(), "a view of an unknown case is refused");
    assert_eq!(store.access_log(&everything, 10, 10).await.expect("log"), log, "nothing of it is recorded");

    // The log is append-only: the database refuses to change or remove what it holds.
    for sql in [
        format!("UPDATE staff_accesses SET role = 'admin' WHERE id = {case_id}"),
        format!("UPDATE staff_accesses SET accessed_at = accessed_at WHERE id = {calls_id}"),
        format!("DELETE FROM staff_accesses WHERE id = {queue_id}"),
        "DELETE FROM staff_accesses".to_string(),
        format!("UPDATE staff_access_subjects SET case_id = {second} WHERE access_id = {case_id}"),
        format!("DELETE FROM staff_access_subjects WHERE access_id = {queue_id}"),
    ] {
        let refused = raw.execute(&sql).await.expect_err(&sql);
        assert!(refused.contains("append-only"), "{sql}: {refused}");
    }
    if let crate::backends::RawSql::Postgres(_) = raw {
        for table in ["staff_accesses", "staff_access_subjects"] {
            let refused = raw.execute(&format!("TRUNCATE {table} CASCADE")).await.expect_err("truncate");
            assert!(refused.contains("append-only"), "{table}: {refused}");
        }
    }
    assert_eq!(store.access_log(&everything, 10, 10).await.expect("log"), log, "the log is as it was");
}

pub async fn digests_page_by_id_and_follow_every_write(store: &dyn Store) {
    seeded(store).await;
    let before = store.database_time().await.expect("clock");
    let mut ids = Vec::new();
    for n in 0..3 {
        let key = format!("key-digest-{n:03}");
        ids.push(store.create_case(&parse(&input(&key)), &submission(Some("dong-hoi"), n)).await.expect("create").id);
    }
    let first = store.case_digests(0, 2).await.expect("page");
    assert_eq!(first.iter().map(|d| d.id).collect::<Vec<_>>(), ids[..2].to_vec());
    let rest = store.case_digests(ids[1], 2).await.expect("page");
    assert_eq!(rest.iter().map(|d| d.id).collect::<Vec<_>>(), vec![ids[2]]);
    let digest = &first[0];
    assert_eq!((digest.category.as_str(), digest.area.as_deref()), ("environment", Some("dong-hoi")));
    assert_eq!((digest.status, digest.channel, digest.agency.clone()), (CaseStatus::Submitted, Channel::Web, None));
    assert_eq!(digest.submitted_at, submission(None, 0).received_at);
    assert!((digest.lat - 17.47).abs() < 1e-9 && (digest.lon - 106.62).abs() < 1e-9);
    let created = store.changed_case_versions(before).await.expect("changes");
    let new_cases: Vec<CaseVersion> = ids.iter().map(|&id| CaseVersion { id, version: 1 }).collect();
    assert_eq!(created, new_cases, "every new case is a change, at its first version");
    let after_creation = store.database_time().await.expect("clock");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    append(store, ids[1], &coordinator(), accepted(5000), 1).await.expect("accept");
    let versions = store.changed_case_versions(after_creation).await.expect("changes");
    assert_eq!(versions, vec![CaseVersion { id: ids[1], version: 2 }], "only the changed case, at its new version");
    let changed = store.case_digests_of(&[ids[1], i64::MAX]).await.expect("digests");
    assert_eq!(changed.iter().map(|d| d.id).collect::<Vec<_>>(), vec![ids[1]], "an unknown id reads nothing");
    assert_eq!(changed[0].status, CaseStatus::Assigned);
    assert_eq!(changed[0].agency.as_deref(), Some("urenco"));
    assert_eq!(changed[0].deadline, Some(submission(None, 5000).received_at));
    assert!(changed[0].changed_at >= after_creation);
}

pub async fn digests_project_rejections_results_and_ratings(store: &dyn Store) {
    seeded(store).await;
    let create = |key: &'static str| async move {
        store.create_case(&parse(&input(key)), &submission(Some("dong-hoi"), 0)).await.expect("create").id
    };
    let rejected = create("key-project-rej").await;
    let change = Change::Rejected {
        reason: domain::workflow::RejectReason::NotPublicMatter,
        duplicate_of: None,
        explanation: "Tranh chấp dân sự.".into(),
    };
    append(store, rejected, &coordinator(), change, 10).await.expect("reject");
    let handled = create("key-project-ok1").await;
    append(store, handled, &coordinator(), accepted(5000), 10).await.expect("accept");
    append(store, handled, &urenco_officer(), Change::Acknowledged, 20).await.expect("acknowledge");
    let summary = Change::ResultSubmitted { summary: "Đã thu gom xong.".into(), photos: Vec::new() };
    append(store, handled, &urenco_officer(), summary, 6000).await.expect("late result");
    append(store, handled, &coordinator(), Change::ResultApproved { published: None }, 6100).await.expect("approve");
    let digests = store.case_digests(0, 10).await.expect("digests");
    let of = |id| digests.iter().find(|d| d.id == id).expect("listed");
    assert_eq!(of(rejected).status, CaseStatus::Rejected);
    assert_eq!(of(rejected).rejection, Some(domain::workflow::RejectReason::NotPublicMatter));
    assert_eq!((of(rejected).handled_on_time, of(rejected).rating), (None, None));
    assert_eq!(of(handled).status, CaseStatus::Resolved);
    assert_eq!(of(handled).handled_on_time, Some(false), "the result came after the deadline");
    assert_eq!(of(handled).rejection, None);
}

/// The times the open data publishes follow every step: screening, a return to screening that
/// withdraws the decision, a new screening, the result and its approval.
pub async fn digests_project_screening_result_and_resolution_times(store: &dyn Store) {
    seeded(store).await;
    let id =
        store.create_case(&parse(&input("key-times-01")), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    let times = || async move {
        let digests = store.case_digests(id - 1, 1).await.expect("digest");
        let digest = digests.first().expect("the case's digest").clone();
        (digest.screened_at, digest.result_submitted_at, digest.resolved_at)
    };
    let at = |minutes| Some(submission(None, minutes).received_at);
    assert_eq!(times().await, (None, None, None), "a new case is not screened");
    append(store, id, &coordinator(), accepted(5000), 10).await.expect("accept");
    assert_eq!(times().await, (at(10), None, None));
    let returned = Change::Returned { reason: "Không thuộc thẩm quyền.".into() };
    append(store, id, &urenco_officer(), returned, 20).await.expect("return");
    assert_eq!(times().await, (None, None, None), "a returned case waits for screening again");
    append(store, id, &coordinator(), accepted(5000), 30).await.expect("accept again");
    append(store, id, &urenco_officer(), Change::Acknowledged, 40).await.expect("acknowledge");
    let summary = Change::ResultSubmitted { summary: "Đã thu gom.".into(), photos: Vec::new() };
    append(store, id, &urenco_officer(), summary, 50).await.expect("result");
    assert_eq!(times().await, (at(30), at(50), None));
    let facts =
        append(store, id, &coordinator(), Change::ResultApproved { published: None }, 60).await.expect("approve");
    assert_eq!(times().await, (at(30), at(50), at(60)));
    let digest = store.case_digests(id - 1, 1).await.expect("digest").remove(0);
    assert_eq!(
        (digest.screened_at, digest.result_submitted_at, digest.resolved_at),
        (facts.screened_at, facts.result_submitted_at, facts.resolved_at),
        "the columns are the facts' own"
    );
    let long_ago = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).single().expect("valid time");
    let versions = store.changed_case_versions(long_ago).await.expect("changes");
    let ids: Vec<i64> = versions.iter().map(|case| case.id).collect();
    let changed = store.case_digests_of(&ids).await.expect("digests");
    let followed = changed.iter().find(|d| d.id == id).map(|d| (d.screened_at, d.result_submitted_at, d.resolved_at));
    assert_eq!(followed, Some((at(30), at(50), at(60))), "followers of changes read the same");
}

pub async fn exports_filter_page_and_hold_no_contact(store: &dyn Store) {
    seeded(store).await;
    let mut ids = Vec::new();
    for n in 0..4 {
        let key = format!("key-export-{n:03}");
        ids.push(
            store.create_case(&parse(&input(&key)), &submission(Some("dong-hoi"), n * 60)).await.expect("create").id,
        );
    }
    for id in &ids[1..] {
        append(store, *id, &coordinator(), accepted(5000), 300).await.expect("accept");
    }
    let public = CaseFilter { public_only: true, ..CaseFilter::default() };
    let first = store.export_cases(&public, 0, 2).await.expect("page");
    assert_eq!(first.iter().map(|c| c.id).collect::<Vec<_>>(), ids[1..3].to_vec(), "unscreened cases stay out");
    let next = store.export_cases(&public, ids[2], 2).await.expect("page");
    assert_eq!(next.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[3]]);
    let published = first[0].published.as_ref().expect("a screened case is published");
    assert_eq!(published.title, "Rác thải đổ trộm");
    assert_eq!(published.agency.as_deref(), Some("urenco"));
    assert_eq!(published.screened_at, Some(submission(None, 300).received_at));
    assert_eq!(published.deadline, Some(submission(None, 5000).received_at));
    let everything = store.export_cases(&CaseFilter::default(), 0, 10).await.expect("all");
    assert_eq!(everything.len(), 4);
    assert_eq!(everything[0].id, ids[0]);
    assert_eq!(everything[0].published, None, "an unscreened case is counted, not shown");
    assert_eq!((everything[0].status, everything[0].category.as_str()), (CaseStatus::Submitted, "environment"));
    let window = CaseFilter {
        from: Some(submission(None, 60).received_at),
        to: Some(submission(None, 121).received_at),
        statuses: vec![CaseStatus::Assigned],
        categories: vec!["environment".into()],
        agency: Some("urenco".into()),
        area: Some("dong-hoi".into()),
        public_only: true,
        words: Vec::new(),
        newest_first: false,
    };
    let windowed = store.export_cases(&window, 0, 10).await.expect("filtered");
    assert_eq!(windowed.iter().map(|c| c.id).collect::<Vec<_>>(), ids[1..3].to_vec());
    let none = CaseFilter { categories: vec!["traffic".into()], ..CaseFilter::default() };
    assert!(store.export_cases(&none, 0, 10).await.expect("filtered").is_empty());
}

pub async fn citizen_accounts_are_counted_up_to_a_time(store: &dyn Store) {
    seeded(store).await;
    let at = |day: u32| Utc.with_ymd_and_hms(2023, 1, day, 8, 0, 0).single().expect("valid time");
    for (n, (role, day)) in
        [(ActorRole::Citizen, 1), (ActorRole::Citizen, 5), (ActorRole::Coordinator, 2)].iter().enumerate()
    {
        let account = NewAccount {
            username: Username::parse(&format!("nguoi.{n}")).expect("username"),
            display_name: PersonName::parse("Người dùng").expect("name"),
            role: *role,
            agency: None,
            password_hash: "$argon2id$stand-in".into(),
        };
        store.create_account(&account, at(*day)).await.expect("create");
    }
    assert_eq!(store.count_citizen_accounts(at(1)).await.expect("count"), 0, "the end is excluded");
    assert_eq!(store.count_citizen_accounts(at(3)).await.expect("count"), 1, "staff are not counted");
    assert_eq!(store.count_citizen_accounts(at(6)).await.expect("count"), 2);
}

fn photo(digit: char, thumbnail_digit: char, minutes: i64) -> StoredPhoto {
    StoredPhoto {
        id: PhotoId::parse(&digit.to_string().repeat(64)).expect("photo id"),
        thumbnail_key: thumbnail_digit.to_string().repeat(64),
        width: 1600,
        height: 1200,
        uploaded_at: submission(None, minutes).received_at,
        uploaded_by: None,
        stored_bytes: 0,
    }
}

pub async fn unattached_photos_are_counted_per_client_until_a_case_takes_them(store: &dyn Store) {
    seeded(store).await;
    let by = |digit: char, client: &str, bytes: u64| StoredPhoto {
        uploaded_by: Some(client.into()),
        stored_bytes: bytes,
        ..photo(digit, digit, 0)
    };
    assert_eq!(store.unattached_photos("203.0.113.5").await.expect("count"), UnattachedPhotos::default());
    let (first, second, other) =
        (by('a', "203.0.113.5", 1000), by('b', "203.0.113.5", 2000), by('c', "2001:db8::1", 500));
    for photo in [&first, &second, &other] {
        store.save_photo(photo).await.expect("save");
    }
    store.save_photo(&by('a', "2001:db8::1", 9999)).await.expect("the same photo again changes nothing");
    let counted = |by_client, total, stored_bytes| UnattachedPhotos { by_client, total, stored_bytes };
    assert_eq!(store.unattached_photos("203.0.113.5").await.expect("count"), counted(2, 3, 3500));
    assert_eq!(store.unattached_photos("2001:db8::1").await.expect("count"), counted(1, 3, 3500));
    store
        .create_case(&with_photos("key-unattached-1", &[&first]), &submission(Some("dong-hoi"), 1))
        .await
        .expect("create");
    assert_eq!(store.unattached_photos("203.0.113.5").await.expect("count"), counted(1, 2, 2500), "taken, not counted");
}

fn with_photos(key: &str, photos: &[&StoredPhoto]) -> NewCase {
    let ids = photos.iter().map(|p| p.id.as_str().to_string()).collect();
    parse(&NewCaseInput { photos: ids, ..input(key) })
}

pub async fn photos_are_recorded_once_and_linked_with_their_case(store: &dyn Store) {
    seeded(store).await;
    let (first, second) = (photo('1', 'a', 0), photo('2', 'b', 0));
    for stored in [&first, &second, &first] {
        store.save_photo(stored).await.expect("save photo");
    }
    let unknown = PhotoId::parse(&"3".repeat(64)).expect("id");
    let asked = [second.id.clone(), unknown.clone(), first.id.clone()];
    assert_eq!(store.unknown_photos(&asked).await.expect("unknown"), vec![unknown]);
    let case = with_photos("key-photos-01", &[&second, &first]);
    let id = store.create_case(&case, &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    let again = store.create_case(&case, &submission(Some("dong-hoi"), 1)).await.expect("retry");
    assert!(!again.newly_created);
    let photos = store.case_photos(id).await.expect("photos");
    let ids: Vec<&str> = photos.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec![second.id.as_str(), first.id.as_str()], "in the order chosen, each once");
    assert_eq!(photos[0].event_seq, 1);
    assert_eq!((photos[0].width, photos[0].height), (1600, 1200));
    assert_eq!(photos[0].display_url, format!("/media/{}.jpg", second.id.as_str()));
    assert_eq!(photos[0].thumbnail_url, format!("/media/{}.jpg", second.thumbnail_key));
    assert!(store.public_case(id).await.expect("read").expect("case").photos.is_empty(), "not public at screening");
    append(store, id, &coordinator(), accepted(5000), 2).await.expect("accept");
    assert_eq!(store.public_case(id).await.expect("read").expect("case").photos, photos, "public once accepted");
}

pub async fn a_case_with_an_unknown_photo_stores_nothing(store: &dyn Store) {
    seeded(store).await;
    let known = photo('1', 'a', 0);
    store.save_photo(&known).await.expect("save photo");
    let missing = photo('2', 'b', 0);
    let result = store.create_case(&with_photos("key-photos-02", &[&known, &missing]), &submission(None, 0)).await;
    assert!(result.is_err(), "an unknown photo refuses the case: {result:?}");
    assert_eq!(store.count_cases().await.expect("count"), 0);
    assert_eq!(store.case_for_key("key-photos-02").await.expect("key"), None);
}

pub async fn photo_cases_tell_which_cases_hold_a_blob(store: &dyn Store) {
    seeded(store).await;
    let shared = photo('1', 'a', 0);
    store.save_photo(&shared).await.expect("save photo");
    assert_eq!(store.photo_cases(&"9".repeat(64)).await.expect("cases"), None, "no photo uses it");
    assert_eq!(store.photo_cases(shared.id.as_str()).await.expect("cases"), Some(vec![]), "staged");
    assert_eq!(store.photo_cases(&shared.thumbnail_key).await.expect("cases"), Some(vec![]));
    let first = store.create_case(&with_photos("key-photos-03", &[&shared]), &submission(None, 0)).await.expect("a");
    let second = store.create_case(&with_photos("key-photos-04", &[&shared]), &submission(None, 1)).await.expect("b");
    assert_eq!(store.photo_cases(&shared.thumbnail_key).await.expect("cases"), Some(vec![first.id, second.id]));
    assert_eq!(store.photo_cases(shared.id.as_str()).await.expect("cases"), Some(vec![first.id, second.id]));
}

pub async fn only_old_photos_no_case_holds_are_swept(store: &dyn Store) {
    seeded(store).await;
    let (old_unheld, old_held, new_unheld) = (photo('1', 'a', 0), photo('2', 'b', 0), photo('3', 'c', 120));
    for stored in [&old_unheld, &old_held, &new_unheld] {
        store.save_photo(stored).await.expect("save photo");
    }
    store.create_case(&with_photos("key-photos-05", &[&old_held]), &submission(None, 0)).await.expect("create");
    let mut swept = store.sweep_unheld_photos(submission(None, 60).received_at).await.expect("sweep");
    swept.sort();
    assert_eq!(swept, vec![old_unheld.id.as_str().to_string(), old_unheld.thumbnail_key.clone()]);
    let asked = [old_unheld.id.clone(), old_held.id.clone(), new_unheld.id.clone()];
    assert_eq!(store.unknown_photos(&asked).await.expect("unknown"), vec![old_unheld.id.clone()]);
}

pub async fn a_results_photos_come_with_its_event_or_not_at_all(store: &dyn Store) {
    seeded(store).await;
    let proof = photo('1', 'a', 0);
    store.save_photo(&proof).await.expect("save photo");
    let id = store.create_case(&parse(&input("key-photos-06")), &submission(None, 0)).await.expect("create").id;
    append(store, id, &coordinator(), accepted(5000), 1).await.expect("accept");
    append(store, id, &urenco_officer(), Change::Acknowledged, 2).await.expect("acknowledge");
    let unknown = PhotoId::parse(&"2".repeat(64)).expect("id");
    let refused = Change::ResultSubmitted { summary: "Đã dọn.".into(), photos: vec![proof.id.clone(), unknown] };
    assert!(append(store, id, &urenco_officer(), refused, 3).await.is_err(), "an unknown photo refuses the result");
    assert_eq!(store.case_events(id).await.expect("events").len(), 3, "no event without its photos");
    assert!(store.case_photos(id).await.expect("photos").is_empty());
    let result = Change::ResultSubmitted { summary: "Đã dọn.".into(), photos: vec![proof.id.clone()] };
    append(store, id, &urenco_officer(), result.clone(), 4).await.expect("result");
    let photos = store.case_photos(id).await.expect("photos");
    assert_eq!(photos.iter().map(|p| (p.id.clone(), p.event_seq)).collect::<Vec<_>>(), vec![(proof.id.clone(), 4)]);
    assert_eq!(store.case_events(id).await.expect("events")[3].change, result, "the event keeps its photos");
    assert!(store.public_case(id).await.expect("read").expect("case").photos.is_empty(), "not public in review");
    append(store, id, &coordinator(), Change::ResultApproved { published: None }, 5).await.expect("approve");
    assert_eq!(store.public_case(id).await.expect("read").expect("case").photos, photos, "public once approved");
}

pub async fn catalogue_edits_are_applied_and_logged_all_or_nothing(store: &dyn Store) {
    seeded(store).await;
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).single().expect("valid time");
    let admin = store
        .create_account(
            &NewAccount {
                username: Username::parse("quantri.conf").expect("username"),
                display_name: PersonName::parse("Quản Trị").expect("name"),
                role: ActorRole::Admin,
                agency: None,
                password_hash: "x".into(),
            },
            at,
        )
        .await
        .expect("admin");
    let district = Area {
        code: "bo-trach".into(),
        name: "Huyện Bố Trạch".into(),
        shape: seed().areas[0].shape.clone(),
        active: false,
    };
    // A category with its own escalation ladder keeps it; `category` gives one without.
    let flooding = Category {
        deadline_days: 4,
        reminder_days_before: Some(3),
        leader_days_after: Some(1),
        ..category("flooding", true)
    };
    let edits = [
        CatalogueEdit::SaveCategory { category: flooding.clone() },
        CatalogueEdit::ImportArea { area: district.clone() },
        CatalogueEdit::SetAreaActive { code: "bo-trach".into(), active: true },
        CatalogueEdit::SaveRoute {
            route: Route { category: "flooding".into(), area: "bo-trach".into(), agency: "urenco".into() },
        },
        CatalogueEdit::SaveHoliday {
            holiday: Holiday { date: NaiveDate::from_ymd_opt(2027, 11, 20).expect("date"), name: "Nghỉ".into() },
        },
    ];
    store.apply_catalogue_edits(&edits, Some(admin), at).await.expect("edits");
    assert!(store.categories().await.expect("categories").contains(&flooding));
    let areas = store.areas().await.expect("areas");
    assert!(areas.iter().any(|a| a.code == "bo-trach" && a.active && a.shape == district.shape));
    assert_eq!(store.route_for("flooding", "bo-trach").await.expect("route").as_deref(), Some("urenco"));
    assert!(store.routes().await.expect("routes").iter().any(|r| r.category == "flooding" && r.area == "bo-trach"));
    assert!(store.holidays().await.expect("holidays").iter().any(|h| h.name == "Nghỉ"));

    // Importing an area again keeps its active flag; the same values log nothing.
    let renamed = Area { name: "Huyện Bố Trạch (mới)".into(), ..district.clone() };
    store.apply_catalogue_edits(&[CatalogueEdit::ImportArea { area: renamed }], Some(admin), at).await.expect("again");
    store.apply_catalogue_edits(&edits[..1], Some(admin), at).await.expect("unchanged");
    let areas = store.areas().await.expect("areas");
    assert!(areas.iter().any(|a| a.code == "bo-trach" && a.active && a.name.ends_with("(mới)")));

    // A batch with an edit that names a missing entry stores none of it.
    let failing = [
        CatalogueEdit::SaveCategory { category: Category { deadline_days: 9, ..flooding.clone() } },
        CatalogueEdit::SaveRoute {
            route: Route { category: "flooding".into(), area: "bo-trach".into(), agency: "no-such-agency".into() },
        },
    ];
    let result = store.apply_catalogue_edits(&failing, Some(admin), at).await;
    assert!(matches!(result, Err(StoreError::Missing(_))), "{result:?}");
    let missing = [CatalogueEdit::SetAreaActive { code: "ha-noi".into(), active: true }];
    assert!(matches!(store.apply_catalogue_edits(&missing, Some(admin), at).await, Err(StoreError::Missing(_))));
    let stored = store.categories().await.expect("categories");
    assert_eq!(stored.iter().find(|c| c.code == "flooding").map(|c| c.deadline_days), Some(4), "rolled back");

    let removals = [
        CatalogueEdit::RemoveRoute { category: "flooding".into(), area: "bo-trach".into() },
        CatalogueEdit::RemoveHoliday { date: NaiveDate::from_ymd_opt(2027, 11, 20).expect("date") },
    ];
    store.apply_catalogue_edits(&removals, None, at).await.expect("removals");
    assert_eq!(store.route_for("flooding", "bo-trach").await.expect("route"), None);

    let log = store.catalogue_changes(None, 100).await.expect("log");
    let entries: Vec<(Entity, &str, bool, bool)> =
        log.iter().map(|c| (c.entity, c.key.as_str(), c.before.is_some(), c.after.is_some())).collect();
    assert_eq!(
        entries,
        [
            (Entity::Holiday, "2027-11-20", true, false),
            (Entity::Route, "flooding @ bo-trach", true, false),
            (Entity::Area, "bo-trach", true, true),
            (Entity::Holiday, "2027-11-20", false, true),
            (Entity::Route, "flooding @ bo-trach", false, true),
            (Entity::Area, "bo-trach", true, true),
            (Entity::Area, "bo-trach", false, true),
            (Entity::Category, "flooding", false, true),
        ]
    );
    assert_eq!(log[0].actor, None, "an edit without an account");
    assert_eq!(log[1].actor, None);
    assert_eq!(log[7].actor.as_deref(), Some("quantri.conf"));
    assert_eq!(log[7].at, at);
    let older = store.catalogue_changes(Some(log[5].id), 2).await.expect("older page");
    assert_eq!(older.iter().map(|c| c.id).collect::<Vec<_>>(), [log[6].id, log[7].id]);
}

pub async fn staff_accounts_carry_their_areas_and_changes_are_logged(store: &dyn Store) {
    seeded(store).await;
    let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).single().expect("valid time");
    let district =
        Area {
            code: "bo-trach".into(), name: "Bố Trạch".into(), shape: seed().areas[0].shape.clone(), active: true
        };
    store.apply_catalogue_edits(&[CatalogueEdit::ImportArea { area: district }], None, at).await.expect("area");
    let new_account = |username: &str, role| NewAccount {
        username: Username::parse(username).expect("username"),
        display_name: PersonName::parse("Cán Bộ Thử").expect("name"),
        role,
        agency: None,
        password_hash: "hash".into(),
    };
    let citizen = store.create_account(&new_account("dan.conf", ActorRole::Citizen), at).await.expect("citizen");
    let areas = vec!["bo-trach".to_string(), "dong-hoi".to_string()];
    let id = store
        .invite_account(
            &new_account("dieuphoi.conf", ActorRole::Coordinator),
            &areas,
            Some(at + Duration::hours(72)),
            None,
            at,
        )
        .await
        .expect("invited");
    let duplicate = store.invite_account(&new_account("dieuphoi.conf", ActorRole::Leader), &[], None, None, at).await;
    assert!(matches!(duplicate, Err(StoreError::Duplicate(_))));
    let account = store.account(id).await.expect("read").expect("exists");
    assert_eq!(account.areas, areas);
    assert_eq!(account.one_time_password_until, Some(at + Duration::hours(72)), "a one-time password");
    let (by_name, _) = store.account_credentials("dieuphoi.conf").await.expect("read").expect("exists");
    assert_eq!(by_name.areas, areas);
    assert_eq!(by_name.one_time_password_until, Some(at + Duration::hours(72)));
    store.set_password_hash(id, "$argon2id$own").await.expect("set its own");
    assert_eq!(store.account(id).await.expect("read").expect("exists").one_time_password_until, None, "replaced");
    store.create_session("token-conf", id, at, at + Duration::days(1), at + Duration::days(1)).await.expect("session");
    let in_session = store.session_account("token-conf", at).await.expect("read").expect("signed in");
    assert_eq!(in_session.areas, areas);

    let staff = store.staff_accounts().await.expect("staff");
    assert!(staff.iter().any(|a| a.id == id));
    assert!(!staff.iter().any(|a| a.id == citizen), "citizens are not staff");

    let officer = RoleAssignment {
        role: ActorRole::Officer,
        agency: Some("urenco".into()),
        areas: Vec::new(),
        agency_head: false,
    };
    store.update_account(id, &officer, false, None, at).await.expect("updated");
    let account = store.account(id).await.expect("read").expect("kept");
    assert_eq!(
        (account.role, account.agency.as_deref(), account.areas.len(), account.active),
        (ActorRole::Officer, Some("urenco"), 0, false)
    );
    assert_eq!(store.session_account("token-conf", at).await.expect("read"), None, "deactivation ends sessions");
    let missing = store.update_account(999_999, &officer, true, None, at).await;
    assert!(matches!(missing, Err(StoreError::Missing(_))));

    let log = store.catalogue_changes(None, 10).await.expect("log");
    let accounts: Vec<(bool, bool)> =
        log.iter().filter(|c| c.entity == Entity::Account).map(|c| (c.before.is_some(), c.after.is_some())).collect();
    assert_eq!(accounts, [(true, true), (false, true)]);
    assert!(log[0].after.as_deref().is_some_and(|a| a.contains("\"active\":false")));
}

pub async fn public_cases_come_in_the_asked_order_as_each_would_alone(store: &dyn Store) {
    seeded(store).await;
    let mut ids = Vec::new();
    for (index, area) in [Some("dong-hoi"), None, Some("dong-hoi")].into_iter().enumerate() {
        let case = parse(&input(&format!("key-batch-{index:03}")));
        ids.push(store.create_case(&case, &submission(area, index as i64)).await.expect("stored").id);
    }
    let coordinator = Actor { role: ActorRole::Coordinator, account_id: None, agency: None, agency_head: false };
    let facts = CaseFacts::from_events(&store.case_events(ids[2]).await.expect("events")).expect("replays");
    let at = Utc.with_ymd_and_hms(2023, 3, 2, 8, 0, 0).single().expect("valid time");
    let (event, after) = facts
        .next_event(&coordinator, Change::Accepted { agency: "urenco".into(), deadline: at }, at)
        .expect("allowed");
    store.append_event(ids[2], 1, &event, &after).await.expect("appended");

    let asked = [ids[2], 999_999, ids[0], ids[1]];
    let batch = store.public_cases(&asked).await.expect("batch");
    assert_eq!(
        batch.iter().map(|c| c.id).collect::<Vec<_>>(),
        [ids[2], ids[0], ids[1]],
        "asked order, unknown skipped"
    );
    for case in &batch {
        let alone = store.public_case(case.id).await.expect("read").expect("exists");
        assert_eq!(&alone, case);
    }
    assert_eq!(batch[0].timeline.len(), 2, "the accepted case's public timeline");
    assert_eq!(batch[2].area_name, None, "out of area");
    assert!(store.public_cases(&[]).await.expect("empty").is_empty());
}

pub async fn public_list_items_agree_with_the_public_cases_and_carry_the_rejection(store: &dyn Store) {
    seeded(store).await;
    let mut ids = Vec::new();
    for (index, area) in [Some("dong-hoi"), None].into_iter().enumerate() {
        let case = parse(&input(&format!("key-items-{index:03}")));
        ids.push(store.create_case(&case, &submission(area, index as i64)).await.expect("stored").id);
    }
    let coordinator = Actor { role: ActorRole::Coordinator, account_id: None, agency: None, agency_head: false };
    let facts = CaseFacts::from_events(&store.case_events(ids[1]).await.expect("events")).expect("replays");
    let at = Utc.with_ymd_and_hms(2023, 3, 2, 8, 0, 0).single().expect("valid time");
    let explanation = "Vị trí nằm ngoài địa bàn tỉnh";
    let rejection = Change::Rejected {
        reason: domain::workflow::RejectReason::OutOfArea,
        duplicate_of: None,
        explanation: explanation.into(),
    };
    let (event, after) = facts.next_event(&coordinator, rejection, at).expect("allowed");
    store.append_event(ids[1], 1, &event, &after).await.expect("appended");

    let asked = [ids[1], 999_999, ids[0]];
    let items = store.public_list_items(&asked).await.expect("items");
    assert_eq!(items.iter().map(|c| c.id).collect::<Vec<_>>(), [ids[1], ids[0]], "asked order, unknown skipped");
    for item in &items {
        let case = store.public_case(item.id).await.expect("read").expect("exists");
        assert_eq!(
            (&item.title, item.status, &item.category_name_vi, &item.category_name_en, &item.area_name),
            (&case.title, case.status, &case.category_name_vi, &case.category_name_en, &case.area_name)
        );
        assert_eq!((item.submitted_at, item.lat, item.lon), (case.submitted_at, case.lat, case.lon));
    }
    assert_eq!(items[0].status, CaseStatus::Rejected);
    assert_eq!(items[0].rejection_note.as_deref(), Some(explanation), "the rejection's public explanation");
    assert_eq!(items[1].rejection_note, None, "no explanation for a case not rejected");
    assert!(store.public_list_items(&[]).await.expect("empty").is_empty());
}

// The next checks file reports concurrently from one task: every `create_case` reaches the
// intake queue before its writer runs, so they are written as one batch, in one transaction.

pub async fn concurrent_reports_share_a_batch_and_each_is_stored_whole(store: &dyn Store) {
    seeded(store).await;
    let (first, second) = (photo('1', 'a', 0), photo('2', 'b', 0));
    for stored in [&first, &second] {
        store.save_photo(stored).await.expect("save photo");
    }
    let cases: Vec<NewCase> = (0..24)
        .map(|n| match n % 3 {
            0 => with_photos(&format!("key-batch-{n:03}"), &[&first, &second]),
            _ => parse(&input(&format!("key-batch-{n:03}"))),
        })
        .collect();
    let received = submission(Some("dong-hoi"), 0);
    let results = futures_join_all(cases.iter().map(|case| store.create_case(case, &received))).await;
    let stored: Vec<_> = results.into_iter().map(|r| r.expect("create")).collect();
    assert!(stored.iter().all(|s| s.newly_created));
    let ids: std::collections::BTreeSet<i64> = stored.iter().map(|s| s.id).collect();
    assert_eq!(ids.len(), 24, "one case each");
    assert_eq!(store.count_cases().await.expect("count"), 24);
    for (n, (case, at)) in cases.iter().zip(&stored).enumerate() {
        assert_eq!(store.case_for_key(case.submission_key().as_str()).await.expect("key"), Some(at.id));
        assert_eq!(store.case_events(at.id).await.expect("events").len(), 1, "one submitted event");
        let contact = store.reporter_contact(at.id).await.expect("contact").expect("a contact");
        assert_eq!(contact.name.expect("name").as_str(), "Nguyễn Thị Lan");
        let photos = store.case_photos(at.id).await.expect("photos").len();
        assert_eq!(photos, if n % 3 == 0 { 2 } else { 0 });
    }
}

pub async fn a_failing_report_fails_alone_not_its_batch(store: &dyn Store) {
    seeded(store).await;
    let mut wider = seed().categories;
    wider.push(category("not-in-store", true));
    let unknown_category =
        NewCase::parse(&NewCaseInput { category: "not-in-store".into(), ..input("key-alone-bad-1") }, &wider)
            .expect("valid against the wider catalogue");
    let unknown_photo = with_photos("key-alone-bad-2", &[&photo('9', 'f', 0)]);
    let mut cases: Vec<NewCase> = (0..10).map(|n| parse(&input(&format!("key-alone-{n:02}")))).collect();
    cases.insert(3, unknown_category);
    cases.insert(7, unknown_photo);
    let received = submission(Some("dong-hoi"), 0);
    let results = futures_join_all(cases.iter().map(|case| store.create_case(case, &received))).await;
    for (n, result) in results.iter().enumerate() {
        assert_eq!(result.is_err(), n == 3 || n == 7, "report {n}: {result:?}");
    }
    assert_eq!(store.count_cases().await.expect("count"), 10);
    for bad in ["key-alone-bad-1", "key-alone-bad-2"] {
        assert_eq!(store.case_for_key(bad).await.expect("key"), None, "nothing of a failed report is kept");
    }
    for stored in results.iter().flatten() {
        assert_eq!(store.case_events(stored.id).await.expect("events").len(), 1);
        assert!(store.reporter_contact(stored.id).await.expect("contact").is_some());
    }
    let after = store.create_case(&parse(&input("key-alone-after")), &received).await.expect("a later batch");
    assert!(after.newly_created);
}

pub async fn repeated_keys_inside_one_batch_return_one_case_each(store: &dyn Store) {
    seeded(store).await;
    let earlier = store.create_case(&parse(&input("key-repeat-c")), &submission(None, 0)).await.expect("create");
    let keys = ["key-repeat-a", "key-repeat-b", "key-repeat-a", "key-repeat-c", "key-repeat-b", "key-repeat-a"];
    let cases: Vec<NewCase> = keys.iter().map(|key| parse(&input(key))).collect();
    let received = submission(Some("dong-hoi"), 1);
    let results = futures_join_all(cases.iter().map(|case| store.create_case(case, &received))).await;
    let stored: Vec<_> = results.into_iter().map(|r| r.expect("create")).collect();
    for key in ["key-repeat-a", "key-repeat-b", "key-repeat-c"] {
        let answers: Vec<_> = keys.iter().zip(&stored).filter(|(k, _)| **k == key).map(|(_, s)| *s).collect();
        assert!(answers.iter().all(|s| s.id == answers[0].id), "{key}: one case for every copy");
        let created = answers.iter().filter(|s| s.newly_created).count();
        assert_eq!(created, usize::from(key != "key-repeat-c"), "{key}: created once, or before the batch");
    }
    assert_eq!(stored[3].id, earlier.id, "the earlier case answers its key");
    assert_eq!(store.count_cases().await.expect("count"), 3);
    for stored in &stored {
        assert_eq!(store.case_events(stored.id).await.expect("events").len(), 1);
    }
}

/// Every broken link `verify` finds, and its summary.
async fn verified(store: &dyn Store) -> (Vec<BrokenLink>, ChainSummary) {
    let mut broken = Vec::new();
    let summary = verify_chains(store, |link| broken.push(link.clone())).await.expect("verify");
    (broken, summary)
}

pub async fn events_are_chained_sealed_and_unchangeable_and_verify_names_each_broken_link(
    store: &dyn Store,
    raw: &crate::backends::RawSql,
) {
    seeded(store).await;
    let mut ids = Vec::new();
    for key in ["key-chain-0001", "key-chain-0002", "key-chain-0003", "key-chain-0004"] {
        ids.push(store.create_case(&parse(&input(key)), &submission(Some("dong-hoi"), 0)).await.expect("create").id);
    }
    let [edited, deleted, legacy, other] = ids[..] else { unreachable!() };
    append(store, edited, &coordinator(), accepted(5000), 1).await.expect("accept");
    append(store, edited, &urenco_officer(), Change::Acknowledged, 2).await.expect("acknowledge");
    append(store, deleted, &coordinator(), accepted(5000), 1).await.expect("accept");
    let (broken, summary) = verified(store).await;
    assert!(broken.is_empty(), "{broken:?}");
    assert_eq!(summary, ChainSummary { cases: 4, events: 7, broken: 0 });

    // An event written before the chain existed: inserting stays allowed, and sealing hashes it
    // (the one update the database permits) once.
    let facts = CaseFacts::from_events(&store.case_events(legacy).await.expect("events")).expect("replay");
    let note = Change::NoteAdded { text: "Ghi chú cũ".into(), public: false };
    let at = submission(None, 60).received_at + Duration::microseconds(123_456);
    let (event, _) = facts.next_event(&coordinator(), note, at).expect("a note is allowed");
    let legacy_row = format!(
        "INSERT INTO case_events (case_id, seq, kind, actor_role, actor_id, occurred_at, from_status, to_status, note,
                                  public, data)
         VALUES ({legacy}, 2, 'note_added', 'coordinator', NULL, '{}', '{}', '{}', 'Ghi chú cũ', {}, '{}')",
        services::chain::stored_time(event.occurred_at),
        event.from_status.expect("a status before").as_str(),
        event.to_status.as_str(),
        event.public,
        serde_json::to_string(&event.change).expect("json")
    );
    raw.execute(&legacy_row).await.expect("an event without a hash, as an older release wrote it");
    raw.execute(&format!("UPDATE cases SET version = 2 WHERE id = {legacy}")).await.expect("its case's version");
    assert_eq!(verified(store).await.0, vec![BrokenLink { case_id: legacy, seq: 2, breakage: Breakage::Unsealed }]);
    assert_eq!(store.seal_event_chains().await.expect("seal"), 1);
    assert_eq!(store.seal_event_chains().await.expect("seal again"), 0, "sealing is idempotent");
    assert_eq!(verified(store).await, (vec![], ChainSummary { cases: 4, events: 8, broken: 0 }));
    append(store, legacy, &coordinator(), accepted(5000), 3).await.expect("a sealed case takes new events");

    // Editing or removing an event directly in the database is refused.
    for sql in [
        format!("UPDATE case_events SET note = 'Đã sửa' WHERE case_id = {edited} AND seq = 2"),
        format!("UPDATE case_events SET hash = NULL WHERE case_id = {edited}"),
        format!("UPDATE case_events SET hash = '{}' WHERE case_id = {edited} AND seq = 1", "0".repeat(64)),
        format!("DELETE FROM case_events WHERE case_id = {deleted} AND seq = 2"),
        "DELETE FROM case_events".to_string(),
    ] {
        let refused = raw.execute(&sql).await.expect_err(&sql);
        assert!(refused.contains("append-only"), "{sql}: {refused}");
    }
    if let crate::backends::RawSql::Postgres(_) = raw {
        let refused = raw.execute("TRUNCATE case_events CASCADE").await.expect_err("truncate");
        assert!(refused.contains("append-only"), "{refused}");
    }
    assert_eq!(verified(store).await.1, ChainSummary { cases: 4, events: 9, broken: 0 });

    // With the triggers dropped, edits go through, and verify names each case and event.
    raw.drop_event_triggers().await;
    let edit = format!("UPDATE case_events SET note = 'Đã sửa' WHERE case_id = {edited} AND seq = 2");
    assert_eq!(raw.execute(&edit).await, Ok(1));
    let removal = format!("DELETE FROM case_events WHERE case_id = {deleted} AND seq = 2");
    assert_eq!(raw.execute(&removal).await, Ok(1));
    let actor = format!("UPDATE case_events SET actor_id = 99 WHERE case_id = {other} AND seq = 1");
    assert_eq!(raw.execute(&actor).await, Ok(1));
    let (broken, summary) = verified(store).await;
    let mut expected = vec![
        BrokenLink { case_id: edited, seq: 2, breakage: Breakage::HashMismatch },
        BrokenLink { case_id: deleted, seq: 2, breakage: Breakage::Missing },
        BrokenLink { case_id: other, seq: 1, breakage: Breakage::HashMismatch },
    ];
    expected.sort_by_key(|link| link.case_id);
    assert_eq!(broken, expected);
    assert_eq!(summary, ChainSummary { cases: 4, events: 8, broken: 3 });
}

/// The digests the statistics are computed from, without the time each row was last written.
async fn statistics_inputs(store: &dyn Store) -> (Vec<services::store::CaseDigest>, domain::calls::CallCounts) {
    let mut digests = store.case_digests(0, 1000).await.expect("digests");
    for digest in &mut digests {
        digest.changed_at = DateTime::<Utc>::MIN_UTC;
    }
    let start = submission(None, 0).received_at - Duration::days(1);
    let calls = store.call_counts(start, start + Duration::days(5000)).await.expect("call counts");
    (digests, calls)
}

async fn log_call_on(store: &dyn Store, id: i64, phone: &str, minutes: i64) {
    let at = submission(None, minutes).received_at;
    let input = CallInput {
        phone: phone.into(),
        outcome: Some(CallOutcome::Confirmed),
        case_id: Some(id),
        duration_seconds: 30,
        ..Default::default()
    };
    let call = Call::parse(&input, CallDirection::Outbound, at).expect("valid call");
    let facts = CaseFacts::from_events(&store.case_events(id).await.expect("events")).expect("replay");
    let change = Change::CallLogged { direction: call.direction, outcome: call.outcome, callback_at: None };
    let (event, after) = facts.next_event(&Actor::new(ActorRole::Operator), change, at).expect("allowed");
    let append = CaseAppend { case_id: id, expected_version: facts.version, event: &event, facts: &after };
    store.log_call(&call, None, at, Some(append)).await.expect("log call");
}

pub async fn personal_data_past_its_retention_is_erased_once_with_an_event(store: &dyn Store) {
    use domain::workflow::{ErasureReason, RejectReason};
    use services::retention::{erase_expired, ErasureRun, RetentionPolicy};
    seeded(store).await;
    let policy = RetentionPolicy::default();
    // Closed: handled, approved, and closed when its rating window ended (minute 6).
    let closed =
        store.create_case(&parse(&input("key-keep-01")), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    append(store, closed, &coordinator(), accepted(5000), 1).await.expect("accept");
    append(store, closed, &urenco_officer(), Change::Acknowledged, 2).await.expect("acknowledge");
    let result = Change::ResultSubmitted { summary: "Đã dọn.".into(), photos: Vec::new() };
    append(store, closed, &urenco_officer(), result, 3).await.expect("result");
    append(store, closed, &coordinator(), Change::ResultApproved { published: None }, 4).await.expect("approve");
    log_call_on(store, closed, "0912 345 678", 5).await;
    append(store, closed, &Actor::system(), Change::Closed { note: None, expired: true }, 6).await.expect("close");
    // Rejected as out of area at minute 1; still open; rejected as inappropriate, with a photo.
    let rejected = store.create_case(&parse(&input("key-keep-02")), &submission(None, 0)).await.expect("create").id;
    let out_of_area =
        Change::Rejected {
            reason: RejectReason::OutOfArea, duplicate_of: None, explanation: "Ngoài địa bàn.".into()
        };
    append(store, rejected, &coordinator(), out_of_area, 1).await.expect("reject");
    let open =
        store.create_case(&parse(&input("key-keep-03")), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    let picture = photo('7', 'e', 0);
    store.save_photo(&picture).await.expect("save photo");
    let abusive =
        store.create_case(&with_photos("key-keep-04", &[&picture]), &submission(None, 0)).await.expect("create").id;
    let inappropriate = Change::Rejected {
        reason: RejectReason::Inappropriate,
        duplicate_of: None,
        explanation: "Nội dung xúc phạm.".into(),
    };
    append(store, abusive, &coordinator(), inappropriate, 1).await.expect("reject");
    // A call about no case, logged at minute 0.
    let guidance = CallInput {
        phone: "0232 3822 123".into(),
        purpose: Some(CallPurpose::Guidance),
        outcome: Some(CallOutcome::Answered),
        duration_seconds: 60,
        ..Default::default()
    };
    let guidance = Call::parse(&guidance, CallDirection::Inbound, submission(None, 0).received_at).expect("valid call");
    store.log_call(&guidance, None, submission(None, 0).received_at, None).await.expect("log call");
    let statistics_before = statistics_inputs(store).await;
    let finished = submission(None, 6).received_at;

    // A month on, only the inappropriate report's photo goes.
    let month = erase_expired(store, &policy, finished + Duration::days(31)).await.expect("erase");
    assert_eq!(month, ErasureRun { erasures: 1, unattached_calls: 0 });
    assert!(store.case_photos(abusive).await.expect("photos").is_empty(), "the photo is no longer the case's");
    let swept = store.sweep_unheld_photos(finished + Duration::days(32)).await.expect("sweep");
    assert!(swept.contains(&picture.id.as_str().to_string()), "its blob goes with the sweep: {swept:?}");
    assert!(store.reporter_contact(closed).await.expect("contact").is_some(), "contacts stay their 12 months");
    let almost = erase_expired(store, &policy, finished + Duration::days(360)).await.expect("erase");
    assert_eq!(almost, ErasureRun::default());

    // Twelve months after they finished, the finished cases' contacts and call numbers go.
    let now = finished.checked_add_months(chrono::Months::new(12)).expect("a time") + Duration::minutes(1);
    let run = erase_expired(store, &policy, now).await.expect("erase");
    assert_eq!(run, ErasureRun { erasures: 3, unattached_calls: 1 });
    for id in [closed, rejected, abusive] {
        assert_eq!(store.reporter_contact(id).await.expect("contact"), None, "case {id}");
    }
    assert!(store.reporter_contact(open).await.expect("contact").is_some(), "an open case keeps its contact");
    let calls = store.calls(None, 10).await.expect("calls");
    assert!(calls.iter().all(|record| record.call.phone.is_none()), "{calls:?}");
    let events = store.case_events(closed).await.expect("events");
    let last = events.last().expect("an event");
    assert_eq!(
        last.change,
        Change::PersonalDataErased { reason: ErasureReason::Retention, contact: true, call_numbers: 1, photos: 0 }
    );
    assert_eq!((last.to_status, last.public, last.actor_role), (CaseStatus::Closed, false, ActorRole::System));
    let stored = store.list_cases(&CaseQuery::InStatus(vec![CaseStatus::Closed]), 10).await.expect("list");
    assert_eq!(stored[0].facts, CaseFacts::from_events(&events).expect("replay"), "the projection follows");
    assert_eq!(statistics_inputs(store).await, statistics_before, "the statistics are unchanged");

    // A second run, here or on another server, finds nothing more.
    let versions = |ids: [i64; 4]| async move {
        let mut versions = Vec::new();
        for id in ids {
            versions.push(store.case_events(id).await.expect("events").len());
        }
        versions
    };
    let before = versions([closed, rejected, open, abusive]).await;
    assert_eq!(erase_expired(store, &policy, now).await.expect("erase"), ErasureRun::default());
    assert_eq!(versions([closed, rejected, open, abusive]).await, before);
}

pub async fn closing_a_citizen_account_unlinks_its_cases_and_erases_their_contacts_at_once(store: &dyn Store) {
    use domain::workflow::ErasureReason;
    use services::personal_data::{close_account, gather};
    seeded(store).await;
    let at = submission(None, 0).received_at;
    let citizen = NewAccount {
        username: Username::parse("nguyen.lan").expect("username"),
        display_name: PersonName::parse("Nguyễn Thị Lan").expect("name"),
        role: ActorRole::Citizen,
        agency: None,
        password_hash: "$argon2id$stand-in".into(),
    };
    let account_id = store.create_account(&citizen, at).await.expect("create");
    let theirs = Submission {
        actor_role: ActorRole::Citizen,
        actor_account: Some(account_id),
        ..submission(Some("dong-hoi"), 0)
    };
    let first = store.create_case(&parse(&input("key-mine-01")), &theirs).await.expect("create").id;
    let second = store.create_case(&parse(&input("key-mine-02")), &theirs).await.expect("create").id;
    let someone_elses =
        store.create_case(&parse(&input("key-other-01")), &submission(None, 0)).await.expect("create").id;
    log_call_on(store, first, "0912 345 678", 1).await;
    store
        .create_session("token-lan", account_id, at, at + Duration::days(1), at + Duration::days(1))
        .await
        .expect("session");

    store
        .update_profile(account_id, &profile_edit("Nguyễn Thị Lan", "lan@example.vn", "0905 000 111"))
        .await
        .expect("profile");
    let mut guidance = Call::parse(
        &CallInput {
            phone: "0905 000 111".into(),
            purpose: Some(CallPurpose::Guidance),
            outcome: Some(CallOutcome::Answered),
            duration_seconds: 20,
            ..Default::default()
        },
        CallDirection::Inbound,
        at,
    )
    .expect("valid call");
    guidance.case_id = None;
    store.log_call(&guidance, None, at, None).await.expect("log call");
    let account = store.account(account_id).await.expect("read").expect("exists");
    let data = gather(store, &account, at).await.expect("gather");
    assert_eq!(data.account.email.as_deref(), Some("lan@example.vn"));
    assert_eq!(data.reports.iter().map(|r| r.case.id).collect::<Vec<_>>(), vec![second, first]);
    assert_eq!(data.reports[0].contact.as_ref().and_then(|c| c.phone.as_ref()).map(|p| p.as_str()), Some("0912345678"));
    assert_eq!(data.calls.len(), 2, "the calls logged with their numbers, the report's and the account's");

    // A case that changed after its erasure was decided refuses the whole closing.
    let facts = CaseFacts::from_events(&store.case_events(first).await.expect("events")).expect("replay");
    let change =
        Change::PersonalDataErased { reason: ErasureReason::AccountClosed, contact: true, call_numbers: 1, photos: 0 };
    let (event, after) = facts.next_event(&Actor::system(), change, at).expect("allowed");
    let stale = CaseAppend { case_id: first, expected_version: facts.version - 1, event: &event, facts: &after };
    assert!(matches!(store.close_citizen_account(account_id, &[stale]).await, Err(StoreError::Conflict { .. })));
    assert!(store.account(account_id).await.expect("read").expect("exists").active, "nothing was closed");
    assert!(store.reporter_contact(first).await.expect("contact").is_some(), "nothing was erased");

    assert_eq!(close_account(store, account_id, at + Duration::hours(1)).await.expect("close"), 2);
    let closed = store.account(account_id).await.expect("read").expect("the row stays");
    assert!(!closed.active);
    assert!(closed.display_name.is_empty() && !closed.username.contains("lan"), "{closed:?}");
    let profile = store.account_profile(account_id).await.expect("read").expect("the row stays");
    assert_eq!((profile.email, profile.phone), (None, None), "nothing left to reach them by");
    assert_eq!(store.account_credentials("nguyen.lan").await.expect("read"), None);
    assert_eq!(store.session_account("token-lan", at).await.expect("read"), None, "signed out everywhere");
    assert!(store.list_cases(&CaseQuery::ReportedBy(account_id), 10).await.expect("list").is_empty());
    for id in [first, second] {
        assert_eq!(store.reporter_contact(id).await.expect("contact"), None);
        assert!(store.public_case(id).await.expect("read").is_some(), "the report stays public");
        let events = store.case_events(id).await.expect("events");
        assert_eq!(CaseFacts::from_events(&events).expect("replay").reporter_account, None);
    }
    assert!(store.calls(Some(first), 10).await.expect("calls").iter().all(|r| r.call.phone.is_none()));
    assert!(store.reporter_contact(someone_elses).await.expect("contact").is_some(), "other reports are untouched");
    let officer = NewAccount {
        username: Username::parse("xuly.khac").expect("username"),
        display_name: PersonName::parse("Cán bộ").expect("name"),
        role: ActorRole::Officer,
        agency: Some("urenco".into()),
        password_hash: "$argon2id$stand-in".into(),
    };
    let officer = store.create_account(&officer, at).await.expect("create");
    assert!(
        matches!(store.close_citizen_account(officer, &[]).await, Err(StoreError::Missing(_))),
        "staff are not closed so"
    );
}

pub async fn search_folds_vietnamese_finds_prefixes_and_numbers_and_keeps_to_the_searchers_scope(store: &dyn Store) {
    use domain::account::Account;
    use domain::workflow::RejectReason;
    use services::search::{search, Found};
    use unicode_normalization::UnicodeNormalization;
    seeded(store).await;
    let report = |key: &str, title: &str, description: &str, address: &str| NewCaseInput {
        title: title.into(),
        description: description.into(),
        address: address.into(),
        ..input(key)
    };
    let pothole = report(
        "key-search-01",
        "Ổ gà lớn trên đường Trần Hưng Đạo",
        "Mặt đường sụt lún, xe máy dễ ngã vào buổi tối.",
        "Số 12 Trần Hưng Đạo, phường Đồng Phú",
    );
    let pothole = store.create_case(&parse(&pothole), &submission(Some("dong-hoi"), 0)).await.expect("create").id;
    append(store, pothole, &coordinator(), accepted(5000), 1).await.expect("accept");
    let tree = report("key-search-02", "Cây đổ chắn lối đi", "Cây xà cừ bật gốc sau bão, chắn nửa lòng đường.", "");
    let tree = store.create_case(&parse(&tree), &submission(Some("dong-hoi"), 1)).await.expect("create").id;
    let rejection = Change::Rejected {
        reason: RejectReason::InsufficientInfo,
        duplicate_of: None,
        explanation: "Thiếu vị trí.".into(),
    };
    append(store, tree, &coordinator(), rejection, 2).await.expect("reject");
    let signal =
        report("key-search-03", "Đèn tín hiệu giao thông hỏng", "Đèn đỏ không sáng ở ngã tư, rất nguy hiểm.", "");
    let unscreened = store.create_case(&parse(&signal), &submission(Some("dong-hoi"), 2)).await.expect("create").id;

    let (indexed, highest) = store.index_cases_for_search(Some(0), 2).await.expect("index");
    assert_eq!((indexed, highest), (2, Some(tree)), "a page at a time");
    let (indexed, _) = store.index_cases_for_search(None, 100).await.expect("index");
    assert_eq!(indexed, 1, "the newest are looked at again");
    assert_eq!(store.index_cases_for_search(Some(0), 100).await.expect("index"), (0, None), "idempotent");

    let public = |raw: &'static str| async move { search(store, None, raw, 20).await.expect("search") };
    let Found::Cases(mut both) = public("dong hoi").await else { panic!("words find cases") };
    both.sort();
    assert_eq!(both, vec![pothole, tree], "the area's name, typed without diacritics");
    assert_eq!(public("duong tran").await, Found::Cases(vec![pothole]), "no diacritics, đ as d");
    assert_eq!(public("ĐƯỜNG TRẦN").await, Found::Cases(vec![pothole]), "any case");
    let decomposed: String = "đường trần".nfd().collect();
    assert_eq!(
        search(store, None, &decomposed, 20).await.expect("search"),
        Found::Cases(vec![pothole]),
        "NFD finds NFC"
    );
    assert_eq!(public("tran hu").await, Found::Cases(vec![pothole]), "the word being typed is a prefix");
    assert_eq!(public("tra hung").await, Found::Cases(vec![]), "the words before it are whole words");
    assert_eq!(public("xa cu bat goc").await, Found::Cases(vec![tree]));
    assert_eq!(public("giao thong").await, Found::Cases(vec![]), "an unscreened case is never found by the public");
    assert_eq!(search(store, None, &format!("#{pothole}"), 20).await.expect("search"), Found::Case(pothole));
    assert_eq!(search(store, None, &unscreened.to_string(), 20).await.expect("search"), Found::Cases(vec![]));
    assert_eq!(public("  ").await, Found::Cases(vec![]));
    assert_eq!(public("हिन्दी ठीक").await, Found::Cases(vec![]), "words of another script are searched, not refused");
    assert!(search(store, None, &"x".repeat(300), 20).await.is_err(), "a query too long is refused");

    let staff = |role: ActorRole, agency: Option<&str>| Account {
        id: 900,
        username: "staff".into(),
        display_name: "Cán bộ".into(),
        role,
        agency: agency.map(str::to_string),
        areas: Vec::new(),
        active: true,
        one_time_password_until: None,
        agency_head: false,
    };
    let exported = |words: &[&str]| {
        let filter = CaseFilter { words: words.iter().map(|w| w.to_string()).collect(), ..CaseFilter::default() };
        async move { store.export_cases(&filter, 0, 10).await.expect("export").iter().map(|c| c.id).collect::<Vec<_>>() }
    };
    assert_eq!(exported(&["tran", "hung"]).await, vec![pothole], "exports take the same words");
    assert_eq!(exported(&["giao", "thong"]).await, Vec::<i64>::new(), "an unscreened case's text is never matched");
    assert_eq!(exported(&[]).await.len(), 3, "no words, no search");
    let newest = CaseFilter { newest_first: true, public_only: true, ..CaseFilter::default() };
    let page = store.export_cases(&newest, i64::MAX, 1).await.expect("export");
    assert_eq!(page.iter().map(|c| c.id).collect::<Vec<_>>(), vec![tree], "the newest public case first");
    let next = store.export_cases(&newest, tree, 10).await.expect("export");
    assert_eq!(next.iter().map(|c| c.id).collect::<Vec<_>>(), vec![pothole], "then those below it");
    let coordinator_account = staff(ActorRole::Coordinator, None);
    assert_eq!(
        search(store, Some(&coordinator_account), "den tin hieu", 20).await.expect("search"),
        Found::Cases(vec![unscreened]),
        "staff find what waits for screening"
    );
    assert_eq!(
        search(store, Some(&coordinator_account), &format!("#{unscreened}"), 20).await.expect("search"),
        Found::Case(unscreened)
    );
    let officer = staff(ActorRole::Officer, Some("urenco"));
    assert_eq!(
        search(store, Some(&officer), "dong hoi", 20).await.expect("search"),
        Found::Cases(vec![pothole]),
        "an officer finds only their agency's cases"
    );
    let area_bound = |area: &str| Account { areas: vec![area.to_string()], ..staff(ActorRole::Coordinator, None) };
    assert_eq!(
        search(store, Some(&area_bound("dong-hoi")), "den tin hieu", 20).await.expect("search"),
        Found::Cases(vec![unscreened]),
        "a coordinator bound to areas finds what waits for screening there"
    );
    assert_eq!(
        search(store, Some(&area_bound("bo-trach")), "den tin hieu", 20).await.expect("search"),
        Found::Cases(vec![]),
        "and not what waits elsewhere"
    );
    assert_eq!(
        search(store, Some(&area_bound("bo-trach")), "tran hung", 20).await.expect("search"),
        Found::Cases(vec![pothole]),
        "the public's cases elsewhere are theirs to find, as to anyone"
    );
    assert_eq!(
        search(store, Some(&staff(ActorRole::Leader, None)), "den tin hieu", 20).await.expect("search"),
        Found::Cases(vec![]),
        "who does not screen finds no case held back from the public"
    );

    let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect::<Vec<String>>();
    let listed = |words: Vec<String>, public_only: bool| {
        let query = CaseQuery::Submitted {
            ids: None,
            categories: None,
            statuses: None,
            from: submission(None, -1).received_at,
            to: submission(None, 60).received_at,
            offset: 0,
            public_only,
            words,
        };
        async move { store.list_cases(&query, 10).await.expect("list").iter().map(|c| c.id).collect::<Vec<_>>() }
    };
    assert_eq!(listed(words(&["tran", "hung"]), true).await, vec![pothole], "the Open311 list takes the same words");
    assert_eq!(listed(words(&["giao", "thong"]), false).await, Vec::<i64>::new(), "screened cases only");
    assert_eq!(listed(Vec::new(), false).await.len(), 3, "no words, no search");

    let queued = |queue: StaffQueue, words: Vec<String>| async move {
        store.search_queue_page(&queue, &words, None, 10).await.expect("queue").iter().map(|c| c.id).collect::<Vec<_>>()
    };
    let screening = || StaffQueue::Screening { areas: None };
    assert_eq!(queued(screening(), words(&["den", "tin"])).await, vec![unscreened], "a queue holds held-back cases");
    assert_eq!(queued(screening(), words(&["tran"])).await, Vec::<i64>::new(), "only the queue's own cases");
    assert_eq!(queued(screening(), Vec::new()).await, vec![unscreened], "no words, the queue as it is");
    let agency = |code: &str| StaffQueue::Agency { agency: code.to_string() };
    assert_eq!(queued(agency("urenco"), words(&["tran", "hu"])).await, vec![pothole], "the last word a prefix");
    assert_eq!(queued(agency("urenco"), words(&[&pothole.to_string()])).await, vec![pothole], "a number as a word");
    assert_eq!(queued(agency("vnpt"), words(&["tran", "hung"])).await, Vec::<i64>::new(), "another agency's queue");
}

/// A citizen's account as registering makes it.
fn citizen_account(username: &str) -> NewAccount {
    NewAccount {
        username: Username::parse(username).expect("username"),
        display_name: PersonName::parse("Người Dân Thử").expect("name"),
        role: ActorRole::Citizen,
        agency: None,
        password_hash: "$argon2id$stand-in".into(),
    }
}

fn profile_edit(display_name: &str, email: &str, phone: &str) -> ProfileEdit {
    let input = ProfileInput { display_name: display_name.into(), email: email.into(), phone: phone.into() };
    ProfileEdit::parse(&input).expect("valid details")
}

fn address(raw: &str) -> Email {
    Email::parse(raw).expect("an address")
}

/// A link of `purpose` for `account_id` to `email`, issued at `issued` for its purpose's lifetime.
fn link<'a>(
    account_id: i64,
    purpose: LinkPurpose,
    hash: &'a str,
    email: &'a Email,
    issued: DateTime<Utc>,
) -> NewLink<'a> {
    NewLink { account_id, purpose, token_hash: hash, email, issued_at: issued, expires_at: issued + purpose.lifetime() }
}

fn recovery_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).single().expect("valid time")
}

/// Gives `account_id` the verified address `raw` through a verification link opened at `at`.
async fn verify_address(store: &dyn Store, account_id: i64, raw: &str, hash: &str, at: DateTime<Utc>) {
    let email = address(raw);
    store.update_profile(account_id, &profile_edit("Người Dân Thử", raw, "")).await.expect("saved");
    assert!(store
        .issue_account_link(&link(account_id, LinkPurpose::VerifyEmail, hash, &email, at), at)
        .await
        .expect("issued"));
    let opened = store.verify_email_with_link(hash, at).await.expect("used");
    assert!(matches!(opened, LinkState::Open { account_id: opened, .. } if opened == account_id), "{opened:?}");
}

pub async fn a_profile_is_edited_and_a_changed_address_is_unverified(store: &dyn Store) {
    seeded(store).await;
    let at = recovery_time();
    let id = store.create_account(&citizen_account("dan.hoso"), at).await.expect("citizen");
    let fresh = store.account_profile(id).await.expect("read").expect("exists");
    assert_eq!(
        fresh,
        Profile { display_name: "Người Dân Thử".into(), email: None, email_verified_at: None, phone: None }
    );
    assert_eq!(store.account_profile(999_999).await.expect("read"), None);

    let edit = profile_edit("Nguyễn Thị Ánh Tuyết", "Tuyet@Example.vn", "0912 345 678");
    assert!(store.update_profile(id, &edit).await.expect("saved"), "a new address");
    let saved = store.account_profile(id).await.expect("read").expect("exists");
    assert_eq!(saved.display_name, "Nguyễn Thị Ánh Tuyết", "Vietnamese text round-trips");
    assert_eq!((saved.email.as_deref(), saved.phone.as_deref()), (Some("Tuyet@example.vn"), Some("0912345678")));
    assert_eq!(saved.email_verified_at, None);
    assert_eq!(store.account(id).await.expect("read").expect("exists").display_name, "Nguyễn Thị Ánh Tuyết");

    let email = address("Tuyet@example.vn");
    let opened_at = at + Duration::minutes(5);
    store.issue_account_link(&link(id, LinkPurpose::VerifyEmail, "verify-1", &email, at), at).await.expect("issued");
    assert_eq!(
        store.verify_email_with_link("verify-1", opened_at).await.expect("used"),
        LinkState::Open { account_id: id, username: "dan.hoso".into() }
    );
    assert_eq!(store.account_profile(id).await.expect("read").expect("exists").email_verified_at, Some(opened_at));

    let same = profile_edit("Nguyễn Thị Ánh Tuyết", "Tuyet@example.vn", "");
    assert!(!store.update_profile(id, &same).await.expect("saved"), "the same address is no change");
    let kept = store.account_profile(id).await.expect("read").expect("exists");
    assert_eq!((kept.email_verified_at, kept.phone), (Some(opened_at), None), "still verified; the phone removed");

    store.issue_account_link(&link(id, LinkPurpose::ResetPassword, "reset-1", &email, at), at).await.expect("issued");
    assert!(store.update_profile(id, &profile_edit("Tuyết", "tuyet.nguyen@example.vn", "")).await.expect("saved"));
    let moved = store.account_profile(id).await.expect("read").expect("exists");
    assert_eq!((moved.email.as_deref(), moved.email_verified_at), (Some("tuyet.nguyen@example.vn"), None));
    assert_eq!(
        store.account_link(LinkPurpose::ResetPassword, "reset-1", at).await.expect("read"),
        LinkState::Closed(LinkProblem::Unknown),
        "links sent to the old address stop working"
    );
    assert!(store.update_profile(id, &profile_edit("Tuyết", "", "")).await.expect("saved"), "a removed address");
    assert_eq!(store.account_profile(id).await.expect("read").expect("exists").email, None);
    let missing = store.update_profile(999_999, &same).await;
    assert!(matches!(missing, Err(StoreError::Missing(_))), "{missing:?}");
}

pub async fn account_links_work_once_until_they_expire_one_of_each_purpose_per_account(store: &dyn Store) {
    seeded(store).await;
    let at = recovery_time();
    let minutes = |m: i64| at + Duration::minutes(m);
    let id = store.create_account(&citizen_account("dan.lienket"), at).await.expect("citizen");
    let other = store.create_account(&citizen_account("dan.hangxom"), at).await.expect("citizen");
    verify_address(store, id, "lan@example.vn", "verify-lan", at).await;
    let email = address("lan@example.vn");
    let reset = LinkPurpose::ResetPassword;
    let issue = |hash: &'static str, issued: DateTime<Utc>, replaces_before: DateTime<Utc>| {
        let email = email.clone();
        async move {
            store.issue_account_link(&link(id, reset, hash, &email, issued), replaces_before).await.expect("issue")
        }
    };
    let state = |hash: &'static str, now: DateTime<Utc>| async move {
        store.account_link(reset, hash, now).await.expect("read")
    };
    let open = LinkState::Open { account_id: id, username: "dan.lienket".into() };

    // One pending link per account: a second request soon after leaves the first standing.
    assert!(issue("reset-1", at, minutes(-5)).await);
    assert_eq!(state("reset-1", minutes(1)).await, open);
    assert!(!issue("reset-2", minutes(1), minutes(-4)).await, "the first is younger than five minutes");
    assert_eq!(state("reset-2", minutes(1)).await, LinkState::Closed(LinkProblem::Unknown));
    assert!(issue("reset-3", minutes(6), minutes(1)).await, "later, a new link replaces it");
    assert_eq!(state("reset-1", minutes(6)).await, LinkState::Closed(LinkProblem::Unknown));
    assert_eq!(state("reset-3", minutes(6)).await, open);
    assert_eq!(
        store.account_link(LinkPurpose::VerifyEmail, "reset-3", minutes(6)).await.expect("read"),
        LinkState::Closed(LinkProblem::Unknown),
        "a link opens its own purpose only"
    );

    // Using it sets the password and ends every session of the account, and no other's; once.
    for (token, account) in [("session-a", id), ("session-b", id), ("session-other", other)] {
        store
            .create_session(token, account, at, at + Duration::days(1), at + Duration::days(1))
            .await
            .expect("session");
    }
    store.set_password_hash(id, "$argon2id$old").await.expect("set");
    assert_eq!(store.reset_password_with_link("reset-3", "$argon2id$new", minutes(7)).await.expect("used"), open);
    assert_eq!(store.account_credentials("dan.lienket").await.expect("read").expect("exists").1, "$argon2id$new");
    for token in ["session-a", "session-b"] {
        assert_eq!(store.session_account(token, minutes(7)).await.expect("read"), None, "{token} ended");
    }
    assert!(store.session_account("session-other", minutes(7)).await.expect("read").is_some(), "another's stays");
    let again = store.reset_password_with_link("reset-3", "$argon2id$again", minutes(8)).await.expect("tried");
    assert_eq!(again, LinkState::Closed(LinkProblem::Used));
    assert_eq!(state("reset-3", minutes(8)).await, LinkState::Closed(LinkProblem::Used));
    assert_eq!(store.account_credentials("dan.lienket").await.expect("read").expect("exists").1, "$argon2id$new");

    // A used link is replaced at once; a link past its thirty minutes opens nothing and changes nothing.
    assert!(issue("reset-4", minutes(8), minutes(3)).await, "a used link does not hold a new one back");
    assert_eq!(state("reset-4", minutes(37)).await, open);
    assert_eq!(state("reset-4", minutes(38)).await, LinkState::Closed(LinkProblem::Expired));
    let late = store.reset_password_with_link("reset-4", "$argon2id$late", minutes(39)).await.expect("tried");
    assert_eq!(late, LinkState::Closed(LinkProblem::Expired));
    assert_eq!(store.account_credentials("dan.lienket").await.expect("read").expect("exists").1, "$argon2id$new");
    assert!(issue("reset-5", minutes(39), minutes(0)).await, "an expired link does not hold a new one back");

    // Of several uses of one link at once, exactly one goes through.
    let attempts = (0..6).map(|_| store.reset_password_with_link("reset-5", "$argon2id$race", minutes(40)));
    let outcomes = futures_join_all(attempts).await;
    let opened = outcomes.iter().filter(|o| matches!(o, Ok(LinkState::Open { .. }))).count();
    assert_eq!(opened, 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|o| matches!(o, Ok(LinkState::Open { .. } | LinkState::Closed(LinkProblem::Used)))));

    assert_eq!(
        store.verify_email_with_link("no-such-link", at).await.expect("tried"),
        LinkState::Closed(LinkProblem::Unknown)
    );
    assert_eq!(
        store.verify_email_with_link("verify-lan", at).await.expect("tried"),
        LinkState::Closed(LinkProblem::Used),
        "a verification link works once too"
    );
}

pub async fn reset_links_reach_only_active_citizens_with_a_verified_address(store: &dyn Store) {
    seeded(store).await;
    let at = recovery_time();
    let first = store.create_account(&citizen_account("dan.mot"), at).await.expect("citizen");
    let second = store.create_account(&citizen_account("dan.hai"), at).await.expect("citizen");
    let unverified = store.create_account(&citizen_account("dan.chua"), at).await.expect("citizen");
    let staff = NewAccount { role: ActorRole::Coordinator, ..citizen_account("dieuphoi.chung") };
    let staff = store.create_account(&staff, at).await.expect("coordinator");
    for (id, hash) in [(first, "v-first"), (second, "v-second"), (staff, "v-staff")] {
        verify_address(store, id, "Gia.Dinh@example.vn", hash, at).await;
    }
    store.update_profile(unverified, &profile_edit("Người Dân Thử", "gia.dinh@example.vn", "")).await.expect("saved");

    let by_address = |raw: &str| AccountHandle::Email(address(raw));
    let by_name = |raw: &str| AccountHandle::Username(Username::parse(raw).expect("username"));
    let found = |handle: AccountHandle, limit: u32| async move {
        store
            .recoverable_accounts(&handle, limit)
            .await
            .expect("read")
            .into_iter()
            .map(|r| r.account_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(found(by_address("gia.dinh@EXAMPLE.VN"), 5).await, [first, second], "whatever the case; citizens only");
    assert_eq!(found(by_address("gia.dinh@example.vn"), 1).await, [first], "at most the limit, by id");
    assert_eq!(
        store.recoverable_accounts(&by_name("dan.hai"), 5).await.expect("read"),
        [AccountAddress { account_id: second, username: "dan.hai".into(), email: address("Gia.Dinh@example.vn") }]
    );
    assert!(found(by_name("dan.chua"), 5).await.is_empty(), "an unverified address gets no link");
    assert!(found(by_name("dieuphoi.chung"), 5).await.is_empty(), "staff ask an administrator");
    assert!(found(by_name("khong.co.ai"), 5).await.is_empty());

    let citizen = RoleAssignment { role: ActorRole::Citizen, agency: None, areas: Vec::new(), agency_head: false };
    let email = address("Gia.Dinh@example.vn");
    let reset = link(second, LinkPurpose::ResetPassword, "reset-second", &email, at);
    assert!(store.issue_account_link(&reset, at).await.expect("issued"));
    store.update_account(second, &citizen, false, None, at).await.expect("deactivated");
    assert_eq!(found(by_address("gia.dinh@example.vn"), 5).await, [first], "an inactive account gets no link");
    assert_eq!(
        store.account_link(LinkPurpose::ResetPassword, "reset-second", at).await.expect("read"),
        LinkState::Closed(LinkProblem::Unknown)
    );
    let refused = store.reset_password_with_link("reset-second", "$argon2id$x", at).await.expect("tried");
    assert_eq!(refused, LinkState::Closed(LinkProblem::Unknown), "nor does a link sent before");
    assert_eq!(store.account_credentials("dan.hai").await.expect("read").expect("exists").1, "$argon2id$stand-in");
}

pub async fn an_administrators_reset_gives_a_staff_account_a_one_time_password_and_ends_its_sessions(
    store: &dyn Store,
) {
    seeded(store).await;
    let at = recovery_time();
    let officer =
        NewAccount { role: ActorRole::Officer, agency: Some("urenco".into()), ..citizen_account("xuly.datlai") };
    let officer = store.create_account(&officer, at).await.expect("officer");
    let citizen = store.create_account(&citizen_account("dan.khongphai"), at).await.expect("citizen");
    store
        .create_session("officer-session", officer, at, at + Duration::days(1), at + Duration::days(1))
        .await
        .expect("session");
    let until = at + Duration::hours(72);
    store.reset_staff_password(officer, "$argon2id$one-time", until, None, at).await.expect("reset");
    let account = store.account(officer).await.expect("read").expect("exists");
    assert_eq!(account.one_time_password_until, Some(until), "a one-time password, as an invitation's");
    assert_eq!(store.account_credentials("xuly.datlai").await.expect("read").expect("exists").1, "$argon2id$one-time");
    assert_eq!(store.session_account("officer-session", at).await.expect("read"), None, "its sessions ended");
    let log = store.catalogue_changes(None, 5).await.expect("log");
    assert_eq!((log[0].entity, log[0].key.as_str()), (Entity::Account, "xuly.datlai"));
    assert!(log[0].before.as_deref().is_some_and(|b| b.contains("\"one_time_password_until\":null")), "{:?}", log[0]);
    assert!(log[0].after.as_deref().is_some_and(|a| a.contains("\"one_time_password_until\":\"")), "{:?}", log[0]);
    for id in [citizen, 999_999] {
        let refused = store.reset_staff_password(id, "$argon2id$x", until, None, at).await;
        assert!(matches!(refused, Err(StoreError::Missing(_))), "{id}: {refused:?}");
    }
    assert_eq!(
        store.account_credentials("dan.khongphai").await.expect("read").expect("exists").1,
        "$argon2id$stand-in"
    );
    store.set_password_hash(officer, "$argon2id$own").await.expect("its own");
    assert_eq!(store.account(officer).await.expect("read").expect("exists").one_time_password_until, None);
}

fn alert(place: AlertPlace, categories: &[&str], frequency: AlertFrequency) -> NewAlert {
    NewAlert { place, categories: categories.iter().map(|c| c.to_string()).collect(), frequency }
}

fn dong_hoi() -> AlertPlace {
    AlertPlace::Area { code: "dong-hoi".into() }
}

fn drawn(west: f64, south: f64, east: f64, north: f64) -> AlertPlace {
    AlertPlace::Drawn { bounds: domain::map_query::Bounds { west, south, east, north } }
}

pub async fn followers_and_alerts_are_told_of_public_steps_once_each(store: &dyn Store) {
    seeded(store).await;
    let start = submission(None, 0).received_at;
    let follower = store.create_account(&citizen_account("dan.theodoi"), start).await.expect("citizen");
    verify_address(store, follower, "theodoi@example.vn", "verify-follow", start).await;
    // An address never verified receives nothing.
    let unverified = store.create_account(&citizen_account("dan.chuaxacnhan"), start).await.expect("citizen");
    store.update_profile(unverified, &profile_edit("Người Dân Thử", "chua@example.vn", "")).await.expect("saved");
    let new = |place, categories: &[&str], frequency| alert(place, categories, frequency);
    let at_once =
        store.create_alert(follower, &new(dong_hoi(), &[], AlertFrequency::AtOnce), start, 20).await.expect("alert");
    let daily_elsewhere = store
        .create_alert(follower, &new(drawn(106.0, 17.0, 106.1, 17.1), &[], AlertFrequency::Daily), start, 20)
        .await;
    let daily_traffic =
        store.create_alert(follower, &new(dong_hoi(), &["traffic"], AlertFrequency::Daily), start, 20).await;
    let daily_here = store
        .create_alert(
            follower,
            &new(drawn(106.6, 17.45, 106.65, 17.5), &["environment"], AlertFrequency::Daily),
            start,
            20,
        )
        .await
        .expect("alert")
        .expect("within the allowance");
    let unverified_alert =
        store.create_alert(unverified, &new(dong_hoi(), &[], AlertFrequency::AtOnce), start, 20).await.expect("alert");
    let (at_once, daily_elsewhere, daily_traffic, unverified_alert) = (
        at_once.expect("stored"),
        daily_elsewhere.expect("alert").expect("stored"),
        daily_traffic.expect("alert").expect("stored"),
        unverified_alert.expect("stored"),
    );

    let case_id =
        store.create_case(&parse(&input("key-follow-01")), &submission(Some("dong-hoi"), 1)).await.expect("create").id;
    let now = start + Duration::hours(1);
    let since = start - Duration::days(7);
    assert!(store.follow_case(follower, case_id, submission(None, 2).received_at, 1000).await.expect("follow"));
    assert!(store.follow_case(unverified, case_id, submission(None, 2).received_at, 1000).await.expect("follow"));
    // Before screening a new case is nobody's news.
    assert!(store.unsettled_alert_matches(since, now, 100).await.expect("read").is_empty());
    assert!(store.account_notices(follower, since, 50).await.expect("read").is_empty());

    append(store, case_id, &coordinator(), accepted(5000), 10).await.expect("accept");
    let screened_at = submission(None, 10).received_at;
    let matches = store.unsettled_alert_matches(since, now, 100).await.expect("read");
    assert_eq!(
        matches.iter().map(|m| (m.alert_id, m.case_id, m.email.as_str())).collect::<Vec<_>>(),
        vec![(at_once, case_id, "theodoi@example.vn")],
        "only the verified account's alert sent at once; not {unverified_alert}"
    );
    assert_eq!(matches[0].screened_at, screened_at);
    let subject = case_id.to_string();
    assert_eq!(store.claim_alert_delivery(at_once, &subject, now).await.expect("claim"), Some(0));
    assert_eq!(store.claim_alert_delivery(at_once, &subject, now).await.expect("claim"), None, "claimed once");
    store.settle_alert_delivery(at_once, &subject, NoticeOutcome::Sent).await.expect("settle");
    assert!(store.unsettled_alert_matches(since, now, 100).await.expect("read").is_empty());

    let told = store.unsettled_follower_notices(since, now, 100).await.expect("read");
    assert_eq!(
        told.iter().map(|n| (n.case_id, n.event.seq, n.account_id, n.email.as_str())).collect::<Vec<_>>(),
        vec![(case_id, 2, follower, "theodoi@example.vn")]
    );
    let channel = services::store::FollowerNotice::channel(follower);
    assert_eq!(store.claim_notice(case_id, 2, &channel, now).await.expect("claim"), Some(0));
    let retry = now + Duration::minutes(1);
    store.settle_notice(case_id, 2, &channel, NoticeOutcome::Failed { retry_at: Some(retry) }).await.expect("settle");
    assert!(store.unsettled_follower_notices(since, now, 100).await.expect("read").is_empty(), "not due yet");
    assert_eq!(store.unsettled_follower_notices(since, retry, 100).await.expect("read").len(), 1, "due again");
    assert_eq!(store.claim_notice(case_id, 2, &channel, retry).await.expect("claim"), Some(1));
    store.settle_notice(case_id, 2, &channel, NoticeOutcome::Sent).await.expect("settle");
    assert!(store.unsettled_follower_notices(since, retry, 100).await.expect("read").is_empty());
    // The reporter's own notice on its channel is a separate delivery.
    let reporters = store.unsettled_notices("email", since, now, 100).await.expect("read");
    assert!(reporters.iter().any(|(id, event)| *id == case_id && event.seq == 2), "{reporters:?}");

    let notices = store.account_notices(follower, since, 50).await.expect("read");
    assert_eq!(
        notices.iter().map(|n| (n.case_id, n.seq, n.kind, n.reason, n.unread)).collect::<Vec<_>>(),
        vec![(case_id, 2, ChangeKind::Accepted, NoticeReason::Followed, true)],
        "followed and watched, told once"
    );
    assert_eq!(notices[0].title, "Rác thải đổ trộm");
    store.mark_notices_read(follower, now).await.expect("read");
    assert!(!store.account_notices(follower, since, 50).await.expect("read")[0].unread);

    // The digest of the day after: the drawn place with its category lists the case; the place
    // elsewhere and the other category list nothing; the unverified account gets none.
    let digest_time = start + Duration::days(1);
    let due = store.due_daily_alerts("day:2023-03-02", digest_time, digest_time, 100).await.expect("due");
    assert_eq!(due.iter().map(|d| d.alert_id).collect::<Vec<_>>(), vec![daily_elsewhere, daily_traffic, daily_here]);
    let listed = |alert_id| async move {
        store
            .alert_matches_between(alert_id, digest_time - Duration::days(1), digest_time, 100)
            .await
            .expect("read")
            .iter()
            .map(|m| m.case_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(listed(daily_here).await, vec![case_id]);
    assert!(listed(daily_elsewhere).await.is_empty());
    assert!(listed(daily_traffic).await.is_empty());
    assert_eq!(store.claim_alert_delivery(daily_here, "day:2023-03-02", digest_time).await.expect("claim"), Some(0));
    store.settle_alert_delivery(daily_here, "day:2023-03-02", NoticeOutcome::Sent).await.expect("settle");
    let due = store.due_daily_alerts("day:2023-03-02", digest_time, digest_time, 100).await.expect("due");
    assert_eq!(due.len(), 2, "the sent digest is settled");

    // After unfollowing, later steps reach the follower neither by mail nor as notices.
    assert!(store.unfollow_case(follower, case_id).await.expect("unfollow"));
    assert!(!store.unfollow_case(follower, case_id).await.expect("unfollow"));
    append(store, case_id, &urenco_officer(), Change::Acknowledged, 20).await.expect("acknowledge");
    let later = store.unsettled_follower_notices(since, now, 100).await.expect("read");
    assert!(later.iter().all(|n| n.account_id != follower), "{later:?}");
}

pub async fn follows_and_alerts_are_bounded_owned_and_gone_with_the_account(store: &dyn Store) {
    seeded(store).await;
    let start = submission(None, 0).received_at;
    let owner = store.create_account(&citizen_account("dan.chu"), start).await.expect("citizen");
    let other = store.create_account(&citizen_account("dan.khac"), start).await.expect("citizen");
    let first =
        store.create_case(&parse(&input("key-bound-01")), &submission(Some("dong-hoi"), 1)).await.expect("create").id;
    let second =
        store.create_case(&parse(&input("key-bound-02")), &submission(Some("dong-hoi"), 2)).await.expect("create").id;
    assert!(store.follow_case(owner, first, start, 1).await.expect("follow"));
    assert!(!store.follow_case(owner, first, start, 1).await.expect("follow"), "already followed");
    assert!(!store.follow_case(owner, second, start, 1).await.expect("follow"), "over the allowance");
    assert!(store.follows_case(owner, first).await.expect("read"));
    assert!(!store.follows_case(owner, second).await.expect("read"));
    assert_eq!(store.followed_cases(owner).await.expect("read"), vec![(first, start)]);

    let area = alert(dong_hoi(), &["traffic", "environment"], AlertFrequency::Daily);
    let a = store.create_alert(owner, &area, start, 2).await.expect("alert").expect("stored");
    let place = alert(drawn(106.6, 17.45, 106.65, 17.5), &[], AlertFrequency::AtOnce);
    let b = store.create_alert(owner, &place, start + Duration::minutes(1), 2).await.expect("alert").expect("stored");
    assert_eq!(store.create_alert(owner, &place, start, 2).await.expect("alert"), None, "at the allowance");
    let held = store.account_alerts(owner).await.expect("read");
    assert_eq!(held.iter().map(|a| a.id).collect::<Vec<_>>(), vec![a, b]);
    assert_eq!(held[0].place, dong_hoi());
    assert_eq!(held[0].categories, vec!["environment".to_string(), "traffic".to_string()]);
    assert_eq!((held[1].place.clone(), held[1].frequency), (place.place.clone(), AlertFrequency::AtOnce));
    assert_eq!(held[1].created_at, start + Duration::minutes(1));

    assert!(!store.delete_alert(other, a).await.expect("delete"), "only the owner deletes");
    assert!(store.delete_alert(owner, a).await.expect("delete"));
    assert_eq!(store.account_alerts(owner).await.expect("read").len(), 1);

    store.close_citizen_account(owner, &[]).await.expect("close");
    assert!(store.account_alerts(owner).await.expect("read").is_empty(), "alerts go with the account");
    assert!(!store.follows_case(owner, first).await.expect("read"), "follows go with the account");
}

fn citizen_actor(account_id: i64) -> Actor {
    Actor { role: ActorRole::Citizen, account_id: Some(account_id), agency: None, agency_head: false }
}

/// A case of `key` reported by `reporter` (signed in, or anonymous with `None`), accepted.
async fn screened_case(store: &dyn Store, key: &str, reporter: Option<i64>, minutes: i64) -> i64 {
    let submitted = Submission {
        actor_role: if reporter.is_some() { ActorRole::Citizen } else { ActorRole::Anonymous },
        actor_account: reporter,
        ..submission(Some("dong-hoi"), minutes)
    };
    let id = store.create_case(&parse(&input(key)), &submitted).await.expect("create").id;
    append(store, id, &coordinator(), accepted(5000), minutes + 1).await.expect("accept");
    id
}

pub async fn support_counts_once_per_account_and_device_and_equals_the_replay(store: &dyn Store) {
    use domain::workflow::Refusal;
    use services::changes::ChangeError;
    use services::support::support_case;
    seeded(store).await;
    let at = submission(None, 30).received_at;
    let reporter = store.create_account(&citizen_account("nguoi-bao"), at).await.expect("account");
    let neighbour = store.create_account(&citizen_account("hang-xom"), at).await.expect("account");
    let id = screened_case(store, "key-support-01", Some(reporter), 0).await;
    let anonymous = Actor::new(ActorRole::Anonymous);
    support_case(store, id, &citizen_actor(neighbour), None, at).await.expect("a neighbour supports");
    support_case(store, id, &anonymous, Some("device-a"), at).await.expect("a device supports");
    let events = store.case_events(id).await.expect("events");
    for (actor, device) in [(citizen_actor(neighbour), None), (anonymous.clone(), Some("device-a"))] {
        let again = support_case(store, id, &actor, device, at).await;
        assert!(matches!(again, Err(ChangeError::Refused(Refusal::AlreadySupported))), "{again:?}");
    }
    assert_eq!(store.case_events(id).await.expect("events"), events, "a refused support stores no event");
    let own = support_case(store, id, &citizen_actor(reporter), None, at).await;
    assert!(matches!(own, Err(ChangeError::Refused(Refusal::OwnReport))), "{own:?}");
    // The database refuses a second support by itself, whatever its caller checked.
    let facts = CaseFacts::from_events(&events).expect("replay");
    let change = Change::Supported { account_id: Some(neighbour), merged_from: None };
    let (event, after) = facts.next_event(&citizen_actor(neighbour), change, at).expect("allowed");
    let second = CaseAppend { case_id: id, expected_version: facts.version, event: &event, facts: &after };
    let twice = store.add_support(services::store::SupportAppend { append: second, device_hash: None }).await;
    assert!(matches!(twice, Err(StoreError::Duplicate(_))), "{twice:?}");
    assert_eq!(store.case_events(id).await.expect("events"), events, "nothing of it is stored");

    let events = store.case_events(id).await.expect("events");
    let replayed = CaseFacts::from_events(&events).expect("replay");
    assert_eq!(replayed.supporters, 2);
    assert_eq!(events.iter().filter(|e| e.change.kind() == ChangeKind::Supported).count(), 2);
    assert!(events.iter().filter(|e| e.change.kind() == ChangeKind::Supported).all(|e| !e.public));
    let listed = store.list_cases(&CaseQuery::ReportedBy(reporter), 10).await.expect("list");
    assert_eq!(listed[0].facts, replayed, "the stored projection equals the replay");
    let public = store.public_case(id).await.expect("public").expect("found");
    assert_eq!((public.supporters, public.merged_into), (2, None));
    assert_eq!(store.case_supporter_accounts(id).await.expect("accounts"), vec![neighbour]);
    let supporters = store.case_supporters(id).await.expect("supporters");
    assert_eq!(supporters.len(), 2);
    assert_eq!(supporters[1].device_hash.as_deref(), Some("device-a"));
    assert!(store.case_supporter_accounts(9999).await.expect("none").is_empty());

    // A signed-in supporter is told of the case's public steps after their support, as a follower is.
    let note = Change::NoteAdded { text: "Đội thu gom đã đến hiện trường.".into(), public: true };
    append(store, id, &urenco_officer(), note, 40).await.expect("public note");
    let told = store.account_notices(neighbour, at - Duration::days(1), 50).await.expect("notices");
    assert_eq!(
        told.iter().map(|n| (n.case_id, n.kind, n.reason)).collect::<Vec<_>>(),
        vec![(id, ChangeKind::NoteAdded, NoticeReason::Followed)]
    );
}

pub async fn a_merge_moves_the_duplicates_reporter_and_supporters_to_the_original_once(store: &dyn Store) {
    use services::support::{merge_duplicate, merge_root, support_case, Merge, MergeError};
    seeded(store).await;
    let at = submission(None, 30).received_at;
    let mut accounts = Vec::new();
    for name in ["bao-goc", "bao-trung", "hang-xom", "nguoi-khac"] {
        accounts.push(store.create_account(&citizen_account(name), at).await.expect("account"));
    }
    let [first_reporter, duplicate_reporter, neighbour, other] = <[i64; 4]>::try_from(accounts).expect("four accounts");
    let anonymous = Actor::new(ActorRole::Anonymous);
    let original = screened_case(store, "key-merge-001", Some(first_reporter), 0).await;
    support_case(store, original, &citizen_actor(neighbour), None, at).await.expect("support");
    support_case(store, original, &anonymous, Some("device-a"), at).await.expect("support");
    // A duplicate that was screened, supported, then returned to screening by the agency.
    let duplicate = screened_case(store, "key-merge-002", Some(duplicate_reporter), 2).await;
    for (actor, device) in [
        (citizen_actor(neighbour), None),
        (citizen_actor(other), None),
        (anonymous.clone(), Some("device-a")),
        (anonymous.clone(), Some("device-b")),
    ] {
        support_case(store, duplicate, &actor, device, at).await.expect("support the duplicate");
    }
    let returned = Change::Returned { reason: "Không thuộc đơn vị".into() };
    let facts = append(store, duplicate, &urenco_officer(), returned, 20).await.expect("return");

    let waiting =
        store.create_case(&parse(&input("key-merge-003")), &submission(Some("dong-hoi"), 4)).await.expect("create").id;
    let coordinator = coordinator();
    let merge = |original| Merge {
        duplicate,
        version: facts.version,
        coordinator: &coordinator,
        original,
        explanation: "Trùng với phản ánh đã tiếp nhận".into(),
        now: at,
    };
    assert!(matches!(merge_duplicate(store, &merge(duplicate)).await, Err(MergeError::SameCase)));
    assert!(matches!(merge_duplicate(store, &merge(waiting)).await, Err(MergeError::OriginalNotOpen)));
    assert!(matches!(merge_duplicate(store, &merge(9999)).await, Err(MergeError::UnknownOriginal)));
    assert_eq!(store.case_supporters(original).await.expect("supporters").len(), 2, "a refused merge moves no one");

    let after = merge_duplicate(store, &merge(original)).await.expect("merge");
    assert_eq!((after.status, after.merged_into), (CaseStatus::Rejected, Some(original)));
    let events = store.case_events(original).await.expect("events");
    let replayed = CaseFacts::from_events(&events).expect("replay");
    assert_eq!(replayed.supporters, 5, "the reporter, another citizen and a new device join; no one twice");
    let moved: Vec<_> = events
        .iter()
        .filter_map(|e| match e.change {
            Change::Supported { merged_from: Some(from), .. } => Some((from, e.actor_role)),
            _ => None,
        })
        .collect();
    assert_eq!(moved, vec![(duplicate, ActorRole::Coordinator); 3]);
    let listed = store.list_cases(&CaseQuery::ReportedBy(first_reporter), 10).await.expect("list");
    assert_eq!(listed[0].facts, replayed, "the stored projection equals the replay");
    let mut expected = vec![neighbour, duplicate_reporter, other];
    expected.sort_unstable();
    assert_eq!(store.case_supporter_accounts(original).await.expect("accounts"), expected);
    let devices: Vec<_> =
        store.case_supporters(original).await.expect("supporters").into_iter().filter_map(|s| s.device_hash).collect();
    assert_eq!(devices, vec!["device-a".to_string(), "device-b".to_string()]);
    assert_eq!(store.public_case(duplicate).await.expect("public").expect("found").merged_into, Some(original));
    assert_eq!(store.public_case(original).await.expect("public").expect("found").supporters, 5);
    assert_eq!(merge_root(store, waiting, duplicate).await.expect("root"), original, "a merged case leads to its root");
    let again = support_case(store, original, &citizen_actor(duplicate_reporter), None, at).await;
    assert!(again.is_err(), "the moved reporter already supports the original");
}

pub async fn the_escalation_ladder_is_projected_and_its_cases_found_until_its_last_step(store: &dyn Store) {
    use domain::escalation::{EscalationRules, EscalationStep};
    seeded(store).await;
    let id = store
        .create_case(&parse(&input("key-escalate-01")), &submission(Some("dong-hoi"), 0))
        .await
        .expect("create")
        .id;
    let waiting = store
        .create_case(&parse(&input("key-escalate-02")), &submission(Some("dong-hoi"), 1))
        .await
        .expect("create")
        .id;
    append(store, id, &coordinator(), accepted(60), 2).await.expect("accept");
    let deadline = submission(None, 60).received_at;
    let found = |before: DateTime<Utc>| async move {
        let after = before - Duration::days(30);
        store.cases_to_escalate(after, before, 10).await.expect("read").iter().map(|c| c.id).collect::<Vec<_>>()
    };
    assert_eq!(found(deadline + Duration::minutes(1)).await, vec![id], "a case waiting for screening has no deadline");
    assert!(found(deadline).await.is_empty(), "a deadline not before the end asked");
    assert!(found(deadline + Duration::days(31)).await.is_empty(), "a deadline before the start asked");
    let _ = waiting;
    let stale = deadline + Duration::days(40);
    let none = services::escalation::escalate_due(store, &EscalationRules::default(), stale).await.expect("run");
    assert_eq!(none, 0, "long overdue is not news");

    let rules = EscalationRules::default();
    let after = deadline + Duration::days(20);
    assert_eq!(
        services::escalation::escalate_due(store, &rules, after).await.expect("run"),
        3,
        "every step due, in order"
    );
    assert_eq!(services::escalation::escalate_due(store, &rules, after).await.expect("run"), 0, "and once");
    assert!(found(after).await.is_empty(), "the last step taken, the case is not looked at again");
    let listed = store
        .list_cases(&CaseQuery::OfAgency { agency: "urenco".into(), statuses: vec![CaseStatus::Assigned] }, 10)
        .await
        .expect("list");
    let replayed = CaseFacts::from_events(&store.case_events(id).await.expect("events")).expect("replay");
    assert_eq!(listed.iter().find(|c| c.id == id).map(|c| c.facts.clone()), Some(replayed), "projection equals replay");
    let since = deadline - Duration::days(1);
    let read = |place: EscalationPlace| async move { store.recent_escalations(since, &place, 10).await.expect("read") };
    for elsewhere in [EscalationPlace::Agency("vnpt".into()), EscalationPlace::Areas(vec!["bo-trach".into()])] {
        assert!(read(elsewhere.clone()).await.is_empty(), "{elsewhere:?} holds none of them");
    }
    assert_eq!(read(EscalationPlace::Agency("urenco".into())).await.len(), 3);
    assert_eq!(read(EscalationPlace::Areas(vec!["bo-trach".into(), "dong-hoi".into()])).await.len(), 3);
    let notices = read(EscalationPlace::Province).await;
    let steps: Vec<EscalationStep> = notices
        .iter()
        .filter_map(|n| match n.event.change {
            Change::DeadlineEscalated { step, .. } => Some(step),
            _ => None,
        })
        .collect();
    assert_eq!(steps, vec![EscalationStep::Leader, EscalationStep::Overdue, EscalationStep::Reminder], "newest first");
    assert_eq!(
        (notices[0].case_id, notices[0].agency.as_deref(), notices[0].area.as_deref()),
        (id, Some("urenco"), Some("dong-hoi"))
    );
}

/// The approved result's published summary is stored with the case's facts and exported with its
/// public fields; a reopening withdraws it from both. A held-back case exports none.
pub async fn the_published_result_is_kept_beside_the_facts_exported_and_cleared_on_reopening(store: &dyn Store) {
    seeded(store).await;
    let id = store
        .create_case(&parse(&input("key-published-01")), &submission(Some("dong-hoi"), 0))
        .await
        .expect("create")
        .id;
    let result = |summary: &'static str| Change::ResultSubmitted { summary: summary.into(), photos: Vec::new() };
    let exported = || async move {
        let everything = store.export_cases(&CaseFilter::default(), id - 1, 1).await.expect("export");
        everything.first().and_then(|case| case.published.as_ref()).and_then(|p| p.result.clone())
    };
    let stored = || async move {
        let cases = store.list_cases(&CaseQuery::InStatus(CaseStatus::ALL.to_vec()), 1000).await.expect("list");
        cases.into_iter().find(|case| case.id == id).and_then(|case| case.facts.published_result)
    };
    append(store, id, &coordinator(), accepted(5000), 10).await.expect("accept");
    append(store, id, &urenco_officer(), Change::Acknowledged, 20).await.expect("acknowledge");
    append(store, id, &urenco_officer(), result("Đã thu gom."), 30).await.expect("result");
    assert_eq!(exported().await, None, "nothing is published before the approval");
    let answer = "Đã thu gom toàn bộ rác, bờ sông sạch sẽ.";
    let approval = Change::ResultApproved { published: Some(answer.into()) };
    let facts = append(store, id, &coordinator(), approval, 40).await.expect("approve");
    assert_eq!(facts.published_result.as_deref(), Some(answer));
    assert_eq!(stored().await.as_deref(), Some(answer), "the stored facts carry the answer");
    assert_eq!(exported().await.as_deref(), Some(answer), "the export carries the answer");
    let events = store.case_events(id).await.expect("events");
    assert_eq!(CaseFacts::from_events(&events).expect("replay").published_result.as_deref(), Some(answer));
    let unsatisfied = Change::Rated {
        rating: domain::workflow::Rating::Unsatisfied,
        comment: None,
        via: domain::workflow::RatedVia::Receipt,
    };
    append(store, id, &Actor::new(ActorRole::Anonymous), unsatisfied, 50).await.expect("rate by receipt");
    let reopen = Change::Reopened { deadline: submission(None, 9000).received_at, note: "Còn sót rác.".into() };
    append(store, id, &coordinator(), reopen, 60).await.expect("reopen");
    assert_eq!((stored().await, exported().await), (None, None), "a reopened case has no answer in force");

    // A phoned-in case is stored as one from its creation: its caller rates through the hotline.
    let phoned = Submission { channel: Channel::Hotline, ..submission(Some("dong-hoi"), 5) };
    let phoned = store.create_case(&parse(&input("key-published-02")), &phoned).await.expect("create").id;
    let cases = store.list_cases(&CaseQuery::InStatus(vec![CaseStatus::Submitted]), 1000).await.expect("list");
    let stored = cases.into_iter().find(|case| case.id == phoned).expect("the phoned-in case");
    assert!(stored.facts.phoned_in);
    let events = store.case_events(phoned).await.expect("events");
    assert_eq!(CaseFacts::from_events(&events).expect("replay"), stored.facts, "stored as its events replay");
}

// Assignment inside an agency.

/// An officer of urenco named `name`, created at the suite's time; answers the account's id.
async fn urenco_officer_account(store: &dyn Store, username: &str, name: &str) -> i64 {
    let account = NewAccount {
        username: Username::parse(username).expect("username"),
        display_name: PersonName::parse(name).expect("name"),
        role: ActorRole::Officer,
        agency: Some("urenco".into()),
        password_hash: "hash".into(),
    };
    store.create_account(&account, submission(None, 0).received_at).await.expect("account")
}

/// The agency's officers are listed with who heads it, and the holder of each case, projected
/// from its events in the same transaction, finds the officer's own cases in the agency's queue
/// order, searched or not; a case leaving the agency leaves its holder.
pub async fn an_agencys_officers_and_heads_are_listed_and_its_cases_found_by_their_holder(store: &dyn Store) {
    seeded(store).await;
    let xuan = urenco_officer_account(store, "xuan.urenco", "Xuân Cán Bộ").await;
    let an = urenco_officer_account(store, "an.urenco", "An Trưởng Phòng").await;
    let head = RoleAssignment {
        role: ActorRole::Officer,
        agency: Some("urenco".into()),
        areas: Vec::new(),
        agency_head: true,
    };
    store.update_account(an, &head, true, None, submission(None, 1).received_at).await.expect("made head");
    let officers = store.agency_officers("urenco").await.expect("officers");
    assert_eq!(
        officers.iter().map(|o| (o.id, o.agency_head)).collect::<Vec<_>>(),
        vec![(an, true), (xuan, false)],
        "by display name, with the head flag"
    );
    assert!(store.agency_officers("vnpt").await.expect("officers").is_empty(), "another agency's officers");
    assert!(store.account(an).await.expect("read").expect("the head").agency_head);
    let staff = store.staff_accounts().await.expect("staff");
    assert!(staff.iter().any(|a| a.id == an && a.agency_head), "the staff list carries the flag");

    let head =
        Actor { role: ActorRole::Officer, account_id: Some(an), agency: Some("urenco".into()), agency_head: true };
    let mut ids = Vec::new();
    for n in 0..3 {
        let key = format!("key-assign-{n:03}");
        let id = store.create_case(&parse(&input(&key)), &submission(Some("dong-hoi"), n)).await.expect("create").id;
        append(store, id, &coordinator(), accepted(5000 + n), 10).await.expect("accept");
        ids.push(id);
    }
    append(store, ids[0], &head, Change::Assigned { account_id: xuan }, 20).await.expect("assign");
    append(store, ids[1], &head, Change::Assigned { account_id: an }, 21).await.expect("take");
    let held = |assignee| StaffQueue::Held { agency: "urenco".into(), assignee };
    let queued = |queue: StaffQueue, words: Vec<String>| async move {
        store.search_queue_page(&queue, &words, None, 10).await.expect("queue").iter().map(|c| c.id).collect::<Vec<_>>()
    };
    assert_eq!(queued(held(xuan), Vec::new()).await, vec![ids[0]]);
    assert_eq!(queued(held(an), Vec::new()).await, vec![ids[1]]);
    assert_eq!(queued(StaffQueue::Agency { agency: "urenco".into() }, Vec::new()).await, ids, "the whole agency's");
    assert_eq!(queued(StaffQueue::Held { agency: "vnpt".into(), assignee: xuan }, Vec::new()).await, Vec::<i64>::new());

    append(store, ids[0], &head, Change::Assigned { account_id: an }, 30).await.expect("reassign");
    assert_eq!(queued(held(xuan), Vec::new()).await, Vec::<i64>::new(), "reassigned away");
    assert_eq!(queued(held(an), Vec::new()).await, vec![ids[0], ids[1]], "earliest deadline first");
    let first = store.queue_page(&held(an), None, 1).await.expect("page");
    let next = store.queue_page(&held(an), Some(held(an).cursor_after(&first[0])), 1).await.expect("page");
    assert_eq!(next.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[1]], "pages follow the queue's order");
    store.index_cases_for_search(Some(0), 100).await.expect("index");
    let rac = vec!["rac".to_string()];
    assert_eq!(queued(held(an), rac.clone()).await, vec![ids[0], ids[1]], "searched, the holder still counts");
    assert_eq!(queued(held(xuan), rac).await, Vec::<i64>::new());

    let facts = append(store, ids[1], &head, Change::Returned { reason: "Không thuộc đơn vị.".into() }, 40)
        .await
        .expect("returned");
    assert_eq!(facts.assignee, None);
    assert_eq!(queued(held(an), Vec::new()).await, vec![ids[0]], "a returned case leaves its holder");
    let cases = store.list_cases(&CaseQuery::InStatus(CaseStatus::ALL.to_vec()), 1000).await.expect("list");
    for case in cases.iter().filter(|case| ids.contains(&case.id)) {
        let events = store.case_events(case.id).await.expect("events");
        assert_eq!(
            CaseFacts::from_events(&events).expect("replay"),
            case.facts,
            "case {}: stored as replayed",
            case.id
        );
    }
}

/// An assignment, internal as it is, is found for its message on its own channel until that
/// message is claimed, once; the time an account last read its notices is kept.
pub async fn assignments_are_told_once_and_an_accounts_reading_of_its_notices_is_kept(store: &dyn Store) {
    seeded(store).await;
    let xuan = urenco_officer_account(store, "xuan.urenco", "Xuân Cán Bộ").await;
    let id = store
        .create_case(&parse(&input("key-assign-mail")), &submission(Some("dong-hoi"), 0))
        .await
        .expect("create")
        .id;
    append(store, id, &coordinator(), accepted(5000), 3).await.expect("accept");
    let taker = Actor { account_id: Some(xuan), ..urenco_officer() };
    append(store, id, &taker, Change::Assigned { account_id: xuan }, 4).await.expect("take");
    let at = submission(None, 5).received_at;
    let unsettled = |kind: ChangeKind, now: DateTime<Utc>| async move {
        let found = store.unsettled_notices_of_kind(kind, "assignee", submission(None, -1).received_at, now, 10).await;
        found.expect("unsettled").iter().map(|(case, e)| (*case, e.seq, e.public)).collect::<Vec<_>>()
    };
    assert_eq!(unsettled(ChangeKind::Assigned, at).await, vec![(id, 3, false)], "internal events of the kind");
    assert_eq!(unsettled(ChangeKind::Accepted, at).await, vec![(id, 2, true)], "public ones too, by kind");
    let public = store.unsettled_notices("assignee", submission(None, -1).received_at, at, 10).await.expect("read");
    assert_eq!(public.len(), 2, "the public steps' reading leaves the assignment out");
    assert_eq!(store.claim_notice(id, 3, "assignee", at).await.expect("claim"), Some(0));
    assert_eq!(store.claim_notice(id, 3, "assignee", at).await.expect("claim again"), None, "claimed once");
    assert_eq!(unsettled(ChangeKind::Assigned, at).await, Vec::new(), "a claimed message is no longer unsettled");
    let retry = at + Duration::minutes(10);
    store.settle_notice(id, 3, "assignee", NoticeOutcome::Failed { retry_at: Some(retry) }).await.expect("failed");
    assert_eq!(unsettled(ChangeKind::Assigned, at).await, Vec::new(), "not due yet");
    assert_eq!(unsettled(ChangeKind::Assigned, retry).await, vec![(id, 3, false)], "due again");

    assert_eq!(store.notices_read_at(xuan).await.expect("read"), None, "never read");
    store.mark_notices_read(xuan, at).await.expect("mark");
    assert_eq!(store.notices_read_at(xuan).await.expect("read"), Some(at));
    assert_eq!(store.notices_read_at(xuan + 1000).await.expect("read"), None, "no such account");
}

// Staff digests and escalation mail.
#[path = "staff_mail.rs"]
mod staff_mail;
pub use staff_mail::*;

// Push notices.
#[path = "push.rs"]
mod push;
pub use push::*;

// The case index's snapshot.
#[path = "case_index.rs"]
mod case_index;
pub use case_index::*;
