//! `hotline plan`: the Erlang C reference and the simulate-and-correct loop
//! (`crate::schedule::plan_loop`), each schedule simulated with the replication machinery
//! (`app::replicate`, common random numbers: replications 0..N every time, so iterations
//! differ by their staffing only); writes `plan_iterations.csv`, `plan.json`, the kept plan's
//! schedule files, and with `--compare-nights` `nights.csv`; prints a table.
//!
//! Owns the glue only: requirements from `crate::plan::Planner`, the evaluation closure, the
//! files' rows. The rules are the loop's and `crate::schedule::nights`'.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use super::AppError;
use super::replicate::{self, Sink, Spec};
use super::schedule::{out_err, schedule_err, write_schedule};
use crate::cli::PlanArgs;
use crate::plan::{Planner, StaffingSettings};
use crate::report::numbers::{Rounded, figure_text};
use crate::report::{AtomicCsv, AtomicFile};
use crate::scenario::shifts::ShiftRules;
use crate::scenario::{ClosedRelease, Model, StaffingModel, StaffingTargets};
use crate::schedule::nights::{self, NightFigures, NightPolicy};
use crate::schedule::plan_loop::{
    self, Estimate, Evaluation, Goal, Inputs, Iteration, Kind, Load1, Measured, Tally, Targets,
};
use crate::schedule::{ScheduleError, Variant, pool_requirements, variants};
use crate::stats::cells::Cell;
use crate::stats::fold::{FoldedRow, Schema};
use crate::stats::replications::Acc;

mod night_variants;

use self::night_variants::{NightJson, compare_nights, desk_queues};

impl From<ScheduleError> for AppError {
    fn from(e: ScheduleError) -> Self {
        schedule_err(e)
    }
}

/// One row of `plan_iterations.csv`.
#[derive(Debug, Default, Serialize)]
struct IterationRow {
    /// `erlang_c` (reference, not part of the loop), `erlang_a`, `loop 1`, …
    iteration: String,
    /// Weekly pay of the rostered shifts, premiums included ([roster] hourly_cost unit).
    cost: f64,
    /// Paid agent-hours in the week.
    agent_hours: f64,
    /// Interval × queues with calls (SL defined in ≥ 2 replications).
    intervals_counted: usize,
    /// Share of them whose mean SL meets the target.
    share_meeting: f64,
    /// Share whose 95 % interval lies wholly below the target.
    share_missing_with_confidence: f64,
    /// Pool × intervals whose requirement this result raised / lowered for the next schedule.
    raised: usize,
    lowered: usize,
    /// Agent-intervals the schedule left under the requirement.
    short_agent_intervals: u64,
    /// The plan `plan` keeps (its files are written).
    kept: bool,
    /// `target_asa`: interval × queues whose ASA is defined in ≥ 2 replications (someone
    /// answered); empty (as the next two) when the scenario states no such target.
    asa_intervals_counted: Option<usize>,
    /// Share of them whose mean ASA is at most `target_asa`.
    asa_share_meeting: Option<f64>,
    /// Share whose 95 % interval lies wholly above `target_asa`.
    asa_share_missing_with_confidence: Option<f64>,
    /// `max_abandon`: interval × queues whose `abandon_rate` is defined in ≥ 2 replications.
    abandon_intervals_counted: Option<usize>,
    /// Share of them whose mean abandon rate is at most `max_abandon`.
    abandon_share_meeting: Option<f64>,
    /// Share whose 95 % interval lies wholly above `max_abandon`.
    abandon_share_missing_with_confidence: Option<f64>,
    /// `max_occupancy`: **pool** × intervals with agents present in ≥ 2 replications
    /// (occupancy is measured per pool, as pools.csv's `occupancy`).
    occupancy_intervals_counted: Option<usize>,
    /// Share of them whose mean occupancy is at most `max_occupancy`.
    occupancy_share_meeting: Option<f64>,
    /// Share whose 95 % interval lies wholly above `max_occupancy`.
    occupancy_share_missing_with_confidence: Option<f64>,
}

