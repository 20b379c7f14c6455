//! How large a body each server function may send: what its largest valid input needs, read before the function runs.

use crate::rest::RequestLang;
use crate::startup::MAX_REQUEST_BYTES;
use app::error::{AppError, Malformed};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// A server function's body at most: a report, with a 4,000-character description and every
/// other field at its longest, is under 30 kB of JSON.
pub const SERVER_FUNCTION_BYTES: usize = 64 * 1024;

/// The body a `POST` to `path` may carry, if it is a server function's; other routes bound their
/// own bodies (photos, Open311) or take none.
pub fn cap_for(method: &Method, path: &str) -> Option<usize> {
    if method != Method::POST || !path.starts_with("/api/") || path.starts_with("/api/v1/") {
        return None;
    }
    match path {
        // An area file of up to 10 MB, carried as a JSON string.
        "/api/admin/import_areas" => Some(MAX_REQUEST_BYTES),
        _ => Some(SERVER_FUNCTION_BYTES),
    }
}

/// Refuses a server function's body past its cap with 413 naming the body, without reading more
/// of it than the cap: by its declared length when it has one, else as it arrives.
pub async fn cap(request: Request, next: Next) -> Response {
    let Some(cap) = cap_for(request.method(), request.uri().path()) else { return next.run(request).await };
    let lang = RequestLang::of(request.headers()).lang();
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > cap as u64) {
        return too_large(lang, cap);
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, cap).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(_) => too_large(lang, cap),
    }
}

fn too_large(lang: app::i18n::Lang, cap: usize) -> Response {
    let error = AppError::Malformed(Malformed {
        field: "body".into(),
        message: app::i18n::body_too_large(lang, cap.div_ceil(1024)),
    });
    (StatusCode::PAYLOAD_TOO_LARGE, Json(error)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;
    use axum::Router;
    use tower::ServiceExt as _;

    /// A server function that echoes how many bytes it was handed.
    fn capped_app() -> Router {
        Router::new()
            .route("/api/submit_case", post(|body: axum::body::Bytes| async move { body.len().to_string() }))
            .layer(axum::middleware::from_fn(cap))
    }

    /// A body whose bytes never come: reading any of it would wait forever.
    fn endless_body() -> Body {
        Body::from_stream(futures_util::stream::pending::<Result<axum::body::Bytes, std::io::Error>>())
    }

    #[tokio::test]
    async fn a_16_mb_declared_body_is_refused_without_reading_a_byte() {
        let request = Request::post("/api/submit_case")
            .header(header::CONTENT_LENGTH, 16 * 1024 * 1024)
            .header(header::COOKIE, "lang=en")
            .body(endless_body())
            .expect("a request");
        let started = std::time::Instant::now();
        let response = capped_app().oneshot(request).await.expect("an answer");
        let elapsed = started.elapsed();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(elapsed < std::time::Duration::from_millis(10), "refused in {elapsed:?}");
        let body = axum::body::to_bytes(response.into_body(), 4096).await.expect("the refusal");
        let refusal: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(refusal["error"], "malformed");
        assert_eq!(refusal["details"]["field"], "body");
        assert_eq!(refusal["details"]["message"], "The request is too large: at most 64 kB.");
    }

    #[tokio::test]
    async fn an_undeclared_body_is_read_only_up_to_the_cap() {
        let chunk = axum::body::Bytes::from(vec![b' '; 1024]);
        let chunks = (0..100).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
        let request = Request::post("/api/submit_case")
            .body(Body::from_stream(futures_util::stream::iter(chunks)))
            .expect("a request");
        let response = capped_app().oneshot(request).await.expect("an answer");
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE, "100 kB streamed past a 64 kB cap");
        let small = Request::post("/api/submit_case").body(Body::from("{}")).expect("a request");
        let response = capped_app().oneshot(small).await.expect("an answer");
        let body = axum::body::to_bytes(response.into_body(), 64).await.expect("the answer");
        assert_eq!(&body[..], b"2", "a body within the cap reaches the function whole");
    }

    #[test]
    fn server_functions_are_capped_at_what_their_input_needs() {
        assert_eq!(cap_for(&Method::POST, "/api/submit_case"), Some(SERVER_FUNCTION_BYTES));
        assert_eq!(cap_for(&Method::POST, "/api/register"), Some(SERVER_FUNCTION_BYTES));
        assert_eq!(cap_for(&Method::POST, "/api/admin/import_areas"), Some(MAX_REQUEST_BYTES));
        assert_eq!(cap_for(&Method::POST, "/api/v1/photos"), None, "uploads bound their own bodies");
        assert_eq!(cap_for(&Method::GET, "/api/map_clusters"), None);
        assert_eq!(cap_for(&Method::POST, "/open311/v2/requests.json"), None);
    }
}
