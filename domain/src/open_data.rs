//! The open data: the columns every case export carries, in order, and the licence it is published under.

use crate::case::CaseStatus;
use crate::workflow::{Rating, RejectReason};
use serde::{Deserialize, Serialize};

/// A column of the case exports. The CSV header, the GeoJSON properties and the data dictionary
/// page are all built from [`ExportColumn::ALL`], so none of them can leave a column out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportColumn {
    Id,
    Published,
    SubmittedAt,
    Status,
    Channel,
    Category,
    Area,
    Decision,
    RejectionReason,
    ScreenedAt,
    Agency,
    Deadline,
    ResultSubmittedAt,
    ResolvedAt,
    OnTime,
    Rating,
    Title,
    Description,
    Address,
    Lat,
    Lon,
    Url,
    Result,
}

impl ExportColumn {
    /// Every column, in the order of the CSV header.
    pub const ALL: [ExportColumn; 23] = [
        ExportColumn::Id,
        ExportColumn::Published,
        ExportColumn::SubmittedAt,
        ExportColumn::Status,
        ExportColumn::Channel,
        ExportColumn::Category,
        ExportColumn::Area,
        ExportColumn::Decision,
        ExportColumn::RejectionReason,
        ExportColumn::ScreenedAt,
        ExportColumn::Agency,
        ExportColumn::Deadline,
        ExportColumn::ResultSubmittedAt,
        ExportColumn::ResolvedAt,
        ExportColumn::OnTime,
        ExportColumn::Rating,
        ExportColumn::Title,
        ExportColumn::Description,
        ExportColumn::Address,
        ExportColumn::Lat,
        ExportColumn::Lon,
        ExportColumn::Url,
        ExportColumn::Result,
    ];

    /// The column's name in the CSV header and among the GeoJSON properties.
    pub fn name(self) -> &'static str {
        match self {
            ExportColumn::Id => "id",
            ExportColumn::Published => "published",
            ExportColumn::SubmittedAt => "submitted_at",
            ExportColumn::Status => "status",
            ExportColumn::Channel => "channel",
            ExportColumn::Category => "category",
            ExportColumn::Area => "area",
            ExportColumn::Decision => "decision",
            ExportColumn::RejectionReason => "rejection_reason",
            ExportColumn::ScreenedAt => "screened_at",
            ExportColumn::Agency => "agency",
            ExportColumn::Deadline => "deadline",
            ExportColumn::ResultSubmittedAt => "result_submitted_at",
            ExportColumn::ResolvedAt => "resolved_at",
            ExportColumn::OnTime => "on_time",
            ExportColumn::Rating => "rating",
            ExportColumn::Title => "title",
            ExportColumn::Description => "description",
            ExportColumn::Address => "address",
            ExportColumn::Lat => "lat",
            ExportColumn::Lon => "lon",
            ExportColumn::Url => "url",
            ExportColumn::Result => "result",
        }
    }

    /// Whether a held-back case's row (see [`crate::case::held_back`]) carries the column: only
    /// what the statistics count it by. Every other column of such a row is empty.
    pub fn counts_held_back_cases(self) -> bool {
        matches!(
            self,
            ExportColumn::Id
                | ExportColumn::Published
                | ExportColumn::SubmittedAt
                | ExportColumn::Status
                | ExportColumn::Channel
                | ExportColumn::Category
                | ExportColumn::Area
                | ExportColumn::Decision
                | ExportColumn::RejectionReason
        )
    }

    /// Whether GeoJSON carries the column as a property; the position is its geometry instead.
    pub fn is_geojson_property(self) -> bool {
        !matches!(self, ExportColumn::Lat | ExportColumn::Lon)
    }

    /// The CSV header line, without its line break.
    pub fn csv_header() -> String {
        Self::ALL.iter().map(|column| column.name()).collect::<Vec<_>>().join(",")
    }
}

/// What screening decided about a case, as the exports write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accepted,
    Rejected,
}

impl Decision {
    /// The decision in force for a case in `status`: none while it waits for screening.
    pub fn of(status: CaseStatus) -> Option<Self> {
        match status {
            CaseStatus::Submitted => None,
            CaseStatus::Rejected => Some(Decision::Rejected),
            CaseStatus::Assigned
            | CaseStatus::InProgress
            | CaseStatus::ResultReview
            | CaseStatus::Resolved
            | CaseStatus::Closed => Some(Decision::Accepted),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
        }
    }
}

/// The rejection reason an export writes for a case: its coded reason when it is rejected.
pub fn rejection_reason(status: CaseStatus, rejection: Option<RejectReason>) -> Option<RejectReason> {
    rejection.filter(|_| status == CaseStatus::Rejected)
}

/// A rating as the exports write it.
pub fn rating_name(rating: Rating) -> &'static str {
    match rating {
        Rating::Satisfied => "satisfied",
        Rating::Acceptable => "acceptable",
        Rating::Unsatisfied => "unsatisfied",
    }
}

