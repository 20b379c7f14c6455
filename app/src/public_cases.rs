//! The public list of screened cases with the map's filters: what the transparency map and list
//! show, with rejected cases' public reasons and never a reporter's data.

use crate::error::AppError;
pub use domain::case::PublicListItem;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The filters as a person sets them; empty means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicListQuery {
    pub status: String,
    pub category: String,
    pub area: String,
    pub agency: String,
    pub channel: String,
    /// Only cases being handled past their deadline.
    #[serde(default)]
    pub overdue: bool,
    /// YYYY-MM-DD, submitted on or after.
    pub from: String,
    /// YYYY-MM-DD, submitted on or before.
    pub to: String,
    /// Zero-based.
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicCasePage {
    pub items: Vec<PublicListItem>,
    /// Matching cases in all pages.
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

/// An agency people can filter the list by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyChoice {
    pub code: String,
    pub name: String,
}

/// The active agencies, for the list's filter.
#[server(prefix = "/api", endpoint = "public/agencies", input = GetUrl)]
pub async fn public_agencies() -> Result<Vec<AgencyChoice>, AppError> {
    let context = crate::request::context()?;
    let agencies = context.store.agencies().await.map_err(|error| {
        tracing::error!(%error, "reading agencies failed");
        crate::error::with_status(AppError::Unavailable)
    })?;
    Ok(agencies.into_iter().filter(|a| a.active).map(|a| AgencyChoice { code: a.code, name: a.name }).collect())
}

/// Cases a page of the public list holds.
pub const PUBLIC_PAGE_SIZE: u32 = 50;

/// One page of the screened cases matching `query`, newest first.
#[server(prefix = "/api", endpoint = "public/cases", input = GetUrl)]
pub async fn public_case_list(query: PublicListQuery) -> Result<PublicCasePage, AppError> {
    server::public_case_list(query).await
}

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: filters read with named errors, matching from the case index, texts from the store.

    use super::*;
    use crate::error::with_status;
    use crate::request::request_lang;
    use crate::stats::Period;
    use domain::case::CaseStatus;
    use domain::validation::{Field, Reason, ValidationError};
    use services::case_index::CodeId;

    fn failed(error: services::store::StoreError) -> AppError {
        tracing::error!(%error, "reading the public list failed");
        with_status(AppError::Unavailable)
    }

    pub async fn public_case_list(query: PublicListQuery) -> Result<PublicCasePage, AppError> {
        let context = crate::request::context()?;
        let mut errors = Vec::new();
        let status = match query.status.trim() {
            "" => None,
            raw => match CaseStatus::parse(raw).filter(|s| *s != CaseStatus::Submitted) {
                Some(status) => Some(status),
                None => {
                    errors.push(ValidationError::new(Field::Status, Reason::UnknownStatus));
                    None
                }
            },
        };
        let channel = match query.channel.trim() {
            "" => None,
            raw => {
                let channel = domain::case::Channel::parse(raw);
                if channel.is_none() {
                    errors.push(ValidationError::new(Field::Channel, Reason::UnknownChannel));
                }
                channel
            }
        };
        let from = crate::stats::parse_day(&query.from, Field::PeriodFrom).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let to = crate::stats::parse_day(&query.to, Field::PeriodTo).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        if !errors.is_empty() {
            return Err(with_status(AppError::invalid(request_lang(), errors)));
        }
        let start = from.map(|d| Period { from: d, to: d }.start().timestamp()).unwrap_or(i64::MIN);
        let end = to.map(|d| Period { from: d, to: d }.end().timestamp()).unwrap_or(i64::MAX);
        let (category, area) = (query.category.trim().to_string(), query.area.trim().to_string());
        let agency = query.agency.trim().to_string();
        let now = chrono::Utc::now().timestamp();
        let (total, ids) = context.index.read(|set| {
            // A code no case uses matches nothing.
            let code = |codes: &services::case_index::Codes, raw: &str| {
                (!raw.is_empty()).then(|| codes.id(raw).unwrap_or(CodeId::MAX))
            };
            let (category, area) = (code(&set.categories, &category), code(&set.areas, &area));
            let agency = code(&set.agencies, &agency);
            let mut matching: Vec<(i64, i64)> = set
                .cases()
                .iter()
                .filter(|c| c.is_public() && c.submitted_at >= start && c.submitted_at < end)
                .filter(|c| status.is_none_or(|s| c.status == s))
                .filter(|c| category.is_none_or(|id| c.category == id))
                .filter(|c| area.is_none() || c.area == area)
                .filter(|c| agency.is_none() || c.agency == agency)
                .filter(|c| channel.is_none_or(|ch| c.channel == ch))
                .filter(|c| !query.overdue || c.overdue_at(now))
                .map(|c| (c.submitted_at, c.id))
                .collect();
            matching.sort_unstable_by(|a, b| b.cmp(a));
            let skip = usize::try_from(query.page.saturating_mul(PUBLIC_PAGE_SIZE)).unwrap_or(usize::MAX);
            let page: Vec<i64> =
                matching.iter().skip(skip).take(PUBLIC_PAGE_SIZE as usize).map(|(_, id)| *id).collect();
            (matching.len() as u64, page)
        });
        let items = context.store.public_list_items(&ids).await.map_err(failed)?;
        Ok(PublicCasePage { items, total, page: query.page, page_size: PUBLIC_PAGE_SIZE })
    }
}
