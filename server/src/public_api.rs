//! The public data API under `/api/v1`: statistics of a period, agencies' and areas' scorecards,
//! and streamed exports of cases from which anyone can recompute them, public fields only, under
//! the configured licence.

use crate::rest::{ApiError, RequestLang};
use crate::startup::AppState;
use app::i18n::Lang;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use domain::case::CaseStatus;
use domain::deadline::province_offset;
use domain::open_data::{rating_name, rejection_reason, Decision, ExportColumn, Licence};
use domain::statistics::{parse_day, Period, ScorecardKind};
use domain::validation::{Field, Reason, ValidationError};
use domain::workflow::RejectReason;
use serde::Deserialize;
use serde_json::json;
use services::statistics::statistics;
use services::store::{CaseFilter, ExportedCase, SharedStore};
use services::ServerContext;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/stats", get(stats))
        .route("/api/v1/scorecards/agencies/{code}", get(agency_scorecard))
        .route("/api/v1/scorecards/areas/{code}", get(area_scorecard))
        .route("/api/v1/cases.csv", get(export_csv))
        .route("/api/v1/cases.geojson", get(export_geojson))
        .route("/api/v1/search", get(search_cases))
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    q: Option<String>,
}

/// Results a public search answers.
const SEARCH_RESULTS: u32 = 20;

/// `GET /api/v1/search?q=…`: the screened cases matching what was typed, folded the Vietnamese
/// way (`dong hoi` finds `Đồng Hới`), best match first; a case number answers that case alone.
async fn search_cases(
    State(state): State<AppState>,
    lang: RequestLang,
    Query(params): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let lang = lang.lang();
    let raw = params.q.unwrap_or_default();
    let store = state.context.store.as_ref();
    let found = services::search::search(store, None, &raw, SEARCH_RESULTS).await.map_err(|error| match error {
        services::search::SearchError::Invalid(error) => ApiError::invalid(lang, vec![error]),
        services::search::SearchError::Store(error) => {
            tracing::error!(%error, "searching cases failed");
            ApiError::unavailable(lang)
        }
    })?;
    let ids = match found {
        services::search::Found::Case(id) => vec![id],
        services::search::Found::Cases(ids) => ids,
    };
    let mut items = store.public_list_items(&ids).await.map_err(|error| {
        tracing::error!(%error, "reading found cases failed");
        ApiError::unavailable(lang)
    })?;
    // The store answers in id order; the search's order is the ranking.
    items.sort_by_key(|item| ids.iter().position(|id| *id == item.id));
    Ok(Json(json!({ "query": raw, "cases": items })).into_response())
}

#[derive(Debug, Deserialize)]
struct StatsParams {
    from: Option<String>,
    to: Option<String>,
    area: Option<String>,
}

/// `GET /api/v1/stats?from=YYYY-MM-DD&to=YYYY-MM-DD[&area=CODE]`.
async fn stats(
    State(state): State<AppState>,
    lang: RequestLang,
    Query(params): Query<StatsParams>,
) -> Result<Response, ApiError> {
    let lang = lang.lang();
    let period = required_period(lang, &params.from, &params.to)?;
    let area = params.area.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let figures =
        statistics(&state.context, period, area, Utc::now()).await.map_err(|e| ApiError::from_statistics(lang, e))?;
    Ok(Json(figures).into_response())
}

/// The period of `from` and `to`, both required, each refused by name.
fn required_period(lang: Lang, from: &Option<String>, to: &Option<String>) -> Result<Period, ApiError> {
    let required = |value: &Option<String>, field| {
        value.clone().filter(|v| !v.trim().is_empty()).ok_or(ValidationError::new(field, Reason::Required))
    };
    let period = match (required(from, Field::PeriodFrom), required(to, Field::PeriodTo)) {
        (Ok(from), Ok(to)) => Period::parse(&from, &to),
        (from, to) => Err([from.err(), to.err()].into_iter().flatten().collect()),
    };
    period.map_err(|errors| ApiError::invalid(lang, errors))
}

