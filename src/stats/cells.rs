//! A row of any output record (`IntervalRow`, `PoolRow`, `SummaryRow`, …) as named cells: text
//! or number. Replications fold rows column by column without a hand-written list of metrics,
//! so a column added to a row type is averaged over replications with no change here.
//!
//! Flattening goes through `Serialize` (the same field names and order as the CSV header); only
//! flat structs of strings, integers, floats, booleans and `Option`s of those are supported.

use serde::ser::{self, Impossible, Serialize};

/// One cell of a row.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Cell {
    /// An integer (a count): kept apart so a replication's own row prints it as one.
    Int(i64),
    /// A number; `None` for an empty cell (a ratio with nothing to divide).
    Num(Option<f64>),
    Text(String),
}

/// Field names (the CSV header) and cells of a flat record, in declaration order.
#[derive(Debug, Clone, Default)]
pub struct Flat {
    pub names: Vec<&'static str>,
    pub cells: Vec<Cell>,
}

/// Flattens a record (a struct with scalar fields).
///
/// # Panics
/// On a nested or unsupported field type: the output records are fixed at compile time, so
/// this is a programming error caught by the tests of every writer, never bad input.
pub fn flatten<T: Serialize>(row: &T) -> Flat {
    let mut f = Flat::default();
    row.serialize(RowSer(&mut f))
        .expect("output rows are flat structs of scalars");
    f
}

/// Appends the metric cells of `row` to `out`, one `f64` per column where `is_key` is false
/// (an empty cell as NaN, which no metric ever is), and skips the key columns untouched.
///
/// Why: a replicated run folds every interval row of every replication; flattening them into
/// [`Cell`]s allocated the names, the cells and every key's text per row (a fifth of a
/// replicated run's CPU, and cross-thread frees). Keys are the same in every replication, so
/// only one replication needs them ([`flatten`]); the others hand over numbers only.
///
/// # Panics
/// When a metric column holds text: the column was a number in the row that made the schema
/// (a programming error the tests of every writer catch, as with [`flatten`]).
pub fn metrics_into<T: Serialize>(row: &T, is_key: &[bool], out: &mut Vec<f64>) {
    let mut m = Metrics {
        is_key,
        col: 0,
        out,
    };
    row.serialize(RowSer(&mut m))
        .unwrap_or_else(|e| panic!("output rows are flat structs of scalars: {e}"));
}

/// Where [`RowSer`] puts a field: all cells with their names ([`Flat`]) or metrics only.
trait Fields {
    fn field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported>;
}

impl Fields for Flat {
    fn field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.names.push(key);
        self.cells.push(value.serialize(CellSer)?);
        Ok(())
    }
}

struct Metrics<'a> {
    is_key: &'a [bool],
    col: usize,
    out: &'a mut Vec<f64>,
}

impl Fields for Metrics<'_> {
    fn field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        let is_key = self.is_key.get(self.col).copied();
        self.col += 1;
        match is_key {
            Some(true) => Ok(()),
            Some(false) => match value.serialize(CellSer)? {
                Cell::Text(t) => Err(Unsupported(format!(
                    "column `{key}` holds text ({t:?}) but is a metric: a measured column must \
                     serialise as a number"
                ))),
                c => {
                    self.out.push(c.number().unwrap_or(f64::NAN));
                    Ok(())
                }
            },
            None => Err(Unsupported(format!(
                "column `{key}` is beyond the schema's {} columns",
                self.is_key.len()
            ))),
        }
    }
}

#[derive(Debug)]
pub struct Unsupported(String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Unsupported {}
impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}

fn nope<T>(what: &str) -> Result<T, Unsupported> {
    Err(Unsupported(format!("cannot flatten {what}")))
}

struct RowSer<'a, F>(&'a mut F);

impl<F: Fields> ser::SerializeStruct for RowSer<'_, F> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        self.0.field(key, value)
    }
    fn end(self) -> Result<(), Unsupported> {
        Ok(())
    }
}

