//! The staffing math at call-center scale: required agents for 80/20 near 10,000 agents
//! (Erlang C and Erlang A) and single evaluations at c = 10,000.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hotline::erlang::{
    Load, Model, ServiceLevelTarget, Targets, erlang_a, erlang_c_figures, required_agents,
};
use hotline::time::Seconds;

fn staffing(c: &mut Criterion) {
    // 9,900 erlangs: 198,000 calls/h × 3 min; 80/20 needs ~9,9xx agents.
    let load = Load::per_hour(198_000.0, Seconds(180.0)).unwrap();
    let targets = Targets {
        service_level: Some(ServiceLevelTarget {
            fraction: 0.8,
            threshold: Seconds(20.0),
        }),
        ..Targets::default()
    };
    let patience = Seconds(300.0);
    c.bench_function("solve 80/20 erlang C ~10k agents", |b| {
        b.iter(|| required_agents(Model::ErlangC, black_box(load), &targets).unwrap())
    });
    c.bench_function("solve 80/20 erlang A ~10k agents", |b| {
        b.iter(|| required_agents(Model::ErlangA { patience }, black_box(load), &targets).unwrap())
    });
    c.bench_function("evaluate erlang C c=10000", |b| {
        b.iter(|| erlang_c_figures(black_box(load), 10_000, Seconds(20.0)).unwrap())
    });
    c.bench_function("evaluate erlang A c=10000", |b| {
        b.iter(|| erlang_a(black_box(load), 10_000, patience, Seconds(20.0)).unwrap())
    });
}

criterion_group!(benches, staffing);
criterion_main!(benches);
