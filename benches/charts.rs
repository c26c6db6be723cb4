//! Rendering cost of the charts and report for a one-week run (`busy_center(7)`: two queues,
//! two pools, half-hour intervals, ~25,000 calls). Target: all charts in under a second.
//!
//! (a) `write_charts_week`: the six charts, each drawn twice (PNG and SVG) and written
//!     atomically, from data already loaded.
//! (b) `render_dir_week`: what `hotline report DIR` does — read the CSVs and run.json, draw
//!     every chart, write report.html.
//!
//! Run: `cargo bench --bench charts`.

use criterion::{Criterion, criterion_group, criterion_main};
use hotline::app::simulate::simulate_to;
use hotline::report::charts::write_charts;
use hotline::report::data::RunData;
use hotline::report::render_dir;

#[path = "../tests/support/mod.rs"]
mod support;

fn charts(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    simulate_to(&support::busy_center(7), dir.path()).expect("simulate");
    let run = RunData::load(dir.path()).expect("load run");
    let mut g = c.benchmark_group("charts");
    g.sample_size(20);
    g.bench_function("write_charts_week", |b| {
        b.iter(|| write_charts(&run, dir.path()).expect("charts"))
    });
    g.bench_function("render_dir_week", |b| {
        b.iter(|| render_dir(dir.path()).expect("report"))
    });
    g.finish();
}

criterion_group!(benches, charts);
criterion_main!(benches);
