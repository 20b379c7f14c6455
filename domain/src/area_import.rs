//! Reading served areas from an uploaded GeoJSON file: every feature checked, every problem named.

use super::geo::{Area, AreaShape, GeoJsonError};
use serde::{Deserialize, Serialize};

/// Area files are boundaries, not maps: 10 MB holds every district of a province at survey detail.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// More features than this is not a province's areas but some other layer uploaded by mistake.
pub const MAX_FEATURES: usize = 500;

/// One thing wrong with an uploaded area file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The feature's position in the file, counted from 1; `None` when the file as a whole is wrong.
    pub feature: Option<usize>,
    /// The feature's code or name when it has one, so the administrator can find it.
    pub label: Option<String>,
    pub problem: Problem,
}

/// What is wrong, with the facts a message needs. Written internally tagged, read through the flat
/// [`ProblemRecord`] (see `crate::wire`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ProblemRecord")]
pub enum Problem {
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    NotJson {
        line: usize,
        column: usize,
    },
    /// The top level is neither a FeatureCollection nor a Feature.
    NotFeatures,
    NoFeatures,
    TooManyFeatures {
        count: usize,
        limit: usize,
    },
    MissingCode,
    /// Codes are 2 to 40 lowercase letters, digits, `_` and `-`, starting with a letter.
    BadCode,
    MissingName,
    NameTooLong {
        max: usize,
    },
    DuplicateCode,
    Geometry {
        error: GeoJsonError,
    },
}

/// A [`Problem`] as written: its kind and the facts that kind carries.
#[derive(Deserialize)]
struct ProblemRecord {
    kind: String,
    bytes: Option<u64>,
    limit: Option<u64>,
    line: Option<usize>,
    column: Option<usize>,
    count: Option<usize>,
    max: Option<usize>,
    error: Option<GeoJsonError>,
}

impl TryFrom<ProblemRecord> for Problem {
    type Error = String;

    fn try_from(record: ProblemRecord) -> Result<Self, String> {
        use crate::wire::{bounded, needed};
        let kind = record.kind.as_str();
        Ok(match kind {
            "too_large" => Problem::TooLarge {
                bytes: needed(kind, "bytes", record.bytes)?,
                limit: needed(kind, "limit", record.limit)?,
            },
            "not_json" => Problem::NotJson {
                line: needed(kind, "line", record.line)?,
                column: needed(kind, "column", record.column)?,
            },
            "not_features" => Problem::NotFeatures,
            "no_features" => Problem::NoFeatures,
            "too_many_features" => Problem::TooManyFeatures {
                count: needed(kind, "count", record.count)?,
                limit: bounded(kind, "limit", record.limit)?,
            },
            "missing_code" => Problem::MissingCode,
            "bad_code" => Problem::BadCode,
            "missing_name" => Problem::MissingName,
            "name_too_long" => Problem::NameTooLong { max: needed(kind, "max", record.max)? },
            "duplicate_code" => Problem::DuplicateCode,
            "geometry" => Problem::Geometry { error: needed(kind, "error", record.error)? },
            _ => return Err(crate::wire::unknown_kind(kind)),
        })
    }
}

impl ImportProblem {
    fn whole_file(problem: Problem) -> Self {
        Self { feature: None, label: None, problem }
    }
}

/// Refuses a file too large to read, before anything reads it.
pub fn check_file_size(bytes: u64) -> Result<(), ImportProblem> {
    if bytes > MAX_FILE_BYTES {
        return Err(ImportProblem::whole_file(Problem::TooLarge { bytes, limit: MAX_FILE_BYTES }));
    }
    Ok(())
}

/// An area code, by the catalogue's one rule for codes.
pub fn parse_area_code(raw: &str) -> Result<String, Problem> {
    super::catalogue::parse_code(raw).map_err(|reason| match reason {
        super::validation::Reason::Required => Problem::MissingCode,
        _ => Problem::BadCode,
    })
}

const MAX_NAME: usize = 100;

