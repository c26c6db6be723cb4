//! Arrival patterns: realised counts against the expected volume (the integral of the rate),
//! surges, and redials against their closed form.

use crate::support::*;
use hotline::arrivals::{Entry, expected_calls};
use hotline::dist::Dist;
use hotline::engine::simulate;
use hotline::scenario::{Model, Redial, Surge, SurgeSize};
use hotline::stats::IntervalRow;

fn all_rows(model: &Model) -> Vec<IntervalRow> {
    let mut stats = simulate(model, 0);
    let (rows, _) = stats.drain_rows();
    rows.filter(|r| r.queue == "all").collect()
}

/// Per interval, (observed − expected)/√expected is standard normal in the limit: no interval
/// beyond 5 (chance ≈ 6e-7 each), and the mean square within 4 standard errors of 1.
fn assert_poisson(model: &Model, rows: &[IntervalRow]) {
    let mut z2 = Vec::new();
    for r in rows {
        let (_, exp) = expected_calls(
            model,
            r.interval_start_s,
            r.interval_start_s + model.interval_s,
        );
        if exp < 20.0 {
            // Small means: only check that zero-rate intervals get no calls.
            if exp == 0.0 {
                assert_eq!(
                    r.offered, 0,
                    "{}: calls in an interval with rate 0",
                    r.interval_start
                );
            }
            continue;
        }
        let z = (r.offered as f64 - exp) / exp.sqrt();
        assert!(
            z.abs() < 5.0,
            "{}: {} calls, expected {exp:.1}",
            r.interval_start,
            r.offered
        );
        z2.push(z * z);
    }
    let n = z2.len() as f64;
    assert!(n > 200.0, "too few intervals checked: {n}");
    let mean = z2.iter().sum::<f64>() / n;
    assert!(
        (mean - 1.0).abs() < 4.0 * (2.0 / n).sqrt(),
        "mean z² = {mean} over {n} intervals"
    );
}

#[test]
fn realised_counts_follow_the_time_varying_rate() {
    let model = busy_center(28);
    assert_poisson(&model, &all_rows(&model));
}

#[test]
fn a_surge_adds_its_volume_within_poisson_bounds() {
    let mut model = busy_center(14);
    for day in [1u32, 3, 6, 9] {
        model.extras.surges.push(Surge {
            name: format!("outage {day}"),
            start_s: f64::from(day) * 86_400.0 + 10.0 * 3600.0,
            duration_s: 2.0 * 3600.0,
            ramp_s: 300.0,
            half_life_s: 1800.0,
            size: SurgeSize::PeakMultiplier(4.0),
            entry: Entry::Queue(hotline::scenario::QueueId(0)),
        });
    }
    model.extras.surges.push(Surge {
        name: "letters sent".into(),
        start_s: 11.0 * 86_400.0 + 9.0 * 3600.0,
        duration_s: 6.0 * 3600.0,
        ramp_s: 0.0,
        half_life_s: f64::INFINITY,
        size: SurgeSize::ExtraCalls(2000.0),
        entry: Entry::Default,
    });
    let rows = all_rows(&model);
    assert_poisson(&model, &rows);
    // The surge days carry the extra volume: total over the surge windows vs without surges.
    let base = busy_center(14);
    let (_, with) = expected_calls(&model, 0.0, model.horizon_s());
    let (_, without) = expected_calls(&base, 0.0, base.horizon_s());
    let total: u64 = rows.iter().map(|r| r.offered).sum();
    let extra_expected = with - without;
    assert!(extra_expected > 2000.0);
    assert!(
        (total as f64 - with).abs() < 5.0 * with.sqrt(),
        "{total} calls vs {with:.0} expected"
    );
}

/// Every caller abandons (no agent ever works); each abandon redials with probability p up to
/// N attempts. Redials per first attempt K: P(K ≥ k) = p^k for k < N, so
/// E[K] = Σ_{k=1}^{N−1} p^k and E[K²] = Σ_{k=1}^{N−1} (2k − 1) p^k.
#[test]
fn redial_volume_matches_the_closed_form() {
    let mut model = one_queue(120.0, 180.0, Some(60.0), 0, 20);
    let (p, n) = (0.6, 4u32);
    model.extras.redial = Some(Redial {
        probability: p,
        delay: Dist::exponential(300.0).unwrap(),
        max_attempts: n,
    });
    let mut stats = simulate(&model, 0);
    let total = stats.summary().pop().unwrap();
    let first = total.first_attempts as f64;
    let redials = total.redials as f64;
    let ek: f64 = (1..n).map(|k| p.powi(k as i32)).sum();
    let ek2: f64 = (1..n)
        .map(|k| f64::from(2 * k - 1) * p.powi(k as i32))
        .sum();
    let se = ((ek2 - ek * ek) / first).sqrt();
    assert!(first > 50_000.0);
    assert!(
        (redials / first - ek).abs() < 4.0 * se,
        "{} redials per caller vs {ek}",
        redials / first
    );
    assert_eq!(total.offered, total.first_attempts + total.redials);
    assert_eq!(total.answered, 0);
    // Conservation still holds with redials: each redial is a call of its own.
    let (rows, _) = stats.drain_rows();
    for r in rows.filter(|r| r.queue == "all") {
        assert_eq!(
            r.offered,
            r.answered + r.abandoned + r.in_system_at_end + r.self_served + r.hung_up_ivr
        );
    }
}

