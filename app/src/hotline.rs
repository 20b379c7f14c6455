//! Server functions of the hotline: reports taken by phone, the call log, verification calls, and claims.

use crate::api::SubmittedCase;
use crate::codec::FieldJson;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use domain::calls::{CallDirection, CallInput, CallRecord};
use domain::case::CaseSummary;
use domain::new_case::NewCaseInput;
use domain::workflow::{CaseFacts, Rating};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A case whose reporter the hotline should phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerificationItem {
    pub case: CaseSummary,
    pub due: DateTime<Utc>,
    /// A scheduled callback whose time has not come yet.
    pub upcoming: bool,
    pub caller_name: Option<String>,
    pub caller_phone: Option<String>,
    /// The question the agency asks the caller, waiting for the answer this call records.
    #[serde(default)]
    pub question: Option<domain::pause::QuestionToReporter>,
}

/// Files a report an operator takes by phone (channel `hotline`), and logs the call that brought it.
#[server(prefix = "/api", endpoint = "hotline/report", input = FieldJson, output = crate::codec::JsonText)]
pub async fn submit_hotline_case(input: NewCaseInput, duration_seconds: u32) -> Result<SubmittedCase, AppError> {
    server::submit_hotline_case(input, duration_seconds).await
}

/// Logs a call; one about a case also shows on the case's internal timeline.
#[server(prefix = "/api", endpoint = "hotline/call", input = FieldJson, output = crate::codec::JsonText)]
pub async fn log_call(direction: CallDirection, input: CallInput) -> Result<CallRecord, AppError> {
    server::log_call(direction, input).await
}

/// Calls to make, the earliest due first; scheduled callbacks wait for their time.
#[server(prefix = "/api", endpoint = "hotline/verification", input = GetUrl, output = crate::codec::JsonText)]
pub async fn verification_queue() -> Result<Vec<VerificationItem>, AppError> {
    server::verification_queue().await
}

/// The latest calls, or those about one case.
#[server(prefix = "/api", endpoint = "hotline/calls", input = GetUrl, output = crate::codec::JsonText)]
pub async fn recent_calls(case_id: Option<i64>) -> Result<Vec<CallRecord>, AppError> {
    server::recent_calls(case_id).await
}

/// A signed-in citizen claims a report they phoned in, by its number and the one-time claim code
/// the operator read to them. Attempts are bounded per case and per account.
#[server(prefix = "/api", endpoint = "my/claim", input = FieldJson, output = crate::codec::JsonText)]
pub async fn claim_case(id: i64, code: String) -> Result<(), AppError> {
    server::claim_case(id, code).await
}

/// Logs a call to the caller of a phoned-in report whose result was approved, on which the caller
/// rated it, and records that rating. Operators only; the call goes to the number the caller gave.
#[server(prefix = "/api", endpoint = "hotline/rating", input = FieldJson, output = crate::codec::JsonText)]
pub async fn record_call_rating(
    case_id: i64,
    rating: Rating,
    comment: String,
    duration_seconds: u32,
) -> Result<CaseFacts, AppError> {
    server::record_call_rating(case_id, rating, comment, duration_seconds).await
}

/// Logs a call to the caller of a phoned-in report about a question the agency asked them, and
/// records the answer the caller gave on it; the deadline runs again. Operators only.
#[server(prefix = "/api", endpoint = "hotline/answer", input = FieldJson, output = crate::codec::JsonText)]
pub async fn record_call_answer(case_id: i64, answer: String, duration_seconds: u32) -> Result<CaseFacts, AppError> {
    server::record_call_answer(case_id, answer, duration_seconds).await
}

#[cfg(feature = "ssr")]
pub use server::record_call;

#[cfg(feature = "ssr")]
mod server {
    //! The server's half: roles, the same intake as the web form, and calls appended atomically.

    use super::*;
    use crate::access_log::record_access;
    use crate::auth::require_account;
    use crate::auth::token_hash;
    use crate::cases::store_failed;
    use crate::error::with_status;
    use crate::request::request_lang;
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    use domain::access_log::{AccessPurpose, AccessSubject};
    use domain::account::{Account, CaseScope};
    use domain::calls::{parse_claim_code, CLAIM_CODE_DIGITS};
    use domain::calls::{Call, CallOutcome, CallPurpose};
    use domain::case::{ActorRole, CaseAccess, Channel};
    use domain::new_case::require_caller_phone;
    use domain::validation::{Field, Reason, ValidationError};
    use domain::workflow::{Change, RatedVia};
    use services::changes::{apply_change, facts_of};
    use services::intake::intake;
    use services::rate_limits::Limited;
    use services::store::CaseSecrets;
    use services::store::{CaseAppend, CaseQuery, Store, StoreError};
    use services::visibility::seen_case;
    use services::ServerContext;
    use std::collections::HashMap;

