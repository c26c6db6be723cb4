//! `[arrivals] replay`: a call log replayed as recorded. The whole file is checked once when
//! the scenario is loaded, streaming (never held in memory), with the very parser the engine
//! uses (`arrivals::read_replay_record`), so a log that loads also replays. See
//! `src/arrivals/replay.rs` for its columns.

use toml::Spanned;

use super::csv_file;
use super::forecast::horizon_text;
use super::{Ctx, Result};
use crate::arrivals::{ReplayColumns, read_replay_record};
use crate::scenario::model::{Model, Replay};
use crate::scenario::raw::RawArrivals;
use crate::time::monday_offset;

/// The replay of `[arrivals]`, if any, with its offset: from `[scenario] start` for a dated
/// log, else from the first call's Monday. Calls outside the horizon add a line to `notes`; a
/// log with no call inside it is an error.
pub(super) fn replay(
    ctx: &Ctx,
    raw: &RawArrivals,
    model: &Model,
    notes: &mut Vec<String>,
) -> Result<Option<Replay>> {
    let replace_generated = match &raw.replay_mode {
        None => true,
        Some(m) => {
            if raw.replay.is_none() {
                return Err(ctx.err(
                    m.span(),
                    "arrivals.replay_mode",
                    "says how to replay a call log, but there is no `replay = \"<file.csv>\"`",
                ));
            }
            mode(ctx, m)?
        }
    };
    let Some(file) = &raw.replay else {
        return Ok(None);
    };
    let mut csv = csv_file::open(ctx, &model.source, file, "arrivals.replay")?;
    let cols = ReplayColumns::from_headers(&csv.headers, csv.dialect).map_err(|m| {
        csv.header_err(if m.starts_with("no `arrived_at` column") {
            format!("no `arrived_at` column (found: {})", csv.found())
        } else {
            m
        })
    })?;
    let mut row = csv::StringRecord::new();
    // (time, dated) of the first row; (time, line) of the previous row.
    let mut first: Option<(f64, bool)> = None;
    let mut previous: Option<(f64, u64)> = None;
    let calendar_offset = model.calendar.start_epoch_s().map(|s| -s);
    let horizon = model.horizon_s();
    let (mut rows, mut before, mut after) = (0u64, 0u64, 0u64);
    while csv.next(&mut row)? {
        let rec = read_replay_record(&cols, &row, model).map_err(|m| {
            let cell = named_column(&m).and_then(|c| csv.column(c));
            csv.err_at(&row, cell, m)
        })?;
        let at_cell = csv.column("arrived_at");
        let (_, dated) = *first.get_or_insert((rec.at, rec.dated));
        if rec.dated != dated {
            let kinds = |d: bool| if d { "dates" } else { "seconds" };
            return Err(csv.err_at(
                &row,
                at_cell,
                format!(
                    "this row gives {} but the first row gives {}; write every `arrived_at` the same way",
                    kinds(rec.dated),
                    kinds(dated)
                ),
            ));
        }
        if let Some((t, line)) = previous
            && rec.at < t
        {
            return Err(csv.err_at(
                &row,
                at_cell,
                format!("goes back in time: earlier than the row on line {line}; sort the log by `arrived_at`"),
            ));
        }
        previous = Some((rec.at, csv_file::line_of(&row)));
        let (t0, _) = first.unwrap_or((rec.at, dated));
        let offset = match (dated, calendar_offset) {
            (false, _) => 0.0,
            (true, Some(o)) => o,
            (true, None) => monday_offset(t0),
        };
        rows += 1;
        let t = rec.at + offset;
        if t < 0.0 {
            before += 1;
        } else if t >= horizon {
            after += 1;
        }
    }
    let Some((t0, dated)) = first else {
        return Err(ctx.err(file.span(), "arrivals.replay", "the call log has no rows"));
    };
    if before + after == rows {
        return Err(ctx.err(
            file.span(),
            "arrivals.replay",
            format!(
                "none of the log's {rows} calls falls inside the horizon ({}); check `start` in [scenario] and the log's times",
                horizon_text(model)
            ),
        ));
    }
    if before + after > 0 {
        notes.push(format!(
            "{}: {} of {rows} logged calls are outside the horizon ({}) and not replayed: {before} before its start, {after} after its end",
            csv.path.display(),
            before + after,
            horizon_text(model),
        ));
    }
    let offset_s = match (dated, calendar_offset) {
        (false, _) => 0.0,
        (true, Some(o)) => o,
        (true, None) => monday_offset(t0),
    };
    Ok(Some(Replay {
        path: csv.path,
        offset_s,
        replace_generated,
    }))
}

fn mode(ctx: &Ctx, raw: &Spanned<String>) -> Result<bool> {
    match raw.get_ref().trim() {
        "replace" => Ok(true),
        "add" => Ok(false),
        other => Err(ctx.err(
            raw.span(),
            "arrivals.replay_mode",
            format!(
                "unknown mode `{other}`; expected \"replace\" (the log replaces generated calls) or \"add\" (it adds to them)"
            ),
        )),
    }
}

/// The column a replay message is about: its messages start with the column in backticks.
fn named_column(message: &str) -> Option<&str> {
    message.strip_prefix('`')?.split('`').next()
}
