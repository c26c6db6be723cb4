//! `hotline compare`: the Markdown table and files, paired differences, and the baseline gate's
//! exit codes (0 within threshold, 1 a significant regression, 2 bad input).

use std::path::Path;

use crate::replications::small_scenario;
use crate::support::{hotline, num, read_csv};

/// A staffing plan for the small scenario at service-level goal `target` ("80/20").
fn plan(dir: &Path, scenario: &Path, target: &str, name: &str) -> std::path::PathBuf {
    let out = dir.join(format!("staff-{name}"));
    hotline()
        .arg("staff")
        .arg(scenario)
        .args(["--target", target, "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let p = dir.join(format!("{name}.csv"));
    std::fs::copy(out.join("staffing.csv"), &p).unwrap();
    p
}

fn compare(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    hotline()
        .current_dir(dir)
        .arg("compare")
        .args(args)
        .assert()
}

/// `compare SCENARIOS --replications N --out OUT --baseline BASELINE --max-regression LIMITS`.
pub(crate) fn gate_run(
    dir: &Path,
    scenarios: &[&str],
    replications: &str,
    out: &str,
    baseline: &str,
    limits: &str,
) -> assert_cmd::assert::Assert {
    let mut a = scenarios.to_vec();
    a.extend([
        "--replications",
        replications,
        "--out",
        out,
        "--baseline",
        baseline,
        "--max-regression",
        limits,
    ]);
    compare(dir, &a)
}

#[test]
fn compare_prints_a_markdown_table_and_paired_differences() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = small_scenario(d, "small.toml", 7);
    let good = plan(d, &s, "90/20", "good");
    let out = compare(
        d,
        &[
            "small.toml",
            "--staffing",
            "scenario",
            "--staffing",
            good.to_str().unwrap(),
            "--replications",
            "8",
            "--out",
            "cmp",
        ],
    )
    .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("| scenario |"), "{text}");
    // Figures follow the outputs' one rule (README "Numbers"): no exponent notation in the
    // table a CI log shows, and no more than 6 significant digits.
    for cell in text.split(['|', '±']).map(str::trim) {
        if cell.parse::<f64>().is_ok() {
            assert!(!cell.contains(['e', 'E']), "exponent in `{cell}`:\n{text}");
            let digits = cell.trim_start_matches(['-', '0', '.']).replace('.', "");
            assert!(
                digits.len() <= 6,
                "more than 6 significant digits in `{cell}`"
            );
        }
    }
    assert!(
        text.contains("| small | 8 | service_level | fifo+scenario |"),
        "{text}"
    );
    // Percentages and seconds as in the terminal table (issue 20): `87.2% ± 0.3`, differences
    // of shares in percentage points.
    let rows_of = |metric: &str| {
        text.lines()
            .filter(|l| l.contains(&format!("| {metric} |")))
            .collect::<Vec<_>>()
    };
    for l in rows_of("service_level") {
        let cells: Vec<&str> = l.split('|').map(str::trim).collect();
        let (mean, hw) = cells[5].split_once(" ± ").expect(l);
        assert!(
            mean.ends_with('%') && mean.split_once('.').unwrap().1.len() == 2,
            "{l}"
        );
        assert_eq!(hw.split_once('.').unwrap().1.len(), 1, "{l}");
        assert!(
            cells[6] == "(reference)" || cells[6].contains(" pp ± "),
            "{l}"
        );
    }
    for l in rows_of("asa_s") {
        assert!(l.split('|').nth(5).unwrap().contains("s ± "), "{l}");
    }
    let rows = read_csv(&d.join("cmp/compare.csv"));
    let sl = |v: &str| {
        rows.iter()
            .find(|r| r["variant"] == v && r["metric"] == "service_level")
            .unwrap()
            .clone()
    };
    let (a, b) = (sl("fifo+scenario"), sl("fifo+good"));
    // The paired difference is the difference of the means (same replications, exact).
    let diff = num(&b, "diff_vs_reference");
    assert!((diff - (num(&b, "mean") - num(&a, "mean"))).abs() < 1e-12);
    // A 90/20 plan beats 7 agents at 6 erlangs, and common random numbers make it sure.
    assert!(diff - num(&b, "diff_vs_reference_hw95") > 0.0, "{b:?}");
    assert!(d.join("cmp/compare.json").exists());
}

