//! A chart as data: axes, series and reference marks. Chart functions build a [`Figure`];
//! `render` draws any figure on any plotters backend (PNG and SVG from the same code), so a new
//! chart never touches plotters directly.

use plotters::style::RGBColor;

use super::axis::{self, TimeLabel};

/// One chart.
#[derive(Debug, Clone)]
pub struct Figure {
    /// File name without extension: `offered` → `offered.png`, `offered.svg`.
    pub stem: &'static str,
    pub title: String,
    pub x: XAxis,
    /// Left axis; always starts at zero.
    pub y: YAxis,
    /// Right axis, starting at zero too; series on it are scaled onto the left axis to draw.
    pub y2: Option<YAxis>,
    pub series: Vec<Series>,
    /// Shaded intervals drawn under the series (95 % bands of replicated runs); empty for a
    /// single run, whose charts then draw exactly as before.
    pub bands: Vec<Band>,
    pub marks: Vec<Mark>,
    /// A second panel drawn under this one with the same horizontal axis (its title is the
    /// panel's caption); for two measures that do not share a scale.
    pub below: Option<Box<Figure>>,
}

/// The horizontal axis.
#[derive(Debug, Clone)]
pub enum XAxis {
    /// Simulation time in seconds since the horizon began, labelled on the week clock whose
    /// first day is weekday `first_weekday` (Monday = 0; `[scenario] start`'s weekday).
    Time {
        from_s: f64,
        to_s: f64,
        first_weekday: usize,
    },
    /// A plain quantity from zero, e.g. a wait in seconds.
    Value { label: String, to: f64 },
}

impl XAxis {
    pub fn range(&self) -> (f64, f64) {
        match self {
            XAxis::Time { from_s, to_s, .. } => (*from_s, to_s.max(from_s + 1.0)),
            XAxis::Value { to, .. } => (0.0, to.max(1.0)),
        }
    }

    pub fn ticks(&self) -> Vec<f64> {
        match self {
            XAxis::Time { from_s, to_s, .. } => axis::time_ticks(*from_s, *to_s).0,
            XAxis::Value { to, .. } => axis::value_ticks(*to),
        }
    }

    /// The label style and the weekday of the axis's day 1, for a time axis.
    fn time_style(&self) -> Option<(TimeLabel, usize)> {
        match self {
            XAxis::Time {
                from_s,
                to_s,
                first_weekday,
            } => Some((axis::time_ticks(*from_s, *to_s).1, *first_weekday)),
            XAxis::Value { .. } => None,
        }
    }

    pub fn desc(&self) -> String {
        match (self, self.time_style()) {
            (XAxis::Value { label, .. }, _) => label.clone(),
            (_, Some((style, first))) => axis::time_desc(style, first).to_string(),
            _ => String::new(),
        }
    }

    pub fn label(&self, v: f64) -> String {
        match self.time_style() {
            Some((style, first)) => axis::time_label(style, v, first),
            None => Unit::Count.format(v),
        }
    }
}

/// What the numbers on a vertical axis are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Calls, agents, seconds: plain numbers.
    Count,
    /// Shares stored as 0–1, shown as `80%`.
    Percent,
}

impl Unit {
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Percent => format!("{:.0}%", v * 100.0),
            Unit::Count if (v - v.round()).abs() < 1e-9 => format!("{:.0}", v),
            Unit::Count => format!("{v:.1}"),
        }
    }
}

/// A vertical axis from zero to `max`.
#[derive(Debug, Clone)]
pub struct YAxis {
    pub label: String,
    pub unit: Unit,
    /// Top of the axis; [`Figure::fit`] sets it from the data.
    pub max: f64,
}

impl YAxis {
    pub fn new(label: impl Into<String>, unit: Unit) -> Self {
        YAxis {
            label: label.into(),
            unit,
            max: 1.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// Points joined by lines; `None` values break the line (a gap, not a zero).
    Line,
    /// Each value held over `[x, x + width)`: headcounts.
    Steps { width: f64 },
    /// Bars over `[x, x + width)` from zero.
    Bars { width: f64 },
    /// Bars over `[x, x + width)` stacked on the figure's earlier `Stacked` series (which must
    /// have their points at the same positions): the parts of a whole, e.g. what happened to
    /// the calls of each period.
    Stacked { width: f64 },
}

/// Colour and stroke.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pen {
    pub color: RGBColor,
    pub width: u32,
    pub dashed: bool,
    /// Drawn lighter (secondary information such as peaks).
    pub faded: bool,
}

/// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(153, 153, 153),
];

