//! The public page of one case: what, where, its status and its public timeline. Never the reporter.

use crate::api::{get_public_case, receipt_case};
use crate::cases::RateByReceipt;
use crate::components::answer_question::{AnswerQuestion, Answerer};
use crate::components::map::{CaseLocationMap, MapMarker};
use crate::components::photo_gallery::PhotoGallery;
use crate::components::push_toggle::{PushScope, PushToggle};
use crate::components::support_button::SupportButton;
use crate::error::{with_status, AppError};
use crate::i18n::{case_number_link, rating_label, result_tr, support_tr, supporters_count, ResultKey, SupportKey};
use crate::i18n::{change_label, channel_label, role_label, status_label, Key, Lang};
use crate::lang::{use_lang, use_tr};
use chrono::{DateTime, Utc};
use domain::case::{CaseStatus, PublicCase};
use domain::deadline::province_offset;
use domain::workflow::Rating;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Times are shown in the province's time zone (UTC+7, no daylight saving).
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&province_offset()).format("%d/%m/%Y %H:%M").to_string()
}

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|raw| raw.parse::<i64>().ok()));
    let case = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_public_case(id).await,
            None => Err(with_status(AppError::NotFound)),
        }
    });
    let t = use_tr();
    view! {
        <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(found) => view! { <CaseDetails case=found/> }.into_any(),
                    Err(AppError::NotFound) => view! { <p class="not-found">{move || t(Key::CaseNotFound)}</p> }.into_any(),
                    Err(_) => view! { <p class="form-error" role="alert">{move || t(Key::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The reporter's own view of a case, opened by the private receipt link given after an anonymous
/// report: it shows the case before screening, which nobody else but its screeners sees.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let case = Resource::new(token, receipt_case);
    let t = use_tr();
    view! {
        <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(found) => {
                        let waiting = found.status == CaseStatus::Submitted;
                        let rating = found.awaits_rating().then(|| view! { <ReceiptRating token=token()/> });
                        let question = found.question.clone().map(|question| view! {
                            <AnswerQuestion question answerer=Answerer::Receipt { token: token() }/>
                        });
                        let push = PushScope::Receipt { token: token(), case: found.id };
                        view! {
                            <p class="hint receipt-note">{move || t(Key::ReceiptPageNote)}</p>
                            <PushToggle scope=push/>
                            {waiting.then(|| view! { <p class="awaiting-screening" role="status">{move || t(Key::AwaitingScreening)}</p> })}
                            {question}
                            <CaseDetails case=found/>
                            {rating}
                        }
                        .into_any()
                    }
                    Err(AppError::NotFound) => view! { <p class="not-found">{move || t(Key::ReceiptNotFound)}</p> }.into_any(),
                    Err(_) => view! { <p class="form-error" role="alert">{move || t(Key::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The rating form of the receipt view: the link's holder rates the approved result they just read.
#[component]
fn ReceiptRating(
    /// The receipt token from the link, the holder's only proof of being the reporter.
    token: String,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let hydrated = crate::session::use_hydrated();
    let rate = ServerAction::<RateByReceipt>::new();
    let rating = RwSignal::new(None::<Rating>);
    let comment = RwSignal::new(String::new());
    let token = StoredValue::new(token);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(rating) = rating.get_untracked() {
            rate.dispatch(RateByReceipt { token: token.get_value(), rating, comment: comment.get_untracked() });
        }
    };
    let sent = move || matches!(rate.value().get(), Some(Ok(_)));
    view! {
        <section class="receipt-rating">
            <p class="form-ok" role="status">{move || sent().then(|| result_tr(lang.get(), ResultKey::RatingSent))}</p>
            <p class="form-error" role="alert">
                {move || match rate.value().get() {
                    Some(Err(error)) => Some(crate::session::error_text(lang.get(), &error)),
                    _ => None,
                }}
            </p>
            <Show when=move || !sent()>
                <form class="rating" on:submit=on_submit>
                    <fieldset>
                        <legend>{move || t(Key::RateHeading)}</legend>
                        {[Rating::Satisfied, Rating::Acceptable, Rating::Unsatisfied].into_iter().map(|option| view! {
                            <label class="check">
                                <input type="radio" name="receipt-rating" disabled=move || !hydrated.get()
                                    on:change=move |_| rating.set(Some(option))/>
                                {move || rating_label(lang.get(), option)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <div class="field">
                        <label for="receipt-comment">{move || t(Key::CommentLabel)}</label>
                        <textarea id="receipt-comment" rows="2" prop:value=move || comment.get()
                            on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="primary"
                        disabled=move || !hydrated.get() || rating.get().is_none() || rate.pending().get()>
                        {move || t(Key::SendRating)}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// The case's public answer: the approved result's summary, with when it was approved.
#[component]
pub fn PublishedResult(
    /// The case whose answer in force is shown; nothing shows without one.
    case: PublicCase,
) -> impl IntoView {
    let lang = use_lang();
    case.published_result().cloned().map(|approval| {
        let at = approval.occurred_at;
        view! {
            <section class="published-result" aria-labelledby=format!("published-result-{}", case.id)>
                <h2 id=format!("published-result-{}", case.id)>{move || result_tr(lang.get(), ResultKey::PublishedHeading)}</h2>
                <p class="published-result-text">{approval.note.clone()}</p>
                <p class="hint">
                    {move || result_tr(lang.get(), ResultKey::PublishedApprovedOn)} " "
                    <time datetime=at.to_rfc3339()>{local_time(at)}</time>
                </p>
            </section>
        }
    })
}

#[component]
fn CaseDetails(
    /// The case to show, already stripped of personal data by the server.
    case: PublicCase,
) -> impl IntoView {
    let lang = use_lang();
    let t = use_tr();
    let category = {
        let (vi, en) = (case.category_name_vi.clone(), case.category_name_en.clone());
        move || if lang.get() == Lang::Vi { vi.clone() } else { en.clone() }
    };
    let marker =
        MapMarker { lat: case.lat, lon: case.lon, title: case.title.clone(), href: format!("/cases/{}", case.id) };
    let area = case.area_name.clone();
    let status = case.status;
    let channel = case.channel;
    let supporters = RwSignal::new(case.supporters);
    let supportable = domain::workflow::SUPPORTABLE.contains(&status) && case.merged_into.is_none();
    let timeline = case
        .timeline
        .iter()
        .map(|event| {
            let event = event.clone();
            view! {
                <li>
                    <time datetime=event.occurred_at.to_rfc3339()>{local_time(event.occurred_at)}</time>
                    " · "
                    <strong>{move || change_label(lang.get(), event.kind)}</strong>
                    " · "
                    <span>{move || status_label(lang.get(), event.to_status)}</span>
                    " · "
                    <span class="actor">{move || role_label(lang.get(), event.actor_role)}</span>
                    {event.agency.clone().map(|agency| view! { " · " <span class="agency">{agency}</span> })}
                    {event.note.clone().map(|note| view! { <p class="note">{note}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=crate::page_title(format!("#{} · {}", case.id, case.title))/>
        <article class="case-page">
            <header>
                <p class="case-number">{move || t(Key::CaseHeading)} " #" {case.id}</p>
                <h1>{case.title.clone()}</h1>
                <p class="category">{category}</p>
            </header>
            <dl class="facts">
                <dt>{move || t(Key::Status)}</dt>
                <dd class=format!("status status-{}", status.as_str())>{move || status_label(lang.get(), status)}</dd>
                <dt>{move || t(Key::Location)}</dt>
                <dd>
                    {case.address.clone().map(|a| view! { <span class="address">{a} " · "</span> })}
                    {format!("{:.5}, {:.5}", case.lat, case.lon)}
                    {match area {
                        Some(name) => view! { <span>" · " {name}</span> }.into_any(),
                        None => view! { <span class="out-of-area">" · " {move || t(Key::OutOfArea)}</span> }.into_any(),
                    }}
                </dd>
                <dt>{move || t(Key::Submitted)}</dt>
                <dd>{local_time(case.submitted_at)}</dd>
                <dt>{move || t(Key::Channel)}</dt>
                <dd>{move || channel_label(lang.get(), channel)}</dd>
                <dt>{move || support_tr(lang.get(), SupportKey::SupportersLabel)}</dt>
                <dd class="supporters">{move || supporters_count(lang.get(), supporters.get())}</dd>
            </dl>
            {case.merged_into.map(|original| view! {
                <p class="merged-into">
                    {move || support_tr(lang.get(), SupportKey::MergedIntoBefore)} " "
                    <a href=format!("/cases/{original}")>{move || case_number_link(lang.get(), original)}</a> "."
                </p>
            })}
            {supportable.then(|| view! { <SupportButton id=case.id supporters/> })}
            <p class="description">{case.description.clone()}</p>
            <PublishedResult case=case.clone()/>
            // Only the reporter's own view holds photos before screening (and after a rejection).
            {(!case.photos.is_empty() && !domain::case::photos_public(status)).then(|| view! {
                <p class="hint">{move || crate::i18n::form_tr(lang.get(), crate::i18n::FormKey::PhotosOnlyYou)}</p>
            })}
            <PhotoGallery photos=case.photos.clone()/>
            <CaseLocationMap label=Signal::derive(move || t(Key::MapLabel).to_string()) marker/>
            <section class="timeline">
                <h2>{move || t(Key::Timeline)}</h2>
                <ol>{timeline}</ol>
                // A report waiting for screening is not public yet, nor is its feed.
                {(status != domain::case::CaseStatus::Submitted).then(|| view! {
                    <crate::routes::alerts::FollowButton case_id=case.id/>
                    <p>
                        <a href=format!("/api/v1/cases/{}/timeline.atom", case.id) rel="external" type="application/atom+xml">
                            {move || crate::i18n::search_tr(lang.get(), crate::i18n::SearchKey::CaseFeed)}
                        </a>
                    </p>
                })}
            </section>
            <p class="hint">{move || t(Key::PrivacyNote)}</p>
        </article>
    }
}
