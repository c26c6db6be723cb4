//! What happened to the calls, per period, for the whole center: stacked bars of the calls
//! answered, abandoned, not reached by their callback, cut off when their queue closed, blocked (busy signal), routed to a closed
//! queue (split by what the caller did next), self-served or hung up in the IVR, and still in
//! the system at the end. Drawn only when the scenario uses one of the features that add an
//! outcome (lines, opening hours, callbacks, transfers): a plain scenario's report is unchanged.
//!
//! Every part is a column (or a difference of columns) of `intervals.csv`'s `all` row; the parts
//! are listed once, in [`PARTS`], which `report.html`'s outcome table reads too. A transferred
//! call is counted once, by its last leg (`answered − transferred_out` are the answers that
//! ended a call), so a period's bar is its calls offered give or take the transfers crossing a
//! period boundary. A request left at a closed queue ends its call at night (`closed: callback
//! request`); its callback at the next opening is that morning's agent work (answered or
//! failed) and adds `closed_callbacks` to the morning's bars.

use plotters::style::RGBColor;

use super::Ctx;
use super::figure::{Figure, Pen, Series, Shape, Side, Unit, YAxis};
use crate::report::aggregate::Agg;
use crate::report::data::OutcomeCounts;

/// One part of the stacked bar: its legend text, colour and count.
pub struct Part {
    pub label: &'static str,
    pub color: RGBColor,
    pub count: fn(&Agg) -> u64,
}

/// The parts, bottom to top. A new outcome column is one line here.
pub const PARTS: &[Part] = &[
    Part {
        label: "answered by an agent",
        color: RGBColor(0, 158, 115),
        count: |a| a.answered.saturating_sub(a.outcomes.transferred_out),
    },
    Part {
        label: "abandoned while waiting",
        color: RGBColor(213, 94, 0),
        count: |a| a.abandoned,
    },
    Part {
        label: "callback failed (never reached)",
        color: RGBColor(204, 121, 167),
        count: |a| a.outcomes.callbacks_failed,
    },
    Part {
        label: "disconnected (queue closed, or no agent free on a transfer)",
        color: RGBColor(120, 60, 20),
        count: |a| a.outcomes.disconnected,
    },
    Part {
        label: "blocked (busy signal)",
        color: RGBColor(60, 60, 60),
        count: |a| a.outcomes.blocked,
    },
    Part {
        label: "closed: hung up",
        color: RGBColor(230, 159, 0),
        count: |a| closed_hung_up(&a.outcomes),
    },
    Part {
        label: "closed: self-served",
        color: RGBColor(86, 180, 233),
        count: |a| a.outcomes.closed_self_served,
    },
    Part {
        label: "closed: callback request",
        color: RGBColor(0, 114, 178),
        count: |a| a.outcomes.closed_callback_requests,
    },
    Part {
        label: "self-served in the IVR",
        color: RGBColor(150, 150, 150),
        count: |a| a.outcomes.self_served,
    },
    Part {
        label: "hung up in the IVR",
        color: RGBColor(205, 205, 205),
        count: |a| a.outcomes.hung_up_ivr,
    },
    Part {
        label: "still in the system at the end",
        color: RGBColor(240, 228, 66),
        count: |a| a.outcomes.in_system_at_end,
    },
];

/// Callers routed to a closed queue who neither self-served nor left a callback request.
pub fn closed_hung_up(o: &OutcomeCounts) -> u64 {
    o.closed
        .saturating_sub(o.closed_self_served)
        .saturating_sub(o.closed_callback_requests)
}

/// Whether the run's totals show a feature that adds an outcome: busy signals, closed queues
/// (with callers cut off at the closing), callbacks or transfers.
pub fn uses_new_outcomes(total: &OutcomeCounts) -> bool {
    total.blocked
        + total.closed
        + total.disconnected
        + total.callbacks_offered
        + total.closed_callback_requests
        + total.transferred_out
        + total.transferred_in
        > 0
}

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    if !ctx.run.simulated {
        return None;
    }
    let all = ctx.queues.iter().find(|q| q.is_all)?;
    let mut total = Agg::default();
    for a in &all.points {
        total.outcomes.add(&a.outcomes);
        total.answered += a.answered;
        total.abandoned += a.abandoned;
    }
    if !uses_new_outcomes(&total.outcomes) {
        return None;
    }
    let mut fig = Figure::new(
        "outcomes",
        format!(
            "What happened to the calls, per {}, whole center",
            ctx.period
        ),
        ctx.time_axis(),
        YAxis::new(format!("calls per {}", ctx.period), Unit::Count),
    );
    for part in PARTS.iter().filter(|p| (p.count)(&total) > 0) {
        fig.series.push(Series {
            label: part.label.to_string(),
            pen: Pen {
                color: part.color,
                width: 1,
                dashed: false,
                faded: false,
            },
            side: Side::Left,
            shape: Shape::Stacked {
                width: ctx.period_s,
            },
            points: all
                .points
                .iter()
                .map(|a| (a.start_s, Some((part.count)(a) as f64)))
                .collect(),
        });
    }
    Some(fig.fit())
}