/// Reference lines (targets, thresholds).
pub const MARK_RED: RGBColor = RGBColor(200, 30, 45);
/// Context series (agents staffed).
pub const CONTEXT_GREY: RGBColor = RGBColor(110, 110, 110);

impl Pen {
    /// The pen of the `i`-th queue or pool.
    pub fn nth(i: usize) -> Pen {
        Pen {
            color: PALETTE[i % PALETTE.len()],
            width: 2,
            dashed: false,
            faded: false,
        }
    }
    /// The emphasised pen of the whole center (`all`).
    pub fn all() -> Pen {
        Pen {
            color: RGBColor(20, 20, 20),
            width: 3,
            dashed: false,
            faded: false,
        }
    }
    /// Pen for queue `i` of a list, or the emphasised pen for `all`.
    pub fn for_series(i: usize, is_all: bool) -> Pen {
        if is_all { Pen::all() } else { Pen::nth(i) }
    }
    pub fn dashed(self) -> Pen {
        Pen {
            dashed: true,
            ..self
        }
    }
    pub fn faded(self) -> Pen {
        Pen {
            faded: true,
            ..self
        }
    }
    pub fn width(self, width: u32) -> Pen {
        Pen { width, ..self }
    }
}

#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text; empty for no legend entry (e.g. every bar after the first of a histogram).
    pub label: String,
    pub pen: Pen,
    pub side: Side,
    pub shape: Shape,
    pub points: Vec<(f64, Option<f64>)>,
}

/// A shaded interval `[low, high]` per point (a 95 % confidence band around a mean line).
#[derive(Debug, Clone)]
pub struct Band {
    /// Legend text; empty for no legend entry (one entry names every band of a figure).
    pub label: String,
    pub color: RGBColor,
    pub side: Side,
    /// `(x, Some((low, high)))`; `None` breaks the band (a gap).
    pub points: Vec<(f64, Option<(f64, f64)>)>,
}

/// A labelled reference line across the plot.
#[derive(Debug, Clone)]
pub enum Mark {
    /// At height `y` of the given axis (e.g. the SL target).
    Horizontal {
        y: f64,
        side: Side,
        label: String,
        color: RGBColor,
    },
    /// At `x` (e.g. the SL threshold on the wait axis).
    Vertical {
        x: f64,
        label: String,
        color: RGBColor,
    },
}

impl Figure {
    /// A figure with no series yet.
    pub fn new(stem: &'static str, title: impl Into<String>, x: XAxis, y: YAxis) -> Self {
        Figure {
            stem,
            title: title.into(),
            x,
            y,
            y2: None,
            series: Vec::new(),
            bands: Vec::new(),
            marks: Vec::new(),
            below: None,
        }
    }

    /// Sets each axis's top from the largest value drawn against it (series and marks) plus
    /// headroom; percent axes stay within 0–105 %.
    pub fn fit(mut self) -> Self {
        self.below = self.below.map(|b| Box::new(b.fit()));
        for side in [Side::Left, Side::Right] {
            let mut top = 0.0f64;
            let mut stack: Vec<f64> = Vec::new();
            for s in self.series.iter().filter(|s| s.side == side) {
                if let Shape::Stacked { .. } = s.shape {
                    stack.resize(stack.len().max(s.points.len()), 0.0);
                    for (sum, v) in stack.iter_mut().zip(&s.points) {
                        *sum += v.1.filter(|v| v.is_finite()).unwrap_or(0.0);
                        top = top.max(*sum);
                    }
                    continue;
                }
                for v in s.points.iter().filter_map(|p| p.1) {
                    if v.is_finite() {
                        top = top.max(v);
                    }
                }
            }
            for b in self.bands.iter().filter(|b| b.side == side) {
                for (_, hi) in b.points.iter().filter_map(|p| p.1) {
                    if hi.is_finite() {
                        top = top.max(hi);
                    }
                }
            }
            for m in &self.marks {
                if let Mark::Horizontal { y, side: s, .. } = m {
                    if *s == side {
                        top = top.max(*y);
                    }
                }
            }
            let axis = match side {
                Side::Left => Some(&mut self.y),
                Side::Right => self.y2.as_mut(),
            };
            if let Some(axis) = axis {
                // Headroom above the data (the legend is beside the plot, not in it).
                axis.max = match axis.unit {
                    Unit::Percent => (top * 1.1).clamp(0.05, 1.05),
                    Unit::Count => (top * 1.1).max(1.0),
                };
            }
        }
        self
    }
}
