//! Shared helpers for the integration tests: models built in code, exact queueing formulas
//! computed independently of `hotline::erlang`, batch-means confidence intervals, and readers
//! of the chart files (PNG size, SVG text).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use hotline::dist::Dist;
use hotline::scenario::{ArrivalProfile, Model, Pool, Queue, QueueId};
use hotline::stats::IntervalRow;

/// One queue, Poisson arrivals at `per_hour`, exponential handle time `aht_s`, optional
/// exponential patience, `agents` around the clock, hourly intervals.
pub fn one_queue(
    per_hour: f64,
    aht_s: f64,
    patience_s: Option<f64>,
    agents: u32,
    days: u32,
) -> Model {
    Model {
        name: "test".into(),
        source: "test.toml".into(),
        days,
        calendar: Default::default(),
        interval_s: 3600.0,
        seed: 7,
        arrivals: ArrivalProfile {
            segment_s: 3600.0,
            rate_per_s: vec![per_hour / 3600.0; 7 * 24],
        },
        extras: Default::default(),
        staffing: Default::default(),
        policy: Default::default(),
        center: Default::default(),
        notes: Vec::new(),
        ivr: None,
        queues: vec![Queue {
            name: "general".into(),
            handle_time: Dist::exponential(aht_s).unwrap(),
            wrap_up: None,
            patience: patience_s.map(|p| Dist::exponential(p).unwrap()),
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
            headcount: vec![agents; 7 * 24],
            handle_time_factor: Vec::new(),
            takes: Vec::new(),
        }],
    }
}

/// Adds queue `spec` (no callers of its own: it takes transfers) with `handle_time`,
/// `wrap_up` and `patience`, served by pool `specialists` of `agents` around the clock.
pub fn add_specialists(
    m: &mut Model,
    handle_time: Dist,
    wrap_up: Option<Dist>,
    patience: Option<Dist>,
    agents: u32,
) {
    m.queues.push(Queue {
        name: "spec".into(),
        handle_time,
        wrap_up,
        patience,
        sl_threshold_s: 20.0,
        classes: Vec::new(),
        hours: None,
        callback: None,
        closed_release: Default::default(),
    });
    m.pools.push(Pool {
        name: "specialists".into(),
        serves: vec![QueueId(m.queues.len() as u32 - 1)],
        secondary: Vec::new(),
        overflow_after_s: 0.0,
        headcount: vec![agents; 7 * 24],
        handle_time_factor: Vec::new(),
        takes: Vec::new(),
    });
}
/// Erlang B by the stable recurrence B(k) = a·B(k−1) / (k + a·B(k−1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// Erlang C: probability of waiting in M/M/c, C = B / (1 − ρ(1 − B)).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let b = erlang_b(c, a);
    let rho = a / f64::from(c);
    b / (1.0 - rho * (1.0 - b))
}

/// Exact M/M/c+M (Erlang A) by its birth–death chain, summed until terms vanish:
/// returns (P(wait), P(abandon)). λ, μ, θ per second.
pub fn erlang_a(c: u32, lambda: f64, mu: f64, theta: f64) -> (f64, f64) {
    // Unnormalised π_n relative to π_c = 1, built outward from c for stability.
    let mut below = 0.0; // Σ_{n<c} π_n
    let mut p = 1.0;
    for n in (1..=c).rev() {
        // π_{n-1} = π_n · nμ / λ
        p *= f64::from(n) * mu / lambda;
        below += p;
    }
    let mut above = 0.0; // Σ_{n≥c} π_n
    let mut queue = 0.0; // Σ (n−c) π_n
    let mut p = 1.0;
    let mut k = 0u64;
    loop {
        above += p;
        queue += k as f64 * p;
        k += 1;
        p *= lambda / (f64::from(c) * mu + k as f64 * theta);
        if p < 1e-18 * above && k > 10 {
            break;
        }
    }
    let total = below + above;
    let p_wait = above / total;
    let p_abandon = theta * (queue / total) / lambda;
    (p_wait, p_abandon)
}

