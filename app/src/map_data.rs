//! What a cluster map asks of the server: parameters, the asker's scope, the answers, and the server functions.

use crate::error::AppError;
use crate::i18n::Lang;
pub use domain::map_query::*;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// A map's filter panel as a person sets it ("" for any), and the view it is set on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapFilters {
    pub status: String,
    pub category: String,
    pub agency: String,
    pub area: String,
    pub channel: String,
    pub overdue: bool,
    pub from: String,
    pub to: String,
    /// Words to search for; empty for none.
    pub q: String,
}

impl MapFilters {
    /// The filters named in a page address's query; what it does not name is "any".
    pub fn from_query(query: &leptos_router::params::ParamsMap) -> Self {
        let text = |name: &str| query.get(name).unwrap_or_default();
        MapFilters {
            status: text("status"),
            category: text("category"),
            agency: text("agency"),
            area: text("area"),
            channel: text("channel"),
            overdue: query.get("overdue").is_some_and(|v| v == "true"),
            from: text("from"),
            to: text("to"),
            q: text("q"),
        }
    }

    /// The server functions' parameters for these filters over `bounds` at `zoom`.
    pub fn params(&self, bounds: Bounds, zoom: u8) -> MapParams {
        MapParams {
            bbox: bounds.to_param(),
            zoom: zoom.to_string(),
            status: self.status.clone(),
            category: self.category.clone(),
            agency: self.agency.clone(),
            area: self.area.clone(),
            channel: self.channel.clone(),
            overdue: if self.overdue { "true".into() } else { String::new() },
            from: self.from.clone(),
            to: self.to.clone(),
            public: String::new(),
            q: self.q.clone(),
        }
    }

