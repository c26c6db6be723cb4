//! `hotline staff` staffs what reaches the agents: nobody while a queue is closed, the
//! closed-queue callback backlog in the opening interval, and the legs transferred in (a queue
//! fed only by transfers is staffed, and its plan simulates to the promised service level).

use std::path::Path;

use hotline::arrivals::expected_calls;
use hotline::scenario::OpenHours;

use crate::staff::{assert_sl_close, staff};
use crate::support::{erlang_c, hotline, num, read_csv, write};

fn night_traffic() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/night-traffic.toml"),
    )
    .unwrap()
}

/// The `staffing.csv` rows of `queue`, in interval order.
fn rows_of(out: &Path, queue: &str) -> Vec<std::collections::HashMap<String, String>> {
    read_csv(&out.join("staffing.csv"))
        .into_iter()
        .filter(|r| r["queue"] == queue)
        .collect()
}

/// The scenario's model, the index of its `general` queue and that queue's opening hours.
fn general(scenario: &Path) -> (hotline::Model, usize, OpenHours) {
    let model = hotline::scenario::load(scenario).unwrap();
    let g = model
        .queues
        .iter()
        .position(|q| q.name == "general")
        .unwrap();
    let hours = model.queues[g].hours.clone().unwrap();
    (model, g, hours)
}

#[test]
fn staff_requires_no_agent_in_any_interval_a_queue_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "night.toml", &night_traffic());
    staff(&s, dir.path(), &["--no-charts", "--no-xlsx"]);
    let (model, _, hours) = general(&s);
    let rows = rows_of(dir.path(), "general");
    assert_eq!(rows.len() as u64, model.interval_count());
    let (mut closed, mut open_staffed) = (0, 0);
    for (k, r) in rows.iter().enumerate() {
        if hours.is_open(k as u64, 48) {
            open_staffed += usize::from(num(r, "agents_required") > 0.0);
        } else {
            closed += 1;
            assert_eq!(
                (
                    num(r, "calls"),
                    num(r, "agents_required"),
                    num(r, "agents_scheduled")
                ),
                (0.0, 0.0, 0.0),
                "{} is closed",
                r["interval_start"]
            );
        }
    }
    // 19:00–08:00 on weekdays, the weekends and the holiday: most of the fortnight.
    assert!(closed > 400, "{closed} closed intervals");
    assert_eq!(
        open_staffed,
        14 * 48 - closed,
        "every open interval has calls"
    );
}

#[test]
fn the_opening_interval_carries_the_overnight_callback_backlog() {
    let dir = tempfile::tempdir().unwrap();
    let text = night_traffic();
    let with = write(dir.path(), "with.toml", &text);
    // The same night, nobody leaving a request: 45 % self-serve, the rest hang up.
    let without_text = text.replace("callback = 0.25\nhang_up = 0.30", "hang_up = 0.55");
    assert_ne!(without_text, text);
    let without = write(dir.path(), "without.toml", &without_text);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    staff(&with, &a, &["--no-charts", "--no-xlsx"]);
    staff(&without, &b, &["--no-charts", "--no-xlsx"]);
    let (model, g, hours) = general(&with);
    let len = model.interval_s;
    let expected = |k: u64| expected_calls(&model, k as f64 * len, (k + 1) as f64 * len).0[g];
    // Day 2 (Tuesday) opens at 08:00 (interval 48 + 16) after closing at 19:00 on day 1.
    let opening = 48 + 16;
    assert!(hours.is_open(opening, 48) && !hours.is_open(opening - 1, 48));
    let night: f64 = (38..opening).map(expected).sum();
    let backlog = 0.25 * night;
    let (ra, rb) = (&rows_of(&a, "general"), &rows_of(&b, "general"));
    let k = opening as usize;
    let rel = |x: f64, y: f64| (x - y).abs() <= crate::support::CSV_REL * x.abs().max(y.abs());
    assert!(rel(num(&rb[k], "calls"), expected(opening)));
    assert!(
        rel(num(&ra[k], "calls"), expected(opening) + backlog),
        "{} calls at the opening, expected {} + backlog {backlog}",
        num(&ra[k], "calls"),
        expected(opening)
    );
    assert!(num(&ra[k], "agents_required") > num(&rb[k], "agents_required"));
    // The backlog is released once: the next interval is the same with and without requests.
    assert_eq!(ra[k + 1]["agents_required"], rb[k + 1]["agents_required"]);
}

