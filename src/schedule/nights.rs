//! The night question of `hotline plan --compare-nights`: the same week planned three ways —
//! nights staffed as the plan does, IVR-only nights (every queue closed at night, no agents),
//! and a small 24/7 desk (the desk's queues open, the others closed) — and the figures a
//! planner compares them by.
//!
//! Owns what "night" means (intervals *starting* inside a time-of-day window, default
//! 20:00-08:00, wrapping midnight), the three policies ([`NightPolicy`]), how a variant closes
//! queues (opening hours on the model with the closed message and the callback share) and
//! drops their pools' night requirements ([`variant_model`]), and the day / night figures
//! summed from the simulated means. Planning each variant (the loop), scheduling and
//! simulating are the caller's.

use super::plan_loop::Measured;
use crate::plan::plan_file::queue_owners;
use crate::scenario::{ClosedRelease, Model, OpenHours};

/// How a variant of `--compare-nights` handles the night.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NightPolicy {
    /// Nights staffed as the plan does.
    Staffed,
    /// Every queue closed at night, no agents.
    IvrOnly,
    /// The desk's queues open 24/7, the others closed at night.
    Desk,
}

impl NightPolicy {
    pub const ALL: [NightPolicy; 3] = [
        NightPolicy::Staffed,
        NightPolicy::IvrOnly,
        NightPolicy::Desk,
    ];

    /// The name in nights.csv, the subfolder and `--night-variant`.
    pub fn name(self) -> &'static str {
        match self {
            NightPolicy::Staffed => "staffed_nights",
            NightPolicy::IvrOnly => "ivr_only_nights",
            NightPolicy::Desk => "desk_24_7",
        }
    }

    /// Reads a name of [`NightPolicy::name`]; the message lists them.
    pub fn parse(text: &str) -> Result<NightPolicy, String> {
        NightPolicy::ALL
            .into_iter()
            .find(|p| p.name() == text.trim())
            .ok_or_else(|| {
                format!(
                    "`{text}` is not a night variant; write one of {}",
                    NightPolicy::ALL.map(NightPolicy::name).join(", ")
                )
            })
    }

    /// Which queues stay open at night (`None`: the model as it is, nights staffed).
    pub fn open_at_night(self, queues: usize, desk: &[usize]) -> Option<Vec<bool>> {
        match self {
            NightPolicy::Staffed => None,
            NightPolicy::IvrOnly => Some(vec![false; queues]),
            NightPolicy::Desk => Some((0..queues).map(|q| desk.contains(&q)).collect()),
        }
    }
}

/// `model` under `policy`: the queues not open at night closed there (closed message,
/// `callback` of the closed callers leave a request), and the pools whose night requirement
/// goes (pools planning only closed queues; none for staffed nights).
///
/// `release`: how the closed queues' requests are called back (`[queue.closed] callbacks`),
/// with the promise `release.within_s` where the queue states none of its own.
pub fn variant_model(
    model: &Model,
    policy: NightPolicy,
    desk: &[usize],
    night: &[bool],
    callback: f64,
    release: ClosedRelease,
) -> (Model, Vec<bool>) {
    let mut m = model.clone();
    let Some(open) = policy.open_at_night(model.queues.len(), desk) else {
        return (m, vec![false; model.pools.len()]);
    };
    for (q, &o) in open.iter().enumerate() {
        if !o {
            close_at_night(&mut m, q, night, callback);
            // A queue's own promise keeps its own share.
            let own = m.queues[q].closed_release;
            m.queues[q].closed_release = match own.within_s {
                Some(_) => ClosedRelease {
                    within_s: own.within_s,
                    within_share: own.within_share,
                    ..release
                },
                None => release,
            };
        }
    }
    (m, closed_pools(model, &open))
}

/// Length of the closed message a night variant plays, seconds (when the queue has none).
pub const CLOSED_MESSAGE_S: f64 = 20.0;

/// Parses `HH:MM-HH:MM` into minutes since midnight (from, to); `to` may be before `from`
/// (the window wraps midnight).
pub fn parse_window(text: &str) -> Result<(u32, u32), String> {
    let clock = |t: &str| -> Option<u32> {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
    };
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| format!("`{text}`: write the night as HH:MM-HH:MM, e.g. 20:00-08:00"))?;
    let (Some(a), Some(b)) = (clock(a), clock(b)) else {
        return Err(format!(
            "`{text}`: write the night as HH:MM-HH:MM, e.g. 20:00-08:00"
        ));
    };
    if a % 1440 == b % 1440 {
        return Err(format!("`{text}`: the night is empty (start = end)"));
    }
    Ok((a % 1440, b % 1440))
}

