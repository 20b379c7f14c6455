//! Who sees a stored case: the core's one visibility rule applied to a case's events and the asker.

use crate::changes::{facts_of, ChangeError};
use crate::store::Store;
use domain::account::Account;
use domain::case::{case_access, submitted_area, CaseAccess, CaseEvent, CaseStanding};
use domain::workflow::CaseFacts;

/// A case as one asker may see it: how much, and the events and facts to show it from.
#[derive(Debug, Clone)]
pub struct SeenCase {
    pub access: CaseAccess,
    pub events: Vec<CaseEvent>,
    pub facts: CaseFacts,
}

impl SeenCase {
    /// The served area the case was pinned in.
    pub fn area(&self) -> Option<&str> {
        submitted_area(&self.events)
    }
}

/// Case `id` as `account` (or the public) sees it, carrying the case's receipt link when
/// `receipt_hash` names it. `None` when the case does not exist or the asker may not see it: the
/// two answer alike, so a refusal says nothing about the case.
pub async fn seen_case(
    store: &dyn Store,
    id: i64,
    account: Option<&Account>,
    receipt_hash: Option<&str>,
) -> Result<Option<SeenCase>, ChangeError> {
    let (events, facts) = match facts_of(store, id).await {
        Ok(found) => found,
        Err(ChangeError::NotFound) => return Ok(None),
        Err(error) => return Err(error),
    };
    let holds_receipt = match receipt_hash {
        Some(hash) => store.case_for_receipt(hash).await? == Some(id),
        None => false,
    };
    let access = case_access(account, holds_receipt, &CaseStanding::of(&facts, submitted_area(&events)));
    Ok((access != CaseAccess::Hidden).then_some(SeenCase { access, events, facts }))
}
