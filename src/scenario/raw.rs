//! The scenario file as written: serde structs that mirror the TOML, with a span on every value
//! that validation may need to point at. Nothing here checks meaning (ranges, names, sums);
//! that is `validate`'s job. Unknown keys are rejected here (`deny_unknown_fields`) so a typo is
//! never silently ignored.
//!
//! Values that may take several shapes (a duration as text or seconds, a distribution as a table
//! or a plain duration, agents as a number or a list) have hand-written `Deserialize` impls that
//! stay inside the TOML deserializer: serde's `untagged` would buffer the value and lose spans.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub scenario: Spanned<RawScenario>,
    pub arrivals: Spanned<RawArrivals>,
    #[serde(default)]
    pub queue: Vec<Spanned<RawQueue>>,
    #[serde(default)]
    pub pool: Vec<Spanned<RawPool>>,
    pub ivr: Option<Spanned<RawIvr>>,
    #[serde(default)]
    pub surge: Vec<Spanned<RawSurge>>,
    pub redial: Option<Spanned<RawRedial>>,
    /// `[staffing]`: targets for `hotline staff` (validated in `staffing.rs`).
    pub staffing: Option<Spanned<RawStaffing>>,
    /// `[center]`: line capacity and agent choice (validated in `center.rs`).
    pub center: Option<Spanned<RawCenter>>,
    /// `[routing]`: the queue policy (validated in `validate/classes.rs`).
    pub routing: Option<Spanned<RawRouting>>,
    /// `[[shift]]`: shift templates for `hotline schedule` (validated in `validate/shifts.rs`).
    #[serde(default)]
    pub shift: Vec<Spanned<RawShift>>,
    /// `[[contract]]`: who may work which shifts, weekly hours, headcount limits.
    #[serde(default)]
    pub contract: Vec<Spanned<RawContract>>,
    /// `[roster]`: rules every agent's week honours, pay and premiums.
    pub roster: Option<Spanned<RawRoster>>,
}

/// `[center]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCenter {
    pub lines: Option<Spanned<i64>>,
    pub agent_choice: Option<Spanned<String>>,
    pub staffing_drop: Option<Spanned<String>>,
}

/// `[routing]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRouting {
    /// A policy name for `routing::Policy::parse` (`"priority+callback"`).
    pub policy: Option<Spanned<String>>,
}

/// `[[shift]]`: a shift template (start window and step, lengths, breaks, days).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    pub name: Spanned<String>,
    /// Weekday names (`"mon"` …); absent = every day.
    pub days: Option<Spanned<Vec<Spanned<String>>>>,
    /// Earliest and latest start, `"06:00-10:00"` (or one time `"22:00"`).
    pub start: Spanned<String>,
    /// Between two start times; default the statistics interval.
    pub step: Option<Spanned<RawDuration>>,
    /// Shift lengths from start to end, lunch included.
    pub lengths: Spanned<Vec<Spanned<RawDuration>>>,
    /// Paid breaks (off the phones, paid).
    pub breaks: Option<Spanned<Vec<Spanned<RawDuration>>>>,
    /// Unpaid lunch length.
    pub lunch: Option<Spanned<RawDuration>>,
    /// When lunch may start, after the shift's start: `"3h-5h"`.
    pub lunch_after: Option<Spanned<String>>,
    /// Pools whose agents may work it; absent = every pool.
    pub pools: Option<Spanned<Vec<Spanned<String>>>>,
}

