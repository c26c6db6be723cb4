//! The tour-scheduling integer program: how many agents of each contract start each shift
//! variant, and on which days they are off, so every interval's requirement is met at least
//! cost.
//!
//! # Formulation
//! Columns are (contract c, variant v) pairs the contract may work. With xᶜᵥ agents of
//! contract c on variant v, yᶜₒ agents of contract c whose days off are the block starting on
//! day o (two consecutive days with `two_days_off`) and sₖ agents short in interval k:
//!
//! minimise Σ cᵥ xᶜᵥ + M Σₖ sₖ subject to
//! - coverage: Σ_{(c,v) covers k} xᶜᵥ + sₖ ≥ rₖ for every interval k;
//! - every agent works every working day: Σ_{v on day d} xᶜᵥ = Σ_{o: d not off} yᶜₒ;
//! - headcount: Σₒ yᶜₒ ≤ max_agents of c;
//! - weekly hours on average: min_weekly·Σₒ yᶜₒ ≤ Σᵥ paidᵥ xᶜᵥ ≤ max_weekly·Σₒ yᶜₒ;
//! - where a night shift leaves too little rest for any shift of the next day (and a second
//!   night is not allowed), nights on day d ≤ the agents working d and off on d + 1;
//! - xᶜᵥ, yᶜₒ ∈ ℕ, sₖ ≥ 0.
//!
//! Dantzig's (1954) set covering with days-off patterns (tour scheduling, as in Bechtold &
//! Jacobs 1990), and shortfall variables so that rules that make full coverage impossible
//! leave intervals short (saying by how much) instead of failing. M is ten times the dearest
//! variant's cost: an interval some shift can cover is covered before it is left short.
//! Rest between shifts and night rules are per agent: the roster honours them.
//!
//! # Method
//! 1. The LP relaxation (microlp's simplex) gives the lower bound every answer is measured by.
//! 2. microlp's branch and bound, warm-started from the relaxation rounded (yᶜₒ up, then each
//!    day's xᶜᵥ made to match the agents working), stopped after [`NODE_LIMIT`] nodes — a node
//!    limit, not a clock, so the answer is the same on every machine.
//!
//! The answer comes with the best proven bound and the relative gap
//! (objective − bound) ÷ objective.

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, Variable};

use super::{ScheduleError, Variant, WEEK_DAYS};
use crate::scenario::shifts::ShiftRules;

/// Branch-and-bound nodes after the root (a deterministic budget; see README "Speed" for the
/// time it takes on `scenarios/weekly-plan.toml`).
pub const NODE_LIMIT: u64 = 500;

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

/// The chosen shifts and days off.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Agents per (contract, variant) column.
    pub columns: Vec<(usize, usize)>,
    pub counts: Vec<u32>,
    /// Agents per contract per off-block start day.
    pub off_blocks: Vec<[u32; WEEK_DAYS]>,
    /// Σ cᵥ xᶜᵥ: the pay of the shifts.
    pub shift_cost: f64,
    /// Agent-intervals the program leaves short.
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
    pub nodes: u64,
    /// The penalty per agent-interval short.
    pub penalty: f64,
}

impl Solution {
    /// Agents per variant, contracts together.
    pub fn per_variant(&self, n: usize) -> Vec<u32> {
        let mut out = vec![0u32; n];
        for (&(_, v), &c) in self.columns.iter().zip(&self.counts) {
            out[v] += c;
        }
        out
    }
}

/// Days off of the block starting on day `o`.
pub fn off_days(o: usize, off_len: usize) -> impl Iterator<Item = usize> {
    (0..off_len).map(move |j| (o + j) % WEEK_DAYS)
}

