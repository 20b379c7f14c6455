//! Signing in and registering a citizen account.

use crate::auth::{Login, Register};
use crate::components::field_error::{error_id, has_error, FieldErrorLine};
use crate::error::AppError;
use crate::i18n::Key;
use crate::lang::{use_lang, use_tr};
use crate::session::{error_text, home_after_sign_in, use_hydrated, use_session};
use domain::account::{Registration, RegistrationInput};
use domain::validation::{Field, ValidationError};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login = ServerAction::<Login>::new();
    let hydrated = use_hydrated();
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(account)) = login.value().get() {
            if let Some(session) = session {
                session.reload();
            }
            navigate(home_after_sign_in(&account), Default::default());
        }
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        login.dispatch(Login { username: username.get_untracked(), password: password.get_untracked() });
    };
    let failure = move || match login.value().get() {
        Some(Err(error)) => Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }),
        _ => None,
    };
    view! {
        <section class="narrow">
            <h1>{move || t(Key::SignInHeading)}</h1>
            <form class="stack" method="post" on:submit=on_submit>
                <div class="field">
                    <label for="username">{move || t(Key::Username)}</label>
                    <input id="username" name="username" autocomplete="username" required
                        prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="password">{move || t(Key::Password)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                {failure}
                <button type="submit" class="primary" disabled=move || !hydrated.get() || login.pending().get()>{move || t(Key::SignIn)}</button>
            </form>
            <p><A href="/forgot-password">{move || crate::i18n::recovery_tr(lang.get(), crate::i18n::RecoveryKey::ForgotPasswordLink)}</A></p>
            <p>{move || t(Key::NoAccountYet)} " " <A href="/register">{move || t(Key::Register)}</A></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let register = ServerAction::<Register>::new();
    let hydrated = use_hydrated();
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| match register.value().get() {
        Some(Ok(account)) => {
            if let Some(session) = session {
                session.reload();
            }
            navigate(home_after_sign_in(&account), Default::default());
        }
        Some(Err(AppError::Invalid(fields))) => errors.set(fields.into_iter().map(|f| f.error).collect()),
        _ => {}
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let input = RegistrationInput {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            password: password.get_untracked(),
        };
        match Registration::parse(&input) {
            Ok(_) => {
                errors.set(Vec::new());
                register.dispatch(Register { input });
            }
            Err(found) => errors.set(found),
        }
    };
    let field = move |field: Field,
                      id: &'static str,
                      label: Key,
                      value: RwSignal<String>,
                      kind: &'static str,
                      autocomplete: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || t(label)}</label>
                <input id=id name=id type=kind autocomplete=autocomplete
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=has_error(errors, field) aria-describedby=error_id(field)/>
                <FieldErrorLine field errors/>
            </div>
        }
    };
    let failure = move || match register.value().get() {
        Some(Err(error)) if !matches!(error, AppError::Invalid(_)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> })
        }
        _ => None,
    };
    view! {
        <section class="narrow">
            <h1>{move || t(Key::RegisterHeading)}</h1>
            <form class="stack" method="post" on:submit=on_submit novalidate>
                {field(Field::Username, "username", Key::Username, username, "text", "username")}
                {field(Field::DisplayName, "display_name", Key::FullName, display_name, "text", "name")}
                {field(Field::Password, "password", Key::Password, password, "password", "new-password")}
                {failure}
                <button type="submit" class="primary" disabled=move || !hydrated.get() || register.pending().get()>{move || t(Key::Register)}</button>
            </form>
            <crate::routes::privacy::PrivacyNoticeLink/>
        </section>
    }
}
