//! The distribution of waits over the whole run (from `waits.csv`), in two panels on one wait
//! axis, each with one scale: above, the share of all callers per 5-second bin as bars; below,
//! the cumulative share per queue. Service-level thresholds are marked in both (one mark per
//! distinct threshold, naming its queues). Waits of 10 minutes or more share the last bar.

use super::Ctx;
use super::figure::{Figure, MARK_RED, Mark, Pen, Series, Shape, Side, Unit, XAxis, YAxis};
use crate::report::data::ALL;
use crate::report::run_files::{WAIT_BIN_S, WAIT_TAIL_FROM_S};

/// Width the tail bin is drawn with, seconds.
const TAIL_DRAWN_S: f64 = 30.0;

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    let waits = &ctx.run.waits;
    if waits.is_empty() {
        return None;
    }
    let has_tail = waits.iter().any(|w| w.wait_from_s >= WAIT_TAIL_FROM_S);
    let longest = waits.iter().map(|w| w.wait_to_s).fold(0.0, f64::max);
    let to = if has_tail {
        WAIT_TAIL_FROM_S + TAIL_DRAWN_S
    } else {
        (longest / 60.0).ceil().max(1.0) * 60.0
    };
    let label = if has_tail {
        "wait (s); the last bar holds waits of 10 minutes or more"
    } else {
        "wait (s)"
    };
    let mut fig = Figure::new(
        "waits",
        "Distribution of waits, whole run",
        XAxis::Value {
            label: label.into(),
            to,
        },
        YAxis::new(
            format!("share of all callers per {WAIT_BIN_S:.0} s bin (bars)"),
            Unit::Percent,
        ),
    );
    // The cumulative share has its own panel and axis below: one scale per axis, never two
    // percentages of different things on one plot.
    let mut cumulative = Figure::new(
        "waits",
        "Callers who waited at most x (cumulative), per queue",
        fig.x.clone(),
        YAxis::new("callers who waited at most x", Unit::Percent),
    );
    // Drawn position of a bin: the tail is clipped to a readable width.
    let drawn = |from: f64, to: f64| {
        if from >= WAIT_TAIL_FROM_S {
            (from, from + TAIL_DRAWN_S)
        } else {
            (from, to)
        }
    };

    let names: Vec<&str> = ctx.queues.iter().map(|q| q.name).collect();
    // Bars: `all` (zero waits folded into the first bin).
    let all: Vec<_> = waits.iter().filter(|w| w.queue == ALL).collect();
    let total: u64 = all.iter().map(|w| w.calls).sum();
    if total > 0 {
        let mut bars: Vec<(f64, f64, u64)> = Vec::new();
        for w in &all {
            let (from, to) = drawn(w.wait_from_s, w.wait_to_s);
            let (from, to) = if to <= from {
                (0.0, WAIT_BIN_S)
            } else {
                (from, to)
            };
            match bars.iter_mut().find(|b| b.0 == from) {
                Some(b) => b.2 += w.calls,
                None => bars.push((from, to, w.calls)),
            }
        }
        for (k, (from, to, n)) in bars.into_iter().enumerate() {
            fig.series.push(Series {
                // One legend entry for all bars.
                label: if k == 0 {
                    "all callers: share per bin".into()
                } else {
                    String::new()
                },
                pen: Pen::all(),
                side: Side::Left,
                shape: Shape::Bars { width: to - from },
                points: vec![(from, Some(n as f64 / total as f64))],
            });
        }
    }
    // Cumulative curves, per queue and `all`.
    let mut thresholds: Vec<(f64, usize, &str)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let rows: Vec<_> = waits.iter().filter(|w| w.queue == *name).collect();
        let n: u64 = rows.iter().map(|w| w.calls).sum();
        if n == 0 {
            continue;
        }
        let mut seen = 0u64;
        let mut points = vec![(0.0, Some(0.0))];
        for w in &rows {
            seen += w.calls;
            let (_, to) = drawn(w.wait_from_s, w.wait_to_s);
            points.push((to, Some(seen as f64 / n as f64)));
        }
        cumulative.series.push(Series {
            label: format!("{name}: cumulative"),
            pen: Pen::for_series(i, *name == ALL),
            side: Side::Left,
            shape: Shape::Line,
            points,
        });
        if let Some(f) = ctx.run.queue_facts(name) {
            thresholds.push((f.sl_threshold_s, i, *name));
        }
    }
    // One mark per threshold, naming the queues that share it.
    thresholds.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut k = 0;
    while k < thresholds.len() {
        let t = thresholds[k].0;
        let same: Vec<_> = thresholds[k..].iter().take_while(|x| x.0 == t).collect();
        let names: Vec<&str> = same.iter().map(|x| x.2).collect();
        let mark = |label: String| Mark::Vertical {
            x: t.min(to),
            label,
            color: if same.len() == 1 {
                Pen::nth(same[0].1).color
            } else {
                MARK_RED
            },
        };
        fig.marks.push(mark(String::new()));
        cumulative
            .marks
            .push(mark(format!("SL threshold {t} s: {}", names.join(", "))));
        k += same.len();
    }
    fig.below = Some(Box::new(cumulative));
    Some(fig.fit())
}
