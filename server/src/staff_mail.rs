//! E-mail to staff: each step of a deadline's escalation ladder to the staff it tells, each agency's daily digest to its officers, and the weekly summary by agency to the leaders; each claimed in the database first, so several servers send it once.

use crate::notices::{build, send_outcome, Mailer};
use app::i18n::{rating_label, Lang};
use chrono::{DateTime, Duration, Utc};
use domain::alerts::told_of_escalation;
use domain::case::ActorRole;
use domain::catalogue::Agency;
use domain::deadline::{province_offset, HolidayCalendar};
use domain::digest::{
    daily_digest_due, laggards_first, weekly_summary_due, DailyDigest, StaffDigestKind, WeeklySummary,
};
use domain::escalation::EscalationStep;
use domain::statistics::{format_percent, percent, AgencyRow};
use domain::workflow::{Change, Rating};
use services::statistics::{statistics, StatisticsError};
use services::store::{
    AgencyDigest, AgencyDigestQuery, DigestList, EscalationNotice, NoticeOutcome, StaffAddress, Store, StoreError,
};
use services::ServerContext;
use std::collections::hash_map::{Entry, HashMap};

/// The notice channel of an escalation step's mail as a whole: the one server that claims it
/// mails everyone the step tells.
const STEP_CHANNEL: &str = "staff";

/// The notice channel of one person's mail of a step, so that each delivery is settled on its own
/// and a retry never mails again those who got it.
fn person_channel(account_id: i64) -> String {
    format!("staff:{account_id}")
}

/// Escalation steps taken longer ago than this are not mailed: after a long stop a reminder is
/// no longer news. They stay among the staff's notices in the app.
pub const ESCALATION_LOOKBACK: Duration = Duration::days(2);

/// Escalation steps mailed per run; the rest at the next.
const BATCH: u32 = 500;
/// Staff accounts read per run: more than a province employs.
const STAFF: u32 = 10_000;
/// The cases each list of a daily digest names; its total counts them all, and the agency's
/// queue holds the rest.
pub const LISTED: u32 = 50;

const SIGNATURE: &str = "— Hệ thống phản ánh hiện trường tỉnh Quảng Bình";

/// Why a run of the staff's mail stopped; the next run starts over.
#[derive(Debug, thiserror::Error)]
pub enum StaffMailError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Statistics(#[from] StatisticsError),
}

/// Sends the staff's mail due at `now`: the escalation steps of the last [`ESCALATION_LOOKBACK`],
/// the agencies' daily digest of today once `digest_hour` (province time) has struck on a working
/// day, and the leaders' weekly summary on Monday from that hour. A failed send is tried again
/// after `retry_first`, doubling, as the citizens' notices are.
pub async fn deliver(
    context: &ServerContext,
    mailer: &Mailer,
    digest_hour: u32,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StaffMailError> {
    let store = context.store.as_ref();
    let agencies = store.agencies().await?;
    deliver_escalations(store, mailer, &agencies, now, retry_first).await?;
    let calendar = HolidayCalendar::new(store.holidays().await?.into_iter().map(|h| h.date));
    if let Some(digest) = daily_digest_due(now, &calendar, digest_hour) {
        deliver_agency_digests(store, mailer, &agencies, &digest, now, retry_first).await?;
    }
    if let Some(summary) = weekly_summary_due(now, digest_hour) {
        deliver_weekly_summaries(context, mailer, &summary, now, retry_first).await?;
    }
    Ok(())
}

fn agency_name<'a>(agencies: &'a [Agency], code: Option<&'a str>) -> &'a str {
    let code = code.unwrap_or_default();
    agencies.iter().find(|agency| agency.code == code).map_or(code, |agency| agency.name.as_str())
}

/// A day as the province writes it.
fn local_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&province_offset()).format("%d/%m/%Y").to_string()
}