/// The licence the open data is published under: an identifier (SPDX's where it has one) and
/// the address of its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub id: String,
    pub url: String,
}

/// Why a configured licence was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenceError {
    #[error("the licence needs an identifier of letters, digits, '.', '-' or '+'")]
    BadId,
    #[error("the licence {0} is not one the server knows; give the address of its text too")]
    UnknownWithoutUrl(String),
    #[error("the licence's address must be an http(s) address without spaces, quotes or angle brackets")]
    BadUrl,
}

impl Licence {
    /// The identifier of the licence the open data carries unless configured otherwise.
    pub const DEFAULT_ID: &'static str = "CC-BY-4.0";

    /// Open licences the server knows the address of, by SPDX identifier.
    pub const KNOWN: [(&'static str, &'static str); 6] = [
        ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
        ("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
        ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        ("ODbL-1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
        ("ODC-By-1.0", "https://opendatacommons.org/licenses/by/1-0/"),
        ("PDDL-1.0", "https://opendatacommons.org/licenses/pddl/1-0/"),
    ];

    /// Creative Commons Attribution 4.0, the default.
    pub fn default_licence() -> Self {
        Self::parse(Self::DEFAULT_ID, None).unwrap_or_else(|_| Self { id: String::new(), url: String::new() })
    }

    /// A licence by identifier, with the address of its text; a known identifier needs no
    /// address. The address goes into an HTTP header, so it must be one a header can carry.
    pub fn parse(id: &str, url: Option<&str>) -> Result<Self, LicenceError> {
        let id = id.trim();
        let id_ok = !id.is_empty()
            && id.len() <= 64
            && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
        if !id_ok {
            return Err(LicenceError::BadId);
        }
        let known = Self::KNOWN.iter().find(|(known, _)| known.eq_ignore_ascii_case(id));
        let url = match (url.map(str::trim).filter(|u| !u.is_empty()), known) {
            (Some(url), _) => url.to_string(),
            (None, Some((_, url))) => (*url).to_string(),
            (None, None) => return Err(LicenceError::UnknownWithoutUrl(id.to_string())),
        };
        let url_ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= 2_000
            && url.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '\\'));
        if !url_ok {
            return Err(LicenceError::BadUrl);
        }
        let id = known.map_or(id, |(known, _)| known).to_string();
        Ok(Self { id, url })
    }
}

impl Default for Licence {
    fn default() -> Self {
        Self::default_licence()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_every_column_once_in_order() {
        let header = ExportColumn::csv_header();
        let names: Vec<&str> = header.split(',').collect();
        assert_eq!(names.len(), ExportColumn::ALL.len());
        assert_eq!(names.first(), Some(&"id"));
        assert_eq!(names.last(), Some(&"result"));
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "no name twice: {header}");
    }

    #[test]
    fn held_back_rows_carry_only_what_the_statistics_count_by() {
        let counted: Vec<&str> =
            ExportColumn::ALL.iter().filter(|c| c.counts_held_back_cases()).map(|c| c.name()).collect();
        assert_eq!(
            counted,
            [
                "id",
                "published",
                "submitted_at",
                "status",
                "channel",
                "category",
                "area",
                "decision",
                "rejection_reason"
            ]
        );
        for private in [ExportColumn::Title, ExportColumn::Description, ExportColumn::Address, ExportColumn::Lat] {
            assert!(!private.counts_held_back_cases(), "{private:?}");
        }
    }

    #[test]
    fn decisions_follow_the_status() {
        assert_eq!(Decision::of(CaseStatus::Submitted), None);
        assert_eq!(Decision::of(CaseStatus::Rejected), Some(Decision::Rejected));
        assert_eq!(Decision::of(CaseStatus::Closed), Some(Decision::Accepted));
        assert_eq!(
            rejection_reason(CaseStatus::Rejected, Some(RejectReason::Duplicate)),
            Some(RejectReason::Duplicate)
        );
        assert_eq!(rejection_reason(CaseStatus::Assigned, Some(RejectReason::Duplicate)), None);
    }

    #[test]
    fn licences_are_known_by_id_or_given_with_their_address() {
        let default = Licence::default();
        assert_eq!(
            (default.id.as_str(), default.url.as_str()),
            ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")
        );
        assert_eq!(Licence::parse("cc0-1.0", None).map(|l| l.id), Ok("CC0-1.0".to_string()));
        assert_eq!(Licence::parse("OGL-VN", None), Err(LicenceError::UnknownWithoutUrl("OGL-VN".to_string())));
        let own = Licence::parse("OGL-VN", Some("https://data.example.vn/giay-phep")).map(|l| l.url);
        assert_eq!(own, Ok("https://data.example.vn/giay-phep".to_string()));
        assert_eq!(Licence::parse("CC BY", None), Err(LicenceError::BadId));
        for bad in ["ftp://x", "https://x>; rel=\"next\"", "https://a b", "javascript:alert(1)"] {
            assert_eq!(Licence::parse("X-1", Some(bad)), Err(LicenceError::BadUrl), "{bad}");
        }
    }
}
