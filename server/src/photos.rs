//! Photos on the server: checking and re-encoding uploads, the upload endpoint, and serving stored sizes.

use crate::blobs::{is_content_key, BlobError, SharedBlobs};
use crate::rest::{ApiError, RequestLang};
use crate::startup::AppState;
use app::auth::account_for_cookies;
use app::i18n::UploadRefusal;
use axum::body::HttpBody as _;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::case::{reporter_photos, CaseAccess};
use domain::photos::{
    check_photo_dimensions, check_photo_format, check_photo_size, media_url, PhotoFormat, PhotoId, DISPLAY_LONG_SIDE,
    MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, THUMBNAIL_LONG_SIDE,
};
use domain::validation::Reason;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::Deserialize;
use serde_json::{json, Value};
use services::store::{Store, StoredPhoto};
use services::visibility::seen_case;
use services::ClientAddress;
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        // The body is read with the photo limit below, so the refusal can name the file.
        .route("/api/v1/photos", post(upload).layer(DefaultBodyLimit::disable()))
        .route("/media/{file}", get(serve))
}

/// JPEG quality of both stored sizes: photos of potholes and garbage, not of art.
const JPEG_QUALITY: u8 = 82;

/// An upload checked and re-encoded: two JPEGs made from pixels alone, so no EXIF, GPS position,
/// camera details or other metadata of the original survives.
#[derive(Debug, Clone)]
pub struct ProcessedPhoto {
    pub display: Vec<u8>,
    pub thumbnail: Vec<u8>,
    /// Of the display size, after the EXIF orientation was applied.
    pub width: u32,
    pub height: u32,
}

/// Checks an upload and makes its display size and thumbnail, the EXIF orientation applied.
/// CPU-bound: call it off the async runtime.
pub fn process(bytes: &[u8]) -> Result<ProcessedPhoto, Reason> {
    check_photo_size(bytes.len() as u64)?;
    let format = match check_photo_format(bytes)? {
        PhotoFormat::Jpeg => ImageFormat::Jpeg,
        PhotoFormat::Png => ImageFormat::Png,
        PhotoFormat::Webp => ImageFormat::WebP,
        PhotoFormat::Heic => return Err(Reason::UnsupportedFormat),
    };
    if let Some((width, height)) = png_header_dimensions(bytes) {
        // Before the decoder sees it at all: a decompression bomb is refused from 24 bytes.
        check_photo_dimensions(width, height)?;
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    // Room for the largest accepted image in RGBA and one working copy; nothing more.
    limits.max_alloc = Some(MAX_PHOTO_PIXELS * 4 * 2);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| Reason::NotAnImage)?;
    let (width, height) = decoder.dimensions();
    check_photo_dimensions(width, height)?;
    let orientation = decoder.orientation().map_err(|_| Reason::NotAnImage)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| Reason::NotAnImage)?;
    image.apply_orientation(orientation);
    let display = if image.width().max(image.height()) > DISPLAY_LONG_SIDE {
        image.resize(DISPLAY_LONG_SIDE, DISPLAY_LONG_SIDE, FilterType::Triangle)
    } else {
        image
    };
    let thumbnail = display.thumbnail(THUMBNAIL_LONG_SIDE, THUMBNAIL_LONG_SIDE);
    Ok(ProcessedPhoto {
        width: display.width(),
        height: display.height(),
        display: encode_jpeg(&display)?,
        thumbnail: encode_jpeg(&thumbnail)?,
    })
}

/// The width and height a PNG's IHDR chunk claims, read without decoding anything.
fn png_header_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    Some((width, height))
}

fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, Reason> {
    // JPEG has no transparency; the colour under transparent pixels shows instead.
    let rgb = image.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&rgb).map_err(|_| Reason::NotAnImage)?;
    Ok(out)
}

/// What uploads may hold: photos no report has taken yet, per client and in all, the disk room
/// they take, how many bodies are read at once, and how many photos are decoded at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// Photos one client has uploaded that no report holds yet.
    pub unattached_per_client: u64,
    /// Photos anyone has uploaded that no report holds yet.
    pub unattached_total: u64,
    /// Bytes in blob storage that photos no report holds yet may take.
    pub budget_bytes: u64,
    /// Upload bodies read at once in this process: at most 10 MB each, so this bounds their memory.
    pub readers: usize,
    /// Of those, how many one client may have: a report's photos go up together.
    pub readers_per_client: usize,
    /// Photos decoded at once in this process; each holds up to a few hundred MB of pixels. A
    /// client's photos are decoded one at a time, so one client never holds them all.
    pub decoders: usize,
    /// How long an upload waits for a place to be read in before it is told to come back.
    pub decoder_wait: std::time::Duration,
    /// How long the body of an upload may take to arrive once it has its place.
    pub body_time: std::time::Duration,
}

