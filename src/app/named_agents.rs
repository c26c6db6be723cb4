//! What `hotline schedule` says of the named agents of `[roster] agents` (an `agents.csv`): per
//! pool, who is rostered, their days away, and how many of their soft preferences the roster
//! met — the `people` object of `schedule.json` and its lines on stdout.

use serde::Serialize;

use crate::scenario::shifts::ShiftRules;
use crate::schedule::Variant;
use crate::schedule::roster::Roster;

/// The named agents of a pool (`[roster] agents`).
#[derive(Debug, Default, Serialize)]
pub(crate) struct People {
    /// Named agents of the pool in agents.csv.
    pub available: usize,
    /// Of them, agents with at least one shift.
    pub rostered: usize,
    /// Named agents the plan needs no shift from.
    pub not_needed: Vec<String>,
    /// Days of leave or training inside the horizon (no shift is given on them).
    pub unavailable_days: usize,
    /// Preferred days off: agent-days asked (leave days excluded) and met (no shift that day).
    pub preferred_days_off_asked: usize,
    pub preferred_days_off_met: usize,
    /// Shifts of agents with preferred shifts, and of them shifts of a preferred template.
    pub preferred_shifts_asked: usize,
    pub preferred_shifts_met: usize,
}

/// What the roster did with pool `p`'s named agents: who works, who is not needed, and how many
/// of their preferences were met.
pub(crate) fn people_summary(
    rules: &ShiftRules,
    vars: &[Variant],
    first_weekday: usize,
    p: usize,
    r: &Roster,
) -> People {
    let mut out = People::default();
    let mut rostered = vec![false; rules.people.len()];
    for a in &r.agents {
        let Some(i) = a.person else { continue };
        let person = &rules.people[i];
        if a.days.iter().any(Option::is_some) {
            rostered[i] = true;
        }
        for (d, day) in a.days.iter().enumerate() {
            if person.unavailable_on(d) {
                out.unavailable_days += 1;
                continue;
            }
            if person.preferred_days_off[(first_weekday + d) % 7] {
                out.preferred_days_off_asked += 1;
                out.preferred_days_off_met += usize::from(day.is_none());
            }
            if let Some(v) = day
                && !person.preferred_shifts.is_empty()
            {
                out.preferred_shifts_asked += 1;
                out.preferred_shifts_met +=
                    usize::from(person.preferred_shifts.contains(&vars[*v].template));
            }
        }
    }
    for (i, person) in rules.people.iter().enumerate() {
        if person.pool != p {
            continue;
        }
        out.available += 1;
        if rostered[i] {
            out.rostered += 1;
        } else {
            out.not_needed.push(person.name.clone());
        }
    }
    out
}

/// The named agents' lines of a pool in the summary.
pub(crate) fn people_text(p: &People) -> String {
    let mut t = format!(
        "  named agents (agents.csv): {} of {} rostered",
        p.rostered, p.available
    );
    if p.unavailable_days > 0 {
        t += &format!(
            "; {} days of leave or training kept free",
            p.unavailable_days
        );
    }
    if !p.not_needed.is_empty() {
        let mut names = p
            .not_needed
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if p.not_needed.len() > 5 {
            names += &format!(" and {} more", p.not_needed.len() - 5);
        }
        t += &format!("; not needed: {names}");
    }
    t.push('\n');
    let pct = |met: usize, asked: usize| format!("{:.1}%", 100.0 * met as f64 / asked as f64);
    let mut met = Vec::new();
    if p.preferred_days_off_asked > 0 {
        met.push(format!(
            "days off {} of {} agent-days ({})",
            p.preferred_days_off_met,
            p.preferred_days_off_asked,
            pct(p.preferred_days_off_met, p.preferred_days_off_asked)
        ));
    }
    if p.preferred_shifts_asked > 0 {
        met.push(format!(
            "preferred shifts {} of {} shifts ({})",
            p.preferred_shifts_met,
            p.preferred_shifts_asked,
            pct(p.preferred_shifts_met, p.preferred_shifts_asked)
        ));
    }
    if !met.is_empty() {
        t += &format!("  preferences met: {}\n", met.join(", "));
    }
    t
}
