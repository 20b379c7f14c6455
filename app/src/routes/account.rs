//! The signed-in person's account: who they are, their own details, and changing the password.

use crate::auth::ChangePassword;
use crate::components::profile_form::{ProfileForm, ProfileState};
use crate::i18n::{role_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::session::{error_text, use_hydrated, use_session};
use domain::case::ActorRole;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = ServerAction::<ChangePassword>::new();
    let hydrated = use_hydrated();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        change.dispatch(ChangePassword { current: current.get_untracked(), new: new.get_untracked() });
    };
    Effect::new(move |_| {
        // The one-time password is gone once changed: the navigation follows.
        if matches!(change.value().get(), Some(Ok(()))) {
            if let Some(session) = session {
                session.reload();
            }
        }
    });
    let outcome = move || match change.value().get() {
        Some(Ok(())) => {
            Some(view! { <p class="form-ok" role="status">{move || t(Key::PasswordChanged)}</p> }.into_any())
        }
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        }
        None => None,
    };
    let who = move || {
        session.and_then(|s| s.account.get()).and_then(Result::ok).flatten().map(|account| {
            let role = account.role;
            let one_time = account.one_time_password_until.is_some();
            view! {
                <p>{move || t(Key::SignedInAs)} ": " <strong>{account.display_name.clone()}</strong>
                   " (" {account.username.clone()} ") · " {move || role_label(lang.get(), role)}</p>
                {one_time.then(|| view! { <p class="form-error" role="alert">{move || t(Key::SetOwnPassword)}</p> })}
            }
        })
    };
    let profile = ProfileState::new();
    let details = move || {
        // An account on its one-time password may do nothing else until it sets its own.
        let account = session.and_then(|s| s.account.get()).and_then(Result::ok).flatten();
        account.filter(|account| account.one_time_password_until.is_none()).map(|account| {
            // Staff keep an address too, where their digests and deadline warnings go.
            let staff = account.role != ActorRole::Citizen;
            view! { <ProfileForm state=profile staff/> }
        })
    };
    view! {
        <section class="narrow">
            <h1>{move || t(Key::AccountHeading)}</h1>
            <Transition fallback=|| ()>{who}</Transition>
            <Transition fallback=|| ()>{details}</Transition>
            <h2>{move || t(Key::ChangePassword)}</h2>
            <form class="stack" method="post" on:submit=on_submit>
                <div class="field">
                    <label for="current_password">{move || t(Key::CurrentPassword)}</label>
                    <input id="current_password" type="password" autocomplete="current-password"
                        prop:value=move || current.get() on:input=move |ev| current.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="new_password">{move || t(Key::NewPasswordLabel)}</label>
                    <input id="new_password" type="password" autocomplete="new-password"
                        prop:value=move || new.get() on:input=move |ev| new.set(event_target_value(&ev))/>
                </div>
                {outcome}
                <button type="submit" class="primary" disabled=move || !hydrated.get() || change.pending().get()>{move || t(Key::ChangePassword)}</button>
            </form>
            <crate::routes::privacy::YourDataSection/>
        </section>
    }
}
