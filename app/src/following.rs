//! Following a case and watching places for new ones: the server functions behind the follow button and the alerts form.

use crate::codec::FieldJson;
use crate::error::AppError;
use domain::alerts::{Alert, AlertInput};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// Whether the person may follow a case, and whether they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowState {
    pub signed_in: bool,
    pub following: bool,
}

/// An area or category to choose in the alerts form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

/// The person's alerts, and what a new one may watch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertsView {
    pub alerts: Vec<Alert>,
    pub areas: Vec<Choice>,
    pub categories: Vec<Choice>,
}

/// Whether the signed-in person follows case `case_id`; anyone may ask.
#[server(prefix = "/api", endpoint = "follow/state", input = GetUrl, output = crate::codec::JsonText)]
pub async fn case_following(case_id: i64) -> Result<FollowState, AppError> {
    server::case_following(case_id).await
}

/// Starts or stops following a public case.
#[server(prefix = "/api", endpoint = "follow", input = FieldJson, output = crate::codec::JsonText)]
pub async fn set_following(case_id: i64, follow: bool) -> Result<FollowState, AppError> {
    server::set_following(case_id, follow).await
}

/// The signed-in person's alerts.
#[server(prefix = "/api", endpoint = "my/alerts", input = GetUrl, output = crate::codec::JsonText)]
pub async fn my_alerts() -> Result<AlertsView, AppError> {
    server::my_alerts().await
}

/// Adds an alert for new screened cases in a place.
#[server(prefix = "/api", endpoint = "my/alerts/add", input = FieldJson, output = crate::codec::JsonText)]
pub async fn add_alert(input: AlertInput) -> Result<i64, AppError> {
    server::add_alert(input).await
}

/// Deletes one of the person's alerts.
#[server(prefix = "/api", endpoint = "my/alerts/delete", input = FieldJson, output = crate::codec::JsonText)]
pub async fn delete_alert(id: i64) -> Result<(), AppError> {
    server::delete_alert(id).await
}

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: every function decides who may call it before it reads anything else.

    use super::*;
    use crate::auth::{current_account, require_account};
    use crate::error::with_status;
    use crate::request::{request_lang, store_failure};
    use domain::alerts::{MAX_ALERTS_PER_ACCOUNT, MAX_FOLLOWS};
    use domain::validation::{Field, Reason, ValidationError};
    use services::following::{self, FollowingError};

    fn failed(error: FollowingError) -> AppError {
        let invalid = |field, max| {
            with_status(AppError::invalid(
                request_lang(),
                vec![ValidationError::new(field, Reason::LimitReached { max })],
            ))
        };
        match error {
            FollowingError::NotFound => with_status(AppError::NotFound),
            FollowingError::Invalid(errors) => with_status(AppError::invalid(request_lang(), errors)),
            FollowingError::TooManyAlerts => invalid(Field::Area, MAX_ALERTS_PER_ACCOUNT),
            FollowingError::TooManyFollows => invalid(Field::CaseNumber, MAX_FOLLOWS),
            FollowingError::Store(error) => store_failure(error),
        }
    }

    pub async fn case_following(case_id: i64) -> Result<FollowState, AppError> {
        let context = crate::request::context()?;
        let Some(account) = current_account(&context).await? else {
            return Ok(FollowState { signed_in: false, following: false });
        };
        let following = context.store.follows_case(account.id, case_id).await.map_err(store_failure)?;
        Ok(FollowState { signed_in: true, following })
    }

    pub async fn set_following(case_id: i64, follow: bool) -> Result<FollowState, AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        let store = context.store.as_ref();
        if follow {
            following::follow(store, &account, case_id, chrono::Utc::now()).await.map_err(failed)?;
        } else {
            following::unfollow(store, &account, case_id).await.map_err(failed)?;
        }
        Ok(FollowState { signed_in: true, following: follow })
    }

    pub async fn my_alerts() -> Result<AlertsView, AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        let store = context.store.as_ref();
        let alerts = following::alerts(store, &account).await.map_err(failed)?;
        let areas = store
            .areas()
            .await
            .map_err(store_failure)?
            .into_iter()
            .filter(|area| area.active)
            .map(|area| Choice { code: area.code, name_vi: area.name.clone(), name_en: area.name })
            .collect();
        let categories = store
            .categories()
            .await
            .map_err(store_failure)?
            .into_iter()
            .filter(|category| category.active)
            .map(|category| Choice { code: category.code, name_vi: category.name_vi, name_en: category.name_en })
            .collect();
        Ok(AlertsView { alerts, areas, categories })
    }

    pub async fn add_alert(input: AlertInput) -> Result<i64, AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        following::add_alert(context.store.as_ref(), &account, &input, chrono::Utc::now()).await.map_err(failed)
    }

    pub async fn delete_alert(id: i64) -> Result<(), AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        following::delete_alert(context.store.as_ref(), &account, id).await.map_err(failed)
    }
}
