//! Callbacks (virtual hold): accepting callers never abandon, acceptance follows `accept`,
//! an offer at 0 s with certain acceptance and answer turns every wait into a completed
//! callback, unanswered callbacks fail after their retries in the interval offered, and
//! nothing changes under `fifo`. (Conservation with callbacks: tests/conservation.rs; bad
//! configuration: src/scenario/tests_callbacks.rs and the CLI test below.)

use crate::support::*;
use hotline::engine::simulate;
use hotline::routing::Policy;
use hotline::scenario::{CallbackOffer, Model};
use hotline::stats::{IntervalRow, SummaryRow};

/// One overloaded-at-peak queue (60 calls/h, 5 min handle time, 4 agents: 5 Erlang on 4
/// agents, so the line grows) with short patience (exponential 2 min) and `offer` on it,
/// under `policy`.
fn overloaded(offer: CallbackOffer, policy: &str, days: u32) -> Model {
    let mut m = one_queue(60.0, 300.0, Some(120.0), 4, days);
    m.queues[0].callback = Some(offer);
    m.policy = Policy::parse(policy).unwrap();
    m
}

fn offer(offer_above_s: f64, accept: f64, answer: f64) -> CallbackOffer {
    CallbackOffer {
        offer_above_s,
        accept,
        answer,
        retries: 2,
        retry_after_s: 600.0,
    }
}

fn run(model: &Model) -> (Vec<IntervalRow>, SummaryRow) {
    let mut stats = simulate(model, 0);
    let (rows, _) = stats.drain_rows();
    let rows: Vec<IntervalRow> = rows.filter(|r| r.queue != "all").collect();
    let summary = stats.summary().remove(0);
    (rows, summary)
}

#[test]
fn callers_who_accept_never_abandon() {
    // Everyone who waits is offered (threshold 0); half accept. Patience is short, so most
    // of those who decline abandon: were accepters abandoning too, abandoned would exceed
    // the decliners.
    let (_, s) = run(&overloaded(offer(0.0, 0.5, 1.0), "callback", 3));
    assert!(s.callbacks_offered > 500, "{}", s.callbacks_offered);
    let declined = s.callbacks_offered - s.callbacks_accepted;
    assert!(s.abandoned > declined / 2, "patience is short: {s:?}");
    assert!(
        s.abandoned <= declined,
        "abandoned {} > declined {declined}",
        s.abandoned
    );
    // Every accepted request is completed, failed or still pending.
    assert!(s.callbacks_completed + s.callbacks_failed <= s.callbacks_accepted);
    assert_eq!(s.callbacks_failed, 0, "answer = 1");
}

#[test]
fn acceptance_follows_the_stated_probability() {
    let accept = 0.3;
    let (_, s) = run(&overloaded(offer(0.0, accept, 1.0), "callback", 7));
    let n = s.callbacks_offered as f64;
    let k = s.callbacks_accepted as f64;
    let se = (n * accept * (1.0 - accept)).sqrt();
    assert!(n > 1000.0, "{n}");
    assert!(
        (k - n * accept).abs() <= 4.0 * se,
        "accepted {k} of {n}: {} expected ± {}",
        n * accept,
        4.0 * se
    );
}

#[test]
fn with_a_zero_threshold_and_certain_acceptance_every_wait_is_a_completed_callback() {
    let mut m = overloaded(offer(0.0, 1.0, 1.0), "callback", 3);
    // A 0 s threshold: answered within it = answered at once (no wait, never offered).
    m.queues[0].sl_threshold_s = 0.0;
    let (rows, s) = run(&m);
    assert_eq!(s.abandoned, 0);
    assert_eq!(s.callbacks_offered, s.callbacks_accepted);
    assert!(s.callbacks_completed > 500, "{}", s.callbacks_completed);
    assert_eq!(
        s.callbacks_completed + s.answered_within_threshold,
        s.answered
    );
    for r in &rows {
        assert_eq!(r.abandoned, 0, "{}", r.interval_start);
        assert_eq!(
            r.callbacks_completed + r.answered_within_threshold,
            r.answered,
            "{}",
            r.interval_start
        );
    }
    // The delay of a callback is its wait: the mean delay is the ASA of the waiting callers.
    let delay = s.callback_delay_mean_s.unwrap();
    let asa = s.asa_s.unwrap() * s.answered as f64 / s.callbacks_completed as f64;
    assert!((delay - asa).abs() <= 1e-6 * asa, "{delay} vs {asa}");
}

