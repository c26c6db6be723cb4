//! Outage spikes: extra calls that ramp up linearly to a peak, then decay exponentially.
//!
//! # Shape
//! With u = t − start: g(u) = u / ramp while u < ramp, then g(u) = 2^{−(u − ramp)/half_life},
//! and 0 outside [0, duration). Its integral G has a closed form (below), so expected volumes
//! are exact.
//!
//! # Size
//! `extra_calls = n` spreads n expected calls along g. `peak_multiplier = m` multiplies the
//! surge's target's normal inflow (the calls that reach that queue or IVR node, or the whole
//! center's; [`crate::scenario::Model::normal_inflow`]): the surge adds (m − 1) × that inflow
//! × g(t), so at the peak the target receives m times its normal calls.
//!
//! # Generation
//! Thinning (Lewis & Shedler, "Simulation of nonhomogeneous Poisson processes by thinning",
//! Naval Research Logistics Quarterly 26, 1979): candidates at a constant bound λ̄ ≥ λ(t),
//! each kept with probability λ(t)/λ̄. Exact for any bounded rate.

use rand::Rng;
use rand_distr::{Distribution, Exp1};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::{Arrival, ArrivalSource, Entry};
use crate::random::{Purpose, StreamKey};
use crate::scenario::{Inflow, Surge, SurgeSize};

/// The time shape of a surge.
#[derive(Debug, Clone, Copy)]
pub struct SurgeShape {
    pub start_s: f64,
    pub duration_s: f64,
    pub ramp_s: f64,
    pub half_life_s: f64,
}

impl SurgeShape {
    pub fn of(s: &Surge) -> Self {
        SurgeShape {
            start_s: s.start_s,
            duration_s: s.duration_s,
            ramp_s: s.ramp_s,
            half_life_s: s.half_life_s,
        }
    }

    /// g at time t (absolute seconds).
    pub fn g(&self, t: f64) -> f64 {
        let u = t - self.start_s;
        if !(0.0..self.duration_s).contains(&u) {
            return 0.0;
        }
        if u < self.ramp_s {
            return u / self.ramp_s;
        }
        if self.half_life_s.is_finite() {
            (-std::f64::consts::LN_2 * (u - self.ramp_s) / self.half_life_s).exp()
        } else {
            1.0
        }
    }

    /// ∫ g from the start to time t (absolute seconds).
    ///
    /// # Formula
    /// G(u) = u²/(2·ramp) for u ≤ ramp; G(u) = ramp/2 + (h/ln 2)·(1 − 2^{−(u−ramp)/h}) after
    /// (h = half-life; (u − ramp) when h = ∞); u clamped to [0, duration].
    pub fn integral_to(&self, t: f64) -> f64 {
        let u = (t - self.start_s).clamp(0.0, self.duration_s);
        if u <= self.ramp_s {
            return if self.ramp_s > 0.0 {
                u * u / (2.0 * self.ramp_s)
            } else {
                0.0
            };
        }
        let after = u - self.ramp_s;
        let tail = if self.half_life_s.is_finite() {
            self.half_life_s / std::f64::consts::LN_2
                * (1.0 - (-std::f64::consts::LN_2 * after / self.half_life_s).exp())
        } else {
            after
        };
        self.ramp_s / 2.0 + tail
    }

    /// The largest value of g.
    pub fn peak(&self) -> f64 {
        if self.duration_s < self.ramp_s {
            self.duration_s / self.ramp_s
        } else {
            1.0
        }
    }

    pub fn end_s(&self) -> f64 {
        self.start_s + self.duration_s
    }
}

