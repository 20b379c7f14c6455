//! The public data API under `/api/v1`: statistics of a period, agencies' and areas' scorecards,
//! and streamed exports of cases, public fields only.

use crate::rest::{ApiError, RequestLang};
use crate::startup::AppState;
use app::i18n::Lang;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{NaiveDate, SecondsFormat, Utc};
use domain::case::CaseStatus;
use domain::deadline::province_offset;
use domain::statistics::{parse_day, Period, ScorecardKind};
use domain::validation::{Field, Reason, ValidationError};
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
struct ExportParams {
    status: Option<String>,
    category: Option<String>,
    agency: Option<String>,
    area: Option<String>,
    from: Option<String>,
    to: Option<String>,
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
async fn export_filter(context: &ServerContext, params: &ExportParams, lang: Lang) -> Result<CaseFilter, ApiError> {
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
    let store = context.store.as_ref();
    let known = |ok: bool, field, reason| if ok { None } else { Some(ValidationError::new(field, reason)) };
    match (store.categories().await, store.agencies().await, store.areas().await) {
        (Ok(known_categories), Ok(agencies), Ok(areas)) => {
            let unknown_category = categories.iter().any(|code| !known_categories.iter().any(|c| &c.code == code));
            errors.extend(known(!unknown_category, Field::Category, Reason::UnknownCategory));
            let agency_ok = params.agency.as_deref().is_none_or(|code| agencies.iter().any(|a| a.code == code));
            errors.extend(known(agency_ok, Field::Agency, Reason::UnknownAgency));
            let area_ok = params.area.as_deref().is_none_or(|code| areas.iter().any(|a| a.code == code));
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
    if !errors.is_empty() {
        return Err(ApiError::invalid(lang, errors));
    }
    let whole_days = |from: NaiveDate, to: NaiveDate| Period { from, to };
    Ok(CaseFilter {
        statuses,
        categories,
        agency: params.agency.clone().filter(|a| !a.is_empty()),
        area: params.area.clone().filter(|a| !a.is_empty()),
        from: from.map(|day| whole_days(day, day).start()),
        to: to.map(|day| whole_days(day, day).end()),
        public_only: true,
    })
}

/// Rows each page of an export reads: small enough to keep memory flat at any size.
const EXPORT_PAGE: u32 = 1_000;

#[derive(Debug, Clone, Copy)]
enum ExportFormat {
    Csv,
    GeoJson,
}

const CSV_HEADER: &str =
    "id,submitted_at,status,channel,category,area,agency,title,description,lat,lon,deadline,url\r\n";

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

fn local_time(at: chrono::DateTime<Utc>) -> String {
    at.with_timezone(&province_offset()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn csv_row(case: &ExportedCase, public_url: &str) -> String {
    let fields = [
        case.id.to_string(),
        local_time(case.submitted_at),
        case.status.as_str().to_string(),
        case.channel.as_str().to_string(),
        csv_field(&case.category),
        csv_field(case.area.as_deref().unwrap_or_default()),
        csv_field(case.agency.as_deref().unwrap_or_default()),
        csv_field(&case.title),
        csv_field(&case.description),
        format!("{:.6}", case.lat),
        format!("{:.6}", case.lon),
        case.deadline.map(local_time).unwrap_or_default(),
        format!("{public_url}/cases/{}", case.id),
    ];
    let mut row = fields.join(",");
    row.push_str("\r\n");
    row
}

fn geojson_feature(case: &ExportedCase, public_url: &str) -> String {
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [case.lon, case.lat]},
        "properties": {
            "id": case.id,
            "submitted_at": local_time(case.submitted_at),
            "status": case.status.as_str(),
            "channel": case.channel.as_str(),
            "category": case.category,
            "area": case.area,
            "agency": case.agency,
            "title": case.title,
            "description": case.description,
            "deadline": case.deadline.map(local_time),
            "url": format!("{public_url}/cases/{}", case.id),
        },
    })
    .to_string()
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
) -> impl futures_util::Stream<Item = Result<String, std::io::Error>> {
    let start = ExportCursor { after: 0, written: false };
    futures_util::stream::unfold(Some(start), move |cursor| {
        let (store, filter, public_url) = (store.clone(), filter.clone(), public_url.clone());
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
                chunk.push_str(match format {
                    // The byte-order mark makes spreadsheets read the file as UTF-8.
                    ExportFormat::Csv => "\u{FEFF}",
                    ExportFormat::GeoJson => "{\"type\":\"FeatureCollection\",\"features\":[",
                });
                if let ExportFormat::Csv = format {
                    chunk.push_str(CSV_HEADER);
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
    let body = Body::from_stream(export_stream(state.context.store.clone(), filter, format, public_url));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
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
