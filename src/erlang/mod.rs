//! Closed-form staffing math: Erlang B, Erlang C, Erlang A (M/M/c+M), finite lines
//! (M/M/c/N+M) and the inverse problems (fewest agents meeting targets).
//!
//! This module owns the queueing formulas only: pure functions on validated numbers, no I/O, no
//! simulation. The CLI calculator (`hotline erlang`) lives in `app::erlang`; staffing tables over
//! a day belong to `plan/`.
//!
//! Units: arrival rates are calls per second, times are [`Seconds`]. The offered load is
//! a = λ·h erlangs for arrival rate λ and mean handle time h = 1/μ (talk + after-call work).
//!
//! Layout: this file holds the inputs ([`Load`], [`Model`]), the outputs ([`Figures`]), the error
//! type and Erlang B/C; [`queue`] the exact birth–death solution with abandonment and finite
//! lines; [`solve`] the inverse problems.
//!
//! # Accuracy
//! All tolerances live in [`tolerance`]. Stated accuracy (checked by `tests/erlang.rs` against
//! exact rational arithmetic for small c and a log-space reference for c up to 20,000): 1e-9
//! relative for 1 ≤ c ≤ 20,000 and offered loads up to 0.999·c, for results in the normal
//! floating-point range (probabilities below ~1e-300 flush to zero).

pub mod queue;
pub mod solve;

pub use queue::{erlang_a, finite_lines};
pub use solve::{ServiceLevelTarget, Targets, required_agents};

use crate::time::Seconds;

/// Numerical tolerances, in one place.
pub mod tolerance {
    /// A tail of a series is dropped once a bound on it is below this fraction of the partial
    /// sum it would be added to (well below f64's 1.1e-16 rounding unit).
    pub const SERIES_TAIL: f64 = 1e-17;
    /// Scaled partial sums are divided by 2^256 whenever a term exceeds 2^256, so products of
    /// two scaled quantities stay below f64::MAX (2^1024) and rescaling is exact.
    pub const RESCALE_EXP: i32 = 256;
    /// Hard cap on the number of series terms (states) one evaluation may sum.
    pub const MAX_TERMS: u64 = 50_000_000;
    /// Largest staffing the inverse search will consider, and the most agents an evaluation
    /// accepts: Erlang B costs one step per agent, so this bounds any call to well under a
    /// second.
    pub const MAX_AGENTS: u32 = 50_000_000;
    /// Relative slack when an occupancy is compared with its cap. The offered load carries
    /// float noise (30000/3600·60 = 500.00000000000006 erlangs), so at an exact tie
    /// (500 erlangs on 1,000 agents under a 0.5 cap) a/c lands a hair above the cap; the same
    /// treatment as shrinkage's rounding. 1e-9 is far above the noise (~1e-16) and far below any
    /// occupancy difference a planner could mean.
    pub const OCCUPANCY_TIE: f64 = 1e-9;
}

/// A number for a message: as written when short, in scientific notation when huge or tiny,
/// so an error never echoes a 300-digit number (`1e300` stays `1e300`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compact(pub f64);

impl std::fmt::Display for Compact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        if v.is_finite() && v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-6) {
            write!(f, "{v:e}")
        } else if let Some(p) = f.precision() {
            write!(f, "{v:.p$}")
        } else {
            write!(f, "{v}")
        }
    }
}

/// Everything that can make the staffing math refuse an input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErlangError {
    /// A rate or time that must be a positive finite number is not.
    #[error("{what} must be a positive finite number, got {}", Compact(*value))]
    NotPositive { what: &'static str, value: f64 },
    /// A time that may be zero is negative or not finite.
    #[error("{what} must be a finite number of seconds ≥ 0, got {}", Compact(*value))]
    Negative { what: &'static str, value: f64 },
    /// A probability target is outside (0, 1].
    #[error("{what} must be in (0, 1], got {}", Compact(*value))]
    TargetOutOfRange { what: &'static str, value: f64 },
    /// Erlang C with a load at or above the number of agents: the queue grows without bound.
    #[error(
        "unstable: the offered load of {:.3} erlangs needs more than {agents} agents (without abandonment the queue grows without bound)", Compact(*load)
    )]
    Unstable { load: f64, agents: u32 },
    /// A model with waiting calls needs at least one agent.
    #[error("at least one agent is needed")]
    NoAgents,
    /// Finite lines: the number of lines must be at least the number of agents.
    #[error("{lines} lines are fewer than the {agents} agents")]
    FewerLinesThanAgents { lines: u32, agents: u32 },
    /// The inverse problem was given no target.
    #[error("no staffing target given")]
    NoTarget,
    /// An abandonment target under a model without abandonment.
    #[error("an abandonment target needs a patience (Erlang A); Erlang C has no abandonment")]
    AbandonNeedsPatience,
    /// The targets cannot be met by any staffing the search considers.
    #[error("the targets cannot be met with up to {0} agents")]
    Unreachable(u32),
    /// The birth–death series needs more terms than [`tolerance::MAX_TERMS`].
    #[error(
        "more than {0} queue states carry probability (patience far longer than the handle time in heavy overload); not computed"
    )]
    TooManyTerms(u64),
}

