//! Server functions of the administrator: keys for systems that file reports through Open311.

use crate::core::account::ApiKey;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// Every API key, newest first; the keys themselves are never shown again.
#[server(prefix = "/api", endpoint = "admin/api_keys", input = GetUrl)]
pub async fn list_api_keys() -> Result<Vec<ApiKey>, AppError> {
    let (context, _) = server::require_admin().await?;
    context.store.api_keys().await.map_err(crate::cases::store_failed)
}

/// Issues a key for the named system and returns it; this is the only time it is shown.
#[server(prefix = "/api", endpoint = "admin/issue_api_key", input = Json)]
pub async fn issue_api_key(name: String) -> Result<String, AppError> {
    let (context, admin) = server::require_admin().await?;
    let name = crate::cases::parse_note(&name, crate::core::validation::Field::DisplayName)
        .map_err(|e| crate::error::with_status(AppError::invalid(crate::api::request_lang(), vec![e])))?;
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
#[server(prefix = "/api", endpoint = "admin/revoke_api_key", input = Json)]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    let (context, admin) = server::require_admin().await?;
    context.store.revoke_api_key(id, chrono::Utc::now()).await.map_err(crate::cases::store_failed)?;
    tracing::info!(admin = admin.id, key = id, "API key revoked");
    Ok(())
}

#[cfg(feature = "ssr")]
mod server {
    use crate::api::ServerContext;
    use crate::auth::require_account;
    use crate::core::account::Account;
    use crate::core::case::ActorRole;
    use crate::error::{with_status, AppError};

    pub async fn require_admin() -> Result<(ServerContext, Account), AppError> {
        let context = ServerContext::current()?;
        let account = require_account(&context).await?;
        if account.role != ActorRole::Admin {
            return Err(with_status(AppError::Forbidden));
        }
        Ok((context, account))
    }
}
