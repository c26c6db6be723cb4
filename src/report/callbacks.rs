//! The callbacks figures of a run, defined once for `report.html`'s *Callbacks* table
//! (`html_outcomes.rs`) and the callbacks block of `hotline simulate`'s terminal summary (one
//! run, and `--replications N`): which figures a run shows, under which header, from which
//! `summary.csv` column. Both read `summary.csv` — a single run's rows read back, a replicated
//! run's folded means — so the terminal prints the page's cells, never figures of its own.
//!
//! A run without callbacks (no callback offered and no request left at a closed queue) shows
//! none: no table on the page, no line in the terminal.

use super::data::{ALL, SummaryRecord};
use super::replications::{get, key_text, metric_pm};
use crate::stats::fold::{FoldedRow, Schema};

/// Whether `column` (seconds in the CSVs) is shown in hours on the pages and in the terminal:
/// the overnight callback delay, a night long ("28.0 h", not "100756.0 s").
pub fn in_hours(column: &str) -> bool {
    column == OVERNIGHT_DELAY.column
}

/// One figure of the callbacks table.
#[derive(Debug)]
pub struct Figure {
    /// The table's header (the page's and the terminal's).
    pub header: &'static str,
    /// Its `summary.csv` column.
    pub column: &'static str,
    /// Its value in a row of a single run's `summary.csv`.
    value: Value,
}

/// A count (shown whole), or seconds shown as seconds or as hours (to 0.1, empty when nothing
/// was timed). Hours are for the overnight delay: a planner reads "28.0 h", not "100756.0 s".
#[derive(Debug)]
enum Value {
    Count(fn(&SummaryRecord) -> u64),
    Seconds(fn(&SummaryRecord) -> Option<f64>),
    Hours(fn(&SummaryRecord) -> Option<f64>),
}

impl Figure {
    /// The value in a single run's `summary.csv` row, 0 when empty (for the choice of figures).
    pub fn of(&self, r: &SummaryRecord) -> f64 {
        match self.value {
            Value::Count(v) => v(r) as f64,
            Value::Seconds(v) | Value::Hours(v) => v(r).unwrap_or(0.0),
        }
    }

    /// The cell of a single run's row: a count whole, seconds or hours to 0.1, `–` when
    /// empty.
    pub fn cell(&self, r: &SummaryRecord) -> String {
        match self.value {
            Value::Count(v) => v(r).to_string(),
            Value::Seconds(v) => v(r).map_or("–".into(), |v| format!("{v:.1}")),
            Value::Hours(v) => v(r).map_or("–".into(), |v| format!("{:.1}", v / 3600.0)),
        }
    }

    /// The metric whose style (scale, unit) a replicated cell takes ([`metric_pm`]): the
    /// column's own, or hours for a figure shown in hours.
    fn style(&self) -> &'static str {
        match self.value {
            Value::Hours(_) => "hours_h",
            _ => self.column,
        }
    }
}

const fn count(header: &'static str, column: &'static str, v: fn(&SummaryRecord) -> u64) -> Figure {
    Figure {
        header,
        column,
        value: Value::Count(v),
    }
}

const fn seconds(
    header: &'static str,
    column: &'static str,
    v: fn(&SummaryRecord) -> Option<f64>,
) -> Figure {
    Figure {
        header,
        column,
        value: Value::Seconds(v),
    }
}

const OFFERED: Figure = count("offered", "callbacks_offered", |r| r.callbacks_offered);
const ACCEPTED: Figure = count("accepted", "callbacks_accepted", |r| r.callbacks_accepted);
const REQUESTS_WHEN_CLOSED: Figure =
    count("requests when closed", "closed_callback_requests", |r| {
        r.closed_callback_requests
    });
const ANSWERED: Figure = count("answered", "callbacks_completed", |r| r.callbacks_completed);
const FAILED: Figure = count("failed", "callbacks_failed", |r| r.callbacks_failed);
const DELAY: Figure = seconds(
    "callback: request or opening to answer (s)",
    "callback_delay_mean_s",
    |r| r.callback_delay_mean_s,
);
/// Not a column: whether any overnight callback was answered decides whether the overnight
/// delay is one.
const OVERNIGHT_ANSWERED: Figure = count(
    "overnight callbacks answered",
    "closed_callbacks_completed",
    |r| r.closed_callbacks_completed,
);
const OVERNIGHT_DELAY: Figure = Figure {
    header: "overnight callback: request to answer (h)",
    column: "closed_callback_delay_mean_s",
    value: Value::Hours(|r| r.closed_callback_delay_mean_s),
};
const DIALLED_WHEN_IDLE: Figure = count("dialled when idle", "outbound_callbacks", |r| {
    r.outbound_callbacks
});
const WITHIN_PROMISE: Figure = count(
    "of them dialled within the promise",
    "callbacks_within_target",
    |r| r.callbacks_within_target,
);

