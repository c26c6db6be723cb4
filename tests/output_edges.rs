//! Outputs at their edges, as a planner meets them: a run with no rows still writes every CSV with
//! its header, a warm-up that would leave nothing is refused, a coverage plan writes no empty
//! `plan_vs_sim.csv`, `--json` of replicated, merged and Erlang runs follows the number rule,
//! `report` refuses a malformed `summary.csv`, and a replicated workbook formats each metric and
//! its spread alike.

use std::path::{Path, PathBuf};

use crate::outputs::{cell, column_letters, csvs, sheets, significant_digits, style_of, unzip};
use crate::support::*;

/// `hotline ARGS…` expected to fail with exit 2; returns stderr.
fn refused_with_2(args: &[&std::ffi::OsStr]) -> String {
    let o = hotline().args(args).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "hotline {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stderr).unwrap()
}

#[test]
fn a_warmup_as_long_as_the_horizon_is_refused_for_single_and_replicated_runs() {
    let dir = tempfile::tempdir().unwrap();
    let s = crate::replications::small_scenario(dir.path(), "small.toml", 7);
    let out = dir.path().join("o");
    for extra in [&[][..], &["--replications", "2"][..]] {
        for (warmup, want) in [
            ("3d", "--warmup 3d is not shorter than the horizon (2 days)"),
            ("2d", "--warmup 2d is not shorter than the horizon (2 days)"),
            // Past the start of the last interval: no interval would be left either.
            (
                "1d23h45m",
                "leaves no whole interval of the horizon (2 days): the last 30m interval starts at 1d23h30m",
            ),
        ] {
            let mut args: Vec<&std::ffi::OsStr> = vec![
                "simulate".as_ref(),
                s.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
                "--no-charts".as_ref(),
                "--warmup".as_ref(),
                warmup.as_ref(),
            ];
            args.extend(extra.iter().map(std::ffi::OsStr::new));
            let err = refused_with_2(&args);
            assert!(err.contains(want), "{extra:?}: {err}");
        }
    }
    assert!(!out.exists(), "nothing written for a refused run");
    // The last interval itself is still a run.
    crate::replications::simulate(&s, &out, &["--warmup", "1d23h30m", "--no-charts"]);
    assert_eq!(read_csv(&out.join("intervals.csv")).len(), 2);
}

#[test]
fn a_run_without_calls_writes_every_csv_with_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(
        dir.path(),
        "quiet.toml",
        "[scenario]\nname = \"quiet\"\ndays = 1\ninterval = \"30m\"\nseed = 11\n\n\
         [arrivals]\ncalls_per_hour = 0.0001\n\n[[queue]]\nname = \"general\"\n\
         handle_time = { dist = \"exponential\", mean = \"3m\" }\n\n\
         [[pool]]\nname = \"agents\"\nserves = [\"general\"]\nagents = 3\n",
    );
    let out = dir.path().join("o");
    crate::replications::simulate(&s, &out, &["--no-charts"]);
    assert_eq!(
        read(out.join("waits.csv")),
        "queue,wait_from_s,wait_to_s,calls\n",
        "no call waited: the header alone"
    );
    for csv in csvs(&out) {
        let text = read(csv.clone());
        assert!(
            text.starts_with("interval_start,") || text.starts_with("queue,"),
            "{}: {text:?}",
            csv.display()
        );
    }
    // pandas-like readers and `hotline report` take the empty table.
    hotline().arg("report").arg(&out).assert().success();
}

/// A `coverage.csv` as `hotline schedule` writes it (the columns `simulate --staffing` reads):
/// `agents` on the phones in every interval of `days` days.
fn coverage(dir: &Path, days: u32, agents: u32) -> PathBuf {
    let mut text = String::from("interval_start_s,pool,scheduled\n");
    for k in 0..days * 48 {
        text += &format!("{},agents,{agents}\n", k * 1800);
    }
    write(dir, "coverage.csv", &text)
}

