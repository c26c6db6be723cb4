//! The event loop is compiled twice (src/engine/mod.rs, `run_loop::<PLAIN>`): a scenario with
//! none of the queue policies' behaviours runs the plain copy, any other the copy that tests
//! each behaviour at run time. A behaviour configured so that it never acts (lines nobody
//! fills, a queue open 24/7) switches to the second copy and must give the same bytes.

use crate::support::*;
use hotline::dist::Dist;
use hotline::engine::simulate;
use hotline::scenario::{Model, OpenHours, Redial};
use hotline::stats::{IntervalRow, PoolRow};

/// A busy center with an IVR, several queues and pools, shift changes and redials.
fn center() -> Model {
    let mut m = busy_center(14);
    m.extras.redial = Some(Redial {
        probability: 0.5,
        delay: Dist::exponential(600.0).unwrap(),
        max_attempts: 3,
        same_caller: false,
    });
    m
}

fn run(model: &Model) -> (Vec<IntervalRow>, Vec<PoolRow>) {
    let mut stats = simulate(model, 3);
    let (rows, pools) = stats.drain_rows();
    (rows.collect(), pools.collect())
}

#[test]
fn unused_lines_and_24_7_hours_give_the_plain_loops_rows() {
    let plain = center();
    let (rows, pools) = run(&plain);
    let redials: u64 = rows.iter().map(|r| r.redials).sum();
    let abandoned: u64 = rows.iter().map(|r| r.abandoned).sum();
    assert!(
        redials > 100 && abandoned > 100,
        "{redials} redials, {abandoned} abandoned"
    );

    let mut lines = plain.clone();
    lines.center.lines = Some(1_000_000);
    assert_eq!(run(&lines), (rows.clone(), pools.clone()));

    let mut hours = plain.clone();
    let week = (7.0 * 86_400.0 / plain.interval_s) as usize;
    for q in &mut hours.queues {
        q.hours = Some(OpenHours {
            open: vec![true; week],
            closed_days: vec![],
            message_s: 10.0,
            self_service: 0.5,
            callback: 0.0,
            disconnect_waiting: false,
        });
    }
    assert_eq!(run(&hours), (rows, pools));
}
