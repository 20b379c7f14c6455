//! The device's side of reporting: whether the app is installed and online, and the drafts and sent reports kept on the device by the site's drafts script.

use serde::{Deserialize, Serialize};

/// A draft as the device lists it, without its photos' bytes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DraftSummary {
    /// The report's idempotency key, which it keeps until it is sent.
    pub key: String,
    pub title: String,
    pub category: String,
    /// When it was kept, in milliseconds since 1970.
    pub saved_at: f64,
    pub photos: usize,
    /// Why the server refused it, in the reporter's language; the draft waits for an edit.
    pub problem: Option<String>,
}

/// A report sent from this device, from the form or from its drafts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentReport {
    pub key: String,
    pub id: i64,
    /// The private receipt token of an anonymous report.
    pub receipt: Option<String>,
    pub title: String,
    #[serde(default)]
    pub sent_at: f64,
}

/// A photo of a draft: uploaded already (its id), or still on the device (its bytes).
#[derive(Debug, Clone)]
pub struct DraftPhoto {
    pub name: String,
    pub id: Option<String>,
    #[cfg(feature = "hydrate")]
    pub blob: Option<web_sys::Blob>,
}

/// A draft opened for editing: the report as typed, and its photos.
#[derive(Debug, Clone)]
pub struct HeldDraft {
    pub input: domain::new_case::NewCaseInput,
    pub photos: Vec<DraftPhoto>,
}

#[cfg(feature = "hydrate")]
mod bindings {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = save, catch)]
        pub async fn save(draft: JsValue) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = list, catch)]
        pub async fn list() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = remove, catch)]
        pub async fn remove(key: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = sent, catch)]
        pub async fn sent() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = remember, catch)]
        pub async fn remember(report: JsValue) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = hold, catch)]
        pub async fn hold(key: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = release, catch)]
        pub fn release(key: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = sendAll, catch)]
        pub async fn send_all() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = onChange, catch)]
        pub fn on_change(listener: &js_sys::Function) -> Result<(), JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = forgetPages, catch)]
        pub async fn forget_pages() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_namespace = hientruongDrafts, js_name = keepPage, catch)]
        pub fn keep_page(path: &str) -> Result<(), JsValue>;
    }
}

/// Whether the page runs as the installed app (opened from its icon, in a window of its own).
pub fn installed_app() -> bool {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window()
            .match_media("(display-mode: standalone)")
            .ok()
            .flatten()
            .is_some_and(|query| query.matches())
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// Whether the browser believes it has a network connection. Without one a report is kept as a draft.
pub fn online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window().navigator().on_line()
    }
    #[cfg(not(feature = "hydrate"))]
    true
}

/// Keeps a report that passed the form's checks as a draft, to be sent by itself when the network
/// is back. Answers the drafts script's refusal (storage full or unavailable) as text.
pub async fn save_draft(
    input: &domain::new_case::NewCaseInput,
    photos: Vec<DraftPhoto>,
    lang: crate::i18n::Lang,
) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsValue;
        let object = js_sys::Object::new();
        let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
        let text = serde_json::to_string(input).map_err(|e| e.to_string())?;
        let input_value = js_sys::JSON::parse(&text).map_err(describe)?;
        let list = js_sys::Array::new();
        for photo in photos {
            let entry = js_sys::Object::new();
            js_sys::Reflect::set(&entry, &"name".into(), &photo.name.as_str().into()).map_err(describe)?;
            if let Some(id) = &photo.id {
                js_sys::Reflect::set(&entry, &"id".into(), &id.as_str().into()).map_err(describe)?;
            } else if let Some(blob) = &photo.blob {
                js_sys::Reflect::set(&entry, &"blob".into(), blob).map_err(describe)?;
            }
            list.push(&entry);
        }
        set("key", &input.submission_key.as_str().into()).map_err(describe)?;
        set("input", &input_value).map_err(describe)?;
        set("photos", &list).map_err(describe)?;
        set("fromApp", &installed_app().into()).map_err(describe)?;
        set("lang", &lang.code().into()).map_err(describe)?;
        bindings::save(object.into()).await.map(|_| ()).map_err(describe)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (input, photos, lang);
        Err("drafts are kept only in the browser".to_string())
    }
}

