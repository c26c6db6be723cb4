//! A staffing plan read back: `staffing.csv` (as `hotline staff` writes it) → one headcount table
//! per pool as long as the horizon, and the figures the plan promised per interval and queue, for
//! `plan_vs_sim.csv`.
//!
//! Owns the checks that the file fits the scenario (queue names, interval length, interval count,
//! one row per interval × queue) with `file:line` in every message, and the queue → pool mapping
//! ([`queue_owners`]: a queue served by several pools is given to the most specialised one).
//! Also reads `coverage.csv` of `hotline schedule` (one row per interval × pool, the rostered
//! agents in `scheduled`) as the headcount itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::PlanError;
use crate::scenario::{Model, QueueId};
use crate::stats::IntervalRow;

/// What the plan promised for one interval × queue.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Promise {
    /// Agents on the phones (`agents_required`).
    pub agents: u32,
    /// Agents scheduled after shrinkage (`agents_scheduled`), when the file has the column.
    pub agents_scheduled: Option<u32>,
    /// Predicted SL as `intervals.csv` defines it (`service_level_excl_early_abandons`).
    pub service_level: Option<f64>,
    /// Predicted ASA, seconds.
    pub asa_s: Option<f64>,
}

/// A staffing plan fitted to a scenario.
#[derive(Debug, Clone)]
pub struct StaffingPlan {
    pub file: PathBuf,
    /// Agents per pool (outer, by `PoolId`) per interval of the horizon (inner).
    pub headcount: Vec<Vec<u32>>,
    /// Queues whose plan was computed at another SL threshold than the queue's own, which
    /// `intervals.csv` measures: (queue, plan threshold s, queue threshold s). Their
    /// `sl_promised` and `sl_simulated` measure different things; the app warns.
    pub threshold_mismatches: Vec<(String, f64, f64)>,
    /// Index `interval × queues + queue`.
    promised: Vec<Promise>,
    queues: usize,
    interval_s: f64,
}

/// The columns read; others are ignored.
#[derive(Debug, Deserialize)]
struct PlanRecord {
    interval_start_s: f64,
    queue: String,
    agents_required: u32,
    #[serde(default)]
    agents_scheduled: Option<u32>,
    service_level_excl_early_abandons: Option<f64>,
    asa_s: Option<f64>,
    /// Optional: older or hand-made plans may lack it.
    #[serde(default)]
    threshold_s: Option<f64>,
}

const COLUMNS: [&str; 5] = [
    "interval_start_s",
    "queue",
    "agents_required",
    "service_level_excl_early_abandons",
    "asa_s",
];

