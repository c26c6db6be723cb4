//! The subcommands and their flags (clap derive). No domain logic: `app` runs each mode.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Exit codes, documented once and shown in `--help`.
pub const EXIT_CODES: &str = "Exit codes: 0 ok, 1 a gate failed (compare), 2 bad input (scenario, flags, input files), 3 outputs could not be written.";

/// Simulate the load on a call center and plan its staffing.
#[derive(Debug, Parser)]
#[command(name = "hotline", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and write interval and summary CSVs.
    Simulate(SimulateArgs),
    /// Validate a scenario and print what hotline understood.
    Check(CheckArgs),
    /// Redraw the charts and report.html of an earlier `simulate` run from its CSVs.
    Report(ReportArgs),
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Output folder.
    ///
    /// Default: `reports/<scenario file stem>/` under the current directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed for this run, overriding the scenario's `seed`.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print the summary as one JSON object on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Skip the charts and report.html (write the CSVs only).
    ///
    /// By default `simulate` draws every chart as PNG and SVG and writes report.html into the
    /// output folder; `hotline report DIR` can draw them later from the CSVs.
    #[arg(long)]
    pub no_charts: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The output folder of an earlier `hotline simulate` run.
    ///
    /// Reads intervals.csv, pools.csv, summary.csv, waits.csv and (if present) run.json, and
    /// writes the charts (PNG and SVG) and report.html into the same folder.
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