    const MAX_CALL_ATTEMPTS: usize = 3;
    /// Guesses at one case's claim code, ever: with 10^8 codes, a guesser's chance stays negligible.
    const CLAIMS_PER_CASE: u32 = 5;
    /// Claim attempts one account makes across all cases in a window.
    const CLAIMS_PER_ACCOUNT: u32 = 10;
    const CLAIM_WINDOW_HOURS: i64 = 24;

    async fn require_roles(roles: &[ActorRole]) -> Result<(ServerContext, Account), AppError> {
        let context = crate::request::context()?;
        let account = require_account(&context).await?;
        if !roles.contains(&account.role) {
            return Err(with_status(AppError::Forbidden));
        }
        Ok((context, account))
    }

    fn invalid(errors: Vec<ValidationError>) -> AppError {
        with_status(AppError::invalid(request_lang(), errors))
    }

    /// Logs `call`, appending its event to the case it is about. A concurrent change to the case
    /// only means the event goes after it: the append is retried on the fresh version.
    pub async fn record_call(
        store: &dyn Store,
        call: &Call,
        operator: &Account,
        now: DateTime<Utc>,
    ) -> Result<i64, AppError> {
        let actor = operator.actor();
        for attempt in 1..=MAX_CALL_ATTEMPTS {
            let prepared = match call.case_id {
                Some(id) => {
                    let (_, facts) = facts_of(store, id).await?;
                    let change = Change::CallLogged {
                        direction: call.direction,
                        outcome: call.outcome,
                        callback_at: call.callback_at,
                    };
                    let (event, after) =
                        facts.next_event(&actor, change, now).map_err(|r| with_status(AppError::Refused(r)))?;
                    Some((id, facts.version, event, after))
                }
                None => None,
            };
            let append = prepared.as_ref().map(|(case_id, expected_version, event, facts)| CaseAppend {
                case_id: *case_id,
                expected_version: *expected_version,
                event,
                facts,
            });
            match store.log_call(call, Some(operator.id), now, append).await {
                Ok(id) => return Ok(id),
                Err(StoreError::Conflict { .. }) if attempt < MAX_CALL_ATTEMPTS => continue,
                Err(error) => return Err(store_failed(error)),
            }
        }
        Err(with_status(AppError::Unavailable))
    }

    pub async fn submit_hotline_case(input: NewCaseInput, duration_seconds: u32) -> Result<SubmittedCase, AppError> {
        let (context, operator) = require_roles(&[ActorRole::Operator]).await?;
        crate::request::count_for_account(&context, Limited::Intake, operator.id)?;
        let store = context.store.as_ref();
        require_caller_phone(&input).map_err(|error| invalid(vec![error]))?;
        let now = Utc::now();
        let claim_code = new_claim_code();
        let secrets = CaseSecrets { receipt_hash: None, claim_code_hash: Some(token_hash(&claim_code)) };
        let stored = intake(store, &input, Channel::Hotline, &operator.actor(), now, secrets).await?;
        if stored.newly_created {
            // The phone parsed already as part of the report, so this call is valid.
            let call_input = CallInput {
                phone: input.reporter_phone.clone(),
                purpose: Some(CallPurpose::NewReport),
                outcome: Some(CallOutcome::ReportCreated),
                case_id: Some(stored.id),
                duration_seconds,
                callback_at: None,
                note: String::new(),
            };
            let call = Call::parse(&call_input, CallDirection::Inbound, now).map_err(invalid)?;
            record_call(store, &call, &operator, now).await?;
        }
        // A repeated submission stored nothing new: the code made for it claims nothing.
        let claim_code = stored.newly_created.then_some(claim_code);
        Ok(SubmittedCase { id: stored.id, newly_created: stored.newly_created, receipt: None, claim_code })
    }

    pub async fn log_call(direction: CallDirection, input: CallInput) -> Result<CallRecord, AppError> {
        let (context, operator) = require_roles(&[ActorRole::Operator]).await?;
        let store = context.store.as_ref();
        let now = Utc::now();
        let call = Call::parse(&input, direction, now).map_err(invalid)?;
        if let Some(id) = call.case_id {
            if store.case_status(id).await.map_err(store_failed)?.is_none() {
                return Err(invalid(vec![ValidationError::new(Field::CaseNumber, Reason::UnknownCase)]));
            }
        }
        let id = record_call(store, &call, &operator, now).await?;
        tracing::info!(call_id = id, direction = ?call.direction, outcome = ?call.outcome, "call logged");
        Ok(CallRecord { id, call, operator_account: Some(operator.id), logged_at: now })
    }

