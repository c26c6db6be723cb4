//! The outcomes that scenario features add (busy signals, closed queues, callbacks, transfers,
//! caller classes, a roster's coverage) appear in the charts and report.html when the run has
//! them and not otherwise, and the numbers shown are the CSVs'.

use std::collections::HashMap;
use std::path::Path;

use hotline::report::charts::{Figure, figure::Shape, figures};
use hotline::report::data::RunData;

use super::outputs::simulate_bundled;
use super::support::{hotline, num, read, read_csv};

fn stems(dir: &Path) -> Vec<&'static str> {
    figures(&RunData::load(dir).unwrap())
        .iter()
        .map(|f| f.stem)
        .collect()
}

fn figure(dir: &Path, stem: &str) -> Figure {
    figures(&RunData::load(dir).unwrap())
        .into_iter()
        .find(|f| f.stem == stem)
        .unwrap_or_else(|| panic!("no {stem} chart"))
}

/// The rows of the `<table id="ID">` of a page: header cells, then each row's cells.
fn html_table(page: &str, id: &str) -> Vec<Vec<String>> {
    let start = page
        .find(&format!("<table id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no table {id}"));
    let end = start + page[start..].find("</table>").unwrap();
    page[start..end]
        .split("<tr")
        .skip(1)
        .map(|row| {
            row.split(['<', '>'])
                .collect::<Vec<_>>()
                .windows(2)
                .filter(|w| {
                    w[0] == "td"
                        || w[0] == "th"
                        || w[0].starts_with("td ")
                        || w[0].starts_with("th ")
                })
                .map(|w| w[1].to_string())
                .collect()
        })
        .collect()
}

#[test]
fn a_plain_scenario_has_no_outcome_callback_class_or_coverage_chart_nor_section() {
    let dir = tempfile::tempdir().unwrap();
    // Pools with hours but queues open around the clock: nothing beyond the plain outcomes.
    let (out, _) = simulate_bundled(dir.path(), "outage-spike.toml", 2, "plain", &[]);
    let s = stems(&out);
    for stem in ["outcomes", "callbacks", "classes", "coverage"] {
        assert!(!s.contains(&stem), "{stem} drawn for a plain scenario");
        assert!(!out.join(format!("{stem}.png")).exists());
    }
    let page = read(out.join("report.html"));
    for section in [
        "What happened to the calls",
        "<h2>Callbacks</h2>",
        "Transfers and journeys",
        "Per caller class",
    ] {
        assert!(!page.contains(section), "{section} on a plain page");
    }
}

