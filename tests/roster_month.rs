//! A month rostered at once (`scenarios/monthly-plan.toml`, four dated weeks, named agents with
//! leave in `scenarios/data/monthly-agents.csv`), checked by an independent reader of its
//! files: every rule across week boundaries, leave and the named agents, the contracts' pay,
//! pools a template is limited to, and the coverage recomputed from the roster.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::support::{hotline, num, read_csv};

/// Minutes since midnight of "HH:MM".
fn clock(t: &str) -> i64 {
    let (h, m) = t.split_once(':').unwrap();
    h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
}

/// monthly-plan.toml's rules, as its text states them.
struct Contract {
    shifts: &'static [&'static str],
    min_weekly_min: i64,
    max_weekly_min: i64,
    min_days: usize,
    max_days: usize,
    rate: f64,
    /// Paid minutes a week above `max_weekly_min` an agent may work (overtime).
    overtime_min: i64,
}

fn contracts() -> HashMap<&'static str, Contract> {
    HashMap::from([
        (
            "full-time",
            Contract {
                shifts: &["early", "late", "night"],
                min_weekly_min: 32 * 60,
                max_weekly_min: 40 * 60,
                min_days: 5,
                max_days: 5,
                rate: 25.0,
                overtime_min: 4 * 60,
            },
        ),
        (
            "part-time",
            Contract {
                shifts: &["part", "early"],
                min_weekly_min: 12 * 60,
                max_weekly_min: 25 * 60,
                min_days: 4,
                max_days: 5,
                rate: 22.0,
                overtime_min: 0,
            },
        ),
    ])
}

fn lunch_min(shift: &str) -> i64 {
    if shift == "part" { 0 } else { 30 }
}

/// One worked shift: start and end in minutes since the horizon's start, unpaid lunch start
/// (same clock), template name.
#[derive(Debug, Clone)]
struct Worked {
    name: String,
    start: i64,
    end: i64,
    lunch: Option<i64>,
}

impl Worked {
    fn paid(&self) -> i64 {
        self.end - self.start - lunch_min(&self.name)
    }
    fn night(&self) -> bool {
        (self.start..self.end)
            .filter(|m| !(6 * 60..22 * 60).contains(&(m % 1440)))
            .count()
            >= 180
    }
}

/// A roster cell `early 06:00-14:30 lunch 10:00` worked on day `d`.
fn parse_cell(cell: &str, d: i64) -> Option<Worked> {
    if cell == "off" || cell == "leave" {
        return None;
    }
    let parts: Vec<&str> = cell.split(' ').collect();
    let (a, b) = parts[1].split_once('-').unwrap();
    let (a, mut b) = (clock(a), clock(b));
    if b <= a {
        b += 1440;
    }
    let lunch = (parts.len() == 4 && parts[2] == "lunch").then(|| {
        let l = clock(parts[3]);
        d * 1440 + if l < a { l + 1440 } else { l }
    });
    Some(Worked {
        name: parts[0].to_string(),
        start: d * 1440 + a,
        end: d * 1440 + b,
        lunch,
    })
}

/// A person of monthly-agents.csv: pool, contract and the days of the month (0 = 2027-01-04)
/// they are unavailable, read from its ranges and dates.
struct Person {
    pool: String,
    contract: String,
    unavailable: Vec<i64>,
}

fn people() -> HashMap<String, Person> {
    let day = |t: &str| -> i64 {
        // January 2027 only in this file.
        assert!(t.starts_with("2027-01-"), "{t}");
        t[8..10].parse::<i64>().unwrap() - 4
    };
    read_csv(Path::new("scenarios/data/monthly-agents.csv"))
        .into_iter()
        .map(|r| {
            let mut unavailable = Vec::new();
            for item in r["unavailable"].split(' ').filter(|s| !s.is_empty()) {
                let (a, b) = item.split_once("..").unwrap_or((item, item));
                unavailable.extend(day(a)..=day(b));
            }
            (
                r["agent"].clone(),
                Person {
                    pool: r["pool"].clone(),
                    contract: r["contract"].clone(),
                    unavailable,
                },
            )
        })
        .collect()
}

fn schedule_month(dir: &Path) -> PathBuf {
    crate::schedule::schedule_into(dir, "scenarios/monthly-plan.toml", "month")
}

