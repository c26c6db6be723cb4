//! `hotline schedule`: requirements (a `staffing.csv`, or computed as `hotline staff` does) →
//! per pool the integer program over shift variants → one roster for the horizon (whole weeks) → `shifts.csv`,
//! `roster.csv`, `coverage.csv`, `schedule.json` and the `coverage` chart (all atomic) → a
//! summary on stdout.
//!
//! Owns the files' rows; the printed summary is [`summary`]'s, the scheduling `crate::schedule`'s.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;

use super::AppError;
use super::simulate::default_out;
use crate::cli::ScheduleArgs;
use crate::plan::{Planner, StaffingPlan, StaffingSettings};
use crate::report::AtomicCsv;
use crate::report::AtomicFile;
use crate::scenario::shifts::{DAY_MIN, ShiftRules};
use crate::scenario::{Model, QueueId, StaffingTargets};
use crate::schedule::closed_hours;
use crate::schedule::roster::{self, Roster};
use crate::schedule::solve::{self, Solution};
use crate::schedule::{
    PoolSchedule, ScheduleError, Variant, WEEK_DAYS, horizon_days, idle_intervals,
    pool_requirements, schedule_pools, variants,
};
use crate::time::WEEKDAY_LABELS;

mod summary;

use self::summary::{closed_hours_text, summary_text};

/// One row of `shifts.csv`: agents working one shift variant.
#[derive(Debug, Default, Serialize)]
struct ShiftRow {
    /// The `[[shift]]` template.
    shift: String,
    /// Weekday the shift starts on.
    day: &'static str,
    /// `HH:MM`.
    start: String,
    /// `HH:MM`, with `+1d` when the shift ends the next day.
    end: String,
    /// Breaks as `HH:MM length`, lunch marked, `;`-separated.
    breaks: String,
    /// Agents the roster put on this shift.
    agents: u32,
    /// Their pay for it, in the unit of `[roster] hourly_cost`, premiums included.
    cost: f64,
    pool: String,
    /// Paid hours of one agent on it (length minus unpaid lunch).
    paid_hours: f64,
    /// A night shift for the roster rules.
    night: bool,
    /// Agents the integer program chose but no agent could take under the rules.
    unassigned: u32,
    /// Date the shift starts on (`YYYY-MM-DD`; empty for an undated scenario).
    date: String,
    /// Week of the horizon, 1-based.
    week: usize,
}

/// One row of `coverage.csv`.
#[derive(Debug, Default, Serialize)]
struct CoverageRow {
    interval_start: String,
    interval_start_s: f64,
    pool: String,
    /// Agents required on the phones (the requirements' `agents_scheduled`).
    required: u32,
    /// Agents of the roster on the phones (on shift, not on a break or lunch).
    scheduled: u32,
    over: u32,
    under: u32,
    weekday: &'static str,
}

/// `schedule.json`: the solver's answer per pool and in total.
///
/// Two costs, of two different things: the **shift plan** is what the integer program chose
/// (every agent working each day of its run of days; `objective` and `lp_bound` are about it),
/// the **roster** is the shifts agents were actually given. A shift of the plan no agent can
/// take under the rules (`unassigned_shifts`) is not in the roster, so the roster can cost less
/// than the plan, and less than the plan's LP bound: that bound is not a bound on the roster.
#[derive(Debug, Serialize)]
struct Summary {
    pools: Vec<PoolSummary>,
    /// Sum over pools of `roster_cost`: the pay of the shifts agents work (unassigned shifts
    /// excluded), premiums included.
    roster_cost: f64,
    /// Sum over pools of the LP lower bound on the program's `objective` (the shift plan, not
    /// the roster).
    lp_bound: f64,
    /// Agent-intervals short after rostering (`under` of coverage.csv).
    short_agent_intervals: u64,
    /// Sum over pools of `shift_cost`: the pay of the program's shift plan, unassigned shifts
    /// included.
    shift_plan_cost: f64,
    /// Sum over pools of the program's objective (shift plan + penalty for planned shortage).
    objective: f64,
    /// Shifts of the plan no agent could take (not in the roster, not in its cost).
    unassigned_shifts: u32,
}

