//! A fixed-bucket histogram of waits, mergeable across intervals and replications.
//!
//! # Precision
//! Waits are recorded in units of 0.1 s. Below 25.6 s each bucket is one unit wide (absolute
//! error ≤ 0.1 s, then halved by interpolation on average); above, every doubling is split into
//! 128 buckets (relative error ≤ 1/128 ≈ 0.8 %). Waits of exactly zero (answered at once) are
//! counted apart, so a percentile that falls among them is exactly 0. Waits beyond 2³⁴ units
//! (about 19.9 days) land in the last bucket. Memory is fixed: 3,584 counters (14 KiB).
//!
//! Percentiles interpolate linearly inside the bucket that holds the requested rank.

const UNIT_S: f64 = 0.1;
const LINEAR: u64 = 256; // buckets below 2^8 units: one per unit
const SUB: u64 = 128; // buckets per doubling above
const SUB_BITS: u32 = 7;
const MAX_OCTAVE: u32 = 34;
/// Number of buckets.
pub const BUCKETS: usize = (LINEAR + (MAX_OCTAVE as u64 - 8) * SUB) as usize;

#[derive(Debug, Clone)]
pub struct WaitHistogram {
    zero: u64,
    counts: Box<[u32; BUCKETS]>,
    total: u64,
    /// One past the highest bucket ever used since the last clear: merging, clearing and
    /// quantiles only walk `counts[..hi]` (waits are usually minutes, the buckets reach days).
    hi: usize,
}

impl Default for WaitHistogram {
    fn default() -> Self {
        WaitHistogram {
            zero: 0,
            counts: Box::new([0; BUCKETS]),
            total: 0,
            hi: 0,
        }
    }
}

#[inline]
fn bucket_of(units: u64) -> usize {
    if units < LINEAR {
        return units as usize;
    }
    let octave = 63 - units.leading_zeros(); // ≥ 8
    if octave >= MAX_OCTAVE {
        return BUCKETS - 1;
    }
    let shift = octave - SUB_BITS;
    let sub = (units >> shift) - SUB; // 0..128
    (LINEAR + u64::from(octave - 8) * SUB + sub) as usize
}

/// Lower edge and width of a bucket, in seconds.
fn bucket_range(b: usize) -> (f64, f64) {
    let b = b as u64;
    if b < LINEAR {
        return (b as f64 * UNIT_S, UNIT_S);
    }
    let octave = (b - LINEAR) / SUB + 8;
    let sub = (b - LINEAR) % SUB;
    let shift = octave - u64::from(SUB_BITS);
    let lo = (SUB + sub) << shift;
    (lo as f64 * UNIT_S, (1u64 << shift) as f64 * UNIT_S)
}

impl WaitHistogram {
    /// Records one wait in seconds (negative or NaN waits are recorded as zero).
    #[inline]
    pub fn record(&mut self, wait_s: f64) {
        self.total += 1;
        if wait_s <= 0.0 || wait_s.is_nan() {
            self.zero += 1;
            return;
        }
        let units = (wait_s * (1.0 / UNIT_S)) as u64;
        let b = bucket_of(units);
        self.counts[b] = self.counts[b].saturating_add(1);
        self.hi = self.hi.max(b + 1);
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    /// Adds another histogram's counts to this one.
    pub fn merge(&mut self, other: &WaitHistogram) {
        self.zero += other.zero;
        self.total += other.total;
        for (a, b) in self.counts[..other.hi]
            .iter_mut()
            .zip(other.counts[..other.hi].iter())
        {
            *a = a.saturating_add(*b);
        }
        self.hi = self.hi.max(other.hi);
    }

    pub fn clear(&mut self) {
        if self.total == 0 {
            return;
        }
        self.zero = 0;
        self.total = 0;
        self.counts[..self.hi].fill(0);
        self.hi = 0;
    }

    /// The q-quantile (0 ≤ q ≤ 1) of recorded waits in seconds, or `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * self.total as f64).max(0.0);
        if rank <= self.zero as f64 {
            return Some(0.0);
        }
        let mut seen = self.zero as f64;
        for (b, &c) in self.counts[..self.hi].iter().enumerate() {
            if c == 0 {
                continue;
            }
            let next = seen + f64::from(c);
            if rank <= next {
                let (lo, width) = bucket_range(b);
                return Some(lo + width * (rank - seen) / f64::from(c));
            }
            seen = next;
        }
        let (lo, width) = bucket_range(BUCKETS - 1);
        Some(lo + width)
    }

    /// Several quantiles in one pass over the buckets; `qs` must be non-decreasing.
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [Option<f64>; N] {
        let mut out = [None; N];
        if self.total == 0 {
            return out;
        }
        let ranks = qs.map(|q| q.clamp(0.0, 1.0) * self.total as f64);
        let mut k = 0;
        while k < N && ranks[k] <= self.zero as f64 {
            out[k] = Some(0.0);
            k += 1;
        }
        let mut seen = self.zero as f64;
        for (b, &c) in self.counts[..self.hi].iter().enumerate() {
            if k == N {
                return out;
            }
            if c == 0 {
                continue;
            }
            let next = seen + f64::from(c);
            while k < N && ranks[k] <= next {
                let (lo, width) = bucket_range(b);
                out[k] = Some(lo + width * (ranks[k] - seen) / f64::from(c));
                k += 1;
            }
            seen = next;
        }
        let (lo, width) = bucket_range(BUCKETS - 1);
        for o in out.iter_mut().skip(k) {
            *o = Some(lo + width);
        }
        out
    }