/// The figures of the callbacks table, in order, for a run whose `all` row has `total(f)` of
/// figure `f` (a single run's count, or a mean over replications); `None` when the run had no
/// callbacks. The requests left while closed, the overnight delay and the legs dialled when
/// idle appear only when the run has them.
pub fn figures(total: impl Fn(&Figure) -> f64) -> Option<Vec<&'static Figure>> {
    if total(&OFFERED) + total(&REQUESTS_WHEN_CLOSED) <= 0.0 {
        return None;
    }
    let mut f = vec![&OFFERED, &ACCEPTED];
    if total(&REQUESTS_WHEN_CLOSED) > 0.0 {
        f.push(&REQUESTS_WHEN_CLOSED);
    }
    f.extend([&ANSWERED, &FAILED, &DELAY]);
    if total(&OVERNIGHT_ANSWERED) > 0.0 {
        f.push(&OVERNIGHT_DELAY);
    }
    if total(&DIALLED_WHEN_IDLE) > 0.0 {
        f.extend([&DIALLED_WHEN_IDLE, &WITHIN_PROMISE]);
    }
    Some(f)
}

/// Under the terminal block when legs were dialled when idle (the page's note, shortened).
const WHEN_IDLE_NOTE: &str = "dialled when idle: requests left while closed on a queue with \
     callbacks = \"when_idle\", called back\n  as outbound work between inbound calls (not in \
     answered or failed); the promise is callback_within,\n  from the opening\n";

/// The callbacks block of a single run's terminal summary, from its `summary.csv` rows read
/// back: one line per figure of the page's table, one column per queue with callbacks and
/// `all`. Empty when the run had no callbacks.
pub fn terminal(rows: &[SummaryRecord]) -> String {
    let Some(all) = rows.iter().find(|r| r.queue == ALL) else {
        return String::new();
    };
    let Some(figures) = figures(|f| f.of(all)) else {
        return String::new();
    };
    let columns = rows
        .iter()
        .filter(|r| r.queue == ALL || figures.iter().any(|f| f.of(r) > 0.0))
        .map(|r| (r.queue.clone(), figures.iter().map(|f| f.cell(r)).collect()))
        .collect();
    block(&figures, columns)
}

/// The callbacks block of a replicated run's terminal summary: as [`terminal`], each cell the
/// folded `summary.csv` column as mean ± 95 % half-width (the terminal table's rule).
pub fn terminal_replicated(schema: &Schema, rows: &[FoldedRow]) -> String {
    let mean = |r: &FoldedRow, f: &Figure| get(schema, r, f.column).0.unwrap_or(0.0);
    let Some(all) = rows.iter().find(|r| key_text(r) == ALL) else {
        return String::new();
    };
    let Some(figures) = figures(|f| mean(all, f)) else {
        return String::new();
    };
    let columns = rows
        .iter()
        .filter(|r| key_text(r) == ALL || figures.iter().any(|f| mean(r, f) > 0.0))
        .map(|r| {
            let cells = figures
                .iter()
                .map(|f| {
                    let (m, hw) = get(schema, r, f.column);
                    metric_pm(f.style(), m, hw, false)
                })
                .collect();
            (key_text(r), cells)
        })
        .collect();
    block(&figures, columns)
}

/// The block: a header line (`callbacks` and the queues), then one line per figure.
fn block(figures: &[&Figure], columns: Vec<(String, Vec<String>)>) -> String {
    let mut lines: Vec<Vec<String>> = vec![
        std::iter::once("callbacks".to_string())
            .chain(columns.iter().map(|(q, _)| q.clone()))
            .collect(),
    ];
    for (i, f) in figures.iter().enumerate() {
        lines.push(
            std::iter::once(f.header.to_string())
                .chain(columns.iter().map(|(_, cells)| cells[i].clone()))
                .collect(),
        );
    }
    let mut out = super::aligned(&lines);
    if figures.iter().any(|f| f.column == DIALLED_WHEN_IDLE.column) {
        out.push_str(WHEN_IDLE_NOTE);
    }
    out
}