/// The drafts waiting on this device, oldest first.
pub async fn drafts() -> Vec<DraftSummary> {
    #[cfg(feature = "hydrate")]
    {
        from_js(bindings::list().await).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

/// The reports sent from this device, newest first.
pub async fn sent_reports() -> Vec<SentReport> {
    #[cfg(feature = "hydrate")]
    {
        from_js(bindings::sent().await).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

/// Deletes draft `key` from the device.
pub async fn remove_draft(key: &str) {
    #[cfg(feature = "hydrate")]
    if let Err(error) = bindings::remove(key).await {
        leptos::logging::warn!("a draft could not be deleted: {}", describe(error));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

/// Records a report the form sent itself, so the device lists it with those sent from drafts.
pub async fn remember_sent(report: &SentReport) {
    #[cfg(feature = "hydrate")]
    {
        let Ok(text) = serde_json::to_string(report) else { return };
        let Ok(value) = js_sys::JSON::parse(&text) else { return };
        if let Err(error) = bindings::remember(value).await {
            leptos::logging::warn!("a sent report could not be listed: {}", describe(error));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = report;
}

/// Opens draft `key` for editing: no tab and no worker sends it until [`release_draft`]. Nothing
/// when it is gone or being sent right now.
pub async fn hold_draft(key: &str) -> Option<HeldDraft> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let draft = bindings::hold(key).await.ok()?;
        if draft.is_null() || draft.is_undefined() {
            return None;
        }
        let field = |object: &wasm_bindgen::JsValue, name: &str| js_sys::Reflect::get(object, &name.into()).ok();
        let input_text = js_sys::JSON::stringify(&field(&draft, "input")?).ok()?.as_string()?;
        let input = serde_json::from_str(&input_text).ok()?;
        let photos = field(&draft, "photos")
            .and_then(|list| list.dyn_into::<js_sys::Array>().ok())
            .map(|list| {
                list.iter()
                    .map(|photo| DraftPhoto {
                        name: field(&photo, "name").and_then(|name| name.as_string()).unwrap_or_default(),
                        id: field(&photo, "id").and_then(|id| id.as_string()),
                        blob: field(&photo, "blob").and_then(|blob| blob.dyn_into::<web_sys::Blob>().ok()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(HeldDraft { input, photos })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

/// Ends the edit of draft `key`: it may be sent again.
pub fn release_draft(key: &str) {
    #[cfg(feature = "hydrate")]
    let _ = bindings::release(key);
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

/// Sends the waiting drafts now, if the network allows; another tab or the worker may already be at it.
pub async fn send_drafts() {
    #[cfg(feature = "hydrate")]
    if let Err(error) = bindings::send_all().await {
        leptos::logging::warn!("drafts could not be sent yet: {}", describe(error));
    }
}

/// Calls `listener` whenever the drafts or sent reports change, here, in another tab or in the worker.
pub fn on_drafts_changed(listener: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let callback = wasm_bindgen::closure::Closure::<dyn Fn()>::new(listener);
        if bindings::on_change(callback.as_ref().unchecked_ref()).is_ok() {
            // The channel calls it for as long as the page lives.
            callback.forget();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = listener;
}

/// Forgets the pages kept for reading offline: they were the signed-out account's own.
pub async fn forget_pages() {
    #[cfg(feature = "hydrate")]
    let _ = bindings::forget_pages().await;
}

/// Keeps each page the router opens for reading offline, as the worker keeps pages loaded whole:
/// the router changes the address without loading a page, so the worker is asked to fetch it once.
#[leptos::component]
pub fn KeepPagesOffline() -> impl leptos::prelude::IntoView {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        let location = leptos_router::hooks::use_location();
        Effect::new(move |previous: Option<String>| {
            let path = location.pathname.get();
            // The first page was loaded whole, and the worker kept it then.
            if previous.is_some() && previous.as_deref() != Some(path.as_str()) {
                // The router may announce the new path before the browser's address shows it.
                let _ = bindings::keep_page(&path);
            }
            path
        });
    }
}

#[cfg(feature = "hydrate")]
fn from_js<T: serde::de::DeserializeOwned>(value: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>) -> Option<T> {
    let text = js_sys::JSON::stringify(&value.ok()?).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

#[cfg(feature = "hydrate")]
fn describe(error: wasm_bindgen::JsValue) -> String {
    js_sys::JSON::stringify(&error).ok().and_then(|text| text.as_string()).unwrap_or_else(|| format!("{error:?}"))
}
