//! The planners' sheets of `report.xlsx` (issue 20): `Daily` and `Weekly` (the center, then
//! each queue, summed from `intervals.csv` like report.html's tables) and `Misses` (the
//! interval × queue cells below target, worst first), with human headers ("Service level",
//! "ASA (s)"). The figures come from [`super::periods`]; the raw sheets before them keep the CSV
//! names.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::data::{ALL, Agg, RunData};
use super::html::row_label;
use super::html_glance::{time_of_day, week_label};
use super::periods;

/// The formats of the planners' sheets (shared with the raw sheets').
pub struct PlannerFormats {
    pub header: Format,
    pub percent: Format,
    pub seconds: Format,
    pub count: Format,
    /// One decimal: agent-hours, agents.
    pub hours: Format,
}

/// The first headers of the `Misses` sheets: where the cell is, and its calls.
const MISS_WHERE: [&str; 5] = ["Day", "Weekday", "Time", "Queue", "Offered"];

/// The header of the `Daily` and `Weekly` sheets' last column when callers on hold were cut
/// off at a closing (the CSV's `disconnected`).
const DISCONNECTED: &str = "Disconnected at closing";

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
    let week_label = |t: f64| week_label(&calendar, t);
    let periods_of: [PeriodSheet; 2] = [
        ("Daily", "Day", periods::days, &day_label),
        ("Weekly", "Week", periods::weeks, &week_label),
    ];
    let disconnected = run.total().is_some_and(|t| t.disconnected > 0);
    for (name, first, sums, label) in periods_of {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        let mut headers = vec![first, "Queue"];
        headers.extend(PERIOD_HEADERS);
        if disconnected {
            headers.push(DISCONNECTED);
        }
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
                if disconnected {
                    let n = a.outcomes.disconnected as f64;
                    sheet.write_number_with_format(row, 9, n, &f.count)?;
                }
                row += 1;
            }
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Misses")?;
    header_row(
        sheet,
        &[
            MISS_WHERE.as_slice(),
            &["Service level", "Target", "Abandoned %", "Agents"],
        ]
        .concat(),
        f,
    )?;
    for (i, m) in periods::misses(run).iter().enumerate() {
        let row = i as u32 + 1;
        let r = m.row;
        sheet.write_string(row, 0, day_label(r.interval_start_s))?;
        sheet.write_string(row, 1, calendar.weekday_label(r.interval_start_s))?;
        sheet.write_string(row, 2, time_of_day(r.interval_start_s))?;
        sheet.write_string(row, 3, &r.queue)?;
        sheet.write_number_with_format(row, 4, r.offered as f64, &f.count)?;
        sheet.write_number_with_format(row, 5, m.service_level, &f.percent)?;
        sheet.write_number_with_format(row, 6, m.target, &f.percent)?;
        opt(sheet, row, 7, r.abandon_rate, &f.percent)?;
        sheet.write_number_with_format(row, 8, r.agents, &f.hours)?;
    }
    Ok(())
}

/// The columns of the `Summary` sheet: (CSV column of `summary.csv`, human header).
pub const SUMMARY_COLUMNS: [(&str, &str); 9] = [
    ("offered", "Offered"),
    ("answered", "Answered"),
    ("abandoned", "Abandoned"),
    ("service_level", "Service level"),
    ("asa_s", "ASA (s)"),
    ("abandon_rate", "Abandoned %"),
    ("wait_p90_s", "Wait p90 (s)"),
    ("occupancy", "Occupancy"),
    ("agents", "Agents"),
];

/// Outcome columns of the `Summary` sheet, after [`SUMMARY_COLUMNS`], each shown only when
/// some row of `summary.csv` has one (a plain scenario's sheet is unchanged).
pub const SUMMARY_OUTCOMES: [(&str, &str); 3] = [
    ("blocked", "Blocked (busy)"),
    ("closed", "Closed"),
    ("disconnected", "Disconnected at closing"),
];

/// The header of a half-width column, after its metric's.
pub const HW_HEADER: &str = "± 95 %";

/// The format of a planners' cell of CSV column `column`; `mean`: a mean over replications
/// (a count shown with one decimal).
fn format_of<'f>(f: &'f PlannerFormats, column: &str, mean: bool) -> &'f Format {
    match super::xlsx::kind("summary", column) {
        super::xlsx::Kind::Percent => &f.percent,
        super::xlsx::Kind::Seconds => &f.seconds,
        super::xlsx::Kind::Count if !mean => &f.count,
        _ => &f.hours,
    }
}

