//! The privacy notice at `/privacy`, the link every form asking for personal data carries, and a
//! citizen's own data on their account page: the download and closing the account.

use crate::i18n::{privacy_tr, retention_statement, PrivacyKey};
use crate::lang::use_lang;
use crate::personal_data::{retention_terms, CloseMyAccount};
use crate::session::{error_text, use_hydrated, use_session};
use domain::case::ActorRole;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

/// Where the notice is.
pub const PRIVACY_PATH: &str = "/privacy";
/// Where the signed-in citizen's data downloads from.
pub const DOWNLOAD_PATH: &str = "/api/v1/me/data.json";

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let lang = use_lang();
    let t = move |key| privacy_tr(lang.get(), key);
    let terms = Resource::new(|| (), |_| retention_terms());
    // Read once: a title that reads a signal can be asked for after the page was disposed.
    let title = privacy_tr(lang.get_untracked(), PrivacyKey::NoticeTitle);
    view! {
        <Title text=title/>
        <article class="guide privacy">
            <h1>{move || t(PrivacyKey::NoticeTitle)}</h1>
            <p>{move || t(PrivacyKey::NoticeIntro)}</p>
            <h2>{move || t(PrivacyKey::ControllerHeading)}</h2>
            <p>{move || t(PrivacyKey::Controller)}</p>
            <h2>{move || t(PrivacyKey::CollectedHeading)}</h2>
            <p>{move || t(PrivacyKey::Collected)}</p>
            <h2>{move || t(PrivacyKey::PurposeHeading)}</h2>
            <p>{move || t(PrivacyKey::Purpose)}</p>
            <h2>{move || t(PrivacyKey::WhoSeesHeading)}</h2>
            <p>{move || t(PrivacyKey::WhoSees)}</p>
            <h2>{move || t(PrivacyKey::RetentionHeading)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    terms.await.ok().map(|terms| view! {
                        <p class="retention">
                            {move || retention_statement(lang.get(), terms.contact_months, terms.inappropriate_photo_days)}
                        </p>
                    })
                })}
            </Suspense>
            <h2>{move || t(PrivacyKey::RightsHeading)}</h2>
            <ul>
                <li>{move || t(PrivacyKey::RightSee)}</li>
                <li>{move || t(PrivacyKey::RightCorrect)}</li>
                <li>{move || t(PrivacyKey::RightDelete)}</li>
                <li>{move || t(PrivacyKey::RightComplain)}</li>
            </ul>
        </article>
    }
}

/// The link to the notice, beside every form that asks for personal data.
#[component]
pub fn PrivacyNoticeLink() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="privacy-link">
            <a href=PRIVACY_PATH>{move || privacy_tr(lang.get(), PrivacyKey::NoticeLink)}</a>
        </p>
    }
}

/// A signed-in citizen's own data: download it all, or close the account.
#[component]
pub fn YourDataSection() -> impl IntoView {
    let lang = use_lang();
    let t = move |key| privacy_tr(lang.get(), key);
    let session = use_session();
    let hydrated = use_hydrated();
    let password = RwSignal::new(String::new());
    let close = ServerAction::<CloseMyAccount>::new();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        close.dispatch(CloseMyAccount { password: password.get_untracked() });
    };
    Effect::new(move |_| {
        if matches!(close.value().get(), Some(Ok(()))) {
            password.set(String::new());
            if let Some(session) = session {
                session.reload();
            }
        }
    });
    let citizen = move || {
        session
            .and_then(|s| s.account.get())
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|account| account.role == ActorRole::Citizen)
    };
    let error = move || match close.value().get() {
        Some(Err(error)) => Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }),
        _ => None,
    };
    view! {
        <Transition fallback=|| ()>
            <Show when=citizen>
                <section class="your-data" aria-labelledby="your-data-heading">
                    <h2 id="your-data-heading">{move || t(PrivacyKey::YourDataHeading)}</h2>
                    <p>{move || t(PrivacyKey::YourDataIntro)}</p>
                    <p><a class="button-link" href=DOWNLOAD_PATH rel="external" download="">{move || t(PrivacyKey::Download)}</a></p>
                    <PrivacyNoticeLink/>
                    <h2>{move || t(PrivacyKey::CloseHeading)}</h2>
                    <p>{move || t(PrivacyKey::CloseExplain)}</p>
                    <form class="stack" method="post" on:submit=on_submit>
                        <div class="field">
                            <label for="close_password">{move || t(PrivacyKey::ClosePassword)}</label>
                            <input id="close_password" type="password" autocomplete="current-password"
                                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                        </div>
                        {error}
                        <button type="submit" class="danger" disabled=move || !hydrated.get() || close.pending().get()>
                            {move || t(PrivacyKey::CloseButton)}
                        </button>
                    </form>
                </section>
            </Show>
        </Transition>
        <div role="status" class="form-ok-region">
            {move || matches!(close.value().get(), Some(Ok(()))).then(|| view! { <p class="form-ok">{move || t(PrivacyKey::Closed)}</p> })}
        </div>
    }
}
