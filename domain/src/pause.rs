//! Asking the reporter for more information: how long the deadline stands still, and where the answer leaves it.

use crate::case::CaseEvent;
use crate::deadline::HolidayCalendar;
use crate::validation::{Field, Reason, ValidationError};
use crate::workflow::{CaseFacts, Change};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The longest a deadline may stand still for one question, in working days.
pub const MAX_PAUSE_DAYS: u16 = 10;
/// What the form offers unless the asker chooses otherwise.
pub const DEFAULT_PAUSE_DAYS: u16 = 3;

/// How many working days the deadline may stand still waiting for the answer: 1 to [`MAX_PAUSE_DAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PauseDays(u16);

impl PauseDays {
    pub fn parse(days: u16) -> Result<Self, ValidationError> {
        if (1..=MAX_PAUSE_DAYS).contains(&days) {
            Ok(Self(days))
        } else {
            Err(ValidationError::new(Field::PauseDays, Reason::OutOfRange))
        }
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

/// A question to the reporter still waiting for its answer, as the case's facts keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenQuestion {
    pub asked_at: DateTime<Utc>,
    /// When the pause ends if no answer comes first.
    pub pause_ends: DateTime<Utc>,
    /// The deadline in force when the question was asked.
    pub deadline_before: DateTime<Utc>,
}

/// The question waiting for its answer, as the reporter reads it in their own view of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionToReporter {
    pub question: String,
    pub asked_at: DateTime<Utc>,
    /// Until when the deadline stands still waiting for the answer.
    pub pause_ends: DateTime<Utc>,
}

/// The question `facts` say waits for an answer, with its text from the case's `events`.
pub fn waiting_question(facts: &CaseFacts, events: &[CaseEvent]) -> Option<QuestionToReporter> {
    let open = facts.open_question?;
    events.iter().rev().find_map(|event| match &event.change {
        Change::InformationRequested { question, pause_ends, .. } if event.occurred_at == open.asked_at => {
            Some(QuestionToReporter { question: question.clone(), asked_at: open.asked_at, pause_ends: *pause_ends })
        }
        _ => None,
    })
}

/// Where a question asked at `asked_at`, with the deadline `deadline` in force, puts the pause's
/// end and the deadline meanwhile: `days` working days later, and the deadline moved by the whole
/// pause, since the clock stands still for all of it unless the answer comes sooner. `None` once
/// the deadline has passed: a late case is not made timely by asking a question.
pub fn pause(
    calendar: &HolidayCalendar,
    deadline: DateTime<Utc>,
    asked_at: DateTime<Utc>,
    days: PauseDays,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    // Kept to the microsecond, as the question's event keeps its time.
    let asked_at = chrono::SubsecRound::trunc_subsecs(asked_at, 6);
    if asked_at >= deadline {
        return None;
    }
    let pause_ends = calendar.after_working_time(asked_at, Duration::days(i64::from(days.get())));
    let stopped = calendar.working_time_between(asked_at, pause_ends);
    Some((pause_ends, calendar.after_working_time(deadline, stopped)))
}

/// The deadline once the answer comes at `answered_at`: the deadline before the question moved by
/// the working time the clock stood still, the whole pause at most.
pub fn resume(calendar: &HolidayCalendar, question: &OpenQuestion, answered_at: DateTime<Utc>) -> DateTime<Utc> {
    let answered_at = chrono::SubsecRound::trunc_subsecs(answered_at, 6);
    let stopped = calendar.working_time_between(question.asked_at, answered_at.min(question.pause_ends));
    calendar.after_working_time(question.deadline_before, stopped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::province_offset;
    use chrono::{NaiveDate, TimeZone};

    /// A moment in the province's time.
    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        province_offset()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Mon 27 April 2026 (Hùng Kings' day moved there) and 30 April to 3 May are days off.
    fn calendar() -> HolidayCalendar {
        HolidayCalendar::new([day(2026, 4, 27), day(2026, 4, 30), day(2026, 5, 1)])
    }

    #[test]
    fn pause_days_are_one_to_the_most_and_name_their_field() {
        assert_eq!(PauseDays::parse(1).map(PauseDays::get), Ok(1));
        assert_eq!(PauseDays::parse(MAX_PAUSE_DAYS).map(PauseDays::get), Ok(MAX_PAUSE_DAYS));
        for days in [0, MAX_PAUSE_DAYS + 1] {
            assert_eq!(PauseDays::parse(days), Err(ValidationError::new(Field::PauseDays, Reason::OutOfRange)));
        }
    }

    #[test]
    fn a_pause_of_two_working_days_moves_the_deadline_by_two_working_days_across_days_off() {
        let calendar = calendar();
        // Asked on Tuesday 28 April at 10:00; the deadline is the end of Wednesday 29 April.
        let deadline = calendar.deadline(local(2026, 4, 24, 9, 0), 2);
        assert_eq!(deadline, local(2026, 4, 29, 23, 59) + Duration::seconds(59));
        let asked = local(2026, 4, 28, 10, 0);
        let (ends, during) = pause(&calendar, deadline, asked, PauseDays(2)).unwrap_or_default();
        // Wednesday 29, then Thursday 30 April and Friday 1 May are off, the weekend too: Monday 4 May.
        assert_eq!(ends, local(2026, 5, 4, 10, 0));
        assert_eq!(during, calendar.deadline(local(2026, 4, 29, 12, 0), 2), "the end of Tuesday 5 May");
        assert_eq!(during, local(2026, 5, 5, 23, 59) + Duration::seconds(59));
        // Nobody answers: the whole pause counts.
        let question = OpenQuestion { asked_at: asked, pause_ends: ends, deadline_before: deadline };
        assert_eq!(resume(&calendar, &question, local(2026, 5, 20, 8, 0)), during);
    }

    #[test]
    fn an_early_answer_ends_the_pause_early() {
        let calendar = calendar();
        let deadline = local(2026, 4, 29, 23, 59) + Duration::seconds(59);
        let asked = local(2026, 4, 28, 10, 0);
        let (ends, _) = pause(&calendar, deadline, asked, PauseDays(2)).unwrap_or_default();
        let question = OpenQuestion { asked_at: asked, pause_ends: ends, deadline_before: deadline };
        // Answered a working day later, on Wednesday at 10:00: the deadline moves by one working day.
        assert_eq!(
            resume(&calendar, &question, local(2026, 4, 29, 10, 0)),
            local(2026, 5, 4, 23, 59) + Duration::seconds(59)
        );
        // Answered over the days off, on Saturday: the clock stood still for Tuesday's rest and Wednesday.
        assert_eq!(
            resume(&calendar, &question, local(2026, 5, 2, 15, 0)),
            calendar.after_working_time(deadline, Duration::hours(38))
        );
        // Answered five minutes later: the deadline moves by five minutes of working time, which
        // the days off after Wednesday carry into Monday.
        assert_eq!(
            resume(&calendar, &question, asked + Duration::minutes(5)),
            local(2026, 5, 4, 0, 4) + Duration::seconds(59)
        );
    }

    #[test]
    fn no_pause_once_the_deadline_has_passed() {
        let calendar = calendar();
        let deadline = local(2026, 4, 29, 23, 59);
        assert_eq!(pause(&calendar, deadline, deadline, PauseDays(2)), None);
        assert_eq!(pause(&calendar, deadline, deadline + Duration::hours(1), PauseDays(2)), None);
    }
}
