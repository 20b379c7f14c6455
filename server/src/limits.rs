//! Rate limits per client address: how often one client may file reports, register, sign in, upload photos, claim reports, post to Open311 and export.

use crate::rest::RequestLang;
use anyhow::Context;
use app::error::AppError;
use app::i18n::too_many_requests;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// An action whose rate a client is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limited {
    /// Filing a report, from the form or the hotline console.
    Intake,
    Registration,
    Login,
    PhotoUpload,
    /// Claiming a phoned-in report.
    Claim,
    Open311Post,
    Export,
}

impl Limited {
    pub const ALL: [Limited; 7] = [
        Limited::Intake,
        Limited::Registration,
        Limited::Login,
        Limited::PhotoUpload,
        Limited::Claim,
        Limited::Open311Post,
        Limited::Export,
    ];

    /// The name its setting carries: `HIENTRUONG_RATE_<NAME>`.
    pub fn name(self) -> &'static str {
        match self {
            Limited::Intake => "INTAKE",
            Limited::Registration => "REGISTRATION",
            Limited::Login => "LOGIN",
            Limited::PhotoUpload => "UPLOAD",
            Limited::Claim => "CLAIM",
            Limited::Open311Post => "OPEN311",
            Limited::Export => "EXPORT",
        }
    }

    /// What one address may do by default. A citizen files a few reports a day, while a hotline
    /// office behind one address files dozens an hour, so intake is counted generously; sign-in
    /// and registration are what guessing and spam need most, so they are counted tightly.
    pub fn default_rule(self) -> Rule {
        let (count, period) = match self {
            Limited::Intake => (60, HOUR),
            Limited::Registration => (10, HOUR),
            Limited::Login => (30, QUARTER_HOUR),
            Limited::PhotoUpload => (300, HOUR),
            Limited::Claim => (10, HOUR),
            Limited::Open311Post => (600, HOUR),
            Limited::Export => (60, HOUR),
        };
        Rule { count: NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN), period }
    }

    /// The limited action a request is, by its method and path; `None` for everything else.
    pub fn of(method: &Method, path: &str) -> Option<Self> {
        match (method, path) {
            (&Method::POST, "/api/submit_case" | "/api/hotline/report") => Some(Limited::Intake),
            (&Method::POST, "/api/register") => Some(Limited::Registration),
            (&Method::POST, "/api/login") => Some(Limited::Login),
            (&Method::POST, "/api/v1/photos") => Some(Limited::PhotoUpload),
            (&Method::POST, "/api/my/claim") => Some(Limited::Claim),
            (&Method::POST, path) if path.starts_with("/open311/v2/requests") => Some(Limited::Open311Post),
            (&Method::GET, "/api/v1/cases.csv" | "/api/v1/cases.geojson") => Some(Limited::Export),
            _ => None,
        }
    }
}

const HOUR: Duration = Duration::from_secs(3600);
const QUARTER_HOUR: Duration = Duration::from_secs(900);

/// `count` requests per `period`, the allowance refilling evenly over the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub count: NonZeroU32,
    pub period: Duration,
}

impl Rule {
    /// Reads `COUNT/UNIT`, the unit one of `s`, `min`, `h` or `d`: `30/h`, `5/min`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (count, unit) = raw.trim().split_once('/')?;
        let count = NonZeroU32::new(count.trim().parse().ok()?)?;
        let seconds = match unit.trim() {
            "s" => 1,
            "min" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return None,
        };
        Some(Self { count, period: Duration::from_secs(seconds) })
    }

    fn quota(self) -> Quota {
        let refill = (self.period / self.count.get()).max(Duration::from_millis(1));
        Quota::with_period(refill).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN)).allow_burst(self.count)
    }
}

/// How a request's client address is told: what rate limits and upload quotas count by, whether
/// or not rate limits are on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientAddresses {
    /// Proxies whose `X-Forwarded-For` is believed; empty believes none.
    trusted_proxies: Vec<IpAddr>,
}

impl ClientAddresses {
    pub fn new(trusted_proxies: Vec<IpAddr>) -> Self {
        Self { trusted_proxies }
    }

