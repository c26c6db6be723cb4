//! Durations and distributions: a duration carries its unit (a bare number other than 0 is
//! refused: seconds or minutes?), is finite, ≥ 0 and at most a year; a distribution
//! table takes exactly the keys of its `dist`. Used by every other part of validation.

use std::ops::Range;

use toml::Spanned;

use super::{Ctx, MAX_CV, MAX_DURATION_S, Result, num};
use crate::dist::Dist;
use crate::scenario::raw::{RawDist, RawDistTable, RawDuration};
use crate::time;

/// A duration in seconds: finite, ≥ 0, at most a year.
pub(super) fn duration(ctx: &Ctx, raw: &Spanned<RawDuration>, field: &str) -> Result<f64> {
    let err = |m: String| ctx.err(raw.span(), field, m);
    let s = match raw.get_ref() {
        RawDuration::Text(t) => time::parse_duration_with_unit(t).map_err(err)?.get(),
        // A bare number: seconds or minutes? Only 0 means the same in every unit.
        RawDuration::Seconds(s) => time::bare_seconds(*s).map_err(err)?,
    };
    if !s.is_finite() {
        return Err(err(format!(
            "must be a finite duration (got {})",
            raw.get_ref()
        )));
    }
    if s < 0.0 {
        return Err(err(format!(
            "must be zero or positive (got {})",
            raw.get_ref()
        )));
    }
    if s > MAX_DURATION_S {
        return Err(err(format!(
            "must be at most 365 days (got {})",
            raw.get_ref()
        )));
    }
    Ok(s)
}

/// A duration that must be > 0 (means of handle time, wrap-up, patience).
pub(super) fn positive_duration(ctx: &Ctx, raw: &Spanned<RawDuration>, field: &str) -> Result<f64> {
    let s = duration(ctx, raw, field)?;
    if s <= 0.0 {
        return Err(ctx.err(
            raw.span(),
            field,
            format!("must be positive (got {})", raw.get_ref()),
        ));
    }
    Ok(s)
}

/// Whether a distribution may be identically zero: IVR announcements may take no time, a
/// handle time may not.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Need {
    Positive,
    NonNegative,
}

/// The distribution names and the keys each one takes besides `dist`.
pub(super) const DISTS: [(&str, &[&str]); 6] = [
    ("exponential", &["mean"]),
    ("deterministic", &["value"]),
    ("lognormal", &["mean", "cv"]),
    ("gamma", &["mean", "cv"]),
    ("uniform", &["min", "max"]),
    ("empirical", &["values"]),
];

pub(super) fn dist(ctx: &Ctx, raw: &Spanned<RawDist>, field: &str, need: Need) -> Result<Dist> {
    match raw.get_ref() {
        RawDist::Shorthand(d) => {
            let d = Spanned::new(raw.span(), d.clone());
            let v = match need {
                Need::Positive => positive_duration(ctx, &d, field)?,
                Need::NonNegative => duration(ctx, &d, field)?,
            };
            Dist::deterministic(v).map_err(|m| ctx.err(raw.span(), field, m))
        }
        RawDist::Table(t) => dist_table(ctx, t, raw.span(), field, need),
    }
}

pub(super) fn dist_table(
    ctx: &Ctx,
    t: &RawDistTable,
    span: Range<usize>,
    field: &str,
    need: Need,
) -> Result<Dist> {
    let name = t.dist.get_ref().as_str();
    let Some((_, allowed)) = DISTS.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = DISTS.iter().map(|(n, _)| *n).collect();
        return Err(ctx.err(
            t.dist.span(),
            format!("{field}.dist"),
            format!(
                "unknown distribution `{name}`; expected one of {}",
                names.join(", ")
            ),
        ));
    };
    dist_keys_belong(ctx, t, name, allowed, field)?;
    let sub = |k: &str| format!("{field}.{k}");
    let missing = |k: &str| {
        ctx.err(
            span.clone(),
            sub(k),
            format!("a {name} distribution needs `{k}`"),
        )
    };
    let mean = || -> Result<f64> {
        let m = t.mean.as_ref().ok_or_else(|| missing("mean"))?;
        positive_duration(ctx, m, &sub("mean"))
    };
    let cv = || -> Result<f64> {
        let c = t.cv.as_ref().ok_or_else(|| missing("cv"))?;
        let v = *c.get_ref();
        if v.is_finite() && v > 0.0 && v <= MAX_CV {
            Ok(v)
        } else {
            Err(ctx.err(
                c.span(),
                sub("cv"),
                format!("must be above 0 and at most {MAX_CV} (got {})", num(v)),
            ))
        }
    };
    let backstop = |m: String| ctx.err(span.clone(), field, m);
    match name {
        "exponential" => Dist::exponential(mean()?).map_err(backstop),
        "lognormal" => Dist::lognormal(mean()?, cv()?).map_err(backstop),
        "gamma" => Dist::gamma(mean()?, cv()?).map_err(backstop),
        "deterministic" => {
            let v = t.value.as_ref().ok_or_else(|| missing("value"))?;
            let v = match need {
                Need::Positive => positive_duration(ctx, v, &sub("value"))?,
                Need::NonNegative => duration(ctx, v, &sub("value"))?,
            };
            Dist::deterministic(v).map_err(backstop)
        }
        "uniform" => uniform(ctx, t, &span, field, need),
        _ => empirical(ctx, t, &span, field),
    }
}

