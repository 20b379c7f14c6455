//! The province-wide demo: the pilot city plus four districts, each with its own areas, agencies,
//! routes and area-bound coordinator, reached by configuration alone.

use anyhow::{anyhow, Context};
use chrono::{Duration, Utc};
use domain::account::{NewAccount, Username};
use domain::area_import::parse_area_file;
use domain::case::{ActorRole, Channel};
use domain::catalogue::{Agency, AgencyKind, Route};
use domain::contact::PersonName;
use domain::deadline::HolidayCalendar;
use domain::new_case::NewCaseInput;
use domain::workflow::{Actor, Change};
use services::changes::apply_change;
use services::intake::intake;
use services::store::{CatalogueSeed, Store, StoreError};

const DISTRICTS_FILE: &str = include_str!("../seed/areas/province.geojson");

/// (area code, committee code, committee name, committee phone, police code, police name).
const DISTRICTS: [(&str, &str, &str, &str, &str, &str); 4] = [
    ("bo-trach", "ubnd-bo-trach", "UBND huyện Bố Trạch", "0232 3862 201", "ca-bo-trach", "Công an huyện Bố Trạch"),
    ("ba-don", "ubnd-ba-don", "UBND thị xã Ba Đồn", "0232 3512 202", "ca-ba-don", "Công an thị xã Ba Đồn"),
    (
        "quang-ninh",
        "ubnd-quang-ninh",
        "UBND huyện Quảng Ninh",
        "0232 3870 203",
        "ca-quang-ninh",
        "Công an huyện Quảng Ninh",
    ),
    ("le-thuy", "ubnd-le-thuy", "UBND huyện Lệ Thủy", "0232 3882 204", "ca-le-thuy", "Công an huyện Lệ Thủy"),
];

/// Who leads each category outside the city: the district committee, except where a
/// province-wide company or the police serves every district.
fn lead_agency(category: &str, committee: &str, police: &str) -> String {
    match category {
        "telecom" => "vnpt".to_string(),
        "water" => "quawaco".to_string(),
        "security" => police.to_string(),
        _ => committee.to_string(),
    }
}

/// The districts' areas (active), agencies and routes, seeded beside the shipped catalogue.
pub fn catalogue_additions(categories: &[String]) -> anyhow::Result<CatalogueSeed> {
    let mut areas =
        parse_area_file(DISTRICTS_FILE).map_err(|problems| anyhow!("seed/areas/province.geojson: {problems:?}"))?;
    for area in &mut areas {
        area.active = true;
    }
    let mut agencies = Vec::new();
    let mut routes = Vec::new();
    for (area, committee, committee_name, phone, police, police_name) in DISTRICTS {
        agencies.push(Agency {
            code: committee.into(),
            name: committee_name.into(),
            kind: AgencyKind::District,
            contact: phone.into(),
            active: true,
        });
        agencies.push(Agency {
            code: police.into(),
            name: police_name.into(),
            kind: AgencyKind::Police,
            contact: String::new(),
            active: true,
        });
        routes.extend(categories.iter().map(|category| Route {
            category: category.clone(),
            area: area.into(),
            agency: lead_agency(category, committee, police),
        }));
    }
    Ok(CatalogueSeed { areas, agencies, routes, ..CatalogueSeed::default() })
}

