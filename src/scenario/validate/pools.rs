//! Queues and pools: queue parameters, which queues each pool serves, and the headcount per
//! statistics interval of the week (constant with opening hours and weekdays, or a list).

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::arrivals::per_day_segment;
use super::dist::{Need, dist, duration};
use super::{Ctx, MAX_AGENTS, Result, clock, known_names, non_empty, unique_names};
use crate::dist::Dist;
use crate::scenario::ScenarioError;
use crate::scenario::model::{Pool, Queue, QueueId};
use crate::scenario::raw::{RawAgents, RawDist, RawHours, RawPairs, RawPool, RawQueue};
use crate::time::{self, DAY, WEEKDAYS};

pub(super) fn queues(ctx: &Ctx, raw: &[Spanned<RawQueue>]) -> Result<Vec<Queue>> {
    if raw.is_empty() {
        return Err(ctx.err(0..0, "queue", "a scenario needs at least one [[queue]]"));
    }
    unique_names(ctx, raw.iter().map(|q| &q.get_ref().name), "queue")?;
    raw.iter()
        .enumerate()
        .map(|(i, q)| queue(ctx, q.get_ref(), i))
        .collect()
}

pub(super) fn queue(ctx: &Ctx, q: &RawQueue, i: usize) -> Result<Queue> {
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
        classes: super::classes::classes(ctx, &q.class, i)?,
        // Filled in by `hours::opening_hours` once the calendar is known.
        hours: None,
        // Filled in by `callbacks::offers` once the opening hours are known.
        callback: None,
        // Filled in by `callbacks::offers` too.
        closed_release: Default::default(),
    })
}

pub(super) fn pool(
    ctx: &Ctx,
    raw: &Spanned<RawPool>,
    i: usize,
    interval_s: f64,
    queues: &HashMap<String, usize>,
) -> Result<Pool> {
    let p = raw.get_ref();
    let serves = serves(ctx, &p.serves, i, queues)?;
    let takes = super::takes::takes(ctx, p, i, queues, &serves)?;
    let (secondary, overflow_after_s) = if takes.is_empty() {
        secondary(ctx, p, i, queues, &serves)?
    } else {
        // The table's helper rows are what `secondary` lists in the shorthand.
        let helpers = takes.iter().map(|t| t.queue);
        (helpers.filter(|q| !serves.contains(q)).collect(), 0.0)
    };
    let handle_time_factor = factors(ctx, p, i, queues, &serves, &secondary)?;
    Ok(Pool {
        name: non_empty(ctx, &p.name, &format!("pool[{i}].name"))?,
        serves,
        secondary,
        overflow_after_s,
        takes,
        headcount: headcount(ctx, p, i, interval_s)?,
        handle_time_factor,
    })
}

/// `handle_time_factor = { cards = 0.75 }`: per queue the pool takes (`serves` or
/// `secondary`), a finite factor > 0 (at most 100). Indexed by queue; empty without the table.
fn factors(
    ctx: &Ctx,
    p: &RawPool,
    i: usize,
    queues: &HashMap<String, usize>,
    serves: &[QueueId],
    secondary: &[QueueId],
) -> Result<Vec<f64>> {
    let Some(raw) = &p.handle_time_factor else {
        return Ok(Vec::new());
    };
    let mut out = vec![1.0; queues.len()];
    for (key, value) in &raw.get_ref().0 {
        let n = key.get_ref().trim();
        let field = format!("pool[{i}].handle_time_factor.{n}");
        let Some(&q) = queues.get(n) else {
            return Err(ctx.err(
                key.span(),
                field,
                format!("unknown queue `{n}`; queues are {}", known_names(queues)),
            ));
        };
        let id = QueueId(q as u32);
        if !serves.contains(&id) && !secondary.contains(&id) {
            return Err(ctx.err(
                key.span(),
                field,
                format!(
                    "this pool does not take queue `{n}`; a factor is for a queue in its `serves` or `secondary`"
                ),
            ));
        }
        let v = *value.get_ref();
        if !(v.is_finite() && v > 0.0 && v <= 100.0) {
            return Err(ctx.err(
                value.span(),
                field,
                format!(
                    "must be a number above 0 and at most 100 (got {}): the pool's handle time as a multiple of the queue's, 0.75 = a quarter faster",
                    super::num(v)
                ),
            ));
        }
        out[q] = v;
    }
    Ok(out)
}

