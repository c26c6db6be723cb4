//! Runs the bench scenario of `benches/engine.rs` ten times, through the engine (default) or
//! the bare reference loop (`bare`), for profilers: `perf stat target/release/examples/bench_run`.
use hotline::dist::Dist;
use hotline::engine::reference::{BareModel, bare_loop};
use hotline::scenario::{ArrivalProfile, Model, Pool, Queue, QueueId};

fn main() {
    let m = BareModel::BENCH;
    if std::env::args().nth(1).as_deref() == Some("bare") {
        let total: u64 = (0..reps()).map(|r| bare_loop(m, r).0).sum();
        println!("{total}");
        return;
    }
    let model = Model {
        name: "bench".into(),
        source: "bench.toml".into(),
        days: m.days,
        calendar: Default::default(),
        interval_s: 1800.0,
        seed: 7,
        arrivals: ArrivalProfile {
            segment_s: 1800.0,
            rate_per_s: vec![m.per_hour / 3600.0; 336],
        },
        extras: Default::default(),
        staffing: Default::default(),
        policy: Default::default(),
        center: Default::default(),
        notes: Vec::new(),
        ivr: None,
        queues: vec![Queue {
            name: "general".into(),
            handle_time: Dist::exponential(m.aht_s).unwrap(),
            wrap_up: None,
            patience: Some(Dist::exponential(m.patience_s).unwrap()),
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
            headcount: vec![m.agents; 336],
            handle_time_factor: Vec::new(),
            takes: Vec::new(),
        }],
    };
    let total: u64 = (0..reps())
        .map(|r| {
            hotline::engine::simulate(&model, r)
                .summary()
                .last()
                .unwrap()
                .offered
        })
        .sum();
    println!("{total}");
}

/// Repetitions: `REPS` from the environment, default 10.
fn reps() -> u64 {
    std::env::var("REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
}
