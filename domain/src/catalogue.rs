//! The catalogue: categories (lĩnh vực), agencies (đơn vị xử lý), routes and holidays, and the admin's edits to them.

use super::deadline::Holiday;
use super::geo::Area;
use super::text::{clean_text, Lines};
use super::validation::{Field, Reason, ValidationError};
use chrono::{DateTime, NaiveDate, Utc};
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
    /// The category's own escalation ladder, in working days: the reminder this many before the
    /// deadline's day; `None` keeps the province's setting.
    #[serde(default)]
    pub reminder_days_before: Option<u16>,
    /// The leader told this many working days after the deadline's day; `None` keeps the province's setting.
    #[serde(default)]
    pub leader_days_after: Option<u16>,
}

/// An agency that handles cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
    /// How citizens and staff reach the agency: a phone number, an address, an email.
    #[serde(default)]
    pub contact: String,
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

impl AgencyKind {
    pub const ALL: [AgencyKind; 7] = [
        AgencyKind::Department,
        AgencyKind::Utility,
        AgencyKind::Telecom,
        AgencyKind::District,
        AgencyKind::Ward,
        AgencyKind::Commune,
        AgencyKind::Police,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Department => "department",
            AgencyKind::Utility => "utility",
            AgencyKind::Telecom => "telecom",
            AgencyKind::Ward => "ward",
            AgencyKind::Commune => "commune",
            AgencyKind::Police => "police",
            AgencyKind::District => "district",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw.trim())
    }
}

/// A catalogue code: 2 to 40 of lowercase letters, digits, `_` and `-`, starting with a letter.
/// Codes are stable keys that cases and routes refer to; names can change, codes cannot.
pub fn parse_code(raw: &str) -> Result<String, Reason> {
    let code = raw.trim();
    if code.is_empty() {
        return Err(Reason::Required);
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    let starts_with_letter = code.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if !(2..=40).contains(&code.len()) || !starts_with_letter || !code.chars().all(allowed) {
        return Err(Reason::InvalidCode);
    }
    Ok(code.to_string())
}

/// Working days a category may give: at least one, at most three months of them.
pub const MAX_DEADLINE_DAYS: u16 = 60;

/// Working days a step of a category's escalation ladder may lie from its deadline: two weeks.
pub const MAX_ESCALATION_DAYS: u16 = 10;

/// A step of a category's own ladder, in working days: empty keeps the province's setting.
fn escalation_days(raw: &str) -> Result<Option<u16>, Reason> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw
            .parse::<u16>()
            .ok()
            .filter(|d| (1..=MAX_ESCALATION_DAYS).contains(d))
            .map(Some)
            .ok_or(Reason::OutOfRange),
    }
}

/// Collects every field's refusal, in form order.
struct Checks(Vec<ValidationError>);

impl Checks {
    fn take<T>(&mut self, field: Field, result: Result<T, Reason>) -> Option<T> {
        result.map_err(|reason| self.0.push(ValidationError::new(field, reason))).ok()
    }

    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<ValidationError>> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(self.0),
        }
    }
}

fn name(raw: &str, max: usize) -> Result<String, Reason> {
    clean_text(raw, 1, max, Lines::Single)
}

/// The category form as the admin fills it in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryForm {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub deadline_days: String,
    pub active: bool,
    #[serde(default)]
    pub reminder_days_before: String,
    #[serde(default)]
    pub leader_days_after: String,
}

impl Category {
    pub fn parse(form: &CategoryForm) -> Result<Self, Vec<ValidationError>> {
        let mut checks = Checks(Vec::new());
        let code = checks.take(Field::Code, parse_code(&form.code));
        let name_vi = checks.take(Field::NameVi, name(&form.name_vi, 100));
        let name_en = checks.take(Field::NameEn, name(&form.name_en, 100));
        let days = match form.deadline_days.trim() {
            "" => Err(Reason::Required),
            raw => raw.parse::<u16>().ok().filter(|d| (1..=MAX_DEADLINE_DAYS).contains(d)).ok_or(Reason::OutOfRange),
        };
        let deadline_days = checks.take(Field::DeadlineDays, days);
        let reminder_days_before = checks.take(Field::ReminderDays, escalation_days(&form.reminder_days_before));
        let leader_days_after = checks.take(Field::LeaderDays, escalation_days(&form.leader_days_after));
        let category = (|| {
            Some(Category {
                code: code?,
                name_vi: name_vi?,
                name_en: name_en?,
                deadline_days: deadline_days?,
                active: form.active,
                reminder_days_before: reminder_days_before?,
                leader_days_after: leader_days_after?,
            })
        })();
        checks.finish(category)
    }
}

