//! Writers for runs of several replications: tables of [`FoldedRow`]s (mean in each column's
//! place, then `<column>_sd` and `<column>_hw95` per metric), `replications.csv`, and the
//! terminal table and `--json` object with 95 % half-widths.

use std::io;
use std::path::Path;

use std::io::Write;

use super::{AtomicCsv, AtomicFile};
use crate::stats::cells::Cell;
use crate::stats::fold::{FoldedRow, Schema};
use crate::stats::replications::Acc;

/// A CSV file of folded rows, written atomically; the header is written with the first rows.
/// Rows may be encoded elsewhere (in parallel, [`FoldedCsv::encode`]) and written as bytes: the
/// bytes are the same either way.
pub struct FoldedCsv {
    file: AtomicFile,
    header: bool,
}

impl FoldedCsv {
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(FoldedCsv {
            file: AtomicFile::create(path)?,
            header: false,
        })
    }

    /// The CSV bytes of `rows` (no header).
    pub fn encode(schema: &Schema, rows: &[FoldedRow]) -> io::Result<Vec<u8>> {
        let mut e = RowEncoder::default();
        e.push(schema, rows)?;
        e.finish()
    }

    /// Writes rows encoded by [`FoldedCsv::encode`] (the header first, once).
    pub fn write_bytes(&mut self, schema: &Schema, bytes: &[u8]) -> io::Result<()> {
        if !self.header {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.serialize(schema.header()).map_err(io::Error::other)?;
            let head = w
                .into_inner()
                .map_err(|e| io::Error::other(e.to_string()))?;
            self.file.write_all(&head)?;
            self.header = true;
        }
        self.file.write_all(bytes)
    }

    pub fn write(&mut self, schema: &Schema, rows: &[FoldedRow]) -> io::Result<()> {
        let bytes = Self::encode(schema, rows)?;
        self.write_bytes(schema, &bytes)
    }

    pub fn commit(self) -> io::Result<()> {
        self.file.commit()
    }
}

/// Encodes folded rows as CSV bytes, cell by cell: the bytes of serializing
/// [`FoldedRow::render`] through [`super::numbers::Rounded::csv`] (a test holds them equal),
/// without building the row's cells or a string per figure — a year of replicated intervals is
/// tens of millions of cells, encoded in parallel by the replication workers.
pub struct RowEncoder {
    w: csv::Writer<Vec<u8>>,
    /// The text of the figure being written (reused).
    text: String,
}

impl Default for RowEncoder {
    fn default() -> Self {
        RowEncoder {
            w: csv::Writer::from_writer(Vec::new()),
            text: String::new(),
        }
    }
}

impl RowEncoder {
    /// Appends `rows` (no header).
    pub fn push(&mut self, schema: &Schema, rows: &[FoldedRow]) -> io::Result<()> {
        for r in rows {
            let mut keys = r.keys.iter();
            let mut accs = r.accs.iter();
            for &k in &schema.is_key {
                if k {
                    match keys.next() {
                        Some(Cell::Text(t)) => self.w.write_field(t)?,
                        Some(Cell::Int(i)) => {
                            self.text.clear();
                            std::fmt::Write::write_fmt(&mut self.text, format_args!("{i}"))
                                .expect("writing to a String");
                            self.w.write_field(&self.text)?;
                        }
                        Some(Cell::Num(x)) => self.figure(*x)?,
                        None => self.figure(None)?,
                    }
                } else {
                    self.figure(accs.next().and_then(Acc::mean))?;
                }
            }
            for a in &r.accs {
                let (sd, hw) = a.sd_hw95();
                self.figure(sd)?;
                self.figure(hw)?;
            }
            self.w.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }

    /// One figure as [`super::numbers::Rounded`] writes it: empty, a whole number, or the
    /// tidied figure's shortest decimal text.
    fn figure(&mut self, x: Option<f64>) -> io::Result<()> {
        use super::numbers::{Tidy, tidy};
        use std::fmt::Write as _;
        self.text.clear();
        match x.map(tidy) {
            None => {}
            Some(Tidy::Int(i)) => write!(self.text, "{i}").expect("writing to a String"),
            Some(Tidy::Float(r) | Tidy::NonFinite(r)) => {
                write!(self.text, "{r}").expect("writing to a String")
            }
        }
        self.w.write_field(&self.text).map_err(io::Error::from)
    }

    /// The bytes encoded so far.
    pub fn finish(self) -> io::Result<Vec<u8>> {
        self.w
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))
    }
}

