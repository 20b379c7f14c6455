//! hientruong's server: configuration, the command line, storage backends, start-up, and the HTTP routes beside Leptos.
#![recursion_limit = "256"]

pub mod account_mail;
pub mod admin;
pub mod app_shell;
pub mod backup;
pub mod blobs;
pub mod body_caps;
pub mod cli;
pub mod client;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod demo;
pub mod feeds;
pub mod geocoder;
mod health;
pub mod limits;
mod map_api;
pub mod notices;
pub mod open311;
pub mod page_cache;
pub mod personal_data;
pub mod photos;
pub mod pilot;
pub mod province;
pub mod public_api;
pub mod push;
pub mod rest;
pub mod security;
pub mod seed;
pub mod split_code;
pub mod staff_mail;
pub mod startup;
pub mod storage;
pub mod synthetic;
pub mod web_push;

pub use config::Settings;
pub use startup::Application;
