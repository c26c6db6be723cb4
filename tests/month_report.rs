//! A month at a glance (issue 20): reports of runs of 4–52 weeks — charts that stay inside their
//! axes, the days, weeks and heat maps a planner reads, the intervals that miss.

use std::collections::HashMap;
use std::path::Path;

use hotline::app::simulate::simulate_to;
use hotline::report::charts::render::{self, PlotRect};
use hotline::report::data::RunData;
use hotline::report::periods;
use hotline::report::render_dir;
use hotline::scenario::Model;

use crate::support::*;

/// The bundled bank hotline (28 days, four queues, nights and weekends closed).
fn bank_hotline() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bank-hotline.toml");
    hotline::scenario::load(&path).unwrap()
}

/// A pixel of a coloured series (the queue palette and the red marks), not the greys and black
/// of text, grid and axes, nor the white background: its channels differ by more than 60.
fn is_series_colour(p: &[u8]) -> bool {
    let (lo, hi) = (p.iter().min().unwrap(), p.iter().max().unwrap());
    hi - lo > 60
}

fn inside(rects: &[PlotRect], x: i32, y: i32) -> bool {
    rects
        .iter()
        .any(|r| x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1)
}

#[test]
fn no_series_pixel_of_a_28_day_run_leaves_the_plot_area() {
    let dir = tempfile::tempdir().unwrap();
    simulate_to(&bank_hotline(), dir.path()).unwrap();
    render_dir(dir.path()).unwrap();
    let run = RunData::load(dir.path()).unwrap();
    let figs = hotline::report::charts::figures(&run);
    assert!(figs.len() >= 5, "{} charts", figs.len());
    for fig in &figs {
        let (rects, legend_x) = render::png_geometry(fig).unwrap();
        let img = image::open(dir.path().join(format!("{}.png", fig.stem)))
            .unwrap()
            .to_rgb8();
        let mut coloured_inside = 0;
        let mut outside = Vec::new();
        for (x, y, p) in img.enumerate_pixels() {
            let (x, y) = (x as i32, y as i32);
            if x >= legend_x || !is_series_colour(&p.0) {
                continue;
            }
            if inside(&rects, x, y) {
                coloured_inside += 1;
            } else {
                outside.push((x, y));
            }
        }
        assert!(coloured_inside > 0, "{}: no series drawn", fig.stem);
        assert!(
            outside.is_empty(),
            "{}: {} series pixels outside the plot {rects:?}, first {:?}",
            fig.stem,
            outside.len(),
            &outside[..outside.len().min(5)]
        );
    }
}

/// A 28-day bank-hotline run with its report, read back.
fn month() -> (tempfile::TempDir, RunData) {
    let dir = tempfile::tempdir().unwrap();
    simulate_to(&bank_hotline(), dir.path()).unwrap();
    render_dir(dir.path()).unwrap();
    let run = RunData::load(dir.path()).unwrap();
    (dir, run)
}

type Row = HashMap<String, String>;

/// An optional numeric cell (empty = no value).
fn opt(row: &Row, col: &str) -> Option<f64> {
    let v = &row[col];
    (!v.is_empty()).then(|| num(row, col))
}

