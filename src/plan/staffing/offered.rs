//! What reaches the agents of each queue in one interval (the parent module's doc, "What
//! reaches the agents"): the expected direct calls, the closed-queue backlog released at the
//! openings, transferred-in legs followed through chains, and the consults and conferences
//! received. The backlog carries from interval to interval, so the planner walks them in order.

use super::Planner;
use crate::arrivals::expected_calls;
use crate::scenario::{CallbackRelease, Handoff, Transfer};
use crate::time::DAY;

/// One interval's calls per queue as the agents meet them (see the module's "What reaches the
/// agents").
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Offered {
    /// Expected calls arriving for the queue (base profile, forecasts, surges through the IVR).
    pub(super) direct: Vec<f64>,
    /// Callback legs of the closed-queue backlog plus transferred-in legs (0 while closed).
    pub(super) legs: Vec<f64>,
    /// Consults received (counted as calls of the consult's length; 0 while closed).
    pub(super) consults: Vec<f64>,
    /// Agent seconds of consults and conferences received (0 while closed).
    pub(super) joint_in_s: Vec<f64>,
    /// The queue takes calls in the interval.
    pub(super) open: Vec<bool>,
}

impl Planner<'_> {
    /// The calls of interval `k`, after bringing the backlog up to `k` (replaying from 0 when
    /// `k` was already passed).
    pub(super) fn offered_until(&mut self, k: u64) -> Offered {
        if k < self.backlog_at {
            self.backlog.fill(0.0);
            self.trickle.fill((0.0, 0));
            self.backlog_at = 0;
        }
        while self.backlog_at < k {
            self.offered(self.backlog_at);
        }
        self.offered(k)
    }

    /// The calls of interval `k` per queue; moves the backlog past `k` (adds the requests of
    /// queues closed in `k`, releases those of queues open in `k`).
    fn offered(&mut self, k: u64) -> Offered {
        let m = self.model;
        let len = m.interval_s;
        let (direct, _) = expected_calls(m, k as f64 * len, (k + 1) as f64 * len);
        self.backlog_at = k + 1;
        let nq = direct.len();
        if !self.routed {
            return Offered {
                direct,
                legs: vec![0.0; nq],
                consults: vec![0.0; nq],
                joint_in_s: vec![0.0; nq],
                open: vec![true; nq],
            };
        }
        let per_day = (DAY / len).round() as u64;
        let open: Vec<bool> = m
            .queues
            .iter()
            .map(|q| q.hours.as_ref().is_none_or(|h| h.is_open(k, per_day)))
            .collect();
        let released: Vec<f64> = (0..nq)
            .map(|q| {
                if open[q] {
                    let b = std::mem::take(&mut self.backlog[q]);
                    self.release(q, b)
                } else {
                    0.0
                }
            })
            .collect();
        let transferred = transferred_in(&m.extras.transfers, &direct, &released, &open);
        for (q, queue) in m.queues.iter().enumerate() {
            if let (false, Some(h)) = (open[q], &queue.hours) {
                self.backlog[q] += (direct[q] + transferred[q]) * h.callback;
            }
        }
        let legs = (0..nq)
            .map(|q| {
                if open[q] {
                    released[q] + transferred[q]
                } else {
                    0.0
                }
            })
            .collect();
        let (consults, joint_in_s) =
            joint_in(&m.extras.transfers, &direct, &released, &transferred, &open);
        Offered {
            direct,
            legs,
            consults,
            joint_in_s,
            open,
        }
    }

    /// The legs of queue `q` released in an open interval that frees a backlog of `b`
    /// requests: all of them at the opening (`at_opening`, or `when_idle` without a promise);
    /// under `when_idle` with `callback_within` W, b ÷ ⌈W ÷ I⌉ in each of the ⌈W ÷ I⌉ open
    /// intervals from the opening (the work the promise asks for, spread evenly over its
    /// window; the legs yield to inbound callers, so counting them as load errs towards
    /// more agents).
    fn release(&mut self, q: usize, b: f64) -> f64 {
        let r = self.model.queues[q].closed_release;
        let parts = match (r.release, r.within_s) {
            (CallbackRelease::WhenIdle, Some(w)) => (w / self.model.interval_s).ceil().max(1.0),
            _ => return b,
        };
        let (per, left) = &mut self.trickle[q];
        if b > 0.0 {
            // A backlog still spreading joins the new one (the total is kept).
            *per = (*per * f64::from(*left) + b) / parts;
            *left = parts as u32;
        }
        if *left == 0 {
            return 0.0;
        }
        let out = *per;
        *left -= 1;
        if *left == 0 {
            *per = 0.0;
        }
        out
    }
}

