//! The simulate-and-correct loop of `hotline plan`: requirements → schedule → simulated service
//! level per interval and queue → requirements corrected where the simulation contradicts the
//! formula → schedule again.
//!
//! Why a loop: Erlang A (and C) take each interval as stationary, handle times as exponential
//! and know nothing of redials, overflow between pools, queues carried over from the interval
//! before, or the schedule's breaks. The simulation sees all of that, so it is the judge; the
//! formula only proposes the first plan and predicts what one agent fewer would do.
//!
//! Owns the correction rule and the stopping rule, and nothing of files or of how the
//! simulation runs: the caller passes `evaluate` (pool headcount per interval → measured
//! figures), so the loop is the same whether the simulation runs replications on a thread pool
//! or a test feeds it numbers.
//!
//! # Shrinkage: the agents simulated are the ones on the phones
//! Requirements, the schedule and its cost are in *rostered* agents (paid, `staff`'s
//! `agents_scheduled`); the simulation sees only those on the phones. The rule is deterministic:
//! on the phones = ⌊rostered × (1 − shrinkage) + 10⁻⁹⌋ per pool × interval ([`on_phones`]),
//! with the scenario's one `[staffing] shrinkage` for every pool. It is the exact inverse of
//! `staff`'s ⌈required ÷ (1 − shrinkage)⌉ (⌊⌈n/(1−s)⌉·(1−s)⌋ ≥ n), so a requirement `staff`
//! grossed up puts its `agents_required` on the phones, and every iteration of the loop is
//! simulated with the same absence (common random numbers stay common). A deterministic share
//! leaves out the day-to-day variation of absence (an agent-day off is all or nothing): the
//! plan covers the average shrinkage, as `staff` does.
//!
//! # The rule (per pool p and interval k of the week; S = agents the schedule rosters,
//! R = the requirement given to the scheduler, both rostered; on(S) = agents on the phones)
//! - An interval × queue *counts* when its simulated SL is defined in at least two
//!   replications (intervals with no calls do not count).
//! - It *meets* the target when the SL's mean over replications is at least the target; it
//!   *misses with confidence* when the upper end of the 95 % interval is below the target.
//! - **Raise**: when a queue planned in p misses with confidence, R ← the fewest rostered
//!   agents above max(R, S) that put one more agent on the phones (max(R, S) + 1 without
//!   shrinkage; raising R below S would change nothing: the schedule already gives S) — unless
//!   the schedule left
//!   the interval short already (S < R: no allowed shift covers it or the rules bind; a
//!   higher requirement cannot help there, and the interval stays counted as missing).
//! - **Lower** (beats the target *comfortably*): when p plans exactly one queue with calls in
//!   k, the lower end of its 95 % interval is at least the target, and the SL predicted with
//!   one rostered agent fewer — the simulated mean less Erlang A's drop from on(S) to
//!   on(S − 1) agents on the phones, less the half-width — still meets it: R ← min(R, S − 1).
//! - Stop when every counted interval meets the target and nothing is lowered, when no
//!   requirement changes ("no change helps"), when the requirements repeat an earlier
//!   iteration's (a cycle), or after `max_iterations` schedules.
//! - The plan kept is the best iteration: fewest interval × queues missing with confidence,
//!   then the lowest cost (a mean a little under the target inside its 95 % interval is
//!   noise, not a miss), then the earliest.

use super::{PoolSchedule, ScheduleError, Variant, schedule_pools, solve};
use crate::erlang::{Load, Model as Erlang, evaluate};
use crate::plan::plan_file::queue_owners;
use crate::scenario::Model;
use crate::scenario::shifts::ShiftRules;
use crate::time::Seconds;

/// A queue's figures in one interval, means over the replications.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measured {
    /// Mean SL (`service_level` of intervals.csv) over the replications defining it.
    pub sl: Option<f64>,
    /// Its 95 % half-width (Student t); `None` with fewer than two replications defining it.
    pub sl_hw95: Option<f64>,
    pub offered: f64,
    pub answered: f64,
    pub abandoned: f64,
    pub answered_within: f64,
    pub abandoned_within: f64,
    /// Callers who met a closed queue (closed message).
    pub closed: f64,
    /// Callback requests: callers who accepted a callback offer while waiting, plus closed
    /// callers who left a request for the next opening.
    pub callback_requests: f64,
    /// Of `offered`: legs transferred in from another queue (the caller was already counted
    /// on the first queue).
    pub transferred_in: f64,
    /// Of `answered`: legs transferred on to another queue (their caller's outcome is on the
    /// next leg).
    pub transferred_out: f64,
    /// Of `offered`: callback legs of closed callers' requests, offered at the next opening
    /// (the caller was already counted, `closed`, at night).
    pub closed_callbacks: f64,
}

