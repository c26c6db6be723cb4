//! `[[shift]]`, `[[contract]]` and `[roster]` → [`ShiftRules`]: every duration in whole minutes,
//! windows inside the day, breaks shorter than their shift, contracts that can be staffed and
//! can reach their weekly hours. Errors point at the offending value (file:line:column).

use std::collections::HashMap;
use std::path::Path;

use toml::Spanned;

use super::dist::duration;
use super::{Ctx, Result, non_empty, num, unique_names};
use crate::scenario::raw::{RawContract, RawDuration, RawFile, RawRoster, RawShift};
use crate::scenario::shifts::{Contract, DAY_MIN, Lunch, RosterRules, ShiftRules, ShiftTemplate};
use crate::time;

/// Longest shift: 16 hours (no labour law allows more in one stretch).
pub const MAX_SHIFT_MIN: u32 = 16 * 60;
/// Largest premium: 300 %.
pub const MAX_PREMIUM: f64 = 3.0;

/// The shift rules of a scenario (`None` without any of the three sections).
pub fn shift_rules(
    raw: &RawFile,
    text: &str,
    file: &Path,
    model: &crate::scenario::Model,
) -> Result<Option<ShiftRules>> {
    let interval_s = model.interval_s;
    let ctx = Ctx {
        text,
        file,
        notes: Default::default(),
    };
    if raw.shift.is_empty() {
        if let Some(c) = raw.contract.first() {
            return Err(ctx.err(
                c.span(),
                "contract[0]",
                "a [[contract]] needs at least one [[shift]] template to work",
            ));
        }
        if let Some(r) = &raw.roster {
            return Err(ctx.err(
                r.span(),
                "roster",
                "[roster] needs at least one [[shift]] template",
            ));
        }
        return Ok(None);
    }
    unique_names(&ctx, raw.shift.iter().map(|s| &s.get_ref().name), "shift")?;
    unique_names(
        &ctx,
        raw.contract.iter().map(|c| &c.get_ref().name),
        "contract",
    )?;
    let interval_min = (interval_s / 60.0).round() as u32;
    let pool_names: Vec<&str> = raw
        .pool
        .iter()
        .map(|p| p.get_ref().name.get_ref().as_str())
        .collect();
    let templates = raw
        .shift
        .iter()
        .enumerate()
        .map(|(i, s)| template(&ctx, s.get_ref(), i, interval_min, &pool_names))
        .collect::<Result<Vec<_>>>()?;
    let roster = match &raw.roster {
        Some(r) => roster(&ctx, r.get_ref())?,
        None => RosterRules::default(),
    };
    if raw.contract.is_empty() {
        return Err(ctx.err(
            raw.shift[0].span(),
            "contract",
            "shift templates need at least one [[contract]] (name, max_weekly_hours, max_agents) saying who works them",
        ));
    }
    let index: HashMap<&str, usize> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let contracts = raw
        .contract
        .iter()
        .enumerate()
        .map(|(i, c)| contract(&ctx, c.get_ref(), i, &templates, &index, &roster))
        .collect::<Result<Vec<_>>>()?;
    let people = match raw
        .roster
        .as_ref()
        .and_then(|r| r.get_ref().agents.as_ref())
    {
        None => Vec::new(),
        Some(f) => {
            let names: Vec<String> = contracts.iter().map(|c| c.name.clone()).collect();
            let known = super::agents::Known {
                pools: &pool_names,
                contracts: &names,
                templates: &templates,
                calendar: &model.calendar,
                days: model.days as usize,
            };
            super::agents::read(&ctx, &model.source, f, &known)?
        }
    };
    Ok(Some(ShiftRules {
        templates,
        contracts,
        roster,
        people,
    }))
}

