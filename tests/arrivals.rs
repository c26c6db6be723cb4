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

/// The arrival rate of `busy_center`, calls per second, defined here again so that the check
/// does not rest on the library's own integration: 0.12 from 08:00 to 19:00, 0.01 at night.
fn busy_center_rate(t: f64) -> f64 {
    let hour = t.rem_euclid(86_400.0) / 3600.0;
    if (8.0..19.0).contains(&hour) {
        0.12
    } else {
        0.01
    }
}

/// Realised counts per interval against `expected` (calls per interval). With N ~ Poisson(m)
/// and z = (N − m)/√m: no interval with m ≥ 20 beyond |z| = 5 (chance ≈ 6e-7 each); over all
/// intervals with m > 0 (nights of 18 calls included), E[z²] = 1 exactly and
/// Var(z²) = 2 + 1/m, so the mean of z² lies within 4 standard errors of 1; an interval with
/// m = 0 gets no call.
fn assert_poisson(rows: &[IntervalRow], expected: impl Fn(&IntervalRow) -> f64) {
    let (mut z2, mut var) = (Vec::new(), 0.0);
    for r in rows {
        let m = expected(r);
        if m == 0.0 {
            assert_eq!(
                r.offered, 0,
                "{}: calls in an interval with rate 0",
                r.interval_start
            );
            continue;
        }
        let z = (r.offered as f64 - m) / m.sqrt();
        if m >= 20.0 {
            assert!(
                z.abs() < 5.0,
                "{}: {} calls, expected {m:.1}",
                r.interval_start,
                r.offered
            );
        }
        z2.push(z * z);
        var += 2.0 + 1.0 / m;
    }
    let n = z2.len() as f64;
    assert!(n > 200.0, "too few intervals checked: {n}");
    let mean = z2.iter().sum::<f64>() / n;
    assert!(
        (mean - 1.0).abs() < 4.0 * var.sqrt() / n,
        "mean z² = {mean} over {n} intervals"
    );
}

#[test]
fn realised_counts_follow_the_time_varying_rate() {
    let model = busy_center(28);
    let rows = all_rows(&model);
    // Half-hour intervals: the rate is constant inside each.
    let expected = |r: &IntervalRow| busy_center_rate(r.interval_start_s) * 1800.0;
    assert_poisson(&rows, expected);
    // The nights (19:00–08:00, 18 calls expected per half hour) in total: within 4 standard
    // errors of their Poisson mean.
    let night: Vec<&IntervalRow> = rows
        .iter()
        .filter(|r| busy_center_rate(r.interval_start_s) == 0.01)
        .collect();
    assert_eq!(night.len(), 28 * 26);
    let (got, want) = (
        night.iter().map(|r| r.offered as f64).sum::<f64>(),
        night.iter().map(|r| expected(r)).sum::<f64>(),
    );
    assert!(
        (got - want).abs() < 4.0 * want.sqrt(),
        "{got} night calls, expected {want}"
    );
}

/// ∫ g over a whole surge of duration d (linear ramp, then halving every `half_life`), written
/// out here from the documented shape: ramp/2 + (h/ln 2)(1 − 2^{−(d − ramp)/h}).
fn surge_integral(d: f64, ramp: f64, half_life: f64) -> f64 {
    ramp / 2.0 + half_life / std::f64::consts::LN_2 * (1.0 - 2f64.powf(-(d - ramp) / half_life))
}

