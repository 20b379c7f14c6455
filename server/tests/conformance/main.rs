//! The storage conformance suite: every backend runs the same tests, one line per backend.

mod backends;
#[macro_use]
mod suite;

conformance_suite!(sqlite, crate::backends::sqlite);
conformance_suite!(postgres, crate::backends::postgres);
