//! Raw scenario → validated [`Model`]: every rule of the format (docs/scenario-format.md) is
//! checked here, names are resolved to indices, durations become seconds and the arrival and
//! headcount profiles are expanded over the week.
//!
//! Each check points at the span of the value that breaks it, with the field path the planner
//! would write. The first error wins: later checks often depend on earlier ones (a headcount
//! list needs a valid interval), so reporting more would mostly report consequences.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::error::ScenarioError;
use super::model::{
    ArrivalProfile, Ivr, IvrNode, IvrOption, IvrTarget, Model, NodeId, Pool, Queue, QueueId,
};
use super::raw::{
    RawAgents, RawArrivals, RawDist, RawDistTable, RawDuration, RawFile, RawIvr, RawNode,
    RawOption, RawPool, RawQueue, RawScenario, RawWeekdayFactor,
};
use crate::dist::Dist;
use crate::time::{self, DAY};

/// Longest horizon: 10 years keeps interval counts and memory reasonable.
pub const MAX_DAYS: i64 = 3660;
/// Above this a rate is a typo, not a call center.
pub const MAX_CALLS_PER_HOUR: f64 = 1e7;
/// Largest headcount of one pool in one interval.
pub const MAX_AGENTS: i64 = 1_000_000;
/// Longest duration anywhere (handle time, patience, thresholds): one year.
pub const MAX_DURATION_S: f64 = 365.0 * DAY;
/// Largest coefficient of variation of a lognormal or gamma distribution.
pub const MAX_CV: f64 = 20.0;
/// Largest weekday factor.
pub const MAX_WEEKDAY_FACTOR: f64 = 1000.0;
/// Tolerance on the sum of a node's option probabilities.
pub const PROBABILITY_TOLERANCE: f64 = 1e-6;

/// Where errors point: the file name and its text (for line and column).
struct Ctx<'a> {
    text: &'a str,
    file: &'a Path,
}

impl Ctx<'_> {
    fn err(
        &self,
        span: Range<usize>,
        field: impl Into<String>,
        msg: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError::at(self.file, self.text, span, field, msg)
    }
}

type Result<T> = std::result::Result<T, ScenarioError>;

/// Checks every rule and builds the model.
pub fn validate(raw: &RawFile, text: &str, file: &Path) -> Result<Model> {
    let ctx = Ctx { text, file };
    let header = scenario(&ctx, &raw.scenario)?;
    let arrivals = arrivals(&ctx, &raw.arrivals)?;
    let queues = queues(&ctx, &raw.queue)?;
    let queue_index = index_by_name(&raw.queue, |q| &q.name);
    let pools = raw
        .pool
        .iter()
        .enumerate()
        .map(|(i, p)| pool(&ctx, p, i, header.interval_s, &queue_index))
        .collect::<Result<Vec<_>>>()?;
    every_queue_served(&ctx, &raw.queue, &pools)?;
    unique_names(&ctx, raw.pool.iter().map(|p| &p.get_ref().name), "pool")?;
    let ivr = match &raw.ivr {
        Some(r) => Some(ivr(&ctx, r, &queue_index)?),
        None => None,
    };
    Ok(Model {
        name: header.name,
        source: file.to_path_buf(),
        days: header.days,
        interval_s: header.interval_s,
        seed: header.seed,
        arrivals,
        extras: Default::default(),
        ivr,
        queues,
        pools,
        staffing: Default::default(),
    })
}

/// The `[scenario]` table, checked.
struct Header {
    name: String,
    days: u32,
    interval_s: f64,
    seed: u64,
}

fn scenario(ctx: &Ctx, raw: &Spanned<RawScenario>) -> Result<Header> {
    let s = raw.get_ref();
    let name = non_empty(ctx, &s.name, "scenario.name")?;
    let days = *s.days.get_ref();
    let days_err = |m: String| ctx.err(s.days.span(), "scenario.days", m);
    if days < 1 {
        return Err(days_err(format!("must be at least 1 day (got {days})")));
    }
    if days > MAX_DAYS {
        return Err(days_err(format!(
            "at most {MAX_DAYS} days (10 years) (got {days})"
        )));
    }
    let interval_s = match &s.interval {
        None => 1800.0,
        Some(i) => interval(ctx, i)?,
    };
    Ok(Header {
        name,
        days: days as u32,
        interval_s,
        seed: s.seed.unwrap_or(1),
    })
}

