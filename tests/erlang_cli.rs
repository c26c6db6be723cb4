//! `hotline erlang`, the calculator, as a planner uses it: JSON keys and values, solve mode,
//! the table, and bad input.

use predicates::prelude::*;

use crate::erlang::*;
use crate::support::hotline;
use hotline::erlang::{Load, erlang_a};
use hotline::time::Seconds;

/// `x` as `--json` writes it: 6 significant digits, whole numbers as integers (README
/// "Numbers"). The JSON figures are compared with the exact ones rounded by that rule.
fn rounded(x: f64) -> f64 {
    use hotline::report::numbers::{Tidy, tidy};
    match tidy(x) {
        Tidy::Int(i) => i as f64,
        Tidy::Float(r) | Tidy::NonFinite(r) => r,
    }
}

pub fn json_of(args: &[&str]) -> serde_json::Value {
    let out = hotline()
        .arg("erlang")
        .args(args)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("one JSON object")
}

#[test]
fn cli_json_reports_erlang_c_figures_for_fifty_erlangs_on_55_agents() {
    let v = json_of(&[
        "--calls-per-hour",
        "1000",
        "--aht",
        "3m",
        "--agents",
        "55",
        "--threshold",
        "20s",
    ]);
    let c = f(&exact_erlang_c(55, &qi(50)));
    assert_eq!(v["model"], "erlang_c");
    assert_eq!(v["agents"], 55);
    assert_close("p_wait", v["p_wait"].as_f64().unwrap(), rounded(c), REL);
    assert_close(
        "service_level",
        v["service_level"].as_f64().unwrap(),
        rounded(1.0 - c * (-5.0 * 20.0 / 180.0f64).exp()),
        REL,
    );
    assert_close(
        "asa_s",
        v["asa_s"].as_f64().unwrap(),
        rounded(c * 180.0 / 5.0),
        REL,
    );
    assert_close(
        "occupancy",
        v["occupancy"].as_f64().unwrap(),
        rounded(50.0 / 55.0),
        1e-15,
    );
    assert_close(
        "offered_load_erlangs",
        v["offered_load_erlangs"].as_f64().unwrap(),
        50.0,
        1e-15,
    );
    assert!(v.get("p_abandon").is_none());
}

#[test]
fn cli_json_with_patience_adds_erlang_a_figures() {
    let v = json_of(&[
        "--calls-per-hour",
        "1000",
        "--aht",
        "3m",
        "--agents",
        "55",
        "--patience",
        "5m",
    ]);
    let want = erlang_a(
        Load::per_hour(1000.0, Seconds(180.0)).unwrap(),
        55,
        Seconds(300.0),
        Seconds(20.0),
    )
    .unwrap();
    assert_eq!(v["model"], "erlang_a");
    assert_close(
        "p_abandon",
        v["p_abandon"].as_f64().unwrap(),
        rounded(want.p_abandon),
        1e-15,
    );
    assert_close(
        "service_level",
        v["service_level"].as_f64().unwrap(),
        rounded(want.service_level),
        1e-15,
    );
    assert!(v["p_wait"].as_f64().unwrap() < f(&exact_erlang_c(55, &qi(50))));
}

#[test]
fn cli_solve_mode_returns_required_and_scheduled_agents() {
    let v = json_of(&[
        "--calls-per-hour",
        "1000",
        "--aht",
        "3m",
        "--target-sl",
        "0.8",
        "--threshold",
        "20s",
        "--shrinkage",
        "0.3",
    ]);
    assert_eq!(v["agents_required"], 56);
    assert_eq!(v["agents_scheduled"], 80); // ⌈56 / 0.7⌉
    assert_eq!(v["agents"], 56);
    assert!(v["service_level"].as_f64().unwrap() >= 0.8);
}

#[test]
fn cli_table_names_the_figures() {
    hotline()
        .args([
            "erlang",
            "--calls-per-hour",
            "1000",
            "--aht",
            "3m",
            "--agents",
            "55",
        ])
        .assert()
        .success()
        .stdout(
            predicates::str::contains("P(wait)")
                .and(predicates::str::contains("77.94% answered within 20s")),
        );
}

