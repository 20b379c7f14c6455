//! The Đồng Hới pilot (2022-11-01 to 2023-06-30) regenerated from a fixed seed through the same
//! intake, state machine and call log as real use, so its statistics come from real events.

use anyhow::{anyhow, bail, Context};
use app::hotline::record_call;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::account::{Account, NewAccount, Username};
use domain::calls::{Call, CallDirection, CallInput, CallOutcome, CallPurpose};
use domain::case::{ActorRole, Channel};
use domain::catalogue::{Agency, AgencyKind};
use domain::contact::PersonName;
use domain::deadline::{province_offset, HolidayCalendar};
use domain::geo::{locate, Coordinates};
use domain::new_case::NewCaseInput;
use domain::workflow::{Actor, CaseFacts, Change, RatedVia, Rating, RejectReason};
use services::changes::{apply_change, facts_of};
use services::intake::intake;
use services::store::{CatalogueSeed, Store, StoreError};

/// How the pilot's reports ended, in the figures the province published.
pub const REPORTS: usize = 306;
pub const ACCEPTED: usize = 210;
pub const OUT_OF_AREA: usize = 10;
pub const HANDLED_ON_TIME: usize = 130;
pub const HANDLED_LATE: usize = 70;
pub const RATINGS: [(Rating, usize); 3] = [(Rating::Satisfied, 36), (Rating::Acceptable, 7), (Rating::Unsatisfied, 4)];
pub const CITIZEN_ACCOUNTS: usize = 876;
pub const INBOUND_CALLS: usize = 230;
pub const OUTBOUND_CALLS: usize = 315;

/// Reports per category; services, sanitation and environment lead, then traffic and telecom infrastructure.
const CATEGORY_MIX: [(&str, usize); 9] = [
    ("environment", 80),
    ("traffic", 70),
    ("telecom", 35),
    ("public_services", 30),
    ("lighting", 30),
    ("water", 25),
    ("urban_order", 20),
    ("security", 8),
    ("other", 8),
];

/// Ineligible reports by coded reason, besides the out-of-area ones.
const OTHER_REJECTIONS: [(RejectReason, usize); 5] = [
    (RejectReason::Duplicate, 30),
    (RejectReason::InsufficientInfo, 28),
    (RejectReason::NotPublicMatter, 16),
    (RejectReason::HandledElsewhere, 8),
    (RejectReason::Inappropriate, 4),
];

/// The wards and communes of Đồng Hới and the city offices that joined the pilot beside the
/// shipped agencies: 29 in all.
const PILOT_AGENCIES: [(&str, &str, AgencyKind); 19] = [
    ("p-bac-ly", "UBND phường Bắc Lý", AgencyKind::Ward),
    ("p-nam-ly", "UBND phường Nam Lý", AgencyKind::Ward),
    ("p-dong-phu", "UBND phường Đồng Phú", AgencyKind::Ward),
    ("p-dong-son", "UBND phường Đồng Sơn", AgencyKind::Ward),
    ("p-dong-my", "UBND phường Đồng Mỹ", AgencyKind::Ward),
    ("p-hai-dinh", "UBND phường Hải Đình", AgencyKind::Ward),
    ("p-hai-thanh", "UBND phường Hải Thành", AgencyKind::Ward),
    ("p-phu-hai", "UBND phường Phú Hải", AgencyKind::Ward),
    ("p-duc-ninh-dong", "UBND phường Đức Ninh Đông", AgencyKind::Ward),
    ("p-bac-nghia", "UBND phường Bắc Nghĩa", AgencyKind::Ward),
    ("x-quang-phu", "UBND xã Quang Phú", AgencyKind::Commune),
    ("x-nghia-ninh", "UBND xã Nghĩa Ninh", AgencyKind::Commune),
    ("x-loc-ninh", "UBND xã Lộc Ninh", AgencyKind::Commune),
    ("x-bao-ninh", "UBND xã Bảo Ninh", AgencyKind::Commune),
    ("x-duc-ninh", "UBND xã Đức Ninh", AgencyKind::Commune),
    ("x-thuan-duc", "UBND xã Thuận Đức", AgencyKind::Commune),
    ("qldt-dong-hoi", "Phòng Quản lý đô thị thành phố Đồng Hới", AgencyKind::District),
    ("cay-xanh", "Công ty Công viên cây xanh Đồng Hới", AgencyKind::Utility),
    ("bqlda-dong-hoi", "Ban Quản lý dự án thành phố Đồng Hới", AgencyKind::District),
];

