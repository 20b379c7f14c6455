//! Synthetic case sets for the benchmarks: up to millions of cases spread over the province, each
//! played through the core's state machine, written in bulk to either backend.

use anyhow::Context;
use chrono::{DateTime, Duration, SecondsFormat, TimeZone, Utc};
use domain::case::{ActorRole, CaseEvent, CaseStatus, Channel};
use domain::deadline::{shipped_calendar, HolidayCalendar};
use domain::geo::{locate, Area, Coordinates};
use domain::workflow::{Actor, CaseFacts, Change, RatedVia, Rating, RejectReason};
use sqlx::types::Json;
use sqlx::{Connection, QueryBuilder};

/// One generated case: its row and the events that made it.
#[derive(Debug, Clone)]
pub struct SyntheticCase {
    pub id: i64,
    pub category: &'static str,
    pub area: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub channel: Channel,
    pub submitted_at: DateTime<Utc>,
    pub reporter_account: Option<i64>,
    pub events: Vec<CaseEvent>,
    pub facts: CaseFacts,
}

/// What citizens report, as they title it.
pub const PROBLEMS: [&str; 16] = [
    "Ổ gà lớn giữa lòng đường",
    "Rác thải đổ trộm bốc mùi",
    "Đèn đường hỏng không sáng",
    "Cống thoát nước bị tắc",
    "Cây xanh gãy cành nguy hiểm",
    "Lấn chiếm vỉa hè buôn bán",
    "Nước sinh hoạt bị cắt nhiều ngày",
    "Tiếng ồn karaoke về đêm",
    "Đường ngập nước sau mưa",
    "Biển báo giao thông bị đổ",
    "Nắp hố ga bị vỡ",
    "Xả nước thải ra sông",
    "Dây điện võng thấp qua đường",
    "Chó thả rông không rọ mõm",
    "Đèn tín hiệu giao thông hỏng",
    "Khói bụi từ công trình xây dựng",
];

/// Streets of Đồng Hới and its neighbours.
pub const STREETS: [&str; 16] = [
    "Trần Hưng Đạo",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Hữu Nghị",
    "Mẹ Suốt",
    "Nguyễn Du",
    "Hà Huy Tập",
    "Lê Lợi",
    "Phan Đình Phùng",
    "Trương Pháp",
    "Quách Xuân Kỳ",
    "Tố Hữu",
    "Lý Thái Tổ",
    "Nguyễn Hữu Cảnh",
    "Võ Thị Sáu",
    "Đặng Thai Mai",
];

/// Wards and communes.
pub const WARDS: [&str; 10] = [
    "phường Đồng Phú",
    "phường Hải Đình",
    "phường Bắc Lý",
    "phường Nam Lý",
    "phường Phú Hải",
    "phường Đức Ninh Đông",
    "xã Bảo Ninh",
    "xã Quang Phú",
    "phường Bắc Nghĩa",
    "xã Lộc Ninh",
];

/// What a report says beside its title.
const DETAILS: [&str; 8] = [
    "Tình trạng kéo dài nhiều ngày, người dân đi lại rất khó khăn.",
    "Buổi tối không có đèn, xe máy dễ gặp tai nạn.",
    "Đã báo tổ dân phố nhưng chưa được xử lý.",
    "Mùi hôi ảnh hưởng đến các hộ gia đình xung quanh.",
    "Trẻ em đi học qua đây hằng ngày, rất nguy hiểm.",
    "Đề nghị cơ quan chức năng kiểm tra và khắc phục sớm.",
    "Sau trận mưa lớn hôm qua tình hình càng nghiêm trọng.",
    "Nhiều phương tiện phải đi vòng để tránh.",
];

