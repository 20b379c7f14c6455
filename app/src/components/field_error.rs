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

/// The id of the element a summary link for `field` leads to: the field's own input, named after it.
pub fn field_target(field: Field) -> String {
    field.as_str().to_string()
}

/// The list of a long form's errors at its top, each linking to its field. It takes the focus
/// when `attempts` grows (a refused submit), so a keyboard or screen-reader user hears what to fix
/// and can jump to each field.
#[component]
pub fn ErrorSummary(
    /// All current errors of the form.
    errors: RwSignal<Vec<ValidationError>>,
    /// Counts refused submits; each one moves the focus here.
    attempts: ReadSignal<u32>,
    /// Where the link of each field leads (an element id).
    #[prop(default = field_target)]
    target: fn(Field) -> String,
) -> impl IntoView {
    let lang = use_lang();
    let summary = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |previous: Option<u32>| {
        let now = attempts.get();
        if previous.is_some_and(|before| before != now) {
            focus_when_drawn(summary);
        }
        now
    });
    view! {
        <Show when=move || !errors.with(Vec::is_empty)>
            <div class="error-summary" role="alert" tabindex="-1" node_ref=summary aria-labelledby="error-summary-heading">
                <h2 id="error-summary-heading">{move || crate::i18n::form_tr(lang.get(), crate::i18n::FormKey::ErrorSummaryHeading)}</h2>
                <ul>
                    {move || errors.with(|all| {
                        all.iter()
                            .map(|error| {
                                let id = target(error.field);
                                let href = format!("#{id}");
                                view! { <li><a href=href on:click=move |event| focus_by_id(event, &id)>{error_message(lang.get(), error)}</a></li> }
                            })
                            .collect_view()
                    })}
                </ul>
            </div>
        </Show>
    }
}

/// Moves the focus to `node` once the browser has drawn it (it may be rendered by the same change).
#[cfg(feature = "hydrate")]
pub fn focus_when_drawn<E>(node: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    use wasm_bindgen::JsCast;
    request_animation_frame(move || {
        if let Some(element) = node.get_untracked().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            // Focus failing (an element gone meanwhile) leaves the focus where it was.
            let _ = element.focus();
        }
    });
}

/// The server draws no focus.
#[cfg(not(feature = "hydrate"))]
pub fn focus_when_drawn<E: leptos::html::ElementType>(_node: NodeRef<E>) {}

/// Follows an in-page link by moving the focus to the element `id` names: the router would take
/// the link for a navigation, and a keyboard user must land on the field itself.
pub fn focus_by_id(event: leptos::ev::MouseEvent, id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let target = document().get_element_by_id(id).and_then(|found| found.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = target {
            event.prevent_default();
            // A failed focus leaves the reader where they were.
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (event, id);
}