/// The traffic offered to a queue: arrival rate and mean handle time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    arrival_rate: f64,
    handle_time: Seconds,
}

impl Load {
    /// A load of `calls_per_second` arrivals (Poisson) with mean handle time `handle_time`
    /// (exponential; talk + after-call work).
    ///
    /// # Errors
    /// [`ErlangError::NotPositive`] if either is zero, negative or not finite.
    pub fn new(calls_per_second: f64, handle_time: Seconds) -> Result<Load, ErlangError> {
        positive("arrival rate", calls_per_second)?;
        positive("handle time", handle_time.0)?;
        Ok(Load {
            arrival_rate: calls_per_second,
            handle_time,
        })
    }

    /// A load given in calls per hour, the planner's unit.
    ///
    /// # Errors
    /// As [`Load::new`].
    pub fn per_hour(calls_per_hour: f64, handle_time: Seconds) -> Result<Load, ErlangError> {
        positive("calls per hour", calls_per_hour)?;
        Load::new(calls_per_hour / 3600.0, handle_time)
    }

    /// λ, calls per second.
    pub fn arrival_rate(&self) -> f64 {
        self.arrival_rate
    }

    /// 1/μ, the mean handle time.
    pub fn handle_time(&self) -> Seconds {
        self.handle_time
    }

    /// μ, completions per second per busy agent.
    pub fn service_rate(&self) -> f64 {
        1.0 / self.handle_time.0
    }

    /// a = λ/μ, the offered load in erlangs.
    pub fn erlangs(&self) -> f64 {
        self.arrival_rate * self.handle_time.0
    }
}

/// Which queueing model to evaluate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// M/M/c: callers wait as long as needed (needs load < agents).
    ErlangC,
    /// M/M/c+M: callers abandon after an exponential patience with this mean.
    ErlangA { patience: Seconds },
    /// M/M/c/N+M: `lines` ≥ c trunks; a call finding all lines busy is blocked. Without a
    /// patience callers wait as long as needed (M/M/c/N).
    FiniteLines {
        lines: u32,
        patience: Option<Seconds>,
    },
}

impl Model {
    /// Checks the model's own parameters.
    ///
    /// # Errors
    /// [`ErlangError::NotPositive`] for a zero, negative or non-finite patience.
    pub fn validate(&self) -> Result<(), ErlangError> {
        match *self {
            Model::ErlangC => Ok(()),
            Model::ErlangA { patience }
            | Model::FiniteLines {
                patience: Some(patience),
                ..
            } => positive("patience", patience.0),
            Model::FiniteLines { patience: None, .. } => Ok(()),
        }
    }

    /// Mean patience, if callers abandon.
    pub fn patience(&self) -> Option<Seconds> {
        match *self {
            Model::ErlangC => None,
            Model::ErlangA { patience } => Some(patience),
            Model::FiniteLines { patience, .. } => patience,
        }
    }
}

