//! Push notices: the routes a browser subscribes through, and the job that pushes each public step of a case, and each routing to an agency, to the subscriptions told of it, once.

use crate::config::Settings;
use crate::notices::{retry_at, LOOKBACK};
use crate::rest::{ApiError, RequestLang};
use crate::startup::AppState;
use crate::web_push::{self, Delivery, Message, Urgency, VapidKey, AUTH_SECRET_BYTES, PUBLIC_KEY_BYTES};
use app::i18n::{push_body, push_title, Lang};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use domain::case::{held_back, ActorRole};
use domain::validation::{Field, Reason, ValidationError};
use domain::workflow::{Change, RejectReason};
use futures_util::StreamExt as _;
use serde::Serialize;
use services::store::{NewPushSubscription, NoticeOutcome, PushNotice, PushOwner, PushRecipient, Store, StoreError};
use std::net::IpAddr;
use std::sync::Arc;

/// Where browsers read the server's public key.
pub const KEY_PATH: &str = "/api/v1/push/key";
/// Where browsers post (and delete) their subscriptions.
pub const SUBSCRIPTIONS_PATH: &str = "/api/v1/push/subscriptions";
/// A subscription's JSON is a few hundred bytes; an endpoint at its longest stays well inside this.
pub const MAX_BODY_BYTES: usize = 8 * 1024;
/// The longest endpoint kept: push services' addresses are a few hundred characters.
pub const MAX_ENDPOINT_CHARS: usize = 2048;
/// Subscriptions one account or one receipt holds: a phone, a tablet, a computer and their
/// browsers, and a bound on the messages one case makes the server send.
pub const MAX_SUBSCRIPTIONS: u32 = 10;
/// How long a push service keeps a message for a phone that is off: a step older than two days
/// is better read on the site.
const TTL_SECONDS: u32 = 2 * 24 * 3600;
/// Messages taken from the database per round.
const BATCH: u32 = 500;
/// Messages in flight at once: a slow push service delays a round, not every message after it.
const CONCURRENT_SENDS: usize = 8;
/// The longest a push service is waited for.
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// The most characters of a message's body: what a phone shows of a notification, and a bound
/// that keeps every message inside one record.
const BODY_CHARS: usize = 300;

/// The server's side of Web Push: its key pair, who it says it is, and its HTTP client.
pub struct PushService {
    key: VapidKey,
    /// The VAPID `sub`: a `mailto:` or https URL the push services may write to.
    contact: String,
    /// Whether plain-http endpoints on the loopback are taken (tests only).
    loopback_http: bool,
    client: reqwest::Client,
}

impl std::fmt::Debug for PushService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushService").field("key", &self.key).field("contact", &self.contact).finish()
    }
}

impl PushService {
    /// The service with `key`, saying it is `contact`.
    pub fn new(key: VapidKey, contact: String, loopback_http: bool) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(SEND_TIMEOUT)
            .connect_timeout(std::time::Duration::from_secs(5))
            // A push service answers where it is asked; following it elsewhere would let an endpoint
            // send the server's requests anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("hientruong/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { key, contact, loopback_http, client })
    }

    /// The service for `settings`, with the key pair the database keeps: made now, on the first
    /// start, or the one an earlier (or a concurrent) start kept.
    pub async fn start(store: &dyn Store, settings: &Settings) -> anyhow::Result<Self> {
        let candidate = VapidKey::generate();
        let kept = store.push_key(&candidate.private_key(), Utc::now()).await?;
        let key = VapidKey::from_private_key(&kept).map_err(|error| anyhow::anyhow!("the kept push key: {error}"))?;
        Self::new(key, push_contact(settings), settings.push_loopback_http)
    }

    /// The public key browsers subscribe with, base64url.
    pub fn public_key(&self) -> String {
        self.key.public_key()
    }
}

