//! The open data reproduces the published figures: every statistic of a period, of an area and of
//! an agency, recomputed from `GET /api/v1/cases.csv` alone by the rules the data dictionary
//! states, equals what `GET /api/v1/stats` answers. The dictionary lists every column, and the
//! exports name their licence.

use crate::helpers::{spawn_app_configured, spawn_app_with, valid_report, ExportRow, TestApp};
use app::cases::ChangeRequest;
use chrono::{DateTime, Days, SecondsFormat, Utc};
use domain::case::ActorRole;
use domain::deadline::province_offset;
use domain::open_data::Licence;
use domain::workflow::{Rating, RejectReason};
use hientruong::demo::DemoDataset;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The Đồng Hới pilot's period.
const PILOT: &str = "from=2022-11-01&to=2023-06-30";
const IN_QUANG_NINH: (f64, f64) = (17.22, 106.55);
const IN_HUE: (f64, f64) = (16.4637, 107.5909);

#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Tally {
    received: u64,
    accepted: u64,
    handled: u64,
}

/// One agency's figures, as a `by_agency` row carries them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct AgencyFigures {
    received: u64,
    handled: u64,
    on_time: u64,
    late: u64,
    overdue_now: u64,
    /// Satisfied, acceptable, unsatisfied.
    ratings: [u64; 3],
}

/// Every figure of the statistics that the case rows decide.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Figures {
    received: u64,
    accepted: u64,
    rejected: u64,
    rejected_by_reason: BTreeMap<String, u64>,
    handled: u64,
    on_time: u64,
    late: u64,
    ratings: [u64; 3],
    by_category: BTreeMap<String, Tally>,
    by_month: BTreeMap<String, Tally>,
    by_agency: BTreeMap<String, AgencyFigures>,
    agencies_participating: u64,
}

fn rating_slot(rating: &str) -> Option<usize> {
    ["satisfied", "acceptable", "unsatisfied"].iter().position(|r| *r == rating)
}

fn time(raw: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(raw).unwrap_or_else(|e| panic!("an RFC 3339 time: {raw}: {e}")).with_timezone(&Utc)
}

/// The figures, by the data dictionary's rules, from the export's rows alone.
fn recompute(rows: &[ExportRow], now: DateTime<Utc>) -> Figures {
    let mut figures = Figures {
        rejected_by_reason: RejectReason::ALL.iter().map(|r| (r.as_str().to_string(), 0)).collect(),
        ..Figures::default()
    };
    for row in rows {
        let accepted = row["decision"] == "accepted";
        let rejected = row["decision"] == "rejected";
        let handled = !row["resolved_at"].is_empty();
        // The dictionary's rule: a handled row, and only one, says whether it was on time.
        assert_eq!(handled, !row["on_time"].is_empty(), "case {}: on_time exactly when handled", row["id"]);
        let on_time = row["on_time"] == "true";
        let rating = if handled { rating_slot(&row["rating"]) } else { None };
        figures.received += 1;
        figures.accepted += u64::from(accepted);
        figures.rejected += u64::from(rejected);
        if rejected {
            *figures.rejected_by_reason.entry(row["rejection_reason"].clone()).or_default() += 1;
        }
        figures.handled += u64::from(handled);
        figures.on_time += u64::from(on_time);
        figures.late += u64::from(row["on_time"] == "false");
        if let Some(slot) = rating {
            figures.ratings[slot] += 1;
        }
        // Times are written in the province's time, so their first seven characters are its month.
        let month = row["submitted_at"].get(..7).unwrap_or_default().to_string();
        for tally in [
            figures.by_category.entry(row["category"].clone()).or_default(),
            figures.by_month.entry(month).or_default(),
        ] {
            tally.received += 1;
            tally.accepted += u64::from(accepted);
            tally.handled += u64::from(handled);
        }
        if accepted {
            let agency = figures.by_agency.entry(row["agency"].clone()).or_default();
            agency.received += 1;
            agency.handled += u64::from(handled);
            agency.on_time += u64::from(on_time);
            agency.late += u64::from(row["on_time"] == "false");
            let open = matches!(row["status"].as_str(), "assigned" | "in_progress");
            agency.overdue_now += u64::from(open && !row["deadline"].is_empty() && time(&row["deadline"]) < now);
            if let Some(slot) = rating {
                agency.ratings[slot] += 1;
            }
        }
    }
    figures.agencies_participating = figures.by_agency.len() as u64;
    figures
}

