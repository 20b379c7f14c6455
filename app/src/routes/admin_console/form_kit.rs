//! The admin console's form kit, shared by its pages: fields, buttons, answers and tables.

use crate::admin::{admin_catalogue, CatalogueView};
use crate::components::field_error::{error_id, has_error, FieldErrorLine};
use crate::error::AppError;
use crate::i18n::{field_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::session::{error_text, use_hydrated};
use domain::validation::{Field, ValidationError};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// Loads the catalogue again whenever `version` changes.
pub fn catalogue_resource(
    version: impl Fn() -> usize + Send + Sync + 'static,
) -> Resource<Result<CatalogueView, AppError>> {
    Resource::new(version, |_| admin_catalogue())
}

/// The field errors of a refused request, to show beside the fields.
fn field_errors(error: &AppError) -> Vec<ValidationError> {
    match error {
        AppError::Invalid(fields) => fields.iter().map(|f| f.error).collect(),
        _ => Vec::new(),
    }
}

/// A form's field errors and its other failure, following the answers of the form's action.
#[derive(Clone, Copy)]
pub struct FormAnswers {
    pub errors: RwSignal<Vec<ValidationError>>,
    pub failure: RwSignal<Option<AppError>>,
    /// The latest answer was a success.
    pub done: Signal<bool>,
}

impl FormAnswers {
    pub fn follow(answer: Signal<Option<Result<(), AppError>>>) -> Self {
        let errors = RwSignal::new(Vec::new());
        let failure = RwSignal::new(None);
        Effect::new(move |_| match answer.get() {
            Some(Ok(())) => {
                errors.set(Vec::new());
                failure.set(None);
            }
            Some(Err(error)) => {
                errors.set(field_errors(&error));
                failure.set((!matches!(error, AppError::Invalid(_))).then_some(error));
            }
            None => {}
        });
        Self { errors, failure, done: Signal::derive(move || matches!(answer.get(), Some(Ok(())))) }
    }
}

/// Shows the problems the browser `found` beside the fields, and calls `send` only when there are none.
pub fn send_if_valid(errors: RwSignal<Vec<ValidationError>>, found: Vec<ValidationError>, send: impl FnOnce()) {
    let valid = found.is_empty();
    errors.set(found);
    if valid {
        send();
    }
}

/// A request's outcome under a form: a confirmation, or what went wrong when no field is to blame.
#[component]
pub fn Outcome(
    #[prop(into)] done: Signal<bool>,
    #[prop(into)] failure: Signal<Option<AppError>>,
    /// The confirmation shown after success.
    done_text: Key,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    move || {
        if let Some(error) = failure.get() {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        } else if done.get() {
            Some(view! { <p class="done" role="status">{move || t(done_text)}</p> }.into_any())
        } else {
            None
        }
    }
}

/// Whether a button must wait: until the page is interactive, since a click before then would do
/// nothing, and while `busy`.
pub fn unavailable_while(busy: impl Fn() -> bool + Send + Sync + 'static) -> Signal<bool> {
    let hydrated = use_hydrated();
    Signal::derive(move || !hydrated.get() || busy())
}

/// A form's submit button, waiting for the page to be interactive and for `busy` to end.
#[component]
pub fn SubmitButton(text: Key, busy: impl Fn() -> bool + Send + Sync + 'static) -> impl IntoView {
    let t = use_tr();
    let unavailable = unavailable_while(busy);
    view! {
        <button type="submit" class="primary" disabled=unavailable>{move || t(text)}</button>
    }
}

/// A form saving one catalogue entry: its fields, the save button, and the answer under them.
#[component]
pub fn SaveForm(
    on_submit: impl FnMut(SubmitEvent) + 'static,
    answers: FormAnswers,
    /// The save button's text.
    submit: Key,
    /// The save request is under way.
    busy: impl Fn() -> bool + Send + Sync + 'static,
    children: Children,
) -> impl IntoView {
    view! {
        <form class="stack narrow" on:submit=on_submit novalidate>
            {children()}
            <SubmitButton text=submit busy/>
            <Outcome done=answers.done failure=answers.failure done_text=Key::AdminSaved/>
        </form>
    }
}

/// A text input with its label and error line.
#[component]
pub fn TextField(
    id: &'static str,
    field: Field,
    value: RwSignal<String>,
    errors: RwSignal<Vec<ValidationError>>,
    #[prop(optional)] input_type: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field">
            <label for=id>{move || field_label(lang.get(), field)}</label>
            <input id=id type=input_type.unwrap_or("text") prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=has_error(errors, field) aria-describedby=error_id(field)/>
            <FieldErrorLine field errors/>
        </div>
    }
}

