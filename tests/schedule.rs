//! `hotline schedule`: a hand-solved instance, coverage against requirements, every roster rule
//! checked by a checker written here from the rules' text (not the scheduler's code), bad
//! rules refused with file:line:column, and the coverage read back by `simulate --staffing`.

use std::collections::HashMap;
use std::path::Path;

use crate::support::{hotline, num, read_csv, write};

const TINY: &str = r#"
[scenario]
name = "tiny"
days = 7
interval = "30m"

[arrivals]
calls_per_hour = 10

[[queue]]
name = "q"
handle_time = "3m"

[[pool]]
name = "p"
serves = ["q"]
agents = 1

[[shift]]
name = "day"
start = "08:00"
lengths = ["8h"]

[[contract]]
name = "full-time"
max_weekly_hours = 40
max_agents = 5

[roster]
hourly_cost = 10.0
weekend_premium = "50%"
"#;

/// A staffing.csv asking for `need(interval of the day)` agents every day of the week.
fn requirements(dir: &Path, need: impl Fn(usize) -> u32) -> std::path::PathBuf {
    requirements_by_day(dir, |_, i| need(i))
}

/// `hotline schedule SCENARIO --requirements REQ --out OUT`, asserted successful.
fn schedule_tiny(scenario: &Path, req: &Path, out: &Path) -> assert_cmd::assert::Assert {
    hotline()
        .arg("schedule")
        .arg(scenario)
        .arg("--requirements")
        .arg(req)
        .arg("--out")
        .arg(out)
        .arg("--no-charts")
        .assert()
        .success()
}

/// One agent 08:00–16:00 every day, agents work 5 days in a run with two consecutive days off:
/// two agents at least (7 days to cover, 5 each), so 10 shifts; every day needs one, so at
/// least 8 weekday shifts (80 each: 8 h × 10) and both weekend shifts (120 each with the 50 %
/// premium) — 8 × 80 + 2 × 120 = 880, reached with one agent off Saturday–Sunday.
#[test]
fn schedule_small_instance_matches_the_hand_optimum() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "tiny.toml", TINY);
    let req = requirements(dir.path(), |i| u32::from((16..32).contains(&i)));
    let out = dir.path().join("out");
    schedule_tiny(&scenario, &req, &out);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("schedule.json")).unwrap()).unwrap();
    let pool = &json["pools"][0];
    assert_eq!(pool["status"], "optimal", "{json}");
    assert_eq!(pool["shift_cost"].as_f64(), Some(880.0), "{json}");
    assert_eq!(pool["agents"].as_u64(), Some(2));
    assert_eq!(json["short_agent_intervals"].as_u64(), Some(0));
    let cov = read_csv(&out.join("coverage.csv"));
    assert_eq!(cov.len(), 7 * 48);
    for row in &cov {
        assert!(num(row, "scheduled") >= num(row, "required"), "{row:?}");
        assert_eq!(num(row, "under"), 0.0);
    }
}

/// Rules that leave an interval uncoverable (no shift reaches 03:00) are reported short, by
/// how much, instead of failing.
#[test]
fn schedule_reports_uncoverable_intervals_as_short() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "tiny.toml", TINY);
    let req = requirements(dir.path(), |i| {
        if i == 6 {
            2
        } else {
            u32::from((16..32).contains(&i))
        }
    });
    let out = dir.path().join("out");
    schedule_tiny(&scenario, &req, &out).stdout(predicates::str::contains(
        "d1 Mon 03:00 pool p: 2 agent(s) short",
    ));
    let cov = read_csv(&out.join("coverage.csv"));
    let at3: Vec<_> = cov
        .iter()
        .filter(|r| r["interval_start"].ends_with("03:00"))
        .collect();
    assert_eq!(at3.len(), 7);
    assert!(at3.iter().all(|r| num(r, "under") == 2.0));
}

// ------------------------------------------------------------------ the independent checker

/// Minutes since midnight of "HH:MM".
fn clock(t: &str) -> i64 {
    let (h, m) = t.split_once(':').unwrap();
    h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
}

