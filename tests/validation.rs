//! The engine against exact queueing results. Each estimate is a mean of daily batch values;
//! it must lie within 4 standard errors of the exact value (a chance failure about 1 in 16,000
//! per check under normality), and the standard error must be small enough that the check
//! means something: the exact values with one agent fewer and one more lie more than Z + 2
//! standard errors away, so a simulation behaving like c ± 1 agents fails with probability
//! ≥ 97.7 %.

use crate::support::*;
use hotline::engine::simulate;
use hotline::stats::IntervalRow;

fn run(model: &hotline::scenario::Model) -> Vec<IntervalRow> {
    let mut stats = simulate(model, 0);
    let (rows, _) = stats.drain_rows();
    rows.collect()
}

/// `exact` = the exact values at c − 1, c and c + 1 agents (infinite where that queue is
/// unstable: any finite estimate is then told apart).
fn assert_close(name: &str, values: &[f64], exact: [f64; 3]) {
    assert_batch_close(name, "agent", values, exact);
}

/// M/M/c against Erlang C: P(wait), service level P(W ≤ 20 s), ASA.
fn check_erlang_c(c: u32, per_hour: f64, aht_s: f64, days: u32) {
    let model = one_queue(per_hour, aht_s, None, c, days);
    let rows = run(&model);
    let lambda = per_hour / 3600.0;
    let mu = 1.0 / aht_s;
    let a = lambda / mu;
    // (P(wait), SL, ASA) at k agents; an unstable queue has no finite figures.
    let exact = |k: u32| {
        if f64::from(k) <= a {
            return [f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY];
        }
        let pw = erlang_c(k, a);
        let rate = f64::from(k) * mu - lambda;
        [pw, 1.0 - pw * (-rate * 20.0).exp(), pw / rate]
    };
    let [lo, at, hi] = [c - 1, c, c + 1].map(exact);
    let three = |i: usize| [lo[i], at[i], hi[i]];
    let answered = |d: &[&IntervalRow]| sum(d, |r| r.answered as f64);
    let p_wait = daily(&rows, 24, |d| {
        sum(d, |r| r.p_wait.unwrap_or(0.0) * r.answered as f64) / answered(d)
    });
    let p_sl = daily(&rows, 24, |d| {
        sum(d, |r| r.answered_within_threshold as f64) / answered(d)
    });
    let p_asa = daily(&rows, 24, |d| {
        sum(d, |r| r.asa_s.unwrap_or(0.0) * r.answered as f64) / answered(d)
    });
    assert_close(&format!("c={c} P(wait)"), &p_wait, three(0));
    assert_close(&format!("c={c} SL"), &p_sl, three(1));
    assert_close(&format!("c={c} ASA"), &p_asa, three(2));
}

#[test]
fn single_agent_matches_erlang_c() {
    // ρ = 0.8: P(wait) = 0.8, ASA = 12 min.
    check_erlang_c(1, 16.0, 180.0, 400);
}

#[test]
fn ten_agents_match_erlang_c() {
    // a = 8.5 erlangs on 10 agents.
    check_erlang_c(10, 170.0, 180.0, 150);
}

#[test]
fn hundred_agents_match_erlang_c() {
    // a = 95 erlangs on 100 agents (95 % load).
    check_erlang_c(100, 1900.0, 180.0, 150);
}

/// M/M/c+M against the exact birth–death solution: P(wait) and P(abandon).
fn check_erlang_a(c: u32, per_hour: f64, aht_s: f64, patience_s: f64, days: u32) {
    let model = one_queue(per_hour, aht_s, Some(patience_s), c, days);
    let rows = run(&model);
    let [lo, at, hi] =
        [c - 1, c, c + 1].map(|k| erlang_a(k, per_hour / 3600.0, 1.0 / aht_s, 1.0 / patience_s));
    let left = |d: &[&IntervalRow]| sum(d, |r| (r.answered + r.abandoned) as f64);
    let p_wait = daily(&rows, 24, |d| {
        sum(d, |r| {
            r.p_wait.unwrap_or(0.0) * (r.answered + r.abandoned) as f64
        }) / left(d)
    });
    let p_ab = daily(&rows, 24, |d| sum(d, |r| r.abandoned as f64) / left(d));
    assert_close(
        &format!("c={c} Erlang A P(wait)"),
        &p_wait,
        [lo.0, at.0, hi.0],
    );
    assert_close(
        &format!("c={c} Erlang A P(abandon)"),
        &p_ab,
        [lo.1, at.1, hi.1],
    );
}

#[test]
fn overloaded_center_with_patience_matches_erlang_a() {
    // The validation scenario: 1000 calls/h, 3 min AHT (50 erlangs), 55 agents, patience 5 min.
    check_erlang_a(55, 1000.0, 180.0, 300.0, 30);
}

#[test]
fn impatient_callers_on_an_overloaded_queue_match_erlang_a() {
    // a = 12 erlangs on 10 agents: stable only because callers abandon.
    check_erlang_a(10, 240.0, 180.0, 120.0, 40);
}

/// The bench's bare reference loop (`engine::reference`, the "speed of light" the engine is
/// measured against) simulates the same M/M/c+M: its share of calls answered must be the exact
/// 1 − P(abandon), or the bench compares the engine with a wrong model. Batches: 20
/// independent runs (seeds) of 3 days.
#[test]
fn the_bench_reference_loop_matches_erlang_a() {
    use hotline::engine::reference::{BareModel, bare_loop};
    let m = BareModel {
        days: 3,
        ..BareModel::BENCH
    };
    let (lambda, mu, theta) = (m.per_hour / 3600.0, 1.0 / m.aht_s, 1.0 / m.patience_s);
    let runs: Vec<(u64, u64)> = (1..=20).map(|seed| bare_loop(m, seed)).collect();
    let answered: Vec<f64> = runs.iter().map(|&(c, a)| a as f64 / c as f64).collect();
    let [lo, at, hi] =
        [m.agents - 1, m.agents, m.agents + 1].map(|k| 1.0 - erlang_a(k, lambda, mu, theta).1);
    assert_close("reference loop P(answered)", &answered, [lo, at, hi]);
    // Calls: Poisson with mean λ·horizon per run.
    let expected = lambda * f64::from(m.days) * 86_400.0;
    for &(calls, _) in &runs {
        assert!(
            (calls as f64 - expected).abs() < 5.0 * expected.sqrt(),
            "{calls} calls, expected {expected}"
        );
    }
}
