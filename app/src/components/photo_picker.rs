//! The photo picker of report and result forms: taking or choosing photos, scaling them down on the device, uploading each with progress, previews, removal.

use crate::i18n::{error_message, form_tr, offline_tr, photo_error_message, photos_attached, FormKey, Key, OfflineKey};
use crate::lang::{use_lang, use_tr};
use domain::photos::{check_photo_count, ACCEPT_ATTRIBUTE, MAX_PHOTOS_PER_ITEM};
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
    /// Kept on this device while there is no network: uploaded when it returns, or sent with the
    /// report's draft.
    Kept,
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

/// Whether any photo waits on the device for the network.
pub fn photos_kept(photos: RwSignal<Vec<PickedPhoto>>) -> bool {
    photos.with_untracked(|all| all.iter().any(|p| p.state == UploadState::Kept))
}

/// The photos as a draft keeps them: each with its bytes, and its id once uploaded. Refused ones
/// are left out, as the report would leave them.
pub fn draft_photos(photos: RwSignal<Vec<PickedPhoto>>) -> Vec<crate::offline::DraftPhoto> {
    photos.with_untracked(|all| {
        all.iter()
            .filter_map(|p| {
                let id = match &p.state {
                    UploadState::Uploaded { id } => Some(id.clone()),
                    UploadState::Kept => None,
                    UploadState::Uploading { .. } | UploadState::Failed { .. } => return None,
                };
                Some(crate::offline::DraftPhoto {
                    name: p.name.clone(),
                    id,
                    #[cfg(feature = "hydrate")]
                    blob: device::bytes(p.key),
                })
            })
            .collect()
    })
}

