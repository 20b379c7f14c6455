//! The pages a mailed link or a forgotten password leads to: asking for a reset link, setting a new
//! password through one, and confirming an e-mail address.

use crate::components::field_error::{error_id, has_error, FieldErrorLine};
use crate::error::AppError;
use crate::i18n::{field_label, link_problem_text, recovery_tr, tr, Key, RecoveryKey};
use crate::lang::use_lang;
use crate::recovery::{reset_link, verify_email, ForgotPassword, ResetPassword};
use crate::session::{error_text, use_hydrated, use_session};
use domain::account::NewPassword;
use domain::profile::AccountHandle;
use domain::validation::{Field, ValidationError};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// Field errors of a refused request, to show beside the fields.
fn refused_fields(answer: Option<Result<(), AppError>>) -> Option<Vec<ValidationError>> {
    match answer {
        Some(Err(AppError::Invalid(fields))) => Some(fields.into_iter().map(|f| f.error).collect()),
        Some(Ok(())) => Some(Vec::new()),
        _ => None,
    }
}

/// A failure that no field is to blame for, under the form.
fn other_failure(answer: Option<Result<(), AppError>>, lang: crate::i18n::Lang) -> Option<AnyView> {
    match answer {
        Some(Err(error)) if !matches!(error, AppError::Invalid(_)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang, &error)}</p> }.into_any())
        }
        _ => None,
    }
}

/// Asks for a reset link by username or e-mail address. Its answer is the same whether or not an
/// account matched.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let handle = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let ask = ServerAction::<ForgotPassword>::new();
    Effect::new(move |_| {
        if let Some(found) = refused_fields(ask.value().get()) {
            errors.set(found);
        }
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let raw = handle.get_untracked();
        match AccountHandle::parse(&raw) {
            Ok(_) => {
                errors.set(Vec::new());
                ask.dispatch(ForgotPassword { handle: raw });
            }
            Err(error) => errors.set(vec![error]),
        }
    };
    let outcome = move || {
        match ask.value().get() {
        Some(Ok(())) => Some(
            view! { <p class="form-ok" role="status">{move || recovery_tr(lang.get(), RecoveryKey::ResetLinkRequested)}</p> }
                .into_any(),
        ),
        other => other_failure(other, lang.get()),
    }
    };
    view! {
        <section class="narrow">
            <h1>{move || recovery_tr(lang.get(), RecoveryKey::ForgotHeading)}</h1>
            <p>{move || recovery_tr(lang.get(), RecoveryKey::ForgotIntro)}</p>
            <form class="stack" method="post" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="handle">{move || field_label(lang.get(), Field::Handle)}</label>
                    <input id="handle" name="handle" autocomplete="username" prop:value=move || handle.get()
                        on:input=move |ev| handle.set(event_target_value(&ev))
                        aria-invalid=has_error(errors, Field::Handle) aria-describedby=error_id(Field::Handle)/>
                    <FieldErrorLine field=Field::Handle errors/>
                </div>
                {outcome}
                <button type="submit" class="primary" disabled=move || !hydrated.get() || ask.pending().get()>
                    {move || recovery_tr(lang.get(), RecoveryKey::SendResetLink)}
                </button>
            </form>
            <p class="hint">{move || recovery_tr(lang.get(), RecoveryKey::ForgotStaffNote)}</p>
            <p><A href="/login">{move || recovery_tr(lang.get(), RecoveryKey::GoToSignIn)}</A></p>
        </section>
    }
}

