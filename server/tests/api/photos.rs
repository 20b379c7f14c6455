//! Photos over HTTP: uploads lose every byte of metadata and stand upright, refusals store nothing,
//! reports take their photos atomically, and the public sees them only once a case is accepted.

use crate::helpers::{spawn_app, valid_report, TestApp};
use app::cases::ChangeRequest;
use domain::case::{ActorRole, CaseStatus};
use domain::workflow::RejectReason;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use little_exif::exif_tag::ExifTag;
use little_exif::filetype::FileExtension;
use little_exif::metadata::Metadata;
use little_exif::rational::uR64;
use serde_json::{json, Value};
use services::store::Store;
use std::io::Cursor;

const RED: Rgb<u8> = Rgb([220, 20, 20]);
const BLUE: Rgb<u8> = Rgb([20, 20, 220]);

/// A landscape picture, blue with a red top-left corner, so a rotation shows where the corner went.
fn marked_picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| if x < width / 4 && y < height / 4 { RED } else { BLUE })
}

pub fn encode(image: RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image).write_to(&mut out, format).expect("encode the test picture");
    out.into_inner()
}

/// A phone's photo: a JPEG whose EXIF holds the GPS position, the camera, and orientation 6
/// (the camera was held upright: show it turned 90° clockwise).
fn phone_photo() -> Vec<u8> {
    let mut jpeg = encode(marked_picture(160, 80), ImageFormat::Jpeg);
    let mut metadata = Metadata::new();
    metadata.set_tag(ExifTag::Orientation(vec![6]));
    metadata.set_tag(ExifTag::Make("HanoiPhone".to_string()));
    metadata.set_tag(ExifTag::Model("HP-SecretModel-9".to_string()));
    metadata.set_tag(ExifTag::GPSLatitudeRef("N".to_string()));
    let degrees = |d, m, s| {
        vec![
            uR64 { nominator: d, denominator: 1 },
            uR64 { nominator: m, denominator: 1 },
            uR64 { nominator: s, denominator: 100 },
        ]
    };
    metadata.set_tag(ExifTag::GPSLatitude(degrees(17, 28, 812)));
    metadata.set_tag(ExifTag::GPSLongitudeRef("E".to_string()));
    metadata.set_tag(ExifTag::GPSLongitude(degrees(106, 37, 2011)));
    metadata.write_to_vec(&mut jpeg, FileExtension::JPEG).expect("write EXIF into the JPEG");
    jpeg
}

/// The markers of a JPEG's segments before its image data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], &[0xFF, 0xD8], "a JPEG starts with SOI");
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        let length = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        at += 2 + length;
    }
    markers
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every file under the app's media folder.
fn stored_blobs(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&app.media_dir, &mut found);
    found
}

fn blob(app: &TestApp, url: &str) -> Vec<u8> {
    let key = url.trim_start_matches("/media/").trim_end_matches(".jpg");
    std::fs::read(app.media_dir.join(&key[..2]).join(key)).expect("the blob is on disk")
}

