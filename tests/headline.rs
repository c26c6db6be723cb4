//! The figures a planner reads, as the program computes them: `service_level`,
//! `sl_of_answered`, `sl_of_offered`, `p_wait`, `asa_s`, `wait_mean_s`, `abandon_rate`,
//! `occupancy`, `queue_length_mean` and the wait percentiles, read by column name from the
//! `intervals.csv` and `summary.csv` the simulation writes — never rebuilt from counts — and
//! checked against exact M/M/c (Erlang C) and M/M/c+M (Erlang A) values.
//!
//! # Batches
//! The models are built with one statistics interval per day, so each row of `intervals.csv`
//! is a daily batch of thousands of calls and its figures are the program's own ratios. The
//! queues forget their state within minutes, so days are nearly independent: the mean of n
//! daily values has standard error s/√n. An estimate must lie within Z = 4 standard errors of
//! the exact value (a chance failure ≈ 6e-5 per check under normality), plus the documented
//! precision of the figure (CSV figures carry 6 significant digits; wait percentiles come from
//! a histogram whose buckets are at most 1/128 of the wait wide, or 0.1 s below 25.6 s).
//!
//! # Power
//! A check that cannot fail proves nothing. For every figure the exact value with one agent
//! fewer and one agent more must lie more than Z + 2 standard errors away: a simulation that
//! behaved like c ± 1 agents would then miss the band by 2 standard errors or more (it fails
//! with probability ≥ 97.7 %). Definitions that differ (the three service levels where callers
//! abandon) must likewise lie more than Z + 2 standard errors apart, so swapping two formulas
//! fails.

use std::collections::HashMap;

use crate::erlang::{exact_birth_death, q, uniformized_service_levels};
use crate::support::*;

pub(crate) const Z: f64 = 4.0;

type Row = HashMap<String, String>;

use crate::support::CSV_REL;

/// `model` with one statistics interval per day (and the pools' weekly headcount per day).
fn daily_intervals(mut model: hotline::scenario::Model) -> hotline::scenario::Model {
    model.interval_s = 86_400.0;
    for p in &mut model.pools {
        let per_day = p.headcount.len() / 7;
        p.headcount = (0..7).map(|d| p.headcount[d * per_day]).collect();
    }
    model
}

/// Simulates `model` into a temporary folder; returns the `general` rows of `intervals.csv`
/// (one per day) and of `summary.csv`.
fn simulate_days(model: &hotline::scenario::Model) -> (Vec<Row>, Row) {
    let dir = tempfile::tempdir().unwrap();
    hotline::app::simulate::simulate_to(model, dir.path()).unwrap();
    let days: Vec<Row> = read_csv(&dir.path().join("intervals.csv"))
        .into_iter()
        .filter(|r| r["queue"] == "general")
        .collect();
    assert_eq!(days.len(), model.days as usize, "one row per day");
    let summary = read_csv(&dir.path().join("summary.csv"))
        .into_iter()
        .find(|r| r["queue"] == "general")
        .expect("a summary row for the queue");
    (days, summary)
}

/// A figure's exact value, the exact values of the alternatives the check must tell apart
/// (c − 1 and c + 1 agents, or another handle-time distribution; infinite where that queue is
/// unstable: any simulation is then told apart), and its deterministic precision (beyond CSV
/// rounding).
pub(crate) struct Exact {
    pub at_c: f64,
    pub neighbours: [f64; 2],
    pub precision: f64,
}

/// Checks column `col` of the daily rows and of the summary row against `e`; returns the
/// daily mean and its standard error.
fn check(col: &str, days: &[Row], summary: &Row, e: &Exact) -> (f64, f64) {
    let values: Vec<f64> = days.iter().map(|r| num(r, col)).collect();
    let (mean, se) = batch_mean(&values);
    let run = num(summary, col);
    eprintln!(
        "{col}: daily mean {mean:.6} ± {se:.6}, whole run {run:.6}, exact {:.6} (alternatives: {:.6}, {:.6})",
        e.at_c, e.neighbours[0], e.neighbours[1]
    );
    for n in e.neighbours {
        let gap = (n - e.at_c).abs();
        assert!(
            gap > (Z + 2.0) * se,
            "{col}: an alternative (one agent more or less, another distribution) moves the \
             exact value by only {gap:.6}, within {} standard errors of {se:.6}: the check \
             would not detect it",
            Z + 2.0
        );
    }
    let tol = Z * se + e.precision + CSV_REL * e.at_c.abs();
    assert!(
        (mean - e.at_c).abs() < tol,
        "{col}: simulated {mean:.6} ± {se:.6} per day, exact {:.6}",
        e.at_c
    );
    assert!(
        (run - e.at_c).abs() < tol,
        "{col}: whole run {run:.6}, exact {:.6} (daily se {se:.6})",
        e.at_c
    );
    (mean, se)
}

