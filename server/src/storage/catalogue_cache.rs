//! The catalogue (categories, agencies, areas) as last read, kept for a second: pages and intake
//! read it on every request, and it changes only by an administrator's edit or a seed.

use services::store::StoreError;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a read stays good. An edit made through this store is seen at once; one made by
/// another server sharing the database is seen within this time, as the case index sees cases.
const FRESH_FOR: Duration = Duration::from_secs(1);

/// One list read from the database and when, tagged with the edit generation it was read in.
struct Held<T> {
    value: T,
    read_at: Instant,
}

struct Slot<T> {
    held: Option<Held<T>>,
    /// Bumped by every edit: a read that began before an edit must not be kept after it.
    generation: u64,
}

/// A list kept for [`FRESH_FOR`] after it was read.
pub struct Cached<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> Clone for Cached<T> {
    fn clone(&self) -> Self {
        Self { slot: Arc::clone(&self.slot) }
    }
}

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Self { slot: Arc::new(Mutex::new(Slot { held: None, generation: 0 })) }
    }
}

impl<T: Clone> Cached<T> {
    /// The held value while it is fresh, otherwise what `read` gives, kept unless an edit came
    /// in between.
    pub async fn get_or_read<F>(&self, read: F) -> Result<T, StoreError>
    where
        F: Future<Output = Result<T, StoreError>>,
    {
        let generation = {
            let slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(held) = slot.held.as_ref().filter(|held| held.read_at.elapsed() < FRESH_FOR) {
                return Ok(held.value.clone());
            }
            slot.generation
        };
        let started = Instant::now();
        let value = read.await?;
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.generation == generation {
            slot.held = Some(Held { value: value.clone(), read_at: started });
        }
        Ok(value)
    }

    /// Forgets the held value: the next read goes to the database.
    pub fn forget(&self) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        slot.held = None;
        slot.generation += 1;
    }
}

/// The catalogue lists a store keeps; routes too, since every report asks for its route.
#[derive(Clone, Default)]
pub struct CatalogueCache {
    pub categories: Cached<Vec<domain::catalogue::Category>>,
    pub agencies: Cached<Vec<domain::catalogue::Agency>>,
    pub areas: Cached<Vec<domain::geo::Area>>,
    pub routes: Cached<Vec<domain::catalogue::Route>>,
}

impl CatalogueCache {
    /// Forgets every list, after an edit through this store.
    pub fn forget(&self) {
        self.categories.forget();
        self.agencies.forget();
        self.areas.forget();
        self.routes.forget();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    async fn counted(reads: &AtomicU32) -> Result<u32, StoreError> {
        Ok(reads.fetch_add(1, Ordering::SeqCst) + 1)
    }

    #[tokio::test]
    async fn a_fresh_value_is_read_once_and_forgetting_reads_again() {
        let cached = Cached::default();
        let reads = AtomicU32::new(0);
        assert_eq!(cached.get_or_read(counted(&reads)).await.ok(), Some(1));
        assert_eq!(cached.get_or_read(counted(&reads)).await.ok(), Some(1), "held while fresh");
        cached.forget();
        assert_eq!(cached.get_or_read(counted(&reads)).await.ok(), Some(2), "read again after an edit");
    }

    #[tokio::test]
    async fn a_read_that_began_before_an_edit_is_not_kept() {
        let cached = Cached::default();
        let during = cached.clone();
        let value = cached
            .get_or_read(async {
                during.forget();
                Ok::<_, StoreError>("before the edit")
            })
            .await;
        assert_eq!(value.ok(), Some("before the edit"), "the caller still gets what it read");
        let next = cached.get_or_read(async { Ok::<_, StoreError>("after the edit") }).await;
        assert_eq!(next.ok(), Some("after the edit"));
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept() {
        let cached: Cached<u32> = Cached::default();
        let failed = cached.get_or_read(async { Err(StoreError::Unavailable("down".into())) }).await;
        assert!(failed.is_err());
        assert_eq!(cached.get_or_read(async { Ok(7) }).await.ok(), Some(7));
    }
}
