//! The statistics' and scorecards' aggregation: one pass over the case index for the period's cases, so every figure comes from what the events say happened.

use crate::case_index::{CaseSet, CodeId, Codes, IndexedCase};
use crate::context::ServerContext;
use crate::store::StoreError;
use chrono::{DateTime, Datelike, Utc};
use domain::case::CaseStatus;
use domain::catalogue::{Agency, Category};
use domain::deadline::HolidayCalendar;
use domain::map_query::Bounds;
use domain::statistics::{
    agency_ranking, local_midnight, median, AgencyRow, CallTotals, CategoryRow, MonthRow, Period, RatingCounts,
    Scorecard, ScorecardKind, ScorecardMonth, Statistics,
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

/// Which cases the totals, the categories and the months count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Province,
    /// The cases reported in the area with this code.
    Area(&'a str),
    /// The cases routed to the agency with this code: exactly those its row in `by_agency` counts.
    Agency(&'a str),
}

/// [`Scope`] with the index's code numbers; a code no case uses matches nothing, rather than everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeId {
    Province,
    Area(CodeId),
    Agency(CodeId),
}

impl ScopeId {
    fn of(scope: Scope<'_>, set: &CaseSet) -> Self {
        match scope {
            Scope::Province => ScopeId::Province,
            Scope::Area(code) => ScopeId::Area(set.areas.id(code).unwrap_or(CodeId::MAX)),
            Scope::Agency(code) => ScopeId::Agency(set.agencies.id(code).unwrap_or(CodeId::MAX)),
        }
    }
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
    /// Accepted at screening.
    accepted: u64,
    /// Taken up by the agency it was routed to.
    taken_up: u64,
    handled: u64,
    on_time: u64,
}

/// What one pass over the cases counts; names are attached afterwards.
struct Counts {
    total: Tally,
    rejected: u64,
    rejected_by_reason: [u64; RejectReason::ALL.len()],
    ratings: RatingCounts,
    open_now: u64,
    overdue_now: u64,
    by_category: Vec<Tally>,
    by_agency: Vec<AgencyTally>,
    by_month: Vec<Tally>,
    /// Where the public cases in scope lie.
    extent: Option<Bounds>,
    /// For each handled case, the working days from its report to its approved result; counted
    /// only when a calendar is given.
    working_days: Vec<u32>,
}

fn add_rating(counts: &mut RatingCounts, rating: Rating) {
    match rating {
        Rating::Satisfied => counts.satisfied += 1,
        Rating::Acceptable => counts.acceptable += 1,
        Rating::Unsatisfied => counts.unsatisfied += 1,
    }
}

/// Being handled now: routed and neither returned nor finished.
fn is_open(case: &IndexedCase) -> bool {
    matches!(case.status, CaseStatus::Assigned | CaseStatus::InProgress)
}

/// Taken up by its agency: acknowledged, whatever happened after.
fn is_taken_up(case: &IndexedCase) -> bool {
    matches!(case.status, CaseStatus::InProgress | CaseStatus::ResultReview | CaseStatus::Resolved | CaseStatus::Closed)
}

fn widen(extent: Option<Bounds>, case: &IndexedCase) -> Bounds {
    match extent {
        None => Bounds { west: case.lon, south: case.lat, east: case.lon, north: case.lat },
        Some(b) => Bounds {
            west: b.west.min(case.lon),
            south: b.south.min(case.lat),
            east: b.east.max(case.lon),
            north: b.north.max(case.lat),
        },
    }
}

/// The working days from a case's report to its approved result, by `calendar`; `None` until approved.
fn days_to_result(case: &IndexedCase, calendar: &HolidayCalendar) -> Option<u32> {
    let reported = DateTime::from_timestamp(case.submitted_at, 0)?;
    let approved = DateTime::from_timestamp(case.resolved_at?, 0)?;
    Some(calendar.working_days_between(reported, approved))
}

/// What a pass counts: the cases submitted in `[start, end)` (Unix seconds) in a scope, by month.
struct Query<'a> {
    start: i64,
    end: i64,
    scope: ScopeId,
    month_starts: &'a [i64],
    now: i64,
    /// The calendar working days are counted by, when the pass is to time results.
    calendar: Option<&'a HolidayCalendar>,
}

