//! `hotline plan --compare-nights`: the three night variants, each planned by the loop on the
//! same replications, and their rows of `nights.csv` and `plan.json` (README, "The night
//! question"). The rules of a variant are `crate::schedule::nights`'; the loop and the files
//! are the parent module's.

use super::*;

/// One row of `nights.csv`.
#[derive(Debug, Default, Serialize)]
pub(super) struct NightRow {
    /// `staffed_nights`, `ivr_only_nights`, `desk_24_7`.
    pub(super) variant: String,
    pub(super) cost: f64,
    pub(super) agent_hours: f64,
    /// SL over day intervals (answered within T over answered + abandoned after T).
    pub(super) day_sl: Option<f64>,
    /// The same at night; empty where nobody is served at night.
    pub(super) night_sl: Option<f64>,
    /// Abandoned ÷ (answered − transferred out + abandoned): callers, each once.
    pub(super) abandon_rate: Option<f64>,
    /// Callers routed to a queue in the week (mean over replications), each once: no
    /// transferred-in or closed-callback legs, so the same in every variant.
    pub(super) offered: f64,
    /// The same, in night intervals.
    pub(super) night_offered: f64,
    /// Callers answered in night intervals (legs transferred on excluded).
    pub(super) night_answered: f64,
    /// Callers who met a closed queue at night.
    pub(super) night_closed: f64,
    /// Callback requests offered in the week.
    pub(super) callbacks: f64,
    /// `cost` − `staffed_nights`' cost (negative: cheaper).
    pub(super) cost_vs_staffed: f64,
    /// Mean time from a closed caller's callback request to the answered callback, hours.
    pub(super) callback_delay_mean_h: Option<f64>,
    /// Share of the day's interval × queues with calls whose mean SL meets the goal.
    pub(super) day_sl_share_meeting: f64,
    /// Share of them whose 95 % interval lies wholly below the goal.
    pub(super) day_sl_share_missing_with_confidence: f64,
    /// The same over every interval (as plan_iterations.csv's `share_meeting`, `share_missing…`).
    pub(super) sl_share_meeting: f64,
    pub(super) sl_share_missing_with_confidence: f64,
    /// Per other stated target (empty where none), as in plan_iterations.csv.
    pub(super) asa_share_meeting: Option<f64>,
    pub(super) asa_share_missing_with_confidence: Option<f64>,
    pub(super) abandon_share_meeting: Option<f64>,
    pub(super) abandon_share_missing_with_confidence: Option<f64>,
    pub(super) occupancy_share_meeting: Option<f64>,
    pub(super) occupancy_share_missing_with_confidence: Option<f64>,
    /// Schedules the variant's loop made.
    pub(super) schedules: usize,
    /// Why its loop stopped.
    pub(super) stop: String,
    /// Targets the kept plan still misses with confidence: which, in how many interval ×
    /// queues (pool × intervals for occupancy), and the worst mean; empty when none.
    pub(super) targets_missed: String,
    /// Of the closed-queue callback legs of the week, the share dialled within their queue's
    /// `callback_within` of the opening (Σ within ÷ Σ legs, means); empty without legs or
    /// without a promise.
    pub(super) callbacks_within_promise: Option<f64>,
    /// Share of the interval × queues releasing legs that meet the promise (≥ 95 % of the
    /// legs dialled within it; mean), and that miss it with confidence; empty without.
    pub(super) promise_share_meeting: Option<f64>,
    pub(super) promise_share_missing_with_confidence: Option<f64>,
}

#[derive(Debug, Serialize)]
pub(super) struct NightJson {
    pub(super) night: String,
    pub(super) desk_queues: Vec<String>,
    pub(super) callback_share: f64,
    pub(super) variants: Vec<NightRow>,
}

/// The queues of the 24/7 desk: `--night-desk`, else [`nights::default_desk`].
pub(super) fn desk_queues(model: &Model, names: &[String]) -> Result<Vec<usize>, AppError> {
    if names.is_empty() {
        return Ok(nights::default_desk(model));
    }
    names
        .iter()
        .map(|n| {
            model
                .queues
                .iter()
                .position(|q| &q.name == n)
                .ok_or_else(|| {
                    AppError::Input(format!(
                        "--night-desk: {}",
                        crate::plan::plan_file::unknown_queue(model, n)
                    ))
                })
        })
        .collect()
}

