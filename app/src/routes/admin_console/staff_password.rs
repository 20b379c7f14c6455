//! An administrator's reset of a staff member's password: a one-time password shown once, which the
//! staff member must replace at first sign-in, as when their account was created; their sessions end.

use crate::i18n::{recovery_tr, tr, Key, RecoveryKey};
use crate::lang::use_lang;
use crate::recovery::ResetStaffPassword;
use crate::session::{error_text, use_hydrated};
use domain::account::Account;
use leptos::prelude::*;

/// The table cell holding a row's reset button, named for the row beyond its visible text; empty
/// on the administrator's own row, whose password is changed on the account page.
pub fn reset_cell(username: &str, own: bool, on_click: impl Fn() + 'static) -> impl IntoView {
    let lang = use_lang();
    let label = format!("{} {username}", recovery_tr(lang.get_untracked(), RecoveryKey::AdminResetPassword));
    view! {
        <td>
            {(!own).then(|| view! {
                <button type="button" aria-label=label on:click=move |_| on_click()>
                    {move || recovery_tr(lang.get(), RecoveryKey::AdminResetPassword)}
                </button>
            })}
        </td>
    }
}

/// Asks the administrator to confirm, then issues the one-time password and shows it once.
#[component]
pub fn PasswordReset(
    /// The staff account whose password is reset.
    account: Account,
    /// Called when the administrator closes the panel.
    on_close: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let reset = ServerAction::<ResetStaffPassword>::new();
    let id = account.id;
    let heading =
        format!("{} {}", recovery_tr(lang.get_untracked(), RecoveryKey::AdminResetPassword), account.username);
    // The panel opens below a long list: bring it into view, where the administrator's eyes go next.
    let panel = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(section) = panel.get() {
            #[cfg(feature = "hydrate")]
            section.scroll_into_view();
            #[cfg(not(feature = "hydrate"))]
            let _ = section;
        }
    });
    let answer = move || {
        match reset.value().get() {
        Some(Ok(password)) => view! {
            <div class="issued" role="status">
                <p>{move || tr(lang.get(), Key::AdminPasswordShownOnce)}</p>
                <code class="secret">{password}</code>
            </div>
        }
        .into_any(),
        failed => view! {
            {match failed {
                Some(Err(error)) => Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }),
                _ => None,
            }}
            <div class="actions">
                <button type="button" class="primary" disabled=move || !hydrated.get() || reset.pending().get()
                    on:click=move |_| { reset.dispatch(ResetStaffPassword { id }); }>
                    {move || recovery_tr(lang.get(), RecoveryKey::AdminIssueOneTime)}
                </button>
                <button type="button" on:click=move |_| on_close.run(())>
                    {move || recovery_tr(lang.get(), RecoveryKey::Cancel)}
                </button>
            </div>
        }
        .into_any(),
    }
    };
    view! {
        <section class="stack narrow editor password-reset" aria-label=heading.clone() node_ref=panel>
            <h2>{heading.clone()}</h2>
            <p>{move || recovery_tr(lang.get(), RecoveryKey::AdminResetExplain)}</p>
            {answer}
        </section>
    }
}
