//! The weekly roster: the chosen shifts handed to agents, one shift a day at most, honouring
//! every `[roster]` and `[[contract]]` rule. The program fixed how many agents of each contract
//! are off on each block of days and which shifts each contract works; here the agents are
//! made (one per unit of a days-off block) and, day by day, each shift (night shifts and late
//! starts first) goes to a working agent of its contract that keeps the weekly-hours, run,
//! rest and night rules — for a night shift one whose next day is off, otherwise the one with
//! the latest end the day before, so early shifts stay free for those who rested. Shifts no agent may take are returned, not dropped silently: the app
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
    /// First day of the agent's block of days off (the program's yᶜₒ).
    pub off: usize,
}

/// The roster of one pool.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub agents: Vec<Agent>,
    /// Shifts no agent could take under the rules: (variant, how many).
    pub unassigned: Vec<(usize, u32)>,
    /// Agents below their contract's minimum weekly hours: (agent index, paid minutes).
    pub under_hours: Vec<(usize, u32)>,
    /// Days in each agent's block of days off.
    pub off_len: usize,
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

/// Builds the roster from the program's answer: `off_blocks[c][o]` agents of contract `c` off
/// on the block starting on day `o`, and `counts` agents per (contract, variant) column.
pub fn build(
    rules: &ShiftRules,
    variants: &[Variant],
    columns: &[(usize, usize)],
    counts: &[u32],
    off_blocks: &[[u32; WEEK_DAYS]],
) -> Roster {
    let r = &rules.roster;
    let run = r.work_days_per_week().min(r.max_days_in_row) as usize;
    let off_len = WEEK_DAYS - run;
    let mut roster = Roster {
        off_len,
        ..Roster::default()
    };
    let mut off: Vec<usize> = Vec::new();
    for (c, blocks) in off_blocks.iter().enumerate() {
        for (o, &n) in blocks.iter().enumerate() {
            for _ in 0..n {
                roster.agents.push(Agent {
                    contract: c,
                    days: [None; WEEK_DAYS],
                    paid: 0,
                    off: o,
                });
                off.push(o);
            }
        }
    }
    let works = |a: usize, d: usize| !super::solve::off_days(off[a], off_len).any(|x| x == d);
    let mut unassigned = vec![0u32; variants.len()];
    for d in 0..WEEK_DAYS {
        // Latest start first, each to the working agent with the latest end the day before
        // (the most constrained one that still has its rest).
        let mut todo: Vec<(usize, usize)> = columns
            .iter()
            .zip(counts)
            .filter(|((_, v), n)| variants[*v].day == d && **n > 0)
            .flat_map(|(&(c, v), &n)| std::iter::repeat_n((c, v), n as usize))
            .collect();
        todo.sort_by_key(|&(c, v)| {
            (
                std::cmp::Reverse(variants[v].night),
                std::cmp::Reverse(variants[v].start),
                c,
                v,
            )
        });
        for (c, v) in todo {
            let pick = (0..roster.agents.len())
                .filter(|&a| {
                    roster.agents[a].contract == c
                        && works(a, d)
                        && may_work(rules, variants, &roster.agents[a], v)
                })
                .max_by_key(|&a| {
                    let prev = roster.agents[a].days[(d + WEEK_DAYS - 1) % WEEK_DAYS];
                    // After a night nobody rests enough for the next day's shifts: nights go
                    // to agents whose next day is off.
                    let night_then_off = variants[v].night && !works(a, (d + 1) % WEEK_DAYS);
                    (
                        night_then_off,
                        prev.map_or(0, |p| variants[p].week_end() as i64 + 1),
                        std::cmp::Reverse(a),
                    )
                });
            match pick {
                Some(a) => {
                    let ag = &mut roster.agents[a];
                    ag.days[d] = Some(v);
                    ag.paid += variants[v].paid;
                }
                None => unassigned[v] += 1,
            }
        }
    }
    repair(rules, variants, &mut roster, &mut unassigned, &works);
    roster.unassigned = unassigned
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

/// A rule of `[roster]` or `[[contract]]` that keeps an agent from a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// The contract does not work the shift's template.
    Template,
    /// `max_weekly_hours` of the contract.
    WeeklyHours,
    /// `max_days_in_row`.
    DaysInRow,
    /// `min_rest` between shifts.
    Rest,
    /// `no_consecutive_nights`.
    Nights,
}

impl Rule {
    /// The rule as a planner finds it in the scenario.
    pub fn text(self) -> &'static str {
        match self {
            Rule::Template => "[[contract]] shifts (the contract does not work this shift)",
            Rule::WeeklyHours => "[[contract]] max_weekly_hours",
            Rule::DaysInRow => "[roster] max_days_in_row",
            Rule::Rest => "[roster] min_rest",
            Rule::Nights => "[roster] no_consecutive_nights",
        }
    }
}

/// The first rule the week `days` of an agent of contract `contract` breaks, if any (the whole
/// week at once, cyclic).
pub fn broken_rule(
    rules: &ShiftRules,
    variants: &[Variant],
    contract: usize,
    days: &[Option<usize>; WEEK_DAYS],
) -> Option<Rule> {
    let k = &rules.contracts[contract];
    let r = &rules.roster;
    if days
        .iter()
        .flatten()
        .any(|&v| !k.templates.contains(&variants[v].template))
    {
        return Some(Rule::Template);
    }
    let paid: u32 = days.iter().flatten().map(|&v| variants[v].paid).sum();
    if paid > k.max_weekly {
        return Some(Rule::WeeklyHours);
    }
    if longest_run(days) > r.max_days_in_row as usize {
        return Some(Rule::DaysInRow);
    }
    for d in 0..WEEK_DAYS {
        let (Some(a), Some(b)) = (days[d], days[(d + 1) % WEEK_DAYS]) else {
            continue;
        };
        let (a, b) = (&variants[a], &variants[b]);
        if rest_between(a, b) < i64::from(r.min_rest) {
            return Some(Rule::Rest);
        }
        if r.no_consecutive_nights && a.night && b.night {
            return Some(Rule::Nights);
        }
    }
    None
}

