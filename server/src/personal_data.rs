//! The signed-in citizen's own data, all of it, as one JSON download.

use crate::rest::{ApiError, RequestLang};
use crate::startup::AppState;
use app::auth::account_for_cookies;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use domain::case::ActorRole;
use services::personal_data::{gather, PersonalDataError};

/// Where the download is served.
pub const DOWNLOAD_PATH: &str = "/api/v1/me/data.json";

pub fn routes() -> Router<AppState> {
    Router::new().route(DOWNLOAD_PATH, get(download))
}

async fn download(State(state): State<AppState>, lang: RequestLang, headers: HeaderMap) -> Result<Response, ApiError> {
    let lang = lang.lang();
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let account = account_for_cookies(&state.context, cookies).await.map_err(|error| {
        tracing::error!(%error, "reading the session failed");
        ApiError::unavailable(lang)
    })?;
    let account = account.ok_or_else(|| ApiError::unauthorized(lang))?;
    // Staff accounts are the province's; what they did is in the cases' timelines and logs.
    if account.role != ActorRole::Citizen {
        return Err(ApiError::forbidden(lang));
    }
    let data =
        gather(state.context.store.as_ref(), &account, chrono::Utc::now()).await.map_err(|error| match error {
            PersonalDataError::TooManyReports => ApiError::forbidden(lang),
            error => {
                tracing::error!(%error, account_id = account.id, "gathering a citizen's data failed");
                ApiError::unavailable(lang)
            }
        })?;
    let mut response = Json(data).into_response();
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"hientruong-du-lieu-ca-nhan.json\""),
    );
    // Personal data: never kept by a shared cache or the browser's.
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
