//! The validated model: what the engine sees. Names are resolved to indices, durations are in
//! seconds, every rule of the scenario format has been checked. Nothing here refers to TOML.

use std::path::PathBuf;

use crate::dist::Dist;

pub use super::staffing::{ServiceLevelGoal, StaffingModel, StaffingTargets};

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
    /// Horizon in days, from 00:00 of `calendar`'s start (an undated Monday without one).
    pub days: u32,
    /// Where the horizon sits in the calendar; labels every output's instants.
    pub calendar: crate::time::Calendar,
    /// Statistics interval in seconds (900, 1800 or 3600).
    pub interval_s: f64,
    pub seed: u64,
    pub arrivals: ArrivalProfile,
    /// Forecasts, surges, uncertainty, replay and redials (all optional).
    pub extras: ArrivalExtras,
    /// The menu tree; `None` means callers go straight to the first queue.
    pub ivr: Option<Ivr>,
    pub queues: Vec<Queue>,
    pub pools: Vec<Pool>,
    /// Staffing targets from `[staffing]` (all unset without it), for `hotline staff`.
    pub staffing: StaffingTargets,
    /// The queue policy (`[routing] policy`, overridden by `simulate --policy`); `fifo` by
    /// default.
    pub policy: crate::routing::Policy,
    /// Center-wide routing facts from `[center]`: line capacity and how an idle agent is chosen.
    pub center: Center,
    /// What validation adjusted without refusing (shares summing to 0.9999, normalised), each
    /// `file:line:column: field: what was done`. `check` prints them; `simulate`, `staff`,
    /// `schedule` and `plan` repeat them on stderr.
    pub notes: Vec<String>,
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
    /// Expected base-profile calls per weekday, Monday first, over the first seven days of the
    /// horizon (the profile itself starts on the horizon's first weekday).
    pub fn calls_per_weekday(&self) -> [f64; 7] {
        let mut w = self.arrivals.calls_per_weekday();
        w.rotate_right(self.calendar.first_weekday());
        w
    }
}

/// Arrival rate, piecewise constant over segments of equal length. The base profile covers one
/// week from the horizon's first day (a Monday unless `[scenario] start` says otherwise) and
/// repeats every week; with special days it covers whole weeks up to the horizon. The segment
/// length is the profile's own (e.g. 15 minutes) and need not equal the statistics interval.
#[derive(Debug, Clone)]
pub struct ArrivalProfile {
    /// Length of one segment in seconds; divides a day.
    pub segment_s: f64,
    /// Calls per second, one entry per segment of the week, 00:00 of the horizon's first day
    /// first.
    pub rate_per_s: Vec<f64>,
}

impl ArrivalProfile {
    /// Expected calls per day for each day of the first week (from the horizon's first day;
    /// [`Model::calls_per_weekday`] puts them Monday first). A profile
    /// expanded over the horizon for special days may differ from week to week; the first week
    /// is the one a planner reads as "the normal week".
    pub fn calls_per_weekday(&self) -> [f64; 7] {
        let per_day = ((crate::time::DAY / self.segment_s).round() as usize).max(1);
        let mut out = [0.0; 7];
        for (d, slot) in out.iter_mut().enumerate() {
            *slot = self
                .rate_per_s
                .get(d * per_day..(d + 1) * per_day)
                .map_or(0.0, |day| day.iter().sum::<f64>())
                * self.segment_s;
        }
        out
    }
}

impl ArrivalProfile {
    /// The rate (calls per second) at time `t`: repeating weekly (the base profile) or ending
    /// after its last segment (a forecast, `repeat = false`).
    pub fn rate_at(&self, t: f64, repeat: bool) -> f64 {
        if self.rate_per_s.is_empty() || t < 0.0 {
            return 0.0;
        }
        let seg = (t / self.segment_s).floor() as usize;
        if repeat {
            self.rate_per_s[seg % self.rate_per_s.len()]
        } else {
            self.rate_per_s.get(seg).copied().unwrap_or(0.0)
        }
    }