/// Whom the push services may contact: the setting, else the public address when it is https,
/// else the sender of the site's mail.
pub fn push_contact(settings: &Settings) -> String {
    if let Some(contact) = &settings.push_contact {
        return contact.clone();
    }
    if settings.public_url.trim().to_ascii_lowercase().starts_with("https://") {
        return settings.public_url.trim().trim_end_matches('/').to_string();
    }
    let from = settings.mail_from.trim();
    let address = match (from.rfind('<'), from.rfind('>')) {
        (Some(open), Some(close)) if open < close => &from[open + 1..close],
        _ => from,
    };
    format!("mailto:{address}")
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(KEY_PATH, get(public_key))
        .route(SUBSCRIPTIONS_PATH, axum::routing::post(subscribe).delete(unsubscribe))
}

#[derive(Serialize)]
struct KeyAnswer {
    key: String,
}

/// The server's public key, which never changes once made.
async fn public_key(State(state): State<AppState>) -> Response {
    let mut response = Json(KeyAnswer { key: state.push.public_key() }).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

/// A subscription as a browser's `PushSubscription.toJSON()` gives it, read field by field so that
/// each missing or wrong one is named.
struct Posted {
    endpoint: Option<String>,
    p256dh: Option<String>,
    auth: Option<String>,
    receipt: Option<String>,
}

impl Posted {
    fn read(body: &serde_json::Value) -> Self {
        let text = |value: &serde_json::Value| value.as_str().map(str::to_string);
        Self {
            endpoint: text(&body["endpoint"]),
            p256dh: text(&body["keys"]["p256dh"]),
            auth: text(&body["keys"]["auth"]),
            receipt: text(&body["receipt"]).filter(|token| !token.is_empty()),
        }
    }
}

/// Whether plain-http endpoints on the loopback are taken, besides https ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointRule {
    pub loopback_http: bool,
}

/// Parses an endpoint: an https URL of a push service, at most [`MAX_ENDPOINT_CHARS`] long, naming
/// a host (never an address literal nor `localhost`, which no push service is at) and no
/// credentials; with the test rule, also http or https on the loopback.
pub fn parse_endpoint(raw: &str, rule: EndpointRule) -> Result<String, Reason> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Reason::Required);
    }
    if raw.chars().count() > MAX_ENDPOINT_CHARS {
        return Err(Reason::TooLong { max: MAX_ENDPOINT_CHARS });
    }
    let url = reqwest::Url::parse(raw).map_err(|_| Reason::NotHttpsUrl)?;
    let host = url.host_str().ok_or(Reason::NotHttpsUrl)?;
    let literal = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().ok();
    let loopback = literal.is_some_and(|ip| ip.is_loopback()) || host.eq_ignore_ascii_case("localhost");
    let allowed = match url.scheme() {
        "https" => (literal.is_none() && !loopback) || (rule.loopback_http && loopback),
        "http" => rule.loopback_http && loopback,
        _ => false,
    };
    if !allowed || !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(Reason::NotHttpsUrl);
    }
    Ok(raw.to_string())
}

/// Parses a key written in base64url that must decode to exactly `bytes` bytes.
fn parse_key(raw: Option<&str>, bytes: usize) -> Result<String, Reason> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Err(Reason::Required);
    }
    match web_push::from_base64url(raw) {
        Some(decoded) if decoded.len() == bytes => Ok(raw.trim_end_matches('=').to_string()),
        _ => Err(Reason::WrongKeyLength { bytes }),
    }
}

