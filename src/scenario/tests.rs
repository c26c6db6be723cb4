//! Scenario parsing and validation, one behaviour per test. Error tests assert the exact line,
//! column and field path a planner would see.

use std::path::Path;

use super::*;
use crate::dist::Dist;

/// The minimal file of the format, exactly as documented (line numbers below depend on it).
pub(super) const MINIMAL: &str = r#"[scenario]
name = "validation"
days = 30            # horizon; the timeline starts on a Monday 00:00
interval = "30m"     # statistics interval: 15m, 30m or 60m
seed = 7

[arrivals]
calls_per_hour = 1000

[[queue]]
name = "general"
handle_time = { dist = "exponential", mean = "3m" }
patience = { dist = "exponential", mean = "5m" }   # optional: absent = callers never abandon
service_level_threshold = "20s"

[[pool]]
name = "agents"
serves = ["general"]
agents = 55
"#;

/// Two queues behind a two-level menu (line numbers below depend on it).
pub(super) const WITH_IVR: &str = r#"[scenario]
name = "ivr"
days = 7

[arrivals]
calls_per_hour = 100

[[queue]]
name = "cards"
handle_time = "3m"

[[queue]]
name = "loans"
handle_time = "5m"

[[pool]]
name = "all"
serves = ["cards", "loans"]
agents = 10

[ivr]
start = "main"

[[ivr.node]]
name = "main"
duration = "20s"
options = [
  { key = "1", p = 0.5, node = "cards_menu" },
  { key = "2", p = 0.3, queue = "loans" },
  { key = "9", p = 0.2, end = "hang_up" },
]

[[ivr.node]]
name = "cards_menu"
options = [
  { p = 0.6, queue = "cards" },
  { p = 0.4, end = "self_service" },
]
"#;

pub(super) const FILE: &str = "scenarios/x.toml";

pub(super) fn ok(text: &str) -> Model {
    match parse(text, Path::new(FILE)) {
        Ok(m) => m,
        Err(e) => panic!("expected a valid scenario, got:\n{e}"),
    }
}

pub(super) fn err(text: &str) -> ScenarioError {
    match parse(text, Path::new(FILE)) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

/// `base` with the one occurrence of `from` replaced by `to`.
pub(super) fn edit(base: &str, from: &str, to: &str) -> String {
    assert_eq!(base.matches(from).count(), 1, "`{from}` must occur once");
    base.replacen(from, to, 1)
}

/// Asserts position and field, and that the first line of the message reads that way.
pub(super) fn assert_at(e: &ScenarioError, line: usize, column: usize, field: &str) {
    let first = e.to_string().lines().next().unwrap_or_default().to_owned();
    let expected = format!("{FILE}:{line}:{column}: {field}: ");
    assert!(
        first.starts_with(&expected),
        "expected `{expected}...`, got:\n{e}"
    );
}

pub(super) fn assert_says(e: &ScenarioError, words: &str) {
    assert!(
        e.message.contains(words),
        "expected `{words}` in the message, got:\n{e}"
    );
}

// ------------------------------------------------------------------ valid files

#[test]
fn minimal_file_parses_to_the_expected_model() {
    let m = ok(MINIMAL);
    assert_eq!(m.name, "validation");
    assert_eq!(m.source, Path::new(FILE));
    assert_eq!((m.days, m.interval_s, m.seed), (30, 1800.0, 7));
    assert_eq!(
        m.arrivals.rate_per_s.len() as f64 * m.arrivals.segment_s,
        crate::time::WEEK
    );
    assert!(
        m.arrivals
            .rate_per_s
            .iter()
            .all(|&r| (r - 1000.0 / 3600.0).abs() < 1e-12)
    );
    assert_eq!(m.queues.len(), 1);
    let q = &m.queues[0];
    assert!(matches!(q.handle_time, Dist::Exponential { mean } if mean == 180.0));
    assert!(matches!(q.patience, Some(Dist::Exponential { mean }) if mean == 300.0));
    assert!(q.wrap_up.is_none());
    assert_eq!(q.sl_threshold_s, 20.0);
    assert_eq!(m.pools.len(), 1);
    assert_eq!(m.pools[0].serves, vec![QueueId(0)]);
    assert_eq!(m.pools[0].headcount, vec![55; 7 * 48]);
    assert!(m.ivr.is_none());
    assert_eq!(m.queue_arrival_shares(), vec![1.0]);
}

#[test]
fn optional_keys_take_their_documented_defaults() {
    let text = edit(
        MINIMAL,
        "interval = \"30m\"     # statistics interval: 15m, 30m or 60m\nseed = 7\n",
        "",
    );
    let text = edit(&text, "service_level_threshold = \"20s\"\n", "");
    let m = ok(&text);
    assert_eq!((m.interval_s, m.seed), (1800.0, 1));
    assert_eq!(m.queues[0].sl_threshold_s, 20.0);
}

#[test]
fn bundled_scenarios_parse() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for name in [
        "validation-mmc.toml",
        "bank-hotline.toml",
        "outage-spike.toml",
        "night-traffic.toml",
    ] {
        if let Err(e) = load(&dir.join(name)) {
            panic!("{name}:\n{e}");
        }
    }
}

