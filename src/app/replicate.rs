//! Runs several replications of one scenario on a rayon pool and folds their rows, interval by
//! interval, into [`FoldedRow`]s (sufficient statistics: n, exact Σx, Σx², min, max per metric).
//!
//! # Memory and order
//! Replications run in lockstep, one simulated day at a time: every replication's engine
//! advances to the same day boundary in parallel, its closed rows are flattened into cells and
//! queued per replication; then each interval closed by *every* replication is taken out and,
//! while the next day is simulated, folded (in parallel over intervals, replications in index
//! order within) and handed to a [`Sink`] in time order. Memory is N engines plus the few intervals one replication has closed and
//! another not yet — never a replication's year of rows. The fold is exact, so any thread
//! count, and any split into shards merged later, gives the same bits.
//!
//! A replication is a pure function of (model, seed, replication index): its streams come from
//! `StreamKey::new(seed, index)` only, so variants (staffing files) run on the same indices see
//! the same callers (common random numbers).

use std::collections::VecDeque;

use rayon::prelude::*;

use super::AppError;
use crate::arrivals::ScenarioArrivals;
use crate::engine::Engine;
use crate::plan::StaffingPlan;
use crate::random::StreamKey;
use crate::report::replications::FoldedCsv;
use crate::report::run_files::{WaitBinRow, wait_bins};
use crate::routing::LongestIdleOldestCall;
use crate::scenario::{Model, QueueId};
use crate::stats::cells::{Cell, Flat, flatten};
use crate::stats::fold::{FoldedRow, Schema};
use crate::stats::{IntervalStats, WaitHistogram};

/// The interval tables, in the order of [`TABLES`].
pub const TABLES: [&str; 4] = ["intervals", "arrivals", "pools", "plan_vs_sim"];
const INTERVALS: usize = 0;
const ARRIVALS: usize = 1;
const POOLS: usize = 2;
const PLAN: usize = 3;

/// Where folded interval rows go: CSV files (a run, a merge), a shard's partial files, nowhere.
pub trait Sink: Send {
    /// Rows of table `table` (index into [`TABLES`]), in time order.
    fn rows(&mut self, table: usize, schema: &Schema, rows: &[FoldedRow]) -> Result<(), AppError>;
    /// True for a CSV sink: the runner then encodes rows in parallel and calls
    /// [`Sink::csv_bytes`] instead of [`Sink::rows`] (the same bytes, off the serial path).
    fn csv(&self) -> bool {
        false
    }
    /// Rows of table `table` encoded by `report::replications::FoldedCsv::encode`.
    fn csv_bytes(
        &mut self,
        _table: usize,
        _schema: &Schema,
        _bytes: &[u8],
    ) -> Result<(), AppError> {
        Ok(())
    }
}

/// A sink that keeps nothing (replications run for their summaries only).
pub struct Discard;

impl Sink for Discard {
    fn rows(&mut self, _: usize, _: &Schema, _: &[FoldedRow]) -> Result<(), AppError> {
        Ok(())
    }
}

/// What to run.
#[derive(Clone, Copy)]
pub struct Spec<'a> {
    pub model: &'a Model,
    /// A staffing plan already applied to `model`, for `plan_vs_sim`.
    pub plan: Option<&'a StaffingPlan>,
    /// Statistics of intervals starting before this are dropped, seconds.
    pub warmup_s: f64,
    /// Fold the interval tables (false: summaries only, faster).
    pub intervals: bool,
}

/// The whole-run results of the replications.
pub struct Replicated {
    /// Indices run, ascending.
    pub replications: Vec<u64>,
    pub summary_schema: Schema,
    /// Per queue, then `all`: the summary rows folded over replications.
    pub summary: Vec<FoldedRow>,
    /// Each replication's summary rows (cells under `summary_schema`), replication order.
    pub per_replication: Vec<(u64, Vec<Vec<Cell>>)>,
    /// `waits.csv` rows of the waits of all replications pooled.
    pub waits: Vec<WaitBinRow>,
}

