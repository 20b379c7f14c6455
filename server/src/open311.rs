//! Open311 GeoReport v2 under `/open311/v2/`: services, requests, tokens and discovery, in XML and JSON.

use crate::rest::{unavailable_message, RequestLang};
use crate::startup::AppState;
use app::auth::{new_secret, token_hash};
use app::i18n::{error_message, Lang};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use domain::case::{
    case_access, submitted_area, ActorRole, CaseAccess, CaseEvent, CaseStanding, CaseStatus, Channel, PublicCase,
};
use domain::catalogue::Category;
use domain::deadline::province_offset;
use domain::new_case::NewCaseInput;
use domain::validation::{Field, ValidationError};
use domain::workflow::{Actor, CaseFacts, Change};
use serde_json::{json, Map, Value};
use services::intake::{intake, IntakeError};
use services::rate_limits::{Counted, Limited};
use services::store::{CaseQuery, CaseSummary, Store, StoreError};
use services::ServerContext;
use std::collections::HashMap;

/// The jurisdiction this endpoint serves; requests naming another get 404.
pub const JURISDICTION: &str = "quangbinh.gov.vn";
const DEFAULT_LIMIT: u32 = 1000;
const MAX_RANGE_DAYS: i64 = 90;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/{file}", get(top_level).post(post_request))
        .route("/open311/v2/{kind}/{file}", get(nested))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xml,
    Json,
}

/// Splits `requests.json` into its name and format; anything but `.xml` and `.json` is unknown.
fn split(file: &str) -> Option<(&str, Format)> {
    let (name, extension) = file.rsplit_once('.')?;
    match extension {
        "xml" => Some((name, Format::Xml)),
        "json" => Some((name, Format::Json)),
        _ => None,
    }
}

