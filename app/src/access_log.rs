//! The access log's server functions: the administrator's log of who saw personal data, the
//! leader's counts of it, and the recording every page showing personal data to staff goes through.

use crate::error::AppError;
use chrono::NaiveDate;
use domain::access_log::{AccessCount, AccessEntry};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One page of the access log, newest first, and the entry the next (older) page starts before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogPage {
    pub entries: Vec<AccessEntry>,
    /// `None` on the last page.
    pub older_than: Option<i64>,
}

/// The views of personal data recorded in a period, by role: counts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodAccessCounts {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by_role: Vec<AccessCount>,
}

/// The access log for administrators: a page of views, newest first, older than entry `before`
/// when given; only those of the staff member `username` and of case `case_id` (a number, "#12"
/// as typed) when given; blank means anyone and any case.
#[server(prefix = "/api", endpoint = "admin/access_log", input = GetUrl, output = crate::codec::JsonText)]
pub async fn access_log(username: String, case_id: String, before: Option<i64>) -> Result<AccessLogPage, AppError> {
    server::access_log(username, case_id, before).await
}

/// For leaders (and administrators): how many views of personal data each role made in a period
/// (dates YYYY-MM-DD, both included; the last twelve months when neither is given).
#[server(prefix = "/api", endpoint = "leader/access_counts", input = GetUrl, output = crate::codec::JsonText)]
pub async fn access_counts(from: String, to: String) -> Result<PeriodAccessCounts, AppError> {
    server::access_counts(from, to).await
}

#[cfg(feature = "ssr")]
pub use server::record_access;

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: who may read the log, and recording a view before its data is shown.

    use super::*;
    use crate::auth::require_account;
    use crate::error::with_status;
    use crate::request::{request_lang, store_failure};
    use chrono::Utc;
    use domain::access_log::{
        parse_case_filter, AccessPurpose, AccessQuery, AccessSubject, NewAccess, ACCESS_LOG_PAGE, SHOWN_SUBJECTS,
    };
    use domain::account::{Account, Username};
    use domain::case::ActorRole;
    use domain::statistics::Period;
    use domain::validation::{Field, ValidationError};
    use services::store::Store;

    /// Records that `account` sees `subjects` on the page `purpose` names. Called by every server
    /// function that hands staff a reporter's contact or a caller's number, after reading the data
    /// and before answering: when the record cannot be written, the answer is a 503 and the data is
    /// not shown. A view that shows no personal data records nothing.
    pub async fn record_access(
        store: &dyn Store,
        account: &Account,
        purpose: AccessPurpose,
        subjects: Vec<AccessSubject>,
    ) -> Result<(), AppError> {
        if subjects.is_empty() {
            return Ok(());
        }
        let access = NewAccess { account_id: account.id, role: account.role, purpose, at: Utc::now(), subjects };
        match store.record_access(&access).await {
            Ok(_) => Ok(()),
            Err(error) => {
                tracing::error!(%error, account = account.id, purpose = purpose.as_str(), "recording a view of personal data failed; nothing is shown");
                Err(with_status(AppError::Unavailable))
            }
        }
    }

    fn invalid(errors: Vec<ValidationError>) -> AppError {
        with_status(AppError::invalid(request_lang(), errors))
    }

    /// Who may read the log is decided first, before any filter is read: 401 signed out, 403 for
    /// everyone but administrators.
    pub async fn access_log(username: String, case_id: String, before: Option<i64>) -> Result<AccessLogPage, AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        if account.role != ActorRole::Admin {
            return Err(with_status(AppError::Forbidden));
        }
        let username = match username.trim() {
            "" => Ok(None),
            name => Username::parse(name)
                .map(|u| Some(u.as_str().to_string()))
                .map_err(|r| ValidationError::new(Field::Username, r)),
        };
        let case_id = parse_case_filter(&case_id);
        let (username, case_id) = match (username, case_id) {
            (Ok(username), Ok(case_id)) => (username, case_id),
            (username, case_id) => {
                return Err(invalid([username.err(), case_id.err()].into_iter().flatten().collect()))
            }
        };
        let query = AccessQuery { username, case_id, before };
        // One entry more than a page tells whether an older page follows.
        let mut entries =
            context.store.access_log(&query, ACCESS_LOG_PAGE + 1, SHOWN_SUBJECTS).await.map_err(store_failure)?;
        let older_than = if entries.len() > ACCESS_LOG_PAGE as usize {
            entries.truncate(ACCESS_LOG_PAGE as usize);
            entries.last().map(|entry| entry.id)
        } else {
            None
        };
        Ok(AccessLogPage { entries, older_than })
    }

    pub async fn access_counts(from: String, to: String) -> Result<PeriodAccessCounts, AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        if !matches!(account.role, ActorRole::Leader | ActorRole::Admin) {
            return Err(with_status(AppError::Forbidden));
        }
        let period = if from.trim().is_empty() && to.trim().is_empty() {
            Period::last_twelve_months(Utc::now())
        } else {
            Period::parse(&from, &to).map_err(invalid)?
        };
        let by_role = context.store.access_counts(period.start(), period.end()).await.map_err(store_failure)?;
        Ok(PeriodAccessCounts { from: period.from, to: period.to, by_role })
    }
}
