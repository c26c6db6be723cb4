//! The month-at-a-glance tables of a run of several replications (issue 20): the weeks and
//! days of `weekly.csv` and `daily.csv` (each replication's intervals summed per period, then
//! folded: mean ± 95 % half-width over the replications' own periods), and the interval ×
//! queue cells whose service level is **significantly** below target — the whole 95 % interval
//! of the replications' mean below it — from `intervals.csv`'s mean and `_hw95` columns.
//! The figures are the CSVs'; the page and the workbook only lay them out.

use std::fmt::Write as _;

use super::banded::{BandRow, BandTable, MeanHw, ReplicatedRun, pm};
use super::data::ALL;
use super::html::{escape, row_label};
use super::html_glance::{
    GLANCE_AFTER_DAYS, MAX_MISS_ROWS, listed_note, open_period_table, time_of_day, week_label,
};

/// The columns of `daily.csv` and `weekly.csv` the tables show, in order.
pub const PERIOD_METRICS: [&str; 7] = [
    "offered",
    "answered",
    "service_level",
    "asa_s",
    "abandon_rate",
    "occupancy",
    "agent_hours",
];

/// The outcome column of `daily.csv` and `weekly.csv` shown after [`PERIOD_METRICS`] when
/// some period has one (callers cut off when their queue closed).
pub const PERIOD_OUTCOME: &str = "disconnected";

/// One interval × queue cell whose service level is significantly below its queue's target.
#[derive(Debug, Clone)]
pub struct SignificantMiss<'a> {
    pub row: &'a BandRow,
    /// The cell's service level: mean over the replications and half-width.
    pub service_level: MeanHw,
    pub target: f64,
}

impl SignificantMiss<'_> {
    /// The 95 % interval of the mean service level, `(low, high)`, clipped to 0–100 %.
    pub fn interval(&self) -> (f64, f64) {
        self.service_level
            .band(0.0, 1.0)
            .expect("a significant miss has a half-width")
    }
}

/// The interval × queue cells (not `all`) whose mean service level plus its 95 % half-width
/// is below the queue's target — significantly below, at the 5 % level of a one-sided reading
/// of the same Student t interval the CSV gives — worst first: lowest mean, then most calls,
/// then time and queue. A cell without a half-width (a service level defined in fewer than two
/// replications) is never significant.
pub fn significant_misses(run: &ReplicatedRun) -> Vec<SignificantMiss<'_>> {
    let t = &run.intervals;
    let (sl, offered) = (t.index("service_level"), t.index("offered"));
    let mut out: Vec<SignificantMiss> = t
        .rows
        .iter()
        .filter(|r| r.key != ALL)
        .filter_map(|r| {
            let target = run
                .facts
                .queues
                .iter()
                .find(|q| q.name == r.key)
                .map_or(super::run_files::DEFAULT_SL_TARGET, |q| q.sl_target);
            let v = r.values[sl];
            (v.mean? + v.hw95? < target).then_some(SignificantMiss {
                row: r,
                service_level: v,
                target,
            })
        })
        .collect();
    let mean = |m: &SignificantMiss| m.service_level.mean.unwrap_or(0.0);
    let calls = |m: &SignificantMiss| m.row.values[offered].mean.unwrap_or(0.0);
    out.sort_by(|a, b| {
        mean(a)
            .total_cmp(&mean(b))
            .then(calls(b).total_cmp(&calls(a)))
            .then(a.row.start_s.total_cmp(&b.row.start_s))
            .then(a.row.key.cmp(&b.row.key))
    });
    out
}

/// The weeks, the days (runs longer than a week) and the significant misses of `run`.
pub fn sections(h: &mut String, run: &ReplicatedRun) {
    if run.facts.days > GLANCE_AFTER_DAYS {
        match (&run.weekly, &run.daily) {
            (Some(weekly), Some(daily)) => {
                let calendar = run.facts.calendar();
                h.push_str(
                    "<h2 id=\"weeks\">Weeks</h2>\n<p>Each week of the run summed from its \
                     intervals in every replication (ratios from the summed counts), then the \
                     mean over the replications ± the 95 % half-width of the replications' own \
                     weeks (<code>weekly.csv</code>). Agent-hours are the agents scheduled × \
                     the interval's length.</p>\n",
                );
                period_tables(h, weekly, "week", &|t| week_label(&calendar, t));
                h.push_str(
                    "<h2 id=\"days\">Days</h2>\n<p>Each day the same way (<code>daily.csv</code>), \
                     for the whole center and per queue (open a queue to see its days).</p>\n",
                );
                period_tables(h, daily, "day", &|t| row_label(&calendar, t, true));
            }
            _ => h.push_str(
                "<p class=\"note\">No days or weeks tables: the folder has no \
                 <code>daily.csv</code> and <code>weekly.csv</code> (written by runs of this \
                 version; rerun the simulation).</p>\n",
            ),
        }
    }
    misses_table(h, run);
}

/// One table of periods for the center, open, then one per queue, folded.
fn period_tables(h: &mut String, table: &BandTable, what: &str, label: &dyn Fn(f64) -> String) {
    let mut keys = table.keys();
    // The center first, as in a single run's tables.
    keys.sort_by_key(|k| *k != ALL);
    for (i, key) in keys.iter().enumerate() {
        let extra = table.metrics.iter().any(|m| m == PERIOD_OUTCOME);
        open_period_table(h, key, what, i == 0, extra);
        for r in table.rows.iter().filter(|r| r.key == *key) {
            let _ = write!(h, "<tr><td>{}</td>", escape(&label(r.start_s)));
            for (m, v) in table.metrics.iter().zip(&r.values) {
                let _ = write!(h, "<td>{}</td>", escape(&pm(*v, m)));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n</details>\n");
    }
}

fn misses_table(h: &mut String, run: &ReplicatedRun) {
    let misses = significant_misses(run);
    let calendar = run.facts.calendar();
    let _ = writeln!(
        h,
        "<h2 id=\"misses\">The intervals that miss</h2>\n<p>{} interval × queue cells had a \
         service level significantly below their queue's target: the whole 95 % interval of \
         the mean over the {} replications lies below it. Worst first (lowest mean, then most \
         calls): the list to fix first.{}</p>",
        misses.len(),
        run.replications,
        listed_note(misses.len())
    );
    if misses.is_empty() {
        return;
    }
    h.push_str(
        "<table id=\"misses-table\">\n<tr><th>day</th><th>weekday</th><th>time</th>\
         <th>queue</th><th>offered</th><th>service level</th><th>95 % interval</th>\
         <th>target</th><th>abandoned %</th><th>agents</th></tr>\n",
    );
    let t = &run.intervals;
    let col = |r: &BandRow, m: &str| r.values[t.index(m)];
    for m in misses.iter().take(MAX_MISS_ROWS) {
        let r = m.row;
        let (lo, hi) = m.interval();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{:.1}–{:.1} %</td><td>{:.1} %</td><td>{}</td><td>{}</td></tr>",
            escape(&row_label(&calendar, r.start_s, true)),
            calendar.weekday_label(r.start_s),
            time_of_day(r.start_s),
            escape(&r.key),
            escape(&pm(col(r, "offered"), "offered")),
            escape(&pm(m.service_level, "service_level")),
            lo * 100.0,
            hi * 100.0,
            m.target * 100.0,
            escape(&pm(col(r, "abandon_rate"), "abandon_rate")),
            escape(&pm(col(r, "agents"), "agents")),
        );
    }
    h.push_str("</table>\n");
}
