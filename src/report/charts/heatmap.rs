//! Weekday × time-of-day heat maps (issue 20): rows Monday to Sunday, columns the intervals of
//! the day, each cell a filled rectangle coloured by the mean over the run's weeks
//! ([`HeatGrid`]). One colour scale per map with its legend (a bar with its end values); cells
//! without a value — closed, no call, nobody present — are drawn grey and crossed, never as 0.
//! Written as PNG and SVG like the other charts; the grid comes from `report::periods`.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Rendered;
use super::figure::Unit;
use super::render::{self, SIZE, ensure_font};
use crate::app::AppError;
use crate::report::atomic::AtomicFile;
use crate::report::periods::HeatGrid;
use crate::time::WEEKDAY_LABELS;

/// How values map to colours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// From `lo` (pale) to `hi` (dark blue): more calls, busier agents.
    Rising { lo: f64, hi: f64 },
    /// From `good` (pale) to `bad` (dark red), either way round: service level (bad low),
    /// abandonment (bad high).
    Warning { good: f64, bad: f64 },
    /// Centred on 0 (white): below dark red (short of agents), above dark blue (over),
    /// symmetric to `±extent`.
    Diverging { extent: f64 },
}

/// A heat map ready to draw.
#[derive(Debug, Clone)]
pub struct HeatMap {
    /// File name without extension.
    pub stem: String,
    pub title: String,
    pub unit: Unit,
    pub scale: Scale,
    pub grid: HeatGrid,
    /// Legend text of the grey cells.
    pub empty_label: &'static str,
}

const PALE: (f64, f64, f64) = (247.0, 251.0, 255.0);
const BLUE: (f64, f64, f64) = (8.0, 48.0, 107.0);
const RED: (f64, f64, f64) = (165.0, 15.0, 21.0);
const WHITE_MID: (f64, f64, f64) = (255.0, 255.0, 255.0);
/// Cells without a value.
const EMPTY: RGBColor = RGBColor(215, 215, 215);

fn mix(a: (f64, f64, f64), b: (f64, f64, f64), t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let c = |x: f64, y: f64| (x + (y - x) * t).round() as u8;
    RGBColor(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

impl Scale {
    /// The colour of value `v`.
    pub fn color(self, v: f64) -> RGBColor {
        let frac = |lo: f64, hi: f64| {
            if (hi - lo).abs() < 1e-12 {
                1.0
            } else {
                (v - lo) / (hi - lo)
            }
        };
        match self {
            Scale::Rising { lo, hi } => mix(PALE, BLUE, frac(lo, hi)),
            Scale::Warning { good, bad } => mix(PALE, RED, frac(good, bad)),
            Scale::Diverging { extent } => {
                let e = extent.max(1e-9);
                if v < 0.0 {
                    mix(WHITE_MID, RED, -v / e)
                } else {
                    mix(WHITE_MID, BLUE, v / e)
                }
            }
        }
    }

    /// The legend bar's ends, bottom then top.
    fn ends(self) -> (f64, f64) {
        match self {
            Scale::Rising { lo, hi } => (lo, hi),
            Scale::Warning { good, bad } => (good.min(bad), good.max(bad)),
            Scale::Diverging { extent } => (-extent, extent),
        }
    }
}

const FONT: &str = "sans-serif";
/// Grid position in the image: left of the weekday labels, top under the title, right of the
/// legend column, bottom over the time labels.
const LEFT: i32 = 70;
const TOP: i32 = 60;
const LEGEND_W: i32 = 190;
const BOTTOM: i32 = 70;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws the map onto `root` (filled white first).
pub fn draw<DB: DrawingBackend>(map: &HeatMap, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let title = (FONT, 24).into_font().color(&BLACK);
    let text = (FONT, 14).into_font().color(&BLACK);
    root.draw(&Text::new(map.title.clone(), (LEFT, 16), title))?;
    let slots = map.grid.slots.max(1) as i32;
    let gw = w - LEFT - LEGEND_W - 20;
    let gh = h - TOP - BOTTOM;
    let cell = |d: i32, s: i32| {
        let x0 = LEFT + gw * s / slots;
        let x1 = LEFT + gw * (s + 1) / slots;
        let y0 = TOP + gh * d / 7;
        let y1 = TOP + gh * (d + 1) / 7;
        (x0, y0, x1, y1)
    };
    for (d, row) in map.grid.cells.iter().enumerate() {
        let d = d as i32;
        root.draw(&Text::new(
            WEEKDAY_LABELS[d as usize],
            (14, (cell(d, 0).1 + cell(d, 0).3) / 2 - 7),
            text.clone(),
        ))?;
        for (s, c) in row.iter().enumerate() {
            let (x0, y0, x1, y1) = cell(d, s as i32);
            match c {
                Some((v, _)) => {
                    root.draw(&Rectangle::new(
                        [(x0, y0), (x1, y1)],
                        map.scale.color(*v).filled(),
                    ))?;
                }
                None => {
                    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], EMPTY.filled()))?;
                    let line = RGBColor(160, 160, 160).stroke_width(1);
                    root.draw(&PathElement::new(vec![(x0, y1 - 1), (x1 - 1, y0)], line))?;
                }
            }
        }
    }
    // Thin white lines between days, so the weekdays read as rows.
    for d in 1..7 {
        let y = cell(d, 0).1;
        root.draw(&PathElement::new(
            vec![(LEFT, y), (LEFT + gw, y)],
            WHITE.stroke_width(1),
        ))?;
    }
    // Time of day under the grid, every 3 hours (every hour when intervals are longer).
    let per_hour = (3600.0 / map.grid.interval_s).round().max(1.0) as i32;
    let step = (per_hour * 3).max(1);
    let mut s = 0;
    while s <= slots {
        let x = LEFT + gw * s / slots;
        let hour = (f64::from(s) * map.grid.interval_s / 3600.0).round() as i32;
        root.draw(&PathElement::new(
            vec![(x, TOP + gh), (x, TOP + gh + 5)],
            BLACK.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            format!("{hour:02}:00"),
            (x - 18, TOP + gh + 9),
            text.clone(),
        ))?;
        s += step;
    }
    root.draw(&Text::new(
        "time of day (start of the interval)",
        (LEFT + gw / 2 - 110, TOP + gh + 34),
        text.clone(),
    ))?;
    draw_legend(map, root, (LEFT + gw + 24, TOP), gh)
}

