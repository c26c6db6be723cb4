//! Redials (`[redial]`): a caller who abandons, or hears a busy signal, may call again after a
//! delay — and, with `same_caller = true`, the caller who calls again is the same person.
//!
//! # Fresh draws (the default) or the same caller
//! Whether a caller calls again, and after which delay, is drawn per attempt: attempt k's
//! decision from the `Redial` stream of the attempt's own streams (the caller's for k = 0,
//! [`CallerStreams::redial`]`(k)` after), identical in both modes, so a caller redials at the
//! same attempts with and without `same_caller` whenever they abandon at the same attempts.
//! - Default: attempt k + 1 draws everything afresh from `redial(k + 1)`'s streams (a new
//!   patience, handle time, wrap-up, IVR path, callback acceptance …).
//! - `same_caller`: attempt k + 1 keeps the abandoned attempt's streams, so every draw that
//!   describes the caller comes out the same: patience (their longest wait, counted again from
//!   each attempt's entry into the queue), handle time before the serving pool's
//!   `handle_time_factor`, wrap-up, the IVR path of a busy-signal redial, whether they accept a
//!   callback or a closed queue's offer, whether their call is transferred, the uniform of a
//!   `random` agent choice; replayed (recorded) patience and handle time are kept too. The
//!   class and the forecast's handle-time scale are kept in both modes (as before).
//!
//! # The journey view (`same_caller` only)
//! A caller's journey starts at their first offer to a queue (counted in that offer's interval
//! and queue) and ends when an attempt is answered, or when an attempt ends by abandonment or a
//! busy signal without a further call ("gave up"). Its wait is the **sum of the waits of its
//! attempts** (time on hold; the delays between attempts are the caller's own time, not
//! waiting in a queue). Journeys that end otherwise (closed queue, disconnected at a closing,
//! failed callback) or are still going at the horizon are the rest. The state rides in the
//! call ([`Retrial`]), so no table is searched: one `match` at offer, answer and hang-up, in
//! the loop's `RICH` copy only (`same_caller` turns the `PLAIN` fast path off).
//!
//! [`CallerStreams::redial`]: crate::random::CallerStreams::redial

use super::{Engine, KIND_SHIFT, REDIAL};
use crate::arrivals::{ArrivalSource, Entry};
use crate::random::Purpose;
use crate::routing::{CallInfo, Caller, CallerState, Journey, Retrial, Router};
use crate::scenario::QueueId;
use crate::stats::Observer;

impl<A: ArrivalSource, R: Router, O: Observer> Engine<'_, A, R, O> {
    /// An abandoning (after `wait_s`) or blocked (`wait_s` = 0) caller may call again after a
    /// delay: to queue `to`, skipping the IVR (they know which option they want), or through
    /// the IVR's start (`None`: a busy signal before the IVR). Drawn from the attempt's redial
    /// stream. A caller who does not call again ends their journey (`same_caller`).
    pub(super) fn maybe_redial(&mut self, call: CallInfo, to: Option<QueueId>, wait_s: f64) {
        let Some(r) = &self.model.extras.redial else {
            return;
        };
        let next = call.attempt + 1;
        // Under `same_caller` the call keeps the first attempt's streams: the decision of
        // attempt k ≥ 1 comes from `redial(k)`, as it does by default.
        let streams = if r.same_caller && call.attempt > 0 {
            call.streams.redial(call.attempt)
        } else {
            call.streams
        };
        if next >= r.max_attempts {
            return self.gave_up(call, to, wait_s);
        }
        let mut rng = streams.stream(Purpose::Redial);
        if rng.open01() >= r.probability {
            return self.gave_up(call, to, wait_s);
        }
        let delay = r.delay.sample(&mut rng);
        let again = if r.same_caller {
            CallInfo {
                attempt: next,
                journey: Journey::NONE,
                retrial: match call.retrial {
                    Retrial::Live { first_tag, held_s } => Retrial::Live {
                        first_tag,
                        held_s: held_s + wait_s as f32,
                    },
                    other => other,
                },
                ..call
            }
        } else {
            CallInfo {
                attempt: next,
                streams: call.caller.redial(next),
                handle_s: f64::NAN,
                patience_s: f64::NAN,
                journey: Journey::NONE,
                ..call
            }
        };
        let (state, q, ivr_end) = Self::redial_target(to);
        let slot = self.floor.new_caller(Caller {
            state,
            call: again,
            queue: q,
            ivr_end,
            entered_at: self.now,
            deadline: f64::INFINITY,
        });
        self.calendar
            .push(self.now + delay, (REDIAL << KIND_SHIFT) | slot);
    }

    /// A caller who abandoned (or was blocked) calls again: a new call, offered now.
    pub(super) fn redial<const PLAIN: bool>(&mut self, slot: u32) {
        let c = self.floor.callers[slot as usize];
        self.floor.release_caller(slot);
        if c.state == CallerState::RedialingBusy {
            return self.redial_after_busy(c);
        }
        let call = CallInfo {
            tag: self.observer.arrive(self.now, true),
            ..c.call
        };
        if !PLAIN && self.lines.is_some() && !self.take_line(call, Entry::Queue(c.queue)) {
            return;
        }
        self.enter_queue::<PLAIN>(call, c.queue);
    }

    /// `call` is offered to `q`: a caller's first offer starts their journey.
    #[inline]
    pub(super) fn retrial_offer(&mut self, call: &mut CallInfo, q: QueueId) {
        if call.retrial == Retrial::Fresh {
            call.retrial = Retrial::Live {
                first_tag: call.tag,
                held_s: 0.0,
            };
            self.observer.retrial_start(call.tag, q);
        }
    }

    /// `call` is answered on `q` after `wait_s`: its journey ends served (a transferred leg
    /// that follows is outside it).
    #[inline]
    pub(super) fn retrial_answered(&mut self, call: &mut CallInfo, q: QueueId, wait_s: f64) {
        if let Retrial::Live { first_tag, held_s } = call.retrial {
            self.observer.retrial_end(
                first_tag,
                q,
                f64::from(held_s) + wait_s,
                attempts(call),
                true,
            );
            call.retrial = Retrial::Outside;
        }
    }

    /// The caller of `call` does not call again after this attempt (to `to`, after `wait_s`):
    /// their journey ends unserved.
    fn gave_up(&mut self, call: CallInfo, to: Option<QueueId>, wait_s: f64) {
        if let (Retrial::Live { first_tag, held_s }, Some(q)) = (call.retrial, to) {
            self.observer.retrial_end(
                first_tag,
                q,
                f64::from(held_s) + wait_s,
                attempts(&call),
                false,
            );
        }
    }
}

/// Attempts so far, this one included.
fn attempts(call: &CallInfo) -> u32 {
    call.attempt + 1
}
