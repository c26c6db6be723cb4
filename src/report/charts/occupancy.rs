//! Occupancy per pool (busy ÷ present agent time) per period, and all pools together when there
//! are several. Periods with no agent present are gaps.

use super::Ctx;
use super::figure::{Figure, LegendAt, Pen, Series, Shape, Side, Unit, YAxis};
use crate::report::data::aggregate_pools;

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    let pools = ctx.run.pool_names();
    if pools.is_empty() {
        return None;
    }
    let mut fig = Figure::new(
        "occupancy",
        format!("Agent occupancy per pool per {}", ctx.period),
        ctx.time_axis(),
        YAxis::new("occupancy (% of present agent time busy)", Unit::Percent),
    );
    fig.legend = LegendAt::LowerRight;
    let half = 0.5 * ctx.period_s;
    let mut names: Vec<Option<&str>> = pools.iter().map(|p| Some(*p)).collect();
    if pools.len() > 1 {
        names.push(None);
    }
    for (i, name) in names.into_iter().enumerate() {
        let points = aggregate_pools(&ctx.run.pools, name, ctx.period_s)
            .iter()
            .map(|a| (a.start_s + half, a.occupancy()))
            .collect();
        fig.series.push(Series {
            label: name.unwrap_or("all pools").to_string(),
            pen: Pen::for_series(i, name.is_none()),
            side: Side::Left,
            shape: Shape::Line,
            points,
        });
    }
    Some(fig.fit())
}
