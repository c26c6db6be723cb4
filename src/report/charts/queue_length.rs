//! Callers waiting over time: the time-average (solid) and the peak (dashed, lighter) per period.

use super::Ctx;
use super::figure::{Figure, Pen, Series, Shape, Side, Unit, YAxis};

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    if !ctx.run.simulated {
        return None;
    }
    let mut fig = Figure::new(
        "queue_length",
        format!("Callers waiting per {}: mean and peak", ctx.period),
        ctx.time_axis(),
        YAxis::new("callers waiting", Unit::Count),
    );
    for (i, q) in ctx.queue_series() {
        let pen = Pen::for_series(i, q.is_all);
        fig.series.push(Series {
            label: format!("{} mean", q.name),
            pen,
            side: Side::Left,
            shape: Shape::Line,
            points: ctx.line(q, |a| Some(a.queue_length_mean())),
        });
        fig.series.push(Series {
            label: format!("{} peak", q.name),
            pen: pen.dashed().faded().width(1.max(pen.width - 1)),
            side: Side::Left,
            shape: Shape::Line,
            points: ctx.line(q, |a| Some(f64::from(a.queue_peak))),
        });
    }
    Some(fig.fit())
}
