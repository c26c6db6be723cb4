//! `hotline staff` and `simulate --staffing`: requirements equal to the Erlang solver's, zero
//! nights, shrinkage, `[staffing]` in the file and flags over it, located errors, and the round
//! trip plan → simulation within a statistical band of what the plan promised.

use std::path::Path;

use hotline::erlang::{Load, Model, ServiceLevelTarget, Targets, required_agents};
use hotline::time::Seconds;

use crate::support::{batch_mean, erlang_c, hotline, num, read_csv, write};

/// 1000 calls/h, exponential 3m handle time and 5m patience, 20s threshold, 55 agents.
fn mmc(days: u32, interval: &str, extra: &str) -> String {
    format!(
        r#"[scenario]
name = "mmc"
days = {days}
interval = "{interval}"
seed = 7

[arrivals]
calls_per_hour = 1000

[[queue]]
name = "general"
handle_time = {{ dist = "exponential", mean = "3m" }}
patience = {{ dist = "exponential", mean = "5m" }}
service_level_threshold = "20s"

[[pool]]
name = "agents"
serves = ["general"]
agents = 55
{extra}"#
    )
}

/// Runs `hotline staff SCENARIO --out OUT ARGS…`, asserting success.
pub(crate) fn staff(scenario: &Path, out: &Path, args: &[&str]) {
    let o = hotline()
        .arg("staff")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn targets_80_20() -> Targets {
    Targets {
        service_level: Some(ServiceLevelTarget {
            fraction: 0.8,
            threshold: Seconds(20.0),
        }),
        ..Targets::default()
    }
}

#[test]
fn staffing_csv_equals_the_erlang_solver_for_the_validation_queue() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "mmc.toml", &mmc(1, "30m", ""));
    staff(&s, dir.path(), &[]);
    let rows = read_csv(&dir.path().join("staffing.csv"));
    assert_eq!(rows.len(), 48, "one row per half hour of one day");
    let load = Load::per_hour(1000.0, Seconds(180.0)).unwrap();
    let c = required_agents(Model::ErlangC, load, &targets_80_20()).unwrap();
    let a = required_agents(
        Model::ErlangA {
            patience: Seconds(300.0),
        },
        load,
        &targets_80_20(),
    )
    .unwrap();
    assert_eq!((c, a), (56, 53), "the textbook 50-erlang case");
    for r in &rows {
        assert!((num(r, "calls") - 500.0).abs() < 1e-9);
        assert!((num(r, "offered_load_erlangs") - 50.0).abs() < 1e-9);
        assert_eq!(num(r, "agents_erlang_c") as u32, c);
        assert_eq!(num(r, "agents_erlang_a") as u32, a);
        assert_eq!(num(r, "agents_required") as u32, c, "Erlang C by default");
        assert_eq!(r["model"], "erlang_c");
        assert!(num(r, "service_level") >= 0.8);
    }
    assert_eq!(rows[0]["interval_start"], "d1 Mon 00:00");
    assert_eq!(rows[47]["interval_start"], "d1 Mon 23:30");
}

#[test]
fn erlang_a_needs_no_more_agents_than_erlang_c_where_callers_abandon() {
    let dir = tempfile::tempdir().unwrap();
    let bank = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bank-hotline.toml");
    staff(&bank, dir.path(), &[]);
    let rows = read_csv(&dir.path().join("staffing.csv"));
    assert_eq!(rows.len(), 28 * 48 * 4);
    let mut fewer = 0;
    for r in &rows {
        let (c, a) = (num(r, "agents_erlang_c"), num(r, "agents_erlang_a"));
        assert!(
            a <= c,
            "{}: Erlang A {a} > Erlang C {c}",
            r["interval_start"]
        );
        fewer += usize::from(a < c);
    }
    assert!(
        fewer > 1000,
        "abandonment should save agents in busy intervals"
    );
    // The daily file: `all` is the sum of the queues.
    let daily = read_csv(&dir.path().join("staffing_daily.csv"));
    assert_eq!(daily.len(), 28 * 5);
    for day in daily.chunks(5) {
        let sum: f64 = day[..4]
            .iter()
            .map(|r| num(r, "agent_hours_erlang_a"))
            .sum();
        assert_eq!(day[4]["queue"], "all");
        assert!((num(&day[4], "agent_hours_erlang_a") - sum).abs() < 1e-6);
    }
}

