//! Counted clusters and case dots on the map, and the viewport they are counted for.

use crate::lang::PageLang;
use crate::map_data::{Bounds, MapFeature};
use leptos::prelude::*;

/// What the map shows now: the viewport and the whole-number zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapViewport {
    pub bounds: Bounds,
    pub zoom: u8,
}

/// Clusters and single cases: a click on a cluster zooms into it, a click on a case selects it.
/// Reports the viewport whenever the map stops moving.
#[component]
pub fn ClusterLayer(
    /// The language of the clusters' and cases' accessible names.
    lang: PageLang,
    /// Clusters and cases to draw.
    #[prop(into)]
    features: Signal<Vec<MapFeature>>,
    /// The selected case, shared with the list: a click on a case selects it, and the selected
    /// case (or the cluster holding it) is highlighted.
    selected: RwSignal<Option<(i64, f64, f64)>>,
    /// Set whenever the map stops moving.
    viewport: RwSignal<Option<MapViewport>>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        browser::follow_viewport(viewport);
        browser::draw(lang, features, selected);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (lang, features, selected, viewport);
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The clusters' Leaflet layers and the viewport's listener, through the `leaflet` bindings.

    use super::super::{keep_drawn, listen, Listener, MapContext};
    use super::MapViewport;
    use crate::i18n::{case_marker_label, cluster_label, Lang};
    use crate::lang::PageLang;
    use crate::map_data::{Bounds, MapFeature, MAX_ZOOM};
    use domain::case::CaseStatus;
    use leaflet::{DivIconOptions, Icon, LatLng, LatLngBounds, LayerGroup, Map, Marker, MarkerOptions, Point};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    fn current(map: &Map) -> MapViewport {
        let b = map.get_bounds();
        let (sw, ne) = (b.get_south_west(), b.get_north_east());
        let clamp_lon = |v: f64| v.clamp(-180.0, 180.0);
        let clamp_lat = |v: f64| v.clamp(-90.0, 90.0);
        MapViewport {
            bounds: Bounds {
                west: clamp_lon(sw.lng()),
                south: clamp_lat(sw.lat()),
                east: clamp_lon(ne.lng()),
                north: clamp_lat(ne.lat()),
            },
            zoom: map.get_zoom().round().clamp(0.0, f64::from(MAX_ZOOM)) as u8,
        }
    }

    /// Sets `viewport` once the map is laid out and whenever it stops moving, until the component
    /// is cleaned up.
    pub fn follow_viewport(viewport: RwSignal<Option<MapViewport>>) {
        let Some(context) = MapContext::enclosing() else { return };
        let moved = StoredValue::new_local(None::<Listener>);
        Effect::new(move |_| {
            let Some(map) = context.map() else { return };
            let handle = map.clone();
            moved.set_value(Some(listen(&map, "moveend", move |_| viewport.set(Some(current(&handle))))));
            // The container may not be laid out yet when the map is made; measure it once the
            // browser has, unless the page has been left (and the map removed) by then.
            set_timeout(
                move || {
                    if let Some(map) = context.map_untracked() {
                        map.invalidate_size(false);
                        viewport.set(Some(current(&map)));
                    }
                },
                std::time::Duration::ZERO,
            );
        });
        on_cleanup(move || {
            moved.try_set_value(None);
        });
    }

    /// A circle's diameter in pixels: growing with the count's order of magnitude, 28 to 60.
    fn diameter(count: u64) -> f64 {
        (28.0 + 8.0 * (count as f64).log10()).min(60.0)
    }

    /// An `L.divIcon`. The bindings' `DivIcon::new` constructs a plain `L.Icon`, which wants an image,
    /// so the factory is called directly.
    fn icon(html: String, class: &str, size: f64) -> Option<Icon> {
        let options = DivIconOptions::new();
        options.set_html(html);
        options.set_class_name(class.to_string());
        options.set_icon_size(Point::new(size, size));
        options.set_icon_anchor(Point::new(size / 2.0, size / 2.0));
        let leaflet = js_sys::Reflect::get(&js_sys::global(), &"L".into()).ok()?;
        let factory: js_sys::Function = js_sys::Reflect::get(&leaflet, &"divIcon".into()).ok()?.dyn_into().ok()?;
        factory.call1(&leaflet, &options).ok().map(JsCast::unchecked_into)
    }

    fn marker(lat: f64, lon: f64, title: &str, icon: Option<Icon>) -> Marker {
        let options = MarkerOptions::new();
        options.set_title(title.to_string());
        options.set_keyboard(true);
        if let Some(icon) = icon {
            options.set_icon(icon);
        }
        Marker::new_with_options(&LatLng::new(lat, lon), &options)
    }

    /// Runs `action` on a click and, as a button does, on Enter or Space while the marker has the
    /// keyboard's focus (Leaflet itself answers Enter only on markers with a popup).
    fn on_activate(marker: &Marker, action: impl Fn() + 'static) -> [Listener; 2] {
        let action = std::rc::Rc::new(action);
        let on_key = std::rc::Rc::clone(&action);
        [
            listen(marker, "click", move |_| action()),
            listen(marker, "keydown", move |event| {
                let original = js_sys::Reflect::get(event.as_ref(), &"originalEvent".into()).ok();
                let Some(original) = original.and_then(|o| o.dyn_into::<web_sys::Event>().ok()) else { return };
                let key = js_sys::Reflect::get(original.as_ref(), &"key".into()).ok().and_then(|k| k.as_string());
                if matches!(key.as_deref(), Some("Enter" | " ")) {
                    // Space would otherwise scroll the page.
                    original.prevent_default();
                    on_key();
                }
            }),
        ]
    }

    /// Whether a cluster's bounds hold a case. The index rounds positions to about a centimetre,
    /// so a case on the cluster's edge may lie a hair outside the bounds it answers.
    fn holds(bounds: &Bounds, lat: f64, lon: f64) -> bool {
        const HAIR: f64 = 1e-6;
        lat >= bounds.south - HAIR
            && lat <= bounds.north + HAIR
            && lon >= bounds.west - HAIR
            && lon <= bounds.east + HAIR
    }

    /// A cluster's circle showing its count; a click zooms into the cluster.
    fn cluster(
        map: &Map,
        group: &LayerGroup,
        (lat, lon): (f64, f64),
        count: u64,
        bounds: &Bounds,
        highlight: bool,
        lang: Lang,
    ) -> [Listener; 2] {
        let label = cluster_label(lang, count);
        // The visible count is hidden from screen readers, which read the full label instead.
        let html = format!("<span class=\"visually-hidden\">{label}</span><span aria-hidden=\"true\">{count}</span>");
        let class = if highlight { "cluster-icon selected" } else { "cluster-icon" };
        let m = marker(lat, lon, &label, icon(html, class, diameter(count)));
        m.add_to_layer_group(group);
        let map = map.clone();
        let target =
            LatLngBounds::new(&LatLng::new(bounds.south, bounds.west), &LatLng::new(bounds.north, bounds.east));
        let single_spot = bounds.south == bounds.north && bounds.west == bounds.east;
        on_activate(&m, move || {
            if single_spot {
                map.set_view(&LatLng::new(lat, lon), (map.get_zoom() + 2.0).min(f64::from(MAX_ZOOM)));
            } else {
                map.fit_bounds(&target);
            }
        })
    }

    /// A single case's dot, larger when chosen; a click selects the case.
    fn case_dot(
        group: &LayerGroup,
        (id, lat, lon): (i64, f64, f64),
        status: CaseStatus,
        chosen: bool,
        lang: Lang,
        selected: RwSignal<Option<(i64, f64, f64)>>,
    ) -> [Listener; 2] {
        let label = case_marker_label(lang, id, status);
        let html = format!("<span class=\"visually-hidden\">{label}</span>");
        let class = format!("case-dot status-{}{}", status.as_str(), if chosen { " selected" } else { "" });
        let m = marker(lat, lon, &label, icon(html, &class, if chosen { 22.0 } else { 14.0 }));
        if chosen {
            m.set_z_index_offset(1000.0);
        }
        m.add_to_layer_group(group);
        on_activate(&m, move || selected.set(Some((id, lat, lon))))
    }

    pub fn draw(lang: PageLang, features: Signal<Vec<MapFeature>>, selected: RwSignal<Option<(i64, f64, f64)>>) {
        keep_drawn(move |map, group| {
            let chosen = selected.get();
            let lang = lang.get();
            features.with(|features| {
                let chosen_shown = features
                    .iter()
                    .any(|f| matches!(f, MapFeature::Case { id, .. } if Some(*id) == chosen.map(|c| c.0)));
                features
                    .iter()
                    .flat_map(|feature| match feature {
                        MapFeature::Cluster { lat, lon, count, bounds } => {
                            let highlight = !chosen_shown && chosen.is_some_and(|(_, la, lo)| holds(bounds, la, lo));
                            cluster(map, group, (*lat, *lon), *count, bounds, highlight, lang)
                        }
                        MapFeature::Case { id, lat, lon, status, .. } => {
                            let is_chosen = chosen.map(|c| c.0) == Some(*id);
                            case_dot(group, (*id, *lat, *lon), *status, is_chosen, lang, selected)
                        }
                    })
                    .collect()
            })
        });
    }
}
