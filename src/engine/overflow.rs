//! The overflow timer (event kind 10): a waiting call reaching a secondary pool's
//! `overflow_after` is answered at that moment if that pool has an idle agent. The rules of
//! who is eligible live in `routing/overflow.rs`; this file only schedules the timers and
//! carries out the answer. Timers are cancelled lazily, like abandonment: one whose caller is
//! no longer waiting (or whose slot holds another caller) is ignored when it pops.

use crate::random::Purpose;
use crate::routing::Router;
use crate::scenario::QueueId;
use crate::stats::Observer;

use super::{ArrivalSource, Engine, KIND_SHIFT, OVERFLOW, RICH};

impl<A: ArrivalSource, R: Router, O: Observer> Engine<'_, A, R, O> {
    /// A caller starts waiting in `q` in `slot`: one timer per distinct positive delay of
    /// `q`'s secondary pools.
    pub(super) fn schedule_overflow(&mut self, q: QueueId, slot: u32) {
        if let Some(s) = &self.floor.skills {
            for &d in &s.timers[q.0 as usize] {
                self.calendar
                    .push(self.now + d, (OVERFLOW << KIND_SHIFT) | slot);
            }
        }
    }

    /// Gives the floor the clock before a waiting caller is chosen: class aging weighs waits
    /// by it, the skills rules check overflow delays against it.
    #[inline]
    pub(super) fn sync_routing_clock(&mut self) {
        self.floor.now = self.now;
        if let Some(s) = &mut self.floor.skills {
            s.now = self.now;
        }
    }

    /// An overflow timer pops: if its caller still waits and a newly eligible pool has an idle
    /// agent, that agent takes the queue's head call (the oldest, eligible no later than this
    /// one; it is this caller unless calls entered at the same instant).
    pub(super) fn overflow_due(&mut self, slot: u32) {
        let c = self.floor.callers[slot as usize];
        let Some(s) = self.floor.skills.as_deref_mut() else {
            return;
        };
        if !c.state.in_line() || !s.is_timer_of(c.queue, c.entered_at, self.now) {
            return;
        }
        s.now = self.now;
        self.floor.now = self.now;
        let q = c.queue;
        let Some(at) = self.floor.head_entered_at(q) else {
            return;
        };
        let Some(s) = self.floor.skills.as_deref() else {
            return;
        };
        let draw = || c.call.streams.stream(Purpose::AgentChoice).open01();
        let Some((p, i)) = s.agent_for_waiting(&self.floor, q, at, draw) else {
            return;
        };
        let agent = self.floor.take_idle(p, i);
        self.book_agent(p, agent);
        let slot = self.take_head(q);
        self.serve::<RICH>(slot, q, agent);
    }
}
