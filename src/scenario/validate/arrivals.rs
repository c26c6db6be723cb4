//! The weekly arrival profile of `[arrivals]`: a day's volume curve (hourly rate or
//! per-interval volumes) times the weekday factors.

use toml::Spanned;

use super::{Ctx, MAX_CALLS_PER_HOUR, MAX_WEEKDAY_FACTOR, Result, num};
use crate::scenario::model::ArrivalProfile;
use crate::scenario::raw::{RawArrivals, RawWeekdayFactor};
use crate::time::{self, DAY};

pub(super) fn arrivals(ctx: &Ctx, raw: &Spanned<RawArrivals>) -> Result<ArrivalProfile> {
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

/// A day's volume curve: (segment length, calls per second per segment).
pub(super) fn calls_per_interval(
    ctx: &Ctx,
    raw: &Spanned<Vec<Spanned<f64>>>,
) -> Result<(f64, Vec<f64>)> {
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
pub(super) fn per_day_segment(len: usize) -> Option<f64> {
    matches!(len, 24 | 48 | 96).then(|| DAY / len as f64)
}

pub(super) fn weekday_factors(ctx: &Ctx, raw: &Spanned<RawWeekdayFactor>) -> Result<[f64; 7]> {
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
