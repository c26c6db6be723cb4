//! Integration tests: one binary, one file per behaviour.

mod arrivals;
mod charts;
mod cli;
mod conservation;
mod erlang;
mod erlang_cli;
mod input_notation;
mod staff;
mod staff_charts;
mod support;
mod surges;
mod validation;
