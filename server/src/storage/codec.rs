//! What both backends share: turning stored names back into domain values, and their errors.

use domain::case::CaseStatus;
use domain::contact::{Email, PersonName, PhoneNumber, ReporterContact};
use services::store::StoreError;

/// Stored data that does not decode: a bug or tampering, never a user's mistake.
pub fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

pub fn decode_status(text: &str) -> Result<CaseStatus, StoreError> {
    CaseStatus::parse(text).ok_or_else(|| corrupt(format!("status {text:?}")))
}

/// The wire name of a serde enum value, as the JSON of the shared types writes it.
pub fn enum_name<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value).map_err(corrupt)? {
        serde_json::Value::String(name) => Ok(name),
        other => Err(corrupt(format!("enum value {other}"))),
    }
}

pub fn enum_value<T: serde::de::DeserializeOwned>(name: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|e| corrupt(format!("{name:?}: {e}")))
}

/// A coordinator's areas from the comma-separated column both backends gather them into.
pub fn split_areas(joined: Option<String>) -> Vec<String> {
    let mut areas: Vec<String> =
        joined.unwrap_or_default().split(',').filter(|a| !a.is_empty()).map(str::to_string).collect();
    areas.sort();
    areas
}

/// A catalogue entry or account as the change log keeps it.
pub fn entry_json<T: serde::Serialize>(entry: Option<T>) -> Result<Option<String>, StoreError> {
    entry.map(|e| serde_json::to_string(&e).map_err(corrupt)).transpose()
}

pub fn to_u32(value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(corrupt)
}

/// Adds `n` to `key`'s count, keeping keys in the order they first appear.
pub fn add_count<K: PartialEq>(counts: &mut Vec<(K, u64)>, key: K, n: u64) {
    match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, total)) => *total += n,
        None => counts.push((key, n)),
    }
}

/// The reporter's contact from its stored columns. They were parsed on the way in, so parsing
/// them again only fails on corruption.
pub fn decode_contact(
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
) -> Result<ReporterContact, StoreError> {
    Ok(ReporterContact {
        name: name.as_deref().map(PersonName::parse).transpose().map_err(|r| corrupt(format!("name: {r:?}")))?,
        phone: phone.as_deref().map(PhoneNumber::parse).transpose().map_err(|r| corrupt(format!("phone: {r:?}")))?,
        email: email.as_deref().map(Email::parse).transpose().map_err(|r| corrupt(format!("email: {r:?}")))?,
    })
}

/// A case's photo from its stored columns, with the URLs its two sizes are served at.
pub fn decode_case_photo(
    id: &str,
    thumbnail_key: &str,
    event_seq: i64,
    width: i64,
    height: i64,
) -> Result<domain::photos::CasePhoto, StoreError> {
    use domain::photos::{media_url, CasePhoto, PhotoId};
    Ok(CasePhoto {
        id: PhotoId::parse(id).map_err(|_| corrupt(format!("photo id {id:?}")))?,
        event_seq: to_u32(event_seq)?,
        display_url: media_url(id),
        thumbnail_url: media_url(thumbnail_key),
        width: to_u32(width)?,
        height: to_u32(height)?,
    })
}
