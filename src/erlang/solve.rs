//! The inverse problems: the fewest agents whose figures meet a set of [`Targets`].
//!
//! Owns the search; the figures come from the parent module and `queue`.
//!
//! # Monotonicity
//! Every target is a monotone predicate in c (false for small c, true from some c on), so the
//! answer is a threshold and a monotone search finds it exactly:
//! - Erlang C: C(c, a) decreases in c (Cooper 1981, §3.5), hence SL = 1 − C·e^{−(c−a)t/h}
//!   rises and ASA = C·h/(c − a) and occupancy a/c fall.
//! - Erlang A: more agents give a stochastically smaller queue and less abandonment; P(abandon)
//!   is decreasing (and convex) in c (Armony, Plambeck & Seshadri, "Sensitivity of optimal
//!   capacity to customer impatience in an unobservable M/M/S queue", MSOM 11(1), 2009), and SL,
//!   ASA and occupancy are monotone likewise. The property tests in `tests/erlang.rs` check
//!   that the answer meets the targets and one agent fewer does not.
//!
//! # Method
//! Erlang C: start at the lower bound max(⌊a⌋ + 1, ⌊a/max occupancy⌋) and step up one agent at a
//! time, advancing B(c, a) by one recurrence step (O(1) per agent; the answer is within a few
//! √a of a). Erlang A and finite lines: exponential search from the square-root-staffing guess
//! a + √a, then bisection; B(c, a) comes from the nearest already-computed c below, so the
//! Erlang B work totals about one pass to the answer
//! (checkpoints every 256 agents make revisiting a lower c cheap).

use super::tolerance::{MAX_AGENTS, OCCUPANCY_TIE};
use super::{
    ErlangError, Figures, Load, Model, blocking_step, c_figures, fraction, positive, queue,
};
use crate::time::Seconds;

/// "At least `fraction` of calls answered within `threshold`" (e.g. 80/20: 0.8 within 20 s).
/// Under Erlang A and finite lines it refers to [`Figures::service_level`] (answered within t
/// over all offered calls).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceLevelTarget {
    /// Required fraction, in (0, 1].
    pub fraction: f64,
    /// The threshold t, ≥ 0.
    pub threshold: Seconds,
}

/// Staffing targets; each `None` is no constraint, all given ones must hold together.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Targets {
    /// Service level of at least this much.
    pub service_level: Option<ServiceLevelTarget>,
    /// ASA (mean wait of answered calls) of at most this.
    pub max_asa: Option<Seconds>,
    /// P(abandon) of at most this, in (0, 1] (Erlang A and finite lines with patience only).
    pub max_abandon: Option<f64>,
    /// Occupancy of at most this, in (0, 1].
    pub max_occupancy: Option<f64>,
}

impl Targets {
    /// Checks each given target.
    ///
    /// # Errors
    /// [`ErlangError::NoTarget`] if none is given, [`ErlangError::TargetOutOfRange`] for a
    /// fraction outside (0, 1], [`ErlangError::NotPositive`]/[`ErlangError::Negative`] for a
    /// bad ASA or threshold.
    pub fn validate(&self) -> Result<(), ErlangError> {
        if self.service_level.is_none()
            && self.max_asa.is_none()
            && self.max_abandon.is_none()
            && self.max_occupancy.is_none()
        {
            return Err(ErlangError::NoTarget);
        }
        if let Some(sl) = self.service_level {
            fraction("service-level target", sl.fraction)?;
            super::non_negative("threshold", sl.threshold.0)?;
        }
        if let Some(asa) = self.max_asa {
            positive("ASA target", asa.0)?;
        }
        if let Some(x) = self.max_abandon {
            fraction("abandonment target", x)?;
        }
        if let Some(x) = self.max_occupancy {
            fraction("occupancy target", x)?;
        }
        Ok(())
    }

    /// The threshold the figures must be evaluated at (0 when no service-level target).
    pub fn threshold(&self) -> Seconds {
        self.service_level.map_or(Seconds::ZERO, |sl| sl.threshold)
    }