#[test]
fn gate_passes_against_its_own_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    compare(d, &["small.toml", "--replications", "5", "--out", "base"]).success();
    gate_run(
        d,
        &["small.toml"],
        "5",
        "now",
        "base/compare.json",
        "service_level=0.02,asa_s=10%,abandon_rate=0.01",
    )
    .code(0);
}

#[test]
fn gate_fails_naming_metric_scenario_variant_and_interval_on_a_worse_plan() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = small_scenario(d, "small.toml", 7);
    let p = plan(d, &s, "90/20", "plan");
    let p = p.to_str().unwrap();
    let args = |out: &str| {
        vec![
            "small.toml".to_string(),
            "--staffing".into(),
            p.into(),
            "--replications".into(),
            "10".into(),
            "--out".into(),
            out.into(),
        ]
    };
    let a = args("base");
    compare(d, &a.iter().map(String::as_str).collect::<Vec<_>>()).success();
    // Same file name, a cheaper plan: the variant is the same, its service level drops.
    let worse = plan(d, &s, "50/20", "worse");
    std::fs::copy(&worse, p).unwrap();
    let mut b = args("now");
    b.extend([
        "--baseline".into(),
        "base/compare.json".into(),
        "--max-regression".into(),
        "service_level=0.02".into(),
    ]);
    let out = compare(d, &b.iter().map(String::as_str).collect::<Vec<_>>()).code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for want in [
        "regression:",
        "scenario small",
        "variant fifo+plan",
        "service_level",
        "95 % interval",
    ] {
        assert!(err.contains(want), "missing `{want}` in {err}");
    }
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("**REGRESSION**"), "{stdout}");
}

#[test]
fn gate_refuses_bad_input_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    compare(d, &["small.toml", "--replications", "3", "--out", "base"]).success();
    let gate = |extra: &[&str]| {
        let mut a = vec!["small.toml", "--replications", "3", "--out", "now"];
        a.extend_from_slice(extra);
        compare(d, &a)
    };
    gate(&[
        "--baseline",
        "base/compare.json",
        "--max-regression",
        "speed=1",
    ])
    .code(2)
    .stderr(predicates::str::contains("unknown metric `speed`"));
    std::fs::write(d.join("bad.json"), "{ not json").unwrap();
    gate(&[
        "--baseline",
        "bad.json",
        "--max-regression",
        "service_level=0.02",
    ])
    .code(2)
    .stderr(predicates::str::contains("not a compare.json"));
    gate(&["--policy", "lifo"])
        .code(2)
        .stderr(predicates::str::contains(
            "unknown policy `lifo`; known policies: fifo, priority",
        ));
    // Another version of the scenario file: the baseline no longer applies.
    small_scenario(d, "small.toml", 8);
    gate(&[
        "--baseline",
        "base/compare.json",
        "--max-regression",
        "service_level=0.02",
    ])
    .code(2)
    .stderr(predicates::str::contains(
        "another version of scenario `small`",
    ));
}

/// The rows of `compare.csv` for one metric, as (scenario, variant, scenario_file).
fn rows_of(csv: &Path, metric: &str) -> Vec<(String, String, String)> {
    read_csv(csv)
        .into_iter()
        .filter(|r| r["metric"] == metric)
        .map(|r| {
            let file = r.get("scenario_file").cloned().unwrap_or_default();
            (r["scenario"].clone(), r["variant"].clone(), file)
        })
        .collect()
}

fn compare_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// a planner copies a scenario and edits it; both keep `name = "small"`. Every row
/// must say which file it is, in the table, the CSV and the JSON.
#[test]
fn same_named_scenarios_are_labelled_by_file_stem_in_table_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "base.toml", 7);
    small_scenario(d, "more.toml", 9);
    let out = compare(
        d,
        &[
            "base.toml",
            "more.toml",
            "--replications",
            "3",
            "--out",
            "cmp",
        ],
    )
    .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for want in [
        "| small (base) | 3 | service_level | fifo |",
        "| small (more) | 3 | service_level | fifo |",
    ] {
        assert!(text.contains(want), "missing `{want}` in\n{text}");
    }
    assert_eq!(
        rows_of(&d.join("cmp/compare.csv"), "service_level"),
        [
            ("small (base)".into(), "fifo".into(), "base.toml".into()),
            ("small (more)".into(), "fifo".into(), "more.toml".into()),
        ]
    );
    let json = compare_json(&d.join("cmp/compare.json"));
    let s = json["scenarios"].as_array().unwrap();
    assert_eq!(s[0]["scenario"], "small (base)");
    assert_eq!(s[1]["scenario"], "small (more)");
    assert_eq!(s[0]["name"], "small");
    assert_eq!(s[1]["name"], "small");
    assert_eq!(s[1]["file"], "more.toml");
}