#[test]
fn heat_map_cells_are_the_mean_over_the_weeks_of_their_intervals_csv_rows() {
    let (dir, run) = month();
    let rows = read_csv(&dir.path().join("intervals.csv"));
    let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for (col, metric) in [
        ("service_level", (|r| r.service_level) as periods::RowMetric),
        ("abandon_rate", |r| r.abandon_rate),
        ("occupancy", |r| r.occupancy),
        ("offered", |r| Some(r.offered as f64)),
    ] {
        let grid = periods::heat_grid(&run, "all", metric);
        assert_eq!(grid.slots, 48, "half-hours of a day");
        // Independently: group the CSV's `all` rows by their weekday column and time of day.
        let mut want: HashMap<(usize, usize), (f64, u32)> = HashMap::new();
        for r in rows.iter().filter(|r| r["queue"] == "all") {
            let Some(v) = opt(r, col) else { continue };
            let day = weekdays.iter().position(|d| *d == r["weekday"]).unwrap();
            let slot = (num(r, "interval_start_s") % 86_400.0 / 1800.0) as usize;
            let e = want.entry((day, slot)).or_default();
            e.0 += v;
            e.1 += 1;
        }
        for day in 0..7 {
            for slot in 0..48 {
                let got = grid.cells[day][slot];
                match want.get(&(day, slot)) {
                    None => assert_eq!(got, None, "{col} {day} {slot}"),
                    Some(&(sum, n)) => {
                        let (mean, weeks) = got.unwrap();
                        assert_eq!(weeks, n, "{col} {day} {slot}");
                        assert!(
                            (mean - sum / f64::from(n)).abs() < 1e-12,
                            "{col} {day} {slot}: {mean} vs {}",
                            sum / f64::from(n)
                        );
                    }
                }
            }
        }
        // Four weeks: every cell with a value in every week counts 4.
        assert!(grid.cells.iter().flatten().flatten().any(|c| c.1 == 4));
    }
    for stem in [
        "heat_service_level",
        "heat_abandonment",
        "heat_occupancy",
        "heat_offered",
    ] {
        let png = std::fs::read(dir.path().join(format!("{stem}.png"))).unwrap();
        assert_eq!(png_size(&png), render::SIZE, "{stem}.png");
        assert_svg_document(&read(dir.path().join(format!("{stem}.svg"))), stem);
    }
}

#[test]
fn daily_and_weekly_rows_are_the_sums_of_their_intervals() {
    let (dir, run) = month();
    let rows = read_csv(&dir.path().join("intervals.csv"));
    for queue in ["all", "cards", "general"] {
        for (period, got) in [
            (86_400.0, periods::days(&run, queue)),
            (7.0 * 86_400.0, periods::weeks(&run, queue)),
        ] {
            assert_eq!(got.len(), (28.0 * 86_400.0 / period) as usize);
            for a in &got {
                let mine: Vec<&Row> = rows
                    .iter()
                    .filter(|r| r["queue"] == queue)
                    .filter(|r| (num(r, "interval_start_s") / period).floor() * period == a.start_s)
                    .collect();
                let sum = |c: &str| mine.iter().map(|r| num(r, c)).sum::<f64>();
                assert_eq!(a.offered as f64, sum("offered"), "{queue} {}", a.start_s);
                assert_eq!(a.answered as f64, sum("answered"));
                assert_eq!(a.abandoned as f64, sum("abandoned"));
                let den = sum("answered") + sum("abandoned") - sum("abandoned_within_threshold");
                // A day a queue is closed has no SL (nobody answered or abandoned).
                match a.service_level() {
                    Some(got) => {
                        let sl = sum("answered_within_threshold") / den;
                        assert!((got - sl).abs() < 1e-12, "{queue} {}", a.start_s);
                    }
                    None => assert_eq!(den, 0.0, "{queue} {}: SL missing", a.start_s),
                }
                let hours = sum("agents") * 1800.0 / 3600.0;
                assert!((a.agent_hours(1800.0) - hours).abs() < 1e-9);
            }
        }
    }
    let html = read(dir.path().join("report.html"));
    let days = &html[html.find("<h2 id=\"days\">").expect("days section")..];
    let center = &days[..days.find("</table>").unwrap()];
    assert_eq!(center.matches("<tr>").count(), 29, "28 days and the header");
    let weeks = &html[html.find("<h2 id=\"weeks\">").expect("weeks section")..];
    let center = &weeks[..weeks.find("</table>").unwrap()];
    assert_eq!(center.matches("<tr>").count(), 5, "4 weeks and the header");
}

