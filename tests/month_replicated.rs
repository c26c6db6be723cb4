//! A month at a glance for runs of several replications (issue 20): days and weeks with the
//! 95 % half-widths of the replications' own periods, the cells significantly below target,
//! and report.xlsx's planners' sheets (`Summary` first) equal to the CSVs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hotline::report::banded::ReplicatedRun;
use hotline::report::banded_glance::significant_misses;

use crate::outputs::{cell, column_letters, sheets, unzip};
use crate::support::*;

type Row = HashMap<String, String>;

/// One queue, 7 agents for 6 Erlang (a service level near the 80 % target, so some half-hours
/// miss it significantly and others not), over `days` days.
fn scenario(dir: &Path, days: u32) -> PathBuf {
    write(
        dir,
        &format!("s{days}.toml"),
        &format!(
            r#"
[scenario]
name = "tight"
days = {days}
interval = "30m"
seed = 5

[arrivals]
calls_per_hour = 120

[[queue]]
name = "general"
handle_time = {{ dist = "exponential", mean = "3m" }}
patience = {{ dist = "exponential", mean = "5m" }}
service_level_threshold = "20s"

[[pool]]
name = "agents"
serves = ["general"]
agents = 7
"#
        ),
    )
}

fn run(dir: &Path, days: u32, replications: &str) -> PathBuf {
    let out = dir.join(format!("o{days}"));
    crate::replications::simulate(
        &scenario(dir, days),
        &out,
        &["--replications", replications, "--no-charts"],
    );
    out
}

fn opt(row: &Row, col: &str) -> Option<f64> {
    let v = &row[col];
    (!v.is_empty()).then(|| num(row, col))
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-9)
}

/// A week of a one-week run is the whole run: its row in `weekly.csv` folds the same values as
/// `replications.csv`'s whole-run rows, so its mean and half-width are computed here from
/// those rows with the Student t quantile t(0.975, 3) = 3.182446305 (published value).
#[test]
fn a_week_s_half_width_is_over_the_replications_own_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), 7, "4");
    let weekly = read_csv(&out.join("weekly.csv"));
    let per_rep = read_csv(&out.join("replications.csv"));
    for queue in ["general", "all"] {
        let week: Vec<&Row> = weekly.iter().filter(|r| r["queue"] == queue).collect();
        assert_eq!(week.len(), 1, "one week");
        let week = week[0];
        for col in ["offered", "answered", "service_level", "abandon_rate"] {
            let xs: Vec<f64> = per_rep
                .iter()
                .filter(|r| r["queue"] == queue)
                .map(|r| num(r, col))
                .collect();
            assert_eq!(xs.len(), 4);
            let n = xs.len() as f64;
            let mean = xs.iter().sum::<f64>() / n;
            let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let hw = 3.182_446_305_284_263 * sd / n.sqrt();
            // The CSVs hold six significant digits.
            assert!(
                close(num(week, col), mean, 2e-5),
                "{queue} {col}: {} vs {mean}",
                week[col]
            );
            let got = num(week, &format!("{col}_hw95"));
            assert!(
                hw > 0.0 && close(got, hw, 1e-4),
                "{queue} {col} hw: {got} vs {hw}"
            );
        }
    }
}