#[test]
fn multi_skill_with_callbacks_draws_outcomes_callbacks_and_classes_and_its_tables_equal_summary_csv()
 {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(
        dir.path(),
        "multi-skill.toml",
        7,
        "ms",
        &["--policy", "priority+overflow+callback"],
    );
    for stem in ["outcomes", "callbacks", "classes"] {
        assert!(out.join(format!("{stem}.png")).exists(), "{stem}.png");
        assert!(out.join(format!("{stem}.svg")).exists(), "{stem}.svg");
    }
    let page = read(out.join("report.html"));
    assert!(page.contains("id=\"chart-outcomes\""));
    assert!(page.contains("id=\"chart-classes\""));
    let summary: HashMap<String, HashMap<String, String>> = read_csv(&out.join("summary.csv"))
        .into_iter()
        .map(|r| (r["queue"].clone(), r))
        .collect();
    // Every count cell of the three tables is the summary.csv cell of its column.
    let columns: [(&str, &[(&str, &str)]); 3] = [
        (
            "outcomes",
            &[
                ("offered", "offered"),
                ("of which transferred in", "transferred_in"),
                ("answered", "answered"),
                ("then transferred out", "transferred_out"),
                ("abandoned", "abandoned"),
                ("closed", "closed"),
                ("closed: self-served", "closed_self_served"),
                ("self-served in IVR", "self_served"),
                ("hung up in IVR", "hung_up_ivr"),
                ("in system at end", "in_system_at_end"),
            ],
        ),
        (
            "callbacks",
            &[
                ("offered", "callbacks_offered"),
                ("accepted", "callbacks_accepted"),
                ("answered", "callbacks_completed"),
                ("failed", "callbacks_failed"),
            ],
        ),
        (
            "transfers",
            &[
                ("transferred in", "transferred_in"),
                ("transferred out", "transferred_out"),
                ("journeys", "journeys"),
            ],
        ),
    ];
    let mut checked = 0;
    for (id, cols) in columns {
        let rows = html_table(&page, id);
        let head = &rows[0];
        assert_eq!(
            rows.len() - 1,
            summary.len(),
            "{id}: one row per queue and all"
        );
        for row in &rows[1..] {
            let csv = &summary[&row[0]];
            for (header, column) in cols {
                let i = head
                    .iter()
                    .position(|h| h == header)
                    .unwrap_or_else(|| panic!("{id}: no column {header} in {head:?}"));
                assert_eq!(&row[i], &csv[*column], "{id} {} {header}", row[0]);
                checked += 1;
            }
        }
    }
    assert!(checked > 50);
    // The `all` row of "What happened to the calls" adds up: every leg has one outcome.
    let rows = html_table(&page, "outcomes");
    let all = rows.iter().find(|r| r[0] == "all").unwrap();
    let cell = |h: &str| -> u64 {
        rows[0]
            .iter()
            .position(|x| x == h)
            .map_or(0, |i| all[i].parse().unwrap())
    };
    let ends: u64 = [
        "answered",
        "abandoned",
        "blocked (busy)",
        "closed",
        "callback failed",
        "self-served in IVR",
        "hung up in IVR",
        "in system at end",
    ]
    .iter()
    .map(|h| cell(h))
    .sum();
    assert_eq!(ends, cell("offered") + cell("of which transferred in"));
    // The callbacks' delay is the CSV's mean, rounded to 0.1 s, under a header that says what
    // it measures (issue 20).
    let rows = html_table(&page, "callbacks");
    let all = rows.iter().find(|r| r[0] == "all").unwrap();
    let delay = num(&summary["all"], "callback_delay_mean_s");
    let col = rows[0]
        .iter()
        .position(|h| h == "callback: request or opening to answer (s)")
        .expect("the callback delay column");
    assert_eq!(all[col], format!("{delay:.1}"));
    assert!(
        summary["all"]["callbacks_offered"] != "0",
        "the run has callbacks"
    );
}

#[test]
fn the_outcome_bars_of_each_period_add_up_to_its_calls_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(
        dir.path(),
        "multi-skill.toml",
        7,
        "ms",
        &["--policy", "callback"],
    );
    bars_add_up(&out);
}

#[test]
fn closed_callbacks_count_their_call_at_night_and_their_callback_the_next_morning() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(dir.path(), "night-traffic.toml", 14, "nt", &[]);
    let fig = figure(&out, "outcomes");
    let labels: Vec<&str> = fig.series.iter().map(|s| s.label.as_str()).collect();
    assert!(labels.contains(&"closed: callback request"), "{labels:?}");
    let legs: f64 = read_csv(&out.join("intervals.csv"))
        .iter()
        .filter(|r| r["queue"] == "all")
        .map(|r| num(r, "closed_callbacks"))
        .sum();
    assert!(legs > 100.0, "{legs} callback legs");
    bars_add_up(&out);
    // The night a caller waited is its own column, labelled for what it is (issue 20): not
    // folded into the delay from the opening.
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    let rows = html_table(&page, "callbacks");
    let col = rows[0]
        .iter()
        .position(|h| h == "overnight callback: request to answer (h)")
        .expect("the overnight delay column");
    let all = rows.iter().find(|r| r[0] == "all").unwrap();
    let summary = read_csv(&out.join("summary.csv"));
    let csv = summary.iter().find(|r| r["queue"] == "all").unwrap();
    let night = num(csv, "closed_callback_delay_mean_s");
    assert_eq!(all[col], format!("{:.1}", night / 3600.0));
    assert!(night > 3600.0, "{night} s: requests wait overnight");
}

