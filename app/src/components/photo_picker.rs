//! The photo picker of report and result forms: choosing files, uploading each with progress, previews, removal.

use crate::i18n::{error_message, form_tr, photo_error_message, photos_attached, FormKey, Key};
use crate::lang::{use_lang, use_tr};
use domain::photos::{check_photo_count, check_photo_size, ACCEPT_ATTRIBUTE, MAX_PHOTOS_PER_ITEM};
use domain::validation::{Field, ValidationError};
use leptos::prelude::*;

/// Where one chosen file is on its way to the server.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadState {
    /// Bytes sent so far, of the total.
    Uploading { sent: f64, total: f64 },
    /// Stored; the id a report or result refers to it by.
    Uploaded { id: String },
    /// Refused or lost, with the message to show (naming the file).
    Failed { message: String },
}

/// One file chosen in the picker.
#[derive(Debug, Clone, PartialEq)]
pub struct PickedPhoto {
    /// Tells photos apart in this page only.
    pub key: u32,
    /// The file's name, shown only to the person who chose it.
    pub name: String,
    /// A local `blob:` URL of the file itself, so the preview needs no server round trip.
    pub preview: String,
    pub state: UploadState,
}

/// The ids of the uploaded photos, in the order they were chosen.
pub fn photo_ids(photos: RwSignal<Vec<PickedPhoto>>) -> Vec<String> {
    photos.with_untracked(|all| {
        all.iter()
            .filter_map(|p| match &p.state {
                UploadState::Uploaded { id } => Some(id.clone()),
                _ => None,
            })
            .collect()
    })
}

/// Whether any chosen photo is still uploading: the form waits for them.
pub fn photos_uploading(photos: RwSignal<Vec<PickedPhoto>>) -> bool {
    photos.with_untracked(|all| all.iter().any(|p| matches!(p.state, UploadState::Uploading { .. })))
}

/// Resets the picker after a submitted report, releasing the previews.
pub fn clear_photos(photos: RwSignal<Vec<PickedPhoto>>) {
    for photo in photos.get_untracked() {
        release_preview(&photo.preview);
    }
    photos.set(Vec::new());
}

