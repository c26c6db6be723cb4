//! Arrival sources beyond the base profile: interval forecasts and replayed logs (CSV files next
//! to the scenario), surges and redials. Errors in a CSV file name that file, its line and the
//! column; errors in the scenario name line, column and field as everywhere else.

use std::path::{Path, PathBuf};

use super::tests::{FILE, MINIMAL, WITH_IVR, assert_at, assert_says, edit, err, ok};
use super::{Model, NodeId, QueueId, ScenarioError, SurgeSize, parse};
use crate::arrivals::Entry;
use crate::time::{DAY, parse_timestamp};

/// WITH_IVR (queues `cards` 3m and `loans` 5m, 30m interval, 7 days) with `extra` in place of
/// its `calls_per_hour = 100` (line 6).
pub(super) fn ivr_with(extra: &str) -> String {
    edit(WITH_IVR, "calls_per_hour = 100", extra)
}

const FORECAST: &str = "[[arrivals.forecast]]\nfile = \"data/forecast-example.csv\"";

/// Writes `csv` as `data.csv` next to a scenario in a fresh folder and parses `scenario` there.
pub(super) fn with_csv(
    scenario: &str,
    csv: &str,
) -> (tempfile::TempDir, Result<Model, ScenarioError>) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("data.csv"), csv).expect("write csv");
    let path = dir.path().join("s.toml");
    let r = parse(scenario, &path);
    (dir, r)
}

/// Asserts that the error is in the temp folder's `data.csv` at this line, column and column
/// name.
pub(super) fn assert_in_csv(
    r: &Result<Model, ScenarioError>,
    line: usize,
    column: usize,
    field: &str,
) {
    let Err(e) = r else {
        panic!("expected an error in data.csv");
    };
    let p = e.position.as_ref().expect("a position");
    assert!(e.file.ends_with("data.csv"), "file: {}", e.file.display());
    assert_eq!(
        (p.line, p.column, e.field.as_str()),
        (line, column, field),
        "{e}"
    );
}

pub(super) fn csv_message(r: &Result<Model, ScenarioError>) -> String {
    r.as_ref().err().map(|e| e.to_string()).unwrap_or_default()
}

// ------------------------------------------------------------------ forecasts

#[test]
fn bundled_forecast_becomes_one_profile_per_queue_from_the_first_rows_monday() {
    let m = ok(&ivr_with(&format!("calls_per_hour = 100\n\n{FORECAST}")));
    let f = &m.extras.forecasts;
    assert_eq!(f.len(), 2);
    // Tuesday 09:00 is interval 48 + 18 = 66 of the week.
    let cards = f.iter().find(|f| f.queue == QueueId(0)).expect("cards");
    assert_eq!(cards.profile.segment_s, 1800.0);
    assert_eq!(cards.profile.rate_per_s.len(), 69);
    assert_eq!(cards.profile.rate_per_s[65], 0.0);
    assert_eq!(
        cards.profile.rate_per_s[66..],
        [120.0 / 1800.0, 150.0 / 1800.0, 0.1]
    );
    // aht 4m30s and 270 s against a 3m handle time; no aht = the queue's own mean.
    assert_eq!(cards.handle_scale[66..], [1.5, 1.5, 1.0]);
    assert_eq!(cards.handle_scale[0], 1.0);
    let loans = f.iter().find(|f| f.queue == QueueId(1)).expect("loans");
    assert_eq!(
        loans.profile.rate_per_s[67], 0.0,
        "a missing interval has no calls"
    );
    assert!((loans.handle_scale[66] - 1.4).abs() < 1e-12);
}

#[test]
fn with_a_forecast_the_volume_keys_may_be_left_out() {
    let m = ok(&ivr_with(FORECAST));
    assert!(m.arrivals.rate_per_s.iter().all(|&r| r == 0.0));
    assert_eq!(m.extras.forecasts.len(), 2);
}

