//! Demo datasets, loaded through the same intake as real reports so that they obey every rule.

use anyhow::{bail, Context};
use app::auth::hash_password;
use chrono::{Duration, Utc};
use domain::account::{NewAccount, RoleAssignment, Username};
use domain::case::{ActorRole, Channel};
use domain::catalogue::Agency;
use domain::contact::PersonName;
use domain::deadline::HolidayCalendar;
use domain::new_case::NewCaseInput;
use domain::workflow::{Actor, Change, RejectReason};
use services::changes::apply_change;
use services::intake::intake;
use services::store::{Store, StoreError};

/// Which demo data to load at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoDataset {
    Off,
    /// A few dozen recent reports around Đồng Hới, a few of them outside the pilot area.
    Sample,
    /// The Đồng Hới pilot of 2022-11-01 to 2023-06-30, every case played to its end.
    Pilot,
    /// The sample, plus four districts with their own areas, agencies, routes and coordinators.
    Province,
}

impl DemoDataset {
    pub fn parse(raw: &str) -> anyhow::Result<Self> {
        match raw.trim() {
            "" | "off" => Ok(Self::Off),
            "sample" => Ok(Self::Sample),
            "pilot" => Ok(Self::Pilot),
            "province" => Ok(Self::Province),
            other => bail!("HIENTRUONG_DEMO must be off, sample, pilot or province, not {other:?}"),
        }
    }
}

/// (category, title, description) of the sample reports.
const SAMPLE_REPORTS: [(&str, &str, &str); 12] = [
    (
        "environment",
        "Rác thải tập kết sai nơi quy định",
        "Rác sinh hoạt bị đổ thành đống bên vỉa hè, bốc mùi hôi suốt nhiều ngày, chưa được thu gom.",
    ),
    (
        "traffic",
        "Ổ gà lớn giữa mặt đường",
        "Mặt đường bị sụt lún tạo ổ gà sâu khoảng 20 cm, xe máy đi qua rất nguy hiểm, nhất là vào ban đêm.",
    ),
    (
        "lighting",
        "Đèn đường không sáng",
        "Cả dãy đèn chiếu sáng trên đoạn đường này không sáng từ một tuần nay, người đi đường phải dùng đèn pin.",
    ),
    (
        "water",
        "Nắp cống bị vỡ",
        "Nắp hố ga bị vỡ, để lộ miệng cống sâu ngay lối đi, trẻ em đi học qua đây có thể bị ngã.",
    ),
    (
        "telecom",
        "Cáp viễn thông bị võng thấp",
        "Nhiều sợi cáp viễn thông bị đứt và võng xuống thấp, vướng vào xe tải khi đi qua.",
    ),
    (
        "urban_order",
        "Lấn chiếm vỉa hè buôn bán",
        "Các quầy hàng lấn chiếm toàn bộ vỉa hè, người đi bộ phải đi xuống lòng đường.",
    ),
    (
        "environment",
        "Nước thải chảy tràn ra đường",
        "Nước thải từ khu dân cư chảy tràn ra mặt đường, gây mùi hôi và mất vệ sinh.",
    ),
    (
        "public_services",
        "Nhà chờ xe buýt xuống cấp",
        "Mái che nhà chờ xe buýt bị thủng, ghế ngồi gãy, không thể sử dụng khi trời mưa.",
    ),
    (
        "traffic",
        "Biển báo giao thông bị che khuất",
        "Cây xanh mọc um tùm che khuất biển báo cấm rẽ trái tại giao lộ, nhiều xe vi phạm do không thấy.",
    ),
    ("security", "Tụ tập gây mất trật tự ban đêm", "Nhóm thanh niên thường xuyên tụ tập, nẹt pô gây ồn ào sau 23 giờ."),
    (
        "water",
        "Đường ngập sau mưa",
        "Chỉ cần mưa khoảng 30 phút là đoạn đường này ngập sâu, hệ thống thoát nước có vẻ bị tắc.",
    ),
    (
        "lighting",
        "Cột đèn bị nghiêng sắp đổ",
        "Cột đèn chiếu sáng bị nghiêng sau trận gió lớn, có nguy cơ đổ vào nhà dân.",
    ),
];