/// One row of `on_phones.csv`: the kept plan's agents on the phones after shrinkage, the
/// headcount the loop simulated. It has the columns `simulate --staffing` reads of a
/// `coverage.csv` (`pool`, `scheduled`), so `simulate --staffing DIR/on_phones.csv` repeats the
/// loop's measurement on other seeds; `coverage.csv` (every rostered agent present) would
/// leave shrinkage out.
#[derive(Debug, Default, Serialize)]
struct OnPhonesRow {
    interval_start: String,
    interval_start_s: f64,
    pool: String,
    /// Agents of the roster on shift (`scheduled` of coverage.csv).
    rostered: u32,
    /// Agents on the phones: ⌊rostered × (1 − shrinkage) + 10⁻⁹⌋ (named as coverage.csv's
    /// headcount column, which `simulate --staffing` reads).
    scheduled: u32,
    weekday: &'static str,
}

#[derive(Debug, Serialize)]
struct PlanJson {
    scenario: String,
    target_fraction: f64,
    /// Seconds; `null` = each queue's own threshold.
    target_threshold_s: Option<f64>,
    /// `[staffing] target_asa`, seconds; `null` = none stated (as the next two).
    target_asa_s: Option<f64>,
    max_abandon: Option<f64>,
    max_occupancy: Option<f64>,
    /// `[staffing] shrinkage`: the loop simulates ⌊rostered × (1 − shrinkage)⌋ agents.
    shrinkage: f64,
    /// `--night-variant`: the night variant planned (`null`: the scenario as it is).
    night_variant: Option<&'static str>,
    replications: u64,
    max_iterations: u32,
    stop: &'static str,
    kept: String,
    iterations: Vec<IterationRow>,
    nights: Option<NightJson>,
}

/// Keeps the figures the loop needs: per interval × queue from the `intervals` table, the
/// occupancy per interval × pool from the `pools` table.
struct Collect {
    queues: Vec<String>,
    pools: Vec<String>,
    interval_s: f64,
    out: Evaluation,
}

/// Position of key column `name` among a row's key cells.
fn key_at(schema: &Schema, name: &str) -> Option<usize> {
    let c = schema.names.iter().position(|n| n == name)?;
    schema.is_key[c].then(|| schema.is_key[..c].iter().filter(|k| **k).count())
}

fn estimate(acc: Option<&Acc>) -> Estimate {
    Estimate {
        mean: acc.and_then(Acc::mean),
        hw95: acc.and_then(Acc::hw95),
    }
}

impl Sink for Collect {
    fn rows(&mut self, table: usize, schema: &Schema, rows: &[FoldedRow]) -> Result<(), AppError> {
        let (names, key) = match replicate::TABLES.get(table) {
            Some(&"intervals") => (&self.queues, "queue"),
            Some(&"pools") => (&self.pools, "pool"),
            _ => return Ok(()),
        };
        let (Some(nc), Some(tc)) = (key_at(schema, key), key_at(schema, "interval_start_s")) else {
            return Err(AppError::Output(format!("interval rows without `{key}`")));
        };
        for r in rows {
            let Cell::Text(name) = &r.keys[nc] else {
                continue;
            };
            let Some(i) = names.iter().position(|n| n == name) else {
                continue;
            };
            let Some(t) = r.keys[tc].number() else {
                continue;
            };
            let k = (t / self.interval_s).round() as usize;
            if key == "pool" {
                if let Some(slot) = self.out.occupancy[i].get_mut(k) {
                    *slot = estimate(r.acc(schema, "occupancy"));
                }
                continue;
            }
            let mean = |name: &str| r.acc(schema, name).and_then(Acc::mean).unwrap_or(0.0);
            if let Some(slot) = self.out.queues[i].get_mut(k) {
                *slot = Measured {
                    sl: estimate(r.acc(schema, "service_level")),
                    asa_s: estimate(r.acc(schema, "asa_s")),
                    abandon_rate: estimate(r.acc(schema, "abandon_rate")),
                    offered: mean("offered"),
                    answered: mean("answered"),
                    abandoned: mean("abandoned"),
                    answered_within: mean("answered_within_threshold"),
                    abandoned_within: mean("abandoned_within_threshold"),
                    closed: mean("closed"),
                    callback_requests: mean("callbacks_accepted")
                        + mean("closed_callback_requests"),
                    transferred_in: mean("transferred_in"),
                    transferred_out: mean("transferred_out"),
                    closed_callbacks: mean("closed_callbacks"),
                    closed_callbacks_completed: mean("closed_callbacks_completed"),
                    closed_callback_delay_mean_s: r
                        .acc(schema, "closed_callback_delay_mean_s")
                        .and_then(Acc::mean),
                    outbound_callbacks: mean("outbound_callbacks"),
                    callback_share: estimate(r.acc(schema, "callbacks_within_target_share")),
                };
            }
        }
        Ok(())
    }
}

