//! The floor: waiting lines, agents and who is idle — the state a [`super::Router`] reads.
//!
//! Waiting lines are FIFO deques of caller slots. An abandoning caller is only marked, not
//! removed (no queue scan); marked entries are dropped when they reach the head. A queue with
//! caller classes under a class policy keeps one sub-line per class instead
//! ([`super::classes::ClassLines`]); its `slots` stay empty.

use std::collections::VecDeque;

use super::classes::ClassLines;
use crate::ivr::IvrEnd;
use crate::random::CallerStreams;
use crate::scenario::{Model, PoolId, QueueId};

/// A caller slot's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerState {
    Free,
    InIvr,
    Waiting,
    /// Abandoned while waiting; the slot is freed when it reaches the head of its line.
    Gone,
    /// Hung up and will call again (a pending redial); not in the system.
    Redialing,
    /// Heard a busy signal (all lines busy) and will call again through the IVR's start.
    RedialingBusy,
    /// Hearing a closed queue's message; already counted `closed`, leaves when it ends.
    ClosedMessage,
    /// Accepted a callback (virtual hold): keeps a place in the line like `Waiting` but has
    /// no patience deadline; an agent who takes them calls them (engine/callbacks.rs).
    WaitingCallback,
    /// A callback went unanswered: out of the line until the retry puts them back.
    CallbackRetry,
}

impl CallerState {
    /// In a waiting line and to be served: an ordinary caller or a callback request.
    #[inline(always)]
    pub fn in_line(self) -> bool {
        matches!(self, CallerState::Waiting | CallerState::WaitingCallback)
    }
}

/// What the engine knows of a call while it is in the system.
#[derive(Debug, Clone, Copy)]
pub struct CallInfo {
    /// Interval of offer (for the observer).
    pub tag: u32,
    /// The caller's random streams (of this attempt).
    pub streams: CallerStreams,
    /// The caller's first-attempt streams (redials derive theirs from it).
    pub caller: CallerStreams,
    /// 0 for the first call, then 1, 2, … for redials.
    pub attempt: u32,
    /// Multiplier of the handle-time draw (a forecast's AHT).
    pub handle_scale: f64,
    /// Recorded handle time, or NaN to draw one.
    pub handle_s: f64,
    /// Recorded patience, or NaN to draw one.
    pub patience_s: f64,
    /// The caller's class in the queue offered to (index into its `classes`); `None` when
    /// the queue has no classes.
    pub class: Option<u8>,
    /// The caller's journey across transferred legs ([`Journey::NONE`] until a transfer).
    pub journey: Journey,
    /// The caller's journey across attempts under `[redial] same_caller`
    /// (engine/redial.rs); [`Retrial::Outside`] otherwise.
    pub retrial: Retrial,
}

/// Where a call stands in its caller's journey across attempts (`[redial] same_caller`,
/// engine/redial.rs): first offer to a queue, then redials, to an answer or a last hang-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Retrial {
    /// Not followed: redials draw afresh (the default), or the call is a leg whose caller's
    /// journey across attempts already ended (a transferred leg, a closed-queue callback, a
    /// redial of either).
    Outside,
    /// A caller's attempt not yet offered to a queue (in the IVR, or blocked on the way).
    Fresh,
    /// Offered to a queue: `first_tag` is the tag (interval) of the first offer, `held_s` the
    /// wait of the earlier attempts, seconds (f32, as [`Journey::wait_s`]).
    Live { first_tag: u32, held_s: f32 },
}

/// A transferred caller's journey (`engine/transfers.rs`): where and when it began and the
/// wait so far, so its end is counted on the queue of origin without a per-caller table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Journey {
    /// Wait across the legs so far, seconds (f32: a few bytes per call in the system).
    pub wait_s: f32,
    /// Tag (interval of offer) of the first leg.
    pub origin_tag: u32,
    /// Queue of the first leg.
    pub origin: u32,
    /// Legs after the first (0 = not transferred).
    pub legs: u32,
}