type Engine1<'m> = Engine<'m, ScenarioArrivals, LongestIdleOldestCall, IntervalStats>;

struct Rep<'m> {
    index: u64,
    engine: Option<Engine1<'m>>,
    queued: Queued,
    summary: Option<(Schema, Vec<Vec<Cell>>)>,
    waits: Vec<WaitHistogram>,
}

impl<'m> Rep<'m> {
    fn new(spec: &Spec<'m>, index: u64) -> Result<Self, AppError> {
        let model = spec.model;
        let key = StreamKey::new(model.seed, index);
        let arrivals = ScenarioArrivals::new(model, key)
            .map_err(|e| AppError::Input(format!("cannot read the replayed call log: {e}")))?;
        let mut stats = IntervalStats::new(model);
        stats.set_warmup(spec.warmup_s);
        Ok(Rep {
            index,
            engine: Some(Engine::new(
                model,
                arrivals,
                LongestIdleOldestCall,
                stats,
                key,
            )),
            queued: Queued::default(),
            summary: None,
            waits: Vec::new(),
        })
    }

    /// Runs to `until`, queues the closed rows; at the horizon also the summary.
    fn step(&mut self, spec: &Spec<'m>, until: f64) -> Result<(), AppError> {
        let Some(engine) = self.engine.as_mut() else {
            return Ok(());
        };
        engine.run_until(until);
        if engine.overflowed() {
            return Err(AppError::Input(format!(
                "{}: more than {} callers in the system at once (replication {}, day {}): the \
                 scenario has no capacity for them — staff the queues they wait in, or give \
                 callers a patience",
                spec.model.source.display(),
                crate::engine::MAX_IN_SYSTEM,
                self.index,
                (until / crate::time::DAY).ceil()
            )));
        }
        if !engine.finished() {
            let stats = engine.observer_mut();
            self.queued.rows(spec, stats);
            return Ok(());
        }
        let engine = self.engine.take().expect("checked above");
        let mut stats = engine.into_observer();
        stats.finish();
        self.queued.rows(spec, &mut stats);
        let rows: Vec<Flat> = stats.summary().iter().map(flatten).collect();
        let schema = Schema::of(&rows[0]);
        self.summary = Some((schema, rows.into_iter().map(|f| f.cells).collect()));
        let nq = spec.model.queues.len();
        self.waits = (0..nq)
            .map(|q| Some(QueueId(q as u32)))
            .chain(std::iter::once(None))
            .map(|q| stats.waits(q))
            .collect();
        Ok(())
    }
}

/// One replication's closed rows not yet folded.
#[derive(Default)]
struct Queued {
    /// Per table: closed intervals, each a group of rows (cells).
    pending: [VecDeque<Vec<Vec<Cell>>>; 4],
    schemas: [Option<Schema>; 4],
}

impl Queued {
    fn rows(&mut self, spec: &Spec, stats: &mut IntervalStats) {
        // Per-class rows are not folded over replications yet: dropped, so memory stays flat.
        drop(stats.drain_class_rows());
        let (rows, pool_rows) = stats.drain_rows();
        if !spec.intervals {
            rows.for_each(drop);
            pool_rows.for_each(drop);
            return;
        }
        let model = spec.model;
        let mut last = [None::<u64>; 4];
        for r in rows {
            let key = r.interval_start_s.to_bits();
            self.push(INTERVALS, key, &mut last, flatten(&r));
            self.push(
                ARRIVALS,
                key,
                &mut last,
                flatten(&crate::report::arrival_row(model, &r)),
            );
            if let Some(plan) = spec.plan {
                if let Some(row) = plan.compare(model, &r) {
                    self.push(PLAN, key, &mut last, flatten(&row));
                }
            }
        }
        for r in pool_rows {
            let key = r.interval_start_s.to_bits();
            self.push(POOLS, key, &mut last, flatten(&r));
        }
    }