/// Batch means: the mean of per-batch values and its standard error.
pub fn batch_mean(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Z-score of the simulation-vs-exact checks: a chance failure about 1 in 16,000 per check
/// under normality.
pub const Z: f64 = 4.0;

/// Asserts that the batch mean of `values` lies within [`Z`] standard errors of `exact`, and
/// that the check has power: the exact values of the neighbouring configurations (`below`,
/// `above`: one agent or line fewer and more) lie more than Z + 2 standard errors away, so a
/// simulation behaving like them fails with probability ≥ 97.7 %. `neighbour` names them in
/// the message ("agent", "line").
pub fn assert_batch_close(
    name: &str,
    neighbour: &str,
    values: &[f64],
    [below, exact, above]: [f64; 3],
) {
    let (mean, se) = batch_mean(values);
    eprintln!(
        "{name}: {mean:.5} ± {se:.5}, exact {exact:.5} (one {neighbour} fewer/more: {below:.5}, {above:.5})"
    );
    for other in [below, above] {
        let gap = (other - exact).abs();
        assert!(
            gap > (Z + 2.0) * se,
            "{name}: standard error {se} too large: one {neighbour} more or fewer changes the \
             exact value by only {gap}"
        );
    }
    assert!(
        (mean - exact).abs() < Z * se,
        "{name}: simulated {mean:.5} ± {se:.5} (1 se), exact {exact:.5}"
    );
}

/// Per-day sums of the `all` rows, as (numerator, denominator) ratios picked by `f`.
pub fn daily<F: Fn(&[&IntervalRow]) -> f64>(
    rows: &[IntervalRow],
    per_day: usize,
    f: F,
) -> Vec<f64> {
    let all: Vec<&IntervalRow> = rows.iter().filter(|r| r.queue == "all").collect();
    all.chunks(per_day)
        .filter(|d| d.len() == per_day)
        .map(&f)
        .collect()
}

pub fn sum<F: Fn(&IntervalRow) -> f64>(rows: &[&IntervalRow], f: F) -> f64 {
    rows.iter().map(|r| f(r)).sum()
}

/// A two-queue center with an IVR (self-service, hang-ups, two queues), wrap-up, lognormal
/// handle times, patience, a pool serving both queues by day only (zero agents at night) and a
/// specialist pool whose headcount changes every interval. Half-hour intervals.
pub fn busy_center(days: u32) -> Model {
    use hotline::scenario::{Ivr, IvrNode, IvrOption, IvrTarget, NodeId};
    let ipd = 48;
    let mut rate = vec![0.0; 7 * ipd];
    for (i, r) in rate.iter_mut().enumerate() {
        let h = (i % ipd) as f64 / 2.0;
        *r = if (8.0..19.0).contains(&h) { 0.12 } else { 0.01 };
    }
    let day_only: Vec<u32> = (0..7 * ipd)
        .map(|i| if (16..38).contains(&(i % ipd)) { 18 } else { 0 })
        .collect();
    let wobbly: Vec<u32> = (0..7 * ipd)
        .map(|i| {
            if i % ipd >= 44 {
                0
            } else {
                (i % 5) as u32 + u32::from(i % ipd > 14) * 3
            }
        })
        .collect();
    let opt = |p: f64, target| IvrOption {
        key: String::new(),
        probability: p,
        target,
    };
    Model {
        name: "busy".into(),
        source: "busy.toml".into(),
        days,
        calendar: Default::default(),
        interval_s: 1800.0,
        seed: 11,
        arrivals: ArrivalProfile {
            segment_s: 1800.0,
            rate_per_s: rate,
        },
        extras: Default::default(),
        staffing: Default::default(),
        policy: Default::default(),
        center: Default::default(),
        notes: Vec::new(),
        ivr: Some(Ivr {
            start: NodeId(0),
            nodes: vec![
                IvrNode {
                    name: "main".into(),
                    duration: Dist::uniform(5.0, 40.0).unwrap(),
                    options: vec![
                        opt(0.3, IvrTarget::Node(NodeId(1))),
                        opt(0.4, IvrTarget::Queue(QueueId(0))),
                        opt(0.2, IvrTarget::Queue(QueueId(1))),
                        opt(0.1, IvrTarget::HangUp),
                    ],
                },
                IvrNode {
                    name: "self-service".into(),
                    duration: Dist::exponential(60.0).unwrap(),
                    options: vec![
                        opt(0.7, IvrTarget::SelfService),
                        opt(0.3, IvrTarget::Queue(QueueId(0))),
                    ],
                },
            ],
        }),
        queues: vec![
            Queue {
                name: "general".into(),
                handle_time: Dist::lognormal(240.0, 0.7).unwrap(),
                wrap_up: Some(Dist::deterministic(30.0).unwrap()),
                patience: Some(Dist::exponential(180.0).unwrap()),
                sl_threshold_s: 20.0,
                callback: None,
                closed_release: Default::default(),
                classes: Vec::new(),
                hours: None,
            },
            Queue {
                name: "loans".into(),
                handle_time: Dist::gamma(420.0, 0.5).unwrap(),
                wrap_up: None,
                patience: None,
                sl_threshold_s: 60.0,
                callback: None,
                closed_release: Default::default(),
                classes: Vec::new(),
                hours: None,
            },
        ],
        pools: vec![
            Pool {
                name: "frontline".into(),
                serves: vec![QueueId(0), QueueId(1)],
                secondary: Vec::new(),
                overflow_after_s: 0.0,
                headcount: day_only,
                handle_time_factor: Vec::new(),
                takes: Vec::new(),
            },
            Pool {
                name: "loans".into(),
                serves: vec![QueueId(1)],
                secondary: Vec::new(),
                overflow_after_s: 0.0,
                headcount: wobbly,
                handle_time_factor: Vec::new(),
                takes: Vec::new(),
            },
        ],
    }
}

/// Width and height from a PNG's signature and IHDR chunk, parsed by hand.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 33, "PNG too short: {} bytes", bytes.len());
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "first chunk is not IHDR");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

