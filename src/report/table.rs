//! The short table `hotline simulate` prints: per queue offered, answered, SL, ASA,
//! abandonment and occupancy — what a planner reads at a glance.

use crate::stats::SummaryRow;

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.1}%", v * 100.0))
}

fn secs(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| {
        if v < 100.0 {
            format!("{v:.1}s")
        } else {
            format!("{:.1}m", v / 60.0)
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
            secs(r.asa_s),
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
    let mut lines: Vec<[String; 8]> = vec![head.map(String::from)];
    for r in rows {
        lines.push([
            r.queue.clone(),
            r.class.clone(),
            r.priority.to_string(),
            r.offered.to_string(),
            pct(r.service_level),
            secs(r.asa_s),
            pct(r.abandon_rate),
            secs(r.wait_p95_s),
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