    /// The proxies `HIENTRUONG_TRUSTED_PROXIES` lists, comma-separated; none when unset.
    pub fn from_env() -> anyhow::Result<Self> {
        let trusted_proxies = std::env::var("HIENTRUONG_TRUSTED_PROXIES")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|raw| raw.split(',').map(|ip| ip.trim().parse::<IpAddr>()).collect::<Result<Vec<_>, _>>())
            .transpose()
            .context("HIENTRUONG_TRUSTED_PROXIES must be a comma-separated list of IP addresses")?
            .unwrap_or_default();
        Ok(Self { trusted_proxies })
    }

    /// The client a request comes from: its peer, or, when the peer is a trusted proxy, the
    /// nearest address in `X-Forwarded-For` that is not one of the trusted proxies.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        forwarded.into_iter().rev().find(|hop| !self.trusted_proxies.contains(hop)).unwrap_or(peer)
    }
}

/// The limits in force, each counted per client address within this server.
pub struct RateLimits {
    limiters: Vec<(Limited, DefaultKeyedRateLimiter<IpAddr>)>,
    clients: ClientAddresses,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let limited: Vec<Limited> = self.limiters.iter().map(|(action, _)| *action).collect();
        f.debug_struct("RateLimits").field("limited", &limited).field("clients", &self.clients).finish()
    }
}

impl RateLimits {
    pub fn new(rules: &[(Limited, Rule)], trusted_proxies: Vec<IpAddr>) -> Self {
        let limiters = rules.iter().map(|(action, rule)| (*action, RateLimiter::keyed(rule.quota()))).collect();
        Self { limiters, clients: ClientAddresses::new(trusted_proxies) }
    }

    /// Every action at its default rule.
    pub fn defaults() -> Self {
        let rules: Vec<(Limited, Rule)> = Limited::ALL.iter().map(|action| (*action, action.default_rule())).collect();
        Self::new(&rules, Vec::new())
    }

    /// The limits the environment sets: `HIENTRUONG_RATE_LIMITS=off` turns them all off (for load
    /// tests and benchmarks); `HIENTRUONG_RATE_<NAME>=COUNT/UNIT` changes one. Clients are told
    /// apart by `clients`.
    pub fn from_env(clients: &ClientAddresses) -> anyhow::Result<Option<Self>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        match var("HIENTRUONG_RATE_LIMITS").as_deref().map(str::trim) {
            None | Some("on") => {}
            Some("off") => return Ok(None),
            Some(other) => anyhow::bail!("HIENTRUONG_RATE_LIMITS must be on or off, not {other:?}"),
        }
        let mut rules = Vec::new();
        for action in Limited::ALL {
            let name = format!("HIENTRUONG_RATE_{}", action.name());
            let rule = match var(&name) {
                Some(raw) => Rule::parse(&raw).with_context(|| format!("{name} must read like 30/h or 5/min"))?,
                None => action.default_rule(),
            };
            rules.push((action, rule));
        }
        let limiters = rules.iter().map(|(action, rule)| (*action, RateLimiter::keyed(rule.quota()))).collect();
        Ok(Some(Self { limiters, clients: clients.clone() }))
    }

    /// The client a request comes from, as [`ClientAddresses::client`] tells it.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        self.clients.client(peer, headers)
    }

    /// Counts one `action` by `client`; past its limit, how long until it may ask again.
    pub fn check(&self, action: Limited, client: IpAddr) -> Result<(), Duration> {
        let Some((_, limiter)) = self.limiters.iter().find(|(limited, _)| *limited == action) else { return Ok(()) };
        limiter.check_key(&client).map_err(|refused| refused.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets clients that have their whole allowance back, so the tables stay small.
    pub fn forget_idle(&self) {
        for (_, limiter) in &self.limiters {
            limiter.retain_recent();
        }
    }
}

/// Refuses a limited request past its client's limit with 429 and `Retry-After`, in the shape
/// its route answers errors with. Requests that came through no socket (in-process calls) pass.
pub async fn guard(State(limits): State<Arc<RateLimits>>, request: Request, next: Next) -> Response {
    let Some(action) = Limited::of(request.method(), request.uri().path()) else { return next.run(request).await };
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() else {
        return next.run(request).await;
    };
    let client = limits.client(peer.ip(), request.headers());
    match limits.check(action, client) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            tracing::warn!(action = action.name(), %client, "rate limit reached");
            let lang = RequestLang::of(request.headers());
            refusal(request.uri().path(), lang, wait)
        }
    }
}

