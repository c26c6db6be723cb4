//! `hotline erlang`: the staffing calculator. Flags → a validated request → the figures from
//! [`crate::erlang`] → a short table or one JSON object on stdout.
//!
//! Owns flag validation (with the flag's name in every message) and output formatting; the math
//! is all in `crate::erlang`.

use std::process::ExitCode;

use serde::Serialize;

use super::AppError;
use crate::cli::ErlangArgs;
use crate::erlang::tolerance::MAX_AGENTS;
use crate::erlang::{
    Compact, ErlangError, Figures, Load, Model, ServiceLevelTarget, Targets, evaluate,
    required_agents,
};

/// `--threshold` when neither it nor `--target-sl 80/20` gives one.
const DEFAULT_THRESHOLD_S: f64 = 20.0;
use crate::time::{Seconds, format_duration};

/// What the flags ask for, validated.
struct Request {
    load: Load,
    model: Model,
    threshold: Seconds,
    mode: Mode,
}

enum Mode {
    /// Evaluate this staffing.
    Evaluate { agents: u32 },
    /// Find the fewest agents meeting the targets, then schedule for shrinkage.
    Solve { targets: Targets, shrinkage: f64 },
}

/// One calculator result: a flat record, the JSON output.
#[derive(Debug, Serialize)]
struct Record {
    /// "erlang_c" or "erlang_a".
    model: &'static str,
    /// Calls offered per hour.
    calls_per_hour: f64,
    /// Mean handle time, seconds.
    aht_s: f64,
    /// Mean patience, seconds (Erlang A only).
    #[serde(skip_serializing_if = "Option::is_none")]
    patience_s: Option<f64>,
    /// Offered load a = λ·AHT in erlangs.
    offered_load_erlangs: f64,
    /// Agents on the phones the figures are for.
    agents: u32,
    /// Solve mode: the fewest agents on the phones meeting every target.
    #[serde(skip_serializing_if = "Option::is_none")]
    agents_required: Option<u32>,
    /// Solve mode: ceil(agents_required / (1 − shrinkage)).
    #[serde(skip_serializing_if = "Option::is_none")]
    agents_scheduled: Option<u32>,
    /// Solve mode: the shrinkage used.
    #[serde(skip_serializing_if = "Option::is_none")]
    shrinkage: Option<f64>,
    /// Service-level threshold, seconds.
    threshold_s: f64,
    /// P(an arriving call waits).
    p_wait: f64,
    /// Answered within the threshold over all offered calls.
    service_level: f64,
    /// Erlang A: answered within the threshold over (answered + abandoned after the threshold).
    #[serde(skip_serializing_if = "Option::is_none")]
    service_level_excl_early_abandons: Option<f64>,
    /// Mean wait of answered calls, seconds.
    asa_s: f64,
    /// Erlang A: mean wait of all callers, answered or abandoned, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    mean_wait_s: Option<f64>,
    /// Carried load over agents.
    occupancy: f64,
    /// Erlang A: P(an arriving call abandons).
    #[serde(skip_serializing_if = "Option::is_none")]
    p_abandon: Option<f64>,
}

