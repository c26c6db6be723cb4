//! Time as the planner speaks it: durations ("45s", "3m", "1h30m"), clock times, calendar
//! dates and date-times (parsed with `jiff`), and the [`Calendar`] that turns an instant of
//! the simulation into the label every output file carries.
//!
//! Simulation time is `f64` seconds since the start of the horizon: 00:00 of `[scenario] start`
//! when the scenario gives one, otherwise 00:00 of an undated Monday ("day 1"). Time is local
//! wall-clock time without a time zone: every day has 24 hours (a daylight-saving day is not
//! modelled). This module owns parsing and formatting of times; it knows nothing of calls or
//! agents.

use std::fmt;

/// A duration or an instant in seconds of simulated time.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Seconds(pub f64);

impl Seconds {
    pub const ZERO: Seconds = Seconds(0.0);
    pub fn get(self) -> f64 {
        self.0
    }
}

/// Seconds in a day and in a week.
pub const DAY: f64 = 86_400.0;
pub const WEEK: f64 = 7.0 * DAY;

/// Weekday names, Monday first (the order of every per-weekday list in a scenario).
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Weekday labels of the outputs' `weekday` column, Monday first.
pub const WEEKDAY_LABELS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub use jiff::civil::{Date, DateTime};

/// Parses a duration: `"45s"`, `"3m"`, `"1h30m"`, `"1h 30m 10s"`, `"2.5m"`, `"1d"`, or plain
/// seconds (`"90"`). Returns a message (without location) on failure; the caller adds where.
pub fn parse_duration(text: &str) -> Result<Seconds, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    if let Ok(v) = s.parse::<f64>() {
        return finite(v, text);
    }
    let mut total = 0.0;
    let mut number = String::new();
    let mut saw_unit = false;
    for ch in s.chars() {
        match ch {
            '0'..='9' | '.' => number.push(ch),
            ' ' => {}
            'd' | 'h' | 'm' | 's' => {
                let v: f64 = number.parse().map_err(|_| bad_duration(text))?;
                let unit = match ch {
                    'd' => DAY,
                    'h' => 3600.0,
                    'm' => 60.0,
                    _ => 1.0,
                };
                total += v * unit;
                number.clear();
                saw_unit = true;
            }
            _ => return Err(bad_duration(text)),
        }
    }
    if !number.is_empty() || !saw_unit {
        return Err(bad_duration(text));
    }
    finite(total, text)
}

/// Parses a duration that must carry its unit: as [`parse_duration`], but a bare number
/// (`"5"`: seconds or minutes?) is refused with a hint, except 0, which is 0 in any unit. Used
/// for scenario keys and command-line flags; CSV columns keep their documented plain seconds.
pub fn parse_duration_with_unit(text: &str) -> Result<Seconds, String> {
    match text.trim().parse::<f64>() {
        Ok(v) => bare_seconds(v).map(Seconds).map_err(|_| {
            if v.is_finite() {
                no_unit(text.trim())
            } else {
                bad_duration(text)
            }
        }),
        // The hint must not offer plain seconds: here they are refused (`no_unit`).
        Err(_) => parse_duration(text).map_err(|e| {
            if e == bad_duration(text) {
                bad_duration_with_unit(text)
            } else {
                e
            }
        }),
    }
}

/// A duration written as a bare number (a TOML number): only 0 is accepted, anything else is
/// refused with the hint of [`parse_duration_with_unit`].
pub fn bare_seconds(v: f64) -> Result<f64, String> {
    if v == 0.0 {
        Ok(0.0)
    } else if v.is_finite() {
        let shown = format!("{v}");
        Err(no_unit(&shown))
    } else {
        Err(format!(
            "`{v}` is not a duration; write e.g. \"45s\" or \"3m\""
        ))
    }
}

fn no_unit(number: &str) -> String {
    format!("`{number}` has no unit: write \"{number}s\" for seconds or \"{number}m\" for minutes")
}

fn finite(v: f64, text: &str) -> Result<Seconds, String> {
    if v.is_finite() {
        Ok(Seconds(v))
    } else {
        Err(bad_duration(text))
    }
}

