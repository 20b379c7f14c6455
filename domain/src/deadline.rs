//! Deadlines in working days: Monday to Friday, minus Vietnamese public holidays, in the province's time.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving. Checked when compiling.
const PROVINCE_OFFSET: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"),
};

pub fn province_offset() -> FixedOffset {
    PROVINCE_OFFSET
}

/// The public holidays on which no working day is counted. It is data: the admin keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayCalendar {
    days: BTreeSet<NaiveDate>,
}

impl HolidayCalendar {
    pub fn new(days: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { days: days.into_iter().collect() }
    }

    pub fn is_holiday(&self, day: NaiveDate) -> bool {
        self.days.contains(&day)
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_holiday(day)
    }

    /// The `n`th working day after `day` (`day` itself never counts).
    pub fn working_days_after(&self, day: NaiveDate, n: u16) -> NaiveDate {
        let mut current = day;
        let mut counted = 0;
        while counted < n {
            current = current.succ_opt().unwrap_or(current);
            if self.is_working_day(current) {
                counted += 1;
            }
        }
        current
    }

    /// The working days from `start` to `end`, as the province's calendar counts them: the working
    /// days after the province day of `start` up to and including the day of `end`. The same
    /// count a deadline is set with: work done within [`Self::deadline`]`(start, n)` took at most
    /// `n`; work done on the day it began took none. An `end` before `start` took none.
    pub fn working_days_between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> u32 {
        let offset = province_offset();
        let (first, last) = (start.with_timezone(&offset).date_naive(), end.with_timezone(&offset).date_naive());
        if last <= first {
            return 0;
        }
        // Whole weeks hold five weekdays each; the few days left over are looked at one by one,
        // so a long span costs no more than a short one.
        let span = (last - first).num_days();
        let mut weekdays = span / 7 * 5;
        let mut day = first.checked_add_days(chrono::Days::new((span / 7 * 7) as u64)).unwrap_or(last);
        while day < last {
            day = day.succ_opt().unwrap_or(last);
            weekdays += i64::from(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun));
        }
        let holidays = self
            .days
            .range((std::ops::Bound::Excluded(first), std::ops::Bound::Included(last)))
            .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
            .count();
        u32::try_from(weekdays - holidays as i64).unwrap_or(0)
    }

    /// The deadline for work started at `start` with `days` working days: the end (23:59:59
    /// province time) of the `days`th working day after the day of `start`.
    pub fn deadline(&self, start: DateTime<Utc>, days: u16) -> DateTime<Utc> {
        let offset = province_offset();
        let local_day = start.with_timezone(&offset).date_naive();
        let last_day = self.working_days_after(local_day, days);
        let end_of_day = last_day.and_hms_opt(23, 59, 59).unwrap_or_default();
        offset
            .from_local_datetime(&end_of_day)
            .single()
            .map(|local| local.with_timezone(&Utc))
            .unwrap_or_else(|| start + Duration::days(i64::from(days)))
    }

    /// The working time from `start` to `end`: the parts of the span that fall on working days,
    /// province time. A span of weekends and holidays only holds none, nor does an `end` before
    /// `start`. It walks the span day by day: meant for pauses of days or weeks, not years.
    pub fn working_time_between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Duration {
        let mut total = Duration::zero();
        let mut from = start;
        while from < end {
            let (day, next_midnight) = province_day_of(from);
            let until = next_midnight.min(end);
            if self.is_working_day(day) {
                total += until - from;
            }
            from = until;
        }
        total
    }

    /// The moment `amount` of working time after `at`: the clock runs on working days only, so a
    /// deadline moved by two working days' time lands on the same hour two working days later.
    pub fn after_working_time(&self, at: DateTime<Utc>, amount: Duration) -> DateTime<Utc> {
        let mut left = amount;
        let mut from = at;
        // A calendar always has working days ahead; the bound only guards against an absurd amount.
        for _ in 0..MAX_DAYS_WALKED {
            if left <= Duration::zero() {
                break;
            }
            let (day, next_midnight) = province_day_of(from);
            if self.is_working_day(day) {
                let room = next_midnight - from;
                if left <= room {
                    return from + left;
                }
                left -= room;
            }
            from = next_midnight;
        }
        from
    }
}

