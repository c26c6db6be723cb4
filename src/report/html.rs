//! `report.html`: one self-contained page a planner opens from disk — inline CSS, the charts as
//! inline SVG, no script, no network. Every piece of text from the run (scenario, queue and pool
//! names) goes through [`escape`].

use std::fmt::Write as _;

use super::charts::Rendered;
use super::data::{self, ALL, RunData};
use crate::time::{Calendar, Clock, DAY};

/// Runs with at most this many intervals list every interval; longer runs list days.
const MAX_INTERVAL_ROWS: usize = 96;
/// The table never lists more rows than this (a note says what was left out).
const MAX_TABLE_ROWS: usize = 400;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(crate) fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{:.1}%", v * 100.0))
}

/// Seconds in a table cell: one unit per column, named in the column's header (`ASA (s)`), so
/// a column never mixes `98.3` seconds with `1.8` minutes.
pub(crate) fn secs(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.1}"))
}

/// The header a planner reads for a CSV column (`service_level` → `service level`, `asa_s` →
/// `ASA (s)`); the CSV name stays in the cell's `title` (see [`header_cell`]).
pub fn human_header(column: &str) -> String {
    let known = match column {
        "service_level" => "service level",
        "asa_s" => "ASA (s)",
        "abandon_rate" => "abandoned %",
        "wait_p90_s" => "wait p90 (s)",
        "callback_delay_mean_s" => "callback: request or opening to answer (s)",
        "closed_callback_delay_mean_s" => "overnight callback: request to answer (h)",
        "closed_self_served" => "closed: self-served",
        "closed_callback_requests" => "closed: callback requests",
        "callbacks_completed" => "callbacks answered",
        "disconnected" => "disconnected",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    match column.strip_suffix("_s") {
        Some(stem) => format!("{} (s)", stem.replace('_', " ")),
        None => column.replace('_', " "),
    }
}

/// A `<th>` with the human header and the CSV column name as its tooltip.
pub fn header_cell(column: &str) -> String {
    format!(
        "<th title=\"{}\">{}</th>",
        escape(column),
        escape(&human_header(column))
    )
}

/// Under a per-queue table with a wait p90 of 0: what it means (a planner reading `0.0` next
/// to an ASA of 12 s suspects a bug; it is the share answered at once).
pub(crate) const ZERO_P90_NOTE: &str = "<p class=\"note\">A wait p90 of 0.0 s means at least \
    90 % of that queue's callers were answered without waiting (the rest waited: their waits \
    make the ASA); <code>waits.csv</code> counts the callers answered at once in its first \
    row.</p>\n";

/// Seconds on a headline card, with the unit.
fn secs_card(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| format!("{v:.1} s"))
}

