//! `[queue.callback]`: the callback (virtual hold) offer of a queue. Probabilities in [0, 1],
//! durations zero or positive, `retries` a small non-negative count, and the queue must open at
//! least once in the horizon (an offer nobody could ever call back is a mistake, not a policy).
//! The same holds for a closed message's `callback` share (`[queue.closed] callback`).

use toml::Spanned;

use super::dist::duration;
use super::{Ctx, Result, num};
use crate::scenario::model::{CallbackOffer, CallbackRelease, ClosedRelease, Queue};
use crate::scenario::raw::{RawCallback, RawClosed, RawQueue};

/// Most retries of one callback request: beyond this the number is a typo.
const MAX_RETRIES: i64 = 100;

/// Most agents kept idle for inbound callers (`callback_reserve`): beyond this, a typo.
const MAX_RESERVE: i64 = 10_000;

/// Fills `queues[i].callback` (after the opening hours: a queue that never opens in the
/// horizon, `intervals` long with `per_day` intervals a day, cannot offer callbacks).
pub(super) fn offers(
    ctx: &Ctx,
    raw: &[Spanned<RawQueue>],
    queues: &mut [Queue],
    intervals: u64,
    per_day: u64,
) -> Result<()> {
    for (i, q) in raw.iter().enumerate() {
        closed_requests(ctx, q.get_ref(), &queues[i], i, intervals, per_day)?;
        if let Some(c) = &q.get_ref().closed {
            queues[i].closed_release = release(ctx, c.get_ref(), &format!("queue[{i}].closed"))?;
        }
        let Some(c) = &q.get_ref().callback else {
            continue;
        };
        let field = format!("queue[{i}].callback");
        let offer = offer(ctx, c.get_ref(), &field)?;
        if let Some(h) = &queues[i].hours {
            if !(0..intervals).any(|k| h.is_open(k, per_day)) {
                return Err(ctx.err(
                    c.span(),
                    field,
                    format!(
                        "queue `{}` never opens in the horizon, so nobody could be called back; remove the offer or open the queue",
                        queues[i].name
                    ),
                ));
            }
        }
        queues[i].callback = Some(offer);
    }
    Ok(())
}

/// `[queue.closed] callback` above 0 on a queue that never opens in the horizon: nobody could
/// call the requests back.
fn closed_requests(
    ctx: &Ctx,
    raw: &RawQueue,
    queue: &Queue,
    i: usize,
    intervals: u64,
    per_day: u64,
) -> Result<()> {
    let (Some(h), Some(closed)) = (&queue.hours, &raw.closed) else {
        return Ok(());
    };
    let Some(share) = &closed.get_ref().callback else {
        return Ok(());
    };
    if h.callback > 0.0 && !(0..intervals).any(|k| h.is_open(k, per_day)) {
        return Err(ctx.err(
            share.span(),
            format!("queue[{i}].closed.callback"),
            format!(
                "queue `{}` never opens in the horizon, so no callback request could be called back; set `callback = 0` or open the queue",
                queue.name
            ),
        ));
    }
    Ok(())
}

/// `[queue.closed] callbacks` (`"at_opening"`, the default, or `"when_idle"`) and
/// `callback_within` (a duration above 0).
fn release(ctx: &Ctx, c: &RawClosed, field: &str) -> Result<ClosedRelease> {
    let release = match &c.callbacks {
        None => CallbackRelease::AtOpening,
        Some(r) => match r.get_ref().trim() {
            "at_opening" => CallbackRelease::AtOpening,
            "when_idle" => CallbackRelease::WhenIdle,
            other => {
                return Err(ctx.err(
                    r.span(),
                    format!("{field}.callbacks"),
                    format!("unknown `{other}`; write \"at_opening\" (every request joins the line at the opening) or \"when_idle\" (agents dial them when no inbound caller waits)"),
                ));
            }
        },
    };
    let within_s = match &c.callback_within {
        None => None,
        Some(d) => {
            let s = duration(ctx, d, &format!("{field}.callback_within"))?;
            if s <= 0.0 {
                return Err(ctx.err(
                    d.span(),
                    format!("{field}.callback_within"),
                    "the callback promise must be a time above 0 (\"4h\": dialled within 4 hours of the opening)",
                ));
            }
            Some(s)
        }
    };
    let reserve = match &c.callback_reserve {
        None => 0,
        Some(r) => {
            let v = *r.get_ref();
            if !(0..=MAX_RESERVE).contains(&v) {
                return Err(ctx.err(
                    r.span(),
                    format!("{field}.callback_reserve"),
                    format!("agents kept idle for inbound callers: a whole number from 0 to {MAX_RESERVE} (got {v})"),
                ));
            }
            v as u32
        }
    };
    let within_share = match &c.callback_within_share {
        None => None,
        Some(v) => {
            let share = *v.get_ref();
            let field = format!("{field}.callback_within_share");
            if within_s.is_none() {
                return Err(ctx.err(
                    v.span(),
                    field,
                    "a share of the callback promise needs the promise: add `callback_within = \"4h\"` (dialled within 4 hours of the opening)",
                ));
            }
            if !(share > 0.0 && share <= 1.0) {
                return Err(ctx.err(
                    v.span(),
                    field,
                    format!("the share of an opening's requests dialled within the promise, above 0 and at most 1 (0.95: 95 %; got {})", super::num(share)),
                ));
            }
            Some(share)
        }
    };
    Ok(ClosedRelease {
        release,
        within_s,
        reserve,
        within_share,
    })
}

fn offer(ctx: &Ctx, c: &RawCallback, field: &str) -> Result<CallbackOffer> {
    let f = |k: &str| format!("{field}.{k}");
    let probability = |s: &Spanned<f64>, k: &str| -> Result<f64> {
        let v = *s.get_ref();
        if v.is_finite() && (0.0..=1.0).contains(&v) {
            Ok(v)
        } else {
            Err(ctx.err(
                s.span(),
                f(k),
                format!("a probability must be between 0 and 1 (got {})", num(v)),
            ))
        }
    };
    let retries = match &c.retries {
        None => 2,
        Some(r) => {
            let v = *r.get_ref();
            if !(0..=MAX_RETRIES).contains(&v) {
                return Err(ctx.err(
                    r.span(),
                    f("retries"),
                    format!("must be a whole number from 0 to {MAX_RETRIES} (got {v})"),
                ));
            }
            v as u32
        }
    };
    Ok(CallbackOffer {
        offer_above_s: duration(ctx, &c.offer_above, &f("offer_above"))?,
        accept: probability(&c.accept, "accept")?,
        answer: match &c.answer {
            Some(a) => probability(a, "answer")?,
            None => 1.0,
        },
        retries,
        retry_after_s: match &c.retry_after {
            Some(d) => duration(ctx, d, &f("retry_after"))?,
            None => 600.0,
        },
    })
}
