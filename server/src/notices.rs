//! E-mail notices to reporters at each public step of their case and to officers given a case, and the mailer that carries every message the site sends, when an SMTP relay is configured.

use app::i18n::{status_label, Lang};
use chrono::{DateTime, Duration, Utc};
use domain::alerts::tells_followers;
use domain::case::{CaseEvent, CaseStatus};
use domain::workflow::{Change, ChangeKind};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use services::store::{AlertMatch, FollowerNotice, NoticeOutcome, Store, StoreError};

const CHANNEL: &str = "email";
const BATCH: u32 = 500;

/// Where and how notices are sent.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The site's public address, for links in the messages.
    public_url: String,
}

impl Mailer {
    /// A mailer for an `smtp://[user:password@]host[:port]` relay (plain SMTP, as a data centre's
    /// internal relay speaks it).
    pub fn new(smtp_url: &str, from: &str, public_url: &str) -> anyhow::Result<Self> {
        let Some(rest) = smtp_url.strip_prefix("smtp://") else {
            anyhow::bail!("the SMTP URL must look like smtp://[user:password@]host[:port]")
        };
        let (credentials, address) = match rest.trim_end_matches('/').rsplit_once('@') {
            Some((credentials, address)) => (Some(credentials), address),
            None => (None, rest.trim_end_matches('/')),
        };
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| anyhow::anyhow!("bad SMTP port {port:?}"))?),
            None => (address, 25),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
        if let Some(credentials) = credentials {
            let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
            builder = builder.credentials(Credentials::new(user.to_string(), password.to_string()));
        }
        Ok(Self {
            transport: builder.build(),
            from: from.parse()?,
            public_url: public_url.trim_end_matches('/').to_string(),
        })
    }

    /// The site's public address, without a trailing slash: where the links in messages lead.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// A plain-text message from the site to `to`.
    pub fn plain_message(&self, to: &str, subject: String, body: String) -> Result<Message, String> {
        let to = to.parse::<Mailbox>().map_err(|e| e.to_string())?;
        // 8-bit keeps Vietnamese readable on the wire; relays without 8BITMIME are rare. A body
        // with a line over 76 bytes (a long link) goes quoted-printable.
        let body = Body::new_with_encoding(body, ContentTransferEncoding::EightBit)
            .or_else(|raw| Body::new_with_encoding(raw, ContentTransferEncoding::QuotedPrintable))
            .map_err(|_| "the body cannot be encoded".to_string())?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())
    }

    /// Hands `message` to the relay.
    pub async fn send(&self, message: Message) -> Result<(), lettre::transport::smtp::Error> {
        self.transport.send(message).await.map(|_| ())
    }
}

fn message_text(case_id: i64, title: &str, status: CaseStatus, note: Option<&str>, link: &str) -> (String, String) {
    let label = status_label(Lang::Vi, status);
    let subject = format!("[Phản ánh #{case_id}] {label}");
    let mut body = format!("Phản ánh #{case_id}: {title}\nTrạng thái mới: {label}\n");
    if let Some(note) = note {
        body.push_str(&format!("\n{note}\n"));
    }
    body.push_str(&format!("\nXem chi tiết: {link}\n\n— Hệ thống phản ánh hiện trường tỉnh Quảng Bình\n"));
    (subject, body)
}

/// Public events older than this are no longer told: after a long stop, stale steps stay quiet.
pub const LOOKBACK: Duration = Duration::days(7);

/// Failed sends after which a notice is given up.
const MAX_ATTEMPTS: u32 = 8;

/// When a notice that failed `attempts` times (this one included) is tried again: `first` after
/// the first failure, doubling each time, at most a day; never after [`MAX_ATTEMPTS`].
pub(crate) fn retry_at(now: DateTime<Utc>, attempts: u32, first: Duration) -> Option<DateTime<Utc>> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let delay = first.checked_mul(1 << attempts.saturating_sub(1).min(20)).unwrap_or(Duration::days(1));
    Some(now + delay.min(Duration::days(1)))
}

