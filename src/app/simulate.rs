//! `hotline simulate`: run a scenario, stream closed intervals to CSV, print the summary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::AppError;
use crate::arrivals::ScenarioArrivals;
use crate::cli::SimulateArgs;
use crate::engine::Engine;
use crate::random::StreamKey;
use crate::report::{self, AtomicCsv, AtomicFile};
use crate::routing::LongestIdleOldestCall;
use crate::scenario::Model;
use crate::stats::{IntervalStats, SummaryRow};

/// The default output folder: `reports/<scenario stem>/`.
pub fn default_out(scenario: &Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    PathBuf::from("reports").join(stem)
}

pub fn run(args: SimulateArgs) -> Result<ExitCode, AppError> {
    let mut model = crate::scenario::load(&args.scenario)?;
    super::print_notes(&model);
    if let Some(seed) = args.seed {
        model.seed = seed;
    }
    super::set_policy(&mut model, args.policy.as_deref())?;
    print_policy_notes(&model);
    // A staffing plan replaces the pools' headcount (see `plan::plan_file`).
    let plan = match &args.staffing {
        Some(path) => {
            let plan = crate::plan::StaffingPlan::read(path, &model)?;
            plan.apply(&mut model);
            for (queue, plan_t, own) in &plan.threshold_mismatches {
                eprintln!(
                    "warning: {} was planned for queue `{queue}` at a {plan_t} s threshold, the \
                     simulation measures its SL at {own} s: sl_promised and sl_simulated in \
                     plan_vs_sim.csv differ in definition",
                    path.display()
                );
            }
            Some(plan)
        }
        None => None,
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    let warmup_s = args.warmup.map_or(0.0, |w| w.0);
    check_warmup(&model, warmup_s)?;
    // `plan_vs_sim.csv` only for a plan that promises figures: a roster's `coverage.csv` sets
    // the headcount and promises nothing, and an empty file would look like a missing result.
    let compared = plan.as_ref().filter(|p| p.promises());
    if plan.is_some() && compared.is_none() {
        remove_stale(&out.join("plan_vs_sim.csv"))?;
    }
    let replicated = args.replications > 1 || args.shard.is_some() || args.precision.is_some();
    // journeys.csv: runs with `[redial] same_caller` only (a shard writes its sums into
    // shard.json); never an earlier run's.
    if args.shard.is_some() || !model.extras.redial.as_ref().is_some_and(|r| r.same_caller) {
        remove_stale(&out.join("journeys.csv"))?;
    }
    if replicated {
        return super::replicated::simulate(&args, &model, compared, &out, warmup_s);
    }
    let bar = super::progress::Bar::new(args.quiet);
    bar.start(1);
    let outcome = simulate_with_options(
        &model,
        &out,
        compared,
        warmup_s,
        Some(&|d, n| bar.days(d, n)),
    );
    bar.finish();
    let Outcome {
        summary,
        night_share,
        classes,
    } = outcome?;
    let workbook = if args.no_xlsx {
        None
    } else {
        report::xlsx::write_workbook(&out)?
    };
    let page = if args.no_charts {
        None
    } else {
        Some(report::render_dir(&out)?)
    };
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let text = if args.json {
        report::summary_json(&model.name, model.seed, model.days, night_share, &summary)
            .and_then(|j| report::with_classes(&j, &model.policy, classes.as_deref()))
            .map_err(|e| AppError::Output(format!("cannot encode JSON: {e}")))?
    } else {
        let thresholds: Vec<f64> = model.queues.iter().map(|q| q.sl_threshold_s).collect();
        let night = night_share.map_or(String::new(), |s| {
            format!("night share of calls: {:.1}%\n", s * 100.0)
        });
        // The callbacks block: report.html's Callbacks table, from summary.csv as written.
        let callbacks =
            report::callbacks::terminal(&report::data::read_summary(&out.join("summary.csv"))?);
        format!(
            "{} — {} days, seed {}, policy {}{}\n\n{}{}{}{}\nwrote {}/{{intervals,arrivals,pools,summary,waits{}}}.csv{}",
            model.name,
            model.days,
            model.seed,
            model.policy,
            plan.as_ref().map_or(String::new(), |p| format!(
                ", agents from {}",
                p.file.display()
            )),
            report::summary_table(&summary, &thresholds),
            classes.as_deref().map_or(String::new(), |c| {
                format!("\n{}", report::class_table(c, &summary))
            }),
            night,
            if callbacks.is_empty() {
                callbacks
            } else {
                format!("\n{callbacks}")
            },
            out.display(),
            match (compared.is_some(), classes.is_some()) {
                (true, true) => ",plan_vs_sim,classes,class_intervals",
                (true, false) => ",plan_vs_sim",
                (false, true) => ",classes,class_intervals",
                (false, false) => "",
            }
            .to_string()
                + if model.extras.redial.as_ref().is_some_and(|r| r.same_caller) {
                    ",journeys"
                } else {
                    ""
                },
            workbook.map_or(String::new(), |_| ", report.xlsx".into())
                + &page.map_or(String::new(), |p| format!(", charts and {}", p.display()))
        )
    };
    // A closed pipe (`| head`) is not an error.
    match writeln!(stdout, "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(AppError::Output(format!("cannot write to stdout: {e}"))),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// Refuses a warm-up that leaves no interval to report: intervals starting before it are
/// dropped, so it must end by the start of the horizon's last interval. Otherwise every CSV
/// would be empty and the summary all zeros — a run that looks like one and says nothing.
pub fn check_warmup(model: &Model, warmup_s: f64) -> Result<(), AppError> {
    use crate::time::{Seconds, format_duration};
    let horizon = model.horizon_s();
    let last_start = horizon - model.interval_s;
    if warmup_s <= last_start {
        return Ok(());
    }
    let days = match model.days {
        1 => "1 day".to_string(),
        d => format!("{d} days"),
    };
    Err(AppError::Input(if warmup_s >= horizon {
        format!(
            "--warmup {} is not shorter than the horizon ({days}): nothing would be left to report",
            format_duration(Seconds(warmup_s))
        )
    } else {
        format!(
            "--warmup {} leaves no whole interval of the horizon ({days}): the last {} interval \
             starts at {}; intervals starting before the warm-up are dropped",
            format_duration(Seconds(warmup_s)),
            format_duration(Seconds(model.interval_s)),
            format_duration(Seconds(last_start))
        )
    }))
}

/// Removes `path` if it exists: a `plan_vs_sim.csv` (`journeys.csv`) of an earlier run in the same folder would
/// otherwise be read (by `hotline report`) as this run's.
fn remove_stale(path: &Path) -> Result<(), AppError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(out_err(path)(e)),
        _ => Ok(()),
    }
}

fn out_err(path: &Path) -> impl Fn(std::io::Error) -> AppError + '_ {
    move |e| AppError::Output(format!("{}: {e}", path.display()))
}

