//! What a map asks of the server and what it gets back: the query's parameters, their parsing, and the answers.

use crate::case::{CaseStatus, Channel};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A rectangle on the map in degrees; `west <= east` and `south <= north`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bounds {
    /// The viewport's width and height in pixels at `zoom` (Web Mercator, 256-pixel tiles).
    pub fn pixel_size(&self, zoom: u8) -> (f64, f64) {
        let world = 256.0 * f64::from(1u32 << zoom.min(MAX_ZOOM));
        let mercator_y = |lat: f64| {
            let lat = lat.clamp(-85.051_128_78, 85.051_128_78).to_radians();
            (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln() / (2.0 * std::f64::consts::PI)
        };
        let width = (self.east - self.west) / 360.0 * world;
        let height = (mercator_y(self.north) - mercator_y(self.south)) * world;
        (width, height)
    }

    /// As `minLon,minLat,maxLon,maxLat`, the order of the `bbox` parameter.
    pub fn to_param(&self) -> String {
        format!("{:.6},{:.6},{:.6},{:.6}", self.west, self.south, self.east, self.north)
    }
}

/// The deepest zoom a map may ask for.
pub const MAX_ZOOM: u8 = 22;
/// The widest and tallest viewport a map may ask for at its zoom, in 256-pixel-tile pixels: four
/// times a large screen each way, so every real map fits and no query covers the world up close.
pub const MAX_VIEWPORT_PIXELS: f64 = 16_384.0;
/// The most features one answer carries; beyond it the answer says it is truncated.
pub const MAX_MAP_FEATURES: usize = 5_000;
/// Cases per page of the list beside the map.
pub const PAGE_SIZE: u32 = 20;

/// A map's query as it arrives: text, as in a URL's query string. Empty means "not given".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapParams {
    /// `minLon,minLat,maxLon,maxLat`.
    pub bbox: String,
    pub zoom: String,
    /// Comma-separated lists of codes.
    pub status: String,
    pub category: String,
    pub agency: String,
    pub area: String,
    pub channel: String,
    /// `true` for only the cases past their deadline.
    pub overdue: String,
    /// `YYYY-MM-DD`, days in the province's time zone, both included.
    pub from: String,
    pub to: String,
    /// `true` for what the public sees, whoever asks: the transparency map and the scorecards show
    /// every reader the same cases.
    #[serde(default)]
    pub public: String,
    /// Words to search for, as the search boxes take them (see [`crate::search::filter_words`]).
    #[serde(default)]
    pub q: String,
}

impl MapParams {
    /// Whether the asker wants the public's view rather than their own scope.
    pub fn wants_public_view(&self) -> bool {
        self.public.trim() == "true"
    }
}

/// A query parameter of the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Param {
    Bbox,
    Zoom,
    Status,
    Category,
    Agency,
    Area,
    Channel,
    Overdue,
    From,
    To,
    Q,
}

impl Param {
    pub fn as_str(self) -> &'static str {
        match self {
            Param::Bbox => "bbox",
            Param::Zoom => "zoom",
            Param::Status => "status",
            Param::Category => "category",
            Param::Agency => "agency",
            Param::Area => "area",
            Param::Channel => "channel",
            Param::Overdue => "overdue",
            Param::From => "from",
            Param::To => "to",
            Param::Q => "q",
        }
    }
}

/// What is wrong with a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Missing,
    /// Not in the expected form.
    Malformed,
    /// Well formed but outside what it may be.
    OutOfRange,
    /// A value this parameter does not know.
    Unknown(String),
    /// A range whose start lies after its end.
    Reversed,
    /// A viewport larger than any screen shows at its zoom, which would ask for too much at once.
    TooLarge,
    /// Longer than this many characters.
    TooLong(usize),
}

/// A refused parameter; the app words its message in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamError {
    pub param: Param,
    pub problem: Problem,
}

/// A map query, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRequest {
    pub viewport: Bounds,
    pub zoom: u8,
    pub statuses: Option<Vec<CaseStatus>>,
    pub categories: Option<Vec<String>>,
    pub agencies: Option<Vec<String>>,
    pub areas: Option<Vec<String>>,
    pub channels: Option<Vec<Channel>>,
    pub overdue: bool,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Folded words every case shown matches; empty for no search.
    pub words: Vec<String>,
}

