//! How a transferred caller moves on (`[[queue.transfer]]` `at`, `consult`, `conference`,
//! `when_busy`), each against an exact result: a consult and a conference with disconnection
//! when no specialist is free reduce to birth–death chains solved here (independently of the
//! engine), and the moment of a blind transfer (end of talk or after wrap-up) is read off the
//! specialists' pool with deterministic times.

use std::collections::HashMap;

use crate::support::*;
use hotline::dist::Dist;
use hotline::engine::{Engine, simulate};
use hotline::ivr::IvrEnd;
use hotline::random::StreamKey;
use hotline::routing::LongestIdleOldestCall;
use hotline::scenario::{Handoff, Model, QueueId, Transfer, WhenBusy};
use hotline::stats::{Observer, PoolState, Tag};

/// `front` (λ per minute, exponential talk `talk_min`, `front_agents`, no patience) hands
/// `share` of its answered calls to `spec` (no callers of its own, exponential talk
/// `spec_talk_min`, `spec_agents`) by `handoff`, disconnecting when no specialist is free.
fn center(
    per_min: f64,
    talk_min: f64,
    (front_agents, spec_agents): (u32, u32),
    spec_talk_min: f64,
    share: f64,
    handoff: Handoff,
    days: u32,
) -> Model {
    let mut m = one_queue(per_min * 60.0, talk_min * 60.0, None, front_agents, days);
    m.queues[0].name = "front".into();
    let talk = Dist::exponential(spec_talk_min * 60.0).unwrap();
    add_specialists(&mut m, talk, None, None, spec_agents);
    m.extras.transfers = vec![
        vec![Transfer {
            handoff,
            when_busy: WhenBusy::Disconnect,
            ..Transfer::blind(QueueId(1), share)
        }],
        Vec::new(),
    ];
    m
}

/// A continuous-time Markov chain over states `S`, built from a transition function and
/// solved by Gauss–Seidel on the balance equations.
struct Chain<S> {
    states: Vec<S>,
    /// Incoming transitions per state: (from, rate).
    into: Vec<Vec<(usize, f64)>>,
    out_rate: Vec<f64>,
}

impl<S: Copy + Eq + std::hash::Hash> Chain<S> {
    fn build(start: S, moves: impl Fn(S) -> Vec<(S, f64)>) -> Self {
        let mut index = HashMap::from([(start, 0)]);
        let mut states = vec![start];
        let mut edges = Vec::new();
        let mut k = 0;
        while k < states.len() {
            for (to, rate) in moves(states[k]) {
                let next = states.len();
                let j = *index.entry(to).or_insert(next);
                if j == next {
                    states.push(to);
                }
                edges.push((k, j, rate));
            }
            k += 1;
        }
        let mut into = vec![Vec::new(); states.len()];
        let mut out_rate = vec![0.0; states.len()];
        for (a, b, r) in edges {
            if a != b {
                into[b].push((a, r));
                out_rate[a] += r;
            }
        }
        Chain {
            states,
            into,
            out_rate,
        }
    }

    /// The stationary distribution.
    fn solve(&self) -> Vec<f64> {
        let n = self.states.len();
        let mut p = vec![1.0 / n as f64; n];
        for _ in 0..100_000 {
            let mut moved: f64 = 0.0;
            for s in 0..n {
                let inflow: f64 = self.into[s].iter().map(|&(a, r)| p[a] * r).sum();
                let v = inflow / self.out_rate[s];
                moved = moved.max((v - p[s]).abs());
                p[s] = v;
            }
            let total: f64 = p.iter().sum();
            p.iter_mut().for_each(|v| *v /= total);
            if moved < 1e-14 {
                return p;
            }
        }
        panic!("the chain did not settle");
    }

    fn mean(&self, p: &[f64], f: impl Fn(S) -> f64) -> f64 {
        self.states.iter().zip(p).map(|(&s, &w)| f(s) * w).sum()
    }
}

/// Callers waiting in front's line beyond which the chains are cut (their probability there is
/// below 1e-20 at the loads used).
const MAX_WAITING: u32 = 250;