/// `[[contract]]`: a kind of employment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContract {
    pub name: Spanned<String>,
    /// Shift templates this contract works; absent = all.
    pub shifts: Option<Spanned<Vec<Spanned<String>>>>,
    pub min_weekly_hours: Option<Spanned<f64>>,
    pub max_weekly_hours: Spanned<f64>,
    /// Most agents on this contract (per pool).
    pub max_agents: Spanned<i64>,
    /// Cost of one paid hour before premiums; absent = `[roster] hourly_cost`.
    pub hourly_cost: Option<Spanned<f64>>,
    /// Working days per week, at least / at most; absent = what the roster rules allow.
    pub min_days_per_week: Option<Spanned<i64>>,
    pub max_days_per_week: Option<Spanned<i64>>,
    /// Paid hours a week an agent may work above `max_weekly_hours`, at a premium.
    pub overtime_hours: Option<Spanned<f64>>,
    /// `"50%"`: on the hourly cost of every overtime hour.
    pub overtime_premium: Option<Spanned<String>>,
}

/// `[roster]`: rules and pay.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoster {
    /// Cost of one paid hour before premiums (any currency unit).
    pub hourly_cost: Option<Spanned<f64>>,
    /// The night hours, `"22:00-06:00"`.
    pub night: Option<Spanned<String>>,
    /// Premium on hours worked at night, `"25%"`.
    pub night_premium: Option<Spanned<String>>,
    /// Premium on hours worked on Saturday and Sunday, `"50%"`.
    pub weekend_premium: Option<Spanned<String>>,
    pub max_days_in_row: Option<Spanned<i64>>,
    pub min_rest: Option<Spanned<RawDuration>>,
    pub no_consecutive_nights: Option<Spanned<bool>>,
    pub two_days_off: Option<Spanned<bool>>,
    /// Time in the night hours that makes a shift a night shift (default 3h).
    pub night_shift_min: Option<Spanned<RawDuration>>,
    /// `agents.csv`: the named agents to roster (relative to the scenario file).
    pub agents: Option<Spanned<String>>,
}

/// `[scenario]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Spanned<String>,
    /// A note for planners; accepted and checked to be text, not used by the model.
    #[allow(dead_code)]
    pub description: Option<String>,
    pub days: Spanned<i64>,
    pub interval: Option<Spanned<RawDuration>>,
    pub seed: Option<u64>,
    /// The date of day 1 (`2026-11-30`); absent = an undated Monday.
    pub start: Option<Spanned<RawDate>>,
}

/// `[arrivals]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    pub calls_per_hour: Option<Spanned<f64>>,
    pub calls_per_interval: Option<Spanned<Vec<Spanned<f64>>>>,
    pub weekday_factor: Option<Spanned<RawPerWeekday>>,
    pub calls_per_day: Option<Spanned<RawPerWeekday>>,
    pub interval_share: Option<Spanned<Vec<Spanned<f64>>>>,
    pub day_cv: Option<Spanned<f64>>,
    pub replay: Option<Spanned<String>>,
    pub replay_mode: Option<Spanned<String>>,
    #[serde(default)]
    pub special_day: Vec<Spanned<RawSpecialDay>>,
    pub night: Option<Spanned<RawNight>>,
    #[serde(default)]
    pub forecast: Vec<Spanned<RawForecast>>,
}

/// `[[arrivals.special_day]]`: one day (or several) of the horizon with its own volume.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpecialDay {
    /// A label for planners ("Christmas Eve"); accepted, not used by the model.
    #[allow(dead_code)]
    pub name: Option<String>,
    pub day: Option<Spanned<i64>>,
    pub days: Option<Spanned<Vec<Spanned<i64>>>>,
    /// The same by calendar date (needs `[scenario] start`).
    pub date: Option<Spanned<RawDate>>,
    pub dates: Option<Spanned<Vec<Spanned<RawDate>>>>,
    pub factor: Option<Spanned<f64>>,
    pub calls_per_interval: Option<Spanned<Vec<Spanned<f64>>>>,
    /// Queues closed all that day (their callers hear the queue's closed message).
    pub closed_queues: Option<Spanned<Vec<Spanned<String>>>>,
    /// That day's opening hours of some queues, `{ loans = "10:00-14:00" }`, replacing their
    /// weekly hours on the day.
    pub hours: Option<Spanned<RawPairs>>,
}