/// Simulates `model` with `coverage[pool][interval]` as headcount on replications 0..n.
fn simulate(
    model: &Model,
    coverage: &[Vec<u32>],
    n: u64,
    threads: Option<usize>,
) -> Result<Evaluation, AppError> {
    let mut m = model.clone();
    for (pool, c) in m.pools.iter_mut().zip(coverage) {
        pool.headcount.clone_from(c);
    }
    let intervals = m.interval_count() as usize;
    let mut sink = Collect {
        queues: m.queues.iter().map(|q| q.name.clone()).collect(),
        pools: m.pools.iter().map(|p| p.name.clone()).collect(),
        interval_s: m.interval_s,
        out: Evaluation {
            queues: vec![vec![Measured::default(); intervals]; m.queues.len()],
            occupancy: vec![vec![Estimate::default(); intervals]; m.pools.len()],
        },
    };
    let spec = Spec {
        model: &m,
        plan: None,
        warmup_s: 0.0,
        intervals: true,
    };
    let indices: Vec<u64> = (0..n).collect();
    replicate::run(&spec, &indices, threads, &mut sink, None)?;
    sink.out.leave_out_closed(&m);
    Ok(sink.out)
}

/// `[queue][interval]` agents scheduled, and the Erlang inputs.
type Requirements = (Vec<Vec<u32>>, Vec<Vec<Load1>>);

/// Per queue the `agents_scheduled` of every interval under `model`, and the Erlang inputs.
fn requirements(model: &Model, settings: StaffingSettings) -> Result<Requirements, AppError> {
    let n = model.interval_count();
    let mut planner = Planner::new(model, settings);
    let mut per_queue = vec![vec![0u32; n as usize]; model.queues.len()];
    let mut loads = vec![Vec::with_capacity(n as usize); model.queues.len()];
    let mut reqs = Vec::new();
    for k in 0..n {
        planner.interval(k, &mut reqs)?;
        for r in &reqs {
            let q = r.queue.0 as usize;
            per_queue[q][k as usize] = r.agents_scheduled;
            loads[q].push(Load1 {
                calls: r.calls,
                handle_s: r.handle_time.0,
                patience_s: model.queues[q].patience.as_ref().map(|p| p.mean()),
                threshold_s: r.threshold.0,
            });
        }
    }
    Ok((per_queue, loads))
}

