//! The REST edge: the caller's language and the one error body every `/api/v1` and `/media` route answers with.

use app::i18n::{error_message, map_param_message, photo_error_message, upload_refusal_message, Lang, UploadRefusal};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::map_query::ParamError;
use domain::photos::display_file_name;
use domain::validation::{Field, Reason, ValidationError};
use serde::Serialize;
use services::statistics::StatisticsError;

/// The language a request asked for: the site's language cookie, else the most preferred of
/// Vietnamese and English in `Accept-Language`; nothing when it asked for neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestLang {
    asked: Option<Lang>,
}

impl RequestLang {
    pub fn of(headers: &HeaderMap) -> Self {
        let cookies = headers.get_all(header::COOKIE).iter().filter_map(|value| value.to_str().ok());
        let accept_language = headers.get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok());
        Self { asked: Lang::requested(cookies, accept_language) }
    }

    /// The language asked for, else Vietnamese, the site's own.
    pub fn lang(self) -> Lang {
        self.or(Lang::Vi)
    }

    /// The language asked for, else `default`.
    pub fn or(self, default: Lang) -> Lang {
        self.asked.unwrap_or(default)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.headers))
    }
}

/// What the service says when its storage does not answer, in `lang`.
pub fn unavailable_message(lang: Lang) -> &'static str {
    lang.pick(
        "Hệ thống tạm thời không phục vụ được; vui lòng thử lại sau.",
        "The service is temporarily unavailable; please try again later.",
    )
}

/// One problem of a refused request: what it concerns, and a message in the caller's language that
/// names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Problem {
    /// A field of the data sent (`from`, `status`, `photos`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    /// A query parameter of the map (`bbox`, `zoom`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<String>,
    /// The refused file, as its sender named it.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    message: String,
}

impl Problem {
    fn message_only(message: impl Into<String>) -> Self {
        Self { field: None, parameter: None, file: None, message: message.into() }
    }

    fn field(name: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: Some(name.into()), ..Self::message_only(message) }
    }

    fn parameter(name: impl Into<String>, message: impl Into<String>) -> Self {
        Self { parameter: Some(name.into()), ..Self::message_only(message) }
    }
}

/// A refused REST request: its status and `{"errors": [...]}`, each problem named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    status: StatusCode,
    /// Seconds the caller should wait before asking again, sent as `Retry-After`.
    #[serde(skip)]
    retry_after_seconds: Option<u64>,
    errors: Vec<Problem>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Data that breaks the rules: 422, each field by name.
    pub fn invalid(lang: Lang, errors: Vec<ValidationError>) -> Self {
        let errors =
            errors.iter().map(|error| Problem::field(error.field.as_str(), error_message(lang, error))).collect();
        Self { status: StatusCode::UNPROCESSABLE_ENTITY, retry_after_seconds: None, errors }
    }

    /// Query parameters the map cannot read: 400, each parameter by name.
    pub fn parameters(lang: Lang, errors: &[ParamError]) -> Self {
        let errors = errors
            .iter()
            .map(|error| Problem::parameter(error.param.as_str(), map_param_message(lang, error)))
            .collect();
        Self { status: StatusCode::BAD_REQUEST, retry_after_seconds: None, errors }
    }

    /// A refused upload, naming the file: 413 when too large, 415 when not a photo we read, else 422.
    pub fn photo(lang: Lang, file_name: &str, reason: Reason) -> Self {
        let status = match reason {
            Reason::FileTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Reason::UnsupportedFormat | Reason::NotAnImage => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let error = ValidationError::new(Field::Photos, reason);
        let problem = Problem {
            file: Some(display_file_name(file_name)),
            ..Problem::field(Field::Photos.as_str(), photo_error_message(lang, file_name, &error))
        };
        Self { status, retry_after_seconds: None, errors: vec![problem] }
    }

    /// An upload refused before its photo was read, naming the file: 429 past the client's quota
    /// (and `Retry-After`), 507 past the site's quota or disk budget, 503 with `Retry-After` while
    /// every decoder is busy, 408 when the file came too slowly.
    pub fn upload_refused(lang: Lang, file_name: &str, refusal: UploadRefusal) -> Self {
        let (status, retry_after_seconds) = match refusal {
            UploadRefusal::ClientQuota => (StatusCode::TOO_MANY_REQUESTS, Some(CLIENT_QUOTA_RETRY_SECONDS)),
            UploadRefusal::SiteQuota | UploadRefusal::DiskBudget => (StatusCode::INSUFFICIENT_STORAGE, None),
            UploadRefusal::Busy { retry_after_seconds } => (StatusCode::SERVICE_UNAVAILABLE, Some(retry_after_seconds)),
            UploadRefusal::TooSlow => (StatusCode::REQUEST_TIMEOUT, None),
        };
        let problem = Problem {
            file: Some(display_file_name(file_name)),
            ..Problem::field(Field::Photos.as_str(), upload_refusal_message(lang, file_name, refusal))
        };
        Self { status, retry_after_seconds, errors: vec![problem] }
    }

    /// A request refused for one of its headers (`content-type`, `origin`): 403, naming it.
    pub fn refused_header(header: &str, message: impl Into<String>) -> Self {
        Self { status: StatusCode::FORBIDDEN, retry_after_seconds: None, errors: vec![Problem::field(header, message)] }
    }

    /// Not signed in, or the session has ended: 401.
    pub fn unauthorized(lang: Lang) -> Self {
        let message = lang.pick("Vui lòng đăng nhập.", "Please sign in.");
        Self {
            status: StatusCode::UNAUTHORIZED,
            retry_after_seconds: None,
            errors: vec![Problem::message_only(message)],
        }
    }

    /// Signed in, but this account may not do this: 403.
    pub fn forbidden(lang: Lang) -> Self {
        let message = lang.pick("Tài khoản này không được làm việc này.", "This account may not do this.");
        Self { status: StatusCode::FORBIDDEN, retry_after_seconds: None, errors: vec![Problem::message_only(message)] }
    }

    /// Nothing at this address, or nothing the caller may learn of: 404.
    pub fn not_found(lang: Lang) -> Self {
        let message = lang.pick("Không tìm thấy.", "Not found.");
        Self { status: StatusCode::NOT_FOUND, retry_after_seconds: None, errors: vec![Problem::message_only(message)] }
    }

    /// Storage did not answer: 503. The cause belongs in the log, written where it happened.
    pub fn unavailable(lang: Lang) -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            retry_after_seconds: None,
            errors: vec![Problem::message_only(unavailable_message(lang))],
        }
    }

    /// Statistics that could not be computed: a bad request names its fields, a storage failure is logged.
    pub fn from_statistics(lang: Lang, error: StatisticsError) -> Self {
        match error {
            StatisticsError::Invalid(errors) => Self::invalid(lang, errors),
            StatisticsError::Store(error) => {
                tracing::error!(%error, "reading statistics failed");
                Self::unavailable(lang)
            }
        }
    }
}