/// Reads every feature of a GeoJSON FeatureCollection (or a single Feature) as an area, inactive
/// until an administrator activates it. Either every feature is valid, or nothing is returned and
/// every problem found is listed.
pub fn parse_area_file(text: &str) -> Result<Vec<Area>, Vec<ImportProblem>> {
    check_file_size(text.len() as u64).map_err(|problem| vec![problem])?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|error| {
        vec![ImportProblem::whole_file(Problem::NotJson { line: error.line(), column: error.column() })]
    })?;
    let features: Vec<&serde_json::Value> = match value.get("type").and_then(|t| t.as_str()) {
        Some("FeatureCollection") => match value.get("features").and_then(|f| f.as_array()) {
            Some(list) => list.iter().collect(),
            None => return Err(vec![ImportProblem::whole_file(Problem::NoFeatures)]),
        },
        Some("Feature") => vec![&value],
        _ => return Err(vec![ImportProblem::whole_file(Problem::NotFeatures)]),
    };
    if features.is_empty() {
        return Err(vec![ImportProblem::whole_file(Problem::NoFeatures)]);
    }
    if features.len() > MAX_FEATURES {
        let problem = Problem::TooManyFeatures { count: features.len(), limit: MAX_FEATURES };
        return Err(vec![ImportProblem::whole_file(problem)]);
    }
    let mut areas = Vec::with_capacity(features.len());
    let mut problems = Vec::new();
    for (index, feature) in features.into_iter().enumerate() {
        match parse_feature(feature) {
            Ok(area) => {
                if areas.iter().any(|seen: &Area| seen.code == area.code) {
                    problems.push(ImportProblem {
                        feature: Some(index + 1),
                        label: Some(area.code.clone()),
                        problem: Problem::DuplicateCode,
                    });
                }
                areas.push(area);
            }
            Err((label, problem)) => problems.push(ImportProblem { feature: Some(index + 1), label, problem }),
        }
    }
    if problems.is_empty() {
        Ok(areas)
    } else {
        Err(problems)
    }
}

