//! Line capacity (`[center] lines`): blocked calls against Erlang B and the finite-lines
//! formula of `hotline::erlang`, conservation with blocked calls, and redials of blocked
//! callers.
//!
//! Estimates are means of daily batch values within Z = 4 standard errors of the exact value,
//! and the standard error must be small enough that one line more or fewer (exact values
//! more than Z + 2 standard errors away) would be told apart (`support::assert_batch_close`).

use crate::support::*;
use hotline::engine::simulate;
use hotline::erlang::{Load, finite_lines};
use hotline::scenario::Redial;
use hotline::stats::IntervalRow;
use hotline::time::Seconds;

fn rows(model: &hotline::scenario::Model) -> Vec<IntervalRow> {
    let mut stats = simulate(model, 0);
    let (rows, _) = stats.drain_rows();
    rows.collect()
}

/// Daily blocked ÷ offered of the `all` rows.
fn blocked_fraction(rows: &[IntervalRow]) -> Vec<f64> {
    daily(rows, 24, |d| {
        sum(d, |r| r.blocked as f64) / sum(d, |r| r.offered as f64)
    })
}

fn assert_close(name: &str, values: &[f64], exact: [f64; 3]) {
    assert_batch_close(name, "line", values, exact);
}

#[test]
fn as_many_lines_as_agents_block_like_erlang_b() {
    // 8 erlangs on 10 agents and 10 lines, no IVR, callers never abandon: M/M/c/c.
    let (c, per_hour, aht) = (10, 96.0, 300.0);
    let mut model = one_queue(per_hour, aht, None, c, 60);
    model.center.lines = Some(c);
    let a = per_hour / 3600.0 * aht;
    let exact = [c - 1, c, c + 1].map(|k| erlang_b(k, a));
    let rows = rows(&model);
    assert_close("blocked (Erlang B)", &blocked_fraction(&rows), exact);
    // Nobody waits: a call either finds a free line, hence a free agent, or is blocked.
    let waited: u64 = rows
        .iter()
        .filter(|r| r.queue == "all")
        .map(|r| (r.p_wait.unwrap_or(0.0) * r.answered as f64).round() as u64)
        .sum();
    assert_eq!(waited, 0, "with lines = agents no caller waits");
}

#[test]
fn more_lines_than_agents_block_like_the_finite_lines_formula() {
    // M/M/c/N: 5 agents, 8 lines (3 waiting places), 4.5 erlangs, callers never abandon.
    let (c, n, per_hour, aht) = (5u32, 8u32, 54.0, 300.0);
    let mut model = one_queue(per_hour, aht, None, c, 60);
    model.center.lines = Some(n);
    let load = Load::per_hour(per_hour, Seconds(aht)).unwrap();
    let exact = [n - 1, n, n + 1].map(|lines| {
        finite_lines(load, c, lines, None, Seconds(20.0))
            .unwrap()
            .p_blocked
    });
    assert_close("blocked (M/M/c/N)", &blocked_fraction(&rows(&model)), exact);
}

#[test]
fn more_lines_with_patience_block_like_the_finite_lines_formula() {
    // M/M/c/N+M: 5 agents, 8 lines, 5.5 erlangs, exponential patience of 2 minutes.
    let (c, n, per_hour, aht, patience) = (5u32, 8u32, 66.0, 300.0, 120.0);
    let mut model = one_queue(per_hour, aht, Some(patience), c, 60);
    model.center.lines = Some(n);
    let load = Load::per_hour(per_hour, Seconds(aht)).unwrap();
    let fig = |lines| finite_lines(load, c, lines, Some(Seconds(patience)), Seconds(20.0)).unwrap();
    let rows = rows(&model);
    assert_close(
        "blocked (M/M/c/N+M)",
        &blocked_fraction(&rows),
        [n - 1, n, n + 1].map(|l| fig(l).p_blocked),
    );
}

#[test]
fn unlimited_lines_block_nobody() {
    let model = one_queue(200.0, 300.0, None, 10, 3);
    assert!(rows(&model).iter().all(|r| r.blocked == 0));
}

#[test]
fn blocked_calls_are_conserved_in_every_interval_with_ivr_wrap_up_and_redials() {
    // IVR, wrap-up (the line frees at talk end), patience, redials and headcount changes.
    let mut model = busy_center(7);
    model.center.lines = Some(12);
    model.extras.redial = Some(Redial {
        probability: 0.6,
        delay: hotline::dist::Dist::exponential(120.0).unwrap(),
        max_attempts: 3,
        same_caller: false,
    });
    let rows = rows(&model);
    let mut blocked = 0;
    for r in rows.iter().filter(|r| r.queue == "all") {
        assert_eq!(
            r.offered,
            r.self_served
                + r.hung_up_ivr
                + r.blocked
                + r.answered
                + r.abandoned
                + r.in_system_at_end,
            "{}",
            r.interval_start
        );
        blocked += r.blocked;
    }
    assert!(
        rows.iter()
            .filter(|r| r.queue != "all")
            .all(|r| r.blocked == 0),
        "blocking happens before any queue"
    );
    assert!(blocked > 100, "the test needs blocked calls, got {blocked}");
}

#[test]
fn blocked_callers_redial() {
    // Nobody abandons, so every redial is a blocked caller calling again.
    let mut model = one_queue(96.0, 300.0, None, 10, 7);
    model.center.lines = Some(10);
    let all = |model: &hotline::scenario::Model| {
        rows(model)
            .into_iter()
            .filter(|r| r.queue == "all")
            .fold((0, 0), |(b, rd), r| (b + r.blocked, rd + r.redials))
    };
    let (blocked, redials) = all(&model);
    assert!(
        blocked > 0 && redials == 0,
        "no [redial]: {blocked} {redials}"
    );
    model.extras.redial = Some(Redial {
        probability: 1.0,
        delay: hotline::dist::Dist::deterministic(60.0).unwrap(),
        max_attempts: 2,
        same_caller: false,
    });
    let (blocked2, redials2) = all(&model);
    // Every first-attempt caller who is blocked calls once more (max 2 attempts), except
    // those whose redial falls after the horizon.
    assert!(
        redials2 > 0 && redials2 <= blocked2,
        "{blocked2} {redials2}"
    );
    assert!(
        redials2 as f64 > 0.5 * blocked2 as f64,
        "{blocked2} {redials2}"
    );
}

#[test]
fn after_call_work_holds_no_line() {
    // Lines = agents with a long wrap-up: a line freed at talk end lets a new caller in while
    // every agent is still in after-call work, so some callers wait. Were the line held until
    // the agent is free, lines = agents would mean nobody ever waits.
    let mut model = one_queue(96.0, 240.0, None, 10, 7);
    model.queues[0].wrap_up = Some(hotline::dist::Dist::deterministic(60.0).unwrap());
    model.center.lines = Some(10);
    let rows = rows(&model);
    let all: Vec<&IntervalRow> = rows.iter().filter(|r| r.queue == "all").collect();
    let waited = sum(&all, |r| r.p_wait.unwrap_or(0.0) * r.answered as f64);
    let (blocked, offered) = (
        sum(&all, |r| r.blocked as f64),
        sum(&all, |r| r.offered as f64),
    );
    assert!(waited > 100.0, "only {waited} callers waited");
    // And the lines block less than a loss system holding them for talk + wrap-up (B(10, 8)).
    let b = erlang_b(10, 96.0 / 3600.0 * 300.0);
    assert!(
        blocked / offered < 0.8 * b,
        "{blocked} of {offered} vs B = {b}"
    );
}
