//! The CI gate pairs today's replications with the baseline's (issue 24): on a regression
//! Welch's interval misses more often than not, the paired t interval finds it for (nearly)
//! every seed; an identical re-run never fires, a re-seeded identical model (Welch, as it must)
//! fires for at most one seed in twenty; an older baseline (format 1) still gates, with Welch.
//!
//! The scenario is small (2 days, 6 erlangs on 7 agents, about 5,800 calls a replication) so
//! twenty seeds of ten replications stay a few seconds; twenty copies of it, `seed = 1 … 20`,
//! each with its own name so every copy is one label in one `compare` run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::compare::gate_run;
use crate::replications::small_scenario;
use crate::support::{hotline, num, read_csv, write};

const SEEDS: u64 = 20;
const REPLICATIONS: &str = "10";
/// Half a point of service level: the regression below is about 1.6 points.
const LIMIT: &str = "service_level=0.005";

/// `s01.toml … s20.toml`: the small scenario (7 agents) with `seed = k`, named `seed-k`.
fn seeded_copies(d: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(small_scenario(d, "small.toml", 7)).unwrap();
    (1..=SEEDS)
        .map(|k| {
            let file = format!("s{k:02}.toml");
            let copy = text
                .replace("name = \"small\"", &format!("name = \"seed-{k:02}\""))
                .replace("seed = 11", &format!("seed = {k}"));
            assert_ne!(copy, text);
            write(d, &file, &copy);
            file
        })
        .collect()
}

/// A `coverage.csv` for the small scenario's pool: 7 agents in each of its 96 half hours, one
/// fewer where `cut(k)`.
fn coverage(path: &Path, cut: impl Fn(u64) -> bool) {
    let mut text = String::from("interval_start_s,pool,scheduled\n");
    for k in 0..96u64 {
        text.push_str(&format!("{},agents,{}\n", k * 1800, 7 - u32::from(cut(k))));
    }
    std::fs::write(path, text).unwrap();
}

/// `compare FILES --staffing plan.csv --replications 10 --out OUT [extra…]` in `d`; the
/// service-level rows of its `compare.csv`, by scenario label.
fn run(d: &Path, files: &[String], out: &str, extra: &[&str]) -> HashMap<String, Row> {
    let mut cmd = hotline();
    cmd.current_dir(d)
        .arg("compare")
        .args(files)
        .args(["--staffing", "plan.csv", "--replications", REPLICATIONS])
        .args(["--quiet", "--out", out])
        .args(extra);
    let output = cmd.output().unwrap();
    let code = output.status.code();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(matches!(code, Some(0 | 1)), "exit {code:?}: {stderr}");
    let rows: HashMap<String, Row> = read_csv(&d.join(out).join("compare.csv"))
        .into_iter()
        .filter(|r| r["metric"] == "service_level")
        .map(|r| (r["scenario"].clone(), Row(r)))
        .collect();
    // Exit 1 exactly when some verdict is a regression.
    let fired = rows.values().any(|r| r.0["regression"] == "true");
    assert_eq!(code == Some(1), fired, "{stderr}");
    rows
}

struct Row(HashMap<String, String>);

impl Row {
    fn fired(&self) -> bool {
        self.0["regression"] == "true"
    }
    fn test(&self) -> &str {
        &self.0["gate_test"]
    }
    fn hw(&self) -> f64 {
        num(&self.0, "worse_than_baseline_hw95")
    }
    fn worse(&self) -> f64 {
        num(&self.0, "worse_than_baseline")
    }
}

fn gate(d: &Path, files: &[String], out: &str, baseline: &str) -> HashMap<String, Row> {
    run(
        d,
        files,
        out,
        &["--baseline", baseline, "--max-regression", LIMIT],
    )
}

/// The baseline as a format-1 `compare.json` (before per-replication values) would hold it.
fn as_format_1(from: &Path, to: &Path) {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(from).unwrap()).unwrap();
    json["format"] = 1.into();
    for s in json["scenarios"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("replication_indices");
        for v in s["variants"].as_array_mut().unwrap() {
            for m in v["metrics"].as_object_mut().unwrap().values_mut() {
                m.as_object_mut().unwrap().remove("values");
            }
        }
    }
    std::fs::write(to, json.to_string()).unwrap();
}

