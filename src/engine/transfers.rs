//! Transfers (`[[queue.transfer]]`): a share of a queue's answered calls goes on to another
//! queue (frontline → specialist). When and how is the row's [`Handoff`]:
//! - blind at the agent's completion (end of talk and wrap-up, the `COMPLETE` event: the
//!   default, and the only order before the setting existed);
//! - blind at the end of talk (a `TRANSFER` event at talk end; the agent's `COMPLETE` follows
//!   after its wrap-up as for any call);
//! - after a consult or a conference with an agent of `to`, at the end of talk: the `TRANSFER`
//!   event looks for an idle agent of `to` (as an arriving caller of `to` would), books both
//!   for the drawn time, and only then pushes the first agent's `COMPLETE` (the joint time
//!   plus its wrap-up). A consult brings the caller back to the first agent, whose call ends;
//!   a conference's leg is answered on `to` at the conference's start, its talk starting with
//!   the conference. With no idle agent of `to` the consult or conference does not happen and
//!   the row's [`WhenBusy`] applies, as for a blind transfer finding no agent free: the
//!   caller waits in `to`'s line, or is disconnected (`disconnected` on `to`).
//!
//! Whether and where an answered call is transferred, and the consult or conference time, are
//! drawn at the answer from the leg's `Transfer` stream (the same draws whenever they are
//! made), so the agent's completion finds the call in hand in a small per-agent record
//! instead of searching for it. The next leg is a new offer on `to` with fresh streams derived
//! from the caller's ([`CallerStreams::leg`]): its patience and handle time are the caller's
//! own for that queue, and every caller before the transfer point is the same with or without
//! transfers (common random numbers).
//!
//! With `[center] lines` the transferred caller keeps their line: it is not freed at the end
//! of the first leg's talk but carried to the next leg (after a blind transfer at completion
//! the caller holds during the agent's wrap-up, a simplification), and freed as any call's at
//! that leg's end; after a consult it is freed when the consult ends.
//!
//! A journey (first leg to the last: answered without a further transfer, abandoned, closed or
//! disconnected) is counted on the queue and interval of its first leg, whose interval stays
//! open until the journey ends. Queues without transfers cost one `Option` test per answer and
//! completion.
//!
//! [`CallerStreams::leg`]: crate::random::CallerStreams::leg

use super::{COMPLETE, Engine, KIND_SHIFT, RICH, TRANSFER};
use crate::arrivals::ArrivalSource;
use crate::random::Purpose;
use crate::routing::{CallInfo, Router, classes};
use crate::scenario::{Handoff, Model, QueueId, WhenBusy};
use crate::stats::Observer;

/// A call in an agent's hand that goes on to another queue.
#[derive(Debug, Clone, Copy)]
pub(super) struct InHand {
    call: CallInfo,
    from: QueueId,
    /// The row of `from`'s transfers drawn.
    row: u8,
    /// The wait of the leg just answered, seconds.
    wait_s: f64,
    /// The drawn consult or conference time, seconds (0 for a blind transfer).
    joint_s: f64,
    /// The first agent's wrap-up, seconds (pushed after a consult or conference).
    wrap_s: f64,
}