pub fn run(args: &PlanArgs) -> Result<ExitCode, AppError> {
    let (mut model, rules) = super::schedule::load(&args.scenario, "plan")?;
    let window =
        nights::parse_window(&args.night).map_err(|e| AppError::Input(format!("--night {e}")))?;
    if !(0.0..=1.0).contains(&args.night_callback) {
        return Err(AppError::Input(format!(
            "--night-callback {}: a share in [0, 1]",
            args.night_callback
        )));
    }
    let policy = match &args.night_variant {
        None => NightPolicy::Staffed,
        Some(_) if args.compare_nights => {
            return Err(AppError::Input(
                "--night-variant plans one variant, --compare-nights all three: give one of them"
                    .into(),
            ));
        }
        Some(v) => {
            NightPolicy::parse(v).map_err(|e| AppError::Input(format!("--night-variant {e}")))?
        }
    };
    let desk = desk_queues(&model, &args.night_desk)?;
    let flags = StaffingTargets {
        service_level: args.target,
        ..StaffingTargets::default()
    };
    let mut settings = StaffingSettings::resolve(&flags, &model.staffing);
    settings.model = StaffingModel::ErlangA;
    if let Some(t) = settings.goal.threshold {
        // The simulation measures each queue's SL at its own threshold: plan at the target's.
        for q in &mut model.queues {
            q.sl_threshold_s = t.0;
        }
    }
    let interval_min = (model.interval_s / 60.0).round() as u32;
    let days = model.days as usize;
    let vars = variants(&rules, model.calendar.first_weekday(), interval_min, days);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| super::simulate::default_out(&args.scenario).join("plan"));
    let threads = args.threads.map(|t| t as usize);
    let n = args.replications;
    let base = Inputs {
        model: &model,
        rules: &rules,
        variants: &vars,
        targets: Targets {
            service_level: settings.goal.fraction,
            asa_s: settings.target_asa.map(|t| t.0),
            max_abandon: settings.max_abandon,
            max_occupancy: settings.max_occupancy,
        },
        loads: &[],
        shrinkage: settings.shrinkage,
        max_iterations: args.max_iterations,
        days,
        budget: crate::schedule::solve::Budget {
            time: std::time::Duration::from_secs(args.time_limit),
            ..crate::schedule::solve::Budget::default()
        },
    };
    let night = nights::night_mask(&model, window);
    let ctx = VariantCtx {
        base,
        settings,
        desk: &desk,
        night: &night,
        callback: args.night_callback,
        release: ClosedRelease {
            release: args.night_callbacks,
            within_s: Some(args.night_callback_within.0),
            reserve: args.night_callback_reserve,
            within_share: None,
        },
        n,
        threads,
    };
    let say = |text: String| {
        if !args.quiet {
            eprintln!("{text}");
        }
    };
    let clock = std::time::Instant::now();
    // The model planned: the scenario, or with `--night-variant` its nights closed; its
    // requirements hold its own closed hours and the callback backlog at their openings.
    let (vmodel, closed) = ctx.model(policy);
    let (req_a, loads) = ctx.requirements(&vmodel, StaffingModel::ErlangA)?;
    let (req_c, _) = ctx.requirements(&vmodel, StaffingModel::ErlangC)?;
    let inputs = Inputs {
        model: &vmodel,
        loads: &loads,
        ..base
    };
    let mut eval = |cov: &[Vec<u32>]| simulate(&vmodel, cov, n, threads);
    let reference = plan_loop::evaluate_plan(
        &inputs,
        "erlang_c".into(),
        ctx.first(&req_c, &closed),
        &mut eval,
    )?;
    say(progress_line(&reference));
    // Whatever happens later, every finished iteration's row and the best plan so far (the
    // loop's own rule: fewest misses with confidence, then the lowest cost) are on disk as
    // soon as they exist; the final writes below give the same files their final bytes.
    let mut rows_so_far = vec![iteration_row(&reference, false)];
    let mut on_disk: Option<(usize, f64)> = None;
    let mut save_failed: Option<AppError> = None;
    let outcome = plan_loop::run(&inputs, ctx.first(&req_a, &closed), &mut eval, &mut |it| {
        say(progress_line(it));
        if save_failed.is_some() {
            return;
        }
        rows_so_far.push(iteration_row(it, false));
        let better = on_disk.is_none_or(|(m, c)| {
            it.missing() < m || (it.missing() == m && it.cost.total_cmp(&c).is_lt())
        });
        let saved = if better {
            write_kept(&out, &vmodel, &rules, &vars, it, true)
                .map(|_| on_disk = Some((it.missing(), it.cost)))
        } else {
            Ok(())
        }
        .and_then(|()| write_csv(&out.join("plan_iterations.csv"), &rows_so_far));
        if let Err(e) = saved {
            save_failed = Some(e);
        }
    })?;
    if let Some(e) = save_failed {
        return Err(e);
    }
    let kept = &outcome.iterations[outcome.best];
    let closed_hours = write_kept(&out, &vmodel, &rules, &vars, kept, args.no_charts)?;

    let rows: Vec<IterationRow> = std::iter::once(&reference)
        .chain(&outcome.iterations)
        .enumerate()
        .map(|(i, it)| iteration_row(it, i == outcome.best + 1))
        .collect();
    let night_part = if args.compare_nights {
        Some(compare_nights(&ctx, &outcome, &out, args, &say)?)
    } else {
        None
    };
    let elapsed = clock.elapsed().as_secs_f64();
    let mut written = vec!["plan_iterations.csv", "plan.json"];
    write_csv(&out.join("plan_iterations.csv"), &rows)?;
    if let Some(nj) = &night_part {
        write_csv(&out.join("nights.csv"), &nj.variants)?;
        written.push("nights.csv");
    }
    let mut text = table(&model, &settings, &outcome, &rows, night_part.as_ref(), n);
    if !closed_hours.is_empty() {
        text += &format!("{closed_hours}\n");
    }
    let json = PlanJson {
        scenario: model.name.clone(),
        target_fraction: settings.goal.fraction,
        target_threshold_s: settings.goal.threshold.map(|t| t.0),
        target_asa_s: settings.target_asa.map(|t| t.0),
        max_abandon: settings.max_abandon,
        max_occupancy: settings.max_occupancy,
        shrinkage: settings.shrinkage,
        night_variant: args.night_variant.as_ref().map(|_| policy.name()),
        replications: n,
        max_iterations: args.max_iterations,
        stop: outcome.stop.text(),
        kept: kept.label.clone(),
        iterations: rows,
        nights: night_part,
    };
    write_json(&out.join("plan.json"), &json)?;
    let subfolders = if args.compare_nights {
        format!(
            "; each variant's kept plan in {}/{{{}}}/",
            out.display(),
            NightPolicy::ALL.map(NightPolicy::name).join(",")
        )
    } else {
        String::new()
    };
    super::print(&format!(
        "{text}wrote {}/{{{}}} and the kept plan's shifts.csv, roster.csv, coverage.csv, on_phones.csv, schedule.json{subfolders}\n({:.1} s)",
        out.display(),
        written.join(","),
        elapsed
    ))
}

