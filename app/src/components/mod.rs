//! Reusable components: the map, the language switch, field errors.

pub mod field_error;
pub mod map_view;
