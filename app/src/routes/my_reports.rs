//! A citizen's own reports with their timelines and the rating form, and the notices page.

use crate::cases::{my_notices, my_reports, ChangeCase, ChangeRequest, NoticeReason};
use crate::components::answer_question::{AnswerQuestion, Answerer};
use crate::components::push_toggle::{PushScope, PushToggle};
use crate::i18n::{change_label, follow_tr, rating_label, status_label, FollowKey, Key};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::session::{error_text, use_hydrated};
use domain::case::{CaseStatus, PublicCase};
use domain::workflow::{CaseFacts, Rating};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn MyReportsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let rate = ServerAction::<ChangeCase>::new();
    let reports = Resource::new(move || rate.version().get(), |_| my_reports());
    let outcome = move || match rate.value().get() {
        Some(Err(error)) => Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }),
        _ => None,
    };
    view! {
        <section class="my-reports">
            <h1>{move || t(Key::MyReportsHeading)}</h1>
            <PushToggle scope=PushScope::Account/>
            {outcome}
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match reports.await {
                        Ok(list) if list.is_empty() => view! { <p>{move || t(Key::QueueEmpty)}</p> }.into_any(),
                        Ok(list) => list.into_iter().map(|(case, facts)| view! { <MyReport case facts rate/> }).collect_view().into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MyReport(
    /// The report as the public sees it.
    case: PublicCase,
    /// What its events establish.
    facts: CaseFacts,
    /// The rating action.
    rate: ServerAction<ChangeCase>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let status = case.status;
    let id = case.id;
    let version = facts.version;
    let rating = RwSignal::new(None::<Rating>);
    let hydrated = use_hydrated();
    let comment = RwSignal::new(String::new());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(rating) = rating.get_untracked() {
            rate.dispatch(ChangeCase {
                id,
                version,
                request: ChangeRequest::Rate { rating, comment: comment.get_untracked() },
            });
        }
    };
    let can_rate = status == CaseStatus::Resolved && facts.rating.is_none();
    let rating_form = can_rate.then(|| {
        let name = format!("rating-{id}");
        view! {
            <form class="rating" on:submit=on_submit>
                <fieldset>
                    <legend>{move || t(Key::RateHeading)}</legend>
                    {[Rating::Satisfied, Rating::Acceptable, Rating::Unsatisfied].into_iter().map(|option| {
                        let name = name.clone();
                        view! {
                            <label class="check">
                                <input type="radio" name=name disabled=move || !hydrated.get() on:change=move |_| rating.set(Some(option))/>
                                {move || rating_label(lang.get(), option)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for=format!("comment-{id}")>{move || t(Key::CommentLabel)}</label>
                    <textarea id=format!("comment-{id}") rows="2" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="primary" disabled=move || !hydrated.get() || rating.get().is_none() || rate.pending().get()>{move || t(Key::SendRating)}</button>
            </form>
        }
    });
    let given = facts.rating.map(
        |r| view! { <p>{move || t(Key::YourRating)} ": " <strong>{move || rating_label(lang.get(), r)}</strong></p> },
    );
    let timeline = case
        .timeline
        .iter()
        .map(|event| {
            let kind = event.kind;
            let note = event.note.clone();
            view! {
                <li>{local_time(event.occurred_at)} " · " {move || change_label(lang.get(), kind)}
                    {note.map(|n| view! { <p class="note">{n}</p> })}</li>
            }
        })
        .collect_view();
    view! {
        <article class="my-report">
            <h2><a href=format!("/cases/{id}")>{format!("#{id} · {}", case.title)}</a></h2>
            <p class=format!("status status-{}", status.as_str())>{move || status_label(lang.get(), status)}</p>
            {case.question.clone().map(|question| view! {
                <AnswerQuestion question answerer=Answerer::Account { id, version }/>
            })}
            <crate::routes::case_page::PublishedResult case=case.clone()/>
            <ol class="timeline">{timeline}</ol>
            {given}
            {rating_form}
        </article>
    }
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let session = crate::session::use_session();
    let notices = Resource::new(|| (), |_| my_notices());
    let reason_text = move |reason: NoticeReason| {
        let key = match reason {
            NoticeReason::Reported => FollowKey::ReasonReported,
            NoticeReason::Followed => FollowKey::ReasonFollowed,
            NoticeReason::Alert => FollowKey::ReasonAlert,
            NoticeReason::Agency => FollowKey::ReasonAgency,
            NoticeReason::Deadline => FollowKey::ReasonDeadline,
            NoticeReason::Assigned => {
                return crate::i18n::assign_tr(lang.get(), crate::i18n::AssignKey::ReasonAssigned);
            }
        };
        follow_tr(lang.get(), key)
    };
    // Officers' notices are their agency's; places are watched from citizens' accounts.
    let watches_places = move || {
        session
            .and_then(|s| s.account.get())
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|account| account.role == domain::case::ActorRole::Citizen)
    };
    view! {
        <section>
            <h1>{move || t(Key::NoticesHeading)}</h1>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match notices.await {
                        Ok(list) if list.is_empty() => view! { <p>{move || t(Key::QueueEmpty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="notices">
                                {list.into_iter().map(|n| {
                                    let kind = n.kind;
                                    let reason = n.reason;
                                    // A case given to an officer opens where they work it.
                                    let href = if reason == NoticeReason::Assigned {
                                        format!("/staff/cases/{}", n.case_id)
                                    } else {
                                        format!("/cases/{}", n.case_id)
                                    };
                                    view! { <li class:unread=n.unread>
                                        {n.unread.then(|| view! { <strong class="badge">{move || follow_tr(lang.get(), FollowKey::Unread)}</strong> " " })}
                                        {local_time(n.at)} " · " {move || change_label(lang.get(), kind)} " · "
                                        <a href=href>{format!("#{} · {}", n.case_id, n.title)}</a>
                                        " · " <span class="hint">{move || reason_text(reason)}</span></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || watches_places().then(|| view! { <crate::routes::alerts::AlertsSection/> })}
            </Transition>
        </section>
    }
}