/// The subscription a browser posted, or every field it got wrong.
pub fn parse_subscription(
    endpoint: Option<&str>,
    p256dh: Option<&str>,
    auth: Option<&str>,
    lang: Lang,
    rule: EndpointRule,
) -> Result<NewPushSubscription, Vec<ValidationError>> {
    let endpoint = parse_endpoint(endpoint.unwrap_or_default(), rule);
    let p256dh = parse_key(p256dh, PUBLIC_KEY_BYTES).and_then(|key| {
        // The key must be a point of the curve, or nothing can ever be encrypted for it.
        let decoded = web_push::from_base64url(&key).unwrap_or_default();
        match p256::PublicKey::from_sec1_bytes(&decoded) {
            Ok(_) if decoded.first() == Some(&0x04) => Ok(key),
            _ => Err(Reason::WrongKeyLength { bytes: PUBLIC_KEY_BYTES }),
        }
    });
    let auth = parse_key(auth, AUTH_SECRET_BYTES);
    match (endpoint, p256dh, auth) {
        (Ok(endpoint), Ok(p256dh), Ok(auth)) => Ok(NewPushSubscription { endpoint, p256dh, auth, lang }),
        (endpoint, p256dh, auth) => Err([
            endpoint.err().map(|reason| ValidationError::new(Field::PushEndpoint, reason)),
            p256dh.err().map(|reason| ValidationError::new(Field::PushKey, reason)),
            auth.err().map(|reason| ValidationError::new(Field::PushAuth, reason)),
        ]
        .into_iter()
        .flatten()
        .collect()),
    }
}

/// The body of a subscription request, read up to [`MAX_BODY_BYTES`], as JSON.
async fn read_body(lang: Lang, body: Body) -> Result<serde_json::Value, ApiError> {
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| {
        ApiError::body(StatusCode::PAYLOAD_TOO_LARGE, app::i18n::body_too_large(lang, MAX_BODY_BYTES / 1024))
    })?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| unreadable(lang))?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(unreadable(lang))
    }
}

fn unreadable(lang: Lang) -> ApiError {
    ApiError::body(
        StatusCode::BAD_REQUEST,
        lang.pick("body: nội dung gửi lên không phải JSON đọc được.", "body: the request body is not readable JSON."),
    )
}

fn store_failed(lang: Lang, error: StoreError) -> ApiError {
    tracing::error!(%error, "storing a push subscription failed");
    ApiError::unavailable(lang)
}

/// Who is asking: the holder of the case's receipt when the body names one (which must open a
/// case: 404 alike for a malformed token and one naming nothing), else the signed-in account; else 401.
async fn owner(
    state: &AppState,
    lang: Lang,
    headers: &HeaderMap,
    receipt: Option<&str>,
) -> Result<PushOwner, ApiError> {
    let store = state.context.store.as_ref();
    if let Some(token) = receipt {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ApiError::not_found(lang));
        }
        let case =
            store.case_for_receipt(&app::auth::token_hash(token)).await.map_err(|error| store_failed(lang, error))?;
        return case.map(PushOwner::Receipt).ok_or_else(|| ApiError::not_found(lang));
    }
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let account = app::auth::account_for_cookies(&state.context, cookies).await.map_err(|error| {
        tracing::error!(%error, "reading the session failed");
        ApiError::unavailable(lang)
    })?;
    account
        .filter(|account| account.active)
        .map(|account| PushOwner::Account(account.id))
        .ok_or_else(|| ApiError::unauthorized(lang))
}

#[derive(Serialize)]
struct Subscribed {
    subscribed: bool,
}

/// Keeps the posted subscription for its owner: `201` when kept (or its keys renewed).
async fn subscribe(
    State(state): State<AppState>,
    lang: RequestLang,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let lang = lang.lang();
    let posted = Posted::read(&read_body(lang, body).await?);
    let owner = owner(&state, lang, &headers, posted.receipt.as_deref()).await?;
    let rule = EndpointRule { loopback_http: state.push.loopback_http };
    let subscription =
        parse_subscription(posted.endpoint.as_deref(), posted.p256dh.as_deref(), posted.auth.as_deref(), lang, rule)
            .map_err(|errors| ApiError::invalid(lang, errors))?;
    let saved = state
        .context
        .store
        .save_push_subscription(owner, &subscription, Utc::now(), MAX_SUBSCRIPTIONS)
        .await
        .map_err(|error| store_failed(lang, error))?;
    if !saved {
        let error = ValidationError::new(Field::PushEndpoint, Reason::LimitReached { max: MAX_SUBSCRIPTIONS });
        return Err(ApiError::invalid(lang, vec![error]));
    }
    Ok((StatusCode::CREATED, Json(Subscribed { subscribed: true })).into_response())
}

