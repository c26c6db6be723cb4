//! The staffing math (`hotline::erlang`) against independent computations, published table
//! values, properties, large-c log-space references, and the `hotline erlang` CLI.
//!
//! References used here are computed independently of the library: exact rational birth–death
//! sums (num-rational) with first-step analysis for the per-caller outcome, uniformization of
//! the per-caller absorbing chain for service levels, and log-space state probabilities.

use hotline::erlang::{
    self, ErlangError, Figures, Load, Model, ServiceLevelTarget, Targets, erlang_a, erlang_b,
    erlang_c, erlang_c_figures, finite_lines, required_agents,
};
use hotline::time::Seconds;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Tolerances and helpers

/// The accuracy the module promises.
pub(crate) const REL: f64 = 1e-9;

pub(crate) fn rel_err(got: f64, want: f64) -> f64 {
    if want == 0.0 {
        got.abs()
    } else {
        ((got - want) / want).abs()
    }
}

#[track_caller]
pub(crate) fn assert_close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        got.is_finite() && rel_err(got, want) <= tol,
        "{what}: got {got:e}, want {want:e} (rel err {:e})",
        rel_err(got, want)
    );
}

pub(crate) type Q = BigRational;

pub(crate) fn q(n: i64, d: i64) -> Q {
    Q::new(BigInt::from(n), BigInt::from(d))
}

pub(crate) fn qi(n: u64) -> Q {
    Q::from_integer(BigInt::from(n))
}

pub(crate) fn f(x: &Q) -> f64 {
    x.to_f64().expect("a finite rational")
}