#[test]
fn the_misses_table_holds_exactly_the_cells_below_target_worst_first() {
    let (dir, run) = month();
    let facts: serde_json::Value =
        serde_json::from_str(&read(dir.path().join("run.json"))).unwrap();
    let target: HashMap<String, f64> = facts["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["name"].as_str().unwrap().to_string(),
                q["sl_target"].as_f64().unwrap(),
            )
        })
        .collect();
    let mut want: Vec<(String, String)> = read_csv(&dir.path().join("intervals.csv"))
        .iter()
        .filter(|r| r["queue"] != "all")
        .filter(|r| opt(r, "service_level").is_some_and(|sl| sl < target[&r["queue"]]))
        .map(|r| (r["interval_start"].clone(), r["queue"].clone()))
        .collect();
    let misses = periods::misses(&run);
    let mut got: Vec<(String, String)> = misses
        .iter()
        .map(|m| (m.row.interval_start.clone(), m.row.queue.clone()))
        .collect();
    assert!(!want.is_empty(), "the bank hotline misses at night");
    want.sort();
    got.sort();
    assert_eq!(got, want);
    assert!(
        misses
            .windows(2)
            .all(|w| w[0].service_level <= w[1].service_level),
        "worst first"
    );
    let html = read(dir.path().join("report.html"));
    let section = &html[html.find("<h2 id=\"misses\">").expect("misses section")..];
    assert!(section.contains(&format!("<p>{} interval × queue cells", want.len())));
    let table = &section[..section.find("</table>").unwrap()];
    assert_eq!(
        table.matches("<tr>").count(),
        want.len().min(hotline::report::html_glance::MAX_MISS_ROWS) + 1
    );
}

#[test]
fn report_xlsx_daily_weekly_and_misses_sheets_equal_the_csvs() {
    use crate::outputs::{cell, sheets, unzip};
    let (dir, run) = month();
    hotline::report::xlsx::write_workbook(dir.path()).unwrap();
    let files = unzip(&dir.path().join("report.xlsx"));
    let book = sheets(&files);
    let sheet = |name: &str| &book.iter().find(|s| s.0 == name).expect(name).1;
    let rows = read_csv(&dir.path().join("intervals.csv"));
    // Five row groups (the center, then four queues): 28 days, 4 weeks each.
    assert_eq!(sheet("Daily").matches("<row ").count(), 1 + 28 * 5);
    assert_eq!(sheet("Weekly").matches("<row ").count(), 1 + 4 * 5);
    // Row 2 is the center's first day, row 3 its second: offered (column C) is the sum of the
    // CSV's `all` rows of that day.
    for (row, day) in [(2, 0.0), (3, 1.0)] {
        let want: f64 = rows
            .iter()
            .filter(|r| r["queue"] == "all")
            .filter(|r| (num(r, "interval_start_s") / 86_400.0).floor() == day)
            .map(|r| num(r, "offered"))
            .sum();
        let c = cell(sheet("Daily"), &format!("C{row}"));
        assert!(c.contains(&format!("<v>{want}</v>")), "{c} vs {want}");
    }
    let week1: f64 = rows
        .iter()
        .filter(|r| r["queue"] == "all" && num(r, "interval_start_s") < 7.0 * 86_400.0)
        .map(|r| num(r, "offered"))
        .sum();
    assert!(cell(sheet("Weekly"), "C2").contains(&format!("<v>{week1}</v>")));
    assert_eq!(
        sheet("Misses").matches("<row ").count(),
        1 + periods::misses(&run).len()
    );
    // Human headers in the planners' sheets (shared strings), CSV names in the raw sheets.
    assert!(files["xl/sharedStrings.xml"].contains("Service level"));
    assert!(files["xl/sharedStrings.xml"].contains("ASA (s)"));
    // The month's intervals (6,720 rows × 49 columns) are under the raw-sheet limit: copied.
    assert_eq!(sheet("intervals").matches("<row ").count(), rows.len() + 1);
}

