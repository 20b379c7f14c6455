//! `GET /api/v1/clusters`: the clusters and cases of a viewport as GeoJSON, for the maps and for other systems.

use crate::rest::{ApiError, RequestLang};
use crate::startup::AppState;
use app::auth::account_for_cookies;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use domain::map_query::{Bounds, MapParams, MapRequest};
use services::map::{each_feature, found_cases, FeatureRef, Scope};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/clusters", get(clusters))
}

fn params(query: &HashMap<String, String>) -> MapParams {
    let get = |name: &str| query.get(name).cloned().unwrap_or_default();
    MapParams {
        bbox: get("bbox"),
        zoom: get("zoom"),
        status: get("status"),
        category: get("category"),
        agency: get("agency"),
        area: get("area"),
        channel: get("channel"),
        overdue: get("overdue"),
        from: get("from"),
        to: get("to"),
        public: get("public"),
        q: get("q"),
    }
}

/// Writes one feature straight into the answer's bytes: a close view can hold thousands of cases,
/// and building values or formatting through `fmt` first would cost more than the clustering.
fn write_feature(out: &mut Vec<u8>, feature: &FeatureRef<'_>) {
    let (lat, lon) = match *feature {
        FeatureRef::Cluster { lat, lon, .. } | FeatureRef::Case { lat, lon, .. } => (lat, lon),
    };
    out.extend_from_slice(br#"{"type":"Feature","geometry":{"type":"Point","coordinates":["#);
    write_number(out, lon);
    out.push(b',');
    write_number(out, lat);
    out.extend_from_slice(br#"]},"properties":"#);
    match *feature {
        FeatureRef::Cluster { count, bounds: Bounds { west, south, east, north }, .. } => {
            out.extend_from_slice(br#"{"cluster":true,"point_count":"#);
            out.extend_from_slice(itoa::Buffer::new().format(count).as_bytes());
            out.extend_from_slice(br#","expansion_bbox":["#);
            for (n, edge) in [west, south, east, north].into_iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_number(out, edge);
            }
            out.extend_from_slice(b"]}}");
        }
        FeatureRef::Case { id, status, category, .. } => {
            out.extend_from_slice(br#"{"cluster":false,"id":"#);
            out.extend_from_slice(itoa::Buffer::new().format(id).as_bytes());
            out.extend_from_slice(br#","status":""#);
            out.extend_from_slice(status.as_str().as_bytes());
            out.extend_from_slice(br#"","category":"#);
            write_string(out, category);
            out.extend_from_slice(b"}}");
        }
    }
}

/// A coordinate as its shortest exact decimal; JSON has no NaN or infinity, which no position holds.
fn write_number(out: &mut Vec<u8>, value: f64) {
    if value.is_finite() {
        out.extend_from_slice(ryu::Buffer::new().format_finite(value).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

/// A JSON string: quotes, backslashes and control characters escaped.
fn write_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    for byte in text.bytes() {
        match byte {
            b'"' => out.extend_from_slice(br#"\""#),
            b'\\' => out.extend_from_slice(br"\\"),
            0..=0x1f => out.extend_from_slice(format!("\\u{byte:04x}").as_bytes()),
            _ => out.push(byte),
        }
    }
    out.push(b'"');
}

/// Answers from this size on are compressed for clients that accept gzip.
const COMPRESSED_FROM: usize = 1024;

/// Whether the client accepts gzip (and has not refused it with `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|value| {
        value.split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts.next().is_some_and(|name| name.eq_ignore_ascii_case("gzip"))
                && parts.all(|param| param.replace(' ', "") != "q=0")
        })
    })
}

/// The answer gzipped at the fastest level: the server's own compression layer, made for pages,
/// costs several times more per answer on a close view of thousands of cases, and a map asks often.
fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::fast());
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

/// Anyone may ask; each sees the cases of their scope (see `services::map::Scope`), or the
/// public's with `public=true`; `q` keeps the cases its words find (the newest
/// [`services::map::MAP_SEARCH_LIMIT`] of them).
async fn clusters(
    State(state): State<AppState>,
    lang: RequestLang,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lang = lang.lang();
    let account = match headers.get(header::COOKIE).and_then(|v| v.to_str().ok()) {
        Some(cookies) => account_for_cookies(&state.context, cookies).await.map_err(|error| {
            tracing::error!(%error, "clusters: reading the session failed");
            ApiError::unavailable(lang)
        })?,
        None => None,
    };
    let params = params(&query);
    let request = MapRequest::parse(&params).map_err(|errors| ApiError::parameters(lang, &errors))?;
    let scope = if params.wants_public_view() { Scope::Public } else { Scope::of(account.as_ref()) };
    let searched = found_cases(state.context.store.as_ref(), &request, &scope).await.map_err(|error| {
        tracing::error!(%error, "clusters: searching failed");
        ApiError::unavailable(lang)
    })?;
    let mut body = Vec::with_capacity(16 * 1024);
    body.extend_from_slice(br#"{"type":"FeatureCollection","features":["#);
    let mut first = true;
    let (_, truncated) =
        each_feature(&state.context.index, &request, &scope, chrono::Utc::now(), searched.as_deref(), &mut |feature| {
            if !first {
                body.push(b',');
            }
            first = false;
            write_feature(&mut body, &feature);
        });
    body.push(b']');
    if truncated {
        body.extend_from_slice(br#","truncated":true"#);
    }
    body.push(b'}');
    let content_type = (header::CONTENT_TYPE, "application/geo+json; charset=utf-8");
    if body.len() >= COMPRESSED_FROM && accepts_gzip(&headers) {
        if let Some(compressed) = gzip(&body) {
            let encoding = [(header::CONTENT_ENCODING, "gzip"), (header::VARY, "accept-encoding")];
            return Ok((StatusCode::OK, [content_type], encoding, compressed).into_response());
        }
    }
    Ok((StatusCode::OK, [content_type], body).into_response())
}
