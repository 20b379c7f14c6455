//! The staff queues: screening for coordinators, results and requests to decide, and an agency's cases.

use crate::cases::{agency_queue, review_queue, screening_queue, QueueItem};
use crate::components::highlight::Highlighted;
use crate::i18n::{assign_tr, AssignKey};
use crate::i18n::{channel_label, staff_search_nothing, staff_search_tr, status_label, Key, StaffSearchKey};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::session::error_text;
use chrono::{DateTime, SecondsFormat, Utc};
use domain::case::QueueCursor;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Queue {
    Screening,
    Review,
    Agency,
}

impl Queue {
    fn path(self) -> &'static str {
        match self {
            Queue::Screening => "/staff/screening",
            Queue::Review => "/staff/review",
            Queue::Agency => "/staff/agency",
        }
    }
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
    use crate::components::push_toggle::{PushScope, PushToggle};
    // An officer is pushed each case routed to their agency.
    view! {
        <QueuePage queue=Queue::Agency/>
        <PushToggle scope=PushScope::Account/>
    }
}

/// A value written into a page address's query, every byte but the unreserved ones escaped.
fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The search a queue's address keeps, and whether it shows only the reader's own cases, as the
/// rest of a query (`&q=…&mine=true`), or nothing.
fn search_suffix(q: &str, mine: bool) -> String {
    let mut suffix = String::new();
    if !q.trim().is_empty() {
        suffix.push_str(&format!("&q={}", query_value(q)));
    }
    if mine {
        suffix.push_str("&mine=true");
    }
    suffix
}

