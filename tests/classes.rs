//! Caller classes and the `priority` / `aging` policies: strict priority against Cobham's exact
//! per-class waits, aging bounding the low class's waits, common random numbers across
//! policies, the per-class outputs and bad configuration.

use std::path::Path;

use hotline::arrivals::ScenarioArrivals;
use hotline::engine::Engine;
use hotline::random::StreamKey;
use hotline::routing::{LongestIdleOldestCall, Policy};
use hotline::scenario::Model;
use hotline::stats::IntervalStats;

use hotline::stats::classes::ClassRow;

use crate::support::{batch_mean, erlang_c, hotline, read_csv, refused, write};

/// One queue, exponential 1-minute calls, `agents` agents, `calls_per_hour` and the classes
/// given as `(name, share, priority, aging)`; no patience unless given.
fn scenario(
    days: u32,
    calls_per_hour: f64,
    agents: u32,
    classes: &[(&str, f64, i64, &str)],
    extra_queue: &str,
) -> String {
    let mut s = format!(
        "[scenario]\nname = \"classes\"\ndays = {days}\ninterval = \"60m\"\nseed = 11\n\n\
         [arrivals]\ncalls_per_hour = {calls_per_hour}\n\n\
         [[queue]]\nname = \"general\"\nhandle_time = {{ dist = \"exponential\", mean = \"1m\" }}\n{extra_queue}\n"
    );
    for (name, share, priority, aging) in classes {
        s.push_str(&format!(
            "[[queue.class]]\nname = \"{name}\"\nshare = {share}\npriority = {priority}\naging = \"{aging}\"\n\n"
        ));
    }
    s.push_str(&format!(
        "[[pool]]\nname = \"agents\"\nserves = [\"general\"]\nagents = {agents}\n"
    ));
    s
}

/// `hotline simulate SCENARIO --no-charts --no-xlsx --out OUT EXTRA…`.
fn simulate(scenario: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    hotline()
        .arg("simulate")
        .arg(scenario)
        .args(["--no-charts", "--no-xlsx", "--out"])
        .arg(out)
        .args(extra)
        .assert()
}

fn model(text: &str, policy: &str) -> Model {
    let mut m = hotline::scenario::parse(text, Path::new("classes.toml")).unwrap();
    m.policy = Policy::parse(policy).unwrap();
    m
}

/// Replication `r` of `model`, statistics from `warmup_s` on: the `classes.csv` rows.
fn class_rows(model: &Model, r: u64, warmup_s: f64) -> Vec<ClassRow> {
    let key = StreamKey::new(model.seed, r);
    let arrivals = ScenarioArrivals::new(model, key).unwrap();
    let mut stats = IntervalStats::new(model);
    stats.set_warmup(warmup_s);
    let mut e = Engine::new(model, arrivals, LongestIdleOldestCall, stats, key);
    e.run();
    let mut stats = e.into_observer();
    stats.finish();
    stats.class_summary().expect("the queue has classes")
}

/// Per class, the replication means of `f` (each replication one observation).
fn per_class(
    model: &Model,
    reps: u64,
    warmup_s: f64,
    f: impl Fn(&ClassRow) -> f64,
) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = Vec::new();
    for r in 0..reps {
        for (k, row) in class_rows(model, r, warmup_s).iter().enumerate() {
            if out.len() <= k {
                out.push(Vec::new());
            }
            out[k].push(f(row));
        }
    }
    out
}

/// Two-sided 1e-4 quantile of the normal distribution: a correct engine fails one check in
/// ten thousand.
const Z: f64 = 3.89;

