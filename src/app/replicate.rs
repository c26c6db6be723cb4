//! Runs several replications of one scenario on a rayon pool's threads and folds their rows, interval by
//! interval, into [`FoldedRow`]s (sufficient statistics: n, exact Σx, Σx², min, max per metric).
//!
//! # Memory and order
//! Replications advance one simulated day at a time, each at most [`LAG_DAYS`] ahead of the
//! slowest: a step's closed rows are kept as their metric values ([`Group`]: numbers only, the
//! keys from the first replication alone) per interval and replication;
//! once every replication has closed a day, a worker folds it (interval by interval,
//! replications in index order) and the days reach the [`Sink`] in time order. Memory is N
//! engines plus a few days of rows — never a replication's year of rows. The fold is exact,
//! so any thread count, and any split into shards merged later, gives the same bits.
//!
//! A replication is a pure function of (model, seed, replication index): its streams come from
//! `StreamKey::new(seed, index)` only, so variants (staffing files) run on the same indices see
//! the same callers (common random numbers).

use std::collections::VecDeque;

use super::AppError;
use crate::arrivals::ScenarioArrivals;
use crate::engine::Engine;
use crate::plan::StaffingPlan;
use crate::random::StreamKey;
use crate::report::periods::{PeriodFold, PeriodRow};
use crate::report::replications::RowEncoder;
use crate::report::run_files::{WaitBinRow, wait_bins};
use crate::routing::LongestIdleOldestCall;
use crate::scenario::{Model, QueueId};
use crate::stats::cells::{Cell, Flat, flatten, metrics_into};
use crate::stats::fold::{FoldedRow, Schema};
use crate::stats::{IntervalStats, WaitHistogram};
use crate::time::{DAY, WEEK};

/// The interval tables, in the order of [`TABLES`].
/// `daily` and `weekly` are each replication's intervals summed per day and per week of the
/// run (`report::periods::PeriodRow`), folded like the interval rows: their half-widths are
/// over the replications' own days, which the interval rows' half-widths cannot give.
pub const TABLES: [&str; 7] = [
    "intervals",
    "arrivals",
    "pools",
    "plan_vs_sim",
    "class_intervals",
    "daily",
    "weekly",
];
const INTERVALS: usize = 0;
const ARRIVALS: usize = 1;
const POOLS: usize = 2;
const PLAN: usize = 3;
const CLASSES: usize = 4;
const DAILY: usize = 5;
const WEEKLY: usize = 6;

/// Which of the optional tables a run writes: `plan_vs_sim` with a staffing plan,
/// `class_intervals` (and `classes.csv`) when some queue has caller classes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Optional {
    pub plan: bool,
    pub classes: bool,
}

impl Optional {
    /// The optional tables of a run of `spec`.
    pub fn of(spec: &Spec) -> Optional {
        Optional {
            plan: spec.plan.is_some(),
            classes: spec.model.queues.iter().any(|q| !q.classes.is_empty()),
        }
    }

    /// Whether table `t` (index into [`TABLES`]) is written.
    pub fn writes(&self, t: usize) -> bool {
        match t {
            PLAN => self.plan,
            CLASSES => self.classes,
            _ => true,
        }
    }
}

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
    /// `classes.csv` (per queue × caller class) folded over replications, when some queue
    /// has caller classes.
    pub classes: Option<(Schema, Vec<FoldedRow>)>,
    /// `journeys.csv` (per queue and `all`) folded over replications, when the scenario's
    /// redials are `same_caller`.
    pub journeys: Option<(Schema, Vec<FoldedRow>)>,
    /// `waits.csv` rows of the waits of all replications pooled.
    pub waits: Vec<WaitBinRow>,
}

type Engine1<'m> = Engine<'m, ScenarioArrivals, LongestIdleOldestCall, IntervalStats>;

struct Rep<'m> {
    index: u64,
    engine: Option<Engine1<'m>>,
    queued: Queued,
    summary: Option<(Schema, Vec<Vec<Cell>>)>,
    /// `classes.csv` rows at the horizon (with caller classes).
    classes: Option<(Schema, Vec<Vec<Cell>>)>,
    /// `journeys.csv` rows at the horizon (`[redial] same_caller`).
    journeys: Option<(Schema, Vec<Vec<Cell>>)>,
    waits: Vec<WaitHistogram>,
}

