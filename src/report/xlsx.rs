//! `report.xlsx`: the folder's CSVs as one Excel workbook, one sheet per CSV, so a planner opens
//! the run in Excel with numbers as numbers, shares as percentages and dates as dates.
//!
//! Built from the CSV files already committed in the folder (never from the simulation's
//! memory): the workbook always says what the CSVs say, `hotline report DIR` can rebuild it, and
//! the sheets' numbers are the CSVs' numbers (six significant digits, see [`super::numbers`]).
//! Sheets are written in rust_xlsxwriter's constant-memory mode (rows go to a temporary file as
//! they are read), so a year-long run does not hold its intervals in memory.
//!
//! Per column, by its name (the CSV schemas' naming rules, so a new column gets a format
//! without a change here):
//! - shares (`service_level*`, `sl_*`, `p_*`, `*_rate`, `occupancy`, `*_share`) as `0.0%`;
//! - seconds (`*_s`) as `0.0`, the unit in the column name; `interval_start_s` as an integer;
//! - counts (offered, answered, agents required, …) as integers;
//! - `interval_start` as a date-time cell (`yyyy-mm-dd hh:mm`) when it is an ISO local date-time
//!   (`2026-11-30T08:00`, scenarios with a calendar start), otherwise text (`d1 Mon 08:00`);
//!   `date` columns (`2026-11-30`) as date cells;
//! - anything else that parses as a number as a number in the General format, the rest as text.
//!
//! In a folder of several replications a metric column holds the mean over the replications,
//! followed at the end by `<metric>_sd` and `<metric>_hw95` ([`kinds`]): both take the metric's
//! own format (a share's half-width as a percentage, seconds as seconds), and a count's mean,
//! standard deviation and half-width are not whole, so they are shown with one decimal
//! (65896.8 offered calls, not 65897).
//!
//! The header row is bold and frozen. The file is written atomically and its bytes depend only
//! on the CSVs: the zip entries carry no time and the document's creation date is fixed at
//! [`CREATION_DATE`] (1980-01-01, the zip format's epoch) instead of the clock.
//!
//! A CSV longer than an Excel sheet (1,048,575 data rows), or larger than [`MAX_RAW_CELLS`]
//! (a month of half-hours of a few queues), gets a sheet saying so instead of a silently cut
//! table: the CSV has every row. After the CSVs' sheets, a single run gets the planners' sheets
//! `Daily`, `Weekly` and `Misses` with human headers (`xlsx_planner`), and a folder holding a
//! schedule's roster the `Roster` and `Cost` sheets (`xlsx_roster`).

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::atomic::AtomicFile;
use crate::app::AppError;

/// The CSVs hotline writes, in sheet order; those present in the folder become sheets.
pub const SHEETS: &[&str] = &[
    "summary",
    "intervals",
    "arrivals",
    "pools",
    "waits",
    "classes",
    "class_intervals",
    "staffing",
    "staffing_daily",
    "plan_vs_sim",
];

/// Data rows an Excel sheet holds under its header.
pub const MAX_ROWS: u64 = 1_048_575;

/// A CSV is copied into its sheet only up to this many cells (data rows × columns): about
/// 8,000 rows of `intervals.csv` (a month of half-hours for a center of four queues). Beyond,
/// the sheet says where the rows are — the CSV holds them all, and the `Daily`, `Weekly` and
/// `Misses` sheets sum and pick from them — because copying every interval cost more than the
/// simulation itself (issue 20: a 220-day run took 3.2 s with the workbook, 1.45 s without).
pub const MAX_RAW_CELLS: u64 = 400_000;

/// The planners' sheets after the CSVs' (runs with `intervals.csv`; a replicated run's from
/// its `daily.csv` and `weekly.csv`), with human headers.
pub const PLANNER_SHEETS: &[&str] = &["Daily", "Weekly", "Misses"];

/// The planners' first sheet (per queue and center, human headers), before the raw sheets.
pub const SUMMARY_SHEET: &str = "Summary";

/// The name of the raw sheet of CSV `name`: its name, except `summary.csv`'s, which is
/// `summary.csv` — Excel's sheet names ignore case, so `summary` would clash with
/// [`SUMMARY_SHEET`].
pub fn raw_sheet_name(name: &str) -> &str {
    if name.eq_ignore_ascii_case(SUMMARY_SHEET) {
        "summary.csv"
    } else {
        name
    }
}

