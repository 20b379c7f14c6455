//! Assignment inside an agency: whom a case may be given to, and the officers its staff see named.

use crate::store::{Store, StoreError};
use domain::account::{Account, AgencyOfficer};

/// The account `account_id` when a case of `agency` may be given to it: an active officer of
/// that agency (see [`Account::may_hold_cases_of`]); `None` for anyone else or no account.
pub async fn eligible_assignee(
    store: &dyn Store,
    agency: &str,
    account_id: i64,
) -> Result<Option<Account>, StoreError> {
    Ok(store.account(account_id).await?.filter(|account| account.may_hold_cases_of(agency)))
}

/// The officers of `agency` (the lead agency of the cases in view, if any), and besides them the
/// accounts of `named` that are not among them (who held a case before it left the agency, or
/// left the agency since): everyone a queue or a timeline names, by display name as the agency's
/// officers come, then in the order `named` gives.
pub async fn officers_named(
    store: &dyn Store,
    agency: Option<&str>,
    named: impl IntoIterator<Item = i64>,
) -> Result<Vec<AgencyOfficer>, StoreError> {
    let mut officers: Vec<AgencyOfficer> = match agency {
        Some(agency) => store
            .agency_officers(agency)
            .await?
            .iter()
            .map(|account| AgencyOfficer::of(account, Some(agency)))
            .collect(),
        None => Vec::new(),
    };
    for id in named {
        if officers.iter().any(|officer| officer.id == id) {
            continue;
        }
        if let Some(account) = store.account(id).await? {
            officers.push(AgencyOfficer::of(&account, agency));
        }
    }
    Ok(officers)
}