/// One option of a `SelectField`: the value sent, and its text in the current language.
pub type Choice = (String, Signal<String>);

/// A choice whose text is the same in every language, such as a name.
pub fn named(value: &str, name: &str) -> Choice {
    (value.to_string(), Signal::stored(name.to_string()))
}

/// A drop-down with its label and error line.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    field: Field,
    value: RwSignal<String>,
    errors: RwSignal<Vec<ValidationError>>,
    choices: Vec<Choice>,
    /// The text of a first, empty option, when choosing nothing is offered.
    #[prop(optional)]
    placeholder: Option<Key>,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    view! {
        <div class="field">
            <label for=id.clone()>{move || field_label(lang.get(), field)}</label>
            <select id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))
                aria-describedby=error_id(field)>
                {placeholder.map(|key| view! { <option value="">{move || t(key)}</option> })}
                {choices.into_iter().map(|(code, text)| {
                    let chosen = code.clone();
                    view! { <option value=code selected=move || value.get() == chosen>{move || text.get()}</option> }
                }).collect_view()}
            </select>
            <FieldErrorLine field errors/>
        </div>
    }
}

/// A checkbox with its label.
#[component]
pub fn CheckField(value: RwSignal<bool>, label: Key) -> impl IntoView {
    let t = use_tr();
    view! {
        <label class="check">
            <input type="checkbox" prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
            {move || t(label)}
        </label>
    }
}

/// A column of a console table, headed by a field's name, by another text, or by nothing.
#[derive(Clone, Copy)]
pub enum Column {
    Field(Field),
    Text(Key),
    Blank,
}

/// A console table: one heading a column, the rows below.
#[component]
pub fn ConsoleTable(
    columns: &'static [Column],
    #[prop(default = "queue-table")] class: &'static str,
    children: Children,
) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let headings = columns
        .iter()
        .map(|column| match *column {
            Column::Field(field) => view! { <th>{move || field_label(lang.get(), field)}</th> }.into_any(),
            Column::Text(key) => view! { <th>{move || t(key)}</th> }.into_any(),
            Column::Blank => view! { <th></th> }.into_any(),
        })
        .collect_view();
    view! {
        <table class=class>
            <thead><tr>{headings}</tr></thead>
            <tbody>{children()}</tbody>
        </table>
    }
}

/// "Loading" while a page's data is on its way.
pub fn loading() -> impl IntoView {
    let t = use_tr();
    view! { <p>{move || t(Key::Loading)}</p> }
}

/// The catalogue as a console table once it has loaded; `rows` draws the rows from it.
#[component]
pub fn CatalogueTable<R, V>(
    catalogue: Resource<Result<CatalogueView, AppError>>,
    columns: &'static [Column],
    rows: R,
) -> impl IntoView
where
    R: Fn(CatalogueView) -> V + Copy + Send + Sync + 'static,
    V: IntoView + Send + 'static,
{
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                catalogue.await.map(|catalogue| view! { <ConsoleTable columns>{rows(catalogue)}</ConsoleTable> })
            })}
        </Transition>
    }
}

/// A table cell holding a button acting on its row, named for the row ("Edit Dong Hoi") beyond its
/// visible text; `disabled`, when given, says when it must wait.
pub fn row_button(
    text: Key,
    row_name: &str,
    disabled: Option<Signal<bool>>,
    on_click: impl Fn() + 'static,
) -> impl IntoView {
    let t = use_tr();
    let label = format!("{} {row_name}", t(text));
    view! {
        <td><button type="button" aria-label=label disabled=move || disabled.is_some_and(|d| d.get())
            on:click=move |_| on_click()>
            {move || t(text)}
        </button></td>
    }
}

/// The name listed for `code` in `names`, or the code itself when it is not listed.
pub fn name_of(names: &[(String, String)], code: &str) -> String {
    names.iter().find(|(c, _)| c == code).map_or_else(|| code.to_string(), |(_, name)| name.clone())
}