/// A file input that uploads every chosen photo at once, with a progress bar, previews and a
/// remove button per photo. At most [`MAX_PHOTOS_PER_ITEM`]; too large files are refused here
/// before any byte is sent, with the same check the server makes.
#[component]
pub fn PhotoPicker(
    /// The id of the file input, unique on the page.
    id: &'static str,
    /// The chosen photos; the form reads the uploaded ids from it.
    photos: RwSignal<Vec<PickedPhoto>>,
    /// The form's errors, for a refusal of the photos as a whole.
    errors: RwSignal<Vec<ValidationError>>,
    /// The label of the input.
    #[prop(default = Key::AttachPhotos)]
    label: Key,
) -> impl IntoView {
    let lang = use_lang();
    let t = use_tr();
    // Files refused before upload (too many), named in one line.
    let refused = RwSignal::new(Vec::<String>::new());
    let next_key = StoredValue::new(0u32);

    let on_change = move |ev: leptos::ev::Event| {
        let chosen = chosen_files(&ev);
        refused.set(Vec::new());
        for (name, size, file) in chosen {
            let count = photos.with_untracked(|all| all.len());
            if let Err(reason) = check_photo_count(count + 1) {
                let error = ValidationError::new(Field::Photos, reason);
                refused.update(|r| r.push(photo_error_message(lang.get_untracked(), &name, &error)));
                continue;
            }
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            let state = match check_photo_size(size) {
                Ok(()) => UploadState::Uploading { sent: 0.0, total: size as f64 },
                Err(reason) => UploadState::Failed {
                    message: photo_error_message(
                        lang.get_untracked(),
                        &name,
                        &ValidationError::new(Field::Photos, reason),
                    ),
                },
            };
            let uploading = matches!(state, UploadState::Uploading { .. });
            let preview = preview_url(&file);
            photos.update(|all| all.push(PickedPhoto { key, name, preview, state }));
            if uploading {
                start_upload(photos, key, file, lang.get_untracked());
            }
        }
        clear_input(&ev);
    };

    let remove = move |key: u32| {
        photos.update(|all| {
            if let Some(index) = all.iter().position(|p| p.key == key) {
                release_preview(&all[index].preview);
                all.remove(index);
            }
        });
    };

    // Bytes sent over bytes to send, across every photo that went to the server.
    let progress = move || {
        photos.with(|all| {
            all.iter().fold((0.0, 0.0), |(sent, total), p| match &p.state {
                UploadState::Uploading { sent: s, total: t } => (sent + s, total + t),
                UploadState::Uploaded { .. } => (sent + 1.0, total + 1.0),
                UploadState::Failed { .. } => (sent, total),
            })
        })
    };
    let percent = move || {
        let (sent, total) = progress();
        if total > 0.0 {
            (sent / total * 100.0).round().min(100.0)
        } else {
            0.0
        }
    };
    let any_sent = move || photos.with(|all| all.iter().any(|p| !matches!(p.state, UploadState::Failed { .. })));
    let busy = move || photos.with(|all| all.iter().any(|p| matches!(p.state, UploadState::Uploading { .. })));
    let whole_error =
        move || errors.with(|all| all.iter().find(|e| e.field == Field::Photos).map(|e| error_message(lang.get(), e)));

    view! {
        <div class="field photo-picker">
            // The browser's own file button says "No file chosen" even after a photo is attached, so
            // the input is drawn as a button inside its label and the form says what it holds.
            <label for=id class="file-label">
                {move || t(label)}
                <span class="file-button" aria-hidden="true">{move || form_tr(lang.get(), FormKey::ChoosePhotos)}</span>
            </label>
            <input
                id=id
                name=id
                type="file"
                class="file-input"
                accept=ACCEPT_ATTRIBUTE
                multiple
                on:change=on_change
                aria-describedby=format!("{id}-count")
            />
            <p class="photo-count" id=format!("{id}-count")>
                {move || match photos.with(Vec::len) {
                    0 => form_tr(lang.get(), FormKey::NoPhotosYet).to_string(),
                    count => photos_attached(lang.get(), count, MAX_PHOTOS_PER_ITEM),
                }}
            </p>
            <p class="hint">{move || t(Key::PhotosHint)}</p>
            <Show when=any_sent>
                <div class="photo-progress">
                    <span id=format!("{id}-progress-label")>
                        {move || t(if busy() { Key::UploadingPhotos } else { Key::PhotosUploaded })}
                    </span>
                    <progress
                        max="100"
                        prop:value=percent
                        aria-labelledby=format!("{id}-progress-label")
                        aria-valuetext=move || format!("{}%", percent())
                    ></progress>
                </div>
            </Show>
            <ul class="photo-previews">
                // Keyed by the failure too, so a refused upload shows its message; progress alone
                // does not redraw the preview.
                <For
                    each=move || photos.get()
                    key=|p| (p.key, matches!(p.state, UploadState::Failed { .. }))
                    let:photo
                >
                    {
                        let key = photo.key;
                        let alt = format!("{}: {}", t(Key::PhotoAlt), photo.name);
                        let remove_label = format!("{}: {}", t(Key::RemovePhoto), photo.name);
                        let failure = match &photo.state {
                            UploadState::Failed { message } => Some(message.clone()),
                            _ => None,
                        };
                        let refused = failure.is_some();
                        view! {
                            <li class:failed=refused>
                                <img src=photo.preview.clone() alt=alt width="96" height="96" />
                                <button type="button" class="remove-photo" aria-label=remove_label on:click=move |_| remove(key)>
                                    "×"
                                </button>
                                {failure.map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
                            </li>
                        }
                    }
                </For>
            </ul>
            <p class="field-error" id=format!("{}-error", Field::Photos.as_str()) aria-live="polite">
                {move || refused.get().join(" ")}
                {whole_error}
            </p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
type ChosenFile = web_sys::File;
#[cfg(not(feature = "hydrate"))]
type ChosenFile = ();

/// The files the input now holds, with their names and sizes.
#[cfg(feature = "hydrate")]
fn chosen_files(ev: &leptos::ev::Event) -> Vec<(String, u64, ChosenFile)> {
    use wasm_bindgen::JsCast;
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
        return Vec::new();
    };
    let Some(list) = input.files() else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).map(|file| (file.name(), file.size() as u64, file)).collect()
}

#[cfg(not(feature = "hydrate"))]
fn chosen_files(_ev: &leptos::ev::Event) -> Vec<(String, u64, ChosenFile)> {
    Vec::new()
}

/// Empties the input, so choosing the same file again after removing it fires a change.
#[cfg(feature = "hydrate")]
fn clear_input(ev: &leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        input.set_value("");
    }
}

