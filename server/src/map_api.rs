//! `GET /api/v1/clusters`: the clusters and cases of a viewport as GeoJSON, for the maps and for other systems.

use crate::rest::{ApiError, RequestLang};
use crate::startup::AppState;
use app::auth::account_for_cookies;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use domain::map_query::{Bounds, MapFeature, MapParams, MapRequest};
use serde_json::Value;
use services::map::{answer, found_cases, Scope};
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

/// Writes one feature. The answer is written as text, not built as a JSON tree: a close view can
/// hold thousands of cases, and the tree's allocations would cost more than the clustering.
fn write_feature(out: &mut String, item: &MapFeature) {
    use std::fmt::Write;
    let (lat, lon) = match item {
        MapFeature::Cluster { lat, lon, .. } | MapFeature::Case { lat, lon, .. } => (lat, lon),
    };
    let _ =
        write!(out, r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},"properties":"#);
    let _ = match item {
        MapFeature::Cluster { count, bounds: Bounds { west, south, east, north }, .. } => write!(
            out,
            r#"{{"cluster":true,"point_count":{count},"expansion_bbox":[{west},{south},{east},{north}]}}}}"#
        ),
        MapFeature::Case { id, status, category, .. } => write!(
            out,
            r#"{{"cluster":false,"id":{id},"status":"{}","category":{}}}}}"#,
            status.as_str(),
            Value::from(category.as_str())
        ),
    };
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
    let found = answer(&state.context.index, &request, &scope, chrono::Utc::now(), searched.as_deref());
    let mut body = String::with_capacity(64 + found.features.len() * 160);
    body.push_str(r#"{"type":"FeatureCollection","features":["#);
    for (n, item) in found.features.iter().enumerate() {
        if n > 0 {
            body.push(',');
        }
        write_feature(&mut body, item);
    }
    body.push(']');
    if found.truncated {
        body.push_str(r#","truncated":true"#);
    }
    body.push('}');
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/geo+json; charset=utf-8")], body).into_response())
}
