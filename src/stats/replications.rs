//! Statistics over replications: exact running sums, the mean, standard deviation and 95 %
//! half-width of one metric, and the Student t quantile behind the half-width.
//!
//! Why exact sums rather than Welford: the same replications may be folded on 1 or 8 threads, or
//! on 20 machines (`--shard`) and merged later. Welford's update, or any floating-point sum,
//! gives different last bits for different groupings, and the outputs must be byte-identical
//! whatever the grouping. An [`ExactSum`] holds Σx as a list of non-overlapping doubles whose
//! sum is exact (Shewchuk, "Adaptive precision floating-point arithmetic and fast robust
//! geometric predicates", Discrete Comput. Geom. 18, 1997), so merging in any order gives the
//! same exact value, rounded once at the end. [`Acc`] keeps n, Σx, Σx² (each x² exact, as a
//! pair of doubles), min and max; the variance is computed from these exactly up to the
//! rounding of the mean and the final one. This module owns the arithmetic only; which metrics are folded is the
//! runner's business (`app::replicate`).

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

/// An exact sum of doubles (Shewchuk's partials, as Python's `math.fsum`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExactSum {
    /// Non-overlapping partials in increasing magnitude; their exact sum is the value. Sums of
    /// counts and of rounded figures need one to three; four are kept inline, because a
    /// replicated run holds one sum per metric, row and interval being folded.
    partials: SmallVec<[f64; 4]>,
}

impl ExactSum {
    /// Adds `x` exactly (finite `x` only: a metric is never infinite).
    pub fn add(&mut self, mut x: f64) {
        let mut i = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        self.partials.truncate(i);
        self.partials.push(x);
    }

    /// Adds another exact sum exactly.
    pub fn merge(&mut self, other: &ExactSum) {
        for &p in &other.partials {
            self.add(p);
        }
    }

    /// The exact sum rounded once to the nearest double (ties to even), as `math.fsum`.
    pub fn value(&self) -> f64 {
        let p = &self.partials;
        let mut n = p.len();
        if n == 0 {
            return 0.0;
        }
        n -= 1;
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            let y = p[n - 1];
            n -= 1;
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Half-way case: the partials below decide the rounding direction.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
        hi
    }
}

/// The sufficient statistics of one metric over replications: mergeable in any order with the
/// same result, bit for bit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Acc {
    /// Replications in which the metric was defined (a ratio with no calls is not).
    pub n: u64,
    sum: ExactSum,
    sum_sq: ExactSum,
    /// Smallest and largest value (`None` before the first): equal ones give sd exactly 0.
    range: Option<[f64; 2]>,
}

/// a × b as an exact pair (product, error), by fused multiply-add.
fn two_product(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

impl Acc {
    /// Adds one replication's value.
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum.add(x);
        // x² exactly (two doubles): a rounded square's error, ~1e-16·x² per value, would show
        // through the square root of a near-zero variance as a spread of ~1e-8·|x|.
        let (sq, err) = two_product(x, x);
        self.sum_sq.add(sq);
        self.sum_sq.add(err);
        self.widen([x, x]);
    }

    /// Adds the replications of `other` (exact: the order of merges never matters).
    pub fn merge(&mut self, other: &Acc) {
        self.n += other.n;
        self.sum.merge(&other.sum);
        self.sum_sq.merge(&other.sum_sq);
        if let Some(r) = other.range {
            self.widen(r);
        }
    }

    fn widen(&mut self, [lo, hi]: [f64; 2]) {
        self.range = Some(match self.range {
            None => [lo, hi],
            Some([a, b]) => [a.min(lo), b.max(hi)],
        });
    }

    /// The mean over replications; `None` when the metric was never defined.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum.value() / self.n as f64)
    }

    /// The sample standard deviation (n − 1 in the denominator); `None` below 2 values.
    ///
    /// # Formula
    /// s² = Σ(xᵢ − m)² / (n − 1) with m the rounded mean, computed as
    /// Σxᵢ² − 2m·Σxᵢ + n·m², every product split exactly into two doubles (fused multiply-add)
    /// and summed exactly, so the only roundings are m and the final one: no cancellation.
    /// Identical values give exactly 0.
    pub fn sd(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        if self.range.is_some_and(|[a, b]| a == b) {
            return Some(0.0);
        }
        let n = self.n as f64;
        let m = self.sum.value() / n;
        let mut s = self.sum_sq.clone();
        for &p in &self.sum.partials {
            let (a, b) = two_product(-2.0 * m, p);
            s.add(a);
            s.add(b);
        }
        let (mm, me) = two_product(m, m);
        for part in [mm, me] {
            let (a, b) = two_product(n, part);
            s.add(a);
            s.add(b);
        }
        Some((s.value().max(0.0) / (n - 1.0)).sqrt())
    }

    /// Half-width of the 95 % confidence interval of the mean: t(0.975, n − 1) · s / √n
    /// (replications are independent, so the Student t interval applies to their mean).
    pub fn hw95(&self) -> Option<f64> {
        self.sd_hw95().1
    }

    /// [`Acc::sd`] and [`Acc::hw95`] together, the standard deviation computed once.
    pub fn sd_hw95(&self) -> (Option<f64>, Option<f64>) {
        let sd = self.sd();
        let hw = sd.map(|s| t_quantile_975(self.n - 1) * s / (self.n as f64).sqrt());
        (sd, hw)
    }
}

