//! The hotline's call log: inbound calls for help and outbound calls that verify reports.

use super::contact::PhoneNumber;
use super::text::{clean_text, Lines};
use super::validation::{Field, Reason, ValidationError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallDirection {
    Inbound,
    Outbound,
}

/// Why someone called the hotline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallPurpose {
    NewReport,
    StatusInquiry,
    Guidance,
    Complaint,
}

impl CallPurpose {
    pub const ALL: [CallPurpose; 4] =
        [CallPurpose::NewReport, CallPurpose::StatusInquiry, CallPurpose::Guidance, CallPurpose::Complaint];
}

/// How a call ended. Inbound and outbound calls have their own outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Inbound: the operator answered the caller's need on the call.
    Answered,
    /// Inbound: the operator entered a report for the caller.
    ReportCreated,
    /// Inbound: passed on to the coordinator or an agency.
    Forwarded,
    /// Outbound: the caller confirmed the report.
    Confirmed,
    /// Outbound: nobody answered.
    Unreachable,
    /// Outbound: the report's information turned out wrong.
    WrongInformation,
    /// Outbound: the caller withdrew the report.
    Withdrawn,
    /// Outbound: the caller asked to be called back at a set time.
    CallbackScheduled,
}

impl CallOutcome {
    pub const INBOUND: [CallOutcome; 3] = [CallOutcome::Answered, CallOutcome::ReportCreated, CallOutcome::Forwarded];
    pub const OUTBOUND: [CallOutcome; 5] = [
        CallOutcome::Confirmed,
        CallOutcome::Unreachable,
        CallOutcome::WrongInformation,
        CallOutcome::Withdrawn,
        CallOutcome::CallbackScheduled,
    ];

    pub fn direction(self) -> CallDirection {
        if Self::INBOUND.contains(&self) {
            CallDirection::Inbound
        } else {
            CallDirection::Outbound
        }
    }
}

/// A call as the operator types it in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CallInput {
    pub phone: String,
    pub purpose: Option<CallPurpose>,
    pub outcome: Option<CallOutcome>,
    /// The case number the call is about, if any.
    pub case_id: Option<i64>,
    pub duration_seconds: u32,
    /// For a scheduled callback: when to call back.
    pub callback_at: Option<DateTime<Utc>>,
    pub note: String,
}

/// A call that passed every rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub direction: CallDirection,
    /// The caller's number; `None` once erased under the retention rules (every call is logged with one).
    pub phone: Option<PhoneNumber>,
    pub purpose: Option<CallPurpose>,
    pub outcome: CallOutcome,
    pub case_id: Option<i64>,
    pub duration_seconds: u32,
    pub callback_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// Longest call the log takes: four hours.
pub const MAX_DURATION_SECONDS: u32 = 4 * 3600;