/// Agencies a coordinator may route each category to; the first is the routing table's lead.
fn candidate_agencies(category: &str) -> &'static [&'static str] {
    match category {
        "environment" => &["urenco", "stnmt", "cay-xanh", "p-dong-phu", "p-hai-dinh", "p-bac-ly", "x-bao-ninh"],
        "traffic" => &["sgtvt", "bqlda-dong-hoi", "p-nam-ly", "p-dong-son", "x-loc-ninh"],
        "telecom" => &["vnpt", "viettel"],
        "public_services" => &["ubnd-dong-hoi", "qldt-dong-hoi", "p-dong-my", "p-hai-thanh", "x-nghia-ninh"],
        "lighting" => &["pcqb", "qldt-dong-hoi", "p-phu-hai", "x-quang-phu"],
        "water" => &["quawaco", "sxd", "p-duc-ninh-dong", "x-duc-ninh"],
        "urban_order" => &["ubnd-dong-hoi", "p-bac-nghia", "x-thuan-duc", "p-dong-phu"],
        "security" => &["ca-dong-hoi"],
        _ => &["ubnd-dong-hoi", "qldt-dong-hoi"],
    }
}

/// (title, description) per category; a street name makes each report its own.
fn report_text(category: &str) -> &'static [(&'static str, &'static str)] {
    match category {
        "environment" => &[
            (
                "Rác thải tập kết sai nơi quy định",
                "Rác sinh hoạt bị đổ thành đống bên vỉa hè, bốc mùi hôi suốt nhiều ngày.",
            ),
            (
                "Nước thải chảy tràn ra đường",
                "Nước thải từ khu dân cư chảy tràn ra mặt đường, gây mùi hôi và mất vệ sinh.",
            ),
            ("Cây xanh gãy đổ chưa được dọn", "Cây xanh bị gãy sau mưa lớn, cành cây nằm chắn một phần lòng đường."),
        ],
        "traffic" => &[
            ("Ổ gà lớn giữa mặt đường", "Mặt đường bị sụt lún tạo ổ gà sâu, xe máy đi qua rất nguy hiểm vào ban đêm."),
            (
                "Biển báo giao thông bị che khuất",
                "Cây xanh che khuất biển báo tại giao lộ, nhiều xe vi phạm do không thấy.",
            ),
            (
                "Đèn tín hiệu giao thông bị hỏng",
                "Đèn tín hiệu tại ngã tư không hoạt động, giờ cao điểm rất dễ xảy ra va chạm.",
            ),
        ],
        "telecom" => &[
            (
                "Cáp viễn thông bị võng thấp",
                "Nhiều sợi cáp viễn thông bị đứt và võng xuống thấp, vướng vào xe tải khi đi qua.",
            ),
            (
                "Tủ cáp viễn thông bị bật nắp",
                "Tủ cáp bên đường bị bật nắp, dây điện lộ ra ngoài, trẻ em đi qua rất nguy hiểm.",
            ),
        ],
        "public_services" => &[
            (
                "Nhà chờ xe buýt xuống cấp",
                "Mái che nhà chờ xe buýt bị thủng, ghế ngồi gãy, không thể sử dụng khi trời mưa.",
            ),
            ("Công viên thiếu vệ sinh", "Khu vui chơi trong công viên có nhiều rác, nhà vệ sinh công cộng bị khóa."),
        ],
        "lighting" => &[
            ("Đèn đường không sáng", "Cả dãy đèn chiếu sáng trên đoạn đường này không sáng từ một tuần nay."),
            ("Cột đèn bị nghiêng sắp đổ", "Cột đèn chiếu sáng bị nghiêng sau trận gió lớn, có nguy cơ đổ vào nhà dân."),
        ],
        "water" => &[
            ("Nắp cống bị vỡ", "Nắp hố ga bị vỡ, để lộ miệng cống sâu ngay lối đi, trẻ em đi học có thể bị ngã."),
            (
                "Đường ngập sau mưa",
                "Chỉ cần mưa khoảng 30 phút là đoạn đường này ngập sâu, hệ thống thoát nước bị tắc.",
            ),
            ("Vỡ đường ống nước sạch", "Đường ống cấp nước bị vỡ, nước chảy lênh láng ra mặt đường từ sáng đến giờ."),
        ],
        "urban_order" => &[
            (
                "Lấn chiếm vỉa hè buôn bán",
                "Các quầy hàng lấn chiếm toàn bộ vỉa hè, người đi bộ phải đi xuống lòng đường.",
            ),
            (
                "Vật liệu xây dựng đổ trên đường",
                "Cát, đá xây dựng đổ tràn ra lòng đường nhiều ngày, gây cản trở giao thông.",
            ),
        ],
        "security" => {
            &[("Tụ tập gây mất trật tự ban đêm", "Nhóm thanh niên thường xuyên tụ tập, nẹt pô gây ồn ào sau 23 giờ.")]
        }
        _ => {
            &[("Bảng quảng cáo rao vặt dán tràn lan", "Tờ rơi quảng cáo dán kín cột điện và tường nhà dọc tuyến phố.")]
        }
    }
}