/// `[arrivals.night]`: the share of each day's volume inside a time window.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNight {
    pub window: Spanned<String>,
    pub share: Spanned<f64>,
}

/// `[[arrivals.forecast]]`: an interval forecast per queue, from a CSV file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawForecast {
    pub file: Spanned<String>,
}

/// `[[surge]]`: an outage spike.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSurge {
    pub name: Spanned<String>,
    /// Day of the horizon, or (`date`, needs `[scenario] start`) its calendar date.
    pub day: Option<Spanned<i64>>,
    pub date: Option<Spanned<RawDate>>,
    pub at: Spanned<String>,
    pub duration: Spanned<RawDuration>,
    pub ramp: Option<Spanned<RawDuration>>,
    pub half_life: Option<Spanned<RawDuration>>,
    pub peak_multiplier: Option<Spanned<f64>>,
    pub extra_calls: Option<Spanned<f64>>,
    pub queue: Option<Spanned<String>>,
    pub ivr_node: Option<Spanned<String>>,
}

/// `[redial]`: callers who abandon call again.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedial {
    pub probability: Spanned<f64>,
    pub delay: Spanned<RawDist>,
    pub max_attempts: Spanned<i64>,
    pub same_caller: Option<Spanned<bool>>,
}

/// One number per weekday (`weekday_factor`, `calls_per_day`): seven numbers, Monday first, or
/// a table by day name.
#[derive(Debug)]
pub enum RawPerWeekday {
    List(Vec<Spanned<f64>>),
    Table(RawWeekdayTable),
}

/// `weekday_factor = { mon = 1.0, ..., sun = 0.2 }`; what a missing day means depends on the key
/// (1.0 for a factor; `calls_per_day` needs all seven).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeekdayTable {
    pub mon: Option<Spanned<f64>>,
    pub tue: Option<Spanned<f64>>,
    pub wed: Option<Spanned<f64>>,
    pub thu: Option<Spanned<f64>>,
    pub fri: Option<Spanned<f64>>,
    pub sat: Option<Spanned<f64>>,
    pub sun: Option<Spanned<f64>>,
}

impl RawWeekdayTable {
    /// The seven entries, Monday first.
    pub fn days(&self) -> [&Option<Spanned<f64>>; 7] {
        [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
    }
}

/// `[[queue]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueue {
    pub name: Spanned<String>,
    pub handle_time: Spanned<RawDist>,
    #[serde(alias = "after_call_work")]
    pub wrap_up: Option<Spanned<RawDist>>,
    pub patience: Option<Spanned<RawDist>>,
    pub service_level_threshold: Option<Spanned<RawDuration>>,
    /// `[[queue.class]]`: caller classes with shares and priorities (none: one implicit class).
    #[serde(default)]
    pub class: Option<Spanned<Vec<Spanned<RawClass>>>>,
    /// Opening hours: `"24/7"`, `"HH:MM-HH:MM"` on `weekdays`, or a table per weekday
    /// (absent = always open).
    pub hours: Option<Spanned<RawHours>>,
    /// The days the queue opens (with a one-range `hours`), default all.
    pub weekdays: Option<Spanned<Vec<Spanned<String>>>>,
    /// What a caller routed to the closed queue hears and does.
    pub closed: Option<Spanned<RawClosed>>,
    /// `[queue.callback]`: the callback (virtual hold) offer.
    pub callback: Option<Spanned<RawCallback>>,
    /// `[[queue.transfer]]`: shares of answered calls transferred to other queues.
    #[serde(default)]
    pub transfer: Option<Spanned<Vec<Spanned<RawTransfer>>>>,
}

/// `[queue.callback]`: when to offer a callback and how the agent's call back goes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallback {
    pub offer_above: Spanned<RawDuration>,
    pub accept: Spanned<f64>,
    pub answer: Option<Spanned<f64>>,
    pub retries: Option<Spanned<i64>>,
    pub retry_after: Option<Spanned<RawDuration>>,
}

