//! Forecasts and call logs as spreadsheets save them (`crate::csv_input`): CRLF line endings,
//! a UTF-8 BOM, semicolon-separated files with decimal commas, thousands separators. Each is
//! read, or refused with the exact text to write instead.

use super::tests_sources::{CSV_SCENARIO, assert_in_csv, csv_message, ivr_with, with_csv};
use crate::arrivals::{ArrivalSource, ReplayArrivals};
use crate::random::StreamKey;

/// The cards forecast's calls in interval 66 (Tuesday 09:00 of the first row's week).
fn tuesday_nine(csv: &str) -> f64 {
    let (_d, r) = with_csv(&ivr_with(CSV_SCENARIO), csv);
    let m = r.unwrap_or_else(|e| panic!("{e}"));
    m.extras.forecasts[0].profile.rate_per_s[66] * 1800.0
}

#[test]
fn crlf_forecast_errors_name_the_line_an_editor_shows() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume,aht\r\n2026-11-24 09:00,cards,12,\r\n2026-11-24 09:30,cards,-3,\r\n",
    );
    assert_in_csv(&r, 3, 24, "volume");
}

#[test]
fn crlf_replay_errors_name_the_line_an_editor_shows() {
    let (_d, r) = with_csv(
        &ivr_with("replay = \"data.csv\""),
        "arrived_at,queue\r\n10,cards\r\n20,mortgages\r\n",
    );
    assert_in_csv(&r, 3, 4, "queue");
}

#[test]
fn a_utf8_bom_before_the_header_is_skipped() {
    assert_eq!(
        tuesday_nine("\u{feff}interval_start,queue,volume\r\n2026-11-24 09:00,cards,12\r\n"),
        12.0
    );
}

#[test]
fn a_semicolon_file_with_decimal_commas_is_read_as_excel_saves_it() {
    // Excel "CSV UTF-8" in a German or French locale: BOM, `;`, decimal commas, CRLF.
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "\u{feff}interval_start;queue;volume;aht\r\n2026-11-24 09:00;cards;12,5;4,5m\r\n2026-11-24 09:30;cards;1.200,5;270\r\n",
    );
    let m = r.unwrap_or_else(|e| panic!("{e}"));
    let cards = &m.extras.forecasts[0];
    assert_eq!(cards.profile.rate_per_s[66] * 1800.0, 12.5);
    assert!((cards.profile.rate_per_s[67] * 1800.0 - 1200.5).abs() < 1e-9);
    assert_eq!(cards.handle_scale[66], 1.5, "4,5m against a 3m handle time");
}

#[test]
fn thousands_separators_in_quoted_numbers_are_read() {
    assert_eq!(
        tuesday_nine("interval_start,queue,volume\n2026-11-24 09:00,cards,\"1,200\"\n"),
        1200.0
    );
}

#[test]
fn a_decimal_comma_in_a_comma_file_says_what_to_write() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume\n2026-11-24 09:00,cards,\"12,5\"\n",
    );
    assert_in_csv(&r, 2, 24, "volume");
    assert!(
        csv_message(&r)
            .contains("`12,5` has a decimal comma in a comma-separated file: write `12.5`"),
        "{}",
        csv_message(&r)
    );
}

#[test]
fn a_dot_grouping_thousands_in_a_semicolon_file_is_refused_as_ambiguous() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start;queue;volume\n2026-11-24 09:00;cards;1.200\n",
    );
    assert_in_csv(&r, 2, 24, "volume");
    assert!(
        csv_message(&r).contains("`1.200` is ambiguous"),
        "{}",
        csv_message(&r)
    );
    assert!(
        csv_message(&r).contains("2 | 2026-11-24 09:00;cards;1.200"),
        "the row is shown as the file writes it: {}",
        csv_message(&r)
    );
}

#[test]
fn a_header_with_an_unknown_separator_says_which_ones_work() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start|queue|volume\n2026-11-24 09:00|cards|12\n",
    );
    assert!(
        csv_message(&r).contains("separate the columns with `,`, `;` or a tab"),
        "{}",
        csv_message(&r)
    );
}

#[test]
fn the_replay_log_is_read_by_the_same_reader() {
    let (_d, r) = with_csv(
        &ivr_with("replay = \"data.csv\""),
        "\u{feff}arrived_at;queue;handle_time\r\n3600,5;cards;4,5m\r\n",
    );
    let m = r.unwrap_or_else(|e| panic!("{e}"));
    let replay = m.extras.replay.clone().expect("a replay");
    let mut calls =
        ReplayArrivals::open(&replay, &m, m.horizon_s(), StreamKey::new(1, 0)).expect("opens");
    let call = calls.next_arrival().expect("one call");
    assert_eq!((call.at, call.handle_s), (3600.5, Some(270.0)));
    assert!(calls.next_arrival().is_none());
}

/// `04.01.2027` (a German Excel's date) names the accepted format, the text to write and the
/// column format that makes Excel write it — not jiff's "failed to parse four digit integer
/// as year".
#[test]
fn a_day_first_date_says_what_to_write_and_how() {
    let (_d, r) = with_csv(
        &ivr_with(CSV_SCENARIO),
        "interval_start,queue,volume\n24.11.2026 09:00,cards,12\n",
    );
    assert_in_csv(&r, 2, 1, "interval_start");
    let m = csv_message(&r);
    for want in [
        "`24.11.2026 09:00` is written day first",
        "hotline reads `YYYY-MM-DD HH:MM` only",
        "custom format `yyyy-mm-dd hh:mm`",
        "(this one is `2026-11-24 09:00`)",
    ] {
        assert!(m.contains(want), "{want}: {m}");
    }
}

/// A slashed date is day or month first: certain when one part is above 12, else both readings.
#[test]
fn a_slashed_date_gives_both_readings_when_ambiguous() {
    let message = |date: &str| {
        let (_d, r) = with_csv(
            &ivr_with(CSV_SCENARIO),
            &format!("interval_start,queue,volume\n{date},cards,12\n"),
        );
        csv_message(&r)
    };
    assert!(message("11/24/2026 09:00").contains("month first"));
    assert!(message("11/24/2026 09:00").contains("(this one is `2026-11-24 09:00`)"));
    let m = message("01/02/2026 09:00");
    assert!(
        m.contains("ambiguous: day first it is `2026-02-01 09:00`, month first `2026-01-02 09:00`"),
        "{m}"
    );
}

/// An ANSI (Windows-1252) export: where the first byte that is not UTF-8 is, and which Excel
/// export to choose instead — not the CSV reader's "invalid utf-8".
#[test]
fn a_windows_1252_file_says_where_and_to_save_as_csv_utf8() {
    let dir = tempfile::tempdir().expect("temp dir");
    // `Grüße` in Windows-1252: ü = 0xFC, ß = 0xDF.
    let mut csv = b"interval_start,queue,volume,note\n2026-11-24 09:00,cards,12,ok\n".to_vec();
    csv.extend_from_slice(b"2026-11-24 09:30,cards,14,Gr\xfc\xdfe\n");
    std::fs::write(dir.path().join("data.csv"), csv).expect("write csv");
    let r = crate::scenario::parse(&ivr_with(CSV_SCENARIO), &dir.path().join("s.toml"));
    let m = csv_message(&r);
    assert!(
        m.contains("line 3, column 4, byte 3 of the cell: not UTF-8 text"),
        "{m}"
    );
    assert!(m.contains("\"CSV UTF-8 (Comma delimited) (*.csv)\""), "{m}");
}