/// One feature as an area, or its label (code or name, when readable) and what is wrong with it.
fn parse_feature(feature: &serde_json::Value) -> Result<Area, (Option<String>, Problem)> {
    let property = |name: &str| {
        feature.pointer(&format!("/properties/{name}")).and_then(|v| v.as_str()).map(|s| s.trim().to_string())
    };
    let raw_code = property("code").filter(|c| !c.is_empty());
    let name = property("name").filter(|n| !n.is_empty());
    let label = raw_code.clone().or_else(|| name.clone());
    let fail = |problem| Err((label.clone(), problem));
    if feature.get("type").and_then(|t| t.as_str()) != Some("Feature") {
        return fail(Problem::NotFeatures);
    }
    let code = match parse_area_code(raw_code.as_deref().unwrap_or_default()) {
        Ok(code) => code,
        Err(problem) => return fail(problem),
    };
    let Some(name) = name else { return fail(Problem::MissingName) };
    if name.chars().count() > MAX_NAME {
        return fail(Problem::NameTooLong { max: MAX_NAME });
    }
    let Some(geometry) = feature.get("geometry").filter(|g| !g.is_null()) else {
        return fail(Problem::Geometry { error: GeoJsonError::MissingGeometry });
    };
    match AreaShape::from_geojson(geometry) {
        Ok(shape) => Ok(Area { code, name, shape, active: false }),
        Err(error) => fail(Problem::Geometry { error }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn feature(code: &str, name: &str, ring: serde_json::Value) -> serde_json::Value {
        json!({"type": "Feature", "properties": {"code": code, "name": name},
               "geometry": {"type": "Polygon", "coordinates": [ring]}})
    }

    fn square(lon: f64, lat: f64) -> serde_json::Value {
        json!([[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]])
    }

    fn collection(features: Vec<serde_json::Value>) -> String {
        json!({"type": "FeatureCollection", "features": features}).to_string()
    }

    #[test]
    fn valid_features_become_inactive_areas() {
        let text = collection(vec![
            feature("bo-trach", "Huyện Bố Trạch", square(106.3, 17.5)),
            feature("quang-ninh", "Huyện Quảng Ninh", square(106.5, 17.2)),
        ]);
        let areas = parse_area_file(&text).expect("valid file");
        assert_eq!(areas.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), ["bo-trach", "quang-ninh"]);
        assert!(areas.iter().all(|a| !a.active));
        assert_eq!(areas[0].name, "Huyện Bố Trạch");
    }

    #[test]
    fn every_bad_feature_is_named_and_nothing_is_returned() {
        let unclosed = json!([[106.0, 17.0], [106.1, 17.0], [106.1, 17.1], [106.0, 17.1]]);
        let far = json!([[106.0, 17.0], [206.0, 17.0], [106.1, 17.1], [106.0, 17.0]]);
        let crossing = json!([[106.0, 17.0], [106.2, 17.2], [106.2, 17.0], [106.0, 17.2], [106.0, 17.0]]);
        let text = collection(vec![
            feature("good", "Tốt", square(106.3, 17.5)),
            feature("open", "Hở", unclosed),
            feature("far", "Xa", far),
            feature("cross", "Chéo", crossing),
            feature("Bad Code", "Mã sai", square(106.0, 17.0)),
            feature("good", "Trùng", square(106.6, 17.5)),
        ]);
        let problems = parse_area_file(&text).expect_err("bad file");
        let found: Vec<(Option<usize>, Option<&str>)> =
            problems.iter().map(|p| (p.feature, p.label.as_deref())).collect();
        assert_eq!(
            found,
            [
                (Some(2), Some("open")),
                (Some(3), Some("far")),
                (Some(4), Some("cross")),
                (Some(5), Some("Bad Code")),
                (Some(6), Some("good"))
            ]
        );
        assert_eq!(problems[0].problem, Problem::Geometry { error: GeoJsonError::UnclosedRing });
        assert!(matches!(problems[1].problem, Problem::Geometry { error: GeoJsonError::OutOfRange { .. } }));
        assert!(matches!(problems[2].problem, Problem::Geometry { error: GeoJsonError::SelfIntersection { .. } }));
        assert_eq!(problems[3].problem, Problem::BadCode);
        assert_eq!(problems[4].problem, Problem::DuplicateCode);
    }

    #[test]
    fn whole_file_problems_are_reported_once() {
        let not_json = parse_area_file("{\"type\": \"FeatureCollection\",\n \"features\": [").expect_err("not JSON");
        assert!(matches!(not_json[0].problem, Problem::NotJson { line: 2, .. }), "{not_json:?}");
        let point = json!({"type": "Point", "coordinates": [1.0, 2.0]}).to_string();
        assert_eq!(parse_area_file(&point).expect_err("not features")[0].problem, Problem::NotFeatures);
        assert_eq!(parse_area_file(&collection(vec![])).expect_err("empty")[0].problem, Problem::NoFeatures);
        let big = check_file_size(50 * 1024 * 1024).expect_err("too large");
        assert_eq!(big.problem, Problem::TooLarge { bytes: 50 * 1024 * 1024, limit: MAX_FILE_BYTES });
    }

    #[test]
    fn a_feature_without_name_or_geometry_is_refused() {
        let nameless = json!({"type": "Feature", "properties": {"code": "x-1"}, "geometry": null}).to_string();
        let problems = parse_area_file(&nameless).expect_err("no name");
        assert_eq!((problems[0].feature, problems[0].problem.clone()), (Some(1), Problem::MissingName));
        let shapeless = json!({"type": "Feature", "properties": {"code": "x-1", "name": "X"}, "geometry": null});
        let problems = parse_area_file(&shapeless.to_string()).expect_err("no geometry");
        assert_eq!(problems[0].problem, Problem::Geometry { error: GeoJsonError::MissingGeometry });
    }

    /// One problem of every kind, in declaration order, each geometry error among them.
    fn every_problem() -> Vec<Problem> {
        let geometry = [
            GeoJsonError::MissingType,
            GeoJsonError::MissingFeatures,
            GeoJsonError::MissingGeometry,
            GeoJsonError::UnsupportedType { kind: "LineString".into() },
            GeoJsonError::BadCoordinates,
            GeoJsonError::UnclosedRing,
            GeoJsonError::OutOfRange { lat: 91.5, lon: -181.25 },
            GeoJsonError::SelfIntersection { lat: 10.5, lon: 106.75 },
        ];
        let mut every = vec![
            Problem::TooLarge { bytes: 11_000_000, limit: MAX_FILE_BYTES },
            Problem::NotJson { line: 3, column: 14 },
            Problem::NotFeatures,
            Problem::NoFeatures,
            Problem::TooManyFeatures { count: 501, limit: MAX_FEATURES },
            Problem::MissingCode,
            Problem::BadCode,
            Problem::MissingName,
            Problem::NameTooLong { max: MAX_NAME },
            Problem::DuplicateCode,
        ];
        every.extend(geometry.into_iter().map(|error| Problem::Geometry { error }));
        every
    }

    /// Where `problem`'s kind is declared: a kind added does not compile until it is listed here.
    fn position(problem: &Problem) -> usize {
        match problem {
            Problem::TooLarge { .. } => 0,
            Problem::NotJson { .. } => 1,
            Problem::NotFeatures => 2,
            Problem::NoFeatures => 3,
            Problem::TooManyFeatures { .. } => 4,
            Problem::MissingCode => 5,
            Problem::BadCode => 6,
            Problem::MissingName => 7,
            Problem::NameTooLong { .. } => 8,
            Problem::DuplicateCode => 9,
            Problem::Geometry { error } => {
                10 + match error {
                    GeoJsonError::MissingType => 0,
                    GeoJsonError::MissingFeatures => 1,
                    GeoJsonError::MissingGeometry => 2,
                    GeoJsonError::UnsupportedType { .. } => 3,
                    GeoJsonError::BadCoordinates => 4,
                    GeoJsonError::UnclosedRing => 5,
                    GeoJsonError::OutOfRange { .. } => 6,
                    GeoJsonError::SelfIntersection { .. } => 7,
                }
            }
        }
    }

    #[test]
    fn every_problem_is_listed_once() {
        let positions: Vec<usize> = every_problem().iter().map(position).collect();
        assert_eq!(positions, (0..18).collect::<Vec<_>>());
    }

    #[test]
    fn every_problem_reads_back_as_written() {
        for (feature, problem) in every_problem().into_iter().enumerate() {
            let written = ImportProblem { feature: Some(feature + 1), label: Some("phuong-1".into()), problem };
            let json = serde_json::to_string(&written).expect("written");
            let read: ImportProblem = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(read, written, "{json}");
        }
        let nested = serde_json::to_value(Problem::Geometry { error: GeoJsonError::UnclosedRing }).expect("written");
        assert_eq!(nested, json!({"kind": "geometry", "error": {"problem": "unclosed_ring"}}));
    }

    #[test]
    fn a_problem_of_an_unknown_kind_or_without_its_facts_is_refused() {
        let unknown = serde_json::from_str::<Problem>(r#"{"kind":"teapot"}"#).expect_err("refused");
        assert!(unknown.to_string().contains("teapot"), "{unknown}");
        let missing = serde_json::from_str::<Problem>(r#"{"kind":"not_json","line":2}"#).expect_err("refused");
        assert!(missing.to_string().contains("column"), "{missing}");
        let geometry =
            serde_json::from_str::<Problem>(r#"{"kind":"geometry","error":{"problem":"out_of_range","lat":1.0}}"#)
                .expect_err("refused");
        assert!(geometry.to_string().contains("lon"), "{geometry}");
    }
}
