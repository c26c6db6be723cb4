//! What the output files look like to a planner opening them (issue 9, items 6 and 7): numbers
//! without float noise in every CSV and in `--json`, one unit per column in report.html, and
//! the Excel workbook.

use std::path::{Path, PathBuf};

use crate::support::*;

/// A bundled scenario with its horizon cut to `days`, written into `dir`.
pub fn bundled(dir: &Path, file: &str, days: u32) -> PathBuf {
    let text = read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(file),
    );
    let mut done = false;
    let short: Vec<String> = text
        .lines()
        .map(|l| {
            if !done && l.starts_with("days =") {
                done = true;
                format!("days = {days}")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(done, "no `days =` line in {file}");
    let path = dir.join(file);
    std::fs::write(&path, short.join("\n") + "\n").unwrap();
    path
}

/// Runs `hotline ARGS…`, asserting success; returns stdout.
pub fn ok(args: &[&std::ffi::OsStr]) -> String {
    let o = hotline().args(args).output().unwrap();
    assert!(
        o.status.success(),
        "hotline {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Simulates a bundled scenario cut to `days` into `dir/out` with more flags; returns the
/// folder and stdout.
pub fn simulate_bundled(
    dir: &Path,
    file: &str,
    days: u32,
    out: &str,
    flags: &[&str],
) -> (PathBuf, String) {
    let s = bundled(dir, file, days);
    let out = dir.join(out);
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "simulate".as_ref(),
        s.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(flags.iter().map(|f| std::ffi::OsStr::new(*f)));
    let stdout = ok(&args);
    (out, stdout)
}

/// A folder with every CSV hotline writes: a staffing plan of the validation scenario and its
/// simulation (`staffing`, `staffing_daily`, `plan_vs_sim`, `intervals`, …).
pub fn plan_and_run(dir: &Path) -> PathBuf {
    let s = bundled(dir, "validation-mmc.toml", 2);
    let out = dir.join("plan");
    ok(&[
        "staff".as_ref(),
        s.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let plan = out.join("staffing.csv");
    ok(&[
        "simulate".as_ref(),
        s.as_os_str(),
        "--staffing".as_ref(),
        plan.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    out
}

/// Significant digits of a plain decimal number's text (`0.000123` → 3, `459.2` → 4).
pub fn significant_digits(cell: &str) -> usize {
    let digits: String = cell.chars().filter(|c| c.is_ascii_digit()).collect();
    let trimmed = digits.trim_start_matches('0');
    let trimmed = if cell.contains('.') {
        trimmed
    } else {
        trimmed.trim_end_matches('0')
    };
    trimmed.len().max(1)
}

/// Every problem with the numeric cells of one CSV: exponent notation, more than six
/// significant digits, or a whole number written with a decimal point (`1800.0`, `3.0`).
fn noise_in(path: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (line, row) in read_csv(path).iter().enumerate() {
        for (col, cell) in row {
            let Ok(v) = cell.parse::<f64>() else { continue };
            let at = format!(
                "{} line {} `{col}` = {cell}",
                path.file_name().unwrap().to_string_lossy(),
                line + 2
            );
            if cell.contains(['e', 'E']) {
                problems.push(format!("{at}: exponent notation"));
            } else if cell.contains('.') && v.fract() == 0.0 {
                problems.push(format!("{at}: a whole number with a decimal point"));
            } else if cell.contains('.') && (cell.ends_with('0') || significant_digits(cell) > 6) {
                problems.push(format!("{at}: more than 6 significant digits"));
            }
        }
    }
    problems
}

pub fn csvs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    v.sort();
    v
}

#[test]
fn no_csv_cell_carries_float_noise() {
    let dir = tempfile::tempdir().unwrap();
    let mut folders = vec![plan_and_run(dir.path())];
    // The bank hotline: IVR shares, surges-free profile, several pools and queues.
    let bank = bundled(dir.path(), "bank-hotline.toml", 2);
    let out = dir.path().join("bank");
    ok(&[
        "simulate".as_ref(),
        bank.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--no-charts".as_ref(),
    ]);
    folders.push(out);
    let mut names = Vec::new();
    let mut problems = Vec::new();
    for f in &folders {
        for csv in csvs(f) {
            names.push(csv.file_name().unwrap().to_string_lossy().into_owned());
            problems.extend(noise_in(&csv));
        }
    }
    for must in [
        "intervals.csv",
        "summary.csv",
        "pools.csv",
        "arrivals.csv",
        "waits.csv",
        "staffing.csv",
        "staffing_daily.csv",
        "plan_vs_sim.csv",
    ] {
        assert!(names.iter().any(|n| n == must), "{must} not written");
    }
    assert!(
        problems.is_empty(),
        "{} noisy cells, e.g.\n{}",
        problems.len(),
        problems[..problems.len().min(12)].join("\n")
    );
}

#[test]
fn counts_are_integers_in_every_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = plan_and_run(dir.path());
    for csv in csvs(&out) {
        let rows = read_csv(&csv);
        for col in [
            "interval_start_s",
            "offered",
            "answered",
            "abandoned",
            "calls",
            "agents",
            "agents_required",
            "queue_length_peak",
        ] {
            for r in rows.iter().filter(|r| r.contains_key(col)) {
                let cell = &r[col];
                // `calls` of staffing.csv are expected calls, `agents` of intervals.csv a mean.
                if cell.is_empty() || cell.parse::<f64>().is_ok_and(|v| v.fract() != 0.0) {
                    continue;
                }
                assert!(
                    cell.parse::<u64>().is_ok(),
                    "{}: `{col}` = {cell} is not written as an integer",
                    csv.display()
                );
            }
        }
    }
}

#[test]
fn simulate_json_figures_are_rounded_like_the_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let (out, json) = simulate_bundled(
        dir.path(),
        "bank-hotline.toml",
        2,
        "o",
        &["--no-charts", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut numbers = Vec::new();
    fn walk(v: &serde_json::Value, path: String, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Number(n) => out.push((path, n.to_string())),
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    walk(x, format!("{path}.{k}"), out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    walk(&v, String::new(), &mut numbers);
    assert!(numbers.len() > 50, "too few numbers in --json");
    for (path, text) in &numbers {
        let v: f64 = text.parse().unwrap();
        assert!(
            !(text.contains('.') && v.fract() == 0.0),
            "{path} = {text}: a whole number with a decimal point"
        );
        if text.contains('.') && !text.contains(['e', 'E']) {
            assert!(
                significant_digits(text) <= 6,
                "{path} = {text}: more than 6 significant digits"
            );
        }
    }
    // The count of offered calls is the summary's, as an integer.
    let summary = read_csv(&out.join("summary.csv"));
    let all = summary.iter().find(|r| r["queue"] == "all").unwrap();
    assert_eq!(v["offered"].to_string(), all["offered"]);
    assert_eq!(v["service_level"].to_string(), all["service_level"]);
}

/// The cells of each column of each `<table>` in an HTML page: (header, cells).
fn html_columns(html: &str) -> Vec<(String, Vec<String>)> {
    let cell_texts = |row: &str, tag: &str| -> Vec<String> {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        row.split(&open)
            .skip(1)
            .map(|c| c.split(&close).next().unwrap_or("").to_string())
            .collect()
    };
    let mut out = Vec::new();
    for table in html.split("<table>").skip(1) {
        let table = table.split("</table>").next().unwrap();
        let rows: Vec<&str> = table.split("<tr").skip(1).collect();
        let Some(head) = rows.first() else { continue };
        let headers = cell_texts(head, "th");
        let body: Vec<Vec<String>> = rows[1..].iter().map(|r| cell_texts(r, "td")).collect();
        for (i, h) in headers.iter().enumerate() {
            out.push((
                h.clone(),
                body.iter().filter_map(|r| r.get(i).cloned()).collect(),
            ));
        }
    }
    out
}

/// The unit of a cell: what follows its number (`98.3 s` → `s`, `1.8 min` → `min`, `80.0%` →
/// `%`); `None` for text or an empty mark.
fn unit_of(cell: &str) -> Option<String> {
    let i = cell.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))?;
    if i == 0 {
        return None;
    }
    Some(cell[i..].trim().to_string())
}

#[test]
fn every_column_of_the_report_tables_has_one_unit_named_in_its_header() {
    let dir = tempfile::tempdir().unwrap();
    // A week: long waits on one queue (p90 beyond 100 s: the outage) beside short ones on
    // others.
    let (out, _) = simulate_bundled(dir.path(), "outage-spike.toml", 7, "o", &[]);
    let html = read(out.join("report.html"));
    let columns = html_columns(&html);
    assert!(columns.len() > 15, "tables not found in report.html");
    let mut seconds_columns = 0;
    for (header, cells) in &columns {
        let units: std::collections::BTreeSet<String> =
            cells.iter().filter_map(|c| unit_of(c)).collect();
        assert!(
            units.len() <= 1,
            "column `{header}` mixes units {units:?}: {cells:?}"
        );
        if header.contains("(s)") {
            seconds_columns += 1;
            assert!(
                units.is_empty(),
                "`{header}` names its unit; cells repeat {units:?}"
            );
        }
    }
    assert!(
        seconds_columns >= 4,
        "wait columns should name seconds in their header"
    );
    let p90 = columns
        .iter()
        .find(|(h, _)| h == "wait p90 (s)")
        .expect("a wait p90 column in seconds");
    assert!(
        p90.1
            .iter()
            .filter_map(|c| c.parse::<f64>().ok())
            .any(|v| v > 100.0),
        "the test needs a p90 above 100 s (it used to be shown in minutes): {:?}",
        p90.1
    );
}

/// The text of every entry of a zip file (an .xlsx), by name.
pub fn unzip(path: &Path) -> std::collections::BTreeMap<String, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        out.insert(f.name().unwrap().into_owned(), text);
    }
    out
}

/// Values of attribute `attr` of every `<tag …>` element in `xml`, in order.
fn attrs(xml: &str, tag: &str, attr: &str) -> Vec<String> {
    let open = format!("<{tag} ");
    let key = format!(" {attr}=\"");
    xml.split(&open)
        .skip(1)
        .map(|el| {
            let el = format!(" {}", &el[..el.find('>').unwrap_or(el.len())]);
            el.split(&key)
                .nth(1)
                .map_or(String::new(), |v| v[..v.find('"').unwrap()].to_string())
        })
        .collect()
}

/// The style index (`s`) of each cell format code in an xlsx's styles.xml.
pub fn style_of(styles: &str, code: &str) -> String {
    let ids = attrs(styles, "numFmt", "numFmtId");
    let codes = attrs(styles, "numFmt", "formatCode");
    let id = ids
        .iter()
        .zip(&codes)
        .find(|(_, c)| **c == code)
        .unwrap_or_else(|| panic!("no number format {code:?} in styles.xml"))
        .0;
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xfs = &xfs[..xfs.find("</cellXfs>").unwrap()];
    attrs(xfs, "xf", "numFmtId")
        .iter()
        .position(|n| n == id)
        .unwrap_or_else(|| panic!("no cell style with format {code:?}"))
        .to_string()
}

/// The `<c …>…</c>` element of cell `r` (e.g. `L2`) in a sheet's XML.
pub fn cell<'a>(sheet: &'a str, r: &str) -> &'a str {
    let start = sheet
        .find(&format!("<c r=\"{r}\""))
        .unwrap_or_else(|| panic!("no cell {r}"));
    let rest = &sheet[start..];
    &rest[..rest
        .find("</c>")
        .map_or(rest.find("/>").unwrap() + 2, |e| e + 4)]
}

/// Excel's column letters of a 0-based column index.
pub fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// (sheet name → sheet XML) of an xlsx, in workbook order.
pub fn sheets(files: &std::collections::BTreeMap<String, String>) -> Vec<(String, String)> {
    let names = attrs(&files["xl/workbook.xml"], "sheet", "name");
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let xml = files[&format!("xl/worksheets/sheet{}.xml", i + 1)].clone();
            (n.to_string(), xml)
        })
        .collect()
}

#[test]
fn report_xlsx_has_a_sheet_per_csv_frozen_headers_and_number_formats() {
    let dir = tempfile::tempdir().unwrap();
    let out = plan_and_run(dir.path());
    let files = unzip(&out.join("report.xlsx"));
    let sheets = sheets(&files);
    let names: Vec<&str> = sheets.iter().map(|s| s.0.as_str()).collect();
    // Every CSV of the folder, in the documented order (this scenario has no caller classes).
    let expected: Vec<&str> = std::iter::once(hotline::report::xlsx::SUMMARY_SHEET)
        .chain(
            hotline::report::xlsx::SHEETS
                .iter()
                .map(|s| hotline::report::xlsx::raw_sheet_name(s))
                .filter(|s| !s.starts_with("class")),
        )
        .chain(hotline::report::xlsx::PLANNER_SHEETS.iter().copied())
        .collect();
    assert_eq!(names, expected);
    assert_eq!(names.len(), 12);
    for (name, xml) in &sheets {
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "sheet {name}: header row not frozen"
        );
        assert!(xml.contains("<cols>"), "sheet {name}: no column widths");
    }
    // Each sheet holds its CSV: same header, same number of rows, the same numbers.
    let styles = &files["xl/styles.xml"];
    let percent = style_of(styles, "0.0%");
    let seconds = style_of(styles, "0.0");
    let count = style_of(styles, "0");
    let intervals = read_csv(&out.join("intervals.csv"));
    let xml = &sheets[2].1;
    assert_eq!(xml.matches("<row ").count(), intervals.len() + 1);
    let header: Vec<String> = {
        let mut r = csv::Reader::from_path(out.join("intervals.csv")).unwrap();
        r.headers().unwrap().iter().map(String::from).collect()
    };
    let col = |name: &str| column_letters(header.iter().position(|h| h == name).unwrap());
    let sl = cell(xml, &format!("{}2", col("service_level")));
    assert!(sl.contains(&format!(" s=\"{percent}\"")), "{sl}");
    assert!(
        sl.contains(&format!("<v>{}</v>", intervals[0]["service_level"])),
        "{sl}"
    );
    let p90 = cell(xml, &format!("{}2", col("wait_p90_s")));
    assert!(p90.contains(&format!(" s=\"{seconds}\"")), "{p90}");
    let offered = cell(xml, &format!("{}2", col("offered")));
    assert!(offered.contains(&format!(" s=\"{count}\"")), "{offered}");
    assert!(offered.contains(&format!("<v>{}</v>", intervals[0]["offered"])));
    // Without calendar dates, interval_start stays text (`d1 Mon 00:00`).
    assert!(cell(xml, "A2").contains("d1 Mon 00:00"));
    // The creation date is fixed, not the clock: the same run gives the same bytes.
    assert!(files["docProps/core.xml"].contains("1980-01-01T00:00:00Z"));
}

