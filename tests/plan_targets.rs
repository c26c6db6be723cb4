//! `hotline plan` plans for what the scenario states, not only the service level: shrinkage
//! (the loop simulates the agents on the phones, not every rostered agent), and every target
//! of `[staffing]`. Each kept plan is checked on fresh seeds, replications the loop never saw.

use std::collections::HashMap;
use std::path::Path;

use super::plan::{REDIALS, plan, row};
use crate::support::{hotline, num, read_csv, write};

type Row = HashMap<String, String>;

/// Simulates `scenario` with `staffing` as the headcount on 10 replications of seed `seed`
/// and returns the queue rows (not `all`) of `intervals.csv`.
fn fresh(scenario: &Path, staffing: &Path, out: &Path, seed: u64) -> Vec<Row> {
    hotline()
        .arg("simulate")
        .arg(scenario)
        .arg("--staffing")
        .arg(staffing)
        .args(["--replications", "10", "--seed", &seed.to_string()])
        .arg("--out")
        .arg(out)
        .args(["--no-charts", "--quiet"])
        .assert()
        .success();
    read_csv(&out.join("intervals.csv"))
        .into_iter()
        .filter(|r| r["queue"] != "all")
        .collect()
}

/// Of the interval × queues whose `metric` has a 95 % half-width (defined in ≥ 2
/// replications): how many, the share whose mean is on the right side of `goal`, and the share
/// whose 95 % interval lies wholly on the wrong side (the loop's rules).
fn shares(rows: &[Row], metric: &str, goal: f64, at_least: bool) -> (usize, f64, f64) {
    let hw = format!("{metric}_hw95");
    let counted: Vec<&Row> = rows.iter().filter(|r| !r[&hw].is_empty()).collect();
    let m = counted.len();
    let (mut meet, mut miss) = (0, 0);
    for r in &counted {
        let (x, h) = (num(r, metric), num(r, &hw));
        if at_least {
            meet += usize::from(x >= goal);
            miss += usize::from(x + h < goal);
        } else {
            meet += usize::from(x <= goal);
            miss += usize::from(x - h > goal);
        }
    }
    (m, meet as f64 / m as f64, miss as f64 / m as f64)
}

/// How far a share of m intervals may fall on fresh seeds. Whether one interval meets (or
/// misses) on 10 fresh replications is a Bernoulli draw (variance ≤ 1/4) independent of the
/// loop's replications, so the difference of the two shares has variance ≤ 2 · (1/4) / m
/// (intervals taken as independent); three standard deviations one-sided leave a false alarm
/// of ≈ 0.13 % (normal approximation). The kept plan is the loop's best on its own
/// replications, a selection that can only flatter the loop's share: the bound is not loosened
/// for it.
fn tolerance(m: usize) -> f64 {
    3.0 * (0.5 / m as f64).sqrt()
}

/// Issue 19 item 6: with `shrinkage = 0.15` the loop kept lowering the cost because it
/// simulated every rostered agent as present. Now the plan costs more than without shrinkage,
/// `on_phones.csv` holds ⌊rostered × 0.85⌋, and those agents meet the target on fresh seeds in
/// the share the loop reported.
#[test]
fn plan_with_shrinkage_costs_more_and_its_agents_on_the_phones_meet_the_target_on_fresh_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let none = write(dir.path(), "none.toml", REDIALS);
    let shrunk = write(
        dir.path(),
        "shrunk.toml",
        &format!("{REDIALS}\n[staffing]\nshrinkage = 0.15\n"),
    );
    let (o0, o15) = (dir.path().join("o0"), dir.path().join("o15"));
    plan(&none, &o0, &[]).success();
    let a = plan(&shrunk, &o15, &[]).success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(stdout.contains("shrinkage 15 %"), "{stdout}");
    let it0 = read_csv(&o0.join("plan_iterations.csv"));
    let it15 = read_csv(&o15.join("plan_iterations.csv"));
    let (kept0, kept15) = (row(&it0, "kept", "true"), row(&it15, "kept", "true"));
    assert!(
        num(kept15, "cost") > num(kept0, "cost"),
        "{kept15:?} vs {kept0:?}"
    );

    // on_phones.csv: the rule, and the roster of coverage.csv underneath.
    let coverage = read_csv(&o15.join("coverage.csv"));
    let on = read_csv(&o15.join("on_phones.csv"));
    assert_eq!(on.len(), coverage.len());
    let mut fewer = 0.0;
    for (o, c) in on.iter().zip(&coverage) {
        assert_eq!(o["interval_start_s"], c["interval_start_s"]);
        assert_eq!(o["rostered"], c["scheduled"]);
        let r = num(o, "rostered");
        assert_eq!(num(o, "scheduled"), (r * 0.85 + 1e-9).floor(), "{o:?}");
        fewer += r - num(o, "scheduled");
    }
    assert!(fewer > 0.0, "shrinkage takes agents off the phones");

    // Fresh seeds (the scenario's is 11), the agents on the phones as the headcount.
    let rows = fresh(
        &shrunk,
        &o15.join("on_phones.csv"),
        &dir.path().join("sim"),
        911,
    );
    let (m, meeting, missing) = shares(&rows, "service_level", 0.8, true);
    let tol = tolerance(m);
    assert!(
        meeting >= num(kept15, "share_meeting") - tol,
        "fresh seeds: {meeting} of {m} meeting, the loop said {} (± {tol})",
        num(kept15, "share_meeting")
    );
    assert!(
        missing <= num(kept15, "share_missing_with_confidence") + tol,
        "fresh seeds: {missing} of {m} missing, the loop said {} (± {tol})",
        num(kept15, "share_missing_with_confidence")
    );
}

