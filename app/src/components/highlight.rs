//! Text with the words a search matched marked, the way the shared core's search matches them.

use domain::search::{highlight, SearchQuery};
use leptos::prelude::*;

/// The folded words of `query`, for [`Highlighted`]; none for a case number or nothing.
pub fn query_words(query: &str) -> Vec<String> {
    match SearchQuery::parse(query) {
        Ok(Some(SearchQuery::Words(words))) => words,
        _ => Vec::new(),
    }
}

/// `text`, with each word the search matched in a `<mark>`.
#[component]
pub fn Highlighted(text: String, words: Vec<String>) -> impl IntoView {
    highlight(&text, &words)
        .into_iter()
        .map(|(piece, matched)| if matched { view! { <mark>{piece}</mark> }.into_any() } else { piece.into_any() })
        .collect_view()
}
