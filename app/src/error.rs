//! The error a server function answers with, and its HTTP status.

use crate::i18n::{error_message, Lang};
use domain::validation::ValidationError;
use domain::workflow::{CaseFacts, Refusal};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A refused field with its reason and a message in the requester's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub error: ValidationError,
    pub message: String,
}

impl FieldError {
    pub fn from_validation(lang: Lang, error: ValidationError) -> Self {
        Self { field: error.field.as_str().to_string(), error, message: error_message(lang, &error) }
    }
}

/// A body a server function could not read: the field, and a message naming it in the requester's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Malformed {
    pub field: String,
    pub message: String,
}

impl AppError {
    /// Field errors in the requester's language.
    pub fn invalid(lang: Lang, errors: Vec<ValidationError>) -> Self {
        AppError::Invalid(errors.into_iter().map(|e| FieldError::from_validation(lang, e)).collect())
    }
}

/// What went wrong, told honestly and without internals: database text stays in the logs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", content = "details", rename_all = "snake_case")]
pub enum AppError {
    #[error("some fields are invalid")]
    Invalid(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("the service is temporarily unavailable")]
    Unavailable,
    #[error("the request could not be read: {0}")]
    BadRequest(String),
    /// The body is not the JSON the function takes; the field that could not be read is named.
    #[error("the request could not be read: {}", .0.message)]
    Malformed(Malformed),
    /// Not signed in, or the session has ended.
    #[error("please sign in")]
    Unauthorized,
    /// Signed in, but this role or agency may not do this.
    #[error("not allowed")]
    Forbidden,
    /// The lifecycle does not allow this change now.
    #[error("not allowed in the case's current state: {0}")]
    Refused(Refusal),
    /// Someone else changed the case first; the fresh facts come along.
    #[error("someone else changed this case first")]
    Conflict(Box<CaseFacts>),
    /// With its message in the requester's language.
    #[error("wrong username or password")]
    BadCredentials(String),
    /// Sign-in failed too often from this client; it may try again after this many seconds.
    #[error("too many failed attempts; try again in {retry_after_seconds} s")]
    TooManyAttempts { retry_after_seconds: u64 },
    /// This client asked too often; it may ask again after this many seconds.
    #[error("too many requests; try again in {retry_after_seconds} s")]
    TooManyRequests { retry_after_seconds: u64 },
    #[error("this username is already taken")]
    UsernameTaken,
    /// Signed in with a one-time password: the account must set its own before anything else.
    #[error("set your own password first")]
    PasswordChangeRequired,
    /// An uploaded area file has problems; nothing of it was imported.
    #[error("the area file has problems")]
    AreaImport(Vec<domain::area_import::ImportProblem>),
    /// A link sent by e-mail (a password reset, an address's verification) that opens nothing.
    #[error("the link does not work: {0:?}")]
    Link(domain::profile::LinkProblem),
}

impl AppError {
    /// The HTTP status the server answers with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid(_) | AppError::AreaImport(_) => 422,
            AppError::NotFound => 404,
            AppError::Unavailable => 503,
            AppError::BadRequest(_) | AppError::Malformed(_) => 400,
            AppError::Unauthorized | AppError::BadCredentials(_) => 401,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            AppError::Refused(_) | AppError::Conflict(_) | AppError::UsernameTaken => 409,
            AppError::TooManyAttempts { .. } | AppError::TooManyRequests { .. } => 429,
            // Gone: the link existed, and will never work again.
            AppError::Link(domain::profile::LinkProblem::Used | domain::profile::LinkProblem::Expired) => 410,
            AppError::Link(domain::profile::LinkProblem::Unknown) => 404,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = crate::codec::JsonTextEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Deserialization(text) => match crate::codec::Unreadable::parse(&text) {
                Some(unreadable) => AppError::Malformed(Malformed {
                    message: crate::i18n::unreadable_message(requester_lang(), &unreadable),
                    field: unreadable.field,
                }),
                None => AppError::BadRequest(text),
            },
            ServerFnErrorErr::Args(text) => AppError::BadRequest(text),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unavailable,
            other => AppError::BadRequest(other.to_string()),
        };
        #[cfg(feature = "ssr")]
        set_error_status(&error);
        error
    }
}

/// The language of the request being answered; on the browser, where nothing is answered, the default.
fn requester_lang() -> Lang {
    #[cfg(feature = "ssr")]
    return crate::request::request_lang();
    #[cfg(not(feature = "ssr"))]
    Lang::default()
}

/// Sets the HTTP status that matches `error` on the response being rendered.
#[cfg(feature = "ssr")]
fn set_error_status(error: &AppError) {
    if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            options.set_status(status);
        }
        if let AppError::TooManyAttempts { retry_after_seconds } | AppError::TooManyRequests { retry_after_seconds } =
            error
        {
            if let Ok(value) = http::HeaderValue::from_str(&retry_after_seconds.to_string()) {
                options.insert_header(http::header::RETRY_AFTER, value);
            }
        }
    }
}

/// Sets the HTTP status that matches `error` when rendering on the server, and hands it back.
pub fn with_status(error: AppError) -> AppError {
    #[cfg(feature = "ssr")]
    set_error_status(&error);
    error
}