/// Exact M/M/c figures (Erlang C) for c agents, λ per second, mean handle time h, threshold t.
struct Mmc {
    p_wait: f64,
    /// P(W ≤ t) = 1 − C·e^{−(cμ−λ)t}.
    sl: f64,
    asa: f64,
    occupancy: f64,
    /// Lq = λ·E[W] (Little's law).
    queue_length: f64,
    /// The q-quantile of the wait: ln(C/(1−q))/(cμ−λ) where C > 1 − q, else 0.
    quantiles: [f64; 5],
}

const QUANTILES: [(f64, &str); 5] = [
    (0.5, "wait_p50_s"),
    (0.8, "wait_p80_s"),
    (0.9, "wait_p90_s"),
    (0.95, "wait_p95_s"),
    (0.99, "wait_p99_s"),
];

fn mmc(c: u32, lambda: f64, h: f64, t: f64) -> Mmc {
    let a = lambda * h;
    if f64::from(c) <= a {
        let inf = f64::INFINITY;
        return Mmc {
            p_wait: 1.0 + inf,
            sl: -inf,
            asa: inf,
            occupancy: inf,
            queue_length: inf,
            quantiles: [inf; 5],
        };
    }
    let pw = erlang_c(c, a);
    let rate = f64::from(c) / h - lambda;
    Mmc {
        p_wait: pw,
        sl: 1.0 - pw * (-rate * t).exp(),
        asa: pw / rate,
        occupancy: a / f64::from(c),
        queue_length: lambda * pw / rate,
        quantiles: QUANTILES.map(|(q, _)| {
            if pw > 1.0 - q {
                (pw / (1.0 - q)).ln() / rate
            } else {
                0.0
            }
        }),
    }
}

#[test]
fn erlang_c_figures_as_written_match_the_exact_values() {
    // 8 agents, 640 calls/h, 40 s handle time: a = 7.1 erlangs, P(wait) ≈ 0.67, ~15,000 calls
    // a day; the wait relaxes within a few minutes.
    let (c, per_hour, h, t) = (8u32, 640.0, 40.0, 20.0);
    let lambda = per_hour / 3600.0;
    let model = daily_intervals(one_queue(per_hour, h, None, c, 100));
    let (days, summary) = simulate_days(&model);
    let [lo, at, hi] = [c - 1, c, c + 1].map(|k| mmc(k, lambda, h, t));
    let ex = |f: &dyn Fn(&Mmc) -> f64, precision: f64| Exact {
        at_c: f(&at),
        neighbours: [f(&lo), f(&hi)],
        precision,
    };
    // Without abandonment the three service levels are one: P(W ≤ t).
    for col in ["service_level", "sl_of_answered", "sl_of_offered"] {
        check(col, &days, &summary, &ex(&|m| m.sl, 0.0));
    }
    check("p_wait", &days, &summary, &ex(&|m| m.p_wait, 0.0));
    check("asa_s", &days, &summary, &ex(&|m| m.asa, 0.0));
    check("wait_mean_s", &days, &summary, &ex(&|m| m.asa, 0.0));
    check("occupancy", &days, &summary, &ex(&|m| m.occupancy, 0.0));
    check(
        "queue_length_mean",
        &days,
        &summary,
        &ex(&|m| m.queue_length, 0.0),
    );
    for (i, (_, col)) in QUANTILES.iter().enumerate() {
        // Interpolation inside a histogram bucket: at most one bucket (0.1 s, or 1/128 of the
        // wait above 25.6 s).
        let p = at.quantiles[i];
        check(
            col,
            &days,
            &summary,
            &ex(&|m| m.quantiles[i], 0.1 + p / 128.0),
        );
    }
    for r in days.iter().chain([&summary]) {
        assert_eq!(
            num(r, "abandon_rate"),
            0.0,
            "nobody abandons without patience"
        );
    }
}

