//! Shift scheduling: interval requirements → how many agents start each shift variant (an
//! integer program, [`solve`]) → a weekly roster per agent honouring the rules ([`roster`]).
//!
//! Owns the shift variants (every start × length × lunch start of a `[[shift]]` template on
//! each day of the week), what an agent on a variant covers, what it costs, and the split of
//! queue requirements over pools. The rules themselves are validated in `crate::scenario`;
//! files are written by `app::schedule`.
//!
//! Conventions a planner should know (also in the README):
//! - The horizon is the scenario's days, whole weeks (1 to [`MAX_WEEKS`]), planned as one
//!   roster of the same agents; it is cyclic, a rotation: a shift running past the last day's
//!   midnight covers the first day's early hours, and rest and runs of working days wrap from
//!   the last day to the first (a one-week plan is the repeating week).
//! - An agent counts in an interval only when working the whole interval: a break or lunch
//!   that touches an interval takes the agent out of all of it (conservative: a 15-minute break
//!   costs a 30-minute interval).

pub mod closed_hours;
pub mod crews;
pub mod nights;
pub mod patterns;
pub mod plan_loop;
pub mod roster;
mod rounding;
pub mod solve;

use crate::scenario::Model;
use crate::scenario::shifts::{DAY_MIN, RosterRules, ShiftRules, ShiftTemplate};

/// Days in a week.
pub const WEEK_DAYS: usize = 7;

/// Longest horizon `schedule` and `plan` roster at once: 13 weeks (a quarter).
pub const MAX_WEEKS: usize = 13;

/// Why a schedule cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("{0}")]
    Input(String),
    #[error("the solver failed: {0}")]
    Solver(String),
}

/// One way to work one shift: template, day, start, length and lunch start.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub template: usize,
    /// Day of the horizon it starts on, 0-based.
    pub day: usize,
    /// Minutes since midnight of `day`.
    pub start: u32,
    /// Minutes, lunch included.
    pub length: u32,
    /// Lunch start, minutes after `start`.
    pub lunch_at: Option<u32>,
    /// Paid breaks: (minutes after `start`, length).
    pub breaks: Vec<(u32, u32)>,
    /// Paid minutes (length minus unpaid lunch).
    pub paid: u32,
    /// Paid hours weighted by their premiums: Σ paid hours × (1 + premiums); one agent of a
    /// contract costs this × the contract's hourly cost.
    pub weighted_hours: f64,
    /// Whether it is a night shift (at least `night_shift_min` inside the night hours).
    pub night: bool,
    /// Intervals of the horizon (0 .. days × intervals per day) in which the agent is on the
    /// phones.
    pub covers: Vec<usize>,
}

impl Variant {
    /// Start in minutes since the start of the horizon.
    pub fn week_start(&self) -> u32 {
        self.day as u32 * DAY_MIN + self.start
    }
    /// End in minutes since the start of the horizon (may pass the horizon's end).
    pub fn week_end(&self) -> u32 {
        self.week_start() + self.length
    }
    /// What one agent of a contract paid `hourly_cost` costs on it, premiums included.
    pub fn cost_at(&self, hourly_cost: f64) -> f64 {
        self.weighted_hours * hourly_cost
    }
    /// Week of the horizon it starts in.
    pub fn week(&self) -> usize {
        self.day / WEEK_DAYS
    }
}