impl Default for UploadLimits {
    /// A citizen's form holds five photos, so fifty waiting from one address leave room for a
    /// hotline office behind one; the sweep forgets untaken photos after a day.
    fn default() -> Self {
        Self {
            unattached_per_client: 50,
            unattached_total: 5_000,
            budget_bytes: 2048 * 1024 * 1024,
            readers: 16,
            readers_per_client: domain::photos::MAX_PHOTOS_PER_ITEM,
            decoders: 2,
            decoder_wait: std::time::Duration::from_secs(10),
            // A 10 MB photo over a slow mobile link.
            body_time: std::time::Duration::from_secs(120),
        }
    }
}

/// The server's side of uploads: their limits, the places to read bodies in and the decoders,
/// and each client's lines for both.
pub struct UploadGate {
    limits: UploadLimits,
    readers: tokio::sync::Semaphore,
    decoders: tokio::sync::Semaphore,
    /// Per client address: its bodies being read, and its photo being decoded.
    lines: std::sync::Mutex<HashMap<String, ClientLines>>,
}

/// One client's places: [`UploadLimits::readers_per_client`] to be read, one to be decoded.
#[derive(Clone)]
struct ClientLines {
    reading: Arc<tokio::sync::Semaphore>,
    decoding: Arc<tokio::sync::Semaphore>,
}

