//! Free text from people: NFC normalisation, trimming, and length and character rules.

use super::validation::Reason;
use serde::{Deserialize, Serialize};

/// Whether line breaks are part of the text (a description) or not (a title, a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    Single,
    Multi,
}

/// Characters that show nothing yet change what a reader sees: zero-width spaces and the word
/// joiner, the byte-order mark, and the bidirectional overrides and isolates that can make text read
/// backwards. (The zero-width joiners that build emoji stay allowed.)
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}')
        || matches!(c, '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// `text` in Unicode Normalization Form C. In the browser its own normaliser does it: Unicode's
/// decomposition and composition tables are then not downloaded a second time inside the
/// WebAssembly (they weigh about 110 kB). The server normalises again with the same form, and its
/// answer is the one kept.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn nfc(text: &str) -> String {
    String::from(js_sys::JsString::from(text).normalize("NFC"))
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn nfc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect()
}

/// `text` in Unicode Normalization Form KD: letters and their marks apart, and styled or
/// full-width letters as the plain ones, as search folding needs.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) fn nfkd(text: &str) -> String {
    String::from(js_sys::JsString::from(text).normalize("NFKD"))
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn nfkd(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkd().collect()
}

/// Normalises `raw` to NFC, unifies line endings and trims it, then checks its length in
/// characters and that it holds no control or invisible characters (line breaks only where `lines`
/// allows). Text of invisible characters alone counts as empty.
pub fn clean_text(raw: &str, min: usize, max: usize, lines: Lines) -> Result<String, Reason> {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = nfc(unified.trim());
    if !text.chars().any(is_visible) {
        return Err(Reason::Required);
    }
    let forbidden = |c: char| invisible(c) || (c.is_control() && !(lines == Lines::Multi && (c == '\n' || c == '\t')));
    if text.chars().any(forbidden) {
        return Err(Reason::ControlCharacters);
    }
    let length = text.chars().count();
    if length < min {
        return Err(Reason::TooShort { min });
    }
    if length > max {
        return Err(Reason::TooLong { max });
    }
    Ok(text)
}

/// Whether `c` shows as something on screen: not white space, and not one of the format
/// characters and fillers that render as nothing (zero-width spaces and joiners, direction
/// marks, the Hangul fillers, variation selectors, the byte-order mark, tag characters).
pub fn is_visible(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// A case's one-line title: 5 to 120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseTitle(String);

impl CaseTitle {
    pub const MIN: usize = 5;
    pub const MAX: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, Reason> {
        clean_text(raw, Self::MIN, Self::MAX, Lines::Single).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A case's description: 10 to 4,000 characters (the Open311 limit), line breaks allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description(String);

impl Description {
    pub const MIN: usize = 10;
    pub const MAX: usize = 4000;

    pub fn parse(raw: &str) -> Result<Self, Reason> {
        clean_text(raw, Self::MIN, Self::MAX, Lines::Multi).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn nfd_vietnamese_is_stored_as_nfc() {
        let nfd: String = "Đường Quang Trung bị ổ gà".nfd().collect();
        assert_ne!(nfd, "Đường Quang Trung bị ổ gà");
        let title = CaseTitle::parse(&nfd).expect("valid title");
        assert_eq!(title.as_str(), "Đường Quang Trung bị ổ gà");
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 120 Vietnamese letters are 240+ bytes but exactly at the limit.
        let at_limit = "ữ".repeat(CaseTitle::MAX);
        assert!(CaseTitle::parse(&at_limit).is_ok());
        let over = "ữ".repeat(CaseTitle::MAX + 1);
        assert_eq!(CaseTitle::parse(&over), Err(Reason::TooLong { max: CaseTitle::MAX }));
    }

    #[test]
    fn nfd_input_is_measured_after_normalisation() {
        // In NFD each "ữ" is three code points; after NFC it is one, so this fits.
        let nfd: String = "ữ".repeat(CaseTitle::MAX).nfd().collect();
        assert!(nfd.chars().count() > CaseTitle::MAX);
        assert!(CaseTitle::parse(&nfd).is_ok());
    }

    #[test]
    fn whitespace_is_trimmed_and_blank_is_required() {
        assert_eq!(CaseTitle::parse("   "), Err(Reason::Required));
        assert_eq!(CaseTitle::parse("  Ổ gà lớn  ").map(|t| t.0), Ok("Ổ gà lớn".to_string()));
    }

    #[test]
    fn too_short_is_refused() {
        assert_eq!(CaseTitle::parse("abcd"), Err(Reason::TooShort { min: 5 }));
        assert_eq!(Description::parse("ngắn"), Err(Reason::TooShort { min: 10 }));
    }

    #[test]
    fn text_without_a_visible_character_counts_as_empty() {
        let zero_width = "\u{200B}".repeat(8);
        assert_eq!(CaseTitle::parse(&zero_width), Err(Reason::Required));
        assert_eq!(CaseTitle::parse("\u{3164}\u{FEFF} \u{2060}\u{200D}\u{180E}"), Err(Reason::Required));
        assert_eq!(Description::parse(&"\u{00A0}\u{FE0F}".repeat(10)), Err(Reason::Required));
        assert!(CaseTitle::parse("Ổ gà\u{200D} lớn").is_ok(), "one visible letter is enough beside a joiner");
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(CaseTitle::parse("Ổ gà\u{0007} lớn"), Err(Reason::ControlCharacters));
        assert_eq!(CaseTitle::parse("Ổ gà\nlớn quá"), Err(Reason::ControlCharacters));
        assert_eq!(Description::parse("Dòng một\u{0000} dòng hai"), Err(Reason::ControlCharacters));
        assert_eq!(CaseTitle::parse("\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}"), Err(Reason::Required));
        assert_eq!(CaseTitle::parse("\u{FEFF} \u{2060}\u{200B}"), Err(Reason::Required));
        assert_eq!(CaseTitle::parse("Ổ gà \u{202E}lớn quá"), Err(Reason::ControlCharacters));
        assert_eq!(CaseTitle::parse("Ổ gà\u{200B}lớn quá"), Err(Reason::ControlCharacters));
        // The joiner inside an emoji sequence is ordinary text.
        assert!(CaseTitle::parse("Cháy 👩\u{200D}🚒 tới rồi").is_ok());
    }

    #[test]
    fn description_keeps_line_breaks_and_unifies_them() {
        let d = Description::parse("Dòng thứ nhất\r\nDòng thứ hai").expect("valid");
        assert_eq!(d.as_str(), "Dòng thứ nhất\nDòng thứ hai");
    }

    #[test]
    fn description_limit_is_four_thousand_characters() {
        assert!(Description::parse(&"a".repeat(4000)).is_ok());
        assert_eq!(Description::parse(&"a".repeat(4001)), Err(Reason::TooLong { max: 4000 }));
    }
}
