//! The subcommands and their flags (clap derive). No domain logic: `app` runs each mode.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::scenario::CallbackRelease;
use crate::scenario::{ServiceLevelGoal, parse_service_level_goal, parse_share};
use crate::time::{Seconds, parse_duration_with_unit};

/// Exit codes, documented once and shown in `--help`.
pub const EXIT_CODES: &str = "Exit codes: 0 ok, 1 a gate failed, 2 bad input (scenario, flags, input files), 3 outputs could not be written, 4 the shift-scheduling solver failed (not the input).";

/// Simulate the load on a call center and plan its staffing.
#[derive(Debug, Parser)]
#[command(name = "hotline", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and write interval and summary CSVs.
    Simulate(SimulateArgs),
    /// Validate a scenario and print what hotline understood.
    Check(CheckArgs),
    /// Erlang calculator: queue figures at a staffing, or the fewest agents meeting targets.
    ///
    /// With `--agents`, prints P(wait), service level, ASA and occupancy (Erlang C; with
    /// `--patience`, Erlang A and P(abandon)). With targets instead (`--target-sl`,
    /// `--target-asa`, `--max-abandon`, `--max-occupancy`), prints the agents required on the
    /// phones, the agents to schedule after shrinkage, and the figures at that staffing.
    Erlang(ErlangArgs),

    /// Redraw the charts and report.html of an earlier `simulate` or `staff` run from its CSVs.
    Report(ReportArgs),

    /// Staffing per interval: the agents each queue needs under Erlang C and Erlang A.
    ///
    /// For every statistics interval of the horizon and every queue: the expected calls, the
    /// offered load and the fewest agents on the phones meeting the targets, then the agents to
    /// schedule after shrinkage. Writes `staffing.csv` (one row per interval × queue, usable as
    /// `simulate --staffing`) and `staffing_daily.csv` (agent-hours per day and queue); prints
    /// peak agents and agent-hours per weekday, and draws the `staffing` chart (Erlang C vs
    /// Erlang A vs agents scheduled) as PNG and SVG. Targets come from the flags, else the
    /// scenario's `[staffing]` table, else the defaults.
    Staff(StaffArgs),

    /// Shift schedule and roster for the whole horizon: requirements → shifts at least cost → agents.
    ///
    /// Chooses how many agents start each shift variant of the scenario's `[[shift]]` templates
    /// (an integer program: the LP bound, a heuristic, then a node-limited branch and bound) so
    /// every interval's requirement is covered at least cost, then hands the shifts to agents
    /// under the `[[contract]]` and `[roster]` rules. Writes `shifts.csv`, `roster.csv`,
    /// `coverage.csv` (usable as `simulate --staffing`), `schedule.json` and the `coverage`
    /// chart; prints the solver's status, cost, bound and gap. Intervals no allowed shift can
    /// cover are reported short, not refused.
    Schedule(ScheduleArgs),

    /// Plan checked by simulation: requirements → schedule → simulate → correct → reschedule.
    ///
    /// Starts from the Erlang A requirements (each queue's patience), schedules them as
    /// `hotline schedule` does, simulates the roster as headcount with replications (common
    /// random numbers: the same callers in every iteration), raises the requirement where an
    /// interval misses the target with 95 % confidence and lowers it where it beats the target
    /// comfortably (the 95 % interval above target and one agent fewer still predicted to meet
    /// it), and schedules again, until every interval meets the target, no change helps, or
    /// `--max-iterations`. The plain Erlang C plan, simulated the same way, is the reference
    /// row. Writes plan_iterations.csv, plan.json and the kept plan's shifts.csv, roster.csv
    /// and coverage.csv (usable as `simulate --staffing`). With `--compare-nights`, also
    /// compares staffed nights, IVR-only nights and a 24/7 desk (nights.csv).
    Plan(PlanArgs),

    /// Combine the shard folders of `simulate --shard K/N` into one run's outputs.
    ///
    /// Every shard 1..N of one run must be given exactly once (missing or duplicate shards are
    /// named, exit 2); the output folder gets byte-for-byte the CSVs a single
    /// `simulate --replications` run would have written. `merge` draws no charts and writes no
    /// report.html or report.xlsx: run `hotline report OUT` afterwards.
    Merge(MergeArgs),

    /// Compare variants (queue policy × staffing file) on common random numbers; a CI gate.
    ///
    /// Runs every scenario under every variant on the same replications (the same callers),
    /// and prints per scenario and metric each variant's mean ± 95 % half-width and its paired
    /// difference to the first variant, as a Markdown table; writes compare.csv and
    /// compare.json into `--out`. With `--baseline` (an earlier compare.json) and
    /// `--max-regression`, exits 1 when a metric is worse than the baseline by more than its
    /// threshold with statistical significance (the lower end of the 95 % interval of the
    /// worsening is above the threshold), naming scenario, variant, metric, by how much and the
    /// interval.
    Compare(CompareArgs),

    /// List the queue policies: each component with one line, and how they combine.
    ///
    /// A policy is `fifo` (the default) or components joined by `+` (`priority+callback`); it
    /// is chosen by the scenario's `[routing] policy` and overridden by `simulate --policy`
    /// and `compare --policy`.
    Policies,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The scenario files (TOML).
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// A queue policy to compare (repeat the flag for several).
    ///
    /// Any name `hotline policies` lists (`fifo`, `priority`, `aging+overflow`, …); each
    /// overrides the scenario's `[routing] policy`. Default: the scenario's policy.
    #[arg(long, value_name = "NAME")]
    pub policy: Vec<String>,
    /// A staffing plan (`staffing.csv` of `hotline staff`) to compare (repeat for several).
    ///
    /// `scenario` stands for the pools' own agents. Each policy runs with each staffing.
    /// Default: the pools' own agents only.
    #[arg(long, value_name = "FILE")]
    pub staffing: Vec<PathBuf>,
    /// Replications per variant (the same ones for every variant). Default: 20.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..))]
    pub replications: u64,
    /// Grow the replications until every variant's 95 % half-width meets these targets.
    ///
    /// `metric=target,…` on the `all` row, as `simulate --precision`. Default: none.
    #[arg(long, value_name = "METRIC=TARGET,...")]
    pub precision: Option<String>,
    /// Upper bound for `--precision`. Default: 200.
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u64).range(2..))]
    pub max_replications: u64,
    /// Seed for every scenario of this run, overriding each scenario's `seed` (as `simulate --seed`).
    ///
    /// Other callers, the same model. Gated against a baseline of another seed, the replications
    /// cannot be paired and the gate uses Welch's interval: re-seed to measure the gate's false
    /// alarms. Default: each scenario's own `seed`.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Worker threads. Only changes the speed. Default: one per core.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,
    /// Output folder for compare.csv and compare.json. Default: reports/compare/.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// An earlier compare.json to gate against (needs `--max-regression`).
    ///
    /// It must come from the same scenario files (their content hash is checked) and hold the
    /// same variants; otherwise exit 2.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The largest acceptable worsening per metric: `service_level=0.02,asa_s=10%,…` (needs `--baseline`).
    ///
    /// A number is absolute (in the metric's unit), `N%` relative to the baseline mean. Only
    /// metrics with a better direction can be gated (service_level, asa_s, abandon_rate,
    /// wait_p90_s, …). Default: none.
    #[arg(long, value_name = "METRIC=LIMIT,...")]
    pub max_regression: Option<String>,
    /// Gate against a baseline made from another version of a scenario file (needs `--baseline`).
    ///
    /// Without it, a scenario file whose content hash differs from the baseline's is refused
    /// (exit 2): the baseline no longer describes it. For reviewing a deliberate edit — a pool
    /// cut, a routing change — compare it against the baseline of the same label anyway: the
    /// table and compare.json say the scenario changed, with the old and the new hash.
    /// Regenerate the baseline once the edit is accepted. Default: off.
    #[arg(long)]
    pub allow_changed_scenario: bool,
    /// No progress bar (it only shows on a terminal's stderr anyway).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard folders (the `--out` of each `simulate --shard K/N` run), in any order.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output folder for the merged run.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print the summary as one JSON object on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Output folder.
    ///
    /// Default: `reports/<scenario file stem>/` under the current directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed for this run, overriding the scenario's `seed`.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Queue policy for this run, overriding the scenario's `[routing] policy`.
    ///
    /// `fifo`, `priority`, `aging`, `overflow`, `callback`, or components joined by `+`
    /// (`priority+callback`); `hotline policies` lists them. The same seed gives the same
    /// callers (classes included) under every policy. Default: the scenario's, else fifo.
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
    /// Print the summary as one JSON object on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Skip the charts and report.html (write the CSVs only).
    ///
    /// By default `simulate` draws every chart as PNG and SVG and writes report.html into the
    /// output folder; `hotline report DIR` can draw them later from the CSVs.
    #[arg(long)]
    pub no_charts: bool,
    /// Skip report.xlsx (the CSVs as one Excel workbook).
    ///
    /// By default `simulate` writes report.xlsx next to the CSVs: one sheet per CSV of the
    /// folder, header row frozen, shares as percentages, waits in seconds, ISO date-times as
    /// date cells. A replicated run (`--replications N > 1`) writes none; `hotline report DIR`
    /// writes it afterwards.
    #[arg(long)]
    pub no_xlsx: bool,
    /// Use a staffing plan (the `staffing.csv` of `hotline staff`) as the agents' headcount.
    ///
    /// Each interval's `agents_required` of a queue goes to the pool serving it (a pool serving
    /// several queues gets their sum); every queue must be served by exactly one pool. The plan
    /// must cover the scenario's horizon, interval by interval. Adds `plan_vs_sim.csv` to the
    /// output folder: promised against simulated service level and ASA per interval and queue.
    /// Default: none (the pools' own `agents`).
    #[arg(long, value_name = "FILE")]
    pub staffing: Option<PathBuf>,
    /// Independent replications to run (in parallel), reported as mean, sd and 95 % half-width.
    ///
    /// Replication r draws every random number from the scenario seed and r only, so the
    /// outputs are byte-identical for any `--threads`. With N > 1 every CSV column holds the
    /// mean over replications (counts become fractional means) and each metric gets
    /// `<metric>_sd` and `<metric>_hw95` columns at the end (Student t, 95 %);
    /// `replications.csv` keeps each replication's summary (numbered from 0), `daily.csv` and
    /// `weekly.csv` each replication's days and weeks folded the same way. Charts and
    /// report.html draw the means with their 95 % bands (unless `--no-charts`); no report.xlsx
    /// is written for N > 1 (`hotline report DIR` writes one afterwards, from the folder's
    /// CSVs). Default: 1 (the single-run outputs, unchanged).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub replications: u64,
    /// Worker threads for the replications.
    ///
    /// Only changes the speed, never the outputs. Default: one per core.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,
    /// Drop the statistics of the first DURATION of each replication (steady-state studies).
    ///
    /// Intervals starting before DURATION give no rows and stay out of the summary and waits.
    /// Default: 0 (keep everything).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub warmup: Option<Seconds>,
    /// Add replications until every 95 % half-width on the `all` row is under its target.
    ///
    /// A list `metric=target,…` of summary columns, e.g. `service_level=0.01,asa_s=2`.
    /// Starts with `--replications` (at least 10) and adds deterministic batches (each at least
    /// 10, sized by the (half-width ÷ target)² rule) until met or `--max-replications`; the
    /// output says how many ran and why it stopped. The final outputs are those of
    /// `--replications <that number>`.
    #[arg(long, value_name = "METRIC=TARGET,...")]
    pub precision: Option<String>,
    /// Upper bound for `--precision`. Default: 200.
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u64).range(2..))]
    pub max_replications: u64,
    /// Run only shard K of N of the replications and write a partial result to `--out`.
    ///
    /// Shard K (counted from 1) runs a contiguous block of the `--replications` (about N-th of
    /// them; replications are numbered from 0, as in replications.csv). Combine
    /// the shard folders with `hotline merge DIR... --out OUT`: the result is byte-identical to
    /// one run with all replications. For batch systems (Slurm arrays, Kubernetes indexed
    /// Jobs): see deploy/. Default: no sharding.
    #[arg(long, value_name = "K/N", value_parser = shard)]
    pub shard: Option<Shard>,
    /// No progress bar.
    ///
    /// The bar (replications done, ETA) only shows on a terminal's stderr anyway.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--shard K/N`: shard K (1-based) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

