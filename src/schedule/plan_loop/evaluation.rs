//! What the simulation measured of one headcount, and how it is judged against the targets:
//! a figure over the replications ([`Estimate`]), a target's side ([`Goal`]), the figures of
//! an interval × queue ([`Measured`]) and of the whole horizon ([`Evaluation`]), and the
//! counts of cells meeting or missing a target ([`Tally`]). The loop (the parent module)
//! decides what to raise from these; nothing here knows schedules.

use crate::scenario::Model;

/// A figure over the replications defining it: mean and 95 % half-width (Student t).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Estimate {
    pub mean: Option<f64>,
    /// `None` with fewer than two replications defining the figure.
    pub hw95: Option<f64>,
}

impl Estimate {
    /// Whether the figure counts: defined in at least two replications.
    pub fn counts(&self) -> bool {
        self.mean.is_some() && self.hw95.is_some()
    }
    /// The mean is on the right side of `goal`.
    pub fn meets(&self, goal: Goal) -> bool {
        self.counts() && self.mean.is_some_and(|m| goal.holds(m))
    }
    /// The whole 95 % interval is on the wrong side of `goal`.
    pub fn misses_with_confidence(&self, goal: Goal) -> bool {
        match (self.mean, self.hw95) {
            (Some(m), Some(h)) => !goal.holds(goal.toward_meeting(m, h)),
            _ => false,
        }
    }
    /// The whole 95 % interval, moved by `worse` toward the wrong side, is still on the right
    /// side of `goal`.
    pub fn comfortably(&self, goal: Goal, worse: f64) -> bool {
        match (self.mean, self.hw95) {
            (Some(m), Some(h)) => goal.holds(goal.toward_missing(m, h + worse.max(0.0))),
            _ => false,
        }
    }
}

/// A target: a floor (the SL goal) or a cap (ASA, abandonment, occupancy).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    AtLeast(f64),
    AtMost(f64),
}

impl Goal {
    pub fn holds(self, x: f64) -> bool {
        match self {
            Goal::AtLeast(t) => x >= t,
            Goal::AtMost(t) => x <= t,
        }
    }
    /// `x` moved by `d` toward the right side.
    fn toward_meeting(self, x: f64, d: f64) -> f64 {
        match self {
            Goal::AtLeast(_) => x + d,
            Goal::AtMost(_) => x - d,
        }
    }
    /// `x` moved by `d` toward the wrong side.
    fn toward_missing(self, x: f64, d: f64) -> f64 {
        self.toward_meeting(x, -d)
    }
}

/// The targets a scenario states (`[staffing]`, the SL goal possibly from `--target`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    /// SL goal, a fraction (`service_level` of intervals.csv at the goal's threshold).
    pub service_level: f64,
    /// `target_asa`, seconds (`asa_s`).
    pub asa_s: Option<f64>,
    /// `max_abandon`, a fraction (`abandon_rate`: abandoned ÷ (answered + abandoned)).
    pub max_abandon: Option<f64>,
    /// `max_occupancy`, a fraction (pools.csv's `occupancy`, per pool).
    pub max_occupancy: Option<f64>,
}

/// The figures a target is set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ServiceLevel,
    Asa,
    Abandon,
    Occupancy,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::ServiceLevel,
        Kind::Asa,
        Kind::Abandon,
        Kind::Occupancy,
    ];
}

impl Targets {
    /// The goal on `kind`'s figure, `None` where the scenario states none.
    pub fn goal(&self, kind: Kind) -> Option<Goal> {
        match kind {
            Kind::ServiceLevel => Some(Goal::AtLeast(self.service_level)),
            Kind::Asa => self.asa_s.map(Goal::AtMost),
            Kind::Abandon => self.max_abandon.map(Goal::AtMost),
            Kind::Occupancy => self.max_occupancy.map(Goal::AtMost),
        }
    }
}