/// `front` (the first queue: no IVR) takes 600 calls/h (3 min, exponential, no patience) and transfers 30 % of them to
/// `fraud` (4 min, exponential), which has no callers of its own.
fn transfer_only(days: u32) -> String {
    format!(
        r#"[scenario]
name = "transfer-only"
days = {days}
interval = "60m"
seed = 11

[arrivals]
calls_per_hour = 600

[[queue]]
name = "front"
handle_time = {{ dist = "exponential", mean = "3m" }}

[[queue.transfer]]
to = "fraud"
share = 0.3

[[queue]]
name = "fraud"
handle_time = {{ dist = "exponential", mean = "4m" }}

[[pool]]
name = "front_team"
serves = ["front"]
agents = 40

[[pool]]
name = "fraud_team"
serves = ["fraud"]
agents = 1
"#
    )
}

/// The transferred legs reach `fraud` as a Poisson stream of 0.3 × 600 = 180 calls/h: `front`
/// is M/M/c without abandonment, whose departures in steady state are Poisson (Burke's
/// theorem, Burke 1956), and an independent 30 % thinning of a Poisson stream is Poisson. So
/// `fraud` is M/M/c with a = 180/h × 4 min = 12 erlangs, and its exact SL at c agents is
/// 1 − C(c, a)·e^{−(cμ − λ)·20 s}: the plan's promise, which the simulation must meet within
/// the batch-means band of `staff::assert_sl_close` (4 standard errors, guarded by power).
#[test]
fn a_queue_fed_only_by_transfers_is_staffed_and_meets_the_target_in_simulation() {
    let dir = tempfile::tempdir().unwrap();
    let days = 60;
    let s = write(dir.path(), "t.toml", &transfer_only(days));
    staff(
        &s,
        dir.path(),
        &["--target", "80/20", "--no-charts", "--no-xlsx"],
    );
    let fraud = rows_of(dir.path(), "fraud");
    assert_eq!(fraud.len(), 24 * days as usize);
    for r in &fraud {
        assert!((num(r, "calls") - 180.0).abs() < 1e-6, "{r:?}");
    }
    let c = num(&fraud[0], "agents_required") as u32;
    assert!(c > 12, "a stable fraud desk needs more than 12 agents: {c}");
    let exact = |k: u32| 1.0 - erlang_c(k, 12.0) * (-(f64::from(k) - 12.0) / 240.0 * 20.0).exp();
    let promised = num(&fraud[0], "service_level");
    assert!((exact(c) - promised).abs() <= crate::support::CSV_REL * exact(c));
    assert!(promised >= 0.8);

    let sim = dir.path().join("sim");
    let o = hotline()
        .arg("simulate")
        .arg(&s)
        .arg("--staffing")
        .arg(dir.path().join("staffing.csv"))
        .arg("--out")
        .arg(&sim)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows: Vec<_> = read_csv(&sim.join("intervals.csv"))
        .into_iter()
        .filter(|r| r["queue"] == "fraud")
        .collect();
    assert_eq!(rows.len(), 24 * days as usize);
    // Day 1 starts empty (no legs in hand yet): the steady state is from day 2 on.
    let sl: Vec<f64> = rows[24..]
        .chunks(24)
        .map(|day| {
            let within: f64 = day
                .iter()
                .map(|r| num(r, "answered_within_threshold"))
                .sum();
            let answered: f64 = day.iter().map(|r| num(r, "answered")).sum();
            within / answered
        })
        .collect();
    assert_sl_close(
        "transfer-only queue",
        &sl,
        [exact(c - 1), exact(c), exact(c + 1)],
    );
}
