//! Offered calls per period, per queue and for the whole center, with the forecast's expected
//! calls (when `intervals.csv` has an `expected_calls` column) and agents staffed on the right.

use super::Ctx;
use super::figure::{CONTEXT_GREY, Figure, Pen, Series, Shape, Side, Unit, YAxis};

pub fn figure(ctx: &Ctx) -> Option<Figure> {
    if !ctx.run.simulated {
        return None;
    }
    let mut fig = Figure::new(
        "offered",
        format!("Calls offered per {} and agents staffed", ctx.period),
        ctx.time_axis(),
        YAxis::new(format!("calls offered per {}", ctx.period), Unit::Count),
    );
    fig.y2 = Some(YAxis::new("agents staffed (mean)", Unit::Count));
    for (i, q) in ctx.queue_series() {
        let pen = Pen::for_series(i, q.is_all);
        let label = if q.is_all {
            "all calls arriving".to_string()
        } else {
            q.name.to_string()
        };
        fig.series.push(Series {
            label: label.clone(),
            pen,
            side: Side::Left,
            shape: Shape::Line,
            points: ctx.line(q, |a| Some(a.offered as f64)),
        });
        if q.points.iter().any(|a| a.expected.is_some()) {
            fig.series.push(Series {
                label: format!("{label}: expected"),
                pen: pen.dashed().width(2),
                side: Side::Left,
                shape: Shape::Line,
                points: ctx.line(q, |a| a.expected),
            });
        }
        if q.is_all {
            fig.series.push(Series {
                label: "agents staffed, all pools (right axis)".into(),
                pen: Pen {
                    color: CONTEXT_GREY,
                    width: 2,
                    dashed: false,
                    faded: true,
                },
                side: Side::Right,
                shape: Shape::Steps {
                    width: ctx.period_s,
                },
                points: q
                    .points
                    .iter()
                    .map(|a| (a.start_s, Some(a.agents())))
                    .collect(),
            });
        }
    }
    Some(fig.fit())
}