impl StaffingPlan {
    /// Reads `path` and fits it to `model`.
    ///
    /// # Errors
    /// [`PlanError::Unsupported`] if a queue is not served by exactly one pool;
    /// [`PlanError::File`] (with the line) for an unreadable or malformed file, an unknown
    /// queue, an interval start off the scenario's interval grid or beyond its horizon, a
    /// duplicate row, or a missing interval.
    pub fn read(path: &Path, model: &Model) -> Result<StaffingPlan, PlanError> {
        let pool_of_queue = pool_of_each_queue(model)?;
        if is_coverage(path) {
            return read_coverage(path, model);
        }
        let err = |line: Option<u64>, message: String| PlanError::File {
            file: path.to_path_buf(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(path)
            .map_err(|e| err(None, format!("cannot read the staffing plan: {e}")))?;
        let headers = reader
            .headers()
            .map_err(|e| err(Some(1), format!("cannot read the header: {e}")))?
            .clone();
        for c in COLUMNS {
            if !headers.iter().any(|h| h == c) {
                return Err(err(
                    Some(1),
                    format!(
                        "missing column `{c}`; a staffing plan is the staffing.csv `hotline staff` writes"
                    ),
                ));
            }
        }
        let nq = model.queues.len();
        let intervals = model.interval_count();
        let queue_index: HashMap<&str, usize> = model
            .queues
            .iter()
            .enumerate()
            .map(|(i, q)| (q.name.as_str(), i))
            .collect();
        let mut promised = vec![Promise::default(); intervals as usize * nq];
        let mut seen = vec![false; promised.len()];
        let mut last_line = 1;
        let mut threshold_mismatches: Vec<(String, f64, f64)> = Vec::new();
        // The plan's own interval: the smallest step between a queue's successive rows. A plan
        // made at another interval than the scenario's is named as such, not as missing rows.
        let mut last_start: Vec<Option<f64>> = vec![None; nq];
        let mut plan_step: Option<f64> = None;
        let other_interval = |step: Option<f64>| -> Option<String> {
            let step = step.filter(|s| (s - model.interval_s).abs() > 1e-6)?;
            Some(format!(
                "the plan's interval is {}, the scenario's {}: make the plan on this scenario \
                 (`hotline staff`), or give the scenario the plan's interval",
                crate::time::format_duration(crate::time::Seconds(step)),
                crate::time::format_duration(crate::time::Seconds(model.interval_s))
            ))
        };
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| p.line());
                    let message = match e.kind() {
                        csv::ErrorKind::UnequalLengths {
                            expected_len, len, ..
                        } => format!("{len} fields where the header has {expected_len}"),
                        _ => e.to_string(),
                    };
                    return Err(err(line, format!("malformed CSV: {message}")));
                }
            }
            let line = record.position().map_or(last_line + 1, |p| p.line());
            last_line = line;
            let r: PlanRecord = record.deserialize(Some(&headers)).map_err(|e| {
                err(
                    Some(line),
                    format!("malformed row: {}", csv_message(&e, &headers)),
                )
            })?;
            let q = *queue_index
                .get(r.queue.as_str())
                .ok_or_else(|| err(Some(line), unknown_queue(model, &r.queue)))?;
            if let Some(prev) = last_start[q] {
                let step = r.interval_start_s - prev;
                if step > 0.0 && plan_step.is_none_or(|s| step < s) {
                    plan_step = Some(step);
                }
            }
            last_start[q] = Some(r.interval_start_s);
            let k = r.interval_start_s / model.interval_s;
            if !(k.is_finite() && k >= 0.0 && (k - k.round()).abs() < 1e-6) {
                if let Some(m) = other_interval(plan_step) {
                    return Err(err(Some(line), m));
                }
                return Err(err(
                    Some(line),
                    format!(
                        "interval_start_s {} is not on the scenario's {} s interval grid",
                        r.interval_start_s, model.interval_s
                    ),
                ));
            }
            let k = k.round() as u64;
            if k >= intervals {
                return Err(err(
                    Some(line),
                    format!(
                        "interval {} is beyond the scenario's horizon of {} days ({intervals} intervals): the plan covers more intervals than the horizon",
                        model.calendar.label(r.interval_start_s),
                        model.days
                    ),
                ));
            }
            let slot = k as usize * nq + q;
            if seen[slot] {
                return Err(err(
                    Some(line),
                    format!(
                        "a second row for queue `{}` in interval {}",
                        r.queue,
                        model.calendar.label(r.interval_start_s)
                    ),
                ));
            }
            seen[slot] = true;
            let own = model.queues[q].sl_threshold_s;
            let planned = r.threshold_s.filter(|t| (t - own).abs() > 1e-9);
            match planned {
                Some(t) if !threshold_mismatches.iter().any(|m| m.0 == r.queue) => {
                    threshold_mismatches.push((r.queue.clone(), t, own));
                }
                _ => {}
            }
            promised[slot] = Promise {
                agents: r.agents_required,
                agents_scheduled: r.agents_scheduled,
                service_level: r.service_level_excl_early_abandons,
                asa_s: r.asa_s,
            };
        }
        if let Some(slot) = seen.iter().position(|s| !s) {
            let (k, q) = (slot / nq, slot % nq);
            let rows = seen.iter().filter(|s| **s).count();
            if let Some(m) = other_interval(plan_step) {
                return Err(err(Some(last_line), m));
            }
            return Err(err(
                Some(last_line),
                format!(
                    "the plan has {rows} interval × queue rows, the scenario needs {} ({} days × {} intervals × {nq} queues); the first missing is queue `{}` in interval {}",
                    seen.len(),
                    model.days,
                    model.intervals_per_day(),
                    model.queues[q].name,
                    model.calendar.label(k as f64 * model.interval_s)
                ),
            ));
        }
        let mut headcount = vec![vec![0u32; intervals as usize]; model.pools.len()];
        for (slot, p) in promised.iter().enumerate() {
            let (k, q) = (slot / nq, slot % nq);
            let pool = &mut headcount[pool_of_queue[q]][k];
            *pool = pool.saturating_add(p.agents);
        }
        Ok(StaffingPlan {
            file: path.to_path_buf(),
            headcount,
            threshold_mismatches,
            promised,
            queues: nq,
            interval_s: model.interval_s,
        })
    }

    /// Replaces every pool's headcount by the plan's (horizon-long tables: not repeated).
    pub fn apply(&self, model: &mut Model) {
        for (pool, table) in model.pools.iter_mut().zip(&self.headcount) {
            pool.headcount.clone_from(table);
        }
    }

    /// Whether the plan promises figures (a `staffing.csv`), so `plan_vs_sim.csv` has rows; a
    /// `coverage.csv` gives headcounts only.
    pub fn promises(&self) -> bool {
        !self.promised.is_empty()
    }

    /// What the plan promised for queue `q` in interval `k`, if the plan covers it.
    pub fn promise(&self, k: u64, q: QueueId) -> Option<Promise> {
        self.promised
            .get(k as usize * self.queues + q.0 as usize)
            .copied()
    }

    /// The `plan_vs_sim.csv` row for a simulated queue row (`None` for `all` rows and rows the
    /// plan does not cover).
    pub fn compare(&self, model: &Model, row: &IntervalRow) -> Option<PlanVsSimRow> {
        let q = model.queues.iter().position(|q| q.name == row.queue)?;
        let k = (row.interval_start_s / self.interval_s).round() as u64;
        let p = self.promise(k, QueueId(q as u32))?;
        let sl_promised = p.service_level;
        Some(PlanVsSimRow {
            interval_start: row.interval_start.clone(),
            interval_start_s: row.interval_start_s,
            queue: row.queue.clone(),
            agents: p.agents,
            offered: row.offered,
            sl_promised,
            sl_simulated: row.service_level,
            sl_gap: sl_promised.zip(row.service_level).map(|(p, s)| s - p),
            asa_promised_s: p.asa_s,
            asa_simulated_s: row.asa_s,
            weekday: row.weekday,
        })
    }
}

