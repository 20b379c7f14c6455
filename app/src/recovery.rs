//! Server functions of a person's own details and of account recovery: the profile (name, e-mail
//! address, phone), the link verifying an address, the forgotten password's reset link, and an
//! administrator's reset of a staff member's password to a one-time password.

use crate::codec::FieldJson;
use crate::error::AppError;
use domain::profile::{Profile, ProfileInput};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The signed-in account's own details.
#[server(prefix = "/api", endpoint = "my/profile", input = GetUrl, output = crate::codec::JsonText)]
pub async fn my_profile() -> Result<Profile, AppError> {
    server::my_profile().await
}

/// Sets the signed-in person's name, e-mail address and phone, and answers the details as stored.
/// A staff member's name stays the one the administrator gave. A new address is unverified, and a
/// link verifying it is mailed to it.
#[server(prefix = "/api", endpoint = "my/update_profile", input = FieldJson, output = crate::codec::JsonText)]
pub async fn update_profile(input: ProfileInput) -> Result<Profile, AppError> {
    server::update_profile(input).await
}

/// Mails the link verifying the signed-in person's address again, in place of the previous one.
#[server(prefix = "/api", endpoint = "my/resend_verification", input = FieldJson, output = crate::codec::JsonText)]
pub async fn resend_verification() -> Result<(), AppError> {
    server::resend_verification().await
}

/// Mails a password reset link to the verified address of the account `handle` names (its username
/// or its address). The answer is the same whether or not such an account exists.
#[server(prefix = "/api", endpoint = "forgot_password", input = FieldJson, output = crate::codec::JsonText)]
pub async fn forgot_password(handle: String) -> Result<(), AppError> {
    server::forgot_password(handle).await
}

/// Whose the reset link with `token` is, while it works: the username it resets.
#[server(prefix = "/api", endpoint = "reset_link", input = FieldJson, output = crate::codec::JsonText)]
pub async fn reset_link(token: String) -> Result<String, AppError> {
    server::reset_link(token).await
}

/// Sets a new password through a reset link, once; every session of the account ends.
#[server(prefix = "/api", endpoint = "reset_password", input = FieldJson, output = crate::codec::JsonText)]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    server::reset_password(token, password).await
}

/// Verifies the address a verification link was sent to, once.
#[server(prefix = "/api", endpoint = "verify_email", input = FieldJson, output = crate::codec::JsonText)]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    server::verify_email(token).await
}

/// An administrator resets a staff member's password: answers a one-time password, shown once, that
/// must be replaced at first sign-in; the staff member's sessions end.
#[server(prefix = "/api", endpoint = "admin/reset_password", input = FieldJson, output = crate::codec::JsonText)]
pub async fn reset_staff_password(id: i64) -> Result<String, AppError> {
    server::reset_staff_password(id).await
}

#[cfg(feature = "ssr")]
mod server {
    //! Who may ask, then how much, then whether the input is valid, then the work.

    use crate::auth::{hash_password_blocking, new_secret, require_account, token_hash, ONE_TIME_PASSWORD_LIFETIME};
    use crate::error::{with_status, AppError};
    use crate::request::{context, count_for_account, request_lang, store_failure};
    use chrono::Utc;
    use domain::account::NewPassword;
    use domain::contact::Email;
    use domain::profile::{AccountHandle, LinkProblem, Profile, ProfileEdit, ProfileInput};
    use domain::validation::{Field, Reason, ValidationError};
    use services::account_links::{self, AccountAddress, AccountLetter, LinkPurpose, LinkState, LinkToken};
    use services::rate_limits::Limited;
    use services::store::StoreError;
    use services::ServerContext;

    fn invalid(errors: Vec<ValidationError>) -> AppError {
        with_status(AppError::invalid(request_lang(), errors))
    }

    fn link_failed(problem: LinkProblem) -> AppError {
        with_status(AppError::Link(problem))
    }

    /// A fresh link token: 32 random bytes in hex, and the hash that alone is stored.
    fn new_link_token() -> LinkToken {
        let token = new_secret();
        LinkToken { hash: token_hash(&token), token }
    }

    /// Whether `token` can be a link's token at all (64 hex digits): anything else is unknown
    /// without asking the database.
    fn token_shaped(token: &str) -> bool {
        token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
    }

    fn post(context: &ServerContext, letter: AccountLetter) {
        match &context.account_mail {
            Some(mail) => mail.post(letter),
            None => {
                tracing::warn!(purpose = letter.purpose.as_str(), "no SMTP relay configured; account letter not sent")
            }
        }
    }

    async fn profile_of(context: &ServerContext, account_id: i64) -> Result<Profile, AppError> {
        context.store.account_profile(account_id).await.map_err(store_failure)?.ok_or_else(|| {
            // The session's account is gone: as good as signed out.
            with_status(AppError::Unauthorized)
        })
    }

    pub async fn my_profile() -> Result<Profile, AppError> {
        let context = context()?;
        let account = require_account(&context).await?;
        profile_of(&context, account.id).await
    }

