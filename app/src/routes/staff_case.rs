//! A case as staff work it: the case with all its facts, photos, map and timeline in one pane, the
//! changes this role may make in the other, each announcing its outcome beside its own button.

use crate::cases::{get_staff_case, ChangeCase, ChangeRequest, NextCase, QueueKind, StaffCase};
use crate::components::map::{CaseMarkers, ClusterLayer, MapMarker, MapView, MapViewport};
use crate::components::map_panel::SelectedCase;
use crate::components::photo_gallery::PhotoGallery;
use crate::components::photo_picker::{photo_ids, photos_uploading, PhotoPicker, PickedPhoto, UploadState};
use crate::error::AppError;
use crate::i18n::{assign_tr, assignment_text, AssignKey};
use crate::i18n::{change_label, channel_label, reject_reason_label, role_label, status_label, Key, Lang};
use crate::i18n::{field_label, pause_tr, result_tr, PauseKey, ResultKey};
use crate::lang::{use_lang, use_tr};
use crate::map_data::{map_clusters, MapFilters};
use crate::routes::case_page::local_time;
use crate::session::{error_text, use_hydrated};
use domain::account::{officer_name, AgencyOfficer};
use domain::validation::ValidationError;
use domain::workflow::{Change, ChangeKind, RejectReason};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The page of a case in the staff workspace.
fn case_href(id: i64) -> String {
    format!("/staff/cases/{id}")
}