/// Every variant of every template on every day of a horizon of `days` days whose weekday the
/// template allows. `first_weekday` is the weekday of day 0 (Monday = 0); `interval_min` the
/// statistics interval.
pub fn variants(
    rules: &ShiftRules,
    first_weekday: usize,
    interval_min: u32,
    days: usize,
) -> Vec<Variant> {
    let mut out = Vec::new();
    for (t, tpl) in rules.templates.iter().enumerate() {
        for day in 0..days {
            if !tpl.weekdays[(first_weekday + day) % 7] {
                continue;
            }
            for start in tpl.starts() {
                for &length in &tpl.lengths {
                    let lunches: Vec<Option<u32>> = match tpl.lunch {
                        None => vec![None],
                        Some(l) => (l.after_min..=l.after_max)
                            .step_by(interval_min as usize)
                            .map(Some)
                            .collect(),
                    };
                    for lunch_at in lunches {
                        out.push(variant(
                            tpl,
                            t,
                            &rules.roster,
                            (first_weekday, days),
                            interval_min,
                            day,
                            start,
                            length,
                            lunch_at,
                        ));
                    }
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn variant(
    tpl: &ShiftTemplate,
    template: usize,
    r: &RosterRules,
    (first_weekday, days): (usize, usize),
    interval_min: u32,
    day: usize,
    start: u32,
    length: u32,
    lunch_at: Option<u32>,
) -> Variant {
    let lunch = tpl.lunch.zip(lunch_at).map(|(l, at)| (at, l.length));
    let breaks = place_breaks(&tpl.breaks, lunch, start, length, interval_min);
    let w0 = day as u32 * DAY_MIN + start;
    let week = days as u32 * DAY_MIN;
    let in_lunch = |m: u32| lunch.is_some_and(|(a, l)| m >= a && m < a + l);
    let mut paid = 0u32;
    let mut night_min = 0u32;
    let mut cost_min = 0.0;
    for m in 0..length {
        let abs = (w0 + m) % week;
        let is_night = r.is_night(abs % DAY_MIN);
        night_min += u32::from(is_night);
        if in_lunch(m) {
            continue;
        }
        paid += 1;
        let weekday = (first_weekday + (abs / DAY_MIN) as usize) % 7;
        let mut rate = 1.0;
        if is_night {
            rate += r.night_premium;
        }
        if weekday >= 5 {
            rate += r.weekend_premium;
        }
        cost_min += rate;
    }
    let per_day = (DAY_MIN / interval_min) as usize;
    let intervals = per_day * days;
    let off = |a: u32, b: u32| {
        // [a, b) relative to start intersects a break or lunch
        breaks
            .iter()
            .chain(lunch.iter())
            .any(|&(x, l)| x < b && a < x + l)
    };
    let mut covers = Vec::new();
    // intervals fully inside [w0, w0 + length)
    let first = w0.div_ceil(interval_min);
    let mut k = first;
    while (k + 1) * interval_min <= w0 + length {
        let a = k * interval_min - w0;
        if !off(a, a + interval_min) {
            covers.push(k as usize % intervals);
        }
        k += 1;
    }
    Variant {
        template,
        day,
        start,
        length,
        lunch_at,
        breaks,
        paid,
        weighted_hours: cost_min / 60.0,
        night: night_min >= r.night_shift_min,
        covers,
    }
}

/// Paid breaks spread evenly over the shift (break i at (i+1)/(n+1) of its length), each moved
/// to the interval grid (relative to the start) and later until it clears lunch and the other
/// breaks.
fn place_breaks(
    breaks: &[u32],
    lunch: Option<(u32, u32)>,
    start: u32,
    length: u32,
    interval_min: u32,
) -> Vec<(u32, u32)> {
    let n = breaks.len() as u32;
    let mut placed: Vec<(u32, u32)> = Vec::new();
    for (i, &b) in breaks.iter().enumerate() {
        let ideal = (i as u32 + 1) * length / (n + 1);
        // on the absolute grid
        let abs = (start + ideal) / interval_min * interval_min;
        let mut at = abs.saturating_sub(start);
        let clash = |at: u32, placed: &[(u32, u32)]| {
            placed
                .iter()
                .chain(lunch.iter())
                .any(|&(x, l)| x < at + b && at < x + l)
        };
        let mut tries = 0;
        while clash(at, &placed) && at + b + interval_min <= length && tries < 64 {
            at += interval_min;
            tries += 1;
        }
        if at + b > length {
            at = length - b;
        }
        placed.push((at, b));
    }
    placed
}

/// Each pool's required agents per interval of the week: the queues' `agents_scheduled`
/// (requirements include shrinkage) summed over the queues each pool is given by
/// [`crate::plan::plan_file::queue_owners`] (a shared queue goes to its most specialised pool).
pub fn pool_requirements(model: &Model, per_queue: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let owner = crate::plan::plan_file::queue_owners(model);
    let n = per_queue.first().map_or(0, Vec::len);
    let mut out = vec![vec![0u32; n]; model.pools.len()];
    for (q, req) in per_queue.iter().enumerate() {
        if let Some(p) = owner[q] {
            for (o, r) in out[p].iter_mut().zip(req) {
                *o += r;
            }
        }
    }
    out
}

/// Per pool, per interval of the horizon: whether every queue the pool serves (first or as
/// overflow) is closed then — hours a plan should not staff unless its rules force it.
pub fn idle_intervals(model: &Model) -> Vec<Vec<bool>> {
    let n = model.interval_count();
    let per_day = (86_400.0 / model.interval_s).round() as u64;
    model
        .pools
        .iter()
        .map(|p| {
            (0..n)
                .map(|k| {
                    p.serves.iter().chain(&p.secondary).all(|q| {
                        model.queues[q.0 as usize]
                            .hours
                            .as_ref()
                            .is_some_and(|h| !h.is_open(k, per_day))
                    })
                })
                .collect()
        })
        .collect()
}

/// One pool's schedule: the program's answer (`None` when the pool has nothing to cover), the
/// roster, and the agents the roster puts on each variant.
#[derive(Debug, Clone)]
pub struct PoolSchedule {
    pub solution: Option<solve::Solution>,
    pub roster: roster::Roster,
    /// Agents per variant as rostered (the program's counts less what no agent could take).
    pub counts: Vec<u32>,
    /// Pay of the rostered shifts, each at its agent's contract rate, premiums included.
    pub roster_cost: f64,
}

impl PoolSchedule {
    /// Pay of the rostered shifts, premiums included.
    pub fn cost(&self, _variants: &[Variant]) -> f64 {
        self.roster_cost
    }

    /// Paid agent-hours of the rostered shifts.
    pub fn agent_hours(&self, variants: &[Variant]) -> f64 {
        self.counts
            .iter()
            .zip(variants)
            .map(|(&c, v)| f64::from(c) * f64::from(v.paid) / 60.0)
            .sum()
    }
}

/// The horizon `schedule` and `plan` roster: `days` must be whole weeks, 1 to [`MAX_WEEKS`].
///
/// # Errors
/// [`ScheduleError::Input`] naming the rule otherwise.
pub fn horizon_days(days: u64) -> Result<usize, ScheduleError> {
    let d = days as usize;
    if d == 0 || d % WEEK_DAYS != 0 || d / WEEK_DAYS > MAX_WEEKS {
        return Err(ScheduleError::Input(format!(
            "rosters are planned in whole weeks, 1 to {MAX_WEEKS} (days = 7, 14, … {}); the scenario has days = {days}",
            MAX_WEEKS * WEEK_DAYS
        )));
    }
    Ok(d)
}

/// Schedules every pool for its requirements (`required[pool][interval of the horizon]`): the
/// integer program (within `budget`, shared out over the pools still to solve), then the
/// roster. Never fails for want of an integer answer (see [`solve`]).
///
/// # Errors
/// [`ScheduleError::Solver`] when microlp fails on a relaxation.
pub fn schedule_pools(
    rules: &ShiftRules,
    variants: &[Variant],
    required: &[Vec<u32>],
    idle: &[Vec<bool>],
    days: usize,
    budget: solve::Budget,
) -> Result<Vec<PoolSchedule>, ScheduleError> {
    let clock = std::time::Instant::now();
    let todo = required.iter().filter(|r| r.iter().any(|&x| x > 0)).count();
    let mut done = 0;
    required
        .iter()
        .enumerate()
        .map(|(pool, req)| {
            if req.iter().all(|&r| r == 0) {
                return Ok(PoolSchedule {
                    solution: None,
                    roster: roster::Roster::default(),
                    counts: vec![0; variants.len()],
                    roster_cost: 0.0,
                });
            }
            let left = budget.time.saturating_sub(clock.elapsed());
            let share = solve::Budget {
                nodes: budget.nodes,
                time: left / (todo - done).max(1) as u32,
            };
            done += 1;
            let sol = solve::solve(rules, variants, req, &idle[pool], pool, days, share)?;
            let r = roster::build(rules, variants, &sol, days);
            let counts = r.counts(variants.len());
            Ok(PoolSchedule {
                roster_cost: r.cost(rules, variants),
                solution: Some(sol),
                roster: r,
                counts,
            })
        })
        .collect()
}