/// The statistics interval: 15, 30 or 60 minutes, the lengths planners report in.
fn interval(ctx: &Ctx, raw: &Spanned<RawDuration>) -> Result<f64> {
    let s = duration(ctx, raw, "scenario.interval")?;
    if [900.0, 1800.0, 3600.0].contains(&s) {
        Ok(s)
    } else {
        Err(ctx.err(
            raw.span(),
            "scenario.interval",
            format!(
                "must be \"15m\", \"30m\" or \"60m\" (got {})",
                raw.get_ref()
            ),
        ))
    }
}

fn non_empty(ctx: &Ctx, raw: &Spanned<String>, field: &str) -> Result<String> {
    let v = raw.get_ref().trim();
    if v.is_empty() {
        return Err(ctx.err(raw.span(), field, "must not be empty"));
    }
    Ok(v.to_owned())
}

/// A number as the planner wrote it, but huge values in scientific notation so a message stays
/// one readable line.
pub(super) fn num(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

// ---------------------------------------------------------------- durations and distributions

/// A duration in seconds: finite, ≥ 0, at most a year.
fn duration(ctx: &Ctx, raw: &Spanned<RawDuration>, field: &str) -> Result<f64> {
    let err = |m: String| ctx.err(raw.span(), field, m);
    let s = match raw.get_ref() {
        RawDuration::Text(t) => time::parse_duration(t).map_err(err)?.get(),
        RawDuration::Seconds(s) => *s,
    };
    if !s.is_finite() {
        return Err(err(format!(
            "must be a finite duration (got {})",
            raw.get_ref()
        )));
    }
    if s < 0.0 {
        return Err(err(format!(
            "must be zero or positive (got {})",
            raw.get_ref()
        )));
    }
    if s > MAX_DURATION_S {
        return Err(err(format!(
            "must be at most 365 days (got {})",
            raw.get_ref()
        )));
    }
    Ok(s)
}

/// A duration that must be > 0 (means of handle time, wrap-up, patience).
fn positive_duration(ctx: &Ctx, raw: &Spanned<RawDuration>, field: &str) -> Result<f64> {
    let s = duration(ctx, raw, field)?;
    if s <= 0.0 {
        return Err(ctx.err(
            raw.span(),
            field,
            format!("must be positive (got {})", raw.get_ref()),
        ));
    }
    Ok(s)
}

/// Whether a distribution may be identically zero: IVR announcements may take no time, a
/// handle time may not.
#[derive(Clone, Copy, PartialEq)]
enum Need {
    Positive,
    NonNegative,
}

/// The distribution names and the keys each one takes besides `dist`.
const DISTS: [(&str, &[&str]); 6] = [
    ("exponential", &["mean"]),
    ("deterministic", &["value"]),
    ("lognormal", &["mean", "cv"]),
    ("gamma", &["mean", "cv"]),
    ("uniform", &["min", "max"]),
    ("empirical", &["values"]),
];

fn dist(ctx: &Ctx, raw: &Spanned<RawDist>, field: &str, need: Need) -> Result<Dist> {
    match raw.get_ref() {
        RawDist::Shorthand(d) => {
            let d = Spanned::new(raw.span(), d.clone());
            let v = match need {
                Need::Positive => positive_duration(ctx, &d, field)?,
                Need::NonNegative => duration(ctx, &d, field)?,
            };
            Dist::deterministic(v).map_err(|m| ctx.err(raw.span(), field, m))
        }
        RawDist::Table(t) => dist_table(ctx, t, raw.span(), field, need),
    }
}

fn dist_table(
    ctx: &Ctx,
    t: &RawDistTable,
    span: Range<usize>,
    field: &str,
    need: Need,
) -> Result<Dist> {
    let name = t.dist.get_ref().as_str();
    let Some((_, allowed)) = DISTS.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = DISTS.iter().map(|(n, _)| *n).collect();
        return Err(ctx.err(
            t.dist.span(),
            format!("{field}.dist"),
            format!(
                "unknown distribution `{name}`; expected one of {}",
                names.join(", ")
            ),
        ));
    };
    dist_keys_belong(ctx, t, name, allowed, field)?;
    let sub = |k: &str| format!("{field}.{k}");
    let missing = |k: &str| {
        ctx.err(
            span.clone(),
            sub(k),
            format!("a {name} distribution needs `{k}`"),
        )
    };
    let mean = || -> Result<f64> {
        let m = t.mean.as_ref().ok_or_else(|| missing("mean"))?;
        positive_duration(ctx, m, &sub("mean"))
    };
    let cv = || -> Result<f64> {
        let c = t.cv.as_ref().ok_or_else(|| missing("cv"))?;
        let v = *c.get_ref();
        if v.is_finite() && v > 0.0 && v <= MAX_CV {
            Ok(v)
        } else {
            Err(ctx.err(
                c.span(),
                sub("cv"),
                format!("must be above 0 and at most {MAX_CV} (got {})", num(v)),
            ))
        }
    };
    let backstop = |m: String| ctx.err(span.clone(), field, m);
    match name {
        "exponential" => Dist::exponential(mean()?).map_err(backstop),
        "lognormal" => Dist::lognormal(mean()?, cv()?).map_err(backstop),
        "gamma" => Dist::gamma(mean()?, cv()?).map_err(backstop),
        "deterministic" => {
            let v = t.value.as_ref().ok_or_else(|| missing("value"))?;
            let v = match need {
                Need::Positive => positive_duration(ctx, v, &sub("value"))?,
                Need::NonNegative => duration(ctx, v, &sub("value"))?,
            };
            Dist::deterministic(v).map_err(backstop)
        }
        "uniform" => uniform(ctx, t, &span, field, need),
        _ => empirical(ctx, t, &span, field),
    }
}

