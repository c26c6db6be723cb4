//! `hotline compare`: every scenario under every variant (queue policy × staffing file) on the
//! same replications — common random numbers, so variants see the same callers — and per
//! scenario and metric each variant's mean and its paired difference to the first variant, with
//! 95 % intervals. Writes a Markdown table on stdout, `compare.csv` and `compare.json`; with
//! `--baseline` (an earlier `compare.json`) and `--max-regression` it is a CI gate: exit 1 when
//! a metric is worse than the baseline by more than its threshold with statistical
//! significance; the gate's test (paired t or Welch) is [`gate`]'s.
//!
//! # Which scenario is which
//! A scenario's label ([`labels`]) is its `[scenario] name` when no other scenario of the run
//! has that name; a planner's copy-and-edit keeps the name, so same-named scenarios are told
//! apart by their file: `name (stem)`, or `name (path as given)` when the stems coincide too.
//! Rows, `compare.json` and the baseline pairing use the label.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};

use super::AppError;
use super::replicate::{self, Discard, Spec};
use super::replicated::{content_hash, parse_targets};
use crate::cli::CompareArgs;
use crate::stats::replications::Acc;

mod gate;

pub use gate::GateDecision;
use gate::{Verdict, gate, read_baseline};

/// Metrics compared by default (more are added by `--max-regression` and `--precision`).
pub const DEFAULT_METRICS: &[&str] = &[
    "service_level",
    "asa_s",
    "abandon_rate",
    "wait_p90_s",
    "occupancy",
];

/// Which way is better for a gated metric: +1 higher is better, −1 lower is better.
pub(super) fn better(metric: &str) -> Option<f64> {
    match metric {
        "service_level"
        | "sl_of_answered"
        | "sl_of_offered"
        | "answered"
        | "answered_within_threshold"
        | "self_served" => Some(1.0),
        "asa_s"
        | "wait_mean_s"
        | "p_wait"
        | "abandon_rate"
        | "abandoned"
        | "wait_p50_s"
        | "wait_p80_s"
        | "wait_p90_s"
        | "wait_p95_s"
        | "wait_p99_s"
        | "queue_length_mean"
        | "queue_length_peak"
        | "hung_up_ivr"
        | "blocked"
        | "in_system_at_end"
        | "abandoned_within_threshold" => Some(-1.0),
        _ => None,
    }
}

/// One metric of one variant in `compare.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetricStats {
    /// Replications in which the metric was defined.
    pub n: u64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub hw95: Option<f64>,
    /// Mean paired difference to the reference (first) variant, and its 95 % half-width.
    pub diff: Option<f64>,
    pub diff_hw95: Option<f64>,
    /// Format 2, for metrics with a better direction (those a gate can judge): the value in
    /// each replication, in the order of the scenario's `replication_indices` (`null` where
    /// undefined), so a later run on the same replications is paired with this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Option<f64>>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VariantResult {
    pub name: String,
    pub policy: String,
    /// The staffing file, or none for the scenario's own agents.
    pub staffing: Option<String>,
    /// Metric → statistics of the `all` row over replications.
    pub metrics: std::collections::BTreeMap<String, MetricStats>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScenarioResult {
    /// The scenario's label: unique in the run, the key a baseline is paired by ([`labels`]).
    pub scenario: String,
    /// Its `[scenario] name` (absent in baselines written before labels: they equal it there).
    #[serde(default)]
    pub name: Option<String>,
    /// The scenario file, as given on the command line.
    pub file: String,
    /// FNV-1a of the scenario file: a baseline from another version is refused.
    pub scenario_hash: String,
    /// With `--allow-changed-scenario`, when the baseline was made from another version of the
    /// file: the baseline's hash (`scenario_hash` is today's). Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_scenario_hash: Option<String>,
    pub seed: u64,
    pub replications: u64,
    /// Format 2: the replications run (replication r draws from the seed and r only), the order
    /// of every metric's `values`. Absent in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication_indices: Option<Vec<u64>>,
    pub reference: String,
    pub variants: Vec<VariantResult>,
    /// With `--baseline`: the test that decided this scenario's verdicts, and why that one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<GateDecision>,
}

/// The `compare.json` format written: 2 adds per-replication values and replication indices
/// (the paired gate's input) to format 1, which is still read as a baseline.
pub const FORMAT: u32 = 2;

/// `compare.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompareFile {
    pub format: u32,
    pub hotline_version: String,
    pub scenarios: Vec<ScenarioResult>,
}

