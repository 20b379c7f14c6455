//! A case as staff see it: facts, contact, the whole timeline, and a form for each change they may make.

use crate::cases::{get_staff_case, ChangeCase, ChangeRequest, StaffCase};
use crate::components::map::{CaseLocationMap, MapMarker};
use crate::components::photo_gallery::PhotoGallery;
use crate::components::photo_picker::{photo_ids, photos_uploading, PhotoPicker, PickedPhoto, UploadState};
use crate::error::AppError;
use crate::i18n::{change_label, reject_reason_label, role_label, status_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::session::{error_text, use_hydrated};
use domain::validation::ValidationError;
use domain::workflow::{ChangeKind, RejectReason};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StaffCasePage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|raw| raw.parse::<i64>().ok()));
    let change = ServerAction::<ChangeCase>::new();
    let case = Resource::new(
        move || (id(), change.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_staff_case(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let outcome = move || match change.value().get() {
        Some(Ok(_)) => Some(view! { <p class="form-ok" role="status">{move || t(Key::Done)}</p> }.into_any()),
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        }
        None => None,
    };
    view! {
        <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(found) => view! { <StaffCaseView case=found change/> }.into_any(),
                    Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                }
            })}
        </Transition>
        {outcome}
    }
}

/// The agency's name for its code, or a dash when there is none.
fn agency_name(agencies: &[domain::catalogue::Agency], code: Option<&str>) -> String {
    match code {
        Some(code) => {
            agencies.iter().find(|a| a.code == code).map(|a| a.name.clone()).unwrap_or_else(|| code.to_string())
        }
        None => "—".to_string(),
    }
}

