//! Accounts: usernames, roles, and the password rules, shared by the forms and the server.

use super::case::ActorRole;
use super::contact::PersonName;
use super::validation::{Field, Reason, ValidationError};
use super::workflow::Actor;
use serde::{Deserialize, Serialize};

/// A signed-in person. Officers belong to one agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: ActorRole,
    pub agency: Option<String>,
    /// The areas a coordinator screens; empty for a province-level coordinator and other roles.
    #[serde(default)]
    pub areas: Vec<String>,
    pub active: bool,
    /// An officer who heads their agency: they hand its cases out to its officers.
    #[serde(default)]
    pub agency_head: bool,
    /// Set while the account's password is the one-time password it was created with: it must set
    /// its own before anything else, and the one-time password stops working at this moment.
    #[serde(default)]
    pub one_time_password_until: Option<chrono::DateTime<chrono::Utc>>,
}

impl Account {
    /// Which cases the account works on, by the area they lie in.
    pub fn scope(&self) -> CaseScope {
        if self.role == ActorRole::Coordinator && !self.areas.is_empty() {
            CaseScope::Areas(self.areas.clone())
        } else {
            CaseScope::Province
        }
    }

    /// The account as an actor on cases.
    pub fn actor(&self) -> Actor {
        Actor { role: self.role, account_id: Some(self.id), agency: self.agency.clone(), agency_head: self.agency_head }
    }

    /// Whether cases of `agency` may be given to the account: it is an active officer of it.
    pub fn may_hold_cases_of(&self, agency: &str) -> bool {
        self.role == ActorRole::Officer && self.active && self.agency.as_deref() == Some(agency)
    }

    pub fn is_staff(&self) -> bool {
        matches!(
            self.role,
            ActorRole::Operator | ActorRole::Coordinator | ActorRole::Officer | ActorRole::Leader | ActorRole::Admin
        )
    }
}

/// An officer as the staff working a case see them: named on its timeline and in its agency's
/// queue, and among those a head of the agency gives it to. Never shown to the public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyOfficer {
    pub id: i64,
    pub display_name: String,
    /// Whether cases of the agency may be given to them now (see [`Account::may_hold_cases_of`]).
    pub available: bool,
    pub agency_head: bool,
}

impl AgencyOfficer {
    /// `account` as the staff of a case of `agency` (none once it left every agency) see it.
    pub fn of(account: &Account, agency: Option<&str>) -> Self {
        Self {
            id: account.id,
            display_name: account.display_name.clone(),
            available: agency.is_some_and(|agency| account.may_hold_cases_of(agency)),
            agency_head: account.agency_head && agency.is_some() && account.agency.as_deref() == agency,
        }
    }
}

/// The display name of officer `id` among `officers`, if they are named there.
pub fn officer_name(officers: &[AgencyOfficer], id: i64) -> Option<&str> {
    officers.iter().find(|officer| officer.id == id).map(|officer| officer.display_name.as_str())
}

/// The part of the province a person works on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseScope {
    Province,
    /// Only cases pinned inside these areas; out-of-area cases belong to the province level.
    Areas(Vec<String>),
}

impl CaseScope {
    /// Whether a case in `area` (`None`: outside every served area) lies in scope.
    pub fn covers(&self, area: Option<&str>) -> bool {
        match self {
            CaseScope::Province => true,
            CaseScope::Areas(codes) => area.is_some_and(|area| codes.iter().any(|code| code == area)),
        }
    }
}

/// The roles an administrator gives; anonymous and system are not people's roles.
pub const ASSIGNABLE_ROLES: [ActorRole; 6] = [
    ActorRole::Citizen,
    ActorRole::Operator,
    ActorRole::Coordinator,
    ActorRole::Officer,
    ActorRole::Leader,
    ActorRole::Admin,
];

/// What an administrator sets on an account: its role, an officer's agency and whether they head
/// it, a coordinator's areas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleForm {
    pub role: String,
    pub agency: String,
    pub areas: Vec<String>,
    #[serde(default)]
    pub agency_head: bool,
}

/// A role assignment that passed every rule: officers have an agency, only coordinators have
/// areas, only officers head an agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub role: ActorRole,
    pub agency: Option<String>,
    pub areas: Vec<String>,
    #[serde(default)]
    pub agency_head: bool,
}