#[test]
fn strict_priority_matches_cobhams_per_class_mean_waits_for_mmc() {
    // M/M/10, λ = 8/min, μ = 1/min (ρ = 0.8), classes 20 % / 30 % / 50 %, highest first.
    // Cobham (1954), non-preemptive priorities with a common exponential service:
    // W_k = C(c, a) / (cμ (1 − σ_{k−1}) (1 − σ_k)), σ_k = Σ_{i≤k} λ_i / (cμ).
    let classes = [
        ("gold", 0.2, 3, "0/min"),
        ("silver", 0.3, 2, "0/min"),
        ("bronze", 0.5, 1, "0/min"),
    ];
    let text = scenario(1, 480.0, 10, &classes, "");
    let (c, a, c_mu) = (10u32, 8.0, 10.0 / 60.0); // cμ per second
    let pc = erlang_c(c, a);
    let rho = 0.8;
    let mut sigma_before = 0.0;
    let mut exact = Vec::new();
    for (_, share, _, _) in classes {
        let sigma = sigma_before + share * rho;
        exact.push(pc / (c_mu * (1.0 - sigma_before) * (1.0 - sigma)));
        sigma_before = sigma;
    }
    let fifo_exact = pc / (c_mu * (1.0 - rho));
    // 40 independent replications of a day, the first 2 hours dropped (the empty start);
    // each replication's class mean wait is one observation.
    let waits = per_class(&model(&text, "priority"), 40, 7200.0, |r| r.asa_s.unwrap());
    for (k, w) in waits.iter().enumerate() {
        let (mean, se) = batch_mean(w);
        assert!(
            (mean - exact[k]).abs() <= Z * se,
            "class {k}: simulated mean wait {mean:.3} s ± {se:.3} (se), Cobham {:.3} s",
            exact[k]
        );
        // Power: ignoring priorities (every class waits as in FIFO) would be far outside.
        assert!(
            (fifo_exact - exact[k]).abs() > 2.0 * Z * se,
            "class {k}: the test could not tell priority from FIFO ({fifo_exact:.2} vs {:.2} ± {se:.3})",
            exact[k]
        );
    }
    // And FIFO on the same callers gives every class the FIFO wait.
    let fifo = per_class(&model(&text, "fifo"), 40, 7200.0, |r| r.asa_s.unwrap());
    for w in &fifo {
        let (mean, se) = batch_mean(w);
        assert!(
            (mean - fifo_exact).abs() <= Z * se,
            "{mean} vs {fifo_exact} ± {se}"
        );
    }
}

#[test]
fn aging_bounds_the_low_class_p95_wait_where_strict_priority_starves_it() {
    // Heavy traffic: ρ = 0.98, the high class 70 % of calls. Under strict priority the low
    // class waits C/(cμ(1 − σ₁)(1 − ρ)) ≈ 14 minutes on average. With aging 1 point per minute
    // and a priority gap of 1, a low-class head outranks every high-class caller once it has
    // waited 60 s; from then on the low class is served at the whole floor's rate (10/min,
    // against 2.9/min arriving), so its waits stay near 60 s.
    let classes = [("high", 0.7, 2, "0/min"), ("low", 0.3, 1, "1/min")];
    let text = scenario(3, 588.0, 10, &classes, "");
    let p95_low = |policy: &str| -> Vec<f64> {
        per_class(&model(&text, policy), 4, 6.0 * 3600.0, |r| {
            r.wait_p95_s.unwrap()
        })[1]
            .clone()
    };
    let strict = p95_low("priority");
    let aging = p95_low("aging");
    for (s, a) in strict.iter().zip(&aging) {
        assert!(
            *a < 120.0,
            "aging: low-class p95 wait {a} s, beyond 2 × 60 s"
        );
        assert!(
            *s > 600.0,
            "strict: low-class p95 wait {s} s; expected starvation"
        );
    }
}

#[test]
fn two_policies_see_the_same_caller_classes() {
    let classes = [
        ("premium", 0.25, 2, "0/min"),
        ("standard", 0.75, 1, "2/min"),
    ];
    let text = scenario(1, 540.0, 10, &classes, "");
    let offered = |policy: &str| -> Vec<u64> {
        class_rows(&model(&text, policy), 0, 0.0)
            .iter()
            .map(|r| r.offered)
            .collect()
    };
    let fifo = offered("fifo");
    assert_eq!(fifo, offered("priority"));
    assert_eq!(fifo, offered("aging"));
    // Binomial(n, 0.25): the premium share within 5 sd.
    let n = fifo.iter().sum::<u64>() as f64;
    let sd = (n * 0.25 * 0.75).sqrt();
    assert!((fifo[0] as f64 - 0.25 * n).abs() < 5.0 * sd, "{fifo:?}");
    // The policies do differ in who waits.
    let asa = |policy: &str| class_rows(&model(&text, policy), 0, 0.0)[0].asa_s.unwrap();
    assert!(asa("priority") < 0.5 * asa("fifo"));
}

