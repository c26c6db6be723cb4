//! Calendar dates (`[scenario] start`): the weekly profile and the headcounts follow the real
//! weekday of each date, special days and surges may be given by date, forecast and replay
//! timestamps are real calendar dates (an impossible date is an error naming the month's
//! length) placed on the scenario's calendar.

use super::tests::{MINIMAL, assert_at, assert_says, edit, err, ok};
use super::tests_sources::{CSV_SCENARIO, assert_in_csv, csv_message, ivr_with, with_csv};
use crate::time::{DAY, parse_date, parse_timestamp};

/// MINIMAL (30 days, 30m intervals) starting on `date` (line 6).
fn starting(date: &str) -> String {
    edit(MINIMAL, "seed = 7", &format!("seed = 7\nstart = {date}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn start_takes_a_toml_date_or_a_string() {
    let literal = ok(&starting("2026-11-30"));
    let string = ok(&starting("\"2026-11-30\""));
    let want = parse_date("2026-11-30").ok();
    assert_eq!(literal.calendar.start(), want);
    assert_eq!(string.calendar.start(), want);
    assert_eq!(ok(MINIMAL).calendar.start(), None);
}

#[test]
fn an_impossible_start_date_names_the_months_length() {
    let e = err(&starting("\"2026-11-31\""));
    assert_at(&e, 6, 9, "scenario.start");
    assert_says(&e, "November 2026 has 30 days");
}

#[test]
fn the_weekly_profile_and_headcounts_follow_the_weekday_of_start() {
    // 2026-12-06 is a Sunday: the horizon's first day takes Sunday's factor and Sunday's
    // agents; Monday (day 2) has the Monday-only pool.
    let text = edit(
        &edit(
            MINIMAL,
            "calls_per_hour = 1000",
            "calls_per_hour = 1000\nweekday_factor = [1, 2, 3, 4, 5, 6, 7]",
        ),
        "agents = 55",
        "agents = 55\nweekdays = [\"mon\"]",
    );
    let undated = ok(&text);
    assert!(close(undated.arrivals.calls_per_weekday()[0], 24_000.0));
    assert_eq!(undated.pools[0].headcount[0], 55);
    let sunday = ok(&edit(&text, "seed = 7", "seed = 7\nstart = 2026-12-06"));
    assert!(close(
        sunday.arrivals.calls_per_weekday()[0],
        7.0 * 24_000.0
    ));
    assert!(close(sunday.arrivals.calls_per_weekday()[1], 24_000.0));
    let monday_first = sunday.calls_per_weekday();
    for (d, calls) in monday_first.iter().enumerate() {
        assert!(
            close(*calls, (d + 1) as f64 * 24_000.0),
            "weekday {d}: {calls}"
        );
    }
    assert_eq!(sunday.pools[0].headcount[0], 0, "Sunday has no agents");
    assert_eq!(
        sunday.pools[0].headcount[48], 55,
        "Monday 00:00 has the pool"
    );
}

#[test]
fn special_days_and_surges_can_be_given_by_date() {
    let text = edit(
        &starting("2026-11-30"),
        "calls_per_hour = 1000",
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\nname = \"Christmas Eve\"\ndate = 2026-12-24\nfactor = 0",
    );
    let text = format!(
        "{text}\n[[surge]]\nname = \"outage\"\ndate = \"2026-12-01\"\nat = \"10:00\"\nduration = \"1h\"\nextra_calls = 50\n"
    );
    let m = ok(&text);
    // Day 25 of the horizon (0-based 24) is empty, the days around it are not.
    let per_day = (DAY / m.arrivals.segment_s) as usize;
    let day = |d: usize| -> f64 {
        m.arrivals.rate_per_s[d * per_day..(d + 1) * per_day]
            .iter()
            .sum()
    };
    assert_eq!(day(24), 0.0);
    assert!(day(23) > 0.0 && day(25) > 0.0);
    assert_eq!(m.extras.surges[0].start_s, DAY + 10.0 * 3600.0);
}

#[test]
fn a_special_day_date_outside_the_horizon_is_an_error_at_the_date() {
    let e = err(&edit(
        &starting("2026-11-30"),
        "calls_per_hour = 1000",
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\ndate = 2027-01-05\nfactor = 0",
    ));
    assert_at(&e, 12, 8, "arrivals.special_day[0].date");
    assert_says(
        &e,
        "2027-01-05 is outside the horizon, 2026-11-30 to 2026-12-29",
    );
}

#[test]
fn a_date_without_start_says_to_set_start() {
    let e = err(&edit(
        MINIMAL,
        "calls_per_hour = 1000",
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\ndates = [2026-12-24]\nfactor = 0",
    ));
    assert_at(&e, 11, 10, "arrivals.special_day[0].dates[0]");
    assert_says(
        &e,
        "a date needs `start = <the date of day 1>` in [scenario]",
    );
}

#[test]
fn a_surge_with_both_day_and_date_is_rejected() {
    let text = format!(
        "{}\n[[surge]]\nname = \"outage\"\nday = 2\ndate = 2026-12-01\nat = \"10:00\"\nduration = \"1h\"\nextra_calls = 50\n",
        starting("2026-11-30")
    );
    assert_says(&err(&text), "give either `day` or `date`, not both");
}

// ------------------------------------------------------------------ forecast and replay dates

#[test]
fn an_impossible_forecast_date_is_an_error_not_a_dropped_row() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume\n2026-11-30 09:00,cards,12\n2026-11-31 09:00,cards,12\n",
    );
    assert_in_csv(&r, 3, 1, "interval_start");
    assert!(
        csv_message(&r).contains("`2026-11-31 09:00` is not a date: November 2026 has 30 days"),
        "{}",
        csv_message(&r)
    );
}