/// The run facts of `run.json` when the folder has a readable one (the `Summary` sheet's SL
/// thresholds and targets; without it those cells stay empty).
fn read_facts(dir: &Path) -> Option<super::run_files::RunFacts> {
    let text = std::fs::read_to_string(dir.join("run.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// The fixed creation date stored in the workbook's properties: (year, month, day).
pub const CREATION_DATE: (u16, u8, u8) = (1980, 1, 1);

/// Column names of counts (written as integers).
const COUNTS: &[&str] = &[
    "offered",
    "self_served",
    "hung_up_ivr",
    "answered",
    "abandoned",
    "in_system_at_end",
    "in_queue_at_end",
    "priority",
    "answered_within_threshold",
    "abandoned_within_threshold",
    "queue_length_peak",
    "first_attempts",
    "redials",
    "blocked",
    "closed",
    "closed_self_served",
    "callbacks_offered",
    "callbacks_accepted",
    "callbacks_completed",
    "callbacks_failed",
    "transferred_in",
    "transferred_out",
    "journeys",
    "agents_erlang_c",
    "agents_erlang_a",
    "agents_required",
    "agents_scheduled",
    "peak_agents_required",
    "peak_agents_scheduled",
    "day",
    "interval_start_s",
];

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A share 0–1, shown as a percentage.
    Percent,
    /// Seconds, one decimal.
    Seconds,
    /// A whole number.
    Count,
    /// A mean (or spread) of counts over replications: one decimal.
    CountMean,
    /// `YYYY-MM-DDTHH:MM` as a date-time cell, other text as text.
    DateTime,
    /// `YYYY-MM-DD` as a date cell, other text as text.
    Date,
    /// A number in Excel's General format, or text.
    General,
}

/// The kind of a column, from its name (and, for `calls`, its sheet: expected calls in the
/// staffing sheets are not whole).
pub fn kind(sheet: &str, column: &str) -> Kind {
    let c = column;
    if c == "interval_start" || c.ends_with("_at") {
        Kind::DateTime
    } else if c == "date" || c.ends_with("_date") {
        Kind::Date
    } else if COUNTS.contains(&c) || (c == "calls" && sheet == "waits") {
        Kind::Count
    } else if c.starts_with("service_level")
        || c.starts_with("sl_")
        || c.starts_with("p_")
        || c.ends_with("_rate")
        || c.ends_with("_share")
        || c == "occupancy"
    {
        Kind::Percent
    } else if c.ends_with("_s") {
        Kind::Seconds
    } else {
        Kind::General
    }
}

/// The kinds of a sheet's columns, from its header. `<metric>_sd` and `<metric>_hw95` beside a
/// `<metric>` column take the metric's kind; a count that has them is a mean over replications
/// and it and its spread become [`Kind::CountMean`]. Single-run sheets get [`kind`] per column.
pub fn kinds(sheet: &str, header: &[&str]) -> Vec<Kind> {
    fn spread_of<'c>(c: &'c str, header: &[&str]) -> Option<&'c str> {
        ["_sd", "_hw95"]
            .iter()
            .find_map(|s| c.strip_suffix(s))
            .filter(|m| header.contains(m))
    }
    let has_spread = |c: &str| {
        header.contains(&format!("{c}_sd").as_str())
            || header.contains(&format!("{c}_hw95").as_str())
    };
    header
        .iter()
        .map(|&c| {
            let (metric, replicated) = match spread_of(c, header) {
                Some(m) => (m, true),
                None => (c, has_spread(c)),
            };
            match kind(sheet, metric) {
                Kind::Count if replicated => Kind::CountMean,
                k => k,
            }
        })
        .collect()
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (optionally `:SS`) into an Excel date-time; `None`
/// for anything else (then the cell is text).
pub fn parse_iso(text: &str) -> Option<ExcelDateTime> {
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u16> {
        let s = text.get(r)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = ExcelDateTime::from_ymd(num(0..4)?, u8::try_from(num(5..7)?).ok()?, {
        u8::try_from(num(8..10)?).ok()?
    })
    .ok()?;
    match b.len() {
        10 => Some(date),
        16 | 19 if b[10] == b'T' && b[13] == b':' => {
            let sec = if b.len() == 19 {
                if b[16] != b':' {
                    return None;
                }
                num(17..19)?
            } else {
                0
            };
            // and_hms takes hours beyond 24 (Excel durations): a time of day is below 24.
            let hour = num(11..13).filter(|h| *h < 24)?;
            date.and_hms(hour, u8::try_from(num(14..16)?).ok()?, sec)
                .ok()
        }
        _ => None,
    }
}

/// The formats of one workbook.
struct Formats {
    header: Format,
    percent: Format,
    seconds: Format,
    count: Format,
    count_mean: Format,
    datetime: Format,
    date: Format,
    general: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            header: Format::new().set_bold(),
            percent: Format::new().set_num_format("0.0%"),
            seconds: Format::new().set_num_format("0.0"),
            count: Format::new().set_num_format("0"),
            count_mean: Format::new().set_num_format("0.0"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            general: Format::new(),
        }
    }

    /// The formats the planners' sheets use.
    fn planner(&self) -> super::xlsx_planner::PlannerFormats {
        super::xlsx_planner::PlannerFormats {
            header: self.header.clone(),
            percent: self.percent.clone(),
            seconds: self.seconds.clone(),
            count: self.count.clone(),
            hours: self.count_mean.clone(),
        }
    }

    fn of(&self, k: Kind) -> &Format {
        match k {
            Kind::Percent => &self.percent,
            Kind::Seconds => &self.seconds,
            Kind::Count => &self.count,
            Kind::CountMean => &self.count_mean,
            Kind::DateTime => &self.datetime,
            Kind::Date => &self.date,
            Kind::General => &self.general,
        }
    }
}

/// A readable width (in Excel's character units) for a column.
fn width(header: &str, k: Kind) -> f64 {
    let min = match k {
        Kind::DateTime => 17.0,
        Kind::Date => 11.0,
        _ => 9.0,
    };
    (header.chars().count() as f64 + 2.0).max(min)
}

fn xlsx_err(path: &Path) -> impl Fn(XlsxError) -> AppError + '_ {
    move |e| AppError::Output(format!("{}: {e}", path.display()))
}

