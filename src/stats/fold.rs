//! Folding one output row (an interval × queue, a pool, a summary row) over replications: the
//! key cells that identify it and an [`Acc`] per numeric column, rendered as the mean in the
//! column's own place plus `<column>_sd` and `<column>_hw95` appended at the end.
//!
//! Keys are the text cells (queue, pool, `interval_start`) and [`KEY_COLUMNS`]; every other
//! numeric cell is a metric. A metric left empty in a replication (a ratio with no calls) is
//! left out of that row's statistics, so its mean is over the replications that define it.

use serde::{Deserialize, Serialize};

use super::cells::{Cell, Flat};
use super::replications::Acc;

/// Numeric columns that identify a row rather than measure it.
/// `priority` is a caller class's (`classes.csv`): a setting, the same in every replication.
pub const KEY_COLUMNS: &[&str] = &[
    "interval_start_s",
    "period_start_s",
    "wait_from_s",
    "wait_to_s",
    "priority",
];

/// The columns of one table and which of them are keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub names: Vec<String>,
    pub is_key: Vec<bool>,
}

impl Schema {
    /// The schema of rows like `first`.
    pub fn of(first: &Flat) -> Schema {
        Schema {
            names: first.names.iter().map(|n| n.to_string()).collect(),
            is_key: first
                .names
                .iter()
                .zip(&first.cells)
                .map(|(n, c)| matches!(c, Cell::Text(_)) || KEY_COLUMNS.contains(n))
                .collect(),
        }
    }

    /// The header over replications: every column, then `_sd` and `_hw95` per metric.
    pub fn header(&self) -> Vec<String> {
        let mut h = self.names.clone();
        for (n, _) in self.metrics() {
            h.push(format!("{n}_sd"));
            h.push(format!("{n}_hw95"));
        }
        h
    }

    /// Number of metric (non-key) columns.
    pub fn metric_count(&self) -> usize {
        self.is_key.iter().filter(|k| !**k).count()
    }

    fn metrics(&self) -> impl Iterator<Item = (&str, usize)> {
        self.names
            .iter()
            .zip(&self.is_key)
            .enumerate()
            .filter(|(_, (_, k))| !**k)
            .map(|(i, (n, _))| (n.as_str(), i))
    }
}

/// One output row over replications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldedRow {
    /// The key cells, in column order.
    pub keys: Vec<Cell>,
    /// One accumulator per metric column, in column order.
    pub accs: Vec<Acc>,
}

impl FoldedRow {
    /// An empty fold of rows with the keys of `cells`.
    pub fn new(schema: &Schema, cells: &[Cell]) -> FoldedRow {
        let keys = cells
            .iter()
            .zip(&schema.is_key)
            .filter(|(_, k)| **k)
            .map(|(c, _)| c.clone())
            .collect();
        let metrics = schema.is_key.iter().filter(|k| !**k).count();
        FoldedRow {
            keys,
            accs: vec![Acc::default(); metrics],
        }
    }

    /// An empty fold of rows with these key cells and `metrics` metric columns.
    pub fn with_keys(keys: Vec<Cell>, metrics: usize) -> FoldedRow {
        FoldedRow {
            keys,
            accs: vec![Acc::default(); metrics],
        }
    }

    /// Adds one replication's row.
    ///
    /// # Panics
    /// When a key cell differs from this row's: replications close the same rows in the same
    /// order, so this means a measured column is written as text (it would be taken as a key
    /// and never averaged) — a programming error the tests of every writer catch.
    pub fn add(&mut self, schema: &Schema, cells: &[Cell]) {
        let keys = cells.iter().zip(&schema.is_key).filter(|(_, k)| **k);
        for ((cell, _), (key, name)) in keys.zip(
            self.keys.iter().zip(
                schema
                    .names
                    .iter()
                    .zip(&schema.is_key)
                    .filter(|(_, k)| **k)
                    .map(|(n, _)| n),
            ),
        ) {
            assert!(
                cell == key,
                "column `{name}` differs between replications ({cell:?} vs {key:?}) but is \
                 a key: a measured column must serialise as a number"
            );
        }
        let metrics = cells.iter().zip(&schema.is_key).filter(|(_, k)| !**k);
        for (acc, (cell, _)) in self.accs.iter_mut().zip(metrics) {
            if let Some(x) = cell.number() {
                acc.add(x);
            }
        }
    }

