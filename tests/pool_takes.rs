//! Pools' routing tables (`[[pool.takes]] queue, priority, after`).
//!
//! - Against an exact result: queues a (λ_a) and b (λ_b), exponential handle times of mean 1/μ
//!   for both, no abandonment. Pool `pa` (2 agents) takes a; pool `pb` (2 agents) takes a and b,
//!   both at once (`after = 0`), a before b or b before a by priority. The state (callers
//!   waiting in a and in b, and the idle agents in the order they became idle, longest idle
//!   first — an arriving a caller goes to the longest idle of all, a b caller to pb's) is a
//!   continuous-time Markov chain, solved here by Gauss–Seidel on a truncated state space; each
//!   queue's mean wait is E[callers waiting] / λ (Little). The simulated mean waits (over
//!   replications) are checked within Z standard errors, and the other order's exact value
//!   lies more than Z + 2 standard errors away.
//! - `after` is honoured: no call of a is answered by `pb` before it waited `after`.
//! - Shorthands: `serves` / `secondary` / `overflow_after` give the same bytes as the table
//!   they expand to.

use std::collections::HashMap;

use crate::support::*;
use hotline::engine::simulate;
use hotline::scenario::{Model, QueueId};
use hotline::stats::IntervalRow;

const A_PER_HOUR: f64 = 50.0;
const B_PER_HOUR: f64 = 30.0;
const AHT_S: f64 = 120.0;
const AGENTS: u32 = 2;
const DAYS: u32 = 28;

/// The two-pool scenario; `pb_rows` are `pb`'s `[[pool.takes]]` rows.
fn scenario(pb_rows: &str, extra: &str) -> String {
    let share_a = A_PER_HOUR / (A_PER_HOUR + B_PER_HOUR);
    format!(
        r#"
[scenario]
name = "two-pools"
days = {DAYS}
interval = "1h"
seed = 5

[arrivals]
calls_per_hour = {total}

{extra}

[[queue]]
name = "a"
handle_time = {{ dist = "exponential", mean = "{AHT_S}s" }}

[[queue]]
name = "b"
handle_time = {{ dist = "exponential", mean = "{AHT_S}s" }}

[ivr]
start = "menu"

[[ivr.node]]
name = "menu"
duration = "0s"
options = [
  {{ key = "1", label = "a", p = {share_a}, queue = "a" }},
  {{ key = "2", label = "b", p = {share_b}, queue = "b" }},
]

[[pool]]
name = "pa"
serves = ["a"]
agents = {AGENTS}

[[pool]]
name = "pb"
serves = ["b"]
agents = {AGENTS}
{pb_rows}
"#,
        total = A_PER_HOUR + B_PER_HOUR,
        share_b = 1.0 - share_a,
    )
}

