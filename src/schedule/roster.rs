//! The roster: the chosen shifts handed to agents, one shift a day at most, honouring every
//! `[roster]` and `[[contract]]` rule over the whole horizon — the same agents every week.
//!
//! The program fixed, per contract and week, how many agents work each pattern of days, and
//! which shifts each contract works each day. Here the agents are made (as many as the
//! contract's weekly headcount), each week's patterns are handed to them so that runs of
//! working days stay within `max_days_in_row` across the week boundary (most constrained agent
//! first, each taking the pattern starting with the longest run it may still take: the
//! program's Hall constraints guarantee everyone gets one), and then, day by day, each shift
//! (night shifts and late starts first) goes to a working agent of its contract that keeps the
//! weekly-hours, rest and night rules — for a night shift one whose next day is off, otherwise
//! the one with the latest end the day before, so early shifts stay free for those who rested.
//! Shifts no agent may take are returned, not dropped silently: the app reports them and
//! leaves their intervals short; agents below their contract's minimum hours in a week are
//! listed.
//!
//! Rules are checked on the cyclic week for a one-week horizon (Sunday's shift is followed by
//! Monday's); on a longer horizon from its first day to its last (the previous period's roster
//! is not known).

use super::patterns::{Pattern, leading_run, works};
use super::solve::Solution;
use super::{Variant, WEEK_DAYS};
use crate::scenario::shifts::{DAY_MIN, ShiftRules};

/// One agent's horizon.
#[derive(Debug, Clone)]
pub struct Agent {
    pub contract: usize,
    /// The crew (of the program's answer) the agent belongs to.
    pub crew: usize,
    /// The named agent of `agents.csv` (index into `ShiftRules::people`), `None` when
    /// anonymous.
    pub person: Option<usize>,
    /// The variant worked on each day of the horizon (by start day), `None` = off.
    pub days: Vec<Option<usize>>,
    /// Paid minutes in each week.
    pub paid: Vec<u32>,
    /// The days worked in each week (the program's patterns).
    pub patterns: Vec<Pattern>,
    /// The days of each week the agent is unavailable (leave, training).
    pub unavailable: Vec<Pattern>,
}

impl Agent {
    /// Paid minutes over the horizon.
    pub fn paid_total(&self) -> u32 {
        self.paid.iter().sum()
    }
    /// Whether the agent's pattern has it working on day `d` of the horizon.
    pub fn scheduled_on(&self, d: usize) -> bool {
        works(self.patterns[d / WEEK_DAYS], d % WEEK_DAYS)
    }
}

/// The roster of one pool.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub agents: Vec<Agent>,
    /// Shifts no agent could take under the rules: (variant, how many).
    pub unassigned: Vec<(usize, u32)>,
    /// Agents below their contract's minimum weekly hours (pro rata to the days they are
    /// available): (agent index, week, paid minutes, the minimum).
    pub under_hours: Vec<(usize, usize, u32, u32)>,
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

    /// Pay of the rostered shifts, each at its agent's contract rate, premiums and overtime
    /// included.
    pub fn cost(&self, rules: &ShiftRules, variants: &[Variant]) -> f64 {
        self.agents
            .iter()
            .map(|a| {
                let k = &rules.contracts[a.contract];
                a.days
                    .iter()
                    .flatten()
                    .map(|&v| variants[v].cost_at(k.hourly_cost))
                    .sum::<f64>()
                    + a.paid.iter().map(|&m| k.overtime_pay(m)).sum::<f64>()
            })
            .sum()
    }
}

/// Whether rules wrap from the horizon's last day to its first (a one-week horizon).
pub fn cyclic(days: usize) -> bool {
    days <= WEEK_DAYS
}

