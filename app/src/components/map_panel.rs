//! The cluster maps' parts: the filter panel's fields, the map with the list of the cases in view beside it.

use crate::components::map::{Bounds, ClusterLayer, MapFocus, MapView, MapViewport, DONG_HOI};
use crate::i18n::{in_view_summary, status_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::map_data::{map_cases, map_clusters, CasePage, MapAnswer, MapFeature, MapFilters, MapParams, PAGE_SIZE};
use crate::session::error_text;
use leptos::prelude::*;

/// A choice of one filter, "any" first; choosing sets the filter at once.
#[component]
pub fn FilterSelect(
    label: Key,
    filters: RwSignal<MapFilters>,
    current: fn(&MapFilters) -> String,
    set: fn(&mut MapFilters, String),
    /// Codes and their names, in the page's language.
    options: Vec<(String, String)>,
) -> impl IntoView {
    let t = use_tr();
    view! {
        <label class="field">
            <span>{move || t(label)}</span>
            <select
                prop:value=move || filters.with(current)
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    filters.update(|f| set(f, value));
                }
            >
                <option value="">{move || t(Key::AnyValue)}</option>
                {options
                    .into_iter()
                    .map(|(code, name)| {
                        let chosen = filters.with_untracked(current) == code;
                        view! { <option value=code selected=chosen>{name}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// A day filter (`YYYY-MM-DD`); the server names the field when the day is not one.
#[component]
pub fn DayFilter(
    label: Key,
    filters: RwSignal<MapFilters>,
    current: fn(&MapFilters) -> String,
    set: fn(&mut MapFilters, String),
) -> impl IntoView {
    let t = use_tr();
    view! {
        <label class="field">
            <span>{move || t(label)}</span>
            <input
                type="date"
                prop:value=move || filters.with(current)
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    filters.update(|f| set(f, value));
                }
            />
        </label>
    }
}

/// Only the cases being handled past their deadline.
#[component]
pub fn OverdueFilter(filters: RwSignal<MapFilters>) -> impl IntoView {
    let t = use_tr();
    view! {
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || filters.with(|f| f.overdue)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    filters.update(|f| f.overdue = on);
                }
            />
            {move || t(Key::OverdueOnly)}
        </label>
    }
}

/// One page of the cases in view, newest first: each one selectable (shared with the map) and
/// linked to its page, with the public reason of a rejection where the list carries one.
#[component]
pub fn CasesInView(
    page: CasePage,
    offset: RwSignal<u32>,
    selected: RwSignal<Option<(i64, f64, f64)>>,
    /// The address of a case's page for this map's reader.
    case_href: fn(i64) -> String,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let total = page.total;
    let first = if page.items.is_empty() { 0 } else { u64::from(page.offset) + 1 };
    let last = u64::from(page.offset) + page.items.len() as u64;
    let at = page.offset;
    let at_end = last >= total;
    view! {
        <p class="in-view" role="status">{move || in_view_summary(lang.get(), total, first, last)}</p>
        {page.items.is_empty().then(|| view! { <p>{move || t(Key::NoCasesInView)}</p> })}
        <ol class="case-list map-case-list">
            {page
                .items
                .into_iter()
                .map(|item| {
                    let id = item.id;
                    let spot = (item.id, item.lat, item.lon);
                    let is_selected = move || selected.try_get().flatten().map(|s| s.0) == Some(id);
                    let status = item.status;
                    view! {
                        <li class:selected=is_selected>
                            <button
                                type="button"
                                class="pick"
                                aria-pressed=move || is_selected().to_string()
                                on:click=move |_| selected.set(Some(spot))
                            >
                                {format!("#{} · {}", item.id, item.title)}
                            </button>
                            " · "
                            <span class=format!("status status-{}", status.as_str())>
                                {move || status_label(lang.get(), status)}
                            </span>
                            " · "
                            <a href=case_href(id)>
                                {move || t(Key::OpenCase)}
                                <span class="visually-hidden">{format!(" #{id}")}</span>
                            </a>
                            {item.rejection_note.map(|note| view! {
                                <p class="rejection-note">{move || t(Key::RejectionReasonLabel)} ": " {note}</p>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <div class="pager">
            <button type="button" disabled=at == 0 on:click=move |_| offset.set(at.saturating_sub(PAGE_SIZE))>
                {move || t(Key::PreviousPage)}
            </button>
            <button type="button" disabled=at_end on:click=move |_| offset.set(at + PAGE_SIZE)>
                {move || t(Key::NextPage)}
            </button>
        </div>
    }
}

/// The case chosen on the map or in the list, with a link to its page: it stays at hand when the
/// list's page does not hold it.
#[component]
pub fn SelectedCase(
    selected: RwSignal<Option<(i64, f64, f64)>>,
    /// What the map draws, for the chosen case's status.
    features: Signal<Vec<MapFeature>>,
    case_href: fn(i64) -> String,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    // Read with `try_*`: a streamed response may still render this after its reader left and the
    // page's signals were disposed; that text is never sent, and must not panic the server.
    move || {
        selected.try_get().flatten().map(|(id, _, _)| {
            let status = features
                .try_with(|drawn| {
                    drawn.iter().find_map(|feature| match feature {
                        MapFeature::Case { id: drawn_id, status, .. } if *drawn_id == id => Some(*status),
                        _ => None,
                    })
                })
                .flatten();
            view! {
                <p class="selected-case" role="group" aria-label=move || t(Key::SelectedCase)>
                    <strong>{move || t(Key::SelectedCase)} ": "</strong>
                    {format!("#{id}")}
                    {status.map(|status| view! { " · " {move || status_label(lang.get(), status)} })}
                    " · "
                    <a href=case_href(id)>
                        {move || t(Key::OpenCase)}
                        <span class="visually-hidden">{format!(" #{id}")}</span>
                    </a>
                </p>
            }
        })
    }
}

/// A cluster map beside the list of the cases in its view: what every cluster map page shows. It
/// asks the server for the clusters and one page of cases whenever `query` changes (a new view or
/// filter, which also sends the list back to its first page) or the list turns a page.
#[component]
pub fn ClusteredCases(
    /// The request for the current view and filters; `None` until the map reports its view.
    query: Memo<Option<MapParams>>,
    /// Set by the map whenever it stops moving; `query` is made from it.
    viewport: RwSignal<Option<MapViewport>>,
    /// The map's accessible name.
    #[prop(into)]
    label: Signal<String>,
    #[prop(default = DONG_HOI)] center: (f64, f64),
    #[prop(default = 12.0)] zoom: f64,
    /// The map box's size class.
    #[prop(default = "map-large")]
    map_class: &'static str,
    /// The address of a case's page for this map's reader.
    case_href: fn(i64) -> String,
    /// The list's heading is an `h3` inside a page's section, an `h2` on a map page of its own.
    #[prop(optional)]
    nested: bool,
    /// Where to move the map to, when a search asks: (south, west, north, east).
    #[prop(optional)]
    focus: Option<Signal<Option<Bounds>>>,
    /// The words the query searches for, when a search box filters the map: named when nothing
    /// in view matches them.
    #[prop(optional, into)]
    searched: Option<Signal<String>>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let offset = RwSignal::new(0u32);
    let selected = RwSignal::new(None::<(i64, f64, f64)>);
    Effect::new(move |_| {
        query.track();
        offset.set(0);
    });
    // The viewport exists only in the browser, so these load there, after hydration.
    let clusters = LocalResource::new(move || {
        let query = query.get();
        async move {
            match query {
                Some(query) => map_clusters(query).await,
                None => Ok(MapAnswer::default()),
            }
        }
    });
    let page = LocalResource::new(move || {
        let (query, offset) = (query.get(), offset.get());
        async move {
            match query {
                Some(query) => map_cases(query, offset).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let features = Signal::derive(move || clusters.get().and_then(Result::ok).map(|a| a.features).unwrap_or_default());
    let clusters_error = move || {
        clusters
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="form-error" role="alert">{error_text(lang.get(), &e)}</p> })
    };
    let heading = move || {
        if nested {
            view! { <h3>{move || t(Key::CasesInView)}</h3> }.into_any()
        } else {
            view! { <h2>{move || t(Key::CasesInView)}</h2> }.into_any()
        }
    };
    let nothing_found = move || {
        // `try_get`: a server render may end while this still runs.
        let q = searched.and_then(|q| q.try_get()).unwrap_or_default();
        if q.trim().is_empty() {
            // Without a search the answer is not read here, so that a map without one updates as before.
            return None;
        }
        let empty = clusters.try_get().flatten().and_then(Result::ok).is_some_and(|answer| answer.total == 0);
        empty.then(|| {
            let lang = lang.get();
            view! { <p class="search-nothing">{crate::i18n::staff_map_search_nothing(lang, &q)}</p> }
        })
    };
    view! {
        {clusters_error}
        <div role="status" class="map-search-status">{nothing_found}</div>
        <div class="map-layout">
            <MapView label center zoom class=map_class>
                <ClusterLayer lang=lang features=features selected=selected viewport=viewport/>
                {focus.map(|bounds| view! { <MapFocus bounds/> })}
            </MapView>
            <section class="map-list" aria-label=move || t(Key::CasesInView)>
                {heading}
                <SelectedCase selected features case_href/>
                <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        // The list loads in the browser only: the server tells the suspense it waits
                        // for the browser and renders the fallback.
                        if page.is_disposed() || !in_the_browser().await {
                            return ().into_any();
                        }
                        match page.await {
                            Ok(Some(current)) => view! { <CasesInView page=current offset selected case_href/> }.into_any(),
                            Ok(None) => view! { <p>{move || t(Key::Loading)}</p> }.into_any(),
                            Err(e) => view! { <p class="form-error" role="alert">{error_text(lang.get(), &e)}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </div>
    }
}

/// Whether this runs in the browser, where the list loads. On the server it tells the suspense
/// around it that it waits for the browser (as awaiting a local resource would) and never ends, so
/// the suspense renders its fallback; with no suspense to tell, as when the server polls once more
/// after a dropped request took the suspense down, it ends at once. Awaiting the local resource
/// itself there would look for the suspense a second time, and panic if the request was dropped
/// in between.
async fn in_the_browser() -> bool {
    if cfg!(not(feature = "ssr")) {
        return true;
    }
    let Some(mut notifier) = use_context::<leptos::reactive::computed::suspense::LocalResourceNotifier>() else {
        return false;
    };
    notifier.notify();
    std::future::pending::<bool>().await
}