/// How long a client past its quota of waiting photos is told to wait: its photos leave the count
/// when a report takes them, or when the sweep forgets them.
const CLIENT_QUOTA_RETRY_SECONDS: u64 = 3600;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = self.retry_after_seconds.and_then(|seconds| HeaderValue::from_str(&seconds.to_string()).ok());
        let mut response = (self.status, Json(self)).into_response();
        if let Some(value) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

// Push notices.

impl ApiError {
    /// A request refused for its body as a whole (too large, not JSON): `status`, naming the body.
    pub fn body(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, retry_after_seconds: None, errors: vec![Problem::field("body", message)] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn asked(pairs: &[(header::HeaderName, &'static str)]) -> Option<Lang> {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(name, HeaderValue::from_static(value));
        }
        RequestLang::of(&headers).asked
    }

    #[test]
    fn the_cookie_decides_before_the_header() {
        assert_eq!(asked(&[]), None);
        assert_eq!(RequestLang::default().lang(), Lang::Vi);
        assert_eq!(RequestLang::default().or(Lang::En), Lang::En);
        assert_eq!(asked(&[(header::COOKIE, "a=1; lang=en")]), Some(Lang::En));
        assert_eq!(asked(&[(header::COOKIE, "lang=vi"), (header::ACCEPT_LANGUAGE, "en")]), Some(Lang::Vi));
        assert_eq!(asked(&[(header::COOKIE, "session=x"), (header::COOKIE, "lang=en")]), Some(Lang::En));
        // A cookie merely containing "lang", or naming a language the site lacks, leaves it to the header.
        assert_eq!(asked(&[(header::COOKIE, "language_seen=1"), (header::ACCEPT_LANGUAGE, "en")]), Some(Lang::En));
        assert_eq!(asked(&[(header::COOKIE, "lang=fr"), (header::ACCEPT_LANGUAGE, "en")]), Some(Lang::En));
    }

    #[test]
    fn accept_language_is_read_by_weight() {
        let header = |value| asked(&[(header::ACCEPT_LANGUAGE, value)]);
        assert_eq!(header("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(header("vi-VN, en;q=0.5"), Some(Lang::Vi));
        assert_eq!(header("fr, en;q=0.8, vi;q=0.9"), Some(Lang::Vi));
        assert_eq!(header("en;q=0, vi;q=0.1"), Some(Lang::Vi));
        assert_eq!(header("fr-FR, de"), None);
        assert_eq!(header("EN"), Some(Lang::En));
    }

    #[test]
    fn the_body_names_each_subject_under_its_own_key() {
        let invalid = ApiError::invalid(Lang::En, vec![ValidationError::new(Field::PeriodFrom, Reason::Required)]);
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = serde_json::to_value(&invalid).expect("serialises");
        assert_eq!(body["errors"][0]["field"], "from");
        assert!(body["errors"][0].get("parameter").is_none(), "{body}");
        assert!(body.get("status").is_none(), "{body}");

        let photo = ApiError::photo(Lang::Vi, "anh.heic", Reason::UnsupportedFormat);
        assert_eq!(photo.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let body = serde_json::to_value(&photo).expect("serialises");
        assert_eq!((&body["errors"][0]["field"], &body["errors"][0]["file"]), (&"photos".into(), &"anh.heic".into()));

        let unavailable = serde_json::to_value(ApiError::unavailable(Lang::En)).expect("serialises");
        assert_eq!(unavailable, serde_json::json!({"errors": [{"message": unavailable_message(Lang::En)}]}));
    }

    #[test]
    fn statistics_errors_keep_their_fields_and_status() {
        let store = StatisticsError::Store(services::store::StoreError::Unavailable("down".into()));
        assert_eq!(ApiError::from_statistics(Lang::Vi, store), ApiError::unavailable(Lang::Vi));
        let invalid = StatisticsError::Invalid(vec![ValidationError::new(Field::Area, Reason::UnknownArea)]);
        let invalid = ApiError::from_statistics(Lang::En, invalid);
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(serde_json::to_value(&invalid).expect("serialises")["errors"][0]["field"], "area");
    }
}
