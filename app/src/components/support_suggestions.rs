//! "Is it one of these?": the screened cases of the chosen category near the pin, each one a link and a "me too" button, shown while a citizen writes a report.

use crate::components::support_button::SupportButton;
use crate::i18n::{metres_away, status_label, support_tr, supporters_count, SupportKey};
use crate::lang::use_lang;
use crate::support::{nearby_cases, SupportSuggestion};
use leptos::prelude::*;

#[component]
pub fn SupportSuggestions(
    /// The category chosen in the form; empty until one is.
    category: RwSignal<String>,
    /// The pin, once it is set.
    pin: RwSignal<Option<(f64, f64)>>,
) -> impl IntoView {
    let lang = use_lang();
    let suggestions = LocalResource::new(move || {
        let category = category.get();
        let pin = pin.get();
        async move {
            match pin {
                Some((lat, lon)) if !category.is_empty() => nearby_cases(category, lat, lon).await.unwrap_or_default(),
                _ => Vec::new(),
            }
        }
    });
    let shown = move || suggestions.get().unwrap_or_default();
    view! {
        <Show when=move || !shown().is_empty()>
            <section class="support-suggestions" aria-labelledby="support-suggestions-heading">
                <h2 id="support-suggestions-heading">{move || support_tr(lang.get(), SupportKey::SuggestionsHeading)}</h2>
                <p class="hint">{move || support_tr(lang.get(), SupportKey::SuggestionsIntro)}</p>
                <ul>
                    <For each=shown key=|s| s.id let:suggestion>
                        <Suggestion suggestion/>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn Suggestion(
    /// The case suggested.
    suggestion: SupportSuggestion,
) -> impl IntoView {
    let lang = use_lang();
    let supporters = RwSignal::new(suggestion.supporters);
    let SupportSuggestion { id, title, status, metres, .. } = suggestion;
    view! {
        <li class="support-suggestion">
            <a href=format!("/cases/{id}")>{format!("#{id} · {title}")}</a>
            <p class="hint">
                {move || status_label(lang.get(), status)} " · " {move || metres_away(lang.get(), metres)} " · "
                {move || supporters_count(lang.get(), supporters.get())}
            </p>
            <SupportButton id supporters/>
        </li>
    }
}
