//! Who sees a case on which route: every kind of asker against every case status and every route
//! that shows cases, as the one visibility rule of the core decides.

use crate::helpers::{spawn_app, valid_report, TestApp};
use app::cases::ChangeRequest;
use domain::case::ActorRole;
use domain::workflow::{Rating, RejectReason};
use image::{ImageFormat, RgbImage};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asker {
    Anonymous,
    /// The citizen whose account filed the case.
    ReporterByAccount,
    /// The anonymous reporter, by the case's private receipt link.
    ReporterByReceipt,
    /// Another citizen.
    Citizen,
    Operator,
    /// A coordinator of the whole province.
    Coordinator,
    /// A coordinator bound to Đồng Hới, where the cases lie.
    CoordinatorInArea,
    /// A coordinator bound to Quảng Ninh.
    CoordinatorOutOfArea,
    /// An officer of urenco, the agency accepted cases are routed to.
    OfficerOfAgency,
    /// An officer of vnpt.
    OfficerOfOtherAgency,
    Leader,
    Admin,
}

const ASKERS: [Asker; 12] = [
    Asker::Anonymous,
    Asker::ReporterByAccount,
    Asker::ReporterByReceipt,
    Asker::Citizen,
    Asker::Operator,
    Asker::Coordinator,
    Asker::CoordinatorInArea,
    Asker::CoordinatorOutOfArea,
    Asker::OfficerOfAgency,
    Asker::OfficerOfOtherAgency,
    Asker::Leader,
    Asker::Admin,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Submitted,
    Accepted,
    RejectedAsInappropriate,
    Resolved,
}

const STAGES: [Stage; 4] = [Stage::Submitted, Stage::Accepted, Stage::RejectedAsInappropriate, Stage::Resolved];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// `/cases/N`, or for the receipt holder `/receipt/TOKEN`.
    CasePage,
    /// `/api/case?id=N`, or for the receipt holder `/api/receipt?token=TOKEN`.
    ServerFunction,
    Open311Request,
    Open311List,
    Csv,
    GeoJson,
    Clusters,
    Photo,
}

const ROUTES: [Route; 8] = [
    Route::CasePage,
    Route::ServerFunction,
    Route::Open311Request,
    Route::Open311List,
    Route::Csv,
    Route::GeoJson,
    Route::Clusters,
    Route::Photo,
];

/// Whether `asker` sees a case at `stage` on `route`. Cases waiting for screening or rejected as
/// inappropriate are held back: only the staff who screen them (coordinators covering their
/// area, operators) and their reporter see them, and the anonymous routes (Open311, exports)
/// never do. Maps follow the asker's scope; photos of a held-back case go to its screeners and its reporter.
fn expected(asker: Asker, stage: Stage, route: Route) -> bool {
    use Asker::*;
    let held_back = matches!(stage, Stage::Submitted | Stage::RejectedAsInappropriate);
    let screener = matches!(asker, Operator | Coordinator | CoordinatorInArea);
    let reporter = matches!(asker, ReporterByAccount | ReporterByReceipt);
    match route {
        Route::CasePage | Route::ServerFunction => !held_back || screener || reporter,
        Route::Open311Request | Route::Open311List | Route::Csv | Route::GeoJson => !held_back,
        Route::Clusters => {
            if held_back {
                screener
            } else {
                !matches!(asker, CoordinatorOutOfArea | OfficerOfOtherAgency)
            }
        }
        // The reporter sees the photos they sent; the receipt holder through addresses carrying the receipt.
        Route::Photo => !held_back || screener || reporter,
    }
}

/// One case of the matrix: filed by the reporter's account, and its twin filed anonymously.
struct MatrixCase {
    stage: Stage,
    by_account: i64,
    anonymous: i64,
    receipt: String,
    /// The display address of each twin's photo.
    account_photo: String,
    anonymous_photo: String,
}

struct Cast {
    cookies: Vec<(Asker, String)>,
    coordinator: String,
    officer: String,
}

impl Cast {
    fn cookie(&self, asker: Asker) -> &str {
        self.cookies.iter().find(|(a, _)| *a == asker).map(|(_, c)| c.as_str()).unwrap_or_default()
    }
}

async fn bound_coordinator(app: &TestApp, admin: &str, username: &str, area: &str) -> String {
    let invitation = json!({ "form": { "username": username, "display_name": "Điều Phối Địa Bàn",
        "role": { "role": "coordinator", "agency": "", "areas": [area] } } });
    let password: String = serde_json::from_value(app.admin_ok(admin, "invite", &invitation).await).expect("password");
    // An invited account sets its own password before it may do anything else.
    app.sign_in_invited(username, &password).await
}

