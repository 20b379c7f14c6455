//! The live in-memory projection of every case that maps and statistics read: loaded from the
//! database at start-up and kept current by following the rows every server writes.

mod snapshot;

pub use snapshot::SnapshotError;

use crate::clusters::ClusterIndex;
use crate::store::{CaseDigest, Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use domain::case::{CaseStatus, Channel};
use domain::workflow::{Rating, RejectReason};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError, RwLock};

/// A catalogue code (category, area, agency) as a small number, so that a million cases stay compact.
pub type CodeId = u16;

/// Codes and the small numbers standing for them, both ways.
#[derive(Debug, Default, Clone)]
pub struct Codes {
    names: Vec<String>,
    ids: HashMap<String, CodeId>,
}

impl Codes {
    /// The number for `name`, giving it the next one when it is new. A catalogue holds far fewer
    /// than 65,535 codes; past that, codes share the last number rather than fail a load.
    pub fn intern(&mut self, name: &str) -> CodeId {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = CodeId::try_from(self.names.len()).unwrap_or(CodeId::MAX);
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The number for `name`, if any case uses it.
    pub fn id(&self, name: &str) -> Option<CodeId> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: CodeId) -> &str {
        self.names.get(usize::from(id)).map(String::as_str).unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// One case as maps and statistics need it; times are Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexedCase {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub category: CodeId,
    pub area: Option<CodeId>,
    pub agency: Option<CodeId>,
    pub channel: Channel,
    pub status: CaseStatus,
    pub submitted_at: i64,
    pub deadline: Option<i64>,
    pub rejection: Option<RejectReason>,
    /// `Some` once a result is approved: whether it came before the deadline.
    pub handled_on_time: Option<bool>,
    pub rating: Option<Rating>,
    /// When the screening decision in force was made; `None` while the case waits for screening.
    pub screened_at: Option<i64>,
    /// When the latest result was submitted.
    pub result_submitted_at: Option<i64>,
    /// When the latest result was approved.
    pub resolved_at: Option<i64>,
}

impl IndexedCase {
    /// Whether the public sees the case: the one rule of [`domain::case::held_back`].
    pub fn is_public(&self) -> bool {
        !domain::case::held_back(self.status, self.rejection)
    }

    /// Accepted and routed, whatever happened after.
    pub fn is_accepted(&self) -> bool {
        !matches!(self.status, CaseStatus::Submitted | CaseStatus::Rejected)
    }

    /// Being handled past its deadline at `now` (Unix seconds).
    pub fn overdue_at(&self, now: i64) -> bool {
        matches!(self.status, CaseStatus::Assigned | CaseStatus::InProgress) && self.deadline.is_some_and(|d| now > d)
    }
}

/// Every case, with the code tables their numbers refer to.
#[derive(Debug, Default, Clone)]
pub struct CaseSet {
    cases: Vec<IndexedCase>,
    positions: HashMap<i64, usize>,
    pub categories: Codes,
    pub areas: Codes,
    pub agencies: Codes,
    /// The cases clustered for maps, following every upsert.
    pub clusters: ClusterIndex,
}

impl CaseSet {
    pub fn cases(&self) -> &[IndexedCase] {
        &self.cases
    }

    pub fn get(&self, id: i64) -> Option<&IndexedCase> {
        self.positions.get(&id).and_then(|&at| self.cases.get(at))
    }