#[test]
fn a_roster_coverage_as_staffing_writes_no_empty_plan_vs_sim() {
    let dir = tempfile::tempdir().unwrap();
    let s = crate::replications::small_scenario(dir.path(), "small.toml", 7);
    let cov = coverage(dir.path(), 2, 8);
    let cov = cov.to_str().unwrap();
    for (name, extra) in [("one", &[][..]), ("reps", &["--replications", "2"][..])] {
        let out = dir.path().join(name);
        // A plan_vs_sim.csv of an earlier `--staffing staffing.csv` run in the same folder.
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(
            out.join("plan_vs_sim.csv"),
            "interval_start,queue\nold,run\n",
        )
        .unwrap();
        let mut args = vec!["--staffing", cov, "--no-charts"];
        args.extend_from_slice(extra);
        let stdout = crate::replications::simulate(&s, &out, &args);
        assert!(!stdout.contains("plan_vs_sim"), "{stdout}");
        assert!(
            !out.join("plan_vs_sim.csv").exists(),
            "{name}: the coverage promises no figures, so there is nothing to compare"
        );
        // The roster's headcount was simulated.
        let pools = read_csv(&out.join("pools.csv"));
        assert!(pools.iter().all(|r| num(r, "agents") == 8.0), "{name}");
    }
}

#[test]
fn report_refuses_a_summary_csv_that_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let s = crate::replications::small_scenario(dir.path(), "small.toml", 7);
    let out = dir.path().join("o");
    crate::replications::simulate(&s, &out, &["--no-charts", "--no-xlsx"]);
    let summary = out.join("summary.csv");
    let header = read(summary.clone()).lines().next().unwrap().to_string();
    for (text, want) in [
        (
            "garbage\n".to_string(),
            "summary.csv:1: the header has no `queue` column",
        ),
        (
            header.replace(",offered,", ",offerd,") + "\n",
            "summary.csv:1: the header has no `offered` column",
        ),
        (header + "\n", "summary.csv:2: no `all` row"),
    ] {
        std::fs::write(&summary, &text).unwrap();
        let err = refused_with_2(&["report".as_ref(), out.as_os_str()]);
        assert!(err.contains(want), "{text:?}: {err}");
    }
}

/// Each JSON number against the CSV cell of the same column: the same figure, and an integer
/// exactly where the CSV writes one.
fn assert_json_matches_csv_row(
    json: &serde_json::Map<String, serde_json::Value>,
    row: &std::collections::HashMap<String, String>,
    what: &str,
) {
    let mut compared = 0;
    for (col, cell) in row {
        let Some(v) = json.get(col) else { continue };
        if cell.is_empty() {
            assert!(v.is_null(), "{what} `{col}`: {v} where the CSV is empty");
            continue;
        }
        let Ok(x) = cell.parse::<f64>() else { continue };
        assert_eq!(v.as_f64(), Some(x), "{what} `{col}`: JSON {v}, CSV {cell}");
        assert_eq!(
            v.is_i64() || v.is_u64(),
            !cell.contains('.'),
            "{what} `{col}`: JSON {v}, CSV {cell}"
        );
        compared += 1;
    }
    assert!(compared > 20, "{what}: only {compared} columns compared");
}

#[test]
fn replicated_and_merged_json_are_the_figures_of_summary_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = crate::replications::small_scenario(d, "small.toml", 7);
    let one = d.join("one");
    let json = crate::replications::simulate(&s, &one, &["--replications", "3", "--json"]);
    for k in ["1/2", "2/2"] {
        crate::replications::simulate(
            &s,
            &d.join(k.replace('/', "of")),
            &["--replications", "3", "--shard", k],
        );
    }
    let merged = d.join("merged");
    let o = hotline()
        .arg("merge")
        .args([d.join("1of2"), d.join("2of2")])
        .arg("--out")
        .arg(&merged)
        .arg("--json")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (what, text, folder) in [
        ("simulate --json", json, &one),
        (
            "merge --json",
            String::from_utf8(o.stdout).unwrap(),
            &merged,
        ),
    ] {
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let summary = read_csv(&folder.join("summary.csv"));
        let all = summary.iter().find(|r| r["queue"] == "all").unwrap();
        assert_json_matches_csv_row(v.as_object().unwrap(), all, what);
        let general = summary.iter().find(|r| r["queue"] == "general").unwrap();
        assert_json_matches_csv_row(v["queues"]["general"].as_object().unwrap(), general, what);
        // run.json: whole numbers as integers, as in the CSVs.
        let run = read(folder.join("run.json"));
        assert!(run.contains("\"interval_s\": 1800,"), "{run}");
        assert!(run.contains("\"sl_threshold_s\": 20,"), "{run}");
    }
}