    /// Appends a row to table `t`, starting a new group when the interval changes.
    fn push(&mut self, t: usize, key: u64, last: &mut [Option<u64>; 4], f: Flat) {
        if self.schemas[t].is_none() {
            self.schemas[t] = Some(Schema::of(&f));
        }
        if last[t] != Some(key) || self.pending[t].is_empty() {
            self.pending[t].push_back(Vec::new());
            last[t] = Some(key);
        }
        self.pending[t]
            .back_mut()
            .expect("pushed above")
            .push(f.cells);
    }
}

/// Folds one interval group: `groups[r]` is replication r's rows of that interval.
fn fold_group(schema: &Schema, groups: &[Vec<Vec<Cell>>]) -> Vec<FoldedRow> {
    let first = &groups[0];
    let mut out: Vec<FoldedRow> = first.iter().map(|c| FoldedRow::new(schema, c)).collect();
    for g in groups {
        debug_assert_eq!(g.len(), first.len(), "replications close the same rows");
        for (f, cells) in out.iter_mut().zip(g) {
            f.add(schema, cells);
        }
    }
    out
}

/// The intervals of one table closed by every replication, taken out of their queues:
/// `groups[interval][replication]` = rows.
struct Ready {
    table: usize,
    schema: Schema,
    groups: Vec<Vec<Vec<Vec<Cell>>>>,
}

/// Takes every interval closed by all replications out of their queues (moves only: cheap, so
/// the serial part between two simulated days stays short).
fn take_ready(reps: &mut [Rep]) -> Vec<Ready> {
    let mut out = Vec::new();
    for t in 0..TABLES.len() {
        let ready = reps
            .iter()
            .map(|r| r.queued.pending[t].len())
            .min()
            .unwrap_or(0);
        if ready == 0 {
            continue;
        }
        let Some(schema) = reps.iter().find_map(|r| r.queued.schemas[t].clone()) else {
            continue;
        };
        let mut groups: Vec<Vec<Vec<Vec<Cell>>>> = (0..ready).map(|_| Vec::new()).collect();
        for r in reps.iter_mut() {
            for g in groups.iter_mut() {
                g.push(r.queued.pending[t].pop_front().expect("ready ≤ len"));
            }
        }
        out.push(Ready {
            table: t,
            schema,
            groups,
        });
    }
    out
}

/// Folds and hands taken intervals to the sink, in time order per table.
fn flush(ready: Vec<Ready>, sink: &mut dyn Sink) -> Result<(), AppError> {
    for Ready {
        table: t,
        schema,
        groups,
    } in ready
    {
        let name = TABLES[t];
        if sink.csv() {
            let encoded: Vec<std::io::Result<Vec<u8>>> = groups
                .par_iter()
                .map(|g| FoldedCsv::encode(&schema, &fold_group(&schema, g)))
                .collect();
            let mut bytes = Vec::new();
            for e in encoded {
                bytes.extend(e.map_err(|e| AppError::Output(format!("{name}.csv: {e}")))?);
            }
            sink.csv_bytes(t, &schema, &bytes)?;
            continue;
        }
        let folded: Vec<Vec<FoldedRow>> =
            groups.par_iter().map(|g| fold_group(&schema, g)).collect();
        let rows: Vec<FoldedRow> = folded.into_iter().flatten().collect();
        sink.rows(t, &schema, &rows)?;
    }
    Ok(())
}

/// Called after each simulated day with (days done, days in the horizon), for progress bars.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// Runs replications `indices` (ascending) of `spec` on `threads` threads (`None`: one per
/// core), folding interval rows into `sink`.
pub fn run(
    spec: &Spec,
    indices: &[u64],
    threads: Option<usize>,
    sink: &mut dyn Sink,
    progress: Option<Progress>,
) -> Result<Replicated, AppError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        builder = builder.num_threads(t);
    }
    let pool = builder
        .build()
        .map_err(|e| AppError::Output(format!("cannot start worker threads: {e}")))?;
    pool.install(|| run_in_pool(spec, indices, sink, progress))
}

