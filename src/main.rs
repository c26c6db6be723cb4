//! The `hotline` binary: parse the command line, run the mode, map the outcome to an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = hotline::cli::Cli::parse();
    match hotline::app::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            err.exit_code().into()
        }
    }
}
