//! What a planner reads of a run of weeks (issue 20): the run summed per day and per week, the
//! interval × queue cells that missed their service-level target, and the weekday ×
//! time-of-day grids the heat maps draw — all from the rows of `intervals.csv` ([`RunData`]).
//! Knows nothing of HTML or plotters (`html_glance` and `charts::heatmap` show these).

use super::data::{ALL, Agg, IntervalRecord, RunData, aggregate};
use super::run_files::RunFacts;
use crate::time::{DAY, WEEK};

/// The run's rows of `queue` (or [`ALL`]) summed per day, in time order.
pub fn days(run: &RunData, queue: &str) -> Vec<Agg> {
    aggregate(&run.intervals, queue, DAY)
}

/// The run's rows of `queue` (or [`ALL`]) summed per week of the run (days 1–7, 8–14, …; the
/// last week may be shorter), in time order.
pub fn weeks(run: &RunData, queue: &str) -> Vec<Agg> {
    aggregate(&run.intervals, queue, WEEK)
}

/// One interval × queue cell whose service level is below its queue's target.
#[derive(Debug, Clone)]
pub struct Miss<'a> {
    pub row: &'a IntervalRecord,
    /// The row's `service_level`.
    pub service_level: f64,
    /// The queue's target (0–1).
    pub target: f64,
}

/// Every interval × queue cell (not the `all` rows) with a service level below its queue's
/// target, worst first: lowest service level, then most calls offered, then time and queue.
/// Cells without a service level (no call offered) are not misses.
pub fn misses(run: &RunData) -> Vec<Miss<'_>> {
    let mut out: Vec<Miss> = run
        .intervals
        .iter()
        .filter(|r| r.queue != ALL)
        .filter_map(|r| {
            let target = run
                .queue_facts(&r.queue)
                .map_or_else(|| run.sl_target(), |q| q.sl_target);
            let sl = r.service_level?;
            (sl < target).then_some(Miss {
                row: r,
                service_level: sl,
                target,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.service_level
            .total_cmp(&b.service_level)
            .then(b.row.offered.cmp(&a.row.offered))
            .then(a.row.interval_start_s.total_cmp(&b.row.interval_start_s))
            .then(a.row.queue.cmp(&b.row.queue))
    });
    out
}

/// A metric of one interval row, `None` where the row has no value (no call, nobody present).
pub type RowMetric = fn(&IntervalRecord) -> Option<f64>;

/// A weekday × time-of-day grid: cell `[weekday][slot]` holds the mean over the weeks of the
/// run of the metric in that weekday's interval `slot`, and the number of weeks that had a value
/// (`None`: no week had one — closed, or no call).
#[derive(Debug, Clone, PartialEq)]
pub struct HeatGrid {
    /// Intervals per day (columns).
    pub slots: usize,
    /// Length of an interval, seconds.
    pub interval_s: f64,
    /// Seven rows, Monday first; each `slots` cells of `(mean, weeks)`.
    pub cells: Vec<Vec<Option<(f64, u32)>>>,
}

impl HeatGrid {
    /// The smallest and largest mean of the grid; `None` when every cell is empty.
    pub fn range(&self) -> Option<(f64, f64)> {
        let mut it = self.cells.iter().flatten().filter_map(|c| c.map(|c| c.0));
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
    }
}

/// The grid of `metric` over the rows of `queue`: each row goes to its weekday (on the run's
/// calendar, `[scenario] start`'s weekday first) and its interval of the day; a cell is the plain
/// mean of the values of its rows (one per week).
pub fn heat_grid(run: &RunData, queue: &str, metric: RowMetric) -> HeatGrid {
    let values = run
        .intervals
        .iter()
        .filter(|r| r.queue == queue)
        .map(|r| (r.interval_start_s, metric(r)));
    grid_of(&run.facts, values)
}

/// The grid of rostered minus required agents, summed over the pools of `coverage.csv` (a
/// schedule's roster); `None` when the folder has no roster.
pub fn coverage_grid(run: &RunData) -> Option<HeatGrid> {
    if run.coverage.is_empty() {
        return None;
    }
    let mut gaps: Vec<(f64, f64)> = run
        .coverage
        .iter()
        .map(|c| {
            (
                c.interval_start_s,
                f64::from(c.scheduled) - f64::from(c.required),
            )
        })
        .collect();
    gaps.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut per_interval: Vec<(f64, f64)> = Vec::new();
    for (t, gap) in gaps {
        match per_interval.last_mut() {
            Some(last) if last.0 == t => last.1 += gap,
            _ => per_interval.push((t, gap)),
        }
    }
    Some(grid_of(
        &run.facts,
        per_interval.into_iter().map(|(t, v)| (t, Some(v))),
    ))
}

/// The values one weekday × interval cell took over the weeks of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Plain mean over the weeks that had a value.
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    /// Weeks that had a value.
    pub weeks: u32,
}

