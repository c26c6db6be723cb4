//! Raw scenario → validated [`Model`]: every rule of the format (docs/scenario-format.md) is
//! checked here, names are resolved to indices, durations become seconds and the arrival and
//! headcount profiles are expanded over the week.
//!
//! Each check points at the span of the value that breaks it, with the field path the planner
//! would write. The first error wins: later checks often depend on earlier ones (a headcount
//! list needs a valid interval), so reporting more would mostly report consequences.
//!
//! One module per concern: `dist` (durations and distributions), `arrivals` (the weekly base
//! profile), `calendar` (night share, special days), `pools` (queues, pools, secondary queues
//! and headcounts), `center` (lines, agent choice), `classes` (caller classes of a queue,
//! `[routing] policy`),
//! `hours` (opening hours), `callbacks` (`[queue.callback]` offers), `ivr` (the menu tree), `extras` (surges, uncertainty, redials) with `forecast` and `replay`
//! (the CSV files a scenario refers to, read through `csv_file`). This module holds the entry
//! point, the `[scenario]` header and the helpers they share.

mod agents;
mod arrivals;
mod calendar;
mod callbacks;
mod center;
pub mod classes;
mod csv_file;
mod dist;
mod extras;
mod forecast;
mod hours;
mod ivr;
mod pools;
mod replay;
pub mod shifts;
mod takes;
mod transfers;

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::error::ScenarioError;
use super::model::Model;
use super::raw::{RawDate, RawDuration, RawFile, RawScenario};
use crate::time::{self, Calendar, DAY};

use dist::duration;

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
/// How far a set of shares (a node's option probabilities, `interval_share`) may sum from 1
/// and still be taken as rounded by hand: within 0.5 % they are normalised (divided by their
/// sum) with a note; beyond, refused with the actual sum. People round shares to a few digits
/// (0.33 + 0.33 + 0.34, or 0.9999 after an export), while a sum off by more is a missing or
/// mistyped option that normalising would silently spread over the others.
pub const SHARE_TOLERANCE: f64 = 0.005;

/// Where errors point: the file name and its text (for line and column); collects the notes
/// (things hotline adjusted, not errors) for `Model::notes`.
pub(super) struct Ctx<'a> {
    text: &'a str,
    file: &'a Path,
    notes: std::cell::RefCell<Vec<String>>,
}

impl Ctx<'_> {
    pub(super) fn err(
        &self,
        span: Range<usize>,
        field: impl Into<String>,
        msg: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError::at(self.file, self.text, span, field, msg)
    }

    /// Records a note at `span`, `file:line:column: field: message` (no caret: not an error).
    pub(super) fn note(
        &self,
        span: Range<usize>,
        field: impl Into<String>,
        msg: impl Into<String>,
    ) {
        let e = ScenarioError::at(self.file, self.text, span, field, msg);
        let at = e
            .position
            .as_ref()
            .map_or(String::new(), |p| format!(":{}:{}", p.line, p.column));
        self.notes.borrow_mut().push(format!(
            "{}{at}: {}: {}",
            self.file.display(),
            e.field,
            e.message
        ));
    }
}

/// Shares that must sum to 1: within [`SHARE_TOLERANCE`] of it they are divided by their sum
/// (with a note); beyond, an error stating the actual sum. `what` names the shares in the
/// messages.
pub(super) fn normalise_shares(
    ctx: &Ctx,
    span: Range<usize>,
    field: &str,
    what: &str,
    shares: &mut [f64],
) -> Result<()> {
    let sum: f64 = shares.iter().sum();
    // The sum to 9 decimals: 0.9999, not 0.9999000000000001.
    let shown = num((sum * 1e9).round() / 1e9);
    if (sum - 1.0).abs() > SHARE_TOLERANCE {
        return Err(ctx.err(
            span,
            field,
            format!(
                "{what} sum to {} ({:+.2}% off); they must sum to 1 (sums within 0.5% of 1 are \
                 taken as rounding and normalised)",
                shown,
                100.0 * (sum - 1.0)
            ),
        ));
    }
    if sum != 1.0 && (sum - 1.0).abs() > 1e-12 {
        ctx.note(
            span,
            field,
            format!("{what} sum to {shown}, not 1: normalised (each divided by {shown})"),
        );
    }
    for x in shares.iter_mut() {
        *x /= sum;
    }
    Ok(())
}

pub(super) type Result<T> = std::result::Result<T, ScenarioError>;

