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
use crate::time::{Seconds, bare_seconds, parse_duration, parse_duration_with_unit};

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

/// Lowest service-level target accepted: below 1 % a target is a slip (`0.8%` for 80 %).
pub const MIN_SL_FRACTION: f64 = 0.01;

/// Parses a service-level goal in the one notation used everywhere (`staff --target`,
/// `erlang --target-sl`, `[staffing] target`). The share answered is written
/// - `80%`: a percentage, 1 % ..= 100 %;
/// - `0.8`: a fraction, 0.01 ..= 1 (a bare number up to 1 is always a fraction);
/// - `80` only before a threshold, the industry's `80/20` (a bare number above 1 is a
///   percentage there);
///
/// optionally followed by `/THRESHOLD`, a duration (`20s`, `1m`) or bare seconds (`80/20`).
/// Refused, with a hint saying what to write: a bare number above 1 without a threshold (`80`:
/// 80 % or 0.8?), anything below 1 % (`0.8%` is surely meant as 80 %), above 100 %. Returns a
/// message without a location; the caller says where.
pub fn parse_service_level_goal(text: &str) -> Result<ServiceLevelGoal, String> {
    let bad = |why: String| {
        format!(
            "`{text}` is not a service-level target: {why}; write \"80%\" or \"0.8\" for 80% \
             (within each queue's threshold), or \"80/20\" for 80% answered within 20s"
        )
    };
    let (share, threshold) = match text.split_once('/') {
        Some((p, t)) => (p.trim(), Some(t.trim())),
        None => (text.trim(), None),
    };
    let (x, percent) =
        percent_or_number(share).ok_or_else(|| bad(format!("`{share}` is not a number")))?;
    let fraction = if percent {
        if x < 100.0 * MIN_SL_FRACTION && x > 0.0 {
            return Err(bad(format!(
                "{share} is below 1%, surely meant as {}%",
                (1e6 * 100.0 * x).round() / 1e6
            )));
        }
        x / 100.0
    } else if x > 1.0 {
        if threshold.is_none() {
            return Err(bad(format!(
                "a bare {share} is ambiguous (a fraction is at most 1; {share}% needs the % sign)"
            )));
        }
        x / 100.0
    } else {
        x
    };
    if !(fraction > 0.0 && fraction <= 1.0) {
        return Err(bad(format!("{share} is not between 1% and 100%")));
    }
    if fraction < MIN_SL_FRACTION {
        return Err(bad(format!("{share} is below 1%")));
    }
    let threshold = match threshold {
        None => None,
        Some(t) => {
            let s = parse_duration(t).map_err(bad)?;
            if !(s.0.is_finite() && s.0 >= 0.0) {
                return Err(bad("the threshold must be a duration ≥ 0".into()));
            }
            Some(s)
        }
    };
    Ok(ServiceLevelGoal {
        fraction,
        threshold,
    })
}

/// Parses `"erlang-c"` / `"erlang-a"` (also with `_`, any case).
/// Parses a share (shrinkage, an occupancy or abandonment cap, a callback share) in the
/// README's notation: `85%` (a percentage) or `0.85` (a bare number up to 1 is a fraction). A
/// bare number above 1 (`85`: 85 % or 0.85?) is refused with what to write. The range is the
/// caller's to check (it differs per flag); this only reads the notation. Returns a message
/// without a location.
pub fn parse_share(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let (x, percent) = percent_or_number(t)
        .ok_or_else(|| format!("`{t}` is not a share; write e.g. \"85%\" or \"0.85\""))?;
    if percent {
        Ok(x / 100.0)
    } else if x > 1.0 {
        Err(format!(
            "a bare {t} is ambiguous (a fraction is at most 1): write \"{t}%\" for {t} percent"
        ))
    } else {
        Ok(x)
    }
}

/// `"85%"` → (85, true), `"0.85"` → (0.85, false); `None` unless a finite number.
fn percent_or_number(text: &str) -> Option<(f64, bool)> {
    let (number, percent) = match text.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (text, false),
    };
    let x: f64 = number.parse().ok().filter(|x: &f64| x.is_finite())?;
    Some((x, percent))
}

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
        Some(t) => Some(
            parse_service_level_goal(&t.get_ref().to_string())
                .map_err(|m| err(t.span(), "target", m))?,
        ),
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
                    parse_duration_with_unit(t)
                        .map_err(|m| err(d.span(), "target_asa", m))?
                        .0
                }
                RawDuration::Seconds(v) => {
                    bare_seconds(*v).map_err(|m| err(d.span(), "target_asa", m))?
                }
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
    fn eighty_percent_reads_the_same_in_every_notation() {
        for (text, threshold) in [
            ("80%", None),
            ("0.8", None),
            ("80/20", Some(Seconds(20.0))),
            ("80%/20s", Some(Seconds(20.0))),
            ("0.8/20s", Some(Seconds(20.0))),
            (" 80 % / 20 ", Some(Seconds(20.0))),
        ] {
            let g = parse_service_level_goal(text).unwrap();
            assert!((g.fraction - 0.8).abs() < 1e-15, "{text}: {}", g.fraction);
            assert_eq!(g.threshold, threshold, "{text}");
        }
        assert_eq!(parse_service_level_goal("1").unwrap().fraction, 1.0);
        assert_eq!(parse_service_level_goal("100%").unwrap().fraction, 1.0);
    }

    #[test]
    fn ambiguous_service_level_forms_are_refused_with_what_to_write() {
        let e = parse_service_level_goal("80").unwrap_err();
        assert!(e.contains("ambiguous") && e.contains("\"80%\""), "{e}");
        let e = parse_service_level_goal("0.8%").unwrap_err();
        assert!(e.contains("below 1%") && e.contains("\"80%\""), "{e}");
        let e = parse_service_level_goal("0.005").unwrap_err();
        assert!(e.contains("below 1%"), "{e}");
    }

    #[test]
    fn goals_outside_the_range_are_refused() {
        for bad in [
            "0/20", "120/20", "abc/20", "80/x", "", "-5/20", "0", "101%", "nan", "inf/20",
            "80%/-5s",
        ] {
            assert!(parse_service_level_goal(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shares_read_as_percentages_or_fractions_and_bare_numbers_above_one_are_refused() {
        assert_eq!(parse_share("85%").unwrap(), 0.85);
        assert_eq!(parse_share(" 85 % ").unwrap(), 0.85);
        assert_eq!(parse_share("0.85").unwrap(), 0.85);
        assert_eq!(parse_share("0").unwrap(), 0.0);
        assert_eq!(parse_share("1").unwrap(), 1.0);
        assert!(parse_share("85").unwrap_err().contains("\"85%\""));
        assert!(parse_share("x").unwrap_err().contains("not a share"));
        assert!(parse_share("NaN").is_err());
    }

    #[test]
    fn model_names_accept_dashes_and_underscores() {
        assert_eq!(parse_model("Erlang_A"), Some(StaffingModel::ErlangA));
        assert_eq!(parse_model("erlang-c"), Some(StaffingModel::ErlangC));
        assert_eq!(parse_model("erlang-b"), None);
    }
}
