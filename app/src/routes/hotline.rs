//! The operator's console: reports taken by phone, the call log, verification calls; and the citizen's claim.

use crate::hotline::{
    recent_calls, verification_queue, ClaimCase, LogCall, RecordCallAnswer, RecordCallRating, VerificationItem,
};
use crate::i18n::{outcome_label, privacy_tr, purpose_label, Key, PrivacyKey};
use crate::i18n::{pause_tr, rating_label, result_tr, PauseKey, ResultKey};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::routes::report::ReportPage;
use crate::session::{error_text, use_hydrated};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use domain::calls::{CallDirection, CallInput, CallOutcome, CallPurpose, CallRecord};
use domain::deadline::province_offset;
use domain::workflow::Rating;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn HotlineReportPage() -> impl IntoView {
    view! { <ReportPage hotline=true/> }
}

/// Reads a `datetime-local` value as province time.
fn parse_local(value: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").ok()?;
    province_offset().from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc))
}

/// The fields of one call, shared by the inbound form and each verification call.
#[component]
fn CallForm(
    /// Incoming calls ask for a purpose; outgoing ones are about `case_id`.
    direction: CallDirection,
    /// The case an outgoing call is about.
    #[prop(optional)]
    case_id: Option<i64>,
    /// The number to prefill (an outgoing call's reporter).
    #[prop(optional)]
    phone: Option<String>,
    /// Called after the call was logged.
    on_logged: Callback<()>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
    let log = ServerAction::<LogCall>::new();
    let id_prefix = match (direction, case_id) {
        (CallDirection::Inbound, _) => "in".to_string(),
        (CallDirection::Outbound, id) => format!("out-{}", id.unwrap_or_default()),
    };
    let phone = RwSignal::new(phone.unwrap_or_default());
    let purpose = RwSignal::new(CallPurpose::StatusInquiry);
    let outcomes: Vec<CallOutcome> = match direction {
        CallDirection::Inbound => CallOutcome::INBOUND.to_vec(),
        CallDirection::Outbound => CallOutcome::OUTBOUND.to_vec(),
    };
    let outcome = RwSignal::new(outcomes[0]);
    let case_number = RwSignal::new(case_id.map(|id| id.to_string()).unwrap_or_default());
    let duration = RwSignal::new(String::new());
    let callback = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = log.value().get() {
            on_logged.run(());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = CallInput {
            phone: phone.get_untracked(),
            purpose: (direction == CallDirection::Inbound).then(|| purpose.get_untracked()),
            outcome: Some(outcome.get_untracked()),
            case_id: case_number.get_untracked().trim().trim_start_matches('#').parse().ok(),
            duration_seconds: duration.get_untracked().trim().parse().unwrap_or(0),
            callback_at: parse_local(&callback.get_untracked()),
            note: note.get_untracked(),
        };
        log.dispatch(LogCall { direction, input });
    };
    let field_id = |name: &str| format!("{id_prefix}-{name}");
    let callback_id = field_id("callback");
    let outcome_options = outcomes
        .into_iter()
        .map(|o| {
            let value = serde_json::to_string(&o).unwrap_or_default().trim_matches('"').to_string();
            view! { <option value=value>{move || outcome_label(lang.get(), o)}</option> }
        })
        .collect_view();
    let parse_outcome = |raw: String| serde_json::from_value::<CallOutcome>(serde_json::Value::String(raw)).ok();
    let parse_purpose = |raw: String| serde_json::from_value::<CallPurpose>(serde_json::Value::String(raw)).ok();
    let result = move || match log.value().get() {
        Some(Ok(_)) => Some(view! { <p class="form-ok" role="status">{move || t(Key::CallLogged)}</p> }.into_any()),
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        }
        None => None,
    };
    let inbound = direction == CallDirection::Inbound;
    view! {
        <form class="action call-form" method="post" on:submit=on_submit>
            <div class="field">
                <label for=field_id("phone")>{move || t(Key::Phone)}</label>
                <input id=field_id("phone") type="tel" prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev))/>
                <crate::routes::privacy::PrivacyNoticeLink/>
            </div>
            {inbound.then(|| view! {
                <div class="field">
                    <label for=field_id("purpose")>{move || t(Key::PurposeLabel)}</label>
                    <select id=field_id("purpose") on:change=move |ev| if let Some(p) = parse_purpose(event_target_value(&ev)) { purpose.set(p) }>
                        {CallPurpose::ALL.into_iter().map(|p| {
                            let value = serde_json::to_string(&p).unwrap_or_default().trim_matches('"').to_string();
                            view! { <option value=value selected=p == CallPurpose::StatusInquiry>{move || purpose_label(lang.get(), p)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=field_id("case")>{move || t(Key::CaseNumberLabel)}</label>
                    <input id=field_id("case") inputmode="numeric" prop:value=move || case_number.get() on:input=move |ev| case_number.set(event_target_value(&ev))/>
                </div>
            })}
            <div class="field">
                <label for=field_id("outcome")>{move || t(Key::OutcomeLabel)}</label>
                <select id=field_id("outcome") on:change=move |ev| if let Some(o) = parse_outcome(event_target_value(&ev)) { outcome.set(o) }>
                    {outcome_options}
                </select>
            </div>
            <Show when=move || outcome.get() == CallOutcome::CallbackScheduled>
                <div class="field">
                    <label for=callback_id.clone()>{move || t(Key::CallbackAtLabel)}</label>
                    <input id=callback_id.clone() type="datetime-local" prop:value=move || callback.get() on:input=move |ev| callback.set(event_target_value(&ev))/>
                </div>
            </Show>
            <div class="field">
                <label for=field_id("duration")>{move || t(Key::CallDurationLabel)}</label>
                <input id=field_id("duration") type="number" min="0" prop:value=move || duration.get() on:input=move |ev| duration.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for=field_id("note")>{move || t(Key::NoteLabel)}</label>
                <textarea id=field_id("note") rows="2" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            {result}
            <button type="submit" class="primary" disabled=move || !hydrated.get() || log.pending().get()>{move || t(Key::LogCall)}</button>
        </form>
    }
}

fn call_rows(calls: Vec<CallRecord>) -> impl IntoView {
    let lang = use_lang();
    calls
        .into_iter()
        .map(|record| {
            let call = record.call;
            let outcome = call.outcome;
            let purpose = call.purpose;
            let direction = if call.direction == CallDirection::Inbound { "↓" } else { "↑" };
            view! {
                <tr>
                    <td>{local_time(record.logged_at)}</td>
                    <td>{direction}</td>
                    <td>{match call.phone {
                        Some(phone) => phone.as_str().to_string().into_any(),
                        None => view! { <em>{move || privacy_tr(lang.get(), PrivacyKey::PhoneErased)}</em> }.into_any(),
                    }}</td>
                    <td>{move || purpose.map(|p| purpose_label(lang.get(), p)).unwrap_or("—")}</td>
                    <td>{move || outcome_label(lang.get(), outcome)}</td>
                    <td>{call.case_id.map(|id| view! { <a href=format!("/staff/cases/{id}")>{format!("#{id}")}</a> })}</td>
                    <td>{format!("{} s", call.duration_seconds)}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
pub fn CallsPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let refresh = RwSignal::new(0u32);
    let calls = Resource::new(move || refresh.get(), |_| recent_calls(None));
    view! {
        <section class="calls">
            <h1>{move || t(Key::CallsHeading)}</h1>
            <h2>{move || t(Key::InboundHeading)}</h2>
            <CallForm direction=CallDirection::Inbound on_logged=Callback::new(move |_| refresh.update(|n| *n += 1))/>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match calls.await {
                        Ok(list) => view! {
                            <table class="queue-table">
                                <thead><tr>
                                    <th>{move || t(Key::When)}</th><th>{move || t(Key::Direction)}</th><th>{move || t(Key::Phone)}</th>
                                    <th>{move || t(Key::PurposeLabel)}</th><th>{move || t(Key::OutcomeLabel)}</th>
                                    <th>"#"</th><th>{move || t(Key::CallDurationLabel)}</th>
                                </tr></thead>
                                <tbody>{call_rows(list)}</tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The rating a caller gives on a call about their phoned-in report's approved result: the call is
/// logged and the rating recorded with it.
#[component]
fn CallRatingForm(
    /// The phoned-in case whose result the caller rates.
    case_id: i64,
    /// Called once the call and the rating were recorded.
    on_recorded: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let t = use_tr();
    let hydrated = use_hydrated();
    let record = ServerAction::<RecordCallRating>::new();
    let rating = RwSignal::new(None::<Rating>);
    let comment = RwSignal::new(String::new());
    let duration = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = record.value().get() {
            on_recorded.run(());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(rating) = rating.get_untracked() {
            record.dispatch(RecordCallRating {
                case_id,
                rating,
                comment: comment.get_untracked(),
                duration_seconds: duration.get_untracked().trim().parse().unwrap_or(0),
            });
        }
    };
    let field_id = move |name: &str| format!("rate-{case_id}-{name}");
    view! {
        <form class="action call-rating" method="post" on:submit=on_submit>
            <fieldset>
                <legend>{move || result_tr(lang.get(), ResultKey::CallRatingLabel)}</legend>
                {[Rating::Satisfied, Rating::Acceptable, Rating::Unsatisfied].into_iter().map(|option| view! {
                    <label class="check">
                        <input type="radio" name=field_id("rating") disabled=move || !hydrated.get()
                            on:change=move |_| rating.set(Some(option))/>
                        {move || rating_label(lang.get(), option)}
                    </label>
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for=field_id("comment")>{move || t(Key::CommentLabel)}</label>
                <textarea id=field_id("comment") rows="2" prop:value=move || comment.get()
                    on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for=field_id("duration")>{move || t(Key::CallDurationLabel)}</label>
                <input id=field_id("duration") type="number" min="0" prop:value=move || duration.get()
                    on:input=move |ev| duration.set(event_target_value(&ev))/>
            </div>
            <p class="form-ok" role="status">
                {move || matches!(record.value().get(), Some(Ok(_))).then(|| result_tr(lang.get(), ResultKey::CallRatingRecorded))}
            </p>
            <p class="form-error" role="alert">
                {move || match record.value().get() {
                    Some(Err(error)) => Some(error_text(lang.get(), &error)),
                    _ => None,
                }}
            </p>
            <button type="submit" class="primary"
                disabled=move || !hydrated.get() || rating.get().is_none() || record.pending().get()>
                {move || result_tr(lang.get(), ResultKey::CallRatingSubmit)}
            </button>
        </form>
    }
}

/// The answer a caller gives on a call about the question the agency asked on their phoned-in
/// report: the call is logged and the answer recorded with it, and the deadline runs again.
#[component]
fn CallAnswerForm(
    /// The phoned-in case the question is about.
    case_id: i64,
    /// The question to put to the caller.
    question: domain::pause::QuestionToReporter,
    /// Called once the call and the answer were recorded.
    on_recorded: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let t = use_tr();
    let hydrated = use_hydrated();
    let record = ServerAction::<RecordCallAnswer>::new();
    let answer = RwSignal::new(String::new());
    let duration = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = record.value().get() {
            on_recorded.run(());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        record.dispatch(RecordCallAnswer {
            case_id,
            answer: answer.get_untracked(),
            duration_seconds: duration.get_untracked().trim().parse().unwrap_or(0),
        });
    };
    let field_id = move |name: &str| format!("answer-{case_id}-{name}");
    view! {
        <form class="action call-answer" method="post" on:submit=on_submit>
            <p><strong>{move || pause_tr(lang.get(), PauseKey::QuestionHeading)} ": "</strong> {question.question.clone()}</p>
            <div class="field">
                <label for=field_id("answer")>{move || pause_tr(lang.get(), PauseKey::CallAnswerLabel)}</label>
                <textarea id=field_id("answer") rows="2" prop:value=move || answer.get()
                    on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for=field_id("duration")>{move || t(Key::CallDurationLabel)}</label>
                <input id=field_id("duration") type="number" min="0" prop:value=move || duration.get()
                    on:input=move |ev| duration.set(event_target_value(&ev))/>
            </div>
            <p class="form-ok" role="status">
                {move || matches!(record.value().get(), Some(Ok(_))).then(|| pause_tr(lang.get(), PauseKey::CallAnswerRecorded))}
            </p>
            <p class="form-error" role="alert">
                {move || match record.value().get() {
                    Some(Err(error)) => Some(error_text(lang.get(), &error)),
                    _ => None,
                }}
            </p>
            <button type="submit" class="primary" disabled=move || !hydrated.get() || record.pending().get()>
                {move || pause_tr(lang.get(), PauseKey::CallAnswerSubmit)}
            </button>
        </form>
    }
}

#[component]
pub fn VerificationPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let refresh = RwSignal::new(0u32);
    let queue = Resource::new(move || refresh.get(), |_| verification_queue());
    let item = move |item: VerificationItem| {
        let id = item.case.id;
        let title = item.case.title.clone();
        let due = local_time(item.due);
        let upcoming = item.upcoming;
        let facts = &item.case.facts;
        // A phoned-in case whose approved result is unrated: this call asks the caller's rating.
        let asks_rating =
            facts.phoned_in && facts.status == domain::case::CaseStatus::Resolved && facts.rating.is_none();
        let refreshed = Callback::new(move |_| refresh.update(|n| *n += 1));
        view! {
            <article class="verification" class:upcoming=upcoming>
                <h2><a href=format!("/staff/cases/{id}")>{format!("#{id} · {title}")}</a></h2>
                <p>
                    {move || t(if upcoming { Key::Upcoming } else { Key::DueNow })} ": " {due.clone()}
                    " · " {item.caller_name.clone().unwrap_or_default()} " " <strong>{item.caller_phone.clone().unwrap_or_default()}</strong>
                </p>
                {asks_rating.then(|| view! { <CallRatingForm case_id=id on_recorded=refreshed/> })}
                {item.question.clone().map(|question| view! { <CallAnswerForm case_id=id question on_recorded=refreshed/> })}
                <CallForm direction=CallDirection::Outbound case_id=id phone=item.caller_phone.clone().unwrap_or_default()
                    on_logged=refreshed/>
            </article>
        }
    };
    view! {
        <section>
            <h1>{move || t(Key::VerifyHeading)}</h1>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(list) if list.is_empty() => view! { <p>{move || t(Key::QueueEmpty)}</p> }.into_any(),
                        Ok(list) => list.into_iter().map(item).collect_view().into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn ClaimPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = use_hydrated();
    let claim = ServerAction::<ClaimCase>::new();
    let number = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let id = number.get_untracked().trim().trim_start_matches('#').parse().unwrap_or(0);
        claim.dispatch(ClaimCase { id, code: code.get_untracked() });
    };
    let result = move || match claim.value().get() {
        Some(Ok(())) => Some(view! { <p class="form-ok" role="status">{move || t(Key::Claimed)}</p> }.into_any()),
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        }
        None => None,
    };
    view! {
        <section class="narrow">
            <h1>{move || t(Key::ClaimHeading)}</h1>
            <p>{move || t(Key::ClaimIntro)}</p>
            <form class="stack" method="post" on:submit=on_submit>
                <div class="field">
                    <label for="claim_case">{move || t(Key::SubmittedCaseNumber)}</label>
                    <input id="claim_case" inputmode="numeric" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="claim_code">{move || t(Key::ClaimCode)}</label>
                    <input id="claim_code" inputmode="numeric" autocomplete="one-time-code" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                </div>
                {result}
                <button type="submit" class="primary" disabled=move || !hydrated.get() || claim.pending().get()>{move || t(Key::Claim)}</button>
            </form>
        </section>
    }
}
