//! The map search box's outside geocoder: a Nominatim-compatible service asked for places by name, with a short timeout and a bounded answer.

use async_trait::async_trait;
use serde::Deserialize;
use services::places::{GeocodedPlace, Geocoder};
use std::time::Duration;

/// How long the search box waits for the service before answering with the province's own places.
const TIMEOUT: Duration = Duration::from_secs(2);
/// The most of an answer read: a few places' JSON, far below this.
const MOST_BYTES: usize = 256 * 1024;
/// The longest place name shown.
const LONGEST_NAME: usize = 200;

/// A Nominatim-compatible service at `base` (its `/search` answers `format=jsonv2`), over plain HTTP.
pub struct Nominatim {
    client: reqwest::Client,
    base: String,
}

impl Nominatim {
    pub fn new(base: &str) -> anyhow::Result<Self> {
        let base = base.trim().trim_end_matches('/');
        // Plain HTTP, as the province's own geocoder speaks it on its network; an outside service
        // is reached through a proxy there, which also keeps the province's queries in one place.
        if !base.starts_with("http://") {
            anyhow::bail!("HIENTRUONG_GEOCODER_URL must be an http:// address on the province's network");
        }
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // Nominatim's usage policy asks every client to name itself.
            .user_agent(concat!("hientruong/", env!("CARGO_PKG_VERSION"), " (field reports of a province)"))
            .build()?;
        Ok(Self { client, base: base.to_string() })
    }

    async fn ask(&self, query: &str, limit: usize) -> Result<Vec<GeocodedPlace>, String> {
        let limit = limit.to_string();
        let mut response = self
            .client
            .get(format!("{}/search", self.base))
            .query(&[("q", query), ("format", "jsonv2"), ("limit", limit.as_str()), ("accept-language", "vi")])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("answered {}", response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
            if body.len() + chunk.len() > MOST_BYTES {
                return Err(format!("answered more than {MOST_BYTES} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        let found: Vec<NominatimPlace> = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        Ok(found.into_iter().filter_map(NominatimPlace::into_place).collect())
    }
}

/// One place as Nominatim answers it; `boundingbox` is [south, north, west, east], as strings.
#[derive(Deserialize)]
struct NominatimPlace {
    display_name: String,
    boundingbox: [String; 4],
}

impl NominatimPlace {
    fn into_place(self) -> Option<GeocodedPlace> {
        let [south, north, west, east] = self.boundingbox.map(|n| n.trim().parse::<f64>().ok());
        let (south, north, west, east) = (south?, north?, west?, east?);
        let inside = (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north)
            && (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && south <= north
            && west <= east;
        let name: String = self.display_name.chars().filter(|c| !c.is_control()).take(LONGEST_NAME).collect();
        (inside && !name.trim().is_empty()).then_some(GeocodedPlace { name, bounds: (south, west, north, east) })
    }
}

#[async_trait]
impl Geocoder for Nominatim {
    async fn find(&self, query: &str, limit: usize) -> Vec<GeocodedPlace> {
        match self.ask(query, limit).await {
            Ok(mut places) => {
                places.truncate(limit);
                places
            }
            Err(error) => {
                tracing::warn!(%error, "the geocoder did not answer; only the province's own places are shown");
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(name: &str, bounds: [&str; 4]) -> NominatimPlace {
        NominatimPlace { display_name: name.into(), boundingbox: bounds.map(String::from) }
    }

    #[test]
    fn a_place_keeps_its_box_in_map_order_and_bad_boxes_are_dropped() {
        let found = place("Phong Nha, Bố Trạch", ["17.5", "17.7", "106.2", "106.4"]).into_place();
        assert_eq!(
            found,
            Some(GeocodedPlace { name: "Phong Nha, Bố Trạch".into(), bounds: (17.5, 106.2, 17.7, 106.4) })
        );
        assert_eq!(place("x", ["17.7", "17.5", "106.2", "106.4"]).into_place(), None, "south above north");
        assert_eq!(place("x", ["91", "92", "106.2", "106.4"]).into_place(), None);
        assert_eq!(place("x", ["a", "17.5", "106.2", "106.4"]).into_place(), None);
        assert_eq!(place(" ", ["17.5", "17.7", "106.2", "106.4"]).into_place(), None);
    }

    #[test]
    fn only_web_addresses_are_taken() {
        assert!(Nominatim::new("http://nominatim.tinh.local:8080/").is_ok());
        assert!(Nominatim::new("nominatim.example.vn").is_err());
        assert!(Nominatim::new("https://nominatim.example.vn").is_err(), "through the province's proxy instead");
    }
}
