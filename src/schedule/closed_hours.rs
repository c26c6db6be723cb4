//! Closed hours and the rule that forces them: agent-hours a roster puts on the phones while
//! every queue the pool serves is closed, each attributed to the rule of the scenario that
//! keeps the roster from avoiding it, with its pay — so a planner sees which rule to change and
//! what changing it could save at most.
//!
//! The attribution is a counterfactual on the roster as it stands, one shift at a time: a
//! rostered shift with k closed intervals could be replaced, on its day, by no shift or by
//! another shift the agent's contract works in the pool that covers every *open* interval the
//! shift covers (so no requirement loses an agent) with fewer closed intervals. Of its k closed
//! intervals,
//! - those a replacement breaking no rule avoids are **not forced**: the program chose them
//!   (its hours constraints hold per crew on average, and it stops within its gap);
//! - of the rest, those no such replacement exists for are forced by the **shift templates**
//!   (lengths, start times and pools of the `[[shift]]`s the contract works);
//! - the others by the rule the replacement with fewest closed intervals breaks: a contract's
//!   minimum days or hours a week (leave counted as in [`super::crews`]), or one of the
//!   roster's rules ([`Rule`]).
//!
//! Owns the attribution; the hours themselves are counted by `app::schedule`.

use super::Variant;
use super::WEEK_DAYS;
use super::crews::min_weekly_with_leave;
use super::patterns::Pattern;
use super::roster::{Agent, Roster, Rule, broken_rule};
use crate::scenario::shifts::ShiftRules;

/// What keeps a closed agent-hour in the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// No shift the contract works in the pool covers the same open hours with less closed
    /// time.
    Templates,
    /// Dropping the shift leaves the agent fewer days that week than the contract's minimum.
    MinDays,
    /// The replacement leaves the agent fewer paid hours that week than the contract's minimum.
    MinHours,
    /// The replacement breaks a roster or contract rule.
    Rule(Rule),
    /// A replacement breaking no rule exists: the program's choice.
    NotForced,
}

impl Cause {
    /// The rule as a planner finds it in the scenario.
    pub fn text(self) -> &'static str {
        match self {
            Cause::Templates => "[[shift]] lengths, start times and pools",
            Cause::MinDays => "[[contract]] min_days_per_week",
            Cause::MinHours => "[[contract]] min_weekly_hours",
            Cause::Rule(r) => r.text(),
            Cause::NotForced => "none (the program's choice)",
        }
    }
}

/// Closed agent-hours of one pool kept by one cause, and their pay before premiums.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedHours {
    pub cause: Cause,
    pub agent_hours: f64,
    pub pay: f64,
}

/// The closed agent-hours of `roster` (pool `pool`; `idle[k]`: every queue the pool serves is
/// closed in interval k) by cause, in the order of [`Cause`]; causes with no hours left out.
pub fn attribute(
    rules: &ShiftRules,
    variants: &[Variant],
    roster: &Roster,
    pool: usize,
    idle: &[bool],
    interval_h: f64,
) -> Vec<ClosedHours> {
    let closed = |v: usize| variants[v].covers.iter().filter(|&&k| idle[k]).count();
    let days = roster.agents.first().map_or(0, |a| a.days.len());
    let mut by_day: Vec<Vec<usize>> = vec![Vec::new(); days];
    for (i, v) in variants.iter().enumerate() {
        let t = &rules.templates[v.template];
        if v.day < days && t.pools.as_ref().is_none_or(|ps| ps.contains(&pool)) {
            by_day[v.day].push(i);
        }
    }
    let mut out: Vec<ClosedHours> = Vec::new();
    let mut add = |cause: Cause, n: usize, rate: f64| {
        if n == 0 {
            return;
        }
        let h = n as f64 * interval_h;
        match out.iter_mut().find(|c| c.cause == cause) {
            Some(c) => {
                c.agent_hours += h;
                c.pay += h * rate;
            }
            None => out.push(ClosedHours {
                cause,
                agent_hours: h,
                pay: h * rate,
            }),
        }
    };
    for agent in &roster.agents {
        let k = &rules.contracts[agent.contract];
        for (d, v) in agent.days.iter().enumerate() {
            let Some(v) = *v else { continue };
            let kept = closed(v);
            if kept == 0 {
                continue;
            }
            let open = |u: usize| variants[u].covers.iter().filter(|&&i| !idle[i]);
            // Replacements: no shift, or a shift of the contract covering v's open intervals.
            let mut options: Vec<(usize, Option<usize>)> = Vec::new();
            if open(v).next().is_none() {
                options.push((0, None));
            }
            for &u in &by_day[d] {
                let c = closed(u);
                if c < kept
                    && k.templates.contains(&variants[u].template)
                    && open(v).all(|i| variants[u].covers.contains(i))
                {
                    options.push((c, Some(u)));
                }
            }
            options.sort_unstable();
            let verdicts: Vec<(usize, Option<Cause>)> = options
                .iter()
                .map(|&(c, u)| (c, obstacle(rules, variants, agent, d, u)))
                .collect();
            let legal = verdicts
                .iter()
                .filter(|(_, why)| why.is_none())
                .map(|&(c, _)| c)
                .min()
                .unwrap_or(kept);
            add(Cause::NotForced, kept - legal, k.hourly_cost);
            let forced = match verdicts.iter().find(|&&(c, _)| c < legal) {
                None => Cause::Templates,
                Some(&(_, why)) => why.unwrap_or(Cause::NotForced),
            };
            add(forced, legal, k.hourly_cost);
        }
    }
    out.sort_by_key(|c| c.cause);
    out
}