/// The agency form as the admin fills it in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgencyForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub contact: String,
    pub active: bool,
}

impl Agency {
    pub fn parse(form: &AgencyForm) -> Result<Self, Vec<ValidationError>> {
        let mut checks = Checks(Vec::new());
        let code = checks.take(Field::Code, parse_code(&form.code));
        let agency_name = checks.take(Field::Name, name(&form.name, 200));
        let kind = checks.take(
            Field::Kind,
            if form.kind.trim().is_empty() {
                Err(Reason::Required)
            } else {
                AgencyKind::parse(&form.kind).ok_or(Reason::UnknownKind)
            },
        );
        let contact = match form.contact.trim() {
            "" => Some(String::new()),
            raw => checks.take(Field::Contact, name(raw, 300)),
        };
        let agency =
            (|| Some(Agency { code: code?, name: agency_name?, kind: kind?, contact: contact?, active: form.active }))(
            );
        checks.finish(agency)
    }
}

/// The holiday form: a day and what it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HolidayForm {
    pub date: String,
    pub name: String,
}

/// A holiday's day, written YYYY-MM-DD; days outside 2000–2100 are typing mistakes, not holidays.
pub fn parse_holiday_date(raw: &str) -> Result<NaiveDate, Reason> {
    match raw.trim() {
        "" => Err(Reason::Required),
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| Reason::InvalidDate).and_then(|day| {
            if (2000..=2100).contains(&chrono::Datelike::year(&day)) {
                Ok(day)
            } else {
                Err(Reason::OutOfRange)
            }
        }),
    }
}

/// Parses a holiday: its day and its name.
pub fn parse_holiday(form: &HolidayForm) -> Result<Holiday, Vec<ValidationError>> {
    let mut checks = Checks(Vec::new());
    let date = checks.take(Field::Date, parse_holiday_date(&form.date));
    let holiday_name = checks.take(Field::Name, name(&form.name, 100));
    let holiday = (|| Some(Holiday { date: date?, name: holiday_name? }))();
    checks.finish(holiday)
}

/// One change an administrator makes to the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum CatalogueEdit {
    /// Adds the category or replaces the one with its code.
    SaveCategory {
        category: Category,
    },
    SaveAgency {
        agency: Agency,
    },
    /// Adds the area or replaces the shape and name of the one with its code, keeping its active flag.
    ImportArea {
        area: Area,
    },
    SetAreaActive {
        code: String,
        active: bool,
    },
    /// Sets the lead agency for a category in an area.
    SaveRoute {
        route: Route,
    },
    RemoveRoute {
        category: String,
        area: String,
    },
    SaveHoliday {
        holiday: Holiday,
    },
    RemoveHoliday {
        date: NaiveDate,
    },
}

/// What kind of entry a logged change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Category,
    Agency,
    Area,
    Route,
    Holiday,
    Account,
}

impl Entity {
    pub const ALL: [Entity; 6] =
        [Entity::Category, Entity::Agency, Entity::Area, Entity::Route, Entity::Holiday, Entity::Account];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Category => "category",
            Entity::Agency => "agency",
            Entity::Area => "area",
            Entity::Route => "route",
            Entity::Holiday => "holiday",
            Entity::Account => "account",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == raw)
    }
}

impl CatalogueEdit {
    /// The entry the edit touches: its kind and its key as the change log shows it.
    pub fn target(&self) -> (Entity, String) {
        match self {
            CatalogueEdit::SaveCategory { category } => (Entity::Category, category.code.clone()),
            CatalogueEdit::SaveAgency { agency } => (Entity::Agency, agency.code.clone()),
            CatalogueEdit::ImportArea { area } => (Entity::Area, area.code.clone()),
            CatalogueEdit::SetAreaActive { code, .. } => (Entity::Area, code.clone()),
            CatalogueEdit::SaveRoute { route } => (Entity::Route, route_key(&route.category, &route.area)),
            CatalogueEdit::RemoveRoute { category, area } => (Entity::Route, route_key(category, area)),
            CatalogueEdit::SaveHoliday { holiday } => (Entity::Holiday, holiday.date.to_string()),
            CatalogueEdit::RemoveHoliday { date } => (Entity::Holiday, date.to_string()),
        }
    }
}

/// The change log's key of a route: category and area.
pub fn route_key(category: &str, area: &str) -> String {
    format!("{category} @ {area}")
}