#[test]
fn bundled_validation_scenario_is_the_minimal_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/validation-mmc.toml");
    let m = load(&path).expect("bundled scenario");
    assert_eq!(m.pools[0].headcount, ok(MINIMAL).pools[0].headcount);
    assert_eq!(m.arrivals.rate_per_s, ok(MINIMAL).arrivals.rate_per_s);
}

#[test]
fn bank_hotline_has_about_12000_calls_per_weekday_and_a_complete_ivr() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bank-hotline.toml");
    let m = load(&path).expect("bundled scenario");
    let per_day = m.arrivals.calls_per_weekday();
    assert!(
        (11_000.0..13_000.0).contains(&per_day[1]),
        "Tuesday: {}",
        per_day[1]
    );
    assert!(per_day[6] < per_day[5] && per_day[5] < per_day[0]);
    let ivr = m.ivr.as_ref().expect("an IVR");
    let s = ivr.outcome_shares(m.queues.len());
    let total = s.queue.iter().sum::<f64>() + s.self_service + s.hang_up;
    assert!((total - 1.0).abs() < 1e-9, "shares sum to {total}");
    assert!(s.self_service > 0.0 && s.hang_up > 0.0);
}

#[test]
fn durations_accept_text_and_plain_seconds() {
    let text = edit(MINIMAL, "mean = \"3m\"", "mean = 90.5");
    let text = edit(
        &text,
        "service_level_threshold = \"20s\"",
        "service_level_threshold = 15",
    );
    let m = ok(&text);
    assert_eq!(m.queues[0].handle_time.mean(), 90.5);
    assert_eq!(m.queues[0].sl_threshold_s, 15.0);
}

#[test]
fn a_plain_duration_means_deterministic() {
    let text = edit(
        MINIMAL,
        "handle_time = { dist = \"exponential\", mean = \"3m\" }",
        "handle_time = \"1h30m\"",
    );
    assert!(
        matches!(ok(&text).queues[0].handle_time, Dist::Deterministic { value } if value == 5400.0)
    );
}

#[test]
fn every_distribution_parses_with_its_own_keys() {
    let cases = [
        ("{ dist = \"deterministic\", value = \"2m\" }", 120.0),
        ("{ dist = \"lognormal\", mean = \"4m\", cv = 0.7 }", 240.0),
        ("{ dist = \"gamma\", mean = 60, cv = 1 }", 60.0),
        ("{ dist = \"uniform\", min = \"1m\", max = \"3m\" }", 120.0),
        (
            "{ dist = \"empirical\", values = [\"1m\", 120, \"3m\"] }",
            120.0,
        ),
    ];
    for (table, mean) in cases {
        let text = edit(MINIMAL, "{ dist = \"exponential\", mean = \"3m\" }", table);
        assert_eq!(ok(&text).queues[0].handle_time.mean(), mean, "{table}");
    }
}

