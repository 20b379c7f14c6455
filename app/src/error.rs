//! The error a server function answers with, and its HTTP status.

use crate::core::validation::ValidationError;
use crate::i18n::{error_message, Lang};
use leptos::server_fn::codec::JsonEncoding;
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

/// What went wrong, told honestly and without internals: database text stays in the logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
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
}

impl AppError {
    /// The HTTP status the server answers with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::NotFound => 404,
            AppError::Unavailable => 503,
            AppError::BadRequest(_) => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Args(text) | ServerFnErrorErr::Deserialization(text) => AppError::BadRequest(text),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Unavailable,
            other => AppError::BadRequest(other.to_string()),
        };
        #[cfg(feature = "ssr")]
        crate::api::set_error_status(&error);
        error
    }
}

/// Sets the HTTP status that matches `error` when rendering on the server, and hands it back.
pub fn with_status(error: AppError) -> AppError {
    #[cfg(feature = "ssr")]
    crate::api::set_error_status(&error);
    error
}
