//! `scenarios/multi-skill.toml` runs under every named policy, conserves calls in every
//! interval, and the policies do what they say on the same callers.

use hotline::engine::simulate;
use hotline::routing::Policy;
use hotline::stats::SummaryRow;

fn model(policy: &str) -> hotline::scenario::Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/multi-skill.toml");
    let mut m = hotline::scenario::load(&path).expect("the bundled scenario loads");
    m.policy = Policy::parse(policy).unwrap();
    m
}

fn row<'a>(rows: &'a [SummaryRow], queue: &str) -> &'a SummaryRow {
    rows.iter()
        .find(|r| r.queue == queue)
        .expect("a row per queue")
}

#[test]
fn runs_under_every_policy_and_conserves_calls() {
    for &p in hotline::routing::policy::SHOWCASE {
        let mut stats = simulate(&model(p), 0);
        let (rows, _) = stats.drain_rows();
        for r in rows.filter(|r| r.queue == "all") {
            assert_eq!(
                r.offered + r.transferred_in,
                r.self_served
                    + r.hung_up_ivr
                    + r.blocked
                    + r.answered
                    + r.abandoned
                    + r.closed
                    + r.callbacks_failed
                    + r.in_system_at_end,
                "{p}: {}",
                r.interval_start
            );
        }
        let summary = stats.summary();
        let all = row(&summary, "all");
        // The scenario exercises what it models: closed queues at night, blocked calls on a
        // busy Monday morning, a 24/7 line.
        assert!(all.closed > 0 && all.answered > 0, "{p}");
        assert!(row(&summary, "card_blocking").closed == 0, "{p}: 24/7");
    }
}

#[test]
fn priority_serves_new_customers_faster_on_the_same_callers() {
    let fifo = simulate(&model("overflow"), 0).class_summary().unwrap();
    let prio = simulate(&model("priority+overflow"), 0)
        .class_summary()
        .unwrap();
    let asa = |rows: &[hotline::stats::classes::ClassRow], q: &str, c: &str| {
        rows.iter()
            .find(|r| r.queue == q && r.class == c)
            .and_then(|r| r.asa_s)
            .unwrap()
    };
    for q in ["cards", "loans"] {
        // Without priorities the classes wait alike (same line); with them new customers wait
        // clearly less than existing ones.
        let (new_f, old_f) = (asa(&fifo, q, "new_customer"), asa(&fifo, q, "existing"));
        let (new_p, old_p) = (asa(&prio, q, "new_customer"), asa(&prio, q, "existing"));
        assert!(new_p < 0.75 * old_p, "{q}: priority {new_p} vs {old_p}");
        assert!(
            old_f - new_f < old_p - new_p,
            "{q}: the classes' gap grows with priority"
        );
        assert!(
            new_p < new_f,
            "{q}: new customers {new_p} (priority) vs {new_f} (fifo)"
        );
    }
}

#[test]
fn overflow_keeps_the_frontline_on_its_own_line_first() {
    // Under fifo the frontline takes topic calls at once, so deposits (its own line) wait
    // longer than under overflow, where topic calls reach it only after 40 s.
    let fifo = simulate(&model("fifo"), 0).summary();
    let over = simulate(&model("overflow"), 0).summary();
    let (f, o) = (row(&fifo, "deposits"), row(&over, "deposits"));
    assert!(
        o.asa_s.unwrap() < f.asa_s.unwrap(),
        "{:?} vs {:?}",
        o.asa_s,
        f.asa_s
    );
    assert!(row(&over, "cards").asa_s.unwrap() > row(&fifo, "cards").asa_s.unwrap());
}

#[test]
fn callbacks_run_only_under_their_policy_and_transfers_under_every_one() {
    let plain = simulate(&model("aging+overflow"), 0).summary();
    let with = simulate(&model("aging+overflow+callback"), 0).summary();
    let (p, w) = (row(&plain, "loans"), row(&with, "loans"));
    assert_eq!(p.callbacks_offered, 0);
    assert!(w.callbacks_accepted > 0 && w.callbacks_completed > 0);
    // Callers who accept a callback never abandon: loans abandons less with callbacks.
    assert!(
        w.abandoned < p.abandoned,
        "{} vs {}",
        w.abandoned,
        p.abandoned
    );
    for s in [&plain, &with] {
        assert!(row(s, "deposits").transferred_out > 0);
        assert_eq!(
            row(s, "deposits").transferred_out,
            row(s, "loans").transferred_in + row(s, "cards").transferred_in
        );
    }
}