/// `secondary` (queues also served, after `overflow_after` under the `overflow` policy) and
/// `overflow_after` (default 0 s). A secondary queue must exist, not be listed twice and not
/// also be primary for the same pool; `overflow_after` without `secondary` is an error (it
/// would do nothing).
fn secondary(
    ctx: &Ctx,
    p: &RawPool,
    i: usize,
    queues: &HashMap<String, usize>,
    primary: &[QueueId],
) -> Result<(Vec<QueueId>, f64)> {
    let Some(raw) = &p.secondary else {
        if let Some(d) = &p.overflow_after {
            return Err(ctx.err(
                d.span(),
                format!("pool[{i}].overflow_after"),
                "has no effect without `secondary`; list the queues this pool takes after the delay, or drop it",
            ));
        }
        return Ok((Vec::new(), 0.0));
    };
    let list = list_queues(ctx, raw, &format!("pool[{i}].secondary"), queues)?;
    for (j, q) in list.iter().enumerate() {
        if primary.contains(q) {
            let name = &raw.get_ref()[j];
            return Err(ctx.err(
                name.span(),
                format!("pool[{i}].secondary[{j}]"),
                format!(
                    "queue `{}` is already in this pool's `serves`; a queue is primary or secondary for a pool, not both",
                    name.get_ref().trim()
                ),
            ));
        }
    }
    let after = match &p.overflow_after {
        Some(d) => duration(ctx, d, &format!("pool[{i}].overflow_after"))?,
        None => 0.0,
    };
    Ok((list, after))
}

pub(super) fn serves(
    ctx: &Ctx,
    raw: &Spanned<Vec<Spanned<String>>>,
    i: usize,
    queues: &HashMap<String, usize>,
) -> Result<Vec<QueueId>> {
    list_queues(ctx, raw, &format!("pool[{i}].serves"), queues)
}