/// `[[queue.transfer]]`: a share of the queue's answered calls goes on to queue `to`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTransfer {
    pub to: Spanned<String>,
    pub share: Spanned<f64>,
    /// `"after_wrap_up"` (default) or `"end_of_talk"`.
    pub at: Option<Spanned<String>>,
    /// The consult's time (both agents busy, caller on hold, then back to the first agent).
    pub consult: Option<Spanned<RawDist>>,
    /// The conference's time (both agents with the caller, then on with the second).
    pub conference: Option<Spanned<RawDist>>,
    /// `"wait"` (default) or `"disconnect"`.
    pub when_busy: Option<Spanned<String>>,
}

/// `[[queue.class]]`: one caller class of a queue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClass {
    pub name: Spanned<String>,
    pub share: Spanned<f64>,
    pub priority: Option<Spanned<i64>>,
    /// Priority points gained per unit of wait, with its unit (`"1/min"`); a bare number
    /// (only 0 is accepted) reads like a bare duration.
    pub aging: Option<Spanned<RawDuration>>,
}

/// `[queue.closed]`: the closed message and what callers do after it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClosed {
    pub message: Option<Spanned<RawDuration>>,
    pub self_service: Option<Spanned<f64>>,
    pub hang_up: Option<Spanned<f64>>,
    /// Share who leave a callback request for the queue's next opening.
    pub callback: Option<Spanned<f64>>,
    /// What happens to callers still waiting when the queue closes: `"finish"` or
    /// `"disconnect"`.
    pub waiting: Option<Spanned<String>>,
    /// How the requests are called back: `"at_opening"` or `"when_idle"`.
    pub callbacks: Option<Spanned<String>>,
    /// The callback promise: dialled within this time of the opening.
    pub callback_within: Option<Spanned<RawDuration>>,
    /// Agents left idle for inbound callers before a `when_idle` leg is dialled.
    pub callback_reserve: Option<Spanned<i64>>,
    /// The share of the requests the promise must hold for (default 0.95).
    pub callback_within_share: Option<Spanned<f64>>,
}

/// `[[pool]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPool {
    pub name: Spanned<String>,
    pub serves: Spanned<Vec<Spanned<String>>>,
    pub agents: Spanned<RawAgents>,
    pub hours: Option<Spanned<RawHours>>,
    pub weekdays: Option<Spanned<Vec<Spanned<String>>>>,
    pub secondary: Option<Spanned<Vec<Spanned<String>>>>,
    pub overflow_after: Option<Spanned<RawDuration>>,
    /// `{ cards = 0.75 }`: this pool's handle times on a queue as a multiple of the queue's.
    pub handle_time_factor: Option<Spanned<RawFactors>>,
    /// `[[pool.takes]]`: the routing table written out.
    pub takes: Option<Spanned<Vec<Spanned<RawTake>>>>,
}

/// `[[pool.takes]]`: one row of a pool's routing table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTake {
    pub queue: Spanned<String>,
    pub priority: Option<Spanned<i64>>,
    pub after: Option<Spanned<RawDuration>>,
}

/// A TOML table of numbers by name (`{ cards = 0.75, loans = 1.2 }`), keys and values with
/// their spans, in the order written.
pub type RawFactors = RawPairs<f64>;

/// `hours` of a queue or pool: one range (`"08:00-19:00"`, `"24/7"`) for the `weekdays`, or a
/// table of ranges per day or run of days (`{ "mon-fri" = "08:00-20:00", sat = "09:00-14:00" }`).
#[derive(Debug)]
pub enum RawHours {
    Text(String),
    Days(RawPairs),
}

/// A TOML table of strings (or of `V`), keys and values with their spans, in the order written
/// (serde's maps would lose the keys' spans, and the errors point at a key).
#[derive(Debug, Default)]
pub struct RawPairs<V = String>(pub Vec<(Spanned<String>, Spanned<V>)>);