fn given(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|s| !s.is_empty())
}

fn list<T>(raw: &str, param: Param, parse: impl Fn(&str) -> Option<T>, errors: &mut Vec<ParamError>) -> Option<Vec<T>> {
    let raw = given(raw)?;
    let mut values = Vec::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match parse(item) {
            Some(value) => values.push(value),
            None => {
                errors.push(ParamError { param, problem: Problem::Unknown(item.chars().take(64).collect()) });
                return None;
            }
        }
    }
    Some(values)
}

/// A catalogue code: lowercase letters, digits, `_`, `-` and `.`, at most 64 of them.
fn code(raw: &str) -> Option<String> {
    let ok = raw.len() <= 64
        && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.'));
    ok.then(|| raw.to_string())
}

fn date(raw: &str, param: Param, errors: &mut Vec<ParamError>) -> Option<NaiveDate> {
    let raw = given(raw)?;
    let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.push(ParamError { param, problem: Problem::Malformed });
    }
    parsed
}

fn bbox(raw: &str, errors: &mut Vec<ParamError>) -> Option<Bounds> {
    let Some(raw) = given(raw) else {
        errors.push(ParamError { param: Param::Bbox, problem: Problem::Missing });
        return None;
    };
    // Exactly four numbers: anything between or after them makes the whole box malformed. At most
    // five pieces are split off, so a long parameter costs no more than a short one.
    let numbers: Vec<Option<f64>> = raw.splitn(5, ',').map(|n| n.trim().parse::<f64>().ok()).collect();
    let [Some(west), Some(south), Some(east), Some(north)] = numbers[..] else {
        errors.push(ParamError { param: Param::Bbox, problem: Problem::Malformed });
        return None;
    };
    let problem = if ![west, south, east, north].iter().all(|n| n.is_finite())
        || !(-180.0..=180.0).contains(&west)
        || !(-180.0..=180.0).contains(&east)
        || !(-90.0..=90.0).contains(&south)
        || !(-90.0..=90.0).contains(&north)
    {
        Some(Problem::OutOfRange)
    } else if west > east || south > north {
        Some(Problem::Reversed)
    } else {
        None
    };
    match problem {
        Some(problem) => {
            errors.push(ParamError { param: Param::Bbox, problem });
            None
        }
        None => Some(Bounds { west, south, east, north }),
    }
}

impl MapRequest {
    /// Parses every parameter, reporting each bad one.
    pub fn parse(params: &MapParams) -> Result<Self, Vec<ParamError>> {
        let mut errors = Vec::new();
        let viewport = bbox(&params.bbox, &mut errors);
        let zoom = match given(&params.zoom) {
            None => {
                errors.push(ParamError { param: Param::Zoom, problem: Problem::Missing });
                None
            }
            Some(raw) => match raw.parse::<u8>() {
                Ok(zoom) if zoom <= MAX_ZOOM => Some(zoom),
                Ok(_) => {
                    errors.push(ParamError { param: Param::Zoom, problem: Problem::OutOfRange });
                    None
                }
                Err(_) => {
                    errors.push(ParamError { param: Param::Zoom, problem: Problem::Malformed });
                    None
                }
            },
        };
        let statuses = list(&params.status, Param::Status, CaseStatus::parse, &mut errors);
        let categories = list(&params.category, Param::Category, code, &mut errors);
        let agencies = list(&params.agency, Param::Agency, code, &mut errors);
        let areas = list(&params.area, Param::Area, code, &mut errors);
        let channels = list(&params.channel, Param::Channel, Channel::parse, &mut errors);
        let overdue = match given(&params.overdue) {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                errors.push(ParamError { param: Param::Overdue, problem: Problem::Malformed });
                false
            }
        };
        let from = date(&params.from, Param::From, &mut errors);
        let to = date(&params.to, Param::To, &mut errors);
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                errors.push(ParamError { param: Param::To, problem: Problem::Reversed });
            }
        }
        let words = crate::search::filter_words(&params.q).unwrap_or_else(|reason| {
            let max = match reason {
                crate::validation::Reason::TooLong { max } => max,
                _ => crate::search::SearchQuery::MAX_CHARS,
            };
            errors.push(ParamError { param: Param::Q, problem: Problem::TooLong(max) });
            Vec::new()
        });
        if let (Some(viewport), Some(zoom)) = (viewport, zoom) {
            let (width, height) = viewport.pixel_size(zoom);
            if width > MAX_VIEWPORT_PIXELS || height > MAX_VIEWPORT_PIXELS {
                errors.push(ParamError { param: Param::Bbox, problem: Problem::TooLarge });
            }
        }
        match (viewport, zoom) {
            (Some(viewport), Some(zoom)) if errors.is_empty() => Ok(MapRequest {
                viewport,
                zoom,
                statuses,
                categories,
                agencies,
                areas,
                channels,
                overdue,
                from,
                to,
                words,
            }),
            _ => Err(errors),
        }
    }
}

