//! `hotline staff`: per-interval staffing requirements. Flags (over the scenario's `[staffing]`)
//! → [`StaffingSettings`] → [`Planner`] interval by interval → `staffing.csv` and
//! `staffing_daily.csv` (streamed, atomic) → a per-weekday table on stdout.
//!
//! Owns flag validation (naming the flag) and the printed table; the staffing itself is
//! `crate::plan::staffing`'s.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::AppError;
use super::simulate::default_out;
use crate::cli::{StaffArgs, StaffModelArg};
use crate::plan::staffing::WeekdaySummary;
use crate::plan::{DailyTotals, Planner, StaffingRow, StaffingSettings};
use crate::report::AtomicCsv;
use crate::scenario::{StaffingModel, StaffingTargets};
use crate::time::format_duration;

/// Runs `hotline staff`.
pub fn run(args: &StaffArgs) -> Result<ExitCode, AppError> {
    let model = crate::scenario::load(&args.scenario)?;
    super::print_notes(&model);
    let flags = flag_targets(args)?;
    if let Some(g) = model.staffing.service_level.filter(|g| g.fraction >= 1.0) {
        if flags.service_level.is_none() {
            return Err(AppError::Input(format!(
                "{}: [staffing] target: {}",
                args.scenario.display(),
                unreachable_sl(g.fraction)
            )));
        }
    }
    let settings = StaffingSettings::resolve(&flags, &model.staffing);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    std::fs::create_dir_all(&out).map_err(out_err(&out))?;
    let p_staffing = out.join("staffing.csv");
    let p_daily = out.join("staffing_daily.csv");
    let mut staffing = AtomicCsv::create(&p_staffing).map_err(out_err(&p_staffing))?;
    let mut daily = AtomicCsv::create(&p_daily).map_err(out_err(&p_daily))?;

    let mut planner = Planner::new(&model, settings);
    let mut totals = DailyTotals::new(&model);
    let mut reqs = Vec::with_capacity(model.queues.len());
    for k in 0..model.interval_count() {
        planner.interval(k, &mut reqs)?;
        for r in &reqs {
            staffing
                .write(&StaffingRow::new(&model, &settings, r))
                .map_err(out_err(&p_staffing))?;
        }
        if let Some(rows) = totals.add(model.interval_s, &reqs) {
            for row in &rows {
                daily.write(row).map_err(out_err(&p_daily))?;
            }
        }
    }
    for row in totals.finish_day().unwrap_or_default() {
        daily.write(&row).map_err(out_err(&p_daily))?;
    }
    staffing.commit().map_err(out_err(&p_staffing))?;
    daily.commit().map_err(out_err(&p_daily))?;
    // The run facts (dates, intervals, queues) for the charts and `hotline report` of a
    // staffing-only folder; a simulation's own run.json, when the folder has one, is kept.
    let facts = out.join("run.json");
    if !facts.exists() {
        super::replicated::write_json(
            &facts,
            &crate::report::numbers::Rounded::json(&crate::report::run_files::RunFacts::of(&model)),
            true,
        )?;
    }
    let workbook = if args.no_xlsx {
        None
    } else {
        crate::report::xlsx::write_workbook(&out)?
    };
    let mut charts = workbook.map_or(String::new(), |_| ", report.xlsx".into());
    charts += &if args.no_charts {
        String::new()
    } else {
        draw_charts(&out)?
    };

    let text = format!(
        "{} — {} days, {}\n\n{}\nwrote {}/{{staffing,staffing_daily}}.csv{charts}",
        model.name,
        model.days,
        describe(&settings),
        weekday_table(&totals.weekdays()),
        out.display()
    );
    // A closed pipe (`| head`) is not an error.
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(AppError::Output(format!("cannot write to stdout: {e}"))),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// Draws the staffing chart into `out` from the `staffing.csv` just written (with the agents of a
/// simulation already in the folder when it reads cleanly) and says what was written.
fn draw_charts(out: &Path) -> Result<String, AppError> {
    use crate::report::charts::{STAFF_CHARTS, write_charts_of};
    use crate::report::data::RunData;
    let run = match RunData::load(out) {
        Ok(run) => run,
        // A broken simulation in the folder is not this command's input: draw the plan alone.
        Err(e) => {
            eprintln!("warning: {e}; the staffing chart is drawn without the simulation");
            RunData::load_staffing(out)?
        }
    };
    let mut text = String::new();
    for chart in write_charts_of(&run, STAFF_CHARTS, out)? {
        text.push_str(&format!(", {}.{{png,svg}}", chart.stem));
    }
    if out.join("report.html").exists() {
        text.push_str(&format!(
            "\n(`hotline report {}` adds the staffing chart to report.html)",
            out.display()
        ));
    }
    Ok(text)
}

/// The flags as targets (unset where not given), each checked with its flag's name.
fn flag_targets(args: &StaffArgs) -> Result<StaffingTargets, AppError> {
    let fraction = |flag: &str, v: Option<f64>, zero_ok: bool| -> Result<Option<f64>, AppError> {
        match v {
            None => Ok(None),
            Some(x) if zero_ok && x.is_finite() && (0.0..1.0).contains(&x) => Ok(Some(x)),
            Some(x) if !zero_ok && x.is_finite() && x > 0.0 && x <= 1.0 => Ok(Some(x)),
            Some(x) => Err(AppError::Input(format!(
                "{flag} must be in {}, got {x}",
                if zero_ok { "[0, 1)" } else { "(0, 1]" }
            ))),
        }
    };
    if let Some(g) = args.target.filter(|g| g.fraction >= 1.0) {
        return Err(AppError::Input(format!(
            "--target: {}",
            unreachable_sl(g.fraction)
        )));
    }
    if let Some(asa) = args.target_asa {
        if !(asa.0.is_finite() && asa.0 > 0.0) {
            return Err(AppError::Input(format!(
                "--target-asa must be a positive duration, got {}",
                format_duration(asa)
            )));
        }
    }
    Ok(StaffingTargets {
        service_level: args.target,
        model: args.model.map(|m| match m {
            StaffModelArg::ErlangC => StaffingModel::ErlangC,
            StaffModelArg::ErlangA => StaffingModel::ErlangA,
        }),
        shrinkage: fraction("--shrinkage", args.shrinkage, true)?,
        max_occupancy: fraction("--max-occupancy", args.max_occupancy, false)?,
        target_asa: args.target_asa,
        max_abandon: fraction("--max-abandon", args.max_abandon, false)?,
    })
}

/// Why a service-level target of 100 % is refused: Erlang C and A approach it but never reach
/// it, so a solver would stop at whatever staffing rounds to 100 % in floating point.
pub(super) fn unreachable_sl(fraction: f64) -> String {
    format!(
        "a service level of {}% is unreachable: with Poisson arrivals some calls always wait \
         longer than any threshold, whatever the agents (Erlang C and A never reach 100%); aim \
         below, e.g. 99%",
        pct(fraction)
    )
}

/// A share as a percentage without binary noise (`0.57` → `57`, not `56.99999999999999`),
/// by the outputs' one rounding rule.
fn pct(share: f64) -> String {
    crate::report::numbers::figure_text(100.0 * share)
}

/// One line saying what the plan was computed for.
fn describe(s: &StaffingSettings) -> String {
    let within = s
        .goal
        .threshold
        .map_or("each queue's threshold".to_string(), format_duration);
    let mut parts = vec![
        format!("target {}% within {within}", pct(s.goal.fraction)),
        match s.model {
            StaffingModel::ErlangC => "Erlang C".to_string(),
            StaffingModel::ErlangA => "Erlang A (mean patience per queue)".to_string(),
        },
        format!("shrinkage {}%", pct(s.shrinkage)),
    ];
    if let Some(asa) = s.target_asa {
        parts.push(format!("ASA ≤ {}", format_duration(asa)));
    }
    if let Some(o) = s.max_occupancy {
        parts.push(format!("occupancy ≤ {}%", pct(o)));
    }
    if let Some(a) = s.max_abandon {
        parts.push(format!("abandonment ≤ {}% (Erlang A)", pct(a)));
    }
    parts.join(", ")
}

/// Per weekday, all queues together: peak agents in one interval and agent-hours per day.
fn weekday_table(days: &[(&'static str, WeekdaySummary); 7]) -> String {
    let head = [
        "weekday",
        "days",
        "calls/day",
        "peak agents",
        "peak scheduled",
        "agent-h/day C",
        "agent-h/day A",
        "scheduled-h/day",
    ];
    let mut lines: Vec<[String; 8]> = vec![head.map(String::from)];
    for (name, w) in days.iter().filter(|(_, w)| w.days > 0) {
        let per_day = |v: f64| format!("{:.0}", v / f64::from(w.days));
        let mut day = (*name).to_string();
        day[..1].make_ascii_uppercase();
        lines.push([
            day,
            w.days.to_string(),
            per_day(w.calls),
            w.peak_agents_required.to_string(),
            w.peak_agents_scheduled.to_string(),
            per_day(w.agent_hours_erlang_c),
            per_day(w.agent_hours_erlang_a),
            per_day(w.agent_hours_scheduled),
        ]);
    }
    let mut out = crate::report::aligned(&lines);
    out.push_str(
        "(peaks: most agents on the phones / scheduled in one interval, all queues together; \
         agent-hours: mean per day)\n",
    );
    out
}

fn out_err(path: &Path) -> impl Fn(std::io::Error) -> AppError + '_ {
    move |e| AppError::Output(format!("{}: {e}", path.display()))
}
