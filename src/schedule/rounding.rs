//! The relaxation rounded at once to an integer schedule: the point the program always has
//! before any search, so `schedule` and `plan` never end without one.
//!
//! Owns the rounding and where filler shifts go; the program and its search are `solve`'s.

use super::WEEK_DAYS;
use super::crews::Crew;
use super::patterns::{Pattern, works};

/// What the program's integer point is made of: the crews, their patterns and which each may
/// work every week, and the columns of each contract on each day.
pub(super) struct Shape<'a> {
    pub crews: &'a [Crew],
    pub patterns: &'a [Vec<Pattern>],
    pub allowed: &'a [&'a Vec<Vec<bool>>],
    pub on_day: &'a [Vec<Vec<usize>>],
}

/// The relaxation rounded to a point that keeps the day equations and the same headcount
/// every week: yᵍʷₚ rounded up, each week topped up (on its largest fractional pattern the
/// crew may work that week) to the crew's largest week, trimmed to its size; then on each day
/// each contract's shifts made to number its working agents (adding the largest fractional
/// parts, removing the smallest).
pub(super) fn rounded(
    shape: &Shape,
    fx: &[f64],
    fy: &[Vec<Vec<f64>>],
    days: usize,
    fill: &Fill,
) -> (Vec<u32>, Vec<Vec<Vec<u32>>>) {
    let pats = shape.patterns;
    let mut y: Vec<Vec<Vec<u32>>> = fy
        .iter()
        .map(|c| {
            c.iter()
                .map(|w| {
                    w.iter()
                        .map(|v| (v - 1e-6).ceil().max(0.0) as u32)
                        .collect()
                })
                .collect()
        })
        .collect();
    for (g, weeks) in y.iter_mut().enumerate() {
        if pats[g].is_empty() {
            continue;
        }
        let crew = &shape.crews[g];
        // Named agents are all rostered; anonymous ones as many as the busiest week needs.
        let heads = if crew.people.is_empty() {
            weeks
                .iter()
                .map(|w| w.iter().sum::<u32>())
                .max()
                .unwrap_or(0)
                .min(crew.size)
        } else {
            crew.size
        };
        for (w, row) in weeks.iter_mut().enumerate() {
            let ok = &shape.allowed[g][w];
            // Largest LP value first, then the earliest pattern: deterministic.
            let order = |row: &[u32], up: bool| -> Option<usize> {
                (0..row.len())
                    .filter(|&p| if up { ok[p] } else { row[p] > 0 })
                    .max_by(|&a, &b| {
                        let (fa, fb) = (fy[g][w][a], fy[g][w][b]);
                        let key = |f: f64, r: u32| {
                            if up {
                                f - f64::from(r)
                            } else {
                                f64::from(r) - f
                            }
                        };
                        key(fa, row[a]).total_cmp(&key(fb, row[b])).then(b.cmp(&a))
                    })
            };
            while row.iter().sum::<u32>() < heads {
                let Some(p) = order(row, true) else { break };
                row[p] += 1;
            }
            while row.iter().sum::<u32>() > heads {
                let Some(p) = order(row, false) else { break };
                row[p] -= 1;
            }
        }
    }
    let mut x: Vec<u32> = fx
        .iter()
        .map(|v| (v + 1e-6).floor().max(0.0) as u32)
        .collect();
    let mut cover = vec![0i64; fill.required.len()];
    for (i, &n) in x.iter().enumerate() {
        fill.add(i, &mut cover, i64::from(n));
    }
    for (c, on_day) in shape.on_day.iter().enumerate() {
        for (d, idx) in on_day.iter().enumerate().take(days) {
            let working: u32 = (0..y.len())
                .filter(|&g| shape.crews[g].contract == c)
                .map(|g| {
                    pats[g]
                        .iter()
                        .zip(&y[g][d / WEEK_DAYS])
                        .filter(|(p, _)| works(**p, d % WEEK_DAYS))
                        .map(|(_, n)| n)
                        .sum::<u32>()
                })
                .sum();
            if idx.is_empty() {
                continue;
            }
            loop {
                let have: u32 = idx.iter().map(|&i| x[i]).sum();
                if have == working {
                    break;
                }
                if have < working {
                    // The largest fractional part left; with none, the shift covering the most
                    // uncovered requirement, then the cheapest (so filler shifts go where they
                    // help, not to the first variant of the day).
                    let frac = |i: usize| fx[i] - f64::from(x[i]);
                    let i = match idx
                        .iter()
                        .copied()
                        .filter(|&i| frac(i) > 1e-6)
                        .max_by(|&a, &b| frac(a).total_cmp(&frac(b)).then(b.cmp(&a)))
                    {
                        Some(i) => i,
                        None => idx
                            .iter()
                            .copied()
                            .max_by(|&a, &b| {
                                fill.gain(a, &cover)
                                    .cmp(&fill.gain(b, &cover))
                                    .then(fill.cost[b].total_cmp(&fill.cost[a]))
                                    .then(b.cmp(&a))
                            })
                            .unwrap_or(idx[0]),
                    };
                    x[i] += 1;
                    fill.add(i, &mut cover, 1);
                } else {
                    let Some(&i) = idx.iter().filter(|&&i| x[i] > 0).min_by(|&&a, &&b| {
                        (fx[a] - f64::from(x[a]))
                            .total_cmp(&(fx[b] - f64::from(x[b])))
                            .then(a.cmp(&b))
                    }) else {
                        break;
                    };
                    x[i] -= 1;
                    fill.add(i, &mut cover, -1);
                }
            }
        }
    }
    (x, y)
}

/// What the rounding needs to place filler shifts: each column's intervals and cost, and the
/// requirement.
pub(super) struct Fill<'a> {
    pub covers: Vec<&'a [usize]>,
    pub cost: Vec<f64>,
    pub required: &'a [u32],
}

impl Fill<'_> {
    /// Agent-intervals of requirement column `i` would cover that `cover` leaves uncovered.
    pub(super) fn gain(&self, i: usize, cover: &[i64]) -> usize {
        self.covers[i]
            .iter()
            .filter(|&&k| cover[k] < i64::from(self.required[k]))
            .count()
    }
    pub(super) fn add(&self, i: usize, cover: &mut [i64], n: i64) {
        for &k in self.covers[i] {
            cover[k] += n;
        }
    }
}
