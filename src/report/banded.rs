//! Charts and `report.html` of a run of several replications (`simulate --replications N`, or a
//! folder written by `hotline merge`): every time chart draws, per queue (or pool), the **mean
//! over the replications** as a line and its **95 % confidence band** — mean ± the `_hw95`
//! column, clipped to the metric's range (a share stays within 0–100 %, a count or a time above
//! zero) — straight from the folder's CSVs, so what is drawn is what the CSV says.
//!
//! The single-run charts (`charts::*`) recompute ratios from summed counts; a replicated CSV holds
//! the mean of each replication's ratio instead, so the band charts read the metric columns
//! themselves and never sum intervals into coarser periods (a half-width of a sum cannot be
//! derived from the half-widths of its parts): runs with more than [`MAX_POINTS`] intervals get
//! no time charts, and the page says so. This module owns that reading and those figures; the
//! drawing is `charts::render`'s.

use std::fmt::Write as _;
use std::path::Path;

use super::charts::Rendered;
use super::charts::figure::{
    Band, Figure, MARK_RED, Mark, Pen, Series, Shape, Side, Unit, XAxis, YAxis,
};
use super::data::{ALL, MAX_POINTS};
use super::html::escape;
use super::run_files::RunFacts;
use crate::app::AppError;

/// A metric read from a replicated CSV: the mean and the 95 % half-width (empty cells: `None`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MeanHw {
    pub mean: Option<f64>,
    pub hw95: Option<f64>,
}

impl MeanHw {
    /// The band `[mean − hw, mean + hw]` clipped to `[lo, hi]`; `None` without a half-width.
    pub fn band(&self, lo: f64, hi: f64) -> Option<(f64, f64)> {
        let (m, h) = (self.mean?, self.hw95?);
        Some(((m - h).max(lo), (m + h).min(hi)))
    }
}

/// Rows of one replicated CSV: a key (queue or pool), an interval start, and the metrics asked.
#[derive(Debug, Clone, Default)]
pub struct BandTable {
    pub metrics: Vec<String>,
    pub rows: Vec<BandRow>,
}

#[derive(Debug, Clone)]
pub struct BandRow {
    /// `interval_start_s` (0 for `summary.csv`).
    pub start_s: f64,
    /// The queue or pool.
    pub key: String,
    /// In the order of [`BandTable::metrics`].
    pub values: Vec<MeanHw>,
}

