//! Who serves whom: the [`Router`] decides, the engine carries it out.
//!
//! The engine calls the router at the two moments a decision is needed (DESIGN.md, extension
//! points): a caller enters a queue (serve now by an idle agent, or wait) and an agent becomes
//! free (which waiting call, if any). Policies are types implementing [`Router`], chosen by
//! generics, so the event loop pays no dynamic dispatch per event. Later policies (priorities,
//! overflow, callbacks) plug in here without touching the loop.
//!
//! Caller classes (`priority`, `aging`) are not a router: they decide which caller of a queue
//! is next, so they live in the floor's lines ([`classes`]), built once per run from
//! `model.policy`. Every router then sees each queue's next caller in class order through
//! [`Floor::head_entered_at`] and takes it with [`Floor::dequeue`]; the `fifo` path stays
//! today's `LongestIdleOldestCall` with single FIFO lines.

pub mod choice;
pub mod classes;
mod floor;
pub mod policy;
pub mod takes;

pub use floor::{Agent, CallInfo, Caller, CallerState, Floor, Journey, Line, Retrial};
pub use policy::{ClassOrder, Policy};

use crate::scenario::{PoolId, QueueId};

/// A routing policy.
pub trait Router {
    /// A caller enters queue `q`: the pool whose idle agent takes the call now (the engine
    /// takes that pool's longest-idle agent), or `None` to let the caller wait.
    fn pool_for_caller(&mut self, floor: &Floor, q: QueueId) -> Option<PoolId>;
    /// A caller enters queue `q`: the idle agent who takes the call now, as (pool, position in
    /// that pool's idle list, 0 being its longest idle), or `None` to let the caller wait.
    /// `draw` gives a uniform draw of the caller's agent-choice stream, for rules that draw
    /// (`agent_choice = "random"`). By default: [`Router::pool_for_caller`]'s longest idle.
    #[inline(always)]
    fn agent_for_caller(
        &mut self,
        floor: &Floor,
        q: QueueId,
        draw: impl FnOnce() -> f64,
    ) -> Option<(PoolId, usize)> {
        let _ = draw;
        self.pool_for_caller(floor, q).map(|p| (p, 0))
    }
    /// An agent of pool `p` is free: the queue whose head caller it takes, or `None` to go idle.
    fn queue_for_agent(&mut self, floor: &mut Floor, p: PoolId) -> Option<QueueId>;
}

/// The default policy: a caller goes to the longest-idle eligible agent (across pools; or as
/// `[center] agent_choice` says, [`choice`]); a freed agent takes the oldest waiting call
/// among the queues its pool serves (ties: the queue listed first) — or, when the pools'
/// routing tables have priorities or delays, as [`takes`] rules.
#[derive(Debug, Default, Clone, Copy)]
pub struct LongestIdleOldestCall;

impl Router for LongestIdleOldestCall {
    #[inline(always)]
    fn pool_for_caller(&mut self, floor: &Floor, q: QueueId) -> Option<PoolId> {
        if let Some(t) = &floor.takes {
            return t.pool_for_caller(floor, q);
        }
        let pools = &floor.pools_of_queue[q.0 as usize];
        if let [only] = pools.as_slice() {
            return floor.idle_since(*only).map(|_| *only);
        }
        let mut best: Option<(f64, PoolId)> = None;
        for &p in pools {
            if let Some(since) = floor.idle_since(p) {
                if best.is_none_or(|(b, _)| since < b) {
                    best = Some((since, p));
                }
            }
        }
        best.map(|(_, p)| p)
    }

    #[inline(always)]
    fn agent_for_caller(
        &mut self,
        floor: &Floor,
        q: QueueId,
        draw: impl FnOnce() -> f64,
    ) -> Option<(PoolId, usize)> {
        if let Some(t) = &floor.takes {
            return t.agent_for_caller(floor, q, draw);
        }
        if floor.choice.picks_agent() {
            return choice::pick(floor, q, draw);
        }
        self.pool_for_caller(floor, q).map(|p| (p, 0))
    }

    #[inline(always)]
    fn queue_for_agent(&mut self, floor: &mut Floor, p: PoolId) -> Option<QueueId> {
        if floor.takes.is_some() {
            return takes::queue_for_agent(floor, p);
        }
        let n = floor.serves[p.0 as usize].len();
        if n == 1 {
            let q = floor.serves[p.0 as usize][0];
            return floor.head_entered_at(q).map(|_| q);
        }
        let mut best: Option<(f64, QueueId)> = None;
        for i in 0..n {
            let q = floor.serves[p.0 as usize][i];
            if let Some(at) = floor.head_entered_at(q) {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, q));
                }
            }
        }
        best.map(|(_, q)| q)
    }
}