#[test]
fn a_forecast_without_aht_column_has_no_handle_scale() {
    let (_d, r) = with_csv(
        &ivr_with("[[arrivals.forecast]]\nfile = \"data.csv\""),
        "interval_start,queue,volume\n2026-11-23 00:30,loans,5\n",
    );
    let m = r.expect("valid");
    assert!(m.extras.forecasts[0].handle_scale.is_empty());
    assert_eq!(
        m.extras.forecasts[0].profile.rate_per_s,
        [0.0, 5.0 / 1800.0]
    );
}

pub(super) const CSV_SCENARIO: &str = "[[arrivals.forecast]]\nfile = \"data.csv\"";

#[test]
fn a_bad_forecast_volume_names_the_csv_line_and_column() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume,aht\n2026-11-24 09:00,cards,12,\n2026-11-24 09:30,cards,-3,\n",
    );
    assert_in_csv(&r, 3, 24, "volume");
    assert!(csv_message(&r).contains("between 0 and"));
}

#[test]
fn a_forecast_row_for_an_unknown_queue_is_rejected() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume\n2026-11-24 09:00,card,12\n",
    );
    assert_in_csv(&r, 2, 18, "queue");
    assert!(csv_message(&r).contains("queues are `cards`, `loans`"));
}

#[test]
fn a_forecast_interval_off_the_statistics_grid_is_rejected() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume\n2026-11-24 09:10,cards,12\n",
    );
    assert_in_csv(&r, 2, 1, "interval_start");
    assert!(csv_message(&r).contains("does not start a statistics interval (30m)"));
}

#[test]
fn a_forecast_row_before_the_first_rows_week_is_rejected() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume\n2026-11-24 09:00,cards,12\n2026-11-22 09:00,cards,12\n",
    );
    assert_in_csv(&r, 3, 1, "interval_start");
}

#[test]
fn two_forecast_rows_for_the_same_queue_and_interval_are_rejected() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume\n2026-11-24 09:00,cards,12\n2026-11-24 09:00,cards,13\n",
    );
    assert_in_csv(&r, 3, 1, "interval_start");
    assert!(csv_message(&r).contains("the first is on line 2"));
}

#[test]
fn a_bad_forecast_aht_is_rejected() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume,aht\n2026-11-24 09:00,cards,12,soon\n",
    );
    assert_in_csv(&r, 2, 27, "aht");
}

#[test]
fn a_forecast_without_a_volume_column_is_rejected_at_the_header() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,calls\n2026-11-24 09:00,cards,12\n",
    );
    assert_in_csv(&r, 1, 1, "");
    assert!(csv_message(&r).contains("no `volume` column"));
}

#[test]
fn a_missing_forecast_file_points_at_the_file_key() {
    let e = err(&ivr_with(
        "calls_per_hour = 100\n\n[[arrivals.forecast]]\nfile = \"data/nope.csv\"",
    ));
    assert_at(&e, 9, 8, "arrivals.forecast[0].file");
    assert_says(&e, "cannot read `scenarios/data/nope.csv`");
}

// ------------------------------------------------------------------ replay

const REPLAY: &str = "replay = \"data/replay-example.csv\"";

#[test]
fn bundled_replay_is_validated_and_placed_from_its_first_weeks_monday() {
    let m = ok(&ivr_with(REPLAY));
    let r = m.extras.replay.as_ref().expect("a replay");
    assert_eq!(r.path, Path::new("scenarios/data/replay-example.csv"));
    assert!(r.replace_generated);
    let first = parse_timestamp("2026-11-24 10:00:05").expect("time");
    assert_eq!(first + r.offset_s, DAY + 10.0 * 3600.0 + 5.0);
    assert!(m.arrivals.rate_per_s.iter().all(|&r| r == 0.0));
}

#[test]
fn replay_mode_add_keeps_the_generated_calls() {
    let m = ok(&ivr_with(&format!(
        "calls_per_hour = 100\n{REPLAY}\nreplay_mode = \"add\""
    )));
    assert!(
        !m.extras
            .replay
            .as_ref()
            .expect("a replay")
            .replace_generated
    );
}

