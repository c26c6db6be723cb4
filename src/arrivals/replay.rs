//! Replayed call logs: calls exactly as recorded, streamed from a CSV file (never loaded whole).
//!
//! # Columns (header row required; other columns are ignored, as WFM exports carry many)
//! - `arrived_at` (required): seconds since the start of the horizon (`3600.5`) or a local date
//!   and time `YYYY-MM-DD HH:MM[:SS]` (also with `T`). Dated logs are placed on the calendar of
//!   `[scenario] start`, or without it so that the Monday 00:00 of the first call's week is
//!   time 0. Rows must be in time order.
//!
//! The file is read through `crate::csv_input` (separator sniffed, CRLF, BOM, decimal commas),
//! the same reader as forecasts.
//! - `queue` (optional): the queue the call went to; the caller skips the IVR. Empty = walk the
//!   IVR as a generated caller would.
//! - `ivr_path` (optional): the keys the caller pressed, from the IVR's start node, separated
//!   by `>` (`1>2`, `0`). The path must end where the tree ends (a queue, self-service or a
//!   hang-up); the time at each menu is drawn from its duration. With `queue` given too, the
//!   path must end in that queue.
//! - `handle_time` (optional): talk time as recorded (a duration); empty = drawn.
//! - `patience` (optional): how long the caller was willing to wait (for an abandoned call, the
//!   time to abandon); empty = drawn.

use super::{Arrival, ArrivalSource, Entry};
use crate::csv_input::{self, Dialect};
use crate::ivr::IvrEnd;
use crate::random::{Purpose, StreamKey};
use crate::scenario::{IvrTarget, Model, NodeId, QueueId, Replay};
use crate::time::parse_timestamp;

/// Column positions of a replay file.
#[derive(Debug, Clone, Default)]
pub struct ReplayColumns {
    arrived_at: usize,
    queue: Option<usize>,
    ivr_path: Option<usize>,
    handle_time: Option<usize>,
    patience: Option<usize>,
    /// How the file writes numbers.
    dialect: Dialect,
}

impl ReplayColumns {
    /// Finds the columns by name; `arrived_at` is required. Numbers are read as `dialect` writes
    /// them.
    pub fn from_headers(h: &csv::StringRecord, dialect: Dialect) -> Result<Self, String> {
        let find = |name: &str| h.iter().position(|c| c.trim().eq_ignore_ascii_case(name));
        Ok(ReplayColumns {
            arrived_at: find("arrived_at").ok_or_else(|| {
                format!(
                    "no `arrived_at` column (found: {})",
                    h.iter().collect::<Vec<_>>().join(", ")
                )
            })?,
            queue: find("queue"),
            ivr_path: find("ivr_path"),
            handle_time: find("handle_time"),
            patience: find("patience"),
            dialect,
        })
    }
}

/// One replayed call as read from the log (time not yet offset).
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayRecord {
    /// Seconds: since the horizon start, or since 1970-01-01 00:00 for dated logs.
    pub at: f64,
    /// True when `at` came from a date.
    pub dated: bool,
    pub queue: Option<QueueId>,
    /// The recorded IVR path as the nodes visited and where it ended.
    pub ivr_path: Option<RecordedPath>,
    pub handle_s: Option<f64>,
    pub patience_s: Option<f64>,
}

/// A recorded walk through the IVR: the nodes visited, in order, and where it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedPath {
    pub nodes: Vec<NodeId>,
    pub end: IvrEnd,
}

/// Follows the pressed keys from the IVR's start node.
fn resolve_path(model: &Model, text: &str) -> Result<RecordedPath, String> {
    let ivr = model
        .ivr
        .as_ref()
        .ok_or("`ivr_path` needs an [ivr] in the scenario")?;
    let mut node = ivr.start;
    let mut nodes = Vec::new();
    let keys: Vec<&str> = text.split('>').map(str::trim).collect();
    for (i, key) in keys.iter().enumerate() {
        let n = &ivr.nodes[node.0 as usize];
        nodes.push(node);
        let opt = n.options.iter().find(|o| o.key == *key).ok_or_else(|| {
            let known: Vec<&str> = n
                .options
                .iter()
                .map(|o| o.key.as_str())
                .filter(|k| !k.is_empty())
                .collect();
            format!(
                "`ivr_path`: menu `{}` has no option `{key}` (options: {})",
                n.name,
                known.join(", ")
            )
        })?;
        let last = i + 1 == keys.len();
        let end = match opt.target {
            IvrTarget::Node(next) if !last => {
                node = next;
                continue;
            }
            IvrTarget::Node(_) => {
                return Err(format!(
                    "`ivr_path` `{text}` stops at a menu; give the keys to its end"
                ));
            }
            IvrTarget::Queue(q) => IvrEnd::Queue(q),
            IvrTarget::SelfService => IvrEnd::SelfService,
            IvrTarget::HangUp => IvrEnd::HangUp,
        };
        if !last {
            return Err(format!(
                "`ivr_path` `{text}` goes on after the call left the IVR at key `{key}`"
            ));
        }
        return Ok(RecordedPath { nodes, end });
    }
    Err("`ivr_path` is empty".into())
}

