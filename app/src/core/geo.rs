//! Geography of the shared core: WGS84 coordinates, served areas as polygons, and which area holds a pin.

use super::validation::Reason;
use serde::{Deserialize, Serialize};

/// A finite WGS84 position: latitude in [-90, 90], longitude in [-180, 180].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    lat: f64,
    lon: f64,
}

impl Coordinates {
    /// Refuses NaN and infinities (`NotFinite`) and values outside WGS84 ranges (`OutOfRange`).
    pub fn parse(lat: f64, lon: f64) -> Result<Self, Reason> {
        if !lat.is_finite() || !lon.is_finite() {
            return Err(Reason::NotFinite);
        }
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(Reason::OutOfRange);
        }
        Ok(Self { lat, lon })
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }
}

/// A polygon as GeoJSON has it: the outer ring first, then holes; each ring is `[lon, lat]` pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polygon {
    pub rings: Vec<Vec<[f64; 2]>>,
}

impl Polygon {
    /// Even-odd rule over all rings, so a point inside a hole is outside the polygon.
    pub fn contains(&self, point: &Coordinates) -> bool {
        self.rings.iter().filter(|ring| ring_contains(ring, point.lon, point.lat)).count() % 2 == 1
    }
}

/// Ray casting towards +x; a ring need not repeat its first point at the end.
fn ring_contains(ring: &[[f64; 2]], x: f64, y: f64) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let [xi, yi] = ring[i];
        let [xj, yj] = ring[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// The shape of a served area: one or several polygons (GeoJSON Polygon or MultiPolygon).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaShape {
    pub polygons: Vec<Polygon>,
}

impl AreaShape {
    pub fn contains(&self, point: &Coordinates) -> bool {
        self.polygons.iter().any(|p| p.contains(point))
    }

    /// Reads a GeoJSON geometry (Polygon or MultiPolygon), a Feature holding one, or a
    /// FeatureCollection whose geometries are merged.
    pub fn from_geojson(value: &serde_json::Value) -> Result<Self, GeoJsonError> {
        let kind = value.get("type").and_then(|t| t.as_str()).ok_or(GeoJsonError::MissingType)?;
        match kind {
            "FeatureCollection" => {
                let features = value.get("features").and_then(|f| f.as_array()).ok_or(GeoJsonError::MissingFeatures)?;
                let mut polygons = Vec::new();
                for feature in features {
                    polygons.extend(Self::from_geojson(feature)?.polygons);
                }
                Ok(Self { polygons })
            }
            "Feature" => Self::from_geojson(value.get("geometry").ok_or(GeoJsonError::MissingGeometry)?),
            "Polygon" => Ok(Self { polygons: vec![polygon_from(coordinates_of(value)?)?] }),
            "MultiPolygon" => {
                let parts = coordinates_of(value)?.as_array().ok_or(GeoJsonError::BadCoordinates)?;
                let polygons = parts.iter().map(polygon_from).collect::<Result<Vec<_>, _>>()?;
                Ok(Self { polygons })
            }
            other => Err(GeoJsonError::UnsupportedType(other.to_string())),
        }
    }
}

fn coordinates_of(value: &serde_json::Value) -> Result<&serde_json::Value, GeoJsonError> {
    value.get("coordinates").ok_or(GeoJsonError::BadCoordinates)
}

fn polygon_from(value: &serde_json::Value) -> Result<Polygon, GeoJsonError> {
    let rings = value.as_array().ok_or(GeoJsonError::BadCoordinates)?;
    let rings = rings
        .iter()
        .map(|ring| {
            let points = ring.as_array().ok_or(GeoJsonError::BadCoordinates)?;
            let points = points
                .iter()
                .map(|p| {
                    let lon = p.get(0).and_then(|v| v.as_f64()).ok_or(GeoJsonError::BadCoordinates)?;
                    let lat = p.get(1).and_then(|v| v.as_f64()).ok_or(GeoJsonError::BadCoordinates)?;
                    Coordinates::parse(lat, lon).map_err(|_| GeoJsonError::OutOfRange { lat, lon })?;
                    Ok([lon, lat])
                })
                .collect::<Result<Vec<_>, GeoJsonError>>()?;
            if points.len() < 4 || points.first() != points.last() {
                return Err(GeoJsonError::UnclosedRing);
            }
            Ok(points)
        })
        .collect::<Result<Vec<_>, _>>()?;
    if rings.is_empty() {
        return Err(GeoJsonError::BadCoordinates);
    }
    Ok(Polygon { rings })
}