/// The hint where plain seconds are accepted: CSV cells ([`parse_duration`]).
fn bad_duration(text: &str) -> String {
    format!("`{text}` is not a duration; write e.g. \"45s\", \"3m\", \"1h30m\" or plain seconds")
}

/// The hint for scenario keys and flags, where a duration carries its unit
/// ([`parse_duration_with_unit`]).
fn bad_duration_with_unit(text: &str) -> String {
    format!("`{text}` is not a duration; write e.g. \"45s\", \"3m\" or \"1h30m\" (with its unit)")
}

/// Parses a clock time of day `"08:00"` or `"19:30"` (also `"24:00"` for the end of the day)
/// into seconds since midnight.
pub fn parse_clock(text: &str) -> Result<Seconds, String> {
    let bad = || format!("`{text}` is not a time of day; write e.g. \"08:00\"");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(Seconds(f64::from(h * 3600 + m * 60)))
}

/// Index of a weekday name (`"mon"` = 0 … `"sun"` = 6); accepts full names too.
pub fn parse_weekday(text: &str) -> Option<usize> {
    let t = text.trim().to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .position(|d| t.starts_with(d) && (t.len() == 3 || full_name(d) == t))
}

fn full_name(short: &str) -> &'static str {
    match short {
        "mon" => "monday",
        "tue" => "tuesday",
        "wed" => "wednesday",
        "thu" => "thursday",
        "fri" => "friday",
        "sat" => "saturday",
        _ => "sunday",
    }
}

/// An instant on the undated week clock (day 1 is a Monday), displayed as a planner reads it:
/// `d1 Mon 08:30`. Output files label instants through [`Calendar::label`], which uses this
/// when the scenario has no `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock(pub f64);

impl Clock {
    /// Zero-based day number since the start of the horizon.
    pub fn day(self) -> u64 {
        (self.0 / DAY).floor() as u64
    }
    /// Weekday index, Monday = 0.
    pub fn weekday(self) -> usize {
        (self.day() % 7) as usize
    }
    /// Seconds since midnight.
    pub fn time_of_day(self) -> f64 {
        self.0 - self.day() as f64 * DAY
    }
}

impl fmt::Display for Clock {
    /// `d1 Mon 08:30`: day number (1-based), weekday, hh:mm. Sorts and reads well in a CSV.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tod = self.time_of_day().round() as u64;
        let (h, m) = (tod / 3600, (tod % 3600) / 60);
        let name = WEEKDAYS[self.weekday()];
        let mut cap = name.to_string();
        cap[..1].make_ascii_uppercase();
        write!(f, "d{} {} {:02}:{:02}", self.day() + 1, cap, h, m)
    }
}

// ---------------------------------------------------------------- calendar dates

/// Parses a calendar date `YYYY-MM-DD` (`2026-11-30`). An impossible date names the month's
/// length: "`2026-11-31` is not a date: November 2026 has 30 days".
pub fn parse_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    if let Some(hint) = day_first_hint(t, "YYYY-MM-DD", "yyyy-mm-dd") {
        return Err(hint);
    }
    if t.len() != 10 {
        return Err(format!(
            "`{t}` is not a date; write `YYYY-MM-DD`, e.g. `2026-11-30`"
        ));
    }
    t.parse::<Date>().map_err(|e| bad_date(t, &e))
}

/// Parses a local date and time `YYYY-MM-DD HH:MM[:SS[.fff]]` (or with `T` between date and
/// time). A time zone or UTC offset is refused: hotline uses local wall-clock time.
pub fn parse_date_time(text: &str) -> Result<DateTime, String> {
    let t = text.trim();
    if let Some(hint) = day_first_hint(t, "YYYY-MM-DD HH:MM", "yyyy-mm-dd hh:mm") {
        return Err(hint);
    }
    let form = "write `YYYY-MM-DD HH:MM[:SS]`, e.g. `2026-11-30 08:00`";
    let Some(time) = t.get(10..).and_then(|r| r.strip_prefix([' ', 'T', 't'])) else {
        return Err(format!("`{t}` is not a date and time; {form}"));
    };
    if !time
        .chars()
        .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
    {
        return Err(format!(
            "`{t}` is not a local date and time ({form}); hotline uses local wall-clock time, without a time zone or UTC offset"
        ));
    }
    if time.split(':').next().is_some_and(|h| h.len() != 2) {
        return Err(format!(
            "`{t}` is not a date and time; {form} (two-digit hours)"
        ));
    }
    t.parse::<DateTime>().map_err(|e| bad_date(t, &e))
}

