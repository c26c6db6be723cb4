//! Outage spikes: extra calls that ramp up linearly to a peak, then decay exponentially.
//!
//! # Shape
//! With u = t − start: g(u) = u / ramp while u < ramp, then g(u) = 2^{−(u − ramp)/half_life},
//! and 0 outside [0, duration). Its integral G has a closed form (below), so expected volumes
//! are exact.
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
use crate::scenario::{ArrivalProfile, Surge, SurgeSize};

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

/// The base profile's rate at time t.
fn base_rate(base: &ArrivalProfile, t: f64) -> f64 {
    if base.rate_per_s.is_empty() {
        return 0.0;
    }
    let seg = (t / base.segment_s).floor() as usize;
    base.rate_per_s[seg % base.rate_per_s.len()]
}

/// Expected extra calls of surge `s` in [a, b).
pub fn surge_expected(s: &Surge, base: &ArrivalProfile, a: f64, b: f64) -> f64 {
    let shape = SurgeShape::of(s);
    let (a, b) = (a.max(shape.start_s), b.min(shape.end_s()));
    if b <= a {
        return 0.0;
    }
    match s.size {
        SurgeSize::ExtraCalls(n) => {
            let total = shape.integral_to(shape.end_s());
            if total > 0.0 {
                n * (shape.integral_to(b) - shape.integral_to(a)) / total
            } else {
                0.0
            }
        }
        SurgeSize::PeakMultiplier(m) => {
            // Split at the base profile's segment boundaries, where its rate is constant.
            let mut sum = 0.0;
            let mut t = a;
            while t < b {
                let seg_end = ((t / base.segment_s).floor() + 1.0) * base.segment_s;
                let e = seg_end.min(b);
                sum +=
                    (m - 1.0) * base_rate(base, t) * (shape.integral_to(e) - shape.integral_to(t));
                t = e;
            }
            sum
        }
    }
}

/// Arrivals of one surge, by thinning.
#[derive(Debug, Clone)]
pub struct SurgeArrivals {
    shape: SurgeShape,
    size: SurgeSize,
    base: ArrivalProfile,
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
    pub fn new(
        s: &Surge,
        base: &ArrivalProfile,
        horizon_s: f64,
        key: StreamKey,
        index: u64,
    ) -> Self {
        let shape = SurgeShape::of(s);
        let end = shape.end_s().min(horizon_s);
        let total = shape.integral_to(shape.end_s());
        let per_shape = match s.size {
            SurgeSize::ExtraCalls(n) if total > 0.0 => n / total,
            _ => 0.0,
        };
        let bound = match s.size {
            SurgeSize::ExtraCalls(_) => per_shape * shape.peak(),
            SurgeSize::PeakMultiplier(m) => {
                let mut max_base: f64 = 0.0;
                let mut t = shape.start_s;
                while t < end {
                    max_base = max_base.max(base_rate(base, t));
                    t = ((t / base.segment_s).floor() + 1.0) * base.segment_s;
                }
                (m - 1.0).max(0.0) * max_base * shape.peak()
            }
        };
        SurgeArrivals {
            shape,
            size: s.size,
            base: base.clone(),
            entry: s.entry,
            bound,
            per_shape,
            end,
            now: shape.start_s,
            rng: key.long_lived(Purpose::Surge, index),
        }
    }

    fn rate(&self, t: f64) -> f64 {
        match self.size {
            SurgeSize::ExtraCalls(_) => self.per_shape * self.shape.g(t),
            SurgeSize::PeakMultiplier(m) => (m - 1.0) * base_rate(&self.base, t) * self.shape.g(t),
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
            if u * self.bound < self.rate(self.now) {
                return Some(Arrival::at(self.now, self.entry));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let base = ArrivalProfile {
            segment_s: 3600.0,
            rate_per_s: vec![0.1; 168],
        };
        let s = surge(SurgeSize::ExtraCalls(500.0));
        assert!((surge_expected(&s, &base, 0.0, 1e9) - 500.0).abs() < 1e-9);
        // Mean of 400 replications of a Poisson(500) count: se = sqrt(500/400) ≈ 1.118.
        let reps = 400;
        let mut total = 0u64;
        for r in 0..reps {
            let mut src = SurgeArrivals::new(&s, &base, 86_400.0, StreamKey::new(3, r), 0);
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
        let base = ArrivalProfile {
            segment_s: 3600.0,
            rate_per_s: rates,
        };
        let s = surge(SurgeSize::PeakMultiplier(3.0));
        let shape = SurgeShape::of(&s);
        let exact =
            2.0 * 0.1 * (shape.integral_to(11.0 * 3600.0) - shape.integral_to(10.0 * 3600.0))
                + 2.0 * 0.2 * (shape.integral_to(12.0 * 3600.0) - shape.integral_to(11.0 * 3600.0));
        assert!((surge_expected(&s, &base, 0.0, 1e9) - exact).abs() < 1e-9);
        let reps = 200;
        let mut total = 0u64;
        for r in 0..reps {
            let mut src = SurgeArrivals::new(&s, &base, 86_400.0, StreamKey::new(4, r), 0);
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