/// Each bar is the `all` row's offered + transferred_in − transferred_out + closed_callbacks.
fn bars_add_up(out: &std::path::Path) {
    let fig = figure(out, "outcomes");
    assert!(
        fig.series
            .iter()
            .all(|s| matches!(s.shape, Shape::Stacked { .. }))
    );
    let labels: Vec<&str> = fig.series.iter().map(|s| s.label.as_str()).collect();
    for want in [
        "answered by an agent",
        "abandoned while waiting",
        "closed: self-served",
    ] {
        assert!(labels.contains(&want), "{want} missing from {labels:?}");
    }
    assert!(
        !labels.contains(&"blocked (busy signal)"),
        "no line limit: no blocked part"
    );
    // Each bar is its period's `all` rows' offered + transferred_in − transferred_out (a
    // transferred call counted once) + closed_callbacks (a callback made at the opening, agent
    // work of that morning). A week is drawn per interval; a longer run per day (issue 20:
    // its intervals are the average week's), so the rows are summed per bar's period here.
    let rows: Vec<_> = read_csv(&out.join("intervals.csv"))
        .into_iter()
        .filter(|r| r["queue"] == "all")
        .collect();
    let days = rows.len() / 48;
    let period = if days > 7 { 86_400.0 } else { 1800.0 };
    let points = &fig.series[0].points;
    assert_eq!(points.len(), if days > 7 { days } else { rows.len() });
    for (k, p) in points.iter().enumerate() {
        assert_eq!(p.0, k as f64 * period);
        let bar: f64 = fig.series.iter().map(|s| s.points[k].1.unwrap()).sum();
        let calls: f64 = rows
            .iter()
            .filter(|r| (num(r, "interval_start_s") / period).floor() as usize == k)
            .map(|r| {
                num(r, "offered") + num(r, "transferred_in") - num(r, "transferred_out")
                    + num(r, "closed_callbacks")
            })
            .sum();
        assert_eq!(bar, calls, "period {k}");
    }
}

#[test]
fn the_class_chart_has_a_line_per_class_and_its_asa_is_the_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(dir.path(), "multi-skill.toml", 7, "ms", &[]);
    let fig = figure(&out, "classes");
    let classes = read_csv(&out.join("classes.csv"));
    assert_eq!(fig.series.len(), classes.len());
    let rows = read_csv(&out.join("class_intervals.csv"));
    for (s, c) in fig.series.iter().zip(&classes) {
        assert!(
            s.label
                .starts_with(&format!("{} {}", c["queue"], c["class"]))
        );
        let asa: Vec<Option<f64>> = rows
            .iter()
            .filter(|r| r["queue"] == c["queue"] && r["class"] == c["class"])
            .map(|r| r["asa_s"].parse().ok())
            .collect();
        let drawn: Vec<Option<f64>> = s.points.iter().map(|p| p.1).collect();
        assert_eq!(drawn.len(), asa.len());
        for (d, a) in drawn.iter().zip(&asa) {
            match (d, a) {
                (Some(d), Some(a)) => assert!((d - a).abs() < 1e-9, "{d} vs {a}"),
                _ => assert_eq!(d.is_some(), a.is_some(), "a gap is a gap"),
            }
        }
    }
    // report.xlsx carries the class sheets, after waits.
    let files = super::outputs::unzip(&out.join("report.xlsx"));
    let workbook = &files["xl/workbook.xml"];
    let at = |name: &str| {
        workbook
            .find(&format!("name=\"{name}\""))
            .unwrap_or_else(|| panic!("no sheet {name}"))
    };
    assert!(at("waits") < at("classes") && at("classes") < at("class_intervals"));
}

#[test]
fn a_coverage_csv_beside_the_simulation_adds_the_coverage_chart() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(dir.path(), "bank-hotline.toml", 1, "cov", &[]);
    assert!(!read(out.join("report.html")).contains("chart-coverage"));
    let mut csv = String::from(
        "interval_start,interval_start_s,pool,required,scheduled,over,under,weekday\n",
    );
    for k in 0..48 {
        for (pool, req, sched) in [("a", 3, 4), ("b", 2, 1)] {
            csv += &format!("x,{},{pool},{req},{sched},0,0,Mon\n", k * 1800);
        }
    }
    std::fs::write(out.join("coverage.csv"), csv).unwrap();
    hotline().arg("report").arg(&out).assert().success();
    assert!(read(out.join("report.html")).contains("id=\"chart-coverage\""));
    let fig = figure(&out, "coverage");
    let values = |label: &str| -> Vec<f64> {
        fig.series
            .iter()
            .find(|s| s.label.starts_with(label))
            .unwrap()
            .points
            .iter()
            .map(|p| p.1.unwrap())
            .collect()
    };
    assert_eq!(values("scheduled"), vec![5.0; 48], "pools summed");
    assert_eq!(values("required"), vec![5.0; 48]);
}

