//! The calendar on top of the weekly base profile: the quiet-night share (`[arrivals.night]`)
//! and special days (`[[arrivals.special_day]]`).
//!
//! The night share is imposed on each weekday of the base week; special days then override
//! single days of the horizon. Since the base profile repeats weekly, special days need the
//! profile expanded: it then covers whole weeks up to the horizon (at most 3,660 days × 96
//! segments, about 350,000 numbers), so it still reads as a sequence of weeks Monday first.

use toml::Spanned;

use super::arrivals::calls_per_interval;
use super::{Ctx, MAX_WEEKDAY_FACTOR, Result, clock, num};
use crate::scenario::model::ArrivalProfile;
use crate::scenario::raw::{RawArrivals, RawNight, RawSpecialDay};
use crate::time::{self, DAY, WEEKDAYS};

/// How a special day's volume is stated.
#[derive(Clone)]
enum Override {
    /// The base day's volume times this factor.
    Factor(f64),
    /// The day's own curve: (segment length, calls per second per segment).
    Curve(f64, Vec<f64>),
}

/// Applies the night share and the special days to the weekly base profile. Returns the
/// profile the engine runs and the night window, if any.
pub(super) fn apply(
    ctx: &Ctx,
    raw: &RawArrivals,
    weekly: ArrivalProfile,
    days: u32,
) -> Result<(ArrivalProfile, Option<(f64, f64)>)> {
    let mut profile = weekly;
    let window = match &raw.night {
        Some(n) => Some(night(ctx, n, &mut profile)?),
        None => None,
    };
    let overrides = special_days(ctx, &raw.special_day, days)?;
    if !overrides.is_empty() {
        profile = expand(&profile, &overrides, days);
    }
    Ok((profile, window))
}

// ---------------------------------------------------------------- night

/// Rescales each day of the weekly profile so that the segments inside the window carry
/// exactly `share` of the day's volume, the day's total unchanged. The window is read per
/// calendar day: for "22:00-07:00", a day's 00:00–07:00 and 22:00–24:00.
///
/// A day without calls stays without calls; a day with calls but none inside (or none
/// outside) the window cannot be rescaled and is an error.
fn night(ctx: &Ctx, raw: &Spanned<RawNight>, profile: &mut ArrivalProfile) -> Result<(f64, f64)> {
    let n = raw.get_ref();
    let (start, end) = night_window(ctx, &n.window, profile.segment_s)?;
    let share = *n.share.get_ref();
    if !(share.is_finite() && share > 0.0 && share < 1.0) {
        return Err(ctx.err(
            n.share.span(),
            "arrivals.night.share",
            format!(
                "must be above 0 and below 1: the share of each day's volume inside the window (got {})",
                num(share)
            ),
        ));
    }
    let seg = profile.segment_s;
    let per_day = (DAY / seg).round() as usize;
    let inside = |k: usize| {
        let tod = k as f64 * seg;
        if start < end {
            (start..end).contains(&tod)
        } else {
            tod >= start || tod < end
        }
    };
    for (d, day) in profile.rate_per_s.chunks_mut(per_day).enumerate() {
        let (mut night, mut rest) = (0.0, 0.0);
        for (k, r) in day.iter().enumerate() {
            if inside(k) { night += r } else { rest += r }
        }
        if night + rest <= 0.0 {
            continue;
        }
        if night <= 0.0 || rest <= 0.0 {
            let name = WEEKDAYS.get(d % 7).copied().unwrap_or("a day");
            let part = if night <= 0.0 { "inside" } else { "outside" };
            return Err(ctx.err(
                n.window.span(),
                "arrivals.night.window",
                format!(
                    "on {name} the base profile has no calls {part} {}, so its share of the day cannot be set; give those hours some volume",
                    n.window.get_ref().trim()
                ),
            ));
        }
        let total = night + rest;
        let (up_night, up_rest) = (share * total / night, (1.0 - share) * total / rest);
        for (k, r) in day.iter_mut().enumerate() {
            *r *= if inside(k) { up_night } else { up_rest };
        }
    }
    Ok((start, end))
}

/// `"22:00-07:00"` → (start, end) in seconds since midnight, both on the profile's segment
/// boundaries; end < start crosses midnight.
fn night_window(ctx: &Ctx, raw: &Spanned<String>, segment_s: f64) -> Result<(f64, f64)> {
    let field = "arrivals.night.window";
    let err = |m: String| ctx.err(raw.span(), field, m);
    let text = raw.get_ref().trim();
    let (a, b) = text.split_once('-').ok_or_else(|| {
        err(format!(
            "`{text}` is not a time window; write e.g. \"22:00-07:00\""
        ))
    })?;
    let start = time::parse_clock(a).map_err(&err)?.get();
    let mut end = time::parse_clock(b).map_err(&err)?.get();
    if start >= DAY {
        return Err(err("a window cannot start at 24:00; write 00:00".into()));
    }
    if end >= DAY {
        end = 0.0;
    }
    if start == end {
        return Err(err(format!(
            "`{text}` is empty or the whole day; the window must leave some hours outside"
        )));
    }
    for t in [start, end] {
        if (t as u64) % (segment_s as u64) != 0 {
            return Err(err(format!(
                "{} is not on a boundary of the arrival profile's segments ({}); the window must start and end on them",
                clock(t),
                time::format_duration(time::Seconds(segment_s)),
            )));
        }
    }
    Ok((start, end))
}

