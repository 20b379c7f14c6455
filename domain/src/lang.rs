//! The languages the system speaks: Vietnamese by default, and English.

use serde::{Deserialize, Serialize};

/// A language of the UI. Vietnamese is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    /// Reads the language from a `Cookie` header value; Vietnamese when absent or unknown.
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .map(|(_, value)| if value.trim() == "en" { Lang::En } else { Lang::Vi })
            .unwrap_or_default()
    }

    /// The language a request asks for: its `lang` cookie when that names a language the site has,
    /// else the most preferred of Vietnamese and English in `Accept-Language`; nothing when it asked
    /// for neither. `cookies` are the values of its `Cookie` headers.
    pub fn requested<'a>(cookies: impl IntoIterator<Item = &'a str>, accept_language: Option<&str>) -> Option<Self> {
        cookies
            .into_iter()
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .and_then(|(_, value)| Self::known(value))
            .or_else(|| accept_language.and_then(Self::most_preferred))
    }

    /// `vi`, `en`, `en-US`, `EN_gb`… by their primary subtag; other languages are not offered.
    fn known(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("vi") {
            Some(Lang::Vi)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The known language an `Accept-Language` value weighs highest; the earlier one on a tie, as listed.
    fn most_preferred(value: &str) -> Option<Self> {
        let mut best: Option<(f32, Lang)> = None;
        for entry in value.split(',') {
            let mut parts = entry.split(';');
            let Some(lang) = Self::known(parts.next().unwrap_or_default()) else { continue };
            let weight = match parts.find_map(|part| part.trim().strip_prefix("q=")) {
                Some(q) => q.trim().parse::<f32>().unwrap_or(0.0),
                None => 1.0,
            };
            if weight > 0.0 && best.is_none_or(|(highest, _)| weight > highest) {
                best = Some((weight, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    pub fn pick(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}
