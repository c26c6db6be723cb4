//! The CI gate of `hotline compare --baseline`: reading the baseline, pairing its scenarios
//! and replications with today's, and the verdict per gated metric.
//!
//! A metric regresses when the *lower* end of the 95 % interval of "how much worse" is above
//! the threshold: worse beyond the threshold, not just noise. Which interval depends on what
//! the baseline kept ([`GateTest`]):
//! - **paired t** when the baseline holds the metric per replication (format 2) and ran the same
//!   seed, the same replication indices and the same version of the scenario: replication *i*
//!   of today's run saw the same callers as the baseline's replication *i* (common random
//!   numbers), so the differences dᵢ = worsening in replication *i* are independent across *i*
//!   and their t interval, d̄ ± t(0.975, n−1)·s_d/√n, is valid — and, since most of the noise
//!   is common to both sides, far narrower than Welch's. A code change that alters how random
//!   numbers are consumed keeps it valid (the pairs are still independent of one another); the
//!   pairing then only gains less.
//! - **Welch** otherwise (a format-1 baseline, another seed — `--seed` —, other replications,
//!   or a changed scenario under `--allow-changed-scenario`): the two runs are independent
//!   samples, se = √(s₁²/n₁ + s₂²/n₂), degrees of freedom by Welch–Satterthwaite rounded down
//!   (conservative), t quantile exact.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{CompareFile, FORMAT, MetricStats, ScenarioResult, acc_of, better};
use crate::app::AppError;
use crate::stats::replications::t_quantile_975;

/// The interval a gate judges with (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateTest {
    /// Replication i against the baseline's replication i: a t interval of the differences.
    PairedT,
    /// Two independent samples: Welch's interval.
    Welch,
}

impl GateTest {
    /// As the table and stderr name it.
    pub(super) fn label(self) -> &'static str {
        match self {
            GateTest::PairedT => "paired t",
            GateTest::Welch => "Welch",
        }
    }

    /// As `compare.csv` and `compare.json` write it.
    pub(super) fn key(self) -> &'static str {
        match self {
            GateTest::PairedT => "paired_t",
            GateTest::Welch => "welch",
        }
    }
}

/// Which test decided a scenario's gate, and why (a Welch fallback names what did not agree).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GateDecision {
    pub test: GateTest,
    pub why: String,
}

pub(super) fn read_baseline(p: &Path) -> Result<(PathBuf, CompareFile), AppError> {
    let text = std::fs::read_to_string(p)
        .map_err(|e| AppError::Input(format!("--baseline {}: {e}", p.display())))?;
    let file: CompareFile = serde_json::from_str(&text).map_err(|e| {
        AppError::Input(format!(
            "--baseline {}:{}:{}: not a compare.json: {e}",
            p.display(),
            e.line(),
            e.column()
        ))
    })?;
    if !(1..=FORMAT).contains(&file.format) {
        return Err(AppError::Input(format!(
            "--baseline {}: format {} (this hotline reads formats 1 to {FORMAT})",
            p.display(),
            file.format
        )));
    }
    Ok((p.to_path_buf(), file))
}

/// One gated metric against the baseline.
#[derive(Debug, Clone)]
pub(super) struct Verdict {
    pub(super) scenario: String,
    pub(super) variant: String,
    pub(super) metric: String,
    pub(super) baseline: f64,
    /// How much worse than the baseline (negative: better) and its 95 % half-width.
    pub(super) worse: f64,
    pub(super) worse_hw95: f64,
    pub(super) threshold: f64,
    pub(super) regression: bool,
    /// The interval `worse_hw95` is the half-width of.
    pub(super) test: GateTest,
    pub(super) message: String,
}