/// An answer in the requested format: JSON as is, XML with `root` around repeated `item`s.
struct Answer {
    /// Seconds the caller must wait, sent as `Retry-After`.
    retry_after: Option<u32>,
    format: Format,
    status: StatusCode,
    root: &'static str,
    item: &'static str,
    body: Value,
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let retry_after = self.retry_after.and_then(|seconds| header::HeaderValue::from_str(&seconds.to_string()).ok());
        let mut response = match self.format {
            Format::Json => {
                (self.status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], self.body.to_string())
                    .into_response()
            }
            Format::Xml => {
                let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
                write_element(&mut xml, self.root, self.item, &self.body);
                (self.status, [(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response()
            }
        };
        if let Some(value) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// The element name of one entry of a list element: `attributes` holds `attribute`s.
fn singular(name: &str) -> &str {
    name.strip_suffix('s').unwrap_or(name)
}

fn write_element(xml: &mut String, name: &str, item: &str, value: &Value) {
    xml.push('<');
    xml.push_str(name);
    xml.push('>');
    match value {
        Value::Null => {}
        Value::Bool(b) => xml.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => xml.push_str(&n.to_string()),
        Value::String(s) => xml.push_str(&escape(s)),
        Value::Array(items) => {
            for entry in items {
                write_element(xml, item, singular(item), entry);
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                write_element(xml, key, singular(key), field);
            }
        }
    }
    xml.push_str("</");
    xml.push_str(name);
    xml.push('>');
}

fn errors(format: Format, status: StatusCode, messages: Vec<String>) -> Answer {
    let list =
        messages.into_iter().map(|description| json!({"code": status.as_u16(), "description": description})).collect();
    Answer { retry_after: None, format, status, root: "errors", item: "error", body: Value::Array(list) }
}

/// One message in the caller's language.
fn message_in(lang: Lang, vi: String, en: String) -> Vec<String> {
    vec![match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }]
}

fn not_found(format: Format, lang: Lang, what: &str) -> Answer {
    errors(
        format,
        StatusCode::NOT_FOUND,
        message_in(lang, format!("không tìm thấy {what}"), format!("{what} not found")),
    )
}

fn unavailable(format: Format, lang: Lang, error: StoreError) -> Answer {
    tracing::error!(%error, "Open311: storage failed");
    errors(format, StatusCode::SERVICE_UNAVAILABLE, vec![unavailable_message(lang).to_string()])
}

/// Integrators read errors in English unless they ask for Vietnamese.
fn language(asked: RequestLang) -> Lang {
    asked.or(Lang::En)
}

fn jurisdiction_ok(params: &HashMap<String, String>) -> bool {
    params.get("jurisdiction_id").is_none_or(|j| j.is_empty() || j == JURISDICTION)
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&province_offset()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn service(category: &Category) -> Value {
    json!({
        "service_code": category.code,
        "service_name": category.name_vi,
        "description": format!("{} / {}", category.name_vi, category.name_en),
        "metadata": false,
        "type": "realtime",
        "keywords": category.name_en.to_lowercase(),
        "group": "phan-anh-hien-truong",
    })
}

async fn top_level(
    State(state): State<AppState>,
    asked: RequestLang,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Answer {
    let lang = language(asked);
    let Some((name, format)) = split(&file) else { return not_found(Format::Xml, lang, "format") };
    if !jurisdiction_ok(&params) {
        return not_found(format, lang, "jurisdiction");
    }
    let store = state.context.store.as_ref();
    match name {
        "discovery" => Answer {
            retry_after: None,
            format,
            status: StatusCode::OK,
            root: "discovery",
            item: "endpoint",
            body: json!({
                "changeset": "2026-11-28T00:00:00+07:00",
                "contact": "Hệ thống phản ánh hiện trường tỉnh Quảng Bình",
                "key_service": "Xin khóa API từ quản trị viên hệ thống / Ask the system administrator for an API key",
                "endpoints": [{
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": format!("{}/open311/v2", state.public_url),
                    "changeset": "2026-11-28T00:00:00+07:00",
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }],
            }),
        },
        "services" => match store.categories().await {
            Ok(categories) => Answer {
                retry_after: None,
                format,
                status: StatusCode::OK,
                root: "services",
                item: "service",
                body: Value::Array(categories.iter().filter(|c| c.active).map(service).collect()),
            },
            Err(error) => unavailable(format, lang, error),
        },
        "requests" => list_requests(store, format, lang, &params, &state.public_url).await,
        _ => not_found(format, lang, "endpoint"),
    }
}

async fn nested(
    State(state): State<AppState>,
    asked: RequestLang,
    Path((kind, file)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Answer {
    let lang = language(asked);
    let Some((name, format)) = split(&file) else { return not_found(Format::Xml, lang, "format") };
    if !jurisdiction_ok(&params) {
        return not_found(format, lang, "jurisdiction");
    }
    let store = state.context.store.as_ref();
    match kind.as_str() {
        "services" => match store.categories().await {
            Ok(categories) => match categories.iter().find(|c| c.active && c.code == name) {
                Some(category) => Answer {
                    retry_after: None,
                    format,
                    status: StatusCode::OK,
                    root: "service_definition",
                    item: "attribute",
                    body: json!({"service_code": category.code, "attributes": []}),
                },
                None => not_found(format, lang, "service"),
            },
            Err(error) => unavailable(format, lang, error),
        },
        "requests" => {
            let Ok(id) = name.parse::<i64>() else { return not_found(format, lang, "request") };
            let extensions = params.get("extensions").is_some_and(|v| v == "true");
            let agencies = match store.agencies().await {
                Ok(agencies) => agencies,
                Err(error) => return unavailable(format, lang, error),
            };
            match request_of(store, id, &agencies, extensions, &state.public_url).await {
                Ok(Some(request)) => requests_answer(format, vec![request]),
                Ok(None) => not_found(format, lang, "request"),
                Err(error) => unavailable(format, lang, error),
            }
        }
        "tokens" => match store.case_for_key(name).await {
            Ok(Some(id)) => Answer {
                retry_after: None,
                format,
                status: StatusCode::OK,
                root: "service_requests",
                item: "request",
                body: json!([{"service_request_id": id.to_string(), "token": name}]),
            },
            Ok(None) => not_found(format, lang, "token"),
            Err(error) => unavailable(format, lang, error),
        },
        _ => not_found(format, lang, "endpoint"),
    }
}

fn requests_answer(format: Format, requests: Vec<Value>) -> Answer {
    Answer {
        retry_after: None,
        format,
        status: StatusCode::OK,
        root: "service_requests",
        item: "request",
        body: Value::Array(requests),
    }
}

/// Open311 knows two states: open (still being worked) and closed (resolved, closed or rejected).
fn open311_status(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Submitted | CaseStatus::Assigned | CaseStatus::InProgress | CaseStatus::ResultReview => "open",
        CaseStatus::Resolved | CaseStatus::Closed | CaseStatus::Rejected => "closed",
    }
}

/// One request as Open311 shows it, built from the public view and the facts of the case's events.
/// `agencies` is read once per answer, not once per request.
async fn request_of(
    store: &dyn Store,
    id: i64,
    agencies: &[domain::catalogue::Agency],
    extensions: bool,
    public_url: &str,
) -> Result<Option<Value>, StoreError> {
    let events = store.case_events(id).await?;
    let Some((facts, events)) = publishable(events)? else { return Ok(None) };
    let Some(case) = store.public_case(id).await? else { return Ok(None) };
    Ok(Some(request_value(&case, &facts, &events, agencies, extensions, public_url)))
}

/// A page of requests, read in one query per table whatever its length: the cases' events, then
/// the public view of those the public may see.
async fn requests_of(
    store: &dyn Store,
    cases: &[CaseSummary],
    agencies: &[domain::catalogue::Agency],
    extensions: bool,
    public_url: &str,
) -> Result<Vec<Value>, StoreError> {
    let ids: Vec<i64> = cases.iter().map(|case| case.id).collect();
    let mut events_by_case = store.events_of_cases(&ids).await?;
    let mut shown = Vec::with_capacity(ids.len());
    for id in &ids {
        if let Some(publishable) = publishable(events_by_case.remove(id).unwrap_or_default())? {
            shown.push((*id, publishable));
        }
    }
    let shown_ids: Vec<i64> = shown.iter().map(|(id, _)| *id).collect();
    let mut public: HashMap<i64, PublicCase> =
        store.public_cases(&shown_ids).await?.into_iter().map(|case| (case.id, case)).collect();
    Ok(shown
        .into_iter()
        .filter_map(|(id, (facts, events))| {
            let case = public.remove(&id)?;
            Some(request_value(&case, &facts, &events, agencies, extensions, public_url))
        })
        .collect())
}

/// A case's facts and events, if the public may see it: Open311 answers the public, and a case
/// held back from it answers as a missing one.
fn publishable(events: Vec<CaseEvent>) -> Result<Option<(CaseFacts, Vec<CaseEvent>)>, StoreError> {
    if events.is_empty() {
        return Ok(None);
    }
    let facts = CaseFacts::from_events(&events).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let standing = CaseStanding::of(&facts, submitted_area(&events));
    if case_access(None, false, &standing) == CaseAccess::Hidden {
        return Ok(None);
    }
    Ok(Some((facts, events)))
}

fn request_value(
    case: &PublicCase,
    facts: &CaseFacts,
    events: &[domain::case::CaseEvent],
    agencies: &[domain::catalogue::Agency],
    extensions: bool,
    public_url: &str,
) -> Value {
    let rejection = events.iter().rev().find_map(|e| match &e.change {
        Change::Rejected { reason, explanation, .. } => Some((reason.as_str(), explanation.clone())),
        _ => None,
    });
    let status_notes = rejection
        .as_ref()
        .map(|(_, explanation)| explanation.clone())
        .or_else(|| case.timeline.iter().rev().find_map(|e| e.note.clone()));
    let agency = facts
        .lead_agency
        .as_ref()
        .map(|code| agencies.iter().find(|a| &a.code == code).map(|a| a.name.clone()).unwrap_or_else(|| code.clone()));
    let updated = events.last().map(|e| e.occurred_at).unwrap_or(case.submitted_at);
    let mut request = Map::new();
    request.insert("service_request_id".into(), json!(case.id.to_string()));
    request.insert("status".into(), json!(open311_status(case.status)));
    request.insert("status_notes".into(), json!(status_notes));
    request.insert("service_name".into(), json!(case.category_name_vi));
    request.insert("service_code".into(), json!(case.category_code));
    request.insert("description".into(), json!(case.description));
    request.insert("agency_responsible".into(), json!(agency));
    request.insert("service_notice".into(), json!(null));
    request.insert("requested_datetime".into(), json!(local(case.submitted_at)));
    request.insert("updated_datetime".into(), json!(local(updated)));
    request.insert("expected_datetime".into(), json!(facts.deadline.map(local)));
    request.insert("address".into(), json!(case.address));
    request.insert("address_id".into(), json!(null));
    request.insert("zipcode".into(), json!(null));
    request.insert("lat".into(), json!(case.lat));
    request.insert("long".into(), json!(case.lon));
    // Only the photos the public case page shows, as absolute addresses.
    let media_urls: Vec<String> =
        case.photos.iter().map(|p| format!("{}{}", public_url.trim_end_matches('/'), p.display_url)).collect();
    request.insert("media_url".into(), json!(media_urls.first()));
    if extensions {
        let notes: Vec<Value> = case
            .timeline
            .iter()
            .map(|e| {
                json!({
                    "datetime": local(e.occurred_at),
                    "description": e.note.clone().unwrap_or_else(|| e.to_status.as_str().to_string()),
                    "type": e.kind.as_str(),
                })
            })
            .collect();
        request.insert(
            "extended_attributes".into(),
            json!({
                "detailed_status": case.status.as_str(),
                "reject_reason": rejection.map(|(reason, _)| reason),
                "channel": case.channel.as_str(),
                "media_urls": media_urls,
                "notes": notes,
                // "Me too": how many support the case, and the original a merged duplicate points to.
                "supporters": case.supporters,
                "duplicate_of": case.merged_into,
            }),
        );
    }
    Value::Object(request)
}

/// An ISO 8601 time with its zone. A `+` that a client left unencoded arrives as a space; it is
/// read back as the `+` it was.
fn parse_time(raw: &str) -> Option<DateTime<Utc>> {
    let text = raw.trim();
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc3339(&text.replacen(' ', "+", 1)))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

async fn list_requests(
    store: &dyn Store,
    format: Format,
    lang: Lang,
    params: &HashMap<String, String>,
    public_url: &str,
) -> Answer {
    let bad = |vi: String, en: String| errors(format, StatusCode::BAD_REQUEST, message_in(lang, vi, en));
    let list = |name: &str| {
        params
            .get(name)
            .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect::<Vec<_>>())
    };
    let extensions = params.get("extensions").is_some_and(|v| v == "true");
    let page_size = match params.get("page_size").map(|v| v.parse::<u32>()) {
        None => DEFAULT_LIMIT,
        Some(Ok(size)) if (1..=DEFAULT_LIMIT).contains(&size) => size,
        Some(_) => {
            return bad(
                format!("page_size phải là số nguyên từ 1 đến {DEFAULT_LIMIT}"),
                format!("page_size must be a whole number from 1 to {DEFAULT_LIMIT}"),
            )
        }
    };
    let page = match params.get("page").map(|v| v.parse::<u32>()) {
        None => 1,
        Some(Ok(page)) if page >= 1 => page,
        Some(_) => {
            return bad("page phải là số nguyên từ 1 trở lên".into(), "page must be a whole number from 1".into())
        }
    };
    let Some(offset) = page_offset(page, page_size) else {
        return bad("page quá lớn".into(), "page is too large".into());
    };
    // The `q` extension: words the listed requests' text holds, as the exports take them.
    let words = match domain::search::filter_words(params.get("q").map(String::as_str).unwrap_or_default()) {
        Ok(words) => words,
        Err(_) => {
            let max = domain::search::SearchQuery::MAX_CHARS;
            return bad(format!("q dài tối đa {max} ký tự"), format!("q may be at most {max} characters long"));
        }
    };
    let now = Utc::now();
    let query = if let Some(ids) = list("service_request_id") {
        if ids.len() > page_size as usize {
            return bad(
                format!("service_request_id chỉ được liệt kê tối đa {page_size} số phản ánh"),
                format!("service_request_id may list at most {page_size} request numbers"),
            );
        }
        // A list of ids overrides every other filter.
        let Ok(ids) = ids.iter().map(|id| id.parse::<i64>()).collect::<Result<Vec<_>, _>>() else {
            return bad(
                "service_request_id phải là danh sách số phản ánh, cách nhau bằng dấu phẩy".into(),
                "service_request_id must be a comma-separated list of request numbers".into(),
            );
        };
        CaseQuery::Submitted {
            ids: Some(ids),
            categories: None,
            statuses: None,
            // Not MIN_UTC/MAX_UTC: SQLite compares times as RFC 3339 text, where their signed
            // six-digit years sort before "2026", and PostgreSQL's timestamps cannot hold them.
            from: DateTime::<Utc>::UNIX_EPOCH,
            to: now + Duration::days(36_500),
            offset: 0,
            public_only: true,
            words: Vec::new(),
        }
    } else {
        let time = |name: &str| match params.get(name) {
            Some(raw) => parse_time(raw).map(Some).ok_or_else(|| {
                bad(
                    format!("{name} phải là ngày giờ ISO 8601 kèm múi giờ"),
                    format!("{name} must be an ISO 8601 date and time with a time zone"),
                )
            }),
            None => Ok(None),
        };
        let (start, end) = match (time("start_date"), time("end_date")) {
            (Ok(start), Ok(end)) => (start, end),
            (Err(refusal), _) | (_, Err(refusal)) => return refusal,
        };
        let (from, to) = match (start, end) {
            (Some(from), Some(to)) => (from, to),
            (Some(from), None) => (from, from + Duration::days(MAX_RANGE_DAYS)),
            (None, Some(to)) => (to - Duration::days(MAX_RANGE_DAYS), to),
            // Exactly the 90 days up to now (and the second in progress), within the limit below.
            (None, None) => {
                let to = now + Duration::seconds(1);
                (to - Duration::days(MAX_RANGE_DAYS), to)
            }
        };
        if to < from {
            return bad("end_date trước start_date".into(), "end_date is before start_date".into());
        }
        if to - from > Duration::days(MAX_RANGE_DAYS) {
            return bad(
                format!("start_date và end_date cách nhau tối đa {MAX_RANGE_DAYS} ngày"),
                format!("start_date and end_date may be at most {MAX_RANGE_DAYS} days apart"),
            );
        }
        let statuses = match list("status") {
            None => None,
            Some(names) => {
                let mut statuses = Vec::new();
                for name in names {
                    match name.as_str() {
                        "open" => statuses.extend([
                            CaseStatus::Submitted,
                            CaseStatus::Assigned,
                            CaseStatus::InProgress,
                            CaseStatus::ResultReview,
                        ]),
                        "closed" => statuses.extend([CaseStatus::Resolved, CaseStatus::Closed, CaseStatus::Rejected]),
                        other => {
                            return bad(
                                format!("status phải là open hoặc closed, không phải {other:?}"),
                                format!("status must be open or closed, not {other:?}"),
                            )
                        }
                    }
                }
                Some(statuses)
            }
        };
        CaseQuery::Submitted {
            ids: None,
            categories: list("service_code"),
            statuses,
            from,
            to,
            offset,
            public_only: true,
            words,
        }
    };
    let cases = match store.list_cases(&query, page_size).await {
        Ok(cases) => cases,
        Err(error) => return unavailable(format, lang, error),
    };
    let agencies = match store.agencies().await {
        Ok(agencies) => agencies,
        Err(error) => return unavailable(format, lang, error),
    };
    let requests = match requests_of(store, &cases, &agencies, extensions, public_url).await {
        Ok(requests) => requests,
        Err(error) => return unavailable(format, lang, error),
    };
    requests_answer(format, requests)
}

/// Where page `page` (from 1) of `page_size` requests starts; checked, so that a huge page number
/// is refused instead of wrapping round to an early page.
fn page_offset(page: u32, page_size: u32) -> Option<u32> {
    page.checked_sub(1)?.checked_mul(page_size)
}

/// A title for a report that came without one: its description's first line, shortened.
fn title_from(description: &str, service_name: &str) -> String {
    let first_line = description.trim().lines().next().unwrap_or_default().trim();
    let title: String = first_line.chars().take(120).collect();
    if title.chars().count() >= 5 {
        title
    } else {
        service_name.to_string()
    }
}

/// Only holders of an API key in force may post; the key is checked before anything else is read.
async fn post_request(
    State(state): State<AppState>,
    asked: RequestLang,
    Path(file): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Answer {
    let lang = language(asked);
    let Some(("requests", format)) = split(&file) else { return not_found(Format::Xml, lang, "endpoint") };
    let params: HashMap<String, String> = form.into_iter().collect();
    let context: &ServerContext = &state.context;
    let store = context.store.as_ref();
    let key = params.get("api_key").map(String::as_str).unwrap_or_default();
    match store.active_api_key(&token_hash(key)).await {
        Ok(Some(api_key)) if !key.is_empty() => {
            // Each integrator's key has its own allowance, wherever its requests come from.
            if let Err(wait) = context.count(Limited::Open311Post, Counted::ApiKey(api_key.id)) {
                tracing::warn!(api_key = api_key.id, "API key rate limit reached");
                let retry_after_seconds = wait.as_secs().max(1);
                let message = app::i18n::too_many_requests(lang, retry_after_seconds);
                let refusal = errors(format, StatusCode::TOO_MANY_REQUESTS, vec![message]);
                return Answer { retry_after: Some(u32::try_from(retry_after_seconds).unwrap_or(u32::MAX)), ..refusal };
            }
        }
        Ok(_) => {
            let refusal = message_in(
                lang,
                "api_key bị thiếu, không đúng hoặc đã bị thu hồi".into(),
                "api_key is missing, unknown or revoked".into(),
            );
            return errors(format, StatusCode::FORBIDDEN, refusal);
        }
        Err(error) => return unavailable(format, lang, error),
    }
    if !jurisdiction_ok(&params) {
        return not_found(format, lang, "jurisdiction");
    }
    let categories = match store.categories().await {
        Ok(categories) => categories,
        Err(error) => return unavailable(format, lang, error),
    };
    let code = params.get("service_code").map(String::as_str).unwrap_or_default();
    let Some(category) = categories.iter().find(|c| c.active && c.code == code) else {
        return not_found(format, lang, "service_code");
    };
    let coordinate = |name: &str| params.get(name).map(|v| v.trim().parse::<f64>());
    let (lat, lon) = match (coordinate("lat"), coordinate("long")) {
        (Some(Ok(lat)), Some(Ok(lon))) => (Some(lat), Some(lon)),
        (None, None) if params.contains_key("address_string") || params.contains_key("address_id") => {
            let refusal = message_in(
                lang,
                "lat/long: nơi này cần vị trí (lat và long); chỉ có địa chỉ thì không định vị được".into(),
                "lat/long: this jurisdiction needs the position (lat and long), an address alone cannot be placed"
                    .into(),
            );
            return errors(format, StatusCode::BAD_REQUEST, refusal);
        }
        (None, None) => (None, None),
        _ => {
            let message =
                error_message(lang, &ValidationError::new(Field::Location, domain::validation::Reason::NotFinite));
            return errors(format, StatusCode::BAD_REQUEST, vec![format!("lat/long: {message}")]);
        }
    };
    let description = params.get("description").cloned().unwrap_or_default();
    let submission_key = format!("o311-{}", &new_secret()[..32]);
    let name = [params.get("first_name"), params.get("last_name")]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let input = NewCaseInput {
        submission_key: submission_key.clone(),
        category: category.code.clone(),
        title: title_from(&description, &category.name_vi),
        description,
        lat,
        lon,
        reporter_name: name,
        reporter_phone: params.get("phone").cloned().unwrap_or_default(),
        reporter_email: params.get("email").cloned().unwrap_or_default(),
        address: params.get("address_string").cloned().unwrap_or_default(),
        photos: Vec::new(),
    };
    match intake(store, &input, Channel::Api, &Actor::new(ActorRole::Anonymous), Utc::now(), Default::default()).await {
        Ok(stored) => Answer {
            retry_after: None,
            format,
            status: StatusCode::OK,
            root: "service_requests",
            item: "request",
            body: json!([{
                "service_request_id": stored.id.to_string(),
                "token": submission_key,
                "service_notice": "Phản ánh đã được tiếp nhận vào hệ thống và đang chờ cán bộ điều phối xem xét.",
                "account_id": null,
            }]),
        },
        Err(IntakeError::Invalid(found)) => {
            let messages = found
                .iter()
                .map(|error| {
                    let field = match error.field {
                        Field::Location => "lat/long",
                        Field::ReporterName => "first_name/last_name",
                        Field::ReporterPhone => "phone",
                        Field::ReporterEmail => "email",
                        Field::Address => "address_string",
                        Field::Title | Field::Description => "description",
                        other => other.as_str(),
                    };
                    format!("{field}: {}", error_message(lang, error))
                })
                .collect();
            errors(format, StatusCode::BAD_REQUEST, messages)
        }
        Err(IntakeError::Store(error)) => unavailable(format, lang, error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_page_starts_exactly_where_its_number_says_or_is_refused(page in any::<u32>(), page_size in 1..=DEFAULT_LIMIT) {
            let exact = u64::from(page).checked_sub(1).map(|before| before * u64::from(page_size));
            let expected = exact.and_then(|offset| u32::try_from(offset).ok());
            prop_assert_eq!(page_offset(page, page_size), expected);
        }
    }

    #[test]
    fn the_page_that_used_to_wrap_round_is_refused() {
        assert_eq!(page_offset(2_147_483_649, 2), None);
        assert_eq!(page_offset(1, DEFAULT_LIMIT), Some(0));
        assert_eq!(page_offset(0, 10), None);
    }

    #[test]
    fn lists_become_repeated_elements_and_text_is_escaped() {
        let mut xml = String::new();
        write_element(&mut xml, "errors", "error", &json!([{"code": 400, "description": "a < b & \"c\""}]));
        assert_eq!(
            xml,
            "<errors><error><code>400</code><description>a &lt; b &amp; &quot;c&quot;</description></error></errors>"
        );
        let mut nested = String::new();
        write_element(&mut nested, "service_definition", "attribute", &json!({"service_code": "x", "attributes": []}));
        assert_eq!(
            nested,
            "<service_definition><service_code>x</service_code><attributes></attributes></service_definition>"
        );
    }

    #[test]
    fn formats_come_from_the_suffix() {
        assert_eq!(split("services.xml"), Some(("services", Format::Xml)));
        assert_eq!(split("requests.json"), Some(("requests", Format::Json)));
        assert_eq!(split("requests.csv"), None);
        assert_eq!(split("requests"), None);
    }

    #[test]
    fn times_need_a_zone_and_survive_an_unencoded_plus() {
        let expected = parse_time("2023-01-05T00:00:00+07:00");
        assert!(expected.is_some());
        assert_eq!(parse_time("2023-01-05T00:00:00 07:00"), expected);
        assert_eq!(parse_time("2023-01-05T00:00:00"), None);
    }

    #[test]
    fn titles_come_from_the_description() {
        assert_eq!(title_from("Ổ gà lớn trước số 12\nchi tiết", "Giao thông"), "Ổ gà lớn trước số 12");
        assert_eq!(title_from("ngắn", "Giao thông"), "Giao thông");
    }
}
