//! Server functions of the administrator: the catalogue, staff accounts, the change log, and Open311 keys.

use crate::codec::FieldJson;
use crate::error::AppError;
use domain::account::{Account, ApiKey, InvitationForm, RoleAssignment, RoleForm};
use domain::catalogue::{Agency, AgencyForm, CatalogueChange, Category, CategoryForm, HolidayForm, Route};
use domain::deadline::Holiday;
use domain::geo::Area;
use domain::validation::ValidationError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The whole catalogue as the admin console shows it, inactive entries included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueView {
    pub categories: Vec<Category>,
    pub agencies: Vec<Agency>,
    pub areas: Vec<Area>,
    pub routes: Vec<Route>,
    pub holidays: Vec<Holiday>,
}

/// How many entries one console page keeps, and how many of them are in use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryCount {
    pub total: usize,
    /// Active entries; for API keys, those not revoked.
    pub active: usize,
}

#[cfg(feature = "ssr")]
impl EntryCount {
    fn of<T>(entries: &[T], active: impl Fn(&T) -> bool) -> Self {
        EntryCount { total: entries.len(), active: entries.iter().filter(|e| active(e)).count() }
    }
}

/// The admin console's overview: the size of each console page and the latest changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsoleOverview {
    pub categories: EntryCount,
    pub agencies: EntryCount,
    pub areas: EntryCount,
    pub staff_accounts: EntryCount,
    pub api_keys: EntryCount,
    /// The latest changes to the catalogue and accounts, newest first.
    pub recent_changes: Vec<CatalogueChange>,
}

/// How many changes the overview lists; the change log pages through the rest.
pub const OVERVIEW_CHANGES: usize = 5;

/// Checks a role form against the catalogue's active agencies and areas: the browser before
/// sending, the server before storing.
pub fn check_role(form: &RoleForm, catalogue: &CatalogueView) -> Result<RoleAssignment, Vec<ValidationError>> {
    let agencies: Vec<String> = catalogue.agencies.iter().filter(|a| a.active).map(|a| a.code.clone()).collect();
    let areas: Vec<String> = catalogue.areas.iter().filter(|a| a.active).map(|a| a.code.clone()).collect();
    RoleAssignment::parse(form, &agencies, &areas)
}

/// The counts of the console's pages and its latest changes.
#[server(prefix = "/api", endpoint = "admin/overview", input = GetUrl, output = crate::codec::JsonText)]
pub async fn admin_overview() -> Result<ConsoleOverview, AppError> {
    let (context, _) = server::require_admin().await?;
    let store = context.store.as_ref();
    let failed = crate::cases::store_failed;
    let categories = store.categories().await.map_err(failed)?;
    let agencies = store.agencies().await.map_err(failed)?;
    let areas = store.areas().await.map_err(failed)?;
    let staff = store.staff_accounts().await.map_err(failed)?;
    let keys = store.api_keys().await.map_err(failed)?;
    let recent_changes = store.catalogue_changes(None, OVERVIEW_CHANGES as u32).await.map_err(failed)?;
    Ok(ConsoleOverview {
        categories: EntryCount::of(&categories, |c| c.active),
        agencies: EntryCount::of(&agencies, |a| a.active),
        areas: EntryCount::of(&areas, |a| a.active),
        staff_accounts: EntryCount::of(&staff, |a| a.active),
        api_keys: EntryCount::of(&keys, |k| k.revoked_at.is_none()),
        recent_changes,
    })
}

/// Every category, agency, area, route and holiday.
#[server(prefix = "/api", endpoint = "admin/catalogue", input = GetUrl, output = crate::codec::JsonText)]
pub async fn admin_catalogue() -> Result<CatalogueView, AppError> {
    let (context, _) = server::require_admin().await?;
    server::catalogue(context.store.as_ref()).await
}

/// Adds a category or changes the one with its code. A new deadline applies to new cases only.
#[server(prefix = "/api", endpoint = "admin/save_category", input = FieldJson, output = crate::codec::JsonText)]
pub async fn save_category(form: CategoryForm) -> Result<(), AppError> {
    server::require_admin().await?;
    let category = Category::parse(&form).map_err(server::invalid)?;
    server::apply(domain::catalogue::CatalogueEdit::SaveCategory { category }).await
}

