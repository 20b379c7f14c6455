//! The case index's snapshot: kept newest-first, read back whole, caught up with what changed
//! since, and refused (falling back to every case) when it cannot be trusted.

use super::{accepted, append, coordinator, input, parse, seeded, submission};
use crate::backends::RawSql;
use chrono::Duration;
use domain::map_query::Bounds;
use services::case_index::{CaseIndex, IndexedCase, LoadedFrom};
use services::clusters::{CaseFilter, ClusterQuery, MAX_ZOOM};
use services::store::Store;

/// The index's cases by id, with code numbers turned back into names so two loads compare.
fn cases_of(index: &CaseIndex) -> Vec<(IndexedCase, String, Option<String>)> {
    let mut cases = index.read(|set| {
        set.cases()
            .iter()
            .map(|case| {
                let agency = case.agency.map(|a| set.agencies.name(a).to_string());
                (*case, set.categories.name(case.category).to_string(), agency)
            })
            .collect::<Vec<_>>()
    });
    cases.sort_by_key(|(case, _, _)| case.id);
    cases
}

async fn create(store: &dyn Store, key: &str, minutes: i64) -> i64 {
    store.create_case(&parse(&input(key)), &submission(Some("dong-hoi"), minutes)).await.expect("create").id
}

pub async fn the_case_index_is_saved_and_a_start_catches_up_from_its_snapshot(store: &dyn Store, raw: &RawSql) {
    seeded(store).await;
    let first = create(store, "key-index-01", 0).await;
    create(store, "key-index-02", 1).await;
    assert_eq!(store.case_index_snapshot().await.expect("read"), None, "nothing saved yet");

    let cold = CaseIndex::load(store).await.expect("load");
    assert_eq!(cold.loaded_from(), &LoadedFrom::Database { snapshot_refused: None });
    assert!(cold.save_snapshot(store).await.expect("save") > 0);
    let saved = store.case_index_snapshot().await.expect("read").expect("saved");

    // Written after the snapshot: one new case, one changed.
    let third = create(store, "key-index-03", 2).await;
    append(store, first, &coordinator(), accepted(5000), 3).await.expect("accept");
    let warm = CaseIndex::load(store).await.expect("load");
    assert!(
        matches!(warm.loaded_from(), LoadedFrom::Snapshot { caught_up } if *caught_up >= 2),
        "{:?}",
        warm.loaded_from()
    );
    let everything = CaseIndex::read_all(store).await.expect("read all");
    assert_eq!(cases_of(&warm), cases_of(&everything), "the snapshot and the changes since are every case as stored");
    assert_eq!(warm.len(), 3);
    assert!(warm.read(|set| set.get(third).is_some()));
    assert_eq!(
        warm.read(|set| set.get(first).map(|case| case.status)),
        Some(domain::case::CaseStatus::Assigned),
        "the change made after the snapshot is folded in"
    );
    // Its clusters follow the loaded cases too.
    let province = Bounds { west: 100.0, south: 10.0, east: 110.0, north: 25.0 };
    let mapped = warm.read(|set| {
        set.clusters
            .cases_in(
                set.cases(),
                &ClusterQuery { viewport: province, zoom: MAX_ZOOM, filter: CaseFilter::default(), now: 0 },
            )
            .len()
    });
    assert_eq!(mapped, 3);

    // An older save never replaces a newer one.
    store.save_case_index_snapshot(saved.taken_at - Duration::hours(1), b"older").await.expect("save");
    assert_eq!(store.case_index_snapshot().await.expect("read").expect("kept"), saved);

    // Bytes that are not a snapshot of this format are refused, and every case read instead.
    store.save_case_index_snapshot(saved.taken_at + Duration::seconds(1), b"garbage").await.expect("save");
    let refused = CaseIndex::load(store).await.expect("load");
    assert!(matches!(refused.loaded_from(), LoadedFrom::Database { snapshot_refused: Some(_) }));
    assert_eq!(cases_of(&refused), cases_of(&everything));

    // A snapshot that misses cases the database holds is refused too: here one whose time says
    // it holds every change of the last hour, but which predates the last case.
    let two_cases = cold.read(|set| set.cases().len());
    assert_eq!(two_cases, 2);
    raw.execute("DELETE FROM case_index_snapshots").await.expect("clear");
    cold.save_snapshot(store).await.expect("save the two-case index");
    let stale = store.case_index_snapshot().await.expect("read").expect("saved");
    store
        .save_case_index_snapshot(stale.taken_at + Duration::hours(1), &stale.bytes)
        .await
        .expect("claim a later time");
    let behind = CaseIndex::load(store).await.expect("load");
    assert!(
        matches!(behind.loaded_from(), LoadedFrom::Database { snapshot_refused: Some(reason) } if reason.contains('2')),
        "{:?}",
        behind.loaded_from()
    );
    assert_eq!(cases_of(&behind), cases_of(&everything));

    // Saved under an older schema, it is not read at all.
    raw.execute("UPDATE case_index_snapshots SET schema_version = schema_version - 1").await.expect("age");
    assert_eq!(store.case_index_snapshot().await.expect("read"), None);
}

/// Each refresh names again the cases written in the last seconds; it reads in full only those
/// new to it or changed since it last read them, and still folds in every change.
pub async fn a_refresh_reads_in_full_only_the_cases_it_has_not_seen_at_their_version(store: &dyn Store) {
    seeded(store).await;
    let first = create(store, "key-refresh-01", 0).await;
    let second = create(store, "key-refresh-02", 1).await;
    let index = CaseIndex::empty();
    assert_eq!(index.refresh(store).await.expect("refresh"), 2, "both cases are new to it");
    assert_eq!(index.refresh(store).await.expect("refresh"), 0, "named again at the same versions: nothing read");

    append(store, first, &coordinator(), accepted(5000), 2).await.expect("accept");
    let third = create(store, "key-refresh-03", 3).await;
    assert_eq!(index.refresh(store).await.expect("refresh"), 2, "the changed case and the new one");
    assert_eq!(index.read(|set| set.get(first).map(|case| case.status)), Some(domain::case::CaseStatus::Assigned));
    assert_eq!(index.read(|set| set.get(second).map(|case| case.status)), Some(domain::case::CaseStatus::Submitted));
    assert!(index.read(|set| set.get(third).is_some()));
    assert_eq!(index.refresh(store).await.expect("refresh"), 0);
    assert_eq!(cases_of(&index), cases_of(&CaseIndex::read_all(store).await.expect("read all")));
}
