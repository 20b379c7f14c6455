//! The public map's search box: places by name and screened cases by their words or number, typed with or without diacritics.

use crate::error::AppError;
use domain::case::PublicListItem;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A served area whose name matched (or a place the geocoder found, with no code), and the box the map moves to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub code: String,
    pub name: String,
    /// (south, west, north, east).
    pub bounds: (f64, f64, f64, f64),
}

/// What the search box found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapSearch {
    pub places: Vec<Place>,
    pub cases: Vec<PublicListItem>,
    /// The query was the number of a public case: its page is where to go.
    pub case_number: Option<i64>,
}

/// Searches places and the public's cases for `q`; anyone may.
#[server(prefix = "/api", endpoint = "search_map", input = GetUrl, output = crate::codec::JsonText)]
pub async fn search_map(q: String) -> Result<MapSearch, AppError> {
    server::search_map(&q).await
}

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: the one search service, in the public's scope.

    use super::{MapSearch, Place};
    use crate::error::{with_status, AppError};
    use crate::request::{context, request_lang, store_failure};
    use domain::search::{matches_words, SearchQuery};
    use domain::validation::{Field, ValidationError};
    use services::search::{search, Found, SearchError};

    /// Cases the box lists; the map shows the rest.
    const CASES_LISTED: u32 = 10;
    /// Places the box lists.
    const PLACES_LISTED: usize = 5;

    pub async fn search_map(raw: &str) -> Result<MapSearch, AppError> {
        let context = context()?;
        let store = context.store.as_ref();
        let invalid = |error: ValidationError| with_status(AppError::invalid(request_lang(), vec![error]));
        let words = match SearchQuery::parse(raw)
            .map_err(|reason| invalid(ValidationError::new(Field::SearchQuery, reason)))?
        {
            Some(SearchQuery::Words(words)) => words,
            _ => Vec::new(),
        };
        let places = if words.is_empty() {
            Vec::new()
        } else {
            store
                .areas()
                .await
                .map_err(store_failure)?
                .into_iter()
                .filter(|area| area.active && matches_words(&area.name, &words))
                .filter_map(|area| area.shape.bounds().map(|bounds| Place { code: area.code, name: area.name, bounds }))
                .take(PLACES_LISTED)
                .collect()
        };
        let mut places: Vec<Place> = places;
        // Beyond the province's own areas, the configured geocoder's answers come after them.
        if let (Some(geocoder), false) = (context.geocoder.as_ref(), words.is_empty()) {
            let room = PLACES_LISTED.saturating_sub(places.len());
            if room > 0 {
                let found = geocoder.find(raw.trim(), room).await;
                places.extend(found.into_iter().map(|place| Place {
                    code: String::new(),
                    name: place.name,
                    bounds: place.bounds,
                }));
            }
        }
        let found = search(store, None, raw, CASES_LISTED).await.map_err(|error| match error {
            SearchError::Invalid(error) => invalid(error),
            SearchError::Store(error) => store_failure(error),
        })?;
        let (ids, case_number) = match found {
            Found::Case(id) => (vec![id], Some(id)),
            Found::Cases(ids) => (ids, None),
        };
        let mut cases = store.public_list_items(&ids).await.map_err(store_failure)?;
        cases.sort_by_key(|item| ids.iter().position(|id| *id == item.id));
        Ok(MapSearch { places, cases, case_number })
    }
}