/// The page after `next`, as a link the router follows: every case of a queue is reachable, and
/// a search and the reader's own cases stay on as the pages turn.
fn next_page_href(next: QueueCursor, q: &str, mine: bool) -> String {
    let search = search_suffix(q, mine);
    match next.at {
        Some(at) => {
            format!("?after_at={}&after_id={}{search}", at.to_rfc3339_opts(SecondsFormat::Micros, true), next.id)
        }
        None => format!("?after_id={}{search}", next.id),
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
    let searched = move || query.with(|query| query.get("q").unwrap_or_default());
    // The agency's queue shows the whole agency's cases, or with `mine=true` the reader's own.
    let mine = move || queue == Queue::Agency && query.with(|query| query.get("mine").as_deref() == Some("true"));
    let page = Resource::new(
        move || (queue, after(), searched(), mine()),
        |(queue, (after_at, after_id), q, mine)| async move {
            let q = Some(q).filter(|q| !q.trim().is_empty());
            match queue {
                Queue::Screening => screening_queue(after_at, after_id, q).await,
                Queue::Review => review_queue(after_at, after_id, q).await,
                Queue::Agency => agency_queue(after_at, after_id, q, Some(mine)).await,
            }
        },
    );
    let heading = match queue {
        Queue::Screening => Key::ScreeningHeading,
        Queue::Review => Key::ReviewHeading,
        Queue::Agency => Key::AgencyQueueHeading,
    };
    let first_page = move || {
        after().1.is_some().then(|| {
            let href = match search_suffix(&searched(), mine()) {
                rest if rest.is_empty() => "?".to_string(),
                rest => format!("?{}", &rest[1..]),
            };
            view! { <a class="queue-page" href=href>{move || t(Key::QueueFirstPage)}</a> }
        })
    };
    let empty = move || {
        let q = searched();
        if q.trim().is_empty() && mine() {
            view! { <p>{move || assign_tr(lang.get(), AssignKey::MyCasesEmpty)}</p> }.into_any()
        } else if q.trim().is_empty() {
            view! { <p>{move || t(Key::QueueEmpty)}</p> }.into_any()
        } else {
            view! { <p class="search-nothing">{move || staff_search_nothing(lang.get(), &q)}</p> }.into_any()
        }
    };
    view! {
        <section class="queue">
            <h1>{move || t(heading)}</h1>
            {(queue == Queue::Agency).then(|| view! { <HolderTabs mine=Signal::derive(mine)/> })}
            <QueueSearch searched=Signal::derive(searched) mine=Signal::derive(mine) action=queue.path()/>
            <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.items.is_empty() => view! { <div role="status">{empty}</div> }.into_any(),
                        Ok(page) => {
                            let next = page.next.map(|next| {
                                view! { <a class="queue-page" rel="next" href=next_page_href(next, &searched(), mine())>{move || t(Key::QueueNextPage)}</a> }
                            });
                            let holders = queue == Queue::Agency;
                            view! {
                                <table class="queue-table">
                                    <thead><tr>
                                        <th>"#"</th>
                                        <th>{move || t(Key::Title)}</th>
                                        <th>{move || t(Key::Status)}</th>
                                        <th>{move || t(Key::Submitted)}</th>
                                        <th>{move || t(Key::Deadline)}</th>
                                        <th>{move || t(Key::Channel)}</th>
                                        {holders.then(|| view! { <th>{move || assign_tr(lang.get(), AssignKey::Holder)}</th> })}
                                        <th></th>
                                    </tr></thead>
                                    <tbody>{page.items.into_iter().map(|item| {
                                        let words = crate::components::highlight::query_words(&searched());
                                        view! { <QueueRow item words holders/> }
                                    }).collect_view()}</tbody>
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

/// The queue's search box: a form whose query becomes the page's address (`?q=`), so a search
/// survives a reload and can be shared, and works before the page's script has loaded. The words
/// are the field's initial value, not a property kept in step, so that what someone typed before the
/// script loaded stays.
#[component]
fn QueueSearch(
    /// The search the address holds now.
    searched: Signal<String>,
    /// Whether the queue shows only the reader's own cases, which a search keeps.
    mine: Signal<bool>,
    /// The queue's page.
    action: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let t = move |key| staff_search_tr(lang.get(), key);
    let cleared = move || if mine.get() { format!("{action}?mine=true") } else { action.to_string() };
    view! {
        <Form method="GET" action=action attr:class="staff-search" attr:role="search">
            {move || mine.get().then(|| view! { <input type="hidden" name="mine" value="true"/> })}
            <label for="queue-search-q">{move || t(StaffSearchKey::QueueLabel)}</label>
            <div class="staff-search-row">
                // Made again when the address's search changes (a search sent, cleared or opened from a link).
                {move || {
                    let words = searched.get();
                    view! {
                        <input id="queue-search-q" type="search" name="q" autocomplete="off"
                            aria-describedby="queue-search-hint" value=words/>
                    }
                }}
                <button type="submit">{move || t(StaffSearchKey::Button)}</button>
                {move || (!searched.get().trim().is_empty()).then(|| view! {
                    <a class="staff-search-clear" href=cleared()>{move || t(StaffSearchKey::Clear)}</a>
                })}
            </div>
            <p id="queue-search-hint" class="hint">{move || t(StaffSearchKey::Hint)}</p>
        </Form>
    }
}

/// The agency queue's two views, each its own address: the whole agency's cases and the reader's own.
#[component]
fn HolderTabs(
    /// Whether the reader's own cases are shown.
    mine: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let current = move |own: bool| (mine.get() == own).then_some("page");
    view! {
        <nav class="queue-tabs" aria-label=move || assign_tr(lang.get(), AssignKey::TabsLabel)>
            <a href=Queue::Agency.path() aria-current=move || current(false)>{move || assign_tr(lang.get(), AssignKey::AllCases)}</a>
            <a href=format!("{}?mine=true", Queue::Agency.path()) aria-current=move || current(true)>
                {move || assign_tr(lang.get(), AssignKey::MyCases)}
            </a>
        </nav>
    }
}

#[component]
fn QueueRow(
    /// The case and its suggestions.
    item: QueueItem,
    /// The words of the queue's search, marked in the title.
    words: Vec<String>,
    /// Whether the queue names who holds each case (an agency's).
    holders: bool,
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
            <td><Highlighted text=title.clone() words/> <div class="suggestions">{suggestions}</div></td>
            <td>{move || status_label(lang.get(), status)}
                {item.overdue.then(|| view! { <span class="badge warn">{move || t(Key::Overdue)}</span> })}</td>
            <td>{local_time(case.submitted_at)}</td>
            <td>{case.facts.deadline.map(local_time).unwrap_or_default()}</td>
            <td>{move || channel_label(lang.get(), channel)}</td>
            {holders.then(|| match item.assignee.clone() {
                Some(name) => view! { <td>{name}</td> }.into_any(),
                None => view! { <td class="muted">{move || assign_tr(lang.get(), AssignKey::Unassigned)}</td> }.into_any(),
            })}
            <td>
                <a href=href>
                    {move || t(Key::OpenCase)}
                    <span class="visually-hidden">{format!(" #{} {}", case.id, title)}</span>
                </a>
            </td>
        </tr>
    }
}