/// Builds the roster from the program's answer.
pub fn build(rules: &ShiftRules, variants: &[Variant], sol: &Solution, days: usize) -> Roster {
    let weeks = days.div_ceil(WEEK_DAYS).max(1);
    let mut roster = Roster::default();
    // The agents of each crew, as many as its weekly headcount (the crew's named agents in
    // the file's order).
    let mut of_crew: Vec<std::ops::Range<usize>> = Vec::new();
    for (g, per_week) in sol.pattern_counts.iter().enumerate() {
        let heads: u32 = per_week.first().map_or(0, |w| w.iter().sum());
        let first = roster.agents.len();
        for i in 0..heads as usize {
            roster.agents.push(Agent {
                contract: sol.crews[g].contract,
                crew: g,
                person: sol.crews[g].people.get(i).copied(),
                days: vec![None; days],
                paid: vec![0; weeks],
                patterns: vec![0; weeks],
                unavailable: sol.crews[g].unavailable.clone(),
            });
        }
        of_crew.push(first..roster.agents.len());
    }
    let mut unassigned = vec![0u32; variants.len()];
    // Week by week: the week's days but its last, then the next week's patterns (so the last
    // day's late shifts can go to agents whose next week starts with a day off), then the last
    // day.
    for (g, range) in of_crew.iter().enumerate() {
        let mut units: Vec<usize> = sol.pattern_counts[g][0]
            .iter()
            .enumerate()
            .flat_map(|(p, &n)| std::iter::repeat_n(p, n as usize))
            .collect();
        // Each agent in turn takes the unit whose days off it prefers most (any unit of a
        // pattern pairs with the next week as well as another).
        for a in range.clone() {
            let pick = (0..units.len())
                .max_by_key(|&i| {
                    (
                        days_off_liked(rules, &roster.agents[a], sol.patterns[g][units[i]]),
                        std::cmp::Reverse(i),
                    )
                })
                .unwrap_or(0);
            roster.agents[a].patterns[0] = sol.patterns[g][units.remove(pick)];
        }
    }
    for w in 0..weeks {
        let last = ((w + 1) * WEEK_DAYS).min(days) - 1;
        for d in w * WEEK_DAYS..last {
            assign_day(rules, variants, sol, &mut roster, &mut unassigned, d, days);
        }
        if w + 1 < weeks {
            for (g, range) in of_crew.iter().enumerate() {
                next_patterns(rules, sol, &mut roster, g, range.clone(), w);
            }
        }
        assign_day(
            rules,
            variants,
            sol,
            &mut roster,
            &mut unassigned,
            last,
            days,
        );
    }
    repair(rules, variants, &mut roster, &mut unassigned, days);
    roster.unassigned = unassigned
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (i, *n))
        .collect();
    for (i, a) in roster.agents.iter().enumerate() {
        for (w, &paid) in a.paid.iter().enumerate() {
            let min = sol.crews[a.crew].min_weekly(rules, w);
            if paid < min {
                roster.under_hours.push((i, w, paid, min));
            }
        }
    }
    roster
}

/// Hands week `w + 1`'s patterns of crew `g` to its agents `range` as the program paired
/// them with week `w`'s (its transitions keep every run across the boundary within
/// `max_days_in_row`): each agent takes, for its pattern of week w, a next pattern the program
/// paired with it — the one whose days off it prefers, then the one with the longest opening
/// run.
fn next_patterns(
    rules: &ShiftRules,
    sol: &Solution,
    roster: &mut Roster,
    g: usize,
    range: std::ops::Range<usize>,
    w: usize,
) {
    let pats = &sol.patterns[g];
    let mut left: Vec<(usize, usize, u32)> = sol.transitions[g][w].clone();
    for a in range {
        let now = roster.agents[a].patterns[w];
        let Some(from) = pats.iter().position(|&p| p == now) else {
            continue;
        };
        let agent = &roster.agents[a];
        let pick = (0..left.len())
            .filter(|&i| left[i].0 == from && left[i].2 > 0)
            .max_by_key(|&i| {
                (
                    days_off_liked(rules, agent, pats[left[i].1]),
                    leading_run(pats[left[i].1]),
                    std::cmp::Reverse(i),
                )
            })
            .or_else(|| (0..left.len()).find(|&i| left[i].2 > 0));
        if let Some(i) = pick {
            left[i].2 -= 1;
            roster.agents[a].patterns[w + 1] = pats[left[i].1];
        }
    }
}

/// Preferred days off of the agent's person that pattern `p` leaves off.
fn days_off_liked(rules: &ShiftRules, agent: &Agent, p: Pattern) -> u32 {
    agent.person.map_or(0, |i| {
        let off = &rules.people[i].preferred_days_off;
        (0..WEEK_DAYS).filter(|&d| off[d] && !works(p, d)).count() as u32
    })
}

/// Whether the agent's person prefers the template of variant `v` (soft).
fn likes_shift(rules: &ShiftRules, variants: &[Variant], agent: &Agent, v: usize) -> bool {
    agent.person.is_some_and(|i| {
        rules.people[i]
            .preferred_shifts
            .contains(&variants[v].template)
    })
}

