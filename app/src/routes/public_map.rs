//! The public transparency map: every screened case as counted clusters and status-coloured dots,
//! the cases in view listed beside it, and the view (bbox, zoom, filters) kept in the address.

use crate::components::highlight::Highlighted;
use crate::components::map::{Bounds, MapViewport};
use crate::components::map_panel::ClusteredCases;
use crate::i18n::{search_tr, status_label, Key, SearchKey};
use crate::lang::{use_lang, use_tr};
use crate::map_data::{public_map_choices, view_from_query, MapFilters, MapParams};
use crate::routes::staff_map::filter_fields;
use crate::search::search_map;
use crate::session::{error_text, use_hydrated};
use domain::case::CaseStatus;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The statuses the public can filter by, and the legend's: every status after screening.
const PUBLIC_STATUSES: [CaseStatus; 6] = [
    CaseStatus::Assigned,
    CaseStatus::InProgress,
    CaseStatus::ResultReview,
    CaseStatus::Resolved,
    CaseStatus::Closed,
    CaseStatus::Rejected,
];

/// Where the map opens when the address names no view: the whole of Đồng Hới and its surroundings.
const DEFAULT_VIEW: ((f64, f64), f64) = (crate::components::map::DONG_HOI, 11.0);

/// The widest window, in CSS pixels, on which the filter panel starts folded (phones).
const FOLDED_PANEL_WIDTH: f64 = 800.0;