#[derive(Debug, Default, Serialize)]
struct PoolSummary {
    pool: String,
    /// `optimal` (proven) or `feasible` (within `gap` of `bound`); `nothing to cover`.
    status: &'static str,
    /// Objective of the integer program: shift cost + penalty × agent-intervals short.
    objective: f64,
    /// Pay of the chosen shifts.
    shift_cost: f64,
    /// Optimum of the LP relaxation.
    lp_bound: f64,
    /// Best proven lower bound on the objective.
    bound: f64,
    /// (objective − bound) ÷ objective.
    gap: f64,
    nodes: u64,
    /// Penalty per agent-interval short in the objective.
    penalty_per_agent_interval: f64,
    variants: usize,
    /// Agent-intervals the program left short (no allowed shift covers them).
    short_planned: u64,
    agents: usize,
    shifts: u32,
    /// Shifts no agent could take under the roster rules.
    unassigned_shifts: u32,
    /// Agents below their contract's minimum weekly hours.
    agents_under_min_hours: usize,
    /// Cost of the shifts the roster actually staffs (`shift_cost` minus the unassigned).
    roster_cost: f64,
    /// Agent-hours rostered on the phones while every queue the pool serves is closed (the
    /// program avoids them unless the shift templates or the contract's days leave no other
    /// way).
    closed_agent_hours: f64,
    /// Their pay before premiums, each at its agent's contract rate.
    closed_hours_pay: f64,
    /// The closed agent-hours by the rule that keeps them (`crate::schedule::closed_hours`):
    /// what relaxing each rule could save at most.
    closed_hours_by_rule: Vec<ClosedByRule>,
    /// Paid hours above agents' `max_weekly_hours` (contracts with `overtime_hours`).
    overtime_hours: f64,
    /// The overtime premium on them (their base pay is in the shifts' `cost`).
    overtime_pay: f64,
    /// With `agents.csv`: the pool's named agents, and those the roster needs no shift from.
    #[serde(skip_serializing_if = "Option::is_none")]
    people: Option<super::named_agents::People>,
}

/// What [`write_schedule`] says on stdout.
pub(crate) struct Said {
    /// The whole summary (`hotline schedule` prints it).
    pub summary: String,
    /// Per pool with closed agent-hours, those lines alone (`hotline plan` prints them under
    /// its own table).
    pub closed_hours: String,
}

/// Closed agent-hours of a pool kept by one rule, and their pay before premiums.
#[derive(Debug, Serialize)]
struct ClosedByRule {
    rule: &'static str,
    agent_hours: f64,
    pay: f64,
}

/// Runs `hotline schedule`.
pub fn run(args: &ScheduleArgs) -> Result<ExitCode, AppError> {
    let (model, rules) = load(&args.scenario, "schedule")?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    let per_queue = requirements(&model, args.requirements.as_deref())?;
    let required = pool_requirements(&model, &per_queue);
    let interval_min = (model.interval_s / 60.0).round() as u32;
    let days = model.days as usize;
    let vars = variants(&rules, model.calendar.first_weekday(), interval_min, days);
    let clock = Instant::now();
    let budget = solve::Budget {
        time: std::time::Duration::from_secs(args.time_limit),
        ..solve::Budget::default()
    };
    let plans = schedule_pools(
        &rules,
        &vars,
        &required,
        &idle_intervals(&model),
        days,
        budget,
    )
    .map_err(schedule_err)?;
    let elapsed = clock.elapsed().as_secs_f64();
    let text = write_schedule(
        &out,
        &model,
        &rules,
        &vars,
        &required,
        &plans,
        args.no_charts,
    )?
    .summary;
    super::print(&(text.replace("{elapsed}", &format!("{elapsed:.1}"))))
}