#[test]
fn after_call_work_is_an_alias_of_wrap_up() {
    let text = edit(
        MINIMAL,
        "service_level_threshold",
        "after_call_work = \"30s\"\nservice_level_threshold",
    );
    assert_eq!(
        ok(&text).queues[0].wrap_up.as_ref().map(Dist::mean),
        Some(30.0)
    );
}

#[test]
fn half_hourly_volumes_become_a_weekly_rate_profile_with_weekday_factors() {
    let volumes: Vec<String> = (0..48)
        .map(|i| if i == 20 { "90".into() } else { "0".into() })
        .collect();
    let text = edit(
        MINIMAL,
        "calls_per_hour = 1000",
        &format!(
            "calls_per_interval = [{}]\nweekday_factor = {{ sat = 0.5, sun = 0 }}",
            volumes.join(", ")
        ),
    );
    let m = ok(&text);
    assert_eq!(
        (m.arrivals.segment_s, m.arrivals.rate_per_s.len()),
        (1800.0, 7 * 48)
    );
    assert_eq!(m.arrivals.rate_per_s[20], 90.0 / 1800.0);
    assert_eq!(
        m.arrivals.calls_per_weekday(),
        [90.0, 90.0, 90.0, 90.0, 90.0, 45.0, 0.0]
    );
}

#[test]
fn quarter_hourly_volumes_keep_their_own_segment_length() {
    let text = edit(
        MINIMAL,
        "calls_per_hour = 1000",
        &format!("calls_per_interval = [{}]", vec!["25"; 96].join(",")),
    );
    let m = ok(&text);
    assert_eq!(m.arrivals.segment_s, 900.0);
    assert!((m.rate_in_interval(0) - 100.0 / 3600.0).abs() < 1e-12);
}

#[test]
fn weekday_factor_list_scales_each_day() {
    let text = edit(
        MINIMAL,
        "calls_per_hour = 1000",
        "calls_per_hour = 1000\nweekday_factor = [1, 1, 1, 1, 2, 0.5, 0]",
    );
    let per_day = ok(&text).arrivals.calls_per_weekday();
    assert!(
        (per_day[4] - 48_000.0).abs() < 1e-6,
        "Friday: {}",
        per_day[4]
    );
    assert_eq!(per_day[6], 0.0);
}

#[test]
fn pool_hours_and_weekdays_staff_only_those_intervals() {
    let text = edit(
        MINIMAL,
        "agents = 55",
        "agents = 5\nhours = \"08:00-19:00\"\nweekdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
    );
    let h = ok(&text).pools[0].headcount.clone();
    assert_eq!(h.len(), 7 * 48);
    assert_eq!((h[15], h[16], h[37], h[38]), (0, 5, 5, 0));
    assert_eq!(h.iter().filter(|&&n| n == 5).count(), 5 * 22);
    assert!(h[5 * 48..].iter().all(|&n| n == 0), "weekend closed");
}

#[test]
fn a_night_shift_runs_past_midnight_into_the_next_day() {
    let text = edit(
        MINIMAL,
        "agents = 55",
        "agents = 3\nhours = \"22:00-06:00\"\nweekdays = [\"fri\", \"sun\"]",
    );
    let h = ok(&text).pools[0].headcount.clone();
    let at = |day: usize, half_hour: usize| h[day * 48 + half_hour];
    assert_eq!((at(4, 43), at(4, 44), at(5, 11), at(5, 12)), (0, 3, 3, 0));
    assert_eq!(
        (at(6, 44), at(0, 0), at(0, 11), at(0, 12)),
        (3, 3, 3, 0),
        "Sunday night wraps into Monday"
    );
    assert_eq!(h.iter().filter(|&&n| n == 3).count(), 2 * 16);
}

#[test]
fn hourly_agent_list_repeats_each_value_over_the_half_hours() {
    let list: Vec<String> = (0..24).map(|h| h.to_string()).collect();
    let text = edit(
        MINIMAL,
        "agents = 55",
        &format!("agents = [{}]", list.join(", ")),
    );
    let h = ok(&text).pools[0].headcount.clone();
    assert_eq!(&h[18..22], &[9, 9, 10, 10]);
    assert_eq!(h[48 + 47], 23);
}