/// Writes `replications.csv`: `replication`, then the summary columns, one row per replication
/// × queue (and `all`).
pub fn write_replications(
    path: &Path,
    schema: &Schema,
    rows: &[(u64, Vec<Vec<Cell>>)],
) -> io::Result<()> {
    let mut csv = AtomicCsv::create(path)?;
    let mut header = vec![Cell::Text("replication".into())];
    header.extend(schema.names.iter().map(|n| Cell::Text(n.clone())));
    csv.write(&header)?;
    for (rep, cells) in rows {
        for row in cells {
            // The replication number is an integer: written as text so it has no `.0`.
            let mut out = vec![Cell::Text(rep.to_string())];
            out.extend(row.iter().cloned());
            csv.write(&out)?;
        }
    }
    csv.commit()
}

/// The mean and 95 % half-width of column `name` in a folded row (`None`s when absent).
pub(super) fn get(schema: &Schema, row: &FoldedRow, name: &str) -> (Option<f64>, Option<f64>) {
    row.acc(schema, name)
        .map_or((None, None), |a| (a.mean(), a.hw95()))
}

/// The row's queue (its first text key).
pub(super) fn key_text(row: &FoldedRow) -> String {
    row.keys
        .iter()
        .find_map(|k| match k {
            Cell::Text(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// How the terminal tables show a metric: `(scale, unit, decimals)`. Shares (`service_level`,
/// `*_rate`, `*_share`, `occupancy`, `p_wait`, `sl_of_*`) as percentages with one decimal,
/// seconds (`*_s`) with one decimal and `s`, call counts whole, other figures with one decimal.
pub fn metric_style(metric: &str) -> (f64, &'static str, usize) {
    let share = matches!(metric, "service_level" | "occupancy" | "p_wait")
        || metric.starts_with("sl_of_")
        || metric.ends_with("_rate")
        || metric.ends_with("_share");
    if share {
        (100.0, "%", 1)
    } else if metric.ends_with("_s") {
        (1.0, "s", 1)
    } else if metric.ends_with("_h") {
        // Seconds shown as hours (the overnight callback delay).
        (1.0 / 3600.0, "h", 1)
    } else if matches!(
        metric,
        "offered"
            | "answered"
            | "abandoned"
            | "blocked"
            | "closed"
            | "disconnected"
            | "self_served"
    ) {
        (1.0, "", 0)
    } else {
        (1.0, "", 1)
    }
}

/// `mean ± hw` of `metric` as the terminal table writes it (`87.2% ± 0.3`, `14.1s ± 0.8`);
/// a difference of shares is in percentage points (`+1.2 pp ± 0.4`). `–` without a mean. An
/// interval leaving the metric's range is shown clipped (`37.5% [0–100]`,
/// [`clipped_interval`]).
pub fn metric_pm(metric: &str, mean: Option<f64>, hw: Option<f64>, difference: bool) -> String {
    let (scale, unit, d) = metric_style(metric);
    let unit = if difference && unit == "%" {
        " pp"
    } else {
        unit
    };
    match mean {
        None => "–".to_string(),
        Some(value) => {
            let m = if difference {
                format!("{:+.d$}{unit}", value * scale)
            } else {
                format!("{:.d$}{unit}", value * scale)
            };
            match hw {
                Some(h) if difference => format!("{m} ± {:.d$}", h * scale),
                // Half-widths beyond the metric's range are shown as the clipped interval.
                Some(h) => pm_within_range(&m, value, h, metric, scale, d),
                None => m,
            }
        }
    }
}

/// Whether `metric` is a share (0–1, shown in %): the rule of [`metric_style`].
pub fn is_share(metric: &str) -> bool {
    metric_style(metric).1 == "%"
}

/// The 95 % interval `mean ± hw` clipped to the values `metric` can take — shares 0–1, every
/// other figure of the tables (counts, seconds, agents) ≥ 0 — when it leaves them; `None`
/// when it stays inside (then `mean ± hw` is shown as it is).
///
/// Why: with few replications of a cell with few calls the half-width can exceed the
/// quantity's whole range (`37.5 % ± 76.2`, service level "between −38.7 % and 113.7 %"),
/// which reads as precision it does not have. The clipped interval (`37.5 % [0–100]`) says the
/// same honestly: the replications could not pin the value down. A differences' interval
/// (`compare`'s Δ) has no such bound and keeps its `±`.
pub fn clipped_interval(metric: &str, mean: f64, hw: f64) -> Option<(f64, f64)> {
    const SLACK: f64 = 1e-9;
    let top = if is_share(metric) { 1.0 } else { f64::INFINITY };
    let (lo, hi) = (mean - hw, mean + hw);
    (lo < -SLACK || hi > top + SLACK).then(|| (lo.max(0.0), hi.min(top)))
}

/// `mean ± hw` in a table cell, or `mean [lo–hi]` when the interval leaves the metric's range
/// ([`clipped_interval`]); `m` is the mean already formatted with its unit, `scale` and `d`
/// the unit's scale and decimals. A bound on the range's edge is written whole (`0`, `100`).
pub fn pm_within_range(m: &str, mean: f64, hw: f64, metric: &str, scale: f64, d: usize) -> String {
    match clipped_interval(metric, mean, hw) {
        None => format!("{m} ± {:.d$}", hw * scale),
        Some((lo, hi)) => {
            let bound = |v: f64| {
                if v == 0.0 || (is_share(metric) && v == 1.0) {
                    format!("{:.0}", v * scale)
                } else {
                    format!("{:.d$}", v * scale)
                }
            };
            format!("{m} [{}–{}]", bound(lo), bound(hi))
        }
    }
}

/// The terminal table: per queue the mean offered calls and SL, ASA, abandonment and occupancy
/// as mean ± 95 % half-width over the replications, then the blocked, closed and disconnected
/// calls when the run has any (`table::unreached_footnote`).
pub fn summary_table(schema: &Schema, rows: &[FoldedRow], thresholds: &[f64]) -> String {
    // One rule with `compare`'s Markdown table: [`metric_pm`].
    let pm = |(m, h): (Option<f64>, Option<f64>), metric: &str| metric_pm(metric, m, h, false);
    let head = ["queue", "offered", "SL", "ASA", "abandoned", "occupancy"];
    let mut lines: Vec<[String; 6]> = vec![head.map(String::from)];
    for (i, r) in rows.iter().enumerate() {
        let sl = pm(get(schema, r, "service_level"), "service_level");
        let sl = match thresholds.get(i) {
            Some(t) => format!("{sl} in {t}s"),
            None => sl,
        };
        lines.push([
            key_text(r),
            pm(get(schema, r, "offered"), "offered"),
            sl,
            pm(get(schema, r, "asa_s"), "asa_s"),
            pm(get(schema, r, "abandon_rate"), "abandon_rate"),
            pm(get(schema, r, "occupancy"), "occupancy"),
        ]);
    }
    let mut out = super::aligned(&lines);
    // Blocked, closed and disconnected calls as in the single-run table: mean counts ± 95 % half-width, shares
    // of the mean offered.
    let never = rows.iter().map(|r| {
        let n = |m: &str| {
            let (mean, hw) = get(schema, r, m);
            (mean.unwrap_or(0.0), pm((mean, hw), "offered"))
        };
        (
            key_text(r),
            get(schema, r, "offered").0.unwrap_or(0.0),
            [n("blocked"), n("closed"), n("disconnected")],
        )
    });
    out.push_str(&super::table::unreached_footnote(never));
    out
}

/// The `--json` object of a replicated run, shaped as the single-run object: run facts (with
/// `replications`), the `all` row's columns at the top level and one object per queue under
/// `queues`; every metric as the mean, plus `<metric>_sd` and `<metric>_hw95`, each rounded
/// as in `summary.csv` (whole numbers as integers, other figures to 6 significant digits).
pub fn summary_json(
    facts: serde_json::Map<String, serde_json::Value>,
    schema: &Schema,
    rows: &[FoldedRow],
) -> Result<String, serde_json::Error> {
    let object =
        |r: &FoldedRow| -> Result<serde_json::Map<String, serde_json::Value>, serde_json::Error> {
            let mut m = serde_json::Map::new();
            for (name, cell) in schema.header().into_iter().zip(r.render(schema)) {
                if name != "queue" {
                    // The number rule of every output: the same figures as summary.csv.
                    m.insert(
                        name,
                        serde_json::to_value(super::numbers::Rounded::json(&cell))?,
                    );
                }
            }
            Ok(m)
        };
    let mut top = facts;
    let mut queues = serde_json::Map::new();
    for r in rows {
        let name = key_text(r);
        if name == "all" {
            top.extend(object(r)?);
        } else {
            queues.insert(name, serde_json::Value::Object(object(r)?));
        }
    }
    top.insert("queues".into(), serde_json::Value::Object(queues));
    serde_json::to_string_pretty(&serde_json::Value::Object(top))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fold::KEY_COLUMNS;

    #[test]
    fn a_half_width_beyond_a_shares_range_is_shown_as_the_clipped_interval() {
        let sl = |m, h| metric_pm("service_level", Some(m), Some(h), false);
        assert_eq!(sl(0.375, 0.762), "37.5% [0–100]");
        assert_eq!(sl(0.95, 0.08), "95.0% [87.0–100]");
        assert_eq!(sl(0.05, 0.08), "5.0% [0–13.0]");
        assert_eq!(sl(0.872, 0.003), "87.2% ± 0.3");
        assert_eq!(sl(1.0, 0.0), "100.0% ± 0.0");
        // Seconds and counts cannot be negative.
        assert_eq!(
            metric_pm("asa_s", Some(3.2), Some(5.9), false),
            "3.2s [0–9.1]"
        );
        assert_eq!(
            metric_pm("asa_s", Some(14.1), Some(0.8), false),
            "14.1s ± 0.8"
        );
        // A difference has no bound.
        assert_eq!(
            metric_pm("service_level", Some(-0.3), Some(0.9), true),
            "-30.0 pp ± 90.0"
        );
    }

    /// The serde path the encoder replaces: render the row, serialize it through `Rounded`.
    fn by_serde(schema: &Schema, rows: &[FoldedRow]) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in rows {
            w.serialize(super::super::numbers::Rounded::csv(&r.render(schema)))
                .unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn the_encoder_writes_the_bytes_of_rendering_and_serializing() {
        assert!(KEY_COLUMNS.contains(&"interval_start_s"));
        let schema = Schema {
            names: ["queue", "interval_start_s", "wait_from_s", "a", "b", "c"]
                .map(String::from)
                .to_vec(),
            is_key: vec![true, true, true, false, false, false],
        };
        // Awkward figures: ties, tiny and huge magnitudes, whole numbers after rounding,
        // negatives, values needing quotes in their keys, empty metrics.
        let values = [
            0.1 + 0.2,
            11049.999999999984,
            1.2345678e-7,
            1e-300,
            123456789012.5,
            -0.000012345649,
            2.5,
            1e22,
            -7.0,
            0.903388,
            f64::INFINITY,
        ];
        let mut rows = Vec::new();
        for (i, w) in values.windows(3).enumerate() {
            let keys = vec![
                Cell::Text(["cards", "a, \"quoted\" line", "", "déjà vu"][i % 4].into()),
                Cell::Num(Some(w[0])),
                if i % 2 == 0 {
                    Cell::Int(i as i64 - 3)
                } else {
                    Cell::Num(None)
                },
            ];
            let mut row = FoldedRow::with_keys(keys, 3);
            for (k, acc) in row.accs.iter_mut().enumerate() {
                // Metric k of row i: 0, 1 or several replications (no sd, sd, sd 0).
                for r in 0..(i + k) % 4 {
                    acc.add(w[(k + r) % 3] * (1.0 + r as f64 / 3.0));
                }
            }
            rows.push(row);
        }
        let mut e = RowEncoder::default();
        e.push(&schema, &rows[..3]).unwrap();
        e.push(&schema, &rows[3..]).unwrap();
        let bytes = e.finish().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            String::from_utf8(by_serde(&schema, &rows)).unwrap()
        );
    }
}