#[test]
fn unknown_replay_mode_is_rejected() {
    let e = err(&ivr_with(&format!("{REPLAY}\nreplay_mode = \"merge\"")));
    assert_at(&e, 7, 15, "arrivals.replay_mode");
}

#[test]
fn replay_mode_without_replay_is_rejected() {
    let e = err(&ivr_with("calls_per_hour = 100\nreplay_mode = \"add\""));
    assert_at(&e, 7, 15, "arrivals.replay_mode");
}

#[test]
fn a_numeric_replay_log_starts_at_time_zero() {
    let (_d, r) = with_csv(
        &ivr_with("replay = \"data.csv\""),
        "arrived_at\n0.5\n10\n10\n",
    );
    let m = r.expect("valid");
    assert_eq!(m.extras.replay.as_ref().map(|r| r.offset_s), Some(0.0));
    assert_eq!(
        m.extras
            .replay
            .as_ref()
            .map(|r| r.path.file_name().map(PathBuf::from)),
        Some(Some(PathBuf::from("data.csv")))
    );
}

#[test]
fn a_replay_log_going_back_in_time_is_rejected_at_that_row() {
    let (_d, r) = with_csv(
        &ivr_with("replay = \"data.csv\""),
        "queue,arrived_at\ncards,2026-11-24 10:00\nloans,2026-11-24 09:59\n",
    );
    assert_in_csv(&r, 3, 7, "arrived_at");
    assert!(csv_message(&r).contains("line 2"));
}

#[test]
fn a_replay_log_mixing_dates_and_seconds_is_rejected() {
    let (_d, r) = with_csv(
        &ivr_with("replay = \"data.csv\""),
        "arrived_at\n2026-11-24 10:00\n99999999999\n",
    );
    assert_in_csv(&r, 3, 1, "arrived_at");
    assert!(csv_message(&r).contains("write every `arrived_at` the same way"));
}

#[test]
fn a_replay_row_for_an_unknown_queue_names_the_column() {
    let (_d, r) = with_csv(
        &ivr_with("replay = \"data.csv\""),
        "arrived_at,queue\n10,cards\n20,mortgages\n",
    );
    assert_in_csv(&r, 3, 4, "queue");
}

#[test]
fn a_replay_log_without_arrived_at_is_rejected_at_the_header() {
    let (_d, r) = with_csv(&ivr_with("replay = \"data.csv\""), "time\n10\n");
    assert_in_csv(&r, 1, 1, "");
    assert!(csv_message(&r).contains("no `arrived_at` column"));
}

#[test]
fn an_empty_replay_log_is_rejected() {
    let (_d, r) = with_csv(&ivr_with("replay = \"data.csv\""), "arrived_at\n");
    assert!(csv_message(&r).contains("the call log has no rows"));
}

// ------------------------------------------------------------------ surges

/// WITH_IVR plus one `[[surge]]` with these lines (the table header is line 40).
fn surge(lines: &str) -> String {
    format!("{WITH_IVR}\n[[surge]]\nname = \"card network outage\"\n{lines}\n")
}

#[test]
fn a_surge_is_placed_on_its_day_and_aimed_at_its_queue() {
    let m = ok(&surge(
        "day = 2\nat = \"10:00\"\nduration = \"2h\"\nramp = \"10m\"\nhalf_life = \"30m\"\npeak_multiplier = 4.0\nqueue = \"cards\"",
    ));
    let s = &m.extras.surges[0];
    assert_eq!(s.name, "card network outage");
    assert_eq!(
        (s.start_s, s.duration_s, s.ramp_s, s.half_life_s),
        (DAY + 36_000.0, 7200.0, 600.0, 1800.0)
    );
    assert_eq!(s.size, SurgeSize::PeakMultiplier(4.0));
    assert_eq!(s.entry, Entry::Queue(QueueId(0)));
}

#[test]
fn a_surge_without_ramp_half_life_or_target_takes_the_defaults() {
    let m = ok(&surge(
        "day = 1\nat = \"00:00\"\nduration = \"10m\"\nextra_calls = 3000",
    ));
    let s = &m.extras.surges[0];
    assert_eq!((s.start_s, s.ramp_s), (0.0, 0.0));
    assert!(s.half_life_s.is_infinite());
    assert_eq!(s.size, SurgeSize::ExtraCalls(3000.0));
    assert_eq!(s.entry, Entry::Default);
}

