//! Measures the CI gate's power (README, "As a CI gate"): how often `hotline compare --baseline
//! … --max-regression` catches a small staffing regression, paired and with Welch, and how often
//! it fires without one; with `--table`, the smallest service-level regression each scenario's
//! gate detects with 95 % power at 10 and at 20 replications.
//!
//! ```sh
//! cargo build --release --locked
//! cargo run --release --example gate_power -- scenarios/multi-skill.toml
//! cargo run --release --example gate_power -- --table scenarios/*.toml
//! ```
//! Options: `--seeds 20`, `--replications 10`, `--threshold 0.005` (service level),
//! `--hotline target/release/hotline`, `--out target/gate-power` (working files).
//!
//! The regression: the scenario's `hotline staff --target 80/20` plan (the baseline's
//! `staffing.csv`) and the same file with one agent fewer in 15 % of the intervals — every
//! interval k with k mod 20 < 3, in each queue with agents then. Both files are named
//! `staffing.csv`, so the variant is the same and only the plan changed, as in a pull request.
//!
//! Per seed s = 1 … N (`compare --seed s`): the baseline; the regression gated against it
//! (paired: same seed, replications and scenario); the same run gated against the baseline
//! rewritten as format 1 (no per-replication values: Welch); the baseline's own plan again
//! (an identical re-run, paired); and the baseline's plan on seed 1000 + s (a re-seeded
//! identical model: Welch). Each gate's verdict is its exit code (1 = fired).
//!
//! `--table`: per scenario, one `compare` of both plans on the same 20 replications; sd_diff is
//! the standard deviation of the per-replication service-level differences (`compare.json`
//! keeps the values), and the smallest worsening beyond the threshold that the paired gate
//! detects with 95 % power at n replications is δ ≈ (t(0.975, n−1) + t(0.95, n−1))·sd_diff/√n:
//! the gate fires when d̄ − t(0.975, n−1)·sd_diff/√n > threshold, and d̄ exceeds that bound
//! with probability 0.95 once its mean is another t(0.95, n−1) standard errors above it
//! (t quantiles from `hotline::stats::replications`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use hotline::stats::replications::t_quantile;
use serde_json::Value;

struct Options {
    hotline: PathBuf,
    out: PathBuf,
    seeds: u64,
    replications: u64,
    threshold: f64,
    table: bool,
    scenarios: Vec<PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        hotline: PathBuf::from("target/release/hotline"),
        out: PathBuf::from("target/gate-power"),
        seeds: 20,
        replications: 10,
        threshold: 0.005,
        table: false,
        scenarios: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| fail(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--hotline" => o.hotline = value().into(),
            "--out" => o.out = value().into(),
            "--seeds" => o.seeds = number(&value()),
            "--replications" => o.replications = number(&value()),
            "--threshold" => o.threshold = number(&value()),
            "--table" => o.table = true,
            _ if a.starts_with("--") => fail(&format!("unknown option {a}")),
            _ => o.scenarios.push(a.into()),
        }
    }
    if o.scenarios.is_empty() {
        o.scenarios.push("scenarios/multi-skill.toml".into());
    }
    o
}

fn number<T: std::str::FromStr>(s: &str) -> T {
    s.parse()
        .unwrap_or_else(|_| fail(&format!("`{s}` is not a number")))
}

fn fail(message: &str) -> ! {
    eprintln!("gate_power: {message}");
    std::process::exit(2)
}

/// Runs `hotline ARGS` quietly; its exit code (0 or 1; anything else stops the measurement).
fn hotline(o: &Options, args: &[&str]) -> i32 {
    let status = Command::new(&o.hotline)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .unwrap_or_else(|e| {
            fail(&format!(
                "{}: {e} (cargo build --release)",
                o.hotline.display()
            ))
        });
    match status.code() {
        Some(c @ (0 | 1)) => c,
        c => fail(&format!("hotline {} exited with {c:?}", args.join(" "))),
    }
}

fn text(p: &Path) -> String {
    p.to_str()
        .unwrap_or_else(|| fail("paths must be UTF-8"))
        .to_string()
}

fn read_json(p: &Path) -> Value {
    let s = std::fs::read_to_string(p).unwrap_or_else(|e| fail(&format!("{}: {e}", p.display())));
    serde_json::from_str(&s).unwrap_or_else(|e| fail(&format!("{}: {e}", p.display())))
}

