//! What every request on the server can reach: the store, the live case index, and the province's settings.

use crate::account_links::AccountMail;
use crate::case_index::CaseIndex;
use crate::rate_limits::{Counted, Limited, RateLimits};
use crate::store::SharedStore;
use std::sync::Arc;

/// The server's shared state, handed to every request.
#[derive(Clone)]
pub struct ServerContext {
    pub store: SharedStore,
    /// Every case in memory, for maps and statistics; follows the database.
    pub index: Arc<CaseIndex>,
    /// Map tile URL template handed to the browser.
    pub tile_url: String,
    pub screening: ScreeningRules,
    /// Handled cases an agency needs in a period before the statistics rank it.
    pub ranking_minimum: u64,
    /// How long sessions last.
    pub sessions: SessionRules,
    /// The site is served over https: the session cookie is `Secure` and `__Host-` prefixed.
    pub secure_cookies: bool,
    /// How often one address, account or API key may act; `None` leaves every action unlimited.
    pub rate_limits: Option<Arc<RateLimits>>,
    /// The licence the open data is published under.
    pub open_data_licence: domain::open_data::Licence,
    /// How long personal data is kept after a case finishes: what the job erases and the privacy notice states.
    pub retention: crate::retention::RetentionPolicy,
    /// Where the links verifying an address or resetting a password are mailed; `None` when no
    /// relay is configured, and then none is sent.
    pub account_mail: Option<Arc<dyn AccountMail>>,
    /// The geocoding service the map's search box also asks for places; `None` asks only the
    /// province's own areas.
    pub geocoder: Option<Arc<dyn crate::places::Geocoder>>,
    /// When a deadline's reminder and leader steps come.
    pub escalation: domain::escalation::EscalationRules,
}

impl ServerContext {
    /// Counts one `action` by `who` against its limit, if limits are on; past it, how long to wait.
    pub fn count(&self, action: Limited, who: Counted) -> Result<(), std::time::Duration> {
        self.rate_limits.as_ref().map_or(Ok(()), |limits| limits.check(action, who))
    }
}

/// How long a session lasts: unused, and at most. Staff sessions open more than a citizen's, so
/// they end sooner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRules {
    pub citizen_idle: chrono::Duration,
    pub staff_idle: chrono::Duration,
    pub citizen_lifetime: chrono::Duration,
    pub staff_lifetime: chrono::Duration,
}

impl Default for SessionRules {
    fn default() -> Self {
        Self {
            citizen_idle: chrono::Duration::days(30),
            staff_idle: chrono::Duration::hours(12),
            citizen_lifetime: chrono::Duration::days(90),
            staff_lifetime: chrono::Duration::days(7),
        }
    }
}

impl SessionRules {
    /// How long a session of `role` lasts unused.
    pub fn idle(&self, role: domain::case::ActorRole) -> chrono::Duration {
        if role == domain::case::ActorRole::Citizen {
            self.citizen_idle
        } else {
            self.staff_idle
        }
    }

    /// How long a session of `role` lasts at most, however busy.
    pub fn lifetime(&self, role: domain::case::ActorRole) -> chrono::Duration {
        if role == domain::case::ActorRole::Citizen {
            self.citizen_lifetime
        } else {
            self.staff_lifetime
        }
    }
}

/// How screening looks for possible duplicates: same category, this close, this recent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreeningRules {
    pub duplicate_radius_metres: f64,
    pub duplicate_window_days: i64,
}

impl Default for ScreeningRules {
    fn default() -> Self {
        Self { duplicate_radius_metres: 150.0, duplicate_window_days: 30 }
    }
}

/// The address a request comes from, as the server believes it (see the server's trusted proxies):
/// what rate limits, login throttling and upload quotas count by. Set on every request that
/// arrived through a socket; absent on in-process calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub std::net::IpAddr);
