//! Reusable components: the map and the panel beside it, the navigation, field errors, search matches marked, the photo picker, the profile form, the "me too" suggestions and button, and the switch for push notices.

pub mod answer_question;
pub mod field_error;
pub mod highlight;
pub mod map;
pub mod map_panel;
pub mod nav;
pub mod photo_gallery;
pub mod photo_picker;
pub mod profile_form;
pub mod push_toggle;
pub mod support_button;
pub mod support_suggestions;