/// Stands in a variant's name for the scenario's own policy (`fifo` without `[routing]`) until
/// the scenario is loaded ([`Variant::name_for`]).
const OWN_POLICY: &str = "<own policy>";

struct Variant {
    name: String,
    /// The policy's name as given; `None`: the scenario's own `[routing] policy`.
    policy: Option<String>,
    staffing: Option<PathBuf>,
}

impl Variant {
    /// The variant's policy on `model`: its `--policy`, else the scenario's own.
    fn policy_for(&self, model: &crate::scenario::Model) -> crate::routing::Policy {
        self.policy
            .as_deref()
            .and_then(|p| crate::routing::Policy::parse(p).ok())
            .unwrap_or(model.policy)
    }

    /// The variant's name on `model` (the scenario's own policy filled in).
    fn name_for(&self, model: &crate::scenario::Model) -> String {
        self.name.replacen(OWN_POLICY, &model.policy.to_string(), 1)
    }
}

fn variants(args: &CompareArgs) -> Result<Vec<Variant>, AppError> {
    let policies: Vec<Option<String>> = if args.policy.is_empty() {
        vec![None]
    } else {
        args.policy.iter().cloned().map(Some).collect()
    };
    for p in policies.iter().flatten() {
        crate::routing::Policy::parse(p)
            .map_err(|e| AppError::Input(format!("--policy `{p}`: {e}")))?;
    }
    let staffing: Vec<Option<PathBuf>> = if args.staffing.is_empty() {
        vec![None]
    } else {
        args.staffing
            .iter()
            .map(|s| (s.as_os_str() != "scenario").then(|| s.clone()))
            .collect()
    };
    let mut out = Vec::new();
    for policy in &policies {
        // Without --policy the name starts with the scenario's own policy, known once loaded.
        let p = policy.clone().unwrap_or_else(|| OWN_POLICY.into());
        for s in &staffing {
            let name = match s {
                None if staffing.len() == 1 => p.clone(),
                None => format!("{p}+scenario"),
                Some(f) => format!(
                    "{p}+{}",
                    f.file_stem()
                        .map_or("staffing".into(), |x| x.to_string_lossy())
                ),
            };
            let mut name = name;
            let mut k = 2;
            while out.iter().any(|v: &Variant| v.name == name) {
                name = format!("{}#{k}", name.split('#').next().unwrap_or_default());
                k += 1;
            }
            out.push(Variant {
                name,
                policy: policy.clone(),
                staffing: s.clone(),
            });
        }
    }
    Ok(out)
}

/// Per replication, the `all` row's value of each metric (`None` where undefined).
type Values = Vec<Vec<Option<f64>>>;

fn run_variant(
    model: &crate::scenario::Model,
    indices: &[u64],
    threads: Option<usize>,
    metrics: &[String],
    bar: &super::progress::Bar,
) -> Result<Values, AppError> {
    let spec = Spec {
        model,
        plan: None,
        warmup_s: 0.0,
        intervals: false,
    };
    bar.start(indices.len() as u64);
    let r = replicate::run(
        &spec,
        indices,
        threads,
        &mut Discard,
        Some(&|d, n| bar.days(d, n)),
    );
    bar.finish();
    let r = r?;
    let cols: Vec<Option<usize>> = metrics
        .iter()
        .map(|m| r.summary_schema.names.iter().position(|n| n == m))
        .collect();
    Ok(r.per_replication
        .iter()
        .map(|(_, rows)| {
            let all = rows.last().expect("the summary ends with `all`");
            cols.iter()
                .map(|c| c.and_then(|c| all[c].number()))
                .collect()
        })
        .collect())
}

pub(super) fn acc_of(values: impl Iterator<Item = Option<f64>>) -> Acc {
    let mut a = Acc::default();
    values.flatten().for_each(|x| a.add(x));
    a
}

