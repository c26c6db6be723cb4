//! Reading a finished run back from its folder (`intervals.csv`, `pools.csv`, `summary.csv`,
//! `waits.csv`, optional `run.json`) into [`RunData`], and aggregating interval rows into the
//! coarser points a chart or a table shows.
//!
//! The records here are this module's own `Deserialize` structs: they read the columns the
//! report needs by name and ignore the rest, so columns added later (at the end, per DESIGN.md)
//! do not break old reports, and optional columns (`expected_calls`) may be absent. Empty cells
//! mean "no value" and read as `None`. This module knows nothing of plotters or HTML.

use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::run_files::{DEFAULT_SL_TARGET, QueueFacts, RunFacts, WaitBinRow};
use crate::app::AppError;

/// One row of `intervals.csv`, the columns the report uses.
#[derive(Debug, Clone, Deserialize)]
pub struct IntervalRecord {
    pub interval_start: String,
    pub interval_start_s: f64,
    pub queue: String,
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub answered_within_threshold: u64,
    pub abandoned_within_threshold: u64,
    pub asa_s: Option<f64>,
    pub agents: f64,
    pub agents_present: f64,
    pub occupancy: Option<f64>,
    pub queue_length_mean: f64,
    pub queue_length_peak: u32,
    /// Calls the forecast expected (a later feature adds the column; absent means unknown).
    #[serde(default)]
    pub expected_calls: Option<f64>,
}

/// One row of `pools.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct PoolRecord {
    pub interval_start_s: f64,
    pub pool: String,
    pub agents: f64,
    pub agents_present: f64,
    pub agents_busy: f64,
}

/// One row of `summary.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct SummaryRecord {
    pub queue: String,
    pub offered: u64,
    pub self_served: u64,
    pub hung_up_ivr: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub in_system_at_end: u64,
    pub service_level: Option<f64>,
    pub asa_s: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub wait_p90_s: Option<f64>,
    pub agents: f64,
    pub occupancy: Option<f64>,
    pub queue_length_peak: u32,
}

/// Everything the charts and the report are drawn from.
#[derive(Debug, Clone)]
pub struct RunData {
    pub facts: RunFacts,
    /// `false` when `run.json` was missing and the facts were inferred from the CSVs.
    pub facts_known: bool,
    pub intervals: Vec<IntervalRecord>,
    pub pools: Vec<PoolRecord>,
    pub summary: Vec<SummaryRecord>,
    pub waits: Vec<WaitBinRow>,
}

/// The queue name of the whole-center rows.
pub const ALL: &str = "all";

fn read_csv<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, AppError> {
    let name = path.display();
    let mut reader = csv::Reader::from_path(path).map_err(|e| {
        let reason = match e.kind() {
            csv::ErrorKind::Io(io) => io.to_string(),
            _ => e.to_string(),
        };
        AppError::Input(format!(
            "{name}: cannot read ({reason}); is this the output folder of `hotline simulate`?"
        ))
    })?;
    let headers = reader
        .headers()
        .map_err(|e| csv_error(path, &e, None))?
        .clone();
    let mut rows = Vec::new();
    for row in reader.deserialize() {
        rows.push(row.map_err(|e| csv_error(path, &e, Some(&headers)))?);
    }
    Ok(rows)
}

/// `file:line: column: what`, naming the column when serde knows it.
fn csv_error(path: &Path, e: &csv::Error, headers: Option<&csv::StringRecord>) -> AppError {
    let at = e
        .position()
        .map_or(String::new(), |p| format!(":{}", p.line()));
    let what = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => match err.field() {
            Some(f) => {
                let column = headers
                    .and_then(|h| h.get(f as usize))
                    .map_or_else(|| format!("column {}", f + 1), |c| format!("`{c}`"));
                format!("{column}: {}", err.kind())
            }
            None => err.kind().to_string(),
        },
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        _ => e.to_string(),
    };
    AppError::Input(format!("{}{at}: {what}", path.display()))
}

