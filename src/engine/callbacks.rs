//! Callbacks (virtual hold), under a policy with `callback`, for queues with a
//! `[queue.callback]` offer.
//!
//! # The offer
//! A caller who would wait (no idle agent when they enter the queue) is offered a callback when
//! the **expected wait** exceeds `offer_above`. The estimator, computed at that instant:
//!
//! expected wait = (callers in the line ahead + 1) × mean handle time ÷ agents present
//!
//! where the callers ahead include callback requests holding a place, the mean handle time is
//! the queue's talk mean plus its wrap-up mean (times the caller's forecast AHT factor, 1
//! without a forecast), and the agents are those present in the pools serving the queue
//! (primary pools under `overflow`; with none present the wait is infinite and the offer is
//! made). It is the plain "work ahead ÷ servers" rule callback systems announce; it ignores
//! abandonment ahead (so it overstates the wait a little) and staffing changes to come.
//! Acceptance is drawn from the caller's `Callback` stream (its first draw).
//!
//! # The request
//! An accepting caller keeps their place (state `WaitingCallback`: the router sees them as
//! waiting) but has no patience deadline: they never abandon. With `[center] lines` the
//! request keeps its line until the callback ends (it stands for the outbound call). When an
//! agent takes the request, the agent calls: the caller answers with probability `answer`
//! (draw 1 + attempt of the `Callback` stream) and the call is answered as any other
//! (`answered`, handle time drawn as today), with a wait from the request to the callback.
//! Otherwise the agent is busy for [`RING_S`] and the request returns to the back of the line
//! `retry_after` after that ring ends (event kind 7), up to `retries` times; then it is
//! dropped and counted `callbacks_failed`.

use super::{CALLBACK_RETRY, Engine, KIND_SHIFT, RICH};
use crate::arrivals::ArrivalSource;
use crate::ivr::IvrEnd;
use crate::random::Purpose;
use crate::routing::{CallInfo, Caller, CallerState, Router};
use crate::scenario::QueueId;
use crate::stats::Observer;

/// How long an agent lets an unanswered callback ring before giving up, seconds (the agent
/// is busy meanwhile; it is not handle time).
pub const RING_S: f64 = 30.0;

/// Per caller slot: when the callback was requested and how many attempts failed so far.
/// Indexed by slot (a slot's entry is meaningful while it holds a callback request), so
/// nothing is searched; it grows only when callbacks are accepted.
#[derive(Debug, Default)]
pub(super) struct Requests {
    by_slot: Vec<(f64, u32)>,
}

impl<A: ArrivalSource, R: Router, O: Observer> Engine<'_, A, R, O> {
    /// A caller of `q` is about to wait: offers a callback when the queue has an offer and the
    /// expected wait exceeds its threshold. True when the caller accepted (they now hold a
    /// place in the line as a callback request).
    #[cold]
    pub(super) fn offer_callback(&mut self, call: CallInfo, q: QueueId) -> bool {
        let queue = &self.model.queues[q.0 as usize];
        let Some(offer) = &queue.callback else {
            return false;
        };
        if self.expected_wait(q, call.handle_scale) <= offer.offer_above_s {
            return false;
        }
        self.observer.callback_offered(call.tag, q);
        if call.streams.stream(Purpose::Callback).open01() >= offer.accept {
            return false;
        }
        self.observer.callback_accepted(call.tag, q);
        let slot = self.floor.new_caller(Caller {
            state: CallerState::WaitingCallback,
            call,
            queue: q,
            ivr_end: IvrEnd::Queue(q),
            entered_at: self.now,
            deadline: f64::INFINITY,
        });
        let by_slot = &mut self.callbacks.by_slot;
        if by_slot.len() <= slot as usize {
            by_slot.resize(slot as usize + 1, (0.0, 0));
        }
        by_slot[slot as usize] = (self.now, 0);
        self.join_line(q, slot);
        true
    }

    /// The estimator (module docs): seconds, +∞ when no agent serving `q` is present.
    fn expected_wait(&self, q: QueueId, handle_scale: f64) -> f64 {
        let queue = &self.model.queues[q.0 as usize];
        let handle = queue.handle_time.mean() * handle_scale
            + queue.wrap_up.as_ref().map_or(0.0, |w| w.mean());
        let agents: u32 = self.floor.pools_of_queue[q.0 as usize]
            .iter()
            .map(|p| {
                let b = &self.books[p.0 as usize];
                b.state.present - b.leaving
            })
            .sum();
        if agents == 0 {
            return f64::INFINITY;
        }
        let ahead = f64::from(self.floor.lines[q.0 as usize].waiting);
        (ahead + 1.0) * handle / f64::from(agents)
    }

    /// Callback request `slot` joins the back of `q`'s line.
    fn join_line(&mut self, q: QueueId, slot: u32) {
        self.floor.enqueue(q, slot);
        let len = self.floor.lines[q.0 as usize].waiting;
        self.observer.queue_changed(self.now, q, len);
        self.schedule_overflow(q, slot);
    }

    /// Busy agent `agent` calls back request `slot` (already out of the line).
    pub(super) fn call_back(&mut self, slot: u32, agent: u32) {
        let c = self.floor.callers[slot as usize];
        let q = c.queue;
        let offer = self.model.queues[q.0 as usize]
            .callback
            .as_ref()
            .expect("only queues with an offer hold callback requests");
        let (requested_at, failed) = self.callbacks.by_slot[slot as usize];
        let mut rng = c.call.streams.stream(Purpose::Callback);
        for _ in 0..=failed {
            rng.next_word();
        }
        if rng.open01() < offer.answer {
            self.floor.release_caller(slot);
            let delay = self.now - requested_at;
            self.observer.callback_completed(c.call.tag, q, delay);
            self.start_call::<RICH>(c.call, q, agent, delay);
            return;
        }
        // Unanswered: the agent lets it ring, then is free (a completion event).
        self.calendar
            .push(self.now + RING_S, (super::COMPLETE << KIND_SHIFT) | agent);
        if failed >= offer.retries {
            self.floor.release_caller(slot);
            self.observer.callback_failed(c.call.tag, q);
            if let Some(k) = c.call.class {
                self.observer.class_callback_failed(c.call.tag, q, k);
            }
            self.free_line();
            return;
        }
        self.callbacks.by_slot[slot as usize].1 = failed + 1;
        self.floor.callers[slot as usize].state = CallerState::CallbackRetry;
        self.calendar.push(
            self.now + RING_S + offer.retry_after_s,
            (CALLBACK_RETRY << KIND_SHIFT) | slot,
        );
    }

    /// An unanswered request's retry is due: an idle agent calls at once, else it rejoins the
    /// back of its line.
    pub(super) fn callback_retry(&mut self, slot: u32) {
        let q = self.floor.callers[slot as usize].queue;
        self.sync_routing_clock();
        if let Some(p) = self.router.pool_for_caller(&self.floor, q) {
            let agent = self.floor.idle[p.0 as usize]
                .pop_front()
                .expect("router saw an idle agent");
            self.book_agent(p, agent);
            self.floor.callers[slot as usize].state = CallerState::WaitingCallback;
            return self.call_back(slot, agent);
        }
        let c = &mut self.floor.callers[slot as usize];
        c.state = CallerState::WaitingCallback;
        c.entered_at = self.now;
        self.join_line(q, slot);
    }
}
