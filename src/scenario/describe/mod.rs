//! `hotline check`: what hotline understood from a scenario, as plain aligned text a planner
//! reads top to bottom: the horizon, the call volume, where the IVR sends callers, each queue's
//! times and offered load (busiest interval of the horizon, forecasts and surges included), each
//! pool's headcount, each surge's expected extra calls and its target's peak rate, and the
//! notes of validation (shares normalised) and of pools staffed at or below the offered load
//! they carry alone. Computed from the validated model only.

mod shift_rules;

pub use shift_rules::describe_shift_rules;

use std::fmt::Write;

use super::model::{AgentChoice, Handoff, Model, QueueId, StaffingDrop, WhenBusy};
use crate::time::{self, Seconds, WEEKDAYS};

/// The summary printed by `hotline check`.
pub fn describe(m: &Model) -> String {
    let mut out = String::new();
    header(&mut out, m);
    volume(&mut out, m);
    extras(&mut out, m);
    ivr(&mut out, m);
    queues(&mut out, m);
    pools(&mut out, m);
    notes(&mut out, m, &overloaded_pools(m));
    out
}

/// Pools staffed at or below the offered load they must carry alone: per pool, the load of the
/// queues no other pool lists in its `serves` (helpers by `secondary` left out), in every
/// staffed interval. At a = c or above, Erlang C has no steady state: the line grows all day
/// and only abandonment bounds it. One note per pool, at its worst interval.
fn overloaded_pools(m: &Model) -> Vec<String> {
    let calls = expected_per_interval(m);
    let work: Vec<f64> = m
        .queues
        .iter()
        .map(|q| q.handle_time.mean() + q.wrap_up.as_ref().map_or(0.0, |d| d.mean()))
        .collect();
    let mut notes = Vec::new();
    for (pi, p) in m.pools.iter().enumerate() {
        let alone: Vec<usize> = (0..m.queues.len())
            .filter(|&q| {
                let servers: Vec<usize> = m
                    .pools
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.serves.contains(&QueueId(q as u32)))
                    .map(|(i, _)| i)
                    .collect();
                servers == [pi]
            })
            .collect();
        if alone.is_empty() || p.headcount.is_empty() {
            continue;
        }
        let mut staffed = 0;
        let mut over = 0;
        let mut worst: Option<(usize, f64, u32)> = None;
        for (k, c) in calls.iter().enumerate() {
            let agents = p.headcount[k % p.headcount.len()];
            if agents == 0 {
                continue;
            }
            staffed += 1;
            let erlangs: f64 = alone.iter().map(|&q| c[q] / m.interval_s * work[q]).sum();
            if erlangs >= f64::from(agents) {
                over += 1;
                let ratio = erlangs / f64::from(agents);
                if worst.is_none_or(|w| ratio > w.1 / f64::from(w.2)) {
                    worst = Some((k, erlangs, agents));
                }
            }
        }
        if let Some((k, erlangs, agents)) = worst {
            let names: Vec<&str> = alone.iter().map(|&q| m.queues[q].name.as_str()).collect();
            let helped = m.pools.iter().any(|o| {
                alone
                    .iter()
                    .any(|&q| o.secondary.contains(&QueueId(q as u32)))
            });
            notes.push(format!(
                "pool {} has {agents} agents against {erlangs:.1} erlangs offered at {} (queues \
                 only it serves: {}{}); agents ≤ offered load in {over} of {staffed} staffed \
                 intervals: there the line keeps growing and only abandonment{} limits it \
                 (`hotline staff` gives the agents needed)",
                p.name,
                m.calendar.label(k as f64 * m.interval_s),
                names.join(", "),
                if helped {
                    ", before help from secondary pools"
                } else {
                    ""
                },
                if helped { " or the helpers" } else { "" }
            ));
        }
    }
    notes
}

/// A queue's caller classes (nothing without `[[queue.class]]`), and how the policy orders
/// them.
fn caller_classes(out: &mut String, m: &Model, queue: &crate::scenario::Queue) {
    if queue.classes.is_empty() {
        return;
    }
    let order = match m.policy.classes {
        crate::routing::ClassOrder::Fifo => "ignored for order (policy fifo: oldest first)",
        crate::routing::ClassOrder::Strict => "strict priority (policy priority)",
        crate::routing::ClassOrder::Aging => "priority + aging × wait (policy aging)",
    };
    let _ = writeln!(out, "  classes        {order}");
    for c in &queue.classes {
        let _ = writeln!(
            out,
            "    {:<16}{:>6.1}%  priority {}{}",
            c.name,
            100.0 * c.share,
            c.priority,
            if c.aging_per_s > 0.0 {
                format!(", aging {}/min", c.aging_per_s * 60.0)
            } else {
                String::new()
            }
        );
    }
}

