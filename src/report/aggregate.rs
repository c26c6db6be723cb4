//! Interval rows summed into the coarser points a chart or a table shows (an hour, a day, the
//! whole run): counts add up, time averages are averaged over the intervals, ratios are
//! recomputed from the summed counts, never averaged. The rows come from [`super::data`].

use super::data::{IntervalRecord, OutcomeCounts, PlanVsSimRecord, PoolRecord, StaffingRecord};
use crate::stats::IntervalRow;

/// Interval rows of one queue summed over a coarser period (an hour, a day…). Counts add up;
/// time averages (agents, queue length) are averaged over the intervals; ratios are recomputed
/// from the summed counts, never averaged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agg {
    /// Start of the period, seconds.
    pub start_s: f64,
    /// Intervals summed.
    pub n: u32,
    pub offered: u64,
    /// Sum of `expected_calls` (`None` when any interval lacks it).
    pub expected: Option<f64>,
    pub answered: u64,
    pub abandoned: u64,
    pub answered_within: u64,
    pub abandoned_within: u64,
    /// Σ ASA × answered: the total wait of answered calls, seconds.
    pub wait_answered_s: f64,
    agents_sum: f64,
    present_sum: f64,
    busy_sum: f64,
    queue_mean_sum: f64,
    pub queue_peak: u32,
    /// The outcome counts (blocked, closed, callbacks, transfers…) summed.
    pub outcomes: OutcomeCounts,
    /// Σ callback delay × callbacks completed: seconds from request to answered callback.
    pub callback_delay_s: f64,
}

/// The figures of one interval row that the period tables sum (days, weeks): read from a
/// row of `intervals.csv` ([`IntervalRecord`]) or, in a replicated run, from a replication's
/// own row before it is folded ([`IntervalRow`]), so both sum the same way.
#[derive(Debug, Clone, Copy)]
pub struct PeriodFigures {
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub answered_within: u64,
    pub abandoned_within: u64,
    pub asa_s: Option<f64>,
    pub agents: f64,
    pub agents_present: f64,
    pub occupancy: Option<f64>,
    pub queue_length_mean: f64,
    pub queue_length_peak: u32,
}

/// The same named fields in both row types (the CSV columns).
macro_rules! period_figures {
    ($row:ty) => {
        impl From<&$row> for PeriodFigures {
            fn from(r: &$row) -> Self {
                PeriodFigures {
                    offered: r.offered,
                    answered: r.answered,
                    abandoned: r.abandoned,
                    answered_within: r.answered_within_threshold,
                    abandoned_within: r.abandoned_within_threshold,
                    asa_s: r.asa_s,
                    agents: r.agents,
                    agents_present: r.agents_present,
                    occupancy: r.occupancy,
                    queue_length_mean: r.queue_length_mean,
                    queue_length_peak: r.queue_length_peak,
                }
            }
        }
    };
}
period_figures!(IntervalRecord);
period_figures!(IntervalRow);