/// Whether each interval of the horizon starts at night.
pub fn night_mask(model: &Model, (from, to): (u32, u32)) -> Vec<bool> {
    (0..model.interval_count())
        .map(|k| {
            let m = ((k as f64 * model.interval_s / 60.0).round() as u32) % 1440;
            if from < to {
                m >= from && m < to
            } else {
                m >= from || m < to
            }
        })
        .collect()
}

/// Closes queue `q` in every night interval (ANDed with its own opening hours): callers hear
/// the closed message; `callback` of them leave a callback request for the next opening.
pub fn close_at_night(model: &mut Model, q: usize, night: &[bool], callback: f64) {
    let n = night.len();
    let mut hours = model.queues[q].hours.clone().unwrap_or(OpenHours {
        open: vec![true; n],
        closed_days: Vec::new(),
        message_s: CLOSED_MESSAGE_S,
        self_service: 0.0,
        callback: 0.0,
        disconnect_waiting: false,
    });
    let len = hours.open.len();
    hours.open = (0..n.max(len))
        .map(|k| hours.open[k % len] && !night[k % n])
        .collect();
    hours.callback = callback.min(1.0 - hours.self_service).max(0.0);
    model.queues[q].hours = Some(hours);
}

/// The requirements with every night interval of the pools in `closed_pools` set to 0.
pub fn drop_night_requirements(
    required: &[Vec<u32>],
    closed_pools: &[bool],
    night: &[bool],
) -> Vec<Vec<u32>> {
    required
        .iter()
        .zip(closed_pools)
        .map(|(row, &closed)| {
            row.iter()
                .zip(night)
                .map(|(&r, &n)| if closed && n { 0 } else { r })
                .collect()
        })
        .collect()
}

/// The default 24/7 desk: the queues whose opening hours are 24/7 — open in every interval of
/// the week (`hours = "24/7"`, or no hours: always open) — when some queue of the scenario
/// closes. A special day's `closed_queues` does not count: the desk is about the week.
///
/// A scenario that states no closing hours at all says nothing about which line must be
/// answered at night; then the desk is the queues served by a pool that serves only them (a
/// dedicated desk, e.g. `cards` on weekly-plan.toml).
pub fn default_desk(model: &Model) -> Vec<usize> {
    let always_open: Vec<usize> = (0..model.queues.len())
        .filter(|&q| {
            model.queues[q]
                .hours
                .as_ref()
                .is_none_or(|h| h.open.iter().all(|&o| o))
        })
        .collect();
    if always_open.len() < model.queues.len() {
        return always_open;
    }
    let mut out: Vec<usize> = model
        .pools
        .iter()
        .filter(|p| p.serves.len() < model.queues.len() && p.secondary.is_empty())
        .filter(|p| p.serves.len() == 1)
        .flat_map(|p| p.serves.iter().map(|q| q.0 as usize))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The pools whose night requirement goes when `open[q]` says which queues stay open: pools
/// planning only closed queues.
pub fn closed_pools(model: &Model, open: &[bool]) -> Vec<bool> {
    let owners = queue_owners(model);
    (0..model.pools.len())
        .map(|p| {
            !owners
                .iter()
                .enumerate()
                .any(|(q, o)| *o == Some(p) && open[q])
        })
        .collect()
}

/// Day and night figures of one simulated variant, sums of the means over replications.
///
/// Counts are of **callers**, each once: a transferred-in leg and a closed-queue callback leg
/// are the same caller again, so they are not in `offered` / `night_offered`, and an answered
/// leg transferred on is not an outcome (the caller's outcome is on the next leg). Service
/// levels stay per leg, as `intervals.csv` defines them (a callback leg's wait runs from the
/// opening).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NightFigures {
    /// SL over the day intervals: Σ answered within ÷ Σ (answered + abandoned after T).
    pub day_sl: Option<f64>,
    /// The same over the night intervals (`None` where under 5 % of the night's callers are
    /// answered: nobody is really served at night).
    pub night_sl: Option<f64>,
    /// Callers who abandoned ÷ callers whose wait ended answered or abandoned, the whole week:
    /// abandoned ÷ (answered − transferred out + abandoned). A closed caller answered by a
    /// callback counts once, answered; a closed caller who left no request counts neither way.
    pub abandon_rate: Option<f64>,
    /// Callers routed to a queue in the week (means): `offered` without transferred-in and
    /// closed-callback legs, hence the same in every variant on common random numbers.
    pub offered: f64,
    /// The same, of night intervals.
    pub night_offered: f64,
    /// Callers answered in night intervals (the legs transferred on excluded).
    pub night_answered: f64,
    /// Callers meeting a closed queue at night.
    pub night_closed: f64,
    /// Callback requests: accepted callback offers plus closed callers' requests.
    pub callbacks: f64,
    /// Mean time from a closed caller's request to the answered callback, hours: each
    /// interval's mean delay weighted by its mean answered callbacks (`None` without any).
    pub callback_delay_mean_h: Option<f64>,
    /// Of the closed-queue callback legs, the share dialled within the promise (Σ legs
    /// within ÷ Σ legs, each interval's legs × its mean share); `None` without legs or promise.
    pub callbacks_within_promise: Option<f64>,
}

