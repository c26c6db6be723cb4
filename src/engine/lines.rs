//! Line capacity (`[center] lines`): simultaneous calls in the system — in the IVR, waiting or
//! talking. A call arriving when every line is busy hears a busy signal: it is counted
//! `blocked` and may call again through `[redial]`.
//!
//! A line is held from arrival to the end of the IVR (self-service, hang-up), to abandonment,
//! or to the end of talk: after-call work does not hold a line, so the engine frees it with a
//! `LINE_FREE` event at talk end (pushed only when lines are limited). A caller waiting to
//! redial holds no line. With unlimited lines (`lines` absent) none of this runs: the engine
//! tests one `Option` per arrival, answer, abandonment and IVR end.

use crate::arrivals::Entry;
use crate::ivr::IvrEnd;
use crate::routing::{CallInfo, Caller, CallerState, Router};
use crate::scenario::{Model, QueueId};
use crate::stats::Observer;

use super::{ArrivalSource, Engine, KIND_SHIFT, LINE_FREE, RICH};

/// Lines in use and the capacity.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lines {
    limit: u32,
    busy: u32,
}

impl Lines {
    pub(super) fn new(model: &Model) -> Option<Lines> {
        model.center.lines.map(|limit| Lines { limit, busy: 0 })
    }
}

impl<A: ArrivalSource, R: Router, O: Observer> Engine<'_, A, R, O> {
    /// A call (tag already given by the observer) arriving at `entry` takes a line; false if
    /// all are busy: then it is counted blocked and may redial (to its queue when it dialled
    /// one directly, else through the IVR's start).
    pub(super) fn take_line(&mut self, call: CallInfo, entry: Entry) -> bool {
        let Some(l) = &mut self.lines else {
            return true;
        };
        if l.busy < l.limit {
            l.busy += 1;
            return true;
        }
        self.observer.blocked(call.tag);
        let to = match entry {
            Entry::Queue(q) => Some(q),
            _ if self.model.ivr.is_none() => Some(QueueId(0)),
            _ => None,
        };
        self.maybe_redial(call, to, 0.0);
        false
    }

    /// A callback leg of a closed-queue request takes a line at the opening even when every
    /// line is busy (the outbound call is placed; arrivals are blocked until lines free).
    pub(super) fn hold_line(&mut self) {
        if let Some(l) = &mut self.lines {
            l.busy += 1;
        }
    }

    /// A caller leaves the system (or stops talking): its line is free.
    #[inline]
    pub(super) fn free_line(&mut self) {
        if let Some(l) = &mut self.lines {
            l.busy -= 1;
        }
    }

    /// At an answer with talk time `talk`: the line frees at talk end (after-call work holds
    /// none).
    #[inline]
    pub(super) fn schedule_line_free(&mut self, talk: f64) {
        if self.lines.is_some() {
            self.calendar.push(self.now + talk, LINE_FREE << KIND_SHIFT);
        }
    }

    /// A caller who heard a busy signal calls again: a new call through the IVR's start.
    pub(super) fn redial_after_busy(&mut self, c: Caller) {
        let call = CallInfo {
            tag: self.observer.arrive(self.now, true),
            ..c.call
        };
        if self.take_line(call, Entry::Default) {
            self.enter::<RICH>(call, Entry::Default, None);
        }
    }

    /// The state and target of a pending redial: to queue `to` (skipping the IVR), or through
    /// the IVR's start.
    pub(super) fn redial_target(to: Option<QueueId>) -> (CallerState, QueueId, IvrEnd) {
        match to {
            Some(q) => (CallerState::Redialing, q, IvrEnd::Queue(q)),
            None => (CallerState::RedialingBusy, QueueId(0), IvrEnd::HangUp),
        }
    }
}
