//! `simulate --replications N` (N > 1), `--precision` and `--shard K/N`: runs replications
//! through [`replicate`](super::replicate) and writes either the folded outputs (CSV, the
//! terminal table or `--json`) or a shard's partial result for `hotline merge`.
//!
//! A shard folder holds `shard.json` (which replications, of which scenario version, their
//! summary rows, pooled waits and the folded whole-run tables `classes` and `journeys`) and one JSON-lines file per interval table
//! (`intervals.jsonl`, …): a schema line, then one folded row (exact sums) per line. `merge`
//! adds the shards' rows line by line and writes the same files through the same writers, so
//! sharded + merged is byte-identical to one run.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::AppError;
use super::replicate::{self, Optional, Replicated, Sink, Spec, TABLES};
use crate::report::callbacks::terminal_replicated;
use crate::report::replications::{FoldedCsv, summary_json, summary_table, write_replications};
use crate::report::run_files::{RunFacts, WaitBinRow};
use crate::report::{AtomicCsv, AtomicFile};
use crate::scenario::Model;
use crate::stats::cells::Cell;
use crate::stats::fold::{FoldedRow, Schema};

fn out_err(path: &Path) -> impl Fn(std::io::Error) -> AppError + '_ {
    move |e| AppError::Output(format!("{}: {e}", path.display()))
}

/// The "version" a shard or a compare baseline was made from, as 16 hex digits: FNV-1a (64 bit)
/// of a TOML scenario's settings written out canonically (keys sorted, comments and layout
/// dropped), or of any other file's bytes (a staffing plan).
///
/// Why not the scenario's bytes: a planner who rewords a comment has not changed the model,
/// and a CI baseline should not go stale for it; any changed value (or added key) still does.
pub fn content_hash(path: &Path) -> Result<String, AppError> {
    let bytes =
        std::fs::read(path).map_err(|e| AppError::Input(format!("{}: {e}", path.display())))?;
    let canonical = std::str::from_utf8(&bytes)
        .ok()
        .filter(|_| path.extension().is_some_and(|e| e == "toml"))
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| toml::to_string(&table).ok());
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in canonical.as_ref().map_or(&bytes[..], |c| c.as_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Ok(format!("{h:016x}"))
}

/// Writes folded interval rows to `<table>.csv` in a folder.
pub struct CsvSink {
    dir: PathBuf,
    files: [Option<FoldedCsv>; TABLES.len()],
}

impl CsvSink {
    /// Opens the tables a run writes (the optional ones as `optional` says).
    pub fn create(dir: &Path, optional: Optional) -> Result<Self, AppError> {
        std::fs::create_dir_all(dir).map_err(out_err(dir))?;
        let mut files: [Option<FoldedCsv>; TABLES.len()] = Default::default();
        for (t, name) in TABLES.iter().enumerate() {
            if !optional.writes(t) {
                continue;
            }
            let p = dir.join(format!("{name}.csv"));
            files[t] = Some(FoldedCsv::create(&p).map_err(out_err(&p))?);
        }
        Ok(CsvSink {
            dir: dir.to_path_buf(),
            files,
        })
    }

    pub fn commit(self) -> Result<(), AppError> {
        let dir = &self.dir;
        concurrently(
            self.files
                .into_iter()
                .enumerate()
                .filter_map(|(t, f)| {
                    let f = f?;
                    let task: Task = Box::new(move || {
                        let p = dir.join(format!("{}.csv", TABLES[t]));
                        f.commit().map_err(out_err(&p))
                    });
                    Some(task)
                })
                .collect(),
        )
    }
}

/// One piece of independent output work.
type Task<'a> = Box<dyn FnOnce() -> Result<(), AppError> + Send + 'a>;

