//! Crews: the agents of one contract in one pool who are interchangeable for the program —
//! the same contract and the same days unavailable. Without `agents.csv` each contract is one
//! crew of up to `max_agents` anonymous agents, available every day (the program as before);
//! with it, each pool's named agents are grouped by contract and by the days they are on leave,
//! and a crew has exactly as many agents as people in it — all of them rostered: they are under
//! contract, so each works its contract's days and minimum hours.
//!
//! A crew's agents work, each week, one of the patterns its contract allows *that week*: none
//! of its unavailable days, and a day of leave counts as a day worked — between
//! `min_days_per_week − L` and `max_days_per_week − L` days for L unavailable days in the
//! week, at least `min_weekly_hours × (min_days − L) ÷ min_days`; the weekly maximum hours (and
//! the overtime above them) are the contract's. Leave is not paid by the roster: its cost is
//! the shifts'.
//! Preferences are not part of the crew: they are soft and honoured by the roster.
//!
//! Owns grouping people into crews and what a crew may work each week; the program's use of
//! them is `solve`'s, handing patterns to people `roster`'s.

use super::WEEK_DAYS;
use super::patterns::{Pattern, patterns_within};
use crate::scenario::shifts::{Contract, ShiftRules};

/// Agents of one contract with the same days unavailable.
#[derive(Debug, Clone, PartialEq)]
pub struct Crew {
    pub contract: usize,
    /// Most agents the program may roster in it.
    pub size: u32,
    /// Per week of the horizon, the days of that week the crew is unavailable (bit d = day d).
    pub unavailable: Vec<Pattern>,
    /// The named agents in it (indices into [`ShiftRules::people`]), in the file's order;
    /// empty for anonymous agents.
    pub people: Vec<usize>,
}

impl Crew {
    /// Unavailable days in week `w`.
    pub fn unavailable_days(&self, w: usize) -> u32 {
        self.unavailable.get(w).map_or(0, |m| m.count_ones())
    }

    /// Least paid minutes an agent of the crew works in week `w`: a day of leave counts as a
    /// day of the contract's minimum (`min_weekly × (min_days − L) ÷ min_days`).
    pub fn min_weekly(&self, rules: &ShiftRules, w: usize) -> u32 {
        min_weekly_with_leave(&rules.contracts[self.contract], self.unavailable_days(w))
    }

    /// Most working days of an agent of the crew in week `w`: a day of leave counts as a day
    /// worked.
    pub fn max_days(&self, rules: &ShiftRules, w: usize) -> u32 {
        rules.contracts[self.contract]
            .max_days
            .saturating_sub(self.unavailable_days(w))
    }
}

/// Least paid minutes a week of contract `k` with `leave` days unavailable in it: a day of
/// leave counts as a day of the contract's minimum.
pub fn min_weekly_with_leave(k: &Contract, leave: u32) -> u32 {
    if k.min_days == 0 {
        return k.min_weekly;
    }
    k.min_weekly * k.min_days.saturating_sub(leave) / k.min_days
}

/// The crews of pool `pool` over `weeks` weeks.
pub fn crews(rules: &ShiftRules, pool: usize, weeks: usize) -> Vec<Crew> {
    if rules.people.is_empty() {
        return rules
            .contracts
            .iter()
            .enumerate()
            .map(|(c, k)| Crew {
                contract: c,
                size: k.max_agents,
                unavailable: vec![0; weeks],
                people: Vec::new(),
            })
            .collect();
    }
    let mut out: Vec<Crew> = Vec::new();
    for (i, person) in rules.people.iter().enumerate() {
        if person.pool != pool {
            continue;
        }
        let mut unavailable: Vec<Pattern> = vec![0; weeks];
        for &d in &person.unavailable {
            if let Some(m) = unavailable.get_mut(d / WEEK_DAYS) {
                *m |= 1 << (d % WEEK_DAYS);
            }
        }
        match out
            .iter_mut()
            .find(|c| c.contract == person.contract && c.unavailable == unavailable)
        {
            Some(c) => {
                c.size += 1;
                c.people.push(i);
            }
            None => out.push(Crew {
                contract: person.contract,
                size: 1,
                unavailable,
                people: vec![i],
            }),
        }
    }
    // Contracts in file order, crews without leave first: deterministic and readable.
    out.sort_by_key(|c| (c.contract, c.unavailable.iter().any(|&m| m != 0)));
    out
}

/// The patterns crew `g` may work: `list` (every pattern it may work in some week) and, per
/// week, which of them it may work that week.
pub struct CrewPatterns {
    pub list: Vec<Pattern>,
    pub allowed: Vec<Vec<bool>>,
}

/// Patterns of `crew` given the days of the week its contract has a shift on.
pub fn crew_patterns(
    rules: &ShiftRules,
    crew: &Crew,
    cyclic: bool,
    has_shift: &[bool; WEEK_DAYS],
) -> CrewPatterns {
    let per_week: Vec<Vec<Pattern>> = crew
        .unavailable
        .iter()
        .map(|&off| patterns_within(rules, crew.contract, cyclic, has_shift, off))
        .collect();
    let mut list: Vec<Pattern> = per_week.iter().flatten().copied().collect();
    list.sort_unstable();
    list.dedup();
    let allowed = per_week
        .iter()
        .map(|ps| list.iter().map(|p| ps.contains(p)).collect())
        .collect();
    CrewPatterns { list, allowed }
}