/// What every night variant's loop shares: the scenario's inputs, the staffing settings its
/// requirements are computed with, the night and how it is closed, the replications.
struct VariantCtx<'a> {
    base: Inputs<'a>,
    settings: StaffingSettings,
    desk: &'a [usize],
    night: &'a [bool],
    callback: f64,
    /// How the closed nights' requests are called back, and the promise.
    release: ClosedRelease,
    n: u64,
    threads: Option<usize>,
}

impl VariantCtx<'_> {
    /// `policy`'s model and the pools whose night requirement goes.
    fn model(&self, policy: NightPolicy) -> (Model, Vec<bool>) {
        nights::variant_model(
            self.base.model,
            policy,
            self.desk,
            self.night,
            self.callback,
            self.release,
        )
    }

    /// `model`'s requirements per queue under `formula` and its Erlang inputs: a night
    /// variant's own, so closed nights need nobody and the night's callback requests are
    /// load at the opening (`crate::plan::staffing`), not the staffed scenario's.
    fn requirements(
        &self,
        model: &Model,
        formula: StaffingModel,
    ) -> Result<Requirements, AppError> {
        requirements(
            model,
            StaffingSettings {
                model: formula,
                ..self.settings
            },
        )
    }

    /// The first requirements per pool from per-queue ones: the closed pools' nights dropped.
    fn first(&self, per_queue: &[Vec<u32>], closed: &[bool]) -> Vec<Vec<u32>> {
        nights::drop_night_requirements(
            &pool_requirements(self.base.model, per_queue),
            closed,
            self.night,
        )
    }

    /// The loop on `policy`'s model from its Erlang A requirements: the same function
    /// `plan --night-variant` runs, so a variant planned alone gives the same plan.
    fn run(
        &self,
        policy: NightPolicy,
        progress: &mut dyn FnMut(&Iteration),
    ) -> Result<(Model, plan_loop::Outcome), AppError> {
        let (m, closed) = self.model(policy);
        let (req_a, loads) = self.requirements(&m, StaffingModel::ErlangA)?;
        let inputs = Inputs {
            model: &m,
            loads: &loads,
            ..self.base
        };
        let mut eval = |cov: &[Vec<u32>]| simulate(&m, cov, self.n, self.threads);
        let outcome = plan_loop::run(&inputs, self.first(&req_a, &closed), &mut eval, progress)?;
        Ok((m, outcome))
    }
}

