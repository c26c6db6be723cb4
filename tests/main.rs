//! Integration tests: one binary, one file per behaviour.

mod charts;
mod conservation;
mod support;
mod validation;
