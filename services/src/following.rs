//! Following cases and watching places: what a signed-in person may follow, alerts checked against the catalogue, and the notices they bring.

use crate::changes::ChangeError;
use crate::store::{Store, StoreError};
use crate::visibility::seen_case;
use chrono::{DateTime, Duration, Utc};
use domain::account::Account;
use domain::alerts::{
    Alert, AlertInput, AlertPlace, NewAlert, Notice, MAX_ALERTS_PER_ACCOUNT, MAX_FOLLOWS, NOTICES_SHOWN, NOTICE_DAYS,
};
use domain::validation::{Field, Reason, ValidationError};

/// Why following or an alert was refused.
#[derive(Debug, thiserror::Error)]
pub enum FollowingError {
    /// No case the public may see has this number.
    #[error("no such public case")]
    NotFound,
    #[error("invalid alert")]
    Invalid(Vec<ValidationError>),
    /// The account follows [`MAX_FOLLOWS`] cases already.
    #[error("too many followed cases")]
    TooManyFollows,
    /// The account holds [`MAX_ALERTS_PER_ACCOUNT`] alerts already.
    #[error("too many alerts")]
    TooManyAlerts,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ChangeError> for FollowingError {
    fn from(error: ChangeError) -> Self {
        match error {
            ChangeError::Store(error) => FollowingError::Store(error),
            ChangeError::NotFound => FollowingError::NotFound,
            other => FollowingError::Store(StoreError::Database(other.to_string())),
        }
    }
}

/// Makes `account` follow case `case_id`, which the public must be able to see: following is
/// for what is published, never a way to learn of a report before screening. Answers whether the
/// account follows it now for the first time.
pub async fn follow(
    store: &dyn Store,
    account: &Account,
    case_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, FollowingError> {
    if seen_case(store, case_id, None, None).await?.is_none() {
        return Err(FollowingError::NotFound);
    }
    if store.follow_case(account.id, case_id, now, MAX_FOLLOWS).await? {
        return Ok(true);
    }
    if store.follows_case(account.id, case_id).await? {
        Ok(false)
    } else {
        Err(FollowingError::TooManyFollows)
    }
}

/// Stops `account` following case `case_id`; whether it did.
pub async fn unfollow(store: &dyn Store, account: &Account, case_id: i64) -> Result<bool, FollowingError> {
    Ok(store.unfollow_case(account.id, case_id).await?)
}

/// Stores an alert for `account` after checking its form, its area and categories against the
/// catalogue (active entries only), and the account's allowance.
pub async fn add_alert(
    store: &dyn Store,
    account: &Account,
    input: &AlertInput,
    now: DateTime<Utc>,
) -> Result<i64, FollowingError> {
    let alert = NewAlert::parse(input).map_err(FollowingError::Invalid)?;
    let mut errors = Vec::new();
    if let AlertPlace::Area { code } = &alert.place {
        let areas = store.areas().await?;
        if !areas.iter().any(|area| &area.code == code && area.active) {
            errors.push(ValidationError::new(Field::Area, Reason::UnknownArea));
        }
    }
    if !alert.categories.is_empty() {
        let categories = store.categories().await?;
        if alert.categories.iter().any(|code| !categories.iter().any(|c| &c.code == code && c.active)) {
            errors.push(ValidationError::new(Field::Category, Reason::UnknownCategory));
        }
    }
    if !errors.is_empty() {
        return Err(FollowingError::Invalid(errors));
    }
    store.create_alert(account.id, &alert, now, MAX_ALERTS_PER_ACCOUNT).await?.ok_or(FollowingError::TooManyAlerts)
}

/// The account's alerts.
pub async fn alerts(store: &dyn Store, account: &Account) -> Result<Vec<Alert>, FollowingError> {
    Ok(store.account_alerts(account.id).await?)
}

/// Deletes one of the account's alerts; `NotFound` for an alert it does not hold.
pub async fn delete_alert(store: &dyn Store, account: &Account, alert_id: i64) -> Result<(), FollowingError> {
    if store.delete_alert(account.id, alert_id).await? {
        Ok(())
    } else {
        Err(FollowingError::NotFound)
    }
}

/// The account's notices of the last [`NOTICE_DAYS`], newest first, marked unread as they were
/// before this reading; when `mark_read`, reading them marks them read.
pub async fn notices(
    store: &dyn Store,
    account: &Account,
    now: DateTime<Utc>,
    mark_read: bool,
) -> Result<Vec<Notice>, FollowingError> {
    let found = store.account_notices(account.id, now - Duration::days(NOTICE_DAYS), NOTICES_SHOWN).await?;
    if mark_read {
        store.mark_notices_read(account.id, now).await?;
    }
    Ok(found)
}
