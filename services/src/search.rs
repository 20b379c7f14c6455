//! Finding cases by what people type: a case number opens that case, words find cases in the searcher's scope.

use crate::changes::ChangeError;
use crate::store::{CaseSearch, Store, StoreError};
use crate::visibility::seen_case;
use domain::account::{Account, CaseScope};
use domain::case::ActorRole;
use domain::search::SearchQuery;
use domain::validation::{Field, ValidationError};

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The query was the number of a case the searcher may open.
    Case(i64),
    /// Cases matching the words, best match first, then the newest.
    Cases(Vec<i64>),
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the query is invalid")]
    Invalid(ValidationError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ChangeError> for SearchError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::Store(error) => SearchError::Store(error),
            other => SearchError::Store(StoreError::Database(other.to_string())),
        }
    }
}

/// The most results one search answers.
pub const MOST_RESULTS: u32 = 100;

/// Searches for `raw` as `account` (or the public) may: coordinators and operators find the cases
/// they screen too, an officer their agency's screened cases, everyone else the public's cases.
/// At most `limit` results.
pub async fn search(store: &dyn Store, account: Option<&Account>, raw: &str, limit: u32) -> Result<Found, SearchError> {
    let query = SearchQuery::parse(raw)
        .map_err(|reason| SearchError::Invalid(ValidationError::new(Field::SearchQuery, reason)))?;
    let words = match query {
        None => return Ok(Found::Cases(Vec::new())),
        Some(SearchQuery::CaseNumber(id)) => {
            // The one visibility rule decides, so a number answers as a missing case when it is not the asker's to see.
            return Ok(match seen_case(store, id, account, None).await? {
                Some(_) => Found::Case(id),
                None => Found::Cases(Vec::new()),
            });
        }
        Some(SearchQuery::Words(words)) => words,
    };
    let account = account.filter(|a| a.active);
    let role = account.map(|a| a.role);
    // As `domain::case::case_access` decides: a case held back from the public is seen by those who
    // screen it alone (an area-bound coordinator screens their areas'), an officer sees their
    // agency's cases, every other reader the public's.
    let screener = matches!(role, Some(ActorRole::Coordinator | ActorRole::Operator));
    let held_back_areas = match account.map(Account::scope) {
        Some(CaseScope::Areas(areas)) if screener => Some(areas),
        _ => None,
    };
    let agency = match role {
        Some(ActorRole::Officer) => account.and_then(|a| a.agency.as_deref()),
        _ => None,
    };
    let search = CaseSearch {
        words: &words,
        public_only: !screener,
        agency,
        held_back_areas: held_back_areas.as_deref(),
        limit: limit.min(MOST_RESULTS),
    };
    Ok(Found::Cases(store.search_cases(&search).await?))
}
