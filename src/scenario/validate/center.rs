//! `[center]`: the line capacity (`lines`) and how an idle agent is chosen (`agent_choice`).
//! Secondary queues and `overflow_after` belong to pools (`pools.rs`).

use toml::Spanned;

use super::{Ctx, Result};
use crate::scenario::model::{AgentChoice, Center};
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
    let agent_choice = match &c.agent_choice {
        None => AgentChoice::default(),
        Some(name) => AgentChoice::parse(name.get_ref().trim()).ok_or_else(|| {
            ctx.err(
                name.span(),
                "center.agent_choice",
                format!(
                    "unknown agent choice `{}`; write one of {}",
                    name.get_ref(),
                    AgentChoice::NAMES
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?,
    };
    Ok(Center {
        lines,
        agent_choice,
    })
}
