//! Photos of reports and results: the limits, the accepted formats, photo ids, and the checks browser and server share.

use super::validation::{Field, Reason, ValidationError};
use serde::{Deserialize, Serialize};

/// Photos one report, or one result, may carry.
pub const MAX_PHOTOS_PER_ITEM: usize = 5;

/// The largest file accepted, in bytes (10 MB).
pub const MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;

/// The most pixels an image may have (40 megapixels), read from its header before any decoding,
/// so a small file that would inflate to gigabytes of pixels is refused cheaply.
pub const MAX_PHOTO_PIXELS: u64 = 40_000_000;

/// The longest side of the display size, in pixels.
pub const DISPLAY_LONG_SIDE: u32 = 1600;

/// The longest side of the thumbnail, in pixels.
pub const THUMBNAIL_LONG_SIDE: u32 = 320;

/// What a file input offers to pick. HEIC is left out on purpose: phones then convert their
/// HEIC photos to JPEG as they hand them to the browser.
pub const ACCEPT_ATTRIBUTE: &str = "image/jpeg,image/png,image/webp";

/// The formats recognised from a file's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoFormat {
    Jpeg,
    Png,
    Webp,
    /// Recognised but refused: no maintained pure-Rust decoder exists.
    Heic,
}

impl PhotoFormat {
    /// The format from the file's content (its magic bytes), never from its name.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(PhotoFormat::Jpeg);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(PhotoFormat::Png);
        }
        if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Some(PhotoFormat::Webp);
        }
        // ISO base media files name their brand at offset 8, after the size and "ftyp".
        if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            let brand = &bytes[8..12];
            if [b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"].iter().any(|b| brand == *b) {
                return Some(PhotoFormat::Heic);
            }
        }
        None
    }

    /// Whether the server can decode this format.
    pub fn supported(self) -> bool {
        !matches!(self, PhotoFormat::Heic)
    }
}

/// A stored photo's id: the SHA-256 of its display image, as 64 lowercase hex digits. Identical
/// uploads give the same id, so a retried upload stores nothing twice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhotoId(String);

impl PhotoId {
    pub fn parse(raw: &str) -> Result<Self, Reason> {
        let raw = raw.trim();
        if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(Self(raw.to_string()))
        } else {
            Err(Reason::UnknownPhoto)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhotoId {
    type Error = ValidationError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        PhotoId::parse(&raw).map_err(|reason| ValidationError::new(Field::Photos, reason))
    }
}

impl From<PhotoId> for String {
    fn from(id: PhotoId) -> Self {
        id.0
    }
}

/// The photo ids a report or result carries, in the order given, without repeats, at most
/// [`MAX_PHOTOS_PER_ITEM`].
pub fn parse_photo_ids(raw: &[String]) -> Result<Vec<PhotoId>, Reason> {
    // Checked before anything is read, so a list of any length costs the same to refuse. A
    // retried upload may repeat an id, never more often than this allows.
    if raw.len() > MAX_PHOTO_ENTRIES {
        return Err(Reason::TooManyPhotos { max: MAX_PHOTOS_PER_ITEM });
    }
    let mut ids: Vec<PhotoId> = Vec::with_capacity(MAX_PHOTOS_PER_ITEM);
    for value in raw {
        let id = PhotoId::parse(value)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    check_photo_count(ids.len())?;
    Ok(ids)
}

/// The most entries a photo list may hold, repeats included: twice the photos an item may carry.
pub const MAX_PHOTO_ENTRIES: usize = 2 * MAX_PHOTOS_PER_ITEM;

/// Refuses more than [`MAX_PHOTOS_PER_ITEM`] photos on one item.
pub fn check_photo_count(count: usize) -> Result<(), Reason> {
    if count > MAX_PHOTOS_PER_ITEM {
        Err(Reason::TooManyPhotos { max: MAX_PHOTOS_PER_ITEM })
    } else {
        Ok(())
    }
}

/// Refuses an empty file or one over [`MAX_PHOTO_BYTES`].
pub fn check_photo_size(bytes: u64) -> Result<(), Reason> {
    if bytes == 0 {
        Err(Reason::NotAnImage)
    } else if bytes > MAX_PHOTO_BYTES {
        Err(Reason::FileTooLarge { max_mb: (MAX_PHOTO_BYTES / (1024 * 1024)) as u32 })
    } else {
        Ok(())
    }
}

/// Refuses an image whose header claims more than [`MAX_PHOTO_PIXELS`].
pub fn check_photo_dimensions(width: u32, height: u32) -> Result<(), Reason> {
    if u64::from(width) * u64::from(height) > MAX_PHOTO_PIXELS {
        Err(Reason::TooManyPixels { max_megapixels: (MAX_PHOTO_PIXELS / 1_000_000) as u32 })
    } else if width == 0 || height == 0 {
        Err(Reason::NotAnImage)
    } else {
        Ok(())
    }
}

/// The file's format, refusing what is not an image or cannot be decoded here.
pub fn check_photo_format(bytes: &[u8]) -> Result<PhotoFormat, Reason> {
    match PhotoFormat::sniff(bytes) {
        Some(format) if format.supported() => Ok(format),
        Some(_) => Err(Reason::UnsupportedFormat),
        None => Err(Reason::NotAnImage),
    }
}

/// A file's name as it may be echoed in a message: one line, no control characters, at most
/// 80 characters. Never stored and never shown on public pages.
pub fn display_file_name(raw: &str) -> String {
    let cleaned: String = raw.chars().filter(|c| !c.is_control()).take(80).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "?".to_string()
    } else {
        cleaned.to_string()
    }
}

/// A stored photo as pages show it: URLs of its two sizes, never its original file name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePhoto {
    pub id: PhotoId,
    /// The event the photo came with: 1 for the report itself, later ones for results.
    pub event_seq: u32,
    pub display_url: String,
    pub thumbnail_url: String,
    pub width: u32,
    pub height: u32,
}

