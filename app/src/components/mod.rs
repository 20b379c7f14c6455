//! Reusable components: the map and the panel beside it, the navigation, field errors, the photo picker, the profile form.

pub mod field_error;
pub mod map;
pub mod map_panel;
pub mod nav;
pub mod photo_gallery;
pub mod photo_picker;
pub mod profile_form;
