//! `[queue.callback]`: the offer parsed into the model, and its bad input.

use super::tests::*;

#[test]
fn an_offer_is_read_with_its_defaults() {
    let m = ok(&with_queue(
        "\n[queue.callback]\noffer_above = \"2m\"\naccept = 0.4",
    ));
    let c = m.queues[0].callback.as_ref().expect("an offer");
    assert_eq!((c.offer_above_s, c.accept), (120.0, 0.4));
    assert_eq!((c.answer, c.retries, c.retry_after_s), (1.0, 2, 600.0));
    let m = ok(&with_queue(
        "\n[queue.callback]\noffer_above = \"0s\"\naccept = 1\nanswer = 0.8\nretries = 0\nretry_after = \"5m\"",
    ));
    let c = m.queues[0].callback.as_ref().expect("an offer");
    assert_eq!((c.answer, c.retries, c.retry_after_s), (0.8, 0, 300.0));
    assert!(ok(MINIMAL).queues[0].callback.is_none());
}

#[test]
fn probabilities_outside_0_1_are_errors_at_the_value() {
    let e = err(&with_queue(
        "\n[queue.callback]\noffer_above = \"2m\"\naccept = 1.5",
    ));
    assert_at(&e, 18, 10, "queue[0].callback.accept");
    assert_says(&e, "a probability must be between 0 and 1 (got 1.5)");
    let e = err(&with_queue(
        "\n[queue.callback]\noffer_above = \"2m\"\naccept = 0.5\nanswer = -0.1",
    ));
    assert_at(&e, 19, 10, "queue[0].callback.answer");
}

#[test]
fn negative_durations_and_retries_are_errors() {
    let e = err(&with_queue(
        "\n[queue.callback]\noffer_above = \"-2m\"\naccept = 0.5",
    ));
    assert_at(&e, 17, 15, "queue[0].callback.offer_above");
    let e = err(&with_queue(
        "\n[queue.callback]\noffer_above = \"2m\"\naccept = 0.5\nretry_after = \"-1m\"",
    ));
    assert_at(&e, 19, 15, "queue[0].callback.retry_after");
    let e = err(&with_queue(
        "\n[queue.callback]\noffer_above = \"2m\"\naccept = 0.5\nretries = -1",
    ));
    assert_at(&e, 19, 11, "queue[0].callback.retries");
}

#[test]
fn an_offer_on_a_queue_that_never_opens_in_the_horizon_is_an_error() {
    // A 2-day horizon starting on a Monday; the queue opens on Saturdays only.
    let text = edit(
        &with_queue(
            "hours = \"08:00-18:00\"\nweekdays = [\"sat\"]\n\n[queue.callback]\noffer_above = \"2m\"\naccept = 0.5",
        ),
        "days = 30",
        "days = 2",
    );
    let e = err(&text);
    assert_at(&e, 18, 1, "queue[0].callback");
    assert_says(&e, "never opens in the horizon");
    // Over a week it opens: fine.
    assert!(
        ok(&with_queue(
            "hours = \"08:00-18:00\"\nweekdays = [\"sat\"]\n\n[queue.callback]\noffer_above = \"2m\"\naccept = 0.5",
        ))
        .queues[0]
            .callback
            .is_some()
    );
}
