//! What the cluster maps show beside the map: the filter panel's fields and the list of the cases in view.

use crate::i18n::{in_view_summary, status_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::map_data::{CasePage, MapFilters, PAGE_SIZE};
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
                    let is_selected = move || selected.get().map(|s| s.0) == Some(id);
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