/// Runs `tasks` at once, one thread each, and returns the first error in the order given.
///
/// Why: the end of a replicated run writes and commits about ten files, each commit a disk
/// sync; one after another they took longer than the last simulated day on two threads (the
/// serial tail that kept two threads under 1.8×). The files are independent and each still
/// appears only complete (`report::AtomicFile`).
fn concurrently(tasks: Vec<Task<'_>>) -> Result<(), AppError> {
    std::thread::scope(|s| {
        let running: Vec<_> = tasks.into_iter().map(|t| s.spawn(t)).collect();
        running
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(AppError::Output(
                        "a thread writing outputs stopped on a bug".into(),
                    ))
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    })
}

impl Sink for CsvSink {
    fn rows(&mut self, table: usize, schema: &Schema, rows: &[FoldedRow]) -> Result<(), AppError> {
        if let Some(f) = self.files[table].as_mut() {
            let p = self.dir.join(format!("{}.csv", TABLES[table]));
            f.write(schema, rows).map_err(out_err(&p))?;
        }
        Ok(())
    }

    fn csv(&self) -> bool {
        true
    }

    fn csv_bytes(&mut self, table: usize, schema: &Schema, bytes: &[u8]) -> Result<(), AppError> {
        if let Some(f) = self.files[table].as_mut() {
            let p = self.dir.join(format!("{}.csv", TABLES[table]));
            f.write_bytes(schema, bytes).map_err(out_err(&p))?;
        }
        Ok(())
    }
}

/// Writes `summary.csv`, `replications.csv`, `waits.csv` and `run.json` of a replicated run.
pub fn write_run_files(facts: &RunFacts, out: &Path, r: &Replicated) -> Result<(), AppError> {
    let write_folded = move |name: &str, schema: &Schema, rows: &[FoldedRow]| {
        let p = out.join(name);
        let mut f = FoldedCsv::create(&p).map_err(out_err(&p))?;
        f.write(schema, rows).map_err(out_err(&p))?;
        f.commit().map_err(out_err(&p))
    };
    let mut tasks: Vec<Task> = vec![
        Box::new(move || write_folded("summary.csv", &r.summary_schema, &r.summary)),
        Box::new(move || {
            let p = out.join("replications.csv");
            write_replications(&p, &r.summary_schema, &r.per_replication).map_err(out_err(&p))
        }),
        Box::new(move || {
            let p = out.join("waits.csv");
            let mut w = AtomicCsv::create(&p).map_err(out_err(&p))?;
            for row in &r.waits {
                w.write(row).map_err(out_err(&p))?;
            }
            w.commit().map_err(out_err(&p))
        }),
        Box::new(move || {
            let facts = RunFacts {
                replications: Some(r.replications.len() as u64),
                ..facts.clone()
            };
            // Rounded like every output (`interval_s: 1800`, not `1800.0`); shard.json, which
            // merge adds up, keeps its exact sums.
            write_json(
                &out.join("run.json"),
                &crate::report::numbers::Rounded::json(&facts),
                true,
            )
        }),
    ];
    if let Some((schema, rows)) = &r.classes {
        tasks.push(Box::new(move || write_folded("classes.csv", schema, rows)));
    }
    if let Some((schema, rows)) = &r.journeys {
        tasks.push(Box::new(move || write_folded("journeys.csv", schema, rows)));
    }
    concurrently(tasks)
}

/// Writes `value` as JSON to `path`, atomically (pretty: indented, as `run.json`).
pub fn write_json<T: Serialize>(path: &Path, value: &T, pretty: bool) -> Result<(), AppError> {
    let json = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .map_err(|e| AppError::Output(format!("{}: {e}", path.display())))?;
    let mut f = AtomicFile::create(path).map_err(out_err(path))?;
    f.write_all(json.as_bytes()).map_err(out_err(path))?;
    f.commit().map_err(out_err(path))
}