/// The verdicts of every gated metric; with `allow_changed`, a scenario whose file changed
/// since the baseline is gated anyway and gets the baseline's hash in `now`.
pub(super) fn gate(
    path: &Path,
    base: &CompareFile,
    now: &mut CompareFile,
    gates: &[(String, f64, bool)],
    allow_changed: bool,
) -> Result<Vec<Verdict>, AppError> {
    let bad = |why: String| AppError::Input(format!("--baseline {}: {why}", path.display()));
    let mut out = Vec::new();
    for s in &mut now.scenarios {
        // Paired by label (see [`labels`]): unique in today's run, and in any baseline this
        // hotline wrote; an older baseline may hold a name twice and cannot be paired.
        let mut same = base.scenarios.iter().filter(|b| b.scenario == s.scenario);
        let b = same.next().ok_or_else(|| {
            let known: Vec<String> = base
                .scenarios
                .iter()
                .map(|b| format!("`{}`", b.scenario))
                .collect();
            bad(format!(
                "has no scenario `{}` ({}); it holds {}: regenerate the baseline with the same \
                 scenario files",
                s.scenario,
                s.file,
                known.join(", ")
            ))
        })?;
        if same.next().is_some() {
            return Err(bad(format!(
                "holds scenario `{}` twice, with nothing to tell them apart (written by a \
                 hotline that labelled scenarios by name only): regenerate the baseline",
                s.scenario
            )));
        }
        if b.scenario_hash != s.scenario_hash {
            if !allow_changed {
                return Err(bad(format!(
                    "was made from another version of scenario `{}` ({} has hash {}, the \
                     baseline {}): regenerate the baseline, or review a deliberate edit \
                     against it with --allow-changed-scenario",
                    s.scenario, s.file, s.scenario_hash, b.scenario_hash
                )));
            }
            s.baseline_scenario_hash = Some(b.scenario_hash.clone());
        }
        let decision = decide(b, s, gates).map_err(bad)?;
        for v in &s.variants {
            let bv = b
                .variants
                .iter()
                .find(|x| x.name == v.name)
                .ok_or_else(|| {
                    bad(format!(
                        "scenario `{}` has no variant `{}`",
                        s.scenario, v.name
                    ))
                })?;
            for (m, limit, pct) in gates {
                let (Some(cur), Some(old)) = (v.metrics.get(m), bv.metrics.get(m)) else {
                    return Err(bad(format!(
                        "scenario `{}` variant `{}` has no metric `{m}`",
                        s.scenario, v.name
                    )));
                };
                let (Some(cm), Some(bm)) = (cur.mean, old.mean) else {
                    continue; // undefined on one side (no calls): nothing to gate
                };
                let dir = better(m).expect("checked when parsed");
                // decide() chose the paired t only with values on both sides.
                let (worse, hw) = match (decision.test, &cur.values, &old.values) {
                    (GateTest::PairedT, Some(cv), Some(bv)) => {
                        match paired_worsening(cv, bv, dir) {
                            Some(w) => w,
                            None => continue, // never defined in the same replication
                        }
                    }
                    _ => (dir * (bm - cm), welch_hw95(cur, old)),
                };
                let threshold = if *pct { limit * bm.abs() } else { *limit };
                let regression = worse - hw > threshold;
                let message = format!(
                    "scenario {} ({}), variant {}, {m}: {cm:.6} vs baseline {bm:.6}, worse by \
                     {worse:.6} (95 % interval {:.6} to {:.6}, {}) against a threshold of {}",
                    s.scenario,
                    s.file,
                    v.name,
                    worse - hw,
                    worse + hw,
                    decision.test.label(),
                    if *pct {
                        format!("{}% = {threshold:.6}", limit * 100.0)
                    } else {
                        format!("{threshold}")
                    }
                );
                out.push(Verdict {
                    scenario: s.scenario.clone(),
                    variant: v.name.clone(),
                    metric: m.clone(),
                    baseline: bm,
                    worse,
                    worse_hw95: hw,
                    threshold,
                    regression,
                    test: decision.test,
                    message,
                });
            }
        }
        s.gate = Some(decision);
    }
    Ok(out)
}

