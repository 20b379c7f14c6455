//! Served areas' boundaries on the map, each named on hover.

use domain::geo::Polygon;
use leptos::prelude::*;

/// A served area's boundary drawn on the map: solid when active, dashed and grey when not.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaOutline {
    pub name: String,
    pub active: bool,
    pub polygons: Vec<Polygon>,
}

/// The boundaries of `outlines`, drawn again whenever they change.
#[component]
pub fn AreaOutlines(
    /// Area boundaries to draw.
    #[prop(into)]
    outlines: Signal<Vec<AreaOutline>>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::draw(outlines);
    #[cfg(not(feature = "hydrate"))]
    let _ = outlines;
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The outlines' Leaflet layers, through the `leaflet` bindings.

    use super::super::keep_drawn;
    use super::AreaOutline;
    use leaflet::{LatLng, LayerGroup, PolylineOptions};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    fn shape(outline: &AreaOutline, polygon: &domain::geo::Polygon) -> leaflet::Polygon {
        let rings = js_sys::Array::new();
        for ring in &polygon.rings {
            let points = js_sys::Array::new();
            for [lon, lat] in ring {
                points.push(&LatLng::new(*lat, *lon).into());
            }
            rings.push(&points);
        }
        let options = PolylineOptions::new();
        options.set_color(if outline.active { "#1565c0" } else { "#757575" }.to_string());
        options.set_weight(2.0);
        options.set_fill_opacity(if outline.active { 0.08 } else { 0.02 });
        if !outline.active {
            options.set_dash_array("6 6".to_string());
        }
        leaflet::Polygon::new_with_options(&rings, &options)
    }

    /// Draws each area's polygons, active ones solid, inactive ones dashed; the name shows on hover.
    fn draw_all(group: &LayerGroup, outlines: &[AreaOutline]) {
        for outline in outlines {
            for polygon in &outline.polygons {
                let shape = shape(outline, polygon);
                // The bindings' `bindTooltipWithContent` names no Leaflet function; `bindTooltip` takes the
                // content. A string would be parsed as HTML, and an area's name comes from an imported file,
                // so the tooltip gets a text node: whatever the name holds is shown, never run.
                let name = web_sys::window()
                    .and_then(|window| window.document())
                    .map(|document| document.create_text_node(&outline.name));
                if let (Ok(bind), Some(name)) = (js_sys::Reflect::get(&shape, &"bindTooltip".into()), name) {
                    if let Some(bind) = bind.dyn_ref::<js_sys::Function>() {
                        let _ = bind.call1(&shape, &name);
                    }
                }
                shape.add_to_layer_group(group);
            }
        }
    }

    pub fn draw(outlines: Signal<Vec<AreaOutline>>) {
        keep_drawn(move |_, group| {
            outlines.with(|outlines| draw_all(group, outlines));
            Vec::new()
        });
    }
}
