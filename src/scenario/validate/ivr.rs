//! The IVR menu tree: unique node names, option targets resolved to indices, probabilities
//! summing to 1 per node, and no loops.

use std::collections::HashMap;

use toml::Spanned;

use super::dist::{Need, dist};
use super::{Ctx, Result, index_by_name, known_names, normalise_shares, num, unique_names};
use crate::dist::Dist;
use crate::scenario::model::{Ivr, IvrNode, IvrOption, IvrTarget, NodeId, QueueId};
use crate::scenario::raw::{RawIvr, RawNode, RawOption};

pub(super) fn ivr(
    ctx: &Ctx,
    raw: &Spanned<RawIvr>,
    queues: &HashMap<String, usize>,
) -> Result<Ivr> {
    let r = raw.get_ref();
    if r.node.is_empty() {
        return Err(ctx.err(
            raw.span(),
            "ivr.node",
            "an [ivr] needs at least one [[ivr.node]]",
        ));
    }
    unique_names(ctx, r.node.iter().map(|n| &n.get_ref().name), "ivr.node")?;
    let nodes_index = index_by_name(&r.node, |n| &n.name);
    let start = match &r.start {
        None => 0,
        Some(s) => *nodes_index.get(s.get_ref().trim()).ok_or_else(|| {
            ctx.err(
                s.span(),
                "ivr.start",
                format!(
                    "unknown node `{}`; nodes are {}",
                    s.get_ref(),
                    known_names(&nodes_index)
                ),
            )
        })?,
    };
    let names = Names {
        nodes: &nodes_index,
        queues,
    };
    let nodes = r
        .node
        .iter()
        .enumerate()
        .map(|(i, n)| node(ctx, n.get_ref(), i, &names))
        .collect::<Result<Vec<_>>>()?;
    if let Some((cycle, i, j)) = find_cycle(&nodes) {
        let path: Vec<&str> = cycle
            .iter()
            .filter_map(|&k| nodes.get(k).map(|n| n.name.as_str()))
            .collect();
        let span = r
            .node
            .get(i)
            .and_then(|n| n.get_ref().options.get_ref().get(j))
            .and_then(|o| o.get_ref().node.as_ref())
            .map_or(raw.span(), Spanned::span);
        return Err(ctx.err(
            span,
            format!("ivr.node[{i}].options[{j}].node"),
            format!(
                "the IVR loops: {}; a caller could never leave it",
                path.join(" → ")
            ),
        ));
    }
    Ok(Ivr {
        start: NodeId(start as u32),
        nodes,
    })
}

/// Name → index maps for resolving option targets.
pub(super) struct Names<'a> {
    nodes: &'a HashMap<String, usize>,
    queues: &'a HashMap<String, usize>,
}

pub(super) fn node(ctx: &Ctx, n: &RawNode, i: usize, names: &Names) -> Result<IvrNode> {
    let field = format!("ivr.node[{i}]");
    let duration = match &n.duration {
        Some(d) => dist(ctx, d, &format!("{field}.duration"), Need::NonNegative)?,
        None => Dist::deterministic(0.0).map_err(|m| ctx.err(n.name.span(), field.as_str(), m))?,
    };
    let raw_options = n.options.get_ref();
    let opt_field = format!("{field}.options");
    if raw_options.is_empty() {
        return Err(ctx.err(
            n.options.span(),
            opt_field,
            "a node needs at least one option",
        ));
    }
    let mut options = raw_options
        .iter()
        .enumerate()
        .map(|(j, o)| option(ctx, o, &format!("{opt_field}[{j}]"), names))
        .collect::<Result<Vec<_>>>()?;
    let mut p: Vec<f64> = options.iter().map(|o| o.probability).collect();
    normalise_shares(
        ctx,
        n.options.span(),
        &opt_field,
        "the options' probabilities `p`",
        &mut p,
    )?;
    for (o, p) in options.iter_mut().zip(p) {
        o.probability = p;
    }
    Ok(IvrNode {
        name: n.name.get_ref().trim().to_owned(),
        duration,
        options,
    })
}

pub(super) fn option(
    ctx: &Ctx,
    raw: &Spanned<RawOption>,
    field: &str,
    names: &Names,
) -> Result<IvrOption> {
    let o = raw.get_ref();
    let p = *o.p.get_ref();
    if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
        return Err(ctx.err(
            o.p.span(),
            format!("{field}.p"),
            format!("must be between 0 and 1 (got {})", num(p)),
        ));
    }
    let target = match (&o.node, &o.queue, &o.end) {
        (Some(n), None, None) => {
            IvrTarget::Node(NodeId(resolve(ctx, n, names.nodes, "node", field)? as u32))
        }
        (None, Some(q), None) => {
            IvrTarget::Queue(QueueId(
                resolve(ctx, q, names.queues, "queue", field)? as u32
            ))
        }
        (None, None, Some(e)) => end(ctx, e, field)?,
        _ => {
            return Err(ctx.err(
                raw.span(),
                field,
                "an option needs exactly one of `node = \"...\"`, `queue = \"...\"` or `end = \"self_service\" | \"hang_up\"`",
            ));
        }
    };
    let key = o
        .key
        .as_ref()
        .or(o.label.as_ref())
        .map(|k| k.get_ref().clone())
        .unwrap_or_default();
    Ok(IvrOption {
        key,
        probability: p,
        target,
    })
}

pub(super) fn resolve(
    ctx: &Ctx,
    raw: &Spanned<String>,
    index: &HashMap<String, usize>,
    what: &str,
    field: &str,
) -> Result<usize> {
    let name = raw.get_ref().trim();
    index.get(name).copied().ok_or_else(|| {
        ctx.err(
            raw.span(),
            format!("{field}.{what}"),
            format!(
                "unknown {what} `{name}`; {what}s are {}",
                known_names(index)
            ),
        )
    })
}

pub(super) fn end(ctx: &Ctx, raw: &Spanned<String>, field: &str) -> Result<IvrTarget> {
    match raw.get_ref().trim() {
        "self_service" => Ok(IvrTarget::SelfService),
        "hang_up" => Ok(IvrTarget::HangUp),
        other => Err(ctx.err(
            raw.span(),
            format!("{field}.end"),
            format!("unknown end `{other}`; expected \"self_service\" or \"hang_up\""),
        )),
    }
}

/// A cycle among node → node options, as (node indices from the repeated node back to it, node
/// and option that close it). Iterative depth-first search, so a long menu chain cannot
/// overflow the stack.
pub(super) fn find_cycle(nodes: &[IvrNode]) -> Option<(Vec<usize>, usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; nodes.len()];
    for root in 0..nodes.len() {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::OnPath;
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((node, next)) = path.last_mut() {
            let (node, j) = (*node, *next);
            *next += 1;
            let Some(option) = nodes.get(node).and_then(|n| n.options.get(j)) else {
                state[node] = State::Done;
                path.pop();
                continue;
            };
            let IvrTarget::Node(NodeId(t)) = option.target else {
                continue;
            };
            let t = t as usize;
            match state.get(t) {
                Some(State::New) => {
                    state[t] = State::OnPath;
                    path.push((t, 0));
                }
                Some(State::OnPath) => {
                    let from = path.iter().position(|&(k, _)| k == t)?;
                    let mut cycle: Vec<usize> = path[from..].iter().map(|&(k, _)| k).collect();
                    cycle.push(t);
                    return Some((cycle, node, j));
                }
                _ => {}
            }
        }
    }
    None
}