#[test]
fn ivr_outcome_shares_follow_the_menu_tree() {
    let m = ok(WITH_IVR);
    let ivr = m.ivr.as_ref().expect("an IVR");
    let s = ivr.outcome_shares(2);
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(close(s.queue[0], 0.3) && close(s.queue[1], 0.3), "{s:?}");
    assert!(close(s.self_service, 0.2) && close(s.hang_up, 0.2), "{s:?}");
    assert!(close(ivr.mean_time_s(), 20.0));
    assert_eq!(m.queue_arrival_shares(), s.queue);
    assert_eq!(ivr.nodes[0].options[0].key, "1");
}

#[test]
fn ivr_probabilities_within_tolerance_are_normalised_exactly() {
    let text = edit(WITH_IVR, "p = 0.6, queue", "p = 0.6000004, queue");
    let m = ok(&text);
    let sum: f64 = m.ivr.as_ref().expect("ivr").nodes[1]
        .options
        .iter()
        .map(|o| o.probability)
        .sum();
    assert!((sum - 1.0).abs() < 1e-15, "sum {sum}");
}

#[test]
fn describe_names_every_queue_and_pool() {
    let text = describe(&ok(WITH_IVR));
    for words in [
        "Scenario   ivr",
        "queue cards",
        "Queue loans",
        "Pool all",
        "self-service",
        "erlangs",
    ] {
        assert!(text.contains(words), "`{words}` missing from:\n{text}");
    }
}

// ------------------------------------------------------------------ bad input

#[test]
fn error_renders_file_line_column_field_and_a_caret() {
    let e = err(&edit(MINIMAL, "mean = \"5m\"", "mean = \"0s\""));
    let expected = r#"scenarios/x.toml:13:43: queue[0].patience.mean: must be positive (got "0s")
   |
13 | patience = { dist = "exponential", mean = "0s" }   # optional: absent = callers never abandon
   |                                           ^^^^"#;
    assert_eq!(e.to_string(), expected);
}

#[test]
fn unreadable_file_says_cannot_read() {
    let e = load(Path::new("/nonexistent/x.toml")).expect_err("no such file");
    assert!(
        e.to_string()
            .starts_with("/nonexistent/x.toml: cannot read scenario: "),
        "{e}"
    );
}

#[test]
fn unknown_key_is_named_with_the_allowed_keys() {
    let e = err(&edit(MINIMAL, "days = 30", "dayz = 30"));
    assert_at(&e, 3, 1, "scenario.dayz");
    assert_says(
        &e,
        "unknown key `dayz`, allowed keys are `name`, `description`, `days`",
    );
}

#[test]
fn unknown_key_inside_a_distribution_is_named() {
    let e = err(&edit(
        MINIMAL,
        "mean = \"3m\" }",
        "mean = \"3m\", shape = 2 }",
    ));
    assert_at(&e, 12, 52, "queue[0].handle_time.shape");
    assert_says(&e, "unknown key `shape`");
}

#[test]
fn wrong_type_names_the_expected_type() {
    let e = err(&edit(MINIMAL, "days = 30", "days = \"30\""));
    assert_at(&e, 3, 8, "scenario.days");
    assert_says(&e, "expected a whole number");
}

#[test]
fn missing_key_points_at_the_table_that_lacks_it() {
    let e = err(&edit(MINIMAL, "name = \"agents\"\n", ""));
    assert_at(&e, 16, 1, "pool[0].name");
    assert_says(&e, "missing key `name`");
}

#[test]
fn zero_rate_is_rejected() {
    let e = err(&edit(
        MINIMAL,
        "calls_per_hour = 1000",
        "calls_per_hour = 0",
    ));
    assert_at(&e, 8, 18, "arrivals.calls_per_hour");
    assert_says(&e, "must be above 0");
}