impl BandTable {
    /// Reads `path`, keyed by column `key`, with `metrics` (each with its `_hw95` column).
    pub fn read(path: &Path, key: &str, metrics: &[&str]) -> Result<Self, AppError> {
        let bad =
            |line: u64, what: String| AppError::Input(format!("{}:{line}: {what}", path.display()));
        let mut rd = csv::Reader::from_path(path)
            .map_err(|e| AppError::Input(format!("{}: {e}", path.display())))?;
        let headers = rd.headers().map_err(|e| bad(1, e.to_string()))?.clone();
        let col = |name: &str| {
            headers.iter().position(|h| h == name).ok_or_else(|| {
                bad(
                    1,
                    format!("no column `{name}` (is this a run of several replications?)"),
                )
            })
        };
        let key_col = col(key)?;
        // Interval tables; `daily.csv` and `weekly.csv` have their periods' start instead.
        let start_col = headers
            .iter()
            .position(|h| h == "interval_start_s" || h == "period_start_s");
        let cols = metrics
            .iter()
            .map(|m| Ok((col(m)?, col(&format!("{m}_hw95"))?)))
            .collect::<Result<Vec<_>, AppError>>()?;
        let mut rows = Vec::new();
        for (i, rec) in rd.records().enumerate() {
            let line = i as u64 + 2;
            let rec = rec.map_err(|e| bad(line, e.to_string()))?;
            let num = |c: usize| -> Result<Option<f64>, AppError> {
                let text = rec.get(c).unwrap_or("").trim();
                if text.is_empty() {
                    return Ok(None);
                }
                text.parse::<f64>()
                    .map(Some)
                    .map_err(|_| bad(line, format!("`{}`: `{text}` is not a number", &headers[c])))
            };
            let start_s = match start_col {
                Some(c) => num(c)?.ok_or_else(|| bad(line, "empty interval_start_s".into()))?,
                None => 0.0,
            };
            let values = cols
                .iter()
                .map(|&(m, h)| {
                    Ok(MeanHw {
                        mean: num(m)?,
                        hw95: num(h)?,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            rows.push(BandRow {
                start_s,
                key: rec.get(key_col).unwrap_or("").to_string(),
                values,
            });
        }
        Ok(BandTable {
            metrics: metrics.iter().map(|m| m.to_string()).collect(),
            rows,
        })
    }

    pub(crate) fn index(&self, metric: &str) -> usize {
        self.metrics
            .iter()
            .position(|m| m == metric)
            .expect("metric asked for when reading")
    }

    /// Keys in first-seen order.
    pub fn keys(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !out.contains(&r.key.as_str()) {
                out.push(&r.key);
            }
        }
        out
    }

    /// `(interval start, value)` of one key's metric, in file order.
    pub fn series(&self, key: &str, metric: &str) -> Vec<(f64, MeanHw)> {
        let i = self.index(metric);
        self.rows
            .iter()
            .filter(|r| r.key == key)
            .map(|r| (r.start_s, r.values[i]))
            .collect()
    }

    /// One key's metric on a summary table.
    pub fn value(&self, key: &str, metric: &str) -> MeanHw {
        let i = self.index(metric);
        self.rows
            .iter()
            .find(|r| r.key == key)
            .map_or_else(MeanHw::default, |r| r.values[i])
    }
}

/// Metrics the band charts draw from `intervals.csv`.
/// (and `agents` for the misses table).
const INTERVAL_METRICS: [&str; 7] = [
    "offered",
    "service_level",
    "asa_s",
    "abandon_rate",
    "queue_length_mean",
    "wait_p90_s",
    "agents",
];
/// Metrics of the summary table.
const SUMMARY_METRICS: [&str; 8] = [
    "offered",
    "answered",
    "abandoned",
    "service_level",
    "asa_s",
    "abandon_rate",
    "wait_p90_s",
    "occupancy",
];

/// A replicated run read back from its folder.
pub struct ReplicatedRun {
    pub facts: RunFacts,
    /// Replications folded into the CSVs.
    pub replications: u64,
    pub intervals: BandTable,
    pub pools: BandTable,
    pub summary: BandTable,
    /// The outcome columns, when the run has a feature that adds an outcome.
    pub outcomes: Option<super::banded_outcomes::Outcomes>,
    /// `daily.csv` and `weekly.csv` (absent in folders written before them).
    pub daily: Option<BandTable>,
    pub weekly: Option<BandTable>,
}

impl ReplicatedRun {
    /// Reads a folder with `replications.csv` (`simulate --replications N`, `hotline merge`).
    pub fn load(dir: &Path) -> Result<Self, AppError> {
        let facts_path = dir.join("run.json");
        let text = std::fs::read_to_string(&facts_path)
            .map_err(|e| AppError::Input(format!("{}: {e}", facts_path.display())))?;
        let facts: RunFacts = serde_json::from_str(&text)
            .map_err(|e| AppError::Input(format!("{}:{}: {e}", facts_path.display(), e.line())))?;
        let replications = match facts.replications {
            Some(n) => n,
            None => count_replications(&dir.join("replications.csv"))?,
        };
        Ok(ReplicatedRun {
            replications,
            intervals: BandTable::read(&dir.join("intervals.csv"), "queue", &INTERVAL_METRICS)?,
            pools: BandTable::read(&dir.join("pools.csv"), "pool", &["occupancy", "agents"])?,
            summary: BandTable::read(&dir.join("summary.csv"), "queue", &SUMMARY_METRICS)?,
            outcomes: super::banded_outcomes::Outcomes::load(dir)?,
            daily: periods(&dir.join("daily.csv"))?,
            weekly: periods(&dir.join("weekly.csv"))?,
            facts,
        })
    }

    /// Distinct interval starts.
    fn interval_count(&self) -> usize {
        let mut n = 0;
        let mut last = None;
        for r in &self.intervals.rows {
            if last != Some(r.start_s) {
                n += 1;
                last = Some(r.start_s);
            }
        }
        n
    }

    /// The band's legend text.
    pub fn band_label(&self) -> String {
        format!("95 % interval over {} replications", self.replications)
    }

    pub(crate) fn time_axis(&self) -> XAxis {
        let from = self
            .intervals
            .rows
            .iter()
            .map(|r| r.start_s)
            .fold(f64::INFINITY, f64::min);
        let last = self
            .intervals
            .rows
            .iter()
            .map(|r| r.start_s)
            .fold(f64::NEG_INFINITY, f64::max);
        let (from_s, to_s) = if from.is_finite() {
            (from, last + self.facts.interval_s)
        } else {
            (0.0, self.facts.interval_s.max(1.0))
        };
        XAxis::Time {
            from_s,
            to_s,
            first_weekday: self.facts.calendar().first_weekday(),
        }
    }

    /// Pushes a mean line and its band for one key's metric onto `fig`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add(
        &self,
        fig: &mut Figure,
        table: &BandTable,
        key: &str,
        metric: &str,
        label: String,
        pen: Pen,
        range: (f64, f64),
    ) {
        let mid = 0.5 * self.facts.interval_s;
        self.add_at(fig, table, (key, metric), label, pen, range, mid);
    }

    /// [`ReplicatedRun::add`] for rows `mid` seconds from their start to their middle (a day's
    /// row of `daily.csv`: half a day).
    #[allow(clippy::too_many_arguments)]
    fn add_at(
        &self,
        fig: &mut Figure,
        table: &BandTable,
        (key, metric): (&str, &str),
        label: String,
        pen: Pen,
        range: (f64, f64),
        mid: f64,
    ) {
        let pts = table.series(key, metric);
        fig.bands.push(Band {
            label: if fig.bands.is_empty() {
                self.band_label()
            } else {
                String::new()
            },
            color: pen.color,
            side: Side::Left,
            points: pts
                .iter()
                .map(|(x, v)| (x + mid, v.band(range.0, range.1)))
                .collect(),
        });
        fig.series.push(Series {
            label,
            pen,
            side: Side::Left,
            shape: Shape::Line,
            points: pts.iter().map(|(x, v)| (x + mid, v.mean)).collect(),
        });
    }

    /// Every band figure, in the single-run charts' order; empty when the run has more than
    /// [`MAX_POINTS`] intervals (see the module doc). A run longer than a week with its
    /// `daily.csv` draws the average week and its days instead ([`ReplicatedRun::long_figures`]).
    pub fn figures(&self) -> Vec<Figure> {
        if self.facts.days > super::html_glance::GLANCE_AFTER_DAYS
            && let Some(daily) = &self.daily
        {
            return self.long_figures(daily);
        }
        if self.interval_count() > MAX_POINTS {
            return Vec::new();
        }
        let queues = self.intervals.keys();
        let pen = |i: usize, q: &str| Pen::for_series(i, q == ALL);
        let share = (0.0, 1.0);
        let positive = (0.0, f64::INFINITY);
        let x = self.time_axis();
        let n = self.replications;
        let figure = |stem, title: String, y| Figure::new(stem, title, x.clone(), y);

        let mut offered = figure(
            "offered",
            format!("Calls offered per interval, mean of {n} replications"),
            YAxis::new("calls offered", Unit::Count),
        );
        let mut sl = figure(
            "service_level",
            format!("Service level per interval, mean of {n} replications"),
            YAxis::new("service level (% answered within threshold)", Unit::Percent),
        );
        let mut asa = figure(
            "asa_abandonment",
            format!("Average speed of answer and abandonment, mean of {n} replications"),
            YAxis::new("ASA (s)", Unit::Count),
        );
        let mut abandoned = figure(
            "asa_abandonment",
            "Abandoned".to_string(),
            YAxis::new("abandoned (% of callers leaving queue)", Unit::Percent),
        );
        let mut queue = figure(
            "queue_length",
            format!("Mean queue length, mean of {n} replications"),
            YAxis::new("callers waiting", Unit::Count),
        );
        let mut waits = figure(
            "waits",
            format!("90th percentile of the wait per interval, mean of {n} replications"),
            YAxis::new("wait p90 (s)", Unit::Count),
        );
        for (i, q) in queues.iter().enumerate() {
            let p = pen(i, q);
            let t = &self.intervals;
            self.add(&mut offered, t, q, "offered", q.to_string(), p, positive);
            let sl_label = match self.facts.queues.iter().find(|f| f.name == *q) {
                Some(f) => format!("{q} (within {} s)", f.sl_threshold_s),
                None => q.to_string(),
            };
            self.add(&mut sl, t, q, "service_level", sl_label, p, share);
            self.add(&mut asa, t, q, "asa_s", format!("{q} ASA"), p, positive);
            let ab = format!("{q} abandoned");
            self.add(&mut abandoned, t, q, "abandon_rate", ab, p, share);
            let ql = format!("{q} mean");
            self.add(&mut queue, t, q, "queue_length_mean", ql, p, positive);
            self.add(
                &mut waits,
                t,
                q,
                "wait_p90_s",
                format!("{q} p90"),
                p,
                positive,
            );
        }
        let target = self
            .facts
            .queues
            .first()
            .map_or(super::run_files::DEFAULT_SL_TARGET, |q| q.sl_target);
        sl.marks.push(Mark::Horizontal {
            y: target,
            side: Side::Left,
            label: format!("target {:.0}%", target * 100.0),
            color: MARK_RED,
        });
        let mut occupancy = figure(
            "occupancy",
            format!("Occupancy per pool (busy ÷ present), mean of {n} replications"),
            YAxis::new("occupancy (% of present time busy)", Unit::Percent),
        );
        for (i, p) in self.pools.keys().iter().enumerate() {
            let t = &self.pools;
            self.add(
                &mut occupancy,
                t,
                p,
                "occupancy",
                p.to_string(),
                Pen::nth(i),
                share,
            );
        }
        asa.below = Some(Box::new(abandoned));
        let mut figs: Vec<Figure> = vec![offered];
        if let Some(o) = &self.outcomes {
            figs.push(o.figure(self));
        }
        figs.extend([sl, asa, queue, waits, occupancy]);
        figs.into_iter().map(Figure::fit).collect()
    }
}

impl ReplicatedRun {
    /// The charts of a run longer than a week, as a single run's: the average week of the
    /// intervals' mean columns (calls offered and service level; each weekday's interval
    /// averaged over the weeks, the center's lowest-to-highest week shaded), then the days of
    /// `daily.csv` — calls offered, service level, ASA and abandonment, occupancy — each mean
    /// with its 95 % band over the replications' own days (the half-width of a day is never
    /// derived from its intervals').
    pub fn long_figures(&self, daily: &BandTable) -> Vec<Figure> {
        use super::charts::average_week::{WeekLine, target_mark, week_figure};
        let n = self.replications;
        let period = super::data::period_name(self.facts.interval_s);
        let target = self
            .facts
            .queues
            .first()
            .map_or(super::run_files::DEFAULT_SL_TARGET, |q| q.sl_target);
        let keys = self.intervals.keys();
        let lines = |metric: &str| -> Vec<WeekLine> {
            keys.iter()
                .enumerate()
                .map(|(i, q)| WeekLine {
                    label: if *q == ALL {
                        "whole center".into()
                    } else {
                        q.to_string()
                    },
                    pen: Pen::for_series(i, *q == ALL),
                    is_all: *q == ALL,
                    values: self
                        .intervals
                        .series(q, metric)
                        .into_iter()
                        .map(|(t, v)| (t, v.mean))
                        .collect(),
                })
                .collect()
        };
        let week_offered = week_figure(
            &self.facts,
            "week_offered",
            &format!("Average week: calls offered per {period}, mean of {n} replications"),
            YAxis::new(format!("calls offered per {period}"), Unit::Count),
            lines("offered"),
        );
        let mut week_sl = week_figure(
            &self.facts,
            "week_service_level",
            &format!("Average week: service level per {period}, mean of {n} replications"),
            YAxis::new("service level (% answered within threshold)", Unit::Percent),
            lines("service_level"),
        );
        week_sl.marks.push(target_mark(target));

        let x = self.time_axis();
        let figure = |stem, title: String, y| Figure::new(stem, title, x.clone(), y);
        let mut offered = figure(
            "offered",
            format!("Calls offered per day, mean of {n} replications"),
            YAxis::new("calls offered per day", Unit::Count),
        );
        let mut sl = figure(
            "service_level",
            format!("Service level per day, mean of {n} replications"),
            YAxis::new("service level (% answered within threshold)", Unit::Percent),
        );
        let mut asa = figure(
            "asa_abandonment",
            format!("Average speed of answer and abandonment per day, mean of {n} replications"),
            YAxis::new("ASA (s)", Unit::Count),
        );
        let mut abandoned = figure(
            "asa_abandonment",
            "Abandoned".to_string(),
            YAxis::new("abandoned (% of callers leaving queue)", Unit::Percent),
        );
        let mut occupancy = figure(
            "occupancy",
            format!("Occupancy per queue and day (busy ÷ present), mean of {n} replications"),
            YAxis::new("occupancy (% of present time busy)", Unit::Percent),
        );
        let (share, positive) = ((0.0, 1.0), (0.0, f64::INFINITY));
        let mid = 0.5 * crate::time::DAY;
        for (i, q) in daily.keys().into_iter().enumerate() {
            let p = Pen::for_series(i, q == ALL);
            let add = |fig: &mut Figure, metric, label: String, range| {
                self.add_at(fig, daily, (q, metric), label, p, range, mid)
            };
            add(&mut offered, "offered", q.to_string(), positive);
            add(&mut sl, "service_level", q.to_string(), share);
            add(&mut asa, "asa_s", format!("{q} ASA"), positive);
            add(
                &mut abandoned,
                "abandon_rate",
                format!("{q} abandoned"),
                share,
            );
            add(&mut occupancy, "occupancy", q.to_string(), share);
        }
        sl.marks.push(target_mark(target));
        asa.below = Some(Box::new(abandoned));
        [week_offered, week_sl, offered, sl, asa, occupancy]
            .into_iter()
            .map(Figure::fit)
            .collect()
    }
}

/// A replicated run's `daily.csv` or `weekly.csv`, when the folder has it.
fn periods(path: &Path) -> Result<Option<BandTable>, AppError> {
    if !path.is_file() {
        return Ok(None);
    }
    let mut metrics = super::banded_glance::PERIOD_METRICS.to_vec();
    // Folders written before the column lack it; a run without the setting has only zeros,
    // and its tables leave the column out.
    let mut rd = csv::Reader::from_path(path)
        .map_err(|e| AppError::Input(format!("{}: {e}", path.display())))?;
    let headers = rd
        .headers()
        .map_err(|e| AppError::Input(format!("{}:1: {e}", path.display())))?;
    let extra = super::banded_glance::PERIOD_OUTCOME;
    if headers.iter().any(|h| h == extra) {
        metrics.push(extra);
    }
    let mut table = BandTable::read(path, "queue", &metrics)?;
    if let Some(i) = table.metrics.iter().position(|m| m == extra) {
        let zero = table
            .rows
            .iter()
            .all(|r| r.values[i].mean.is_none_or(|v| v == 0.0));
        if zero {
            table.metrics.remove(i);
            for r in &mut table.rows {
                r.values.remove(i);
            }
        }
    }
    Ok(Some(table))
}

/// `replications.csv`'s distinct replication numbers (folders written before `run.json` had
/// `replications`).
fn count_replications(path: &Path) -> Result<u64, AppError> {
    let mut rd = csv::Reader::from_path(path)
        .map_err(|e| AppError::Input(format!("{}: {e}", path.display())))?;
    let mut seen = std::collections::BTreeSet::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| AppError::Input(format!("{}: {e}", path.display())))?;
        seen.insert(rec.get(0).unwrap_or("").to_string());
    }
    Ok(seen.len() as u64)
}

