//! CSV files a planner hands to hotline (interval forecasts, replayed call logs) as spreadsheets
//! save them: Windows line endings, a UTF-8 byte-order mark, semicolons as separators with
//! decimal commas (Excel in most of Europe), thousands separators inside quoted numbers.
//!
//! One reader serves every such file, so a forecast and a log read the same way:
//! - the separator is sniffed from the header line: `;` or a tab when the header has more of
//!   them than commas, else `,`;
//! - CRLF line endings are read as LF before the CSV parser sees them, so the line numbers of
//!   rows (and of errors) are the lines an editor shows;
//! - a UTF-8 BOM before the header is skipped (by the csv crate);
//! - numbers are read by [`Dialect::number`]: in a `;` file the decimal separator is a comma
//!   (`12,5`) and `.` may group thousands (`1.200,5`); in a `,` file `.` is the decimal point and
//!   a comma may group thousands in a quoted cell (`"1,200"`). What stays ambiguous (`1.200` in a
//!   `;` file, `"12,5"` in a `,` file) is refused with the exact text to write instead.
//!
//! This module knows nothing of forecasts or logs: it owns the file's dialect, not its columns.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::time::{Seconds, parse_duration};

/// A CSV file open for streaming, line endings normalised.
pub type Reader = csv::Reader<LfLines<BufReader<File>>>;

/// How a file writes its cells: its separator, and from it its decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// `,`, `;` or a tab.
    pub delimiter: u8,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect { delimiter: b',' }
    }
}

/// Opens `path` as CSV with its sniffed dialect; the header row is read by the caller.
pub fn open(path: &Path) -> io::Result<(Reader, Dialect)> {
    let mut file = File::open(path)?;
    let dialect = sniff(&mut BufReader::new(&mut file))?;
    file.seek(SeekFrom::Start(0))?;
    // Flexible: a short row is reported as an empty cell of the column it lacks, not as a
    // CSV-level error without a column.
    let reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(dialect.delimiter)
        .from_reader(LfLines::new(BufReader::new(file)));
    Ok((reader, dialect))
}

/// The separator of the header line: the most frequent of `,`, `;` and tab outside quotes
/// (`,` on a tie or when there is none: a one-column file).
fn sniff(r: &mut impl BufRead) -> io::Result<Dialect> {
    let mut header = Vec::new();
    r.read_until(b'\n', &mut header)?;
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for &b in &header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let delimiter = if counts[1] > counts[0] && counts[1] >= counts[2] {
        b';'
    } else if counts[2] > counts[0] {
        b'\t'
    } else {
        b','
    };
    Ok(Dialect { delimiter })
}

impl Dialect {
    /// True when the file writes decimals with a comma (a `;`-separated file).
    pub fn decimal_comma(&self) -> bool {
        self.delimiter == b';'
    }

    /// A number as the file writes it (see the module doc). The message says what to write
    /// instead; the caller adds which column wants the number.
    pub fn number(&self, text: &str) -> Result<f64, String> {
        let t = text.trim();
        let (group, decimal) = if self.decimal_comma() {
            ('.', ',')
        } else {
            (',', '.')
        };
        if let Ok(v) = t.parse::<f64>() {
            if self.decimal_comma() && grouped(t.trim_start_matches(['-', '+']), '.') {
                let plain = t.replace('.', "");
                return Err(format!(
                    "`{t}` is ambiguous in a semicolon-separated file, where the decimal separator is a comma: write `{plain}` for {plain}, or `{}` for {v}",
                    t.replace('.', ",")
                ));
            }
            return Ok(v);
        }
        if let Some(v) = spreadsheet_number(t, group, decimal) {
            return Ok(v);
        }
        if !self.decimal_comma() && t.contains(',') {
            let fixed = t.replace(',', ".");
            if fixed.parse::<f64>().is_ok() {
                return Err(format!(
                    "`{t}` has a decimal comma in a comma-separated file: write `{fixed}`, or save the file with semicolons as separators"
                ));
            }
        }
        Err(format!("`{t}` is not a number"))
    }

    /// A duration cell: a number of seconds (read by [`Dialect::number`]) or planner notation
    /// (`4m30s`, in a decimal-comma file also `4,5m`).
    pub fn duration(&self, text: &str) -> Result<Seconds, String> {
        let t = text.trim();
        let numeric = t
            .chars()
            .all(|c| c.is_ascii_digit() || " .,+-\u{a0}\u{202f}".contains(c));
        if numeric && t.chars().any(|c| c.is_ascii_digit()) {
            return self.number(t).map(Seconds);
        }
        let text: Cow<str> = if self.decimal_comma() && !t.contains('.') {
            Cow::Owned(t.replace(',', "."))
        } else {
            Cow::Borrowed(t)
        };
        parse_duration(&text)
    }
}

