//! `[[arrivals.forecast]]`: interval forecasts per queue imported from a CSV file (a WFM
//! export), checked row by row and turned into one [`QueueForecast`] per queue present.
//!
//! # Columns (header row required; other columns are ignored)
//! - `interval_start`: `YYYY-MM-DD HH:MM`, on a statistics-interval boundary. The Monday 00:00
//!   of the first row's week is time 0 of the horizon; rows may come in any order.
//! - `queue`: a queue of the scenario.
//! - `volume`: calls offered in that interval, ≥ 0.
//! - `aht` (optional): handle-time mean in that interval (a duration or seconds), > 0; it
//!   scales the queue's `handle_time` so its mean matches. Empty = the queue's own mean.
//!
//! Intervals a queue's rows leave out have no forecast calls; rows at or after the horizon are
//! read and checked but not used.

use toml::Spanned;

use super::csv_file::{self, CsvFile};
use super::{Ctx, MAX_CALLS_PER_HOUR, MAX_DURATION_S, Result, num};
use crate::arrivals::{monday_offset, parse_timestamp};
use crate::scenario::model::{ArrivalProfile, Model, QueueForecast, QueueId};
use crate::scenario::raw::RawForecast;
use crate::time::parse_duration;

/// Everything read for one queue: per statistics interval from time 0.
#[derive(Default)]
struct Series {
    volume: Vec<f64>,
    aht_scale: Vec<f64>,
    /// CSV line of the row that gave each interval (0 = none), for duplicate rows.
    line: Vec<u64>,
}

/// Reads every forecast file; one `QueueForecast` per (file, queue present in it).
pub(super) fn forecasts(
    ctx: &Ctx,
    raw: &[Spanned<RawForecast>],
    model: &Model,
) -> Result<Vec<QueueForecast>> {
    let mut out = Vec::new();
    for (i, f) in raw.iter().enumerate() {
        let field = format!("arrivals.forecast[{i}].file");
        let file = &f.get_ref().file;
        let mut csv = csv_file::open(ctx, &model.source, file, &field)?;
        let (series, rows) = read(&mut csv, model)?;
        if rows == 0 {
            return Err(ctx.err(file.span(), field, "the forecast file has no rows"));
        }
        let with_aht = csv.column("aht").is_some();
        for (q, s) in series.into_iter().enumerate() {
            let Some(s) = s else { continue };
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
    Ok(out)
}

/// Streams the rows; returns the series per queue index (`None` = no row for that queue inside
/// the horizon) and the number of rows read.
fn read(csv: &mut CsvFile, model: &Model) -> Result<(Vec<Option<Series>>, u64)> {
    let col = |name: &str| {
        csv.column(name).ok_or_else(|| {
            csv.header_err(format!(
                "no `{name}` column; a forecast needs interval_start, queue and volume (aht optional) (found: {})",
                csv.headers.iter().collect::<Vec<_>>().join(", ")
            ))
        })
    };
    let (c_start, c_queue, c_volume) = (col("interval_start")?, col("queue")?, col("volume")?);
    let c_aht = csv.column("aht");
    let interval = model.interval_s;
    let max_volume = MAX_CALLS_PER_HOUR * interval / 3600.0;
    let horizon_intervals = model.interval_count() as usize;
    let mut series: Vec<Option<Series>> = (0..model.queues.len()).map(|_| None).collect();
    let mut offset: Option<f64> = None;
    let mut row = csv::StringRecord::new();
    let mut rows = 0u64;
    while csv.next(&mut row)? {
        rows += 1;
        let cell = |c: usize| row.get(c).map(str::trim).unwrap_or("");
        let at = |c: usize, m: String| csv.err_at(&row, Some(c), m);
        let start_text = cell(c_start);
        let t = parse_timestamp(start_text).map_err(|e| at(c_start, e))?;
        let rel = t + *offset.get_or_insert_with(|| monday_offset(t));
        if rel < 0.0 {
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
        let volume = v_text
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && (0.0..=max_volume).contains(v))
            .ok_or_else(|| {
                at(
                    c_volume,
                    format!(
                        "must be a number of calls between 0 and {} (got `{v_text}`)",
                        num(max_volume)
                    ),
                )
            })?;
        let scale = match c_aht.map(cell).filter(|s| !s.is_empty()) {
            None => 1.0,
            Some(a) => {
                let c = c_aht.unwrap_or(0);
                let s = parse_duration(a).map_err(|e| at(c, e))?.get();
                if !(s > 0.0 && s <= MAX_DURATION_S) {
                    return Err(at(
                        c,
                        format!("must be a positive duration of at most 365 days (got `{a}`)"),
                    ));
                }
                s / model.queues[q].handle_time.mean()
            }
        };
        let k = k as usize;
        if k >= horizon_intervals {
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
    Ok((series, rows))
}
