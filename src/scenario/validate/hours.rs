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
use super::pools::{hours, weekdays};
use super::{Ctx, Result, known_names, num};
use crate::scenario::model::{OpenHours, Queue};
use crate::scenario::raw::{RawClosed, RawQueue, RawSpecialDay};
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
            let h = queues[qi].hours.get_or_insert_with(|| OpenHours {
                open: vec![true; 7 * per_day],
                closed_days: Vec::new(),
                message_s: 0.0,
                self_service: 0.0,
                callback: 0.0,
            });
            h.closed_days
                .extend(listed.iter().map(|(d, _, _)| *d as u32));
        }
    }
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
        }));
    }
    let window = match &q.hours {
        Some(h) if h.get_ref().trim() == "24/7" => {
            if let Some(w) = &q.weekdays {
                return Err(ctx.err(
                    w.span(),
                    f("weekdays"),
                    "a queue open \"24/7\" opens every day; leave `weekdays` out",
                ));
            }
            (0, per_day)
        }
        Some(h) => hours(ctx, h, &f("hours"), interval_s, per_day)?,
        None => (0, per_day),
    };
    let days = weekdays(
        ctx,
        &q.weekdays,
        &f("weekdays"),
        "a queue that never opens is not a queue; remove it",
    )?;
    let week = 7 * per_day;
    let mut open = vec![false; week];
    for d in days {
        for k in window.0..window.1 {
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
    }))
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
