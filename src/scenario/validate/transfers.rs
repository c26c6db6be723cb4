//! Transfers (`[[queue.transfer]]`: `to`, `share`, `at`, `consult` or `conference`,
//! `when_busy`): a share of a queue's answered calls goes on to another queue. Unlike caller
//! classes, the shares of a queue sum to **at most** 1: the rest of the answered calls are not
//! transferred. A consult or conference happens at the end of talk (the first agent is still
//! on the call), so it cannot be combined with `at = "after_wrap_up"`.

use std::collections::HashMap;

use toml::Spanned;

use super::dist::{Need, dist};
use super::{Ctx, Result, known_names, num};
use crate::scenario::model::{Handoff, QueueId, Transfer, WhenBusy};
use crate::scenario::raw::{RawQueue, RawTransfer};

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
            let field = format!("{field}[{j}]");
            mine.push(Transfer {
                to: QueueId(to as u32),
                share,
                handoff: handoff(ctx, t, &field)?,
                when_busy: when_busy(ctx, t, &field)?,
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

/// `at`, `consult`, `conference`: when and how the caller moves on.
fn handoff(ctx: &Ctx, t: &RawTransfer, field: &str) -> Result<Handoff> {
    let at = match &t.at {
        None => None,
        Some(a) => match a.get_ref().trim() {
            "after_wrap_up" => Some((Handoff::AfterWrapUp, a.span())),
            "end_of_talk" => Some((Handoff::EndOfTalk, a.span())),
            other => {
                return Err(ctx.err(
                    a.span(),
                    format!("{field}.at"),
                    format!(
                        "unknown `{other}`; write \"after_wrap_up\" (the caller moves on when \
                         the first agent completes the call, talk and wrap-up) or \"end_of_talk\" \
                         (before the first agent's wrap-up)"
                    ),
                ));
            }
        },
    };
    let joined = match (&t.consult, &t.conference) {
        (Some(_), Some(c)) => {
            return Err(ctx.err(
                c.span(),
                format!("{field}.conference"),
                "a transfer is preceded by a consult or by a conference, not both: keep one \
                 (or write two [[queue.transfer]] rows with their own shares)",
            ));
        }
        (Some(c), None) => Some(Handoff::Consult(dist(
            ctx,
            c,
            &format!("{field}.consult"),
            Need::Positive,
        )?)),
        (None, Some(c)) => Some(Handoff::Conference(dist(
            ctx,
            c,
            &format!("{field}.conference"),
            Need::Positive,
        )?)),
        (None, None) => None,
    };
    match (joined, at) {
        (Some(_), Some((Handoff::AfterWrapUp, span))) => Err(ctx.err(
            span,
            format!("{field}.at"),
            "a consult or conference happens at the end of talk, while the first agent is \
             still on the call: remove `at` or write \"end_of_talk\"",
        )),
        (Some(j), _) => Ok(j),
        (None, Some((h, _))) => Ok(h),
        (None, None) => Ok(Handoff::AfterWrapUp),
    }
}

/// `when_busy`: `"wait"` (default) or `"disconnect"`.
fn when_busy(ctx: &Ctx, t: &RawTransfer, field: &str) -> Result<WhenBusy> {
    let Some(w) = &t.when_busy else {
        return Ok(WhenBusy::Wait);
    };
    match w.get_ref().trim() {
        "wait" => Ok(WhenBusy::Wait),
        "disconnect" => Ok(WhenBusy::Disconnect),
        other => Err(ctx.err(
            w.span(),
            format!("{field}.when_busy"),
            format!(
                "unknown `{other}`; write \"wait\" (the caller waits in the line of `to` when \
                 none of its agents is free) or \"disconnect\" (the caller is cut off)"
            ),
        )),
    }
}