/// Gives shifts the day-by-day pass left over to agents after all, by exchanges between two
/// agents of the same contract. The pass decides day by day, so an agent can reach a later
/// day with too many hours for any shift left (a part-timer given an 8-hour shift on Tuesday
/// has no room for Friday's 4 hours under a 25-hour contract) while another has room: the
/// program's hours constraint holds on average over the contract's agents, not per agent.
/// For a shift v on day d left over and an agent b of its contract who works d but has no
/// shift there: b takes v directly if the rules allow it, else b and another agent a swap
/// their shifts of some day e (or a gives b its shift of day d and takes v) when afterwards
/// both weeks break no rule. Deterministic: agents and days in index order.
fn repair(
    rules: &ShiftRules,
    variants: &[Variant],
    roster: &mut Roster,
    unassigned: &mut [u32],
    works: &dyn Fn(usize, usize) -> bool,
) {
    for v in 0..unassigned.len() {
        let d = variants[v].day;
        'one: while unassigned[v] > 0 {
            let n = roster.agents.len();
            for b in 0..n {
                let c = roster.agents[b].contract;
                if !works(b, d)
                    || roster.agents[b].days[d].is_some()
                    || !rules.contracts[c].templates.contains(&variants[v].template)
                {
                    continue;
                }
                let mut bd = roster.agents[b].days;
                bd[d] = Some(v);
                if broken_rule(rules, variants, c, &bd).is_none() {
                    set_days(variants, &mut roster.agents[b], bd);
                    unassigned[v] -= 1;
                    continue 'one;
                }
                for a in (0..n).filter(|&a| a != b && roster.agents[a].contract == c) {
                    for e in 0..WEEK_DAYS {
                        let (mut ad, mut bd) = (roster.agents[a].days, roster.agents[b].days);
                        if e == d {
                            // a hands its shift of day d to b and works v instead.
                            let Some(u) = ad[d] else { continue };
                            ad[d] = Some(v);
                            bd[d] = Some(u);
                        } else {
                            if ad[e].is_none() || bd[e].is_none() {
                                continue;
                            }
                            std::mem::swap(&mut ad[e], &mut bd[e]);
                            bd[d] = Some(v);
                        }
                        if broken_rule(rules, variants, c, &ad).is_none()
                            && broken_rule(rules, variants, c, &bd).is_none()
                        {
                            set_days(variants, &mut roster.agents[a], ad);
                            set_days(variants, &mut roster.agents[b], bd);
                            unassigned[v] -= 1;
                            continue 'one;
                        }
                    }
                }
            }
            break;
        }
    }
}

fn set_days(variants: &[Variant], agent: &mut Agent, days: [Option<usize>; WEEK_DAYS]) {
    agent.days = days;
    agent.paid = days.iter().flatten().map(|&v| variants[v].paid).sum();
}

/// Why no agent could take a left-over shift `v`: the rule that keeps most of the agents of
/// the contracts working the shift's template, free on its day and working that day, from
/// taking it — `None` when no such agent is free (every working agent already has a shift
/// that day).
pub fn binding_rule(
    rules: &ShiftRules,
    variants: &[Variant],
    roster: &Roster,
    v: usize,
) -> Option<(Rule, usize)> {
    let d = variants[v].day;
    let mut count: Vec<(Rule, usize)> = Vec::new();
    for agent in &roster.agents {
        if agent.days[d].is_some()
            || super::solve::off_days(agent.off, roster.off_len).any(|x| x == d)
        {
            continue;
        }
        let mut days = agent.days;
        days[d] = Some(v);
        if let Some(rule) = broken_rule(rules, variants, agent.contract, &days) {
            if rule == Rule::Template {
                continue;
            }
            match count.iter_mut().find(|(r, _)| *r == rule) {
                Some(x) => x.1 += 1,
                None => count.push((rule, 1)),
            }
        }
    }
    count.sort_by_key(|&(r, n)| (std::cmp::Reverse(n), r));
    count.first().copied()
}

/// Whether `agent` may also work variant `i` (on its day) under the weekly-hours, run, rest and
/// night rules.
fn may_work(rules: &ShiftRules, variants: &[Variant], agent: &Agent, i: usize) -> bool {
    let v = &variants[i];
    let k = &rules.contracts[agent.contract];
    let r = &rules.roster;
    if agent.days[v.day].is_some() || !k.templates.contains(&v.template) {
        return false;
    }
    if agent.paid + v.paid > k.max_weekly {
        return false;
    }
    let mut days = agent.days;
    days[v.day] = Some(i);
    if longest_run(&days) > r.max_days_in_row as usize {
        return false;
    }
    let prev = days[(v.day + WEEK_DAYS - 1) % WEEK_DAYS].map(|p| &variants[p]);
    let next = days[(v.day + 1) % WEEK_DAYS].map(|n| &variants[n]);
    for (a, b) in [(prev, Some(v)), (Some(v), next)] {
        let (Some(a), Some(b)) = (a, b) else { continue };
        if rest_between(a, b) < i64::from(r.min_rest) {
            return false;
        }
        if r.no_consecutive_nights && a.night && b.night {
            return false;
        }
    }
    true
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
