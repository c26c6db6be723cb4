//! Arrival sources: calls in time order.
//!
//! The engine pulls the next arrival from an [`ArrivalSource`] and merges it with its event
//! calendar, so arrivals never sit in the calendar. A scenario's arrivals are several sources
//! merged by time ([`ScenarioArrivals`]): the weekly base profile, interval forecasts per queue,
//! surges and a replayed call log, each with its own random stream (DESIGN.md, "Randomness").
//! Redials are not an arrival source: the engine schedules them when a caller abandons.

mod expected;
mod profile;
mod replay;
mod surge;

pub use expected::expected_calls;
pub use profile::{DayFactors, ProfileArrivals};
pub use replay::{RecordedPath, ReplayArrivals, ReplayColumns, ReplayRecord, read_replay_record};
pub use surge::{SurgeArrivals, SurgeShape, surge_expected, surge_expected_parts};

use crate::random::StreamKey;
use crate::scenario::{Model, NodeId, QueueId};

/// Where an arriving call enters the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The IVR's start node, or the first queue when there is no IVR.
    Default,
    /// Straight to a queue (a forecast per queue, a replayed call with a known queue).
    Queue(QueueId),
    /// At an IVR node (an outage aimed at one menu option).
    Node(NodeId),
}

/// One arriving call and what is already known about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrival {
    /// Seconds since the start of the horizon.
    pub at: f64,
    pub entry: Entry,
    /// Multiplier of the queue's handle-time draw (a forecast's AHT for this interval).
    pub handle_scale: f64,
    /// Recorded handle time (a replayed call); drawn when `None`.
    pub handle_s: Option<f64>,
    /// Recorded patience (a replayed call); drawn when `None`.
    pub patience_s: Option<f64>,
    /// A recorded IVR path (a replayed call): seconds spent in the IVR and where it ended,
    /// instead of a walk drawn from the menu's probabilities.
    pub ivr: Option<(f64, crate::ivr::IvrEnd)>,
}

impl Arrival {
    /// A call at `at` entering at `entry`, everything else drawn.
    pub fn at(at: f64, entry: Entry) -> Self {
        Arrival {
            at,
            entry,
            handle_scale: 1.0,
            handle_s: None,
            patience_s: None,
            ivr: None,
        }
    }
}

/// A source of calls in non-decreasing time order, ending at the horizon.
pub trait ArrivalSource {
    /// The next call, or `None` when no call arrives before the horizon.
    fn next_arrival(&mut self) -> Option<Arrival>;
}

impl<S: ArrivalSource + ?Sized> ArrivalSource for Box<S> {
    #[inline]
    fn next_arrival(&mut self) -> Option<Arrival> {
        (**self).next_arrival()
    }
}

/// One of a scenario's sources (an enum, not a trait object: no dynamic dispatch per call).
#[derive(Debug)]
pub enum Source {
    Profile(ProfileArrivals),
    Surge(SurgeArrivals),
    /// Boxed: a replay source carries a reader and a copy of the model.
    Replay(Box<ReplayArrivals>),
}

impl ArrivalSource for Source {
    #[inline]
    fn next_arrival(&mut self) -> Option<Arrival> {
        match self {
            Source::Profile(s) => s.next_arrival(),
            Source::Surge(s) => s.next_arrival(),
            Source::Replay(s) => s.next_arrival(),
        }
    }
}

/// All sources of a scenario merged by time. Ties go to the source listed first (base
/// profile, forecasts, surges, replay), so the order never depends on a random stream.
#[derive(Debug)]
pub struct ScenarioArrivals {
    sources: Vec<Source>,
    heads: Vec<Option<Arrival>>,
}

impl ScenarioArrivals {
    /// The sources of `model` for the replication keyed by `key`.
    ///
    /// # Errors
    /// A replayed log that cannot be opened (it was validated when the scenario was loaded).
    pub fn new(model: &Model, key: StreamKey) -> std::io::Result<Self> {
        let horizon = model.horizon_s();
        let x = &model.extras;
        let days = x.day_cv.map(|cv| DayFactors::new(key, cv));
        let mut sources = Vec::new();
        let replace = x.replay.as_ref().is_some_and(|r| r.replace_generated);
        if !replace {
            let mut base = ProfileArrivals::new(&model.arrivals, horizon, key);
            if let Some(d) = days {
                base = base.with_day_factors(d);
            }
            sources.push(Source::Profile(base));
            for (i, f) in x.forecasts.iter().enumerate() {
                let mut s = ProfileArrivals::source(
                    &f.profile,
                    horizon,
                    key,
                    100 + i as u64,
                    Entry::Queue(f.queue),
                    false,
                )
                .with_handle_scale(f.handle_scale.clone());
                if let Some(d) = days {
                    s = s.with_day_factors(d);
                }
                sources.push(Source::Profile(s));
            }
            for (i, s) in x.surges.iter().enumerate() {
                sources.push(Source::Surge(SurgeArrivals::new(
                    s,
                    model.normal_inflow(&x.forecasts, s.entry),
                    horizon,
                    key,
                    i as u64,
                )));
            }
        }
        if let Some(r) = &x.replay {
            sources.push(Source::Replay(Box::new(ReplayArrivals::open(
                r, model, horizon, key,
            )?)));
        }
        Ok(Self::from_sources(sources))
    }

    /// Merges the given sources.
    pub fn from_sources(mut sources: Vec<Source>) -> Self {
        let heads = sources.iter_mut().map(|s| s.next_arrival()).collect();
        ScenarioArrivals { sources, heads }
    }
}

impl ArrivalSource for ScenarioArrivals {
    #[inline]
    fn next_arrival(&mut self) -> Option<Arrival> {
        if self.heads.len() == 1 {
            let next = self.heads[0].take();
            if next.is_some() {
                self.heads[0] = self.sources[0].next_arrival();
            }
            return next;
        }
        let mut best: Option<(usize, f64)> = None;
        for (i, h) in self.heads.iter().enumerate() {
            if let Some(a) = h {
                if best.is_none_or(|(_, t)| a.at < t) {
                    best = Some((i, a.at));
                }
            }
        }
        let (i, _) = best?;
        let next = self.heads[i].take();
        self.heads[i] = self.sources[i].next_arrival();
        next
    }
}