/// Writes a kept plan's shifts.csv, roster.csv, coverage.csv, schedule.json (and chart) and
/// on_phones.csv into `dir`; returns what the schedule says of its closed agent-hours.
fn write_kept(
    dir: &Path,
    model: &Model,
    rules: &ShiftRules,
    vars: &[Variant],
    kept: &Iteration,
    no_charts: bool,
) -> Result<String, AppError> {
    let said = write_schedule(
        dir,
        model,
        rules,
        vars,
        &kept.required,
        &kept.plans,
        no_charts,
    )?;
    write_csv(&dir.join("on_phones.csv"), &on_phones_rows(model, kept))?;
    Ok(said.closed_hours)
}

fn on_phones_rows(model: &Model, it: &Iteration) -> Vec<OnPhonesRow> {
    let mut rows = Vec::new();
    for (p, (rostered, on)) in it.coverage.iter().zip(&it.on_phones).enumerate() {
        for (k, (&r, &o)) in rostered.iter().zip(on).enumerate() {
            let t = k as f64 * model.interval_s;
            rows.push(OnPhonesRow {
                interval_start: model.calendar.label(t),
                interval_start_s: t,
                pool: model.pools[p].name.clone(),
                rostered: r,
                scheduled: o,
                weekday: model.calendar.weekday_label(t),
            });
        }
    }
    rows
}

/// The targets besides the SL goal, with the word the progress lines use.
const OTHER_TARGETS: [(Kind, &str); 3] = [
    (Kind::Asa, "ASA"),
    (Kind::Abandon, "abandoned"),
    (Kind::Occupancy, "occupancy"),
];

fn progress_line(it: &Iteration) -> String {
    let sl = it.sl();
    let mut line = format!(
        "plan: {:<9} cost {:>9.0}  agent-hours {:>7.1}  meeting {:>5.1}%  missing {:>5.1}%",
        it.label,
        it.cost,
        it.agent_hours,
        100.0 * sl.share_meeting(),
        100.0 * sl.share_missing(),
    );
    for (kind, word) in OTHER_TARGETS {
        if let Some(t) = it.tally(kind) {
            line += &format!(
                "  {word} meeting {:.1}% missing {:.1}%",
                100.0 * t.share_meeting(),
                100.0 * t.share_missing()
            );
        }
    }
    line + &format!("  raised {} lowered {}", it.raised, it.lowered)
}

fn iteration_row(it: &Iteration, kept: bool) -> IterationRow {
    let short: u64 = it
        .required
        .iter()
        .zip(&it.coverage)
        .flat_map(|(r, c)| {
            r.iter()
                .zip(c)
                .map(|(&r, &c)| u64::from(r.saturating_sub(c)))
        })
        .sum();
    IterationRow {
        iteration: it.label.clone(),
        cost: it.cost,
        agent_hours: it.agent_hours,
        intervals_counted: it.sl().counted,
        share_meeting: it.sl().share_meeting(),
        share_missing_with_confidence: it.sl().share_missing(),
        raised: it.raised,
        lowered: it.lowered,
        short_agent_intervals: short,
        kept,
        asa_intervals_counted: it.tally(Kind::Asa).map(|t| t.counted),
        asa_share_meeting: it.tally(Kind::Asa).map(|t| t.share_meeting()),
        asa_share_missing_with_confidence: it.tally(Kind::Asa).map(|t| t.share_missing()),
        abandon_intervals_counted: it.tally(Kind::Abandon).map(|t| t.counted),
        abandon_share_meeting: it.tally(Kind::Abandon).map(|t| t.share_meeting()),
        abandon_share_missing_with_confidence: it.tally(Kind::Abandon).map(|t| t.share_missing()),
        occupancy_intervals_counted: it.tally(Kind::Occupancy).map(|t| t.counted),
        occupancy_share_meeting: it.tally(Kind::Occupancy).map(|t| t.share_meeting()),
        occupancy_share_missing_with_confidence: it
            .tally(Kind::Occupancy)
            .map(|t| t.share_missing()),
    }
}

