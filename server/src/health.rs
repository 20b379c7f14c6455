//! `GET /healthz`: whether this server and its database answer.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use services::ServerContext;

pub async fn healthz(State(context): State<ServerContext>) -> (StatusCode, Json<Value>) {
    match context.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ok", "db": "ok"}))),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "unavailable", "db": "unreachable"})))
        }
    }
}
