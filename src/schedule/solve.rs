//! The tour-scheduling integer program: how many agents of each contract start each shift
//! variant of the horizon, and which days of each week they work, so every interval's
//! requirement is met at least cost — and an integer answer always comes back.
//!
//! # Formulation
//! Columns are (contract c, variant v) pairs the contract may work in the pool. Days of work
//! are *patterns*: the set of days of one week an agent works, every set the contract's rules
//! allow (between `min_days_per_week` and `max_days_per_week` days, no run longer than
//! `max_days_in_row`, two consecutive days off with `two_days_off` — Sunday and Monday of the
//! same week counting as consecutive, as in the repeating week —, only days the contract has
//! a shift on). With xᶜᵥ agents of contract c on variant v, yᶜʷₚ agents of c working pattern p
//! in week w, nᶜ agents of c, and sₖ agents short in interval k:
//!
//! minimise Σ cᶜᵥ xᶜᵥ + M Σₖ sₖ subject to
//! - coverage: Σ_{(c,v) covers k} xᶜᵥ + sₖ ≥ rₖ for every interval k;
//! - every agent works every day of its pattern: Σ_{v on day d} xᶜᵥ = Σ_{p ∋ d} yᶜʷ⁽ᵈ⁾ₚ;
//! - the same agents every week: Σₚ yᶜʷₚ = nᶜ ≤ max_agents of c;
//! - weekly hours on average, every week: min_weekly·nᶜ ≤ Σ_{v in w} paidᵥ xᶜᵥ ≤ max_weekly·nᶜ;
//! - each agent's next week: zᶜʷ₍ₚ,q₎ agents work p in week w and q in week w + 1, only for
//!   pairs whose run across the boundary stays within `max_days_in_row`;
//!   Σ_q zᶜʷ₍ₚ,q₎ = yᶜʷₚ and Σ_p zᶜʷ₍ₚ,q₎ = yᶜʷ⁺¹_q (the roster hands patterns out along z);
//! - rest between consecutive days, per threshold τ: shifts of day d ending at τ or later ≤
//!   shifts of day d + 1 starting at τ + `min_rest` or later + agents working d and off on
//!   d + 1 (across a week boundary counted through z); with `no_consecutive_nights` the same
//!   for nights against day shifts (Hall's condition for the agents of day d and their
//!   shifts of day d + 1);
//! - xᶜᵥ, yᶜʷₚ, nᶜ ∈ ℕ, sₖ ≥ 0.
//!
//! Dantzig's (1954) set covering with days-off patterns (tour scheduling, as in Bechtold &
//! Jacobs 1990), and shortfall variables so that rules that make full coverage impossible
//! leave intervals short (saying by how much) instead of failing. M is ten times the dearest
//! column's cost: an interval some shift can cover is covered before it is left short.
//! Rest between shifts and night rules are per agent: the roster honours them.
//!
//! # Method
//! 1. The LP relaxation (microlp's simplex) gives the lower bound every answer is measured by.
//! 2. The relaxation rounded to an integer point at once (patterns up, the same headcount
//!    every week, then each day's shifts made to number its working agents): an integer
//!    schedule exists before any search, so the program never ends without one.
//! 3. microlp's branch and bound, warm-started from that point, within a node budget
//!    ([`NODE_LIMIT`] per week, the same answer on every machine) and a time budget
//!    (`--time-limit`).
//!    Where it finds nothing better in time, the rounded point is the answer (`heuristic`).
//!
//! The answer comes with the best proven bound and the relative gap
//! (objective − bound) ÷ objective.

use std::time::Duration;

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, Variable};

use super::crews::{Crew, CrewPatterns, crew_patterns, crews};
use super::patterns::{Pattern, Transitions, leading_run, pair_weeks, trailing_run, works};
use super::rounding::{Fill, Shape, rounded};
use super::{ScheduleError, Variant, WEEK_DAYS};
use crate::scenario::shifts::{DAY_MIN, ShiftRules};

/// Branch-and-bound nodes after the root per week of the horizon (a deterministic budget: the
/// same answer on every machine unless the time budget ends the search first; see README
/// "Speed" for the time it takes on `scenarios/weekly-plan.toml` and `monthly-plan.toml`).
pub const NODE_LIMIT: u64 = 1000;