/// Solves the program for `required` agents per interval of the week.
///
/// # Errors
/// [`ScheduleError::Solver`] if microlp fails or finds no integer answer within its budget.
pub fn solve(
    rules: &ShiftRules,
    variants: &[Variant],
    required: &[u32],
) -> Result<Solution, ScheduleError> {
    let penalty = 10.0 * variants.iter().map(|v| v.cost).fold(1.0, f64::max);
    let r = &rules.roster;
    let run = r.work_days_per_week().min(r.max_days_in_row) as usize;
    let off_len = WEEK_DAYS - run;
    let columns: Vec<(usize, usize)> = rules
        .contracts
        .iter()
        .enumerate()
        .flat_map(|(c, k)| {
            variants
                .iter()
                .enumerate()
                .filter(|(_, v)| k.templates.contains(&v.template))
                .map(move |(i, _)| (c, i))
        })
        .collect();
    let nc = rules.contracts.len();
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
            .map(|&(c, v)| var(&mut p, variants[v].cost, rules.contracts[c].max_agents))
            .collect();
        let y: Vec<Vec<Variable>> = (0..nc)
            .map(|c| {
                (0..WEEK_DAYS)
                    .map(|_| var(&mut p, 0.0, rules.contracts[c].max_agents))
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
            for d in 0..WEEK_DAYS {
                let mut row: Vec<(Variable, f64)> = columns
                    .iter()
                    .zip(&x)
                    .filter(|((cc, v), _)| *cc == c && variants[*v].day == d)
                    .map(|(_, xv)| (*xv, 1.0))
                    .collect();
                for (o, yo) in y[c].iter().enumerate() {
                    if !off_days(o, off_len).any(|od| od == d) {
                        row.push((*yo, -1.0));
                    }
                }
                p.add_constraint(row, ComparisonOp::Eq, 0.0);
            }
            let heads: Vec<(Variable, f64)> = y[c].iter().map(|v| (*v, 1.0)).collect();
            p.add_constraint(heads, ComparisonOp::Le, f64::from(k.max_agents));
            let hours = |bound: u32| -> Vec<(Variable, f64)> {
                columns
                    .iter()
                    .zip(&x)
                    .filter(|((cc, _), _)| *cc == c)
                    .map(|(&(_, v), xv)| (*xv, f64::from(variants[v].paid)))
                    .chain(y[c].iter().map(|v| (*v, -f64::from(bound))))
                    .collect()
            };
            p.add_constraint(hours(k.max_weekly), ComparisonOp::Le, 0.0);
            // Nights with no rest for any shift the next day (and no second night allowed):
            // only agents whose next day is off can work them.
            for d in 0..WEEK_DAYS {
                let next = (d + 1) % WEEK_DAYS;
                let nights: Vec<usize> = (0..columns.len())
                    .filter(|&i| {
                        let (cc, v) = columns[i];
                        cc == c && variants[v].day == d && variants[v].night
                    })
                    .collect();
                let stuck = r.no_consecutive_nights
                    && !nights.is_empty()
                    && nights.iter().all(|&i| {
                        columns.iter().all(|&(cc, w)| {
                            cc != c
                                || variants[w].day != next
                                || variants[w].night
                                || super::roster::rest_between(
                                    &variants[columns[i].1],
                                    &variants[w],
                                ) < i64::from(r.min_rest)
                        })
                    });
                if stuck {
                    let mut row: Vec<(Variable, f64)> =
                        nights.iter().map(|&i| (x[i], 1.0)).collect();
                    for (o, yo) in y[c].iter().enumerate() {
                        let offs: Vec<usize> = off_days(o, off_len).collect();
                        if offs.contains(&next) && !offs.contains(&d) {
                            row.push((*yo, -1.0));
                        }
                    }
                    p.add_constraint(row, ComparisonOp::Le, 0.0);
                }
            }
            p.add_constraint(hours(k.min_weekly), ComparisonOp::Ge, 0.0);
        }
        (p, x, y, s)
    };
    let err = |e: microlp::Error| ScheduleError::Solver(e.to_string());

    // 1. LP bound.
    let (lp, x_lp, y_lp, _) = build(false);
    let relaxed = lp.solve().map_err(err)?;
    let lp_sol = relaxed
        .solution()
        .ok_or_else(|| ScheduleError::Solver("the LP relaxation was interrupted".into()))?;
    let lp_bound = lp_sol.objective();
    let fx: Vec<f64> = x_lp.iter().map(|v| lp_sol.var_value_raw(*v)).collect();
    let fy: Vec<Vec<f64>> = y_lp
        .iter()
        .map(|row| row.iter().map(|v| lp_sol.var_value_raw(*v)).collect())
        .collect();

    // 2. Warm start from the relaxation, then branch and bound.
    let (wx, wy) = rounded(rules, variants, &columns, &fx, &fy, off_len);
    let (mip, x, y, s) = build(true);
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
    for (row, vals) in y.iter().zip(&wy) {
        warm.extend(row.iter().zip(vals).map(|(v, &c)| (*v, f64::from(c))));
    }
    warm.extend(
        s.iter()
            .enumerate()
            .map(|(k, v)| (*v, f64::from(required[k].saturating_sub(cover[k])))),
    );
    let mut opts = SolveOptions::default();
    opts.node_limit = Some(NODE_LIMIT);
    opts.warm_start = Some(warm);
    let outcome = mip.solve_with(opts).map_err(err)?;
    let stats = outcome.stats();
    let optimal = outcome.is_optimal();
    let sol = outcome.solution().ok_or_else(|| {
        ScheduleError::Solver(format!(
            "no integer schedule found within {NODE_LIMIT} branch-and-bound nodes"
        ))
    })?;
    let counts: Vec<u32> = x
        .iter()
        .map(|v| sol.var_value_raw(*v).round().max(0.0) as u32)
        .collect();
    let off_blocks: Vec<[u32; WEEK_DAYS]> = y
        .iter()
        .map(|row| {
            let mut a = [0u32; WEEK_DAYS];
            for (o, v) in row.iter().enumerate() {
                a[o] = sol.var_value_raw(*v).round().max(0.0) as u32;
            }
            a
        })
        .collect();
    let per_v = per_variant(&columns, &counts, variants.len());
    let short: u64 = coverage(variants, required.len(), &per_v)
        .iter()
        .zip(required)
        .map(|(&c, &q)| u64::from(q.saturating_sub(c)))
        .sum();
    let shift_cost: f64 = per_v
        .iter()
        .zip(variants)
        .map(|(&c, v)| f64::from(c) * v.cost)
        .sum();
    let objective = shift_cost + penalty * short as f64;
    let bound = stats
        .best_bound
        .unwrap_or(lp_bound)
        .max(lp_bound)
        .min(objective);
    let gap = if optimal || objective <= 0.0 {
        0.0
    } else {
        ((objective - bound) / objective).max(0.0)
    };
    Ok(Solution {
        columns,
        counts,
        off_blocks,
        shift_cost,
        short,
        objective,
        lp_bound,
        bound,
        gap,
        status: if optimal || gap < 1e-9 {
            Status::Optimal
        } else {
            Status::Feasible
        },
        nodes: stats.nodes_solved,
        penalty,
    })
}

