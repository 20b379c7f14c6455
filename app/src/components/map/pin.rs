//! The report's location pin on the map: a click drops it, dragging moves it, and two buttons place it.

use leptos::prelude::*;

/// A movable pin following `pin`, with the buttons "use my location" and "pin at the map's centre".
#[component]
pub fn LocationPin(
    /// Where the pin stands, as (latitude, longitude); `None` before it is placed.
    pin: RwSignal<Option<(f64, f64)>>,
    /// Label of the button that asks the browser where it is.
    #[prop(into)]
    use_my_location: Signal<String>,
    /// Label of the button that pins the map's centre.
    #[prop(into)]
    pin_at_centre: Signal<String>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    let context = super::MapContext::enclosing();
    #[cfg(feature = "hydrate")]
    if let Some(context) = context {
        browser::follow(context, pin);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = pin;
    let locate_me = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(context) = context {
            browser::locate(context);
        }
    };
    let pin_centre = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(centre) = context.and_then(browser::centre) {
            pin.set(Some(centre));
        }
    };
    view! {
        <div class="map-tools">
            <button type="button" on:click=locate_me>{move || use_my_location.get()}</button>
            <button type="button" id="pin-centre" on:click=pin_centre>{move || pin_at_centre.get()}</button>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The pin's marker and its listeners, through the `leaflet` bindings.

    use super::super::{listen, Listener, MapContext};
    use leaflet::{LatLng, LocateOptions, LocationEvent, Map, Marker, MarkerOptions, MouseEvent};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// The pin's marker and the listener that follows its dragging.
    struct PlacedPin {
        marker: Marker,
        _dragged: Listener,
    }

    fn place(map: &Map, (lat, lon): (f64, f64), pin: RwSignal<Option<(f64, f64)>>) -> PlacedPin {
        let options = MarkerOptions::new();
        options.set_draggable(true);
        options.set_keyboard(true);
        options.set_title("Vị trí phản ánh".to_string());
        let marker = Marker::new_with_options(&LatLng::new(lat, lon), &options);
        let handle = marker.clone();
        let dragged = listen(&marker, "dragend", move |_| {
            let at = handle.get_lat_lng();
            pin.set(Some((at.lat(), at.lng())));
        });
        marker.add_to(map);
        PlacedPin { marker, _dragged: dragged }
    }

    /// Keeps the marker where `pin` says, and sets `pin` where the map is clicked or where the
    /// browser finds itself; all of it is taken off the map when the component is cleaned up.
    pub fn follow(context: MapContext, pin: RwSignal<Option<(f64, f64)>>) {
        let map_listeners = StoredValue::new_local(Vec::<Listener>::new());
        Effect::new(move |_| {
            let Some(map) = context.map() else { return };
            map_listeners.set_value(vec![
                listen(&map, "click", move |event| {
                    let at = event.unchecked_into::<MouseEvent>().lat_lng();
                    pin.set(Some((at.lat(), at.lng())));
                }),
                listen(&map, "locationfound", move |event| {
                    let at = event.unchecked_into::<LocationEvent>().lat_lng();
                    pin.set(Some((at.lat(), at.lng())));
                }),
            ]);
        });

        let placed = StoredValue::new_local(None::<PlacedPin>);
        Effect::new(move |_| {
            let Some(map) = context.map() else { return };
            let position = pin.get();
            placed.update_value(|placed| match (position, placed.as_ref()) {
                (None, _) => {
                    if let Some(old) = placed.take() {
                        old.marker.remove();
                    }
                }
                (Some((lat, lon)), Some(current)) => current.marker.set_lat_lng(&LatLng::new(lat, lon)),
                (Some(at), None) => *placed = Some(place(&map, at, pin)),
            });
        });

        on_cleanup(move || {
            map_listeners.try_update_value(Vec::clear);
            if let Some(Some(old)) = placed.try_update_value(Option::take) {
                old.marker.remove();
            }
        });
    }

    /// Asks the browser where it is; the map answers with `locationfound`, which moves the pin.
    pub fn locate(context: MapContext) {
        if let Some(map) = context.map_untracked() {
            map.locate_with_options(&LocateOptions::new());
        }
    }

    /// The map's centre, as (latitude, longitude).
    pub fn centre(context: MapContext) -> Option<(f64, f64)> {
        let centre = context.map_untracked()?.get_center();
        Some((centre.lat(), centre.lng()))
    }
}
