//! The callbacks block of `hotline simulate`'s terminal summary: each printed figure is the
//! `summary.csv` cell that report.html's Callbacks table shows (one run) or its mean ± 95 %
//! half-width (`--replications`), under the table's headers; a run without callbacks prints no
//! block.

use std::collections::HashMap;
use std::path::Path;

use crate::support::*;

/// The table's headers and their `summary.csv` columns.
const FIGURES: [(&str, &str); 9] = [
    ("offered", "callbacks_offered"),
    ("accepted", "callbacks_accepted"),
    ("requests when closed", "closed_callback_requests"),
    ("answered", "callbacks_completed"),
    ("failed", "callbacks_failed"),
    (
        "callback: request or opening to answer (s)",
        "callback_delay_mean_s",
    ),
    (
        "overnight callback: request to answer (h)",
        "closed_callback_delay_mean_s",
    ),
    ("dialled when idle", "outbound_callbacks"),
    (
        "of them dialled within the promise",
        "callbacks_within_target",
    ),
];

/// The bundled night-traffic scenario (two weeks, closed-queue callback requests), its
/// requests released `when_idle` with a promise if asked.
fn night_traffic(when_idle: bool) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/night-traffic.toml"),
    )
    .unwrap();
    if when_idle {
        text.replace(
            "[queue.closed]\n",
            "[queue.closed]\ncallbacks = \"when_idle\"\ncallback_within = \"4h\"\n",
        )
    } else {
        text
    }
}

/// Runs `simulate` on `text` with `extra` flags; its stdout and the rows of its summary.csv.
fn run(
    dir: &Path,
    name: &str,
    text: &str,
    extra: &[&str],
) -> (String, Vec<HashMap<String, String>>) {
    let scenario = write(dir, &format!("{name}.toml"), text);
    let out = dir.join(name);
    let mut args = vec![
        "simulate",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--no-charts",
        "--no-xlsx",
    ];
    args.extend(extra);
    let done = hotline().args(&args).assert().success();
    let stdout = String::from_utf8(done.get_output().stdout.clone()).unwrap();
    (stdout, read_csv(&out.join("summary.csv")))
}

/// The printed block: its queues, and per header the cells' text (one per queue).
struct Block {
    queues: Vec<String>,
    figures: Vec<(&'static str, Vec<String>)>,
}

/// Parses the callbacks block of `stdout`: a cell is one word, or a mean followed by `± hw`
/// or by a clipped interval `[lo–hi]`.
fn block(stdout: &str) -> Option<Block> {
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with("callbacks "));
    let queues: Vec<String> = lines
        .next()?
        .split_whitespace()
        .skip(1)
        .map(String::from)
        .collect();
    let mut figures = Vec::new();
    for line in lines {
        let Some((header, _)) = FIGURES.iter().find(|(h, _)| {
            line.strip_prefix(h)
                .is_some_and(|rest| rest.starts_with("  "))
        }) else {
            break;
        };
        let mut words = line[header.len()..].split_whitespace().peekable();
        let mut cells = Vec::new();
        while let Some(w) = words.next() {
            let mut cell = w.to_string();
            match words.peek() {
                Some(&"±") => {
                    let (pm, hw) = (words.next().unwrap(), words.next().unwrap());
                    cell = format!("{cell} {pm} {hw}");
                }
                Some(b) if b.starts_with('[') => cell = format!("{cell} {}", words.next().unwrap()),
                _ => {}
            }
            cells.push(cell);
        }
        assert_eq!(cells.len(), queues.len(), "{line}");
        figures.push((*header, cells));
    }
    Some(Block { queues, figures })
}

/// `summary.csv`'s row of `queue`.
fn row<'a>(rows: &'a [HashMap<String, String>], queue: &str) -> &'a HashMap<String, String> {
    rows.iter().find(|r| r["queue"] == queue).unwrap()
}

fn column(header: &str) -> &'static str {
    FIGURES.iter().find(|(h, _)| *h == header).unwrap().1
}

/// A one-run cell as report.html writes it from a `summary.csv` cell (a count, or seconds):
/// the count whole, seconds to 0.1 under a `(s)` header, hours to 0.1 under `(h)`, `–` if
/// empty.
fn single_cell(csv: &str, header: &str) -> String {
    match csv {
        "" => "–".into(),
        v if header.ends_with("(s)") => format!("{:.1}", v.parse::<f64>().unwrap()),
        v if header.ends_with("(h)") => format!("{:.1}", v.parse::<f64>().unwrap() / 3600.0),
        v => v.into(),
    }
}