/// Every night variant planned by the loop on the same replications (common random numbers),
/// from its own Erlang A requirements (the closed pools' nights dropped), with the same rules
/// and premiums; each kept plan written into `out/<variant>/`. `staffed` is the loop already
/// run on the scenario.
pub(super) fn compare_nights(
    ctx: &VariantCtx,
    staffed: &plan_loop::Outcome,
    out: &Path,
    args: &PlanArgs,
    say: &dyn Fn(String),
) -> Result<NightJson, AppError> {
    let model = ctx.base.model;
    let mut variants: Vec<NightRow> = Vec::new();
    for policy in NightPolicy::ALL {
        let name = policy.name();
        let planned;
        let (vm, outcome) = if policy == NightPolicy::Staffed {
            (model, staffed)
        } else {
            planned = ctx.run(policy, &mut |it| {
                say(format!("{name}: {}", progress_line(it)))
            })?;
            (&planned.0, &planned.1)
        };
        let kept = &outcome.iterations[outcome.best];
        let dir = out.join(name);
        write_kept(&dir, vm, ctx.base.rules, ctx.base.variants, kept, true)?;
        let rows: Vec<IterationRow> = outcome
            .iterations
            .iter()
            .enumerate()
            .map(|(i, it)| iteration_row(it, i == outcome.best))
            .collect();
        write_csv(&dir.join("plan_iterations.csv"), &rows)?;
        let mut row = night_row(vm, name, outcome, &ctx.base.targets, ctx.night);
        row.cost_vs_staffed = row.cost - variants.first().map_or(row.cost, |s| s.cost);
        variants.push(row);
    }
    Ok(NightJson {
        night: args.night.clone(),
        desk_queues: ctx
            .desk
            .iter()
            .map(|&q| model.queues[q].name.clone())
            .collect(),
        callback_share: args.night_callback,
        variants,
    })
}

fn night_row(
    model: &Model,
    name: &str,
    outcome: &plan_loop::Outcome,
    targets: &Targets,
    night: &[bool],
) -> NightRow {
    let it = &outcome.iterations[outcome.best];
    let f: NightFigures = nights::figures(&it.evaluation.queues, night);
    let sl = Goal::AtLeast(targets.service_level);
    let day = it
        .evaluation
        .tally_in(Kind::ServiceLevel, sl, &|k| !night[k % night.len()]);
    let share = |kind: Kind, f: fn(&Tally) -> f64| it.tally(kind).map(|t| f(&t));
    NightRow {
        variant: name.into(),
        cost: it.cost,
        agent_hours: it.agent_hours,
        day_sl: f.day_sl,
        night_sl: f.night_sl,
        abandon_rate: f.abandon_rate,
        offered: f.offered,
        night_offered: f.night_offered,
        night_answered: f.night_answered,
        night_closed: f.night_closed,
        callbacks: f.callbacks,
        cost_vs_staffed: 0.0,
        callback_delay_mean_h: f.callback_delay_mean_h,
        day_sl_share_meeting: day.share_meeting(),
        day_sl_share_missing_with_confidence: day.share_missing(),
        sl_share_meeting: it.sl().share_meeting(),
        sl_share_missing_with_confidence: it.sl().share_missing(),
        asa_share_meeting: share(Kind::Asa, Tally::share_meeting),
        asa_share_missing_with_confidence: share(Kind::Asa, Tally::share_missing),
        abandon_share_meeting: share(Kind::Abandon, Tally::share_meeting),
        abandon_share_missing_with_confidence: share(Kind::Abandon, Tally::share_missing),
        occupancy_share_meeting: share(Kind::Occupancy, Tally::share_meeting),
        occupancy_share_missing_with_confidence: share(Kind::Occupancy, Tally::share_missing),
        schedules: outcome.iterations.len(),
        stop: outcome.stop.text().into(),
        targets_missed: targets_missed(model, it, targets),
        callbacks_within_promise: f.callbacks_within_promise,
        promise_share_meeting: it.promise.map(|t| t.share_meeting()),
        promise_share_missing_with_confidence: it.promise.map(|t| t.share_missing()),
    }
}