impl RoleAssignment {
    /// Checks the form against the catalogue's active agencies and active area codes.
    pub fn parse(
        form: &RoleForm,
        active_agencies: &[String],
        active_areas: &[String],
    ) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let role = match form.role.trim() {
            "" => Err(Reason::Required),
            raw => ActorRole::parse(raw).filter(|r| ASSIGNABLE_ROLES.contains(r)).ok_or(Reason::UnknownRole),
        };
        let role = role.map_err(|reason| errors.push(ValidationError::new(Field::Role, reason))).ok();
        let agency = match (role, form.agency.trim()) {
            (Some(ActorRole::Officer), "") => {
                errors.push(ValidationError::new(Field::Agency, Reason::Required));
                None
            }
            (Some(ActorRole::Officer), code) if !active_agencies.iter().any(|a| a == code) => {
                errors.push(ValidationError::new(Field::Agency, Reason::UnknownAgency));
                None
            }
            (Some(ActorRole::Officer), code) => Some(code.to_string()),
            _ => None,
        };
        let mut areas: Vec<String> =
            form.areas.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
        areas.sort();
        areas.dedup();
        if !areas.is_empty() {
            if role.is_some_and(|r| r != ActorRole::Coordinator) {
                errors.push(ValidationError::new(Field::Areas, Reason::AreasForCoordinatorsOnly));
            } else if areas.iter().any(|area| !active_areas.contains(area)) {
                errors.push(ValidationError::new(Field::Areas, Reason::UnknownArea));
            }
        }
        // The head flag belongs to officers; a form switched to another role leaves it behind.
        let agency_head = form.agency_head && role == Some(ActorRole::Officer);
        match role {
            Some(role) if errors.is_empty() => Ok(Self { role, agency, areas, agency_head }),
            _ => Err(errors),
        }
    }
}

/// The invitation form: a new staff member's username, name and role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationForm {
    pub username: String,
    pub display_name: String,
    pub role: RoleForm,
}

/// A key an integrating system files reports with; the key itself is shown once, never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// An account about to be created; the password is already hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub username: Username,
    pub display_name: PersonName,
    pub role: ActorRole,
    pub agency: Option<String>,
    pub password_hash: String,
}

