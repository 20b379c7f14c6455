//! The change log page: who changed what in the catalogue, newest first, a page of a hundred at a time.

use super::form_kit::{loading, Column, ConsoleTable};
use super::ConsolePage;
use crate::admin::catalogue_log;
use crate::i18n::{entity_label, role_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use domain::case::ActorRole;
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::Text(Key::When),
    Column::Text(Key::AdminWho),
    Column::Text(Key::AdminWhat),
    Column::Text(Key::AdminBefore),
    Column::Text(Key::AdminAfter),
];

/// A logged entry as the table shows it: boundaries run to megabytes, so long entries are cut.
fn shorten(entry: Option<&str>) -> String {
    const SHOWN: usize = 400;
    match entry {
        None => "—".to_string(),
        Some(text) if text.chars().count() > SHOWN => format!("{}…", text.chars().take(SHOWN).collect::<String>()),
        Some(text) => text.to_string(),
    }
}

#[component]
pub fn ChangesPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let before = RwSignal::new(None::<i64>);
    let changes = Resource::new(move || before.get(), catalogue_log);
    view! {
        <ConsolePage heading=Key::AdminChanges intro=Key::AdminChangesIntro>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    changes.await.map(|list| {
                        let oldest = list.last().map(|c| c.id);
                        let full_page = list.len() == 100;
                        view! {
                            <ConsoleTable columns=COLUMNS class="queue-table change-log">
                                {list.into_iter().map(|change| {
                                    let entity = change.entity;
                                    view! {
                                        <tr>
                                            <td>{local_time(change.at)}</td>
                                            <td>{match change.actor.clone() {
                                                Some(username) => username,
                                                // Seeding and demo loading act as the system, not as a person.
                                                None => role_label(lang.get_untracked(), ActorRole::System).to_string(),
                                            }}</td>
                                            <td>{move || entity_label(lang.get(), entity)} " " <strong>{change.key.clone()}</strong></td>
                                            <td><code>{shorten(change.before.as_deref())}</code></td>
                                            <td><code>{shorten(change.after.as_deref())}</code></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </ConsoleTable>
                            {(full_page).then(|| view! {
                                <button type="button" on:click=move |_| before.set(oldest)>{move || t(Key::AdminOlder)}</button>
                            })}
                        }
                    })
                })}
            </Transition>
        </ConsolePage>
    }
}