#[test]
fn cli_bad_input_exits_2_naming_the_flag() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--calls-per-hour", "0", "--aht", "3m", "--agents", "5"],
            "--calls-per-hour",
        ),
        (
            &["--calls-per-hour", "-10", "--aht", "3m", "--agents", "5"],
            "--calls-per-hour",
        ),
        (
            &["--calls-per-hour", "100", "--aht", "0s", "--agents", "5"],
            "--aht",
        ),
        (
            &[
                "--calls-per-hour",
                "100",
                "--aht",
                "3m",
                "--target-sl",
                "1.5",
            ],
            "--target-sl",
        ),
        (
            &[
                "--calls-per-hour",
                "100",
                "--aht",
                "3m",
                "--target-sl",
                "0.8",
                "--shrinkage",
                "1",
            ],
            "--shrinkage",
        ),
        (
            &["--calls-per-hour", "1000", "--aht", "3m", "--agents", "50"],
            "--agents",
        ),
        (&["--calls-per-hour", "1000", "--aht", "3m"], "--agents"),
        (
            &[
                "--calls-per-hour",
                "1000",
                "--aht",
                "3m",
                "--max-abandon",
                "0.05",
            ],
            "--patience",
        ),
        (
            &[
                "--calls-per-hour",
                "1000",
                "--aht",
                "3m",
                "--agents",
                "60",
                "--patience",
                "0",
            ],
            "--patience",
        ),
        (
            &[
                "--calls-per-hour",
                "1000",
                "--aht",
                "soon",
                "--agents",
                "60",
            ],
            "--aht",
        ),
    ];
    for (args, flag) in cases {
        hotline()
            .arg("erlang")
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*flag));
    }
}

/// 1000 calls per hour of 3 minutes (50 erlangs), then `extra`.
fn fifty<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["--calls-per-hour", "1000", "--aht", "3m"];
    a.extend_from_slice(extra);
    a
}

fn refused_with(args: &[&str], want: &[&str]) {
    let out = hotline().arg("erlang").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    for w in want {
        assert!(err.contains(w), "{args:?}: {err} lacks {w:?}");
    }
}

#[test]
fn shares_on_the_command_line_take_the_readme_notation() {
    let base = fifty(&["--target-sl", "80/20"]);
    let with = |flag: &str, v: &str| {
        let mut a = base.clone();
        a.extend([flag, v]);
        json_of(&a)
    };
    for flag in ["--max-occupancy", "--shrinkage"] {
        let pct = with(flag, "85%");
        let frac = with(flag, "0.85");
        assert_eq!(pct, frac, "{flag} 85% and 0.85 are the same");
    }
    assert_eq!(with("--shrinkage", "30%")["shrinkage"], 0.3);
    // An 85 % cap binds (the 80/20 staffing alone runs hotter than 85 %).
    assert!(
        with("--max-occupancy", "85%")["occupancy"]
            .as_f64()
            .unwrap()
            <= 0.85
    );
    refused_with(
        &[&base[..], &["--max-occupancy", "85"]].concat(),
        &["--max-occupancy", "ambiguous", "\"85%\""],
    );
}

#[test]
fn a_service_level_target_of_100_percent_is_refused_as_unreachable() {
    for target in ["100%", "1", "100/20"] {
        refused_with(
            &fifty(&["--target-sl", target]),
            &["--target-sl", "unreachable"],
        );
    }
    // 99 % is reachable and solved.
    let v = json_of(&fifty(&["--target-sl", "99%"]));
    assert!(v["service_level"].as_f64().unwrap() >= 0.99);
}

#[test]
fn shrinkage_with_given_agents_is_refused_rather_than_ignored() {
    refused_with(
        &fifty(&["--agents", "55", "--shrinkage", "0.3"]),
        &["--shrinkage", "--agents", "on the phones"],
    );
}

#[test]
fn staff_refuses_a_target_of_100_percent() {
    let out = hotline()
        .args([
            "staff",
            "scenarios/validation-mmc.toml",
            "--target",
            "100%",
            "--out",
        ])
        .arg(tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--target") && err.contains("unreachable"),
        "{err}"
    );
}
