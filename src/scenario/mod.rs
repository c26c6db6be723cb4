//! Scenario files: TOML → raw serde structs (with spans) → validated [`Model`].
//!
//! Errors name the file, line, column and field path of the offending value. `raw` mirrors
//! the file, `read` parses it, `validate` checks every rule and resolves names to indices,
//! `describe` prints what was understood. The engine only ever sees `model`.

mod describe;
mod error;
mod model;
mod raw;
mod read;
mod staffing;
mod validate;

pub use describe::describe;

pub use error::{Position, ScenarioError};
pub use model::*;
pub use staffing::parse_service_level_goal;

use std::path::Path;

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Model, ScenarioError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::file_level(path, format!("cannot read scenario: {e}")))?;
    parse(&text, path)
}

/// Validates scenario text; `path` is used in messages and to resolve relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Model, ScenarioError> {
    let raw = read::read_raw(text, path)?;
    let mut model = validate::validate(&raw, text, path)?;
    if let Some(s) = &raw.staffing {
        model.staffing = staffing::targets(s, text, path)?;
    }
    Ok(model)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_arrivals;
#[cfg(test)]
mod tests_bad_input;
#[cfg(test)]
mod tests_calendar;
#[cfg(test)]
mod tests_callbacks;
#[cfg(test)]
mod tests_csv;
#[cfg(test)]
mod tests_hours;
#[cfg(test)]
mod tests_skills;
#[cfg(test)]
mod tests_sources;