fn count(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("a count: {value}"))
}

fn ratings_of(value: &Value) -> [u64; 3] {
    [count(&value["satisfied"]), count(&value["acceptable"]), count(&value["unsatisfied"])]
}

fn agency_figures(row: &Value) -> AgencyFigures {
    AgencyFigures {
        received: count(&row["received"]),
        handled: count(&row["handled"]),
        on_time: count(&row["on_time"]),
        late: count(&row["late"]),
        overdue_now: count(&row["overdue_now"]),
        ratings: ratings_of(&row["ratings"]),
    }
}

/// The same figures as `GET /api/v1/stats` answered them; months and categories without a case
/// are left out, as the rows have none to count.
fn published(stats: &Value) -> Figures {
    let rows = |name: &str| stats[name].as_array().unwrap_or_else(|| panic!("{name} rows: {stats}")).clone();
    let tallies = |name: &str, key: &str| -> BTreeMap<String, Tally> {
        rows(name)
            .iter()
            .filter(|row| count(&row["received"]) > 0)
            .map(|row| {
                let tally = Tally {
                    received: count(&row["received"]),
                    accepted: count(&row["accepted"]),
                    handled: count(&row["handled"]),
                };
                (row[key].as_str().unwrap_or_default().to_string(), tally)
            })
            .collect()
    };
    Figures {
        received: count(&stats["received"]),
        accepted: count(&stats["accepted"]),
        rejected: count(&stats["rejected"]),
        rejected_by_reason: stats["rejected_by_reason"]
            .as_object()
            .expect("reasons")
            .iter()
            .map(|(reason, n)| (reason.clone(), count(n)))
            .collect(),
        handled: count(&stats["handled"]),
        on_time: count(&stats["on_time"]),
        late: count(&stats["late"]),
        ratings: ratings_of(&stats["ratings"]),
        by_category: tallies("by_category", "code"),
        by_month: tallies("by_month", "month"),
        by_agency: rows("by_agency")
            .iter()
            .map(|row| (row["code"].as_str().unwrap_or_default().to_string(), agency_figures(row)))
            .collect(),
        agencies_participating: count(&stats["agencies_participating"]),
    }
}

async fn stats(app: &TestApp, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/stats?{query}")).await;
    assert_eq!(response.status().as_u16(), 200, "stats?{query}");
    response.json().await.expect("statistics are JSON")
}

async fn rows(app: &TestApp, query: &str) -> Vec<ExportRow> {
    app.csv_export(&format!("/api/v1/cases.csv?{query}"), "").await.1
}

