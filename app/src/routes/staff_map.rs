//! The officers' map: clusters of the cases in scope, filters, and the list of the cases in view beside it.

use crate::components::map::MapViewport;
use crate::components::map_panel::{ClusteredCases, DayFilter, FilterSelect, OverdueFilter};
use crate::i18n::{channel_label, status_label, Key, Lang};
use crate::lang::{use_lang, use_tr};
use crate::map_data::{map_choices, Choice, FilterChoices, MapFilters};
use crate::session::error_text;
use domain::case::{CaseStatus, Channel};
use leptos::prelude::*;

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
    let viewport = RwSignal::new(None::<MapViewport>);
    let filters = RwSignal::new(MapFilters::default());
    let query = Memo::new(move |_| viewport.get().map(|v| filters.with(|f| f.params(v.bounds, v.zoom))));

    let panel = move |choices: FilterChoices| {
        view! {
            <form class="map-filters" aria-label=move || t(Key::MapFilters) on:submit=|ev| ev.prevent_default()>
                {filter_fields(lang.get_untracked(), filters, &choices, &CaseStatus::ALL)}
            </form>
        }
    };
    let staff_case = |id: i64| format!("/staff/cases/{id}");

    view! {
        <section class="staff-map-page">
            <h1>{move || t(Key::StaffMapHeading)}</h1>
            <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(choices) if choices.allowed => view! {
                            <p>{move || t(Key::StaffMapIntro)}</p>
                            {panel(choices)}
                            <ClusteredCases
                                query
                                viewport
                                label=Signal::derive(move || t(Key::ClusterMapLabel).to_string())
                                case_href=staff_case
                            />
                        }.into_any(),
                        Ok(_) => view! { <p class="form-error" role="alert">{move || t(Key::NotAllowed)}</p> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{error_text(lang.get(), &e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