/// Each scenario's label, in the order given: its `[scenario] name`, unless another scenario
/// of the run has the same name; then `name (file stem)`, or `name (path as given)` if another
/// of those also has the same stem. Deterministic (it depends only on the names and the paths
/// as typed), and a label equals the name whenever the name is unique, so baselines of runs
/// without duplicates keep their keys.
///
/// # Errors
/// The same path given twice (its rows could not be told apart).
fn labels(scenarios: &[(String, &Path)]) -> Result<Vec<String>, AppError> {
    let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned());
    let mut out: Vec<String> = Vec::with_capacity(scenarios.len());
    for (i, (name, path)) in scenarios.iter().enumerate() {
        if scenarios[..i].iter().any(|(_, p)| p == path) {
            return Err(AppError::Input(format!(
                "scenario `{}` is given twice: give each file once",
                path.display()
            )));
        }
        let twins: Vec<&Path> = scenarios
            .iter()
            .filter(|(n, p)| n == name && p != path)
            .map(|(_, p)| *p)
            .collect();
        let label = if twins.is_empty() {
            name.clone()
        } else if twins.iter().all(|p| stem(p) != stem(path)) && stem(path).is_some() {
            format!("{name} ({})", stem(path).unwrap_or_default())
        } else {
            format!("{name} ({})", path.display())
        };
        out.push(label);
    }
    // A name that reads like another's label (`a (b)` beside two files named `a`): number the
    // later ones, so labels stay unique whatever the names.
    for i in 1..out.len() {
        let base = out[i].clone();
        let mut k = 2;
        while out[..i].contains(&out[i]) {
            out[i] = format!("{base} #{k}");
            k += 1;
        }
    }
    Ok(out)
}

pub fn run(args: &CompareArgs) -> Result<ExitCode, AppError> {
    let vars = variants(args)?;
    let mut metrics: Vec<String> = DEFAULT_METRICS.iter().map(|m| m.to_string()).collect();
    let gates = match &args.max_regression {
        Some(text) => parse_targets("--max-regression", text, true)?,
        None => Vec::new(),
    };
    for (m, _, _) in &gates {
        if better(m).is_none() {
            return Err(AppError::Input(format!(
                "--max-regression: `{m}` has no better direction (neither higher nor lower is \
                 a regression); gate on service_level, asa_s, abandon_rate, wait_p90_s, …"
            )));
        }
    }
    let targets = match &args.precision {
        Some(text) => parse_targets("--precision", text, false)?,
        None => Vec::new(),
    };
    for (m, _, _) in gates.iter().chain(&targets) {
        if !metrics.contains(m) {
            metrics.push(m.clone());
        }
    }
    let baseline = match &args.baseline {
        Some(p) => Some(read_baseline(p)?),
        None => None,
    };
    // Each flag without the other would gate nothing and exit 0: a CI job that forgot one
    // would pass forever.
    if args.max_regression.is_some() && baseline.is_none() {
        return Err(AppError::Input(
            "--max-regression needs --baseline FILE (an earlier compare.json to compare with)"
                .into(),
        ));
    }
    if args.allow_changed_scenario && baseline.is_none() {
        return Err(AppError::Input(
            "--allow-changed-scenario needs --baseline FILE (the compare.json the edit is \
             reviewed against)"
                .into(),
        ));
    }
    if baseline.is_some() && gates.is_empty() {
        return Err(AppError::Input(
            "--baseline needs --max-regression METRIC=THRESHOLD,… (what counts as a regression)"
                .into(),
        ));
    }
    let threads = args.threads.map(|t| t as usize);
    let bar = super::progress::Bar::new(args.quiet);
    // Load every scenario first: bad input fails before any simulation, and labels need
    // every name.
    let mut loaded = Vec::with_capacity(args.scenarios.len());
    for path in &args.scenarios {
        let mut model = crate::scenario::load(path)?;
        // As `simulate --seed`: other callers, the same model (the hash is the file's).
        if let Some(seed) = args.seed {
            model.seed = seed;
        }
        loaded.push((model, content_hash(path)?));
    }
    let names: Vec<(String, &Path)> = loaded
        .iter()
        .zip(&args.scenarios)
        .map(|((m, _), p)| (m.name.clone(), p.as_path()))
        .collect();
    let labels = labels(&names)?;
    let mut results = Vec::new();
    for (((base_model, hash), path), label) in loaded.into_iter().zip(&args.scenarios).zip(labels) {
        let mut models = Vec::new();
        for v in &vars {
            let mut m = base_model.clone();
            m.policy = v.policy_for(&base_model);
            if let Some(f) = &v.staffing {
                crate::plan::StaffingPlan::read(f, &m)?.apply(&mut m);
            }
            models.push(m);
        }
        // Replications: fixed, or grown until every variant meets --precision.
        let mut n = if targets.is_empty() {
            args.replications
        } else {
            args.replications.max(10).min(args.max_replications)
        };
        let mut values: Vec<Values> = vec![Vec::new(); vars.len()];
        loop {
            let done = values[0].len() as u64;
            let indices: Vec<u64> = (done..n).collect();
            for (vals, m) in values.iter_mut().zip(&models) {
                vals.extend(run_variant(m, &indices, threads, &metrics, &bar)?);
            }
            if targets.is_empty() || n >= args.max_replications {
                break;
            }
            let mut need = 0u64;
            for vals in &values {
                for (m, target, _) in &targets {
                    let i = metrics.iter().position(|x| x == m).expect("added above");
                    match acc_of(vals.iter().map(|r| r[i])).hw95() {
                        Some(h) if h <= *target => {}
                        Some(h) => need = need.max(((h / target).powi(2) * n as f64).ceil() as u64),
                        None => need = need.max(n + 10),
                    }
                }
            }
            if need == 0 {
                break;
            }
            n = need.max(n + 10).min(args.max_replications);
        }
        let reference = &values[0];
        let variants = vars
            .iter()
            .zip(&values)
            .map(|(v, vals)| {
                let mut ms = std::collections::BTreeMap::new();
                for (i, m) in metrics.iter().enumerate() {
                    let a = acc_of(vals.iter().map(|r| r[i]));
                    let d = acc_of(vals.iter().zip(reference).map(|(x, y)| Some(x[i]? - y[i]?)));
                    ms.insert(
                        m.clone(),
                        MetricStats {
                            n: a.n,
                            mean: a.mean(),
                            sd: a.sd(),
                            hw95: a.hw95(),
                            diff: d.mean(),
                            diff_hw95: d.hw95(),
                            values: better(m).map(|_| vals.iter().map(|r| r[i]).collect()),
                        },
                    );
                }
                VariantResult {
                    name: v.name_for(&base_model),
                    policy: v.policy_for(&base_model).to_string(),
                    staffing: v.staffing.as_ref().map(|p| p.display().to_string()),
                    metrics: ms,
                }
            })
            .collect();
        results.push(ScenarioResult {
            scenario: label,
            name: Some(base_model.name.clone()),
            file: path.display().to_string(),
            scenario_hash: hash,
            baseline_scenario_hash: None,
            seed: base_model.seed,
            replications: n,
            replication_indices: Some((0..n).collect()),
            reference: vars[0].name_for(&base_model),
            variants,
            gate: None,
        });
    }
    let mut file = CompareFile {
        format: FORMAT,
        hotline_version: env!("CARGO_PKG_VERSION").to_string(),
        scenarios: results,
    };
    let verdicts = match &baseline {
        Some((p, b)) => gate(p, b, &mut file, &gates, args.allow_changed_scenario)?,
        None => Vec::new(),
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join("compare"));
    write_outputs(&out, &file, &metrics, &verdicts)?;
    let mut text = markdown(&file, &metrics, &verdicts);
    text.push_str(&format!(
        "\nwrote {}/compare.csv and compare.json",
        out.display()
    ));
    let failed: Vec<&Verdict> = verdicts.iter().filter(|v| v.regression).collect();
    super::print(&text)?;
    // The CI log's stderr says which test judged each scenario (and why, for a fallback).
    for s in &file.scenarios {
        if let Some(g) = &s.gate {
            eprintln!(
                "gate: scenario {} judged by {}: {}",
                s.scenario,
                g.test.label(),
                g.why
            );
        }
    }
    if failed.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for v in &failed {
        eprintln!("regression: {}", v.message);
    }
    Ok(ExitCode::from(1))
}

