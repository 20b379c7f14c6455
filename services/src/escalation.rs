//! The escalation job: each step of a deadline's ladder that is due becomes an event on its case, once, whichever server takes it.

use crate::changes::{apply_change, ChangeError};
use crate::store::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use domain::catalogue::Category;
use domain::deadline::HolidayCalendar;
use domain::escalation::{due_steps, EscalationRules};
use domain::workflow::{Actor, Change};
use std::collections::HashMap;

/// Cases looked at per run; the earliest deadlines first, the rest at the next run.
const BATCH: u32 = 500;

/// How far past `now` a deadline may lie for its reminder to be due: the reminder's working days
/// before it, and the longest stretch of holidays and weekends between them.
fn lookahead(reminder_days_before: u16) -> Duration {
    Duration::days(i64::from(reminder_days_before) * 2 + 14)
}

/// How long after its deadline a case is still escalated: a ladder is for news, and a case
/// overdue for longer (one migrated from an older system, or a database restored from long ago)
/// is on the leader's overdue list already, not news to send.
pub const STALE_AFTER: Duration = Duration::days(30);

/// Takes every step of the ladder due at `now`: the case's `DeadlineEscalated` events, in order.
/// `rules` are the province's; a category may set its own steps. Several servers may run this at
/// once: each event names the case's version, so a step another server took first is refused and
/// skipped, never taken twice. Answers the steps taken here.
pub async fn escalate_due(store: &dyn Store, rules: &EscalationRules, now: DateTime<Utc>) -> Result<u32, StoreError> {
    let calendar = HolidayCalendar::new(store.holidays().await?.into_iter().map(|h| h.date));
    let categories: HashMap<String, Category> =
        store.categories().await?.into_iter().map(|category| (category.code.clone(), category)).collect();
    let earliest_reminder = categories
        .values()
        .filter_map(|category| category.reminder_days_before)
        .fold(rules.reminder_days_before, u16::max);
    let mut taken = 0;
    for case in store.cases_to_escalate(now - STALE_AFTER, now + lookahead(earliest_reminder), BATCH).await? {
        let Some(deadline) = case.facts.deadline else { continue };
        let rules = rules.for_category(categories.get(&case.category_code));
        let mut version = case.facts.version;
        for step in due_steps(&case.facts, now, &calendar, &rules) {
            let change = Change::DeadlineEscalated { step, deadline };
            match apply_change(store, case.id, version, &Actor::system(), change, now).await {
                Ok(after) => {
                    version = after.version;
                    taken += 1;
                    tracing::info!(case_id = case.id, step = step.as_str(), "deadline escalated");
                }
                // Another server took it, or the case moved on meanwhile: the next run reads it afresh.
                Err(ChangeError::Conflict(_) | ChangeError::Refused(_) | ChangeError::NotFound) => break,
                Err(ChangeError::Store(error)) => return Err(error),
                Err(error) => {
                    tracing::warn!(case_id = case.id, %error, "escalating a deadline failed");
                    break;
                }
            }
        }
    }
    Ok(taken)
}
