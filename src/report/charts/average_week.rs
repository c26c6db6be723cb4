//! The average week of a run longer than a week (issue 20; a run of several replications draws
//! it from its mean columns through [`week_figure`]): each weekday's intervals averaged
//! over the weeks of the run — one line per queue and the whole center — with the center's
//! lowest and highest week shaded around its line. A month of half-hours drawn one by one is
//! a wall of spikes; the average week shows the shape a planner staffs, and the band says how
//! far the weeks strayed from it. The run's own course is the daily charts (a long run's
//! other time charts plot days, see `Ctx::new`).

use super::Ctx;
use super::figure::{Band, Figure, MARK_RED, Mark, Pen, Series, Shape, Side, Unit, XAxis, YAxis};
use crate::report::data::{ALL, IntervalRecord};
use crate::report::html_glance::is_long;
use crate::report::periods::week_profile;
use crate::report::run_files::RunFacts;
use crate::time::WEEK;

/// Light grey of the center's min–max band.
const BAND_GREY: plotters::style::RGBColor = plotters::style::RGBColor(150, 150, 150);

/// One line of an average week: its legend text, pen, whether it is the whole center (which
/// gets the lowest-to-highest-week band) and its `(interval start, value)` pairs over the run.
pub struct WeekLine {
    pub label: String,
    pub pen: Pen,
    pub is_all: bool,
    pub values: Vec<(f64, Option<f64>)>,
}

/// The average-week figure `stem` of `lines` (each folded by [`week_profile`]): a
/// Monday-to-Sunday axis, one line per queue and the center, the center's band. Not fitted.
pub fn week_figure(
    facts: &RunFacts,
    stem: &'static str,
    title: &str,
    y: YAxis,
    lines: Vec<WeekLine>,
) -> Figure {
    let x = XAxis::Time {
        from_s: 0.0,
        to_s: WEEK,
        first_weekday: 0,
    };
    let mut fig = Figure::new(stem, title, x, y);
    for line in lines {
        let profile = week_profile(facts, line.values.into_iter());
        if line.is_all {
            fig.bands.push(Band {
                label: "whole center: lowest to highest week".into(),
                color: BAND_GREY,
                side: Side::Left,
                points: profile
                    .iter()
                    .map(|(t, c)| (*t, c.map(|c| (c.min, c.max))))
                    .collect(),
            });
        }
        fig.series.push(Series {
            label: line.label,
            pen: line.pen,
            side: Side::Left,
            shape: Shape::Line,
            points: profile
                .iter()
                .map(|(t, c)| (*t, c.map(|c| c.mean)))
                .collect(),
        });
    }
    fig
}

/// The SL target mark of an average week (or any service-level chart).
pub fn target_mark(target: f64) -> Mark {
    Mark::Horizontal {
        y: target,
        side: Side::Left,
        label: format!("target {:.0}%", target * 100.0),
        color: MARK_RED,
    }
}

/// The figure `stem` of `metric` per interval, for a single run longer than a week.
fn figure(
    ctx: &Ctx,
    stem: &'static str,
    title: &str,
    y: YAxis,
    metric: fn(&IntervalRecord) -> Option<f64>,
) -> Option<Figure> {
    if !is_long(ctx.run) {
        return None;
    }
    let run = ctx.run;
    let lines = ctx
        .queue_series()
        .map(|(i, q)| WeekLine {
            label: if q.is_all {
                "whole center".to_string()
            } else {
                q.name.to_string()
            },
            pen: Pen::for_series(i, q.is_all),
            is_all: q.name == ALL,
            values: run
                .intervals
                .iter()
                .filter(|r| r.queue == q.name)
                .map(|r| (r.interval_start_s, metric(r)))
                .collect(),
        })
        .collect();
    Some(week_figure(&run.facts, stem, title, y, lines))
}

/// Calls offered per interval in the average week.
pub fn offered(ctx: &Ctx) -> Option<Figure> {
    let period = crate::report::data::period_name(ctx.run.facts.interval_s);
    let title = format!(
        "Average week: calls offered per {period} (mean of each weekday's interval over the weeks)"
    );
    let y = YAxis::new(format!("calls offered per {period}"), Unit::Count);
    figure(ctx, "week_offered", &title, y, |r| Some(r.offered as f64)).map(Figure::fit)
}

/// Service level per interval in the average week, against the target.
pub fn service_level(ctx: &Ctx) -> Option<Figure> {
    let period = crate::report::data::period_name(ctx.run.facts.interval_s);
    let title = format!("Average week: service level per {period} (mean over the weeks)");
    let y = YAxis::new("service level (% answered within threshold)", Unit::Percent);
    let mut fig = figure(ctx, "week_service_level", &title, y, |r| r.service_level)?;
    fig.marks.push(target_mark(ctx.run.sl_target()));
    Some(fig.fit())
}