impl RunData {
    /// Reads a run folder. A missing or malformed CSV is an input error naming the file and line;
    /// a missing `run.json` is tolerated (facts are inferred, thresholds unknown).
    pub fn load(dir: &Path) -> Result<RunData, AppError> {
        let intervals: Vec<IntervalRecord> = read_csv(&dir.join("intervals.csv"))?;
        let pools: Vec<PoolRecord> = read_csv(&dir.join("pools.csv"))?;
        let summary: Vec<SummaryRecord> = read_csv(&dir.join("summary.csv"))?;
        let waits: Vec<WaitBinRow> = read_csv(&dir.join("waits.csv"))?;
        let facts_path = dir.join("run.json");
        let (facts, facts_known) = match std::fs::read_to_string(&facts_path) {
            Ok(text) => {
                let facts: RunFacts = serde_json::from_str(&text).map_err(|e| {
                    AppError::Input(format!("{}:{}: {e}", facts_path.display(), e.line()))
                })?;
                (facts, true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (infer_facts(dir, &intervals), false)
            }
            Err(e) => {
                return Err(AppError::Input(format!("{}: {e}", facts_path.display())));
            }
        };
        Ok(RunData {
            facts,
            facts_known,
            intervals,
            pools,
            summary,
            waits,
        })
    }

    /// Queue names in file order, without `all`.
    pub fn queue_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for r in &self.summary {
            if r.queue != ALL && !names.contains(&r.queue.as_str()) {
                names.push(&r.queue);
            }
        }
        for r in &self.intervals {
            if r.queue != ALL && !names.contains(&r.queue.as_str()) {
                names.push(&r.queue);
            }
        }
        names
    }

    /// Pool names in file order.
    pub fn pool_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for r in &self.pools {
            if !names.contains(&r.pool.as_str()) {
                names.push(&r.pool);
            }
        }
        names
    }

    /// The service-level context of a queue, when `run.json` gave it.
    pub fn queue_facts(&self, queue: &str) -> Option<&QueueFacts> {
        self.facts.queues.iter().find(|q| q.name == queue)
    }

    /// The SL target drawn as the target line: the queues' common target, else the default.
    pub fn sl_target(&self) -> f64 {
        match self.facts.queues.first() {
            Some(first)
                if self
                    .facts
                    .queues
                    .iter()
                    .all(|q| (q.sl_target - first.sl_target).abs() < 1e-9) =>
            {
                first.sl_target
            }
            _ => DEFAULT_SL_TARGET,
        }
    }

    /// Start of the first and end of the last interval, seconds.
    pub fn time_span(&self) -> (f64, f64) {
        let start = self
            .intervals
            .iter()
            .map(|r| r.interval_start_s)
            .fold(f64::INFINITY, f64::min);
        let last = self
            .intervals
            .iter()
            .map(|r| r.interval_start_s)
            .fold(f64::NEG_INFINITY, f64::max);
        if start.is_finite() && last.is_finite() {
            (start, last + self.facts.interval_s)
        } else {
            (0.0, self.facts.interval_s.max(1.0))
        }
    }

    /// Number of intervals (distinct start times).
    pub fn interval_count(&self) -> usize {
        self.intervals.iter().filter(|r| r.queue == ALL).count()
    }

    /// The `all` row of the summary.
    pub fn total(&self) -> Option<&SummaryRecord> {
        self.summary.iter().find(|r| r.queue == ALL)
    }
}

/// Facts of a run folder without `run.json`: name from the folder, interval length from the gap
/// between the first two interval starts, days from the span.
fn infer_facts(dir: &Path, intervals: &[IntervalRecord]) -> RunFacts {
    let mut starts: Vec<f64> = intervals.iter().map(|r| r.interval_start_s).collect();
    starts.sort_by(f64::total_cmp);
    starts.dedup();
    let interval_s = match starts.as_slice() {
        [a, b, ..] if b > a => b - a,
        _ => 1800.0,
    };
    let span = starts.last().map_or(0.0, |l| l + interval_s);
    RunFacts {
        scenario: dir
            .file_name()
            .map_or_else(|| "run".into(), |n| n.to_string_lossy().into_owned()),
        source: String::new(),
        days: (span / crate::time::DAY).ceil() as u32,
        seed: None,
        interval_s,
        queues: Vec::new(),
        pools: Vec::new(),
        hotline_version: String::new(),
    }
}