/// Writes `dir/report.xlsx` from the hotline CSVs in `dir`; `None` (and nothing written) when
/// the folder holds none of them.
pub fn write_workbook(dir: &Path) -> Result<Option<PathBuf>, AppError> {
    let path = dir.join("report.xlsx");
    let present: Vec<(&str, PathBuf)> = SHEETS
        .iter()
        .map(|s| (*s, dir.join(format!("{s}.csv"))))
        .filter(|(_, p)| p.is_file())
        .collect();
    if present.is_empty() {
        return Ok(None);
    }
    let err = xlsx_err(&path);
    let mut book = Workbook::new();
    let (y, m, d) = CREATION_DATE;
    let created = ExcelDateTime::from_ymd(y, m, d).map_err(&err)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let formats = Formats::new();
    let summary = dir.join("summary.csv");
    if summary.is_file() {
        let facts = read_facts(dir);
        let targets = |queue: &str| {
            let q = facts.as_ref()?.queues.iter().find(|q| q.name == queue)?;
            Some((q.sl_threshold_s, q.sl_target))
        };
        let sheet = book.add_worksheet();
        sheet.set_name(SUMMARY_SHEET).map_err(&err)?;
        super::xlsx_planner::summary_sheet(sheet, &summary, &targets, &formats.planner())?;
    }
    for (name, csv_path) in &present {
        let sheet = book.add_worksheet_with_constant_memory().map_err(&err)?;
        sheet.set_name(raw_sheet_name(name)).map_err(&err)?;
        fill_sheet(sheet, name, csv_path, &formats)?;
    }
    let replicated = dir.join("replications.csv").is_file();
    if dir.join("intervals.csv").is_file() && !replicated {
        let run = super::data::RunData::load(dir)?;
        super::xlsx_planner::add_sheets(&mut book, &run, &formats.planner()).map_err(&err)?;
    } else if replicated {
        let run = super::banded::ReplicatedRun::load(dir)?;
        super::xlsx_planner::add_replicated_sheets(&mut book, &run, &formats.planner())
            .map_err(&err)?;
    }
    super::xlsx_roster::add_sheets(&mut book, dir, &formats.planner())?;
    let io_err = |e: std::io::Error| AppError::Output(format!("{}: {e}", path.display()));
    let mut file = AtomicFile::create(&path).map_err(io_err)?;
    book.save_to_writer(&mut file).map_err(&err)?;
    file.commit().map_err(io_err)?;
    drop(err);
    Ok(Some(path))
}

/// Data rows and columns of a CSV, counted from its bytes (hotline's CSVs hold no line breaks
/// inside cells) without parsing every cell.
fn shape(csv_path: &Path) -> Result<(u64, u64), AppError> {
    let bytes = std::fs::read(csv_path)
        .map_err(|e| AppError::Input(format!("{}: {e}", csv_path.display())))?;
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64
        + u64::from(!bytes.is_empty() && bytes.last() != Some(&b'\n'));
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let columns = header.iter().filter(|&&b| b == b',').count() as u64 + 1;
    Ok((lines.saturating_sub(1), columns))
}

