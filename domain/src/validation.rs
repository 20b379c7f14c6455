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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
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
