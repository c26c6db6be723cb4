//! Named agents (`[roster] agents = "agents.csv"`): the roster names the file's people, keeps
//! their leave free (hard), counts their preferences (soft), says when the people are too few,
//! and refuses a bad file with its line, column and field.

use std::path::{Path, PathBuf};

use crate::support::{hotline, num, read_csv};

/// Two dated weeks of a line open Monday–Friday 08:00–16:00; one 8-hour day shift at 08:00.
const LINE: &str = r#"
[scenario]
name = "named line"
days = 14
interval = "30m"
seed = 3
start = 2027-01-04

[arrivals]
calls_per_hour = 40

[[queue]]
name = "q"
handle_time = "3m"
hours = { "mon-fri" = "08:00-16:00" }

[[pool]]
name = "p"
serves = ["q"]
agents = 1

[[shift]]
name = "day"
start = "08:00"
lengths = ["8h"]

[[shift]]
name = "early"
start = "07:00"
lengths = ["8h"]

[[contract]]
name = "full-time"
min_weekly_hours = 24
max_weekly_hours = 40
max_agents = 20
min_days_per_week = 3

[roster]
hourly_cost = 10.0
agents = "agents.csv"
"#;

/// Writes the scenario and `agents` as agents.csv into `dir`, runs `schedule`; returns the
/// output folder, stdout and the run's exit code.
fn schedule(dir: &Path, agents: &str) -> (PathBuf, String, String, i32) {
    let scenario = dir.join("line.toml");
    std::fs::write(&scenario, LINE).unwrap();
    std::fs::write(dir.join("agents.csv"), agents).unwrap();
    let out = dir.join("out");
    let run = hotline()
        .args(["schedule", "--no-charts", "--out"])
        .arg(&out)
        .arg(&scenario)
        .output()
        .unwrap();
    (
        out,
        String::from_utf8_lossy(&run.stdout).into_owned(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
        run.status.code().unwrap_or(-1),
    )
}

/// Agents on the phones per interval and how many are required, from coverage.csv.
fn coverage(out: &Path) -> Vec<(u32, u32)> {
    read_csv(&out.join("coverage.csv"))
        .iter()
        .map(|r| (num(r, "scheduled") as u32, num(r, "required") as u32))
        .collect()
}

#[test]
fn the_roster_names_the_files_people_and_keeps_their_leave_free() {
    let dir = tempfile::tempdir().unwrap();
    let agents = "agent,pool,contract,unavailable,preferred_shifts,preferred_days_off\n\
                  Ada,p,full-time,2027-01-11..2027-01-15,,\n\
                  Bo,p,full-time,,early,\n\
                  Cy,p,full-time,,,fri\n\
                  Di,p,full-time,2027-01-06,,\n\
                  Ed,p,full-time,,,\n";
    let (out, stdout, stderr, code) = schedule(dir.path(), agents);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let roster = read_csv(&out.join("roster.csv"));
    let mut names: Vec<&str> = roster.iter().map(|r| r["agent"].as_str()).collect();
    names.sort_unstable();
    // Every named agent, no anonymous one: they are under contract.
    assert_eq!(names, ["Ada", "Bo", "Cy", "Di", "Ed"]);
    let text = std::fs::read_to_string(out.join("roster.csv")).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let ada = roster.iter().find(|r| r["agent"] == "Ada").unwrap();
    let di = roster.iter().find(|r| r["agent"] == "Di").unwrap();
    for (d, col) in header[2..16].iter().enumerate() {
        // Ada is away Monday–Friday of week 2, Di on Wednesday of week 1: the cell says
        // `leave`, and no other cell does.
        assert_eq!(ada[*col] == "leave", (7..12).contains(&d), "Ada {col}");
        assert_eq!(di[*col] == "leave", d == 2, "Di {col}");
    }
    // A day of leave counts as a day worked: Ada works at most 5 − 5 = 0 days in week 2.
    let worked = |r: &std::collections::HashMap<String, String>, days: std::ops::Range<usize>| {
        days.filter(|&d| {
            r[header[2 + d]].starts_with("day") || r[header[2 + d]].starts_with("early")
        })
        .count()
    };
    assert_eq!(worked(ada, 7..14), 0);
    assert!(worked(di, 0..7) <= 4);
    // With Ada away, at most four agents can be on the phones in week 2.
    let cov = coverage(&out);
    let per_day = 48;
    for (k, (scheduled, _)) in cov.iter().enumerate() {
        if (7 * per_day..12 * per_day).contains(&k) {
            assert!(*scheduled <= 4, "interval {k}: {scheduled}");
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("schedule.json")).unwrap()).unwrap();
    let people = &json["pools"][0]["people"];
    assert_eq!(people["available"], 5, "{people}");
    assert_eq!(people["rostered"], 5, "{people}");
    assert_eq!(people["unavailable_days"], 6, "{people}");
    // Cy asked for Fridays off: two agent-days asked; met counts the Fridays Cy is off.
    assert_eq!(people["preferred_days_off_asked"], 2, "{people}");
    let cy = roster.iter().find(|r| r["agent"] == "Cy").unwrap();
    let fridays_off = [4usize, 11]
        .iter()
        .filter(|&&d| cy[header[2 + d]] == "off")
        .count();
    assert_eq!(people["preferred_days_off_met"], fridays_off, "{people}");
    // Bo prefers the early shift: the shifts Bo works are counted, those of `early` met.
    let bo = roster.iter().find(|r| r["agent"] == "Bo").unwrap();
    let bo_shifts = worked(bo, 0..14);
    let bo_early = (0..14)
        .filter(|&d| bo[header[2 + d]].starts_with("early"))
        .count();
    assert_eq!(people["preferred_shifts_asked"], bo_shifts, "{people}");
    assert_eq!(people["preferred_shifts_met"], bo_early, "{people}");
    assert!(
        stdout.contains("named agents (agents.csv): 5 of 5 rostered"),
        "{stdout}"
    );
}

#[test]
fn too_few_people_leave_intervals_short_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    // One person cannot staff a line that needs several agents.
    let (out, stdout, stderr, code) =
        schedule(dir.path(), "agent;pool;contract\nSolo;p;full-time\n");
    assert_eq!(code, 0, "{stdout}{stderr}");
    let cov = coverage(&out);
    assert!(
        cov.iter().all(|&(s, _)| s <= 1),
        "one person, one agent at most"
    );
    assert!(
        cov.iter().any(|&(s, r)| s < r),
        "the line needs more than one"
    );
    assert!(
        stdout.contains("all 1 named agents are rostered")
            && stdout.contains("more people than agents.csv has"),
        "{stdout}"
    );
}

