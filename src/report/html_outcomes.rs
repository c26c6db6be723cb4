//! The sections of `report.html` for the outcomes that scenario features add: what happened to
//! the calls per queue (blocked, closed, transferred), callbacks, transfers and journeys. Each
//! section is written only when the run has its feature, so a plain scenario's page is
//! unchanged; every number is the cell of `summary.csv` as written (counts as integers, shares
//! and seconds rounded for reading only).

use std::fmt::Write as _;

use super::data::{ALL, RunData, SummaryRecord};
use super::html::escape;

/// A table column: header and cell text of a summary row.
type Column = (&'static str, fn(&SummaryRecord) -> String);

fn count(v: u64) -> String {
    v.to_string()
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.1}%", v * 100.0))
}

fn secs(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.1}"))
}

/// Writes a table of the summary rows with the given columns.
fn table(h: &mut String, id: &str, run: &RunData, columns: &[Column]) {
    let heads: Vec<&str> = columns.iter().map(|c| c.0).collect();
    table_of(h, id, run, &heads, |i, r| (columns[i].1)(r));
}

/// Writes a table of the summary rows under `heads`, column `i` of row `r` being `cell(i, r)`.
fn table_of(
    h: &mut String,
    id: &str,
    run: &RunData,
    heads: &[&str],
    cell: impl Fn(usize, &SummaryRecord) -> String,
) {
    let _ = write!(h, "<table id=\"{id}\">\n<tr><th>queue</th>");
    for head in heads {
        let _ = write!(h, "<th>{}</th>", escape(head));
    }
    h.push_str("</tr>\n");
    for r in &run.summary {
        let class = if r.queue == ALL { " class=\"all\"" } else { "" };
        let _ = write!(h, "<tr{class}><td>{}</td>", escape(&r.queue));
        for i in 0..heads.len() {
            let _ = write!(h, "<td>{}</td>", escape(&cell(i, r)));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
}

/// "What happened to the calls" per queue, then the callback and the transfer tables, each
/// when the run has the feature.
pub fn sections(h: &mut String, run: &RunData) {
    let Some(t) = run.total() else {
        return;
    };
    let transfers = t.transferred_in + t.transferred_out + t.consults > 0;
    // The callbacks table's figures (`callbacks.rs`, shared with the terminal summary).
    let callbacks = super::callbacks::figures(|f| f.of(t));
    if t.blocked + t.closed + t.disconnected == 0 && !transfers && callbacks.is_none() {
        return;
    }
    let mut cols: Vec<Column> = vec![("offered", |r| count(r.offered))];
    if transfers {
        cols.push(("of which transferred in", |r| count(r.transferred_in)));
    }
    cols.push(("answered", |r| count(r.answered)));
    if transfers {
        cols.push(("then transferred out", |r| count(r.transferred_out)));
    }
    cols.push(("abandoned", |r| count(r.abandoned)));
    if t.blocked > 0 {
        cols.push(("blocked (busy)", |r| count(r.blocked)));
    }
    if t.closed > 0 {
        cols.push(("closed", |r| count(r.closed)));
        cols.push(("closed: self-served", |r| count(r.closed_self_served)));
        if t.closed_callback_requests > 0 {
            cols.push(("closed: callback request", |r| {
                count(r.closed_callback_requests)
            }));
        }
    }
    if t.disconnected > 0 {
        cols.push(("disconnected", |r| count(r.disconnected)));
    }
    if t.callbacks_failed > 0 {
        cols.push(("callback failed", |r| count(r.callbacks_failed)));
    }
    cols.push(("self-served in IVR", |r| count(r.self_served)));
    cols.push(("hung up in IVR", |r| count(r.hung_up_ivr)));
    cols.push(("in system at end", |r| count(r.in_system_at_end)));
    h.push_str(
        "<h2>What happened to the calls</h2>\n<p>Per queue, from summary.csv. A queue's \
         offered calls end answered, abandoned, closed, disconnected (on hold when the queue \
         closed, <code>[queue.closed] waiting = \"disconnect\"</code>, or transferred with no \
         agent free, <code>when_busy = \"disconnect\"</code>), with a failed callback \
         or still in the system; the <code>all</code> row counts calls, and also those that ended in the IVR \
         or on a busy signal: its outcomes add up to offered + transferred in (the chart <a href=\"#chart-outcomes\">What happened to the \
         calls</a> shows them per period).</p>\n",
    );
    table(h, "outcomes", run, &cols);

    if let Some(figures) = callbacks {
        h.push_str(
            "<h2>Callbacks</h2>\n<p>Callers offered a callback when the expected wait was long; \
             those who accepted kept their place and were called back (an answered callback \
             counts as answered). Two delays, each for what it is: a callback's mean time from \
             the request (or, for a request left while closed, from the opening) to the answered \
             callback; and for requests left while the queue was closed, the mean time from the \
             closed call to the answered callback — the night the caller waited.</p>\n",
        );
        let heads: Vec<&str> = figures.iter().map(|f| f.header).collect();
        table_of(h, "callbacks", run, &heads, |i, r| figures[i].cell(r));
        if t.outbound_callbacks > 0 {
            h.push_str(
                "<p>Requests left while closed on a queue that calls them back when idle                  (<code>[queue.closed] callbacks = \"when_idle\"</code>) are outbound work,                  dialled between inbound calls: they are counted in <em>dialled when idle</em>,                  not in <em>answered</em> or <em>failed</em>, and the overnight delay covers                  those answered. The promise is <code>callback_within</code>, from the                  opening.</p>\n",
            );
        }
    }

    if transfers {
        h.push_str(
            "<h2>Transfers and journeys</h2>\n<p>A transferred call is answered on one queue \
             and offered again on the next. A journey is a transferred caller's whole call, \
             counted on the queue of its first leg: its wait over every leg and whether its \
             last leg was answered.</p>\n",
        );
        let mut cols: Vec<Column> = vec![
            ("transferred in", |r| count(r.transferred_in)),
            ("transferred out", |r| count(r.transferred_out)),
            ("journeys", |r| count(r.journeys)),
            ("journey wait, mean (s)", |r| secs(r.journey_wait_mean_s)),
            ("journeys served", |r| pct(r.journeys_served_share)),
        ];
        if t.consults > 0 {
            h.push_str(
                "<p>A consult is not a transfer: the agent asks an agent of another queue, the \
                 caller on hold, then ends the call; both agents' time is in occupancy.</p>\n",
            );
            cols.push(("answered, ended after a consult", |r| count(r.consults)));
        }
        table(h, "transfers", run, &cols);
    }
}