/// Which test judges scenario `now` against its baseline `base` (module docs, "The gate's
/// test"): the paired t when the baseline kept every gated metric per replication and ran the
/// same seed, replication indices and scenario version; Welch otherwise, saying what differs.
///
/// # Errors
/// A format-2 baseline whose values do not match its replication indices (edited by hand or
/// truncated): the message, for the caller to prefix with the baseline's path.
fn decide(
    base: &ScenarioResult,
    now: &ScenarioResult,
    gates: &[(String, f64, bool)],
) -> Result<GateDecision, String> {
    let welch = |why: String| {
        Ok(GateDecision {
            test: GateTest::Welch,
            why,
        })
    };
    let (Some(old), Some(new)) = (&base.replication_indices, &now.replication_indices) else {
        return welch(
            "the baseline keeps no per-replication values (a format-1 compare.json): \
             regenerate it to pair replications"
                .into(),
        );
    };
    for v in &base.variants {
        for (m, s) in &v.metrics {
            if let Some(values) = &s.values
                && values.len() != old.len()
            {
                return Err(format!(
                    "scenario `{}` variant `{}` metric `{m}` has {} values for {} replications",
                    base.scenario,
                    v.name,
                    values.len(),
                    old.len()
                ));
            }
        }
    }
    if base.scenario_hash != now.scenario_hash {
        return welch(format!(
            "the scenario changed since the baseline (hash {} then, {} now; \
             --allow-changed-scenario)",
            base.scenario_hash, now.scenario_hash
        ));
    }
    if base.seed != now.seed {
        return welch(format!(
            "the baseline ran seed {}, this run seed {}: other callers",
            base.seed, now.seed
        ));
    }
    if old != new {
        return welch(format!(
            "the baseline ran replications {}, this run {}",
            indices_text(old),
            indices_text(new)
        ));
    }
    for v in &now.variants {
        let Some(bv) = base.variants.iter().find(|x| x.name == v.name) else {
            continue; // refused by the caller, naming the variant
        };
        for (m, _, _) in gates {
            if bv.metrics.get(m).is_some_and(|s| s.values.is_none()) {
                return welch(format!(
                    "the baseline keeps no per-replication values of `{m}`"
                ));
            }
        }
    }
    Ok(GateDecision {
        test: GateTest::PairedT,
        why: format!(
            "replication i against the baseline's replication i (same seed {}, replications {}, \
             same scenario version)",
            now.seed,
            indices_text(new)
        ),
    })
}

/// `0–9` for a contiguous run of replication indices, else the indices listed.
fn indices_text(indices: &[u64]) -> String {
    match (indices.first(), indices.last()) {
        (Some(a), Some(b)) if b - a + 1 == indices.len() as u64 && indices.len() > 1 => {
            format!("{a}–{b}")
        }
        _ => indices
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The mean worsening over paired replications and its 95 % half-width: dᵢ = dir·(baselineᵢ −
/// nowᵢ) over the replications where both are defined, d̄ ± t(0.975, n − 1)·s_d/√n (Student t
/// of the differences, [`Acc::hw95`]). `None` when no replication has both; an infinite
/// half-width (no significance) below two pairs.
fn paired_worsening(now: &[Option<f64>], base: &[Option<f64>], dir: f64) -> Option<(f64, f64)> {
    let d = acc_of(
        now.iter()
            .zip(base)
            .map(|(c, b)| Some(dir * ((*b)? - (*c)?))),
    );
    // `+ 0.0`: an identical re-run reads "worse by 0", not "-0".
    Some((d.mean()? + 0.0, d.hw95().unwrap_or(f64::INFINITY)))
}

/// Half-width of Welch's 95 % interval for the difference of two independent means.
fn welch_hw95(a: &MetricStats, b: &MetricStats) -> f64 {
    let var = |s: &MetricStats| match (s.sd, s.n) {
        (Some(sd), n) if n >= 2 => Some(sd * sd / n as f64),
        _ => None,
    };
    match (var(a), var(b)) {
        (Some(va), Some(vb)) if va + vb > 0.0 => {
            let df = (va + vb).powi(2) / (va * va / (a.n - 1) as f64 + vb * vb / (b.n - 1) as f64);
            let df = (df.floor() as u64).max(1);
            t_quantile_975(df) * (va + vb).sqrt()
        }
        (Some(_), Some(_)) => 0.0,
        // Fewer than 2 replications on a side: no interval, so no significance.
        _ => f64::INFINITY,
    }
}
