//! How long a client waits before its next sign-in after failing: per username and per client address, doubling with each failure.

use chrono::{DateTime, Duration, Utc};

/// Failed sign-ins of one client over the throttle's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginFailures {
    /// With the username now tried.
    pub for_username: FailureRun,
    /// With any username.
    pub for_client: FailureRun,
}

/// How many failures, and when the latest was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureRun {
    pub count: u32,
    pub latest: Option<DateTime<Utc>>,
}

/// The back-off rules. Failures are counted per client address, so someone guessing an account's
/// password from one address never locks its owner out at another, and the wait doubles with
/// each failure past a few free ones, so guessing slows to a crawl while a mistyped password
/// costs a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures for one username from one client before any wait.
    pub free_per_username: u32,
    /// Failures over every username from one client before any wait: enough for a shared
    /// office address, too few to try a password on many accounts.
    pub free_per_client: u32,
    /// The first wait; each further failure doubles it.
    pub first_wait: Duration,
    pub longest_wait_per_username: Duration,
    pub longest_wait_per_client: Duration,
    /// Failures older than this are forgotten, and purged.
    pub window: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            free_per_username: 5,
            free_per_client: 30,
            first_wait: Duration::seconds(1),
            longest_wait_per_username: Duration::minutes(15),
            longest_wait_per_client: Duration::hours(1),
            window: Duration::hours(24),
        }
    }
}

impl LoginThrottle {
    /// How long the client must still wait at `now` before trying again, if at all.
    pub fn wait(&self, failures: &LoginFailures, now: DateTime<Utc>) -> Option<Duration> {
        let runs = [
            (failures.for_username, self.free_per_username, self.longest_wait_per_username),
            (failures.for_client, self.free_per_client, self.longest_wait_per_client),
        ];
        runs.into_iter()
            .filter_map(|(run, free, longest)| {
                let latest = run.latest?;
                let pause = self.pause(run.count, free, longest)?;
                let remaining = latest + pause - now;
                (remaining > Duration::zero()).then_some(remaining)
            })
            .max()
    }

    /// The wait after `count` failures when `free` of them cost nothing.
    fn pause(&self, count: u32, free: u32, longest: Duration) -> Option<Duration> {
        let doublings = count.checked_sub(free)?;
        // Past 2^20 seconds the cap has long been reached; stopping there keeps the arithmetic small.
        let factor = 1_i32 << doublings.min(20);
        Some((self.first_wait * factor).min(longest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).expect("a time")
    }

    fn failures(for_username: u32, for_client: u32, latest: DateTime<Utc>) -> LoginFailures {
        LoginFailures {
            for_username: FailureRun { count: for_username, latest: Some(latest) },
            for_client: FailureRun { count: for_client, latest: Some(latest) },
        }
    }

    #[test]
    fn a_client_that_has_not_failed_never_waits() {
        assert_eq!(LoginThrottle::default().wait(&LoginFailures::default(), at(0)), None);
    }

    #[test]
    fn the_wait_doubles_past_the_free_failures_up_to_its_cap() {
        let throttle = LoginThrottle::default();
        let waits: Vec<Option<i64>> = (0..=16)
            .map(|count| throttle.wait(&failures(count, count, at(0)), at(0)).map(|w| w.num_seconds()))
            .collect();
        assert_eq!(&waits[..5], &[None; 5], "a few mistyped passwords cost nothing");
        assert_eq!(&waits[5..10], &[Some(1), Some(2), Some(4), Some(8), Some(16)]);
        assert_eq!(waits[15], Some(900), "at most a quarter of an hour per username");
        assert_eq!(throttle.wait(&failures(5, 5, at(0)), at(1)), None, "the wait runs from the latest failure");
        let huge = throttle.wait(&failures(u32::MAX, u32::MAX, at(0)), at(0)).expect("a wait");
        assert_eq!(huge, Duration::hours(1), "the per-client cap, with no overflow");
    }

    #[test]
    fn many_usernames_from_one_client_make_it_wait_too() {
        let throttle = LoginThrottle::default();
        let spread = LoginFailures {
            for_username: FailureRun { count: 1, latest: Some(at(0)) },
            for_client: FailureRun { count: 31, latest: Some(at(0)) },
        };
        assert_eq!(throttle.wait(&spread, at(0)), Some(Duration::seconds(2)));
    }
}