    pub async fn record_call_rating(
        case_id: i64,
        rating: Rating,
        comment: String,
        duration_seconds: u32,
    ) -> Result<CaseFacts, AppError> {
        let (context, operator) = require_roles(&[ActorRole::Operator]).await?;
        let comment = if comment.trim().is_empty() {
            None
        } else {
            Some(crate::cases::parse_note(&comment, Field::Note).map_err(|error| invalid(vec![error]))?)
        };
        let rated = |call_id| Change::Rated { rating, comment: comment.clone(), via: RatedVia::Call { call_id } };
        let facts = change_on_a_call(&context, &operator, case_id, duration_seconds, rated).await?;
        tracing::info!(case_id, "rating recorded on a call");
        Ok(facts)
    }

    pub async fn record_call_answer(
        case_id: i64,
        answer: String,
        duration_seconds: u32,
    ) -> Result<CaseFacts, AppError> {
        let (context, operator) = require_roles(&[ActorRole::Operator]).await?;
        let answer = crate::cases::parse_note(&answer, Field::Answer).map_err(|error| invalid(vec![error]))?;
        let now = Utc::now();
        let deadline = {
            let (_, facts) = facts_of(context.store.as_ref(), case_id).await.map_err(|error| match error {
                services::changes::ChangeError::NotFound => {
                    invalid(vec![ValidationError::new(Field::CaseNumber, Reason::UnknownCase)])
                }
                other => other.into(),
            })?;
            crate::cases::answered_deadline(context.store.as_ref(), &facts, now).await?
        };
        let answered =
            |call_id| Change::InformationProvided { answer: answer.clone(), deadline, via: RatedVia::Call { call_id } };
        let facts = change_on_a_call(&context, &operator, case_id, duration_seconds, answered).await?;
        tracing::info!(case_id, "answer recorded on a call");
        Ok(facts)
    }

    /// Logs the operator's call to the caller of phoned-in case `case_id` and records on the case
    /// the change `make` builds from the call's id: both or, when the change is refused, neither.
    async fn change_on_a_call(
        context: &services::ServerContext,
        operator: &Account,
        case_id: i64,
        duration_seconds: u32,
        make: impl Fn(i64) -> Change,
    ) -> Result<CaseFacts, AppError> {
        let store = context.store.as_ref();
        let unknown_case = || invalid(vec![ValidationError::new(Field::CaseNumber, Reason::UnknownCase)]);
        let (_, facts) = match facts_of(store, case_id).await {
            Err(services::changes::ChangeError::NotFound) => return Err(unknown_case()),
            found => found?,
        };
        let now = Utc::now();
        let actor = operator.actor();
        // Decided before the call is logged, so a refused change logs no call that did not make it.
        facts.next_event(&actor, make(0), now).map_err(|refusal| with_status(AppError::Refused(refusal)))?;
        let contact = store.reporter_contact(case_id).await.map_err(store_failed)?;
        let phone = contact.and_then(|c| c.phone).map(|p| p.as_str().to_string()).unwrap_or_default();
        let call_input = CallInput {
            phone,
            purpose: None,
            outcome: Some(CallOutcome::Confirmed),
            case_id: Some(case_id),
            duration_seconds,
            callback_at: None,
            note: String::new(),
        };
        let call = Call::parse(&call_input, CallDirection::Outbound, now).map_err(invalid)?;
        let call_id = record_call(store, &call, operator, now).await?;
        let (_, facts) = facts_of(store, case_id).await?;
        let facts = apply_change(store, case_id, facts.version, &actor, make(call_id), now).await?;
        crate::cases::refresh_index(context, case_id).await;
        Ok(facts)
    }

    pub async fn verification_queue() -> Result<Vec<VerificationItem>, AppError> {
        let (context, operator) = require_roles(&[ActorRole::Operator]).await?;
        let store = context.store.as_ref();
        let now = Utc::now();
        let cases = store.list_cases(&CaseQuery::AwaitingVerification, 500).await.map_err(store_failed)?;
        // The questions this call is to put to the caller, with their texts from the events.
        let asked: Vec<i64> = cases.iter().filter(|c| c.facts.open_question.is_some()).map(|c| c.id).collect();
        let mut events = store.events_of_cases(&asked).await.map_err(store_failed)?;
        let mut items = Vec::with_capacity(cases.len());
        for case in cases {
            let Some(due) = case.facts.verification_due else { continue };
            let contact = store.reporter_contact(case.id).await.map_err(store_failed)?;
            let question = domain::pause::waiting_question(&case.facts, &events.remove(&case.id).unwrap_or_default());
            items.push(VerificationItem {
                question,
                upcoming: due > now,
                due,
                caller_name: contact.as_ref().and_then(|c| c.name.as_ref()).map(|n| n.as_str().to_string()),
                caller_phone: contact.as_ref().and_then(|c| c.phone.as_ref()).map(|p| p.as_str().to_string()),
                case,
            });
        }
        // Seen only once recorded: the names and numbers of a queue whose view cannot be logged are not shown.
        let shown = items
            .iter()
            .filter(|item| item.caller_name.is_some() || item.caller_phone.is_some())
            .map(|item| AccessSubject::case(item.case.id))
            .collect();
        record_access(store, &operator, AccessPurpose::VerificationQueue, shown).await?;
        Ok(items)
    }

