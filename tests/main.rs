//! Integration tests: one binary, one file per behaviour.

mod arrivals;
mod charts;
mod cli;
mod conservation;
mod dates;
mod erlang;
mod erlang_cli;
mod staff;
mod staff_charts;
mod support;
mod validation;