    /// The end of the segment containing `t` (where the rate may next change).
    pub fn segment_end(&self, t: f64) -> f64 {
        ((t / self.segment_s).floor() + 1.0) * self.segment_s
    }
}

/// One part of a surge target's normal inflow: a profile's calls times the share of them that
/// reaches the target, and where a multiplier surge's extra calls for this part enter.
/// Borrows the profile (expected calls per interval need no copy); an arrival source owns
/// its copy (`Inflow<'static>`, [`Inflow::into_owned`]).
#[derive(Debug, Clone)]
pub struct Inflow<'a> {
    pub profile: std::borrow::Cow<'a, ArrivalProfile>,
    /// Whether `profile` repeats weekly (the base profile) or ends (a forecast).
    pub repeat: bool,
    /// Share of the profile's calls reaching the target, in [0, 1].
    pub share: f64,
    pub entry: crate::arrivals::Entry,
}

impl Inflow<'_> {
    /// The same part owning its profile.
    pub fn into_owned(self) -> Inflow<'static> {
        Inflow {
            profile: std::borrow::Cow::Owned(self.profile.into_owned()),
            repeat: self.repeat,
            share: self.share,
            entry: self.entry,
        }
    }

    /// Calls per second of this part reaching the target at `t`.
    pub fn rate_at(&self, t: f64) -> f64 {
        self.share * self.profile.rate_at(t, self.repeat)
    }

    /// The highest rate of this part in [a, b).
    pub fn max_rate(&self, a: f64, b: f64) -> f64 {
        let mut max: f64 = 0.0;
        let mut t = a;
        while t < b {
            max = max.max(self.rate_at(t));
            t = self.profile.segment_end(t);
        }
        max
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
    /// Caller classes (`[[queue.class]]`), in scenario order; empty = one implicit class, and
    /// nothing is drawn for the queue's callers.
    pub classes: Vec<CallerClass>,
    /// Opening hours; `None` = open 24/7 (today's behaviour, no check per call).
    pub hours: Option<OpenHours>,
    /// The callback (virtual hold) offer, `[queue.callback]`; used only under a policy with
    /// `callback`. `None`: no offer.
    pub callback: Option<CallbackOffer>,
    /// How the legs of closed-queue callback requests are released and the promise they are
    /// judged by (`[queue.closed] callbacks`, `callback_within`); the default is
    /// `at_opening` with no promise.
    pub closed_release: ClosedRelease,
}

/// When an agent calls back the requests left at a closed queue (`[queue.closed] callbacks`,
/// engine/callbacks.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CallbackRelease {
    /// Every request joins the inbound line as a leg at the opening (offered, answered and
    /// counted in the service level like an inbound call).
    #[default]
    AtOpening,
    /// Requests are outbound work: an agent dials one only when the router gives it no
    /// inbound caller; the legs are not inbound legs (not offered, answered or in the SL).
    WhenIdle,
}

/// `[queue.closed] callbacks` and `callback_within`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ClosedRelease {
    pub release: CallbackRelease,
    /// The promise: a request is dialled within this time of the queue's opening, seconds
    /// (`None`: no promise stated).
    pub within_s: Option<f64>,
    /// `callback_reserve`: agents of the serving pool left idle for inbound callers: a
    /// `when_idle` leg is dialled only when at least this many others stay idle (0: none).
    pub reserve: u32,
    /// `callback_within_share`: the share of an opening's legs the promise must hold for
    /// (`None`: [`DEFAULT_PROMISE_SHARE`]); stated only with `within_s`.
    pub within_share: Option<f64>,
}

/// The share of an opening's closed-queue legs to dial within the queue's `callback_within`
/// when the scenario does not say (`callback_within_share`): a promise kept for 95 % of the
/// requests, not for every one, as a service-level goal is.
pub const DEFAULT_PROMISE_SHARE: f64 = 0.95;

