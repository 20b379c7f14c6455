//! A person's own account details (the name, e-mail address and phone number they edit themselves)
//! and how a person names their account when they have forgotten its password.

use super::account::Username;
use super::contact::{Email, PersonName, PhoneNumber};
use super::validation::{Field, Reason, ValidationError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The account's details as its owner sees them on the account page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub display_name: String,
    pub email: Option<String>,
    /// When the owner opened the link sent to `email`; `None` while it is unverified.
    pub email_verified_at: Option<DateTime<Utc>>,
    pub phone: Option<String>,
}

impl Profile {
    /// Whether the account has an address a password reset link may be sent to.
    pub fn email_verified(&self) -> bool {
        self.email.is_some() && self.email_verified_at.is_some()
    }
}

/// The profile form as sent: blank e-mail and phone mean none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInput {
    pub display_name: String,
    pub email: String,
    pub phone: String,
}

/// Profile details that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileEdit {
    pub display_name: PersonName,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
}

impl ProfileEdit {
    /// Parses the form, naming every refused field.
    pub fn parse(input: &ProfileInput) -> Result<Self, Vec<ValidationError>> {
        fn optional<T>(
            raw: &str,
            field: Field,
            parse: fn(&str) -> Result<T, Reason>,
        ) -> Result<Option<T>, ValidationError> {
            if raw.trim().is_empty() {
                return Ok(None);
            }
            parse(raw).map(Some).map_err(|reason| ValidationError::new(field, reason))
        }
        let display_name =
            PersonName::parse(&input.display_name).map_err(|reason| ValidationError::new(Field::DisplayName, reason));
        let email = optional(&input.email, Field::Email, Email::parse);
        let phone = optional(&input.phone, Field::Phone, PhoneNumber::parse);
        match (display_name, email, phone) {
            (Ok(display_name), Ok(email), Ok(phone)) => Ok(Self { display_name, email, phone }),
            (display_name, email, phone) => {
                Err([display_name.err(), email.err(), phone.err()].into_iter().flatten().collect())
            }
        }
    }
}

/// How a person who forgot their password names their account: its username, or its e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountHandle {
    Username(Username),
    Email(Email),
}

impl AccountHandle {
    /// An address when it holds `@`, else a username; refused when it can be neither, which says
    /// nothing about whether any account has it.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let refuse = |reason| ValidationError::new(Field::Handle, reason);
        if raw.trim().is_empty() {
            return Err(refuse(Reason::Required));
        }
        if raw.contains('@') {
            Email::parse(raw).map(Self::Email).map_err(refuse)
        } else {
            Username::parse(raw).map(Self::Username).map_err(refuse)
        }
    }
}

/// Why a link sent by e-mail no longer opens anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkProblem {
    /// It was opened once already; each link works once.
    Used,
    /// Its time ran out before it was opened.
    Expired,
    /// No such link: mistyped, replaced by a newer one, or its account changed meanwhile.
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(display_name: &str, email: &str, phone: &str) -> ProfileInput {
        ProfileInput { display_name: display_name.into(), email: email.into(), phone: phone.into() }
    }

    #[test]
    fn blank_email_and_phone_are_absent_and_the_rest_normalise() {
        let edit = ProfileEdit::parse(&input(" Nguyễn Thị Lan ", "", "  ")).expect("valid");
        assert_eq!((edit.display_name.as_str(), edit.email, edit.phone), ("Nguyễn Thị Lan", None, None));
        let edit = ProfileEdit::parse(&input("Lan", "Lan@Example.VN", "+84 912 345 678")).expect("valid");
        assert_eq!(edit.email.as_ref().map(Email::as_str), Some("Lan@example.vn"));
        assert_eq!(edit.phone.as_ref().map(PhoneNumber::as_str), Some("0912345678"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = ProfileEdit::parse(&input("", "lan@", "123")).expect_err("invalid");
        let named: Vec<(Field, Reason)> = errors.iter().map(|e| (e.field, e.reason)).collect();
        assert_eq!(
            named,
            [
                (Field::DisplayName, Reason::Required),
                (Field::Email, Reason::InvalidEmail),
                (Field::Phone, Reason::InvalidPhone)
            ]
        );
    }

    #[test]
    fn a_handle_is_an_address_or_a_username() {
        assert_eq!(
            AccountHandle::parse(" Lan@Example.vn "),
            Ok(AccountHandle::Email(Email::parse("Lan@example.vn").expect("address")))
        );
        assert_eq!(
            AccountHandle::parse("Lan.Nguyen"),
            Ok(AccountHandle::Username(Username::parse("lan.nguyen").expect("username")))
        );
        assert_eq!(AccountHandle::parse(" ").map_err(|e| (e.field, e.reason)), Err((Field::Handle, Reason::Required)));
        assert_eq!(
            AccountHandle::parse("lan nguyen").map_err(|e| e.reason),
            Err(Reason::InvalidUsername),
            "neither an address nor a username"
        );
        assert_eq!(AccountHandle::parse("lan@").map_err(|e| e.reason), Err(Reason::InvalidEmail));
    }

    #[test]
    fn only_a_verified_address_receives_reset_links() {
        let mut profile = Profile {
            display_name: "Lan".into(),
            email: Some("lan@example.vn".into()),
            email_verified_at: None,
            phone: None,
        };
        assert!(!profile.email_verified());
        profile.email_verified_at = Some(DateTime::<Utc>::UNIX_EPOCH);
        assert!(profile.email_verified());
    }
}
