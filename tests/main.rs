//! Integration tests: one binary, one file per behaviour.

mod arrivals;
mod charts;
mod classes;
mod cli;
mod compare;
mod conservation;
mod crn;
mod dates;
mod erlang;
mod erlang_cli;
mod golden;
mod headline;
mod input_notation;
mod lines;
mod opening_hours;
mod outputs;
mod overflow;
mod replications;
mod routing;
mod staff;
mod staff_charts;
mod support;
mod surges;
mod transfers;
mod validation;