/// Exact M/M/c+M figures: (P(wait), P(abandon), ASA, mean wait, occupancy, service level,
/// SL of answered, SL of offered).
pub(crate) fn erlang_a_exact(c: u32, per_hour: i64, h: i64, patience: i64, t: f64) -> [f64; 8] {
    let lambda = q(per_hour, 3600);
    let e = exact_birth_death(&lambda, &q(1, h), &q(1, patience), u64::from(c), None);
    let cmu = f64::from(c) / h as f64;
    // within = P(answered within t); service_level = within / (within + still waiting at t),
    // i.e. answered within t ÷ (answered + abandoned after t).
    let (within, service_level) = uniformized_service_levels(&e, cmu, 1.0 / patience as f64, t);
    [
        e.p_wait,
        e.p_abandon,
        e.asa,
        e.mean_wait,
        e.occupancy,
        service_level,
        within / (1.0 - e.p_abandon),
        within,
    ]
}

#[test]
fn erlang_a_figures_as_written_match_the_exact_values() {
    // 10 agents, 240 calls/h, 3 min handle time, 2 min mean patience: a = 12 erlangs, stable
    // only because callers abandon (P(abandon) ≈ 0.2), and many abandon within the 20 s
    // threshold, so the three service levels differ.
    let (c, per_hour, h, patience, t) = (10u32, 240i64, 180i64, 120i64, 20.0);
    let model = daily_intervals(one_queue(
        per_hour as f64,
        h as f64,
        Some(patience as f64),
        c,
        60,
    ));
    let (days, summary) = simulate_days(&model);
    let [lo, at, hi] = [c - 1, c, c + 1].map(|k| erlang_a_exact(k, per_hour, h, patience, t));
    let ex = |i: usize| Exact {
        at_c: at[i],
        neighbours: [lo[i], hi[i]],
        precision: 0.0,
    };
    check("p_wait", &days, &summary, &ex(0));
    check("abandon_rate", &days, &summary, &ex(1));
    check("asa_s", &days, &summary, &ex(2));
    check("wait_mean_s", &days, &summary, &ex(3));
    check("occupancy", &days, &summary, &ex(4));
    // Little's law: mean queue length = λ × mean wait of every caller who joined the queue.
    let little = |e: &[f64; 8]| per_hour as f64 / 3600.0 * e[3];
    check(
        "queue_length_mean",
        &days,
        &summary,
        &Exact {
            at_c: little(&at),
            neighbours: [little(&lo), little(&hi)],
            precision: 0.0,
        },
    );
    let sl = [
        ("service_level", ex(5)),
        ("sl_of_answered", ex(6)),
        ("sl_of_offered", ex(7)),
    ];
    let mut ses = Vec::new();
    for (col, e) in &sl {
        ses.push(check(col, &days, &summary, e).1);
    }
    // The definitions are told apart: each pair of exact values lies more than Z + 2 standard
    // errors apart, so a row carrying one definition under another's name fails above.
    for i in 0..3 {
        for j in i + 1..3 {
            let gap = (sl[i].1.at_c - sl[j].1.at_c).abs();
            let se = ses[i].max(ses[j]);
            assert!(
                gap > (Z + 2.0) * se,
                "{} and {} differ by {gap:.5} only: {se:.5} per standard error",
                sl[i].0,
                sl[j].0
            );
        }
    }
}