    /// Whether `figures` meet every given target.
    pub fn met_by(&self, figures: &Figures) -> bool {
        self.service_level
            .is_none_or(|sl| figures.service_level >= sl.fraction)
            && self.max_asa.is_none_or(|asa| figures.asa.0 <= asa.0)
            && self.max_abandon.is_none_or(|x| figures.p_abandon <= x)
            && self
                .max_occupancy
                .is_none_or(|x| figures.occupancy <= x * (1.0 + OCCUPANCY_TIE))
    }
}

/// The fewest agents on the phones whose figures under `model` meet all `targets`.
///
/// # Formula
/// c* = min { c ≥ 1 : targets hold for the figures at c } — see the module docs for why the
/// set is an interval [c*, ∞) and how it is searched.
///
/// Reference: Koole (2013), §5.3 (staffing with Erlang C); Gans, Koole & Mandelbaum (2003),
/// §4.1; Garnett, Mandelbaum & Reiman (2002), §5 (Erlang A staffing).
///
/// # Numerical method and accuracy
/// Exact (integer) answer given figures accurate to 1e-9; a target equal to a figure within
/// that accuracy may resolve either way. Erlang C: O(c*) work; Erlang A: O(c*) for Erlang B
/// plus ~2·log₂(|c* − guess|) birth–death evaluations.
///
/// # Errors
/// Those of [`Targets::validate`] and [`Model::validate`];
/// [`ErlangError::AbandonNeedsPatience`] for an abandonment target without patience;
/// [`ErlangError::Unreachable`] if no staffing up to the cap (or the number of lines) meets
/// the targets; [`ErlangError::TooManyTerms`].
pub fn required_agents(model: Model, load: Load, targets: &Targets) -> Result<u32, ErlangError> {
    targets.validate()?;
    model.validate()?;
    if targets.max_abandon.is_some() && model.patience().is_none() {
        return Err(ErlangError::AbandonNeedsPatience);
    }
    let threshold = targets.threshold();
    let a = load.erlangs();
    match model {
        Model::ErlangC => {
            let occupancy_bound = targets
                .max_occupancy
                .map_or(0.0, |m| (a / (m * (1.0 + OCCUPANCY_TIE))).floor());
            let start = (a.floor() + 1.0).max(occupancy_bound).max(1.0);
            if start > f64::from(MAX_AGENTS) {
                return Err(ErlangError::Unreachable(MAX_AGENTS));
            }
            let mut c = start as u32;
            let mut b = super::blocking(c, a);
            loop {
                if targets.met_by(&c_figures(load, c, b, threshold)) {
                    return Ok(c);
                }
                if c >= MAX_AGENTS {
                    return Err(ErlangError::Unreachable(MAX_AGENTS));
                }
                c += 1;
                b = blocking_step(b, c, a);
            }
        }
        Model::ErlangA { patience } => {
            let theta = 1.0 / patience.0;
            let mut table = BlockingTable::new(a);
            smallest_meeting(sqrt_staffing_guess(a), MAX_AGENTS, |c| {
                let b = table.get(c);
                let f = queue::solve_birth_death(load, c, b, theta, None, threshold)?;
                Ok(targets.met_by(&f))
            })
        }
        Model::FiniteLines { lines, patience } => {
            let theta = patience.map_or(0.0, |p| 1.0 / p.0);
            let mut table = BlockingTable::new(a);
            let guess = sqrt_staffing_guess(a).min(lines.max(1));
            smallest_meeting(guess, lines, |c| {
                let b = table.get(c);
                let queue_len = Some(u64::from(lines - c));
                let f = queue::solve_birth_death(load, c, b, theta, queue_len, threshold)?;
                Ok(targets.met_by(&f))
            })
        }
    }
}

/// a + √a, the square-root staffing rule with β = 1 (Halfin & Whitt 1981): a guess near the
/// answer for common targets, so the exponential search takes few steps.
fn sqrt_staffing_guess(a: f64) -> u32 {
    (a + a.sqrt()).ceil().clamp(1.0, f64::from(MAX_AGENTS)) as u32
}