/// Sums `ev` (`[queue][interval]`, the queues of a `plan_loop::Evaluation`) into day / night
/// figures.
pub fn figures(ev: &[Vec<Measured>], night: &[bool]) -> NightFigures {
    let mut f = NightFigures::default();
    let (mut dw, mut dd, mut nw, mut nd, mut ab, mut left) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut delay, mut called_back) = (0.0, 0.0);
    let (mut within, mut released) = (0.0, 0.0);
    for row in ev {
        for (k, m) in row.iter().enumerate() {
            let sl_denom = m.answered + m.abandoned - m.abandoned_within;
            let answered = m.answered - m.transferred_out;
            f.offered += m.callers();
            f.callbacks += m.callback_requests;
            if let Some(d) = m.closed_callback_delay_mean_s {
                delay += d * m.closed_callbacks_completed;
                called_back += m.closed_callbacks_completed;
            }
            if let Some(share) = m.callback_share.mean {
                let legs = m.closed_callbacks + m.outbound_callbacks;
                within += share * legs;
                released += legs;
            }
            // A `when_idle` leg is not an inbound answer, but its caller was served.
            let served_by_callback = if m.outbound_callbacks > 0.0 {
                m.closed_callbacks_completed
            } else {
                0.0
            };
            ab += m.abandoned;
            left += answered + served_by_callback + m.abandoned;
            if night[k % night.len()] {
                nw += m.answered_within;
                nd += sl_denom;
                f.night_offered += m.callers();
                f.night_answered += answered;
                f.night_closed += m.closed;
            } else {
                dw += m.answered_within;
                dd += sl_denom;
            }
        }
    }
    let r = |a: f64, b: f64| (b > 0.0).then(|| a / b);
    f.day_sl = r(dw, dd);
    // Where hardly anyone is served at night (under 5 % of the night's callers: the stragglers
    // of the evening shift in an IVR-only variant), a night SL would be a figure about nothing.
    f.night_sl = r(nw, nd).filter(|_| f.night_answered >= 0.05 * f.night_offered);
    f.abandon_rate = r(ab, left);
    f.callback_delay_mean_h = r(delay, called_back).map(|s| s / 3600.0);
    f.callbacks_within_promise = r(within, released);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_night_window_wraps_midnight() {
        assert_eq!(parse_window("20:00-08:00"), Ok((1200, 480)));
        assert!(parse_window("20:00").is_err());
        assert!(parse_window("25:00-08:00").is_err());
        assert!(parse_window("08:00-08:00").is_err());
    }

    /// A closed caller's callback leg and a transferred leg are the same callers again: each
    /// caller is offered once and has one outcome.
    #[test]
    fn figures_count_callers_not_legs() {
        // Day interval: 100 callers, 10 transferred on (and offered again here), 40 callback
        // legs of last night's requests; 130 answered legs (10 of them transferred on), 20
        // abandoned. Night interval: 50 callers, 50 closed, 40 of them leave a request.
        let day = Measured {
            offered: 150.0,
            transferred_in: 10.0,
            closed_callbacks: 40.0,
            answered: 130.0,
            transferred_out: 10.0,
            abandoned: 20.0,
            ..Measured::default()
        };
        let night = Measured {
            offered: 50.0,
            closed: 50.0,
            callback_requests: 40.0,
            ..Measured::default()
        };
        let f = figures(&[vec![day, night]], &[false, true]);
        assert_eq!(f.offered, 150.0);
        assert_eq!(f.night_offered, 50.0);
        // 20 abandoned of 140 callers answered or abandoned (not of 150 legs).
        assert_eq!(f.abandon_rate, Some(20.0 / 140.0));
    }
}
