//! The access log of personal data: each time staff see a reporter's contact or a caller's number,
//! who saw it, when, which cases and calls, and the page that showed it.

use super::case::ActorRole;
use super::validation::{Field, Reason, ValidationError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Entries on one page of the administrator's access log.
pub const ACCESS_LOG_PAGE: u32 = 50;

/// Cases and calls listed with one entry of the log; the rest are counted.
pub const SHOWN_SUBJECTS: u32 = 10;

/// The page that showed personal data to staff: why it was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessPurpose {
    /// A case's staff view, with its reporter's name, phone and e-mail.
    StaffCase,
    /// The hotline's calls, or the calls about one case, with each caller's number.
    CallLog,
    /// The hotline's verification calls, with each reporter's name and number.
    VerificationQueue,
}

impl AccessPurpose {
    pub const ALL: [AccessPurpose; 3] =
        [AccessPurpose::StaffCase, AccessPurpose::CallLog, AccessPurpose::VerificationQueue];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessPurpose::StaffCase => "staff_case",
            AccessPurpose::CallLog => "call_log",
            AccessPurpose::VerificationQueue => "verification_queue",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|purpose| purpose.as_str() == raw)
    }
}

/// One thing a view showed: a case's reporter contact, or a call's number and the case the call
/// is about, if any. At least one of the two is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccessSubject {
    pub case_id: Option<i64>,
    pub call_id: Option<i64>,
}

impl AccessSubject {
    /// A case's reporter contact.
    pub fn case(case_id: i64) -> Self {
        Self { case_id: Some(case_id), call_id: None }
    }

    /// A call's number, with the case it is about.
    pub fn call(call_id: i64, case_id: Option<i64>) -> Self {
        Self { case_id, call_id: Some(call_id) }
    }
}

/// One view of personal data by a staff member, to record before the data is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccess {
    pub account_id: i64,
    /// The account's role at the time: a role changed later does not rewrite the log.
    pub role: ActorRole,
    pub purpose: AccessPurpose,
    pub at: DateTime<Utc>,
    /// Everything the view showed; never empty, since a view that showed nothing is not recorded.
    pub subjects: Vec<AccessSubject>,
}

/// A recorded view as the administrator reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    /// The role the account had when it saw the data.
    pub role: ActorRole,
    pub purpose: AccessPurpose,
    /// The first [`SHOWN_SUBJECTS`] of what the view showed, the case filtered by first.
    pub subjects: Vec<AccessSubject>,
    /// How many cases and calls the view showed in all.
    pub subject_count: u64,
}

impl AccessEntry {
    /// The distinct cases among the subjects listed, in their order.
    pub fn cases(&self) -> Vec<i64> {
        let mut cases: Vec<i64> = Vec::new();
        for case in self.subjects.iter().filter_map(|subject| subject.case_id) {
            if !cases.contains(&case) {
                cases.push(case);
            }
        }
        cases
    }
}

/// Which entries of the log to read: newest first, optionally one person's or one case's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessQuery {
    /// The staff account's username.
    pub username: Option<String>,
    pub case_id: Option<i64>,
    /// Only entries older than this one: the next page.
    pub before: Option<i64>,
}

/// The views recorded in a period for one role: counts only, nothing of what was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessCount {
    pub role: ActorRole,
    /// Views recorded.
    pub views: u64,
    /// Distinct people who viewed.
    pub people: u64,
    /// Distinct cases whose contacts or calls were seen.
    pub cases: u64,
}

/// Reads a case number typed into a filter ("125" or "#125"); blank means any case.
pub fn parse_case_filter(raw: &str) -> Result<Option<i64>, ValidationError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    match trimmed.strip_prefix('#').unwrap_or(trimmed).trim().parse::<i64>() {
        Ok(id) if id > 0 => Ok(Some(id)),
        _ => Err(ValidationError::new(Field::CaseNumber, Reason::UnknownCase)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_round_trip_by_name() {
        for purpose in AccessPurpose::ALL {
            assert_eq!(AccessPurpose::parse(purpose.as_str()), Some(purpose));
        }
        assert_eq!(AccessPurpose::parse("export"), None);
    }

    #[test]
    fn a_case_filter_is_a_positive_number_with_or_without_its_hash() {
        assert_eq!(parse_case_filter(""), Ok(None));
        assert_eq!(parse_case_filter("  "), Ok(None));
        assert_eq!(parse_case_filter("125"), Ok(Some(125)));
        assert_eq!(parse_case_filter(" #125 "), Ok(Some(125)));
        for bad in ["0", "-3", "abc", "#", "12a", "99999999999999999999"] {
            assert_eq!(
                parse_case_filter(bad),
                Err(ValidationError::new(Field::CaseNumber, Reason::UnknownCase)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn an_entry_lists_each_case_once_in_order() {
        let entry = AccessEntry {
            id: 1,
            at: Utc::now(),
            account_id: 2,
            username: "tongdai".into(),
            display_name: "Tổng đài".into(),
            role: ActorRole::Operator,
            purpose: AccessPurpose::CallLog,
            subjects: vec![
                AccessSubject::call(7, Some(3)),
                AccessSubject::call(6, None),
                AccessSubject::call(5, Some(3)),
                AccessSubject::call(4, Some(1)),
            ],
            subject_count: 4,
        };
        assert_eq!(entry.cases(), vec![3, 1]);
    }
}