impl ClosedRelease {
    /// The share of an opening's legs the promise must hold for.
    pub fn promise_share(&self) -> f64 {
        self.within_share.unwrap_or(DEFAULT_PROMISE_SHARE)
    }
}

/// `[queue.callback]`: when a caller who would wait is offered a callback, and how the
/// agent's call back goes (engine/callbacks.rs).
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackOffer {
    /// Offer when the expected wait (engine/callbacks.rs, the estimator) exceeds this, seconds.
    pub offer_above_s: f64,
    /// Probability that an offered caller accepts.
    pub accept: f64,
    /// Probability that the caller picks up when an agent calls back.
    pub answer: f64,
    /// Further attempts after an unanswered callback (0 = one attempt only).
    pub retries: u32,
    /// Delay between an unanswered attempt's end and the request's return to the line, seconds.
    pub retry_after_s: f64,
}

/// One caller class of a queue (new customers, premium): its share of the queue's callers and
/// how its callers are ordered under the `priority` and `aging` policies.
#[derive(Debug, Clone, PartialEq)]
pub struct CallerClass {
    pub name: String,
    /// Share of the queue's callers in this class (the shares of a queue sum to 1).
    pub share: f64,
    /// Higher is served first (strict, non-preemptive); 0 by default.
    pub priority: i64,
    /// Priority points gained per second waited (`aging = "1/min"` is 1/60); 0 by default.
    pub aging_per_s: f64,
}

/// When a queue takes calls, and what its callers hear when it does not (`hours`,
/// `weekdays`, `[queue.closed]`, special days' `closed_queues`).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenHours {
    /// Open or not per statistics interval of the week, from the horizon's first day (like a
    /// pool's headcount table); repeats weekly. With special days' dated `hours` it covers
    /// whole weeks of the horizon instead (those dates written in); read it through
    /// [`OpenHours::is_open`], which indexes both alike.
    pub open: Vec<bool>,
    /// Days of the horizon (0-based, ascending) on which the queue is closed all day.
    pub closed_days: Vec<u32>,
    /// The closed message's length, seconds (the caller holds the line meanwhile).
    pub message_s: f64,
    /// Share of closed callers who then use self-service; the rest hang up.
    pub self_service: f64,
    /// Share of closed callers who leave a callback request for the queue's next opening
    /// (`[queue.closed] callback`); 0 when not set. Shares with `self_service` sum to at most 1.
    pub callback: f64,
    /// `[queue.closed] waiting = "disconnect"`: callers still on hold in the line when the
    /// queue closes are disconnected at that instant (counted `disconnected`); `false`
    /// (`"finish"`, the default): they stay in line until answered or they abandon.
    pub disconnect_waiting: bool,
}

impl OpenHours {
    /// True when the queue takes calls in statistics interval `k` of the horizon
    /// (`per_day` intervals a day).
    #[inline]
    pub fn is_open(&self, k: u64, per_day: u64) -> bool {
        self.open[(k % self.open.len() as u64) as usize]
            && self
                .closed_days
                .binary_search(&((k / per_day) as u32))
                .is_err()
    }
}

/// Agents with the same skills, with a headcount per interval of the week.
#[derive(Debug, Clone)]
pub struct Pool {
    pub name: String,
    /// The queues this pool serves (no duplicates, at least one).
    pub serves: Vec<QueueId>,
    /// Queues this pool also serves as secondary (overflow): disjoint from `serves`. Under a
    /// policy with `overflow`, a waiting call of such a queue becomes eligible for this pool only
    /// after `overflow_after_s`; under `fifo` they are served like `serves`.
    pub secondary: Vec<QueueId>,
    /// How long a call waits before this pool's secondary queues may go to it, seconds (0 = at
    /// once). Meaningful only with `secondary`.
    pub overflow_after_s: f64,
    /// Agents on the phones per statistics interval: one entry per interval of the week
    /// (7 × intervals per day, from the horizon's first day), repeated weekly; or one per interval of the horizon (a staffing
    /// plan read with `--staffing`).
    pub headcount: Vec<u32>,
    /// The routing table as written (`[[pool.takes]]`), in the order written; empty when the
    /// pool uses the shorthands (`serves`, `secondary`, `overflow_after`): see
    /// [`Pool::table`]. With a table, `secondary` holds its rows not in `serves` and
    /// `overflow_after_s` is 0.
    pub takes: Vec<Take>,
    /// This pool's handle times per queue as a multiple of the queue's own (`handle_time_factor
    /// = { cards = 0.75 }`), indexed by `QueueId`; empty when the pool states none (every
    /// factor 1). A factor scales both the drawn talk time and the wrap-up of the calls this
    /// pool's agents answer on that queue.
    pub handle_time_factor: Vec<f64>,
}

