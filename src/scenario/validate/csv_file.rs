//! What the forecast and replay readers share: resolving a data file next to the scenario,
//! opening it as CSV the way spreadsheets save it (`crate::csv_input`: separator sniffed, CRLF,
//! BOM, decimal commas), and locating errors in it.

use std::path::{Path, PathBuf};

use toml::Spanned;

use super::{Ctx, Result};
use crate::csv_input::{self, Dialect};
use crate::scenario::error::ScenarioError;

/// A CSV file named in the scenario, open for streaming.
pub(super) struct CsvFile {
    pub path: PathBuf,
    pub reader: csv_input::Reader,
    pub headers: csv::StringRecord,
    /// Separator and decimal separator, sniffed from the header line.
    pub dialect: Dialect,
}

/// Resolves `raw` relative to the scenario file's folder (absolute paths stay as written) and
/// opens it. A missing or unreadable file points at the value in the scenario.
pub(super) fn open(
    ctx: &Ctx,
    source: &Path,
    raw: &Spanned<String>,
    field: &str,
) -> Result<CsvFile> {
    let name = raw.get_ref().trim();
    if name.is_empty() {
        return Err(ctx.err(raw.span(), field, "must name a CSV file"));
    }
    let path = source.parent().unwrap_or_else(|| Path::new("")).join(name);
    let (mut reader, dialect) = csv_input::open(&path).map_err(|e| {
        ctx.err(
            raw.span(),
            field,
            format!("cannot read `{}`: {e}", path.display()),
        )
    })?;
    let headers = reader.headers().map_err(|e| csv_error(&path, &e))?.clone();
    Ok(CsvFile {
        path,
        reader,
        headers,
        dialect,
    })
}

impl CsvFile {
    /// Reads the next row into `row`; `Ok(false)` at the end of the file.
    pub fn next(&mut self, row: &mut csv::StringRecord) -> Result<bool> {
        self.reader
            .read_record(row)
            .map_err(|e| csv_error(&self.path, &e))
    }

    /// The position of a column by name (case and surrounding spaces ignored).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|c| c.trim().eq_ignore_ascii_case(name))
    }

    /// The header's column names for "found: ..." in messages; a header read as one column
    /// says which separators hotline reads.
    pub fn found(&self) -> String {
        let names: Vec<&str> = self.headers.iter().collect();
        let mut out = names.join(", ");
        if names.len() == 1 {
            out.push_str(
                "; the header reads as one column: separate the columns with `,`, `;` or a tab",
            );
        }
        out
    }

    /// An error at cell `cell` of `row`, naming that column.
    pub fn err_at(
        &self,
        row: &csv::StringRecord,
        cell: Option<usize>,
        message: impl Into<String>,
    ) -> ScenarioError {
        let field = cell
            .and_then(|c| self.headers.get(c))
            .map(|h| h.trim().to_owned())
            .unwrap_or_default();
        ScenarioError::in_csv(
            &self.path,
            line_of(row),
            row,
            char::from(self.dialect.delimiter),
            cell,
            field,
            message,
        )
    }

    /// An error about the header row.
    pub fn header_err(&self, message: impl Into<String>) -> ScenarioError {
        ScenarioError::in_csv(
            &self.path,
            1,
            &self.headers,
            char::from(self.dialect.delimiter),
            None,
            "",
            message,
        )
    }
}

/// The 1-based line a row started on.
pub(super) fn line_of(row: &csv::StringRecord) -> u64 {
    row.position().map_or(0, csv::Position::line)
}

/// A file that is not valid CSV (bad UTF-8, unbalanced quotes), at the line the reader reached.
fn csv_error(path: &Path, e: &csv::Error) -> ScenarioError {
    let line = e.position().map_or(0, csv::Position::line);
    if let csv::ErrorKind::Utf8 { err, .. } = e.kind() {
        // Excel's plain "CSV" is the ANSI code page (Windows-1252 in western Europe): `ü` is
        // one byte that is not UTF-8. Say where, and which export to choose instead.
        return ScenarioError::file_level(
            path,
            format!(
                "line {line}, column {}, byte {} of the cell: not UTF-8 text — probably an \
                 ANSI (Windows-1252) export; in Excel choose Save As → \"CSV UTF-8 (Comma \
                 delimited) (*.csv)\" and use that file",
                err.field() + 1,
                err.valid_up_to() + 1
            ),
        );
    }
    let mut err = ScenarioError::file_level(path, format!("not a valid CSV file: {e}"));
    if line > 0 {
        err.message = format!("line {line}: not a valid CSV file: {e}");
    }
    err
}
