//! `[center] agent_choice = "random"` and `"by_pool_rank"` against exact values of a loss
//! system: one queue served by pool A (1 agent) and pool B (2 agents), Poisson calls at λ,
//! exponential handle times of mean 1/μ, 3 lines (a call finding the 3 busy is blocked, so
//! nobody waits: M/M/3/3), offered load ρ = λ/μ = 2 erlangs.
//!
//! - `random`: every idle agent is equally likely, and all have the same handle times, so the
//!   three agents are exchangeable and each carries a third of the carried load ρ·(1 − B(3, ρ))
//!   (Erlang B): pool A's mean busy agents = ρ(1 − B)/3, pool B's twice that.
//! - `by_pool_rank`: A is written first, so an arriving call goes to A whenever A is idle. The
//!   state (A busy?, B's busy agents) is a continuous-time Markov chain with 6 states, solved
//!   here: A's mean busy agents = P(A busy).
//!
//! Each figure is checked within Z standard errors over replications, and the other rule's
//! exact value lies more than Z + 2 standard errors away.

use crate::support::*;
use hotline::engine::simulate;
use hotline::scenario::{AgentChoice, Model, Pool, QueueId};

const PER_HOUR: f64 = 40.0;
const AHT_S: f64 = 180.0;
const DAYS: u32 = 14;

fn two_pools(choice: AgentChoice) -> Model {
    let mut m = one_queue(PER_HOUR, AHT_S, None, 1, DAYS);
    m.pools[0].name = "a".into();
    m.pools.push(Pool {
        name: "b".into(),
        serves: vec![QueueId(0)],
        secondary: Vec::new(),
        overflow_after_s: 0.0,
        headcount: vec![2; 7 * 24],
        handle_time_factor: Vec::new(),
        takes: Vec::new(),
    });
    m.center.lines = Some(3);
    m.center.agent_choice = choice;
    m
}

/// Mean busy agents of pool `pool` over the run, one value per replication.
fn busy(choice: AgentChoice, pool: &str, replications: u64) -> Vec<f64> {
    busy_in(&two_pools(choice), pool, replications)
}

fn busy_in(model: &Model, pool: &str, replications: u64) -> Vec<f64> {
    (0..replications)
        .map(|r| {
            let mut stats = simulate(model, r);
            let (_, pools) = stats.drain_rows();
            let rows: Vec<f64> = pools
                .filter(|p| p.pool == pool)
                .map(|p| p.agents_busy)
                .collect();
            rows.iter().sum::<f64>() / rows.len() as f64
        })
        .collect()
}

fn rho() -> f64 {
    PER_HOUR * AHT_S / 3600.0
}

fn random_exact_a() -> f64 {
    let rho = rho();
    rho * (1.0 - erlang_b(3, rho)) / 3.0
}

