//! Skills with overflow: which POOL takes a call when pools list queues as primary (`serves`)
//! and secondary (`secondary`, after `overflow_after`), and which idle agent is chosen
//! (`[center] agent_choice`). Which CALLER of a queue is next stays the line's business.
//!
//! [`Skills`] exists only when some pool lists secondary queues and the rules differ from the
//! plain fifo ones (the `overflow` policy, or `agent_choice = "primary_first"`); otherwise the
//! floor simply merges secondary queues into `serves` and the default router runs untouched,
//! so the fifo path pays nothing.
//!
//! Rules under [`Skills`]:
//! - an arriving caller of queue q goes to an idle agent of a pool serving q as primary, or of a
//!   secondary pool of q whose delay is 0 (`overflow_after = "0s"`); among them the longest
//!   idle, or with `primary_first` the primary pools' agents before any secondary one;
//! - a freed agent takes the oldest call of its primary queues; if none waits, the oldest call
//!   among its secondary queues that has waited at least the pool's `overflow_after`;
//! - a waiting call reaching a secondary pool's delay is answered at that moment if that pool
//!   has an idle agent (the engine's overflow timer, `engine/overflow.rs`).
//!
//! Lines are FIFO, so a queue's head is its oldest call: if the head is not yet eligible for a
//! secondary pool, no call of that queue is.

use crate::scenario::{AgentChoice, Model, PoolId, QueueId};

use super::Floor;

/// Primary and secondary skills with their delays, in scenario order.
#[derive(Debug, Clone)]
pub struct Skills {
    /// Per pool: its secondary queues.
    secondary_of_pool: Vec<Vec<QueueId>>,
    /// Per pool: the delay before its secondary queues' calls are eligible, seconds (0 without
    /// the `overflow` policy).
    delay_of_pool: Vec<f64>,
    /// Per queue: the pools listing it as secondary.
    secondary_pools: Vec<Vec<PoolId>>,
    /// Per queue: the pools listing it as secondary with no delay (they take an arriving
    /// caller at once).
    pub at_once: Vec<Vec<PoolId>>,
    /// Per queue: the distinct positive delays after which a waiting call becomes eligible for
    /// more pools (when the engine's overflow timers fire), ascending.
    pub timers: Vec<Vec<f64>>,
    /// A freed agent serves its primary queues before its secondary ones (the `overflow`
    /// policy); without it all its queues are one list, oldest call first.
    primary_before_secondary: bool,
    choice: AgentChoice,
    /// The engine's clock, set before a freed agent looks for work (eligibility is
    /// `entered_at + delay <= now`, the same sum as the timer's, so a timer's instant counts).
    pub now: f64,
}

impl Skills {
    /// The rules for `model`, or `None` when the plain router does the same thing.
    pub fn new(model: &Model) -> Option<Skills> {
        let overflow = model.policy.overflow;
        let primary_first = model.center.agent_choice == AgentChoice::PrimaryFirst;
        if model.pools.iter().all(|p| p.secondary.is_empty()) || !(overflow || primary_first) {
            return None;
        }
        let mut secondary_pools = vec![Vec::new(); model.queues.len()];
        let mut timers: Vec<Vec<f64>> = vec![Vec::new(); model.queues.len()];
        let delay_of_pool: Vec<f64> = model
            .pools
            .iter()
            .map(|p| if overflow { p.overflow_after_s } else { 0.0 })
            .collect();
        for (p, pool) in model.pools.iter().enumerate() {
            for q in &pool.secondary {
                secondary_pools[q.0 as usize].push(PoolId(p as u32));
                let d = delay_of_pool[p];
                let t = &mut timers[q.0 as usize];
                if d > 0.0 && !t.contains(&d) {
                    t.push(d);
                }
            }
        }
        for t in &mut timers {
            t.sort_by(f64::total_cmp);
        }
        let at_once = secondary_pools
            .iter()
            .map(|ps: &Vec<PoolId>| {
                ps.iter()
                    .copied()
                    .filter(|p| delay_of_pool[p.0 as usize] == 0.0)
                    .collect()
            })
            .collect();
        Some(Skills {
            at_once,
            secondary_of_pool: model.pools.iter().map(|p| p.secondary.clone()).collect(),
            delay_of_pool,
            secondary_pools,
            timers,
            primary_before_secondary: overflow,
            choice: model.center.agent_choice,
            now: 0.0,
        })
    }

