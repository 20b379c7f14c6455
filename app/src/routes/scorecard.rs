//! The public scorecard of one agency or one area: its figures for a period, how each is computed, its monthly trend as a chart and a table, and its open cases on the map.

use crate::components::map::MapViewport;
use crate::components::map_panel::ClusteredCases;
use crate::error::AppError;
use crate::i18n::{scorecard_map_label, scorecard_rank, tr, working_days, Key};
use crate::lang::{use_lang, use_tr};
use crate::map_data::MapParams;
use crate::routes::stats_page::{PeriodForm, SplitBar};
use crate::stats::{format_percent, get_scorecard, percent, Scorecard, ScorecardKind, ScorecardMonth};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/agencies/:code`.
#[component]
pub fn AgencyScorecardPage() -> impl IntoView {
    view! { <ScorecardPage kind=ScorecardKind::Agency/> }
}

/// `/areas/:code`.
#[component]
pub fn AreaScorecardPage() -> impl IntoView {
    view! { <ScorecardPage kind=ScorecardKind::Area/> }
}

/// A day as the province writes it.
fn day(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[component]
fn ScorecardPage(kind: ScorecardKind) -> impl IntoView {
    let t = use_tr();
    let params = use_params_map();
    let query = use_query_map();
    let asked = move || {
        let code = params.with(|p| p.get("code").unwrap_or_default());
        query.with(|q| (code, q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default()))
    };
    let card = Resource::new(asked, move |(code, from, to)| get_scorecard(kind, code, from, to));
    view! {
        <section class="scorecard-page">
            <Suspense fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let (code, from, to) = asked();
                    match card.await {
                        Ok(card) => view! { <ScorecardView card/> }.into_any(),
                        Err(AppError::Invalid(errors)) => {
                            let errors = errors.into_iter().map(|e| e.error).collect();
                            let action = format!("/{}/{code}", kind.segment());
                            view! {
                                <h1>{move || t(Key::ScorecardHeading)}</h1>
                                <PeriodForm action from to errors/>
                            }
                                .into_any()
                        }
                        Err(AppError::NotFound) => {
                            view! { <p class="not-found">{move || t(Key::ScorecardNotFound)}</p> }.into_any()
                        }
                        Err(_) => view! { <p class="form-error" role="alert">{move || t(Key::LoadFailed)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ScorecardView(card: Scorecard) -> impl IntoView {
    let t = use_tr();
    let kind_key = match card.kind {
        ScorecardKind::Agency => Key::ScorecardAgencyKind,
        ScorecardKind::Area => Key::ScorecardAreaKind,
    };
    let (from, to) = (card.from.to_string(), card.to.to_string());
    let stats_link = format!("/stats?from={from}&to={to}");
    let action = format!("/{}/{}", card.kind.segment(), card.code);
    // Read once, untracked: the document's title is set when the page is, not followed.
    let title = crate::page_title(format!("{} · {}", card.name, tr(use_lang().get_untracked(), Key::ScorecardHeading)));
    let period = format!("{} – {}", day(card.from), day(card.to));
    let split = [
        (Key::StatsSatisfied, card.ratings.satisfied, "bar-good"),
        (Key::StatsAcceptable, card.ratings.acceptable, "bar-fair"),
        (Key::StatsUnsatisfied, card.ratings.unsatisfied, "bar-poor"),
    ];
    view! {
        <Title text=title/>
        <p class="scorecard-back"><a href=stats_link>{move || t(Key::ScorecardBackToStats)}</a></p>
        <p class="scorecard-kind">{move || format!("{} · {}", t(Key::ScorecardHeading), t(kind_key))}</p>
        <h1>{card.name.clone()}</h1>
        <p class="scorecard-period">{period}</p>
        <PeriodForm action from to errors=Vec::new()/>
        <div class="scorecard-grid">
            <FiguresTable card=card.clone()/>
            <figure class="scorecard-split">
                <figcaption>{move || t(Key::StatsSatisfaction)}</figcaption>
                <SplitBar label=Signal::derive(move || t(Key::StatsSatisfaction).to_string()) parts=split.to_vec()/>
            </figure>
        </div>
        <section class="scorecard-trend" aria-labelledby="trend-heading">
            <h2 id="trend-heading">{move || t(Key::ScorecardTrend)}</h2>
            <figure>
                <figcaption>{move || t(Key::ScorecardTrendChart)}</figcaption>
                <TrendChart label=Signal::derive(move || t(Key::ScorecardTrendChart).to_string()) months=card.by_month.clone()/>
            </figure>
            <TrendTable kind=card.kind months=card.by_month.clone()/>
        </section>
        <OpenCasesMap card=card.clone()/>
        <Method kind=card.kind minimum=card.ranking_minimum/>
    }
}

/// Every figure of the period, named as the statistics page names it.
#[component]
fn FiguresTable(card: Scorecard) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let [satisfied, acceptable, unsatisfied] = card.rating_percents().map(format_percent);
    let accepted_key = match card.kind {
        ScorecardKind::Agency => Key::ScorecardTakenUp,
        ScorecardKind::Area => Key::StatsAccepted,
    };
    let median = card.median_working_days;
    let rows: Vec<(Key, Signal<String>)> = vec![
        (Key::StatsReceived, Signal::stored(card.received.to_string())),
        (
            accepted_key,
            Signal::stored(format!("{} ({})", card.accepted, format_percent(percent(card.accepted, card.received)))),
        ),
        (Key::StatsHandled, Signal::stored(card.handled.to_string())),
        (Key::StatsOnTime, Signal::stored(card.on_time.to_string())),
        (Key::StatsLate, Signal::stored(card.late.to_string())),
        (Key::StatsOnTimeRate, Signal::stored(format_percent(card.on_time_percent()))),
        (Key::ScorecardMedianDays, Signal::derive(move || working_days(lang.get(), median))),
        (Key::ScorecardOpenNow, Signal::stored(card.open_now.to_string())),
        (Key::StatsOverdueNow, Signal::stored(card.overdue_now.to_string())),
        (Key::StatsSatisfied, Signal::stored(format!("{} ({satisfied})", card.ratings.satisfied))),
        (Key::StatsAcceptable, Signal::stored(format!("{} ({acceptable})", card.ratings.acceptable))),
        (Key::StatsUnsatisfied, Signal::stored(format!("{} ({unsatisfied})", card.ratings.unsatisfied))),
    ];
    let rank = (card.kind == ScorecardKind::Agency).then(|| {
        let (rank, ranked, minimum) = (card.rank, card.ranked, card.ranking_minimum);
        view! {
            <tr>
                <th scope="row">{move || t(Key::ScorecardRank)}</th>
                <td>{move || scorecard_rank(lang.get(), rank, ranked, minimum)}</td>
            </tr>
        }
    });
    view! {
        <table class="stats-summary scorecard-figures">
            <caption>{move || t(Key::ScorecardFiguresCaption)}</caption>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(key, value)| view! { <tr><th scope="row">{move || t(key)}</th><td>{move || value.get()}</td></tr> })
                    .collect_view()}
                {rank}
            </tbody>
        </table>
    }
}

/// Columns a month takes in the trend chart, in pixels: room for its label at body size.
const MONTH_WIDTH: f64 = 76.0;

/// Received and handled cases per month as pairs of columns, drawn at their own size so that
/// their text reads at the page's size; a long period scrolls sideways rather than shrinking.
#[component]
fn TrendChart(label: Signal<String>, months: Vec<ScorecardMonth>) -> impl IntoView {
    const HEIGHT: f64 = 220.0;
    const TOP: f64 = 24.0;
    const AXIS: f64 = 30.0;
    const LEFT: f64 = 8.0;
    let t = use_tr();
    let max = months.iter().map(|m| m.received.max(m.handled)).max().unwrap_or(0).max(1) as f64;
    let width = LEFT * 2.0 + MONTH_WIDTH * months.len().max(1) as f64;
    let room = HEIGHT - AXIS - TOP;
    let base = HEIGHT - AXIS;
    let column = |x: f64, n: u64, class: &'static str| {
        let height = room * n as f64 / max;
        view! {
            <rect class=class x=x y=base - height width=MONTH_WIDTH * 0.34 height=height></rect>
            <text class="value" x=x + MONTH_WIDTH * 0.17 y=base - height - 6.0 text-anchor="middle">{n}</text>
        }
    };
    view! {
        // Focusable, so that a keyboard can scroll a long period's chart sideways.
        <div class="chart-scroll" tabindex="0">
            <svg
                class="trend-chart"
                role="img"
                aria-label=move || label.get()
                width=width
                height=HEIGHT
                viewBox=format!("0 0 {width} {HEIGHT}")
            >
                <line class="axis" x1=LEFT y1=base x2=width - LEFT y2=base></line>
                {months
                    .into_iter()
                    .enumerate()
                    .map(|(i, month)| {
                        let x = LEFT + i as f64 * MONTH_WIDTH;
                        let name = month_label(&month.month);
                        let (received, handled) = (month.received, month.handled);
                        view! {
                            <g>
                                <title>
                                    {move || {
                                        format!(
                                            "{name}: {} {received}, {} {handled}",
                                            t(Key::StatsReceived),
                                            t(Key::StatsHandled),
                                        )
                                    }}
                                </title>
                                {column(x + MONTH_WIDTH * 0.12, received, "bar-received")}
                                {column(x + MONTH_WIDTH * 0.5, handled, "bar-handled")}
                                <text class="month" x=x + MONTH_WIDTH / 2.0 y=HEIGHT - 8.0 text-anchor="middle">
                                    {month_label(&month.month)}
                                </text>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
        </div>
        <ul class="legend">
            <li><span class="swatch bar-received"></span>{move || t(Key::StatsReceived)}</li>
            <li><span class="swatch bar-handled"></span>{move || t(Key::StatsHandled)}</li>
        </ul>
    }
}

/// YYYY-MM as MM/YYYY, the way the province writes months.
fn month_label(month: &str) -> String {
    match month.split_once('-') {
        Some((year, month)) => format!("{month}/{year}"),
        None => month.to_string(),
    }
}

/// The chart's numbers, and more, as a table.
#[component]
fn TrendTable(kind: ScorecardKind, months: Vec<ScorecardMonth>) -> impl IntoView {
    let t = use_tr();
    let accepted_key = match kind {
        ScorecardKind::Agency => Key::ScorecardTakenUp,
        ScorecardKind::Area => Key::StatsAccepted,
    };
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="scorecard-months">
                <caption>{move || t(Key::ScorecardTrendTable)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t(Key::ScorecardMonth)}</th>
                        <th scope="col">{move || t(Key::StatsReceived)}</th>
                        <th scope="col">{move || t(accepted_key)}</th>
                        <th scope="col">{move || t(Key::StatsHandled)}</th>
                        <th scope="col">{move || t(Key::StatsOnTime)}</th>
                        <th scope="col">{move || t(Key::StatsOnTimeRate)}</th>
                    </tr>
                </thead>
                <tbody>
                    {months
                        .into_iter()
                        .map(|month| {
                            view! {
                                <tr>
                                    <th scope="row">{month_label(&month.month)}</th>
                                    <td>{month.received}</td>
                                    <td>{month.accepted}</td>
                                    <td>{month.handled}</td>
                                    <td>{month.on_time}</td>
                                    <td>{format_percent(month.on_time_percent())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The map's size the scorecard opens on, in pixels: about what the page gives it.
const MAP_SIZE: (f64, f64) = (640.0, 360.0);

/// The open cases of the scorecard's period on the cluster map, overdue ones on demand, with the
/// list of those in view.
#[component]
fn OpenCasesMap(card: Scorecard) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let viewport = RwSignal::new(None::<MapViewport>);
    let overdue = RwSignal::new(false);
    let (code, kind, from, to) = (card.code.clone(), card.kind, card.from.to_string(), card.to.to_string());
    let query = Memo::new(move |_| {
        viewport.get().map(|v| {
            let (agency, area) = match kind {
                ScorecardKind::Agency => (code.clone(), String::new()),
                ScorecardKind::Area => (String::new(), code.clone()),
            };
            MapParams {
                bbox: v.bounds.to_param(),
                zoom: v.zoom.to_string(),
                status: "assigned,in_progress".into(),
                agency,
                area,
                overdue: if overdue.get() { "true".into() } else { String::new() },
                from: from.clone(),
                to: to.clone(),
                public: "true".into(),
                ..MapParams::default()
            }
        })
    });
    let (centre, zoom) = card.map_view(MAP_SIZE.0, MAP_SIZE.1).unwrap_or((crate::components::map::DONG_HOI, 12));
    let name = card.name.clone();
    let public_case = |id: i64| format!("/cases/{id}");
    view! {
        <section class="scorecard-map" aria-labelledby="map-heading">
            <h2 id="map-heading">{move || t(Key::ScorecardMapHeading)}</h2>
            <fieldset class="map-show">
                <legend>{move || t(Key::ScorecardMapShow)}</legend>
                <label class="check">
                    <input
                        type="radio"
                        name="show"
                        prop:checked=move || !overdue.get()
                        on:change=move |_| overdue.set(false)
                    />
                    {move || t(Key::ScorecardShowOpen)}
                </label>
                <label class="check">
                    <input
                        type="radio"
                        name="show"
                        prop:checked=move || overdue.get()
                        on:change=move |_| overdue.set(true)
                    />
                    {move || t(Key::ScorecardShowOverdue)}
                </label>
            </fieldset>
            <ClusteredCases
                query
                viewport
                label=Signal::derive(move || scorecard_map_label(lang.get(), &name))
                center=centre
                zoom=f64::from(zoom)
                map_class=""
                case_href=public_case
                nested=true
            />
        </section>
    }
}

/// How each figure is computed, in plain words.
#[component]
fn Method(kind: ScorecardKind, minimum: u64) -> impl IntoView {
    let t = use_tr();
    let keys: Vec<Key> = match kind {
        ScorecardKind::Agency => vec![
            Key::ScorecardMethodPeriod,
            Key::ScorecardMethodReceivedAgency,
            Key::ScorecardMethodTakenUp,
            Key::ScorecardMethodHandled,
            Key::ScorecardMethodOnTime,
            Key::ScorecardMethodMedian,
            Key::ScorecardMethodOpen,
            Key::ScorecardMethodSatisfaction,
            Key::ScorecardMethodTrend,
            Key::ScorecardMethodRanking,
            Key::ScorecardMethodMap,
        ],
        ScorecardKind::Area => vec![
            Key::ScorecardMethodPeriod,
            Key::ScorecardMethodReceivedArea,
            Key::ScorecardMethodAccepted,
            Key::ScorecardMethodHandled,
            Key::ScorecardMethodOnTime,
            Key::ScorecardMethodMedian,
            Key::ScorecardMethodOpen,
            Key::ScorecardMethodSatisfaction,
            Key::ScorecardMethodTrend,
            Key::ScorecardMethodMap,
        ],
    };
    view! {
        <section class="scorecard-method" aria-labelledby="method-heading">
            <h2 id="method-heading">{move || t(Key::ScorecardMethodHeading)}</h2>
            <ul>
                {keys
                    .into_iter()
                    .map(|key| {
                        let rule = (key == Key::ScorecardMethodRanking)
                            .then(|| view! { " " <small>{move || format!("({} {minimum})", t(Key::StatsRankingRule))}</small> });
                        view! { <li>{move || t(key)} {rule}</li> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