/// Simulates `model` (replication 0) and writes `intervals.csv`, `pools.csv`, `summary.csv`,
/// `waits.csv` and `run.json` into `out`. Intervals are written day by day as they close, so memory does not grow with the
/// horizon. Returns the summary rows.
pub fn simulate_to(model: &Model, out: &Path) -> Result<Outcome, AppError> {
    simulate_with_plan(model, out, None)
}

/// As [`simulate_to`]; with a staffing plan (already applied to `model`'s pools) also writes
/// `plan_vs_sim.csv`: the plan's promised SL and ASA beside the simulated ones, per interval
/// and queue, streamed like `intervals.csv`.
pub fn simulate_with_plan(
    model: &Model,
    out: &Path,
    plan: Option<&crate::plan::StaffingPlan>,
) -> Result<Outcome, AppError> {
    simulate_with_options(model, out, plan, 0.0, None)
}

/// As [`simulate_with_plan`], dropping the statistics of intervals starting before `warmup_s`,
/// and calling `progress(days done, days)` after each simulated day (never inside the loop).
pub fn simulate_with_options(
    model: &Model,
    out: &Path,
    plan: Option<&crate::plan::StaffingPlan>,
    warmup_s: f64,
    progress: Option<super::replicate::Progress>,
) -> Result<Outcome, AppError> {
    let days = (model.horizon_s() / crate::time::DAY).ceil() as u64;
    std::fs::create_dir_all(out).map_err(out_err(out))?;
    let p_intervals = out.join("intervals.csv");
    let p_pools = out.join("pools.csv");
    let p_summary = out.join("summary.csv");
    let p_arrivals = out.join("arrivals.csv");
    let mut intervals = AtomicCsv::create(&p_intervals).map_err(out_err(&p_intervals))?;
    let mut pools = AtomicCsv::create(&p_pools).map_err(out_err(&p_pools))?;
    let mut arrivals_csv = AtomicCsv::create(&p_arrivals).map_err(out_err(&p_arrivals))?;
    // Caller classes: `class_intervals.csv` streamed like `intervals.csv`, `classes.csv` at
    // the end; neither exists for a scenario without classes.
    let p_class_intervals = out.join("class_intervals.csv");
    let mut class_csv = match crate::stats::classes::ClassLayout::of(model) {
        Some(_) => {
            Some(AtomicCsv::create(&p_class_intervals).map_err(out_err(&p_class_intervals))?)
        }
        None => None,
    };
    let p_plan = out.join("plan_vs_sim.csv");
    let mut plan_csv = match plan {
        Some(_) => Some(AtomicCsv::create(&p_plan).map_err(out_err(&p_plan))?),
        None => None,
    };
    // (start, calls offered) of every `all` row, for the realised night share: 16 bytes per
    // interval, kept only when a night window is set.
    let mut offered_by_interval: Vec<(f64, u64)> = Vec::new();
    let track_night = model.extras.night_window.is_some();

    let key = StreamKey::new(model.seed, 0);
    let arrivals = ScenarioArrivals::new(model, key)
        .map_err(|e| AppError::Input(format!("cannot read the replayed call log: {e}")))?;
    let mut stats = IntervalStats::new(model);
    stats.set_warmup(warmup_s);
    let mut engine = Engine::new(model, arrivals, LongestIdleOldestCall, stats, key);
    let mut until = 0.0;
    let mut drain = |stats: &mut IntervalStats| -> Result<(), AppError> {
        let (rows, pool_rows) = stats.drain_rows();
        for r in rows {
            intervals.write(&r).map_err(out_err(&p_intervals))?;
            arrivals_csv
                .write(&report::arrival_row(model, &r))
                .map_err(out_err(&p_arrivals))?;
            if let (Some(plan), Some(csv)) = (plan, plan_csv.as_mut()) {
                if let Some(row) = plan.compare(model, &r) {
                    csv.write(&row).map_err(out_err(&p_plan))?;
                }
            }
            if track_night && r.queue == "all" {
                offered_by_interval.push((r.interval_start_s, r.offered));
            }
        }
        for r in pool_rows {
            pools.write(&r).map_err(out_err(&p_pools))?;
        }
        if let Some(csv) = class_csv.as_mut() {
            for r in stats.drain_class_rows() {
                csv.write(&r).map_err(out_err(&p_class_intervals))?;
            }
        }
        Ok(())
    };
    while !engine.finished() {
        until += crate::time::DAY;
        engine.run_until(until);
        if engine.overflowed() {
            return Err(AppError::Input(format!(
                "{}: more than {} callers in the system at once (day {}): the scenario has no \
                 capacity for them — staff the queues they wait in, or give callers a patience",
                model.source.display(),
                crate::engine::MAX_IN_SYSTEM,
                (until / crate::time::DAY).ceil()
            )));
        }
        drain(engine.observer_mut())?;
        if let Some(p) = progress {
            p(((until / crate::time::DAY) as u64).min(days), days);
        }
    }
    let mut stats = engine.into_observer();
    stats.finish();
    drain(&mut stats)?;
    let summary = stats.summary();
    let mut s = AtomicCsv::create(&p_summary).map_err(out_err(&p_summary))?;
    for r in &summary {
        s.write(r).map_err(out_err(&p_summary))?;
    }
    intervals.commit().map_err(out_err(&p_intervals))?;
    pools.commit().map_err(out_err(&p_pools))?;
    arrivals_csv.commit().map_err(out_err(&p_arrivals))?;
    s.commit().map_err(out_err(&p_summary))?;
    if let Some(csv) = plan_csv {
        csv.commit().map_err(out_err(&p_plan))?;
    }
    if let Some(csv) = class_csv {
        csv.commit().map_err(out_err(&p_class_intervals))?;
    }
    let classes = stats.class_summary();
    if let Some(rows) = &classes {
        write_table(&out.join("classes.csv"), rows)?;
    }
    if let Some(rows) = stats.journey_summary() {
        write_table(&out.join("journeys.csv"), &rows)?;
    }
    write_run_files(model, &stats, out)?;
    let night = model
        .extras
        .night_window
        .and_then(|w| report::night_share(w, &offered_by_interval));
    Ok(Outcome {
        summary,
        night_share: night,
        classes,
    })
}