#[derive(Debug, Deserialize)]
struct PeriodParams {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /api/v1/scorecards/agencies/CODE?from=YYYY-MM-DD&to=YYYY-MM-DD`: the figures of the
/// cases routed to the agency, equal to its row in `/api/v1/stats` for the same period.
async fn agency_scorecard(
    State(state): State<AppState>,
    lang: RequestLang,
    Path(code): Path<String>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, ApiError> {
    scorecard(&state.context, lang.lang(), ScorecardKind::Agency, &code, &params).await
}

/// `GET /api/v1/scorecards/areas/CODE?from=YYYY-MM-DD&to=YYYY-MM-DD`: the figures of the cases
/// reported in the area, equal to `/api/v1/stats?area=CODE` for the same period.
async fn area_scorecard(
    State(state): State<AppState>,
    lang: RequestLang,
    Path(code): Path<String>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, ApiError> {
    scorecard(&state.context, lang.lang(), ScorecardKind::Area, &code, &params).await
}

async fn scorecard(
    context: &ServerContext,
    lang: Lang,
    kind: ScorecardKind,
    code: &str,
    params: &PeriodParams,
) -> Result<Response, ApiError> {
    let period = required_period(lang, &params.from, &params.to)?;
    let card = services::statistics::scorecard(context, kind, code, period, Utc::now())
        .await
        .map_err(|e| ApiError::from_statistics(lang, e))?;
    card.map(|card| Json(card).into_response()).ok_or_else(|| ApiError::not_found(lang))
}

/// The filters of the case list, as query parameters; lists are comma-separated.
#[derive(Debug, Deserialize)]
pub(crate) struct ExportParams {
    status: Option<String>,
    category: Option<String>,
    agency: Option<String>,
    area: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// Words to search for, as the search box takes them.
    q: Option<String>,
}

fn split_list(raw: &Option<String>) -> Vec<String> {
    raw.as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads the filters, refusing unknown statuses, categories, agencies and areas and bad dates by name.
pub(crate) async fn export_filter(
    context: &ServerContext,
    params: &ExportParams,
    lang: Lang,
) -> Result<CaseFilter, ApiError> {
    let mut errors = Vec::new();
    let statuses: Vec<CaseStatus> = split_list(&params.status)
        .iter()
        .filter_map(|raw| {
            let status = CaseStatus::parse(raw);
            if status.is_none() {
                errors.push(ValidationError::new(Field::Status, Reason::UnknownStatus));
            }
            status
        })
        .collect();
    let categories = split_list(&params.category);
    // An empty code, as a form leaves for "any", is no filter.
    let given =
        |raw: &Option<String>| raw.as_deref().map(str::trim).filter(|code| !code.is_empty()).map(str::to_string);
    let (agency, area) = (given(&params.agency), given(&params.area));
    let store = context.store.as_ref();
    let known = |ok: bool, field, reason| if ok { None } else { Some(ValidationError::new(field, reason)) };
    match (store.categories().await, store.agencies().await, store.areas().await) {
        (Ok(known_categories), Ok(agencies), Ok(areas)) => {
            let unknown_category = categories.iter().any(|code| !known_categories.iter().any(|c| &c.code == code));
            errors.extend(known(!unknown_category, Field::Category, Reason::UnknownCategory));
            let agency_ok = agency.as_deref().is_none_or(|code| agencies.iter().any(|a| a.code == code));
            errors.extend(known(agency_ok, Field::Agency, Reason::UnknownAgency));
            let area_ok = area.as_deref().is_none_or(|code| areas.iter().any(|a| a.code == code));
            errors.extend(known(area_ok, Field::Area, Reason::UnknownArea));
        }
        (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => {
            tracing::error!(%error, "reading the catalogue for an export failed");
            return Err(ApiError::unavailable(lang));
        }
    }
    let day = |raw: &Option<String>, field| parse_day(raw.as_deref().unwrap_or_default(), field);
    let (from, to) = (day(&params.from, Field::PeriodFrom), day(&params.to, Field::PeriodTo));
    let (from, to) = match (from, to) {
        (Ok(from), Ok(to)) => (from, to),
        (from, to) => {
            errors.extend([from.err(), to.err()].into_iter().flatten());
            (None, None)
        }
    };
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.push(ValidationError::new(Field::PeriodTo, Reason::EndBeforeStart));
        }
    }
    let words = domain::search::filter_words(params.q.as_deref().unwrap_or_default()).unwrap_or_else(|reason| {
        errors.push(ValidationError::new(Field::SearchQuery, reason));
        Vec::new()
    });
    if !errors.is_empty() {
        return Err(ApiError::invalid(lang, errors));
    }
    let whole_days = |from: NaiveDate, to: NaiveDate| Period { from, to };
    Ok(CaseFilter {
        statuses,
        categories,
        agency,
        area,
        from: from.map(|day| whole_days(day, day).start()),
        to: to.map(|day| whole_days(day, day).end()),
        // Every case the statistics count is a row; a held-back one carries only what it is counted by.
        public_only: false,
        words,
        newest_first: false,
    })
}

/// Rows each page of an export reads: small enough to keep memory flat at any size.
const EXPORT_PAGE: u32 = 1_000;

#[derive(Debug, Clone, Copy)]
enum ExportFormat {
    Csv,
    GeoJson,
}

/// The characters that make a spreadsheet read a cell as a formula (or, for tab and carriage
/// return, move to the next cell before one).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell: a leading apostrophe keeps a spreadsheet from running text that starts like a
/// formula (the apostrophe is the spreadsheets' own mark for "this is text"); separators are quoted.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(FORMULA_STARTS) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&province_offset()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// One cell of an export row: what it holds decides how CSV writes it and which JSON type GeoJSON
/// gives it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    /// Nothing: an empty CSV cell, a JSON `null`.
    Empty,
    /// Text people wrote, or a catalogue code: neutralised against spreadsheet formulas in CSV.
    Text(String),
    /// A time, an address or a fixed word the server writes.
    Plain(String),
    Bool(bool),
    Int(i64),
    Coordinate(f64),
}

impl Cell {
    fn text(value: Option<&str>) -> Self {
        value.map_or(Cell::Empty, |text| Cell::Text(text.to_string()))
    }

    fn plain(value: Option<&str>) -> Self {
        value.map_or(Cell::Empty, |word| Cell::Plain(word.to_string()))
    }

    fn time(at: Option<DateTime<Utc>>) -> Self {
        at.map_or(Cell::Empty, |at| Cell::Plain(local_time(at)))
    }

    fn csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => csv_field(text),
            Cell::Plain(word) => word.clone(),
            Cell::Bool(value) => value.to_string(),
            Cell::Int(value) => value.to_string(),
            Cell::Coordinate(value) => format!("{value:.6}"),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Cell::Empty => serde_json::Value::Null,
            Cell::Text(text) | Cell::Plain(text) => json!(text),
            Cell::Bool(value) => json!(value),
            Cell::Int(value) => json!(value),
            Cell::Coordinate(value) => json!(value),
        }
    }
}

/// The cell of `column` for `case`. A held-back case has no published fields, so every column but
/// those it is counted by comes out empty.
fn cell(case: &ExportedCase, column: ExportColumn, public_url: &str) -> Cell {
    let published = case.published.as_ref();
    match column {
        ExportColumn::Id => Cell::Int(case.id),
        ExportColumn::Published => Cell::Bool(published.is_some()),
        ExportColumn::SubmittedAt => Cell::time(Some(case.submitted_at)),
        ExportColumn::Status => Cell::plain(Some(case.status.as_str())),
        ExportColumn::Channel => Cell::plain(Some(case.channel.as_str())),
        ExportColumn::Category => Cell::text(Some(&case.category)),
        ExportColumn::Area => Cell::text(case.area.as_deref()),
        ExportColumn::Decision => Cell::plain(Decision::of(case.status).map(Decision::as_str)),
        ExportColumn::RejectionReason => {
            Cell::plain(rejection_reason(case.status, case.rejection).map(RejectReason::as_str))
        }
        ExportColumn::ScreenedAt => Cell::time(published.and_then(|p| p.screened_at)),
        ExportColumn::Agency => Cell::text(published.and_then(|p| p.agency.as_deref())),
        ExportColumn::Deadline => Cell::time(published.and_then(|p| p.deadline)),
        ExportColumn::ResultSubmittedAt => Cell::time(published.and_then(|p| p.result_submitted_at)),
        ExportColumn::ResolvedAt => Cell::time(published.and_then(|p| p.resolved_at)),
        ExportColumn::OnTime => published.and_then(|p| p.handled_on_time).map_or(Cell::Empty, Cell::Bool),
        ExportColumn::Rating => Cell::plain(published.and_then(|p| p.rating).map(rating_name)),
        ExportColumn::Title => Cell::text(published.map(|p| p.title.as_str())),
        ExportColumn::Description => Cell::text(published.map(|p| p.description.as_str())),
        ExportColumn::Address => Cell::text(published.and_then(|p| p.address.as_deref())),
        ExportColumn::Lat => published.map_or(Cell::Empty, |p| Cell::Coordinate(p.lat)),
        ExportColumn::Lon => published.map_or(Cell::Empty, |p| Cell::Coordinate(p.lon)),
        ExportColumn::Url => published.map_or(Cell::Empty, |_| Cell::Plain(format!("{public_url}/cases/{}", case.id))),
        ExportColumn::Result => Cell::text(published.and_then(|p| p.result.as_deref())),
    }
}

fn csv_row(case: &ExportedCase, public_url: &str) -> String {
    let mut row =
        ExportColumn::ALL.iter().map(|column| cell(case, *column, public_url).csv()).collect::<Vec<_>>().join(",");
    row.push_str("\r\n");
    row
}

/// A case as a GeoJSON feature; a held-back case has no geometry (RFC 7946 allows `null`).
fn geojson_feature(case: &ExportedCase, public_url: &str) -> String {
    let properties: serde_json::Map<String, serde_json::Value> = ExportColumn::ALL
        .iter()
        .filter(|column| column.is_geojson_property())
        .map(|column| (column.name().to_string(), cell(case, *column, public_url).json()))
        .collect();
    let geometry = case.published.as_ref().map(|p| json!({"type": "Point", "coordinates": [p.lon, p.lat]}));
    json!({"type": "Feature", "geometry": geometry, "properties": properties}).to_string()
}

/// The opening of a GeoJSON export, naming its licence.
fn geojson_opening(licence: &Licence) -> String {
    let licence = json!({"id": licence.id, "url": licence.url});
    format!("{{\"type\":\"FeatureCollection\",\"license\":{licence},\"features\":[")
}

/// Where a streamed export stands: the last id written, and whether any row was written.
struct ExportCursor {
    after: i64,
    written: bool,
}

/// The export as a stream of text chunks, one page of rows each, read page by page.
fn export_stream(
    store: SharedStore,
    filter: CaseFilter,
    format: ExportFormat,
    public_url: String,
    licence: Licence,
) -> impl futures_util::Stream<Item = Result<String, std::io::Error>> {
    let start = ExportCursor { after: 0, written: false };
    futures_util::stream::unfold(Some(start), move |cursor| {
        let (store, filter, public_url, licence) = (store.clone(), filter.clone(), public_url.clone(), licence.clone());
        async move {
            let ExportCursor { after, mut written } = cursor?;
            let page = match store.export_cases(&filter, after, EXPORT_PAGE).await {
                Ok(page) => page,
                Err(error) => {
                    tracing::error!(%error, "export failed midway");
                    return Some((Err(std::io::Error::other("the export failed midway")), None));
                }
            };
            let mut chunk = String::new();
            if after == 0 {
                match format {
                    ExportFormat::Csv => {
                        // The byte-order mark makes spreadsheets read the file as UTF-8.
                        chunk.push('\u{FEFF}');
                        chunk.push_str(&ExportColumn::csv_header());
                        chunk.push_str("\r\n");
                    }
                    ExportFormat::GeoJson => chunk.push_str(&geojson_opening(&licence)),
                }
            }
            for case in &page {
                match format {
                    ExportFormat::Csv => chunk.push_str(&csv_row(case, &public_url)),
                    ExportFormat::GeoJson => {
                        if written {
                            chunk.push(',');
                        }
                        chunk.push_str(&geojson_feature(case, &public_url));
                    }
                }
                written = true;
            }
            let next = match page.last() {
                Some(last) if page.len() == EXPORT_PAGE as usize => Some(ExportCursor { after: last.id, written }),
                _ => {
                    if let ExportFormat::GeoJson = format {
                        chunk.push_str("]}");
                    }
                    None
                }
            };
            Some((Ok(chunk), next))
        }
    })
}

async fn export(
    state: AppState,
    lang: RequestLang,
    params: ExportParams,
    format: ExportFormat,
) -> Result<Response, ApiError> {
    let filter = export_filter(&state.context, &params, lang.lang()).await?;
    let (content_type, file_name) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "phan-anh.csv"),
        ExportFormat::GeoJson => ("application/geo+json", "phan-anh.geojson"),
    };
    let public_url = state.public_url.trim_end_matches('/').to_string();
    let licence = state.context.open_data_licence.clone();
    // The licence and the data dictionary, as links any client can follow (RFC 8288).
    let links = format!("<{}>; rel=\"license\", <{public_url}/open-data>; rel=\"describedby\"", licence.url);
    // Fused: the compression layer polls the body once more after its end, which an unfused
    // `unfold` answers with a panic, cutting every compressed download short.
    let rows = export_stream(state.context.store.clone(), filter, format, public_url, licence);
    let body = Body::from_stream(futures_util::StreamExt::fuse(rows));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            (header::LINK, links),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/v1/cases.csv` with the list's filters.
async fn export_csv(
    State(state): State<AppState>,
    lang: RequestLang,
    Query(params): Query<ExportParams>,
) -> Result<Response, ApiError> {
    export(state, lang, params, ExportFormat::Csv).await
}

/// `GET /api/v1/cases.geojson` with the list's filters.
async fn export_geojson(
    State(state): State<AppState>,
    lang: RequestLang,
    Query(params): Query<ExportParams>,
) -> Result<Response, ApiError> {
    export(state, lang, params, ExportFormat::GeoJson).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::workflow::Rating;
    use services::store::PublishedFields;

    fn at(hour: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2023, 3, 1, hour, 0, 0).single().unwrap_or_default()
    }