impl UploadGate {
    pub fn new(limits: UploadLimits) -> Self {
        Self {
            readers: tokio::sync::Semaphore::new(limits.readers.max(1)),
            decoders: tokio::sync::Semaphore::new(limits.decoders.max(1)),
            limits,
            lines: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// `client`'s lines. Lines no upload holds or waits in are dropped on the way, so the table
    /// holds only the clients with an upload under way.
    fn lines_of(&self, client: &str) -> ClientLines {
        let mut lines = self.lines.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        lines.retain(|_, line| Arc::strong_count(&line.reading) > 1 || Arc::strong_count(&line.decoding) > 1);
        let per_client = self.limits.readers_per_client.max(1);
        lines
            .entry(client.to_string())
            .or_insert_with(|| ClientLines {
                reading: Arc::new(tokio::sync::Semaphore::new(per_client)),
                decoding: Arc::new(tokio::sync::Semaphore::new(1)),
            })
            .clone()
    }
}

/// Why an upload was not stored.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("refused: {0:?}")]
    Refused(Reason),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error(transparent)]
    Store(#[from] services::store::StoreError),
    #[error("processing the photo stopped: {0}")]
    Worker(String),
}

/// Checks, re-encodes and stores an upload by `client`, answering the stored photo. The original
/// bytes are dropped here and never written anywhere. CPU- and memory-heavy: the caller holds a
/// decoder permit.
#[tracing::instrument(skip_all, fields(bytes = bytes.len()))]
pub async fn store_upload(
    store: &dyn Store,
    blobs: &SharedBlobs,
    bytes: Vec<u8>,
    client: Option<String>,
) -> Result<StoredPhoto, UploadError> {
    let processed = tokio::task::spawn_blocking(move || process(&bytes))
        .await
        .map_err(|e| UploadError::Worker(e.to_string()))?
        .map_err(UploadError::Refused)?;
    let stored_bytes = (processed.display.len() + processed.thumbnail.len()) as u64;
    // Blobs first, then the record: a recorded photo always has both sizes behind it.
    let display_key = blobs.put(processed.display).await?;
    let thumbnail_key = blobs.put(processed.thumbnail).await?;
    let id = PhotoId::parse(&display_key).map_err(UploadError::Refused)?;
    let photo = StoredPhoto {
        id,
        thumbnail_key,
        width: processed.width,
        height: processed.height,
        uploaded_at: chrono::Utc::now(),
        uploaded_by: client,
        stored_bytes,
    };
    store.save_photo(&photo).await?;
    tracing::info!(photo = photo.id.as_str(), "photo stored");
    Ok(photo)
}

#[derive(Debug, Deserialize)]
struct UploadParams {
    /// The file's name on the sender's device, only to name it in a refusal.
    #[serde(default)]
    name: String,
}

/// `POST /api/v1/photos?name=FILE`, the body being the file's bytes: stores the photo for a
/// report or result still to be submitted, and answers its id and URLs. The same file twice
/// gives the same id. Quotas and a decoder are settled before a byte of the body is read, so
/// uploads waiting in line hold no memory.
async fn upload(
    State(state): State<AppState>,
    lang: RequestLang,
    Query(params): Query<UploadParams>,
    request: Request,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let lang = lang.lang();
    let refused = |reason| ApiError::photo(lang, &params.name, reason);
    let turned_away = |refusal| ApiError::upload_refused(lang, &params.name, refusal);
    let unavailable = |what: &str, error: &dyn std::fmt::Display| {
        tracing::error!(%error, "{what} failed");
        ApiError::unavailable(lang)
    };
    let too_large = Reason::FileTooLarge { max_mb: (MAX_PHOTO_BYTES / (1024 * 1024)) as u32 };
    // At least what `Content-Length` declares, or a body already in memory holds.
    if request.body().size_hint().lower() > MAX_PHOTO_BYTES {
        return Err(refused(too_large));
    }
    let gate = &state.uploads;
    // Requests that came through no socket (in-process calls) count as one client.
    let client = request
        .extensions()
        .get::<ClientAddress>()
        .map_or_else(|| "local".to_string(), |ClientAddress(address)| address.to_string());
    let store = state.context.store.as_ref();
    // Counted before the upload, so concurrent uploads may pass a quota by the few decoders' worth.
    let waiting = store.unattached_photos(&client).await.map_err(|e| unavailable("counting waiting photos", &e))?;
    let limits = gate.limits;
    if waiting.by_client >= limits.unattached_per_client {
        tracing::warn!(%client, "upload quota reached");
        return Err(turned_away(UploadRefusal::ClientQuota));
    }
    if waiting.total >= limits.unattached_total {
        tracing::warn!(total = waiting.total, "site-wide upload quota reached");
        return Err(turned_away(UploadRefusal::SiteQuota));
    }
    if waiting.stored_bytes >= limits.budget_bytes {
        tracing::warn!(bytes = waiting.stored_bytes, "upload disk budget reached");
        return Err(turned_away(UploadRefusal::DiskBudget));
    }
    let busy = UploadRefusal::Busy { retry_after_seconds: limits.decoder_wait.as_secs().max(1) };
    // A place to be read in, within the client's share, before any of the body is read, so
    // uploads waiting hold no memory; both within one bounded wait.
    let lines = gate.lines_of(&client);
    let give_up_at = tokio::time::Instant::now() + limits.decoder_wait;
    let _client_reading = match tokio::time::timeout_at(give_up_at, lines.reading.clone().acquire_owned()).await {
        Ok(Ok(place)) => place,
        Ok(Err(error)) => return Err(unavailable("waiting for this client's place to upload", &error)),
        Err(_) => return Err(turned_away(busy)),
    };
    let _reading = match tokio::time::timeout_at(give_up_at, gate.readers.acquire()).await {
        Ok(Ok(place)) => place,
        Ok(Err(error)) => return Err(unavailable("waiting for a place to upload", &error)),
        Err(_) => return Err(turned_away(busy)),
    };
    let body = request.into_body();
    let bytes =
        match tokio::time::timeout(limits.body_time, axum::body::to_bytes(body, MAX_PHOTO_BYTES as usize + 1)).await {
            Err(_) => return Err(turned_away(UploadRefusal::TooSlow)),
            Ok(Ok(bytes)) if bytes.len() as u64 <= MAX_PHOTO_BYTES => bytes.to_vec(),
            Ok(_) => return Err(refused(too_large)),
        };
    // Decoded one at a time per client, then by the shared decoders: one client sending many
    // large photos takes one decoder and everyone else shares the rest. Waited for without a
    // deadline, since the places to be read in, held meanwhile, bound how many wait.
    let _client_decoding = match lines.decoding.clone().acquire_owned().await {
        Ok(turn) => turn,
        Err(error) => return Err(unavailable("waiting for this client's turn to decode", &error)),
    };
    let _decoder = match gate.decoders.acquire().await {
        Ok(decoder) => decoder,
        Err(error) => return Err(unavailable("waiting for a photo decoder", &error)),
    };
    let photo = match store_upload(store, &state.blobs, bytes, Some(client)).await {
        Ok(photo) => photo,
        Err(UploadError::Refused(reason)) => return Err(refused(reason)),
        Err(error) => return Err(unavailable("storing a photo", &error)),
    };
    let answer = json!({
        "id": photo.id.as_str(),
        "display_url": media_url(photo.id.as_str()),
        "thumbnail_url": media_url(&photo.thumbnail_key),
        "width": photo.width,
        "height": photo.height,
    });
    Ok((StatusCode::CREATED, Json(answer)))
}

/// `GET /media/{key}.jpg`: a stored size. Photos of accepted cases are public and cached for a
/// year (a key never changes content); the others are shown to staff only, never cached by proxies.
async fn serve(
    State(state): State<AppState>,
    lang: RequestLang,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(query): Query<MediaQuery>,
) -> Result<Response, ApiError> {
    let lang = lang.lang();
    let not_found = || ApiError::not_found(lang);
    let unavailable = |what: &str, error: &dyn std::fmt::Display| {
        tracing::error!(%error, "{what} failed");
        ApiError::unavailable(lang)
    };
    let key = file.strip_suffix(".jpg").filter(|key| is_content_key(key)).ok_or_else(not_found)?;
    let store = state.context.store.as_ref();
    let (public, cases) = match public_photo(store, key).await {
        Ok(Some(found)) => found,
        Ok(None) => return Err(not_found()),
        Err(error) => return Err(unavailable("looking up a photo", &error)),
    };
    if !public {
        let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let account =
            account_for_cookies(&state.context, cookies).await.map_err(|e| unavailable("reading the session", &e))?;
        // Staff see the photos of the cases they may open as staff, and a reporter (signed in, or
        // holding the receipt link) the photos their own view shows, by the one visibility rule.
        // Not "forbidden" otherwise: whether an unscreened report has photos is not the public's to learn.
        let receipt_hash = query.receipt.as_deref().filter(|token| is_receipt_token(token)).map(app::auth::token_hash);
        let url = media_url(key);
        let mut allowed = false;
        for id in cases {
            let seen = seen_case(store, id, account.as_ref(), receipt_hash.as_deref())
                .await
                .map_err(|e| unavailable("reading a case", &e))?;
            allowed = match seen {
                Some(seen) if seen.access == CaseAccess::Staff => true,
                Some(seen) if seen.access == CaseAccess::Reporter => {
                    let photos = store.case_photos(id).await.map_err(|e| unavailable("reading a case's photos", &e))?;
                    reporter_photos(seen.facts.status, &seen.events, photos)
                        .iter()
                        .any(|photo| photo.display_url == url || photo.thumbnail_url == url)
                }
                _ => false,
            };
            if allowed {
                break;
            }
        }
        if !allowed {
            return Err(not_found());
        }
    }
    let bytes = match state.blobs.get(key).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            tracing::error!(key, "a recorded photo has no blob");
            return Err(not_found());
        }
        Err(error) => return Err(unavailable("reading a photo", &error)),
    };
    let cache = if public { "public, max-age=31536000, immutable" } else { "private, no-store" };
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}

