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

    /// The smallest box holding the shape, as (south, west, north, east); `None` for no points.
    pub fn bounds(&self) -> Option<(f64, f64, f64, f64)> {
        let mut points = self.polygons.iter().flat_map(|p| p.rings.iter().flatten());
        let first = points.next()?;
        let start = (first[1], first[0], first[1], first[0]);
        Some(points.fold(start, |(s, w, n, e), [lon, lat]| (s.min(*lat), w.min(*lon), n.max(*lat), e.max(*lon))))
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
            other => Err(GeoJsonError::UnsupportedType { kind: other.to_string() }),
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
    if let Some(crossing) = first_crossing(&rings) {
        return Err(crossing);
    }
    Ok(Polygon { rings })
}

/// A ring's edge: its index in the ring, its ring, and its two ends as `[lon, lat]`.
#[derive(Clone, Copy)]
struct Edge {
    ring: usize,
    index: usize,
    from: [f64; 2],
    to: [f64; 2],
}

impl Edge {
    fn min_x(&self) -> f64 {
        self.from[0].min(self.to[0])
    }

    fn max_x(&self) -> f64 {
        self.from[0].max(self.to[0])
    }
}

/// Where two edges of a polygon's rings cross or touch, other than where neighbouring edges of one
/// ring meet. A sweep over x keeps it near-linear for real boundaries with thousands of points.
fn first_crossing(rings: &[Vec<[f64; 2]>]) -> Option<GeoJsonError> {
    let mut edges = Vec::new();
    let mut edges_per_ring = Vec::with_capacity(rings.len());
    for (ring, points) in rings.iter().enumerate() {
        // Repeated consecutive positions are harmless; edges of zero length are skipped.
        let mut distinct: Vec<[f64; 2]> = Vec::with_capacity(points.len());
        for point in points {
            if distinct.last() != Some(point) {
                distinct.push(*point);
            }
        }
        let count = distinct.len().saturating_sub(1);
        if count < 3 {
            return Some(GeoJsonError::UnclosedRing);
        }
        edges_per_ring.push(count);
        edges.extend(distinct.windows(2).enumerate().map(|(index, pair)| Edge {
            ring,
            index,
            from: pair[0],
            to: pair[1],
        }));
    }
    let neighbours = |a: &Edge, b: &Edge| {
        a.ring == b.ring && {
            let n = edges_per_ring[a.ring];
            (a.index + 1) % n == b.index || (b.index + 1) % n == a.index
        }
    };
    edges.sort_by(|a, b| a.min_x().total_cmp(&b.min_x()));
    let mut active: Vec<Edge> = Vec::new();
    for edge in edges {
        active.retain(|other| other.max_x() >= edge.min_x());
        for other in &active {
            let crossing =
                if neighbours(&edge, other) { folds_back(&edge, other) } else { segments_meet(&edge, other) };
            if let Some([lon, lat]) = crossing {
                return Some(GeoJsonError::SelfIntersection { lat, lon });
            }
        }
        active.push(edge);
    }
    None
}

fn orientation(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

fn on_segment(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> bool {
    p[0] >= a[0].min(b[0]) && p[0] <= a[0].max(b[0]) && p[1] >= a[1].min(b[1]) && p[1] <= a[1].max(b[1])
}

/// Where two edges that share no end meet, if they do.
fn segments_meet(a: &Edge, b: &Edge) -> Option<[f64; 2]> {
    let (d1, d2) = (orientation(b.from, b.to, a.from), orientation(b.from, b.to, a.to));
    let (d3, d4) = (orientation(a.from, a.to, b.from), orientation(a.from, a.to, b.to));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0)) {
        let t = d1 / (d1 - d2);
        return Some([a.from[0] + t * (a.to[0] - a.from[0]), a.from[1] + t * (a.to[1] - a.from[1])]);
    }
    [(d1, b, a.from), (d2, b, a.to)]
        .into_iter()
        .chain([(d3, a, b.from), (d4, a, b.to)])
        .find(|(d, edge, point)| *d == 0.0 && on_segment(edge.from, edge.to, *point))
        .map(|(_, _, point)| point)
}

/// Neighbouring edges meet at their shared end; they cross only when one doubles back along the other.
fn folds_back(a: &Edge, b: &Edge) -> Option<[f64; 2]> {
    let (first, second) = if a.to == b.from { (a, b) } else { (b, a) };
    let shared = first.to;
    if orientation(first.from, shared, second.to) != 0.0 {
        return None;
    }
    let backwards = (first.from[0] - shared[0]) * (second.to[0] - shared[0])
        + (first.from[1] - shared[1]) * (second.to[1] - shared[1]);
    (backwards > 0.0).then_some(shared)
}

