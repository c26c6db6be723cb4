//! Pools' routing tables (`[[pool.takes]]`, or the `serves` / `secondary` / `overflow_after`
//! shorthands expanded by [`crate::scenario::Pool::table`]): which POOL takes a call and which queue a freed
//! agent serves. Which CALLER of a queue is next stays the line's business (classes).
//!
//! Each row of a pool's table is (queue, priority, after). The rules, stated once in
//! docs/scenario-format.md ("Routing tables"):
//! - a freed agent takes, among the queues of its table whose next caller has waited at least
//!   the row's `after`, the one of **highest priority**; ties go to the caller who has waited
//!   longest, then to the row written first;
//! - an arriving caller of queue q goes to an idle agent of a pool whose table takes q with
//!   `after = 0`, chosen by `[center] agent_choice` ([`super::choice`]): `longest_idle` takes
//!   the longest idle, ties to the pool giving q the higher priority, then to the pool written
//!   first; `primary_first` looks at the pools with q in `serves` before the others;
//! - a waiting call reaching a row's `after` is answered at that moment if that pool has an
//!   idle agent (the engine's timer, `engine/overflow.rs`), chosen the same way among the
//!   pools it is now eligible for.
//!
//! [`Takes`] exists only when these rules differ from the flat ones (every row of every table
//! at one priority and `after = 0`, and no `primary_first` distinction to make): then the floor
//! keeps each pool's queues in `serves` and the default router runs untouched, so the fifo
//! path pays nothing.
//!
//! Lines are FIFO within a class, so a queue's next caller is its oldest (of its class): if it
//! is not yet eligible for a pool, no call of that queue is (with classes, the next caller by
//! class decides, as it did for `overflow_after`).

use crate::scenario::{AgentChoice, Model, PoolId, QueueId, Take};

use super::Floor;

/// A pool that takes one queue, as an arriving or newly eligible call reads it.
#[derive(Debug, Clone, Copy)]
struct Taker {
    pool: PoolId,
    after_s: f64,
    /// The queue is in the pool's `serves` (for `primary_first`).
    own: bool,
}

/// The pools' tables, indexed for the two decisions.
#[derive(Debug, Clone)]
pub struct Takes {
    /// Per pool: its rows, highest priority first (rows of one priority in table order).
    rows: Vec<Vec<Take>>,
    /// Per queue: the pools taking it, highest priority first, then in pool order.
    takers: Vec<Vec<Taker>>,
    /// Per queue: the distinct positive `after` values, ascending (the engine's timers).
    pub timers: Vec<Vec<f64>>,
    choice: AgentChoice,
}

/// Every pool's table under `model`'s policy, in pool order.
pub fn tables(model: &Model) -> Vec<Vec<Take>> {
    model
        .pools
        .iter()
        .map(|p| p.table(model.policy.overflow))
        .collect()
}

/// True when `tables` route like the flat router: every row at one priority with `after = 0`,
/// and (under `primary_first`) no pool taking a queue outside its `serves`.
pub fn is_flat(model: &Model, tables: &[Vec<Take>]) -> bool {
    let first = tables.iter().flatten().next().map_or(0, |t| t.priority);
    let uniform = tables
        .iter()
        .flatten()
        .all(|t| t.priority == first && t.after_s == 0.0);
    let helpers = model
        .pools
        .iter()
        .zip(tables)
        .any(|(p, t)| t.iter().any(|r| !p.serves.contains(&r.queue)));
    uniform && !(helpers && model.center.agent_choice == AgentChoice::PrimaryFirst)
}

impl Takes {
    /// The rules for `model`, or `None` when the flat router does the same thing.
    pub fn new(model: &Model) -> Option<Takes> {
        let tables = tables(model);
        if is_flat(model, &tables) {
            return None;
        }
        let rows = tables
            .iter()
            .map(|t| {
                let mut r = t.clone();
                // Stable: rows of one priority keep their table order (the last tie-break).
                r.sort_by_key(|r| std::cmp::Reverse(r.priority));
                r
            })
            .collect();
        let mut takers: Vec<Vec<(i64, Taker)>> = vec![Vec::new(); model.queues.len()];
        for (p, (pool, table)) in model.pools.iter().zip(&tables).enumerate() {
            for t in table {
                takers[t.queue.0 as usize].push((
                    t.priority,
                    Taker {
                        pool: PoolId(p as u32),
                        after_s: t.after_s,
                        own: pool.serves.contains(&t.queue),
                    },
                ));
            }
        }
        let timers = takers
            .iter()
            .map(|ts| {
                let mut d: Vec<f64> = Vec::new();
                for (_, t) in ts {
                    if t.after_s > 0.0 && !d.contains(&t.after_s) {
                        d.push(t.after_s);
                    }
                }
                d.sort_by(f64::total_cmp);
                d
            })
            .collect();
        let takers = takers
            .into_iter()
            .map(|mut ts| {
                // Stable: pools of one priority stay in pool order.
                ts.sort_by_key(|(priority, _)| std::cmp::Reverse(*priority));
                ts.into_iter().map(|(_, t)| t).collect()
            })
            .collect();
        Some(Takes {
            rows,
            takers,
            timers,
            choice: model.center.agent_choice,
        })
    }

