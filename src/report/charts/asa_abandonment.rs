//! Average speed of answer (upper panel, seconds) and abandonment rate (lower panel) per period:
//! two panels on one time axis, since the two rarely share a readable scale.

use super::Ctx;
use super::figure::{Figure, Pen, Series, Shape, Side, Unit, YAxis};

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    if !ctx.run.simulated {
        return None;
    }
    let mut asa = Figure::new(
        "asa_abandonment",
        format!("Average speed of answer and abandonment per {}", ctx.period),
        ctx.time_axis(),
        YAxis::new("ASA (s)", Unit::Count),
    );
    let mut abandoned = Figure::new(
        "asa_abandonment",
        "Abandoned",
        ctx.time_axis(),
        YAxis::new("abandoned (% of callers leaving queue)", Unit::Percent),
    );
    for (i, q) in ctx.queue_series() {
        let pen = Pen::for_series(i, q.is_all);
        asa.series.push(Series {
            label: format!("{} ASA", q.name),
            pen,
            side: Side::Left,
            shape: Shape::Line,
            points: ctx.line(q, |a| a.asa_s()),
        });
        abandoned.series.push(Series {
            label: format!("{} abandoned", q.name),
            pen,
            side: Side::Left,
            shape: Shape::Line,
            points: ctx.line(q, |a| a.abandon_rate()),
        });
    }
    asa.below = Some(Box::new(abandoned));
    Some(asa.fit())
}
