//! The published statistics: the period they cover and the figures, as data every side reads.

use crate::deadline::province_offset;
use crate::map_query::Bounds;
use crate::validation::{Field, Reason, ValidationError};
use crate::workflow::RejectReason;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whole days in the province's time zone, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The first and last days a period may touch: the system's records lie well within them.
    pub const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
        Some(day) => day,
        None => NaiveDate::MIN,
    };
    pub const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
        Some(day) => day,
        None => NaiveDate::MAX,
    };
    /// The longest period one answer covers, so its monthly rows stay few.
    pub const MAX_YEARS: u32 = 10;

    /// Reads `from` and `to` as YYYY-MM-DD, refusing each bad one by name, and any day outside
    /// [`Self::FIRST_DAY`]..=[`Self::LAST_DAY`] or a period longer than [`Self::MAX_YEARS`].
    pub fn parse(from: &str, to: &str) -> Result<Self, Vec<ValidationError>> {
        let day = |raw: &str, field| {
            let day = parse_day(raw, field)?.ok_or(ValidationError::new(field, Reason::InvalidDate))?;
            if Self::FIRST_DAY <= day && day <= Self::LAST_DAY {
                Ok(day)
            } else {
                Err(ValidationError::new(field, Reason::OutOfRange))
            }
        };
        match (day(from, Field::PeriodFrom), day(to, Field::PeriodTo)) {
            (Ok(from), Ok(to)) if to < from => Err(vec![ValidationError::new(Field::PeriodTo, Reason::EndBeforeStart)]),
            (Ok(from), Ok(to))
                if from.checked_add_months(Months::new(12 * Self::MAX_YEARS)).is_none_or(|end| to >= end) =>
            {
                let reason = Reason::PeriodTooLong { max_years: Self::MAX_YEARS };
                Err(vec![ValidationError::new(Field::PeriodTo, reason)])
            }
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

pub fn local_midnight(day: NaiveDate) -> DateTime<Utc> {
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
    pub rejected_by_reason: BTreeMap<String, u64>,
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
        agency_ranking(&self.by_agency, minimum)
    }
}

/// The rows with at least `minimum` handled cases, best on-time rate first, then the busier, then
/// by code: the one ranking the statistics page and the scorecards both show.
pub fn agency_ranking(rows: &[AgencyRow], minimum: u64) -> Vec<&AgencyRow> {
    let mut ranked: Vec<&AgencyRow> = rows.iter().filter(|row| row.handled >= minimum).collect();
    ranked.sort_by(|a, b| {
        let rate = |row: &AgencyRow| row.on_time_percent().unwrap_or(0.0);
        rate(b).total_cmp(&rate(a)).then(b.handled.cmp(&a.handled)).then(a.code.cmp(&b.code))
    });
    ranked
}

/// The middle value, or the mean of the two middle ones; `None` for no values. Reorders `values`.
pub fn median(values: &mut [u32]) -> Option<f64> {
    let (len, middle) = (values.len(), values.len() / 2);
    if len == 0 {
        return None;
    }
    let (below, upper, _) = values.select_nth_unstable(middle);
    let upper = f64::from(*upper);
    if len % 2 == 1 {
        return Some(upper);
    }
    // The lower middle is the largest of the values placed below the upper one.
    Some(below.iter().max().map_or(upper, |lower| (f64::from(*lower) + upper) / 2.0))
}

/// Whose figures a scorecard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScorecardKind {
    /// The cases routed to an agency.
    Agency,
    /// The cases reported in an area.
    Area,
}

impl ScorecardKind {
    /// The path segment of its pages and API: `/agencies/CODE`, `/areas/CODE`.
    pub fn segment(self) -> &'static str {
        match self {
            ScorecardKind::Agency => "agencies",
            ScorecardKind::Area => "areas",
        }
    }
}

/// One month of a scorecard's trend, by the month the cases were reported in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorecardMonth {
    /// YYYY-MM.
    pub month: String,
    pub received: u64,
    pub accepted: u64,
    pub handled: u64,
    pub on_time: u64,
}

impl ScorecardMonth {
    pub fn on_time_percent(&self) -> Option<f64> {
        percent(self.on_time, self.handled)
    }
}

