//! `GET /healthz`, answering and failing.

use crate::helpers::spawn_app;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use hientruong::photos::{UploadGate, UploadLimits};
use hientruong::startup::{router, AppState};
use hientruong::storage::sqlite::SqliteStore;
use services::ServerContext;
use std::sync::Arc;
use tower::ServiceExt;

#[tokio::test]
async fn health_reports_ok_with_a_live_database() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body, serde_json::json!({"status": "ok", "db": "ok"}));
}

/// Where [`unreachable_app`] says it is reached, for requests that must come from the site itself.
pub const SITE: &str = "http://127.0.0.1:3000";

/// The app over a database whose connections are gone, as when the database server stops.
pub async fn unreachable_app() -> axum::Router {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = SqliteStore::open(&format!("sqlite://{}/gone.db", dir.path().display())).await.expect("open");
    store.close().await;
    let context = ServerContext {
        store: Arc::new(store),
        index: Arc::new(services::case_index::CaseIndex::empty()),
        tile_url: String::new(),
        screening: Default::default(),
        ranking_minimum: 5,
        sessions: Default::default(),
        secure_cookies: false,
        rate_limits: None,
        open_data_licence: Default::default(),
        retention: Default::default(),
        account_mail: None,
        geocoder: None,
        escalation: Default::default(),
    };
    let leptos_options = hientruong::Settings::local("sqlite::memory:").leptos_options();
    let blobs = Arc::new(hientruong::blobs::LocalBlobs::open(dir.path().join("media")).expect("media folder"));
    let uploads = Arc::new(UploadGate::new(UploadLimits::default()));
    let push = hientruong::push::PushService::new(
        hientruong::web_push::VapidKey::generate(),
        "mailto:ops@example.vn".into(),
        false,
    )
    .expect("push service");
    router(AppState {
        leptos_options,
        context,
        public_url: SITE.into(),
        blobs,
        uploads,
        push: Arc::new(push),
        page_cache: None,
    })
}

#[tokio::test]
async fn health_answers_503_when_the_database_is_unreachable() {
    let response = unreachable_app()
        .await
        .oneshot(Request::get("/healthz").body(Body::empty()).expect("request"))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.expect("body");
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(body["db"], "unreachable");
}

#[tokio::test]
async fn a_submission_while_the_database_is_down_gets_503_without_internals() {
    let request = Request::post("/api/submit_case")
        .header("content-type", "application/json")
        .header("origin", SITE)
        .body(Body::from(serde_json::json!({"input": crate::helpers::valid_report("key-down-0001")}).to_string()))
        .expect("request");
    let response = unreachable_app().await.oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.expect("body");
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("connection refused"), "database text leaked: {text}");
}
