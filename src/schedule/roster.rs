//! The weekly roster: the chosen shifts handed to agents, one shift a day at most, honouring
//! every `[roster]` and `[[contract]]` rule. A constructive greedy, agent by agent: contracts in
//! file order, each agent's days off one block (two consecutive days with `two_days_off`) placed
//! where the week leaves most working days with work, then on each working day the remaining
//! shift closest to the day before (same template, nearest start) that keeps the rest, night
//! and weekly-hours rules. By construction the working days form one run no longer than
//! `max_days_in_row`. Shifts no agent may take are returned, not dropped silently: the app
//! reports them and leaves their intervals short; agents below their contract's minimum hours
//! are listed.
//!
//! Rules are checked on the cyclic week (Sunday's shift is followed by Monday's).

use super::{Variant, WEEK_DAYS};
use crate::scenario::shifts::{DAY_MIN, ShiftRules};


/// One agent's week.
#[derive(Debug, Clone)]
pub struct Agent {
    pub contract: usize,
    /// The variant worked on each day of the week (by start day), `None` = off.
    pub days: [Option<usize>; WEEK_DAYS],
    /// Paid minutes in the week.
    pub paid: u32,
}

/// The roster of one pool.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub agents: Vec<Agent>,
    /// Shifts no agent could take under the rules: (variant, how many).
    pub unassigned: Vec<(usize, u32)>,
    /// Agents below their contract's minimum weekly hours: (agent index, paid minutes).
    pub under_hours: Vec<(usize, u32)>,
}

impl Roster {
    /// Agents working each variant.
    pub fn counts(&self, n_variants: usize) -> Vec<u32> {
        let mut c = vec![0u32; n_variants];
        for a in &self.agents {
            for v in a.days.iter().flatten() {
                c[*v] += 1;
            }
        }
        c
    }
}

/// Builds the roster for `counts` agents on each variant.
pub fn build(rules: &ShiftRules, variants: &[Variant], counts: &[u32]) -> Roster {
    let r = &rules.roster;
    let mut remaining = counts.to_vec();
    let mut roster = Roster::default();
    // The working days of every agent form one run after a block of days off: the run is as
    // long as the rules allow (days per week, days in a row), the block the rest of the week.
    let run = r.work_days_per_week().min(r.max_days_in_row) as usize;
    let off_len = WEEK_DAYS - run;
    for (c, contract) in rules.contracts.iter().enumerate() {
        let eligible = |i: usize| contract.templates.contains(&variants[i].template);
        let mut hired = 0;
        while hired < contract.max_agents {
            // Shifts this contract could still take, per day.
            let mut left = [0u32; WEEK_DAYS];
            for (i, v) in variants.iter().enumerate() {
                if eligible(i) {
                    left[v.day] += remaining[i];
                }
            }
            // The off block that leaves the most working days with work, then the least work.
            let Some(o) = (0..WEEK_DAYS).min_by_key(|&o| {
                let off: u32 = (0..off_len).map(|j| left[(o + j) % WEEK_DAYS]).sum();
                let days = (off_len..WEEK_DAYS)
                    .filter(|&j| left[(o + j) % WEEK_DAYS] > 0)
                    .count();
                (std::cmp::Reverse(days), off, o)
            }) else {
                break;
            };
            let mut agent = Agent {
                contract: c,
                days: [None; WEEK_DAYS],
                paid: 0,
            };
            let mut prev: Option<usize> = None;
            for j in off_len..WEEK_DAYS {
                let day = (o + j) % WEEK_DAYS;
                let pick = (0..variants.len())
                    .filter(|&i| {
                        let v = &variants[i];
                        v.day == day
                            && remaining[i] > 0
                            && eligible(i)
                            && agent.paid + v.paid <= contract.max_weekly
                            && prev.is_none_or(|p| {
                                let p = &variants[p];
                                rest_between(p, v) >= i64::from(r.min_rest)
                                    && !(r.no_consecutive_nights && p.night && v.night)
                            })
                    })
                    .min_by_key(|&i| {
                        let v = &variants[i];
                        match prev {
                            // Keep the agent's week regular: same template, nearest start.
                            Some(p) => {
                                let p = &variants[p];
                                (
                                    u32::from(v.template != p.template),
                                    v.start.abs_diff(p.start),
                                    std::cmp::Reverse(remaining[i]),
                                    i,
                                )
                            }
                            None => (0, 0, std::cmp::Reverse(remaining[i]), i),
                        }
                    });
                if let Some(i) = pick {
                    remaining[i] -= 1;
                    agent.days[day] = Some(i);
                    agent.paid += variants[i].paid;
                }
                // A day without a shift ends the chain of rest checks: the next shift follows
                // a day off.
                prev = pick;
            }
            if agent.paid == 0 {
                break;
            }
            roster.agents.push(agent);
            hired += 1;
        }
    }
    roster.unassigned = remaining
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (i, *n))
        .collect();
    roster.under_hours = roster
        .agents
        .iter()
        .enumerate()
        .filter(|(_, a)| a.paid < rules.contracts[a.contract].min_weekly)
        .map(|(i, a)| (i, a.paid))
        .collect();
    roster
}

/// Longest run of working days on the cyclic week (7 when every day is worked).
pub fn longest_run<T>(days: &[Option<T>; WEEK_DAYS]) -> usize {
    let mut best = 0;
    for s in 0..WEEK_DAYS {
        let run = (0..WEEK_DAYS)
            .take_while(|&j| days[(s + j) % WEEK_DAYS].is_some())
            .count();
        best = best.max(run);
    }
    best
}

/// Minutes from the end of `a` to the start of `b` worked the next day (cyclic: Sunday then
/// Monday of the following week); negative when they overlap.
pub fn rest_between(a: &Variant, b: &Variant) -> i64 {
    let week = i64::from(WEEK_DAYS as u32 * DAY_MIN);
    let mut start = i64::from(b.week_start());
    if b.day <= a.day {
        start += week;
    }
    start - i64::from(a.week_end())
}
