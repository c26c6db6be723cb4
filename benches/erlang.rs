//! The staffing math at call-center scale: required agents for 80/20 near 10,000 agents
//! (Erlang C and Erlang A) and single evaluations at c = 10,000; and `hotline staff`'s work on
//! the bundled bank hotline (28 days × 48 intervals × 4 queues, Erlang C and A per cell).

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

fn staff_plan(c: &mut Criterion) {
    use hotline::plan::{Planner, StaffingSettings};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bank-hotline.toml");
    let model = hotline::scenario::load(&path).unwrap();
    let settings = StaffingSettings::resolve(&Default::default(), &model.staffing);
    c.bench_function("staff bank-hotline whole horizon", |b| {
        b.iter(|| {
            let mut planner = Planner::new(&model, settings);
            let mut reqs = Vec::new();
            let mut agents = 0u64;
            for k in 0..model.interval_count() {
                planner.interval(k, &mut reqs).unwrap();
                agents += reqs
                    .iter()
                    .map(|r| u64::from(r.agents_required))
                    .sum::<u64>();
            }
            black_box(agents)
        })
    });
}

criterion_group!(benches, staffing, staff_plan);
criterion_main!(benches);