/// Interval rows of one queue summed over a coarser period (an hour, a day…). Counts add up;
/// time averages (agents, queue length) are averaged over the intervals; ratios are recomputed
/// from the summed counts, never averaged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agg {
    /// Start of the period, seconds.
    pub start_s: f64,
    /// Intervals summed.
    pub n: u32,
    pub offered: u64,
    /// Sum of `expected_calls` (`None` when any interval lacks it).
    pub expected: Option<f64>,
    pub answered: u64,
    pub abandoned: u64,
    pub answered_within: u64,
    pub abandoned_within: u64,
    /// Σ ASA × answered: the total wait of answered calls, seconds.
    pub wait_answered_s: f64,
    agents_sum: f64,
    present_sum: f64,
    busy_sum: f64,
    queue_mean_sum: f64,
    pub queue_peak: u32,
}

impl Agg {
    fn add(&mut self, r: &IntervalRecord) {
        self.expected = match (self.n, self.expected, r.expected_calls) {
            (0, _, e) => e,
            (_, Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        self.n += 1;
        self.offered += r.offered;
        self.answered += r.answered;
        self.abandoned += r.abandoned;
        self.answered_within += r.answered_within_threshold;
        self.abandoned_within += r.abandoned_within_threshold;
        self.wait_answered_s += r.asa_s.unwrap_or(0.0) * r.answered as f64;
        self.agents_sum += r.agents;
        self.present_sum += r.agents_present;
        self.busy_sum += r.occupancy.unwrap_or(0.0) * r.agents_present;
        self.queue_mean_sum += r.queue_length_mean;
        self.queue_peak = self.queue_peak.max(r.queue_length_peak);
    }

    fn mean(&self, sum: f64) -> f64 {
        if self.n > 0 {
            sum / f64::from(self.n)
        } else {
            0.0
        }
    }

    /// Answered within T ÷ (answered + abandoned after T); `None` with no such call.
    pub fn service_level(&self) -> Option<f64> {
        let den = self.answered + (self.abandoned - self.abandoned_within.min(self.abandoned));
        (den > 0).then(|| self.answered_within as f64 / den as f64)
    }
    pub fn asa_s(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.wait_answered_s / self.answered as f64)
    }
    pub fn abandon_rate(&self) -> Option<f64> {
        let left = self.answered + self.abandoned;
        (left > 0).then(|| self.abandoned as f64 / left as f64)
    }
    /// Mean agents scheduled.
    pub fn agents(&self) -> f64 {
        self.mean(self.agents_sum)
    }
    pub fn occupancy(&self) -> Option<f64> {
        (self.present_sum > 0.0).then(|| self.busy_sum / self.present_sum)
    }
    pub fn queue_length_mean(&self) -> f64 {
        self.mean(self.queue_mean_sum)
    }
}

/// Sums the rows of `queue` into periods of `period_s` (a multiple of the interval), in time
/// order. Periods without rows do not appear.
pub fn aggregate(rows: &[IntervalRecord], queue: &str, period_s: f64) -> Vec<Agg> {
    let mut out: Vec<Agg> = Vec::new();
    for r in rows.iter().filter(|r| r.queue == queue) {
        let start = (r.interval_start_s / period_s).floor() * period_s;
        match out.last_mut() {
            Some(a) if a.start_s == start => a.add(r),
            _ => {
                let mut a = Agg {
                    start_s: start,
                    ..Agg::default()
                };
                a.add(r);
                out.push(a);
            }
        }
    }
    out
}

/// Pool rows of one pool (or every pool for `None`) summed over periods: mean agents and
/// occupancy as busy ÷ present agent time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoolAgg {
    pub start_s: f64,
    present_sum: f64,
    busy_sum: f64,
}

impl PoolAgg {
    pub fn occupancy(&self) -> Option<f64> {
        (self.present_sum > 0.0).then(|| self.busy_sum / self.present_sum)
    }
}

