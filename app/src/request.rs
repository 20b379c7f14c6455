//! Request plumbing on the server: the shared state and language of the current request, and how failures become answers.

use crate::error::{with_status, AppError, FieldError, JsonDetails};
use crate::i18n::Lang;
use domain::workflow::Refusal;
use leptos::prelude::*;
use services::changes::ChangeError;
use services::intake::IntakeError;
use services::rate_limits::{Counted, Limited};
use services::statistics::StatisticsError;
use services::store::StoreError;
use services::ServerContext;

/// The server's shared state, as the current request sees it.
pub fn context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("server context missing");
        with_status(AppError::Unavailable)
    })
}

/// A storage failure as the caller sees it: the details go to the log, never to the browser.
pub fn store_failure(error: StoreError) -> AppError {
    tracing::error!(%error, "storage failed");
    with_status(AppError::Unavailable)
}

/// What sign-in throttling and quotas count the current request's client by: its address, or
/// `local` for a call made inside the server.
pub fn client_key() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<services::ClientAddress>().copied())
        .map(|services::ClientAddress(address)| address.to_string())
        .unwrap_or_else(|| "local".to_string())
}

/// Counts one `action` by the signed-in account `account_id` against its limit, so an account
/// shared by many addresses is held to one allowance; past it, 429 with when to try again.
pub fn count_for_account(context: &ServerContext, action: Limited, account_id: i64) -> Result<(), AppError> {
    context.count(action, Counted::Account(account_id)).map_err(|wait| {
        tracing::warn!(action = action.name(), account_id, "account rate limit reached");
        with_status(AppError::TooManyRequests { retry_after_seconds: wait.as_secs().max(1) })
    })
}

/// The language a page is rendered in: its language cookie alone, which the browser reads too, so that
/// the page it hydrates is the page the server rendered.
pub fn page_lang() -> Lang {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            Lang::requested(parts.headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()), None)
        })
        .unwrap_or_default()
}

/// The language of the current request's answers: its language cookie, else `Accept-Language`, else Vietnamese.
pub fn request_lang() -> Lang {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            let cookies = parts.headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok());
            let accept_language = parts.headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
            Lang::requested(cookies, accept_language)
        })
        .unwrap_or_default()
}

impl From<IntakeError> for AppError {
    fn from(error: IntakeError) -> Self {
        match error {
            IntakeError::Invalid(errors) => {
                let lang = request_lang();
                with_status(AppError::Invalid(
                    errors.into_iter().map(|e| FieldError::from_validation(lang, e)).collect(),
                ))
            }
            IntakeError::Store(error) => store_failure(error),
        }
    }
}

impl From<StatisticsError> for AppError {
    fn from(error: StatisticsError) -> Self {
        match error {
            StatisticsError::Invalid(errors) => with_status(AppError::invalid(request_lang(), errors)),
            StatisticsError::Store(error) => store_failure(error),
        }
    }
}

impl From<ChangeError> for AppError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::NotFound | ChangeError::Store(StoreError::Missing(_)) => with_status(AppError::NotFound),
            ChangeError::Conflict(fresh) => with_status(AppError::Conflict(JsonDetails::new(&*fresh))),
            // A refusal about who asks is a 403, like every other authorization failure; only a
            // refusal about the case's state is a lifecycle refusal (409).
            ChangeError::Refused(
                Refusal::NotYourRole | Refusal::NotYourAgency | Refusal::NotTheReporter | Refusal::NotAgencyHead,
            ) => with_status(AppError::Forbidden),
            ChangeError::Refused(lifecycle) => with_status(AppError::Refused(lifecycle)),
            ChangeError::Corrupt(_) => with_status(AppError::Unavailable),
            ChangeError::Store(error) => store_failure(error),
        }
    }
}
