//! Opening hours in the loop: a caller routed to a closed queue hears the queue's closed
//! message and then self-serves, leaves a callback request for the queue's next opening
//! (engine/callbacks.rs), or hangs up — one uniform draw `u` of the caller's `Closed` stream:
//! self-service when `u < self_service`, a request when `u < self_service + callback`. The draw
//! is made only when a share is above 0, so a queue without shares draws nothing, and adding a
//! `callback` share turns some hang-ups into requests without changing who self-serves.
//!
//! The queue is closed to **new** callers only: callers already waiting when it closes stay
//! in line and are answered by whoever still serves the queue (or abandon), as a hotline
//! finishing its queue does. Agents do nothing for a closed queue beyond that: nobody enters
//! it. The outcome is counted (`closed`, `closed_self_served`, `closed_callback_requests`) when
//! the caller is routed; the caller then holds a caller slot (and, with line capacity, a line)
//! until the message ends (event kind 5), after which nothing else happens to them (a request
//! lives on outside the floor until the opening, engine/callbacks.rs). Queues without opening hours
//! cost one `Option` test per queue entry and draw nothing.

use super::{CLOSED_END, Engine, KIND_SHIFT};
use crate::arrivals::ArrivalSource;
use crate::ivr::IvrEnd;
use crate::random::Purpose;
use crate::routing::{CallInfo, Caller, CallerState, Router};
use crate::scenario::QueueId;
use crate::stats::Observer;
use crate::time::DAY;

impl<A: ArrivalSource, R: Router, O: Observer> Engine<'_, A, R, O> {
    /// True when queue `q` has opening hours and is closed in the current interval.
    #[inline(always)]
    pub(super) fn closed_now(&self, q: QueueId) -> bool {
        match &self.model.queues[q.0 as usize].hours {
            None => false,
            Some(h) => {
                let per_day = (DAY / self.model.interval_s).round() as u64;
                !h.is_open(self.next_boundary.saturating_sub(1), per_day)
            }
        }
    }

    /// A caller offered to closed queue `q`: counts the outcome and plays the message.
    #[cold]
    pub(super) fn closed(&mut self, call: CallInfo, q: QueueId) {
        let h = self.model.queues[q.0 as usize]
            .hours
            .as_ref()
            .expect("closed_now saw opening hours");
        let (self_served, request) = if h.callback > 0.0 {
            let u = call.streams.stream(Purpose::Closed).open01();
            (
                u < h.self_service,
                u >= h.self_service && u < h.self_service + h.callback,
            )
        } else {
            let self_served = h.self_service > 0.0
                && call.streams.stream(Purpose::Closed).open01() < h.self_service;
            (self_served, false)
        };
        let message_s = h.message_s;
        self.observer.closed(call.tag, q, self_served);
        if request {
            self.observer.closed_callback_request(call.tag, q);
            self.request_callback(call, q);
        }
        if message_s > 0.0 {
            let slot = self.floor.new_caller(Caller {
                state: CallerState::ClosedMessage,
                call,
                queue: q,
                ivr_end: IvrEnd::Queue(q),
                entered_at: self.now,
                deadline: f64::INFINITY,
            });
            self.calendar
                .push(self.now + message_s, (CLOSED_END << KIND_SHIFT) | slot);
        } else {
            self.free_line();
        }
    }

    /// Interval `k` starts now: every queue with `[queue.closed] waiting = "disconnect"` that
    /// was open in interval k − 1 and is closed in k disconnects the callers on hold in its
    /// line (counted `disconnected` in their interval of offer; no redial: they were told the
    /// queue is closed). Callback requests keep their place for whoever serves the queue.
    #[cold]
    pub(super) fn disconnect_at_closing(&mut self, k: u64) {
        if k == 0 {
            return;
        }
        let per_day = (DAY / self.model.interval_s).round() as u64;
        let mut gone = std::mem::take(&mut self.disconnected);
        for i in 0..self.disconnecting.len() {
            let q = self.disconnecting[i];
            let Some(h) = &self.model.queues[q.0 as usize].hours else {
                continue;
            };
            if !h.is_open(k - 1, per_day) || h.is_open(k, per_day) {
                continue;
            }
            gone.clear();
            self.floor.disconnect_waiting(q, &mut gone);
            if gone.is_empty() {
                continue;
            }
            for &slot in &gone {
                let c = self.floor.callers[slot as usize];
                let wait = self.now - c.entered_at;
                self.observer.disconnected(c.call.tag, q, wait);
                if let Some(class) = c.call.class {
                    self.observer.class_disconnected(c.call.tag, q, class);
                }
                if c.call.journey.legs > 0 {
                    self.end_journey(c.call, wait, false);
                }
                self.free_line();
            }
            let len = self.floor.lines[q.0 as usize].waiting;
            self.observer.queue_changed(self.now, q, len);
        }
        gone.clear();
        self.disconnected = gone;
    }

    /// The closed message ended: the caller leaves (already counted).
    pub(super) fn closed_end(&mut self, slot: u32) {
        self.floor.release_caller(slot);
        self.free_line();
    }
}