fn run_in_pool(
    spec: &Spec,
    indices: &[u64],
    sink: &mut dyn Sink,
    progress: Option<Progress>,
) -> Result<Replicated, AppError> {
    let mut reps = indices
        .iter()
        .map(|&i| Rep::new(spec, i))
        .collect::<Result<Vec<_>, _>>()?;
    let days = (spec.model.horizon_s() / crate::time::DAY).ceil() as u64;
    let mut until = 0.0;
    let mut day = 0;
    // Day d's rows are folded and written while day d + 1 is simulated (`rayon::join`): the
    // fold no longer waits for the slowest replication, nor the replications for the fold, so
    // no worker idles at the day boundary while the other folds alone. The order of the rows
    // handed to the sink is unchanged (time order, replications in index order), so the bytes
    // are those of any thread count.
    let mut ready: Vec<Ready> = Vec::new();
    while reps.iter().any(|r| r.engine.is_some()) {
        until += crate::time::DAY;
        day += 1;
        let (stepped, flushed) = rayon::join(
            || {
                reps.par_iter_mut()
                    .map(|r| r.step(spec, until))
                    .collect::<Result<Vec<()>, AppError>>()
            },
            || flush(std::mem::take(&mut ready), sink),
        );
        stepped?;
        flushed?;
        ready = take_ready(&mut reps);
        if let Some(p) = progress {
            p(day.min(days), days);
        }
    }
    flush(ready, sink)?;
    let mut per_replication = Vec::with_capacity(reps.len());
    let mut summary_schema = None;
    let nq = spec.model.queues.len();
    let mut pooled = vec![WaitHistogram::default(); nq + 1];
    for r in &mut reps {
        let (schema, rows) = r.summary.take().expect("every replication finished");
        summary_schema.get_or_insert(schema);
        per_replication.push((r.index, rows));
        for (p, w) in pooled.iter_mut().zip(&r.waits) {
            p.merge(w);
        }
    }
    let schema = summary_schema.ok_or_else(|| AppError::Input("no replications to run".into()))?;
    let groups: Vec<Vec<Vec<Cell>>> = per_replication.iter().map(|(_, r)| r.clone()).collect();
    let summary = fold_group(&schema, &groups);
    let names = spec
        .model
        .queues
        .iter()
        .map(|q| q.name.as_str())
        .chain(std::iter::once("all"));
    let waits = names
        .zip(&pooled)
        .flat_map(|(n, h)| wait_bins(n, h))
        .collect();
    Ok(Replicated {
        replications: indices.to_vec(),
        summary_schema: schema,
        summary,
        per_replication,
        waits,
    })
}

/// Replications `[from, to)` of shard `k` (1-based) of `n` over `total` replications: contiguous
/// blocks, the first `total % n` shards one longer.
pub fn shard_range(k: u64, n: u64, total: u64) -> (u64, u64) {
    let from = (k - 1) * total / n;
    let to = k * total / n;
    (from, to)
}

/// Merges `waits.csv` rows of several shards: calls add up per bin, the tail bin reaches the
/// furthest end. Equal to the rows of the pooled histogram (bins are sums of whole buckets).
pub fn merge_waits(parts: &[Vec<WaitBinRow>], queues: &[String]) -> Vec<WaitBinRow> {
    let mut out = Vec::new();
    for q in queues {
        let mut rows: Vec<WaitBinRow> = Vec::new();
        for part in parts {
            for r in part.iter().filter(|r| &r.queue == q) {
                let tail = r.wait_from_s >= crate::report::run_files::WAIT_TAIL_FROM_S;
                match rows.iter_mut().find(|x| {
                    x.wait_from_s == r.wait_from_s && (tail || x.wait_to_s == r.wait_to_s)
                }) {
                    Some(x) => {
                        x.calls += r.calls;
                        x.wait_to_s = x.wait_to_s.max(r.wait_to_s);
                    }
                    None => rows.push(r.clone()),
                }
            }
        }
        rows.sort_by(|a, b| {
            (a.wait_from_s, a.wait_to_s)
                .partial_cmp(&(b.wait_from_s, b.wait_to_s))
                .expect("finite bin edges")
        });
        out.extend(rows);
    }
    out
}