impl<'de> Deserialize<'de> for RawHours {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(HoursVisitor)
    }
}

struct HoursVisitor;

impl<'de> Visitor<'de> for HoursVisitor {
    type Value = RawHours;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "opening hours like \"08:00-19:00\", \"24/7\" or a table like { \"mon-fri\" = \"08:00-20:00\", sat = \"09:00-14:00\" }",
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawHours, E> {
        Ok(RawHours::Text(v.to_owned()))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawHours, A::Error> {
        PairsVisitor(std::marker::PhantomData)
            .visit_map(map)
            .map(RawHours::Days)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for RawPairs<V> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(PairsVisitor(std::marker::PhantomData))
    }
}

struct PairsVisitor<V>(std::marker::PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for PairsVisitor<V> {
    type Value = RawPairs<V>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table like { loans = \"10:00-14:00\" } or { cards = 0.75 }")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPairs<V>, A::Error> {
        let mut out = Vec::new();
        while let Some(pair) = map.next_entry::<Spanned<String>, Spanned<V>>()? {
            out.push(pair);
        }
        // The deserializer hands keys over sorted; the file's order is the spans'.
        out.sort_by_key(|(k, _): &(Spanned<String>, Spanned<V>)| k.span().start);
        Ok(RawPairs(out))
    }
}

/// `agents`: one headcount for every working interval, or a list per interval of the day.
#[derive(Debug)]
pub enum RawAgents {
    Constant(i64),
    List(Vec<Spanned<i64>>),
}

/// `[ivr]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIvr {
    pub start: Option<Spanned<String>>,
    #[serde(default)]
    pub node: Vec<Spanned<RawNode>>,
}

/// `[[ivr.node]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub name: Spanned<String>,
    pub duration: Option<Spanned<RawDist>>,
    pub options: Spanned<Vec<Spanned<RawOption>>>,
}

/// One entry of a node's `options`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub key: Option<Spanned<String>>,
    pub label: Option<Spanned<String>>,
    pub p: Spanned<f64>,
    pub node: Option<Spanned<String>>,
    pub queue: Option<Spanned<String>>,
    pub end: Option<Spanned<String>>,
}

/// `[staffing]`: the targets `hotline staff` plans for; every key optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStaffing {
    /// `"80/20"`: 80 % answered within 20 s; `"80%"` or `0.8`: within each queue's own
    /// threshold (a number or a string; `staffing::parse_service_level_goal` reads both).
    pub target: Option<Spanned<RawTarget>>,
    /// `"erlang-c"` or `"erlang-a"`.
    pub model: Option<Spanned<String>>,
    pub shrinkage: Option<Spanned<f64>>,
    pub max_occupancy: Option<Spanned<f64>>,
    pub target_asa: Option<Spanned<RawDuration>>,
    pub max_abandon: Option<Spanned<f64>>,
}

/// A service-level target as written: text (`"80/20"`, `"80%"`) or a number (`0.8`).
#[derive(Debug, Clone)]
pub struct RawTarget(pub String);

impl fmt::Display for RawTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RawTarget {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The number as the planner wrote it (0.8, 80), so the notation's rules apply to it.
        Ok(RawTarget(match RawDuration::deserialize(d)? {
            RawDuration::Text(t) => t,
            RawDuration::Seconds(v) => format!("{v}"),
        }))
    }
}

/// A duration as written: text for `time::parse_duration_with_unit`, or a bare number (only 0
/// is accepted: seconds or minutes?).
#[derive(Debug, Clone)]
pub enum RawDuration {
    Text(String),
    Seconds(f64),
}

impl fmt::Display for RawDuration {
    /// As the planner wrote it, for "(got ...)" in messages: text quoted, numbers bare.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawDuration::Text(t) => write!(f, "{t:?}"),
            RawDuration::Seconds(s) => f.write_str(&super::validate::num(*s)),
        }
    }
}