/// Figures of one replication: front's mean wait (minutes), the share of front's answered
/// calls disconnected on the way to spec, the specialists' occupancy and the share of front's
/// answered calls ended after a consult (`consults`).
fn figures(m: &Model, r: u64) -> [f64; 4] {
    let mut stats = simulate(m, r);
    let (_, pools) = stats.drain_rows();
    let pools: Vec<_> = pools.collect();
    let summary = stats.summary();
    let (front, spec) = (&summary[0], &summary[1]);
    let busy: f64 = pools
        .iter()
        .filter(|p| p.pool == "specialists")
        .map(|p| p.agents_busy)
        .sum();
    let present: f64 = pools
        .iter()
        .filter(|p| p.pool == "specialists")
        .map(|p| p.agents_present)
        .sum();
    [
        front.wait_mean_s.unwrap() / 60.0,
        spec.disconnected as f64 / front.answered as f64,
        busy / present,
        front.consults.map_or(0.0, |c| c as f64) / front.answered as f64,
    ]
}

fn check(m: &Model, exact: &[f64]) {
    let runs: Vec<[f64; 4]> = (0..24).map(|r| figures(m, r)).collect();
    let names = [
        "front mean wait, min",
        "disconnected share",
        "spec occupancy",
        "consulted share",
    ];
    for (i, name) in names.iter().take(exact.len()).enumerate() {
        let values: Vec<f64> = runs.iter().map(|f| f[i]).collect();
        let (mean, se) = batch_mean(&values);
        eprintln!("{name}: {mean:.5} ± {se:.5}, exact {:.5}", exact[i]);
        assert!(
            (mean - exact[i]).abs() < Z * se,
            "{name}: simulated {mean:.5} ± {se:.5}, exact {:.5}",
            exact[i]
        );
    }
}

/// A consult: at the end of front's talk, with probability s the agent consults a free
/// specialist for an exponential time (caller on hold), then the call ends; with every
/// specialist busy the caller is disconnected. State (talking, consulting, waiting).
#[test]
fn a_consult_matches_its_markov_chain() {
    let (lambda, mu, theta, s, c1, c2) = (0.55, 1.0 / 4.0, 1.0 / 2.0, 0.3, 3u32, 1u32);
    let chain = Chain::build((0u32, 0u32, 0u32), |(i, j, w)| {
        let mut v = Vec::new();
        // One front agent frees: the next waiting caller starts talking.
        let free = |i: u32, j: u32, w: u32| {
            if w > 0 { (i, j, w - 1) } else { (i - 1, j, w) }
        };
        if i + j < c1 {
            v.push(((i + 1, j, w), lambda));
        } else if w < MAX_WAITING {
            v.push(((i, j, w + 1), lambda));
        }
        if i > 0 {
            let end = f64::from(i) * mu;
            v.push((free(i, j, w), end * (1.0 - s)));
            if j < c2 {
                v.push(((i - 1, j + 1, w), end * s));
            } else {
                v.push((free(i, j, w), end * s));
            }
        }
        if j > 0 {
            let next = if w > 0 {
                (i + 1, j - 1, w - 1)
            } else {
                (i, j - 1, w)
            };
            v.push((next, f64::from(j) * theta));
        }
        v
    });
    let p = chain.solve();
    let wait_min = chain.mean(&p, |(_, _, w)| f64::from(w)) / lambda;
    let talk_ends = chain.mean(&p, |(i, _, _)| f64::from(i) * mu);
    let cut = chain.mean(
        &p,
        |(i, j, _)| {
            if j == c2 { f64::from(i) * mu * s } else { 0.0 }
        },
    );
    let occupancy = chain.mean(&p, |(_, j, _)| f64::from(j)) / f64::from(c2);
    let consulted = talk_ends * s - cut;
    let consult = Handoff::Consult(Dist::exponential(60.0 / theta).unwrap());
    let m = center(lambda, 1.0 / mu, (c1, c2), 5.0, s, consult, 20);
    check(
        &m,
        &[wait_min, cut / talk_ends, occupancy, consulted / talk_ends],
    );
    // Power: front with no consult time at all waits far less.
    let blind_wait = {
        let rho = lambda / mu / f64::from(c1);
        erlang_c(c1, lambda / mu) / (f64::from(c1) * mu * (1.0 - rho))
    };
    assert!(blind_wait < 0.6 * wait_min, "{blind_wait} vs {wait_min}");
}