    /// Puts the digest's case in the set, replacing what was known of it. Returns the case as it
    /// was before, if it was known.
    pub fn upsert(&mut self, digest: &CaseDigest) -> Option<IndexedCase> {
        let case = IndexedCase {
            id: digest.id,
            lat: digest.lat,
            lon: digest.lon,
            category: self.categories.intern(&digest.category),
            area: digest.area.as_deref().map(|code| self.areas.intern(code)),
            agency: digest.agency.as_deref().map(|code| self.agencies.intern(code)),
            channel: digest.channel,
            status: digest.status,
            submitted_at: digest.submitted_at.timestamp(),
            deadline: digest.deadline.map(|d| d.timestamp()),
            rejection: digest.rejection,
            handled_on_time: digest.handled_on_time,
            rating: digest.rating,
            screened_at: digest.screened_at.map(|at| at.timestamp()),
            result_submitted_at: digest.result_submitted_at.map(|at| at.timestamp()),
            resolved_at: digest.resolved_at.map(|at| at.timestamp()),
        };
        let (at, before) = match self.positions.get(&case.id) {
            Some(&at) => (at, self.cases.get_mut(at).map(|slot| std::mem::replace(slot, case))),
            None => {
                self.positions.insert(case.id, self.cases.len());
                self.cases.push(case);
                (self.cases.len() - 1, None)
            }
        };
        self.clusters.upsert(&self.cases, at);
        before
    }
}

/// How many digests one read of the start-up load asks for.
const LOAD_PAGE: u32 = 20_000;

/// How far back each refresh looks before the previous one, by the database's clock: a write
/// stamped just before a refresh but committed just after it is still seen by the next one.
const REFRESH_OVERLAP: Duration = Duration::seconds(2);

/// A snapshot is saved once this many digests were folded in since the last one, so that a
/// start never has many changes to catch up on...
const SNAPSHOT_AFTER_DIGESTS: usize = 20_000;

/// ...or once this long passed (by the database's clock) with any change at all.
const SNAPSHOT_AFTER: Duration = Duration::minutes(15);

/// Where a loaded index came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadedFrom {
    /// The saved snapshot, with this many digests read since it was taken.
    Snapshot { caught_up: usize },
    /// Every case, read from the database; why the snapshot was not used, if there was one.
    Database { snapshot_refused: Option<String> },
}

/// What has changed since the last saved snapshot.
#[derive(Debug, Clone, Copy)]
struct Unsaved {
    digests: usize,
    /// The database time of the last snapshot, or of the load when none was saved since.
    since: Option<DateTime<Utc>>,
}

/// How far a refresh has read the changes.
#[derive(Debug, Default)]
struct Cursor {
    /// The database time up to which every change is folded in; `None` before the first read.
    at: Option<DateTime<Utc>>,
    /// The version of each case the last refresh named, folded in: the next one skips those
    /// it names again at the same version.
    seen: HashMap<i64, i64>,
}

impl Cursor {
    fn at(at: DateTime<Utc>) -> Self {
        Self { at: Some(at), seen: HashMap::new() }
    }
}

/// The shared, live case set. Readers take a snapshot lock; refreshes upsert what changed.
#[derive(Debug)]
pub struct CaseIndex {
    set: RwLock<CaseSet>,
    /// Where the next refresh reads changes from. Held for a whole refresh, so two refreshes
    /// never fold in their reads out of order.
    cursor: futures::lock::Mutex<Cursor>,
    unsaved: Mutex<Unsaved>,
    loaded_from: LoadedFrom,
}

impl Default for CaseIndex {
    fn default() -> Self {
        Self::of(CaseSet::default())
    }
}

impl CaseIndex {
    /// An index of no cases, following changes from the start of time.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The saved snapshot caught up with every change since it was taken, when there is one this
    /// server can read and it accounts for every case; otherwise every case, read from the store.
    pub async fn load(store: &dyn Store) -> Result<Self, StoreError> {
        let refused = match Self::from_snapshot(store).await? {
            Ok(index) => return Ok(index),
            Err(reason) => reason,
        };
        let mut index = Self::read_all(store).await?;
        index.loaded_from = LoadedFrom::Database { snapshot_refused: refused };
        Ok(index)
    }

    /// The index from the saved snapshot, or why it cannot be used (`None`: there is none).
    async fn from_snapshot(store: &dyn Store) -> Result<Result<Self, Option<String>>, StoreError> {
        // Counted before catching up: cases are never deleted, so every one counted here must be
        // in the index afterwards, whatever is written meanwhile.
        let counted = usize::try_from(store.count_cases().await?).unwrap_or(usize::MAX);
        let Some(saved) = store.case_index_snapshot().await? else { return Ok(Err(None)) };
        let mut set = match snapshot::decode(&saved.bytes) {
            Ok(set) => set,
            Err(error) => return Ok(Err(Some(error.to_string()))),
        };
        drop(saved.bytes);
        set.clusters = ClusterIndex::build(&set.cases);
        let index = Self {
            set: RwLock::new(set),
            cursor: futures::lock::Mutex::new(Cursor::at(saved.taken_at)),
            unsaved: Mutex::new(Unsaved { digests: 0, since: Some(saved.taken_at) }),
            loaded_from: LoadedFrom::Snapshot { caught_up: 0 },
        };
        let caught_up = index.refresh(store).await?;
        let held = index.len();
        if held < counted {
            return Ok(Err(Some(format!("it holds {held} cases after catching up, the database {counted}"))));
        }
        Ok(Ok(Self { loaded_from: LoadedFrom::Snapshot { caught_up }, ..index }))
    }