    /// Waits recorded as exactly zero (answered at once).
    pub fn zero_count(&self) -> u64 {
        self.zero
    }

    /// The non-empty buckets in increasing order as `(from_s, to_s, count)`: a wait `w` in a
    /// bucket satisfies `from_s <= w < to_s`. Zero waits are not included (see
    /// [`WaitHistogram::zero_count`]); the last bucket also holds every longer wait.
    pub fn buckets(&self) -> impl Iterator<Item = (f64, f64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(b, &c)| {
                let (lo, width) = bucket_range(b);
                (lo, lo + width, u64::from(c))
            })
    }

    /// Share of recorded waits at most `t` seconds (interpolated inside a bucket).
    pub fn share_at_most(&self, t: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        if t < 0.0 {
            return Some(0.0);
        }
        let mut below = self.zero as f64;
        for (b, &c) in self.counts.iter().enumerate() {
            let (lo, width) = bucket_range(b);
            if lo >= t {
                break;
            }
            let frac = ((t - lo) / width).min(1.0);
            below += f64::from(c) * frac;
        }
        Some(below / self.total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_contiguous_and_increasing() {
        let mut prev_end = 0.0;
        for b in 0..BUCKETS {
            let (lo, w) = bucket_range(b);
            assert!(
                (lo - prev_end).abs() < 1e-9 * prev_end.max(1.0),
                "bucket {b} starts at {lo}, expected {prev_end}"
            );
            prev_end = lo + w;
        }
        for units in [0u64, 1, 255, 256, 257, 511, 512, 1 << 20, (1 << 34) - 1] {
            let (lo, w) = bucket_range(bucket_of(units));
            let v = units as f64 * UNIT_S;
            assert!(
                v >= lo - 1e-9 && v < lo + w + 1e-9,
                "{units} not in its bucket"
            );
        }
    }

    #[test]
    fn quantiles_are_within_the_documented_error() {
        // Waits 0.05, 0.15, ..., uniform over [0, 600) s: exact quantile q·600.
        let mut h = WaitHistogram::default();
        let n = 60_000;
        for i in 0..n {
            h.record((i as f64 + 0.5) * 600.0 / n as f64);
        }
        for q in [0.1, 0.5, 0.8, 0.9, 0.95, 0.99] {
            let exact = q * 600.0;
            let got = h.quantile(q).unwrap();
            let tol = (exact / 128.0).max(0.1);
            assert!((got - exact).abs() <= tol, "q{q}: {got} vs {exact}");
        }
    }

    #[test]
    fn one_pass_quantiles_equal_single_quantiles() {
        let mut h = WaitHistogram::default();
        for i in 0..5000 {
            h.record(if i % 3 == 0 {
                0.0
            } else {
                (i as f64).sqrt() * 7.3
            });
        }
        let qs = [0.0, 0.2, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0];
        let many = h.quantiles(qs);
        for (q, m) in qs.iter().zip(many) {
            assert_eq!(m, h.quantile(*q), "q{q}");
        }
    }

    #[test]
    fn zero_waits_give_zero_quantiles() {
        let mut h = WaitHistogram::default();
        for _ in 0..70 {
            h.record(0.0);
        }
        for _ in 0..30 {
            h.record(42.0);
        }
        assert_eq!(h.quantile(0.5), Some(0.0));
        assert_eq!(h.quantile(0.7), Some(0.0));
        assert!((h.quantile(0.9).unwrap() - 42.0).abs() < 42.0 / 128.0);
        assert_eq!(WaitHistogram::default().quantile(0.5), None);
        assert!((h.share_at_most(20.0).unwrap() - 0.7).abs() < 1e-12);
    }

    #[test]
    fn buckets_hold_every_nonzero_wait_within_their_bounds() {
        let mut h = WaitHistogram::default();
        for w in [0.0, 0.0, 0.05, 3.0, 3.04, 100.0, 1e9] {
            h.record(w);
        }
        let b: Vec<_> = h.buckets().collect();
        assert_eq!(h.zero_count(), 2);
        assert_eq!(
            b.iter().map(|x| x.2).sum::<u64>() + h.zero_count(),
            h.count()
        );
        assert_eq!(b.len(), 4, "{b:?}");
        assert!(b.windows(2).all(|w| w[0].1 <= w[1].0));
        let three = b.iter().find(|x| x.0 <= 3.0 && 3.0 < x.1).unwrap();
        assert_eq!(three.2, 2);
        assert!(b.iter().any(|x| x.0 <= 100.0 && 100.0 < x.1));
    }

    #[test]
    fn merge_adds_counts() {
        let mut a = WaitHistogram::default();
        let mut b = WaitHistogram::default();
        a.record(1.0);
        b.record(100.0);
        b.record(0.0);
        a.merge(&b);
        assert_eq!(a.count(), 3);
        assert_eq!(a.quantile(0.0), Some(0.0));
        assert!(a.quantile(1.0).unwrap() >= 100.0);
    }
}