#[test]
fn iso_interval_starts_become_date_cells_in_report_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(dir.path(), "validation-mmc.toml", 1, "o", &["--no-charts"]);
    // The interval_start of a scenario with a calendar start: ISO local date-times.
    let text = read(out.join("intervals.csv"));
    let iso: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let l = if i == 0 {
                l.to_string()
            } else {
                let (start, rest) = l.split_once(',').unwrap();
                let hm = start.rsplit(' ').next().unwrap();
                format!("2026-11-30T{hm},{rest}")
            };
            l + "\n"
        })
        .collect();
    std::fs::write(out.join("intervals.csv"), iso).unwrap();
    ok(&["report".as_ref(), out.as_os_str()]);
    let files = unzip(&out.join("report.xlsx"));
    let date = style_of(&files["xl/styles.xml"], "yyyy-mm-dd hh:mm");
    let sheets = sheets(&files);
    let (name, xml) = &sheets[2];
    assert_eq!(name, "intervals");
    // Row 2 is 2026-11-30 00:00: Excel serial 46356; row 3 (second queue row or 00:30) is
    // the same day.
    let a2 = cell(xml, "A2");
    assert!(a2.contains(&format!(" s=\"{date}\"")), "{a2}");
    assert!(a2.contains("<v>46356</v>"), "{a2}");
    assert!(!a2.contains("inlineStr"), "{a2}");
    let last = xml.matches("<row ").count();
    let end = cell(xml, &format!("A{last}"));
    // 2026-11-30 23:30 = 46356 + 47/48.
    let v: f64 = end
        .split("<v>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((v - (46356.0 + 47.0 / 48.0)).abs() < 1e-9, "{end}");
}

