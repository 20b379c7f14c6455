//! The cluster map, the second module that touches Leaflet: counted clusters, case dots, and the viewport.

use crate::components::map_view::DONG_HOI;
use crate::i18n::Lang;
use crate::map_data::{Bounds, MapFeature};
use leptos::prelude::*;

/// What the map shows now: the viewport and the whole-number zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapViewport {
    pub bounds: Bounds,
    pub zoom: u8,
}

#[cfg(feature = "hydrate")]
type Handles = StoredValue<Option<glue::Handles>, LocalStorage>;
#[cfg(not(feature = "hydrate"))]
type Handles = StoredValue<Option<()>>;

/// A map of clusters. Works without tiles: clusters and dots need none.
#[component]
pub fn ClusterMap(
    /// Accessible name of the map region.
    #[prop(into)]
    label: Signal<String>,
    /// The language of the clusters' and cases' accessible names.
    #[prop(into)]
    lang: Signal<Lang>,
    /// Clusters and cases to draw.
    #[prop(into)]
    features: Signal<Vec<MapFeature>>,
    /// The selected case, shared with the list: a click on a case selects it, and the selected
    /// case (or the cluster holding it) is highlighted.
    selected: RwSignal<Option<(i64, f64, f64)>>,
    /// Set whenever the map stops moving.
    viewport: RwSignal<Option<MapViewport>>,
    /// The zoom the map opens at.
    #[prop(default = 12.0)]
    zoom: f64,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    let handles: Handles = StoredValue::new_local(None);
    #[cfg(not(feature = "hydrate"))]
    let handles: Handles = StoredValue::new(None);

    Effect::new(move |_| {
        let Some(element) = container.get() else { return };
        if handles.with_value(|h| h.is_some()) {
            return;
        }
        #[cfg(feature = "hydrate")]
        if let Some(created) = glue::create(&element, DONG_HOI, zoom, viewport) {
            handles.set_value(Some(created));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (element, zoom, viewport, DONG_HOI);
    });

    Effect::new(move |_| {
        let list = features.get();
        let chosen = selected.get();
        let lang = lang.get();
        #[cfg(feature = "hydrate")]
        handles.with_value(|h| {
            if let Some(h) = h {
                glue::draw(h, &list, chosen, lang, selected);
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (&list, chosen, lang, handles);
    });

    view! {
        <div class="map-frame" role="region" aria-label=move || label.get()>
            <div class="map map-large" node_ref=container></div>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod glue {
    //! Calls into Leaflet's JavaScript, through the `leaflet` bindings.

    use super::MapViewport;
    use crate::i18n::{case_marker_label, cluster_label, Lang};
    use crate::map_data::{Bounds, MapFeature};
    use leaflet::{
        DivIconOptions, Icon, LatLng, LatLngBounds, LayerGroup, Map, MapOptions, Marker, MarkerOptions, MouseEvents,
        Point,
    };
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    pub struct Handles {
        map: Map,
        layer: LayerGroup,
    }

    fn tile_url() -> Option<String> {
        let meta = document().query_selector("meta[name='hientruong-tile-url']").ok()??;
        meta.get_attribute("content").filter(|url| !url.is_empty())
    }

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
            zoom: map.get_zoom().round().clamp(0.0, f64::from(crate::map_data::MAX_ZOOM)) as u8,
        }
    }

    pub fn create(
        element: &web_sys::HtmlDivElement,
        center: (f64, f64),
        zoom: f64,
        viewport: RwSignal<Option<MapViewport>>,
    ) -> Option<Handles> {
        let options = MapOptions::new();
        options.set_center(LatLng::new(center.0, center.1));
        options.set_zoom(zoom);
        let html: &web_sys::HtmlElement = element.unchecked_ref();
        let map = Map::new_with_element(html, &options).ok()?;
        if let Some(url) = tile_url() {
            let tiles = leaflet::TileLayerOptions::new();
            tiles.set_attribution("© OpenStreetMap".to_string());
            tiles.set_max_zoom(19.0);
            leaflet::TileLayer::new_options(&url, &tiles).add_to(&map);
        }
        let layer = LayerGroup::new();
        layer.add_to(&map);
        let handle = map.clone();
        map.on_move_end(Box::new(move |_| viewport.set(Some(current(&handle)))));
        // The container may not be laid out yet when the map is made; measure it once the browser has.
        let handle = map.clone();
        set_timeout(
            move || {
                handle.invalidate_size(false);
                viewport.set(Some(current(&handle)));
            },
            std::time::Duration::ZERO,
        );
        Some(Handles { map, layer })
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

    fn holds(bounds: &Bounds, lat: f64, lon: f64) -> bool {
        lat >= bounds.south && lat <= bounds.north && lon >= bounds.west && lon <= bounds.east
    }

    pub fn draw(
        handles: &Handles,
        features: &[MapFeature],
        chosen: Option<(i64, f64, f64)>,
        lang: Lang,
        selected: RwSignal<Option<(i64, f64, f64)>>,
    ) {
        handles.layer.clear_layers();
        let chosen_shown =
            features.iter().any(|f| matches!(f, MapFeature::Case { id, .. } if Some(*id) == chosen.map(|c| c.0)));
        for feature in features {
            match feature {
                MapFeature::Cluster { lat, lon, count, bounds } => {
                    let highlight = !chosen_shown && chosen.is_some_and(|(_, la, lo)| holds(bounds, la, lo));
                    let label = cluster_label(lang, *count);
                    // The visible count is hidden from screen readers, which read the full label instead.
                    let html = format!(
                        "<span class=\"visually-hidden\">{label}</span><span aria-hidden=\"true\">{count}</span>"
                    );
                    let class = if highlight { "cluster-icon selected" } else { "cluster-icon" };
                    let m = marker(*lat, *lon, &label, icon(html, class, diameter(*count)));
                    let map = handles.map.clone();
                    let target = LatLngBounds::new(
                        &LatLng::new(bounds.south, bounds.west),
                        &LatLng::new(bounds.north, bounds.east),
                    );
                    let single_spot = bounds.south == bounds.north && bounds.west == bounds.east;
                    let (la, lo) = (*lat, *lon);
                    m.on_click(Box::new(move |_| {
                        if single_spot {
                            map.set_view(
                                &LatLng::new(la, lo),
                                (map.get_zoom() + 2.0).min(f64::from(crate::map_data::MAX_ZOOM)),
                            );
                        } else {
                            map.fit_bounds(&target);
                        }
                    }));
                    m.add_to_layer_group(&handles.layer);
                }
                MapFeature::Case { id, lat, lon, .. } => {
                    let is_chosen = chosen.map(|c| c.0) == Some(*id);
                    let label = case_marker_label(lang, *id);
                    let html = format!("<span class=\"visually-hidden\">{label}</span>");
                    let class = if is_chosen { "case-dot selected" } else { "case-dot" };
                    let m = marker(*lat, *lon, &label, icon(html, class, if is_chosen { 22.0 } else { 14.0 }));
                    if is_chosen {
                        m.set_z_index_offset(1000.0);
                    }
                    let (id, la, lo) = (*id, *lat, *lon);
                    m.on_click(Box::new(move |_| selected.set(Some((id, la, lo)))));
                    m.add_to_layer_group(&handles.layer);
                }
            }
        }
    }
}
