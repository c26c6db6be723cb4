//! Seeded random streams, one per purpose (DESIGN.md, "Randomness").
//!
//! A caller's attributes come from streams keyed by (scenario seed, replication, caller index,
//! purpose), so two policies simulated on the same replication see exactly the same callers
//! (common random numbers), and drawing one more number for one purpose never shifts another.
//! Arrival times come from their own stream per arrival source.
//!
//! Caller streams are SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number
//! generators", OOPSLA 2014): seeding one costs a few multiplications, which matters because a
//! new stream is made for every caller. Long-lived streams (arrivals) use xoshiro256++.

use rand::SeedableRng;
use rand::TryRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use std::convert::Infallible;

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function: a bijective mixer of 64 bits.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What a stream is for. Each purpose gets an independent stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    Ivr = 1,
    Patience = 2,
    HandleTime = 3,
    WrapUp = 4,
    Arrivals = 5,
    /// Reserved for later features (transfers, callbacks) so they do not disturb the streams
    /// above.
    Extra = 6,
    /// The gamma factor of one day (day-to-day uncertainty).
    DayFactor = 7,
    /// Whether and when an abandoning caller calls again.
    Redial = 8,
    /// Surge arrival streams (one per surge).
    Surge = 9,
    /// A caller's class (new customer, premium) drawn from the queue's class shares.
    Class = 10,
    /// What a caller does on hearing that the queue is closed.
    Closed = 11,
    /// Callback offer acceptance, answer of the agent's call, retries.
    Callback = 12,
    /// Whether an answered call is transferred, and where.
    Transfer = 13,
    /// Which idle agent answers the caller under `[center] agent_choice = "random"`.
    AgentChoice = 14,
}

/// The key of one replication: every stream of that replication derives from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamKey(u64);

impl StreamKey {
    pub fn new(seed: u64, replication: u64) -> Self {
        StreamKey(mix64(
            mix64(seed ^ 0x6C62_272E_07BB_0142).wrapping_add(replication.wrapping_mul(GOLDEN)),
        ))
    }

    /// The streams of one caller (caller number since the start of the replication).
    #[inline(always)]
    pub fn caller_streams(self, caller: u64) -> CallerStreams {
        CallerStreams(mix64(self.0 ^ caller.wrapping_mul(0xD6E8_FEB8_6659_FD93)))
    }

    /// The stream of one caller for one purpose.
    #[inline(always)]
    pub fn caller(self, caller: u64, purpose: Purpose) -> SplitMix {
        self.caller_streams(caller).stream(purpose)
    }

    /// A long-lived stream (arrival source `index`, for `purpose`).
    pub fn long_lived(self, purpose: Purpose, index: u64) -> Xoshiro256PlusPlus {
        Xoshiro256PlusPlus::seed_from_u64(mix64(self.0 ^ mix64((purpose as u64) << 32 | index)))
    }
}

/// The key of one caller's streams; small enough to keep with a waiting caller, so a stream is
/// derived with one mix when it is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerStreams(u64);

impl CallerStreams {
    /// The streams of the caller's `attempt`-th redial (attempt ≥ 1): fresh draws, so a
    /// redialling caller is not bound to the patience that made them hang up.
    #[inline]
    pub fn redial(self, attempt: u32) -> CallerStreams {
        CallerStreams(mix64(
            self.0 ^ u64::from(attempt).wrapping_mul(0xA24B_AED4_963E_E407),
        ))
    }

    /// The streams of the caller's `leg`-th leg (leg ≥ 1: the call transferred to another
    /// queue): fresh draws of patience and handle time for the new queue, still a function
    /// of the caller alone (another multiplier than [`CallerStreams::redial`], so a leg and
    /// a redial never share streams).
    #[inline]
    pub fn leg(self, leg: u32) -> CallerStreams {
        CallerStreams(mix64(
            self.0 ^ u64::from(leg).wrapping_mul(0x8CB9_2BA7_2F3D_8DD7),
        ))
    }

    /// The caller's stream for `purpose`.
    #[inline(always)]
    pub fn stream(self, purpose: Purpose) -> SplitMix {
        SplitMix(mix64(self.0 ^ (purpose as u64).wrapping_mul(GOLDEN)))
    }
}

/// A SplitMix64 generator: a counter and a mixer.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    #[inline(always)]
    pub fn next_word(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }
    /// A uniform in the open interval (0, 1): never 0, so `ln` is always finite.
    #[inline(always)]
    pub fn open01(&mut self) -> f64 {
        ((self.next_word() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }
}

impl TryRng for SplitMix {
    type Error = Infallible;
    #[inline(always)]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next_word() >> 32) as u32)
    }
    #[inline(always)]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_word())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let v = self.next_word().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_purpose_caller_and_replication() {
        let k = StreamKey::new(7, 0);
        let a = k.caller(1, Purpose::Patience).next_word();
        assert_ne!(a, k.caller(1, Purpose::HandleTime).next_word());
        assert_ne!(a, k.caller(2, Purpose::Patience).next_word());
        assert_ne!(
            a,
            StreamKey::new(7, 1)
                .caller(1, Purpose::Patience)
                .next_word()
        );
        assert_eq!(
            a,
            StreamKey::new(7, 0)
                .caller(1, Purpose::Patience)
                .next_word()
        );
    }

    #[test]
    fn legs_and_redials_of_one_caller_draw_from_distinct_streams() {
        let c = StreamKey::new(7, 0).caller_streams(3);
        let draw = |s: CallerStreams| s.stream(Purpose::Patience).next_word();
        let firsts = [
            c,
            c.leg(1),
            c.leg(2),
            c.redial(1),
            c.redial(2),
            c.redial(1).leg(1),
        ];
        for (i, a) in firsts.iter().enumerate() {
            for b in &firsts[i + 1..] {
                assert_ne!(draw(*a), draw(*b));
            }
        }
        // A function of the caller alone.
        assert_eq!(
            draw(c.leg(1)),
            draw(StreamKey::new(7, 0).caller_streams(3).leg(1))
        );
    }

    #[test]
    fn open_uniforms_are_strictly_inside_zero_one() {
        let mut s = StreamKey::new(1, 0).caller(0, Purpose::Ivr);
        let mut sum = 0.0;
        for _ in 0..100_000 {
            let u = s.open01();
            assert!(u > 0.0 && u < 1.0);
            sum += u;
        }
        // Mean of 1e5 uniforms: sd = sqrt(1/12/1e5) = 0.000913; 5 sd.
        assert!((sum / 100_000.0 - 0.5).abs() < 5.0 * 0.000913);
    }
}
