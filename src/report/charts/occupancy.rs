//! Occupancy of the scheduled agents per pool per period, and all pools together when there are
//! several: their busy time ÷ their scheduled time. Agents finishing a call after their shift
//! ended are left out of both (see [`crate::report::data::PoolAgg::occupancy_of_scheduled`]):
//! counted in, every shift end showed a spike to 100 % — a handful of agents on their last
//! calls, alone in the interval — which says nothing about the staffing. `pools.csv` keeps busy ÷
//! present in its `occupancy` column. Periods with no agent scheduled are gaps.

use super::Ctx;
use super::figure::{Figure, Pen, Series, Shape, Side, Unit, YAxis};
use crate::report::data::aggregate_pools;

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    let pools = ctx.run.pool_names();
    if pools.is_empty() {
        return None;
    }
    let mut fig = Figure::new(
        "occupancy",
        format!("Occupancy of scheduled agents per pool per {}", ctx.period),
        ctx.time_axis(),
        YAxis::new("occupancy (% of scheduled agent time busy)", Unit::Percent),
    );
    let half = 0.5 * ctx.period_s;
    let mut names: Vec<Option<&str>> = pools.iter().map(|p| Some(*p)).collect();
    if pools.len() > 1 {
        names.push(None);
    }
    for (i, name) in names.into_iter().enumerate() {
        let points = aggregate_pools(&ctx.run.pools, name, ctx.period_s)
            .iter()
            .map(|a| (a.start_s + half, a.occupancy_of_scheduled()))
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
