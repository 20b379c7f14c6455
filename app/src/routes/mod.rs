//! One module per page.

pub mod account;
pub mod admin;
pub mod admin_console;
pub mod alerts;
pub mod case_page;
pub mod hotline;
pub mod leader;
pub mod login;
pub mod my_reports;
pub mod open_data;
pub mod privacy;
pub mod public_map;
pub mod recovery;
pub mod report;
pub mod scorecard;
pub mod staff_case;
pub mod staff_map;
pub mod staff_queues;
pub mod stats_page;