/// One row of a pool's routing table: the pool takes calls of `queue` once they have waited
/// `after_s`, before the calls of its rows of lower priority (the rule: routing/takes.rs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Take {
    pub queue: QueueId,
    /// Higher is taken first.
    pub priority: i64,
    /// Least wait before this pool takes the queue's calls, seconds (0 = at once).
    pub after_s: f64,
}

/// Priority of a pool's own queues (`serves`) in the table the shorthands expand to.
pub const OWN_PRIORITY: i64 = 1;
/// Priority of a pool's `secondary` queues in that table under the `overflow` policy.
pub const HELPER_PRIORITY: i64 = 0;

impl Pool {
    /// The pool's routing table: `takes` as written, or the shorthands expanded — each
    /// `serves` queue at [`OWN_PRIORITY`], at once; then each `secondary` queue, with
    /// `overflow` (the policy's component) at [`HELPER_PRIORITY`] after `overflow_after_s`,
    /// without it like a `serves` queue. This expansion routes exactly as `serves`,
    /// `secondary` and `overflow_after` always did (tests/pool_takes.rs compares outputs).
    pub fn table(&self, overflow: bool) -> Vec<Take> {
        if !self.takes.is_empty() {
            return self.takes.clone();
        }
        let own = |queue| Take {
            queue,
            priority: OWN_PRIORITY,
            after_s: 0.0,
        };
        let helper = |queue| {
            if overflow {
                Take {
                    queue,
                    priority: HELPER_PRIORITY,
                    after_s: self.overflow_after_s,
                }
            } else {
                own(queue)
            }
        };
        self.serves
            .iter()
            .map(|&q| own(q))
            .chain(self.secondary.iter().map(|&q| helper(q)))
            .collect()
    }

    /// The factor on this pool's handle times for queue `q` (1 unless stated).
    pub fn handle_factor(&self, q: QueueId) -> f64 {
        self.handle_time_factor
            .get(q.0 as usize)
            .copied()
            .unwrap_or(1.0)
    }
}

/// `[center]`: facts about the whole center rather than one queue or pool.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Center {
    /// Simultaneous calls the center can hold (IVR + waiting + talking); a call arriving when
    /// all are busy hears a busy signal and is blocked. `None` = unlimited.
    pub lines: Option<u32>,
    /// Which idle agent takes a caller when several pools have one.
    pub agent_choice: AgentChoice,
    /// Which agents leave when a pool's headcount drops at an interval boundary.
    pub staffing_drop: StaffingDrop,
}

/// Which agents leave when a pool's scheduled headcount drops at an interval boundary (a
/// staffing table's step down, not a named shift). Idle agents leave at once under both rules,
/// the longest idle first; the rules differ only for the surplus that is still busy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StaffingDrop {
    /// `"designated"` (the default): at the boundary, that many busy agents are marked — the
    /// pool's busy agents in the order they first joined the floor — and each leaves when its
    /// own call (talk and wrap-up) ends; the unmarked agents keep taking calls meanwhile. After
    /// a drop from n to m with every agent busy, headcount is m plus the marked agents still on
    /// their call.
    #[default]
    Designated,
    /// `"first_free"`: nobody is marked; the next agents of the pool to finish a call, whoever
    /// they are, leave until the headcount is down to the new one (each freed agent leaves
    /// instead of taking a waiting call). A rise before they have all left cancels the
    /// departures still pending, under both rules.
    FirstFree,
}

