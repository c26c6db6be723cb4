//! The short table `hotline simulate` prints: per queue offered, answered, SL, ASA,
//! abandonment and occupancy — what a planner reads at a glance — and, when a run has them, a
//! footnote with the blocked, closed and disconnected calls (neither answered nor abandoned).

use crate::stats::SummaryRow;

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.1}%", v * 100.0))
}

/// A wait in one unit for the whole column: minutes when any queue waits 100 s or more on
/// average, seconds otherwise. Mixing `45.0s` and `2.1m` in one column invites misreading.
fn secs(v: Option<f64>, minutes: bool) -> String {
    v.map_or("–".into(), |v| {
        if minutes {
            format!("{:.1}m", v / 60.0)
        } else {
            format!("{v:.1}s")
        }
    })
}

/// Renders the summary rows; `thresholds` are the queues' SL thresholds (seconds), in order.
pub fn summary_table(rows: &[SummaryRow], thresholds: &[f64]) -> String {
    let head = [
        "queue",
        "offered",
        "answered",
        "SL",
        "ASA",
        "abandoned",
        "occupancy",
    ];
    let minutes = rows.iter().any(|r| r.asa_s.is_some_and(|a| a >= 100.0));
    let mut lines: Vec<[String; 7]> = vec![head.map(String::from)];
    for (i, r) in rows.iter().enumerate() {
        let sl = match thresholds.get(i) {
            Some(t) => format!("{} in {}s", pct(r.service_level), t),
            None => pct(r.service_level),
        };
        lines.push([
            r.queue.clone(),
            r.offered.to_string(),
            r.answered.to_string(),
            sl,
            secs(r.asa_s, minutes),
            pct(r.abandon_rate),
            pct(r.occupancy),
        ]);
    }
    let mut out = aligned(&lines);
    let never = rows.iter().map(|r| {
        let n = |v: u64| (v as f64, v.to_string());
        (
            r.queue.as_str(),
            r.offered as f64,
            [n(r.blocked), n(r.closed), n(r.disconnected)],
        )
    });
    out.push_str(&unreached_footnote(never));
    out
}

/// Footnote lines for calls neither answered nor abandoned — `blocked` (busy signal,
/// `[center] lines`), `closed` (routed outside opening hours) and `disconnected` (cut off at a
/// closing, or transferred with no agent free) — one line per row that has any, with the
/// count and its share of the row's offered calls. Empty when no row has any, so a plain
/// scenario's table is unchanged. `rows` yields (queue, offered, [blocked, closed,
/// disconnected]), each count as its value and its text (an integer, or a mean ± half-width).
pub(super) fn unreached_footnote<Q: AsRef<str>>(
    rows: impl Iterator<Item = (Q, f64, [(f64, String); 3])>,
) -> String {
    let mut lines = Vec::new();
    let mut seen = [false; 3];
    for (queue, offered, counts) in rows {
        for (s, (v, _)) in seen.iter_mut().zip(&counts) {
            *s |= *v > 0.0;
        }
        let parts: Vec<String> = counts
            .iter()
            .zip(["blocked", "closed", "disconnected"])
            .filter(|((v, _), _)| *v > 0.0)
            .map(|((v, text), what)| {
                if offered > 0.0 {
                    format!(
                        "{text} {what} ({} of offered)",
                        percent_text(100.0 * v / offered)
                    )
                } else {
                    format!("{text} {what}")
                }
            })
            .collect();
        if !parts.is_empty() {
            lines.push(format!("  {}: {}\n", queue.as_ref(), parts.join(", ")));
        }
    }
    if lines.is_empty() {
        return String::new();
    }
    let legend: Vec<&str> = [
        "blocked: every line busy ([center] lines)",
        "closed: routed to a queue outside its opening hours",
        "disconnected: cut off at a closing ([queue.closed] waiting) or on a transfer with no agent free (when_busy)",
    ]
    .into_iter()
    .zip(seen)
    .filter_map(|(l, s)| s.then_some(l))
    .collect();
    format!(
        "neither answered nor abandoned — {}:\n{}",
        legend.join("; "),
        lines.concat()
    )
}

/// A percentage of the offered calls to 0.1: `<0.1%` for one above 0 that would round to
/// `0.0%` (4 callers cut off among 18,936 did happen; "0.0%" reads as none).
fn percent_text(percent: f64) -> String {
    if percent > 0.0 && percent < 0.05 {
        "<0.1%".into()
    } else {
        format!("{percent:.1}%")
    }
}

