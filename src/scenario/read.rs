//! TOML text → [`RawFile`], turning the TOML parser's and serde's errors into located
//! [`ScenarioError`]s with a field path.
//!
//! serde_path_to_error tracks the path while toml's deserializer attaches a byte span to every
//! error; together they give `file:line:col: field: message` for syntax errors, unknown keys,
//! missing keys and wrong types alike.

use std::path::Path;

use serde_path_to_error::Segment;

use super::error::ScenarioError;
use super::raw::RawFile;

/// Parses and deserializes the text; does not validate meaning.
pub fn read_raw(text: &str, file: &Path) -> Result<RawFile, ScenarioError> {
    let de = toml::de::Deserializer::parse(text).map_err(|e| syntax_error(text, file, &e))?;
    serde_path_to_error::deserialize(de).map_err(|e| shape_error(text, file, &e))
}

/// A TOML syntax error. The parser knows no field path, so the path is read off the text: the
/// table header above the error and the key on its line.
fn syntax_error(text: &str, file: &Path, e: &toml::de::Error) -> ScenarioError {
    let span = e.span().unwrap_or(0..0);
    let field = guess_field(text, span.start);
    ScenarioError::at(
        file,
        text,
        span,
        field,
        format!("invalid TOML: {}", one_line(e.message())),
    )
}

/// A well-formed TOML file whose shape is wrong: unknown or missing key, wrong type.
fn shape_error(
    text: &str,
    file: &Path,
    e: &serde_path_to_error::Error<toml::de::Error>,
) -> ScenarioError {
    let inner = e.inner();
    let span = inner.span().unwrap_or(0..0);
    let mut field = field_path(e.path());
    let message = one_line(inner.message());
    let message = if let Some(key) = quoted_after(&message, "missing field `") {
        push_key(&mut field, &key);
        format!("missing key `{key}` (required here)")
    } else if let Some(key) = quoted_after(&message, "unknown field `") {
        if field != key && !field.ends_with(&format!(".{key}")) {
            push_key(&mut field, &key);
        }
        reword_types(&message.replacen("unknown field", "unknown key", 1))
            .replace("expected one of", "allowed keys are")
            .replace(", expected ", ", the only allowed key is ")
            .replace(", there are no fields", ", no keys are allowed here")
    } else {
        reword_types(&message)
    };
    ScenarioError::at(file, text, span, field, message)
}

/// The path as the planner writes it: `queue[0].patience.mean`. serde_spanned's private keys
/// (the `Spanned<T>` wrapper's inner fields) are left out.
fn field_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !key.starts_with("$__") {
                    push_key(&mut out, key);
                }
            }
            Segment::Unknown => {}
        }
    }
    out
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// The text between `prefix` and the next backtick, if the message starts with `prefix`.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next().map(str::to_owned)
}

/// serde names Rust types ("expected i64"); the planner wants TOML words.
fn reword_types(message: &str) -> String {
    message
        .replace("expected i64", "expected a whole number")
        .replace("expected u64", "expected a whole number ≥ 0")
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected an array [...]")
        .replace("expected a map", "expected a table")
        .replace("struct ", "a table ")
        .replace("invalid type: map", "invalid type: table")
        .replace("invalid type: sequence", "invalid type: array")
}

/// toml messages may span lines; the first line of our message must stay one line.
fn one_line(message: &str) -> String {
    message
        .trim()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Best-effort field path at byte `offset` for a syntax error: the last `[table]` or
/// `[[array]]` header before it (arrays indexed by how often the header appeared) and the key
/// at the start of the error's line.
fn guess_field(text: &str, offset: usize) -> String {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut table = String::new();
    let mut seen: Vec<String> = Vec::new();
    for line in before.get(..line_start).unwrap_or("").lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let name = name.trim().to_owned();
            let index = seen.iter().filter(|n| **n == name).count();
            table = format!("{name}[{index}]");
            seen.push(name);
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = name.trim().to_owned();
        }
    }
    let line = text
        .get(line_start..)
        .and_then(|r| r.lines().next())
        .unwrap_or("");
    if let Some((key, _)) = line.split_once('=') {
        let key = key.trim();
        if !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.\"".contains(c))
        {
            push_key(&mut table, key.trim_matches('"'));
        }
    }
    table
}