/// Turns the owner's subscription at the posted endpoint off: `204`, whether it was on or not.
async fn unsubscribe(
    State(state): State<AppState>,
    lang: RequestLang,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let lang = lang.lang();
    let posted = Posted::read(&read_body(lang, body).await?);
    let owner = owner(&state, lang, &headers, posted.receipt.as_deref()).await?;
    let endpoint = posted.endpoint.as_deref().map(str::trim).unwrap_or_default();
    if endpoint.is_empty() || endpoint.chars().count() > MAX_ENDPOINT_CHARS {
        let reason = if endpoint.is_empty() { Reason::Required } else { Reason::TooLong { max: MAX_ENDPOINT_CHARS } };
        return Err(ApiError::invalid(lang, vec![ValidationError::new(Field::PushEndpoint, reason)]));
    }
    state.context.store.delete_push_subscription(owner, endpoint).await.map_err(|error| store_failed(lang, error))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// What a notification carries: enough for the service worker to show it and open the right page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payload {
    /// The case number.
    pub case: i64,
    /// The case's status after the step (`assigned`, `rejected`, `resolved`, `closed`…).
    pub status: &'static str,
    /// The step itself (`accepted`, `rejected`, `result_approved`, `reopened`, `closed`).
    pub step: &'static str,
    pub title: String,
    pub body: String,
    /// The page to open, on this site; `None` for the anonymous reporter, whose receipt link only
    /// their browser keeps (the service worker opens it).
    pub url: Option<String>,
    /// Whether the message is to the holder of the case's receipt.
    pub receipt: bool,
    /// Notifications of one case replace one another on the device.
    pub tag: String,
}

/// The message `notice` makes, or `None` when its subscription is not to be told after all: a
/// follower of a case now held back from the public, a reporter's account that is not a citizen's,
/// an officer of another agency than the one the step routed the case to.
pub fn payload(notice: &PushNotice) -> Option<Payload> {
    let event = &notice.event;
    let lang = notice.subscription.lang;
    let case = notice.case_id;
    let (url, receipt) = match notice.recipient {
        PushRecipient::Receipt => (None, true),
        PushRecipient::Reporter => {
            (notice.account_role == Some(ActorRole::Citizen)).then_some(())?;
            (Some(format!("/cases/{case}")), false)
        }
        PushRecipient::Follower => {
            let rejection = match &event.change {
                Change::Rejected { reason, .. } => Some(*reason),
                _ => None::<RejectReason>,
            };
            (!held_back(event.to_status, rejection)).then_some(())?;
            (Some(format!("/cases/{case}")), false)
        }
        PushRecipient::Officer => {
            (notice.account_role == Some(ActorRole::Officer)).then_some(())?;
            let routed_here = match &event.change {
                Change::Accepted { agency, .. } => notice.account_agency.as_deref() == Some(agency.as_str()),
                Change::Reopened { .. } => true,
                _ => false,
            };
            routed_here.then_some(())?;
            (Some(format!("/staff/cases/{case}")), false)
        }
    };
    let officer = notice.recipient == PushRecipient::Officer;
    let note = match &event.change {
        Change::Rejected { explanation, .. } => Some(explanation.as_str()),
        other => other.public_note(),
    };
    let body: String =
        push_body(&notice.title, (!officer).then_some(note).flatten()).chars().take(BODY_CHARS).collect();
    Some(Payload {
        case,
        status: event.to_status.as_str(),
        step: event.change.kind().as_str(),
        title: push_title(lang, case, event.to_status, officer),
        body,
        url,
        receipt,
        tag: format!("case-{case}"),
    })
}