/// Parses one row. Errors name the column and say what was expected.
pub fn read_replay_record(
    cols: &ReplayColumns,
    row: &csv::StringRecord,
    model: &Model,
) -> Result<ReplayRecord, String> {
    let cell = |i: Option<usize>| {
        i.and_then(|i| row.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let raw_at = cell(Some(cols.arrived_at)).ok_or("`arrived_at` is empty")?;
    // A date starts with a four-digit year and a dash; anything else is seconds.
    let looks_dated = raw_at.len() >= 10 && raw_at.as_bytes().get(4) == Some(&b'-');
    let (at, dated) = if looks_dated {
        (
            parse_timestamp(raw_at).map_err(|e| format!("`arrived_at`: {e}"))?,
            true,
        )
    } else {
        match cols.dialect.number(raw_at) {
            Ok(v) if v.is_finite() && v >= 0.0 => (v, false),
            Ok(_) => {
                return Err(format!(
                    "`arrived_at` must be zero or positive (got {raw_at})"
                ));
            }
            Err(e) => {
                return Err(format!(
                    "`arrived_at`: {e}; write seconds since the start of the horizon or `YYYY-MM-DD HH:MM[:SS]`"
                ));
            }
        }
    };
    let queue = match cell(cols.queue) {
        None => None,
        Some(name) => Some(QueueId(
            model
                .queues
                .iter()
                .position(|q| q.name == name)
                .ok_or_else(|| format!("`queue`: no queue named `{name}` in the scenario"))?
                as u32,
        )),
    };
    let duration = |col: Option<usize>, name: &str| -> Result<Option<f64>, String> {
        match cell(col) {
            None => Ok(None),
            Some(v) => {
                let s = cols
                    .dialect
                    .duration(v)
                    .map_err(|e| format!("`{name}`: {e}"))?
                    .0;
                if s < 0.0 {
                    return Err(format!("`{name}` must not be negative"));
                }
                Ok(Some(s))
            }
        }
    };
    let ivr_path = match cell(cols.ivr_path) {
        None => None,
        Some(text) => {
            let path = resolve_path(model, text)?;
            if let (Some(q), IvrEnd::Queue(end)) = (queue, path.end) {
                if q != end {
                    return Err(format!(
                        "`ivr_path` `{text}` ends in queue `{}`, but `queue` says `{}`",
                        model.queues[end.0 as usize].name, model.queues[q.0 as usize].name
                    ));
                }
            }
            Some(path)
        }
    };
    Ok(ReplayRecord {
        at,
        dated,
        queue,
        ivr_path,
        handle_s: duration(cols.handle_time, "handle_time")?,
        patience_s: duration(cols.patience, "patience")?,
    })
}

/// Calls from a replayed log, streamed.
#[derive(Debug)]
pub struct ReplayArrivals {
    reader: csv_input::Reader,
    cols: ReplayColumns,
    row: csv::StringRecord,
    model: Model,
    offset: f64,
    horizon: f64,
    /// Draws the menu times of recorded IVR paths (one stream per log row).
    key: StreamKey,
    row_number: u64,
}

impl ReplayArrivals {
    /// Opens the log (validated when the scenario was loaded).
    pub fn open(r: &Replay, model: &Model, horizon: f64, key: StreamKey) -> std::io::Result<Self> {
        let (mut reader, dialect) = csv_input::open(&r.path)?;
        let headers = reader.headers().map_err(std::io::Error::other)?.clone();
        let cols = ReplayColumns::from_headers(&headers, dialect).map_err(std::io::Error::other)?;
        let mut light = model.clone();
        light.extras = Default::default();
        Ok(ReplayArrivals {
            reader,
            cols,
            row: csv::StringRecord::new(),
            model: light,
            offset: r.offset_s,
            horizon,
            key,
            row_number: 0,
        })
    }
}

impl ArrivalSource for ReplayArrivals {
    fn next_arrival(&mut self) -> Option<Arrival> {
        loop {
            match self.reader.read_record(&mut self.row) {
                Ok(true) => {}
                _ => return None,
            }
            let Ok(rec) = read_replay_record(&self.cols, &self.row, &self.model) else {
                return None;
            };
            self.row_number += 1;
            let at = if rec.dated {
                rec.at + self.offset
            } else {
                rec.at
            };
            if at < 0.0 {
                continue;
            }
            if at >= self.horizon {
                return None;
            }
            let entry = rec.queue.map_or(Entry::Default, Entry::Queue);
            let ivr = rec.ivr_path.map(|p| {
                let ivr = self
                    .model
                    .ivr
                    .as_ref()
                    .expect("a resolved path implies an IVR");
                let mut rng = self
                    .key
                    .caller_streams(u64::MAX - self.row_number)
                    .stream(Purpose::Ivr);
                let spent = p
                    .nodes
                    .iter()
                    .map(|n| ivr.nodes[n.0 as usize].duration.sample(&mut rng))
                    .sum();
                (spent, p.end)
            });
            return Some(Arrival {
                handle_s: rec.handle_s,
                patience_s: rec.patience_s,
                ivr,
                ..Arrival::at(at, if ivr.is_some() { Entry::Default } else { entry })
            });
        }
    }
}