/// A conference: a free specialist joins for an exponential time, then front's agent leaves
/// and the specialist talks on for their own exponential time; with every specialist busy the
/// caller is disconnected. State (front talking, conferences, spec talking, waiting).
#[test]
fn a_conference_matches_its_markov_chain() {
    let (lambda, mu, theta, nu, s, c1, c2) =
        (0.5, 1.0 / 4.0, 1.0 / 1.5, 1.0 / 5.0, 0.35, 3u32, 2u32);
    let chain = Chain::build((0u32, 0u32, 0u32, 0u32), |(i, j, k, w)| {
        let mut v = Vec::new();
        let free = |i: u32, j: u32, k: u32, w: u32| {
            if w > 0 {
                (i, j, k, w - 1)
            } else {
                (i - 1, j, k, w)
            }
        };
        if i + j < c1 {
            v.push(((i + 1, j, k, w), lambda));
        } else if w < MAX_WAITING {
            v.push(((i, j, k, w + 1), lambda));
        }
        if i > 0 {
            let end = f64::from(i) * mu;
            v.push((free(i, j, k, w), end * (1.0 - s)));
            if j + k < c2 {
                v.push(((i - 1, j + 1, k, w), end * s));
            } else {
                v.push((free(i, j, k, w), end * s));
            }
        }
        if j > 0 {
            let next = if w > 0 {
                (i + 1, j - 1, k + 1, w - 1)
            } else {
                (i, j - 1, k + 1, w)
            };
            v.push((next, f64::from(j) * theta));
        }
        if k > 0 {
            v.push(((i, j, k - 1, w), f64::from(k) * nu));
        }
        v
    });
    let p = chain.solve();
    let wait_min = chain.mean(&p, |(_, _, _, w)| f64::from(w)) / lambda;
    let talk_ends = chain.mean(&p, |(i, _, _, _)| f64::from(i) * mu);
    let cut = chain.mean(&p, |(i, j, k, _)| {
        if j + k == c2 {
            f64::from(i) * mu * s
        } else {
            0.0
        }
    });
    let occupancy = chain.mean(&p, |(_, j, k, _)| f64::from(j + k)) / f64::from(c2);
    let conference = Handoff::Conference(Dist::exponential(60.0 / theta).unwrap());
    let m = center(lambda, 1.0 / mu, (c1, c2), 1.0 / nu, s, conference, 20);
    check(&m, &[wait_min, cut / talk_ends, occupancy]);
    // No consult: the column is not written.
    assert_eq!(simulate(&m, 0).summary()[0].consults, None);
    // Every conference leg is answered at once: spec never has a waiting caller.
    let summary = simulate(&m, 0).summary();
    let spec = &summary[1];
    assert_eq!(spec.offered, spec.transferred_in);
    assert_eq!(spec.answered + spec.disconnected, spec.offered);
    assert!(spec.answered > 1000 && spec.disconnected > 100);
    assert_eq!(spec.wait_mean_s, Some(0.0));
}

/// Records when each pool's busy count rises.
#[derive(Default)]
struct Rises {
    busy: [u32; 2],
    at: [Vec<f64>; 2],
}

impl Observer for Rises {
    fn arrive(&mut self, _: f64, _: bool) -> Tag {
        0
    }
    fn ivr_end(&mut self, _: Tag, _: IvrEnd) {}
    fn offer(&mut self, _: Tag, _: QueueId, _: bool) {}
    fn answer(&mut self, _: Tag, _: QueueId, _: f64, _: f64) {}
    fn abandon(&mut self, _: Tag, _: QueueId, _: f64) {}
    fn queue_changed(&mut self, _: f64, _: QueueId, _: u32) {}
    fn pool_changed(&mut self, t: f64, p: hotline::scenario::PoolId, s: PoolState) {
        let p = p.0 as usize;
        if s.busy > self.busy[p] {
            self.at[p].push(t);
        }
        self.busy[p] = s.busy;
    }
    fn interval_boundary(&mut self, _: f64, _: bool) {}
    fn still_in_system(&mut self, _: Tag, _: Option<QueueId>) {}
    fn blocked(&mut self, _: Tag) {}
    fn closed(&mut self, _: Tag, _: QueueId, _: bool) {}
}