const STYLE: &str = "
body { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; margin: 2rem auto; max-width: 1240px;
       padding: 0 1rem; color: #1a1a1a; background: #fff; line-height: 1.4; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
.facts { color: #555; margin-top: 0; }
.headline { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1.2rem 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .6rem 1rem; min-width: 9rem; }
.card .v { font-size: 1.6rem; font-weight: bold; }
.card .k { color: #555; font-size: .85rem; }
figure { margin: 1.2rem 0 2rem; }
figure svg { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .85rem; color: #555; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #eee; text-align: right; }
th { background: #f4f4f4; position: sticky; top: 0; }
td:first-child, th:first-child { text-align: left; }
details { margin: .5rem 0; }
summary { cursor: pointer; font-weight: bold; }
tr.all td { font-weight: bold; }
.note { color: #8a5a00; }
";

/// The page up to its title, sized for the inlined charts.
pub(crate) fn head(scenario: &str, charts: &[Rendered]) -> String {
    let name = escape(scenario);
    let mut h =
        String::with_capacity(64 * 1024 + charts.iter().map(|c| c.svg.len()).sum::<usize>());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>hotline report: {name}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1 id=\"title\">hotline report: {name}</h1>\n"
    );
    h
}

/// The whole page; `heat` are the heat maps of a run of weeks (`html_glance`), shown before
/// the charts with the days, weeks and misses.
pub fn page(run: &RunData, charts: &[Rendered], heat: &super::html_glance::HeatFigures) -> String {
    let f = &run.facts;
    let mut h = head(&f.scenario, charts);
    let mut facts = vec![format!(
        "{} day{}",
        f.days,
        if f.days == 1 { "" } else { "s" }
    )];
    if !f.source.is_empty() {
        facts.insert(0, format!("scenario file {}", escape(&f.source)));
    }
    if run.simulated {
        facts.push(match f.seed {
            Some(s) => format!("seed {s}"),
            None => "seed unknown".into(),
        });
    }
    facts.push(format!(
        "intervals of {}",
        escape(&data::period_name(f.interval_s))
    ));
    if !f.hotline_version.is_empty() {
        facts.push(format!("hotline {}", escape(&f.hotline_version)));
    }
    let _ = writeln!(h, "<p class=\"facts\">{}</p>", facts.join(" · "));
    if !run.simulated {
        // A staffing plan without a simulation: its charts only.
        h.push_str(
            "<p class=\"note\">This folder holds a staffing plan (staffing.csv of \
             <code>hotline staff</code>) but no simulation: only the plan's charts are shown. \
             <code>hotline simulate SCENARIO --staffing staffing.csv</code> into this folder \
             adds the simulated figures and the plan-versus-simulation chart.</p>\n",
        );
        charts_section(&mut h, charts);
        h.push_str("</body>\n</html>\n");
        return h;
    }
    if !run.facts_known {
        h.push_str(
            "<p class=\"note\">run.json was missing: seed and service-level thresholds are \
             unknown; the SL target shown is the default 80%.</p>\n",
        );
    }

    // Headline figures.
    if let Some(t) = run.total() {
        h.push_str("<section class=\"headline\">\n");
        let cards = [
            ("calls offered", t.offered.to_string()),
            ("answered", t.answered.to_string()),
            ("service level", pct(t.service_level)),
            ("ASA", secs_card(t.asa_s)),
            ("abandoned", pct(t.abandon_rate)),
            ("occupancy", pct(t.occupancy)),
        ];
        for (k, v) in cards {
            let _ = writeln!(
                h,
                "<div class=\"card\"><div class=\"v\">{}</div><div class=\"k\">{k}</div></div>",
                escape(&v)
            );
        }
        h.push_str("</section>\n");
    }

    // Per queue.
    h.push_str(
        "<h2>Per queue</h2>\n<table>\n<tr><th>queue</th><th>offered</th><th>answered</th>\
        <th>abandoned</th><th>service level</th><th>threshold (s)</th><th>ASA (s)</th>\
        <th>abandoned %</th><th>wait p90 (s)</th><th>occupancy</th><th>peak waiting</th></tr>\n",
    );
    for r in &run.summary {
        let threshold = run
            .queue_facts(&r.queue)
            .map_or("–".into(), |q| format!("{}", q.sl_threshold_s));
        let _ = writeln!(
            h,
            "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if r.queue == ALL { " class=\"all\"" } else { "" },
            escape(&r.queue),
            r.offered,
            r.answered,
            r.abandoned,
            pct(r.service_level),
            escape(&threshold),
            escape(&secs(r.asa_s)),
            pct(r.abandon_rate),
            escape(&secs(r.wait_p90_s)),
            pct(r.occupancy),
            r.queue_length_peak
        );
    }
    h.push_str("</table>\n");
    if run.summary.iter().any(|r| r.wait_p90_s == Some(0.0)) {
        h.push_str(ZERO_P90_NOTE);
    }
    if let Some(t) = run.total() {
        let _ = writeln!(
            h,
            "<p>All calls: {} self-served in the IVR, {} hung up in the IVR, {} still in the \
             system when the run ended.</p>",
            t.self_served, t.hung_up_ivr, t.in_system_at_end
        );
        if t.blocked > 0 {
            let _ = writeln!(
                h,
                "<p>{} calls heard a busy signal (every line busy) and were blocked.</p>",
                t.blocked
            );
        }
        if t.closed > 0 {
            let _ = writeln!(
                h,
                "<p>Opening hours: {} callers were routed to a closed queue and heard its closed message; {} of them then used self-service, the rest hung up.</p>",
                t.closed, t.closed_self_served
            );
        }
        if t.callbacks_offered > 0 {
            let delay = t
                .callback_delay_mean_s
                .map_or("–".to_string(), |d| format!("{:.0} s", d));
            let _ = writeln!(
                h,
                "<p>Callbacks: {} callers were offered a callback, {} accepted; {} callbacks were answered (mean {} from request to callback, counted as answered), {} failed after every retry.</p>",
                t.callbacks_offered,
                t.callbacks_accepted,
                t.callbacks_completed,
                delay,
                t.callbacks_failed
            );
        }
    }

    super::html_outcomes::sections(&mut h, run);
    class_section(&mut h, run);
    super::html_glance::sections(&mut h, run, heat);
    charts_section(&mut h, charts);

    // Interval table of a week or less (longer runs have their days and weeks above).
    if !super::html_glance::is_long(run) {
        interval_table(&mut h, run);
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// Per caller class (`classes.csv`), when the run has classes: who the policy served first.
fn class_section(h: &mut String, run: &RunData) {
    if run.classes.is_empty() {
        return;
    }
    let policy = run.facts.policy.as_deref().unwrap_or("fifo");
    let _ = writeln!(
        h,
        "<h2>Per caller class</h2>\n<p>Policy <code>{}</code>: under <code>priority</code> and \
         <code>aging</code> a higher priority is served first.</p>\n<table>\n<tr><th>queue</th>\
         <th>class</th><th>priority</th><th>offered</th><th>answered</th><th>abandoned</th>\
         <th>service level</th><th>ASA (s)</th><th>abandoned %</th><th>wait p95 (s)</th></tr>",
        escape(policy)
    );
    for r in &run.classes {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.queue),
            escape(&r.class),
            r.priority,
            r.offered,
            r.answered,
            r.abandoned,
            pct(r.service_level),
            escape(&secs(r.asa_s)),
            pct(r.abandon_rate),
            escape(&secs(r.wait_p95_s)),
        );
    }
    h.push_str("</table>\n");
}

/// The charts, each inline with links to its PNG and SVG files.
pub(crate) fn charts_section(h: &mut String, charts: &[Rendered]) {
    h.push_str("<h2>Charts</h2>\n");
    for c in charts {
        let stem = escape(&c.stem);
        let _ = write!(
            h,
            "<figure id=\"chart-{stem}\">\n<h3>{}</h3>\n{}\n<figcaption>Also as \
             <a href=\"{stem}.png\">{stem}.png</a> and <a href=\"{stem}.svg\">{stem}.svg</a>.\
             </figcaption>\n</figure>\n",
            escape(&c.title),
            strip_xml_declaration(&c.svg)
        );
    }
}

fn strip_xml_declaration(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

fn interval_table(h: &mut String, run: &RunData) {
    let n = run.interval_count();
    let (period, what) = if n <= MAX_INTERVAL_ROWS {
        (run.facts.interval_s, "interval")
    } else {
        (DAY, "day")
    };
    let rows = data::aggregate(&run.intervals, ALL, period);
    let _ = writeln!(
        h,
        "<h2>Whole center per {what}</h2>\n<table>\n<tr><th>{what}</th><th>offered</th>\
         <th>answered</th><th>abandoned</th><th>service level</th><th>ASA (s)</th>\
         <th>abandoned %</th><th>agents</th><th>occupancy</th><th>peak waiting</th></tr>"
    );
    let calendar = run.facts.calendar();
    for a in rows.iter().take(MAX_TABLE_ROWS) {
        let label = row_label(&calendar, a.start_s, what == "day");
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{:.1}</td><td>{}</td><td>{}</td></tr>",
            escape(&label),
            a.offered,
            a.answered,
            a.abandoned,
            pct(a.service_level()),
            escape(&secs(a.asa_s())),
            pct(a.abandon_rate()),
            a.agents(),
            pct(a.occupancy()),
            a.queue_peak
        );
    }
    h.push_str("</table>\n");
    if rows.len() > MAX_TABLE_ROWS {
        let _ = writeln!(
            h,
            "<p class=\"note\">The first {MAX_TABLE_ROWS} of {} {what}s are listed; \
             intervals.csv has every interval.</p>",
            rows.len()
        );
    } else if what == "day" {
        h.push_str(
            "<p class=\"note\">Days are sums of the run's intervals; intervals.csv has every \
             interval per queue.</p>\n",
        );
    }
}

/// A table row's time: `d1 Mon 08:00` (`d1 Mon` per day) for an undated run, `Sun 2026-12-06
/// 08:00` (`Sun 2026-12-06`) with `[scenario] start`.
pub(crate) fn row_label(calendar: &Calendar, t: f64, whole_day: bool) -> String {
    let c = Clock(t);
    match calendar.date_of_day(c.day()) {
        Some(date) => {
            let tod = c.time_of_day().round() as u64;
            let day = format!("{} {date}", calendar.weekday_label(t));
            if whole_day {
                day
            } else {
                format!("{day} {:02}:{:02}", tod / 3600, tod % 3600 / 60)
            }
        }
        None => {
            let full = c.to_string();
            match full.rsplit_once(' ') {
                Some((d, _)) if whole_day => d.to_string(),
                _ => full,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup_in_user_names() {
        assert_eq!(
            escape("<b>Sales & \"VIP\"</b>'"),
            "&lt;b&gt;Sales &amp; &quot;VIP&quot;&lt;/b&gt;&#39;"
        );
    }

    #[test]
    fn the_xml_declaration_is_dropped_before_inlining() {
        assert_eq!(
            strip_xml_declaration("<?xml version=\"1.0\"?>\n<svg/>"),
            "<svg/>"
        );
    }
}