/// A duration in whole minutes.
fn minutes(ctx: &Ctx, raw: &Spanned<RawDuration>, field: &str) -> Result<u32> {
    let s = duration(ctx, raw, field)?;
    if (s / 60.0).fract() != 0.0 || s > f64::from(7 * DAY_MIN) * 60.0 {
        return Err(ctx.err(
            raw.span(),
            field,
            format!(
                "must be whole minutes, at most a week (got {})",
                raw.get_ref()
            ),
        ));
    }
    Ok((s / 60.0) as u32)
}

/// `"06:00-10:00"` (or `"22:00"`): two times of day, the first not after the second, both
/// before midnight.
fn clock_window(ctx: &Ctx, raw: &Spanned<String>, field: &str) -> Result<(u32, u32)> {
    let text = raw.get_ref();
    let err = |m: String| ctx.err(raw.span(), field, m);
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let a = time::parse_clock(a).map_err(&err)?.get() / 60.0;
    let b = time::parse_clock(b).map_err(&err)?.get() / 60.0;
    if a >= f64::from(DAY_MIN) || b >= f64::from(DAY_MIN) {
        return Err(err(format!(
            "`{text}`: start times must lie inside the day, 00:00 to 23:59 (a shift may end after midnight, it must start before)"
        )));
    }
    if b < a {
        return Err(err(format!(
            "`{text}`: the window ends before it starts (earliest start first, e.g. \"06:00-10:00\")"
        )));
    }
    Ok((a as u32, b as u32))
}

