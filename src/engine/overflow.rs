//! The routing tables' timer (event kind 10, named after `overflow_after`, the first delay it
//! served): a waiting call reaching a pool's `after` is answered at that moment if that pool
//! has an idle agent. The rules of who is eligible live in `routing/takes.rs`; this file only
//! schedules the timers and carries out the answer. Timers are cancelled lazily, like
//! abandonment: one whose caller is no longer waiting (or whose slot holds another caller) is
//! ignored when it pops.

use crate::random::Purpose;
use crate::routing::Router;
use crate::scenario::QueueId;
use crate::stats::Observer;

use super::{ArrivalSource, Engine, KIND_SHIFT, OVERFLOW, RICH};

impl<A: ArrivalSource, R: Router, O: Observer> Engine<'_, A, R, O> {
    /// A caller starts waiting in `q` in `slot`: one timer per distinct positive `after` among
    /// the pools taking `q`.
    pub(super) fn schedule_overflow(&mut self, q: QueueId, slot: u32) {
        if let Some(t) = &self.floor.takes {
            for &d in &t.timers[q.0 as usize] {
                self.calendar
                    .push(self.now + d, (OVERFLOW << KIND_SHIFT) | slot);
            }
        }
    }

    /// Gives the floor the clock before a waiting caller is chosen: class aging weighs waits
    /// by it, the routing tables check their delays against it.
    #[inline]
    pub(super) fn sync_routing_clock(&mut self) {
        self.floor.now = self.now;
    }

    /// A timer pops: if its caller still waits and a newly eligible pool has an idle agent,
    /// that agent takes the queue's next call (the oldest, eligible no later than this one; it
    /// is this caller unless calls entered at the same instant).
    pub(super) fn overflow_due(&mut self, slot: u32) {
        let c = self.floor.callers[slot as usize];
        let Some(t) = self.floor.takes.as_deref() else {
            return;
        };
        if !c.state.in_line() || !t.is_timer_of(c.queue, c.entered_at, self.now) {
            return;
        }
        self.floor.now = self.now;
        let q = c.queue;
        let Some(at) = self.floor.head_entered_at(q) else {
            return;
        };
        let Some(t) = self.floor.takes.as_deref() else {
            return;
        };
        let draw = || c.call.streams.stream(Purpose::AgentChoice).open01();
        let Some((p, i)) = t.agent_for_waiting(&self.floor, q, at, self.now, draw) else {
            return;
        };
        let agent = self.floor.take_idle(p, i);
        self.book_agent(p, agent);
        let slot = self.take_head(q);
        self.serve::<RICH>(slot, q, agent);
    }
}
