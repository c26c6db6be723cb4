//! What report.html and report.xlsx show beyond the month at a glance (issue 20): callers cut
//! off when their queue closed (`disconnected`) wherever the other outcomes are shown, and the
//! roster's `Roster` and `Cost` sheets when the folder holds a schedule — each checked against
//! the files it comes from, recomputed here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::month_replicated::value;
use crate::outputs::{column_letters, sheets, unzip};
use crate::support::*;

type Row = HashMap<String, String>;

/// One queue open 09:00–10:00, one agent for 30 calls an hour of 10 minutes each and callers
/// who never hang up: at 10:00 most of the hour's callers are still on hold and are cut off.
fn closing_scenario(dir: &Path) -> PathBuf {
    write(
        dir,
        "closing.toml",
        r#"
[scenario]
name = "closing"
days = 8
interval = "30m"
seed = 3

[arrivals]
calls_per_hour = 30

[[queue]]
name = "general"
handle_time = { dist = "exponential", mean = "10m" }
service_level_threshold = "20s"
hours = "09:00-10:00"

[queue.closed]
waiting = "disconnect"

[[pool]]
name = "agents"
serves = ["general"]
agents = 1
"#,
    )
}

/// The cells of the rows of the HTML table that starts at `html`'s first `<table`.
fn table_rows(html: &str) -> Vec<Vec<String>> {
    let t = &html[html.find("<table").unwrap()..];
    let t = &t[..t.find("</table>").unwrap()];
    t.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<t")
                .skip(1)
                .filter_map(|c| {
                    let c = c.strip_prefix('d').or_else(|| c.strip_prefix('h'))?;
                    let start = c.find('>')? + 1;
                    Some(c[start..c.find("</t").unwrap_or(c.len())].to_string())
                })
                .collect()
        })
        .collect()
}

fn column(rows: &[Vec<String>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header:?} in {:?}", rows[0]))
}

#[test]
fn disconnected_callers_are_shown_where_the_other_outcomes_are() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("single");
    crate::replications::simulate(&closing_scenario(dir.path()), &out, &[]);
    let summary = read_csv(&out.join("summary.csv"));
    let all = summary.iter().find(|r| r["queue"] == "all").unwrap();
    let cut = num(all, "disconnected");
    assert!(cut > 20.0, "the test needs callers cut off: {cut}");
    let html = read(out.join("report.html"));
    // The outcomes table: the summary.csv count per queue.
    let outcomes = table_rows(&html[html.find("<table id=\"outcomes\"").unwrap()..]);
    let c = column(&outcomes, "disconnected");
    for r in &summary {
        let row = outcomes.iter().find(|row| row[0] == r["queue"]).unwrap();
        assert_eq!(row[c], r["disconnected"], "{}", r["queue"]);
    }
    // The days table of the center: each day's sum of intervals.csv.
    let intervals = read_csv(&out.join("intervals.csv"));
    let per_day = |queue: &str, day: usize| -> f64 {
        intervals
            .iter()
            .filter(|r| r["queue"] == queue)
            .filter(|r| (num(r, "interval_start_s") / 86_400.0).floor() as usize == day)
            .map(|r| num(r, "disconnected"))
            .sum()
    };
    let days = table_rows(&html[html.find("<h2 id=\"days\">").unwrap()..]);
    let c = column(&days, "disconnected");
    assert_eq!(days.len(), 1 + 8);
    for day in 0..8 {
        assert_eq!(
            days[day + 1][c],
            format!("{}", per_day("all", day)),
            "day {day}"
        );
    }
    // The workbook: Summary's outcome column and Daily's last column.
    let files = unzip(&out.join("report.xlsx"));
    let book = sheets(&files);
    let sheet = |name: &str| &book.iter().find(|s| s.0 == name).expect(name).1;
    assert!(files["xl/sharedStrings.xml"].contains("Disconnected at closing"));
    // Queue, SL threshold, SL target, the nine columns a planner reads first, then the
    // outcomes the run has: no busy signal here, closed calls and cut-off callers.
    assert_eq!(num(all, "blocked"), 0.0);
    assert!(num(all, "closed") > 0.0);
    let col = column_letters(3 + 9 + 1);
    for (i, r) in summary.iter().enumerate() {
        let got = value(sheet("Summary"), &format!("{col}{}", i + 2));
        assert_eq!(got, Some(num(r, "disconnected")), "{}", r["queue"]);
    }
    for day in 0..8 {
        let got = value(sheet("Daily"), &format!("J{}", day + 2));
        assert_eq!(got, Some(per_day("all", day)), "Daily, day {day}");
    }

    // Replicated: daily.csv carries the column, the days table shows its mean ± half-width.
    let rep = dir.path().join("rep");
    crate::replications::simulate(
        &closing_scenario(dir.path()),
        &rep,
        &["--replications", "3"],
    );
    let daily = read_csv(&rep.join("daily.csv"));
    assert!(daily.iter().any(|r| num(r, "disconnected") > 0.0));
    let html = read(rep.join("report.html"));
    let days = table_rows(&html[html.find("<h2 id=\"days\">").unwrap()..]);
    let c = column(&days, "disconnected");
    let first = daily
        .iter()
        .find(|r| r["queue"] == "all" && num(r, "period_start_s") == 0.0)
        .unwrap();
    assert!(
        days[1][c].starts_with(&format!("{:.1}", num(first, "disconnected"))),
        "{} vs {}",
        days[1][c],
        first["disconnected"]
    );
}