#[test]
fn zero_volume_nights_need_zero_agents_and_leave_figures_empty() {
    let dir = tempfile::tempdir().unwrap();
    // Hourly volumes: nothing from midnight to 06:00.
    let mut volumes = vec!["0"; 6];
    volumes.extend(["120"; 18]);
    let text = mmc(2, "60m", "").replace(
        "calls_per_hour = 1000",
        &format!("calls_per_interval = [{}]", volumes.join(", ")),
    );
    let s = write(dir.path(), "nights.toml", &text);
    staff(
        &s,
        dir.path(),
        &["--model", "erlang-a", "--shrinkage", "0.3"],
    );
    let rows = read_csv(&dir.path().join("staffing.csv"));
    assert_eq!(rows.len(), 48);
    let nights: Vec<_> = rows.iter().filter(|r| num(r, "calls") == 0.0).collect();
    assert_eq!(nights.len(), 12, "00:00-06:00 on both days");
    for r in nights {
        for col in [
            "agents_erlang_c",
            "agents_erlang_a",
            "agents_required",
            "agents_scheduled",
        ] {
            assert_eq!(r[col], "0", "{col} at {}", r["interval_start"]);
        }
        for col in ["service_level", "asa_s", "p_abandon", "occupancy"] {
            assert_eq!(r[col], "", "{col} must be empty, not NaN");
        }
    }
    let text = std::fs::read_to_string(dir.path().join("staffing.csv")).unwrap();
    assert!(!text.contains("NaN") && !text.contains("inf"));
}

#[test]
fn shrinkage_grosses_up_the_scheduled_agents() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "mmc.toml", &mmc(1, "30m", ""));
    staff(&s, dir.path(), &["--shrinkage", "0.3"]);
    for r in read_csv(&dir.path().join("staffing.csv")) {
        // 56 on the phones / (1 − 0.3) = 80 exactly: no rounding up to 81.
        assert_eq!(r["agents_required"], "56");
        assert_eq!(r["agents_scheduled"], "80");
    }
    let daily = read_csv(&dir.path().join("staffing_daily.csv"));
    assert_eq!(num(&daily[0], "agent_hours_required"), 56.0 * 24.0);
    assert_eq!(num(&daily[0], "agent_hours_scheduled"), 80.0 * 24.0);
}

#[test]
fn the_scenario_staffing_table_is_honoured_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let table =
        "\n[staffing]\ntarget = \"90/20\"\nmodel = \"erlang-a\"\nshrinkage = 0.25\n".to_string();
    let s = write(dir.path(), "mmc.toml", &mmc(1, "30m", &table));
    let load = Load::per_hour(1000.0, Seconds(180.0)).unwrap();
    let t90 = Targets {
        service_level: Some(ServiceLevelTarget {
            fraction: 0.9,
            threshold: Seconds(20.0),
        }),
        ..Targets::default()
    };
    let a90 = required_agents(
        Model::ErlangA {
            patience: Seconds(300.0),
        },
        load,
        &t90,
    )
    .unwrap();
    let from_file = dir.path().join("file");
    staff(&s, &from_file, &[]);
    let r = &read_csv(&from_file.join("staffing.csv"))[0];
    assert_eq!(r["model"], "erlang_a");
    assert_eq!(num(r, "agents_required") as u32, a90);
    assert_eq!(
        num(r, "agents_scheduled") as u32,
        (f64::from(a90) / 0.75 - 1e-9).ceil() as u32
    );

    let flagged = dir.path().join("flags");
    staff(
        &s,
        &flagged,
        &[
            "--model",
            "erlang-c",
            "--target",
            "80/20",
            "--shrinkage",
            "0",
        ],
    );
    let r = &read_csv(&flagged.join("staffing.csv"))[0];
    assert_eq!(r["model"], "erlang_c");
    assert_eq!(r["agents_required"], "56");
    assert_eq!(r["agents_scheduled"], "56");
}