/// "queue `name` is not in the scenario (its queues: a, b)".
pub fn unknown_queue(model: &Model, name: &str) -> String {
    let names: Vec<&str> = model.queues.iter().map(|q| q.name.as_str()).collect();
    format!(
        "queue `{name}` is not in the scenario (its queues: {})",
        names.join(", ")
    )
}

/// For each queue, the pool its agents are planned in.
fn pool_of_each_queue(model: &Model) -> Result<Vec<usize>, PlanError> {
    queue_owners(model)
        .into_iter()
        .enumerate()
        .map(|(q, p)| {
            p.ok_or_else(|| {
                PlanError::Unsupported(format!(
                    "queue `{}` is served by no pool",
                    model.queues[q].name
                ))
            })
        })
        .collect()
}

/// For each queue, the pool its requirement is planned in (`None`: no pool serves it). A queue
/// served by several pools is given whole to the most specialised of them: the pool serving
/// the fewest queues, the first in the file on a tie. The specialists are planned to carry
/// their queue alone, so no agent is counted twice; the help a shared queue gets from the
/// other pools in the simulation is margin, not planned capacity.
pub fn queue_owners(model: &Model) -> Vec<Option<usize>> {
    (0..model.queues.len())
        .map(|q| {
            model
                .pools
                .iter()
                .enumerate()
                .filter(|(_, p)| p.serves.contains(&QueueId(q as u32)))
                .min_by_key(|(i, p)| (p.serves.len(), *i))
                .map(|(i, _)| i)
        })
        .collect()
}

/// Whether `path` is a `coverage.csv` of `hotline schedule` (a `pool` and a `scheduled` column).
fn is_coverage(path: &Path) -> bool {
    csv::Reader::from_path(path)
        .and_then(|mut r| r.headers().cloned())
        .is_ok_and(|h| h.iter().any(|c| c == "pool") && h.iter().any(|c| c == "scheduled"))
}