#[test]
fn a_simulated_roster_gets_roster_and_cost_sheets_equal_to_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/weekly-plan.toml");
    let out = dir.path().join("plan");
    let o = hotline()
        .args(["schedule", scenario.to_str().unwrap(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let coverage = out.join("coverage.csv");
    crate::replications::simulate(
        &scenario,
        &out,
        &["--staffing", coverage.to_str().unwrap(), "--no-charts"],
    );
    let files = unzip(&out.join("report.xlsx"));
    let book = sheets(&files);
    let names: Vec<&str> = book.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(&names[names.len() - 2..], ["Roster", "Cost"]);
    let sheet = |name: &str| &book.iter().find(|s| s.0 == name).expect(name).1;

    // Roster: one row per roster.csv row; paid hours and cost as numbers.
    let roster: Vec<Row> = read_csv(&out.join("roster.csv"));
    let header: Vec<String> = csv::Reader::from_path(out.join("roster.csv"))
        .unwrap()
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(sheet("Roster").matches("<row ").count(), roster.len() + 1);
    let at = |name: &str| column_letters(header.iter().position(|h| h == name).unwrap());
    for (i, r) in roster.iter().enumerate() {
        let row = i + 2;
        for c in ["paid_hours", "cost", "days_worked"] {
            assert_eq!(
                value(sheet("Roster"), &format!("{}{row}", at(c))),
                Some(num(r, c)),
                "{c} of {}",
                r["agent"]
            );
        }
    }

    // Cost: per pool the schedule.json figures and Σ paid hours of roster.csv, then `all`.
    let json: serde_json::Value = serde_json::from_str(&read(out.join("schedule.json"))).unwrap();
    let pools = json["pools"].as_array().unwrap();
    let cost = sheet("Cost");
    assert_eq!(cost.matches("<row ").count(), pools.len() + 2);
    // Columns: Pool, Agents, Shifts, Roster cost, …, Paid hours (J), Answered, Cost per call.
    for (i, p) in pools.iter().enumerate() {
        let row = i + 2;
        let pool = p["pool"].as_str().unwrap();
        assert_eq!(value(cost, &format!("B{row}")), p["agents"].as_f64());
        assert_eq!(value(cost, &format!("C{row}")), p["shifts"].as_f64());
        assert_eq!(value(cost, &format!("D{row}")), p["roster_cost"].as_f64());
        let paid: f64 = roster
            .iter()
            .filter(|r| r["pool"] == pool)
            .map(|r| num(r, "paid_hours"))
            .sum();
        assert_eq!(value(cost, &format!("J{row}")), Some(paid), "{pool}");
    }
    let total = pools.len() + 2;
    let roster_cost = json["roster_cost"].as_f64().unwrap();
    assert_eq!(value(cost, &format!("D{total}")), Some(roster_cost));
    let agents: f64 = pools.iter().map(|p| p["agents"].as_f64().unwrap()).sum();
    assert_eq!(value(cost, &format!("B{total}")), Some(agents));
    // The week simulated is the roster's week: the cost of an answered call.
    let summary = read_csv(&out.join("summary.csv"));
    let answered = num(
        summary.iter().find(|r| r["queue"] == "all").unwrap(),
        "answered",
    );
    assert_eq!(value(cost, &format!("K{total}")), Some(answered));
    let per_call = value(cost, &format!("L{total}")).unwrap();
    assert!((per_call - roster_cost / answered).abs() < 1e-9 * per_call);

    // A plain run's workbook has neither sheet.
    let plain = dir.path().join("plain");
    crate::replications::simulate(&scenario, &plain, &["--no-charts"]);
    let names: Vec<String> = sheets(&unzip(&plain.join("report.xlsx")))
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert!(
        !names.iter().any(|n| n == "Roster" || n == "Cost"),
        "{names:?}"
    );
}
