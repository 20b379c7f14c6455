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
    write_degrees(out, lon, Rounding::Nearest);
    out.push(b',');
    write_degrees(out, lat, Rounding::Nearest);
    out.extend_from_slice(br#"]},"properties":"#);
    match *feature {
        FeatureRef::Cluster { count, bounds: Bounds { west, south, east, north }, .. } => {
            out.extend_from_slice(br#"{"cluster":true,"point_count":"#);
            out.extend_from_slice(itoa::Buffer::new().format(count).as_bytes());
            out.extend_from_slice(br#","expansion_bbox":["#);
            // Rounded outwards, so the box still holds every case of the cluster and its centre.
            let edges = [(west, Rounding::Down), (south, Rounding::Down), (east, Rounding::Up), (north, Rounding::Up)];
            for (n, (edge, rounding)) in edges.into_iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_degrees(out, edge, rounding);
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

/// Decimal places of the coordinates written: six are about 10 cm on the ground, finer than any
/// pin on a phone's map and than the index's own grid, and RFC 7946 (section 11.2) advises no more;
/// a close view of thousands of cases weighs a fifth less than with every digit of an `f64`.
const DECIMALS: u32 = 6;
const MICRO: f64 = 1_000_000.0;

/// Which way a coordinate is rounded to [`DECIMALS`] places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rounding {
    Nearest,
    Down,
    Up,
}

/// A coordinate in degrees to [`DECIMALS`] places, trailing zeros dropped; JSON has no NaN or
/// infinity, which no position holds.
fn write_degrees(out: &mut Vec<u8>, degrees: f64, rounding: Rounding) {
    if !degrees.is_finite() {
        out.extend_from_slice(b"null");
        return;
    }
    let scaled = degrees * MICRO;
    let scaled = match rounding {
        Rounding::Nearest => scaled.round(),
        Rounding::Down => scaled.floor(),
        Rounding::Up => scaled.ceil(),
    } as i64;
    if scaled < 0 {
        out.push(b'-');
    }
    let magnitude = scaled.unsigned_abs();
    let divisor = 10u64.pow(DECIMALS);
    out.extend_from_slice(itoa::Buffer::new().format(magnitude / divisor).as_bytes());
    let mut fraction = magnitude % divisor;
    if fraction == 0 {
        return;
    }
    let mut places = DECIMALS;
    while fraction.is_multiple_of(10) {
        fraction /= 10;
        places -= 1;
    }
    out.push(b'.');
    let digits = itoa::Buffer::new().format(fraction).len() as u32;
    out.extend(std::iter::repeat_n(b'0', (places - digits) as usize));
    out.extend_from_slice(itoa::Buffer::new().format(fraction).as_bytes());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn degrees(value: f64, rounding: Rounding) -> String {
        let mut out = Vec::new();
        write_degrees(&mut out, value, rounding);
        String::from_utf8(out).expect("ASCII")
    }

    #[test]
    fn coordinates_are_written_to_six_places_without_trailing_zeros() {
        assert_eq!(degrees(106.612_345_678_9, Rounding::Nearest), "106.612346");
        assert_eq!(degrees(17.481_234_4, Rounding::Nearest), "17.481234");
        assert_eq!(degrees(106.5, Rounding::Nearest), "106.5");
        assert_eq!(degrees(17.0, Rounding::Nearest), "17");
        assert_eq!(degrees(0.000_05, Rounding::Nearest), "0.00005");
        assert_eq!(degrees(0.000_000_4, Rounding::Nearest), "0");
        assert_eq!(degrees(-33.868_82, Rounding::Nearest), "-33.86882");
        assert_eq!(degrees(-0.000_001, Rounding::Nearest), "-0.000001");
        assert_eq!(degrees(f64::NAN, Rounding::Nearest), "null");
    }

    #[test]
    fn a_box_is_rounded_outwards_so_it_still_holds_what_it_held() {
        assert_eq!(degrees(106.612_345_1, Rounding::Down), "106.612345");
        assert_eq!(degrees(106.612_345_1, Rounding::Up), "106.612346");
        assert_eq!(degrees(-17.000_000_1, Rounding::Down), "-17.000001");
        assert_eq!(degrees(-17.000_000_1, Rounding::Up), "-17");
    }

    #[test]
    fn every_written_coordinate_reads_back_within_half_a_millionth() {
        for step in 0..20_000 {
            let value = -180.0 + f64::from(step) * 0.018_000_37;
            let read: f64 = degrees(value, Rounding::Nearest).parse().expect("a number");
            assert!((read - value).abs() <= 0.5e-6 + 1e-12, "{value} was written as {read}");
        }
    }
}
