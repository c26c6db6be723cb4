//! Reading a finished run back from its folder (`intervals.csv`, `pools.csv`, `summary.csv`,
//! `waits.csv`, optional `run.json`; `staffing.csv` of `hotline staff`, `plan_vs_sim.csv` of
//! `simulate --staffing`, `classes.csv`/`class_intervals.csv` of a run with caller classes and
//! `coverage.csv` of `hotline schedule` when present) into [`RunData`]. Summing interval rows into the coarser
//! points a chart shows lives in [`super::aggregate`] (re-exported here).
//!
//! A folder holds a simulation (`intervals.csv` present), a staffing plan (`staffing.csv`), or
//! both; a folder with neither is an input error.
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
#[derive(Debug, Clone, Default, Deserialize)]
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
    /// What else happened to the interval's calls (the outcome columns of `intervals.csv`,
    /// read by [`IntervalRecord::outcomes`]); 0 in run folders written before the columns
    /// (and `closed_callback_requests` until the build writing it).
    #[serde(default)]
    pub self_served: u64,
    #[serde(default)]
    pub hung_up_ivr: u64,
    #[serde(default)]
    pub in_system_at_end: u64,
    #[serde(default)]
    pub blocked: u64,
    #[serde(default)]
    pub closed: u64,
    #[serde(default)]
    pub closed_self_served: u64,
    #[serde(default)]
    pub closed_callback_requests: u64,
    #[serde(default)]
    pub callbacks_offered: u64,
    #[serde(default)]
    pub callbacks_accepted: u64,
    #[serde(default)]
    pub callbacks_completed: u64,
    #[serde(default)]
    pub callbacks_failed: u64,
    #[serde(default)]
    pub transferred_in: u64,
    #[serde(default)]
    pub transferred_out: u64,
    /// Mean time from callback request to the answered callback, seconds.
    #[serde(default)]
    pub callback_delay_mean_s: Option<f64>,
    /// Callers on hold when the queue closed, cut off then (`[queue.closed] waiting =
    /// "disconnect"`; 0 in folders written before the column).
    #[serde(default)]
    pub disconnected: u64,
    /// The row's own service level and abandonment (read for the misses table and the heat
    /// maps, which show each interval's figure as the CSV gives it).
    #[serde(default)]
    pub service_level: Option<f64>,
    #[serde(default)]
    pub abandon_rate: Option<f64>,
}

/// The outcome columns of `intervals.csv` the outcome and callback charts read. Columns missing
/// from an older folder (or not yet written by this build: `closed_callback_requests`) read 0.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OutcomeCounts {
    pub self_served: u64,
    pub hung_up_ivr: u64,
    pub in_system_at_end: u64,
    pub blocked: u64,
    pub closed: u64,
    pub closed_self_served: u64,
    /// Of `closed`, callers who left a callback request for the next opening.
    pub closed_callback_requests: u64,
    pub callbacks_offered: u64,
    pub callbacks_accepted: u64,
    pub callbacks_completed: u64,
    pub callbacks_failed: u64,
    pub transferred_in: u64,
    pub transferred_out: u64,
    /// Callers on hold cut off when their queue closed.
    pub disconnected: u64,
}

impl IntervalRecord {
    /// The row's outcome counts.
    pub fn outcomes(&self) -> OutcomeCounts {
        OutcomeCounts {
            self_served: self.self_served,
            hung_up_ivr: self.hung_up_ivr,
            in_system_at_end: self.in_system_at_end,
            blocked: self.blocked,
            closed: self.closed,
            closed_self_served: self.closed_self_served,
            closed_callback_requests: self.closed_callback_requests,
            callbacks_offered: self.callbacks_offered,
            callbacks_accepted: self.callbacks_accepted,
            callbacks_completed: self.callbacks_completed,
            callbacks_failed: self.callbacks_failed,
            transferred_in: self.transferred_in,
            transferred_out: self.transferred_out,
            disconnected: self.disconnected,
        }
    }
}

