//! The "speed of light": a bare event loop of the one-queue model with no metrics at all — a
//! `BinaryHeap` calendar of arrival, departure and abandon events, a FIFO line with lazy
//! abandonment flags, xoshiro256++ and ziggurat exponential sampling. The engine, with every
//! metric on, is benchmarked against it (`benches/engine.rs`). Not used by the product.
#![allow(non_snake_case)]

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use rand::SeedableRng;
use rand_distr::{Distribution, Exp1};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The model of the reference loop: M/M/c+M around the clock.
#[derive(Debug, Clone, Copy)]
pub struct BareModel {
    pub agents: u32,
    pub per_hour: f64,
    pub aht_s: f64,
    pub patience_s: f64,
    pub days: u32,
}

impl BareModel {
    /// The bench scenario: 100 agents at 95 % load, 22 days ≈ 1,000,000 calls.
    pub const BENCH: BareModel = BareModel {
        agents: 100,
        per_hour: 1900.0,
        aht_s: 180.0,
        patience_s: 300.0,
        days: 22,
    };
}

#[derive(Clone, Copy, PartialEq)]
struct Event {
    time: f64,
    seq: u64,
    kind: u8, // 0 arrival, 1 departure, 2 abandon
    customer: usize,
}
impl Eq for Event {}
impl Ord for Event {
    fn cmp(&self, o: &Self) -> Ordering {
        o.time.total_cmp(&self.time).then(o.seq.cmp(&self.seq))
    }
}
impl PartialOrd for Event {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// The bare loop: returns (calls, answered) so nothing is optimised away.
pub fn bare_loop(m: BareModel, seed: u64) -> (u64, u64) {
    let BareModel {
        agents: AGENTS,
        per_hour: PER_HOUR,
        aht_s: AHT_S,
        patience_s: PATIENCE_S,
        days: DAYS,
    } = m;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let horizon = f64::from(DAYS) * 86_400.0;
    let lambda = PER_HOUR / 3600.0;
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |heap: &mut BinaryHeap<Event>, time, kind, customer| {
        seq += 1;
        heap.push(Event {
            time,
            seq,
            kind,
            customer,
        });
    };
    let mut waiting: VecDeque<usize> = VecDeque::new();
    let mut gone: Vec<bool> = Vec::new(); // per customer: abandoned or served
    let mut idle = AGENTS;
    let (mut calls, mut answered) = (0u64, 0u64);
    let e = |rng: &mut Xoshiro256PlusPlus| -> f64 { Exp1.sample(rng) };
    push(&mut heap, e(&mut rng) / lambda, 0, 0);
    while let Some(ev) = heap.pop() {
        let t = ev.time;
        match ev.kind {
            0 => {
                if t >= horizon {
                    break;
                }
                calls += 1;
                let id = gone.len();
                gone.push(false);
                if idle > 0 {
                    idle -= 1;
                    answered += 1;
                    gone[id] = true;
                    push(&mut heap, t + e(&mut rng) * AHT_S, 1, id);
                } else {
                    waiting.push_back(id);
                    push(&mut heap, t + e(&mut rng) * PATIENCE_S, 2, id);
                }
                push(&mut heap, t + e(&mut rng) / lambda, 0, 0);
            }
            1 => {
                let mut next = None;
                while let Some(c) = waiting.pop_front() {
                    if !gone[c] {
                        next = Some(c);
                        break;
                    }
                }
                match next {
                    Some(c) => {
                        gone[c] = true;
                        answered += 1;
                        push(&mut heap, t + e(&mut rng) * AHT_S, 1, c);
                    }
                    None => idle += 1,
                }
            }
            _ => {
                if !gone[ev.customer] {
                    gone[ev.customer] = true;
                }
            }
        }
    }
    (calls, answered)
}
