//! Per-interval staffing requirements: for every statistics interval and queue, the expected
//! calls (`arrivals::expected_calls`: base profile, forecasts and surges through the IVR), the
//! offered load, and the fewest agents meeting the targets under Erlang C and Erlang A.
//!
//! Owns the mapping scenario → queueing inputs and the day totals; not the formulas
//! (`crate::erlang`) nor the files (the app writes [`StaffingRow`] and [`DailyRow`]).
//!
//! # Model
//! Each interval is taken as stationary (the usual "stationary independent period by period"
//! approach, Green, Kolesar & Whitt, "Coping with time-varying demand when setting staffing
//! requirements for a service system", POMS 16(1), 2007): λ = expected calls / interval length,
//! mean handle time h = talk mean × (forecast AHT scale, call-weighted) + wrap-up mean, offered
//! load a = λ·h. Handle times are taken as exponential with that mean whatever their
//! distribution, and Erlang A takes each queue's *mean* patience even when the patience is not
//! exponential (the formula is exact only for exponential patience). Redials and replayed calls
//! are not in the expected calls. A queue without patience has Erlang A = Erlang C. Targets: the
//! service-level goal always; ASA and occupancy caps when given; the abandonment cap applies to
//! Erlang A only (nobody abandons under Erlang C).
//!
//! # Performance
//! Inputs repeat (weekly profiles, nights of zero calls), so results are cached by (queue,
//! calls, handle time) bit patterns: a 365-day horizon costs about as much as its distinct weeks.

use std::collections::HashMap;

use serde::Serialize;

use super::PlanError;
use crate::arrivals::expected_calls;
use crate::erlang::{
    Figures, Load, Model as Erlang, ServiceLevelTarget, Targets, evaluate, required_agents,
};
use crate::scenario::{
    Model, QueueForecast, QueueId, ServiceLevelGoal, StaffingModel, StaffingTargets,
};
use crate::time::{Calendar, DAY, Seconds, WEEKDAYS};

/// The targets and settings one plan is computed with, every default resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StaffingSettings {
    /// Service-level goal; without a threshold, each queue's own.
    pub goal: ServiceLevelGoal,
    /// Which model decides `agents_required`.
    pub model: StaffingModel,
    /// Fraction of paid time off the phones, in [0, 1).
    pub shrinkage: f64,
    pub max_occupancy: Option<f64>,
    pub target_asa: Option<Seconds>,
    /// Erlang A only.
    pub max_abandon: Option<f64>,
}

impl StaffingSettings {
    /// 80 % within each queue's service-level threshold (20 s unless the queue says otherwise).
    pub const DEFAULT_GOAL: ServiceLevelGoal = ServiceLevelGoal {
        fraction: 0.8,
        threshold: None,
    };

    /// `flags` where given, else `file` (the scenario's `[staffing]`), else the defaults:
    /// 80/20 (queue thresholds), Erlang C, no shrinkage, no other cap.
    pub fn resolve(flags: &StaffingTargets, file: &StaffingTargets) -> StaffingSettings {
        StaffingSettings {
            goal: flags
                .service_level
                .or(file.service_level)
                .unwrap_or(Self::DEFAULT_GOAL),
            model: flags.model.or(file.model).unwrap_or(StaffingModel::ErlangC),
            shrinkage: flags.shrinkage.or(file.shrinkage).unwrap_or(0.0),
            max_occupancy: flags.max_occupancy.or(file.max_occupancy),
            target_asa: flags.target_asa.or(file.target_asa),
            max_abandon: flags.max_abandon.or(file.max_abandon),
        }
    }

    /// Agents to schedule so that `required` are on the phones after shrinkage:
    /// ⌈required / (1 − shrinkage)⌉. The small allowance keeps 56 / (1 − 0.3) at 80 despite
    /// rounding (the same rule as `hotline erlang`).
    pub fn scheduled(&self, required: u32) -> u32 {
        if required == 0 {
            return 0;
        }
        (f64::from(required) / (1.0 - self.shrinkage) - 1e-9).ceil() as u32
    }
}

/// What the planner needs of one queue, resolved once.
#[derive(Debug, Clone, Copy)]
struct QueueParams {
    talk_s: f64,
    wrap_up_s: f64,
    patience: Option<Seconds>,
    threshold: Seconds,
}

/// The answer for one (queue, calls, handle time).
#[derive(Debug, Clone, Copy)]
struct Solved {
    erlang_c: u32,
    erlang_a: u32,
    required: u32,
    figures: Option<Figures>,
}

