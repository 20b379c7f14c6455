//! Changes to a case: its facts replayed from its events, one change decided by the state machine and appended, and unrated cases closed.

use crate::store::{CaseQuery, Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use domain::case::{CaseEvent, CaseStatus};
use domain::workflow::{Actor, CaseFacts, Change, Refusal};

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such case")]
    NotFound,
    /// Someone else changed the case first; these are the facts now.
    #[error("the case changed meanwhile")]
    Conflict(Box<CaseFacts>),
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The stored events do not replay into facts.
    #[error("case {0} does not replay")]
    Corrupt(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A case's events and the facts they establish.
pub async fn facts_of(store: &dyn Store, id: i64) -> Result<(Vec<CaseEvent>, CaseFacts), ChangeError> {
    let events = store.case_events(id).await?;
    if events.is_empty() {
        return Err(ChangeError::NotFound);
    }
    let facts = CaseFacts::from_events(&events).map_err(|error| {
        tracing::error!(case_id = id, %error, "events do not replay");
        ChangeError::Corrupt(id)
    })?;
    Ok((events, facts))
}

/// Decides and appends `change` by `actor` on a case at `version`. Exactly one of two
/// concurrent writers at the same version wins; the other gets `Conflict` with fresh facts.
pub async fn apply_change(
    store: &dyn Store,
    id: i64,
    version: u32,
    actor: &Actor,
    change: Change,
    now: DateTime<Utc>,
) -> Result<CaseFacts, ChangeError> {
    let (_, facts) = facts_of(store, id).await?;
    if facts.version != version {
        return Err(ChangeError::Conflict(Box::new(facts)));
    }
    let (event, after) = facts.next_event(actor, change, now).map_err(ChangeError::Refused)?;
    match store.append_event(id, version, &event, &after).await {
        Ok(()) => {
            tracing::info!(
                case_id = id,
                change = event.change.kind().as_str(),
                to = event.to_status.as_str(),
                "case changed"
            );
            Ok(after)
        }
        Err(StoreError::Conflict { .. }) => {
            let (_, fresh) = facts_of(store, id).await?;
            Err(ChangeError::Conflict(Box::new(fresh)))
        }
        Err(error) => Err(error.into()),
    }
}

/// Closes resolved cases whose reporter did not rate within `window`. Safe to run on every server at once.
pub async fn close_expired_ratings(
    store: &dyn Store,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<u32, ChangeError> {
    let resolved = store.list_cases(&CaseQuery::InStatus(vec![CaseStatus::Resolved]), 10_000).await?;
    let mut closed = 0;
    for case in resolved {
        let expired = case.facts.rating.is_none() && case.facts.resolved_at.is_some_and(|at| at + window < now);
        if !expired {
            continue;
        }
        let change = Change::Closed { note: None, expired: true };
        match apply_change(store, case.id, case.facts.version, &Actor::system(), change, now).await {
            Ok(_) => closed += 1,
            // Another server closed it, or the reporter rated it just now: nothing to do.
            Err(ChangeError::Conflict(_)) | Err(ChangeError::Refused(_)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(closed)
}