const STREETS: [&str; 13] = [
    "Trần Hưng Đạo",
    "Quang Trung",
    "Lý Thường Kiệt",
    "Hữu Nghị",
    "Lê Lợi",
    "Nguyễn Hữu Cảnh",
    "Hà Huy Tập",
    "Trương Pháp",
    "Phan Đình Phùng",
    "Mẹ Suốt",
    "Võ Thị Sáu",
    "Lâm Úy",
    "Hoàng Diệu",
];

const FAMILY_NAMES: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"];
const MIDDLE_NAMES: [&str; 4] = ["Văn", "Thị", "Đức", "Minh"];
const GIVEN_NAMES: [&str; 12] =
    ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Lan", "Linh", "Nam", "Sơn", "Trang"];

/// A small deterministic generator: the same seed gives the same pilot on every machine.
struct Lcg(u64);

impl Lcg {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.next_unit() * n as f64) as usize).min(n.saturating_sub(1))
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// How one report ends.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Rejected(RejectReason),
    /// Handled, the result submitted on time or late, and maybe rated.
    Handled {
        on_time: bool,
        rating: Option<Rating>,
    },
    InProgress,
    AwaitingReview,
}

/// The province's clock at a local date and hour.
fn local(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let at = day.and_hms_opt(hour, 0, 0).unwrap_or_default();
    province_offset().from_local_datetime(&at).single().map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn pilot_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 11, 1).unwrap_or_default()
}

fn pilot_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 6, 30).unwrap_or_default()
}

/// The pilot's extra agencies, seeded beside the shipped catalogue.
pub fn catalogue_additions() -> CatalogueSeed {
    CatalogueSeed {
        agencies: PILOT_AGENCIES
            .iter()
            .map(|(code, name, kind)| Agency {
                code: code.to_string(),
                name: name.to_string(),
                kind: *kind,
                contact: String::new(),
                active: true,
            })
            .collect(),
        ..CatalogueSeed::default()
    }
}

/// Every report's fate, shuffled over the reports with the fixed seed.
fn fates(random: &mut Lcg) -> Vec<Fate> {
    let mut ratings: Vec<Option<Rating>> =
        RATINGS.iter().flat_map(|(rating, n)| std::iter::repeat_n(Some(*rating), *n)).collect();
    // Ratings fall on on-time and late results alike.
    ratings.resize(HANDLED_ON_TIME + HANDLED_LATE, None);
    random.shuffle(&mut ratings);
    let mut handled: Vec<Fate> =
        ratings.into_iter().enumerate().map(|(i, rating)| Fate::Handled { on_time: i % 20 < 13, rating }).collect();
    let open = ACCEPTED - HANDLED_ON_TIME - HANDLED_LATE;
    handled.extend((0..open).map(|i| if i % 5 < 3 { Fate::InProgress } else { Fate::AwaitingReview }));
    let rejected = OTHER_REJECTIONS.iter().flat_map(|(reason, n)| std::iter::repeat_n(Fate::Rejected(*reason), *n));
    let mut fates: Vec<Fate> = handled.into_iter().chain(rejected).collect();
    random.shuffle(&mut fates);
    fates
}

/// Who acts in the pilot.
struct Cast {
    coordinator: Actor,
    operator: Account,
    officers: Vec<Account>,
    /// Citizens and when they registered, oldest first.
    citizens: Vec<(Account, DateTime<Utc>)>,
}

