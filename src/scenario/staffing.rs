//! `[staffing]`: the targets `hotline staff` plans for, checked and located like every other
//! scenario key. Owns the planner's notation for a service-level goal (`"80/20"`), shared with
//! the `--target` flag; it does not compute staffing (that is `plan::staffing`).
//!
//! Every key is optional: what the file leaves out comes from the flags or the defaults of
//! `hotline staff` (80 % within each queue's threshold, Erlang C, no shrinkage).

use std::path::Path;

use toml::Spanned;

use super::error::ScenarioError;
use super::raw::{RawDuration, RawStaffing};
use crate::time::{Seconds, parse_duration};

/// The staffing targets a scenario states; `None` = not given here.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StaffingTargets {
    /// Service-level goal (`target = "80/20"`).
    pub service_level: Option<ServiceLevelGoal>,
    /// Which formula decides the agents required (`model = "erlang-a"`).
    pub model: Option<StaffingModel>,
    /// Fraction of paid time off the phones, in [0, 1).
    pub shrinkage: Option<f64>,
    /// Highest acceptable occupancy, in (0, 1].
    pub max_occupancy: Option<f64>,
    /// Highest acceptable ASA.
    pub target_asa: Option<Seconds>,
    /// Highest acceptable P(abandon), in (0, 1] (queues with a patience only).
    pub max_abandon: Option<f64>,
}

/// "At least `fraction` answered within `threshold`"; without a threshold, within each queue's
/// own `service_level_threshold` (the threshold `intervals.csv` measures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceLevelGoal {
    /// In (0, 1].
    pub fraction: f64,
    pub threshold: Option<Seconds>,
}

/// The queueing model that decides `agents_required`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffingModel {
    /// M/M/c: nobody abandons (conservative where callers do).
    ErlangC,
    /// M/M/c+M with each queue's mean patience (Erlang C for a queue without patience).
    ErlangA,
}

impl StaffingModel {
    /// The name used in files and CSV cells: `erlang_c`, `erlang_a`.
    pub fn name(self) -> &'static str {
        match self {
            StaffingModel::ErlangC => "erlang_c",
            StaffingModel::ErlangA => "erlang_a",
        }
    }
}

/// Parses a service-level goal: `"80/20"` (80 % within 20 s), `"80%/20s"`, `"90/1m"`, or a
/// bare percentage `"80"` (within each queue's own threshold). Returns a message without a
/// location; the caller says where.
pub fn parse_service_level_goal(text: &str) -> Result<ServiceLevelGoal, String> {
    let bad = |why: &str| {
        format!(
            "`{text}` is not a service-level target ({why}); write e.g. \"80/20\" for 80% answered within 20s"
        )
    };
    let (pct, threshold) = match text.split_once('/') {
        Some((p, t)) => (p, Some(t)),
        None => (text, None),
    };
    let pct = pct.trim().trim_end_matches('%').trim();
    let pct: f64 = pct
        .parse()
        .map_err(|_| bad("the percentage is not a number"))?;
    if !(pct.is_finite() && pct > 0.0 && pct <= 100.0) {
        return Err(bad("the percentage must be in (0, 100]"));
    }
    let threshold = match threshold {
        None => None,
        Some(t) => {
            let s = parse_duration(t).map_err(|e| bad(&e))?;
            if !(s.0.is_finite() && s.0 >= 0.0) {
                return Err(bad("the threshold must be a duration ≥ 0"));
            }
            Some(s)
        }
    };
    Ok(ServiceLevelGoal {
        fraction: pct / 100.0,
        threshold,
    })
}

/// Parses `"erlang-c"` / `"erlang-a"` (also with `_`, any case).
fn parse_model(text: &str) -> Option<StaffingModel> {
    match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "erlang-c" => Some(StaffingModel::ErlangC),
        "erlang-a" => Some(StaffingModel::ErlangA),
        _ => None,
    }
}

type Located<T> = std::result::Result<T, ScenarioError>;

/// Checks `[staffing]` and returns its targets.
pub(super) fn targets(
    raw: &Spanned<RawStaffing>,
    text: &str,
    file: &Path,
) -> Located<StaffingTargets> {
    let s = raw.get_ref();
    let err = |span: std::ops::Range<usize>, key: &str, msg: String| {
        ScenarioError::at(file, text, span, format!("staffing.{key}"), msg)
    };
    let service_level = match &s.target {
        None => None,
        Some(t) => {
            Some(parse_service_level_goal(t.get_ref()).map_err(|m| err(t.span(), "target", m))?)
        }
    };
    let model = match &s.model {
        None => None,
        Some(m) => Some(parse_model(m.get_ref()).ok_or_else(|| {
            err(
                m.span(),
                "model",
                format!(
                    "must be \"erlang-c\" or \"erlang-a\" (got {:?})",
                    m.get_ref()
                ),
            )
        })?),
    };
    let fraction = |v: &Option<Spanned<f64>>, key: &str, allow_zero: bool, allow_one: bool| {
        let Some(v) = v else { return Ok(None) };
        let x = *v.get_ref();
        let low_ok = if allow_zero { x >= 0.0 } else { x > 0.0 };
        let high_ok = if allow_one { x <= 1.0 } else { x < 1.0 };
        if x.is_finite() && low_ok && high_ok {
            Ok(Some(x))
        } else {
            let range = match (allow_zero, allow_one) {
                (true, false) => "[0, 1)",
                _ => "(0, 1]",
            };
            Err(err(
                v.span(),
                key,
                format!("must be a fraction in {range}, e.g. 0.3 for 30% (got {x})"),
            ))
        }
    };
    let shrinkage = fraction(&s.shrinkage, "shrinkage", true, false)?;
    let max_occupancy = fraction(&s.max_occupancy, "max_occupancy", false, true)?;
    let max_abandon = fraction(&s.max_abandon, "max_abandon", false, true)?;
    let target_asa = match &s.target_asa {
        None => None,
        Some(d) => {
            let secs = match d.get_ref() {
                RawDuration::Text(t) => {
                    parse_duration(t)
                        .map_err(|m| err(d.span(), "target_asa", m))?
                        .0
                }
                RawDuration::Seconds(v) => *v,
            };
            if !(secs.is_finite() && secs > 0.0) {
                return Err(err(
                    d.span(),
                    "target_asa",
                    format!("must be a positive duration (got {})", d.get_ref()),
                ));
            }
            Some(Seconds(secs))
        }
    };
    Ok(StaffingTargets {
        service_level,
        model,
        shrinkage,
        max_occupancy,
        target_asa,
        max_abandon,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goal_80_20_is_eighty_percent_within_twenty_seconds() {
        let g = parse_service_level_goal("80/20").unwrap();
        assert_eq!(g.fraction, 0.8);
        assert_eq!(g.threshold, Some(Seconds(20.0)));
        let g = parse_service_level_goal("90%/1m").unwrap();
        assert_eq!((g.fraction, g.threshold), (0.9, Some(Seconds(60.0))));
    }

    #[test]
    fn a_bare_percentage_keeps_the_queue_threshold() {
        assert_eq!(parse_service_level_goal("80").unwrap().threshold, None);
    }

    #[test]
    fn goals_outside_the_range_are_refused() {
        for bad in ["0/20", "120/20", "abc/20", "80/x", "", "-5/20"] {
            assert!(parse_service_level_goal(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn model_names_accept_dashes_and_underscores() {
        assert_eq!(parse_model("Erlang_A"), Some(StaffingModel::ErlangA));
        assert_eq!(parse_model("erlang-c"), Some(StaffingModel::ErlangC));
        assert_eq!(parse_model("erlang-b"), None);
    }
}