/// The query a private photo's address may carry: the reporter's receipt token.
#[derive(Debug, Deserialize)]
struct MediaQuery {
    receipt: Option<String>,
}

/// Receipt tokens are 64 hex digits; anything else names no case and is not worth a lookup.
fn is_receipt_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether the blob `key` shows on a public case page (the public pages decide, so no second rule
/// can drift from theirs), with the cases using it. `None` when no photo uses the key.
async fn public_photo(store: &dyn Store, key: &str) -> Result<Option<(bool, Vec<i64>)>, services::store::StoreError> {
    let Some(cases) = store.photo_cases(key).await? else { return Ok(None) };
    let url = media_url(key);
    let shown = store
        .public_cases(&cases)
        .await?
        .iter()
        .any(|case| case.photos.iter().any(|photo| photo.display_url == url || photo.thumbnail_url == url));
    Ok(Some((shown, cases)))
}

/// Forgets photos uploaded at least `age` ago that no report or result took, and deletes their
/// blobs: what a form abandoned after uploading leaves behind.
pub async fn sweep_unheld(store: &dyn Store, blobs: &SharedBlobs, age: chrono::Duration) -> anyhow::Result<usize> {
    let keys = store.sweep_unheld_photos(chrono::Utc::now() - age).await?;
    for key in &keys {
        blobs.delete(key).await?;
    }
    Ok(keys.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(image).write_to(&mut out, ImageFormat::Png).expect("encode");
        out.into_inner()
    }

    #[test]
    fn a_large_png_is_shrunk_to_both_sizes_as_jpeg() {
        let processed = process(&png(2000, 1000)).expect("processed");
        assert_eq!((processed.width, processed.height), (1600, 800));
        assert_eq!(PhotoFormat::sniff(&processed.display), Some(PhotoFormat::Jpeg));
        let thumbnail = image::load_from_memory(&processed.thumbnail).expect("thumbnail decodes");
        assert_eq!((thumbnail.width(), thumbnail.height()), (320, 160));
    }

    #[test]
    fn a_small_photo_keeps_its_size() {
        let processed = process(&png(40, 30)).expect("processed");
        assert_eq!((processed.width, processed.height), (40, 30));
    }

    #[test]
    fn refusals() {
        assert_eq!(process(b"not an image at all").err(), Some(Reason::NotAnImage));
        assert_eq!(process(b"\0\0\0\x18ftypheic\0\0\0\0more").err(), Some(Reason::UnsupportedFormat));
        let mut truncated = png(10, 10);
        truncated.truncate(40);
        assert_eq!(process(&truncated).err(), Some(Reason::NotAnImage));
    }
}
