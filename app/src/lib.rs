//! hientruong's app crate: the server functions and the Leptos pages, on the shared core.
#![recursion_limit = "256"]

pub mod access_log;
pub mod admin;
pub mod api;
pub mod auth;
pub mod cases;
pub mod codec;
pub mod components;
pub mod error;
pub mod following;
pub mod hotline;
pub mod i18n;
pub mod lang;
pub mod map_data;
pub mod offline;
pub mod pages;
pub mod personal_data;
pub mod recovery;
#[cfg(feature = "ssr")]
pub mod request;
pub mod routes;
pub mod search;
pub mod session;
pub mod stats;
pub mod support;

use crate::components::nav::SiteNav;
use crate::i18n::{tr, Key};
use crate::lang::provide_lang;
use crate::session::provide_session;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, Link, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

/// The HTML document around the app. On a page with a map, Leaflet's script runs before the app
/// hydrates.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <meta name="theme-color" content="#b3261e"/>
                <meta name="hientruong-tile-url" content=tile_url()/>
                <link rel="stylesheet" href="/vendor/leaflet/leaflet.css"/>
                // Deferred, it no longer holds up the first paint; deferred scripts run in order
                // before the module that hydrates the page, so the map finds it. Its style stays on
                // every page, for a map reached by a link to be drawn styled at once.
                {draws_a_map().then(|| view! { <script src="/vendor/leaflet/leaflet.js" defer></script> })}
                // Drafts kept on the device, and the service worker of the installed app.
                <script src="/drafts.js" defer></script>
                <AutoReload options=options.clone()/>
                <HashedStylesheet id="leptos" options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn tile_url() -> String {
    use_context::<services::ServerContext>().map(|c| c.tile_url).unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn tile_url() -> String {
    String::new()
}

/// Whether the page rendered for this request draws a map (a request the server cannot see draws one).
#[cfg(feature = "ssr")]
fn draws_a_map() -> bool {
    use_context::<http::request::Parts>().is_none_or(|parts| pages::draws_a_map(parts.uri.path()))
}

#[cfg(not(feature = "ssr"))]
fn draws_a_map() -> bool {
    true
}

/// A document title made of what people wrote (a case's title). Leptos' meta tags write the title
/// into the server's HTML unescaped, so a title holding `</title>` would end the element and the rest
/// would be read as markup; the server's copy is escaped (the browser decodes it back inside
/// `<title>`), while the browser sets the document's title as plain text itself.
pub fn page_title(text: String) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        text
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Leptos would write preloads of a lazy page's files into the head once the page has rendered,
    // but it reads the list there without the request's context, so some answers carried them and
    // others did not; preloads in the head also compete with what the first paint needs. The server
    // names a split page's files itself, in a script run once the page is parsed
    // (`server/src/delivery.rs`): the lazy routes note theirs here, where nothing reads them.
    #[cfg(feature = "ssr")]
    provide_context(leptos::PrefetchLazyFn::default());
    let lang = provide_lang();
    provide_session();
    let t = move |key| tr(lang.get(), key);
    view! {
        <Html {..} lang=move || lang.get().code()/>
        <Title text=move || format!("{} · {}", t(Key::AppName), t(Key::Tagline))/>
        // The manifest in the page's language; a change of language loads pages anew.
        <Link rel="manifest" href=format!("/manifest.{}.webmanifest", lang.get_untracked().code())/>
        <Router>
            <crate::offline::KeepPagesOffline/>
            // The router would take the link as a navigation; the focus itself must move to the content.
            <a class="skip-link" href="#main-content" on:click=|event| crate::components::field_error::focus_by_id(event, "main-content")>
                {move || crate::i18n::form_tr(lang.get(), crate::i18n::FormKey::SkipToContent)}
            </a>
            <header class="site-header">
                <a class="brand" href="/">
                    <strong>{move || t(Key::AppName)}</strong>
                    <span>{move || t(Key::Tagline)}</span>
                </a>
                <SiteNav/>
            </header>
            <main id="main-content" tabindex="-1">
                <Routes fallback=move || view! { <p class="not-found">{move || t(Key::NotFoundPage)}</p> }>
                    <Route path=path!("/") view=|| view! { <routes::report::ReportPage/> }/>
                    <Route path=path!("/map") view={Lazy::<pages::PublicMap>::new()}/>
                    <Route path=path!("/cases/:id") view={Lazy::<pages::Case>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/receipt/:token") view={Lazy::<pages::Receipt>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/login") view={Lazy::<pages::Login>::new()}/>
                    <Route path=path!("/register") view={Lazy::<pages::Register>::new()}/>
                    <Route path=path!("/account") view={Lazy::<pages::Account>::new()}/>
                    <Route path=path!("/my/reports") view={Lazy::<pages::MyReports>::new()}/>
                    <Route path=path!("/my/notices") view={Lazy::<pages::Notices>::new()}/>
                    <Route path=path!("/staff/screening") view={Lazy::<pages::Screening>::new()}/>
                    <Route path=path!("/staff/review") view={Lazy::<pages::Review>::new()}/>
                    <Route path=path!("/staff/agency") view={Lazy::<pages::AgencyQueue>::new()}/>
                    <Route path=path!("/staff/cases/:id") view={Lazy::<pages::StaffCase>::new()}/>
                    <Route path=path!("/staff/map") view={Lazy::<pages::StaffMap>::new()}/>
                    <Route path=path!("/leader") view={Lazy::<pages::LeaderDashboard>::new()}/>
                    <Route path=path!("/hotline") view={Lazy::<pages::HotlineReport>::new()}/>
                    <Route path=path!("/hotline/calls") view={Lazy::<pages::Calls>::new()}/>
                    <Route path=path!("/hotline/verify") view={Lazy::<pages::Verification>::new()}/>
                    <Route path=path!("/my/claim") view={Lazy::<pages::Claim>::new()}/>
                    <Route path=path!("/admin/api-keys") view={Lazy::<pages::ApiKeys>::new()}/>
                    <Route path=path!("/admin") view={Lazy::<pages::Overview>::new()}/>
                    <Route path=path!("/admin/categories") view={Lazy::<pages::Categories>::new()}/>
                    <Route path=path!("/admin/agencies") view={Lazy::<pages::Agencies>::new()}/>
                    <Route path=path!("/admin/areas") view={Lazy::<pages::Areas>::new()}/>
                    <Route path=path!("/admin/routes") view={Lazy::<pages::Routes>::new()}/>
                    <Route path=path!("/admin/holidays") view={Lazy::<pages::Holidays>::new()}/>
                    <Route path=path!("/admin/staff") view={Lazy::<pages::Staff>::new()}/>
                    <Route path=path!("/admin/changes") view={Lazy::<pages::Changes>::new()}/>
                    <Route path=path!("/admin/access-log") view={Lazy::<pages::AccessLog>::new()}/>
                    <Route path=path!("/open311") view={Lazy::<pages::Open311Guide>::new()}/>
                    <Route path=path!("/stats") view={Lazy::<pages::Statistics>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/agencies/:code") view={Lazy::<pages::AgencyScorecard>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/areas/:code") view={Lazy::<pages::AreaScorecard>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/open-data") view={Lazy::<pages::OpenData>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/privacy") view={Lazy::<pages::Privacy>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view={Lazy::<pages::ForgotPassword>::new()}/>
                    <Route path=path!("/reset-password/:token") view={Lazy::<pages::ResetPassword>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/verify-email/:token") view={Lazy::<pages::VerifyEmail>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <a href="/open311">{move || t(Key::Open311Guide)}</a>
                " · "
                <a href="/open-data">{move || crate::i18n::open_data_tr(lang.get(), crate::i18n::OpenDataKey::Nav)}</a>
                " · "
                <a href="/privacy">{move || crate::i18n::privacy_tr(lang.get(), crate::i18n::PrivacyKey::NoticeTitle)}</a>
            </footer>
        </Router>
    }
}

/// The browser's entry point: loads the current page's split code, hydrates the server-rendered
/// page (as `leptos::mount::hydrate_lazy` does), then marks the document `data-hydrated` for
/// whoever times how soon the page answers.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let app = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), App).await;
        app.forget();
        if let Some(root) = leptos::tachys::dom::document().document_element() {
            // Only a mark for timing: a page that cannot set it still works.
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
}
