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
    pub active: bool,
}

impl Account {
    /// The account as an actor on cases.
    pub fn actor(&self) -> Actor {
        Actor { role: self.role, account_id: Some(self.id), agency: self.agency.clone() }
    }

    pub fn is_staff(&self) -> bool {
        matches!(
            self.role,
            ActorRole::Operator | ActorRole::Coordinator | ActorRole::Officer | ActorRole::Leader | ActorRole::Admin
        )
    }
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
    fn registration_reports_every_field() {
        let errors = Registration::parse(&RegistrationInput::default()).err().unwrap_or_default();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Username, Field::DisplayName, Field::Password]);
    }
}
