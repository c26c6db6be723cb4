//! Journeys across attempts (`[redial] same_caller`, engine/redial.rs): a caller's calls from
//! their first offer to a queue to an answer or a last hang-up, as one journey beside the
//! per-attempt figures of `summary.csv`. Whole-run tallies per queue, written as
//! `journeys.csv`; kept only under `same_caller`, so other scenarios have no such tallies or
//! file.
//!
//! A journey is counted on the queue of its first offer and, like a call, by the interval of
//! that offer (a warm-up drops the journeys that start in it, whenever they end). Its wait is
//! the sum of its attempts' waits; its service level is judged on that sum with the queue's
//! threshold, by the same rule as the per-attempt `service_level`.

use serde::Serialize;

use super::tally::ratio;
use crate::scenario::{Model, QueueId};

/// The journeys of one queue (or all), whole run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JourneyTally {
    /// Journeys started (callers' first offers to the queue).
    pub callers: u64,
    /// Journeys whose last attempt was answered.
    pub answered: u64,
    /// Of `answered`, on the first attempt.
    pub answered_first: u64,
    /// Of `answered`, with a total wait ≤ the queue's threshold.
    pub answered_within: u64,
    /// Journeys whose last attempt abandoned (or got a busy signal) and no call followed.
    pub gave_up: u64,
    /// Of `gave_up`, with a total wait ≤ the threshold.
    pub gave_up_within: u64,
    /// Sum of total waits of answered journeys, seconds.
    pub hold_answered_s: f64,
    /// Sum of total waits of journeys given up, seconds.
    pub hold_gave_up_s: f64,
    /// Sum of the attempts of answered and given-up journeys.
    pub attempts: u64,
}

impl JourneyTally {
    pub fn add(&mut self, o: &JourneyTally) {
        self.callers += o.callers;
        self.answered += o.answered;
        self.answered_first += o.answered_first;
        self.answered_within += o.answered_within;
        self.gave_up += o.gave_up;
        self.gave_up_within += o.gave_up_within;
        self.hold_answered_s += o.hold_answered_s;
        self.hold_gave_up_s += o.hold_gave_up_s;
        self.attempts += o.attempts;
    }
}

/// One row of `journeys.csv`: a queue's journeys across attempts over the whole run (and
/// `all`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct JourneyRow {
    /// Queue of the journeys' first offer, or `all`.
    pub queue: String,
    /// Callers whose first offer was to this queue: each starts one journey. Conservation:
    /// callers = answered + gave_up + other_or_open.
    pub callers: u64,
    /// Journeys answered at some attempt.
    pub answered: u64,
    /// Of `answered`, answered on the first attempt.
    pub answered_first_attempt: u64,
    /// Journeys whose last attempt abandoned (or found every line busy) and who did not call
    /// again: gave up for good.
    pub gave_up: u64,
    /// Journeys that ended otherwise (queue closed, disconnected at a closing, callback
    /// failed) or were still going at the horizon (waiting, in the IVR, about to call again).
    pub other_or_open: u64,
    /// Answered journeys whose waits summed over attempts were ≤ the queue's threshold.
    pub answered_within_threshold: u64,
    /// Given-up journeys whose summed waits were ≤ the threshold.
    pub gave_up_within_threshold: u64,
    /// answered_within_threshold ÷ (answered + gave_up after the threshold), on waits summed
    /// over attempts: `service_level`'s rule, applied to the journey.
    pub journey_service_level: Option<f64>,
    /// answered ÷ (answered + gave_up): the share of ended journeys answered eventually.
    pub answered_share: Option<f64>,
    /// Mean wait of answered journeys summed over their attempts, seconds.
    pub journey_asa_s: Option<f64>,
    /// Mean wait of given-up journeys summed over their attempts, seconds.
    pub gave_up_wait_mean_s: Option<f64>,
    /// Mean calls per answered or given-up journey (1 = no redial).
    pub attempts_mean: Option<f64>,
}

impl JourneyRow {
    fn new(queue: &str, t: &JourneyTally) -> JourneyRow {
        let ended = (t.answered + t.gave_up) as f64;
        JourneyRow {
            queue: queue.to_string(),
            callers: t.callers,
            answered: t.answered,
            answered_first_attempt: t.answered_first,
            gave_up: t.gave_up,
            other_or_open: t.callers - t.answered - t.gave_up,
            answered_within_threshold: t.answered_within,
            gave_up_within_threshold: t.gave_up_within,
            journey_service_level: ratio(
                t.answered_within as f64,
                (t.answered + t.gave_up - t.gave_up_within) as f64,
            ),
            answered_share: ratio(t.answered as f64, ended),
            journey_asa_s: ratio(t.hold_answered_s, t.answered as f64),
            gave_up_wait_mean_s: ratio(t.hold_gave_up_s, t.gave_up as f64),
            attempts_mean: ratio(t.attempts as f64, ended),
        }
    }
}

/// The whole-run journey tallies of a run with `[redial] same_caller`.
#[derive(Debug, Clone)]
pub struct Journeys {
    names: Vec<String>,
    /// Service-level threshold per queue, seconds.
    thresholds: Vec<f64>,
    /// Per queue.
    totals: Vec<JourneyTally>,
}

impl Journeys {
    /// `None` unless the scenario's redials are `same_caller`.
    pub fn of(model: &Model) -> Option<Journeys> {
        if !model.extras.redial.as_ref().is_some_and(|r| r.same_caller) {
            return None;
        }
        Some(Journeys {
            names: model.queues.iter().map(|q| q.name.clone()).collect(),
            thresholds: model.queues.iter().map(|q| q.sl_threshold_s).collect(),
            totals: vec![JourneyTally::default(); model.queues.len()],
        })
    }

    /// A journey starts on `q`.
    pub fn start(&mut self, q: QueueId) {
        self.totals[q.0 as usize].callers += 1;
    }

    /// A journey of `q` ended after `attempts` calls with `hold_s` of waiting in all.
    pub fn end(&mut self, q: QueueId, hold_s: f64, attempts: u32, answered: bool) {
        let within = hold_s <= self.thresholds[q.0 as usize];
        let t = &mut self.totals[q.0 as usize];
        t.attempts += u64::from(attempts);
        if answered {
            t.answered += 1;
            t.answered_first += u64::from(attempts == 1);
            t.answered_within += u64::from(within);
            t.hold_answered_s += hold_s;
        } else {
            t.gave_up += 1;
            t.gave_up_within += u64::from(within);
            t.hold_gave_up_s += hold_s;
        }
    }

    /// The tallies per queue.
    pub fn totals(&self) -> &[JourneyTally] {
        &self.totals
    }

    /// One row per queue, then `all`.
    pub fn rows(&self) -> Vec<JourneyRow> {
        let mut all = JourneyTally::default();
        let mut rows: Vec<JourneyRow> = self
            .names
            .iter()
            .zip(&self.totals)
            .map(|(n, t)| {
                all.add(t);
                JourneyRow::new(n, t)
            })
            .collect();
        rows.push(JourneyRow::new("all", &all));
        rows
    }
}
