//! The "get notifications" switch: turns push notices on and off for this browser through the small page script `/push.js`, and says plainly why when it cannot.

use crate::i18n::{push_tr, PushKey};
use crate::lang::use_lang;
use crate::session::{use_hydrated, use_session};
use leptos::prelude::*;

/// Whose notices the switch turns on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushScope {
    /// The signed-in account's: its cases, those it follows, an officer's agency's.
    Account,
    /// The anonymous reporter's, of the case whose receipt this is.
    Receipt { token: String, case: i64 },
}

/// What the page script answered, or `None` when it could not be reached.
fn answer_key(answer: Option<&str>, after_click: bool) -> (bool, Option<PushKey>) {
    match answer {
        Some("on") => (true, after_click.then_some(PushKey::On)),
        Some("off") => (false, after_click.then_some(PushKey::Off)),
        Some("unsupported") => (false, Some(PushKey::Unsupported)),
        Some("denied") => (false, Some(PushKey::Denied)),
        _ => (false, after_click.then_some(PushKey::Failed)),
    }
}

#[component]
pub fn PushToggle(
    /// Whose notices the switch turns on.
    scope: PushScope,
) -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let on = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<PushKey>);
    let session = use_session();
    let receipt = match &scope {
        PushScope::Receipt { token, case } => Some((token.clone(), *case)),
        PushScope::Account => None,
    };
    // The browser remembers which of its owners asked, by this key: one receipt's case, or one account.
    let scope_key = {
        let receipt = receipt.clone();
        move || match &receipt {
            Some((_, case)) => Some(format!("case-{case}")),
            None => session
                .and_then(|session| session.account.get())
                .and_then(Result::ok)
                .flatten()
                .map(|account| format!("account-{}", account.id)),
        }
    };
    let apply = move |answer: Option<String>, after_click: bool| {
        let (now_on, said) = answer_key(answer.as_deref(), after_click);
        on.set(now_on);
        message.set(said);
        busy.set(false);
    };
    {
        let scope_key = scope_key.clone();
        Effect::new(move |_| {
            if let Some(key) = scope_key() {
                if hydrated.get() {
                    page_script::call(apply, "state", key, None, false);
                }
            }
        });
    }
    let toggle = move |_| {
        let Some(key) = scope_key() else { return };
        busy.set(true);
        message.set(Some(PushKey::Working));
        let method = if on.get_untracked() { "turnOff" } else { "turnOn" };
        page_script::call(apply, method, key, receipt.clone(), true);
    };
    view! {
        <section class="push-toggle">
            <label class="check">
                <input
                    type="checkbox"
                    role="switch"
                    prop:checked=move || on.get()
                    aria-checked=move || if on.get() { "true" } else { "false" }
                    disabled=move || !hydrated.get() || busy.get()
                    on:change=toggle
                />
                {move || push_tr(lang.get(), PushKey::Toggle)}
            </label>
            <p class="hint">{move || push_tr(lang.get(), PushKey::Hint)}</p>
            <p class="push-status" role="status">{move || message.get().map(|key| push_tr(lang.get(), key))}</p>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod page_script {
    //! The bridge to `/push.js`, loaded the first time a switch needs it: the permission prompt,
    //! the subscription and the server's answer are the script's; the page only shows the outcome.

    use wasm_bindgen::{JsCast, JsValue};

    const GLOBAL: &str = "hientruongPush";

    /// Runs `method` of the page script with the scope's key (and the receipt's token and case),
    /// then hands its answer to `done`.
    pub fn call(
        done: impl Fn(Option<String>, bool) + 'static,
        method: &'static str,
        key: String,
        receipt: Option<(String, i64)>,
        after_click: bool,
    ) {
        leptos::task::spawn_local(async move {
            let (token, case) = match receipt {
                Some((token, case)) => (JsValue::from(token), JsValue::from(case as f64)),
                None => (JsValue::NULL, JsValue::NULL),
            };
            let answer = run(method, &[JsValue::from(key), token, case]).await;
            done(answer, after_click);
        });
    }

    async fn run(method: &str, args: &[JsValue]) -> Option<String> {
        let window = web_sys::window()?;
        loaded(&window).await?;
        let helper = js_sys::Reflect::get(&window, &GLOBAL.into()).ok()?;
        let function: js_sys::Function = js_sys::Reflect::get(&helper, &method.into()).ok()?.dyn_into().ok()?;
        let args: js_sys::Array = args.iter().collect();
        let promise: js_sys::Promise = function.apply(&helper, &args).ok()?.dyn_into().ok()?;
        wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_string()
    }

    /// Loads `/push.js` unless it is there already.
    async fn loaded(window: &web_sys::Window) -> Option<()> {
        if js_sys::Reflect::has(window, &GLOBAL.into()).unwrap_or(false) {
            return Some(());
        }
        let document = window.document()?;
        let script: web_sys::HtmlElement = document.create_element("script").ok()?.dyn_into().ok()?;
        script.set_attribute("src", "/push.js").ok()?;
        let ready = js_sys::Promise::new(&mut |resolve, reject| {
            script.set_onload(Some(&resolve));
            script.set_onerror(Some(&reject));
        });
        document.body()?.append_child(&script).ok()?;
        wasm_bindgen_futures::JsFuture::from(ready).await.ok()?;
        Some(())
    }
}

#[cfg(not(feature = "hydrate"))]
mod page_script {
    //! The server renders the switch off; only the browser talks to the page script.

    pub fn call(
        done: impl Fn(Option<String>, bool) + 'static,
        _method: &'static str,
        _key: String,
        _receipt: Option<(String, i64)>,
        _after_click: bool,
    ) {
        let _ = done;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_of_the_page_script_reads_as_a_state_and_a_message() {
        assert_eq!(answer_key(Some("on"), true), (true, Some(PushKey::On)));
        assert_eq!(answer_key(Some("on"), false), (true, None), "a page opening quietly shows the switch on");
        assert_eq!(answer_key(Some("off"), false), (false, None));
        assert_eq!(answer_key(Some("denied"), false), (false, Some(PushKey::Denied)));
        assert_eq!(answer_key(Some("unsupported"), true), (false, Some(PushKey::Unsupported)));
        assert_eq!(answer_key(Some("failed"), true), (false, Some(PushKey::Failed)));
        assert_eq!(answer_key(None, true), (false, Some(PushKey::Failed)), "a script that did not load");
    }
}