impl StaffingDrop {
    /// The names a scenario may write, in order.
    pub const NAMES: [&'static str; 2] = ["designated", "first_free"];

    pub fn parse(name: &str) -> Option<StaffingDrop> {
        match name {
            "designated" => Some(StaffingDrop::Designated),
            "first_free" => Some(StaffingDrop::FirstFree),
            _ => None,
        }
    }
}

/// Which of several idle agents (of different pools) answers an arriving caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AgentChoice {
    /// The agent idle longest, whatever its pool (`"longest_idle"`, the default).
    #[default]
    LongestIdle,
    /// An idle agent of a pool that has the caller's queue as primary first (longest idle
    /// among them); a secondary pool's agent only when no primary agent is idle
    /// (`"primary_first"`).
    PrimaryFirst,
    /// A uniformly random idle agent among all those eligible, whatever their pool (each
    /// equally likely), drawn from the caller's own agent-choice stream (`"random"`).
    Random,
    /// An idle agent of the eligible pool listed first in the scenario (the longest idle of
    /// that pool): pools rank in the order they are written (`"by_pool_rank"`).
    ByPoolRank,
}

impl AgentChoice {
    /// The names a scenario may write, in order.
    pub const NAMES: [&'static str; 4] =
        ["longest_idle", "primary_first", "random", "by_pool_rank"];

    pub fn parse(name: &str) -> Option<AgentChoice> {
        match name {
            "longest_idle" => Some(AgentChoice::LongestIdle),
            "primary_first" => Some(AgentChoice::PrimaryFirst),
            "random" => Some(AgentChoice::Random),
            "by_pool_rank" => Some(AgentChoice::ByPoolRank),
            _ => None,
        }
    }

    /// The rule picks an agent beyond "the longest idle of the chosen pool"
    /// (`routing/choice.rs`); the engine then leaves its plain fast path.
    pub fn picks_agent(self) -> bool {
        matches!(self, AgentChoice::Random | AgentChoice::ByPoolRank)
    }
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
    /// Options with probabilities summing to 1 (validated within 0.5 %; normalised exactly).
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

/// Everything about arrivals beyond the base profile: forecasts per queue, outage surges,
/// day-to-day uncertainty, replayed call logs and redials. `Default` is "none of these".
#[derive(Debug, Clone, Default)]
pub struct ArrivalExtras {
    /// Interval forecasts per queue (imported from a WFM export): callers enter the queue
    /// directly, with an optional handle-time mean per interval.
    pub forecasts: Vec<QueueForecast>,
    /// Outage spikes and other surges, possibly overlapping.
    pub surges: Vec<Surge>,
    /// Day-to-day uncertainty: every day's rates are multiplied by a gamma factor of mean 1
    /// and this coefficient of variation (a Cox process). `None` = no uncertainty.
    pub day_cv: Option<f64>,
    /// A call log replayed exactly as recorded.
    pub replay: Option<Replay>,
    /// Callers who abandon may call again.
    pub redial: Option<Redial>,
    /// `[[queue.transfer]]` per queue (indexed by queue; empty = no queue transfers): after
    /// the agent completes an answered call, the caller goes on to another queue.
    pub transfers: Vec<Vec<Transfer>>,
    /// The night window whose share of daily volume was imposed, for reporting the share
    /// realised: (start, end) in seconds since midnight; end < start crosses midnight.
    pub night_window: Option<(f64, f64)>,
    /// What validation accepted but a planner should know (forecast or log rows outside the
    /// horizon, not used): printed by `check`, and on stderr by `simulate`, `staff`, `schedule`, `plan`.
    pub notes: Vec<String>,
    /// What validation accepted but is probably a mistake (days of the horizon a forecast
    /// leaves out for a queue it feeds): printed like `notes`, as warnings.
    pub warnings: Vec<String>,
    /// Per queue fed by a forecast, in queue order: the days of the horizon its rows cover,
    /// as `check` prints them (`2027-01-04 to 2027-01-31`).
    pub forecast_days: Vec<(QueueId, String)>,
}

/// A share of one queue's answered calls transferred to queue `to` (`[[queue.transfer]]`):
/// blind at the first agent's completion (the default) or end of talk, or after a consult
/// or a conference with an agent of `to`.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub to: QueueId,
    /// Probability that an answered call of the queue goes on to `to` (a queue's shares sum
    /// to at most 1; the rest are not transferred).
    pub share: f64,
    /// When and how the caller moves on.
    pub handoff: Handoff,
    /// What happens when no agent of `to` is free at the transfer point.
    pub when_busy: WhenBusy,
}

impl Transfer {
    /// A blind transfer after the first agent's wrap-up, the caller waiting in `to`'s line if
    /// no agent is free (every default).
    pub fn blind(to: QueueId, share: f64) -> Transfer {
        Transfer {
            to,
            share,
            handoff: Handoff::AfterWrapUp,
            when_busy: WhenBusy::Wait,
        }
    }
}

/// When and how a transferred caller moves on (`[[queue.transfer]]` `at`, `consult`,
/// `conference`).
#[derive(Debug, Clone)]
pub enum Handoff {
    /// Blind, at the first agent's completion: after talk and wrap-up (`at =
    /// "after_wrap_up"`, the default).
    AfterWrapUp,
    /// Blind, at the end of the first agent's talk; the agent's wrap-up follows
    /// (`at = "end_of_talk"`).
    EndOfTalk,
    /// At the end of talk the first agent consults an agent of `to` for the drawn time, the
    /// caller on hold; then the caller is back with the first agent, whose call ends (no leg
    /// on `to`). Both agents are busy for the consult.
    Consult(Dist),
    /// At the end of talk an agent of `to` joins for the drawn time (a warm transfer); then
    /// the first agent leaves for wrap-up and the caller goes on with the second, whose leg
    /// is answered at the conference's start (its talk starts with the conference).
    Conference(Dist),
}

/// A transfer finding no agent of `to` free (`[[queue.transfer]] when_busy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenBusy {
    /// The caller waits in `to`'s line (a consult or conference becomes a blind transfer).
    Wait,
    /// The caller is disconnected, counted `disconnected` on `to`.
    Disconnect,
}