/// `1,200.5` (group `,`, decimal `.`) or `1.200,5` / `1 200,5` (group `.`, decimal `,`) as a
/// number; `None` unless the groups are exactly three digits after the first.
fn spreadsheet_number(t: &str, group: char, decimal: char) -> Option<f64> {
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = match body.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let is_group = |c: char| c == group || c == ' ' || c == '\u{a0}' || c == '\u{202f}';
    let int_ok = digits(int) || grouped_by(int, is_group);
    let frac_ok = frac.is_none_or(digits);
    if !(int_ok && frac_ok) {
        return None;
    }
    let int: String = int.chars().filter(char::is_ascii_digit).collect();
    let text = match frac {
        Some(f) => format!("{sign}{int}.{f}"),
        None => format!("{sign}{int}"),
    };
    text.parse().ok()
}

/// `1.200` / `12.345.678`: digits grouped by threes with `sep`.
fn grouped(t: &str, sep: char) -> bool {
    grouped_by(t, |c| c == sep)
}

fn grouped_by(t: &str, is_sep: impl Fn(char) -> bool) -> bool {
    let parts: Vec<&str> = t.split(is_sep).collect();
    parts.len() > 1
        && (1..=3).contains(&parts[0].len())
        && parts[1..].iter().all(|p| p.len() == 3)
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
}

/// A reader that turns CRLF line endings into LF. The csv crate accepts CRLF but counts its
/// lines differently (a CRLF file's second line is reported as line 1); with LF only, a row's
/// line is the line an editor shows. A lone CR is kept.
#[derive(Debug)]
pub struct LfLines<R> {
    inner: R,
    /// A CR seen at the end of the previous read, not yet known to precede an LF.
    pending_cr: bool,
}

impl<R: BufRead> LfLines<R> {
    pub fn new(inner: R) -> Self {
        LfLines {
            inner,
            pending_cr: false,
        }
    }
}

impl<R: BufRead> Read for LfLines<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let mut n = 0;
        loop {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                // End of input: a CR held back is a lone CR.
                if self.pending_cr && n < out.len() {
                    out[n] = b'\r';
                    n += 1;
                    self.pending_cr = false;
                }
                return Ok(n);
            }
            if self.pending_cr {
                self.pending_cr = false;
                if available[0] != b'\n' {
                    out[n] = b'\r';
                    n += 1;
                    if n == out.len() {
                        return Ok(n);
                    }
                }
            }
            let mut used = 0;
            while used < available.len() && n < out.len() {
                let b = available[used];
                used += 1;
                if b == b'\r' {
                    match available.get(used) {
                        Some(b'\n') => continue,
                        Some(_) => {}
                        None => {
                            self.pending_cr = true;
                            continue;
                        }
                    }
                }
                out[n] = b;
                n += 1;
            }
            self.inner.consume(used);
            if n > 0 && !self.pending_cr || n == out.len() {
                return Ok(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMA: Dialect = Dialect { delimiter: b',' };
    const SEMICOLON: Dialect = Dialect { delimiter: b';' };

    #[test]
    fn crlf_becomes_lf_even_across_reads() {
        let text = b"a,b\r\n1,2\r\n\rx\r";
        // A one-byte buffer splits every CRLF across two reads.
        let mut r = LfLines::new(BufReader::with_capacity(1, &text[..]));
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, "a,b\n1,2\n\rx\r");
    }

    #[test]
    fn the_separator_is_sniffed_from_the_header() {
        let d = |h: &str| sniff(&mut h.as_bytes()).unwrap().delimiter;
        assert_eq!(d("interval_start;queue;volume\n1,2;3\n"), b';');
        assert_eq!(d("interval_start,queue,volume\n"), b',');
        assert_eq!(d("interval_start\tqueue\tvolume\n"), b'\t');
        assert_eq!(d("\"a;b\",c\n"), b',');
        assert_eq!(d("arrived_at\n"), b',');
    }

    #[test]
    fn decimal_commas_and_thousands_read_by_the_files_separator() {
        assert_eq!(SEMICOLON.number("12,5"), Ok(12.5));
        assert_eq!(SEMICOLON.number("1.200,5"), Ok(1200.5));
        assert_eq!(SEMICOLON.number("1 200"), Ok(1200.0));
        assert_eq!(SEMICOLON.number("12.5"), Ok(12.5));
        assert_eq!(COMMA.number("1,200"), Ok(1200.0));
        assert_eq!(COMMA.number("1,200.5"), Ok(1200.5));
        assert_eq!(COMMA.number("-3"), Ok(-3.0));
    }

    #[test]
    fn ambiguous_numbers_say_what_to_write() {
        let e = SEMICOLON.number("1.200").unwrap_err();
        assert!(
            e.contains("write `1200` for 1200, or `1,200` for 1.2"),
            "{e}"
        );
        let e = COMMA.number("12,5").unwrap_err();
        assert!(e.contains("write `12.5`"), "{e}");
        assert!(COMMA.number("12,50,0").is_err());
        assert!(COMMA.number("lots").is_err());
    }

    #[test]
    fn durations_accept_decimal_commas_in_semicolon_files() {
        assert_eq!(SEMICOLON.duration("4,5m"), Ok(Seconds(270.0)));
        assert_eq!(SEMICOLON.duration("270,5"), Ok(Seconds(270.5)));
        assert_eq!(COMMA.duration("4m30s"), Ok(Seconds(270.0)));
        assert!(COMMA.duration("4,5m").is_err());
    }
}