impl Measured {
    /// Callers routed to the queue in the interval, each once: `offered` without the
    /// transferred-in legs and the closed-queue callback legs (which are the same callers
    /// again). On common random numbers the same in every staffing (without redials).
    pub fn callers(&self) -> f64 {
        self.offered - self.transferred_in - self.closed_callbacks
    }
    /// Whether the interval counts: SL defined in at least two replications.
    pub fn counts(&self) -> bool {
        self.sl.is_some() && self.sl_hw95.is_some()
    }
    pub fn meets(&self, target: f64) -> bool {
        self.counts() && self.sl.is_some_and(|m| m >= target)
    }
    pub fn misses_with_confidence(&self, target: f64) -> bool {
        match (self.sl, self.sl_hw95) {
            (Some(m), Some(h)) => m + h < target,
            _ => false,
        }
    }
}

/// `measured[queue][interval]`.
pub type Evaluation = Vec<Vec<Measured>>;

/// Agents on the phones of `rostered` under `shrinkage`: ⌊rostered × (1 − shrinkage) + 10⁻⁹⌋
/// (the allowance keeps 80 × (1 − 0.3) at 56 despite rounding, as `staff`'s gross-up does).
pub fn on_phones(rostered: u32, shrinkage: f64) -> u32 {
    (f64::from(rostered) * (1.0 - shrinkage) + 1e-9).floor() as u32
}

/// The fewest rostered agents above `rostered` that put one more agent on the phones.
fn one_more_on_the_phones(rostered: u32, shrinkage: f64) -> u32 {
    let now = on_phones(rostered, shrinkage);
    (rostered + 1..)
        .find(|&r| on_phones(r, shrinkage) > now)
        .unwrap_or(rostered + 1)
}

/// Simulates a headcount on the phones `[pool][interval]` and measures it.
pub type Evaluator<'a, E> = dyn FnMut(&[Vec<u32>]) -> Result<Evaluation, E> + 'a;

/// Erlang A's inputs for one queue × interval, for the "one agent fewer" prediction.
#[derive(Debug, Clone, Copy)]
pub struct Load1 {
    pub calls: f64,
    pub handle_s: f64,
    pub patience_s: Option<f64>,
    pub threshold_s: f64,
}

impl Load1 {
    /// Erlang A's SL with `agents` (answered within T over answered + abandoned after T, the
    /// definition the simulation measures), `None` when not computable.
    pub fn predicted_sl(&self, agents: u32, interval_s: f64) -> Option<f64> {
        if self.calls <= 0.0 {
            return None;
        }
        let load = Load::new(self.calls / interval_s, Seconds(self.handle_s)).ok()?;
        let model = match self.patience_s {
            Some(p) => Erlang::ErlangA {
                patience: Seconds(p),
            },
            None => Erlang::ErlangC,
        };
        if agents == 0 {
            return Some(0.0);
        }
        evaluate(model, load, agents, Seconds(self.threshold_s))
            .ok()
            .map(|f| f.service_level_excl_early_abandons)
    }
}

/// One schedule of the loop and what the simulation made of it.
#[derive(Debug, Clone)]
pub struct Iteration {
    /// `erlang_c` (the reference), `erlang_a`, then `loop N`.
    pub label: String,
    /// Requirements given to the scheduler, `[pool][interval]`.
    pub required: Vec<Vec<u32>>,
    pub plans: Vec<PoolSchedule>,
    /// Agents rostered, `[pool][interval]` (the schedule's coverage).
    pub coverage: Vec<Vec<u32>>,
    /// Agents on the phones after shrinkage, `[pool][interval]` (the headcount simulated).
    pub on_phones: Vec<Vec<u32>>,
    pub cost: f64,
    pub agent_hours: f64,
    pub evaluation: Evaluation,
    /// Interval × queues that count, meet the target, miss it with confidence.
    pub counted: usize,
    pub meeting: usize,
    pub missing: usize,
    /// Pool × intervals whose requirement this iteration's result raised / lowered.
    pub raised: usize,
    pub lowered: usize,
}

