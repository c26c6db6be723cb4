//! The staffing charts (issue 6): `hotline staff` draws Erlang C vs Erlang A vs agents scheduled
//! (`--no-charts` skips it), `simulate --staffing` adds promised vs simulated service level, and
//! `hotline report` draws both into report.html — also for a folder holding only a plan.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hotline::report::charts::Figure;
use hotline::report::data::RunData;
use predicates::prelude::*;

use crate::support::*;

/// `scenarios/validation-mmc.toml` with a shorter horizon, written into `dir`.
fn validation_mmc(dir: &Path, days: u32) -> PathBuf {
    let text =
        read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/validation-mmc.toml"));
    let short: String = text
        .lines()
        .map(|l| {
            if l.starts_with("days =") {
                format!("days = {days}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        short.contains(&format!("days = {days}\n")),
        "days not replaced"
    );
    let path = dir.join("mmc.toml");
    std::fs::write(&path, short).unwrap();
    path
}

/// Runs `hotline CMD SCENARIO --out OUT ARGS…`, asserting success.
fn run(cmd: &str, scenario: &Path, out: &Path, args: &[&str]) {
    let o = hotline()
        .arg(cmd)
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn figure(dir: &Path, stem: &str) -> Figure {
    let run = RunData::load(dir).unwrap();
    hotline::report::charts::figures(&run)
        .into_iter()
        .find(|f| f.stem == stem)
        .unwrap_or_else(|| panic!("no {stem} chart"))
}

fn values(fig: &Figure, label_starts: &str) -> Vec<Option<f64>> {
    fig.series
        .iter()
        .find(|s| s.label.starts_with(label_starts))
        .unwrap_or_else(|| panic!("no series {label_starts:?} in {}", fig.stem))
        .points
        .iter()
        .map(|p| p.1)
        .collect()
}

#[test]
fn staff_draws_the_staffing_chart_with_title_axes_and_erlang_c_and_a() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = validation_mmc(dir.path(), 2);
    let out = dir.path().join("plan");
    hotline()
        .arg("staff")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .args(["--shrinkage", "0.3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("staffing.{png,svg}"));
    let png = std::fs::read(out.join("staffing.png")).unwrap();
    assert_eq!(png_size(&png), (1200, 560), "staffing.png size");
    assert!(
        pixel_variance(&out.join("staffing.png")) > 100.0,
        "staffing.png looks blank"
    );
    let svg = read(out.join("staffing.svg"));
    assert_svg_document(&svg, "staffing");
    for label in [
        "Agents required (Erlang C, Erlang A) and staffed per 30 min, queue general",
        "agents",
        "time (weekday hh:mm)",
        "Erlang C: agents required",
        "Erlang A: agents required",
        "agents scheduled by the plan (after shrinkage)",
    ] {
        assert!(
            has_text(&svg, label),
            "staffing.svg lacks the text {label:?}"
        );
    }
    // No simulation in the folder: no simulated line, no simulation charts, no report.
    assert!(!has_text(&svg, "agents in the simulation"));
    assert!(!out.join("offered.svg").exists());
    assert!(!out.join("report.html").exists());
}

#[test]
fn staff_no_charts_writes_the_csvs_only() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = validation_mmc(dir.path(), 1);
    let out = dir.path().join("plan");
    run("staff", &scenario, &out, &["--no-charts"]);
    assert!(out.join("staffing.csv").exists());
    assert!(out.join("staffing_daily.csv").exists());
    assert!(!out.join("staffing.png").exists(), "--no-charts drew a PNG");
    assert!(
        !out.join("staffing.svg").exists(),
        "--no-charts drew an SVG"
    );
}

#[test]
fn the_staffing_chart_plots_the_csv_and_the_simulated_agents() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = validation_mmc(dir.path(), 1);
    let out = dir.path().join("run");
    run("staff", &scenario, &out, &["--shrinkage", "0.25"]);
    run("simulate", &scenario, &out, &["--no-charts"]);
    let fig = figure(&out, "staffing");
    let rows = read_csv(&out.join("staffing.csv"));
    let col = |c: &str| -> Vec<Option<f64>> { rows.iter().map(|r| Some(num(r, c))).collect() };
    assert_eq!(values(&fig, "Erlang C"), col("agents_erlang_c"));
    assert_eq!(values(&fig, "Erlang A"), col("agents_erlang_a"));
    assert_eq!(values(&fig, "agents scheduled"), col("agents_scheduled"));
    // Erlang A needs fewer agents here (callers abandon after 5 minutes on average).
    assert!(
        rows.iter()
            .all(|r| num(r, "agents_erlang_a") <= num(r, "agents_erlang_c"))
    );
    // The simulation ran with the scenario's own 55 agents (a time average: float noise).
    let simulated = values(&fig, "agents in the simulation");
    assert_eq!(simulated.len(), 48);
    assert!(
        simulated
            .iter()
            .all(|v| v.is_some_and(|a| (a - 55.0).abs() < 1e-9)),
        "{simulated:?}"
    );
}

#[test]
fn a_long_plan_shows_mean_agents_per_interval_not_their_sum() {
    // 60 days of half-hours: 2,880 intervals, above the 2,000-point limit, so points are hours.
    let dir = tempfile::tempdir().unwrap();
    let scenario = validation_mmc(dir.path(), 60);
    let out = dir.path().join("plan");
    run("staff", &scenario, &out, &[]);
    let fig = figure(&out, "staffing");
    assert!(fig.title.contains("per hour"), "{}", fig.title);
    assert_eq!(
        fig.y.label,
        "agents (mean per 30 min interval over each hour)"
    );
    let per_interval = num(&read_csv(&out.join("staffing.csv"))[0], "agents_erlang_c");
    let c = values(&fig, "Erlang C");
    assert_eq!(c.len(), 60 * 24);
    assert!(c.iter().all(|v| *v == Some(per_interval)), "{:?}", &c[..3]);
}

#[test]
fn several_queues_are_summed_per_interval_into_all_queues() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("two.toml");
    std::fs::write(
        &scenario,
        r#"[scenario]
name = "two"
days = 1
interval = "30m"
seed = 3

[arrivals]
calls_per_hour = 600

[[queue]]
name = "sales"
handle_time = { dist = "exponential", mean = "3m" }
patience = { dist = "exponential", mean = "2m" }

[[queue]]
name = "support"
handle_time = { dist = "exponential", mean = "6m" }

[ivr]
start = "main"

[[ivr.node]]
name = "main"
options = [
  { label = "sales", p = 0.7, queue = "sales" },
  { label = "support", p = 0.3, queue = "support" },
]

[[pool]]
name = "agents"
serves = ["sales", "support"]
agents = 40
"#,
    )
    .unwrap();
    let out = dir.path().join("plan");
    run("staff", &scenario, &out, &[]);
    let fig = figure(&out, "staffing");
    assert!(fig.title.ends_with("all queues"), "{}", fig.title);
    assert_eq!(fig.y.label, "agents, all queues summed");
    let rows = read_csv(&out.join("staffing.csv"));
    let first: f64 = rows
        .iter()
        .filter(|r| num(r, "interval_start_s") == 0.0)
        .map(|r| num(r, "agents_erlang_c"))
        .sum();
    assert_eq!(values(&fig, "Erlang C")[0], Some(first));
    assert_eq!(values(&fig, "Erlang C").len(), 48, "one point per interval");
}

#[test]
fn report_html_includes_the_staffing_chart_when_staffing_csv_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = validation_mmc(dir.path(), 1);
    let out = dir.path().join("run");
    run("simulate", &scenario, &out, &[]);
    assert!(!read(out.join("report.html")).contains("chart-staffing"));
    run("staff", &scenario, &out, &[]);
    hotline().arg("report").arg(&out).assert().success();
    let html = read(out.join("report.html"));
    assert!(
        html.contains("<figure id=\"chart-staffing\">"),
        "no staffing chart"
    );
    assert!(html.contains("Agents required (Erlang C, Erlang A) and staffed"));
    assert_eq!(html.matches("<svg").count(), 7, "six run charts + staffing");
    assert!(has_text(
        &read(out.join("staffing.svg")),
        "agents in the simulation"
    ));
}

#[test]
fn report_on_a_folder_with_only_a_plan_draws_the_plan_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = validation_mmc(dir.path(), 1);
    let out = dir.path().join("plan");
    run("staff", &scenario, &out, &["--no-charts"]);
    hotline()
        .arg("report")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("report.html"));
    assert!(out.join("staffing.png").exists());
    assert!(out.join("staffing.svg").exists());
    assert!(
        !out.join("offered.svg").exists(),
        "a simulation chart without a simulation"
    );
    let html = read(out.join("report.html"));
    assert!(html.contains("<figure id=\"chart-staffing\">"));
    assert!(html.contains("no simulation"));
    assert_eq!(html.matches("<svg").count(), 1);
}

