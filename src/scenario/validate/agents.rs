//! `[roster] agents = "agents.csv"` → the named agents [`Person`] the scheduler rosters instead
//! of anonymous ones.
//!
//! One row per agent: `agent` (name), `pool`, `contract`, and optionally `unavailable` (dates
//! and date ranges of leave or training: `2027-01-11..2027-01-15`, ISO's `2027-01-11/2027-01-15`
//! or a single date), `preferred_shifts` (template names) and `preferred_days_off` (weekdays).
//! Lists inside a cell are separated by spaces, `;`, `,` or `|` (quote the cell when the list
//! separator is the file's). Dates outside the horizon are ignored (a year's leave list can be
//! used for any month); unavailable dates need a dated scenario (`[scenario] start`).
//! Errors name the file, line, column and field; exit 2 like any bad scenario.

use std::collections::HashMap;
use std::path::Path;

use toml::Spanned;

use super::csv_file;
use super::{Ctx, Result};
use crate::scenario::shifts::{Person, ShiftTemplate};
use crate::time::{self, Calendar};

/// What the reader needs from the rest of the scenario.
pub(super) struct Known<'a> {
    pub pools: &'a [&'a str],
    pub contracts: &'a [String],
    pub templates: &'a [ShiftTemplate],
    pub calendar: &'a Calendar,
    pub days: usize,
}

/// Reads and checks `agents.csv`.
pub(super) fn read(
    ctx: &Ctx,
    source: &Path,
    raw: &Spanned<String>,
    known: &Known,
) -> Result<Vec<Person>> {
    let field = "roster.agents";
    let mut csv = csv_file::open(ctx, source, raw, field)?;
    let col = |name: &str| csv.column(name);
    let (Some(c_agent), Some(c_pool), Some(c_contract)) =
        (col("agent"), col("pool"), col("contract"))
    else {
        return Err(csv.header_err(format!(
            "an agents file needs the columns agent, pool, contract (and optionally unavailable, preferred_shifts, preferred_days_off); found: {}",
            csv.found()
        )));
    };
    let (c_unavail, c_shifts, c_off) = (
        col("unavailable"),
        col("preferred_shifts"),
        col("preferred_days_off"),
    );
    let mut people: Vec<Person> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut row = csv::StringRecord::new();
    while csv.next(&mut row)? {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = csv_file::line_of(&row);
        let cell = |c: usize| row.get(c).unwrap_or("").trim();
        let name = cell(c_agent);
        if name.is_empty() {
            return Err(csv.err_at(&row, Some(c_agent), "an agent needs a name"));
        }
        if let Some(first) = seen.insert(name.to_owned(), line) {
            return Err(csv.err_at(
                &row,
                Some(c_agent),
                format!("`{name}` is named twice (first on line {first}): names must be unique"),
            ));
        }
        let pool = known
            .pools
            .iter()
            .position(|p| p.eq_ignore_ascii_case(cell(c_pool)))
            .ok_or_else(|| {
                csv.err_at(
                    &row,
                    Some(c_pool),
                    format!(
                        "no [[pool]] is named `{}` (pools: {})",
                        cell(c_pool),
                        known.pools.join(", ")
                    ),
                )
            })?;
        let contract = known
            .contracts
            .iter()
            .position(|c| c.eq_ignore_ascii_case(cell(c_contract)))
            .ok_or_else(|| {
                csv.err_at(
                    &row,
                    Some(c_contract),
                    format!(
                        "no [[contract]] is named `{}` (contracts: {})",
                        cell(c_contract),
                        known.contracts.join(", ")
                    ),
                )
            })?;
        let mut unavailable = Vec::new();
        if let Some(c) = c_unavail {
            for item in items(cell(c)) {
                let (from, to) = match item.split_once("..").or_else(|| item.split_once('/')) {
                    Some((a, b)) => (a, b),
                    None => (item, item),
                };
                let date = |t: &str| time::parse_date(t).map_err(|e| csv.err_at(&row, Some(c), e));
                let (from, to) = (date(from)?, date(to)?);
                if to < from {
                    return Err(csv.err_at(
                        &row,
                        Some(c),
                        format!("`{item}` ends before it starts: write the earlier date first"),
                    ));
                }
                let (Some(a), Some(b)) = (known.calendar.day_of(from), known.calendar.day_of(to))
                else {
                    return Err(csv.err_at(
                        &row,
                        Some(c),
                        "unavailable dates need a dated scenario: set `start` in [scenario]",
                    ));
                };
                let last = known.days as i64 - 1;
                for d in a.max(0)..=b.min(last) {
                    unavailable.push(d as usize);
                }
            }
        }
        unavailable.sort_unstable();
        unavailable.dedup();
        let mut preferred_shifts = Vec::new();
        if let Some(c) = c_shifts {
            for item in items(cell(c)) {
                let t = known
                    .templates
                    .iter()
                    .position(|t| t.name.eq_ignore_ascii_case(item))
                    .ok_or_else(|| {
                        csv.err_at(&row, Some(c), format!("no [[shift]] is named `{item}`"))
                    })?;
                preferred_shifts.push(t);
            }
        }
        let mut preferred_days_off = [false; 7];
        if let Some(c) = c_off {
            for item in items(cell(c)) {
                let d = time::parse_weekday(item).ok_or_else(|| {
                    csv.err_at(
                        &row,
                        Some(c),
                        format!("`{item}` is not a weekday (mon, tue, … sun)"),
                    )
                })?;
                preferred_days_off[d] = true;
            }
        }
        people.push(Person {
            name: name.to_owned(),
            pool,
            contract,
            unavailable,
            preferred_shifts,
            preferred_days_off,
        });
    }
    if people.is_empty() {
        return Err(ctx.err(raw.span(), field, "the agents file has no agents"));
    }
    Ok(people)
}

/// The items of a list cell.
fn items(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([' ', ';', ',', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}