/// The text `simulate` prints for a replicated run (table or `--json`).
pub fn describe(
    model: &RunFacts,
    r: &Replicated,
    out: &Path,
    json: bool,
    plan: bool,
    note: &str,
    charts: ChartsDone,
) -> Result<String, AppError> {
    if json {
        let mut facts = serde_json::Map::new();
        facts.insert("scenario".into(), model.scenario.clone().into());
        facts.insert("seed".into(), model.seed.into());
        facts.insert("days".into(), model.days.into());
        facts.insert("replications".into(), r.replications.len().into());
        if let Some(p) = &model.policy {
            facts.insert("policy".into(), p.clone().into());
        }
        return summary_json(facts, &r.summary_schema, &r.summary)
            .map_err(|e| AppError::Output(format!("cannot encode JSON: {e}")));
    }
    let thresholds: Vec<f64> = model.queues.iter().map(|q| q.sl_threshold_s).collect();
    Ok(format!(
        "{} — {} days, seed {}{}, {} replications (mean ± 95 % half-width, Student t){}\n\n{}{}{}\
         wrote {}/{{intervals,arrivals,pools,summary,replications,waits,daily,weekly{}}}.csv: means over \
         replications, with <metric>_sd and <metric>_hw95 columns{}",
        model.scenario,
        model.days,
        model.seed.map_or("?".to_string(), |s| s.to_string()),
        model
            .policy
            .as_ref()
            .map_or(String::new(), |p| format!(", policy {p}")),
        r.replications.len(),
        if plan {
            ", agents from a staffing plan"
        } else {
            ""
        },
        summary_table(&r.summary_schema, &r.summary, &thresholds),
        match terminal_replicated(&r.summary_schema, &r.summary) {
            c if c.is_empty() => c,
            c => format!("\n{c}\n"),
        },
        note,
        out.display(),
        match (plan, r.classes.is_some()) {
            (true, true) => ",plan_vs_sim,classes,class_intervals",
            (true, false) => ",plan_vs_sim",
            (false, true) => ",classes,class_intervals",
            (false, false) => "",
        }
        .to_string()
            + if r.journeys.is_some() {
                ",journeys"
            } else {
                ""
            },
        charts.tail(out),
    ))
}

/// What a replicated run's message says about charts, report.html and report.xlsx: only what
/// this command did (a merge draws nothing; `hotline report` does it afterwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartsDone {
    /// `simulate --replications N`: charts and report.html with bands, no workbook.
    Drawn,
    /// `simulate --replications N --no-charts`.
    Skipped,
    /// `merge`: the CSVs only.
    Merged,
}

impl ChartsDone {
    fn tail(self, out: &Path) -> String {
        let out = out.display();
        match self {
            ChartsDone::Drawn => format!(
                "; charts and report.html draw the means with their 95 % bands (no report.xlsx \
                 for replications: `hotline report {out}` writes one)"
            ),
            ChartsDone::Skipped => format!(
                " (--no-charts: `hotline report {out}` draws the charts and report.html and \
                 writes report.xlsx)"
            ),
            ChartsDone::Merged => {
                format!("; no charts, report.html or report.xlsx yet: run `hotline report {out}`")
            }
        }
    }
}

// ------------------------------------------------------------------------------------ shards

/// `shard.json`: one shard's partial result besides its `<table>.jsonl` files.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardFile {
    /// Format of the shard files; `merge` refuses another.
    pub format: u32,
    pub scenario: String,
    /// [`content_hash`] of the scenario file (and of the staffing plan, if any, after `+`).
    pub scenario_hash: String,
    pub seed: u64,
    pub warmup_s: f64,
    /// `K` of `--shard K/N` (1-based) and `N`.
    pub shard: u64,
    pub shards: u64,
    /// Replications of the whole run (all shards).
    pub replications_total: u64,
    /// The replications this shard ran.
    pub replications: Vec<u64>,
    pub summary_schema: Schema,
    pub summary: Vec<FoldedRow>,
    pub per_replication: Vec<(u64, Vec<Vec<Cell>>)>,
    pub waits: Vec<WaitBinRow>,
    /// Whether `plan_vs_sim.jsonl` is present.
    pub plan: bool,
    /// Whether `class_intervals.jsonl` is present (caller classes); `classes.csv` folded.
    #[serde(default)]
    pub classes: Option<(Schema, Vec<FoldedRow>)>,
    /// `journeys.csv` folded (`[redial] same_caller`).
    #[serde(default)]
    pub journeys: Option<(Schema, Vec<FoldedRow>)>,
    /// The run facts `run.json` gets (queues, thresholds, days).
    pub run: RunFacts,
}