/// One logged change: who made it, when, and the entry before and after, as JSON
/// (`None` before a creation and after a removal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueChange {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub entity: Entity,
    pub key: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category_form() -> CategoryForm {
        CategoryForm {
            code: "flooding".into(),
            name_vi: "Ngập úng".into(),
            name_en: "Flooding".into(),
            deadline_days: "4".into(),
            active: true,
            reminder_days_before: String::new(),
            leader_days_after: "3".into(),
        }
    }

    fn fields(errors: Vec<ValidationError>) -> Vec<(Field, Reason)> {
        errors.into_iter().map(|e| (e.field, e.reason)).collect()
    }

    #[test]
    fn a_valid_category_form_parses() {
        let category = Category::parse(&category_form()).expect("valid");
        assert_eq!((category.code.as_str(), category.deadline_days, category.active), ("flooding", 4, true));
        assert_eq!(
            (category.reminder_days_before, category.leader_days_after),
            (None, Some(3)),
            "empty keeps the province's"
        );
    }

    #[test]
    fn a_categorys_own_escalation_steps_are_one_to_ten_working_days() {
        for (reminder, leader) in [("0", "11"), ("một", "-1")] {
            let form = CategoryForm {
                reminder_days_before: reminder.into(),
                leader_days_after: leader.into(),
                ..category_form()
            };
            assert_eq!(
                fields(Category::parse(&form).expect_err("invalid")),
                [(Field::ReminderDays, Reason::OutOfRange), (Field::LeaderDays, Reason::OutOfRange)]
            );
        }
        let form = CategoryForm { reminder_days_before: " 10 ".into(), ..category_form() };
        assert_eq!(Category::parse(&form).map(|c| c.reminder_days_before), Ok(Some(MAX_ESCALATION_DAYS)));
    }

    #[test]
    fn every_bad_category_field_is_named() {
        let form =
            CategoryForm { code: "Ngập".into(), name_vi: " ".into(), deadline_days: "61".into(), ..category_form() };
        assert_eq!(
            fields(Category::parse(&form).expect_err("invalid")),
            [
                (Field::Code, Reason::InvalidCode),
                (Field::NameVi, Reason::Required),
                (Field::DeadlineDays, Reason::OutOfRange)
            ]
        );
        let form = CategoryForm { deadline_days: "ba".into(), ..category_form() };
        assert_eq!(fields(Category::parse(&form).expect_err("invalid")), [(Field::DeadlineDays, Reason::OutOfRange)]);
        let form = CategoryForm { deadline_days: "0".into(), ..category_form() };
        assert_eq!(fields(Category::parse(&form).expect_err("invalid")), [(Field::DeadlineDays, Reason::OutOfRange)]);
    }

    #[test]
    fn codes_are_lowercase_slugs() {
        assert_eq!(parse_code(" urban_order "), Ok("urban_order".to_string()));
        assert_eq!(parse_code("dong-hoi"), Ok("dong-hoi".to_string()));
        assert_eq!(parse_code(""), Err(Reason::Required));
        assert_eq!(parse_code("1st"), Err(Reason::InvalidCode));
        assert_eq!(parse_code("a"), Err(Reason::InvalidCode));
        assert_eq!(parse_code("có dấu"), Err(Reason::InvalidCode));
    }

    #[test]
    fn agencies_need_a_known_kind_and_holidays_a_real_day() {
        let form = AgencyForm {
            code: "ubnd-bo-trach".into(),
            name: "UBND huyện Bố Trạch".into(),
            kind: "district".into(),
            contact: "0232 3862 123".into(),
            active: true,
        };
        let agency = Agency::parse(&form).expect("valid");
        assert_eq!((agency.kind, agency.contact.as_str()), (AgencyKind::District, "0232 3862 123"));
        let form = AgencyForm { kind: "army".into(), ..form };
        assert_eq!(fields(Agency::parse(&form).expect_err("invalid")), [(Field::Kind, Reason::UnknownKind)]);
        let holiday =
            parse_holiday(&HolidayForm { date: "2027-09-02".into(), name: "Quốc khánh".into() }).expect("valid");
        assert_eq!(holiday.date, NaiveDate::from_ymd_opt(2027, 9, 2).expect("date"));
        let bad = HolidayForm { date: "2027-02-30".into(), name: String::new() };
        assert_eq!(
            fields(parse_holiday(&bad).expect_err("invalid")),
            [(Field::Date, Reason::InvalidDate), (Field::Name, Reason::Required)]
        );
    }
}
