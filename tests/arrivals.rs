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