/// The two plans for `scenario` in `dir`: `base/staffing.csv` (the 80/20 plan) and
/// `cut/staffing.csv` (one agent fewer in intervals k mod 20 < 3).
fn plans(o: &Options, scenario: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let staff = dir.join("staff");
    hotline(
        o,
        &[
            "staff",
            &text(scenario),
            "--target",
            "80/20",
            "--no-charts",
            "--out",
            &text(&staff),
        ],
    );
    let interval_s = hotline::scenario::load(scenario)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", scenario.display())))
        .interval_s;
    let source = staff.join("staffing.csv");
    let mut reader = csv::Reader::from_path(&source).unwrap_or_else(|e| fail(&e.to_string()));
    let headers = reader.headers().cloned().unwrap_or_default();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| fail(&format!("staffing.csv has no `{name}`")))
    };
    let (start, agents) = (col("interval_start_s"), col("agents_required"));
    let (base, cut) = (dir.join("base"), dir.join("cut"));
    let mut writers = Vec::new();
    for d in [&base, &cut] {
        std::fs::create_dir_all(d).unwrap_or_else(|e| fail(&e.to_string()));
        let mut w =
            csv::Writer::from_path(d.join("staffing.csv")).unwrap_or_else(|e| fail(&e.to_string()));
        w.write_record(&headers)
            .unwrap_or_else(|e| fail(&e.to_string()));
        writers.push(w);
    }
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| fail(&e.to_string()));
        writers[0]
            .write_record(&record)
            .unwrap_or_else(|e| fail(&e.to_string()));
        let k = (number::<f64>(&record[start]) / interval_s).round() as u64;
        let n: u32 = number(&record[agents]);
        let fewer = (k % 20 < 3 && n > 0).then(|| (n - 1).to_string());
        let row: Vec<&str> = record
            .iter()
            .enumerate()
            .map(|(i, v)| match &fewer {
                Some(f) if i == agents => f.as_str(),
                _ => v,
            })
            .collect();
        writers[1]
            .write_record(&row)
            .unwrap_or_else(|e| fail(&e.to_string()));
    }
    for mut w in writers {
        w.flush().unwrap_or_else(|e| fail(&e.to_string()));
    }
    (base.join("staffing.csv"), cut.join("staffing.csv"))
}

/// `compare.json` as a format-1 file holds it (no per-replication values): gated with Welch.
fn as_format_1(from: &Path, to: &Path) {
    let mut json = read_json(from);
    json["format"] = 1.into();
    for s in json["scenarios"].as_array_mut().into_iter().flatten() {
        if let Some(s) = s.as_object_mut() {
            s.remove("replication_indices");
        }
        for v in s["variants"].as_array_mut().into_iter().flatten() {
            for m in v["metrics"]
                .as_object_mut()
                .into_iter()
                .flat_map(|m| m.values_mut())
            {
                if let Some(m) = m.as_object_mut() {
                    m.remove("values");
                }
            }
        }
    }
    std::fs::write(to, json.to_string()).unwrap_or_else(|e| fail(&e.to_string()));
}

/// A gate run's service-level worsening and its 95 % half-width (its `compare.csv` row with a
/// threshold).
fn worse_and_hw(dir: &Path) -> (f64, f64) {
    let mut r =
        csv::Reader::from_path(dir.join("compare.csv")).unwrap_or_else(|e| fail(&e.to_string()));
    let h = r.headers().cloned().unwrap_or_default();
    let at = |name: &str| {
        h.iter()
            .position(|x| x == name)
            .unwrap_or_else(|| fail(name))
    };
    for rec in r.records().flatten() {
        if &rec[at("metric")] == "service_level" && !rec[at("threshold")].is_empty() {
            return (
                number(&rec[at("worse_than_baseline")]),
                number(&rec[at("worse_than_baseline_hw95")]),
            );
        }
    }
    fail(&format!("{}: no gated service_level row", dir.display()))
}