/// Why a GeoJSON area could not be read. Written internally tagged, read through the flat
/// [`GeoJsonErrorRecord`] (see `crate::wire`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case", try_from = "GeoJsonErrorRecord")]
pub enum GeoJsonError {
    #[error("the object has no \"type\"")]
    MissingType,
    #[error("the FeatureCollection has no \"features\" list")]
    MissingFeatures,
    #[error("the Feature has no \"geometry\"")]
    MissingGeometry,
    #[error("geometry type {kind} is not a Polygon or MultiPolygon")]
    UnsupportedType { kind: String },
    #[error("the coordinates are not a list of rings of [longitude, latitude] pairs")]
    BadCoordinates,
    #[error("a ring is not closed: it needs at least 4 positions and must end where it starts")]
    UnclosedRing,
    #[error("position ({lat}, {lon}) is outside WGS84 ranges")]
    OutOfRange { lat: f64, lon: f64 },
    #[error("the boundary crosses itself near ({lat}, {lon})")]
    SelfIntersection { lat: f64, lon: f64 },
}

/// A [`GeoJsonError`] as written: its problem and the facts that problem carries.
#[derive(Deserialize)]
struct GeoJsonErrorRecord {
    problem: String,
    kind: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl TryFrom<GeoJsonErrorRecord> for GeoJsonError {
    type Error = String;

    fn try_from(record: GeoJsonErrorRecord) -> Result<Self, String> {
        use crate::wire::needed;
        let problem = record.problem.as_str();
        Ok(match problem {
            "missing_type" => GeoJsonError::MissingType,
            "missing_features" => GeoJsonError::MissingFeatures,
            "missing_geometry" => GeoJsonError::MissingGeometry,
            "unsupported_type" => GeoJsonError::UnsupportedType { kind: needed(problem, "kind", record.kind)? },
            "bad_coordinates" => GeoJsonError::BadCoordinates,
            "unclosed_ring" => GeoJsonError::UnclosedRing,
            "out_of_range" => GeoJsonError::OutOfRange {
                lat: needed(problem, "lat", record.lat)?,
                lon: needed(problem, "lon", record.lon)?,
            },
            "self_intersection" => GeoJsonError::SelfIntersection {
                lat: needed(problem, "lat", record.lat)?,
                lon: needed(problem, "lon", record.lon)?,
            },
            _ => return Err(crate::wire::unknown_kind(problem)),
        })
    }
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
        assert!(matches!(AreaShape::from_geojson(&point), Err(GeoJsonError::UnsupportedType { .. })));
    }

    #[test]
    fn crossing_boundaries_are_refused_and_simple_ones_kept() {
        let bow_tie = serde_json::json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [2.0, 2.0], [2.0, 0.0], [0.0, 2.0], [0.0, 0.0]]]});
        assert_eq!(AreaShape::from_geojson(&bow_tie), Err(GeoJsonError::SelfIntersection { lat: 1.0, lon: 1.0 }));
        let spike = serde_json::json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [4.0, 2.0], [0.0, 0.0]]]});
        assert!(matches!(AreaShape::from_geojson(&spike), Err(GeoJsonError::SelfIntersection { .. })));
        let hole_crossing_outer = serde_json::json!({"type": "Polygon", "coordinates": [
            [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]],
            [[8.0, 4.0], [12.0, 4.0], [12.0, 6.0], [8.0, 6.0], [8.0, 4.0]]
        ]});
        assert!(matches!(AreaShape::from_geojson(&hole_crossing_outer), Err(GeoJsonError::SelfIntersection { .. })));
        let repeated_point = serde_json::json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [4.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]]]});
        assert!(AreaShape::from_geojson(&repeated_point).is_ok());
        assert!(AreaShape::from_geojson(
            &serde_json::json!({"type": "Polygon", "coordinates": square_with_hole().polygons[0].rings})
        )
        .is_ok());
    }

    #[test]
    fn a_fine_boundary_of_many_points_is_checked() {
        let ring: Vec<[f64; 2]> = (0..=20_000)
            .map(|i| {
                let angle = std::f64::consts::TAU * f64::from(i % 20_000) / 20_000.0;
                [106.6 + 0.1 * angle.cos(), 17.4 + 0.1 * angle.sin()]
            })
            .collect();
        let json = serde_json::json!({"type": "Polygon", "coordinates": [ring]});
        assert!(AreaShape::from_geojson(&json).is_ok());
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
