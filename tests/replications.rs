//! `simulate --replications`: thread-count independence, shards merged byte for byte, the
//! statistics columns, precision batches, warm-up and common random numbers.

use std::path::{Path, PathBuf};

use crate::support::{hotline, num, read_csv, write};

/// A small heavily loaded queue: two days, 6 erlangs on `agents` agents, impatient callers.
pub fn small_scenario(dir: &Path, name: &str, agents: u32) -> PathBuf {
    write(
        dir,
        name,
        &format!(
            r#"
[scenario]
name = "small"
days = 2
interval = "30m"
seed = 11

[arrivals]
calls_per_hour = 120

[[queue]]
name = "general"
handle_time = {{ dist = "exponential", mean = "3m" }}
patience = {{ dist = "exponential", mean = "4m" }}
service_level_threshold = "20s"

[[pool]]
name = "agents"
serves = ["general"]
agents = {agents}
"#
        ),
    )
}

const FILES: [&str; 7] = [
    "intervals.csv",
    "arrivals.csv",
    "pools.csv",
    "summary.csv",
    "replications.csv",
    "waits.csv",
    "run.json",
];

fn assert_same_files(a: &Path, b: &Path) {
    for f in FILES {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

pub fn simulate(scenario: &Path, out: &Path, extra: &[&str]) -> String {
    let o = hotline()
        .arg("simulate")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "simulate {extra:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Runs shards 1..=n of `replications` into `d/s1` … `d/sn` (with `extra` flags).
pub fn run_shards(s: &Path, d: &Path, replications: &str, n: u32, extra: &[&str]) {
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let mut args = vec!["--replications", replications, "--shard", &shard];
        args.extend_from_slice(extra);
        simulate(s, &d.join(format!("s{k}")), &args);
    }
}

/// `hotline merge DIRS --out OUT`.
pub fn merge(dirs: &[PathBuf], out: &Path) -> assert_cmd::assert::Assert {
    hotline()
        .arg("merge")
        .args(dirs)
        .arg("--out")
        .arg(out)
        .assert()
}

/// The `all` rows of replications.csv: column `col` per replication, in order.
fn per_replication(out: &Path, col: &str) -> Vec<f64> {
    read_csv(&out.join("replications.csv"))
        .iter()
        .filter(|r| r["queue"] == "all")
        .map(|r| num(r, col))
        .collect()
}

fn all_summary(out: &Path) -> std::collections::HashMap<String, String> {
    read_csv(&out.join("summary.csv"))
        .into_iter()
        .find(|r| r["queue"] == "all")
        .unwrap()
}

#[test]
fn replications_are_byte_identical_for_one_two_and_four_threads() {
    let dir = tempfile::tempdir().unwrap();
    let s = small_scenario(dir.path(), "small.toml", 7);
    for t in ["1", "2", "4"] {
        simulate(
            &s,
            &dir.path().join(t),
            &["--replications", "4", "--threads", t],
        );
    }
    assert_same_files(&dir.path().join("1"), &dir.path().join("2"));
    assert_same_files(&dir.path().join("1"), &dir.path().join("4"));
}

#[test]
fn shards_merged_in_any_order_equal_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = small_scenario(d, "small.toml", 7);
    simulate(&s, &d.join("one"), &["--replications", "5"]);
    run_shards(&s, d, "5", 3, &[]);
    merge(
        &[d.join("s3"), d.join("s1"), d.join("s2")],
        &d.join("merged"),
    )
    .success();
    assert_same_files(&d.join("one"), &d.join("merged"));
}

#[test]
fn merge_names_missing_and_duplicate_shards() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = small_scenario(d, "small.toml", 7);
    run_shards(&s, d, "3", 3, &[]);
    merge(&[d.join("s1"), d.join("s3")], &d.join("m"))
        .code(2)
        .stderr(predicates::str::contains("missing shards: 2/3"));
    merge(
        &[d.join("s1"), d.join("s2"), d.join("s2"), d.join("s3")],
        &d.join("m"),
    )
    .code(2)
    .stderr(predicates::str::contains("shard 2/3 twice"));
}

#[test]
fn summary_columns_are_the_mean_sd_and_t_half_width_of_the_replications() {
    let dir = tempfile::tempdir().unwrap();
    let s = small_scenario(dir.path(), "small.toml", 7);
    let out = dir.path().join("out");
    simulate(&s, &out, &["--replications", "6"]);
    let xs = per_replication(&out, "service_level");
    assert_eq!(xs.len(), 6);
    let m = xs.iter().sum::<f64>() / 6.0;
    let sd = (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 5.0).sqrt();
    let all = all_summary(&out);
    // Both files carry 6 significant digits (README "Numbers"): the per-replication values and
    // the folded figures each differ from the exact ones by at most that rounding.
    let close =
        |a: f64, b: f64| (a - b).abs() <= 2.0 * crate::support::CSV_REL * b.abs().max(1e-300);
    assert!(close(num(&all, "service_level"), m));
    assert!(close(num(&all, "service_level_sd"), sd));
    // t(0.975, 5) = 2.5705818356363155 (mpmath).
    assert!(close(
        num(&all, "service_level_hw95"),
        2.5705818356363155 * sd / 6f64.sqrt()
    ));
    assert!(sd > 0.0, "replications differ");
}