    /// The pool whose idle agent takes a caller entering `q` now, if any.
    pub fn pool_for_caller(&self, floor: &Floor, q: QueueId) -> Option<PoolId> {
        let primary = longest_idle(floor, floor.pools_of_queue[q.0 as usize].iter().copied());
        if primary.is_some() && self.choice == AgentChoice::PrimaryFirst {
            return primary.map(|(_, p)| p);
        }
        let secondary = longest_idle(
            floor,
            self.secondary_pools[q.0 as usize]
                .iter()
                .copied()
                .filter(|p| self.delay_of_pool[p.0 as usize] == 0.0),
        );
        better(primary, secondary).map(|(_, p)| p)
    }

    /// The idle agent (pool, position in its idle list) who takes the head call of `q`, which
    /// entered at `entered_at`, now that an overflow delay has passed (the overflow timer), by
    /// the center's agent choice among the newly eligible pools; `None` if none has an idle
    /// agent. `draw`: for `random`.
    pub fn agent_for_waiting(
        &self,
        floor: &Floor,
        q: QueueId,
        entered_at: f64,
        draw: impl FnOnce() -> f64,
    ) -> Option<(PoolId, usize)> {
        let eligible = self.secondary_pools[q.0 as usize]
            .iter()
            .copied()
            .filter(|p| entered_at + self.delay_of_pool[p.0 as usize] <= self.now);
        if self.choice.picks_agent() {
            return super::choice::pick_among(floor, self.choice, eligible, draw);
        }
        longest_idle(floor, eligible).map(|(_, p)| (p, 0))
    }

    /// True if `at` is one of `q`'s overflow instants for a call that entered at `entered_at`
    /// (a timer still meant for the caller now in its slot: lazy cancellation).
    pub fn is_timer_of(&self, q: QueueId, entered_at: f64, at: f64) -> bool {
        self.timers[q.0 as usize]
            .iter()
            .any(|&d| entered_at + d == at)
    }

    /// The queue whose head call a freed agent of pool `p` takes, if any.
    pub fn queue_for_agent(&self, floor: &mut Floor, p: PoolId) -> Option<QueueId> {
        let mut best: Option<(f64, QueueId)> = None;
        for i in 0..floor.serves[p.0 as usize].len() {
            let q = floor.serves[p.0 as usize][i];
            if let Some(at) = floor.head_entered_at(q) {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, q));
                }
            }
        }
        if best.is_some() && self.primary_before_secondary {
            return best.map(|(_, q)| q);
        }
        let delay = self.delay_of_pool[p.0 as usize];
        for &q in &self.secondary_of_pool[p.0 as usize] {
            if let Some(at) = floor.head_entered_at(q) {
                if at + delay <= self.now && best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, q));
                }
            }
        }
        best.map(|(_, q)| q)
    }
}

/// The longest-idle agent's (idle since, pool) among `pools`; ties: the pool listed first.
fn longest_idle(floor: &Floor, pools: impl Iterator<Item = PoolId>) -> Option<(f64, PoolId)> {
    let mut best: Option<(f64, PoolId)> = None;
    for p in pools {
        if let Some(since) = floor.idle_since(p) {
            if best.is_none_or(|(b, _)| since < b) {
                best = Some((since, p));
            }
        }
    }
    best
}

/// The longer idle of two candidates; ties go to the first (primary).
fn better(a: Option<(f64, PoolId)>, b: Option<(f64, PoolId)>) -> Option<(f64, PoolId)> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.0 < x.0 { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// [`Skills::queue_for_agent`] on the floor that holds the skills (taken out for the call, so
/// the floor can be borrowed mutably to drop abandoned heads).
pub fn queue_for_agent(floor: &mut Floor, p: PoolId) -> Option<QueueId> {
    let skills = floor.skills.take()?;
    let q = skills.queue_for_agent(floor, p);
    floor.skills = Some(skills);
    q
}
