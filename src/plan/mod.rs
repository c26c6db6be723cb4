//! Staffing plans: the agents each interval needs ([`staffing`]: expected calls → offered load →
//! Erlang C / Erlang A staffing → `staffing.csv`), and a plan read back as the headcount of a
//! simulation ([`plan_file`]: `staffing.csv` → per-pool headcount → `plan_vs_sim.csv`).
//!
//! Owns turning a scenario into per-interval requirements and a requirements table into
//! headcount. The queueing formulas are `crate::erlang`'s; the expected volumes are
//! `crate::arrivals::expected_calls`'; files are written by the app with `report::AtomicCsv`.

pub mod plan_file;
pub mod staffing;

pub use plan_file::{PlanVsSimRow, Promise, StaffingPlan};
pub use staffing::{
    DailyRow, DailyTotals, Planner, Requirement, StaffingRow, StaffingSettings, WeekdaySummary,
};

use crate::erlang::ErlangError;

/// Everything that can stop a staffing plan from being computed or read.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The staffing math refused an interval (e.g. a target no staffing meets).
    #[error("{interval}, queue `{queue}`: {source}")]
    Erlang {
        /// The interval as the planner reads it: `d1 Mon 08:00`.
        interval: String,
        queue: String,
        source: ErlangError,
    },
    /// A staffing plan file is unreadable or does not fit the scenario; `file:line: message`.
    #[error("{}{}: {message}", file.display(), line.map_or(String::new(), |l| format!(":{l}")))]
    File {
        file: std::path::PathBuf,
        /// 1-based line, when the problem is on one line.
        line: Option<u64>,
        message: String,
    },
    /// The scenario cannot take a plan (e.g. a queue served by two pools).
    #[error("{0}")]
    Unsupported(String),
}