/// The steady-state figures of one queue at one staffing.
///
/// Fractions are of *offered* calls unless said otherwise; blocked calls (finite lines) count as
/// offered and not answered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// c, agents on the phones.
    pub agents: u32,
    /// a = λ/μ in erlangs.
    pub offered_load: f64,
    /// The service-level threshold t the two service levels refer to.
    pub threshold: Seconds,
    /// P(an arriving call waits): all agents busy and a line free.
    pub p_wait: f64,
    /// P(an arriving call is blocked): all lines busy (0 unless finite lines).
    pub p_blocked: f64,
    /// P(an arriving call abandons) (0 for Erlang C and M/M/c/N).
    pub p_abandon: f64,
    /// Answered within t over all offered calls: P(answered and waited ≤ t). Calls abandoning
    /// before t count against it. This is the figure targets refer to.
    pub service_level: f64,
    /// Answered within t over (answered + abandoned after t), i.e. calls abandoning within t
    /// (and blocked calls) are left out of the denominator. Equal to `service_level` without
    /// abandonment and blocking.
    pub service_level_excl_early_abandons: f64,
    /// Average speed of answer: mean wait of answered calls (those answered at once count 0).
    pub asa: Seconds,
    /// Mean wait of all callers that got a line, answered or abandoned.
    pub mean_wait: Seconds,
    /// Fraction of agent time busy with calls: carried load / c.
    pub occupancy: f64,
}

/// Erlang B: probability that a call finds all `lines` busy in a loss system (M/M/c/c) with
/// `offered_load` erlangs.
///
/// # Formula
/// B(c, a) = (aᶜ/c!) / Σₖ₌₀..c aᵏ/k!, evaluated by the recurrence
/// B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
///
/// Reference: Cooper, *Introduction to Queueing Theory*, 2nd ed. (1981), §3.4 (eq. 4.6 for the
/// recurrence); Koole, *Call Center Optimization* (2013), §5.1.
///
/// # Numerical method and accuracy
/// The recurrence has no subtraction and each step contracts the relative error (by the factor
/// 1 − B(k)), so the error is at most ~c·2⁻⁵³ ≈ 2e-12 at c = 20,000. c steps, no factorials,
/// no overflow; values below ~1e-308 flush to 0.
///
/// # Errors
/// [`ErlangError::NotPositive`] if the load is zero, negative or not finite.
pub fn erlang_b(lines: u32, offered_load: f64) -> Result<f64, ErlangError> {
    positive("offered load", offered_load)?;
    Ok(blocking(lines, offered_load))
}

/// The Erlang B recurrence on validated input.
pub(crate) fn blocking(lines: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=lines {
        b = blocking_step(b, k, a);
        // Once B underflows to 0 every later step gives 0 exactly: stop (a large staffing for
        // a small load then costs a few hundred steps, not one per agent).
        if b == 0.0 {
            break;
        }
    }
    b
}

/// B(k) from B(k−1).
#[inline]
pub(crate) fn blocking_step(b_prev: f64, k: u32, a: f64) -> f64 {
    let ab = a * b_prev;
    ab / (f64::from(k) + ab)
}

/// Erlang C: probability that a call waits in M/M/c with `offered_load` erlangs.
///
/// # Formula
/// C(c, a) = c·B(c, a) / (c − a·(1 − B(c, a))), with B from [`erlang_b`].
///
/// Reference: Cooper (1981), §3.5, eq. (5.6); Gans, Koole & Mandelbaum, "Telephone call
/// centers: tutorial, review and research prospects", MSOM 5(2), 2003, §4.1.
///
/// # Numerical method and accuracy
/// The denominator is (c − a) + a·B: a sum of positives, no cancellation beyond forming c − a,
/// whose relative error is 2⁻⁵³·a/(c − a) (≈1e-13 at a = 0.999·c). Overall ≤ 1e-11 relative.
///
/// # Errors
/// [`ErlangError::NotPositive`] for a bad load, [`ErlangError::Unstable`] if a ≥ c.
pub fn erlang_c(agents: u32, offered_load: f64) -> Result<f64, ErlangError> {
    positive("offered load", offered_load)?;
    stable(agents, offered_load)?;
    Ok(wait_probability(
        agents,
        offered_load,
        blocking(agents, offered_load),
    ))
}

/// C(c, a) from B(c, a).
#[inline]
pub(crate) fn wait_probability(agents: u32, a: f64, b: f64) -> f64 {
    let c = f64::from(agents);
    c * b / ((c - a) + a * b)
}

