//! The engine's memory high-water marks, for tests that memory stays flat in the horizon
//! (issue 10: callbacks and transfers on). Each figure is a length or capacity read once at
//! the end of a run; nothing is counted per event.

use super::Engine;
use crate::arrivals::ArrivalSource;
use crate::routing::Router;
use crate::stats::Observer;

/// Sizes of the engine's growable tables after a run (they never shrink, so these are peaks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Footprint {
    /// Caller slots ever in use at once (IVR, waiting, callback requests, pending redials).
    pub caller_slots: usize,
    /// Capacity of the event calendar (its peak number of pending events, rounded up by `Vec`).
    pub calendar_capacity: usize,
    /// Entries of the callback-request table (indexed by caller slot).
    pub callback_entries: usize,
    /// Most closed-queue callback requests waiting for an opening at once.
    pub closed_requests_peak: usize,
    /// Agents ever created.
    pub agents: usize,
}

impl<A: ArrivalSource, R: Router, O: Observer> Engine<'_, A, R, O> {
    /// The engine's table sizes so far (see [`Footprint`]).
    pub fn footprint(&self) -> Footprint {
        Footprint {
            caller_slots: self.floor.callers.len(),
            calendar_capacity: self.calendar.capacity(),
            callback_entries: self.callback_entries(),
            closed_requests_peak: self.closed_requests_peak(),
            agents: self.floor.agents.len(),
        }
    }
}
