//! Everything about arrivals beyond the base profile, assembled into [`ArrivalExtras`]:
//! forecasts and the replayed log (read in their own modules), surges (`[[surge]]`),
//! day-to-day uncertainty (`arrivals.day_cv`) and redials (`[redial]`).

use toml::Spanned;

use super::dist::{Need, dist, duration, positive_duration};
use super::{
    Ctx, Result, forecast, horizon_day, horizon_day_number, non_empty, num, replay, unique_names,
};
use crate::arrivals::Entry;
use crate::scenario::model::{
    ArrivalExtras, Model, NodeId, QueueForecast, QueueId, Redial, Surge, SurgeSize,
};
use crate::scenario::raw::{RawFile, RawRedial, RawSurge};
use crate::time::{self, DAY};

/// Largest day-to-day coefficient of variation: beyond 2 a day is mostly empty or a flood.
pub const MAX_DAY_CV: f64 = 2.0;
/// Largest surge peak multiplier.
pub const MAX_PEAK_MULTIPLIER: f64 = 1000.0;
/// Largest number of extra calls of one surge.
pub const MAX_EXTRA_CALLS: f64 = 1e9;
/// Most attempts per caller with redials.
pub const MAX_ATTEMPTS: i64 = 100;

/// The extras of a scenario whose base model (`extras` still empty) is `model`.
pub(super) fn extras(
    ctx: &Ctx,
    raw: &RawFile,
    model: &Model,
    night_window: Option<(f64, f64)>,
) -> Result<ArrivalExtras> {
    let a = raw.arrivals.get_ref();
    unique_names(ctx, raw.surge.iter().map(|s| &s.get_ref().name), "surge")?;
    // A multiplier surge multiplies its target's normal inflow, forecasts included.
    let mut notes = Vec::new();
    let (forecasts, coverage) = forecast::forecasts(ctx, &a.forecast, model, &mut notes)?;
    let surges = raw
        .surge
        .iter()
        .enumerate()
        .map(|(i, s)| surge(ctx, s.get_ref(), i, model, &forecasts))
        .collect::<Result<_>>()?;
    let day_cv = a.day_cv.as_ref().map(|c| day_cv(ctx, c)).transpose()?;
    let replay = replay::replay(ctx, a, model, &mut notes)?;
    Ok(ArrivalExtras {
        forecasts,
        surges,
        day_cv,
        replay,
        redial: raw.redial.as_ref().map(|r| redial(ctx, r)).transpose()?,
        transfers: Vec::new(),
        night_window,
        notes,
        warnings: coverage.warnings,
        forecast_days: coverage.days,
    })
}

fn day_cv(ctx: &Ctx, raw: &Spanned<f64>) -> Result<f64> {
    let v = *raw.get_ref();
    if v.is_finite() && v > 0.0 && v <= MAX_DAY_CV {
        Ok(v)
    } else {
        Err(ctx.err(
            raw.span(),
            "arrivals.day_cv",
            format!(
                "must be above 0 and at most {MAX_DAY_CV} (got {}); leave it out for no day-to-day uncertainty",
                num(v)
            ),
        ))
    }
}

fn surge(
    ctx: &Ctx,
    s: &RawSurge,
    i: usize,
    model: &Model,
    forecasts: &[QueueForecast],
) -> Result<Surge> {
    let f = |k: &str| format!("surge[{i}].{k}");
    let name = non_empty(ctx, &s.name, &f("name"))?;
    let day = surge_day(ctx, s, i, model)?;
    let at = time::parse_clock(s.at.get_ref())
        .map_err(|m| ctx.err(s.at.span(), f("at"), m))?
        .get();
    if at >= DAY {
        return Err(ctx.err(
            s.at.span(),
            f("at"),
            "a surge cannot start at 24:00; write 00:00 of the next day",
        ));
    }
    let start_s = day as f64 * DAY + at;
    if start_s >= model.horizon_s() {
        return Err(ctx.err(s.at.span(), f("at"), "starts after the end of the horizon"));
    }
    let duration_s = positive_duration(ctx, &s.duration, &f("duration"))?;
    let ramp_s = match &s.ramp {
        None => 0.0,
        Some(r) => {
            let v = duration(ctx, r, &f("ramp"))?;
            if v > duration_s {
                return Err(ctx.err(
                    r.span(),
                    f("ramp"),
                    format!(
                        "must not be longer than `duration` ({})",
                        time::format_duration(time::Seconds(duration_s))
                    ),
                ));
            }
            v
        }
    };
    let half_life_s = match &s.half_life {
        None => f64::INFINITY,
        Some(h) => positive_duration(ctx, h, &f("half_life"))?,
    };
    let surge = Surge {
        name,
        start_s,
        duration_s,
        ramp_s,
        half_life_s,
        size: surge_size(ctx, s, i)?,
        entry: surge_entry(ctx, s, i, model)?,
    };
    if let (SurgeSize::PeakMultiplier(_), Some(m)) = (surge.size, &s.peak_multiplier) {
        // A multiple of nothing is nothing: a surge that silently adds no call is refused.
        let (from, to) = (start_s, (start_s + duration_s).min(model.horizon_s()));
        let normal: f64 = model
            .normal_inflow(forecasts, surge.entry)
            .iter()
            .map(|p| p.max_rate(from, to))
            .sum();
        if normal <= 0.0 {
            return Err(ctx.err(
                m.span(),
                f("peak_multiplier"),
                format!(
                    "multiplies the normal calls of {}, and it has none from {} to {}; give \
                     `extra_calls` instead",
                    target_name(model, surge.entry),
                    model.calendar.label(from),
                    model.calendar.label(to)
                ),
            ));
        }
    }
    Ok(surge)
}

