//! Integration tests: one binary, one file per behaviour.

mod conservation;
mod support;
mod validation;
