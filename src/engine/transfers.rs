//! Transfers (`[[queue.transfer]]`): a share of a queue's answered calls goes on to another
//! queue (frontline → specialist) when the agent completes them (end of talk and wrap-up, the
//! `COMPLETE` event: no new event kind).
//!
//! Whether and where an answered call is transferred is drawn at the answer from the leg's
//! `Transfer` stream (the same draw whenever it is made), so the agent's completion finds the
//! call in hand in a small per-agent record instead of searching for it. The next leg is a new
//! offer on `to` with fresh streams derived from the caller's ([`CallerStreams::leg`]): its
//! patience and handle time are the caller's own for that queue, and every caller before the
//! transfer point is the same with or without transfers (common random numbers).
//!
//! With `[center] lines` the transferred caller keeps their line: it is not freed at the end
//! of the first leg's talk but carried to the next leg (the caller holds during the agent's
//! wrap-up, a simplification), and freed as any call's at that leg's end.
//!
//! A journey (first leg to the last: answered without a further transfer, abandoned or closed)
//! is counted on the queue and interval of its first leg, whose interval stays open until the
//! journey ends. Queues without transfers cost one `Option` test per answer and completion.
//!
//! [`CallerStreams::leg`]: crate::random::CallerStreams::leg

use super::{Engine, RICH};
use crate::arrivals::ArrivalSource;
use crate::random::Purpose;
use crate::routing::{CallInfo, Router};
use crate::scenario::{Model, QueueId};
use crate::stats::Observer;

/// A call in an agent's hand that goes on to another queue at completion.
#[derive(Debug, Clone, Copy)]
pub(super) struct InHand {
    call: CallInfo,
    from: QueueId,
    to: QueueId,
    /// The wait of the leg just answered, seconds.
    wait_s: f64,
}

/// Per-agent records of calls to transfer (indexed by agent id; grows with the floor).
#[derive(Debug, Default)]
pub(super) struct Transfers {
    in_hand: Vec<Option<InHand>>,
}

impl Transfers {
    /// `None` when no queue has transfers.
    pub(super) fn new(model: &Model) -> Option<Transfers> {
        if model.extras.transfers.iter().all(Vec::is_empty) {
            return None;
        }
        Some(Transfers::default())
    }
}

impl<A: ArrivalSource, R: Router, O: Observer> Engine<'_, A, R, O> {
    /// At the answer of `call` on `q` by `agent` after `wait_s`: draws whether the call will
    /// be transferred (then remembers it for the agent's completion and returns true: the
    /// caller keeps their line), or ends a transferred caller's journey as served.
    pub(super) fn transfer_at_answer(
        &mut self,
        call: CallInfo,
        q: QueueId,
        agent: u32,
        wait_s: f64,
    ) -> bool {
        let list = &self.model.extras.transfers[q.0 as usize];
        let mut to = None;
        if !list.is_empty() {
            let u = call.streams.stream(Purpose::Transfer).open01();
            let mut cum = 0.0;
            for t in list {
                cum += t.share;
                if u < cum {
                    to = Some(t.to);
                    break;
                }
            }
        }
        let Some(to) = to else {
            if call.journey.legs > 0 {
                self.end_journey(call, wait_s, true);
            }
            return false;
        };
        self.observer.transfer_hold(call.tag);
        let t = self.transfers.as_mut().expect("queue has transfers");
        let a = agent as usize;
        if a >= t.in_hand.len() {
            t.in_hand.resize(self.floor.agents.len().max(a + 1), None);
        }
        t.in_hand[a] = Some(InHand {
            call,
            from: q,
            to,
            wait_s,
        });
        true
    }

    /// The agent completed a call: frees the agent as usual, then the call in hand (if to be
    /// transferred) goes on to its next queue.
    pub(super) fn complete_with_transfer(&mut self, agent: u32) {
        let t = self.transfers.as_mut().expect("called with transfers");
        let leg = t.in_hand.get_mut(agent as usize).and_then(Option::take);
        self.agent_done::<RICH>(agent);
        let Some(h) = leg else {
            return;
        };
        let first = h.call.journey.legs == 0;
        let tag = self.observer.transfer(h.call.tag, h.from, h.to, first);
        let mut journey = h.call.journey;
        if first {
            journey.origin_tag = h.call.tag;
            journey.origin = h.from.0;
        }
        journey.legs += 1;
        journey.wait_s += h.wait_s as f32;
        let call = CallInfo {
            tag,
            streams: h.call.streams.leg(journey.legs),
            handle_scale: 1.0,
            handle_s: f64::NAN,
            patience_s: f64::NAN,
            class: None,
            journey,
            ..h.call
        };
        if self.closed_now(h.to) {
            // The closed message ends the journey (counted by `closed` as the leg's outcome).
            self.end_journey(call, 0.0, false);
        }
        self.enter_queue::<RICH>(call, h.to);
    }

    /// A transferred caller's last leg ended after `wait_s` (answered: `served`).
    #[inline]
    pub(super) fn end_journey(&mut self, call: CallInfo, wait_s: f64, served: bool) {
        let j = call.journey;
        self.observer.journey_end(
            j.origin_tag,
            QueueId(j.origin),
            f64::from(j.wait_s) + wait_s,
            served,
        );
    }
}
