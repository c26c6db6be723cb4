//! Opening hours of queues: `hours`, `weekdays`, `[queue.closed]` and special days'
//! `closed_queues`, parsed into the model's weekly open table, and their bad input.

use super::tests::*;

#[test]
fn weekday_hours_open_the_queue_in_those_intervals_only() {
    let m = ok(&with_queue(
        "hours = \"08:00-18:00\"\nweekdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\n\n[queue.closed]\nmessage = \"20s\"\nself_service = 0.3\nhang_up = 0.7",
    ));
    let h = m.queues[0].hours.as_ref().expect("opening hours");
    // 30-minute intervals: 48 a day, Monday first.
    assert_eq!(h.open.len(), 7 * 48);
    assert!(!h.open[15] && h.open[16] && h.open[35] && !h.open[36]);
    assert!(h.open[4 * 48 + 16] && !h.open[5 * 48 + 16] && !h.open[6 * 48 + 20]);
    assert_eq!(h.open.iter().filter(|&&o| o).count(), 5 * 20);
    assert_eq!((h.message_s, h.self_service), (20.0, 0.3));
    assert!(h.closed_days.is_empty());
}

#[test]
fn hours_follow_the_real_weekday_of_a_dated_horizon() {
    // 2026-12-02 is a Wednesday: day 1 of the horizon, index 0 of the table.
    let text = edit(
        &with_queue("hours = \"08:00-18:00\"\nweekdays = [\"mon\"]"),
        "seed = 7",
        "seed = 7\nstart = 2026-12-02",
    );
    let h = ok(&text).queues[0].hours.clone().expect("opening hours");
    assert!(!h.open[16], "Wednesday is closed");
    assert!(h.open[5 * 48 + 16], "Monday is day 6 of the horizon");
}

#[test]
fn a_night_window_crosses_midnight_and_24_7_is_always_open() {
    let h = ok(&with_queue("hours = \"22:00-06:00\"\nweekdays = [\"sun\"]")).queues[0]
        .hours
        .clone()
        .unwrap();
    assert!(h.open[6 * 48 + 44] && h.open[11] && !h.open[12] && !h.open[44]);
    let h = ok(&with_queue("hours = \"24/7\"")).queues[0]
        .hours
        .clone()
        .unwrap();
    assert!(h.open.iter().all(|&o| o));
    assert_eq!(
        h.self_service, 0.0,
        "without [queue.closed] everybody hangs up"
    );
}

#[test]
fn a_queue_without_hours_has_none_and_costs_nothing() {
    assert!(ok(MINIMAL).queues[0].hours.is_none());
}

#[test]
fn a_special_day_closes_the_queues_it_names_without_changing_the_volume() {
    let text = format!(
        "{}\n[[arrivals.special_day]]\nname = \"strike\"\ndays = [3, 10]\nclosed_queues = [\"general\"]\n",
        MINIMAL
    );
    let m = ok(&text);
    let h = m.queues[0].hours.as_ref().expect("closed on special days");
    assert_eq!(h.closed_days, vec![2, 9]);
    assert!(h.open.iter().all(|&o| o));
    assert!(h.is_open(47, 48) && !h.is_open(2 * 48, 48) && h.is_open(3 * 48, 48));
    assert_eq!(
        m.arrivals.rate_per_s,
        ok(MINIMAL).arrivals.rate_per_s[..1].repeat(m.arrivals.rate_per_s.len())
    );
}

#[test]
fn a_share_above_1_is_an_error_at_the_share() {
    let e = err(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\nself_service = 1.5",
    ));
    assert_at(&e, 18, 16, "queue[0].closed.self_service");
    assert_says(&e, "a share must be between 0 and 1 (got 1.5)");
}

#[test]
fn shares_that_do_not_sum_to_1_are_an_error_stating_the_sum() {
    let e = err(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\nself_service = 0.5\nhang_up = 0.4",
    ));
    assert_at(&e, 19, 11, "queue[0].closed.hang_up");
    assert_says(&e, "sum to 0.9; they must sum to 1");
}

#[test]
fn a_callback_share_is_read_and_the_rest_hang_up() {
    let m = ok(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\nself_service = 0.3\ncallback = 0.5",
    ));
    let h = m.queues[0].hours.as_ref().unwrap();
    assert_eq!((h.self_service, h.callback), (0.3, 0.5));
    // `hang_up` alone with `callback`: self-service is the rest.
    let m = ok(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\nhang_up = 0.25\ncallback = 0.5",
    ));
    let h = m.queues[0].hours.as_ref().unwrap();
    assert_eq!((h.self_service, h.callback), (0.25, 0.5));
    // Without `callback`: 0.
    let m = ok(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\nself_service = 0.3",
    ));
    assert_eq!(m.queues[0].hours.as_ref().unwrap().callback, 0.0);
}