/// An interval forecast for one queue.
#[derive(Debug, Clone)]
pub struct QueueForecast {
    pub queue: QueueId,
    /// Calls per second per segment from the start of the horizon (not repeated weekly:
    /// the profile is as long as the forecast; after it the rate is 0).
    pub profile: ArrivalProfile,
    /// Handle-time mean per segment as a multiple of the queue's own mean (1.0 where the
    /// forecast gives no AHT). Same length as `profile.rate_per_s`, or empty.
    pub handle_scale: Vec<f64>,
}

/// How big a surge is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SurgeSize {
    /// At the peak, the rate of the surge's target is this many times its normal rate (> 1):
    /// the surge adds (m − 1) × the target's normal inflow × shape(t) (see
    /// [`Model::normal_inflow`]).
    PeakMultiplier(f64),
    /// The surge adds this many calls in expectation, spread along its shape.
    ExtraCalls(f64),
}

/// An outage spike: extra calls that ramp up linearly, then decay exponentially.
#[derive(Debug, Clone)]
pub struct Surge {
    pub name: String,
    /// Start, seconds since the start of the horizon.
    pub start_s: f64,
    /// How long the surge lasts (its shape is zero afterwards).
    pub duration_s: f64,
    /// Linear ramp from 0 to the peak.
    pub ramp_s: f64,
    /// Half-life of the exponential decay after the peak (+∞: no decay, a plateau).
    pub half_life_s: f64,
    pub size: SurgeSize,
    /// Where the extra callers enter: the IVR start, an IVR node (e.g. "other/technical") or a
    /// queue.
    pub entry: crate::arrivals::Entry,
}