#[test]
fn february_the_30th_names_february() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume\n2026-02-30 09:00,cards,12\n",
    );
    assert_in_csv(&r, 2, 1, "interval_start");
    assert!(csv_message(&r).contains("February 2026 has 28 days"));
}

/// WITH_IVR (7 days, 30m) starting on Wednesday 2026-12-02, with `extra` as its arrivals.
fn dated_ivr(extra: &str) -> String {
    edit(&ivr_with(extra), "days = 7", "days = 7\nstart = 2026-12-02")
}

#[test]
fn with_start_forecast_rows_sit_on_the_calendar_and_rows_outside_are_counted() {
    let (_d, r) = with_csv(
        &dated_ivr(CSV_SCENARIO),
        "interval_start,queue,volume\n2026-12-01 09:00,cards,5\n2026-12-02 09:00,cards,18\n2026-12-09 09:00,cards,5\n",
    );
    let m = r.expect("valid");
    let cards = &m.extras.forecasts[0];
    assert_eq!(cards.profile.rate_per_s.len(), 19);
    assert_eq!(cards.profile.rate_per_s[18], 18.0 / 1800.0);
    assert_eq!(m.extras.notes.len(), 1);
    assert!(
        m.extras.notes[0].contains(
            "2 of 3 forecast rows are outside the horizon (2026-12-02 to 2026-12-08) and not used: 1 before its start, 1 after its end"
        ),
        "{}",
        m.extras.notes[0]
    );
}

#[test]
fn a_forecast_entirely_outside_the_horizon_is_an_error() {
    let (_d, r) = with_csv(
        &edit(&dated_ivr(CSV_SCENARIO), "2026-12-02", "2027-12-02"),
        "interval_start,queue,volume\n2026-12-02 09:00,cards,18\n",
    );
    let e = r.expect_err("an error");
    assert_eq!(e.field, "arrivals.forecast[0].file");
    assert_says(
        &e,
        "none of the forecast's 1 rows falls inside the horizon (2027-12-02 to 2027-12-08)",
    );
}

#[test]
fn rows_after_an_undated_horizon_are_counted_not_silently_dropped() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume\n2026-11-30 09:00,cards,5\n2026-12-07 09:00,cards,5\n",
    );
    let m = r.expect("valid");
    assert!(
        m.extras.notes[0].contains("1 of 2 forecast rows are outside the horizon (days 1 to 7)")
    );
}

#[test]
fn with_start_a_dated_log_is_placed_from_start() {
    let (_d, r) = with_csv(
        &dated_ivr("replay = \"data.csv\""),
        "arrived_at,queue\n2026-12-01 23:00,cards\n2026-12-02 10:00,cards\n",
    );
    let m = r.expect("valid");
    let offset = m.extras.replay.as_ref().expect("a replay").offset_s;
    let t = parse_timestamp("2026-12-02 10:00").expect("time");
    assert_eq!(t + offset, 10.0 * 3600.0);
    assert!(m.extras.notes[0].contains("1 of 2 logged calls are outside the horizon"));
}
