//! The error a server function answers with, and its HTTP status.

use crate::i18n::{error_message, Lang};
use domain::area_import::ImportProblem;
use domain::validation::ValidationError;
use domain::workflow::{CaseFacts, Refusal};
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;
use std::marker::PhantomData;

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

/// Details of an error that one page reads and every other page passes over, kept as the JSON the
/// server wrote until that page asks for them. The browser's reader of [`AppError`] is in every
/// page's WebAssembly (any server function can fail), and reading a case's facts or an area file's
/// problems there would put their readers, and the date parsing they need, in every page too.
pub struct JsonDetails<T> {
    json: Box<RawValue>,
    read_as: PhantomData<fn() -> T>,
}

impl<T: Serialize> JsonDetails<T> {
    /// Details as the server writes them.
    pub fn new(details: &T) -> Self {
        // Serialising plain data into JSON cannot fail; `null` (the default) stands in should it ever.
        Self { json: serde_json::value::to_raw_value(details).unwrap_or_default(), read_as: PhantomData }
    }
}

impl<T: DeserializeOwned> JsonDetails<T> {
    /// The details, or `None` where the server's JSON does not read as them.
    pub fn read(&self) -> Option<T> {
        serde_json::from_str(self.json.get()).ok()
    }
}

impl<T> Clone for JsonDetails<T> {
    fn clone(&self) -> Self {
        Self { json: self.json.clone(), read_as: PhantomData }
    }
}

impl<T> PartialEq for JsonDetails<T> {
    fn eq(&self, other: &Self) -> bool {
        self.json.get() == other.json.get()
    }
}

impl<T> fmt::Debug for JsonDetails<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.json.get())
    }
}

impl<T> Serialize for JsonDetails<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl<'de, T> Deserialize<'de> for JsonDetails<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self { json: Box::<RawValue>::deserialize(deserializer)?, read_as: PhantomData })
    }
}

/// What went wrong, told honestly and without internals: database text stays in the logs.
///
/// The server reads it with serde's derived reader; the browser with [`ErrorReader`], which reads
/// the same JSON.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ssr", derive(Deserialize))]
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
    Conflict(JsonDetails<CaseFacts>),
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
    AreaImport(JsonDetails<Vec<ImportProblem>>),
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

/// The browser's reader of an [`AppError`]: the tag first, then only the details the tag names,
/// each read as the app reads every answer, from JSON text. serde's derived reader of an adjacently
/// tagged enum also buffers every variant's details through its generic `Content` form, which in
/// the WebAssembly came to more code than the report form's own components, and every page carries
/// it: any server function can answer with an error.
#[cfg(any(test, not(feature = "ssr")))]
struct ErrorReader(AppError);

#[cfg(any(test, not(feature = "ssr")))]
impl<'de> Deserialize<'de> for ErrorReader {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        use serde_json::value::RawValue;

        #[derive(Deserialize)]
        struct Tagged {
            error: String,
            #[serde(default)]
            details: Option<Box<RawValue>>,
        }
        #[derive(Deserialize)]
        struct Retry {
            retry_after_seconds: u64,
        }
        const TAGS: &[&str] = &[
            "invalid",
            "not_found",
            "unavailable",
            "bad_request",
            "malformed",
            "unauthorized",
            "forbidden",
            "refused",
            "conflict",
            "bad_credentials",
            "too_many_attempts",
            "too_many_requests",
            "username_taken",
            "password_change_required",
            "area_import",
            "link",
        ];

        fn details<T: serde::de::DeserializeOwned>(details: Option<&RawValue>) -> Result<T, serde_json::Error> {
            serde_json::from_str(details.map_or("null", RawValue::get))
        }

        let Tagged { error, details: raw } = Tagged::deserialize(deserializer)?;
        let raw = raw.as_deref();
        let read = || -> Result<AppError, serde_json::Error> {
            Ok(match error.as_str() {
                "invalid" => AppError::Invalid(details(raw)?),
                "not_found" => AppError::NotFound,
                "unavailable" => AppError::Unavailable,
                "bad_request" => AppError::BadRequest(details(raw)?),
                "malformed" => AppError::Malformed(details(raw)?),
                "unauthorized" => AppError::Unauthorized,
                "forbidden" => AppError::Forbidden,
                "refused" => AppError::Refused(details(raw)?),
                "conflict" => AppError::Conflict(details(raw)?),
                "bad_credentials" => AppError::BadCredentials(details(raw)?),
                "too_many_attempts" => {
                    AppError::TooManyAttempts { retry_after_seconds: details::<Retry>(raw)?.retry_after_seconds }
                }
                "too_many_requests" => {
                    AppError::TooManyRequests { retry_after_seconds: details::<Retry>(raw)?.retry_after_seconds }
                }
                "username_taken" => AppError::UsernameTaken,
                "password_change_required" => AppError::PasswordChangeRequired,
                "area_import" => AppError::AreaImport(details(raw)?),
                "link" => AppError::Link(details(raw)?),
                other => return Err(serde_json::Error::unknown_variant(other, TAGS)),
            })
        };
        read().map(ErrorReader).map_err(D::Error::custom)
    }
}