/// A queue's figures in one interval, means over the replications.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measured {
    /// SL (`service_level` of intervals.csv).
    pub sl: Estimate,
    /// ASA, seconds (`asa_s`).
    pub asa_s: Estimate,
    /// Abandoned ÷ (answered + abandoned) (`abandon_rate`).
    pub abandon_rate: Estimate,
    pub offered: f64,
    pub answered: f64,
    pub abandoned: f64,
    pub answered_within: f64,
    pub abandoned_within: f64,
    /// Callers who met a closed queue (closed message).
    pub closed: f64,
    /// Callback requests: callers who accepted a callback offer while waiting, plus closed
    /// callers who left a request for the next opening.
    pub callback_requests: f64,
    /// Of `offered`: legs transferred in from another queue (the caller was already counted
    /// on the first queue).
    pub transferred_in: f64,
    /// Of `answered`: legs transferred on to another queue (their caller's outcome is on the
    /// next leg).
    pub transferred_out: f64,
    /// Of `offered`: callback legs of closed callers' requests, offered at the next opening
    /// (the caller was already counted, `closed`, at night).
    pub closed_callbacks: f64,
    /// Of `closed_callbacks`: answered callbacks.
    pub closed_callbacks_completed: f64,
    /// Mean time from the closed call (the request) to its answered callback, seconds (mean
    /// over the replications defining it).
    pub closed_callback_delay_mean_s: Option<f64>,
    /// Closed-queue requests released here as `when_idle` legs (outbound work, not of
    /// `offered`).
    pub outbound_callbacks: f64,
    /// Share of the closed-queue legs released here dialled within the queue's
    /// `callback_within` (`callbacks_within_target_share`).
    pub callback_share: Estimate,
}

impl Measured {
    /// Callers routed to the queue in the interval, each once: `offered` without the
    /// transferred-in legs and the closed-queue callback legs (which are the same callers
    /// again). On common random numbers the same in every staffing (without redials).
    pub fn callers(&self) -> f64 {
        self.offered - self.transferred_in - self.closed_callbacks
    }
    /// Whether the interval has calls that count: SL defined in at least two replications.
    pub fn counts(&self) -> bool {
        self.sl.counts()
    }
    /// The figure `kind` is set on; `None` for occupancy (measured per pool).
    pub fn estimate(&self, kind: Kind) -> Option<Estimate> {
        match kind {
            Kind::ServiceLevel => Some(self.sl),
            Kind::Asa => Some(self.asa_s),
            Kind::Abandon => Some(self.abandon_rate),
            Kind::Occupancy => None,
        }
    }
    /// Whether the closed-queue callback promise is missed with confidence here: the legs
    /// released in this interval, against the queue's promise `share`
    /// ([`ClosedRelease::promise_share`]).
    pub fn misses_promise(&self, share: f64) -> bool {
        self.callback_share
            .misses_with_confidence(Goal::AtLeast(share))
    }
    /// Whether any queue target of `targets` is missed with confidence.
    pub fn misses_any(&self, targets: &Targets) -> bool {
        Kind::ALL.iter().any(|&k| {
            matches!(
                (self.estimate(k), targets.goal(k)),
                (Some(e), Some(g)) if e.misses_with_confidence(g)
            )
        })
    }
}

/// What the simulation measured of one headcount.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// `[queue][interval]`.
    pub queues: Vec<Vec<Measured>>,
    /// Occupancy (busy ÷ present agent time), `[pool][interval]`.
    pub occupancy: Vec<Vec<Estimate>>,
}

/// Of the figures one target is set on: how many count, meet it, miss it with confidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub counted: usize,
    pub meeting: usize,
    pub missing: usize,
}

impl Tally {
    fn of<'e>(cells: impl Iterator<Item = &'e Estimate>, goal: Goal) -> Tally {
        let mut t = Tally::default();
        for e in cells.filter(|e| e.counts()) {
            t.counted += 1;
            t.meeting += usize::from(e.meets(goal));
            t.missing += usize::from(e.misses_with_confidence(goal));
        }
        t
    }
    pub fn share_meeting(&self) -> f64 {
        ratio(self.meeting, self.counted)
    }
    pub fn share_missing(&self) -> f64 {
        ratio(self.missing, self.counted)
    }
}

