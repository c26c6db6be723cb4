//! Service level a staffing plan promised against the one simulated with it
//! (`plan_vs_sim.csv` of `simulate --staffing`), per period: the promise dashed, the simulation
//! solid, in the queue's colour; `all` in black when there are several queues.
//!
//! The simulated SL is recomputed from `intervals.csv`'s counts like the service-level chart; the
//! file holds the promise only as a ratio, so a period's promise is weighted by the calls
//! offered (see [`aggregate_promises`]). Periods without calls are gaps.

use super::Ctx;
use super::figure::{Figure, LegendAt, Pen, Series, Shape, Side, Unit, YAxis};
use crate::report::data::aggregate_promises;

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    let rows = &ctx.run.plan_vs_sim;
    if rows.is_empty() {
        return None;
    }
    let mut fig = Figure::new(
        "plan_vs_sim",
        format!(
            "Service level promised by the plan vs simulated per {}",
            ctx.period
        ),
        ctx.time_axis(),
        YAxis::new("service level (% answered within threshold)", Unit::Percent),
    );
    fig.legend = LegendAt::LowerRight;
    let several = ctx.queues.iter().filter(|q| !q.is_all).count() > 1;
    let half = 0.5 * ctx.period_s;
    for (i, q) in ctx.queue_series() {
        // One queue: `all` would repeat it.
        if q.is_all && !several {
            continue;
        }
        let pen = Pen::for_series(i, q.is_all);
        let promised = aggregate_promises(rows, (!q.is_all).then_some(q.name), ctx.period_s);
        fig.series.push(Series {
            label: format!("{}: promised", q.name),
            pen: pen.dashed(),
            side: Side::Left,
            shape: Shape::Line,
            points: promised
                .iter()
                .map(|a| (a.start_s + half, a.service_level()))
                .collect(),
        });
        fig.series.push(Series {
            label: format!("{}: simulated", q.name),
            pen,
            side: Side::Left,
            shape: Shape::Line,
            points: ctx.line(q, |a| a.service_level()),
        });
    }
    Some(fig.fit())
}
