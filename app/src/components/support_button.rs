//! The "me too" button: adds the asker's support to one case and says how it went.

use crate::error::AppError;
use crate::i18n::{error_message, support_added, support_button_case, support_tr, too_many_requests, SupportKey};
use crate::lang::use_lang;
use crate::support::SupportCase;
use leptos::prelude::*;

#[component]
pub fn SupportButton(
    /// The case the button supports.
    id: i64,
    /// The case's count of supporters as shown beside the button; a support just added sets it.
    supporters: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let support = ServerAction::<SupportCase>::new();
    Effect::new(move |_| {
        if let Some(Ok(done)) = support.value().get() {
            supporters.set(done.supporters);
        }
    });
    let added = move || match support.value().get() {
        Some(Ok(done)) => Some(support_added(lang.get(), done.id, done.supporters)),
        _ => None,
    };
    let refused = move || match support.value().get() {
        Some(Err(AppError::Invalid(fields))) => fields.first().map(|field| error_message(lang.get(), &field.error)),
        Some(Err(AppError::TooManyRequests { retry_after_seconds })) => {
            Some(too_many_requests(lang.get(), retry_after_seconds))
        }
        Some(Err(_)) => Some(support_tr(lang.get(), SupportKey::SupportFailed).to_string()),
        _ => None,
    };
    // Disabled in the server's HTML: a click before the page is interactive would do nothing.
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    let pending = move || support.pending().get();
    view! {
        <div class="support">
            <button
                type="button"
                class="support-button"
                disabled=move || !interactive.get() || pending()
                on:click=move |_| {
                    support.dispatch(SupportCase { id });
                }
            >
                {move || support_tr(lang.get(), if pending() { SupportKey::Supporting } else { SupportKey::SupportButton })}
                " "
                <span class="visually-hidden">{move || support_button_case(lang.get(), id)}</span>
            </button>
            <p class="support-status" role="status">{added}</p>
            {move || refused().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        </div>
    }
}