impl Evaluation {
    /// Leaves out the queue figures of intervals in which `model` has the queue closed: no
    /// target holds there. The callers counted in such an interval are the few whose IVR ended
    /// after the opening (counted where they arrived): they join the line behind the opening's
    /// callback legs, which the opening interval's correction sizes; no agent of the closed
    /// interval can answer them, so raising it would only pay agents to wait for the opening.
    pub fn leave_out_closed(&mut self, model: &Model) {
        let per_day = (86_400.0 / model.interval_s).round() as u64;
        for (row, queue) in self.queues.iter_mut().zip(&model.queues) {
            let Some(hours) = &queue.hours else { continue };
            for (k, m) in row.iter_mut().enumerate() {
                if !hours.is_open(k as u64, per_day) {
                    m.sl = Estimate::default();
                    m.asa_s = Estimate::default();
                    m.abandon_rate = Estimate::default();
                }
            }
        }
    }

    /// The tally of the callback promise over the interval × queues releasing closed-queue
    /// legs of a queue with `callback_within`, each against its queue's share
    /// ([`ClosedRelease::promise_share`]); `None` when no queue states a promise.
    pub fn promise_tally(&self, model: &Model) -> Option<Tally> {
        if model
            .queues
            .iter()
            .all(|q| q.closed_release.within_s.is_none())
        {
            return None;
        }
        let mut t = Tally::default();
        for (row, queue) in self.queues.iter().zip(&model.queues) {
            let goal = Goal::AtLeast(queue.closed_release.promise_share());
            let q = Tally::of(row.iter().map(|m| &m.callback_share), goal);
            t.counted += q.counted;
            t.meeting += q.meeting;
            t.missing += q.missing;
        }
        Some(t)
    }

    /// The lowest mean share among the promise's misses with confidence.
    pub fn worst_promise(&self, model: &Model) -> Option<f64> {
        self.queues
            .iter()
            .zip(&model.queues)
            .flat_map(|(row, queue)| {
                let share = queue.closed_release.promise_share();
                row.iter().filter(move |m| m.misses_promise(share))
            })
            .filter_map(|m| m.callback_share.mean)
            .reduce(f64::min)
    }

    /// The tally of `kind` against `goal`.
    pub fn tally(&self, kind: Kind, goal: Goal) -> Tally {
        Tally::of(self.cells(kind, &|_| true).iter(), goal)
    }

    /// The same over the intervals `keep` says (e.g. the day's).
    pub fn tally_in(&self, kind: Kind, goal: Goal, keep: &dyn Fn(usize) -> bool) -> Tally {
        Tally::of(self.cells(kind, keep).iter(), goal)
    }

    /// The mean farthest on the wrong side of `goal` among the figures missing it with
    /// confidence: by how much a plan misses a target.
    pub fn worst_miss(&self, kind: Kind, goal: Goal) -> Option<f64> {
        self.cells(kind, &|_| true)
            .into_iter()
            .filter(|e| e.misses_with_confidence(goal))
            .filter_map(|e| e.mean)
            .reduce(|a, b| match goal {
                Goal::AtLeast(_) => a.min(b),
                Goal::AtMost(_) => a.max(b),
            })
    }

