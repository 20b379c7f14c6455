//! The error line shown under a form field, in the current language.

use crate::i18n::error_message;
use crate::lang::use_lang;
use domain::validation::{Field, ValidationError};
use leptos::prelude::*;

/// The id of the element holding `field`'s error, for `aria-describedby`.
pub fn error_id(field: Field) -> String {
    format!("{}-error", field.as_str())
}

/// Shows the first error of `field` among `errors`, if any.
#[component]
pub fn FieldErrorLine(
    /// The field whose error this line shows.
    field: Field,
    /// All current errors of the form.
    errors: RwSignal<Vec<ValidationError>>,
) -> impl IntoView {
    let lang = use_lang();
    let message =
        move || errors.with(|all| all.iter().find(|e| e.field == field).map(|e| error_message(lang.get(), e)));
    view! {
        <p class="field-error" id=error_id(field) aria-live="polite">
            {message}
        </p>
    }
}

/// Whether `field` currently has an error, for `aria-invalid`.
pub fn has_error(errors: RwSignal<Vec<ValidationError>>, field: Field) -> impl Fn() -> &'static str + Copy {
    move || if errors.with(|all| all.iter().any(|e| e.field == field)) { "true" } else { "false" }
}