#[component]
fn StaffCaseView(
    /// The case as the server showed it to this person.
    case: StaffCase,
    /// The action every form dispatches.
    change: ServerAction<ChangeCase>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let facts = case.facts.clone();
    let public = case.public.clone();
    let status = facts.status;
    let marker = MapMarker {
        lat: public.lat,
        lon: public.lon,
        title: public.title.clone(),
        href: format!("/cases/{}", public.id),
    };
    let contact = case.contact.clone().map(|c| {
        let text = [
            c.name.map(|n| n.as_str().to_string()),
            c.phone.map(|p| p.as_str().to_string()),
            c.email.map(|e| e.as_str().to_string()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        view! { <dt>{move || t(Key::Reporter)}</dt><dd class="contact">{text}</dd> }
    });
    let timeline = case
        .events
        .iter()
        .map(|event| {
            let kind = event.change.kind();
            let role = event.actor_role;
            let note = event.change.note().map(str::to_string);
            let public = event.public;
            view! {
                <li class:internal=!public>
                    <time datetime=event.occurred_at.to_rfc3339()>{local_time(event.occurred_at)}</time>
                    " · " <strong>{move || change_label(lang.get(), kind)}</strong>
                    " · " {move || role_label(lang.get(), role)}
                    {(!public).then(|| view! { " · " <span class="badge">{move || t(Key::Internal)}</span> })}
                    {note.map(|n| view! { <p class="note">{n}</p> })}
                </li>
            }
        })
        .collect_view();
    let suggestions = case.suggestions.clone().map(|s| {
        view! {
            <ul class="suggestions">
                {s.out_of_area.then(|| view! { <li class="warn">{move || t(Key::SuggestOutOfArea)}</li> })}
                {s.agency.clone().map(|a| {
                    let name = agency_name(&case.agencies, Some(&a));
                    view! { <li>{move || t(Key::SuggestAgency)} ": " {name}</li> }
                })}
                {s.possible_duplicates.iter().map(|(id, title, metres)| {
                    let text = format!("#{id} · {title} ({metres} m)");
                    view! { <li>{move || t(Key::SuggestDuplicates)} " " <a href=format!("/staff/cases/{id}")>{text}</a></li> }
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <article class="case-page staff">
            <header>
                <p class="case-number">{move || t(Key::CaseHeading)} " #" {public.id}</p>
                <h1>{public.title.clone()}</h1>
            </header>
            <dl class="facts">
                <dt>{move || t(Key::Status)}</dt>
                <dd class=format!("status status-{}", status.as_str())>{move || status_label(lang.get(), status)}
                    {case.overdue.then(|| view! { " " <span class="badge warn">{move || t(Key::Overdue)}</span> })}</dd>
                <dt>{move || t(Key::LeadAgency)}</dt>
                <dd>{agency_name(&case.agencies, facts.lead_agency.as_deref())}</dd>
                <dt>{move || t(Key::Deadline)}</dt>
                <dd>{facts.deadline.map(local_time).unwrap_or_else(|| "—".into())}</dd>
                <dt>{move || t(Key::Returns)}</dt>
                <dd>{facts.returns}</dd>
                {contact}
            </dl>
            <p class="description">{public.description.clone()}</p>
            <PhotoGallery photos=case.photos.clone()/>
            {suggestions}
            <section class="actions">
                <h2>{move || t(Key::Actions)}</h2>
                <ActionForms case=case.clone() change/>
            </section>
            <CaseLocationMap label=Signal::derive(move || t(Key::MapLabel).to_string()) marker/>
            <section class="timeline">
                <h2>{move || t(Key::Timeline)}</h2>
                <ol>{timeline}</ol>
            </section>
        </article>
    }
}

/// One form per change the person may make now; nothing else is offered.
#[component]
fn ActionForms(case: StaffCase, change: ServerAction<ChangeCase>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let id = case.public.id;
    let version = case.facts.version;
    let send = move |request: ChangeRequest| {
        change.dispatch(ChangeCase { id, version, request });
    };
    let allowed = StoredValue::new(case.allowed.clone());
    let may = move |kind: ChangeKind| allowed.with_value(|list| list.contains(&kind));
    // Buttons wait for the page to be interactive: a click before that would do nothing.
    let hydrated = use_hydrated();
    let pending = move || !hydrated.get() || change.pending().get();

    let default_agency = case.suggestions.as_ref().and_then(|s| s.agency.clone()).unwrap_or_default();
    let agency = RwSignal::new(default_agency);
    let agencies = case.agencies.clone();
    let reason = RwSignal::new(if case.suggestions.as_ref().is_some_and(|s| s.out_of_area) {
        RejectReason::OutOfArea
    } else {
        RejectReason::InsufficientInfo
    });
    let duplicate_of = RwSignal::new(String::new());
    let public_note = RwSignal::new(false);
    let days = RwSignal::new("3".to_string());
    let pending_days = case.facts.pending_extension_days;

    // Each form keeps its own text, so typing in one does not fill the others.
    let text_area = move |id: &'static str, label: Key, text: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{move || t(label)}</label>
                <textarea id=id rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
        }
    };

    let accept = may(ChangeKind::Accepted).then(|| {
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(ChangeRequest::Accept { agency: agency.get_untracked() });
        };
        view! {
            <form class="action" on:submit=on_submit>
                <div class="field">
                    <label for="agency">{move || t(Key::LeadAgency)}</label>
                    <select id="agency" prop:value=move || agency.get() on:change=move |ev| agency.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {agencies.iter().map(|a| view! { <option value=a.code.clone()>{a.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="primary" disabled=pending>{move || t(Key::ActAccept)}</button>
            </form>
        }
    });
    let reject = may(ChangeKind::Rejected).then(|| {
        let text = RwSignal::new(String::new());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(ChangeRequest::Reject {
                reason: reason.get_untracked(),
                duplicate_of: duplicate_of.get_untracked().trim().trim_start_matches('#').parse().ok(),
                explanation: text.get_untracked(),
            });
        };
        view! {
            <form class="action" on:submit=on_submit>
                <div class="field">
                    <label for="reject_reason">{move || t(Key::RejectReasonLabel)}</label>
                    <select id="reject_reason"
                        prop:value=move || reason.get().as_str()
                        on:change=move |ev| if let Some(r) = RejectReason::parse(&event_target_value(&ev)) { reason.set(r) }>
                        {RejectReason::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{move || reject_reason_label(lang.get(), r)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="duplicate_of">{move || t(Key::DuplicateOfLabel)}</label>
                    <input id="duplicate_of" inputmode="numeric" prop:value=move || duplicate_of.get() on:input=move |ev| duplicate_of.set(event_target_value(&ev))/>
                </div>
                {text_area("explanation", Key::ExplanationLabel, text)}
                <button type="submit" disabled=pending>{move || t(Key::ActReject)}</button>
            </form>
        }
    });
    let simple = |kind: ChangeKind, label: Key, request: ChangeRequest| {
        may(kind).then(|| {
            let request = request.clone();
            view! { <button type="button" class="primary" disabled=pending on:click=move |_| send(request.clone())>{move || t(label)}</button> }
        })
    };
    let with_text =
        move |kind: ChangeKind, field_id: &'static str, label: Key, button: Key, make: fn(String) -> ChangeRequest| {
            may(kind).then(|| {
                let text = RwSignal::new(String::new());
                let on_submit = move |ev: SubmitEvent| {
                    ev.prevent_default();
                    send(make(text.get_untracked()));
                };
                view! {
                    <form class="action" on:submit=on_submit>
                        {text_area(field_id, label, text)}
                        <button type="submit" disabled=pending>{move || t(button)}</button>
                    </form>
                }
            })
        };
    let result = may(ChangeKind::ResultSubmitted).then(|| {
        let text = RwSignal::new(String::new());
        let photos = RwSignal::new(Vec::<PickedPhoto>::new());
        // Refusals of single files show in the picker; the change's own errors show above the forms.
        let photo_errors = RwSignal::new(Vec::<ValidationError>::new());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            if photos_uploading(photos) {
                return;
            }
            send(ChangeRequest::SubmitResult { summary: text.get_untracked(), photos: photo_ids(photos) });
        };
        view! {
            <form class="action" on:submit=on_submit>
                {text_area("result", Key::ResultLabel, text)}
                <PhotoPicker id="result_photos" photos errors=photo_errors label=Key::ResultPhotos/>
                <button type="submit" disabled=move || pending() || photos.with(|all| {
                    all.iter().any(|p| matches!(p.state, UploadState::Uploading { .. }))
                })>{move || t(Key::ActSubmitResult)}</button>
            </form>
        }
    });
    let note = may(ChangeKind::NoteAdded).then(|| {
        let text = RwSignal::new(String::new());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(ChangeRequest::AddNote { text: text.get_untracked(), public: public_note.get_untracked() });
        };
        view! {
            <form class="action" on:submit=on_submit>
                {text_area("note", Key::NoteLabel, text)}
                <label class="check"><input type="checkbox" prop:checked=move || public_note.get()
                    on:change=move |ev| public_note.set(event_target_checked(&ev))/> {move || t(Key::NotePublicLabel)}</label>
                <button type="submit" disabled=pending>{move || t(Key::ActAddNote)}</button>
            </form>
        }
    });
    let extension = may(ChangeKind::ExtensionRequested).then(|| {
        let text = RwSignal::new(String::new());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(ChangeRequest::RequestExtension { days: days.get_untracked().trim().parse().unwrap_or(0), reason: text.get_untracked() });
        };
        view! {
            <form class="action" on:submit=on_submit>
                <div class="field">
                    <label for="days">{move || t(Key::DaysLabel)}</label>
                    <input id="days" type="number" min="1" max="30" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                </div>
                {text_area("extension_reason", Key::ExtensionReasonLabel, text)}
                <button type="submit" disabled=pending>{move || t(Key::ActRequestExtension)}</button>
            </form>
        }
    });
    let decide_extension = may(ChangeKind::ExtensionDecided).then(|| {
        view! {
            <div class="action">
                <p>{move || t(Key::ExtensionPending)} " " {pending_days.unwrap_or_default()} " " {move || t(Key::DaysLabel).to_lowercase()}</p>
                <button type="button" class="primary" disabled=pending
                    on:click=move |_| send(ChangeRequest::DecideExtension { approved: true, note: String::new() })>{move || t(Key::ActApproveExtension)}</button>
                <button type="button" disabled=pending
                    on:click=move |_| send(ChangeRequest::DecideExtension { approved: false, note: String::new() })>{move || t(Key::ActRefuseExtension)}</button>
            </div>
        }
    });
    view! {
        <div class="action-forms">
            {accept}
            {reject}
            {simple(ChangeKind::Acknowledged, Key::ActAcknowledge, ChangeRequest::Acknowledge)}
            {simple(ChangeKind::ResultApproved, Key::ActApprove, ChangeRequest::ApproveResult)}
            {result}
            {with_text(ChangeKind::SentBack, "send_back", Key::SendBackLabel, Key::ActSendBack, |note| ChangeRequest::SendBack { note })}
            {with_text(ChangeKind::Returned, "return_reason", Key::ReturnReasonLabel, Key::ActReturn, |reason| ChangeRequest::Return { reason })}
            {with_text(ChangeKind::Reopened, "reopen_note", Key::CloseNoteLabel, Key::ActReopen, |note| ChangeRequest::Reopen { note })}
            {with_text(ChangeKind::Closed, "close_note", Key::CloseNoteLabel, Key::ActClose, |note| ChangeRequest::Close { note })}
            {with_text(ChangeKind::VerificationRequested, "verification_note", Key::NoteLabel, Key::ActRequestVerification, |note| ChangeRequest::RequestVerification { note })}
            {decide_extension}
            {extension}
            {note}
        </div>
    }
}
