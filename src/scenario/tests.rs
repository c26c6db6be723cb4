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

/// MINIMAL with `extra` lines at the end of its queue (line 15 is the first extra line).
pub(super) fn with_queue(extra: &str) -> String {
    edit(
        MINIMAL,
        "service_level_threshold = \"20s\"\n",
        &format!("service_level_threshold = \"20s\"\n{extra}\n"),
    )
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
fn durations_accept_text_with_units_and_a_bare_zero() {
    let text = edit(MINIMAL, "mean = \"3m\"", "mean = \"90.5s\"");
    let text = edit(
        &text,
        "service_level_threshold = \"20s\"",
        "service_level_threshold = 0",
    );
    let m = ok(&text);
    assert_eq!(m.queues[0].handle_time.mean(), 90.5);
    assert_eq!(m.queues[0].sl_threshold_s, 0.0);
}

#[test]
fn a_bare_number_duration_is_refused_with_the_units_to_choose_from() {
    // Regression (issue 9): `mean = 5` was read as 5 seconds where a planner meant minutes.
    for bare in ["5", "\"5\""] {
        let e = crate::scenario::parse(
            &edit(MINIMAL, "mean = \"3m\"", &format!("mean = {bare}")),
            std::path::Path::new("x.toml"),
        )
        .unwrap_err();
        assert_eq!(e.field, "queue[0].handle_time.mean");
        let p = e.position.as_ref().unwrap();
        assert_eq!((p.line, p.column), (12, 46));
        assert!(
            e.message.contains("\"5s\"") && e.message.contains("\"5m\""),
            "{}",
            e.message
        );
    }
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
        ("{ dist = \"gamma\", mean = \"60s\", cv = 1 }", 60.0),
        ("{ dist = \"uniform\", min = \"1m\", max = \"3m\" }", 120.0),
        (
            "{ dist = \"empirical\", values = [\"1m\", \"120s\", \"3m\"] }",
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
