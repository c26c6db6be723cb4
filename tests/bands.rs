//! Charts and report.html of runs of several replications: every time chart draws the mean
//! line and a shaded 95 % band read straight from the CSV's mean and `_hw95` columns.

use hotline::report::banded::ReplicatedRun;
use hotline::report::charts::figure::Figure;

use crate::charts::STEMS;
use crate::replications::{simulate, small_scenario};
use crate::support::{hotline, read_csv};

fn figure<'a>(figs: &'a [Figure], stem: &str) -> &'a Figure {
    figs.iter()
        .find(|f| f.stem == stem)
        .unwrap_or_else(|| panic!("no {stem} figure"))
}

#[test]
fn a_replicated_run_writes_band_charts_and_a_report_naming_the_band() {
    let dir = tempfile::tempdir().unwrap();
    let s = small_scenario(dir.path(), "small.toml", 7);
    let out = dir.path().join("r");
    simulate(&s, &out, &["--replications", "4"]);
    for stem in STEMS {
        for ext in ["png", "svg"] {
            let p = out.join(format!("{stem}.{ext}"));
            assert!(p.is_file(), "{} missing", p.display());
        }
    }
    let svg = std::fs::read_to_string(out.join("service_level.svg")).unwrap();
    assert!(crate::support::has_text(
        &svg,
        "95 % interval over 4 replications"
    ));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("95 % interval over 4 replications"), "{html}");
    assert!(html.contains(" ± "), "the summary table shows half-widths");
    assert_eq!(html.matches("<figure id=\"chart-").count(), STEMS.len());
}

#[test]
fn band_edges_are_the_csv_mean_plus_minus_half_width_clipped_to_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let s = small_scenario(dir.path(), "small.toml", 7);
    let out = dir.path().join("r");
    simulate(&s, &out, &["--replications", "5", "--no-charts"]);
    let run = ReplicatedRun::load(&out).unwrap();
    assert_eq!(run.replications, 5);
    let figs = run.figures();
    let rows: Vec<_> = read_csv(&out.join("intervals.csv"))
        .into_iter()
        .filter(|r| r["queue"] == "all")
        .collect();
    let opt = |r: &std::collections::HashMap<String, String>, c: &str| -> Option<f64> {
        let t = &r[c];
        (!t.is_empty()).then(|| t.parse().unwrap())
    };
    for (stem, metric, hi) in [
        ("service_level", "service_level", 1.0),
        ("queue_length", "queue_length_mean", f64::INFINITY),
        ("offered", "offered", f64::INFINITY),
    ] {
        let fig = figure(&figs, stem);
        // `all` is the last queue: its band and line are the last ones.
        let band = fig.bands.last().unwrap();
        let line = fig.series.last().unwrap();
        assert_eq!(band.points.len(), rows.len(), "{stem}");
        let mut clipped = 0;
        for ((r, b), l) in rows.iter().zip(&band.points).zip(&line.points) {
            let start: f64 = r["interval_start_s"].parse().unwrap();
            assert_eq!(b.0, start + 900.0, "{stem}: drawn at the interval's middle");
            let (m, h) = (opt(r, metric), opt(r, &format!("{metric}_hw95")));
            assert_eq!(l.1, m, "{stem}: the line is the CSV mean");
            let want = m.zip(h).map(|(m, h)| ((m - h).max(0.0), (m + h).min(hi)));
            assert_eq!(b.1, want, "{stem} at {start}");
            if let (Some(m), Some(h)) = (m, h) {
                if m + h > hi || m - h < 0.0 {
                    clipped += 1;
                }
            }
        }
        if stem == "service_level" {
            assert!(
                clipped > 0,
                "some SL band reaches past 0–100 % and is clipped"
            );
        }
    }
    let sl = figure(&figs, "service_level");
    assert!(sl.bands.iter().all(|b| {
        b.points
            .iter()
            .filter_map(|p| p.1)
            .all(|(lo, hi)| (0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi) && lo <= hi)
    }));
    assert_eq!(sl.bands[0].label, "95 % interval over 5 replications");
}

#[test]
fn report_redraws_a_replicated_folder_and_a_merged_shard_folder() {
    let dir = tempfile::tempdir().unwrap();
    let s = small_scenario(dir.path(), "small.toml", 7);
    let one = dir.path().join("one");
    simulate(&s, &one, &["--replications", "4", "--no-charts"]);
    assert!(!one.join("report.html").exists());
    hotline().arg("report").arg(&one).assert().code(0);
    let html = std::fs::read_to_string(one.join("report.html")).unwrap();
    assert!(html.contains("95 % interval over 4 replications"));
    for k in ["1/2", "2/2"] {
        let d = dir.path().join(k.replace('/', "of"));
        simulate(&s, &d, &["--replications", "4", "--shard", k]);
    }
    let merged = dir.path().join("merged");
    hotline()
        .arg("merge")
        .arg(dir.path().join("1of2"))
        .arg(dir.path().join("2of2"))
        .arg("--out")
        .arg(&merged)
        .assert()
        .code(0);
    hotline().arg("report").arg(&merged).assert().code(0);
    let page = std::fs::read_to_string(merged.join("report.html")).unwrap();
    assert_eq!(page, html, "a merged folder's page is the one run's page");
}