/// A non-empty list of distinct, known queue names (`serves`, `secondary`).
fn list_queues(
    ctx: &Ctx,
    raw: &Spanned<Vec<Spanned<String>>>,
    what: &str,
    queues: &HashMap<String, usize>,
) -> Result<Vec<QueueId>> {
    if raw.get_ref().is_empty() {
        return Err(ctx.err(raw.span(), what, "must name at least one queue"));
    }
    let mut out: Vec<QueueId> = Vec::new();
    for (j, name) in raw.get_ref().iter().enumerate() {
        let field = format!("{what}[{j}]");
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

/// Every queue has a pool serving it as primary. A queue only some pool's `secondary` lists
/// is refused at that entry: overflow is from a queue's own pool to helpers, and staffing
/// (Erlang per queue, plans per pool) needs the queue's own pool.
pub(super) fn every_queue_served(
    ctx: &Ctx,
    raw: &[Spanned<RawQueue>],
    raw_pools: &[Spanned<RawPool>],
    pools: &[Pool],
) -> Result<()> {
    for (i, q) in raw.iter().enumerate() {
        let id = QueueId(i as u32);
        if !pools.iter().any(|p| p.serves.contains(&id)) {
            if let Some((k, j)) = pools
                .iter()
                .enumerate()
                .find_map(|(k, p)| p.secondary.iter().position(|s| *s == id).map(|j| (k, j)))
            {
                // The entry as written: in `secondary`, or a row of `takes`.
                let raw = raw_pools[k].get_ref();
                let (entry, field) = match (&raw.secondary, &raw.takes) {
                    (Some(s), _) => (s.get_ref()[j].span(), format!("pool[{k}].secondary[{j}]")),
                    (None, Some(t)) => {
                        let r = t.get_ref().iter().position(|r| {
                            r.get_ref().queue.get_ref().trim() == q.get_ref().name.get_ref().trim()
                        });
                        let r = r.unwrap_or(0);
                        (
                            t.get_ref()[r].get_ref().queue.span(),
                            format!("pool[{k}].takes[{r}].queue"),
                        )
                    }
                    (None, None) => (0..0, format!("pool[{k}].secondary[{j}]")),
                };
                return Err(ctx.err(
                    entry,
                    field,
                    format!(
                        "queue `{}` is only a secondary queue (overflow to a queue nobody serves): add it to some pool's `serves`, the pool its calls overflow from",
                        q.get_ref().name.get_ref().trim()
                    ),
                ));
            }
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
/// optional `hours`, or a per-interval list) placed on each working weekday, or with an `hours`
/// table each day's own window. A night shift's pattern runs past midnight into the next day
/// (and from Sunday into Monday, as the week repeats).
pub(super) fn headcount(ctx: &Ctx, p: &RawPool, i: usize, interval_s: f64) -> Result<Vec<u32>> {
    let per_day = (DAY / interval_s).round() as usize;
    let field = format!("pool[{i}].hours");
    let table = p.hours.as_ref().and_then(|h| match h.get_ref() {
        RawHours::Days(t) => Some((h.span(), t)),
        RawHours::Text(_) => None,
    });
    let days: Vec<(usize, Vec<(usize, u32)>)> = match table {
        Some((span, table)) => {
            let RawAgents::Constant(n) = p.agents.get_ref() else {
                return Err(only_with_constant_agents(ctx, span, &field));
            };
            let n = agents_count(ctx, *n, p.agents.span(), &format!("pool[{i}].agents"))?;
            no_weekdays_beside_a_table(ctx, &p.weekdays, &format!("pool[{i}].weekdays"))?;
            per_day_hours(ctx, table, span, &field, interval_s, per_day)?
                .into_iter()
                .map(|(d, (from, to))| (d, (from..to).map(|k| (k, n)).collect()))
                .collect()
        }
        None => {
            let pattern = day_pattern(ctx, p, i, interval_s, per_day)?;
            weekdays(
                ctx,
                &p.weekdays,
                &format!("pool[{i}].weekdays"),
                "to close a pool set `agents = 0`",
            )?
            .into_iter()
            .map(|d| (d, pattern.clone()))
            .collect()
        }
    };
    let week = 7 * per_day;
    let mut out = vec![0u32; week];
    for (d, pattern) in days {
        for (offset, n) in pattern {
            if let Some(slot) = out.get_mut((d * per_day + offset) % week) {
                *slot = n;
            }
        }
    }
    Ok(out)
}

/// (interval offset from the working day's midnight, agents); offsets may pass `per_day`.
/// For a one-range `hours` (an `hours` table is placed day by day in [`headcount`]).
pub(super) fn day_pattern(
    ctx: &Ctx,
    p: &RawPool,
    i: usize,
    interval_s: f64,
    per_day: usize,
) -> Result<Vec<(usize, u32)>> {
    let field = format!("pool[{i}].hours");
    match p.agents.get_ref() {
        RawAgents::Constant(n) => {
            let n = agents_count(ctx, *n, p.agents.span(), &format!("pool[{i}].agents"))?;
            let (from, to) = match &p.hours {
                Some(h) => match h.get_ref() {
                    RawHours::Text(t) => range(ctx, t, h.span(), &field, interval_s, per_day)?,
                    RawHours::Days(_) => unreachable!("an hours table is placed in `headcount`"),
                },
                None => (0, per_day),
            };
            Ok((from..to).map(|k| (k, n)).collect())
        }
        RawAgents::List(list) => {
            if let Some(h) = &p.hours {
                return Err(only_with_constant_agents(ctx, h.span(), &field));
            }
            agents_list(ctx, &p.agents, list, i, interval_s, per_day)
        }
    }
}

fn only_with_constant_agents(ctx: &Ctx, span: Range<usize>, field: &str) -> ScenarioError {
    ctx.err(
        span,
        field,
        "`hours` works only with a constant `agents`; with a list, put 0 outside the working hours",
    )
}

/// An `hours` table names its days: `weekdays` beside it would say it twice.
pub(super) fn no_weekdays_beside_a_table(
    ctx: &Ctx,
    weekdays: &Option<Spanned<Vec<Spanned<String>>>>,
    field: &str,
) -> Result<()> {
    match weekdays {
        Some(w) => Err(ctx.err(
            w.span(),
            field,
            "the `hours` table names the days; leave `weekdays` out (a day not in the table is closed)",
        )),
        None => Ok(()),
    }
}

/// An `hours` table, `{ "mon-fri" = "08:00-20:00", sat = "09:00-14:00" }` →
/// (weekday, Monday = 0; first interval, one past the last) per day it names, in the order
/// written. A key is a day (`mon`, `monday`) or a run of days (`"mon-fri"`; `"sat-mon"` runs
/// over Sunday); a value is a range in the `hours` notation ([`range`]). A day named twice (by
/// two keys) is an error at the second key, naming the first; so is an empty table.
pub(super) fn per_day_hours(
    ctx: &Ctx,
    table: &RawPairs,
    span: Range<usize>,
    field: &str,
    interval_s: f64,
    per_day: usize,
) -> Result<Vec<(usize, (usize, usize))>> {
    if table.0.is_empty() {
        return Err(ctx.err(
            span,
            field,
            "names no day; write e.g. { \"mon-fri\" = \"08:00-20:00\", sat = \"09:00-14:00\" }",
        ));
    }
    let mut given: [Option<&str>; 7] = [None; 7];
    let mut out = Vec::new();
    for (key, value) in &table.0 {
        let name = key.get_ref().trim();
        let field = format!("{field}.{name}");
        let Some(days) = day_run(name) else {
            return Err(ctx.err(
                key.span(),
                field,
                format!(
                    "unknown day `{name}`; write a day (mon, tue, wed, thu, fri, sat, sun) or a run of days like \"mon-fri\""
                ),
            ));
        };
        let window = range(
            ctx,
            value.get_ref(),
            value.span(),
            &field,
            interval_s,
            per_day,
        )?;
        for d in days {
            if let Some(first) = given[d] {
                return Err(ctx.err(
                    key.span(),
                    field,
                    format!(
                        "{} is already given by `{first}`; name each day once",
                        WEEKDAYS[d]
                    ),
                ));
            }
            given[d] = Some(name);
            out.push((d, window));
        }
    }
    Ok(out)
}

/// `mon` → [0]; `"mon-fri"` → [0, …, 4]; `"sat-mon"` → [5, 6, 0] (runs wrap past Sunday).
fn day_run(text: &str) -> Option<Vec<usize>> {
    match text.split_once('-') {
        None => time::parse_weekday(text).map(|d| vec![d]),
        Some((a, b)) => {
            let (a, b) = (
                time::parse_weekday(a.trim())?,
                time::parse_weekday(b.trim())?,
            );
            let len = (b + 7 - a) % 7 + 1;
            Some((0..len).map(|k| (a + k) % 7).collect())
        }
    }
}

pub(super) fn agents_count(ctx: &Ctx, n: i64, span: Range<usize>, field: &str) -> Result<u32> {
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
pub(super) fn agents_list(
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

/// `"08:00-19:00"` (an `hours` range, at `span`) → (first interval, one past the last
/// interval) of the working day; an end at or before the start crosses midnight, so the end
/// moves to the next day.
pub(super) fn range(
    ctx: &Ctx,
    text: &str,
    span: Range<usize>,
    field: &str,
    interval_s: f64,
    per_day: usize,
) -> Result<(usize, usize)> {
    let err = |m: String| ctx.err(span.clone(), field, m);
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
                "{} is not on a statistics-interval boundary ({}); hours start and end on interval boundaries",
                clock(t),
                time::format_duration(time::Seconds(interval_s)),
            )));
        }
    }
    if from >= DAY {
        return Err(err("hours cannot start at 24:00; write 00:00".into()));
    }
    if from == to {
        return Err(err(format!(
            "`{text}` is an empty time range; for all day leave `hours` out"
        )));
    }
    let first = (from / interval_s).round() as usize;
    let mut end = (to / interval_s).round() as usize;
    if to <= from {
        end += per_day;
    }
    Ok((first, end))
}

/// The days a pool works or a queue opens (Monday = 0), default all. `field` is the list's
/// path (`pool[0].weekdays`); `empty_hint` says what to write instead of an empty list.
pub(super) fn weekdays(
    ctx: &Ctx,
    raw: &Option<Spanned<Vec<Spanned<String>>>>,
    field: &str,
    empty_hint: &str,
) -> Result<Vec<usize>> {
    let Some(raw) = raw else {
        return Ok((0..7).collect());
    };
    if raw.get_ref().is_empty() {
        return Err(ctx.err(
            raw.span(),
            field,
            format!("must name at least one day; {empty_hint}"),
        ));
    }
    let mut out = Vec::new();
    for (j, d) in raw.get_ref().iter().enumerate() {
        let field = format!("{field}[{j}]");
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