#[test]
fn a_surge_aimed_at_an_ivr_node_enters_there() {
    let m = ok(&surge(
        "day = 1\nat = \"09:00\"\nduration = \"1h\"\nextra_calls = 10\nivr_node = \"cards_menu\"",
    ));
    assert_eq!(m.extras.surges[0].entry, Entry::Node(NodeId(1)));
}

#[test]
fn a_surge_peak_multiplier_of_at_most_one_is_rejected() {
    let e = err(&surge(
        "day = 1\nat = \"09:00\"\nduration = \"1h\"\npeak_multiplier = 1",
    ));
    assert_at(&e, 45, 19, "surge[0].peak_multiplier");
}

#[test]
fn a_surge_with_both_sizes_is_rejected() {
    let e = err(&surge(
        "day = 1\nat = \"09:00\"\nduration = \"1h\"\npeak_multiplier = 2\nextra_calls = 5",
    ));
    assert_at(&e, 46, 15, "surge[0].extra_calls");
}

#[test]
fn a_surge_without_a_size_is_rejected_at_its_name() {
    let e = err(&surge("day = 1\nat = \"09:00\"\nduration = \"1h\""));
    assert_at(&e, 41, 8, "surge[0]");
}

#[test]
fn a_surge_with_queue_and_ivr_node_is_rejected() {
    let e = err(&surge(
        "day = 1\nat = \"09:00\"\nduration = \"1h\"\nextra_calls = 5\nqueue = \"cards\"\nivr_node = \"main\"",
    ));
    assert_at(&e, 47, 12, "surge[0].ivr_node");
}

#[test]
fn a_surge_after_the_horizon_is_rejected() {
    let e = err(&surge(
        "day = 8\nat = \"09:00\"\nduration = \"1h\"\nextra_calls = 5",
    ));
    assert_at(&e, 42, 7, "surge[0].day");
    assert_says(&e, "1 ..= 7");
}

#[test]
fn a_surge_at_an_unknown_node_lists_the_nodes() {
    let e = err(&surge(
        "day = 1\nat = \"09:00\"\nduration = \"1h\"\nextra_calls = 5\nivr_node = \"other\"",
    ));
    assert_at(&e, 46, 12, "surge[0].ivr_node");
    assert_says(&e, "nodes are `main`, `cards_menu`");
}

#[test]
fn a_surge_at_a_node_without_an_ivr_is_rejected() {
    let e = err(&format!(
        "{MINIMAL}\n[[surge]]\nname = \"x\"\nday = 1\nat = \"09:00\"\nduration = \"1h\"\nextra_calls = 5\nivr_node = \"main\"\n"
    ));
    assert_at(&e, 27, 12, "surge[0].ivr_node");
    assert_says(&e, "no [ivr]");
}

#[test]
fn a_surge_ramp_longer_than_its_duration_is_rejected() {
    let e = err(&surge(
        "day = 1\nat = \"09:00\"\nduration = \"1h\"\nramp = \"2h\"\nextra_calls = 5",
    ));
    assert_at(&e, 45, 8, "surge[0].ramp");
}

#[test]
fn a_surge_bad_clock_time_is_rejected() {
    let e = err(&surge(
        "day = 1\nat = \"9h\"\nduration = \"1h\"\nextra_calls = 5",
    ));
    assert_at(&e, 43, 6, "surge[0].at");
}

#[test]
fn a_peak_multiplier_without_a_base_profile_is_rejected() {
    let text = format!(
        "{}\n[[surge]]\nname = \"x\"\nday = 1\nat = \"09:00\"\nduration = \"1h\"\npeak_multiplier = 3\n",
        ivr_with(FORECAST)
    );
    let e = err(&text);
    assert_says(&e, "give `extra_calls` instead");
}