/// Checks every rule and builds the model.
pub fn validate(raw: &RawFile, text: &str, file: &Path) -> Result<Model> {
    let ctx = Ctx {
        text,
        file,
        notes: Default::default(),
    };
    let header = scenario(&ctx, &raw.scenario)?;
    let a = raw.arrivals.get_ref();
    let other_sources = !a.forecast.is_empty() || a.replay.is_some();
    let weekly = arrivals::weekly_profile(&ctx, &raw.arrivals, other_sources)?;
    let (arrivals, night_window) = calendar::apply(&ctx, a, weekly, header.days, &header.calendar)?;
    let mut queues = pools::queues(&ctx, &raw.queue)?;
    let queue_index = index_by_name(&raw.queue, |q| &q.name);
    hours::opening_hours(
        &ctx,
        &raw.queue,
        &a.special_day,
        &mut queues,
        &queue_index,
        header.interval_s,
        header.days,
        &header.calendar,
    )?;
    let per_day = (DAY / header.interval_s).round() as u64;
    callbacks::offers(
        &ctx,
        &raw.queue,
        &mut queues,
        u64::from(header.days) * per_day,
        per_day,
    )?;
    let mut pools = raw
        .pool
        .iter()
        .enumerate()
        .map(|(i, p)| pools::pool(&ctx, p, i, header.interval_s, &queue_index))
        .collect::<Result<Vec<_>>>()?;
    // Headcounts are written Monday first; the model's week starts on the horizon's first day.
    for p in &mut pools {
        calendar::start_week_on(&mut p.headcount, header.calendar.first_weekday());
    }
    pools::every_queue_served(&ctx, &raw.queue, &raw.pool, &pools)?;
    unique_names(&ctx, raw.pool.iter().map(|p| &p.get_ref().name), "pool")?;
    let ivr = match &raw.ivr {
        Some(r) => Some(ivr::ivr(&ctx, r, &queue_index)?),
        None => None,
    };
    let mut model = Model {
        name: header.name,
        source: file.to_path_buf(),
        days: header.days,
        calendar: header.calendar,
        interval_s: header.interval_s,
        seed: header.seed,
        arrivals,
        extras: Default::default(),
        staffing: Default::default(),
        policy: classes::policy(&ctx, &raw.routing)?,
        center: center::center(&ctx, raw.center.as_ref())?,
        ivr,
        queues,
        pools,
        notes: Vec::new(),
    };
    // Forecasts, replay and surges need the queues, the IVR and the horizon resolved first.
    model.extras = extras::extras(&ctx, raw, &model, night_window)?;
    model.extras.transfers = transfers::transfers(&ctx, &raw.queue, &queue_index)?;
    model.notes = ctx.notes.into_inner();
    Ok(model)
}

/// The `[scenario]` table, checked.
struct Header {
    name: String,
    days: u32,
    interval_s: f64,
    seed: u64,
    calendar: Calendar,
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
    let start = match &s.start {
        None => None,
        Some(d) => Some(
            time::parse_date(&d.get_ref().0).map_err(|m| ctx.err(d.span(), "scenario.start", m))?,
        ),
    };
    Ok(Header {
        name,
        days: days as u32,
        interval_s,
        seed: s.seed.unwrap_or(1),
        calendar: Calendar::new(start),
    })
}

/// A day of the horizon given by number (`day = 3`, 1 = its first day): its 0-based day.
pub(super) fn horizon_day_number(
    ctx: &Ctx,
    raw: &Spanned<i64>,
    field: &str,
    days: u32,
) -> Result<usize> {
    let v = *raw.get_ref();
    if !(1..=i64::from(days)).contains(&v) {
        return Err(ctx.err(
            raw.span(),
            field,
            format!("must be a day of the horizon, 1 ..= {days} (got {v})"),
        ));
    }
    Ok((v - 1) as usize)
}

/// A date given for a day of the horizon (`special_day.date`, `surge.date`): its 0-based day.
/// Needs `[scenario] start`; a date outside the horizon is an error.
pub(super) fn horizon_day(
    ctx: &Ctx,
    raw: &Spanned<RawDate>,
    field: &str,
    cal: &Calendar,
    days: u32,
) -> Result<usize> {
    let err = |m: String| ctx.err(raw.span(), field, m);
    let date = time::parse_date(&raw.get_ref().0).map_err(&err)?;
    let Some(day) = cal.day_of(date) else {
        return Err(err(format!(
            "a date needs `start = <the date of day 1>` in [scenario] (e.g. `start = {date}`); or give the day of the horizon as a number (`day = 3`)"
        )));
    };
    if !(0..i64::from(days)).contains(&day) {
        return Err(err(format!(
            "{date} is outside the horizon, {} to {}",
            cal.day_label(0),
            cal.day_label(u64::from(days) - 1)
        )));
    }
    Ok(day as usize)
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

pub(super) fn non_empty(ctx: &Ctx, raw: &Spanned<String>, field: &str) -> Result<String> {
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

// ---------------------------------------------------------------- shared helpers

/// Names must be unique so that `serves` and IVR options mean one thing.
pub(super) fn unique_names<'a>(
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

pub(super) fn index_by_name<T>(
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

pub(super) fn known_names(index: &HashMap<String, usize>) -> String {
    let mut names: Vec<(&usize, &String)> = index.iter().map(|(k, v)| (v, k)).collect();
    names.sort();
    names
        .iter()
        .map(|(_, n)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn clock(t: f64) -> String {
    let m = (t / 60.0).round() as u64;
    format!("{:02}:{:02}", m / 60, m % 60)
}