#[test]
fn check_prints_the_shift_rules_it_understood() {
    let out = hotline()
        .args(["check", "scenarios/weekly-plan.toml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "Shift rules",
        "shift early  every day  starts 06:00–09:00 every 30m  length 8h30m  paid breaks 15m  lunch 30m unpaid, starting 3h30m–5h in",
        "shift part   Mon–Fri    starts 08:00–16:00 every 1h  length 4h or 5h  no paid break  no lunch",
        "contract full-time  32–40 paid hours a week  5 days a week  24 per paid hour  at most 60 agents per pool  shifts early, late, night",
        "roster   at most 5 days in a row, 11h rest between shifts, no two night shifts in a row, two consecutive days off a week",
        "night 22:00–06:00 +25%",
        "Saturday and Sunday +50%",
    ] {
        assert!(text.contains(want), "`{want}` not in:\n{text}");
    }
    let plain = hotline()
        .args(["check", "scenarios/bank-hotline.toml"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8(plain.stdout)
            .unwrap()
            .contains("Shift rules")
    );
}

#[test]
fn a_replicated_run_bands_the_outcomes_only_when_it_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(
        dir.path(),
        "multi-skill.toml",
        2,
        "reps",
        &["--replications", "3"],
    );
    let run = hotline::report::banded::ReplicatedRun::load(&out).unwrap();
    let fig = run
        .figures()
        .into_iter()
        .find(|f| f.stem == "outcomes")
        .expect("an outcomes chart");
    assert_eq!(fig.bands.len(), fig.series.len(), "a band per outcome line");
    let closed = fig
        .series
        .iter()
        .find(|s| s.label == "closed queue")
        .expect("multi-skill closes queues at night");
    // The line is the `all` rows' mean column of intervals.csv.
    let rows: Vec<_> = read_csv(&out.join("intervals.csv"))
        .into_iter()
        .filter(|r| r["queue"] == "all")
        .collect();
    assert_eq!(closed.points.len(), rows.len());
    for (p, r) in closed.points.iter().zip(&rows) {
        assert_eq!(p.1, Some(num(r, "closed")));
    }
    let page = read(out.join("report.html"));
    let table = html_table(&page, "outcomes");
    let i = table[0].iter().position(|h| h == "closed").unwrap();
    let all = table.iter().find(|r| r[0] == "all").unwrap();
    let summary = read_csv(&out.join("summary.csv"));
    let s = summary.iter().find(|r| r["queue"] == "all").unwrap();
    assert_eq!(
        all[i],
        format!("{:.1} ± {:.1}", num(s, "closed"), num(s, "closed_hw95"))
    );

    let (plain, _) = simulate_bundled(
        dir.path(),
        "outage-spike.toml",
        2,
        "plain",
        &["--replications", "2"],
    );
    let run = hotline::report::banded::ReplicatedRun::load(&plain).unwrap();
    assert!(run.figures().iter().all(|f| f.stem != "outcomes"));
    assert!(!read(plain.join("report.html")).contains("What happened to the calls"));
}

/// Requests called back when idle are outbound work: the callbacks table shows them in their
/// own columns, equal to summary.csv, and says they are not in `answered` (which stays the
/// virtual-hold callbacks', 0 here) — a planner must not read "2,070 requests, 0 answered".
#[test]
fn callbacks_dialled_when_idle_are_shown_in_their_own_columns() {
    let dir = tempfile::tempdir().unwrap();
    let s = super::outputs::bundled(dir.path(), "night-traffic.toml", 14);
    let text = std::fs::read_to_string(&s).unwrap().replacen(
        "[queue.closed]\n",
        "[queue.closed]\ncallbacks = \"when_idle\"\ncallback_within = \"4h\"\n",
        1,
    );
    std::fs::write(&s, text).unwrap();
    let out = dir.path().join("idle");
    hotline()
        .arg("simulate")
        .arg(&s)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let summary = read_csv(&out.join("summary.csv"));
    let csv = summary.iter().find(|r| r["queue"] == "all").unwrap();
    let dialled = num(csv, "outbound_callbacks");
    assert!(dialled > 100.0, "{dialled} legs dialled when idle");
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    let rows = html_table(&page, "callbacks");
    let all = rows.iter().find(|r| r[0] == "all").unwrap();
    let cell = |h: &str| {
        let i = rows[0]
            .iter()
            .position(|c| c == h)
            .unwrap_or_else(|| panic!("no {h}"));
        all[i].clone()
    };
    assert_eq!(cell("dialled when idle"), format!("{dialled}"));
    assert_eq!(
        cell("of them dialled within the promise"),
        format!("{}", num(csv, "callbacks_within_target"))
    );
    assert_eq!(
        cell("answered"),
        format!("{}", num(csv, "callbacks_completed"))
    );
    assert!(
        page.contains("not in <em>answered</em>"),
        "the note under the table"
    );
}

/// The bundled skills scenario (a consult, a conference, loans cut off at closing): the
/// terminal footnote names the disconnected callers and report.html's transfers table shows
/// the consults, each cell equal to summary.csv's.
#[test]
fn consults_and_disconnected_callers_are_shown_as_summary_csv_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let (out, stdout) = simulate_bundled(dir.path(), "skills-routing.toml", 7, "sr", &[]);
    let summary = read_csv(&out.join("summary.csv"));
    let loans = summary.iter().find(|r| r["queue"] == "loans").unwrap();
    let cut = num(loans, "disconnected");
    assert!(cut > 0.0);
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("loans:"))
        .unwrap_or_else(|| panic!("no footnote line for loans in:\n{stdout}"));
    assert!(line.contains(&format!("{cut} disconnected")), "{line}");
    assert!(
        stdout.contains("disconnected: cut off at a closing"),
        "{stdout}"
    );
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    let rows = html_table(&page, "transfers");
    let col = rows[0]
        .iter()
        .position(|h| h == "answered, ended after a consult")
        .expect("the consults column");
    let mut seen = 0.0;
    for r in &summary {
        let row = rows.iter().find(|t| t[0] == r["queue"]).unwrap();
        assert_eq!(row[col], format_count(&r["consults"]), "{}", r["queue"]);
        seen += num(r, "consults");
    }
    assert!(seen > 0.0, "the scenario consults");
}