/// Keys that belong to another distribution are errors naming the ones this one takes.
fn dist_keys_belong(
    ctx: &Ctx,
    t: &RawDistTable,
    name: &str,
    allowed: &[&str],
    field: &str,
) -> Result<()> {
    let present = [
        ("mean", t.mean.as_ref().map(Spanned::span)),
        ("value", t.value.as_ref().map(Spanned::span)),
        ("cv", t.cv.as_ref().map(Spanned::span)),
        ("min", t.min.as_ref().map(Spanned::span)),
        ("max", t.max.as_ref().map(Spanned::span)),
        ("values", t.values.as_ref().map(Spanned::span)),
    ];
    for (key, span) in present {
        if let Some(span) = span
            && !allowed.contains(&key)
        {
            let takes: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
            return Err(ctx.err(
                span,
                format!("{field}.{key}"),
                format!(
                    "`{key}` does not belong to a {name} distribution; it takes {}",
                    takes.join(" and ")
                ),
            ));
        }
    }
    Ok(())
}

fn uniform(
    ctx: &Ctx,
    t: &RawDistTable,
    span: &Range<usize>,
    field: &str,
    need: Need,
) -> Result<Dist> {
    let get = |k: &str, v: &Option<Spanned<RawDuration>>| -> Result<(f64, Range<usize>)> {
        let v = v.as_ref().ok_or_else(|| {
            ctx.err(
                span.clone(),
                format!("{field}.{k}"),
                format!("a uniform distribution needs `{k}`"),
            )
        })?;
        Ok((duration(ctx, v, &format!("{field}.{k}"))?, v.span()))
    };
    let (min, _) = get("min", &t.min)?;
    let (max, max_span) = get("max", &t.max)?;
    if max < min {
        return Err(ctx.err(
            max_span,
            format!("{field}.max"),
            format!("must be at least min ({min}s) (got {max}s)"),
        ));
    }
    if need == Need::Positive && max <= 0.0 {
        return Err(ctx.err(max_span, format!("{field}.max"), "must be positive (got 0)"));
    }
    Dist::uniform(min, max).map_err(|m| ctx.err(span.clone(), field, m))
}

/// Even an IVR delay needs one positive value: an all-zero sample is a deterministic 0.
fn empirical(ctx: &Ctx, t: &RawDistTable, span: &Range<usize>, field: &str) -> Result<Dist> {
    let sub = format!("{field}.values");
    let raw = t.values.as_ref().ok_or_else(|| {
        ctx.err(
            span.clone(),
            sub.clone(),
            "an empirical distribution needs `values`",
        )
    })?;
    if raw.get_ref().is_empty() {
        return Err(ctx.err(raw.span(), sub, "needs at least one value"));
    }
    let values = raw
        .get_ref()
        .iter()
        .enumerate()
        .map(|(i, v)| duration(ctx, v, &format!("{sub}[{i}]")))
        .collect::<Result<Vec<f64>>>()?;
    if values.iter().all(|&v| v == 0.0) {
        return Err(ctx.err(
            raw.span(),
            sub,
            "needs at least one positive value (all are 0)",
        ));
    }
    Dist::empirical(values).map_err(|m| ctx.err(span.clone(), field, m))
}

// ---------------------------------------------------------------- arrivals