#[test]
fn erlang_json_follows_the_number_rule() {
    let v =
        crate::erlang_cli::json_of(&["--calls-per-hour", "1000", "--aht", "3m", "--agents", "55"]);
    let text = v.to_string();
    assert_eq!(v["calls_per_hour"].to_string(), "1000", "{text}");
    assert_eq!(v["agents"].to_string(), "55", "{text}");
    // P(wait) of Erlang C at 50 erlangs on 55 agents, 0.38454731793…, to 6 digits.
    assert_eq!(v["p_wait"].to_string(), "0.384547", "{text}");
    for (k, x) in v.as_object().unwrap() {
        let t = x.to_string();
        if x.is_f64() {
            assert!(significant_digits(&t) <= 6, "{k} = {t}");
        }
    }
}

#[test]
fn report_xlsx_of_replications_formats_each_metric_and_its_spread_alike() {
    let dir = tempfile::tempdir().unwrap();
    let s = crate::replications::small_scenario(dir.path(), "small.toml", 7);
    let out = dir.path().join("o");
    crate::replications::simulate(&s, &out, &["--replications", "5", "--no-charts"]);
    hotline().arg("report").arg(&out).assert().success();
    let files = unzip(&out.join("report.xlsx"));
    let styles = &files["xl/styles.xml"];
    let (percent, one_decimal) = (style_of(styles, "0.0%"), style_of(styles, "0.0"));
    let book = sheets(&files);
    // The planners' Summary first, then the raw summary.csv sheet.
    assert_eq!(book[1].0, "summary.csv");
    let xml = &book[1].1;
    let header: Vec<String> = {
        let mut r = csv::Reader::from_path(out.join("summary.csv")).unwrap();
        r.headers().unwrap().iter().map(String::from).collect()
    };
    let style = |col: &str| {
        let c = column_letters(header.iter().position(|h| h == col).unwrap());
        let xml_cell = cell(xml, &format!("{c}3"));
        let s = xml_cell
            .split(" s=\"")
            .nth(1)
            .map_or(String::new(), |v| v[..v.find('"').unwrap()].to_string());
        (s, xml_cell.to_string())
    };
    let summary = read_csv(&out.join("summary.csv"));
    let offered = &summary.iter().find(|r| r["queue"] == "all").unwrap()["offered"];
    assert!(
        offered.contains('.'),
        "the test needs a fractional mean: {offered}"
    );
    for (col, want) in [
        ("offered", &one_decimal),
        ("offered_sd", &one_decimal),
        ("offered_hw95", &one_decimal),
        ("answered", &one_decimal),
        ("service_level", &percent),
        ("service_level_sd", &percent),
        ("service_level_hw95", &percent),
        ("abandon_rate_sd", &percent),
        ("abandon_rate_hw95", &percent),
        ("occupancy_sd", &percent),
        ("asa_s", &one_decimal),
        ("asa_s_sd", &one_decimal),
        ("asa_s_hw95", &one_decimal),
    ] {
        let (s, c) = style(col);
        assert_eq!(&s, want, "{col}: {c}");
    }
    // A single run keeps whole counts as integers.
    let single = dir.path().join("single");
    crate::replications::simulate(&s, &single, &["--no-charts"]);
    let files = unzip(&single.join("report.xlsx"));
    let count = style_of(&files["xl/styles.xml"], "0");
    let xml = &sheets(&files)[1].1;
    let c = column_letters(header.iter().position(|h| h == "offered").unwrap());
    let offered = cell(xml, &format!("{c}3"));
    assert!(offered.contains(&format!(" s=\"{count}\"")), "{offered}");
}
