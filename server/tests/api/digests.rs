//! Staff mail through the test relay, at the hours a clock set by the test gives the server's jobs: each agency's daily digest to its officers with a verified address, the leaders' weekly summary with the statistics' own figures, each escalation step to the staff it tells; once, however many servers.

use crate::helpers::{password_hash, spawn_app_configured, TestApp};
use crate::relay::{fake_relay, Received};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use domain::account::{NewAccount, Username};
use domain::case::{ActorRole, Channel};
use domain::catalogue::CatalogueEdit;
use domain::contact::{Email, PersonName};
use domain::deadline::{province_offset, shipped_calendar, HolidayCalendar};
use domain::digest::{at_hour, daily_digest_due};
use domain::escalation::{step_time, EscalationRules, EscalationStep};
use domain::new_case::{NewCase, NewCaseInput};
use domain::profile::{ProfileEdit, ProfileInput};
use domain::statistics::Statistics;
use domain::workflow::{Actor, Change, ChangeKind, RatedVia, Rating};
use hientruong::clock::Clock;
use hientruong::staff_mail::DIGEST_HEADINGS;
use hientruong::storage::postgres::PgStore;
use hientruong::{Application, Settings};
use serde_json::json;
use services::account_links::{LinkPurpose, NewLink};
use services::changes::{apply_change, ChangeError};
use services::store::{CaseSecrets, Store, Submission};
use std::sync::{Arc, Mutex};

/// The site's public address in the tests' messages.
const SITE: &str = "http://phananh.example.vn";

type Inbox = Arc<Mutex<Vec<Received>>>;

/// A server mailing through a relay of its own, its jobs going by a clock the test sets.
struct MailingApp {
    app: TestApp,
    inbox: Inbox,
    relay_port: u16,
    clock: Clock,
}

fn mailing(settings: &mut Settings, relay_port: u16, clock: &Clock) {
    settings.smtp_url = Some(format!("smtp://127.0.0.1:{relay_port}").into());
    settings.mail_from = "Phản ánh hiện trường <no-reply@example.vn>".into();
    settings.public_url = SITE.into();
    settings.job_interval = std::time::Duration::from_millis(100);
    settings.clock = clock.clone();
}

/// Starts the app with its jobs' clock standing at `at`.
async fn mailing_app(at: DateTime<Utc>) -> MailingApp {
    let (relay_port, inbox) = fake_relay().await;
    let clock = Clock::manual(at);
    let app = spawn_app_configured(|settings| mailing(settings, relay_port, &clock)).await;
    MailingApp { app, inbox, relay_port, clock }
}

impl MailingApp {
    /// Starts a second server on the same database and relay, its jobs going by a clock at `at`.
    async fn second_server(&self, at: DateTime<Utc>) {
        let mut settings =
            Settings { media_dir: self.app.media_dir.clone(), ..Settings::local(&self.app.database_url) };
        mailing(&mut settings, self.relay_port, &Clock::manual(at));
        let application = Application::build(settings).await.expect("the second server builds");
        tokio::spawn(application.run());
    }

