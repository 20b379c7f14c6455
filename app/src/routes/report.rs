//! The home page: the citizen's report form beside the map where the problem is pinned.

use crate::api::{active_categories, SubmitCase, SubmittedCase};
use crate::components::field_error::{error_id, focus_when_drawn, has_error, ErrorSummary, FieldErrorLine};
use crate::components::map::{LocationPin, MapView};
use crate::components::photo_picker::{
    clear_photos, draft_photos, photo_ids, photos_kept, photos_uploading, restore_photos, upload_kept_photos,
    PhotoPicker, PickedPhoto,
};
use crate::components::support_suggestions::SupportSuggestions;
use crate::error::AppError;
use crate::hotline::SubmitHotlineCase;
use crate::i18n::{
    case_number_link, delete_draft_label, draft_photo_count, edit_draft_label, form_tr, next_deadline, offline_tr,
    report_sent_announcement, FormKey, Key, Lang, OfflineKey,
};
use crate::lang::{use_lang, use_tr};
use crate::offline::{DraftSummary, SentReport};
use crate::session::use_session;
use domain::catalogue::Category;
use domain::new_case::{require_caller_phone, NewCase, NewCaseInput};
use domain::validation::{Field, ValidationError};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// A fresh idempotency key for one report. Only the browser makes them.
fn new_submission_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        if let Ok(crypto) = window().crypto() {
            return crypto.random_uuid();
        }
        format!("k{}-{}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e12) as u64)
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// The page of the reporter's own view of a case, opened by its receipt token.
pub fn receipt_path(token: &str) -> String {
    format!("/receipt/{token}")
}

/// `path` on this site, as a person would copy it.
fn absolute_link(path: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        if let Ok(origin) = window().location().origin() {
            return format!("{origin}{path}");
        }
    }
    path.to_string()
}

