//! The `hotline` binary as a planner and CI use it: outputs, JSON keys, exit codes, messages.

use std::path::Path;

use predicates::prelude::*;

use crate::support::hotline;

fn scenario(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const MINIMAL: &str = r#"[scenario]
name = "validation"
days = 2
interval = "30m"
seed = 7

[arrivals]
calls_per_hour = 1000

[[queue]]
name = "general"
handle_time = { dist = "exponential", mean = "3m" }
patience = { dist = "exponential", mean = "5m" }
service_level_threshold = "20s"

[[pool]]
name = "agents"
serves = ["general"]
agents = 55
"#;

#[test]
fn simulate_json_has_the_documented_keys_and_consistent_counts() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "v.toml", MINIMAL);
    let out = simulate(&s, dir.path().join("out"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON object");
    for key in [
        "offered",
        "answered",
        "abandoned",
        "self_served",
        "service_level",
        "asa_s",
        "abandon_rate",
        "p_wait",
        "occupancy",
        "wait_p90_s",
        "blocked",
        "queues",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    let n = |k: &str| v[k].as_u64().unwrap();
    assert_eq!(
        n("offered"),
        n("answered")
            + n("abandoned")
            + n("in_system_at_end")
            + n("self_served")
            + n("hung_up_ivr")
            + n("blocked")
    );
    // 2 days at 1000 calls/h: 48,000 expected, Poisson sd ≈ 219.
    assert!((n("offered") as f64 - 48_000.0).abs() < 5.0 * 219.1);
    assert_eq!(v["queues"]["general"]["offered"], v["offered"]);
    for f in ["intervals.csv", "arrivals.csv", "pools.csv", "summary.csv"] {
        assert!(dir.path().join("out").join(f).exists(), "{f} not written");
    }
    let csv = std::fs::read_to_string(dir.path().join("out/intervals.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    for col in [
        "interval_start",
        "queue",
        "offered",
        "answered",
        "abandoned",
        "self_served",
        "service_level",
        "asa_s",
        "agents",
        "occupancy",
    ] {
        assert!(
            header.split(',').any(|c| c == col),
            "intervals.csv lacks {col}"
        );
    }
    // 96 half-hour intervals × (1 queue + all) rows + header.
    assert_eq!(csv.lines().count(), 1 + 96 * 2);
}

#[test]
fn seed_flag_changes_results_and_the_same_seed_repeats_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "v.toml", MINIMAL);
    let run = |seed: &str| {
        hotline()
            .arg("simulate")
            .arg(&s)
            .arg("--seed")
            .arg(seed)
            .arg("--json")
            .arg("--out")
            .arg(dir.path().join(seed))
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("1"));
    assert_ne!(run("1"), run("2"));
}

#[test]
fn simulate_prints_a_table_and_where_files_went() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "v.toml", MINIMAL);
    simulate(&s, dir.path().join("o"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("general")
                .and(predicate::str::contains("in 20s"))
                .and(predicate::str::contains("intervals")),
        );
}

#[test]
fn check_prints_queues_pools_and_load() {
    hotline()
        .args(["check", "scenarios/bank-hotline.toml"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("cards")
                .and(predicate::str::contains("erlangs"))
                .and(predicate::str::contains("Calls per day")),
        );
}

fn assert_bad(text: &str, line_col: &str, field: &str) {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "bad.toml", text);
    let out = simulate(&s, dir.path().join("o")).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "exit code");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("bad.toml:{line_col}")),
        "no location {line_col} in: {err}"
    );
    assert!(err.contains(field), "no field {field} in: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "panic: {err}"
    );
    assert!(!dir.path().join("o/intervals.csv").exists());
}

#[test]
fn a_negative_rate_is_bad_input_with_its_location() {
    assert_bad(
        &MINIMAL.replace("calls_per_hour = 1000", "calls_per_hour = -5"),
        "8:18",
        "arrivals.calls_per_hour",
    );
}

#[test]
fn an_unknown_key_is_bad_input_with_its_location() {
    assert_bad(
        &MINIMAL.replace("seed = 7", "seed = 7\ncolour = \"blue\""),
        "6:1",
        "colour",
    );
}

#[test]
fn a_zero_handle_time_is_bad_input_with_its_location() {
    assert_bad(
        &MINIMAL.replace("mean = \"3m\"", "mean = \"0s\""),
        "12:46",
        "queue[0].handle_time.mean",
    );
}

