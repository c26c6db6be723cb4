//! Integration tests: one binary, one file per behaviour.

mod arrivals;
mod cli;
mod conservation;
mod erlang;
mod support;
mod staff;
mod validation;
