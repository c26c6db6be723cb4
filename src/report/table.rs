//! The short table `hotline simulate` prints: per queue offered, answered, SL, ASA,
//! abandonment and occupancy — what a planner reads at a glance.

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
    aligned(&lines)
}

/// Renders the per-class rows (`classes.csv`): queue, class, priority, offered, SL, ASA,
/// abandoned, wait p95.
pub fn class_table(rows: &[crate::stats::classes::ClassRow]) -> String {
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
    aligned(&lines)
}

/// Renders rows as a plain text table: the first column left-aligned, the others right-aligned,
/// two spaces apart, one line per row.
pub fn aligned<const N: usize>(lines: &[[String; N]]) -> String {
    let widths: Vec<usize> = (0..N)
        .map(|c| {
            lines
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for l in lines {
        for (c, cell) in l.iter().enumerate() {
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
}