/// weekly-plan.toml's rules, as its text states them.
struct Rules {
    lunch: HashMap<&'static str, i64>,
    allowed: HashMap<&'static str, Vec<&'static str>>,
    max_weekly_min: HashMap<&'static str, i64>,
}

fn weekly_plan_rules() -> Rules {
    Rules {
        lunch: HashMap::from([("early", 30), ("late", 30), ("night", 30), ("part", 0)]),
        allowed: HashMap::from([
            ("full-time", vec!["early", "late", "night"]),
            ("part-time", vec!["part", "early"]),
        ]),
        max_weekly_min: HashMap::from([("full-time", 40 * 60), ("part-time", 25 * 60)]),
    }
}

/// Minutes of [start, start + len) inside 22:00–06:00.
fn night_minutes(start: i64, len: i64) -> i64 {
    (start..start + len)
        .filter(|m| {
            let t = m % 1440;
            !(6 * 60..22 * 60).contains(&t)
        })
        .count() as i64
}

/// Runs `hotline schedule SCENARIO --no-charts` into `dir/name`.
pub(crate) fn schedule_into(dir: &Path, scenario: &str, name: &str) -> std::path::PathBuf {
    let out = dir.join(name);
    hotline()
        .args(["schedule", scenario, "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    out
}

/// Runs `hotline schedule scenarios/weekly-plan.toml` into `dir/wp`.
fn schedule_weekly_plan(dir: &Path) -> std::path::PathBuf {
    schedule_into(dir, "scenarios/weekly-plan.toml", "wp")
}

#[test]
fn weekly_plan_roster_honours_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let out = schedule_weekly_plan(dir.path());
    let rules = weekly_plan_rules();
    let roster = read_csv(&out.join("roster.csv"));
    assert!(roster.len() > 20, "a week of a bank hotline needs agents");
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for row in &roster {
        let contract = row["contract"].as_str();
        // (start in minutes of the week, length, night?) per day
        let mut week: Vec<Option<(i64, i64, bool)>> = Vec::new();
        let mut paid = 0;
        for (d, day) in days.iter().enumerate() {
            let cell = &row[*day];
            if cell == "off" {
                week.push(None);
                continue;
            }
            let (name, times) = cell.split_once(' ').unwrap();
            assert!(
                rules.allowed[contract].contains(&name),
                "{}: {contract} may not work {name}",
                row["agent"]
            );
            let times = times.split(' ').next().unwrap();
            let (a, b) = times.split_once('-').unwrap();
            let (a, mut b) = (clock(a), clock(b));
            if b <= a {
                b += 1440;
            }
            let len = b - a;
            paid += len - rules.lunch[name];
            week.push(Some((
                d as i64 * 1440 + a,
                len,
                night_minutes(a, len) >= 180,
            )));
        }
        let who = &row["agent"];
        assert!(
            paid <= rules.max_weekly_min[contract],
            "{who}: {paid} min paid"
        );
        assert_eq!(num(row, "paid_hours") * 60.0, paid as f64, "{who}");
        // Two consecutive days off (cyclic week), at most 5 days in a row.
        assert!(
            (0..7).any(|d| week[d].is_none() && week[(d + 1) % 7].is_none()),
            "{who}: no two consecutive days off"
        );
        for s in 0..7 {
            let run = (0..7).take_while(|j| week[(s + j) % 7].is_some()).count();
            assert!(run <= 5, "{who}: {run} days in a row");
        }
        // Rest ≥ 11 h and no two nights in a row, Sunday → Monday included.
        for d in 0..7 {
            let (Some(x), Some(y)) = (week[d], week[(d + 1) % 7]) else {
                continue;
            };
            let next_start = y.0 + if d == 6 { 7 * 1440 } else { 0 };
            let rest = next_start - (x.0 + x.1);
            assert!(rest >= 11 * 60, "{who}: {rest} min rest after day {d}");
            assert!(!(x.2 && y.2), "{who}: nights on day {d} and the next");
        }
    }
    // The coverage file states its own arithmetic and agrees with the shifts worked.
    for row in read_csv(&out.join("coverage.csv")) {
        let (r, s) = (num(&row, "required"), num(&row, "scheduled"));
        assert_eq!(num(&row, "under"), (r - s).max(0.0));
        assert_eq!(num(&row, "over"), (s - r).max(0.0));
    }
    let shifts = read_csv(&out.join("shifts.csv"));
    let worked: f64 = shifts.iter().map(|r| num(r, "agents")).sum();
    let cells = roster
        .iter()
        .flat_map(|r| days.iter().map(move |d| &r[*d]))
        .filter(|c| *c != "off")
        .count();
    assert_eq!(worked, cells as f64);
}

/// Regression: the day-by-day roster pass left 4 shifts (31 agent-intervals, Friday morning)
/// unstaffed on weekly-plan.toml — part-timers given an 8-hour shift early in the week had no
/// hours left for Friday under their 25-hour contract while others had room. The program's
/// hours constraint holds on average, so exchanges between agents staff every shift.
#[test]
fn weekly_plan_roster_staffs_every_shift_the_program_chose() {
    let dir = tempfile::tempdir().unwrap();
    let out = schedule_weekly_plan(dir.path());
    for row in read_csv(&out.join("shifts.csv")) {
        assert_eq!(num(&row, "unassigned"), 0.0, "{row:?}");
    }
    let under: f64 = read_csv(&out.join("coverage.csv"))
        .iter()
        .map(|r| num(r, "under"))
        .sum();
    assert_eq!(under, 0.0, "agent-intervals short");
}

#[test]
fn simulate_runs_the_roster_as_headcount() {
    let dir = tempfile::tempdir().unwrap();
    let out = schedule_weekly_plan(dir.path());
    let sim = dir.path().join("sim");
    hotline()
        .args([
            "simulate",
            "scenarios/weekly-plan.toml",
            "--no-charts",
            "--staffing",
        ])
        .arg(out.join("coverage.csv"))
        .arg("--out")
        .arg(&sim)
        .assert()
        .success();
}

// ------------------------------------------------------------------------- bad rules

fn refused(extra: &str, field: &str, words: &str) {
    let dir = tempfile::tempdir().unwrap();
    let text = TINY.to_string() + extra;
    let text = text.replace(
        "[[shift]]\nname = \"day\"",
        "[[shift]]\nname = \"day\"\n# slot",
    );
    let scenario = write(dir.path(), "bad.toml", &text);
    let out = hotline().arg("check").arg(&scenario).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("bad.toml:"), "{err}");
    assert!(err.contains(field), "{err}");
    assert!(err.contains(words), "{err}");
}