/// Per weekday (on the run's calendar, Monday first) and interval of the day, the spread of
/// `(interval start, value)` pairs; `None` where no week had a value (gaps and non-finite
/// values are skipped). Returns the intervals per day and the seven rows.
fn spreads(
    facts: &RunFacts,
    values: impl Iterator<Item = (f64, Option<f64>)>,
) -> (usize, Vec<Vec<Option<Spread>>>) {
    let interval_s = facts.interval_s;
    let slots = ((DAY / interval_s).round() as usize).max(1);
    let calendar = facts.calendar();
    let mut cells: Vec<Vec<Option<Spread>>> = vec![vec![None; slots]; 7];
    let mut sums = vec![vec![0.0f64; slots]; 7];
    for (t, v) in values {
        let Some(v) = v.filter(|v| v.is_finite()) else {
            continue;
        };
        let day = calendar.weekday(t);
        let slot = ((t.rem_euclid(DAY) / interval_s).floor() as usize).min(slots - 1);
        sums[day][slot] += v;
        let cell = cells[day][slot].get_or_insert(Spread {
            mean: 0.0,
            min: v,
            max: v,
            weeks: 0,
        });
        cell.min = cell.min.min(v);
        cell.max = cell.max.max(v);
        cell.weeks += 1;
    }
    for (row, sums) in cells.iter_mut().zip(&sums) {
        for (c, sum) in row.iter_mut().zip(sums) {
            if let Some(c) = c {
                c.mean = sum / f64::from(c.weeks);
            }
        }
    }
    (slots, cells)
}

/// Means per weekday × interval of the day of `(interval start, value)` pairs (a replicated
/// run's grids are built from its mean columns this way too).
pub fn grid_of(facts: &RunFacts, values: impl Iterator<Item = (f64, Option<f64>)>) -> HeatGrid {
    let (slots, cells) = spreads(facts, values);
    HeatGrid {
        slots,
        interval_s: facts.interval_s,
        cells: cells
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|c| c.map(|c| (c.mean, c.weeks)))
                    .collect()
            })
            .collect(),
    }
}

/// The average week of `(interval start, value)` pairs: one point per weekday × interval in
/// week order (Monday 00:00 first), at the interval's middle in seconds since Monday 00:00,
/// with the spread of its weeks (`None`: no week had a value — a gap, not a zero).
pub fn week_profile(
    facts: &RunFacts,
    values: impl Iterator<Item = (f64, Option<f64>)>,
) -> Vec<(f64, Option<Spread>)> {
    let (_, cells) = spreads(facts, values);
    let interval_s = facts.interval_s;
    cells
        .into_iter()
        .enumerate()
        .flat_map(|(d, row)| {
            row.into_iter()
                .enumerate()
                .map(move |(s, c)| (d as f64 * DAY + (s as f64 + 0.5) * interval_s, c))
        })
        .collect()
}