#[test]
fn report_on_a_folder_with_neither_simulation_nor_plan_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    hotline()
        .arg("report")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("intervals.csv"))
        .stderr(predicate::str::contains("staffing.csv"))
        .stderr(predicate::str::contains("hotline staff"));
}

#[test]
fn simulate_with_a_plan_draws_promised_against_simulated_service_level() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = validation_mmc(dir.path(), 1);
    let out = dir.path().join("run");
    run("staff", &scenario, &out, &[]);
    let plan = out.join("staffing.csv");
    run(
        "simulate",
        &scenario,
        &out,
        &["--staffing", plan.to_str().unwrap()],
    );
    let svg = read(out.join("plan_vs_sim.svg"));
    assert_svg_document(&svg, "plan_vs_sim");
    for label in [
        "Service level promised by the plan vs simulated per 30 min",
        "service level (% answered within threshold)",
        "general: promised",
        "general: simulated",
    ] {
        assert!(has_text(&svg, label), "plan_vs_sim.svg lacks {label:?}");
    }
    let png = std::fs::read(out.join("plan_vs_sim.png")).unwrap();
    assert_eq!(png_size(&png), (1200, 560));
    // At interval resolution the lines are the file's columns.
    let fig = figure(&out, "plan_vs_sim");
    let rows = read_csv(&out.join("plan_vs_sim.csv"));
    let cell = |r: &HashMap<String, String>, c: &str| r[c].parse::<f64>().ok();
    let promised: Vec<Option<f64>> = rows.iter().map(|r| cell(r, "sl_promised")).collect();
    let simulated: Vec<Option<f64>> = rows.iter().map(|r| cell(r, "sl_simulated")).collect();
    let close = |a: &[Option<f64>], b: &[Option<f64>]| {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| match (x, y) {
                // The file's shares carry six significant digits (report::numbers).
                (Some(x), Some(y)) => (x - y).abs() <= 5e-7,
                (None, None) => true,
                _ => false,
            })
    };
    assert!(close(&values(&fig, "general: promised"), &promised));
    assert!(close(&values(&fig, "general: simulated"), &simulated));
    let html = read(out.join("report.html"));
    assert!(html.contains("<figure id=\"chart-plan_vs_sim\">"));
    assert!(html.contains("<figure id=\"chart-staffing\">"));
}
