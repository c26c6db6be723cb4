//! Agents required and rostered per interval (`hotline schedule`), all pools summed: where the
//! scheduled line sits above the required one the roster carries idle time, below it the
//! interval is short. Built from the schedule in memory (the folder's `coverage.csv` holds the
//! same numbers per pool).

use super::figure::{Figure, Pen, Series, Shape, Side, Unit, XAxis, YAxis};

/// The coverage figure: `required` and `scheduled` agents per interval from the start of the
/// horizon, intervals of `interval_s` seconds, day 1 being weekday `first_weekday`.
pub fn figure(
    interval_s: f64,
    first_weekday: usize,
    required: &[u32],
    scheduled: &[u32],
) -> Figure {
    let mut fig = Figure::new(
        "coverage",
        "Agents required and scheduled by the roster per interval, all pools",
        XAxis::Time {
            from_s: 0.0,
            to_s: interval_s * required.len() as f64,
            first_weekday,
        },
        YAxis::new("agents on the phones", Unit::Count),
    );
    let series = |label: &str, pen: Pen, v: &[u32]| Series {
        label: label.to_string(),
        pen,
        side: Side::Left,
        shape: Shape::Steps { width: interval_s },
        points: v
            .iter()
            .enumerate()
            .map(|(k, &a)| (k as f64 * interval_s, Some(f64::from(a))))
            .collect(),
    };
    fig.series.push(series(
        "scheduled by the roster (off breaks)",
        Pen::all(),
        scheduled,
    ));
    fig.series.push(series(
        "required (after shrinkage)",
        Pen::nth(0).dashed(),
        required,
    ));
    fig.fit()
}

/// The coverage chart of a run folder that holds `hotline schedule`'s `coverage.csv` beside a
/// simulation (`simulate --staffing DIR/coverage.csv --out DIR`): every pool summed per
/// interval, drawn in report.html after the staffing charts.
pub fn from_run(ctx: &super::Ctx) -> Option<Figure> {
    let rows = &ctx.run.coverage;
    if !ctx.run.simulated || rows.is_empty() {
        return None;
    }
    let interval_s = ctx.run.facts.interval_s;
    let n = rows
        .iter()
        .map(|r| (r.interval_start_s / interval_s).round() as usize + 1)
        .max()?;
    let (mut required, mut scheduled) = (vec![0u32; n], vec![0u32; n]);
    for r in rows {
        let k = (r.interval_start_s / interval_s).round() as usize;
        required[k] += r.required;
        scheduled[k] += r.scheduled;
    }
    Some(figure(
        interval_s,
        ctx.run.facts.calendar().first_weekday(),
        &required,
        &scheduled,
    ))
}
