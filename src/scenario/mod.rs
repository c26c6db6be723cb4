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
pub mod shifts;
mod staffing;
mod validate;

pub use describe::{describe, describe_shift_rules};

pub use error::{Position, ScenarioError};
pub use model::*;
pub use staffing::{parse_service_level_goal, parse_share};

use std::path::Path;

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Model, ScenarioError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::file_level(path, format!("cannot read scenario: {e}")))?;
    parse(&text, path)
}

/// Validates scenario text; `path` is used in messages and to resolve relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Model, ScenarioError> {
    parse_with_shift_rules(text, path).map(|(model, _)| model)
}

/// Reads and validates a scenario file with its shift rules (`[[shift]]`, `[[contract]]`,
/// `[roster]`; `None` without them), for `hotline schedule`. Every command checks the rules,
/// so a bad rule is refused wherever the scenario is used.
pub fn load_with_shift_rules(
    path: &Path,
) -> Result<(Model, Option<shifts::ShiftRules>), ScenarioError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::file_level(path, format!("cannot read scenario: {e}")))?;
    parse_with_shift_rules(&text, path)
}

pub(crate) fn parse_with_shift_rules(
    text: &str,
    path: &Path,
) -> Result<(Model, Option<shifts::ShiftRules>), ScenarioError> {
    let raw = read::read_raw(text, path)?;
    let mut model = validate::validate(&raw, text, path)?;
    if let Some(s) = &raw.staffing {
        model.staffing = staffing::targets(s, text, path)?;
    }
    let rules = validate::shifts::shift_rules(&raw, text, path, &model)?;
    Ok((model, rules))
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
mod tests_day_hours;
#[cfg(test)]
mod tests_hours;
#[cfg(test)]
mod tests_skills;
#[cfg(test)]
mod tests_sources;