/// Expected extra calls of surge `s` in [a, b), per part of its target's normal inflow
/// (`inflow`, from [`crate::scenario::Model::normal_inflow`]; unused for `extra_calls`): the
/// entry of each part and its calls. An `extra_calls` surge is one part at the surge's entry.
pub fn surge_expected_parts(s: &Surge, inflow: &[Inflow], a: f64, b: f64) -> Vec<(Entry, f64)> {
    let shape = SurgeShape::of(s);
    let (a, b) = (a.max(shape.start_s), b.min(shape.end_s()));
    match s.size {
        SurgeSize::ExtraCalls(n) => {
            let total = shape.integral_to(shape.end_s());
            let calls = if b > a && total > 0.0 {
                n * (shape.integral_to(b) - shape.integral_to(a)) / total
            } else {
                0.0
            };
            vec![(s.entry, calls)]
        }
        SurgeSize::PeakMultiplier(m) => inflow
            .iter()
            .map(|part| {
                // Split at the part's segment boundaries, where its rate is constant.
                let mut sum = 0.0;
                let mut t = a;
                while t < b {
                    let e = part.profile.segment_end(t).min(b);
                    sum +=
                        (m - 1.0) * part.rate_at(t) * (shape.integral_to(e) - shape.integral_to(t));
                    t = e;
                }
                (part.entry, sum)
            })
            .collect(),
    }
}

/// Expected extra calls of surge `s` in [a, b), all parts together.
pub fn surge_expected(s: &Surge, inflow: &[Inflow], a: f64, b: f64) -> f64 {
    surge_expected_parts(s, inflow, a, b)
        .iter()
        .map(|(_, c)| c)
        .sum()
}

/// Arrivals of one surge, by thinning.
#[derive(Debug, Clone)]
pub struct SurgeArrivals {
    shape: SurgeShape,
    size: SurgeSize,
    /// The target's normal inflow (multiplier surges); empty for `extra_calls`.
    inflow: Vec<Inflow<'static>>,
    entry: Entry,
    /// Bound λ̄ on the surge's rate.
    bound: f64,
    /// Scale of g in the rate for `ExtraCalls` (n / ∫g).
    per_shape: f64,
    end: f64,
    now: f64,
    rng: Xoshiro256PlusPlus,
}

impl SurgeArrivals {
    /// The surge `s` of a scenario whose target's normal inflow is `inflow`
    /// ([`crate::scenario::Model::normal_inflow`]).
    pub fn new(s: &Surge, inflow: Vec<Inflow>, horizon_s: f64, key: StreamKey, index: u64) -> Self {
        // Only a multiplier reads the inflow; an `extra_calls` surge keeps no copy of it.
        let inflow: Vec<Inflow<'static>> = match s.size {
            SurgeSize::PeakMultiplier(_) => inflow.into_iter().map(Inflow::into_owned).collect(),
            SurgeSize::ExtraCalls(_) => Vec::new(),
        };
        let shape = SurgeShape::of(s);
        let end = shape.end_s().min(horizon_s);
        let total = shape.integral_to(shape.end_s());
        let per_shape = match s.size {
            SurgeSize::ExtraCalls(n) if total > 0.0 => n / total,
            _ => 0.0,
        };
        let bound = match s.size {
            SurgeSize::ExtraCalls(_) => per_shape * shape.peak(),
            // The sum of the parts' maxima bounds the maximum of their sum.
            SurgeSize::PeakMultiplier(m) => {
                let max_inflow: f64 = inflow.iter().map(|p| p.max_rate(shape.start_s, end)).sum();
                (m - 1.0).max(0.0) * max_inflow * shape.peak()
            }
        };
        SurgeArrivals {
            shape,
            size: s.size,
            inflow,
            entry: s.entry,
            bound,
            per_shape,
            end,
            now: shape.start_s,
            rng: key.long_lived(Purpose::Surge, index),
        }
    }

    /// The call accepted at `self.now` for a candidate level `level` in [0, λ̄): `None` when
    /// the candidate is thinned out, else where the call enters. One uniform decides both:
    /// below the first part's rate → the first part, and so on (exact: each part is kept with
    /// probability rate_k/λ̄).
    fn accept(&self, level: f64) -> Option<Entry> {
        let t = self.now;
        match self.size {
            SurgeSize::ExtraCalls(_) => {
                (level < self.per_shape * self.shape.g(t)).then_some(self.entry)
            }
            SurgeSize::PeakMultiplier(m) => {
                let g = self.shape.g(t);
                let mut cum = 0.0;
                for part in &self.inflow {
                    cum += (m - 1.0) * part.rate_at(t) * g;
                    if level < cum {
                        return Some(part.entry);
                    }
                }
                None
            }
        }
    }
}

