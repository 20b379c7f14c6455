//! The page's one Leaflet map and the layers drawn on it: the only modules that touch Leaflet.
//!
//! `MapView` owns the map: it makes it in the browser, gives it to the layers inside it through
//! context, and removes it when the page is left. Each layer (`LocationPin`, `CaseMarkers`,
//! `AreaOutlines`, `ClusterLayer`) puts its own Leaflet objects on that map and takes them off again
//! when it is cleaned up. The server renders the map's frame and the layers' controls only.

mod clusters;
mod markers;
mod outlines;
mod pin;

pub use clusters::{ClusterLayer, MapViewport};
pub use markers::{CaseLocationMap, CaseMarkers, MapMarker};
pub use outlines::{AreaOutline, AreaOutlines};
pub use pin::LocationPin;

use leptos::context::Provider;
use leptos::prelude::*;

/// A box on the map: (south, west, north, east), in degrees.
pub type Bounds = (f64, f64, f64, f64);

/// The centre of Đồng Hới, where maps open when nothing else is known.
pub const DONG_HOI: (f64, f64) = (17.4689, 106.6222);

/// What a `MapView` gives the layers inside it: its Leaflet map, once the browser has made it.
/// The server makes no map, so there it carries nothing.
#[derive(Clone, Copy)]
struct MapContext {
    #[cfg(feature = "hydrate")]
    map: RwSignal<Option<leaflet::Map>, LocalStorage>,
}

/// An interactive map; what it shows are its children, the layers. The page works when no tile
/// loads: pins, markers, outlines and clusters need none.
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
    /// Extra CSS class of the map box.
    #[prop(optional, into)]
    class: String,
    /// The layers drawn on the map, and any controls they show under it.
    children: Children,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    let context = browser::open(container, center, zoom);
    #[cfg(not(feature = "hydrate"))]
    let context = {
        let _ = (center, zoom);
        MapContext {}
    };
    // Read with `try_get`: a response may still render the frame after the page that owns the
    // label is gone (a reader who left mid-render), and a disposed label must not panic the server.
    view! {
        <div class="map-frame" role="region" aria-label=move || label.try_get().unwrap_or_default()>
            <div class=format!("map {class}") node_ref=container></div>
            <Provider value=context>{children()}</Provider>
        </div>
    }
}

