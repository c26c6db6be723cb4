//! `hotline report DIR`: redraw the charts and report.html of an earlier run from its CSVs — a
//! simulation, a staffing plan, or both (see `report::data::RunData::load`).

use std::process::ExitCode;

use super::AppError;
use crate::cli::ReportArgs;

pub fn run(args: ReportArgs) -> Result<ExitCode, AppError> {
    if !args.dir.is_dir() {
        return Err(AppError::Input(format!(
            "{}: not a folder; give the output folder of `hotline simulate` or `hotline staff`",
            args.dir.display()
        )));
    }
    let page = crate::report::render_dir(&args.dir)?;
    let workbook = crate::report::xlsx::write_workbook(&args.dir)?;
    println!(
        "wrote charts{} and {}",
        workbook.map_or(String::new(), |p| format!(", {}", p.display())),
        page.display()
    );
    Ok(ExitCode::SUCCESS)
}
