//! No unit traps (issue 9): one notation for service-level targets everywhere, durations that
//! carry their unit, model names in either spelling, shares rounded by hand, the Erlang
//! calculator's edge cases, and help text that names only commands that exist.

use crate::support::*;

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().success();
    String::from_utf8_lossy(&out.get_output().stdout).to_string()
}

fn stderr_of_failure(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.assert().code(2);
    String::from_utf8_lossy(&out.get_output().stderr).to_string()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim()).unwrap()
}

fn erlang(args: &[&str]) -> assert_cmd::Command {
    let mut c = hotline();
    c.arg("erlang").args(args);
    c
}

// ---------------------------------------------------------------- service-level targets

#[test]
fn erlang_target_sl_reads_80_percent_in_every_notation() {
    let agents = |sl: &[&str]| {
        let mut args = vec!["--calls-per-hour", "1000", "--aht", "3m", "--json"];
        args.extend_from_slice(sl);
        json(&stdout(&mut erlang(&args)))["agents_required"]
            .as_u64()
            .unwrap()
    };
    let reference = agents(&["--target-sl", "0.8"]);
    for sl in [
        &["--target-sl", "80%"][..],
        &["--target-sl", "80/20"],
        &["--target-sl", "80%/20s"],
        &["--target-sl", "0.8", "--threshold", "20s"],
    ] {
        assert_eq!(agents(sl), reference, "{sl:?}");
    }
    // 80 % within 20 s of 50 erlangs: 56 agents (Erlang C).
    assert_eq!(reference, 56);
}

#[test]
fn ambiguous_service_levels_are_refused_with_what_to_write() {
    for (sl, hint) in [("80", "\"80%\""), ("0.8%", "below 1%")] {
        let e = stderr_of_failure(&mut erlang(&[
            "--calls-per-hour",
            "1000",
            "--aht",
            "3m",
            "--target-sl",
            sl,
        ]));
        assert!(e.contains(hint), "{sl}: {e}");
    }
    // The threshold in one place only.
    let e = stderr_of_failure(&mut erlang(&[
        "--calls-per-hour",
        "1000",
        "--aht",
        "3m",
        "--target-sl",
        "80/20",
        "--threshold",
        "30s",
    ]));
    assert!(e.contains("threshold once"), "{e}");
}

fn scenario(dir: &std::path::Path, staffing: &str) -> std::path::PathBuf {
    write(
        dir,
        "s.toml",
        &format!(
            "[scenario]\nname = \"s\"\ndays = 1\n\n[arrivals]\ncalls_per_hour = 1000\n\n\
             [[queue]]\nname = \"general\"\nhandle_time = {{ dist = \"exponential\", mean = \"3m\" }}\n\
             patience = {{ dist = \"exponential\", mean = \"5m\" }}\n\n\
             [[pool]]\nname = \"agents\"\nserves = [\"general\"]\nagents = 55\n{staffing}"
        ),
    )
}

/// The `agents_required` of the first interval of `staff`'s plan.
fn staff_agents(dir: &std::path::Path, path: &std::path::Path, flags: &[&str]) -> f64 {
    let out = dir.join("out");
    hotline()
        .arg("staff")
        .arg(path)
        .arg("--out")
        .arg(&out)
        .arg("--no-charts")
        .args(flags)
        .assert()
        .success();
    num(&read_csv(&out.join("staffing.csv"))[0], "agents_required")
}

#[test]
fn staff_target_0_8_is_80_percent_not_0_8_percent() {
    // Regression (issue 9): `--target 0.8` was read as 0.8 %, a plan of a third of the agents.
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path(), "");
    let reference = staff_agents(dir.path(), &path, &["--target", "80/20"]);
    assert_eq!(reference, 56.0);
    for t in ["0.8", "80%", "80%/20s", "0.8/20"] {
        assert_eq!(
            staff_agents(dir.path(), &path, &["--target", t]),
            reference,
            "{t}"
        );
    }
    let e = stderr_of_failure(
        hotline()
            .arg("staff")
            .arg(&path)
            .args(["--target", "80", "--out"])
            .arg(dir.path().join("x")),
    );
    assert!(e.contains("ambiguous") && e.contains("\"80%\""), "{e}");
}

