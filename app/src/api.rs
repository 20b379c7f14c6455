//! Server functions: the browser's calls into the server, each one parsing its input with the shared core.

use crate::core::case::{CaseMarker, PublicCase};
use crate::core::catalogue::Category;
use crate::core::new_case::NewCaseInput;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
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
#[server(prefix = "/api", endpoint = "submit_case", input = Json)]
pub async fn submit_case(input: NewCaseInput) -> Result<SubmittedCase, AppError> {
    use crate::core::case::Channel;
    let context = server::context()?;
    let actor = crate::auth::current_actor(&context).await?;
    let stored = server::intake(context.store.as_ref(), &input, Channel::Web, &actor, chrono::Utc::now()).await?;
    Ok(SubmittedCase { id: stored.id, newly_created: stored.newly_created })
}

/// A case as the public sees it.
#[server(prefix = "/api", endpoint = "case", input = GetUrl)]
pub async fn get_public_case(id: i64) -> Result<PublicCase, AppError> {
    let context = server::context()?;
    let case = context.store.public_case(id).await.map_err(server::store_failure)?;
    case.ok_or_else(|| server::fail(AppError::NotFound))
}

/// The categories a report can be filed under (active ones), in catalogue order.
#[server(prefix = "/api", endpoint = "categories", input = GetUrl)]
pub async fn active_categories() -> Result<Vec<Category>, AppError> {
    let context = server::context()?;
    let categories = context.store.categories().await.map_err(server::store_failure)?;
    Ok(categories.into_iter().filter(|c| c.active).collect())
}

/// The most recent cases for the public map.
#[server(prefix = "/api", endpoint = "markers", input = GetUrl)]
pub async fn case_markers() -> Result<Vec<CaseMarker>, AppError> {
    const PUBLIC_MAP_LIMIT: u32 = 2000;
    let context = server::context()?;
    context.store.case_markers(PUBLIC_MAP_LIMIT).await.map_err(server::store_failure)
}

#[cfg(feature = "ssr")]
pub use server::{intake, request_lang, set_error_status, IntakeError, ScreeningRules, ServerContext};

#[cfg(feature = "ssr")]
mod server {
    //! Server-side halves of the server functions, shared with the server's other intake routes.

    use crate::core::case::Channel;
    use crate::core::geo::locate;
    use crate::core::new_case::{NewCase, NewCaseInput};
    use crate::core::validation::ValidationError;
    use crate::core::workflow::{Actor, IntakeTerms};
    use crate::error::{AppError, FieldError};
    use crate::i18n::Lang;
    use crate::store::{SharedStore, Store, StoreError, StoredCase, Submission};
    use chrono::{DateTime, Utc};
    use leptos::prelude::*;

    /// What every request on the server can reach through context.
    #[derive(Clone)]
    pub struct ServerContext {
        pub store: SharedStore,
        /// Every case in memory, for maps and statistics; follows the database.
        pub index: std::sync::Arc<crate::case_index::CaseIndex>,
        /// Map tile URL template handed to the browser.
        pub tile_url: String,
        pub screening: ScreeningRules,
        /// Handled cases an agency needs in a period before the statistics rank it.
        pub ranking_minimum: u64,
    }

    /// How screening looks for possible duplicates: same category, this close, this recent.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub struct ScreeningRules {
        pub duplicate_radius_metres: f64,
        pub duplicate_window_days: i64,
    }

    impl Default for ScreeningRules {
        fn default() -> Self {
            Self { duplicate_radius_metres: 150.0, duplicate_window_days: 30 }
        }
    }

    impl ServerContext {
        /// The context of the current request.
        pub fn current() -> Result<Self, AppError> {
            use_context::<ServerContext>().ok_or_else(|| {
                tracing::error!("server context missing");
                fail(AppError::Unavailable)
            })
        }
    }

    pub fn context() -> Result<ServerContext, AppError> {
        ServerContext::current()
    }

    /// Sets the HTTP status that matches `error` on the current response.
    pub fn set_error_status(error: &AppError) {
        if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
                options.set_status(status);
            }
        }
    }

    pub use crate::error::with_status as fail;

    pub fn store_failure(error: StoreError) -> AppError {
        tracing::error!(%error, "storage failed");
        fail(AppError::Unavailable)
    }

    /// The language of the current request, from its cookie.
    pub fn request_lang() -> Lang {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }

    /// Why a report was not stored.
    #[derive(Debug, thiserror::Error)]
    pub enum IntakeError {
        #[error("invalid report")]
        Invalid(Vec<ValidationError>),
        #[error(transparent)]
        Store(#[from] StoreError),
    }

    impl From<IntakeError> for AppError {
        fn from(error: IntakeError) -> Self {
            match error {
                IntakeError::Invalid(errors) => {
                    let lang = request_lang();
                    fail(AppError::Invalid(errors.into_iter().map(|e| FieldError::from_validation(lang, e)).collect()))
                }
                IntakeError::Store(error) => store_failure(error),
            }
        }
    }

    /// Parses a report with the shared core against the current catalogue, finds the served
    /// area holding its pin, and stores it with the channel the server saw it arrive by and the
    /// catalogue's terms (deadline, route) as they stand now.
    #[tracing::instrument(skip_all, fields(channel = channel.as_str()))]
    pub async fn intake(
        store: &dyn Store,
        input: &NewCaseInput,
        channel: Channel,
        actor: &Actor,
        received_at: DateTime<Utc>,
    ) -> Result<StoredCase, IntakeError> {
        let categories = store.categories().await?;
        let case = NewCase::parse(input, &categories).map_err(IntakeError::Invalid)?;
        // Checked here for a clear message; the store's foreign key refuses them again atomically.
        if !store.unknown_photos(case.photos()).await?.is_empty() {
            return Err(IntakeError::Invalid(vec![ValidationError::new(
                crate::core::validation::Field::Photos,
                crate::core::validation::Reason::UnknownPhoto,
            )]));
        }
        let areas = store.areas().await?;
        let area_code = locate(&areas, &case.location()).map(|area| area.code.clone());
        let agency = match &area_code {
            Some(area) => store.route_for(case.category(), area).await?,
            None => None,
        };
        let deadline_days = categories.iter().find(|c| c.code == case.category()).map(|c| c.deadline_days);
        let terms = deadline_days.map(|deadline_days| IntakeTerms { deadline_days, agency });
        let submission = Submission {
            channel,
            actor_role: actor.role,
            actor_account: actor.account_id,
            area_code,
            received_at,
            terms,
        };
        let stored = store.create_case(&case, &submission).await?;
        tracing::info!(
            case_id = stored.id,
            newly_created = stored.newly_created,
            out_of_area = submission.area_code.is_none(),
            "report stored"
        );
        Ok(stored)
    }
}