impl Journey {
    /// No transfer yet.
    pub const NONE: Journey = Journey {
        wait_s: 0.0,
        origin_tag: 0,
        origin: 0,
        legs: 0,
    };
}

/// A caller in the IVR or waiting.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub state: CallerState,
    pub call: CallInfo,
    /// The queue the caller waits in, or will enter after the IVR.
    pub queue: QueueId,
    /// Where the caller's IVR path ends (meaningful while `InIvr`).
    pub ivr_end: IvrEnd,
    /// When the caller entered the queue.
    pub entered_at: f64,
    /// When the caller will abandon (+∞: never).
    pub deadline: f64,
}

/// The waiting line of one queue.
#[derive(Debug, Default, Clone)]
pub struct Line {
    /// Caller slots in order of entry; may hold `Gone` slots.
    pub slots: VecDeque<u32>,
    /// Callers really waiting.
    pub waiting: u32,
    /// Per-class sub-lines (a queue with classes under `priority` or `aging`), used instead
    /// of `slots`.
    pub classed: Option<Box<ClassLines>>,
}

/// One agent.
#[derive(Debug, Clone, Copy)]
pub struct Agent {
    pub pool: PoolId,
    pub busy: bool,
    /// Leaves when the current call ends (headcount dropped while busy).
    pub leaving: bool,
    /// On the floor (scheduled, or leaving after a call).
    pub present: bool,
    /// Since when the agent is idle.
    pub idle_since: f64,
}

/// Everything the router may look at.
#[derive(Debug)]
pub struct Floor {
    pub lines: Vec<Line>,
    pub callers: Vec<Caller>,
    free_callers: Vec<u32>,
    pub agents: Vec<Agent>,
    /// Idle agents per pool, longest idle first.
    pub idle: Vec<VecDeque<u32>>,
    /// Queues served by each pool, in scenario order.
    pub serves: Vec<Vec<QueueId>>,
    /// Pools serving each queue, in scenario order.
    pub pools_of_queue: Vec<Vec<PoolId>>,
    /// The pools' routing tables when they have priorities or delays (`routing/takes.rs`);
    /// with `None` every pool takes its table's queues at once, oldest call first, and
    /// `serves` and `pools_of_queue` hold every row.
    pub takes: Option<Box<super::takes::Takes>>,
    /// The engine's clock when it last asked for a waiting caller (aging weighs waits by it).
    pub now: f64,
    /// `[center] agent_choice`: which idle agent answers an arriving caller.
    pub choice: crate::scenario::AgentChoice,
}

impl Floor {
    pub fn new(model: &Model) -> Self {
        let takes = super::takes::Takes::new(model).map(Box::new);
        // Flat tables: a helper row is served like an own queue.
        let serves: Vec<Vec<QueueId>> = model
            .pools
            .iter()
            .map(|pool| {
                if takes.is_some() {
                    pool.serves.clone()
                } else {
                    let table = pool.table(model.policy.overflow);
                    table.iter().map(|t| t.queue).collect()
                }
            })
            .collect();
        let mut pools_of_queue = vec![Vec::new(); model.queues.len()];
        for (p, qs) in serves.iter().enumerate() {
            for q in qs {
                pools_of_queue[q.0 as usize].push(PoolId(p as u32));
            }
        }
        Floor {
            lines: model
                .queues
                .iter()
                .map(|q| Line {
                    classed: ClassLines::for_queue(q, model.policy.classes),
                    ..Line::default()
                })
                .collect(),
            callers: Vec::new(),
            free_callers: Vec::new(),
            agents: Vec::new(),
            idle: vec![VecDeque::new(); model.pools.len()],
            serves,
            pools_of_queue,
            takes,
            now: 0.0,
            choice: model.center.agent_choice,
        }
    }

    /// Takes idle agent number `i` (0 = the longest idle) of pool `p` off the idle list.
    #[inline]
    pub fn take_idle(&mut self, p: PoolId, i: usize) -> u32 {
        let idle = &mut self.idle[p.0 as usize];
        if i == 0 {
            idle.pop_front()
        } else {
            idle.remove(i)
        }
        .expect("the router saw that idle agent")
    }

