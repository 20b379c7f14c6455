//! Reusable components: the map, the navigation, field errors, the photo picker.

pub mod cluster_map;
pub mod field_error;
pub mod map_view;
pub mod nav;
pub mod photo_gallery;
pub mod photo_picker;