/// clap value parser for `K/N` with 1 ≤ K ≤ N.
fn shard(text: &str) -> Result<Shard, String> {
    let bad = || format!("`{text}`: expected K/N with 1 ≤ K ≤ N, e.g. 3/8");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok(Shard { k, n })
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The output folder of an earlier `hotline simulate` or `hotline staff` run.
    ///
    /// Reads intervals.csv, pools.csv, summary.csv, waits.csv and (if present) run.json,
    /// staffing.csv and plan_vs_sim.csv, and writes the charts (PNG and SVG), report.html and
    /// report.xlsx (a sheet per CSV) into the same folder. A folder with only staffing.csv gets the staffing chart and a
    /// report.html with the plan's charts alone; one with neither file is an error (exit 2).
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
}

#[derive(Debug, Args)]
pub struct ErlangArgs {
    /// Calls offered per hour.
    ///
    /// The mean arrival rate of a Poisson stream of calls. Required; must be positive.
    #[arg(long, value_name = "CALLS", allow_negative_numbers = true)]
    pub calls_per_hour: f64,
    /// Mean handle time: talk plus after-call work (e.g. "3m", "200s"; a bare number is refused).
    ///
    /// Handle times are taken as exponential with this mean. Required; must be positive.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub aht: Seconds,
    /// Agents on the phones: evaluate this staffing.
    ///
    /// Give either this or at least one target (`--target-sl`, `--target-asa`,
    /// `--max-abandon`, `--max-occupancy`). No default.
    #[arg(long, value_name = "N", conflicts_with_all = ["target_sl", "target_asa", "max_abandon", "max_occupancy"])]
    pub agents: Option<u32>,
    /// Service-level threshold: a call answered within this counts as in service level.
    ///
    /// Used for the service level printed and for `--target-sl`. Default: 20s, or the
    /// threshold of `--target-sl 80/20` (give it in one place only).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub threshold: Option<Seconds>,
    /// Mean caller patience; switches from Erlang C to Erlang A (M/M/c+M).
    ///
    /// Patience is taken as exponential with this mean; callers still waiting when it runs out
    /// abandon. Without it (the default) nobody abandons (Erlang C).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub patience: Option<Seconds>,
    /// Solve: the service level to reach: "80%", "0.8" or "80/20" (80% within 20s).
    ///
    /// The share of calls answered within `--threshold`: a percentage ("80%"), a fraction
    /// ("0.8"), or with its threshold ("80/20", "80%/30s"; then leave out `--threshold`). A
    /// bare number above 1 ("80") is refused as ambiguous, as is anything below 1% ("0.8%").
    /// Under Erlang A it counts answered-within-threshold over all offered calls. No default.
    #[arg(long, value_name = "SL", allow_negative_numbers = true, value_parser = service_level_goal)]
    pub target_sl: Option<ServiceLevelGoal>,
    /// Solve: the highest acceptable ASA (mean wait of answered calls), e.g. "30s".
    ///
    /// Must be positive. No default.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub target_asa: Option<Seconds>,
    /// Solve: the highest acceptable share of calls abandoning, "5%" or "0.05" (needs `--patience`).
    ///
    /// In (0, 1]; a bare number above 1 ("5") is refused as ambiguous. No default.
    #[arg(long, value_name = "SHARE", allow_negative_numbers = true, value_parser = share)]
    pub max_abandon: Option<f64>,
    /// Solve: the highest acceptable agent occupancy (busy time over staffed time), "85%" or "0.85".
    ///
    /// In (0, 1]; a bare number above 1 ("85") is refused as ambiguous. No default.
    #[arg(long, value_name = "SHARE", allow_negative_numbers = true, value_parser = share)]
    pub max_occupancy: Option<f64>,
    /// Solve: the share of paid time agents are off the phones (breaks, training, absence), "30%" or "0.3".
    ///
    /// Agents scheduled = ceil(agents required / (1 − shrinkage)). In [0, 1). Only for solving:
    /// with `--agents` (the agents on the phones) it is refused, as it would change nothing.
    /// Default: 0.
    #[arg(long, value_name = "SHARE", allow_negative_numbers = true, value_parser = share)]
    pub shrinkage: Option<f64>,
    /// Print one JSON object on stdout instead of the table.
    ///
    /// Keys: model, calls_per_hour, aht_s, offered_load_erlangs, agents, threshold_s, p_wait,
    /// service_level, asa_s, occupancy; with `--patience` also patience_s, p_abandon,
    /// service_level_excl_early_abandons and mean_wait_s; in solve mode agents_required,
    /// agents_scheduled and shrinkage.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The scenario file (TOML) with `[[shift]]`, `[[contract]]` and `[roster]`, whole weeks.
    pub scenario: PathBuf,
    /// Service-level goal every interval × queue with calls should meet: "80/20".
    ///
    /// Notation as `staff --target`; the simulation measures `service_level` (answered within
    /// the threshold over answered + abandoned after it) at this threshold. Default:
    /// `[staffing] target`, else 80 % within each queue's threshold.
    #[arg(long, value_name = "PCT/DURATION", value_parser = service_level_goal)]
    pub target: Option<ServiceLevelGoal>,
    /// Replications per iteration (the same ones every iteration). Default: 20.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..))]
    pub replications: u64,
    /// Schedules made at most (the Erlang A plan is the first). Default: 8.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_iterations: u32,
    /// Worker threads. Only changes the speed, never the outputs. Default: one per core.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,
    /// Output folder. Default: `reports/<scenario file stem>/plan/`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Time budget of the shift-scheduling solver, seconds, over all pools (per schedule).
    ///
    /// The solver starts from an integer schedule at once (the LP relaxation rounded and
    /// repaired) and improves it by branch and bound within this time and a fixed node budget;
    /// it always returns a schedule, with its status (optimal, feasible, time limit,
    /// heuristic) and gap to the LP bound per pool. Default: 60.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub time_limit: u64,
    /// Do not draw the coverage chart.
    #[arg(long)]
    pub no_charts: bool,
    /// Also compare staffed nights, IVR-only nights and a 24/7 desk at equal service (nights.csv).
    ///
    /// (a) nights staffed as the plan does; (b) every queue closed at night (closed message,
    /// `--night-callback` of the callers leave a callback request for the opening), no agents
    /// at night; (c) the `--night-desk` queues open 24/7, the others closed at night. Each
    /// variant is planned by the loop on the same replications; its kept plan goes into
    /// `OUT/<variant>/`.
    #[arg(long)]
    pub compare_nights: bool,
    /// Plan one night variant alone: staffed_nights, ivr_only_nights or desk_24_7.
    ///
    /// The same plan `--compare-nights` writes into `OUT/<variant>/`, with the same `--night`,
    /// `--night-desk` and `--night-callback`. Default: the scenario as it is (staffed_nights).
    #[arg(long, value_name = "VARIANT")]
    pub night_variant: Option<String>,
    /// The night for `--compare-nights`: intervals starting in HH:MM-HH:MM. Default: 20:00-08:00.
    #[arg(long, value_name = "HH:MM-HH:MM", default_value = "20:00-08:00")]
    pub night: String,
    /// Queue(s) the 24/7 desk keeps open at night (repeat or comma-separate).
    ///
    /// Default: the queues whose opening hours are 24/7 (`hours = "24/7"` or none) when some
    /// queue closes; in a scenario without closing hours, the queues served by a pool serving
    /// only them (a dedicated desk, e.g. cards).
    #[arg(long, value_name = "QUEUE", value_delimiter = ',')]
    pub night_desk: Vec<String>,
    /// Share of callers meeting a closed queue at night who leave a callback request (set on
    /// `[queue.closed] callback` of the night variants): "50%" or "0.5". In [0, 1]. Default: 0.5.
    #[arg(long, value_name = "SHARE", default_value_t = 0.5, value_parser = share)]
    pub night_callback: f64,
    /// How the night variants' callback requests are called back: when_idle or at_opening.
    ///
    /// Set on `[queue.closed] callbacks` of the queues a variant closes at night. `when_idle`
    /// (the default): agents dial the requests as outbound work when no inbound caller waits,
    /// judged by `--night-callback-within`, not by the inbound service level. `at_opening`:
    /// every request joins the line at the opening as an inbound leg (counted in the SL).
    #[arg(long, value_name = "RELEASE", default_value = "when_idle", value_parser = release)]
    pub night_callbacks: CallbackRelease,
    /// The night variants' callback promise: requests dialled within DURATION of the opening.
    ///
    /// Set on `[queue.closed] callback_within` of the queues a variant closes at night (unless
    /// the queue states its own); the plan loop checks it as one more target. Default: 4h.
    #[arg(long, value_name = "DURATION", default_value = "4h", value_parser = duration)]
    pub night_callback_within: Seconds,
    /// Agents each pool keeps idle for inbound callers while the night variants' callbacks
    /// are dialled (`when_idle` only).
    ///
    /// Set on `[queue.closed] callback_reserve` of the queues a variant closes at night: a
    /// leg is dialled only if at least this many other agents of the pool stay idle, so the
    /// callers arriving at the opening find someone free. Default: 3.
    #[arg(long, value_name = "AGENTS", default_value_t = 3)]
    pub night_callback_reserve: u32,
    /// No progress lines.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// The scenario file (TOML) with `[[shift]]`, `[[contract]]` and `[roster]`.
    pub scenario: PathBuf,
    /// Requirements to cover: a `staffing.csv` of `hotline staff` (its `agents_scheduled`).
    ///
    /// Default: computed as `hotline staff` would with the scenario's `[staffing]` table.
    #[arg(long, value_name = "DIR/staffing.csv")]
    pub requirements: Option<PathBuf>,
    /// Output folder for shifts.csv, roster.csv, coverage.csv, schedule.json and the chart.
    ///
    /// Default: `reports/<scenario file stem>/` under the current directory (as `simulate`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Time budget of the shift-scheduling solver, seconds, over all pools (per schedule).
    ///
    /// The solver starts from an integer schedule at once (the LP relaxation rounded and
    /// repaired) and improves it by branch and bound within this time and a fixed node budget;
    /// it always returns a schedule, with its status (optimal, feasible, time limit,
    /// heuristic) and gap to the LP bound per pool. Default: 60.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub time_limit: u64,
    /// Do not draw the coverage chart.
    #[arg(long)]
    pub no_charts: bool,
}