/// Days and weeks are sums of their intervals in every replication, so their mean counts are
/// the sums of the intervals' mean counts; their half-widths are not derivable from the
/// intervals' (the test checks they are there and positive).
#[test]
fn replicated_days_and_weeks_are_the_sums_of_their_intervals_and_carry_half_widths() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), 14, "3");
    let intervals = read_csv(&out.join("intervals.csv"));
    for (file, period, count) in [("daily.csv", 86_400.0, 14), ("weekly.csv", 604_800.0, 2)] {
        let rows = read_csv(&out.join(file));
        for queue in ["general", "all"] {
            let mine: Vec<&Row> = rows.iter().filter(|r| r["queue"] == queue).collect();
            assert_eq!(mine.len(), count, "{file} {queue}");
            for p in mine {
                let start = num(p, "period_start_s");
                let of_period: Vec<&Row> = intervals
                    .iter()
                    .filter(|r| r["queue"] == queue)
                    .filter(|r| (num(r, "interval_start_s") / period).floor() * period == start)
                    .collect();
                for col in ["offered", "answered", "abandoned"] {
                    let sum: f64 = of_period.iter().map(|r| num(r, col)).sum();
                    assert!(
                        close(num(p, col), sum, 1e-5),
                        "{file} {queue} {start} {col}"
                    );
                }
                let hours = of_period.iter().map(|r| num(r, "agents")).sum::<f64>() / 2.0;
                assert!(close(num(p, "agent_hours"), hours, 1e-5));
                assert!(num(p, "offered_hw95") > 0.0 && num(p, "service_level_hw95") > 0.0);
            }
        }
    }
    // report.html: weeks and days tables of mean ± half-width, the center first.
    hotline().arg("report").arg(&out).assert().success();
    let html = read(out.join("report.html"));
    let weeks = &html[html.find("<h2 id=\"weeks\">").expect("weeks section")..];
    let center = &weeks[..weeks.find("</table>").unwrap()];
    assert!(center.contains("Whole center"));
    assert_eq!(center.matches("<tr>").count(), 3, "2 weeks and the header");
    assert!(center.contains(" ± "), "half-widths in the cells");
    let days = &html[html.find("<h2 id=\"days\">").expect("days section")..];
    let center = &days[..days.find("</table>").unwrap()];
    assert_eq!(center.matches("<tr>").count(), 15, "14 days and the header");

    // Over a week the charts are the average week of the mean columns and the days of
    // daily.csv (mean and 95 % band), recomputed here from the CSVs.
    let run = ReplicatedRun::load(&out).unwrap();
    let figs = run.figures();
    let stems: Vec<&str> = figs.iter().map(|f| f.stem).collect();
    assert_eq!(
        stems,
        [
            "week_offered",
            "week_service_level",
            "offered",
            "service_level",
            "asa_abandonment",
            "occupancy"
        ]
    );
    let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let week_sl = &figs[1];
    let center = week_sl
        .series
        .iter()
        .find(|s| s.label == "whole center")
        .unwrap();
    let mut cells: HashMap<usize, Vec<f64>> = HashMap::new();
    for r in intervals.iter().filter(|r| r["queue"] == "all") {
        if let Some(v) = opt(r, "service_level") {
            let day = weekdays.iter().position(|d| *d == r["weekday"]).unwrap();
            let slot = (num(r, "interval_start_s") % 86_400.0 / 1800.0) as usize;
            cells.entry(day * 48 + slot).or_default().push(v);
        }
    }
    for (k, (_, v)) in center.points.iter().enumerate() {
        let vals = &cells[&k];
        let mean = vals.iter().sum::<f64>() / vals.len() as f64;
        assert!(close(v.unwrap(), mean, 1e-9), "cell {k}");
        let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(week_sl.bands[0].points[k].1, Some((lo, hi)));
    }
    let daily = read_csv(&out.join("daily.csv"));
    let day_sl = &figs[3];
    let general = day_sl.series.iter().find(|s| s.label == "general").unwrap();
    let rows: Vec<&Row> = daily.iter().filter(|r| r["queue"] == "general").collect();
    assert_eq!(general.points.len(), rows.len());
    for (p, r) in general.points.iter().zip(&rows) {
        assert!((p.0 - (num(r, "period_start_s") + 43_200.0)).abs() < 1e-9);
        assert!(close(p.1.unwrap(), num(r, "service_level"), 1e-12));
    }
}

#[test]
fn the_replicated_misses_are_exactly_the_cells_significantly_below_target() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), 14, "3");
    let mut want: Vec<(u64, String)> = Vec::new();
    let mut below_not_significant = 0;
    for r in read_csv(&out.join("intervals.csv")) {
        if r["queue"] == "all" {
            continue;
        }
        let (Some(sl), hw) = (opt(&r, "service_level"), opt(&r, "service_level_hw95")) else {
            continue;
        };
        match hw {
            Some(hw) if sl + hw < 0.8 => {
                want.push((num(&r, "interval_start_s") as u64, r["queue"].clone()))
            }
            _ if sl < 0.8 => below_not_significant += 1,
            _ => {}
        }
    }
    assert!(!want.is_empty(), "the test needs significant misses");
    assert!(
        below_not_significant > 0,
        "and cells below target within chance"
    );
    let run = ReplicatedRun::load(&out).unwrap();
    let misses = significant_misses(&run);
    let mut got: Vec<(u64, String)> = misses
        .iter()
        .map(|m| (m.row.start_s as u64, m.row.key.clone()))
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    assert!(
        misses
            .windows(2)
            .all(|w| w[0].service_level.mean <= w[1].service_level.mean),
        "worst first"
    );
    hotline().arg("report").arg(&out).assert().success();
    let html = read(out.join("report.html"));
    let section = &html[html.find("<h2 id=\"misses\">").expect("misses section")..];
    assert!(section.contains(&format!("<p>{} interval × queue cells", want.len())));
    let table = &section[..section.find("</table>").unwrap()];
    assert_eq!(
        table.matches("<tr>").count(),
        want.len().min(hotline::report::html_glance::MAX_MISS_ROWS) + 1
    );
    // The workbook's Misses sheet lists the same cells.
    let files = unzip(&out.join("report.xlsx"));
    let book = sheets(&files);
    let misses_sheet = &book.iter().find(|s| s.0 == "Misses").unwrap().1;
    assert_eq!(misses_sheet.matches("<row ").count(), want.len() + 1);
}

