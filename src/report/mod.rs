//! Writing results: CSV files (atomically: a temp file renamed into place on success), the JSON
//! summary and the table a planner reads in the terminal. Nothing here runs inside the event
//! loop: the app drains closed intervals from the observer between runs of the engine.

pub mod aggregate;
mod arrivals;
mod atomic;
pub mod callbacks;
pub mod numbers;
pub mod replications;
mod table;

pub use arrivals::{ArrivalRow, arrival_row, night_share};
pub use atomic::{AtomicCsv, AtomicFile};
pub use table::{aligned, class_table, summary_table};

// Charts and report.html (issue 6): read a run folder back, draw, write the page.
pub mod charts;
pub mod data;
pub mod html;
mod html_outcomes;
pub mod run_files;
// Charts and report.html of runs of several replications (issue 11): 95 % bands.
pub mod banded;
pub mod banded_outcomes;
// report.xlsx (issue 9): the folder's CSVs as one workbook.
pub mod xlsx;
pub mod xlsx_planner;
pub mod xlsx_roster;
// A month at a glance (issue 20): days, weeks, misses and heat-map grids.
pub mod banded_glance;
pub mod html_glance;
pub mod periods;

/// Draws every chart of the run in `dir` (from its CSVs and `run.json`; the staffing charts when
/// `staffing.csv` or `plan_vs_sim.csv` is there) and writes `report.html` there. A folder with
/// only a staffing plan gets a page with the plan's charts alone. Used by `simulate` after the
/// CSVs are committed and by `hotline report`. Returns the path of the page.
pub fn render_dir(dir: &std::path::Path) -> Result<std::path::PathBuf, crate::app::AppError> {
    use crate::app::AppError;
    if dir.join("replications.csv").is_file() {
        return banded::render_dir(dir);
    }
    let run = data::RunData::load(dir)?;
    let charts = charts::write_charts(&run, dir)?;
    let heat = html_glance::write_heat_maps(&run, dir)?;
    let page = html::page(&run, &charts, &heat);
    let path = dir.join("report.html");
    let err = |e: std::io::Error| AppError::Output(format!("{}: {e}", path.display()));
    let mut f = AtomicFile::create(&path).map_err(err)?;
    std::io::Write::write_all(&mut f, page.as_bytes()).map_err(err)?;
    f.commit().map_err(err)?;
    Ok(path)
}

use serde::Serialize;

use crate::stats::SummaryRow;

/// The `--json` object: the `all` row's metrics at the top level, a few run facts, and one
/// object per queue under `queues` (keyed by queue name). Figures are tidied like the CSVs'
/// ([`numbers`]).
pub fn summary_json(
    scenario: &str,
    seed: u64,
    days: u32,
    night_share: Option<f64>,
    rows: &[SummaryRow],
) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Run<'a> {
        scenario: &'a str,
        seed: u64,
        days: u32,
        /// Share of calls offered in the night window (only with `[arrivals.night]`).
        #[serde(skip_serializing_if = "Option::is_none")]
        night_share: Option<f64>,
    }
    let mut top = serde_json::to_value(numbers::Rounded::json(&Run {
        scenario,
        seed,
        days,
        night_share,
    }))?;
    let obj = top
        .as_object_mut()
        .expect("a struct serialises to an object");
    if let Some(all) = rows.iter().find(|r| r.queue == "all") {
        if let serde_json::Value::Object(m) = serde_json::to_value(numbers::Rounded::json(all))? {
            for (k, v) in m {
                if k != "queue" {
                    obj.insert(k, v);
                }
            }
        }
    }
    let mut queues = serde_json::Map::new();
    for r in rows.iter().filter(|r| r.queue != "all") {
        let mut v = serde_json::to_value(numbers::Rounded::json(r))?;
        if let Some(m) = v.as_object_mut() {
            m.remove("queue");
        }
        queues.insert(r.queue.clone(), v);
    }
    obj.insert("queues".into(), serde_json::Value::Object(queues));
    serde_json::to_string_pretty(&top)
}

/// Adds the run's `policy` and, when some queue has caller classes, a `classes` array (one
/// object per queue × class, the `classes.csv` columns, figures tidied as everywhere) to the
/// `--json` object of [`summary_json`].
pub fn with_classes(
    json: &str,
    policy: &crate::routing::Policy,
    classes: Option<&[crate::stats::classes::ClassRow]>,
) -> Result<String, serde_json::Error> {
    let mut top: serde_json::Value = serde_json::from_str(json)?;
    if let Some(obj) = top.as_object_mut() {
        obj.insert(
            "policy".into(),
            serde_json::Value::String(policy.to_string()),
        );
        if let Some(rows) = classes {
            let rows = rows
                .iter()
                .map(|r| serde_json::to_value(numbers::Rounded::json(r)))
                .collect::<Result<Vec<_>, _>>()?;
            obj.insert("classes".into(), serde_json::Value::Array(rows));
        }
    }
    serde_json::to_string_pretty(&top)
}