impl OutcomeCounts {
    /// Adds another row's counts.
    pub fn add(&mut self, o: &OutcomeCounts) {
        self.self_served += o.self_served;
        self.hung_up_ivr += o.hung_up_ivr;
        self.in_system_at_end += o.in_system_at_end;
        self.blocked += o.blocked;
        self.closed += o.closed;
        self.closed_self_served += o.closed_self_served;
        self.closed_callback_requests += o.closed_callback_requests;
        self.callbacks_offered += o.callbacks_offered;
        self.callbacks_accepted += o.callbacks_accepted;
        self.callbacks_completed += o.callbacks_completed;
        self.callbacks_failed += o.callbacks_failed;
        self.transferred_in += o.transferred_in;
        self.transferred_out += o.transferred_out;
        self.disconnected += o.disconnected;
    }
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
    /// Busy signals (`[center] lines`); absent in run folders written before the column.
    #[serde(default)]
    pub blocked: u64,
    pub service_level: Option<f64>,
    pub asa_s: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub wait_p90_s: Option<f64>,
    pub agents: f64,
    pub occupancy: Option<f64>,
    pub queue_length_peak: u32,
    /// Callers routed to a closed queue (0 in run folders written before opening hours).
    #[serde(default)]
    pub closed: u64,
    /// Of `closed`, callers who self-served after the closed message.
    #[serde(default)]
    pub closed_self_served: u64,
    /// Callbacks (virtual hold); 0 in run folders written before callbacks.
    #[serde(default)]
    pub callbacks_offered: u64,
    #[serde(default)]
    pub callbacks_accepted: u64,
    #[serde(default)]
    pub callbacks_completed: u64,
    #[serde(default)]
    pub callbacks_failed: u64,
    /// Mean time from callback request to the answered callback, seconds.
    #[serde(default)]
    pub callback_delay_mean_s: Option<f64>,
    /// Transfers (`[[queue.transfer]]`); 0 in run folders written before transfers.
    #[serde(default)]
    pub transferred_in: u64,
    #[serde(default)]
    pub transferred_out: u64,
    /// Journeys of transferred callers that began on this queue, their mean wait over every
    /// leg (seconds) and the share whose last leg was answered.
    #[serde(default)]
    pub journeys: u64,
    #[serde(default)]
    pub journey_wait_mean_s: Option<f64>,
    #[serde(default)]
    pub journeys_served_share: Option<f64>,
    /// Of `closed`, callers who left a callback request for the next opening (0 until the
    /// build writing the column).
    #[serde(default)]
    pub closed_callback_requests: u64,
    /// Of the callbacks answered, those of requests left while the queue was closed, and their
    /// mean time from the closed call to the answered callback (seconds; absent before the
    /// build writing the columns).
    #[serde(default)]
    pub closed_callbacks_completed: u64,
    #[serde(default)]
    pub closed_callback_delay_mean_s: Option<f64>,
    /// Callers on hold cut off when the queue closed (`[queue.closed] waiting =
    /// "disconnect"`; 0 in folders written before the column).
    #[serde(default)]
    pub disconnected: u64,
    /// Requests left while closed that were called back as outbound work
    /// (`[queue.closed] callbacks = "when_idle"`), and those dialled within `callback_within`
    /// (0 in folders without the columns). Such legs are not in `callbacks_completed` or
    /// `callbacks_failed`; their answered ones are in `closed_callbacks_completed`.
    #[serde(default)]
    pub outbound_callbacks: u64,
    #[serde(default)]
    pub callbacks_within_target: u64,
    /// Of `answered`, calls ended after a consult with another queue's agent
    /// (`[[queue.transfer]] consult`; 0 where the column is absent).
    #[serde(default)]
    pub consults: u64,
}

/// One row of `staffing.csv` (written by `hotline staff`), the columns the charts use.
#[derive(Debug, Clone, Deserialize)]
pub struct StaffingRecord {
    pub interval_start_s: f64,
    pub queue: String,
    pub agents_erlang_c: u32,
    pub agents_erlang_a: u32,
    pub agents_required: u32,
    pub agents_scheduled: u32,
}