/// M/G/1 against Pollaczek–Khinchine: mean wait E[W] = λ·E[S²] / (2(1 − ρ)) with
/// E[S²] = s²(1 + cv²), the queue length λ·E[W] (Little), the occupancy ρ. `wrong_cv` is the
/// cv of the distribution a bug would draw instead; its mean wait must be told apart.
fn check_pollaczek_khinchine(handle: hotline::dist::Dist, cv: f64, wrong_cv: f64, days: u32) {
    let (per_hour, s) = (126.0, 20.0);
    let lambda = per_hour / 3600.0;
    let rho = lambda * s;
    let mut model = one_queue(per_hour, s, None, 1, days);
    model.queues[0].handle_time = handle;
    let (days, summary) = simulate_days(&daily_intervals(model));
    let wait = |cv: f64| lambda * s * s * (1.0 + cv * cv) / (2.0 * (1.0 - rho));
    let (w, w_wrong) = (wait(cv), wait(wrong_cv));
    let ex = |f: &dyn Fn(f64) -> f64| Exact {
        at_c: f(w),
        neighbours: [f(w_wrong), f(w_wrong)],
        precision: 0.0,
    };
    check("wait_mean_s", &days, &summary, &ex(&|w| w));
    check("asa_s", &days, &summary, &ex(&|w| w));
    check("queue_length_mean", &days, &summary, &ex(&|w| lambda * w));
    // Occupancy is ρ whatever the distribution: the alternative here is a wrong mean (one more
    // agent halves it).
    check(
        "occupancy",
        &days,
        &summary,
        &Exact {
            at_c: rho,
            neighbours: [rho / 2.0, rho / 2.0],
            precision: 0.0,
        },
    );
}

#[test]
fn deterministic_handle_times_match_pollaczek_khinchine() {
    // M/D/1 at ρ = 0.7: E[W] = ρ·s / (2(1 − ρ)) ≈ 23.3 s, half of M/M/1's.
    check_pollaczek_khinchine(
        hotline::dist::Dist::deterministic(20.0).unwrap(),
        0.0,
        1.0,
        100,
    );
}

#[test]
fn lognormal_handle_times_match_pollaczek_khinchine() {
    // M/G/1 with lognormal handle times, cv 0.8: E[W] ≈ 38.3 s; a lognormal drawn with σ = cv
    // (cv' = √(e^{0.64} − 1) ≈ 0.95) would give ≈ 44.3 s.
    let wrong = (0.64f64.exp() - 1.0).sqrt();
    check_pollaczek_khinchine(
        hotline::dist::Dist::lognormal(20.0, 0.8).unwrap(),
        0.8,
        wrong,
        100,
    );
}

#[test]
fn gamma_handle_times_match_pollaczek_khinchine() {
    // M/G/1 with gamma handle times, cv 0.5 (shape k = 1/cv² = 4): E[W] ≈ 29.2 s; a gamma
    // drawn with shape 1/cv (cv' = √0.5 ≈ 0.71) would give ≈ 35 s.
    check_pollaczek_khinchine(
        hotline::dist::Dist::gamma(20.0, 0.5).unwrap(),
        0.5,
        0.5f64.sqrt(),
        100,
    );
}

/// "Within the threshold" is `wait ≤ T` for answered and abandoned callers alike (README):
/// a replayed log with whole seconds puts callers exactly on T. One agent, T = 20 s, all at 0:
/// A is answered at once (20 s call); B waits for A and is answered at exactly 20 s; C hangs
/// up at exactly 20 s, D at 21 s. Within T: A, B (answered) and C (abandoned); SL = answered
/// within ÷ (answered + abandoned after T) = 2 ÷ 3. With `<` it would be 1 ÷ 4, or 2 ÷ 4 with
/// the abandoned side alone wrong.
#[test]
fn a_wait_of_exactly_the_threshold_counts_as_within_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "calls.csv",
        "arrived_at,queue,handle_time,patience\n0,general,20s,1h\n0,general,60s,1h\n\
         0,general,60s,20s\n0,general,60s,21s\n",
    );
    let scenario = write(
        dir.path(),
        "edge.toml",
        "[scenario]\nname = \"edge\"\ndays = 1\ninterval = \"60m\"\n\n[arrivals]\n\
         replay = \"calls.csv\"\n\n[[queue]]\nname = \"general\"\n\
         handle_time = \"1m\"\nservice_level_threshold = \"20s\"\n\n\
         [[pool]]\nname = \"agents\"\nserves = [\"general\"]\nagents = 1\n",
    );
    let model = hotline::scenario::load(&scenario).unwrap();
    let stats = hotline::engine::simulate(&model, 0);
    let general = &stats.summary()[0];
    assert_eq!(
        (
            general.answered,
            general.answered_within_threshold,
            general.abandoned,
            general.abandoned_within_threshold
        ),
        (2, 2, 2, 1)
    );
    assert_eq!(general.service_level, Some(2.0 / 3.0));
}