#[test]
fn a_break_longer_than_its_shift_is_refused() {
    refused(
        "\n[[shift]]\nname = \"short\"\nstart = \"09:00\"\nlengths = [\"1h\"]\nbreaks = [\"45m\", \"30m\"]\n",
        "shift[1].breaks",
        "longer than the shift",
    );
}

#[test]
fn a_start_window_outside_the_day_is_refused() {
    refused(
        "\n[[shift]]\nname = \"late\"\nstart = \"23:00-25:00\"\nlengths = [\"4h\"]\n",
        "shift[1].start",
        "not a time of day",
    );
}

#[test]
fn an_infeasible_headcount_limit_is_refused() {
    refused(
        "\n[[contract]]\nname = \"nobody\"\nmax_weekly_hours = 20\nmax_agents = 0\n",
        "contract[1].max_agents",
        "infeasible headcount limit",
    );
}

#[test]
fn unreachable_weekly_hours_are_refused() {
    refused(
        "\n[[contract]]\nname = \"long\"\nmin_weekly_hours = 45\nmax_weekly_hours = 48\nmax_agents = 3\n",
        "contract[1].min_weekly_hours",
        "infeasible limit",
    );
}

// ------------------------------------------------------------ unassigned shifts and costs

/// One agent at most, an early (06:00–14:00) and a late (14:00–22:00, two hours at the night
/// premium, so dearer) shift. To cover Monday 14:00–22:00 the program plans the agent's run
/// Monday–Friday (no weekend premium): Monday late, then the cheaper early shift. Monday's late
/// ends 8 h before Tuesday's early: `min_rest` (11 h) keeps the agent from it.
const REST_RULES: &str = r#"
[[shift]]
name = "early"
start = "06:00"
lengths = ["8h"]