impl Call {
    /// Parses a call of `direction`. Inbound calls need a purpose; outbound ones are about a
    /// case; a scheduled callback needs its time, after `now`.
    pub fn parse(
        input: &CallInput,
        direction: CallDirection,
        now: DateTime<Utc>,
    ) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let phone =
            PhoneNumber::parse(&input.phone).map_err(|r| errors.push(ValidationError::new(Field::CallerPhone, r))).ok();
        if direction == CallDirection::Inbound && input.purpose.is_none() {
            errors.push(ValidationError::new(Field::CallPurpose, Reason::Required));
        }
        let outcome = match input.outcome {
            Some(outcome) if outcome.direction() == direction => Some(outcome),
            Some(_) => {
                errors.push(ValidationError::new(Field::CallOutcome, Reason::OutOfRange));
                None
            }
            None => {
                errors.push(ValidationError::new(Field::CallOutcome, Reason::Required));
                None
            }
        };
        if direction == CallDirection::Outbound && input.case_id.is_none() {
            errors.push(ValidationError::new(Field::CaseNumber, Reason::Required));
        }
        if input.duration_seconds > MAX_DURATION_SECONDS {
            errors.push(ValidationError::new(Field::Duration, Reason::OutOfRange));
        }
        let callback_at = match (outcome, input.callback_at) {
            (Some(CallOutcome::CallbackScheduled), Some(at)) if at > now => Some(at),
            (Some(CallOutcome::CallbackScheduled), Some(_)) => {
                errors.push(ValidationError::new(Field::CallbackAt, Reason::OutOfRange));
                None
            }
            (Some(CallOutcome::CallbackScheduled), None) => {
                errors.push(ValidationError::new(Field::CallbackAt, Reason::Required));
                None
            }
            _ => None,
        };
        let note = if input.note.trim().is_empty() {
            None
        } else {
            clean_text(&input.note, 1, 2000, Lines::Multi)
                .map_err(|r| errors.push(ValidationError::new(Field::Note, r)))
                .ok()
        };
        match (phone, outcome) {
            (Some(phone), Some(outcome)) if errors.is_empty() => Ok(Self {
                direction,
                phone: Some(phone),
                purpose: if direction == CallDirection::Inbound { input.purpose } else { None },
                outcome,
                case_id: input.case_id,
                duration_seconds: input.duration_seconds,
                callback_at,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// A logged call. Phone numbers are personal data: operators and coordinators only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    pub id: i64,
    pub call: Call,
    pub operator_account: Option<i64>,
    pub logged_at: DateTime<Utc>,
}

/// Calls in a period, counted from the log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallCounts {
    pub inbound: u64,
    pub outbound: u64,
    pub by_purpose: Vec<(CallPurpose, u64)>,
    pub by_outcome: Vec<(CallOutcome, u64)>,
}

/// How many digits a claim code has: the one-time code an operator reads to the caller of a
/// phoned-in report, who claims the case with it.
pub const CLAIM_CODE_DIGITS: usize = 8;

/// A claim code as a caller types it: the digits, spaces between them allowed.
pub fn parse_claim_code(raw: &str) -> Result<String, ValidationError> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let reason = if digits.is_empty() {
        Reason::Required
    } else if digits.len() != CLAIM_CODE_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        Reason::InvalidClaimCode
    } else {
        return Ok(digits);
    };
    Err(ValidationError::new(Field::ClaimCode, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default()
    }

    fn fields(result: Result<Call, Vec<ValidationError>>) -> Vec<Field> {
        result.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn an_inbound_call_needs_a_phone_purpose_and_inbound_outcome() {
        let input = CallInput {
            phone: "0912 345 678".into(),
            purpose: Some(CallPurpose::StatusInquiry),
            outcome: Some(CallOutcome::Answered),
            case_id: Some(4),
            duration_seconds: 95,
            ..Default::default()
        };
        let call = Call::parse(&input, CallDirection::Inbound, now()).expect("valid");
        assert_eq!(call.phone.as_ref().map(PhoneNumber::as_str), Some("0912345678"));
        let wrong = CallInput { outcome: Some(CallOutcome::Confirmed), purpose: None, phone: "12".into(), ..input };
        assert_eq!(
            fields(Call::parse(&wrong, CallDirection::Inbound, now())),
            vec![Field::CallerPhone, Field::CallPurpose, Field::CallOutcome]
        );
    }

    #[test]
    fn an_outbound_call_is_about_a_case_and_a_callback_needs_a_future_time() {
        let input = CallInput {
            phone: "0912345678".into(),
            outcome: Some(CallOutcome::CallbackScheduled),
            callback_at: Some(now() - chrono::Duration::minutes(1)),
            ..Default::default()
        };
        assert_eq!(
            fields(Call::parse(&input, CallDirection::Outbound, now())),
            vec![Field::CaseNumber, Field::CallbackAt]
        );
        let later = CallInput { case_id: Some(9), callback_at: Some(now() + chrono::Duration::hours(2)), ..input };
        assert!(Call::parse(&later, CallDirection::Outbound, now()).is_ok());
    }

    #[test]
    fn durations_are_bounded() {
        let input = CallInput {
            phone: "0912345678".into(),
            purpose: Some(CallPurpose::Guidance),
            outcome: Some(CallOutcome::Answered),
            duration_seconds: MAX_DURATION_SECONDS + 1,
            ..Default::default()
        };
        assert_eq!(fields(Call::parse(&input, CallDirection::Inbound, now())), vec![Field::Duration]);
    }

    #[test]
    fn claim_codes_are_eight_digits_spaces_allowed() {
        assert_eq!(parse_claim_code(" 1234 5678 "), Ok("12345678".to_string()));
        let reason = |raw: &str| parse_claim_code(raw).map_err(|e| e.reason);
        assert_eq!(reason(""), Err(Reason::Required));
        assert_eq!(reason("1234567"), Err(Reason::InvalidClaimCode));
        assert_eq!(reason("123456789"), Err(Reason::InvalidClaimCode));
        assert_eq!(reason("1234567a"), Err(Reason::InvalidClaimCode));
    }
}