#[component]
pub fn StaffCasePage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|raw| raw.parse::<i64>().ok()));
    let change = ServerAction::<ChangeCase>::new();
    // Which form sent the latest change: its outcome is announced inside that form.
    let sent_by = RwSignal::new(None::<ChangeKind>);
    // The case is read again once a change is made, or refused as a conflict (to show the fresh
    // state); other refusals leave the forms, and what was typed in them, as they are.
    let reload = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(_) | Err(AppError::Conflict(_))) = change.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    // Another case's page starts without the last one's outcome.
    Effect::new(move |_| {
        id();
        sent_by.set(None);
    });
    let case = Resource::new(
        move || (id(), reload.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_staff_case(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // The next case as last read: a change that takes the case out of this person's reach (an
    // agency returning it) still leaves the next one a click away.
    let next = RwSignal::new(None::<NextCase>);
    Effect::new(move |_| {
        if let Some(Ok(found)) = case.get() {
            next.set(found.next_case.clone());
        }
    });
    #[cfg(feature = "hydrate")]
    follow_next_shortcut(next);
    view! {
        <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(found) => view! { <StaffCaseView case=found change sent_by/> }.into_any(),
                    Err(_) if sent_by.get_untracked().is_some() && matches!(change.value().get_untracked(), Some(Ok(_))) => {
                        view! {
                            <section class="workspace-left-case">
                                <h1>{move || t(Key::CaseHeading)} " #" {id()}</h1>
                                <p class="form-ok" role="status">{move || t(Key::Done)}</p>
                                <p>{move || t(Key::WsCaseLeft)}</p>
                                <NextCaseLink next=next.get_untracked()/>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Alt+N opens the next case of the queue. The modifier is required, so that a letter typed in a
/// note or spoken by a speech-input user never navigates (WCAG 2.1.4).
#[cfg(feature = "hydrate")]
fn follow_next_shortcut(next: RwSignal<Option<NextCase>>) {
    let navigate = leptos_router::hooks::use_navigate();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if !ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.code() != "KeyN" {
            return;
        }
        if let Some(found) = next.get_untracked() {
            ev.prevent_default();
            navigate(&case_href(found.id), Default::default());
        }
    });
    on_cleanup(move || handle.remove());
}

/// The queue's name in `lang`.
fn queue_label(lang: Lang, queue: QueueKind) -> &'static str {
    crate::i18n::tr(
        lang,
        match queue {
            QueueKind::Screening => Key::NavScreening,
            QueueKind::Review => Key::NavReview,
            QueueKind::Agency => Key::NavAgencyQueue,
        },
    )
}

/// The link to the next case of the queue this person works, or word that none is left.
#[component]
fn NextCaseLink(
    /// The next case, as the server found it in the queue.
    next: Option<NextCase>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    next.map(|found| {
        let queue = found.queue;
        view! {
            <p class="next-case">
                <a href=case_href(found.id) rel="next" aria-keyshortcuts="Alt+N">
                    <strong>{move || t(Key::WsNextCase)}</strong>
                    {format!(" #{} · {}", found.id, found.title)}
                </a>
                <span class="hint">
                    {move || queue_label(lang.get(), queue)} " · " {move || t(Key::WsNextShortcut)}
                </span>
            </p>
        }
    })
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

/// The case on a map with the cases around it in the reader's reach, as the staff map draws them:
/// the pin is this case, a dot or cluster chosen there is offered as a link.
#[component]
fn NearbyMap(
    /// This case.
    marker: MapMarker,
    /// This case's number, selected from the start.
    id: i64,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let center = (marker.lat, marker.lon);
    let viewport = RwSignal::new(None::<MapViewport>);
    let selected = RwSignal::new(Some((id, marker.lat, marker.lon)));
    let query = Memo::new(move |_| viewport.get().map(|v| MapFilters::default().params(v.bounds, v.zoom)));
    // The viewport exists only in the browser, so the nearby cases load there.
    let clusters = LocalResource::new(move || {
        let query = query.get();
        async move {
            match query {
                Some(query) => map_clusters(query).await.map(|answer| answer.features).unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let features = Signal::derive(move || clusters.get().unwrap_or_default());
    view! {
        <section class="workspace-map" aria-labelledby="nearby-heading">
            <h2 id="nearby-heading">{move || t(Key::WsMapHeading)}</h2>
            <p class="hint">{move || t(Key::WsMapHint)}</p>
            <MapView label=Signal::derive(move || t(Key::WsMapLabel).to_string()) center zoom=16.0 class="map-small">
                <ClusterLayer lang=lang features selected viewport/>
                <CaseMarkers markers=Signal::stored(vec![marker])/>
            </MapView>
            {move || (selected.get().map(|(chosen, _, _)| chosen) != Some(id)).then(|| view! {
                <SelectedCase selected features case_href=case_href/>
            })}
        </section>
    }
}

#[component]
fn StaffCaseView(
    /// The case as the server showed it to this person.
    case: StaffCase,
    /// The action every form dispatches.
    change: ServerAction<ChangeCase>,
    /// Which form sent the latest change.
    sent_by: RwSignal<Option<ChangeKind>>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let facts = case.facts.clone();
    let public = case.public.clone();
    let status = facts.status;
    let channel = public.channel;
    let marker = MapMarker {
        lat: public.lat,
        lon: public.lon,
        title: public.title.clone(),
        href: format!("/cases/{}", public.id),
    };
    let category = {
        let (vi, en) = (public.category_name_vi.clone(), public.category_name_en.clone());
        move || if lang.get() == Lang::Vi { vi.clone() } else { en.clone() }
    };
    let area = match (case.out_of_area, public.area_name.clone()) {
        (false, Some(name)) => view! { <dd>{name}</dd> }.into_any(),
        _ => view! { <dd class="out-of-area">{move || t(Key::OutOfArea)}</dd> }.into_any(),
    };
    let address = match public.address.clone() {
        Some(address) => view! { <dd class="address">{address}</dd> }.into_any(),
        None => view! { <dd class="muted">{move || t(Key::WsNoAddress)}</dd> }.into_any(),
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
    let timeline = assignment_lines(&case.events, &case.officers)
        .into_iter()
        .zip(case.events.iter())
        .map(|(assignment, event)| {
            let kind = event.change.kind();
            let role = event.actor_role;
            let note = event.change.note().map(str::to_string);
            let public = event.public;
            let label = move || match &assignment {
                Some(line) => assignment_text(lang.get(), &line.to, line.from.as_deref(), line.taken),
                None => change_label(lang.get(), kind).to_string(),
            };
            view! {
                <li class:internal=!public>
                    <time datetime=event.occurred_at.to_rfc3339()>{local_time(event.occurred_at)}</time>
                    " · " <strong>{label}</strong>
                    " · " {move || role_label(lang.get(), role)}
                    {(!public).then(|| view! { " · " <span class="badge">{move || t(Key::Internal)}</span> })}
                    {note.map(|n| view! { <p class="note">{n}</p> })}
                </li>
            }
        })
        .collect_view();
    let suggestions = case.suggestions.clone().map(|s| {
        view! {
            <section class="workspace-suggestions" aria-labelledby="suggestions-heading">
                <h3 id="suggestions-heading">{move || t(Key::WsSuggestions)}</h3>
                <ul class="suggestions">
                    {s.out_of_area.then(|| view! { <li class="warn">{move || t(Key::SuggestOutOfArea)}</li> })}
                    {s.agency.clone().map(|a| {
                        let name = agency_name(&case.agencies, Some(&a));
                        view! { <li>{move || t(Key::SuggestAgency)} ": " {name}</li> }
                    })}
                    {s.possible_duplicates.iter().map(|(id, title, metres)| {
                        let text = format!("#{id} · {title} ({metres} m)");
                        view! { <li>{move || t(Key::SuggestDuplicates)} " " <a href=case_href(*id)>{text}</a></li> }
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    // Who in the lead agency holds the case, once it has one.
    let holder = facts.lead_agency.is_some().then(|| {
        let name = facts.assignee.map(|id| officer_name(&case.officers, id).map_or_else(|| format!("#{id}"), str::to_string));
        view! {
            <dt>{move || assign_tr(lang.get(), AssignKey::Holder)}</dt>
            {match name {
                Some(name) => view! { <dd class="holder">{name}</dd> }.into_any(),
                None => view! { <dd class="holder muted">{move || assign_tr(lang.get(), AssignKey::Unassigned)}</dd> }.into_any(),
            }}
        }
    });
    let queue = case.queue;
    let no_next = (queue.is_some() && case.next_case.is_none()).then(|| {
        view! { <p class="next-case muted">{move || t(Key::WsQueueEmpty)}</p> }
    });
    let back =
        queue.map(|queue| view! { <a class="back-to-queue" href=queue.path()>{move || t(Key::WsBackToQueue)}</a> });
    view! {
        <Title text=crate::page_title(format!("#{} · {}", public.id, public.title))/>
        <article class="case-page staff workspace">
            <header class="workspace-head">
                <p class="case-number">{move || t(Key::CaseHeading)} " #" {public.id}</p>
                <h1>{public.title.clone()}</h1>
            </header>
            <div class="workspace-panes">
                <section class="workspace-case" aria-labelledby="case-section-heading">
                    <h2 id="case-section-heading" class="visually-hidden">{move || t(Key::WsCaseSection)}</h2>
                    <dl class="facts">
                        <dt>{move || t(Key::Status)}</dt>
                        <dd class=format!("status status-{}", status.as_str())>{move || status_label(lang.get(), status)}
                            {case.overdue.then(|| view! { " " <span class="badge warn">{move || t(Key::Overdue)}</span> })}</dd>
                        <dt>{move || t(Key::Category)}</dt>
                        <dd>{category}</dd>
                        <dt>{move || t(Key::WsArea)}</dt>
                        {area}
                        <dt>{move || t(Key::WsAddress)}</dt>
                        {address}
                        <dt>{move || t(Key::WsCoordinates)}</dt>
                        <dd>{format!("{:.5}, {:.5}", public.lat, public.lon)}</dd>
                        <dt>{move || t(Key::WsSentAt)}</dt>
                        <dd><time datetime=public.submitted_at.to_rfc3339()>{local_time(public.submitted_at)}</time></dd>
                        <dt>{move || t(Key::Channel)}</dt>
                        <dd>{move || channel_label(lang.get(), channel)}</dd>
                        <dt>{move || t(Key::LeadAgency)}</dt>
                        <dd>{agency_name(&case.agencies, facts.lead_agency.as_deref())}</dd>
                        {holder}
                        <dt>{move || t(Key::Deadline)}</dt>
                        <dd>{facts.deadline.map(local_time).unwrap_or_else(|| "—".into())}</dd>
                        <dt>{move || t(Key::Returns)}</dt>
                        <dd>{facts.returns}</dd>
                        {contact}
                    </dl>
                    <h2>{move || t(Key::WsDescription)}</h2>
                    <p class="description">{public.description.clone()}</p>
                    <PhotoGallery photos=case.photos.clone()/>
                    <NearbyMap marker id=public.id/>
                    <section class="timeline">
                        <h2>{move || t(Key::Timeline)}</h2>
                        <ol>{timeline}</ol>
                    </section>
                </section>
                <aside class="workspace-actions" aria-labelledby="actions-heading">
                    <h2 id="actions-heading">{move || t(Key::Actions)}</h2>
                    <NextCaseLink next=case.next_case.clone()/>
                    {no_next}
                    {back}
                    {suggestions}
                    <ActionForms case=case.clone() change sent_by/>
                </aside>
            </div>
        </article>
    }
}

/// An assignment as a timeline names it: to whom, from whom when the case was given again, and
/// whether the officer took it themselves.
#[derive(Clone)]
struct AssignmentLine {
    to: String,
    from: Option<String>,
    taken: bool,
}

/// Each event's assignment line (`None` for the other events). Who held the case follows the
/// events, and nobody does once it leaves the agency.
fn assignment_lines(events: &[domain::case::CaseEvent], officers: &[AgencyOfficer]) -> Vec<Option<AssignmentLine>> {
    let name = |id: i64| officer_name(officers, id).map_or_else(|| format!("#{id}"), str::to_string);
    let mut holder: Option<i64> = None;
    events
        .iter()
        .map(|event| match &event.change {
            Change::Assigned { account_id } => {
                let line = AssignmentLine {
                    to: name(*account_id),
                    from: holder.map(name),
                    taken: event.actor_id == Some(*account_id),
                };
                holder = Some(*account_id);
                Some(line)
            }
            Change::Accepted { .. } | Change::Returned { .. } => {
                holder = None;
                None
            }
            _ => None,
        })
        .collect()
}

/// One form per change the person may make now, and the form that sent the latest change even
/// once it no longer applies, so its outcome stays beside its button.
#[component]
fn ActionForms(
    case: StaffCase,
    change: ServerAction<ChangeCase>,
    sent_by: RwSignal<Option<ChangeKind>>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let id = case.public.id;
    let version = case.facts.version;
    let allowed = StoredValue::new(case.allowed.clone());
    let may = move |kind: ChangeKind| allowed.with_value(|list| list.contains(&kind));
    let shown = move |kind: ChangeKind| may(kind) || sent_by.get_untracked() == Some(kind);
    let send = move |kind: ChangeKind, request: ChangeRequest| {
        sent_by.set(Some(kind));
        change.dispatch(ChangeCase { id, version, request });
    };
    // Buttons wait for the page to be interactive: a click before that would do nothing. The
    // outcome also waits for it, so that it is written into a live region already on the page,
    // which is what screen readers announce.
    let hydrated = use_hydrated();
    let pending = move || !hydrated.get() || change.pending().get();
    // A form kept only for its outcome offers its change no more.
    let disabled = move |kind: ChangeKind| move || pending() || !may(kind);
    let outcome = move |kind: ChangeKind| {
        let mine = move || hydrated.get() && sent_by.get() == Some(kind) && !change.pending().get();
        view! {
            <p class="form-outcome form-ok" role="status">
                {move || (mine() && matches!(change.value().get(), Some(Ok(_)))).then(|| t(Key::Done))}
            </p>
            <p class="form-outcome form-error" role="alert">
                {move || match change.value().get() {
                    Some(Err(error)) if mine() => Some(error_text(lang.get(), &error)),
                    _ => None,
                }}
            </p>
        }
    };

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

    // Each form keeps its own text, so typing in one does not fill the others; each text box is
    // labelled with its own purpose.
    let text_area = move |id: &'static str, label: Key, text: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{move || t(label)}</label>
                <textarea id=id rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
        }
    };

    let accept = shown(ChangeKind::Accepted).then(|| {
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(ChangeKind::Accepted, ChangeRequest::Accept { agency: agency.get_untracked() });
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
                <button type="submit" class="primary" disabled=disabled(ChangeKind::Accepted)>{move || t(Key::ActAccept)}</button>
                {outcome(ChangeKind::Accepted)}
            </form>
        }
    });
    let reject = shown(ChangeKind::Rejected).then(|| {
        let text = RwSignal::new(String::new());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(ChangeKind::Rejected, ChangeRequest::Reject {
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
                    <input id="duplicate_of" inputmode="numeric" aria-describedby="merge-hint" prop:value=move || duplicate_of.get() on:input=move |ev| duplicate_of.set(event_target_value(&ev))/>
                    <p class="hint" id="merge-hint">{move || crate::i18n::support_tr(lang.get(), crate::i18n::SupportKey::MergeHint)}</p>
                </div>
                {text_area("explanation", Key::ExplanationLabel, text)}
                <button type="submit" disabled=disabled(ChangeKind::Rejected)>{move || t(Key::ActReject)}</button>
                {outcome(ChangeKind::Rejected)}
            </form>
        }
    });
    // A change with nothing to fill in: one button, in a form of its own for its outcome.
    let simple = move |kind: ChangeKind, label: Key, request: ChangeRequest| {
        shown(kind).then(|| {
            let on_submit = move |ev: SubmitEvent| {
                ev.prevent_default();
                send(kind, request.clone());
            };
            view! {
                <form class="action" on:submit=on_submit>
                    <button type="submit" class="primary" disabled=disabled(kind)>{move || t(label)}</button>
                    {outcome(kind)}
                </form>
            }
        })
    };
    let with_text =
        move |kind: ChangeKind, field_id: &'static str, label: Key, button: Key, make: fn(String) -> ChangeRequest| {
            shown(kind).then(|| {
                let text = RwSignal::new(String::new());
                let on_submit = move |ev: SubmitEvent| {
                    ev.prevent_default();
                    send(kind, make(text.get_untracked()));
                };
                view! {
                    <form class="action" on:submit=on_submit>
                        {text_area(field_id, label, text)}
                        <button type="submit" disabled=disabled(kind)>{move || t(button)}</button>
                        {outcome(kind)}
                    </form>
                }
            })
        };
    let result = shown(ChangeKind::ResultSubmitted).then(|| {
        let text = RwSignal::new(String::new());
        let photos = RwSignal::new(Vec::<PickedPhoto>::new());
        // Refusals of single files show in the picker; the change's own errors show beside the button.
        let photo_errors = RwSignal::new(Vec::<ValidationError>::new());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            if photos_uploading(photos) {
                return;
            }
            send(
                ChangeKind::ResultSubmitted,
                ChangeRequest::SubmitResult { summary: text.get_untracked(), photos: photo_ids(photos) },
            );
        };
        let off = disabled(ChangeKind::ResultSubmitted);
        view! {
            <form class="action" on:submit=on_submit>
                {text_area("result", Key::ResultLabel, text)}
                <PhotoPicker id="result_photos" photos errors=photo_errors label=Key::ResultPhotos/>
                <button type="submit" disabled=move || off() || photos.with(|all| {
                    all.iter().any(|p| matches!(p.state, UploadState::Uploading { .. }))
                })>{move || t(Key::ActSubmitResult)}</button>
                {outcome(ChangeKind::ResultSubmitted)}
            </form>
        }
    });
    // The officer's summary is what the approval publishes; the coordinator may edit it first.
    let submitted_summary = case.events.iter().rev().find_map(|event| match &event.change {
        domain::workflow::Change::ResultSubmitted { summary, .. } => Some(summary.clone()),
        _ => None,
    });
    let approve = shown(ChangeKind::ResultApproved).then(|| {
        let text = RwSignal::new(submitted_summary.unwrap_or_default());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(ChangeKind::ResultApproved, ChangeRequest::ApproveResult { published: text.get_untracked() });
        };
        let label = move || result_tr(lang.get(), ResultKey::ApproveEditLabel);
        view! {
            <form class="action" on:submit=on_submit>
                <div class="field">
                    <label for="published_result">{label}</label>
                    <textarea id="published_result" rows="4" aria-describedby="published-result-hint"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <p class="hint" id="published-result-hint">{move || result_tr(lang.get(), ResultKey::ApproveEditHint)}</p>
                </div>
                <button type="submit" class="primary" disabled=disabled(ChangeKind::ResultApproved)>{move || t(Key::ActApprove)}</button>
                {outcome(ChangeKind::ResultApproved)}
            </form>
        }
    });
    let note = shown(ChangeKind::NoteAdded).then(|| {
        let text = RwSignal::new(String::new());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(ChangeKind::NoteAdded, ChangeRequest::AddNote { text: text.get_untracked(), public: public_note.get_untracked() });
        };
        view! {
            <form class="action" on:submit=on_submit>
                {text_area("note", Key::WsProgressNoteLabel, text)}
                <label class="check"><input type="checkbox" prop:checked=move || public_note.get()
                    on:change=move |ev| public_note.set(event_target_checked(&ev))/> {move || t(Key::NotePublicLabel)}</label>
                <button type="submit" disabled=disabled(ChangeKind::NoteAdded)>{move || t(Key::ActAddNote)}</button>
                {outcome(ChangeKind::NoteAdded)}
            </form>
        }
    });
    let extension = shown(ChangeKind::ExtensionRequested).then(|| {
        let text = RwSignal::new(String::new());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(
                ChangeKind::ExtensionRequested,
                ChangeRequest::RequestExtension { days: days.get_untracked().trim().parse().unwrap_or(0), reason: text.get_untracked() },
            );
        };
        view! {
            <form class="action" on:submit=on_submit>
                <div class="field">
                    <label for="days">{move || t(Key::DaysLabel)}</label>
                    <input id="days" type="number" min="1" max="30" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
                </div>
                {text_area("extension_reason", Key::ExtensionReasonLabel, text)}
                <button type="submit" disabled=disabled(ChangeKind::ExtensionRequested)>{move || t(Key::ActRequestExtension)}</button>
                {outcome(ChangeKind::ExtensionRequested)}
            </form>
        }
    });
    let decide_extension = shown(ChangeKind::ExtensionDecided).then(|| {
        let decide = move |approved: bool| {
            send(ChangeKind::ExtensionDecided, ChangeRequest::DecideExtension { approved, note: String::new() })
        };
        view! {
            <form class="action" on:submit=|ev: SubmitEvent| ev.prevent_default()>
                <p>{move || t(Key::ExtensionPending)} " " {pending_days.unwrap_or_default()} " " {move || t(Key::DaysLabel).to_lowercase()}</p>
                <button type="button" class="primary" disabled=disabled(ChangeKind::ExtensionDecided)
                    on:click=move |_| decide(true)>{move || t(Key::ActApproveExtension)}</button>
                <button type="button" disabled=disabled(ChangeKind::ExtensionDecided)
                    on:click=move |_| decide(false)>{move || t(Key::ActRefuseExtension)}</button>
                {outcome(ChangeKind::ExtensionDecided)}
            </form>
        }
    });
    // A head gives the case to an officer of the agency (again to another); an officer takes it.
    let holder = case.facts.assignee;
    let choices: Vec<(i64, String)> = case
        .officers
        .iter()
        .filter(|officer| officer.available && Some(officer.id) != holder)
        .map(|officer| (officer.id, officer.display_name.clone()))
        .collect();
    let assignee = RwSignal::new(choices.first().map(|(id, _)| id.to_string()).unwrap_or_default());
    let assign = (case.heads_agency && shown(ChangeKind::Assigned)).then(|| {
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            // Nothing chosen is nobody: the server names the field.
            let chosen = assignee.get_untracked().parse().unwrap_or_default();
            send(ChangeKind::Assigned, ChangeRequest::Assign { assignee: chosen });
        };
        view! {
            <form class="action" on:submit=on_submit>
                <div class="field">
                    <label for="assignee">{move || assign_tr(lang.get(), AssignKey::AssigneeLabel)}</label>
                    <select id="assignee" prop:value=move || assignee.get() on:change=move |ev| assignee.set(event_target_value(&ev))>
                        {choices.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="primary" disabled=disabled(ChangeKind::Assigned)>{move || assign_tr(lang.get(), AssignKey::AssignButton)}</button>
                {outcome(ChangeKind::Assigned)}
            </form>
        }
    });
    let take = (!case.heads_agency && shown(ChangeKind::Assigned)).then(|| {
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(ChangeKind::Assigned, ChangeRequest::Take);
        };
        view! {
            <form class="action" on:submit=on_submit>
                <p class="hint" id="take-hint">{move || assign_tr(lang.get(), AssignKey::TakeHint)}</p>
                <button type="submit" aria-describedby="take-hint" disabled=disabled(ChangeKind::Assigned)>
                    {move || assign_tr(lang.get(), AssignKey::TakeButton)}
                </button>
                {outcome(ChangeKind::Assigned)}
            </form>
        }
    });
    // The question waiting for the reporter, and the asking form while none waits.
    let waiting = case.facts.open_question.map(|open| {
        let until = local_time(open.pause_ends);
        view! {
            <p class="paused" role="status">
                {move || pause_tr(lang.get(), PauseKey::Waiting)} ". "
                {move || pause_tr(lang.get(), PauseKey::WaitingUntil)} " " <time datetime=open.pause_ends.to_rfc3339()>{until}</time> "."
            </p>
        }
    });
    let ask = shown(ChangeKind::InformationRequested).then(|| {
        let question = RwSignal::new(String::new());
        let wait_days = RwSignal::new(domain::pause::DEFAULT_PAUSE_DAYS.to_string());
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            send(
                ChangeKind::InformationRequested,
                ChangeRequest::RequestInformation {
                    question: question.get_untracked(),
                    // What is not a number is sent as 0, which the server refuses naming the field.
                    days: wait_days.get_untracked().trim().parse().unwrap_or(0),
                },
            );
        };
        view! {
            <form class="action" on:submit=on_submit>
                <div class="field">
                    <label for="question">{move || field_label(lang.get(), domain::validation::Field::Question)}</label>
                    <textarea id="question" rows="3" aria-describedby="question-hint" prop:value=move || question.get()
                        on:input=move |ev| question.set(event_target_value(&ev))></textarea>
                    <p class="hint" id="question-hint">{move || pause_tr(lang.get(), PauseKey::AskHint)}</p>
                </div>
                <div class="field">
                    <label for="pause_days">{move || field_label(lang.get(), domain::validation::Field::PauseDays)}</label>
                    <input id="pause_days" type="number" min="1" max=domain::pause::MAX_PAUSE_DAYS prop:value=move || wait_days.get()
                        on:input=move |ev| wait_days.set(event_target_value(&ev))/>
                </div>
                <button type="submit" disabled=disabled(ChangeKind::InformationRequested)>{move || pause_tr(lang.get(), PauseKey::AskButton)}</button>
                {outcome(ChangeKind::InformationRequested)}
            </form>
        }
    });
    let nothing = case.allowed.is_empty().then(|| view! { <p class="muted">{move || t(Key::WsNoActions)}</p> });
    view! {
        <div class="action-forms">
            {nothing}
            {assign}
            {take}
            {accept}
            {reject}
            {simple(ChangeKind::Acknowledged, Key::ActAcknowledge, ChangeRequest::Acknowledge)}
            {approve}
            {result}
            {with_text(ChangeKind::SentBack, "send_back", Key::SendBackLabel, Key::ActSendBack, |note| ChangeRequest::SendBack { note })}
            {with_text(ChangeKind::Returned, "return_reason", Key::ReturnReasonLabel, Key::ActReturn, |reason| ChangeRequest::Return { reason })}
            {with_text(ChangeKind::Reopened, "reopen_note", Key::WsReopenNoteLabel, Key::ActReopen, |note| ChangeRequest::Reopen { note })}
            {with_text(ChangeKind::Closed, "close_note", Key::WsCloseNoteLabel, Key::ActClose, |note| ChangeRequest::Close { note })}
            {with_text(ChangeKind::VerificationRequested, "verification_note", Key::WsVerificationNoteLabel, Key::ActRequestVerification, |note| ChangeRequest::RequestVerification { note })}
            {decide_extension}
            {extension}
            {waiting}
            {ask}
            {note}
        </div>
    }
}