    /// The query of a page address that reopens this view: the viewport, the zoom, and the
    /// filters that are set.
    pub fn view_query(&self, bounds: Bounds, zoom: u8) -> String {
        let params = self.params(bounds, zoom);
        [
            ("bbox", params.bbox),
            ("zoom", params.zoom),
            ("status", params.status),
            ("category", params.category),
            ("agency", params.agency),
            ("area", params.area),
            ("channel", params.channel),
            ("overdue", params.overdue),
            ("from", params.from),
            ("to", params.to),
            ("q", params.q),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", query_escape(&value)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// A query value with the characters that would end or split it escaped; codes, numbers and
/// dates pass through as they are.
fn query_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b',' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Where a map opens for a page address: the centre of its `bbox` at its `zoom` when both are
/// valid, `None` otherwise (the page then opens on its default view).
pub fn view_from_query(query: &leptos_router::params::ParamsMap) -> Option<((f64, f64), f64)> {
    let params = MapParams {
        bbox: query.get("bbox").unwrap_or_default(),
        zoom: query.get("zoom").unwrap_or_default(),
        ..MapParams::default()
    };
    let request = MapRequest::parse(&params).ok()?;
    let v = request.viewport;
    Some((((v.south + v.north) / 2.0, (v.west + v.east) / 2.0), f64::from(request.zoom)))
}

/// The parameters' errors as one message in `lang`.
pub fn describe(lang: Lang, errors: &[ParamError]) -> String {
    errors.iter().map(|e| crate::i18n::map_param_message(lang, e)).collect::<Vec<_>>().join("; ")
}

/// Clusters and cases in the viewport that the signed-in account may see.
#[server(prefix = "/api", endpoint = "map_clusters", input = GetUrl, output = crate::codec::JsonText)]
pub async fn map_clusters(params: MapParams) -> Result<MapAnswer, AppError> {
    let (context, request, scope) = server::prepare(&params).await?;
    let searched = server::searched(&context, &request, &scope).await?;
    Ok(services::map::answer(&context.index, &request, &scope, chrono::Utc::now(), searched.as_deref()))
}

/// A page of the cases in the viewport, newest first.
#[server(prefix = "/api", endpoint = "map_cases", input = GetUrl, output = crate::codec::JsonText)]
pub async fn map_cases(params: MapParams, offset: u32) -> Result<CasePage, AppError> {
    let (context, request, scope) = server::prepare(&params).await?;
    let searched = server::searched(&context, &request, &scope).await?;
    services::map::page(&context, &request, &scope, chrono::Utc::now(), offset, searched.as_deref())
        .await
        .map_err(crate::request::store_failure)
}

/// The filter choices of the public map: every category, agency and area, for anyone.
#[server(prefix = "/api", endpoint = "public_map_choices", input = GetUrl, output = crate::codec::JsonText)]
pub async fn public_map_choices() -> Result<FilterChoices, AppError> {
    server::public_choices().await
}

/// The filter choices of the staff map, for officers, coordinators, leaders and administrators.
#[server(prefix = "/api", endpoint = "map_choices", input = GetUrl, output = crate::codec::JsonText)]
pub async fn map_choices() -> Result<FilterChoices, AppError> {
    server::choices().await
}

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: who asks, and what their query is.

    use super::{describe, MapParams, MapRequest};
    use crate::error::{with_status, AppError};
    use crate::request::{context, request_lang};
    use domain::case::ActorRole;
    use services::map::Scope;
    use services::ServerContext;

    pub async fn prepare(params: &MapParams) -> Result<(ServerContext, MapRequest, Scope), AppError> {
        let context = context()?;
        let request = MapRequest::parse(params)
            .map_err(|errors| with_status(AppError::BadRequest(describe(request_lang(), &errors))))?;
        if params.wants_public_view() {
            return Ok((context, request, Scope::Public));
        }
        let account = crate::auth::working_account(&context).await?;
        Ok((context, request, Scope::of(account.as_ref())))
    }

    /// The cases the request's words find in `scope`; `None` when it searches for nothing.
    pub async fn searched(
        context: &ServerContext,
        request: &MapRequest,
        scope: &Scope,
    ) -> Result<Option<Vec<i64>>, AppError> {
        services::map::found_cases(context.store.as_ref(), request, scope).await.map_err(crate::request::store_failure)
    }

    /// The roles that open the staff map: those who work cases, those who follow them up, and
    /// the administrator who keeps the catalogue the map filters by.
    const STAFF_MAP_ROLES: [ActorRole; 4] =
        [ActorRole::Officer, ActorRole::Coordinator, ActorRole::Leader, ActorRole::Admin];

    /// Who may call is decided before the catalogue is read: 401 signed out, 403 for other roles.
    pub async fn choices() -> Result<super::FilterChoices, AppError> {
        let context = context()?;
        let account = crate::auth::require_account(&context).await?;
        if !STAFF_MAP_ROLES.contains(&account.role) {
            return Err(with_status(AppError::Forbidden));
        }
        catalogue(&context, account.role != ActorRole::Officer).await
    }

    pub async fn public_choices() -> Result<super::FilterChoices, AppError> {
        catalogue(&context()?, true).await
    }

    /// The active catalogue as filter choices.
    async fn catalogue(context: &ServerContext, choose_agency: bool) -> Result<super::FilterChoices, AppError> {
        use super::Choice;
        let failed = |error: services::store::StoreError| {
            tracing::error!(%error, "storage failed");
            with_status(AppError::Unavailable)
        };
        let store = context.store.as_ref();
        let categories = store.categories().await.map_err(failed)?;
        let agencies = store.agencies().await.map_err(failed)?;
        let areas = store.areas().await.map_err(failed)?;
        let same = |code: String, name: String| Choice { code, name_vi: name.clone(), name_en: name };
        Ok(super::FilterChoices {
            allowed: true,
            choose_agency,
            categories: categories
                .into_iter()
                .map(|c| Choice { code: c.code, name_vi: c.name_vi, name_en: c.name_en })
                .collect(),
            agencies: agencies.into_iter().map(|a| same(a.code, a.name)).collect(),
            areas: areas.into_iter().map(|a| same(a.code, a.name)).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::map_param_message;
    use domain::map_query::{Param, ParamError, Problem};

    #[test]
    fn messages_name_the_parameter_in_each_language() {
        let error = ParamError { param: Param::Zoom, problem: Problem::OutOfRange };
        assert_eq!(map_param_message(Lang::En, &error), "zoom must be from 0 to 22.");
        assert_eq!(map_param_message(Lang::Vi, &error), "zoom: phải từ 0 đến 22.");
        let error = ParamError { param: Param::Status, problem: Problem::Unknown("lost".into()) };
        assert!(map_param_message(Lang::En, &error).starts_with("status:"));
        assert_eq!(describe(Lang::En, &[]), "");
    }

    /// The query of an address, as the router reads it.
    fn read(query: &str) -> leptos_router::params::ParamsMap {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(name, value)| (name.to_string(), value.replace("%20", " ")))
            .collect()
    }

    #[test]
    fn a_view_written_to_the_address_reads_back_as_the_same_view() {
        let bounds = Bounds { west: 106.5, south: 17.4, east: 106.7, north: 17.5 };
        let filters = MapFilters {
            status: "rejected".into(),
            agency: "viettel".into(),
            overdue: true,
            from: "2023-01-01".into(),
            ..MapFilters::default()
        };
        let query = filters.view_query(bounds, 13);
        assert_eq!(query, "bbox=106.500000,17.400000,106.700000,17.500000&zoom=13&status=rejected&agency=viettel&overdue=true&from=2023-01-01");
        let address = read(&query);
        assert_eq!(MapFilters::from_query(&address), filters);
        let ((lat, lon), zoom) = view_from_query(&address).expect("a view");
        assert!((lat - 17.45).abs() < 1e-9 && (lon - 106.6).abs() < 1e-9);
        assert_eq!(zoom, 13.0);
    }

    #[test]
    fn an_address_without_a_valid_view_opens_the_default_and_values_cannot_split_the_query() {
        assert_eq!(view_from_query(&read("bbox=1,2,3&zoom=12")), None);
        assert_eq!(view_from_query(&read("bbox=106.5,17.4,106.7,17.5&zoom=99")), None);
        assert_eq!(view_from_query(&read("status=assigned")), None);
        let filters = MapFilters { category: "a&b=c d".into(), ..MapFilters::default() };
        let bounds = Bounds { west: 0.0, south: 0.0, east: 1.0, north: 1.0 };
        assert!(filters.view_query(bounds, 3).ends_with("&category=a%26b%3Dc%20d"));
    }
}
