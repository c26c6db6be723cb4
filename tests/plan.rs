//! `hotline plan`: the simulate-and-correct loop clears the misses Erlang A and Erlang C leave
//! on a scenario with abandonment and redials (redials are not in the formulas' load), the
//! loop is byte-identical for any thread count, bad flags are exit 2, and the night
//! comparison plans every variant to the target and says what closing at night costs and
//! saves at equal service.

use std::path::Path;

use crate::support::{hotline, num, read_csv, write};

/// One queue, short patience, 90 % of abandoning callers redial within minutes: the offered
/// load is well above the forecast the formulas see. Shifts cover 06:00-21:00.
pub const REDIALS: &str = r#"[scenario]
name = "plan-redials"
days = 7
interval = "1h"
seed = 11

[arrivals]
calls_per_interval = [
  0, 0, 0, 0, 0, 0, 0, 30,
  90, 120, 110, 100, 90, 100, 110, 100,
  80, 60, 30, 0, 0, 0, 0, 0,
]

[[queue]]
name = "service"
handle_time = { dist = "lognormal", mean = "5m", cv = 1.0 }
patience = { dist = "exponential", mean = "1m" }
service_level_threshold = "20s"

[redial]
probability = 0.9
delay = { dist = "exponential", mean = "5m" }
max_attempts = 5

[[pool]]
name = "agents"
serves = ["service"]
agents = 10

[[shift]]
name = "day"
start = "06:00-13:00"
step = "1h"
lengths = ["8h"]

[[contract]]
name = "full-time"
shifts = ["day"]
max_weekly_hours = 40
max_agents = 80

[roster]
hourly_cost = 20.0
"#;

/// Service and a card line with its own desk, calls around the clock, day and night shifts.
const NIGHTS: &str = r#"[scenario]
name = "plan-nights"
days = 7
interval = "1h"
seed = 5

[arrivals]
calls_per_interval = [
  3, 2, 2, 2, 2, 3, 6, 20,
  60, 80, 80, 70, 60, 70, 70, 60,
  50, 40, 25, 15, 10, 8, 5, 4,
]

[[queue]]
name = "service"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "3m" }

[[queue]]
name = "cards"
handle_time = { dist = "exponential", mean = "3m" }
patience = { dist = "exponential", mean = "2m" }

[ivr]
start = "main"

[[ivr.node]]
name = "main"
duration = "10s"
options = [
  { key = "1", label = "cards", p = 0.2, queue = "cards" },
  { key = "2", label = "other", p = 0.8, queue = "service" },
]

[[pool]]
name = "advisors"
serves = ["service", "cards"]
agents = 10

[[pool]]
name = "card_desk"
serves = ["cards"]
agents = 2

[[shift]]
name = "day"
start = "06:00-14:00"
step = "1h"
lengths = ["8h"]

[[shift]]
name = "night"
start = "22:00"
lengths = ["8h"]

[[contract]]
name = "full-time"
shifts = ["day", "night"]
max_weekly_hours = 40
max_agents = 80

[roster]
hourly_cost = 20.0
night = "22:00-06:00"
night_premium = "25%"
night_shift_min = "3h"
"#;

pub fn plan(scenario: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    hotline()
        .arg("plan")
        .arg(scenario)
        .args([
            "--target",
            "80/20",
            "--replications",
            "10",
            "--no-charts",
            "--quiet",
        ])
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

pub fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    key: &str,
    value: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no row {key} = {value}"))
}

#[test]
fn plan_loop_clears_the_misses_erlang_c_and_erlang_a_leave_with_redials() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "redials.toml", REDIALS);
    let out = dir.path().join("out");
    plan(&scenario, &out, &[]).success();
    let rows = read_csv(&out.join("plan_iterations.csv"));
    let c = row(&rows, "iteration", "erlang_c");
    let a = row(&rows, "iteration", "erlang_a");
    let kept = row(&rows, "kept", "true");
    let missing =
        |r: &std::collections::HashMap<String, String>| num(r, "share_missing_with_confidence");
    assert!(
        missing(c) > 0.0,
        "Erlang C alone misses the target somewhere"
    );
    assert!(missing(a) > missing(c), "Erlang A misses more");
    assert!(missing(kept) < missing(c), "{kept:?}");
    assert!(
        num(kept, "share_meeting") > num(a, "share_meeting"),
        "the loop improves on its start: {kept:?} vs {a:?}"
    );
    assert_ne!(kept["iteration"], "erlang_a", "the loop changed the plan");
    // The kept plan's coverage is a headcount `simulate --staffing` takes.
    hotline()
        .args(["simulate"])
        .arg(&scenario)
        .arg("--staffing")
        .arg(out.join("coverage.csv"))
        .arg("--out")
        .arg(dir.path().join("sim"))
        .args(["--no-charts", "--quiet"])
        .assert()
        .success();
}

