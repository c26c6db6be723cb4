//! Which idle agent answers an arriving caller when `[center] agent_choice` is `random` or
//! `by_pool_rank` (the default `longest_idle` and `primary_first` live in the router and in
//! `takes.rs`). The eligible pools are those whose routing table takes the caller's queue at
//! once (`serves`, and helper rows with `after = "0s"`), counted highest priority first, then
//! in scenario order.
//!
//! - `random`: every idle agent of the eligible pools is equally likely. One uniform draw u of
//!   the caller's own agent-choice stream (`Purpose::AgentChoice`) picks agent ⌊u·n⌋ of the n
//!   idle ones, counted pool by pool (a higher priority for the queue first, then in scenario
//!   order; within a pool, longest idle first).
//!   Nothing is drawn when at most one agent is idle. The stream is the caller's, keyed like
//!   their patience and handle time, so two runs that differ only in the agent choice (or in
//!   staffing) still see the same callers: common random numbers as DESIGN.md describes.
//! - `by_pool_rank`: the longest-idle agent of the eligible pool written first in the
//!   scenario that has an idle agent.
//!
//! A freed agent still takes the call its pool's routing table gives it: the choice is only
//! among idle agents.

use super::Floor;
use crate::scenario::{AgentChoice, PoolId, QueueId};

/// The idle agent (pool, position in its idle list) who takes a caller entering `q` now.
/// (Flat routing tables: the pools serving `q`; with priorities or delays, [`super::takes`]
/// picks among the pools taking `q` at once, highest priority first.)
#[inline]
pub fn pick(floor: &Floor, q: QueueId, draw: impl FnOnce() -> f64) -> Option<(PoolId, usize)> {
    let pools = floor.pools_of_queue[q.0 as usize].iter().copied();
    pick_among(floor, floor.choice, pools, draw)
}

/// The idle agent `choice` picks among the idle agents of `pools` (each pool once).
pub fn pick_among(
    floor: &Floor,
    choice: AgentChoice,
    pools: impl Iterator<Item = PoolId> + Clone,
    draw: impl FnOnce() -> f64,
) -> Option<(PoolId, usize)> {
    let idle = |p: PoolId| floor.idle[p.0 as usize].len();
    match choice {
        AgentChoice::Random => {
            let n: usize = pools.clone().map(idle).sum();
            let mut k = match n {
                0 => return None,
                1 => 0,
                _ => ((draw() * n as f64) as usize).min(n - 1),
            };
            for p in pools {
                if k < idle(p) {
                    return Some((p, k));
                }
                k -= idle(p);
            }
            None
        }
        _ => pools.filter(|&p| idle(p) > 0).min().map(|p| (p, 0)),
    }
}
