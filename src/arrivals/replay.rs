//! Replayed call logs: calls exactly as recorded, streamed from a CSV file (never loaded whole).
//!
//! # Columns (header row required; other columns are ignored, as WFM exports carry many)
//! - `arrived_at` (required): seconds since the start of the horizon (`3600.5`) or a date and
//!   time `YYYY-MM-DD HH:MM[:SS]` (also with `T`). Dated logs are placed so that the Monday
//!   00:00 of the first call's week is time 0. Rows must be in time order.
//! - `queue` (optional): the queue the call went to; the caller skips the IVR. Empty = walk the
//!   IVR as a generated caller would.
//! - `ivr_path` (optional): the keys the caller pressed, from the IVR's start node, separated
//!   by `>` (`1>2`, `0`). The path must end where the tree ends (a queue, self-service or a
//!   hang-up); the time at each menu is drawn from its duration. With `queue` given too, the
//!   path must end in that queue.
//! - `handle_time` (optional): talk time as recorded (a duration); empty = drawn.
//! - `patience` (optional): how long the caller was willing to wait (for an abandoned call, the
//!   time to abandon); empty = drawn.

use std::fs::File;
use std::io::BufReader;

use super::{Arrival, ArrivalSource, Entry};
use crate::ivr::IvrEnd;
use crate::random::{Purpose, StreamKey};
use crate::scenario::{IvrTarget, Model, NodeId, QueueId, Replay};
use crate::time::{DAY, parse_duration};

/// Column positions of a replay file.
#[derive(Debug, Clone, Default)]
pub struct ReplayColumns {
    arrived_at: usize,
    queue: Option<usize>,
    ivr_path: Option<usize>,
    handle_time: Option<usize>,
    patience: Option<usize>,
}

impl ReplayColumns {
    /// Finds the columns by name; `arrived_at` is required.
    pub fn from_headers(h: &csv::StringRecord) -> Result<Self, String> {
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
    let (at, dated) = match raw_at.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => (v, false),
        Ok(_) => {
            return Err(format!(
                "`arrived_at` must be zero or positive (got {raw_at})"
            ));
        }
        Err(_) => (
            parse_timestamp(raw_at).map_err(|e| format!("`arrived_at`: {e}"))?,
            true,
        ),
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
                let s = parse_duration(v).map_err(|e| format!("`{name}`: {e}"))?.0;
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

/// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD HH:MM[:SS[.fff]]` (or with `T`) into seconds since 1970-01-01 00:00.
pub fn parse_timestamp(s: &str) -> Result<f64, String> {
    let bad = || format!("`{s}` is not a time; write seconds or `YYYY-MM-DD HH:MM[:SS]`");
    let (date, time) = s.split_once([' ', 'T']).ok_or_else(bad)?;
    let mut dp = date.split('-');
    let y: i64 = dp.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let m: u32 = dp.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let d: u32 = dp.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    if dp.next().is_some()
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
        || !(1900..=9999).contains(&y)
    {
        return Err(bad());
    }
    let mut tp = time.trim().split(':');
    let h: u32 = tp.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let mi: u32 = tp.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let sec: f64 = match tp.next() {
        Some(v) => v.parse().map_err(|_| bad())?,
        None => 0.0,
    };
    if tp.next().is_some() || h > 23 || mi > 59 || !(0.0..61.0).contains(&sec) {
        return Err(bad());
    }
    Ok(days_from_civil(y, m, d) as f64 * DAY + f64::from(h * 3600 + mi * 60) + sec)
}

/// The offset that puts the Monday 00:00 of a dated time's week at 0.
pub fn monday_offset(epoch_s: f64) -> f64 {
    let days = (epoch_s / DAY).floor() as i64;
    let weekday = (days + 3).rem_euclid(7); // 1970-01-01 was a Thursday (Monday = 0)
    -((days - weekday) as f64 * DAY)
}

/// Calls from a replayed log, streamed.
#[derive(Debug)]
pub struct ReplayArrivals {
    reader: csv::Reader<BufReader<File>>,
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
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(BufReader::new(File::open(&r.path)?));
        let headers = reader.headers().map_err(std::io::Error::other)?.clone();
        let cols = ReplayColumns::from_headers(&headers).map_err(std::io::Error::other)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_to_epoch_seconds() {
        assert_eq!(parse_timestamp("1970-01-01 00:00").unwrap(), 0.0);
        assert_eq!(
            parse_timestamp("2026-11-23 08:30:15").unwrap(),
            20_780.0 * DAY + 8.5 * 3600.0 + 15.0
        );
        assert!(parse_timestamp("2026-13-01 00:00").is_err());
        assert!(parse_timestamp("yesterday").is_err());
    }

    #[test]
    fn dated_logs_start_on_the_monday_of_their_first_week() {
        // 2026-11-25 is a Wednesday; its week's Monday is 2026-11-23.
        let wed = parse_timestamp("2026-11-25 10:00").unwrap();
        assert_eq!(wed + monday_offset(wed), 2.0 * DAY + 10.0 * 3600.0);
        let mon = parse_timestamp("2026-11-23 00:00").unwrap();
        assert_eq!(mon + monday_offset(mon), 0.0);
    }
}
