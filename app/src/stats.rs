//! Statistics of a period and an area: the period they cover, their shape, and on the server
//! their aggregation over every case, so every figure comes from what the events say happened.

use crate::core::deadline::province_offset;
use crate::core::validation::{Field, Reason, ValidationError};
use crate::core::workflow::RejectReason;
use crate::error::AppError;
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// Whole days in the province's time zone, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Reads `from` and `to` as YYYY-MM-DD, refusing each bad one by name.
    pub fn parse(from: &str, to: &str) -> Result<Self, Vec<ValidationError>> {
        let day = |raw: &str, field| parse_day(raw, field)?.ok_or(ValidationError::new(field, Reason::InvalidDate));
        match (day(from, Field::PeriodFrom), day(to, Field::PeriodTo)) {
            (Ok(from), Ok(to)) if to < from => Err(vec![ValidationError::new(Field::PeriodTo, Reason::EndBeforeStart)]),
            (Ok(from), Ok(to)) => Ok(Self { from, to }),
            (from, to) => Err([from.err(), to.err()].into_iter().flatten().collect()),
        }
    }

    /// The twelve months up to and including the province's today at `now`.
    pub fn last_twelve_months(now: DateTime<Utc>) -> Self {
        let today = now.with_timezone(&province_offset()).date_naive();
        let from = today.checked_sub_months(chrono::Months::new(12)).and_then(|d| d.succ_opt()).unwrap_or(today);
        Self { from, to: today }
    }

    /// The instant the first day begins.
    pub fn start(&self) -> DateTime<Utc> {
        local_midnight(self.from)
    }

    /// The instant after the last day ends.
    pub fn end(&self) -> DateTime<Utc> {
        local_midnight(self.to.checked_add_days(Days::new(1)).unwrap_or(self.to))
    }

    /// The calendar months the period touches, oldest first.
    pub fn months(&self) -> Vec<NaiveDate> {
        let mut months = Vec::new();
        let mut month = self.from.with_day(1).unwrap_or(self.from);
        while month <= self.to {
            months.push(month);
            match month.checked_add_months(chrono::Months::new(1)) {
                Some(next) => month = next,
                None => break,
            }
        }
        months
    }
}

/// A day written YYYY-MM-DD in `field`; `None` when left empty. Every date filter reads days so.
pub fn parse_day(raw: &str, field: Field) -> Result<Option<NaiveDate>, ValidationError> {
    match raw.trim() {
        "" => Ok(None),
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ValidationError::new(field, Reason::InvalidDate)),
    }
}