#[test]
fn a_bad_staffing_value_exits_2_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    for (extra, line_col, field) in [
        (
            "\n[staffing]\nshrinkage = 1.5\n",
            "22:13",
            "staffing.shrinkage",
        ),
        (
            "\n[staffing]\ntarget = \"80-20\"\n",
            "22:10",
            "staffing.target",
        ),
        (
            "\n[staffing]\nmodel = \"erlang-b\"\n",
            "22:9",
            "staffing.model",
        ),
    ] {
        let text = mmc(1, "30m", extra);
        let s = write(dir.path(), "bad.toml", &text);
        let out = hotline()
            .arg("staff")
            .arg(&s)
            .arg("--out")
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("bad.toml:{line_col}: {field}: ")),
            "expected bad.toml:{line_col}: {field} in:\n{err}"
        );
    }
    let s = write(dir.path(), "ok.toml", &mmc(1, "30m", ""));
    let out = hotline()
        .args(["staff", s.to_str().unwrap(), "--shrinkage", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--shrinkage must be in [0, 1)"));
}

/// Daily SL as `intervals.csv` defines it (answered within T over answered + abandoned after
/// T), from the queue rows, one value per day.
fn daily_service_level(intervals: &Path, per_day: usize) -> Vec<f64> {
    let rows: Vec<_> = read_csv(intervals)
        .into_iter()
        .filter(|r| r["queue"] != "all")
        .collect();
    rows.chunks(per_day)
        .map(|day| {
            let within: f64 = day
                .iter()
                .map(|r| num(r, "answered_within_threshold"))
                .sum();
            let answered: f64 = day.iter().map(|r| num(r, "answered")).sum();
            let late_abandons: f64 = day
                .iter()
                .map(|r| num(r, "abandoned") - num(r, "abandoned_within_threshold"))
                .sum();
            within / (answered + late_abandons)
        })
        .collect()
}

/// `staff` then `simulate --staffing` on a constant-rate M/M/c(+M) scenario; returns the daily
/// simulated SL, the promised one and the agents planned (both constant). On the way, every
/// `plan_vs_sim.csv` row's `sl_simulated` and `asa_simulated_s` must be the `service_level` and
/// `asa_s` of the same row of `intervals.csv`, and `sl_gap` = simulated − promised.
fn round_trip(dir: &Path, text: &str, staff_args: &[&str], days: usize) -> (Vec<f64>, f64, u32) {
    let s = write(dir, "flat.toml", text);
    staff(&s, dir, staff_args);
    let plan = read_csv(&dir.join("staffing.csv"));
    let promised = num(&plan[0], "service_level_excl_early_abandons");
    let sim = dir.join("sim");
    let o = hotline()
        .arg("simulate")
        .arg(&s)
        .arg("--staffing")
        .arg(dir.join("staffing.csv"))
        .arg("--out")
        .arg(&sim)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let compared = read_csv(&sim.join("plan_vs_sim.csv"));
    assert_eq!(compared.len(), plan.len(), "one row per interval × queue");
    let intervals: Vec<_> = read_csv(&sim.join("intervals.csv"))
        .into_iter()
        .filter(|r| r["queue"] != "all")
        .collect();
    assert_eq!(intervals.len(), compared.len());
    // Figures as written carry 6 significant digits.
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-5 * a.abs().max(b.abs());
    for ((c, p), i) in compared.iter().zip(&plan).zip(&intervals) {
        assert_eq!(c["agents"], p["agents_required"]);
        assert_eq!(num(c, "sl_promised"), promised);
        assert_eq!(c["interval_start_s"], i["interval_start_s"]);
        let (sim_sl, sl) = (num(c, "sl_simulated"), num(i, "service_level"));
        assert!(
            same(sim_sl, sl),
            "sl_simulated {sim_sl} ≠ service_level {sl}"
        );
        let (a, b) = (num(c, "asa_simulated_s"), num(i, "asa_s"));
        assert!(same(a, b), "asa_simulated_s {a} ≠ asa_s {b}");
        let gap = num(c, "sl_gap");
        assert!(
            (gap - (sim_sl - promised)).abs() <= 1e-5,
            "sl_gap {gap} ≠ {sim_sl} − {promised}"
        );
    }
    let sl = daily_service_level(&sim.join("intervals.csv"), 24);
    assert_eq!(sl.len(), days);
    (sl, promised, num(&plan[0], "agents_required") as u32)
}

/// The check of a simulated daily SL against the exact SL at c agents, guarded by power: the
/// exact SLs at c − 1 and c + 1 agents lie more than Z + 2 standard errors away, so a plan
/// simulated as if it had one agent more or less fails with probability ≥ 97.7 %.
pub(crate) fn assert_sl_close(what: &str, sl: &[f64], [below, exact, above]: [f64; 3]) {
    let (mean, se) = batch_mean(sl);
    eprintln!(
        "{what}: simulated SL {mean:.4} ± {se:.4}, exact {exact:.4} (c ± 1: {below:.4}, {above:.4})"
    );
    for other in [below, above] {
        let gap = (other - exact).abs();
        assert!(
            gap > (Z + 2.0) * se,
            "{what}: standard error {se} too large: one agent more or less moves the SL by {gap}"
        );
    }
    assert!(
        (mean - exact).abs() < Z * se,
        "{what}: simulated {mean:.4} ± {se:.4}, exact {exact:.4}"
    );
}

/// Daily SLs are batch means over ~14,000–24,000 calls each; the queue forgets its state within
/// minutes (relaxation time ≈ 1/(cμ − λ) plus the wait of a few callers), so days are close to
/// independent and the mean of n days has standard error s/√n. A deviation beyond 4 standard
/// errors has probability ≈ 6e-5 under normality (t with ≥ 39 degrees of freedom: ≈ 3e-4),
/// while the standard error itself must be small enough (< 0.01) for the check to mean something.
const Z: f64 = 4.0;

#[test]
fn an_erlang_c_plan_simulates_to_the_promised_service_level() {
    let dir = tempfile::tempdir().unwrap();
    // 600 calls/h × 3m = 30 erlangs, no abandonment: M/M/c exactly, Erlang C is exact.
    let text = mmc(60, "60m", "")
        .replace("calls_per_hour = 1000", "calls_per_hour = 600")
        .replace("patience = { dist = \"exponential\", mean = \"5m\" }\n", "");
    let (sl, promised, c) = round_trip(dir.path(), &text, &["--target", "80/20"], 60);
    assert!(promised >= 0.8);
    // Exact M/M/c: SL = 1 − C(k, a)·e^{−(kμ − λ)·20 s}, a = 30 erlangs, μ = 1/180 s.
    let exact = |k: u32| 1.0 - erlang_c(k, 30.0) * (-(f64::from(k) - 30.0) / 180.0 * 20.0).exp();
    assert!(
        (exact(c) - promised).abs() <= crate::support::CSV_REL * exact(c),
        "the plan promised {promised}"
    );
    assert_sl_close("Erlang C plan", &sl, [exact(c - 1), exact(c), exact(c + 1)]);
}

#[test]
fn an_erlang_a_plan_meets_the_target_where_callers_abandon() {
    let dir = tempfile::tempdir().unwrap();
    let text = mmc(40, "60m", "");
    let (sl, promised, c) = round_trip(
        dir.path(),
        &text,
        &["--model", "erlang-a", "--target", "80/20"],
        40,
    );
    let (mean, se) = batch_mean(&sl);
    assert!(
        mean >= 0.8 - Z * se,
        "simulated SL {mean:.4} ± {se:.4} below the 80% target"
    );
    // Exact M/M/c+M (birth–death and uniformization): answered within 20 s ÷ (answered +
    // abandoned after 20 s), 1000 calls/h, 3 min handle time, 5 min patience.
    let exact = |k: u32| crate::headline::erlang_a_exact(k, 1000, 180, 300, 20.0)[5];
    assert!(
        (exact(c) - promised).abs() <= crate::support::CSV_REL * exact(c),
        "the plan promised {promised}"
    );
    assert_sl_close("Erlang A plan", &sl, [exact(c - 1), exact(c), exact(c + 1)]);
}

/// `simulate SCENARIO --staffing PLAN`, expecting exit 2; returns stderr.
fn simulate_bad(scenario: &Path, plan: &Path, out: &Path) -> String {
    let o = hotline()
        .arg("simulate")
        .arg(scenario)
        .arg("--staffing")
        .arg(plan)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_staffing_plan_that_does_not_fit_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let two_days = write(d, "two.toml", &mmc(2, "30m", ""));
    let three_days = write(d, "three.toml", &mmc(3, "30m", ""));
    staff(&two_days, &d.join("two"), &[]);
    let plan = d.join("two/staffing.csv");
    let plan_name = plan.display().to_string();

    // Too short for the horizon: 96 rows after the header end at line 97.
    let err = simulate_bad(&three_days, &plan, &d.join("o1"));
    assert!(err.contains(&format!("{plan_name}:97: ")), "{err}");
    assert!(err.contains("the scenario needs 144"), "{err}");

    // Longer than the horizon: the first row of day 3 is line 98.
    staff(&three_days, &d.join("three"), &[]);
    let err = simulate_bad(&two_days, &d.join("three/staffing.csv"), &d.join("o2"));
    assert!(err.contains("three/staffing.csv:98: "), "{err}");
    assert!(err.contains("beyond the scenario's horizon"), "{err}");

    // A queue the scenario does not have, on line 5.
    let text = std::fs::read_to_string(&plan).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[4] = lines[4].replace(",general,", ",billing,");
    let renamed = write(d, "renamed.csv", &(lines.join("\n") + "\n"));
    let err = simulate_bad(&two_days, &renamed, &d.join("o3"));
    assert!(err.contains("renamed.csv:5: "), "{err}");
    assert!(err.contains("`billing`"), "{err}");

    // Not a number of agents, on line 3.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[2] = lines[2].replace(",56,", ",many,");
    let garbled = write(d, "garbled.csv", &(lines.join("\n") + "\n"));
    let err = simulate_bad(&two_days, &garbled, &d.join("o4"));
    assert!(err.contains("garbled.csv:3: "), "{err}");
    assert!(err.contains("agents_required"), "{err}");
}

/// A queue served by several pools is planned in its most specialised pool (the one serving
/// the fewest queues): the bank's `cards` go to `lost_card_desk`, not also to `frontline`.
#[test]
fn a_queue_served_by_two_pools_is_planned_in_its_most_specialised_pool() {
    let dir = tempfile::tempdir().unwrap();
    let bank = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bank-hotline.toml");
    staff(&bank, dir.path(), &[]);
    let model = hotline::scenario::load(&bank).unwrap();
    let plan = hotline::plan::StaffingPlan::read(&dir.path().join("staffing.csv"), &model).unwrap();
    let pool = |name: &str| model.pools.iter().position(|p| p.name == name).unwrap();
    let rows = read_csv(&dir.path().join("staffing.csv"));
    let k = 20; // d1 Mon 10:00
    let agents = |queue: &str| -> u32 {
        rows.iter()
            .filter(|r| r["queue"] == queue && num(r, "interval_start_s") == k as f64 * 1800.0)
            .map(|r| num(r, "agents_required") as u32)
            .sum()
    };
    assert!(agents("cards") > 0);
    assert_eq!(plan.headcount[pool("lost_card_desk")][k], agents("cards"));
    assert_eq!(
        plan.headcount[pool("frontline")][k],
        agents("general") + agents("deposits")
    );
}

#[test]
fn a_plan_at_another_threshold_warns_that_promised_and_simulated_sl_differ() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "mmc.toml", &mmc(1, "30m", ""));
    staff(&s, dir.path(), &["--target", "80/30"]);
    let o = hotline()
        .arg("simulate")
        .arg(&s)
        .arg("--staffing")
        .arg(dir.path().join("staffing.csv"))
        .arg("--out")
        .arg(dir.path().join("sim"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("queue `general` at a 30 s threshold") && err.contains("at 20 s"),
        "{err}"
    );
}

#[test]
fn the_printed_target_has_no_float_noise() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "v.toml", &mmc(1, "30m", ""));
    let out = hotline()
        .arg("staff")
        .arg(&s)
        .args(["--target", "57%/20s", "--no-charts", "--no-xlsx", "--out"])
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("target 57% within 20s"), "{text}");
}