/// How the answer was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Branch and bound proved it optimal.
    Optimal,
    /// Branch and bound's best answer within `gap` of the bound (the node budget ended the
    /// search).
    Feasible,
    /// Branch and bound's best answer when the time budget (`--time-limit`) ran out: on a
    /// faster machine the answer may be better.
    TimeLimit,
    /// Branch and bound found nothing better than the relaxation rounded and repaired within
    /// its budgets: that point is the answer, `gap` from the bound.
    Heuristic,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::TimeLimit => "time limit",
            Status::Heuristic => "heuristic",
        }
    }
}

/// The program's budgets.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub nodes: u64,
    pub time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            nodes: NODE_LIMIT,
            time: Duration::from_secs(60),
        }
    }
}

/// The weight per agent-interval on the phones while every queue the pool serves is closed,
/// as a share of the dearest shift's pay (0.3 %: about a twentieth of that shift's pay per
/// interval): the program pays a little to keep agents out of closed hours, so they stay only
/// where the templates' start windows and lengths or the contracts' days force them. It is in
/// the objective (and the LP bound), not in the pay reported.
pub const IDLE_WEIGHT: f64 = 0.003;

/// The chosen shifts and working days.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Agents per (contract, variant) column.
    pub columns: Vec<(usize, usize)>,
    pub counts: Vec<u32>,
    /// The crews of the pool (agents of one contract with the same days unavailable).
    pub crews: Vec<Crew>,
    /// Per crew: the patterns it may work.
    pub patterns: Vec<Vec<Pattern>>,
    /// Per crew, per week, agents per pattern (parallel to `patterns[g]`).
    pub pattern_counts: Vec<Vec<Vec<u32>>>,
    /// How agents go from each week's pattern to the next's.
    pub transitions: Transitions,
    /// Σ cᶜᵥ xᶜᵥ: the pay of the shifts.
    pub shift_cost: f64,
    /// Agent-intervals the program leaves short.
    pub short: u64,
    /// The full objective (shift cost + penalty × short + the tie-breaker × idle).
    pub objective: f64,
    /// Agent-intervals on the phones while every queue the pool serves is closed.
    pub idle: u32,
    /// The LP relaxation's optimum.
    pub lp_bound: f64,
    /// The best proven lower bound on the objective.
    pub bound: f64,
    /// (objective − bound) ÷ objective; 0 when proven optimal.
    pub gap: f64,
    pub status: Status,
    pub nodes: u64,
    /// The penalty per agent-interval short.
    pub penalty: f64,
}

impl Solution {
    /// Agents per variant, contracts together.
    pub fn per_variant(&self, n: usize) -> Vec<u32> {
        per_variant(&self.columns, &self.counts, n)
    }
}