    /// Waits up to ten seconds for `count` messages that `wanted` picks, then long enough for
    /// several more passes of the jobs to send any that should not come; answers those it picks.
    async fn mail(&self, count: usize, wanted: impl Fn(&Received) -> bool) -> Vec<Received> {
        let picked = || {
            let inbox = self.inbox.lock().map(|i| i.clone()).unwrap_or_default();
            inbox.into_iter().filter(|m| wanted(m)).collect::<Vec<Received>>()
        };
        for _ in 0..100 {
            if picked().len() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        picked()
    }

    /// A staff account (of `agency`, bound to `areas`) signed in, which sets its own e-mail address
    /// on the account page and, when `verify`, opens the link mailed to it; answers its id.
    async fn staff(&self, username: &str, role: ActorRole, agency: Option<&str>, areas: &[&str], verify: bool) -> i64 {
        let account = NewAccount {
            username: Username::parse(username).expect("username"),
            display_name: PersonName::parse(&format!("Cán bộ {username}")).expect("name"),
            role,
            agency: agency.map(str::to_string),
            password_hash: password_hash(),
        };
        let areas: Vec<String> = areas.iter().map(|a| a.to_string()).collect();
        let store = self.app.store().await;
        let id = store.invite_account(&account, &areas, None, None, Utc::now()).await.expect("account");
        let cookie = self.app.sign_in(username).await;
        let email = address(username);
        let input = json!({ "input": { "display_name": "", "email": email, "phone": "" } });
        let saved = self.app.post_json("/api/my/update_profile", &cookie, &input).await;
        assert_eq!(
            saved.status().as_u16(),
            200,
            "{username} sets an address: {}",
            saved.text().await.unwrap_or_default()
        );
        if verify {
            let letter = self.mail(1, |m| m.recipients == [email.clone()]).await;
            let body = letter.first().expect("a confirmation").body();
            let prefix = format!("{SITE}/verify-email/");
            let start = body.find(&prefix).expect("a confirmation link") + prefix.len();
            let token: String = body[start..].chars().take_while(char::is_ascii_hexdigit).collect();
            let opened = self.app.post_json("/api/verify_email", "", &json!({ "token": token })).await;
            assert_eq!(opened.status().as_u16(), 200, "{username} confirms the address");
        }
        id
    }

    /// The messages to `username`'s address whose body holds `marker`.
    fn to(&self, username: &str, marker: &str) -> Vec<String> {
        let email = address(username);
        let inbox = self.inbox.lock().map(|i| i.clone()).unwrap_or_default();
        inbox
            .iter()
            .filter(|m| m.recipients == [email.clone()])
            .map(Received::body)
            .filter(|b| b.contains(marker))
            .collect()
    }
}

fn address(username: &str) -> String {
    format!("{username}@example.vn")
}

/// What marks each kind of staff mail's body.
const DAILY: &str = "Tổng hợp phản ánh của";
const WEEKLY: &str = "Kết quả xử lý các phản ánh tiếp nhận trong tuần";
const STEP: &str = "Xem và xử lý:";

/// Stores a report received an hour before `routed_at`, in Đồng Hới, and routes it to `agency`
/// then with `deadline`; answers its number.
async fn routed(store: &dyn Store, key: &str, agency: &str, routed_at: DateTime<Utc>, deadline: DateTime<Utc>) -> i64 {
    routed_received(store, key, agency, routed_at - Duration::hours(1), routed_at, deadline).await
}

async fn routed_received(
    store: &dyn Store,
    key: &str,
    agency: &str,
    received_at: DateTime<Utc>,
    routed_at: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> i64 {
    let input = NewCaseInput {
        submission_key: key.into(),
        category: "environment".into(),
        title: format!("Rác thải đổ trộm {key}"),
        description: "Đống rác lớn bị đổ trộm bên đường, bốc mùi hôi.".into(),
        lat: Some(17.4689),
        lon: Some(106.6222),
        ..NewCaseInput::default()
    };
    let submission = Submission {
        channel: Channel::Web,
        actor_role: ActorRole::Anonymous,
        actor_account: None,
        area_code: Some("dong-hoi".into()),
        received_at,
        terms: None,
        secrets: CaseSecrets::default(),
    };
    let case = NewCase::parse(&input, &store.categories().await.expect("categories")).expect("a valid report");
    let id = store.create_case(&case, &submission).await.expect("stored").id;
    let accept = Change::Accepted { agency: agency.into(), deadline };
    apply_change(store, id, 1, &Actor::new(ActorRole::Coordinator), accept, routed_at).await.expect("routed");
    id
}

/// The officer of `agency` takes the case up and submits a result at `at`.
async fn result_in(store: &dyn Store, id: i64, agency: &str, at: DateTime<Utc>) {
    let officer = Actor { role: ActorRole::Officer, account_id: None, agency: Some(agency.into()), agency_head: false };
    apply_current(store, id, &officer, Change::Acknowledged, at).await;
    let result = Change::ResultSubmitted { summary: "Đã dọn sạch.".into(), photos: Vec::new() };
    apply_current(store, id, &officer, result, at).await;
}

/// Applies `change` at the version the case has now: the server's escalation job, whose clock is
/// days ahead, may step a case past its deadline between the test's own steps.
async fn apply_current(store: &dyn Store, id: i64, actor: &Actor, change: Change, at: DateTime<Utc>) {
    let mut version = 0;
    for _ in 0..10 {
        match apply_change(store, id, version, actor, change.clone(), at).await {
            Ok(_) => return,
            Err(ChangeError::Conflict(fresh)) => version = fresh.version,
            Err(other) => panic!("{change:?} refused: {other:?}"),
        }
    }
    panic!("case {id} kept changing under {change:?}");
}

/// The case numbers under each of a daily digest's headings.
fn digest_lists(body: &str) -> Vec<Vec<i64>> {
    let mut lists = vec![Vec::new(); DIGEST_HEADINGS.len()];
    let mut current = None;
    for line in body.lines() {
        if let Some(at) = DIGEST_HEADINGS.iter().position(|heading| line.starts_with(&format!("{heading}:"))) {
            current = Some(at);
        } else if !line.starts_with(' ') {
            current = None;
        } else if let (Some(at), Some(number)) = (current, line.trim_start().strip_prefix('#')) {
            let number = number.split(' ').next().and_then(|n| n.parse().ok()).expect("a case number");
            lists[at].push(number);
        }
    }
    lists
}

/// The first working day whose digest hour (7:00) is still to come at `now`.
fn next_digest_day(now: DateTime<Utc>, calendar: &HolidayCalendar) -> NaiveDate {
    let mut day = now.with_timezone(&province_offset()).date_naive();
    while !(calendar.is_working_day(day) && at_hour(day, 7) > now) {
        day = day.succ_opt().expect("a next day");
    }
    day
}

#[tokio::test]
async fn at_the_hour_each_agencys_officers_get_one_digest_of_its_new_near_and_overdue_cases() {
    let calendar = shipped_calendar();
    let now = Utc::now();
    let day = next_digest_day(now, &calendar);
    let digest = daily_digest_due(at_hour(day, 7), &calendar, 7).expect("due at its hour");
    let server = mailing_app(digest.at - Duration::minutes(1)).await;
    server.staff("xuly.urenco.a", ActorRole::Officer, Some("urenco"), &[], true).await;
    server.staff("xuly.urenco.b", ActorRole::Officer, Some("urenco"), &[], false).await;
    server.staff("xuly.vnpt.a", ActorRole::Officer, Some("vnpt"), &[], true).await;
    server.staff("xuly.viettel.a", ActorRole::Officer, Some("viettel"), &[], true).await;
    server.staff("dieuphoi.a", ActorRole::Coordinator, None, &[], true).await;

    let store = server.app.store().await;
    let (at, before) = (digest.at, digest.routed_since - Duration::hours(1));
    let new = routed(&store, "key-digest-new", "urenco", now, at + Duration::days(10)).await;
    let new_and_near = routed(&store, "key-digest-near", "urenco", now, digest.near_until - Duration::seconds(1)).await;
    let overdue = routed(&store, "key-digest-overdue", "urenco", before, digest.routed_since).await;
    let in_review = routed(&store, "key-digest-review", "urenco", before, digest.routed_since).await;
    result_in(&store, in_review, "urenco", before + Duration::minutes(5)).await;
    let _older = routed(&store, "key-digest-older", "urenco", before, at + Duration::days(10)).await;
    let vnpt = routed(&store, "key-digest-vnpt", "vnpt", before, digest.routed_since).await;

    // A minute before the hour: no digest.
    let early = server.mail(0, |m| m.body().contains(DAILY)).await;
    assert!(early.is_empty(), "nothing before the hour: {early:?}");

    server.clock.set(at);
    let digests = server.mail(2, |m| m.body().contains(DAILY)).await;
    assert_eq!(
        digests.len(),
        2,
        "one for each agency with cases, to each officer with a verified address: {digests:?}"
    );
    let urenco = server.to("xuly.urenco.a", DAILY);
    assert_eq!(urenco.len(), 1, "{urenco:?}");
    assert_eq!(
        digest_lists(&urenco[0]),
        vec![vec![new, new_and_near], vec![new_and_near], vec![overdue]],
        "new, near the deadline, overdue: {}",
        urenco[0]
    );
    assert!(
        urenco[0].contains(&format!("{SITE}/staff/cases/{overdue}")),
        "a link to the staff's case page: {}",
        urenco[0]
    );
    let other = server.to("xuly.vnpt.a", DAILY);
    assert_eq!(other.len(), 1, "{other:?}");
    assert_eq!(digest_lists(&other[0]), vec![vec![], vec![], vec![vnpt]], "its own cases only: {}", other[0]);
    for nobody in ["xuly.urenco.b", "xuly.viettel.a", "dieuphoi.a"] {
        assert!(server.to(nobody, DAILY).is_empty(), "{nobody}: unverified, nothing to tell, or not an officer");
    }

    // A later pass and a second server on the same database send nothing more that day.
    server.second_server(at + Duration::hours(1)).await;
    let after = server.mail(0, |m| m.body().contains(DAILY)).await;
    assert_eq!(after.len(), 2, "still one each: {after:?}");
}

/// The figures a weekly summary gives `code`, in the order of an agency row of the statistics:
/// received, handled, on time, late, overdue now, then the satisfied, acceptable and unsatisfied ratings.
fn summary_figures(body: &str, code: &str) -> Vec<u64> {
    let lines: Vec<&str> = body.lines().collect();
    let at = lines.iter().position(|line| line.ends_with(&format!("({code})"))).expect("the agency's block");
    let block = format!("{} {}", lines[at + 1], lines[at + 2]);
    [
        "Tiếp nhận: ",
        "Đã xử lý: ",
        "Đúng hạn: ",
        "Trễ hạn: ",
        "Đang quá hạn: ",
        "Hài lòng ",
        "Chấp nhận ",
        "Không hài lòng ",
    ]
    .iter()
    .map(|label| {
        let start = block.find(label).unwrap_or_else(|| panic!("{label} in {block}")) + label.len();
        block[start..].split(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{label}: {block}"))
    })
    .collect()
}

#[tokio::test]
async fn on_monday_each_leader_gets_the_weeks_figures_by_agency_as_the_statistics_give_them() {
    let now = Utc::now();
    let today = now.with_timezone(&province_offset()).date_naive();
    let mut monday = today.succ_opt().expect("tomorrow");
    while monday.weekday() != Weekday::Mon {
        monday = monday.succ_opt().expect("a next day");
    }
    let server = mailing_app(at_hour(monday, 7) - Duration::hours(19)).await;
    server.staff("lanhdao.a", ActorRole::Leader, None, &[], true).await;
    server.staff("lanhdao.b", ActorRole::Leader, None, &[], false).await;

    // This week: one case handled on time and rated satisfied, one still open, both of URENCO; one
    // of VNPT's handled late and rated unsatisfied.
    let store = server.app.store().await;
    let on_time = routed_received(&store, "key-week-1", "urenco", now, now, now + Duration::days(10)).await;
    result_in(&store, on_time, "urenco", now + Duration::minutes(2)).await;
    let late = routed_received(&store, "key-week-2", "vnpt", now, now, now + Duration::minutes(1)).await;
    result_in(&store, late, "vnpt", now + Duration::minutes(5)).await;
    for (id, rating) in [(on_time, Rating::Satisfied), (late, Rating::Unsatisfied)] {
        let coordinator = Actor::new(ActorRole::Coordinator);
        apply_current(&store, id, &coordinator, Change::ResultApproved { published: None }, now).await;
        let rated = Change::Rated { rating, comment: None, via: RatedVia::Receipt };
        apply_current(&store, id, &Actor::new(ActorRole::Anonymous), rated, now).await;
    }
    routed_received(&store, "key-week-3", "urenco", now, now, now + Duration::days(10)).await;

    // Tuesday is too late for Monday's summary; a server that starts on Monday after the hour sends it.
    server.clock.set(at_hour(monday, 9) + Duration::days(1));
    assert!(server.mail(0, |m| m.body().contains(WEEKLY)).await.is_empty(), "not the day after");
    server.clock.set(at_hour(monday, 10));
    let sent = server.mail(1, |m| m.body().contains(WEEKLY)).await;
    assert_eq!(sent.len(), 1, "one summary, to the leader with a verified address: {sent:?}");
    assert_eq!(sent[0].recipients, [address("lanhdao.a")]);
    let body = sent[0].body();

    let (from, to) = (monday - Duration::days(7), monday - Duration::days(1));
    let figures: Statistics = server.app.get_ok(&format!("/api/v1/stats?from={from}&to={to}"), "").await;
    assert_eq!(figures.by_agency.len(), 2, "{figures:?}");
    for row in &figures.by_agency {
        let ratings = row.ratings;
        assert_eq!(
            summary_figures(&body, &row.code),
            vec![
                row.received,
                row.handled,
                row.on_time,
                row.late,
                row.overdue_now,
                ratings.satisfied,
                ratings.acceptable,
                ratings.unsatisfied
            ],
            "{}: {body}",
            row.code
        );
    }
    assert!(body.contains("1. ") && body.find("(vnpt)") < body.find("(urenco)"), "the laggard first: {body}");
    assert!(body.contains(&format!("{SITE}/stats?from={from}&to={to}")), "{body}");

    server.second_server(at_hour(monday, 11)).await;
    assert_eq!(server.mail(0, |m| m.body().contains(WEEKLY)).await.len(), 1, "once, however many servers");
}

/// The steps of the ladder whose mail `bodies` hold.
fn steps_told(bodies: &[String]) -> Vec<EscalationStep> {
    let mut steps: Vec<EscalationStep> = bodies
        .iter()
        .map(|body| {
            if body.contains("sắp đến hạn xử lý") {
                EscalationStep::Reminder
            } else if body.contains("đã quá hạn xử lý") {
                EscalationStep::Overdue
            } else {
                assert!(body.contains("vẫn chưa có kết quả"), "{body}");
                EscalationStep::Leader
            }
        })
        .collect();
    steps.sort();
    steps
}

#[tokio::test]
async fn each_escalation_step_is_mailed_once_to_the_staff_it_tells() {
    let calendar = shipped_calendar();
    let rules = EscalationRules::default();
    let now = Utc::now();
    let deadline = calendar.deadline(now, 3);
    let reminder = step_time(deadline, EscalationStep::Reminder, &calendar, &rules);
    let leader = step_time(deadline, EscalationStep::Leader, &calendar, &rules);
    let server = mailing_app(reminder - Duration::days(1)).await;
    let store = server.app.store().await;
    let other_area = domain::geo::Area {
        code: "bo-trach".into(),
        name: "Huyện Bố Trạch".into(),
        ..store.areas().await.expect("areas").into_iter().next().expect("the pilot area")
    };
    store.apply_catalogue_edits(&[CatalogueEdit::ImportArea { area: other_area }], None, now).await.expect("an area");
    server.staff("xuly.urenco.c", ActorRole::Officer, Some("urenco"), &[], true).await;
    server.staff("xuly.vnpt.c", ActorRole::Officer, Some("vnpt"), &[], true).await;
    server.staff("dieuphoi.tinh", ActorRole::Coordinator, None, &[], true).await;
    server.staff("dieuphoi.donghoi", ActorRole::Coordinator, None, &["dong-hoi"], true).await;
    server.staff("dieuphoi.botrach", ActorRole::Coordinator, None, &["bo-trach"], true).await;
    server.staff("lanhdao.c", ActorRole::Leader, None, &[], true).await;
    let officer = server.app.sign_in("xuly.urenco.c").await;
    let id = routed(&store, "key-escalation-mail", "urenco", now, deadline).await;

    // A week on, every step of the ladder has come.
    server.clock.set(leader + Duration::minutes(1));
    let steps = server.mail(5, |m| m.body().contains(STEP)).await;
    assert_eq!(steps.len(), 5, "{steps:?}");
    assert!(steps.iter().all(|m| m.body().contains(&format!("{SITE}/staff/cases/{id}"))));
    let told = |username: &str| steps_told(&server.to(username, STEP));
    use EscalationStep::{Leader, Overdue, Reminder};
    assert_eq!(told("xuly.urenco.c"), vec![Reminder, Overdue], "the agency: its reminder and its overdue");
    assert_eq!(told("dieuphoi.tinh"), vec![Overdue], "a coordinator of the whole province: the overdue");
    assert_eq!(told("dieuphoi.donghoi"), vec![Overdue], "the coordinator of the case's area: the overdue");
    assert_eq!(told("lanhdao.c"), vec![Leader], "the leader: the last step");
    assert!(told("xuly.vnpt.c").is_empty(), "another agency: nothing");
    assert!(told("dieuphoi.botrach").is_empty(), "a coordinator of another area: nothing");
    let in_app = server.app.my_notices(&officer).await;
    let in_app = in_app.iter().filter(|n| n.case_id == id && n.kind == ChangeKind::DeadlineEscalated).count();
    assert_eq!(in_app, 2, "the mail tells what the notices in the app tell");

    server.second_server(leader + Duration::minutes(2)).await;
    assert_eq!(server.mail(0, |m| m.body().contains(STEP)).await.len(), 5, "each once, however many servers");
}

#[path = "../support/postgres.rs"]
mod temporary;

/// A staff account with a verified address `username@example.vn`, made in the store alone.
async fn verified_in_store(store: &dyn Store, username: &str, role: ActorRole, agency: Option<&str>) -> i64 {
    let account = NewAccount {
        username: Username::parse(username).expect("username"),
        display_name: PersonName::parse("Cán Bộ Thử").expect("name"),
        role,
        agency: agency.map(str::to_string),
        password_hash: password_hash(),
    };
    let now = Utc::now();
    let id = store.invite_account(&account, &[], None, None, now).await.expect("account");
    let email = address(username);
    let input = ProfileInput { display_name: "Cán Bộ Thử".into(), email: email.clone(), phone: String::new() };
    store.update_profile(id, &ProfileEdit::parse(&input).expect("details")).await.expect("saved");
    let email = Email::parse(&email).expect("an address");
    let hash = format!("hash-{username}");
    let purpose = LinkPurpose::VerifyEmail;
    let link = NewLink {
        account_id: id,
        purpose,
        token_hash: &hash,
        email: &email,
        issued_at: now,
        expires_at: now + purpose.lifetime(),
    };
    assert!(store.issue_account_link(&link, now).await.expect("issued"));
    store.verify_email_with_link(&hash, now).await.expect("verified");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgresql_database_send_each_digest_and_step_once() {
    let Some(database) = temporary::TemporaryDatabase::create().await else { return };
    let calendar = shipped_calendar();
    let now = Utc::now();
    let digest = daily_digest_due(at_hour(next_digest_day(now, &calendar), 7), &calendar, 7).expect("due");
    let (relay_port, inbox) = fake_relay().await;
    let media = tempfile::tempdir().expect("a media folder");
    let clocks = [Clock::manual(digest.at - Duration::hours(1)), Clock::manual(digest.at - Duration::hours(1))];
    for clock in &clocks {
        let mut settings = Settings { media_dir: media.path().to_path_buf(), ..Settings::local(&database.url) };
        mailing(&mut settings, relay_port, clock);
        let application = Application::build(settings).await.expect("a server builds");
        tokio::spawn(application.run());
    }
    let store = PgStore::open(&database.url, 2).await.expect("open");
    verified_in_store(&store, "xuly.urenco.pg", ActorRole::Officer, Some("urenco")).await;
    verified_in_store(&store, "dieuphoi.pg", ActorRole::Coordinator, None).await;
    let before = digest.routed_since - Duration::hours(1);
    let overdue = routed(&store, "key-pg-overdue", "urenco", before, digest.routed_since).await;
    let new = routed(&store, "key-pg-new", "urenco", now, digest.at + Duration::days(10)).await;

    // Both servers reach the hour together.
    for clock in &clocks {
        clock.set(digest.at);
    }
    let wanted = |m: &Received| m.body().contains(DAILY) || m.body().contains(STEP);
    let mut sent = Vec::new();
    for _ in 0..100 {
        sent = inbox.lock().map(|i| i.iter().filter(|m| wanted(m)).cloned().collect()).unwrap_or_default();
        if sent.len() >= 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let sent: Vec<Received> = inbox.lock().map(|i| i.iter().filter(|m| wanted(m)).cloned().collect()).unwrap_or(sent);
    let officer = address("xuly.urenco.pg");
    let bodies = |to: &str, marker: &str| -> Vec<String> {
        sent.iter()
            .filter(|m| m.recipients == [to.to_string()])
            .map(Received::body)
            .filter(|b| b.contains(marker))
            .collect()
    };
    let digests = bodies(&officer, DAILY);
    assert_eq!(digests.len(), 1, "one digest, whichever server sent it: {sent:?}");
    assert_eq!(digest_lists(&digests[0]), vec![vec![new], vec![], vec![overdue]], "{}", digests[0]);
    assert_eq!(steps_told(&bodies(&officer, STEP)), vec![EscalationStep::Reminder, EscalationStep::Overdue]);
    assert_eq!(steps_told(&bodies(&address("dieuphoi.pg"), STEP)), vec![EscalationStep::Overdue]);
    assert_eq!(sent.len(), 4, "nothing twice: {sent:?}");
}