#[cfg(not(feature = "hydrate"))]
fn clear_input(_ev: &leptos::ev::Event) {}

#[cfg(feature = "hydrate")]
fn preview_url(file: &ChosenFile) -> String {
    web_sys::Url::create_object_url_with_blob(file).unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
fn preview_url(_file: &ChosenFile) -> String {
    String::new()
}

#[cfg(feature = "hydrate")]
fn release_preview(url: &str) {
    if !url.is_empty() {
        let _ = web_sys::Url::revoke_object_url(url);
    }
}

#[cfg(not(feature = "hydrate"))]
fn release_preview(_url: &str) {}

/// Sets the state of photo `key`, if it is still chosen.
#[cfg(feature = "hydrate")]
fn set_state(photos: RwSignal<Vec<PickedPhoto>>, key: u32, state: UploadState) {
    photos.update(|all| {
        if let Some(photo) = all.iter_mut().find(|p| p.key == key) {
            photo.state = state;
        }
    });
}

/// Sends `file` to the upload endpoint with XMLHttpRequest, whose upload progress events
/// `fetch` does not offer, and records progress and outcome on photo `key`.
#[cfg(feature = "hydrate")]
fn start_upload(photos: RwSignal<Vec<PickedPhoto>>, key: u32, file: ChosenFile, lang: crate::i18n::Lang) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let failed = move |message: String| set_state(photos, key, UploadState::Failed { message });
    let lost = move || crate::i18n::tr(lang, Key::SubmitFailed).to_string();
    let Ok(request) = web_sys::XmlHttpRequest::new() else { return failed(lost()) };
    let url = format!("/api/v1/photos?name={}", js_sys::encode_uri_component(&file.name()));
    if request.open("POST", &url).is_err() {
        return failed(lost());
    }
    let _ = request.set_request_header("Accept-Language", lang.code());
    // The server takes a photo's bytes only under the type its route documents, whatever the file's own.
    let _ = request.set_request_header("Content-Type", "application/octet-stream");
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
        if event.length_computable() {
            set_state(photos, key, UploadState::Uploading { sent: event.loaded(), total: event.total() });
        }
    });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let finished = request.clone();
    // Owns the progress callback, so it lives exactly as long as the request.
    let on_load = Closure::once_into_js(move || {
        drop(on_progress);
        let status = finished.status().unwrap_or(0);
        let body = finished.response_text().ok().flatten().unwrap_or_default();
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        match (status, answer["id"].as_str()) {
            (201, Some(id)) => set_state(photos, key, UploadState::Uploaded { id: id.to_string() }),
            _ => failed(answer["errors"][0]["message"].as_str().map(str::to_string).unwrap_or_else(lost)),
        }
    });
    request.set_onload(Some(on_load.unchecked_ref()));
    let on_error = Closure::once_into_js(move || failed(lost()));
    request.set_onerror(Some(on_error.unchecked_ref()));
    if request.send_with_opt_blob(Some(&file)).is_err() {
        failed(lost());
    }
}

#[cfg(not(feature = "hydrate"))]
fn start_upload(_photos: RwSignal<Vec<PickedPhoto>>, _key: u32, _file: ChosenFile, _lang: crate::i18n::Lang) {}
