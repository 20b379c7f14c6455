//! The site header's navigation: public links, then what the signed-in role works with, folded
//! under a menu button on phones.

use crate::auth::Logout;
use crate::i18n::{role_label, Key};
use crate::lang::{use_lang, use_tr, LanguageSwitch};
use crate::session::use_session;
use domain::case::ActorRole;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn SiteNav() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let session = use_session();
    let logout = ServerAction::<Logout>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(session)) = (logout.value().get(), session) {
            session.reload();
            navigate("/", Default::default());
        }
    });
    let account_links = move || {
        let account = session.and_then(|s| s.account.get()).and_then(Result::ok).flatten();
        match account {
            None => view! { <A href="/login">{move || t(Key::NavSignIn)}</A> }.into_any(),
            Some(account) => {
                let role = account.role;
                let links: Vec<(&'static str, Key)> = match role {
                    ActorRole::Citizen => vec![
                        ("/my/reports", Key::NavMyReports),
                        ("/my/notices", Key::NavNotices),
                        ("/my/claim", Key::NavClaim),
                    ],
                    ActorRole::Operator => vec![
                        ("/hotline", Key::NavHotline),
                        ("/hotline/calls", Key::NavCalls),
                        ("/hotline/verify", Key::NavVerify),
                    ],
                    ActorRole::Coordinator => vec![
                        ("/staff/screening", Key::NavScreening),
                        ("/staff/review", Key::NavReview),
                        ("/staff/map", Key::NavStaffMap),
                        ("/my/notices", Key::NavNotices),
                    ],
                    ActorRole::Officer => vec![
                        ("/staff/agency", Key::NavAgencyQueue),
                        ("/staff/map", Key::NavStaffMap),
                        ("/my/notices", Key::NavNotices),
                    ],
                    ActorRole::Leader => vec![
                        ("/leader", Key::NavLeader),
                        ("/staff/map", Key::NavStaffMap),
                        ("/my/notices", Key::NavNotices),
                    ],
                    ActorRole::Admin => vec![
                        ("/admin", Key::NavAdmin),
                        ("/staff/map", Key::NavStaffMap),
                        ("/admin/api-keys", Key::NavApiKeys),
                    ],
                    _ => vec![],
                };
                view! {
                    {links.into_iter().map(|(href, key)| view! { <A href=href>{move || t(key)}</A> }).collect_view()}
                    <A href="/account">
                        <span class="who">{account.display_name.clone()} " · " {move || role_label(lang.get(), role)}</span>
                    </A>
                    <button type="button" class="link-button" on:click=move |_| {
                        // The pages kept for reading offline were this account's own.
                        leptos::task::spawn_local(crate::offline::forget_pages());
                        logout.dispatch(Logout {});
                    }>
                        {move || t(Key::NavSignOut)}
                    </button>
                }
                .into_any()
            }
        }
    };
    // On a phone the navigation folds under one menu button; whatever is chosen in it folds it again.
    let open = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="menu-toggle"
            aria-controls="site-menu"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|shown| *shown = !*shown)
        >
            {move || t(Key::NavMenu)}
        </button>
        <nav
            id="site-menu"
            class:open=move || open.get()
            aria-label=move || t(Key::NavMenu)
            on:click=move |_| open.set(false)
        >
            <A href="/">{move || t(Key::NavReport)}</A>
            <A href="/map">{move || t(Key::NavMap)}</A>
            <A href="/stats">{move || t(Key::NavStats)}</A>
            <Transition fallback=|| ()>{account_links}</Transition>
            <LanguageSwitch/>
        </nav>
    }
}