/// The scenario and its shift rules, refused (exit 2) without `[[shift]]` or unless days are
/// whole weeks (1 to 13).
pub(crate) fn load(scenario: &Path, command: &str) -> Result<(Model, ShiftRules), AppError> {
    let (model, rules) = crate::scenario::load_with_shift_rules(scenario)?;
    super::print_notes(&model);
    let rules = rules.ok_or_else(|| {
        AppError::Input(format!(
            "{}: no [[shift]] templates: `hotline {command}` needs [[shift]], [[contract]] and (optionally) [roster] (see docs/scenario-format.md)",
            scenario.display()
        ))
    })?;
    horizon_days(u64::from(model.days)).map_err(|e| {
        AppError::Input(format!("{}: `hotline {command}`: {e}", scenario.display()))
    })?;
    Ok((model, rules))
}

/// Writes `coverage.csv`, `shifts.csv`, `roster.csv`, `schedule.json` (and the coverage chart
/// unless `no_charts`) of `plans` into `out`; returns the summary for stdout (with
/// `{elapsed}` where the solve time goes).
pub(crate) fn write_schedule(
    out: &Path,
    model: &Model,
    rules: &ShiftRules,
    vars: &[Variant],
    required: &[Vec<u32>],
    plans: &[PoolSchedule],
    no_charts: bool,
) -> Result<Said, AppError> {
    std::fs::create_dir_all(out).map_err(out_err(out))?;
    let intervals = model.interval_count() as usize;
    let mut pools = Vec::new();
    let mut rosters = Vec::new();
    let mut counts_used = Vec::new();
    for (p, plan) in plans.iter().enumerate() {
        let name = model.pools[p].name.clone();
        match &plan.solution {
            None => pools.push(empty_summary(name, vars.len())),
            Some(sol) => pools.push(pool_summary(
                name,
                sol,
                &plan.roster,
                &plan.counts,
                plan.roster_cost,
                vars.len(),
            )),
        }
        rosters.push(plan.roster.clone());
        counts_used.push(plan.counts.clone());
    }
    // Hours on the phones while every queue a pool serves is closed, from the roster.
    let idle = idle_intervals(model);
    let interval_h = model.interval_s / 3600.0;
    for (p, r) in rosters.iter().enumerate() {
        let (mut hours, mut pay) = (0.0, 0.0);
        for a in &r.agents {
            let rate = rules.contracts[a.contract].hourly_cost;
            for &v in a.days.iter().flatten() {
                let n = vars[v].covers.iter().filter(|&&k| idle[p][k]).count() as f64;
                hours += n * interval_h;
                pay += n * interval_h * rate;
            }
        }
        pools[p].closed_agent_hours = hours;
        pools[p].closed_hours_pay = pay;
        if hours > 0.0 {
            pools[p].closed_hours_by_rule =
                closed_hours::attribute(rules, vars, r, p, &idle[p], interval_h)
                    .into_iter()
                    .map(|c| ClosedByRule {
                        rule: c.cause.text(),
                        agent_hours: c.agent_hours,
                        pay: c.pay,
                    })
                    .collect();
        }
        if !rules.people.is_empty() {
            pools[p].people = Some(super::named_agents::people_summary(
                rules,
                vars,
                model.calendar.first_weekday(),
                p,
                r,
            ));
        }
        for a in &r.agents {
            let k = &rules.contracts[a.contract];
            for &m in &a.paid {
                pools[p].overtime_hours += f64::from(m.saturating_sub(k.max_weekly)) / 60.0;
                pools[p].overtime_pay += k.overtime_pay(m);
            }
        }
    }

    // coverage.csv
    let p_cov = out.join("coverage.csv");
    let mut cov = AtomicCsv::create(&p_cov).map_err(out_err(&p_cov))?;
    let mut total_req = vec![0u32; intervals];
    let mut total_sched = vec![0u32; intervals];
    let mut short_intervals: Vec<(usize, usize, u32)> = Vec::new();
    for (p, req) in required.iter().enumerate() {
        let sched = solve::coverage(vars, intervals, &counts_used[p]);
        for k in 0..intervals {
            let t = k as f64 * model.interval_s;
            let (r, s) = (req[k], sched[k]);
            total_req[k] += r;
            total_sched[k] += s;
            if s < r {
                short_intervals.push((p, k, r - s));
            }
            cov.write(&CoverageRow {
                interval_start: model.calendar.label(t),
                interval_start_s: t,
                pool: model.pools[p].name.clone(),
                required: r,
                scheduled: s,
                over: s.saturating_sub(r),
                under: r.saturating_sub(s),
                weekday: model.calendar.weekday_label(t),
            })
            .map_err(out_err(&p_cov))?;
        }
    }
    cov.commit().map_err(out_err(&p_cov))?;

    // shifts.csv
    let p_sh = out.join("shifts.csv");
    let mut sh = AtomicCsv::create(&p_sh).map_err(out_err(&p_sh))?;
    for (p, r) in rosters.iter().enumerate() {
        let mut pay = vec![0.0f64; vars.len()];
        for a in &r.agents {
            let rate = rules.contracts[a.contract].hourly_cost;
            for &v in a.days.iter().flatten() {
                pay[v] += vars[v].cost_at(rate);
            }
        }
        for (i, v) in vars.iter().enumerate() {
            let unassigned = r
                .unassigned
                .iter()
                .filter(|(u, _)| *u == i)
                .map(|(_, n)| n)
                .sum();
            let agents = counts_used[p][i];
            if agents == 0 && unassigned == 0 {
                continue;
            }
            sh.write(&ShiftRow {
                shift: rules.templates[v.template].name.clone(),
                day: WEEKDAY_LABELS[(model.calendar.first_weekday() + v.day) % 7],
                start: hhmm(v.start),
                end: end_text(v),
                breaks: breaks_text(v, rules),
                agents,
                cost: pay[i],
                pool: model.pools[p].name.clone(),
                paid_hours: f64::from(v.paid) / 60.0,
                night: v.night,
                unassigned,
                date: model.calendar.day_label(v.day as u64),
                week: v.week() + 1,
            })
            .map_err(out_err(&p_sh))?;
        }
    }
    sh.commit().map_err(out_err(&p_sh))?;

    write_roster(out, model, rules, vars, &rosters)?;

    let summary = Summary {
        roster_cost: pools.iter().map(|p| p.roster_cost).sum(),
        lp_bound: pools.iter().map(|p| p.lp_bound).sum(),
        short_agent_intervals: short_intervals.iter().map(|s| u64::from(s.2)).sum(),
        shift_plan_cost: pools.iter().map(|p| p.shift_cost).sum(),
        objective: pools.iter().map(|p| p.objective).sum(),
        unassigned_shifts: pools.iter().map(|p| p.unassigned_shifts).sum(),
        pools,
    };
    let p_json = out.join("schedule.json");
    let json = serde_json::to_string_pretty(&crate::report::numbers::Rounded::json(&summary))
        .map_err(|e| AppError::Output(e.to_string()))?;
    let mut f = AtomicFile::create(&p_json).map_err(out_err(&p_json))?;
    std::io::Write::write_all(&mut f, format!("{json}\n").as_bytes()).map_err(out_err(&p_json))?;
    f.commit().map_err(out_err(&p_json))?;

    let mut charts = String::new();
    if !no_charts {
        let fig = crate::report::charts::coverage::figure(
            model.interval_s,
            model.calendar.first_weekday(),
            &total_req,
            &total_sched,
        );
        crate::report::charts::write_figure(&fig, out)?;
        charts = ", coverage.{png,svg}".into();
    }
    let text = summary_text(model, rules, vars, &summary, &rosters, &short_intervals)
        + &format!(
            "wrote {}/{{shifts,roster,coverage}}.csv, schedule.json{charts}",
            out.display()
        );
    let closed_hours = summary
        .pools
        .iter()
        .filter(|p| p.closed_agent_hours > 0.0)
        .map(|p| format!("kept roster, pool {}:\n{}", p.pool, closed_hours_text(p)))
        .collect();
    Ok(Said {
        summary: text,
        closed_hours,
    })
}