fn refusal(path: &str, asked: RequestLang, wait: Duration) -> Response {
    let retry_after_seconds = wait.as_secs().max(1);
    let body = if path.starts_with("/open311/") {
        let message = too_many_requests(asked.or(app::i18n::Lang::En), retry_after_seconds);
        serde_json::json!([{ "code": 429, "description": message }])
    } else if path.starts_with("/api/v1/") {
        serde_json::json!({ "errors": [{ "message": too_many_requests(asked.lang(), retry_after_seconds) }] })
    } else {
        // A server function: the error its caller decodes and shows in the form.
        serde_json::to_value(AppError::TooManyRequests { retry_after_seconds }).unwrap_or_default()
    };
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().expect("an address")
    }

    #[test]
    fn rules_read_as_count_per_unit() {
        let rule = |count: u32, seconds: u64| {
            Some(Rule { count: NonZeroU32::new(count).expect("count"), period: Duration::from_secs(seconds) })
        };
        assert_eq!(Rule::parse("30/h"), rule(30, 3600));
        assert_eq!(Rule::parse(" 5 / min "), rule(5, 60));
        assert_eq!(Rule::parse("2/d"), rule(2, 86_400));
        for bad in ["0/h", "-1/h", "30", "30/week", "x/s", ""] {
            assert_eq!(Rule::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn requests_are_classified_by_method_and_path() {
        assert_eq!(Limited::of(&Method::POST, "/api/submit_case"), Some(Limited::Intake));
        assert_eq!(Limited::of(&Method::POST, "/api/hotline/report"), Some(Limited::Intake));
        assert_eq!(Limited::of(&Method::POST, "/open311/v2/requests.json"), Some(Limited::Open311Post));
        assert_eq!(Limited::of(&Method::GET, "/open311/v2/requests.json"), None, "reading is not limited here");
        assert_eq!(Limited::of(&Method::GET, "/api/v1/cases.csv"), Some(Limited::Export));
        assert_eq!(Limited::of(&Method::GET, "/map"), None);
    }

    #[test]
    fn past_its_allowance_a_client_waits_while_another_goes_on() {
        let rule = Rule { count: NonZeroU32::new(3).expect("count"), period: HOUR };
        let limits = RateLimits::new(&[(Limited::Registration, rule)], Vec::new());
        let (one, other) = (ip("203.0.113.5"), ip("203.0.113.6"));
        for _ in 0..3 {
            assert_eq!(limits.check(Limited::Registration, one), Ok(()));
        }
        let wait = limits.check(Limited::Registration, one).expect_err("the fourth waits");
        assert!(
            wait > Duration::from_secs(1_000) && wait <= Duration::from_secs(1_200),
            "{wait:?}: a third of an hour"
        );
        assert_eq!(limits.check(Limited::Registration, other), Ok(()));
        assert_eq!(limits.check(Limited::Login, one), Ok(()), "an action without a rule is not limited");
    }

    #[test]
    fn forwarded_addresses_are_believed_from_trusted_proxies_only() {
        let proxy = ip("10.0.0.2");
        let limits = RateLimits::new(&[], vec![proxy]);
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("198.51.100.7, 203.0.113.9, 10.0.0.2"));
        assert_eq!(limits.client(proxy, &headers), ip("203.0.113.9"), "the nearest hop the proxies did not add");
        assert_eq!(limits.client(ip("192.0.2.1"), &headers), ip("192.0.2.1"), "anyone else's header is ignored");
        assert_eq!(limits.client(proxy, &HeaderMap::new()), proxy);
    }
}
