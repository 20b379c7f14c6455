//! The statistics' aggregation: one pass over the case index for the period's cases, so every figure comes from what the events say happened.

use crate::case_index::{CaseSet, CodeId};
use crate::context::ServerContext;
use crate::store::StoreError;
use chrono::{DateTime, Datelike, Utc};
use domain::case::CaseStatus;
use domain::statistics::{
    local_midnight, AgencyRow, CallTotals, CategoryRow, MonthRow, Period, RatingCounts, Statistics,
};
use domain::validation::{Field, Reason, ValidationError};
use domain::workflow::{Rating, RejectReason};
use std::collections::BTreeMap;

/// Why the statistics could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum StatisticsError {
    #[error("invalid statistics request")]
    Invalid(Vec<ValidationError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Per-code tallies, indexed by the index's code numbers.
#[derive(Default, Clone, Copy)]
struct AgencyTally {
    received: u64,
    handled: u64,
    on_time: u64,
    overdue_now: u64,
    ratings: RatingCounts,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    received: u64,
    accepted: u64,
    handled: u64,
}

/// What one pass over the cases counts; names are attached afterwards.
struct Counts {
    total: Tally,
    rejected: u64,
    rejected_by_reason: [u64; RejectReason::ALL.len()],
    on_time: u64,
    ratings: RatingCounts,
    by_category: Vec<Tally>,
    by_agency: Vec<AgencyTally>,
    by_month: Vec<Tally>,
}

fn add_rating(counts: &mut RatingCounts, rating: Rating) {
    match rating {
        Rating::Satisfied => counts.satisfied += 1,
        Rating::Acceptable => counts.acceptable += 1,
        Rating::Unsatisfied => counts.unsatisfied += 1,
    }
}

/// Counts the cases submitted in `[start, end)` (Unix seconds), in `area` if given.
fn count(set: &CaseSet, start: i64, end: i64, area: Option<CodeId>, month_starts: &[i64], now: i64) -> Counts {
    let mut counts = Counts {
        total: Tally::default(),
        rejected: 0,
        rejected_by_reason: [0; RejectReason::ALL.len()],
        on_time: 0,
        ratings: RatingCounts::default(),
        by_category: vec![Tally::default(); set.categories.len()],
        by_agency: vec![AgencyTally::default(); set.agencies.len()],
        by_month: vec![Tally::default(); month_starts.len()],
    };
    for case in set.cases() {
        if case.submitted_at < start || case.submitted_at >= end || (area.is_some() && case.area != area) {
            continue;
        }
        let accepted = case.is_accepted();
        let handled = case.handled_on_time.is_some();
        let month = month_starts.partition_point(|&m| m <= case.submitted_at).saturating_sub(1);
        for tally in [
            Some(&mut counts.total),
            counts.by_category.get_mut(usize::from(case.category)),
            counts.by_month.get_mut(month),
        ]
        .into_iter()
        .flatten()
        {
            tally.received += 1;
            tally.accepted += u64::from(accepted);
            tally.handled += u64::from(handled);
        }
        if case.status == CaseStatus::Rejected {
            counts.rejected += 1;
            if let Some(at) = case.rejection.and_then(|r| RejectReason::ALL.iter().position(|x| *x == r)) {
                counts.rejected_by_reason[at] += 1;
            }
        }
        let on_time = case.handled_on_time == Some(true);
        counts.on_time += u64::from(on_time);
        let rating = case.rating.filter(|_| handled);
        if let Some(rating) = rating {
            add_rating(&mut counts.ratings, rating);
        }
        if let Some(agency) = case.agency.filter(|_| accepted).and_then(|a| counts.by_agency.get_mut(usize::from(a))) {
            agency.received += 1;
            agency.handled += u64::from(handled);
            agency.on_time += u64::from(on_time);
            agency.overdue_now += u64::from(case.overdue_at(now));
            if let Some(rating) = rating {
                add_rating(&mut agency.ratings, rating);
            }
        }
    }
    counts
}

/// The statistics of `period` in `area` (an area code), aggregated from the case index and,
/// for accounts and calls, from the store.
pub async fn statistics(
    context: &ServerContext,
    period: Period,
    area: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Statistics, StatisticsError> {
    let store = context.store.as_ref();
    if let Some(code) = area {
        if !store.areas().await?.iter().any(|a| a.code == code) {
            return Err(StatisticsError::Invalid(vec![ValidationError::new(Field::Area, Reason::UnknownArea)]));
        }
    }
    // Independent reads: asked together, the request waits for the slowest, not for their sum.
    let (categories, agencies, accounts_registered, calls) = futures::join!(
        store.categories(),
        store.agencies(),
        store.count_citizen_accounts(period.end()),
        store.call_counts(period.start(), period.end()),
    );
    let (categories, agencies) = (categories?, agencies?);
    let (accounts_registered, calls) = (accounts_registered?, calls?);
    let months = period.months();
    let month_starts: Vec<i64> = months.iter().map(|m| local_midnight(*m).timestamp()).collect();
    let (start, end) = (period.start().timestamp(), period.end().timestamp());
    let (counts, category_codes, agency_codes) = context.index.read(|set| {
        // An area no case lies in matches nothing, rather than everything.
        let area_id = area.map(|code| set.areas.id(code).unwrap_or(CodeId::MAX));
        let counts = count(set, start, end, area_id, &month_starts, now.timestamp());
        let names = |codes: &crate::case_index::Codes| {
            (0..codes.len()).map(|i| codes.name(CodeId::try_from(i).unwrap_or(CodeId::MAX)).to_string()).collect()
        };
        let category_codes: Vec<String> = names(&set.categories);
        let agency_codes: Vec<String> = names(&set.agencies);
        (counts, category_codes, agency_codes)
    });
    let by_category =
        category_codes.iter().zip(&counts.by_category).filter(|(_, tally)| tally.received > 0).map(|(code, tally)| {
            let known = categories.iter().find(|c| &c.code == code);
            CategoryRow {
                code: code.clone(),
                name_vi: known.map_or_else(|| code.clone(), |c| c.name_vi.clone()),
                name_en: known.map_or_else(|| code.clone(), |c| c.name_en.clone()),
                received: tally.received,
                accepted: tally.accepted,
                handled: tally.handled,
            }
        });
    let mut by_category: Vec<CategoryRow> = by_category.collect();
    by_category.sort_by(|a, b| b.received.cmp(&a.received).then(a.code.cmp(&b.code)));
    let mut by_agency: Vec<AgencyRow> = agency_codes
        .iter()
        .zip(&counts.by_agency)
        .filter(|(_, tally)| tally.received > 0)
        .map(|(code, tally)| AgencyRow {
            code: code.clone(),
            name: agencies.iter().find(|a| &a.code == code).map_or_else(|| code.clone(), |a| a.name.clone()),
            received: tally.received,
            handled: tally.handled,
            on_time: tally.on_time,
            late: tally.handled - tally.on_time,
            overdue_now: tally.overdue_now,
            ratings: tally.ratings,
        })
        .collect();
    by_agency.sort_by(|a, b| b.received.cmp(&a.received).then(a.code.cmp(&b.code)));
    let by_month = months
        .iter()
        .zip(&counts.by_month)
        .map(|(month, tally)| MonthRow {
            month: format!("{:04}-{:02}", month.year(), month.month()),
            received: tally.received,
            accepted: tally.accepted,
            handled: tally.handled,
        })
        .collect();
    let rejected_by_reason: BTreeMap<String, u64> = RejectReason::ALL
        .iter()
        .zip(counts.rejected_by_reason)
        .map(|(reason, n)| (reason.as_str().to_string(), n))
        .collect();
    Ok(Statistics {
        from: period.from,
        to: period.to,
        area: area.map(str::to_string),
        received: counts.total.received,
        accepted: counts.total.accepted,
        rejected: counts.rejected,
        rejected_by_reason,
        handled: counts.total.handled,
        on_time: counts.on_time,
        late: counts.total.handled - counts.on_time,
        ratings: counts.ratings,
        agencies_participating: by_agency.len() as u64,
        ranking_minimum: context.ranking_minimum,
        accounts_registered,
        calls: CallTotals { inbound: calls.inbound, outbound: calls.outbound },
        by_category,
        by_agency,
        by_month,
    })
}