/// One interval × queue of the plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Requirement {
    /// Interval number since the start of the horizon.
    pub interval: u64,
    pub queue: QueueId,
    /// Expected calls offered to the queue in the interval.
    pub calls: f64,
    /// Mean handle time (talk + wrap-up) used.
    pub handle_time: Seconds,
    /// Service-level threshold the goal and figures refer to.
    pub threshold: Seconds,
    pub agents_erlang_c: u32,
    /// Equal to `agents_erlang_c` for a queue without patience.
    pub agents_erlang_a: u32,
    /// Under the chosen model.
    pub agents_required: u32,
    /// `agents_required` grossed up for shrinkage.
    pub agents_scheduled: u32,
    /// The chosen model's figures at `agents_required`; `None` when no call is expected.
    pub figures: Option<Figures>,
}

impl Requirement {
    /// Offered load a = λ·h in erlangs.
    pub fn erlangs(&self, interval_s: f64) -> f64 {
        self.calls / interval_s * self.handle_time.0
    }
}

/// Computes requirements interval by interval, caching repeated inputs.
pub struct Planner<'m> {
    model: &'m Model,
    settings: StaffingSettings,
    queues: Vec<QueueParams>,
    cache: HashMap<(u32, u64, u64), Solved>,
    solved: u64,
}

/// Above this many cached answers the cache starts over (a bound on memory, ~100 MB).
const CACHE_LIMIT: usize = 1 << 20;

impl<'m> Planner<'m> {
    pub fn new(model: &'m Model, settings: StaffingSettings) -> Self {
        let queues = model
            .queues
            .iter()
            .map(|q| QueueParams {
                talk_s: q.handle_time.mean(),
                wrap_up_s: q.wrap_up.as_ref().map_or(0.0, |w| w.mean()),
                patience: q.patience.as_ref().map(|p| Seconds(p.mean())),
                threshold: settings.goal.threshold.unwrap_or(Seconds(q.sl_threshold_s)),
            })
            .collect();
        Planner {
            model,
            settings,
            queues,
            cache: HashMap::new(),
            solved: 0,
        }
    }

    pub fn settings(&self) -> &StaffingSettings {
        &self.settings
    }

    /// Distinct (queue, calls, handle time) inputs solved so far (the rest came from the cache).
    pub fn distinct_solved(&self) -> u64 {
        self.solved
    }

    /// The requirements of interval `k` for every queue, in queue order, into `out`.
    ///
    /// # Errors
    /// [`PlanError::Erlang`] when the staffing math refuses an input (a target no staffing up to
    /// the solver's cap meets, a load too large to evaluate).
    pub fn interval(&mut self, k: u64, out: &mut Vec<Requirement>) -> Result<(), PlanError> {
        out.clear();
        let len = self.model.interval_s;
        let (a, b) = (k as f64 * len, (k + 1) as f64 * len);
        let (per_queue, _) = expected_calls(self.model, a, b);
        for (q, &calls) in per_queue.iter().enumerate() {
            let p = self.queues[q];
            let talk_scale = self.forecast_talk_scale(QueueId(q as u32), calls, a, b);
            let handle_s = p.talk_s * talk_scale + p.wrap_up_s;
            let key = (q as u32, calls.to_bits(), handle_s.to_bits());
            let solved = match self.cache.get(&key) {
                Some(s) => *s,
                None => {
                    let s = self
                        .solve(p, calls, handle_s)
                        .map_err(|source| PlanError::Erlang {
                            interval: self.model.calendar.label(a),
                            queue: self.model.queues[q].name.clone(),
                            source,
                        })?;
                    if self.cache.len() >= CACHE_LIMIT {
                        self.cache.clear();
                    }
                    self.cache.insert(key, s);
                    self.solved += 1;
                    s
                }
            };
            out.push(Requirement {
                interval: k,
                queue: QueueId(q as u32),
                calls,
                handle_time: Seconds(handle_s),
                threshold: p.threshold,
                agents_erlang_c: solved.erlang_c,
                agents_erlang_a: solved.erlang_a,
                agents_required: solved.required,
                agents_scheduled: self.settings.scheduled(solved.required),
                figures: solved.figures,
            });
        }
        Ok(())
    }

    /// The factor on the queue's talk-time mean in [a, b): 1, except where forecasts give an
    /// AHT per segment, then the call-weighted mean of their scales (base calls at 1).
    fn forecast_talk_scale(&self, q: QueueId, calls: f64, a: f64, b: f64) -> f64 {
        if calls <= 0.0 {
            return 1.0;
        }
        let extra: f64 = self
            .model
            .extras
            .forecasts
            .iter()
            .filter(|f| f.queue == q && !f.handle_scale.is_empty())
            .map(|f| {
                let (plain, scaled) = forecast_calls(f, a, b);
                scaled - plain
            })
            .sum();
        (1.0 + extra / calls).max(0.0)
    }