/// Agents per queue per interval: `agents_scheduled` of the given `staffing.csv`, or computed.
fn requirements(model: &Model, file: Option<&Path>) -> Result<Vec<Vec<u32>>, AppError> {
    let n = model.interval_count();
    let nq = model.queues.len();
    let mut per_queue = vec![vec![0u32; n as usize]; nq];
    match file {
        Some(path) => {
            let plan = StaffingPlan::read(path, model)?;
            for (q, row) in per_queue.iter_mut().enumerate() {
                for (k, slot) in row.iter_mut().enumerate() {
                    let p = plan.promise(k as u64, QueueId(q as u32)).ok_or_else(|| {
                        AppError::Input(format!(
                            "{}: not a staffing.csv of `hotline staff` (requirements per interval × queue)",
                            path.display()
                        ))
                    })?;
                    *slot = p.agents_scheduled.unwrap_or(p.agents);
                }
            }
        }
        None => {
            let settings = StaffingSettings::resolve(&StaffingTargets::default(), &model.staffing);
            let mut planner = Planner::new(model, settings);
            let mut reqs = Vec::new();
            for k in 0..n {
                planner.interval(k, &mut reqs)?;
                for r in &reqs {
                    per_queue[r.queue.0 as usize][k as usize] = r.agents_scheduled;
                }
            }
        }
    }
    Ok(per_queue)
}