/// A calendar date as written: a TOML date literal (`2026-11-30`) or a string
/// (`"2026-11-30"`), kept as text for `time::parse_date`.
#[derive(Debug, Clone)]
pub struct RawDate(pub String);

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = RawDate;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date like 2026-11-30")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDate, E> {
        Ok(RawDate(v.to_owned()))
    }
    /// TOML date literals reach serde as toml's private datetime map.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDate, A::Error> {
        toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|d| RawDate(d.to_string()))
    }
}

/// A distribution: a table with `dist = "..."`, or a plain duration meaning deterministic.
#[derive(Debug)]
pub enum RawDist {
    Shorthand(RawDuration),
    Table(Box<RawDistTable>),
}

/// `{ dist = "lognormal", mean = "3m", cv = 0.7 }`. Which keys belong to which `dist` is
/// checked in `validate`, so the message can name the distribution.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDistTable {
    pub dist: Spanned<String>,
    pub mean: Option<Spanned<RawDuration>>,
    pub value: Option<Spanned<RawDuration>>,
    pub cv: Option<Spanned<f64>>,
    pub min: Option<Spanned<RawDuration>>,
    pub max: Option<Spanned<RawDuration>>,
    pub values: Option<Spanned<Vec<Spanned<RawDuration>>>>,
}

impl<'de> Deserialize<'de> for RawDuration {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DurationVisitor)
    }
}

struct DurationVisitor;

impl<'de> Visitor<'de> for DurationVisitor {
    type Value = RawDuration;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a duration like \"45s\", \"3m\", \"1h30m\" or a number of seconds")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDuration, E> {
        Ok(RawDuration::Text(v.to_owned()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDuration, E> {
        Ok(RawDuration::Seconds(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDuration, E> {
        Ok(RawDuration::Seconds(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDuration, E> {
        Ok(RawDuration::Seconds(v))
    }
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DistVisitor)
    }
}

struct DistVisitor;

impl<'de> Visitor<'de> for DistVisitor {
    type Value = RawDist;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "a distribution table like { dist = \"exponential\", mean = \"3m\" } or a duration",
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDist, E> {
        DurationVisitor.visit_str(v).map(RawDist::Shorthand)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDist, E> {
        DurationVisitor.visit_i64(v).map(RawDist::Shorthand)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDist, E> {
        DurationVisitor.visit_u64(v).map(RawDist::Shorthand)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDist, E> {
        DurationVisitor.visit_f64(v).map(RawDist::Shorthand)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDist, A::Error> {
        RawDistTable::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|t| RawDist::Table(Box::new(t)))
    }
}

impl<'de> Deserialize<'de> for RawAgents {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AgentsVisitor)
    }
}

struct AgentsVisitor;

impl<'de> Visitor<'de> for AgentsVisitor {
    type Value = RawAgents;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number of agents or a list of them per interval of the day")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawAgents, E> {
        Ok(RawAgents::Constant(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawAgents, E> {
        Ok(RawAgents::Constant(i64::try_from(v).unwrap_or(i64::MAX)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawAgents, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<Spanned<i64>>()? {
            out.push(v);
        }
        Ok(RawAgents::List(out))
    }
}

impl<'de> Deserialize<'de> for RawPerWeekday {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PerWeekdayVisitor)
    }
}

struct PerWeekdayVisitor;

impl<'de> Visitor<'de> for PerWeekdayVisitor {
    type Value = RawPerWeekday;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("7 numbers (Monday first) or a table like { mon = 1.0, sat = 0.4 }")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawPerWeekday, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<Spanned<f64>>()? {
            out.push(v);
        }
        Ok(RawPerWeekday::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPerWeekday, A::Error> {
        RawWeekdayTable::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(RawPerWeekday::Table)
    }
}