/// Counts the cases of the query. An area scope bounds every figure; an agency scope bounds the
/// totals, categories and months, while `by_agency` still counts every agency, so that the
/// agency's place in the ranking can be read off it.
fn count(set: &CaseSet, query: &Query<'_>) -> Counts {
    let Query { start, end, scope, month_starts, now, calendar } = *query;
    let mut counts = Counts {
        total: Tally::default(),
        rejected: 0,
        rejected_by_reason: [0; RejectReason::ALL.len()],
        ratings: RatingCounts::default(),
        open_now: 0,
        overdue_now: 0,
        by_category: vec![Tally::default(); set.categories.len()],
        by_agency: vec![AgencyTally::default(); set.agencies.len()],
        by_month: vec![Tally::default(); month_starts.len()],
        extent: None,
        working_days: Vec::new(),
    };
    for case in set.cases() {
        if case.submitted_at < start || case.submitted_at >= end {
            continue;
        }
        if let ScopeId::Area(area) = scope {
            if case.area != Some(area) {
                continue;
            }
        }
        let accepted = case.is_accepted();
        let handled = case.handled_on_time.is_some();
        let on_time = case.handled_on_time == Some(true);
        let rating = case.rating.filter(|_| handled);
        let overdue = case.overdue_at(now);
        let routed_to = case.agency.filter(|_| accepted);
        if let Some(agency) = routed_to.and_then(|a| counts.by_agency.get_mut(usize::from(a))) {
            agency.received += 1;
            agency.handled += u64::from(handled);
            agency.on_time += u64::from(on_time);
            agency.overdue_now += u64::from(overdue);
            if let Some(rating) = rating {
                add_rating(&mut agency.ratings, rating);
            }
        }
        // The same condition as the agency's row above: its scorecard and its row count one set.
        if let ScopeId::Agency(agency) = scope {
            if routed_to != Some(agency) {
                continue;
            }
        }
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
            tally.taken_up += u64::from(routed_to.is_some() && is_taken_up(case));
            tally.handled += u64::from(handled);
            tally.on_time += u64::from(on_time);
        }
        if case.status == CaseStatus::Rejected {
            counts.rejected += 1;
            if let Some(at) = case.rejection.and_then(|r| RejectReason::ALL.iter().position(|x| *x == r)) {
                counts.rejected_by_reason[at] += 1;
            }
        }
        if let Some(rating) = rating {
            add_rating(&mut counts.ratings, rating);
        }
        counts.open_now += u64::from(is_open(case));
        counts.overdue_now += u64::from(overdue);
        if case.is_public() {
            counts.extent = Some(widen(counts.extent, case));
        }
        if let Some(days) = calendar.filter(|_| handled).and_then(|calendar| days_to_result(case, calendar)) {
            counts.working_days.push(days);
        }
    }
    counts
}

/// One pass over the index, with the codes its per-code tallies are numbered by.
struct Pass {
    counts: Counts,
    category_codes: Vec<String>,
    agency_codes: Vec<String>,
}

fn names(codes: &Codes) -> Vec<String> {
    (0..codes.len()).map(|i| codes.name(CodeId::try_from(i).unwrap_or(CodeId::MAX)).to_string()).collect()
}

fn pass(
    set: &CaseSet,
    period: &Period,
    scope: Scope<'_>,
    now: DateTime<Utc>,
    calendar: Option<&HolidayCalendar>,
) -> Pass {
    let month_starts: Vec<i64> = period.months().iter().map(|m| local_midnight(*m).timestamp()).collect();
    let query = Query {
        start: period.start().timestamp(),
        end: period.end().timestamp(),
        scope: ScopeId::of(scope, set),
        month_starts: &month_starts,
        now: now.timestamp(),
        calendar,
    };
    let counts = count(set, &query);
    Pass { counts, category_codes: names(&set.categories), agency_codes: names(&set.agencies) }
}

