//! Reading the shared core's tagged enums through flat records: the helpers that name what a record lacks.
//!
//! serde's derived reader of an internally tagged enum buffers the whole value through its generic
//! `Content` and reads each variant again from it; a flat record of the tag and every variant's
//! fields is read in one pass by one struct's reader, with a fraction of the code in the browser.

/// The refusal of a tag no variant carries.
pub(crate) fn unknown_kind(kind: &str) -> String {
    format!("unknown kind `{kind}`")
}

/// `value`, which the variant `kind` cannot be without.
pub(crate) fn needed<T>(kind: &str, field: &str, value: Option<T>) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}` of kind `{kind}`"))
}

/// `value` as the variant's narrower number type, which it must fit.
pub(crate) fn bounded<T: TryFrom<u64>>(kind: &str, field: &str, value: Option<u64>) -> Result<T, String> {
    T::try_from(needed(kind, field, value)?).map_err(|_| format!("field `{field}` of kind `{kind}` is out of range"))
}