/// One row of `plan_vs_sim.csv` (written by `simulate --staffing`), the columns the charts use.
#[derive(Debug, Clone, Deserialize)]
pub struct PlanVsSimRecord {
    pub interval_start_s: f64,
    pub queue: String,
    pub offered: u64,
    pub sl_promised: Option<f64>,
    pub sl_simulated: Option<f64>,
}

/// Everything the charts and the report are drawn from.
#[derive(Debug, Clone)]
pub struct RunData {
    pub facts: RunFacts,
    /// `false` when `run.json` was missing and the facts were inferred from the CSVs.
    pub facts_known: bool,
    /// `true` when the folder holds a simulation (`intervals.csv`); otherwise only a staffing
    /// plan was read and the simulation's rows below are empty.
    pub simulated: bool,
    pub intervals: Vec<IntervalRecord>,
    pub pools: Vec<PoolRecord>,
    pub summary: Vec<SummaryRecord>,
    pub waits: Vec<WaitBinRow>,
    /// Rows of `staffing.csv`; empty when the folder has none.
    pub staffing: Vec<StaffingRecord>,
    /// Rows of `plan_vs_sim.csv`; empty when the folder has none.
    pub plan_vs_sim: Vec<PlanVsSimRecord>,
    /// Rows of `classes.csv` (per queue × caller class); empty without caller classes.
    pub classes: Vec<ClassRecord>,
    /// Rows of `class_intervals.csv` as interval rows keyed `queue · class` (see
    /// [`class_key`]), so the same aggregation sums them; empty without caller classes.
    pub class_intervals: Vec<IntervalRecord>,
    /// Rows of `coverage.csv` (`hotline schedule`'s roster coverage) when the folder holds one;
    /// empty otherwise.
    pub coverage: Vec<CoverageRecord>,
}

/// The key of a caller class's rows in [`RunData::class_intervals`].
pub fn class_key(queue: &str, class: &str) -> String {
    format!("{queue} · {class}")
}

/// One row of `class_intervals.csv`, the columns the class chart uses.
#[derive(Debug, Clone, Deserialize)]
struct ClassIntervalRecord {
    interval_start_s: f64,
    queue: String,
    class: String,
    offered: u64,
    answered: u64,
    abandoned: u64,
    answered_within_threshold: u64,
    abandoned_within_threshold: u64,
    asa_s: Option<f64>,
}

impl ClassIntervalRecord {
    fn into_interval(self) -> IntervalRecord {
        IntervalRecord {
            interval_start_s: self.interval_start_s,
            queue: class_key(&self.queue, &self.class),
            offered: self.offered,
            answered: self.answered,
            abandoned: self.abandoned,
            answered_within_threshold: self.answered_within_threshold,
            abandoned_within_threshold: self.abandoned_within_threshold,
            asa_s: self.asa_s,
            ..IntervalRecord::default()
        }
    }
}

/// One row of `coverage.csv` (`hotline schedule`): agents required and rostered on the phones
/// per interval × pool.
#[derive(Debug, Clone, Deserialize)]
pub struct CoverageRecord {
    pub interval_start_s: f64,
    pub pool: String,
    pub required: u32,
    pub scheduled: u32,
}

/// The columns of `classes.csv` that `report.html` shows.
#[derive(Debug, Clone, Deserialize)]
pub struct ClassRecord {
    pub queue: String,
    pub class: String,
    pub priority: i64,
    pub offered: f64,
    pub answered: f64,
    pub abandoned: f64,
    pub service_level: Option<f64>,
    pub asa_s: Option<f64>,
    pub abandon_rate: Option<f64>,
    pub wait_p95_s: Option<f64>,
}

/// The queue name of the whole-center rows.
pub const ALL: &str = "all";

/// The run's files: a simulation's and a staffing plan's.
const INTERVALS: &str = "intervals.csv";
const ARRIVALS: &str = "arrivals.csv";

