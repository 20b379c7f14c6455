//! Who is signed in, as a resource the whole page shares and refreshes after signing in or out.

use crate::auth::who_am_i;
use crate::error::AppError;
use crate::i18n::{tr, Key, Lang};
use domain::account::Account;
use domain::case::ActorRole;
use leptos::prelude::*;

/// The signed-in account, refetched whenever `refresh` changes.
#[derive(Clone, Copy)]
pub struct Session {
    pub account: Resource<Result<Option<Account>, AppError>>,
    pub refresh: RwSignal<u32>,
}

impl Session {
    /// Fetches the account again, after a sign-in or sign-out.
    pub fn reload(&self) {
        self.refresh.update(|n| *n += 1);
    }
}

pub fn provide_session() -> Session {
    let refresh = RwSignal::new(0u32);
    let account = Resource::new(move || refresh.get(), |_| who_am_i());
    let session = Session { account, refresh };
    provide_context(session);
    session
}

pub fn use_session() -> Option<Session> {
    use_context::<Session>()
}

/// Where `account` goes after signing in: its role's start, or its own page while it still has to
/// replace its one-time password.
pub fn home_after_sign_in(account: &Account) -> &'static str {
    if account.one_time_password_until.is_some() {
        "/account"
    } else {
        home_for(account.role)
    }
}

/// Where each role starts after signing in.
pub fn home_for(role: ActorRole) -> &'static str {
    match role {
        ActorRole::Coordinator => "/staff/screening",
        ActorRole::Officer => "/staff/agency",
        ActorRole::Citizen => "/my/reports",
        ActorRole::Operator => "/hotline",
        ActorRole::Admin => "/admin",
        ActorRole::Leader => "/leader",
        ActorRole::Anonymous | ActorRole::System => "/",
    }
}

/// A sentence for a failed call, in `lang`.
pub fn error_text(lang: Lang, error: &AppError) -> String {
    match error {
        AppError::Malformed(malformed) => malformed.message.clone(),
        AppError::Invalid(fields) => fields.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "),
        AppError::Unauthorized => tr(lang, Key::SignInToSee).to_string(),
        AppError::Forbidden => tr(lang, Key::NotAllowed).to_string(),
        AppError::PasswordChangeRequired => tr(lang, Key::SetOwnPassword).to_string(),
        AppError::NotFound => tr(lang, Key::CaseNotFound).to_string(),
        AppError::BadCredentials(_) => tr(lang, Key::BadCredentials).to_string(),
        AppError::TooManyAttempts { retry_after_seconds } => crate::i18n::too_many_attempts(lang, *retry_after_seconds),
        AppError::TooManyRequests { retry_after_seconds } => crate::i18n::too_many_requests(lang, *retry_after_seconds),
        AppError::UsernameTaken => tr(lang, Key::UsernameTaken).to_string(),
        AppError::Conflict(_) => tr(lang, Key::Conflict).to_string(),
        AppError::Refused(_) => tr(lang, Key::Refused).to_string(),
        AppError::Unavailable | AppError::BadRequest(_) => tr(lang, Key::ActionFailed).to_string(),
        AppError::AreaImport(details) => match details.read() {
            Some(problems) => {
                problems.iter().map(|p| crate::i18n::import_problem_message(lang, p)).collect::<Vec<_>>().join(" ")
            }
            None => tr(lang, Key::ActionFailed).to_string(),
        },
        AppError::Link(problem) => crate::i18n::link_problem_text(lang, *problem).to_string(),
    }
}

/// False in the server's HTML and until the page is interactive; forms wait for it so that
/// nothing is submitted the browser's own way (which would put a password in the URL).
pub fn use_hydrated() -> RwSignal<bool> {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    hydrated
}