/// A figure in the Markdown table: the outputs' one rule (6 significant digits, no exponent,
/// whole numbers as integers; `report::numbers`), so the CI log reads like the CSVs.
fn fmt(v: Option<f64>) -> String {
    v.map_or("–".into(), crate::report::numbers::figure_text)
}

fn markdown(file: &CompareFile, metrics: &[String], verdicts: &[Verdict]) -> String {
    let mut t = String::new();
    let with_base = !verdicts.is_empty();
    t.push_str(
        "| scenario | replications | metric | variant | mean ± 95 % | Δ vs reference ± 95 % |",
    );
    if with_base {
        t.push_str(" baseline | worse by ± 95 % | threshold | test | verdict |");
    }
    t.push('\n');
    t.push_str("|---|---:|---|---|---:|---:|");
    if with_base {
        t.push_str("---:|---:|---:|---|---|");
    }
    t.push('\n');
    for s in &file.scenarios {
        for m in metrics {
            for v in &s.variants {
                let Some(x) = v.metrics.get(m) else { continue };
                // Percentages and seconds as the terminal table writes them (issue 20).
                let pm = crate::report::replications::metric_pm;
                let diff = if v.name == s.reference {
                    "(reference)".to_string()
                } else {
                    pm(m, x.diff, x.diff_hw95, true)
                };
                t.push_str(&format!(
                    "| {} | {} | {m} | {} | {} | {diff} |",
                    s.scenario,
                    s.replications,
                    v.name,
                    pm(m, x.mean, x.hw95, false)
                ));
                if with_base {
                    match verdicts
                        .iter()
                        .find(|g| g.scenario == s.scenario && g.variant == v.name && &g.metric == m)
                    {
                        Some(g) => t.push_str(&format!(
                            " {} | {} ± {} | {} | {} | {} |",
                            fmt(Some(g.baseline)),
                            fmt(Some(g.worse)),
                            fmt(Some(g.worse_hw95)),
                            fmt(Some(g.threshold)),
                            g.test.label(),
                            if g.regression { "**REGRESSION**" } else { "ok" }
                        )),
                        None => t.push_str(" | | | | |"),
                    }
                }
                t.push('\n');
            }
        }
    }
    for s in &file.scenarios {
        if let Some(g) = &s.gate {
            t.push_str(&format!(
                "\nscenario {} gated by {}: {}\n",
                s.scenario,
                g.test.label(),
                g.why
            ));
        }
        if let Some(old) = &s.baseline_scenario_hash {
            t.push_str(&format!(
                "\nscenario {} changed since the baseline (--allow-changed-scenario): {} has \
                 hash {}, the baseline was made from {old}; the verdicts judge the edit\n",
                s.scenario, s.file, s.scenario_hash
            ));
        }
    }
    t
}