    fn solve(
        &self,
        p: QueueParams,
        calls: f64,
        handle_s: f64,
    ) -> Result<Solved, crate::erlang::ErlangError> {
        if calls <= 0.0 {
            return Ok(Solved {
                erlang_c: 0,
                erlang_a: 0,
                required: 0,
                figures: None,
            });
        }
        let load = Load::new(calls / self.model.interval_s, Seconds(handle_s))?;
        let s = &self.settings;
        let targets_c = Targets {
            service_level: Some(ServiceLevelTarget {
                fraction: s.goal.fraction,
                threshold: p.threshold,
            }),
            max_asa: s.target_asa,
            max_abandon: None,
            max_occupancy: s.max_occupancy,
        };
        let erlang_c = required_agents(Erlang::ErlangC, load, &targets_c)?;
        let erlang_a = match p.patience {
            Some(patience) => {
                let targets_a = Targets {
                    max_abandon: s.max_abandon,
                    ..targets_c
                };
                required_agents(Erlang::ErlangA { patience }, load, &targets_a)?
            }
            None => erlang_c,
        };
        let (model, required) = match (s.model, p.patience) {
            (StaffingModel::ErlangA, Some(patience)) => (Erlang::ErlangA { patience }, erlang_a),
            _ => (Erlang::ErlangC, erlang_c),
        };
        let figures = evaluate(model, load, required, p.threshold)?;
        Ok(Solved {
            erlang_c,
            erlang_a,
            required,
            figures: Some(figures),
        })
    }
}

/// A forecast's expected calls in [a, b), plain and weighted by its handle-time scale.
fn forecast_calls(f: &QueueForecast, a: f64, b: f64) -> (f64, f64) {
    let p = &f.profile;
    let (mut plain, mut scaled) = (0.0, 0.0);
    if p.rate_per_s.is_empty() || p.segment_s <= 0.0 {
        return (0.0, 0.0);
    }
    let mut t = a;
    while t < b {
        let seg = (t / p.segment_s).floor();
        let e = ((seg + 1.0) * p.segment_s).min(b);
        let i = seg as usize;
        let Some(rate) = p.rate_per_s.get(i) else {
            break;
        };
        let calls = rate * (e - t);
        plain += calls;
        scaled += calls * f.handle_scale.get(i).copied().unwrap_or(1.0);
        t = e;
    }
    (plain, scaled)
}

/// One row of `staffing.csv`: one interval × queue.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct StaffingRow {
    /// Start of the interval as the planner reads it: `2026-11-30T08:00` with `[scenario]
    /// start`, `d1 Mon 08:00` without.
    pub interval_start: String,
    /// Start of the interval in seconds since the horizon began.
    pub interval_start_s: f64,
    pub queue: String,
    /// Expected calls offered to the queue in the interval (base profile, forecasts and surges
    /// through the IVR; redials not included).
    pub calls: f64,
    /// Mean handle time used: talk + after-call work, seconds.
    pub aht_s: f64,
    /// a = calls per second × AHT.
    pub offered_load_erlangs: f64,
    /// Fewest agents on the phones meeting the targets under Erlang C (M/M/c).
    pub agents_erlang_c: u32,
    /// The same under Erlang A (M/M/c+M, the queue's mean patience); = Erlang C without patience.
    pub agents_erlang_a: u32,
    /// `erlang_c` or `erlang_a`: the model `agents_required` follows.
    pub model: &'static str,
    /// Agents on the phones required under `model`.
    pub agents_required: u32,
    /// ⌈agents_required / (1 − shrinkage)⌉: agents to schedule.
    pub agents_scheduled: u32,
    /// Service-level threshold of the goal and the figures below, seconds.
    pub threshold_s: f64,
    /// Predicted at `agents_required` under `model`: answered within the threshold over all
    /// offered calls (the figure the goal is met on). Empty with no calls.
    pub service_level: Option<f64>,
    /// Predicted: answered within the threshold over (answered + abandoned after it) — the
    /// definition of `service_level` in `intervals.csv`. Equal to `service_level` under
    /// Erlang C.
    pub service_level_excl_early_abandons: Option<f64>,
    /// Predicted mean wait of answered calls, seconds.
    pub asa_s: Option<f64>,
    /// Predicted P(an offered call abandons) (0 under Erlang C).
    pub p_abandon: Option<f64>,
    /// Predicted busy time over staffed time.
    pub occupancy: Option<f64>,
    /// Weekday of the interval's start: `Mon` … `Sun`.
    pub weekday: &'static str,
}

