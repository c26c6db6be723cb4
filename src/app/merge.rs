//! `hotline merge DIR...`: combines the partial results of `simulate --shard K/N` into exactly
//! the folder one `simulate --replications` run would have written (same bytes).
//!
//! Checks first that the shards belong together (same scenario version, seed, warm-up, shard
//! count and replications) and that each of 1..N is there exactly once, naming what is missing
//! or duplicated; then adds the shards' exact sums row by row (`replicated::merge_tables`).

use std::path::PathBuf;
use std::process::ExitCode;

use super::AppError;
use super::replicate::{Optional, Replicated, merge_waits, shard_range};
use super::replicated::{
    ChartsDone, CsvSink, describe, merge_tables, read_shard_file, write_run_files,
};
use crate::cli::MergeArgs;
use crate::stats::fold::{FoldedRow, Schema};

pub fn run(args: &MergeArgs) -> Result<ExitCode, AppError> {
    let mut shards = Vec::new();
    for d in &args.dirs {
        shards.push((d.clone(), read_shard_file(d)?));
    }
    let (first_dir, first) = &shards[0];
    for (d, s) in &shards[1..] {
        let differs = |what: &str, a: String, b: String| {
            AppError::Input(format!(
                "{} and {} are shards of different runs: {what} {a} vs {b}",
                first_dir.display(),
                d.display()
            ))
        };
        if s.scenario_hash != first.scenario_hash {
            return Err(differs(
                "scenario file (or staffing plan) version",
                first.scenario_hash.clone(),
                s.scenario_hash.clone(),
            ));
        }
        if (s.seed, s.shards, s.replications_total)
            != (first.seed, first.shards, first.replications_total)
            || s.warmup_s != first.warmup_s
            || s.plan != first.plan
        {
            return Err(differs(
                "seed/shards/replications/warm-up",
                format!(
                    "{}/{}/{}/{}",
                    first.seed, first.shards, first.replications_total, first.warmup_s
                ),
                format!(
                    "{}/{}/{}/{}",
                    s.seed, s.shards, s.replications_total, s.warmup_s
                ),
            ));
        }
    }
    let n = first.shards;
    let mut seen: Vec<Vec<PathBuf>> = vec![Vec::new(); n as usize];
    for (d, s) in &shards {
        let (from, to) = shard_range(s.shard, n, s.replications_total);
        if s.shard == 0 || s.shard > n || s.replications != (from..to).collect::<Vec<_>>() {
            return Err(AppError::Input(format!(
                "{}: shard {}/{n} does not hold the replications it should",
                d.display(),
                s.shard
            )));
        }
        seen[(s.shard - 1) as usize].push(d.clone());
    }
    let dup: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, v)| {
            let dirs: Vec<String> = v.iter().map(|p| p.display().to_string()).collect();
            format!("shard {}/{n} twice ({})", k + 1, dirs.join(", "))
        })
        .collect();
    if !dup.is_empty() {
        return Err(AppError::Input(format!(
            "duplicate shards: {}",
            dup.join("; ")
        )));
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_empty())
        .map(|(k, _)| format!("{}/{n}", k + 1))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Input(format!(
            "missing shards: {} (run `hotline simulate … --shard K/{n}` for each)",
            missing.join(", ")
        )));
    }
    shards.sort_by_key(|(_, s)| s.shard);
    let dirs: Vec<PathBuf> = shards.iter().map(|(d, _)| d.clone()).collect();
    let optional = Optional {
        plan: shards[0].1.plan,
        classes: shards[0].1.classes.is_some(),
    };
    let mut sink = CsvSink::create(&args.out, optional)?;
    merge_tables(&dirs, optional, &mut sink)?;
    sink.commit()?;
    let (_, head) = &shards[0];
    let mut summary = head.summary.clone();
    let mut classes = head.classes.clone();
    let mut journeys = head.journeys.clone();
    let mut per_replication = Vec::new();
    let mut waits = Vec::new();
    for (d, s) in &shards {
        if s.shard != 1 {
            let bad = |e: String| AppError::Input(format!("{}: {e}", d.display()));
            for (a, b) in summary.iter_mut().zip(&s.summary) {
                a.merge(b).map_err(bad)?;
            }
            merge_table(&mut classes, &s.classes, "caller classes").map_err(bad)?;
            merge_table(&mut journeys, &s.journeys, "journeys").map_err(bad)?;
        }
        per_replication.extend(s.per_replication.iter().cloned());
        waits.push(s.waits.clone());
    }
    let mut queues: Vec<String> = head.run.queues.iter().map(|q| q.name.clone()).collect();
    queues.push("all".into());
    let merged = Replicated {
        replications: (0..head.replications_total).collect(),
        summary_schema: head.summary_schema.clone(),
        summary,
        per_replication,
        classes,
        journeys,
        waits: merge_waits(&waits, &queues),
    };
    write_run_files(&head.run, &args.out, &merged)?;
    let text = describe(
        &head.run,
        &merged,
        &args.out,
        args.json,
        head.plan,
        "",
        ChartsDone::Merged,
    )?;
    super::print(&text)
}

/// Adds a shard's folded whole-run table (`classes.csv`, `journeys.csv`) to `acc`, row by row;
/// the shards must have the same rows (or both none).
fn merge_table(
    acc: &mut Option<(Schema, Vec<FoldedRow>)>,
    other: &Option<(Schema, Vec<FoldedRow>)>,
    what: &str,
) -> Result<(), String> {
    match (acc.as_mut(), other) {
        (Some((sa, a)), Some((sb, b))) if sa == sb && a.len() == b.len() => {
            a.iter_mut().zip(b).try_for_each(|(a, b)| a.merge(b))
        }
        (None, None) => Ok(()),
        _ => Err(format!("its {what} differ from shard 1's")),
    }
}