/// The Erlang C figures (M/M/c, FCFS) at `agents` for service-level threshold `threshold`.
///
/// # Formula
/// With C = C(c, a):
/// - service level P(W ≤ t) = 1 − C·e^{−(cμ − λ)t},
/// - ASA = E[W] = C / (cμ − λ),
/// - occupancy = a / c.
///
/// Reference: Gans, Koole & Mandelbaum (2003), §4.1, eqs. (3)–(4); Koole (2013), §5.2.
///
/// # Numerical method and accuracy
/// Closed forms on top of [`erlang_c`]; cμ − λ is computed as (c − a)/h. 1e-9 relative or
/// better for 1 ≤ c ≤ 20,000, a ≤ 0.999·c.
///
/// # Errors
/// [`ErlangError::NoAgents`], [`ErlangError::Negative`] for a bad threshold,
/// [`ErlangError::Unstable`] if a ≥ c.
pub fn erlang_c_figures(
    load: Load,
    agents: u32,
    threshold: Seconds,
) -> Result<Figures, ErlangError> {
    if agents == 0 {
        return Err(ErlangError::NoAgents);
    }
    non_negative("threshold", threshold.0)?;
    let a = load.erlangs();
    stable(agents, a)?;
    Ok(c_figures(load, agents, blocking(agents, a), threshold))
}

/// Erlang C figures from a known B(c, a) (the solver steps B incrementally).
pub(crate) fn c_figures(load: Load, agents: u32, b: f64, threshold: Seconds) -> Figures {
    let a = load.erlangs();
    let c = f64::from(agents);
    let h = load.handle_time().0;
    let p_wait = wait_probability(agents, a, b);
    let drain = (c - a) / h; // cμ − λ
    let sl = 1.0 - p_wait * (-drain * threshold.0).exp();
    Figures {
        agents,
        offered_load: a,
        threshold,
        p_wait,
        p_blocked: 0.0,
        p_abandon: 0.0,
        service_level: sl,
        service_level_excl_early_abandons: sl,
        asa: Seconds(p_wait / drain),
        mean_wait: Seconds(p_wait / drain),
        occupancy: a / c,
    }
}

/// The figures of `model` at `agents`, one entry point for the CLI and the planner.
///
/// # Formula
/// See [`erlang_c_figures`], [`erlang_a`] and [`finite_lines`].
///
/// # Errors
/// Those of the model's function.
pub fn evaluate(
    model: Model,
    load: Load,
    agents: u32,
    threshold: Seconds,
) -> Result<Figures, ErlangError> {
    match model {
        Model::ErlangC => erlang_c_figures(load, agents, threshold),
        Model::ErlangA { patience } => erlang_a(load, agents, patience, threshold),
        Model::FiniteLines { lines, patience } => {
            finite_lines(load, agents, lines, patience, threshold)
        }
    }
}

fn stable(agents: u32, a: f64) -> Result<(), ErlangError> {
    if a >= f64::from(agents) {
        Err(ErlangError::Unstable { load: a, agents })
    } else {
        Ok(())
    }
}

pub(crate) fn positive(what: &'static str, value: f64) -> Result<(), ErlangError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(ErlangError::NotPositive { what, value })
    }
}

pub(crate) fn non_negative(what: &'static str, value: f64) -> Result<(), ErlangError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(ErlangError::Negative { what, value })
    }
}

pub(crate) fn fraction(what: &'static str, value: f64) -> Result<(), ErlangError> {
    if value.is_finite() && value > 0.0 && value <= 1.0 {
        Ok(())
    } else {
        Err(ErlangError::TargetOutOfRange { what, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_b_of_three_lines_at_two_erlangs_is_four_nineteenths() {
        assert!((erlang_b(3, 2.0).unwrap() - 4.0 / 19.0).abs() < 1e-15);
    }

    #[test]
    fn erlang_c_of_three_agents_at_two_erlangs_is_four_ninths() {
        assert!((erlang_c(3, 2.0).unwrap() - 4.0 / 9.0).abs() < 1e-15);
    }

    #[test]
    fn erlang_c_refuses_an_unstable_load() {
        assert!(matches!(
            erlang_c(5, 5.0),
            Err(ErlangError::Unstable { .. })
        ));
    }

    #[test]
    fn load_refuses_zero_and_nan() {
        assert!(Load::new(0.0, Seconds(60.0)).is_err());
        assert!(Load::new(1.0, Seconds(f64::NAN)).is_err());
    }
}