impl StaffingRow {
    pub fn new(model: &Model, settings: &StaffingSettings, r: &Requirement) -> StaffingRow {
        let start = r.interval as f64 * model.interval_s;
        let f = r.figures;
        let chosen = match (settings.model, &model.queues[r.queue.0 as usize].patience) {
            (StaffingModel::ErlangA, Some(_)) => StaffingModel::ErlangA,
            _ => StaffingModel::ErlangC,
        };
        StaffingRow {
            interval_start: model.calendar.label(start),
            interval_start_s: start,
            queue: model.queues[r.queue.0 as usize].name.clone(),
            calls: r.calls,
            aht_s: r.handle_time.0,
            offered_load_erlangs: r.erlangs(model.interval_s),
            agents_erlang_c: r.agents_erlang_c,
            agents_erlang_a: r.agents_erlang_a,
            model: chosen.name(),
            agents_required: r.agents_required,
            agents_scheduled: r.agents_scheduled,
            threshold_s: r.threshold.0,
            service_level: f.map(|f| f.service_level),
            service_level_excl_early_abandons: f.map(|f| f.service_level_excl_early_abandons),
            asa_s: f.map(|f| f.asa.0),
            p_abandon: f.map(|f| f.p_abandon),
            occupancy: f.map(|f| f.occupancy),
            weekday: model.calendar.weekday_label(start),
        }
    }
}

/// One row of `staffing_daily.csv`: one day × queue, plus `all` (every queue together).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct DailyRow {
    /// Day number, 1-based (day 1 is `[scenario] start`, or a Monday without it).
    pub day: u64,
    /// `Mon` … `Sun`.
    pub weekday: String,
    /// Queue name, or `all`.
    pub queue: String,
    /// Expected calls offered that day.
    pub calls: f64,
    /// Σ agents × interval length, Erlang C staffing.
    pub agent_hours_erlang_c: f64,
    /// Σ agents × interval length, Erlang A staffing.
    pub agent_hours_erlang_a: f64,
    /// Agent-hours on the phones under the chosen model.
    pub agent_hours_required: f64,
    /// Agent-hours to schedule (after shrinkage).
    pub agent_hours_scheduled: f64,
    /// Most agents required in one interval (for `all`: the most of the sum over queues).
    pub peak_agents_required: u32,
    /// Most agents scheduled in one interval.
    pub peak_agents_scheduled: u32,
    /// The day's date `2026-11-30` with `[scenario] start`; empty without it.
    pub date: String,
}

/// Per-weekday figures over the horizon for the printed table (every queue together).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WeekdaySummary {
    /// Days of this weekday in the horizon.
    pub days: u32,
    /// Sums over those days.
    pub calls: f64,
    pub agent_hours_erlang_c: f64,
    pub agent_hours_erlang_a: f64,
    pub agent_hours_scheduled: f64,
    /// Most over those days.
    pub peak_agents_required: u32,
    pub peak_agents_scheduled: u32,
}

/// Accumulates requirements into day totals per queue and `all`; bounded memory.
pub struct DailyTotals {
    queue_names: Vec<String>,
    hours_per_interval: f64,
    /// Index `nq` is `all`.
    today: Vec<DailyRow>,
    day: Option<u64>,
    /// Monday first.
    weekdays: [WeekdaySummary; 7],
    calendar: Calendar,
}

impl DailyTotals {
    pub fn new(model: &Model) -> Self {
        let mut queue_names: Vec<String> = model.queues.iter().map(|q| q.name.clone()).collect();
        queue_names.push("all".into());
        DailyTotals {
            today: Vec::new(),
            queue_names,
            hours_per_interval: model.interval_s / 3600.0,
            day: None,
            weekdays: [WeekdaySummary::default(); 7],
            calendar: model.calendar,
        }
    }