/// Settles every notice due: the public steps of the last [`LOOKBACK`] to each case's reporter
/// and to its followers, each assignment to the officer given the case, each new screened case to
/// the alerts sent at once that watch its place, and the latest daily digest of each daily alert. Each message is claimed in the database
/// first, so that several servers running this at once send it at most once; a failed send is
/// tried again after `retry_first`, doubling.
pub async fn deliver(
    store: &dyn Store,
    mailer: &Mailer,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StoreError> {
    deliver_to_reporters(store, mailer, now, retry_first).await?;
    deliver_to_followers(store, mailer, now, retry_first).await?;
    deliver_to_assignees(store, mailer, now, retry_first).await?;
    deliver_alerts(store, mailer, now, retry_first).await?;
    deliver_digests(store, mailer, now, retry_first).await
}

/// Sends `message`, if there is one, and says how the notice ended.
pub(crate) async fn send_outcome(
    mailer: &Mailer,
    message: Option<Message>,
    failed_before: u32,
    now: DateTime<Utc>,
    retry_first: Duration,
    what: &str,
) -> NoticeOutcome {
    let Some(message) = message else { return NoticeOutcome::Skipped };
    match mailer.send(message).await {
        Ok(_) => {
            tracing::info!(what, "e-mail sent");
            NoticeOutcome::Sent
        }
        Err(error) => {
            let attempts = failed_before + 1;
            tracing::warn!(what, attempts, %error, "e-mail failed");
            NoticeOutcome::Failed { retry_at: retry_at(now, attempts, retry_first) }
        }
    }
}

async fn deliver_to_reporters(
    store: &dyn Store,
    mailer: &Mailer,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StoreError> {
    for (case_id, event) in store.unsettled_notices(CHANNEL, now - LOOKBACK, now, BATCH).await? {
        let Some(failed_before) = store.claim_notice(case_id, event.seq, CHANNEL, now).await? else { continue };
        let address = store.reporter_contact(case_id).await?.and_then(|c| c.email).map(|e| e.as_str().to_string());
        let message = match address {
            Some(address) => match &event.change {
                // The question is the reporter's alone to read and answer.
                Change::InformationRequested { question, pause_ends, .. } => {
                    let (subject, body) = question_text(case_id, question, *pause_ends, mailer.public_url());
                    build(mailer, &address, subject, body)
                }
                _ => compose(store, mailer, case_id, &event, &address).await?,
            },
            None => None,
        };
        let what = format!("notice of case {case_id} step {} to its reporter", event.seq);
        let outcome = send_outcome(mailer, message, failed_before, now, retry_first, &what).await;
        store.settle_notice(case_id, event.seq, CHANNEL, outcome).await?;
    }
    Ok(())
}

async fn deliver_to_followers(
    store: &dyn Store,
    mailer: &Mailer,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StoreError> {
    for FollowerNotice { case_id, event, account_id, email } in
        store.unsettled_follower_notices(now - LOOKBACK, now, BATCH).await?
    {
        let channel = FollowerNotice::channel(account_id);
        let Some(failed_before) = store.claim_notice(case_id, event.seq, &channel, now).await? else { continue };
        let message = compose(store, mailer, case_id, &event, &email).await?;
        let what = format!("notice of case {case_id} step {} to follower {account_id}", event.seq);
        let outcome = send_outcome(mailer, message, failed_before, now, retry_first, &what).await;
        store.settle_notice(case_id, event.seq, &channel, outcome).await?;
    }
    Ok(())
}

async fn deliver_alerts(
    store: &dyn Store,
    mailer: &Mailer,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StoreError> {
    for found in store.unsettled_alert_matches(now - LOOKBACK, now, BATCH).await? {
        let subject = found.case_id.to_string();
        let Some(failed_before) = store.claim_alert_delivery(found.alert_id, &subject, now).await? else { continue };
        let (title, body) = alert_text(std::slice::from_ref(&found), mailer.public_url());
        let message = build(mailer, &found.email, title, body);
        let what = format!("alert {} of case {}", found.alert_id, found.case_id);
        let outcome = send_outcome(mailer, message, failed_before, now, retry_first, &what).await;
        store.settle_alert_delivery(found.alert_id, &subject, outcome).await?;
    }
    Ok(())
}

/// The channel on which an assignment's message to the officer given the case is settled.
const ASSIGNEE_CHANNEL: &str = "assignee";

async fn deliver_to_assignees(
    store: &dyn Store,
    mailer: &Mailer,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StoreError> {
    let due =
        store.unsettled_notices_of_kind(ChangeKind::Assigned, ASSIGNEE_CHANNEL, now - LOOKBACK, now, BATCH).await?;
    for (case_id, event) in due {
        let Some(failed_before) = store.claim_notice(case_id, event.seq, ASSIGNEE_CHANNEL, now).await? else {
            continue;
        };
        let message = compose_assignment(store, mailer, case_id, &event).await?;
        let what = format!("assignment of case {case_id} step {} to its assignee", event.seq);
        let outcome = send_outcome(mailer, message, failed_before, now, retry_first, &what).await;
        store.settle_notice(case_id, event.seq, ASSIGNEE_CHANNEL, outcome).await?;
    }
    Ok(())
}

/// The message telling an officer that `event` gave them the case, or `None`: an officer who took
/// it themselves needs no telling, and one without an active account and a verified address
/// cannot be told.
async fn compose_assignment(
    store: &dyn Store,
    mailer: &Mailer,
    case_id: i64,
    event: &CaseEvent,
) -> Result<Option<Message>, StoreError> {
    let Change::Assigned { account_id } = event.change else { return Ok(None) };
    if event.actor_id == Some(account_id) || !store.account(account_id).await?.is_some_and(|a| a.active) {
        return Ok(None);
    }
    let address = store.account_profile(account_id).await?.filter(|p| p.email_verified()).and_then(|p| p.email);
    let (Some(address), Some(case)) = (address, store.public_case(case_id).await?) else { return Ok(None) };
    let link = format!("{}/staff/cases/{case_id}", mailer.public_url);
    let (subject, body) = assignment_text(case_id, &case.title, &link);
    Ok(build(mailer, &address, subject, body))
}

/// The subject and body telling an officer a case was given to them, with where they work it.
fn assignment_text(case_id: i64, title: &str, link: &str) -> (String, String) {
    let subject = format!("[Phản ánh #{case_id}] Bạn được giao xử lý / Assigned to you");
    let body = format!(
        "Phản ánh #{case_id}: {title}\nĐơn vị đã giao phản ánh này cho bạn xử lý.\nThis case was assigned to you.\n\n\
         Xem và xử lý / Open it: {link}\n\n— Hệ thống phản ánh hiện trường tỉnh Quảng Bình\n"
    );
    (subject, body)
}

/// The hour of the day, in the province's time (Asia/Ho_Chi_Minh, UTC+7 all year), at which
/// daily digests go out, listing the cases screened in the 24 hours before.
pub const DIGEST_HOUR: u32 = 7;
/// The cases one digest lists; a busier day links to the map for the rest.
const DIGEST_CASES: u32 = 100;

/// The latest digest time at or before `now`: its subject (the province's date) and the 24 hours
/// it covers.
fn latest_digest(now: DateTime<Utc>) -> (String, DateTime<Utc>, DateTime<Utc>) {
    let offset = Duration::hours(7);
    let local = now + offset;
    let mut day = local.date_naive();
    let at_hour =
        |day: chrono::NaiveDate| day.and_hms_opt(DIGEST_HOUR, 0, 0).map(|t| t.and_utc() - offset).unwrap_or(now);
    if at_hour(day) > now {
        day = day.pred_opt().unwrap_or(day);
    }
    let to = at_hour(day);
    (format!("day:{day}"), to - Duration::days(1), to)
}

async fn deliver_digests(
    store: &dyn Store,
    mailer: &Mailer,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StoreError> {
    let (subject, from, to) = latest_digest(now);
    for due in store.due_daily_alerts(&subject, to, now, BATCH).await? {
        let Some(failed_before) = store.claim_alert_delivery(due.alert_id, &subject, now).await? else { continue };
        let found = store.alert_matches_between(due.alert_id, from, to, DIGEST_CASES + 1).await?;
        // A quiet day sends nothing.
        let message = (!found.is_empty()).then(|| {
            let shown = &found[..found.len().min(DIGEST_CASES as usize)];
            let (title, mut body) = alert_text(shown, mailer.public_url());
            if found.len() > shown.len() {
                body.push_str(&format!("\nCòn nữa / More: {}/map\n", mailer.public_url()));
            }
            build(mailer, &due.email, title, body)
        });
        let what = format!("daily digest {subject} of alert {}", due.alert_id);
        let outcome = send_outcome(mailer, message.flatten(), failed_before, now, retry_first, &what).await;
        store.settle_alert_delivery(due.alert_id, &subject, outcome).await?;
    }
    Ok(())
}

/// The message to `to`, or `None` (logged) when it cannot be built.
pub(crate) fn build(mailer: &Mailer, to: &str, subject: String, body: String) -> Option<Message> {
    match mailer.plain_message(to, subject, body) {
        Ok(message) => Some(message),
        Err(error) => {
            tracing::warn!(%error, "an e-mail could not be built");
            None
        }
    }
}

/// The subject and body of an alert about new cases: one case, or a day's digest.
fn alert_text(found: &[AlertMatch], public_url: &str) -> (String, String) {
    let subject = match found {
        [one] => format!("[Phản ánh mới #{}] {}", one.case_id, one.title),
        many => {
            format!("[Phản ánh mới] {} phản ánh trong khu vực bạn theo dõi / {} new reports", many.len(), many.len())
        }
    };
    let mut body = String::from(
        "Phản ánh mới đã được tiếp nhận trong khu vực bạn theo dõi.\nNew reports were accepted in a place you watch.\n\n",
    );
    for case in found {
        body.push_str(&format!("#{} {}\n", case.case_id, case.title));
        if let Some(address) = &case.address {
            body.push_str(&format!("   {address}\n"));
        }
        body.push_str(&format!("   {public_url}/cases/{}\n", case.case_id));
    }
    body.push_str(&format!(
        "\nQuản lý thông báo / Manage alerts: {public_url}/notices\n\n— Hệ thống phản ánh hiện trường tỉnh Quảng Bình\n"
    ));
    (subject, body)
}

/// The subject and body asking a case's reporter the agency's question.
fn question_text(case_id: i64, question: &str, pause_ends: DateTime<Utc>, public_url: &str) -> (String, String) {
    let until = pause_ends.with_timezone(&domain::deadline::province_offset()).format("%H:%M %d/%m/%Y");
    let subject = format!("[Phản ánh #{case_id}] Cần bổ sung thông tin / More information needed");
    let body = format!(
        "Cơ quan xử lý phản ánh #{case_id} cần thêm thông tin:\n\n{question}\n\n\
         Thời hạn xử lý tạm dừng đến khi bạn trả lời, chậm nhất đến {until}. Trả lời qua đường dẫn biên nhận \
         bạn nhận được khi gửi phản ánh, hoặc đăng nhập và mở mục Phản ánh của tôi: {public_url}/my/reports\n\n\
         The agency handling report #{case_id} asks the question above. The deadline stands still until you \
         answer, at most until {until}. Answer through your receipt link or in your account.\n\n\
         — Hệ thống phản ánh hiện trường tỉnh Quảng Bình\n"
    );
    (subject, body)
}

/// The message telling `address` of `event`, or `None` when there is nothing to tell.
async fn compose(
    store: &dyn Store,
    mailer: &Mailer,
    case_id: i64,
    event: &CaseEvent,
    address: &str,
) -> Result<Option<Message>, StoreError> {
    if !event.public || !tells_followers(event.change.kind()) {
        return Ok(None);
    }
    let Some(case) = store.public_case(case_id).await? else { return Ok(None) };
    let link = format!("{}/cases/{case_id}", mailer.public_url);
    let note = match &event.change {
        Change::Rejected { explanation, .. } => Some(explanation.as_str()),
        other => other.public_note(),
    };
    let (subject, body) = message_text(case_id, &case.title, event.to_status, note, &link);
    Ok(build(mailer, address, subject, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_case_its_status_and_link() {
        let (subject, body) =
            message_text(12, "Ổ gà", CaseStatus::Rejected, Some("Ngoài địa bàn."), "http://x/cases/12");
        assert_eq!(subject, "[Phản ánh #12] Không đủ điều kiện tiếp nhận");
        assert!(body.contains("Ngoài địa bàn.") && body.contains("http://x/cases/12"));
    }

    #[test]
    fn a_question_names_the_case_carries_its_text_and_says_until_when_the_clock_stands_still() {
        let until = DateTime::<Utc>::from_timestamp(1_777_000_000, 0).unwrap_or_default();
        let (subject, body) = question_text(31, "Số nhà nào?", until, "http://x");
        assert!(subject.starts_with("[Phản ánh #31]"), "{subject}");
        let local = until.with_timezone(&domain::deadline::province_offset()).format("%H:%M %d/%m/%Y").to_string();
        assert!(
            body.contains("Số nhà nào?") && body.contains(&local) && body.contains("http://x/my/reports"),
            "{body}"
        );
    }

    #[test]
    fn an_assignment_message_names_the_case_and_where_it_is_worked() {
        let (subject, body) = assignment_text(12, "Ổ gà", "http://x/staff/cases/12");
        assert!(subject.starts_with("[Phản ánh #12]"), "{subject}");
        assert!(body.contains("Ổ gà") && body.contains("http://x/staff/cases/12"), "{body}");
    }

    #[test]
    fn a_failed_notice_is_tried_again_later_each_time_then_given_up() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let minute = Duration::minutes(1);
        assert_eq!(retry_at(now, 1, minute), Some(now + minute));
        assert_eq!(retry_at(now, 2, minute), Some(now + minute * 2));
        assert_eq!(retry_at(now, 4, minute), Some(now + minute * 8));
        assert_eq!(retry_at(now, 7, Duration::hours(1)), Some(now + Duration::days(1)), "at most a day");
        assert_eq!(retry_at(now, MAX_ATTEMPTS, minute), None);
    }

    #[test]
    fn the_latest_digest_is_at_seven_in_the_province() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().expect("time");
        // 23:59 UTC on the 29th is 06:59 on the 30th in the province: the 29th's digest is the latest.
        let (subject, from, to) = latest_digest(at("2026-11-29T23:59:00Z"));
        assert_eq!(subject, "day:2026-11-29");
        assert_eq!((from, to), (at("2026-11-28T00:00:00Z"), at("2026-11-29T00:00:00Z")));
        let (subject, _, to) = latest_digest(at("2026-11-30T00:00:00Z"));
        assert_eq!((subject.as_str(), to), ("day:2026-11-30", at("2026-11-30T00:00:00Z")));
    }

    #[test]
    fn an_alert_names_each_case_with_its_link() {
        let case = |id| AlertMatch {
            alert_id: 1,
            email: "a@example.vn".into(),
            case_id: id,
            title: format!("Ổ gà {id}"),
            address: Some("Đường Trần Hưng Đạo".into()),
            screened_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let (subject, body) = alert_text(&[case(7)], "http://x");
        assert_eq!(subject, "[Phản ánh mới #7] Ổ gà 7");
        assert!(body.contains("http://x/cases/7") && body.contains("Đường Trần Hưng Đạo"));
        let (subject, body) = alert_text(&[case(7), case(8)], "http://x");
        assert!(subject.contains("2 phản ánh"));
        assert!(body.contains("http://x/cases/8") && body.contains("http://x/notices"));
    }
}
