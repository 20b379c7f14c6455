//! The Leaflet map: the only module that touches Leaflet. It shows markers, area outlines and, as a picker, a movable pin.

use domain::geo::Polygon;
use leptos::prelude::*;

/// A case drawn on the map; activating it opens `href`.
#[derive(Debug, Clone, PartialEq)]
pub struct MapMarker {
    pub lat: f64,
    pub lon: f64,
    pub title: String,
    pub href: String,
}

/// A served area's boundary drawn on the map: solid when active, dashed and grey when not.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaOutline {
    pub name: String,
    pub active: bool,
    pub polygons: Vec<Polygon>,
}

/// The centre of Đồng Hới, where maps open when nothing else is known.
pub const DONG_HOI: (f64, f64) = (17.4689, 106.6222);

#[cfg(feature = "hydrate")]
type MapHandle = leaflet::Map;
#[cfg(not(feature = "hydrate"))]
type MapHandle = ();

#[cfg(feature = "hydrate")]
type PinHandle = leaflet::Marker;
#[cfg(not(feature = "hydrate"))]
type PinHandle = ();

#[cfg(feature = "hydrate")]
type MarkerLayer = leaflet::LayerGroup;
#[cfg(not(feature = "hydrate"))]
type MarkerLayer = ();

/// A Leaflet object kept beside the component. In the browser it lives on the one JS thread;
/// on the server it is always empty, and must be thread-safe since requests move between threads.
#[cfg(feature = "hydrate")]
type Held<T> = StoredValue<Option<T>, LocalStorage>;
#[cfg(not(feature = "hydrate"))]
type Held<T> = StoredValue<Option<T>>;

#[cfg(feature = "hydrate")]
fn held<T: 'static>() -> Held<T> {
    StoredValue::new_local(None)
}

#[cfg(not(feature = "hydrate"))]
fn held<T: Send + Sync + 'static>() -> Held<T> {
    StoredValue::new(None)
}

