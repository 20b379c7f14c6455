//! Validation errors of the shared core, keyed by the form field they belong to.

use serde::{Deserialize, Serialize};

/// A field of a form or API payload that a validation error can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    SubmissionKey,
    Category,
    Title,
    Description,
    Location,
    ReporterName,
    ReporterPhone,
    ReporterEmail,
    Username,
    DisplayName,
    Password,
    Note,
    Agency,
    Reason,
    DuplicateOf,
    Days,
    CallerPhone,
    CallPurpose,
    CallOutcome,
    CaseNumber,
    ClaimCode,
    Duration,
    CallbackAt,
    Address,
    PeriodFrom,
    PeriodTo,
    Area,
    Status,
    Channel,
    Photos,
    Code,
    NameVi,
    NameEn,
    DeadlineDays,
    Kind,
    Contact,
    Date,
    Name,
    Role,
    Areas,
    File,
    /// What a person typed in a search box (`q`).
    SearchQuery,
    /// The account's own e-mail address, on the profile form.
    Email,
    /// The account's own phone number, on the profile form.
    Phone,
    /// A username or e-mail address naming an account whose password is forgotten.
    Handle,
    /// How often an alert's matches are mailed.
    Frequency,
    // Pausing the clock while the reporter is asked for more information.
    /// How many working days the deadline may stand still waiting for the reporter's answer.
    PauseDays,
    /// The question to the reporter.
    Question,
    /// The reporter's answer to a question.
    Answer,
    // A category's own escalation ladder.
    /// Working days before the deadline's day that the agency is reminded.
    ReminderDays,
    /// Working days after the deadline's day that the leader is told.
    LeaderDays,
    /// The officer a case is given to inside its agency.
    Assignee,
    // Push notices.
    /// Where a browser's push service takes messages for it.
    PushEndpoint,
    /// A browser's push public key (`keys.p256dh`).
    PushKey,
    /// A browser's push authentication secret (`keys.auth`).
    PushAuth,
}

impl Field {
    /// The wire name of the field, as used in payloads and error lists.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::SubmissionKey => "submission_key",
            Field::Category => "category",
            Field::Title => "title",
            Field::Description => "description",
            Field::Location => "location",
            Field::ReporterName => "reporter_name",
            Field::ReporterPhone => "reporter_phone",
            Field::ReporterEmail => "reporter_email",
            Field::Username => "username",
            Field::DisplayName => "display_name",
            Field::Password => "password",
            Field::Note => "note",
            Field::Agency => "agency",
            Field::Reason => "reason",
            Field::DuplicateOf => "duplicate_of",
            Field::Days => "days",
            Field::CallerPhone => "phone",
            Field::CallPurpose => "purpose",
            Field::CallOutcome => "outcome",
            Field::CaseNumber => "case_id",
            Field::ClaimCode => "code",
            Field::Duration => "duration_seconds",
            Field::CallbackAt => "callback_at",
            Field::Address => "address",
            Field::PeriodFrom => "from",
            Field::PeriodTo => "to",
            Field::Area => "area",
            Field::Status => "status",
            Field::Channel => "channel",
            Field::Photos => "photos",
            Field::Code => "code",
            Field::NameVi => "name_vi",
            Field::NameEn => "name_en",
            Field::DeadlineDays => "deadline_days",
            Field::Kind => "kind",
            Field::Contact => "contact",
            Field::Date => "date",
            Field::Name => "name",
            Field::Role => "role",
            Field::Areas => "areas",
            Field::File => "file",
            Field::SearchQuery => "q",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Handle => "handle",
            Field::Frequency => "frequency",
            Field::PauseDays => "pause_days",
            Field::Question => "question",
            Field::Answer => "answer",
            Field::ReminderDays => "reminder_days_before",
            Field::LeaderDays => "leader_days_after",
            Field::Assignee => "assignee",
            Field::PushEndpoint => "endpoint",
            Field::PushKey => "keys.p256dh",
            Field::PushAuth => "keys.auth",
        }
    }
}

