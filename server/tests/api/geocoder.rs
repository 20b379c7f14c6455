//! The map search box and an outside geocoder: its places come after the province's own, and a slow, failing or garbled geocoder leaves the box working.

use crate::helpers::spawn_app_configured;
use axum::extract::Query;
use axum::routing::get;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A Nominatim stand-in on a free port answering `answer` (after `delay`) and keeping the queries asked.
async fn fake_geocoder(answer: &'static str, delay: Duration) -> (String, Arc<Mutex<Vec<HashMap<String, String>>>>) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let kept = asked.clone();
    let app = axum::Router::new().route(
        "/search",
        get(move |Query(query): Query<HashMap<String, String>>| {
            let kept = kept.clone();
            async move {
                if let Ok(mut kept) = kept.lock() {
                    kept.push(query);
                }
                tokio::time::sleep(delay).await;
                ([("content-type", "application/json")], answer)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (address, asked)
}

const PHONG_NHA: &str = r#"[{"place_id": 1, "display_name": "Phong Nha, Bố Trạch, Quảng Bình, Việt Nam",
    "lat": "17.6", "lon": "106.3", "boundingbox": ["17.5", "17.7", "106.2", "106.4"]},
    {"display_name": "a box upside down", "boundingbox": ["17.7", "17.5", "106.2", "106.4"]}]"#;

async fn places(address: &str, q: &str) -> Vec<Value> {
    let response =
        reqwest::Client::new().get(format!("{address}/api/search_map")).query(&[("q", q)]).send().await.expect("sent");
    assert_eq!(response.status().as_u16(), 200, "{q}");
    let body: Value = response.json().await.expect("json");
    body["places"].as_array().expect("places").clone()
}

#[tokio::test]
async fn the_geocoders_places_are_added_after_the_provinces_own() {
    let (geocoder, asked) = fake_geocoder(PHONG_NHA, Duration::ZERO).await;
    let app = spawn_app_configured(|settings| settings.geocoder_url = Some(geocoder)).await;
    let found = places(&app.address, "phong nha").await;
    assert_eq!(found.len(), 1, "the upside-down box is dropped: {found:?}");
    assert_eq!(found[0]["name"], "Phong Nha, Bố Trạch, Quảng Bình, Việt Nam");
    assert_eq!(found[0]["bounds"], serde_json::json!([17.5, 106.2, 17.7, 106.4]));
    let queries = asked.lock().map(|a| a.clone()).unwrap_or_default();
    assert_eq!(queries.len(), 1);
    assert_eq!(queries[0]["q"], "phong nha");
    assert_eq!(queries[0]["format"], "jsonv2");

    // A case number is not a place: the geocoder is not asked.
    places(&app.address, "#12").await;
    assert_eq!(asked.lock().map(|a| a.len()).unwrap_or_default(), 1);
}

#[tokio::test]
async fn a_slow_or_garbled_geocoder_leaves_the_search_box_working() {
    let (slow, _) = fake_geocoder(PHONG_NHA, Duration::from_secs(10)).await;
    let app = spawn_app_configured(|settings| settings.geocoder_url = Some(slow)).await;
    let started = Instant::now();
    assert!(places(&app.address, "phong nha").await.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered after the geocoder's timeout: {:?}",
        started.elapsed()
    );

    let (garbled, _) = fake_geocoder("<html>not json</html>", Duration::ZERO).await;
    let app = spawn_app_configured(|settings| settings.geocoder_url = Some(garbled)).await;
    assert!(places(&app.address, "phong nha").await.is_empty());
}