/// A coordinator for each district, bound to it: `dieuphoi.<area>`.
async fn district_coordinators(store: &dyn Store, password_hash: &str) -> anyhow::Result<()> {
    for (area, _, committee_name, ..) in DISTRICTS {
        let username = format!("dieuphoi.{area}");
        let name = format!("Điều phối {}", committee_name.trim_start_matches("UBND "));
        let account = NewAccount {
            username: Username::parse(&username).map_err(|r| anyhow!("demo username {username}: {r:?}"))?,
            display_name: PersonName::parse(&name).map_err(|r| anyhow!("demo name {name}: {r:?}"))?,
            role: ActorRole::Coordinator,
            agency: None,
            password_hash: password_hash.to_string(),
        };
        match store.invite_account(&account, &[area.to_string()], None, None, Utc::now()).await {
            Ok(_) | Err(StoreError::Duplicate(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

/// (category, title, description) of the districts' reports.
const DISTRICT_REPORTS: [(&str, &str, &str); 5] = [
    (
        "traffic",
        "Cầu tràn bị xói lở sau lũ",
        "Mố cầu tràn bị nước lũ xói lở, mặt cầu nứt, xe tải vẫn đi qua rất nguy hiểm.",
    ),
    (
        "environment",
        "Bãi rác tự phát ven quốc lộ",
        "Rác thải sinh hoạt đổ thành bãi lớn ven quốc lộ, bốc mùi, ruồi nhặng nhiều.",
    ),
    (
        "lighting",
        "Đèn đường thôn tắt cả tuần",
        "Toàn bộ đèn chiếu sáng trên trục đường thôn không sáng, người dân đi lại ban đêm khó khăn.",
    ),
    (
        "water",
        "Đường ống nước sạch bị vỡ",
        "Ống dẫn nước sạch bị vỡ, nước chảy lênh láng ra đường, nhiều hộ dân mất nước.",
    ),
    (
        "urban_order",
        "Xây dựng lấn chiếm hành lang giao thông",
        "Một hộ dân dựng lều quán lấn chiếm hành lang an toàn giao thông đường tỉnh.",
    ),
];

/// Centres of the districts' report clusters: (area, latitude, longitude), inside each polygon.
const DISTRICT_CENTRES: [(&str, f64, f64); 4] =
    [("bo-trach", 17.55, 106.30), ("ba-don", 17.76, 106.45), ("quang-ninh", 17.25, 106.55), ("le-thuy", 16.98, 106.70)];

/// Seeds the districts' catalogue entries, before the demo accounts are made for its agencies.
pub async fn seed(store: &dyn Store) -> anyhow::Result<()> {
    let codes: Vec<String> = store.categories().await?.into_iter().map(|c| c.code).collect();
    store.seed_catalogue(&catalogue_additions(&codes)?).await.context("district catalogue")
}

/// Loads the districts' coordinators and reports once [`seed`] ran; every district's coordinator
/// screens the first three.
pub async fn load(store: &dyn Store, password_hash: &str) -> anyhow::Result<()> {
    let categories = store.categories().await?;
    district_coordinators(store, password_hash).await.context("district coordinators")?;
    let calendar = HolidayCalendar::new(store.holidays().await?.into_iter().map(|h| h.date));
    let now = Utc::now();
    for (district, (area, lat, lon)) in DISTRICT_CENTRES.into_iter().enumerate() {
        let coordinator = match store.account_credentials(&format!("dieuphoi.{area}")).await? {
            Some((account, _)) => account.actor(),
            None => anyhow::bail!("the coordinator of {area} is missing"),
        };
        for (index, (category, title, description)) in DISTRICT_REPORTS.into_iter().enumerate() {
            let offset = index as f64 * 0.01;
            let input = NewCaseInput {
                submission_key: format!("demo-province-{area}-{index}"),
                category: category.into(),
                title: title.into(),
                description: description.into(),
                lat: Some(lat + offset),
                lon: Some(lon - offset),
                ..NewCaseInput::default()
            };
            let received_at = now - Duration::hours(((district * 5 + index) as i64 + 1) * 11);
            let actor = Actor::new(ActorRole::Anonymous);
            let stored = intake(store, &input, Channel::Web, &actor, received_at, Default::default())
                .await
                .with_context(|| format!("district report {area} {index}"))?;
            if !stored.newly_created || index >= 3 {
                continue;
            }
            let Some(agency) = store.route_for(category, area).await? else { continue };
            let days = categories.iter().find(|c| c.code == category).map_or(7, |c| c.deadline_days);
            let at = received_at + Duration::hours(3);
            let change = Change::Accepted { agency, deadline: calendar.deadline(at, days) };
            apply_change(store, stored.id, 1, &coordinator, change, at)
                .await
                .map_err(|e| anyhow!("screening district report {area} {index}: {e}"))?;
        }
    }
    tracing::info!(districts = DISTRICTS.len(), "province-wide demo loaded");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::geo::{locate, Coordinates};

    #[test]
    fn every_district_centre_lies_in_its_own_district_and_nowhere_else() {
        let seed = catalogue_additions(&["traffic".to_string()]).expect("districts parse");
        let mut areas = seed.areas.clone();
        areas.extend(crate::seed::catalogue().expect("shipped catalogue").areas);
        for (area, lat, lon) in DISTRICT_CENTRES {
            for (index, _) in DISTRICT_REPORTS.iter().enumerate() {
                let offset = index as f64 * 0.01;
                let point = Coordinates::parse(lat + offset, lon - offset).expect("valid");
                let holding: Vec<&str> =
                    areas.iter().filter(|a| a.shape.contains(&point)).map(|a| a.code.as_str()).collect();
                assert_eq!(holding, [area], "report {index} of {area}");
                assert_eq!(locate(&areas, &point).map(|a| a.code.as_str()), Some(area));
            }
        }
        assert_eq!(seed.routes.len(), DISTRICTS.len());
    }
}