// ---------------------------------------------------------------- special days

/// Every special day, checked: (0-based day of the horizon, its volume).
fn special_days(
    ctx: &Ctx,
    raw: &[Spanned<RawSpecialDay>],
    horizon_days: u32,
) -> Result<Vec<(usize, Override)>> {
    let mut out: Vec<(usize, Override)> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, sd) in raw.iter().enumerate() {
        let field = format!("arrivals.special_day[{i}]");
        let s = sd.get_ref();
        let listed: Vec<&Spanned<i64>> = match (&s.day, &s.days) {
            (Some(d), None) => vec![d],
            (None, Some(list)) if !list.get_ref().is_empty() => list.get_ref().iter().collect(),
            (None, Some(list)) => {
                return Err(ctx.err(
                    list.span(),
                    format!("{field}.days"),
                    "must name at least one day",
                ));
            }
            (Some(_), Some(list)) => {
                return Err(ctx.err(
                    list.span(),
                    format!("{field}.days"),
                    "give either `day` or `days`, not both",
                ));
            }
            (None, None) => {
                return Err(ctx.err(
                    sd.span(),
                    field,
                    "needs `day = <day of the horizon, 1 = the first Monday>` or `days = [...]`",
                ));
            }
        };
        let volume = special_volume(ctx, s, sd.span(), &field)?;
        for (j, d) in listed.iter().enumerate() {
            let sub = if s.day.is_some() {
                format!("{field}.day")
            } else {
                format!("{field}.days[{j}]")
            };
            let v = *d.get_ref();
            if !(1..=i64::from(horizon_days)).contains(&v) {
                return Err(ctx.err(
                    d.span(),
                    sub,
                    format!("must be a day of the horizon, 1 ..= {horizon_days} (got {v})"),
                ));
            }
            let day = (v - 1) as usize;
            if let Some(k) = out.iter().position(|(x, _)| *x == day) {
                return Err(ctx.err(
                    d.span(),
                    sub,
                    format!(
                        "day {v} is already a special day (arrivals.special_day[{}])",
                        owner.get(k).copied().unwrap_or(0)
                    ),
                ));
            }
            out.push((day, volume.clone()));
            owner.push(i);
        }
    }
    Ok(out)
}

fn special_volume(
    ctx: &Ctx,
    s: &RawSpecialDay,
    span: std::ops::Range<usize>,
    field: &str,
) -> Result<Override> {
    match (&s.factor, &s.calls_per_interval) {
        (Some(f), None) => {
            let v = *f.get_ref();
            if v.is_finite() && (0.0..=MAX_WEEKDAY_FACTOR).contains(&v) {
                Ok(Override::Factor(v))
            } else {
                Err(ctx.err(
                    f.span(),
                    format!("{field}.factor"),
                    format!(
                        "must be between 0 and {MAX_WEEKDAY_FACTOR} (got {})",
                        num(v)
                    ),
                ))
            }
        }
        (None, Some(c)) => {
            let (seg, curve) = calls_per_interval(ctx, c, &format!("{field}.calls_per_interval"))?;
            Ok(Override::Curve(seg, curve))
        }
        (Some(_), Some(c)) => Err(ctx.err(
            c.span(),
            format!("{field}.calls_per_interval"),
            "give either `factor` or `calls_per_interval`, not both",
        )),
        (None, None) => Err(ctx.err(
            span,
            field,
            "needs `factor = <number>` (scales that day) or `calls_per_interval = [...]` (that day's own curve)",
        )),
    }
}

/// The weekly profile repeated over whole weeks covering the horizon, with the special days
/// applied. The segment is the finest of the base profile and the special days' curves;
/// splitting a segment keeps its rate, so volumes are unchanged.
fn expand(weekly: &ArrivalProfile, overrides: &[(usize, Override)], days: u32) -> ArrivalProfile {
    let segment_s = overrides
        .iter()
        .filter_map(|(_, o)| match o {
            Override::Curve(seg, _) => Some(*seg),
            Override::Factor(_) => None,
        })
        .fold(weekly.segment_s, f64::min);
    let per_day = (DAY / segment_s).round() as usize;
    let base_per_day = (DAY / weekly.segment_s).round() as usize;
    let ratio = (per_day / base_per_day.max(1)).max(1);
    let total_days = (days as usize).div_ceil(7) * 7;
    let mut rate_per_s: Vec<f64> = (0..total_days * per_day)
        .map(|i| {
            let (d, k) = (i / per_day, i % per_day);
            let j = (d % 7) * base_per_day + k / ratio;
            weekly.rate_per_s.get(j).copied().unwrap_or(0.0)
        })
        .collect();
    for (d, o) in overrides {
        let Some(day) = rate_per_s.get_mut(d * per_day..(d + 1) * per_day) else {
            continue;
        };
        match o {
            Override::Factor(f) => day.iter_mut().for_each(|r| *r *= f),
            Override::Curve(seg, curve) => {
                let r = ((seg / segment_s).round() as usize).max(1);
                for (k, slot) in day.iter_mut().enumerate() {
                    *slot = curve.get(k / r).copied().unwrap_or(0.0);
                }
            }
        }
    }
    ArrivalProfile {
        segment_s,
        rate_per_s,
    }
}