fn arrivals(ctx: &Ctx, raw: &Spanned<RawArrivals>) -> Result<ArrivalProfile> {
    let a = raw.get_ref();
    let (segment_s, day) = match (&a.calls_per_hour, &a.calls_per_interval) {
        (Some(h), None) => (3600.0, vec![calls_per_hour(ctx, h)? / 3600.0; 24]),
        (None, Some(v)) => calls_per_interval(ctx, v)?,
        (Some(_), Some(v)) => {
            return Err(ctx.err(
                v.span(),
                "arrivals.calls_per_interval",
                "give either `calls_per_hour` or `calls_per_interval`, not both",
            ));
        }
        (None, None) => {
            return Err(ctx.err(
                raw.span(),
                "arrivals",
                "needs `calls_per_hour = <number>` or `calls_per_interval = [<24, 48 or 96 numbers>]`",
            ));
        }
    };
    let factors = match &a.weekday_factor {
        None => [1.0; 7],
        Some(f) => weekday_factors(ctx, f)?,
    };
    if day.iter().sum::<f64>() <= 0.0 {
        let span = a
            .calls_per_interval
            .as_ref()
            .map_or(raw.span(), Spanned::span);
        return Err(ctx.err(
            span,
            "arrivals.calls_per_interval",
            "the day has no calls: every volume is 0",
        ));
    }
    if factors.iter().sum::<f64>() <= 0.0
        && let Some(f) = &a.weekday_factor
    {
        return Err(ctx.err(
            f.span(),
            "arrivals.weekday_factor",
            "the week has no calls: every factor is 0",
        ));
    }
    let rate_per_s = factors
        .iter()
        .flat_map(|f| day.iter().map(move |r| r * f))
        .collect();
    Ok(ArrivalProfile {
        segment_s,
        rate_per_s,
    })
}

fn calls_per_hour(ctx: &Ctx, raw: &Spanned<f64>) -> Result<f64> {
    let v = *raw.get_ref();
    if v.is_finite() && v > 0.0 && v <= MAX_CALLS_PER_HOUR {
        Ok(v)
    } else {
        Err(ctx.err(
            raw.span(),
            "arrivals.calls_per_hour",
            format!(
                "must be above 0 and at most {MAX_CALLS_PER_HOUR:e} calls per hour (got {})",
                num(v)
            ),
        ))
    }
}

/// A day's volume curve: (segment length, calls per second per segment).
fn calls_per_interval(ctx: &Ctx, raw: &Spanned<Vec<Spanned<f64>>>) -> Result<(f64, Vec<f64>)> {
    let values = raw.get_ref();
    let segment_s = per_day_segment(values.len()).ok_or_else(|| {
        ctx.err(
            raw.span(),
            "arrivals.calls_per_interval",
            format!(
                "needs 24, 48 or 96 values (hourly, half-hourly or quarter-hourly volumes), got {}",
                values.len()
            ),
        )
    })?;
    let max = MAX_CALLS_PER_HOUR * segment_s / 3600.0;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = *v.get_ref();
            if x.is_finite() && (0.0..=max).contains(&x) {
                Ok(x / segment_s)
            } else {
                Err(ctx.err(
                    v.span(),
                    format!("arrivals.calls_per_interval[{i}]"),
                    format!("must be between 0 and {max:e} calls (got {})", num(x)),
                ))
            }
        })
        .collect::<Result<Vec<f64>>>()
        .map(|day| (segment_s, day))
}

/// Segment length of a per-day list: 24 → hourly, 48 → half-hourly, 96 → quarter-hourly.
fn per_day_segment(len: usize) -> Option<f64> {
    matches!(len, 24 | 48 | 96).then(|| DAY / len as f64)
}