/// The title and description of synthetic case `id`, drawn from its own sequence so that the
/// cases' fates stay as they were before they had words.
pub fn case_text(id: i64) -> (String, String) {
    let mut random = Lcg(0x5EED_0000 ^ id as u64);
    let pick = |random: &mut Lcg, n: usize| ((random.next_unit() * n as f64) as usize).min(n - 1);
    let problem = PROBLEMS[pick(&mut random, PROBLEMS.len())];
    let street = STREETS[pick(&mut random, STREETS.len())];
    let ward = WARDS[pick(&mut random, WARDS.len())];
    let first = DETAILS[pick(&mut random, DETAILS.len())];
    let second = DETAILS[pick(&mut random, DETAILS.len())];
    let number = 1 + pick(&mut random, 200);
    (format!("{problem} trên đường {street}"), format!("Tại số {number} đường {street}, {ward}. {first} {second}"))
}

/// Towns where most reports cluster: (lat, lon).
pub const DENSE_TOWNS: [(f64, f64); 5] =
    [(17.468, 106.622), (17.755, 106.423), (17.589, 106.530), (17.214, 106.781), (17.880, 106.020)];

/// The province's box: lat 16.9–18.1, lon 105.6–107.0.
pub const PROVINCE: (f64, f64, f64, f64) = (16.9, 105.6, 18.1, 107.0);

/// Categories and their lead agencies in the shipped catalogue, with their share of reports.
const CATEGORIES: [(&str, &str, u32); 9] = [
    ("environment", "urenco", 26),
    ("traffic", "sgtvt", 22),
    ("telecom", "vnpt", 11),
    ("public_services", "ubnd-dong-hoi", 10),
    ("lighting", "pcqb", 10),
    ("water", "quawaco", 9),
    ("urban_order", "ubnd-dong-hoi", 7),
    ("security", "ca-dong-hoi", 3),
    ("other", "ubnd-dong-hoi", 2),
];

/// A small deterministic generator, so every run measures the same cases.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal, mean 0 and deviation 1 (a sum of uniforms).
    pub fn next_normal(&mut self) -> f64 {
        (0..4).map(|_| self.next_unit()).sum::<f64>() * 3f64.sqrt() - 2.0 * 3f64.sqrt()
    }
}

/// A point: 60% around the five towns, the rest anywhere in the province.
pub fn province_point(random: &mut Lcg) -> (f64, f64) {
    let (south, west, north, east) = PROVINCE;
    if random.next_unit() < 0.6 {
        let town = DENSE_TOWNS[(random.next_unit() * DENSE_TOWNS.len() as f64) as usize % DENSE_TOWNS.len()];
        let lat = (town.0 + random.next_normal() * 0.02).clamp(south, north);
        let lon = (town.1 + random.next_normal() * 0.02).clamp(west, east);
        (lat, lon)
    } else {
        (south + random.next_unit() * (north - south), west + random.next_unit() * (east - west))
    }
}

/// What the generator needs to know of the database it fills.
pub struct Generator {
    random: Lcg,
    areas: Vec<Area>,
    calendar: HolidayCalendar,
    /// The citizen account that reports (and rates) the cases that come from registered citizens.
    reporter: i64,
    start: DateTime<Utc>,
    span_seconds: i64,
}

impl Generator {
    /// Cases submitted from 2022-11-01 over four years, located in `areas`.
    pub fn new(seed: u64, areas: Vec<Area>, reporter: i64) -> Self {
        let start = Utc.with_ymd_and_hms(2022, 10, 31, 17, 0, 0).single().unwrap_or_default();
        Self { random: Lcg(seed), areas, calendar: shipped_calendar(), reporter, start, span_seconds: 4 * 365 * 86_400 }
    }

    fn step(
        facts: &mut CaseFacts,
        events: &mut Vec<CaseEvent>,
        actor: &Actor,
        change: Change,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let (event, after) = facts.next_event(actor, change, at).map_err(|r| anyhow::anyhow!("{r}"))?;
        events.push(event);
        *facts = after;
        Ok(())
    }