#[test]
fn scenario_staffing_target_takes_the_same_notation_as_a_number_or_text() {
    let dir = tempfile::tempdir().unwrap();
    for t in ["0.8", "\"80%\"", "\"80/20\"", "\"0.8\""] {
        let path = scenario(dir.path(), &format!("\n[staffing]\ntarget = {t}\n"));
        assert_eq!(staff_agents(dir.path(), &path, &[]), 56.0, "{t}");
    }
    let path = scenario(dir.path(), "\n[staffing]\ntarget = 80\n");
    let e = stderr_of_failure(hotline().arg("check").arg(&path));
    assert!(e.contains("s.toml:19:10: staffing.target"), "{e}");
    assert!(e.contains("ambiguous"), "{e}");
}

#[test]
fn model_names_take_dashes_and_underscores() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path(), "");
    let a = staff_agents(dir.path(), &path, &["--model", "erlang-a"]);
    assert_eq!(staff_agents(dir.path(), &path, &["--model", "erlang_a"]), a);
    let c = staff_agents(dir.path(), &path, &["--model", "erlang-c"]);
    assert_eq!(staff_agents(dir.path(), &path, &["--model", "erlang_c"]), c);
    assert!(a < c, "Erlang A {a} vs Erlang C {c}");
    // The output spelling stays `erlang_a`.
    let out = dir.path().join("out");
    let rows = read_csv(&out.join("staffing.csv"));
    assert_eq!(rows[0]["model"], "erlang_c");
}

// ---------------------------------------------------------------- durations

#[test]
fn a_bare_number_for_a_duration_flag_is_refused_with_a_unit_hint() {
    let e = stderr_of_failure(&mut erlang(&[
        "--calls-per-hour",
        "1000",
        "--aht",
        "5",
        "--agents",
        "90",
    ]));
    assert!(
        e.contains("--aht") && e.contains("\"5s\"") && e.contains("\"5m\""),
        "{e}"
    );
}

#[test]
fn a_bare_number_for_a_scenario_duration_is_refused_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path(), "").to_string_lossy().to_string();
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("mean = \"3m\"", "mean = 5");
    std::fs::write(&path, text).unwrap();
    let e = stderr_of_failure(hotline().arg("check").arg(&path));
    assert!(e.contains("s.toml:10:46: queue[0].handle_time.mean"), "{e}");
    assert!(e.contains("\"5s\"") && e.contains("\"5m\""), "{e}");
}

// ---------------------------------------------------------------- shares

fn shares_scenario(dir: &std::path::Path, p_general: &str) -> std::path::PathBuf {
    write(
        dir,
        "shares.toml",
        &format!(
            "[scenario]\nname = \"s\"\ndays = 1\n\n[arrivals]\ncalls_per_hour = 1000\n\n\
             [[queue]]\nname = \"general\"\nhandle_time = \"3m\"\n\n\
             [[pool]]\nname = \"agents\"\nserves = [\"general\"]\nagents = 60\n\n\
             [[ivr.node]]\nname = \"main\"\noptions = [{{ p = {p_general}, queue = \"general\" }}, {{ p = 0.5, end = \"self_service\" }}]\n"
        ),
    )
}

#[test]
fn option_shares_summing_to_0_9999_are_normalised_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = shares_scenario(dir.path(), "0.4999");
    let text = stdout(hotline().arg("check").arg(&path));
    assert!(
        text.contains("shares.toml:19:11: ivr.node[0].options: the options' probabilities `p` sum to 0.9999, not 1: normalised"),
        "{text}"
    );
    // Normalised: 0.4999 / 0.9999 of the calls reach the queue.
    assert!(text.contains("queue general            50.0%"), "{text}");
    // `simulate` and `staff` repeat the note on stderr.
    let out = hotline()
        .arg("staff")
        .arg(&path)
        .arg("--no-charts")
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("note: ") && err.contains("sum to 0.9999"),
        "{err}"
    );
}

#[test]
fn option_shares_summing_to_0_99_are_refused_with_the_sum() {
    let dir = tempfile::tempdir().unwrap();
    let path = shares_scenario(dir.path(), "0.49");
    let e = stderr_of_failure(hotline().arg("check").arg(&path));
    assert!(e.contains("shares.toml:19:11: ivr.node[0].options"), "{e}");
    assert!(e.contains("sum to 0.99 (-1.00% off)"), "{e}");
}

