//! The sections of `report.html` a planner reads for a run of weeks (issue 20): the weekday ×
//! time-of-day heat maps, the days and weeks per queue and for the center, and the intervals
//! that missed their target. The figures come from [`super::periods`]; this module only lays
//! them out (and draws the heat maps through `charts::heatmap`).

use std::fmt::Write as _;
use std::path::Path;

use super::charts::Rendered;
use super::charts::figure::Unit;
use super::charts::heatmap::{self, HeatMap, Scale};
use super::data::{ALL, Agg, RunData};
use super::html::{escape, pct, row_label, secs};
use super::periods::{self, HeatGrid, RowMetric};
use crate::app::AppError;
use crate::time::{Calendar, Clock, DAY};

/// Runs longer than this many days get the heat maps, the days and the weeks (a single week
/// keeps the per-interval charts and table of before).
pub const GLANCE_AFTER_DAYS: u32 = 7;
/// The misses table lists at most this many cells (worst first); a note gives the total.
pub const MAX_MISS_ROWS: usize = 200;

/// Whether `run` is long enough for the heat maps, days and weeks.
pub fn is_long(run: &RunData) -> bool {
    run.simulated && run.facts.days > GLANCE_AFTER_DAYS
}

/// The metrics of the center's heat maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeatMetric {
    ServiceLevel,
    AbandonRate,
    Occupancy,
    Offered,
}

/// The grid of `metric` over the rows of `queue` (or [`ALL`]) of a single run.
fn run_grid(run: &RunData, queue: &str, m: HeatMetric) -> Option<HeatGrid> {
    let metric: RowMetric = match m {
        HeatMetric::ServiceLevel => |r| r.service_level,
        HeatMetric::AbandonRate => |r| r.abandon_rate,
        HeatMetric::Occupancy => |r| r.occupancy,
        HeatMetric::Offered => |r| Some(r.offered as f64),
    };
    Some(periods::heat_grid(run, queue, metric))
}

/// The center's heat maps of `run` (none for a run of a week or less), in page order.
pub fn heat_maps(run: &RunData) -> Vec<HeatMap> {
    if !is_long(run) {
        return Vec::new();
    }
    center_maps(&|m| run_grid(run, ALL, m), periods::coverage_grid(run))
}

/// Each queue's heat maps of `run` (none for a run of a week or less), in queue order.
pub fn queue_heat_maps(run: &RunData) -> Vec<(String, Vec<HeatMap>)> {
    if !is_long(run) {
        return Vec::new();
    }
    run.queue_names()
        .into_iter()
        .enumerate()
        .map(|(i, q)| (q.to_string(), queue_maps(i, q, &|m| run_grid(run, q, m))))
        .collect()
}

/// The service-level map of `grid`, under `stem` and `title`.
fn service_level_map(stem: String, title: String, grid: HeatGrid) -> HeatMap {
    HeatMap {
        stem,
        title,
        unit: Unit::Percent,
        scale: Scale::Warning {
            good: 1.0,
            bad: 0.0,
        },
        grid,
        empty_label: "no call",
    }
}

/// The abandonment map of `grid` (its darkest red at the grid's highest share, at least 1 %).
fn abandonment_map(stem: String, title: String, grid: HeatGrid) -> HeatMap {
    let bad = grid.range().map_or(0.01, |r| r.1.max(0.01));
    HeatMap {
        stem,
        title,
        unit: Unit::Percent,
        scale: Scale::Warning { good: 0.0, bad },
        grid,
        empty_label: "no call",
    }
}

/// The file stem of queue number `index` (0-based), named `queue`, for its map of `metric`:
/// `heat_service_level_q1_cards` (the number keeps apart two names that differ only in
/// characters a file name avoids).
pub fn queue_stem(metric: &str, index: usize, queue: &str) -> String {
    let name: String = queue
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("heat_{metric}_q{}_{name}", index + 1)
}

/// One queue's heat maps from `grid`: service level and abandonment, the two a planner fixes
/// per queue (calls and occupancy are the center's maps; a queue's calls are in its days).
pub fn queue_maps(
    index: usize,
    queue: &str,
    grid: &dyn Fn(HeatMetric) -> Option<HeatGrid>,
) -> Vec<HeatMap> {
    let mut maps = Vec::new();
    if let Some(sl) = grid(HeatMetric::ServiceLevel) {
        maps.push(service_level_map(
            queue_stem("service_level", index, queue),
            format!("Service level, queue {queue}: mean of each weekday × interval over the weeks"),
            sl,
        ));
    }
    if let Some(ab) = grid(HeatMetric::AbandonRate) {
        maps.push(abandonment_map(
            queue_stem("abandonment", index, queue),
            format!("Abandonment, queue {queue} (share of calls that hung up waiting)"),
            ab,
        ));
    }
    maps
}

