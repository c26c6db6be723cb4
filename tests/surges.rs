//! Surges mean what they say (issue 9): a `peak_multiplier` aimed at a queue or IVR node
//! multiplies that target's normal inflow, aimed nowhere the whole center's; the expected calls
//! (`arrivals.csv`, `staff`, `check`) are the closed form, and the simulation realises them.

use crate::support::*;
use hotline::arrivals::expected_calls;
use hotline::engine::simulate;
use hotline::scenario::{ArrivalProfile, Model, QueueForecast, QueueId};

/// 1,000 calls/h all day; main: 30 % → cards_menu, 50 % → general, 20 % self-service;
/// cards_menu: 80 % → cards, 20 % hang-up. Normal card calls: 1000 × 0.3 × 0.8 = 240/h.
/// No IVR time, so a call enters its queue in the interval it arrives. `SURGE` is appended.
const CENTER: &str = r#"
[scenario]
name = "surge"
days = 1
interval = "30m"
seed = 5

[arrivals]
calls_per_hour = 1000

[[queue]]
name = "general"
handle_time = { dist = "exponential", mean = "3m" }

[[queue]]
name = "cards"
handle_time = { dist = "exponential", mean = "3m" }

[[pool]]
name = "agents"
serves = ["general", "cards"]
agents = 200

[ivr]
start = "main"

[[ivr.node]]
name = "main"
options = [
  { key = "1", p = 0.3, node = "cards_menu" },
  { key = "2", p = 0.5, queue = "general" },
  { key = "3", p = 0.2, end = "self_service" },
]

[[ivr.node]]
name = "cards_menu"
options = [
  { key = "1", p = 0.8, queue = "cards" },
  { p = 0.2, end = "hang_up" },
]
"#;

/// A plateau (no ramp, no decay) from 10:00 to 11:00 on day 1.
fn with_surge(target: &str, multiplier: f64) -> String {
    format!(
        "{CENTER}\n[[surge]]\nname = \"outage\"\nday = 1\nat = \"10:00\"\nduration = \"1h\"\n\
         peak_multiplier = {multiplier:?}\n{target}\n"
    )
}

fn model(text: &str) -> Model {
    hotline::scenario::parse(text, std::path::Path::new("surge.toml")).unwrap()
}

/// Expected calls per queue in [from, from + 30 min).
fn expected_at(m: &Model, hour: f64) -> Vec<f64> {
    expected_calls(m, hour * 3600.0, hour * 3600.0 + 1800.0).0
}

/// `m` with a forecast of 60 card calls per half hour, all day, on top of the base profile.
fn with_card_forecast(mut m: Model) -> Model {
    m.extras.forecasts.push(QueueForecast {
        queue: QueueId(CARDS as u32),
        profile: ArrivalProfile {
            segment_s: 1800.0,
            rate_per_s: vec![60.0 / 1800.0; 48],
        },
        handle_scale: Vec::new(),
    });
    m
}

const GENERAL: usize = 0;
const CARDS: usize = 1;

#[test]
fn three_times_on_the_cards_menu_is_three_times_the_card_calls() {
    // Regression (issue 9): ×3 on the cards menu added 2 × the whole center's rate there,
    // 120 → 920 card calls per half hour instead of 360.
    let m = model(&with_surge("ivr_node = \"cards_menu\"", 3.0));
    let normal = expected_at(&m, 9.0);
    let surged = expected_at(&m, 10.0);
    assert!((normal[CARDS] - 120.0).abs() < 1e-9, "{normal:?}");
    assert!(
        (surged[CARDS] - 3.0 * normal[CARDS]).abs() < 1e-9,
        "{} card calls in the surge vs {} normally",
        surged[CARDS],
        normal[CARDS]
    );
    assert!((surged[GENERAL] - normal[GENERAL]).abs() < 1e-9);
}

#[test]
fn a_multiplier_on_a_queue_multiplies_that_queue_forecast_included() {
    let m = with_card_forecast(model(&with_surge("queue = \"cards\"", 2.5)));
    let normal = expected_at(&m, 9.0);
    let surged = expected_at(&m, 10.0);
    assert!((normal[CARDS] - 180.0).abs() < 1e-9, "{normal:?}");
    assert!((surged[CARDS] - 2.5 * 180.0).abs() < 1e-9, "{surged:?}");
    assert!((surged[GENERAL] - normal[GENERAL]).abs() < 1e-9);
}