/// Renders the per-class rows (`classes.csv`): queue, class, priority, offered, SL, ASA,
/// abandoned, wait p95; then, for each queue whose classes do not add up to its offered calls,
/// the line reconciling them with `summary` (closed callers and closed-queue callback legs have
/// no class: they never waited in the queue's line).
pub fn class_table(rows: &[crate::stats::classes::ClassRow], summary: &[SummaryRow]) -> String {
    let head = [
        "queue",
        "class",
        "priority",
        "offered",
        "SL",
        "ASA",
        "abandoned",
        "wait p95",
    ];
    // One unit per column, as in the summary table.
    let asa_minutes = rows.iter().any(|r| r.asa_s.is_some_and(|a| a >= 100.0));
    let p95_minutes = rows
        .iter()
        .any(|r| r.wait_p95_s.is_some_and(|a| a >= 100.0));
    let mut lines: Vec<[String; 8]> = vec![head.map(String::from)];
    for r in rows {
        lines.push([
            r.queue.clone(),
            r.class.clone(),
            r.priority.to_string(),
            r.offered.to_string(),
            pct(r.service_level),
            secs(r.asa_s, asa_minutes),
            pct(r.abandon_rate),
            secs(r.wait_p95_s, p95_minutes),
        ]);
    }
    let mut out = aligned(&lines);
    for q in summary {
        let classes: u64 = rows
            .iter()
            .filter(|r| r.queue == q.queue)
            .map(|r| r.offered)
            .sum();
        if classes == 0 || classes == q.offered {
            continue;
        }
        let mut minus = vec![format!("{} closed", q.closed)];
        if q.closed_callbacks > 0 {
            minus.push(format!("{} closed-queue callback legs", q.closed_callbacks));
        }
        out.push_str(&format!(
            "{}: classes offered {classes} = {} offered − {} (no class: they never waited in \
             the queue's line)\n",
            q.queue,
            q.offered,
            minus.join(" − ")
        ));
    }
    out
}

/// Renders rows (arrays, or vectors of one length) as a plain text table: the first column
/// left-aligned, the others right-aligned, two spaces apart, one line per row.
pub fn aligned<R: AsRef<[String]>>(lines: &[R]) -> String {
    let n = lines.first().map_or(0, |l| l.as_ref().len());
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            lines
                .iter()
                .map(|l| l.as_ref()[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for l in lines {
        for (c, cell) in l.as_ref().iter().enumerate() {
            let pad = " ".repeat(widths[c] - cell.chars().count());
            if c == 0 {
                out.push_str(cell);
                out.push_str(&pad);
            } else {
                out.push_str("  ");
                out.push_str(&pad);
                out.push_str(cell);
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{QueueTally, RowInputs};

    fn row(queue: &str, asa_s: Option<f64>) -> SummaryRow {
        let mut r = SummaryRow::new(&RowInputs {
            queue,
            tally: &QueueTally::default(),
            ivr: None,
            pools: Default::default(),
            period_s: 0.0,
        });
        r.asa_s = asa_s;
        r
    }

    #[test]
    fn asa_column_has_one_unit_when_queues_wait_seconds_and_minutes() {
        let t = summary_table(&[row("fast", Some(12.0)), row("slow", Some(150.0))], &[]);
        let asa: Vec<&str> = t
            .lines()
            .skip(1)
            .map(|l| l.split_whitespace().nth(4).unwrap())
            .collect();
        assert_eq!(asa, ["0.2m", "2.5m"], "{t}");
        let t = summary_table(&[row("fast", Some(12.0)), row("slow", Some(99.0))], &[]);
        assert!(t.contains("12.0s") && t.contains("99.0s"), "{t}");
    }

    #[test]
    fn blocked_and_closed_calls_get_a_footnote_with_counts_and_shares() {
        let mut cards = row("cards", Some(12.0));
        cards.offered = 1000;
        cards.closed = 181;
        let mut all = row("all", Some(12.0));
        all.offered = 2000;
        all.blocked = 106;
        all.closed = 181;
        let t = summary_table(&[cards, row("loans", Some(9.0)), all], &[]);
        assert!(
            t.contains("  cards: 181 closed (18.1% of offered)\n"),
            "{t}"
        );
        assert!(
            t.contains("  all: 106 blocked (5.3% of offered), 181 closed (9.1% of offered)\n"),
            "{t}"
        );
        assert!(!t.contains("loans:"), "{t}");
        // A few among many are not "0.0%".
        let mut few = row("all", Some(12.0));
        few.offered = 18_936;
        few.disconnected = 4;
        let t = summary_table(&[few], &[]);
        assert!(
            t.contains("  all: 4 disconnected (<0.1% of offered)\n"),
            "{t}"
        );
        // Without blocked or closed calls the table is unchanged.
        let plain = summary_table(&[row("a", Some(1.0))], &[]);
        assert!(
            !plain.contains("blocked") && !plain.contains("closed"),
            "{plain}"
        );
    }
}