fn headers(b: &Block) -> Vec<&str> {
    b.figures.iter().map(|(h, _)| *h).collect()
}

#[test]
fn one_run_prints_the_callbacks_tables_cells_from_summary_csv() {
    let d = tempfile::tempdir().unwrap();
    for (name, when_idle) in [("opening", false), ("idle", true)] {
        let (stdout, rows) = run(d.path(), name, &night_traffic(when_idle), &[]);
        let b = block(&stdout).unwrap_or_else(|| panic!("no callbacks block:\n{stdout}"));
        // The queue with callback requests and `all`; lost_card has none.
        assert_eq!(b.queues, ["general", "all"], "{stdout}");
        let mut want = vec![
            "offered",
            "accepted",
            "requests when closed",
            "answered",
            "failed",
            "callback: request or opening to answer (s)",
            "overnight callback: request to answer (h)",
        ];
        if when_idle {
            want.extend(["dialled when idle", "of them dialled within the promise"]);
        }
        assert_eq!(headers(&b), want, "{stdout}");
        for (header, cells) in &b.figures {
            for (q, cell) in b.queues.iter().zip(cells) {
                let csv = &row(&rows, q)[column(header)];
                assert_eq!(*cell, single_cell(csv, header), "{name} {q} {header}");
            }
        }
        // The figures a planner asks for are there, and not zero.
        let requests = num(row(&rows, "all"), "closed_callback_requests");
        assert!(requests > 1000.0, "{requests}");
        let called = if when_idle {
            "outbound_callbacks"
        } else {
            "callbacks_completed"
        };
        assert!(num(row(&rows, "all"), called) > 0.5 * requests);
        assert_eq!(
            stdout.contains("dialled when idle: requests left while closed"),
            when_idle
        );
    }
}

#[test]
fn replications_print_the_means_and_half_widths_of_summary_csv() {
    let d = tempfile::tempdir().unwrap();
    let (stdout, rows) = run(
        d.path(),
        "three",
        &night_traffic(false),
        &["--replications", "3"],
    );
    let b = block(&stdout).unwrap_or_else(|| panic!("no callbacks block:\n{stdout}"));
    assert_eq!(b.queues, ["general", "all"], "{stdout}");
    // The one run's figures (at the opening: no legs dialled when idle).
    assert_eq!(b.figures.len(), 7, "{stdout}");
    assert!(headers(&b).contains(&"requests when closed"), "{stdout}");
    for (header, cells) in &b.figures {
        let col = column(header);
        for (q, cell) in b.queues.iter().zip(cells) {
            let r = row(&rows, q);
            let (unit, scale) = if header.ends_with("(s)") {
                ("s", 1.0)
            } else if header.ends_with("(h)") {
                ("h", 3600.0)
            } else {
                ("", 1.0)
            };
            // A count, seconds or hours: mean and half-width to 0.1, as the terminal table
            // writes them; an interval reaching below 0 is shown clipped there.
            let (m, hw) = (num(r, col) / scale, num(r, &format!("{col}_hw95")) / scale);
            let want = if m - hw < 0.0 {
                format!("{m:.1}{unit} [0–{:.1}]", m + hw)
            } else {
                format!("{m:.1}{unit} ± {hw:.1}")
            };
            assert_eq!(*cell, want, "{q} {header}");
        }
    }
    assert!(num(row(&rows, "all"), "closed_callback_requests_hw95") > 0.0);
}

#[test]
fn a_run_without_callbacks_prints_no_callbacks_block() {
    let d = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/validation-mmc.toml"),
    )
    .unwrap()
    .replace("days = 30", "days = 2");
    for (name, extra) in [("one", &[][..]), ("three", &["--replications", "3"][..])] {
        let (stdout, rows) = run(d.path(), name, &text, extra);
        assert_eq!(num(row(&rows, "all"), "callbacks_offered"), 0.0);
        assert!(block(&stdout).is_none(), "{stdout}");
        assert!(!stdout.contains("callback"), "{stdout}");
    }
}