/// How many days [`HolidayCalendar::after_working_time`] walks at most: ten years.
const MAX_DAYS_WALKED: u32 = 3660;

/// The province day `at` falls on, and the moment that day ends (the next midnight, province time).
fn province_day_of(at: DateTime<Utc>) -> (NaiveDate, DateTime<Utc>) {
    let offset = province_offset();
    let day = at.with_timezone(&offset).date_naive();
    let next_midnight = day
        .succ_opt()
        .and_then(|next| next.and_hms_opt(0, 0, 0))
        .and_then(|midnight| offset.from_local_datetime(&midnight).single())
        .map(|local| local.with_timezone(&Utc))
        .unwrap_or(at + Duration::days(1));
    (day, next_midnight)
}

/// Whether a result submitted at `submitted` met `deadline` (the deadline in force, extensions counted).
pub fn on_time(submitted: DateTime<Utc>, deadline: DateTime<Utc>) -> bool {
    submitted <= deadline
}

/// A named public holiday of the shipped calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
}

/// Days off for public servants as the government announced them, 2022–2027, including the
/// days moved to make long breaks. Tết and the Hùng Kings' day follow the lunar calendar.
/// Later years are added as the admin publishes them.
const SHIPPED: &[(&str, &str, &str)] = &[
    ("2022-01-01", "2022-01-03", "Tết Dương lịch"),
    ("2022-01-29", "2022-02-06", "Tết Nguyên đán"),
    ("2022-04-11", "2022-04-11", "Giỗ Tổ Hùng Vương (nghỉ bù)"),
    ("2022-04-30", "2022-05-03", "Ngày Giải phóng miền Nam, Quốc tế Lao động"),
    ("2022-09-01", "2022-09-04", "Quốc khánh"),
    ("2023-01-01", "2023-01-02", "Tết Dương lịch"),
    ("2023-01-20", "2023-01-26", "Tết Nguyên đán"),
    ("2023-04-29", "2023-05-03", "Giỗ Tổ Hùng Vương, Ngày Giải phóng miền Nam, Quốc tế Lao động"),
    ("2023-09-01", "2023-09-04", "Quốc khánh"),
    ("2024-01-01", "2024-01-01", "Tết Dương lịch"),
    ("2024-02-08", "2024-02-14", "Tết Nguyên đán"),
    ("2024-04-18", "2024-04-18", "Giỗ Tổ Hùng Vương"),
    ("2024-04-27", "2024-05-01", "Ngày Giải phóng miền Nam, Quốc tế Lao động"),
    ("2024-08-31", "2024-09-03", "Quốc khánh"),
    ("2025-01-01", "2025-01-01", "Tết Dương lịch"),
    ("2025-01-25", "2025-02-02", "Tết Nguyên đán"),
    ("2025-04-07", "2025-04-07", "Giỗ Tổ Hùng Vương"),
    ("2025-04-30", "2025-05-04", "Ngày Giải phóng miền Nam, Quốc tế Lao động"),
    ("2025-08-30", "2025-09-02", "Quốc khánh"),
    ("2026-01-01", "2026-01-04", "Tết Dương lịch"),
    ("2026-02-14", "2026-02-22", "Tết Nguyên đán"),
    ("2026-04-25", "2026-04-27", "Giỗ Tổ Hùng Vương"),
    ("2026-04-30", "2026-05-03", "Ngày Giải phóng miền Nam, Quốc tế Lao động"),
    ("2026-08-29", "2026-09-02", "Quốc khánh"),
    ("2027-01-01", "2027-01-03", "Tết Dương lịch"),
    ("2027-02-04", "2027-02-12", "Tết Nguyên đán"),
    ("2027-04-16", "2027-04-18", "Giỗ Tổ Hùng Vương"),
    ("2027-04-30", "2027-05-02", "Ngày Giải phóng miền Nam, Quốc tế Lao động"),
    ("2027-09-02", "2027-09-05", "Quốc khánh"),
];