/// One thing to draw on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MapFeature {
    /// Several cases; `bounds` holds them all, for zooming in.
    Cluster { lat: f64, lon: f64, count: u64, bounds: Bounds },
    /// One case, with what the public may know of it.
    Case { id: i64, lat: f64, lon: f64, status: CaseStatus, category: String },
}

/// The clusters and cases in a viewport; `total` is the number of matching cases in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapAnswer {
    pub features: Vec<MapFeature>,
    pub total: u64,
    /// Whether more features matched than [`MAX_MAP_FEATURES`]; `total` still counts them all.
    #[serde(default)]
    pub truncated: bool,
}

/// A case in the list beside the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedCase {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub title: String,
    pub status: CaseStatus,
    pub category: String,
    pub submitted_at: DateTime<Utc>,
    /// The public explanation of a rejection, shown to the public beside the case.
    #[serde(default)]
    pub rejection_note: Option<String>,
}

/// A page of the cases in a viewport, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CasePage {
    pub total: u64,
    pub offset: u32,
    pub items: Vec<ListedCase>,
}

/// A choice of a filter: a code and its name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

/// What the officers' map offers the signed-in account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterChoices {
    /// Whether the account may use the staff map (officers, coordinators, leaders, administrators).
    pub allowed: bool,
    /// Officers see their own agency only, and get no agency filter.
    pub choose_agency: bool,
    pub categories: Vec<Choice>,
    pub agencies: Vec<Choice>,
    pub areas: Vec<Choice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(bbox: &str, zoom: &str) -> MapParams {
        MapParams { bbox: bbox.into(), zoom: zoom.into(), ..Default::default() }
    }

    fn refused(params: &MapParams) -> Vec<(Param, Problem)> {
        MapRequest::parse(params).err().unwrap_or_default().into_iter().map(|e| (e.param, e.problem)).collect()
    }

    #[test]
    fn a_full_query_parses_with_lists_dates_and_flags() {
        let request = MapRequest::parse(&MapParams {
            status: "assigned, in_progress".into(),
            category: "environment".into(),
            channel: "hotline".into(),
            overdue: "true".into(),
            from: "2026-01-01".into(),
            to: "2026-01-31".into(),
            q: "Đường  hới".into(),
            ..params("106.5,17.4,106.7,17.55", "13")
        })
        .expect("valid");
        assert_eq!(request.viewport, Bounds { west: 106.5, south: 17.4, east: 106.7, north: 17.55 });
        assert_eq!(request.zoom, 13);
        assert_eq!(request.statuses, Some(vec![CaseStatus::Assigned, CaseStatus::InProgress]));
        assert_eq!(request.categories, Some(vec!["environment".to_string()]));
        assert_eq!(request.channels, Some(vec![Channel::Hotline]));
        assert!(request.overdue);
        assert_eq!(request.agencies, None, "an empty parameter means any");
        assert_eq!(request.to, NaiveDate::from_ymd_opt(2026, 1, 31));
        assert_eq!(request.words, vec!["duong".to_string(), "hoi".to_string()], "folded as the search folds");
        let number = MapRequest::parse(&MapParams { q: "#42".into(), ..params("1,2,3,4", "1") }).expect("valid");
        assert_eq!(number.words, vec!["42".to_string()], "a number is a word of its case");
    }

    #[test]
    fn every_bad_parameter_is_named_with_its_problem() {
        assert_eq!(refused(&params("", "")), vec![(Param::Bbox, Problem::Missing), (Param::Zoom, Problem::Missing)]);
        assert_eq!(refused(&params("1,2,3", "1")), vec![(Param::Bbox, Problem::Malformed)]);
        assert_eq!(refused(&params("1,2,3,x", "1")), vec![(Param::Bbox, Problem::Malformed)]);
        assert_eq!(refused(&params("106.5,junk,17.4,106.7,17.5", "1")), vec![(Param::Bbox, Problem::Malformed)]);
        assert_eq!(refused(&params("1,2,3,4,", "1")), vec![(Param::Bbox, Problem::Malformed)]);
        assert_eq!(refused(&params(&",".repeat(1 << 20), "1")), vec![(Param::Bbox, Problem::Malformed)]);
        assert_eq!(refused(&params("1,2,200,3", "1")), vec![(Param::Bbox, Problem::OutOfRange)]);
        assert_eq!(refused(&params("5,2,1,3", "1")), vec![(Param::Bbox, Problem::Reversed)]);
        assert_eq!(refused(&params("1,2,3,4", "23")), vec![(Param::Zoom, Problem::OutOfRange)]);
        assert_eq!(refused(&params("1,2,3,4", "1.5")), vec![(Param::Zoom, Problem::Malformed)]);
        let bad = MapParams {
            status: "assigned,lost".into(),
            category: "Traffic!".into(),
            overdue: "yes".into(),
            from: "2026-02-30".into(),
            ..params("1,2,3,4", "1")
        };
        assert_eq!(
            refused(&bad),
            vec![
                (Param::Status, Problem::Unknown("lost".into())),
                (Param::Category, Problem::Unknown("Traffic!".into())),
                (Param::Overdue, Problem::Malformed),
                (Param::From, Problem::Malformed),
            ]
        );
        let reversed = MapParams { from: "2026-02-01".into(), to: "2026-01-01".into(), ..params("1,2,3,4", "1") };
        assert_eq!(refused(&reversed), vec![(Param::To, Problem::Reversed)]);
        let long = MapParams { q: "đ".repeat(201), ..params("1,2,3,4", "1") };
        assert_eq!(refused(&long), vec![(Param::Q, Problem::TooLong(200))]);
    }

    #[test]
    fn a_viewport_larger_than_any_screen_at_its_zoom_is_refused() {
        assert_eq!(refused(&params("-180,-85,180,85", "0")), Vec::new(), "the whole world far out");
        assert_eq!(refused(&params("-180,-85,180,85", "20")), vec![(Param::Bbox, Problem::TooLarge)]);
        assert_eq!(refused(&params("106.60,17.45,106.65,17.50", "18")), Vec::new(), "a town quarter up close");
        assert_eq!(refused(&params("106.0,17.0,107.0,18.0", "18")), vec![(Param::Bbox, Problem::TooLarge)]);
        let (width, height) = Bounds { west: 0.0, south: 0.0, east: 360.0 / 256.0, north: 1.0 }.pixel_size(8);
        assert!((width - 256.0).abs() < 1e-9 && height > 0.0);
    }

    proptest::proptest! {
        /// Whatever viewport and zoom a caller sends, one that is accepted spans at most
        /// [`MAX_VIEWPORT_PIXELS`] each way, so the cells and features of its answer are bounded
        /// before any is computed.
        #[test]
        fn an_accepted_viewport_is_never_larger_than_a_screen(
            west in -180.0..180.0f64, width in 0.0..360.0f64, south in -85.0..85.0f64, height in 0.0..170.0f64,
            zoom in 0u8..=MAX_ZOOM,
        ) {
            let (east, north) = ((west + width).min(180.0), (south + height).min(85.0));
            let bbox = format!("{west},{south},{east},{north}");
            if let Ok(request) = MapRequest::parse(&params(&bbox, &zoom.to_string())) {
                let (pixels_wide, pixels_high) = request.viewport.pixel_size(request.zoom);
                proptest::prop_assert!(pixels_wide <= MAX_VIEWPORT_PIXELS && pixels_high <= MAX_VIEWPORT_PIXELS);
            }
        }
    }

    #[test]
    fn bounds_read_back_from_their_parameter() {
        let bounds = Bounds { west: 106.5, south: 17.4, east: 106.75, north: 17.55 };
        let parsed = MapRequest::parse(&params(&bounds.to_param(), "12")).map(|r| r.viewport);
        assert_eq!(parsed, Ok(bounds));
    }
}