/// Gives day `d`'s shifts to agents: nights and latest starts first, each to the working agent
/// with the latest end the day before (the most constrained one that still has its rest);
/// shifts ending too late for the next day's earliest start go first to agents whose next day
/// is off.
fn assign_day(
    rules: &ShiftRules,
    variants: &[Variant],
    sol: &Solution,
    roster: &mut Roster,
    unassigned: &mut [u32],
    d: usize,
    days: usize,
) {
    // Latest start first, each to the working agent with the latest end the day before
    // (the most constrained one that still has its rest).
    let mut todo: Vec<(usize, usize)> = sol
        .columns
        .iter()
        .zip(&sol.counts)
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
    // Shifts ending too late for the next day's earliest start of the contract go first
    // to agents whose next day is off.
    let earliest_next: Vec<Option<i64>> = (0..rules.contracts.len())
        .map(|c| {
            let n = next_day(d, days)?;
            sol.columns
                .iter()
                .zip(&sol.counts)
                .filter(|((cc, v), k)| *cc == c && variants[*v].day == n && **k > 0)
                .map(|((_, v), _)| {
                    let s = i64::from(variants[*v].week_start());
                    if n < d {
                        s + i64::from(days as u32 * DAY_MIN)
                    } else {
                        s
                    }
                })
                .min()
        })
        .collect();
    for (c, v) in todo {
        let tight = earliest_next[c].is_some_and(|s| {
            s - i64::from(variants[v].week_end()) < i64::from(rules.roster.min_rest)
        });
        let pick = (0..roster.agents.len())
            .filter(|&a| {
                let ag = &roster.agents[a];
                ag.contract == c && ag.scheduled_on(d) && may_work(rules, variants, ag, v, days)
            })
            .max_by_key(|&a| {
                let ag = &roster.agents[a];
                let prev = previous_day(d, days).and_then(|p| ag.days[p]);
                // After a night nobody rests enough for the next day's shifts: nights go
                // to agents whose next day is off.
                let night_then_off = (variants[v].night || tight)
                    && next_day(d, days).is_none_or(|n| !ag.scheduled_on(n));
                (
                    night_then_off,
                    prev.map_or(0, |p| variants[p].week_end() as i64 + 1),
                    likes_shift(rules, variants, ag, v),
                    // Hours spread evenly: the agent with the fewest this week first.
                    std::cmp::Reverse(ag.paid[d / WEEK_DAYS]),
                    std::cmp::Reverse(a),
                )
            });
        match pick {
            Some(a) => set_day(variants, &mut roster.agents[a], d, Some(v)),
            None => unassigned[v] += 1,
        }
    }
}

/// The day before `d` in the horizon (`None` before the first day of a multi-week horizon).
fn previous_day(d: usize, days: usize) -> Option<usize> {
    if d > 0 {
        Some(d - 1)
    } else if cyclic(days) {
        Some(days - 1)
    } else {
        None
    }
}

/// The day after `d` (`None` after the last day of a multi-week horizon).
fn next_day(d: usize, days: usize) -> Option<usize> {
    if d + 1 < days {
        Some(d + 1)
    } else if cyclic(days) {
        Some(0)
    } else {
        None
    }
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
    /// `max_days_per_week` of the contract (less the week's days of leave).
    DaysPerWeek,
    /// The agent is unavailable that day (`agents.csv`).
    Unavailable,
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
            Rule::DaysPerWeek => "[[contract]] max_days_per_week",
            Rule::Unavailable => "agents.csv unavailable",
        }
    }
}

