//! The follow button of a case page, and the alerts a person keeps for new cases in the places they watch.

use crate::following::{case_following, delete_alert, my_alerts, set_following, AddAlert, AlertsView, Choice};
use crate::i18n::{follow_tr, FollowKey, Lang};
use crate::lang::use_lang;
use crate::session::{error_text, use_hydrated};
use domain::alerts::{Alert, AlertFrequency, AlertInput, AlertPlace};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "Follow this report": signed-in people get its public steps as notices and e-mail.
#[component]
pub fn FollowButton(case_id: i64) -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let state = Resource::new(move || case_id, case_following);
    let toggle = Action::new(move |follow: &bool| set_following(case_id, *follow));
    let current = move || match toggle.value().get() {
        Some(Ok(changed)) => Some(changed),
        _ => state.get().and_then(Result::ok),
    };
    let problem = move || match toggle.value().get() {
        Some(Err(error)) => Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }),
        _ => None,
    };
    view! {
        <Transition fallback=|| ()>
            {move || current().map(|state| {
                if !state.signed_in {
                    return view! {
                        <p class="follow">
                            <a href="/login">{move || follow_tr(lang.get(), FollowKey::SignInToFollow)}</a>
                        </p>
                    }
                    .into_any();
                }
                let following = state.following;
                view! {
                    <p class="follow">
                        <button type="button" aria-pressed=following.to_string()
                            disabled=move || !hydrated.get() || toggle.pending().get()
                            on:click=move |_| { toggle.dispatch(!following); }>
                            {move || follow_tr(lang.get(), if following { FollowKey::Following } else { FollowKey::Follow })}
                        </button>
                        <span class="hint" role="status">
                            {move || following.then(|| follow_tr(lang.get(), FollowKey::FollowingHint))}
                        </span>
                    </p>
                }
                .into_any()
            })}
        </Transition>
        {problem}
    }
}

fn choice_name(lang: Lang, choice: &Choice) -> String {
    if lang == Lang::Vi {
        choice.name_vi.clone()
    } else {
        choice.name_en.clone()
    }
}