fn template(
    ctx: &Ctx,
    s: &RawShift,
    i: usize,
    interval_min: u32,
    pool_names: &[&str],
) -> Result<ShiftTemplate> {
    let f = |k: &str| format!("shift[{i}].{k}");
    let name = non_empty(ctx, &s.name, &f("name"))?;
    let pools = match &s.pools {
        None => None,
        Some(list) => {
            let mut v = Vec::new();
            for p in list.get_ref() {
                let idx = pool_names
                    .iter()
                    .position(|n| *n == p.get_ref().trim())
                    .ok_or_else(|| {
                        ctx.err(
                            p.span(),
                            f("pools"),
                            format!(
                                "no [[pool]] is named `{}` (pools: {})",
                                p.get_ref(),
                                pool_names.join(", ")
                            ),
                        )
                    })?;
                v.push(idx);
            }
            if v.is_empty() {
                return Err(ctx.err(list.span(), f("pools"), "must name at least one pool"));
            }
            Some(v)
        }
    };
    let mut weekdays = [s.days.is_none(); 7];
    if let Some(days) = &s.days {
        for d in days.get_ref() {
            let w = time::parse_weekday(d.get_ref()).ok_or_else(|| {
                ctx.err(
                    d.span(),
                    f("days"),
                    format!(
                        "`{}` is not a weekday (write \"mon\" … \"sun\")",
                        d.get_ref()
                    ),
                )
            })?;
            weekdays[w] = true;
        }
        if !weekdays.contains(&true) {
            return Err(ctx.err(days.span(), f("days"), "must name at least one weekday"));
        }
    }
    let (start_first, start_last) = clock_window(ctx, &s.start, &f("start"))?;
    let step = match &s.step {
        Some(st) => {
            let m = minutes(ctx, st, &f("step"))?;
            if m == 0 {
                return Err(ctx.err(st.span(), f("step"), "must be positive"));
            }
            m
        }
        None => interval_min,
    };
    if s.lengths.get_ref().is_empty() {
        return Err(ctx.err(
            s.lengths.span(),
            f("lengths"),
            "must list at least one length",
        ));
    }
    let mut lengths = Vec::new();
    for l in s.lengths.get_ref() {
        let m = minutes(ctx, l, &f("lengths"))?;
        if m == 0 || m > MAX_SHIFT_MIN {
            return Err(ctx.err(
                l.span(),
                f("lengths"),
                format!(
                    "a shift lasts more than 0 and at most 16h (got {})",
                    l.get_ref()
                ),
            ));
        }
        lengths.push(m);
    }
    let mut breaks = Vec::new();
    if let Some(b) = &s.breaks {
        for x in b.get_ref() {
            let m = minutes(ctx, x, &f("breaks"))?;
            if m == 0 {
                return Err(ctx.err(x.span(), f("breaks"), "a break lasts more than 0"));
            }
            breaks.push(m);
        }
    }
    let lunch = match (&s.lunch, &s.lunch_after) {
        (None, None) => None,
        (Some(l), None) => {
            return Err(ctx.err(
                l.span(),
                f("lunch_after"),
                "a lunch needs `lunch_after = \"3h-5h\"`: when it may start after the shift's start",
            ));
        }
        (None, Some(a)) => {
            return Err(ctx.err(
                a.span(),
                f("lunch"),
                "`lunch_after` needs `lunch = \"30m\"`",
            ));
        }
        (Some(l), Some(a)) => {
            let length = minutes(ctx, l, &f("lunch"))?;
            let text = a.get_ref();
            let err = |m: String| ctx.err(a.span(), f("lunch_after"), m);
            let (x, y) = text.split_once('-').unwrap_or((text, text));
            let x = time::parse_duration_with_unit(x).map_err(&err)?.get() / 60.0;
            let y = time::parse_duration_with_unit(y).map_err(&err)?.get() / 60.0;
            if x.fract() != 0.0 || y.fract() != 0.0 || x < 0.0 || y < x {
                return Err(err(format!(
                    "`{text}`: earliest then latest lunch start after the shift's start, whole minutes (e.g. \"3h-5h\")"
                )));
            }
            Some(Lunch {
                length,
                after_min: x as u32,
                after_max: y as u32,
            })
        }
    };
    let off: u32 = breaks.iter().sum::<u32>() + lunch.map_or(0, |l| l.length);
    for (l, raw) in lengths.iter().zip(s.lengths.get_ref()) {
        if off >= *l {
            let span = s.breaks.as_ref().map_or(raw.span(), |b| b.span());
            return Err(ctx.err(
                span,
                f("breaks"),
                format!(
                    "breaks and lunch ({}) are as long as or longer than the shift ({})",
                    fmt_min(off),
                    fmt_min(*l)
                ),
            ));
        }
        if let Some(lu) = lunch {
            if lu.after_max + lu.length > *l {
                return Err(ctx.err(
                    s.lunch_after.as_ref().map_or(raw.span(), |a| a.span()),
                    f("lunch_after"),
                    format!(
                        "a lunch starting {} after the start ends after a {} shift",
                        fmt_min(lu.after_max),
                        fmt_min(*l)
                    ),
                ));
            }
        }
    }
    Ok(ShiftTemplate {
        name,
        weekdays,
        start_first,
        start_last,
        step,
        lengths,
        breaks,
        lunch,
        pools,
    })
}