/// The targets the kept plan still misses with confidence, and by how much: "abandoned ≤ 5 %:
/// 3 of 120 missed, worst 7.1 %", `; `-separated; empty when none.
fn targets_missed(model: &Model, it: &Iteration, targets: &Targets) -> String {
    let mut parts = Vec::new();
    for kind in Kind::ALL {
        let (Some(goal), Some(t)) = (targets.goal(kind), it.tally(kind)) else {
            continue;
        };
        if t.missing == 0 {
            continue;
        }
        let worst = it.evaluation.worst_miss(kind, goal);
        let (what, value) = match (kind, goal) {
            (Kind::Asa, Goal::AtMost(x)) => (
                format!("ASA ≤ {} s", figure_text(x)),
                worst.map(|w| format!("{} s", figure_text((w * 10.0).round() / 10.0))),
            ),
            (_, Goal::AtLeast(x) | Goal::AtMost(x)) => (
                format!(
                    "{} {} {} %",
                    match kind {
                        Kind::ServiceLevel => "SL",
                        Kind::Abandon => "abandoned",
                        _ => "occupancy",
                    },
                    if matches!(goal, Goal::AtLeast(_)) {
                        "≥"
                    } else {
                        "≤"
                    },
                    figure_text(100.0 * x)
                ),
                worst.map(|w| format!("{} %", figure_text((1000.0 * w).round() / 10.0))),
            ),
        };
        let short = it.short_misses(model, kind, goal);
        let short = if short > 0 {
            format!(" ({short} where the roster's rules leave the requirement unmet)")
        } else {
            String::new()
        };
        parts.push(format!(
            "{what}: {} of {} missed, worst {}{short}",
            t.missing,
            t.counted,
            value.unwrap_or_default()
        ));
    }
    if let Some(t) = it.promise.filter(|t| t.missing > 0) {
        let worst = it.evaluation.worst_promise(model).unwrap_or(0.0);
        // One share for every promise (the usual case), else each queue's.
        let mut shares = model
            .queues
            .iter()
            .filter(|q| q.closed_release.within_s.is_some())
            .map(|q| q.closed_release.promise_share());
        let first = shares
            .next()
            .unwrap_or(crate::scenario::DEFAULT_PROMISE_SHARE);
        let share = if shares.all(|s| s == first) {
            format!("{} %", figure_text(100.0 * first))
        } else {
            "each queue's callback_within_share".to_string()
        };
        parts.push(format!(
            "callbacks dialled within the promise ≥ {share}: {} of {} openings missed, worst {} %",
            t.missing,
            t.counted,
            figure_text((1000.0 * worst).round() / 10.0)
        ));
    }
    parts.join("; ")
}

