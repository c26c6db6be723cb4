//! The engine against exact queueing results. Each estimate is a mean of daily batch values;
//! it must lie within 4 standard errors of the exact value (a chance failure about 1 in 16,000
//! per check under normality), and the standard error must be small enough that the check
//! means something.

use crate::support::*;
use hotline::engine::simulate;
use hotline::stats::IntervalRow;

const Z: f64 = 4.0;

fn run(model: &hotline::scenario::Model) -> Vec<IntervalRow> {
    let mut stats = simulate(model, 0);
    let (rows, _) = stats.drain_rows();
    rows.collect()
}

fn assert_close(name: &str, values: &[f64], exact: f64, max_se: f64) {
    let (mean, se) = batch_mean(values);
    eprintln!("{name}: {mean:.5} ± {se:.5}, exact {exact:.5}");
    assert!(
        se < max_se,
        "{name}: standard error {se} too large for a meaningful check"
    );
    assert!(
        (mean - exact).abs() < Z * se,
        "{name}: simulated {mean:.5} ± {se:.5} (1 se), exact {exact:.5}"
    );
}

/// M/M/c against Erlang C: P(wait), service level P(W ≤ 20 s), ASA.
fn check_erlang_c(c: u32, per_hour: f64, aht_s: f64, days: u32) {
    let model = one_queue(per_hour, aht_s, None, c, days);
    let rows = run(&model);
    let lambda = per_hour / 3600.0;
    let mu = 1.0 / aht_s;
    let a = lambda / mu;
    let pw = erlang_c(c, a);
    let rate = f64::from(c) * mu - lambda;
    let sl = 1.0 - pw * (-rate * 20.0).exp();
    let asa = pw / rate;
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
    assert_close(&format!("c={c} P(wait)"), &p_wait, pw, 0.02);
    assert_close(&format!("c={c} SL"), &p_sl, sl, 0.02);
    assert_close(&format!("c={c} ASA"), &p_asa, asa, 0.05 * asa.max(1.0));
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
    let (pw, pa) = erlang_a(c, per_hour / 3600.0, 1.0 / aht_s, 1.0 / patience_s);
    let left = |d: &[&IntervalRow]| sum(d, |r| (r.answered + r.abandoned) as f64);
    let p_wait = daily(&rows, 24, |d| {
        sum(d, |r| {
            r.p_wait.unwrap_or(0.0) * (r.answered + r.abandoned) as f64
        }) / left(d)
    });
    let p_ab = daily(&rows, 24, |d| sum(d, |r| r.abandoned as f64) / left(d));
    assert_close(&format!("c={c} Erlang A P(wait)"), &p_wait, pw, 0.02);
    assert_close(&format!("c={c} Erlang A P(abandon)"), &p_ab, pa, 0.01);
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
