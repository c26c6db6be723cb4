//! How numbers appear in every output file: one rule, applied once, by the writers.
//!
//! - A whole number (a count, `interval_start_s`, a headcount of 55.0) is written as an integer:
//!   `1800`, never `1800.0`.
//! - Any other figure is rounded to [`SIGNIFICANT_DIGITS`] significant digits and written in
//!   plain decimal notation (no exponent): `0.903388`, `11049.999999999984` → `11050`,
//!   `3.0000000000000004` → `3`, `1.2345678e-7` → `0.000000123457`.
//!
//! The rule is applied by wrapping a row in [`Rounded`] before it reaches a serializer: every
//! `f64` inside (plain or `Option`) passes through [`tidy`]. Row structs keep their `f64` fields
//! (the code computes with full precision); only what is written is rounded. So a new column is
//! rounded without anyone remembering to, and the same bytes come out for the same seed.
//!
//! Six significant digits keep a share to 0.0001 percentage points and a wait to 0.1 ms below
//! 100 s: far below the sampling error of any simulated figure, and exact enough for Erlang
//! figures a planner compares (a relative error ≤ 5·10⁻⁶).
//!
//! This module owns the rounding; it does not decide which files are written (see `app`).

use serde::ser::{self, Serialize, Serializer};

/// Significant digits kept in figures that are not whole numbers.
pub const SIGNIFICANT_DIGITS: usize = 6;

/// Largest magnitude written as an integer: beyond 2⁵³ not every integer is an `f64`.
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

/// A number as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tidy {
    /// A whole number (after rounding): written without a decimal point.
    Int(i64),
    /// Rounded to [`SIGNIFICANT_DIGITS`] digits.
    Float(f64),
    /// NaN or ±∞, passed through unchanged (the writers never produce them: empty cells are
    /// `None`).
    NonFinite(f64),
}

/// Applies the rule of this module to one value.
pub fn tidy(v: f64) -> Tidy {
    if !v.is_finite() {
        return Tidy::NonFinite(v);
    }
    let whole = |x: f64| x.fract() == 0.0 && x.abs() < EXACT_INT;
    if whole(v) {
        return Tidy::Int(v as i64);
    }
    let r = round_fast(v).unwrap_or_else(|| round_exact(v));
    if whole(r) {
        Tidy::Int(r as i64)
    } else {
        Tidy::Float(r)
    }
}

/// `v` rounded to [`SIGNIFICANT_DIGITS`] digits by decimal formatting: correctly rounded, no
/// accumulated binary error — the definition. Slow (a bignum formatter, a parse).
fn round_exact(v: f64) -> f64 {
    format!("{:.*e}", SIGNIFICANT_DIGITS - 1, v)
        .parse()
        .expect("a formatted f64 parses")
}

/// Powers of ten exact in an `f64` (10²² is the last).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// [`round_exact`]'s result without formatting, or `None` when it cannot be sure: a CSV of
/// replications writes millions of figures, and formatting each twice cost more CPU than the
/// simulation.
///
/// `|v| = x·10ᵏ` with `x` in [10⁵, 10⁶) is one correctly rounded division or multiplication by
/// an exact power of ten, so `x` is within 2⁻⁵³·10⁶ ≈ 1.2·10⁻¹⁰ of the exact quotient; its
/// rounding to an integer `d` is then the decimal rounding of `v` unless `x` lies within 10⁻⁶
/// of a half (or of the ends of the range) — those go to [`round_exact`]. `d·10ᵏ` (again one
/// operation on exact operands) is the double nearest the decimal, which is what parsing the
/// formatted text gives.
fn round_fast(v: f64) -> Option<f64> {
    const LOW: f64 = 1e5; // 10^(SIGNIFICANT_DIGITS - 1)
    const HIGH: f64 = 1e6;
    const MARGIN: f64 = 1e-6;
    let s = v.abs();
    let scaled = |k: i32| -> Option<f64> {
        let p = *POW10.get(k.unsigned_abs() as usize)?;
        Some(if k >= 0 { s / p } else { s * p })
    };
    let mut k = s.log10().floor() as i32 - (SIGNIFICANT_DIGITS as i32 - 1);
    let mut x = scaled(k)?;
    if x < LOW {
        k -= 1;
        x = scaled(k)?;
    } else if x >= HIGH {
        k += 1;
        x = scaled(k)?;
    }
    let half = x.floor() + 0.5;
    if !(LOW + MARGIN..HIGH - MARGIN).contains(&x) || (x - half).abs() < MARGIN {
        return None;
    }
    let d = x.round();
    let p = *POW10.get(k.unsigned_abs() as usize)?;
    let r = if k >= 0 { d * p } else { d / p };
    Some(r.copysign(v))
}