#[test]
fn a_month_is_one_roster_whose_every_rule_holds_across_week_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    let out = schedule_month(dir.path());
    let contracts = contracts();
    let roster = read_csv(&out.join("roster.csv"));
    let text = std::fs::read_to_string(out.join("roster.csv")).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    // One column per dated day, Monday 2027-01-04 first.
    let day_cols: Vec<&str> = header[2..30].to_vec();
    assert_eq!(day_cols[0], "2027-01-04 Mon");
    assert_eq!(day_cols[27], "2027-01-31 Sun");
    // Every named agent of agents.csv, once each, in their pool and contract (they are under
    // contract: all of them are rostered): the same person all month.
    let people = people();
    assert_eq!(roster.len(), people.len());
    let mut names: Vec<&String> = roster.iter().map(|r| &r["agent"]).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), roster.len());
    let mut leave_checked = 0;
    for row in &roster {
        let who = &row["agent"];
        let person = people
            .get(who)
            .unwrap_or_else(|| panic!("{who} is not in agents.csv"));
        assert_eq!(row["pool"], person.pool, "{who}");
        assert_eq!(row["contract"], person.contract, "{who}");
        let k = &contracts[row["contract"].as_str()];
        // Leave: no shift, and the cell says so; nowhere else.
        for (d, c) in day_cols.iter().enumerate() {
            let on_leave = person.unavailable.contains(&(d as i64));
            assert_eq!(row[*c] == "leave", on_leave, "{who} day {d}: {}", row[*c]);
            leave_checked += usize::from(on_leave);
        }
        let days: Vec<Option<Worked>> = day_cols
            .iter()
            .enumerate()
            .map(|(d, c)| parse_cell(&row[*c], d as i64))
            .collect();
        for w in days.iter().flatten() {
            assert!(k.shifts.contains(&w.name.as_str()), "{who}: {}", w.name);
            if w.name == "part" {
                assert_eq!(
                    row["pool"], "advisors",
                    "{who}: part shifts are the advisors'"
                );
            }
        }
        let mut paid_total = 0;
        for week in 0..4 {
            let wk = &days[week * 7..week * 7 + 7];
            let worked = wk.iter().flatten().count();
            let paid: i64 = wk.iter().flatten().map(Worked::paid).sum();
            paid_total += paid;
            // A day of leave counts as a day worked (docs/scenario-format.md, "Named agents").
            let leave = person
                .unavailable
                .iter()
                .filter(|&&d| d / 7 == week as i64)
                .count();
            let (min_days, max_days) = (
                k.min_days.saturating_sub(leave),
                k.max_days.saturating_sub(leave),
            );
            assert!(
                (min_days..=max_days).contains(&worked),
                "{who}: {worked} days in week {week} ({leave} on leave)"
            );
            let min_paid = k.min_weekly_min * min_days as i64 / k.min_days as i64;
            assert!(
                (min_paid..=k.max_weekly_min + k.overtime_min).contains(&paid),
                "{who}: {paid} min paid in week {week} ({leave} on leave)"
            );
            // Two days off in a row in every week (Sunday and Monday of the week count).
            assert!(
                (0..7).any(|d| wk[d].is_none() && wk[(d + 1) % 7].is_none()),
                "{who}: no two consecutive days off in week {week}"
            );
        }
        assert_eq!(num(row, "paid_hours") * 60.0, paid_total as f64, "{who}");
        // At most 5 days in a row, rest ≥ 11 h, no two nights in a row: over the whole month.
        let mut run = 0;
        for d in 0..28 {
            run = if days[d].is_some() { run + 1 } else { 0 };
            assert!(run <= 5, "{who}: {run} days in a row to day {d}");
            if d + 1 < 28 {
                if let (Some(x), Some(y)) = (&days[d], &days[d + 1]) {
                    let rest = y.start - x.end;
                    assert!(rest >= 11 * 60, "{who}: {rest} min rest after day {d}");
                    assert!(
                        !(x.night() && y.night()),
                        "{who}: nights on day {d} and {}",
                        d + 1
                    );
                }
            }
        }
        // Pay per contract: premiums only raise it; an agent with weekday day shifts only is
        // paid exactly paid hours × the contract's rate.
        let cost = num(row, "cost");
        let overtime: i64 = (0..4)
            .map(|w| {
                let paid: i64 = days[w * 7..w * 7 + 7]
                    .iter()
                    .flatten()
                    .map(Worked::paid)
                    .sum();
                (paid - k.max_weekly_min).max(0)
            })
            .sum();
        let base = (paid_total as f64 + 0.5 * overtime as f64) / 60.0 * k.rate;
        assert!(cost >= base - 1e-6, "{who}: cost {cost} below {base}");
        let plain = days.iter().enumerate().all(|(d, w)| match w {
            None => true,
            Some(w) => {
                d % 7 < 5
                    && !w.night()
                    && w.end % 1440 <= 22 * 60
                    && w.end - d as i64 * 1440 <= 1440
            }
        });
        if plain {
            assert!(
                (cost - base).abs() < 1e-6,
                "{who}: cost {cost}, {base} expected"
            );
        }
    }
    // The file's leave: 5 + 7 + 5 + 1 + 2 advisors' full-time days, 5 + 1 part-time, 5 + 5
    // card desk (every day inside the month).
    assert_eq!(leave_checked, 36);
}