/// 2: `daily.jsonl` and `weekly.jsonl` (each replication's days and weeks) beside the interval tables.
/// 3: their rows end with `disconnected`.
/// 4: `journeys` (`[redial] same_caller`): `journeys.csv` folded, as `classes`.
pub const SHARD_FORMAT: u32 = 4;

/// Writes folded rows as JSON lines, one file per table.
pub struct ShardSink {
    dir: PathBuf,
    files: [Option<(AtomicFile, bool)>; TABLES.len()],
}

impl ShardSink {
    pub fn create(dir: &Path, optional: Optional) -> Result<Self, AppError> {
        std::fs::create_dir_all(dir).map_err(out_err(dir))?;
        let mut files: [Option<(AtomicFile, bool)>; TABLES.len()] = Default::default();
        for (t, name) in TABLES.iter().enumerate() {
            if !optional.writes(t) {
                continue;
            }
            let p = dir.join(format!("{name}.jsonl"));
            files[t] = Some((AtomicFile::create(&p).map_err(out_err(&p))?, false));
        }
        Ok(ShardSink {
            dir: dir.to_path_buf(),
            files,
        })
    }

    pub fn commit(self) -> Result<(), AppError> {
        for (t, f) in self.files.into_iter().enumerate() {
            if let Some((f, _)) = f {
                let p = self.dir.join(format!("{}.jsonl", TABLES[t]));
                f.commit().map_err(out_err(&p))?;
            }
        }
        Ok(())
    }
}

impl Sink for ShardSink {
    fn rows(&mut self, table: usize, schema: &Schema, rows: &[FoldedRow]) -> Result<(), AppError> {
        let p = self.dir.join(format!("{}.jsonl", TABLES[table]));
        let Some((f, started)) = self.files[table].as_mut() else {
            return Ok(());
        };
        if !*started {
            f.write_all(json_line(schema).as_bytes())
                .map_err(out_err(&p))?;
            *started = true;
        }
        for r in rows {
            f.write_all(json_line(r).as_bytes()).map_err(out_err(&p))?;
        }
        Ok(())
    }
}

/// One JSON line of plain data.
fn json_line<T: Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string(v).expect("plain data serialises");
    s.push('\n');
    s
}

/// Writes `shard.json` into a shard folder.
pub fn write_shard_file(dir: &Path, shard: &ShardFile) -> Result<(), AppError> {
    write_json(&dir.join("shard.json"), shard, false)
}

/// Reads a shard folder's `shard.json` (bad or missing: exit 2, naming the file).
pub fn read_shard_file(dir: &Path) -> Result<ShardFile, AppError> {
    let p = dir.join("shard.json");
    let text = std::fs::read_to_string(&p).map_err(|e| {
        AppError::Input(format!(
            "{}: {e} (is {} the --out folder of a `simulate --shard` run?)",
            p.display(),
            dir.display()
        ))
    })?;
    let shard: ShardFile = serde_json::from_str(&text)
        .map_err(|e| AppError::Input(format!("{}: not a shard file: {e}", p.display())))?;
    if shard.format != SHARD_FORMAT {
        return Err(AppError::Input(format!(
            "{}: shard format {} (this hotline reads format {SHARD_FORMAT})",
            p.display(),
            shard.format
        )));
    }
    Ok(shard)
}