#[test]
fn a_bad_agents_file_names_its_line_column_and_field() {
    for (file, wanted) in [
        (
            "agent,pool,contract\nAda,p,full-time\nBo,nowhere,full-time\n",
            "agents.csv:3:4: pool: no [[pool]] is named `nowhere`",
        ),
        (
            "agent,pool,contract\nAda,p,part-time\n",
            "agents.csv:2:7: contract: no [[contract]] is named `part-time`",
        ),
        (
            "agent,pool,contract\nAda,p,full-time\nAda,p,full-time\n",
            "agents.csv:3:1: agent: `Ada` is named twice (first on line 2)",
        ),
        (
            "agent,pool,contract,unavailable\nAda,p,full-time,2027-01-15..2027-01-11\n",
            "agents.csv:2:17: unavailable: `2027-01-15..2027-01-11` ends before it starts",
        ),
        (
            "agent,pool,contract,unavailable\nAda,p,full-time,15.01.2027\n",
            "agents.csv:2:17: unavailable:",
        ),
        (
            "agent,pool,contract,preferred_days_off\nAda,p,full-time,someday\n",
            "agents.csv:2:17: preferred_days_off: `someday` is not a weekday",
        ),
        (
            "name,pool\nAda,p\n",
            "agents.csv:1:1: an agents file needs the columns agent, pool, contract",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (_, stdout, stderr, code) = schedule(dir.path(), file);
        assert_eq!(code, 2, "{file}: {stdout}{stderr}");
        assert!(stderr.contains(wanted), "{file}:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            !dir.path().join("out").exists(),
            "nothing written on bad input"
        );
    }
}
