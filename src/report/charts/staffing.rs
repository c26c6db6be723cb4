//! Agents per period from a staffing plan (`staffing.csv` of `hotline staff`): the fewest agents
//! on the phones under Erlang C and under Erlang A, the agents the plan schedules (after
//! shrinkage) and, when the folder also holds a simulation, the agents the simulation had.
//!
//! With several queues the chart shows the whole center: each interval's agents summed over the
//! queues (per-queue lines would triple the series and hide the comparison). Periods longer than
//! an interval show the mean per interval of that sum, as the axis label says.

use super::Ctx;
use super::figure::{CONTEXT_GREY, Figure, Pen, Series, Shape, Side, Unit, YAxis};
use crate::report::data::{StaffAgg, aggregate_staffing, period_name};

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    let run = ctx.run;
    if run.staffing.is_empty() {
        return None;
    }
    let queues = run.staffing_queue_names();
    let several = queues.len() > 1;
    let whose = match queues.as_slice() {
        [one] => format!("queue {one}"),
        _ => "all queues".to_string(),
    };
    let interval_s = run.facts.interval_s;
    let mut label = if several {
        "agents, all queues summed".to_string()
    } else {
        "agents".to_string()
    };
    if ctx.period_s > interval_s {
        label.push_str(&format!(
            " (mean per {} interval over each {})",
            period_name(interval_s),
            ctx.period
        ));
    }
    let mut fig = Figure::new(
        "staffing",
        format!(
            "Agents required (Erlang C, Erlang A) and staffed per {}, {whose}",
            ctx.period
        ),
        ctx.time_axis(),
        YAxis::new(label, Unit::Count),
    );
    let points = aggregate_staffing(&run.staffing, None, ctx.period_s);
    let steps = Shape::Steps {
        width: ctx.period_s,
    };
    let series = |label: &str, pen: Pen, f: fn(&StaffAgg) -> f64| Series {
        label: label.to_string(),
        pen,
        side: Side::Left,
        shape: steps,
        points: points.iter().map(|a| (a.start_s, Some(f(a)))).collect(),
    };
    if run.simulated {
        if let Some(all) = ctx.queues.iter().find(|q| q.is_all) {
            fig.series.push(Series {
                label: "agents in the simulation".into(),
                // A wide faded band under the plan's lines: visible where it matches them.
                pen: Pen {
                    color: CONTEXT_GREY,
                    width: 8,
                    dashed: false,
                    faded: true,
                },
                side: Side::Left,
                shape: steps,
                points: all
                    .points
                    .iter()
                    .map(|a| (a.start_s, Some(a.agents())))
                    .collect(),
            });
        }
    }
    // Scheduled under the required lines: equal without shrinkage, blue then shows on black.
    fig.series.push(series(
        "agents scheduled by the plan (after shrinkage)",
        Pen::all(),
        StaffAgg::scheduled,
    ));
    fig.series.push(series(
        "Erlang C: agents required (nobody abandons)",
        Pen::nth(0),
        StaffAgg::erlang_c,
    ));
    fig.series.push(series(
        "Erlang A: agents required (callers abandon)",
        Pen::nth(1).dashed(),
        StaffAgg::erlang_a,
    ));
    Some(fig.fit())
}