/// Moves the map to fit `bounds` (south, west, north, east) each time they change: where a search
/// sends the reader.
#[component]
pub fn MapFocus(bounds: Signal<Option<Bounds>>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(context) = MapContext::enclosing() {
        Effect::new(move |_| {
            let (Some(map), Some((south, west, north, east))) = (context.map(), bounds.get()) else { return };
            let target =
                leaflet::LatLngBounds::new(&leaflet::LatLng::new(south, west), &leaflet::LatLng::new(north, east));
            map.fit_bounds(&target);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = bounds;
}

#[cfg(feature = "hydrate")]
use browser::{keep_drawn, listen, Listener};

#[cfg(feature = "hydrate")]
mod browser {
    //! Making and removing the map, and what the layers share, through the `leaflet` bindings.

    use super::MapContext;
    use crate::i18n::{tr, Key, Lang};
    use leaflet::{
        Event, Evented, EventedHandle, LatLng, LayerGroup, Map, MapOptions, TileLayer, TileLayerOptions, Zoom,
        ZoomOptions,
    };
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// A handler on a Leaflet object's events, taken off when this is dropped.
    pub type Listener = EventedHandle<Event>;

    /// Calls `handler` on every `kind` event of `target` for as long as the listener is kept.
    pub fn listen(target: &Evented, kind: &'static str, handler: impl FnMut(Event) + 'static) -> Listener {
        Evented::on_leaflet_event(&target, kind, handler)
    }

    impl MapContext {
        /// The enclosing `MapView`'s context; `None` for a layer placed outside any map.
        pub fn enclosing() -> Option<Self> {
            use_context::<Self>()
        }

        /// The map once made; tracked, so an effect that reads it runs again when the map appears.
        pub fn map(self) -> Option<Map> {
            self.map.try_get().flatten()
        }

        /// The map while it is alive, without tracking: for event handlers and timers, which may
        /// fire after the page has been left and the map removed.
        pub fn map_untracked(self) -> Option<Map> {
            self.map.try_get_untracked().flatten()
        }
    }

    /// The tile URL template the server put in the page.
    fn tile_url() -> Option<String> {
        let meta = document().query_selector("meta[name='hientruong-tile-url']").ok()??;
        meta.get_attribute("content").filter(|url| !url.is_empty())
    }

    fn create(element: &web_sys::HtmlDivElement, center: (f64, f64), zoom: f64, lang: Lang) -> Option<Map> {
        let options = MapOptions::new();
        options.set_center(LatLng::new(center.0, center.1));
        options.set_zoom(zoom);
        // Leaflet's own zoom buttons are named in English; these speak the page's language.
        options.set_zoom_control(false);
        let map = Map::new_with_element(element.unchecked_ref(), &options).ok()?;
        let mut buttons = ZoomOptions::new();
        buttons.set_zoom_in_title(tr(lang, Key::ZoomIn));
        buttons.set_zoom_out_title(tr(lang, Key::ZoomOut));
        Zoom::new(&buttons).add_to(&map);
        if let Some(url) = tile_url() {
            let tiles = TileLayerOptions::new();
            tiles.set_attribution("© OpenStreetMap".to_string());
            tiles.set_max_zoom(19.0);
            TileLayer::new_options(&url, &tiles).add_to(&map);
        }
        Some(map)
    }

    /// Where the site serves Leaflet's script.
    const LEAFLET_SCRIPT: &str = "/vendor/leaflet/leaflet.js";

    /// Whether Leaflet's script has run in this page: `window.L` holds it (a property that merely
    /// exists, as a test's hook on it, is not Leaflet).
    fn leaflet_loaded() -> bool {
        js_sys::Reflect::get(&window(), &"L".into()).is_ok_and(|leaflet| leaflet.is_object())
    }

    /// Calls `then` once Leaflet's script has run, adding the script to the page unless an earlier
    /// map is still fetching it: only pages that draw a map bring it with them (see
    /// `pages::MAP_PAGES`), and this one was reached by a link. A script that cannot be fetched
    /// leaves the map undrawn, and the page as usable as when no tile loads.
    fn when_leaflet_loaded(then: impl FnOnce() + 'static) {
        let document = document();
        let selector = format!("script[src='{LEAFLET_SCRIPT}']");
        let script = match document.query_selector(&selector).ok().flatten() {
            Some(script) => script,
            None => {
                let Ok(script) = document.create_element("script") else { return };
                if script.set_attribute("src", LEAFLET_SCRIPT).is_err() {
                    return;
                }
                // A script that failed is taken out again, for the next map to try anew.
                let failed = script.clone();
                let on_error = wasm_bindgen::closure::Closure::once_into_js(move || failed.remove());
                let _ = script.add_event_listener_with_callback("error", on_error.unchecked_ref());
                let Some(body) = document.body() else { return };
                if body.append_child(&script).is_err() {
                    return;
                }
                script
            }
        };
        let on_load = wasm_bindgen::closure::Closure::once_into_js(then);
        let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
    }

    /// Makes the map in `container` once it is in the page and Leaflet has run, and removes it when
    /// the component is cleaned up.
    pub fn open(container: NodeRef<leptos::html::Div>, center: (f64, f64), zoom: f64) -> MapContext {
        let lang = crate::lang::use_lang().get_untracked();
        let map = RwSignal::new_local(None::<Map>);
        let leaflet = RwSignal::new_local(leaflet_loaded());
        if !leaflet.get_untracked() {
            // The page may be left before the script arrives: then there is nothing to draw.
            when_leaflet_loaded(move || {
                let _ = leaflet.try_set(true);
            });
        }
        Effect::new(move |_| {
            if !leaflet.get() {
                return;
            }
            let Some(element) = container.get() else { return };
            if map.with_untracked(Option::is_none) {
                map.set(create(&element, center, zoom, lang));
            }
        });
        // Leaflet keeps a map alive, listening on the window, until `remove` is called; without it
        // every visit to a page with a map would leave one more behind. The layers inside are
        // cleaned up first, as the owner's children, so they find the map still there.
        on_cleanup(move || {
            if let Some(Some(made)) = map.try_update_untracked(Option::take) {
                made.remove();
            }
        });
        MapContext { map }
    }

    /// Keeps a group of Leaflet layers on the enclosing map, drawn by `draw` when the map appears
    /// and again whenever a signal `draw` reads changes; `draw` answers the listeners it put on
    /// them, which are dropped with the old drawing. The component's cleanup takes the group off.
    pub fn keep_drawn(draw: impl Fn(&Map, &LayerGroup) -> Vec<Listener> + 'static) {
        let Some(context) = MapContext::enclosing() else { return };
        let drawn = StoredValue::new_local(None::<(LayerGroup, Vec<Listener>)>);
        Effect::new(move |_| {
            let Some(map) = context.map() else { return };
            drawn.update_value(|drawn| {
                let (group, listeners) = drawn.get_or_insert_with(|| {
                    let group = LayerGroup::new();
                    group.add_to(&map);
                    (group, Vec::new())
                });
                listeners.clear();
                group.clear_layers();
                *listeners = draw(&map, group);
            });
        });
        on_cleanup(move || {
            // The listeners are taken off with the group.
            if let Some(Some((group, _listeners))) = drawn.try_update_value(Option::take) {
                group.remove();
            }
        });
    }
}