#[derive(Debug, Deserialize)]
struct CoverageRecord {
    interval_start_s: f64,
    pool: String,
    scheduled: u32,
}

/// `coverage.csv`: the rostered agents on the phones per interval × pool become the pools'
/// headcounts; there are no promised figures (no `plan_vs_sim.csv` is written).
fn read_coverage(path: &Path, model: &Model) -> Result<StaffingPlan, PlanError> {
    let err = |line: Option<u64>, message: String| PlanError::File {
        file: path.to_path_buf(),
        line,
        message,
    };
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| err(None, format!("cannot read the coverage file: {e}")))?;
    let intervals = model.interval_count() as usize;
    let mut headcount = vec![vec![0u32; intervals]; model.pools.len()];
    let mut seen = vec![vec![false; intervals]; model.pools.len()];
    let mut line = 1;
    for row in reader.deserialize::<CoverageRecord>() {
        line += 1;
        let r = row.map_err(|e| err(Some(line), format!("malformed row: {e}")))?;
        let p = model
            .pools
            .iter()
            .position(|p| p.name == r.pool)
            .ok_or_else(|| {
                err(
                    Some(line),
                    format!("pool `{}` is not in the scenario", r.pool),
                )
            })?;
        let k = r.interval_start_s / model.interval_s;
        if !(k.is_finite() && k >= 0.0 && (k - k.round()).abs() < 1e-6)
            || k.round() as usize >= intervals
        {
            return Err(err(
                Some(line),
                format!(
                    "interval_start_s {} is not an interval of the scenario's horizon",
                    r.interval_start_s
                ),
            ));
        }
        let k = k.round() as usize;
        if std::mem::replace(&mut seen[p][k], true) {
            return Err(err(
                Some(line),
                format!("a second row for pool `{}` in that interval", r.pool),
            ));
        }
        headcount[p][k] = r.scheduled;
    }
    if let Some((p, k)) = seen
        .iter()
        .enumerate()
        .find_map(|(p, s)| s.iter().position(|x| !x).map(|k| (p, k)))
    {
        return Err(err(
            Some(line),
            format!(
                "no row for pool `{}` in interval {}: the coverage must cover every pool and interval of the horizon",
                model.pools[p].name,
                model.calendar.label(k as f64 * model.interval_s)
            ),
        ));
    }
    Ok(StaffingPlan {
        file: path.to_path_buf(),
        headcount,
        threshold_mismatches: Vec::new(),
        promised: Vec::new(),
        queues: model.queues.len(),
        interval_s: model.interval_s,
    })
}

/// csv's deserialize errors carry their own position prefix; keep the part after it and name
/// the column.
fn csv_message(e: &csv::Error, headers: &csv::StringRecord) -> String {
    match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let field = err
                .field()
                .and_then(|i| headers.get(i as usize))
                .map_or(String::new(), |c| format!("column `{c}`: "));
            format!("{field}{}", err.kind())
        }
        _ => e.to_string(),
    }
}

/// One row of `plan_vs_sim.csv`: what the plan promised beside what the simulation gave, per
/// interval × queue.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PlanVsSimRow {
    /// Start of the interval: `2026-11-30T08:00`, or `d1 Mon 08:00` without a `start`.
    pub interval_start: String,
    pub interval_start_s: f64,
    pub queue: String,
    /// Agents the plan put on the phones for this queue (`agents_required`).
    pub agents: u32,
    /// Calls the simulation offered to the queue.
    pub offered: u64,
    /// The plan's predicted SL in `intervals.csv`'s definition (answered within the threshold
    /// over answered + abandoned after it).
    pub sl_promised: Option<f64>,
    /// `service_level` of the simulated interval.
    pub sl_simulated: Option<f64>,
    /// sl_simulated − sl_promised: negative where the simulation fell short.
    pub sl_gap: Option<f64>,
    pub asa_promised_s: Option<f64>,
    pub asa_simulated_s: Option<f64>,
    /// Weekday of the interval's start: `Mon` … `Sun`.
    pub weekday: &'static str,
}
