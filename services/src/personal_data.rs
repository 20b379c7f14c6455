//! A citizen's rights over their personal data: all of it as one download, and closing the account.

use crate::changes::ChangeError;
use crate::store::{CaseAppend, CaseQuery, Store, StoreError};
use chrono::{DateTime, Utc};
use domain::account::Account;
use domain::alerts::Alert;
use domain::calls::CallRecord;
use domain::case::{ActorRole, CaseEvent, PublicCase};
use domain::contact::ReporterContact;
use domain::workflow::{Actor, Change, ErasureReason, Rating};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The most reports one account's download or closing takes: far above any real citizen's, and a
/// bound on the work one request causes.
pub const MOST_REPORTS: u32 = 10_000;
/// The most calls a download lists.
const MOST_CALLS: u32 = 10_000;

/// Everything the system keeps about one citizen, as the JSON file they download.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalData {
    pub exported_at: DateTime<Utc>,
    pub account: AccountData,
    pub reports: Vec<ReportData>,
    pub ratings: Vec<RatingData>,
    /// Calls the hotline logged with one of the phone numbers this person gave.
    pub calls: Vec<CallRecord>,
    /// The cases they follow, and since when.
    pub following: Vec<FollowData>,
    /// The places they watch for new cases.
    pub alerts: Vec<Alert>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowData {
    pub case_id: i64,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountData {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: ActorRole,
    pub email: Option<String>,
    /// When the e-mail address was confirmed through the link sent to it.
    pub email_verified_at: Option<DateTime<Utc>>,
    pub phone: Option<String>,
}

/// One of their reports: what they sent, the contact they left with it, and what happened to it
/// (the public steps and their own).
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub case: PublicCase,
    pub contact: Option<ReporterContact>,
    pub events: Vec<CaseEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RatingData {
    pub case_id: i64,
    pub rating: Rating,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// Why the data could not be gathered or the account not closed.
#[derive(Debug, thiserror::Error)]
pub enum PersonalDataError {
    /// More reports than one request may take; an administrator closes such an account.
    #[error("the account holds more reports than one request may take")]
    TooManyReports,
    #[error(transparent)]
    Change(#[from] ChangeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Gathers everything kept about `account` at `now`.
pub async fn gather(
    store: &dyn Store,
    account: &Account,
    now: DateTime<Utc>,
) -> Result<PersonalData, PersonalDataError> {
    let reported = store.list_cases(&CaseQuery::ReportedBy(account.id), MOST_REPORTS + 1).await?;
    if reported.len() > MOST_REPORTS as usize {
        return Err(PersonalDataError::TooManyReports);
    }
    let ids: Vec<i64> = reported.iter().map(|case| case.id).collect();
    let cases = store.public_cases(&ids).await?;
    let mut events = store.events_of_cases(&ids).await?;
    let mut reports = Vec::with_capacity(cases.len());
    let mut ratings = Vec::new();
    let profile = store.account_profile(account.id).await?;
    let mut phones = BTreeSet::new();
    if let Some(phone) = profile.as_ref().and_then(|p| p.phone.clone()) {
        phones.insert(phone);
    }
    for case in cases {
        let contact = store.reporter_contact(case.id).await?;
        if let Some(phone) = contact.as_ref().and_then(|c| c.phone.as_ref()) {
            phones.insert(phone.as_str().to_string());
        }
        let theirs: Vec<CaseEvent> = events
            .remove(&case.id)
            .unwrap_or_default()
            .into_iter()
            .filter(|event| event.public || event.actor_id == Some(account.id))
            .collect();
        for event in &theirs {
            if let (Change::Rated { rating, comment, .. }, Some(true)) =
                (&event.change, event.actor_id.map(|id| id == account.id))
            {
                ratings.push(RatingData {
                    case_id: case.id,
                    rating: *rating,
                    comment: comment.clone(),
                    at: event.occurred_at,
                });
            }
        }
        reports.push(ReportData { case, contact, events: theirs });
    }
    let phones: Vec<String> = phones.into_iter().collect();
    let calls = if phones.is_empty() { Vec::new() } else { store.calls_with_numbers(&phones, MOST_CALLS).await? };
    Ok(PersonalData {
        exported_at: now,
        account: AccountData {
            id: account.id,
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            role: account.role,
            email: profile.as_ref().and_then(|p| p.email.clone()),
            email_verified_at: profile.as_ref().and_then(|p| p.email_verified_at),
            phone: profile.and_then(|p| p.phone),
        },
        reports,
        ratings,
        calls,
        following: store
            .followed_cases(account.id)
            .await?
            .into_iter()
            .map(|(case_id, since)| FollowData { case_id, since })
            .collect(),
        alerts: store.account_alerts(account.id).await?,
    })
}

/// Closes a citizen's account at `now`: every case it reported gets an event that unlinks it and
/// erases the contact and call numbers it still holds, and the account is stripped of all that
/// names the person, in one transaction. The reports stay public. A case changing meanwhile makes
/// the whole attempt start again, a few times at most.
pub async fn close_account(store: &dyn Store, account_id: i64, now: DateTime<Utc>) -> Result<u32, PersonalDataError> {
    let mut last_conflict = None;
    for _ in 0..3 {
        let reported = store.list_cases(&CaseQuery::ReportedBy(account_id), MOST_REPORTS + 1).await?;
        if reported.len() > MOST_REPORTS as usize {
            return Err(PersonalDataError::TooManyReports);
        }
        let ids: Vec<i64> = reported.iter().map(|case| case.id).collect();
        let numbers = kept_call_numbers(store, &ids).await?;
        let mut decided = Vec::with_capacity(reported.len());
        for case in &reported {
            let contact = store.reporter_contact(case.id).await?.is_some();
            let change = Change::PersonalDataErased {
                reason: ErasureReason::AccountClosed,
                contact,
                call_numbers: numbers.get(&case.id).copied().unwrap_or(0),
                photos: 0,
            };
            let (event, after) = case
                .facts
                .next_event(&Actor::system(), change, now)
                .map_err(|r| PersonalDataError::Change(ChangeError::Refused(r)))?;
            decided.push((case.id, case.facts.version, event, after));
        }
        let appends: Vec<CaseAppend<'_>> = decided
            .iter()
            .map(|(case_id, version, event, facts)| CaseAppend {
                case_id: *case_id,
                expected_version: *version,
                event,
                facts,
            })
            .collect();
        match store.close_citizen_account(account_id, &appends).await {
            Ok(()) => return Ok(u32::try_from(appends.len()).unwrap_or(u32::MAX)),
            Err(StoreError::Conflict { current }) => last_conflict = Some(current),
            Err(error) => return Err(error.into()),
        }
    }
    Err(StoreError::Conflict { current: last_conflict.unwrap_or_default() }.into())
}

/// How many calls about each case still keep a phone number.
async fn kept_call_numbers(store: &dyn Store, ids: &[i64]) -> Result<HashMap<i64, u32>, StoreError> {
    let mut numbers = HashMap::new();
    for id in ids {
        let calls = store.calls(Some(*id), MOST_CALLS).await?;
        let kept = calls.iter().filter(|record| record.call.phone.is_some()).count();
        if kept > 0 {
            numbers.insert(*id, u32::try_from(kept).unwrap_or(u32::MAX));
        }
    }
    Ok(numbers)
}