#[test]
fn class_outputs_conserve_callers_per_interval_and_add_up_to_the_queue() {
    let d = tempfile::tempdir().unwrap();
    let classes = [("premium", 0.3, 2, "0/min"), ("standard", 0.7, 1, "1/min")];
    let text = scenario(
        1,
        600.0,
        9,
        &classes,
        "patience = { dist = \"exponential\", mean = \"2m\" }",
    );
    let s = write(d.path(), "c.toml", &text);
    let out = d.path().join("out");
    simulate(&s, &out, &["--policy", "aging"]).success();
    let rows = read_csv(&out.join("class_intervals.csv"));
    assert_eq!(rows.len(), 24 * 2);
    let n = |r: &std::collections::HashMap<String, String>, c: &str| r[c].parse::<u64>().unwrap();
    for r in &rows {
        assert_eq!(
            n(r, "offered"),
            n(r, "answered")
                + n(r, "abandoned")
                + n(r, "callbacks_failed")
                + n(r, "in_queue_at_end"),
            "{r:?}"
        );
    }
    let intervals = read_csv(&out.join("intervals.csv"));
    let total: u64 = rows.iter().map(|r| n(r, "offered")).sum();
    let queue: u64 = intervals
        .iter()
        .filter(|r| r["queue"] == "general")
        .map(|r| n(r, "offered"))
        .sum();
    assert_eq!(total, queue);
    let summary = read_csv(&out.join("classes.csv"));
    assert_eq!(summary.len(), 2);
    assert_eq!(summary[0]["class"], "premium");
    assert_eq!(
        summary.iter().map(|r| n(r, "abandoned")).sum::<u64>(),
        rows.iter().map(|r| n(r, "abandoned")).sum::<u64>()
    );
    let facts = std::fs::read_to_string(out.join("run.json")).unwrap();
    assert!(facts.contains("\"policy\": \"aging\""), "{facts}");
    // report.html shows the classes.
    hotline().arg("report").arg(&out).assert().success();
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("Per caller class") && page.contains("<td>premium</td>"));
}

#[test]
fn the_scenario_policy_is_used_and_the_flag_overrides_it() {
    let d = tempfile::tempdir().unwrap();
    let classes = [("premium", 0.2, 2, "0/min"), ("standard", 0.8, 1, "0/min")];
    let text = scenario(1, 540.0, 10, &classes, "").replace(
        "[arrivals]",
        "[routing]\npolicy = \"priority\"\n\n[arrivals]",
    );
    let s = write(d.path(), "c.toml", &text);
    let json = |extra: &[&str]| -> serde_json::Value {
        let args = [&["--json"], extra].concat();
        let o = simulate(&s, &d.path().join("o"), &args).success();
        serde_json::from_slice(&o.get_output().stdout).unwrap()
    };
    let own = json(&[]);
    assert_eq!(own["policy"], "priority");
    let fifo = json(&["--policy", "fifo"]);
    assert_eq!(fifo["policy"], "fifo");
    let premium = |v: &serde_json::Value| v["classes"][0]["asa_s"].as_f64().unwrap();
    assert!(premium(&own) < premium(&fifo));
    assert_eq!(
        own["classes"][0]["offered"], fifo["classes"][0]["offered"],
        "same callers"
    );
}

#[test]
fn a_scenario_without_classes_writes_no_class_files() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "c.toml", &scenario(1, 300.0, 8, &[], ""));
    let out = d.path().join("out");
    simulate(&s, &out, &["--policy", "priority"])
        .success()
        .stderr(predicates::str::contains("no queue has [[queue.class]]"));
    assert!(!out.join("classes.csv").exists());
    assert!(!out.join("class_intervals.csv").exists());
}