/// A figure as `mean ± half-width` text, in the metric's unit.
pub(crate) fn pm(v: MeanHw, metric: &str) -> String {
    let Some(m) = v.mean else {
        return "–".into();
    };
    let share = super::replications::is_share(metric);
    let (scale, unit) = if share {
        (100.0, " %")
    } else if super::callbacks::in_hours(metric) {
        (1.0 / 3600.0, " h")
    } else if metric.ends_with("_s") {
        (1.0, " s")
    } else {
        (1.0, "")
    };
    let text = format!("{:.1}{unit}", m * scale);
    match v.hw95 {
        // Half-widths beyond the metric's range are shown as the clipped interval.
        Some(h) => super::replications::pm_within_range(&text, m, h, metric, scale, 1),
        None => text,
    }
}

/// Draws the band charts of the replicated run in `dir` and writes `report.html` there.
pub fn render_dir(dir: &Path) -> Result<std::path::PathBuf, AppError> {
    let run = ReplicatedRun::load(dir)?;
    let mut charts = Vec::new();
    for fig in run.figures() {
        charts.push(super::charts::write_figure(&fig, dir)?);
    }
    let heat = super::html_glance::write_all(&run.heat_maps(), &run.queue_heat_maps(), dir)?;
    let page = page(&run, &charts, &heat);
    let path = dir.join("report.html");
    let err = |e: std::io::Error| AppError::Output(format!("{}: {e}", path.display()));
    let mut f = super::AtomicFile::create(&path).map_err(err)?;
    std::io::Write::write_all(&mut f, page.as_bytes()).map_err(err)?;
    f.commit().map_err(err)?;
    Ok(path)
}