/// One row of `compare.csv`: one scenario (by label) × metric × variant.
#[derive(Default, Serialize)]
struct CompareRow<'a> {
    scenario: &'a str,
    variant: &'a str,
    metric: &'a str,
    /// Replications run (common to every variant of the scenario).
    replications: u64,
    mean: Option<f64>,
    sd: Option<f64>,
    hw95: Option<f64>,
    /// Mean paired difference to the reference variant (same replications), and half-width.
    diff_vs_reference: Option<f64>,
    diff_vs_reference_hw95: Option<f64>,
    /// With `--baseline`: the baseline mean, how much worse now (± 95 %), the threshold, and
    /// whether it is a regression.
    baseline_mean: Option<f64>,
    worse_than_baseline: Option<f64>,
    worse_than_baseline_hw95: Option<f64>,
    threshold: Option<f64>,
    regression: Option<bool>,
    /// The scenario file as given on the command line (`scenario` is its label).
    scenario_file: &'a str,
    /// With `--baseline`: the test that decided, `paired_t` or `welch` (module docs).
    gate_test: Option<&'static str>,
}

fn write_outputs(
    out: &Path,
    file: &CompareFile,
    metrics: &[String],
    verdicts: &[Verdict],
) -> Result<(), AppError> {
    let err = |p: &Path| {
        let p = p.to_path_buf();
        move |e: std::io::Error| AppError::Output(format!("{}: {e}", p.display()))
    };
    std::fs::create_dir_all(out).map_err(err(out))?;
    let p = out.join("compare.csv");
    let mut csv = crate::report::AtomicCsv::create(&p).map_err(err(&p))?;
    for s in &file.scenarios {
        for m in metrics {
            for v in &s.variants {
                let Some(x) = v.metrics.get(m) else { continue };
                let g = verdicts
                    .iter()
                    .find(|g| g.scenario == s.scenario && g.variant == v.name && &g.metric == m);
                csv.write(&CompareRow {
                    scenario: &s.scenario,
                    variant: &v.name,
                    metric: m,
                    replications: s.replications,
                    mean: x.mean,
                    sd: x.sd,
                    hw95: x.hw95,
                    diff_vs_reference: x.diff,
                    diff_vs_reference_hw95: x.diff_hw95,
                    baseline_mean: g.map(|g| g.baseline),
                    worse_than_baseline: g.map(|g| g.worse),
                    worse_than_baseline_hw95: g.map(|g| g.worse_hw95),
                    threshold: g.map(|g| g.threshold),
                    regression: g.map(|g| g.regression),
                    scenario_file: &s.file,
                    gate_test: g.map(|g| g.test.key()),
                })
                .map_err(err(&p))?;
            }
        }
    }
    csv.commit().map_err(err(&p))?;
    super::replicated::write_json(&out.join("compare.json"), file, true)
}