#[test]
fn a_queue_nobody_serves_is_bad_input() {
    let text = MINIMAL.replace(
        "[[pool]]",
        "[[queue]]\nname = \"loans\"\nhandle_time = \"5m\"\n\n[[pool]]",
    );
    assert_bad(&text, "17:8", "queue[1]");
}

#[test]
fn a_missing_file_is_bad_input() {
    hotline()
        .args(["simulate", "does/not/exist.toml"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("does/not/exist.toml")
                .and(predicate::str::contains("cannot read")),
        );
}

#[test]
fn an_absurd_horizon_is_refused_clearly() {
    assert_bad(
        &MINIMAL.replace("days = 2", "days = 1000000000"),
        "3:8",
        "scenario.days",
    );
}

#[test]
fn an_unwritable_output_folder_is_exit_code_3() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "v.toml", MINIMAL);
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").unwrap();
    simulate(&s, blocker.join("sub")).assert().code(3);
}

#[test]
fn callers_piling_up_without_capacity_stop_with_a_clear_error() {
    // 5 million calls an hour into a queue nobody staffs, callers who never give up: memory
    // would grow with the horizon. The run stops with exit 2 and writes no CSV.
    let text = MINIMAL
        .replace("days = 2", "days = 3660")
        .replace("calls_per_hour = 1000", "calls_per_hour = 5000000")
        .replace("patience = { dist = \"exponential\", mean = \"5m\" }\n", "")
        .replace("agents = 55", "agents = 0");
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "absurd.toml", &text);
    simulate(&s, dir.path().join("o")).assert().code(2).stderr(
        predicate::str::contains("no capacity").and(predicate::str::contains("absurd.toml")),
    );
    assert!(!dir.path().join("o/intervals.csv").exists());
}

#[test]
fn every_output_file_is_byte_identical_for_the_same_seed() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "v.toml", MINIMAL);
    for run in ["a", "b"] {
        simulate(&s, dir.path().join(run)).assert().success();
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("a"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for must in [
        "intervals.csv",
        "summary.csv",
        "report.html",
        "report.xlsx",
        "offered.png",
        "offered.svg",
    ] {
        assert!(names.iter().any(|n| n == must), "{must} not written");
    }
    for n in &names {
        let a = std::fs::read(dir.path().join("a").join(n)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(n)).unwrap();
        assert!(a == b, "{n} differs between two runs with the same seed");
    }
}

/// `hotline simulate S --out OUT`, more flags to follow.
fn simulate(s: &Path, out: impl AsRef<Path>) -> assert_cmd::Command {
    let mut c = hotline();
    c.arg("simulate").arg(s).arg("--out").arg(out.as_ref());
    c
}

/// Two queues behind an IVR (60 % cards, 30 % loans, 10 % self-service), hourly volumes peaking
/// at 120 calls at 10:00, agents 08:00–18:00.
const TWO_QUEUES: &str = r#"[scenario]
name = "load"
days = 7
interval = "60m"

[arrivals]
calls_per_interval = [10, 10, 10, 10, 10, 10, 10, 10, 60, 80, 120, 100, 90, 70, 80, 90, 60, 40, 20, 20, 20, 20, 20, 20]

[[queue]]
name = "cards"
handle_time = { dist = "exponential", mean = "4m" }
wrap_up = "30s"

[[queue]]
name = "loans"
handle_time = "6m"

[ivr]
start = "main"

[[ivr.node]]
name = "main"
duration = "10s"
options = [
  { key = "1", p = 0.6, queue = "cards" },
  { key = "2", p = 0.3, queue = "loans" },
  { key = "3", p = 0.1, end = "self_service" },
]

[[pool]]
name = "agents"
serves = ["cards", "loans"]
agents = 12
hours = "08:00-18:00"
"#;

/// The numbers directly before " erlangs" in `line`.
fn erlangs_in(line: &str) -> Vec<f64> {
    line.split(" erlangs")
        .filter_map(|part| part.rsplit(' ').next()?.parse().ok())
        .collect()
}

#[test]
fn check_prints_each_queues_calls_and_offered_load_as_computed_here() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "load.toml", TWO_QUEUES);
    let out = hotline().arg("check").arg(&s).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // Per queue: share, work per call in seconds (handle + wrap-up).
    for (queue, share, work) in [("cards", 0.6, 270.0), ("loans", 0.3, 360.0)] {
        let section: Vec<&str> = text
            .split(&format!("Queue {queue}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no section for queue {queue} in:\n{text}"))
            .lines()
            .take_while(|l| !l.is_empty())
            .collect();
        let line = |key: &str| {
            *section
                .iter()
                .find(|l| l.trim_start().starts_with(key))
                .unwrap_or_else(|| panic!("no `{key}` line for {queue} in:\n{text}"))
        };
        // 990 calls a day.
        let calls = line("calls per day");
        let want = format!("{}", (990.0 * share) as u32);
        assert!(calls.contains(&want), "{queue}: `{calls}`, want {want}");
        // Peak: 120 calls in the 10:00 hour; average over the staffed hours 08:00–18:00
        // (790 calls in 10 hours). Printed to one decimal.
        let erlangs = erlangs_in(line("offered load"));
        let peak = 120.0 * share * work / 3600.0;
        let average = 79.0 * share * work / 3600.0;
        assert_eq!(erlangs.len(), 2, "{queue}: {erlangs:?}");
        assert!(
            (erlangs[0] - peak).abs() <= 0.05 + 1e-9,
            "{queue}: peak {erlangs:?} vs {peak}"
        );
        assert!(
            (erlangs[1] - average).abs() <= 0.05 + 1e-9,
            "{queue}: average {erlangs:?} vs {average}"
        );
        assert!(
            line("offered load").contains("10:00"),
            "{queue}: busiest interval"
        );
    }
}