/// The share of the fresh interval × queues missing `max_abandon` with confidence, and the
/// week's `abandon_rate` of `service` (mean, 95 % half-width) from summary.csv.
fn abandonment_on_fresh_seeds(
    scenario: &Path,
    plan_dir: &Path,
    out: &Path,
) -> (usize, f64, f64, f64, f64) {
    let rows = fresh(scenario, &plan_dir.join("on_phones.csv"), out, 911);
    let (m, meeting, missing) = shares(&rows, "abandon_rate", 0.05, false);
    let summary = read_csv(&out.join("summary.csv"));
    let week = row(&summary, "queue", "service");
    (
        m,
        meeting,
        missing,
        num(week, "abandon_rate"),
        num(week, "abandon_rate_hw95"),
    )
}

/// Issue 19 item 7: with `max_abandon = 0.05` the kept plan reported "96 % meeting" while
/// queues abandoned above 5 %: only the SL was checked. Now the abandon rate is checked per
/// interval × queue, reported, and holds on fresh seeds in the share the loop reported — and
/// the plan for the SL alone, on the same fresh seeds, does not.
#[test]
fn max_abandon_holds_in_the_kept_plan_on_fresh_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let capped = write(
        dir.path(),
        "capped.toml",
        &format!("{REDIALS}\n[staffing]\nmax_abandon = 0.05\n"),
    );
    let sl_only = write(dir.path(), "sl_only.toml", REDIALS);
    let (oc, os) = (dir.path().join("capped"), dir.path().join("sl_only"));
    let a = plan(&capped, &oc, &[]).success();
    plan(&sl_only, &os, &[]).success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(stdout.contains("abandoned ≤ 5 %: meeting"), "{stdout}");
    let its = read_csv(&oc.join("plan_iterations.csv"));
    let kept = row(&its, "kept", "true");
    // Targets the scenario does not state have empty columns.
    assert_eq!(kept["asa_share_meeting"], "");
    assert_eq!(kept["occupancy_intervals_counted"], "");
    assert!(num(kept, "abandon_intervals_counted") > 0.0);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(oc.join("plan.json")).unwrap()).unwrap();
    assert_eq!(json["max_abandon"], 0.05);

    let (m, meeting, missing, week, week_hw) =
        abandonment_on_fresh_seeds(&capped, &oc, &dir.path().join("sim_capped"));
    let tol = tolerance(m);
    let (said_meeting, said_missing) = (
        num(kept, "abandon_share_meeting"),
        num(kept, "abandon_share_missing_with_confidence"),
    );
    assert!(
        meeting >= said_meeting - tol && missing <= said_missing + tol,
        "fresh seeds: {meeting} meeting, {missing} missing of {m}; the loop said {said_meeting}, {said_missing} (± {tol})"
    );
    // The week as a whole: its 95 % interval wholly under the cap.
    assert!(week + week_hw <= 0.05, "week: {week} ± {week_hw}");

    // The plan for the SL alone lets abandonment through: on the same fresh seeds it misses
    // the cap with confidence in more intervals than the tolerance allows.
    let (m2, _, missing_sl_only, week2, _) =
        abandonment_on_fresh_seeds(&capped, &os, &dir.path().join("sim_sl_only"));
    assert!(
        missing_sl_only > missing + tolerance(m.min(m2)),
        "SL-only plan: {missing_sl_only} missing vs {missing}; week {week2}"
    );
}

/// Every stated target drives the corrections: at an easy SL goal (50 % within 60 s) the
/// Erlang A plan's misses are mostly of the ASA, abandonment and occupancy caps, and the loop
/// raises where they are missed, not only where the SL is.
#[test]
fn every_stated_target_is_checked_and_raises_where_it_is_missed() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(
        dir.path(),
        "all.toml",
        &format!(
            "{REDIALS}\n[staffing]\ntarget = \"50/60\"\nmax_abandon = 0.05\ntarget_asa = \"10s\"\nmax_occupancy = 0.6\n"
        ),
    );
    let out = dir.path().join("out");
    // As `plan` but at the scenario's own goal (the helper gives `--target 80/20`).
    let a = hotline()
        .arg("plan")
        .arg(&scenario)
        .args(["--replications", "10", "--no-charts", "--quiet"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    for cap in ["ASA ≤ 10 s", "abandoned ≤ 5 %", "occupancy ≤ 60 %"] {
        assert!(
            stdout.contains(&format!("{cap}: meeting")),
            "{cap}: {stdout}"
        );
    }
    let its = read_csv(&out.join("plan_iterations.csv"));
    let first = row(&its, "iteration", "erlang_a");
    let kept = row(&its, "kept", "true");
    let misses = |r: &Row, prefix: &str, counted: &str| {
        num(r, &format!("{prefix}share_missing_with_confidence")) * num(r, counted)
    };
    let sl_misses = misses(first, "", "intervals_counted");
    let cap_misses = misses(first, "occupancy_", "occupancy_intervals_counted")
        + misses(first, "abandon_", "abandon_intervals_counted");
    assert!(cap_misses > sl_misses, "{first:?}");
    // Raised where the caps were missed, not only where the SL was.
    assert!(num(first, "raised") > sl_misses.round(), "{first:?}");
    for prefix in ["", "asa_", "abandon_", "occupancy_"] {
        let col = format!("{prefix}share_missing_with_confidence");
        assert!(num(kept, &col) <= num(first, &col), "{col}: {kept:?}");
    }
    assert!(
        num(kept, "occupancy_share_missing_with_confidence")
            < num(first, "occupancy_share_missing_with_confidence")
    );
}
