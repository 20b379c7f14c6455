//! The current UI language as a reactive value: read from the cookie on both sides, switched by a button.

use crate::i18n::{tr, Key, Lang, LANG_COOKIE};
use leptos::prelude::*;

/// The page's language. On the server it is the request's, fixed for the whole render, so that no
/// part of a streamed answer reads a signal: Leptos may dispose the page's owner on one worker while
/// a suspense still renders on another, and reading a disposed signal panics that worker even through
/// `try_get`. In the browser it is a signal the language switch sets.
#[derive(Clone, Copy, Debug)]
pub struct PageLang(LangSource);

#[cfg(feature = "ssr")]
type LangSource = Lang;

#[cfg(not(feature = "ssr"))]
type LangSource = RwSignal<Lang>;

#[cfg(feature = "ssr")]
impl PageLang {
    fn new(lang: Lang) -> Self {
        Self(lang)
    }

    /// The language, tracked where it can change.
    pub fn get(self) -> Lang {
        self.0
    }

    pub fn get_untracked(self) -> Lang {
        self.0
    }

    /// A server renders one language per request; only the browser switches.
    pub fn set(self, _lang: Lang) {}
}

#[cfg(not(feature = "ssr"))]
impl PageLang {
    fn new(lang: Lang) -> Self {
        Self(RwSignal::new(lang))
    }

    /// The language, tracked: a view reading it re-renders on a switch.
    pub fn get(self) -> Lang {
        self.0.try_get().unwrap_or_default()
    }

    pub fn get_untracked(self) -> Lang {
        self.0.try_get_untracked().unwrap_or_default()
    }

    pub fn set(self, lang: Lang) {
        self.0.set(lang);
    }
}

/// The language the app provides. Vietnamese when none was provided.
pub fn use_lang() -> PageLang {
    use_context::<PageLang>().unwrap_or_else(|| PageLang::new(Lang::Vi))
}

/// A reactive translation function for views: `t(Key::Title)` inside a closure re-runs on switch.
pub fn use_tr() -> impl Fn(Key) -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move |key| tr(lang.get(), key)
}

/// Provides the language of this request (server) or page (browser) to the tree below.
pub fn provide_lang() -> PageLang {
    let lang = PageLang::new(initial_lang());
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