/// A call log to replay.
#[derive(Debug, Clone)]
pub struct Replay {
    /// CSV file (resolved relative to the scenario).
    pub path: PathBuf,
    /// Offset added to a dated log's times: minus the start of the horizon in seconds since
    /// 1970 with `[scenario] start`, else so that the Monday 00:00 of the first call's week is
    /// time 0 (computed when the file is validated).
    pub offset_s: f64,
    /// When true the log replaces the scenario's generated arrivals; when false it adds to them.
    pub replace_generated: bool,
}

/// Redials: callers who abandon call again.
#[derive(Debug, Clone)]
pub struct Redial {
    /// Probability that an abandoning caller calls again (each attempt).
    pub probability: f64,
    /// Delay between hanging up and calling again.
    pub delay: Dist,
    /// Most attempts per caller, the first call included (≥ 2).
    pub max_attempts: u32,
    /// `same_caller = true`: a redial is the same caller again — the same draws of patience,
    /// handle time and every other attribute (engine/redial.rs) — and runs keep the journey
    /// view (`journeys.csv`); false (the default): each redial draws afresh.
    pub same_caller: bool,
}

/// Where callers end up after the IVR, as probabilities per arriving call.
#[derive(Debug, Clone, PartialEq)]
pub struct IvrShares {
    /// Probability of reaching each queue, indexed by `QueueId`.
    pub queue: Vec<f64>,
    /// Probability of ending in self-service.
    pub self_service: f64,
    /// Probability of hanging up in the IVR.
    pub hang_up: f64,
}

impl Ivr {
    /// Probability that a caller visits each node (the tree is acyclic, so at most once).
    ///
    /// Kahn's topological order over node → node options: a node's probability is complete
    /// once every option leading to it has been counted. Iterative, so deep menus cannot
    /// overflow the stack; on an (invalid) cyclic tree the nodes of the cycle stay at 0.
    pub fn visit_probabilities(&self) -> Vec<f64> {
        let n = self.nodes.len();
        let mut indegree = vec![0usize; n];
        for t in self
            .nodes
            .iter()
            .flat_map(|node| node.options.iter())
            .filter_map(node_target)
        {
            if let Some(d) = indegree.get_mut(t) {
                *d += 1;
            }
        }
        let mut reach = vec![0.0; n];
        if let Some(r) = reach.get_mut(self.start.0 as usize) {
            *r = 1.0;
        }
        let mut ready: Vec<usize> = (0..n).filter(|&k| indegree[k] == 0).collect();
        while let Some(k) = ready.pop() {
            let here = reach[k];
            for option in &self.nodes[k].options {
                let Some(t) = node_target(option) else {
                    continue;
                };
                if let (Some(r), Some(d)) = (reach.get_mut(t), indegree.get_mut(t)) {
                    *r += here * option.probability;
                    *d -= 1;
                    if *d == 0 {
                        ready.push(t);
                    }
                }
            }
        }
        reach
    }

    /// Probability that a caller ends at each outcome: a queue, self-service or hang-up.
    /// The three parts sum to 1 on a validated IVR.
    pub fn outcome_shares(&self, n_queues: usize) -> IvrShares {
        let mut out = IvrShares {
            queue: vec![0.0; n_queues],
            self_service: 0.0,
            hang_up: 0.0,
        };
        for (node, reach) in self.nodes.iter().zip(self.visit_probabilities()) {
            for option in &node.options {
                let p = reach * option.probability;
                match option.target {
                    IvrTarget::Node(_) => {}
                    IvrTarget::Queue(QueueId(q)) => {
                        if let Some(s) = out.queue.get_mut(q as usize) {
                            *s += p;
                        }
                    }
                    IvrTarget::SelfService => out.self_service += p,
                    IvrTarget::HangUp => out.hang_up += p,
                }
            }
        }
        out
    }

