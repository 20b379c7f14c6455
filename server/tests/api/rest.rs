//! The REST edge: every `/api/v1` and `/media` refusal is `{"errors": [...]}` at its status, in the caller's
//! language; Open311 keeps the specification's `{code, description}` list.

use crate::health::unreachable_app;
use crate::photos::encode;
use app::auth::SESSION_COOKIE;
use axum::body::Body;
use axum::http::Request;
use image::{ImageFormat, Rgb, RgbImage};
use serde_json::{json, Value};
use tower::ServiceExt;

const UNAVAILABLE_VI: &str = "Hệ thống tạm thời không phục vụ được; vui lòng thử lại sau.";
const UNAVAILABLE_EN: &str = "The service is temporarily unavailable; please try again later.";

/// Sends `request` to the app over a database that no longer answers: (status, JSON body).
async fn answer(request: Request<Body>) -> (u16, Value) {
    let response = unreachable_app().await.oneshot(request).await.expect("response");
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{status}: not JSON ({e})")))
}

fn get(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).expect("request")
}

fn small_png() -> Vec<u8> {
    encode(RgbImage::from_pixel(8, 8, Rgb([10, 120, 40])), ImageFormat::Png)
}

fn upload(name: &str, bytes: Vec<u8>, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::post(format!("/api/v1/photos?name={name}"))
        .header("content-type", "application/octet-stream")
        .header("origin", crate::health::SITE);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(bytes)).expect("request")
}

#[tokio::test]
async fn storage_failures_answer_503_in_one_shape_in_the_callers_language() {
    let session = format!("{SESSION_COOKIE}=abc");
    let english_cookie = format!("{SESSION_COOKIE}=abc; lang=en");
    let photo = format!("/media/{}.jpg", "a".repeat(64));
    let routes = [
        "/api/v1/stats?from=2023-01-01&to=2023-01-31",
        "/api/v1/cases.csv",
        "/api/v1/cases.geojson?status=closed",
        "/api/v1/clusters?bbox=106.5,17.4,106.7,17.5&zoom=12",
        photo.as_str(),
    ];
    for path in routes {
        for (headers, message) in [
            (vec![("cookie", session.as_str())], UNAVAILABLE_VI),
            (vec![("cookie", session.as_str()), ("accept-language", "en-US,en;q=0.9")], UNAVAILABLE_EN),
            (vec![("cookie", english_cookie.as_str()), ("accept-language", "vi")], UNAVAILABLE_EN),
        ] {
            let (status, body) = answer(get(path, &headers)).await;
            assert_eq!(status, 503, "{path} {headers:?}: {body}");
            assert_eq!(body, json!({"errors": [{"message": message}]}), "{path} {headers:?}");
        }
    }
    for (headers, message) in [(vec![], UNAVAILABLE_VI), (vec![("accept-language", "en")], UNAVAILABLE_EN)] {
        let (status, body) = answer(upload("anh.png", small_png(), &headers)).await;
        assert_eq!((status, body), (503, json!({"errors": [{"message": message}]})), "upload {headers:?}");
    }
}

#[tokio::test]
async fn refusals_name_their_subject_under_errors_and_nothing_else() {
    let cases: Vec<(Request<Body>, u16, &str, &str, &str)> = vec![
        (get("/api/v1/stats?from=2023-02-30&to=2023-06-30", &[]), 422, "field", "from", "Từ ngày"),
        (get("/api/v1/stats?to=2023-06-30", &[("accept-language", "en")]), 422, "field", "from", "From"),
        (get("/api/v1/clusters?bbox=106.5,17.4,106.7,17.5", &[]), 400, "parameter", "zoom", "zoom: thiếu"),
        (get("/api/v1/clusters?zoom=3", &[("accept-language", "en")]), 400, "parameter", "bbox", "bbox"),
        (
            upload("big.jpg", vec![0; 11 * 1024 * 1024], &[("accept-language", "en")]),
            413,
            "field",
            "photos",
            "big.jpg: ",
        ),
    ];
    for (request, expected_status, key, subject, message_start) in cases {
        let what = request.uri().to_string();
        let (status, body) = answer(request).await;
        assert_eq!(status, expected_status, "{what}: {body}");
        let object = body.as_object().expect("an object");
        assert_eq!(object.keys().collect::<Vec<_>>(), vec!["errors"], "{what}: {body}");
        let first = &body["errors"][0];
        assert_eq!(first[key], subject, "{what}: {body}");
        let message = first["message"].as_str().expect("a message");
        assert!(message.starts_with(message_start), "{what}: {message}");
    }
}

#[tokio::test]
async fn open311_keeps_its_error_list_and_speaks_english_unless_asked() {
    for (headers, description) in [
        (vec![], UNAVAILABLE_EN),
        (vec![("accept-language", "vi-VN,vi;q=0.9")], UNAVAILABLE_VI),
        (vec![("cookie", "lang=vi")], UNAVAILABLE_VI),
    ] {
        let (status, body) = answer(get("/open311/v2/services.json", &headers)).await;
        assert_eq!(status, 503, "{headers:?}: {body}");
        assert_eq!(body, json!([{"code": 503, "description": description}]), "{headers:?}");
    }
}
