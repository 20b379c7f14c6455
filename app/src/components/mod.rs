//! Reusable components: the map, the navigation, field errors.

pub mod field_error;
pub mod map_view;
pub mod nav;