#[test]
fn no_xlsx_skips_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(
        dir.path(),
        "validation-mmc.toml",
        1,
        "o",
        &["--no-charts", "--no-xlsx"],
    );
    assert!(out.join("intervals.csv").exists());
    assert!(!out.join("report.xlsx").exists());
}

/// A scenario of `n` queues, each served by its own pool (so a staffing plan fits it), calls
/// split evenly by an IVR without delay; queue `q3` gets half the agents it needs.
fn many_queues(dir: &Path, n: usize) -> PathBuf {
    let mut t = String::from(
        "[scenario]\nname = \"many\"\ndays = 1\ninterval = \"30m\"\nseed = 3\n\n\
         [arrivals]\ncalls_per_hour = 1000\n\n[ivr]\nstart = \"menu\"\n\n[[ivr.node]]\n\
         name = \"menu\"\noptions = [\n",
    );
    for i in 0..n {
        t += &format!("  {{ p = {}, queue = \"q{i}\" }},\n", 1.0 / n as f64);
    }
    t += "]\n";
    for i in 0..n {
        t += &format!(
            "\n[[queue]]\nname = \"q{i}\"\nhandle_time = {{ dist = \"exponential\", mean = \"3m\" }}\n\
             service_level_threshold = \"20s\"\n\n[[pool]]\nname = \"p{i}\"\nserves = [\"q{i}\"]\n\
             agents = 10\n"
        );
    }
    let p = dir.join("many.toml");
    std::fs::write(&p, t).unwrap();
    p
}