/// One row of `daily.csv` or `weekly.csv` of a run of several replications: one replication's
/// intervals of a queue (or `all`) summed over a day or a week exactly as the single-run tables
/// sum them ([`Agg`]), before the runner folds the replications' rows into the mean and the
/// 95 % half-width of every column (`stats::fold`, the fold of the interval rows).
///
/// Why each replication's own period: the half-width of a day cannot be derived from the
/// half-widths of its intervals (their covariances are unknown), so the day is summed inside
/// every replication and the replications' days are then folded like any other row.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PeriodRow {
    /// The period's first day: its date (`2026-11-30`) with `[scenario] start`, `d8 Mon`
    /// without.
    pub period_start: String,
    /// Start of the period, seconds since the start of the horizon (a key, not averaged).
    pub period_start_s: f64,
    pub queue: String,
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    /// Answered within the threshold ÷ (answered + abandoned after the threshold), over the
    /// period's summed counts.
    pub service_level: Option<f64>,
    pub asa_s: Option<f64>,
    pub abandon_rate: Option<f64>,
    /// Busy ÷ present agent time over the period.
    pub occupancy: Option<f64>,
    /// Agents scheduled × the interval's length, hours.
    pub agent_hours: f64,
    /// Callers on hold cut off when their queue closed (`[queue.closed] waiting =
    /// "disconnect"`; 0 without the setting).
    pub disconnected: u64,
}

impl PeriodRow {
    fn of(calendar: &crate::time::Calendar, interval_s: f64, queue: &str, a: &Agg) -> Self {
        let day = crate::time::Clock(a.start_s).day();
        PeriodRow {
            period_start: calendar.date_of_day(day).map_or_else(
                || super::html::row_label(calendar, a.start_s, true),
                |d| d.to_string(),
            ),
            period_start_s: a.start_s,
            queue: queue.to_string(),
            offered: a.offered,
            answered: a.answered,
            abandoned: a.abandoned,
            service_level: a.service_level(),
            asa_s: a.asa_s(),
            abandon_rate: a.abandon_rate(),
            occupancy: a.occupancy(),
            agent_hours: a.agent_hours(interval_s),
            disconnected: a.outcomes.disconnected,
        }
    }
}

/// Sums one replication's interval rows into periods (days or weeks of the run) as they
/// close: a period's rows (each queue, then `all`) are handed out once a row of the next
/// period arrives, or at [`PeriodFold::finish`].
pub struct PeriodFold {
    period_s: f64,
    interval_s: f64,
    calendar: crate::time::Calendar,
    /// The queues, then `all`, in row order.
    names: Vec<String>,
    /// Per name: the open period's sums (`n == 0`: no row yet).
    open: Vec<Agg>,
    /// Start of the open period.
    start_s: Option<f64>,
}

impl PeriodFold {
    /// A fold of `model`'s rows into periods of `period_s` ([`DAY`] or [`WEEK`]).
    pub fn new(model: &crate::scenario::Model, period_s: f64) -> Self {
        let names: Vec<String> = model
            .queues
            .iter()
            .map(|q| q.name.clone())
            .chain(std::iter::once(ALL.to_string()))
            .collect();
        PeriodFold {
            period_s,
            interval_s: model.interval_s,
            calendar: model.calendar,
            open: vec![Agg::default(); names.len()],
            names,
            start_s: None,
        }
    }

    /// Adds one interval row; pushes the rows of the period it closes onto `out`.
    pub fn add(&mut self, r: &crate::stats::IntervalRow, out: &mut Vec<PeriodRow>) {
        let start = (r.interval_start_s / self.period_s).floor() * self.period_s;
        if self.start_s != Some(start) {
            self.finish(out);
            self.start_s = Some(start);
        }
        if let Some(i) = self.names.iter().position(|n| *n == r.queue) {
            let a = &mut self.open[i];
            a.start_s = start;
            a.add_figures(&super::aggregate::PeriodFigures::from(r));
            a.outcomes.disconnected += r.disconnected;
        }
    }

    /// Pushes the open period's rows (those with a row) onto `out`.
    pub fn finish(&mut self, out: &mut Vec<PeriodRow>) {
        if self.start_s.take().is_none() {
            return;
        }
        for (name, a) in self.names.iter().zip(&mut self.open) {
            if a.n > 0 {
                out.push(PeriodRow::of(&self.calendar, self.interval_s, name, a));
            }
            *a = Agg::default();
        }
    }
}
