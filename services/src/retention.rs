//! How long personal data is kept after a case finishes, and the job that erases what is past it.

use crate::changes::{apply_change, ChangeError};
use crate::store::Store;
use chrono::{DateTime, Duration, Months, Utc};
use domain::workflow::{Actor, Change};

/// The retention rules: how long after a case is closed or rejected its reporter's contact and its
/// calls' numbers are kept, and how long the photos of a report rejected as inappropriate are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    pub contacts: Months,
    pub inappropriate_photos: Duration,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self { contacts: Months::new(12), inappropriate_photos: Duration::days(30) }
    }
}

impl RetentionPolicy {
    /// Cases finished before this have outlived their contacts at `now`.
    pub fn contacts_before(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.checked_sub_months(self.contacts).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

/// What one run of the job erased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErasureRun {
    /// `PersonalDataErased` events appended (a case erased under two rules counts twice).
    pub erasures: u32,
    /// Calls about no case whose number was emptied.
    pub unattached_calls: u64,
}

/// Cases looked at per query: a run's memory stays bounded however many cases are due.
const BATCH: u32 = 200;
/// Queries per run: a backlog (the first run after an upgrade) is worked off over a few runs.
const MOST_BATCHES: u32 = 50;

/// Erases the personal data that is past its retention at `now`, each case's with an event on the
/// case in the same transaction. Safe on every server at once and idempotent: what is erased is no
/// longer found, and of two servers erasing one case at one version only one event is appended.
pub async fn erase_expired(
    store: &dyn Store,
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
) -> Result<ErasureRun, ChangeError> {
    let contacts_before = policy.contacts_before(now);
    let photos_before = now - policy.inappropriate_photos;
    let mut run = ErasureRun::default();
    for _ in 0..MOST_BATCHES {
        let due = store.erasable_cases(contacts_before, photos_before, BATCH).await?;
        let mut erased_any = false;
        for case in &due {
            let change = Change::PersonalDataErased {
                reason: case.reason,
                contact: case.contact,
                call_numbers: case.call_numbers,
                photos: case.photos,
            };
            match apply_change(store, case.case_id, case.version, &Actor::system(), change, now).await {
                Ok(_) => {
                    run.erasures += 1;
                    erased_any = true;
                }
                // Another server erased it first, or a call was logged just now: the next run sees it afresh.
                Err(ChangeError::Conflict(_)) | Err(ChangeError::Refused(_)) => {}
                Err(error) => return Err(error),
            }
        }
        if !erased_any {
            break;
        }
    }
    run.unattached_calls = store.erase_unattached_call_numbers(contacts_before).await?;
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn contacts_are_kept_twelve_calendar_months_by_default() {
        let now = Utc.with_ymd_and_hms(2027, 3, 31, 8, 0, 0).single().expect("a time");
        let before = RetentionPolicy::default().contacts_before(now);
        assert_eq!(before, Utc.with_ymd_and_hms(2026, 3, 31, 8, 0, 0).single().expect("a time"));
        let leap = Utc.with_ymd_and_hms(2028, 2, 29, 0, 0, 0).single().expect("a time");
        assert_eq!(
            RetentionPolicy::default().contacts_before(leap),
            Utc.with_ymd_and_hms(2027, 2, 28, 0, 0, 0).single().expect("a time"),
            "a month end without its day falls back to the month's last day"
        );
    }
}