/// Keys that belong to another distribution are errors naming the ones this one takes.
pub(super) fn dist_keys_belong(
    ctx: &Ctx,
    t: &RawDistTable,
    name: &str,
    allowed: &[&str],
    field: &str,
) -> Result<()> {
    let present = [
        ("mean", t.mean.as_ref().map(Spanned::span)),
        ("value", t.value.as_ref().map(Spanned::span)),
        ("cv", t.cv.as_ref().map(Spanned::span)),
        ("min", t.min.as_ref().map(Spanned::span)),
        ("max", t.max.as_ref().map(Spanned::span)),
        ("values", t.values.as_ref().map(Spanned::span)),
    ];
    for (key, span) in present {
        if let Some(span) = span
            && !allowed.contains(&key)
        {
            let takes: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
            return Err(ctx.err(
                span,
                format!("{field}.{key}"),
                format!(
                    "`{key}` does not belong to a {name} distribution; it takes {}",
                    takes.join(" and ")
                ),
            ));
        }
    }
    Ok(())
}

pub(super) fn uniform(
    ctx: &Ctx,
    t: &RawDistTable,
    span: &Range<usize>,
    field: &str,
    need: Need,
) -> Result<Dist> {
    let get = |k: &str, v: &Option<Spanned<RawDuration>>| -> Result<(f64, Range<usize>)> {
        let v = v.as_ref().ok_or_else(|| {
            ctx.err(
                span.clone(),
                format!("{field}.{k}"),
                format!("a uniform distribution needs `{k}`"),
            )
        })?;
        Ok((duration(ctx, v, &format!("{field}.{k}"))?, v.span()))
    };
    let (min, _) = get("min", &t.min)?;
    let (max, max_span) = get("max", &t.max)?;
    if max < min {
        return Err(ctx.err(
            max_span,
            format!("{field}.max"),
            format!("must be at least min ({min}s) (got {max}s)"),
        ));
    }
    if need == Need::Positive && max <= 0.0 {
        return Err(ctx.err(max_span, format!("{field}.max"), "must be positive (got 0)"));
    }
    Dist::uniform(min, max).map_err(|m| ctx.err(span.clone(), field, m))
}

/// Even an IVR delay needs one positive value: an all-zero sample is a deterministic 0.
pub(super) fn empirical(
    ctx: &Ctx,
    t: &RawDistTable,
    span: &Range<usize>,
    field: &str,
) -> Result<Dist> {
    let sub = format!("{field}.values");
    let raw = t.values.as_ref().ok_or_else(|| {
        ctx.err(
            span.clone(),
            sub.clone(),
            "an empirical distribution needs `values`",
        )
    })?;
    if raw.get_ref().is_empty() {
        return Err(ctx.err(raw.span(), sub, "needs at least one value"));
    }
    let values = raw
        .get_ref()
        .iter()
        .enumerate()
        .map(|(i, v)| duration(ctx, v, &format!("{sub}[{i}]")))
        .collect::<Result<Vec<f64>>>()?;
    if values.iter().all(|&v| v == 0.0) {
        return Err(ctx.err(
            raw.span(),
            sub,
            "needs at least one positive value (all are 0)",
        ));
    }
    Dist::empirical(values).map_err(|m| ctx.err(span.clone(), field, m))
}