    fn handled() -> ExportedCase {
        ExportedCase {
            id: 7,
            submitted_at: at(1),
            status: CaseStatus::Closed,
            channel: domain::case::Channel::Web,
            category: "environment".into(),
            area: Some("dong-hoi".into()),
            rejection: None,
            published: Some(PublishedFields {
                title: "Rác, ven sông".into(),
                description: "Đống rác".into(),
                address: None,
                lat: 17.4689,
                lon: 106.6222,
                agency: Some("urenco".into()),
                deadline: Some(at(9)),
                screened_at: Some(at(2)),
                result_submitted_at: Some(at(5)),
                resolved_at: Some(at(6)),
                handled_on_time: Some(true),
                rating: Some(Rating::Acceptable),
                result: Some("Đã dọn, chở đi".into()),
            }),
        }
    }

    fn held_back() -> ExportedCase {
        ExportedCase {
            id: 8,
            status: CaseStatus::Rejected,
            rejection: Some(RejectReason::Inappropriate),
            published: None,
            ..handled()
        }
    }

    #[test]
    fn a_row_has_a_cell_for_every_column_of_the_header() {
        let row = csv_row(&handled(), "https://hientruong.example");
        assert_eq!(
            row,
            "7,true,2023-03-01T08:00:00+07:00,closed,web,environment,dong-hoi,accepted,,2023-03-01T09:00:00+07:00,\
             urenco,2023-03-01T16:00:00+07:00,2023-03-01T12:00:00+07:00,2023-03-01T13:00:00+07:00,true,acceptable,\
             \"Rác, ven sông\",Đống rác,,17.468900,106.622200,https://hientruong.example/cases/7,\"Đã dọn, chở đi\"\r\n"
        );
    }

