//! The weekly base profile of `[arrivals]`: one day's volume curve (an hourly rate or volumes
//! per interval) times the weekday factors, or daily volumes per weekday spread by the share of
//! each interval of the day. Exactly one way of stating volume; none at all only when a
//! forecast or a replayed log brings the calls. Special days and the night share are applied
//! afterwards, in `calendar`.

use std::ops::Range;

use toml::Spanned;

use super::{Ctx, MAX_CALLS_PER_HOUR, MAX_WEEKDAY_FACTOR, Result, normalise_shares, num};
use crate::scenario::model::ArrivalProfile;
use crate::scenario::raw::{RawArrivals, RawPerWeekday};
use crate::time::{self, DAY};

/// The three ways of stating volume, for messages.
const VOLUME_KEYS: &str = "`calls_per_hour = <number>`, `calls_per_interval = [<24, 48 or 96 numbers>]` or `calls_per_day = [<7 numbers>]` with `interval_share`";

/// The weekly base profile (7 days × segments per day, Monday 00:00 first).
///
/// `other_sources` is true when a forecast or a replayed log brings calls: then the volume keys
/// may be left out and the base profile is all zeros (hourly segments).
pub(super) fn weekly_profile(
    ctx: &Ctx,
    raw: &Spanned<RawArrivals>,
    other_sources: bool,
) -> Result<ArrivalProfile> {
    let a = raw.get_ref();
    let mut given: Vec<(&str, Range<usize>)> = [
        (
            "calls_per_hour",
            a.calls_per_hour.as_ref().map(Spanned::span),
        ),
        (
            "calls_per_interval",
            a.calls_per_interval.as_ref().map(Spanned::span),
        ),
        ("calls_per_day", a.calls_per_day.as_ref().map(Spanned::span)),
    ]
    .into_iter()
    .filter_map(|(k, s)| s.map(|s| (k, s)))
    .collect();
    given.sort_by_key(|(_, s)| s.start);
    if let Some((key, span)) = given.get(1) {
        return Err(ctx.err(
            span.clone(),
            format!("arrivals.{key}"),
            format!(
                "give exactly one of `calls_per_hour`, `calls_per_interval` or `calls_per_day`, not also `{}`",
                given[0].0
            ),
        ));
    }
    if let Some(s) = &a.interval_share
        && a.calls_per_day.is_none()
    {
        return Err(ctx.err(
            s.span(),
            "arrivals.interval_share",
            "`interval_share` spreads `calls_per_day` over the day; give `calls_per_day` too (or use `calls_per_interval`)",
        ));
    }
    if let (Some(f), Some(_)) = (&a.weekday_factor, &a.calls_per_day) {
        return Err(ctx.err(
            f.span(),
            "arrivals.weekday_factor",
            "`calls_per_day` already gives each weekday its volume; scale those numbers instead of adding `weekday_factor`",
        ));
    }
    let (segment_s, day) = match (&a.calls_per_hour, &a.calls_per_interval) {
        (Some(h), _) => (3600.0, vec![calls_per_hour(ctx, h)? / 3600.0; 24]),
        (_, Some(v)) => {
            let (segment_s, day) = calls_per_interval(ctx, v, "arrivals.calls_per_interval")?;
            if day.iter().sum::<f64>() <= 0.0 {
                return Err(ctx.err(
                    v.span(),
                    "arrivals.calls_per_interval",
                    "the day has no calls: every volume is 0",
                ));
            }
            (segment_s, day)
        }
        (None, None) => match &a.calls_per_day {
            Some(d) => return calls_per_day(ctx, raw, d),
            None if other_sources => {
                if let Some(f) = &a.weekday_factor {
                    return Err(ctx.err(
                        f.span(),
                        "arrivals.weekday_factor",
                        format!("scales the base volume, but none is given; add {VOLUME_KEYS}"),
                    ));
                }
                return Ok(ArrivalProfile {
                    segment_s: 3600.0,
                    rate_per_s: vec![0.0; 7 * 24],
                });
            }
            None => {
                return Err(ctx.err(
                    raw.span(),
                    "arrivals",
                    format!(
                        "needs {VOLUME_KEYS} (or a [[arrivals.forecast]] or `replay` bringing the calls)"
                    ),
                ));
            }
        },
    };
    let factors = match &a.weekday_factor {
        Some(f) => {
            let v = per_weekday(
                ctx,
                f,
                "arrivals.weekday_factor",
                Some(1.0),
                MAX_WEEKDAY_FACTOR,
            )?;
            if v.iter().sum::<f64>() <= 0.0 {
                return Err(ctx.err(
                    f.span(),
                    "arrivals.weekday_factor",
                    "the week has no calls: every factor is 0",
                ));
            }
            v
        }
        None => [1.0; 7],
    };
    Ok(ArrivalProfile {
        segment_s,
        rate_per_s: factors
            .iter()
            .flat_map(|f| day.iter().map(move |r| r * f))
            .collect(),
    })
}

