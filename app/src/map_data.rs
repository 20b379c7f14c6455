//! What a cluster map asks of the server: parameters, the asker's scope, the answers, and the server functions.

use crate::error::AppError;
use crate::i18n::Lang;
pub use domain::map_query::*;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The parameters' errors as one message in `lang`.
pub fn describe(lang: Lang, errors: &[ParamError]) -> String {
    errors.iter().map(|e| crate::i18n::map_param_message(lang, e)).collect::<Vec<_>>().join("; ")
}

/// Clusters and cases in the viewport that the signed-in account may see.
#[server(prefix = "/api", endpoint = "map_clusters", input = GetUrl)]
pub async fn map_clusters(params: MapParams) -> Result<MapAnswer, AppError> {
    let (context, request, scope) = server::prepare(&params).await?;
    Ok(services::map::answer(&context.index, &request, &scope, chrono::Utc::now()))
}

/// A page of the cases in the viewport, newest first.
#[server(prefix = "/api", endpoint = "map_cases", input = GetUrl)]
pub async fn map_cases(params: MapParams, offset: u32) -> Result<CasePage, AppError> {
    let (context, request, scope) = server::prepare(&params).await?;
    services::map::page(&context, &request, &scope, chrono::Utc::now(), offset)
        .await
        .map_err(crate::request::store_failure)
}

/// The filter choices of the officers' map, and whether the account may use it.
#[server(prefix = "/api", endpoint = "map_choices", input = GetUrl)]
pub async fn map_choices() -> Result<FilterChoices, AppError> {
    server::choices().await
}

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: who asks, and what their query is.

    use super::{describe, MapParams, MapRequest};
    use crate::error::{with_status, AppError};
    use crate::request::{context, request_lang};
    use domain::case::ActorRole;
    use services::map::Scope;
    use services::ServerContext;

    pub async fn prepare(params: &MapParams) -> Result<(ServerContext, MapRequest, Scope), AppError> {
        let context = context()?;
        let request = MapRequest::parse(params)
            .map_err(|errors| with_status(AppError::BadRequest(describe(request_lang(), &errors))))?;
        let account = crate::auth::working_account(&context).await?;
        Ok((context, request, Scope::of(account.as_ref())))
    }

    pub async fn choices() -> Result<super::FilterChoices, AppError> {
        use super::Choice;
        let context = context()?;
        let Some(account) = crate::auth::working_account(&context).await? else {
            return Ok(super::FilterChoices::default());
        };
        let allowed = matches!(account.role, ActorRole::Officer | ActorRole::Coordinator | ActorRole::Leader);
        if !allowed {
            return Ok(super::FilterChoices::default());
        }
        let failed = |error: services::store::StoreError| {
            tracing::error!(%error, "storage failed");
            with_status(AppError::Unavailable)
        };
        let store = context.store.as_ref();
        let categories = store.categories().await.map_err(failed)?;
        let agencies = store.agencies().await.map_err(failed)?;
        let areas = store.areas().await.map_err(failed)?;
        let same = |code: String, name: String| Choice { code, name_vi: name.clone(), name_en: name };
        Ok(super::FilterChoices {
            allowed,
            choose_agency: account.role != ActorRole::Officer,
            categories: categories
                .into_iter()
                .map(|c| Choice { code: c.code, name_vi: c.name_vi, name_en: c.name_en })
                .collect(),
            agencies: agencies.into_iter().map(|a| same(a.code, a.name)).collect(),
            areas: areas.into_iter().map(|a| same(a.code, a.name)).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::map_param_message;
    use domain::map_query::{Param, ParamError, Problem};

    #[test]
    fn messages_name_the_parameter_in_each_language() {
        let error = ParamError { param: Param::Zoom, problem: Problem::OutOfRange };
        assert_eq!(map_param_message(Lang::En, &error), "zoom must be from 0 to 22.");
        assert_eq!(map_param_message(Lang::Vi, &error), "zoom: phải từ 0 đến 22.");
        let error = ParamError { param: Param::Status, problem: Problem::Unknown("lost".into()) };
        assert!(map_param_message(Lang::En, &error).starts_with("status:"));
        assert_eq!(describe(Lang::En, &[]), "");
    }
}
