//! When staff digests fall due and what each covers: an agency's daily digest at the set hour of each working day, the leaders' weekly summary on Monday, the agencies laggards first.

use crate::case::ActorRole;
use crate::deadline::{province_offset, HolidayCalendar};
use crate::statistics::{AgencyRow, Period};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};

/// The hour of the day (province time) staff digests go out at unless configured otherwise: the
/// start of office hours.
pub const DEFAULT_DIGEST_HOUR: u32 = 7;

/// A kind of staff digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaffDigestKind {
    /// An agency's new, near-deadline and overdue cases, to each of its officers, every working day.
    AgencyDaily,
    /// The past week's on-time rate and satisfaction by agency, to each leader, on Mondays.
    LeaderWeekly,
}

impl StaffDigestKind {
    pub const ALL: [StaffDigestKind; 2] = [StaffDigestKind::AgencyDaily, StaffDigestKind::LeaderWeekly];

    /// The name stored with its deliveries.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffDigestKind::AgencyDaily => "agency_daily",
            StaffDigestKind::LeaderWeekly => "leader_weekly",
        }
    }

    /// Whom it goes to: officers (of an agency) or leaders.
    pub fn recipients(self) -> ActorRole {
        match self {
            StaffDigestKind::AgencyDaily => ActorRole::Officer,
            StaffDigestKind::LeaderWeekly => ActorRole::Leader,
        }
    }
}

/// The instant `hour` o'clock strikes on `day` in the province.
pub fn at_hour(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let local = day.and_hms_opt(hour.min(23), 0, 0).unwrap_or_default();
    province_offset().from_local_datetime(&local).single().map(|at| at.with_timezone(&Utc)).unwrap_or_default()
}

/// The longest run of days off the schedule looks across (Tết with its weekends is about ten).
const LONGEST_BREAK_DAYS: u32 = 60;

/// The working day before `day`; bounded, so that a calendar of holidays only ends the search.
fn previous_working_day(calendar: &HolidayCalendar, day: NaiveDate) -> NaiveDate {
    let mut current = day;
    for _ in 0..LONGEST_BREAK_DAYS {
        current = current.pred_opt().unwrap_or(current);
        if calendar.is_working_day(current) {
            return current;
        }
    }
    day.pred_opt().unwrap_or(day)
}

/// An agency's daily digest: the working day it is for, and the instants its lists are read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyDigest {
    pub day: NaiveDate,
    /// The set hour of `day`: the lists stand as they were then.
    pub at: DateTime<Utc>,
    /// The previous working day's digest time: the cases routed to the agency since are new, so
    /// that those routed over a weekend or a holiday come in the next working day's digest.
    pub routed_since: DateTime<Utc>,
    /// The end of the working day after `day`: a case still with the agency whose deadline is
    /// before it but not before `at` is near its deadline (due today or the next working day).
    pub near_until: DateTime<Utc>,
}

impl DailyDigest {
    /// The period its deliveries are stored under.
    pub fn period(&self) -> String {
        format!("day:{}", self.day)
    }
}

/// The daily digest due at `now`: that of the province's today when it is a working day and
/// `hour` has struck. It is due on its own day only: a server started later that day still sends
/// it, one that was down all day does not send it beside the next.
pub fn daily_digest_due(now: DateTime<Utc>, calendar: &HolidayCalendar, hour: u32) -> Option<DailyDigest> {
    let day = now.with_timezone(&province_offset()).date_naive();
    let at = at_hour(day, hour);
    if !calendar.is_working_day(day) || now < at {
        return None;
    }
    let next = calendar.working_days_after(day, 1);
    let near_until = at_hour(next.checked_add_days(Days::new(1)).unwrap_or(next), 0);
    Some(DailyDigest { day, at, routed_since: at_hour(previous_working_day(calendar, day), hour), near_until })
}

/// The leaders' weekly summary: the Monday it goes out on and the week before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklySummary {
    pub monday: NaiveDate,
    /// The set hour of `monday`: the figures are counted as they stood then.
    pub at: DateTime<Utc>,
    /// Monday to Sunday of the week before.
    pub week: Period,
}

impl WeeklySummary {
    /// The period its deliveries are stored under: the week's Monday.
    pub fn period(&self) -> String {
        format!("week:{}", self.week.from)
    }
}

/// The weekly summary due at `now`: on Monday in the province once `hour` has struck, of the
/// Monday-to-Sunday week before. Due that Monday only, as the daily digest is due its own day.
pub fn weekly_summary_due(now: DateTime<Utc>, hour: u32) -> Option<WeeklySummary> {
    let monday = now.with_timezone(&province_offset()).date_naive();
    let at = at_hour(monday, hour);
    if monday.weekday() != Weekday::Mon || now < at {
        return None;
    }
    let from = monday.checked_sub_days(Days::new(7))?;
    let to = monday.pred_opt()?;
    Some(WeeklySummary { monday, at, week: Period { from, to } })
}