/// One row of `arrivals.csv`: the expected calls beside the realised ones.
#[derive(Debug, Clone, Deserialize)]
struct ArrivalRecord {
    interval_start_s: f64,
    queue: String,
    expected_calls: f64,
}

/// Fills each interval row's `expected_calls` from `arrivals.csv` (written row for row in the
/// same order as `intervals.csv`); rows that do not match keep `None`.
fn join_expected_calls(intervals: &mut [IntervalRecord], arrivals: Vec<ArrivalRecord>) {
    for (row, a) in intervals.iter_mut().zip(arrivals) {
        if row.expected_calls.is_none()
            && row.queue == a.queue
            && row.interval_start_s == a.interval_start_s
        {
            row.expected_calls = Some(a.expected_calls);
        }
    }
}
const STAFFING: &str = "staffing.csv";
const PLAN_VS_SIM: &str = "plan_vs_sim.csv";

/// Reads a CSV of the simulation.
fn read_csv<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, AppError> {
    read_csv_of(path, "hotline simulate")
}

/// Reads `summary.csv`, which a simulation always ends with its `all` row.
pub fn read_summary(path: &Path) -> Result<Vec<SummaryRecord>, AppError> {
    let rows: Vec<SummaryRecord> = read_csv(path)?;
    if !rows.iter().any(|r| r.queue == ALL) {
        return Err(AppError::Input(format!(
            "{}:{}: no `{ALL}` row (the whole center), which `hotline simulate` always writes: \
             the file is cut short or not a summary",
            path.display(),
            rows.len() + 2
        )));
    }
    Ok(rows)
}

/// Reads a CSV when the file exists (empty otherwise).
fn read_optional_csv<T: DeserializeOwned>(path: &Path, made_by: &str) -> Result<Vec<T>, AppError> {
    if path.exists() {
        read_csv_of(path, made_by)
    } else {
        Ok(Vec::new())
    }
}

/// Reads a CSV; `made_by` names the command that writes it (for the error message).
fn read_csv_of<T: DeserializeOwned>(path: &Path, made_by: &str) -> Result<Vec<T>, AppError> {
    let name = path.display();
    let mut reader = csv::Reader::from_path(path).map_err(|e| {
        let reason = match e.kind() {
            csv::ErrorKind::Io(io) => io.to_string(),
            _ => e.to_string(),
        };
        AppError::Input(format!(
            "{name}: cannot read ({reason}); is this the output folder of `{made_by}`?"
        ))
    })?;
    let headers = reader
        .headers()
        .map_err(|e| csv_error(path, &e, None))?
        .clone();
    if let Some(column) = missing_column::<T>(&headers) {
        return Err(AppError::Input(format!(
            "{name}:1: the header has no `{column}` column; is this the output folder of \
             `{made_by}`?"
        )));
    }
    let mut rows = Vec::new();
    for row in reader.deserialize() {
        rows.push(row.map_err(|e| csv_error(path, &e, Some(&headers)))?);
    }
    Ok(rows)
}

