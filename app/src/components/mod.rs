//! Reusable components: the map, the navigation, field errors, the photo picker.

pub mod field_error;
pub mod map;
pub mod nav;
pub mod photo_gallery;
pub mod photo_picker;