fn table(
    model: &Model,
    settings: &StaffingSettings,
    outcome: &plan_loop::Outcome,
    rows: &[IterationRow],
    nights: Option<&NightJson>,
    n: u64,
) -> String {
    let goal = match settings.goal.threshold {
        Some(t) => format!("{:.0} % within {} s", 100.0 * settings.goal.fraction, t.0),
        None => format!("{:.0}% (queue thresholds)", 100.0 * settings.goal.fraction),
    };
    let shrinkage = if settings.shrinkage > 0.0 {
        format!(
            ", shrinkage {} % (simulated: ⌊rostered × {}⌋ agents on the phones)",
            figure_text(100.0 * settings.shrinkage),
            figure_text(1.0 - settings.shrinkage)
        )
    } else {
        String::new()
    };
    // The other stated targets: two columns each, after the SL's.
    let caps: Vec<(Kind, String)> = [
        (
            Kind::Asa,
            settings.target_asa.map(|t| format!("ASA ≤ {} s", t.0)),
        ),
        (
            Kind::Abandon,
            settings
                .max_abandon
                .map(|x| format!("abandoned ≤ {} %", figure_text(100.0 * x))),
        ),
        (
            Kind::Occupancy,
            settings
                .max_occupancy
                .map(|x| format!("occupancy ≤ {} %", figure_text(100.0 * x))),
        ),
    ]
    .into_iter()
    .filter_map(|(k, c)| c.map(|c| (k, c)))
    .collect();
    let mut head =
        "| iteration | cost | agent-hours | meeting target | missing (95 %) |".to_string();
    let mut rule = "|---|---:|---:|---:|---:|".to_string();
    for (_, cap) in &caps {
        head += &format!(" {cap}: meeting | missing (95 %) |");
        rule += "---:|---:|";
    }
    let mut t = format!(
        "{} — plan for {goal}{shrinkage}, {n} replications per schedule (the same callers each time)\n\n\
         {head} raised | lowered |\n{rule}---:|---:|\n",
        model.name
    );
    let pct = |x: Option<f64>| x.map_or("—".into(), |v| format!("{:.1} %", 100.0 * v));
    for r in rows {
        t += &format!(
            "| {}{} | {:.0} | {:.1} | {:.1} % | {:.1} % |",
            r.iteration,
            if r.kept { " (kept)" } else { "" },
            r.cost,
            r.agent_hours,
            100.0 * r.share_meeting,
            100.0 * r.share_missing_with_confidence,
        );
        for (kind, _) in &caps {
            let (meeting, missing) = match kind {
                Kind::Asa => (r.asa_share_meeting, r.asa_share_missing_with_confidence),
                Kind::Abandon => (
                    r.abandon_share_meeting,
                    r.abandon_share_missing_with_confidence,
                ),
                _ => (
                    r.occupancy_share_meeting,
                    r.occupancy_share_missing_with_confidence,
                ),
            };
            t += &format!(" {} | {} |", pct(meeting), pct(missing));
        }
        t += &format!(" {} | {} |\n", r.raised, r.lowered);
    }
    t += &format!(
        "\nstopped: {} after {} schedule(s); kept `{}` (fewest misses with confidence over every target, then the lowest cost). SL shares are of the {} interval × queues with calls{}.\n",
        outcome.stop.text(),
        outcome.iterations.len(),
        outcome.iterations[outcome.best].label,
        rows.last().map_or(0, |r| r.intervals_counted),
        if settings.max_occupancy.is_some() {
            "; occupancy shares of the pool × intervals with agents"
        } else {
            ""
        }
    );
    if let Some(nj) = nights {
        t += &format!(
            "\nnights ({}; 24/7 desk: {}; {:.0} % of closed callers ask for a callback):\n\n\
             | variant | cost | vs staffed | agent-hours | day SL | night SL | abandoned | day intervals meeting / missing (95 %) | night callers | closed at night | callbacks | callback delay | within promise | schedules |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            nj.night,
            if nj.desk_queues.is_empty() {
                "none".to_string()
            } else {
                nj.desk_queues.join(", ")
            },
            100.0 * nj.callback_share
        );
        for v in &nj.variants {
            t += &format!(
                "| {} | {:.0} | {:+.0} | {:.1} | {} | {} | {} | {:.1} % / {:.1} % | {:.0} | {:.0} | {:.0} | {} | {} | {} |\n",
                v.variant,
                v.cost,
                v.cost_vs_staffed,
                v.agent_hours,
                pct(v.day_sl),
                pct(v.night_sl),
                pct(v.abandon_rate),
                100.0 * v.day_sl_share_meeting,
                100.0 * v.day_sl_share_missing_with_confidence,
                v.night_offered,
                v.night_closed,
                v.callbacks,
                v.callback_delay_mean_h
                    .map_or("—".into(), |h| format!("{h:.1} h")),
                pct(v.callbacks_within_promise),
                v.schedules
            );
        }
        for v in nj.variants.iter().filter(|v| !v.targets_missed.is_empty()) {
            t += &format!("\n{} still misses {}", v.variant, v.targets_missed);
        }
        if nj.variants.iter().any(|v| !v.targets_missed.is_empty()) {
            t += "\n";
        }
    }
    t + "\n"
}

fn write_csv<T: Serialize + Default>(path: &Path, rows: &[T]) -> Result<(), AppError> {
    let mut w = AtomicCsv::create(path).map_err(out_err(path))?;
    for r in rows {
        w.write(r).map_err(out_err(path))?;
    }
    w.commit().map_err(out_err(path))
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), AppError> {
    let json = serde_json::to_string_pretty(&Rounded::json(value))
        .map_err(|e| AppError::Output(e.to_string()))?;
    let mut f = AtomicFile::create(path).map_err(out_err(path))?;
    std::io::Write::write_all(&mut f, format!("{json}\n").as_bytes()).map_err(out_err(path))?;
    f.commit().map_err(out_err(path))
}
