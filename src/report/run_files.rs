//! The small files `simulate` writes next to the interval CSVs so a later `hotline report` can
//! redraw everything without the scenario: `waits.csv` (the whole run's wait distribution per
//! queue) and `run.json` (run facts: scenario name, days, seed, thresholds).
//!
//! This module owns those two schemas; it does not read them back (see `report::data`).

use serde::{Deserialize, Serialize};

use crate::scenario::Model;
use crate::stats::WaitHistogram;

/// Width of the `waits.csv` bins, seconds.
pub const WAIT_BIN_S: f64 = 5.0;
/// Waits from here on share one tail bin, seconds (10 minutes).
pub const WAIT_TAIL_FROM_S: f64 = 600.0;

/// One row of `waits.csv`: how many callers of one queue (or `all`) waited in
/// `[wait_from_s, wait_to_s)` over the whole run, answered and abandoned together.
///
/// Rows per queue, in increasing wait, only non-empty bins: first the callers answered at once
/// (`wait_from_s = wait_to_s = 0`), then 5-second bins up to 10 minutes, then one tail bin from
/// 600 s to the end of the longest recorded wait's histogram bucket.
///
/// Each histogram bucket is assigned whole to the 5-second bin that holds its midpoint, so a
/// wait may be counted up to half a bucket away from its bin (≤ 1.6 s below 10 minutes; see the
/// bucket widths in `stats::histogram`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WaitBinRow {
    /// Queue name, or `all` for every queue together.
    pub queue: String,
    /// Lower edge of the bin, seconds (inclusive).
    pub wait_from_s: f64,
    /// Upper edge of the bin, seconds (exclusive; equal to `wait_from_s` for zero waits).
    pub wait_to_s: f64,
    /// Callers whose wait fell in the bin.
    pub calls: u64,
}

/// Merges a wait histogram into the `waits.csv` bins of one queue.
pub fn wait_bins(queue: &str, h: &WaitHistogram) -> Vec<WaitBinRow> {
    let mut rows = Vec::new();
    if h.zero_count() > 0 {
        rows.push(WaitBinRow {
            queue: queue.to_string(),
            wait_from_s: 0.0,
            wait_to_s: 0.0,
            calls: h.zero_count(),
        });
    }
    let bins = (WAIT_TAIL_FROM_S / WAIT_BIN_S) as usize;
    let mut counts = vec![0u64; bins];
    let mut tail = 0u64;
    let mut tail_to = WAIT_TAIL_FROM_S;
    for (from, to, n) in h.buckets() {
        let mid = 0.5 * (from + to);
        if mid < WAIT_TAIL_FROM_S {
            counts[(mid / WAIT_BIN_S) as usize] += n;
        } else {
            tail += n;
            tail_to = tail_to.max(to);
        }
    }
    for (i, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        rows.push(WaitBinRow {
            queue: queue.to_string(),
            wait_from_s: i as f64 * WAIT_BIN_S,
            wait_to_s: (i + 1) as f64 * WAIT_BIN_S,
            calls: n,
        });
    }
    if tail > 0 {
        rows.push(WaitBinRow {
            queue: queue.to_string(),
            wait_from_s: WAIT_TAIL_FROM_S,
            wait_to_s: tail_to,
            calls: tail,
        });
    }
    rows
}

/// The default service-level target (share answered within the threshold) when the scenario
/// does not state one: the industry's usual 80/20 reading.
pub const DEFAULT_SL_TARGET: f64 = 0.8;

/// `run.json`: facts about the run the CSVs do not carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunFacts {
    /// Scenario name.
    pub scenario: String,
    /// The scenario file, as given.
    #[serde(default)]
    pub source: String,
    /// Days simulated.
    pub days: u32,
    /// Seed of the run (`None` when unknown).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Statistics interval, seconds.
    pub interval_s: f64,
    /// Queues in scenario order.
    #[serde(default)]
    pub queues: Vec<QueueFacts>,
    /// Pool names in scenario order.
    #[serde(default)]
    pub pools: Vec<String>,
    /// The hotline version that wrote the run.
    #[serde(default)]
    pub hotline_version: String,
    /// `[scenario] start` (`2026-11-30`): the date of day 1, for the charts' weekdays. Absent
    /// for an undated run (day 1 is a Monday).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// The queue policy the run used (`fifo`, `priority+callback`, …; `hotline policies`).
    /// Absent in runs written before policies existed (they were `fifo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Replications folded into the folder's CSVs (`simulate --replications N`, `merge`);
    /// absent for a single run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications: Option<u64>,
}

/// Service-level context of one queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueFacts {
    pub name: String,
    /// Calls answered within this many seconds count as in service level.
    pub sl_threshold_s: f64,
    /// Target share within the threshold (0–1).
    #[serde(default = "default_target")]
    pub sl_target: f64,
}

fn default_target() -> f64 {
    DEFAULT_SL_TARGET
}

impl RunFacts {
    pub fn of(model: &Model) -> Self {
        RunFacts {
            scenario: model.name.clone(),
            source: model.source.display().to_string(),
            days: model.days,
            seed: Some(model.seed),
            interval_s: model.interval_s,
            queues: model
                .queues
                .iter()
                .map(|q| QueueFacts {
                    name: q.name.clone(),
                    sl_threshold_s: q.sl_threshold_s,
                    sl_target: DEFAULT_SL_TARGET,
                })
                .collect(),
            pools: model.pools.iter().map(|p| p.name.clone()).collect(),
            hotline_version: env!("CARGO_PKG_VERSION").to_string(),
            start: model.calendar.start().map(|d| d.to_string()),
            policy: Some(model.policy.to_string()),
            replications: None,
        }
    }

    /// The run's calendar (an undated Monday when `start` is absent or unreadable).
    pub fn calendar(&self) -> crate::time::Calendar {
        let start = self
            .start
            .as_deref()
            .and_then(|d| crate::time::parse_date(d).ok());
        crate::time::Calendar::new(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_bins_keep_every_call_and_put_long_waits_in_one_tail_bin() {
        let mut h = WaitHistogram::default();
        for w in [0.0, 0.0, 0.0, 1.0, 4.9, 5.0, 62.0, 601.0, 3600.0] {
            h.record(w);
        }
        let rows = wait_bins("general", &h);
        assert_eq!(rows.iter().map(|r| r.calls).sum::<u64>(), 9);
        assert_eq!(
            (rows[0].wait_from_s, rows[0].wait_to_s, rows[0].calls),
            (0.0, 0.0, 3)
        );
        assert_eq!((rows[1].wait_from_s, rows[1].calls), (0.0, 2));
        assert_eq!((rows[2].wait_from_s, rows[2].calls), (5.0, 1));
        assert_eq!(rows[3].wait_from_s, 60.0);
        let tail = rows.last().unwrap();
        assert_eq!((tail.wait_from_s, tail.calls), (600.0, 2));
        assert!(tail.wait_to_s > 3600.0);
        assert!(rows.iter().all(|r| r.queue == "general"));
    }

    #[test]
    fn an_empty_histogram_gives_no_rows() {
        assert!(wait_bins("q", &WaitHistogram::default()).is_empty());
    }
}