    /// The case numbered `id`, played to a fate drawn from the pilot's shares.
    pub fn case(&mut self, id: i64) -> anyhow::Result<SyntheticCase> {
        let random = &mut self.random;
        let (lat, lon) = province_point(random);
        let point = Coordinates::parse(lat, lon).map_err(|r| anyhow::anyhow!("point: {r:?}"))?;
        let area = locate(&self.areas, &point).map(|a| a.code.clone());
        let mut pick = (random.next_unit() * 100.0) as u32;
        let (category, agency) = CATEGORIES
            .iter()
            .find(|(_, _, share)| {
                let found = pick < *share;
                pick = pick.saturating_sub(*share);
                found
            })
            .map(|(category, agency, _)| (*category, *agency))
            .unwrap_or(("other", "ubnd-dong-hoi"));
        let submitted_at = self.start + Duration::seconds((random.next_unit() * self.span_seconds as f64) as i64);
        let from_citizen = random.next_unit() < 0.5;
        let reporter_account = from_citizen.then_some(self.reporter);
        let channel = match (from_citizen, random.next_unit()) {
            (true, x) if x < 0.4 => Channel::App,
            (true, _) => Channel::Web,
            (false, x) if x < 0.6 => Channel::Hotline,
            (false, x) if x < 0.8 => Channel::Api,
            (false, _) => Channel::Web,
        };
        let creator_role = if from_citizen { ActorRole::Citizen } else { ActorRole::Operator };
        let first = CaseEvent {
            seq: 1,
            actor_role: creator_role,
            actor_id: reporter_account,
            occurred_at: submitted_at,
            from_status: None,
            to_status: CaseStatus::Submitted,
            public: true,
            change: Change::Submitted { channel, area: area.clone(), terms: None },
        };
        let mut events = vec![first];
        let mut facts = CaseFacts::on_submission(reporter_account, None, channel);
        let coordinator = Actor::new(ActorRole::Coordinator);
        let officer =
            Actor { role: ActorRole::Officer, account_id: None, agency: Some(agency.to_string()), agency_head: false };
        let fate = random.next_unit();
        let screened_at = submitted_at + Duration::hours(4 + (random.next_unit() * 20.0) as i64);
        if fate < 0.02 {
            // Still waiting for screening.
        } else if fate < 0.10 || area.is_none() {
            let reason = if area.is_none() {
                RejectReason::OutOfArea
            } else {
                [RejectReason::InsufficientInfo, RejectReason::NotPublicMatter, RejectReason::HandledElsewhere]
                    [(random.next_unit() * 3.0) as usize % 3]
            };
            let change =
                Change::Rejected { reason, duplicate_of: None, explanation: "Không đủ điều kiện.".into() };
            Self::step(&mut facts, &mut events, &coordinator, change, screened_at)?;
        } else {
            let deadline = self.calendar.deadline(screened_at, 7);
            let change = Change::Accepted { agency: agency.to_string(), deadline };
            Self::step(&mut facts, &mut events, &coordinator, change, screened_at)?;
            let acknowledged_at = screened_at + Duration::hours(5);
            Self::step(&mut facts, &mut events, &officer, Change::Acknowledged, acknowledged_at)?;
            if fate >= 0.16 {
                let on_time = random.next_unit() < 0.65;
                let result_at = if on_time { deadline - Duration::days(2) } else { deadline + Duration::days(3) };
                let summary = Change::ResultSubmitted { summary: "Đã xử lý xong.".into(), photos: Vec::new() };
                Self::step(&mut facts, &mut events, &officer, summary, result_at)?;
                let approved_at = result_at + Duration::hours(6);
                let approval = Change::ResultApproved { published: Some("Đã xử lý xong.".into()) };
                Self::step(&mut facts, &mut events, &coordinator, approval, approved_at)?;
                if let (Some(account), true) = (reporter_account, random.next_unit() < 0.5) {
                    let rating = match random.next_unit() {
                        x if x < 0.77 => Rating::Satisfied,
                        x if x < 0.92 => Rating::Acceptable,
                        _ => Rating::Unsatisfied,
                    };
                    let citizen =
                        Actor { role: ActorRole::Citizen, account_id: Some(account), agency: None, agency_head: false };
                    let rated_at = approved_at + Duration::hours(30);
                    let rated = Change::Rated { rating, comment: None, via: RatedVia::Account };
                    Self::step(&mut facts, &mut events, &citizen, rated, rated_at)?;
                }
            }
        }
        Ok(SyntheticCase { id, category, area, lat, lon, channel, submitted_at, reporter_account, events, facts })
    }
}