/// Asserts that the figures for `query` recomputed from the CSV equal the statistics'. The
/// statistics follow new events within a second, so a fresh change is waited for that long.
async fn assert_reproduced(app: &TestApp, query: &str) -> (Vec<ExportRow>, Value) {
    let mut attempts = 1;
    loop {
        let rows = rows(app, query).await;
        let stats = stats(app, query).await;
        let recomputed = recompute(&rows, Utc::now());
        if recomputed == published(&stats) || attempts == 30 {
            assert_eq!(recomputed, published(&stats), "the CSV reproduces the statistics for {query}");
            return (rows, stats);
        }
        attempts += 1;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Asserts that `agency`'s row in the statistics for `period` is recomputed from the CSV of that
/// period, and that the export's own agency filter gives the same rows.
async fn assert_agency_reproduced(app: &TestApp, period: &str, agency: &str) {
    let (rows, stats) = assert_reproduced(app, period).await;
    let row = stats["by_agency"]
        .as_array()
        .and_then(|rows| rows.iter().find(|row| row["code"] == agency))
        .unwrap_or_else(|| panic!("{agency} has a row: {stats}"));
    let recomputed = recompute(&rows, Utc::now());
    assert_eq!(recomputed.by_agency.get(agency), Some(&agency_figures(row)), "{agency}'s row");
    let filtered = self::rows(app, &format!("{period}&agency={agency}")).await;
    let ids = |rows: &[ExportRow]| rows.iter().map(|row| row["id"].clone()).collect::<Vec<_>>();
    let routed: Vec<ExportRow> =
        rows.iter().filter(|row| row["agency"] == agency && row["decision"] == "accepted").cloned().collect();
    assert_eq!(ids(&filtered), ids(&routed), "agency={agency} exports exactly its accepted cases");
    let alone = recompute(&filtered, Utc::now());
    assert_eq!(alone.by_agency.len(), 1);
    assert_eq!(alone.by_agency.get(agency), Some(&agency_figures(row)), "{agency}'s row from its own export");
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&province_offset()).to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn report_at(key: &str, (lat, lon): (f64, f64)) -> Value {
    let mut report = valid_report(key);
    report["lat"] = json!(lat);
    report["lon"] = json!(lon);
    report
}

/// The cases of today: in two areas and out of area, routed to two agencies, one waiting for
/// screening, one returned to it, rejected for several reasons (one as inappropriate), one being
/// handled, one handled on time after an extension and rated, one handled and not rated.
struct Today {
    unscreened: i64,
    inappropriate: i64,
    returned: i64,
    rated: i64,
    rated_deadline: DateTime<Utc>,
}

async fn today_s_cases(app: &TestApp) -> Today {
    let admin = app.signed_in("quantri.od", ActorRole::Admin, None).await;
    app.roll_out_quang_ninh(&admin).await;
    let coordinator = app.signed_in("dieuphoi.od", ActorRole::Coordinator, None).await;
    let urenco = app.signed_in("xuly.od.urenco", ActorRole::Officer, Some("urenco")).await;
    let quang_ninh = app.signed_in("xuly.od.qn", ActorRole::Officer, Some("ubnd-quang-ninh")).await;
    let citizen = app.signed_in("dan.od", ActorRole::Citizen, None).await;
    let submit = |key: &'static str, at: (f64, f64)| {
        let citizen = citizen.clone();
        async move { app.submit_case_as(&report_at(key, at), &citizen).await }
    };
    let dong_hoi = (17.4689, 106.6222);
    let reject = |reason, duplicate_of| ChangeRequest::Reject { reason, duplicate_of, explanation: "Lý do.".into() };

    let unscreened = submit("key-od-unscreened", dong_hoi).await;
    submit("key-od-qn-unscreened", IN_QUANG_NINH).await;
    let inappropriate = submit("key-od-inappropriate", dong_hoi).await;
    app.change_ok(&coordinator, inappropriate, 1, &reject(RejectReason::Inappropriate, None)).await;
    let outside = submit("key-od-outside", IN_HUE).await;
    app.change_ok(&coordinator, outside, 1, &reject(RejectReason::OutOfArea, None)).await;

    let accept = |agency: &str| ChangeRequest::Accept { agency: agency.into() };
    let returned = submit("key-od-returned", dong_hoi).await;
    let facts = app.change_ok(&coordinator, returned, 1, &accept("urenco")).await;
    app.change_ok(&urenco, returned, facts.version, &ChangeRequest::Return { reason: "Không thuộc đơn vị.".into() })
        .await;

    let result = || ChangeRequest::SubmitResult { summary: "Đã xử lý xong.".into(), photos: Vec::new() };
    let rated = submit("key-od-rated", dong_hoi).await;
    let facts = app.change_ok(&coordinator, rated, 1, &accept("urenco")).await;
    let facts = app.change_ok(&urenco, rated, facts.version, &ChangeRequest::Acknowledge).await;
    let extension = ChangeRequest::RequestExtension { days: 3, reason: "Chờ xe chuyên dụng.".into() };
    let facts = app.change_ok(&urenco, rated, facts.version, &extension).await;
    let decision = ChangeRequest::DecideExtension { approved: true, note: "Đồng ý.".into() };
    let facts = app.change_ok(&coordinator, rated, facts.version, &decision).await;
    let rated_deadline = facts.deadline.expect("an extended deadline");
    let facts = app.change_ok(&urenco, rated, facts.version, &result()).await;
    let facts = app
        .change_ok(&coordinator, rated, facts.version, &ChangeRequest::ApproveResult { published: String::new() })
        .await;
    let rate = ChangeRequest::Rate { rating: Rating::Satisfied, comment: String::new() };
    app.change_ok(&citizen, rated, facts.version, &rate).await;

    let handling = submit("key-od-qn-handling", IN_QUANG_NINH).await;
    let facts = app.change_ok(&coordinator, handling, 1, &accept("ubnd-quang-ninh")).await;
    app.change_ok(&quang_ninh, handling, facts.version, &ChangeRequest::Acknowledge).await;
    // A duplicate is merged into a case being handled: one waiting for screening takes no merges.
    let duplicate = submit("key-od-duplicate", dong_hoi).await;
    app.change_ok(&coordinator, duplicate, 1, &reject(RejectReason::Duplicate, Some(handling))).await;
    let handled = submit("key-od-qn-handled", IN_QUANG_NINH).await;
    let facts = app.change_ok(&coordinator, handled, 1, &accept("ubnd-quang-ninh")).await;
    let facts = app.change_ok(&quang_ninh, handled, facts.version, &ChangeRequest::Acknowledge).await;
    let facts = app.change_ok(&quang_ninh, handled, facts.version, &result()).await;
    app.change_ok(&coordinator, handled, facts.version, &ChangeRequest::ApproveResult { published: String::new() })
        .await;
    Today { unscreened, inappropriate, returned, rated, rated_deadline }
}

#[tokio::test]
async fn the_csv_alone_reproduces_the_statistics_of_a_period_an_area_and_an_agency() {
    let app = spawn_app_with(DemoDataset::Pilot).await;
    let today = today_s_cases(&app).await;

    // The pilot: its published figures, the Đồng Hới area (out-of-area reports left out), and an agency.
    let (rows, stats) = assert_reproduced(&app, PILOT).await;
    assert_eq!((rows.len(), count(&stats["handled"]), count(&stats["late"])), (306, 200, 70), "the pilot's figures");
    assert!(rows.iter().all(|row| row["submitted_at"].starts_with("202")), "{:?}", rows.first());
    let (in_area, area_stats) = assert_reproduced(&app, &format!("{PILOT}&area=dong-hoi")).await;
    assert_eq!(in_area.len(), 296, "the 10 reports outside every area are not Đồng Hới's");
    assert_eq!(area_stats["area"], "dong-hoi");
    assert_agency_reproduced(&app, PILOT, "urenco").await;
    let agency_ratings = recompute(&rows, Utc::now()).by_agency.get("urenco").map(|a| a.ratings.iter().sum::<u64>());
    assert!(agency_ratings.is_some_and(|n| n > 0), "the agency compared has ratings to compare");
    // Whatever the deadline was later, on_time is the one in force when the result came in:
    // the pilot's handled results agree with the deadline each row carries.
    for row in rows.iter().filter(|row| !row["resolved_at"].is_empty()) {
        let in_time = time(&row["result_submitted_at"]) <= time(&row["deadline"]);
        assert_eq!(row["on_time"], in_time.to_string(), "case {}", row["id"]);
    }

    // Today: every kind of case, a second area and its agency.
    let now = Utc::now().with_timezone(&province_offset()).date_naive();
    let (from, to) = (now - Days::new(1), now + Days::new(1));
    let period = format!("from={from}&to={to}");
    let (rows, stats) = assert_reproduced(&app, &period).await;
    assert_eq!(rows.len(), 9);
    assert_eq!((count(&stats["accepted"]), count(&stats["rejected"]), count(&stats["handled"])), (3, 3, 2));
    assert_eq!(count(&stats["rejected_by_reason"]["inappropriate"]), 1);
    let (in_quang_ninh, _) = assert_reproduced(&app, &format!("{period}&area=quang-ninh")).await;
    assert_eq!(in_quang_ninh.len(), 3, "one waiting for screening, one being handled, one handled");
    assert_agency_reproduced(&app, &period, "ubnd-quang-ninh").await;
    assert_agency_reproduced(&app, &period, "urenco").await;

    let row = |id: i64| rows.iter().find(|row| row["id"] == id.to_string()).unwrap_or_else(|| panic!("case {id}"));
    let unscreened = row(today.unscreened);
    assert_eq!(
        (unscreened["published"].as_str(), unscreened["status"].as_str(), unscreened["decision"].as_str()),
        ("false", "submitted", ""),
        "counted among the received, shown nowhere"
    );
    assert_eq!(unscreened["area"], "dong-hoi");
    let returned = row(today.returned);
    assert_eq!((returned["status"].as_str(), returned["screened_at"].as_str()), ("submitted", ""), "back to screening");
    let inappropriate = row(today.inappropriate);
    assert_eq!(
        (inappropriate["decision"].as_str(), inappropriate["rejection_reason"].as_str()),
        ("rejected", "inappropriate")
    );
    let rated = row(today.rated);
    assert_eq!(rated["deadline"], local(today.rated_deadline), "the deadline in force, the extension counted");
    assert_eq!(
        (rated["on_time"].as_str(), rated["rating"].as_str(), rated["status"].as_str()),
        ("true", "satisfied", "closed")
    );
    assert!(time(&rated["screened_at"]) <= time(&rated["result_submitted_at"]));
    assert!(time(&rated["result_submitted_at"]) <= time(&rated["resolved_at"]));
    assert_eq!(rated["url"], format!("http://127.0.0.1:3000/cases/{}", today.rated));
}

#[tokio::test]
async fn the_data_dictionary_lists_every_export_column_and_the_licence() {
    let app = spawn_app_with(DemoDataset::Off).await;
    let (header, _) = app.csv_export("/api/v1/cases.csv", "").await;
    assert_eq!(header.len(), domain::open_data::ExportColumn::ALL.len());
    for (cookie, heading) in [("", "Dữ liệu mở: từ điển dữ liệu"), ("lang=en", "Open data: data dictionary")]
    {
        let response = app.get_as("/open-data", cookie).await;
        assert_eq!(response.status().as_u16(), 200);
        // Without the markers hydration places after text.
        let page = response.text().await.expect("html").replace("<!>", "");
        assert!(page.contains(heading), "{cookie}: {page}");
        for column in &header {
            assert!(page.contains(&format!("<code>{column}</code>")), "{cookie}: the page documents {column}");
        }
        for figure in ["received", "accepted", "rejected_by_reason", "handled", "on_time", "late", "ratings"] {
            assert!(page.contains(&format!("<code>{figure}</code>")), "{cookie}: the page explains {figure}");
        }
        assert!(page.contains("href=\"https://creativecommons.org/licenses/by/4.0/\""), "the licence is linked");
        assert!(page.contains("href=\"/api/v1/cases.csv\"") && page.contains("href=\"/api/v1/cases.geojson\""));
    }
    let stats = app.get("/stats").await.text().await.expect("html");
    assert!(stats.contains("href=\"/open-data\""), "the statistics page links the dictionary");
}

#[tokio::test]
async fn the_configured_licence_is_stated_in_both_exports_and_on_the_page() {
    let licence = Licence::parse("ODbL-1.0", None).expect("a known licence");
    let app = spawn_app_configured(|settings| settings.open_data_licence = licence).await;
    for path in ["/api/v1/cases.csv", "/api/v1/cases.geojson"] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 200);
        let link = response.headers()["link"].to_str().expect("ascii").to_string();
        assert!(link.contains("<https://opendatacommons.org/licenses/odbl/1-0/>; rel=\"license\""), "{path}: {link}");
        assert!(link.contains("/open-data>; rel=\"describedby\""), "{path}: {link}");
    }
    let collection = app.geojson_export("/api/v1/cases.geojson", "").await;
    assert_eq!(
        collection["license"],
        json!({"id": "ODbL-1.0", "url": "https://opendatacommons.org/licenses/odbl/1-0/"})
    );
    let page = app.get("/open-data").await.text().await.expect("html").replace("<!>", "");
    assert!(page.contains(">ODbL-1.0</a>"), "the page names the configured licence");
}