/// "the queue `cards`", "the IVR node `cards_menu`", "the center" for messages.
fn target_name(model: &Model, entry: Entry) -> String {
    match entry {
        Entry::Default => "the center".into(),
        Entry::Queue(q) => model
            .queues
            .get(q.0 as usize)
            .map_or("the queue".into(), |q| format!("the queue `{}`", q.name)),
        Entry::Node(n) => model
            .ivr
            .as_ref()
            .and_then(|i| i.nodes.get(n.0 as usize))
            .map_or("the IVR node".into(), |n| {
                format!("the IVR node `{}`", n.name)
            }),
    }
}

/// The surge's 0-based day of the horizon, from exactly one of `day` and `date`.
fn surge_day(ctx: &Ctx, s: &RawSurge, i: usize, model: &Model) -> Result<usize> {
    let f = |k: &str| format!("surge[{i}].{k}");
    match (&s.day, &s.date) {
        (Some(d), None) => horizon_day_number(ctx, d, &f("day"), model.days),
        (None, Some(date)) => horizon_day(ctx, date, &f("date"), &model.calendar, model.days),
        (Some(_), Some(date)) => Err(ctx.err(
            date.span(),
            f("date"),
            "give either `day` or `date`, not both",
        )),
        (None, None) => Err(ctx.err(
            s.name.span(),
            format!("surge[{i}]"),
            "needs `day = <day of the horizon, 1 = its first day>` or `date = 2026-12-01`",
        )),
    }
}

fn surge_size(ctx: &Ctx, s: &RawSurge, i: usize) -> Result<SurgeSize> {
    let f = |k: &str| format!("surge[{i}].{k}");
    match (&s.peak_multiplier, &s.extra_calls) {
        (Some(m), None) => {
            let v = *m.get_ref();
            if !(v.is_finite() && v > 1.0 && v <= MAX_PEAK_MULTIPLIER) {
                return Err(ctx.err(
                    m.span(),
                    f("peak_multiplier"),
                    format!("must be above 1 and at most {MAX_PEAK_MULTIPLIER}: the rate at the peak as a multiple of the normal rate (got {})", num(v)),
                ));
            }
            Ok(SurgeSize::PeakMultiplier(v))
        }
        (None, Some(n)) => {
            let v = *n.get_ref();
            if !(v.is_finite() && v > 0.0 && v <= MAX_EXTRA_CALLS) {
                return Err(ctx.err(
                    n.span(),
                    f("extra_calls"),
                    format!(
                        "must be above 0 and at most {MAX_EXTRA_CALLS:e} (got {})",
                        num(v)
                    ),
                ));
            }
            Ok(SurgeSize::ExtraCalls(v))
        }
        (Some(_), Some(n)) => Err(ctx.err(
            n.span(),
            f("extra_calls"),
            "give either `peak_multiplier` or `extra_calls`, not both",
        )),
        (None, None) => Err(ctx.err(
            s.name.span(),
            format!("surge[{i}]"),
            "needs `peak_multiplier = <number above 1>` or `extra_calls = <number>`",
        )),
    }
}

/// Where the surge's callers enter: a queue, an IVR node, or where every caller enters.
fn surge_entry(ctx: &Ctx, s: &RawSurge, i: usize, model: &Model) -> Result<Entry> {
    let f = |k: &str| format!("surge[{i}].{k}");
    match (&s.queue, &s.ivr_node) {
        (None, None) => Ok(Entry::Default),
        (Some(_), Some(n)) => Err(ctx.err(
            n.span(),
            f("ivr_node"),
            "give either `queue` or `ivr_node`, not both",
        )),
        (Some(q), None) => {
            let name = q.get_ref().trim();
            let names: Vec<&str> = model.queues.iter().map(|q| q.name.as_str()).collect();
            let k = names.iter().position(|n| *n == name).ok_or_else(|| {
                ctx.err(
                    q.span(),
                    f("queue"),
                    format!("unknown queue `{name}`; queues are {}", ticked(&names)),
                )
            })?;
            Ok(Entry::Queue(QueueId(k as u32)))
        }
        (None, Some(n)) => {
            let name = n.get_ref().trim();
            let Some(ivr) = &model.ivr else {
                return Err(ctx.err(
                    n.span(),
                    f("ivr_node"),
                    "the scenario has no [ivr]; aim the surge at a `queue` instead",
                ));
            };
            let names: Vec<&str> = ivr.nodes.iter().map(|n| n.name.as_str()).collect();
            let k = names.iter().position(|x| *x == name).ok_or_else(|| {
                ctx.err(
                    n.span(),
                    f("ivr_node"),
                    format!("unknown node `{name}`; nodes are {}", ticked(&names)),
                )
            })?;
            Ok(Entry::Node(NodeId(k as u32)))
        }
    }
}

fn ticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn redial(ctx: &Ctx, raw: &Spanned<RawRedial>) -> Result<Redial> {
    let r = raw.get_ref();
    let p = *r.probability.get_ref();
    if !(p.is_finite() && p > 0.0 && p <= 1.0) {
        return Err(ctx.err(
            r.probability.span(),
            "redial.probability",
            format!("must be above 0 and at most 1 (got {})", num(p)),
        ));
    }
    let n = *r.max_attempts.get_ref();
    if !(2..=MAX_ATTEMPTS).contains(&n) {
        return Err(ctx.err(
            r.max_attempts.span(),
            "redial.max_attempts",
            format!(
                "must be between 2 and {MAX_ATTEMPTS} attempts, the first call included (got {n})"
            ),
        ));
    }
    Ok(Redial {
        probability: p,
        delay: dist(ctx, &r.delay, "redial.delay", Need::Positive)?,
        max_attempts: n as u32,
        same_caller: r.same_caller.as_ref().is_some_and(|s| *s.get_ref()),
    })
}