impl Agg {
    fn add(&mut self, r: &IntervalRecord) {
        self.expected = match (self.n, self.expected, r.expected_calls) {
            (0, _, e) => e,
            (_, Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        self.add_figures(&PeriodFigures::from(r));
        self.outcomes.add(&r.outcomes());
        self.callback_delay_s +=
            r.callback_delay_mean_s.unwrap_or(0.0) * r.callbacks_completed as f64;
    }

    /// Adds the counts and time averages of one interval (not its outcomes or forecast).
    pub fn add_figures(&mut self, r: &PeriodFigures) {
        self.n += 1;
        self.offered += r.offered;
        self.answered += r.answered;
        self.abandoned += r.abandoned;
        self.answered_within += r.answered_within;
        self.abandoned_within += r.abandoned_within;
        self.wait_answered_s += r.asa_s.unwrap_or(0.0) * r.answered as f64;
        self.agents_sum += r.agents;
        self.present_sum += r.agents_present;
        self.busy_sum += r.occupancy.unwrap_or(0.0) * r.agents_present;
        self.queue_mean_sum += r.queue_length_mean;
        self.queue_peak = self.queue_peak.max(r.queue_length_peak);
    }

    fn mean(&self, sum: f64) -> f64 {
        if self.n > 0 {
            sum / f64::from(self.n)
        } else {
            0.0
        }
    }

    /// Answered within T ÷ (answered + abandoned after T); `None` with no such call.
    pub fn service_level(&self) -> Option<f64> {
        let den = self.answered + (self.abandoned - self.abandoned_within.min(self.abandoned));
        (den > 0).then(|| self.answered_within as f64 / den as f64)
    }
    pub fn asa_s(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.wait_answered_s / self.answered as f64)
    }
    /// Mean time from callback request to the answered callback, seconds.
    pub fn callback_delay_mean_s(&self) -> Option<f64> {
        let n = self.outcomes.callbacks_completed;
        (n > 0).then(|| self.callback_delay_s / n as f64)
    }
    pub fn abandon_rate(&self) -> Option<f64> {
        let left = self.answered + self.abandoned;
        (left > 0).then(|| self.abandoned as f64 / left as f64)
    }
    /// Mean agents scheduled.
    pub fn agents(&self) -> f64 {
        self.mean(self.agents_sum)
    }
    pub fn occupancy(&self) -> Option<f64> {
        (self.present_sum > 0.0).then(|| self.busy_sum / self.present_sum)
    }
    pub fn queue_length_mean(&self) -> f64 {
        self.mean(self.queue_mean_sum)
    }
    /// Agent-hours scheduled: Σ agents × the interval's length, in hours.
    pub fn agent_hours(&self, interval_s: f64) -> f64 {
        self.agents_sum * interval_s / 3600.0
    }
}

/// Sums the rows of `queue` into periods of `period_s` (a multiple of the interval), in time
/// order. Periods without rows do not appear.
pub fn aggregate(rows: &[IntervalRecord], queue: &str, period_s: f64) -> Vec<Agg> {
    let mut out: Vec<Agg> = Vec::new();
    for r in rows.iter().filter(|r| r.queue == queue) {
        let start = (r.interval_start_s / period_s).floor() * period_s;
        match out.last_mut() {
            Some(a) if a.start_s == start => a.add(r),
            _ => {
                let mut a = Agg {
                    start_s: start,
                    ..Agg::default()
                };
                a.add(r);
                out.push(a);
            }
        }
    }
    out
}

/// Pool rows of one pool (or every pool for `None`) summed over periods: mean agents and
/// occupancy as busy ÷ present agent time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoolAgg {
    pub start_s: f64,
    scheduled_sum: f64,
    present_sum: f64,
    busy_sum: f64,
}

impl PoolAgg {
    /// Busy ÷ present agent time (the `occupancy` of `pools.csv`).
    pub fn occupancy(&self) -> Option<f64> {
        (self.present_sum > 0.0).then(|| self.busy_sum / self.present_sum)
    }

    /// Occupancy of the **scheduled** agents: their busy time ÷ their scheduled time; `None`
    /// when nobody was scheduled.
    ///
    /// An agent present beyond the schedule is a leaving agent finishing a call, busy the whole
    /// time (present − scheduled is overtime, all of it busy), so the scheduled agents' busy time
    /// is busy − (present − scheduled). Counting the overtime instead makes every shift end look
    /// like 100 % occupancy: a few agents finishing their last calls, alone in the interval.
    pub fn occupancy_of_scheduled(&self) -> Option<f64> {
        (self.scheduled_sum > 0.0).then(|| {
            let overtime = (self.present_sum - self.scheduled_sum).max(0.0);
            ((self.busy_sum - overtime) / self.scheduled_sum).clamp(0.0, 1.0)
        })
    }
}

