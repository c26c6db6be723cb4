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
/// appended): `blocked` (line capacity), opening hours, callbacks, transfers, journeys and
/// callers disconnected at a closing.
const APPENDED_AFTER_WEEKDAY: [&str; 18] = [
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
    "disconnected",
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

/// A forecast-only scenario over four days from Monday 2027-01-04: `loans` has no row on
/// Wednesday, `accounts` has one every day (and one after the horizon).
fn forecast_only(dir: &Path) -> std::path::PathBuf {
    write(
        dir,
        "forecast.csv",
        "interval_start,queue,volume\n\
         2027-01-04 09:00,loans,30\n2027-01-04 10:00,loans,40\n2027-01-05 09:00,loans,20\n\
         2027-01-07 09:00,loans,0\n2027-01-04 09:00,accounts,10\n2027-01-05 09:00,accounts,12\n\
         2027-01-06 09:00,accounts,14\n2027-01-07 09:00,accounts,16\n2027-01-08 09:00,accounts,16\n",
    );
    write(
        dir,
        "forecast-only.toml",
        r#"[scenario]
name = "forecast-only"
days = 4
interval = "60m"
seed = 3
start = 2027-01-04

[arrivals]

[[arrivals.forecast]]
file = "forecast.csv"

[[queue]]
name = "accounts"
handle_time = { dist = "exponential", mean = "3m" }

[[queue]]
name = "loans"
handle_time = { dist = "exponential", mean = "3m" }

[[pool]]
name = "agents"
serves = ["accounts", "loans"]
agents = 5
"#,
    )
}

/// [`forecast_only`] written to `dir`, and what `check` prints for it.
fn check_forecast_only(dir: &Path) -> (std::path::PathBuf, String) {
    let s = forecast_only(dir);
    let check = hotline()
        .args(["check", s.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(check.status.success());
    (s, String::from_utf8(check.stdout).unwrap())
}

const LOANS_MISSING: &str = "warning: the forecast has no row for queue `loans` on 1 of the 4 \
                             days of the horizon (2027-01-06)";

#[test]
fn days_the_forecast_leaves_out_are_a_warning_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let (s, text) = check_forecast_only(dir.path());
    assert!(text.contains(LOANS_MISSING), "{text}");
    assert!(!text.contains("for queue `accounts`"), "{text}");
    // The days each queue's rows cover.
    assert!(
        text.contains(
            "queue loans: 90 calls in the horizon; rows for 2027-01-04 to 2027-01-05, 2027-01-07"
        ),
        "{text}"
    );
    assert!(
        text.contains("queue accounts: 52 calls in the horizon; rows for 2027-01-04 to 2027-01-07"),
        "{text}"
    );
    for command in ["simulate", "staff"] {
        let out = dir.path().join(command);
        hotline()
            .args([command, s.to_str().unwrap(), "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .success()
            .stderr(predicates::str::contains(LOANS_MISSING));
    }
}

/// `check` on a forecast-only scenario: calls per day per queue from the forecasts, and that
/// they go straight to their queues — not an empty base week and "every call goes to" the
/// first queue.
#[test]
fn check_describes_a_forecast_only_scenario_by_its_forecasts() {
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = check_forecast_only(dir.path());
    assert!(!text.contains("\nCalls per day"), "{text}");
    assert!(!text.contains("every call goes to"), "{text}");
    assert!(
        text.contains(
            "IVR        none: forecast calls go straight to their queue (accounts, loans), \
             skipping the IVR"
        ),
        "{text}"
    );
    let table: Vec<Vec<&str>> = text
        .split("Forecast calls per day")
        .nth(1)
        .expect("a forecast table")
        .lines()
        .skip(1)
        .take(9)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(table[0], ["accounts", "loans"]);
    assert_eq!(table[1], ["Mon", "10", "70"]);
    assert_eq!(table[3], ["Wed", "14", "0"]);
    assert_eq!(table[5], ["Fri", "-", "-"]);
    assert_eq!(table[8], ["Week", "52", "90"]);
}