/// Stationary distribution of a CTMC with `n` states and transitions (from, to, rate): πQ = 0
/// with Σπ = 1, by Gaussian elimination with partial pivoting.
fn stationary(n: usize, moves: &[(usize, usize, f64)]) -> Vec<f64> {
    // Rows: balance equations (Qᵀ), the last replaced by the normalisation.
    let mut a = vec![vec![0.0; n + 1]; n];
    for &(i, j, r) in moves {
        a[j][i] += r;
        a[i][i] -= r;
    }
    a[n - 1] = vec![1.0; n + 1];
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))
            .unwrap();
        a.swap(col, piv);
        let pivot = a[col].clone();
        for (row, r) in a.iter_mut().enumerate() {
            if row != col {
                let f = r[col] / pivot[col];
                for (x, p) in r.iter_mut().zip(&pivot).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    (0..n).map(|i| a[i][n] / a[i][i]).collect()
}

/// P(A busy) under `by_pool_rank`; states a·3 + b (A busy?, B busy agents).
fn by_rank_exact_a() -> f64 {
    let (lambda, mu) = (PER_HOUR, 3600.0 / AHT_S);
    let s = |a: usize, b: usize| a * 3 + b;
    let mut moves = Vec::new();
    for a in 0..2 {
        for b in 0..3 {
            if a == 0 {
                moves.push((s(a, b), s(1, b), lambda));
            } else if b < 2 {
                moves.push((s(a, b), s(a, b + 1), lambda));
            }
            if a == 1 {
                moves.push((s(a, b), s(0, b), mu));
            }
            if b > 0 {
                moves.push((s(a, b), s(a, b - 1), b as f64 * mu));
            }
        }
    }
    let pi = stationary(6, &moves);
    pi[3..].iter().sum()
}

fn check(name: &str, values: &[f64], exact: f64, other: f64) {
    let (mean, se) = batch_mean(values);
    eprintln!("{name}: {mean:.4} ± {se:.4}, exact {exact:.4} (other rule {other:.4})");
    assert!((other - exact).abs() > (Z + 2.0) * se, "se {se} too large");
    assert!(
        (mean - exact).abs() < Z * se,
        "{name}: {mean:.4} ± {se:.4}, exact {exact:.4}"
    );
}

#[test]
fn the_chain_solver_gives_erlang_b_for_the_loss_system() {
    // The same chain with A's and B's agents pooled: P(3 busy) is Erlang B.
    let (lambda, mu) = (PER_HOUR, 3600.0 / AHT_S);
    let moves: Vec<_> = (0..3)
        .flat_map(|k| [(k, k + 1, lambda), (k + 1, k, (k + 1) as f64 * mu)])
        .collect();
    let pi = stationary(4, &moves);
    assert!((pi[3] - erlang_b(3, rho())).abs() < 1e-12);
}

#[test]
fn random_choice_gives_each_agent_the_same_share() {
    let (a, rank) = (random_exact_a(), by_rank_exact_a());
    check(
        "random, pool a",
        &busy(AgentChoice::Random, "a", 20),
        a,
        rank,
    );
    let b = busy(AgentChoice::Random, "b", 20);
    let (mean_b, se_b) = batch_mean(&b);
    assert!(
        (mean_b - 2.0 * a).abs() < Z * se_b,
        "pool b: {mean_b} ± {se_b}, exact {}",
        2.0 * a
    );
}

#[test]
fn by_pool_rank_sends_callers_to_the_first_pool_written() {
    let (rank, a) = (by_rank_exact_a(), random_exact_a());
    check(
        "by_pool_rank, pool a",
        &busy(AgentChoice::ByPoolRank, "a", 20),
        rank,
        a,
    );
}

#[test]
fn the_agent_choice_does_not_change_the_callers() {
    // Common random numbers: the choice draws from its own stream, so every rule sees the
    // same arrivals (offered calls per interval), and the draws of patience and handle time
    // stay each caller's own.
    let offered = |choice| {
        let mut s = simulate(&two_pools(choice), 3);
        let (rows, _) = s.drain_rows();
        rows.filter(|r| r.queue == "all")
            .map(|r| r.offered)
            .collect::<Vec<_>>()
    };
    let base = offered(AgentChoice::LongestIdle);
    assert_eq!(offered(AgentChoice::Random), base);
    assert_eq!(offered(AgentChoice::ByPoolRank), base);
}

/// P(A busy) under `random` when A's agent works twice as fast (`handle_time_factor = 0.5`):
/// an arrival in state (a, b) goes to A with probability (1 − a)/i and to B with (2 − b)/i,
/// i = the idle agents; A ends a call at rate 2μ, B at b·μ.
fn random_fast_a_exact() -> f64 {
    let (lambda, mu) = (PER_HOUR, 3600.0 / AHT_S);
    let s = |a: usize, b: usize| a * 3 + b;
    let mut moves = Vec::new();
    for a in 0..2 {
        for b in 0..3 {
            let idle = (1 - a) + (2 - b);
            if idle > 0 {
                if a == 0 {
                    moves.push((s(a, b), s(1, b), lambda / idle as f64));
                }
                if b < 2 {
                    moves.push((s(a, b), s(a, b + 1), lambda * (2 - b) as f64 / idle as f64));
                }
            }
            if a == 1 {
                moves.push((s(a, b), s(0, b), 2.0 * mu));
            }
            if b > 0 {
                moves.push((s(a, b), s(a, b - 1), b as f64 * mu));
            }
        }
    }
    let pi = stationary(6, &moves);
    pi[3..].iter().sum()
}

#[test]
fn random_choice_with_a_faster_pool_matches_its_markov_chain() {
    let model = {
        let mut m = two_pools(AgentChoice::Random);
        m.pools[0].handle_time_factor = vec![0.5];
        m
    };
    let values = busy_in(&model, "a", 20);
    check(
        "random, pool a twice as fast",
        &values,
        random_fast_a_exact(),
        random_exact_a(),
    );
}