/// `calls_per_day` with `interval_share`: day d's segment k gets calls_per_day[d] × share[k].
fn calls_per_day(
    ctx: &Ctx,
    raw: &Spanned<RawArrivals>,
    days: &Spanned<RawPerWeekday>,
) -> Result<ArrivalProfile> {
    let volumes = per_weekday(
        ctx,
        days,
        "arrivals.calls_per_day",
        None,
        MAX_CALLS_PER_HOUR * 24.0,
    )?;
    if volumes.iter().sum::<f64>() <= 0.0 {
        return Err(ctx.err(
            days.span(),
            "arrivals.calls_per_day",
            "the week has no calls: every daily volume is 0",
        ));
    }
    let share = raw.get_ref().interval_share.as_ref().ok_or_else(|| {
        ctx.err(
            days.span(),
            "arrivals.interval_share",
            "`calls_per_day` needs `interval_share = [<24, 48 or 96 shares of the day's volume, summing to 1>]`",
        )
    })?;
    let (segment_s, share) = interval_share(ctx, share)?;
    Ok(ArrivalProfile {
        segment_s,
        rate_per_s: volumes
            .iter()
            .flat_map(|v| share.iter().map(move |s| v * s / segment_s))
            .collect(),
    })
}

/// `interval_share`: (segment length, shares normalised to sum exactly to 1).
fn interval_share(ctx: &Ctx, raw: &Spanned<Vec<Spanned<f64>>>) -> Result<(f64, Vec<f64>)> {
    let field = "arrivals.interval_share";
    let values = raw.get_ref();
    let segment_s = per_day_segment(values.len()).ok_or_else(|| {
        ctx.err(
            raw.span(),
            field,
            format!(
                "needs 24, 48 or 96 shares (hourly, half-hourly or quarter-hourly), got {}",
                values.len()
            ),
        )
    })?;
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let x = *v.get_ref();
        if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
            return Err(ctx.err(
                v.span(),
                format!("{field}[{i}]"),
                format!("must be between 0 and 1 (got {})", num(x)),
            ));
        }
        out.push(x);
    }
    normalise_shares(ctx, raw.span(), field, "the shares", &mut out)?;
    Ok((segment_s, out))
}

pub(super) fn calls_per_hour(ctx: &Ctx, raw: &Spanned<f64>) -> Result<f64> {
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

/// A day's volume curve at `field`: (segment length, calls per second per segment).
pub(super) fn calls_per_interval(
    ctx: &Ctx,
    raw: &Spanned<Vec<Spanned<f64>>>,
    field: &str,
) -> Result<(f64, Vec<f64>)> {
    let values = raw.get_ref();
    let segment_s = per_day_segment(values.len()).ok_or_else(|| {
        ctx.err(
            raw.span(),
            field,
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
                    format!("{field}[{i}]"),
                    format!("must be between 0 and {max:e} calls (got {})", num(x)),
                ))
            }
        })
        .collect::<Result<Vec<f64>>>()
        .map(|day| (segment_s, day))
}

/// Segment length of a per-day list: 24 → hourly, 48 → half-hourly, 96 → quarter-hourly.
pub(super) fn per_day_segment(len: usize) -> Option<f64> {
    matches!(len, 24 | 48 | 96).then(|| DAY / len as f64)
}

/// Seven numbers in [0, max], Monday first, from a list or a table by day name. A day missing
/// from the table takes `missing`, or is an error when `missing` is `None`.
fn per_weekday(
    ctx: &Ctx,
    raw: &Spanned<RawPerWeekday>,
    field: &str,
    missing: Option<f64>,
    max: f64,
) -> Result<[f64; 7]> {
    let entries: Vec<(Option<&Spanned<f64>>, String)> = match raw.get_ref() {
        RawPerWeekday::List(v) => {
            if v.len() != 7 {
                return Err(ctx.err(
                    raw.span(),
                    field,
                    format!("needs 7 numbers, Monday first (got {})", v.len()),
                ));
            }
            v.iter()
                .enumerate()
                .map(|(i, f)| (Some(f), format!("{field}[{i}]")))
                .collect()
        }
        RawPerWeekday::Table(t) => t
            .days()
            .iter()
            .zip(time::WEEKDAYS)
            .map(|(f, d)| (f.as_ref(), format!("{field}.{d}")))
            .collect(),
    };
    let mut out = [0.0; 7];
    for ((entry, sub), slot) in entries.iter().zip(out.iter_mut()) {
        let Some(f) = entry else {
            *slot = missing.ok_or_else(|| {
                ctx.err(
                    raw.span(),
                    sub.as_str(),
                    "every day needs a value (mon, tue, wed, thu, fri, sat, sun); write 0 for a closed day",
                )
            })?;
            continue;
        };
        let v = *f.get_ref();
        if !(v.is_finite() && (0.0..=max).contains(&v)) {
            return Err(ctx.err(
                f.span(),
                sub.as_str(),
                format!("must be between 0 and {} (got {})", num(max), num(v)),
            ));
        }
        *slot = v;
    }
    Ok(out)
}