impl Cast {
    fn officer(&self, agency: &str) -> anyhow::Result<Actor> {
        self.officers
            .iter()
            .find(|o| o.agency.as_deref() == Some(agency))
            .map(Account::actor)
            .ok_or_else(|| anyhow!("no demo officer for {agency}"))
    }

    /// A citizen registered before `at`.
    fn citizen_before(&self, at: DateTime<Utc>, random: &mut Lcg) -> Option<&Account> {
        let registered = self.citizens.partition_point(|(_, since)| *since < at);
        (registered > 0).then(|| &self.citizens[random.below(registered)].0)
    }
}

async fn account_named(store: &dyn Store, username: &str) -> anyhow::Result<Account> {
    store
        .account_credentials(username)
        .await?
        .map(|(account, _)| account)
        .ok_or_else(|| anyhow!("no account {username}"))
}

/// The pilot's 876 citizen accounts, registered from a month before the pilot to its last day.
async fn register_citizens(store: &dyn Store, password_hash: &str) -> anyhow::Result<Vec<(Account, DateTime<Utc>)>> {
    let first = local(pilot_start(), 8) - Duration::days(30);
    let span = local(pilot_end(), 20) - first;
    let mut citizens = Vec::with_capacity(CITIZEN_ACCOUNTS);
    for i in 0..CITIZEN_ACCOUNTS {
        let username = format!("congdan.{:04}", i + 1);
        let at = first + span * i as i32 / CITIZEN_ACCOUNTS as i32;
        let name = format!(
            "{} {} {}",
            FAMILY_NAMES[i % FAMILY_NAMES.len()],
            MIDDLE_NAMES[(i / 8) % MIDDLE_NAMES.len()],
            GIVEN_NAMES[(i / 32) % GIVEN_NAMES.len()]
        );
        let account = NewAccount {
            username: Username::parse(&username).map_err(|r| anyhow!("username {username}: {r:?}"))?,
            display_name: PersonName::parse(&name).map_err(|r| anyhow!("name {name}: {r:?}"))?,
            role: ActorRole::Citizen,
            agency: None,
            password_hash: password_hash.to_string(),
        };
        match store.create_account(&account, at).await {
            Ok(_) | Err(StoreError::Duplicate(_)) => {}
            Err(error) => return Err(error.into()),
        }
        citizens.push((account_named(store, &username).await?, at));
    }
    Ok(citizens)
}

/// A pin inside the pilot area, or for out-of-area reports one in the neighbouring districts.
fn pin(random: &mut Lcg, areas: &[domain::geo::Area], inside: bool) -> anyhow::Result<(f64, f64)> {
    for _ in 0..1000 {
        let (lat, lon) = if inside {
            (17.44 + random.next_unit() * 0.08, 106.57 + random.next_unit() * 0.10)
        } else if random.next_unit() < 0.5 {
            // Ba Đồn and Quảng Trạch, north of the city.
            (17.70 + random.next_unit() * 0.08, 106.38 + random.next_unit() * 0.08)
        } else {
            // Quán Hàu in Quảng Ninh, south of the city.
            (17.33 + random.next_unit() * 0.02, 106.62 + random.next_unit() * 0.03)
        };
        let point = Coordinates::parse(lat, lon).map_err(|r| anyhow!("pin: {r:?}"))?;
        if locate(areas, &point).is_some() == inside {
            return Ok((lat, lon));
        }
    }
    bail!("no pin found {} the pilot area", if inside { "inside" } else { "outside" })
}

/// Applies `change` by `actor` at `at` to case `id`, returning the facts after it.
async fn step(
    store: &dyn Store,
    id: i64,
    actor: &Actor,
    change: Change,
    at: DateTime<Utc>,
) -> anyhow::Result<CaseFacts> {
    let (_, facts) = facts_of(store, id).await.map_err(|e| anyhow!("case {id}: {e}"))?;
    apply_change(store, id, facts.version, actor, change, at).await.map_err(|e| anyhow!("case {id}: {e}"))
}

async fn call(
    store: &dyn Store,
    operator: &Account,
    direction: CallDirection,
    input: CallInput,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let call = Call::parse(&input, direction, at).map_err(|e| anyhow!("pilot call: {e:?}"))?;
    record_call(store, &call, operator, at).await.map_err(|e| anyhow!("pilot call: {e}"))?;
    Ok(())
}