/// Copies one CSV into `sheet`, row by row.
fn fill_sheet(
    sheet: &mut Worksheet,
    name: &str,
    csv_path: &Path,
    f: &Formats,
) -> Result<(), AppError> {
    let in_err = |e: csv::Error| AppError::Input(format!("{}: {e}", csv_path.display()));
    let out_err = |e: XlsxError| AppError::Output(format!("report.xlsx, sheet {name}: {e}"));
    let open = || csv::Reader::from_path(csv_path).map_err(in_err);
    let (rows, columns) = shape(csv_path)?;
    if rows * columns > MAX_RAW_CELLS {
        sheet
            .write_string(
                0,
                0,
                format!(
                    "{name}.csv has {rows} rows × {columns} columns, more than report.xlsx \
                     copies ({MAX_RAW_CELLS} cells); open the CSV for every row. The Daily, \
                     Weekly and Misses sheets sum and pick from intervals.csv."
                ),
            )
            .map_err(out_err)?;
        return Ok(());
    }
    if rows > MAX_ROWS {
        sheet
            .write_string(
                0,
                0,
                format!(
                    "{name}.csv has {rows} rows, more than an Excel sheet holds \
                     ({MAX_ROWS}); open the CSV instead."
                ),
            )
            .map_err(out_err)?;
        return Ok(());
    }
    let mut reader = open()?;
    let headers = reader.headers().map_err(in_err)?.clone();
    let kinds = kinds(name, &headers.iter().collect::<Vec<_>>());
    for (c, h) in headers.iter().enumerate() {
        let c = c as u16;
        sheet
            .set_column_width(c, width(h, kinds[c as usize]))
            .map_err(out_err)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(out_err)?;
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, h, &f.header)
            .map_err(out_err)?;
    }
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(in_err)?;
        let row = r as u32 + 1;
        for (c, cell) in record.iter().enumerate() {
            let col = c as u16;
            let k = kinds.get(c).copied().unwrap_or(Kind::General);
            if cell.is_empty() {
                continue;
            }
            match k {
                Kind::DateTime | Kind::Date => match parse_iso(cell) {
                    Some(dt) => sheet.write_datetime_with_format(row, col, &dt, f.of(k)),
                    None => sheet.write_string(row, col, cell),
                },
                _ => match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => sheet.write_number_with_format(row, col, v, f.of(k)),
                    _ => sheet.write_string(row, col, cell),
                },
            }
            .map_err(out_err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_get_their_kind_from_the_naming_rules() {
        assert_eq!(kind("intervals", "service_level"), Kind::Percent);
        assert_eq!(
            kind("staffing", "service_level_excl_early_abandons"),
            Kind::Percent
        );
        assert_eq!(kind("plan_vs_sim", "sl_gap"), Kind::Percent);
        assert_eq!(kind("intervals", "abandon_rate"), Kind::Percent);
        assert_eq!(kind("staffing", "p_abandon"), Kind::Percent);
        assert_eq!(kind("pools", "occupancy"), Kind::Percent);
        assert_eq!(kind("intervals", "wait_p90_s"), Kind::Seconds);
        assert_eq!(kind("intervals", "interval_start_s"), Kind::Count);
        assert_eq!(kind("intervals", "offered"), Kind::Count);
        assert_eq!(kind("waits", "calls"), Kind::Count);
        assert_eq!(kind("staffing", "calls"), Kind::General);
        assert_eq!(kind("intervals", "interval_start"), Kind::DateTime);
        assert_eq!(kind("staffing_daily", "date"), Kind::Date);
        assert_eq!(kind("intervals", "queue"), Kind::General);
    }

    #[test]
    fn a_metric_s_spread_columns_take_its_format_and_count_means_keep_decimals() {
        let header = [
            "queue",
            "interval_start_s",
            "offered",
            "service_level",
            "abandon_rate",
            "asa_s",
            "agents",
            "offered_sd",
            "offered_hw95",
            "service_level_sd",
            "service_level_hw95",
            "abandon_rate_sd",
            "abandon_rate_hw95",
            "asa_s_sd",
            "asa_s_hw95",
            "agents_sd",
            "agents_hw95",
        ];
        use Kind::*;
        assert_eq!(
            kinds("summary", &header),
            vec![
                General, Count, CountMean, Percent, Percent, Seconds, General, CountMean,
                CountMean, Percent, Percent, Percent, Percent, Seconds, Seconds, General, General,
            ]
        );
        // A single run: counts stay whole.
        assert_eq!(
            kinds("summary", &["queue", "offered", "asa_s"]),
            vec![General, Count, Seconds]
        );
    }

    #[test]
    fn iso_dates_become_excel_dates_and_week_clock_labels_stay_text() {
        // The serial number itself is checked in the sheet XML by tests/outputs.rs.
        assert!(parse_iso("2026-11-30T08:00").is_some());
        assert!(parse_iso("2026-11-30T08:00:30").is_some());
        assert!(parse_iso("2026-11-30").is_some());
        assert!(parse_iso("2026-11-31").is_none());
        assert!(parse_iso("2026-11-30T25:00").is_none());
        assert!(parse_iso("d1 Mon 08:00").is_none());
        assert!(parse_iso("2026-11-30 08:00").is_none());
    }
}
