//! The roster's sheets of `report.xlsx` (issue 20): `Roster` (each agent's week or month,
//! `roster.csv` under human headers) and `Cost` (per pool and for the center: agents, shifts,
//! paid hours and the roster's cost from `schedule.json`, and the cost of an answered call when
//! the folder's simulation covers the roster's days).
//!
//! The report learns of a roster from the folder: `hotline schedule` (or `plan`, for its kept
//! plan) writes `roster.csv` and `schedule.json`, and `hotline simulate S.toml --staffing
//! DIR/coverage.csv --out DIR` adds the simulation beside them — the same rule as the coverage
//! chart. A workbook of a folder without them has neither sheet.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::xlsx_planner::PlannerFormats;
use crate::app::AppError;

/// The roster's sheets, in workbook order (after the planners' sheets).
pub const ROSTER_SHEETS: &[&str] = &["Roster", "Cost"];

/// The `Roster` sheet's header of a `roster.csv` column; the day columns (`Mon`, `2027-01-04`)
/// keep their names.
fn roster_header(column: &str) -> &str {
    match column {
        "agent" => "Agent",
        "contract" => "Contract",
        "pool" => "Pool",
        "paid_hours" => "Paid hours",
        "days_worked" => "Days worked",
        "cost" => "Cost",
        other => other,
    }
}

/// The `Cost` sheet's columns after `Pool`: (header, the `schedule.json` key of a pool).
pub const COST_COLUMNS: [(&str, &str); 8] = [
    ("Agents", "agents"),
    ("Shifts", "shifts"),
    ("Roster cost", "roster_cost"),
    ("Overtime hours", "overtime_hours"),
    ("Overtime pay", "overtime_pay"),
    ("Agent-hours while closed", "closed_agent_hours"),
    ("Pay while closed", "closed_hours_pay"),
    ("Solver gap", "gap"),
];