/// What the answer of a call means for its agent's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Moves {
    /// Not transferred: the line frees at talk end.
    Stays,
    /// Transferred at the agent's completion (talk and wrap-up).
    AtCompletion,
    /// Transferred blind at talk end (`TRANSFER`), then the agent completes as usual.
    AtTalkEnd,
    /// A consult or conference at talk end (`TRANSFER`), which pushes the agent's completion.
    Joined,
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
    /// be transferred (then remembers it for the transfer point: the caller keeps their line),
    /// or ends a transferred caller's journey as served.
    pub(super) fn transfer_at_answer(
        &mut self,
        call: CallInfo,
        q: QueueId,
        agent: u32,
        wait_s: f64,
    ) -> Moves {
        let list = &self.model.extras.transfers[q.0 as usize];
        let mut row = None;
        let mut stream = call.streams.stream(Purpose::Transfer);
        if !list.is_empty() {
            let u = stream.open01();
            let mut cum = 0.0;
            for (i, t) in list.iter().enumerate() {
                cum += t.share;
                if u < cum {
                    row = Some(i);
                    break;
                }
            }
        }
        let Some(row) = row else {
            if call.journey.legs > 0 {
                self.end_journey(call, wait_s, true);
            }
            return Moves::Stays;
        };
        let (moves, joint_s) = match &list[row].handoff {
            Handoff::AfterWrapUp => (Moves::AtCompletion, 0.0),
            Handoff::EndOfTalk => (Moves::AtTalkEnd, 0.0),
            Handoff::Consult(d) | Handoff::Conference(d) => (Moves::Joined, d.sample(&mut stream)),
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
            row: row as u8,
            wait_s,
            joint_s,
            wrap_s: 0.0,
        });
        moves
    }

    /// The answer of the call in `agent`'s hand is booked with `talk_s` of talk and `wrap_s`
    /// of wrap-up: pushes the agent's events for how the call moves on.
    #[inline(never)]
    pub(super) fn push_moves(&mut self, moves: Moves, agent: u32, talk_s: f64, wrap_s: f64) {
        let complete = (COMPLETE << KIND_SHIFT) | agent;
        match moves {
            Moves::Stays | Moves::AtCompletion => {
                self.calendar.push(self.now + talk_s + wrap_s, complete);
            }
            Moves::AtTalkEnd => {
                // First at equal times (no wrap-up): the caller moves on before the agent is free.
                self.calendar
                    .push(self.now + talk_s, (TRANSFER << KIND_SHIFT) | agent);
                self.calendar.push(self.now + talk_s + wrap_s, complete);
            }
            Moves::Joined => {
                if let Some(Some(h)) = self
                    .transfers
                    .as_mut()
                    .and_then(|t| t.in_hand.get_mut(agent as usize))
                {
                    h.wrap_s = wrap_s;
                }
                self.calendar
                    .push(self.now + talk_s, (TRANSFER << KIND_SHIFT) | agent);
            }
        }
    }

    /// The agent completed a call: frees the agent as usual, then the call in hand (if to be
    /// transferred at completion) goes on to its next queue.
    pub(super) fn complete_with_transfer(&mut self, agent: u32) {
        let t = self.transfers.as_mut().expect("called with transfers");
        let leg = t.in_hand.get_mut(agent as usize).and_then(Option::take);
        self.agent_done::<RICH>(agent);
        if let Some(h) = leg {
            self.move_on(h);
        }
    }

    /// `TRANSFER`: the talk of the call in `agent`'s hand ended. A blind transfer moves the
    /// caller on (the agent's wrap-up runs on); a consult or conference books an idle agent of
    /// `to` for the joint time, or falls back to the row's `when_busy`.
    #[cold]
    #[inline(never)]
    pub(super) fn talk_end_transfer(&mut self, agent: u32) {
        let t = self
            .transfers
            .as_mut()
            .expect("TRANSFER events need transfers");
        let h = t.in_hand[agent as usize]
            .take()
            .expect("a TRANSFER event has its call in hand");
        let row = &self.model.extras.transfers[h.from.0 as usize][h.row as usize];
        let (to, consult) = match row.handoff {
            Handoff::Consult(_) => (row.to, true),
            Handoff::Conference(_) => (row.to, false),
            _ => return self.move_on(h),
        };
        let streams = h.call.streams.leg(h.call.journey.legs + 1);
        let second = if self.closed_now(to) {
            None
        } else {
            self.router.agent_for_caller(&self.floor, to, || {
                streams.stream(Purpose::AgentChoice).open01()
            })
        };
        let Some((p, i)) = second else {
            // No one to consult or confer with: the first agent wraps up, the caller moves on.
            self.calendar
                .push(self.now + h.wrap_s, (COMPLETE << KIND_SHIFT) | agent);
            return self.move_on(h);
        };
        let second = self.floor.take_idle(p, i);
        self.book_agent(p, second);
        self.calendar.push(
            self.now + h.joint_s + h.wrap_s,
            (COMPLETE << KIND_SHIFT) | agent,
        );
        if consult {
            self.observer.consulted(h.call.tag, h.from);
            self.calendar
                .push(self.now + h.joint_s, (COMPLETE << KIND_SHIFT) | second);
            self.schedule_line_free(h.joint_s);
            if h.call.journey.legs > 0 {
                self.end_journey(h.call, h.wait_s, true);
            }
            return;
        }
        self.observer.conferenced(h.call.tag, h.from);
        let mut leg = self.next_leg(h, to);
        self.offer_leg(&mut leg, to);
        // The second agent's talk starts with the conference.
        leg.handle_s = self.talk_time(leg, to, second) + h.joint_s;
        self.start_call::<RICH>(leg, to, second, 0.0);
    }

    /// The call in hand `h` goes on to its row's queue now as a new leg: it waits there if no
    /// agent is free, or is disconnected under `when_busy = "disconnect"`.
    fn move_on(&mut self, h: InHand) {
        let row = &self.model.extras.transfers[h.from.0 as usize][h.row as usize];
        let (to, when_busy) = (row.to, row.when_busy);
        let call = self.next_leg(h, to);
        if self.closed_now(to) {
            // The closed message ends the journey (counted by `closed` as the leg's outcome).
            self.end_journey(call, 0.0, false);
        } else if when_busy == WhenBusy::Disconnect
            && self.router.pool_for_caller(&self.floor, to).is_none()
        {
            let mut call = call;
            self.offer_leg(&mut call, to);
            self.observer.disconnected(call.tag, to, 0.0);
            if let Some(k) = call.class {
                self.observer.class_disconnected(call.tag, to, k);
            }
            self.end_journey(call, 0.0, false);
            self.free_line();
            return;
        }
        self.enter_queue::<RICH>(call, to);
    }

    /// Leg `leg` is offered on open queue `to` and answered or cut off at once, never queued
    /// (what `enter_queue` does before its router question): counted offered, with its class.
    fn offer_leg(&mut self, leg: &mut CallInfo, to: QueueId) {
        self.observer.offer(leg.tag, to, false);
        leg.class = classes::draw(&self.model.queues[to.0 as usize], leg.caller);
        if let Some(k) = leg.class {
            self.observer.class_offer(leg.tag, to, k);
        }
    }

    /// The leg of call in hand `h` on `to`: counted transferred (its journey starts at the
    /// first transfer), with the caller's streams for that leg.
    fn next_leg(&mut self, h: InHand, to: QueueId) -> CallInfo {
        let first = h.call.journey.legs == 0;
        let tag = self.observer.transfer(h.call.tag, h.from, to, first);
        let mut journey = h.call.journey;
        if first {
            journey.origin_tag = h.call.tag;
            journey.origin = h.from.0;
        }
        journey.legs += 1;
        journey.wait_s += h.wait_s as f32;
        CallInfo {
            tag,
            streams: h.call.streams.leg(journey.legs),
            handle_scale: 1.0,
            handle_s: f64::NAN,
            patience_s: f64::NAN,
            class: None,
            journey,
            ..h.call
        }
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
