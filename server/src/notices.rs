//! E-mail notices to reporters at each public step of their case, when an SMTP relay is configured.

use app::i18n::{status_label, Lang};
use chrono::{DateTime, Utc};
use domain::case::CaseStatus;
use domain::workflow::{Change, ChangeKind};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use services::store::{Store, StoreError};

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

/// Sends the notices for events after `since`; returns the time of the last event handled, to
/// start from next time. Each notice is claimed in the database first, so that several servers
/// running this at once send it once.
pub async fn deliver(store: &dyn Store, mailer: &Mailer, since: DateTime<Utc>) -> Result<DateTime<Utc>, StoreError> {
    let mut cursor = since;
    for (case_id, event) in store.events_after(since, BATCH).await? {
        cursor = cursor.max(event.occurred_at);
        if !event.public || !tells_the_reporter(event.change.kind()) {
            continue;
        }
        let Some(email) = store.reporter_contact(case_id).await?.and_then(|c| c.email) else { continue };
        let Some(case) = store.public_case(case_id).await? else { continue };
        if !store.claim_notice(case_id, event.seq, CHANNEL, Utc::now()).await? {
            continue;
        }
        let link = format!("{}/cases/{case_id}", mailer.public_url);
        let note = match &event.change {
            Change::Rejected { explanation, .. } => Some(explanation.as_str()),
            other => other.public_note(),
        };
        let (subject, body) = message_text(case_id, &case.title, event.to_status, note, &link);
        let message = email.as_str().parse::<Mailbox>().map_err(|e| e.to_string()).and_then(|to| {
            // 8-bit keeps Vietnamese readable on the wire; relays without 8BITMIME are rare.
            let body = Body::new_with_encoding(body, ContentTransferEncoding::EightBit)
                .or_else(|raw| Body::new_with_encoding(raw, ContentTransferEncoding::QuotedPrintable))
                .map_err(|_| "the body cannot be encoded".to_string())?;
            Message::builder()
                .from(mailer.from.clone())
                .to(to)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body)
                .map_err(|e| e.to_string())
        });
        match message {
            Ok(message) => match mailer.transport.send(message).await {
                Ok(_) => tracing::info!(case_id, seq = event.seq, "e-mail notice sent"),
                Err(error) => tracing::warn!(case_id, seq = event.seq, %error, "e-mail notice failed"),
            },
            Err(error) => tracing::warn!(case_id, %error, "e-mail notice could not be built"),
        }
    }
    Ok(cursor)
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
    fn only_public_steps_are_told() {
        assert!(tells_the_reporter(ChangeKind::Accepted));
        assert!(!tells_the_reporter(ChangeKind::NoteAdded));
        assert!(!tells_the_reporter(ChangeKind::ResultSubmitted));
    }
}
