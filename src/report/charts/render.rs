//! Draws a [`Figure`] on any plotters backend, and writes it as PNG and SVG.
//!
//! Text uses the bundled DejaVu Sans (`assets/fonts`), registered once before anything draws:
//! plotters' `ab_glyph` text has no system fonts (ecosystem.md).

use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::figure::{Figure, Mark, Pen, Shape, Side};

/// Pixel size of every chart (PNG and SVG).
pub const SIZE: (u32, u32) = (1200, 560);

const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Registers the bundled font once; every drawing entry point calls this first.
pub fn ensure_font() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "the bundled chart font could not be loaded".to_string())
        })
        .clone()
}

/// An `f64` axis with the tick positions we choose (week-clock times, round waits). Like
/// plotters' `WithKeyPoints`, but usable with a label formatter (its format option is `NoDefault`).
struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> Self {
        Ticked {
            inner: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type ValueType = f64;
    type FormatOption = plotters::coord::ranged1d::NoDefaultFormatting;
    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }
    fn key_points<H: plotters::coord::ranged1d::KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }
}

impl plotters::coord::ranged1d::ValueFormatter<f64> for Ticked {
    fn format_ext(&self, value: &f64) -> String {
        format!("{value}")
    }
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Splits points at `None` into runs of defined values.
fn segments(points: &[(f64, Option<f64>)]) -> Vec<Vec<(f64, f64)>> {
    runs(points, |y| y.filter(|y| y.is_finite()))
}

/// Splits points into runs where `defined` gives a value, breaking at every `None`.
fn runs<V: Copy, T>(points: &[(f64, V)], defined: impl Fn(V) -> Option<T>) -> Vec<Vec<(f64, T)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for &(x, v) in points {
        match defined(v) {
            Some(t) => cur.push((x, t)),
            None => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Opacity of a stacked bar's fill: nearly solid, so neighbouring parts stay distinct.
const STACK_ALPHA: f64 = 0.85;

/// Opacity of a band's fill: light enough that lines and other bands show through.
const BAND_ALPHA: f64 = 0.18;

/// Splits band points at `None` into runs of `(x, (low, high))`.
fn band_segments(points: &[(f64, Option<(f64, f64)>)]) -> Vec<Vec<(f64, (f64, f64))>> {
    runs(points, |b| {
        b.filter(|(lo, hi)| lo.is_finite() && hi.is_finite())
    })
}

/// Draws `fig` (and the panel below it, if any) onto `root`, which it fills white first, and
/// returns the plot rectangle of each panel (top first) in pixels of `root`'s backend. With
/// `brush`, wide lines are drawn with a square brush (bitmaps; see [`stroke`]).
pub fn draw<DB: DrawingBackend>(
    fig: &Figure,
    root: &DrawingArea<DB, Shift>,
    brush: bool,
) -> Result<Vec<PlotRect>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let rects = match &fig.below {
        None => vec![draw_panel(fig, root, 24, None, brush)?],
        Some(below) => {
            let (_, h) = root.dim_in_pixel();
            let (top, bottom) = root.split_vertically(h / 2);
            // One legend width for both panels, so their time axes line up.
            let (w, h) = (root.dim_in_pixel().0, h / 2);
            let plot_w = layout(fig, (w, h), 24)
                .plot
                .1
                .min(layout(below, (w, h), 18).plot.1);
            vec![
                draw_panel(fig, &top, 24, Some(plot_w), brush)?,
                draw_panel(below, &bottom, 18, Some(plot_w), brush)?,
            ]
        }
    };
    root.present()?;
    Ok(rects)
}

fn draw_panel<DB: DrawingBackend>(
    fig: &Figure,
    root: &DrawingArea<DB, Shift>,
    title_px: u32,
    plot_w: Option<u32>,
    brush: bool,
) -> Result<PlotRect, DrawingAreaErrorKind<DB::ErrorType>> {
    let (x0, x1) = fig.x.range();
    let ticks = fig.x.ticks();
    let y2max = fig.y2.as_ref().map_or(1.0, |a| a.max);
    let (w, h) = root.dim_in_pixel();
    let layout = layout(fig, (w, h), title_px);
    let body = root
        .margin(6, 0, 0, 0)
        .titled(&fig.title, (FONT, title_px))?;
    let plot_w = plot_w.unwrap_or(layout.plot.1);
    let (plot_area, legend_area) = body.split_horizontally(plot_w as i32);
    draw_legend(&legend_entries(fig), &layout, &legend_area)?;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(14)
        .x_label_area_size(52)
        .y_label_area_size(78)
        .right_y_label_area_size(if fig.y2.is_some() { 78 } else { 16 })
        .build_cartesian_2d(Ticked::new(x0..x1, ticks.clone()), 0.0..fig.y.max)?
        .set_secondary_coord(Ticked::new(x0..x1, ticks), 0.0..y2max);
    let plot = {
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        PlotRect {
            x0: xr.start,
            y0: yr.start,
            x1: xr.end,
            y1: yr.end,
        }
    };

    let x_fmt = |v: &f64| fig.x.label(*v);
    let y_unit = fig.y.unit;
    let y_fmt = move |v: &f64| y_unit.format(*v);
    let x_desc = fig.x.desc();
    chart
        .configure_mesh()
        .x_desc(x_desc.as_str())
        .y_desc(fig.y.label.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_labels(8)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .bold_line_style(RGBColor(225, 225, 225))
        .light_line_style(TRANSPARENT)
        .draw()?;
    if let Some(a) = &fig.y2 {
        let unit = a.unit;
        let fmt2 = move |v: &f64| unit.format(*v);
        chart
            .configure_secondary_axes()
            .y_desc(a.label.as_str())
            .y_label_formatter(&fmt2)
            .y_labels(8)
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .draw()?;
    }

    // Right-axis values are drawn on the left axis's scale (both start at zero).
    let scale = |side: Side| match side {
        Side::Left => 1.0,
        Side::Right => fig.y.max / y2max,
    };
    for b in &fig.bands {
        let k = scale(b.side);
        let fill = b.color.mix(BAND_ALPHA).filled();
        for seg in band_segments(&b.points) {
            let mut pts: Vec<(f64, f64)> = seg.iter().map(|&(x, (_, hi))| (x, hi * k)).collect();
            pts.extend(seg.iter().rev().map(|&(x, (lo, _))| (x, lo * k)));
            chart.draw_series(std::iter::once(Polygon::new(pts, fill)))?;
        }
    }
    // Tops of the stacked bars so far, per point index and side.
    let mut stack: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for s in &fig.series {
        let k = scale(s.side);
        let alpha = if s.pen.faded { 0.5 } else { 1.0 };
        let style = ShapeStyle {
            color: s.pen.color.mix(alpha),
            filled: false,
            stroke_width: s.pen.width,
        };
        match s.shape {
            Shape::Stacked { width } => {
                let base = &mut stack[usize::from(s.side == Side::Right)];
                base.resize(base.len().max(s.points.len()), 0.0);
                let fill = s.pen.color.mix(STACK_ALPHA * alpha).filled();
                let mut bars = Vec::new();
                for (b, &(x, y)) in base.iter_mut().zip(&s.points) {
                    let y = y.filter(|y| y.is_finite() && *y > 0.0).unwrap_or(0.0);
                    if y > 0.0 {
                        bars.push(Rectangle::new(
                            [(x, *b * k), ((x + width).min(x1), (*b + y) * k)],
                            fill,
                        ));
                    }
                    *b += y;
                }
                chart.draw_series(bars)?;
            }
            Shape::Bars { width } => {
                let fill = s.pen.color.mix(0.55 * alpha).filled();
                chart.draw_series(s.points.iter().filter_map(|&(x, y)| {
                    y.filter(|y| y.is_finite() && *y > 0.0)
                        .map(|y| Rectangle::new([(x, 0.0), ((x + width).min(x1), y * k)], fill))
                }))?;
            }
            Shape::Line | Shape::Steps { .. } => {
                for seg in segments(&s.points) {
                    let mut pts: Vec<(f64, f64)> = match s.shape {
                        Shape::Steps { width } => seg
                            .iter()
                            .flat_map(|&(x, y)| [(x, y * k), ((x + width).min(x1), y * k)])
                            .collect(),
                        _ => seg.iter().map(|&(x, y)| (x, y * k)).collect(),
                    };
                    if pts.len() == 1 {
                        // A lone value between gaps: a short dash so it is visible.
                        let (x, y) = pts[0];
                        let half = (x1 - x0) / 400.0;
                        pts = vec![(x - half, y), (x + half, y)];
                    }
                    stroke(&chart, &pts, style, s.pen.dashed.then_some((7, 5)), brush)?;
                }
            }
        }
    }

    for m in &fig.marks {
        let (pts, color) = match m {
            Mark::Horizontal { y, side, color, .. } => {
                let y = y * scale(*side);
                (vec![(x0, y), (x1, y)], *color)
            }
            Mark::Vertical { x, color, .. } => (vec![(*x, 0.0), (*x, fig.y.max)], *color),
        };
        stroke(&chart, &pts, color.stroke_width(2), Some((10, 6)), brush)?;
    }
    Ok(plot)
}

/// A plot rectangle in pixels of the whole image: `x0..x1` × `y0..y1` (ends excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlotRect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

/// Draws a polyline given in data coordinates, clipped to the plot rectangle so that no pixel
/// of it leaves the axes: the points are mapped to pixels, the line is cut where it leaves the
/// rectangle shrunk by half the stroke width ([`clip_polyline`]), and what remains is drawn.
///
/// Joins: plotters strokes a wide bitmap path as one polygon with mitred corners, and at the
/// sharp zig-zags of a month of half-hours (service level 100 % → 0 % → 100 %) a mitre spikes
/// hundreds of pixels past its vertex, across the title and below the axis (issue 20). With
/// `brush` (bitmaps) a wide line is drawn instead as 1-pixel paths offset over a square brush,
/// which has no joins to spike; an SVG keeps one path and gets round joins
/// ([`round_joins`]), which reach only half the width past a vertex.
fn stroke<DB: DrawingBackend, X: Ranged<ValueType = f64>, Y: Ranged<ValueType = f64>>(
    chart: &ChartContext<DB, Cartesian2d<X, Y>>,
    pts: &[(f64, f64)],
    style: ShapeStyle,
    dash: Option<(u32, u32)>,
    brush: bool,
) -> DrawResult<DB> {
    let area = chart.plotting_area();
    let (xr, yr) = area.get_pixel_range();
    let r = f64::from(style.stroke_width / 2);
    let clip = (
        f64::from(xr.start) + r,
        f64::from(yr.start) + r,
        f64::from(xr.end - 1) - r,
        f64::from(yr.end - 1) - r,
    );
    let px: Vec<(f64, f64)> = pts
        .iter()
        .map(|p| {
            let (x, y) = chart.backend_coord(p);
            (f64::from(x), f64::from(y))
        })
        .collect();
    let plain = area.strip_coord_spec();
    for piece in clip_polyline(&px, clip) {
        let rel: Vec<(i32, i32)> = piece
            .iter()
            .map(|&(x, y)| (x.round() as i32 - xr.start, y.round() as i32 - yr.start))
            .collect();
        let offsets = brush_offsets(if brush { style.stroke_width } else { 1 });
        let one = if brush && style.stroke_width > 1 {
            ShapeStyle {
                stroke_width: 1,
                ..style
            }
        } else {
            style
        };
        for (dx, dy) in offsets {
            let moved: Vec<(i32, i32)> = rel.iter().map(|&(x, y)| (x + dx, y + dy)).collect();
            match dash {
                Some((on, off)) => {
                    for e in DashedLineSeries::new(moved, on, off, one) {
                        plain.draw(&e)?;
                    }
                }
                None => plain.draw(&PathElement::new(moved, one))?,
            }
        }
    }
    Ok(())
}

/// Pixel offsets of a square brush of `width` pixels: `{(0, 0)}` for 1 (or less), the
/// `width × width` square around the line otherwise.
fn brush_offsets(width: u32) -> Vec<(i32, i32)> {
    let w = width.max(1) as i32;
    let lo = -(w - 1) / 2;
    let hi = lo + w - 1;
    (lo..=hi)
        .flat_map(|dx| (lo..=hi).map(move |dy| (dx, dy)))
        .collect()
}

/// Cuts a polyline to the rectangle `(x0, y0, x1, y1)` (closed): the parts inside, each a
/// polyline of its own, with the crossing points added where a segment enters or leaves
/// (Liang–Barsky clipping per segment; Foley et al., *Computer Graphics*, §3.12.4).
pub fn clip_polyline(pts: &[(f64, f64)], rect: (f64, f64, f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let inside = |p: (f64, f64)| p.0 >= rect.0 && p.0 <= rect.2 && p.1 >= rect.1 && p.1 <= rect.3;
    if pts.len() == 1 && inside(pts[0]) {
        return vec![pts.to_vec()];
    }
    for w in pts.windows(2) {
        match clip_segment(w[0], w[1], rect) {
            Some((a, b)) => {
                if cur.last() != Some(&a) {
                    if cur.len() > 1 {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                    cur.push(a);
                }
                cur.push(b);
            }
            None => {
                if cur.len() > 1 {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
        }
    }
    if cur.len() > 1 {
        out.push(cur);
    }
    out
}

/// The part of segment `a`–`b` inside the rectangle, or `None` (Liang–Barsky).
fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (x0, y0, x1, y1): (f64, f64, f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

/// Gives every polyline of an SVG round joins (plotters writes none, and the SVG default is a
/// mitre that reaches up to twice the stroke width past a sharp vertex).
fn round_joins(svg: String) -> String {
    svg.replace("<polyline ", "<polyline stroke-linejoin=\"round\" ")
}

/// Pixel height of one legend row.
const LEGEND_ROW_PX: u32 = 20;
/// Legend text size.
const LEGEND_FONT_PX: u32 = 14;
/// Left of the legend text: the glyph (22 px) plus gaps.
const LEGEND_TEXT_X: u32 = 34;
/// The legend never takes more than this share of the chart's width.
const LEGEND_MAX_SHARE: f64 = 0.36;

/// What a legend row shows before its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Glyph {
    /// A series: its pen and shape.
    Series(Pen, Shape),
    /// A reference mark: a dashed line in its colour.
    Mark(RGBColor),
    /// A shaded band: a light filled box in its colour.
    Band(RGBColor),
}

/// The legend of a panel: series with a label, then marks, in drawing order.
pub fn legend_entries(fig: &Figure) -> Vec<(String, Glyph)> {
    let mut out: Vec<(String, Glyph)> = fig
        .series
        .iter()
        .filter(|s| !s.label.is_empty())
        .map(|s| (s.label.clone(), Glyph::Series(s.pen, s.shape)))
        .collect();
    for b in fig.bands.iter().filter(|b| !b.label.is_empty()) {
        out.push((b.label.clone(), Glyph::Band(b.color)));
    }
    for m in &fig.marks {
        let (Mark::Horizontal { label, color, .. } | Mark::Vertical { label, color, .. }) = m;
        if !label.is_empty() {
            out.push((label.clone(), Glyph::Mark(*color)));
        }
    }
    out
}

/// Where a panel's parts go, in pixels of the panel: the legend is a column to the right of
/// the plot (never over the data), as wide as its longest label needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Title band height.
    pub title_h: u32,
    /// The plot (axes, labels and data): x from 0 to `legend.0`.
    pub plot: (u32, u32),
    /// The legend column: x from `legend.0` to `legend.1`.
    pub legend: (u32, u32),
    /// Legend rows drawn (the last says how many entries were left out, if any were).
    pub rows: usize,
    /// Entries of the figure's legend.
    pub entries: usize,
}

/// Text width in pixels of the legend font (the bundled DejaVu Sans's metrics).
fn text_width(text: &str) -> u32 {
    let _ = ensure_font();
    (FONT, LEGEND_FONT_PX)
        .into_font()
        .box_size(text)
        .map_or(8 * text.chars().count() as u32, |(w, _)| w)
}

/// The layout of `fig` drawn in a panel of `size` pixels with a title of `title_px`.
pub fn layout(fig: &Figure, size: (u32, u32), title_px: u32) -> Layout {
    let (w, h) = size;
    let entries = legend_entries(fig);
    let title_h = title_px + 2 * (title_px / 2);
    let widest = entries.iter().map(|(l, _)| text_width(l)).max();
    let legend_w = widest.map_or(0, |t| {
        (LEGEND_TEXT_X + t + 12).min((f64::from(w) * LEGEND_MAX_SHARE) as u32)
    });
    let room = (h.saturating_sub(title_h + 14) / LEGEND_ROW_PX) as usize;
    Layout {
        title_h,
        plot: (0, w - legend_w),
        legend: (w - legend_w, w),
        rows: entries.len().min(room.max(1)),
        entries: entries.len(),
    }
}

/// Draws the legend rows into the column beside the plot.
fn draw_legend<DB: DrawingBackend>(
    entries: &[(String, Glyph)],
    layout: &Layout,
    area: &DrawingArea<DB, Shift>,
) -> DrawResult<DB> {
    let style = (FONT, LEGEND_FONT_PX).into_font().color(&BLACK);
    let cut = layout.rows < entries.len();
    for (i, (label, glyph)) in entries.iter().take(layout.rows).enumerate() {
        let y = 14 + i as i32 * LEGEND_ROW_PX as i32;
        if cut && i + 1 == layout.rows {
            let more = format!("… and {} more", entries.len() - i);
            area.draw(&Text::new(more, (LEGEND_TEXT_X as i32, y), style.clone()))?;
            break;
        }
        let mid = y + LEGEND_FONT_PX as i32 / 2;
        let (color, width, gap, alpha) = match *glyph {
            Glyph::Series(pen, Shape::Bars { .. }) => (pen.color, 12, 0, 0.55),
            Glyph::Series(pen, Shape::Stacked { .. }) => (pen.color, 12, 0, STACK_ALPHA),
            Glyph::Series(pen, _) => (
                pen.color,
                pen.width,
                if pen.dashed { 5 } else { 0 },
                if pen.faded { 0.5 } else { 1.0 },
            ),
            Glyph::Mark(color) => (color, 2, 4, 1.0),
            Glyph::Band(color) => (color, 12, 0, BAND_ALPHA * 2.0),
        };
        let c = color.mix(alpha).stroke_width(width);
        area.draw(&PathElement::new(vec![(6, mid), (15, mid)], c))?;
        area.draw(&PathElement::new(vec![(15 + gap, mid), (28, mid)], c))?;
        area.draw(&Text::new(
            label.clone(),
            (LEGEND_TEXT_X as i32, y),
            style.clone(),
        ))?;
    }
    Ok(())
}

/// The figure as an SVG document.
pub fn svg(fig: &Figure) -> Result<String, String> {
    ensure_font()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw(fig, &root, false).map_err(|e| format!("chart `{}`: {e}", fig.stem))?;
    }
    Ok(round_joins(out))
}

/// Where `fig`'s PNG puts its plots: the plot rectangle of each panel and the left edge of the
/// legend column, in pixels. For tests that look at the pixels (nothing of a series outside
/// its axes).
pub fn png_geometry(fig: &Figure) -> Result<(Vec<PlotRect>, i32), String> {
    ensure_font()?;
    let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    let rects = {
        let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        draw(fig, &root, true).map_err(|e| format!("chart `{}`: {e}", fig.stem))?
    };
    let legend = match &fig.below {
        None => layout(fig, SIZE, 24).plot.1,
        Some(below) => {
            let half = (SIZE.0, SIZE.1 / 2);
            layout(fig, half, 24)
                .plot
                .1
                .min(layout(below, half, 18).plot.1)
        }
    };
    Ok((rects, legend as i32))
}

/// Renders the figure as a PNG at `target`, atomically (see [`png_with`]).
pub fn png(fig: &Figure, target: &Path) -> Result<(), String> {
    png_with(fig.stem, target, |root| draw(fig, root, true).map(|_| ()))
}

/// Draws a PNG at `target` with `paint`, atomically: drawn to a hidden temp file in the same
/// folder (the encoder picks the format from the `.png` extension) and renamed into place.
pub fn png_with<F>(stem: &str, target: &Path, paint: F) -> Result<(), String>
where
    F: for<'a> Fn(
        &DrawingArea<BitMapBackend<'a>, Shift>,
    ) -> Result<
        (),
        DrawingAreaErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>,
    >,
{
    ensure_font()?;
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".hotline-{}-{stem}.tmp.png", std::process::id()));
    let result = (|| {
        {
            let root = BitMapBackend::new(&tmp, SIZE).into_drawing_area();
            paint(&root).map_err(|e| format!("chart `{stem}`: {e}"))?;
            root.present().map_err(|e| format!("chart `{stem}`: {e}"))?;
        }
        std::fs::rename(&tmp, target).map_err(|e| format!("{}: {e}", target.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polyline_is_cut_where_it_leaves_the_rectangle() {
        // Up through the top edge and back down: two pieces, each ending on the edge.
        let pts = [(0.0, 5.0), (2.0, -5.0), (4.0, 5.0)];
        let pieces = clip_polyline(&pts, (0.0, 0.0, 10.0, 10.0));
        assert_eq!(
            pieces,
            vec![vec![(0.0, 5.0), (1.0, 0.0)], vec![(3.0, 0.0), (4.0, 5.0)]]
        );
        // Wholly inside: unchanged; wholly outside: nothing.
        let inner = [(1.0, 1.0), (2.0, 3.0), (4.0, 2.0)];
        assert_eq!(
            clip_polyline(&inner, (0.0, 0.0, 10.0, 10.0)),
            vec![inner.to_vec()]
        );
        assert!(clip_polyline(&[(20.0, 1.0), (30.0, 2.0)], (0.0, 0.0, 10.0, 10.0)).is_empty());
    }

    #[test]
    fn a_square_brush_covers_its_width() {
        assert_eq!(brush_offsets(1), vec![(0, 0)]);
        assert_eq!(brush_offsets(2).len(), 4);
        assert_eq!(brush_offsets(3).len(), 9);
        assert!(
            brush_offsets(3)
                .iter()
                .all(|&(x, y)| x.abs() <= 1 && y.abs() <= 1)
        );
    }

    #[test]
    fn gaps_split_a_series() {
        let pts = [
            (0.0, Some(1.0)),
            (1.0, None),
            (2.0, Some(2.0)),
            (3.0, Some(f64::NAN)),
            (4.0, Some(3.0)),
            (5.0, Some(4.0)),
        ];
        assert_eq!(
            segments(&pts),
            vec![
                vec![(0.0, 1.0)],
                vec![(2.0, 2.0)],
                vec![(4.0, 3.0), (5.0, 4.0)]
            ]
        );
    }
}
