//! The IVR menu tree a caller walks: menus, self-service, pressing 0 for an operator.
//!
//! A caller's whole path is drawn at once, at arrival, from the caller's own IVR stream: the
//! time spent in the IVR and where it ends. The engine then needs one event (IVR exit) per caller
//! however deep the menu.

use rand::Rng;

use crate::scenario::{Ivr, IvrTarget, NodeId};

/// Where a caller's IVR path ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IvrEnd {
    Queue(crate::scenario::QueueId),
    SelfService,
    HangUp,
}

/// Walks the menu tree from `start`; returns seconds spent in the IVR and the end.
///
/// The tree is validated acyclic, so the walk ends after at most `nodes.len()` steps.
pub fn walk<R: Rng + ?Sized>(ivr: &Ivr, start: NodeId, rng: &mut R) -> (f64, IvrEnd) {
    let mut node = start;
    let mut spent = 0.0;
    for _ in 0..=ivr.nodes.len() {
        let n = &ivr.nodes[node.0 as usize];
        spent += n.duration.sample(rng);
        let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let mut acc = 0.0;
        // The last option absorbs rounding: probabilities are normalised to sum to 1.
        let mut target = n
            .options
            .last()
            .map(|o| o.target)
            .unwrap_or(IvrTarget::HangUp);
        for o in &n.options {
            acc += o.probability;
            if u < acc {
                target = o.target;
                break;
            }
        }
        match target {
            IvrTarget::Node(next) => node = next,
            IvrTarget::Queue(q) => return (spent, IvrEnd::Queue(q)),
            IvrTarget::SelfService => return (spent, IvrEnd::SelfService),
            IvrTarget::HangUp => return (spent, IvrEnd::HangUp),
        }
    }
    // Unreachable for a validated (acyclic) tree; a hang-up is the safe reading.
    (spent, IvrEnd::HangUp)
}

/// Probability that a call entering at `entry` ends in each queue of `model` (callers who
/// self-serve or hang up in the IVR reach none). Exact for the validated (acyclic) tree.
pub fn reach_shares(model: &crate::scenario::Model, entry: crate::arrivals::Entry) -> Vec<f64> {
    use crate::arrivals::Entry;
    let mut shares = vec![0.0; model.queues.len()];
    let start = match (entry, &model.ivr) {
        (Entry::Queue(q), _) => {
            shares[q.0 as usize] = 1.0;
            return shares;
        }
        (Entry::Node(n), Some(_)) => n,
        (_, Some(ivr)) => ivr.start,
        (_, None) => {
            if let Some(s) = shares.first_mut() {
                *s = 1.0;
            }
            return shares;
        }
    };
    let ivr = model.ivr.as_ref().expect("matched Some above");
    // Depth-first with the probability mass of each path; depth is bounded by acyclicity.
    let mut stack = vec![(start, 1.0f64, 0usize)];
    while let Some((node, mass, depth)) = stack.pop() {
        if depth > ivr.nodes.len() {
            continue;
        }
        for o in &ivr.nodes[node.0 as usize].options {
            let m = mass * o.probability;
            match o.target {
                IvrTarget::Node(n) => stack.push((n, m, depth + 1)),
                IvrTarget::Queue(q) => shares[q.0 as usize] += m,
                IvrTarget::SelfService | IvrTarget::HangUp => {}
            }
        }
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::Dist;
    use crate::random::{Purpose, StreamKey};
    use crate::scenario::{IvrNode, IvrOption, QueueId};

    fn opt(p: f64, target: IvrTarget) -> IvrOption {
        IvrOption {
            key: String::new(),
            probability: p,
            target,
        }
    }

    #[test]
    fn walk_shares_and_time_match_the_tree() {
        // main (10s): 50% → auth (20s), 30% → queue 0, 20% → hang up
        // auth: 60% self-service, 40% → queue 1
        let ivr = Ivr {
            start: NodeId(0),
            nodes: vec![
                IvrNode {
                    name: "main".into(),
                    duration: Dist::deterministic(10.0).unwrap(),
                    options: vec![
                        opt(0.5, IvrTarget::Node(NodeId(1))),
                        opt(0.3, IvrTarget::Queue(QueueId(0))),
                        opt(0.2, IvrTarget::HangUp),
                    ],
                },
                IvrNode {
                    name: "auth".into(),
                    duration: Dist::deterministic(20.0).unwrap(),
                    options: vec![
                        opt(0.6, IvrTarget::SelfService),
                        opt(0.4, IvrTarget::Queue(QueueId(1))),
                    ],
                },
            ],
        };
        let n = 100_000;
        let (mut q0, mut q1, mut ss, mut hu, mut time) = (0, 0, 0, 0, 0.0);
        let key = StreamKey::new(1, 0);
        for i in 0..n {
            let (t, end) = walk(&ivr, ivr.start, &mut key.caller(i, Purpose::Ivr));
            time += t;
            match end {
                IvrEnd::Queue(QueueId(0)) => q0 += 1,
                IvrEnd::Queue(_) => q1 += 1,
                IvrEnd::SelfService => ss += 1,
                IvrEnd::HangUp => hu += 1,
            }
        }
        let share = |c: i32, p: f64| {
            let se = (p * (1.0 - p) / n as f64).sqrt();
            assert!((f64::from(c) / n as f64 - p).abs() < 5.0 * se, "{c} vs {p}");
        };
        share(q0, 0.3);
        share(q1, 0.2);
        share(ss, 0.3);
        share(hu, 0.2);
        // Mean time 10 + 0.5·20 = 20 s; sd of time is 10 s → se 0.032.
        assert!((time / n as f64 - 20.0).abs() < 5.0 * 10.0 / (n as f64).sqrt());
    }
}