/// The shipped holidays, one entry per day off.
pub fn shipped_holidays() -> Vec<Holiday> {
    let mut holidays = Vec::new();
    for (first, last, name) in SHIPPED {
        let (Ok(mut day), Ok(last)) = (first.parse::<NaiveDate>(), last.parse::<NaiveDate>()) else { continue };
        while day <= last {
            holidays.push(Holiday { date: day, name: (*name).to_string() });
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
    }
    holidays
}

/// The shipped calendar.
pub fn shipped_calendar() -> HolidayCalendar {
    HolidayCalendar::new(shipped_holidays().into_iter().map(|h| h.date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    /// 09:00 in the province on `text`.
    fn morning(text: &str) -> DateTime<Utc> {
        province_offset()
            .from_local_datetime(&day(text).and_hms_opt(9, 0, 0).expect("time"))
            .single()
            .expect("unambiguous")
            .with_timezone(&Utc)
    }

    fn deadline_day(start: &str, days: u16) -> NaiveDate {
        shipped_calendar().deadline(morning(start), days).with_timezone(&province_offset()).date_naive()
    }

    #[test]
    fn weekends_are_skipped() {
        // Thursday + 3 working days: Friday, Monday, Tuesday.
        assert_eq!(deadline_day("2023-03-02", 3), day("2023-03-07"));
        // Started on a Saturday: counting begins on Monday.
        assert_eq!(deadline_day("2023-03-04", 1), day("2023-03-06"));
    }

    #[test]
    fn tet_2023_is_skipped() {
        // Routed Friday 13 January 2023 with 5 working days: 16, 17, 18, 19, then Tết (20–26), then 27.
        assert_eq!(deadline_day("2023-01-13", 5), day("2023-01-27"));
        // Routed on the eve of Tết: the first working day is Friday 27 January.
        assert_eq!(deadline_day("2023-01-19", 1), day("2023-01-27"));
    }

    #[test]
    fn reunification_and_labour_day_are_skipped() {
        // 2023: Friday 28 April + 2 working days skips 29 April–3 May: Thursday 4, Friday 5 May.
        assert_eq!(deadline_day("2023-04-28", 2), day("2023-05-05"));
        // 2024: Friday 26 April + 1 skips 27 April–1 May: Thursday 2 May.
        assert_eq!(deadline_day("2024-04-26", 1), day("2024-05-02"));
    }

    #[test]
    fn the_deadline_is_the_end_of_the_day_in_the_province() {
        let deadline = shipped_calendar().deadline(morning("2023-03-02"), 1);
        let local = deadline.with_timezone(&province_offset());
        assert_eq!(local.format("%Y-%m-%d %H:%M:%S").to_string(), "2023-03-03 23:59:59");
        // 23:59:59 at UTC+7 is 16:59:59 UTC.
        assert_eq!(deadline.format("%H:%M:%S").to_string(), "16:59:59");
    }

    #[test]
    fn a_late_evening_start_counts_from_the_local_day() {
        // 20:00 UTC on Thursday is 03:00 Friday in Đồng Hới: one working day is Monday.
        let start = Utc.with_ymd_and_hms(2023, 3, 2, 20, 0, 0).single().expect("time");
        let deadline = shipped_calendar().deadline(start, 1).with_timezone(&province_offset()).date_naive();
        assert_eq!(deadline, day("2023-03-06"));
    }

    #[test]
    fn on_time_is_judged_against_the_deadline_in_force() {
        let calendar = shipped_calendar();
        let start = morning("2023-03-01");
        let original = calendar.deadline(start, 2);
        let extended = calendar.deadline(original, 3);
        let submitted = morning("2023-03-06");
        assert!(!on_time(submitted, original), "late against the original deadline");
        assert!(on_time(submitted, extended), "on time once the extension counts");
        assert!(on_time(original, original), "submitting at the deadline is on time");
    }

    /// `at` (HH:MM) in the province on `text`.
    fn local(text: &str, at: &str) -> DateTime<Utc> {
        let time = chrono::NaiveTime::parse_from_str(at, "%H:%M").expect("time");
        province_offset()
            .from_local_datetime(&day(text).and_time(time))
            .single()
            .expect("unambiguous")
            .with_timezone(&Utc)
    }

    #[test]
    fn working_days_between_skip_weekends_and_holidays() {
        let calendar = shipped_calendar();
        let days = |from: &str, to: &str| calendar.working_days_between(morning(from), morning(to));
        assert_eq!(days("2023-03-06", "2023-03-06"), 0, "done the day it began");
        assert_eq!(days("2023-03-06", "2023-03-07"), 1);
        // Friday to Monday across a weekend: one working day, Monday.
        assert_eq!(days("2023-03-03", "2023-03-06"), 1);
        // Friday to the Saturday after: no working day has passed yet.
        assert_eq!(days("2023-03-03", "2023-03-04"), 0);
        // Thursday 27 April 2023 to Thursday 4 May: Friday 28, then 29 April–3 May off, then 4 May.
        assert_eq!(days("2023-04-27", "2023-05-04"), 2);
        // Friday 13 January 2023 to Friday 27 January: four days, Tết (20–26 January), then the 27th.
        assert_eq!(days("2023-01-13", "2023-01-27"), 5);
        assert_eq!(days("2023-03-07", "2023-03-06"), 0, "an end before the start took no time");
        // A year of 2023: 260 weekdays less the 11 weekday holidays after 1 January.
        assert_eq!(days("2023-01-01", "2023-12-31"), 249);
    }

    #[test]
    fn working_days_between_agree_with_the_deadline() {
        let calendar = shipped_calendar();
        for start in ["2023-01-13", "2023-04-27", "2023-03-03", "2024-02-07"] {
            for n in 0..40 {
                let deadline = calendar.deadline(morning(start), n);
                assert_eq!(calendar.working_days_between(morning(start), deadline), u32::from(n), "{start} + {n}");
            }
        }
    }

    #[test]
    fn working_days_between_count_province_days() {
        let calendar = shipped_calendar();
        // 23:30 on Monday to 06:00 on Tuesday, province time: one working day, whatever UTC says.
        assert_eq!(calendar.working_days_between(local("2023-03-06", "23:30"), local("2023-03-07", "06:00")), 1);
        // 00:30 to 23:30 on the same Monday (17:30 UTC the day before to 16:30 UTC): none.
        assert_eq!(calendar.working_days_between(local("2023-03-06", "00:30"), local("2023-03-06", "23:30")), 0);
    }

    #[test]
    fn the_shipped_calendar_covers_2022_to_2027() {
        let holidays = shipped_holidays();
        for year in 2022..=2027 {
            assert!(holidays.iter().any(|h| h.date.year() == year && h.name == "Tết Nguyên đán"), "Tết {year}");
            assert!(
                holidays.iter().any(|h| h.date == NaiveDate::from_ymd_opt(year, 4, 30).expect("date")),
                "30/4 {year}"
            );
            assert!(
                holidays.iter().any(|h| h.date == NaiveDate::from_ymd_opt(year, 9, 2).expect("date")),
                "2/9 {year}"
            );
        }
        assert_eq!(holidays.iter().filter(|h| h.date.year() == 2023 && h.name == "Tết Nguyên đán").count(), 7);
    }
}