#[test]
fn no_charts_writes_the_csvs_and_no_chart_or_page() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "v.toml", MINIMAL);
    let out = dir.path().join("o");
    simulate(&s, &out).arg("--no-charts").assert().success();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.iter().any(|n| n == "intervals.csv"), "{names:?}");
    for n in &names {
        assert!(
            !n.ends_with(".png") && !n.ends_with(".svg") && !n.ends_with(".html"),
            "--no-charts wrote {n}"
        );
    }
    // Not vacuous: without the flag the same run draws charts and the page.
    let full = dir.path().join("full");
    simulate(&s, &full).assert().success();
    assert!(full.join("waits.png").exists() && full.join("report.html").exists());
}

#[test]
fn zero_lines_are_bad_input_with_their_location() {
    assert_bad(
        &format!("{MINIMAL}\n[center]\nlines = 0\n"),
        "22:9",
        "center.lines",
    );
}

#[test]
fn overflow_to_a_queue_nobody_serves_is_bad_input_with_its_location() {
    let text = MINIMAL.replace(
        "serves = [\"general\"]",
        "serves = [\"general\"]\nsecondary = [\"loans\"]",
    ) + "\n[[queue]]\nname = \"loans\"\nhandle_time = \"5m\"\n";
    assert_bad(&text, "19:14", "pool[0].secondary[0]");
}

// Issue 10's bad configurations, each as the planner meets it: `simulate` exits 2 naming
// file:line:column and the field, writes nothing and does not panic.

/// MINIMAL with `extra` lines in its queue (after the SL threshold).
fn minimal_queue_with(extra: &str) -> String {
    MINIMAL.replace(
        "service_level_threshold = \"20s\"\n",
        &format!("service_level_threshold = \"20s\"\n{extra}"),
    )
}

#[test]
fn a_pool_with_no_queue_is_bad_input_with_its_location() {
    assert_bad(
        &MINIMAL.replace("serves = [\"general\"]", "serves = []"),
        "18:10",
        "pool[0].serves",
    );
}

#[test]
fn a_callback_offer_on_a_queue_that_never_opens_is_bad_input_with_its_location() {
    // Two days from a Monday; the queue opens on Saturdays only.
    let hours = "hours = \"08:00-18:00\"\nweekdays = [\"sat\"]\n\n";
    assert_bad(
        &minimal_queue_with(&format!(
            "{hours}[queue.callback]\noffer_above = \"2m\"\naccept = 0.5\n"
        )),
        "18:1",
        "queue[0].callback",
    );
    assert_bad(
        &minimal_queue_with(&format!("{hours}[queue.closed]\ncallback = 0.5\n")),
        "19:12",
        "queue[0].closed.callback",
    );
}