#[test]
fn a_month_s_coverage_is_what_its_roster_works() {
    let dir = tempfile::tempdir().unwrap();
    let out = schedule_month(dir.path());
    let roster = read_csv(&out.join("roster.csv"));
    let text = std::fs::read_to_string(out.join("roster.csv")).unwrap();
    let header: Vec<String> = text
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(String::from)
        .collect();
    // Paid breaks of each (date, start, end, lunch) from shifts.csv.
    let mut breaks: HashMap<(String, String, String), Vec<(i64, i64)>> = HashMap::new();
    for r in read_csv(&out.join("shifts.csv")) {
        let list: Vec<(i64, i64)> = r["breaks"]
            .split("; ")
            .filter(|b| !b.is_empty() && !b.ends_with("lunch"))
            .map(|b| {
                let (at, len) = b.split_once(' ').unwrap();
                (clock(at), len.trim_end_matches('m').parse::<i64>().unwrap())
            })
            .collect();
        let lunch = r["breaks"]
            .split("; ")
            .find(|b| b.ends_with("lunch"))
            .map_or(String::new(), |b| b.split(' ').next().unwrap().to_string());
        breaks.insert(
            (
                r["date"].clone(),
                r["start"].clone(),
                format!("{}|{lunch}", r["pool"]),
            ),
            list,
        );
    }
    let n = 28 * 48;
    let mut covered: HashMap<String, Vec<u32>> = HashMap::new();
    for row in &roster {
        let pool = row["pool"].clone();
        let cov = covered.entry(pool.clone()).or_insert_with(|| vec![0; n]);
        for d in 0..28 {
            let cell = &row[&header[2 + d]];
            let Some(w) = parse_cell(cell, d as i64) else {
                continue;
            };
            let date = header[2 + d].split(' ').next().unwrap().to_string();
            let start_txt = cell
                .split(' ')
                .nth(1)
                .unwrap()
                .split('-')
                .next()
                .unwrap()
                .to_string();
            let lunch_txt = cell.split(" lunch ").nth(1).unwrap_or("").to_string();
            let key = (date, start_txt, format!("{pool}|{lunch_txt}"));
            let bs = breaks
                .get(&key)
                .unwrap_or_else(|| panic!("no shifts.csv row {key:?}"));
            // Off the phones: lunch and breaks (as minutes since the horizon's start).
            let mut off: Vec<(i64, i64)> = w.lunch.map(|l| (l, l + 30)).into_iter().collect();
            for &(at, len) in bs {
                let mut a = d as i64 * 1440 + at;
                if a < w.start {
                    a += 1440;
                }
                off.push((a, a + len));
            }
            // Whole intervals on the phones count; cyclic horizon for coverage.
            let mut k = (w.start + 29) / 30;
            while (k + 1) * 30 <= w.end {
                let (a, b) = (k * 30, k * 30 + 30);
                if !off.iter().any(|&(x, y)| x < b && a < y) {
                    cov[(k as usize) % n] += 1;
                }
                k += 1;
            }
        }
    }
    let mut checked = 0;
    for row in read_csv(&out.join("coverage.csv")) {
        let k = (num(&row, "interval_start_s") / 1800.0).round() as usize;
        let mine = covered.get(&row["pool"]).map_or(0, |c| c[k]);
        assert_eq!(
            f64::from(mine),
            num(&row, "scheduled"),
            "{} {}",
            row["interval_start"],
            row["pool"]
        );
        checked += 1;
    }
    assert_eq!(checked, 2 * n);
}

