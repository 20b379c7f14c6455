//! Rate limits: how often one client address, account or API key may file reports, register, sign in, upload photos, claim reports, post to Open311, export, and have account links mailed.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// Who a limit counts: the address a request comes from, and, where it is known, the account
/// signed in or the API key used, so that neither many addresses sharing one account nor one
/// integrator's key escapes its allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counted {
    Address(IpAddr),
    Account(i64),
    ApiKey(i64),
}

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
    /// Asking for a message with an account link: a password reset, an address's verification.
    AccountMail,
    /// Adding one's support ("me too") to a case.
    Support,
}

impl Limited {
    pub const ALL: [Limited; 9] = [
        Limited::Intake,
        Limited::Registration,
        Limited::Login,
        Limited::PhotoUpload,
        Limited::Claim,
        Limited::Open311Post,
        Limited::Export,
        Limited::AccountMail,
        Limited::Support,
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
            Limited::AccountMail => "ACCOUNT_MAIL",
            Limited::Support => "SUPPORT",
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
            // Each one mails somebody: a person needs a few, a sender of unwanted mail many.
            Limited::AccountMail => (10, HOUR),
            // A person supports a few cases near them; many a minute is someone inflating counts.
            Limited::Support => (30, HOUR),
        };
        Rule { count: NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN), period }
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

/// The limits in force, each counted per client address within this server.
pub struct RateLimits {
    limiters: Vec<(Limited, DefaultKeyedRateLimiter<Counted>)>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let limited: Vec<Limited> = self.limiters.iter().map(|(action, _)| *action).collect();
        f.debug_struct("RateLimits").field("limited", &limited).finish()
    }
}

impl RateLimits {
    pub fn new(rules: &[(Limited, Rule)]) -> Self {
        let limiters = rules.iter().map(|(action, rule)| (*action, RateLimiter::keyed(rule.quota()))).collect();
        Self { limiters }
    }

    /// Counts one `action` by `who`; past its limit, how long until it may ask again.
    pub fn check(&self, action: Limited, who: Counted) -> Result<(), Duration> {
        let Some((_, limiter)) = self.limiters.iter().find(|(limited, _)| *limited == action) else { return Ok(()) };
        limiter.check_key(&who).map_err(|refused| refused.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets clients that have their whole allowance back, so the tables stay small.
    pub fn forget_idle(&self) {
        for (_, limiter) in &self.limiters {
            limiter.retain_recent();
        }
    }
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
    fn past_its_allowance_a_client_waits_while_another_goes_on() {
        let rule = Rule { count: NonZeroU32::new(3).expect("count"), period: HOUR };
        let limits = RateLimits::new(&[(Limited::Registration, rule)]);
        let (one, other) = (Counted::Address(ip("203.0.113.5")), Counted::Address(ip("203.0.113.6")));
        for _ in 0..3 {
            assert_eq!(limits.check(Limited::Registration, one), Ok(()));
        }
        let wait = limits.check(Limited::Registration, one).expect_err("the fourth waits");
        assert!(
            wait > Duration::from_secs(1_000) && wait <= Duration::from_secs(1_200),
            "{wait:?}: a third of an hour"
        );
        assert_eq!(limits.check(Limited::Registration, other), Ok(()));
        assert_eq!(limits.check(Limited::Registration, Counted::Account(7)), Ok(()), "an account is counted apart");
        assert_eq!(limits.check(Limited::Login, one), Ok(()), "an action without a rule is not limited");
    }
}
