//! `[[arrivals.forecast]]`: interval forecasts per queue imported from a CSV file (a WFM
//! export), checked row by row and turned into one [`QueueForecast`] per queue present.
//!
//! # Columns (header row required; other columns are ignored)
//! - `interval_start`: `YYYY-MM-DD HH:MM` (local time, no time zone), on a statistics-interval
//!   boundary. With `[scenario] start` the rows are placed on that calendar; without it the
//!   Monday 00:00 of the first row's week is time 0 of the horizon. Rows may come in any order.
//! - `queue`: a queue of the scenario.
//! - `volume`: calls offered in that interval, ≥ 0.
//! - `aht` (optional): handle-time mean in that interval (a duration or seconds), > 0; it
//!   scales the queue's `handle_time` so its mean matches. Empty = the queue's own mean.
//!
//! Intervals a queue's rows leave out have no forecast calls. Rows outside the horizon are read
//! and checked but not used, and counted in a note (`check` prints it, `simulate`, `staff`,
//! `schedule` and `plan` on stderr); a file with no row inside the horizon is an error (a wrong `start` or year).
//! A day of the horizon with no row for a queue some forecast feeds (over all files; a row of
//! volume 0 counts) is a warning naming the days, unless the queue is closed all that day: a
//! horizon starting a day late ran its last Monday with no calls and no word about it.

use toml::Spanned;

use super::csv_file::{self, CsvFile};
use super::{Ctx, MAX_CALLS_PER_HOUR, MAX_DURATION_S, Result, num};
use crate::scenario::model::{ArrivalProfile, Model, QueueForecast, QueueId};
use crate::scenario::raw::RawForecast;
use crate::time::{DAY, monday_offset, parse_timestamp};

/// Everything read for one queue: per statistics interval from time 0.
#[derive(Default)]
struct Series {
    volume: Vec<f64>,
    aht_scale: Vec<f64>,
    /// CSV line of the row that gave each interval (0 = none), for duplicate rows.
    line: Vec<u64>,
}

/// Rows read from a file: how many, and how many fell before or after the horizon.
#[derive(Default)]
struct Counts {
    rows: u64,
    before: u64,
    after: u64,
}

/// Which days of the horizon the forecasts cover, per queue they feed.
#[derive(Default)]
pub(super) struct Coverage {
    /// One per queue with days left out (module docs).
    pub warnings: Vec<String>,
    /// Per queue fed, the days covered as `check` prints them.
    pub days: Vec<(QueueId, String)>,
}

/// Reads every forecast file; one `QueueForecast` per (file, queue present in it). Rows outside
/// the horizon add a line to `notes`; the days each queue's rows cover are in [`Coverage`].
pub(super) fn forecasts(
    ctx: &Ctx,
    raw: &[Spanned<RawForecast>],
    model: &Model,
    notes: &mut Vec<String>,
) -> Result<(Vec<QueueForecast>, Coverage)> {
    let mut out = Vec::new();
    let per_day = (DAY / model.interval_s).round() as usize;
    // Per queue (`None` = fed by no forecast), per day of the horizon: some row for it.
    let mut covered: Vec<Option<Vec<bool>>> = vec![None; model.queues.len()];
    for (i, f) in raw.iter().enumerate() {
        let field = format!("arrivals.forecast[{i}].file");
        let file = &f.get_ref().file;
        let mut csv = csv_file::open(ctx, &model.source, file, &field)?;
        let (series, n) = read(&mut csv, model)?;
        if n.rows == 0 {
            return Err(ctx.err(file.span(), field, "the forecast file has no rows"));
        }
        let outside = n.before + n.after;
        if outside == n.rows {
            return Err(ctx.err(
                file.span(),
                field,
                format!(
                    "none of the forecast's {} rows falls inside the horizon ({}); check `start` in [scenario] and the file's dates",
                    n.rows,
                    horizon_text(model)
                ),
            ));
        }
        if outside > 0 {
            notes.push(format!(
                "{}: {outside} of {} forecast rows are outside the horizon ({}) and not used: {} before its start, {} after its end",
                csv.path.display(),
                n.rows,
                horizon_text(model),
                n.before,
                n.after
            ));
        }
        let with_aht = csv.column("aht").is_some();
        for (q, s) in series.into_iter().enumerate() {
            let Some(s) = s else { continue };
            let days = covered[q].get_or_insert_with(|| vec![false; model.days as usize]);
            for (k, &line) in s.line.iter().enumerate() {
                if line != 0 {
                    days[k / per_day] = true;
                }
            }
            out.push(QueueForecast {
                queue: QueueId(q as u32),
                profile: ArrivalProfile {
                    segment_s: model.interval_s,
                    rate_per_s: s.volume.iter().map(|v| v / model.interval_s).collect(),
                },
                handle_scale: if with_aht { s.aht_scale } else { Vec::new() },
            });
        }
    }
    Ok((out, coverage(model, &covered)))
}