/// Streams the `<table>.jsonl` files of several shards in lockstep, merging row by row into
/// `sink`.
pub fn merge_tables(
    dirs: &[PathBuf],
    optional: Optional,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    for (t, name) in TABLES.iter().enumerate() {
        if !optional.writes(t) {
            continue;
        }
        let paths: Vec<PathBuf> = dirs
            .iter()
            .map(|d| d.join(format!("{name}.jsonl")))
            .collect();
        let mut readers = paths
            .iter()
            .map(|p| {
                std::fs::File::open(p)
                    .map(|f| std::io::BufReader::new(f).lines())
                    .map_err(|e| AppError::Input(format!("{}: {e}", p.display())))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let bad = |p: &Path, line: usize, e: String| {
            AppError::Input(format!("{}:{line}: {e}", p.display()))
        };
        let mut schema: Option<Schema> = None;
        let mut line = 0usize;
        let mut batch = Vec::new();
        loop {
            line += 1;
            let mut merged: Option<FoldedRow> = None;
            let mut ended = 0;
            for (r, p) in readers.iter_mut().zip(&paths) {
                let Some(text) = r.next() else {
                    ended += 1;
                    continue;
                };
                let text = text.map_err(|e| bad(p, line, e.to_string()))?;
                if line == 1 {
                    let s: Schema =
                        serde_json::from_str(&text).map_err(|e| bad(p, line, e.to_string()))?;
                    if schema.as_ref().is_some_and(|x| *x != s) {
                        return Err(bad(p, line, "columns differ from the other shards".into()));
                    }
                    schema = Some(s);
                    continue;
                }
                let row: FoldedRow =
                    serde_json::from_str(&text).map_err(|e| bad(p, line, e.to_string()))?;
                match merged.as_mut() {
                    None => merged = Some(row),
                    Some(m) => m.merge(&row).map_err(|e| bad(p, line, e))?,
                }
            }
            if ended == readers.len() {
                break;
            }
            if ended > 0 {
                return Err(AppError::Input(format!(
                    "{name}.jsonl: the shards end at different lines (line {line}): a shard is \
                     truncated or from another run"
                )));
            }
            if let Some(m) = merged {
                batch.push(m);
            }
            if batch.len() >= 4096 {
                let s = schema.as_ref().expect("schema line read first");
                sink.rows(t, s, &batch)?;
                batch.clear();
            }
        }
        if let Some(s) = schema.as_ref() {
            sink.rows(t, s, &batch)?;
        }
    }
    Ok(())
}

/// Writes a replicated run's folder (CSV tables already in `sink`).
pub fn finish_folder(
    model: &Model,
    out: &Path,
    sink: CsvSink,
    r: &Replicated,
) -> Result<(), AppError> {
    let facts = RunFacts::of(model);
    concurrently(vec![
        Box::new(|| sink.commit()),
        Box::new(|| write_run_files(&facts, out, r)),
    ])
}

/// Runs `indices` of `spec` into a new output folder (CSV) and returns the results.
pub fn run_to_folder(
    spec: &Spec,
    indices: &[u64],
    threads: Option<usize>,
    out: &Path,
    progress: Option<replicate::Progress>,
) -> Result<Replicated, AppError> {
    let mut sink = CsvSink::create(out, Optional::of(spec))?;
    let r = replicate::run(spec, indices, threads, &mut sink, progress)?;
    finish_folder(spec.model, out, sink, &r)?;
    Ok(r)
}

// ------------------------------------------------------------------------------ the command

/// The summary columns a `--precision` or `--max-regression` list may name.
pub fn summary_metrics() -> Vec<String> {
    use crate::stats::{QueueTally, RowInputs, SummaryRow};
    let row = SummaryRow::new(&RowInputs {
        queue: "all",
        tally: &QueueTally::default(),
        ivr: None,
        pools: Default::default(),
        period_s: 0.0,
    });
    let flat = crate::stats::cells::flatten(&row);
    let schema = Schema::of(&flat);
    schema
        .names
        .iter()
        .zip(&schema.is_key)
        .filter(|(_, k)| !**k)
        .map(|(n, _)| n.clone())
        .collect()
}

/// Parses `metric=value,…` (value a number, or with `pct_ok` a percentage `10%`), checking
/// every metric is a summary column. Returns (metric, value, is_percent).
pub fn parse_targets(
    flag: &str,
    text: &str,
    pct_ok: bool,
) -> Result<Vec<(String, f64, bool)>, AppError> {
    let known = summary_metrics();
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = |why: String| AppError::Input(format!("{flag} `{part}`: {why}"));
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| bad("expected METRIC=VALUE".into()))?;
        let name = name.trim();
        if !known.iter().any(|k| k == name) {
            return Err(bad(format!(
                "unknown metric `{name}`; known: {}",
                known.join(", ")
            )));
        }
        let value = value.trim();
        let (num, pct) = match value.strip_suffix('%') {
            Some(v) if pct_ok => (v.trim(), true),
            Some(_) => return Err(bad("a percentage is not allowed here".into())),
            None => (value, false),
        };
        let v: f64 = num
            .parse()
            .map_err(|_| bad(format!("`{value}` is not a number")))?;
        if !(v.is_finite() && v > 0.0) {
            return Err(bad(format!("`{value}` must be positive")));
        }
        out.push((name.to_string(), if pct { v / 100.0 } else { v }, pct));
    }
    if out.is_empty() {
        return Err(AppError::Input(format!(
            "{flag}: give at least one METRIC=VALUE"
        )));
    }
    Ok(out)
}

