//! Transfers (`[[queue.transfer]]`: `to`, `share`): a share of a queue's answered calls goes
//! on to another queue when the agent completes them. Unlike caller classes, the shares of a
//! queue sum to **at most** 1: the rest of the answered calls are not transferred.

use std::collections::HashMap;

use toml::Spanned;

use super::{Ctx, Result, known_names, num};
use crate::scenario::model::{QueueId, Transfer};
use crate::scenario::raw::RawQueue;

/// Slack on the sum of a queue's shares (rounding in a hand-written file).
const SUM_SLACK: f64 = 1e-9;

/// The transfers of every queue, indexed by queue; empty when no queue has any.
pub(super) fn transfers(
    ctx: &Ctx,
    queues: &[Spanned<RawQueue>],
    index: &HashMap<String, usize>,
) -> Result<Vec<Vec<Transfer>>> {
    if queues.iter().all(|q| q.get_ref().transfer.is_none()) {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(queues.len());
    for (i, q) in queues.iter().enumerate() {
        let Some(list) = &q.get_ref().transfer else {
            out.push(Vec::new());
            continue;
        };
        let field = format!("queue[{i}].transfer");
        let mut mine = Vec::with_capacity(list.get_ref().len());
        let mut sum = 0.0;
        for (j, t) in list.get_ref().iter().enumerate() {
            let t = t.get_ref();
            let name = t.to.get_ref().trim();
            let Some(&to) = index.get(name) else {
                return Err(ctx.err(
                    t.to.span(),
                    format!("{field}[{j}].to"),
                    format!("unknown queue `{name}` (known: {})", known_names(index)),
                ));
            };
            if to == i {
                return Err(ctx.err(
                    t.to.span(),
                    format!("{field}[{j}].to"),
                    format!("a queue cannot transfer to itself (`{name}`)"),
                ));
            }
            let share = *t.share.get_ref();
            if !(0.0..=1.0).contains(&share) {
                return Err(ctx.err(
                    t.share.span(),
                    format!("{field}[{j}].share"),
                    format!(
                        "must be a probability in [0, 1]: the share of the queue's answered \
                         calls transferred (got {})",
                        num(share)
                    ),
                ));
            }
            sum += share;
            mine.push(Transfer {
                to: QueueId(to as u32),
                share,
            });
        }
        if sum > 1.0 + SUM_SLACK {
            return Err(ctx.err(
                list.span(),
                format!("{field}.share"),
                format!(
                    "the transfer shares sum to {}; at most 1 of the queue's answered calls \
                     can be transferred",
                    num((sum * 1e9).round() / 1e9)
                ),
            ));
        }
        out.push(mine);
    }
    Ok(out)
}
