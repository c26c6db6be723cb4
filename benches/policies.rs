//! `scenarios/multi-skill.toml` (a week: four topic lines, specialists, frontline overflow,
//! caller classes, opening hours, limited lines, redials) under each named policy, with the
//! standard interval statistics. Throughput is calls offered per second of simulation.
//!
//! Run: `cargo bench --bench policies`. The figures are for comparing policies with each other
//! and over time on one machine; the engine's own speed against the bare loop is
//! `cargo bench --bench engine`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hotline::routing::Policy;

fn bench(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/multi-skill.toml");
    let base = hotline::scenario::load(&path).expect("the bundled scenario loads");
    let mut g = c.benchmark_group("multi_skill_week");
    g.sample_size(10);
    for name in hotline::routing::policy::SHOWCASE {
        let mut model = base.clone();
        model.policy = Policy::parse(name).expect("a known policy");
        let calls = hotline::engine::simulate(&model, 0)
            .summary()
            .last()
            .expect("an all row")
            .offered;
        g.throughput(Throughput::Elements(calls));
        g.bench_function(*name, |b| {
            b.iter(|| {
                let s = hotline::engine::simulate(&model, 0);
                std::hint::black_box(s.summary().len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