/// The agencies of a summary, the laggards first: the lowest on-time rate first, then those with
/// no handled case yet, each group with the most overdue cases first, then the busiest, then by code.
pub fn laggards_first(rows: &[AgencyRow]) -> Vec<&AgencyRow> {
    let mut sorted: Vec<&AgencyRow> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        let (rate_a, rate_b) = (a.on_time_percent(), b.on_time_percent());
        let rated = rate_b.is_some().cmp(&rate_a.is_some());
        rated
            .then(rate_a.unwrap_or(0.0).total_cmp(&rate_b.unwrap_or(0.0)))
            .then(b.overdue_now.cmp(&a.overdue_now))
            .then(b.received.cmp(&a.received))
            .then(a.code.cmp(&b.code))
    });
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statistics::RatingCounts;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        province_offset().with_ymd_and_hms(y, m, d, h, min, 0).single().expect("a time").with_timezone(&Utc)
    }

    /// The 30 April and 1 May 2026 holidays (a Thursday and a Friday), then a weekend.
    fn calendar() -> HolidayCalendar {
        HolidayCalendar::new([day(2026, 4, 30), day(2026, 5, 1)])
    }

    #[test]
    fn a_daily_digest_is_due_from_its_hour_to_the_end_of_its_working_day() {
        let calendar = calendar();
        assert_eq!(daily_digest_due(local(2026, 4, 28, 6, 59), &calendar, 7), None, "before the hour");
        let tuesday = daily_digest_due(local(2026, 4, 28, 7, 0), &calendar, 7).expect("due at the hour");
        assert_eq!(tuesday.day, day(2026, 4, 28));
        assert_eq!(tuesday.at, local(2026, 4, 28, 7, 0));
        assert_eq!(tuesday.routed_since, local(2026, 4, 27, 7, 0), "since Monday's digest");
        assert_eq!(tuesday.near_until, local(2026, 4, 30, 0, 0), "due today or Wednesday");
        assert_eq!(tuesday.period(), "day:2026-04-28");
        assert_eq!(daily_digest_due(local(2026, 4, 28, 23, 59), &calendar, 7), Some(tuesday), "late the same day");
        assert_eq!(
            daily_digest_due(local(2026, 4, 29, 6, 0), &calendar, 7),
            None,
            "not the next morning before its own hour"
        );
    }

    #[test]
    fn days_off_have_no_digest_and_the_next_working_day_covers_them() {
        let calendar = calendar();
        for off in [day(2026, 4, 30), day(2026, 5, 1), day(2026, 5, 2), day(2026, 5, 3)] {
            let noon = at_hour(off, 12);
            assert_eq!(daily_digest_due(noon, &calendar, 7), None, "{off}");
        }
        let monday = daily_digest_due(local(2026, 5, 4, 8, 0), &calendar, 7).expect("due");
        assert_eq!(monday.routed_since, local(2026, 4, 29, 7, 0), "since Wednesday, across the break");
        assert_eq!(monday.near_until, local(2026, 5, 6, 0, 0), "due Monday or Tuesday");
        let wednesday = daily_digest_due(local(2026, 4, 29, 9, 0), &calendar, 7).expect("due");
        assert_eq!(wednesday.near_until, local(2026, 5, 5, 0, 0), "the next working day is Monday");
        let at_six = daily_digest_due(local(2026, 5, 4, 6, 0), &calendar, 6).expect("another hour");
        assert_eq!(at_six.at, local(2026, 5, 4, 6, 0));
    }

    #[test]
    fn the_weekly_summary_is_due_on_monday_for_the_week_before() {
        assert_eq!(weekly_summary_due(local(2026, 12, 7, 6, 59), 7), None, "before the hour");
        let summary = weekly_summary_due(local(2026, 12, 7, 7, 0), 7).expect("due");
        assert_eq!(summary.monday, day(2026, 12, 7));
        assert_eq!(summary.week, Period { from: day(2026, 11, 30), to: day(2026, 12, 6) });
        assert_eq!(summary.period(), "week:2026-11-30");
        assert_eq!(weekly_summary_due(local(2026, 12, 7, 23, 0), 7), Some(summary), "all Monday");
        assert_eq!(weekly_summary_due(local(2026, 12, 8, 7, 0), 7), None, "not on Tuesday");
    }

    fn row(code: &str, handled: u64, on_time: u64, overdue_now: u64) -> AgencyRow {
        AgencyRow {
            code: code.into(),
            name: code.to_uppercase(),
            received: handled + overdue_now,
            handled,
            on_time,
            late: handled - on_time,
            overdue_now,
            ratings: RatingCounts::default(),
        }
    }

    #[test]
    fn laggards_come_first() {
        let rows = [row("best", 4, 4, 0), row("worst", 4, 1, 0), row("idle", 0, 0, 3), row("mid", 2, 1, 5)];
        let order: Vec<&str> = laggards_first(&rows).iter().map(|r| r.code.as_str()).collect();
        assert_eq!(order, ["worst", "mid", "best", "idle"]);
        let tied = [row("b", 2, 1, 0), row("a", 2, 1, 0), row("c", 2, 1, 1)];
        let order: Vec<&str> = laggards_first(&tied).iter().map(|r| r.code.as_str()).collect();
        assert_eq!(order, ["c", "a", "b"], "the more overdue, then by code");
    }

    #[test]
    fn kinds_have_stored_names_and_recipients() {
        assert_eq!(StaffDigestKind::AgencyDaily.as_str(), "agency_daily");
        assert_eq!(StaffDigestKind::LeaderWeekly.recipients(), ActorRole::Leader);
    }
}