#[test]
fn class_shares_above_one_are_refused_with_their_position() {
    let text = scenario(
        1,
        300.0,
        8,
        &[("a", 0.6, 1, "0/min"), ("b", 0.6, 0, "0/min")],
        "",
    );
    refused(&text, &["bad.toml:", "queue[0].class.share", "sum to 1.2"]);
    // Within 0.5 % of 1: normalised with a note.
    let d = tempfile::tempdir().unwrap();
    let ok = scenario(
        1,
        300.0,
        8,
        &[("a", 0.5, 1, "0/min"), ("b", 0.5001, 0, "0/min")],
        "",
    );
    let s = write(d.path(), "ok.toml", &ok);
    hotline()
        .args(["check", s.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::contains("normalised"));
}

#[test]
fn unknown_or_contradictory_policies_are_refused_at_their_position() {
    let base = scenario(1, 300.0, 8, &[], "");
    let with = |p: &str| {
        base.replace(
            "[arrivals]",
            &format!("[routing]\npolicy = \"{p}\"\n\n[arrivals]"),
        )
    };
    refused(
        &with("lifo"),
        &[
            "bad.toml:8:10",
            "routing.policy",
            "unknown policy `lifo`",
            "fifo, priority, aging, overflow, callback",
        ],
    );
    refused(
        &with("priority+aging"),
        &["bad.toml:8:10", "exclude each other"],
    );
    // The flag: exit 2 with the list.
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "ok.toml", &base);
    simulate(&s, &d.path().join("o"), &["--policy", "lifo"])
        .code(2)
        .stderr(predicates::str::contains(
            "known policies: fifo, priority, aging",
        ));
}

#[test]
fn aging_without_a_unit_and_bad_class_values_are_refused() {
    let mut text = scenario(1, 300.0, 8, &[("a", 1.0, 1, "1/min")], "");
    text = text.replace("aging = \"1/min\"", "aging = 2");
    refused(&text, &["queue[0].class[0].aging", "1/min"]);
    let text = scenario(1, 300.0, 8, &[("a", 1.5, 1, "0/min")], "");
    refused(&text, &["queue[0].class[0].share", "[0, 1]"]);
    let text = scenario(
        1,
        300.0,
        8,
        &[("a", 0.5, 1, "0/min"), ("a", 0.5, 1, "0/min")],
        "",
    );
    refused(&text, &["already defined"]);
}

#[test]
fn hotline_policies_lists_every_component() {
    let o = hotline().arg("policies").output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    for c in hotline::routing::policy::COMPONENTS {
        assert!(
            text.contains(c.name) && text.contains(c.summary),
            "{} missing:\n{text}",
            c.name
        );
    }
    assert!(text.contains("exclude each other"));
    for c in hotline::routing::policy::SETTINGS {
        assert!(
            text.contains(c.name) && text.contains(c.summary),
            "{} missing:\n{text}",
            c.name
        );
    }
}

