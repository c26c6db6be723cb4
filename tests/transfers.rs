//! Transfers (`[[queue.transfer]]`): a share of the answered calls of one queue goes on to
//! another when the agent completes them, as a new leg with the caller's own streams.

use crate::support::*;
use hotline::dist::Dist;
use hotline::engine::simulate;
use hotline::scenario::{Model, QueueId, Transfer};
use hotline::stats::{IntervalRow, SummaryRow};

/// `front` (200 calls/h, 3 min, 13 agents) transfers `share` of its answered calls to
/// `spec` (5 min, 8 agents), which has no callers of its own.
fn frontline(share: f64, days: u32) -> Model {
    let mut m = one_queue(200.0, 180.0, Some(300.0), 13, days);
    m.queues[0].name = "front".into();
    add_specialists(
        &mut m,
        Dist::exponential(300.0).unwrap(),
        Some(Dist::deterministic(20.0).unwrap()),
        Some(Dist::exponential(240.0).unwrap()),
        8,
    );
    if share > 0.0 {
        m.extras.transfers = vec![vec![Transfer::blind(QueueId(1), share)], Vec::new()];
    }
    m
}

fn run(model: &Model) -> (Vec<IntervalRow>, Vec<SummaryRow>) {
    let mut stats = simulate(model, 0);
    let (rows, _) = stats.drain_rows();
    let rows = rows.collect();
    (rows, stats.summary())
}

#[test]
fn the_transferred_share_of_answered_calls_matches_the_stated_share() {
    let share = 0.25;
    let (_, summary) = run(&frontline(share, 30));
    let front = &summary[0];
    let n = front.answered as f64;
    let p = front.transferred_out as f64 / n;
    // Binomial: each answered call is transferred with probability `share` (calls still in
    // talk at the horizon, a few dozen of 140,000, shift p by < 1e-4, a tenth of an SE).
    let se = (share * (1.0 - share) / n).sqrt();
    assert!(n > 100_000.0);
    assert!(
        (p - share).abs() < Z * se,
        "transferred share {p} vs {share} (SE {se})"
    );
}

#[test]
fn a_transferred_leg_is_offered_on_the_next_queue_and_in_equals_out() {
    let (rows, summary) = run(&frontline(0.25, 14));
    let (front, spec, all) = (&summary[0], &summary[1], &summary[2]);
    assert!(front.transferred_out > 1000);
    assert_eq!(front.transferred_out, spec.transferred_in);
    assert_eq!(front.transferred_in, 0);
    assert_eq!(spec.transferred_out, 0);
    // `spec` has no callers of its own: every one of its offers is a second leg, answered,
    // abandoned or waiting like any call.
    assert_eq!(spec.offered, spec.transferred_in);
    assert!(spec.answered > 0 && spec.abandoned > 0);
    assert_eq!(
        spec.offered,
        spec.answered + spec.abandoned + spec.closed + spec.in_system_at_end
    );
    // The center counts calls once: offered = arrivals; the legs balance with transferred_in.
    assert_eq!(all.offered, front.offered);
    assert_eq!(
        all.offered + all.transferred_in,
        all.answered + all.abandoned + all.in_system_at_end
    );
    // In every interval, spec's offers are the legs transferred in that interval.
    for r in rows.iter().filter(|r| r.queue == "spec") {
        assert_eq!(r.offered, r.transferred_in, "{}", r.interval_start);
    }
    // Journeys: every transferred caller's journey starts on `front`; most are served, and
    // the wait across legs is at least the wait of the second leg on average.
    assert_eq!(spec.journeys, 0);
    let ended = spec.answered + spec.abandoned;
    assert_eq!(front.journeys, ended);
    let served = front.journeys_served_share.unwrap();
    let expect = spec.answered as f64 / ended as f64;
    assert!((served - expect).abs() < 1e-12, "{served} vs {expect}");
    assert!(front.journey_wait_mean_s.unwrap() >= spec.wait_mean_s.unwrap());
}

/// Common random numbers: transfers change nothing for the callers of `front` (their own
/// pool, transfers happen after their agent is free) — every figure but the transfer
/// columns is the same with and without them.
#[test]
fn the_same_callers_are_served_alike_up_to_the_transfer_point() {
    let (without, _) = run(&frontline(0.0, 7));
    let (with, _) = run(&frontline(0.3, 7));
    let front = |rows: &[IntervalRow]| -> Vec<IntervalRow> {
        rows.iter()
            .filter(|r| r.queue == "front")
            .cloned()
            .map(|mut r| {
                r.transferred_out = 0;
                r.journeys = 0;
                r.journey_wait_mean_s = None;
                r.journeys_served_share = None;
                r
            })
            .collect()
    };
    let (a, b) = (front(&without), front(&with));
    assert_eq!(a.len(), 7 * 24);
    assert_eq!(a, b);
    let moved: u64 = with
        .iter()
        .filter(|r| r.queue == "front")
        .map(|r| r.transferred_out)
        .sum();
    assert!(moved > 0);
    assert!(
        without
            .iter()
            .filter(|r| r.queue == "spec")
            .all(|r| r.offered == 0)
    );
}

const BASE: &str = r#"[scenario]
name = "t"
days = 1
seed = 1

[arrivals]
calls_per_hour = 100

[[queue]]
name = "front"
handle_time = { dist = "exponential", mean = "3m" }

[[queue.transfer]]
to = "TO"
share = SHARE

[[queue]]
name = "spec"
handle_time = { dist = "exponential", mean = "5m" }

[[pool]]
name = "a"
serves = ["front", "spec"]
agents = 10
"#;

/// [`BASE`] with `to` and `share` filled in.
fn with(to: &str, share: &str) -> String {
    BASE.replace("TO", to).replace("SHARE", share)
}

#[test]
fn bad_transfers_are_refused_with_their_position() {
    refused(
        &with("nowhere", "0.2"),
        &[
            "bad.toml:14:6",
            "queue[0].transfer[0].to",
            "unknown queue `nowhere`",
        ],
    );
    refused(&with("front", "0.2"), &["bad.toml:14:6", "to itself"]);
    refused(
        &with("spec", "-0.1"),
        &["bad.toml:15:9", "queue[0].transfer[0].share", "[0, 1]"],
    );
    refused(&with("spec", "1.5"), &["bad.toml:15:9", "[0, 1]"]);
    let two = with("spec", "0.6").replace(
        "[[queue]]\nname = \"spec\"",
        "[[queue.transfer]]\nto = \"spec\"\nshare = 0.5\n\n[[queue]]\nname = \"spec\"",
    );
    refused(
        &two,
        &["bad.toml:13:1", "queue[0].transfer.share", "sum to 1.1"],
    );
    // A valid one passes.
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "ok.toml", &with("spec", "0.2"));
    hotline()
        .args(["check", s.to_str().unwrap()])
        .assert()
        .success();
}