#[test]
fn half_width_shrinks_like_one_over_the_square_root_of_replications() {
    let dir = tempfile::tempdir().unwrap();
    let s = small_scenario(dir.path(), "small.toml", 7);
    let (a, b) = (dir.path().join("16"), dir.path().join("64"));
    simulate(&s, &a, &["--replications", "16"]);
    simulate(&s, &b, &["--replications", "64"]);
    let ratio =
        num(&all_summary(&a), "service_level_hw95") / num(&all_summary(&b), "service_level_hw95");
    // hw16/hw64 = 2 · t(15)/t(63) · s16/s64 ≈ 2.13 · s16/s64. With normal replications,
    // s16/σ lies in [0.61, 1.39] and s64/σ in [0.80, 1.19] with probability > 0.998 each
    // (χ² quantiles), so the ratio lies in [1.09, 3.7] unless something is wrong (a 1/N or
    // no shrinkage would give ≈ 4.3 or ≈ 1.07).
    assert!((1.09..3.7).contains(&ratio), "hw16/hw64 = {ratio}");
}

#[test]
fn precision_adds_batches_until_the_half_width_is_met_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let s = small_scenario(dir.path(), "small.toml", 7);
    let out = dir.path().join("p");
    let text = simulate(
        &s,
        &out,
        &[
            "--precision",
            "service_level=0.01",
            "--max-replications",
            "150",
        ],
    );
    assert!(text.contains("precision: "), "{text}");
    let n = per_replication(&out, "service_level").len();
    let hw = num(&all_summary(&out), "service_level_hw95");
    if text.contains("every half-width met its target") {
        assert!(hw <= 0.01, "{hw}");
        assert!(n > 10, "the first batch of 10 does not meet ±0.01 here");
    } else {
        assert!(text.contains("--max-replications reached"), "{text}");
        assert_eq!(n, 150);
    }
    assert!(
        text.contains(&format!("precision: {n} replications")),
        "{text}"
    );
}

#[test]
fn warmup_drops_the_first_intervals_from_rows_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let s = small_scenario(dir.path(), "small.toml", 7);
    let out = dir.path().join("w");
    simulate(&s, &out, &["--warmup", "6h", "--no-charts"]);
    let rows = read_csv(&out.join("intervals.csv"));
    assert!(
        rows.iter()
            .all(|r| num(r, "interval_start_s") >= 6.0 * 3600.0)
    );
    assert_eq!(num(&rows[0], "interval_start_s"), 6.0 * 3600.0);
    let offered: f64 = rows
        .iter()
        .filter(|r| r["queue"] == "all")
        .map(|r| num(r, "offered"))
        .sum();
    assert_eq!(num(&all_summary(&out), "offered"), offered);
}

#[test]
fn two_staffings_on_common_random_numbers_have_a_far_smaller_difference_variance() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (
        small_scenario(d, "a.toml", 7),
        small_scenario(d, "b.toml", 8),
    );
    let n = "40";
    simulate(&a, &d.join("a"), &["--replications", n]);
    simulate(&b, &d.join("b"), &["--replications", n]);
    simulate(&b, &d.join("b2"), &["--replications", n, "--seed", "999"]);
    let (xa, xb, xb2) = (
        per_replication(&d.join("a"), "service_level"),
        per_replication(&d.join("b"), "service_level"),
        per_replication(&d.join("b2"), "service_level"),
    );
    let var = |d: Vec<f64>| {
        let m = d.iter().sum::<f64>() / d.len() as f64;
        d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (d.len() - 1) as f64
    };
    let paired = var(xb.iter().zip(&xa).map(|(b, a)| b - a).collect());
    let independent = var(xb2.iter().zip(&xa).map(|(b, a)| b - a).collect());
    // Without common random numbers both are samples of the same variance and their ratio is
    // F(39, 39)-distributed: above 2.764 (its 0.999 quantile, mpmath) with probability 0.001.
    assert!(
        independent / paired > 2.764,
        "independent {independent} vs paired {paired}"
    );
}