#[test]
fn negative_rate_is_rejected() {
    let e = err(&edit(
        MINIMAL,
        "calls_per_hour = 1000",
        "calls_per_hour = -5",
    ));
    assert_at(&e, 8, 18, "arrivals.calls_per_hour");
}

#[test]
fn absurd_and_non_finite_rates_are_rejected() {
    for bad in ["1e9", "nan", "inf"] {
        let e = err(&edit(
            MINIMAL,
            "calls_per_hour = 1000",
            &format!("calls_per_hour = {bad}"),
        ));
        assert_at(&e, 8, 18, "arrivals.calls_per_hour");
    }
}

#[test]
fn negative_interval_volume_is_rejected_at_that_value() {
    let mut v = vec!["10"; 24];
    v[2] = "-1";
    let e = err(&edit(
        MINIMAL,
        "calls_per_hour = 1000",
        &format!("calls_per_interval = [{}]", v.join(",")),
    ));
    assert_at(&e, 8, 29, "arrivals.calls_per_interval[2]");
}

#[test]
fn interval_volumes_of_the_wrong_length_are_rejected() {
    let e = err(&edit(
        MINIMAL,
        "calls_per_hour = 1000",
        "calls_per_interval = [1, 2, 3]",
    ));
    assert_at(&e, 8, 22, "arrivals.calls_per_interval");
    assert_says(&e, "needs 24, 48 or 96 values");
}

#[test]
fn a_week_without_calls_is_rejected() {
    let e = err(&edit(
        MINIMAL,
        "calls_per_hour = 1000",
        &format!("calls_per_interval = [{}]", vec!["0"; 24].join(",")),
    ));
    assert_at(&e, 8, 22, "arrivals.calls_per_interval");
}

#[test]
fn both_rate_forms_at_once_are_rejected() {
    let e = err(&edit(
        MINIMAL,
        "calls_per_hour = 1000",
        &format!(
            "calls_per_hour = 1000\ncalls_per_interval = [{}]",
            vec!["1"; 24].join(",")
        ),
    ));
    assert_at(&e, 9, 22, "arrivals.calls_per_interval");
}

#[test]
fn zero_handle_time_is_rejected() {
    let e = err(&edit(MINIMAL, "mean = \"3m\"", "mean = \"0s\""));
    assert_at(&e, 12, 46, "queue[0].handle_time.mean");
    assert_says(&e, "must be positive (got \"0s\")");
}

#[test]
fn negative_duration_is_rejected() {
    let e = err(&edit(MINIMAL, "mean = \"5m\"", "mean = -30"));
    assert_at(&e, 13, 43, "queue[0].patience.mean");
    assert_says(&e, "must be zero or positive (got -30)");
}

#[test]
fn zero_deterministic_handle_time_is_rejected() {
    let e = err(&edit(
        MINIMAL,
        "handle_time = { dist = \"exponential\", mean = \"3m\" }",
        "handle_time = 0",
    ));
    assert_at(&e, 12, 15, "queue[0].handle_time");
}

#[test]
fn bad_duration_text_is_rejected() {
    let e = err(&edit(MINIMAL, "mean = \"3m\"", "mean = \"3 minutes\""));
    assert_at(&e, 12, 46, "queue[0].handle_time.mean");
    assert_says(&e, "is not a duration");
}

#[test]
fn unknown_distribution_lists_the_known_ones() {
    let e = err(&edit(
        MINIMAL,
        "\"exponential\", mean = \"3m\"",
        "\"weibull\", mean = \"3m\"",
    ));
    assert_at(&e, 12, 24, "queue[0].handle_time.dist");
    assert_says(
        &e,
        "expected one of exponential, deterministic, lognormal, gamma, uniform, empirical",
    );
}

#[test]
fn key_of_another_distribution_is_rejected() {
    let e = err(&edit(
        MINIMAL,
        "mean = \"3m\" }",
        "mean = \"3m\", cv = 0.5 }",
    ));
    assert_at(&e, 12, 57, "queue[0].handle_time.cv");
    assert_says(
        &e,
        "does not belong to a exponential distribution; it takes `mean`",
    );
}

