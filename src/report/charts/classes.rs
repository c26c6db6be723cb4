//! Waits per caller class (`class_intervals.csv`): the average speed of answer of each queue's
//! classes per period (upper panel) and their service level (lower panel), so a planner sees
//! whom the policy serves first and what the others pay for it. One colour per queue; the
//! queue's first class (as listed in the scenario) solid, the others dashed. Drawn only when the
//! run has caller classes.

use super::Ctx;
use super::figure::{Figure, MARK_RED, Mark, Pen, Series, Shape, Side, Unit, YAxis};
use crate::report::data::{self, class_key};

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    let run = ctx.run;
    if !run.simulated || run.classes.is_empty() || run.class_intervals.is_empty() {
        return None;
    }
    let mut asa = Figure::new(
        "classes",
        format!(
            "Average speed of answer and service level per caller class, per {}",
            ctx.period
        ),
        ctx.time_axis(),
        YAxis::new("ASA (s)", Unit::Count),
    );
    let mut sl = Figure::new(
        "classes",
        "Service level per caller class",
        ctx.time_axis(),
        YAxis::new("service level", Unit::Percent),
    );
    let queues = run.queue_names();
    let mut seen: Vec<&str> = Vec::new();
    for c in &run.classes {
        let colour = queues.iter().position(|q| *q == c.queue).unwrap_or(0);
        let first = !seen.contains(&c.queue.as_str());
        seen.push(&c.queue);
        let pen = if first {
            Pen::nth(colour)
        } else {
            Pen::nth(colour).dashed()
        };
        let points = data::aggregate(
            &run.class_intervals,
            &class_key(&c.queue, &c.class),
            ctx.period_s,
        );
        let line = |f: fn(&data::Agg) -> Option<f64>| {
            points
                .iter()
                .map(|a| (a.start_s + 0.5 * ctx.period_s, f(a)))
                .collect::<Vec<_>>()
        };
        let label = format!("{} {} (priority {})", c.queue, c.class, c.priority);
        asa.series.push(Series {
            label: label.clone(),
            pen,
            side: Side::Left,
            shape: Shape::Line,
            points: line(|a| a.asa_s()),
        });
        sl.series.push(Series {
            label,
            pen,
            side: Side::Left,
            shape: Shape::Line,
            points: line(|a| a.service_level()),
        });
    }
    let target = run.sl_target();
    sl.marks.push(Mark::Horizontal {
        y: target,
        side: Side::Left,
        label: format!("target {:.0}%", target * 100.0),
        color: MARK_RED,
    });
    asa.below = Some(Box::new(sl));
    Some(asa.fit())
}
