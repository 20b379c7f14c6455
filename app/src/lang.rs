//! The current UI language as a reactive value: read from the cookie on both sides, switched by a button.

use crate::i18n::{tr, Key, Lang, LANG_COOKIE};
use leptos::prelude::*;

/// The language signal the app provides. Vietnamese when none was provided.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Vi))
}

/// A reactive translation function for views: `t(Key::Title)` inside a closure re-runs on switch.
pub fn use_tr() -> impl Fn(Key) -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    // `try_get`: a streamed response may still render text after the reader left and the page's
    // owner was disposed; that text is never sent, and must not panic the server.
    move |key| tr(lang.try_get().unwrap_or_default(), key)
}

/// Provides the language of this request (server) or page (browser) to the tree below.
pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    lang
}

#[cfg(feature = "ssr")]
fn initial_lang() -> Lang {
    crate::request::page_lang()
}

#[cfg(not(feature = "ssr"))]
fn initial_lang() -> Lang {
    let cookie = browser_cookie().unwrap_or_default();
    let lang = Lang::from_cookie_header(&cookie);
    // The page speaks this language, so its calls to the server name it too: without the cookie the
    // server would answer them in whatever the browser's Accept-Language prefers.
    let chosen = cookie.split(';').any(|pair| pair.trim().split_once('=').is_some_and(|(name, _)| name == LANG_COOKIE));
    if !chosen {
        remember(lang);
    }
    lang
}

#[cfg(feature = "hydrate")]
fn browser_cookie() -> Option<String> {
    use wasm_bindgen::JsCast;
    document().dyn_into::<web_sys::HtmlDocument>().ok()?.cookie().ok()
}

#[cfg(not(any(feature = "hydrate", feature = "ssr")))]
fn browser_cookie() -> Option<String> {
    None
}

/// Switches between Vietnamese and English and remembers the choice for a year.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let switch = move |_| {
        let next = lang.get_untracked().other();
        lang.set(next);
        remember(next);
    };
    view! {
        <button type="button" class="lang-switch" on:click=switch lang=move || lang.get().other().code()>
            {move || tr(lang.get(), Key::SwitchLanguage)}
        </button>
    }
}

fn remember(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(html) = document().dyn_into::<web_sys::HtmlDocument>() {
            let cookie = format!("{LANG_COOKIE}={}; path=/; max-age=31536000; SameSite=Lax", lang.code());
            if html.set_cookie(&cookie).is_err() {
                leptos::logging::warn!("the language choice could not be saved");
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (lang, LANG_COOKIE);
}