impl<'m> Rep<'m> {
    /// Replication `index`; `keys`: it keeps the key cells of its rows (the first replication
    /// run: folded rows take their keys from it).
    fn new(spec: &Spec<'m>, index: u64, keys: bool) -> Result<Self, AppError> {
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
            queued: Queued {
                keys,
                ..Queued::default()
            },
            summary: None,
            classes: None,
            journeys: None,
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
        self.queued.close_periods(spec);
        let cells = |rows: Vec<Flat>| {
            let schema = Schema::of(rows.first()?);
            Some((schema, rows.into_iter().map(|f| f.cells).collect()))
        };
        self.summary = cells(stats.summary().iter().map(flatten).collect());
        self.classes = stats
            .class_summary()
            .and_then(|rows| cells(rows.iter().map(flatten).collect()));
        self.journeys = stats
            .journey_summary()
            .and_then(|rows| cells(rows.iter().map(flatten).collect()));
        let nq = spec.model.queues.len();
        self.waits = (0..nq)
            .map(|q| Some(QueueId(q as u32)))
            .chain(std::iter::once(None))
            .map(|q| stats.waits(q))
            .collect();
        Ok(())
    }
}

/// One replication's rows of one closed interval in one table.
#[derive(Default)]
struct Group {
    /// Rows in the interval.
    rows: usize,
    /// The metric cells of the rows, row after row (`Schema` order, keys left out; NaN for an
    /// empty cell).
    metrics: Vec<f64>,
    /// The key cells of each row; only the replication that keeps keys fills them.
    keys: Vec<Vec<Cell>>,
}

/// One replication's closed rows not yet folded.
#[derive(Default)]
struct Queued {
    /// Per table: closed intervals, oldest first.
    pending: Groups,
    schemas: [Option<Schema>; TABLES.len()],
    /// Keep the key cells of the rows (see [`Group::keys`]).
    keys: bool,
    /// The open day and week of this replication's intervals (`None` before the first row).
    periods: Option<[PeriodFold; 2]>,
}

impl Queued {
    fn rows(&mut self, spec: &Spec, stats: &mut IntervalStats) {
        let class_rows = stats.drain_class_rows();
        let (rows, pool_rows) = stats.drain_rows();
        if !spec.intervals {
            rows.for_each(drop);
            pool_rows.for_each(drop);
            return;
        }
        let model = spec.model;
        let mut last = [None::<u64>; TABLES.len()];
        let mut periods = self
            .periods
            .take()
            .unwrap_or_else(|| [DAY, WEEK].map(|p| PeriodFold::new(model, p)));
        let mut closed = [Vec::new(), Vec::new()];
        for r in rows {
            let key = r.interval_start_s.to_bits();
            for (fold, out) in periods.iter_mut().zip(&mut closed) {
                fold.add(&r, out);
            }
            self.push(INTERVALS, key, &mut last, &r);
            self.push(
                ARRIVALS,
                key,
                &mut last,
                &crate::report::arrival_row(model, &r),
            );
            if let Some(plan) = spec.plan {
                if let Some(row) = plan.compare(model, &r) {
                    self.push(PLAN, key, &mut last, &row);
                }
            }
        }
        for r in pool_rows {
            let key = r.interval_start_s.to_bits();
            self.push(POOLS, key, &mut last, &r);
        }
        for r in &class_rows {
            let key = r.interval_start_s.to_bits();
            self.push(CLASSES, key, &mut last, r);
        }
        self.push_periods(&closed, &mut last);
        self.periods = Some(periods);
    }

    /// Queues the rows of the last day and week (at the horizon).
    fn close_periods(&mut self, spec: &Spec) {
        let (Some(mut periods), true) = (self.periods.take(), spec.intervals) else {
            return;
        };
        let mut closed = [Vec::new(), Vec::new()];
        for (fold, out) in periods.iter_mut().zip(&mut closed) {
            fold.finish(out);
        }
        let mut last = [None::<u64>; TABLES.len()];
        self.push_periods(&closed, &mut last);
    }