/// Each specialist pick-up minus the front pick-up just before it, seconds.
fn handoff_delays(handoff: Handoff) -> Vec<f64> {
    let mut m = center(1.0 / 60.0, 1.0, (1, 1), 1.0, 1.0, handoff, 40);
    m.queues[0].handle_time = Dist::deterministic(100.0).unwrap();
    m.queues[0].wrap_up = Some(Dist::deterministic(30.0).unwrap());
    m.extras.transfers[0][0].when_busy = WhenBusy::Wait;
    let key = StreamKey::new(m.seed, 0);
    let arrivals = hotline::arrivals::ScenarioArrivals::new(&m, key).unwrap();
    let mut e = Engine::new(&m, arrivals, LongestIdleOldestCall, Rises::default(), key);
    e.run();
    let r = e.into_observer();
    r.at[1]
        .iter()
        .map(|&t| {
            let before = r.at[0].iter().rev().find(|&&f| f <= t).unwrap();
            t - before
        })
        .collect()
}

/// With one caller at a time (1 per hour, 100 s talk, 30 s wrap-up, everyone transferred),
/// the specialist picks up exactly 100 s after the front agent under `at = "end_of_talk"`
/// and 130 s after under `"after_wrap_up"`.
#[test]
fn a_blind_transfer_moves_at_the_end_of_talk_or_after_wrap_up_as_set() {
    for (handoff, want, other) in [
        (Handoff::EndOfTalk, 100.0, 130.0),
        (Handoff::AfterWrapUp, 130.0, 100.0),
    ] {
        let d = handoff_delays(handoff);
        let exact = d.iter().filter(|&&x| (x - want).abs() < 1e-6).count();
        let wrong = d.iter().filter(|&&x| (x - other).abs() < 1e-6).count();
        assert!(d.len() > 800, "{} transfers", d.len());
        // Overlapping callers (a second arrival within a call) make the rest.
        assert!(
            exact as f64 > 0.9 * d.len() as f64,
            "{exact} of {}",
            d.len()
        );
        assert_eq!(wrong, 0);
    }
}

fn with(extra: &str) -> String {
    format!(
        "[scenario]\nname = \"t\"\ndays = 1\n\n[arrivals]\ncalls_per_hour = 30\n\n\
         [[queue]]\nname = \"front\"\nhandle_time = \"3m\"\n\n\
         [[queue.transfer]]\nto = \"spec\"\nshare = 0.2\n{extra}\n\
         [[queue]]\nname = \"spec\"\nhandle_time = \"5m\"\n\n\
         [[pool]]\nname = \"a\"\nserves = [\"front\", \"spec\"]\nagents = 5\n"
    )
}

#[test]
fn bad_handoffs_are_refused_with_their_position() {
    refused(
        &with("at = \"later\""),
        &["bad.toml:15:6", "queue[0].transfer[0].at", "end_of_talk"],
    );
    refused(
        &with("consult = \"1m\"\nconference = \"2m\""),
        &[
            "bad.toml:16:14",
            "queue[0].transfer[0].conference",
            "not both",
        ],
    );
    refused(
        &with("conference = \"1m\"\nat = \"after_wrap_up\""),
        &["bad.toml:16:6", "queue[0].transfer[0].at", "end of talk"],
    );
    refused(
        &with("consult = \"0s\""),
        &["bad.toml:15:11", "queue[0].transfer[0].consult"],
    );
    refused(
        &with("when_busy = \"hang_up\""),
        &[
            "bad.toml:15:13",
            "queue[0].transfer[0].when_busy",
            "disconnect",
        ],
    );
}