/// The colour bar (top = largest value) with its end and middle values, and the grey swatch.
fn draw_legend<DB: DrawingBackend>(
    map: &HeatMap,
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    height: i32,
) -> DrawResult<DB> {
    let text = (FONT, 14).into_font().color(&BLACK);
    let bar_h = (height - 60).max(40);
    let (lo, hi) = map.scale.ends();
    let steps = 60;
    for i in 0..steps {
        let y0 = y + bar_h * i / steps;
        let y1 = y + bar_h * (i + 1) / steps;
        let v = hi - (hi - lo) * (f64::from(i) + 0.5) / f64::from(steps);
        root.draw(&Rectangle::new(
            [(x, y0), (x + 24, y1)],
            map.scale.color(v).filled(),
        ))?;
    }
    root.draw(&Rectangle::new(
        [(x, y), (x + 24, y + bar_h)],
        RGBColor(120, 120, 120).stroke_width(1),
    ))?;
    for (frac, v) in [(0.0, hi), (0.5, (hi + lo) / 2.0), (1.0, lo)] {
        let ty = y + (f64::from(bar_h) * frac) as i32 - 7;
        root.draw(&Text::new(map.unit.format(v), (x + 32, ty), text.clone()))?;
    }
    let sy = y + bar_h + 24;
    root.draw(&Rectangle::new(
        [(x, sy), (x + 24, sy + 16)],
        EMPTY.filled(),
    ))?;
    root.draw(&Text::new(map.empty_label, (x + 32, sy), text))?;
    Ok(())
}

/// Writes the map as `<stem>.png` and `<stem>.svg` into `out` (atomically) and returns it for
/// the page.
pub fn write(map: &HeatMap, out: &Path) -> Result<Rendered, AppError> {
    ensure_font().map_err(AppError::Output)?;
    let fail = |e: String| AppError::Output(format!("heat map `{}`: {e}", map.stem));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(map, &root).map_err(|e| fail(e.to_string()))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let svg_path = out.join(format!("{}.svg", map.stem));
    let err = |e: std::io::Error| AppError::Output(format!("{}: {e}", svg_path.display()));
    let mut f = AtomicFile::create(&svg_path).map_err(err)?;
    std::io::Write::write_all(&mut f, svg.as_bytes()).map_err(err)?;
    f.commit().map_err(err)?;

    render::png_with(&map.stem, &out.join(format!("{}.png", map.stem)), |root| {
        draw(map, root)
    })
    .map_err(AppError::Output)?;
    Ok(Rendered {
        stem: map.stem.clone(),
        title: map.title.clone(),
        svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diverging_scale_is_white_at_zero_red_below_blue_above() {
        let s = Scale::Diverging { extent: 4.0 };
        assert_eq!(s.color(0.0), RGBColor(255, 255, 255));
        assert_eq!(s.color(-4.0), RGBColor(165, 15, 21));
        assert_eq!(s.color(4.0), RGBColor(8, 48, 107));
    }

    #[test]
    fn a_warning_scale_darkens_towards_the_bad_end_either_way_round() {
        let sl = Scale::Warning {
            good: 1.0,
            bad: 0.0,
        };
        assert_eq!(sl.color(1.0), RGBColor(247, 251, 255));
        assert_eq!(sl.color(0.0), RGBColor(165, 15, 21));
    }
}