/// For a date as a spreadsheet writes it in a local format — `04.01.2027` (German: day first,
/// always), `04/01/2027` (day or month first) — the message naming the accepted format, the
/// text to write when the order is certain, and how to make Excel write it; `None` otherwise.
/// (jiff alone says "failed to parse four digit integer as year".)
fn day_first_hint(t: &str, form: &str, excel: &str) -> Option<String> {
    let date = t.split([' ', 'T']).next().unwrap_or("");
    let rest = &t[date.len()..];
    let sep = if date.contains('.') { '.' } else { '/' };
    let parts: Vec<&str> = date.split(sep).collect();
    let [a, b, y] = parts[..] else { return None };
    let num = |p: &str| {
        (p.len() <= 2 && !p.is_empty())
            .then(|| p.parse::<u8>().ok())
            .flatten()
    };
    let (a, b) = (num(a)?, num(b)?);
    if y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let iso = |d: u8, m: u8| format!("`{y}-{m:02}-{d:02}{rest}`");
    let how = format!(
        "hotline reads `{form}` only: give the column the custom format `{excel}` in Excel \
         before saving, or convert it"
    );
    Some(if sep == '.' || a > 12 {
        format!(
            "`{t}` is written day first; {how} (this one is {})",
            iso(a, b)
        )
    } else if b > 12 {
        format!(
            "`{t}` is written month first; {how} (this one is {})",
            iso(b, a)
        )
    } else {
        format!(
            "`{t}` is ambiguous: day first it is {}, month first {}; {how}",
            iso(a, b),
            iso(b, a)
        )
    })
}

/// jiff's message, or for a day past the end of its month the month's length.
fn bad_date(text: &str, e: &jiff::Error) -> String {
    let mut parts = text.get(..10).unwrap_or("").split('-');
    let mut field = || parts.next().and_then(|p| p.parse::<i16>().ok());
    if let (Some(y), Some(m), Some(d)) = (field(), field(), field())
        && let Ok(first) = Date::new(y, m as i8, 1)
        && d > i16::from(first.days_in_month())
    {
        return format!(
            "`{text}` is not a date: {} {y} has {} days",
            first.strftime("%B"),
            first.days_in_month()
        );
    }
    format!("`{text}` is not a valid date: {e}")
}

/// Seconds since 1970-01-01 00:00 of a local date-time (no time zone: days of 86,400 s).
pub fn epoch_seconds(t: DateTime) -> f64 {
    let midnight = jiff::civil::date(1970, 1, 1).to_datetime(jiff::civil::Time::midnight());
    t.duration_since(midnight).as_secs_f64()
}

/// Parses `YYYY-MM-DD HH:MM[:SS[.fff]]` (or with `T`) into seconds since 1970-01-01 00:00.
pub fn parse_timestamp(text: &str) -> Result<f64, String> {
    parse_date_time(text).map(epoch_seconds)
}

/// The offset that puts the Monday 00:00 of a dated time's week at 0: how an undated scenario
/// places a dated forecast or log.
pub fn monday_offset(epoch_s: f64) -> f64 {
    let days = (epoch_s / DAY).floor() as i64;
    let weekday = (days + 3).rem_euclid(7); // 1970-01-01 was a Thursday (Monday = 0)
    -((days - weekday) as f64 * DAY)
}

/// Where the horizon sits in the calendar: 00:00 of `[scenario] start`, or (without it) an
/// undated Monday. Every output file labels its instants with [`Calendar::label`], so one
/// scenario reads the same in every file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Calendar {
    start: Option<Date>,
}

impl Calendar {
    /// The calendar of a horizon starting at 00:00 of `start` (`None`: an undated Monday).
    pub fn new(start: Option<Date>) -> Self {
        Calendar { start }
    }

    /// The first day of the horizon, when the scenario gives one.
    pub fn start(&self) -> Option<Date> {
        self.start
    }