fn contract(
    ctx: &Ctx,
    c: &RawContract,
    i: usize,
    templates: &[ShiftTemplate],
    index: &HashMap<&str, usize>,
    roster: &RosterRules,
) -> Result<Contract> {
    let f = |k: &str| format!("contract[{i}].{k}");
    let name = non_empty(ctx, &c.name, &f("name"))?;
    let template_idx = match &c.shifts {
        None => (0..templates.len()).collect(),
        Some(list) => {
            let mut v = Vec::new();
            for s in list.get_ref() {
                let t = *index.get(s.get_ref().trim()).ok_or_else(|| {
                    ctx.err(
                        s.span(),
                        f("shifts"),
                        format!("no [[shift]] is named `{}`", s.get_ref()),
                    )
                })?;
                v.push(t);
            }
            if v.is_empty() {
                return Err(ctx.err(list.span(), f("shifts"), "must name at least one shift"));
            }
            v
        }
    };
    let hours = |raw: &Spanned<f64>, field: &str| -> Result<u32> {
        let h = *raw.get_ref();
        if !(h.is_finite() && (0.0..=168.0).contains(&h)) || (h * 60.0).fract() != 0.0 {
            return Err(ctx.err(
                raw.span(),
                f(field),
                format!(
                    "hours per week between 0 and 168, whole minutes (got {})",
                    num(h)
                ),
            ));
        }
        Ok((h * 60.0) as u32)
    };
    let max_weekly = hours(&c.max_weekly_hours, "max_weekly_hours")?;
    let min_weekly = match &c.min_weekly_hours {
        Some(m) => hours(m, "min_weekly_hours")?,
        None => 0,
    };
    if min_weekly > max_weekly {
        return Err(ctx.err(
            c.min_weekly_hours.as_ref().map_or(0..0, |m| m.span()),
            f("min_weekly_hours"),
            "is above max_weekly_hours",
        ));
    }
    let max_agents = *c.max_agents.get_ref();
    if !(1..=100_000).contains(&max_agents) {
        return Err(ctx.err(
            c.max_agents.span(),
            f("max_agents"),
            format!(
                "an infeasible headcount limit: at least 1 agent (and at most 100000), got {max_agents}; remove the contract instead"
            ),
        ));
    }
    let paid: Vec<u32> = template_idx
        .iter()
        .flat_map(|&t| {
            templates[t]
                .lengths
                .iter()
                .map(move |&l| templates[t].paid(l))
        })
        .collect();
    let shortest = paid.iter().copied().min().unwrap_or(0);
    let longest = paid.iter().copied().max().unwrap_or(0);
    if shortest > max_weekly {
        return Err(ctx.err(
            c.max_weekly_hours.span(),
            f("max_weekly_hours"),
            format!(
                "its shortest shift pays {}, more than the {} a week allowed: no agent of this contract could work",
                fmt_min(shortest),
                fmt_min(max_weekly)
            ),
        ));
    }
    let allowed = roster.work_days_per_week();
    let day_limit = |raw: &Option<Spanned<i64>>, field: &str, default: u32| -> Result<u32> {
        let Some(v) = raw else { return Ok(default) };
        let n = *v.get_ref();
        if !(1..=i64::from(allowed)).contains(&n) {
            return Err(ctx.err(
                v.span(),
                f(field),
                format!(
                    "working days per week from 1 to {allowed} (the [roster] rules max_days_in_row and two_days_off allow at most {allowed}), got {n}"
                ),
            ));
        }
        Ok(n as u32)
    };
    let max_days = day_limit(&c.max_days_per_week, "max_days_per_week", allowed)?;
    let min_days = day_limit(&c.min_days_per_week, "min_days_per_week", max_days)?;
    if min_days > max_days {
        return Err(ctx.err(
            c.min_days_per_week.as_ref().map_or(0..0, |m| m.span()),
            f("min_days_per_week"),
            format!("is above max_days_per_week ({max_days})"),
        ));
    }
    let hourly_cost = match &c.hourly_cost {
        None => roster.hourly_cost,
        Some(v) => {
            let x = *v.get_ref();
            if !(x.is_finite() && x > 0.0) {
                return Err(ctx.err(
                    v.span(),
                    f("hourly_cost"),
                    "must be a positive cost per paid hour",
                ));
            }
            x
        }
    };
    let overtime = match &c.overtime_hours {
        Some(h) => hours(h, "overtime_hours")?,
        None => 0,
    };
    let overtime_premium = premium(ctx, &c.overtime_premium, &f("overtime_premium"))?;
    if c.overtime_premium.is_some() && c.overtime_hours.is_none() {
        return Err(ctx.err(
            c.overtime_premium.as_ref().map_or(0..0, |p| p.span()),
            f("overtime_premium"),
            "needs `overtime_hours`: the paid hours a week an agent may work above max_weekly_hours",
        ));
    }
    let days = max_days;
    if longest * days < min_weekly {
        return Err(ctx.err(
            c.min_weekly_hours.as_ref().map_or(0..0, |m| m.span()),
            f("min_weekly_hours"),
            format!(
                "an infeasible limit: {days} working days a week (max_days_per_week or the roster rules) of at most {} paid reach {}, less than {}",
                fmt_min(longest),
                fmt_min(longest * days),
                fmt_min(min_weekly)
            ),
        ));
    }
    Ok(Contract {
        name,
        templates: template_idx,
        min_weekly,
        max_weekly,
        max_agents: max_agents as u32,
        hourly_cost,
        min_days,
        max_days,
        overtime,
        overtime_premium,
    })
}

