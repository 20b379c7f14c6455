//! The reporter's optional contact: a name, a Vietnamese phone number, an e-mail address. Personal data.

use super::text::{clean_text, Lines};
use super::validation::{Field, Reason, ValidationError};
use serde::{Deserialize, Serialize};

/// A person's name as they give it: 1 to 100 characters, one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, Reason> {
        clean_text(raw, 1, Self::MAX, Lines::Single).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Vietnamese phone number in national form (`0xxxxxxxxx`): a 10-digit mobile number
/// (03, 05, 07, 08, 09), an 11-digit landline (02x area codes), or an 1800/1900 service number.
/// Accepts `+84`/`84` prefixes and spaces, dots, dashes and brackets as separators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, Reason> {
        let compact: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        if compact.is_empty() {
            return Err(Reason::Required);
        }
        let national = if let Some(rest) = compact.strip_prefix("+84") {
            format!("0{rest}")
        } else if compact.starts_with("84") && compact.len() == 11 {
            format!("0{}", &compact[2..])
        } else {
            compact
        };
        if !national.chars().all(|c| c.is_ascii_digit()) {
            return Err(Reason::InvalidPhone);
        }
        let mobile = national.len() == 10 && matches!(&national[..2], "03" | "05" | "07" | "08" | "09");
        let landline = national.len() == 11 && national.starts_with("02");
        let service = (national.len() == 8 || national.len() == 10)
            && (national.starts_with("1800") || national.starts_with("1900"));
        if mobile || landline || service {
            Ok(Self(national))
        } else {
            Err(Reason::InvalidPhone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked for shape only (one `@`, a dotted domain, no spaces, ≤ 254 characters).
/// Whether it receives mail is only known by writing to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, Reason> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(Reason::Required);
        }
        if text.chars().count() > Self::MAX {
            return Err(Reason::TooLong { max: Self::MAX });
        }
        let (local, domain) = text.split_once('@').ok_or(Reason::InvalidEmail)?;
        let well_formed = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed {
            Ok(Self(format!("{local}@{}", domain.to_lowercase())))
        } else {
            Err(Reason::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How to reach the person who reported a case. Never shown on public pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReporterContact {
    pub name: Option<PersonName>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<Email>,
}

impl ReporterContact {
    /// Parses the three optional fields; blank ones are absent. `None` when all are blank.
    pub fn parse(name: &str, phone: &str, email: &str, errors: &mut Vec<ValidationError>) -> Option<Self> {
        fn optional<T>(
            raw: &str,
            field: Field,
            parse: fn(&str) -> Result<T, Reason>,
            errors: &mut Vec<ValidationError>,
        ) -> Option<T> {
            if raw.trim().is_empty() {
                return None;
            }
            parse(raw).map_err(|reason| errors.push(ValidationError::new(field, reason))).ok()
        }
        let contact = Self {
            name: optional(name, Field::ReporterName, PersonName::parse, errors),
            phone: optional(phone, Field::ReporterPhone, PhoneNumber::parse, errors),
            email: optional(email, Field::ReporterEmail, Email::parse, errors),
        };
        (contact.name.is_some() || contact.phone.is_some() || contact.email.is_some()).then_some(contact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_in_every_common_form_normalise() {
        for raw in ["0912345678", "091 234 5678", "0912.345.678", "+84912345678", "84912345678", "+84 91-234-5678"] {
            assert_eq!(PhoneNumber::parse(raw).map(|p| p.0), Ok("0912345678".to_string()), "{raw}");
        }
    }

    #[test]
    fn landlines_and_service_numbers_are_accepted() {
        assert!(PhoneNumber::parse("0232 3822 123").is_ok(), "Quảng Bình landline");
        assert!(PhoneNumber::parse("1900 1234").is_ok());
        assert!(PhoneNumber::parse("1800 123 456").is_ok());
    }

    #[test]
    fn wrong_numbers_are_refused() {
        for raw in ["012345678", "0112345678", "091234567", "09123456789", "09l2345678", "+1 415 555 0100"] {
            assert_eq!(PhoneNumber::parse(raw), Err(Reason::InvalidPhone), "{raw}");
        }
        assert_eq!(PhoneNumber::parse("  "), Err(Reason::Required));
    }

    #[test]
    fn emails_are_shape_checked_and_domain_lowercased() {
        assert_eq!(Email::parse(" Lan.Nguyen@Example.VN ").map(|e| e.0), Ok("Lan.Nguyen@example.vn".to_string()));
        for raw in
            ["lan", "lan@", "@example.vn", "lan@example", "lan@@example.vn", "lan nguyen@example.vn", "lan@example..vn"]
        {
            assert_eq!(Email::parse(raw), Err(Reason::InvalidEmail), "{raw}");
        }
        let long = format!("{}@example.vn", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(Reason::TooLong { max: 254 }));
    }

    #[test]
    fn contact_is_absent_when_blank_and_errors_name_fields() {
        let mut errors = Vec::new();
        assert_eq!(ReporterContact::parse(" ", "", "", &mut errors), None);
        assert!(errors.is_empty());
        let contact = ReporterContact::parse("Nguyễn Văn An", "0912 345 678", "", &mut errors).expect("contact");
        assert_eq!(contact.phone.map(|p| p.0), Some("0912345678".to_string()));
        ReporterContact::parse("An", "123", "not-an-email", &mut errors);
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::ReporterPhone, Field::ReporterEmail]);
    }
}
