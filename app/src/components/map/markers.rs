//! Case markers on the map, each opening its case's page.

use super::MapView;
use leptos::prelude::*;

/// A case drawn on the map; activating it opens `href`.
#[derive(Debug, Clone, PartialEq)]
pub struct MapMarker {
    pub lat: f64,
    pub lon: f64,
    pub title: String,
    pub href: String,
}

/// The markers of `markers`, drawn again whenever the list changes.
#[component]
pub fn CaseMarkers(
    /// Markers to draw; activating one opens its page.
    #[prop(into)]
    markers: Signal<Vec<MapMarker>>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::draw(markers, leptos_router::hooks::use_navigate());
    #[cfg(not(feature = "hydrate"))]
    let _ = markers;
}

/// A small map around one case, showing its marker.
#[component]
pub fn CaseLocationMap(
    /// Accessible name of the map region.
    #[prop(into)]
    label: Signal<String>,
    /// The case.
    marker: MapMarker,
) -> impl IntoView {
    let center = (marker.lat, marker.lon);
    view! {
        <MapView label center zoom=16.0 class="map-small">
            <CaseMarkers markers=Signal::stored(vec![marker])/>
        </MapView>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The markers' Leaflet layers, through the `leaflet` bindings.

    use super::super::{keep_drawn, listen};
    use super::MapMarker;
    use leaflet::{LatLng, Marker, MarkerOptions};
    use leptos::prelude::*;
    use leptos_router::NavigateOptions;

    pub fn draw(markers: Signal<Vec<MapMarker>>, navigate: impl Fn(&str, NavigateOptions) + Clone + 'static) {
        keep_drawn(move |_, group| {
            markers.with(|markers| {
                markers
                    .iter()
                    .map(|item| {
                        let options = MarkerOptions::new();
                        options.set_title(item.title.clone());
                        options.set_alt(item.title.clone());
                        options.set_keyboard(true);
                        let marker = Marker::new_with_options(&LatLng::new(item.lat, item.lon), &options);
                        marker.add_to_layer_group(group);
                        let href = item.href.clone();
                        let navigate = navigate.clone();
                        listen(&marker, "click", move |_| navigate(&href, NavigateOptions::default()))
                    })
                    .collect()
            })
        });
    }
}
