//! The shared core: domain types that parse rather than validate, the case state machine and deadline arithmetic, used unchanged by browser and server.

pub mod access_log;
pub mod account;
pub mod alerts;
pub mod area_import;
pub mod calls;
pub mod case;
pub mod catalogue;
pub mod contact;
pub mod deadline;
pub mod digest;
pub mod escalation;
pub mod exif;
pub mod geo;
pub mod lang;
pub mod map_query;
pub mod new_case;
pub mod open_data;
pub mod pause;
pub mod photos;
pub mod profile;
pub mod search;
pub mod statistics;
pub mod text;
pub mod validation;
mod wire;
pub mod workflow;