    /// Queues closed days (`closed[0]`) and weeks (`closed[1]`), one group per period.
    fn push_periods(
        &mut self,
        closed: &[Vec<PeriodRow>; 2],
        last: &mut [Option<u64>; TABLES.len()],
    ) {
        for (t, rows) in [DAILY, WEEKLY].into_iter().zip(closed) {
            for r in rows {
                self.push(t, r.period_start_s.to_bits(), last, r);
            }
        }
    }

    /// Appends a row to table `t`, starting a new group when the interval changes. The first
    /// row of a table makes its schema.
    fn push<T: serde::Serialize>(
        &mut self,
        t: usize,
        key: u64,
        last: &mut [Option<u64>; TABLES.len()],
        row: &T,
    ) {
        let flat = (self.keys || self.schemas[t].is_none()).then(|| flatten(row));
        let schema = self.schemas[t].get_or_insert_with(|| {
            Schema::of(flat.as_ref().expect("flattened when there is no schema"))
        });
        if last[t] != Some(key) || self.pending[t].is_empty() {
            self.pending[t].push_back(Group::default());
            last[t] = Some(key);
        }
        let g = self.pending[t].back_mut().expect("pushed above");
        metrics_into(row, &schema.is_key, &mut g.metrics);
        g.rows += 1;
        if self.keys {
            let flat = flat.expect("flattened when keeping keys");
            g.keys.push(
                flat.cells
                    .into_iter()
                    .zip(&schema.is_key)
                    .filter(|(_, k)| **k)
                    .map(|(c, _)| c)
                    .collect(),
            );
        }
    }
}

/// Folds one interval group: `groups[r]` is replication r's rows of that interval, the first
/// with the keys. The accumulators see the replications in index order.
fn fold_metrics(schema: &Schema, groups: Vec<Group>) -> Vec<FoldedRow> {
    let mut groups = groups.into_iter();
    let Some(mut first) = groups.next() else {
        return Vec::new();
    };
    let m = schema.metric_count();
    debug_assert_eq!(
        first.keys.len(),
        first.rows,
        "the first replication keeps keys"
    );
    let mut out: Vec<FoldedRow> = std::mem::take(&mut first.keys)
        .into_iter()
        .map(|keys| FoldedRow::with_keys(keys, m))
        .collect();
    for g in std::iter::once(first).chain(groups) {
        assert_eq!(
            g.metrics.len(),
            out.len() * m,
            "replications close the same rows of an interval"
        );
        for (f, values) in out.iter_mut().zip(g.metrics.chunks_exact(m.max(1))) {
            for (acc, &x) in f.accs.iter_mut().zip(values) {
                if !x.is_nan() {
                    acc.add(x);
                }
            }
        }
    }
    out
}

/// Folds one interval group of flattened rows (the summary rows): `groups[r]` is replication
/// r's rows.
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

/// Days a replication may run ahead of the slowest one. Workers never wait at a day boundary
/// while any replication is within this window (a barrier per day idled one worker for the
/// last replication of every day: 1.6× on two threads); memory stays a few days of rows.
const LAG_DAYS: u64 = 4;

/// Per table: closed intervals, oldest first.
type Groups = [VecDeque<Group>; TABLES.len()];

/// What the workers share (under one mutex): the replications not being stepped, the rows
/// they closed and nobody folded yet, and the folded batches not yet written.
struct Board<'r, 'm> {
    /// Replications not being stepped (`None` while a worker holds one); boxed, so handing
    /// one to a worker and back moves a pointer, not the engine.
    reps: Vec<Option<Box<Rep<'m>>>>,
    /// Worker loops running.
    workers: usize,
    /// The worker that last stepped each replication: among replications equally far behind,
    /// a worker takes its own, whose engine state is still in its core's cache.
    stepped_by: Vec<usize>,
    /// Days each replication has completed.
    done: Vec<u64>,
    /// Per replication: closed intervals not yet taken for folding. A replication closes an
    /// interval once its callers are resolved, so replications close different numbers of
    /// intervals in a day; a batch takes the intervals closed by every one.
    pending: Vec<Groups>,
    schemas: [Option<Schema>; TABLES.len()],
    /// Batches taken for folding (`None` while folded) or folded and not yet written, by number.
    folded: std::collections::BTreeMap<u64, Option<Folded>>,
    /// Numbers of the next batch to take and to hand to the sink.
    next_batch: u64,
    next_write: u64,
    /// The first error by (day, replication position): the same whatever the thread count.
    error: Option<((u64, usize), AppError)>,
    sink: &'r mut dyn Sink,
}

