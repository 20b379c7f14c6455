//! `GET /healthz`, answering and failing.

use crate::helpers::spawn_app;
use app::api::ServerContext;
use app::core::case::{CaseEvent, CaseMarker, CaseStatus, PublicCase};
use app::core::catalogue::{Agency, Category};
use app::core::contact::ReporterContact;
use app::core::geo::Area;
use app::core::new_case::NewCase;
use app::store::{CatalogueSeed, Store, StoreError, StoredCase, Submission};
use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use hientruong::startup::{router, AppState};
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

/// A database that has gone away: every call fails as unreachable.
struct UnreachableDatabase;

fn gone<T>() -> Result<T, StoreError> {
    Err(StoreError::Unavailable("connection refused".into()))
}

#[async_trait]
impl Store for UnreachableDatabase {
    async fn ping(&self) -> Result<(), StoreError> {
        gone()
    }
    async fn seed_catalogue(&self, _: &CatalogueSeed) -> Result<(), StoreError> {
        gone()
    }
    async fn categories(&self) -> Result<Vec<Category>, StoreError> {
        gone()
    }
    async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
        gone()
    }
    async fn areas(&self) -> Result<Vec<Area>, StoreError> {
        gone()
    }
    async fn create_case(&self, _: &NewCase, _: &Submission) -> Result<StoredCase, StoreError> {
        gone()
    }
    async fn public_case(&self, _: i64) -> Result<Option<PublicCase>, StoreError> {
        gone()
    }
    async fn case_events(&self, _: i64) -> Result<Vec<CaseEvent>, StoreError> {
        gone()
    }
    async fn case_status(&self, _: i64) -> Result<Option<CaseStatus>, StoreError> {
        gone()
    }
    async fn reporter_contact(&self, _: i64) -> Result<Option<ReporterContact>, StoreError> {
        gone()
    }
    async fn case_markers(&self, _: u32) -> Result<Vec<CaseMarker>, StoreError> {
        gone()
    }
    async fn count_cases(&self) -> Result<u64, StoreError> {
        gone()
    }
}

fn unreachable_app() -> axum::Router {
    let context = ServerContext { store: Arc::new(UnreachableDatabase), tile_url: String::new() };
    let leptos_options = hientruong::Settings {
        database_url: String::new(),
        site_addr: "127.0.0.1:0".parse().expect("address"),
        site_root: "target/site".into(),
        tile_url: String::new(),
        demo: hientruong::demo::DemoDataset::Off,
    }
    .leptos_options();
    router(AppState { leptos_options, context })
}

#[tokio::test]
async fn health_answers_503_when_the_database_is_unreachable() {
    let response = unreachable_app()
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
        .body(Body::from(serde_json::json!({"input": crate::helpers::valid_report("key-down-0001")}).to_string()))
        .expect("request");
    let response = unreachable_app().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.expect("body");
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("connection refused"), "database text leaked: {text}");
}