/// The warnings and `check` lines for the days each queue's rows cover (module docs).
fn coverage(model: &Model, covered: &[Option<Vec<bool>>]) -> Coverage {
    let per_day = (DAY / model.interval_s).round() as u64;
    let mut c = Coverage::default();
    for (q, days) in covered.iter().enumerate() {
        let Some(days) = days else { continue };
        let queue = &model.queues[q];
        let closed_all_day = |d: u64| {
            queue
                .hours
                .as_ref()
                .is_some_and(|h| (d * per_day..(d + 1) * per_day).all(|k| !h.is_open(k, per_day)))
        };
        let missing: Vec<u64> = (0..u64::from(model.days))
            .filter(|&d| !days[d as usize] && !closed_all_day(d))
            .collect();
        let with_rows: Vec<u64> = (0..u64::from(model.days))
            .filter(|&d| days[d as usize])
            .collect();
        c.days
            .push((QueueId(q as u32), day_runs(model, &with_rows)));
        if !missing.is_empty() {
            c.warnings.push(format!(
                "the forecast has no row for queue `{}` on {} of the {} days of the horizon \
                 ({}): no forecast calls for it then; add the rows (volume 0 for a day without \
                 calls) or move `start` in [scenario]",
                queue.name,
                missing.len(),
                model.days,
                day_runs(model, &missing)
            ));
        }
    }
    c
}

/// Days of the horizon (0-based, increasing) as runs: `2027-01-04 to 2027-01-08, 2027-01-11`,
/// or `days 1 to 5, 8` for a scenario without `start`.
fn day_runs(model: &Model, days: &[u64]) -> String {
    let label = |d: u64| match model.calendar.start() {
        Some(_) => model.calendar.day_label(d),
        None => format!("{}", d + 1),
    };
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
            j += 1;
        }
        runs.push(if i == j {
            label(days[i])
        } else {
            format!("{} to {}", label(days[i]), label(days[j]))
        });
        i = j + 1;
    }
    let text = runs.join(", ");
    match (model.calendar.start(), days.len()) {
        (Some(_), _) => text,
        (None, 1) => format!("day {text}"),
        (None, _) => format!("days {text}"),
    }
}

/// The horizon as a planner reads it: `2026-11-30 to 2026-12-06` or `days 1 to 7`.
pub(super) fn horizon_text(model: &Model) -> String {
    let last = u64::from(model.days) - 1;
    match model.calendar.start() {
        Some(_) => format!(
            "{} to {}",
            model.calendar.day_label(0),
            model.calendar.day_label(last)
        ),
        None => format!("days 1 to {}", model.days),
    }
}