#[test]
fn shares_above_one_are_bad_input_with_their_location() {
    let closed = |shares: &str| {
        minimal_queue_with(&format!(
            "hours = \"08:00-18:00\"\n\n[queue.closed]\n{shares}\n"
        ))
    };
    assert_bad(
        &closed("self_service = 1.5"),
        "18:16",
        "queue[0].closed.self_service",
    );
    assert_bad(
        &closed("callback = 1.2"),
        "18:12",
        "queue[0].closed.callback",
    );
    assert_bad(
        &closed("self_service = 0.8\ncallback = 0.3"),
        "19:12",
        "queue[0].closed.callback",
    );
    assert_bad(
        &minimal_queue_with(
            "\n[[queue.class]]\nname = \"new\"\nshare = 0.7\n\n[[queue.class]]\nname = \"old\"\nshare = 0.5\n",
        ),
        "16:1",
        "queue[0].class.share",
    );
}

// ------------------------------------------------------------ messages agree with the README

/// Runs `c`, asserts it succeeded (showing its stderr otherwise) and returns its stdout.
fn stdout_of(c: &mut assert_cmd::Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn simulate_help_says_replicated_runs_draw_charts_with_bands_and_no_workbook() {
    let out = hotline().args(["simulate", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout).replace(char::is_whitespace, " ");
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!help.contains("not drawn"), "{help}");
    assert!(
        help.contains("draw the means with their 95 % bands")
            && help.contains("no report.xlsx is written for N > 1"),
        "{help}"
    );
}

#[test]
fn shards_number_replications_as_replications_csv_and_merge_says_it_draws_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "v.toml", MINIMAL);
    let shard = |k: &str| {
        stdout_of(simulate(&s, dir.path().join(format!("s{k}"))).args([
            "--replications",
            "3",
            "--shard",
            &format!("{k}/2"),
            "-q",
        ]))
    };
    let first = shard("1");
    assert!(
        first.contains("shard 1/2 ran 1 of the 3 replications: replication 0, numbered 0–2 as in replications.csv"),
        "{first}"
    );
    let second = shard("2");
    assert!(
        second.contains("shard 2/2 ran 2 of the 3 replications: replications 1–2, numbered 0–2"),
        "{second}"
    );
    let merged = dir.path().join("merged");
    let text = stdout_of(
        hotline()
            .arg("merge")
            .arg(dir.path().join("s1"))
            .arg(dir.path().join("s2"))
            .arg("--out")
            .arg(&merged),
    );
    assert!(!text.contains("--no-charts"), "{text}");
    assert!(
        text.contains("no charts, report.html or report.xlsx yet: run `hotline report"),
        "{text}"
    );
    assert!(!merged.join("report.html").exists() && !merged.join("report.xlsx").exists());
    let numbers: Vec<String> = crate::support::read_csv(&merged.join("replications.csv"))
        .iter()
        .filter(|r| r["queue"] == "all")
        .map(|r| r["replication"].clone())
        .collect();
    assert_eq!(numbers, ["0", "1", "2"]);
}

#[test]
fn a_bad_duration_hint_offers_no_plain_seconds_since_they_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = MINIMAL.replace(r#"mean = "3m""#, r#"mean = "-20s""#);
    let s = scenario(dir.path(), "neg.toml", &text);
    let out = hotline().arg("check").arg(&s).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`-20s` is not a duration"), "{err}");
    assert!(!err.contains("plain seconds"), "{err}");
    // …and plain seconds are indeed refused, with the unit hint.
    let s = scenario(
        dir.path(),
        "bare.toml",
        &MINIMAL.replace(r#"mean = "3m""#, r#"mean = "20""#),
    );
    let out = hotline().arg("check").arg(&s).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no unit"));
}

#[test]
fn the_bundled_bank_hotline_says_durations_carry_their_unit() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bank-hotline.toml"),
    )
    .unwrap();
    assert!(!text.contains("plain seconds"));
}

// ---------------------------------------- the terminal table shows blocked and closed calls

/// MINIMAL with 50 lines for 50 erlangs (busy signals) and the queue open 08:00–20:00.
fn blocked_and_closed() -> String {
    MINIMAL.replace(
        "[[queue]]\nname = \"general\"",
        "[center]\nlines = 50\n\n[[queue]]\nname = \"general\"\nhours = \"08:00-20:00\"",
    )
}