    /// Since when the longest-idle agent of pool `p` is idle, if any is.
    #[inline]
    pub fn idle_since(&self, p: PoolId) -> Option<f64> {
        self.idle[p.0 as usize]
            .front()
            .map(|&a| self.agents[a as usize].idle_since)
    }

    /// When the oldest caller still waiting in `q` entered it; drops abandoned heads.
    #[inline]
    pub fn head_entered_at(&mut self, q: QueueId) -> Option<f64> {
        let line = &mut self.lines[q.0 as usize];
        if let Some(c) = &mut line.classed {
            if line.waiting == 0 {
                c.release_all(&mut self.callers, &mut self.free_callers);
                return None;
            }
            return c
                .next(&mut self.callers, &mut self.free_callers, self.now)
                .map(|(_, at)| at);
        }
        if line.waiting == 0 {
            // Only abandoned entries (if any) remain: release them all at once.
            while let Some(s) = line.slots.pop_front() {
                self.callers[s as usize].state = CallerState::Free;
                self.free_callers.push(s);
            }
            return None;
        }
        loop {
            let s = *line.slots.front().expect("waiting > 0 implies a live slot");
            let c = &self.callers[s as usize];
            if c.state.in_line() {
                return Some(c.entered_at);
            }
            line.slots.pop_front();
            self.callers[s as usize].state = CallerState::Free;
            self.free_callers.push(s);
        }
    }

    /// Puts waiting caller `slot` at the back of queue `q`'s line (its class's sub-line when
    /// the queue is ordered by class).
    #[inline]
    pub fn enqueue(&mut self, q: QueueId, slot: u32) {
        let line = &mut self.lines[q.0 as usize];
        match &mut line.classed {
            None => line.slots.push_back(slot),
            Some(c) => c.push(self.callers[slot as usize].call.class, slot),
        }
        line.waiting += 1;
    }

    /// Takes the next waiting caller of queue `q` (the router saw one) and returns its slot.
    #[inline]
    pub fn dequeue(&mut self, q: QueueId) -> u32 {
        let line = &mut self.lines[q.0 as usize];
        let slot = match &mut line.classed {
            None => line.slots.pop_front(),
            Some(c) => c.pop(&mut self.callers, &mut self.free_callers, self.now),
        }
        .expect("router chose a non-empty line");
        line.waiting -= 1;
        slot
    }

    /// Marks every caller on hold in `q`'s line `Gone` (their slots are dropped lazily, like
    /// abandoned callers') and appends their slots to `out`, in line order, for the engine to
    /// report before the slots are reused. Callback requests keep their place.
    pub fn disconnect_waiting(&mut self, q: QueueId, out: &mut Vec<u32>) {
        let line = &mut self.lines[q.0 as usize];
        let start = out.len();
        match &line.classed {
            None => out.extend(line.slots.iter().copied()),
            Some(c) => out.extend(c.slots()),
        }
        let mut kept = start;
        for i in start..out.len() {
            let s = out[i];
            let c = &mut self.callers[s as usize];
            if c.state == CallerState::Waiting {
                c.state = CallerState::Gone;
                out[kept] = s;
                kept += 1;
            }
        }
        out.truncate(kept);
        line.waiting -= (kept - start) as u32;
    }

    /// Takes a slot for a caller.
    #[inline]
    pub fn new_caller(&mut self, c: Caller) -> u32 {
        match self.free_callers.pop() {
            Some(s) => {
                self.callers[s as usize] = c;
                s
            }
            None => {
                self.callers.push(c);
                (self.callers.len() - 1) as u32
            }
        }
    }

    /// Releases a caller slot.
    #[inline]
    pub fn release_caller(&mut self, s: u32) {
        self.callers[s as usize].state = CallerState::Free;
        self.free_callers.push(s);
    }
}
