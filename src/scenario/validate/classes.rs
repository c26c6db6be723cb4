//! Caller classes (`[[queue.class]]`: name, share, priority, aging) and the queue policy
//! (`[routing] policy`). The shares of a queue's classes follow the one rule for shares (within
//! 0.5 % of 1 normalised with a note, else refused); `aging` carries its unit like a duration.

use toml::Spanned;

use super::{Ctx, Result, non_empty, normalise_shares, num, unique_names};
use crate::routing::Policy;
use crate::scenario::model::CallerClass;
use crate::scenario::raw::{RawClass, RawDuration, RawRouting};

/// Most classes one queue may have (a caller's class is kept as a small index).
pub const MAX_CLASSES: usize = 32;
/// Largest |priority|: beyond this a priority is a typo, and aging sums stay exact in f64.
pub const MAX_PRIORITY: i64 = 1_000_000;

/// A `priority` (a class's, or a routing table row's): an integer of at most
/// [`MAX_PRIORITY`] in size, 0 when absent.
pub(super) fn priority(ctx: &Ctx, raw: &Option<Spanned<i64>>, field: &str) -> Result<i64> {
    let Some(p) = raw else {
        return Ok(0);
    };
    let v = *p.get_ref();
    if v.abs() > MAX_PRIORITY {
        return Err(ctx.err(
            p.span(),
            field,
            format!("must be an integer in -{MAX_PRIORITY} ..= {MAX_PRIORITY} (got {v})"),
        ));
    }
    Ok(v)
}

/// The classes of queue `i`; none without `[[queue.class]]`.
pub(super) fn classes(
    ctx: &Ctx,
    raw: &Option<Spanned<Vec<Spanned<RawClass>>>>,
    i: usize,
) -> Result<Vec<CallerClass>> {
    let Some(list) = raw else {
        return Ok(Vec::new());
    };
    let field = format!("queue[{i}].class");
    let items = list.get_ref();
    if items.is_empty() {
        return Err(ctx.err(
            list.span(),
            field,
            "needs at least one class (or leave `class` out: one class for every caller)",
        ));
    }
    if items.len() > MAX_CLASSES {
        return Err(ctx.err(
            list.span(),
            field,
            format!(
                "at most {MAX_CLASSES} classes per queue (got {})",
                items.len()
            ),
        ));
    }
    unique_names(ctx, items.iter().map(|c| &c.get_ref().name), &field)?;
    let mut out = Vec::with_capacity(items.len());
    for (j, c) in items.iter().enumerate() {
        let c = c.get_ref();
        let f = |k: &str| format!("{field}[{j}].{k}");
        let share = *c.share.get_ref();
        if !(0.0..=1.0).contains(&share) {
            return Err(ctx.err(
                c.share.span(),
                f("share"),
                format!(
                    "must be a share of the queue's callers in [0, 1] (got {})",
                    num(share)
                ),
            ));
        }
        let priority = priority(ctx, &c.priority, &f("priority"))?;
        let aging_per_s = match &c.aging {
            None => 0.0,
            Some(a) => aging(a.get_ref()).map_err(|m| ctx.err(a.span(), f("aging"), m))?,
        };
        out.push(CallerClass {
            name: non_empty(ctx, &c.name, &f("name"))?,
            share,
            priority,
            aging_per_s,
        });
    }
    let mut shares: Vec<f64> = out.iter().map(|c| c.share).collect();
    normalise_shares(
        ctx,
        list.span(),
        &format!("{field}.share"),
        "the class shares",
        &mut shares,
    )?;
    for (c, s) in out.iter_mut().zip(shares) {
        c.share = s;
    }
    Ok(out)
}

/// An aging rate with its unit: `"1/min"`, `"0.5/min"`, `"60/h"`, `"0.02/s"`: priority points
/// gained per unit of wait. Returns points per second. A bare number other than 0 is refused,
/// as for durations: per second, or per minute?
pub fn aging(raw: &RawDuration) -> std::result::Result<f64, String> {
    let hint = "write the rate with its unit: `aging = \"1/min\"` (priority points gained per \
                minute waited; also `/s`, `/h`)";
    let text = match raw {
        RawDuration::Seconds(v) if *v == 0.0 => return Ok(0.0),
        RawDuration::Seconds(v) => {
            return Err(format!(
                "a bare number is ambiguous (got {}); {hint}",
                num(*v)
            ));
        }
        RawDuration::Text(t) => t.trim(),
    };
    let Some((value, unit)) = text.split_once('/') else {
        if text == "0" {
            return Ok(0.0);
        }
        return Err(format!("no unit in {text:?}; {hint}"));
    };
    let per_s = match unit.trim() {
        "s" | "sec" | "second" => 1.0,
        "m" | "min" | "minute" => 1.0 / 60.0,
        "h" | "hour" => 1.0 / 3600.0,
        other => return Err(format!("unknown unit `/{other}` in {text:?}; {hint}")),
    };
    let v: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("not a number before `/` in {text:?}; {hint}"))?;
    if !v.is_finite() || v < 0.0 {
        return Err(format!(
            "must be ≥ 0 and finite (got {text:?}); a class never loses priority by waiting"
        ));
    }
    Ok(v * per_s)
}

/// `[routing] policy`, checked with [`Policy::parse`]; the default (`fifo`) without it.
pub(super) fn policy(ctx: &Ctx, raw: &Option<Spanned<RawRouting>>) -> Result<Policy> {
    let Some(name) = raw.as_ref().and_then(|r| r.get_ref().policy.as_ref()) else {
        return Ok(Policy::default());
    };
    Policy::parse(name.get_ref()).map_err(|m| ctx.err(name.span(), "routing.policy", m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aging_rates_carry_their_unit() {
        let t = |s: &str| aging(&RawDuration::Text(s.into()));
        assert_eq!(t("1/min").unwrap(), 1.0 / 60.0);
        assert_eq!(t("60/h").unwrap(), 1.0 / 60.0);
        assert_eq!(t("0.5 / s").unwrap(), 0.5);
        assert_eq!(aging(&RawDuration::Seconds(0.0)).unwrap(), 0.0);
        assert!(
            aging(&RawDuration::Seconds(2.0))
                .unwrap_err()
                .contains("1/min")
        );
        assert!(t("2").unwrap_err().contains("no unit"));
        assert!(t("2/day").unwrap_err().contains("unknown unit"));
        assert!(t("-1/min").unwrap_err().contains("≥ 0"));
    }
}