fn figure_of(dir: &Path, stem: &str) -> hotline::report::charts::Figure {
    let run = hotline::report::data::RunData::load(dir).unwrap();
    hotline::report::charts::figures(&run)
        .into_iter()
        .find(|f| f.stem == stem)
        .unwrap_or_else(|| panic!("no {stem} chart"))
}

#[test]
fn plan_vs_sim_with_ten_queues_draws_all_and_the_worst_three() {
    let dir = tempfile::tempdir().unwrap();
    let s = many_queues(dir.path(), 10);
    let out = dir.path().join("o");
    ok(&[
        "staff".as_ref(),
        s.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    // Queue q3 is planned short: its `agents_required` halved in the plan.
    let plan = out.join("staffing.csv");
    let mut r = csv::Reader::from_path(&plan).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "agents_required").unwrap();
    let qcol = headers.iter().position(|h| h == "queue").unwrap();
    let mut w = csv::Writer::from_path(dir.path().join("plan.csv")).unwrap();
    w.write_record(&headers).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        let row: Vec<String> = rec
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == col && &rec[qcol] == "q3" {
                    (c.parse::<u32>().unwrap() / 2).to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let plan = dir.path().join("plan.csv");
    ok(&[
        "simulate".as_ref(),
        s.as_os_str(),
        "--staffing".as_ref(),
        plan.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let fig = figure_of(&out, "plan_vs_sim");
    let labels: Vec<&str> = fig.series.iter().map(|s| s.label.as_str()).collect();
    // `all` and three queues, promised and simulated each: 8 lines, not 22.
    assert_eq!(fig.series.len(), 8, "{labels:?}");
    assert!(labels.contains(&"all: simulated"), "{labels:?}");
    assert!(
        labels.contains(&"q3: simulated"),
        "the short-staffed queue is shown: {labels:?}"
    );
    assert!(fig.title.contains("3 of 10"), "{}", fig.title);
}

/// `(x, text)` of every `<text>` element of an SVG.
fn svg_text_positions(svg: &str) -> Vec<(f64, String)> {
    svg.split("<text")
        .skip(1)
        .filter_map(|s| {
            let x: f64 = s.split("x=\"").nth(1)?.split('"').next()?.parse().ok()?;
            let body = &s[s.find('>')? + 1..];
            Some((x, body[..body.find("</text>")?].trim().to_string()))
        })
        .collect()
}

#[test]
fn legends_stand_beside_the_plot_never_over_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(dir.path(), "bank-hotline.toml", 7, "o", &[]);
    let run = hotline::report::data::RunData::load(&out).unwrap();
    let figs = hotline::report::charts::figures(&run);
    assert!(figs.len() >= 6);
    for fig in &figs {
        let svg = read(out.join(format!("{}.svg", fig.stem)));
        let texts = svg_text_positions(&svg);
        // The right end of the time or wait axis: its rightmost tick label (`Mon` a week later,
        // `600`), which sits at the plot's right edge.
        let ticks: Vec<String> = fig.x.ticks().iter().map(|v| fig.x.label(*v)).collect();
        let plot_right = texts
            .iter()
            .filter(|(_, t)| ticks.contains(t))
            .map(|(x, _)| *x)
            .fold(0.0, f64::max);
        assert!(plot_right > 500.0, "{}: x-axis labels not found", fig.stem);
        let layout =
            hotline::report::charts::render::layout(fig, hotline::report::charts::render::SIZE, 24);
        assert!(layout.plot.1 <= layout.legend.0, "{}: {layout:?}", fig.stem);
        assert_eq!(layout.rows, layout.entries, "{}: legend cut", fig.stem);
        for (label, _) in hotline::report::charts::render::legend_entries(fig) {
            let (x, _) = texts
                .iter()
                .find(|(_, t)| *t == crate::outputs::escape_xml(&label))
                .unwrap_or_else(|| panic!("{}: legend text {label:?} not drawn", fig.stem));
            assert!(
                *x > plot_right,
                "{}: legend {label:?} at x = {x} lies over the plot (right edge {plot_right})",
                fig.stem
            );
        }
    }
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn occupancy_does_not_spike_to_full_when_a_shift_ends() {
    // The bank hotline: frontline and loan agents 08:00-19:00; at 19:00 a few of them finish
    // their last calls alone in the interval (busy = present, scheduled 0).
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(dir.path(), "bank-hotline.toml", 1, "o", &[]);
    let pools = read_csv(&out.join("pools.csv"));
    let overtime_only = pools
        .iter()
        .find(|r| {
            r["pool"] == "frontline" && num(r, "agents") == 0.0 && num(r, "agents_present") > 0.0
        })
        .expect("agents finishing calls after their shift");
    assert_eq!(
        overtime_only["occupancy"], "1",
        "pools.csv keeps busy ÷ present"
    );
    let at = num(overtime_only, "interval_start_s");
    let fig = figure_of(&out, "occupancy");
    let frontline = fig.series.iter().find(|s| s.label == "frontline").unwrap();
    let half = 900.0;
    let point = frontline
        .points
        .iter()
        .find(|p| (p.0 - (at + half)).abs() < 1e-6)
        .expect("a point for every interval");
    assert_eq!(point.1, None, "no agent scheduled: a gap, not 100 %");
    assert!(fig.y.label.contains("scheduled"), "{}", fig.y.label);
}

#[test]
fn waits_chart_has_one_scale_per_axis() {
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = simulate_bundled(dir.path(), "bank-hotline.toml", 1, "o", &[]);
    let fig = figure_of(&out, "waits");
    let below = fig
        .below
        .as_ref()
        .expect("the cumulative share in its own panel");
    for f in [&fig, below.as_ref()] {
        assert!(f.y2.is_none(), "{}: a second vertical scale", f.title);
        assert!(
            f.series
                .iter()
                .all(|s| s.side == hotline::report::charts::figure::Side::Left)
        );
    }
    assert!(
        fig.series
            .iter()
            .all(|s| matches!(s.shape, hotline::report::charts::figure::Shape::Bars { .. }))
    );
    assert!(below.series.iter().any(|s| s.label == "all: cumulative"));
    assert!(below.y.label.contains("at most"), "{}", below.y.label);
}