fn roster(ctx: &Ctx, r: &RawRoster) -> Result<RosterRules> {
    let mut out = RosterRules::default();
    if let Some(c) = &r.hourly_cost {
        let v = *c.get_ref();
        if !(v.is_finite() && v > 0.0) {
            return Err(ctx.err(
                c.span(),
                "roster.hourly_cost",
                "must be a positive cost per paid hour",
            ));
        }
        out.hourly_cost = v;
    }
    if let Some(n) = &r.night {
        let text = n.get_ref();
        let err = |m: String| ctx.err(n.span(), "roster.night", m);
        let (a, b) = text.split_once('-').ok_or_else(|| {
            err(format!(
                "`{text}`: write the night hours as \"22:00-06:00\""
            ))
        })?;
        let a = time::parse_clock(a).map_err(&err)?.get() / 60.0;
        let b = time::parse_clock(b).map_err(&err)?.get() / 60.0;
        if a >= f64::from(DAY_MIN) || a == b {
            return Err(err(format!(
                "`{text}`: the night starts before midnight (00:00 to 23:59) and is not empty"
            )));
        }
        out.night = (a as u32, (b as u32) % DAY_MIN);
    }
    let premium = |raw: &Option<Spanned<String>>, field: &str| premium(ctx, raw, field);
    out.night_premium = premium(&r.night_premium, "roster.night_premium")?;
    out.weekend_premium = premium(&r.weekend_premium, "roster.weekend_premium")?;
    if let Some(m) = &r.max_days_in_row {
        let v = *m.get_ref();
        if !(1..=7).contains(&v) {
            return Err(ctx.err(
                m.span(),
                "roster.max_days_in_row",
                format!("must be 1 to 7 (got {v})"),
            ));
        }
        out.max_days_in_row = v as u32;
    }
    if let Some(m) = &r.min_rest {
        let v = minutes(ctx, m, "roster.min_rest")?;
        if v > DAY_MIN {
            return Err(ctx.err(m.span(), "roster.min_rest", "at most 24h"));
        }
        out.min_rest = v;
    }
    if let Some(b) = &r.no_consecutive_nights {
        out.no_consecutive_nights = *b.get_ref();
    }
    if let Some(b) = &r.two_days_off {
        out.two_days_off = *b.get_ref();
    }
    if let Some(m) = &r.night_shift_min {
        out.night_shift_min = minutes(ctx, m, "roster.night_shift_min")?.max(1);
    }
    Ok(out)
}

/// `"25%"`: a premium as a fraction of the hourly cost, 0 to [`MAX_PREMIUM`]; absent = 0.
fn premium(ctx: &Ctx, raw: &Option<Spanned<String>>, field: &str) -> Result<f64> {
    let Some(p) = raw else { return Ok(0.0) };
    let text = p.get_ref().trim();
    let v = text
        .strip_suffix('%')
        .and_then(|x| x.trim().parse::<f64>().ok())
        .map(|x| x / 100.0)
        .filter(|x| x.is_finite() && (0.0..=MAX_PREMIUM).contains(x));
    v.ok_or_else(|| {
        ctx.err(
            p.span(),
            field,
            format!("`{text}`: a premium in percent of the hourly cost, 0% to 300% (e.g. \"25%\")"),
        )
    })
}

/// `"8h30m"`, `"45m"`.
pub fn fmt_min(m: u32) -> String {
    match (m / 60, m % 60) {
        (h, 0) => format!("{h}h"),
        (0, x) => format!("{x}m"),
        (h, x) => format!("{h}h{x}m"),
    }
}
