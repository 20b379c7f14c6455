//! Reusable components: the map, the navigation, field errors.

pub mod cluster_map;
pub mod field_error;
pub mod map_view;
pub mod nav;