/// Runs `hotline erlang`.
pub fn run(args: &ErlangArgs) -> Result<ExitCode, AppError> {
    let request = validate(args)?;
    let (agents, solved) = match request.mode {
        Mode::Evaluate { agents } => (agents, None),
        Mode::Solve { targets, shrinkage } => {
            let required = required_agents(request.model, request.load, &targets)
                .map_err(|e| input(&e.to_string()))?;
            (
                required,
                Some((required, scheduled(required, shrinkage), shrinkage)),
            )
        }
    };
    let figures = evaluate(request.model, request.load, agents, request.threshold)
        .map_err(|e| explain(&e))?;
    let record = record(args, &request, &figures, solved);
    if args.json {
        // The README's number rule, as in every CSV and `--json`: whole numbers as integers,
        // other figures to 6 significant digits.
        let text = serde_json::to_string(&crate::report::numbers::Rounded::json(&record))
            .map_err(|e| AppError::Output(e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", table(&record));
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(args: &ErlangArgs) -> Result<Request, AppError> {
    if !(args.calls_per_hour.is_finite() && args.calls_per_hour > 0.0) {
        return Err(input(&format!(
            "--calls-per-hour must be a positive number, got {}",
            Compact(args.calls_per_hour)
        )));
    }
    positive_duration("--aht", args.aht)?;
    let threshold = match (args.threshold, args.target_sl.and_then(|g| g.threshold)) {
        (Some(_), Some(_)) => {
            return Err(input(
                "give the threshold once: `--target-sl 80/20` or `--target-sl 80% --threshold 20s`",
            ));
        }
        (Some(t), None) | (None, Some(t)) => t,
        (None, None) => Seconds(DEFAULT_THRESHOLD_S),
    };
    if !(threshold.0.is_finite() && threshold.0 >= 0.0) {
        return Err(input("--threshold must be a duration ≥ 0"));
    }
    let model = match args.patience {
        Some(p) => {
            positive_duration("--patience", p)?;
            Model::ErlangA { patience: p }
        }
        None => Model::ErlangC,
    };
    let load = Load::per_hour(args.calls_per_hour, args.aht).map_err(|e| input(&e.to_string()))?;
    let mode = if let Some(agents) = args.agents {
        if let Some(s) = args.shrinkage {
            return Err(input(&format!(
                "--shrinkage {} with --agents {agents}: shrinkage only turns agents required \
                 into agents to schedule when solving; --agents are the agents on the phones \
                 (after shrinkage), so give those, e.g. --agents {} for {agents} scheduled at \
                 that shrinkage",
                Compact(s),
                (f64::from(agents) * (1.0 - s)).floor().max(0.0)
            )));
        }
        if agents == 0 {
            return Err(input("--agents must be at least 1"));
        }
        if agents > MAX_AGENTS {
            return Err(input(&format!(
                "--agents must be at most {MAX_AGENTS} (the largest staffing hotline computes), got {agents}"
            )));
        }
        Mode::Evaluate { agents }
    } else {
        if args.target_sl.is_none()
            && args.target_asa.is_none()
            && args.max_abandon.is_none()
            && args.max_occupancy.is_none()
        {
            return Err(input(
                "give --agents to evaluate a staffing, or a target to solve for one \
                 (--target-sl, --target-asa, --max-abandon, --max-occupancy)",
            ));
        }
        for (flag, value) in [
            ("--target-sl", args.target_sl.map(|g| g.fraction)),
            ("--max-abandon", args.max_abandon),
            ("--max-occupancy", args.max_occupancy),
        ] {
            if let Some(v) = value {
                if !(v > 0.0 && v <= 1.0) {
                    return Err(input(&format!(
                        "{flag} must be in (0, 1], got {}",
                        Compact(v)
                    )));
                }
            }
        }
        if let Some(g) = args.target_sl.filter(|g| g.fraction >= 1.0) {
            return Err(input(&format!(
                "--target-sl: {}",
                super::staff::unreachable_sl(g.fraction)
            )));
        }
        if let Some(asa) = args.target_asa {
            positive_duration("--target-asa", asa)?;
        }
        if args.max_abandon.is_some() && args.patience.is_none() {
            return Err(input(
                "--max-abandon needs --patience: without it nobody abandons (Erlang C)",
            ));
        }
        let shrinkage = args.shrinkage.unwrap_or(0.0);
        if !(0.0..1.0).contains(&shrinkage) {
            return Err(input(&format!(
                "--shrinkage must be in [0, 1), got {}",
                Compact(shrinkage)
            )));
        }
        let targets = Targets {
            service_level: args.target_sl.map(|g| ServiceLevelTarget {
                fraction: g.fraction,
                threshold,
            }),
            max_asa: args.target_asa,
            max_abandon: args.max_abandon,
            max_occupancy: args.max_occupancy,
        };
        Mode::Solve { targets, shrinkage }
    };
    Ok(Request {
        load,
        model,
        threshold,
        mode,
    })
}

/// Agents to schedule so that `required` are on the phones after shrinkage. The small
/// allowance keeps e.g. 70 / (1 − 0.3) at 100 despite rounding.
fn scheduled(required: u32, shrinkage: f64) -> u32 {
    (f64::from(required) / (1.0 - shrinkage) - 1e-9).ceil() as u32
}

fn record(
    args: &ErlangArgs,
    request: &Request,
    f: &Figures,
    solved: Option<(u32, u32, f64)>,
) -> Record {
    let erlang_a = request.model.patience().is_some();
    let only_a = |v: f64| erlang_a.then_some(v);
    Record {
        model: if erlang_a { "erlang_a" } else { "erlang_c" },
        calls_per_hour: args.calls_per_hour,
        aht_s: args.aht.0,
        patience_s: request.model.patience().map(|p| p.0),
        offered_load_erlangs: f.offered_load,
        agents: f.agents,
        agents_required: solved.map(|s| s.0),
        agents_scheduled: solved.map(|s| s.1),
        shrinkage: solved.map(|s| s.2),
        threshold_s: f.threshold.0,
        p_wait: f.p_wait,
        service_level: f.service_level,
        service_level_excl_early_abandons: only_a(f.service_level_excl_early_abandons),
        asa_s: f.asa.0,
        mean_wait_s: only_a(f.mean_wait.0),
        occupancy: f.occupancy,
        p_abandon: only_a(f.p_abandon),
    }
}

fn table(r: &Record) -> String {
    let mut lines: Vec<(String, String)> = Vec::new();
    let model = match r.patience_s {
        Some(p) => format!("Erlang A (M/M/c+M), mean patience {}", fmt_duration(p)),
        None => "Erlang C (M/M/c)".to_string(),
    };
    lines.push(("model".into(), model));
    lines.push((
        "offered load".into(),
        format!(
            "{:.3} erlangs ({} calls/h × {})",
            r.offered_load_erlangs,
            Compact(r.calls_per_hour),
            fmt_duration(r.aht_s)
        ),
    ));
    if let (Some(req), Some(sch), Some(shr)) = (r.agents_required, r.agents_scheduled, r.shrinkage)
    {
        lines.push(("agents required".into(), format!("{req} on the phones")));
        lines.push((
            "agents scheduled".into(),
            format!("{sch} (shrinkage {:.1}%)", 100.0 * shr),
        ));
    } else {
        lines.push(("agents".into(), r.agents.to_string()));
    }
    let threshold = fmt_duration(r.threshold_s);
    lines.push(("P(wait)".into(), format!("{:.4}", r.p_wait)));
    lines.push((
        "service level".into(),
        format!(
            "{:.2}% answered within {threshold}",
            100.0 * r.service_level
        ),
    ));
    if let Some(sl2) = r.service_level_excl_early_abandons {
        lines.push((
            "".into(),
            format!(
                "{:.2}% excluding calls abandoned within {threshold}",
                100.0 * sl2
            ),
        ));
    }
    lines.push(("ASA".into(), format!("{:.1} s", r.asa_s)));
    if let Some(w) = r.mean_wait_s {
        lines.push(("mean wait, all".into(), format!("{w:.1} s")));
    }
    if let Some(p) = r.p_abandon {
        lines.push(("P(abandon)".into(), format!("{:.2}%", 100.0 * p)));
    }
    lines.push(("occupancy".into(), format!("{:.1}%", 100.0 * r.occupancy)));
    lines
        .into_iter()
        .map(|(k, v)| format!("{k:<18}{v}\n"))
        .collect()
}

fn fmt_duration(s: f64) -> String {
    format_duration(Seconds(s))
}

fn positive_duration(flag: &str, d: Seconds) -> Result<(), AppError> {
    if d.0.is_finite() && d.0 > 0.0 {
        Ok(())
    } else {
        Err(input(&format!(
            "{flag} must be a positive duration, got {}",
            fmt_duration(d.0)
        )))
    }
}

/// An evaluation error in the planner's words, naming the flags involved.
fn explain(e: &ErlangError) -> AppError {
    match e {
        ErlangError::Unstable { load, agents } => input(&format!(
            "--agents {agents} cannot carry {:.3} erlangs without abandonment (Erlang C needs \
             more agents than the offered load; add agents or give --patience for Erlang A)",
            Compact(*load)
        )),
        other => input(&other.to_string()),
    }
}

fn input(message: &str) -> AppError {
    AppError::Input(message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduled_agents_round_up_after_shrinkage() {
        assert_eq!(scheduled(70, 0.3), 100);
        assert_eq!(scheduled(57, 0.3), 82);
        assert_eq!(scheduled(57, 0.0), 57);
    }
}