/// Pushes every message due: each is claimed in the database first, so that several servers
/// running this at once send it at most once; a message the push service could not take now is
/// tried again after `retry_first`, doubling, and a subscription its push service says is gone is
/// forgotten.
pub async fn deliver(
    store: &dyn Store,
    push: &PushService,
    now: DateTime<Utc>,
    retry_first: chrono::Duration,
) -> Result<(), StoreError> {
    let mut seen = std::collections::HashSet::new();
    let due: Vec<PushNotice> = store
        .unsettled_push_notices(now - LOOKBACK, now, BATCH)
        .await?
        .into_iter()
        // One message per step and subscription, for its most particular reason, which comes first.
        .filter(|notice| seen.insert((notice.case_id, notice.event.seq, notice.subscription.id)))
        .collect();
    let results: Vec<Result<(), StoreError>> = futures_util::stream::iter(due)
        .map(|notice| deliver_one(store, push, notice, now, retry_first))
        .buffer_unordered(CONCURRENT_SENDS)
        .collect()
        .await;
    results.into_iter().collect()
}

async fn deliver_one(
    store: &dyn Store,
    push: &PushService,
    notice: PushNotice,
    now: DateTime<Utc>,
    retry_first: chrono::Duration,
) -> Result<(), StoreError> {
    let (case_id, seq, subscription) = (notice.case_id, notice.event.seq, notice.subscription.id);
    let channel = PushNotice::channel(subscription);
    let Some(failed_before) = store.claim_notice(case_id, seq, &channel, now).await? else { return Ok(()) };
    let outcome = match payload(&notice) {
        None => NoticeOutcome::Skipped,
        Some(payload) => {
            let keys = web_push::from_base64url(&notice.subscription.p256dh)
                .zip(web_push::from_base64url(&notice.subscription.auth));
            let json = serde_json::to_vec(&payload).unwrap_or_default();
            match keys {
                None => NoticeOutcome::Skipped,
                Some((ua_public, auth_secret)) => {
                    let topic = payload.tag.clone();
                    let message = Message {
                        endpoint: &notice.subscription.endpoint,
                        ua_public: &ua_public,
                        auth_secret: &auth_secret,
                        payload: &json,
                        ttl_seconds: TTL_SECONDS,
                        urgency: Urgency::Normal,
                        topic: Some(&topic),
                    };
                    match web_push::send(&push.client, &push.key, &push.contact, &message, now).await {
                        Delivery::Accepted => {
                            tracing::info!(case_id, seq, subscription, "push notice sent");
                            NoticeOutcome::Sent
                        }
                        Delivery::Gone => {
                            tracing::info!(subscription, "a push subscription is gone; forgetting it");
                            store.forget_push_subscription(subscription).await?;
                            NoticeOutcome::Skipped
                        }
                        Delivery::Refused(status) => {
                            tracing::warn!(case_id, seq, subscription, status, "the push service refused a notice");
                            NoticeOutcome::Failed { retry_at: None }
                        }
                        Delivery::Later(reason) => {
                            let attempts = failed_before + 1;
                            tracing::warn!(case_id, seq, subscription, attempts, %reason, "a push notice failed; will retry");
                            NoticeOutcome::Failed { retry_at: retry_at(now, attempts, retry_first) }
                        }
                    }
                }
            }
        }
    };
    store.settle_notice(case_id, seq, &channel, outcome).await
}