/// Sets a new password through the reset link `/reset-password/TOKEN`, or says why the link does not work.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let link = Resource::new(token, reset_link);
    view! {
        <Suspense fallback=move || view! { <p>{move || tr(lang.get(), Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match link.await {
                    Ok(username) => view! { <ResetForm token=params.with_untracked(|p| p.get("token").unwrap_or_default()) username/> }.into_any(),
                    Err(error) => view! { <LinkFailed error next="/forgot-password" next_text=RecoveryKey::AskNewLink/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResetForm(
    /// The link's token, which authorizes the change.
    token: String,
    /// The account the link resets, shown so the person knows which.
    username: String,
) -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let session = use_session();
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let reset = ServerAction::<ResetPassword>::new();
    Effect::new(move |_| {
        let answer = reset.value().get();
        if matches!(answer, Some(Ok(()))) {
            // Every session of the account ended, this browser's too if it had one.
            if let Some(session) = session {
                session.reload();
            }
        }
        if let Some(found) = refused_fields(answer) {
            errors.set(found);
        }
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let chosen = password.get_untracked();
        match NewPassword::parse(&chosen) {
            Ok(_) => {
                errors.set(Vec::new());
                reset.dispatch(ResetPassword { token: token.clone(), password: chosen });
            }
            Err(reason) => errors.set(vec![ValidationError::new(Field::Password, reason)]),
        }
    };
    let form = move || {
        if matches!(reset.value().get(), Some(Ok(()))) {
            return view! {
                <p class="form-ok" role="status">{move || recovery_tr(lang.get(), RecoveryKey::PasswordResetDone)}</p>
                <p><A href="/login">{move || recovery_tr(lang.get(), RecoveryKey::GoToSignIn)}</A></p>
            }
            .into_any();
        }
        view! {
            <form class="stack" method="post" on:submit=on_submit.clone() novalidate>
                <div class="field">
                    <label for="new_password">{move || tr(lang.get(), Key::NewPasswordLabel)}</label>
                    <input id="new_password" name="new_password" type="password" autocomplete="new-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))
                        aria-invalid=has_error(errors, Field::Password) aria-describedby=error_id(Field::Password)/>
                    <FieldErrorLine field=Field::Password errors/>
                </div>
                {move || other_failure(reset.value().get(), lang.get())}
                <button type="submit" class="primary" disabled=move || !hydrated.get() || reset.pending().get()>
                    {move || recovery_tr(lang.get(), RecoveryKey::SetNewPassword)}
                </button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="narrow">
            <h1>{move || recovery_tr(lang.get(), RecoveryKey::ResetHeading)}</h1>
            <p>{move || recovery_tr(lang.get(), RecoveryKey::ResetAccount)} ": " <strong>{username.clone()}</strong></p>
            {form}
        </section>
    }
}

/// Confirms the address the link `/verify-email/TOKEN` was sent to, as the page opens.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let confirmed = Resource::new(token, verify_email);
    view! {
        <Suspense fallback=move || view! { <p>{move || tr(lang.get(), Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match confirmed.await {
                    Ok(()) => view! {
                        <section class="narrow">
                            <h1>{move || recovery_tr(lang.get(), RecoveryKey::VerifyHeading)}</h1>
                            <p class="form-ok" role="status">{move || recovery_tr(lang.get(), RecoveryKey::EmailConfirmed)}</p>
                            <p><A href="/account">{move || recovery_tr(lang.get(), RecoveryKey::BackToAccount)}</A></p>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! {
                        <LinkFailed error next="/account" next_text=RecoveryKey::BackToAccount hint=RecoveryKey::ResendFromAccount/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// Why a mailed link opened nothing, and where to go from here.
#[component]
fn LinkFailed(
    /// What the server answered about the link.
    error: AppError,
    /// Where the person goes next.
    next: &'static str,
    next_text: RecoveryKey,
    /// A sentence on how to get a working link, when there is one to say.
    #[prop(optional)]
    hint: Option<RecoveryKey>,
) -> impl IntoView {
    let lang = use_lang();
    let message = move || match &error {
        AppError::Link(problem) => link_problem_text(lang.get(), *problem).to_string(),
        other => error_text(lang.get(), other),
    };
    view! {
        <section class="narrow link-failed">
            <h1>{move || recovery_tr(lang.get(), RecoveryKey::LinkFailedHeading)}</h1>
            <p class="form-error" role="alert">{message}</p>
            {hint.map(|key| view! { <p>{move || recovery_tr(lang.get(), key)}</p> })}
            <p><A href=next>{move || recovery_tr(lang.get(), next_text)}</A></p>
        </section>
    }
}