    #[test]
    fn a_held_back_row_carries_only_what_it_is_counted_by() {
        let case = held_back();
        for column in ExportColumn::ALL {
            let value = cell(&case, column, "https://hientruong.example");
            assert_eq!(value == Cell::Empty, !column.counts_held_back_cases(), "{column:?}: {value:?}");
        }
        let row = csv_row(&case, "https://hientruong.example");
        assert_eq!(row, "8,false,2023-03-01T08:00:00+07:00,rejected,web,environment,dong-hoi,rejected,inappropriate,,,,,,,,,,,,,,\r\n");
        let feature: serde_json::Value = serde_json::from_str(&geojson_feature(&case, "x")).unwrap_or_default();
        assert_eq!(feature["geometry"], serde_json::Value::Null);
        assert_eq!(feature["properties"]["title"], serde_json::Value::Null);
        assert_eq!(feature["properties"]["published"], false);
    }

    #[test]
    fn features_carry_every_column_but_the_position_as_typed_properties() {
        let feature: serde_json::Value = serde_json::from_str(&geojson_feature(&handled(), "x")).unwrap_or_default();
        assert_eq!(feature["geometry"], json!({"type": "Point", "coordinates": [106.6222, 17.4689]}));
        let properties = feature["properties"].as_object().cloned().unwrap_or_default();
        let names: Vec<&str> = ExportColumn::ALL.iter().filter(|c| c.is_geojson_property()).map(|c| c.name()).collect();
        assert_eq!(
            properties.keys().map(String::as_str).collect::<std::collections::BTreeSet<_>>(),
            names.into_iter().collect()
        );
        assert_eq!(
            (&properties["id"], &properties["on_time"], &properties["rating"]),
            (&json!(7), &json!(true), &json!("acceptable"))
        );
        let opening = geojson_opening(&Licence::default());
        let whole: serde_json::Value = serde_json::from_str(&format!("{opening}]}}")).unwrap_or_default();
        assert_eq!(whole["license"]["url"], "https://creativecommons.org/licenses/by/4.0/");
    }

    #[test]
    fn csv_fields_with_separators_are_quoted() {
        assert_eq!(csv_field("Ổ gà"), "Ổ gà");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        assert_eq!(csv_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(csv_field("+84 905"), "'+84 905");
        assert_eq!(csv_field("-1+1"), "'-1+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\t=1"), "'\t=1");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        // Only the first character counts: a formula sign inside the text is ordinary text.
        assert_eq!(csv_field("Ổ gà = nguy hiểm"), "Ổ gà = nguy hiểm");
    }
}