/// P(|T| ≤ t) for Student's t with `df` (integer) degrees of freedom.
///
/// # Formula
/// Abramowitz & Stegun 26.7.3–26.7.4, exact for integer ν, with θ = atan(t/√ν):
/// ν odd: A = (2/π)(θ + sinθ cosθ Σ_{k=0}^{(ν−3)/2} c_k cos^{2k}θ), c_0 = 1,
/// c_k = c_{k−1}·2k/(2k+1); ν even: A = sinθ Σ_{k=0}^{(ν−2)/2} d_k cos^{2k}θ, d_0 = 1,
/// d_k = d_{k−1}(2k−1)/(2k). The series stops once a term no longer changes the sum.
fn t_abs_cdf(theta: f64, df: u64) -> f64 {
    let (s, c) = theta.sin_cos();
    let c2 = c * c;
    if df % 2 == 1 {
        let mut term = 1.0;
        let mut sum = if df > 1 { 1.0 } else { 0.0 };
        let mut k = 1u64;
        while 2 * k < df - 1 {
            term *= c2 * (2 * k) as f64 / (2 * k + 1) as f64;
            let next = sum + term;
            if next == sum {
                break;
            }
            sum = next;
            k += 1;
        }
        std::f64::consts::FRAC_2_PI * (theta + s * c * sum)
    } else {
        let mut term = 1.0;
        let mut sum = 1.0;
        let mut k = 1u64;
        while 2 * k < df {
            term *= c2 * (2 * k - 1) as f64 / (2 * k) as f64;
            let next = sum + term;
            if next == sum {
                break;
            }
            sum = next;
            k += 1;
        }
        s * sum
    }
}