/// What validation adjusted without refusing (shares normalised), and pools below their
/// offered load (`load`); nothing when none.
fn notes(out: &mut String, m: &Model, load: &[String]) {
    let warnings = &m.extras.warnings;
    if m.notes.is_empty() && load.is_empty() && warnings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nNotes");
    for w in warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    for n in m.notes.iter().chain(load) {
        let _ = writeln!(out, "  note: {n}");
    }
}

fn header(out: &mut String, m: &Model) {
    let _ = writeln!(out, "Scenario   {}", m.name);
    let _ = writeln!(out, "File       {}", m.source.display());
    match m.calendar.start() {
        Some(d) => {
            let _ = writeln!(
                out,
                "Horizon    {} days from {} {d} 00:00 (local time, no time zone)",
                m.days,
                m.calendar.weekday_label(0.0)
            );
        }
        None => {
            let _ = writeln!(out, "Horizon    {} days from a Monday 00:00", m.days);
        }
    }
    let _ = writeln!(out, "Interval   {}", duration(m.interval_s));
    let _ = writeln!(out, "Seed       {}", m.seed);
    let _ = writeln!(out, "Policy     {} (`hotline policies`)", m.policy);
}

/// The base profile's calls per weekday (left out when it has none and forecasts bring the
/// calls), then the forecasts' per queue.
fn volume(out: &mut String, m: &Model) {
    let per_day = m.calls_per_weekday();
    let forecasts = !m.extras.forecasts.is_empty();
    if forecasts && per_day.iter().sum::<f64>() == 0.0 {
        return forecast_volume(out, m);
    }
    let _ = writeln!(
        out,
        "\nCalls per day{}",
        if forecasts { " (base profile)" } else { "" }
    );
    for (d, calls) in WEEKDAYS.iter().zip(per_day) {
        let _ = writeln!(out, "  {:<6}{:>12}", day_label(d), thousands(calls));
    }
    let _ = writeln!(
        out,
        "  {:<6}{:>12}",
        "Week",
        thousands(per_day.iter().sum())
    );
    if forecasts {
        forecast_volume(out, m);
    }
}

/// Forecast calls per day, one column per queue a forecast feeds: the average of each weekday
/// over the horizon's days of that weekday (a forecast is dated, not a repeating week).
fn forecast_volume(out: &mut String, m: &Model) {
    let fed = forecast_queues(m);
    let per_day = (time::DAY / m.interval_s).round() as usize;
    // [weekday][column]: calls summed over the horizon's days of that weekday, and those days.
    let mut calls = vec![vec![0.0; fed.len()]; 7];
    let mut days = [0u32; 7];
    for d in 0..m.days as usize {
        let w = m.calendar.weekday(d as f64 * time::DAY);
        days[w] += 1;
        for f in &m.extras.forecasts {
            let col = fed.iter().position(|&q| q == f.queue).unwrap_or(0);
            let rates = f.profile.rate_per_s.get(d * per_day..).unwrap_or(&[]);
            let day: f64 = rates.iter().take(per_day).sum();
            calls[w][col] += day * f.profile.segment_s;
        }
    }
    let names = queue_names(m, &fed);
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0).max(10) + 2;
    let _ = writeln!(
        out,
        "\nForecast calls per day (average of each weekday over the horizon, straight to the queue)"
    );
    let mut head = format!("  {:<6}", "");
    for n in &names {
        let _ = write!(head, "{n:>width$}");
    }
    let _ = writeln!(out, "{}", head.trim_end());
    let mut week = vec![0.0; fed.len()];
    for (w, d) in WEEKDAYS.iter().enumerate() {
        let mut line = format!("  {:<6}", day_label(d));
        for (c, total) in week.iter_mut().enumerate() {
            let avg = calls[w][c] / f64::from(days[w].max(1));
            *total += avg;
            let cell = if days[w] == 0 {
                "-".into()
            } else {
                thousands(avg)
            };
            let _ = write!(line, "{cell:>width$}");
        }
        let _ = writeln!(out, "{line}");
    }
    let mut line = format!("  {:<6}", "Week");
    for total in week {
        let _ = write!(line, "{:>width$}", thousands(total));
    }
    let _ = writeln!(out, "{line}");
}