pub fn aggregate_pools(rows: &[PoolRecord], pool: Option<&str>, period_s: f64) -> Vec<PoolAgg> {
    let mut out: Vec<PoolAgg> = Vec::new();
    for r in rows.iter().filter(|r| pool.is_none_or(|p| r.pool == p)) {
        let start = (r.interval_start_s / period_s).floor() * period_s;
        let slot = match out.iter().rposition(|a| a.start_s == start) {
            Some(i) => &mut out[i],
            None => {
                out.push(PoolAgg {
                    start_s: start,
                    ..PoolAgg::default()
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        slot.present_sum += r.agents_present;
        slot.busy_sum += r.agents_busy;
    }
    out
}

/// The most points a chart series shows before rows are summed into coarser periods.
pub const MAX_POINTS: usize = 2000;

/// The period (seconds) charts plot: the interval itself, else an hour, a day or a week —
/// the first that keeps a series under [`MAX_POINTS`] points — with its name for axis labels.
pub fn plot_period(interval_s: f64, span_s: f64) -> (f64, String) {
    let candidates = [
        interval_s,
        3600.0,
        crate::time::DAY,
        crate::time::WEEK,
        4.0 * crate::time::WEEK,
    ];
    for &p in &candidates {
        if p < interval_s {
            continue;
        }
        if span_s / p <= MAX_POINTS as f64 {
            return (p, period_name(p));
        }
    }
    let p = 4.0 * crate::time::WEEK;
    (p, period_name(p))
}

/// "30 min", "hour", "day", "week", "4 weeks".
pub fn period_name(p: f64) -> String {
    let week = crate::time::WEEK;
    let day = crate::time::DAY;
    if p >= week && (p / week).fract() == 0.0 {
        let w = p / week;
        return if w == 1.0 {
            "week".into()
        } else {
            format!("{w} weeks")
        };
    }
    if p == day {
        return "day".into();
    }
    if p == 3600.0 {
        return "hour".into();
    }
    if p >= 3600.0 && (p / 3600.0).fract() == 0.0 {
        return format!("{} h", p / 3600.0);
    }
    if p >= 60.0 && (p / 60.0).fract() == 0.0 {
        return format!("{} min", p / 60.0);
    }
    format!("{p} s")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(
        start: f64,
        queue: &str,
        answered: u64,
        within: u64,
        asa: Option<f64>,
    ) -> IntervalRecord {
        IntervalRecord {
            interval_start: String::new(),
            interval_start_s: start,
            queue: queue.into(),
            offered: answered,
            answered,
            abandoned: 0,
            answered_within_threshold: within,
            abandoned_within_threshold: 0,
            asa_s: asa,
            agents: 4.0,
            agents_present: 4.0,
            occupancy: Some(0.5),
            queue_length_mean: 1.0,
            queue_length_peak: 3,
            expected_calls: None,
        }
    }

    #[test]
    fn aggregation_recomputes_ratios_from_counts() {
        let rows = vec![
            rec(0.0, "q", 10, 10, Some(2.0)),
            rec(1800.0, "q", 30, 0, Some(60.0)),
            rec(3600.0, "q", 0, 0, None),
            rec(0.0, "other", 5, 5, Some(0.0)),
        ];
        let hourly = aggregate(&rows, "q", 3600.0);
        assert_eq!(hourly.len(), 2);
        assert_eq!(hourly[0].service_level(), Some(0.25));
        assert_eq!(hourly[0].asa_s(), Some((20.0 + 1800.0) / 40.0));
        assert_eq!(hourly[1].service_level(), None, "no call: a gap, not zero");
        assert_eq!(hourly[0].agents(), 4.0);
        assert_eq!(hourly[0].occupancy(), Some(0.5));
    }

    #[test]
    fn plot_period_stays_at_the_interval_for_a_week_and_coarsens_for_a_year() {
        assert_eq!(plot_period(1800.0, 7.0 * 86_400.0).0, 1800.0);
        let (p, name) = plot_period(1800.0, 365.0 * 86_400.0);
        assert_eq!((p, name.as_str()), (86_400.0, "day"));
        assert_eq!(plot_period(900.0, 30.0 * 86_400.0).1, "hour");
        assert_eq!(period_name(1800.0), "30 min");
    }
}