async fn deliver_escalations(
    store: &dyn Store,
    mailer: &Mailer,
    agencies: &[Agency],
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StoreError> {
    let steps = store.unsettled_escalations(STEP_CHANNEL, now - ESCALATION_LOOKBACK, now, BATCH).await?;
    if steps.is_empty() {
        return Ok(());
    }
    let staff = store.staff_addresses(&[ActorRole::Officer, ActorRole::Coordinator, ActorRole::Leader], STAFF).await?;
    for found in steps {
        let (case_id, seq) = (found.case_id, found.event.seq);
        if store.claim_notice(case_id, seq, STEP_CHANNEL, now).await?.is_none() {
            continue;
        }
        let Change::DeadlineEscalated { step, deadline } = &found.event.change else {
            store.settle_notice(case_id, seq, STEP_CHANNEL, NoticeOutcome::Skipped).await?;
            continue;
        };
        let agency = agency_name(agencies, found.agency.as_deref());
        let (subject, body) = escalation_text(&found, *step, *deadline, agency, mailer.public_url());
        let (mut sent, mut retry) = (false, None::<DateTime<Utc>>);
        // The one rule of who is told of a step, as the in-app notices apply it.
        let told = staff.iter().filter(|person| {
            let account = &person.account;
            let (agency, area) = (found.agency.as_deref(), found.area.as_deref());
            told_of_escalation(*step, account.role, account.agency.as_deref(), &account.areas, agency, area)
        });
        for person in told {
            let channel = person_channel(person.account.id);
            let Some(failed_before) = store.claim_notice(case_id, seq, &channel, now).await? else { continue };
            let message = build(mailer, &person.email, subject.clone(), body.clone());
            let what = format!("{} step of case {case_id} to staff {}", step.as_str(), person.account.id);
            let outcome = send_outcome(mailer, message, failed_before, now, retry_first, &what).await;
            match outcome {
                NoticeOutcome::Sent => sent = true,
                NoticeOutcome::Failed { retry_at: Some(at) } => retry = Some(retry.map_or(at, |r| r.max(at))),
                NoticeOutcome::Failed { retry_at: None } | NoticeOutcome::Skipped => {}
            }
            store.settle_notice(case_id, seq, &channel, outcome).await?;
        }
        // A failed send holds the step until the latest retry is due, so that when it is claimed
        // again everyone still to be tried again is due too.
        let outcome = match retry {
            Some(at) => NoticeOutcome::Failed { retry_at: Some(at) },
            None if sent => NoticeOutcome::Sent,
            None => NoticeOutcome::Skipped,
        };
        store.settle_notice(case_id, seq, STEP_CHANNEL, outcome).await?;
    }
    Ok(())
}

/// The subject and body telling of an escalation step.
fn escalation_text(
    found: &EscalationNotice,
    step: EscalationStep,
    deadline: DateTime<Utc>,
    agency: &str,
    public_url: &str,
) -> (String, String) {
    let id = found.case_id;
    let (headline, advice) = match step {
        EscalationStep::Reminder => (
            "Sắp đến hạn xử lý",
            "Phản ánh sắp đến hạn xử lý: hãy gửi kết quả trước hạn, hoặc đề nghị gia hạn nếu cần thêm thời gian."
                .to_string(),
        ),
        EscalationStep::Overdue => ("Đã quá hạn xử lý", "Phản ánh đã quá hạn xử lý mà chưa có kết quả.".to_string()),
        EscalationStep::Leader => (
            "Vẫn quá hạn, cần lãnh đạo chỉ đạo",
            "Phản ánh vẫn chưa có kết quả nhiều ngày làm việc sau hạn xử lý: cần lãnh đạo chỉ đạo.".to_string(),
        ),
    };
    let subject = format!("[Phản ánh #{id}] {headline}");
    let body = format!(
        "Phản ánh #{id}: {title}\nCơ quan xử lý: {agency}\nHạn xử lý: {deadline}\n\n{advice}\n\n\
         Xem và xử lý: {public_url}/staff/cases/{id}\n\n{SIGNATURE}\n",
        title = found.title,
        deadline = local_date(deadline),
    );
    (subject, body)
}

async fn deliver_agency_digests(
    store: &dyn Store,
    mailer: &Mailer,
    agencies: &[Agency],
    digest: &DailyDigest,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StoreError> {
    let kind = StaffDigestKind::AgencyDaily;
    let period = digest.period();
    // Each agency's lists are read once a run, whichever of its officers asks first.
    let mut lists: HashMap<String, AgencyDigest> = HashMap::new();
    for person in store.due_staff_digests(kind, &period, now, STAFF).await? {
        let Some(agency) = person.account.agency.as_deref() else { continue };
        let cases = match lists.entry(agency.to_string()) {
            Entry::Occupied(read) => read.into_mut(),
            Entry::Vacant(unread) => {
                let query = AgencyDigestQuery {
                    agency,
                    routed_since: digest.routed_since,
                    at: digest.at,
                    near_until: digest.near_until,
                    limit: LISTED,
                };
                unread.insert(store.agency_digest(&query).await?)
            }
        };
        let Some(failed_before) = store.claim_staff_digest(kind, person.account.id, &period, now).await? else {
            continue;
        };
        // A day with nothing new, near or overdue sends nothing.
        let message = (!cases.is_empty())
            .then(|| {
                let name = agency_name(agencies, Some(agency));
                let (subject, body) = agency_digest_text(&person, name, digest, cases, mailer.public_url());
                build(mailer, &person.email, subject, body)
            })
            .flatten();
        let what = format!("daily digest {period} of agency {agency} to staff {}", person.account.id);
        let outcome = send_outcome(mailer, message, failed_before, now, retry_first, &what).await;
        store.settle_staff_digest(kind, person.account.id, &period, outcome).await?;
    }
    Ok(())
}

/// The headings of a daily digest's lists, in order.
pub const DIGEST_HEADINGS: [&str; 3] = [
    "Phản ánh mới được chuyển đến",
    "Sắp đến hạn (trong hôm nay hoặc ngày làm việc tiếp theo)",
    "Quá hạn, chưa có kết quả",
];

fn push_list(body: &mut String, heading: &str, list: &DigestList, public_url: &str) {
    body.push_str(&format!("\n{heading}: {}\n", list.total));
    if list.total == 0 {
        body.push_str("  (không có)\n");
        return;
    }
    for case in &list.cases {
        let deadline = case.facts.deadline.map_or_else(|| "–".to_string(), local_date);
        body.push_str(&format!(
            "  #{id} {title} — hạn xử lý {deadline}\n     {public_url}/staff/cases/{id}\n",
            id = case.id,
            title = case.title
        ));
    }
    let more = list.total.saturating_sub(list.cases.len() as u64);
    if more > 0 {
        body.push_str(&format!("  … và {more} phản ánh khác.\n"));
    }
}

/// The subject and body of an agency's daily digest to one of its officers.
fn agency_digest_text(
    to: &StaffAddress,
    agency: &str,
    digest: &DailyDigest,
    cases: &AgencyDigest,
    public_url: &str,
) -> (String, String) {
    let day = digest.day.format("%d/%m/%Y");
    let (new, near, overdue) = (&cases.new, &cases.near, &cases.overdue);
    let subject = format!(
        "[Tổng hợp ngày {day}] {agency}: {} mới, {} sắp đến hạn, {} quá hạn",
        new.total, near.total, overdue.total
    );
    let time = digest.at.with_timezone(&province_offset()).format("%H:%M");
    let mut body =
        format!("Kính gửi {},\n\nTổng hợp phản ánh của {agency} lúc {time} ngày {day}.\n", to.account.display_name);
    for (heading, list) in DIGEST_HEADINGS.iter().zip([new, near, overdue]) {
        push_list(&mut body, heading, list, public_url);
    }
    body.push_str(&format!("\nDanh sách phản ánh của cơ quan: {public_url}/staff/agency\n\n{SIGNATURE}\n"));
    (subject, body)
}

async fn deliver_weekly_summaries(
    context: &ServerContext,
    mailer: &Mailer,
    summary: &WeeklySummary,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StaffMailError> {
    let store = context.store.as_ref();
    let kind = StaffDigestKind::LeaderWeekly;
    let period = summary.period();
    let due = store.due_staff_digests(kind, &period, now, STAFF).await?;
    if due.is_empty() {
        return Ok(());
    }
    // The week's figures from the one pass the statistics page and API make, as of the hour.
    let figures = statistics(context, summary.week, None, summary.at).await?;
    let rows = laggards_first(&figures.by_agency);
    for person in due {
        let Some(failed_before) = store.claim_staff_digest(kind, person.account.id, &period, now).await? else {
            continue;
        };
        // A week in which no case was routed sends nothing.
        let message = (!rows.is_empty())
            .then(|| {
                let (subject, body) = weekly_text(&person, summary, &rows, mailer.public_url());
                build(mailer, &person.email, subject, body)
            })
            .flatten();
        let what = format!("weekly summary {period} to staff {}", person.account.id);
        let outcome = send_outcome(mailer, message, failed_before, now, retry_first, &what).await;
        store.settle_staff_digest(kind, person.account.id, &period, outcome).await?;
    }
    Ok(())
}

/// The subject and body of the weekly summary to a leader.
fn weekly_text(to: &StaffAddress, summary: &WeeklySummary, rows: &[&AgencyRow], public_url: &str) -> (String, String) {
    let (from, until) = (summary.week.from.format("%d/%m/%Y"), summary.week.to.format("%d/%m/%Y"));
    let subject = format!("[Tổng hợp tuần {from} – {until}] Kết quả xử lý phản ánh theo cơ quan");
    let mut body = format!(
        "Kính gửi {},\n\nKết quả xử lý các phản ánh tiếp nhận trong tuần từ {from} đến {until}, theo cơ quan xử lý, \
         tính như trang thống kê. Cơ quan có tỉ lệ đúng hạn thấp nhất đứng đầu.\n",
        to.account.display_name
    );
    let label = |rating| rating_label(Lang::Vi, rating);
    for (rank, row) in rows.iter().enumerate() {
        let ratings = row.ratings;
        body.push_str(&format!(
            "\n{rank}. {name} ({code})\n\
             \x20  Tiếp nhận: {received} · Đã xử lý: {handled} · Đúng hạn: {on_time} · Trễ hạn: {late} · \
             Tỉ lệ đúng hạn: {on_time_rate} · Đang quá hạn: {overdue_now}\n\
             \x20  Đánh giá: {satisfied_label} {satisfied} · {acceptable_label} {acceptable} · \
             {unsatisfied_label} {unsatisfied} · Tỉ lệ hài lòng: {satisfaction}\n",
            rank = rank + 1,
            name = row.name,
            code = row.code,
            received = row.received,
            handled = row.handled,
            on_time = row.on_time,
            late = row.late,
            on_time_rate = format_percent(row.on_time_percent()),
            overdue_now = row.overdue_now,
            satisfied_label = label(Rating::Satisfied),
            satisfied = ratings.satisfied,
            acceptable_label = label(Rating::Acceptable),
            acceptable = ratings.acceptable,
            unsatisfied_label = label(Rating::Unsatisfied),
            unsatisfied = ratings.unsatisfied,
            satisfaction = format_percent(percent(ratings.satisfied, ratings.total())),
        ));
    }
    body.push_str(&format!(
        "\nXem chi tiết: {public_url}/stats?from={}&to={}\n\n{SIGNATURE}\n",
        summary.week.from, summary.week.to
    ));
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::account::Account;
    use domain::case::{CaseEvent, CaseStatus, Channel};
    use domain::statistics::{Period, RatingCounts};
    use domain::workflow::{Actor, CaseFacts};
    use services::store::CaseSummary;

    fn at(raw: &str) -> DateTime<Utc> {
        raw.parse().expect("a time")
    }

    fn officer() -> StaffAddress {
        StaffAddress {
            account: Account {
                id: 9,
                username: "xuly.urenco".into(),
                display_name: "Lê Văn Xử".into(),
                role: ActorRole::Officer,
                agency: Some("urenco".into()),
                areas: Vec::new(),
                active: true,
                one_time_password_until: None,
                agency_head: false,
            },
            email: "xu@example.vn".into(),
        }
    }

    fn case(id: i64, deadline: &str) -> CaseSummary {
        let mut facts = CaseFacts::submitted(None);
        let accept = Change::Accepted { agency: "urenco".into(), deadline: at(deadline) };
        let (_, accepted) = facts
            .next_event(&Actor::new(ActorRole::Coordinator), accept, at("2026-12-01T01:00:00Z"))
            .expect("accepted");
        facts = accepted;
        CaseSummary {
            id,
            title: format!("Ổ gà số {id}"),
            category_code: "traffic".into(),
            area_code: Some("dong-hoi".into()),
            channel: Channel::Web,
            lat: 17.47,
            lon: 106.62,
            submitted_at: at("2026-12-01T00:00:00Z"),
            facts,
        }
    }

    #[test]
    fn a_daily_digest_lists_each_case_with_its_deadline_and_staff_link() {
        let digest = DailyDigest {
            day: "2026-12-02".parse().expect("a day"),
            at: at("2026-12-02T00:00:00Z"),
            routed_since: at("2026-12-01T00:00:00Z"),
            near_until: at("2026-12-03T17:00:00Z"),
        };
        let cases = AgencyDigest {
            new: DigestList { cases: vec![case(12, "2026-12-09T16:59:59Z")], total: 1 },
            near: DigestList::default(),
            overdue: DigestList { cases: vec![case(7, "2026-11-30T16:59:59Z")], total: 3 },
        };
        let (subject, body) = agency_digest_text(&officer(), "Công ty Môi trường", &digest, &cases, "https://x");
        assert_eq!(subject, "[Tổng hợp ngày 02/12/2026] Công ty Môi trường: 1 mới, 0 sắp đến hạn, 3 quá hạn");
        assert!(body.starts_with("Kính gửi Lê Văn Xử,"), "{body}");
        assert!(body.contains("lúc 07:00 ngày 02/12/2026"), "{body}");
        assert!(body.contains("  #12 Ổ gà số 12 — hạn xử lý 09/12/2026\n     https://x/staff/cases/12\n"), "{body}");
        assert!(body.contains("Sắp đến hạn (trong hôm nay hoặc ngày làm việc tiếp theo): 0\n  (không có)"), "{body}");
        assert!(body.contains("  #7 Ổ gà số 7 — hạn xử lý 30/11/2026"), "{body}");
        assert!(body.contains("… và 2 phản ánh khác."), "the rest are counted: {body}");
    }

    #[test]
    fn a_step_names_the_case_its_agency_deadline_and_link() {
        let found = EscalationNotice {
            case_id: 12,
            title: "Ổ gà".into(),
            area: Some("dong-hoi".into()),
            agency: Some("urenco".into()),
            event: CaseEvent {
                seq: 3,
                actor_role: ActorRole::System,
                actor_id: None,
                occurred_at: at("2026-12-02T00:00:00Z"),
                from_status: Some(CaseStatus::Assigned),
                to_status: CaseStatus::Assigned,
                public: false,
                change: Change::DeadlineEscalated {
                    step: EscalationStep::Leader,
                    deadline: at("2026-11-30T16:59:59Z"),
                },
            },
        };
        let deadline = at("2026-11-30T16:59:59Z");
        let (subject, body) = escalation_text(&found, EscalationStep::Leader, deadline, "URENCO", "https://x");
        assert_eq!(subject, "[Phản ánh #12] Vẫn quá hạn, cần lãnh đạo chỉ đạo");
        assert!(body.contains("Cơ quan xử lý: URENCO\nHạn xử lý: 30/11/2026"), "{body}");
        assert!(body.contains("cần lãnh đạo chỉ đạo") && body.contains("https://x/staff/cases/12"), "{body}");
        let (subject, _) = escalation_text(&found, EscalationStep::Reminder, deadline, "URENCO", "https://x");
        assert_eq!(subject, "[Phản ánh #12] Sắp đến hạn xử lý");
    }

    #[test]
    fn the_weekly_summary_gives_each_agencys_figures_laggards_first() {
        let summary = WeeklySummary {
            monday: "2026-12-07".parse().expect("a day"),
            at: at("2026-12-07T00:00:00Z"),
            week: Period { from: "2026-11-30".parse().expect("a day"), to: "2026-12-06".parse().expect("a day") },
        };
        let row = |code: &str, handled, on_time| AgencyRow {
            code: code.into(),
            name: code.to_uppercase(),
            received: 4,
            handled,
            on_time,
            late: handled - on_time,
            overdue_now: 1,
            ratings: RatingCounts { satisfied: 1, acceptable: 0, unsatisfied: 1 },
        };
        let rows = [row("vnpt", 2, 2), row("urenco", 3, 1)];
        let mut leader = officer();
        leader.account.display_name = "Trần Lãnh Đạo".into();
        let (subject, body) = weekly_text(&leader, &summary, &laggards_first(&rows), "https://x");
        assert_eq!(subject, "[Tổng hợp tuần 30/11/2026 – 06/12/2026] Kết quả xử lý phản ánh theo cơ quan");
        let urenco = body.find("1. URENCO (urenco)").expect("the laggard first");
        let vnpt = body.find("2. VNPT (vnpt)").expect("then the others");
        assert!(urenco < vnpt);
        assert!(
            body.contains("Tiếp nhận: 4 · Đã xử lý: 3 · Đúng hạn: 1 · Trễ hạn: 2 · Tỉ lệ đúng hạn: 33.3%"),
            "{body}"
        );
        assert!(body.contains("Tỉ lệ hài lòng: 50.0%"), "{body}");
        assert!(body.contains("https://x/stats?from=2026-11-30&to=2026-12-06"), "{body}");
    }
}