/// A unique name stays the label as it was (the committed CI baseline depends on it), and the
/// CSV gains `scenario_file` as a column (the last but `gate_test`, which issue 24 added after it).
#[test]
fn a_unique_scenario_name_is_its_label_and_the_file_is_the_last_csv_column() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    compare(d, &["small.toml", "--replications", "3", "--out", "cmp"])
        .success()
        .stdout(predicates::str::contains("| small | 3 | service_level |"));
    let text = std::fs::read_to_string(d.join("cmp/compare.csv")).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with("scenario,variant,metric,replications,mean,"),
        "{header}"
    );
    assert!(
        header.ends_with(",regression,scenario_file,gate_test"),
        "{header}"
    );
    assert_eq!(
        rows_of(&d.join("cmp/compare.csv"), "asa_s"),
        [("small".into(), "fifo".into(), "small.toml".into())]
    );
}

/// When the stems coincide too (`a/s.toml`, `b/s.toml`), the path as given tells them apart.
#[test]
fn same_named_scenarios_with_the_same_stem_are_labelled_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["a", "b"] {
        std::fs::create_dir(d.join(sub)).unwrap();
    }
    small_scenario(&d.join("a"), "s.toml", 7);
    small_scenario(&d.join("b"), "s.toml", 9);
    small_scenario(d, "other.toml", 8);
    compare(
        d,
        &[
            "a/s.toml",
            "b/s.toml",
            "other.toml",
            "--replications",
            "2",
            "--out",
            "cmp",
        ],
    )
    .success();
    let labels: Vec<String> = rows_of(&d.join("cmp/compare.csv"), "service_level")
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(
        labels,
        ["small (a/s.toml)", "small (b/s.toml)", "small (other)"]
    );
}

#[test]
fn the_same_scenario_file_given_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    compare(d, &["small.toml", "small.toml", "--replications", "2"])
        .code(2)
        .stderr(predicates::str::contains("small.toml` is given twice"));
}

/// gating against a baseline built from the very same two same-named files passes;
/// editing one of them is still "another version" (exit 2), named by its label.
#[test]
fn gate_pairs_same_named_scenarios_by_label() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "base.toml", 7);
    small_scenario(d, "more.toml", 9);
    let both = ["base.toml", "more.toml"];
    let gate = || {
        gate_run(
            d,
            &both,
            "4",
            "now",
            "base/compare.json",
            "service_level=0.02,asa_s=10%",
        )
    };
    compare(
        d,
        &[&both[..], &["--replications", "4", "--out", "base"]].concat(),
    )
    .success();
    let out = gate().code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(text.matches("| ok |").count(), 4, "{text}");
    small_scenario(d, "more.toml", 10);
    gate().code(2).stderr(predicates::str::contains(
        "another version of scenario `small (more)` (more.toml has hash",
    ));
}

/// A baseline written before labels existed (no `name`, no `scenario_file`) still gates.
#[test]
fn a_baseline_without_scenario_names_still_gates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    compare(d, &["small.toml", "--replications", "3", "--out", "base"]).success();
    let mut json = compare_json(&d.join("base/compare.json"));
    for s in json["scenarios"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("name");
    }
    std::fs::write(d.join("old.json"), json.to_string()).unwrap();
    gate_run(
        d,
        &["small.toml"],
        "3",
        "now",
        "old.json",
        "service_level=0.02",
    )
    .code(0);
}

