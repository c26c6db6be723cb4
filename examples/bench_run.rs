//! Runs the bench scenario of `benches/engine.rs` once (for profilers).
use hotline::dist::Dist;
use hotline::scenario::{ArrivalProfile, Model, Pool, Queue, QueueId};
fn main() {
    let model = Model {
        name: "bench".into(),
        source: "bench.toml".into(),
        days: 22,
        interval_s: 1800.0,
        seed: 7,
        arrivals: ArrivalProfile {
            segment_s: 1800.0,
            rate_per_s: vec![1900.0 / 3600.0; 336],
        },
        extras: Default::default(),
        staffing: Default::default(),
        ivr: None,
        queues: vec![Queue {
            name: "general".into(),
            handle_time: Dist::exponential(180.0).unwrap(),
            wrap_up: None,
            patience: Some(Dist::exponential(300.0).unwrap()),
            sl_threshold_s: 20.0,
        }],
        pools: vec![Pool {
            name: "agents".into(),
            serves: vec![QueueId(0)],
            headcount: vec![100; 336],
        }],
    };
    let mut total = 0;
    for rep in 0..10 {
        total += hotline::engine::simulate(&model, rep)
            .summary()
            .last()
            .unwrap()
            .offered;
    }
    println!("{total}");
}