/// The browser keeps the receipt links of the reports sent from it, newest last, so the reporter
/// can find them again; they never leave the browser.
fn keep_receipt(link: &str) {
    #[cfg(feature = "hydrate")]
    {
        const KEY: &str = "hientruong_receipts";
        if let Ok(Some(storage)) = window().local_storage() {
            let mut links: Vec<String> = storage
                .get_item(KEY)
                .ok()
                .flatten()
                .and_then(|kept| serde_json::from_str(&kept).ok())
                .unwrap_or_default();
            if !links.iter().any(|kept| kept == link) {
                links.push(link.to_string());
            }
            if let Ok(kept) = serde_json::to_string(&links) {
                // A full or disabled storage only means the link is not remembered; it was shown.
                let _ = storage.set_item(KEY, &kept);
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = link;
}

fn category_name(lang: Lang, category: &Category) -> String {
    match lang {
        Lang::Vi => category.name_vi.clone(),
        Lang::En => category.name_en.clone(),
    }
}

#[component]
pub fn ReportPage(
    /// An operator taking a report by phone: the caller's phone is required, the call is logged.
    #[prop(optional)]
    hotline: bool,
) -> impl IntoView {
    let lang = use_lang();
    let t = use_tr();
    let categories = Resource::new(|| (), |_| active_categories());
    // The loaded catalogue, for checking a report in the browser before it is sent.
    let catalogue = RwSignal::new(Vec::<Category>::new());

    let pin = RwSignal::new(None::<(f64, f64)>);
    let category = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let reporter_name = RwSignal::new(String::new());
    let reporter_phone = RwSignal::new(String::new());
    let reporter_email = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let photos = RwSignal::new(Vec::<PickedPhoto>::new());
    let still_uploading = RwSignal::new(false);
    // Empty until the page is interactive; the submit button waits for it.
    let submission_key = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    // Each refused submit moves the focus to the error summary.
    let (attempts, set_attempts) = signal(0u32);
    let refuse = move |found: Vec<ValidationError>| {
        errors.set(found);
        set_attempts.update(|n| *n += 1);
    };
    let submit = ServerAction::<SubmitCase>::new();
    let hotline_submit = ServerAction::<SubmitHotlineCase>::new();
    let duration = RwSignal::new(String::new());
    let pending = move || submit.pending().get() || hotline_submit.pending().get();
    let submitted = RwSignal::new(None::<SubmittedCase>);
    let sent = RwSignal::new(None::<SentCopy>);
    // A signed-in citizen's name is already known: the contact starts with it.
    let session = use_session();
    Effect::new(move |_| {
        if hotline {
            return;
        }
        if let Some(Some(Ok(Some(account)))) = session.map(|s| s.account.get()) {
            if account.role == domain::case::ActorRole::Citizen && reporter_name.with_untracked(String::is_empty) {
                reporter_name.set(account.display_name);
            }
        }
    });
    let failed = RwSignal::new(false);

    Effect::new(move |_| {
        if submission_key.get_untracked().is_empty() {
            submission_key.set(new_submission_key());
        }
    });

    // Reports kept on the device while there is no network, and those sent from it.
    let device = DeviceReports::new();
    let online = RwSignal::new(true);
    // The draft open in the form, if the reporter is editing one: its key is the report's key.
    let editing = RwSignal::new(None::<String>);
    // What became of the last report kept as a draft, for the status line.
    let drafted = RwSignal::new(None::<Result<(), String>>);
    // The position a chosen photo's camera recorded, offered as the pin while none is set.
    let photo_position = RwSignal::new(None::<(f64, f64)>);
    // The report last handed to the server, kept as a draft if the network fails it.
    let last_sent = StoredValue::new(None::<NewCaseInput>);
    Effect::new(move |_| {
        online.set(crate::offline::online());
        device.refresh();
        crate::offline::on_drafts_changed(move || device.refresh());
    });
    #[cfg(feature = "hydrate")]
    {
        let back_online = window_event_listener(leptos::ev::online, move |_| online.set(true));
        let gone = window_event_listener(leptos::ev::offline, move |_| online.set(false));
        on_cleanup(move || {
            back_online.remove();
            gone.remove();
        });
    }

    // Starts a fresh report; a citizen reporting again is the same person, an operator's next
    // call is someone else.
    let clear_form = move || {
        for field in [category, title, description, address, duration] {
            field.set(String::new());
        }
        if hotline {
            for field in [reporter_name, reporter_phone, reporter_email] {
                field.set(String::new());
            }
        }
        pin.set(None);
        photo_position.set(None);
        clear_photos(photos);
        errors.set(Vec::new());
        if let Some(key) = editing.get_untracked() {
            crate::offline::release_draft(&key);
            editing.set(None);
        }
        submission_key.set(new_submission_key());
    };

    // Keeps a checked report on the device, to go out by itself once the network is back.
    let keep_as_draft = move |input: NewCaseInput| {
        let kept_photos = draft_photos(photos);
        leptos::task::spawn_local(async move {
            let outcome = crate::offline::save_draft(&input, kept_photos, lang.get_untracked()).await;
            if outcome.is_ok() {
                clear_form();
            }
            drafted.set(Some(outcome));
            device.refresh();
        });
    };

    let settle = move |result: Option<Result<SubmittedCase, AppError>>| match result {
        Some(Ok(case)) => {
            failed.set(false);
            drafted.set(None);
            if !hotline {
                let report = SentReport {
                    key: submission_key.get_untracked(),
                    id: case.id,
                    receipt: case.receipt.clone(),
                    title: title.get_untracked().trim().to_string(),
                    sent_at: 0.0,
                };
                let draft = editing.get_untracked();
                editing.set(None);
                leptos::task::spawn_local(async move {
                    // A repeated answer carries no receipt: the first one listed it already.
                    if case.newly_created {
                        crate::offline::remember_sent(&report).await;
                    }
                    if let Some(key) = draft {
                        crate::offline::remove_draft(&key).await;
                    }
                    device.refresh();
                });
            }
            // A repeated request for the same report (a double click) answers without the receipt
            // or claim code: the first answer, which carries them, is the one to keep showing.
            submitted.update(|shown| match shown {
                Some(first) if first.id == case.id && !case.newly_created => {}
                _ => *shown = Some(case),
            });
        }
        Some(Err(AppError::Invalid(fields))) => {
            failed.set(false);
            refuse(fields.into_iter().map(|f| f.error).collect());
        }
        // The network or the server failed the report: a citizen's report is kept to go out by
        // itself later, with the same key, so nothing typed is lost.
        Some(Err(AppError::Unavailable | AppError::TooManyRequests { .. })) if !hotline => {
            match last_sent.get_value() {
                Some(input) => keep_as_draft(input),
                None => failed.set(true),
            }
        }
        Some(Err(_)) => failed.set(true),
        None => {}
    };
    Effect::new(move |_| settle(submit.value().get()));
    Effect::new(move |_| settle(hotline_submit.value().get()));

    let collect_input = move || NewCaseInput {
        submission_key: submission_key.get_untracked(),
        category: category.get_untracked(),
        title: title.get_untracked(),
        description: description.get_untracked(),
        lat: pin.get_untracked().map(|p| p.0),
        lon: pin.get_untracked().map(|p| p.1),
        reporter_name: reporter_name.get_untracked(),
        reporter_phone: reporter_phone.get_untracked(),
        reporter_email: reporter_email.get_untracked(),
        address: address.get_untracked(),
        photos: photo_ids(photos),
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if submit.pending().get_untracked() || hotline_submit.pending().get_untracked() {
            return;
        }
        still_uploading.set(photos_uploading(photos));
        if still_uploading.get_untracked() {
            return;
        }
        let input = collect_input();
        let mut found = catalogue.with_untracked(|known| NewCase::parse(&input, known)).err().unwrap_or_default();
        if hotline {
            if let Err(missing) = require_caller_phone(&input) {
                found.retain(|e| e.field != missing.field);
                found.push(missing);
            }
        }
        if !found.is_empty() {
            refuse(found);
            return;
        }
        errors.set(Vec::new());
        let category_name = catalogue.with_untracked(|known| {
            known.iter().find(|c| c.code == input.category).map(|c| category_name(lang.get_untracked(), c))
        });
        sent.set(Some(SentCopy {
            category: input.category.clone(),
            category_name: category_name.unwrap_or_else(|| input.category.clone()),
            title: input.title.trim().to_string(),
            description: input.description.trim().to_string(),
            address: input.address.trim().to_string(),
        }));
        if hotline {
            let duration_seconds = duration.get_untracked().trim().parse().unwrap_or(0);
            hotline_submit.dispatch(SubmitHotlineCase { input, duration_seconds });
            return;
        }
        if !crate::offline::online() {
            keep_as_draft(input);
            return;
        }
        // Photos kept while offline go up first; the reporter submits again once they are stored.
        if photos_kept(photos) {
            upload_kept_photos(photos, lang.get_untracked());
            still_uploading.set(true);
            return;
        }
        last_sent.set_value(Some(input.clone()));
        submit.dispatch(SubmitCase { input, from_app: crate::offline::installed_app() });
    };

    let report_another = move |_| {
        clear_form();
        submitted.set(None);
        sent.set(None);
    };

    // Opens a kept draft in the form; the report keeps its key, so it stays one case however often it is sent.
    let busy_draft = RwSignal::new(false);
    let edit_draft = move |key: String| {
        leptos::task::spawn_local(async move {
            let Some(draft) = crate::offline::hold_draft(&key).await else {
                busy_draft.set(true);
                return;
            };
            busy_draft.set(false);
            clear_form();
            let input = draft.input;
            category.set(input.category);
            title.set(input.title);
            description.set(input.description);
            address.set(input.address);
            reporter_name.set(input.reporter_name);
            reporter_phone.set(input.reporter_phone);
            reporter_email.set(input.reporter_email);
            pin.set(input.lat.zip(input.lon));
            restore_photos(photos, draft.photos);
            submission_key.set(input.submission_key);
            editing.set(Some(key));
            drafted.set(None);
            submitted.set(None);
            sent.set(None);
        });
    };
    let delete_draft = move |key: String| {
        leptos::task::spawn_local(async move {
            if editing.get_untracked().as_deref() == Some(key.as_str()) {
                clear_form();
            }
            crate::offline::remove_draft(&key).await;
            device.refresh();
        });
    };

    let pin_text = move || match pin.get() {
        Some((lat, lon)) => format!("{}: {lat:.5}, {lon:.5}", t(Key::PinAt)),
        None => t(Key::NoPinYet).to_string(),
    };

    let category_options = move || {
        Suspend::new(async move {
            let list = categories.await.unwrap_or_default();
            catalogue.set(list.clone());
            list.into_iter()
                .map(|c| {
                    let code = c.code.clone();
                    view! { <option value=code>{move || category_name(lang.get(), &c)}</option> }
                })
                .collect_view()
        })
    };

    let text_input = move |field: Field,
                           id: &'static str,
                           label: Key,
                           value: RwSignal<String>,
                           kind: &'static str,
                           autocomplete: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || t(label)}</label>
                <input
                    id=id
                    name=id
                    type=kind
                    autocomplete=autocomplete
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=has_error(errors, field)
                    aria-describedby=error_id(field)
                />
                <FieldErrorLine field errors/>
            </div>
        }
    };

    let form = move || {
        view! {
            <form class="report-form" on:submit=on_submit novalidate>
                <ErrorSummary errors attempts target=summary_target/>
                <p class="pin-status" aria-live="polite">{pin_text}</p>
                <Show when=move || pin.with(Option::is_none) && photo_position.with(Option::is_some)>
                    <p class="photo-position">
                        {move || offline_tr(lang.get(), OfflineKey::PhotoPositionFound)} " "
                        <button type="button" on:click=move |_| pin.set(photo_position.get_untracked())>
                            {move || offline_tr(lang.get(), OfflineKey::UsePhotoPosition)}
                        </button>
                    </p>
                </Show>
                <FieldErrorLine field=Field::Location errors/>
                <div class="field">
                    <label for="category">{move || t(Key::Category)}</label>
                    <select
                        id="category"
                        name="category"
                        prop:value=move || category.get()
                        on:change=move |ev| category.set(event_target_value(&ev))
                        aria-invalid=has_error(errors, Field::Category)
                        aria-describedby=error_id(Field::Category)
                    >
                        <option value="">{move || t(Key::ChooseCategory)}</option>
                        <Suspense fallback=|| ()>{category_options}</Suspense>
                    </select>
                    <FieldErrorLine field=Field::Category errors/>
                </div>
                // A citizen about to report what neighbours already reported may support theirs instead.
                {(!hotline).then(|| view! { <SupportSuggestions category pin/> })}
                {text_input(Field::Title, "title", Key::Title, title, "text", "off")}
                <div class="field">
                    <label for="description">{move || t(Key::Description)}</label>
                    <textarea
                        id="description"
                        name="description"
                        rows="6"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))
                        aria-invalid=has_error(errors, Field::Description)
                        aria-describedby=error_id(Field::Description)
                    ></textarea>
                    <FieldErrorLine field=Field::Description errors/>
                </div>
                {text_input(Field::Address, "address", Key::AddressLabel, address, "text", "street-address")}
                <PhotoPicker
                    id="photos"
                    photos
                    errors
                    keep_offline=!hotline
                    on_position=Callback::new(move |position| photo_position.set(Some(position)))
                />
                <fieldset class="contact">
                    <legend>{move || t(if hotline { Key::CallerLegend } else { Key::ContactLegend })}</legend>
                    <p class="hint">{move || t(Key::ContactHint)}</p>
                    <crate::routes::privacy::PrivacyNoticeLink/>
                    {text_input(Field::ReporterName, "reporter_name", Key::ReporterName, reporter_name, "text", "name")}
                    {text_input(Field::ReporterPhone, "reporter_phone", Key::ReporterPhone, reporter_phone, "tel", "tel")}
                    {text_input(Field::ReporterEmail, "reporter_email", Key::ReporterEmail, reporter_email, "email", "email")}
                    {hotline.then(|| text_input(Field::Duration, "duration", Key::CallDurationLabel, duration, "number", "off"))}
                </fieldset>
                <FieldErrorLine field=Field::SubmissionKey errors/>
                <Show when=move || still_uploading.get() && photos.with(|all| {
                    all.iter().any(|p| matches!(p.state, crate::components::photo_picker::UploadState::Uploading { .. }))
                })>
                    <p class="form-error" role="alert">{move || t(Key::PhotosStillUploading)}</p>
                </Show>
                <Show when=move || failed.get()>
                    <p class="form-error" role="alert">{move || t(Key::SubmitFailed)}</p>
                </Show>
                // Once the pin is set, the submit stays in reach of the thumb at the foot of a phone's screen.
                <div class="submit-bar" class:pinned=move || pin.with(Option::is_some)>
                    <button
                        type="submit"
                        class="primary"
                        disabled=move || submission_key.with(String::is_empty) || pending()
                    >
                        {move || if pending() { t(Key::Submitting) } else { t(Key::Submit) }}
                    </button>
                </div>
            </form>
        }
    };

    // The confirmation's first part sits in a live region that exists before the report is sent,
    // so a screen reader announces it; the focus moves to its heading.
    let confirmation_heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if submitted.with(Option::is_some) {
            focus_when_drawn(confirmation_heading);
        }
    });
    let announced = move || {
        submitted.get().map(|case| {
            let days = catalogue.with(|known| {
                sent.with(|report| {
                    report.as_ref().and_then(|r| known.iter().find(|c| c.code == r.category)).map(|c| c.deadline_days)
                })
            });
            view! {
                <h2 tabindex="-1" node_ref=confirmation_heading>{move || t(Key::SubmittedHeading)}</h2>
                <p class="visually-hidden">{move || report_sent_announcement(lang.get(), case.id)}</p>
                <p>{move || t(Key::SubmittedCaseNumber)} ": " <strong>{format!("#{}", case.id)}</strong></p>
                <h3>{move || form_tr(lang.get(), FormKey::NextStepsHeading)}</h3>
                <ol class="next-steps">
                    <li>{move || form_tr(lang.get(), FormKey::NextScreening)}</li>
                    {days.map(|days| view! { <li>{move || next_deadline(lang.get(), days)}</li> })}
                    <li>{move || form_tr(lang.get(), FormKey::NextAnswer)}</li>
                </ol>
            }
        })
    };

    let success = move |case: SubmittedCase| {
        let receipt_link = case.receipt.as_deref().map(receipt_path);
        if let Some(link) = &receipt_link {
            keep_receipt(link);
        }
        let case_link = match &receipt_link {
            Some(link) => link.clone(),
            None => format!("{}/{}", if hotline { "/staff/cases" } else { "/cases" }, case.id),
        };
        view! {
            <section class="submitted-details">
                {case.claim_code.clone().map(|code| view! {
                    <section class="claim-code" aria-labelledby="claim-code-heading">
                        <h3 id="claim-code-heading">{move || t(Key::ClaimCodeHeading)}</h3>
                        <p class="claim-code-digits"><code>{code}</code></p>
                        <p>{move || t(Key::ClaimCodeExplanation)}</p>
                    </section>
                })}
                {receipt_link.map(|link| view! {
                    <section class="receipt" aria-labelledby="receipt-heading">
                        <h3 id="receipt-heading">{move || t(Key::ReceiptHeading)}</h3>
                        <p>{move || t(Key::ReceiptExplanation)}</p>
                        <p><a class="receipt-link" href=link.clone()>{absolute_link(&link)}</a></p>
                    </section>
                })}
                <p><a href=case_link>{move || t(Key::ViewCase)}</a></p>
                {move || sent.get().map(|report| view! { <SentReport report photos/> })}
                <button type="button" on:click=report_another>{move || t(Key::ReportAnother)}</button>
            </section>
        }
    };

    view! {
        <div class="report-page">
            <section class="map-column">
                <MapView label=Signal::derive(move || t(Key::MapLabel).to_string())>
                    <LocationPin
                        pin=pin
                        use_my_location=Signal::derive(move || t(Key::UseMyLocation).to_string())
                        pin_at_centre=Signal::derive(move || t(Key::PinAtCentre).to_string())
                    />
                </MapView>
                <p class="hint">{move || t(Key::PinHint)}</p>
            </section>
            <section class="form-column">
                <h1>{move || t(if hotline { Key::HotlineHeading } else { Key::ReportHeading })}</h1>
                <p>{move || t(if hotline { Key::HotlineIntro } else { Key::ReportIntro })}</p>
                <Show when=move || !hotline && !online.get()>
                    <p class="offline-banner">{move || offline_tr(lang.get(), OfflineKey::OfflineBanner)}</p>
                </Show>
                <div class="draft-status" aria-live="polite">
                    {move || drafted.get().map(|outcome| match outcome {
                        Ok(()) => view! { <p class="draft-saved">{move || offline_tr(lang.get(), OfflineKey::DraftSaved)}</p> }.into_any(),
                        Err(problem) => view! {
                            <p class="form-error">{move || offline_tr(lang.get(), OfflineKey::DraftNotSaved)} " " {problem}</p>
                        }.into_any(),
                    })}
                </div>
                <Show when=move || editing.with(Option::is_some)>
                    <p class="editing-draft">{move || offline_tr(lang.get(), OfflineKey::EditingDraft)}</p>
                </Show>
                <div class="submitted" class:shown=move || submitted.with(Option::is_some) role="status" aria-live="polite">
                    {announced}
                </div>
                {move || match submitted.get() {
                    Some(case) => success(case).into_any(),
                    None => form().into_any(),
                }}
                {(!hotline).then(|| view! { <DeviceReportsList device online busy_draft edit_draft delete_draft/> })}
            </section>
        </div>
    }
}

