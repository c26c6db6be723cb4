//! `ScenarioError`: where a scenario is wrong (file, line, column, field path) and what is
//! expected, rendered like a compiler message with the offending line and a caret.
//!
//! This module owns turning byte spans into 1-based line/column (counted in characters, so a
//! non-ASCII name before the value does not shift the caret) and the rendering. It does not
//! decide what is wrong: `validate` and `parse_error` do.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A scenario that could not be read or is not valid.
///
/// Displayed as `file:line:col: field: message`, then the offending line with a caret under the
/// value. An unreadable file has no position and no field: `file: cannot read scenario: ...`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ScenarioError {
    /// The scenario file, as given.
    pub file: PathBuf,
    /// Where in the file, when the error is about a place in it.
    pub position: Option<Position>,
    /// Field path in TOML-ish notation (`queue[1].handle_time.mean`); empty when unknown.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
}

/// A place in the scenario text, with the line it is on for the caret display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The full text of that line (without its line break).
    pub source_line: String,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
}

impl ScenarioError {
    /// An error at `span` (byte offsets into `text`).
    pub fn at(
        file: &Path,
        text: &str,
        span: Range<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError {
            file: file.to_path_buf(),
            position: Some(Position::of_span(text, span)),
            field: field.into(),
            message: message.into(),
        }
    }

    /// An error in a CSV file the scenario refers to (a forecast, a replayed log). `line` is the
    /// CSV line (the header is line 1); the caret goes under cell `cell` of `row` (the row as
    /// read, cells joined by the file's `separator`), or under the whole row when `cell` is
    /// `None`. `field` is the CSV column's name.
    pub fn in_csv(
        file: &Path,
        line: u64,
        row: &csv::StringRecord,
        separator: char,
        cell: Option<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ScenarioError {
        let source_line = row.iter().collect::<Vec<_>>().join(&separator.to_string());
        let (column, width) = match cell {
            Some(c) if c < row.len() => {
                let before: usize = row.iter().take(c).map(|s| s.chars().count() + 1).sum();
                let width = row.get(c).map_or(1, |s| s.chars().count().max(1));
                (before + 1, width)
            }
            _ => (1, source_line.chars().count().max(1)),
        };
        ScenarioError {
            file: file.to_path_buf(),
            position: Some(Position {
                line: usize::try_from(line).unwrap_or(usize::MAX),
                column,
                source_line,
                width,
            }),
            field: field.into(),
            message: message.into(),
        }
    }

    /// An error about the file as a whole (e.g. it cannot be read).
    pub fn file_level(file: &Path, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            file: file.to_path_buf(),
            position: None,
            field: String::new(),
            message: message.into(),
        }
    }

    fn render(&self) -> String {
        let mut out = format!("{}", self.file.display());
        if let Some(p) = &self.position {
            out.push_str(&format!(":{}:{}", p.line, p.column));
        }
        if !self.field.is_empty() {
            out.push_str(&format!(": {}", self.field));
        }
        out.push_str(&format!(": {}", self.message));
        if let Some(p) = &self.position {
            out.push('\n');
            out.push_str(&p.snippet());
        }
        out
    }
}

impl Position {
    /// Line, column and caret width of a byte span. Offsets past the end or inside a UTF-8
    /// character are clamped, so any span from any parser is safe here.
    pub fn of_span(text: &str, span: Range<usize>) -> Position {
        let start = floor_char_boundary(text, span.start);
        let end = floor_char_boundary(text, span.end.max(start));
        let before = text.get(..start).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text
            .get(start..)
            .and_then(|rest| rest.find('\n'))
            .map_or(text.len(), |i| start + i);
        let source_line = text
            .get(line_start..line_end)
            .unwrap_or("")
            .trim_end_matches('\r');
        let column = text.get(line_start..start).unwrap_or("").chars().count() + 1;
        let width = text
            .get(start..end.min(line_end))
            .unwrap_or("")
            .chars()
            .count()
            .max(1);
        Position {
            line: before.matches('\n').count() + 1,
            column,
            source_line: source_line.to_owned(),
            width,
        }
    }

    /// The compiler-style excerpt: a gutter, the line, and carets under the span. Tabs before
    /// the span are kept so the caret lines up in any editor.
    fn snippet(&self) -> String {
        let number = self.line.to_string();
        let pad = " ".repeat(number.len() + 1);
        let indent: String = self
            .source_line
            .chars()
            .take(self.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!(
            "{pad}|\n{number} | {}\n{pad}| {indent}{}",
            self.source_line,
            "^".repeat(self.width)
        )
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The largest char boundary at or below `i` (`str::floor_char_boundary` is not stable yet).
fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
