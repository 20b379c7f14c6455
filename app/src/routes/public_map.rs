//! The public map of screened cases with filters, and the same cases listed as links (with the
//! public reason of each rejection) for those who do not use the map.

use crate::api::active_categories;
use crate::components::map::{CaseMarkers, MapMarker, MapView};
use crate::error::AppError;
use crate::i18n::{channel_label, error_message, status_label, Key, Lang};
use crate::lang::{use_lang, use_tr};
use crate::public_cases::{public_agencies, public_case_list, PublicCasePage, PublicListQuery};
use crate::routes::case_page::local_time;
use crate::stats::statistics_areas;
use domain::case::{CaseStatus, Channel};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The statuses the public can filter by: every status after screening.
const PUBLIC_STATUSES: [CaseStatus; 6] = [
    CaseStatus::Assigned,
    CaseStatus::InProgress,
    CaseStatus::ResultReview,
    CaseStatus::Resolved,
    CaseStatus::Closed,
    CaseStatus::Rejected,
];

#[component]
pub fn PublicMapPage() -> impl IntoView {
    let t = use_tr();
    let query_map = use_query_map();
    let query = move || {
        query_map.with(|q| PublicListQuery {
            status: q.get("status").unwrap_or_default(),
            category: q.get("category").unwrap_or_default(),
            area: q.get("area").unwrap_or_default(),
            agency: q.get("agency").unwrap_or_default(),
            channel: q.get("channel").unwrap_or_default(),
            overdue: q.get("overdue").is_some_and(|v| v == "true"),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
        })
    };
    let cases = Resource::new(query, public_case_list);
    let map_markers = Signal::derive(move || {
        cases
            .get()
            .and_then(Result::ok)
            .map(|page| page.items)
            .unwrap_or_default()
            .into_iter()
            .map(|c| MapMarker { lat: c.lat, lon: c.lon, title: c.title, href: format!("/cases/{}", c.id) })
            .collect::<Vec<_>>()
    });
    view! {
        <div class="public-map-page">
            <h1>{move || t(Key::PublicMapHeading)}</h1>
            <p>{move || t(Key::PublicMapIntro)}</p>
            <Filters current=Signal::derive(query)/>
            <MapView label=Signal::derive(move || t(Key::MapLabel).to_string()) zoom=12.0 class="map-large">
                <CaseMarkers markers=map_markers/>
            </MapView>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(page) => view! { <CaseList page query=query()/> }.into_any(),
                        Err(AppError::Invalid(errors)) => {
                            let lang = use_lang();
                            errors
                                .into_iter()
                                .map(|e| view! { <p class="field-error" role="alert">{move || error_message(lang.get(), &e.error)}</p> })
                                .collect_view()
                                .into_any()
                        }
                        Err(_) => view! { <p class="form-error" role="alert">{move || t(Key::LoadFailed)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// The filters, as a GET form so each view has its own address.
#[component]
fn Filters(current: Signal<PublicListQuery>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let categories = Resource::new(|| (), |_| active_categories());
    let areas = Resource::new(|| (), |_| statistics_areas());
    let agencies = Resource::new(|| (), |_| public_agencies());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let categories = categories.await.unwrap_or_default();
                let areas = areas.await.unwrap_or_default();
                let agencies = agencies.await.unwrap_or_default();
                let now = current.get_untracked();
                view! {
                    <Form method="GET" action="/map" attr:class="case-filters">
                        <label>
                            {move || t(Key::FilterStatus)}
                            <select name="status">
                                <option value="">{move || t(Key::FilterAny)}</option>
                                {PUBLIC_STATUSES
                                    .iter()
                                    .map(|status| {
                                        let status = *status;
                                        view! {
                                            <option value=status.as_str() selected=now.status == status.as_str()>
                                                {move || status_label(lang.get(), status)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <label>
                            {move || t(Key::Category)}
                            <select name="category">
                                <option value="">{move || t(Key::FilterAny)}</option>
                                {categories
                                    .into_iter()
                                    .map(|c| {
                                        let selected = now.category == c.code;
                                        let (vi, en) = (c.name_vi, c.name_en);
                                        view! {
                                            <option value=c.code selected=selected>
                                                {move || if lang.get() == Lang::Vi { vi.clone() } else { en.clone() }}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <label>
                            {move || t(Key::StatsArea)}
                            <select name="area">
                                <option value="">{move || t(Key::FilterAny)}</option>
                                {areas
                                    .into_iter()
                                    .map(|a| view! { <option value=a.code.clone() selected=now.area == a.code>{a.name}</option> })
                                    .collect_view()}
                            </select>
                        </label>
                        <label>
                            {move || t(Key::StatsAgency)}
                            <select name="agency">
                                <option value="">{move || t(Key::FilterAny)}</option>
                                {agencies
                                    .into_iter()
                                    .map(|a| view! { <option value=a.code.clone() selected=now.agency == a.code>{a.name}</option> })
                                    .collect_view()}
                            </select>
                        </label>
                        <label>
                            {move || t(Key::Channel)}
                            <select name="channel">
                                <option value="">{move || t(Key::FilterAny)}</option>
                                {Channel::ALL
                                    .iter()
                                    .map(|channel| {
                                        let channel = *channel;
                                        view! {
                                            <option value=channel.as_str() selected=now.channel == channel.as_str()>
                                                {move || channel_label(lang.get(), channel)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <label class="checkbox">
                            <input type="checkbox" name="overdue" value="true" checked=now.overdue/>
                            {move || t(Key::OverdueOnly)}
                        </label>
                        <label>{move || t(Key::StatsFrom)} <input type="date" name="from" value=now.from.clone()/></label>
                        <label>{move || t(Key::StatsTo)} <input type="date" name="to" value=now.to.clone()/></label>
                        <button type="submit">{move || t(Key::FilterApply)}</button>
                    </Form>
                }
            })}
        </Transition>
    }
}

/// The page's cases as links, with paging.
#[component]
fn CaseList(page: PublicCasePage, query: PublicListQuery) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let pages = page.total.div_ceil(u64::from(page.page_size.max(1)));
    let link_to = move |to_page: u32| {
        format!(
            "/map?status={}&category={}&area={}&agency={}&channel={}{}&from={}&to={}&page={to_page}",
            query.status,
            query.category,
            query.area,
            query.agency,
            query.channel,
            if query.overdue { "&overdue=true" } else { "" },
            query.from,
            query.to
        )
    };
    let previous = (page.page > 0).then(|| link_to(page.page - 1));
    let next = (u64::from(page.page) + 1 < pages).then(|| link_to(page.page + 1));
    let shown = page.page + 1;
    view! {
        <p class="list-count">{move || format!("{} {}", page.total, t(Key::FilterMatching))}</p>
        <ul class="case-list">
            {page
                .items
                .into_iter()
                .map(|c| {
                    let (vi, en) = (c.category_name_vi, c.category_name_en);
                    let status = c.status;
                    view! {
                        <li>
                            <a href=format!("/cases/{}", c.id)>{format!("#{} · {}", c.id, c.title)}</a>
                            " · "
                            <span class="status">{move || status_label(lang.get(), status)}</span>
                            " · "
                            {move || if lang.get() == Lang::Vi { vi.clone() } else { en.clone() }}
                            " · "
                            {local_time(c.submitted_at)}
                            {c.rejection_note.map(|note| view! {
                                <p class="rejection-note">{move || t(Key::RejectionReasonLabel)} ": " {note}</p>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <nav class="pager" aria-label=move || t(Key::FilterPages)>
            {previous.map(|href| view! { <a href=href>{move || t(Key::FilterPrevious)}</a> })}
            <span>{move || format!("{} {shown} / {}", t(Key::FilterPage), pages.max(1))}</span>
            {next.map(|href| view! { <a href=href>{move || t(Key::FilterNext)}</a> })}
        </nav>
    }
}
