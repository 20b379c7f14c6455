//! The public statistics page: the pilot's table for any period and area, SVG charts, the agency
//! ranking, and for leaders the overdue list by agency.

use crate::error::AppError;
use crate::i18n::{error_message, Key, Lang};
use crate::lang::{use_lang, use_tr};
use crate::routes::case_page::local_time;
use crate::session::use_session;
use crate::stats::{
    format_percent, get_statistics, overdue_by_agency, percent, statistics_areas, AreaChoice, OverdueCase, Statistics,
};
use domain::case::ActorRole;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let t = use_tr();
    let query = use_query_map();
    let period = move || {
        query.with(|q| {
            (q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default(), q.get("area").unwrap_or_default())
        })
    };
    let figures = Resource::new(period, |(from, to, area)| async move {
        get_statistics(from, to, Some(area).filter(|a| !a.is_empty())).await
    });
    let areas = Resource::new(|| (), |_| statistics_areas());
    // Read once: a title that reads a signal can be asked for after the page that owns the
    // signal was disposed, which under load panicked the response.
    let title = t(Key::StatsHeading);
    view! {
        <Title text=title/>
        <section class="stats-page">
            <h1>{move || t(Key::StatsHeading)}</h1>
            <p>{move || t(Key::StatsIntro)}</p>
            <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let areas = areas.await.unwrap_or_default();
                    let (from, to, area) = period();
                    match figures.await {
                        Ok(stats) => {
                            let (from, to) = (stats.from.to_string(), stats.to.to_string());
                            let scorecards = view! { <AreaScorecards from=from.clone() to=to.clone() areas=areas.clone()/> };
                            view! {
                                <PeriodForm action="/stats".to_string() from to area=(area, areas) errors=Vec::new()/>
                                <Figures stats/>
                                {scorecards}
                            }
                                .into_any()
                        }
                        Err(AppError::Invalid(errors)) => {
                            let errors = errors.into_iter().map(|e| e.error).collect();
                            view! { <PeriodForm action="/stats".to_string() from to area=(area, areas) errors/> }.into_any()
                        }
                        Err(_) => view! { <p class="form-error" role="alert">{move || t(Key::LoadFailed)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <OverdueList/>
        </section>
    }
}

/// The period (and on the statistics page, the area) to show, as a GET form to `action`, so that
/// every view has its own address. Statistics and scorecards share it.
#[component]
pub fn PeriodForm(
    action: String,
    from: String,
    to: String,
    /// The chosen area and the areas to choose from; `None` where the page has no area to choose.
    #[prop(optional)]
    area: Option<(String, Vec<AreaChoice>)>,
    errors: Vec<domain::validation::ValidationError>,
) -> impl IntoView {
    use domain::validation::Field;
    let t = use_tr();
    let lang = use_lang();
    let error_of = move |field: Field| {
        let error = errors.iter().find(|e| e.field == field).copied();
        move || error.map(|e| view! { <p class="field-error" role="alert">{error_message(lang.get(), &e)}</p> })
    };
    let area_field = area.map(|(area, areas)| {
        view! {
            <label>
                {move || t(Key::StatsArea)}
                <select name="area">
                    <option value="" selected=area.is_empty()>{move || t(Key::StatsAllAreas)}</option>
                    {areas
                        .into_iter()
                        .map(|choice| {
                            let selected = choice.code == area;
                            view! { <option value=choice.code selected=selected>{choice.name}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            {error_of(Field::Area)}
        }
    });
    view! {
        <Form method="GET" action=action attr:class="stats-period">
            <label>
                {move || t(Key::StatsFrom)}
                <input type="date" name="from" value=from/>
            </label>
            {error_of(Field::PeriodFrom)}
            <label>
                {move || t(Key::StatsTo)}
                <input type="date" name="to" value=to/>
            </label>
            {error_of(Field::PeriodTo)}
            {area_field}
            <button type="submit">{move || t(Key::StatsShow)}</button>
        </Form>
    }
}

/// Links to every area's scorecard for the period shown.
#[component]
fn AreaScorecards(from: String, to: String, areas: Vec<AreaChoice>) -> impl IntoView {
    let t = use_tr();
    (!areas.is_empty()).then(|| {
        view! {
            <nav class="area-scorecards" aria-label=move || t(Key::ScorecardsOfAreas)>
                <h2>{move || t(Key::ScorecardsOfAreas)}</h2>
                <ul>
                    {areas
                        .into_iter()
                        .map(|area| {
                            let href = format!("/areas/{}?from={from}&to={to}", area.code);
                            view! { <li><a href=href>{area.name}</a></li> }
                        })
                        .collect_view()}
                </ul>
            </nav>
        }
    })
}

/// The seed's table, the charts and the agency table for one period.
#[component]
fn Figures(stats: Statistics) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let count_and_share = |n: u64, whole: u64| format!("{n} ({})", format_percent(percent(n, whole)));
    let [satisfied, acceptable, unsatisfied] = stats.rating_percents().map(format_percent);
    let rows: Vec<(Key, String)> = vec![
        (Key::StatsReceived, stats.received.to_string()),
        (Key::StatsAccepted, count_and_share(stats.accepted, stats.received)),
        (Key::StatsIneligible, count_and_share(stats.rejected, stats.received)),
        (Key::StatsOutOfArea, stats.out_of_area().to_string()),
        (Key::StatsHandled, stats.handled.to_string()),
        (Key::StatsOnTime, format!("{} ({})", stats.on_time, format_percent(stats.on_time_percent()))),
        (Key::StatsLate, format!("{} ({})", stats.late, format_percent(stats.late_percent()))),
        (Key::StatsSatisfied, format!("{} ({satisfied})", stats.ratings.satisfied)),
        (Key::StatsAcceptable, format!("{} ({acceptable})", stats.ratings.acceptable)),
        (Key::StatsUnsatisfied, format!("{} ({unsatisfied})", stats.ratings.unsatisfied)),
        (Key::StatsAgencies, stats.agencies_participating.to_string()),
        (Key::StatsAccounts, stats.accounts_registered.to_string()),
        (Key::StatsCallsIn, stats.calls.inbound.to_string()),
        (Key::StatsCallsOut, stats.calls.outbound.to_string()),
    ];
    let export_query = match &stats.area {
        Some(area) => format!("from={}&to={}&area={area}", stats.from, stats.to),
        None => format!("from={}&to={}", stats.from, stats.to),
    };
    let by_category = stats.by_category.clone();
    let category_bars = move || {
        by_category
            .iter()
            .map(|row| (if lang.get() == Lang::Vi { row.name_vi.clone() } else { row.name_en.clone() }, row.received))
            .collect::<Vec<_>>()
    };
    // Long periods chart quarters or years, so that the labels stay readable.
    let month_bars = domain::statistics::chart_columns(&stats.by_month);
    let month_rows: Vec<(String, String)> =
        month_bars.iter().map(|(label, n)| (label.clone(), n.to_string())).collect();
    let by_category_rows = stats.by_category.clone();
    let category_rows = move || {
        by_category_rows
            .iter()
            .map(|row| {
                let name = if lang.get() == Lang::Vi { row.name_vi.clone() } else { row.name_en.clone() };
                (name, row.received.to_string())
            })
            .collect::<Vec<_>>()
    };
    let ratings = stats.ratings;
    let rating_rows = move || {
        [
            (Key::StatsSatisfied, ratings.satisfied),
            (Key::StatsAcceptable, ratings.acceptable),
            (Key::StatsUnsatisfied, ratings.unsatisfied),
        ]
        .into_iter()
        .map(|(key, n)| (t(key).to_string(), format!("{n} ({})", format_percent(percent(n, ratings.total())))))
        .collect::<Vec<_>>()
    };
    let split = [
        (Key::StatsSatisfied, stats.ratings.satisfied, "bar-good"),
        (Key::StatsAcceptable, stats.ratings.acceptable, "bar-fair"),
        (Key::StatsUnsatisfied, stats.ratings.unsatisfied, "bar-poor"),
    ];
    view! {
        <table class="stats-summary">
            <caption>{move || t(Key::StatsSummaryCaption)}</caption>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(key, value)| view! { <tr><th scope="row">{move || t(key)}</th><td>{value}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
        <div class="stats-charts">
            <figure>
                <figcaption>{move || t(Key::StatsByCategory)}</figcaption>
                {move || view! { <HorizontalBars label=t(Key::StatsByCategory).to_string() bars=category_bars()/> }}
                {move || view! { <ChartData caption=Key::StatsByCategory head=(Key::Category, Key::StatsCasesColumn) rows=category_rows()/> }}
            </figure>
            <figure>
                <figcaption>{move || t(Key::StatsByMonth)}</figcaption>
                <ColumnChart label=Signal::derive(move || t(Key::StatsByMonth).to_string()) bars=month_bars/>
                <ChartData caption=Key::StatsByMonth head=(Key::StatsPeriodColumn, Key::StatsCasesColumn) rows=month_rows/>
            </figure>
            <figure>
                <figcaption>{move || t(Key::StatsSatisfaction)}</figcaption>
                <SplitBar label=Signal::derive(move || t(Key::StatsSatisfaction).to_string()) parts=split.to_vec()/>
                {move || view! { <ChartData caption=Key::StatsSatisfaction head=(Key::StatsRatingColumn, Key::StatsCasesColumn) rows=rating_rows()/> }}
            </figure>
        </div>
        <p class="stats-exports">
            {move || t(Key::StatsExports)} ": "
            <a href=format!("/api/v1/cases.csv?{export_query}") rel="external" download="">"CSV"</a>
            " · "
            <a href=format!("/api/v1/cases.geojson?{export_query}") rel="external" download="">"GeoJSON"</a>
            " · "
            <a href="/open-data">{move || crate::i18n::open_data_tr(lang.get(), crate::i18n::OpenDataKey::Nav)}</a>
        </p>
        <AgencyTable stats/>
    }
}

const CHART_WIDTH: f64 = 480.0;

/// A chart's figures as a table, folded under it: the chart's text alternative.
#[component]
fn ChartData(caption: Key, head: (Key, Key), rows: Vec<(String, String)>) -> impl IntoView {
    let t = use_tr();
    view! {
        <details class="chart-data">
            <summary>{move || t(Key::StatsChartData)}</summary>
            <table>
                <caption>{move || t(caption)}</caption>
                <thead>
                    <tr><th scope="col">{move || t(head.0)}</th><th scope="col">{move || t(head.1)}</th></tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(label, value)| view! { <tr><th scope="row">{label}</th><td>{value}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// Horizontal bars with their labels: long category names read better sideways.
#[component]
fn HorizontalBars(label: String, bars: Vec<(String, u64)>) -> impl IntoView {
    const ROW: f64 = 26.0;
    const LABEL_WIDTH: f64 = 190.0;
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let height = ROW * bars.len().max(1) as f64;
    let room = CHART_WIDTH - LABEL_WIDTH - 40.0;
    view! {
        <svg class="chart" role="img" aria-label=label viewBox=format!("0 0 {CHART_WIDTH} {height}")>
            {bars
                .into_iter()
                .enumerate()
                .map(|(i, (name, n))| {
                    let y = i as f64 * ROW;
                    let width = room * n as f64 / max;
                    view! {
                        <g>
                            <title>{format!("{name}: {n}")}</title>
                            <text x=LABEL_WIDTH - 6.0 y=y + 17.0 text-anchor="end">{name}</text>
                            <rect class="bar" x=LABEL_WIDTH y=y + 4.0 width=width height=ROW - 8.0></rect>
                            <text x=LABEL_WIDTH + width + 4.0 y=y + 17.0>{n}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

/// One column per month, oldest first.
#[component]
fn ColumnChart(label: Signal<String>, bars: Vec<(String, u64)>) -> impl IntoView {
    const HEIGHT: f64 = 200.0;
    const AXIS: f64 = 36.0;
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let slot = CHART_WIDTH / bars.len().max(1) as f64;
    let room = HEIGHT - AXIS - 16.0;
    view! {
        <svg class="chart" role="img" aria-label=move || label.get() viewBox=format!("0 0 {CHART_WIDTH} {HEIGHT}")>
            {bars
                .into_iter()
                .enumerate()
                .map(|(i, (month, n))| {
                    let bar = room * n as f64 / max;
                    let x = i as f64 * slot;
                    let base = HEIGHT - AXIS;
                    view! {
                        <g>
                            <title>{format!("{month}: {n}")}</title>
                            <rect class="bar" x=x + slot * 0.15 y=base - bar width=slot * 0.7 height=bar></rect>
                            <text x=x + slot / 2.0 y=base - bar - 4.0 text-anchor="middle">{n}</text>
                            <text x=x + slot / 2.0 y=HEIGHT - 18.0 text-anchor="middle">{month}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

/// One bar split into the shares of its parts, with a legend.
#[component]
pub fn SplitBar(label: Signal<String>, parts: Vec<(Key, u64, &'static str)>) -> impl IntoView {
    let t = use_tr();
    let total = parts.iter().map(|(_, n, _)| *n).sum::<u64>();
    let mut offset = 0.0;
    let segments = parts
        .iter()
        .map(|(key, n, class)| {
            let width = if total == 0 { 0.0 } else { CHART_WIDTH * *n as f64 / total as f64 };
            let x = offset;
            offset += width;
            let (key, n, class) = (*key, *n, *class);
            view! {
                <rect class=class x=x y=0 width=width height=32>
                    <title>{move || format!("{}: {n} ({})", t(key), format_percent(percent(n, total)))}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" role="img" aria-label=move || label.get() viewBox=format!("0 0 {CHART_WIDTH} 32")>
            {segments}
        </svg>
        <ul class="legend">
            {parts
                .into_iter()
                .map(|(key, n, class)| {
                    view! {
                        <li>
                            <span class=format!("swatch {class}")></span>
                            {move || format!("{}: {}", t(key), format_percent(percent(n, total)))}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// Agencies by received cases, with a rank for those above the minimum volume.
#[component]
fn AgencyTable(stats: Statistics) -> impl IntoView {
    let t = use_tr();
    let minimum = stats.ranking_minimum;
    let ranks: Vec<String> = stats.agency_ranking(minimum).iter().map(|row| row.code.clone()).collect();
    let mut rows: Vec<(Option<usize>, crate::stats::AgencyRow)> = stats
        .by_agency
        .iter()
        .map(|row| (ranks.iter().position(|code| *code == row.code).map(|at| at + 1), row.clone()))
        .collect();
    rows.sort_by_key(|(rank, row)| (rank.is_none(), *rank, std::cmp::Reverse(row.received)));
    // Each agency's name opens its scorecard for the same period, whose figures equal its row.
    let period = format!("from={}&to={}", stats.from, stats.to);
    view! {
        <table class="stats-agencies">
            <caption>
                {move || t(Key::StatsAgencyCaption)} " "
                <small>{move || format!("({} {minimum})", t(Key::StatsRankingRule))}</small>
            </caption>
            <thead>
                <tr>
                    <th scope="col">{move || t(Key::StatsRank)}</th>
                    <th scope="col">{move || t(Key::StatsAgency)}</th>
                    <th scope="col">{move || t(Key::StatsReceived)}</th>
                    <th scope="col">{move || t(Key::StatsHandled)}</th>
                    <th scope="col">{move || t(Key::StatsOnTime)}</th>
                    <th scope="col">{move || t(Key::StatsLate)}</th>
                    <th scope="col">{move || t(Key::StatsOnTimeRate)}</th>
                    <th scope="col">{move || t(Key::StatsOverdueNow)}</th>
                    <th scope="col">{move || t(Key::StatsSatisfied)}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(rank, row)| {
                        let period = period.clone();
                        view! {
                            <tr>
                                <td>{rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into())}</td>
                                <th scope="row">
                                    <a href=format!("/agencies/{}?{period}", row.code)>{row.name.clone()}</a>
                                </th>
                                <td>{row.received}</td>
                                <td>{row.handled}</td>
                                <td>{row.on_time}</td>
                                <td>{row.late}</td>
                                <td>{format_percent(row.on_time_percent())}</td>
                                <td>{row.overdue_now}</td>
                                <td>{format!("{}/{}", row.ratings.satisfied, row.ratings.total())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// Leaders and coordinators see which agencies hold cases past their deadline.
#[component]
fn OverdueList() -> impl IntoView {
    let t = use_tr();
    let session = use_session();
    let may_see = move || {
        session
            .and_then(|s| s.account.get())
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|a| matches!(a.role, ActorRole::Leader | ActorRole::Coordinator | ActorRole::Admin))
    };
    let overdue = Resource::new(may_see, |allowed| async move {
        if allowed {
            overdue_by_agency().await.map(Some)
        } else {
            Ok(None)
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match overdue.await {
                    Ok(Some(cases)) => view! { <OverdueTable cases/> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(_) => view! { <p class="form-error" role="alert">{move || t(Key::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OverdueTable(cases: Vec<OverdueCase>) -> impl IntoView {
    let t = use_tr();
    let mut groups: Vec<(String, Vec<OverdueCase>)> = Vec::new();
    for case in cases {
        match groups.iter_mut().find(|(name, _)| *name == case.agency_name) {
            Some((_, list)) => list.push(case),
            None => groups.push((case.agency_name.clone(), vec![case])),
        }
    }
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    view! {
        <section class="stats-overdue" aria-labelledby="overdue-heading">
            <h2 id="overdue-heading">{move || t(Key::StatsOverdueHeading)}</h2>
            {if groups.is_empty() {
                view! { <p>{move || t(Key::StatsNoOverdue)}</p> }.into_any()
            } else {
                groups
                    .into_iter()
                    .map(|(agency, cases)| {
                        view! {
                            <h3>{format!("{agency} ({})", cases.len())}</h3>
                            <ul>
                                {cases
                                    .into_iter()
                                    .map(|case| {
                                        view! {
                                            <li>
                                                <a href=format!("/staff/cases/{}", case.id)>{format!("#{} {}", case.id, case.title)}</a>
                                                " · " {move || t(Key::Deadline)} " " {local_time(case.deadline)} " · "
                                                {move || format!("{} {}", case.days_overdue, t(Key::StatsDaysLate))}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}
