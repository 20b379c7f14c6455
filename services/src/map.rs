//! What a map shows an asker: the scope an account may see, the filter a query makes in it, and the index's answers.

use crate::case_index::{CaseIndex, CaseSet, Codes, IndexedCase};
use crate::clusters::{CaseFilter, ClusterIndex, ClusterItem, ClusterQuery};
use crate::context::ServerContext;
use crate::store::{CaseQuery, CaseSearch, Store, StoreError};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::account::{Account, CaseScope};
use domain::case::{ActorRole, CaseStatus};
use domain::deadline::province_offset;
use domain::map_query::{Bounds, CasePage, ListedCase, MapAnswer, MapFeature, MapRequest, MAX_MAP_FEATURES, PAGE_SIZE};

/// Which cases an asker may see on a map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The cases the public sees: the public, citizens, and the staff who do not screen
    /// (leaders, administrators), since a case held back from the public is seen only by those
    /// who screen it (see [`domain::case::case_access`]).
    Public,
    /// An officer: the cases of one agency.
    Agency(String),
    /// A coordinator bound to areas: the cases pinned inside them.
    Areas(Vec<String>),
    /// A province-level coordinator, an operator: every case.
    All,
}

impl Scope {
    pub fn of(account: Option<&Account>) -> Self {
        if let Some(CaseScope::Areas(areas)) = account.map(Account::scope) {
            return Scope::Areas(areas);
        }
        match account.map(|a| (a.role, a.agency.clone())) {
            Some((ActorRole::Officer, Some(agency))) => Scope::Agency(agency),
            Some((ActorRole::Coordinator | ActorRole::Operator, _)) => Scope::All,
            _ => Scope::Public,
        }
    }
}

/// The start of a province day, as Unix seconds.
fn day_start(day: NaiveDate) -> i64 {
    day.and_time(NaiveTime::MIN)
        .and_local_timezone(province_offset())
        .single()
        .map(|at| at.timestamp())
        .unwrap_or_default()
}

fn ids(codes: &Codes, wanted: &Option<Vec<String>>) -> Option<Vec<u16>> {
    wanted.as_ref().map(|list| list.iter().filter_map(|code| codes.id(code)).collect())
}

/// The filter a request makes within a scope; codes no case uses match nothing.
pub fn filter(set: &CaseSet, request: &MapRequest, scope: &Scope) -> CaseFilter {
    let mut agencies = ids(&set.agencies, &request.agencies);
    if let Scope::Agency(own) = scope {
        let own = set.agencies.id(own);
        agencies = Some(match agencies {
            Some(asked) => own.into_iter().filter(|id| asked.contains(id)).collect(),
            None => own.into_iter().collect(),
        });
    }
    let mut areas = ids(&set.areas, &request.areas);
    if let Scope::Areas(own) = scope {
        let own: Vec<u16> = own.iter().filter_map(|code| set.areas.id(code)).collect();
        areas = Some(match areas {
            Some(asked) => own.into_iter().filter(|id| asked.contains(id)).collect(),
            None => own,
        });
    }
    CaseFilter {
        statuses: request.statuses.clone(),
        categories: ids(&set.categories, &request.categories),
        agencies,
        areas,
        channels: request.channels.clone(),
        overdue: request.overdue,
        submitted_from: request.from.map(day_start),
        submitted_before: request.to.and_then(|d| d.succ_opt()).map(day_start),
        public_only: *scope == Scope::Public,
    }
}

/// The most cases a search on a map shows: the newest that match, the same window the search
/// ranks, so a word in every case costs no more than a rare one.
pub const MAP_SEARCH_LIMIT: u32 = 2_000;

/// The cases the request's words find in `scope`, the newest first, at most [`MAP_SEARCH_LIMIT`];
/// `None` when the request searches for nothing.
pub async fn found_cases(
    store: &dyn Store,
    request: &MapRequest,
    scope: &Scope,
) -> Result<Option<Vec<i64>>, StoreError> {
    if request.words.is_empty() {
        return Ok(None);
    }
    let agency = match scope {
        Scope::Agency(agency) => Some(agency.as_str()),
        _ => None,
    };
    let held_back_areas = match scope {
        Scope::Areas(areas) => Some(areas.as_slice()),
        _ => None,
    };
    // The scope's filter applies again to what the index answers; the search keeps to it as well so
    // that its window holds only cases the asker may see.
    let search = CaseSearch {
        words: &request.words,
        public_only: *scope == Scope::Public,
        agency,
        held_back_areas,
        limit: MAP_SEARCH_LIMIT,
    };
    store.search_cases(&search).await.map(Some)
}