#[cfg(not(feature = "ssr"))]
impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ErrorReader::deserialize(deserializer).map(|reader| reader.0)
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

#[cfg(test)]
mod tests {
    use super::*;
    use domain::area_import::Problem;
    use domain::profile::LinkProblem;
    use domain::validation::{Field, Reason};

    /// One error of every kind, with details where the kind has them.
    fn every_kind() -> Vec<AppError> {
        let invalid = ValidationError { field: Field::Description, reason: Reason::TooShort { min: 10 } };
        vec![
            AppError::invalid(Lang::Vi, vec![invalid]),
            AppError::NotFound,
            AppError::Unavailable,
            AppError::BadRequest("no body".into()),
            AppError::Malformed(Malformed { field: "lat".into(), message: "Vĩ độ không đọc được".into() }),
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::Refused(Refusal::WrongState),
            AppError::Conflict(JsonDetails::new(&CaseFacts::submitted(Some(7)))),
            AppError::BadCredentials("Sai tên đăng nhập hoặc mật khẩu".into()),
            AppError::TooManyAttempts { retry_after_seconds: 30 },
            AppError::TooManyRequests { retry_after_seconds: 5 },
            AppError::UsernameTaken,
            AppError::PasswordChangeRequired,
            AppError::AreaImport(JsonDetails::new(&vec![ImportProblem {
                feature: Some(2),
                label: Some("dong-hoi".into()),
                problem: Problem::NameTooLong { max: 120 },
            }])),
            AppError::Link(LinkProblem::Expired),
        ]
    }

    /// Where each kind stands in `every_kind`: a new kind of error does not compile here until it
    /// is listed there, and so read back by the browser's reader in the test below.
    fn position(error: &AppError) -> usize {
        match error {
            AppError::Invalid(_) => 0,
            AppError::NotFound => 1,
            AppError::Unavailable => 2,
            AppError::BadRequest(_) => 3,
            AppError::Malformed(_) => 4,
            AppError::Unauthorized => 5,
            AppError::Forbidden => 6,
            AppError::Refused(_) => 7,
            AppError::Conflict(_) => 8,
            AppError::BadCredentials(_) => 9,
            AppError::TooManyAttempts { .. } => 10,
            AppError::TooManyRequests { .. } => 11,
            AppError::UsernameTaken => 12,
            AppError::PasswordChangeRequired => 13,
            AppError::AreaImport(_) => 14,
            AppError::Link(_) => 15,
        }
    }

    #[test]
    fn every_kind_of_error_is_listed_once() {
        let positions: Vec<usize> = every_kind().iter().map(position).collect();
        assert_eq!(positions, (0..16).collect::<Vec<_>>());
    }

    #[test]
    fn the_browser_reads_every_kind_of_error_the_server_writes() {
        for error in every_kind() {
            let json = serde_json::to_string(&error).expect("written");
            let read: ErrorReader = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(read.0, error, "{json}");
            let derived: AppError = serde_json::from_str(&json).expect("the server's reader");
            assert_eq!(read.0, derived);
        }
    }

    #[test]
    fn details_one_page_reads_come_back_as_the_server_wrote_them() {
        let facts = CaseFacts::submitted(Some(7));
        let json = serde_json::to_string(&AppError::Conflict(JsonDetails::new(&facts))).expect("written");
        let Ok(ErrorReader(AppError::Conflict(details))) = serde_json::from_str(&json) else { panic!("{json}") };
        assert_eq!(details.read(), Some(facts));
        let problems = vec![ImportProblem { feature: None, label: None, problem: Problem::NameTooLong { max: 120 } }];
        let json = serde_json::to_string(&AppError::AreaImport(JsonDetails::new(&problems))).expect("written");
        let Ok(ErrorReader(AppError::AreaImport(details))) = serde_json::from_str(&json) else { panic!("{json}") };
        assert_eq!(details.read(), Some(problems));
    }

    #[test]
    fn details_that_do_not_read_as_their_kind_are_none() {
        let read: ErrorReader =
            serde_json::from_str(r#"{"error":"area_import","details":{"not":"a list"}}"#).expect("read");
        let AppError::AreaImport(details) = read.0 else { panic!("{:?}", read.0) };
        assert_eq!(details.read(), None);
    }

    #[test]
    fn the_browser_reads_details_written_before_the_tag() {
        let read: ErrorReader =
            serde_json::from_str(r#"{"details":{"retry_after_seconds":9},"error":"too_many_requests"}"#).expect("read");
        assert_eq!(read.0, AppError::TooManyRequests { retry_after_seconds: 9 });
    }

    #[test]
    fn the_browser_refuses_an_unknown_kind_or_missing_details() {
        let unknown = serde_json::from_str::<ErrorReader>(r#"{"error":"teapot"}"#).err().expect("refused");
        assert!(unknown.to_string().contains("teapot"), "{unknown}");
        assert!(serde_json::from_str::<ErrorReader>(r#"{"error":"invalid"}"#).is_err());
        assert!(serde_json::from_str::<ErrorReader>(r#"{"details":[]}"#).is_err());
    }
}