/// Adds an agency or changes the one with its code.
#[server(prefix = "/api", endpoint = "admin/save_agency", input = FieldJson, output = crate::codec::JsonText)]
pub async fn save_agency(form: AgencyForm) -> Result<(), AppError> {
    server::require_admin().await?;
    let agency = Agency::parse(&form).map_err(server::invalid)?;
    server::apply(domain::catalogue::CatalogueEdit::SaveAgency { agency }).await
}

/// Imports every area of a GeoJSON file, inactive until activated; either all of them or none.
/// Answers the codes imported.
#[server(prefix = "/api", endpoint = "admin/import_areas", input = FieldJson, output = crate::codec::JsonText)]
pub async fn import_areas(file: String) -> Result<Vec<String>, AppError> {
    server::import_areas(&file).await
}

/// Activates or deactivates an area: screening's out-of-area check uses the active ones.
#[server(prefix = "/api", endpoint = "admin/set_area_active", input = FieldJson, output = crate::codec::JsonText)]
pub async fn set_area_active(code: String, active: bool) -> Result<(), AppError> {
    server::apply(domain::catalogue::CatalogueEdit::SetAreaActive { code, active }).await
}

/// Sets the lead agency of a category in an area. Applies to cases that arrive from now on.
#[server(prefix = "/api", endpoint = "admin/save_route", input = FieldJson, output = crate::codec::JsonText)]
pub async fn save_route(category: String, area: String, agency: String) -> Result<(), AppError> {
    server::save_route(category, area, agency).await
}

#[server(prefix = "/api", endpoint = "admin/remove_route", input = FieldJson, output = crate::codec::JsonText)]
pub async fn remove_route(category: String, area: String) -> Result<(), AppError> {
    server::apply(domain::catalogue::CatalogueEdit::RemoveRoute { category, area }).await
}

/// Adds a day off to the holiday calendar, or renames it.
#[server(prefix = "/api", endpoint = "admin/save_holiday", input = FieldJson, output = crate::codec::JsonText)]
pub async fn save_holiday(form: HolidayForm) -> Result<(), AppError> {
    server::require_admin().await?;
    let holiday = domain::catalogue::parse_holiday(&form).map_err(server::invalid)?;
    server::apply(domain::catalogue::CatalogueEdit::SaveHoliday { holiday }).await
}

#[server(prefix = "/api", endpoint = "admin/remove_holiday", input = FieldJson, output = crate::codec::JsonText)]
pub async fn remove_holiday(date: String) -> Result<(), AppError> {
    server::require_admin().await?;
    let date = domain::catalogue::parse_holiday_date(&date)
        .map_err(|reason| server::invalid(vec![ValidationError::new(domain::validation::Field::Date, reason)]))?;
    server::apply(domain::catalogue::CatalogueEdit::RemoveHoliday { date }).await
}

/// Every staff account, active or not.
#[server(prefix = "/api", endpoint = "admin/staff", input = GetUrl, output = crate::codec::JsonText)]
pub async fn staff_accounts() -> Result<Vec<Account>, AppError> {
    let (context, _) = server::require_admin().await?;
    context.store.staff_accounts().await.map_err(crate::cases::store_failed)
}

/// Creates a staff account and answers its one-time password, shown once to hand over in person.
#[server(prefix = "/api", endpoint = "admin/invite", input = FieldJson, output = crate::codec::JsonText)]
pub async fn invite_staff(form: InvitationForm) -> Result<String, AppError> {
    server::invite(form).await
}

/// Changes an account's role, agency, areas and whether it may sign in.
#[server(prefix = "/api", endpoint = "admin/update_staff", input = FieldJson, output = crate::codec::JsonText)]
pub async fn update_staff(id: i64, role: RoleForm, active: bool) -> Result<(), AppError> {
    server::update_staff(id, role, active).await
}