#[test]
fn a_replicated_month_gets_heat_maps_of_the_replications_means() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bank-hotline.toml");
    let out = dir.path().join("rep");
    crate::replications::simulate(&scenario, &out, &["--replications", "3"]);
    let run = hotline::report::banded::ReplicatedRun::load(&out).unwrap();
    let maps = run.heat_maps();
    let stems: Vec<&str> = maps.iter().map(|m| m.stem.as_str()).collect();
    assert_eq!(
        stems,
        ["heat_service_level", "heat_abandonment", "heat_offered"]
    );
    // Independently: the `all` rows' mean `service_level` column, averaged per weekday × slot.
    let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut want: HashMap<(usize, usize), (f64, u32)> = HashMap::new();
    for r in read_csv(&out.join("intervals.csv"))
        .iter()
        .filter(|r| r["queue"] == "all")
    {
        let Some(v) = opt(r, "service_level") else {
            continue;
        };
        let day = weekdays.iter().position(|d| *d == r["weekday"]).unwrap();
        let slot = (num(r, "interval_start_s") % 86_400.0 / 1800.0) as usize;
        let e = want.entry((day, slot)).or_default();
        e.0 += v;
        e.1 += 1;
    }
    let grid = &maps[0].grid;
    for (day, row) in grid.cells.iter().enumerate() {
        for (slot, got) in row.iter().enumerate() {
            let expect = want.get(&(day, slot)).map(|&(s, n)| (s / f64::from(n), n));
            match (got, expect) {
                (None, None) => {}
                (Some((g, gn)), Some((e, en))) => {
                    assert_eq!(*gn, en);
                    assert!((g - e).abs() < 1e-12, "{day} {slot}: {g} vs {e}");
                }
                _ => panic!("{day} {slot}: {got:?} vs {expect:?}"),
            }
        }
    }
    let html = read(out.join("report.html"));
    assert!(html.contains("<h2 id=\"heat-maps\">"));
    assert!(out.join("heat_service_level.png").is_file());
}

/// The independent mean, lowest and highest value of `col` per (weekday, half-hour) over the
/// `queue` rows of intervals.csv, grouped by the CSV's own `weekday` column.
fn week_cells(
    rows: &[Row],
    queue: &str,
    col: &str,
) -> HashMap<(usize, usize), (f64, f64, f64, u32)> {
    let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut cells: HashMap<(usize, usize), (f64, f64, f64, u32)> = HashMap::new();
    for r in rows.iter().filter(|r| r["queue"] == queue) {
        let Some(v) = opt(r, col) else { continue };
        let day = weekdays.iter().position(|d| *d == r["weekday"]).unwrap();
        let slot = (num(r, "interval_start_s") % 86_400.0 / 1800.0) as usize;
        let e = cells
            .entry((day, slot))
            .or_insert((0.0, f64::INFINITY, f64::NEG_INFINITY, 0));
        e.0 += v;
        e.1 = e.1.min(v);
        e.2 = e.2.max(v);
        e.3 += 1;
    }
    cells
}

#[test]
fn each_queue_gets_heat_maps_of_its_own_rows_in_a_folded_section() {
    let (dir, run) = month();
    let rows = read_csv(&dir.path().join("intervals.csv"));
    let queues = hotline::report::html_glance::queue_heat_maps(&run);
    let names: Vec<&str> = queues.iter().map(|q| q.0.as_str()).collect();
    assert_eq!(names, ["cards", "loans", "deposits", "general"]);
    for (i, (queue, maps)) in queues.iter().enumerate() {
        let stems: Vec<&str> = maps.iter().map(|m| m.stem.as_str()).collect();
        let sl_stem = format!("heat_service_level_q{}_{queue}", i + 1);
        let ab_stem = format!("heat_abandonment_q{}_{queue}", i + 1);
        assert_eq!(stems, [sl_stem.as_str(), ab_stem.as_str()]);
        for (map, col) in maps.iter().zip(["service_level", "abandon_rate"]) {
            let want = week_cells(&rows, queue, col);
            for day in 0..7 {
                for slot in 0..48 {
                    let got = map.grid.cells[day][slot];
                    match want.get(&(day, slot)) {
                        None => assert_eq!(got, None, "{queue} {col} {day} {slot}"),
                        Some(&(sum, _, _, n)) => {
                            let (mean, weeks) = got.unwrap();
                            assert_eq!(weeks, n);
                            assert!((mean - sum / f64::from(n)).abs() < 1e-12);
                        }
                    }
                }
            }
            let png = std::fs::read(dir.path().join(format!("{}.png", map.stem))).unwrap();
            assert_eq!(png_size(&png), render::SIZE, "{}.png", map.stem);
        }
        // Loans and deposits close at night and at weekends: their cells are empty there.
        if *queue == "loans" {
            assert_eq!(maps[0].grid.cells[6][20], None, "Sunday 10:00 closed");
        }
    }
    // The page: a link per queue and one folded section each, naming its weakest cell.
    let html = read(dir.path().join("report.html"));
    let section = &html[html
        .find("<h3 id=\"heat-queues\">")
        .expect("per-queue maps")..];
    for (i, (queue, maps)) in queues.iter().enumerate() {
        assert!(section.contains(&format!("<a href=\"#heat-q{}\">{queue}</a>", i + 1)));
        let (d, tod, v) = hotline::report::html_glance::worst_cell(&maps[0].grid).unwrap();
        let summary = format!(
            "<details id=\"heat-q{}\"><summary>Queue {queue} — lowest service level {:.1}% on {} at {:02}:{:02}</summary>",
            i + 1,
            v * 100.0,
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d],
            (tod / 3600.0) as u32,
            (tod % 3600.0 / 60.0) as u32
        );
        assert!(section.contains(&summary), "{summary}");
        // The weakest cell is the grid's minimum, recomputed from the CSV.
        let lowest = week_cells(&rows, queue, "service_level")
            .values()
            .map(|c| c.0 / f64::from(c.3))
            .fold(f64::INFINITY, f64::min);
        assert!((v - lowest).abs() < 1e-12);
    }
}

