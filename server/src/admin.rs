//! Command-line administration: the first administrator is created here, never by a default password.

use crate::config::Settings;
use crate::{seed, storage};
use anyhow::{anyhow, bail};
use app::auth::hash_password;
use chrono::Utc;
use domain::account::{NewAccount, NewPassword, Username};
use domain::case::ActorRole;
use domain::contact::PersonName;
use services::store::StoreError;

/// Creates an administrator account in the configured database.
pub async fn create_admin(settings: &Settings, username: &str, name: &str, password: &str) -> anyhow::Result<i64> {
    let store = storage::connect(settings.database_url.expose()).await?;
    store.seed_catalogue(&seed::catalogue()?).await?;
    let username = Username::parse(username).map_err(|r| anyhow!("the username is not valid: {r:?}"))?;
    let display_name = PersonName::parse(name).map_err(|r| anyhow!("the full name is not valid: {r:?}"))?;
    let password = NewPassword::parse(password).map_err(|r| {
        anyhow!("the password must have {} to {} characters: {r:?}", NewPassword::MIN, NewPassword::MAX)
    })?;
    let account = NewAccount {
        username,
        display_name,
        role: ActorRole::Admin,
        agency: None,
        password_hash: hash_password(password.expose()).map_err(|e| anyhow!("hashing the password: {e}"))?,
    };
    match store.create_account(&account, Utc::now()).await {
        Ok(id) => Ok(id),
        Err(StoreError::Duplicate(_)) => bail!("the username {} is already taken", account.username.as_str()),
        Err(error) => Err(error.into()),
    }
}