fn caller_phone(index: usize) -> String {
    format!("09{:08}", (index * 7_919_113 + 12_345) % 100_000_000)
}

/// Loads the pilot unless it is there already. Officer and staff demo accounts must exist.
pub async fn load(store: &dyn Store, password_hash: &str) -> anyhow::Result<()> {
    if store.case_for_key(&submission_key(REPORTS - 1)).await?.is_some() {
        return Ok(());
    }
    let mut random = Lcg(20_221_101);
    let areas = store.areas().await?;
    let categories = store.categories().await?;
    let calendar = HolidayCalendar::new(store.holidays().await?.into_iter().map(|h| h.date));
    let mut officers = Vec::new();
    for agency in store.agencies().await?.iter().filter(|a| a.active) {
        officers.push(account_named(store, &format!("xuly.{}", agency.code)).await?);
    }
    let cast = Cast {
        coordinator: account_named(store, "dieuphoi").await?.actor(),
        operator: account_named(store, "tongdai").await?,
        officers,
        citizens: register_citizens(store, password_hash).await.context("pilot citizens")?,
    };
    let mut report_categories: Vec<&str> =
        CATEGORY_MIX.iter().flat_map(|(code, n)| std::iter::repeat_n(*code, *n)).collect();
    random.shuffle(&mut report_categories);
    // The out-of-area reports are the last OUT_OF_AREA fates once shuffled in.
    let mut fates = fates(&mut random);
    let mut out_of_area: Vec<bool> = (0..REPORTS).map(|i| i < OUT_OF_AREA).collect();
    random.shuffle(&mut out_of_area);
    let start = local(pilot_start(), 0);
    let span_hours = (local(pilot_end(), 0) - start).num_hours();
    let mut calls = (0usize, 0usize);
    let mut hotline_index = 0;
    let mut case_ids: Vec<i64> = Vec::with_capacity(REPORTS);
    let mut routed_per_category: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for index in 0..REPORTS {
        let category = report_categories[index];
        let outside = out_of_area[index];
        let fate =
            if outside { Fate::Rejected(RejectReason::OutOfArea) } else { fates.pop().unwrap_or(Fate::InProgress) };
        // Reports come in more often as the pilot becomes known.
        let progress = (index as f64 + random.next_unit()) / REPORTS as f64;
        let received_at = start + Duration::hours((progress.sqrt() * span_hours as f64) as i64) + Duration::minutes(7);
        let (lat, lon) = pin(&mut random, &areas, !outside)?;
        let texts = report_text(category);
        let (title, description) = texts[index % texts.len()];
        let street = STREETS[random.below(STREETS.len())];
        let rated = matches!(fate, Fate::Handled { rating: Some(_), .. });
        // Rated cases came from registered citizens: only a reporter with an account can rate.
        let channel_pick = random.next_unit();
        let citizen = if rated || channel_pick < 0.55 { cast.citizen_before(received_at, &mut random) } else { None };
        let (channel, actor) = match citizen {
            Some(citizen) => (if channel_pick < 0.3 { Channel::App } else { Channel::Web }, citizen.actor()),
            None if channel_pick < 0.8 => (Channel::Hotline, cast.operator.actor()),
            None => (Channel::Web, Actor::new(ActorRole::Anonymous)),
        };
        let by_phone = channel == Channel::Hotline;
        let input = NewCaseInput {
            submission_key: submission_key(index),
            category: category.to_string(),
            title: format!("{title} – đường {street}"),
            description: format!("{description} Vị trí: đường {street}, thành phố Đồng Hới."),
            lat: Some(lat),
            lon: Some(lon),
            reporter_name: if by_phone { "Người gọi đường dây nóng".to_string() } else { String::new() },
            reporter_phone: if by_phone { caller_phone(index) } else { String::new() },
            reporter_email: String::new(),
            address: format!("Đường {street}, Đồng Hới"),
            photos: Vec::new(),
        };
        let stored = intake(store, &input, channel, &actor, received_at, Default::default())
            .await
            .map_err(|e| anyhow!("pilot report {index}: {e:?}"))?;
        let id = stored.id;
        case_ids.push(id);
        if by_phone {
            hotline_index += 1;
            calls.0 += 1;
            let input = CallInput {
                phone: caller_phone(index),
                purpose: Some(CallPurpose::NewReport),
                outcome: Some(CallOutcome::ReportCreated),
                case_id: Some(id),
                duration_seconds: 180 + (hotline_index * 37 % 240) as u32,
                callback_at: None,
                note: String::new(),
            };
            call(store, &cast.operator, CallDirection::Inbound, input, received_at + Duration::minutes(5)).await?;
        }
        // The hotline verifies most reports before screening; some callers answer only the second time.
        let verify_at = received_at + Duration::hours(2);
        let verifications: &[CallOutcome] = match (fate, index % 10) {
            (Fate::Rejected(RejectReason::InsufficientInfo), 0..=4) => &[CallOutcome::WrongInformation],
            (Fate::Rejected(RejectReason::Duplicate), _) => &[],
            (_, 0 | 5) => &[CallOutcome::Unreachable, CallOutcome::Confirmed],
            _ => &[CallOutcome::Confirmed],
        };
        for (attempt, outcome) in verifications.iter().enumerate() {
            if calls.1 >= OUTBOUND_CALLS {
                break;
            }
            calls.1 += 1;
            let input = CallInput {
                phone: if by_phone { caller_phone(index) } else { caller_phone(index + 1_000) },
                purpose: None,
                outcome: Some(*outcome),
                case_id: Some(id),
                duration_seconds: 60 + (index * 13 % 120) as u32,
                callback_at: None,
                note: String::new(),
            };
            let at = verify_at + Duration::hours(3 * attempt as i64);
            call(store, &cast.operator, CallDirection::Outbound, input, at).await?;
        }
        let screened_at = received_at + Duration::hours(8 + random.below(20) as i64);
        let reporter = citizen.map(Account::actor);
        // Every candidate agency gets a category's first cases in turn; then the lead most often.
        let routed = routed_per_category.entry(category).or_insert(0usize);
        let candidates = candidate_agencies(category);
        let agency = match candidates.get(*routed) {
            Some(agency) => *agency,
            None if random.next_unit() < 0.5 => candidates[0],
            None => candidates[random.below(candidates.len())],
        };
        if !matches!(fate, Fate::Rejected(_)) {
            *routed += 1;
        }
        let plan = (category, agency, fate);
        play(store, &cast, &calendar, &categories, id, plan, screened_at, reporter, &case_ids, &mut random)
            .await
            .with_context(|| format!("pilot report {index}"))?;
    }
    if calls.1 < OUTBOUND_CALLS {
        bail!("the pilot's plan made only {} outbound calls", calls.1);
    }
    // The other inbound calls: people asking how their case goes, for guidance, or complaining.
    for extra in 0..INBOUND_CALLS.saturating_sub(calls.0) {
        let case_id = case_ids[(extra * 7) % case_ids.len()];
        let (purpose, outcome, linked) = match extra % 10 {
            0..=4 => (CallPurpose::StatusInquiry, CallOutcome::Answered, true),
            5..=8 => (CallPurpose::Guidance, CallOutcome::Answered, false),
            _ => (CallPurpose::Complaint, CallOutcome::Forwarded, true),
        };
        let first_seen = store.case_events(case_id).await?.first().map(|e| e.occurred_at).unwrap_or(start);
        let at = first_seen + Duration::days(2 + (extra % 9) as i64);
        // A call cannot come before the case it asks about, nor after the pilot.
        let at = at.min(local(pilot_end(), 16)).max(first_seen);
        let input = CallInput {
            phone: caller_phone(5_000 + extra),
            purpose: Some(purpose),
            outcome: Some(outcome),
            case_id: linked.then_some(case_id),
            duration_seconds: 90 + (extra * 17 % 300) as u32,
            callback_at: None,
            note: String::new(),
        };
        call(store, &cast.operator, CallDirection::Inbound, input, at).await?;
    }
    tracing::info!(reports = REPORTS, "pilot dataset loaded");
    Ok(())
}

