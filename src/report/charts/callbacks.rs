//! Callbacks per period, whole center (upper panel): callers offered a callback, those who
//! accepted, callbacks answered and callbacks that failed after every retry, plus callers at a
//! closed queue who left a callback request for the next opening (when the run has them);
//! lower panel: the mean time from the request to the answered callback, in minutes, counted in
//! the period the call was offered. Drawn only when the run has callbacks.

use super::Ctx;
use super::figure::{Figure, Pen, Series, Shape, Side, Unit, YAxis};
use crate::report::aggregate::Agg;

/// A count line: legend text, palette index, count.
type Line = (&'static str, usize, fn(&Agg) -> u64);

/// The count lines.
const LINES: &[Line] = &[
    ("offered a callback", 4, |a| a.outcomes.callbacks_offered),
    ("accepted (kept their place)", 0, |a| {
        a.outcomes.callbacks_accepted
    }),
    ("closed queue: callback request", 3, |a| {
        a.outcomes.closed_callback_requests
    }),
    ("callback answered", 2, |a| a.outcomes.callbacks_completed),
    ("callback failed", 5, |a| a.outcomes.callbacks_failed),
];

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    if !ctx.run.simulated {
        return None;
    }
    let all = ctx.queues.iter().find(|q| q.is_all)?;
    let total = |f: fn(&Agg) -> u64| all.points.iter().map(f).sum::<u64>();
    if total(|a| a.outcomes.callbacks_offered + a.outcomes.closed_callback_requests) == 0 {
        return None;
    }
    let mut fig = Figure::new(
        "callbacks",
        format!("Callbacks per {}, whole center", ctx.period),
        ctx.time_axis(),
        YAxis::new(format!("callers per {}", ctx.period), Unit::Count),
    );
    for &(label, pen, count) in LINES.iter().filter(|l| total(l.2) > 0) {
        fig.series.push(Series {
            label: label.to_string(),
            // Dashed answers: they often equal the acceptances and must not hide them.
            pen: if label == "callback answered" {
                Pen::nth(pen).dashed()
            } else {
                Pen::nth(pen)
            },
            side: Side::Left,
            shape: Shape::Line,
            points: ctx.line(all, |a| Some(count(a) as f64)),
        });
    }
    let mut delay = Figure::new(
        "callbacks",
        "Mean time from request to answered callback",
        ctx.time_axis(),
        YAxis::new("minutes", Unit::Count),
    );
    delay.series.push(Series {
        label: "request → callback (mean, min)".into(),
        pen: Pen::all(),
        side: Side::Left,
        shape: Shape::Line,
        points: ctx.line(all, |a| a.callback_delay_mean_s().map(|s| s / 60.0)),
    });
    fig.below = Some(Box::new(delay));
    Some(fig.fit())
}
