//! The time the deadline jobs (escalation, staff digests and their mail) go by: the system's, or one set by hand for tests.

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// A clock the scheduled jobs read. Requests always go by the system's time; only the jobs that
/// act at a set hour of a working day read this, so that a test can move them to that hour.
#[derive(Clone, Default)]
pub struct Clock {
    /// The time it stands at, in microseconds since 1970; `None` for the system's clock.
    manual: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock standing still at `at` until [`Clock::set`] moves it; every clone moves with it.
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self { manual: Some(Arc::new(AtomicI64::new(at.timestamp_micros()))) }
    }

    /// Moves a manual clock to `at`; the system's clock is not moved.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(manual) = &self.manual {
            manual.store(at.timestamp_micros(), Ordering::SeqCst);
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.manual
            .as_ref()
            .and_then(|manual| DateTime::from_timestamp_micros(manual.load(Ordering::SeqCst)))
            .unwrap_or_else(Utc::now)
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.manual {
            None => f.write_str("Clock::system"),
            Some(_) => write!(f, "Clock::manual({})", self.now()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_moved_and_its_clones_move_with_it() {
        let start = "2001-12-03T00:00:00Z".parse::<DateTime<Utc>>().expect("a time");
        let clock = Clock::manual(start);
        let seen_by_a_job = clock.clone();
        assert_eq!(seen_by_a_job.now(), start);
        clock.set(start + chrono::Duration::hours(7));
        assert_eq!(seen_by_a_job.now(), start + chrono::Duration::hours(7));
        let system = Clock::system();
        system.set(start);
        assert!(system.now() > start, "the system's clock is not moved");
    }
}