macro_rules! unsupported_compound {
    () => {
        type SerializeSeq = Impossible<Self::Ok, Unsupported>;
        type SerializeTuple = Impossible<Self::Ok, Unsupported>;
        type SerializeTupleStruct = Impossible<Self::Ok, Unsupported>;
        type SerializeTupleVariant = Impossible<Self::Ok, Unsupported>;
        type SerializeMap = Impossible<Self::Ok, Unsupported>;
        type SerializeStructVariant = Impossible<Self::Ok, Unsupported>;
        fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, Unsupported> {
            nope("bytes")
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, Unsupported> {
            nope("a unit struct")
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Unsupported> {
            nope("an enum")
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
            nope("a sequence")
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
            nope("a tuple")
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Unsupported> {
            nope("a tuple struct")
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Unsupported> {
            nope("an enum")
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
            nope("a map")
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Unsupported> {
            nope("an enum")
        }
    };
}

impl<F: Fields> ser::Serializer for RowSer<'_, F> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeStruct = Self;
    unsupported_compound!();
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
        Ok(self)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Unsupported> {
        v.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_i8(self, _: i8) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_i16(self, _: i16) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_i32(self, _: i32) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_i64(self, _: i64) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_u8(self, _: u8) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_u16(self, _: u16) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_u32(self, _: u32) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_u64(self, _: u64) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_f32(self, _: f32) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_char(self, _: char) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_str(self, _: &str) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_none(self) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_unit(self) -> Result<(), Unsupported> {
        nope("a bare scalar")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), Unsupported> {
        nope("an enum")
    }
}

struct CellSer;

fn num(v: f64) -> Result<Cell, Unsupported> {
    Ok(Cell::Num(Some(v)))
}

impl ser::Serializer for CellSer {
    type Ok = Cell;
    type Error = Unsupported;
    type SerializeStruct = Impossible<Cell, Unsupported>;
    unsupported_compound!();
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        nope("a nested struct")
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Cell, Unsupported> {
        v.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<Cell, Unsupported> {
        num(f64::from(u8::from(v)))
    }
    fn serialize_i8(self, v: i8) -> Result<Cell, Unsupported> {
        Ok(Cell::Int(i64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Result<Cell, Unsupported> {
        Ok(Cell::Int(i64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Result<Cell, Unsupported> {
        Ok(Cell::Int(i64::from(v)))
    }
    fn serialize_i64(self, v: i64) -> Result<Cell, Unsupported> {
        Ok(Cell::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Cell, Unsupported> {
        Ok(Cell::Int(i64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<Cell, Unsupported> {
        Ok(Cell::Int(i64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<Cell, Unsupported> {
        Ok(Cell::Int(i64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<Cell, Unsupported> {
        i64::try_from(v).map_or(num(v as f64), |v| Ok(Cell::Int(v)))
    }
    fn serialize_f32(self, v: f32) -> Result<Cell, Unsupported> {
        num(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Cell, Unsupported> {
        num(v)
    }
    fn serialize_char(self, v: char) -> Result<Cell, Unsupported> {
        Ok(Cell::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Cell, Unsupported> {
        Ok(Cell::Text(v.to_string()))
    }
    fn serialize_none(self) -> Result<Cell, Unsupported> {
        Ok(Cell::Num(None))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Cell, Unsupported> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Cell, Unsupported> {
        Ok(Cell::Num(None))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Cell, Unsupported> {
        Ok(Cell::Text(variant.to_string()))
    }
}

impl Cell {
    /// The cell as a number, if it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(v) => Some(*v as f64),
            Cell::Num(v) => *v,
            Cell::Text(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Row {
        queue: String,
        offered: u64,
        service_level: Option<f64>,
        asa_s: Option<f64>,
    }

    #[test]
    fn a_row_flattens_to_its_header_and_cells() {
        let f = flatten(&Row {
            queue: "cards".into(),
            offered: 12,
            service_level: Some(0.5),
            asa_s: None,
        });
        assert_eq!(f.names, ["queue", "offered", "service_level", "asa_s"]);
        assert_eq!(
            f.cells,
            [
                Cell::Text("cards".into()),
                Cell::Int(12),
                Cell::Num(Some(0.5)),
                Cell::Num(None)
            ]
        );
    }
}
