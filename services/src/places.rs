//! Places beyond the province's own areas: the geocoding service the map's search box also asks, when one is configured.

use async_trait::async_trait;

/// A place a geocoder found, and the box the map moves to.
#[derive(Debug, Clone, PartialEq)]
pub struct GeocodedPlace {
    pub name: String,
    /// (south, west, north, east).
    pub bounds: (f64, f64, f64, f64),
}

/// A service that finds places by name. It answers what it found, or nothing: the search box
/// works the same when the service is slow, down or answers nonsense, which it logs.
#[async_trait]
pub trait Geocoder: Send + Sync {
    async fn find(&self, query: &str, limit: usize) -> Vec<GeocodedPlace>;
}