#[test]
fn plan_is_byte_identical_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "redials.toml", REDIALS);
    let (one, two) = (dir.path().join("t1"), dir.path().join("t2"));
    plan(&scenario, &one, &["--threads", "1"]).success();
    plan(&scenario, &two, &["--threads", "2"]).success();
    for f in [
        "plan_iterations.csv",
        "plan.json",
        "coverage.csv",
        "roster.csv",
        "shifts.csv",
    ] {
        assert_eq!(
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(two.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn plan_refuses_bad_flags_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "nights.toml", NIGHTS);
    let out = dir.path().join("out");
    for (flags, words) in [
        (vec!["--target", "80"], "ambiguous"),
        (
            vec!["--night-desk", "loans"],
            "queue `loans` is not in the scenario",
        ),
        (vec!["--night", "20:00"], "HH:MM-HH:MM"),
        (vec!["--night-callback", "1.5"], "--night-callback"),
        (
            vec!["--night-variant", "closed"],
            "not a night variant; write one of staffed_nights, ivr_only_nights, desk_24_7",
        ),
        (
            vec!["--night-variant", "desk_24_7", "--compare-nights"],
            "give one of them",
        ),
    ] {
        let a = hotline()
            .arg("plan")
            .arg(&scenario)
            .arg("--out")
            .arg(&out)
            .args(&flags)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(err.contains(words), "{flags:?}: {err}");
    }
}

/// Issue 25: each variant is planned by the loop (not given the staffed plan's days), so the
/// costs compare plans at equal service; its kept plan is written into its own folder.
#[test]
fn night_variants_close_on_callers_the_desk_answers_and_are_costed_at_equal_service() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "nights.toml", NIGHTS);
    let out = dir.path().join("out");
    plan(&scenario, &out, &["--compare-nights"]).success();
    let rows = read_csv(&out.join("nights.csv"));
    let staffed = row(&rows, "variant", "staffed_nights");
    let ivr = row(&rows, "variant", "ivr_only_nights");
    let desk = row(&rows, "variant", "desk_24_7");
    for v in [staffed, ivr, desk] {
        assert_eq!(
            num(v, "cost_vs_staffed"),
            num(v, "cost") - num(staffed, "cost"),
            "{v:?}"
        );
        // Each variant's loop ran (more than the one evaluation of the old comparison), or
        // its first plan already met every target (callbacks dialled when idle need no burst
        // at the opening).
        assert!(
            num(v, "schedules") >= 2.0 || v["stop"] == "every interval meets every target",
            "{v:?}"
        );
        // Its kept plan is in its own folder, usable as it is.
        let folder = out.join(&v["variant"]);
        for f in ["shifts.csv", "roster.csv", "coverage.csv", "on_phones.csv"] {
            assert!(folder.join(f).is_file(), "{}", folder.join(f).display());
        }
        // The day target is met in the same share of intervals as with staffed nights,
        // within three standard deviations of a difference of two shares of m intervals
        // (each a Bernoulli draw, variance ≤ 1/4): 3·√(2·¼/m).
        let its = read_csv(&folder.join("plan_iterations.csv"));
        let m = num(row(&its, "kept", "true"), "intervals_counted");
        assert!(
            num(v, "day_sl_share_meeting")
                >= num(staffed, "day_sl_share_meeting") - 3.0 * (0.5 / m).sqrt(),
            "{v:?}"
        );
    }
    // Closed callers' callbacks come the next morning: hours, not seconds, after the request.
    assert!(num(ivr, "callback_delay_mean_h") > 1.0, "{ivr:?}");
    assert_eq!(staffed["callback_delay_mean_h"], "");
    assert_eq!(num(staffed, "night_closed"), 0.0);
    assert!(num(ivr, "night_closed") > 0.0);
    // Half of the closed callers (the default --night-callback) leave a callback request:
    // Binomial(closed, 0.5) within 4 standard errors (a mean over replications: looser still).
    let (closed, asked) = (num(ivr, "night_closed"), num(ivr, "callbacks"));
    assert!(
        (asked - 0.5 * closed).abs() < 4.0 * (0.25 * closed).sqrt() + 1.0,
        "{asked} callback requests of {closed} closed callers"
    );
    assert_eq!(num(staffed, "callbacks"), 0.0);
    // The desk answers card calls at night: fewer closed callers than IVR-only, more answered,
    // at a cost between the two.
    assert!(num(desk, "night_closed") < num(ivr, "night_closed"));
    assert!(num(desk, "night_answered") > num(ivr, "night_answered") + 10.0);
    // Common random numbers: every variant's plans are simulated on the same replications,
    // so the callers are the same in every variant. (Regression: `offered` added the queue
    // rows' `offered`, which hold the closed callers' callback legs, so closing at night
    // seemed to bring in more callers.)
    for v in ["ivr_only_nights", "desk_24_7"] {
        let r = row(&rows, "variant", v);
        for col in ["offered", "night_offered"] {
            assert_eq!(r[col], staffed[col], "{v} {col}");
        }
        // Every caller is counted once: answered at night cannot exceed the night's callers.
        assert!(num(r, "night_answered") <= num(r, "night_offered"), "{r:?}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(json["nights"]["desk_queues"][0], "cards");
}

/// tests/data/three-percent-nights.toml: nights carry 2.9 % of the calls.
fn three_percent_nights() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/three-percent-nights.toml")
}