[[shift]]
name = "late"
start = "14:00"
lengths = ["8h"]

[[contract]]
name = "full-time"
max_weekly_hours = 40
max_agents = 1

[roster]
hourly_cost = 10.0
night = "20:00-06:00"
night_premium = "50%"
weekend_premium = "50%"
"#;

/// TINY's center with REST_RULES.
fn rest() -> String {
    let center = &TINY[..TINY.find("[[shift]]").unwrap()];
    format!("{center}{REST_RULES}")
}

/// A staffing.csv asking for `need(day, interval of the day)` agents.
fn requirements_by_day(dir: &Path, need: impl Fn(usize, usize) -> u32) -> std::path::PathBuf {
    let mut s = String::from(
        "interval_start_s,queue,agents_required,agents_scheduled,service_level_excl_early_abandons,asa_s\n",
    );
    for k in 0..7 * 48 {
        let n = need(k / 48, k % 48);
        s += &format!("{},q,{n},{n},,\n", k * 1800);
    }
    write(dir, "staffing.csv", &s)
}

/// Schedules REST against `need`; returns stdout, schedule.json and coverage.csv's `under`
/// summed.
fn schedule_rest(
    dir: &Path,
    need: impl Fn(usize, usize) -> u32,
) -> (String, serde_json::Value, f64) {
    let scenario = write(dir, "rest.toml", &rest());
    let req = requirements_by_day(dir, need);
    let out = dir.join("out");
    let a = schedule_tiny(&scenario, &req, &out);
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let json =
        serde_json::from_str(&std::fs::read_to_string(out.join("schedule.json")).unwrap()).unwrap();
    let under = read_csv(&out.join("coverage.csv"))
        .iter()
        .map(|r| num(r, "under"))
        .sum();
    (stdout, json, under)
}

/// Asserts that `stdout` says each of `yes` and none of `no`.
fn says(stdout: &str, yes: &[&str], no: &[&str]) {
    for w in yes {
        assert!(stdout.contains(w), "no `{w}` in:\n{stdout}");
    }
    for w in no {
        assert!(!stdout.contains(w), "`{w}` in:\n{stdout}");
    }
}

/// Regression: the program planned Monday's late shift and Tuesday's early one for the only
/// agent (8 h apart, `min_rest` 11 h); the roster could not staff Tuesday and the plan's cost
/// and bound were about shifts nobody could work. The program now plans rest itself (per
/// threshold, as Hall's condition for the agents of consecutive days): its shifts are all
/// rostered and the roster costs what the plan costs.
#[test]
fn the_program_plans_rest_so_the_roster_staffs_every_shift() {
    let dir = tempfile::tempdir().unwrap();
    // Only Monday 14:00–22:00 needs an agent: the rest of the run is filler.
    let (stdout, json, under) = schedule_rest(dir.path(), |d, i| {
        u32::from(d == 0 && (28..44).contains(&i))
    });
    says(
        &stdout,
        &["every interval's requirement is met"],
        &["could not be given", "are short"],
    );
    assert_eq!(under, 0.0);
    assert_eq!(json["unassigned_shifts"].as_u64(), Some(0), "{json}");
    assert_eq!(json["roster_cost"], json["shift_plan_cost"], "{json}");
    let bound = json["lp_bound"].as_f64().unwrap();
    assert!(
        json["roster_cost"].as_f64().unwrap() >= bound - 1e-9,
        "{json}"
    );
    // No early shift the day after the late one.
    let roster = read_csv(&dir.path().join("out/roster.csv"));
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for row in &roster {
        for d in 0..7 {
            if row[days[d]].starts_with("late") {
                assert!(!row[days[(d + 1) % 7]].starts_with("early"), "{row:?}");
            }
        }
    }
}