/// One batch's folded rows per table: CSV bytes (a CSV sink) or rows.
enum Folded {
    Csv(Vec<(usize, Schema, Vec<u8>)>),
    Rows(Vec<(usize, Schema, Vec<FoldedRow>)>),
}

/// Intervals to fold: per table, `groups[interval][replication]`.
type Batch = Vec<(usize, Schema, Vec<Vec<Group>>)>;

/// What a worker does next.
enum Job<'m> {
    Step(usize, Box<Rep<'m>>),
    Fold(u64, Batch),
    Wait,
    Quit,
}

impl<'m> Board<'_, 'm> {
    /// The next job: step the replication furthest behind within the lag window, folding first
    /// once a day's worth of intervals (`batch`) is ready everywhere, or whatever is ready when
    /// no replication may step; else wait, or quit when all is done. `worker` asks.
    fn next_job(&mut self, worker: usize, days: u64, batch: usize) -> Job<'m> {
        if self.error.is_some() {
            return Job::Quit;
        }
        let ready: Vec<usize> = (0..TABLES.len())
            .map(|t| self.pending.iter().map(|p| p[t].len()).min().unwrap_or(0))
            .collect();
        let slowest = self.done.iter().copied().min().unwrap_or(days);
        let step = (0..self.reps.len())
            .filter(|&i| self.reps[i].is_some() && self.done[i] < days)
            .filter(|&i| self.done[i] < slowest + LAG_DAYS)
            .min_by_key(|&i| (self.done[i], self.stepped_by[i] != worker, i));
        let most = ready.iter().copied().max().unwrap_or(0);
        if most > 0 && (most >= batch || step.is_none()) {
            // Nothing to step (the end of the run): share what is left between the workers
            // rather than fold it all on one while the others idle.
            let share = if step.is_none() && self.workers > 1 {
                ready.iter().map(|&k| k.div_ceil(self.workers)).collect()
            } else {
                ready
            };
            return Job::Fold(self.number_batch(), self.take_ready(&share));
        }
        if let Some(i) = step {
            return Job::Step(i, self.reps[i].take().expect("filtered on is_some"));
        }
        if slowest < days || !self.folded.is_empty() {
            Job::Wait
        } else {
            Job::Quit
        }
    }

    /// Numbers a new batch and holds its place in the writing order.
    fn number_batch(&mut self) -> u64 {
        let n = self.next_batch;
        self.next_batch += 1;
        self.folded.insert(n, None);
        n
    }

    /// Takes the first `ready[t]` intervals of every replication, per table.
    fn take_ready(&mut self, ready: &[usize]) -> Batch {
        let mut out = Vec::new();
        for (t, &k) in ready.iter().enumerate() {
            let Some(schema) = self.schemas[t].clone() else {
                continue;
            };
            if k == 0 {
                continue;
            }
            let mut groups: Vec<Vec<Group>> = (0..k)
                .map(|_| Vec::with_capacity(self.pending.len()))
                .collect();
            for p in &mut self.pending {
                for g in groups.iter_mut() {
                    g.push(p[t].pop_front().expect("k ≤ every queue's length"));
                }
            }
            out.push((t, schema, groups));
        }
        out
    }

    fn fail(&mut self, at: (u64, usize), e: AppError) {
        if self.error.as_ref().is_none_or(|(k, _)| at < *k) {
            self.error = Some((at, e));
        }
    }

    /// Hands every folded batch that is next in line to the sink, in order.
    fn write_ready(&mut self) {
        while let Some(Some(_)) = self.folded.get(&self.next_write) {
            let n = self.next_write;
            let folded = self
                .folded
                .remove(&n)
                .flatten()
                .expect("matched Some above");
            let written = match folded {
                Folded::Csv(tables) => tables
                    .iter()
                    .try_for_each(|(t, schema, bytes)| self.sink.csv_bytes(*t, schema, bytes)),
                Folded::Rows(tables) => tables
                    .iter()
                    .try_for_each(|(t, schema, rows)| self.sink.rows(*t, schema, rows)),
            };
            if let Err(e) = written {
                self.fail((0, 0), e);
                return;
            }
            self.next_write += 1;
        }
    }
}

