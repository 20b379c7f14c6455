//! Accounts and sessions: signing in and out, registering, changing passwords, and who is asking.

use crate::codec::FieldJson;
use crate::error::AppError;
use domain::account::{Account, RegistrationInput};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Signs in with a username and password; sets the session cookie.
#[server(prefix = "/api", endpoint = "login", input = FieldJson, output = crate::codec::JsonText)]
pub async fn login(username: String, password: String) -> Result<Account, AppError> {
    let context = crate::request::context()?;
    server::login(&context, &username, &password).await
}

/// Ends the current session.
#[server(prefix = "/api", endpoint = "logout", input = FieldJson, output = crate::codec::JsonText)]
pub async fn logout() -> Result<(), AppError> {
    let context = crate::request::context()?;
    server::logout(&context).await
}

/// Creates a citizen account and signs it in.
#[server(prefix = "/api", endpoint = "register", input = FieldJson, output = crate::codec::JsonText)]
pub async fn register(input: RegistrationInput) -> Result<Account, AppError> {
    let context = crate::request::context()?;
    server::register(&context, &input).await
}

/// The signed-in account, if any.
#[server(prefix = "/api", endpoint = "me", input = GetUrl, output = crate::codec::JsonText)]
pub async fn who_am_i() -> Result<Option<Account>, AppError> {
    let context = crate::request::context()?;
    current_account(&context).await
}

/// Changes the signed-in account's password and ends its other sessions.
#[server(prefix = "/api", endpoint = "change_password", input = FieldJson, output = crate::codec::JsonText)]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let context = crate::request::context()?;
    server::change_password(&context, &current, &new).await
}