/// With one agent, Monday 14:00–22:00 and Tuesday 06:00–14:00 cannot both be covered
/// (`min_rest` 11 h): the program leaves one of them short, says so as planned shortage, and
/// plans no shift the roster cannot staff.
#[test]
fn a_requirement_the_rest_rule_cannot_meet_is_planned_short() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, json, under) = schedule_rest(dir.path(), |d, i| {
        u32::from((d == 0 && (28..44).contains(&i)) || (d == 1 && (12..28).contains(&i)))
    });
    says(
        &stdout,
        &[
            "16 interval × pool cells short",
            "penalty for 16 agent-intervals short",
        ],
        &["every interval's requirement is met", "could not be given"],
    );
    assert_eq!(under, 16.0);
    assert_eq!(json["short_agent_intervals"].as_u64(), Some(16), "{json}");
    assert_eq!(
        json["pools"][0]["short_planned"].as_u64(),
        Some(16),
        "{json}"
    );
    assert_eq!(json["unassigned_shifts"].as_u64(), Some(0), "{json}");
}

// ------------------------------------------- each rule binding, against a hand-computed optimum

/// Schedules TINY's center with `rules` (shift, contract and roster tables) against
/// `need(day, interval of the day)`; returns schedule.json and roster.csv, asserting the
/// program planned nothing the roster could not staff.
fn binding(
    rules: &str,
    need: impl Fn(usize, usize) -> u32,
) -> (serde_json::Value, Vec<HashMap<String, String>>) {
    let dir = tempfile::tempdir().unwrap();
    let center = &TINY[..TINY.find("[[shift]]").unwrap()];
    let scenario = write(dir.path(), "rules.toml", &format!("{center}{rules}"));
    let req = requirements_by_day(dir.path(), need);
    let out = dir.path().join("out");
    schedule_tiny(&scenario, &req, &out);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("schedule.json")).unwrap()).unwrap();
    assert_eq!(json["unassigned_shifts"].as_u64(), Some(0), "{json}");
    assert_eq!(json["short_agent_intervals"].as_u64(), Some(0), "{json}");
    assert_eq!(json["pools"][0]["status"], "optimal", "{json}");
    (json, read_csv(&out.join("roster.csv")))
}

const WEEK: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Days worked by a roster row, Monday first.
fn worked(row: &HashMap<String, String>) -> Vec<bool> {
    WEEK.iter().map(|d| row[*d] != "off").collect()
}

/// 08:00–16:00 on the days `days` (Monday = 0).
fn day_shift_on(days: &'static [usize]) -> impl Fn(usize, usize) -> u32 {
    move |d, i| u32::from(days.contains(&d) && (16..32).contains(&i))
}

/// `max_weekly_hours` binds: Monday–Friday 08:00–16:00 is 40 h, a full-timer (10 an hour, 4 or
/// 5 days) may work 32: four 8-hour days (320), and Friday falls to the one-day part-timer at 12
/// an hour (96): 416. Without the cap one full-timer works all five days for 400.
#[test]
fn the_weekly_hours_cap_binds_at_its_hand_optimum() {
    let rules = r#"
[[shift]]
name = "day"
start = "08:00"
lengths = ["8h"]

[[contract]]
name = "full-time"
max_weekly_hours = 32
max_agents = 5
min_days_per_week = 4

[[contract]]
name = "one-day"
hourly_cost = 12.0
max_weekly_hours = 8
max_agents = 5
max_days_per_week = 1

[roster]
hourly_cost = 10.0
"#;
    let (json, roster) = binding(rules, day_shift_on(&[0, 1, 2, 3, 4]));
    assert_eq!(
        json["pools"][0]["shift_cost"].as_f64(),
        Some(416.0),
        "{json}"
    );
    for row in &roster {
        let cap = if row["contract"] == "full-time" {
            32.0
        } else {
            8.0
        };
        assert!(num(row, "paid_hours") <= cap, "{row:?}");
    }
}