/// Writes the `Summary` sheet — per queue, then the center (`all`), the `summary.csv` columns
/// a planner reads first under human headers, each cell the CSV's own number — into `sheet`.
/// A replicated run's columns are means, each followed by its 95 % half-width (`± 95 %`, the
/// CSV's `<column>_hw95`). `targets` gives each queue's (SL threshold s, SL target) when known.
pub fn summary_sheet(
    sheet: &mut Worksheet,
    summary_csv: &std::path::Path,
    targets: &dyn Fn(&str) -> Option<(f64, f64)>,
    f: &PlannerFormats,
) -> Result<(), crate::app::AppError> {
    use crate::app::AppError;
    let in_err = |e: csv::Error| AppError::Input(format!("{}: {e}", summary_csv.display()));
    let out_err = |e: XlsxError| AppError::Output(format!("report.xlsx, sheet Summary: {e}"));
    let mut rd = csv::Reader::from_path(summary_csv).map_err(in_err)?;
    let header = rd.headers().map_err(in_err)?.clone();
    let records = rd
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(in_err)?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let replicated = col("offered_hw95").is_some();
    let nonzero = |c: usize| {
        records.iter().any(|r| {
            r.get(c)
                .and_then(|t| t.parse::<f64>().ok())
                .is_some_and(|v| v != 0.0)
        })
    };
    // (CSV column index, its half-width's, the CSV name, the header).
    let columns: Vec<(usize, Option<usize>, &str, &str)> = SUMMARY_COLUMNS
        .iter()
        .map(|&(c, human)| (c, human, true))
        .chain(SUMMARY_OUTCOMES.iter().map(|&(c, human)| (c, human, false)))
        .filter_map(|(c, human, always)| {
            let i = col(c)?;
            (always || nonzero(i)).then(|| (i, col(&format!("{c}_hw95")), c, human))
        })
        .collect();
    let mut headers = vec!["Queue", "SL threshold (s)", "SL target"];
    for &(_, _, _, human) in &columns {
        headers.push(human);
        if replicated {
            headers.push(HW_HEADER);
        }
    }
    header_row(sheet, &headers, f).map_err(out_err)?;
    let queue = col("queue").unwrap_or(0);
    for (i, rec) in records.iter().enumerate() {
        let row = i as u32 + 1;
        let name = rec.get(queue).unwrap_or("");
        sheet.write_string(row, 0, name).map_err(out_err)?;
        if let Some((threshold, target)) = targets(name) {
            sheet
                .write_number_with_format(row, 1, threshold, &f.seconds)
                .map_err(out_err)?;
            sheet
                .write_number_with_format(row, 2, target, &f.percent)
                .map_err(out_err)?;
        }
        let num = |c: usize| rec.get(c).and_then(|t| t.parse::<f64>().ok());
        let mut c = 3u16;
        for &(value, hw, name, _) in &columns {
            let fmt = format_of(f, name, replicated);
            opt(sheet, row, c, num(value), fmt).map_err(out_err)?;
            c += 1;
            if replicated {
                opt(sheet, row, c, hw.and_then(num), fmt).map_err(out_err)?;
                c += 1;
            }
        }
    }
    Ok(())
}

/// A replicated period sheet: its name, its first header, the table, the period's label.
type BandedPeriodSheet<'a> = (
    &'a str,
    &'a str,
    Option<&'a super::banded::BandTable>,
    &'a dyn Fn(f64) -> String,
);

/// Adds a replicated run's `Daily`, `Weekly` (from `daily.csv` and `weekly.csv`: each value
/// the mean over the replications, followed by its 95 % half-width) and `Misses` (the cells
/// significantly below target, with the 95 % interval) to `book`.
pub fn add_replicated_sheets(
    book: &mut Workbook,
    run: &super::banded::ReplicatedRun,
    f: &PlannerFormats,
) -> Result<(), XlsxError> {
    use super::banded_glance::{PERIOD_METRICS, significant_misses};
    let calendar = run.facts.calendar();
    let day_label = |t: f64| row_label(&calendar, t, true);
    let week_label = |t: f64| week_label(&calendar, t);
    let tables: [BandedPeriodSheet; 2] = [
        ("Daily", "Day", run.daily.as_ref(), &day_label),
        ("Weekly", "Week", run.weekly.as_ref(), &week_label),
    ];
    for (name, first, table, label) in tables {
        let Some(table) = table else { continue };
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        let mut headers = vec![first, "Queue"];
        for h in PERIOD_HEADERS {
            headers.extend([h, HW_HEADER]);
        }
        // The outcome column, when the table kept it (some period has one).
        if table.metrics.len() > PERIOD_METRICS.len() {
            headers.extend([DISCONNECTED, HW_HEADER]);
        }
        header_row(sheet, &headers, f)?;
        sheet.set_column_width(0, 26)?;
        let mut keys = table.keys();
        keys.sort_by_key(|k| *k != ALL);
        let mut row = 1u32;
        for key in keys {
            for r in table.rows.iter().filter(|r| r.key == key) {
                sheet.write_string(row, 0, label(r.start_s))?;
                sheet.write_string(row, 1, key)?;
                for (i, (m, v)) in table.metrics.iter().zip(&r.values).enumerate() {
                    let fmt = format_of(f, m, true);
                    let c = 2 + 2 * i as u16;
                    opt(sheet, row, c, v.mean, fmt)?;
                    opt(sheet, row, c + 1, v.hw95, fmt)?;
                }
                row += 1;
            }
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Misses")?;
    header_row(
        sheet,
        &[
            MISS_WHERE.as_slice(),
            &[
                "Service level",
                HW_HEADER,
                "SL 95 % low",
                "SL 95 % high",
                "Target",
                "Abandoned %",
                "Agents",
            ],
        ]
        .concat(),
        f,
    )?;
    let t = &run.intervals;
    for (i, m) in significant_misses(run).iter().enumerate() {
        let row = i as u32 + 1;
        let r = m.row;
        let (lo, hi) = m.interval();
        let value = |metric: &str| r.values[t.index(metric)].mean;
        sheet.write_string(row, 0, day_label(r.start_s))?;
        sheet.write_string(row, 1, calendar.weekday_label(r.start_s))?;
        sheet.write_string(row, 2, time_of_day(r.start_s))?;
        sheet.write_string(row, 3, &r.key)?;
        opt(sheet, row, 4, value("offered"), &f.hours)?;
        opt(sheet, row, 5, m.service_level.mean, &f.percent)?;
        opt(sheet, row, 6, m.service_level.hw95, &f.percent)?;
        sheet.write_number_with_format(row, 7, lo, &f.percent)?;
        sheet.write_number_with_format(row, 8, hi, &f.percent)?;
        sheet.write_number_with_format(row, 9, m.target, &f.percent)?;
        opt(sheet, row, 10, value("abandon_rate"), &f.percent)?;
        opt(sheet, row, 11, value("agents"), &f.hours)?;
    }
    Ok(())
}