fn count(rows: &HashMap<String, Row>, f: impl Fn(&Row) -> bool) -> usize {
    rows.values().filter(|r| f(r)).count()
}

#[test]
fn the_paired_gate_finds_a_regression_welch_misses_and_stays_quiet_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let files = seeded_copies(d);
    let plan = d.join("plan.csv");
    coverage(&plan, |_| false);
    run(d, &files, "base", &[]);
    let base = d.join("base/compare.json");

    // An identical re-run: the same replications, the same callers, differences exactly 0.
    let same = gate(d, &files, "same", "base/compare.json");
    assert_eq!(same.len(), SEEDS as usize);
    assert_eq!(count(&same, |r| r.test() == "paired_t"), SEEDS as usize);
    assert_eq!(count(&same, Row::fired), 0);
    assert!(same.values().all(|r| r.worse() == 0.0 && r.hw() == 0.0));

    // The regression: the same plan file with one agent fewer in every tenth half hour.
    coverage(&plan, |k| k % 10 == 0);
    let paired = gate(d, &files, "paired", "base/compare.json");
    as_format_1(&base, &d.join("old.json"));
    let welch = gate(d, &files, "welch", "old.json");
    assert_eq!(count(&paired, |r| r.test() == "paired_t"), SEEDS as usize);
    assert_eq!(count(&welch, |r| r.test() == "welch"), SEEDS as usize);
    // The same two runs judged two ways: the same mean worsening, the paired interval several
    // times narrower in every seed (the noise the two runs share cancels in the differences).
    let mut mean = 0.0;
    for (label, p) in &paired {
        let w = &welch[label];
        assert!((p.worse() - w.worse()).abs() < 1e-12, "{label}");
        assert!(p.hw() * 3.0 < w.hw(), "{label}: {} vs {}", p.hw(), w.hw());
        mean += p.worse() / SEEDS as f64;
    }
    assert!((0.01..0.025).contains(&mean), "mean worsening {mean}");
    let (fired_paired, fired_welch) = (count(&paired, Row::fired), count(&welch, Row::fired));
    // Welch's power for this regression is below one half here; the paired gate's near 1.
    assert!(fired_welch < 10, "Welch fired in {fired_welch} of {SEEDS}");
    assert!(
        fired_paired >= 19,
        "paired fired in {fired_paired} of {SEEDS}"
    );

    // A re-seeded identical model: other callers, so Welch (as it must); at the threshold it
    // fires for at most one seed in twenty.
    coverage(&plan, |_| false);
    let mut false_alarms = 0;
    for (k, file) in (1..=SEEDS).zip(&files) {
        let seed = (1000 + k).to_string();
        let out = format!("reseeded-{k}");
        let rows = run(
            d,
            std::slice::from_ref(file),
            &out,
            &[
                "--seed",
                &seed,
                "--baseline",
                "base/compare.json",
                "--max-regression",
                LIMIT,
            ],
        );
        let r = rows.values().next().unwrap();
        assert_eq!(r.test(), "welch");
        false_alarms += usize::from(r.fired());
    }
    assert!(
        false_alarms <= 1,
        "re-seeded: fired in {false_alarms} of {SEEDS}"
    );
}