fn model(text: &str) -> Model {
    hotline::scenario::parse(text, std::path::Path::new("two-pools.toml"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `pb` takes a before its own b (`a_first`), or b before a.
fn two_pools(a_first: bool) -> Model {
    let (pa, pb) = if a_first { (2, 1) } else { (1, 2) };
    model(&scenario(
        &format!(
            "[[pool.takes]]\nqueue = \"a\"\npriority = {pa}\n\n[[pool.takes]]\nqueue = \"b\"\npriority = {pb}\n"
        ),
        "",
    ))
}

/// Mean wait of the answered calls of `queue` over a run.
fn mean_wait(rows: &[IntervalRow], queue: &str) -> f64 {
    let r: Vec<&IntervalRow> = rows.iter().filter(|r| r.queue == queue).collect();
    let answered: u64 = r.iter().map(|r| r.answered).sum();
    sum(&r, |r| r.asa_s.unwrap_or(0.0) * r.answered as f64) / answered as f64
}

/// Per replication: (mean wait of a, mean wait of b), seconds.
fn simulated_waits(m: &Model, replications: u64) -> (Vec<f64>, Vec<f64>) {
    (0..replications)
        .map(|r| {
            let mut stats = simulate(m, r);
            let (rows, _) = stats.drain_rows();
            let rows: Vec<IntervalRow> = rows.collect();
            (mean_wait(&rows, "a"), mean_wait(&rows, "b"))
        })
        .unzip()
}

/// A state of the chain: callers waiting in a and in b, idle agents' pools (0 = pa, 1 = pb)
/// from the longest idle.
type State = (u32, u32, Vec<u8>);

/// Exact mean waits (a, b), seconds, of the two-pool system with `pb` taking a first or not.
/// Waiting lines are truncated at `cap` callers (arrivals beyond are dropped): at these loads
/// the probability of a line that long is far below the tolerances.
fn exact_waits(a_first: bool) -> (f64, f64) {
    let (la, lb, mu) = (A_PER_HOUR / 3600.0, B_PER_HOUR / 3600.0, 1.0 / AHT_S);
    let cap = 80;
    let start: State = (0, 0, vec![0, 0, 1, 1]);
    let mut index: HashMap<State, usize> = HashMap::from([(start.clone(), 0)]);
    let mut states = vec![start];
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    let mut i = 0;
    while i < states.len() {
        let (na, nb, idle) = states[i].clone();
        let mut next: Vec<(State, f64)> = Vec::new();
        // A caller of a: the longest-idle agent of either pool, else waits.
        if let Some((_, rest)) = idle.split_first() {
            next.push(((na, nb, rest.to_vec()), la));
        } else if na < cap {
            next.push(((na + 1, nb, idle.clone()), la));
        }
        // A caller of b: pb's longest-idle agent, else waits.
        if let Some(k) = idle.iter().position(|&p| p == 1) {
            let mut rest = idle.clone();
            rest.remove(k);
            next.push(((na, nb, rest), lb));
        } else if nb < cap {
            next.push(((na, nb + 1, idle.clone()), lb));
        }
        // Completions: a freed pa agent takes a's next caller or goes idle; a freed pb agent
        // takes its first queue's caller, else the other's, else goes idle.
        for pool in [0u8, 1] {
            let busy = AGENTS - idle.iter().filter(|&&p| p == pool).count() as u32;
            if busy == 0 {
                continue;
            }
            let rate = f64::from(busy) * mu;
            let order: &[u8] = match (pool, a_first) {
                (0, _) => &[0],
                (_, true) => &[0, 1],
                (_, false) => &[1, 0],
            };
            let to = match order.iter().find(|&&q| [na, nb][q as usize] > 0) {
                Some(0) => (na - 1, nb, idle.clone()),
                Some(_) => (na, nb - 1, idle.clone()),
                None => {
                    let mut more = idle.clone();
                    more.push(pool);
                    (na, nb, more)
                }
            };
            next.push((to, rate));
        }
        for (s, rate) in next {
            let j = *index.entry(s.clone()).or_insert_with(|| {
                states.push(s);
                states.len() - 1
            });
            edges.push((i, j, rate));
        }
        i += 1;
    }
    let n = states.len();
    let mut out = vec![0.0; n];
    let mut incoming: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(from, to, rate) in &edges {
        out[from] += rate;
        incoming[to].push((from, rate));
    }
    // Gauss–Seidel on πQ = 0: π_j · out_j = Σ_i π_i q_ij, renormalised each sweep.
    let mut pi = vec![1.0 / n as f64; n];
    for sweep in 0.. {
        let mut change: f64 = 0.0;
        for j in 0..n {
            let v = incoming[j].iter().map(|&(i, r)| pi[i] * r).sum::<f64>() / out[j];
            change = change.max((v - pi[j]).abs());
            pi[j] = v;
        }
        let total: f64 = pi.iter().sum();
        pi.iter_mut().for_each(|p| *p /= total);
        if change < 1e-14 {
            break;
        }
        assert!(sweep < 200_000, "Gauss–Seidel did not converge");
    }
    let tail: f64 = states
        .iter()
        .zip(&pi)
        .filter(|((na, nb, _), _)| *na >= cap - 5 || *nb >= cap - 5)
        .map(|(_, p)| p)
        .sum();
    assert!(tail < 1e-9, "truncation too tight: {tail}");
    let mean = |f: fn(&State) -> u32| -> f64 {
        states
            .iter()
            .zip(&pi)
            .map(|(s, p)| f64::from(f(s)) * p)
            .sum()
    };
    (mean(|s| s.0) / la, mean(|s| s.1) / lb)
}

#[test]
fn a_helper_pool_taking_the_other_queue_first_or_last_matches_its_markov_chain() {
    let exact_a_first = exact_waits(true);
    let exact_b_first = exact_waits(false);
    for (a_first, exact, other) in [
        (true, exact_a_first, exact_b_first),
        (false, exact_b_first, exact_a_first),
    ] {
        let (wa, wb) = simulated_waits(&two_pools(a_first), 10);
        for (name, values, want, neighbour) in
            [("a", &wa, exact.0, other.0), ("b", &wb, exact.1, other.1)]
        {
            let (mean, se) = batch_mean(values);
            eprintln!(
                "pb takes {} first: mean wait of {name} {mean:.3} ± {se:.3} s, exact {want:.3} s (other order {neighbour:.3} s)",
                if a_first { "a" } else { "b" }
            );
            assert!(
                (neighbour - want).abs() > (Z + 2.0) * se,
                "{name}: the two orders are too close for this standard error ({se})"
            );
            assert!(
                (mean - want).abs() < Z * se,
                "{name}: simulated {mean:.4} ± {se:.4} s (1 se), exact {want:.4} s"
            );
        }
    }
}

/// Records every answered call as (queue, wait, handle time).
#[derive(Default)]
struct Answers(Vec<(QueueId, f64, f64)>);

impl hotline::stats::Observer for Answers {
    fn arrive(&mut self, _: f64, _: bool) -> hotline::stats::Tag {
        0
    }
    fn ivr_end(&mut self, _: hotline::stats::Tag, _: hotline::ivr::IvrEnd) {}
    fn offer(&mut self, _: hotline::stats::Tag, _: QueueId, _: bool) {}
    fn answer(&mut self, _: hotline::stats::Tag, q: QueueId, wait_s: f64, handle_s: f64) {
        self.0.push((q, wait_s, handle_s));
    }
    fn abandon(&mut self, _: hotline::stats::Tag, _: QueueId, _: f64) {}
    fn queue_changed(&mut self, _: f64, _: QueueId, _: u32) {}
    fn pool_changed(&mut self, _: f64, _: hotline::scenario::PoolId, _: hotline::stats::PoolState) {
    }
    fn interval_boundary(&mut self, _: f64, _: bool) {}
    fn still_in_system(&mut self, _: hotline::stats::Tag, _: Option<QueueId>) {}
    fn blocked(&mut self, _: hotline::stats::Tag) {}
    fn closed(&mut self, _: hotline::stats::Tag, _: QueueId, _: bool) {}
}

fn answers(m: &Model) -> Vec<(QueueId, f64, f64)> {
    let key = hotline::random::StreamKey::new(m.seed, 0);
    let arrivals = hotline::arrivals::ScenarioArrivals::new(m, key).unwrap();
    let mut engine = hotline::engine::Engine::new(
        m,
        arrivals,
        hotline::routing::LongestIdleOldestCall,
        Answers::default(),
        key,
    );
    engine.run();
    engine.into_observer().0
}

#[test]
fn a_pool_takes_no_call_before_its_after() {
    // Handle times are deterministic (2 minutes) and `pb` works a's calls at twice that, so a
    // call's handle time says which pool answered it. pb takes a's calls, that waited 12 s,
    // before its own.
    let text = scenario(
        "handle_time_factor = { a = 2.0 }\n\n[[pool.takes]]\nqueue = \"a\"\npriority = 2\nafter = \"12s\"\n\n[[pool.takes]]\nqueue = \"b\"\npriority = 1\n",
        "",
    )
    .replace(
        &format!("{{ dist = \"exponential\", mean = \"{AHT_S}s\" }}"),
        "\"2m\"",
    );
    let all = answers(&model(&text));
    let by_pb: Vec<f64> = all
        .iter()
        .filter(|(q, _, h)| *q == QueueId(0) && *h > 200.0)
        .map(|(_, w, _)| *w)
        .collect();
    let by_pa = all
        .iter()
        .filter(|(q, _, h)| *q == QueueId(0) && *h < 200.0)
        .count();
    eprintln!("a's calls: {} by pb, {by_pa} by pa", by_pb.len());
    assert!(
        by_pb.len() > 500,
        "pb took only {} of a's calls",
        by_pb.len()
    );
    let shortest = by_pb.iter().copied().fold(f64::MAX, f64::min);
    assert!(
        shortest >= 12.0,
        "pb answered a call of a after {shortest} s"
    );
    // Some are taken exactly at the delay (the timer), the rest by freed pb agents later.
    let at_delay = by_pb.iter().filter(|&&w| w == 12.0).count();
    assert!(at_delay > 50, "{at_delay} answered at 12 s");
}

/// The bytes `hotline simulate` writes for `text`, file by file.
fn outputs(text: &str) -> Vec<(String, Vec<u8>)> {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.toml", text);
    let out = d.path().join("out");
    let o = hotline()
        .args([
            "simulate",
            s.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".csv"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_shorthands_give_the_same_bytes_as_the_table_they_expand_to() {
    // `secondary` with `overflow_after` under the overflow policy: own queues at priority 1,
    // helper queues at priority 0 after the delay.
    let shorthand = scenario(
        "secondary = [\"a\"]\noverflow_after = \"20s\"\n",
        "[routing]\npolicy = \"overflow\"\n",
    );
    let table = scenario(
        "[[pool.takes]]\nqueue = \"b\"\npriority = 1\n\n[[pool.takes]]\nqueue = \"a\"\npriority = 0\nafter = \"20s\"\n",
        "[routing]\npolicy = \"overflow\"\n",
    );
    let (s, t) = (outputs(&shorthand), outputs(&table));
    assert!(s.len() >= 3, "{} files", s.len());
    assert!(s == t, "the table's outputs differ from the shorthand's");
    // Under fifo the same shorthand takes a at once, like the flat table.
    let fifo = shorthand.replace("policy = \"overflow\"", "policy = \"fifo\"");
    let flat = scenario(
        "[[pool.takes]]\nqueue = \"b\"\n\n[[pool.takes]]\nqueue = \"a\"\n",
        "",
    );
    let f = outputs(&fifo);
    assert!(
        f == outputs(&flat),
        "fifo's shorthand differs from the flat table"
    );
    // And the delay matters: the two runs differ.
    assert!(f != s, "the delay changed nothing");
}

/// `file:line:column` of the first `needle` in `text` written as `bad.toml`.
fn at(text: &str, needle: &str) -> String {
    let i = text.find(needle).unwrap_or_else(|| panic!("no `{needle}`"));
    let line = text[..i].matches('\n').count() + 1;
    let column = i - text[..i].rfind('\n').map_or(0, |n| n + 1) + 1;
    format!("bad.toml:{line}:{column}")
}

#[test]
fn bad_tables_are_refused_at_the_row_and_field() {
    let row = |body: &str| scenario(&format!("[[pool.takes]]\nqueue = \"b\"\n\n{body}"), "");
    let unknown = row("[[pool.takes]]\nqueue = \"zz\"\n");
    refused(
        &unknown,
        &[
            &at(&unknown, "\"zz\""),
            "pool[1].takes[1].queue",
            "unknown queue `zz`",
        ],
    );
    let twice = scenario(
        "[[pool.takes]]\nqueue = \"b\"\n\n[[pool.takes]]\nqueue = \"a\"\n\n[[pool.takes]]\nqueue = \"a\" # again\n",
        "",
    );
    refused(
        &twice,
        &[
            &at(&twice, "\"a\" # again"),
            "pool[1].takes[2].queue",
            "already in this pool's table (takes[1])",
        ],
    );
    let negative = row("[[pool.takes]]\nqueue = \"a\"\nafter = \"-5s\"\n");
    refused(
        &negative,
        &[&at(&negative, "\"-5s\""), "pool[1].takes[1].after"],
    );
    let absurd = row("[[pool.takes]]\nqueue = \"a\"\nafter = \"36h\"\n");
    refused(
        &absurd,
        &[
            &at(&absurd, "\"36h\""),
            "pool[1].takes[1].after",
            "at most 24h",
        ],
    );
    let priority = row("[[pool.takes]]\nqueue = \"a\"\npriority = 2000000\n");
    refused(
        &priority,
        &[&at(&priority, "2000000"), "pool[1].takes[1].priority"],
    );
    // A pool's own queue missing from its table, and the shorthand beside the table.
    let missing = scenario("[[pool.takes]]\nqueue = \"a\"\n", "");
    refused(
        &missing,
        &[
            &at(&missing, "\"b\"]\nagents"),
            "pool[1].serves[0]",
            "not in its `takes` table",
        ],
    );
    let mixed = scenario("secondary = [\"a\"]\n\n[[pool.takes]]\nqueue = \"b\"\n", "");
    refused(
        &mixed,
        &[
            &at(&mixed, "[\"a\"]\n\n[[pool.takes"),
            "pool[1].secondary",
            "shorthand",
        ],
    );
    let delay = scenario(
        "overflow_after = \"5s\"\n\n[[pool.takes]]\nqueue = \"b\"\n",
        "",
    );
    refused(
        &delay,
        &[&at(&delay, "\"5s\""), "pool[1].overflow_after", "shorthand"],
    );
}

#[test]
fn check_prints_every_pools_table() {
    let d = tempfile::tempdir().unwrap();
    let shorthand = scenario(
        "secondary = [\"a\"]\noverflow_after = \"20s\"\n",
        "[routing]\npolicy = \"overflow\"\n",
    );
    let s = write(d.path(), "s.toml", &shorthand);
    let o = hotline()
        .args(["check", s.to_str().unwrap()])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("takes          a (priority 1, at once)\n"),
        "pa's table:\n{out}"
    );
    assert!(
        out.contains("takes          b (priority 1, at once), a (priority 0, after 20s)"),
        "pb's table:\n{out}"
    );
}

#[test]
fn the_bundled_skills_scenario_routes_the_same_with_its_table_written_out() {
    // The frontline's `secondary` + `overflow_after` under `overflow`, with random agent
    // choice, first-free drops and a queue cut off at closing, against the table it expands to.
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/skills-routing.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find("secondary = [\"cards\", \"loans\"]").unwrap();
    let end = start + text[start..].find("handle_time_factor").unwrap();
    let written = format!(
        "{}{}\n[[pool.takes]]\nqueue = \"deposits\"\npriority = 1\n\n[[pool.takes]]\nqueue = \"cards\"\npriority = 0\nafter = \"30s\"\n\n[[pool.takes]]\nqueue = \"loans\"\npriority = 0\nafter = \"30s\"\n",
        &text[..start],
        &text[end..],
    );
    assert!(
        outputs(&text) == outputs(&written),
        "the written table routes differently"
    );
}