/// A baseline that holds one label twice (written by a hotline that did not tell same-named
/// scenarios apart) cannot be paired: exit 2, saying to regenerate it.
#[test]
fn a_baseline_with_a_scenario_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "base.toml", 7);
    small_scenario(d, "more.toml", 9);
    compare(
        d,
        &[
            "base.toml",
            "more.toml",
            "--replications",
            "2",
            "--out",
            "base",
        ],
    )
    .success();
    let mut json = compare_json(&d.join("base/compare.json"));
    for s in json["scenarios"].as_array_mut().unwrap() {
        s["scenario"] = "small".into();
    }
    std::fs::write(d.join("old.json"), json.to_string()).unwrap();
    small_scenario(d, "small.toml", 7);
    gate_run(
        d,
        &["small.toml"],
        "2",
        "now",
        "old.json",
        "service_level=0.02",
    )
    .code(2)
    .stderr(predicates::str::contains("holds scenario `small` twice"));
}

/// `--max-regression` without `--baseline` gated nothing and exited 0.
#[test]
fn max_regression_without_baseline_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    compare(
        d,
        &[
            "small.toml",
            "--replications",
            "2",
            "--max-regression",
            "service_level=0.02",
        ],
    )
    .code(2)
    .stderr(predicates::str::contains("--baseline"));
}

/// A baseline stays valid when only comments or the order of keys change: the version is the
/// scenario's settings; a changed value still makes it "another version".
#[test]
fn a_comment_edit_keeps_the_baseline_a_changed_value_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = small_scenario(d, "small.toml", 7);
    compare(d, &["small.toml", "--replications", "3", "--out", "base"]).success();
    let text = std::fs::read_to_string(&s).unwrap();
    // A reworded comment and the [scenario] keys moved below the rest.
    let (head, rest) = text.split_once("[arrivals]").unwrap();
    std::fs::write(
        &s,
        format!("# reworded: a small test queue\n[arrivals]{rest}\n{head}"),
    )
    .unwrap();
    gate_run(
        d,
        &["small.toml"],
        "3",
        "now",
        "base/compare.json",
        "service_level=0.02",
    )
    .success();
    std::fs::write(&s, text.replace("seed = 11", "seed = 12")).unwrap();
    gate_run(
        d,
        &["small.toml"],
        "3",
        "now",
        "base/compare.json",
        "service_level=0.02",
    )
    .code(2)
    .stderr(predicates::str::contains(
        "another version of scenario `small`",
    ));
}

/// A deliberate edit (a pool cut from 7 to 5 agents) reviewed against the baseline with
/// `--allow-changed-scenario`: gated rather than refused, the cut shows as a regression, and the
/// table and compare.json name the old and new hash. Without the flag it is still exit 2.
#[test]
fn a_changed_scenario_is_gated_against_its_baseline_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    compare(d, &["small.toml", "--replications", "6", "--out", "base"]).success();
    let scenario_of = |f: &str| {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join(f)).unwrap()).unwrap();
        v["scenarios"][0].clone()
    };
    let before = scenario_of("base/compare.json")["scenario_hash"].clone();
    assert!(
        scenario_of("base/compare.json")
            .get("baseline_scenario_hash")
            .is_none()
    );
    small_scenario(d, "small.toml", 5);
    let limits = "service_level=0.02";
    gate_run(d, &["small.toml"], "6", "now", "base/compare.json", limits)
        .code(2)
        .stderr(predicates::str::contains("--allow-changed-scenario"));
    let out = gate_run(
        d,
        &["small.toml", "--allow-changed-scenario"],
        "6",
        "now",
        "base/compare.json",
        limits,
    )
    .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("**REGRESSION**"), "{stdout}");
    let now = scenario_of("now/compare.json");
    assert_eq!(now["baseline_scenario_hash"], before);
    assert_ne!(now["scenario_hash"], before);
    let note = format!(
        "scenario small changed since the baseline (--allow-changed-scenario): small.toml has \
         hash {}, the baseline was made from {}",
        now["scenario_hash"].as_str().unwrap(),
        before.as_str().unwrap()
    );
    assert!(stdout.contains(&note), "{stdout}");
    // The flag alone gates nothing: refused.
    compare(d, &["small.toml", "--allow-changed-scenario", "--out", "x"])
        .code(2)
        .stderr(predicates::str::contains(
            "--allow-changed-scenario needs --baseline",
        ));
}
