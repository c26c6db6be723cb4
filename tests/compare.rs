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
    compare(
        d,
        &[
            "small.toml",
            "--replications",
            "5",
            "--baseline",
            "base/compare.json",
            "--max-regression",
            "service_level=0.02,asa_s=10%,abandon_rate=0.01",
        ],
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