async fn cast(app: &TestApp) -> Cast {
    let accounts: [(Asker, &str, ActorRole, Option<&str>); 7] = [
        (Asker::ReporterByAccount, "dan.reporter", ActorRole::Citizen, None),
        (Asker::Citizen, "dan.other", ActorRole::Citizen, None),
        (Asker::Operator, "tongdai.vis", ActorRole::Operator, None),
        (Asker::Coordinator, "dieuphoi.vis", ActorRole::Coordinator, None),
        (Asker::OfficerOfAgency, "xuly.urenco", ActorRole::Officer, Some("urenco")),
        (Asker::OfficerOfOtherAgency, "xuly.vnpt", ActorRole::Officer, Some("vnpt")),
        (Asker::Leader, "lanhdao.vis", ActorRole::Leader, None),
    ];
    let mut cookies = vec![(Asker::Anonymous, String::new()), (Asker::ReporterByReceipt, String::new())];
    for (asker, username, role, agency) in accounts {
        cookies.push((asker, app.signed_in(username, role, agency).await));
    }
    let admin = app.signed_in("quantri.vis", ActorRole::Admin, None).await;
    app.roll_out_quang_ninh(&admin).await;
    cookies.push((Asker::CoordinatorInArea, bound_coordinator(app, &admin, "dieuphoi.donghoi", "dong-hoi").await));
    cookies.push((Asker::CoordinatorOutOfArea, bound_coordinator(app, &admin, "dieuphoi.qn", "quang-ninh").await));
    cookies.push((Asker::Admin, admin));
    let coordinator = cookies.iter().find(|(a, _)| *a == Asker::Coordinator).map(|(_, c)| c.clone());
    let officer = cookies.iter().find(|(a, _)| *a == Asker::OfficerOfAgency).map(|(_, c)| c.clone());
    Cast { coordinator: coordinator.unwrap_or_default(), officer: officer.unwrap_or_default(), cookies }
}

/// A report a little east of the last, so that every case is a point of its own on a close map,
/// with a photo of its own.
async fn report(app: &TestApp, n: usize) -> (Value, String) {
    let picture = RgbImage::from_pixel(16 + n as u32, 12, image::Rgb([10 * n as u8, 90, 160]));
    let photo = app.upload_ok("p.png", crate::photos::encode(picture, ImageFormat::Png)).await;
    let mut report = valid_report(&format!("key-visibility-{n:03}"));
    report["lon"] = json!(106.6222 + 0.0008 * n as f64);
    report["photos"] = json!([photo["id"]]);
    (report, photo["display_url"].as_str().expect("display address").to_string())
}

/// Takes case `id` from submission to `stage`.
async fn bring_to(app: &TestApp, cast: &Cast, reporter: Option<&str>, id: i64, stage: Stage) {
    let coordinator = cast.coordinator.as_str();
    match stage {
        Stage::Submitted => {}
        Stage::RejectedAsInappropriate => {
            let reject = ChangeRequest::Reject {
                reason: RejectReason::Inappropriate,
                duplicate_of: None,
                explanation: "Nội dung không phù hợp.".into(),
            };
            app.change_ok(coordinator, id, 1, &reject).await;
        }
        Stage::Accepted | Stage::Resolved => {
            let facts = app.change_ok(coordinator, id, 1, &ChangeRequest::Accept { agency: "urenco".into() }).await;
            if stage == Stage::Resolved {
                let facts = app.change_ok(&cast.officer, id, facts.version, &ChangeRequest::Acknowledge).await;
                let result = ChangeRequest::SubmitResult { summary: "Đã thu gom.".into(), photos: Vec::new() };
                let facts = app.change_ok(&cast.officer, id, facts.version, &result).await;
                let facts = app
                    .change_ok(
                        coordinator,
                        id,
                        facts.version,
                        &ChangeRequest::ApproveResult { published: String::new() },
                    )
                    .await;
                if let Some(reporter) = reporter {
                    let rate = ChangeRequest::Rate { rating: Rating::Unsatisfied, comment: String::new() };
                    app.change_ok(reporter, id, facts.version, &rate).await;
                }
            }
        }
    }
}