impl ReplicatedRun {
    /// The center's heat maps of a run longer than a week, from the mean columns of
    /// `intervals.csv` (service level, abandonment, offered): each cell the mean over the weeks
    /// of the replications' mean. No half-width: that of a mean over weeks cannot be derived
    /// from those of its intervals.
    pub fn heat_maps(&self) -> Vec<super::charts::heatmap::HeatMap> {
        use super::html_glance::{GLANCE_AFTER_DAYS, HeatMetric};
        if self.facts.days <= GLANCE_AFTER_DAYS {
            return Vec::new();
        }
        let grid = |m: HeatMetric| {
            let column = match m {
                HeatMetric::ServiceLevel => "service_level",
                HeatMetric::AbandonRate => "abandon_rate",
                HeatMetric::Offered => "offered",
                HeatMetric::Occupancy => return None,
            };
            let series = self.intervals.series(ALL, column);
            Some(super::periods::grid_of(
                &self.facts,
                series.into_iter().map(|(t, v)| (t, v.mean)),
            ))
        };
        super::html_glance::center_maps(&grid, None)
    }

    /// Each queue's heat maps of a run longer than a week (service level and abandonment), from
    /// the queue's mean columns of `intervals.csv` the same way.
    pub fn queue_heat_maps(&self) -> Vec<(String, Vec<super::charts::heatmap::HeatMap>)> {
        use super::html_glance::{GLANCE_AFTER_DAYS, HeatMetric};
        if self.facts.days <= GLANCE_AFTER_DAYS {
            return Vec::new();
        }
        let queues: Vec<String> = self
            .intervals
            .keys()
            .into_iter()
            .filter(|k| *k != ALL)
            .map(String::from)
            .collect();
        queues
            .into_iter()
            .enumerate()
            .map(|(i, q)| {
                let grid = |m: HeatMetric| {
                    let column = match m {
                        HeatMetric::ServiceLevel => "service_level",
                        HeatMetric::AbandonRate => "abandon_rate",
                        HeatMetric::Offered | HeatMetric::Occupancy => return None,
                    };
                    let series = self.intervals.series(&q, column);
                    Some(super::periods::grid_of(
                        &self.facts,
                        series.into_iter().map(|(t, v)| (t, v.mean)),
                    ))
                };
                let maps = super::html_glance::queue_maps(i, &q, &grid);
                (q, maps)
            })
            .collect()
    }
}