#[test]
fn a_staffing_plan_sharded_and_merged_equals_one_run_with_plan_vs_sim() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = small_scenario(d, "small.toml", 7);
    hotline()
        .arg("staff")
        .arg(&s)
        .args(["--no-charts", "--out"])
        .arg(d.join("st"))
        .assert()
        .success();
    let plan = d.join("st/staffing.csv");
    let plan = plan.to_str().unwrap();
    simulate(
        &s,
        &d.join("one"),
        &["--replications", "3", "--staffing", plan],
    );
    for k in ["1/2", "2/2"] {
        let out = d.join(k.replace('/', "of"));
        simulate(
            &s,
            &out,
            &["--replications", "3", "--staffing", plan, "--shard", k],
        );
    }
    hotline()
        .arg("merge")
        .args([d.join("1of2"), d.join("2of2")])
        .arg("--out")
        .arg(d.join("merged"))
        .assert()
        .success();
    assert_same_files(&d.join("one"), &d.join("merged"));
    let (a, b) = (
        std::fs::read(d.join("one/plan_vs_sim.csv")).unwrap(),
        std::fs::read(d.join("merged/plan_vs_sim.csv")).unwrap(),
    );
    assert!(
        a == b && a.len() > 100,
        "plan_vs_sim.csv differs or is empty"
    );
}

/// `small_scenario` with two caller classes on its queue.
fn classes_scenario(dir: &Path) -> PathBuf {
    let base = std::fs::read_to_string(small_scenario(dir, "base.toml", 7)).unwrap();
    let text = base.replace(
        "[[pool]]",
        "[[queue.class]]\nname = \"new\"\nshare = 0.3\npriority = 2\n\n\
         [[queue.class]]\nname = \"existing\"\nshare = 0.7\npriority = 1\n\n[[pool]]",
    );
    write(dir, "classes.toml", &text)
}

#[test]
fn caller_classes_are_folded_over_replications_threads_and_shards_alike() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = classes_scenario(d);
    simulate(
        &s,
        &d.join("one"),
        &["--replications", "5", "--threads", "1"],
    );
    simulate(
        &s,
        &d.join("two"),
        &["--replications", "5", "--threads", "2"],
    );
    run_shards(&s, d, "5", 2, &[]);
    merge(&[d.join("s2"), d.join("s1")], &d.join("merged")).success();
    for f in ["classes.csv", "class_intervals.csv"] {
        let one = std::fs::read(d.join("one").join(f)).unwrap();
        assert!(
            one == std::fs::read(d.join("two").join(f)).unwrap(),
            "{f}: threads"
        );
        assert!(
            one == std::fs::read(d.join("merged").join(f)).unwrap(),
            "{f}: shards"
        );
    }
    let classes = read_csv(&d.join("one").join("classes.csv"));
    assert_eq!(classes.len(), 2);
    let intervals = read_csv(&d.join("one").join("class_intervals.csv"));
    assert_eq!(
        intervals.len(),
        2 * 2 * 48,
        "2 classes × 48 intervals × 2 days"
    );
    for c in &classes {
        // The priority is a setting, kept as a key: no `priority_sd`.
        assert_eq!(c["priority"], if c["class"] == "new" { "2" } else { "1" });
        assert!(!c.contains_key("priority_sd"));
        // The mean of the interval sums is the sum of the interval means.
        let offered: f64 = intervals
            .iter()
            .filter(|r| r["class"] == c["class"])
            .map(|r| num(r, "offered"))
            .sum();
        let mean = num(c, "offered");
        assert!(
            (offered - mean).abs() <= 96.0 * 1e-5 * mean,
            "{offered} vs {mean}"
        );
        assert!(num(c, "offered_sd") > 0.0, "replications differ");
        assert!(num(c, "offered_hw95") > num(c, "offered_sd") / 5f64.sqrt());
    }
    // The classes share the queue's offered calls (mean over the same replications).
    let queue: f64 = read_csv(&d.join("one").join("summary.csv"))
        .iter()
        .find(|r| r["queue"] == "general")
        .map(|r| num(r, "offered"))
        .unwrap();
    let sum: f64 = classes.iter().map(|c| num(c, "offered")).sum();
    assert!((sum - queue).abs() <= 1e-5 * queue, "{sum} vs {queue}");
}

/// A constant headcount is the same figure in every replication, so its spread is exactly 0
/// (it was 1e-7 in some rows: the time average summed event by event differed in its last bits
/// between replications, and the squares' rounding then showed through the square root).
#[test]
fn a_constant_headcount_has_a_spread_of_exactly_zero() {
    let dir = tempfile::tempdir().unwrap();
    let s = small_scenario(dir.path(), "small.toml", 12);
    let out = dir.path().join("out");
    simulate(&s, &out, &["--replications", "50"]);
    let rows = read_csv(&out.join("pools.csv"));
    assert_eq!(rows.len(), 96);
    for r in &rows {
        let at = &r["interval_start"];
        assert_eq!(
            (&*r["agents"], &*r["agents_sd"], &*r["agents_hw95"]),
            ("12", "0", "0"),
            "{at}"
        );
        assert_eq!(
            (&*r["agents_present"], &*r["agents_present_sd"]),
            ("12", "0"),
            "{at}"
        );
        assert_ne!(r["agents_busy_sd"], "0", "{at}: busy agents do vary");
    }
}