/// Whether `asker` sees `case` on `route`, read from the answer.
async fn sees(app: &TestApp, cast: &Cast, asker: Asker, case: &MatrixCase, route: Route) -> bool {
    let cookie = cast.cookie(asker);
    let by_receipt = asker == Asker::ReporterByReceipt;
    let id = if by_receipt { case.anonymous } else { case.by_account };
    let status = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        assert!(status == 200 || status == 404, "{asker:?} × {:?} × {route:?}: status {status}", case.stage);
        status == 200
    };
    let text = |path: String| async move { app.get_as(&path, cookie).await.text().await.expect("body") };
    match route {
        Route::CasePage if by_receipt => status(app.get(&format!("/receipt/{}", case.receipt)).await).await,
        Route::CasePage => status(app.get_as(&format!("/cases/{id}"), cookie).await).await,
        Route::ServerFunction if by_receipt => {
            status(app.get(&format!("/api/receipt?token={}", case.receipt)).await).await
        }
        Route::ServerFunction => status(app.get_as(&format!("/api/case?id={id}"), cookie).await).await,
        Route::Open311Request => status(app.get_as(&format!("/open311/v2/requests/{id}.json"), cookie).await).await,
        Route::Open311List => {
            let list = text(format!("/open311/v2/requests.json?service_request_id={id}")).await;
            list.contains(&format!("\"service_request_id\":\"{id}\""))
        }
        // The exports count every case; they show one only in a published row, whose address
        // is the case's page. Unpublished rows are checked to carry nothing else on the way.
        Route::Csv => {
            let (_, rows) = app.csv_export("/api/v1/cases.csv", cookie).await;
            let published = rows.iter().any(|row| row["id"] == id.to_string() && row["published"] == "true");
            // The address is followed by the published result, the last column.
            let linked = text("/api/v1/cases.csv".into()).await.contains(&format!("/cases/{id},"));
            assert_eq!(published, linked, "case {id}: a published row, and only one, links the case");
            published
        }
        Route::GeoJson => {
            let feature = app.geojson_feature_of(id, cookie).await;
            let published = feature.as_ref().is_some_and(|f| f["properties"]["published"] == true);
            let linked = text("/api/v1/cases.geojson".into()).await.contains(&format!("/cases/{id}\""));
            assert_eq!(published, linked, "case {id}: a published feature, and only one, links the case");
            published
        }
        Route::Clusters => {
            let clusters = text("/api/v1/clusters?bbox=106.6,17.45,106.65,17.48&zoom=18".into()).await;
            assert!(!clusters.contains("\"cluster\":true"), "every case stands alone at this zoom: {clusters}");
            clusters.contains(&format!("\"id\":{id},"))
        }
        Route::Photo => {
            let photo = if by_receipt {
                format!("{}?receipt={}", case.anonymous_photo, case.receipt)
            } else {
                case.account_photo.clone()
            };
            status(app.get_as(&photo, cookie).await).await
        }
    }
}

#[tokio::test]
async fn every_asker_sees_exactly_the_cases_the_visibility_rule_allows_on_every_route() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let reporter = cast.cookie(Asker::ReporterByAccount).to_string();
    let mut cases = Vec::new();
    for (n, stage) in STAGES.into_iter().enumerate() {
        let (mine, account_photo) = report(&app, 2 * n).await;
        let by_account = app.submit_case_as(&mine, &reporter).await;
        let (theirs, anonymous_photo) = report(&app, 2 * n + 1).await;
        let (anonymous, receipt) = app.submit_anonymously(&theirs).await;
        bring_to(&app, &cast, Some(&reporter), by_account, stage).await;
        bring_to(&app, &cast, None, anonymous, stage).await;
        cases.push(MatrixCase { stage, by_account, anonymous, receipt, account_photo, anonymous_photo });
    }
    let mut mismatches = Vec::new();
    for case in &cases {
        for asker in ASKERS {
            for route in ROUTES {
                let seen = sees(&app, &cast, asker, case, route).await;
                let should = expected(asker, case.stage, route);
                if seen != should {
                    mismatches
                        .push(format!("{asker:?} × {:?} × {route:?}: sees {seen}, expected {should}", case.stage));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[tokio::test]
async fn a_hidden_case_answers_every_asker_who_may_not_see_it_exactly_as_a_missing_one() {
    let app = &spawn_app().await;
    let cast = cast(app).await;
    let (report, _) = report(app, 0).await;
    let id = app.submit_case_as(&report, cast.cookie(Asker::ReporterByAccount)).await;
    let missing = id + 1000;
    for asker in [Asker::Anonymous, Asker::Citizen, Asker::CoordinatorOutOfArea, Asker::Leader, Asker::Admin] {
        let cookie = cast.cookie(asker);
        for path in ["/api/case?id=", "/open311/v2/requests/"] {
            let suffix = if path.starts_with("/open311") { ".json" } else { "" };
            let answer = |case: i64| async move {
                let response = app.get_as(&format!("{path}{case}{suffix}"), cookie).await;
                (response.status().as_u16(), response.text().await.expect("body"))
            };
            let hidden = answer(id).await;
            assert_eq!(hidden.0, 404, "{asker:?} {path}");
            assert_eq!(
                hidden.1.replace(&id.to_string(), ""),
                answer(missing).await.1.replace(&missing.to_string(), "")
            );
        }
    }
}