#[cfg(feature = "ssr")]
pub use server::{
    account_for_cookies, current_account, current_actor, hash_password, hash_password_blocking, new_secret,
    open_session, require_account, session_cookie_name, token_hash, working_account, ONE_TIME_PASSWORD_LIFETIME,
    SECURE_SESSION_COOKIE, SESSION_COOKIE,
};
#[cfg(feature = "ssr")]
pub(crate) use server::{set_cookie, verify_password_blocking};

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: argon2id hashes, hashed session tokens, and the login throttle.

    use crate::error::{with_status, AppError};
    use crate::i18n::{tr, Key};
    use crate::request::{client_key, request_lang};
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use argon2::Argon2;
    use chrono::{Duration, DurationRound, Utc};
    use domain::account::{Account, NewPassword, Registration, RegistrationInput, Username};
    use domain::case::ActorRole;
    use domain::validation::{Field, ValidationError};
    use domain::workflow::Actor;
    use leptos::prelude::*;
    use services::login_throttle::LoginThrottle;
    use services::store::StoreError;
    use services::ServerContext;
    use sha2::{Digest, Sha256};

    /// How long a staff account's one-time password works before its first sign-in.
    pub const ONE_TIME_PASSWORD_LIFETIME: Duration = Duration::hours(72);

    /// The session cookie of a site served over plain http (a local run).
    pub const SESSION_COOKIE: &str = "hientruong_session";
    /// The session cookie of an https site: the prefix makes browsers refuse it unless it is `Secure`,
    /// set by the site itself for the whole site, so a sibling subdomain cannot plant one.
    pub const SECURE_SESSION_COOKIE: &str = "__Host-hientruong_session";

    /// The session cookie's name on this site.
    pub fn session_cookie_name(context: &ServerContext) -> &'static str {
        if context.secure_cookies {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }
    /// An argon2id hash in PHC string form, with a fresh salt.
    pub fn hash_password(password: &str) -> Result<String, AppError> {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            with_status(AppError::Unavailable)
        })
    }

    /// Wrong username or password, said in the requester's language.
    fn bad_credentials() -> AppError {
        with_status(AppError::BadCredentials(tr(request_lang(), Key::BadCredentials).to_string()))
    }

    /// A hash of no one's password, checked when the username is unknown so that an unknown name
    /// costs the same time as a known one and timing tells nothing about which names exist.
    fn decoy_hash() -> &'static str {
        static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        DECOY.get_or_init(|| hash_password(&new_secret()).unwrap_or_default())
    }

    fn verify_password(password: &str, hash: &str) -> bool {
        PasswordHash::new(hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    }

    /// Password hashes computed at once, on the blocking threads: each takes tens of milliseconds
    /// of a core, and on the async workers a burst of them would stall every other request.
    const HASHING_AT_ONCE: usize = 2;
    /// Hashes that may wait for their turn; beyond them a request is told to come back.
    const HASHING_QUEUE: usize = 64;
    static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHING_AT_ONCE);
    static HASHING_ASKED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// Runs `work` (password hashing) on a blocking thread, at most [`HASHING_AT_ONCE`] at a
    /// time with [`HASHING_QUEUE`] waiting; past that, 503 with `Retry-After`.
    async fn hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        use std::sync::atomic::Ordering;
        struct Asked;
        impl Drop for Asked {
            fn drop(&mut self) {
                HASHING_ASKED.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let busy = || {
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from_static("2"));
            }
            with_status(AppError::Unavailable)
        };
        if HASHING_ASKED.fetch_add(1, Ordering::SeqCst) >= HASHING_AT_ONCE + HASHING_QUEUE {
            HASHING_ASKED.fetch_sub(1, Ordering::SeqCst);
            tracing::warn!("password hashing queue full");
            return Err(busy());
        }
        let _asked = Asked;
        let _turn = HASHING.acquire().await.map_err(|_| busy())?;
        tokio::task::spawn_blocking(work).await.map_err(|error| {
            tracing::error!(%error, "password hashing did not finish");
            with_status(AppError::Unavailable)
        })
    }

    /// [`hash_password`] off the async workers.
    pub async fn hash_password_blocking(password: String) -> Result<String, AppError> {
        hashing(move || hash_password(&password)).await?
    }

    /// [`verify_password`] off the async workers.
    pub(crate) async fn verify_password_blocking(password: &str, hash: &str) -> Result<bool, AppError> {
        let (password, hash) = (password.to_string(), hash.to_string());
        hashing(move || verify_password(&password, &hash)).await
    }

    /// SHA-256 of a high-entropy secret (a session token, an API key), as stored in the database.
    pub fn token_hash(token: &str) -> String {
        Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    fn store_failed(error: StoreError) -> AppError {
        tracing::error!(%error, "storage failed");
        with_status(AppError::Unavailable)
    }

    fn request_header(name: http::header::HeaderName) -> Option<String> {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string))
    }

    fn session_token(context: &ServerContext) -> Option<String> {
        session_token_in(context, &request_header(http::header::COOKIE)?)
    }

    /// The session token in a `Cookie` header value.
    fn session_token_in(context: &ServerContext, cookies: &str) -> Option<String> {
        let name = session_cookie_name(context);
        cookies
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(cookie, _)| *cookie == name)
            .map(|(_, value)| value.to_string())
            .filter(|value| !value.is_empty())
    }

    /// The account of the live session named in a `Cookie` header value, for plain HTTP handlers.
    pub async fn account_for_cookies(context: &ServerContext, cookies: &str) -> Result<Option<Account>, StoreError> {
        let Some(token) = session_token_in(context, cookies) else { return Ok(None) };
        let account = context.store.session_account(&token_hash(&token), Utc::now()).await?;
        // An account that has yet to replace its one-time password may do nothing else.
        Ok(account.filter(|account| account.one_time_password_until.is_none()))
    }

    pub(crate) fn set_cookie(context: &ServerContext, value: &str, max_age_seconds: i64) {
        let name = session_cookie_name(context);
        let cookie = format!(
            "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{}",
            if context.secure_cookies { "; Secure" } else { "" }
        );
        if let (Some(options), Ok(header)) =
            (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&cookie))
        {
            options.append_header(http::header::SET_COOKIE, header);
        }
    }

    /// 32 random bytes from the operating system, as hex: session tokens and API keys.
    pub fn new_secret() -> String {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Starts a session for `account` that lasts as long as its role's sessions do, and returns its
    /// token (the cookie's value).
    pub async fn open_session(context: &ServerContext, account: &Account) -> Result<String, AppError> {
        let token = new_secret();
        let now = Utc::now();
        let rules = &context.sessions;
        let (ends, idle_until) = (now + rules.lifetime(account.role), now + rules.idle(account.role));
        context
            .store
            .create_session(&token_hash(&token), account.id, now, ends, idle_until)
            .await
            .map_err(store_failed)?;
        Ok(token)
    }

    /// Sets the cookie of a session just opened for `account`.
    fn set_session_cookie(context: &ServerContext, token: &str, account: &Account) {
        set_cookie(context, token, context.sessions.lifetime(account.role).num_seconds());
    }

    /// The account behind the request's session cookie, if the session is live; using it keeps it so.
    pub async fn current_account(context: &ServerContext) -> Result<Option<Account>, AppError> {
        let Some(token) = session_token(context) else { return Ok(None) };
        let hash = token_hash(&token);
        let now = Utc::now();
        let account = context.store.session_account(&hash, now).await.map_err(store_failed)?;
        if let Some(account) = &account {
            // To the minute: a session used many times a minute is written once in it.
            let idle_until = now + context.sessions.idle(account.role);
            let idle_until = idle_until.duration_trunc(Duration::minutes(1)).unwrap_or(idle_until);
            context.store.extend_session(&hash, idle_until).await.map_err(store_failed)?;
        }
        Ok(account)
    }

    /// Who acts: the signed-in account, or an anonymous member of the public.
    pub async fn current_actor(context: &ServerContext) -> Result<Actor, AppError> {
        Ok(working_account(context).await?.map(|a| a.actor()).unwrap_or_else(|| Actor::new(ActorRole::Anonymous)))
    }

    /// The signed-in account, or 401; 403 while it has yet to replace its one-time password.
    pub async fn require_account(context: &ServerContext) -> Result<Account, AppError> {
        working_account(context).await?.ok_or_else(|| with_status(AppError::Unauthorized))
    }

    /// The signed-in account, refused while it still has its one-time password.
    pub async fn working_account(context: &ServerContext) -> Result<Option<Account>, AppError> {
        match current_account(context).await? {
            Some(account) if account.one_time_password_until.is_some() => {
                Err(with_status(AppError::PasswordChangeRequired))
            }
            account => Ok(account),
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn login(context: &ServerContext, username: &str, password: &str) -> Result<Account, AppError> {
        let store = context.store.as_ref();
        let Ok(username) = Username::parse(username) else {
            verify_password_blocking(password, decoy_hash()).await?;
            return Err(bad_credentials());
        };
        let now = Utc::now();
        let client = client_key();
        let throttle = LoginThrottle::default();
        let (attempt, failures) = store
            .begin_login_attempt(&client, username.as_str(), now, now - throttle.window)
            .await
            .map_err(store_failed)?;
        if let Some(wait) = throttle.wait(&failures, now) {
            store.forget_login_attempt(attempt).await.map_err(store_failed)?;
            tracing::warn!(%client, "login throttled");
            let retry_after_seconds = u64::try_from(wait.num_seconds()).unwrap_or(0).max(1);
            return Err(with_status(AppError::TooManyAttempts { retry_after_seconds }));
        }
        let found = store.account_credentials(username.as_str()).await.map_err(store_failed)?;
        // The password is checked whether or not the account exists or is active, at the same cost.
        let verified = match &found {
            Some((_, hash)) => verify_password_blocking(password, hash).await?,
            None => verify_password_blocking(password, decoy_hash()).await?,
        };
        // A failed attempt stays recorded: it is what the throttle counts.
        let account = match found {
            Some((account, _)) if account.active && verified => account,
            _ => return Err(bad_credentials()),
        };
        if account.one_time_password_until.is_some_and(|until| until <= now) {
            let message = tr(request_lang(), Key::OneTimePasswordExpired).to_string();
            return Err(with_status(AppError::BadCredentials(message)));
        }
        store.clear_login_failures(&client, username.as_str()).await.map_err(store_failed)?;
        end_previous_session(context).await?;
        let token = open_session(context, &account).await?;
        set_session_cookie(context, &token, &account);
        tracing::info!(account_id = account.id, role = account.role.as_str(), "signed in");
        Ok(account)
    }

    /// Removes the session the request came with, so that signing in always starts a fresh one and
    /// a session id planted before sign-in is worth nothing after it.
    async fn end_previous_session(context: &ServerContext) -> Result<(), AppError> {
        match session_token(context) {
            Some(token) => context.store.delete_session(&token_hash(&token)).await.map_err(store_failed),
            None => Ok(()),
        }
    }

    pub async fn logout(context: &ServerContext) -> Result<(), AppError> {
        if let Some(token) = session_token(context) {
            context.store.delete_session(&token_hash(&token)).await.map_err(store_failed)?;
        }
        set_cookie(context, "", 0);
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn register(context: &ServerContext, input: &RegistrationInput) -> Result<Account, AppError> {
        let registration =
            Registration::parse(input).map_err(|errors| with_status(AppError::invalid(request_lang(), errors)))?;
        let new_account = domain::account::NewAccount {
            username: registration.username,
            display_name: registration.display_name,
            role: ActorRole::Citizen,
            agency: None,
            password_hash: hash_password_blocking(registration.password.expose().to_string()).await?,
        };
        let store = context.store.as_ref();
        let id = match store.create_account(&new_account, Utc::now()).await {
            Ok(id) => id,
            Err(StoreError::Duplicate(_)) => return Err(with_status(AppError::UsernameTaken)),
            Err(error) => return Err(store_failed(error)),
        };
        let account =
            store.account(id).await.map_err(store_failed)?.ok_or_else(|| with_status(AppError::Unavailable))?;
        end_previous_session(context).await?;
        let token = open_session(context, &account).await?;
        set_session_cookie(context, &token, &account);
        tracing::info!(account_id = id, "citizen registered");
        Ok(account)
    }

    pub async fn change_password(context: &ServerContext, current: &str, new: &str) -> Result<(), AppError> {
        // The one place an account with a one-time password may act: replacing it.
        let account = current_account(context).await?.ok_or_else(|| with_status(AppError::Unauthorized))?;
        let store = context.store.as_ref();
        let (_, hash) =
            store.account_credentials(&account.username).await.map_err(store_failed)?.ok_or(AppError::Unauthorized)?;
        if !verify_password_blocking(current, &hash).await? {
            return Err(bad_credentials());
        }
        let new = NewPassword::parse(new).map_err(|reason| {
            with_status(AppError::invalid(request_lang(), vec![ValidationError::new(Field::Password, reason)]))
        })?;
        let new_hash = hash_password_blocking(new.expose().to_string()).await?;
        store.set_password_hash(account.id, &new_hash).await.map_err(store_failed)?;
        if let Some(token) = session_token(context) {
            store.delete_other_sessions(account.id, &token_hash(&token)).await.map_err(store_failed)?;
        }
        Ok(())
    }
}