/// Why a value was refused. Lengths count Unicode characters after NFC normalisation.
///
/// Written internally tagged (`{"kind": "too_short", "min": 10}`), and read through the flat
/// [`ReasonRecord`]: serde's own reader of an internally tagged enum buffers the value through its
/// generic `Content` and reads each variant again from it, code every page's WebAssembly carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ReasonRecord")]
pub enum Reason {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    ControlCharacters,
    OutOfRange,
    NotFinite,
    UnknownCategory,
    InvalidPhone,
    InvalidEmail,
    InvalidKey,
    InvalidUsername,
    UnknownAgency,
    UnknownCase,
    /// Not a calendar date written YYYY-MM-DD.
    InvalidDate,
    /// The end of a period lies before its start.
    EndBeforeStart,
    /// A period longer than the statistics cover in one answer, in years.
    PeriodTooLong {
        max_years: u32,
    },
    UnknownArea,
    UnknownStatus,
    UnknownChannel,
    /// More photos than one report or result may carry.
    TooManyPhotos {
        max: usize,
    },
    /// A file over the size limit, in megabytes.
    FileTooLarge {
        max_mb: u32,
    },
    /// An image whose header claims more pixels than the limit, in megapixels.
    TooManyPixels {
        max_megapixels: u32,
    },
    /// An image format recognised but not decodable here (HEIC).
    UnsupportedFormat,
    /// Content that is not an image of an accepted format, or a damaged one.
    NotAnImage,
    /// A photo id that names no uploaded photo.
    UnknownPhoto,
    /// A catalogue code: 2 to 40 of lowercase letters, digits, `_` and `-`, starting with a letter.
    InvalidCode,
    UnknownKind,
    /// Not the 8 digits of a claim code.
    InvalidClaimCode,
    UnknownRole,
    /// Only coordinators are bound to areas.
    AreasForCoordinatorsOnly,
    /// The entry is no longer active and cannot be chosen.
    Inactive,
    /// An administrator may not take away their own rights or deactivate themselves.
    OwnAccount,
    /// Not the account's current password, asked again before an irreversible step.
    WrongPassword,
    /// A place drawn on the map wider or taller than an alert may watch.
    AreaTooLarge,
    /// The account holds as many of these as one account may.
    LimitReached {
        max: u32,
    },
    /// This account or device already supports the case: one support each.
    AlreadySupported,
    /// The reporter's own report already counts them.
    OwnReport,
    /// Not a screened case still being worked on: it takes no support, nor a merged duplicate.
    NotOpenForSupport,
    /// A case cannot be merged into itself.
    SameCase,
    /// Not an active officer of the agency handling the case: nobody it may be given to.
    NotAnOfficerOfTheAgency,
    // Push notices.
    /// Not an https address of a push service.
    NotHttpsUrl,
    /// Not base64url of exactly this many bytes.
    WrongKeyLength {
        bytes: usize,
    },
}

/// A [`Reason`] as written: its kind, and the bound that kind carries, if any.
#[derive(Deserialize)]
struct ReasonRecord {
    kind: String,
    min: Option<usize>,
    max: Option<u64>,
    max_years: Option<u32>,
    max_mb: Option<u32>,
    max_megapixels: Option<u32>,
    bytes: Option<usize>,
}

impl TryFrom<ReasonRecord> for Reason {
    type Error = String;

    fn try_from(record: ReasonRecord) -> Result<Self, String> {
        use crate::wire::{bounded, needed};
        let kind = record.kind.as_str();
        Ok(match kind {
            "required" => Reason::Required,
            "too_short" => Reason::TooShort { min: needed(kind, "min", record.min)? },
            "too_long" => Reason::TooLong { max: bounded(kind, "max", record.max)? },
            "control_characters" => Reason::ControlCharacters,
            "out_of_range" => Reason::OutOfRange,
            "not_finite" => Reason::NotFinite,
            "unknown_category" => Reason::UnknownCategory,
            "invalid_phone" => Reason::InvalidPhone,
            "invalid_email" => Reason::InvalidEmail,
            "invalid_key" => Reason::InvalidKey,
            "invalid_username" => Reason::InvalidUsername,
            "unknown_agency" => Reason::UnknownAgency,
            "unknown_case" => Reason::UnknownCase,
            "invalid_date" => Reason::InvalidDate,
            "end_before_start" => Reason::EndBeforeStart,
            "period_too_long" => Reason::PeriodTooLong { max_years: needed(kind, "max_years", record.max_years)? },
            "unknown_area" => Reason::UnknownArea,
            "unknown_status" => Reason::UnknownStatus,
            "unknown_channel" => Reason::UnknownChannel,
            "too_many_photos" => Reason::TooManyPhotos { max: bounded(kind, "max", record.max)? },
            "file_too_large" => Reason::FileTooLarge { max_mb: needed(kind, "max_mb", record.max_mb)? },
            "too_many_pixels" => {
                Reason::TooManyPixels { max_megapixels: needed(kind, "max_megapixels", record.max_megapixels)? }
            }
            "unsupported_format" => Reason::UnsupportedFormat,
            "not_an_image" => Reason::NotAnImage,
            "unknown_photo" => Reason::UnknownPhoto,
            "invalid_code" => Reason::InvalidCode,
            "unknown_kind" => Reason::UnknownKind,
            "invalid_claim_code" => Reason::InvalidClaimCode,
            "unknown_role" => Reason::UnknownRole,
            "areas_for_coordinators_only" => Reason::AreasForCoordinatorsOnly,
            "inactive" => Reason::Inactive,
            "own_account" => Reason::OwnAccount,
            "wrong_password" => Reason::WrongPassword,
            "area_too_large" => Reason::AreaTooLarge,
            "limit_reached" => Reason::LimitReached { max: bounded(kind, "max", record.max)? },
            "already_supported" => Reason::AlreadySupported,
            "own_report" => Reason::OwnReport,
            "not_open_for_support" => Reason::NotOpenForSupport,
            "same_case" => Reason::SameCase,
            "not_an_officer_of_the_agency" => Reason::NotAnOfficerOfTheAgency,
            "not_https_url" => Reason::NotHttpsUrl,
            "wrong_key_length" => Reason::WrongKeyLength { bytes: needed(kind, "bytes", record.bytes)? },
            _ => return Err(crate::wire::unknown_kind(kind)),
        })
    }
}

