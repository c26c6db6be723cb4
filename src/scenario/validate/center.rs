//! `[center]`: the line capacity (`lines`), how an idle agent is chosen (`agent_choice`) and
//! which agents leave when a headcount drops (`staffing_drop`).
//! Secondary queues and `overflow_after` belong to pools (`pools.rs`).

use toml::Spanned;

use super::{Ctx, Result};
use crate::scenario::model::{AgentChoice, Center, StaffingDrop};
use crate::scenario::raw::RawCenter;

/// Most lines a center may state: far above any center, and below [`crate::engine::MAX_IN_SYSTEM`].
pub const MAX_LINES: i64 = 1_000_000;

pub(super) fn center(ctx: &Ctx, raw: Option<&Spanned<RawCenter>>) -> Result<Center> {
    let Some(raw) = raw else {
        return Ok(Center::default());
    };
    let c = raw.get_ref();
    let lines = match &c.lines {
        None => None,
        Some(n) => {
            let v = *n.get_ref();
            if !(1..=MAX_LINES).contains(&v) {
                return Err(ctx.err(
                    n.span(),
                    "center.lines",
                    format!(
                        "must be between 1 and {MAX_LINES} simultaneous calls (got {v}); for unlimited lines leave `lines` out"
                    ),
                ));
            }
            Some(v as u32)
        }
    };
    let agent_choice = named(
        ctx,
        &c.agent_choice,
        "center.agent_choice",
        "agent choice",
        &AgentChoice::NAMES,
        AgentChoice::parse,
    )?
    .unwrap_or_default();
    let staffing_drop = named(
        ctx,
        &c.staffing_drop,
        "center.staffing_drop",
        "staffing drop rule",
        &StaffingDrop::NAMES,
        StaffingDrop::parse,
    )?
    .unwrap_or_default();
    Ok(Center {
        lines,
        agent_choice,
        staffing_drop,
    })
}

/// A setting that takes one of a few names (`agent_choice`, `staffing_drop`): the value, or
/// an error at the name listing the known ones.
fn named<T>(
    ctx: &Ctx,
    raw: &Option<Spanned<String>>,
    field: &str,
    what: &str,
    names: &[&str],
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    let Some(name) = raw else {
        return Ok(None);
    };
    parse(name.get_ref().trim()).map(Some).ok_or_else(|| {
        ctx.err(
            name.span(),
            field,
            format!(
                "unknown {what} `{}`; write one of {}",
                name.get_ref(),
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}
