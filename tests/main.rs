//! Integration tests: one binary, one file per behaviour.

mod arrivals;
mod charts;
mod cli;
mod compare;
mod conservation;
mod erlang;
mod erlang_cli;
mod replications;
mod staff;
mod staff_charts;
mod support;
mod validation;