/// Solves the program for `required` agents per interval of the horizon (`days` days, whole
/// weeks) for pool `pool`.
///
/// # Errors
/// None in practice: an integer answer always exists (the shortfall is penalised, not
/// forbidden). [`ScheduleError::Solver`] only if microlp itself fails on the relaxation.
pub fn solve(
    rules: &ShiftRules,
    variants: &[Variant],
    required: &[u32],
    idle: &[bool],
    pool: usize,
    days: usize,
    budget: Budget,
) -> Result<Solution, ScheduleError> {
    let weeks = days.div_ceil(WEEK_DAYS).max(1);
    let cyclic = weeks == 1;
    let r = &rules.roster;
    let crews = crews(rules, pool, weeks);
    let nc = rules.contracts.len();
    // Agents a contract may have in the pool: its crews together.
    let heads_of: Vec<u32> = (0..nc)
        .map(|c| {
            crews
                .iter()
                .filter(|g| g.contract == c)
                .map(|g| g.size)
                .sum()
        })
        .collect();
    let columns: Vec<(usize, usize)> = rules
        .contracts
        .iter()
        .enumerate()
        .filter(|(c, _)| heads_of[*c] > 0)
        .flat_map(|(c, k)| {
            variants
                .iter()
                .enumerate()
                .filter(move |(_, v)| {
                    k.templates.contains(&v.template) && rules.templates[v.template].for_pool(pool)
                })
                .map(move |(i, _)| (c, i))
        })
        .collect();
    let pay = |&(c, v): &(usize, usize)| variants[v].cost_at(rules.contracts[c].hourly_cost);
    let dearest = columns.iter().map(pay).fold(1.0, f64::max);
    let penalty = 10.0 * dearest;
    // A tie-breaker against hours where every queue the pool serves is closed: among equally
    // dear plans, the one with the fewest such agent-intervals.
    let idle_weight = IDLE_WEIGHT * dearest;
    let idle_of: Vec<u32> = variants
        .iter()
        .map(|v| {
            v.covers
                .iter()
                .filter(|&&k| idle.get(k).copied().unwrap_or(false))
                .count() as u32
        })
        .collect();
    let col_cost = |col: &(usize, usize)| pay(col) + idle_weight * f64::from(idle_of[col.1]);
    let costs = Costs {
        penalty,
        idle_weight,
        idle_of: &idle_of,
    };
    let crew_pats: Vec<CrewPatterns> = crews
        .iter()
        .map(|g| {
            let mut has = [false; WEEK_DAYS];
            for &(cc, v) in &columns {
                if cc == g.contract {
                    has[variants[v].day % WEEK_DAYS] = true;
                }
            }
            crew_patterns(rules, g, cyclic, &has)
        })
        .collect();
    let pats: Vec<Vec<Pattern>> = crew_pats.iter().map(|cp| cp.list.clone()).collect();
    let allowed: Vec<&Vec<Vec<bool>>> = crew_pats.iter().map(|cp| &cp.allowed).collect();
    // The crews of each contract.
    let crews_of: Vec<Vec<usize>> = (0..nc)
        .map(|c| {
            (0..crews.len())
                .filter(|&g| crews[g].contract == c)
                .collect()
        })
        .collect();
    // Pattern pairs (this week's, next week's) an agent may work in a row: the run across
    // the boundary within max_days_in_row.
    let pairs: Vec<Vec<(usize, usize)>> = pats
        .iter()
        .map(|ps| {
            let mut v = Vec::new();
            for (a, &pa) in ps.iter().enumerate() {
                for (b, &pb) in ps.iter().enumerate() {
                    if trailing_run(pa) + leading_run(pb) <= r.max_days_in_row {
                        v.push((a, b));
                    }
                }
            }
            v
        })
        .collect();
    // Columns of contract c on day d.
    let mut on_day: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); days]; nc];
    for (i, &(c, v)) in columns.iter().enumerate() {
        on_day[c][variants[v].day].push(i);
    }
    let build = |integer: bool| {
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let var = |p: &mut Problem, cost: f64, ub: u32| {
            if integer {
                p.add_integer_var(cost, (0, ub as i32))
            } else {
                p.add_var(cost, (0.0, f64::from(ub)))
            }
        };
        let x: Vec<Variable> = columns
            .iter()
            .map(|col| var(&mut p, col_cost(col), heads_of[col.0]))
            .collect();
        // yᵍʷₚ: agents of crew g working pattern p in week w (none where the crew may not
        // work p that week).
        let y: Vec<Vec<Vec<Variable>>> = (0..crews.len())
            .map(|g| {
                (0..weeks)
                    .map(|w| {
                        (0..pats[g].len())
                            .map(|pi| {
                                let ub = if allowed[g][w][pi] { crews[g].size } else { 0 };
                                var(&mut p, 0.0, ub)
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let n: Vec<Variable> = crews.iter().map(|g| var(&mut p, 0.0, g.size)).collect();
        // Named agents are under contract: every one of them is rostered.
        for (g, crew) in crews.iter().enumerate() {
            if !crew.people.is_empty() {
                p.add_constraint([(n[g], 1.0)], ComparisonOp::Eq, f64::from(crew.size));
            }
        }
        // zᵍʷ₍ₚ,q₎: agents of crew g working p in week w and q in week w + 1.
        let z: Vec<Vec<Vec<Variable>>> = (0..crews.len())
            .map(|g| {
                (0..weeks.saturating_sub(1))
                    .map(|_| {
                        pairs[g]
                            .iter()
                            .map(|_| var(&mut p, 0.0, crews[g].size))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let s: Vec<Variable> = required
            .iter()
            .map(|&q| p.add_var(penalty, (0.0, f64::from(q))))
            .collect();
        let mut rows: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); required.len()];
        for (&(_, v), xv) in columns.iter().zip(&x) {
            for &k in &variants[v].covers {
                rows[k].push((*xv, 1.0));
            }
        }
        for (k, mut row) in rows.into_iter().enumerate() {
            if required[k] > 0 {
                row.push((s[k], 1.0));
                p.add_constraint(row, ComparisonOp::Ge, f64::from(required[k]));
            }
        }
        for (c, k) in rules.contracts.iter().enumerate() {
            if crews_of[c].is_empty() {
                continue;
            }
            for (d, cols) in on_day[c].iter().enumerate() {
                let (w, dw) = (d / WEEK_DAYS, d % WEEK_DAYS);
                let mut row: Vec<(Variable, f64)> = cols.iter().map(|&i| (x[i], 1.0)).collect();
                for &g in &crews_of[c] {
                    for (pi, &pat) in pats[g].iter().enumerate() {
                        if works(pat, dw) {
                            row.push((y[g][w][pi], -1.0));
                        }
                    }
                }
                p.add_constraint(row, ComparisonOp::Eq, 0.0);
            }
            // `w` indexes every crew's weeks (y[g][w]), not one list.
            #[allow(clippy::needless_range_loop)]
            for w in 0..weeks {
                for &g in &crews_of[c] {
                    let mut heads: Vec<(Variable, f64)> =
                        y[g][w].iter().map(|v| (*v, 1.0)).collect();
                    heads.push((n[g], -1.0));
                    p.add_constraint(heads, ComparisonOp::Eq, 0.0);
                }
                // The week's paid minutes against its agents' bounds (per crew: leave lowers
                // the minimum).
                let hours = |bound: &dyn Fn(usize) -> u32| -> Vec<(Variable, f64)> {
                    (w * WEEK_DAYS..((w + 1) * WEEK_DAYS).min(days))
                        .flat_map(|d| on_day[c][d].iter())
                        .map(|&i| (x[i], f64::from(variants[columns[i].1].paid)))
                        .chain(crews_of[c].iter().map(|&g| (n[g], -f64::from(bound(g)))))
                        .collect()
                };
                let mut cap = hours(&|_| k.max_weekly);
                if k.overtime > 0 {
                    // Overtime: minutes above max_weekly, at most `overtime` an agent, paid
                    // at the premium on top of the shifts' pay.
                    let ot = p.add_var(
                        k.hourly_cost * k.overtime_premium / 60.0,
                        (0.0, f64::INFINITY),
                    );
                    cap.push((ot, -1.0));
                    let mut row = vec![(ot, 1.0)];
                    row.extend(crews_of[c].iter().map(|&g| (n[g], -f64::from(k.overtime))));
                    p.add_constraint(row, ComparisonOp::Le, 0.0);
                }
                p.add_constraint(cap, ComparisonOp::Le, 0.0);
                p.add_constraint(
                    hours(&|g| crews[g].min_weekly(rules, w)),
                    ComparisonOp::Ge,
                    0.0,
                );
                // Per agent, not only on average: an agent working |p| days fits at most
                // m = ⌊(max_weekly − |p|·shortest) ÷ (L − shortest)⌋ shifts paying L or more
                // (the rest paying at least the shortest), so the week's shifts paying ≥ L
                // are at most Σₚ m(|p|, L) yᶜʷₚ — without it the roster finds agents whose
                // week cannot hold the shifts the program gave their contract.
                let in_week: Vec<usize> = (w * WEEK_DAYS..((w + 1) * WEEK_DAYS).min(days))
                    .flat_map(|d| on_day[c][d].iter().copied())
                    .collect();
                let paid = |i: usize| variants[columns[i].1].paid;
                if let Some(shortest) = in_week.iter().map(|&i| paid(i)).min() {
                    let mut lengths: Vec<u32> = in_week.iter().map(|&i| paid(i)).collect();
                    lengths.sort_unstable();
                    lengths.dedup();
                    for &l in lengths.iter().filter(|&&l| l > shortest) {
                        let mut row: Vec<(Variable, f64)> = in_week
                            .iter()
                            .filter(|&&i| paid(i) >= l)
                            .map(|&i| (x[i], 1.0))
                            .collect();
                        for &g in &crews_of[c] {
                            for (pi, &pat) in pats[g].iter().enumerate() {
                                let n = pat.count_ones();
                                let room = k.weekly_cap().saturating_sub(n * shortest);
                                let m = (room / (l - shortest)).min(n);
                                row.push((y[g][w][pi], -f64::from(m)));
                            }
                        }
                        p.add_constraint(row, ComparisonOp::Le, 0.0);
                    }
                }
            }
            // Each agent's pattern of week w followed by one of week w + 1 it may work next:
            // z's margins are the weeks' pattern counts.
            for &g in &crews_of[c] {
                for w in 0..weeks.saturating_sub(1) {
                    for (pi, _) in pats[g].iter().enumerate() {
                        let mut out: Vec<(Variable, f64)> = vec![(y[g][w][pi], -1.0)];
                        let mut inn: Vec<(Variable, f64)> = vec![(y[g][w + 1][pi], -1.0)];
                        for (zi, &(a, b)) in pairs[g].iter().enumerate() {
                            if a == pi {
                                out.push((z[g][w][zi], 1.0));
                            }
                            if b == pi {
                                inn.push((z[g][w][zi], 1.0));
                            }
                        }
                        p.add_constraint(out, ComparisonOp::Eq, 0.0);
                        p.add_constraint(inn, ComparisonOp::Eq, 0.0);
                    }
                }
            }
            // Rest between days (Hall's condition again, per threshold): the agents whose
            // shift on day d ends at τ or later are at most those who start on d + 1 at
            // τ + min_rest or later plus those off on d + 1. With no_consecutive_nights a
            // night on d is followed by a day shift or a day off. Without these the roster
            // meets mornings nobody rested for.
            for d in 0..days {
                let e = if d + 1 < days {
                    d + 1
                } else if cyclic {
                    0
                } else {
                    continue;
                };
                let shift = if e < d {
                    (days as u32 * DAY_MIN) as i64
                } else {
                    0
                };
                let start = |i: usize| i64::from(variants[columns[i].1].week_start()) + shift;
                let end = |i: usize| i64::from(variants[columns[i].1].week_end());
                let night = |i: usize| variants[columns[i].1].night;
                let off_next = |row: &mut Vec<(Variable, f64)>| {
                    let (w, we) = (d / WEEK_DAYS, e / WEEK_DAYS);
                    for &g in &crews_of[c] {
                        if w == we {
                            for (pi, &pat) in pats[g].iter().enumerate() {
                                if works(pat, d % WEEK_DAYS) && !works(pat, e % WEEK_DAYS) {
                                    row.push((y[g][w][pi], -1.0));
                                }
                            }
                        } else if we == w + 1 {
                            // Across a week boundary: the agents working d whose next
                            // pattern starts with a day off.
                            for (zi, &(a, b)) in pairs[g].iter().enumerate() {
                                if works(pats[g][a], d % WEEK_DAYS) && !works(pats[g][b], 0) {
                                    row.push((z[g][w][zi], -1.0));
                                }
                            }
                        }
                    }
                };
                let mut ends: Vec<i64> = on_day[c][d].iter().map(|&i| end(i)).collect();
                ends.sort_unstable();
                ends.dedup();
                let rest = i64::from(r.min_rest);
                for &tau in &ends {
                    if on_day[c][e].iter().all(|&j| start(j) >= tau + rest) {
                        continue;
                    }
                    let mut row: Vec<(Variable, f64)> = on_day[c][d]
                        .iter()
                        .filter(|&&i| end(i) >= tau)
                        .map(|&i| (x[i], 1.0))
                        .collect();
                    row.extend(
                        on_day[c][e]
                            .iter()
                            .filter(|&&j| start(j) >= tau + rest)
                            .map(|&j| (x[j], -1.0)),
                    );
                    off_next(&mut row);
                    p.add_constraint(row, ComparisonOp::Le, 0.0);
                }
                if r.no_consecutive_nights && on_day[c][d].iter().any(|&i| night(i)) {
                    let first_end = on_day[c][d]
                        .iter()
                        .filter(|&&i| night(i))
                        .map(|&i| end(i))
                        .min()
                        .unwrap_or(0);
                    let mut row: Vec<(Variable, f64)> = on_day[c][d]
                        .iter()
                        .filter(|&&i| night(i))
                        .map(|&i| (x[i], 1.0))
                        .collect();
                    row.extend(
                        on_day[c][e]
                            .iter()
                            .filter(|&&j| !night(j) && start(j) >= first_end + rest)
                            .map(|&j| (x[j], -1.0)),
                    );
                    off_next(&mut row);
                    p.add_constraint(row, ComparisonOp::Le, 0.0);
                }
            }
        }
        (p, x, y, n, z, s)
    };
    let err = |e: microlp::Error| ScheduleError::Solver(e.to_string());

    // 1. LP bound.
    let (mut lp, x_lp, y_lp, _, _, _) = build(false);
    lp.set_time_limit(budget.time);
    let relaxed = lp.solve().map_err(err)?;
    let lp_sol = relaxed.solution().ok_or_else(|| {
        ScheduleError::Solver(format!(
            "the LP relaxation did not finish within the time limit ({} s): raise --time-limit",
            budget.time.as_secs()
        ))
    })?;
    let lp_bound = lp_sol.objective();
    let fx: Vec<f64> = x_lp.iter().map(|v| lp_sol.var_value_raw(*v)).collect();
    let fy: Vec<Vec<Vec<f64>>> = y_lp
        .iter()
        .map(|c| {
            c.iter()
                .map(|w| w.iter().map(|v| lp_sol.var_value_raw(*v)).collect())
                .collect()
        })
        .collect();

    // 2. An integer point at once: the relaxation rounded and repaired.
    let fill = Fill {
        covers: columns
            .iter()
            .map(|&(_, v)| variants[v].covers.as_slice())
            .collect(),
        cost: columns.iter().map(col_cost).collect(),
        required,
    };
    let shape = Shape {
        crews: &crews,
        patterns: &pats,
        allowed: &allowed,
        on_day: &on_day,
    };
    let (wx, wy) = rounded(&shape, &fx, &fy, days, &fill);
    let wz = pair_weeks(&pats, &wy, r.max_days_in_row);
    let heuristic = evaluate(
        rules, variants, required, &columns, &crews, &costs, &wx, &wy, &wz,
    );

    // 3. Branch and bound from it, within the budgets.
    let (mip, x, y, n, z, s) = build(true);
    let cover = coverage(
        variants,
        required.len(),
        &per_variant(&columns, &wx, variants.len()),
    );
    let mut warm: Vec<(Variable, f64)> = x
        .iter()
        .zip(&wx)
        .map(|(v, &c)| (*v, f64::from(c)))
        .collect();
    for (g, weeks_y) in y.iter().enumerate() {
        for (w, row) in weeks_y.iter().enumerate() {
            warm.extend(row.iter().zip(&wy[g][w]).map(|(v, &k)| (*v, f64::from(k))));
        }
        let heads: u32 = wy[g].first().map_or(0, |w| w.iter().sum());
        warm.push((n[g], f64::from(heads)));
        for (w, zs) in z[g].iter().enumerate() {
            for (zi, &(a, b)) in pairs[g].iter().enumerate() {
                let k = wz[g][w]
                    .iter()
                    .find(|t| t.0 == a && t.1 == b)
                    .map_or(0, |t| t.2);
                warm.push((zs[zi], f64::from(k)));
            }
        }
    }
    warm.extend(
        s.iter()
            .enumerate()
            .map(|(k, v)| (*v, f64::from(required[k].saturating_sub(cover[k])))),
    );
    let mut opts = SolveOptions::default();
    opts.node_limit = Some(budget.nodes * weeks as u64);
    opts.time_limit = Some(budget.time);
    opts.warm_start = Some(warm);
    let attempt = mip.solve_with(opts);
    let searched = attempt.ok().and_then(|outcome| {
        let stats = outcome.stats();
        let optimal = outcome.is_optimal();
        let timed_out = outcome.termination_reason() == microlp::TerminationReason::TimeLimit;
        let sol = outcome.solution()?;
        let counts: Vec<u32> = x
            .iter()
            .map(|v| sol.var_value_raw(*v).round().max(0.0) as u32)
            .collect();
        let pc: Vec<Vec<Vec<u32>>> = y
            .iter()
            .map(|c| {
                c.iter()
                    .map(|w| {
                        w.iter()
                            .map(|v| sol.var_value_raw(*v).round().max(0.0) as u32)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let pz: Transitions = z
            .iter()
            .enumerate()
            .map(|(c, weeks_z)| {
                weeks_z
                    .iter()
                    .map(|zs| {
                        pairs[c]
                            .iter()
                            .zip(zs)
                            .map(|(&(a, b), v)| {
                                (a, b, sol.var_value_raw(*v).round().max(0.0) as u32)
                            })
                            .filter(|t| t.2 > 0)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let e = evaluate(
            rules, variants, required, &columns, &crews, &costs, &counts, &pc, &pz,
        );
        Some((e, stats, optimal, timed_out))
    });
    let (found, nodes, best_bound, status) = match searched {
        Some((e, stats, optimal, timed_out)) if e.objective <= heuristic.objective + 1e-6 => {
            let status = if optimal {
                Status::Optimal
            } else if timed_out {
                Status::TimeLimit
            } else {
                Status::Feasible
            };
            (e, stats.nodes_solved, stats.best_bound, status)
        }
        Some((_, stats, _, _)) => (
            heuristic,
            stats.nodes_solved,
            stats.best_bound,
            Status::Heuristic,
        ),
        None => (heuristic, 0, None, Status::Heuristic),
    };
    let objective = found.objective;
    let bound = best_bound.unwrap_or(lp_bound).max(lp_bound).min(objective);
    let gap = if status == Status::Optimal || objective <= 0.0 {
        0.0
    } else {
        ((objective - bound) / objective).max(0.0)
    };
    Ok(Solution {
        crews,
        columns,
        counts: found.counts,
        patterns: pats,
        pattern_counts: found.pattern_counts,
        transitions: found.transitions,
        shift_cost: found.shift_cost,
        idle: found.idle,
        short: found.short,
        objective,
        lp_bound,
        bound,
        gap,
        status: if status != Status::Heuristic && gap < 1e-9 {
            Status::Optimal
        } else {
            status
        },
        nodes,
        penalty,
    })
}

/// An integer point and what it costs.
/// What the program weighs besides pay.
struct Costs<'a> {
    /// Per agent-interval short.
    penalty: f64,
    /// Per agent-interval on the phones while every queue the pool serves is closed.
    idle_weight: f64,
    /// Such agent-intervals per variant.
    idle_of: &'a [u32],
}

struct Point {
    idle: u32,
    counts: Vec<u32>,
    pattern_counts: Vec<Vec<Vec<u32>>>,
    transitions: Transitions,
    shift_cost: f64,
    short: u64,
    objective: f64,
}

#[allow(clippy::too_many_arguments)]
fn evaluate(
    rules: &ShiftRules,
    variants: &[Variant],
    required: &[u32],
    columns: &[(usize, usize)],
    crews: &[Crew],
    costs: &Costs,
    counts: &[u32],
    pattern_counts: &[Vec<Vec<u32>>],
    transitions: &Transitions,
) -> Point {
    let per_v = per_variant(columns, counts, variants.len());
    let short: u64 = coverage(variants, required.len(), &per_v)
        .iter()
        .zip(required)
        .map(|(&c, &q)| u64::from(q.saturating_sub(c)))
        .sum();
    let shift_cost: f64 = columns
        .iter()
        .zip(counts)
        .map(|(&(c, v), &n)| f64::from(n) * variants[v].cost_at(rules.contracts[c].hourly_cost))
        .sum();
    let idle: u32 = columns
        .iter()
        .zip(counts)
        .map(|(&(_, v), &n)| n * costs.idle_of[v])
        .sum();
    // Overtime the program needs: per contract and week, the paid minutes above its agents'
    // max_weekly_hours, at the premium.
    let mut paid: Vec<Vec<u32>> = vec![Vec::new(); rules.contracts.len()];
    for (&(c, v), &n) in columns.iter().zip(counts) {
        let w = variants[v].week();
        if paid[c].len() <= w {
            paid[c].resize(w + 1, 0);
        }
        paid[c][w] += n * variants[v].paid;
    }
    let overtime_pay: f64 = paid
        .iter()
        .enumerate()
        .map(|(c, weeks)| {
            let k = &rules.contracts[c];
            let heads: u32 = crews
                .iter()
                .zip(pattern_counts)
                .filter(|(g, _)| g.contract == c)
                .map(|(_, pc)| pc.first().map_or(0, |w| w.iter().sum::<u32>()))
                .sum();
            weeks
                .iter()
                .map(|&m| {
                    f64::from(m.saturating_sub(k.max_weekly * heads)) / 60.0
                        * k.hourly_cost
                        * k.overtime_premium
                })
                .sum::<f64>()
        })
        .sum();
    let shift_cost = shift_cost + overtime_pay;
    Point {
        counts: counts.to_vec(),
        pattern_counts: pattern_counts.to_vec(),
        transitions: transitions.to_vec(),
        shift_cost,
        short,
        idle,
        objective: shift_cost + costs.penalty * short as f64 + costs.idle_weight * f64::from(idle),
    }
}

fn per_variant(columns: &[(usize, usize)], counts: &[u32], n: usize) -> Vec<u32> {
    let mut out = vec![0u32; n];
    for (&(_, v), &c) in columns.iter().zip(counts) {
        out[v] += c;
    }
    out
}

/// Agents on the phones per interval for `counts` (per variant).
pub fn coverage(variants: &[Variant], intervals: usize, counts: &[u32]) -> Vec<u32> {
    let mut cover = vec![0u32; intervals];
    for (v, &c) in variants.iter().zip(counts) {
        for &k in &v.covers {
            cover[k] += c;
        }
    }
    cover
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A branch and bound with no node to spend still returns a schedule: the relaxation
    /// rounded and repaired (or whatever the root found), with a gap to the bound.
    #[test]
    fn no_node_budget_still_gives_a_schedule_with_its_gap() {
        let text = std::fs::read_to_string("scenarios/monthly-plan.toml").unwrap();
        let path = std::path::Path::new("scenarios/monthly-plan.toml");
        let (model, rules) = crate::scenario::parse_with_shift_rules(&text, path).unwrap();
        let rules = rules.unwrap();
        let days = model.days as usize;
        let interval_min = (model.interval_s / 60.0).round() as u32;
        let vars =
            super::super::variants(&rules, model.calendar.first_weekday(), interval_min, days);
        let per_day = (24 * 60 / interval_min) as usize;
        // Ten agents from 08:00 to 18:00 every day of the month.
        let required: Vec<u32> = (0..days * per_day)
            .map(|k| {
                if (16..36).contains(&(k % per_day)) {
                    10
                } else {
                    0
                }
            })
            .collect();
        let budget = Budget {
            nodes: 0,
            time: Duration::from_secs(60),
        };
        let idle = vec![false; required.len()];
        let sol = solve(&rules, &vars, &required, &idle, 0, days, budget).unwrap();
        assert!(sol.counts.iter().sum::<u32>() > 0);
        assert!(sol.objective >= sol.lp_bound - 1e-6);
        assert!(sol.gap >= 0.0 && sol.gap < 1.0, "{}", sol.gap);
        assert_ne!(sol.status, Status::Optimal, "no search, no proof");
        // The day equations hold: every agent of a pattern works each of its days (the crews
        // of a contract together: monthly-plan names its agents, some on leave).
        assert!(sol.crews.len() > rules.contracts.len(), "crews of leave");
        for c in 0..rules.contracts.len() {
            for d in 0..days {
                let working: u32 = sol
                    .pattern_counts
                    .iter()
                    .enumerate()
                    .filter(|(g, _)| sol.crews[*g].contract == c)
                    .map(|(g, per_week)| {
                        sol.patterns[g]
                            .iter()
                            .zip(&per_week[d / WEEK_DAYS])
                            .filter(|(p, _)| works(**p, d % WEEK_DAYS))
                            .map(|(_, n)| n)
                            .sum::<u32>()
                    })
                    .sum();
                let shifts: u32 = sol
                    .columns
                    .iter()
                    .zip(&sol.counts)
                    .filter(|((cc, v), _)| *cc == c && vars[*v].day == d)
                    .map(|(_, n)| n)
                    .sum();
                assert_eq!(working, shifts, "contract {c} day {d}");
            }
        }
        // Leave is kept: no crew works a pattern on a day it is away.
        for (g, crew) in sol.crews.iter().enumerate() {
            for (w, row) in sol.pattern_counts[g].iter().enumerate() {
                for (p, &n) in sol.patterns[g].iter().zip(row) {
                    assert!(n == 0 || p & crew.unavailable[w] == 0, "crew {g} week {w}");
                }
            }
        }
    }
}
