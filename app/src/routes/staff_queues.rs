//! The staff queues: screening for coordinators, results and requests to decide, and an agency's cases.

use crate::cases::{agency_queue, review_queue, screening_queue, QueueItem};
use crate::i18n::{channel_label, status_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::session::error_text;
use chrono::{DateTime, SecondsFormat, Utc};
use domain::case::QueueCursor;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Queue {
    Screening,
    Review,
    Agency,
}

#[component]
pub fn ScreeningPage() -> impl IntoView {
    view! { <QueuePage queue=Queue::Screening/> }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    view! { <QueuePage queue=Queue::Review/> }
}

#[component]
pub fn AgencyQueuePage() -> impl IntoView {
    view! { <QueuePage queue=Queue::Agency/> }
}

/// The page after `next`, as a link the router follows: every case of a queue is reachable.
fn next_page_href(next: QueueCursor) -> String {
    match next.at {
        Some(at) => format!("?after_at={}&after_id={}", at.to_rfc3339_opts(SecondsFormat::Micros, true), next.id),
        None => format!("?after_id={}", next.id),
    }
}

#[component]
fn QueuePage(
    /// Which queue to show.
    queue: Queue,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let query = use_query_map();
    let after = move || {
        let query = query.get();
        let at = query.get("after_at").and_then(|raw| raw.parse::<DateTime<Utc>>().ok());
        (at, query.get("after_id").and_then(|raw| raw.parse::<i64>().ok()))
    };
    let page = Resource::new(
        move || (queue, after()),
        |(queue, (after_at, after_id))| async move {
            match queue {
                Queue::Screening => screening_queue(after_at, after_id).await,
                Queue::Review => review_queue(after_at, after_id).await,
                Queue::Agency => agency_queue(after_at, after_id).await,
            }
        },
    );
    let heading = match queue {
        Queue::Screening => Key::ScreeningHeading,
        Queue::Review => Key::ReviewHeading,
        Queue::Agency => Key::AgencyQueueHeading,
    };
    let first_page = move || {
        after().1.is_some().then(|| view! { <a class="queue-page" href="?">{move || t(Key::QueueFirstPage)}</a> })
    };
    view! {
        <section class="queue">
            <h1>{move || t(heading)}</h1>
            <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.items.is_empty() => view! { <p>{move || t(Key::QueueEmpty)}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next.map(|next| {
                                view! { <a class="queue-page" rel="next" href=next_page_href(next)>{move || t(Key::QueueNextPage)}</a> }
                            });
                            view! {
                                <table class="queue-table">
                                    <thead><tr>
                                        <th>"#"</th>
                                        <th>{move || t(Key::Title)}</th>
                                        <th>{move || t(Key::Status)}</th>
                                        <th>{move || t(Key::Submitted)}</th>
                                        <th>{move || t(Key::Deadline)}</th>
                                        <th>{move || t(Key::Channel)}</th>
                                        <th></th>
                                    </tr></thead>
                                    <tbody>{page.items.into_iter().map(|item| view! { <QueueRow item/> }).collect_view()}</tbody>
                                </table>
                                <nav class="queue-pages">{next}</nav>
                            }.into_any()
                        }
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            {first_page}
        </section>
    }
}

#[component]
fn QueueRow(
    /// The case and its suggestions.
    item: QueueItem,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let case = item.case;
    let status = case.facts.status;
    let channel = case.channel;
    let href = format!("/staff/cases/{}", case.id);
    let title = case.title.clone();
    let suggestions = item.suggestions.map(|s| {
        let duplicates = (!s.possible_duplicates.is_empty()).then(|| {
            let list = s
                .possible_duplicates
                .iter()
                .map(|(id, _, metres)| format!("#{id} ({metres} m)"))
                .collect::<Vec<_>>()
                .join(", ");
            view! { <span class="badge">{move || t(Key::SuggestDuplicates)} " " {list.clone()}</span> }
        });
        let agency = s
            .agency
            .clone()
            .map(|a| view! { <span class="badge">{move || t(Key::SuggestAgency)} ": " {a.clone()}</span> });
        view! {
            {s.out_of_area.then(|| view! { <span class="badge warn">{move || t(Key::SuggestOutOfArea)}</span> })}
            {duplicates}
            {agency}
        }
    });
    view! {
        <tr class:overdue=item.overdue>
            <td>{case.id}</td>
            <td>{title.clone()} <div class="suggestions">{suggestions}</div></td>
            <td>{move || status_label(lang.get(), status)}
                {item.overdue.then(|| view! { <span class="badge warn">{move || t(Key::Overdue)}</span> })}</td>
            <td>{local_time(case.submitted_at)}</td>
            <td>{case.facts.deadline.map(local_time).unwrap_or_default()}</td>
            <td>{move || channel_label(lang.get(), channel)}</td>
            <td>
                <a href=href>
                    {move || t(Key::OpenCase)}
                    <span class="visually-hidden">{format!(" #{} {}", case.id, title)}</span>
                </a>
            </td>
        </tr>
    }
}