fn weekday_factors(ctx: &Ctx, raw: &Spanned<RawWeekdayFactor>) -> Result<[f64; 7]> {
    let entries: Vec<(Option<&Spanned<f64>>, String)> = match raw.get_ref() {
        RawWeekdayFactor::List(v) => {
            if v.len() != 7 {
                return Err(ctx.err(
                    raw.span(),
                    "arrivals.weekday_factor",
                    format!("needs 7 numbers, Monday first (got {})", v.len()),
                ));
            }
            v.iter()
                .enumerate()
                .map(|(i, f)| (Some(f), format!("arrivals.weekday_factor[{i}]")))
                .collect()
        }
        RawWeekdayFactor::Table(t) => t
            .days()
            .iter()
            .zip(time::WEEKDAYS)
            .map(|(f, d)| (f.as_ref(), format!("arrivals.weekday_factor.{d}")))
            .collect(),
    };
    let mut out = [1.0; 7];
    for ((entry, field), slot) in entries.iter().zip(out.iter_mut()) {
        if let Some(f) = entry {
            let v = *f.get_ref();
            if !(v.is_finite() && (0.0..=MAX_WEEKDAY_FACTOR).contains(&v)) {
                return Err(ctx.err(
                    f.span(),
                    field.as_str(),
                    format!(
                        "must be between 0 and {MAX_WEEKDAY_FACTOR} (got {})",
                        num(v)
                    ),
                ));
            }
            *slot = v;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- queues and pools

fn queues(ctx: &Ctx, raw: &[Spanned<RawQueue>]) -> Result<Vec<Queue>> {
    if raw.is_empty() {
        return Err(ctx.err(0..0, "queue", "a scenario needs at least one [[queue]]"));
    }
    unique_names(ctx, raw.iter().map(|q| &q.get_ref().name), "queue")?;
    raw.iter()
        .enumerate()
        .map(|(i, q)| queue(ctx, q.get_ref(), i))
        .collect()
}

fn queue(ctx: &Ctx, q: &RawQueue, i: usize) -> Result<Queue> {
    let f = |k: &str| format!("queue[{i}].{k}");
    let optional = |d: &Option<Spanned<RawDist>>, k: &str| -> Result<Option<Dist>> {
        d.as_ref()
            .map(|d| dist(ctx, d, &f(k), Need::Positive))
            .transpose()
    };
    Ok(Queue {
        name: non_empty(ctx, &q.name, &f("name"))?,
        handle_time: dist(ctx, &q.handle_time, &f("handle_time"), Need::Positive)?,
        wrap_up: optional(&q.wrap_up, "wrap_up")?,
        patience: optional(&q.patience, "patience")?,
        sl_threshold_s: match &q.service_level_threshold {
            Some(t) => duration(ctx, t, &f("service_level_threshold"))?,
            None => 20.0,
        },
    })
}

/// Names must be unique so that `serves` and IVR options mean one thing.
fn unique_names<'a>(
    ctx: &Ctx,
    names: impl Iterator<Item = &'a Spanned<String>>,
    what: &str,
) -> Result<()> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, n) in names.enumerate() {
        let name = n.get_ref().trim();
        if let Some(first) = seen.insert(name, i) {
            return Err(ctx.err(
                n.span(),
                format!("{what}[{i}].name"),
                format!(
                    "{what} `{name}` is already defined as {what}[{first}]; names must be unique"
                ),
            ));
        }
    }
    Ok(())
}

fn index_by_name<T>(
    items: &[Spanned<T>],
    name: impl Fn(&T) -> &Spanned<String>,
) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        out.entry(name(item.get_ref()).get_ref().trim().to_owned())
            .or_insert(i);
    }
    out
}

