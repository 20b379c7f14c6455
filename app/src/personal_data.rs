//! A citizen's rights over their personal data: the retention the privacy notice states, and closing the account.

use crate::codec::FieldJson;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The retention periods in force, as the privacy notice states them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPeriods {
    pub contact_months: u32,
    pub inappropriate_photo_days: i64,
}

/// The retention periods this server applies; public, like the notice that states them.
#[server(prefix = "/api", endpoint = "privacy/retention", input = GetUrl, output = crate::codec::JsonText)]
pub async fn retention_terms() -> Result<RetentionPeriods, AppError> {
    let context = crate::request::context()?;
    Ok(RetentionPeriods {
        contact_months: context.retention.contacts.as_u32(),
        inappropriate_photo_days: context.retention.inappropriate_photos.num_days(),
    })
}

/// Closes the signed-in citizen's account, once they confirm with their password: their reports
/// stay public without any link to them, their contacts are erased, and every session ends.
#[server(prefix = "/api", endpoint = "close_account", input = FieldJson, output = crate::codec::JsonText)]
pub async fn close_my_account(password: String) -> Result<(), AppError> {
    let context = crate::request::context()?;
    server::close_my_account(&context, &password).await
}

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: who may close an account, and the confirmation.

    use crate::auth::{current_account, set_cookie, verify_password_blocking};
    use crate::error::{with_status, AppError};
    use crate::request::{request_lang, store_failure};
    use domain::case::ActorRole;
    use domain::validation::{Field, Reason, ValidationError};
    use services::personal_data::{close_account, PersonalDataError};
    use services::ServerContext;

    /// Longer than any password the system accepts; a longer one is refused before it is hashed.
    const LONGEST_PASSWORD: usize = 256;

    fn invalid_password(reason: Reason) -> AppError {
        with_status(AppError::invalid(request_lang(), vec![ValidationError::new(Field::Password, reason)]))
    }

    pub async fn close_my_account(context: &ServerContext, password: &str) -> Result<(), AppError> {
        let account = current_account(context).await?.ok_or_else(|| with_status(AppError::Unauthorized))?;
        // Staff accounts belong to the province and are closed by an administrator.
        if account.role != ActorRole::Citizen {
            return Err(with_status(AppError::Forbidden));
        }
        if password.is_empty() {
            return Err(invalid_password(Reason::Required));
        }
        if password.len() > LONGEST_PASSWORD {
            return Err(invalid_password(Reason::TooLong { max: LONGEST_PASSWORD }));
        }
        let store = context.store.as_ref();
        let (_, hash) = store
            .account_credentials(&account.username)
            .await
            .map_err(store_failure)?
            .ok_or_else(|| with_status(AppError::Unauthorized))?;
        if !verify_password_blocking(password, &hash).await? {
            return Err(invalid_password(Reason::WrongPassword));
        }
        match close_account(store, account.id, chrono::Utc::now()).await {
            Ok(cases) => {
                set_cookie(context, "", 0);
                tracing::info!(account_id = account.id, cases, "citizen closed their account");
                Ok(())
            }
            Err(PersonalDataError::TooManyReports) => Err(with_status(AppError::Forbidden)),
            Err(PersonalDataError::Store(error)) => Err(store_failure(error)),
            Err(PersonalDataError::Change(error)) => {
                tracing::error!(account_id = account.id, %error, "closing an account failed");
                Err(with_status(AppError::Unavailable))
            }
        }
    }
}
