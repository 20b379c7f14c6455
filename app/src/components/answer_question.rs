//! The reporter's answer to the agency's question, from their account or their receipt link.

use crate::cases::{AnswerByReceipt, ChangeCase, ChangeRequest};
use crate::i18n::{field_label, pause_tr, PauseKey};
use crate::lang::use_lang;
use crate::routes::case_page::local_time;
use crate::session::{error_text, use_hydrated};
use domain::pause::QuestionToReporter;
use domain::validation::Field;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// Who answers: the holder of the receipt link, or the signed-in reporter of case `id` as it
/// stood at `version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answerer {
    Receipt { token: String },
    Account { id: i64, version: u32 },
}

/// The question waiting for the reporter, and the form that answers it.
#[component]
pub fn AnswerQuestion(
    /// The question as the agency asked it.
    question: QuestionToReporter,
    /// How the answer is sent.
    answerer: Answerer,
) -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let by_receipt = ServerAction::<AnswerByReceipt>::new();
    let by_account = ServerAction::<ChangeCase>::new();
    let answer = RwSignal::new(String::new());
    let answerer = StoredValue::new(answerer);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = answer.get_untracked();
        match answerer.get_value() {
            Answerer::Receipt { token } => {
                by_receipt.dispatch(AnswerByReceipt { token, answer: text });
            }
            Answerer::Account { id, version } => {
                by_account.dispatch(ChangeCase {
                    id,
                    version,
                    request: ChangeRequest::ProvideInformation { answer: text },
                });
            }
        }
    };
    let outcome = move || match (by_receipt.value().get(), by_account.value().get()) {
        (Some(Ok(_)), _) | (_, Some(Ok(_))) => Some(Ok(())),
        (Some(Err(error)), _) | (_, Some(Err(error))) => Some(Err(error)),
        _ => None,
    };
    let sent = move || matches!(outcome(), Some(Ok(())));
    let pending = move || by_receipt.pending().get() || by_account.pending().get();
    let heading_id = format!("question-{}", question.asked_at.timestamp());
    let field_id = format!("answer-{}", question.asked_at.timestamp());
    let until = local_time(question.pause_ends);
    view! {
        <section class="question-to-reporter" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{move || pause_tr(lang.get(), PauseKey::QuestionHeading)}</h2>
            <p class="question-text">{question.question.clone()}</p>
            <p class="hint">
                {move || pause_tr(lang.get(), PauseKey::AnswerHint)} " "
                {move || pause_tr(lang.get(), PauseKey::WaitingUntil)} " "
                <time datetime=question.pause_ends.to_rfc3339()>{until.clone()}</time> "."
            </p>
            <p class="form-ok" role="status">{move || sent().then(|| pause_tr(lang.get(), PauseKey::AnswerSent))}</p>
            <p class="form-error" role="alert">
                {move || match outcome() {
                    Some(Err(error)) => Some(error_text(lang.get(), &error)),
                    _ => None,
                }}
            </p>
            <Show when=move || !sent()>
                <form class="answer" on:submit=on_submit>
                    <div class="field">
                        <label for=field_id.clone()>{move || field_label(lang.get(), Field::Answer)}</label>
                        <textarea id=field_id.clone() rows="3" prop:value=move || answer.get()
                            on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="primary" disabled=move || !hydrated.get() || pending()>
                        {move || pause_tr(lang.get(), PauseKey::AnswerButton)}
                    </button>
                </form>
            </Show>
        </section>
    }
}