/// Which test decided is said in the table, on stderr and in `compare.json`, with the reason
/// for a fallback; `--seed` is the run's seed in `compare.json`.
#[test]
fn the_table_stderr_and_json_say_which_test_decided_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    let compare = |args: &[&str]| hotline().current_dir(d).arg("compare").args(args).output();
    let base = compare(&["small.toml", "--replications", "4", "--out", "base"]).unwrap();
    assert!(base.status.success());
    let json = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(d.join(p)).unwrap()).unwrap()
    };
    let b = json("base/compare.json");
    assert_eq!(b["format"], 2);
    let s = &b["scenarios"][0];
    assert_eq!(s["replication_indices"], serde_json::json!([0, 1, 2, 3]));
    assert!(s.get("gate").is_none());
    let metrics = &s["variants"][0]["metrics"];
    // Values per replication for the metrics a gate can judge, not for occupancy.
    assert_eq!(
        metrics["service_level"]["values"].as_array().unwrap().len(),
        4
    );
    assert!(metrics["occupancy"].get("values").is_none());
    let gated = |seed: Option<&str>, replications: &str, out: &str| {
        let mut a = vec![
            "small.toml",
            "--replications",
            replications,
            "--out",
            out,
            "--baseline",
            "base/compare.json",
            "--max-regression",
            "service_level=0.02",
        ];
        if let Some(s) = seed {
            a.extend(["--seed", s]);
        }
        let o = compare(&a).unwrap();
        assert_eq!(o.status.code(), Some(0));
        (
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
            json(&format!("{out}/compare.json"))["scenarios"][0].clone(),
        )
    };
    let (table, err, s) = gated(None, "4", "same");
    assert!(table.contains("| threshold | test | verdict |"), "{table}");
    assert!(table.contains("| paired t | ok |"), "{table}");
    let why = "replication i against the baseline's replication i (same seed 11, replications \
               0–3, same scenario version)";
    assert!(table.contains(&format!("scenario small gated by paired t: {why}")));
    assert!(err.contains(&format!("gate: scenario small judged by paired t: {why}")));
    assert_eq!(s["gate"]["test"], "paired_t");
    assert_eq!(s["gate"]["why"], why);

    let (table, err, s) = gated(Some("5"), "4", "reseeded");
    assert_eq!(s["seed"], 5);
    let why = "the baseline ran seed 11, this run seed 5: other callers";
    assert!(table.contains("| Welch | ok |"), "{table}");
    assert!(err.contains(&format!("judged by Welch: {why}")), "{err}");
    assert_eq!(s["gate"]["test"], "welch");
    assert_eq!(s["gate"]["why"], why);

    let (_, err, _) = gated(None, "5", "more");
    assert!(
        err.contains("judged by Welch: the baseline ran replications 0–3, this run 0–4"),
        "{err}"
    );
}

/// A `compare.json` written by hotline before per-replication values (format 1; this file was
/// written by the commit before issue 24 for the small scenario, 3 replications) still gates:
/// with Welch, saying why.
#[test]
fn a_format_1_baseline_still_gates_with_welch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    let old: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests/golden/compare-format-1/compare.json",
    ]
    .iter()
    .collect();
    let out = hotline()
        .current_dir(d)
        .args([
            "compare",
            "small.toml",
            "--replications",
            "3",
            "--out",
            "now",
        ])
        .arg("--baseline")
        .arg(&old)
        .args(["--max-regression", "service_level=0.02,asa_s=10%"])
        .assert()
        .code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(text.matches("| Welch | ok |").count(), 2, "{text}");
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("judged by Welch: the baseline keeps no per-replication values (a format-1"),
        "{err}"
    );
    let rows = read_csv(&d.join("now/compare.csv"));
    let gated: Vec<_> = rows.iter().filter(|r| !r["threshold"].is_empty()).collect();
    assert_eq!(gated.len(), 2);
    assert!(gated.iter().all(|r| r["gate_test"] == "welch"), "{gated:?}");
}

/// A format-2 baseline whose values do not match its replications (truncated, edited) is bad
/// input, not a silent fallback.
#[test]
fn a_baseline_with_values_for_other_replications_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_scenario(d, "small.toml", 7);
    let c = |args: &[&str]| hotline().current_dir(d).arg("compare").args(args).assert();
    c(&["small.toml", "--replications", "3", "--out", "base"]).success();
    let p = d.join("base/compare.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    let values = &mut json["scenarios"][0]["variants"][0]["metrics"]["asa_s"]["values"];
    values.as_array_mut().unwrap().pop();
    std::fs::write(&p, json.to_string()).unwrap();
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
        "variant `fifo` metric `asa_s` has 2 values for 3 replications",
    ));
}