pub fn aggregate_pools(rows: &[PoolRecord], pool: Option<&str>, period_s: f64) -> Vec<PoolAgg> {
    let mut out: Vec<PoolAgg> = Vec::new();
    for r in rows.iter().filter(|r| pool.is_none_or(|p| r.pool == p)) {
        let start = (r.interval_start_s / period_s).floor() * period_s;
        let slot = match out.iter().rposition(|a| a.start_s == start) {
            Some(i) => &mut out[i],
            None => {
                out.push(PoolAgg {
                    start_s: start,
                    ..PoolAgg::default()
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        slot.scheduled_sum += r.agents;
        slot.present_sum += r.agents_present;
        slot.busy_sum += r.agents_busy;
    }
    out
}

/// Staffing rows of one queue (or all queues summed, for `None`) per period. Agents are
/// headcounts: the queues' agents are summed per interval, and a period longer than an interval
/// shows the **mean per interval** of that sum, never the sum over the period's intervals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaffAgg {
    pub start_s: f64,
    /// Distinct intervals seen in the period.
    n: u32,
    last_interval_s: Option<f64>,
    erlang_c_sum: f64,
    erlang_a_sum: f64,
    required_sum: f64,
    scheduled_sum: f64,
}

impl StaffAgg {
    fn mean(&self, sum: f64) -> f64 {
        if self.n > 0 {
            sum / f64::from(self.n)
        } else {
            0.0
        }
    }
    /// Agents on the phones required under Erlang C, mean per interval.
    pub fn erlang_c(&self) -> f64 {
        self.mean(self.erlang_c_sum)
    }
    /// Agents on the phones required under Erlang A, mean per interval.
    pub fn erlang_a(&self) -> f64 {
        self.mean(self.erlang_a_sum)
    }
    /// Agents required under the plan's model, mean per interval.
    pub fn required(&self) -> f64 {
        self.mean(self.required_sum)
    }
    /// Agents scheduled (after shrinkage), mean per interval.
    pub fn scheduled(&self) -> f64 {
        self.mean(self.scheduled_sum)
    }
}

/// Sums staffing rows (in file order: interval by interval) into periods of `period_s`.
pub fn aggregate_staffing(
    rows: &[StaffingRecord],
    queue: Option<&str>,
    period_s: f64,
) -> Vec<StaffAgg> {
    let mut out: Vec<StaffAgg> = Vec::new();
    for r in rows.iter().filter(|r| queue.is_none_or(|q| r.queue == q)) {
        let start = (r.interval_start_s / period_s).floor() * period_s;
        if out.last().is_none_or(|a| a.start_s != start) {
            out.push(StaffAgg {
                start_s: start,
                ..StaffAgg::default()
            });
        }
        let Some(a) = out.last_mut() else { continue };
        if a.last_interval_s != Some(r.interval_start_s) {
            a.n += 1;
            a.last_interval_s = Some(r.interval_start_s);
        }
        a.erlang_c_sum += f64::from(r.agents_erlang_c);
        a.erlang_a_sum += f64::from(r.agents_erlang_a);
        a.required_sum += f64::from(r.agents_required);
        a.scheduled_sum += f64::from(r.agents_scheduled);
    }
    out
}

/// The service level a staffing plan promised, over a period: the per-interval promises of one
/// queue (or every queue, for `None`) weighted by the calls the simulation offered. The file holds
/// ratios, not counts, so this is Σ promised × offered ÷ Σ offered over intervals with a promise;
/// at interval resolution it is the promise itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PromiseAgg {
    pub start_s: f64,
    within_sum: f64,
    offered_sum: f64,
}

impl PromiseAgg {
    /// `None` when no offered call had a promise in the period.
    pub fn service_level(&self) -> Option<f64> {
        (self.offered_sum > 0.0).then(|| self.within_sum / self.offered_sum)
    }
}

pub fn aggregate_promises(
    rows: &[PlanVsSimRecord],
    queue: Option<&str>,
    period_s: f64,
) -> Vec<PromiseAgg> {
    let mut out: Vec<PromiseAgg> = Vec::new();
    for r in rows.iter().filter(|r| queue.is_none_or(|q| r.queue == q)) {
        let start = (r.interval_start_s / period_s).floor() * period_s;
        if out.last().is_none_or(|a| a.start_s != start) {
            out.push(PromiseAgg {
                start_s: start,
                ..PromiseAgg::default()
            });
        }
        let Some(a) = out.last_mut() else { continue };
        if let Some(p) = r.sl_promised {
            a.within_sum += p * r.offered as f64;
            a.offered_sum += r.offered as f64;
        }
    }
    out
}

/// The most points a chart series shows before rows are summed into coarser periods.
pub const MAX_POINTS: usize = 2000;

/// The period (seconds) charts plot: the interval itself, else an hour, a day or a week —
/// the first that keeps a series under [`MAX_POINTS`] points — with its name for axis labels.
pub fn plot_period(interval_s: f64, span_s: f64) -> (f64, String) {
    let candidates = [
        interval_s,
        3600.0,
        crate::time::DAY,
        crate::time::WEEK,
        4.0 * crate::time::WEEK,
    ];
    for &p in &candidates {
        if p < interval_s {
            continue;
        }
        if span_s / p <= MAX_POINTS as f64 {
            return (p, period_name(p));
        }
    }
    let p = 4.0 * crate::time::WEEK;
    (p, period_name(p))
}

/// "30 min", "hour", "day", "week", "4 weeks".
pub fn period_name(p: f64) -> String {
    let week = crate::time::WEEK;
    let day = crate::time::DAY;
    if p >= week && (p / week).fract() == 0.0 {
        let w = p / week;
        return if w == 1.0 {
            "week".into()
        } else {
            format!("{w} weeks")
        };
    }
    if p == day {
        return "day".into();
    }
    if p == 3600.0 {
        return "hour".into();
    }
    if p >= 3600.0 && (p / 3600.0).fract() == 0.0 {
        return format!("{} h", p / 3600.0);
    }
    if p >= 60.0 && (p / 60.0).fract() == 0.0 {
        return format!("{} min", p / 60.0);
    }
    format!("{p} s")
}
