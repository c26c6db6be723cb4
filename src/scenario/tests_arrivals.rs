//! Arrival patterns in `[arrivals]`: daily volumes with interval shares, special days, the
//! quiet-night share and day-to-day uncertainty. Error tests assert line, column and field.

use super::tests::{MINIMAL, assert_at, assert_says, edit, err, ok};
use crate::time::DAY;

/// MINIMAL with its `calls_per_hour = 1000` line (line 8) replaced by `arrivals`.
fn with_arrivals(arrivals: &str) -> String {
    edit(MINIMAL, "calls_per_hour = 1000", arrivals)
}

/// 24 hourly shares: nothing 00:00–08:00, 0.075 per hour 08:00–20:00, 0.025 per hour after.
fn hourly_shares() -> String {
    let v: Vec<&str> = (0..24)
        .map(|h| match h {
            0..8 => "0",
            8..20 => "0.075",
            _ => "0.025",
        })
        .collect();
    format!("[{}]", v.join(", "))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Calls in day `d` (0-based) of an expanded or weekly profile.
fn day_calls(m: &super::Model, d: usize) -> f64 {
    let a = &m.arrivals;
    let per_day = (DAY / a.segment_s).round() as usize;
    a.rate_per_s[d * per_day..(d + 1) * per_day]
        .iter()
        .sum::<f64>()
        * a.segment_s
}

// ------------------------------------------------------------------ weekly profile

#[test]
fn calls_per_day_spread_by_interval_share_gives_each_weekday_its_volume() {
    let m = ok(&with_arrivals(&format!(
        "calls_per_day = [13000, 12000, 11600, 11600, 12200, 3600, 1400]\ninterval_share = {}",
        hourly_shares()
    )));
    let a = &m.arrivals;
    assert_eq!((a.segment_s, a.rate_per_s.len()), (3600.0, 7 * 24));
    let per_day = a.calls_per_weekday();
    for (got, want) in per_day
        .iter()
        .zip([13000.0, 12000.0, 11600.0, 11600.0, 12200.0, 3600.0, 1400.0])
    {
        assert!(close(*got, want), "{per_day:?}");
    }
    // Tuesday 10:00-11:00 carries 7.5% of Tuesday's 12,000 calls.
    assert!(close(a.rate_per_s[24 + 10] * 3600.0, 900.0));
    assert_eq!(a.rate_per_s[24 + 3], 0.0);
}

#[test]
fn calls_per_day_as_a_table_by_day_name_equals_the_list() {
    let list = ok(&with_arrivals(&format!(
        "calls_per_day = [1, 2, 3, 4, 5, 6, 7]\ninterval_share = {}",
        hourly_shares()
    )));
    let table = ok(&with_arrivals(&format!(
        "calls_per_day = {{ sun = 7, sat = 6, fri = 5, thu = 4, wed = 3, tue = 2, mon = 1 }}\ninterval_share = {}",
        hourly_shares()
    )));
    assert_eq!(list.arrivals.rate_per_s, table.arrivals.rate_per_s);
}

#[test]
fn interval_shares_within_tolerance_are_normalised_exactly() {
    let mut v = vec!["0.0625"; 16];
    v[0] = "0.0625004"; // sums to 1 + 4e-7
    let m = ok(&with_arrivals(&format!(
        "calls_per_day = [1000, 1000, 1000, 1000, 1000, 1000, 1000]\ninterval_share = [{}]",
        [v, vec!["0"; 32]].concat().join(", ")
    )));
    assert_eq!(m.arrivals.segment_s, 1800.0);
    assert!(close(m.arrivals.calls_per_weekday()[0], 1000.0));
}

#[test]
fn interval_shares_not_summing_to_one_show_the_sum() {
    let e = err(&with_arrivals(&format!(
        "calls_per_day = [1, 1, 1, 1, 1, 1, 1]\ninterval_share = [{}]",
        vec!["0.05"; 24].join(", ")
    )));
    assert_at(&e, 9, 18, "arrivals.interval_share");
    assert_says(&e, "sum to 1.2");
}

#[test]
fn interval_share_outside_zero_one_is_rejected_at_that_value() {
    let mut v = vec!["0"; 24];
    v[1] = "-0.5";
    let e = err(&with_arrivals(&format!(
        "calls_per_day = [1, 1, 1, 1, 1, 1, 1]\ninterval_share = [{}]",
        v.join(",")
    )));
    assert_at(&e, 9, 21, "arrivals.interval_share[1]");
}

#[test]
fn calls_per_day_table_missing_a_day_is_rejected() {
    let e = err(&with_arrivals(&format!(
        "calls_per_day = {{ mon = 1, tue = 1, wed = 1, thu = 1, fri = 1, sat = 1 }}\ninterval_share = {}",
        hourly_shares()
    )));
    assert_at(&e, 8, 17, "arrivals.calls_per_day.sun");
    assert_says(&e, "write 0 for a closed day");
}

#[test]
fn negative_daily_volume_is_rejected_at_that_value() {
    let e = err(&with_arrivals(&format!(
        "calls_per_day = [1, 1, -1, 1, 1, 1, 1]\ninterval_share = {}",
        hourly_shares()
    )));
    assert_at(&e, 8, 24, "arrivals.calls_per_day[2]");
}

#[test]
fn calls_per_day_needs_interval_share() {
    let e = err(&with_arrivals("calls_per_day = [1, 1, 1, 1, 1, 1, 1]"));
    assert_at(&e, 8, 17, "arrivals.interval_share");
}

#[test]
fn interval_share_without_calls_per_day_is_rejected() {
    let e = err(&with_arrivals(&format!(
        "calls_per_hour = 10\ninterval_share = {}",
        hourly_shares()
    )));
    assert_at(&e, 9, 18, "arrivals.interval_share");
}

#[test]
fn two_ways_of_stating_volume_are_rejected_at_the_second() {
    let e = err(&with_arrivals(&format!(
        "calls_per_day = [1, 1, 1, 1, 1, 1, 1]\ninterval_share = {}\ncalls_per_hour = 5",
        hourly_shares()
    )));
    assert_at(&e, 10, 18, "arrivals.calls_per_hour");
    assert_says(&e, "not also `calls_per_day`");
}

#[test]
fn weekday_factor_with_calls_per_day_is_rejected() {
    let e = err(&with_arrivals(&format!(
        "calls_per_day = [1, 1, 1, 1, 1, 1, 1]\ninterval_share = {}\nweekday_factor = [1, 1, 1, 1, 1, 1, 1]",
        hourly_shares()
    )));
    assert_at(&e, 10, 18, "arrivals.weekday_factor");
}

#[test]
fn no_volume_and_no_forecast_or_replay_is_rejected_at_the_table() {
    let e = err(&with_arrivals("day_cv = 0.1"));
    assert_at(&e, 7, 1, "arrivals");
    assert_says(&e, "forecast");
}

// ------------------------------------------------------------------ special days

#[test]
fn a_special_day_factor_scales_that_day_of_the_horizon_only() {
    let m = ok(&with_arrivals(
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\nname = \"strike\"\nday = 3\nfactor = 0.3",
    ));
    // 30 days expand to 5 whole weeks of hourly segments.
    assert_eq!(
        (m.arrivals.segment_s, m.arrivals.rate_per_s.len()),
        (3600.0, 35 * 24)
    );
    assert!(close(day_calls(&m, 2), 0.3 * 24_000.0));
    assert!(close(day_calls(&m, 9), 24_000.0));
    assert!(close(m.arrivals.calls_per_weekday()[1], 24_000.0));
}

#[test]
fn a_special_day_list_applies_to_each_day() {
    let m = ok(&with_arrivals(
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\ndays = [1, 8]\nfactor = 0",
    ));
    assert_eq!(day_calls(&m, 0), 0.0);
    assert_eq!(day_calls(&m, 7), 0.0);
    assert!(close(day_calls(&m, 1), 24_000.0));
}

#[test]
fn a_special_day_curve_finer_than_the_base_refines_every_segment() {
    let mut curve = vec!["0"; 48];
    curve[20] = "300"; // 10:00-10:30
    let m = ok(&with_arrivals(&format!(
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\nday = 2\ncalls_per_interval = [{}]",
        curve.join(", ")
    )));
    assert_eq!(
        (m.arrivals.segment_s, m.arrivals.rate_per_s.len()),
        (1800.0, 35 * 48)
    );
    assert!(close(day_calls(&m, 1), 300.0));
    assert!(close(m.arrivals.rate_per_s[48 + 20], 300.0 / 1800.0));
    assert!(close(day_calls(&m, 0), 24_000.0));
}

#[test]
fn a_special_day_outside_the_horizon_is_rejected() {
    let e = err(&with_arrivals(
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\nday = 31\nfactor = 0.3",
    ));
    assert_at(&e, 11, 7, "arrivals.special_day[0].day");
    assert_says(&e, "1 ..= 30");
}

#[test]
fn the_same_special_day_twice_is_rejected() {
    let e = err(&with_arrivals(
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\nday = 3\nfactor = 0.3\n\n[[arrivals.special_day]]\ndays = [4, 3]\nfactor = 2",
    ));
    assert_at(&e, 15, 12, "arrivals.special_day[1].days[1]");
    assert_says(&e, "already a special day (arrivals.special_day[0])");
}

#[test]
fn a_special_day_with_factor_and_curve_is_rejected() {
    let e = err(&with_arrivals(&format!(
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\nday = 3\nfactor = 0.3\ncalls_per_interval = [{}]",
        vec!["1"; 24].join(",")
    )));
    assert_at(&e, 13, 22, "arrivals.special_day[0].calls_per_interval");
}

#[test]
fn a_special_day_without_a_day_is_rejected() {
    let e = err(&with_arrivals(
        "calls_per_hour = 1000\n\n[[arrivals.special_day]]\nfactor = 0.3",
    ));
    assert_at(&e, 10, 1, "arrivals.special_day[0]");
}

// ------------------------------------------------------------------ quiet nights

#[test]
fn the_night_window_carries_its_share_and_each_day_keeps_its_total() {
    let m = ok(&with_arrivals(
        "calls_per_hour = 1000\nweekday_factor = { sat = 0.5 }\n\n[arrivals.night]\nwindow = \"22:00-07:00\"\nshare = 0.04",
    ));
    assert_eq!(m.extras.night_window, Some((22.0 * 3600.0, 7.0 * 3600.0)));
    let r = &m.arrivals.rate_per_s;
    for (d, total) in [(0, 24_000.0), (5, 12_000.0)] {
        let day = &r[d * 24..(d + 1) * 24];
        let night: f64 = day[..7].iter().chain(&day[22..]).sum::<f64>() * 3600.0;
        assert!(close(day.iter().sum::<f64>() * 3600.0, total));
        assert!(close(night, 0.04 * total), "day {d}: night {night}");
        assert!(close(day[3] * 3600.0, 0.04 * total / 9.0));
        assert!(close(day[12] * 3600.0, 0.96 * total / 15.0));
    }
}

#[test]
fn a_day_without_calls_keeps_none_under_a_night_share() {
    let m = ok(&with_arrivals(
        "calls_per_hour = 1000\nweekday_factor = { sun = 0 }\n\n[arrivals.night]\nwindow = \"22:00-07:00\"\nshare = 0.04",
    ));
    assert_eq!(m.arrivals.calls_per_weekday()[6], 0.0);
}

#[test]
fn a_night_window_off_the_profile_segments_is_rejected() {
    let e = err(&with_arrivals(
        "calls_per_hour = 1000\n\n[arrivals.night]\nwindow = \"22:30-07:00\"\nshare = 0.04",
    ));
    assert_at(&e, 11, 10, "arrivals.night.window");
    assert_says(&e, "22:30 is not on a boundary");
}

#[test]
fn a_night_share_outside_zero_one_is_rejected() {
    for bad in ["0", "1", "1.5", "nan"] {
        let e = err(&with_arrivals(&format!(
            "calls_per_hour = 1000\n\n[arrivals.night]\nwindow = \"22:00-07:00\"\nshare = {bad}"
        )));
        assert_at(&e, 12, 9, "arrivals.night.share");
    }
}

#[test]
fn a_day_with_no_calls_in_the_night_window_cannot_be_rescaled() {
    let day: Vec<&str> = (0..24)
        .map(|h| if (7..22).contains(&h) { "100" } else { "0" })
        .collect();
    let e = err(&with_arrivals(&format!(
        "calls_per_interval = [{}]\n\n[arrivals.night]\nwindow = \"22:00-07:00\"\nshare = 0.04",
        day.join(",")
    )));
    assert_at(&e, 11, 10, "arrivals.night.window");
    assert_says(
        &e,
        "on mon the base profile has no calls inside 22:00-07:00",
    );
}

// ------------------------------------------------------------------ day-to-day uncertainty

#[test]
fn day_cv_is_stored_in_the_extras() {
    let m = ok(&with_arrivals("calls_per_hour = 1000\nday_cv = 0.1"));
    assert_eq!(m.extras.day_cv, Some(0.1));
    assert_eq!(ok(MINIMAL).extras.day_cv, None);
}

#[test]
fn day_cv_outside_zero_two_is_rejected() {
    for bad in ["0", "2.5", "-0.1", "inf"] {
        let e = err(&with_arrivals(&format!(
            "calls_per_hour = 1000\nday_cv = {bad}"
        )));
        assert_at(&e, 9, 10, "arrivals.day_cv");
    }
}

// ------------------------------------------------------------------ bundled scenarios

fn bundled(name: &str) -> super::Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    super::load(&path).unwrap_or_else(|e| panic!("{name}:\n{e}"))
}