    /// Reads every case from the store, page by page.
    pub async fn read_all(store: &dyn Store) -> Result<Self, StoreError> {
        let started = store.database_time().await?;
        // Clustering waits for the whole set, then sorts it once.
        let mut set = CaseSet { clusters: ClusterIndex::deferred(), ..Default::default() };
        // Room for every case up front: growing by doubling would hold two copies at the peak.
        let expected = usize::try_from(store.count_cases().await?).unwrap_or(0);
        set.cases.reserve_exact(expected);
        set.positions.reserve(expected);
        let mut page = store.case_digests(0, LOAD_PAGE).await?;
        while let Some(last) = page.last().map(|digest| digest.id) {
            // The next page is read while this one is folded in: the database works meanwhile.
            let fold = async {
                for digest in &page {
                    set.upsert(digest);
                }
            };
            let (next, ()) = futures::join!(store.case_digests(last, LOAD_PAGE), fold);
            page = next?;
        }
        set.clusters = ClusterIndex::build(&set.cases);
        let read = set.cases.len();
        Ok(Self {
            set: RwLock::new(set),
            cursor: futures::lock::Mutex::new(Cursor::at(started)),
            // Nothing saved holds these yet.
            unsaved: Mutex::new(Unsaved { digests: read, since: Some(started) }),
            loaded_from: LoadedFrom::Database { snapshot_refused: None },
        })
    }

    /// Where this index came from when the server started.
    pub fn loaded_from(&self) -> &LoadedFrom {
        &self.loaded_from
    }

    /// Folds in the cases written since the last refresh, by this server or any other; returns
    /// how many digests it read.
    pub async fn refresh(&self, store: &dyn Store) -> Result<usize, StoreError> {
        let mut cursor = self.cursor.lock().await;
        let now = store.database_time().await?;
        // Before any read, from the epoch: no case is older, and PostgreSQL cannot hold the earliest time chrono can.
        let since = cursor.at.map_or(DateTime::<Utc>::UNIX_EPOCH, |at| at - REFRESH_OVERLAP);
        // The overlap names again, every time, the cases written in the last two seconds: only
        // those not yet folded in at their version are read in full.
        let changed = store.changed_case_versions(since).await?;
        let unseen: Vec<i64> = changed
            .iter()
            .filter(|case| cursor.seen.get(&case.id) != Some(&case.version))
            .map(|case| case.id)
            .collect();
        let digests = if unseen.is_empty() { Vec::new() } else { store.case_digests_of(&unseen).await? };
        {
            let mut set = self.set.write().unwrap_or_else(PoisonError::into_inner);
            for digest in &digests {
                set.upsert(digest);
            }
        }
        // The next refresh's overlap begins later than this one's: what it can name again is in `changed`.
        cursor.seen = changed.into_iter().map(|case| (case.id, case.version)).collect();
        cursor.at = Some(now);
        let mut unsaved = self.unsaved.lock().unwrap_or_else(PoisonError::into_inner);
        unsaved.digests = unsaved.digests.saturating_add(digests.len());
        unsaved.since.get_or_insert(now);
        Ok(digests.len())
    }

    /// Whether enough changed since the last snapshot to save another.
    pub async fn snapshot_due(&self) -> bool {
        let now = self.cursor.lock().await.at;
        let unsaved = *self.unsaved.lock().unwrap_or_else(PoisonError::into_inner);
        unsaved.digests >= SNAPSHOT_AFTER_DIGESTS
            || (unsaved.digests > 0
                && matches!((now, unsaved.since), (Some(now), Some(since)) if now - since >= SNAPSHOT_AFTER))
    }