/// Writes `rows` to the CSV file `p` (atomically).
fn write_table<T: serde::Serialize + Default>(p: &Path, rows: &[T]) -> Result<(), AppError> {
    let mut csv = AtomicCsv::create(p).map_err(out_err(p))?;
    for r in rows {
        csv.write(r).map_err(out_err(p))?;
    }
    csv.commit().map_err(out_err(p))
}

/// What a simulation run reports back besides its files.
pub struct Outcome {
    pub summary: Vec<SummaryRow>,
    /// Share of calls offered in the scenario's night window, when it has one.
    pub night_share: Option<f64>,
    /// `classes.csv` rows, when some queue has caller classes.
    pub classes: Option<Vec<crate::stats::classes::ClassRow>>,
}

/// Says on stderr when the policy orders caller classes but no queue has any (the run is then
/// the same as `fifo`), so a planner comparing policies is not misled.
pub(crate) fn print_policy_notes(model: &Model) {
    if model.policy.classes != crate::routing::ClassOrder::Fifo
        && model.queues.iter().all(|q| q.classes.is_empty())
    {
        eprintln!(
            "note: policy `{}` orders caller classes, but no queue has [[queue.class]]: every \
             queue is served oldest call first",
            model.policy
        );
    }
}

/// `waits.csv` (whole-run wait distribution per queue and `all`) and `run.json` (run facts),
/// which `hotline report` needs besides the interval CSVs.
fn write_run_files(model: &Model, stats: &IntervalStats, out: &Path) -> Result<(), AppError> {
    use crate::report::run_files::{RunFacts, wait_bins};
    use crate::scenario::QueueId;
    let p_waits = out.join("waits.csv");
    let mut waits = AtomicCsv::create(&p_waits).map_err(out_err(&p_waits))?;
    let queues = model
        .queues
        .iter()
        .enumerate()
        .map(|(i, q)| (q.name.as_str(), Some(QueueId(i as u32))))
        .chain(std::iter::once(("all", None)));
    for (name, q) in queues {
        for row in wait_bins(name, &stats.waits(q)) {
            waits.write(&row).map_err(out_err(&p_waits))?;
        }
    }
    waits.commit().map_err(out_err(&p_waits))?;
    let p_run = out.join("run.json");
    let json = serde_json::to_string_pretty(&report::numbers::Rounded::json(&RunFacts::of(model)))
        .map_err(|e| AppError::Output(format!("{}: {e}", p_run.display())))?;
    let mut f = AtomicFile::create(&p_run).map_err(out_err(&p_run))?;
    f.write_all(json.as_bytes()).map_err(out_err(&p_run))?;
    f.commit().map_err(out_err(&p_run))?;
    Ok(())
}