/// One agency's or one area's figures for a period, counted in the same pass and by the same
/// rules as [`Statistics`]: an agency's equal its row in `by_agency`, an area's equal the
/// statistics asked for that area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub kind: ScorecardKind,
    pub code: String,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// An agency: the cases reported in the period and routed to it. An area: the cases reported in it.
    pub received: u64,
    /// An agency: of those, the ones it has taken up (acknowledged). An area: the ones accepted at screening.
    pub accepted: u64,
    /// With an approved result.
    pub handled: u64,
    /// Handled, with the result submitted by the deadline in force.
    pub on_time: u64,
    pub late: u64,
    /// Still being handled now (assigned or in progress).
    pub open_now: u64,
    /// Of those, the ones past their deadline now.
    pub overdue_now: u64,
    pub ratings: RatingCounts,
    /// The median of the working days from report to approved result, over the handled cases.
    pub median_working_days: Option<f64>,
    pub by_month: Vec<ScorecardMonth>,
    /// Handled cases an agency needs in the period to be ranked.
    pub ranking_minimum: u64,
    /// An agency's place in the period's ranking (1 is best), when it has the minimum volume.
    pub rank: Option<u64>,
    /// How many agencies the period's ranking holds.
    pub ranked: u64,
    /// Where the period's public cases lie, to open the map on them; `None` without any.
    pub extent: Option<Bounds>,
}

impl Scorecard {
    pub fn on_time_percent(&self) -> Option<f64> {
        percent(self.on_time, self.handled)
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

    /// The centre and zoom that show [`Self::extent`] whole on a map of `width` × `height`
    /// pixels, between the province (zoom 9) and a street (zoom 16); `None` without an extent.
    pub fn map_view(&self, width: f64, height: f64) -> Option<((f64, f64), u8)> {
        let extent = self.extent?;
        let centre = ((extent.south + extent.north) / 2.0, (extent.west + extent.east) / 2.0);
        let fits = |zoom: &u8| {
            let (w, h) = extent.pixel_size(*zoom);
            w <= width && h <= height
        };
        let zoom = (9..=16).rev().find(fits).unwrap_or(9);
        Some((centre, zoom))
    }
}

/// Columns a monthly chart holds before it groups months: past this many months it shows
/// quarters, past this many quarters years, so the labels stay readable.
pub const MAX_CHART_COLUMNS: usize = 18;

/// The received cases of `months` (oldest first, as [`Statistics::by_month`] lists them) as chart
/// columns: one per month, or per quarter (`Q1/2023`) or year (`2023`) when the months are more
/// than [`MAX_CHART_COLUMNS`]. Every case is in exactly one column.
pub fn chart_columns(months: &[MonthRow]) -> Vec<(String, u64)> {
    let quarter_of = |month: &str| -> Option<String> {
        let (year, number) = month.split_once('-')?;
        let number: u32 = number.parse().ok()?;
        Some(format!("Q{}/{year}", number.div_ceil(3)))
    };
    let year_of = |month: &str| month.split_once('-').map(|(year, _)| year.to_string());
    let group = |key: &dyn Fn(&str) -> Option<String>| {
        let mut columns: Vec<(String, u64)> = Vec::new();
        for row in months {
            let label = key(&row.month).unwrap_or_else(|| row.month.clone());
            match columns.last_mut() {
                Some((last, total)) if *last == label => *total += row.received,
                _ => columns.push((label, row.received)),
            }
        }
        columns
    };
    if months.len() <= MAX_CHART_COLUMNS {
        return months.iter().map(|row| (row.month.clone(), row.received)).collect();
    }
    let quarters = group(&quarter_of);
    if quarters.len() <= MAX_CHART_COLUMNS {
        quarters
    } else {
        group(&year_of)
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
    fn a_period_stays_within_the_records_and_ten_years() {
        let fields = |from: &str, to: &str| Period::parse(from, to).err().unwrap_or_default();
        let too_long = vec![ValidationError::new(Field::PeriodTo, Reason::PeriodTooLong { max_years: 10 })];
        assert!(fields("2016-01-01", "2025-12-31").is_empty(), "ten whole years");
        assert_eq!(fields("2016-01-01", "2026-01-01"), too_long);
        assert_eq!(
            fields("1000-01-01", "9999-12-31"),
            vec![
                ValidationError::new(Field::PeriodFrom, Reason::OutOfRange),
                ValidationError::new(Field::PeriodTo, Reason::OutOfRange)
            ]
        );
        assert_eq!(fields("2100-12-31", "2100-12-31"), Vec::new());
        assert_eq!(
            fields("1999-12-31", "2000-01-01"),
            vec![ValidationError::new(Field::PeriodFrom, Reason::OutOfRange)]
        );
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [4]), Some(4.0));
        assert_eq!(median(&mut [9, 1, 5]), Some(5.0));
        assert_eq!(median(&mut [9, 1, 5, 2]), Some(3.5));
        assert_eq!(median(&mut [3, 3, 3, 0]), Some(3.0));
        assert_eq!(median(&mut [7, 0, 0, 7, 7, 0]), Some(3.5));
    }