/// The `all` row of a folded summary.
pub fn all_row(r: &Replicated) -> &FoldedRow {
    r.summary.last().expect("the summary ends with `all`")
}

/// How `--precision` decides: half-widths on the `all` row against their targets.
fn precision_check(r: &Replicated, targets: &[(String, f64, bool)]) -> (bool, String) {
    let all = all_row(r);
    let mut met = true;
    let parts: Vec<String> = targets
        .iter()
        .map(|(m, target, _)| {
            let hw = all.acc(&r.summary_schema, m).and_then(|a| a.hw95());
            match hw {
                Some(h) if h <= *target => format!("{m} ±{h:.4} ≤ {target}"),
                Some(h) => {
                    met = false;
                    format!("{m} ±{h:.4} > {target}")
                }
                None => {
                    met = false;
                    format!("{m} undefined")
                }
            }
        })
        .collect();
    (met, parts.join(", "))
}

/// `simulate` with `--replications N > 1`, `--precision` or `--shard`.
pub fn simulate(
    args: &crate::cli::SimulateArgs,
    model: &Model,
    plan: Option<&crate::plan::StaffingPlan>,
    out: &Path,
    warmup_s: f64,
) -> Result<std::process::ExitCode, AppError> {
    let threads = args.threads.map(|t| t as usize);
    let spec = Spec {
        model,
        plan,
        warmup_s,
        intervals: true,
    };
    let bar = super::progress::Bar::new(args.quiet);
    if let Some(shard) = args.shard {
        if args.precision.is_some() {
            return Err(AppError::Input(
                "--shard and --precision do not go together: fix --replications for a sharded run"
                    .into(),
            ));
        }
        let (from, to) = replicate::shard_range(shard.k, shard.n, args.replications);
        let indices: Vec<u64> = (from..to).collect();
        if indices.is_empty() {
            return Err(AppError::Input(format!(
                "--shard {}/{}: no replications for this shard ({} in all)",
                shard.k, shard.n, args.replications
            )));
        }
        let mut sink = ShardSink::create(out, Optional::of(&spec))?;
        bar.start(indices.len() as u64);
        let r = replicate::run(
            &spec,
            &indices,
            threads,
            &mut sink,
            Some(&|d, n| bar.days(d, n)),
        )?;
        bar.finish();
        sink.commit()?;
        let mut hash = content_hash(&args.scenario)?;
        if let Some(p) = &args.staffing {
            hash = format!("{hash}+{}", content_hash(p)?);
        }
        write_shard_file(
            out,
            &ShardFile {
                format: SHARD_FORMAT,
                scenario: model.name.clone(),
                scenario_hash: hash,
                seed: model.seed,
                warmup_s,
                shard: shard.k,
                shards: shard.n,
                replications_total: args.replications,
                replications: r.replications.clone(),
                summary_schema: r.summary_schema.clone(),
                summary: r.summary.clone(),
                per_replication: r.per_replication.clone(),
                waits: r.waits.clone(),
                plan: plan.is_some(),
                classes: r.classes.clone(),
                journeys: r.journeys.clone(),
                run: RunFacts::of(model),
            },
        )?;
        return super::print(&format!(
            "{}: shard {}/{} ran {} of the {} replications: {}, numbered 0–{} as in \
             replications.csv; wrote the partial result to {} (combine the shard folders with \
             `hotline merge`)",
            model.name,
            shard.k,
            shard.n,
            to - from,
            args.replications,
            if to - from == 1 {
                format!("replication {from}")
            } else {
                format!("replications {from}–{}", to - 1)
            },
            args.replications - 1,
            out.display()
        ));
    }
    let mut note = String::new();
    let n = match &args.precision {
        None => args.replications,
        Some(text) => {
            let targets = parse_targets("--precision", text, false)?;
            let max = args.max_replications;
            let mut n = args.replications.max(10).min(max);
            let quick = Spec {
                intervals: false,
                ..spec
            };
            // Summaries of replications 0..done, folded exactly as one run of `done` would.
            let mut done = 0;
            let mut sofar: Option<Replicated> = None;
            let (stop, why) = loop {
                let indices: Vec<u64> = (done..n).collect();
                bar.start(n - done);
                let r = replicate::run(
                    &quick,
                    &indices,
                    threads,
                    &mut replicate::Discard,
                    Some(&|d, k| bar.days(d, k)),
                )?;
                bar.finish();
                done = n;
                let r = match sofar.take() {
                    None => r,
                    Some(mut acc) => {
                        for (a, b) in acc.summary.iter_mut().zip(&r.summary) {
                            a.merge(b).map_err(AppError::Input)?;
                        }
                        acc
                    }
                };
                let (met, why) = precision_check(&r, &targets);
                if met {
                    break ("every half-width met its target", why);
                }
                if n >= max {
                    break ("--max-replications reached", why);
                }
                // (hw / target)² · n replications would meet the widest target.
                let all = all_row(&r);
                let grow = targets
                    .iter()
                    .filter_map(|(m, t, _)| {
                        let h = all.acc(&r.summary_schema, m)?.hw95()?;
                        Some(((h / t).powi(2) * n as f64).ceil() as u64)
                    })
                    .max()
                    .unwrap_or(0);
                n = grow.max(n + 10).min(max);
                sofar = Some(r);
            };
            note = format!("precision: {n} replications; stopped: {stop} ({why})\n");
            n
        }
    };
    let indices: Vec<u64> = (0..n).collect();
    bar.start(n);
    let r = run_to_folder(&spec, &indices, threads, out, Some(&|d, k| bar.days(d, k)))?;
    bar.finish();
    if !args.no_charts {
        crate::report::render_dir(out)?;
    }
    let text = describe(
        &RunFacts::of(model),
        &r,
        out,
        args.json,
        plan.is_some(),
        &note,
        if args.no_charts {
            ChartsDone::Skipped
        } else {
            ChartsDone::Drawn
        },
    )?;
    if args.json && !note.is_empty() {
        eprint!("{note}");
    }
    super::print(&text)
}
