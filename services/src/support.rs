//! "Me too": support added to a screened case instead of a second report, and a duplicate's people moved to its original when a coordinator merges them.

use crate::changes::{facts_of, ChangeError};
use crate::store::{CaseAppend, Store, StoreError, SupportAppend, Supporter};
use chrono::{DateTime, Utc};
use domain::case::{ActorRole, CaseEvent};
use domain::workflow::{Actor, CaseFacts, Change, Refusal, RejectReason, SUPPORTABLE};

/// How often a support or a merge is tried again when other writes to the case came first.
const ATTEMPTS: u32 = 5;

/// The longest chain of merges followed to an original's root: merges point at open cases, so a
/// chain is one link long unless an original was itself merged after taking duplicates.
const MAX_MERGE_HOPS: u32 = 16;

/// Adds `actor`'s support to case `id`: a signed-in citizen's, or an anonymous device's whose key
/// hashes to `device_hash`. A support names no version: others supporting at the same moment only
/// make it try again. `Refused(AlreadySupported)` when this account or device supports it already.
pub async fn support_case(
    store: &dyn Store,
    id: i64,
    actor: &Actor,
    device_hash: Option<&str>,
    now: DateTime<Utc>,
) -> Result<CaseFacts, ChangeError> {
    // An anonymous supporter is counted once by their device; without one they cannot be.
    let device_hash = match (actor.role, device_hash) {
        (ActorRole::Anonymous, None) => return Err(ChangeError::Refused(Refusal::NotYourRole)),
        (ActorRole::Anonymous, hash) => hash,
        _ => None,
    };
    let change = Change::Supported { account_id: actor.account_id, merged_from: None };
    for _ in 0..ATTEMPTS {
        let (_, facts) = facts_of(store, id).await?;
        let (event, after) = facts.next_event(actor, change.clone(), now).map_err(ChangeError::Refused)?;
        let append = CaseAppend { case_id: id, expected_version: facts.version, event: &event, facts: &after };
        match store.add_support(SupportAppend { append, device_hash }).await {
            Ok(()) => {
                tracing::info!(case_id = id, supporters = after.supporters, "case supported");
                return Ok(after);
            }
            Err(StoreError::Conflict { .. }) => continue,
            Err(StoreError::Duplicate(_)) => return Err(ChangeError::Refused(Refusal::AlreadySupported)),
            Err(error) => return Err(error.into()),
        }
    }
    let (_, fresh) = facts_of(store, id).await?;
    Err(ChangeError::Conflict(Box::new(fresh)))
}

/// Why a merge was refused for the original it names.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("a case cannot be merged into itself")]
    SameCase,
    #[error("no such original")]
    UnknownOriginal,
    /// The original is not screened, or is finished: it takes no supporters.
    #[error("the original is not open for support")]
    OriginalNotOpen,
    #[error(transparent)]
    Change(#[from] ChangeError),
}

/// The case `original` leads to once the merges it went through are followed: the one a
/// duplicate of it is merged into, so that every duplicate points at a case that takes support.
pub async fn merge_root(store: &dyn Store, duplicate: i64, original: i64) -> Result<i64, MergeError> {
    let mut root = original;
    for _ in 0..MAX_MERGE_HOPS {
        if root == duplicate {
            return Err(MergeError::SameCase);
        }
        let facts = match facts_of(store, root).await {
            Ok((_, facts)) => facts,
            Err(ChangeError::NotFound) => return Err(MergeError::UnknownOriginal),
            Err(error) => return Err(error.into()),
        };
        match facts.merged_into {
            Some(next) => root = next,
            None => return Ok(root),
        }
    }
    Err(MergeError::OriginalNotOpen)
}

/// A merge a coordinator asked for: the duplicate at the version they saw, and its original.
#[derive(Debug, Clone)]
pub struct Merge<'a> {
    pub duplicate: i64,
    pub version: u32,
    pub coordinator: &'a Actor,
    /// The original, already followed to its root (see [`merge_root`]).
    pub original: i64,
    pub explanation: String,
    pub now: DateTime<Utc>,
}

