//! The validated model: what the engine sees. Names are resolved to indices, durations are in
//! seconds, every rule of the scenario format has been checked. Nothing here refers to TOML.

use std::path::PathBuf;

use crate::dist::Dist;

/// Index of a queue in `Model::queues`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QueueId(pub u32);

/// Index of a pool in `Model::pools`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PoolId(pub u32);

/// Index of an IVR node in `Ivr::nodes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(pub u32);

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    /// The scenario file, for messages and for resolving relative paths.
    pub source: PathBuf,
    /// Horizon in days; the timeline starts on a Monday 00:00.
    pub days: u32,
    /// Statistics interval in seconds (900, 1800 or 3600).
    pub interval_s: f64,
    pub seed: u64,
    pub arrivals: ArrivalProfile,
    /// The menu tree; `None` means callers go straight to the first queue.
    pub ivr: Option<Ivr>,
    pub queues: Vec<Queue>,
    pub pools: Vec<Pool>,
}

impl Model {
    /// Horizon in seconds.
    pub fn horizon_s(&self) -> f64 {
        f64::from(self.days) * crate::time::DAY
    }
    /// Statistics intervals per day.
    pub fn intervals_per_day(&self) -> usize {
        (crate::time::DAY / self.interval_s).round() as usize
    }
    /// Statistics intervals in the horizon.
    pub fn interval_count(&self) -> u64 {
        u64::from(self.days) * self.intervals_per_day() as u64
    }
}

/// Arrival rate, piecewise constant over segments of equal length covering one week, repeated
/// every week. The segment length is the profile's own (e.g. 15 minutes) and need not equal
/// the statistics interval.
#[derive(Debug, Clone)]
pub struct ArrivalProfile {
    /// Length of one segment in seconds; divides a day.
    pub segment_s: f64,
    /// Calls per second, one entry per segment of the week, Monday 00:00 first.
    pub rate_per_s: Vec<f64>,
}

impl ArrivalProfile {
    /// Expected calls per day for each weekday (Monday first).
    pub fn calls_per_weekday(&self) -> [f64; 7] {
        let per_day = self.rate_per_s.len() / 7;
        let mut out = [0.0; 7];
        for (d, slot) in out.iter_mut().enumerate() {
            *slot = self.rate_per_s[d * per_day..(d + 1) * per_day]
                .iter()
                .sum::<f64>()
                * self.segment_s;
        }
        out
    }
}

/// A queue: one skill/line. Callers wait here for an agent of a pool that serves it.
#[derive(Debug, Clone)]
pub struct Queue {
    pub name: String,
    /// Talk time (the part of handle time the caller is on the line).
    pub handle_time: Dist,
    /// After-call work: the agent stays busy, the caller is gone. `None` = no wrap-up.
    pub wrap_up: Option<Dist>,
    /// Time a caller is willing to wait in queue; `None` = callers never abandon.
    pub patience: Option<Dist>,
    /// Service-level threshold in seconds ("answered within T").
    pub sl_threshold_s: f64,
}

/// Agents with the same skills, with a headcount per interval of the week.
#[derive(Debug, Clone)]
pub struct Pool {
    pub name: String,
    /// The queues this pool serves (no duplicates, at least one).
    pub serves: Vec<QueueId>,
    /// Agents on the phones, one entry per interval of the week (7 × intervals per day).
    pub headcount: Vec<u32>,
}

/// The IVR menu tree. Validated acyclic, every option's target exists, option probabilities
/// sum to 1 per node.
#[derive(Debug, Clone)]
pub struct Ivr {
    pub start: NodeId,
    pub nodes: Vec<IvrNode>,
}

/// One menu (or announcement, or authentication step) of the IVR.
#[derive(Debug, Clone)]
pub struct IvrNode {
    pub name: String,
    /// Time the caller spends at this node before choosing.
    pub duration: Dist,
    /// Options with probabilities summing to 1 (validated within 1e-6; normalised exactly).
    pub options: Vec<IvrOption>,
}

#[derive(Debug, Clone)]
pub struct IvrOption {
    /// The key a caller presses ("1", "0"), for reports; may be empty.
    pub key: String,
    pub probability: f64,
    pub target: IvrTarget,
}

/// Where an IVR option leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IvrTarget {
    Node(NodeId),
    Queue(QueueId),
    /// The caller's need was met in self-service; the call ends.
    SelfService,
    /// The caller hung up in the IVR.
    HangUp,
}
