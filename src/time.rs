//! Time as the planner speaks it: durations ("45s", "3m", "1h30m"), the week clock that starts on
//! a Monday 00:00, and statistics intervals.
//!
//! Simulation time is `f64` seconds since the start of the horizon (Monday 00:00 of week 1).
//! This module owns parsing and formatting of times; it knows nothing of calls or agents.

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

/// Weekday names in timeline order (the timeline starts on a Monday).
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

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
        Err(_) => parse_duration(text),
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

fn bad_duration(text: &str) -> String {
    format!("`{text}` is not a duration; write e.g. \"45s\", \"3m\", \"1h30m\" or plain seconds")
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

/// An instant on the week clock, displayed as a planner reads it: `d1 Mon 08:30`.
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
    fn durations_format_compactly() {
        assert_eq!(format_duration(Seconds(5400.0)), "1h30m");
        assert_eq!(format_duration(Seconds(45.0)), "45s");
    }
}
