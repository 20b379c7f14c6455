//! API tests: the server spawned on port 0 with its own database, driven over HTTP.

mod accounts;
mod admin;
mod authorization;
mod cli;
mod clusters;
mod concurrency;
mod delivery;
mod health;
mod helpers;
mod hostile;
mod hotline;
mod limits;
mod notices;
mod open311;
mod open_data;
mod photos;
mod queues;
mod records;
mod rest;
mod scorecards;
mod security;
mod stats;
mod submit;
mod uploads;
mod visibility;
mod workflow;