/// The text of a value under the rule: `1800`, `0.903388`, `0.000000123457`.
pub fn figure_text(v: f64) -> String {
    match tidy(v) {
        Tidy::Int(i) => i.to_string(),
        // `Display` of f64 is the shortest round-trip form, never in exponent notation; the
        // shortest form of a 6-digit decimal is that decimal.
        Tidy::Float(r) => format!("{r}"),
        Tidy::NonFinite(x) => format!("{x}"),
    }
}

/// A value serialized with its floats tidied. `text` writes rounded figures as their decimal
/// text (CSV: the csv crate's own float formatting switches to exponent notation below 1e-5);
/// otherwise as numbers (JSON).
pub struct Rounded<'a, T: ?Sized> {
    value: &'a T,
    text: bool,
}

impl<'a, T: ?Sized> Rounded<'a, T> {
    /// For CSV cells.
    pub fn csv(value: &'a T) -> Self {
        Rounded { value, text: true }
    }
    /// For JSON numbers.
    pub fn json(value: &'a T) -> Self {
        Rounded { value, text: false }
    }
}

impl<T: Serialize + ?Sized> Serialize for Rounded<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Proxy {
            inner: s,
            text: self.text,
        })
    }
}

/// A serializer that forwards everything to `inner` except floats, which it tidies.
struct Proxy<S> {
    inner: S,
    text: bool,
}

/// A compound (struct, sequence, map) whose elements are tidied in turn.
struct Compound<C> {
    inner: C,
    text: bool,
}

macro_rules! forward {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<S::Ok, S::Error> {
            self.inner.$method(v)
        })*
    };
}