    /// The idle agent (pool, position in its idle list) who takes a caller entering `q` now:
    /// among the pools taking `q` with `after = 0`, by the center's agent choice; `None` if none
    /// of them has an idle agent. `draw`: for `random`.
    #[inline]
    pub fn agent_for_caller(
        &self,
        floor: &Floor,
        q: QueueId,
        draw: impl FnOnce() -> f64,
    ) -> Option<(PoolId, usize)> {
        self.choose(floor, q, |t| t.after_s == 0.0, draw)
    }

    /// The idle agent who takes the next caller of `q`, who entered at `entered_at`, now that
    /// one of `q`'s delays has passed (the engine's timer): among the pools for which the caller
    /// has waited at least their `after` at `now`, by the center's agent choice.
    pub fn agent_for_waiting(
        &self,
        floor: &Floor,
        q: QueueId,
        entered_at: f64,
        now: f64,
        draw: impl FnOnce() -> f64,
    ) -> Option<(PoolId, usize)> {
        self.choose(floor, q, |t| entered_at + t.after_s <= now, draw)
    }

    /// The pool whose idle agent takes a caller entering `q` now, if any (its longest idle
    /// under `random` too: the router's pool-only question).
    pub fn pool_for_caller(&self, floor: &Floor, q: QueueId) -> Option<PoolId> {
        self.agent_for_caller(floor, q, || 0.0).map(|(p, _)| p)
    }

    /// [`Self::agent_for_caller`] and [`Self::agent_for_waiting`]: the center's agent choice
    /// among the takers of `q` that `eligible` admits, met in priority then pool order.
    #[inline]
    fn choose(
        &self,
        floor: &Floor,
        q: QueueId,
        eligible: impl Fn(&Taker) -> bool + Copy,
        draw: impl FnOnce() -> f64,
    ) -> Option<(PoolId, usize)> {
        let takers = self.takers[q.0 as usize]
            .iter()
            .filter(move |t| eligible(t));
        if self.choice.picks_agent() {
            return super::choice::pick_among(floor, self.choice, takers.map(|t| t.pool), draw);
        }
        if self.choice == AgentChoice::PrimaryFirst {
            let own = longest_idle(floor, takers.clone().filter(|t| t.own).map(|t| t.pool));
            if own.is_some() {
                return own.map(|p| (p, 0));
            }
        }
        longest_idle(floor, takers.map(|t| t.pool)).map(|p| (p, 0))
    }

    /// True if `at` is one of `q`'s timer instants for a call that entered at `entered_at`
    /// (a timer still meant for the caller now in its slot: lazy cancellation).
    pub fn is_timer_of(&self, q: QueueId, entered_at: f64, at: f64) -> bool {
        self.timers[q.0 as usize]
            .iter()
            .any(|&d| entered_at + d == at)
    }

    /// The queue whose next caller a freed agent of pool `p` takes, if any: priority groups in
    /// turn, the oldest eligible caller of the first group that has one (ties: the row first).
    fn queue_for_agent(&self, floor: &mut Floor, p: PoolId) -> Option<QueueId> {
        let rows = &self.rows[p.0 as usize];
        let now = floor.now;
        let mut best: Option<(f64, QueueId)> = None;
        let mut i = 0;
        while i < rows.len() {
            let priority = rows[i].priority;
            while i < rows.len() && rows[i].priority == priority {
                let r = rows[i];
                i += 1;
                if let Some(at) = floor.head_entered_at(r.queue) {
                    if at + r.after_s <= now && best.is_none_or(|(b, _)| at < b) {
                        best = Some((at, r.queue));
                    }
                }
            }
            if best.is_some() {
                break;
            }
        }
        best.map(|(_, q)| q)
    }
}

/// The pool of the longest-idle agent among `pools`; ties: the pool met first.
fn longest_idle(floor: &Floor, pools: impl Iterator<Item = PoolId>) -> Option<PoolId> {
    let mut best: Option<(f64, PoolId)> = None;
    for p in pools {
        if let Some(since) = floor.idle_since(p) {
            if best.is_none_or(|(b, _)| since < b) {
                best = Some((since, p));
            }
        }
    }
    best.map(|(_, p)| p)
}

/// [`Takes::queue_for_agent`] on the floor that holds the tables (taken out for the call, so
/// the floor can be borrowed mutably to drop abandoned heads).
pub fn queue_for_agent(floor: &mut Floor, p: PoolId) -> Option<QueueId> {
    let takes = floor.takes.take()?;
    let q = takes.queue_for_agent(floor, p);
    floor.takes = Some(takes);
    q
}