/// Variance of the grey level over all pixels: 0 for a blank image.
pub fn pixel_variance(path: &Path) -> f64 {
    let img = image::open(path).unwrap().to_luma8();
    let n = img.pixels().len() as f64;
    let mean = img.pixels().map(|p| f64::from(p.0[0])).sum::<f64>() / n;
    img.pixels()
        .map(|p| (f64::from(p.0[0]) - mean).powi(2))
        .sum::<f64>()
        / n
}

pub fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn assert_svg_document(svg: &str, name: &str) {
    let t = svg.trim();
    assert!(t.starts_with("<svg"), "{name}.svg does not start with <svg");
    assert!(t.ends_with("</svg>"), "{name}.svg does not end with </svg>");
    assert_eq!(
        t.matches("<svg").count(),
        1,
        "{name}.svg has nested documents"
    );
}

/// The text content of every `<text>` element, unescaped enough to compare labels.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|s| {
            let body = &s[s.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

pub fn has_text(svg: &str, want: &str) -> bool {
    svg_texts(svg).iter().any(|t| t.contains(want))
}

/// The `hotline` binary built for these tests.
pub fn hotline() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("hotline").expect("binary built")
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A CSV as rows of column → cell.
pub fn read_csv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// A numeric cell of a `read_csv` row.
pub fn num(row: &std::collections::HashMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = `{}` is not a number", row[col]))
}

/// An engine for replication 0 of `model` with the default policy and interval statistics,
/// for tests that drive it with `run_until`.
pub fn engine_of(
    model: &Model,
) -> hotline::engine::Engine<
    '_,
    hotline::arrivals::ScenarioArrivals,
    hotline::routing::LongestIdleOldestCall,
    hotline::stats::IntervalStats,
> {
    let key = hotline::random::StreamKey::new(model.seed, 0);
    let arrivals = hotline::arrivals::ScenarioArrivals::new(model, key).unwrap();
    let stats = hotline::stats::IntervalStats::new(model);
    hotline::engine::Engine::new(
        model,
        arrivals,
        hotline::routing::LongestIdleOldestCall,
        stats,
        key,
    )
}

/// Relative precision of a figure written to a CSV (6 significant digits, rounded: README
/// "Numbers"): comparisons of a written figure with an exact value allow this much.
pub const CSV_REL: f64 = 5e-6;

/// `hotline check` refuses `text` (written as `bad.toml`) with exit 2 and a message holding
/// every string of `want` (position, field, reason).
pub fn refused(text: &str, want: &[&str]) {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "bad.toml", text);
    let o = hotline()
        .args(["check", s.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for w in want {
        assert!(err.contains(w), "missing `{w}` in:\n{err}");
    }
}
