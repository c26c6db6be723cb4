//! The outcomes of a run of several replications: per interval, the whole center's mean count
//! of each outcome (answered, abandoned, blocked, closed, callbacks failed, …) as a line with
//! its 95 % band, and a per-queue table of the outcome columns as mean ± half-width. Both only
//! when the run has a feature that adds an outcome (busy signals, opening hours, callbacks,
//! transfers), read from the columns the folder's CSVs hold (older folders lack some: those
//! outcomes are left out). Bars stacked as in a single run's `outcomes` chart cannot carry a
//! band per part, hence lines; a part that is a difference of columns (answers that ended a
//! call) has no half-width in the CSV, hence the raw columns.

use std::fmt::Write as _;
use std::path::Path;

use plotters::style::RGBColor;

use super::banded::{BandTable, ReplicatedRun};
use super::charts::figure::{Figure, Pen, Unit, YAxis};
use super::data::ALL;
use super::html::escape;
use crate::app::AppError;

/// Outcome columns drawn and tabled, with their legend text and colour (as the single run's
/// parts).
const OUTCOMES: &[(&str, &str, RGBColor)] = &[
    ("answered", "answered (every leg)", RGBColor(0, 158, 115)),
    ("abandoned", "abandoned while waiting", RGBColor(213, 94, 0)),
    (
        "callbacks_failed",
        "callback failed",
        RGBColor(204, 121, 167),
    ),
    (
        "disconnected",
        "disconnected (queue closed, or no agent free on a transfer)",
        RGBColor(120, 60, 20),
    ),
    ("blocked", "blocked (busy signal)", RGBColor(60, 60, 60)),
    ("closed", "closed queue", RGBColor(230, 159, 0)),
    (
        "closed_self_served",
        "closed: self-served",
        RGBColor(86, 180, 233),
    ),
    (
        "closed_callback_requests",
        "closed: callback request",
        RGBColor(0, 114, 178),
    ),
    (
        "transferred_out",
        "transferred to another queue",
        RGBColor(150, 150, 150),
    ),
];

/// Columns whose presence (a mean above zero over the run) means the feature is on.
const FEATURES: &[&str] = &[
    "blocked",
    "closed",
    "disconnected",
    "callbacks_offered",
    "closed_callback_requests",
    "transferred_out",
    "consults",
];

/// Columns of the per-queue table (those in the folder's `summary.csv`).
const TABLE: &[&str] = &[
    "blocked",
    "closed",
    "disconnected",
    "closed_self_served",
    "closed_callback_requests",
    "callbacks_offered",
    "callbacks_accepted",
    "callbacks_completed",
    "callbacks_failed",
    "callback_delay_mean_s",
    // The night a closed-queue request waited, beside the delay timed from the opening.
    "closed_callback_delay_mean_s",
    "transferred_in",
    "transferred_out",
    "journeys",
    "journey_wait_mean_s",
    "journeys_served_share",
    // Written only by scenarios that have them (`when_idle` or a promise; a consult).
    "outbound_callbacks",
    "callbacks_within_target",
    "consults",
];

/// The outcome columns of a replicated run, when the run has an outcome feature.
pub struct Outcomes {
    intervals: BandTable,
    summary: BandTable,
}

/// The metrics of `wanted` that `path` has (with their `_hw95` column).
fn present(path: &Path, wanted: &[&'static str]) -> Result<Vec<&'static str>, AppError> {
    let mut rd = csv::Reader::from_path(path)
        .map_err(|e| AppError::Input(format!("{}: {e}", path.display())))?;
    let headers = rd
        .headers()
        .map_err(|e| AppError::Input(format!("{}:1: {e}", path.display())))?;
    let has = |c: &str| headers.iter().any(|h| h == c);
    Ok(wanted
        .iter()
        .copied()
        .filter(|m| has(m) && has(&format!("{m}_hw95")))
        .collect())
}

impl Outcomes {
    /// Reads the outcome columns of `dir`; `None` when the run has no outcome feature.
    pub fn load(dir: &Path) -> Result<Option<Outcomes>, AppError> {
        let summary_path = dir.join("summary.csv");
        let cols = present(&summary_path, TABLE)?;
        let summary = BandTable::read(&summary_path, "queue", &cols)?;
        let on = FEATURES
            .iter()
            .any(|f| cols.contains(f) && summary.value(ALL, f).mean.is_some_and(|m| m > 0.0));
        if !on {
            return Ok(None);
        }
        let path = dir.join("intervals.csv");
        let names: Vec<&'static str> = OUTCOMES.iter().map(|o| o.0).collect();
        let cols = present(&path, &names)?;
        Ok(Some(Outcomes {
            intervals: BandTable::read(&path, "queue", &cols)?,
            summary,
        }))
    }

    /// The `outcomes` figure: one mean line with its band per outcome the run has.
    pub fn figure(&self, run: &ReplicatedRun) -> Figure {
        let mut fig = Figure::new(
            "outcomes",
            format!(
                "What happened to the calls per interval, whole center, mean of {} replications",
                run.replications
            ),
            run.time_axis(),
            YAxis::new("calls per interval", Unit::Count),
        );
        for &(metric, label, color) in OUTCOMES {
            if !self.intervals.metrics.iter().any(|m| m == metric)
                || !self.summary_total(metric).is_some_and(|t| t > 0.0)
            {
                continue;
            }
            let pen = Pen {
                color,
                width: 2,
                dashed: false,
                faded: false,
            };
            let t = &self.intervals;
            run.add(
                &mut fig,
                t,
                ALL,
                metric,
                label.to_string(),
                pen,
                (0.0, f64::INFINITY),
            );
        }
        fig.fit()
    }

    /// Whole-run mean of an outcome over the interval rows of `all`.
    fn summary_total(&self, metric: &str) -> Option<f64> {
        Some(
            self.intervals
                .series(ALL, metric)
                .iter()
                .filter_map(|(_, v)| v.mean)
                .sum(),
        )
    }

    /// The per-queue table of the outcome columns: mean ± 95 % half-width.
    pub fn table(&self, h: &mut String) {
        let cols: Vec<&String> = self
            .summary
            .metrics
            .iter()
            .filter(|m| {
                self.summary
                    .keys()
                    .iter()
                    .any(|k| self.summary.value(k, m).mean.is_some_and(|v| v > 0.0))
            })
            .collect();
        h.push_str(
            "<h2>What happened to the calls</h2>\n<p>The outcome columns of summary.csv that \
             this run has, mean ± 95 % half-width.</p>\n<table id=\"outcomes\">\n<tr><th>queue</th>",
        );
        for m in &cols {
            h.push_str(&super::html::header_cell(m));
        }
        h.push_str("</tr>\n");
        for key in self.summary.keys() {
            let class = if key == ALL { " class=\"all\"" } else { "" };
            let _ = write!(h, "<tr{class}><td>{}</td>", escape(key));
            for m in &cols {
                let v = self.summary.value(key, m);
                let _ = write!(h, "<td>{}</td>", escape(&super::banded::pm(v, m)));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
    }
}