/// The rule `agent` would break working `u` (or nothing) instead of its shift on day `d`.
fn obstacle(
    rules: &ShiftRules,
    variants: &[Variant],
    agent: &Agent,
    d: usize,
    u: Option<usize>,
) -> Option<Cause> {
    let mut days = agent.days.clone();
    days[d] = u;
    if let Some(rule) = broken_rule(rules, variants, agent.contract, &agent.unavailable, &days) {
        return Some(Cause::Rule(rule));
    }
    let k = &rules.contracts[agent.contract];
    let w = d / WEEK_DAYS;
    let leave = agent
        .unavailable
        .get(w)
        .map_or(0, |m: &Pattern| m.count_ones());
    let week = |days: &[Option<usize>]| -> (u32, u32) {
        let week = &days[w * WEEK_DAYS..((w + 1) * WEEK_DAYS).min(days.len())];
        let paid = week.iter().flatten().map(|&v| variants[v].paid).sum();
        (week.iter().flatten().count() as u32, paid)
    };
    // A minimum counts only where the replacement takes the agent further below it than the
    // roster already is.
    let ((worked, paid), (worked_now, paid_now)) = (week(&days), week(&agent.days));
    if worked < worked_now && worked < k.min_days.saturating_sub(leave) {
        return Some(Cause::MinDays);
    }
    (paid < paid_now && paid < min_weekly_with_leave(k, leave)).then_some(Cause::MinHours)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::idle_intervals;

    /// A line open Monday–Friday 08:00–16:00 (the integration tests' too), 8-hour shifts
    /// starting 07:00–09:00 on any day, a contract of at least 3 days and `MIN` hours a week.
    const LINE: &str = include_str!("../../tests/data/weekday-line.toml");

    /// The causes of one agent working `shifts` (day, start "HH:MM") under `min_hours`.
    fn causes(min_hours: u32, shifts: &[(usize, u32)]) -> Vec<(Cause, f64, f64)> {
        let text = LINE
            .replace("days = 14", "days = 7")
            .replace("START", "07:00-09:00")
            .replace("LENGTH", "8h")
            .replace("MIN", &min_hours.to_string());
        let path = std::path::Path::new("line.toml");
        let (model, rules) = crate::scenario::parse_with_shift_rules(&text, path).unwrap();
        let rules = rules.unwrap();
        let vars = super::super::variants(&rules, model.calendar.first_weekday(), 30, 7);
        let mut days = vec![None; 7];
        for &(d, start) in shifts {
            days[d] = vars.iter().position(|v| v.day == d && v.start == start);
            assert!(days[d].is_some(), "no variant on day {d} at {start}");
        }
        let paid = days.iter().flatten().map(|&v| vars[v].paid).sum();
        let roster = Roster {
            agents: vec![Agent {
                contract: 0,
                crew: 0,
                person: None,
                days,
                paid: vec![paid],
                patterns: vec![0],
                unavailable: vec![0],
            }],
            unassigned: Vec::new(),
            under_hours: Vec::new(),
        };
        let idle = idle_intervals(&model);
        attribute(&rules, &vars, &roster, 0, &idle[0], 0.5)
            .into_iter()
            .map(|c| (c.cause, c.agent_hours, c.pay))
            .collect()
    }

    /// Monday from 07:00 has an hour before the opening that the 08:00 start avoids with no
    /// rule broken: the program's choice.
    #[test]
    fn an_avoidable_closed_hour_is_not_forced() {
        let got = causes(24, &[(0, 7 * 60), (1, 8 * 60), (2, 8 * 60)]);
        assert_eq!(got, [(Cause::NotForced, 1.0, 10.0)]);
    }

    /// A Saturday shift (the line closed) is the third day of a 3-day contract: the days
    /// force it; with those days worked on weekdays, 32 hours force a fourth shift.
    #[test]
    fn a_whole_closed_day_is_forced_by_the_contract_minimum_it_keeps() {
        let got = causes(24, &[(0, 8 * 60), (1, 8 * 60), (5, 8 * 60)]);
        assert_eq!(got, [(Cause::MinDays, 8.0, 80.0)]);
        let got = causes(32, &[(0, 8 * 60), (1, 8 * 60), (2, 8 * 60), (5, 8 * 60)]);
        assert_eq!(got, [(Cause::MinHours, 8.0, 80.0)]);
    }

    /// A Saturday shift next to a Monday 07:00 start: two causes in one agent's week, each its
    /// own hours, in the order of `Cause`.
    #[test]
    fn causes_are_split_by_the_hours_each_keeps() {
        let got = causes(24, &[(0, 7 * 60), (1, 8 * 60), (5, 8 * 60)]);
        assert_eq!(
            got,
            [(Cause::MinDays, 8.0, 80.0), (Cause::NotForced, 1.0, 10.0)]
        );
    }
}