/// A column `T` needs that the header lacks. A file with no rows would otherwise pass any
/// header (a `summary.csv` holding `garbage` read as an empty summary): a record of `0` in
/// every column of the header is read as `T`, and serde names the first field it misses. Only
/// "missing field" counts; a `0` some column cannot hold says nothing about the header. A 0-byte
/// file (how builds before the header rule wrote a table with no rows) reads as an empty table.
fn missing_column<T: DeserializeOwned>(headers: &csv::StringRecord) -> Option<String> {
    if headers.is_empty() {
        return None;
    }
    let zeros: csv::StringRecord = headers.iter().map(|_| "0").collect();
    let Err(e) = zeros.deserialize::<T>(Some(headers)) else {
        return None;
    };
    let csv::ErrorKind::Deserialize { err, .. } = e.kind() else {
        return None;
    };
    let text = err.kind().to_string();
    let column = text.strip_prefix("missing field `")?.split('`').next()?;
    Some(column.to_string())
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
    /// Reads a run folder: a simulation (when `intervals.csv` is there), a staffing plan (when
    /// `staffing.csv` is), or both. A missing or malformed CSV of a simulation is an input error
    /// naming the file and line; a missing `run.json` is tolerated (facts are inferred,
    /// thresholds unknown); a folder with neither file is an input error saying so.
    pub fn load(dir: &Path) -> Result<RunData, AppError> {
        Self::load_parts(dir, true)
    }

    /// Reads only the staffing plan of a folder (`staffing.csv`, and `run.json` when present),
    /// ignoring any simulation there.
    pub fn load_staffing(dir: &Path) -> Result<RunData, AppError> {
        Self::load_parts(dir, false)
    }

    fn load_parts(dir: &Path, with_simulation: bool) -> Result<RunData, AppError> {
        let simulated = with_simulation && dir.join(INTERVALS).exists();
        let staffing: Vec<StaffingRecord> =
            read_optional_csv(&dir.join(STAFFING), "hotline staff")?;
        if !simulated && !dir.join(STAFFING).exists() {
            return Err(AppError::Input(format!(
                "{}: neither {INTERVALS} (written by `hotline simulate`) nor {STAFFING} (written \
                 by `hotline staff`) is here; give the output folder of one of them",
                dir.display()
            )));
        }
        let (intervals, pools, summary, waits, plan_vs_sim) = if simulated {
            let mut intervals = read_csv::<IntervalRecord>(&dir.join(INTERVALS))?;
            join_expected_calls(
                &mut intervals,
                read_optional_csv::<ArrivalRecord>(&dir.join(ARRIVALS), "hotline simulate")?,
            );
            (
                intervals,
                read_csv::<PoolRecord>(&dir.join("pools.csv"))?,
                read_summary(&dir.join("summary.csv"))?,
                read_csv::<WaitBinRow>(&dir.join("waits.csv"))?,
                read_optional_csv::<PlanVsSimRecord>(
                    &dir.join(PLAN_VS_SIM),
                    "hotline simulate --staffing",
                )?,
            )
        } else {
            Default::default()
        };
        let (classes, class_intervals, coverage): (Vec<ClassRecord>, _, _) = if simulated {
            let rows: Vec<ClassIntervalRecord> =
                read_optional_csv(&dir.join("class_intervals.csv"), "hotline simulate")?;
            (
                read_optional_csv(&dir.join("classes.csv"), "hotline simulate")?,
                rows.into_iter().map(|r| r.into_interval()).collect(),
                read_optional_csv(&dir.join("coverage.csv"), "hotline schedule")?,
            )
        } else {
            Default::default()
        };
        let facts_path = dir.join("run.json");
        let (facts, facts_known) = match std::fs::read_to_string(&facts_path) {
            Ok(text) => {
                let facts: RunFacts = serde_json::from_str(&text).map_err(|e| {
                    AppError::Input(format!("{}:{}: {e}", facts_path.display(), e.line()))
                })?;
                (facts, true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let starts = if simulated {
                    intervals.iter().map(|r| r.interval_start_s).collect()
                } else {
                    staffing.iter().map(|r| r.interval_start_s).collect()
                };
                (infer_facts(dir, starts), false)
            }
            Err(e) => {
                return Err(AppError::Input(format!("{}: {e}", facts_path.display())));
            }
        };
        Ok(RunData {
            facts,
            facts_known,
            simulated,
            intervals,
            pools,
            summary,
            waits,
            staffing,
            plan_vs_sim,
            classes,
            class_intervals,
            coverage,
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

    /// Queue names of the staffing plan in file order.
    pub fn staffing_queue_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for r in &self.staffing {
            if !names.contains(&r.queue.as_str()) {
                names.push(&r.queue);
            }
        }
        names
    }

    /// Start of the first and end of the last interval of the simulation and the staffing plan
    /// together, seconds.
    pub fn time_span(&self) -> (f64, f64) {
        let starts = || {
            self.intervals
                .iter()
                .map(|r| r.interval_start_s)
                .chain(self.staffing.iter().map(|r| r.interval_start_s))
        };
        let start = starts().fold(f64::INFINITY, f64::min);
        let last = starts().fold(f64::NEG_INFINITY, f64::max);
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
fn infer_facts(dir: &Path, mut starts: Vec<f64>) -> RunFacts {
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
        start: None,
        policy: None,
        replications: None,
    }
}

pub use super::aggregate::{
    Agg, MAX_POINTS, PoolAgg, PromiseAgg, StaffAgg, aggregate, aggregate_pools, aggregate_promises,
    aggregate_staffing, period_name, plot_period,
};

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
            ..IntervalRecord::default()
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

    /// A period's service level counts abandonment as the intervals do: answered within T ÷
    /// (answered + abandoned after T), summed over the period — 18 ÷ (30 + 10 − 2) here; not
    /// the mean of the intervals' 8/10 and 10/26, nor 18/40 (every abandonment a miss), nor
    /// 18/30 (abandonment left out).
    #[test]
    fn a_period_service_level_counts_abandoned_callers_after_the_threshold_only() {
        let with_abandoned =
            |start, answered, within, abandoned, abandoned_within| IntervalRecord {
                abandoned,
                abandoned_within_threshold: abandoned_within,
                offered: answered + abandoned,
                ..rec(start, "q", answered, within, Some(10.0))
            };
        let rows = vec![
            with_abandoned(0.0, 10, 8, 4, 2),
            with_abandoned(1800.0, 20, 10, 6, 0),
        ];
        let hourly = aggregate(&rows, "q", 3600.0);
        assert_eq!(hourly[0].service_level(), Some(18.0 / 38.0));
        assert_eq!(hourly[0].abandon_rate(), Some(10.0 / 40.0));
    }

    fn staff(start: f64, queue: &str, c: u32, a: u32, scheduled: u32) -> StaffingRecord {
        StaffingRecord {
            interval_start_s: start,
            queue: queue.into(),
            agents_erlang_c: c,
            agents_erlang_a: a,
            agents_required: c,
            agents_scheduled: scheduled,
        }
    }

    #[test]
    fn staffing_sums_queues_per_interval_and_averages_intervals_over_a_period() {
        let rows = vec![
            staff(0.0, "a", 10, 8, 12),
            staff(0.0, "b", 4, 3, 5),
            staff(1800.0, "a", 20, 18, 24),
            staff(1800.0, "b", 6, 5, 7),
            staff(3600.0, "a", 1, 1, 1),
        ];
        let hourly = aggregate_staffing(&rows, None, 3600.0);
        assert_eq!(hourly.len(), 2);
        // (10 + 4 + 20 + 6) / 2 intervals, not the sum 40.
        assert_eq!(hourly[0].erlang_c(), 20.0);
        assert_eq!(hourly[0].erlang_a(), 17.0);
        assert_eq!(hourly[0].scheduled(), 24.0);
        assert_eq!(hourly[1].erlang_c(), 1.0);
        let a = aggregate_staffing(&rows, Some("a"), 1800.0);
        assert_eq!(a.len(), 3);
        assert_eq!(a[1].erlang_a(), 18.0);
    }

    #[test]
    fn promised_service_level_is_weighted_by_calls_offered() {
        let row = |start: f64, offered: u64, p: Option<f64>| PlanVsSimRecord {
            interval_start_s: start,
            queue: "q".into(),
            offered,
            sl_promised: p,
            sl_simulated: None,
        };
        let rows = vec![
            row(0.0, 30, Some(0.9)),
            row(1800.0, 10, Some(0.5)),
            row(3600.0, 0, None),
        ];
        let hourly = aggregate_promises(&rows, None, 3600.0);
        assert!((hourly[0].service_level().unwrap() - 0.8).abs() < 1e-12);
        assert_eq!(hourly[1].service_level(), None, "no call: a gap");
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