#[test]
fn without_redials_configured_nobody_calls_again() {
    let model = one_queue(120.0, 180.0, Some(60.0), 0, 3);
    let total = simulate(&model, 0).summary().pop().unwrap();
    assert!(total.abandoned > 0);
    assert_eq!(total.redials, 0);
}

const ONE_QUEUE: &str = r#"
[[queue]]
name = "cards"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "3m" }

[[queue]]
name = "loans"
handle_time = "6m"

[[pool]]
name = "agents"
serves = ["cards", "loans"]
agents = 20
"#;

/// The log's calls per interval, counted independently of the engine.
#[test]
fn a_replayed_log_is_reproduced_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::from("arrived_at,queue,handle_time,patience\n");
    let mut expected = std::collections::BTreeMap::<u64, u64>::new();
    // 2026-11-24 is a Tuesday: its week's Monday 00:00 is time 0.
    for i in 0..2000u64 {
        let s = 86_400 + 8 * 3600 + (i * i * 7919) % (10 * 3600); // Tuesday 08:00–18:00
        let (h, m, sec) = ((s - 86_400) / 3600, (s % 3600) / 60, s % 60);
        let queue = if i % 3 == 0 { "loans" } else { "cards" };
        expected
            .entry(s / 1800)
            .and_modify(|c| *c += 1)
            .or_insert(1);
        log.push_str(&format!(
            "2026-11-24 {h:02}:{m:02}:{sec:02},{queue},{},\n",
            60 + i % 300
        ));
    }
    // Rows must be in time order.
    let mut rows: Vec<&str> = log.lines().skip(1).collect();
    rows.sort();
    let log = format!(
        "arrived_at,queue,handle_time,patience\n{}\n",
        rows.join("\n")
    );
    write(dir.path(), "calls.csv", &log);
    let scenario = write(
        dir.path(),
        "replay.toml",
        &format!(
            "[scenario]\nname = \"replay\"\ndays = 3\ninterval = \"30m\"\n\n[arrivals]\nreplay = \"calls.csv\"\n{}",
            ONE_QUEUE.replace("agents = 20", "agents = 200")
        ),
    );
    let model = hotline::scenario::load(&scenario).unwrap();
    let mut stats = simulate(&model, 0);
    let (rows, _) = stats.drain_rows();
    let mut got = std::collections::BTreeMap::<u64, u64>::new();
    for r in rows.filter(|r| r.queue == "all" && r.offered > 0) {
        got.insert((r.interval_start_s / 1800.0) as u64, r.offered);
    }
    assert_eq!(got, expected);
    // Recorded handle times are used as recorded: with 200 agents everyone is answered at once,
    // so the realised mean handle time is the log's mean exactly.
    let total = stats.summary().pop().unwrap();
    assert_eq!(total.offered, 2000);
    assert_eq!(total.answered, 2000);
    let log_mean = (0..2000u64).map(|i| (60 + i % 300) as f64).sum::<f64>() / 2000.0;
    assert!((total.handle_time_mean_s.unwrap() - log_mean).abs() < 1e-9);
}

#[test]
fn the_night_window_carries_its_share_of_calls() {
    let model =
        hotline::scenario::load(std::path::Path::new("scenarios/night-traffic.toml")).unwrap();
    let (start, end) = model
        .extras
        .night_window
        .expect("the scenario sets a night window");
    let in_night = |t: f64| {
        let tod = t.rem_euclid(86_400.0);
        if start <= end {
            tod >= start && tod < end
        } else {
            tod >= start || tod < end
        }
    };
    // The model honours the share exactly in expectation (before day factors and surges).
    let (mut night_exp, mut all_exp) = (0.0, 0.0);
    let mut t = 0.0;
    while t < model.horizon_s() {
        let (_, e) = expected_calls(&model, t, t + model.interval_s);
        all_exp += e;
        if in_night(t) {
            night_exp += e;
        }
        t += model.interval_s;
    }
    assert!(
        (night_exp / all_exp - 0.04).abs() < 1e-9,
        "expected night share {}",
        night_exp / all_exp
    );
    // Realised: night calls are Poisson around their expectation.
    let rows = all_rows(&model);
    let night: u64 = rows
        .iter()
        .filter(|r| in_night(r.interval_start_s))
        .map(|r| r.offered)
        .sum();
    assert!(
        (night as f64 - night_exp).abs() < 4.0 * night_exp.sqrt(),
        "{night} night calls vs {night_exp:.0} expected"
    );
}