impl Iteration {
    pub fn share_meeting(&self) -> f64 {
        ratio(self.meeting, self.counted)
    }
    pub fn share_missing(&self) -> f64 {
        ratio(self.missing, self.counted)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Why the loop stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Every counted interval meets the target and none beats it comfortably.
    AllMet,
    /// No requirement changed.
    NoChange,
    /// The requirements came back to an earlier iteration's.
    Cycle,
    /// `max_iterations` schedules made.
    Cap,
}

impl Stop {
    pub fn text(self) -> &'static str {
        match self {
            Stop::AllMet => "every interval meets the target",
            Stop::NoChange => "no change helps (no requirement to raise or lower)",
            Stop::Cycle => "the requirements repeat an earlier iteration's",
            Stop::Cap => "iteration cap (--max-iterations) reached",
        }
    }
}

/// The loop's answer.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every iteration of the loop, the first being the Erlang A plan.
    pub iterations: Vec<Iteration>,
    /// Index of the plan kept.
    pub best: usize,
    pub stop: Stop,
}

/// The loop's inputs besides the evaluation.
pub struct Inputs<'a> {
    pub model: &'a Model,
    pub rules: &'a ShiftRules,
    pub variants: &'a [Variant],
    /// SL target, a fraction.
    pub target: f64,
    /// Erlang inputs `[queue][interval]`.
    pub loads: &'a [Vec<Load1>],
    /// `[staffing] shrinkage`: the share of rostered agents off the phones, in [0, 1).
    pub shrinkage: f64,
    pub max_iterations: u32,
}

/// Schedules `required` and evaluates it: one [`Iteration`] (without the corrections counted).
///
/// # Errors
/// The scheduler's, or the evaluation's.
pub fn evaluate_plan<E: From<ScheduleError>>(
    inp: &Inputs,
    label: String,
    required: Vec<Vec<u32>>,
    evaluate: &mut Evaluator<'_, E>,
) -> Result<Iteration, E> {
    let plans = schedule_pools(inp.rules, inp.variants, &required)?;
    let n = required.first().map_or(0, Vec::len);
    let coverage: Vec<Vec<u32>> = plans
        .iter()
        .map(|p| solve::coverage(inp.variants, n, &p.counts))
        .collect();
    let on: Vec<Vec<u32>> = coverage
        .iter()
        .map(|row| row.iter().map(|&c| on_phones(c, inp.shrinkage)).collect())
        .collect();
    let evaluation = evaluate(&on)?;
    let cells = evaluation.iter().flatten();
    let counted = cells.clone().filter(|m| m.counts()).count();
    let meeting = cells.clone().filter(|m| m.meets(inp.target)).count();
    let missing = cells
        .filter(|m| m.misses_with_confidence(inp.target))
        .count();
    Ok(Iteration {
        label,
        cost: plans.iter().map(|p| p.cost(inp.variants)).sum(),
        agent_hours: plans.iter().map(|p| p.agent_hours(inp.variants)).sum(),
        required,
        plans,
        coverage,
        on_phones: on,
        evaluation,
        counted,
        meeting,
        missing,
        raised: 0,
        lowered: 0,
    })
}

/// The corrected requirements after `it`, and how many were raised and lowered.
pub fn correct(inp: &Inputs, it: &Iteration) -> (Vec<Vec<u32>>, usize, usize) {
    let owners = queue_owners(inp.model);
    let mut next = it.required.clone();
    let (mut raised, mut lowered) = (0, 0);
    for (p, row) in next.iter_mut().enumerate() {
        let queues: Vec<usize> = (0..owners.len())
            .filter(|&q| owners[q] == Some(p))
            .collect();
        for (k, r) in row.iter_mut().enumerate() {
            let s = it.coverage[p][k];
            let with_calls: Vec<usize> = queues
                .iter()
                .copied()
                .filter(|&q| it.evaluation[q][k].counts())
                .collect();
            // Where the schedule already leaves the interval short (no allowed shift covers
            // it, or the rules bind) a higher requirement changes nothing.
            if s >= *r
                && with_calls
                    .iter()
                    .any(|&q| it.evaluation[q][k].misses_with_confidence(inp.target))
            {
                *r = one_more_on_the_phones((*r).max(s), inp.shrinkage);
                raised += 1;
                continue;
            }
            let [q] = with_calls[..] else { continue };
            let m = it.evaluation[q][k];
            let (Some(mean), Some(hw)) = (m.sl, m.sl_hw95) else {
                continue;
            };
            if s == 0 || mean - hw < inp.target || *r < s {
                continue;
            }
            let load = inp.loads[q][k];
            let (Some(now), Some(fewer)) = (
                load.predicted_sl(it.on_phones[p][k], inp.model.interval_s),
                load.predicted_sl(on_phones(s - 1, inp.shrinkage), inp.model.interval_s),
            ) else {
                continue;
            };
            if mean - (now - fewer).max(0.0) - hw >= inp.target {
                *r = s - 1;
                lowered += 1;
            }
        }
    }
    (next, raised, lowered)
}