/// Runs `answer` over the whole index, or over an index of only the cases a search found.
fn over_found<R>(set: &CaseSet, found: Option<&[i64]>, answer: impl FnOnce(&ClusterIndex, &[IndexedCase]) -> R) -> R {
    match found {
        None => answer(&set.clusters, set.cases()),
        Some(ids) => {
            let cases: Vec<IndexedCase> = ids.iter().filter_map(|id| set.get(*id).copied()).collect();
            answer(&ClusterIndex::build(&cases), &cases)
        }
    }
}

/// One thing to draw, borrowed from the case index while it is read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FeatureRef<'a> {
    Cluster { lat: f64, lon: f64, count: u64, bounds: Bounds },
    Case { id: i64, lat: f64, lon: f64, status: CaseStatus, category: &'a str },
}

/// Calls `visit` with each feature of the request, as the index holds them now, up to
/// [`MAX_MAP_FEATURES`]; with `found`, only those of these cases (what the request's words found,
/// see [`found_cases`]). Answers the number of matching cases and whether features were left out.
/// The index stays read while `visit` runs: an answer can be written out without copying it first.
pub fn each_feature(
    index: &CaseIndex,
    request: &MapRequest,
    scope: &Scope,
    now: DateTime<Utc>,
    found: Option<&[i64]>,
    visit: &mut dyn FnMut(FeatureRef<'_>),
) -> (u64, bool) {
    index.read(|set| {
        let query = ClusterQuery {
            viewport: request.viewport,
            zoom: request.zoom,
            filter: filter(set, request, scope),
            now: now.timestamp(),
        };
        over_found(set, found, |clusters, cases| {
            let (mut total, mut matched) = (0, 0);
            for item in clusters.query(cases, &query) {
                let feature = match item {
                    ClusterItem::Cluster { count, lat, lon, bounds } => {
                        total += count;
                        FeatureRef::Cluster { lat, lon, count, bounds }
                    }
                    ClusterItem::Case { slot } => {
                        let Some(case) = cases.get(slot as usize) else { continue };
                        total += 1;
                        FeatureRef::Case {
                            id: case.id,
                            lat: case.lat,
                            lon: case.lon,
                            status: case.status,
                            category: set.categories.name(case.category),
                        }
                    }
                };
                matched += 1;
                // Counted in full, answered up to the limit: the answer's size stays bounded.
                if matched <= MAX_MAP_FEATURES {
                    visit(feature);
                }
            }
            (total, matched > MAX_MAP_FEATURES)
        })
    })
}

/// The clusters and cases of the request, as the index holds them now; with `found`, only those
/// of these cases (what the request's words found, see [`found_cases`]).
pub fn answer(
    index: &CaseIndex,
    request: &MapRequest,
    scope: &Scope,
    now: DateTime<Utc>,
    found: Option<&[i64]>,
) -> MapAnswer {
    let mut features = Vec::new();
    let (total, truncated) = each_feature(index, request, scope, now, found, &mut |feature| {
        features.push(match feature {
            FeatureRef::Cluster { lat, lon, count, bounds } => MapFeature::Cluster { lat, lon, count, bounds },
            FeatureRef::Case { id, lat, lon, status, category } => {
                MapFeature::Case { id, lat, lon, status, category: category.to_string() }
            }
        })
    });
    MapAnswer { features, total, truncated }
}

/// A page of the request's cases, newest first, with their titles from the store; with `searched`,
/// only those of these cases.
pub async fn page(
    context: &ServerContext,
    request: &MapRequest,
    scope: &Scope,
    now: DateTime<Utc>,
    offset: u32,
    searched: Option<&[i64]>,
) -> Result<CasePage, StoreError> {
    let (total, chosen) = context.index.read(|set| {
        let query = ClusterQuery {
            viewport: request.viewport,
            zoom: request.zoom,
            filter: filter(set, request, scope),
            now: now.timestamp(),
        };
        let mut found: Vec<(i64, i64)> = over_found(set, searched, |clusters, cases| {
            clusters
                .cases_in(cases, &query)
                .into_iter()
                .filter_map(|slot| cases.get(slot as usize).map(|c| (c.submitted_at, c.id)))
                .collect()
        });
        let total = found.len() as u64;
        let end = (offset as usize + PAGE_SIZE as usize).min(found.len());
        let start = (offset as usize).min(end);
        if end < found.len() {
            found.select_nth_unstable_by(end, |a, b| b.cmp(a));
        }
        found.truncate(end);
        found.sort_unstable_by(|a, b| b.cmp(a));
        let chosen: Vec<(IndexedCase, String)> = found[start..]
            .iter()
            .filter_map(|&(_, id)| set.get(id).map(|c| (*c, set.categories.name(c.category).to_string())))
            .collect();
        (total, chosen)
    });
    let items = if chosen.is_empty() {
        Vec::new()
    } else if *scope == Scope::Public {
        // The public list's own reading: screened texts only, with each rejection's public reason.
        let ids: Vec<i64> = chosen.iter().map(|c| c.0.id).collect();
        let public = context.store.public_list_items(&ids).await?;
        chosen
            .into_iter()
            .filter_map(|(case, category)| {
                public.iter().find(|p| p.id == case.id).map(|p| ListedCase {
                    id: case.id,
                    lat: case.lat,
                    lon: case.lon,
                    title: p.title.clone(),
                    status: case.status,
                    category,
                    submitted_at: p.submitted_at,
                    rejection_note: p.rejection_note.clone(),
                })
            })
            .collect()
    } else {
        let query = CaseQuery::Submitted {
            ids: Some(chosen.iter().map(|c| c.0.id).collect()),
            categories: None,
            statuses: None,
            // Every backend stores times it can compare within these years.
            from: DateTime::<Utc>::UNIX_EPOCH,
            to: DateTime::from_timestamp(253_402_300_799, 0).unwrap_or(DateTime::<Utc>::MAX_UTC),
            offset: 0,
            // The index chose these cases within the asker's scope already.
            public_only: false,
            words: Vec::new(),
        };
        let summaries = context.store.list_cases(&query, PAGE_SIZE).await?;
        chosen
            .into_iter()
            .filter_map(|(case, category)| {
                summaries.iter().find(|s| s.id == case.id).map(|s| ListedCase {
                    id: case.id,
                    lat: case.lat,
                    lon: case.lon,
                    title: s.title.clone(),
                    status: case.status,
                    category,
                    submitted_at: s.submitted_at,
                    rejection_note: None,
                })
            })
            .collect()
    };
    Ok(CasePage { total, offset, items })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case_index::CaseSet;
    use crate::store::CaseDigest;
    use domain::case::{CaseStatus, Channel};
    use domain::map_query::{Bounds, MapParams};

    /// `count` accepted cases on a grid of 100 columns, five metres apart, in a town quarter.
    fn quarter_of(count: i64) -> CaseIndex {
        let mut set = CaseSet::default();
        let at = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        for id in 0..count {
            set.upsert(&CaseDigest {
                id: id + 1,
                lat: 17.47 + (id / 100) as f64 * 0.00005,
                lon: 106.6 + (id % 100) as f64 * 0.00005,
                category: "traffic".into(),
                area: None,
                agency: None,
                channel: Channel::Web,
                status: CaseStatus::Assigned,
                submitted_at: at,
                deadline: None,
                rejection: None,
                handled_on_time: None,
                rating: None,
                changed_at: at,
                screened_at: None,
                result_submitted_at: None,
                resolved_at: None,
            });
        }
        CaseIndex::of(set)
    }

    fn request_over(viewport: Bounds, zoom: u8) -> MapRequest {
        let params = MapParams { bbox: viewport.to_param(), zoom: zoom.to_string(), ..Default::default() };
        MapRequest::parse(&params).unwrap_or_else(|errors| panic!("a valid request: {errors:?}"))
    }

    #[test]
    fn an_answer_carries_at_most_the_feature_limit_and_still_counts_every_case() {
        let cases = MAX_MAP_FEATURES as i64 + 500;
        let index = quarter_of(cases);
        let viewport = Bounds { west: 106.5999, south: 17.4699, east: 106.6051, north: 17.4731 };
        let up_close = answer(&index, &request_over(viewport, 22), &Scope::Public, Utc::now(), None);
        assert_eq!(up_close.features.len(), MAX_MAP_FEATURES);
        assert!(up_close.truncated);
        assert_eq!(up_close.total, cases as u64, "the total counts past the limit");
        let far_out = answer(&index, &request_over(viewport, 14), &Scope::Public, Utc::now(), None);
        assert!(!far_out.truncated && far_out.features.len() < MAX_MAP_FEATURES);
        assert_eq!(far_out.total, cases as u64);
        let found: Vec<i64> = (1..=cases).filter(|id| id % 100 == 0).chain([cases + 7]).collect();
        let searched = answer(&index, &request_over(viewport, 22), &Scope::Public, Utc::now(), Some(&found));
        assert_eq!(searched.total, cases as u64 / 100, "only what the search found, and no case the index lacks");
        let ids: Vec<i64> = searched
            .features
            .iter()
            .filter_map(|feature| match feature {
                MapFeature::Case { id, .. } => Some(*id),
                MapFeature::Cluster { .. } => None,
            })
            .collect();
        assert!(ids.iter().all(|id| id % 100 == 0) && !ids.is_empty());
    }
}