/// `max_days_in_row = 2` binds: every day needs one agent 08:00–16:00; runs of two allow four
/// days a week (7 − ⌈7/3⌉), so two agents, eight shifts, one a weekday filler: six weekdays at
/// 80 and the weekend at 120 each, 720. Without the rule the same count of shifts, but the
/// roster below would hold runs of three or more.
#[test]
fn the_days_in_a_row_rule_binds_at_its_hand_optimum() {
    let rules = r#"
[[shift]]
name = "day"
start = "08:00"
lengths = ["8h"]

[[contract]]
name = "full-time"
max_weekly_hours = 40
max_agents = 5

[roster]
hourly_cost = 10.0
weekend_premium = "50%"
max_days_in_row = 2
two_days_off = false
"#;
    let (json, roster) = binding(rules, day_shift_on(&[0, 1, 2, 3, 4, 5, 6]));
    assert_eq!(
        json["pools"][0]["shift_cost"].as_f64(),
        Some(720.0),
        "{json}"
    );
    for row in &roster {
        let w = worked(row);
        for s in 0..7 {
            let run = (0..7).take_while(|j| w[(s + j) % 7]).count();
            assert!(run <= 2, "{row:?}");
        }
    }
}

/// `no_consecutive_nights` binds: one agent 22:00–06:00 every night, only night shifts, three
/// or four days a week. Without the rule two agents on four nights each (8 shifts) would do;
/// with it nobody works two nights running, so three agents on three nights each: the seven
/// nights (Monday–Thursday 80, Friday 110, Saturday 120, Sunday 90 with the weekend premium on
/// their weekend hours) and two weekday fillers (160): 800.
#[test]
fn the_no_consecutive_nights_rule_binds_at_its_hand_optimum() {
    let rules = r#"
[[shift]]
name = "night"
start = "22:00"
lengths = ["8h"]

[[contract]]
name = "nights"
max_weekly_hours = 40
max_agents = 5
min_days_per_week = 3
max_days_per_week = 4

[roster]
hourly_cost = 10.0
weekend_premium = "50%"
night = "22:00-06:00"
no_consecutive_nights = true
"#;
    let (json, roster) = binding(rules, |_, i| u32::from(!(12..44).contains(&i)));
    assert_eq!(
        json["pools"][0]["shift_cost"].as_f64(),
        Some(800.0),
        "{json}"
    );
    assert_eq!(json["pools"][0]["agents"].as_u64(), Some(3), "{json}");
    for row in &roster {
        let w = worked(row);
        for d in 0..7 {
            assert!(!(w[d] && w[(d + 1) % 7]), "two nights running: {row:?}");
        }
    }
}

/// `two_days_off` binds: Monday, Tuesday, Wednesday, Friday and Saturday need one agent. One
/// agent on exactly those days (440) would have Thursday and Sunday off, not in a row; with two
/// consecutive days off two agents are needed: Monday–Friday (400) and Tuesday–Saturday (440),
/// 840.
#[test]
fn the_two_days_off_rule_binds_at_its_hand_optimum() {
    let rules = r#"
[[shift]]
name = "day"
start = "08:00"
lengths = ["8h"]

[[contract]]
name = "full-time"
max_weekly_hours = 40
max_agents = 5

[roster]
hourly_cost = 10.0
weekend_premium = "50%"
two_days_off = true
"#;
    let (json, roster) = binding(rules, day_shift_on(&[0, 1, 2, 4, 5]));
    assert_eq!(
        json["pools"][0]["shift_cost"].as_f64(),
        Some(840.0),
        "{json}"
    );
    for row in &roster {
        let w = worked(row);
        assert!(
            (0..7).any(|d| !w[d] && !w[(d + 1) % 7]),
            "no two days off in a row: {row:?}"
        );
    }
}