pub(crate) fn sl_target(fraction: f64, threshold: f64) -> Targets {
    Targets {
        service_level: Some(ServiceLevelTarget {
            fraction,
            threshold: Seconds(threshold),
        }),
        ..Targets::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Exact rational references

/// Erlang B from its definition (aᶜ/c!) / Σ aᵏ/k!, exactly.
pub(crate) fn exact_erlang_b(c: u64, a: &Q) -> Q {
    let mut term = Q::one();
    let mut sum = Q::one();
    for k in 1..=c {
        term = term * a / qi(k);
        sum += &term;
    }
    term / sum
}

/// Erlang C from its definition: P(N ≥ c) in M/M/c, exactly.
pub(crate) fn exact_erlang_c(c: u64, a: &Q) -> Q {
    let mut term = Q::one();
    let mut below = Q::zero();
    for k in 0..c {
        below += &term;
        term = term * a / qi(k + 1);
    }
    // term = aᶜ/c!; the queue states add aᶜ/c! · Σ ρᵏ = aᶜ/c! · c/(c − a).
    let waiting = term * qi(c) / (qi(c) - a);
    &waiting / (below + &waiting)
}

/// Exact figures of the birth–death chain with abandonment rate θ (may be 0 with finite lines),
/// with `lines_above_c` = N − c queue places, or without a line limit truncated where the
/// weights are below 1e-34 of state c.
pub(crate) struct Exact {
    pub(crate) p_wait: f64,
    pub(crate) p_blocked: f64,
    pub(crate) p_abandon: f64,
    pub(crate) asa: f64,
    pub(crate) mean_wait: f64,
    pub(crate) occupancy: f64,
    /// π_{c+k} for the admitted k: the state an arriving waiting call finds.
    pub(crate) pi_wait: Vec<f64>,
}

pub(crate) fn exact_birth_death(
    lambda: &Q,
    mu: &Q,
    theta: &Q,
    c: u64,
    lines_above_c: Option<u64>,
) -> Exact {
    let finite = lines_above_c.is_some();
    let mut w = vec![Q::one()];
    let mut n = 0;
    loop {
        if lines_above_c.is_some_and(|k| n == c + k) {
            break;
        }
        // without a line limit, stop once a state weighs < 1e-34 of state c and the weights fall
        if !finite && n > c + 2 && f(&(&w[n as usize] / &w[c as usize])) < 1e-34 {
            break;
        }
        n += 1;
        let death = if n <= c {
            qi(n) * mu
        } else {
            qi(c) * mu + qi(n - c) * theta
        };
        let next = &w[(n - 1) as usize] * lambda / death;
        w.push(next);
    }
    let top = n;
    let z: Q = w.iter().fold(Q::zero(), |s, x| s + x);
    let pi: Vec<Q> = w.iter().map(|x| x / &z).collect();
    let admitted_top = if finite { top } else { top + 1 }; // states an arrival may enter from
    let cmu = qi(c) * mu;
    // First-step analysis of one caller that finds j callers ahead: from j, leave at rate
    // cμ + (j+1)θ; to j−1 (or to an agent from 0) at cμ + jθ, abandon at θ.
    // s_j = P(served), m_j = E[wait; served].
    let mut p_wait = Q::zero();
    let mut answered = Q::zero();
    let mut served_wait = Q::zero();
    let mut s_prev = Q::one();
    let mut m_prev = Q::zero();
    let mut pi_wait = Vec::new();
    for n in c..admitted_top {
        let j = n - c;
        let out = &cmu + qi(j + 1) * theta;
        let forward = &cmu + qi(j) * theta;
        let s = &forward / &out * &s_prev;
        let m = &s / &out + &forward / &out * &m_prev;
        p_wait += &pi[n as usize];
        answered += &pi[n as usize] * &s;
        served_wait += &pi[n as usize] * &m;
        pi_wait.push(f(&pi[n as usize]));
        s_prev = s;
        m_prev = m;
    }
    let below: Q = pi[..c as usize].iter().fold(Q::zero(), |s, x| s + x);
    answered += &below;
    let queue: Q = (c..=top).fold(Q::zero(), |s, n| s + qi(n - c) * &pi[n as usize]);
    let p_blocked = if finite {
        pi[top as usize].clone()
    } else {
        Q::zero()
    };
    let a = lambda / mu;
    Exact {
        p_wait: f(&p_wait),
        p_blocked: f(&p_blocked),
        p_abandon: f(&(theta * &queue / lambda)),
        asa: f(&(served_wait / &answered)),
        mean_wait: f(&(&queue / (lambda * (Q::one() - &p_blocked)))),
        occupancy: f(&(a * answered / qi(c))),
        pi_wait,
    }
}

/// Per-caller outcome by time t by uniformization of the absorbing chain (states: j ahead,
/// served, abandoned): (P(served by t), P(still waiting at t)). Independent of the library's
/// negative-binomial closed form.
pub(crate) fn uniformized_caller(k: u64, cmu: f64, theta: f64, t: f64) -> (f64, f64) {
    let n_states = (k + 1) as usize;
    let big = cmu + (k as f64 + 1.0) * theta;
    let mut v = vec![0.0; n_states];
    v[k as usize] = 1.0;
    let mut served = 0.0;
    let mean = big * t;
    let mut weight = (-mean).exp();
    let (mut served_by_t, mut waiting_at_t) = (0.0, 0.0);
    let mut cumulative = 0.0;
    let mut n = 0u64;
    loop {
        served_by_t += weight * served;
        waiting_at_t += weight * v.iter().sum::<f64>();
        cumulative += weight;
        if (1.0 - cumulative < 1e-16 && n as f64 > mean) || n > 100_000 {
            break;
        }
        // one step of the uniformized chain
        let mut next = vec![0.0; n_states];
        for j in 0..n_states {
            let forward = (cmu + j as f64 * theta) / big;
            let stay = 1.0 - (cmu + (j as f64 + 1.0) * theta) / big;
            next[j] += v[j] * stay;
            if j == 0 {
                served += v[0] * forward;
            } else {
                next[j - 1] += v[j] * forward;
            }
        }
        v = next;
        n += 1;
        weight *= mean / n as f64;
    }
    (served_by_t, waiting_at_t)
}

/// Service levels from exact state probabilities and uniformization.
pub(crate) fn uniformized_service_levels(
    exact: &Exact,
    cmu: f64,
    theta: f64,
    t: f64,
) -> (f64, f64) {
    let p_no_wait = 1.0 - exact.p_wait - exact.p_blocked;
    let mut within = p_no_wait;
    let mut waiting = 0.0;
    for (k, pi) in exact.pi_wait.iter().enumerate() {
        let (s, w) = uniformized_caller(k as u64, cmu, theta, t);
        within += pi * s;
        waiting += pi * w;
    }
    (within, within / (within + waiting))
}

#[track_caller]
pub(crate) fn assert_matches_exact(got: &Figures, want: &Exact, tol: f64) {
    assert_close("p_wait", got.p_wait, want.p_wait, tol);
    assert_close("p_blocked", got.p_blocked, want.p_blocked, tol);
    assert_close("p_abandon", got.p_abandon, want.p_abandon, tol);
    assert_close("asa", got.asa.0, want.asa, tol);
    assert_close("mean_wait", got.mean_wait.0, want.mean_wait, tol);
    assert_close("occupancy", got.occupancy, want.occupancy, tol);
}

// ---------------------------------------------------------------------------------------------
// Exact rational comparisons

#[test]
fn erlang_b_matches_exact_rationals_for_small_and_medium_c() {
    for (c, num, den) in [
        (1u64, 1i64, 2i64),
        (3, 2, 1),
        (10, 5, 1),
        (25, 97, 4),
        (60, 2_999, 50),
        (150, 1_499, 10),
    ] {
        let a = q(num, den);
        let want = f(&exact_erlang_b(c, &a));
        assert_close(
            &format!("B({c}, {})", f(&a)),
            erlang_b(c as u32, f(&a)).unwrap(),
            want,
            1e-13,
        );
    }
}

#[test]
fn erlang_c_matches_exact_rationals_for_small_and_medium_c() {
    for (c, num, den) in [
        (1u64, 1i64, 2i64),
        (3, 2, 1),
        (12, 23, 2),
        (40, 3_996, 100),
        (150, 14_985, 100),
    ] {
        let a = q(num, den);
        let want = f(&exact_erlang_c(c, &a));
        assert_close(
            &format!("C({c}, {})", f(&a)),
            erlang_c(c as u32, f(&a)).unwrap(),
            want,
            1e-12,
        );
    }
}

#[test]
fn erlang_c_service_level_and_asa_follow_from_the_exact_wait_probability() {
    // 11.5 erlangs on 12 agents, AHT 180 s: SL = 1 − C·e^{−(c−a)t/h}, ASA = C·h/(c − a).
    let c_exact = f(&exact_erlang_c(12, &q(23, 2)));
    let load = Load::new(11.5 / 180.0, Seconds(180.0)).unwrap();
    let fig = erlang_c_figures(load, 12, Seconds(20.0)).unwrap();
    assert_close(
        "SL",
        fig.service_level,
        1.0 - c_exact * (-0.5 * 20.0 / 180.0f64).exp(),
        REL,
    );
    assert_close("ASA", fig.asa.0, c_exact * 180.0 / 0.5, REL);
    assert_close("occupancy", fig.occupancy, 11.5 / 12.0, 1e-15);
}

#[test]
fn erlang_a_matches_exact_rationals_and_uniformization() {
    /// (c, λ per s as a fraction, h in s, patience in s, threshold in s)
    type Case = (u64, (i64, i64), i64, i64, f64);
    let cases: [Case; 4] = [
        (1, (1, 200), 180, 60, 20.0),
        (5, (1, 20), 90, 60, 20.0),
        (12, (23, 360), 180, 300, 20.0),
        (30, (7, 36), 180, 120, 30.0), // overloaded: a = 35 on 30 agents
    ];
    for (c, (ln, ld), h, patience, t) in cases {
        let lambda = q(ln, ld);
        let mu = q(1, h);
        let theta = q(1, patience);
        let exact = exact_birth_death(&lambda, &mu, &theta, c, None);
        let load = Load::new(f(&lambda), Seconds(h as f64)).unwrap();
        let got = erlang_a(load, c as u32, Seconds(patience as f64), Seconds(t)).unwrap();
        assert_matches_exact(&got, &exact, REL);
        let cmu = c as f64 / h as f64;
        let (sl, sl2) = uniformized_service_levels(&exact, cmu, 1.0 / patience as f64, t);
        assert_close("service_level", got.service_level, sl, REL);
        assert_close(
            "service_level_excl_early_abandons",
            got.service_level_excl_early_abandons,
            sl2,
            REL,
        );
    }
}

#[test]
fn finite_lines_match_exact_rationals_with_and_without_patience() {
    // 8 agents, 14 lines, 9 erlangs offered (overloaded: fine with finite lines).
    let (lambda, mu) = (q(1, 20), q(1, 180));
    let load = Load::new(1.0 / 20.0, Seconds(180.0)).unwrap();
    for patience in [None, Some(240i64)] {
        let theta = patience.map_or(Q::zero(), |p| q(1, p));
        let exact = exact_birth_death(&lambda, &mu, &theta, 8, Some(6));
        let got = finite_lines(
            load,
            8,
            14,
            patience.map(|p| Seconds(p as f64)),
            Seconds(20.0),
        )
        .unwrap();
        assert_matches_exact(&got, &exact, REL);
        let (sl, sl2) = uniformized_service_levels(&exact, 8.0 / 180.0, f(&theta), 20.0);
        assert_close("service_level", got.service_level, sl, REL);
        assert_close(
            "service_level_excl_early_abandons",
            got.service_level_excl_early_abandons,
            sl2,
            REL,
        );
    }
}

#[test]
fn finite_lines_with_as_many_lines_as_agents_block_like_erlang_b() {
    let load = Load::new(1.0 / 20.0, Seconds(180.0)).unwrap();
    let got = finite_lines(load, 8, 8, Some(Seconds(60.0)), Seconds(20.0)).unwrap();
    assert_close(
        "P(blocked)",
        got.p_blocked,
        f(&exact_erlang_b(8, &qi(9))),
        1e-13,
    );
    assert_eq!(got.p_wait, 0.0);
}

// ---------------------------------------------------------------------------------------------
// Published examples

#[test]
fn erlang_b_matches_textbook_table_values() {
    // Erlang B tables (e.g. Cooper, "Introduction to Queueing Theory", 2nd ed. 1981,
    // Table I; any teletraffic table): 10 trunks at 5 erlangs block 1.84%; 5 trunks at
    // 2 erlangs block 3.67%. Table precision is 4 decimals; the exact rational values
    // (checked above) are 0.018384… and 0.036697….
    assert!((erlang_b(10, 5.0).unwrap() - 0.0184).abs() < 5e-5);
    assert!((erlang_b(5, 2.0).unwrap() - 0.0367).abs() < 5e-5);
    assert_close("B(5, 2)", erlang_b(5, 2.0).unwrap(), 4.0 / 109.0, 1e-14);
}

#[test]
fn erlang_c_matches_textbook_example_three_agents_two_erlangs() {
    // M/M/3 with λ = 2, μ = 1 (a classic worked example, e.g. Gross & Harris, "Fundamentals of
    // Queueing Theory", M/M/c section): P(wait) = 4/9 and mean wait Wq = C/(cμ − λ) = 4/9.
    // Both values follow exactly from the definition (see the rational test above).
    let load = Load::new(2.0, Seconds(1.0)).unwrap();
    let fig = erlang_c_figures(load, 3, Seconds(0.0)).unwrap();
    assert_close("P(wait)", fig.p_wait, 4.0 / 9.0, 1e-15);
    assert_close("Wq", fig.asa.0, 4.0 / 9.0, 1e-15);
    assert_close(
        "SL at t = 0 is P(no wait)",
        fig.service_level,
        5.0 / 9.0,
        1e-15,
    );
}

#[test]
fn erlang_a_with_patience_equal_to_handle_time_is_an_infinite_server_queue() {
    // With θ = μ the number in system is Poisson(a) whatever c (M/M/∞ in disguise; Garnett,
    // Mandelbaum & Reiman 2002 note this special case), so P(wait) = P(Poisson(a) ≥ c).
    let load = Load::new(0.05, Seconds(100.0)).unwrap(); // a = 5
    let got = erlang_a(load, 4, Seconds(100.0), Seconds(20.0)).unwrap();
    let below: f64 = (0..4)
        .map(|n| (-5.0f64).exp() * 5f64.powi(n) / (1..=n).product::<i32>().max(1) as f64)
        .sum();
    assert_close("P(wait)", got.p_wait, 1.0 - below, 1e-12);
}

// ---------------------------------------------------------------------------------------------
// Large c against a log-space reference

/// ln of the stationary weights relative to state 0, states 0..=top.
fn log_weights(lambda: f64, cmu_per_agent: f64, c: u64, theta: f64, top: u64) -> Vec<f64> {
    let mut lw = vec![0.0];
    for n in 1..=top {
        let death = if n <= c {
            n as f64 * cmu_per_agent
        } else {
            c as f64 * cmu_per_agent + (n - c) as f64 * theta
        };
        lw.push(lw[(n - 1) as usize] + (lambda / death).ln());
    }
    lw
}

fn log_sum_exp(xs: &[f64]) -> f64 {
    let m = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    m + xs.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

#[test]
fn erlang_b_and_c_at_ten_and_twenty_thousand_agents_match_log_space() {
    for c in [10_000u64, 20_000] {
        let a = 0.999 * c as f64;
        let lw = log_weights(a, 1.0, c, 0.0, c);
        let lz = log_sum_exp(&lw);
        let b_ref = (lw[c as usize] - lz).exp();
        let b = erlang_b(c as u32, a).unwrap();
        assert_close("B", b, b_ref, REL);
        // C = (aᶜ/c!)·c/(c−a) / (Σ_{k<c} aᵏ/k! + aᶜ/c!·c/(c−a))
        let lq = lw[c as usize] + (c as f64 / (c as f64 - a)).ln();
        let lbelow = log_sum_exp(&lw[..c as usize]);
        let c_ref = 1.0 / (1.0 + (lbelow - lq).exp());
        let got = erlang_c(c as u32, a).unwrap();
        assert_close("C", got, c_ref, REL);
        let fig = erlang_c_figures(
            Load::new(a / 180.0, Seconds(180.0)).unwrap(),
            c as u32,
            Seconds(20.0),
        )
        .unwrap();
        for x in [fig.p_wait, fig.service_level, fig.asa.0, fig.occupancy] {
            assert!(x.is_finite() && x >= 0.0);
        }
    }
}

#[test]
fn erlang_a_at_ten_and_twenty_thousand_agents_matches_log_space() {
    let h = 180.0;
    let patience = 300.0;
    let t = 20.0;
    for c in [10_000u64, 20_000] {
        for load_factor in [0.999, 1.02] {
            let a = load_factor * c as f64;
            let lambda = a / h;
            let mu = 1.0 / h;
            let theta = 1.0 / patience;
            let cmu = c as f64 * mu;
            // states until the weights are 1e-40 below their peak
            let mut lw = log_weights(lambda, mu, c, theta, c);
            let peak_guess = lw.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let mut n = c;
            loop {
                n += 1;
                let last = lw[(n - 1) as usize] + (lambda / (cmu + (n - c) as f64 * theta)).ln();
                lw.push(last);
                let peak = lw.iter().cloned().fold(peak_guess, f64::max);
                if last < peak - 92.0 && lambda < cmu + (n - c) as f64 * theta {
                    break;
                }
            }
            let lz = log_sum_exp(&lw);
            let pi = |n: u64| (lw[n as usize] - lz).exp();
            let top = lw.len() as u64 - 1;
            let p_wait: f64 = (c..=top).map(pi).sum();
            let queue: f64 = (c..=top).map(|n| (n - c) as f64 * pi(n)).sum();
            let below: f64 = (0..c).map(pi).sum();
            // served-within-t through the negative-binomial pmf built in log space
            let u = -(-theta * t).exp_m1();
            let beta = cmu / theta;
            let mut ln_d = -(cmu + theta) * t;
            let mut cdf = ln_d.exp();
            let mut answered = below;
            let mut served_wait = 0.0;
            let mut harmonic = 0.0;
            let mut within = below;
            for k in 0..=(top - c) {
                let g = cmu / (cmu + (k as f64 + 1.0) * theta);
                harmonic += 1.0 / (cmu + (k as f64 + 1.0) * theta);
                let p = pi(c + k);
                answered += p * g;
                served_wait += p * g * harmonic;
                within += p * g * (1.0 - cdf).max(0.0);
                let i = k as f64 + 1.0;
                ln_d += (u * (i + beta) / i).ln();
                cdf += ln_d.exp();
            }
            let got = erlang_a(
                Load::new(lambda, Seconds(h)).unwrap(),
                c as u32,
                Seconds(patience),
                Seconds(t),
            )
            .unwrap();
            let label = format!("c = {c}, a = {a}");
            assert_close(&format!("{label}: p_wait"), got.p_wait, p_wait, REL);
            assert_close(
                &format!("{label}: p_abandon"),
                got.p_abandon,
                theta * queue / lambda,
                REL,
            );
            assert_close(
                &format!("{label}: asa"),
                got.asa.0,
                served_wait / answered,
                REL,
            );
            assert_close(
                &format!("{label}: service_level"),
                got.service_level,
                within,
                REL,
            );
            for x in [
                got.service_level_excl_early_abandons,
                got.mean_wait.0,
                got.occupancy,
            ] {
                assert!(x.is_finite() && x > 0.0, "{label}: {got:?}");
            }
        }
    }
}

#[test]
fn erlang_a_survives_heavy_overload_without_overflow() {
    // 20,000 agents, twice the load, patience 20 min: the queue weights peak near e^{+10⁵}.
    let load = Load::new(40_000.0 / 180.0, Seconds(180.0)).unwrap();
    let got = erlang_a(load, 20_000, Seconds(1200.0), Seconds(20.0)).unwrap();
    // Half the calls must abandon for the agents to keep up: P(abandon) → 1 − c/a = 0.5.
    assert!((got.p_abandon - 0.5).abs() < 1e-3, "{got:?}");
    assert!(got.p_wait > 0.999 && got.p_wait <= 1.0);
    assert!(got.service_level.is_finite() && got.service_level >= 0.0);
}

// ---------------------------------------------------------------------------------------------
// Inverse problems

#[test]
fn required_agents_for_80_in_20_at_fifty_erlangs_is_56() {
    // 1000 calls/h × 3 min = 50 erlangs. Exactly: SL(55) = 0.779…, SL(56) = 0.841….
    let load = Load::per_hour(1000.0, Seconds(180.0)).unwrap();
    let sl =
        |c: u64| 1.0 - f(&exact_erlang_c(c, &qi(50))) * (-((c - 50) as f64) * 20.0 / 180.0).exp();
    assert!(sl(55) < 0.8 && sl(56) >= 0.8);
    assert_eq!(
        required_agents(Model::ErlangC, load, &sl_target(0.8, 20.0)).unwrap(),
        56
    );
}

#[test]
fn targets_combine_and_the_strictest_wins() {
    let load = Load::per_hour(1000.0, Seconds(180.0)).unwrap();
    let mut targets = sl_target(0.8, 20.0);
    targets.max_occupancy = Some(0.85); // needs ⌈50/0.85⌉ = 59
    assert_eq!(required_agents(Model::ErlangC, load, &targets).unwrap(), 59);
    let asa_only = Targets {
        max_asa: Some(Seconds(10.0)),
        ..Targets::default()
    };
    let c = required_agents(Model::ErlangC, load, &asa_only).unwrap();
    assert!(erlang_c_figures(load, c, Seconds(0.0)).unwrap().asa.0 <= 10.0);
    assert!(erlang_c_figures(load, c - 1, Seconds(0.0)).unwrap().asa.0 > 10.0);
}

#[test]
fn abandonment_target_is_met_by_the_smallest_staffing() {
    let load = Load::per_hour(1000.0, Seconds(180.0)).unwrap();
    let model = Model::ErlangA {
        patience: Seconds(120.0),
    };
    let targets = Targets {
        max_abandon: Some(0.05),
        ..Targets::default()
    };
    let c = required_agents(model, load, &targets).unwrap();
    let ab = |c| {
        erlang_a(load, c, Seconds(120.0), Seconds(20.0))
            .unwrap()
            .p_abandon
    };
    assert!(ab(c) <= 0.05 && ab(c - 1) > 0.05, "c = {c}");
}

#[test]
fn solver_refuses_bad_targets() {
    let load = Load::per_hour(100.0, Seconds(180.0)).unwrap();
    assert!(matches!(
        required_agents(Model::ErlangC, load, &Targets::default()),
        Err(ErlangError::NoTarget)
    ));
    assert!(matches!(
        required_agents(Model::ErlangC, load, &sl_target(1.2, 20.0)),
        Err(ErlangError::TargetOutOfRange { .. })
    ));
    let abandon = Targets {
        max_abandon: Some(0.1),
        ..Targets::default()
    };
    assert!(matches!(
        required_agents(Model::ErlangC, load, &abandon),
        Err(ErlangError::AbandonNeedsPatience)
    ));
}

#[test]
fn bad_inputs_are_errors_not_nan() {
    assert!(Load::new(-1.0, Seconds(10.0)).is_err());
    assert!(Load::new(1.0, Seconds(0.0)).is_err());
    assert!(Load::new(f64::INFINITY, Seconds(10.0)).is_err());
    let load = Load::new(1.0, Seconds(10.0)).unwrap();
    assert!(matches!(
        erlang_c_figures(load, 10, Seconds(5.0)),
        Err(ErlangError::Unstable { .. })
    ));
    assert!(erlang_a(load, 10, Seconds(0.0), Seconds(5.0)).is_err());
    assert!(erlang_a(load, 10, Seconds(5.0), Seconds(-1.0)).is_err());
    assert!(erlang_a(load, 0, Seconds(5.0), Seconds(1.0)).is_err());
    assert!(finite_lines(load, 10, 9, None, Seconds(1.0)).is_err());
    assert!(erlang_b(3, f64::NAN).is_err());
}

// ---------------------------------------------------------------------------------------------
// Properties

fn load_strategy() -> impl Strategy<Value = (u32, f64, f64)> {
    // (agents, load as a fraction of agents, handle time in s)
    (1u32..400, 0.05f64..0.999, 10.0f64..900.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn service_level_rises_with_agents((c, rho, h) in load_strategy(), t in 0.0f64..120.0, patience in 5.0f64..3600.0) {
        let load = Load::new(rho * c as f64 / h, Seconds(h)).unwrap();
        let c0 = erlang_c_figures(load, c, Seconds(t)).unwrap();
        let c1 = erlang_c_figures(load, c + 1, Seconds(t)).unwrap();
        prop_assert!(c1.service_level >= c0.service_level - 1e-12);
        let a0 = erlang_a(load, c, Seconds(patience), Seconds(t)).unwrap();
        let a1 = erlang_a(load, c + 1, Seconds(patience), Seconds(t)).unwrap();
        prop_assert!(a1.service_level >= a0.service_level - 1e-12, "{a0:?} {a1:?}");
    }

    #[test]
    fn probabilities_stay_in_the_unit_interval((c, rho, h) in load_strategy(), overload in 0.5f64..3.0, t in 0.0f64..600.0, patience in 5.0f64..3600.0) {
        let load = Load::new(overload * rho * c as f64 / h, Seconds(h)).unwrap();
        let a = erlang_a(load, c, Seconds(patience), Seconds(t)).unwrap();
        for x in [a.p_wait, a.p_abandon, a.service_level, a.service_level_excl_early_abandons, a.occupancy] {
            prop_assert!((0.0..=1.0 + 1e-12).contains(&x), "{a:?}");
        }
        prop_assert!(a.asa.0.is_finite() && a.asa.0 >= 0.0);
        if let Ok(cf) = erlang_c_figures(load, c, Seconds(t)) {
            prop_assert!((0.0..=1.0).contains(&cf.p_wait) && (0.0..=1.0).contains(&cf.service_level));
        }
    }

    #[test]
    fn erlang_a_waits_less_often_than_erlang_c((c, rho, h) in load_strategy(), patience in 5.0f64..3600.0) {
        let load = Load::new(rho * c as f64 / h, Seconds(h)).unwrap();
        let pa = erlang_a(load, c, Seconds(patience), Seconds(20.0)).unwrap().p_wait;
        let pc = erlang_c(c, load.erlangs()).unwrap();
        prop_assert!(pa <= pc * (1.0 + 1e-12), "A {pa} > C {pc}");
    }

    #[test]
    fn solver_returns_the_smallest_staffing(erlangs in 0.1f64..300.0, h in 30.0f64..600.0, fraction in 0.3f64..0.99, t in 0.0f64..60.0, patience in 10.0f64..1800.0) {
        let load = Load::new(erlangs / h, Seconds(h)).unwrap();
        let targets = sl_target(fraction, t);
        let meets = |model: Model, c: u32| -> bool {
            c >= 1 && erlang::evaluate(model, load, c, Seconds(t)).is_ok_and(|f| targets.met_by(&f))
        };
        for model in [Model::ErlangC, Model::ErlangA { patience: Seconds(patience) }] {
            let c = required_agents(model, load, &targets).unwrap();
            prop_assert!(meets(model, c), "{model:?}: {c} does not meet");
            prop_assert!(!meets(model, c - 1), "{model:?}: {} also meets", c - 1);
        }
    }
}
