//! The engine against the "speed of light" of a naive event-driven loop.
//!
//! (a) `engine_all_metrics`: the validation scenario scaled to 100 agents at 95 % load
//!     (1,900 calls/h, 3 min exponential handle time, 5 min exponential patience), 22 days ≈
//!     1,000,000 calls, with the standard interval statistics (every metric on).
//! (b) `bare_reference_loop`: the same model with no metrics at all — a `BinaryHeap` event
//!     calendar with arrival, departure and abandon events, a FIFO line with lazy abandonment
//!     flags, xoshiro256++ and ziggurat exponential sampling.
//!
//! Run: `cargo bench --bench engine` and compare the two throughputs (calls per second).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hotline::dist::Dist;
use hotline::scenario::{ArrivalProfile, Model, Pool, Queue, QueueId};
use rand::SeedableRng;
use rand_distr::{Distribution, Exp1};
use rand_xoshiro::Xoshiro256PlusPlus;

const AGENTS: u32 = 100;
const PER_HOUR: f64 = 1900.0;
const AHT_S: f64 = 180.0;
const PATIENCE_S: f64 = 300.0;
const DAYS: u32 = 22;

fn model() -> Model {
    Model {
        name: "bench".into(),
        source: "bench.toml".into(),
        days: DAYS,
        interval_s: 1800.0,
        seed: 7,
        arrivals: ArrivalProfile {
            segment_s: 1800.0,
            rate_per_s: vec![PER_HOUR / 3600.0; 336],
        },
        extras: Default::default(),
        staffing: Default::default(),
        ivr: None,
        queues: vec![Queue {
            name: "general".into(),
            handle_time: Dist::exponential(AHT_S).unwrap(),
            wrap_up: None,
            patience: Some(Dist::exponential(PATIENCE_S).unwrap()),
            sl_threshold_s: 20.0,
        }],
        pools: vec![Pool {
            name: "agents".into(),
            serves: vec![QueueId(0)],
            headcount: vec![AGENTS; 336],
        }],
    }
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
fn bare_loop(seed: u64) -> (u64, u64) {
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

fn bench(c: &mut Criterion) {
    let model = model();
    let calls = hotline::engine::simulate(&model, 0)
        .summary()
        .last()
        .unwrap()
        .offered;
    let (bare_calls, _) = bare_loop(7);
    let mut g = c.benchmark_group("one_queue_100_agents_95pct");
    g.sample_size(10);
    g.throughput(Throughput::Elements(calls));
    g.bench_function("engine_all_metrics", |b| {
        b.iter(|| {
            let s = hotline::engine::simulate(&model, 0);
            std::hint::black_box(s.summary().len())
        })
    });
    g.throughput(Throughput::Elements(bare_calls));
    g.bench_function("bare_reference_loop", |b| {
        b.iter(|| std::hint::black_box(bare_loop(7)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