#[test]
fn interval_shares_follow_the_same_rule() {
    let dir = tempfile::tempdir().unwrap();
    let shares = |last: &str| {
        let mut v = vec!["0.0417".to_string(); 23];
        v.push(last.to_string());
        v.join(", ")
    };
    let text = |last: &str| {
        format!(
            "[scenario]\nname = \"s\"\ndays = 1\n\n[arrivals]\n\
             calls_per_day = [1000, 1000, 1000, 1000, 1000, 1000, 1000]\n\
             interval_share = [{}]\n\n\
             [[queue]]\nname = \"general\"\nhandle_time = \"3m\"\n\n\
             [[pool]]\nname = \"agents\"\nserves = [\"general\"]\nagents = 60\n",
            shares(last)
        )
    };
    // 23 × 0.0417 + 0.0408 = 0.9999: normalised; + 0.0318 = 0.9909: refused.
    let ok = write(dir.path(), "ok.toml", &text("0.0408"));
    let out = stdout(hotline().arg("check").arg(&ok));
    assert!(
        out.contains("ok.toml:7:18: arrivals.interval_share: the shares sum to 0.9999"),
        "{out}"
    );
    let bad = write(dir.path(), "bad.toml", &text("0.0318"));
    let e = stderr_of_failure(hotline().arg("check").arg(&bad));
    assert!(
        e.contains("bad.toml:7:18: arrivals.interval_share: the shares sum to 0.9909"),
        "{e}"
    );
}

// ---------------------------------------------------------------- the Erlang calculator

fn solve(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    json(&stdout(&mut erlang(&all)))
}

#[test]
fn max_occupancy_at_an_exact_tie_needs_no_extra_agent() {
    // Regression (issue 9): 500 erlangs at most 50 % busy is 1,000 agents, not 1,001; 3.99
    // erlangs at most 57 % busy is 7, not 8 (the load carried float noise).
    for (calls, occ, want) in [("30000", "0.5", 1000), ("239.40", "0.57", 7)] {
        let r = solve(&[
            "--calls-per-hour",
            calls,
            "--aht",
            "60s",
            "--max-occupancy",
            occ,
        ]);
        assert_eq!(r["agents_required"], want, "{calls} calls/h at {occ}");
    }
    // Just above the tie still needs the extra agent.
    let r = solve(&[
        "--calls-per-hour",
        "30001",
        "--aht",
        "60s",
        "--max-occupancy",
        "0.5",
    ]);
    assert_eq!(r["agents_required"], 1001);
}

#[test]
fn erlang_a_occupancy_never_exceeds_one() {
    let r = solve(&[
        "--calls-per-hour",
        "400000",
        "--aht",
        "3m",
        "--target-sl",
        "0.8",
        "--patience",
        "1m",
    ]);
    let occ = r["occupancy"].as_f64().unwrap();
    assert!(occ <= 1.0, "occupancy {occ}");
}

#[test]
fn a_huge_agent_count_is_refused_at_once() {
    let e = stderr_of_failure(&mut erlang(&[
        "--calls-per-hour",
        "1000",
        "--aht",
        "3m",
        "--agents",
        "4294967295",
    ]));
    assert!(e.contains("--agents must be at most 50000000"), "{e}");
    // Many agents for a small load: the Erlang B recurrence stops once B underflows.
    let r = solve(&[
        "--calls-per-hour",
        "1000",
        "--aht",
        "3m",
        "--agents",
        "50000000",
    ]);
    assert_eq!(r["p_wait"], 0.0);
}

#[test]
fn a_huge_rate_is_echoed_compactly() {
    let e = stderr_of_failure(&mut erlang(&[
        "--calls-per-hour",
        "1e300",
        "--aht",
        "60s",
        "--agents",
        "5",
    ]));
    assert!(e.len() < 300, "{e}");
    assert!(e.contains("1.6666666666666668e298 erlangs"), "{e}");
}

// ---------------------------------------------------------------- help text

#[test]
fn help_text_names_only_commands_that_exist() {
    use clap::CommandFactory;
    let cli = hotline::cli::Cli::command();
    let commands: Vec<String> = cli
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    let mut texts = vec![stdout(hotline().arg("--help"))];
    for c in &commands {
        texts.push(stdout(hotline().arg(c).arg("--help")));
    }
    for text in &texts {
        for (word, command) in [
            ("compare", "compare"),
            ("merge", "merge"),
            ("policies", "policies"),
            ("hotline plan", "plan"),
            ("hotline schedule", "schedule"),
        ] {
            if !commands.iter().any(|c| c == command) {
                assert!(!text.contains(word), "help mentions `{word}`:\n{text}");
            }
        }
        // Commands named as commands: `hotline X` in backticks.
        for (i, _) in text.match_indices("`hotline ") {
            let next: String = text[i + 9..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase())
                .collect();
            assert!(commands.contains(&next), "help names `hotline {next}`");
        }
    }
}
