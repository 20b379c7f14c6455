//! Rate limits on the HTTP side: which requests they count, their settings, and the 429 a client past its limit gets.

use crate::rest::RequestLang;
use anyhow::Context;
use app::error::AppError;
use app::i18n::too_many_requests;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use services::ClientAddress;
use std::sync::Arc;
use std::time::Duration;

pub use services::rate_limits::{Counted, Limited, RateLimits, Rule};

/// The limits the environment sets: `HIENTRUONG_RATE_LIMITS=off` turns them all off (for load
/// tests and benchmarks), and `HIENTRUONG_RATE_<NAME>=COUNT/UNIT` changes one.
pub fn from_env() -> anyhow::Result<Option<RateLimits>> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    match var("HIENTRUONG_RATE_LIMITS").as_deref().map(str::trim) {
        None | Some("on") => {}
        Some("off") => return Ok(None),
        Some(other) => anyhow::bail!("HIENTRUONG_RATE_LIMITS must be on or off, not {other:?}"),
    }
    let mut rules = Vec::new();
    for action in Limited::ALL {
        let name = format!("HIENTRUONG_RATE_{}", action.name());
        let rule = match var(&name) {
            Some(raw) => Rule::parse(&raw).with_context(|| format!("{name} must read like 30/h or 5/min"))?,
            None => action.default_rule(),
        };
        rules.push((action, rule));
    }
    Ok(Some(RateLimits::new(&rules)))
}

/// The limited action a request is, by its method and path; `None` for everything else.
pub fn limited_action(method: &Method, path: &str) -> Option<Limited> {
    match (method, path) {
        (&Method::POST, "/api/submit_case" | "/api/hotline/report") => Some(Limited::Intake),
        (&Method::POST, "/api/register") => Some(Limited::Registration),
        (&Method::POST, "/api/login") => Some(Limited::Login),
        (&Method::POST, "/api/v1/photos") => Some(Limited::PhotoUpload),
        (&Method::POST, "/api/my/claim") => Some(Limited::Claim),
        (&Method::POST, path) if path.starts_with("/open311/v2/requests") => Some(Limited::Open311Post),
        (&Method::GET, "/api/v1/cases.csv" | "/api/v1/cases.geojson") => Some(Limited::Export),
        (&Method::POST, "/api/forgot_password") => Some(Limited::AccountMail),
        (&Method::POST, "/api/support_case") => Some(Limited::Support),
        _ => None,
    }
}

/// Refuses a limited request past its client's limit with 429 and `Retry-After`, in the shape
/// its route answers errors with. Requests that came through no socket (in-process calls) pass.
pub async fn guard(State(limits): State<Arc<RateLimits>>, request: Request, next: Next) -> Response {
    let Some(action) = limited_action(request.method(), request.uri().path()) else { return next.run(request).await };
    let Some(ClientAddress(client)) = request.extensions().get::<ClientAddress>().copied() else {
        return next.run(request).await;
    };
    match limits.check(action, Counted::Address(client)) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            // Not a warning per refusal: a client hammering at thousands a second would write
            // megabytes of log a minute, turning the limit into a way to fill the disk.
            tracing::debug!(action = action.name(), %client, "rate limit reached");
            let lang = RequestLang::of(request.headers());
            refusal(request.uri().path(), lang, wait)
        }
    }
}

fn refusal(path: &str, asked: RequestLang, wait: Duration) -> Response {
    let retry_after_seconds = wait.as_secs().max(1);
    let body = if path.starts_with("/open311/") {
        let message = too_many_requests(asked.or(app::i18n::Lang::En), retry_after_seconds);
        serde_json::json!([{ "code": 429, "description": message }])
    } else if path.starts_with("/api/v1/") {
        serde_json::json!({ "errors": [{ "message": too_many_requests(asked.lang(), retry_after_seconds) }] })
    } else {
        // A server function: the error its caller decodes and shows in the form.
        serde_json::to_value(AppError::TooManyRequests { retry_after_seconds }).unwrap_or_default()
    };
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_classified_by_method_and_path() {
        assert_eq!(limited_action(&Method::POST, "/api/submit_case"), Some(Limited::Intake));
        assert_eq!(limited_action(&Method::POST, "/api/hotline/report"), Some(Limited::Intake));
        assert_eq!(limited_action(&Method::POST, "/open311/v2/requests.json"), Some(Limited::Open311Post));
        assert_eq!(limited_action(&Method::GET, "/open311/v2/requests.json"), None, "reading is not limited here");
        assert_eq!(limited_action(&Method::GET, "/api/v1/cases.csv"), Some(Limited::Export));
        assert_eq!(limited_action(&Method::GET, "/map"), None);
        assert_eq!(limited_action(&Method::POST, "/api/forgot_password"), Some(Limited::AccountMail));
        assert_eq!(limited_action(&Method::POST, "/api/support_case"), Some(Limited::Support));
    }
}