fn sqlite_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn name_of<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string))
}

/// A case's events with the hash chain the stores write (see `services::chain`), so that loaded
/// cases verify as cases filed through the app do.
fn chained(case: &SyntheticCase) -> Result<Vec<(i64, &CaseEvent, String)>, services::store::StoreError> {
    let mut previous = services::chain::GENESIS.to_string();
    let mut events = Vec::with_capacity(case.events.len());
    for event in &case.events {
        let hash = services::chain::event_hash(&previous, &services::chain::EventContent::of(case.id, event)?);
        previous.clone_from(&hash);
        events.push((case.id, event, hash));
    }
    Ok(events)
}

/// How many cases each bulk statement writes; both backends' parameter limits allow it.
const CASES_PER_STATEMENT: usize = 1_000;

/// Writes `cases` through `$connection` of backend `$db`, in transactions of ten statements
/// worth; `$time` and `$json` encode timestamps and JSON columns the way that backend stores them.
macro_rules! bulk_insert {
    ($connection:expr, $db:ty, $cases:expr, $time:expr, $json:expr) => {{
        for chunk in $cases.chunks(CASES_PER_STATEMENT * 10) {
            let mut tx = $connection.begin().await?;
            for batch in chunk.chunks(CASES_PER_STATEMENT) {
                let mut rows = QueryBuilder::<$db>::new(CASE_INSERT);
                let texts: Vec<(String, String)> = batch.iter().map(|case| case_text(case.id)).collect();
                rows.push_values(batch.iter().zip(&texts), |mut row, (case, (title, description))| {
                    row.push_bind(case.id)
                        .push_bind(format!("synthetic-{}", case.id))
                        .push_bind(case.category)
                        .push_bind(title.clone())
                        .push_bind(description.clone())
                        .push_bind(case.lat)
                        .push_bind(case.lon)
                        .push_bind(case.area.clone())
                        .push_bind(case.channel.as_str())
                        .push_bind($time(case.submitted_at))
                        .push_bind(case.facts.status.as_str())
                        .push_bind(i64::from(case.facts.version))
                        .push_bind(case.facts.reporter_account)
                        .push_bind($json(serde_json::to_value(&case.facts).unwrap_or_default()))
                        .push_bind(case.facts.lead_agency.clone())
                        .push_bind(case.facts.deadline.map($time))
                        .push_bind($time(case.submitted_at))
                        .push_bind(case.facts.rejection.as_ref().and_then(name_of))
                        .push_bind(case.facts.handled_on_time())
                        .push_bind(case.facts.rating.as_ref().and_then(name_of))
                        .push_bind(case.facts.awaits_review())
                        .push_bind(case.facts.screened_at.map($time))
                        .push_bind(case.facts.result_submitted_at.map($time))
                        .push_bind(case.facts.resolved_at.map($time))
                        .push_bind(case.facts.finished_at.map($time))
                        .push_bind(case.facts.published_result.clone());
                });
                rows.build().execute(&mut *tx).await?;
                let events: Vec<(i64, &CaseEvent, String)> =
                    batch.iter().map(chained).collect::<Result<Vec<_>, _>>()?.into_iter().flatten().collect();
                for events in events.chunks(CASES_PER_STATEMENT * 2) {
                    let mut rows = QueryBuilder::<$db>::new(EVENT_INSERT);
                    rows.push_values(events, |mut row, (case_id, event, hash)| {
                        row.push_bind(*case_id)
                            .push_bind(i64::from(event.seq))
                            .push_bind(event.change.kind().as_str())
                            .push_bind(event.actor_role.as_str())
                            .push_bind(event.actor_id)
                            .push_bind($time(event.occurred_at))
                            .push_bind(event.from_status.map(CaseStatus::as_str))
                            .push_bind(event.to_status.as_str())
                            .push_bind(event.change.note().map(str::to_string))
                            .push_bind(event.public)
                            .push_bind($json(serde_json::to_value(&event.change).unwrap_or_default()))
                            .push_bind(hash.clone());
                    });
                    rows.build().execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
        }
    }};
}

/// Writes `cases` to the database at `url` (already migrated and seeded) in bulk transactions.
pub async fn bulk_load(url: &str, cases: &[SyntheticCase]) -> anyhow::Result<()> {
    if url.starts_with("sqlite:") {
        let mut connection = sqlx::SqliteConnection::connect(url).await.context("opening SQLite")?;
        sqlx::query("PRAGMA synchronous = OFF").execute(&mut connection).await?;
        bulk_insert!(connection, sqlx::Sqlite, cases, sqlite_time, |value: serde_json::Value| value.to_string());
    } else {
        let mut connection = sqlx::PgConnection::connect(url).await.context("opening PostgreSQL")?;
        bulk_insert!(connection, sqlx::Postgres, cases, |at| at, Json);
        sqlx::query("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))")
            .execute(&mut connection)
            .await?;
        sqlx::query("ANALYZE").execute(&mut connection).await?;
    }
    Ok(())
}

/// Cases generated and written per bulk transaction by [`fill`].
const FILL_CHUNK: i64 = 20_000;

/// Fills the database at `url` (migrated, catalogue seeded, reached through `store` as well) with
/// `count` generated cases numbered from 1, reported by one citizen account it creates.
pub async fn fill(url: &str, store: &dyn services::store::Store, count: i64) -> anyhow::Result<()> {
    let account = domain::account::NewAccount {
        username: domain::account::Username::parse("bench.nguoidan").map_err(|r| anyhow::anyhow!("{r:?}"))?,
        display_name: domain::contact::PersonName::parse("Người dân đo hiệu năng")
            .map_err(|r| anyhow::anyhow!("{r:?}"))?,
        role: ActorRole::Citizen,
        agency: None,
        password_hash: "not-a-login".into(),
    };
    let reporter = store.create_account(&account, Utc::now()).await?;
    let mut generator = Generator::new(20_221_101, crate::seed::catalogue()?.areas, reporter);
    let mut next = 1;
    while next <= count {
        let end = (next + FILL_CHUNK).min(count + 1);
        let cases = (next..end).map(|id| generator.case(id)).collect::<anyhow::Result<Vec<_>>>()?;
        bulk_load(url, &cases).await?;
        next = end;
    }
    Ok(())
}

const CASE_INSERT: &str = "INSERT INTO cases (id, submission_key, category_code, title, description, lat, lon, \
    area_code, channel, submitted_at, status, version, reporter_account, facts, lead_agency, deadline, changed_at, \
    rejection, handled_on_time, rating, awaits_review, screened_at, result_submitted_at, resolved_at, finished_at, published_result) ";

const EVENT_INSERT: &str = "INSERT INTO case_events (case_id, seq, kind, actor_role, actor_id, occurred_at, \
    from_status, to_status, note, public, data, hash) ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_cases_replay_to_their_facts_and_lie_in_the_province() {
        let mut generator = Generator::new(7, crate::seed::catalogue().expect("catalogue").areas, 1);
        for id in 1..=500 {
            let case = generator.case(id).expect("a case");
            assert_eq!(CaseFacts::from_events(&case.events).expect("replays"), case.facts);
            let (south, west, north, east) = PROVINCE;
            assert!((south..=north).contains(&case.lat) && (west..=east).contains(&case.lon));
            if case.area.is_none() && case.facts.status != CaseStatus::Submitted {
                assert_eq!(case.facts.rejection, Some(RejectReason::OutOfArea));
            }
        }
    }
}