/// The agencies with cases in the pass, busiest first, named from the catalogue.
fn agency_rows(pass: &Pass, agencies: &[Agency]) -> Vec<AgencyRow> {
    let mut rows: Vec<AgencyRow> = pass
        .agency_codes
        .iter()
        .zip(&pass.counts.by_agency)
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
    rows.sort_by(|a, b| b.received.cmp(&a.received).then(a.code.cmp(&b.code)));
    rows
}

fn category_rows(pass: &Pass, categories: &[Category]) -> Vec<CategoryRow> {
    let mut rows: Vec<CategoryRow> = pass
        .category_codes
        .iter()
        .zip(&pass.counts.by_category)
        .filter(|(_, tally)| tally.received > 0)
        .map(|(code, tally)| {
            let known = categories.iter().find(|c| &c.code == code);
            CategoryRow {
                code: code.clone(),
                name_vi: known.map_or_else(|| code.clone(), |c| c.name_vi.clone()),
                name_en: known.map_or_else(|| code.clone(), |c| c.name_en.clone()),
                received: tally.received,
                accepted: tally.accepted,
                handled: tally.handled,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.received.cmp(&a.received).then(a.code.cmp(&b.code)));
    rows
}

fn month_name(month: &chrono::NaiveDate) -> String {
    format!("{:04}-{:02}", month.year(), month.month())
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
    let scope = area.map_or(Scope::Province, Scope::Area);
    let pass = context.index.read(|set| pass(set, &period, scope, now, None));
    let by_agency = agency_rows(&pass, &agencies);
    let by_month = period
        .months()
        .iter()
        .zip(&pass.counts.by_month)
        .map(|(month, tally)| MonthRow {
            month: month_name(month),
            received: tally.received,
            accepted: tally.accepted,
            handled: tally.handled,
        })
        .collect();
    let counts = &pass.counts;
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
        on_time: counts.total.on_time,
        late: counts.total.handled - counts.total.on_time,
        ratings: counts.ratings,
        agencies_participating: by_agency.len() as u64,
        ranking_minimum: context.ranking_minimum,
        accounts_registered,
        calls: CallTotals { inbound: calls.inbound, outbound: calls.outbound },
        by_category: category_rows(&pass, &categories),
        by_agency,
        by_month,
    })
}

/// Whose scorecard, and what to call it.
struct Subject<'a> {
    kind: ScorecardKind,
    code: &'a str,
    name: String,
}

/// The scorecard of a pass made in the subject's scope.
fn scorecard_of(subject: Subject<'_>, period: &Period, mut pass: Pass, agencies: &[Agency], minimum: u64) -> Scorecard {
    let mut working_days = std::mem::take(&mut pass.counts.working_days);
    let pass = &pass;
    let counts = &pass.counts;
    let (rank, ranked) = match subject.kind {
        ScorecardKind::Agency => {
            let rows = agency_rows(pass, agencies);
            let ranking = agency_ranking(&rows, minimum);
            let rank = ranking.iter().position(|row| row.code == subject.code).map(|at| at as u64 + 1);
            (rank, ranking.len() as u64)
        }
        ScorecardKind::Area => (None, 0),
    };
    // An agency's "accepted" is what it took up: every case routed to it was accepted at screening.
    let accepted = |tally: &Tally| match subject.kind {
        ScorecardKind::Agency => tally.taken_up,
        ScorecardKind::Area => tally.accepted,
    };
    let by_month = period
        .months()
        .iter()
        .zip(&counts.by_month)
        .map(|(month, tally)| ScorecardMonth {
            month: month_name(month),
            received: tally.received,
            accepted: accepted(tally),
            handled: tally.handled,
            on_time: tally.on_time,
        })
        .collect();
    Scorecard {
        kind: subject.kind,
        code: subject.code.to_string(),
        name: subject.name,
        from: period.from,
        to: period.to,
        received: counts.total.received,
        accepted: accepted(&counts.total),
        handled: counts.total.handled,
        on_time: counts.total.on_time,
        late: counts.total.handled - counts.total.on_time,
        open_now: counts.open_now,
        overdue_now: counts.overdue_now,
        ratings: counts.ratings,
        median_working_days: median(&mut working_days),
        by_month,
        ranking_minimum: minimum,
        rank,
        ranked,
        extent: counts.extent,
    }
}