    /// Weekday of the horizon's first day, Monday = 0.
    pub fn first_weekday(&self) -> usize {
        self.start
            .map_or(0, |d| d.weekday().to_monday_zero_offset() as usize)
    }

    /// Weekday of the instant `t` (seconds since the start of the horizon), Monday = 0.
    pub fn weekday(&self, t: f64) -> usize {
        (self.first_weekday() + Clock(t.max(0.0)).day() as usize % 7) % 7
    }

    /// `Mon` … `Sun`: the `weekday` column of the outputs.
    pub fn weekday_label(&self, t: f64) -> &'static str {
        WEEKDAY_LABELS[self.weekday(t)]
    }

    /// The date of day `day` (0-based) of the horizon, when the scenario is dated.
    pub fn date_of_day(&self, day: u64) -> Option<Date> {
        let start = self.start?;
        start
            .checked_add(jiff::Span::new().days(i64::try_from(day).ok()?))
            .ok()
    }

    /// The 0-based day of the horizon a date falls on (negative before the start); `None`
    /// without `start`.
    pub fn day_of(&self, date: Date) -> Option<i64> {
        let start = self.start?;
        Some(date.duration_since(start).as_secs().div_euclid(86_400))
    }

    /// Seconds since 1970-01-01 00:00 of the horizon's start, when dated.
    pub fn start_epoch_s(&self) -> Option<f64> {
        self.start
            .map(|d| epoch_seconds(d.to_datetime(jiff::civil::Time::midnight())))
    }

    /// The label of an instant in every output file: `2026-11-30T08:00` (ISO 8601 local
    /// date-time, which Excel and pandas read as a date) when the scenario has a `start`,
    /// `d1 Mon 08:00` otherwise.
    pub fn label(&self, t: f64) -> String {
        let c = Clock(t);
        match self.date_of_day(c.day()) {
            Some(date) => {
                let tod = c.time_of_day().round() as u64;
                format!("{date}T{:02}:{:02}", tod / 3600, tod % 3600 / 60)
            }
            None => c.to_string(),
        }
    }

    /// The date column of a daily row: `2026-11-30`, or empty without `start`.
    pub fn day_label(&self, day: u64) -> String {
        self.date_of_day(day)
            .map_or(String::new(), |d| d.to_string())
    }
}