/// Why a GeoJSON area could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeoJsonError {
    #[error("the object has no \"type\"")]
    MissingType,
    #[error("the FeatureCollection has no \"features\" list")]
    MissingFeatures,
    #[error("the Feature has no \"geometry\"")]
    MissingGeometry,
    #[error("geometry type {0} is not a Polygon or MultiPolygon")]
    UnsupportedType(String),
    #[error("the coordinates are not a list of rings of [longitude, latitude] pairs")]
    BadCoordinates,
    #[error("a ring is not closed: it needs at least 4 positions and must end where it starts")]
    UnclosedRing,
    #[error("position ({lat}, {lon}) is outside WGS84 ranges")]
    OutOfRange { lat: f64, lon: f64 },
}

/// A served administrative area (địa bàn): the city in the pilot, districts later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub shape: AreaShape,
    pub active: bool,
}

/// The first active area that holds `point`, or `None` when the pin lies outside every served area.
pub fn locate<'a>(areas: &'a [Area], point: &Coordinates) -> Option<&'a Area> {
    areas.iter().find(|area| area.active && area.shape.contains(point))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn square_with_hole() -> AreaShape {
        let json = serde_json::json!({
            "type": "Polygon",
            "coordinates": [
                [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]],
                [[4.0, 4.0], [6.0, 4.0], [6.0, 6.0], [4.0, 6.0], [4.0, 4.0]]
            ]
        });
        AreaShape::from_geojson(&json).expect("valid polygon")
    }

    fn at(lat: f64, lon: f64) -> Coordinates {
        Coordinates::parse(lat, lon).expect("valid coordinates")
    }

    #[test]
    fn coordinates_reject_non_finite_and_out_of_range() {
        assert_eq!(Coordinates::parse(f64::NAN, 106.6), Err(Reason::NotFinite));
        assert_eq!(Coordinates::parse(17.4, f64::INFINITY), Err(Reason::NotFinite));
        assert_eq!(Coordinates::parse(90.1, 106.6), Err(Reason::OutOfRange));
        assert_eq!(Coordinates::parse(17.4, -180.5), Err(Reason::OutOfRange));
        assert!(Coordinates::parse(-90.0, 180.0).is_ok());
    }

    #[test]
    fn point_in_polygon_respects_holes() {
        let shape = square_with_hole();
        assert!(shape.contains(&at(2.0, 2.0)));
        assert!(!shape.contains(&at(5.0, 5.0)), "inside the hole");
        assert!(!shape.contains(&at(11.0, 5.0)));
        assert!(!shape.contains(&at(-0.5, 5.0)));
    }

    #[test]
    fn multipolygon_and_feature_collection_are_read() {
        let json = serde_json::json!({
            "type": "FeatureCollection",
            "features": [{
                "type": "Feature", "properties": {},
                "geometry": {"type": "MultiPolygon", "coordinates": [
                    [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]],
                    [[[5.0, 5.0], [6.0, 5.0], [6.0, 6.0], [5.0, 5.0]]]
                ]}
            }]
        });
        let shape = AreaShape::from_geojson(&json).expect("valid");
        assert_eq!(shape.polygons.len(), 2);
        assert!(shape.contains(&at(5.2, 5.8)));
    }

    #[test]
    fn unclosed_ring_and_bad_ranges_are_refused() {
        let open =
            serde_json::json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]]});
        assert_eq!(AreaShape::from_geojson(&open), Err(GeoJsonError::UnclosedRing));
        let far =
            serde_json::json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [200.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]});
        assert!(matches!(AreaShape::from_geojson(&far), Err(GeoJsonError::OutOfRange { .. })));
        let point = serde_json::json!({"type": "Point", "coordinates": [1.0, 1.0]});
        assert!(matches!(AreaShape::from_geojson(&point), Err(GeoJsonError::UnsupportedType(_))));
    }

    #[test]
    fn locate_skips_inactive_areas() {
        let mut area = Area { code: "a".into(), name: "A".into(), shape: square_with_hole(), active: false };
        assert!(locate(std::slice::from_ref(&area), &at(2.0, 2.0)).is_none());
        area.active = true;
        assert_eq!(locate(std::slice::from_ref(&area), &at(2.0, 2.0)).map(|a| a.code.as_str()), Some("a"));
    }

    proptest! {
        #[test]
        fn rectangle_containment_matches_bounds(lat in -1.0f64..11.0, lon in -1.0f64..11.0) {
            let json = serde_json::json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]]});
            let shape = AreaShape::from_geojson(&json).expect("valid");
            let strictly_inside = lat > 0.0 && lat < 10.0 && lon > 0.0 && lon < 10.0;
            let strictly_outside = !(0.0..=10.0).contains(&lat) || !(0.0..=10.0).contains(&lon);
            let inside = shape.contains(&at(lat, lon));
            if strictly_inside { prop_assert!(inside); }
            if strictly_outside { prop_assert!(!inside); }
        }
    }
}