#[test]
fn a_month_plots_days_and_its_intervals_as_the_average_week_with_the_weeks_spread() {
    let (dir, run) = month();
    let rows = read_csv(&dir.path().join("intervals.csv"));
    let figs = hotline::report::charts::figures(&run);
    let stems: Vec<&str> = figs.iter().map(|f| f.stem).collect();
    assert_eq!(&stems[..2], ["week_offered", "week_service_level"]);
    // The run's other time charts plot days: 28 points per series.
    let sl = figs.iter().find(|f| f.stem == "service_level").unwrap();
    assert!(sl.title.ends_with("per day"), "{}", sl.title);
    assert_eq!(sl.series[0].points.len(), 28);
    for (stem, col) in [
        ("week_offered", "offered"),
        ("week_service_level", "service_level"),
    ] {
        let fig = figs.iter().find(|f| f.stem == stem).unwrap();
        for (queue, label) in [("cards", "cards"), ("all", "whole center")] {
            let series = fig.series.iter().find(|s| s.label == label).unwrap();
            assert_eq!(series.points.len(), 7 * 48);
            let want = week_cells(&rows, queue, col);
            for (k, (x, v)) in series.points.iter().enumerate() {
                let (day, slot) = (k / 48, k % 48);
                assert!((x - (day as f64 * 86_400.0 + slot as f64 * 1800.0 + 900.0)).abs() < 1e-9);
                match want.get(&(day, slot)) {
                    None => assert_eq!(*v, None, "{stem} {queue} {day} {slot}"),
                    Some(&(sum, _, _, n)) => {
                        assert!(
                            (v.unwrap() - sum / f64::from(n)).abs() < 1e-9,
                            "{stem} {queue}"
                        )
                    }
                }
            }
        }
        // The band: the center's lowest and highest week of each cell.
        let want = week_cells(&rows, "all", col);
        assert_eq!(fig.bands.len(), 1);
        for (k, (_, b)) in fig.bands[0].points.iter().enumerate() {
            match want.get(&(k / 48, k % 48)) {
                None => assert_eq!(*b, None),
                Some(&(_, lo, hi, _)) => assert_eq!(*b, Some((lo, hi)), "{stem} cell {k}"),
            }
        }
    }
    // A week keeps its per-interval charts and has no average week.
    let week = tempfile::tempdir().unwrap();
    let mut model = bank_hotline();
    model.days = 7;
    simulate_to(&model, week.path()).unwrap();
    let run = RunData::load(week.path()).unwrap();
    let figs = hotline::report::charts::figures(&run);
    assert!(figs.iter().all(|f| !f.stem.starts_with("week_")));
    let sl = figs.iter().find(|f| f.stem == "service_level").unwrap();
    assert_eq!(sl.series[0].points.len(), 7 * 48);
}