/// The Student t quantile t(p, df) for p in (0.5, 1), integer `df` ≥ 1.
///
/// The two-sided probability 2p − 1 is solved for θ by bisection on (0, π/2) to the last bit
/// (A is increasing in θ), then t = √ν·tanθ. Exact up to rounding, no table: for ν = 1 it
/// equals tan(π(p − ½)) and for ν = 2 (2p − 1)/√(2p(1 − p)) (tests check both and published
/// values).
pub fn t_quantile(p: f64, df: u64) -> f64 {
    assert!(p > 0.5 && p < 1.0 && df >= 1, "t_quantile({p}, {df})");
    let target = 2.0 * p - 1.0;
    let (mut lo, mut hi) = (0.0f64, std::f64::consts::FRAC_PI_2);
    loop {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if t_abs_cdf(mid, df) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (df as f64).sqrt() * (0.5 * (lo + hi)).tan()
}

thread_local! {
    static T975: std::cell::RefCell<std::collections::HashMap<u64, f64>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// t(0.975, df), memoised per thread (the same df recurs for every metric of every row).
pub fn t_quantile_975(df: u64) -> f64 {
    T975.with(|m| {
        *m.borrow_mut()
            .entry(df)
            .or_insert_with(|| t_quantile(0.975, df))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn t_quantile_matches_closed_forms_for_one_and_two_degrees_of_freedom() {
        for p in [0.6, 0.75, 0.9, 0.975, 0.995] {
            let one = (std::f64::consts::PI * (p - 0.5)).tan();
            let two = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
            assert!(close(t_quantile(p, 1), one, 1e-13), "df 1, p {p}");
            assert!(close(t_quantile(p, 2), two, 1e-13), "df 2, p {p}");
        }
    }

    #[test]
    #[allow(clippy::excessive_precision)] // the reference values as computed, all 17 digits
    fn t_quantile_matches_published_values() {
        // Computed with mpmath at 30 digits (regularised incomplete beta, root-found).
        let known = [
            (1, 12.706204736174705),
            (2, 4.302652729749464),
            (3, 3.1824463052837096),
            (4, 2.7764451051977944),
            (5, 2.5705818356363155),
            (9, 2.2621571627982055),
            (10, 2.2281388519862747),
            (30, 2.0422724563012383),
            (100, 1.9839715185235523),
        ];
        for (df, t) in known {
            let got = t_quantile_975(df);
            assert!(close(got, t, 1e-12), "df {df}: {got} vs {t}");
        }
        // t(0.995, 10) (mpmath); large df tends to the normal quantile 1.959963984540054.
        assert!(close(t_quantile(0.995, 10), 3.1692726726169512, 1e-12));
        assert!(close(t_quantile_975(100_000), 1.959963984540054, 1e-4));
    }

    #[test]
    fn exact_sum_is_exact_where_naive_sums_are_not() {
        let xs = [1e16, 1.0, -1e16, 1.0, 0.1, 0.2, -0.3];
        let mut s = ExactSum::default();
        xs.iter().for_each(|&x| s.add(x));
        // 2 + (0.1 + 0.2 − 0.3 in doubles: 2.7755575615628914e-17 exactly).
        let tail = 0.1f64 + 0.2 - 0.3;
        assert_ne!(xs.iter().sum::<f64>(), 2.0 + tail);
        assert_eq!(s.value(), 2.0 + 2.7755575615628914e-17);
        assert!(tail != 0.0);
    }

    #[test]
    fn merging_accumulators_in_any_grouping_gives_the_same_bits() {
        let xs: Vec<f64> = (0..97)
            .map(|i| ((i * 7919) % 101) as f64 / 37.0 + 0.1)
            .collect();
        let mut whole = Acc::default();
        xs.iter().for_each(|&x| whole.add(x));
        for split in [1, 13, 50, 96] {
            let (mut a, mut b) = (Acc::default(), Acc::default());
            xs[..split].iter().for_each(|&x| a.add(x));
            xs[split..].iter().for_each(|&x| b.add(x));
            b.merge(&a); // the other order on purpose
            assert_eq!(b.mean().map(f64::to_bits), whole.mean().map(f64::to_bits));
            assert_eq!(b.sd().map(f64::to_bits), whole.sd().map(f64::to_bits));
        }
    }

    /// Values one ulp apart have a spread of one ulp's order, not the 1e-7 that squares
    /// rounded before summing gave (their rounding error dominates a near-zero variance).
    #[test]
    fn sd_of_nearly_equal_values_is_as_small_as_their_differences() {
        let d = 12f64.next_up() - 12.0;
        let mut a = Acc::default();
        (0..199).for_each(|_| a.add(12.0));
        a.add(12.0 + d);
        // Exact: m = 12 + d/200, Σ(x − m)² = d²·199/200, s = d/√200 (the rounded mean, 12,
        // gives d/√199).
        let sd = a.sd().unwrap();
        assert!(close(sd, d / 200f64.sqrt(), 0.01), "{sd:e}");
    }

    #[test]
    fn sd_matches_the_two_pass_formula_and_is_zero_for_constants() {
        let xs = [0.81, 0.79, 0.84, 0.77, 0.8];
        let mut a = Acc::default();
        xs.iter().for_each(|&x| a.add(x));
        let m = xs.iter().sum::<f64>() / 5.0;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 4.0;
        assert!(close(a.sd().unwrap(), v.sqrt(), 1e-12));
        assert!(close(
            a.hw95().unwrap(),
            2.7764451051977944 * v.sqrt() / 5f64.sqrt(),
            1e-12
        ));
        let mut c = Acc::default();
        (0..10).for_each(|_| c.add(0.1));
        assert_eq!(c.sd(), Some(0.0));
        let mut one = Acc::default();
        one.add(3.0);
        assert_eq!((one.mean(), one.sd(), one.hw95()), (Some(3.0), None, None));
    }
}