fn pool_summary(
    pool: String,
    sol: &Solution,
    r: &Roster,
    used: &[u32],
    roster_cost: f64,
    n: usize,
) -> PoolSummary {
    PoolSummary {
        pool,
        status: sol.status.as_str(),
        objective: sol.objective,
        shift_cost: sol.shift_cost,
        lp_bound: sol.lp_bound,
        bound: sol.bound,
        gap: sol.gap,
        nodes: sol.nodes,
        penalty_per_agent_interval: sol.penalty,
        variants: n,
        short_planned: sol.short,
        agents: r.agents.len(),
        shifts: used.iter().sum(),
        unassigned_shifts: r.unassigned.iter().map(|u| u.1).sum(),
        agents_under_min_hours: r
            .under_hours
            .iter()
            .map(|u| u.0)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        roster_cost,
        // Closed hours, overtime and people are filled in by the caller.
        ..PoolSummary::default()
    }
}

fn empty_summary(pool: String, n: usize) -> PoolSummary {
    PoolSummary {
        pool,
        status: "nothing to cover",
        variants: n,
        ..PoolSummary::default()
    }
}

/// An agent's name in the roster: the named agent's, or the pool's name and a number.
fn agent_name(rules: &ShiftRules, pool: &str, a: usize, agent: &roster::Agent) -> String {
    match agent.person {
        Some(i) => rules.people[i].name.clone(),
        None => format!("{pool}-{:03}", a + 1),
    }
}

