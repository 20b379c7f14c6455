//! The officers' map: clusters of the cases in scope, filters, and the list of the cases in view beside it.

use crate::components::map::MapViewport;
use crate::components::map_panel::{ClusteredCases, DayFilter, FilterSelect, OverdueFilter};
use crate::i18n::{channel_label, staff_search_tr, status_label, Key, Lang, StaffSearchKey};
use crate::lang::{use_lang, use_tr};
use crate::map_data::{map_choices, view_from_query, Choice, FilterChoices, MapFilters};
use crate::session::{error_text, use_hydrated};
use domain::case::{CaseStatus, Channel};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where the staff map opens when the address names no view: the pilot city.
const DEFAULT_VIEW: ((f64, f64), f64) = (crate::components::map::DONG_HOI, 12.0);

pub fn choice_name(lang: Lang, choice: &Choice) -> String {
    match lang {
        Lang::Vi => choice.name_vi.clone(),
        Lang::En => choice.name_en.clone(),
    }
}

/// Codes and names of a catalogue list, in `lang`.
pub fn named(lang: Lang, list: &[Choice]) -> Vec<(String, String)> {
    list.iter().map(|c| (c.code.clone(), choice_name(lang, c))).collect()
}

/// The filter fields of a cluster map: the given statuses, the catalogue's categories, agencies
/// (where the reader may choose one) and areas, channels, days and overdue.
pub fn filter_fields(
    lang: Lang,
    filters: RwSignal<MapFilters>,
    choices: &FilterChoices,
    statuses: &[CaseStatus],
) -> impl IntoView {
    let statuses: Vec<(String, String)> =
        statuses.iter().map(|s| (s.as_str().to_string(), status_label(lang, *s).to_string())).collect();
    let channels: Vec<(String, String)> =
        Channel::ALL.iter().map(|c| (c.as_str().to_string(), channel_label(lang, *c).to_string())).collect();
    let agencies = named(lang, &choices.agencies);
    let agency = choices.choose_agency.then(|| {
        view! { <FilterSelect label=Key::MapAgency filters current=|f| f.agency.clone() set=|f, v| f.agency = v options=agencies/> }
    });
    view! {
        <FilterSelect label=Key::Status filters current=|f| f.status.clone() set=|f, v| f.status = v options=statuses/>
        <FilterSelect label=Key::Category filters current=|f| f.category.clone() set=|f, v| f.category = v
            options=named(lang, &choices.categories)/>
        {agency}
        <FilterSelect label=Key::MapArea filters current=|f| f.area.clone() set=|f, v| f.area = v
            options=named(lang, &choices.areas)/>
        <FilterSelect label=Key::Channel filters current=|f| f.channel.clone() set=|f, v| f.channel = v options=channels/>
        <DayFilter label=Key::SubmittedFrom filters current=|f| f.from.clone() set=|f, v| f.from = v/>
        <DayFilter label=Key::SubmittedTo filters current=|f| f.to.clone() set=|f, v| f.to = v/>
        <OverdueFilter filters/>
    }
}

#[component]
pub fn StaffMapPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let choices = Resource::new(|| (), |_| map_choices());
    let (filters, (center, zoom)) = use_query_map()
        .with_untracked(|query| (MapFilters::from_query(query), view_from_query(query).unwrap_or(DEFAULT_VIEW)));
    let filters = RwSignal::new(filters);
    let viewport = RwSignal::new(None::<MapViewport>);
    let query = Memo::new(move |_| viewport.get().map(|v| filters.with(|f| f.params(v.bounds, v.zoom))));
    // The view, the filters and the search become the page's address, so that a reload or a shared
    // link opens the same map.
    Effect::new(move |_| {
        query.track();
        if let Some(view) = viewport.get() {
            let address = format!("/staff/map?{}", filters.with(|f| f.view_query(view.bounds, view.zoom)));
            #[cfg(feature = "hydrate")]
            crate::routes::public_map::browser::replace_address(&address);
            #[cfg(not(feature = "hydrate"))]
            let _ = address;
        }
    });

    let staff_case = |id: i64| format!("/staff/cases/{id}");
    let searched = Signal::derive(move || filters.with(|f| f.q.clone()));

    // Only the filters wait for the catalogue. The map and its list load in the browser, outside
    // the suspense: inside it, their browser-only answers would leave the whole suspense to the
    // browser, which could render it empty.
    view! {
        <section class="staff-map-page">
            <h1>{move || t(Key::StaffMapHeading)}</h1>
            <p>{move || t(Key::StaffMapIntro)}</p>
            <MapSearch filters/>
            <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(choices) if choices.allowed => view! {
                            <form class="map-filters" aria-label=move || t(Key::MapFilters) on:submit=|ev| ev.prevent_default()>
                                {filter_fields(lang.get_untracked(), filters, &choices, &CaseStatus::ALL)}
                            </form>
                        }.into_any(),
                        Ok(_) => view! { <p class="form-error" role="alert">{move || t(Key::NotAllowed)}</p> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{error_text(lang.get(), &e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <ClusteredCases
                query
                viewport
                label=Signal::derive(move || t(Key::ClusterMapLabel).to_string())
                center
                zoom
                case_href=staff_case
                searched
            />
        </section>
    }
}

/// The staff map's search box: what it holds filters the map and the list beside it once sent,
/// within the reader's scope. The map needs the page's script, and so does the box: its button waits for it.
#[component]
fn MapSearch(filters: RwSignal<MapFilters>) -> impl IntoView {
    let lang = use_lang();
    let t = move |key| staff_search_tr(lang.get(), key);
    let text = RwSignal::new(filters.with_untracked(|f| f.q.clone()));
    let hydrated = use_hydrated();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let typed = text.get_untracked().trim().to_string();
        filters.update(|f| f.q = typed);
    };
    let clear = move |_| {
        text.set(String::new());
        filters.update(|f| f.q = String::new());
    };
    view! {
        <form class="staff-search" role="search" on:submit=on_submit>
            <label for="staff-map-search-q">{move || t(StaffSearchKey::MapLabel)}</label>
            <div class="staff-search-row">
                <input id="staff-map-search-q" type="search" name="q" autocomplete="off"
                    aria-describedby="staff-map-search-hint"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                <button type="submit" disabled=move || !hydrated.get()>{move || t(StaffSearchKey::Button)}</button>
                {move || filters.with(|f| !f.q.is_empty()).then(|| view! {
                    <button type="button" class="link-button" on:click=clear>{move || t(StaffSearchKey::Clear)}</button>
                })}
            </div>
            <p id="staff-map-search-hint" class="hint">{move || t(StaffSearchKey::Hint)}</p>
        </form>
    }
}