fn local_midnight(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    province_offset().from_local_datetime(&midnight).single().map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingCounts {
    pub satisfied: u64,
    pub acceptable: u64,
    pub unsatisfied: u64,
}

impl RatingCounts {
    pub fn total(&self) -> u64 {
        self.satisfied + self.acceptable + self.unsatisfied
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallTotals {
    pub inbound: u64,
    pub outbound: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub received: u64,
    pub accepted: u64,
    pub handled: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRow {
    pub code: String,
    pub name: String,
    /// Cases received in the period and routed to this agency.
    pub received: u64,
    pub handled: u64,
    pub on_time: u64,
    pub late: u64,
    /// Of those cases, the ones being handled past their deadline now.
    pub overdue_now: u64,
    pub ratings: RatingCounts,
}

impl AgencyRow {
    /// The share of handled cases that were on time, in percent.
    pub fn on_time_percent(&self) -> Option<f64> {
        percent(self.on_time, self.handled)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRow {
    /// YYYY-MM.
    pub month: String,
    pub received: u64,
    pub accepted: u64,
    pub handled: u64,
}

/// The figures of a period, as `GET /api/v1/stats` serves them. Definitions are in the API docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub area: Option<String>,
    pub received: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub rejected_by_reason: std::collections::BTreeMap<String, u64>,
    pub handled: u64,
    pub on_time: u64,
    pub late: u64,
    pub ratings: RatingCounts,
    pub agencies_participating: u64,
    /// Handled cases an agency needs in the period to be ranked.
    pub ranking_minimum: u64,
    pub accounts_registered: u64,
    pub calls: CallTotals,
    pub by_category: Vec<CategoryRow>,
    pub by_agency: Vec<AgencyRow>,
    pub by_month: Vec<MonthRow>,
}

/// `part` of `whole` in percent, or `None` when there is no whole.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// A share with one decimal, as the pilot's reports wrote them: "65.0%"; a dash without data.
pub fn format_percent(share: Option<f64>) -> String {
    share.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "–".to_string())
}

impl Statistics {
    pub fn out_of_area(&self) -> u64 {
        self.rejected_by_reason.get(RejectReason::OutOfArea.as_str()).copied().unwrap_or(0)
    }

    pub fn on_time_percent(&self) -> Option<f64> {
        percent(self.on_time, self.handled)
    }

    pub fn late_percent(&self) -> Option<f64> {
        percent(self.late, self.handled)
    }

    /// Satisfied, acceptable and unsatisfied, each in percent of all ratings.
    pub fn rating_percents(&self) -> [Option<f64>; 3] {
        let total = self.ratings.total();
        [
            percent(self.ratings.satisfied, total),
            percent(self.ratings.acceptable, total),
            percent(self.ratings.unsatisfied, total),
        ]
    }

    /// Agencies with at least `minimum` handled cases, best on-time rate first; smaller ones
    /// are left out because a rate over two cases says little.
    pub fn agency_ranking(&self, minimum: u64) -> Vec<&AgencyRow> {
        let mut ranked: Vec<&AgencyRow> = self.by_agency.iter().filter(|row| row.handled >= minimum).collect();
        ranked.sort_by(|a, b| {
            let rate = |row: &AgencyRow| row.on_time_percent().unwrap_or(0.0);
            rate(b).total_cmp(&rate(a)).then(b.handled.cmp(&a.handled)).then(a.code.cmp(&b.code))
        });
        ranked
    }
}

/// The statistics of a period (dates YYYY-MM-DD, both included) and optionally one area.
#[server(prefix = "/api", endpoint = "statistics", input = GetUrl)]
pub async fn get_statistics(from: String, to: String, area: Option<String>) -> Result<Statistics, AppError> {
    let context = crate::api::ServerContext::current()?;
    let lang = crate::api::request_lang();
    let period =
        Period::parse(&from, &to).map_err(|errors| crate::error::with_status(AppError::invalid(lang, errors)))?;
    server::statistics(&context, period, area.as_deref().filter(|a| !a.is_empty()), Utc::now(), lang)
        .await
        .map_err(crate::error::with_status)
}

/// An area people can choose statistics for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaChoice {
    pub code: String,
    pub name: String,
}

/// The active areas, for the statistics page's choice.
#[server(prefix = "/api", endpoint = "statistics/areas", input = GetUrl)]
pub async fn statistics_areas() -> Result<Vec<AreaChoice>, AppError> {
    let context = crate::api::ServerContext::current()?;
    let areas = context.store.areas().await.map_err(|error| {
        tracing::error!(%error, "reading areas failed");
        crate::error::with_status(AppError::Unavailable)
    })?;
    Ok(areas.into_iter().filter(|a| a.active).map(|a| AreaChoice { code: a.code, name: a.name }).collect())
}

/// A case being handled past its deadline, as leaders follow them up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueCase {
    pub id: i64,
    pub title: String,
    pub agency_code: String,
    pub agency_name: String,
    pub deadline: DateTime<Utc>,
    /// Whole days past the deadline.
    pub days_overdue: i64,
}

/// Every case being handled past its deadline now, grouped by agency: for leaders and coordinators.
#[server(prefix = "/api", endpoint = "statistics/overdue", input = GetUrl)]
pub async fn overdue_by_agency() -> Result<Vec<OverdueCase>, AppError> {
    use crate::core::case::ActorRole;
    use crate::store::CaseQuery;
    const OVERDUE_LIST_LIMIT: u32 = 1_000;
    let context = crate::api::ServerContext::current()?;
    let account = crate::auth::require_account(&context).await?;
    if !matches!(account.role, ActorRole::Leader | ActorRole::Coordinator | ActorRole::Admin) {
        return Err(crate::error::with_status(AppError::Forbidden));
    }
    let failed = |error: crate::store::StoreError| {
        tracing::error!(%error, "reading overdue cases failed");
        crate::error::with_status(AppError::Unavailable)
    };
    let now = Utc::now();
    let agencies = context.store.agencies().await.map_err(failed)?;
    let cases = context.store.list_cases(&CaseQuery::Overdue { now }, OVERDUE_LIST_LIMIT).await.map_err(failed)?;
    // A coordinator bound to areas follows up their own areas' cases only.
    let scope = account.scope();
    Ok(cases
        .into_iter()
        .filter(|case| scope.covers(case.area_code.as_deref()))
        .filter_map(|case| {
            let (agency_code, deadline) = (case.facts.lead_agency?, case.facts.deadline?);
            let agency_name =
                agencies.iter().find(|a| a.code == agency_code).map_or_else(|| agency_code.clone(), |a| a.name.clone());
            Some(OverdueCase {
                id: case.id,
                title: case.title,
                agency_code,
                agency_name,
                deadline,
                days_overdue: (now - deadline).num_days(),
            })
        })
        .collect())
}

#[cfg(feature = "ssr")]
pub use server::statistics;

#[cfg(feature = "ssr")]
mod server {
    //! The aggregation: one pass over the case index for the period's cases.

    use super::*;
    use crate::api::ServerContext;
    use crate::case_index::{CaseSet, CodeId};
    use crate::core::case::CaseStatus;
    use crate::core::workflow::Rating;
    use std::collections::BTreeMap;

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
            if let Some(agency) =
                case.agency.filter(|_| accepted).and_then(|a| counts.by_agency.get_mut(usize::from(a)))
            {
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
    /// for accounts and calls, from the store; errors speak `lang`.
    pub async fn statistics(
        context: &ServerContext,
        period: Period,
        area: Option<&str>,
        now: DateTime<Utc>,
        lang: crate::i18n::Lang,
    ) -> Result<Statistics, AppError> {
        let store = context.store.as_ref();
        let fail = |error: crate::store::StoreError| {
            tracing::error!(%error, "reading statistics failed");
            AppError::Unavailable
        };
        if let Some(code) = area {
            if !store.areas().await.map_err(fail)?.iter().any(|a| a.code == code) {
                return Err(AppError::invalid(lang, vec![ValidationError::new(Field::Area, Reason::UnknownArea)]));
            }
        }
        // Independent reads: asked together, the request waits for the slowest, not for their sum.
        let (categories, agencies, accounts_registered, calls) = futures::join!(
            store.categories(),
            store.agencies(),
            store.count_citizen_accounts(period.end()),
            store.call_counts(period.start(), period.end()),
        );
        let (categories, agencies) = (categories.map_err(fail)?, agencies.map_err(fail)?);
        let (accounts_registered, calls) = (accounts_registered.map_err(fail)?, calls.map_err(fail)?);
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
        let by_category = category_codes.iter().zip(&counts.by_category).filter(|(_, tally)| tally.received > 0).map(
            |(code, tally)| {
                let known = categories.iter().find(|c| &c.code == code);
                CategoryRow {
                    code: code.clone(),
                    name_vi: known.map_or_else(|| code.clone(), |c| c.name_vi.clone()),
                    name_en: known.map_or_else(|| code.clone(), |c| c.name_en.clone()),
                    received: tally.received,
                    accepted: tally.accepted,
                    handled: tally.handled,
                }
            },
        );
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_period_covers_whole_province_days() {
        let period = Period::parse("2022-11-01", "2023-06-30").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(period.start().to_rfc3339(), "2022-10-31T17:00:00+00:00");
        assert_eq!(period.end().to_rfc3339(), "2023-06-30T17:00:00+00:00");
        assert_eq!(period.months().len(), 8);
        assert_eq!(period.months().first(), Some(&day("2022-11-01")));
    }

    #[test]
    fn bad_dates_are_refused_by_field() {
        let fields = |from: &str, to: &str| {
            Period::parse(from, to)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.field, e.reason))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields("2023-02-30", "x"),
            vec![(Field::PeriodFrom, Reason::InvalidDate), (Field::PeriodTo, Reason::InvalidDate)]
        );
        assert_eq!(fields("2023-06-30", "2023-06-01"), vec![(Field::PeriodTo, Reason::EndBeforeStart)]);
        assert!(fields("2023-06-01", "2023-06-01").is_empty());
    }

    #[test]
    fn shares_read_as_the_pilot_wrote_them() {
        assert_eq!(format_percent(percent(130, 200)), "65.0%");
        assert_eq!(format_percent(percent(36, 47)), "76.6%");
        assert_eq!(format_percent(percent(7, 47)), "14.9%");
        assert_eq!(format_percent(percent(4, 47)), "8.5%");
        assert_eq!(format_percent(percent(1, 0)), "–");
    }
}