/// Merges a duplicate into its original: the duplicate is rejected as a duplicate pointing to the
/// original, and its reporter and supporters become the original's supporters (those who support
/// it already, and its own reporter, are not counted twice), all in one transaction. Answers the
/// duplicate's facts after the merge.
pub async fn merge_duplicate(store: &dyn Store, merge: &Merge<'_>) -> Result<CaseFacts, MergeError> {
    let Merge { duplicate, version, coordinator, original, ref explanation, now } = *merge;
    if original == duplicate {
        return Err(MergeError::SameCase);
    }
    for _ in 0..ATTEMPTS {
        let (_, facts) = facts_of(store, duplicate).await?;
        if facts.version != version {
            return Err(ChangeError::Conflict(Box::new(facts)).into());
        }
        let rejection = Change::Rejected {
            reason: RejectReason::Duplicate,
            duplicate_of: Some(original),
            explanation: explanation.clone(),
        };
        let (rejected, after) = facts.next_event(coordinator, rejection, now).map_err(ChangeError::Refused)?;
        let original_facts = match facts_of(store, original).await {
            Ok((_, found)) => found,
            Err(ChangeError::NotFound) => return Err(MergeError::UnknownOriginal),
            Err(error) => return Err(error.into()),
        };
        if original_facts.merged_into.is_some() || !SUPPORTABLE.contains(&original_facts.status) {
            return Err(MergeError::OriginalNotOpen);
        }
        let movers = movers(store, duplicate, facts.reporter_account, &original_facts, original)
            .await
            .map_err(ChangeError::Store)?;
        let mut supports: Vec<(CaseEvent, CaseFacts, u32, Option<String>)> = Vec::with_capacity(movers.len());
        let mut current = original_facts;
        for mover in movers {
            let change = Change::Supported { account_id: mover.account_id, merged_from: Some(duplicate) };
            let (event, next) = current.next_event(coordinator, change, now).map_err(ChangeError::Refused)?;
            supports.push((event, next.clone(), current.version, mover.device_hash));
            current = next;
        }
        let appends: Vec<SupportAppend<'_>> = supports
            .iter()
            .map(|(event, facts, expected_version, device_hash)| SupportAppend {
                append: CaseAppend { case_id: original, expected_version: *expected_version, event, facts },
                device_hash: device_hash.as_deref(),
            })
            .collect();
        let append = CaseAppend { case_id: duplicate, expected_version: version, event: &rejected, facts: &after };
        match store.merge_case(append, &appends).await {
            Ok(()) => {
                tracing::info!(case_id = duplicate, original, moved = appends.len(), "duplicate merged");
                return Ok(after);
            }
            // The original took a support meanwhile, or the duplicate moved: read both again.
            Err(StoreError::Conflict { .. } | StoreError::Duplicate(_)) => continue,
            Err(error) => return Err(ChangeError::Store(error).into()),
        }
    }
    let (_, fresh) = facts_of(store, duplicate).await?;
    Err(ChangeError::Conflict(Box::new(fresh)).into())
}

/// Who a merge moves to the original: the duplicate's reporter (an anonymous one counts without an
/// account), then its supporters, leaving out the original's reporter and whoever supports it already.
async fn movers(
    store: &dyn Store,
    duplicate: i64,
    duplicate_reporter: Option<i64>,
    original_facts: &CaseFacts,
    original: i64,
) -> Result<Vec<Supporter>, StoreError> {
    let mut known = store.case_supporters(original).await?;
    let mut movers = Vec::new();
    let reporter = Supporter { account_id: duplicate_reporter, device_hash: None };
    for supporter in std::iter::once(reporter).chain(store.case_supporters(duplicate).await?) {
        let counted = match (&supporter.account_id, &supporter.device_hash) {
            (Some(account), _) => {
                original_facts.reporter_account == Some(*account)
                    || known.iter().any(|k| k.account_id == Some(*account))
            }
            (None, Some(device)) => known.iter().any(|k| k.device_hash.as_deref() == Some(device.as_str())),
            // An anonymous reporter or hotline caller is one more voice, with nothing to recognise them by.
            (None, None) => false,
        };
        if !counted {
            if supporter.account_id.is_some() || supporter.device_hash.is_some() {
                known.push(supporter.clone());
            }
            movers.push(supporter);
        }
    }
    Ok(movers)
}
