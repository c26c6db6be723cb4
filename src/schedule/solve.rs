//! The set-covering integer program: how many agents start each shift variant so that every
//! interval's requirement is met at least cost.
//!
//! # Formulation
//! minimise Σᵥ cᵥ xᵥ + M Σₖ sₖ subject to Σ_{v covers k} xᵥ + sₖ ≥ rₖ for every interval k,
//! Σᵥ paidᵥ xᵥ ≤ paid-minute capacity, Σᵥ xᵥ ≤ shift capacity, Σ_{v on day d} xᵥ ≤ agents,
//! xᵥ ∈ ℕ, sₖ ≥ 0 — Dantzig's (1954) set-covering model of shift scheduling, with shortfall
//! variables sₖ so that rules that make full coverage impossible leave intervals short (and
//! say by how much) instead of failing. M is ten times the dearest variant's cost: any interval
//! a variant can cover is covered before it is left short.
//!
//! # Method
//! 1. The LP relaxation (microlp's simplex) gives the lower bound every answer is measured by.
//! 2. A heuristic integer solution: the relaxation rounded down, repaired greedily (most
//!    uncovered agent-intervals per unit of cost), then pruned (a unit whose removal leaves no
//!    interval short is removed, dearest first).
//! 3. microlp's branch and bound from that incumbent, stopped after [`NODE_LIMIT`] nodes — a
//!    node limit, not a clock, so the answer is the same on every machine.
//!
//! The better of 2 and 3 is returned with the best proven bound and the relative gap
//! (objective − bound) ÷ objective.

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, Variable};

use super::{ScheduleError, Variant};

/// Branch-and-bound nodes after the root (deterministic budget; about 20–40 s here for a week
/// of 30-minute intervals, see README "Speed").
pub const NODE_LIMIT: u64 = 200;

/// Aggregate limits from the contracts (the roster enforces them per agent).
#[derive(Debug, Clone, Copy)]
pub struct Capacity {
    /// Paid minutes all agents together may work in the week.
    pub paid_min: f64,
    /// Shifts all agents together may work in the week.
    pub shifts: f64,
    /// Agents (at most one shift each per day).
    pub agents: f64,
}

/// How the answer was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Branch and bound proved it optimal.
    Optimal,
    /// A feasible answer within `gap` of the bound (the node limit ended the search).
    Feasible,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
        }
    }
}

/// The chosen starts.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Agents per variant (index as the variants given).
    pub counts: Vec<u32>,
    /// Σ cᵥ xᵥ: the pay of the shifts.
    pub shift_cost: f64,
    /// Agent-intervals short, summed (0 when the requirement is covered everywhere).
    pub short: u64,
    /// The full objective (shift cost + penalty × short).
    pub objective: f64,
    /// The LP relaxation's optimum.
    pub lp_bound: f64,
    /// The best proven lower bound on the objective.
    pub bound: f64,
    /// (objective − bound) ÷ objective; 0 when proven optimal.
    pub gap: f64,
    pub status: Status,
    /// Where the answer came from: `branch-and-bound` or `heuristic`.
    pub method: &'static str,
    pub nodes: u64,
    /// The penalty per agent-interval short.
    pub penalty: f64,
}

/// Solves the program for `required` agents per interval of the week.
///
/// # Errors
/// [`ScheduleError::Solver`] if microlp fails (it should not: the program is always feasible).
pub fn solve(
    variants: &[Variant],
    required: &[u32],
    cap: Capacity,
) -> Result<Solution, ScheduleError> {
    let penalty = 10.0 * variants.iter().map(|v| v.cost).fold(1.0, f64::max);
    let build = |integer: bool| {
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let ub = required.iter().copied().max().unwrap_or(0) as i32;
        let x: Vec<Variable> = variants
            .iter()
            .map(|v| {
                if integer {
                    p.add_integer_var(v.cost, (0, ub))
                } else {
                    p.add_var(v.cost, (0.0, f64::from(ub)))
                }
            })
            .collect();
        let s: Vec<Variable> = required
            .iter()
            .map(|&r| p.add_var(penalty, (0.0, f64::from(r))))
            .collect();
        let mut rows: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); required.len()];
        for (v, var) in variants.iter().zip(&x) {
            for &k in &v.covers {
                rows[k].push((*var, 1.0));
            }
        }
        for (k, mut row) in rows.into_iter().enumerate() {
            if required[k] == 0 {
                continue;
            }
            row.push((s[k], 1.0));
            p.add_constraint(row, ComparisonOp::Ge, f64::from(required[k]));
        }
        let all = |f: &dyn Fn(&Variant) -> f64| -> Vec<(Variable, f64)> {
            variants.iter().zip(&x).map(|(v, var)| (*var, f(v))).collect()
        };
        p.add_constraint(all(&|v| f64::from(v.paid)), ComparisonOp::Le, cap.paid_min);
        p.add_constraint(all(&|_| 1.0), ComparisonOp::Le, cap.shifts);
        for d in 0..super::WEEK_DAYS {
            let row: Vec<(Variable, f64)> = variants
                .iter()
                .zip(&x)
                .filter(|(v, _)| v.day == d)
                .map(|(_, var)| (*var, 1.0))
                .collect();
            if !row.is_empty() {
                p.add_constraint(row, ComparisonOp::Le, cap.agents);
            }
        }
        (p, x, s)
    };
    let err = |e: microlp::Error| ScheduleError::Solver(e.to_string());

    // 1. LP bound.
    let (lp, x_lp, _) = build(false);
    let relaxed = lp.solve().map_err(err)?;
    let lp_sol = relaxed
        .solution()
        .ok_or_else(|| ScheduleError::Solver("the LP relaxation was interrupted".into()))?;
    let lp_bound = lp_sol.objective();
    let frac: Vec<f64> = x_lp.iter().map(|v| lp_sol.var_value_raw(*v)).collect();

    // 2. Heuristic.
    let counts = heuristic(variants, required, &frac, cap);
    let h_obj = objective(variants, required, &counts, penalty);

    // 3. Branch and bound from the heuristic.
    let (mip, x, s) = build(true);
    let mut opts = SolveOptions::default();
    opts.node_limit = Some(NODE_LIMIT);
    let short = shortfalls(variants, required, &counts);
    let mut warm: Vec<(Variable, f64)> = x
        .iter()
        .zip(&counts)
        .map(|(v, &c)| (*v, f64::from(c)))
        .collect();
    warm.extend(s.iter().zip(&short).map(|(v, &c)| (*v, f64::from(c))));
    opts.warm_start = Some(warm);
    let outcome = mip.solve_with(opts).map_err(err)?;
    let stats = outcome.stats();
    let nodes = stats.nodes_solved;
    let mut best = (counts, h_obj, "heuristic");
    let mut optimal = false;
    if let Some(sol) = outcome.solution() {
        let c: Vec<u32> = x
            .iter()
            .map(|v| sol.var_value_raw(*v).round().max(0.0) as u32)
            .collect();
        let o = objective(variants, required, &c, penalty);
        if o < best.1 - 1e-9 {
            best = (c, o, "branch-and-bound");
        }
        optimal = outcome.is_optimal();
    }
    let bound = stats.best_bound.unwrap_or(lp_bound).max(lp_bound);
    let (counts, obj, method) = best;
    let gap = if obj > 0.0 {
        ((obj - bound) / obj).max(0.0)
    } else {
        0.0
    };
    let optimal = optimal && gap < 1e-9 || gap < 1e-9;
    let short = shortfalls(variants, required, &counts);
    Ok(Solution {
        shift_cost: counts
            .iter()
            .zip(variants)
            .map(|(&c, v)| f64::from(c) * v.cost)
            .sum(),
        short: short.iter().map(|&s| u64::from(s)).sum(),
        counts,
        objective: obj,
        lp_bound,
        bound,
        gap: if optimal { 0.0 } else { gap },
        status: if optimal {
            Status::Optimal
        } else {
            Status::Feasible
        },
        method,
        nodes,
        penalty,
    })
}