/// Stops every worker when one panics (a bug): the others would otherwise wait forever for
/// the replication it held. The panic itself reaches the caller through the pool's scope.
struct Alarm<'a, 'r, 'm>(&'a std::sync::Mutex<Board<'r, 'm>>, &'a std::sync::Condvar);

impl Drop for Alarm<'_, '_, '_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut b = self.0.lock().unwrap_or_else(|p| p.into_inner());
            b.fail(
                (0, 0),
                AppError::Output("a worker thread stopped on a bug".into()),
            );
            self.1.notify_all();
        }
    }
}

/// Folds one batch: per table, interval by interval, replications in index order.
fn fold_batch(batch: Batch, csv: bool) -> Result<Folded, AppError> {
    let mut csv_tables = Vec::new();
    let mut row_tables = Vec::new();
    for (t, schema, groups) in batch {
        let mut folded = Vec::new();
        let mut encoder = RowEncoder::default();
        let failed = |e: std::io::Error| AppError::Output(format!("{}.csv: {e}", TABLES[t]));
        for g in groups {
            let rows = fold_metrics(&schema, g);
            if csv {
                encoder.push(&schema, &rows).map_err(failed)?;
            } else {
                folded.extend(rows);
            }
        }
        if csv {
            csv_tables.push((t, schema, encoder.finish().map_err(failed)?));
        } else {
            row_tables.push((t, schema, folded));
        }
    }
    Ok(if csv {
        Folded::Csv(csv_tables)
    } else {
        Folded::Rows(row_tables)
    })
}