#[test]
fn a_forecast_drives_arrivals_and_handle_times_per_interval() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("interval_start,queue,volume,aht\n");
    // Tuesday 2026-11-24 and Wednesday: 200 calls per half hour to cards 09:00–12:00 with an AHT
    // of 2 min (the queue's own mean is 4 min), nothing else.
    for day in [24, 25] {
        for slot in 0..6 {
            let (h, m) = (9 + slot / 2, (slot % 2) * 30);
            csv.push_str(&format!("2026-11-{day} {h:02}:{m:02},cards,200,2m\n"));
        }
    }
    write(dir.path(), "forecast.csv", &csv);
    let scenario = write(
        dir.path(),
        "forecast.toml",
        &format!(
            "[scenario]\nname = \"forecast\"\ndays = 7\ninterval = \"30m\"\n\n[[arrivals.forecast]]\nfile = \"forecast.csv\"\n{}",
            ONE_QUEUE.replace("agents = 20", "agents = 40")
        ),
    );
    let model = hotline::scenario::load(&scenario).unwrap();
    let mut stats = simulate(&model, 0);
    let (rows, _) = stats.drain_rows();
    let rows: Vec<IntervalRow> = rows.collect();
    let cards: Vec<&IntervalRow> = rows
        .iter()
        .filter(|r| r.queue == "cards" && r.offered > 0)
        .collect();
    assert_eq!(cards.len(), 12, "calls only in the 12 forecast intervals");
    for r in &cards {
        assert!(
            (r.offered as f64 - 200.0).abs() < 5.0 * 200f64.sqrt(),
            "{}: {}",
            r.interval_start,
            r.offered
        );
    }
    // Handle times follow the forecast's AHT: mean of ~2,400 exponential draws of mean 120 s,
    // se = 120/√n ≈ 2.4 s.
    let total = stats
        .summary()
        .into_iter()
        .find(|r| r.queue == "cards")
        .unwrap();
    let mean = total.handle_time_mean_s.unwrap();
    let se = 120.0 / (total.answered as f64).sqrt();
    assert!((mean - 120.0).abs() < 4.0 * se, "mean handle time {mean}");
}

const WITH_IVR: &str = r#"[scenario]
name = "replay-ivr"
days = 1
interval = "30m"

[arrivals]
replay = "calls.csv"

[ivr]
start = "main"

[[ivr.node]]
name = "main"
duration = "20s"
options = [
  { key = "1", p = 0.5, queue = "cards" },
  { key = "2", p = 0.4, node = "auth" },
  { key = "9", p = 0.1, end = "hang_up" },
]

[[ivr.node]]
name = "auth"
duration = "30s"
options = [
  { key = "1", p = 0.7, end = "self_service" },
  { key = "2", p = 0.3, queue = "loans" },
]
"#;

#[test]
fn replayed_ivr_paths_end_where_they_were_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let paths = ["1", "2>1", "2>2", "9", "2>1", "1", "2>1"];
    let mut log = String::from("arrived_at,ivr_path\n");
    for (i, p) in paths.iter().enumerate() {
        log.push_str(&format!("{},{p}\n", 36_000 + 60 * i));
    }
    write(dir.path(), "calls.csv", &log);
    let scenario = write(
        dir.path(),
        "ivr.toml",
        &format!(
            "{WITH_IVR}{}",
            ONE_QUEUE.replace("agents = 20", "agents = 5")
        ),
    );
    let model = hotline::scenario::load(&scenario).unwrap();
    let summary = simulate(&model, 0).summary();
    let row = |q: &str| summary.iter().find(|r| r.queue == q).unwrap();
    assert_eq!(row("cards").offered, 2);
    assert_eq!(row("loans").offered, 1);
    assert_eq!(row("all").self_served, 3);
    assert_eq!(row("all").hung_up_ivr, 1);
    assert_eq!(row("all").offered, 7);
}

#[test]
fn an_ivr_path_with_an_unknown_key_is_bad_input_naming_the_log_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "calls.csv",
        "arrived_at,ivr_path\n36000,1\n36060,2>7\n",
    );
    let scenario = write(dir.path(), "ivr.toml", &format!("{WITH_IVR}{ONE_QUEUE}"));
    let out = hotline().arg("check").arg(&scenario).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("calls.csv:3"), "{err}");
    assert!(err.contains("no option `7`"), "{err}");
}