/// What the reporter sent, kept for the confirmation once the form is gone.
#[derive(Debug, Clone)]
struct SentCopy {
    category: String,
    category_name: String,
    title: String,
    description: String,
    address: String,
}

/// The report as it was sent: its text, and the photos as the reporter chose them.
#[component]
fn SentReport(report: SentCopy, photos: RwSignal<Vec<PickedPhoto>>) -> impl IntoView {
    let lang = use_lang();
    let t = use_tr();
    view! {
        <section class="as-sent" aria-labelledby="as-sent-heading">
            <h3 id="as-sent-heading">{move || form_tr(lang.get(), FormKey::AsSentHeading)}</h3>
            <dl class="facts">
                <dt>{move || t(Key::Category)}</dt>
                <dd>{report.category_name}</dd>
                <dt>{move || t(Key::Title)}</dt>
                <dd>{report.title}</dd>
                {(!report.address.is_empty()).then(|| view! {
                    <dt>{move || t(Key::AddressLabel)}</dt>
                    <dd>{report.address.clone()}</dd>
                })}
            </dl>
            <p class="description">{report.description}</p>
            <ul class="photo-previews">
                {move || photos.with(|all| {
                    all.iter()
                        .filter(|p| matches!(p.state, crate::components::photo_picker::UploadState::Uploaded { .. }))
                        .map(|p| {
                            let alt = format!("{}: {}", t(Key::PhotoAlt), p.name);
                            view! { <li><img src=p.preview.clone() alt=alt width="96" height="96"/></li> }
                        })
                        .collect_view()
                })}
            </ul>
        </section>
    }
}