/// The first rule the horizon `days` of an agent of contract `contract`, unavailable on the
/// days of `unavailable` (per week), breaks, if any (the whole horizon at once; cyclic for one
/// week).
pub fn broken_rule(
    rules: &ShiftRules,
    variants: &[Variant],
    contract: usize,
    unavailable: &[Pattern],
    days: &[Option<usize>],
) -> Option<Rule> {
    let k = &rules.contracts[contract];
    let leave = |w: usize| unavailable.get(w).copied().unwrap_or(0);
    let r = &rules.roster;
    if days
        .iter()
        .flatten()
        .any(|&v| !k.templates.contains(&variants[v].template))
    {
        return Some(Rule::Template);
    }
    for (w, week) in days.chunks(WEEK_DAYS).enumerate() {
        if week
            .iter()
            .enumerate()
            .any(|(d, v)| v.is_some() && works(leave(w), d))
        {
            return Some(Rule::Unavailable);
        }
        let paid: u32 = week.iter().flatten().map(|&v| variants[v].paid).sum();
        if paid > k.weekly_cap() {
            return Some(Rule::WeeklyHours);
        }
        if week.iter().flatten().count() as u32 > k.max_days.saturating_sub(leave(w).count_ones()) {
            return Some(Rule::DaysPerWeek);
        }
    }
    if longest_run(days) > r.max_days_in_row as usize {
        return Some(Rule::DaysInRow);
    }
    let n = days.len();
    for d in 0..n {
        let Some(e) = next_day(d, n) else { continue };
        let (Some(a), Some(b)) = (days[d], days[e]) else {
            continue;
        };
        let (a, b) = (&variants[a], &variants[b]);
        if rest_between(a, b, n) < i64::from(r.min_rest) {
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
/// their shifts of some day e of the same week (or a gives b its shift of day d and takes v)
/// when afterwards both horizons break no rule. Deterministic: agents and days in index order.
fn repair(
    rules: &ShiftRules,
    variants: &[Variant],
    roster: &mut Roster,
    unassigned: &mut [u32],
    days: usize,
) {
    for v in 0..unassigned.len() {
        let d = variants[v].day;
        // Days whose shifts may be exchanged: v's week, and the days either side of d (a
        // rest across a week boundary).
        let mut near: Vec<usize> =
            (d / WEEK_DAYS * WEEK_DAYS..((d / WEEK_DAYS + 1) * WEEK_DAYS).min(days)).collect();
        near.extend(previous_day(d, days).filter(|e| !near.contains(e)));
        near.extend(next_day(d, days).filter(|e| !near.contains(e)));
        'one: while unassigned[v] > 0 {
            let n = roster.agents.len();
            for b in 0..n {
                let c = roster.agents[b].contract;
                if !roster.agents[b].scheduled_on(d)
                    || roster.agents[b].days[d].is_some()
                    || !rules.contracts[c].templates.contains(&variants[v].template)
                {
                    continue;
                }
                let mut bd = roster.agents[b].days.clone();
                bd[d] = Some(v);
                if broken_rule(rules, variants, c, &roster.agents[b].unavailable, &bd).is_none() {
                    set_days(variants, &mut roster.agents[b], bd);
                    unassigned[v] -= 1;
                    continue 'one;
                }
                for a in (0..n).filter(|&a| a != b && roster.agents[a].contract == c) {
                    for &e in &near {
                        let mut ad = roster.agents[a].days.clone();
                        let mut bd = roster.agents[b].days.clone();
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
                        if broken_rule(rules, variants, c, &roster.agents[a].unavailable, &ad)
                            .is_none()
                            && broken_rule(rules, variants, c, &roster.agents[b].unavailable, &bd)
                                .is_none()
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

fn set_day(variants: &[Variant], agent: &mut Agent, d: usize, v: Option<usize>) {
    let mut days = std::mem::take(&mut agent.days);
    days[d] = v;
    set_days(variants, agent, days);
}

fn set_days(variants: &[Variant], agent: &mut Agent, days: Vec<Option<usize>>) {
    agent.paid = days
        .chunks(WEEK_DAYS)
        .map(|w| w.iter().flatten().map(|&v| variants[v].paid).sum())
        .collect();
    agent.days = days;
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
        if agent.days[d].is_some() || !agent.scheduled_on(d) {
            continue;
        }
        let mut days = agent.days.clone();
        days[d] = Some(v);
        if let Some(rule) = broken_rule(rules, variants, agent.contract, &agent.unavailable, &days)
        {
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
fn may_work(
    rules: &ShiftRules,
    variants: &[Variant],
    agent: &Agent,
    i: usize,
    days: usize,
) -> bool {
    let v = &variants[i];
    let k = &rules.contracts[agent.contract];
    let r = &rules.roster;
    if agent.days[v.day].is_some() || !k.templates.contains(&v.template) {
        return false;
    }
    if agent.paid[v.day / WEEK_DAYS] + v.paid > k.weekly_cap() {
        return false;
    }
    // The run of working days through v's day.
    let worked = |d: Option<usize>| d.and_then(|d| agent.days[d]).is_some();
    let (mut run, mut d) = (1usize, v.day);
    while run <= days && worked(previous_day(d, days)) {
        run += 1;
        d = previous_day(d, days).unwrap_or(d);
    }
    let mut d = v.day;
    while run <= days && worked(next_day(d, days)) {
        run += 1;
        d = next_day(d, days).unwrap_or(d);
    }
    if run > r.max_days_in_row as usize {
        return false;
    }
    let prev = previous_day(v.day, days)
        .and_then(|p| agent.days[p])
        .map(|p| &variants[p]);
    let next = next_day(v.day, days)
        .and_then(|n| agent.days[n])
        .map(|n| &variants[n]);
    for (a, b) in [(prev, Some(v)), (Some(v), next)] {
        let (Some(a), Some(b)) = (a, b) else { continue };
        if rest_between(a, b, days) < i64::from(r.min_rest) {
            return false;
        }
        if r.no_consecutive_nights && a.night && b.night {
            return false;
        }
    }
    true
}

/// Longest run of working days (on the cyclic week for a one-week horizon; the whole horizon
/// when every day is worked).
pub fn longest_run<T>(days: &[Option<T>]) -> usize {
    let n = days.len();
    let span = if cyclic(n) { 2 * n } else { n };
    let (mut best, mut run) = (0, 0);
    for i in 0..span {
        if days[i % n].is_some() {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best.min(n)
}

/// Minutes from the end of `a` to the start of `b` worked the next day (on a one-week horizon
/// cyclic: Sunday then Monday of the following week); negative when they overlap.
pub fn rest_between(a: &Variant, b: &Variant, days: usize) -> i64 {
    let horizon = i64::from(days as u32 * DAY_MIN);
    let mut start = i64::from(b.week_start());
    if b.day <= a.day {
        start += horizon;
    }
    start - i64::from(a.week_end())
}