#[test]
fn a_surge_adds_its_volume_within_poisson_bounds() {
    let mut model = busy_center(14);
    // Four outages 10:00–12:00 (day rate 0.12/s throughout) at 4× the center's rate: the extra
    // rate is 3 × 0.12 × g(t).
    for day in [1u32, 3, 6, 9] {
        model.extras.surges.push(Surge {
            name: format!("outage {day}"),
            start_s: f64::from(day) * 86_400.0 + 10.0 * 3600.0,
            duration_s: 2.0 * 3600.0,
            ramp_s: 300.0,
            half_life_s: 1800.0,
            size: SurgeSize::PeakMultiplier(4.0),
            entry: Entry::Default,
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
    assert_poisson(&rows, |r| {
        expected_calls(&model, r.interval_start_s, r.interval_start_s + 1800.0).1
    });
    // Closed form of the extra volume: 4 × 3 × 0.12 × ∫g, plus exactly 2000 letters calls.
    let extra = 4.0 * 3.0 * 0.12 * surge_integral(7200.0, 300.0, 1800.0) + 2000.0;
    let base: f64 = (0..14 * 48)
        .map(|k| busy_center_rate(f64::from(k) * 1800.0) * 1800.0)
        .sum();
    let (_, with) = expected_calls(&model, 0.0, model.horizon_s());
    assert!(
        (with - (base + extra)).abs() < 1e-9 * with,
        "expected {with}, closed form {base} + {extra}"
    );
    let total: u64 = rows.iter().map(|r| r.offered).sum();
    let want = base + extra;
    assert!(
        (total as f64 - want).abs() < 4.0 * want.sqrt(),
        "{total} calls vs {want:.0} expected"
    );
    // The surge windows alone carry their extra volume: realised calls in the four outage
    // windows minus their base, against the closed form (Poisson, 4 standard errors).
    let in_outage = |t: f64| {
        let (day, hour) = (
            (t / 86_400.0).floor() as u32,
            t.rem_euclid(86_400.0) / 3600.0,
        );
        [1, 3, 6, 9].contains(&day) && (10.0..12.0).contains(&hour)
    };
    let outage_calls: f64 = rows
        .iter()
        .filter(|r| in_outage(r.interval_start_s))
        .map(|r| r.offered as f64)
        .sum();
    let outage_base = 4.0 * 7200.0 * 0.12;
    let outage_extra = 4.0 * 3.0 * 0.12 * surge_integral(7200.0, 300.0, 1800.0);
    assert!(
        (outage_calls - outage_base - outage_extra).abs()
            < 4.0 * (outage_base + outage_extra).sqrt(),
        "{outage_calls} calls in the outage windows, expected {outage_base} + {outage_extra:.0}"
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
        same_caller: false,
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

/// One queue with ample agents under `[arrivals]` given as TOML lines.
fn ample_center(days: u32, arrivals: &str) -> String {
    format!(
        "[scenario]\nname = \"a\"\ndays = {days}\ninterval = \"60m\"\nseed = 3\n\n[arrivals]\n{arrivals}\n\n\
         [[queue]]\nname = \"general\"\nhandle_time = {{ dist = \"exponential\", mean = \"3m\" }}\n\n\
         [[pool]]\nname = \"agents\"\nserves = [\"general\"]\nagents = 30\n"
    )
}

/// With `day_cv`, a day's calls are mixed Poisson: N ~ Poisson(m·G), G gamma of mean 1 and cv
/// c, so E[N] = m and Var N = m + m²c². The sample variance of n days has variance
/// σ⁴·2/(n − 1) + κ₄/n, with the fourth cumulant κ₄ = κ₄(Λ) + 6κ₃(Λ) + 7κ₂(Λ) + m of the
/// mixture (Λ = mG: κ₂ = m²c², κ₃ = 2m³c⁴, κ₄ = 6m⁴c⁶).
#[test]
fn day_to_day_gamma_factors_spread_the_daily_volume_as_a_mixed_poisson() {
    let dir = tempfile::tempdir().unwrap();
    let days = 200usize;
    let s = write(
        dir.path(),
        "cv.toml",
        &ample_center(days as u32, "calls_per_hour = 100\nday_cv = 0.2"),
    );
    let model = hotline::scenario::load(&s).unwrap();
    let rows = all_rows(&model);
    let daily: Vec<f64> = rows
        .chunks(24)
        .map(|d| d.iter().map(|r| r.offered as f64).sum())
        .collect();
    assert_eq!(daily.len(), days);
    let (m, c2) = (2400.0f64, 0.04f64);
    let k2 = m * m * c2;
    let k3 = 2.0 * m.powi(3) * c2 * c2;
    let k4 = 6.0 * m.powi(4) * c2.powi(3);
    let var = m + k2;
    let kappa4 = k4 + 6.0 * k3 + 7.0 * k2 + m;
    let n = days as f64;
    let mean = daily.iter().sum::<f64>() / n;
    let s2 = daily.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se_s2 = (var * var * 2.0 / (n - 1.0) + kappa4 / n).sqrt();
    eprintln!("daily calls {mean:.1} (exact {m}), variance {s2:.0} ± {se_s2:.0} (exact {var:.0})");
    assert!((mean - m).abs() < 4.0 * (var / n).sqrt(), "mean {mean}");
    assert!(
        (s2 - var).abs() < 4.0 * se_s2,
        "variance of daily calls {s2:.0}, exact {var:.0} ± {se_s2:.0}"
    );
    // Power: without day factors the variance would be m = 2400, far outside the band.
    assert!(var - m > 6.0 * se_s2);
}

/// `replay_mode = "add"`: the log's calls come on top of the generated ones. Nights have no
/// generated calls, so there the log is reproduced exactly; by day the rest is Poisson.
#[test]
fn replay_mode_add_puts_the_log_on_top_of_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing generated 00:00–06:00, 60 calls an hour after.
    let mut volumes = vec!["0"; 6];
    volumes.extend(["60"; 18]);
    // The log: 3 calls at 01:xx and 5 at 10:xx on each of the 7 days.
    let mut log = String::from("arrived_at,queue\n");
    let mut logged = std::collections::BTreeMap::<usize, u64>::new();
    for day in 0..7 {
        for (hour, n) in [(1, 3), (10, 5)] {
            for i in 0..n {
                let t = day * 86_400 + hour * 3600 + 600 * i;
                log.push_str(&format!("{t},general\n"));
            }
            logged.insert((day * 24 + hour) as usize, n);
        }
    }
    write(dir.path(), "calls.csv", &log);
    let arrivals = format!(
        "calls_per_interval = [{}]\nreplay = \"calls.csv\"\nreplay_mode = \"add\"",
        volumes.join(", ")
    );
    let s = write(dir.path(), "add.toml", &ample_center(7, &arrivals));
    let rows = all_rows(&hotline::scenario::load(&s).unwrap());
    assert_eq!(rows.len(), 7 * 24);
    let mut z2 = Vec::new();
    for (k, r) in rows.iter().enumerate() {
        let from_log = logged.get(&k).copied().unwrap_or(0);
        if k % 24 < 6 {
            assert_eq!(
                r.offered, from_log,
                "{}: only the log's calls at night",
                r.interval_start
            );
        } else {
            let generated = r.offered as f64 - from_log as f64;
            let z = (generated - 60.0) / 60f64.sqrt();
            assert!(
                z.abs() < 5.0,
                "{}: {generated} generated calls",
                r.interval_start
            );
            z2.push(z * z);
        }
    }
    // E[z²] = 1, Var(z²) = 2 + 1/60.
    let n = z2.len() as f64;
    let mean = z2.iter().sum::<f64>() / n;
    assert!(
        (mean - 1.0).abs() < 4.0 * ((2.0 + 1.0 / 60.0) / n).sqrt(),
        "mean z² {mean}"
    );
    // With the default mode ("replace") the log is all there is.
    let replace = arrivals.replace("\nreplay_mode = \"add\"", "");
    let s = write(dir.path(), "replace.toml", &ample_center(7, &replace));
    let rows = all_rows(&hotline::scenario::load(&s).unwrap());
    for (k, r) in rows.iter().enumerate() {
        assert_eq!(r.offered, logged.get(&k).copied().unwrap_or(0));
    }
}