/// The change log of the catalogue and accounts, newest first, 100 entries older than `before`.
#[server(prefix = "/api", endpoint = "admin/changes", input = GetUrl, output = crate::codec::JsonText)]
pub async fn catalogue_log(before: Option<i64>) -> Result<Vec<CatalogueChange>, AppError> {
    let (context, _) = server::require_admin().await?;
    context.store.catalogue_changes(before, 100).await.map_err(crate::cases::store_failed)
}

/// Every API key, newest first; the keys themselves are never shown again.
#[server(prefix = "/api", endpoint = "admin/api_keys", input = GetUrl, output = crate::codec::JsonText)]
pub async fn list_api_keys() -> Result<Vec<ApiKey>, AppError> {
    let (context, _) = server::require_admin().await?;
    context.store.api_keys().await.map_err(crate::cases::store_failed)
}

/// Issues a key for the named system and returns it; this is the only time it is shown.
#[server(prefix = "/api", endpoint = "admin/issue_api_key", input = FieldJson, output = crate::codec::JsonText)]
pub async fn issue_api_key(name: String) -> Result<String, AppError> {
    let (context, admin) = server::require_admin().await?;
    let name = crate::cases::parse_note(&name, domain::validation::Field::DisplayName)
        .map_err(|e| crate::error::with_status(AppError::invalid(crate::request::request_lang(), vec![e])))?;
    let key = crate::auth::new_secret();
    let hash = crate::auth::token_hash(&key);
    context
        .store
        .create_api_key(&name, &hash, Some(admin.id), chrono::Utc::now())
        .await
        .map_err(crate::cases::store_failed)?;
    tracing::info!(admin = admin.id, "API key issued");
    Ok(key)
}

/// Revokes a key at once: requests carrying it get 403 from now on.
#[server(prefix = "/api", endpoint = "admin/revoke_api_key", input = FieldJson, output = crate::codec::JsonText)]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    let (context, admin) = server::require_admin().await?;
    context.store.revoke_api_key(id, chrono::Utc::now()).await.map_err(crate::cases::store_failed)?;
    tracing::info!(admin = admin.id, key = id, "API key revoked");
    Ok(())
}

#[cfg(feature = "ssr")]
pub(crate) use server::require_admin;

#[cfg(feature = "ssr")]
mod server {
    //! The administrator's checks and edits on the server.

    use super::CatalogueView;
    use crate::auth::require_account;
    use crate::cases::store_failed;
    use crate::error::{with_status, AppError, JsonDetails};
    use crate::request::request_lang;
    use chrono::Utc;
    use domain::account::{Account, InvitationForm, NewAccount, RoleForm, Username};
    use domain::area_import::parse_area_file;
    use domain::case::ActorRole;
    use domain::catalogue::{CatalogueEdit, Route};
    use domain::contact::PersonName;
    use domain::validation::{Field, Reason, ValidationError};
    use services::store::{Store, StoreError};
    use services::ServerContext;

    pub fn invalid(errors: Vec<ValidationError>) -> AppError {
        with_status(AppError::invalid(request_lang(), errors))
    }

    fn one_invalid(field: Field, reason: Reason) -> AppError {
        invalid(vec![ValidationError::new(field, reason)])
    }

    pub async fn catalogue(store: &dyn Store) -> Result<CatalogueView, AppError> {
        Ok(CatalogueView {
            categories: store.categories().await.map_err(store_failed)?,
            agencies: store.agencies().await.map_err(store_failed)?,
            areas: store.areas().await.map_err(store_failed)?,
            routes: store.routes().await.map_err(store_failed)?,
            holidays: store.holidays().await.map_err(store_failed)?,
        })
    }

    /// Applies one edit as the signed-in administrator; an unknown entry is a 404.
    pub async fn apply(edit: CatalogueEdit) -> Result<(), AppError> {
        let (context, admin) = require_admin().await?;
        context
            .store
            .apply_catalogue_edits(std::slice::from_ref(&edit), Some(admin.id), Utc::now())
            .await
            .map_err(store_failed)?;
        let (entity, key) = edit.target();
        tracing::info!(admin = admin.id, entity = entity.as_str(), key, "catalogue changed");
        Ok(())
    }

