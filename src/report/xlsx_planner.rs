//! The planners' sheets of `report.xlsx` (issue 20): `Daily` and `Weekly` (the center, then
//! each queue, summed from `intervals.csv` like report.html's tables) and `Misses` (the
//! interval × queue cells below target, worst first), with human headers ("Service level",
//! "ASA (s)"). The figures come from [`super::periods`]; the raw sheets before them keep the CSV
//! names.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::data::{ALL, Agg, RunData};
use super::html::row_label;
use super::periods;
use crate::time::{Clock, WEEK};

/// The formats of the planners' sheets (shared with the raw sheets').
pub struct PlannerFormats {
    pub header: Format,
    pub percent: Format,
    pub seconds: Format,
    pub count: Format,
    /// One decimal: agent-hours, agents.
    pub hours: Format,
}

/// The headers of the `Daily` and `Weekly` sheets after their first two columns.
const PERIOD_HEADERS: [&str; 7] = [
    "Offered",
    "Answered",
    "Service level",
    "ASA (s)",
    "Abandoned %",
    "Occupancy",
    "Agent-hours",
];

fn header_row(
    sheet: &mut Worksheet,
    headers: &[&str],
    f: &PlannerFormats,
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &f.header)?;
        sheet.set_column_width(c as u16, (h.chars().count() as f64 + 3.0).max(10.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A number cell, or nothing for `None`.
fn opt(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Format,
) -> Result<(), XlsxError> {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        sheet.write_number_with_format(row, col, v, f)?;
    }
    Ok(())
}

/// A period sheet: its name, its first header, the sums per period, the period's label.
type PeriodSheet<'a> = (
    &'a str,
    &'a str,
    fn(&RunData, &str) -> Vec<Agg>,
    &'a dyn Fn(f64) -> String,
);

/// Adds `Daily`, `Weekly` and `Misses` to `book`.
pub fn add_sheets(book: &mut Workbook, run: &RunData, f: &PlannerFormats) -> Result<(), XlsxError> {
    let calendar = run.facts.calendar();
    let mut keys: Vec<&str> = vec![ALL];
    keys.extend(run.queue_names());
    let day_label = |t: f64| row_label(&calendar, t, true);
    let week_label = |t: f64| {
        format!(
            "week {} (from {})",
            (t / WEEK).floor() as u64 + 1,
            row_label(&calendar, t, true)
        )
    };
    let periods_of: [PeriodSheet; 2] = [
        ("Daily", "Day", periods::days, &day_label),
        ("Weekly", "Week", periods::weeks, &week_label),
    ];
    for (name, first, sums, label) in periods_of {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        let mut headers = vec![first, "Queue"];
        headers.extend(PERIOD_HEADERS);
        header_row(sheet, &headers, f)?;
        sheet.set_column_width(0, 26)?;
        let mut row = 1u32;
        for key in &keys {
            for a in sums(run, key) {
                sheet.write_string(row, 0, label(a.start_s))?;
                sheet.write_string(row, 1, *key)?;
                sheet.write_number_with_format(row, 2, a.offered as f64, &f.count)?;
                sheet.write_number_with_format(row, 3, a.answered as f64, &f.count)?;
                opt(sheet, row, 4, a.service_level(), &f.percent)?;
                opt(sheet, row, 5, a.asa_s(), &f.seconds)?;
                opt(sheet, row, 6, a.abandon_rate(), &f.percent)?;
                opt(sheet, row, 7, a.occupancy(), &f.percent)?;
                let hours = a.agent_hours(run.facts.interval_s);
                sheet.write_number_with_format(row, 8, hours, &f.hours)?;
                row += 1;
            }
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Misses")?;
    header_row(
        sheet,
        &[
            "Day",
            "Weekday",
            "Time",
            "Queue",
            "Offered",
            "Service level",
            "Target",
            "Abandoned %",
            "Agents",
        ],
        f,
    )?;
    for (i, m) in periods::misses(run).iter().enumerate() {
        let row = i as u32 + 1;
        let r = m.row;
        let tod = Clock(r.interval_start_s).time_of_day().round() as u64;
        sheet.write_string(row, 0, day_label(r.interval_start_s))?;
        sheet.write_string(row, 1, calendar.weekday_label(r.interval_start_s))?;
        sheet.write_string(row, 2, format!("{:02}:{:02}", tod / 3600, tod % 3600 / 60))?;
        sheet.write_string(row, 3, &r.queue)?;
        sheet.write_number_with_format(row, 4, r.offered as f64, &f.count)?;
        sheet.write_number_with_format(row, 5, m.service_level, &f.percent)?;
        sheet.write_number_with_format(row, 6, m.target, &f.percent)?;
        opt(sheet, row, 7, r.abandon_rate, &f.percent)?;
        sheet.write_number_with_format(row, 8, r.agents, &f.hours)?;
    }
    Ok(())
}
