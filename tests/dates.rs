//! Calendar dates in the outputs (`[scenario] start`): ISO 8601 local date-times that Excel and
//! pandas read, a `weekday` column at the end of every interval file (in `intervals.csv`, followed only by outcome columns appended later), daily rows with their
//! date, a weekly profile that follows the real weekday; without `start` the labels stay
//! `d1 Mon 08:00`.

use std::collections::HashMap;
use std::path::Path;

use crate::support::{has_text, hotline, num, read, read_csv, write};

/// Two days from Sunday 2026-12-06, hourly intervals, no calls on Sundays.
const DATED: &str = r#"[scenario]
name = "dated"
days = 2
interval = "60m"
seed = 3
start = 2026-12-06

[arrivals]
calls_per_hour = 200
weekday_factor = { sun = 0 }

[[queue]]
name = "general"
handle_time = { dist = "exponential", mean = "3m" }

[[pool]]
name = "agents"
serves = ["general"]
agents = 15
"#;

fn headers(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.headers().unwrap().iter().map(str::to_owned).collect()
}

fn run(args: &[&str]) {
    let out = hotline().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Simulates `text` in `dir` into `dir/sim` (charts too when `charts`) and returns that folder.
fn simulate(dir: &Path, text: &str, charts: bool) -> std::path::PathBuf {
    let s = write(dir, "scenario.toml", text);
    let out = dir.join("sim");
    let mut args = vec![
        "simulate",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if !charts {
        args.push("--no-charts");
    }
    run(&args);
    out
}

/// The row of `rows` starting at `s` seconds (the first, when several queues share it).
fn at(rows: &[HashMap<String, String>], s: f64) -> &HashMap<String, String> {
    rows.iter()
        .find(|r| num(r, "interval_start_s") == s)
        .unwrap_or_else(|| panic!("no row at {s} s"))
}

/// Outcome columns added to `intervals.csv` after `weekday` (CSV columns are only ever
/// appended): `blocked` (line capacity), opening hours, callbacks, transfers and journeys.
const APPENDED_AFTER_WEEKDAY: [&str; 17] = [
    "blocked",
    "closed",
    "closed_self_served",
    "callbacks_offered",
    "callbacks_accepted",
    "callbacks_completed",
    "callbacks_failed",
    "callback_delay_mean_s",
    "transferred_in",
    "transferred_out",
    "journeys",
    "journey_wait_mean_s",
    "journeys_served_share",
    "closed_callback_requests",
    "closed_callbacks",
    "closed_callbacks_completed",
    "closed_callback_delay_mean_s",
];

/// The header's columns after `weekday` (which every interval file has).
fn after_weekday(h: &[String]) -> Vec<&str> {
    let w = h
        .iter()
        .position(|c| c == "weekday")
        .expect("a weekday column");
    h[w + 1..].iter().map(String::as_str).collect()
}

#[test]
fn a_dated_run_labels_every_interval_file_with_iso_date_times_and_weekdays() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "dated.toml", DATED);
    let (sim, plan) = (dir.path().join("sim"), dir.path().join("plan"));
    let s = s.to_str().unwrap();
    run(&["staff", s, "--no-charts", "--out", plan.to_str().unwrap()]);
    let staffing = plan.join("staffing.csv");
    run(&[
        "simulate",
        s,
        "--no-charts",
        "--out",
        sim.to_str().unwrap(),
        "--staffing",
        staffing.to_str().unwrap(),
    ]);
    for file in [
        sim.join("intervals.csv"),
        sim.join("pools.csv"),
        sim.join("arrivals.csv"),
        sim.join("plan_vs_sim.csv"),
        staffing,
    ] {
        let h = headers(&file);
        // `weekday` closes the original columns; outcome columns added since follow it in
        // intervals.csv.
        assert_eq!(
            after_weekday(&h),
            if file.ends_with("intervals.csv") {
                &APPENDED_AFTER_WEEKDAY[..]
            } else {
                &[]
            },
            "{}",
            file.display()
        );
        let rows = read_csv(&file);
        let first = at(&rows, 0.0);
        assert_eq!(
            (first["interval_start"].as_str(), first["weekday"].as_str()),
            ("2026-12-06T00:00", "Sun"),
            "{}",
            file.display()
        );
        let monday = at(&rows, 86_400.0 + 8.0 * 3600.0);
        assert_eq!(
            (
                monday["interval_start"].as_str(),
                monday["weekday"].as_str()
            ),
            ("2026-12-07T08:00", "Mon"),
            "{}",
            file.display()
        );
    }
    let daily = plan.join("staffing_daily.csv");
    assert_eq!(headers(&daily).last().map(String::as_str), Some("date"));
    let days: Vec<(String, String, String)> = read_csv(&daily)
        .into_iter()
        .filter(|r| r["queue"] == "all")
        .map(|r| (r["day"].clone(), r["weekday"].clone(), r["date"].clone()))
        .collect();
    assert_eq!(
        days,
        [
            ("1".into(), "Sun".into(), "2026-12-06".into()),
            ("2".into(), "Mon".into(), "2026-12-07".into())
        ]
    );
}

