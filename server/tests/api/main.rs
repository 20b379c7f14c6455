//! API tests: the server spawned on port 0 with its own database, driven over HTTP.

mod health;
mod helpers;
mod submit;