    /// Adds one interval's requirements (every queue of interval `k`, from [`Planner::interval`]).
    /// Returns the finished day's rows when `k` starts a new day.
    pub fn add(&mut self, interval_s: f64, reqs: &[Requirement]) -> Option<Vec<DailyRow>> {
        let k = reqs.first()?.interval;
        let day = (k as f64 * interval_s / DAY).floor() as u64;
        let finished = match self.day {
            Some(d) if d != day => self.finish_day(),
            _ => None,
        };
        if self.day != Some(day) {
            self.day = Some(day);
            let weekday = self.calendar.weekday_label(day as f64 * DAY);
            let date = self.calendar.day_label(day);
            self.today = self
                .queue_names
                .iter()
                .map(|q| DailyRow {
                    day: day + 1,
                    weekday: weekday.to_owned(),
                    queue: q.clone(),
                    calls: 0.0,
                    agent_hours_erlang_c: 0.0,
                    agent_hours_erlang_a: 0.0,
                    agent_hours_required: 0.0,
                    agent_hours_scheduled: 0.0,
                    peak_agents_required: 0,
                    peak_agents_scheduled: 0,
                    date: date.clone(),
                })
                .collect();
        }
        let h = self.hours_per_interval;
        let (mut sum_req, mut sum_sch) = (0u32, 0u32);
        let nq = self.queue_names.len() - 1;
        for r in reqs {
            for i in [r.queue.0 as usize, nq] {
                let row = &mut self.today[i];
                row.calls += r.calls;
                row.agent_hours_erlang_c += f64::from(r.agents_erlang_c) * h;
                row.agent_hours_erlang_a += f64::from(r.agents_erlang_a) * h;
                row.agent_hours_required += f64::from(r.agents_required) * h;
                row.agent_hours_scheduled += f64::from(r.agents_scheduled) * h;
            }
            let row = &mut self.today[r.queue.0 as usize];
            row.peak_agents_required = row.peak_agents_required.max(r.agents_required);
            row.peak_agents_scheduled = row.peak_agents_scheduled.max(r.agents_scheduled);
            sum_req += r.agents_required;
            sum_sch += r.agents_scheduled;
        }
        let all = &mut self.today[nq];
        all.peak_agents_required = all.peak_agents_required.max(sum_req);
        all.peak_agents_scheduled = all.peak_agents_scheduled.max(sum_sch);
        finished
    }

    /// The rows of the day in progress (call once after the last interval).
    pub fn finish_day(&mut self) -> Option<Vec<DailyRow>> {
        let day = self.day.take()?;
        let rows = std::mem::take(&mut self.today);
        if let Some(all) = rows.last() {
            let w = &mut self.weekdays[self.calendar.weekday(day as f64 * DAY)];
            w.days += 1;
            w.calls += all.calls;
            w.agent_hours_erlang_c += all.agent_hours_erlang_c;
            w.agent_hours_erlang_a += all.agent_hours_erlang_a;
            w.agent_hours_scheduled += all.agent_hours_scheduled;
            w.peak_agents_required = w.peak_agents_required.max(all.peak_agents_required);
            w.peak_agents_scheduled = w.peak_agents_scheduled.max(all.peak_agents_scheduled);
        }
        Some(rows)
    }

    /// Monday first; days not in the horizon have `days == 0`.
    pub fn weekdays(&self) -> [(&'static str, WeekdaySummary); 7] {
        std::array::from_fn(|i| (WEEKDAYS[i], self.weekdays[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(shrinkage: f64) -> StaffingSettings {
        StaffingSettings::resolve(
            &StaffingTargets {
                shrinkage: Some(shrinkage),
                ..Default::default()
            },
            &StaffingTargets::default(),
        )
    }

    #[test]
    fn scheduling_grosses_up_for_shrinkage_and_keeps_zero_at_zero() {
        assert_eq!(settings(0.3).scheduled(56), 80);
        assert_eq!(settings(0.3).scheduled(57), 82);
        assert_eq!(settings(0.0).scheduled(57), 57);
        assert_eq!(settings(0.5).scheduled(0), 0);
    }

    #[test]
    fn flags_override_the_file_and_defaults_fill_the_rest() {
        let file = StaffingTargets {
            model: Some(StaffingModel::ErlangA),
            shrinkage: Some(0.2),
            ..Default::default()
        };
        let flags = StaffingTargets {
            shrinkage: Some(0.3),
            ..Default::default()
        };
        let s = StaffingSettings::resolve(&flags, &file);
        assert_eq!(s.model, StaffingModel::ErlangA);
        assert_eq!(s.shrinkage, 0.3);
        assert_eq!(s.goal, StaffingSettings::DEFAULT_GOAL);
    }

    #[test]
    fn forecast_calls_weigh_by_the_handle_scale() {
        let f = QueueForecast {
            queue: QueueId(0),
            profile: crate::scenario::ArrivalProfile {
                segment_s: 900.0,
                rate_per_s: vec![0.1, 0.2],
            },
            handle_scale: vec![1.0, 2.0],
        };
        let (plain, scaled) = forecast_calls(&f, 0.0, 1800.0);
        assert!((plain - 270.0).abs() < 1e-9);
        assert!((scaled - (90.0 + 360.0)).abs() < 1e-9);
        assert_eq!(forecast_calls(&f, 1800.0, 3600.0), (0.0, 0.0));
    }
}
