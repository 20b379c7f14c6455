//! Server functions of "me too": the screened cases near a pin a citizen may support instead of reporting again, and adding that support.

use crate::codec::FieldJson;
use crate::error::AppError;
use domain::case::CaseStatus;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A screened case near the pin that the citizen may be about to report again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportSuggestion {
    pub id: i64,
    pub title: String,
    pub status: CaseStatus,
    /// How far from the pin, in metres.
    pub metres: u32,
    pub supporters: u32,
}

/// The answer to a support: the case's count with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportOutcome {
    pub id: i64,
    pub supporters: u32,
}

/// The most suggestions a form shows: the nearest.
pub const MAX_SUGGESTIONS: usize = 5;

/// Screened cases of `category` still being worked on within the duplicate distance of the pin,
/// nearest first: what the report form asks "is it one of these?" about. Anyone may ask; only
/// what the public sees is answered.
#[server(prefix = "/api", endpoint = "nearby_cases", input = GetUrl, output = crate::codec::JsonText)]
pub async fn nearby_cases(category: String, lat: f64, lon: f64) -> Result<Vec<SupportSuggestion>, AppError> {
    server::nearby_cases(category, lat, lon).await
}

/// Adds the asker's support to case `id`: a signed-in citizen's once per account, an anonymous
/// person's once per device (a device cookie, of which the server keeps only the hash). Staff
/// support nothing in their own name. A second support is refused naming why.
#[server(prefix = "/api", endpoint = "support_case", input = FieldJson, output = crate::codec::JsonText)]
pub async fn support_case(id: i64) -> Result<SupportOutcome, AppError> {
    server::support_case(id).await
}

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: who may support, the device cookie, and the answers' refusals in the asker's language.

    use super::*;
    use crate::error::with_status;
    use crate::request::{request_lang, store_failure};
    use chrono::{Duration, Utc};
    use domain::case::{held_back, ActorRole, CaseAccess};
    use domain::validation::{Field, Reason, ValidationError};
    use domain::workflow::{Refusal, SUPPORTABLE};
    use services::changes::ChangeError;
    use services::rate_limits::Limited;
    use services::store::CaseQuery;
    use services::visibility::seen_case;
    use services::ServerContext;

    /// The cookie that tells one anonymous device's supports apart.
    const DEVICE_COOKIE: &str = "hientruong_device";
    /// How long a device keeps its key: supports older than that may be given again.
    const DEVICE_COOKIE_DAYS: i64 = 730;
    /// How far back a screened case counts as one a citizen may be reporting again.
    const SUGGESTION_WINDOW_DAYS: i64 = 365;

    fn invalid(field: Field, reason: Reason) -> AppError {
        with_status(AppError::invalid(request_lang(), vec![ValidationError::new(field, reason)]))
    }

    fn distance_metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let (lat1, lon1, lat2, lon2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
        let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
        2.0 * 6_371_000.0 * h.sqrt().asin()
    }

    pub async fn nearby_cases(category: String, lat: f64, lon: f64) -> Result<Vec<SupportSuggestion>, AppError> {
        let context = crate::request::context()?;
        if !(lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)) {
            return Err(invalid(Field::Location, Reason::OutOfRange));
        }
        let store = context.store.as_ref();
        let categories = store.categories().await.map_err(store_failure)?;
        if !categories.iter().any(|c| c.active && c.code == category) {
            return Err(invalid(Field::Category, Reason::UnknownCategory));
        }
        let radius = context.screening.duplicate_radius_metres;
        let degrees_lat = radius / 111_000.0;
        let degrees_lon = degrees_lat / lat.to_radians().cos().max(0.01);
        let now = Utc::now();
        let near = CaseQuery::Near {
            category,
            south: lat - degrees_lat,
            north: lat + degrees_lat,
            west: lon - degrees_lon,
            east: lon + degrees_lon,
            since: now - Duration::days(SUGGESTION_WINDOW_DAYS),
            until: now,
        };
        let mut found: Vec<SupportSuggestion> = store
            .list_cases(&near, 500)
            .await
            .map_err(store_failure)?
            .into_iter()
            .filter(|case| !held_back(case.facts.status, case.facts.rejection))
            .filter(|case| SUPPORTABLE.contains(&case.facts.status) && case.facts.merged_into.is_none())
            .map(|case| SupportSuggestion {
                metres: distance_metres((lat, lon), (case.lat, case.lon)).round() as u32,
                id: case.id,
                title: case.title,
                status: case.facts.status,
                supporters: case.facts.supporters,
            })
            .filter(|suggestion| f64::from(suggestion.metres) <= radius)
            .collect();
        found.sort_by_key(|s| (s.metres, std::cmp::Reverse(s.id)));
        found.truncate(MAX_SUGGESTIONS);
        Ok(found)
    }

    /// The value of cookie `name` in the request, if it has one.
    fn request_cookie(name: &str) -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(cookie, _)| *cookie == name)
            .map(|(_, value)| value.to_string())
    }

    /// The hash of this device's key: the key its cookie holds, or a new one given to it now.
    fn device_hash(context: &ServerContext) -> String {
        let key = request_cookie(DEVICE_COOKIE)
            .filter(|key| key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()))
            .unwrap_or_else(|| {
                let key = crate::auth::new_secret();
                let cookie = format!(
                    "{DEVICE_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
                    Duration::days(DEVICE_COOKIE_DAYS).num_seconds(),
                    if context.secure_cookies { "; Secure" } else { "" }
                );
                if let (Some(options), Ok(header)) =
                    (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&cookie))
                {
                    options.append_header(http::header::SET_COOKIE, header);
                }
                key
            });
        crate::auth::token_hash(&key)
    }

    /// Authorizes first: only a citizen or an anonymous person supports (403 for staff, before
    /// the case is read), and only a case the asker may see (404 alike for a hidden and a missing one).
    pub async fn support_case(id: i64) -> Result<SupportOutcome, AppError> {
        let context = crate::request::context()?;
        let account = crate::auth::working_account(&context).await?;
        let actor =
            account.as_ref().map(|a| a.actor()).unwrap_or_else(|| domain::workflow::Actor::new(ActorRole::Anonymous));
        if !matches!(actor.role, ActorRole::Citizen | ActorRole::Anonymous) {
            return Err(with_status(AppError::Forbidden));
        }
        if let Some(account_id) = actor.account_id {
            crate::request::count_for_account(&context, Limited::Support, account_id)?;
        }
        let store = context.store.as_ref();
        let seen = seen_case(store, id, account.as_ref(), None).await?;
        if seen.is_none_or(|seen| seen.access < CaseAccess::Public) {
            return Err(with_status(AppError::NotFound));
        }
        let device = (actor.role == ActorRole::Anonymous).then(|| device_hash(&context));
        let supported = services::support::support_case(store, id, &actor, device.as_deref(), Utc::now()).await;
        match supported {
            Ok(facts) => Ok(SupportOutcome { id, supporters: facts.supporters }),
            Err(ChangeError::Refused(Refusal::AlreadySupported)) => {
                Err(invalid(Field::CaseNumber, Reason::AlreadySupported))
            }
            Err(ChangeError::Refused(Refusal::OwnReport)) => Err(invalid(Field::CaseNumber, Reason::OwnReport)),
            Err(ChangeError::Refused(Refusal::WrongState)) => {
                Err(invalid(Field::CaseNumber, Reason::NotOpenForSupport))
            }
            Err(error) => Err(error.into()),
        }
    }
}