#[test]
fn missing_distribution_parameter_points_at_the_table() {
    let e = err(&edit(
        MINIMAL,
        "\"exponential\", mean = \"3m\"",
        "\"lognormal\", mean = \"3m\"",
    ));
    assert_at(&e, 12, 15, "queue[0].handle_time.cv");
}

#[test]
fn days_above_ten_years_are_rejected() {
    let e = err(&edit(MINIMAL, "days = 30", "days = 4000"));
    assert_at(&e, 3, 8, "scenario.days");
    assert_says(&e, "at most 3660 days (10 years)");
}

#[test]
fn zero_days_are_rejected() {
    let e = err(&edit(MINIMAL, "days = 30", "days = 0"));
    assert_at(&e, 3, 8, "scenario.days");
}

#[test]
fn interval_other_than_15_30_60_minutes_is_rejected() {
    let e = err(&edit(MINIMAL, "interval = \"30m\"", "interval = \"45m\""));
    assert_at(&e, 4, 12, "scenario.interval");
    assert_says(&e, "must be \"15m\", \"30m\" or \"60m\"");
}

#[test]
fn toml_syntax_error_is_located() {
    let e = err(&edit(MINIMAL, "days = 30", "days = 30x"));
    assert_at(&e, 3, 8, "scenario.days");
    assert_says(&e, "invalid TOML");
}

#[test]
fn toml_syntax_error_in_an_array_table_names_its_index() {
    let e = err(&edit(MINIMAL, "agents = 55", "agents = 55 55"));
    assert_at(&e, 19, 10, "pool[0].agents");
}

#[test]
fn unknown_queue_in_serves_is_rejected_at_that_element() {
    let e = err(&edit(
        MINIMAL,
        "serves = [\"general\"]",
        "serves = [\"general\", \"genral\"]",
    ));
    assert_at(&e, 18, 22, "pool[0].serves[1]");
    assert_says(&e, "unknown queue `genral`; queues are `general`");
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = edit(MINIMAL, "name = \"general\"", "name = \"général\"");
    let e = err(&edit(
        &text,
        "serves = [\"general\"]",
        "serves = [\"général\", \"nope\"]",
    ));
    assert_at(&e, 18, 22, "pool[0].serves[1]");
}

#[test]
fn duplicate_queue_in_serves_is_rejected() {
    let e = err(&edit(
        MINIMAL,
        "serves = [\"general\"]",
        "serves = [\"general\", \"general\"]",
    ));
    assert_at(&e, 18, 22, "pool[0].serves[1]");
}

#[test]
fn queue_that_no_pool_serves_is_rejected_at_its_name() {
    let e = err(&edit(
        MINIMAL,
        "[[pool]]",
        "[[queue]]\nname = \"orphan\"\nhandle_time = \"1m\"\n\n[[pool]]",
    ));
    assert_at(&e, 17, 8, "queue[1].name");
    assert_says(&e, "no pool serves queue `orphan`");
}

#[test]
fn duplicate_queue_names_are_rejected() {
    let e = err(&edit(
        MINIMAL,
        "[[pool]]",
        "[[queue]]\nname = \"general\"\nhandle_time = \"1m\"\n\n[[pool]]",
    ));
    assert_at(&e, 17, 8, "queue[1].name");
}

#[test]
fn too_many_agents_are_rejected() {
    let e = err(&edit(MINIMAL, "agents = 55", "agents = 2000000"));
    assert_at(&e, 19, 10, "pool[0].agents");
}

#[test]
fn agent_list_finer_than_the_interval_is_rejected() {
    let text = edit(MINIMAL, "interval = \"30m\"", "interval = \"60m\"");
    let e = err(&edit(
        &text,
        "agents = 55",
        &format!("agents = [{}]", vec!["1"; 48].join(",")),
    ));
    assert_at(&e, 19, 10, "pool[0].agents");
    assert_says(&e, "finer than the statistics interval");
}