#[test]
fn the_weekly_profile_follows_the_weekday_of_start() {
    // Day 1 is a Sunday, closed by `weekday_factor = { sun = 0 }`; undated, day 1 would be a
    // Monday with calls.
    let dir = tempfile::tempdir().unwrap();
    let out = simulate(dir.path(), DATED, false);
    let rows = read_csv(&out.join("arrivals.csv"));
    let day = |d: f64| -> (f64, f64) {
        rows.iter()
            .filter(|r| r["queue"] == "all")
            .filter(|r| (num(r, "interval_start_s") / 86_400.0).floor() == d)
            .fold((0.0, 0.0), |(e, o), r| {
                (e + num(r, "expected_calls"), o + num(r, "offered"))
            })
    };
    assert_eq!(day(0.0), (0.0, 0.0), "Sunday has no calls");
    let (expected, offered) = day(1.0);
    assert!(
        (expected - 4800.0).abs() < 1e-6,
        "Monday expects 24 × 200: {expected}"
    );
    assert!(offered > 4000.0, "Monday offered {offered}");
}

#[test]
fn an_undated_run_keeps_day_labels_and_appends_the_weekday() {
    let dir = tempfile::tempdir().unwrap();
    let undated = DATED.replace("start = 2026-12-06\n", "");
    let out = simulate(dir.path(), &undated, false);
    let file = out.join("intervals.csv");
    let h = headers(&file);
    assert_eq!(
        &h[..4],
        ["interval_start", "interval_start_s", "queue", "offered"]
    );
    let w = h.len() - 1 - APPENDED_AFTER_WEEKDAY.len();
    assert_eq!(&h[w - 2..=w], ["first_attempts", "redials", "weekday"]);
    assert_eq!(after_weekday(&h), APPENDED_AFTER_WEEKDAY);
    let rows = read_csv(&file);
    let first = at(&rows, 6.0 * 3600.0);
    assert_eq!(first["interval_start"], "d1 Mon 06:00");
    assert_eq!(first["weekday"], "Mon");
}

#[test]
fn forecast_rows_outside_the_horizon_are_reported_not_silently_dropped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "forecast.csv",
        "interval_start,queue,volume\n2026-12-06 09:00,general,50\n2026-12-31 09:00,general,50\n",
    );
    let text = DATED.replace(
        "weekday_factor = { sun = 0 }\n",
        "weekday_factor = { sun = 0 }\n\n[[arrivals.forecast]]\nfile = \"forecast.csv\"\n",
    );
    let s = write(dir.path(), "dated.toml", &text);
    let note =
        "1 of 2 forecast rows are outside the horizon (2026-12-06 to 2026-12-07) and not used";
    hotline()
        .args(["check", s.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::contains(note));
    let out = dir.path().join("sim");
    hotline()
        .args([
            "simulate",
            s.to_str().unwrap(),
            "--no-charts",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "note: {}: {note}",
            dir.path().join("forecast.csv").display()
        )));
}

#[test]
fn charts_and_report_name_the_real_weekdays_of_a_dated_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = simulate(dir.path(), DATED, true);
    let svg = read(out.join("offered.svg"));
    assert!(has_text(&svg, "Sun 06:00"), "day 1 is a Sunday");
    let html = read(out.join("report.html"));
    assert!(
        html.contains("Sun 2026-12-06 08:00"),
        "report table rows are dated"
    );
}

#[test]
fn a_staffing_only_folder_keeps_the_dates_for_its_redraw() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "scenario.toml", DATED);
    let out = dir.path().join("plan");
    run(&[
        "staff",
        s.to_str().unwrap(),
        "--no-xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    let facts = read(out.join("run.json"));
    assert!(facts.contains("\"start\": \"2026-12-06\""), "{facts}");
    run(&["report", out.to_str().unwrap()]);
    let svg = read(out.join("staffing.svg"));
    assert!(
        has_text(&svg, "Sun"),
        "day 1 is a Sunday in the redrawn chart"
    );
}