impl ArrivalSource for SurgeArrivals {
    fn next_arrival(&mut self) -> Option<Arrival> {
        if self.bound <= 0.0 {
            return None;
        }
        loop {
            let gap: f64 = Exp1.sample(&mut self.rng);
            self.now += gap / self.bound;
            if self.now >= self.end {
                return None;
            }
            let u = (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            if let Some(entry) = self.accept(u * self.bound) {
                return Some(Arrival::at(self.now, entry));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ArrivalProfile;

    fn surge(size: SurgeSize) -> Surge {
        Surge {
            name: "outage".into(),
            start_s: 10.0 * 3600.0,
            duration_s: 2.0 * 3600.0,
            ramp_s: 600.0,
            half_life_s: 1800.0,
            size,
            entry: Entry::Default,
        }
    }

    #[test]
    fn shape_integral_matches_numeric_integration() {
        let s = SurgeShape::of(&surge(SurgeSize::ExtraCalls(1.0)));
        let n = 200_000;
        let (a, b) = (s.start_s - 100.0, s.end_s() + 100.0);
        let h = (b - a) / n as f64;
        let numeric: f64 = (0..n).map(|i| s.g(a + (i as f64 + 0.5) * h) * h).sum();
        assert!(
            (numeric - s.integral_to(b)).abs() < 1e-3,
            "{numeric} vs {}",
            s.integral_to(b)
        );
    }

    #[test]
    fn extra_calls_surge_adds_the_stated_volume_in_expectation() {
        let s = surge(SurgeSize::ExtraCalls(500.0));
        assert!((surge_expected(&s, &[], 0.0, 1e9) - 500.0).abs() < 1e-9);
        // Mean of 400 replications of a Poisson(500) count: se = sqrt(500/400) ≈ 1.118.
        let reps = 400;
        let mut total = 0u64;
        for r in 0..reps {
            let mut src = SurgeArrivals::new(&s, Vec::new(), 86_400.0, StreamKey::new(3, r), 0);
            while let Some(a) = src.next_arrival() {
                assert!(a.at >= s.start_s && a.at < s.start_s + s.duration_s);
                total += 1;
            }
        }
        let mean = total as f64 / reps as f64;
        assert!(
            (mean - 500.0).abs() < 4.0 * (500.0f64 / reps as f64).sqrt(),
            "mean {mean}"
        );
    }

    #[test]
    fn multiplier_surge_follows_the_base_rate() {
        // Base 0.1/s for 10:00–11:00, 0.2/s for 11:00–12:00; multiplier 3 at the peak.
        let mut rates = vec![0.1; 168];
        rates[11] = 0.2;
        let base = vec![Inflow {
            profile: std::borrow::Cow::Owned(ArrivalProfile {
                segment_s: 3600.0,
                rate_per_s: rates,
            }),
            repeat: true,
            share: 1.0,
            entry: Entry::Default,
        }];
        let s = surge(SurgeSize::PeakMultiplier(3.0));
        let shape = SurgeShape::of(&s);
        let exact =
            2.0 * 0.1 * (shape.integral_to(11.0 * 3600.0) - shape.integral_to(10.0 * 3600.0))
                + 2.0 * 0.2 * (shape.integral_to(12.0 * 3600.0) - shape.integral_to(11.0 * 3600.0));
        assert!((surge_expected(&s, &base, 0.0, 1e9) - exact).abs() < 1e-9);
        let reps = 200;
        let mut total = 0u64;
        for r in 0..reps {
            let mut src = SurgeArrivals::new(&s, base.clone(), 86_400.0, StreamKey::new(4, r), 0);
            while src.next_arrival().is_some() {
                total += 1;
            }
        }
        let mean = total as f64 / reps as f64;
        assert!(
            (mean - exact).abs() < 4.0 * (exact / reps as f64).sqrt(),
            "mean {mean} vs {exact}"
        );
    }
}