/// Streams the rows; returns the series per queue index (`None` = no row for that queue inside
/// the horizon) and the rows read.
fn read(csv: &mut CsvFile, model: &Model) -> Result<(Vec<Option<Series>>, Counts)> {
    let col = |name: &str| {
        csv.column(name).ok_or_else(|| {
            csv.header_err(format!(
                "no `{name}` column; a forecast needs interval_start, queue and volume (aht optional) (found: {})",
                csv.found()
            ))
        })
    };
    let (c_start, c_queue, c_volume) = (col("interval_start")?, col("queue")?, col("volume")?);
    let c_aht = csv.column("aht");
    let interval = model.interval_s;
    let max_volume = MAX_CALLS_PER_HOUR * interval / 3600.0;
    let horizon_intervals = model.interval_count() as usize;
    let mut series: Vec<Option<Series>> = (0..model.queues.len()).map(|_| None).collect();
    // With `start`, the calendar places every row; without it, the first row's Monday does.
    let mut offset: Option<f64> = model.calendar.start_epoch_s().map(|s| -s);
    let dated = offset.is_some();
    let dialect = csv.dialect;
    let mut row = csv::StringRecord::new();
    let mut n = Counts::default();
    while csv.next(&mut row)? {
        n.rows += 1;
        let cell = |c: usize| row.get(c).map(str::trim).unwrap_or("");
        let at = |c: usize, m: String| csv.err_at(&row, Some(c), m);
        let start_text = cell(c_start);
        let t = parse_timestamp(start_text).map_err(|e| at(c_start, e))?;
        let rel = t + *offset.get_or_insert_with(|| monday_offset(t));
        if rel < 0.0 && !dated {
            return Err(at(
                c_start,
                format!(
                    "`{start_text}` is before the week of the first row, which starts the horizon; put the earliest interval first"
                ),
            ));
        }
        let k = (rel / interval).round();
        if (k * interval - rel).abs() > 1e-6 {
            return Err(at(
                c_start,
                format!(
                    "`{start_text}` does not start a statistics interval ({}); interval starts must be aligned to it",
                    crate::time::format_duration(crate::time::Seconds(interval))
                ),
            ));
        }
        let name = cell(c_queue);
        let q = model
            .queues
            .iter()
            .position(|q| q.name == name)
            .ok_or_else(|| {
                let names = model.queues.iter().map(|q| format!("`{}`", q.name));
                at(
                    c_queue,
                    format!(
                        "unknown queue `{name}`; queues are {}",
                        names.collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
        let v_text = cell(c_volume);
        let range = || {
            format!(
                "must be a number of calls between 0 and {} (got `{v_text}`)",
                num(max_volume)
            )
        };
        let volume = match dialect.number(v_text) {
            Ok(v) if v.is_finite() && (0.0..=max_volume).contains(&v) => v,
            Ok(_) => return Err(at(c_volume, range())),
            Err(e) if e.ends_with("is not a number") => return Err(at(c_volume, range())),
            Err(e) => return Err(at(c_volume, e)),
        };
        let scale = match c_aht.map(cell).filter(|s| !s.is_empty()) {
            None => 1.0,
            Some(a) => {
                let c = c_aht.unwrap_or(0);
                let s = dialect.duration(a).map_err(|e| at(c, e))?.get();
                if !(s > 0.0 && s <= MAX_DURATION_S) {
                    return Err(at(
                        c,
                        format!("must be a positive duration of at most 365 days (got `{a}`)"),
                    ));
                }
                s / model.queues[q].handle_time.mean()
            }
        };
        if k < 0.0 {
            n.before += 1;
            continue;
        }
        let k = k as usize;
        if k >= horizon_intervals {
            n.after += 1;
            continue;
        }
        let s = series[q].get_or_insert_with(Series::default);
        if s.volume.len() <= k {
            s.volume.resize(k + 1, 0.0);
            s.aht_scale.resize(k + 1, 1.0);
            s.line.resize(k + 1, 0);
        }
        if s.line[k] != 0 {
            return Err(at(
                c_start,
                format!(
                    "a second row for queue `{name}` at `{start_text}` (the first is on line {})",
                    s.line[k]
                ),
            ));
        }
        s.volume[k] = volume;
        s.aht_scale[k] = scale;
        s.line[k] = csv_file::line_of(&row);
    }
    Ok((series, n))
}