    /// Saves the index as it stands, with the time up to which it holds every change, for the
    /// next start of any server to read; returns the bytes saved.
    pub async fn save_snapshot(&self, store: &dyn Store) -> Result<usize, StoreError> {
        // The cursor is held while the set is written out, so the two agree: no refresh folds
        // in anything in between.
        let (taken_at, bytes, digests) = {
            let cursor = self.cursor.lock().await;
            let Some(taken_at) = cursor.at else { return Ok(0) };
            let bytes = self.read(snapshot::encode);
            let digests = self.unsaved.lock().unwrap_or_else(PoisonError::into_inner).digests;
            (taken_at, bytes, digests)
        };
        store.save_case_index_snapshot(taken_at, &bytes).await?;
        let mut unsaved = self.unsaved.lock().unwrap_or_else(PoisonError::into_inner);
        unsaved.digests = unsaved.digests.saturating_sub(digests);
        unsaved.since = Some(taken_at);
        Ok(bytes.len())
    }

    /// An index of the cases in `set`, following changes from the start of time.
    pub fn of(set: CaseSet) -> Self {
        Self {
            set: RwLock::new(set),
            cursor: futures::lock::Mutex::new(Cursor::default()),
            unsaved: Mutex::new(Unsaved { digests: 0, since: None }),
            loaded_from: LoadedFrom::Database { snapshot_refused: None },
        }
    }

    /// Runs `read` over the current set, holding off refreshes meanwhile.
    pub fn read<R>(&self, read: impl FnOnce(&CaseSet) -> R) -> R {
        read(&self.set.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// How many cases the index holds.
    pub fn len(&self) -> usize {
        self.read(|set| set.cases.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(id: i64, status: CaseStatus, category: &str) -> CaseDigest {
        let at = DateTime::<Utc>::from_timestamp(1_670_000_000 + id, 0).unwrap_or_default();
        CaseDigest {
            id,
            lat: 17.47,
            lon: 106.6,
            category: category.to_string(),
            area: Some("dong-hoi".to_string()),
            agency: None,
            channel: Channel::Web,
            status,
            submitted_at: at,
            deadline: None,
            rejection: None,
            handled_on_time: None,
            rating: None,
            changed_at: at,
            screened_at: None,
            result_submitted_at: None,
            resolved_at: None,
        }
    }

    #[test]
    fn upserting_a_known_case_replaces_it_and_returns_the_old_one() {
        let mut set = CaseSet::default();
        assert_eq!(set.upsert(&digest(7, CaseStatus::Submitted, "traffic")), None);
        let before = set.upsert(&digest(7, CaseStatus::Assigned, "traffic"));
        assert_eq!(before.map(|c| c.status), Some(CaseStatus::Submitted));
        assert_eq!(set.cases().len(), 1);
        assert_eq!(set.get(7).map(|c| c.status), Some(CaseStatus::Assigned));
    }

    #[test]
    fn codes_are_interned_once_and_read_back() {
        let mut set = CaseSet::default();
        set.upsert(&digest(1, CaseStatus::Submitted, "traffic"));
        set.upsert(&digest(2, CaseStatus::Submitted, "lighting"));
        set.upsert(&digest(3, CaseStatus::Submitted, "traffic"));
        assert_eq!(set.categories.len(), 2);
        let traffic = set.categories.id("traffic");
        assert_eq!(traffic.map(|id| set.categories.name(id)), Some("traffic"));
        assert_eq!(set.get(3).map(|c| c.category), traffic);
    }

    #[test]
    fn only_screened_cases_are_public_and_only_open_ones_overdue() {
        let mut set = CaseSet::default();
        set.upsert(&digest(1, CaseStatus::Submitted, "traffic"));
        set.upsert(&CaseDigest {
            deadline: DateTime::from_timestamp(100, 0),
            ..digest(2, CaseStatus::InProgress, "traffic")
        });
        set.upsert(&CaseDigest {
            deadline: DateTime::from_timestamp(100, 0),
            ..digest(3, CaseStatus::Resolved, "traffic")
        });
        let public: Vec<i64> = set.cases().iter().filter(|c| c.is_public()).map(|c| c.id).collect();
        assert_eq!(public, vec![2, 3]);
        let overdue: Vec<i64> = set.cases().iter().filter(|c| c.overdue_at(101)).map(|c| c.id).collect();
        assert_eq!(overdue, vec![2]);
    }
}
