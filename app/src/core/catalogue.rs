//! The catalogue: categories (lĩnh vực) and agencies (đơn vị xử lý) that cases are filed under and routed to.

use serde::{Deserialize, Serialize};

/// A category of problem; `code` is stable, names are shown in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Working days an agency has to submit a result, counted from routing.
    pub deadline_days: u16,
    pub active: bool,
}

/// An agency that handles cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    Department,
    Utility,
    Telecom,
    Ward,
    Commune,
    Police,
    District,
}

/// A row of the routing table: cases of `category` inside `area` go to `agency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub category: String,
    pub area: String,
    pub agency: String,
}
