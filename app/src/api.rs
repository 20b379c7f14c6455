//! Server functions: the browser's calls into the server, each one parsing its input with the shared core.

use crate::codec::FieldJson;
use crate::error::AppError;
use domain::case::{CaseMarker, PublicCase};
use domain::catalogue::Category;
use domain::new_case::NewCaseInput;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The answer to a submitted report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedCase {
    pub id: i64,
    /// False when the submission key had already created this case (a retry or double click).
    pub newly_created: bool,
}

/// Files a citizen's report from the web form. The server parses the input again with the
/// same function the browser used, decides the channel and the area, and stores it atomically.
#[server(prefix = "/api", endpoint = "submit_case", input = FieldJson)]
pub async fn submit_case(input: NewCaseInput) -> Result<SubmittedCase, AppError> {
    use domain::case::Channel;
    let context = crate::request::context()?;
    let actor = crate::auth::current_actor(&context).await?;
    let stored =
        services::intake::intake(context.store.as_ref(), &input, Channel::Web, &actor, chrono::Utc::now()).await?;
    Ok(SubmittedCase { id: stored.id, newly_created: stored.newly_created })
}

/// A case as the public sees it.
#[server(prefix = "/api", endpoint = "case", input = GetUrl)]
pub async fn get_public_case(id: i64) -> Result<PublicCase, AppError> {
    let context = crate::request::context()?;
    let case = context.store.public_case(id).await.map_err(crate::request::store_failure)?;
    case.ok_or_else(|| crate::error::with_status(AppError::NotFound))
}

/// The categories a report can be filed under (active ones), in catalogue order.
#[server(prefix = "/api", endpoint = "categories", input = GetUrl)]
pub async fn active_categories() -> Result<Vec<Category>, AppError> {
    let context = crate::request::context()?;
    let categories = context.store.categories().await.map_err(crate::request::store_failure)?;
    Ok(categories.into_iter().filter(|c| c.active).collect())
}

/// The most recent cases for the public map.
#[server(prefix = "/api", endpoint = "markers", input = GetUrl)]
pub async fn case_markers() -> Result<Vec<CaseMarker>, AppError> {
    const PUBLIC_MAP_LIMIT: u32 = 2000;
    let context = crate::request::context()?;
    context.store.case_markers(PUBLIC_MAP_LIMIT).await.map_err(crate::request::store_failure)
}