/// `roster.csv`: agent, contract, one column per day of the week (the shift as
/// `name HH:MM-HH:MM`, or `off`), then pool, paid_hours, days_worked.
fn write_roster(
    out: &Path,
    model: &Model,
    rules: &ShiftRules,
    vars: &[Variant],
    rosters: &[Roster],
) -> Result<(), AppError> {
    let path = out.join("roster.csv");
    let mut w = AtomicCsv::create(&path).map_err(out_err(&path))?;
    let days = model.days as usize;
    let mut head = vec!["agent".to_string(), "contract".to_string()];
    head.extend((0..days).map(|d| day_header(model, d)));
    head.extend(["pool", "paid_hours", "days_worked", "cost"].map(String::from));
    w.write(&head).map_err(out_err(&path))?;
    for (p, r) in rosters.iter().enumerate() {
        let pool = &model.pools[p].name;
        for (a, agent) in r.agents.iter().enumerate() {
            let mut row = vec![
                agent_name(rules, pool, a, agent),
                rules.contracts[agent.contract].name.clone(),
            ];
            let on_leave = |d: usize| {
                agent
                    .person
                    .is_some_and(|i| rules.people[i].unavailable_on(d))
            };
            row.extend(agent.days.iter().enumerate().map(|(d, v)| match v {
                None if on_leave(d) => "leave".to_string(),
                None => "off".to_string(),
                Some(i) => {
                    let v = &vars[*i];
                    let lunch = v
                        .lunch_at
                        .map_or(String::new(), |at| format!(" lunch {}", hhmm(v.start + at)));
                    format!(
                        "{} {}-{}{lunch}",
                        rules.templates[v.template].name,
                        hhmm(v.start),
                        hhmm((v.start + v.length) % DAY_MIN)
                    )
                }
            }));
            row.push(pool.clone());
            row.push(crate::report::numbers::figure_text(
                f64::from(agent.paid_total()) / 60.0,
            ));
            row.push(agent.days.iter().flatten().count().to_string());
            let k = &rules.contracts[agent.contract];
            let pay: f64 = agent
                .days
                .iter()
                .flatten()
                .map(|&v| vars[v].cost_at(k.hourly_cost))
                .sum::<f64>()
                + agent.paid.iter().map(|&m| k.overtime_pay(m)).sum::<f64>();
            row.push(crate::report::numbers::figure_text(pay));
            w.write(&row).map_err(out_err(&path))?;
        }
    }
    w.commit().map_err(out_err(&path))
}

/// A day's column in roster.csv: the weekday for a one-week horizon (`Mon`), else the date and
/// weekday (`2027-01-04 Mon`), or the week and weekday without dates (`w2 Mon`).
fn day_header(model: &Model, d: usize) -> String {
    let weekday = WEEKDAY_LABELS[(model.calendar.first_weekday() + d) % 7];
    if model.days as usize <= WEEK_DAYS {
        return weekday.to_string();
    }
    match model.calendar.date_of_day(d as u64) {
        Some(date) => format!("{date} {weekday}"),
        None => format!("w{} {weekday}", d / WEEK_DAYS + 1),
    }
}

fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60 % 24, m % 60)
}

fn end_text(v: &Variant) -> String {
    let end = v.start + v.length;
    if end >= DAY_MIN {
        format!("{}+1d", hhmm(end % DAY_MIN))
    } else {
        hhmm(end)
    }
}

fn breaks_text(v: &Variant, rules: &ShiftRules) -> String {
    let mut items: Vec<(u32, String)> = v
        .breaks
        .iter()
        .map(|&(at, l)| (at, format!("{} {l}m", hhmm(v.start + at))))
        .collect();
    if let (Some(at), Some(l)) = (v.lunch_at, rules.templates[v.template].lunch) {
        items.push((at, format!("{} {}m lunch", hhmm(v.start + at), l.length)));
    }
    items.sort();
    items
        .into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Bad input stays exit 2; a failure of the solver itself is not the planner's input (exit 4).
pub(crate) fn schedule_err(e: ScheduleError) -> AppError {
    match e {
        ScheduleError::Input(m) => AppError::Input(m),
        e @ ScheduleError::Solver(_) => AppError::Solver(e.to_string()),
    }
}

pub(crate) fn out_err(path: &Path) -> impl Fn(std::io::Error) -> AppError + '_ {
    move |e| AppError::Output(format!("{}: {e}", path.display()))
}