/// An interactive map. The page works when no tile loads: pins and markers do not need tiles.
#[component]
pub fn MapView(
    /// Accessible name of the map region.
    #[prop(into)]
    label: Signal<String>,
    /// Where the map opens, as (latitude, longitude).
    #[prop(default = DONG_HOI)]
    center: (f64, f64),
    /// The zoom it opens at.
    #[prop(default = 13.0)]
    zoom: f64,
    /// Markers to draw; activating one opens its page.
    #[prop(optional, into)]
    markers: Option<Signal<Vec<MapMarker>>>,
    /// Area boundaries to draw.
    #[prop(optional, into)]
    outlines: Option<Signal<Vec<AreaOutline>>>,
    /// When given, the map picks a location: a click drops the pin, dragging moves it.
    #[prop(optional)]
    pin: Option<RwSignal<Option<(f64, f64)>>>,
    /// Labels of the picker's buttons: "use my location" and "pin at centre".
    #[prop(optional, into)]
    picker_labels: Option<Signal<(String, String)>>,
    /// Extra CSS class of the map box.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let map: Held<MapHandle> = held();
    let pin_marker: Held<PinHandle> = held();
    let marker_layer: Held<MarkerLayer> = held();
    let outline_layer: Held<MarkerLayer> = held();
    let navigate = leptos_router::hooks::use_navigate();

    Effect::new(move |_| {
        let Some(element) = container.get() else { return };
        if map.with_value(|m| m.is_some()) {
            return;
        }
        #[cfg(feature = "hydrate")]
        {
            if let Some(created) = glue::create_map(&element, center, zoom, pin) {
                map.set_value(Some(created));
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (element, center, zoom);
    });

    // Keeps the pin marker where the pin signal says.
    Effect::new(move |_| {
        let Some(pin) = pin else { return };
        let position = pin.get();
        #[cfg(feature = "hydrate")]
        map.with_value(|m| {
            if let Some(m) = m {
                pin_marker.update_value(|marker| glue::place_pin(m, marker, position, pin));
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (position, pin_marker);
    });

    // Redraws case markers when the list changes.
    Effect::new(move |_| {
        let Some(markers) = markers else { return };
        let list = markers.get();
        #[cfg(feature = "hydrate")]
        map.with_value(|m| {
            if let Some(m) = m {
                let navigate = navigate.clone();
                marker_layer.update_value(|layer| glue::draw_markers(m, layer, &list, navigate));
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (&list, marker_layer, &navigate);
    });

    // Redraws area outlines when they change.
    Effect::new(move |_| {
        let Some(outlines) = outlines else { return };
        let list = outlines.get();
        #[cfg(feature = "hydrate")]
        map.with_value(|m| {
            if let Some(m) = m {
                outline_layer.update_value(|layer| glue::draw_outlines(m, layer, &list));
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (&list, outline_layer);
    });

    let use_my_location = move |_| {
        #[cfg(feature = "hydrate")]
        map.with_value(|m| {
            if let Some(m) = m {
                glue::locate(m);
            }
        });
    };
    let pin_at_centre = move |_| {
        #[cfg(feature = "hydrate")]
        map.with_value(|m| {
            if let (Some(m), Some(pin)) = (m, pin) {
                let c = m.get_center();
                pin.set(Some((c.lat(), c.lng())));
            }
        });
    };

    let picker_buttons = picker_labels.map(|labels| {
        view! {
            <div class="map-tools">
                <button type="button" on:click=use_my_location>{move || labels.get().0}</button>
                <button type="button" on:click=pin_at_centre>{move || labels.get().1}</button>
            </div>
        }
    });

    view! {
        <div class="map-frame" role="region" aria-label=move || label.get()>
            <div class=format!("map {class}") node_ref=container></div>
            {picker_buttons}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod glue {
    //! Calls into Leaflet's JavaScript, through the `leaflet` bindings.

    use super::MapMarker;
    use leaflet::{DragEvents, LatLng, LayerGroup, Map, MapOptions, Marker, MarkerOptions, MouseEvents, TileLayer};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// The tile URL template the server put in the page.
    fn tile_url() -> Option<String> {
        let meta = document().query_selector("meta[name='hientruong-tile-url']").ok()??;
        meta.get_attribute("content").filter(|url| !url.is_empty())
    }

    pub fn create_map(
        element: &web_sys::HtmlDivElement,
        center: (f64, f64),
        zoom: f64,
        pin: Option<RwSignal<Option<(f64, f64)>>>,
    ) -> Option<Map> {
        let options = MapOptions::new();
        options.set_center(LatLng::new(center.0, center.1));
        options.set_zoom(zoom);
        let html: &web_sys::HtmlElement = element.unchecked_ref();
        let map = Map::new_with_element(html, &options).ok()?;
        if let Some(url) = tile_url() {
            let tiles = leaflet::TileLayerOptions::new();
            tiles.set_attribution("© OpenStreetMap".to_string());
            tiles.set_max_zoom(19.0);
            TileLayer::new_options(&url, &tiles).add_to(&map);
        }
        if let Some(pin) = pin {
            map.on_mouse_click(Box::new(move |event: leaflet::MouseEvent| {
                let at = event.lat_lng();
                pin.set(Some((at.lat(), at.lng())));
            }));
            map.on_location_found(Box::new(move |event: leaflet::LocationEvent| {
                let at = event.lat_lng();
                pin.set(Some((at.lat(), at.lng())));
            }));
        }
        Some(map)
    }

    pub fn place_pin(
        map: &Map,
        marker: &mut Option<Marker>,
        position: Option<(f64, f64)>,
        pin: RwSignal<Option<(f64, f64)>>,
    ) {
        match (position, marker.as_ref()) {
            (None, Some(existing)) => {
                existing.remove();
                *marker = None;
            }
            (None, None) => {}
            (Some((lat, lon)), Some(existing)) => existing.set_lat_lng(&LatLng::new(lat, lon)),
            (Some((lat, lon)), None) => {
                let options = MarkerOptions::new();
                options.set_draggable(true);
                options.set_keyboard(true);
                options.set_title("Vị trí phản ánh".to_string());
                let created = Marker::new_with_options(&LatLng::new(lat, lon), &options);
                let handle = created.clone();
                created.on_drag_end(Box::new(move |_| {
                    let at = handle.get_lat_lng();
                    pin.set(Some((at.lat(), at.lng())));
                }));
                created.add_to(map);
                *marker = Some(created);
            }
        }
    }

    pub fn draw_markers(
        map: &Map,
        layer: &mut Option<LayerGroup>,
        markers: &[MapMarker],
        navigate: impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static,
    ) {
        let group = layer.get_or_insert_with(|| {
            let group = LayerGroup::new();
            group.add_to(map);
            group
        });
        group.clear_layers();
        for item in markers {
            let options = MarkerOptions::new();
            options.set_title(item.title.clone());
            options.set_alt(item.title.clone());
            options.set_keyboard(true);
            let marker = Marker::new_with_options(&LatLng::new(item.lat, item.lon), &options);
            let href = item.href.clone();
            let navigate = navigate.clone();
            marker.on_click(Box::new(move |_| navigate(&href, Default::default())));
            marker.add_to_layer_group(group);
        }
    }

    /// Draws each area's polygons, active ones solid, inactive ones dashed; the name shows on hover.
    pub fn draw_outlines(map: &Map, layer: &mut Option<LayerGroup>, outlines: &[super::AreaOutline]) {
        let group = layer.get_or_insert_with(|| {
            let group = LayerGroup::new();
            group.add_to(map);
            group
        });
        group.clear_layers();
        for outline in outlines {
            for polygon in &outline.polygons {
                let rings = js_sys::Array::new();
                for ring in &polygon.rings {
                    let points = js_sys::Array::new();
                    for [lon, lat] in ring {
                        points.push(&LatLng::new(*lat, *lon).into());
                    }
                    rings.push(&points);
                }
                let options = leaflet::PolylineOptions::new();
                options.set_color(if outline.active { "#1565c0" } else { "#757575" }.to_string());
                options.set_weight(2.0);
                options.set_fill_opacity(if outline.active { 0.08 } else { 0.02 });
                if !outline.active {
                    options.set_dash_array("6 6".to_string());
                }
                let shape = leaflet::Polygon::new_with_options(&rings, &options);
                // The bindings' `bindTooltipWithContent` names no Leaflet function; `bindTooltip` takes the text.
                if let Ok(bind) = js_sys::Reflect::get(&shape, &"bindTooltip".into()) {
                    if let Some(bind) = bind.dyn_ref::<js_sys::Function>() {
                        let _ = bind.call1(&shape, &outline.name.clone().into());
                    }
                }
                shape.add_to_layer_group(group);
            }
        }
    }

    pub fn locate(map: &Map) {
        let options = leaflet::LocateOptions::new();
        map.locate_with_options(&options);
    }
}