fn power(o: &Options, scenario: &Path) {
    let dir = o.out.join("power");
    let (base, cut) = plans(o, scenario, &dir);
    let limit = format!("service_level={}", o.threshold);
    let reps = o.replications.to_string();
    let (mut paired, mut welch, mut same, mut reseeded) = (0, 0, 0, 0);
    let (mut worse, mut hw_paired, mut hw_welch) = (Vec::new(), Vec::new(), Vec::new());
    for s in 1..=o.seeds {
        let d = dir.join(format!("seed-{s}"));
        let run = |plan: &Path, seed: u64, out: &str, baseline: Option<&Path>| {
            let mut a = vec![
                "compare".to_string(),
                text(scenario),
                "--seed".into(),
                seed.to_string(),
                "--staffing".into(),
                text(plan),
                "--replications".into(),
                reps.clone(),
                "--quiet".into(),
                "--out".into(),
                text(&d.join(out)),
            ];
            if let Some(b) = baseline {
                a.extend([
                    "--baseline".into(),
                    text(b),
                    "--max-regression".into(),
                    limit.clone(),
                ]);
            }
            hotline(o, &a.iter().map(String::as_str).collect::<Vec<_>>())
        };
        run(&base, s, "base", None);
        let b = d.join("base/compare.json");
        let old = d.join("base-format-1.json");
        as_format_1(&b, &old);
        paired += run(&cut, s, "paired", Some(&b));
        welch += run(&cut, s, "welch", Some(&old));
        same += run(&base, s, "same", Some(&b));
        reseeded += run(&base, 1000 + s, "reseeded", Some(&b));
        let (w, h) = worse_and_hw(&d.join("paired"));
        worse.push(w);
        hw_paired.push(h);
        hw_welch.push(worse_and_hw(&d.join("welch")).1);
        eprintln!("seed {s}: fired so far paired {paired}, Welch {welch}");
    }
    let range = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        format!("{lo:.4}–{hi:.4}")
    };
    let mean = worse.iter().sum::<f64>() / worse.len().max(1) as f64;
    println!(
        "{}: {} seeds × {} replications, threshold {limit}; mean worsening {mean:.4} \
         (per seed {})",
        scenario.display(),
        o.seeds,
        o.replications,
        range(&worse)
    );
    println!("| gate | fired | 95 % half-width of the worsening |");
    println!("|---|---:|---:|");
    println!(
        "| regression, paired t | {paired} of {} | {} |",
        o.seeds,
        range(&hw_paired)
    );
    println!(
        "| regression, Welch (format-1 baseline) | {welch} of {} | {} |",
        o.seeds,
        range(&hw_welch)
    );
    println!("| identical re-run, paired t | {same} of {} | |", o.seeds);
    println!(
        "| re-seeded identical model, Welch | {reseeded} of {} | |",
        o.seeds
    );
}

/// Sample standard deviation of the paired service-level differences (cut − base) in one
/// `compare.json` of both plans.
fn sd_diff(json: &Value) -> f64 {
    let values = |v: &Value| -> Vec<f64> {
        v["metrics"]["service_level"]["values"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| x.as_f64().unwrap_or(f64::NAN))
            .collect()
    };
    let vs = &json["scenarios"][0]["variants"];
    let d: Vec<f64> = values(&vs[1])
        .iter()
        .zip(values(&vs[0]))
        .map(|(c, b)| c - b)
        .filter(|x| x.is_finite())
        .collect();
    let n = d.len() as f64;
    let m = d.iter().sum::<f64>() / n;
    (d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

fn table(o: &Options) {
    println!(
        "| scenario | SL drop of the probe (pp) | sd_diff (pp) | δ at 10 replications (pp) | δ at 20 replications (pp) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for scenario in &o.scenarios {
        let stem = scenario
            .file_stem()
            .map_or("scenario".into(), |s| s.to_string_lossy());
        let dir = o.out.join("table").join(stem.as_ref());
        let (base, cut) = plans(o, scenario, &dir);
        let out = dir.join("both");
        hotline(
            o,
            &[
                "compare",
                &text(scenario),
                "--staffing",
                &text(&base),
                "--staffing",
                &text(&cut),
                "--replications",
                "20",
                "--quiet",
                "--out",
                &text(&out),
            ],
        );
        let json = read_json(&out.join("compare.json"));
        let sd = sd_diff(&json);
        let drop = -json["scenarios"][0]["variants"][1]["metrics"]["service_level"]["diff"]
            .as_f64()
            .unwrap_or(f64::NAN);
        let delta =
            |n: u64| (t_quantile(0.975, n - 1) + t_quantile(0.95, n - 1)) * sd / (n as f64).sqrt();
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            scenario.display(),
            drop * 100.0,
            sd * 100.0,
            delta(10) * 100.0,
            delta(20) * 100.0
        );
    }
}

fn main() {
    let o = options();
    if o.table {
        table(&o);
    } else {
        for s in &o.scenarios {
            power(&o, s);
        }
    }
}