fn header_row(sheet: &mut Worksheet, headers: &[&str], f: &Format) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, f)?;
        sheet.set_column_width(c as u16, (h.chars().count() as f64 + 3.0).max(10.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The roster read back: header and rows of `roster.csv`.
struct Roster {
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Roster {
    fn read(path: &Path) -> Result<Roster, AppError> {
        let err = |e: csv::Error| AppError::Input(format!("{}: {e}", path.display()));
        let mut rd = csv::Reader::from_path(path).map_err(err)?;
        let header = rd
            .headers()
            .map_err(err)?
            .iter()
            .map(String::from)
            .collect();
        let rows = rd.records().collect::<Result<Vec<_>, _>>().map_err(err)?;
        Ok(Roster { header, rows })
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The day columns: those between `contract` and `pool`.
    fn days(&self) -> usize {
        match (self.col("contract"), self.col("pool")) {
            (Some(c), Some(p)) if p > c => p - c - 1,
            _ => 0,
        }
    }

    /// Σ `paid_hours` of `pool`'s agents (every agent for `None`).
    fn paid_hours(&self, pool: Option<&str>) -> Option<f64> {
        let (h, p) = (self.col("paid_hours")?, self.col("pool")?);
        Some(
            self.rows
                .iter()
                .filter(|r| pool.is_none_or(|pool| r.get(p) == Some(pool)))
                .filter_map(|r| r.get(h)?.parse::<f64>().ok())
                .sum(),
        )
    }
}

/// Adds `Roster` (with `roster.csv`) and `Cost` (with `schedule.json`) to `book`.
pub fn add_sheets(book: &mut Workbook, dir: &Path, f: &PlannerFormats) -> Result<(), AppError> {
    let out = |e: XlsxError| AppError::Output(format!("report.xlsx, roster sheets: {e}"));
    let money = Format::new().set_num_format("#,##0.00");
    let roster_path = dir.join("roster.csv");
    let roster = if roster_path.is_file() {
        Some(Roster::read(&roster_path)?)
    } else {
        None
    };
    if let Some(r) = &roster {
        let sheet = book.add_worksheet();
        sheet.set_name(ROSTER_SHEETS[0]).map_err(out)?;
        let headers: Vec<&str> = r.header.iter().map(|h| roster_header(h)).collect();
        header_row(sheet, &headers, &f.header).map_err(out)?;
        for (c, h) in r.header.iter().enumerate() {
            if !matches!(
                h.as_str(),
                "agent" | "contract" | "pool" | "paid_hours" | "days_worked" | "cost"
            ) {
                // A day's shift text, e.g. `late 14:30-23:00 lunch 19:30`.
                sheet.set_column_width(c as u16, 28).map_err(out)?;
            }
        }
        for (i, rec) in r.rows.iter().enumerate() {
            let row = i as u32 + 1;
            for (c, (h, text)) in r.header.iter().zip(rec.iter()).enumerate() {
                let c = c as u16;
                let fmt = match h.as_str() {
                    "paid_hours" => Some(&f.hours),
                    "days_worked" => Some(&f.count),
                    "cost" => Some(&money),
                    _ => None,
                };
                match (fmt, text.parse::<f64>()) {
                    (Some(fmt), Ok(v)) => sheet.write_number_with_format(row, c, v, fmt),
                    _ => sheet.write_string(row, c, text),
                }
                .map_err(out)?;
            }
        }
    }
    let json_path = dir.join("schedule.json");
    if !json_path.is_file() {
        return Ok(());
    }
    let text = std::fs::read_to_string(&json_path)
        .map_err(|e| AppError::Input(format!("{}: {e}", json_path.display())))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| AppError::Input(format!("{}: {e}", json_path.display())))?;
    let pools = json["pools"].as_array().cloned().unwrap_or_default();
    let answered = answered_over_roster_days(dir, roster.as_ref())?;
    let sheet = book.add_worksheet();
    sheet.set_name(ROSTER_SHEETS[1]).map_err(out)?;
    let mut headers = vec!["Pool"];
    headers.extend(COST_COLUMNS.iter().map(|c| c.0));
    headers.push("Paid hours");
    if answered.is_some() {
        headers.extend(["Answered calls", "Cost per answered call"]);
    }
    header_row(sheet, &headers, &f.header).map_err(out)?;
    let fmt_of = |key: &str| match key {
        "agents" | "shifts" => &f.count,
        "overtime_hours" | "closed_agent_hours" => &f.hours,
        "gap" => &f.percent,
        _ => &money,
    };
    let paid_col = 1 + COST_COLUMNS.len() as u16;
    for (i, p) in pools.iter().enumerate() {
        let row = i as u32 + 1;
        let name = p["pool"].as_str().unwrap_or("");
        sheet.write_string(row, 0, name).map_err(out)?;
        for (c, (_, key)) in COST_COLUMNS.iter().enumerate() {
            if let Some(v) = p[key].as_f64() {
                sheet
                    .write_number_with_format(row, c as u16 + 1, v, fmt_of(key))
                    .map_err(out)?;
            }
        }
        if let Some(h) = roster.as_ref().and_then(|r| r.paid_hours(Some(name))) {
            sheet
                .write_number_with_format(row, paid_col, h, &f.hours)
                .map_err(out)?;
        }
    }
    // The center: sums over the pools, the roster's cost as schedule.json states it.
    let row = pools.len() as u32 + 1;
    sheet
        .write_string_with_format(row, 0, "all", &f.header)
        .map_err(out)?;
    for (c, (_, key)) in COST_COLUMNS.iter().enumerate() {
        let v = match *key {
            "roster_cost" => json["roster_cost"].as_f64(),
            "gap" => None,
            _ => {
                let vals: Vec<f64> = pools.iter().filter_map(|p| p[key].as_f64()).collect();
                (!vals.is_empty()).then(|| vals.iter().sum())
            }
        };
        if let Some(v) = v {
            sheet
                .write_number_with_format(row, c as u16 + 1, v, fmt_of(key))
                .map_err(out)?;
        }
    }
    if let Some(h) = roster.as_ref().and_then(|r| r.paid_hours(None)) {
        sheet
            .write_number_with_format(row, paid_col, h, &f.hours)
            .map_err(out)?;
    }
    if let (Some(n), Some(cost)) = (answered, json["roster_cost"].as_f64()) {
        sheet
            .write_number_with_format(row, paid_col + 1, n, &f.count)
            .map_err(out)?;
        if n > 0.0 {
            sheet
                .write_number_with_format(row, paid_col + 2, cost / n, &money)
                .map_err(out)?;
        }
    }
    Ok(())
}

/// The calls answered in the whole center (`summary.csv`'s `all` row) when the folder holds a
/// simulation of exactly the roster's days (so the roster's cost paid for those answers);
/// `None` otherwise.
fn answered_over_roster_days(dir: &Path, roster: Option<&Roster>) -> Result<Option<f64>, AppError> {
    let (summary, facts) = (dir.join("summary.csv"), dir.join("run.json"));
    let Some(roster) = roster else {
        return Ok(None);
    };
    if !summary.is_file() || !facts.is_file() {
        return Ok(None);
    }
    let days = std::fs::read_to_string(&facts)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["days"].as_u64());
    if days != Some(roster.days() as u64) {
        return Ok(None);
    }
    let err = |e: csv::Error| AppError::Input(format!("{}: {e}", summary.display()));
    let mut rd = csv::Reader::from_path(&summary).map_err(err)?;
    let header = rd.headers().map_err(err)?.clone();
    let (Some(q), Some(a)) = (
        header.iter().position(|h| h == "queue"),
        header.iter().position(|h| h == "answered"),
    ) else {
        return Ok(None);
    };
    for rec in rd.records() {
        let rec = rec.map_err(err)?;
        if rec.get(q) == Some(super::data::ALL) {
            return Ok(rec.get(a).and_then(|t| t.parse().ok()));
        }
    }
    Ok(None)
}
