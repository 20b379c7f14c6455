//! The links an account is sent by e-mail, one verifying its address and one resetting a forgotten
//! password: issued with a random token of which only the SHA-256 is stored, used once, short-lived,
//! and bounded to one pending link of each kind per account.

use crate::store::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use domain::contact::Email;
use domain::lang::Lang;
use domain::profile::{AccountHandle, LinkProblem};

/// What a link does once opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkPurpose {
    /// Marks the address it was sent to as the account's verified address.
    VerifyEmail,
    /// Lets the person set a new password, ending every session of the account.
    ResetPassword,
}

impl LinkPurpose {
    /// The name stored with the link.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::VerifyEmail => "verify_email",
            LinkPurpose::ResetPassword => "reset_password",
        }
    }

    /// How long a link works after it is sent. A reset link opens the account itself, so it lasts
    /// no longer than a person needs to open their mail; a verification link only proves the
    /// address, so it may wait a day in the inbox.
    pub fn lifetime(self) -> Duration {
        match self {
            LinkPurpose::VerifyEmail => Duration::hours(24),
            LinkPurpose::ResetPassword => Duration::minutes(30),
        }
    }

    /// How long a pending link stands before asking again sends a new one in its place: what
    /// keeps repeated requests from flooding a mailbox.
    pub fn resend_after(self) -> Duration {
        match self {
            LinkPurpose::VerifyEmail => Duration::minutes(1),
            LinkPurpose::ResetPassword => Duration::minutes(5),
        }
    }
}

/// A link's secret: the token that goes out in the message, and its hash, which alone is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkToken {
    pub token: String,
    pub hash: String,
}

impl std::fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkToken(…)")
    }
}

/// A link about to be stored.
#[derive(Debug, Clone, Copy)]
pub struct NewLink<'a> {
    pub account_id: i64,
    pub purpose: LinkPurpose,
    pub token_hash: &'a str,
    /// The address the link is sent to; a verification link verifies this address only.
    pub email: &'a Email,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What a link's token opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkState {
    /// A link that works (or, answered by the methods that use it, that worked just now), of this account.
    Open {
        account_id: i64,
        username: String,
    },
    Closed(LinkProblem),
}

/// An account and its address, where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountAddress {
    pub account_id: i64,
    pub username: String,
    pub email: Email,
}

/// A message to an account about itself, carrying the link's token.
#[derive(Clone, PartialEq, Eq)]
pub struct AccountLetter {
    pub purpose: LinkPurpose,
    pub to: Email,
    pub username: String,
    pub token: String,
    /// The language of the request that asked for it.
    pub lang: Lang,
}

impl std::fmt::Debug for AccountLetter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountLetter")
            .field("purpose", &self.purpose)
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

/// Where account letters go: the server's SMTP relay. Posting never waits for the relay and never
/// fails the request that posts: a page works the same whether or not the relay answers, and a
/// failed delivery is logged.
pub trait AccountMail: Send + Sync {
    fn post(&self, letter: AccountLetter);
}

/// Accounts one forgotten-password request reaches at most: an address several family members share.
pub const MOST_ACCOUNTS_PER_ADDRESS: u32 = 5;

/// Issues a verification link for `to.email`, the account's current address, in place of any
/// earlier one, and answers the letter to post. With `resend`, a link sent less than
/// [`LinkPurpose::resend_after`] ago stands and there is nothing to post (`None`); otherwise (the
/// address just changed) the new link always replaces it.
pub async fn issue_verification(
    store: &dyn Store,
    to: AccountAddress,
    token: LinkToken,
    lang: Lang,
    resend: bool,
    now: DateTime<Utc>,
) -> Result<Option<AccountLetter>, StoreError> {
    let purpose = LinkPurpose::VerifyEmail;
    let link = NewLink {
        account_id: to.account_id,
        purpose,
        token_hash: &token.hash,
        email: &to.email,
        issued_at: now,
        expires_at: now + purpose.lifetime(),
    };
    let replaces_before = if resend { now - purpose.resend_after() } else { now };
    let issued = store.issue_account_link(&link, replaces_before).await?;
    Ok(issued.then_some(AccountLetter { purpose, to: to.email, username: to.username, token: token.token, lang }))
}

/// Issues a reset link to every account `handle` names that has a verified address (one account
/// for a username, up to [`MOST_ACCOUNTS_PER_ADDRESS`] for an address) and answers the letters to
/// post. An account whose pending link is younger than [`LinkPurpose::resend_after`] keeps it and
/// gets no second one. Nothing in the answer to the requester may depend on this result: whether
/// an account exists is nobody's business.
pub async fn request_password_reset(
    store: &dyn Store,
    handle: &AccountHandle,
    new_token: &(dyn Fn() -> LinkToken + Send + Sync),
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Vec<AccountLetter>, StoreError> {
    let purpose = LinkPurpose::ResetPassword;
    let mut letters = Vec::new();
    for account in store.recoverable_accounts(handle, MOST_ACCOUNTS_PER_ADDRESS).await? {
        let token = new_token();
        let link = NewLink {
            account_id: account.account_id,
            purpose,
            token_hash: &token.hash,
            email: &account.email,
            issued_at: now,
            expires_at: now + purpose.lifetime(),
        };
        if store.issue_account_link(&link, now - purpose.resend_after()).await? {
            letters.push(AccountLetter {
                purpose,
                to: account.email,
                username: account.username,
                token: token.token,
                lang,
            });
        }
    }
    Ok(letters)
}

/// Whether the reset link whose token hashes to `token_hash` works at `now`, without using it.
pub async fn check_reset_link(
    store: &dyn Store,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<LinkState, StoreError> {
    store.account_link(LinkPurpose::ResetPassword, token_hash, now).await
}

/// Uses a reset link: the account's password becomes `password_hash` and every one of its sessions
/// ends, all at once, or nothing happens when the link is used, expired at `now`, or unknown.
pub async fn reset_password(
    store: &dyn Store,
    token_hash: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<LinkState, StoreError> {
    let state = store.reset_password_with_link(token_hash, password_hash, now).await?;
    if let LinkState::Open { account_id, .. } = &state {
        tracing::info!(account_id, "password reset through a link; every session ended");
    }
    Ok(state)
}

/// Uses a verification link: the address it was sent to becomes verified, if it is still the account's.
pub async fn verify_email(store: &dyn Store, token_hash: &str, now: DateTime<Utc>) -> Result<LinkState, StoreError> {
    let state = store.verify_email_with_link(token_hash, now).await?;
    if let LinkState::Open { account_id, .. } = &state {
        tracing::info!(account_id, "e-mail address verified");
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_link_lasts_half_an_hour_and_a_verification_link_a_day() {
        assert_eq!(LinkPurpose::ResetPassword.lifetime(), Duration::minutes(30));
        assert_eq!(LinkPurpose::VerifyEmail.lifetime(), Duration::hours(24));
        assert!(LinkPurpose::ResetPassword.resend_after() < LinkPurpose::ResetPassword.lifetime());
    }

    #[test]
    fn secrets_never_print() {
        let token = LinkToken { token: "geheim-token".into(), hash: "hash".into() };
        assert_eq!(format!("{token:?}"), "LinkToken(…)");
        let letter = AccountLetter {
            purpose: LinkPurpose::ResetPassword,
            to: Email::parse("lan@example.vn").expect("address"),
            username: "lan".into(),
            token: "geheim-token".into(),
            lang: Lang::Vi,
        };
        let shown = format!("{letter:?}");
        assert!(!shown.contains("geheim") && !shown.contains("lan@example.vn"), "{shown}");
    }
}