#[test]
fn a_multiplier_aimed_nowhere_multiplies_every_queue_of_the_center() {
    let m = with_card_forecast(model(&with_surge("", 2.0)));
    let normal = expected_calls(&m, 9.0 * 3600.0, 9.5 * 3600.0);
    let surged = expected_calls(&m, 10.0 * 3600.0, 10.5 * 3600.0);
    for q in [GENERAL, CARDS] {
        assert!(
            (surged.0[q] - 2.0 * normal.0[q]).abs() < 1e-9,
            "queue {q}: {} vs {}",
            surged.0[q],
            normal.0[q]
        );
    }
    assert!((surged.1 - 2.0 * normal.1).abs() < 1e-9);
    // The realised calls per queue follow: the surge's parts enter where their calls do.
    assert_realised(&m);
}

/// Over `REPS` replications, each queue's calls in the two surge intervals against the closed
/// form: a Poisson count, so within 5 standard deviations (chance of a false alarm ≈ 6e-7).
fn assert_realised(m: &Model) {
    const REPS: u64 = 40;
    let expected: Vec<f64> = (0..2)
        .map(|q| {
            (0..2)
                .map(|k| expected_at(m, 10.0 + 0.5 * f64::from(k))[q])
                .sum::<f64>()
                * REPS as f64
        })
        .collect();
    let mut seen = [0u64; 2];
    for rep in 0..REPS {
        let mut stats = simulate(m, rep);
        let (rows, _) = stats.drain_rows();
        for r in rows.filter(|r| (10.0 * 3600.0..11.0 * 3600.0).contains(&r.interval_start_s)) {
            match r.queue.as_str() {
                "general" => seen[GENERAL] += r.offered,
                "cards" => seen[CARDS] += r.offered,
                _ => {}
            }
        }
    }
    for q in [GENERAL, CARDS] {
        let z = (seen[q] as f64 - expected[q]) / expected[q].sqrt();
        assert!(
            z.abs() < 5.0,
            "queue {q}: {} calls realised, {:.0} expected (z = {z:.2})",
            seen[q],
            expected[q]
        );
    }
}

#[test]
fn the_simulation_realises_the_card_surge_of_the_closed_form() {
    let m = model(&with_surge("ivr_node = \"cards_menu\"", 3.0));
    // 2 × 360 card calls per replication in the surge hour: the old reading (920 per half
    // hour) is 27 standard deviations away over 40 replications.
    assert_realised(&m);
}

#[test]
fn a_multiplier_on_a_target_without_calls_is_refused() {
    let text = with_surge("queue = \"cards\"", 3.0).replace(
        "{ key = \"1\", p = 0.8, queue = \"cards\" }",
        "{ key = \"1\", p = 0.8, end = \"hang_up\" }",
    );
    let e = hotline::scenario::parse(&text, std::path::Path::new("surge.toml")).unwrap_err();
    assert_eq!(e.field, "surge[0].peak_multiplier");
    assert!(e.message.contains("extra_calls"), "{}", e.message);
}

#[test]
fn check_prints_each_surges_extra_calls_and_its_targets_peak_rate() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "surge.toml",
        &with_surge("ivr_node = \"cards_menu\"", 3.0),
    );
    let out = hotline().arg("check").arg(&path).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    // 1 h × 2 × 300 calls/h reaching cards_menu; peak 3 × 300.
    assert!(text.contains("+600 expected calls"), "{text}");
    assert!(text.contains("peak 900 calls/h"), "{text}");
    assert!(text.contains("(normal 300 calls/h)"), "{text}");
    // The cards queue's busiest interval is the surge's: 360 calls per half hour × 3 min.
    let cards = text.split("Queue cards").nth(1).unwrap();
    assert!(
        cards.contains("36.0 erlangs at the busiest interval (d1 Mon 10:00)"),
        "{cards}"
    );
}