fn per_variant(columns: &[(usize, usize)], counts: &[u32], n: usize) -> Vec<u32> {
    let mut out = vec![0u32; n];
    for (&(_, v), &c) in columns.iter().zip(counts) {
        out[v] += c;
    }
    out
}

/// The relaxation rounded to a point that keeps the day equations: yᶜₒ rounded up, then on each
/// day each contract's shifts made to number its working agents (adding the largest fractional
/// parts, removing the smallest).
fn rounded(
    rules: &ShiftRules,
    variants: &[Variant],
    columns: &[(usize, usize)],
    fx: &[f64],
    fy: &[Vec<f64>],
    off_len: usize,
) -> (Vec<u32>, Vec<Vec<u32>>) {
    let mut y: Vec<Vec<u32>> = fy
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| (v - 1e-6).ceil().max(0.0) as u32)
                .collect()
        })
        .collect();
    for (c, row) in y.iter_mut().enumerate() {
        let max = rules.contracts[c].max_agents;
        while row.iter().sum::<u32>() > max {
            if let Some(o) = (0..WEEK_DAYS).filter(|&o| row[o] > 0).max_by(|&a, &b| {
                (f64::from(row[a]) - fy[c][a]).total_cmp(&(f64::from(row[b]) - fy[c][b]))
            }) {
                row[o] -= 1;
            }
        }
    }
    let mut x: Vec<u32> = fx
        .iter()
        .map(|v| (v + 1e-6).floor().max(0.0) as u32)
        .collect();
    for (c, yc) in y.iter().enumerate() {
        for d in 0..WEEK_DAYS {
            let working: u32 = (0..WEEK_DAYS)
                .filter(|&o| !off_days(o, off_len).any(|od| od == d))
                .map(|o| yc[o])
                .sum();
            let idx: Vec<usize> = (0..columns.len())
                .filter(|&i| columns[i].0 == c && variants[columns[i].1].day == d)
                .collect();
            if idx.is_empty() {
                continue;
            }
            loop {
                let have: u32 = idx.iter().map(|&i| x[i]).sum();
                if have == working {
                    break;
                }
                if have < working {
                    let i = *idx
                        .iter()
                        .max_by(|&&a, &&b| {
                            (fx[a] - f64::from(x[a]))
                                .total_cmp(&(fx[b] - f64::from(x[b])))
                                .then(b.cmp(&a))
                        })
                        .unwrap_or(&idx[0]);
                    x[i] += 1;
                } else {
                    let Some(&i) = idx.iter().filter(|&&i| x[i] > 0).min_by(|&&a, &&b| {
                        (fx[a] - f64::from(x[a]))
                            .total_cmp(&(fx[b] - f64::from(x[b])))
                            .then(a.cmp(&b))
                    }) else {
                        break;
                    };
                    x[i] -= 1;
                }
            }
        }
    }
    (x, y)
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
