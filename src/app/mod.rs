//! One function per CLI mode (ripgrep's shape): each takes validated flags, runs the library and
//! returns an exit code or an error that knows its exit code.

mod compare;
mod erlang;
mod merge;
mod named_agents;
mod plan;
mod policies;
mod progress;
pub mod replicate;
pub mod replicated;
pub mod report;
mod schedule;
pub mod simulate;
mod staff;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::scenario::ScenarioError;

/// Everything that can end a run early, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The scenario or an input file is wrong: exit 2.
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    /// A flag value is wrong: exit 2.
    #[error("{0}")]
    Input(String),
    /// An output could not be written: exit 3.
    #[error("{0}")]
    Output(String),
    /// A staffing plan cannot be computed or read: exit 2.
    #[error("{0}")]
    Plan(#[from] crate::plan::PlanError),
    /// The LP solver itself failed (not the input, and never for want of an integer
    /// schedule: the scheduler always has one): exit 4.
    #[error("{0}")]
    Solver(String),
}

impl AppError {
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Scenario(_) | AppError::Input(_) | AppError::Plan(_) => 2,
            AppError::Output(_) => 3,
            AppError::Solver(_) => 4,
        }
    }
}

/// Repeats what validation adjusted or left out (shares normalised, forecast or log rows outside
/// the horizon) and what it warns about (days a forecast leaves out) on stderr, so a planner
/// running `simulate`, `staff`, `schedule` or `plan` without `check` sees them.
pub(crate) fn print_notes(model: &crate::scenario::Model) {
    for n in model.notes.iter().chain(&model.extras.notes) {
        eprintln!("note: {n}");
    }
    for w in &model.extras.warnings {
        eprintln!("warning: {w}");
    }
}

/// Sets `model.policy` from a `--policy` flag (exit 2 with the known names when unknown).
pub(crate) fn set_policy(
    model: &mut crate::scenario::Model,
    flag: Option<&str>,
) -> Result<(), AppError> {
    if let Some(name) = flag {
        model.policy = crate::routing::Policy::parse(name)
            .map_err(|e| AppError::Input(format!("--policy: {e}")))?;
    }
    Ok(())
}

/// Prints `text` and a newline on stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn print(text: &str) -> Result<ExitCode, AppError> {
    use std::io::Write;
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(AppError::Output(format!("cannot write to stdout: {e}"))),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// Runs one CLI invocation.
pub fn run(cli: Cli) -> Result<ExitCode, AppError> {
    match cli.command {
        Command::Simulate(args) => simulate::run(args),
        Command::Report(args) => report::run(args),
        Command::Check(args) => {
            let (model, rules) = crate::scenario::load_with_shift_rules(&args.scenario)?;
            print!("{}", crate::scenario::describe(&model));
            if let Some(rules) = &rules {
                let pools: Vec<String> = model.pools.iter().map(|p| p.name.clone()).collect();
                print!("{}", crate::scenario::describe_shift_rules(rules, &pools));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Erlang(args) => erlang::run(&args),
        Command::Staff(args) => staff::run(&args),
        Command::Schedule(args) => schedule::run(&args),
        Command::Plan(args) => plan::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Policies => print(&policies::text()),
    }
}
