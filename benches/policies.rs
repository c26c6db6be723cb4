//! `scenarios/multi-skill.toml` (a week: four topic lines, specialists, frontline overflow,
//! caller classes, opening hours, limited lines, redials) under each named policy, with the
//! standard interval statistics. Throughput is calls offered per second of simulation.
//!
//! `scenarios/skills-routing.toml` (handle-time factors per pool, first-free headcount drops,
//! a queue disconnecting at closing, a consult and a conference) under each `[center]
//! agent_choice`; with its transfers blind after wrap-up (`blind_transfers`: what the consult
//! and conference cost); and with its routing settings at their defaults (`defaults`: longest
//! idle, designated drops, no factors, finish, blind transfers).
//!
//! Run: `cargo bench --bench policies`. The figures are for comparing policies with each other
//! and over time on one machine; the engine's own speed against the bare loop is
//! `cargo bench --bench engine`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hotline::routing::Policy;
use hotline::scenario::{AgentChoice, Handoff, Model, StaffingDrop};

fn bench(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/multi-skill.toml");
    let base = hotline::scenario::load(&path).expect("the bundled scenario loads");
    let mut g = c.benchmark_group("multi_skill_week");
    g.sample_size(10);
    for name in hotline::routing::policy::SHOWCASE {
        let mut model = base.clone();
        model.policy = Policy::parse(name).expect("a known policy");
        one_run(&mut g, name, &model);
    }
    g.finish();

    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/skills-routing.toml");
    let base = hotline::scenario::load(&path).expect("the bundled scenario loads");
    let mut g = c.benchmark_group("skills_routing_week");
    g.sample_size(10);
    let blind = |mut m: Model| {
        for t in m.extras.transfers.iter_mut().flatten() {
            t.handoff = Handoff::AfterWrapUp;
        }
        m
    };
    let mut defaults = blind(base.clone());
    defaults.center.agent_choice = AgentChoice::LongestIdle;
    defaults.center.staffing_drop = StaffingDrop::Designated;
    for p in &mut defaults.pools {
        p.handle_time_factor.clear();
    }
    for q in &mut defaults.queues {
        if let Some(h) = &mut q.hours {
            h.disconnect_waiting = false;
        }
    }
    let mut variants = vec![
        ("defaults", defaults),
        ("blind_transfers", blind(base.clone())),
    ];
    for name in AgentChoice::NAMES {
        let mut model = base.clone();
        model.center.agent_choice = AgentChoice::parse(name).expect("a known choice");
        variants.push((name, model));
    }
    for (name, model) in &variants {
        one_run(&mut g, name, model);
    }
    g.finish();
}

/// One replication of `model` as bench `name`, throughput in calls offered.
fn one_run(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    model: &hotline::scenario::Model,
) {
    let calls = hotline::engine::simulate(model, 0)
        .summary()
        .last()
        .expect("an all row")
        .offered;
    g.throughput(Throughput::Elements(calls));
    g.bench_function(name, |b| {
        b.iter(|| {
            let s = hotline::engine::simulate(model, 0);
            std::hint::black_box(s.summary().len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