/// Transferred-in legs per queue in one interval: `in[b] = Σ_a share(a → b) × answered[a]`,
/// where a queue answers its direct calls, released backlog and own transferred-in legs while
/// open (nothing while closed). Chains and loops are followed by fixed-point iteration; the
/// shares of a queue sum to at most 1, so each round adds a geometrically smaller amount (a
/// chain of n queues is exact after n rounds).
fn transferred_in(
    transfers: &[Vec<Transfer>],
    direct: &[f64],
    released: &[f64],
    open: &[bool],
) -> Vec<f64> {
    let nq = direct.len();
    let mut legs = vec![0.0; nq];
    if transfers.iter().all(Vec::is_empty) {
        return legs;
    }
    for _ in 0..TRANSFER_ROUNDS {
        let mut next = vec![0.0; nq];
        for (a, list) in transfers.iter().enumerate() {
            if !open[a] {
                continue;
            }
            let answered = direct[a] + released[a] + legs[a];
            for t in list {
                if !matches!(t.handoff, Handoff::Consult(_)) {
                    next[t.to.0 as usize] += t.share * answered;
                }
            }
        }
        let moved = next
            .iter()
            .zip(&legs)
            .map(|(n, l)| (n - l).abs())
            .fold(0.0, f64::max);
        legs = next;
        if moved <= 1e-12 * legs.iter().fold(1.0, |m: f64, &l| m.max(l)) {
            break;
        }
    }
    legs
}

/// Consults received per queue in one interval, and the agent seconds of consults and
/// conferences received: `share × answered[a]` per row of an open sending queue `a` (answered:
/// its direct calls, released backlog and transferred-in legs), each for the row's mean time.
fn joint_in(
    transfers: &[Vec<Transfer>],
    direct: &[f64],
    released: &[f64],
    legs: &[f64],
    open: &[bool],
) -> (Vec<f64>, Vec<f64>) {
    let nq = direct.len();
    let (mut consults, mut work_s) = (vec![0.0; nq], vec![0.0; nq]);
    for (a, list) in transfers.iter().enumerate() {
        if !open[a] {
            continue;
        }
        let answered = direct[a] + released[a] + legs[a];
        for t in list {
            let to = t.to.0 as usize;
            if !open[to] {
                continue;
            }
            if let Handoff::Consult(_) = t.handoff {
                consults[to] += t.share * answered;
            }
            work_s[to] += t.share * answered * joint_mean_s(t);
        }
    }
    (consults, work_s)
}

/// The mean consult or conference time of a transfer row, seconds (0 for a blind transfer).
pub(super) fn joint_mean_s(t: &Transfer) -> f64 {
    match &t.handoff {
        Handoff::Consult(d) | Handoff::Conference(d) => d.mean(),
        Handoff::AfterWrapUp | Handoff::EndOfTalk => 0.0,
    }
}

/// Rounds of [`transferred_in`] at most: a loop whose shares are all 1 never settles (its
/// callers would be transferred for ever); the bound keeps the planner finite there.
const TRANSFER_ROUNDS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::QueueId;

    #[test]
    fn transfers_follow_chains_and_a_closed_queue_passes_nothing_on() {
        let to = |q: u32, share: f64| Transfer::blind(QueueId(q), share);
        // 0 → 1 (half), 1 → 2 (a fifth of what 1 answers: its own 10 and the 50 from 0).
        let transfers = vec![vec![to(1, 0.5)], vec![to(2, 0.2)], Vec::new()];
        let legs = transferred_in(&transfers, &[100.0, 10.0, 0.0], &[0.0; 3], &[true; 3]);
        assert_eq!(legs, vec![0.0, 50.0, 12.0]);
        // Queue 1 closed: its callers and legs are closed there, nothing reaches 2.
        let legs = transferred_in(
            &transfers,
            &[100.0, 10.0, 0.0],
            &[0.0, 0.0, 0.0],
            &[true, false, true],
        );
        assert_eq!(legs, vec![0.0, 50.0, 0.0]);
        // A released backlog is answered, then transferred like any call.
        let legs = transferred_in(&transfers, &[0.0; 3], &[40.0, 0.0, 0.0], &[true; 3]);
        assert_eq!(legs, vec![0.0, 20.0, 4.0]);
    }

    #[test]
    fn consults_and_conferences_are_agent_time_on_the_receiving_queue() {
        use crate::dist::Dist;
        let consult = Transfer {
            handoff: Handoff::Consult(Dist::deterministic(60.0).unwrap()),
            ..Transfer::blind(QueueId(1), 0.1)
        };
        let conference = Transfer {
            handoff: Handoff::Conference(Dist::deterministic(120.0).unwrap()),
            ..Transfer::blind(QueueId(2), 0.2)
        };
        let transfers = vec![
            vec![consult.clone(), conference.clone()],
            Vec::new(),
            Vec::new(),
        ];
        // 100 answered on queue 0: 10 consults of 60 s on 1, 20 conference legs on 2 with
        // 120 s more each; only the conference moves callers.
        let (consults, work) = joint_in(
            &transfers,
            &[80.0, 0.0, 0.0],
            &[0.0; 3],
            &[20.0, 0.0, 0.0],
            &[true; 3],
        );
        assert_eq!(consults, vec![0.0, 10.0, 0.0]);
        assert_eq!(work, vec![0.0, 600.0, 2400.0]);
        let legs = transferred_in(&transfers, &[100.0, 0.0, 0.0], &[0.0; 3], &[true; 3]);
        assert_eq!(legs, vec![0.0, 0.0, 20.0]);
        // A closed receiving queue gets nothing; the first agent's part is share × mean time.
        let (consults, _) = joint_in(
            &transfers,
            &[100.0, 0.0, 0.0],
            &[0.0; 3],
            &[0.0; 3],
            &[true, false, true],
        );
        assert_eq!(consults, vec![0.0; 3]);
        assert_eq!(
            0.1 * joint_mean_s(&consult) + 0.2 * joint_mean_s(&conference),
            30.0
        );
    }
}