/// What an alert watches, in words.
fn describe(lang: Lang, alert: &Alert, view: &AlertsView) -> String {
    let place = match &alert.place {
        AlertPlace::Area { code } => {
            view.areas.iter().find(|a| &a.code == code).map(|a| choice_name(lang, a)).unwrap_or_else(|| code.clone())
        }
        AlertPlace::Drawn { bounds } => format!(
            "{} ({:.4}, {:.4} – {:.4}, {:.4})",
            follow_tr(lang, FollowKey::DrawnPlace),
            bounds.south,
            bounds.west,
            bounds.north,
            bounds.east
        ),
    };
    let categories = if alert.categories.is_empty() {
        follow_tr(lang, FollowKey::EveryCategory).to_string()
    } else {
        alert
            .categories
            .iter()
            .map(|code| {
                view.categories.iter().find(|c| &c.code == code).map(|c| choice_name(lang, c)).unwrap_or(code.clone())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let frequency = follow_tr(
        lang,
        match alert.frequency {
            AlertFrequency::AtOnce => FollowKey::AtOnce,
            AlertFrequency::Daily => FollowKey::Daily,
        },
    );
    format!("{place} · {categories} · {frequency}")
}

/// The person's alerts, with a form for a new one. A place drawn on the public map arrives as
/// `?drawn=west,south,east,north`.
#[component]
pub fn AlertsSection() -> impl IntoView {
    let lang = use_lang();
    let hydrated = use_hydrated();
    let query = use_query_map();
    let drawn = query.with_untracked(|q| q.get("drawn").unwrap_or_default());
    let area = RwSignal::new(String::new());
    let use_drawn = RwSignal::new(!drawn.is_empty());
    let categories = RwSignal::new(Vec::<String>::new());
    let frequency = RwSignal::new(AlertFrequency::AtOnce.as_str().to_string());
    let add = ServerAction::<AddAlert>::new();
    let remove = Action::new(|id: &i64| delete_alert(*id));
    let alerts = Resource::new(move || (add.version().get(), remove.version().get()), |_| my_alerts());
    let drawn_for_submit = drawn.clone();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let input = AlertInput {
            area: if use_drawn.get_untracked() { String::new() } else { area.get_untracked() },
            drawn: if use_drawn.get_untracked() { drawn_for_submit.clone() } else { String::new() },
            categories: categories.get_untracked(),
            frequency: frequency.get_untracked(),
        };
        add.dispatch(AddAlert { input });
    };
    let outcome = move || match add.value().get() {
        Some(Ok(_)) => Some(
            view! { <p class="form-ok" role="status">{move || follow_tr(lang.get(), FollowKey::AlertSaved)}</p> }
                .into_any(),
        ),
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_text(lang.get(), &error)}</p> }.into_any())
        }
        None => None,
    };
    let has_drawn = !drawn.is_empty();
    view! {
        <section class="alerts" aria-labelledby="alerts-heading">
            <h2 id="alerts-heading">{move || follow_tr(lang.get(), FollowKey::AlertsHeading)}</h2>
            <p class="hint">{move || follow_tr(lang.get(), FollowKey::AlertsHint)}</p>
            <Transition fallback=|| ()>
                {move || {
                    let on_submit = on_submit.clone();
                    Suspend::new(async move {
                    match alerts.await {
                        Ok(view) => {
                            let listed = view.alerts.iter().map(|alert| {
                                let id = alert.id;
                                let text = describe(lang.get_untracked(), alert, &view);
                                let label = format!("{} — {text}", follow_tr(lang.get_untracked(), FollowKey::DeleteAlert));
                                view! {
                                    <li>
                                        <span>{text}</span>
                                        " "
                                        <button type="button" aria-label=label
                                            on:click=move |_| { remove.dispatch(id); }>
                                            {move || follow_tr(lang.get(), FollowKey::DeleteAlert)}
                                        </button>
                                    </li>
                                }
                            }).collect_view();
                            let empty = view.alerts.is_empty();
                            let area_options = view.areas.iter().map(|choice| {
                                let code = choice.code.clone();
                                let name = choice_name(lang.get_untracked(), choice);
                                view! { <option value=code>{name}</option> }
                            }).collect_view();
                            let category_boxes = view.categories.iter().map(|choice| {
                                let code = choice.code.clone();
                                let id = format!("alert-category-{code}");
                                let label_for = id.clone();
                                let name = choice_name(lang.get_untracked(), choice);
                                let code_for_change = code.clone();
                                view! {
                                    <label class="check" for=label_for>
                                        <input type="checkbox" id=id value=code.clone()
                                            prop:checked=move || categories.with(|c| c.contains(&code))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                let code = code_for_change.clone();
                                                categories.update(|c| {
                                                    c.retain(|x| x != &code);
                                                    if on { c.push(code); }
                                                });
                                            }/>
                                        {name}
                                    </label>
                                }
                            }).collect_view();
                            view! {
                                {if empty {
                                    view! { <p>{move || follow_tr(lang.get(), FollowKey::NoAlerts)}</p> }.into_any()
                                } else {
                                    view! { <ul class="alert-list">{listed}</ul> }.into_any()
                                }}
                                <form class="stack" method="post" on:submit=on_submit>
                                    <h3>{move || follow_tr(lang.get(), FollowKey::NewAlert)}</h3>
                                    {has_drawn.then(|| view! {
                                        <label class="check" for="alert-use-drawn">
                                            <input type="checkbox" id="alert-use-drawn"
                                                prop:checked=move || use_drawn.get()
                                                on:change=move |ev| use_drawn.set(event_target_checked(&ev))/>
                                            {move || follow_tr(lang.get(), FollowKey::UseDrawn)}
                                        </label>
                                    })}
                                    <div class="field">
                                        <label for="alert-area">{move || follow_tr(lang.get(), FollowKey::Area)}</label>
                                        <select id="alert-area" disabled=move || use_drawn.get()
                                            prop:value=move || area.get()
                                            on:change=move |ev| area.set(event_target_value(&ev))>
                                            <option value="">{move || follow_tr(lang.get(), FollowKey::ChooseArea)}</option>
                                            {area_options}
                                        </select>
                                    </div>
                                    <fieldset>
                                        <legend>{move || follow_tr(lang.get(), FollowKey::Categories)}</legend>
                                        {category_boxes}
                                    </fieldset>
                                    <fieldset>
                                        <legend>{move || follow_tr(lang.get(), FollowKey::Frequency)}</legend>
                                        <label class="check" for="alert-at-once">
                                            <input type="radio" id="alert-at-once" name="alert-frequency" value="at_once"
                                                prop:checked=move || frequency.get() == "at_once"
                                                on:change=move |_| frequency.set("at_once".into())/>
                                            {move || follow_tr(lang.get(), FollowKey::AtOnce)}
                                        </label>
                                        <label class="check" for="alert-daily">
                                            <input type="radio" id="alert-daily" name="alert-frequency" value="daily"
                                                prop:checked=move || frequency.get() == "daily"
                                                on:change=move |_| frequency.set("daily".into())/>
                                            {move || follow_tr(lang.get(), FollowKey::Daily)}
                                        </label>
                                    </fieldset>
                                    {outcome}
                                    <button type="submit" class="primary"
                                        disabled=move || !hydrated.get() || add.pending().get()>
                                        {move || follow_tr(lang.get(), FollowKey::AddAlert)}
                                    </button>
                                </form>
                            }.into_any()
                        }
                        Err(error) => view! {
                            <p class="form-error" role="alert">{error_text(lang.get_untracked(), &error)}</p>
                        }.into_any(),
                    }
                })}}
            </Transition>
        </section>
    }
}