#[test]
fn hours_off_the_interval_grid_are_rejected() {
    let e = err(&edit(
        MINIMAL,
        "agents = 55",
        "agents = 55\nhours = \"08:10-19:00\"",
    ));
    assert_at(&e, 20, 9, "pool[0].hours");
    assert_says(&e, "08:10 is not on a statistics-interval boundary");
}

#[test]
fn hours_with_an_agent_list_are_rejected() {
    let e = err(&edit(
        MINIMAL,
        "agents = 55",
        &format!(
            "agents = [{}]\nhours = \"08:00-19:00\"",
            vec!["1"; 24].join(",")
        ),
    ));
    assert_at(&e, 20, 9, "pool[0].hours");
}

#[test]
fn unknown_weekday_is_rejected() {
    let e = err(&edit(
        MINIMAL,
        "agents = 55",
        "agents = 55\nweekdays = [\"mon\", \"mnd\"]",
    ));
    assert_at(&e, 20, 20, "pool[0].weekdays[1]");
}

#[test]
fn probabilities_not_summing_to_one_show_the_sum() {
    let e = err(&edit(WITH_IVR, "p = 0.2, end", "p = 0.1, end"));
    assert_at(&e, 27, 11, "ivr.node[0].options");
    assert_says(&e, "sum to 0.9");
}

#[test]
fn probability_outside_zero_one_is_rejected() {
    let e = err(&edit(WITH_IVR, "p = 0.6, queue", "p = 1.6, queue"));
    assert_at(&e, 36, 9, "ivr.node[1].options[0].p");
}

#[test]
fn unknown_node_in_an_option_is_rejected() {
    let e = err(&edit(
        WITH_IVR,
        "node = \"cards_menu\"",
        "node = \"card_menu\"",
    ));
    assert_at(&e, 28, 32, "ivr.node[0].options[0].node");
    assert_says(
        &e,
        "unknown node `card_menu`; nodes are `main`, `cards_menu`",
    );
}

#[test]
fn unknown_queue_in_an_option_is_rejected() {
    let e = err(&edit(WITH_IVR, "queue = \"loans\"", "queue = \"loan\""));
    assert_at(&e, 29, 33, "ivr.node[0].options[1].queue");
    assert_says(&e, "unknown queue `loan`");
}

#[test]
fn unknown_start_node_is_rejected() {
    let e = err(&edit(WITH_IVR, "start = \"main\"", "start = \"menu\""));
    assert_at(&e, 22, 9, "ivr.start");
}

#[test]
fn option_with_two_targets_is_rejected() {
    let e = err(&edit(
        WITH_IVR,
        "p = 0.4, end = \"self_service\"",
        "p = 0.4, end = \"self_service\", queue = \"cards\"",
    ));
    assert_at(&e, 37, 3, "ivr.node[1].options[1]");
    assert_says(&e, "exactly one of");
}

#[test]
fn ivr_cycle_is_named() {
    let e = err(&edit(
        WITH_IVR,
        "p = 0.4, end = \"self_service\"",
        "p = 0.4, node = \"main\"",
    ));
    assert_at(&e, 37, 21, "ivr.node[1].options[1].node");
    assert_says(&e, "main → cards_menu → main");
}

#[test]
fn node_without_options_is_rejected() {
    let text = edit(
        WITH_IVR,
        "  { p = 0.6, queue = \"cards\" },\n  { p = 0.4, end = \"self_service\" },\n",
        "",
    );
    let e = err(&text);
    assert_at(&e, 35, 11, "ivr.node[1].options");
}

#[test]
fn unknown_end_is_rejected() {
    let e = err(&edit(WITH_IVR, "end = \"hang_up\"", "end = \"hangup\""));
    assert_at(&e, 30, 31, "ivr.node[0].options[2].end");
}

#[test]
fn truncated_and_mangled_files_never_panic() {
    for text in [MINIMAL, WITH_IVR] {
        for (i, _) in text.char_indices() {
            let _ = parse(&text[..i], Path::new(FILE));
            let mut mangled = text.to_owned();
            mangled.insert(i, 'é');
            let _ = parse(&mangled, Path::new(FILE));
        }
    }
}