#[test]
fn replications_run_under_the_policy_given() {
    let d = tempfile::tempdir().unwrap();
    let classes = [("premium", 0.2, 2, "0/min"), ("standard", 0.8, 1, "0/min")];
    let s = write(d.path(), "c.toml", &scenario(1, 540.0, 10, &classes, ""));
    let json = |policy: &str| -> serde_json::Value {
        let o = hotline()
            .args([
                "simulate",
                s.to_str().unwrap(),
                "--json",
                "-q",
                "--replications",
                "3",
            ])
            .args(["--policy", policy, "--out"])
            .arg(d.path().join(policy))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let (fifo, priority) = (json("fifo"), json("priority"));
    assert_eq!(priority["policy"], "priority");
    assert_eq!(fifo["offered"], priority["offered"], "same callers");
    // Same callers, another order: the mean wait is the same (work-conserving, one service
    // distribution), the share answered within 20 s is not.
    assert_ne!(fifo["service_level"], priority["service_level"]);
    let facts = std::fs::read_to_string(d.path().join("priority/run.json")).unwrap();
    assert!(facts.contains("\"policy\": \"priority\""));
}

#[test]
fn compare_runs_each_policy_on_the_same_callers_and_names_the_scenario_policy() {
    let d = tempfile::tempdir().unwrap();
    let classes = [("premium", 0.2, 2, "0/min"), ("standard", 0.8, 1, "0/min")];
    let text = scenario(1, 540.0, 10, &classes, "")
        .replace("[arrivals]", "[routing]\npolicy = \"aging\"\n\n[arrivals]");
    let s = write(d.path(), "c.toml", &text);
    let run = |extra: &[&str], out: &str| -> serde_json::Value {
        hotline()
            .arg("compare")
            .arg(&s)
            .args(["--replications", "2", "-q", "--out"])
            .arg(d.path().join(out))
            .args(extra)
            .assert()
            .success();
        let text = std::fs::read_to_string(d.path().join(out).join("compare.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let two = run(&["--policy", "fifo", "--policy", "priority"], "two");
    let variants = &two["scenarios"][0]["variants"];
    assert_eq!(variants[0]["name"], "fifo");
    assert_eq!(variants[1]["name"], "priority");
    let diff = variants[1]["metrics"]["service_level"]["diff"]
        .as_f64()
        .unwrap();
    assert!(diff > 0.0, "priority serves more within 20 s here: {diff}");
    // Without --policy: the scenario's own policy, by its name.
    let own = run(&[], "own");
    assert_eq!(own["scenarios"][0]["variants"][0]["name"], "aging");
    assert_eq!(own["scenarios"][0]["variants"][0]["policy"], "aging");
}

/// Classes are drawn when a caller enters the queue's line: callers meeting the queue closed
/// and closed-queue callback legs have none. Bundled multi-skill has closed hours and classes on
/// cards and loans: per queue and interval, the classes' offered add up to offered − closed −
/// closed_callbacks, and their answered to answered − closed_callbacks_completed.
#[test]
fn classes_reconcile_with_their_queue_minus_closed_callers_on_multi_skill() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ms");
    let run = hotline()
        .args([
            "simulate",
            "scenarios/multi-skill.toml",
            "--no-charts",
            "--no-xlsx",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = String::from_utf8_lossy(&run.stdout);
    let num = crate::support::num;
    let key = |r: &std::collections::HashMap<String, String>| {
        (r["interval_start_s"].clone(), r["queue"].clone())
    };
    let mut classes: std::collections::HashMap<(String, String), (f64, f64)> = Default::default();
    for r in read_csv(&out.join("class_intervals.csv")) {
        let e = classes.entry(key(&r)).or_default();
        e.0 += num(&r, "offered");
        e.1 += num(&r, "answered");
    }
    let mut closed_seen = 0.0;
    for r in read_csv(&out.join("intervals.csv")) {
        let Some(&(offered, answered)) = classes.get(&key(&r)) else {
            continue;
        };
        closed_seen += num(&r, "closed");
        assert_eq!(
            offered,
            num(&r, "offered") - num(&r, "closed") - num(&r, "closed_callbacks"),
            "{:?}",
            key(&r)
        );
        assert_eq!(
            answered,
            num(&r, "answered") - num(&r, "closed_callbacks_completed"),
            "{:?}",
            key(&r)
        );
    }
    assert!(
        closed_seen > 0.0,
        "multi-skill should close its class queues at night"
    );
    // The terminal states the reconciliation with the whole run's figures.
    let summary = read_csv(&out.join("summary.csv"));
    let cards = summary.iter().find(|r| r["queue"] == "cards").unwrap();
    let class_total: f64 = read_csv(&out.join("classes.csv"))
        .iter()
        .filter(|r| r["queue"] == "cards")
        .map(|r| num(r, "offered"))
        .sum();
    let line = format!(
        "cards: classes offered {class_total} = {} offered − {} closed",
        num(cards, "offered"),
        num(cards, "closed")
    );
    assert!(text.contains(&line), "{text} lacks {line}");
}