/// The scorecard of the agency or area `code` for `period`; `None` when the catalogue has no such code.
pub async fn scorecard(
    context: &ServerContext,
    kind: ScorecardKind,
    code: &str,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Option<Scorecard>, StatisticsError> {
    let store = context.store.as_ref();
    let (agencies, areas, holidays) = futures::join!(store.agencies(), store.areas(), store.holidays());
    let (agencies, areas, holidays) = (agencies?, areas?, holidays?);
    let name = match kind {
        ScorecardKind::Agency => agencies.iter().find(|a| a.code == code).map(|a| a.name.clone()),
        ScorecardKind::Area => areas.iter().find(|a| a.code == code).map(|a| a.name.clone()),
    };
    let Some(name) = name else { return Ok(None) };
    let calendar = HolidayCalendar::new(holidays.into_iter().map(|h| h.date));
    let scope = match kind {
        ScorecardKind::Agency => Scope::Agency(code),
        ScorecardKind::Area => Scope::Area(code),
    };
    let pass = context.index.read(|set| pass(set, &period, scope, now, Some(&calendar)));
    Ok(Some(scorecard_of(Subject { kind, code, name }, &period, pass, &agencies, context.ranking_minimum)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::CaseDigest;
    use domain::case::Channel;

    /// Noon in the province on `day`, as UTC.
    fn noon(day: &str) -> DateTime<Utc> {
        let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap_or_default();
        local_midnight(day) + chrono::Duration::hours(12)
    }

    fn case(id: i64, day: &str, area: &str, agency: Option<&str>, status: CaseStatus) -> CaseDigest {
        CaseDigest {
            id,
            lat: 17.47 + id as f64 * 0.001,
            lon: 106.6,
            category: "traffic".into(),
            area: Some(area.into()),
            agency: agency.map(str::to_string),
            channel: Channel::Web,
            status,
            submitted_at: noon(day),
            deadline: agency.map(|_| noon(day) + chrono::Duration::days(7)),
            rejection: None,
            handled_on_time: None,
            rating: None,
            changed_at: noon(day),
            screened_at: agency.map(|_| noon(day)),
            result_submitted_at: None,
            resolved_at: None,
        }
    }

    fn handled(digest: CaseDigest, on_time: bool, rating: Option<Rating>) -> CaseDigest {
        CaseDigest { status: CaseStatus::Resolved, handled_on_time: Some(on_time), rating, ..digest }
    }

    /// Two agencies and two areas over three months, with every kind of case, one case outside
    /// the period and one rejected.
    fn pilot() -> CaseSet {
        let mut set = CaseSet::default();
        let cases = [
            handled(case(1, "2023-01-05", "north", Some("roads"), CaseStatus::Resolved), true, Some(Rating::Satisfied)),
            handled(
                case(2, "2023-01-20", "south", Some("roads"), CaseStatus::Resolved),
                false,
                Some(Rating::Unsatisfied),
            ),
            handled(case(3, "2023-02-02", "north", Some("roads"), CaseStatus::Resolved), true, None),
            case(4, "2023-02-10", "north", Some("roads"), CaseStatus::InProgress),
            case(5, "2023-03-01", "south", Some("roads"), CaseStatus::Assigned),
            handled(
                case(6, "2023-01-09", "north", Some("water"), CaseStatus::Resolved),
                true,
                Some(Rating::Acceptable),
            ),
            case(7, "2023-02-14", "south", Some("water"), CaseStatus::InProgress),
            case(8, "2023-02-15", "north", None, CaseStatus::Rejected),
            case(9, "2023-02-16", "north", None, CaseStatus::Submitted),
            handled(case(10, "2022-12-30", "north", Some("roads"), CaseStatus::Resolved), true, None),
            CaseDigest {
                status: CaseStatus::ResultReview,
                ..case(11, "2023-03-20", "south", Some("roads"), CaseStatus::ResultReview)
            },
        ];
        for digest in &cases {
            set.upsert(digest);
        }
        set
    }

    fn period() -> Period {
        Period::parse("2023-01-01", "2023-03-31").unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn agency(code: &str) -> Subject<'_> {
        Subject { kind: ScorecardKind::Agency, code, name: code.to_uppercase() }
    }

    #[test]
    fn an_agency_scorecard_equals_its_row_in_the_statistics() {
        let set = pilot();
        // Every case is a week past its deadline at this time, so the open ones are overdue.
        let now = noon("2023-06-01");
        let province = pass(&set, &period(), Scope::Province, now, None);
        let rows = agency_rows(&province, &[]);
        assert_eq!(rows.len(), 2);
        for row in &rows {
            let own = pass(&set, &period(), Scope::Agency(&row.code), now, None);
            let card = scorecard_of(agency(&row.code), &period(), own, &[], 1);
            assert_eq!(
                (card.received, card.handled, card.on_time, card.late, card.overdue_now, card.ratings),
                (row.received, row.handled, row.on_time, row.late, row.overdue_now, row.ratings),
                "{}",
                row.code
            );
            let months: u64 = card.by_month.iter().map(|m| m.received).sum();
            assert_eq!(months, row.received, "every case of {} falls in one month", row.code);
        }
        let roads =
            scorecard_of(agency("roads"), &period(), pass(&set, &period(), Scope::Agency("roads"), now, None), &[], 1);
        assert_eq!((roads.received, roads.handled, roads.on_time, roads.late), (6, 3, 2, 1));
        assert_eq!(roads.accepted, 5, "taken up: all but the one still only assigned");
        assert_eq!((roads.open_now, roads.overdue_now), (2, 2));
        assert_eq!(roads.ratings, RatingCounts { satisfied: 1, acceptable: 0, unsatisfied: 1 });
        let trend: Vec<(String, u64, u64)> =
            roads.by_month.iter().map(|m| (m.month.clone(), m.received, m.handled)).collect();
        assert_eq!(trend, vec![("2023-01".into(), 2, 2), ("2023-02".into(), 2, 1), ("2023-03".into(), 2, 0)]);
    }

    #[test]
    fn the_ranking_on_a_scorecard_is_the_statistics_ranking() {
        let set = pilot();
        let now = noon("2023-06-01");
        let rows = agency_rows(&pass(&set, &period(), Scope::Province, now, None), &[]);
        let card = |code, minimum| {
            scorecard_of(agency(code), &period(), pass(&set, &period(), Scope::Agency(code), now, None), &[], minimum)
        };
        // water: 1 of 1 on time; roads: 2 of 3.
        assert_eq!(
            agency_ranking(&rows, 1).iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
            vec!["water", "roads"]
        );
        assert_eq!((card("water", 1).rank, card("roads", 1).rank, card("roads", 1).ranked), (Some(1), Some(2), 2));
        // With a minimum of two handled cases, water is below it and is not ranked.
        assert_eq!((card("water", 2).rank, card("roads", 2).rank, card("roads", 2).ranked), (None, Some(1), 1));
    }

    #[test]
    fn an_area_scorecard_counts_what_the_statistics_of_the_area_count() {
        let set = pilot();
        let now = noon("2023-06-01");
        let area = pass(&set, &period(), Scope::Area("north"), now, None);
        let card = scorecard_of(
            Subject { kind: ScorecardKind::Area, code: "north", name: "North".into() },
            &period(),
            area,
            &[],
            1,
        );
        assert_eq!((card.received, card.accepted, card.handled, card.on_time, card.late), (6, 4, 3, 3, 0));
        assert_eq!((card.open_now, card.overdue_now), (1, 1));
        assert_eq!((card.rank, card.ranked), (None, 0), "areas are not ranked");
        // The public cases only: case 9 is not yet screened and stays off the map's extent.
        let extent = card.extent.unwrap_or(Bounds { west: 0.0, south: 0.0, east: 0.0, north: 0.0 });
        assert!((extent.north - 17.478).abs() < 1e-9, "{extent:?}");
        assert!((extent.south - 17.471).abs() < 1e-9, "{extent:?}");
        let unknown = pass(&set, &period(), Scope::Area("atlantis"), now, None);
        assert_eq!(unknown.counts.total.received, 0, "an area no case lies in matches nothing");
        let province = pass(&set, &period(), Scope::Province, now, None);
        let south = pass(&set, &period(), Scope::Area("south"), now, None);
        assert_eq!(card.received + south.counts.total.received, province.counts.total.received);
    }

    /// Reported at `reported` (a day at noon) and approved at noon on `approved`.
    fn timed(id: i64, reported: &str, approved: &str) -> CaseDigest {
        let digest = handled(case(id, reported, "north", Some("roads"), CaseStatus::Resolved), true, None);
        CaseDigest { result_submitted_at: Some(noon(approved)), resolved_at: Some(noon(approved)), ..digest }
    }

    #[test]
    fn the_median_counts_working_days_across_weekends_and_holidays() {
        let calendar = domain::deadline::shipped_calendar();
        let mut set = CaseSet::default();
        // Friday 3 March 2023 to Monday 6 March: the weekend is not counted, one working day.
        set.upsert(&timed(1, "2023-03-03", "2023-03-06"));
        // Friday 28 April 2023 to Thursday 4 May: 29 April–3 May are days off, one working day.
        set.upsert(&timed(2, "2023-04-28", "2023-05-04"));
        // Thursday 19 January 2023 to Tuesday 31 January: Friday 27, Monday 30, Tuesday 31 (Tết in between).
        set.upsert(&timed(3, "2023-01-19", "2023-01-31"));
        // Monday 6 March to Monday 20 March: two working weeks.
        set.upsert(&timed(4, "2023-03-06", "2023-03-20"));
        // Open, and handled without a recorded approval time: neither is timed.
        set.upsert(&case(5, "2023-03-06", "north", Some("roads"), CaseStatus::InProgress));
        set.upsert(&handled(case(6, "2023-03-07", "north", Some("roads"), CaseStatus::Resolved), true, None));
        let now = noon("2023-07-01");
        let period = || Period::parse("2023-01-01", "2023-06-30").unwrap_or_else(|e| panic!("{e:?}"));
        let timed_pass = pass(&set, &period(), Scope::Agency("roads"), now, Some(&calendar));
        let mut days = timed_pass.counts.working_days.clone();
        days.sort_unstable();
        assert_eq!(days, vec![1, 1, 3, 10]);
        let card = scorecard_of(agency("roads"), &period(), timed_pass, &[], 1);
        assert_eq!(card.median_working_days, Some(2.0), "the mean of the middle two, 1 and 3");
        let untimed = pass(&set, &period(), Scope::Agency("roads"), now, None);
        assert!(untimed.counts.working_days.is_empty(), "the statistics do not time results");
        let area = pass(&set, &period(), Scope::Area("south"), now, Some(&calendar));
        let card = scorecard_of(
            Subject { kind: ScorecardKind::Area, code: "south", name: "South".into() },
            &period(),
            area,
            &[],
            1,
        );
        assert_eq!(card.median_working_days, None, "no handled case, no median");
    }
}
