//! The public map of cases, with the same cases listed as links for those who do not use the map.

use crate::api::case_markers;
use crate::components::map_view::{MapMarker, MapView};
use crate::i18n::{status_label, Key};
use crate::lang::{use_lang, use_tr};
use leptos::prelude::*;

#[component]
pub fn PublicMapPage() -> impl IntoView {
    let lang = use_lang();
    let t = use_tr();
    let markers = Resource::new(|| (), |_| case_markers());
    let map_markers = Signal::derive(move || {
        markers
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|m| MapMarker { lat: m.lat, lon: m.lon, title: m.title, href: format!("/cases/{}", m.id) })
            .collect::<Vec<_>>()
    });
    view! {
        <div class="public-map-page">
            <h1>{move || t(Key::PublicMapHeading)}</h1>
            <p>{move || t(Key::PublicMapIntro)}</p>
            <MapView label=Signal::derive(move || t(Key::MapLabel).to_string()) zoom=12.0 markers=map_markers class="map-large"/>
            <Transition fallback=move || view! { <p>{move || t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match markers.await {
                        Ok(list) => view! {
                            <ul class="case-list">
                                {list.into_iter().map(|m| view! {
                                    <li>
                                        <a href=format!("/cases/{}", m.id)>{format!("#{} · {}", m.id, m.title)}</a>
                                        " · "
                                        <span class="status">{move || status_label(lang.get(), m.status)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <p class="form-error" role="alert">{move || t(Key::LoadFailed)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