    pub async fn import_areas(file: &str) -> Result<Vec<String>, AppError> {
        let (context, admin) = require_admin().await?;
        let areas =
            parse_area_file(file).map_err(|problems| with_status(AppError::AreaImport(JsonDetails::new(&problems))))?;
        let edits: Vec<CatalogueEdit> =
            areas.iter().map(|area| CatalogueEdit::ImportArea { area: area.clone() }).collect();
        context.store.apply_catalogue_edits(&edits, Some(admin.id), Utc::now()).await.map_err(store_failed)?;
        tracing::info!(admin = admin.id, count = areas.len(), "areas imported");
        Ok(areas.into_iter().map(|a| a.code).collect())
    }

    pub async fn save_route(category: String, area: String, agency: String) -> Result<(), AppError> {
        let (context, _) = require_admin().await?;
        let catalogue = catalogue(context.store.as_ref()).await?;
        let mut errors = Vec::new();
        if !catalogue.categories.iter().any(|c| c.code == category) {
            errors.push(ValidationError::new(Field::Category, Reason::UnknownCategory));
        }
        if !catalogue.areas.iter().any(|a| a.code == area) {
            errors.push(ValidationError::new(Field::Area, Reason::UnknownArea));
        }
        match catalogue.agencies.iter().find(|a| a.code == agency) {
            None => errors.push(ValidationError::new(Field::Agency, Reason::UnknownAgency)),
            Some(found) if !found.active => errors.push(ValidationError::new(Field::Agency, Reason::Inactive)),
            Some(_) => {}
        }
        if !errors.is_empty() {
            return Err(invalid(errors));
        }
        apply(CatalogueEdit::SaveRoute { route: Route { category, area, agency } }).await
    }

    pub async fn invite(form: InvitationForm) -> Result<String, AppError> {
        let (context, admin) = require_admin().await?;
        let store = context.store.as_ref();
        let username = Username::parse(&form.username).map_err(|r| ValidationError::new(Field::Username, r));
        let name = PersonName::parse(&form.display_name).map_err(|r| ValidationError::new(Field::DisplayName, r));
        let role = super::check_role(&form.role, &catalogue(store).await?);
        let (username, name, role) = match (username, name, role) {
            (Ok(username), Ok(name), Ok(role)) => (username, name, role),
            (username, name, role) => {
                let mut errors: Vec<ValidationError> = [username.err(), name.err()].into_iter().flatten().collect();
                errors.extend(role.err().unwrap_or_default());
                return Err(invalid(errors));
            }
        };
        let password = crate::auth::new_secret();
        let account = NewAccount {
            username,
            display_name: name,
            role: role.role,
            agency: role.agency,
            password_hash: crate::auth::hash_password_blocking(password.clone()).await?,
        };
        let now = Utc::now();
        let one_time_until = now + crate::auth::ONE_TIME_PASSWORD_LIFETIME;
        match store.invite_account(&account, &role.areas, Some(one_time_until), Some(admin.id), now).await {
            Ok(id) => {
                tracing::info!(admin = admin.id, account = id, "staff account created");
                Ok(password)
            }
            Err(StoreError::Duplicate(_)) => Err(with_status(AppError::UsernameTaken)),
            Err(error) => Err(store_failed(error)),
        }
    }

    pub async fn update_staff(id: i64, form: RoleForm, active: bool) -> Result<(), AppError> {
        let (context, admin) = require_admin().await?;
        let store = context.store.as_ref();
        let role = super::check_role(&form, &catalogue(store).await?).map_err(invalid)?;
        // An administrator who locks themselves out leaves the province without one.
        if id == admin.id && (!active || role.role != ActorRole::Admin) {
            return Err(one_invalid(Field::Role, Reason::OwnAccount));
        }
        store.update_account(id, &role, active, Some(admin.id), Utc::now()).await.map_err(store_failed)?;
        tracing::info!(admin = admin.id, account = id, active, "staff account changed");
        Ok(())
    }

    /// The signed-in administrator, or 401/403: asked before a form is read, so a refusal reveals
    /// nothing about the form or the catalogue.
    pub async fn require_admin() -> Result<(ServerContext, Account), AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        if account.role != ActorRole::Admin {
            return Err(with_status(AppError::Forbidden));
        }
        Ok((context, account))
    }
}