/// The least c in [1, cap] with `meets(c)`, for a monotone `meets`: exponential search from
/// `guess` towards the answer, then bisection between the last failing and first passing c.
fn smallest_meeting(
    guess: u32,
    cap: u32,
    mut meets: impl FnMut(u32) -> Result<bool, ErlangError>,
) -> Result<u32, ErlangError> {
    let guess = guess.clamp(1, cap.max(1));
    if cap == 0 {
        return Err(ErlangError::Unreachable(0));
    }
    // Invariant after bracketing: meets(fail) is false (or fail = 0), meets(pass) is true.
    let (mut fail, mut pass);
    if meets(guess)? {
        pass = guess;
        fail = 0;
        let mut step = 1u32;
        while pass > 1 {
            let c = pass.saturating_sub(step).max(1);
            if meets(c)? {
                pass = c;
                step = step.saturating_mul(2);
            } else {
                fail = c;
                break;
            }
        }
    } else {
        fail = guess;
        let mut step = 1u32;
        loop {
            if fail >= cap {
                return Err(ErlangError::Unreachable(cap));
            }
            let c = fail.saturating_add(step).min(cap);
            if meets(c)? {
                pass = c;
                break;
            }
            fail = c;
            step = step.saturating_mul(2);
        }
    }
    while pass - fail > 1 {
        let mid = fail + (pass - fail) / 2;
        if meets(mid)? {
            pass = mid;
        } else {
            fail = mid;
        }
    }
    Ok(pass)
}

/// B(c, a) for the c the search visits, from checkpoints B(0), B(256), B(512), … filled in as
/// the search reaches them: any c costs at most 255 recurrence steps after the first pass, and
/// every value is computed forwards (the stable direction) exactly as [`super::blocking`] would.
struct BlockingTable {
    a: f64,
    checkpoints: Vec<f64>,
}

const CHECKPOINT_EVERY: u32 = 256;

impl BlockingTable {
    fn new(a: f64) -> Self {
        BlockingTable {
            a,
            checkpoints: vec![1.0],
        }
    }

    fn get(&mut self, c: u32) -> f64 {
        let index = (c / CHECKPOINT_EVERY) as usize;
        while self.checkpoints.len() <= index {
            let from = (self.checkpoints.len() as u32 - 1) * CHECKPOINT_EVERY;
            let b = self.step(
                self.checkpoints[self.checkpoints.len() - 1],
                from,
                from + CHECKPOINT_EVERY,
            );
            self.checkpoints.push(b);
        }
        let from = index as u32 * CHECKPOINT_EVERY;
        self.step(self.checkpoints[index], from, c)
    }

    /// B(to) from B(from) = `b`.
    fn step(&self, mut b: f64, from: u32, to: u32) -> f64 {
        for k in from + 1..=to {
            b = blocking_step(b, k, self.a);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotone_search_finds_the_threshold_from_either_side() {
        for answer in [1u32, 2, 7, 100, 1000] {
            for guess in [1u32, 5, 99, 5000] {
                let got = smallest_meeting(guess, 10_000, |c| Ok(c >= answer)).unwrap();
                assert_eq!(got, answer, "guess {guess}");
            }
        }
        assert!(smallest_meeting(3, 10, |c| Ok(c > 10)).is_err());
    }

    #[test]
    fn blocking_table_matches_the_recurrence() {
        let mut table = BlockingTable::new(42.5);
        for c in [50u32, 10, 600, 55, 256, 257, 1000] {
            assert_eq!(table.get(c), super::super::blocking(c, 42.5));
        }
    }

    #[test]
    fn erlang_c_staffing_of_ten_erlangs_for_80_in_20() {
        let load = Load::per_hour(200.0, Seconds(180.0)).unwrap();
        let targets = Targets {
            service_level: Some(ServiceLevelTarget {
                fraction: 0.8,
                threshold: Seconds(20.0),
            }),
            ..Targets::default()
        };
        let c = required_agents(Model::ErlangC, load, &targets).unwrap();
        let at = |c| super::super::erlang_c_figures(load, c, Seconds(20.0)).unwrap();
        assert!(at(c).service_level >= 0.8);
        assert!(at(c - 1).service_level < 0.8);
    }
}