/// Runs the loop from `first` (the Erlang A requirements per pool).
///
/// # Errors
/// The scheduler's, or the evaluation's.
pub fn run<E: From<ScheduleError>>(
    inp: &Inputs,
    first: Vec<Vec<u32>>,
    evaluate: &mut Evaluator<'_, E>,
    progress: &mut dyn FnMut(&Iteration),
) -> Result<Outcome, E> {
    let mut iterations: Vec<Iteration> = Vec::new();
    let mut required = first;
    let stop = loop {
        let label = if iterations.is_empty() {
            "erlang_a".to_string()
        } else {
            format!("loop {}", iterations.len())
        };
        let mut it = evaluate_plan(inp, label, required, evaluate)?;
        let (next, raised, lowered) = correct(inp, &it);
        it.raised = raised;
        it.lowered = lowered;
        progress(&it);
        let all_met = it.meeting == it.counted && lowered == 0;
        let same = next == it.required;
        iterations.push(it);
        if all_met {
            break Stop::AllMet;
        }
        if same {
            break Stop::NoChange;
        }
        if iterations.iter().any(|i| i.required == next) {
            break Stop::Cycle;
        }
        if iterations.len() as u32 >= inp.max_iterations {
            break Stop::Cap;
        }
        required = next;
    };
    let best = (0..iterations.len())
        .min_by(|&a, &b| {
            let (x, y) = (&iterations[a], &iterations[b]);
            x.missing
                .cmp(&y.missing)
                .then(x.cost.total_cmp(&y.cost))
                .then(a.cmp(&b))
        })
        .unwrap_or(0);
    Ok(Outcome {
        iterations,
        best,
        stop,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(sl: f64, hw: f64) -> Measured {
        Measured {
            sl: Some(sl),
            sl_hw95: Some(hw),
            ..Measured::default()
        }
    }

    #[test]
    fn a_miss_within_the_noise_is_not_a_miss_with_confidence() {
        assert!(!m(0.78, 0.03).misses_with_confidence(0.8));
        assert!(m(0.76, 0.03).misses_with_confidence(0.8));
        assert!(!m(0.78, 0.03).meets(0.8));
        assert!(m(0.80, 0.03).meets(0.8));
    }

    #[test]
    fn an_interval_defined_in_one_replication_does_not_count() {
        let one = Measured {
            sl: Some(0.0),
            sl_hw95: None,
            ..Measured::default()
        };
        assert!(!one.counts() && !one.misses_with_confidence(0.8));
    }

    /// ⌊⌈n/(1−s)⌉·(1−s)⌋ ≥ n: what `staff` grosses up for shrinkage is on the phones again.
    #[test]
    fn on_the_phones_inverts_the_gross_up_for_shrinkage() {
        for s in [0.0, 0.1, 0.15, 0.3, 1.0 / 3.0, 0.5] {
            for n in 0..200u32 {
                let rostered = (f64::from(n) / (1.0 - s) - 1e-9).ceil() as u32;
                assert!(on_phones(rostered, s) >= n, "n {n} s {s}");
                // And one rostered agent fewer is no longer enough.
                if rostered > 0 {
                    assert!(on_phones(rostered - 1, s) < n, "n {n} s {s}");
                }
            }
        }
        assert_eq!(on_phones(80, 0.3), 56);
        assert_eq!(on_phones(7, 0.0), 7);
    }

    #[test]
    fn a_raise_puts_one_more_agent_on_the_phones() {
        // 6 rostered at 15 % put 5 on the phones; 7 still 5 (⌊5.95⌋), 8 put 6.
        assert_eq!(one_more_on_the_phones(6, 0.15), 8);
        assert_eq!(one_more_on_the_phones(6, 0.0), 7);
        for r in 0..100 {
            let up = one_more_on_the_phones(r, 0.15);
            assert_eq!(on_phones(up, 0.15), on_phones(r, 0.15) + 1, "{r}");
        }
    }

    #[test]
    fn one_agent_fewer_lowers_the_predicted_sl() {
        let l = Load1 {
            calls: 100.0,
            handle_s: 180.0,
            patience_s: Some(120.0),
            threshold_s: 20.0,
        };
        let a = l.predicted_sl(12, 1800.0).unwrap();
        let b = l.predicted_sl(11, 1800.0).unwrap();
        assert!(a > b && b > 0.0, "{a} {b}");
    }
}