#[derive(Debug, Args)]
pub struct StaffArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Output folder for `staffing.csv` and `staffing_daily.csv`.
    ///
    /// Default: `reports/<scenario file stem>/` under the current directory (as `simulate`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Service-level goal: "80/20" is 80% of calls answered within 20 seconds.
    ///
    /// Written SHARE/THRESHOLD ("80/20", "90%/1m", "0.9/1m"), or the share alone ("80%" or
    /// "0.8") for each queue's own `service_level_threshold`. A bare number above 1 ("80") is
    /// refused as ambiguous, as is anything below 1% ("0.8%"). The SL counts
    /// answered-within-threshold over all offered calls. Default: `[staffing] target` in the scenario, else 80% within each queue's
    /// threshold (20s unless the queue sets one).
    #[arg(long, value_name = "PCT/DURATION", value_parser = service_level_goal)]
    pub target: Option<ServiceLevelGoal>,
    /// The model that decides `agents_required`: erlang-c or erlang-a (or erlang_c, erlang_a).
    ///
    /// Both are computed and written; this picks the one the plan follows. Erlang A (M/M/c+M)
    /// uses each queue's mean patience (exact only for exponential patience) and needs fewer
    /// agents where callers abandon; a queue without patience gets Erlang C either way.
    /// Default: `[staffing] model`, else erlang-c.
    #[arg(long, value_enum)]
    pub model: Option<StaffModelArg>,
    /// Share of paid time agents are off the phones (breaks, training, absence): "30%" or "0.3".
    ///
    /// Agents scheduled = ceil(agents required / (1 − shrinkage)). In [0, 1).
    /// Default: `[staffing] shrinkage`, else 0.
    #[arg(long, value_name = "SHARE", allow_negative_numbers = true, value_parser = share)]
    pub shrinkage: Option<f64>,
    /// Highest acceptable agent occupancy (busy time over staffed time): "85%" or "0.85".
    ///
    /// In (0, 1]. Default: `[staffing] max_occupancy`, else no cap.
    #[arg(long, value_name = "SHARE", allow_negative_numbers = true, value_parser = share)]
    pub max_occupancy: Option<f64>,
    /// Highest acceptable ASA (mean wait of answered calls), e.g. "30s".
    ///
    /// Must be positive. Default: `[staffing] target_asa`, else no cap.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub target_asa: Option<Seconds>,
    /// Highest acceptable share of calls abandoning (Erlang A, queues with a patience): "5%" or "0.05".
    ///
    /// In (0, 1]. Ignored by the Erlang C staffing (nobody abandons there).
    /// Default: `[staffing] max_abandon`, else no cap.
    #[arg(long, value_name = "SHARE", allow_negative_numbers = true, value_parser = share)]
    pub max_abandon: Option<f64>,
    /// Skip the staffing chart (write the CSVs only).
    ///
    /// By default `staff` draws `staffing.png` and `staffing.svg` into the output folder: agents
    /// required under Erlang C and Erlang A and agents scheduled per interval (plus the agents
    /// of a simulation already in the folder). `hotline report DIR` draws it later from the CSVs
    /// and adds it to report.html.
    #[arg(long)]
    pub no_charts: bool,
    /// Skip report.xlsx (the CSVs of the folder as one Excel workbook).
    ///
    /// By default `staff` writes report.xlsx next to staffing.csv and staffing_daily.csv, with a
    /// sheet for every hotline CSV in the output folder.
    #[arg(long)]
    pub no_xlsx: bool,
}

/// `--model` of `hotline staff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StaffModelArg {
    /// M/M/c: nobody abandons.
    #[value(alias = "erlang_c")]
    ErlangC,
    /// M/M/c+M: callers abandon after their queue's mean patience.
    #[value(alias = "erlang_a")]
    ErlangA,
}

/// clap value parser for a service-level goal ("80/20").
fn service_level_goal(text: &str) -> Result<ServiceLevelGoal, String> {
    parse_service_level_goal(text)
}

/// clap value parser for a share ("85%" or "0.85"); the flag's own range is checked later.
fn share(text: &str) -> Result<f64, String> {
    parse_share(text)
}

/// clap value parser for a release of closed-queue callback requests.
fn release(text: &str) -> Result<CallbackRelease, String> {
    match text.trim() {
        "when_idle" => Ok(CallbackRelease::WhenIdle),
        "at_opening" => Ok(CallbackRelease::AtOpening),
        other => Err(format!("`{other}`: write when_idle or at_opening")),
    }
}

/// clap value parser for durations in planner notation ("45s", "3m", "1h30m"); a bare number
/// other than 0 is refused with a hint (seconds or minutes?).
fn duration(text: &str) -> Result<Seconds, String> {
    parse_duration_with_unit(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
