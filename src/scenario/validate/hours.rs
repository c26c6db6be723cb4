//! Opening hours of queues: `hours` and `weekdays` on a `[[queue]]`, its `[queue.closed]`
//! message, and `closed_queues` on `[[arrivals.special_day]]`. Produces each queue's
//! [`OpenHours`] (or `None`: open 24/7, the engine then checks nothing).
//!
//! The hours use the pools' notation (`"08:00-19:00"`, an end at or before the start crosses
//! midnight, times on statistics-interval boundaries), so a queue's open table has the same
//! shape as a pool's headcount table: one entry per interval of the week.

use std::collections::HashMap;

use toml::Spanned;

use super::calendar::{listed_days, start_week_on};
use super::dist::duration;
use super::pools::{no_weekdays_beside_a_table, per_day_hours, range, weekdays};
use super::{Ctx, Result, known_names, num};
use crate::scenario::model::{OpenHours, Queue};
use crate::scenario::raw::{RawClosed, RawHours, RawQueue, RawSpecialDay};
use crate::time::{Calendar, DAY};

/// Fills `queues[i].hours` from the raw queues and special days.
#[allow(clippy::too_many_arguments)]
pub(super) fn opening_hours(
    ctx: &Ctx,
    raw: &[Spanned<RawQueue>],
    special: &[Spanned<RawSpecialDay>],
    queues: &mut [Queue],
    queue_index: &HashMap<String, usize>,
    interval_s: f64,
    days: u32,
    cal: &Calendar,
) -> Result<()> {
    let per_day = (DAY / interval_s).round() as usize;
    for (i, q) in raw.iter().enumerate() {
        let q = q.get_ref();
        queues[i].hours = queue_hours(ctx, q, i, interval_s, per_day, cal)?;
    }
    for (i, sd) in special.iter().enumerate() {
        let s = sd.get_ref();
        let Some(list) = &s.closed_queues else {
            continue;
        };
        let field = format!("arrivals.special_day[{i}]");
        let listed = listed_days(ctx, s, sd.span(), &field, days, cal)?;
        for (j, name) in list.get_ref().iter().enumerate() {
            let n = name.get_ref().trim();
            let Some(&qi) = queue_index.get(n) else {
                return Err(ctx.err(
                    name.span(),
                    format!("{field}.closed_queues[{j}]"),
                    format!(
                        "unknown queue `{n}`; queues are {}",
                        known_names(queue_index)
                    ),
                ));
            };
            let h = queues[qi].hours.get_or_insert_with(|| always_open(per_day));
            h.closed_days
                .extend(listed.iter().map(|(d, _, _)| *d as u32));
        }
    }
    dated_hours(ctx, special, queues, queue_index, interval_s, days, cal)?;
    for (i, q) in queues.iter_mut().enumerate() {
        if let Some(h) = &mut q.hours {
            h.closed_days.sort_unstable();
            h.closed_days.dedup();
            if h.closed_days.len() as u32 >= days && !h.open.is_empty() {
                let name = &raw[i].get_ref().name;
                return Err(ctx.err(
                    name.span(),
                    format!("queue[{i}].name"),
                    format!(
                        "queue `{}` is closed on every day of the horizon (special days' `closed_queues`)",
                        q.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Open every interval of the week, without a closed message: what a queue without `hours`
/// gets once a special day closes it or sets its hours.
fn always_open(per_day: usize) -> OpenHours {
    OpenHours {
        open: vec![true; 7 * per_day],
        closed_days: Vec::new(),
        message_s: 0.0,
        self_service: 0.0,
        callback: 0.0,
        disconnect_waiting: false,
    }
}

/// Special days' `hours = { loans = "10:00-14:00" }`: on each listed day the queue opens in
/// that range only, whatever its weekly hours (a range ends by 24:00: it replaces the date's
/// hours, 00:00 to 24:00, including a previous evening's window running past midnight). A
/// queue with such days gets an open table covering whole weeks of the horizon instead of one
/// week (the engine reads both alike: `OpenHours::is_open`).
fn dated_hours(
    ctx: &Ctx,
    special: &[Spanned<RawSpecialDay>],
    queues: &mut [Queue],
    queue_index: &HashMap<String, usize>,
    interval_s: f64,
    days: u32,
    cal: &Calendar,
) -> Result<()> {
    let per_day = (DAY / interval_s).round() as usize;
    let mut dated: Vec<Vec<(usize, (usize, usize))>> = vec![Vec::new(); queues.len()];
    for (i, sd) in special.iter().enumerate() {
        let s = sd.get_ref();
        let Some(table) = &s.hours else {
            continue;
        };
        let day_field = format!("arrivals.special_day[{i}]");
        let listed = listed_days(ctx, s, sd.span(), &day_field, days, cal)?;
        if table.get_ref().0.is_empty() {
            return Err(ctx.err(
                table.span(),
                format!("{day_field}.hours"),
                "names no queue; write e.g. { loans = \"10:00-14:00\" }",
            ));
        }
        for (key, value) in &table.get_ref().0 {
            let n = key.get_ref().trim();
            let field = format!("{day_field}.hours.{n}");
            let Some(&qi) = queue_index.get(n) else {
                return Err(ctx.err(
                    key.span(),
                    field,
                    format!(
                        "unknown queue `{n}`; queues are {}",
                        known_names(queue_index)
                    ),
                ));
            };
            let closed_too = s
                .closed_queues
                .as_ref()
                .is_some_and(|c| c.get_ref().iter().any(|c| c.get_ref().trim() == n));
            if closed_too {
                return Err(ctx.err(
                    key.span(),
                    field,
                    format!(
                        "queue `{n}` is also in this day's `closed_queues`; that day it is closed or has hours, not both"
                    ),
                ));
            }
            let window = range(
                ctx,
                value.get_ref(),
                value.span(),
                &field,
                interval_s,
                per_day,
            )?;
            if window.1 > per_day {
                return Err(ctx.err(
                    value.span(),
                    field,
                    format!(
                        "`{}` runs past midnight; a special day's hours end by 24:00 (they replace the queue's hours on that date)",
                        value.get_ref()
                    ),
                ));
            }
            dated[qi].extend(listed.iter().map(|(d, _, _)| (*d, window)));
        }
    }
    let weeks = (days as usize).div_ceil(7);
    for (q, list) in queues.iter_mut().zip(dated) {
        if list.is_empty() {
            continue;
        }
        let h = q.hours.get_or_insert_with(|| always_open(per_day));
        h.open = h.open.repeat(weeks);
        for (d, (from, to)) in list {
            let day = &mut h.open[d * per_day..(d + 1) * per_day];
            day.fill(false);
            day[from..to].fill(true);
        }
    }
    Ok(())
}

/// One queue's hours and closed message; `None` when it states neither `hours` nor `weekdays`
/// (a `[queue.closed]` alone is checked and kept for special days' closures).
fn queue_hours(
    ctx: &Ctx,
    q: &RawQueue,
    i: usize,
    interval_s: f64,
    per_day: usize,
    cal: &Calendar,
) -> Result<Option<OpenHours>> {
    let f = |k: &str| format!("queue[{i}].{k}");
    let (message_s, self_service, callback) = match &q.closed {
        Some(c) => closed(ctx, c, &f("closed"))?,
        None => (0.0, 0.0, 0.0),
    };
    let disconnect_waiting = match &q.closed {
        Some(c) => waiting(ctx, c, &f("closed.waiting"))?,
        None => false,
    };
    if q.hours.is_none() && q.weekdays.is_none() {
        if q.closed.is_none() {
            return Ok(None);
        }
        return Ok(Some(OpenHours {
            open: vec![true; 7 * per_day],
            closed_days: Vec::new(),
            message_s,
            self_service,
            callback,
            disconnect_waiting,
        }));
    }
    let windows: Vec<(usize, (usize, usize))> = match &q.hours {
        Some(h) => match h.get_ref() {
            RawHours::Text(t) if t.trim() == "24/7" => {
                if let Some(w) = &q.weekdays {
                    return Err(ctx.err(
                        w.span(),
                        f("weekdays"),
                        "a queue open \"24/7\" opens every day; leave `weekdays` out",
                    ));
                }
                (0..7).map(|d| (d, (0, per_day))).collect()
            }
            RawHours::Text(t) => {
                let window = range(ctx, t, h.span(), &f("hours"), interval_s, per_day)?;
                open_days(ctx, q, i)?
                    .into_iter()
                    .map(|d| (d, window))
                    .collect()
            }
            RawHours::Days(table) => {
                no_weekdays_beside_a_table(ctx, &q.weekdays, &f("weekdays"))?;
                per_day_hours(ctx, table, h.span(), &f("hours"), interval_s, per_day)?
            }
        },
        None => open_days(ctx, q, i)?
            .into_iter()
            .map(|d| (d, (0, per_day)))
            .collect(),
    };
    let week = 7 * per_day;
    let mut open = vec![false; week];
    for (d, (from, to)) in windows {
        for k in from..to {
            open[(d * per_day + k) % week] = true;
        }
    }
    // Written Monday first; the model's week starts on the horizon's first day.
    start_week_on(&mut open, cal.first_weekday());
    Ok(Some(OpenHours {
        open,
        closed_days: Vec::new(),
        message_s,
        self_service,
        callback,
        disconnect_waiting,
    }))
}

/// `[queue.closed] waiting`: `"finish"` (default, false) or `"disconnect"` (true).
fn waiting(ctx: &Ctx, raw: &Spanned<RawClosed>, field: &str) -> Result<bool> {
    match &raw.get_ref().waiting {
        None => Ok(false),
        Some(w) => match w.get_ref().trim() {
            "finish" => Ok(false),
            "disconnect" => Ok(true),
            other => Err(ctx.err(
                w.span(),
                field,
                format!("unknown `{other}`; write \"finish\" (callers waiting at the closing stay in line) or \"disconnect\" (they are cut off)"),
            )),
        },
    }
}

/// The days a queue with a one-range `hours` (or none) opens: its `weekdays`, default all.
fn open_days(ctx: &Ctx, q: &RawQueue, i: usize) -> Result<Vec<usize>> {
    weekdays(
        ctx,
        &q.weekdays,
        &format!("queue[{i}].weekdays"),
        "a queue that never opens is not a queue; remove it",
    )
}

/// `[queue.closed]`: (message seconds, self-service share, callback share). The shares
/// `self_service`, `callback` and `hang_up` are each in [0, 1] and sum to 1: `callback` defaults
/// to 0, and of `self_service` and `hang_up` one alone implies the other (the rest hang up).
fn closed(ctx: &Ctx, raw: &Spanned<RawClosed>, field: &str) -> Result<(f64, f64, f64)> {
    let c = raw.get_ref();
    let message_s = match &c.message {
        Some(m) => duration(ctx, m, &format!("{field}.message"))?,
        None => 0.0,
    };
    let share = |s: &Option<Spanned<f64>>, k: &str| -> Result<Option<f64>> {
        let Some(s) = s else { return Ok(None) };
        let v = *s.get_ref();
        if v.is_finite() && (0.0..=1.0).contains(&v) {
            Ok(Some(v))
        } else {
            Err(ctx.err(
                s.span(),
                format!("{field}.{k}"),
                format!("a share must be between 0 and 1 (got {})", num(v)),
            ))
        }
    };
    let self_service = share(&c.self_service, "self_service")?;
    let hang_up = share(&c.hang_up, "hang_up")?;
    let callback = share(&c.callback, "callback")?.unwrap_or(0.0);
    let callback_span = c.callback.as_ref().map_or(raw.span(), |c| c.span());
    let self_service = match (self_service, hang_up) {
        (Some(s), Some(h)) => {
            if (s + h + callback - 1.0).abs() > 1e-9 {
                let span = c.hang_up.as_ref().map_or(raw.span(), |h| h.span());
                let named = if c.callback.is_some() {
                    "`self_service`, `hang_up` and `callback`"
                } else {
                    "`self_service` and `hang_up`"
                };
                return Err(ctx.err(
                    span,
                    format!("{field}.hang_up"),
                    format!(
                        "{named} sum to {}; they must sum to 1",
                        num(rounded(s + h + callback))
                    ),
                ));
            }
            s
        }
        (Some(s), None) => s,
        (None, Some(h)) => (1.0 - h - callback).max(0.0),
        (None, None) => 0.0,
    };
    let rest = 1.0 - self_service - callback - hang_up.unwrap_or(0.0);
    if rest < -1e-9 {
        return Err(ctx.err(
            callback_span,
            format!("{field}.callback"),
            format!(
                "the shares of closed callers sum to {}; `self_service`, `callback` and `hang_up` must sum to at most 1 (the rest hang up)",
                num(rounded(1.0 - rest))
            ),
        ));
    }
    Ok((message_s, self_service, callback))
}

/// A sum of shares as written (0.3 + 0.3 + 0.3 is 0.9, not 0.8999999999999999).
fn rounded(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}