fn submission_key(index: usize) -> String {
    format!("pilot-dong-hoi-{index:03}")
}

/// Plays a case's lifecycle from screening to its fate.
#[allow(clippy::too_many_arguments)]
async fn play(
    store: &dyn Store,
    cast: &Cast,
    calendar: &HolidayCalendar,
    categories: &[domain::catalogue::Category],
    id: i64,
    (category, agency, fate): (&str, &str, Fate),
    screened_at: DateTime<Utc>,
    reporter: Option<Actor>,
    earlier: &[i64],
    random: &mut Lcg,
) -> anyhow::Result<()> {
    let coordinator = &cast.coordinator;
    if let Fate::Rejected(reason) = fate {
        let duplicate_of = (reason == RejectReason::Duplicate)
            .then(|| earlier.iter().rev().nth(1 + random.below(5).min(earlier.len().saturating_sub(2))).copied())
            .flatten();
        let (reason, duplicate_of) = match (reason, duplicate_of) {
            // The very first report cannot duplicate anything.
            (RejectReason::Duplicate, None) => (RejectReason::InsufficientInfo, None),
            other => other,
        };
        let explanation = match reason {
            RejectReason::OutOfArea => "Vị trí phản ánh nằm ngoài địa bàn thành phố Đồng Hới đang triển khai thí điểm.",
            RejectReason::Duplicate => "Nội dung trùng với một phản ánh đã được tiếp nhận và đang xử lý.",
            RejectReason::InsufficientInfo => {
                "Phản ánh chưa đủ thông tin để xác minh; mời bạn gửi lại kèm vị trí rõ hơn."
            }
            RejectReason::NotPublicMatter => "Nội dung là tranh chấp dân sự, không thuộc phạm vi phản ánh hiện trường.",
            RejectReason::HandledElsewhere => "Vụ việc đã được cơ quan chức năng tiếp nhận qua kênh khác.",
            RejectReason::Inappropriate => "Nội dung phản ánh không phù hợp với quy định sử dụng hệ thống.",
        };
        let change = Change::Rejected { reason, duplicate_of, explanation: explanation.to_string() };
        step(store, id, coordinator, change, screened_at).await?;
        return Ok(());
    }
    let days = categories.iter().find(|c| c.code == category).map(|c| c.deadline_days).unwrap_or(10);
    let deadline = calendar.deadline(screened_at, days);
    step(store, id, coordinator, Change::Accepted { agency: agency.to_string(), deadline }, screened_at).await?;
    let officer = cast.officer(agency)?;
    let acknowledged_at = screened_at + Duration::hours(3 + random.below(20) as i64);
    step(store, id, &officer, Change::Acknowledged, acknowledged_at).await?;
    let window = (deadline - acknowledged_at).num_minutes().max(60);
    let result_at = match fate {
        Fate::Handled { on_time: true, .. } | Fate::AwaitingReview => {
            acknowledged_at + Duration::minutes((window as f64 * (0.2 + 0.75 * random.next_unit())) as i64)
        }
        Fate::Handled { on_time: false, .. } => deadline + Duration::hours(6 + random.below(200) as i64),
        Fate::InProgress | Fate::Rejected(_) => return Ok(()),
    };
    let summary = "Đơn vị đã kiểm tra hiện trường và khắc phục xong; ảnh sau xử lý đính kèm hồ sơ.".to_string();
    let published = Some(summary.clone());
    step(store, id, &officer, Change::ResultSubmitted { summary, photos: Vec::new() }, result_at).await?;
    let Fate::Handled { rating, .. } = fate else { return Ok(()) };
    let approved_at = result_at + Duration::hours(4 + random.below(30) as i64);
    step(store, id, coordinator, Change::ResultApproved { published }, approved_at).await?;
    let rated_at = approved_at + Duration::hours(10 + random.below(60) as i64);
    match (rating, reporter) {
        (Some(rating), Some(reporter)) => {
            step(store, id, &reporter, Change::Rated { rating, comment: None, via: RatedVia::Account }, rated_at)
                .await?;
            if rating == Rating::Unsatisfied {
                let note = "Đã liên hệ người phản ánh giải thích kết quả; vụ việc khép lại.".to_string();
                step(
                    store,
                    id,
                    coordinator,
                    Change::Closed { note: Some(note), expired: false },
                    rated_at + Duration::days(1),
                )
                .await?;
            }
        }
        (Some(_), None) => bail!("a rated case needs a registered reporter"),
        (None, _) => {
            let change = Change::Closed { note: None, expired: true };
            step(store, id, &Actor::system(), change, approved_at + Duration::days(7)).await?;
        }
    }
    Ok(())
}
