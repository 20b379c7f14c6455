//! The body encoding of every state-changing server function: JSON, whose refusal names the field
//! that could not be read.

use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// JSON like Leptos' own, but a body that cannot be read says where: the path of the field (`lat`,
/// `request.agency`) and what was wrong with it, for the server to answer in the caller's language.
pub struct FieldJsonEncoding;

/// Arguments as JSON in the body of a `POST` request.
pub type FieldJson = leptos::server_fn::codec::Post<FieldJsonEncoding>;

impl ContentType for FieldJsonEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for FieldJsonEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for FieldJsonEncoding {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for FieldJsonEncoding {
    type Error = Unreadable;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| Unreadable::of(&error))?;
        // Anything after the value is as unreadable as a broken value.
        deserializer.end().map_err(|_| Unreadable { field: "body".into(), problem: Problem::Syntax })?;
        Ok(value)
    }
}

/// JSON for the server functions' answers and errors, the same bytes as Leptos' own, read from text.
/// The browser also reads the page's serialized resources from text (Leptos' JSON codec); answers
/// read the same way need one instance of each type's deserializer in the WebAssembly, not two
/// (one per serde_json reader).
pub struct JsonTextEncoding;

/// Answers as JSON, read from text.
pub type JsonText = leptos::server_fn::codec::Post<JsonTextEncoding>;

impl ContentType for JsonTextEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonTextEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde::de::Error::custom)?;
        serde_json::from_str(text)
    }
}

/// What made a body unreadable, as it travels through Leptos' error text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The field's path, without the wrapping argument; `body` when the JSON itself is broken.
    pub field: String,
    pub problem: Problem,
}

/// The kinds of unreadable body a caller can be told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON at all, or cut short.
    Syntax,
    /// A value of the wrong type or out of the type's range.
    WrongType,
    /// A field the request needs is absent.
    Missing,
    /// A choice the field does not offer.
    UnknownChoice,
}

/// Separates the field from the problem in the text Leptos carries; it never occurs in a field name.
const SEPARATOR: char = '\u{1f}';

/// The names server functions give their single argument; a field is named without them.
const WRAPPERS: [&str; 2] = ["input", "request"];

impl Unreadable {
    fn of(error: &serde_path_to_error::Error<serde_json::Error>) -> Self {
        let inner = error.inner();
        let mut path: Vec<String> = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } | serde_path_to_error::Segment::Enum { variant: key } => {
                    Some(key.clone())
                }
                serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        let text = inner.to_string();
        let problem = match inner.classify() {
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => Problem::Syntax,
            serde_json::error::Category::Data if text.starts_with("missing field") => {
                if let Some(name) = text.split('`').nth(1) {
                    path.push(name.to_string());
                }
                Problem::Missing
            }
            serde_json::error::Category::Data if text.starts_with("unknown variant") => Problem::UnknownChoice,
            serde_json::error::Category::Data => Problem::WrongType,
        };
        if path.len() > 1 && WRAPPERS.contains(&path[0].as_str()) {
            path.remove(0);
        }
        let field = if path.is_empty() || problem == Problem::Syntax { "body".to_string() } else { path.join(".") };
        Self { field, problem }
    }

    /// Reads back what [`Display`](std::fmt::Display) wrote.
    pub fn parse(text: &str) -> Option<Self> {
        let (field, problem) = text.split_once(SEPARATOR)?;
        let problem = match problem {
            "syntax" => Problem::Syntax,
            "wrong_type" => Problem::WrongType,
            "missing" => Problem::Missing,
            "unknown_choice" => Problem::UnknownChoice,
            _ => return None,
        };
        Some(Self { field: field.to_string(), problem })
    }
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let problem = match self.problem {
            Problem::Syntax => "syntax",
            Problem::WrongType => "wrong_type",
            Problem::Missing => "missing",
            Problem::UnknownChoice => "unknown_choice",
        };
        write!(f, "{}{SEPARATOR}{problem}", self.field)
    }
}

impl std::error::Error for Unreadable {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Args {
        input: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        title: String,
        lat: f64,
        kind: Kind,
        photos: Vec<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Road,
    }

    fn refusal(body: &str) -> Unreadable {
        let error = <FieldJsonEncoding as Decodes<Args>>::decode(Bytes::from(body.to_string())).expect_err("refused");
        assert_eq!(Unreadable::parse(&error.to_string()), Some(error.clone()), "the text reads back");
        error
    }

    #[test]
    fn a_refusal_names_the_field_without_the_wrapping_argument() {
        let unreadable = |field: &str, problem| Unreadable { field: field.into(), problem };
        let good = r#""title":"t","kind":"road","photos":[]"#;
        assert_eq!(refusal(&format!(r#"{{"input":{{{good},"lat":"north"}}}}"#)), unreadable("lat", Problem::WrongType));
        assert_eq!(refusal(r#"{"input":{"title":"t","lat":1,"kind":"road"}}"#), unreadable("photos", Problem::Missing));
        assert_eq!(
            refusal(r#"{"input":{"title":"t","lat":1,"kind":"sky","photos":[]}}"#),
            unreadable("kind", Problem::UnknownChoice)
        );
        assert_eq!(
            refusal(r#"{"input":{"title":"t","lat":1,"kind":"road","photos":["a",7]}}"#),
            unreadable("photos.1", Problem::WrongType)
        );
        assert_eq!(refusal("{not json"), unreadable("body", Problem::Syntax));
        assert_eq!(refusal(r#"{"input":{"title":"#), unreadable("body", Problem::Syntax));
        assert_eq!(refusal("[]"), unreadable("body", Problem::WrongType));
        assert_eq!(refusal(&format!(r#"{{"input":{{{good},"lat":1}}}} x"#)), unreadable("body", Problem::Syntax));
        assert_eq!(refusal("{}"), unreadable("input", Problem::Missing));
    }
}