fn known_names(index: &HashMap<String, usize>) -> String {
    let mut names: Vec<(&usize, &String)> = index.iter().map(|(k, v)| (v, k)).collect();
    names.sort();
    names
        .iter()
        .map(|(_, n)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn pool(
    ctx: &Ctx,
    raw: &Spanned<RawPool>,
    i: usize,
    interval_s: f64,
    queues: &HashMap<String, usize>,
) -> Result<Pool> {
    let p = raw.get_ref();
    Ok(Pool {
        name: non_empty(ctx, &p.name, &format!("pool[{i}].name"))?,
        serves: serves(ctx, &p.serves, i, queues)?,
        headcount: headcount(ctx, p, i, interval_s)?,
    })
}

fn serves(
    ctx: &Ctx,
    raw: &Spanned<Vec<Spanned<String>>>,
    i: usize,
    queues: &HashMap<String, usize>,
) -> Result<Vec<QueueId>> {
    if raw.get_ref().is_empty() {
        return Err(ctx.err(
            raw.span(),
            format!("pool[{i}].serves"),
            "must name at least one queue",
        ));
    }
    let mut out: Vec<QueueId> = Vec::new();
    for (j, name) in raw.get_ref().iter().enumerate() {
        let field = format!("pool[{i}].serves[{j}]");
        let n = name.get_ref().trim();
        let Some(&q) = queues.get(n) else {
            return Err(ctx.err(
                name.span(),
                field,
                format!("unknown queue `{n}`; queues are {}", known_names(queues)),
            ));
        };
        let id = QueueId(q as u32);
        if out.contains(&id) {
            return Err(ctx.err(name.span(), field, format!("queue `{n}` is listed twice")));
        }
        out.push(id);
    }
    Ok(out)
}

fn every_queue_served(ctx: &Ctx, raw: &[Spanned<RawQueue>], pools: &[Pool]) -> Result<()> {
    for (i, q) in raw.iter().enumerate() {
        let id = QueueId(i as u32);
        if !pools.iter().any(|p| p.serves.contains(&id)) {
            let name = &q.get_ref().name;
            return Err(ctx.err(
                name.span(),
                format!("queue[{i}].name"),
                format!(
                    "no pool serves queue `{}`; add it to some pool's `serves`",
                    name.get_ref().trim()
                ),
            ));
        }
    }
    Ok(())
}

/// Headcount per statistics interval of the week: the day pattern (from a constant with
/// optional `hours`, or a per-interval list) placed on each working weekday. A night shift's
/// pattern runs past midnight into the next day (and from Sunday into Monday, as the week
/// repeats).
fn headcount(ctx: &Ctx, p: &RawPool, i: usize, interval_s: f64) -> Result<Vec<u32>> {
    let per_day = (DAY / interval_s).round() as usize;
    let pattern = day_pattern(ctx, p, i, interval_s, per_day)?;
    let days = weekdays(ctx, p, i)?;
    let week = 7 * per_day;
    let mut out = vec![0u32; week];
    for d in days {
        for &(offset, n) in &pattern {
            if let Some(slot) = out.get_mut((d * per_day + offset) % week) {
                *slot = n;
            }
        }
    }
    Ok(out)
}

/// (interval offset from the working day's midnight, agents); offsets may pass `per_day`.
fn day_pattern(
    ctx: &Ctx,
    p: &RawPool,
    i: usize,
    interval_s: f64,
    per_day: usize,
) -> Result<Vec<(usize, u32)>> {
    match p.agents.get_ref() {
        RawAgents::Constant(n) => {
            let n = agents_count(ctx, *n, p.agents.span(), &format!("pool[{i}].agents"))?;
            let (from, to) = match &p.hours {
                Some(h) => hours(ctx, h, i, interval_s, per_day)?,
                None => (0, per_day),
            };
            Ok((from..to).map(|k| (k, n)).collect())
        }
        RawAgents::List(list) => {
            if let Some(h) = &p.hours {
                return Err(ctx.err(
                    h.span(),
                    format!("pool[{i}].hours"),
                    "`hours` works only with a constant `agents`; with a list, put 0 outside the working hours",
                ));
            }
            agents_list(ctx, &p.agents, list, i, interval_s, per_day)
        }
    }
}

fn agents_count(ctx: &Ctx, n: i64, span: Range<usize>, field: &str) -> Result<u32> {
    if (0..=MAX_AGENTS).contains(&n) {
        Ok(n as u32)
    } else {
        Err(ctx.err(
            span,
            field,
            format!("must be between 0 and {MAX_AGENTS} agents (got {n})"),
        ))
    }
}

/// A per-interval list mapped onto the statistics intervals: a coarser list repeats each value,
/// a finer one cannot be represented and is an error.
fn agents_list(
    ctx: &Ctx,
    raw: &Spanned<RawAgents>,
    list: &[Spanned<i64>],
    i: usize,
    interval_s: f64,
    per_day: usize,
) -> Result<Vec<(usize, u32)>> {
    let field = format!("pool[{i}].agents");
    let segment_s = per_day_segment(list.len()).ok_or_else(|| {
        ctx.err(
            raw.span(),
            field.as_str(),
            format!(
                "needs 24, 48 or 96 values (per hour, half hour or quarter hour), got {}",
                list.len()
            ),
        )
    })?;
    if segment_s < interval_s {
        return Err(ctx.err(
            raw.span(),
            field.as_str(),
            format!(
                "{} values per day are finer than the statistics interval ({}); give {} values or set `scenario.interval` to \"{}\"",
                list.len(),
                time::format_duration(time::Seconds(interval_s)),
                per_day,
                time::format_duration(time::Seconds(segment_s)),
            ),
        ));
    }
    let counts = list
        .iter()
        .enumerate()
        .map(|(j, v)| agents_count(ctx, *v.get_ref(), v.span(), &format!("{field}[{j}]")))
        .collect::<Result<Vec<u32>>>()?;
    let ratio = (segment_s / interval_s).round() as usize;
    Ok((0..per_day)
        .map(|k| (k, counts.get(k / ratio.max(1)).copied().unwrap_or(0)))
        .collect())
}

/// `hours = "08:00-19:00"` → (first interval, one past the last interval) of the working
/// day; an end at or before the start crosses midnight, so the end moves to the next day.
fn hours(
    ctx: &Ctx,
    raw: &Spanned<String>,
    i: usize,
    interval_s: f64,
    per_day: usize,
) -> Result<(usize, usize)> {
    let field = format!("pool[{i}].hours");
    let err = |m: String| ctx.err(raw.span(), field.as_str(), m);
    let text = raw.get_ref();
    let (a, b) = text.split_once('-').ok_or_else(|| {
        err(format!(
            "`{text}` is not a time range; write e.g. \"08:00-19:00\""
        ))
    })?;
    let from = time::parse_clock(a).map_err(&err)?.get();
    let to = time::parse_clock(b).map_err(&err)?.get();
    let step = interval_s as u64;
    for t in [from, to] {
        if (t as u64) % step != 0 {
            return Err(err(format!(
                "{} is not on a statistics-interval boundary ({}); shifts start and end on interval boundaries",
                clock(t),
                time::format_duration(time::Seconds(interval_s)),
            )));
        }
    }
    if from >= DAY {
        return Err(err("a shift cannot start at 24:00; write 00:00".into()));
    }
    if from == to {
        return Err(err(format!(
            "`{text}` is an empty shift; for all day leave `hours` out"
        )));
    }
    let first = (from / interval_s).round() as usize;
    let mut end = (to / interval_s).round() as usize;
    if to <= from {
        end += per_day;
    }
    Ok((first, end))
}

fn clock(t: f64) -> String {
    let m = (t / 60.0).round() as u64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The days a pool works (Monday = 0), default all.
fn weekdays(ctx: &Ctx, p: &RawPool, i: usize) -> Result<Vec<usize>> {
    let Some(raw) = &p.weekdays else {
        return Ok((0..7).collect());
    };
    if raw.get_ref().is_empty() {
        return Err(ctx.err(
            raw.span(),
            format!("pool[{i}].weekdays"),
            "must name at least one day; to close a pool set `agents = 0`",
        ));
    }
    let mut out = Vec::new();
    for (j, d) in raw.get_ref().iter().enumerate() {
        let field = format!("pool[{i}].weekdays[{j}]");
        let Some(day) = time::parse_weekday(d.get_ref()) else {
            return Err(ctx.err(
                d.span(),
                field,
                format!(
                    "unknown weekday `{}`; write mon, tue, wed, thu, fri, sat or sun",
                    d.get_ref()
                ),
            ));
        };
        if out.contains(&day) {
            return Err(ctx.err(
                d.span(),
                field,
                format!("`{}` is listed twice", d.get_ref()),
            ));
        }
        out.push(day);
    }
    Ok(out)
}

// ---------------------------------------------------------------- IVR

fn ivr(ctx: &Ctx, raw: &Spanned<RawIvr>, queues: &HashMap<String, usize>) -> Result<Ivr> {
    let r = raw.get_ref();
    if r.node.is_empty() {
        return Err(ctx.err(
            raw.span(),
            "ivr.node",
            "an [ivr] needs at least one [[ivr.node]]",
        ));
    }
    unique_names(ctx, r.node.iter().map(|n| &n.get_ref().name), "ivr.node")?;
    let nodes_index = index_by_name(&r.node, |n| &n.name);
    let start = match &r.start {
        None => 0,
        Some(s) => *nodes_index.get(s.get_ref().trim()).ok_or_else(|| {
            ctx.err(
                s.span(),
                "ivr.start",
                format!(
                    "unknown node `{}`; nodes are {}",
                    s.get_ref(),
                    known_names(&nodes_index)
                ),
            )
        })?,
    };
    let names = Names {
        nodes: &nodes_index,
        queues,
    };
    let nodes = r
        .node
        .iter()
        .enumerate()
        .map(|(i, n)| node(ctx, n.get_ref(), i, &names))
        .collect::<Result<Vec<_>>>()?;
    if let Some((cycle, i, j)) = find_cycle(&nodes) {
        let path: Vec<&str> = cycle
            .iter()
            .filter_map(|&k| nodes.get(k).map(|n| n.name.as_str()))
            .collect();
        let span = r
            .node
            .get(i)
            .and_then(|n| n.get_ref().options.get_ref().get(j))
            .and_then(|o| o.get_ref().node.as_ref())
            .map_or(raw.span(), Spanned::span);
        return Err(ctx.err(
            span,
            format!("ivr.node[{i}].options[{j}].node"),
            format!(
                "the IVR loops: {}; a caller could never leave it",
                path.join(" → ")
            ),
        ));
    }
    Ok(Ivr {
        start: NodeId(start as u32),
        nodes,
    })
}

/// Name → index maps for resolving option targets.
struct Names<'a> {
    nodes: &'a HashMap<String, usize>,
    queues: &'a HashMap<String, usize>,
}

fn node(ctx: &Ctx, n: &RawNode, i: usize, names: &Names) -> Result<IvrNode> {
    let field = format!("ivr.node[{i}]");
    let duration = match &n.duration {
        Some(d) => dist(ctx, d, &format!("{field}.duration"), Need::NonNegative)?,
        None => Dist::deterministic(0.0).map_err(|m| ctx.err(n.name.span(), field.as_str(), m))?,
    };
    let raw_options = n.options.get_ref();
    let opt_field = format!("{field}.options");
    if raw_options.is_empty() {
        return Err(ctx.err(
            n.options.span(),
            opt_field,
            "a node needs at least one option",
        ));
    }
    let mut options = raw_options
        .iter()
        .enumerate()
        .map(|(j, o)| option(ctx, o, &format!("{opt_field}[{j}]"), names))
        .collect::<Result<Vec<_>>>()?;
    let sum: f64 = options.iter().map(|o| o.probability).sum();
    if (sum - 1.0).abs() > PROBABILITY_TOLERANCE {
        return Err(ctx.err(
            n.options.span(),
            opt_field,
            format!("the options' probabilities `p` sum to {sum}; they must sum to 1"),
        ));
    }
    for o in &mut options {
        o.probability /= sum;
    }
    Ok(IvrNode {
        name: n.name.get_ref().trim().to_owned(),
        duration,
        options,
    })
}

fn option(ctx: &Ctx, raw: &Spanned<RawOption>, field: &str, names: &Names) -> Result<IvrOption> {
    let o = raw.get_ref();
    let p = *o.p.get_ref();
    if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
        return Err(ctx.err(
            o.p.span(),
            format!("{field}.p"),
            format!("must be between 0 and 1 (got {})", num(p)),
        ));
    }
    let target = match (&o.node, &o.queue, &o.end) {
        (Some(n), None, None) => {
            IvrTarget::Node(NodeId(resolve(ctx, n, names.nodes, "node", field)? as u32))
        }
        (None, Some(q), None) => {
            IvrTarget::Queue(QueueId(
                resolve(ctx, q, names.queues, "queue", field)? as u32
            ))
        }
        (None, None, Some(e)) => end(ctx, e, field)?,
        _ => {
            return Err(ctx.err(
                raw.span(),
                field,
                "an option needs exactly one of `node = \"...\"`, `queue = \"...\"` or `end = \"self_service\" | \"hang_up\"`",
            ));
        }
    };
    let key = o
        .key
        .as_ref()
        .or(o.label.as_ref())
        .map(|k| k.get_ref().clone())
        .unwrap_or_default();
    Ok(IvrOption {
        key,
        probability: p,
        target,
    })
}

fn resolve(
    ctx: &Ctx,
    raw: &Spanned<String>,
    index: &HashMap<String, usize>,
    what: &str,
    field: &str,
) -> Result<usize> {
    let name = raw.get_ref().trim();
    index.get(name).copied().ok_or_else(|| {
        ctx.err(
            raw.span(),
            format!("{field}.{what}"),
            format!(
                "unknown {what} `{name}`; {what}s are {}",
                known_names(index)
            ),
        )
    })
}

fn end(ctx: &Ctx, raw: &Spanned<String>, field: &str) -> Result<IvrTarget> {
    match raw.get_ref().trim() {
        "self_service" => Ok(IvrTarget::SelfService),
        "hang_up" => Ok(IvrTarget::HangUp),
        other => Err(ctx.err(
            raw.span(),
            format!("{field}.end"),
            format!("unknown end `{other}`; expected \"self_service\" or \"hang_up\""),
        )),
    }
}

/// A cycle among node → node options, as (node indices from the repeated node back to it, node
/// and option that close it). Iterative depth-first search, so a long menu chain cannot
/// overflow the stack.
fn find_cycle(nodes: &[IvrNode]) -> Option<(Vec<usize>, usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; nodes.len()];
    for root in 0..nodes.len() {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::OnPath;
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((node, next)) = path.last_mut() {
            let (node, j) = (*node, *next);
            *next += 1;
            let Some(option) = nodes.get(node).and_then(|n| n.options.get(j)) else {
                state[node] = State::Done;
                path.pop();
                continue;
            };
            let IvrTarget::Node(NodeId(t)) = option.target else {
                continue;
            };
            let t = t as usize;
            match state.get(t) {
                Some(State::New) => {
                    state[t] = State::OnPath;
                    path.push((t, 0));
                }
                Some(State::OnPath) => {
                    let from = path.iter().position(|&(k, _)| k == t)?;
                    let mut cycle: Vec<usize> = path[from..].iter().map(|&(k, _)| k).collect();
                    cycle.push(t);
                    return Some((cycle, node, j));
                }
                _ => {}
            }
        }
    }
    None
}