/// Puts a draft's photos back into the picker, for editing the draft.
pub fn restore_photos(photos: RwSignal<Vec<PickedPhoto>>, restored: Vec<crate::offline::DraftPhoto>) {
    clear_photos(photos);
    #[cfg(feature = "hydrate")]
    for photo in restored {
        let key = device::next_key();
        let preview = photo.blob.as_ref().map(preview_url).unwrap_or_default();
        if let Some(blob) = photo.blob {
            device::keep(key, blob);
        }
        let state = match photo.id {
            Some(id) => UploadState::Uploaded { id },
            None => UploadState::Kept,
        };
        photos.update(|all| all.push(PickedPhoto { key, name: photo.name, preview, state }));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = restored;
}

/// Uploads the photos kept on the device, now that the network is back.
pub fn upload_kept_photos(photos: RwSignal<Vec<PickedPhoto>>, lang: crate::i18n::Lang) {
    #[cfg(feature = "hydrate")]
    for photo in photos.get_untracked().into_iter().filter(|p| p.state == UploadState::Kept) {
        if let Some(blob) = device::bytes(photo.key) {
            set_state(photos, photo.key, UploadState::Uploading { sent: 0.0, total: blob.size() });
            start_upload(photos, photo.key, photo.name, blob, lang, true);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (photos, lang);
}

/// Resets the picker after a submitted report, releasing the previews.
pub fn clear_photos(photos: RwSignal<Vec<PickedPhoto>>) {
    for photo in photos.get_untracked() {
        release_preview(&photo.preview);
        #[cfg(feature = "hydrate")]
        device::forget(photo.key);
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
    /// Whether photos chosen without a network wait on the device (for a report's draft) instead
    /// of failing.
    #[prop(optional)]
    keep_offline: bool,
    /// Told the position a photo's camera recorded, if any.
    #[prop(optional)]
    on_position: Option<Callback<(f64, f64)>>,
) -> impl IntoView {
    let lang = use_lang();
    let t = use_tr();
    // Files refused before upload (too many), named in one line.
    let refused = RwSignal::new(Vec::<String>::new());

    let on_change = move |ev: leptos::ev::Event| {
        let chosen = chosen_files(&ev);
        refused.set(Vec::new());
        for (name, file) in chosen {
            let count = photos.with_untracked(|all| all.len());
            if let Err(reason) = check_photo_count(count + 1) {
                let error = ValidationError::new(Field::Photos, reason);
                refused.update(|r| r.push(photo_error_message(lang.get_untracked(), &name, &error)));
                continue;
            }
            add_photo(photos, name, file, lang.get_untracked(), keep_offline, on_position);
        }
        clear_input(&ev);
    };

    let remove = move |key: u32| {
        photos.update(|all| {
            if let Some(index) = all.iter().position(|p| p.key == key) {
                release_preview(&all[index].preview);
                #[cfg(feature = "hydrate")]
                device::forget(key);
                all.remove(index);
            }
        });
    };
    // Photos kept while offline go up as soon as the network is back.
    #[cfg(feature = "hydrate")]
    if keep_offline {
        let handle =
            window_event_listener(leptos::ev::online, move |_| upload_kept_photos(photos, lang.get_untracked()));
        on_cleanup(move || handle.remove());
    }

    // Bytes sent over bytes to send, across every photo that went to the server.
    let progress = move || {
        photos.with(|all| {
            all.iter().fold((0.0, 0.0), |(sent, total), p| match &p.state {
                UploadState::Uploading { sent: s, total: t } => (sent + s, total + t),
                UploadState::Uploaded { .. } => (sent + 1.0, total + 1.0),
                UploadState::Failed { .. } | UploadState::Kept => (sent, total),
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
    let any_sent = move || {
        photos.with(|all| {
            all.iter().any(|p| matches!(p.state, UploadState::Uploading { .. } | UploadState::Uploaded { .. }))
        })
    };
    let any_kept = move || photos.with(|all| all.iter().any(|p| p.state == UploadState::Kept));
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
            // On a phone this opens the camera itself; elsewhere it is the same file choice.
            <label for=format!("{id}-camera") class="file-label camera-label">
                <span class="file-button">{move || offline_tr(lang.get(), OfflineKey::TakePhoto)}</span>
            </label>
            <input
                id=format!("{id}-camera")
                type="file"
                class="file-input"
                accept="image/*"
                capture="environment"
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
            <Show when=any_kept>
                <p class="hint photos-kept">{move || offline_tr(lang.get(), OfflineKey::PhotosKept)}</p>
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

/// The files the input now holds, with their names.
#[cfg(feature = "hydrate")]
fn chosen_files(ev: &leptos::ev::Event) -> Vec<(String, ChosenFile)> {
    use wasm_bindgen::JsCast;
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
        return Vec::new();
    };
    let Some(list) = input.files() else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).map(|file| (file.name(), file)).collect()
}

#[cfg(not(feature = "hydrate"))]
fn chosen_files(_ev: &leptos::ev::Event) -> Vec<(String, ChosenFile)> {
    Vec::new()
}

/// Adds a chosen file to the picker and prepares it in the background: the camera's position is
/// read, the photo is scaled down to the size the site keeps, then uploaded (or kept on the device
/// while there is no network, when the form allows it).
#[cfg(feature = "hydrate")]
fn add_photo(
    photos: RwSignal<Vec<PickedPhoto>>,
    name: String,
    file: ChosenFile,
    lang: crate::i18n::Lang,
    keep_offline: bool,
    on_position: Option<Callback<(f64, f64)>>,
) {
    let key = device::next_key();
    let preview = preview_url(&file);
    let total = file.size();
    photos.update(|all| {
        all.push(PickedPhoto { key, name: name.clone(), preview, state: UploadState::Uploading { sent: 0.0, total } })
    });
    leptos::task::spawn_local(async move {
        if let (Some(told), Some(position)) = (on_position, device::camera_position(&file).await) {
            told.run((position.lat(), position.lon()));
        }
        let prepared: web_sys::Blob = device::scaled_for_upload(&file).await.unwrap_or_else(|| file.into());
        // The limit applies to what is sent: a large photo scaled down on the phone is welcome.
        if let Err(reason) = domain::photos::check_photo_size(prepared.size() as u64) {
            let message = photo_error_message(lang, &name, &ValidationError::new(Field::Photos, reason));
            return set_state(photos, key, UploadState::Failed { message });
        }
        // Removed while it was being prepared.
        if !photos.with_untracked(|all| all.iter().any(|p| p.key == key)) {
            return;
        }
        if keep_offline {
            device::keep(key, prepared.clone());
            if !crate::offline::online() {
                return set_state(photos, key, UploadState::Kept);
            }
        }
        set_state(photos, key, UploadState::Uploading { sent: 0.0, total: prepared.size() });
        start_upload(photos, key, name, prepared, lang, keep_offline);
    });
}

#[cfg(not(feature = "hydrate"))]
fn add_photo(
    _photos: RwSignal<Vec<PickedPhoto>>,
    _name: String,
    _file: ChosenFile,
    _lang: crate::i18n::Lang,
    _keep_offline: bool,
    _on_position: Option<Callback<(f64, f64)>>,
) {
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
fn preview_url(file: &web_sys::Blob) -> String {
    web_sys::Url::create_object_url_with_blob(file).unwrap_or_default()
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

/// Sends `bytes` to the upload endpoint with XMLHttpRequest, whose upload progress events
/// `fetch` does not offer, and records progress and outcome on photo `key`. A lost connection
/// keeps the photo on the device when `keep_offline`, and fails it otherwise.
#[cfg(feature = "hydrate")]
fn start_upload(
    photos: RwSignal<Vec<PickedPhoto>>,
    key: u32,
    name: String,
    bytes: web_sys::Blob,
    lang: crate::i18n::Lang,
    keep_offline: bool,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let failed = move |message: String| set_state(photos, key, UploadState::Failed { message });
    let lost = move || crate::i18n::tr(lang, Key::SubmitFailed).to_string();
    let Ok(request) = web_sys::XmlHttpRequest::new() else { return failed(lost()) };
    let url = format!("/api/v1/photos?name={}", js_sys::encode_uri_component(&name));
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
    let on_error = Closure::once_into_js(move || {
        if keep_offline {
            set_state(photos, key, UploadState::Kept);
        } else {
            failed(lost());
        }
    });
    request.set_onerror(Some(on_error.unchecked_ref()));
    if request.send_with_opt_blob(Some(&bytes)).is_err() {
        failed(lost());
    }
}

/// The photos' bytes as the browser holds them, by picker key, and their preparation for upload.
#[cfg(feature = "hydrate")]
mod device {
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    thread_local! {
        static NEXT_KEY: Cell<u32> = const { Cell::new(0) };
        static BYTES: RefCell<HashMap<u32, web_sys::Blob>> = RefCell::new(HashMap::new());
    }

    /// A key no other photo on the page has, whichever picker holds it.
    pub fn next_key() -> u32 {
        NEXT_KEY.with(|next| {
            let key = next.get();
            next.set(key.wrapping_add(1));
            key
        })
    }

    pub fn keep(key: u32, bytes: web_sys::Blob) {
        BYTES.with(|kept| kept.borrow_mut().insert(key, bytes));
    }

    pub fn bytes(key: u32) -> Option<web_sys::Blob> {
        BYTES.with(|kept| kept.borrow().get(&key).cloned())
    }

    pub fn forget(key: u32) {
        BYTES.with(|kept| kept.borrow_mut().remove(&key));
    }

    /// Cameras write their EXIF block at the start of the file; this much of it is read.
    const EXIF_HEAD: i32 = 256 * 1024;

    /// The position the camera recorded in the photo, if any.
    pub async fn camera_position(file: &web_sys::Blob) -> Option<domain::geo::Coordinates> {
        let head = file.slice_with_i32_and_i32(0, EXIF_HEAD).ok()?;
        let buffer = JsFuture::from(head.array_buffer()).await.ok()?;
        domain::exif::gps_position(&js_sys::Uint8Array::new(&buffer).to_vec())
    }

    /// The photo scaled down to the site's display size as a JPEG, upright as the camera held it;
    /// nothing when it is that small already, the browser cannot decode it, or scaling saves nothing.
    pub async fn scaled_for_upload(file: &web_sys::Blob) -> Option<web_sys::Blob> {
        let window = leptos::prelude::window();
        let upright = web_sys::ImageBitmapOptions::new();
        upright.set_image_orientation(web_sys::ImageOrientation::FromImage);
        let bitmap = |options: web_sys::ImageBitmapOptions| {
            let window = window.clone();
            async move {
                let promise = window.create_image_bitmap_with_blob_and_image_bitmap_options(file, &options).ok()?;
                JsFuture::from(promise).await.ok()?.dyn_into::<web_sys::ImageBitmap>().ok()
            }
        };
        let original = bitmap(upright.clone()).await?;
        let size = domain::photos::upload_size(original.width(), original.height());
        original.close();
        let (width, height) = size?;
        upright.set_resize_width(width);
        upright.set_resize_height(height);
        upright.set_resize_quality(web_sys::ResizeQuality::High);
        let scaled = bitmap(upright).await?;
        let canvas =
            leptos::prelude::document().create_element("canvas").ok()?.dyn_into::<web_sys::HtmlCanvasElement>().ok()?;
        canvas.set_width(width);
        canvas.set_height(height);
        let context = canvas.get_context("2d").ok()??.dyn_into::<web_sys::CanvasRenderingContext2d>().ok()?;
        context.draw_image_with_image_bitmap(&scaled, 0.0, 0.0).ok()?;
        scaled.close();
        let encoded = js_sys::Promise::new(&mut |resolve, _reject| {
            let resolve_with = resolve.clone();
            let done = wasm_bindgen::closure::Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
                let _ = resolve_with.call1(&wasm_bindgen::JsValue::NULL, &blob);
            });
            let quality = wasm_bindgen::JsValue::from_f64(JPEG_QUALITY);
            if canvas.to_blob_with_type_and_encoder_options(done.unchecked_ref(), "image/jpeg", &quality).is_err() {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &wasm_bindgen::JsValue::NULL);
            }
        });
        let scaled = JsFuture::from(encoded).await.ok()?.dyn_into::<web_sys::Blob>().ok()?;
        (scaled.size() < file.size()).then_some(scaled)
    }

    /// The JPEG quality of a scaled photo: the server re-encodes it at its own quality anyway.
    const JPEG_QUALITY: f64 = 0.85;
}
