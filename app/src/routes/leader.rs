//! The leader's dashboard: this period's figures from the statistics, the cases overdue now by
//! agency, how often staff saw personal data, and the way to the staff map. Every figure of the
//! cases comes from the statistics' own server functions, so it matches the statistics page and
//! the scorecards; the counts of views come from the access log.

use crate::access_log::{access_counts, PeriodAccessCounts};
use crate::i18n::{field_label, role_label, Key};
use crate::lang::{use_lang, use_tr};
use crate::session::error_text;
use crate::stats::{format_percent, get_statistics, overdue_by_agency, OverdueCase, Statistics};
use domain::validation::Field;
use leptos::prelude::*;

#[component]
pub fn LeaderDashboardPage() -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    // No dates: the statistics' own default period, as the statistics page opens.
    let figures = Resource::new(|| (), |_| get_statistics(String::new(), String::new(), None));
    let overdue = Resource::new(|| (), |_| overdue_by_agency());
    // The same default period as the figures above.
    let accesses = Resource::new(|| (), |_| access_counts(String::new(), String::new()));
    let loading = move || view! { <p>{move || t(Key::Loading)}</p> };
    view! {
        <section class="dashboard">
            <h1>{move || t(Key::LeaderHeading)}</h1>
            <p>{move || t(Key::LeaderIntro)}</p>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match figures.await {
                        Ok(stats) => view! { <PeriodFigures stats/> }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match overdue.await {
                        Ok(cases) => view! { <OverdueByAgency cases/> }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match accesses.await {
                        Ok(counts) => view! { <AccessesByRole counts/> }.into_any(),
                        Err(error) => view! { <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <section class="dashboard-map" aria-labelledby="dashboard-map-heading">
                <h2 id="dashboard-map-heading">{move || t(Key::NavStaffMap)}</h2>
                <p>{move || t(Key::LeaderMapIntro)}</p>
                <p><a class="button-link" href="/staff/map">{move || t(Key::LeaderOpenMap)}</a></p>
            </section>
        </section>
    }
}

/// The period's headline figures, each as the statistics count it.
#[component]
fn PeriodFigures(stats: Statistics) -> impl IntoView {
    let t = use_tr();
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let period = format!("{} – {}", day(stats.from), day(stats.to));
    let details = format!("/stats?from={}&to={}", stats.from.format("%Y-%m-%d"), stats.to.format("%Y-%m-%d"));
    let satisfied = stats.rating_percents()[0];
    let figures = [
        (Key::StatsReceived, stats.received.to_string(), None),
        (Key::StatsAccepted, stats.accepted.to_string(), None),
        (Key::StatsHandled, stats.handled.to_string(), None),
        (
            Key::LeaderOnTime,
            format_percent(stats.on_time_percent()),
            Some(format!("{}/{}", stats.on_time, stats.handled)),
        ),
        (
            Key::LeaderSatisfied,
            format_percent(satisfied),
            Some(format!("{}/{}", stats.ratings.satisfied, stats.ratings.total())),
        ),
    ];
    view! {
        <section class="dashboard-figures" aria-labelledby="figures-heading">
            <h2 id="figures-heading">{move || t(Key::LeaderFigures)}</h2>
            <p>{move || t(Key::LeaderPeriod)} ": " {period}</p>
            <ul class="figure-cards" aria-labelledby="figures-heading">
                {figures.into_iter().map(|(name, value, of)| view! {
                    <li>
                        <span class="figure-value">{value}</span>
                        <span class="figure-name">{move || t(name)}</span>
                        {of.map(|of| view! { <span class="figure-of">{of}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            <p><a href=details>{move || t(Key::LeaderFullStats)}</a></p>
        </section>
    }
}

/// One agency's overdue cases: how many, and the longest past its deadline.
#[derive(Debug, Clone, PartialEq)]
struct AgencyOverdue {
    code: String,
    name: String,
    cases: usize,
    longest_days: i64,
}

/// The overdue cases grouped by agency, the most first, then by name.
fn by_agency(cases: &[OverdueCase]) -> Vec<AgencyOverdue> {
    let mut rows: Vec<AgencyOverdue> = Vec::new();
    for case in cases {
        match rows.iter_mut().find(|row| row.code == case.agency_code) {
            Some(row) => {
                row.cases += 1;
                row.longest_days = row.longest_days.max(case.days_overdue);
            }
            None => rows.push(AgencyOverdue {
                code: case.agency_code.clone(),
                name: case.agency_name.clone(),
                cases: 1,
                longest_days: case.days_overdue,
            }),
        }
    }
    rows.sort_by(|a, b| b.cases.cmp(&a.cases).then_with(|| a.name.cmp(&b.name)));
    rows
}

#[component]
fn OverdueByAgency(cases: Vec<OverdueCase>) -> impl IntoView {
    let t = use_tr();
    let rows = by_agency(&cases);
    let body = if rows.is_empty() {
        view! { <p>{move || t(Key::StatsNoOverdue)}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="overdue-by-agency">
                    <caption class="visually-hidden">{move || t(Key::StatsOverdueHeading)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || t(Key::StatsAgency)}</th>
                            <th scope="col">{move || t(Key::LeaderOverdueCases)}</th>
                            <th scope="col">{move || t(Key::LeaderLongestOverdue)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! {
                            <tr>
                                <th scope="row"><a href=format!("/agencies/{}", row.code)>{row.name}</a></th>
                                <td>{row.cases}</td>
                                <td>{row.longest_days}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="dashboard-overdue" aria-labelledby="dashboard-overdue-heading">
            <h2 id="dashboard-overdue-heading">{move || t(Key::StatsOverdueHeading)}</h2>
            {body}
        </section>
    }
}

/// How often each role saw personal data in the period: counts only, never who saw what.
#[component]
fn AccessesByRole(counts: PeriodAccessCounts) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let period = format!("{} – {}", day(counts.from), day(counts.to));
    let body = if counts.by_role.is_empty() {
        view! { <p>{move || t(Key::LeaderAccessNone)}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="accesses-by-role">
                    <caption class="visually-hidden">{move || t(Key::LeaderAccessHeading)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || field_label(lang.get(), Field::Role)}</th>
                            <th scope="col">{move || t(Key::LeaderAccessViews)}</th>
                            <th scope="col">{move || t(Key::LeaderAccessPeople)}</th>
                            <th scope="col">{move || t(Key::LeaderAccessCases)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {counts.by_role.into_iter().map(|row| {
                            let role = row.role;
                            view! {
                                <tr>
                                    <th scope="row">{move || role_label(lang.get(), role)}</th>
                                    <td>{row.views}</td>
                                    <td>{row.people}</td>
                                    <td>{row.cases}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="dashboard-accesses" aria-labelledby="dashboard-accesses-heading">
            <h2 id="dashboard-accesses-heading">{move || t(Key::LeaderAccessHeading)}</h2>
            <p>{move || t(Key::LeaderAccessIntro)}</p>
            <p>{move || t(Key::LeaderPeriod)} ": " {period}</p>
            {body}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn overdue(id: i64, agency: &str, days: i64) -> OverdueCase {
        OverdueCase {
            id,
            title: format!("#{id}"),
            agency_code: agency.to_string(),
            agency_name: agency.to_uppercase(),
            deadline: Utc::now(),
            days_overdue: days,
        }
    }

    #[test]
    fn agencies_are_ranked_by_their_overdue_cases_with_the_longest_delay() {
        let cases = [overdue(1, "vnpt", 2), overdue(2, "urenco", 9), overdue(3, "urenco", 4), overdue(4, "ban", 1)];
        let rows = by_agency(&cases);
        let summary: Vec<(&str, usize, i64)> =
            rows.iter().map(|r| (r.code.as_str(), r.cases, r.longest_days)).collect();
        assert_eq!(summary, vec![("urenco", 2, 9), ("ban", 1, 1), ("vnpt", 1, 2)]);
        assert!(by_agency(&[]).is_empty());
    }
}
