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
//! # What reaches the agents
//! The calls a queue's agents take in an interval, as the engine places them:
//! - **Closed intervals need 0 agents.** A caller who meets the queue closed (`hours`,
//!   `weekdays`, a special day) hears the closed message and is counted `closed`; no agent takes
//!   the call (engine/hours.rs), so the interval's calls are 0.
//! - **Closed-queue callback requests** (`[queue.closed] callback`): that share of the calls
//!   meeting the queue closed becomes a backlog, released as callback legs in the queue's next
//!   open interval (engine/callbacks.rs offers every leg at the opening). The backlog is added
//!   to that interval's calls, one call of the queue's plain handle time per request (an
//!   unanswered callback's ring and retries are left out). Under `callbacks = "when_idle"`
//!   with a promise `callback_within` W the backlog is spread evenly over the ⌈W ÷ I⌉ open
//!   intervals from the opening instead (the work the promise asks for in its window; the
//!   legs yield to inbound callers, so reading them as load there errs towards more agents);
//!   without a promise it stays at the opening.
//! - **Transfers** (`[[queue.transfer]]`): a queue receives `share` × the calls answered on the
//!   queues that transfer to it (their direct calls, backlog and own transfers-in: chains
//!   followed to a fixed point), in the same interval (the first leg's handle time, minutes, is
//!   short against the interval), each with the receiving queue's plain handle time. Every
//!   offered call counts as answered (Erlang C's view; under Erlang A a few abandon first, so
//!   this errs towards more agents). A leg that finds the receiving queue closed is closed
//!   there (and may leave a request). A queue fed only by transfers is staffed for them.
//!
//!   A consult (`consult`) moves no caller: the receiving queue counts it as a call lasting
//!   the mean consult time (its agent is busy for it; reading it as a call errs towards more
//!   agents). A conference's leg (`conference`) lasts the mean conference time longer there.
//!   The sending queue's calls last `share` × the mean consult or conference time longer
//!   (the first agent's part).
//!
//! The handle time of an interval is the call-weighted mean over its direct calls (with any
//! forecast AHT) and the legs above. A queue without hours and transfers sees exactly its
//! expected calls.
//!
//! # Performance
//! Inputs repeat (weekly profiles, nights of zero calls), so results are cached by (queue,
//! calls, handle time) bit patterns: a 365-day horizon costs about as much as its distinct weeks.

mod offered;

use std::collections::HashMap;

use serde::Serialize;

use super::PlanError;
use crate::erlang::{
    Figures, Load, Model as Erlang, ServiceLevelTarget, Targets, evaluate, required_agents,
};
use crate::scenario::{
    Model, QueueForecast, QueueId, ServiceLevelGoal, StaffingModel, StaffingTargets,
};
use crate::time::{Calendar, DAY, Seconds, WEEKDAYS};
use offered::joint_mean_s;

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
    /// The first agent's consult and conference time per answered call: Σ share × mean time
    /// over the queue's transfer rows with one.
    joint_out_s: f64,
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
    /// Expected calls the queue's agents take in the interval: 0 while the queue is closed,
    /// plus closed-queue callback legs at the opening and transferred-in legs.
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
    /// Closed-queue callback requests waiting for their queue's next opening, per queue.
    backlog: Vec<f64>,
    /// The next interval whose closures the backlog has not seen yet.
    backlog_at: u64,
    /// Per queue releasing `when_idle`: (legs per interval, open intervals left) of a backlog
    /// spread over its promise window.
    trickle: Vec<(f64, u32)>,
    /// Whether any queue has opening hours or transfers (else the calls are the expected ones).
    routed: bool,
}

/// Above this many cached answers the cache starts over (a bound on memory, ~100 MB).
const CACHE_LIMIT: usize = 1 << 20;

impl<'m> Planner<'m> {
    pub fn new(model: &'m Model, settings: StaffingSettings) -> Self {
        // Handle times as the queue's planning pool works them (`handle_time_factor` of the
        // pool its requirement is planned in, `plan_file::queue_owners`).
        let owners = super::plan_file::queue_owners(model);
        let queues = model
            .queues
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let factor =
                    owners[i].map_or(1.0, |p| model.pools[p].handle_factor(QueueId(i as u32)));
                (q, factor)
            })
            .enumerate()
            .map(|(i, (q, factor))| QueueParams {
                joint_out_s: model.extras.transfers.get(i).map_or(0.0, |list| {
                    list.iter().map(|t| t.share * joint_mean_s(t)).sum()
                }),
                talk_s: q.handle_time.mean() * factor,
                wrap_up_s: q.wrap_up.as_ref().map_or(0.0, |w| w.mean()) * factor,
                patience: q.patience.as_ref().map(|p| Seconds(p.mean())),
                threshold: settings.goal.threshold.unwrap_or(Seconds(q.sl_threshold_s)),
            })
            .collect();
        let routed = model.queues.iter().any(|q| q.hours.is_some())
            || model.extras.transfers.iter().any(|t| !t.is_empty());
        Planner {
            model,
            settings,
            queues,
            cache: HashMap::new(),
            solved: 0,
            backlog: vec![0.0; model.queues.len()],
            backlog_at: 0,
            trickle: vec![(0.0, 0); model.queues.len()],
            routed,
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
    ///
    /// Calls are those the agents meet (module doc, "What reaches the agents"): 0 where the
    /// queue is closed, plus the closed-queue callback backlog at the opening and the
    /// transferred-in legs. The backlog depends on every earlier interval: called in order
    /// (0, 1, 2, …) each interval is computed once; out of order, the earlier ones are replayed.
    pub fn interval(&mut self, k: u64, out: &mut Vec<Requirement>) -> Result<(), PlanError> {
        out.clear();
        let len = self.model.interval_s;
        let (a, b) = (k as f64 * len, (k + 1) as f64 * len);
        let offered = self.offered_until(k);
        for (q, &direct) in offered.direct.iter().enumerate() {
            let p = self.queues[q];
            let talk_scale = self.forecast_talk_scale(QueueId(q as u32), direct, a, b);
            let direct_handle_s = p.talk_s * talk_scale + p.wrap_up_s;
            let legs = offered.legs[q];
            let joint = offered.consults[q] > 0.0 || offered.joint_in_s[q] > 0.0;
            let (calls, handle_s) = if !offered.open[q] {
                (0.0, direct_handle_s)
            } else if joint || p.joint_out_s > 0.0 {
                // Consults and conferences: agent time beside the callers' own.
                let plain_s = p.talk_s + p.wrap_up_s;
                let calls = direct + legs + offered.consults[q];
                let work_s = direct * direct_handle_s
                    + legs * plain_s
                    + (direct + legs) * p.joint_out_s
                    + offered.joint_in_s[q];
                (
                    calls,
                    if calls > 0.0 {
                        work_s / calls
                    } else {
                        direct_handle_s
                    },
                )
            } else if legs > 0.0 {
                let plain_s = p.talk_s + p.wrap_up_s;
                let calls = direct + legs;
                (calls, (direct * direct_handle_s + legs * plain_s) / calls)
            } else {
                (direct, direct_handle_s)
            };
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
    /// Expected calls the queue's agents take in the interval (base profile, forecasts and
    /// surges through the IVR; redials not included): 0 while the queue is closed, plus the
    /// closed-queue callback backlog in the opening interval and transferred-in legs.
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
    /// Expected calls the agents take that day (as `staffing.csv`'s `calls`).
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