#[component]
pub fn PublicMapPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let (filters, (center, zoom)) = use_query_map()
        .with_untracked(|query| (MapFilters::from_query(query), view_from_query(query).unwrap_or(DEFAULT_VIEW)));
    let filters = RwSignal::new(filters);
    let choices = Resource::new(|| (), |_| public_map_choices());
    let viewport = RwSignal::new(None::<MapViewport>);
    // Everyone, signed in or not, sees the public's cases here.
    let query = Memo::new(move |_| {
        viewport.get().map(|v| MapParams { public: "true".into(), ..filters.with(|f| f.params(v.bounds, v.zoom)) })
    });
    // A new view or filter becomes the page's address, so that the view can be shared and reopens as it was.
    Effect::new(move |_| {
        query.track();
        if let Some(view) = viewport.get() {
            let address = format!("/map?{}", filters.with(|f| f.view_query(view.bounds, view.zoom)));
            #[cfg(feature = "hydrate")]
            browser::replace_address(&address);
            #[cfg(not(feature = "hydrate"))]
            let _ = address;
        }
    });
    let panel = NodeRef::<leptos::html::Details>::new();
    // Wide screens have room for the filters; phones start with them folded under one line.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(panel) = panel.get() {
            panel.set_open(browser::window_width() > FOLDED_PANEL_WIDTH);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = FOLDED_PANEL_WIDTH;
    let public_case = |id: i64| format!("/cases/{id}");
    let focus = RwSignal::new(None::<Bounds>);

    view! {
        <section class="public-map-page">
            <h1>{move || t(Key::PublicMapHeading)}</h1>
            <p>{move || t(Key::PublicMapIntro)}</p>
            <details class="map-panel" node_ref=panel>
                <summary>{move || t(Key::MapFilters)}</summary>
                <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match choices.await {
                            Ok(choices) => view! {
                                <form class="map-filters" aria-label=move || t(Key::MapFilters) on:submit=|ev| ev.prevent_default()>
                                    {filter_fields(lang.get_untracked(), filters, &choices, &PUBLIC_STATUSES)}
                                </form>
                            }
                            .into_any(),
                            Err(e) => view! { <p class="form-error" role="alert">{error_text(lang.get(), &e)}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </details>
            <MapSearchBox focus/>
            <Legend/>
            <ClusteredCases
                query
                viewport
                label=Signal::derive(move || t(Key::ClusterMapLabel).to_string())
                center
                zoom
                case_href=public_case
                focus=Signal::from(focus)
            />
            // The place in view becomes the place an alert watches: the simplest way to draw one.
            {move || viewport.get().map(|view| {
                let b = view.bounds;
                let href = format!("/my/notices?drawn={:.5},{:.5},{:.5},{:.5}", b.west, b.south, b.east, b.north);
                view! {
                    <p class="alert-this-view">
                        <a href=href>{move || crate::i18n::follow_tr(lang.get(), crate::i18n::FollowKey::AlertThisView)}</a>
                    </p>
                }
            })}
        </section>
    }
}

/// Finds places and the public's cases by what was typed; the first place found moves the map,
/// a case number opens that case.
#[component]
fn MapSearchBox(focus: RwSignal<Option<Bounds>>) -> impl IntoView {
    let lang = use_lang();
    let t = move |key| search_tr(lang.get(), key);
    let text = RwSignal::new(String::new());
    let hydrated = use_hydrated();
    let search = Action::new(|q: &String| search_map(q.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(found)) = search.value().get() {
            if let Some(id) = found.case_number {
                navigate(&format!("/cases/{id}"), Default::default());
            } else if let Some(place) = found.places.first() {
                focus.set(Some(place.bounds));
            }
        }
    });
    // The words of the query the shown results answer, to mark in them.
    let answered = RwSignal::new(Vec::<String>::new());
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        answered.set(crate::components::highlight::query_words(&text.get_untracked()));
        search.dispatch(text.get_untracked());
    };
    let results = move || match search.value().get() {
        None => None,
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        }
        Some(Ok(found)) if found.places.is_empty() && found.cases.is_empty() => {
            Some(view! { <p>{move || t(SearchKey::Nothing)}</p> }.into_any())
        }
        Some(Ok(found)) => {
            let moved = found.places.first().map(|place| place.name.clone());
            let places = found.places.clone();
            let cases = found.cases.clone();
            Some(
                view! {
                    {moved.map(|name| view! { <p>{move || t(SearchKey::MovedTo)} ": " <strong>{name}</strong></p> })}
                    {(!places.is_empty()).then(|| view! {
                        <h3>{move || t(SearchKey::Places)}</h3>
                        <ul class="search-places">
                            {places.into_iter().map(|place| {
                                let bounds = place.bounds;
                                view! { <li><button type="button" class="place-button" on:click=move |_| focus.set(Some(bounds))>{place.name}</button></li> }
                            }).collect_view()}
                        </ul>
                    })}
                    {(!cases.is_empty()).then(|| view! {
                        <h3>{move || t(SearchKey::Cases)}</h3>
                        <ul class="search-cases">
                            {cases.into_iter().map(|case| {
                                let status = case.status;
                                view! {
                                    <li>
                                        <a href=format!("/cases/{}", case.id)>
                                            {format!("#{} · ", case.id)}
                                            <Highlighted text=case.title.clone() words=answered.get_untracked()/>
                                        </a>
                                        " · " {move || status_label(lang.get(), status)}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                }
                .into_any(),
            )
        }
    };
    view! {
        <form class="map-search" role="search" on:submit=on_submit>
            <label for="map-search-q">{move || t(SearchKey::Label)}</label>
            <div class="map-search-row">
                <input id="map-search-q" type="search" name="q" autocomplete="off" aria-describedby="map-search-hint"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                <button type="submit" disabled=move || !hydrated.get() || search.pending().get()>{move || t(SearchKey::Button)}</button>
            </div>
            <p id="map-search-hint" class="hint">{move || t(SearchKey::Hint)}</p>
            <div role="status" class="map-search-results">{results}</div>
        </form>
    }
}

/// What the colours of single cases mean; circles with a number are clusters.
#[component]
fn Legend() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    view! {
        <ul class="map-legend" aria-label=move || t(Key::MapLegend)>
            <li><span class="swatch cluster-swatch" aria-hidden="true"></span>{move || t(Key::MapLegendCluster)}</li>
            {PUBLIC_STATUSES
                .iter()
                .map(|status| {
                    let status = *status;
                    view! {
                        <li>
                            <span class=format!("swatch case-dot status-{}", status.as_str()) aria-hidden="true"></span>
                            {move || status_label(lang.get(), status)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[cfg(feature = "hydrate")]
pub(crate) mod browser {
    //! The page's address and the window's size, from the browser.

    /// Replaces the page's address without a new history entry or a navigation, while the browser
    /// is still at the address's path: a map left behind, whose last move lands after a step back or
    /// a followed link, must not write its address over the next page's.
    pub fn replace_address(address: &str) {
        let window = leptos::prelude::window();
        let path = address.split('?').next().unwrap_or(address);
        if window.location().pathname().ok().as_deref() != Some(path) {
            return;
        }
        if let Ok(history) = window.history() {
            // A refused address (none is expected: it is same-origin) leaves the old one.
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(address));
        }
    }

    pub fn window_width() -> f64 {
        leptos::prelude::window().inner_width().ok().and_then(|w| w.as_f64()).unwrap_or_default()
    }
}