/// The page of a replicated run: facts, the summary with half-widths, the heat maps of a run
/// longer than a week, the band charts.
pub fn page(
    run: &ReplicatedRun,
    charts: &[Rendered],
    heat: &super::html_glance::HeatFigures,
) -> String {
    let f = &run.facts;
    let mut h = super::html::head(&f.scenario, charts);
    let _ = writeln!(
        h,
        "<p class=\"facts\">scenario file {} · {} days · seed {} · {} replications · \
         hotline {}</p>",
        escape(&f.source),
        f.days,
        f.seed.map_or("unknown".to_string(), |s| s.to_string()),
        run.replications,
        escape(&f.hotline_version)
    );
    let _ = writeln!(
        h,
        "<p>Every figure is the mean over the replications ± the half-width of its {}: \
         t(0.975, n − 1) · sd ÷ √n (Student t). The charts shade the same interval around \
         each mean line, clipped to the metric's range.</p>",
        escape(&run.band_label())
    );
    h.push_str("<h2>Per queue</h2>\n<table id=\"summary\">\n<tr><th>queue</th>");
    for m in SUMMARY_METRICS {
        h.push_str(&super::html::header_cell(m));
    }
    h.push_str("</tr>\n");
    for key in run.summary.keys() {
        let class = if key == ALL { " class=\"all\"" } else { "" };
        let _ = write!(h, "<tr{class}><td>{}</td>", escape(key));
        for m in SUMMARY_METRICS {
            let _ = write!(h, "<td>{}</td>", escape(&pm(run.summary.value(key, m), m)));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    let keys = run.summary.keys();
    if keys
        .iter()
        .any(|k| run.summary.value(k, "wait_p90_s").mean == Some(0.0))
    {
        h.push_str(super::html::ZERO_P90_NOTE);
    }
    if let Some(o) = &run.outcomes {
        o.table(&mut h);
    }
    if !heat.center.is_empty() {
        super::html_glance::heat_figures(&mut h, f.days, heat);
        h.push_str(
            "<p>In a run of several replications each cell averages, over the weeks, the mean \
             of the replications (the <code>intervals.csv</code> mean columns).</p>\n",
        );
    }
    super::banded_glance::sections(&mut h, run);
    if charts.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"note\">No charts: the run has more than {MAX_POINTS} intervals, and a \
             95 % interval of a day or a week cannot be derived from those of its intervals. \
             intervals.csv holds every interval's mean and half-width.</p>"
        );
    } else {
        if f.days > super::html_glance::GLANCE_AFTER_DAYS && run.daily.is_some() {
            h.push_str(
                "<p>Over a week the charts show the average week (each weekday's interval of the \
                 replications' mean, averaged over the weeks; grey: the center's lowest to \
                 highest week) and the days of <code>daily.csv</code> with their 95 % bands; \
                 <code>intervals.csv</code> holds every interval's mean and half-width.</p>\n",
            );
        }
        super::html::charts_section(&mut h, charts);
    }
    h.push_str("</body>\n</html>\n");
    h
}