    pub async fn update_profile(input: ProfileInput) -> Result<Profile, AppError> {
        let context = context()?;
        let account = require_account(&context).await?;
        // A staff member's name is the administrator's to give, and logged with the account changes
        // when it is: their own address (where the staff's mail goes) and phone are theirs to set.
        let input = if account.is_staff() {
            ProfileInput { display_name: account.display_name.clone(), ..input }
        } else {
            input
        };
        let edit = ProfileEdit::parse(&input).map_err(invalid)?;
        let before = profile_of(&context, account.id).await?;
        let address = edit.email.as_ref().map(Email::as_str);
        if address.is_some() && before.email.as_deref() != address {
            // A new address is mailed at once: counted like any other request for a letter.
            count_for_account(&context, Limited::AccountMail, account.id)?;
        }
        let store = context.store.as_ref();
        let changed = store.update_profile(account.id, &edit).await.map_err(store_failure)?;
        if let (true, Some(email)) = (changed, edit.email) {
            let to = AccountAddress { account_id: account.id, username: account.username.clone(), email };
            let letter =
                account_links::issue_verification(store, to, new_link_token(), request_lang(), false, Utc::now())
                    .await
                    .map_err(store_failure)?;
            if let Some(letter) = letter {
                post(&context, letter);
            }
        }
        tracing::info!(account_id = account.id, address_changed = changed, "profile updated");
        profile_of(&context, account.id).await
    }

    pub async fn resend_verification() -> Result<(), AppError> {
        let context = context()?;
        let account = require_account(&context).await?;
        let profile = profile_of(&context, account.id).await?;
        let Some(address) = profile.email.as_deref() else {
            return Err(invalid(vec![ValidationError::new(Field::Email, Reason::Required)]));
        };
        if profile.email_verified_at.is_some() {
            return Ok(());
        }
        count_for_account(&context, Limited::AccountMail, account.id)?;
        let email = Email::parse(address).map_err(|_| {
            tracing::error!(account_id = account.id, "a stored address does not parse");
            with_status(AppError::Unavailable)
        })?;
        let to = AccountAddress { account_id: account.id, username: account.username.clone(), email };
        let store = context.store.as_ref();
        let letter = account_links::issue_verification(store, to, new_link_token(), request_lang(), true, Utc::now())
            .await
            .map_err(store_failure)?;
        match letter {
            Some(letter) => {
                post(&context, letter);
                Ok(())
            }
            None => {
                let retry_after_seconds =
                    u64::try_from(LinkPurpose::VerifyEmail.resend_after().num_seconds()).unwrap_or(60);
                Err(with_status(AppError::TooManyRequests { retry_after_seconds }))
            }
        }
    }

    pub async fn forgot_password(handle: String) -> Result<(), AppError> {
        let context = context()?;
        let handle = AccountHandle::parse(&handle).map_err(|error| invalid(vec![error]))?;
        let lang = request_lang();
        // Looked up, issued and mailed after the answer has left: neither the answer nor its
        // timing tells whether an account matched.
        tokio::spawn(async move {
            let store = context.store.as_ref();
            match account_links::request_password_reset(store, &handle, &new_link_token, lang, Utc::now()).await {
                Ok(letters) => {
                    for letter in letters {
                        post(&context, letter);
                    }
                }
                Err(error) => tracing::error!(%error, "issuing password reset links failed"),
            }
        });
        Ok(())
    }

    pub async fn reset_link(token: String) -> Result<String, AppError> {
        let context = context()?;
        if !token_shaped(&token) {
            return Err(link_failed(LinkProblem::Unknown));
        }
        let hash = token_hash(&token);
        match account_links::check_reset_link(context.store.as_ref(), &hash, Utc::now()).await.map_err(store_failure)? {
            LinkState::Open { username, .. } => Ok(username),
            LinkState::Closed(problem) => Err(link_failed(problem)),
        }
    }

    pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
        let context = context()?;
        if !token_shaped(&token) {
            return Err(link_failed(LinkProblem::Unknown));
        }
        let store = context.store.as_ref();
        let hash = token_hash(&token);
        // The link is what authorizes the change: it is checked before the password is read.
        if let LinkState::Closed(problem) =
            account_links::check_reset_link(store, &hash, Utc::now()).await.map_err(store_failure)?
        {
            return Err(link_failed(problem));
        }
        let password = NewPassword::parse(&password)
            .map_err(|reason| invalid(vec![ValidationError::new(Field::Password, reason)]))?;
        let password_hash = hash_password_blocking(password.expose().to_string()).await?;
        match account_links::reset_password(store, &hash, &password_hash, Utc::now()).await.map_err(store_failure)? {
            LinkState::Open { .. } => Ok(()),
            LinkState::Closed(problem) => Err(link_failed(problem)),
        }
    }

    pub async fn verify_email(token: String) -> Result<(), AppError> {
        let context = context()?;
        if !token_shaped(&token) {
            return Err(link_failed(LinkProblem::Unknown));
        }
        let hash = token_hash(&token);
        match account_links::verify_email(context.store.as_ref(), &hash, Utc::now()).await.map_err(store_failure)? {
            LinkState::Open { .. } => Ok(()),
            LinkState::Closed(problem) => Err(link_failed(problem)),
        }
    }

    pub async fn reset_staff_password(id: i64) -> Result<String, AppError> {
        let (context, admin) = crate::admin::require_admin().await?;
        // An administrator changes their own password on their account page, knowing the current one.
        if id == admin.id {
            return Err(with_status(AppError::Forbidden));
        }
        let password = new_secret();
        let password_hash = hash_password_blocking(password.clone()).await?;
        let now = Utc::now();
        let until = now + ONE_TIME_PASSWORD_LIFETIME;
        match context.store.reset_staff_password(id, &password_hash, until, Some(admin.id), now).await {
            Ok(()) => {
                tracing::info!(admin = admin.id, account = id, "staff password reset to a one-time password");
                Ok(password)
            }
            Err(StoreError::Missing(_)) => Err(with_status(AppError::NotFound)),
            Err(error) => Err(store_failure(error)),
        }
    }
}
