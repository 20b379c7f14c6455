//! The officers' map: clusters of the cases in scope, filters, and the list of the cases in view beside it.

use crate::components::map::{ClusterLayer, MapView, MapViewport};
use crate::i18n::{channel_label, in_view_summary, status_label, Key, Lang};
use crate::lang::{use_lang, use_tr};
use crate::map_data::{map_cases, map_choices, map_clusters, CasePage, Choice, MapAnswer, MapParams, PAGE_SIZE};
use crate::session::error_text;
use domain::case::{CaseStatus, Channel};
use leptos::prelude::*;

/// The filter panel's values, as the parameters take them ("" for any).
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    status: String,
    category: String,
    agency: String,
    area: String,
    channel: String,
    overdue: bool,
    from: String,
    to: String,
}

fn params(viewport: MapViewport, filters: &Filters) -> MapParams {
    MapParams {
        bbox: viewport.bounds.to_param(),
        zoom: viewport.zoom.to_string(),
        status: filters.status.clone(),
        category: filters.category.clone(),
        agency: filters.agency.clone(),
        area: filters.area.clone(),
        channel: filters.channel.clone(),
        overdue: if filters.overdue { "true".into() } else { String::new() },
        from: filters.from.clone(),
        to: filters.to.clone(),
    }
}

fn choice_name(lang: Lang, choice: &Choice) -> String {
    match lang {
        Lang::Vi => choice.name_vi.clone(),
        Lang::En => choice.name_en.clone(),
    }
}

#[component]
pub fn StaffMapPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let choices = Resource::new(|| (), |_| map_choices());
    let viewport = RwSignal::new(None::<MapViewport>);
    let filters = RwSignal::new(Filters::default());
    let offset = RwSignal::new(0u32);
    let selected = RwSignal::new(None::<(i64, f64, f64)>);
    let query = Memo::new(move |_| viewport.get().map(|v| params(v, &filters.get())));
    // A new view or filter starts the list again from its first page.
    Effect::new(move |_| {
        query.track();
        offset.set(0);
    });
    let clusters = Resource::new(
        move || query.get(),
        |query| async move {
            match query {
                Some(query) => map_clusters(query).await,
                None => Ok(MapAnswer::default()),
            }
        },
    );
    let page = Resource::new(
        move || (query.get(), offset.get()),
        |(query, offset)| async move {
            match query {
                Some(query) => map_cases(query, offset).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let features = Signal::derive(move || clusters.get().and_then(Result::ok).map(|a| a.features).unwrap_or_default());
    let clusters_error = move || {
        clusters
            .get()
            .and_then(Result::err)
            .map(|e| view! { <p class="form-error" role="alert">{error_text(lang.get(), &e)}</p> })
    };

    let select = move |label: Key,
                       current: fn(&Filters) -> String,
                       set: fn(&mut Filters, String),
                       options: Vec<(String, String)>| {
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
                    {options.into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
                </select>
            </label>
        }
    };

    let panel = move |choices: crate::map_data::FilterChoices| {
        let lang_now = lang.get_untracked();
        let statuses: Vec<(String, String)> =
            CaseStatus::ALL.iter().map(|s| (s.as_str().to_string(), status_label(lang_now, *s).to_string())).collect();
        let channels: Vec<(String, String)> =
            Channel::ALL.iter().map(|c| (c.as_str().to_string(), channel_label(lang_now, *c).to_string())).collect();
        let named =
            |list: &[Choice]| list.iter().map(|c| (c.code.clone(), choice_name(lang_now, c))).collect::<Vec<_>>();
        let agency = choices
            .choose_agency
            .then(|| select(Key::MapAgency, |f| f.agency.clone(), |f, v| f.agency = v, named(&choices.agencies)));
        view! {
            <form class="map-filters" aria-label=move || t(Key::MapFilters) on:submit=|ev| ev.prevent_default()>
                {select(Key::Status, |f| f.status.clone(), |f, v| f.status = v, statuses)}
                {select(Key::Category, |f| f.category.clone(), |f, v| f.category = v, named(&choices.categories))}
                {agency}
                {select(Key::MapArea, |f| f.area.clone(), |f, v| f.area = v, named(&choices.areas))}
                {select(Key::Channel, |f| f.channel.clone(), |f, v| f.channel = v, channels)}
                <label class="field">
                    <span>{move || t(Key::SubmittedFrom)}</span>
                    <input type="date" prop:value=move || filters.with(|f| f.from.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); filters.update(|f| f.from = v); }/>
                </label>
                <label class="field">
                    <span>{move || t(Key::SubmittedTo)}</span>
                    <input type="date" prop:value=move || filters.with(|f| f.to.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); filters.update(|f| f.to = v); }/>
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=move || filters.with(|f| f.overdue)
                        on:change=move |ev| { let on = event_target_checked(&ev); filters.update(|f| f.overdue = on); }/>
                    {move || t(Key::OverdueOnly)}
                </label>
            </form>
        }
    };

    let list = move |current: CasePage| {
        let total = current.total;
        let first = if current.items.is_empty() { 0 } else { u64::from(current.offset) + 1 };
        let last = u64::from(current.offset) + current.items.len() as u64;
        let at = current.offset;
        let at_end = last >= total;
        view! {
            <p class="in-view" role="status">{move || in_view_summary(lang.get(), total, first, last)}</p>
            {current.items.is_empty().then(|| view! { <p>{move || t(Key::NoCasesInView)}</p> })}
            <ol class="case-list map-case-list">
                {current.items.into_iter().map(|item| {
                    let id = item.id;
                    let spot = (item.id, item.lat, item.lon);
                    let is_selected = move || selected.get().map(|s| s.0) == Some(id);
                    view! {
                        <li class:selected=is_selected>
                            <button type="button" class="pick" aria-pressed=move || is_selected().to_string()
                                on:click=move |_| selected.set(Some(spot))>
                                {format!("#{} · {}", item.id, item.title)}
                            </button>
                            " · "
                            <span class="status">{move || status_label(lang.get(), item.status)}</span>
                            " · "
                            <a href=format!("/staff/cases/{id}")>{move || t(Key::OpenCase)}</a>
                        </li>
                    }
                }).collect_view()}
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
    };

    view! {
        <section class="staff-map-page">
            <h1>{move || t(Key::StaffMapHeading)}</h1>
            <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match choices.await {
                        Ok(choices) if choices.allowed => view! {
                            <p>{move || t(Key::StaffMapIntro)}</p>
                            {panel(choices)}
                            {clusters_error}
                            <div class="staff-map-layout">
                                <MapView
                                    label=Signal::derive(move || t(Key::ClusterMapLabel).to_string())
                                    zoom=12.0
                                    class="map-large"
                                >
                                    <ClusterLayer lang=lang features=features selected=selected viewport=viewport/>
                                </MapView>
                                <section class="map-list" aria-label=move || t(Key::CasesInView)>
                                    <h2>{move || t(Key::CasesInView)}</h2>
                                    <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                                        {move || Suspend::new(async move {
                                            match page.await {
                                                Ok(Some(current)) => list(current).into_any(),
                                                Ok(None) => view! { <p>{move || t(Key::Loading)}</p> }.into_any(),
                                                Err(e) => view! { <p class="form-error" role="alert">{error_text(lang.get(), &e)}</p> }.into_any(),
                                            }
                                        })}
                                    </Transition>
                                </section>
                            </div>
                        }.into_any(),
                        Ok(_) => view! { <p class="form-error" role="alert">{move || t(Key::NotAllowed)}</p> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{error_text(lang.get(), &e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
