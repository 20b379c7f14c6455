//! Intake: a report parsed with the shared core against the current catalogue, placed in its area, routed, and stored.

use crate::store::{CaseSecrets, Store, StoreError, StoredCase, Submission};
use chrono::{DateTime, Utc};
use domain::case::Channel;
use domain::geo::locate;
use domain::new_case::{NewCase, NewCaseInput};
use domain::validation::{Field, Reason, ValidationError};
use domain::workflow::{Actor, IntakeTerms};

/// Why a report was not stored.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("invalid report")]
    Invalid(Vec<ValidationError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Parses a report with the shared core against the current catalogue, finds the served
/// area holding its pin, and stores it with the channel the server saw it arrive by and the
/// catalogue's terms (deadline, route) as they stand now, with the hashes of the secrets handed
/// out with it (see [`CaseSecrets`]).
#[tracing::instrument(skip_all, fields(channel = channel.as_str()))]
pub async fn intake(
    store: &dyn Store,
    input: &NewCaseInput,
    channel: Channel,
    actor: &Actor,
    received_at: DateTime<Utc>,
    secrets: CaseSecrets,
) -> Result<StoredCase, IntakeError> {
    let categories = store.categories().await?;
    let case = NewCase::parse(input, &categories).map_err(IntakeError::Invalid)?;
    // Checked here for a clear message; the store's foreign key refuses them again atomically.
    if !store.unknown_photos(case.photos()).await?.is_empty() {
        return Err(IntakeError::Invalid(vec![ValidationError::new(Field::Photos, Reason::UnknownPhoto)]));
    }
    let areas = store.areas().await?;
    let area_code = locate(&areas, &case.location()).map(|area| area.code.clone());
    let agency = match &area_code {
        Some(area) => store.route_for(case.category(), area).await?,
        None => None,
    };
    let deadline_days = categories.iter().find(|c| c.code == case.category()).map(|c| c.deadline_days);
    let terms = deadline_days.map(|deadline_days| IntakeTerms { deadline_days, agency });
    let submission = Submission {
        channel,
        actor_role: actor.role,
        actor_account: actor.account_id,
        area_code,
        received_at,
        terms,
        secrets,
    };
    let stored = store.create_case(&case, &submission).await?;
    tracing::info!(
        case_id = stored.id,
        newly_created = stored.newly_created,
        out_of_area = submission.area_code.is_none(),
        "report stored"
    );
    Ok(stored)
}