/// Called after each simulated day with (days done, days in the horizon), for progress bars.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// Runs replications `indices` (ascending) of `spec` on `threads` threads (`None`: one per
/// core), folding interval rows into `sink`.
///
/// # Scheduling
/// Workers take jobs from one board: fold a day every replication has closed, else step by one
/// day the replication furthest behind (at most [`LAG_DAYS`] ahead of the slowest), else wait.
/// Folded days reach the sink in day order, replications folded in index order within a day,
/// so the bytes are those of any thread count; no worker waits for a day's last replication.
pub fn run(
    spec: &Spec,
    indices: &[u64],
    threads: Option<usize>,
    sink: &mut dyn Sink,
    progress: Option<Progress>,
) -> Result<Replicated, AppError> {
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, indices.len().max(1));
    let reps = indices
        .iter()
        .enumerate()
        .map(|(k, &i)| Rep::new(spec, i, k == 0).map(|r| Some(Box::new(r))))
        .collect::<Result<Vec<_>, _>>()?;
    let days = (spec.model.horizon_s() / crate::time::DAY).ceil() as u64;
    let csv = sink.csv();
    let n = reps.len();
    let board = std::sync::Mutex::new(Board {
        reps,
        done: vec![0; n],
        stepped_by: vec![usize::MAX; n],
        workers: threads,
        pending: (0..n).map(|_| Groups::default()).collect(),
        schemas: Default::default(),
        folded: Default::default(),
        next_batch: 0,
        next_write: 0,
        error: None,
        sink,
    });
    let batch = ((crate::time::DAY / spec.model.interval_s).round() as usize).max(1);
    let wake = std::sync::Condvar::new();
    let work = |worker: usize| {
        let _alarm = Alarm(&board, &wake);
        let lock = || board.lock().unwrap_or_else(|p| p.into_inner());
        let mut b = lock();
        loop {
            match b.next_job(worker, days, batch) {
                Job::Quit => break,
                Job::Wait => b = wake.wait(b).unwrap_or_else(|p| p.into_inner()),
                Job::Step(i, mut rep) => {
                    let day = b.done[i] + 1;
                    b.stepped_by[i] = worker;
                    drop(b);
                    let stepped = rep.step(spec, day as f64 * crate::time::DAY);
                    let rows = std::mem::take(&mut rep.queued.pending);
                    b = lock();
                    for (t, s) in rep.queued.schemas.iter().enumerate() {
                        if b.schemas[t].is_none() {
                            b.schemas[t].clone_from(s);
                        }
                    }
                    if let Err(e) = stepped {
                        b.fail((day, i), e);
                    }
                    for (queue, new) in b.pending[i].iter_mut().zip(rows) {
                        queue.extend(new);
                    }
                    b.done[i] = day;
                    b.reps[i] = Some(rep);
                    if let Some(p) = progress {
                        let slowest = b.done.iter().copied().min().unwrap_or(days);
                        p(slowest, days);
                    }
                    wake.notify_all();
                }
                Job::Fold(number, batch) => {
                    drop(b);
                    let folded = fold_batch(batch, csv);
                    b = lock();
                    match folded {
                        Ok(f) => {
                            b.folded.insert(number, Some(f));
                            b.write_ready();
                        }
                        Err(e) => b.fail((0, 0), e),
                    }
                    wake.notify_all();
                }
            }
        }
        wake.notify_all();
    };
    // One worker loop per thread of a dedicated rayon pool: a worker waiting for the slowest
    // replication blocks only its own thread, and every loop has one.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| AppError::Output(format!("cannot start worker threads: {e}")))?;
    pool.scope(|s| {
        for w in 0..threads {
            let work = &work;
            s.spawn(move |_| work(w));
        }
    });
    let board = board.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Some((_, e)) = board.error {
        return Err(e);
    }
    if board.pending.iter().flatten().any(|q| !q.is_empty()) {
        return Err(AppError::Output(
            "replications closed different intervals: some rows were not written (a bug; \
             please report it with the scenario)"
                .into(),
        ));
    }
    let mut reps: Vec<Box<Rep>> = board
        .reps
        .into_iter()
        .map(|r| r.expect("every replication is back on the board"))
        .collect();
    let mut per_replication = Vec::with_capacity(reps.len());
    let mut summary_schema = None;
    let mut classes: Option<(Schema, Vec<Vec<Vec<Cell>>>)> = None;
    let mut journeys: Option<(Schema, Vec<Vec<Vec<Cell>>>)> = None;
    let nq = spec.model.queues.len();
    let mut pooled = vec![WaitHistogram::default(); nq + 1];
    for r in &mut reps {
        let (schema, rows) = r.summary.take().ok_or_else(|| {
            AppError::Input(format!(
                "replication {} did not reach the horizon in {days} days",
                r.index
            ))
        })?;
        summary_schema.get_or_insert(schema);
        per_replication.push((r.index, rows));
        for (table, rows) in [
            (&mut classes, r.classes.take()),
            (&mut journeys, r.journeys.take()),
        ] {
            if let Some((schema, rows)) = rows {
                table
                    .get_or_insert_with(|| (schema, Vec::new()))
                    .1
                    .push(rows);
            }
        }
        for (p, w) in pooled.iter_mut().zip(&r.waits) {
            p.merge(w);
        }
    }
    let schema = summary_schema.ok_or_else(|| AppError::Input("no replications to run".into()))?;
    let groups: Vec<Vec<Vec<Cell>>> = per_replication.iter().map(|(_, r)| r.clone()).collect();
    let summary = fold_group(&schema, &groups);
    let fold_table = |(schema, groups): (Schema, Vec<Vec<Vec<Cell>>>)| {
        let rows = fold_group(&schema, &groups);
        (schema, rows)
    };
    let classes = classes.map(fold_table);
    let journeys = journeys.map(fold_table);
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
        classes,
        journeys,
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