    /// The calls an account may read: those about a case only to those who may open it as staff;
    /// an area-bound coordinator's list holds only the calls about the cases of their areas
    /// (calls carry phone numbers), the others' every call.
    pub async fn recent_calls(case_id: Option<i64>) -> Result<Vec<CallRecord>, AppError> {
        let (context, account) = require_roles(&[ActorRole::Operator, ActorRole::Coordinator]).await?;
        let store = context.store.as_ref();
        if let Some(id) = case_id {
            let seen = seen_case(store, id, Some(&account), None).await?.filter(|s| s.access == CaseAccess::Staff);
            seen.ok_or_else(|| with_status(AppError::NotFound))?;
        }
        let calls = store.calls(case_id, 200).await.map_err(store_failed)?;
        if case_id.is_some() || account.scope() == CaseScope::Province {
            record_calls_seen(store, &account, &calls).await?;
            return Ok(calls);
        }
        let mut in_scope: HashMap<i64, bool> = HashMap::new();
        let mut mine = Vec::with_capacity(calls.len());
        for call in calls {
            let Some(id) = call.call.case_id else { continue };
            let covered = match in_scope.get(&id) {
                Some(covered) => *covered,
                None => {
                    let seen = seen_case(store, id, Some(&account), None).await?;
                    let covered = seen.is_some_and(|s| s.access == CaseAccess::Staff);
                    in_scope.insert(id, covered);
                    covered
                }
            };
            if covered {
                mine.push(call);
            }
        }
        record_calls_seen(store, &account, &mine).await?;
        Ok(mine)
    }

    /// Records that `account` sees the callers' numbers of `calls`, each with the case it is about;
    /// a call whose number was erased under the retention rules shows none.
    async fn record_calls_seen(store: &dyn Store, account: &Account, calls: &[CallRecord]) -> Result<(), AppError> {
        let shown = calls
            .iter()
            .filter(|record| record.call.phone.is_some())
            .map(|record| AccessSubject::call(record.id, record.call.case_id))
            .collect();
        record_access(store, account, AccessPurpose::CallLog, shown).await
    }

    /// A fresh claim code: uniformly random digits from the operating system.
    fn new_claim_code() -> String {
        let mut bytes = [0u8; 8];
        OsRng.fill_bytes(&mut bytes);
        let bound = 10u64.pow(CLAIM_CODE_DIGITS as u32);
        format!("{:0width$}", u64::from_le_bytes(bytes) % bound, width = CLAIM_CODE_DIGITS)
    }

    /// Claims case `id` by its claim code. Who asks is decided first; then one attempt is counted
    /// for the account and one for the case, each atomically in the database, before the code is
    /// compared. A case without a claim code (not phoned in), a missing case, a case out of
    /// attempts and a wrong code all answer alike.
    pub async fn claim_case(id: i64, code: String) -> Result<(), AppError> {
        let (context, citizen) = require_roles(&[ActorRole::Citizen]).await?;
        let store = context.store.as_ref();
        let code = parse_claim_code(&code).map_err(|error| invalid(vec![error]))?;
        let now = Utc::now();
        let window_after = now - chrono::Duration::hours(CLAIM_WINDOW_HOURS);
        let within = store
            .claim_attempt_by_account(citizen.id, now, window_after, CLAIMS_PER_ACCOUNT)
            .await
            .map_err(store_failed)?;
        if !within {
            // The window slides: by its length at the latest, the oldest attempt has left it.
            let retry_after_seconds = u64::try_from(CLAIM_WINDOW_HOURS * 3600).unwrap_or(u64::MAX);
            return Err(with_status(AppError::TooManyRequests { retry_after_seconds }));
        }
        let not_found = || with_status(AppError::NotFound);
        let hash = store.claim_attempt_on_case(id, CLAIMS_PER_CASE).await.map_err(store_failed)?;
        if hash.as_deref() != Some(token_hash(&code).as_str()) {
            return Err(not_found());
        }
        let (_, facts) = facts_of(store, id).await?;
        let change = Change::Claimed { account_id: citizen.id };
        apply_change(store, id, facts.version, &citizen.actor(), change, now).await?;
        tracing::info!(case_id = id, "phoned-in report claimed");
        Ok(())
    }
}