#[test]
fn contract_days_a_week_out_of_order_or_range_are_refused() {
    refused(
        "\n[[contract]]\nname = \"c2\"\nmax_weekly_hours = 20\nmax_agents = 2\nmin_days_per_week = 5\nmax_days_per_week = 3\n",
        "contract[1].min_days_per_week",
        "is above max_days_per_week",
    );
    refused(
        "\n[[contract]]\nname = \"c2\"\nmax_weekly_hours = 20\nmax_agents = 2\nmax_days_per_week = 6\n",
        "contract[1].max_days_per_week",
        "working days per week from 1 to 5",
    );
}

#[test]
fn a_contract_pay_that_is_not_positive_is_refused() {
    refused(
        "\n[[contract]]\nname = \"c2\"\nmax_weekly_hours = 20\nmax_agents = 2\nhourly_cost = -3\n",
        "contract[1].hourly_cost",
        "must be a positive cost",
    );
}

#[test]
fn a_shift_for_an_unknown_pool_is_refused() {
    refused(
        "\n[[shift]]\nname = \"x\"\nstart = \"09:00\"\nlengths = [\"4h\"]\npools = [\"nobody\"]\n",
        "shift[1].pools",
        "no [[pool]] is named `nobody`",
    );
}

#[test]
fn a_horizon_of_part_weeks_is_refused_by_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(
        dir.path(),
        "ten.toml",
        &TINY.replace("days = 7", "days = 10"),
    );
    let out = hotline()
        .arg("schedule")
        .arg(&scenario)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("ten.toml"), "{err}");
    assert!(err.contains("whole weeks"), "{err}");
    assert!(err.contains("days = 10"), "{err}");
}

/// Overtime, on the weekly-hours instance: with `overtime_hours = 8` at a 10 % premium the
/// full-timer also works Friday (5 × 80 + 8 h × 10 × 10 % = 408, below 416 with the one-day
/// part-timer); at 50 % overtime costs 440 and the plan stays at 416 without it.
#[test]
fn overtime_is_worked_when_its_premium_is_cheaper_than_another_agent() {
    let rules = |premium: &str| {
        format!(
            r#"
[[shift]]
name = "day"
start = "08:00"
lengths = ["8h"]

[[contract]]
name = "full-time"
max_weekly_hours = 32
max_agents = 5
min_days_per_week = 4
overtime_hours = 8
overtime_premium = "{premium}"

[[contract]]
name = "one-day"
hourly_cost = 12.0
max_weekly_hours = 8
max_agents = 5
max_days_per_week = 1

[roster]
hourly_cost = 10.0
"#
        )
    };
    let (json, roster) = binding(&rules("10%"), day_shift_on(&[0, 1, 2, 3, 4]));
    let pool = &json["pools"][0];
    assert_eq!(pool["shift_cost"].as_f64(), Some(408.0), "{json}");
    assert_eq!(pool["roster_cost"].as_f64(), Some(408.0), "{json}");
    assert_eq!(pool["overtime_hours"].as_f64(), Some(8.0), "{json}");
    assert_eq!(pool["overtime_pay"].as_f64(), Some(8.0), "{json}");
    assert_eq!(roster.len(), 1, "one full-timer: {roster:?}");
    assert_eq!(num(&roster[0], "paid_hours"), 40.0);
    assert_eq!(num(&roster[0], "cost"), 408.0);

    let (json, roster) = binding(&rules("50%"), day_shift_on(&[0, 1, 2, 3, 4]));
    assert_eq!(
        json["pools"][0]["shift_cost"].as_f64(),
        Some(416.0),
        "{json}"
    );
    assert_eq!(
        json["pools"][0]["overtime_hours"].as_f64(),
        Some(0.0),
        "{json}"
    );
    for row in &roster {
        let cap = if row["contract"] == "full-time" {
            32.0
        } else {
            8.0
        };
        assert!(num(row, "paid_hours") <= cap, "{row:?}");
    }
}

#[test]
fn an_overtime_premium_without_overtime_hours_is_refused() {
    refused(
        "\n[[contract]]\nname = \"c2\"\nmax_weekly_hours = 20\nmax_agents = 2\novertime_premium = \"50%\"\n",
        "contract[1].overtime_premium",
        "needs `overtime_hours`",
    );
}