/// A login name: 3 to 40 characters of lowercase letters, digits, `.`, `_` and `-`; stored lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, Reason> {
        let name = raw.trim().to_lowercase();
        if name.is_empty() {
            return Err(Reason::Required);
        }
        if name.chars().count() < 3 {
            return Err(Reason::TooShort { min: 3 });
        }
        if name.chars().count() > 40 {
            return Err(Reason::TooLong { max: 40 });
        }
        if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')) {
            return Err(Reason::InvalidUsername);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 10 to 128 characters. Length beats composition rules.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, Reason> {
        let length = raw.chars().count();
        if length == 0 {
            return Err(Reason::Required);
        }
        if length < Self::MIN {
            return Err(Reason::TooShort { min: Self::MIN });
        }
        if length > Self::MAX {
            return Err(Reason::TooLong { max: Self::MAX });
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// The registration form as sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RegistrationInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
}

/// A citizen's registration that passed every rule.
#[derive(Debug)]
pub struct Registration {
    pub username: Username,
    pub display_name: PersonName,
    pub password: NewPassword,
}

impl Registration {
    pub fn parse(input: &RegistrationInput) -> Result<Self, Vec<ValidationError>> {
        let username = Username::parse(&input.username).map_err(|r| ValidationError::new(Field::Username, r));
        let display_name =
            PersonName::parse(&input.display_name).map_err(|r| ValidationError::new(Field::DisplayName, r));
        let password = NewPassword::parse(&input.password).map_err(|r| ValidationError::new(Field::Password, r));
        match (username, display_name, password) {
            (Ok(username), Ok(display_name), Ok(password)) => Ok(Self { username, display_name, password }),
            (username, display_name, password) => {
                Err([username.err(), display_name.err(), password.err()].into_iter().flatten().collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_restricted() {
        assert_eq!(Username::parse(" Lan.Nguyen ").map(|u| u.0), Ok("lan.nguyen".to_string()));
        assert_eq!(Username::parse("ab"), Err(Reason::TooShort { min: 3 }));
        assert_eq!(Username::parse("lan nguyen"), Err(Reason::InvalidUsername));
        assert_eq!(Username::parse("nguyễn"), Err(Reason::InvalidUsername));
    }

    #[test]
    fn passwords_need_ten_characters_and_never_print() {
        assert_eq!(NewPassword::parse("short").err(), Some(Reason::TooShort { min: 10 }));
        let password = NewPassword::parse("mật khẩu đủ dài").expect("long enough");
        assert_eq!(format!("{password:?}"), "NewPassword(…)");
    }

    #[test]
    fn officers_need_an_active_agency_and_only_coordinators_get_areas() {
        let agencies = vec!["urenco".to_string()];
        let areas = vec!["dong-hoi".to_string(), "bo-trach".to_string()];
        let form = |role: &str, agency: &str, chosen: &[&str]| RoleForm {
            role: role.into(),
            agency: agency.into(),
            areas: chosen.iter().map(|a| a.to_string()).collect(),
            agency_head: false,
        };
        let officer = RoleAssignment::parse(&form("officer", "urenco", &[]), &agencies, &areas).expect("valid");
        assert_eq!(officer.agency.as_deref(), Some("urenco"));
        assert!(!officer.agency_head);
        let reasons = |result: Result<RoleAssignment, Vec<ValidationError>>| {
            result.expect_err("invalid").into_iter().map(|e| (e.field, e.reason)).collect::<Vec<_>>()
        };
        assert_eq!(
            reasons(RoleAssignment::parse(&form("officer", "", &[]), &agencies, &areas)),
            [(Field::Agency, Reason::Required)]
        );
        assert_eq!(
            reasons(RoleAssignment::parse(&form("officer", "vnpt", &[]), &agencies, &areas)),
            [(Field::Agency, Reason::UnknownAgency)]
        );
        assert_eq!(
            reasons(RoleAssignment::parse(&form("leader", "", &["bo-trach"]), &agencies, &areas)),
            [(Field::Areas, Reason::AreasForCoordinatorsOnly)]
        );
        assert_eq!(
            reasons(RoleAssignment::parse(&form("coordinator", "", &["ha-noi"]), &agencies, &areas)),
            [(Field::Areas, Reason::UnknownArea)]
        );
        assert_eq!(
            reasons(RoleAssignment::parse(&form("system", "", &[]), &agencies, &areas)),
            [(Field::Role, Reason::UnknownRole)]
        );
        let coordinator =
            RoleAssignment::parse(&form("coordinator", "urenco", &["bo-trach", "bo-trach"]), &agencies, &areas)
                .expect("valid");
        assert_eq!((coordinator.agency, coordinator.areas), (None, vec!["bo-trach".to_string()]));
    }

    #[test]
    fn only_officers_head_an_agency() {
        let agencies = vec!["urenco".to_string()];
        let head = |role: &str, agency: &str| RoleForm {
            role: role.into(),
            agency: agency.into(),
            areas: Vec::new(),
            agency_head: true,
        };
        let officer = RoleAssignment::parse(&head("officer", "urenco"), &agencies, &[]).expect("valid");
        assert!(officer.agency_head);
        let leader = RoleAssignment::parse(&head("leader", ""), &agencies, &[]).expect("valid");
        assert!(!leader.agency_head, "a role switched away from officer leaves the flag behind");
        let account = Account {
            id: 4,
            username: "truong.urenco".into(),
            display_name: "Trưởng".into(),
            role: ActorRole::Officer,
            agency: Some("urenco".into()),
            areas: Vec::new(),
            active: true,
            one_time_password_until: None,
            agency_head: true,
        };
        assert!(account.actor().agency_head, "the actor carries the account's head flag");
    }

    #[test]
    fn a_coordinator_bound_to_areas_covers_only_their_cases() {
        let scope = CaseScope::Areas(vec!["bo-trach".into()]);
        assert!(scope.covers(Some("bo-trach")));
        assert!(!scope.covers(Some("dong-hoi")));
        assert!(!scope.covers(None), "out-of-area cases belong to the province level");
        assert!(CaseScope::Province.covers(None));
    }

    #[test]
    fn registration_reports_every_field() {
        let errors = Registration::parse(&RegistrationInput::default()).err().unwrap_or_default();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Username, Field::DisplayName, Field::Password]);
    }
}