/// Pseudo-random but fixed offsets, so that every load places the same pins.
struct Lcg(u64);

impl Lcg {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The password of every demo account, printed in the README for training sessions.
pub const DEMO_PASSWORD: &str = "hientruong-demo";

/// One account per role, and an officer for each agency: (username, display name, role, agency).
fn demo_accounts(agencies: &[Agency]) -> Vec<(String, String, ActorRole, Option<String>)> {
    let mut accounts = vec![
        ("dan".to_string(), "Nguyễn Văn Dân".to_string(), ActorRole::Citizen, None),
        ("tongdai".to_string(), "Trần Thị Tổng Đài".to_string(), ActorRole::Operator, None),
        ("dieuphoi".to_string(), "Lê Văn Điều Phối".to_string(), ActorRole::Coordinator, None),
        ("lanhdao".to_string(), "Phạm Văn Lãnh Đạo".to_string(), ActorRole::Leader, None),
        ("quantri".to_string(), "Hoàng Thị Quản Trị".to_string(), ActorRole::Admin, None),
    ];
    accounts.extend(agencies.iter().filter(|a| a.active).map(|agency| {
        (
            format!("xuly.{}", agency.code),
            format!("Cán bộ {}", agency.name),
            ActorRole::Officer,
            Some(agency.code.clone()),
        )
    }));
    accounts
}

/// The heads of agencies among the demo accounts, each an officer beside the agency's `xuly.`
/// account, whom they give the agency's cases to: (username, display name, agency).
const DEMO_HEADS: [(&str, &str, &str); 1] = [("truong.urenco", "Đặng Văn Trưởng", "urenco")];

/// Creates the demo heads of agencies that are missing; an existing one keeps what an
/// administrator made of it.
async fn load_heads(store: &dyn Store, agencies: &[Agency], hash: &str) -> anyhow::Result<()> {
    for (username, display_name, agency) in DEMO_HEADS {
        if !agencies.iter().any(|a| a.active && a.code == agency) {
            continue;
        }
        let account = NewAccount {
            username: Username::parse(username).map_err(|r| anyhow::anyhow!("demo username {username}: {r:?}"))?,
            display_name: PersonName::parse(display_name).map_err(|r| anyhow::anyhow!("demo name: {r:?}"))?,
            role: ActorRole::Officer,
            agency: Some(agency.to_string()),
            password_hash: hash.to_string(),
        };
        let now = Utc::now();
        match store.create_account(&account, now).await {
            Ok(id) => {
                let head = RoleAssignment {
                    role: ActorRole::Officer,
                    agency: Some(agency.to_string()),
                    areas: Vec::new(),
                    agency_head: true,
                };
                store.update_account(id, &head, true, None, now).await?;
            }
            Err(StoreError::Duplicate(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

/// Creates the demo accounts that are missing and returns the demo password's hash.
async fn load_accounts(store: &dyn Store) -> anyhow::Result<String> {
    let agencies = store.agencies().await?;
    // One hash serves every demo account: they share the published demo password anyway.
    let hash = hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))?;
    for (username, display_name, role, agency) in demo_accounts(&agencies) {
        let account = NewAccount {
            username: Username::parse(&username).map_err(|r| anyhow::anyhow!("demo username {username}: {r:?}"))?,
            display_name: PersonName::parse(&display_name).map_err(|r| anyhow::anyhow!("demo name: {r:?}"))?,
            role,
            agency,
            password_hash: hash.clone(),
        };
        match store.create_account(&account, Utc::now()).await {
            Ok(_) | Err(StoreError::Duplicate(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    load_heads(store, &agencies, &hash).await?;
    Ok(hash)
}

/// Screens most sample reports as a coordinator would, so the public sees routed and rejected
/// cases; every sixth one stays waiting in the screening queue. Reports outside every active
/// area are rejected as out of area; the others go where the routing table says.
async fn screen_sample(
    store: &dyn Store,
    id: i64,
    category: &str,
    index: usize,
    at: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let area = match store.case_events(id).await?.first().map(|e| e.change.clone()) {
        Some(Change::Submitted { area, .. }) => area,
        _ => None,
    };
    let coordinator = match store.account_credentials("dieuphoi").await? {
        Some((account, _)) => account.actor(),
        None => anyhow::bail!("the demo coordinator is missing"),
    };
    let change = if area.is_none() {
        let explanation =
            "Vị trí phản ánh nằm ngoài địa bàn đang triển khai; đề nghị liên hệ chính quyền địa phương nơi xảy ra.";
        Change::Rejected { reason: RejectReason::OutOfArea, duplicate_of: None, explanation: explanation.into() }
    } else if index % 6 == 5 {
        return Ok(());
    } else {
        let Some(agency) = store.route_for(category, area.as_deref().unwrap_or_default()).await? else { return Ok(()) };
        let days = store.categories().await?.iter().find(|c| c.code == category).map(|c| c.deadline_days).unwrap_or(7);
        let calendar = HolidayCalendar::new(store.holidays().await?.into_iter().map(|h| h.date));
        Change::Accepted { agency, deadline: calendar.deadline(at, days) }
    };
    apply_change(store, id, 1, &coordinator, change, at)
        .await
        .map_err(|e| anyhow::anyhow!("screening demo report {index}: {e}"))?;
    Ok(())
}

/// Loads `dataset` unless it is already there; its submission keys make loading idempotent.
pub async fn load(store: &dyn Store, dataset: DemoDataset) -> anyhow::Result<()> {
    if dataset == DemoDataset::Off {
        return Ok(());
    }
    if dataset == DemoDataset::Pilot {
        store.seed_catalogue(&crate::pilot::catalogue_additions()).await.context("pilot agencies")?;
        let hash = load_accounts(store).await.context("demo accounts")?;
        return crate::pilot::load(store, &hash).await.context("pilot dataset");
    }
    if dataset == DemoDataset::Province {
        crate::province::seed(store).await?;
    }
    let hash = load_accounts(store).await.context("demo accounts")?;
    if dataset == DemoDataset::Province {
        crate::province::load(store, &hash).await.context("province-wide dataset")?;
    }
    const COUNT: usize = 36;
    let mut random = Lcg(20221101);
    let now = Utc::now();
    let channels = [Channel::Web, Channel::App, Channel::Hotline];
    let mut created = 0;
    for index in 0..COUNT {
        let (category, title, description) = SAMPLE_REPORTS[index % SAMPLE_REPORTS.len()];
        // Every ninth report lies north, in Ba Đồn: outside the pilot area.
        let (lat, lon) = if index % 9 == 8 {
            (17.755 + random.next_unit() * 0.02, 106.42 + random.next_unit() * 0.02)
        } else {
            (17.44 + random.next_unit() * 0.07, 106.58 + random.next_unit() * 0.07)
        };
        let input = NewCaseInput {
            submission_key: format!("demo-sample-{index:03}"),
            category: category.to_string(),
            title: title.to_string(),
            description: description.to_string(),
            lat: Some(lat),
            lon: Some(lon),
            reporter_name: if index % 3 == 0 { "Người dân (dữ liệu mẫu)".to_string() } else { String::new() },
            reporter_phone: if index % 3 == 0 { format!("0912{:06}", index * 7919 % 1_000_000) } else { String::new() },
            reporter_email: String::new(),
            address: String::new(),
            photos: Vec::new(),
        };
        let received_at = now - Duration::hours((COUNT - index) as i64 * 17);
        let channel = channels[index % channels.len()];
        let actor = Actor::new(if channel == Channel::Hotline { ActorRole::Operator } else { ActorRole::Anonymous });
        let stored = intake(store, &input, channel, &actor, received_at, Default::default())
            .await
            .with_context(|| format!("demo report {index}"))?;
        created += usize::from(stored.newly_created);
        if stored.newly_created {
            screen_sample(store, stored.id, category, index, received_at + Duration::hours(2)).await?;
        }
    }
    tracing::info!(created, "sample demo dataset loaded");
    Ok(())
}