/// Where the error summary's link for `field` leads: its input, or for the pin the button that sets it.
fn summary_target(field: Field) -> String {
    match field {
        Field::Location => "pin-centre".to_string(),
        other => other.as_str().to_string(),
    }
}

/// The drafts and sent reports this device keeps, as signals the page refreshes from the drafts script.
#[derive(Clone, Copy)]
struct DeviceReports {
    drafts: RwSignal<Vec<DraftSummary>>,
    sent: RwSignal<Vec<SentReport>>,
}

impl DeviceReports {
    fn new() -> Self {
        Self { drafts: RwSignal::new(Vec::new()), sent: RwSignal::new(Vec::new()) }
    }

    /// Reads both lists again from the device.
    fn refresh(self) {
        leptos::task::spawn_local(async move {
            let drafts = crate::offline::drafts().await;
            let sent = crate::offline::sent_reports().await;
            // The page may be gone by the time the device answers.
            let _ = self.drafts.try_set(drafts);
            let _ = self.sent.try_set(sent);
        });
    }
}

/// The reports waiting on this device, each to edit or delete, and the reports sent from it with
/// their case numbers.
#[component]
fn DeviceReportsList(
    device: DeviceReports,
    online: RwSignal<bool>,
    busy_draft: RwSignal<bool>,
    edit_draft: impl Fn(String) + Copy + Send + Sync + 'static,
    delete_draft: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let send_now = move |_| leptos::task::spawn_local(crate::offline::send_drafts());
    view! {
        <Show when=move || device.drafts.with(|all| !all.is_empty())>
            <section class="device-drafts" aria-labelledby="device-drafts-heading">
                <h2 id="device-drafts-heading">{move || offline_tr(lang.get(), OfflineKey::DraftsHeading)}</h2>
                <Show when=move || busy_draft.get()>
                    <p class="form-error" role="alert">{move || offline_tr(lang.get(), OfflineKey::DraftBusy)}</p>
                </Show>
                <ul class="draft-list">
                    <For each=move || device.drafts.get() key=|draft| (draft.key.clone(), draft.problem.clone(), draft.saved_at as u64) let:draft>
                        {
                            let edit_key = draft.key.clone();
                            let delete_key = draft.key.clone();
                            let (edit_title, delete_title) = (draft.title.clone(), draft.title.clone());
                            let edit_label = move || edit_draft_label(lang.get(), &edit_title);
                            let delete_label = move || delete_draft_label(lang.get(), &delete_title);
                            let state = draft.problem.clone();
                            view! {
                                <li>
                                    <strong>{draft.title.clone()}</strong>
                                    " · " {move || draft_photo_count(lang.get(), draft.photos)}
                                    <p class="draft-state">
                                        {move || match &state {
                                            Some(problem) => format!("{} {problem}", offline_tr(lang.get(), OfflineKey::DraftRefused)),
                                            None => offline_tr(lang.get(), OfflineKey::WaitingToSend).to_string(),
                                        }}
                                    </p>
                                    <button type="button" aria-label=edit_label on:click=move |_| edit_draft(edit_key.clone())>
                                        {move || offline_tr(lang.get(), OfflineKey::EditDraft)}
                                    </button>
                                    " "
                                    <button type="button" aria-label=delete_label on:click=move |_| delete_draft(delete_key.clone())>
                                        {move || offline_tr(lang.get(), OfflineKey::DeleteDraft)}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <Show when=move || online.get()>
                    <button type="button" on:click=send_now>{move || offline_tr(lang.get(), OfflineKey::SendNow)}</button>
                </Show>
            </section>
        </Show>
        <Show when=move || device.sent.with(|all| !all.is_empty())>
            <section class="device-sent" aria-labelledby="device-sent-heading">
                <h2 id="device-sent-heading">{move || offline_tr(lang.get(), OfflineKey::SentHeading)}</h2>
                <ul class="sent-list">
                    <For each=move || device.sent.get() key=|report| report.key.clone() let:report>
                        {
                            let link = match &report.receipt {
                                Some(token) => receipt_path(token),
                                None => format!("/cases/{}", report.id),
                            };
                            let id = report.id;
                            view! {
                                <li>
                                    <a href=link aria-label=move || case_number_link(lang.get(), id)>{format!("#{id}")}</a>
                                    " " {report.title.clone()}
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}
