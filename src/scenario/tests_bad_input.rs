//! Bad scenario files: each error names the exact line, column and field path a planner would
//! see, and nothing panics.

use super::tests::*;
use super::*;

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
    assert_says(&e, "`-30` has no unit");
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
