//! Integration tests: one binary, one file per behaviour.

mod arrivals;
mod conservation;
mod support;
mod validation;