/// One refused field, with the reason. The UI shows it beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    pub field: Field,
    pub reason: Reason,
}

impl ValidationError {
    pub fn new(field: Field, reason: Reason) -> Self {
        Self { field, reason }
    }
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {:?}", self.field.as_str(), self.reason)
    }
}

impl std::error::Error for ValidationError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// One reason of every kind, in declaration order.
    fn every_reason() -> Vec<Reason> {
        use Reason::*;
        vec![
            Required,
            TooShort { min: 10 },
            TooLong { max: 200 },
            ControlCharacters,
            OutOfRange,
            NotFinite,
            UnknownCategory,
            InvalidPhone,
            InvalidEmail,
            InvalidKey,
            InvalidUsername,
            UnknownAgency,
            UnknownCase,
            InvalidDate,
            EndBeforeStart,
            PeriodTooLong { max_years: 5 },
            UnknownArea,
            UnknownStatus,
            UnknownChannel,
            TooManyPhotos { max: 5 },
            FileTooLarge { max_mb: 10 },
            TooManyPixels { max_megapixels: 40 },
            UnsupportedFormat,
            NotAnImage,
            UnknownPhoto,
            InvalidCode,
            UnknownKind,
            InvalidClaimCode,
            UnknownRole,
            AreasForCoordinatorsOnly,
            Inactive,
            OwnAccount,
            WrongPassword,
            AreaTooLarge,
            LimitReached { max: 20 },
            AlreadySupported,
            OwnReport,
            NotOpenForSupport,
            SameCase,
            NotAnOfficerOfTheAgency,
            NotHttpsUrl,
            WrongKeyLength { bytes: 65 },
        ]
    }

    /// Where `reason`'s kind is declared; a kind added to [`Reason`] does not compile until it is
    /// listed here, and the test below fails until [`every_reason`] holds it.
    fn position(reason: &Reason) -> usize {
        use Reason::*;
        match reason {
            Required => 0,
            TooShort { .. } => 1,
            TooLong { .. } => 2,
            ControlCharacters => 3,
            OutOfRange => 4,
            NotFinite => 5,
            UnknownCategory => 6,
            InvalidPhone => 7,
            InvalidEmail => 8,
            InvalidKey => 9,
            InvalidUsername => 10,
            UnknownAgency => 11,
            UnknownCase => 12,
            InvalidDate => 13,
            EndBeforeStart => 14,
            PeriodTooLong { .. } => 15,
            UnknownArea => 16,
            UnknownStatus => 17,
            UnknownChannel => 18,
            TooManyPhotos { .. } => 19,
            FileTooLarge { .. } => 20,
            TooManyPixels { .. } => 21,
            UnsupportedFormat => 22,
            NotAnImage => 23,
            UnknownPhoto => 24,
            InvalidCode => 25,
            UnknownKind => 26,
            InvalidClaimCode => 27,
            UnknownRole => 28,
            AreasForCoordinatorsOnly => 29,
            Inactive => 30,
            OwnAccount => 31,
            WrongPassword => 32,
            AreaTooLarge => 33,
            LimitReached { .. } => 34,
            AlreadySupported => 35,
            OwnReport => 36,
            NotOpenForSupport => 37,
            SameCase => 38,
            NotAnOfficerOfTheAgency => 39,
            NotHttpsUrl => 40,
            WrongKeyLength { .. } => 41,
        }
    }

    #[test]
    fn every_reason_is_listed_once() {
        let positions: Vec<usize> = every_reason().iter().map(position).collect();
        assert_eq!(positions, (0..42).collect::<Vec<_>>());
    }

    #[test]
    fn every_reason_reads_back_as_written() {
        for reason in every_reason() {
            let json = serde_json::to_string(&reason).expect("written");
            let read: Reason = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(read, reason, "{json}");
        }
        assert_eq!(
            serde_json::to_string(&Reason::TooShort { min: 10 }).expect("written"),
            r#"{"kind":"too_short","min":10}"#
        );
    }

    #[test]
    fn a_reason_is_read_whatever_the_order_of_its_fields() {
        let read: Reason = serde_json::from_str(r#"{"min":3,"kind":"too_short","extra":true}"#).expect("read");
        assert_eq!(read, Reason::TooShort { min: 3 });
    }

    #[test]
    fn a_reason_of_an_unknown_kind_or_without_its_bound_is_refused() {
        let unknown = serde_json::from_str::<Reason>(r#"{"kind":"teapot"}"#).expect_err("refused");
        assert!(unknown.to_string().contains("teapot"), "{unknown}");
        let missing = serde_json::from_str::<Reason>(r#"{"kind":"too_long"}"#).expect_err("refused");
        assert!(missing.to_string().contains("max"), "{missing}");
        let too_big =
            serde_json::from_str::<Reason>(r#"{"kind":"limit_reached","max":5000000000}"#).expect_err("refused");
        assert!(too_big.to_string().contains("max"), "{too_big}");
        assert!(serde_json::from_str::<Reason>(r#"{"min":3}"#).is_err());
    }
}