/// The numeric value of a sheet cell, `None` when the cell is absent or has none.
pub fn value(sheet: &str, r: &str) -> Option<f64> {
    if !sheet.contains(&format!("<c r=\"{r}\"")) {
        return None;
    }
    let c = cell(sheet, r);
    let v = c.split("<v>").nth(1)?;
    v[..v.find('<')?].parse().ok()
}

/// `Summary` is the first sheet: each row of summary.csv (queue, then `all`) and each metric
/// column the cell of the CSV; a replicated run's metric is followed by its `_hw95`.
fn assert_summary_sheet_equals_csv(out: &Path, replicated: bool) {
    let files = unzip(&out.join("report.xlsx"));
    let book = sheets(&files);
    assert_eq!(book[0].0, "Summary");
    assert_eq!(
        book[1].0, "summary.csv",
        "the raw sheet keeps the CSV's columns"
    );
    let sheet = &book[0].1;
    let rows = read_csv(&out.join("summary.csv"));
    for (i, r) in rows.iter().enumerate() {
        let row = i + 2;
        let mut col = 3; // after Queue, SL threshold, SL target
        for (name, _) in hotline::report::xlsx_planner::SUMMARY_COLUMNS {
            let at = format!("{}{row}", column_letters(col));
            assert_eq!(
                value(sheet, &at),
                opt(r, name),
                "{} {name} at {at}",
                r["queue"]
            );
            col += 1;
            if replicated {
                let at = format!("{}{row}", column_letters(col));
                let hw = opt(r, &format!("{name}_hw95"));
                assert_eq!(value(sheet, &at), hw, "{} {name}_hw95 at {at}", r["queue"]);
                col += 1;
            }
        }
    }
    assert!(files["xl/sharedStrings.xml"].contains("Service level"));
}

#[test]
fn report_xlsx_summary_daily_and_weekly_sheets_equal_the_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    crate::replications::simulate(&scenario(dir.path(), 14), &single, &["--no-charts"]);
    assert_summary_sheet_equals_csv(&single, false);

    let out = run(dir.path(), 14, "3");
    hotline().arg("report").arg(&out).assert().success();
    assert_summary_sheet_equals_csv(&out, true);
    let files = unzip(&out.join("report.xlsx"));
    let book = sheets(&files);
    let names: Vec<&str> = book.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(&names[names.len() - 3..], ["Daily", "Weekly", "Misses"]);
    for (sheet, file) in [("Daily", "daily.csv"), ("Weekly", "weekly.csv")] {
        let xml = &book.iter().find(|s| s.0 == sheet).unwrap().1;
        let mut rows = read_csv(&out.join(file));
        // The sheet lists the center first, then the queues.
        rows.sort_by_key(|r| r["queue"] != "all");
        assert_eq!(xml.matches("<row ").count(), rows.len() + 1);
        for (i, r) in rows.iter().enumerate() {
            let row = i + 2;
            for (k, m) in hotline::report::banded_glance::PERIOD_METRICS
                .iter()
                .enumerate()
            {
                let mean = format!("{}{row}", column_letters(2 + 2 * k));
                let hw = format!("{}{row}", column_letters(3 + 2 * k));
                assert_eq!(value(xml, &mean), opt(r, m), "{sheet} {m} {mean}");
                assert_eq!(
                    value(xml, &hw),
                    opt(r, &format!("{m}_hw95")),
                    "{sheet} {hw}"
                );
            }
        }
    }
}
