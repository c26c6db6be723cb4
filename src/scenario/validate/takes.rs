//! `[[pool.takes]]`: a pool's routing table written out (queue, priority, after). The pool's
//! `serves` still names its own queues (planned in it, counted in its statistics), each of
//! which must be a row of the table; the table's other rows are the pool's helper queues (what
//! `secondary` says in the shorthand, which is then refused beside `takes`, as is
//! `overflow_after`). The rules a table drives are in `routing/takes.rs`.

use std::collections::HashMap;

use toml::Spanned;

use super::dist::duration;
use super::{Ctx, Result, known_names};
use crate::scenario::model::{QueueId, Take};
use crate::scenario::raw::RawPool;

/// Longest `after`: a call waiting a day for a pool is a typo for a shorter delay.
pub const MAX_AFTER_S: f64 = 86_400.0;

/// The table of pool `i` (empty without `takes`), checked against its `serves`.
pub(super) fn takes(
    ctx: &Ctx,
    p: &RawPool,
    i: usize,
    queues: &HashMap<String, usize>,
    serves: &[QueueId],
) -> Result<Vec<Take>> {
    let Some(raw) = &p.takes else {
        return Ok(Vec::new());
    };
    let shorthand = "a pool with `takes` lists every queue it takes in that table, each with its \
                     `priority` and `after`; `secondary` and `overflow_after` are the shorthand \
                     for it: move those queues into `takes`, or drop `takes`";
    if let Some(s) = &p.secondary {
        return Err(ctx.err(s.span(), format!("pool[{i}].secondary"), shorthand));
    }
    if let Some(d) = &p.overflow_after {
        return Err(ctx.err(d.span(), format!("pool[{i}].overflow_after"), shorthand));
    }
    if raw.get_ref().is_empty() {
        return Err(ctx.err(
            raw.span(),
            format!("pool[{i}].takes"),
            "must have at least one row ([[pool.takes]] with a `queue`)",
        ));
    }
    let mut out: Vec<Take> = Vec::new();
    for (j, row) in raw.get_ref().iter().enumerate() {
        let row = row.get_ref();
        let f = |k: &str| format!("pool[{i}].takes[{j}].{k}");
        let n = row.queue.get_ref().trim();
        let Some(&q) = queues.get(n) else {
            return Err(ctx.err(
                row.queue.span(),
                f("queue"),
                format!("unknown queue `{n}`; queues are {}", known_names(queues)),
            ));
        };
        let queue = QueueId(q as u32);
        if let Some(k) = out.iter().position(|t| t.queue == queue) {
            return Err(ctx.err(
                row.queue.span(),
                f("queue"),
                format!(
                    "queue `{n}` is already in this pool's table (takes[{k}]); one row per queue, with one priority and one delay"
                ),
            ));
        }
        let priority = super::classes::priority(ctx, &row.priority, &f("priority"))?;
        let after_s = match &row.after {
            None => 0.0,
            Some(d) => {
                let s = duration(ctx, d, &f("after"))?;
                if s > MAX_AFTER_S {
                    return Err(ctx.err(
                        d.span(),
                        f("after"),
                        format!(
                            "must be at most 24h (got {}): the least wait before this pool takes the queue's calls",
                            d.get_ref()
                        ),
                    ));
                }
                s
            }
        };
        out.push(Take {
            queue,
            priority,
            after_s,
        });
    }
    for (j, q) in serves.iter().enumerate() {
        if !out.iter().any(|t| t.queue == *q) {
            let name: &Spanned<String> = &p.serves.get_ref()[j];
            return Err(ctx.err(
                name.span(),
                format!("pool[{i}].serves[{j}]"),
                format!(
                    "queue `{}` is in this pool's `serves` but not in its `takes` table; a pool with `takes` lists every queue it answers there (its own ones too, with their priority)",
                    name.get_ref().trim()
                ),
            ));
        }
    }
    Ok(out)
}
