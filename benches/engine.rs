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

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hotline::dist::Dist;
use hotline::engine::reference;
use hotline::scenario::{ArrivalProfile, Model, Pool, Queue, QueueId};

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
        calendar: Default::default(),
        interval_s: 1800.0,
        seed: 7,
        arrivals: ArrivalProfile {
            segment_s: 1800.0,
            rate_per_s: vec![PER_HOUR / 3600.0; 336],
        },
        extras: Default::default(),
        staffing: Default::default(),
        policy: Default::default(),
        center: Default::default(),
        notes: Vec::new(),
        ivr: None,
        queues: vec![Queue {
            name: "general".into(),
            handle_time: Dist::exponential(AHT_S).unwrap(),
            wrap_up: None,
            patience: Some(Dist::exponential(PATIENCE_S).unwrap()),
            sl_threshold_s: 20.0,
            callback: None,
            closed_release: Default::default(),
            classes: Vec::new(),
            hours: None,
        }],
        pools: vec![Pool {
            name: "agents".into(),
            serves: vec![QueueId(0)],
            secondary: Vec::new(),
            overflow_after_s: 0.0,
            headcount: vec![AGENTS; 336],
            handle_time_factor: Vec::new(),
            takes: Vec::new(),
        }],
    }
}

fn bench(c: &mut Criterion) {
    let model = model();
    let calls = hotline::engine::simulate(&model, 0)
        .summary()
        .last()
        .unwrap()
        .offered;
    let (bare_calls, _) = reference::bare_loop(reference::BareModel::BENCH, 7);
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
        b.iter(|| std::hint::black_box(reference::bare_loop(reference::BareModel::BENCH, 7)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