    /// Adds the replications folded in `other` (a shard's); their keys must be equal.
    pub fn merge(&mut self, other: &FoldedRow) -> Result<(), String> {
        if self.keys != other.keys || self.accs.len() != other.accs.len() {
            return Err(format!("rows differ: {:?} and {:?}", self.keys, other.keys));
        }
        for (a, b) in self.accs.iter_mut().zip(&other.accs) {
            a.merge(b);
        }
        Ok(())
    }

    /// The output cells under [`Schema::header`]: keys, means, then sd and half-width pairs.
    pub fn render(&self, schema: &Schema) -> Vec<Cell> {
        let mut keys = self.keys.iter();
        let mut accs = self.accs.iter();
        let mut out = Vec::with_capacity(schema.names.len() + 2 * self.accs.len());
        for &k in &schema.is_key {
            out.push(if k {
                keys.next().cloned().unwrap_or(Cell::Num(None))
            } else {
                Cell::Num(accs.next().and_then(Acc::mean))
            });
        }
        for a in &self.accs {
            let (sd, hw) = a.sd_hw95();
            out.push(Cell::Num(sd));
            out.push(Cell::Num(hw));
        }
        out
    }

    /// The accumulator of metric column `name`, if it is one.
    pub fn acc(&self, schema: &Schema, name: &str) -> Option<&Acc> {
        let pos = schema.metrics().position(|(n, _)| n == name)?;
        self.accs.get(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::cells::flatten;

    #[derive(serde::Serialize)]
    struct Row {
        queue: &'static str,
        interval_start_s: f64,
        offered: u64,
        asa_s: Option<f64>,
    }

    #[test]
    fn rows_fold_to_mean_sd_and_half_width_columns() {
        let rows = [
            Row {
                queue: "cards",
                interval_start_s: 0.0,
                offered: 10,
                asa_s: Some(4.0),
            },
            Row {
                queue: "cards",
                interval_start_s: 0.0,
                offered: 14,
                asa_s: None,
            },
            Row {
                queue: "cards",
                interval_start_s: 0.0,
                offered: 12,
                asa_s: Some(6.0),
            },
        ];
        let flats: Vec<Flat> = rows.iter().map(flatten).collect();
        let schema = Schema::of(&flats[0]);
        assert_eq!(
            schema.header(),
            [
                "queue",
                "interval_start_s",
                "offered",
                "asa_s",
                "offered_sd",
                "offered_hw95",
                "asa_s_sd",
                "asa_s_hw95"
            ]
        );
        let mut f = FoldedRow::new(&schema, &flats[0].cells);
        flats.iter().for_each(|r| f.add(&schema, &r.cells));
        let out = f.render(&schema);
        assert_eq!(out[0], Cell::Text("cards".into()));
        assert_eq!(out[1], Cell::Num(Some(0.0)));
        // Counts become means, written as numbers.
        assert_eq!(out[2], Cell::Num(Some(12.0)));
        // asa_s: defined in 2 replications only.
        assert_eq!(out[3], Cell::Num(Some(5.0)));
        assert_eq!(out[4], Cell::Num(Some(2.0)));
        assert_eq!(out[6], Cell::Num(Some(2f64.sqrt())));
        assert_eq!(f.acc(&schema, "asa_s").map(|a| a.n), Some(2));
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;
    use crate::stats::cells::flatten;

    #[derive(serde::Serialize)]
    struct Row {
        queue: &'static str,
        /// A measured figure written as text (as a rounding formatter might): not a key.
        service_level: String,
    }

    #[test]
    #[should_panic(expected = "column `service_level` differs between replications")]
    fn a_measured_column_written_as_text_is_caught_not_averaged_silently() {
        let a = flatten(&Row {
            queue: "all",
            service_level: "0.81".into(),
        });
        let b = flatten(&Row {
            queue: "all",
            service_level: "0.79".into(),
        });
        let schema = Schema::of(&a);
        let mut f = FoldedRow::new(&schema, &a.cells);
        f.add(&schema, &a.cells);
        f.add(&schema, &b.cells);
    }
}