/// The heat maps of the metrics `grid` gives (in page order), then the roster's.
pub fn center_maps(
    grid: &dyn Fn(HeatMetric) -> Option<HeatGrid>,
    coverage: Option<HeatGrid>,
) -> Vec<HeatMap> {
    let top = |g: &HeatGrid, at_least: f64| g.range().map_or(at_least, |r| r.1.max(at_least));
    let mut maps = Vec::new();
    if let Some(sl) = grid(HeatMetric::ServiceLevel) {
        maps.push(service_level_map(
            "heat_service_level".into(),
            "Service level, whole center: mean of each weekday × interval over the weeks".into(),
            sl,
        ));
    }
    if let Some(ab) = grid(HeatMetric::AbandonRate) {
        maps.push(abandonment_map(
            "heat_abandonment".into(),
            "Abandonment, whole center (share of calls that hung up waiting)".into(),
            ab,
        ));
    }
    if let Some(occ) = grid(HeatMetric::Occupancy) {
        maps.push(HeatMap {
            stem: "heat_occupancy".into(),
            title: "Occupancy, whole center (busy ÷ present agent time)".into(),
            unit: Unit::Percent,
            scale: Scale::Rising { lo: 0.0, hi: 1.0 },
            grid: occ,
            empty_label: "nobody present",
        });
    }
    if let Some(offered) = grid(HeatMetric::Offered) {
        let off_top = top(&offered, 1.0);
        maps.push(HeatMap {
            stem: "heat_offered".into(),
            title: "Calls offered per interval, whole center".into(),
            unit: Unit::Count,
            scale: Scale::Rising {
                lo: 0.0,
                hi: off_top,
            },
            grid: offered,
            empty_label: "no row",
        });
    }
    if let Some(cov) = coverage {
        let extent = cov
            .range()
            .map_or(1.0, |(lo, hi)| lo.abs().max(hi.abs()).max(1.0));
        maps.push(HeatMap {
            stem: "heat_coverage".into(),
            title: "Rostered minus required agents (red: short, blue: over)".into(),
            unit: Unit::Count,
            scale: Scale::Diverging { extent },
            grid: cov,
            empty_label: "no roster",
        });
    }
    maps
}

/// The heat maps as drawn: the center's, then each queue's.
#[derive(Debug, Default)]
pub struct HeatFigures {
    pub center: Vec<Rendered>,
    pub queues: Vec<QueueHeat>,
}

/// One queue's drawn heat maps.
#[derive(Debug)]
pub struct QueueHeat {
    pub queue: String,
    pub maps: Vec<Rendered>,
    /// The lowest cell of the queue's service-level grid: (weekday 0–6 Monday first, start of
    /// the interval in the day in seconds, mean service level).
    pub worst: Option<(usize, f64, f64)>,
}

/// The lowest cell of a grid: (weekday, start of the interval in the day (s), mean); the first
/// in week order on a tie.
pub fn worst_cell(grid: &HeatGrid) -> Option<(usize, f64, f64)> {
    let mut worst: Option<(usize, f64, f64)> = None;
    for (d, row) in grid.cells.iter().enumerate() {
        for (s, c) in row.iter().enumerate() {
            if let Some((v, _)) = c
                && worst.is_none_or(|w| *v < w.2)
            {
                worst = Some((d, s as f64 * grid.interval_s, *v));
            }
        }
    }
    worst
}