/// Pushes notices every `every`, those of a downtime included, retrying failed ones after one
/// interval and doubling.
pub async fn send_push_notices(
    store: services::store::SharedStore,
    push: Arc<PushService>,
    every: std::time::Duration,
) {
    let retry_first = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::minutes(1));
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = deliver(store.as_ref(), &push, Utc::now(), retry_first).await {
            tracing::warn!(%error, "pushing notices failed; will retry");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::case::{CaseEvent, CaseStatus};
    use services::store::PushSubscription;

    const RULE: EndpointRule = EndpointRule { loopback_http: false };
    const TESTS: EndpointRule = EndpointRule { loopback_http: true };
    const P256DH: &str = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

    #[test]
    fn endpoints_are_https_addresses_of_named_hosts() {
        let ok = |raw: &str, rule| parse_endpoint(raw, rule).is_ok();
        assert!(ok("https://fcm.googleapis.com/fcm/send/abc:def", RULE));
        assert!(ok("https://updates.push.services.mozilla.com/wpush/v2/gAAAA", RULE));
        for refused in [
            "http://push.example.net/x",
            "https://10.0.0.5/x",
            "https://[::1]/x",
            "https://localhost/x",
            "https://user:pw@push.example.net/x",
            "https://push.example.net/x#frag",
            "ftp://push.example.net/x",
            "javascript:alert(1)",
            "push.example.net/x",
        ] {
            assert_eq!(parse_endpoint(refused, RULE), Err(Reason::NotHttpsUrl), "{refused}");
        }
        assert_eq!(parse_endpoint("  ", RULE), Err(Reason::Required));
        let long = format!("https://push.example.net/{}", "a".repeat(MAX_ENDPOINT_CHARS));
        assert_eq!(parse_endpoint(&long, RULE), Err(Reason::TooLong { max: MAX_ENDPOINT_CHARS }));
        assert!(!ok("http://127.0.0.1:9000/push", RULE), "loopback http only by the test rule");
        assert!(ok("http://127.0.0.1:9000/push", TESTS));
        assert!(ok("http://localhost:9000/push", TESTS));
        assert!(!ok("http://10.0.0.5/push", TESTS), "the test rule opens the loopback only");
    }

    #[test]
    fn keys_must_decode_to_their_exact_lengths_and_the_public_key_to_a_point() {
        let parse = |p256dh, auth| parse_subscription(Some("https://push.example.net/x"), p256dh, auth, Lang::En, RULE);
        let kept = parse(Some(P256DH), Some(AUTH)).expect("the RFC's keys");
        assert_eq!((kept.p256dh.as_str(), kept.auth.as_str(), kept.lang), (P256DH, AUTH, Lang::En));
        let fields = |result: Result<NewPushSubscription, Vec<ValidationError>>| {
            result.expect_err("refused").iter().map(|e| (e.field, e.reason)).collect::<Vec<_>>()
        };
        assert_eq!(
            fields(parse(Some(&P256DH[..80]), Some("AAAA"))),
            vec![
                (Field::PushKey, Reason::WrongKeyLength { bytes: 65 }),
                (Field::PushAuth, Reason::WrongKeyLength { bytes: 16 })
            ]
        );
        let mut off_curve = web_push::from_base64url(P256DH).expect("decodes");
        off_curve[64] ^= 1;
        let off_curve = web_push::base64url(&off_curve);
        assert_eq!(
            fields(parse(Some(&off_curve), Some(AUTH))),
            vec![(Field::PushKey, Reason::WrongKeyLength { bytes: 65 })]
        );
        assert_eq!(
            fields(parse(Some("!!"), None)),
            vec![(Field::PushKey, Reason::WrongKeyLength { bytes: 65 }), (Field::PushAuth, Reason::Required)]
        );
        let all = parse_subscription(None, None, None, Lang::Vi, RULE);
        assert_eq!(fields(all).len(), 3, "each field named");
    }

    fn notice(recipient: PushRecipient, change: Change, to_status: CaseStatus) -> PushNotice {
        PushNotice {
            case_id: 12,
            title: "Ổ gà trước số 5".into(),
            event: CaseEvent {
                seq: 2,
                actor_role: ActorRole::Coordinator,
                actor_id: None,
                occurred_at: DateTime::<Utc>::UNIX_EPOCH,
                from_status: Some(CaseStatus::Submitted),
                to_status,
                public: true,
                change,
            },
            subscription: PushSubscription {
                id: 3,
                owner: PushOwner::Account(7),
                endpoint: "https://push.example.net/x".into(),
                p256dh: P256DH.into(),
                auth: AUTH.into(),
                lang: Lang::Vi,
                created_at: DateTime::<Utc>::UNIX_EPOCH,
            },
            recipient,
            account_role: Some(ActorRole::Citizen),
            account_agency: None,
        }
    }

    fn accepted() -> Change {
        Change::Accepted { agency: "urenco".into(), deadline: DateTime::<Utc>::UNIX_EPOCH }
    }

    #[test]
    fn each_recipient_opens_its_own_page() {
        let reporter = payload(&notice(PushRecipient::Reporter, accepted(), CaseStatus::Assigned)).expect("told");
        assert_eq!((reporter.case, reporter.status, reporter.step), (12, "assigned", "accepted"));
        assert_eq!(reporter.url.as_deref(), Some("/cases/12"));
        assert!(reporter.title.contains("#12") && reporter.body.contains("Ổ gà"), "{reporter:?}");

        let receipt = payload(&notice(PushRecipient::Receipt, accepted(), CaseStatus::Assigned)).expect("told");
        assert_eq!((receipt.url, receipt.receipt), (None, true), "only the reporter's browser knows the receipt link");

        let mut officer = notice(PushRecipient::Officer, accepted(), CaseStatus::Assigned);
        officer.account_role = Some(ActorRole::Officer);
        assert_eq!(payload(&officer), None, "an officer of no agency");
        officer.account_agency = Some("other".into());
        assert_eq!(payload(&officer), None, "an officer of another agency");
        officer.account_agency = Some("urenco".into());
        assert_eq!(payload(&officer).and_then(|p| p.url).as_deref(), Some("/staff/cases/12"));
    }

    #[test]
    fn a_rejection_tells_its_reason_but_not_a_follower_of_a_case_held_back() {
        let rejection =
            |reason| Change::Rejected { reason, duplicate_of: None, explanation: "Ngoài địa bàn.".into() };
        let told = payload(&notice(PushRecipient::Follower, rejection(RejectReason::OutOfArea), CaseStatus::Rejected))
            .expect("told");
        assert!(told.body.contains("Ngoài địa bàn."), "{told:?}");
        assert_eq!(
            payload(&notice(PushRecipient::Follower, rejection(RejectReason::Inappropriate), CaseStatus::Rejected)),
            None
        );
        let reporter =
            payload(&notice(PushRecipient::Reporter, rejection(RejectReason::Inappropriate), CaseStatus::Rejected));
        assert!(reporter.is_some(), "the reporter still reads why");
        let mut staff = notice(PushRecipient::Reporter, accepted(), CaseStatus::Assigned);
        staff.account_role = Some(ActorRole::Operator);
        assert_eq!(payload(&staff), None, "only a citizen is a case's reporter");
    }

    #[test]
    fn a_long_note_keeps_the_message_in_one_record() {
        let long =
            Change::Rejected { reason: RejectReason::OutOfArea, duplicate_of: None, explanation: "ồ".repeat(4000) };
        let told = payload(&notice(PushRecipient::Reporter, long, CaseStatus::Rejected)).expect("told");
        assert_eq!(told.body.chars().count(), BODY_CHARS);
        assert!(serde_json::to_vec(&told).expect("JSON").len() <= web_push::MAX_PLAINTEXT);
    }

    #[test]
    fn the_contact_is_the_setting_the_https_site_or_the_sender() {
        let mut settings = Settings::local("sqlite::memory:");
        assert_eq!(push_contact(&settings), "mailto:no-reply@localhost");
        settings.public_url = "https://phananh.example.vn/".into();
        assert_eq!(push_contact(&settings), "https://phananh.example.vn");
        settings.push_contact = Some("mailto:ops@example.vn".into());
        assert_eq!(push_contact(&settings), "mailto:ops@example.vn");
    }
}