/// The queues some forecast feeds, in queue order.
fn forecast_queues(m: &Model) -> Vec<QueueId> {
    let mut fed: Vec<QueueId> = m.extras.forecasts.iter().map(|f| f.queue).collect();
    fed.sort_by_key(|q| q.0);
    fed.dedup();
    fed
}

/// Arrivals beyond the base profile, one line each; nothing when there are none.
fn extras(out: &mut String, m: &Model) {
    let x = &m.extras;
    let mut lines: Vec<String> = Vec::new();
    if let Some((from, to)) = x.night_window {
        lines.push(format!(
            "night          {}-{} carries a fixed share of each day's calls",
            clock(from),
            clock(to)
        ));
    }
    let weeks = m.arrivals.rate_per_s.len() as f64 * m.arrivals.segment_s / time::WEEK;
    if weeks > 1.5 {
        lines.push(format!(
            "special days   the profile covers {weeks:.0} weeks (calls per day above: week 1)"
        ));
    }
    if let Some(cv) = x.day_cv {
        lines.push(format!("day-to-day     random factor per day, cv {cv}"));
    }
    for f in &x.forecasts {
        let calls: f64 = f.profile.rate_per_s.iter().sum::<f64>() * f.profile.segment_s;
        let name = m
            .queues
            .get(f.queue.0 as usize)
            .map_or("?", |q| q.name.as_str());
        let aht = if f.handle_scale.is_empty() {
            ""
        } else {
            ", AHT per interval"
        };
        let days = x
            .forecast_days
            .iter()
            .find(|(q, _)| *q == f.queue)
            .map_or(String::new(), |(_, d)| format!("; rows for {d}"));
        lines.push(format!(
            "forecast       queue {name}: {} calls in the horizon{aht}{days}",
            thousands(calls)
        ));
    }
    for s in &x.surges {
        lines.push(surge_line(m, s));
    }
    if let Some(r) = &x.replay {
        let how = if r.replace_generated {
            "replaces"
        } else {
            "adds to"
        };
        lines.push(format!(
            "replay         {} {how} the generated calls",
            r.path.display()
        ));
    }
    if let Some(r) = &x.redial {
        lines.push(format!(
            "redials        {:.0}% of abandoning callers call again after {}, at most {} calls{}",
            100.0 * r.probability,
            r.delay.describe(),
            r.max_attempts,
            if r.same_caller {
                ", as the same caller (patience, handle time kept; journeys.csv)"
            } else {
                ""
            }
        ));
    }
    for n in &x.notes {
        lines.push(format!("note           {n}"));
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nArrivals beyond the base profile");
    for l in lines {
        let _ = writeln!(out, "  {l}");
    }
}

/// One surge: when, how big, where, its expected extra calls and its target's peak rate
/// (normal inflow plus this surge, calls per hour), so a planner sees what a multiplier means.
fn surge_line(m: &Model, s: &super::Surge) -> String {
    use crate::arrivals::{Entry, SurgeShape, surge_expected};
    let size = match s.size {
        super::SurgeSize::PeakMultiplier(k) => format!("peak ×{k}"),
        super::SurgeSize::ExtraCalls(n) => format!("{} extra calls", thousands(n)),
    };
    let target = match s.entry {
        Entry::Default => "the center".to_string(),
        Entry::Queue(q) => m
            .queues
            .get(q.0 as usize)
            .map_or(String::new(), |q| format!("queue {}", q.name)),
        Entry::Node(n) => m
            .ivr
            .as_ref()
            .and_then(|i| i.nodes.get(n.0 as usize))
            .map_or(String::new(), |n| format!("IVR node {}", n.name)),
    };
    let inflow = m.normal_inflow(&m.extras.forecasts, s.entry);
    let shape = SurgeShape::of(s);
    let end = shape.end_s().min(m.horizon_s());
    let extra = surge_expected(s, &inflow, shape.start_s, end);
    // The sum of the surge's and the normal rate is piecewise monotone between the parts'
    // segment boundaries and the end of the ramp: its peak is at one of those points (or just
    // before a boundary).
    let normal = |t: f64| inflow.iter().map(|p| p.rate_at(t)).sum::<f64>();
    let surge_rate = |t: f64| match s.size {
        super::SurgeSize::PeakMultiplier(k) => (k - 1.0) * normal(t) * shape.g(t),
        super::SurgeSize::ExtraCalls(n) => {
            let total = shape.integral_to(shape.end_s());
            if total > 0.0 {
                n / total * shape.g(t)
            } else {
                0.0
            }
        }
    };
    let mut points = vec![shape.start_s, (shape.start_s + shape.ramp_s).min(end)];
    for p in &inflow {
        let mut t = shape.start_s;
        while t < end {
            let next = p.profile.segment_end(t).min(end);
            points.push(t);
            points.push(next - 1e-6);
            t = next;
        }
    }
    let (mut peak, mut at, mut normal_at) = (0.0, shape.start_s, 0.0);
    for t in points
        .into_iter()
        .filter(|&t| t >= shape.start_s && t < end)
    {
        let r = normal(t) + surge_rate(t);
        if r > peak {
            (peak, at, normal_at) = (r, t, normal(t));
        }
    }
    format!(
        "surge          {}: {} for {}, {size} on {target}: +{} expected calls; \
         peak {} calls/h at {} (normal {} calls/h)",
        s.name,
        m.calendar.label(s.start_s),
        duration(s.duration_s),
        thousands(extra),
        thousands(3600.0 * peak),
        m.calendar.label((at / 60.0).floor() * 60.0),
        thousands(3600.0 * normal_at)
    )
}

/// `22:00` for seconds since midnight.
fn clock(t: f64) -> String {
    let m = (t / 60.0).round() as u64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Where calls go: the base profile's through the IVR (or to the first queue without one),
/// forecast calls straight to their queues.
fn ivr(out: &mut String, m: &Model) {
    let fed = queue_names(m, &forecast_queues(m));
    let forecast = (!fed.is_empty()).then(|| {
        format!(
            "forecast calls go straight to their queue ({}), skipping the IVR",
            fed.join(", ")
        )
    });
    let Some(ivr) = &m.ivr else {
        let first = m.queues.first().map_or("-", |q| q.name.as_str());
        let base = m.calls_per_weekday().iter().sum::<f64>() > 0.0;
        match (&forecast, base) {
            (None, _) => {
                let _ = writeln!(out, "\nIVR        none: every call goes to queue `{first}`");
            }
            (Some(f), false) => {
                let _ = writeln!(out, "\nIVR        none: {f}");
            }
            (Some(f), true) => {
                let _ = writeln!(
                    out,
                    "\nIVR        none: the base profile's calls go to queue `{first}`; {f}"
                );
            }
        }
        return;
    };
    let shares = ivr.outcome_shares(m.queues.len());
    let _ = writeln!(
        out,
        "\nIVR        {} nodes, mean time in IVR {}",
        ivr.nodes.len(),
        duration(ivr.mean_time_s().round())
    );
    let _ = writeln!(
        out,
        "  {:<22}{:>7.1}%",
        "self-service",
        100.0 * shares.self_service
    );
    let _ = writeln!(out, "  {:<22}{:>7.1}%", "hang-up", 100.0 * shares.hang_up);
    for (q, share) in m.queues.iter().zip(&shares.queue) {
        let _ = writeln!(
            out,
            "  {:<22}{:>7.1}%",
            format!("queue {}", q.name),
            100.0 * share
        );
    }
    if let Some(f) = forecast {
        let _ = writeln!(out, "  {f}");
    }
}

fn queues(out: &mut String, m: &Model) {
    let calls = expected_per_interval(m);
    for (q, queue) in m.queues.iter().enumerate() {
        let none = || "none".to_string();
        let _ = writeln!(out, "\nQueue {}", queue.name);
        let _ = writeln!(out, "  handle time    {}", queue.handle_time.describe());
        let _ = writeln!(
            out,
            "  wrap-up        {}",
            queue.wrap_up.as_ref().map_or_else(none, |d| d.describe())
        );
        let _ = writeln!(
            out,
            "  patience       {}",
            queue
                .patience
                .as_ref()
                .map_or_else(|| "none (callers never abandon)".into(), |d| d.describe())
        );
        let _ = writeln!(out, "  SL threshold   {}", duration(queue.sl_threshold_s));
        if let Some(h) = &queue.hours {
            // A table with special days' hours covers whole weeks of the horizon: the mean week.
            let weeks = (h.open.len() as f64 * m.interval_s / (7.0 * crate::time::DAY)).max(1.0);
            let open_s = h.open.iter().filter(|&&o| o).count() as f64 * m.interval_s / weeks;
            let _ = writeln!(
                out,
                "  open           {} h a week{}{}; closed: {} message, then {:.0}% self-service{}, the rest hang up",
                thousands(open_s / 3600.0),
                if weeks > 1.0 {
                    " (mean over the horizon, special days' hours included)"
                } else {
                    ""
                },
                if h.closed_days.is_empty() {
                    String::new()
                } else {
                    format!(", closed all day on {} special day(s)", h.closed_days.len())
                },
                duration(h.message_s),
                100.0 * h.self_service,
                if h.callback > 0.0 {
                    format!(
                        ", {:.0}% leave a callback request for the next opening",
                        100.0 * h.callback
                    )
                } else {
                    String::new()
                }
            );
        }
        if let Some(c) = &queue.callback {
            let _ = writeln!(
                out,
                "  callback       offered above {} expected wait, {:.0}% accept, {:.0}% answer, {} retries {} apart{}",
                duration(c.offer_above_s),
                100.0 * c.accept,
                100.0 * c.answer,
                c.retries,
                duration(c.retry_after_s),
                if m.policy.callbacks {
                    ""
                } else {
                    " (off: the policy has no `callback`)"
                }
            );
        }
        caller_classes(out, m, queue);
        transfers(out, m, q);
        let total: f64 = calls.iter().map(|c| c[q]).sum();
        let _ = writeln!(
            out,
            "  calls per day  {} (average over the horizon)",
            thousands(total / f64::from(m.days.max(1)))
        );
        let _ = writeln!(
            out,
            "  offered load   {}",
            load(m, QueueId(q as u32), &calls)
        );
    }
}

/// `[[queue.transfer]]` out of queue `q`, and a warning that legs transferred in are not in
/// the expected calls and load printed after it.
fn transfers(out: &mut String, m: &Model, q: usize) {
    let Some(list) = m.extras.transfers.get(q) else {
        return;
    };
    for t in list {
        let how = match &t.handoff {
            Handoff::AfterWrapUp => "blind, after wrap-up".to_string(),
            Handoff::EndOfTalk => "blind, at end of talk".to_string(),
            Handoff::Consult(d) => format!("after a consult ({}), back to the agent", d.describe()),
            Handoff::Conference(d) => format!("after a conference ({})", d.describe()),
        };
        let busy = match t.when_busy {
            WhenBusy::Wait => "waits in line",
            WhenBusy::Disconnect => "is disconnected",
        };
        let _ = writeln!(
            out,
            "  transfers      {:.1}% of answered calls to {}: {how}; with no agent of {1} free \
             the caller {busy}",
            100.0 * t.share,
            m.queues[t.to.0 as usize].name
        );
    }
    if m.extras
        .transfers
        .iter()
        .flatten()
        .any(|t| t.to.0 as usize == q)
    {
        let _ = writeln!(
            out,
            "  transfers in   from other queues: not in the calls and load below (see transferred_in)"
        );
    }
}

/// Expected calls per statistics interval of the horizon and queue: base profile, forecasts
/// and surges through the IVR, as `arrivals.csv` and `hotline staff` count them.
fn expected_per_interval(m: &Model) -> Vec<Vec<f64>> {
    (0..m.interval_count())
        .map(|k| {
            let a = k as f64 * m.interval_s;
            crate::arrivals::expected_calls(m, a, a + m.interval_s).0
        })
        .collect()
}

/// Offered load in erlangs, λ × E[handle + wrap-up] (Little's law, at the queue's own
/// handle-time mean), at the busiest interval of the horizon (forecasts and surges included)
/// and averaged over the intervals in which some pool serving the queue is staffed.
fn load(m: &Model, q: QueueId, calls: &[Vec<f64>]) -> String {
    let Some(queue) = m.queues.get(q.0 as usize) else {
        return String::new();
    };
    let work = queue.handle_time.mean() + queue.wrap_up.as_ref().map_or(0.0, |d| d.mean());
    let erlangs: Vec<f64> = calls
        .iter()
        .map(|c| c[q.0 as usize] / m.interval_s * work)
        .collect();
    let (peak_k, peak) =
        erlangs.iter().enumerate().fold(
            (0, 0.0),
            |best, (k, &e)| if e > best.1 { (k, e) } else { best },
        );
    let open: Vec<f64> = erlangs
        .iter()
        .enumerate()
        .filter(|&(k, _)| {
            m.pools.iter().any(|p| {
                p.serves.contains(&q)
                    && !p.headcount.is_empty()
                    && p.headcount[k % p.headcount.len()] > 0
            })
        })
        .map(|(_, &e)| e)
        .collect();
    let average = if open.is_empty() {
        "never staffed".to_string()
    } else {
        format!(
            "{:.1} erlangs on average over staffed intervals",
            open.iter().sum::<f64>() / open.len() as f64
        )
    };
    format!(
        "{peak:.1} erlangs at the busiest interval ({}), {average}",
        m.calendar.label(peak_k as f64 * m.interval_s)
    )
}

fn pools(out: &mut String, m: &Model) {
    if let Some(n) = m.center.lines {
        let _ = writeln!(
            out,
            "\nLines          {n} simultaneous calls (IVR, waiting, talking); more are blocked"
        );
    }
    let choice = match m.center.agent_choice {
        AgentChoice::LongestIdle => None,
        AgentChoice::PrimaryFirst => Some("primary first: a queue's own pools before helper pools"),
        AgentChoice::Random => Some("random: any idle eligible agent, equally likely"),
        AgentChoice::ByPoolRank => {
            Some("by pool rank: the first pool as written with an idle agent")
        }
    };
    if let Some(choice) = choice {
        let _ = writeln!(out, "Agent choice   {choice}");
    }
    if m.center.staffing_drop == StaffingDrop::FirstFree {
        let _ = writeln!(
            out,
            "Headcount drop first free: the first agents to finish a call leave"
        );
    }
    for p in &m.pools {
        let serves = queue_names(m, &p.serves);
        let min = p.headcount.iter().min().copied().unwrap_or(0);
        let max = p.headcount.iter().max().copied().unwrap_or(0);
        let hours: f64 =
            p.headcount.iter().map(|&n| f64::from(n)).sum::<f64>() * m.interval_s / 3600.0;
        let _ = writeln!(out, "\nPool {}", p.name);
        let _ = writeln!(out, "  serves         {}", serves.join(", "));
        // The routing table, written or expanded from the shorthands under this policy.
        let rows: Vec<String> = p
            .table(m.policy.overflow)
            .iter()
            .map(|t| {
                let when = if t.after_s == 0.0 {
                    "at once".to_string()
                } else {
                    format!("after {}", duration(t.after_s))
                };
                let name = m
                    .queues
                    .get(t.queue.0 as usize)
                    .map_or("?", |q| q.name.as_str());
                format!("{name} (priority {}, {when})", t.priority)
            })
            .collect();
        let _ = writeln!(out, "  takes          {}", rows.join(", "));
        let factors: Vec<String> = (0..m.queues.len())
            .map(|q| QueueId(q as u32))
            .filter(|&q| p.handle_factor(q) != 1.0)
            .map(|q| format!("×{} on {}", p.handle_factor(q), m.queues[q.0 as usize].name))
            .collect();
        if !factors.is_empty() {
            let _ = writeln!(
                out,
                "  handle time    {} (this pool's agents against the queue's own)",
                factors.join(", ")
            );
        }
        let _ = writeln!(out, "  agents         {min}–{max} per interval");
        let _ = writeln!(out, "  agent-hours    {} per week", thousands(hours));
    }
}

/// The names of `queues`, in order.
fn queue_names<'m>(m: &'m Model, queues: &[QueueId]) -> Vec<&'m str> {
    queues
        .iter()
        .filter_map(|q| m.queues.get(q.0 as usize))
        .map(|q| q.name.as_str())
        .collect()
}

fn day_label(d: &str) -> String {
    let mut s = d.to_string();
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    s
}

fn duration(s: f64) -> String {
    time::format_duration(Seconds(s))
}

/// A count rounded to a whole number with thousands separators: 12,345.
fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
