//! The calendar on top of the weekly base profile: the quiet-night share (`[arrivals.night]`)
//! and special days (`[[arrivals.special_day]]`).
//!
//! The night share is imposed on each weekday of the base week (Monday first, as written); the
//! week is then turned to start on the horizon's first weekday (`[scenario] start` need not be
//! a Monday), and special days override single days of the horizon. Since the base profile
//! repeats weekly, special days need the profile expanded: it then covers whole weeks up to the
//! horizon (at most 3,660 days × 96 segments, about 350,000 numbers), so it still reads as a
//! sequence of weeks from the horizon's first day.

use toml::Spanned;

use super::arrivals::calls_per_interval;
use super::{Ctx, MAX_WEEKDAY_FACTOR, Result, clock, horizon_day, horizon_day_number, num};
use crate::scenario::model::ArrivalProfile;
use crate::scenario::raw::{RawArrivals, RawNight, RawSpecialDay};
use crate::time::{self, Calendar, DAY, WEEKDAYS};

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
    cal: &Calendar,
) -> Result<(ArrivalProfile, Option<(f64, f64)>)> {
    let mut profile = weekly;
    let window = match &raw.night {
        Some(n) => Some(night(ctx, n, &mut profile)?),
        None => None,
    };
    start_week_on(&mut profile.rate_per_s, cal.first_weekday());
    let overrides = special_days(ctx, &raw.special_day, days, cal)?;
    if !overrides.is_empty() {
        profile = expand(&profile, &overrides, days);
    }
    Ok((profile, window))
}

/// Turns a weekly table written Monday first (one entry per segment of the week) so that it
/// starts on weekday `first` (Monday = 0): the horizon's first day. A table that is not a
/// whole week long is left alone.
pub(super) fn start_week_on<T>(week: &mut [T], first: usize) {
    if first > 0 && !week.is_empty() && week.len() % 7 == 0 {
        week.rotate_left(first * week.len() / 7);
    }
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
    cal: &Calendar,
) -> Result<Vec<(usize, Override)>> {
    let mut out: Vec<(usize, Override)> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, sd) in raw.iter().enumerate() {
        let field = format!("arrivals.special_day[{i}]");
        let s = sd.get_ref();
        let listed = listed_days(ctx, s, sd.span(), &field, horizon_days, cal)?;
        let volume = special_volume(ctx, s, sd.span(), &field)?;
        for (day, span, sub) in listed {
            if let Some(k) = out.iter().position(|(x, _)| *x == day) {
                let what = match cal.date_of_day(day as u64) {
                    Some(date) => date.to_string(),
                    None => format!("day {}", day + 1),
                };
                return Err(ctx.err(
                    span,
                    sub,
                    format!(
                        "{what} is already a special day (arrivals.special_day[{}])",
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

/// The days one special-day entry names, from exactly one of `day`, `days`, `date`, `dates`:
/// (0-based day of the horizon, span, field path).
pub(super) fn listed_days(
    ctx: &Ctx,
    s: &RawSpecialDay,
    span: std::ops::Range<usize>,
    field: &str,
    horizon_days: u32,
    cal: &Calendar,
) -> Result<Vec<(usize, std::ops::Range<usize>, String)>> {
    let given: Vec<(&str, std::ops::Range<usize>)> = [
        s.day.as_ref().map(|d| ("day", d.span())),
        s.days.as_ref().map(|d| ("days", d.span())),
        s.date.as_ref().map(|d| ("date", d.span())),
        s.dates.as_ref().map(|d| ("dates", d.span())),
    ]
    .into_iter()
    .flatten()
    .collect();
    match given.as_slice() {
        [] => {
            return Err(ctx.err(
                span,
                field,
                "needs `day = <day of the horizon, 1 = its first day>`, `days = [...]`, `date = 2026-12-24` or `dates = [...]`",
            ));
        }
        [_] => {}
        [first, second, ..] => {
            return Err(ctx.err(
                second.1.clone(),
                format!("{field}.{}", second.0),
                format!(
                    "give one of `day`, `days`, `date` or `dates`, not both `{}` and `{}`",
                    first.0, second.0
                ),
            ));
        }
    }
    let mut out = Vec::new();
    if let Some(d) = &s.day {
        let sub = format!("{field}.day");
        out.push((
            horizon_day_number(ctx, d, &sub, horizon_days)?,
            d.span(),
            sub,
        ));
    }
    if let Some(date) = &s.date {
        let sub = format!("{field}.date");
        out.push((
            horizon_day(ctx, date, &sub, cal, horizon_days)?,
            date.span(),
            sub,
        ));
    }
    if let Some(list) = &s.days {
        for (j, d) in list.get_ref().iter().enumerate() {
            let sub = format!("{field}.days[{j}]");
            out.push((
                horizon_day_number(ctx, d, &sub, horizon_days)?,
                d.span(),
                sub,
            ));
        }
    }
    if let Some(list) = &s.dates {
        for (j, d) in list.get_ref().iter().enumerate() {
            let sub = format!("{field}.dates[{j}]");
            out.push((horizon_day(ctx, d, &sub, cal, horizon_days)?, d.span(), sub));
        }
    }
    if out.is_empty() {
        let (key, span) = given[0].clone();
        return Err(ctx.err(span, format!("{field}.{key}"), "must name at least one day"));
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
        // A day that only closes queues or sets their hours keeps its volume.
        (None, None) if s.closed_queues.is_some() || s.hours.is_some() => {
            Ok(Override::Factor(1.0))
        }
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
