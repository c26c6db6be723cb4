//! hotline: simulate the load on a call center and plan its staffing.
//!
//! The data's path is the module order: a scenario file is parsed and validated into a
//! [`scenario::Model`]; [`arrivals`] turns its rates into calls; each caller walks the [`ivr`];
//! the [`engine`] runs the event loop, asking the [`routing`] policy who serves whom and telling
//! the [`stats`] observer every state change; [`report`] writes the results. [`erlang`] is the
//! closed-form staffing math. [`app`] holds one function per CLI mode; [`cli`] the flags.

pub mod app;
pub mod arrivals;
pub mod cli;
pub mod csv_input;
pub mod dist;
pub mod engine;
pub mod erlang;
pub mod ivr;
pub mod plan;
pub mod random;
pub mod report;
pub mod routing;
pub mod scenario;
pub mod schedule;
pub mod stats;
pub mod time;

pub use scenario::{Model, PoolId, QueueId};