#[test]
fn surge_names_must_be_unique() {
    let text = format!(
        "{}\n[[surge]]\nname = \"card network outage\"\nday = 1\nat = \"10:00\"\nduration = \"1h\"\nextra_calls = 5\n",
        surge("day = 1\nat = \"09:00\"\nduration = \"1h\"\nextra_calls = 5")
    );
    let e = err(&text);
    assert_at(&e, 48, 8, "surge[1].name");
}

// ------------------------------------------------------------------ redials

#[test]
fn redials_are_stored_with_their_delay_distribution() {
    let m = ok(&format!(
        "{MINIMAL}\n[redial]\nprobability = 0.6\ndelay = {{ dist = \"exponential\", mean = \"10m\" }}\nmax_attempts = 3\n"
    ));
    let r = m.extras.redial.as_ref().expect("redials");
    assert_eq!((r.probability, r.max_attempts), (0.6, 3));
    assert_eq!(r.delay.mean(), 600.0);
    assert!(ok(MINIMAL).extras.redial.is_none());
}

#[test]
fn redial_values_out_of_range_are_rejected() {
    let base =
        format!("{MINIMAL}\n[redial]\nprobability = 0.6\ndelay = \"5m\"\nmax_attempts = 3\n");
    for (from, to, line, col, field) in [
        (
            "probability = 0.6",
            "probability = 0",
            22,
            15,
            "redial.probability",
        ),
        (
            "probability = 0.6",
            "probability = 1.5",
            22,
            15,
            "redial.probability",
        ),
        (
            "max_attempts = 3",
            "max_attempts = 1",
            24,
            16,
            "redial.max_attempts",
        ),
        (
            "max_attempts = 3",
            "max_attempts = 101",
            24,
            16,
            "redial.max_attempts",
        ),
        ("delay = \"5m\"", "delay = \"0s\"", 23, 9, "redial.delay"),
    ] {
        let e = err(&edit(&base, from, to));
        assert_at(&e, line, col, field);
    }
}

#[test]
fn describe_lists_the_arrivals_beyond_the_base_profile() {
    let text = super::describe(&ok(&format!(
        "{}\n[redial]\nprobability = 0.5\ndelay = \"15m\"\nmax_attempts = 3\n",
        surge("day = 2\nat = \"10:00\"\nduration = \"2h\"\nextra_calls = 300\nqueue = \"cards\"")
    )));
    assert!(text.contains("surge          card network outage: d2 Tue 10:00 for 2h, 300 extra calls on queue cards: +300 expected calls"), "{text}");
    assert!(
        text.contains("redials        50% of abandoning callers"),
        "{text}"
    );
    assert!(!super::describe(&ok(WITH_IVR)).contains("beyond the base profile"));
}

// ------------------------------------------------------------------ robustness

#[test]
fn truncated_and_mangled_arrival_keys_never_panic() {
    let arrival_keys = format!(
        "{WITH_IVR}{}",
        r#"
[[surge]]
name = "outage"
day = 1
at = "00:30"      # the base profile has calls 00:00-02:00 only
duration = "2h"
ramp = "5m"
half_life = "30m"
peak_multiplier = 4.0
ivr_node = "cards_menu"

[redial]
probability = 0.5
delay = "15m"
max_attempts = 3
"#
    )
    .replace(
        "calls_per_hour = 100",
        r#"calls_per_day = { mon = 1, tue = 2, wed = 3, thu = 4, fri = 5, sat = 6, sun = 7 }
interval_share = [0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
day_cv = 0.1
replay = "data/replay-example.csv"
replay_mode = "add"

[[arrivals.forecast]]
file = "data/forecast-example.csv"

[arrivals.night]
window = "01:00-02:00"
share = 0.3

[[arrivals.special_day]]
days = [2, 3]
calls_per_interval = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]"#,
    );
    ok(&arrival_keys);
    for (i, _) in arrival_keys.char_indices() {
        let _ = parse(&arrival_keys[..i], Path::new(FILE));
        let mut mangled = arrival_keys.clone();
        mangled.insert(i, 'é');
        let _ = parse(&mangled, Path::new(FILE));
    }
}