/// Agents on the phones per interval for `counts`.
pub fn coverage(variants: &[Variant], intervals: usize, counts: &[u32]) -> Vec<u32> {
    let mut cover = vec![0u32; intervals];
    for (v, &c) in variants.iter().zip(counts) {
        for &k in &v.covers {
            cover[k] += c;
        }
    }
    cover
}

fn shortfalls(variants: &[Variant], required: &[u32], counts: &[u32]) -> Vec<u32> {
    coverage(variants, required.len(), counts)
        .iter()
        .zip(required)
        .map(|(&c, &r)| r.saturating_sub(c))
        .collect()
}

fn objective(variants: &[Variant], required: &[u32], counts: &[u32], penalty: f64) -> f64 {
    let pay: f64 = counts
        .iter()
        .zip(variants)
        .map(|(&c, v)| f64::from(c) * v.cost)
        .sum();
    let short: u32 = shortfalls(variants, required, counts).iter().sum();
    pay + penalty * f64::from(short)
}

/// Round down, repair greedily, prune (see the module doc).
fn heuristic(variants: &[Variant], required: &[u32], frac: &[f64], cap: Capacity) -> Vec<u32> {
    let mut counts: Vec<u32> = frac.iter().map(|x| (x + 1e-9).floor() as u32).collect();
    let mut cover = coverage(variants, required.len(), &counts);
    let mut paid: f64 = counts
        .iter()
        .zip(variants)
        .map(|(&c, v)| f64::from(c) * f64::from(v.paid))
        .sum();
    let mut shifts: f64 = counts.iter().map(|&c| f64::from(c)).sum();
    let mut per_day = [0.0f64; super::WEEK_DAYS];
    for (v, &c) in variants.iter().zip(&counts) {
        per_day[v.day] += f64::from(c);
    }
    loop {
        let mut best: Option<(f64, usize)> = None;
        for (i, v) in variants.iter().enumerate() {
            if paid + f64::from(v.paid) > cap.paid_min + 1e-9
                || shifts + 1.0 > cap.shifts + 1e-9
                || per_day[v.day] + 1.0 > cap.agents + 1e-9
            {
                continue;
            }
            let gain = v.covers.iter().filter(|&&k| cover[k] < required[k]).count();
            if gain == 0 {
                continue;
            }
            let score = gain as f64 / v.cost.max(1e-12);
            if best.is_none_or(|(b, _)| score > b + 1e-12) {
                best = Some((score, i));
            }
        }
        let Some((_, i)) = best else { break };
        counts[i] += 1;
        for &k in &variants[i].covers {
            cover[k] += 1;
        }
        paid += f64::from(variants[i].paid);
        shifts += 1.0;
        per_day[variants[i].day] += 1.0;
    }
    // Prune: dearest first, while a unit is redundant.
    let mut order: Vec<usize> = (0..variants.len()).collect();
    order.sort_by(|&a, &b| variants[b].cost.total_cmp(&variants[a].cost).then(a.cmp(&b)));
    let mut changed = true;
    while changed {
        changed = false;
        for &i in &order {
            while counts[i] > 0 && variants[i].covers.iter().all(|&k| cover[k] > required[k]) {
                counts[i] -= 1;
                for &k in &variants[i].covers {
                    cover[k] -= 1;
                }
                changed = true;
            }
        }
    }
    counts
}
