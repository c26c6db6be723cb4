//! Tick positions and labels: time axes as a planner reads them (`Mon 08:00`, `Tue`, `d9 Tue`,
//! `week 3` — chosen by the span shown) and plain value axes with round steps.

use crate::time::{Clock, DAY, WEEK, WEEKDAY_LABELS};

/// How time ticks are labelled, picked from the span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLabel {
    /// `Mon 08:00`: up to three days.
    WeekdayClock,
    /// `Mon`: one week or less, ticks at midnight.
    Weekday,
    /// `d9 Tue`: up to 16 days, ticks at midnight.
    DayWeekday,
    /// `week 3`: longer runs, ticks at Monday 00:00.
    Week,
}

/// Tick positions (seconds since the horizon began) and their label style for `[from, to]`.
pub fn time_ticks(from_s: f64, to_s: f64) -> (Vec<f64>, TimeLabel) {
    let span_days = (to_s - from_s) / DAY;
    let (step, style) = if span_days <= 0.5 {
        (3600.0, TimeLabel::WeekdayClock)
    } else if span_days <= 1.01 {
        (2.0 * 3600.0, TimeLabel::WeekdayClock)
    } else if span_days <= 3.01 {
        (6.0 * 3600.0, TimeLabel::WeekdayClock)
    } else if span_days <= 7.01 {
        (DAY, TimeLabel::Weekday)
    } else if span_days <= 16.01 {
        (DAY, TimeLabel::DayWeekday)
    } else if span_days <= 16.0 * 7.0 {
        (WEEK, TimeLabel::Week)
    } else if span_days <= 60.0 * 7.0 {
        (4.0 * WEEK, TimeLabel::Week)
    } else {
        (13.0 * WEEK, TimeLabel::Week)
    };
    let mut t = (from_s / step).ceil() * step;
    let mut ticks = Vec::new();
    while t <= to_s + 1e-6 {
        ticks.push(t);
        t += step;
    }
    (ticks, style)
}

/// The label of a time tick; day 1 of the run is weekday `first_weekday` (Monday = 0).
pub fn time_label(style: TimeLabel, t: f64, first_weekday: usize) -> String {
    let c = Clock(t.max(0.0));
    // Clock displays `d1 Mon 08:30` (day 1 a Monday); the weekday is the run's own.
    let full = c.to_string();
    let mut parts = full.splitn(3, ' ');
    let day = parts.next().unwrap_or_default();
    let clock = parts.nth(1).unwrap_or_default();
    let weekday = WEEKDAY_LABELS[(first_weekday + c.weekday()) % 7];
    match style {
        TimeLabel::WeekdayClock => format!("{weekday} {clock}"),
        TimeLabel::Weekday => weekday.to_string(),
        TimeLabel::DayWeekday => format!("{day} {weekday}"),
        TimeLabel::Week => format!("week {}", (t / WEEK).floor() as u64 + 1),
    }
}

/// The axis description of a time axis; weeks start on the run's first weekday.
pub fn time_desc(style: TimeLabel, first_weekday: usize) -> &'static str {
    match style {
        TimeLabel::WeekdayClock => "time (weekday hh:mm)",
        TimeLabel::Weekday => "day (ticks at midnight)",
        TimeLabel::DayWeekday => "day of the run (ticks at midnight)",
        TimeLabel::Week if first_weekday == 0 => "week of the run (ticks on Mondays 00:00)",
        TimeLabel::Week => "week of the run (ticks every 7 days from its first day)",
    }
}

/// Round ticks from 0 to `to` (at most about a dozen).
pub fn value_ticks(to: f64) -> Vec<f64> {
    let steps = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
    ];
    let step = steps
        .iter()
        .copied()
        .find(|s| to / s <= 12.0)
        .unwrap_or_else(|| (to / 12.0).ceil());
    let mut ticks = Vec::new();
    let mut t = 0.0;
    while t <= to + 1e-9 {
        ticks.push(t);
        t += step;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_day_reads_as_weekday_and_clock() {
        let (ticks, style) = time_ticks(0.0, DAY);
        assert_eq!(style, TimeLabel::WeekdayClock);
        assert_eq!(time_label(style, ticks[4], 0), "Mon 08:00");
    }

    #[test]
    fn a_week_reads_as_weekdays_and_two_weeks_as_numbered_days() {
        let (ticks, style) = time_ticks(0.0, 7.0 * DAY);
        assert_eq!(ticks.len(), 8);
        assert_eq!(time_label(style, ticks[1], 0), "Tue");
        let (ticks, style) = time_ticks(0.0, 14.0 * DAY);
        assert_eq!(time_label(style, ticks[8], 0), "d9 Tue");
        // A run starting on a Sunday: day 9 is a Monday.
        assert_eq!(time_label(style, ticks[8], 6), "d9 Mon");
    }

    #[test]
    fn a_year_has_a_dozen_or_so_week_ticks() {
        let (ticks, style) = time_ticks(0.0, 365.0 * DAY);
        assert_eq!(style, TimeLabel::Week);
        assert!((4..=16).contains(&ticks.len()), "{}", ticks.len());
        assert_eq!(time_label(style, ticks[1], 0), "week 5");
    }

    #[test]
    fn value_ticks_are_round() {
        assert_eq!(value_ticks(630.0)[1], 60.0);
        assert_eq!(
            value_ticks(10.0),
            (0..=10).map(f64::from).collect::<Vec<_>>()
        );
    }
}