/// The month needs every shift the program planned staffed (no `unassigned`), and the pay
/// totals agree between roster.csv, shifts.csv and schedule.json.
#[test]
fn a_month_s_roster_staffs_the_plan_and_its_costs_agree() {
    let dir = tempfile::tempdir().unwrap();
    let out = schedule_month(dir.path());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("schedule.json")).unwrap()).unwrap();
    assert_eq!(json["unassigned_shifts"].as_u64(), Some(0), "{json}");
    let roster = read_csv(&out.join("roster.csv"));
    let shifts = read_csv(&out.join("shifts.csv"));
    let roster_total: f64 = roster.iter().map(|r| num(r, "cost")).sum();
    let shifts_total: f64 = shifts.iter().map(|r| num(r, "cost")).sum();
    let cost = json["roster_cost"].as_f64().unwrap();
    // Rounding only: each CSV figure to the cent (±0.005), the JSON total to six significant
    // digits (±0.5 at this size).
    let tol = |rows: usize| 0.005 * rows as f64 + 0.5;
    assert!(
        (roster_total - cost).abs() <= tol(roster.len()),
        "{roster_total} vs {cost}"
    );
    assert!(
        (shifts_total - cost).abs() <= tol(shifts.len()),
        "{shifts_total} vs {cost}"
    );
    for p in json["pools"].as_array().unwrap() {
        let status = p["status"].as_str().unwrap();
        assert!(
            ["optimal", "feasible", "time limit", "heuristic"].contains(&status),
            "{p}"
        );
        assert!(p["gap"].as_f64().unwrap() >= 0.0, "{p}");
        assert!(
            p["objective"].as_f64().unwrap() >= p["lp_bound"].as_f64().unwrap() - 1e-6,
            "{p}"
        );
    }
}

/// A line open Monday–Friday 08:00–16:00 whose pool serves nothing else, its shift starting
/// at `start` for `length`, at least 24 hours a week.
fn weekday_line(start: &str, length: &str) -> String {
    include_str!("data/weekday-line.toml")
        .replace("START", start)
        .replace("LENGTH", length)
        .replace("MIN", "24")
}

/// `hotline schedule` of scenario `text`: its output folder, stdout and schedule.json.
fn schedule_line(dir: &Path, text: &str) -> (PathBuf, String, serde_json::Value) {
    let scenario = crate::support::write(dir, "line.toml", text);
    let out = dir.join("out");
    let a = hotline()
        .arg("schedule")
        .arg(&scenario)
        .args(["--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    let json =
        serde_json::from_str(&std::fs::read_to_string(out.join("schedule.json")).unwrap()).unwrap();
    (out, stdout, json)
}

/// Where the templates allow it, no agent is on the phones while every queue the pool serves is
/// closed: no weekend shift, no hour before 08:00 or after 16:00.
#[test]
fn no_agent_hour_is_planned_where_every_queue_of_the_pool_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _, json) = schedule_line(dir.path(), &weekday_line("07:00-09:00", "8h"));
    assert_eq!(
        json["pools"][0]["closed_agent_hours"].as_f64(),
        Some(0.0),
        "{json}"
    );
    let mut staffed = 0.0;
    for row in read_csv(&out.join("coverage.csv")) {
        let t = num(&row, "interval_start_s") as i64;
        let (day, tod) = (t / 86_400 % 7, t % 86_400);
        let open = day < 5 && (8 * 3600..16 * 3600).contains(&tod);
        if !open {
            assert_eq!(num(&row, "scheduled"), 0.0, "{}", row["interval_start"]);
        } else {
            staffed += num(&row, "scheduled");
        }
    }
    assert!(staffed > 0.0);
    for row in read_csv(&out.join("roster.csv")) {
        for d in ["w1 Sat", "w1 Sun", "w2 Sat", "w2 Sun"] {
            assert_eq!(row[d], "off", "{row:?}");
        }
    }
}