fn footnote_counts(text: &str, queue: &str) -> (f64, f64) {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{queue}:")))
        .unwrap_or_else(|| panic!("no footnote line for {queue}: {text}"));
    let count = |what: &str| {
        line.split(", ")
            .find(|p| p.contains(what))
            .map_or(0.0, |p| {
                p.trim_start_matches(&format!("  {queue}: "))
                    .trim_start_matches(&format!("{queue}: "))
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
    };
    (count(" blocked"), count(" closed"))
}

#[test]
fn the_terminal_table_shows_blocked_and_closed_calls_as_summary_csv_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "bc.toml", &blocked_and_closed());
    let text = stdout_of(simulate(&s, dir.path().join("o")).args(["--no-charts", "--no-xlsx"]));
    let summary = crate::support::read_csv(&dir.path().join("o/summary.csv"));
    let row = |q: &str| summary.iter().find(|r| r["queue"] == q).unwrap().clone();
    let all = row("all");
    let (blocked, closed) = footnote_counts(&text, "all");
    assert!(blocked > 0.0 && closed > 0.0, "{text}");
    assert_eq!(blocked, crate::support::num(&all, "blocked"), "{text}");
    assert_eq!(closed, crate::support::num(&all, "closed"), "{text}");
    let share = 100.0 * blocked / crate::support::num(&all, "offered");
    assert!(
        text.contains(&format!("{blocked} blocked ({share:.1}% of offered)")),
        "{text}"
    );
    let (b, c) = footnote_counts(&text, "general");
    assert_eq!(
        (b, c),
        (0.0, crate::support::num(&row("general"), "closed"))
    );
}

#[test]
fn the_replicated_table_shows_mean_blocked_and_closed_calls() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "bc.toml", &blocked_and_closed());
    let text = stdout_of(simulate(&s, dir.path().join("o")).args([
        "--no-charts",
        "--replications",
        "3",
        "-q",
    ]));
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("all:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains(" ± ") && line.contains("blocked") && line.contains("closed"),
        "{text}"
    );
    let summary = crate::support::read_csv(&dir.path().join("o/summary.csv"));
    let all = summary.iter().find(|r| r["queue"] == "all").unwrap();
    let mean_closed = crate::support::num(all, "closed");
    assert!(
        line.contains(&format!("{mean_closed:.0} ± ")),
        "{line} vs {mean_closed}"
    );
}

#[test]
fn a_plain_run_has_no_blocked_or_closed_footnote() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "v.toml", MINIMAL);
    let out = simulate(&s, dir.path().join("o"))
        .arg("--no-charts")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("blocked") && !text.contains("closed"),
        "{text}"
    );
}

// ------------------------------------------------ a staffing plan made at another interval

#[test]
fn a_plan_made_at_another_interval_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let s30 = scenario(dir.path(), "s30.toml", MINIMAL);
    let s60 = scenario(
        dir.path(),
        "s60.toml",
        &MINIMAL.replace(r#"interval = "30m""#, r#"interval = "60m""#),
    );
    for (plan_of, run, want) in [
        (&s60, &s30, "the plan's interval is 1h, the scenario's 30m"),
        (&s30, &s60, "the plan's interval is 30m, the scenario's 1h"),
    ] {
        let plan = dir.path().join("plan");
        hotline()
            .arg("staff")
            .arg(plan_of)
            .args(["--no-charts", "--no-xlsx", "--out"])
            .arg(&plan)
            .assert()
            .success();
        let out = simulate(run, dir.path().join("o"))
            .arg("--staffing")
            .arg(plan.join("staffing.csv"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want) && err.contains("staffing.csv"), "{err}");
    }
}

// ------------------------------------------------------ check: a pool below its offered load

#[test]
fn check_notes_a_pool_with_fewer_agents_than_its_offered_load() {
    let dir = tempfile::tempdir().unwrap();
    // 1000 calls/h × 3 min = 50 erlangs on 5 agents.
    let s = scenario(
        dir.path(),
        "over.toml",
        &MINIMAL.replace("agents = 55", "agents = 5"),
    );
    let out = hotline().arg("check").arg(&s).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("note: pool agents has 5 agents against 50.0 erlangs offered")
            && text.contains("in 96 of 96 staffed intervals"),
        "{text}"
    );
    // 55 agents carry 50 erlangs: no such note.
    let s = scenario(dir.path(), "ok.toml", MINIMAL);
    let out = hotline().arg("check").arg(&s).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("erlangs offered at"));
}