#[test]
fn unanswered_callbacks_fail_after_their_retries_in_the_interval_offered() {
    // Nobody answers: every accepted request fails after 1 + 2 attempts (each 30 s of ringing,
    // then 10 min before the retry): well within a day.
    let (rows, s) = run(&overloaded(offer(0.0, 1.0, 0.0), "callback", 3));
    assert_eq!(s.callbacks_completed, 0);
    assert!(s.callbacks_failed > 500, "{}", s.callbacks_failed);
    // Failed requests are not answered: only callers answered at once are.
    assert_eq!(s.abandoned, 0);
    for r in rows.iter().take(24 * 2) {
        assert_eq!(r.in_system_at_end, 0);
        assert_eq!(
            r.callbacks_failed, r.callbacks_accepted,
            "{}: every request of the interval fails",
            r.interval_start
        );
        assert_eq!(r.offered, r.answered + r.callbacks_failed);
    }
}

#[test]
fn fifo_offers_nothing_and_runs_as_without_an_offer() {
    let with = overloaded(offer(0.0, 1.0, 1.0), "fifo", 2);
    let mut without = with.clone();
    without.queues[0].callback = None;
    let (rows, s) = run(&with);
    assert_eq!(s.callbacks_offered, 0);
    assert_eq!(rows, run(&without).0);
    // And the offer does change a callback run (the comparison above could fail).
    let (cb, _) = run(&overloaded(offer(0.0, 1.0, 1.0), "callback", 2));
    assert_ne!(rows, cb);
}

#[test]
fn a_bad_offer_is_exit_2_naming_file_line_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[scenario]\nname = \"cb\"\ndays = 1\ninterval = \"60m\"\nseed = 1\n\n[arrivals]\ncalls_per_hour = 10\n\n[[queue]]\nname = \"general\"\nhandle_time = { dist = \"exponential\", mean = \"3m\" }\n\n[queue.callback]\noffer_above = \"1m\"\naccept = 2\n\n[[pool]]\nname = \"agents\"\nserves = [\"general\"]\nagents = 2\n";
    let path = write(dir.path(), "cb.toml", text);
    let out = hotline()
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cb.toml:16:10"), "{err}");
    assert!(err.contains("queue[0].callback.accept"), "{err}");
    // Fixed, `check` describes the offer and says the scenario's policy does not run it.
    let path = write(
        dir.path(),
        "cb.toml",
        &text.replace("accept = 2", "accept = 0.5"),
    );
    let out = hotline()
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("callback       offered above 1m expected wait, 50% accept")
            && said.contains("(off: the policy has no `callback`)"),
        "{said}"
    );
}

#[test]
fn failed_callbacks_keep_class_rows_conserved() {
    use hotline::scenario::CallerClass;
    let class = |name: &str, priority| CallerClass {
        name: name.into(),
        share: 0.5,
        priority,
        aging_per_s: 0.0,
    };
    let mut m = overloaded(offer(0.0, 1.0, 0.0), "priority+callback", 2);
    m.queues[0].classes = vec![class("standard", 0), class("premium", 5)];
    let mut stats = simulate(&m, 0);
    let _ = stats.drain_rows();
    let rows = stats.drain_class_rows();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(
            r.offered,
            r.answered + r.abandoned + r.callbacks_failed + r.in_queue_at_end,
            "{} {}",
            r.interval_start,
            r.class
        );
    }
    let failed: u64 = rows.iter().map(|r| r.callbacks_failed).sum();
    assert!(failed > 100, "{failed}");
}