    fn row(code: &str, handled: u64, on_time: u64) -> AgencyRow {
        AgencyRow {
            code: code.into(),
            name: code.into(),
            received: handled,
            handled,
            on_time,
            late: handled - on_time,
            overdue_now: 0,
            ratings: RatingCounts::default(),
        }
    }

    #[test]
    fn the_ranking_keeps_its_minimum_and_orders_by_rate_then_volume() {
        let rows = vec![row("a", 10, 5), row("b", 4, 4), row("c", 20, 10), row("d", 10, 9)];
        let codes = |minimum| agency_ranking(&rows, minimum).iter().map(|r| r.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(5), vec!["d", "c", "a"], "b has too few handled cases to be ranked");
        assert_eq!(codes(0), vec!["b", "d", "c", "a"]);
    }

    #[test]
    fn a_scorecard_map_opens_on_its_cases() {
        let mut card = Scorecard {
            kind: ScorecardKind::Area,
            code: "dong-hoi".into(),
            name: "Đồng Hới".into(),
            from: day("2023-01-01"),
            to: day("2023-01-31"),
            received: 0,
            accepted: 0,
            handled: 0,
            on_time: 0,
            late: 0,
            open_now: 0,
            overdue_now: 0,
            ratings: RatingCounts::default(),
            median_working_days: None,
            by_month: Vec::new(),
            ranking_minimum: 5,
            rank: None,
            ranked: 0,
            extent: None,
        };
        assert_eq!(card.map_view(640.0, 360.0), None);
        card.extent = Some(Bounds { west: 106.55, south: 17.42, east: 106.65, north: 17.52 });
        let ((lat, lon), zoom) = card.map_view(640.0, 360.0).unwrap_or_default();
        assert!((lat - 17.47).abs() < 1e-9 && (lon - 106.6).abs() < 1e-9);
        assert_eq!(zoom, 12, "a town fits at 12, not at 13");
        card.extent = Some(Bounds { west: 106.6, south: 17.47, east: 106.6, north: 17.47 });
        assert_eq!(card.map_view(640.0, 360.0).map(|v| v.1), Some(16), "one case: a street's view");
    }

    #[test]
    fn shares_read_as_the_pilot_wrote_them() {
        assert_eq!(format_percent(percent(130, 200)), "65.0%");
        assert_eq!(format_percent(percent(36, 47)), "76.6%");
        assert_eq!(format_percent(percent(7, 47)), "14.9%");
        assert_eq!(format_percent(percent(4, 47)), "8.5%");
        assert_eq!(format_percent(percent(1, 0)), "–");
    }

    fn months_from(year: i32, month: u32, count: u32) -> Vec<MonthRow> {
        (0..count)
            .map(|i| {
                let (y, m) = (year + ((month - 1 + i) / 12) as i32, (month - 1 + i) % 12 + 1);
                MonthRow { month: format!("{y:04}-{m:02}"), received: u64::from(i + 1), accepted: 0, handled: 0 }
            })
            .collect()
    }

    #[test]
    fn a_long_period_charts_quarters_then_years_and_every_case_stays_counted() {
        let short = months_from(2022, 11, 8);
        assert_eq!(chart_columns(&short).len(), 8);
        assert_eq!(chart_columns(&short)[0], ("2022-11".to_string(), 1));

        let four_years = months_from(2022, 11, 48);
        let columns = chart_columns(&four_years);
        assert_eq!(columns.len(), 17, "a partial first and last quarter, and fifteen whole ones");
        assert_eq!(columns[0], ("Q4/2022".to_string(), 1 + 2));
        assert_eq!(columns[1], ("Q1/2023".to_string(), 3 + 4 + 5));
        let total: u64 = four_years.iter().map(|m| m.received).sum();
        assert_eq!(columns.iter().map(|c| c.1).sum::<u64>(), total);

        let ten_years = months_from(2016, 1, 120);
        let years = chart_columns(&ten_years);
        assert_eq!(years.len(), 10);
        assert_eq!(years[0].0, "2016");
        assert_eq!(years.iter().map(|c| c.1).sum::<u64>(), ten_years.iter().map(|m| m.received).sum::<u64>());
    }
}