/// Issue 25 acceptance: where nights carry about 3 % of the calls, every variant's kept plan
/// meets the day target as the staffed plan does — no day interval × queue missing it with
/// confidence, the share meeting it within the noise of the staffed plan's — and is costed.
/// (Regression: the variants were planned from the staffed scenario's requirements, with no
/// load for the callback legs offered at the opening, and the loop raised such an opening by
/// one agent per schedule.)
#[test]
fn every_night_variant_meets_the_day_target_as_staffed_nights_do_when_nights_carry_3_percent() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    plan(&three_percent_nights(), &out, &["--compare-nights"]).success();
    let rows = read_csv(&out.join("nights.csv"));
    let staffed = row(&rows, "variant", "staffed_nights");
    // Nights carry about 3 % of the callers.
    let night_share = num(staffed, "night_offered") / num(staffed, "offered");
    assert!((0.02..0.04).contains(&night_share), "{night_share}");
    for v in &rows {
        assert_eq!(
            num(v, "day_sl_share_missing_with_confidence"),
            num(staffed, "day_sl_share_missing_with_confidence"),
            "{v:?}"
        );
        assert_eq!(num(v, "day_sl_share_missing_with_confidence"), 0.0, "{v:?}");
        // Meeting in the mean: the same share within three standard deviations of a
        // difference of two shares of m cells (Bernoulli, variance ≤ 1/4).
        let its = read_csv(&out.join(&v["variant"]).join("plan_iterations.csv"));
        let m = num(row(&its, "kept", "true"), "intervals_counted");
        assert!(
            num(v, "day_sl_share_meeting")
                >= num(staffed, "day_sl_share_meeting") - 3.0 * (0.5 / m).sqrt(),
            "{v:?}"
        );
        assert_eq!(v["targets_missed"], "", "{v:?}");
        assert!(num(v, "cost") > 0.0 && num(v, "agent_hours") > 0.0, "{v:?}");
        assert_eq!(
            num(v, "cost_vs_staffed"),
            num(v, "cost") - num(staffed, "cost")
        );
    }
    // Closing at night moves the night's callers to the morning: callbacks, hours later.
    let ivr = row(&rows, "variant", "ivr_only_nights");
    assert!(num(ivr, "callbacks") > 0.0);
    assert!(num(ivr, "callback_delay_mean_h") > 1.0, "{ivr:?}");
}

/// Issue 25: the variants' plans are evaluated on the same replications (common random
/// numbers), so they see the same callers: the callers offered, in the week and at night, are
/// the same bits in every variant — and they are not a constant of the scenario: another seed
/// draws other callers.
#[test]
fn night_variants_are_evaluated_on_the_same_replications() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(three_percent_nights()).unwrap();
    let offered = |seed: &str| {
        let edited = text.replace("seed = 23", seed);
        assert_ne!(edited, text, "the scenario states its seed");
        let scenario = write(dir.path(), "s.toml", &edited);
        let out = dir.path().join(seed.replace(' ', ""));
        plan(
            &scenario,
            &out,
            &["--compare-nights", "--max-iterations", "2"],
        )
        .success();
        read_csv(&out.join("nights.csv"))
            .iter()
            .map(|r| (r["offered"].clone(), r["night_offered"].clone()))
            .collect::<Vec<_>>()
    };
    let a = offered("seed = 24");
    assert_eq!(a.len(), 3);
    assert!(a.iter().all(|v| *v == a[0]), "{a:?}");
    let b = offered("seed = 25");
    assert!(b.iter().all(|v| *v == b[0]), "{b:?}");
    assert_ne!(a[0], b[0], "another seed, other callers");
}

/// Issue 25: `plan --night-variant V` plans the variant alone and gives the plan
/// `--compare-nights` wrote into `OUT/V/`, byte for byte: the variants share nothing but the
/// replications (common random numbers), so planning them together changes none of them.
#[test]
fn a_night_variant_planned_alone_gives_the_plan_the_comparison_kept() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "nights.toml", NIGHTS);
    let all = dir.path().join("all");
    plan(&scenario, &all, &["--compare-nights"]).success();
    for v in ["ivr_only_nights", "desk_24_7", "staffed_nights"] {
        let alone = dir.path().join(v);
        plan(&scenario, &alone, &["--night-variant", v]).success();
        for f in ["shifts.csv", "roster.csv", "coverage.csv", "on_phones.csv"] {
            assert_eq!(
                std::fs::read(all.join(v).join(f)).unwrap(),
                std::fs::read(alone.join(f)).unwrap(),
                "{v} {f}"
            );
        }
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(alone.join("plan.json")).unwrap())
                .unwrap();
        assert_eq!(json["night_variant"], v);
    }
    // The staffed variant is the plan itself.
    assert_eq!(
        std::fs::read(all.join("coverage.csv")).unwrap(),
        std::fs::read(all.join("staffed_nights").join("coverage.csv")).unwrap()
    );
}
