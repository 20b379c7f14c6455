//! The statistics' server functions: the figures of a period and an area, an agency's or an area's scorecard, the areas to choose from, and the cases overdue now.

use crate::error::AppError;
use chrono::{DateTime, Utc};
pub use domain::statistics::*;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The statistics of a period (dates YYYY-MM-DD, both included; the last twelve months when
/// neither is given) and optionally one area.
#[server(prefix = "/api", endpoint = "statistics", input = GetUrl, output = crate::codec::JsonText)]
pub async fn get_statistics(from: String, to: String, area: Option<String>) -> Result<Statistics, AppError> {
    let context = crate::request::context()?;
    // A page opened without a period shows the last twelve months rather than two date errors.
    let period = asked_period(&from, &to)?;
    Ok(services::statistics::statistics(&context, period, area.as_deref().filter(|a| !a.is_empty()), Utc::now())
        .await?)
}

/// The period a page asks for: the dates given (YYYY-MM-DD, both included), or the last twelve
/// months when neither is, as the statistics page opens; a bad date is refused by name.
#[cfg(feature = "ssr")]
fn asked_period(from: &str, to: &str) -> Result<Period, AppError> {
    if from.trim().is_empty() && to.trim().is_empty() {
        return Ok(Period::last_twelve_months(Utc::now()));
    }
    Period::parse(from, to)
        .map_err(|errors| crate::error::with_status(AppError::invalid(crate::request::request_lang(), errors)))
}

/// The longest catalogue code: a longer one names nothing, and is not looked up.
#[cfg(feature = "ssr")]
const MAX_CODE_LENGTH: usize = 64;

/// The scorecard of the agency or area `code` for a period (as [`get_statistics`] reads it); public,
/// like the statistics. An unknown code is not found.
#[server(prefix = "/api", endpoint = "scorecard", input = GetUrl, output = crate::codec::JsonText)]
pub async fn get_scorecard(kind: ScorecardKind, code: String, from: String, to: String) -> Result<Scorecard, AppError> {
    let context = crate::request::context()?;
    let period = asked_period(&from, &to)?;
    if code.len() > MAX_CODE_LENGTH {
        return Err(crate::error::with_status(AppError::NotFound));
    }
    services::statistics::scorecard(&context, kind, &code, period, Utc::now())
        .await?
        .ok_or_else(|| crate::error::with_status(AppError::NotFound))
}

/// An area people can choose statistics for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaChoice {
    pub code: String,
    pub name: String,
}

/// The active areas, for the statistics page's choice.
#[server(prefix = "/api", endpoint = "statistics/areas", input = GetUrl, output = crate::codec::JsonText)]
pub async fn statistics_areas() -> Result<Vec<AreaChoice>, AppError> {
    let context = crate::request::context()?;
    let areas = context.store.areas().await.map_err(|error| {
        tracing::error!(%error, "reading areas failed");
        crate::error::with_status(AppError::Unavailable)
    })?;
    Ok(areas.into_iter().filter(|a| a.active).map(|a| AreaChoice { code: a.code, name: a.name }).collect())
}

/// A case being handled past its deadline, as leaders follow them up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueCase {
    pub id: i64,
    pub title: String,
    pub agency_code: String,
    pub agency_name: String,
    pub deadline: DateTime<Utc>,
    /// Whole days past the deadline.
    pub days_overdue: i64,
}

/// Every case being handled past its deadline now, grouped by agency: for leaders and coordinators.
#[server(prefix = "/api", endpoint = "statistics/overdue", input = GetUrl, output = crate::codec::JsonText)]
pub async fn overdue_by_agency() -> Result<Vec<OverdueCase>, AppError> {
    use domain::case::ActorRole;
    use services::store::CaseQuery;
    const OVERDUE_LIST_LIMIT: u32 = 1_000;
    let context = crate::request::context()?;
    let account = crate::auth::require_account(&context).await?;
    if !matches!(account.role, ActorRole::Leader | ActorRole::Coordinator | ActorRole::Admin) {
        return Err(crate::error::with_status(AppError::Forbidden));
    }
    let failed = |error: services::store::StoreError| {
        tracing::error!(%error, "reading overdue cases failed");
        crate::error::with_status(AppError::Unavailable)
    };
    let now = Utc::now();
    let agencies = context.store.agencies().await.map_err(failed)?;
    let cases = context.store.list_cases(&CaseQuery::Overdue { now }, OVERDUE_LIST_LIMIT).await.map_err(failed)?;
    // A coordinator bound to areas follows up their own areas' cases only.
    let scope = account.scope();
    Ok(cases
        .into_iter()
        .filter(|case| scope.covers(case.area_code.as_deref()))
        .filter_map(|case| {
            let (agency_code, deadline) = (case.facts.lead_agency?, case.facts.deadline?);
            let agency_name =
                agencies.iter().find(|a| a.code == agency_code).map_or_else(|| agency_code.clone(), |a| a.name.clone());
            Some(OverdueCase {
                id: case.id,
                title: case.title,
                agency_code,
                agency_name,
                deadline,
                days_overdue: (now - deadline).num_days(),
            })
        })
        .collect())
}
