//! The access log page: who saw personal data, when, of which cases and on which page, newest
//! first, a page at a time, filtered by staff member and by case; the filters are the page's address.

use super::form_kit::loading;
use super::ConsolePage;
use crate::access_log::{access_log, AccessLogPage};
use crate::admin::staff_accounts;
use crate::error::AppError;
use crate::i18n::{access_purpose_label, access_subjects_total, error_message, field_label, role_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::session::error_text;
use domain::access_log::{parse_case_filter, AccessEntry};
use domain::account::{Account, Username};
use domain::validation::{Field, ValidationError};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/admin/access-log";

/// The address of the log filtered by `person` (a username) and `case`, older than entry `before` when given.
/// Both filters were accepted by the server, so they hold only characters an address carries as they are.
fn log_address(person: Option<&str>, case: Option<i64>, before: Option<i64>) -> String {
    let mut query: Vec<String> = Vec::new();
    if let Some(person) = person {
        query.push(format!("person={person}"));
    }
    if let Some(case) = case {
        query.push(format!("case={case}"));
    }
    if let Some(before) = before {
        query.push(format!("before={before}"));
    }
    if query.is_empty() {
        PATH.to_string()
    } else {
        format!("{PATH}?{}", query.join("&"))
    }
}

#[component]
pub fn AccessLogPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            let before = q.get("before").and_then(|raw| raw.parse::<i64>().ok());
            (q.get("person").unwrap_or_default(), q.get("case").unwrap_or_default(), before)
        })
    };
    let page = Resource::new(filters, |(person, case, before)| access_log(person, case, before));
    let people = Resource::new(|| (), |_| staff_accounts());
    view! {
        <ConsolePage heading=Key::AccessLogHeading intro=Key::AccessLogIntro>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    let (person, case, before) = filters();
                    let people = match people.await {
                        Ok(people) => people,
                        Err(error) => return view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    };
                    match page.await {
                        Ok(page) => view! {
                            <Filters people person=person.clone() case=case.clone() errors=Vec::new()/>
                            <Entries page person case first=before.is_none()/>
                        }.into_any(),
                        Err(AppError::Invalid(errors)) => {
                            let errors = errors.into_iter().map(|e| e.error).collect();
                            view! { <Filters people person case errors/> }.into_any()
                        }
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </ConsolePage>
    }
}

/// The filters, as a GET form to the page itself, so that every filtered view has its own address.
#[component]
fn Filters(people: Vec<Account>, person: String, case: String, errors: Vec<ValidationError>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let error_of = move |field: Field| {
        let error = errors.iter().find(|e| e.field == field).copied();
        let id = format!("access-log-{}-error", field.as_str());
        (
            error.map(|_| id.clone()),
            error.map(
                |e| view! { <p class="field-error" id=id role="alert">{move || error_message(lang.get(), &e)}</p> },
            ),
        )
    };
    let (person_error_id, person_error) = error_of(Field::Username);
    let (case_error_id, case_error) = error_of(Field::CaseNumber);
    let chosen = person.trim().to_lowercase();
    view! {
        <Form method="GET" action=PATH attr:class="access-log-filters" attr:aria-label=move || t(Key::AccessLogFiltered)>
            <div class="field">
                <label for="access-log-person">{move || t(Key::AccessLogPerson)}</label>
                <select id="access-log-person" name="person" aria-describedby=person_error_id>
                    <option value="" selected=chosen.is_empty()>{move || t(Key::AccessLogEveryone)}</option>
                    {people.into_iter().map(|account| {
                        let selected = account.username == chosen;
                        let role = account.role;
                        let name = format!("{} ({})", account.display_name, account.username);
                        view! {
                            <option value=account.username selected=selected>
                                {name} " · " {move || role_label(lang.get(), role)}
                            </option>
                        }
                    }).collect_view()}
                </select>
                {person_error}
            </div>
            <div class="field">
                <label for="access-log-case">{move || field_label(lang.get(), Field::CaseNumber)}</label>
                <input id="access-log-case" name="case" inputmode="numeric" value=case
                    aria-invalid=case_error_id.is_some().then_some("true") aria-describedby=case_error_id.clone()/>
                {case_error}
            </div>
            <button type="submit">{move || t(Key::AccessLogFilter)}</button>
        </Form>
    }
}

/// One page of entries, and the ways to the older ones and back to the newest.
#[component]
fn Entries(page: AccessLogPage, person: String, case: String, first: bool) -> impl IntoView {
    let t = use_tr();
    // The server accepted both filters, so they parse here as they did there.
    let person = Username::parse(&person).ok().map(|u| u.as_str().to_string());
    let case = parse_case_filter(&case).ok().flatten();
    let older = page.older_than.map(|before| log_address(person.as_deref(), case, Some(before)));
    let newest = (!first).then(|| log_address(person.as_deref(), case, None));
    let table = if page.entries.is_empty() {
        view! { <p>{move || t(Key::AccessLogEmpty)}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="queue-table access-log">
                    <caption class="visually-hidden">{move || t(Key::AccessLogCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t(Key::When)}</th>
                            <th scope="col">{move || t(Key::AccessLogWho)}</th>
                            <th scope="col">{move || t(Key::AccessLogPage)}</th>
                            <th scope="col">{move || t(Key::AccessLogCases)}</th>
                        </tr>
                    </thead>
                    <tbody>{page.entries.into_iter().map(|entry| view! { <EntryRow entry/> }).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        {table}
        <p class="access-log-pages">
            {newest.map(|href| view! { <a href=href>{move || t(Key::AccessLogNewest)}</a> })}
            {older.map(|href| view! { <a href=href>{move || t(Key::AdminOlder)}</a> })}
        </p>
    }
}

#[component]
fn EntryRow(entry: AccessEntry) -> impl IntoView {
    let lang = use_lang();
    let (role, purpose, total) = (entry.role, entry.purpose, entry.subject_count);
    let cases = entry.cases();
    // The view showed more than the cases listed: more cases than a row lists, or several calls
    // about one case, or calls about no case.
    let listed = u64::try_from(cases.len()).unwrap_or(u64::MAX);
    let more = (total != listed).then(|| {
        view! { <span class="access-log-total">{move || access_subjects_total(lang.get(), total)}</span> }
    });
    view! {
        <tr>
            <td><time datetime=entry.at.to_rfc3339()>{local_time(entry.at)}</time></td>
            <td>
                {entry.display_name.clone()} " (" {entry.username.clone()} ")"
                <br/>
                <span class="access-log-role">{move || role_label(lang.get(), role)}</span>
            </td>
            <td>{move || access_purpose_label(lang.get(), purpose)}</td>
            <td>
                <ul class="access-log-cases">
                    {cases.into_iter().map(|id| view! { <li><a href=format!("/staff/cases/{id}")>{format!("#{id}")}</a></li> }).collect_view()}
                </ul>
                {more}
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::log_address;

    #[test]
    fn the_address_carries_only_the_filters_given() {
        assert_eq!(log_address(None, None, None), "/admin/access-log");
        assert_eq!(log_address(Some("dieuphoi"), None, None), "/admin/access-log?person=dieuphoi");
        assert_eq!(log_address(None, Some(12), Some(40)), "/admin/access-log?case=12&before=40");
        assert_eq!(log_address(Some("a.b"), Some(3), Some(9)), "/admin/access-log?person=a.b&case=3&before=9");
    }
}