/// Draws the center's maps and each queue's (`queues`: name and maps) into `out`.
pub fn write_all(
    center: &[HeatMap],
    queues: &[(String, Vec<HeatMap>)],
    out: &Path,
) -> Result<HeatFigures, AppError> {
    let center = center
        .iter()
        .map(|m| heatmap::write(m, out))
        .collect::<Result<Vec<_>, _>>()?;
    let queues = queues
        .iter()
        .map(|(q, maps)| {
            Ok(QueueHeat {
                queue: q.clone(),
                worst: maps
                    .iter()
                    .find(|m| m.stem.starts_with("heat_service_level"))
                    .and_then(|m| worst_cell(&m.grid)),
                maps: maps
                    .iter()
                    .map(|m| heatmap::write(m, out))
                    .collect::<Result<Vec<_>, _>>()?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(HeatFigures { center, queues })
}

/// Draws the heat maps of `run` into `out` (PNG and SVG each).
pub fn write_heat_maps(run: &RunData, out: &Path) -> Result<HeatFigures, AppError> {
    write_all(&heat_maps(run), &queue_heat_maps(run), out)
}

/// The heat maps, the days and weeks, and the misses, in that order.
pub fn sections(h: &mut String, run: &RunData, heat: &HeatFigures) {
    if is_long(run) {
        heat_section(h, run, heat);
        days_and_weeks(h, run);
    }
    misses_table(h, run);
}

fn heat_section(h: &mut String, run: &RunData, heat: &HeatFigures) {
    heat_figures(h, run.facts.days, heat);
}

/// One heat map inline, with links to its files.
fn heat_figure(h: &mut String, c: &Rendered) {
    let stem = escape(&c.stem);
    let svg = c.svg.find("<svg").map_or(c.svg.as_str(), |i| &c.svg[i..]);
    let _ = write!(
        h,
        "<figure id=\"chart-{stem}\">\n<h3>{}</h3>\n{svg}\n<figcaption>Also as \
         <a href=\"{stem}.png\">{stem}.png</a> and <a href=\"{stem}.svg\">{stem}.svg</a>.\
         </figcaption>\n</figure>\n",
        escape(&c.title),
    );
}

/// The queues' heat maps: a line of links, then one folded section per queue whose summary
/// names its weakest cell — a planner with five queues opens the one that needs it (no script).
fn queue_heat_section(h: &mut String, queues: &[QueueHeat]) {
    if queues.is_empty() {
        return;
    }
    h.push_str(
        "<h3 id=\"heat-queues\">Per queue</h3>\n<p>Each queue's service level and abandonment \
         the same way (the queue's own <code>intervals.csv</code> rows). Open a queue: its line \
         names its weakest weekday × interval.</p>\n<p class=\"queue-links\">",
    );
    let links: Vec<String> = queues
        .iter()
        .enumerate()
        .map(|(i, q)| format!("<a href=\"#heat-q{}\">{}</a>", i + 1, escape(&q.queue)))
        .collect();
    h.push_str(&links.join(" · "));
    h.push_str("</p>\n");
    for (i, q) in queues.iter().enumerate() {
        let worst = q.worst.map_or(String::new(), |(d, tod, v)| {
            format!(
                " — lowest service level {} on {} at {}",
                pct(Some(v)),
                crate::time::WEEKDAY_LABELS[d],
                time_of_day(tod)
            )
        });
        let _ = writeln!(
            h,
            "<details id=\"heat-q{}\"><summary>Queue {}{}</summary>",
            i + 1,
            escape(&q.queue),
            escape(&worst)
        );
        for c in &q.maps {
            heat_figure(h, c);
        }
        h.push_str("</details>\n");
    }
}

/// The heat maps' section of a run of `days` days: the center's maps, then each queue's.
pub fn heat_figures(h: &mut String, days: u32, heat: &HeatFigures) {
    if heat.center.is_empty() && heat.queues.is_empty() {
        return;
    }

    let weeks = f64::from(days) / 7.0;
    let _ = writeln!(
        h,
        "<h2 id=\"heat-maps\">The average week</h2>\n<p>Each cell is one weekday's interval \
         (rows Monday to Sunday, columns the time of day), averaged over the {} weeks of the \
         run: the plain mean of that interval's value in every week that had one (the \
         <code>intervals.csv</code> rows of the whole center). Grey crossed cells had no value \
         in any week (closed, no call, nobody present).</p>",
        if weeks.fract() == 0.0 {
            format!("{weeks:.0}")
        } else {
            format!("{weeks:.1}")
        }
    );
    for c in &heat.center {
        heat_figure(h, c);
    }
    queue_heat_section(h, &heat.queues);
}

/// The header of the days and weeks tables.
const PERIOD_HEADER: &str = "<th>offered</th><th>answered</th><th>service level</th>\
    <th>ASA (s)</th><th>abandoned %</th><th>occupancy</th><th>agent-hours</th>";
/// The last header of the days and weeks tables of a run whose callers were cut off: on hold
/// when their queue closed (`[queue.closed] waiting = "disconnect"`), or transferred with no
/// agent free (`[[queue.transfer]] when_busy = "disconnect"`).
const DISCONNECTED_HEADER: &str = "<th title=\"disconnected\">disconnected</th>";

fn period_row(h: &mut String, label: &str, a: &Agg, interval_s: f64, disconnected: bool) {
    let _ = write!(
        h,
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
         <td>{:.1}</td>",
        escape(label),
        a.offered,
        a.answered,
        pct(a.service_level()),
        escape(&secs(a.asa_s())),
        pct(a.abandon_rate()),
        pct(a.occupancy()),
        a.agent_hours(interval_s)
    );
    if disconnected {
        let _ = write!(h, "<td>{}</td>", a.outcomes.disconnected);
    }
    h.push_str("</tr>\n");
}

/// The label of week `start_s` of the run: `week 2 (from d8 Mon)` or `week 2 (from Mon
/// 2026-12-14)`.
pub(crate) fn week_label(calendar: &Calendar, start_s: f64) -> String {
    let n = (start_s / (7.0 * DAY)).floor() as u64 + 1;
    format!("week {n} (from {})", row_label(calendar, start_s, true))
}

fn days_and_weeks(h: &mut String, run: &RunData) {
    let calendar = run.facts.calendar();
    h.push_str(
        "<h2 id=\"weeks\">Weeks</h2>\n<p>Each week of the run summed from its intervals \
         (ratios from the summed counts): a week that stands out against the others is a \
         surge or a staffing gap. Agent-hours are the agents scheduled × the interval's \
         length.</p>\n",
    );
    period_tables(h, run, "week", periods::weeks, &|t| {
        week_label(&calendar, t)
    });
    h.push_str(
        "<h2 id=\"days\">Days</h2>\n<p>Each day of the run summed from its intervals, for the \
         whole center and per queue (open a queue to see its days).</p>\n",
    );
    period_tables(h, run, "day", periods::days, &|t| {
        row_label(&calendar, t, true)
    });
}

/// Opens the folded table of `key`'s periods (`what`: `day`, `week`) and writes its header;
/// the caller writes the rows and closes it with `</table>\n</details>`.
/// `disconnected`: with the column of callers cut off at closing.
pub(crate) fn open_period_table(
    h: &mut String,
    key: &str,
    what: &str,
    open: bool,
    disconnected: bool,
) {
    let title = if key == ALL {
        "Whole center".to_string()
    } else {
        format!("Queue {}", escape(key))
    };
    let _ = writeln!(
        h,
        "<details{}><summary>{title}</summary>\n<table class=\"{what}s\">\n<tr><th>{what}</th>\
         {PERIOD_HEADER}{}</tr>",
        if open { " open" } else { "" },
        if disconnected {
            DISCONNECTED_HEADER
        } else {
            ""
        }
    );
}

/// One table of periods (`what`: `day`, `week`) for the center, open, then one per queue,
/// folded.
fn period_tables(
    h: &mut String,
    run: &RunData,
    what: &str,
    sums: fn(&RunData, &str) -> Vec<Agg>,
    label: &dyn Fn(f64) -> String,
) {
    let mut keys: Vec<&str> = vec![ALL];
    keys.extend(run.queue_names());
    let disconnected = run.total().is_some_and(|t| t.disconnected > 0);
    for (i, key) in keys.iter().enumerate() {
        open_period_table(h, key, what, i == 0, disconnected);
        for a in sums(run, key) {
            period_row(h, &label(a.start_s), &a, run.facts.interval_s, disconnected);
        }
        h.push_str("</table>\n</details>\n");
    }
}

/// `08:30` for an interval starting at `start_s`.
pub(crate) fn time_of_day(start_s: f64) -> String {
    let tod = Clock(start_s).time_of_day().round() as u64;
    format!("{:02}:{:02}", tod / 3600, tod % 3600 / 60)
}

/// What a misses table leaves out of `n` cells (nothing up to [`MAX_MISS_ROWS`]).
pub(crate) fn listed_note(n: usize) -> String {
    if n > MAX_MISS_ROWS {
        format!(" The {MAX_MISS_ROWS} worst are listed; intervals.csv has every cell.")
    } else {
        String::new()
    }
}

fn misses_table(h: &mut String, run: &RunData) {
    if !run.simulated {
        return;
    }
    let misses = periods::misses(run);
    let calendar = run.facts.calendar();
    let _ = writeln!(
        h,
        "<h2 id=\"misses\">The intervals that miss</h2>\n<p>{} interval × queue cells had a \
         service level below their queue's target, worst first (lowest service level, then \
         most calls): the list to fix first.{}</p>",
        misses.len(),
        listed_note(misses.len())
    );
    if misses.is_empty() {
        return;
    }
    h.push_str(
        "<table id=\"misses-table\">\n<tr><th>day</th><th>weekday</th><th>time</th>\
         <th>queue</th><th>offered</th><th>service level</th><th>target</th>\
         <th>abandoned %</th><th>agents</th></tr>\n",
    );
    for m in misses.iter().take(MAX_MISS_ROWS) {
        let r = m.row;
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{:.1}</td></tr>",
            escape(&row_label(&calendar, r.interval_start_s, true)),
            calendar.weekday_label(r.interval_start_s),
            time_of_day(r.interval_start_s),
            escape(&r.queue),
            r.offered,
            pct(Some(m.service_level)),
            pct(Some(m.target)),
            pct(r.abandon_rate),
            r.agents
        );
    }
    h.push_str("</table>\n");
}