#[test]
fn a_callback_share_above_1_is_an_error_at_the_share() {
    let e = err(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\ncallback = 1.2",
    ));
    assert_at(&e, 18, 12, "queue[0].closed.callback");
    assert_says(&e, "a share must be between 0 and 1 (got 1.2)");
}

#[test]
fn self_service_and_callback_above_1_together_are_an_error_at_the_callback_share() {
    let e = err(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\nself_service = 0.8\ncallback = 0.3",
    ));
    assert_at(&e, 19, 12, "queue[0].closed.callback");
    assert_says(&e, "sum to 1.1");
    let e = err(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\nhang_up = 0.8\ncallback = 0.3",
    ));
    assert_at(&e, 19, 12, "queue[0].closed.callback");
    let e = err(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\nself_service = 0.3\nhang_up = 0.3\ncallback = 0.3",
    ));
    assert_at(&e, 19, 11, "queue[0].closed.hang_up");
    assert_says(
        &e,
        "`self_service`, `hang_up` and `callback` sum to 0.9; they must sum to 1",
    );
}

#[test]
fn a_callback_share_on_a_queue_that_never_opens_in_the_horizon_is_an_error() {
    // A 2-day horizon starting on a Monday; the queue opens on Saturdays only.
    let text = edit(
        &with_queue(
            "hours = \"08:00-18:00\"\nweekdays = [\"sat\"]\n\n[queue.closed]\ncallback = 0.5",
        ),
        "days = 30",
        "days = 2",
    );
    let e = err(&text);
    assert_at(&e, 19, 12, "queue[0].closed.callback");
    assert_says(&e, "never opens in the horizon");
    // A zero share there is fine (nobody is promised a callback).
    let text = edit(&text, "callback = 0.5", "callback = 0");
    assert_eq!(ok(&text).queues[0].hours.as_ref().unwrap().callback, 0.0);
}

#[test]
fn hours_off_the_interval_grid_or_empty_are_errors() {
    let e = err(&with_queue("hours = \"08:10-18:00\""));
    assert_at(&e, 15, 9, "queue[0].hours");
    assert_says(&e, "08:10 is not on a statistics-interval boundary");
    let e = err(&with_queue("hours = \"24/7\"\nweekdays = [\"mon\"]"));
    assert_at(&e, 16, 12, "queue[0].weekdays");
    let e = err(&with_queue("weekdays = []"));
    assert_at(&e, 15, 12, "queue[0].weekdays");
    assert_says(&e, "must name at least one day");
}

#[test]
fn closed_queues_must_name_known_queues() {
    let text = format!(
        "{}\n[[arrivals.special_day]]\nday = 3\nclosed_queues = [\"genral\"]\n",
        MINIMAL
    );
    let e = err(&text);
    assert_at(&e, 23, 18, "arrivals.special_day[0].closed_queues[0]");
    assert_says(&e, "unknown queue `genral`; queues are `general`");
}

#[test]
fn a_queue_closed_on_every_day_is_an_error() {
    let text = format!(
        "{}\n[[arrivals.special_day]]\ndays = [1, 2]\nclosed_queues = [\"general\"]\n",
        edit(MINIMAL, "days = 30", "days = 2")
    );
    let e = err(&text);
    assert_at(&e, 11, 8, "queue[0].name");
    assert_says(&e, "closed on every day of the horizon");
}

#[test]
fn check_describes_the_opening_hours_and_the_closed_message() {
    let m = ok(&with_queue(
        "hours = \"08:00-18:00\"\nweekdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\n\n[queue.closed]\nmessage = \"20s\"\nself_service = 0.3",
    ));
    let text = crate::scenario::describe(&m);
    assert!(
        text.contains(
            "  open           50 h a week; closed: 20s message, then 30% self-service, the rest hang up"
        ),
        "{text}"
    );
    assert!(!crate::scenario::describe(&ok(MINIMAL)).contains("  open "));
}

#[test]
fn closed_waiting_is_finish_by_default_and_disconnect_when_asked() {
    let h = |waiting: &str| {
        ok(&with_queue(&format!(
            "hours = \"08:00-18:00\"\n\n[queue.closed]\n{waiting}"
        )))
        .queues[0]
            .hours
            .clone()
            .expect("opening hours")
            .disconnect_waiting
    };
    assert!(!h(""));
    assert!(!h("waiting = \"finish\""));
    assert!(h("waiting = \"disconnect\""));
}

#[test]
fn unknown_closed_waiting_is_refused_at_its_value() {
    let e = err(&with_queue(
        "hours = \"08:00-18:00\"\n\n[queue.closed]\nwaiting = \"voicemail\"",
    ));
    assert_at(&e, 18, 11, "queue[0].closed.waiting");
    assert_says(&e, "\"finish\"");
}