impl TestApp {
    pub async fn upload(&self, name: &str, bytes: Vec<u8>, lang: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/photos", self.address))
            .query(&[("name", name)])
            .header("accept-language", lang)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn upload_ok(&self, name: &str, bytes: Vec<u8>) -> Value {
        let response = self.upload(name, bytes, "vi").await;
        assert_eq!(response.status().as_u16(), 201, "{name} is stored");
        response.json().await.expect("json")
    }
}

fn with_photos(key: &str, ids: &[&str]) -> Value {
    let mut report = valid_report(key);
    report["photos"] = json!(ids);
    report
}

#[tokio::test]
async fn a_phone_photo_is_stored_upright_without_any_exif_in_either_size() {
    let app = spawn_app().await;
    let original = phone_photo();
    assert!(contains(&original, b"Exif\0\0") && contains(&original, b"HP-SecretModel-9"), "the test photo has EXIF");
    let check = image::ImageReader::new(Cursor::new(&original)).with_guessed_format().expect("format");
    assert_eq!(check.into_dimensions().expect("dimensions"), (160, 80), "stored landscape, to be turned");

    let answer = app.upload_ok("IMG_2041.JPG", original).await;
    assert_eq!((answer["width"].as_u64(), answer["height"].as_u64()), (Some(80), Some(160)), "turned upright");

    for url in [answer["display_url"].as_str().expect("display"), answer["thumbnail_url"].as_str().expect("thumb")] {
        let stored = blob(&app, url);
        let markers = jpeg_markers(&stored);
        assert!(
            markers.iter().all(|m| !(0xE1..=0xEF).contains(m)),
            "{url}: no APP1–APP15 segment (EXIF, XMP, ICC, maker notes), got {markers:02X?}"
        );
        for secret in [&b"Exif"[..], b"HanoiPhone", b"HP-SecretModel-9"] {
            assert!(!contains(&stored, secret), "{url} still holds {:?}", String::from_utf8_lossy(secret));
        }
        let picture = image::load_from_memory(&stored).expect("decodes").to_rgb8();
        assert!(picture.height() > picture.width(), "{url} is portrait after the rotation");
        // Turned 90° clockwise, the red top-left corner lands at the top right.
        let (w, h) = (picture.width(), picture.height());
        let top_right = picture.get_pixel(w - 1 - w / 16, h / 16);
        let top_left = picture.get_pixel(w / 16, h / 16);
        assert!(top_right[0] > 150 && top_right[2] < 100, "{url}: red at the top right, got {top_right:?}");
        assert!(top_left[2] > 150 && top_left[0] < 100, "{url}: blue at the top left, got {top_left:?}");
    }
    let thumbnail = image::load_from_memory(&blob(&app, answer["thumbnail_url"].as_str().expect("thumb")))
        .expect("thumbnail decodes");
    assert!(thumbnail.width().max(thumbnail.height()) <= 320);
}

#[tokio::test]
async fn the_same_photo_uploaded_twice_is_stored_once() {
    let app = spawn_app().await;
    let png = encode(marked_picture(64, 48), ImageFormat::Png);
    let first = app.upload_ok("a.png", png.clone()).await;
    let second = app.upload_ok("a-again.png", png).await;
    assert_eq!(first["id"], second["id"]);
    assert_eq!(stored_blobs(&app).len(), 2, "one display size and one thumbnail");
}

/// A PNG whose header claims `width` × `height` pixels, with one tiny data chunk: what a
/// decompression bomb looks like before it is inflated.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[4..]);
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &header));
    png.extend(chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    png.extend(chunk(b"IEND", &[]));
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[tokio::test]
async fn every_refused_file_is_named_in_the_message_and_nothing_is_stored() {
    let app = spawn_app().await;
    let eleven_mb = {
        let mut bytes = encode(marked_picture(8, 8), ImageFormat::Jpeg);
        bytes.resize(11 * 1024 * 1024, 0);
        bytes
    };
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heicmiaf".to_vec();
    let refusals: Vec<(&str, Vec<u8>, u16, &str, &str)> = vec![
        ("photo.jpg", b"Xin chao, this is a text file pretending.".to_vec(), 415, "không phải ảnh", "not a readable"),
        ("to-qua.jpg", eleven_mb, 413, "10 MB", "10 MB"),
        // Above the server's cap on every other request body, and still named.
        ("video.jpg", vec![0xFF; 20 * 1024 * 1024], 413, "10 MB", "10 MB"),
        ("bom.png", png_claiming(10_000, 5_000), 422, "40 megapixel", "40 megapixels"),
        ("IMG_0001.HEIC", heic, 415, "không được hỗ trợ", "format not supported"),
    ];
    for (name, bytes, status, vietnamese, english) in refusals {
        for (lang, expected) in [("vi", vietnamese), ("en", english)] {
            let response = app.upload(name, bytes.clone(), lang).await;
            assert_eq!(response.status().as_u16(), status, "{name} is refused with {status}");
            let body: Value = response.json().await.expect("json");
            let error = &body["errors"][0];
            assert_eq!(error["field"], "photos");
            assert_eq!(error["file"], name);
            let message = error["message"].as_str().expect("message");
            assert!(message.starts_with(&format!("{name}: ")), "the message names the file: {message}");
            assert!(message.contains(expected), "{lang} message for {name}: {message}");
        }
    }
    assert_eq!(stored_blobs(&app), Vec::<std::path::PathBuf>::new(), "no blob stored for a refused file");
    let store = app.store().await;
    assert_eq!(store.sweep_unheld_photos(chrono::Utc::now()).await.expect("sweep"), Vec::<String>::new());
}

#[tokio::test]
async fn six_photos_or_an_unknown_one_refuse_the_whole_report() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for shade in 0..6u8 {
        let picture = RgbImage::from_pixel(40, 30, Rgb([shade * 40, 100, 50]));
        let answer = app.upload_ok(&format!("anh-{shade}.png"), encode(picture, ImageFormat::Png)).await;
        ids.push(answer["id"].as_str().expect("id").to_string());
    }
    let six: Vec<&str> = ids.iter().map(String::as_str).collect();
    let response = app.submit(&with_photos("key-photos-six1", &six)).await;
    assert_eq!(response.status().as_u16(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(crate::helpers::invalid_fields(&body), vec!["photos"]);
    assert!(body["details"][0]["message"].as_str().expect("message").contains('5'), "{body}");

    let unknown = "0".repeat(64);
    let response = app.submit(&with_photos("key-photos-unk1", &[six[0], &unknown])).await;
    assert_eq!(response.status().as_u16(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(crate::helpers::invalid_fields(&body), vec!["photos"]);
    assert_eq!(app.store().await.count_cases().await.expect("count"), 0, "no case half-exists");
}

#[tokio::test]
async fn a_retried_report_with_photos_is_one_case_holding_each_photo_once() {
    let app = spawn_app().await;
    let first = app.upload_ok("a.png", encode(marked_picture(64, 48), ImageFormat::Png)).await;
    let second = app.upload_ok("b.jpg", encode(marked_picture(48, 64), ImageFormat::Jpeg)).await;
    let ids = [first["id"].as_str().expect("id"), second["id"].as_str().expect("id")];
    let report = with_photos("key-photos-retry", &ids);
    let mut created = Vec::new();
    for _ in 0..2 {
        let response = app.submit(&report).await;
        assert_eq!(response.status().as_u16(), 200);
        let body: Value = response.json().await.expect("json");
        created.push((body["id"].as_i64().expect("id"), body["newly_created"].as_bool().expect("flag")));
    }
    assert_eq!(created[0].0, created[1].0);
    assert_eq!((created[0].1, created[1].1), (true, false));
    let photos = app.store().await.case_photos(created[0].0).await.expect("photos");
    let stored: Vec<&str> = photos.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(stored, ids.to_vec(), "each photo once, in the order chosen");
    assert!(photos.iter().all(|p| p.event_seq == 1), "the report's photos come with its first event");
    let swept = app.store().await.sweep_unheld_photos(chrono::Utc::now()).await.expect("sweep");
    assert!(swept.is_empty(), "photos a case holds are never swept: {swept:?}");
}

#[tokio::test]
async fn the_public_sees_photos_once_the_case_is_accepted_and_never_for_a_rejected_one() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.photos", ActorRole::Coordinator, None).await;
    let photo = app.upload_ok("a.png", encode(marked_picture(64, 48), ImageFormat::Png)).await;
    let id = photo["id"].as_str().expect("id");
    let display = photo["display_url"].as_str().expect("display").to_string();
    let thumbnail = photo["thumbnail_url"].as_str().expect("thumbnail").to_string();
    let accepted = app.submit_case_as(&with_photos("key-photos-pub1", &[id]), "").await;
    let rejected = app.submit_case_as(&with_photos("key-photos-pub2", &[id]), "").await;

    // Waiting for screening: nothing public (not even the case), staff see them, privately.
    app.assert_hidden_from_the_public(accepted).await;
    let officer = app.signed_in("xuly.photos", ActorRole::Officer, Some("urenco")).await;
    for url in [&display, &thumbnail] {
        assert_eq!(app.get(url).await.status().as_u16(), 404, "{url} is not public before screening");
        assert_eq!(app.get_as(url, &officer).await.status().as_u16(), 404, "nor shown to an officer before routing");
        let response = app.get_as(url, &coordinator).await;
        assert_eq!(response.status().as_u16(), 200, "staff see {url} at screening");
        assert_eq!(response.headers()["cache-control"], "private, no-store");
    }
    let staff = app.staff_case(&coordinator, accepted).await;
    assert_eq!(staff.photos.len(), 1, "the staff case view holds the photos at screening");

    let reject = ChangeRequest::Reject {
        reason: RejectReason::InsufficientInfo,
        duplicate_of: None,
        explanation: "Chưa đủ thông tin để xử lý.".into(),
    };
    app.change_ok(&coordinator, rejected, 1, &reject).await;
    assert!(app.public_case(rejected).await.photos.is_empty(), "a rejected case shows no photos");
    assert_eq!(app.get(&display).await.status().as_u16(), 404, "a rejected case does not publish its photo");

    let facts = app.change_ok(&coordinator, accepted, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    assert_eq!(facts.status, CaseStatus::Assigned);
    let public = app.public_case(accepted).await;
    assert_eq!(public.photos.len(), 1);
    assert_eq!(
        (public.photos[0].display_url.as_str(), public.photos[0].thumbnail_url.as_str()),
        (&*display, &*thumbnail)
    );
    for url in [&display, &thumbnail] {
        let response = app.get(url).await;
        assert_eq!(response.status().as_u16(), 200, "{url} is public once accepted");
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    }
    let open311: Value =
        app.get(&format!("/open311/v2/requests/{accepted}.json")).await.json().await.expect("open311 json");
    assert_eq!(open311[0]["media_url"], format!("http://127.0.0.1:3000{display}"), "Open311 links the photo");
    let page = app.get(&format!("/cases/{accepted}")).await.text().await.expect("html");
    assert!(page.contains(&thumbnail), "the case page shows the photo");
    assert!(!page.contains("a.png"), "the original file name is never shown");
}

#[tokio::test]
async fn the_reporter_sees_their_own_photos_before_screening_and_nobody_else_does() {
    let app = spawn_app().await;
    let photo = app.upload_ok("own.png", encode(marked_picture(64, 48), ImageFormat::Png)).await;
    let id = photo["id"].as_str().expect("id");
    let display = photo["display_url"].as_str().expect("display").to_string();
    let thumbnail = photo["thumbnail_url"].as_str().expect("thumbnail").to_string();

    // Anonymous: the receipt view lists the photo, at addresses carrying the receipt.
    let (case_id, receipt) = app.submit_anonymously(&with_photos("key-photos-own1", &[id])).await;
    let view = app.receipt_view(&receipt).await;
    let photos = view["photos"].as_array().expect("photos");
    assert_eq!(photos.len(), 1, "the reporter sees the photo they sent");
    let own_display = photos[0]["display_url"].as_str().expect("display").to_string();
    let own_thumbnail = photos[0]["thumbnail_url"].as_str().expect("thumbnail").to_string();
    assert_eq!(own_display, format!("{display}?receipt={receipt}"));
    assert_eq!(own_thumbnail, format!("{thumbnail}?receipt={receipt}"));
    for url in [&own_display, &own_thumbnail] {
        let response = app.get(url).await;
        assert_eq!(response.status().as_u16(), 200, "{url} opens with the receipt");
        assert_eq!(response.headers()["cache-control"], "private, no-store");
    }
    // Without the receipt, with another case's receipt, or with a malformed one: as if no photo.
    let (_, other_receipt) = app.submit_anonymously(&valid_report("key-photos-own2")).await;
    for url in [display.clone(), format!("{display}?receipt={other_receipt}"), format!("{display}?receipt=zz")] {
        assert_eq!(app.get(&url).await.status().as_u16(), 404, "{url} stays private");
    }
    app.assert_hidden_from_the_public(case_id).await;

    // Signed in: the reporter's own view and the photo itself, without any receipt.
    let citizen = app.signed_in("dan.photos", ActorRole::Citizen, None).await;
    let photo = app.upload_ok("own2.png", encode(marked_picture(48, 64), ImageFormat::Png)).await;
    let second = photo["display_url"].as_str().expect("display").to_string();
    let mine =
        app.submit_case_as(&with_photos("key-photos-own3", &[photo["id"].as_str().expect("id")]), &citizen).await;
    let view: Value = app.get_as(&format!("/api/case?id={mine}"), &citizen).await.json().await.expect("json");
    assert_eq!(view["photos"][0]["display_url"], second.as_str(), "a signed-in reporter's addresses need no receipt");
    assert_eq!(app.get_as(&second, &citizen).await.status().as_u16(), 200, "the reporter opens their photo");
    let neighbour = app.signed_in("hangxom.photos", ActorRole::Citizen, None).await;
    assert_eq!(app.get_as(&second, &neighbour).await.status().as_u16(), 404, "another citizen does not");
}

#[tokio::test]
async fn an_officers_result_carries_photos_that_show_with_the_result() {
    let app = spawn_app().await;
    let coordinator = app.signed_in("dieuphoi.result", ActorRole::Coordinator, None).await;
    let officer = app.signed_in("xuly.urenco", ActorRole::Officer, Some("urenco")).await;
    let id = app.submit_case_as(&valid_report("key-photos-res1"), "").await;
    let facts = app.change_ok(&coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
    let facts = app.change_ok(&officer, id, facts.version, &ChangeRequest::Acknowledge).await;
    let proof = app.upload_ok("da-don.jpg", encode(marked_picture(64, 48), ImageFormat::Jpeg)).await;
    let proof_id = proof["id"].as_str().expect("id").to_string();

    let six: Vec<String> = (0..6).map(|i| format!("{i}").repeat(64)).collect();
    let too_many = ChangeRequest::SubmitResult { summary: "Đã dọn sạch.".into(), photos: six };
    let response = app.change(&officer, id, facts.version, &too_many).await;
    assert_eq!(response.status().as_u16(), 422, "six photos refuse the result");
    let unknown = ChangeRequest::SubmitResult { summary: "Đã dọn sạch.".into(), photos: vec!["7".repeat(64)] };
    let response = app.change(&officer, id, facts.version, &unknown).await;
    assert_eq!(response.status().as_u16(), 422, "an unknown photo refuses the result");
    assert_eq!(app.store().await.case_status(id).await.expect("status"), Some(CaseStatus::InProgress));

    let result = ChangeRequest::SubmitResult { summary: "Đã dọn sạch.".into(), photos: vec![proof_id.clone()] };
    let facts = app.change_ok(&officer, id, facts.version, &result).await;
    assert_eq!(facts.status, CaseStatus::ResultReview);
    let result_seq = facts.version;
    let display = proof["display_url"].as_str().expect("display");
    assert!(app.public_case(id).await.photos.is_empty(), "a result under review is internal, its photos too");
    assert_eq!(app.get(display).await.status().as_u16(), 404);
    let staff = app.staff_case(&coordinator, id).await;
    assert_eq!(staff.photos.iter().map(|p| p.event_seq).collect::<Vec<_>>(), vec![result_seq], "staff review it");

    app.change_ok(&coordinator, id, facts.version, &ChangeRequest::ApproveResult { published: String::new() }).await;
    let photos = app.public_case(id).await.photos;
    assert_eq!(photos.len(), 1);
    assert_eq!((photos[0].id.as_str(), photos[0].event_seq), (proof_id.as_str(), result_seq));
    assert_eq!(app.get(display).await.status().as_u16(), 200, "public once the result is approved");
}

#[tokio::test]
async fn photos_no_report_took_are_deleted_with_their_blobs() {
    let app = spawn_app().await;
    let held = app.upload_ok("giu.png", encode(marked_picture(64, 48), ImageFormat::Png)).await;
    let abandoned = app.upload_ok("bo.png", encode(marked_picture(48, 64), ImageFormat::Png)).await;
    app.submit_case_as(&with_photos("key-photos-sweep", &[held["id"].as_str().expect("id")]), "").await;
    assert_eq!(stored_blobs(&app).len(), 4);

    let store = app.store().await;
    let blobs: hientruong::blobs::SharedBlobs =
        std::sync::Arc::new(hientruong::blobs::LocalBlobs::open(&app.media_dir).expect("media folder"));
    let swept = hientruong::photos::sweep_unheld(&store, &blobs, chrono::Duration::zero()).await.expect("sweep");
    assert_eq!(swept, 2, "the abandoned photo's two sizes");
    let left: Vec<String> =
        stored_blobs(&app).iter().filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
    for url in [&held["display_url"], &held["thumbnail_url"]] {
        let key = url.as_str().expect("url").trim_start_matches("/media/").trim_end_matches(".jpg");
        assert!(left.iter().any(|name| name == key), "the held photo stays");
    }
    let gone = abandoned["id"].as_str().expect("id");
    assert!(!left.iter().any(|name| name == gone), "the abandoned photo is deleted");
}
