//! Service level per period against the target: answered within the queue's threshold ÷
//! (answered + abandoned after the threshold). Periods without such calls are gaps.

use super::Ctx;
use super::figure::{Figure, MARK_RED, Mark, Pen, Series, Shape, Side, Unit, YAxis};

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    if !ctx.run.simulated {
        return None;
    }
    let target = ctx.run.sl_target();
    let mut fig = Figure::new(
        "service_level",
        format!("Service level per {}", ctx.period),
        ctx.time_axis(),
        YAxis::new("service level (% answered within threshold)", Unit::Percent),
    );
    for (i, q) in ctx.queue_series() {
        let label = match ctx.run.queue_facts(q.name) {
            Some(f) => format!("{} (within {} s)", q.name, f.sl_threshold_s),
            None => q.name.to_string(),
        };
        fig.series.push(Series {
            label,
            pen: Pen::for_series(i, q.is_all),
            side: Side::Left,
            shape: Shape::Line,
            points: ctx.line(q, |a| a.service_level()),
        });
    }
    fig.marks.push(Mark::Horizontal {
        y: target,
        side: Side::Left,
        label: format!("target {:.0}%", target * 100.0),
        color: MARK_RED,
    });
    Some(fig.fit())
}
