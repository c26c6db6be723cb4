//! The shift rules `hotline check` prints after the rest of the scenario (`[[shift]]`,
//! `[[contract]]`, `[roster]`): one line per template and contract, two for the roster.

use std::fmt::Write;

use super::{clock, day_label, duration};
use crate::scenario::shifts::ShiftRules;
use crate::time::WEEKDAYS;

/// The shift rules `hotline check` understood (`[[shift]]`, `[[contract]]`, `[roster]`), one
/// line per template and contract and two for the roster, after the rest of [`describe`]:
/// what `hotline schedule` and `hotline plan` will build a week from.
pub fn describe_shift_rules(r: &ShiftRules, pool_names: &[String]) -> String {
    let mut out = String::new();
    let min = |m: u32| duration(f64::from(m) * 60.0);
    let at = |m: u32| clock(f64::from(m) * 60.0);
    let _ = writeln!(out, "\nShift rules (`hotline schedule`, `hotline plan`)");
    let width = r.templates.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in &r.templates {
        let starts = if t.start_first == t.start_last {
            format!("starts {}", at(t.start_first))
        } else {
            format!(
                "starts {}–{} every {}",
                at(t.start_first),
                at(t.start_last),
                min(t.step)
            )
        };
        let lengths: Vec<String> = t.lengths.iter().map(|&l| min(l)).collect();
        let breaks = if t.breaks.is_empty() {
            "no paid break".to_string()
        } else {
            let b: Vec<String> = t.breaks.iter().map(|&b| min(b)).collect();
            format!("paid breaks {}", b.join(" + "))
        };
        let lunch = t.lunch.map_or("no lunch".to_string(), |l| {
            format!(
                "lunch {} unpaid, starting {}–{} in",
                min(l.length),
                min(l.after_min),
                min(l.after_max)
            )
        });
        let pools = t.pools.as_ref().map_or(String::new(), |ps| {
            let names: Vec<&str> = ps
                .iter()
                .filter_map(|&p| pool_names.get(p).map(String::as_str))
                .collect();
            format!("  pools {}", names.join(", "))
        });
        let _ = writeln!(
            out,
            "  shift {:<width$}  {:<9}  {starts}  length {}  {breaks}  {lunch}{pools}",
            t.name,
            days(&t.weekdays),
            lengths.join(" or ")
        );
    }
    let width = r.contracts.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in &r.contracts {
        let shifts: Vec<&str> = c
            .templates
            .iter()
            .filter_map(|&i| r.templates.get(i).map(|t| t.name.as_str()))
            .collect();
        let overtime = if c.overtime > 0 {
            format!(
                " (+{} h overtime at +{}%)",
                hours(c.overtime),
                c.overtime_premium * 100.0
            )
        } else {
            String::new()
        };
        let days_a_week = if c.min_days == c.max_days {
            format!("{} days a week", c.max_days)
        } else {
            format!("{}–{} days a week", c.min_days, c.max_days)
        };
        let _ = writeln!(
            out,
            "  contract {:<width$}  {}–{} paid hours a week{overtime}  {days_a_week}  {} per paid hour  at most {} agents per pool  shifts {}",
            c.name,
            hours(c.min_weekly),
            hours(c.max_weekly),
            c.hourly_cost,
            c.max_agents,
            shifts.join(", ")
        );
    }
    let x = &r.roster;
    let mut rules = vec![
        format!("at most {} days in a row", x.max_days_in_row),
        format!("{} rest between shifts", min(x.min_rest)),
    ];
    if x.no_consecutive_nights {
        rules.push("no two night shifts in a row".into());
    }
    if x.two_days_off {
        rules.push("two consecutive days off a week".into());
    }
    let _ = writeln!(out, "  roster   {}", rules.join(", "));
    let _ = writeln!(
        out,
        "  pay      {} per paid hour unless the contract says; night {}–{} +{}% (a shift with {} in it is a night \
         shift); Saturday and Sunday +{}%",
        x.hourly_cost,
        at(x.night.0),
        at(x.night.1),
        x.night_premium * 100.0,
        min(x.night_shift_min),
        x.weekend_premium * 100.0
    );
    if !r.people.is_empty() {
        let per_pool: Vec<String> = pool_names
            .iter()
            .enumerate()
            .map(|(p, name)| {
                let n = r.people.iter().filter(|a| a.pool == p).count();
                format!("{name} {n}")
            })
            .collect();
        let away: usize = r.people.iter().map(|a| a.unavailable.len()).sum();
        let with_away = r
            .people
            .iter()
            .filter(|a| !a.unavailable.is_empty())
            .count();
        let _ = writeln!(
            out,
            "  agents   {} named (agents.csv: {}), every one rostered; {away} days unavailable (leave, training) for {with_away} of them",
            r.people.len(),
            per_pool.join(", ")
        );
    }
    out
}

/// Weekdays a shift may start on: `every day`, `Mon–Fri`, or a list.
fn days(on: &[bool; 7]) -> String {
    let names: Vec<String> = WEEKDAYS
        .iter()
        .zip(on)
        .filter(|(_, on)| **on)
        .map(|(d, _)| day_label(d))
        .collect();
    match on {
        [true, true, true, true, true, true, true] => "every day".into(),
        [true, true, true, true, true, false, false] => "Mon–Fri".into(),
        _ => names.join(","),
    }
}

/// Whole minutes as hours: `40`, `37.5`.
fn hours(m: u32) -> String {
    let h = f64::from(m) / 60.0;
    if m % 60 == 0 {
        format!("{h:.0}")
    } else {
        format!("{h}")
    }
}