/// Where the template forces them (a 9-hour shift starting at 07:00 for an 08:00 opening), the
/// closed hours are counted and said: one an agent a shift.
#[test]
fn closed_hours_the_templates_force_are_counted_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let (out, stdout, json) = schedule_line(dir.path(), &weekday_line("07:00", "9h"));
    let shifts: f64 = read_csv(&out.join("shifts.csv"))
        .iter()
        .map(|r| num(r, "agents"))
        .sum();
    assert!(shifts > 0.0);
    let pool = &json["pools"][0];
    assert_eq!(pool["closed_agent_hours"].as_f64(), Some(shifts), "{json}");
    assert_eq!(
        pool["closed_hours_pay"].as_f64(),
        Some(shifts * 10.0),
        "{json}"
    );
    assert!(
        stdout.contains("agent-hours on the phones while every queue the pool serves is closed"),
        "{stdout}"
    );
    // No 9-hour shift of the template covers 08:00–16:00 without an hour before the opening:
    // the template is the rule, and the whole pay of those hours its cost.
    assert_eq!(
        by_rule(pool),
        [(
            "[[shift]] lengths, start times and pools".to_string(),
            shifts,
            shifts * 10.0
        )],
        "{json}"
    );
    assert!(
        stdout.contains(&format!(
            "[[shift]] lengths, start times and pools: {shifts} agent-hours, pay {}",
            shifts * 10.0
        )),
        "{stdout}"
    );
}

/// Where the contract's days force them (at least 3 days a week, the line open on 2), each
/// agent works a whole shift a week on a closed day, and the hours are laid at
/// `min_days_per_week`'s door.
#[test]
fn closed_hours_the_contract_days_force_are_laid_at_that_rule() {
    let dir = tempfile::tempdir().unwrap();
    let text = weekday_line("07:00-09:00", "8h").replace(
        "\"mon-fri\" = \"08:00-16:00\"",
        "\"mon-tue\" = \"08:00-16:00\"",
    );
    let (out, _, json) = schedule_line(dir.path(), &text);
    let scenario = out.with_file_name("line.toml");
    // Recounted from roster.csv: every shift not on a Monday or Tuesday is 8 closed hours.
    let roster = read_csv(&out.join("roster.csv"));
    let mut closed_days = 0;
    for row in &roster {
        let mut worked = [0; 2];
        for (day, cell) in row.iter().filter(|(k, _)| k.starts_with('w')) {
            let week = usize::from(day.starts_with("w2"));
            if cell != "off" {
                worked[week] += 1;
                if !(day.ends_with("Mon") || day.ends_with("Tue")) {
                    closed_days += 1;
                }
            }
        }
        assert!(worked.iter().all(|&w| w >= 3), "{row:?}");
    }
    assert!(closed_days >= 2 * roster.len(), "{roster:?}");
    let hours = 8.0 * closed_days as f64;
    let pool = &json["pools"][0];
    assert_eq!(pool["closed_agent_hours"].as_f64(), Some(hours), "{json}");
    assert_eq!(
        by_rule(pool),
        [(
            "[[contract]] min_days_per_week".to_string(),
            hours,
            hours * 10.0
        )],
        "{json}"
    );
    // `plan` says it of its kept roster too, under its table.
    let plan = hotline()
        .arg("plan")
        .arg(&scenario)
        .args(["--no-charts", "--replications", "4", "--out"])
        .arg(dir.path().join("plan"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&plan.get_output().stdout).into_owned();
    let kept: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("plan/schedule.json")).unwrap(),
    )
    .unwrap();
    let (rule, h, _) = by_rule(&kept["pools"][0]).remove(0);
    assert!(
        stdout.contains(&format!("kept roster, pool p:\n  {h} agent-hours"))
            && stdout.contains(&format!("    {rule}: {h} agent-hours")),
        "{stdout}"
    );
}

/// A pool's `closed_hours_by_rule` of schedule.json: (rule, agent-hours, pay).
fn by_rule(pool: &serde_json::Value) -> Vec<(String, f64, f64)> {
    pool["closed_hours_by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["rule"].as_str().unwrap().to_string(),
                c["agent_hours"].as_f64().unwrap(),
                c["pay"].as_f64().unwrap(),
            )
        })
        .collect()
}