    /// Mean time a caller spends in the IVR, in seconds: Σ P(visit node) × mean duration.
    pub fn mean_time_s(&self) -> f64 {
        self.nodes
            .iter()
            .zip(self.visit_probabilities())
            .map(|(n, p)| p * n.duration.mean())
            .sum()
    }
}

fn node_target(option: &IvrOption) -> Option<usize> {
    match option.target {
        IvrTarget::Node(NodeId(t)) => Some(t as usize),
        _ => None,
    }
}

impl Model {
    /// Share of all arriving calls that reaches each queue (indexed by `QueueId`). Without an
    /// IVR every call goes to the first queue; with one, the shares sum to 1 minus the
    /// self-service and hang-up shares.
    pub fn queue_arrival_shares(&self) -> Vec<f64> {
        match &self.ivr {
            Some(ivr) => ivr.outcome_shares(self.queues.len()).queue,
            None => (0..self.queues.len())
                .map(|q| if q == 0 { 1.0 } else { 0.0 })
                .collect(),
        }
    }

    /// The normal inflow of a surge's target, the rate a `peak_multiplier` multiplies, as parts
    /// whose rates add up:
    /// - a queue: the base profile's calls reaching it through the IVR (its share of every
    ///   arriving call) plus the forecasts for that queue; extra calls go straight to the queue;
    /// - an IVR node: the base profile's calls visiting the node (forecast callers skip the
    ///   IVR); extra calls enter at the node and spread over its options like its own callers;
    /// - no target: the whole center, the base profile (extra calls enter where every caller
    ///   does) and every forecast (extra calls go to the forecast's queue), so every queue's
    ///   calls are multiplied alike.
    ///
    /// Day-to-day factors are at their mean of 1; replayed calls are not a rate and not
    /// included. `forecasts` is passed apart because validation builds surges before
    /// `extras` is complete.
    pub fn normal_inflow<'a>(
        &'a self,
        forecasts: &'a [QueueForecast],
        target: crate::arrivals::Entry,
    ) -> Vec<Inflow<'a>> {
        use crate::arrivals::Entry;
        use std::borrow::Cow;
        let base = |share: f64, entry: Entry| Inflow {
            profile: Cow::Borrowed(&self.arrivals),
            repeat: true,
            share,
            entry,
        };
        let forecast = |f: &'a QueueForecast| Inflow {
            profile: Cow::Borrowed(&f.profile),
            repeat: false,
            share: 1.0,
            entry: Entry::Queue(f.queue),
        };
        let mut parts = Vec::new();
        match target {
            Entry::Default => {
                parts.push(base(1.0, Entry::Default));
                parts.extend(forecasts.iter().map(forecast));
            }
            Entry::Queue(q) => {
                let share = self
                    .queue_arrival_shares()
                    .get(q.0 as usize)
                    .copied()
                    .unwrap_or(0.0);
                parts.push(base(share, target));
                parts.extend(forecasts.iter().filter(|f| f.queue == q).map(forecast));
            }
            Entry::Node(n) => {
                let share = self
                    .ivr
                    .as_ref()
                    .and_then(|i| i.visit_probabilities().get(n.0 as usize).copied())
                    .unwrap_or(0.0);
                parts.push(base(share, target));
            }
        }
        parts.retain(|p| p.share > 0.0);
        parts
    }

    /// The arrival rate (calls per second) during statistics interval `k` of the week, averaged
    /// over the interval when the profile's segments are shorter.
    pub fn rate_in_interval(&self, k: usize) -> f64 {
        let a = &self.arrivals;
        let start = k as f64 * self.interval_s;
        let segs = (self.interval_s / a.segment_s).max(1.0);
        let first = (start / a.segment_s).floor() as usize;
        let n = segs.round() as usize;
        let sum: f64 = (first..first + n)
            .filter_map(|s| a.rate_per_s.get(s % a.rate_per_s.len().max(1)))
            .sum();
        sum / n as f64
    }
}
