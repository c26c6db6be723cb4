//! Charts of a run, each written as PNG and SVG into the output folder.
//!
//! Shape: a chart is **one function** `fn(&Ctx) -> Option<Figure>` in its own file that builds
//! a [`Figure`] (axes, series, reference marks) from the run's aggregated data; [`CHARTS`] lists
//! them in page order; [`render`] draws any figure with plotters. Adding a chart (e.g. a
//! comparison of two runs) is one new file and one line in [`CHARTS`] — no plotters
//! code. A chart returns `None` when the run has nothing to show for it.
//!
//! Readability rules shared by every chart: one series per queue (or pool) with `all` drawn
//! last in black and thicker; empty CSV cells are gaps, never zeros; runs of any length are
//! summed into at most [`data::MAX_POINTS`] points per series (interval → hour → day → week),
//! with ratios recomputed from the summed counts. A run longer than a week (issue 20) plots at
//! least days, and its intervals as the average week (`average_week`, drawn first).
//!
//! A folder may hold only a staffing plan (`hotline staff`): the simulation's charts then return
//! `None` (`ctx.run.simulated` is false) and the staffing chart is drawn alone.

mod asa_abandonment;
pub mod average_week;
pub mod axis;
mod callbacks;
mod classes;
pub mod coverage;
pub mod figure;
pub mod heatmap;
mod occupancy;
mod offered;
pub mod outcomes;
mod plan_vs_sim;
mod queue_length;
pub mod render;
mod service_level;
mod staffing;
mod waits;

use std::path::Path;

pub use figure::Figure;

use super::atomic::AtomicFile;
use super::data::{self, ALL, Agg, RunData};
use crate::app::AppError;

/// A chart function: builds the figure, or `None` when there is nothing to show.
pub type ChartFn = fn(&Ctx) -> Option<Figure>;

/// Every chart, in the order the report shows them.
pub const CHARTS: &[ChartFn] = &[
    average_week::offered,
    average_week::service_level,
    offered::figure,
    outcomes::figure,
    service_level::figure,
    asa_abandonment::figure,
    queue_length::figure,
    waits::figure,
    occupancy::figure,
    callbacks::figure,
    classes::figure,
    staffing::figure,
    plan_vs_sim::figure,
    coverage::from_run,
];

/// The charts `hotline staff` draws: those of its own output, `staffing.csv`.
pub const STAFF_CHARTS: &[ChartFn] = &[staffing::figure];

/// One queue's (or `all`'s) rows summed to the plotted period.
#[derive(Debug, Clone)]
pub struct QueueSeries<'a> {
    pub name: &'a str,
    pub is_all: bool,
    pub points: Vec<Agg>,
}

/// What chart functions read: the run plus its rows aggregated once to the plotted period.
pub struct Ctx<'a> {
    pub run: &'a RunData,
    /// Length of a plotted point, seconds, and its name ("30 min", "hour", "day").
    pub period_s: f64,
    pub period: String,
    pub from_s: f64,
    pub to_s: f64,
    /// Queues in file order, then `all`.
    pub queues: Vec<QueueSeries<'a>>,
}

impl<'a> Ctx<'a> {
    pub fn new(run: &'a RunData) -> Self {
        let (from_s, to_s) = run.time_span();
        let (mut period_s, mut period) = data::plot_period(run.facts.interval_s, to_s - from_s);
        // A run longer than a week plots days: its intervals are the average week's
        // (`average_week`), the heat maps' and the misses table's.
        if super::html_glance::is_long(run) && period_s < crate::time::DAY {
            period_s = crate::time::DAY;
            period = data::period_name(period_s);
        }
        let mut queues: Vec<QueueSeries> = run
            .queue_names()
            .into_iter()
            .map(|name| QueueSeries {
                name,
                is_all: false,
                points: data::aggregate(&run.intervals, name, period_s),
            })
            .collect();
        queues.push(QueueSeries {
            name: ALL,
            is_all: true,
            points: data::aggregate(&run.intervals, ALL, period_s),
        });
        Ctx {
            run,
            period_s,
            period,
            from_s,
            to_s,
            queues,
        }
    }

    /// The time axis of the run.
    pub fn time_axis(&self) -> figure::XAxis {
        figure::XAxis::Time {
            from_s: self.from_s,
            to_s: self.to_s,
            first_weekday: self.run.facts.calendar().first_weekday(),
        }
    }

    /// Points of a metric at the middle of each period.
    pub fn line<F: Fn(&Agg) -> Option<f64>>(
        &self,
        q: &QueueSeries,
        f: F,
    ) -> Vec<(f64, Option<f64>)> {
        q.points
            .iter()
            .map(|a| (a.start_s + 0.5 * self.period_s, f(a)))
            .collect()
    }

    /// `(index, series)` pairs with the palette index of each queue.
    pub fn queue_series(&self) -> impl Iterator<Item = (usize, &QueueSeries<'a>)> {
        self.queues.iter().enumerate()
    }
}

/// A chart as written: its name, title and SVG text (for inlining into report.html).
#[derive(Debug, Clone)]
pub struct Rendered {
    /// File name without extension (a per-queue heat map's names its queue).
    pub stem: String,
    pub title: String,
    pub svg: String,
}

/// Builds every chart's figure for a run (no drawing; used by tests and the bench).
pub fn figures(run: &RunData) -> Vec<Figure> {
    figures_of(run, CHARTS)
}

/// Builds the figures of the listed charts that have something to show.
pub fn figures_of(run: &RunData, charts: &[ChartFn]) -> Vec<Figure> {
    let ctx = Ctx::new(run);
    charts.iter().filter_map(|f| f(&ctx)).collect()
}

/// Draws every chart of `run` into `out` as `<stem>.png` and `<stem>.svg` (each written
/// atomically) and returns the SVGs for the report.
pub fn write_charts(run: &RunData, out: &Path) -> Result<Vec<Rendered>, AppError> {
    write_charts_of(run, CHARTS, out)
}

/// As [`write_charts`] for the listed charts only.
pub fn write_charts_of(
    run: &RunData,
    charts: &[ChartFn],
    out: &Path,
) -> Result<Vec<Rendered>, AppError> {
    figures_of(run, charts)
        .iter()
        .map(|fig| write_figure(fig, out))
        .collect()
}

/// Draws one figure into `out` as `<stem>.png` and `<stem>.svg` (each written atomically).
pub fn write_figure(fig: &Figure, out: &Path) -> Result<Rendered, AppError> {
    let svg = render::svg(fig).map_err(AppError::Output)?;
    let path = out.join(format!("{}.svg", fig.stem));
    let err = |e: std::io::Error| AppError::Output(format!("{}: {e}", path.display()));
    let mut f = AtomicFile::create(&path).map_err(err)?;
    std::io::Write::write_all(&mut f, svg.as_bytes()).map_err(err)?;
    f.commit().map_err(err)?;
    render::png(fig, &out.join(format!("{}.png", fig.stem))).map_err(AppError::Output)?;
    Ok(Rendered {
        stem: fig.stem.to_string(),
        title: fig.title.clone(),
        svg,
    })
}