    /// `kind`'s figures in the intervals `keep` says: every queue's, or every pool's for
    /// occupancy.
    fn cells(&self, kind: Kind, keep: &dyn Fn(usize) -> bool) -> Vec<Estimate> {
        let pick = |k: usize, e: Option<Estimate>| e.filter(|_| keep(k));
        match kind {
            Kind::Occupancy => self
                .occupancy
                .iter()
                .flat_map(|row| {
                    row.iter()
                        .enumerate()
                        .filter_map(|(k, e)| pick(k, Some(*e)))
                })
                .collect(),
            _ => self
                .queues
                .iter()
                .flat_map(|row| {
                    row.iter()
                        .enumerate()
                        .filter_map(|(k, m)| pick(k, m.estimate(kind)))
                })
                .collect(),
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(mean: f64, hw: f64) -> Estimate {
        Estimate {
            mean: Some(mean),
            hw95: Some(hw),
        }
    }

    /// Each queue's promise is judged against its own `callback_within_share`: 85 % ± 2
    /// dialled within the promise meets a share of 0.8 and misses the default 0.95.
    #[test]
    fn each_queue_keeps_its_promise_to_its_own_share() {
        let queue = |name: &str, share: &str| {
            format!(
                "[[queue]]\nname = \"{name}\"\nhandle_time = \"3m\"\nhours = \"08:00-16:00\"\n\n\
                 [queue.closed]\ncallback = 0.5\ncallback_within = \"4h\"\n{share}\n"
            )
        };
        let text = format!(
            "[scenario]\nname = \"p\"\ndays = 1\n\n[arrivals]\ncalls_per_hour = 10\n\n{}{}\
             [[pool]]\nname = \"a\"\nserves = [\"a\", \"b\"]\nagents = 2\n",
            queue("a", "callback_within_share = 0.8\n"),
            queue("b", "")
        );
        let model = crate::scenario::parse(&text, std::path::Path::new("p.toml")).unwrap();
        let cell = Measured {
            callback_share: e(0.85, 0.02),
            ..Measured::default()
        };
        let ev = Evaluation {
            queues: vec![vec![cell], vec![cell]],
            occupancy: Vec::new(),
        };
        let t = ev.promise_tally(&model).unwrap();
        assert_eq!((t.counted, t.meeting, t.missing), (2, 1, 1));
        assert_eq!(ev.worst_promise(&model), Some(0.85));
    }

    #[test]
    fn a_miss_within_the_noise_is_not_a_miss_with_confidence() {
        let sl = Goal::AtLeast(0.8);
        assert!(!e(0.78, 0.03).misses_with_confidence(sl));
        assert!(e(0.76, 0.03).misses_with_confidence(sl));
        assert!(!e(0.78, 0.03).meets(sl));
        assert!(e(0.80, 0.03).meets(sl));
    }

    /// A cap is the mirror of a floor: 5.6 % ± 0.1 abandoning misses `max_abandon = 5 %`
    /// with confidence (the accounts queue), 5.02 % ± 0.05 only in the mean.
    #[test]
    fn a_cap_is_missed_with_confidence_when_the_whole_interval_is_above_it() {
        let cap = Goal::AtMost(0.05);
        assert!(e(0.056, 0.001).misses_with_confidence(cap));
        assert!(!e(0.0502, 0.0005).misses_with_confidence(cap));
        assert!(!e(0.0502, 0.0005).meets(cap));
        assert!(e(0.04, 0.005).meets(cap) && e(0.04, 0.005).comfortably(cap, 0.004));
        assert!(!e(0.04, 0.005).comfortably(cap, 0.006));
    }

    #[test]
    fn an_interval_defined_in_one_replication_does_not_count() {
        let one = Estimate {
            mean: Some(0.0),
            hw95: None,
        };
        assert!(!one.counts() && !one.misses_with_confidence(Goal::AtLeast(0.8)));
        assert!(!one.meets(Goal::AtMost(0.05)));
    }

    #[test]
    fn a_stated_target_missed_anywhere_counts_against_the_queue() {
        let targets = Targets {
            service_level: 0.8,
            asa_s: None,
            max_abandon: Some(0.05),
            max_occupancy: None,
        };
        let m = Measured {
            sl: e(0.9, 0.01),
            abandon_rate: e(0.07, 0.01),
            ..Measured::default()
        };
        assert!(m.misses_any(&targets));
        let unstated = Targets {
            max_abandon: None,
            ..targets
        };
        assert!(!m.misses_any(&unstated));
        let ev = Evaluation {
            queues: vec![vec![m, Measured::default()]],
            occupancy: vec![vec![e(0.9, 0.01)]],
        };
        let t = ev.tally(Kind::Abandon, Goal::AtMost(0.05));
        assert_eq!((t.counted, t.meeting, t.missing), (1, 0, 1));
        let t = ev.tally(Kind::Occupancy, Goal::AtMost(0.85));
        assert_eq!((t.counted, t.meeting, t.missing), (1, 0, 1));
    }
}
