//! The escalation ladder with a moving clock and two servers on one PostgreSQL database: a case
//! routed with a three-working-day deadline across the 30 April holidays and a weekend is
//! reminded, marked overdue and taken to the leader on the right working days, each once.

#[path = "support/postgres.rs"]
mod temporary;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::case::{ActorRole, Channel};
use domain::deadline::{province_offset, shipped_calendar};
use domain::escalation::{EscalationRules, EscalationStep};
use domain::new_case::{NewCase, NewCaseInput};
use domain::workflow::{Actor, Change};
use hientruong::storage::postgres::PgStore;
use hientruong::{Application, Settings};
use services::store::{CaseSecrets, Store, Submission};
use temporary::TemporaryDatabase;

fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    province_offset().with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("a time").with_timezone(&Utc)
}

fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&province_offset()).date_naive()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_take_each_step_of_the_ladder_once_on_its_working_day() {
    let Some(database) = TemporaryDatabase::create().await else { return };
    // Building the application migrates the database and seeds the catalogue; its jobs, which run
    // on the real clock, are never started.
    drop(Application::build(Settings::local(&database.url)).await.expect("builds"));
    let (one, other) =
        (PgStore::open(&database.url, 4).await.expect("open"), PgStore::open(&database.url, 4).await.expect("open"));

    let routed = local(2026, 4, 29, 10);
    let categories = one.categories().await.expect("categories");
    let input = NewCaseInput {
        submission_key: "key-escalation-01".into(),
        category: "environment".into(),
        title: "Rác thải đổ trộm ven đường".into(),
        description: "Đống rác lớn bị đổ trộm bên đường, bốc mùi hôi.".into(),
        lat: Some(17.4689),
        lon: Some(106.6222),
        reporter_name: String::new(),
        reporter_phone: String::new(),
        reporter_email: String::new(),
        address: String::new(),
        photos: Vec::new(),
    };
    let submission = Submission {
        channel: Channel::Web,
        actor_role: ActorRole::Anonymous,
        actor_account: None,
        area_code: None,
        received_at: routed - Duration::hours(1),
        terms: None,
        secrets: CaseSecrets::default(),
    };
    let case = NewCase::parse(&input, &categories).expect("a valid report");
    let id = one.create_case(&case, &submission).await.expect("stored").id;
    let deadline = shipped_calendar().deadline(routed, 3);
    assert_eq!(local_day(deadline), NaiveDate::from_ymd_opt(2026, 5, 6).expect("date"), "Mon 4, Tue 5, Wed 6 May");
    let accept = Change::Accepted { agency: "urenco".into(), deadline };
    services::changes::apply_change(&one, id, 1, &Actor::new(ActorRole::Coordinator), accept, routed)
        .await
        .expect("routed");

    // The clock moves on an hour at a time for two weeks; both servers run the job at each hour.
    let rules = EscalationRules::default();
    let mut now = routed;
    while now < local(2026, 5, 13, 0) {
        now += Duration::hours(1);
        let (a, b) = tokio::join!(
            services::escalation::escalate_due(&one, &rules, now),
            services::escalation::escalate_due(&other, &rules, now)
        );
        a.expect("one server's run");
        b.expect("the other's run");
    }

    let taken: Vec<(EscalationStep, DateTime<Utc>)> = one
        .case_events(id)
        .await
        .expect("events")
        .into_iter()
        .filter_map(|event| match event.change {
            Change::DeadlineEscalated { step, deadline: of } => {
                assert_eq!(of, deadline, "the deadline in force");
                assert!(!event.public, "an internal step");
                Some((step, event.occurred_at))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        taken,
        vec![
            // Tuesday 5 May, the working day before the deadline, at the start of office hours.
            (EscalationStep::Reminder, local(2026, 5, 5, 7)),
            // The first hour after the deadline's end.
            (EscalationStep::Overdue, local(2026, 5, 7, 0)),
            // Friday 8 May, two working days after the deadline's day.
            (EscalationStep::Leader, local(2026, 5, 8, 7)),
        ],
        "each step once, on its working day"
    );
    let facts = domain::workflow::CaseFacts::from_events(&one.case_events(id).await.expect("events")).expect("replays");
    assert_eq!(facts.escalation_in_force(), Some(EscalationStep::Leader));
    assert!(
        one.cases_to_escalate(routed, local(2026, 6, 1, 0), 10).await.expect("read").is_empty(),
        "nothing left to do"
    );
}
