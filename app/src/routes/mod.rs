//! One module per page.

pub mod case_page;
pub mod public_map;
pub mod report;