#[test]
fn outage_spike_surges_at_the_cards_menu_on_tuesday_10_00_with_redials() {
    let m = bundled("outage-spike.toml");
    let s = &m.extras.surges[0];
    assert_eq!(s.start_s, DAY + 10.0 * 3600.0);
    assert_eq!((s.duration_s, s.half_life_s), (7200.0, 1800.0));
    assert_eq!(s.size, super::SurgeSize::PeakMultiplier(4.0));
    let cards_menu = m
        .ivr
        .as_ref()
        .and_then(|i| i.nodes.iter().position(|n| n.name == "cards_menu"));
    assert_eq!(
        s.entry,
        crate::arrivals::Entry::Node(super::NodeId(cards_menu.expect("node") as u32))
    );
    assert!(m.extras.redial.is_some());
    assert!(close(m.arrivals.calls_per_weekday()[1], 12_000.0));
}

#[test]
fn night_traffic_puts_four_percent_of_every_day_in_the_night_window() {
    let m = bundled("night-traffic.toml");
    let a = &m.arrivals;
    let per_day = (DAY / a.segment_s).round() as usize;
    for d in 0..14 {
        let day = &a.rate_per_s[d * per_day..(d + 1) * per_day];
        let night: f64 = day[..7].iter().chain(&day[22..]).sum();
        assert!(close(night / day.iter().sum::<f64>(), 0.04), "day {d}");
    }
    assert!(
        close(day_calls(&m, 7), 0.33 * day_calls(&m, 0)),
        "the holiday"
    );
}