impl<S: Serializer> Serializer for Proxy<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Compound<S::SerializeSeq>;
    type SerializeTuple = Compound<S::SerializeTuple>;
    type SerializeTupleStruct = Compound<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Compound<S::SerializeTupleVariant>;
    type SerializeMap = Compound<S::SerializeMap>;
    type SerializeStruct = Compound<S::SerializeStruct>;
    type SerializeStructVariant = Compound<S::SerializeStructVariant>;

    forward!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
    );

    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        match tidy(v) {
            Tidy::Int(i) => self.inner.serialize_i64(i),
            Tidy::Float(r) if self.text => self.inner.serialize_str(&format!("{r}")),
            Tidy::Float(r) | Tidy::NonFinite(r) => self.inner.serialize_f64(r),
        }
    }

    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_none()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        let text = self.text;
        self.inner.serialize_some(&Rounded { value: v, text })
    }

    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit()
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_struct(name)
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_variant(name, index, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        let text = self.text;
        self.inner
            .serialize_newtype_struct(name, &Rounded { value: v, text })
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        let text = self.text;
        self.inner
            .serialize_newtype_variant(name, index, variant, &Rounded { value: v, text })
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        let text = self.text;
        Ok(Compound {
            inner: self.inner.serialize_seq(len)?,
            text,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        let text = self.text;
        Ok(Compound {
            inner: self.inner.serialize_tuple(len)?,
            text,
        })
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        let text = self.text;
        Ok(Compound {
            inner: self.inner.serialize_tuple_struct(name, len)?,
            text,
        })
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        let text = self.text;
        Ok(Compound {
            inner: self
                .inner
                .serialize_tuple_variant(name, index, variant, len)?,
            text,
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let text = self.text;
        Ok(Compound {
            inner: self.inner.serialize_map(len)?,
            text,
        })
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let text = self.text;
        Ok(Compound {
            inner: self.inner.serialize_struct(name, len)?,
            text,
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let text = self.text;
        Ok(Compound {
            inner: self
                .inner
                .serialize_struct_variant(name, index, variant, len)?,
            text,
        })
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// Compounds whose elements have no key: each element is tidied in turn.
macro_rules! compound {
    ($($tr:ident :: $method:ident),* $(,)?) => {$(
        impl<C: ser::$tr> ser::$tr for Compound<C> {
            type Ok = C::Ok;
            type Error = C::Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), C::Error> {
                let text = self.text;
                self.inner.$method(&Rounded { value: v, text })
            }
            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        }
    )*};
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

/// Compounds of named fields: each value is tidied, skipped fields stay skipped.
macro_rules! named_compound {
    ($($tr:ident),* $(,)?) => {$(
        impl<C: ser::$tr> ser::$tr for Compound<C> {
            type Ok = C::Ok;
            type Error = C::Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), C::Error> {
                let text = self.text;
                self.inner.serialize_field(key, &Rounded { value: v, text })
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
                self.inner.skip_field(key)
            }
            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        }
    )*};
}

named_compound!(SerializeStruct, SerializeStructVariant);

impl<C: ser::SerializeMap> ser::SerializeMap for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), C::Error> {
        self.inner.serialize_key(k)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), C::Error> {
        let text = self.text;
        self.inner.serialize_value(&Rounded { value: v, text })
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast rounding gives the formatter's result wherever it answers, and answers for
    /// nearly every value.
    #[test]
    fn fast_rounding_agrees_with_decimal_formatting() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let mut answered = 0;
        let mut values = Vec::new();
        for _ in 0..200_000 {
            // Magnitudes from 1e-12 to 1e12, and random bit patterns.
            let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
            values.push((u * 24.0 - 12.0).exp2() * 10f64.powf(u * 7.0));
            values.push(f64::from_bits(next()));
        }
        // Ties and near-ties of 6 digits, powers of ten and their neighbours.
        for d in [100_000.5, 123_456.5, 999_999.5, 999_999.49999999, 100_000.0] {
            for k in -20..20 {
                let x = d * 10f64.powi(k);
                values.extend([x, x.next_up(), x.next_down()]);
            }
        }
        for v in values.into_iter().filter(|v| v.is_finite()) {
            for v in [v, -v] {
                if let Some(r) = round_fast(v) {
                    answered += 1;
                    assert_eq!(r.to_bits(), round_exact(v).to_bits(), "{v:e}");
                }
            }
        }
        assert!(answered > 300_000, "{answered}");
    }

    #[test]
    fn whole_numbers_are_integers_and_noise_is_rounded_away() {
        assert_eq!(figure_text(1800.0), "1800");
        assert_eq!(figure_text(31_536_000.0), "31536000");
        assert_eq!(figure_text(3.0000000000000004), "3");
        assert_eq!(figure_text(11049.999999999984), "11050");
        assert_eq!(figure_text(0.9033876195215105), "0.903388");
        assert_eq!(figure_text(459.20000000000005), "459.2");
        assert_eq!(figure_text(-0.0), "0");
        assert_eq!(figure_text(1.2345678e-7), "0.000000123457");
        assert_eq!(figure_text(-0.25), "-0.25");
    }

    #[derive(serde::Serialize)]
    struct Row {
        name: &'static str,
        start_s: f64,
        calls: u64,
        share: Option<f64>,
        empty: Option<f64>,
    }

    #[test]
    fn csv_rows_carry_tidy_cells_and_json_numbers() {
        let row = Row {
            name: "1.5",
            start_s: 1800.0,
            calls: 12,
            share: Some(0.1 + 0.2),
            empty: None,
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(Rounded::csv(&row)).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "name,start_s,calls,share,empty\n1.5,1800,12,0.3,\n");
        let json = serde_json::to_string(&Rounded::json(&row)).unwrap();
        assert_eq!(
            json,
            r#"{"name":"1.5","start_s":1800,"calls":12,"share":0.3,"empty":null}"#
        );
    }
}
