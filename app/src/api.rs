//! Server functions: the browser's calls into the server, each one parsing its input with the shared core.

use crate::codec::FieldJson;
use crate::error::AppError;
use domain::case::PublicCase;
use domain::catalogue::Category;
use domain::new_case::NewCaseInput;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The answer to a submitted report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedCase {
    pub id: i64,
    /// False when the submission key had already created this case (a retry or double click).
    pub newly_created: bool,
    /// For an anonymous report, the private receipt token that opens the reporter's own view of
    /// the case at `/receipt/TOKEN`. Given once: the server keeps only its hash.
    pub receipt: Option<String>,
    /// For a phoned-in report, the one-time code the operator reads to the caller, who claims
    /// the case with it. Given once: the server keeps only its hash.
    #[serde(default)]
    pub claim_code: Option<String>,
}

/// Files a citizen's report from the web form. The server parses the input again with the
/// same function the browser used, decides the area, and stores it atomically. `from_app` says
/// the report was filed from the installed app (or sent later from its drafts): its channel is
/// then `app`, otherwise `web`.
#[server(prefix = "/api", endpoint = "submit_case", input = FieldJson, output = crate::codec::JsonText)]
pub async fn submit_case(input: NewCaseInput, #[server(default)] from_app: bool) -> Result<SubmittedCase, AppError> {
    use domain::case::{ActorRole, Channel};
    let context = crate::request::context()?;
    let actor = crate::auth::current_actor(&context).await?;
    if let Some(account_id) = actor.account_id {
        crate::request::count_for_account(&context, services::rate_limits::Limited::Intake, account_id)?;
    }
    let receipt = (actor.role == ActorRole::Anonymous).then(crate::auth::new_secret);
    let secrets = services::store::CaseSecrets {
        receipt_hash: receipt.as_deref().map(crate::auth::token_hash),
        claim_code_hash: None,
    };
    let channel = if from_app { Channel::App } else { Channel::Web };
    let stored =
        services::intake::intake(context.store.as_ref(), &input, channel, &actor, chrono::Utc::now(), secrets).await?;
    // A repeated submission stored nothing new, so the receipt made for it opens nothing.
    let receipt = receipt.filter(|_| stored.newly_created);
    Ok(SubmittedCase { id: stored.id, newly_created: stored.newly_created, receipt, claim_code: None })
}

/// A case as the asker may see it: the public view, or for a case held back from the public
/// (see `domain::case::held_back`), the view of its screeners and its reporter. Anyone else gets
/// 404, as for a case that does not exist.
#[server(prefix = "/api", endpoint = "case", input = GetUrl, output = crate::codec::JsonText)]
pub async fn get_public_case(id: i64) -> Result<PublicCase, AppError> {
    server::visible_case(id, None).await
}

/// The reporter's own view of the case whose private receipt token is `token`; 404 for any other token.
#[server(prefix = "/api", endpoint = "receipt", input = GetUrl, output = crate::codec::JsonText)]
pub async fn receipt_case(token: String) -> Result<PublicCase, AppError> {
    server::receipt_case(token).await
}

/// The categories a report can be filed under (active ones), in catalogue order.
#[server(prefix = "/api", endpoint = "categories", input = GetUrl, output = crate::codec::JsonText)]
pub async fn active_categories() -> Result<Vec<Category>, AppError> {
    let context = crate::request::context()?;
    let categories = context.store.categories().await.map_err(crate::request::store_failure)?;
    Ok(categories.into_iter().filter(|c| c.active).collect())
}

#[cfg(feature = "ssr")]
pub use server::case_of_receipt;

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: the one visibility rule asked for the case and the asker.

    use super::*;
    use crate::error::{with_status, AppError};
    use domain::case::{photos_public, reporter_photos, CaseAccess};
    use services::visibility::seen_case;

    /// Case `id` as the asker may see it. `receipt` is the reporter's private receipt token, when
    /// they came by it: their photos' addresses carry it, so the browser may fetch them.
    pub async fn visible_case(id: i64, receipt: Option<&str>) -> Result<PublicCase, AppError> {
        let context = crate::request::context()?;
        let account = crate::auth::current_account(&context).await?;
        let store = context.store.as_ref();
        let receipt_hash = receipt.map(crate::auth::token_hash);
        let Some(seen) = seen_case(store, id, account.as_ref(), receipt_hash.as_deref()).await? else {
            return Err(with_status(AppError::NotFound));
        };
        let mut case = store
            .public_case(id)
            .await
            .map_err(crate::request::store_failure)?
            .ok_or_else(|| with_status(AppError::NotFound))?;
        // The question waiting for an answer is the reporter's to read.
        if seen.access == CaseAccess::Reporter {
            case.question = domain::pause::waiting_question(&seen.facts, &seen.events);
        }
        // The reporter sees the photos they sent before anyone screened them; the public does not.
        if seen.access == CaseAccess::Reporter && !photos_public(case.status) {
            let photos = store.case_photos(id).await.map_err(crate::request::store_failure)?;
            case.photos = reporter_photos(case.status, &seen.events, photos);
            if let Some(token) = receipt {
                for photo in &mut case.photos {
                    photo.display_url = format!("{}?receipt={token}", photo.display_url);
                    photo.thumbnail_url = format!("{}?receipt={token}", photo.thumbnail_url);
                }
            }
        }
        Ok(case)
    }

    pub async fn receipt_case(token: String) -> Result<PublicCase, AppError> {
        let context = crate::request::context()?;
        let id = case_of_receipt(&context, &token).await?;
        visible_case(id, Some(&token)).await
    }

    /// The case a receipt token names, or 404 alike for a malformed token and one naming nothing.
    pub async fn case_of_receipt(context: &services::ServerContext, token: &str) -> Result<i64, AppError> {
        // Tokens are 64 hex digits; anything else cannot name a case and is not worth a lookup.
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(with_status(AppError::NotFound));
        }
        let hash = crate::auth::token_hash(token);
        let id = context.store.case_for_receipt(&hash).await.map_err(crate::request::store_failure)?;
        id.ok_or_else(|| with_status(AppError::NotFound))
    }
}
