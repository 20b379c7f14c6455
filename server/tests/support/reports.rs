//! The sample report the API tests, the crash test and the intake bench file: valid, inside the pilot area, with a contact.

use serde_json::{json, Value};

/// A report every rule accepts, inside the pilot area, with a contact.
pub fn valid_report(key: &str) -> Value {
    json!({
        "submission_key": key,
        "category": "environment",
        "title": "Rác thải đổ trộm ven sông",
        "description": "Một đống rác lớn bị đổ trộm bên bờ sông Nhật Lệ, bốc mùi hôi.",
        "lat": 17.4689,
        "lon": 106.6222,
        "reporter_name": "Trần Văn Bình",
        "reporter_phone": "0905 111 222",
        "reporter_email": "binh@example.vn"
    })
}
