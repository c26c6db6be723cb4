//! Service level a staffing plan promised against the one simulated with it
//! (`plan_vs_sim.csv` of `simulate --staffing`), per period: the promise dashed, the simulation
//! solid, in the queue's colour; `all` in black when there are several queues.
//!
//! With many queues, the lines of every queue cannot be told apart: the chart shows `all` and
//! the [`MAX_QUEUES`] queues whose simulated SL fell furthest below the promise over the whole
//! run (the title says so); `plan_vs_sim.csv` has every queue.
//!
//! The simulated SL is recomputed from `intervals.csv`'s counts like the service-level chart; the
//! file holds the promise only as a ratio, so a period's promise is weighted by the calls
//! offered (see [`aggregate_promises`]). Periods without calls are gaps.

use super::Ctx;
use super::figure::{Figure, Pen, Series, Shape, Side, Unit, YAxis};
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
    let queues = ctx.queues.iter().filter(|q| !q.is_all).count();
    let several = queues > 1;
    let shown = worst_queues(ctx, MAX_QUEUES);
    if queues > shown.len() {
        fig.title = format!(
            "SL promised vs simulated per {}: all, and the {} of {queues} queues furthest below",
            ctx.period,
            shown.len()
        );
    }
    let half = 0.5 * ctx.period_s;
    for (i, q) in ctx.queue_series() {
        // One queue: `all` would repeat it.
        if q.is_all && !several {
            continue;
        }
        if !q.is_all && !shown.contains(&q.name) {
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

/// Queues drawn beside `all`: more than this many pairs of lines cannot be told apart.
pub const MAX_QUEUES: usize = 3;

/// The (at most `n`) queues whose whole-run simulated service level fell furthest below the
/// plan's promise (promise − simulation, largest first; queues without either figure last), in
/// file order so each keeps its colour.
fn worst_queues<'a>(ctx: &Ctx<'a>, n: usize) -> Vec<&'a str> {
    let rows = &ctx.run.plan_vs_sim;
    let mut gaps: Vec<(usize, &'a str, f64)> = ctx
        .queues
        .iter()
        .filter(|q| !q.is_all)
        .enumerate()
        .map(|(i, q)| {
            // One period covering the whole run.
            let promised = aggregate_promises(rows, Some(q.name), f64::MAX)
                .first()
                .and_then(|a| a.service_level());
            let simulated = ctx
                .run
                .summary
                .iter()
                .find(|r| r.queue == q.name)
                .and_then(|r| r.service_level);
            let gap = match (promised, simulated) {
                (Some(p), Some(s)) => p - s,
                _ => f64::NEG_INFINITY,
            };
            (i, q.name, gap)
        })
        .collect();
    gaps.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    gaps.truncate(n);
    gaps.sort_by_key(|g| g.0);
    gaps.into_iter().map(|g| g.1).collect()
}