/// A count as report.html writes it (thousands separated by commas).
fn format_count(csv: &str) -> String {
    let digits: Vec<char> = csv.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

/// A replicated night-traffic run: the outcomes table shows the overnight delay in hours, as
/// the single page and the terminal do, and the legs dialled when idle.
#[test]
fn a_replicated_page_shows_the_overnight_delay_in_hours_and_the_legs_dialled_when_idle() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/night-traffic.toml"),
    )
    .unwrap()
    .replace(
        "[queue.closed]\n",
        "[queue.closed]\ncallbacks = \"when_idle\"\ncallback_within = \"4h\"\n",
    )
    .replace("days = 14", "days = 9");
    let scenario = super::support::write(dir.path(), "idle.toml", &text);
    let out = dir.path().join("idle");
    hotline()
        .args([
            "simulate",
            scenario.to_str().unwrap(),
            "--replications",
            "2",
            "-q",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let page = read(out.join("report.html"));
    let table = html_table(&page, "outcomes");
    let col = |h: &str| {
        table[0]
            .iter()
            .position(|c| c == h)
            .unwrap_or_else(|| panic!("no column {h} in {:?}", table[0]))
    };
    let all = table.iter().find(|r| r[0] == "all").unwrap();
    let summary = read_csv(&out.join("summary.csv"));
    let s = summary.iter().find(|r| r["queue"] == "all").unwrap();
    let night = num(s, "closed_callback_delay_mean_s") / 3600.0;
    assert!(night > 5.0, "{night} h");
    let cell = &all[col("overnight callback: request to answer (h)")];
    assert!(cell.starts_with(&format!("{night:.1} h")), "{cell}");
    let dialled = &all[col("outbound callbacks")];
    assert!(
        dialled.starts_with(&format!("{:.1}", num(s, "outbound_callbacks"))),
        "{dialled}"
    );
}