/// The path a stored blob is served at.
pub fn media_url(key: &str) -> String {
    format!("/media/{key}.jpg")
}

/// The size a photo is scaled to in the browser before upload: its longest side at most
/// [`DISPLAY_LONG_SIDE`], the largest the site ever shows, so a phone sends no more pixels than the
/// server would keep. Nothing when the photo is that small already (or has no pixels).
pub fn upload_size(width: u32, height: u32) -> Option<(u32, u32)> {
    let longest = width.max(height);
    if longest <= DISPLAY_LONG_SIDE || width == 0 || height == 0 {
        return None;
    }
    let scale =
        |side: u32| ((side as u64 * DISPLAY_LONG_SIDE as u64 + longest as u64 / 2) / longest as u64).max(1) as u32;
    Some((scale(width), scale(height)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_content() {
        assert_eq!(PhotoFormat::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(PhotoFormat::Jpeg));
        assert_eq!(PhotoFormat::sniff(b"\x89PNG\r\n\x1a\n...."), Some(PhotoFormat::Png));
        assert_eq!(PhotoFormat::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(PhotoFormat::Webp));
        assert_eq!(PhotoFormat::sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Some(PhotoFormat::Heic));
        assert_eq!(PhotoFormat::sniff(b"just some text, named photo.jpg"), None);
        assert_eq!(check_photo_format(b"\0\0\0\x18ftypheic\0\0\0\0"), Err(Reason::UnsupportedFormat));
        assert_eq!(check_photo_format(b"hello"), Err(Reason::NotAnImage));
    }

    #[test]
    fn photo_ids_are_sha256_hex() {
        let id = "a".repeat(64);
        assert_eq!(PhotoId::parse(&id).map(|p| p.as_str().to_string()), Ok(id));
        assert_eq!(PhotoId::parse("A".repeat(64).as_str()), Err(Reason::UnknownPhoto));
        assert_eq!(PhotoId::parse("../etc/passwd"), Err(Reason::UnknownPhoto));
        assert_eq!(PhotoId::parse(""), Err(Reason::UnknownPhoto));
    }

    #[test]
    fn at_most_five_distinct_photos_per_item() {
        let ids: Vec<String> = (0..5).map(|i| format!("{i}").repeat(64)).collect();
        assert_eq!(parse_photo_ids(&ids).map(|v| v.len()), Ok(5));
        let mut repeated = ids.clone();
        repeated.push(ids[0].clone());
        assert_eq!(parse_photo_ids(&repeated).map(|v| v.len()), Ok(5), "a repeat counts once");
        let six: Vec<String> = (0..6).map(|i| format!("{i}").repeat(64)).collect();
        assert_eq!(parse_photo_ids(&six), Err(Reason::TooManyPhotos { max: 5 }));
    }

    #[test]
    fn a_long_photo_list_is_refused_by_its_length_before_any_id_is_read() {
        let repeats = vec!["0".repeat(64); MAX_PHOTO_ENTRIES];
        assert_eq!(parse_photo_ids(&repeats).map(|v| v.len()), Ok(1));
        // Entries that are not even ids: refused for the count, so none of them was parsed.
        let flood = vec![String::from("not an id"); MAX_PHOTO_ENTRIES + 1];
        assert_eq!(parse_photo_ids(&flood), Err(Reason::TooManyPhotos { max: 5 }));
    }

    #[test]
    fn size_and_pixel_limits() {
        assert_eq!(check_photo_size(MAX_PHOTO_BYTES), Ok(()));
        assert_eq!(check_photo_size(MAX_PHOTO_BYTES + 1), Err(Reason::FileTooLarge { max_mb: 10 }));
        assert_eq!(check_photo_size(0), Err(Reason::NotAnImage));
        assert_eq!(check_photo_dimensions(8000, 5000), Ok(()));
        assert_eq!(check_photo_dimensions(10_000, 5_000), Err(Reason::TooManyPixels { max_megapixels: 40 }));
        assert_eq!(check_photo_dimensions(u32::MAX, u32::MAX), Err(Reason::TooManyPixels { max_megapixels: 40 }));
    }

    #[test]
    fn file_names_are_tamed_before_they_are_echoed() {
        assert_eq!(display_file_name("ảnh\n1.jpg"), "ảnh1.jpg");
        assert_eq!(display_file_name("  "), "?");
        assert_eq!(display_file_name(&"x".repeat(200)).chars().count(), 80);
    }

    #[test]
    fn large_photos_are_scaled_to_the_display_size_before_upload() {
        assert_eq!(upload_size(4000, 3000), Some((1600, 1200)));
        assert_eq!(upload_size(3000, 4000), Some((1200, 1600)));
        assert_eq!(upload_size(1601, 1), Some((1600, 1)));
        assert_eq!(upload_size(20000, 3), Some((1600, 1)), "a side never shrinks to nothing");
        assert_eq!(upload_size(1600, 900), None);
        assert_eq!(upload_size(0, 5000), None);
    }
}