/// Formats seconds as a compact duration (`"3m"`, `"1h30m"`, `"45s"`), used by `check`.
pub fn format_duration(s: Seconds) -> String {
    let v = s.0;
    if v.fract().abs() > 1e-9 || v < 0.0 {
        return format!("{v:.3}s");
    }
    let mut rest = v as u64;
    if rest == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, len) in [("d", 86_400u64), ("h", 3600), ("m", 60), ("s", 1)] {
        if rest >= len {
            out.push_str(&format!("{}{}", rest / len, unit));
            rest %= len;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_planner_notation() {
        assert_eq!(parse_duration("45s").unwrap().0, 45.0);
        assert_eq!(parse_duration("3m").unwrap().0, 180.0);
        assert_eq!(parse_duration("1h30m").unwrap().0, 5400.0);
        assert_eq!(parse_duration("1h 30m 10s").unwrap().0, 5410.0);
        assert_eq!(parse_duration("2.5m").unwrap().0, 150.0);
        assert_eq!(parse_duration("90").unwrap().0, 90.0);
        assert!(parse_duration("3x").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("3m5").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn a_bare_number_is_not_a_duration_where_a_unit_is_required() {
        let e = parse_duration_with_unit("5").unwrap_err();
        assert!(e.contains("\"5s\"") && e.contains("\"5m\""), "{e}");
        assert!(parse_duration_with_unit("2.5").is_err());
        assert!(bare_seconds(5.0).is_err());
        assert_eq!(parse_duration_with_unit("0").unwrap().0, 0.0);
        assert_eq!(bare_seconds(0.0), Ok(0.0));
        assert_eq!(parse_duration_with_unit("5m").unwrap().0, 300.0);
        assert!(parse_duration_with_unit("inf").is_err());
    }

    #[test]
    fn clock_times_parse_and_reject_nonsense() {
        assert_eq!(parse_clock("08:00").unwrap().0, 8.0 * 3600.0);
        assert_eq!(parse_clock("24:00").unwrap().0, DAY);
        assert!(parse_clock("24:30").is_err());
        assert!(parse_clock("8").is_err());
        assert!(parse_clock("08:60").is_err());
    }

    #[test]
    fn weekdays_accept_short_and_full_names() {
        assert_eq!(parse_weekday("mon"), Some(0));
        assert_eq!(parse_weekday("Sunday"), Some(6));
        assert_eq!(parse_weekday("mond"), None);
    }

    #[test]
    fn clock_labels_read_like_a_planner() {
        assert_eq!(Clock(8.5 * 3600.0).to_string(), "d1 Mon 08:30");
        assert_eq!(Clock(DAY * 8.0 + 3600.0).to_string(), "d9 Tue 01:00");
    }

    #[test]
    fn impossible_dates_name_the_month_length() {
        assert_eq!(
            parse_date("2026-11-31").unwrap_err(),
            "`2026-11-31` is not a date: November 2026 has 30 days"
        );
        let feb = parse_timestamp("2026-02-30 08:00").unwrap_err();
        assert!(feb.contains("February 2026 has 28 days"), "{feb}");
        assert!(parse_date("2026-13-01").unwrap_err().contains("month"));
        assert!(parse_date("2026-11-30 08:00").is_err());
        assert!(parse_timestamp("2026-11-30 08:00+01:00").is_err());
        assert!(parse_timestamp("2026-11-30").is_err());
        assert!(parse_timestamp("2026-11-30 8:00").is_err());
    }

    #[test]
    fn timestamps_parse_to_epoch_seconds() {
        assert_eq!(parse_timestamp("1970-01-01 00:00").unwrap(), 0.0);
        assert_eq!(
            parse_timestamp("2026-11-23 08:30:15").unwrap(),
            20_780.0 * DAY + 8.5 * 3600.0 + 15.0
        );
        assert_eq!(
            parse_timestamp("2026-11-23T08:30:15.5").unwrap().fract(),
            0.5
        );
        assert!(parse_timestamp("2026-13-01 00:00").is_err());
        assert!(parse_timestamp("yesterday").is_err());
    }

    #[test]
    fn dated_logs_start_on_the_monday_of_their_first_week() {
        // 2026-11-25 is a Wednesday; its week's Monday is 2026-11-23.
        let wed = parse_timestamp("2026-11-25 10:00").unwrap();
        assert_eq!(wed + monday_offset(wed), 2.0 * DAY + 10.0 * 3600.0);
        let mon = parse_timestamp("2026-11-23 00:00").unwrap();
        assert_eq!(mon + monday_offset(mon), 0.0);
    }

    #[test]
    fn a_dated_calendar_labels_iso_date_times_and_real_weekdays() {
        // 2026-12-06 is a Sunday.
        let c = Calendar::new(Some(parse_date("2026-12-06").unwrap()));
        assert_eq!(c.first_weekday(), 6);
        assert_eq!(c.label(8.0 * 3600.0), "2026-12-06T08:00");
        assert_eq!(c.label(DAY + 1800.0), "2026-12-07T00:30");
        assert_eq!(c.weekday_label(DAY), "Mon");
        assert_eq!(c.day_label(26), "2027-01-01");
        assert_eq!(c.day_of(parse_date("2026-12-24").unwrap()), Some(18));
        assert_eq!(c.day_of(parse_date("2026-12-05").unwrap()), Some(-1));
    }

    #[test]
    fn an_undated_calendar_keeps_day_numbers() {
        let c = Calendar::default();
        assert_eq!(c.label(8.5 * 3600.0), "d1 Mon 08:30");
        assert_eq!(c.weekday_label(6.0 * DAY), "Sun");
        assert_eq!(c.day_label(0), "");
        assert_eq!(c.day_of(parse_date("2026-12-05").unwrap()), None);
    }

    #[test]
    fn durations_format_compactly() {
        assert_eq!(format_duration(Seconds(5400.0)), "1h30m");
        assert_eq!(format_duration(Seconds(45.0)), "45s");
    }
}
