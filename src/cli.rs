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
