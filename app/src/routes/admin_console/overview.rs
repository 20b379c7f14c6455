//! The admin console's overview: how many entries each console page keeps, the latest changes,
//! and the way to each page and to the staff map.

use super::form_kit::loading;
use super::ConsolePage;
use crate::admin::{admin_overview, ConsoleOverview, EntryCount};
use crate::i18n::{entity_label, role_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::session::error_text;
use domain::case::ActorRole;
use leptos::prelude::*;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let lang = use_lang();
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <ConsolePage heading=Key::AdminOverviewHeading intro=Key::AdminOverviewIntro>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <Overview overview/> }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </ConsolePage>
    }
}

#[component]
fn Overview(overview: ConsoleOverview) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let rows: [(&'static str, Key, EntryCount); 5] = [
        ("/admin/categories", Key::AdminCategories, overview.categories),
        ("/admin/agencies", Key::AdminAgencies, overview.agencies),
        ("/admin/areas", Key::AdminAreas, overview.areas),
        ("/admin/staff", Key::AdminStaff, overview.staff_accounts),
        ("/admin/api-keys", Key::NavApiKeys, overview.api_keys),
    ];
    let changes = if overview.recent_changes.is_empty() {
        view! { <p>{move || t(Key::AdminNoChanges)}</p> }.into_any()
    } else {
        view! {
            <ul class="recent-changes">
                {overview.recent_changes.into_iter().map(|change| {
                    let entity = change.entity;
                    let who = change.actor.clone();
                    view! {
                        <li>
                            <time datetime=change.at.to_rfc3339()>{local_time(change.at)}</time>
                            " · "
                            // Seeding and demo loading act as the system, not as a person.
                            {move || who.clone().unwrap_or_else(|| role_label(lang.get(), ActorRole::System).to_string())}
                            " · "
                            {move || entity_label(lang.get(), entity)} " " <strong>{change.key.clone()}</strong>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="overview-grid">
            <table class="overview-counts">
                <caption>{move || t(Key::AdminOverviewCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t(Key::AdminOverviewPage)}</th>
                        <th scope="col">{move || t(Key::AdminOverviewTotal)}</th>
                        <th scope="col">{move || t(Key::AdminOverviewInUse)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(href, key, count)| view! {
                        <tr>
                            <th scope="row"><a href=href>{move || t(key)}</a></th>
                            <td>{count.total}</td>
                            <td>{count.active}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <section class="overview-changes" aria-labelledby="recent-changes-heading">
                <h2 id="recent-changes-heading">{move || t(Key::AdminRecentChanges)}</h2>
                {changes}
                <p><a href="/admin/changes">{move || t(Key::AdminWholeLog)}</a></p>
            </section>
            <section class="overview-map" aria-labelledby="overview-map-heading">
                <h2 id="overview-map-heading">{move || t(Key::NavStaffMap)}</h2>
                <p>{move || t(Key::AdminStaffMapIntro)}</p>
                <p><a class="button-link" href="/staff/map">{move || t(Key::LeaderOpenMap)}</a></p>
            </section>
        </div>
    }
}
