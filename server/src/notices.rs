//! E-mail notices to reporters at each public step of their case, and the mailer that carries every message the site sends, when an SMTP relay is configured.

use app::i18n::{status_label, Lang};
use chrono::{DateTime, Duration, Utc};
use domain::case::{CaseEvent, CaseStatus};
use domain::workflow::{Change, ChangeKind};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use services::store::{NoticeOutcome, Store, StoreError};

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

/// Whether the reporter hears about this change: the public steps of the lifecycle.
fn tells_the_reporter(kind: ChangeKind) -> bool {
    matches!(
        kind,
        ChangeKind::Accepted
            | ChangeKind::Rejected
            | ChangeKind::ResultApproved
            | ChangeKind::Reopened
            | ChangeKind::Closed
    )
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
fn retry_at(now: DateTime<Utc>, attempts: u32, first: Duration) -> Option<DateTime<Utc>> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let delay = first.checked_mul(1 << attempts.saturating_sub(1).min(20)).unwrap_or(Duration::days(1));
    Some(now + delay.min(Duration::days(1)))
}

/// Settles every public event of the last [`LOOKBACK`] whose notice is not settled yet: sends
/// the reporter the steps they are told of, skips the rest, and leaves a failed send to be tried
/// again after `retry_first` and doubling. Each notice is claimed in the database first, so that
/// several servers running this at once send it at most once.
pub async fn deliver(
    store: &dyn Store,
    mailer: &Mailer,
    now: DateTime<Utc>,
    retry_first: Duration,
) -> Result<(), StoreError> {
    for (case_id, event) in store.unsettled_notices(CHANNEL, now - LOOKBACK, now, BATCH).await? {
        let Some(failed_before) = store.claim_notice(case_id, event.seq, CHANNEL, now).await? else { continue };
        let outcome = match compose(store, mailer, case_id, &event).await? {
            None => NoticeOutcome::Skipped,
            Some(message) => match mailer.send(message).await {
                Ok(_) => {
                    tracing::info!(case_id, seq = event.seq, "e-mail notice sent");
                    NoticeOutcome::Sent
                }
                Err(error) => {
                    let attempts = failed_before + 1;
                    tracing::warn!(case_id, seq = event.seq, attempts, %error, "e-mail notice failed");
                    NoticeOutcome::Failed { retry_at: retry_at(now, attempts, retry_first) }
                }
            },
        };
        store.settle_notice(case_id, event.seq, CHANNEL, outcome).await?;
    }
    Ok(())
}

/// The message telling the reporter of `event`, or `None` when there is nothing to tell or no
/// address to tell it to.
async fn compose(
    store: &dyn Store,
    mailer: &Mailer,
    case_id: i64,
    event: &CaseEvent,
) -> Result<Option<Message>, StoreError> {
    if !event.public || !tells_the_reporter(event.change.kind()) {
        return Ok(None);
    }
    let Some(email) = store.reporter_contact(case_id).await?.and_then(|c| c.email) else { return Ok(None) };
    let Some(case) = store.public_case(case_id).await? else { return Ok(None) };
    let link = format!("{}/cases/{case_id}", mailer.public_url);
    let note = match &event.change {
        Change::Rejected { explanation, .. } => Some(explanation.as_str()),
        other => other.public_note(),
    };
    let (subject, body) = message_text(case_id, &case.title, event.to_status, note, &link);
    match mailer.plain_message(email.as_str(), subject, body) {
        Ok(message) => Ok(Some(message)),
        Err(error) => {
            tracing::warn!(case_id, %error, "e-mail notice could not be built");
            Ok(None)
        }
    }
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
    fn only_public_steps_are_told() {
        assert!(tells_the_reporter(ChangeKind::Accepted));
        assert!(!tells_the_reporter(ChangeKind::NoteAdded));
        assert!(!tells_the_reporter(ChangeKind::ResultSubmitted));
    }
}
