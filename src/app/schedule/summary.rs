//! What `hotline schedule` prints: per pool the program's answer, the roster's people, overtime,
//! closed hours and the rules that keep them, shifts no agent could take and the intervals left
//! short. The files are the parent module's.

use super::*;

/// A pool's closed agent-hours and the rules that keep them, for stdout (empty without).
pub(super) fn closed_hours_text(p: &PoolSummary) -> String {
    if p.closed_agent_hours <= 0.0 {
        return String::new();
    }
    let fig = crate::report::numbers::figure_text;
    let mut t = format!(
        "  {} agent-hours on the phones while every queue the pool serves is closed (pay {} before premiums; `closed_hours_by_rule` of schedule.json), kept by:\n",
        fig(p.closed_agent_hours),
        fig(p.closed_hours_pay)
    );
    for c in &p.closed_hours_by_rule {
        t += &format!(
            "    {}: {} agent-hours, pay {}\n",
            c.rule,
            fig(c.agent_hours),
            fig(c.pay)
        );
    }
    t
}

pub(super) fn summary_text(
    model: &Model,
    rules: &ShiftRules,
    vars: &[Variant],
    s: &Summary,
    rosters: &[Roster],
    short: &[(usize, usize, u32)],
) -> String {
    let weeks = model.days as usize / WEEK_DAYS;
    let mut t = if weeks == 1 {
        format!("{} — schedule of one week\n", model.name)
    } else {
        format!(
            "{} — schedule of {weeks} weeks, one roster (the same agents every week)\n",
            model.name
        )
    };
    for (pi, (p, r)) in s.pools.iter().zip(rosters).enumerate() {
        if r.agents.is_empty() && p.shifts == 0 {
            t += &format!("pool {}: {}\n", p.pool, p.status);
            continue;
        }
        let mut by_contract = vec![0usize; rules.contracts.len()];
        for a in &r.agents {
            by_contract[a.contract] += 1;
        }
        let contracts: Vec<String> = rules
            .contracts
            .iter()
            .zip(&by_contract)
            .map(|(c, n)| format!("{} {n}", c.name))
            .collect();
        let fig = crate::report::numbers::figure_text;
        let penalty = if p.short_planned > 0 {
            format!(
                " (shift plan {} + penalty for {} agent-intervals short)",
                fig(p.shift_cost),
                p.short_planned
            )
        } else {
            String::new()
        };
        t += &format!(
            "pool {}: {} agents ({}), {} shifts, roster cost {}\n  solver: {} ({} nodes, {} variants), objective {}{penalty}, LP bound {}, best bound {}, gap {:.2}%\n",
            p.pool,
            p.agents,
            contracts.join(", "),
            p.shifts,
            fig(p.roster_cost),
            p.status,
            p.nodes,
            p.variants,
            fig(p.objective),
            fig(p.lp_bound),
            fig(p.bound),
            100.0 * p.gap
        );
        if let Some(people) = &p.people {
            t += &crate::app::named_agents::people_text(people);
        }
        if p.overtime_hours > 0.0 {
            t += &format!(
                "  overtime: {} paid hours above max_weekly_hours, premium {} (in the roster cost)\n",
                fig(p.overtime_hours),
                fig(p.overtime_pay)
            );
        }
        t += &closed_hours_text(p);
        if p.unassigned_shifts > 0 {
            // Are the unassigned shifts' intervals really short? Only where the roster leaves
            // `under > 0`; the plan often had more agents there than required.
            let short_cells = r
                .unassigned
                .iter()
                .flat_map(|&(v, _)| vars[v].covers.iter().copied())
                .filter(|&k| short.iter().any(|&(q, j, _)| q == pi && j == k))
                .collect::<std::collections::BTreeSet<usize>>()
                .len();
            let effect = if short_cells == 0 {
                "their intervals are still covered (the plan had more agents there than required)"
                    .to_string()
            } else {
                format!(
                    "{short_cells} of their intervals are short (column `under` of coverage.csv)"
                )
            };
            t += &format!(
                "  {} shifts of the plan could not be given to any agent under the rules and contract limits (column `unassigned` of shifts.csv); {effect}. The roster costs {} less than the plan's {}: the LP bound is a bound on the plan (every agent working each day of its run), not on the roster\n",
                p.unassigned_shifts,
                fig(p.shift_cost - p.roster_cost),
                fig(p.shift_cost),
            );
            for &(v, n) in &r.unassigned {
                let var = &vars[v];
                let why = match roster::binding_rule(rules, vars, r, v) {
                    Some((rule, agents)) => format!(
                        "{} keeps the {agents} agent(s) free that day from it",
                        rule.text()
                    ),
                    None => "every agent working that day already has a shift (the program's days-off blocks)".into(),
                };
                t += &format!(
                    "    {n} × {} {} {}-{}: {why}\n",
                    rules.templates[var.template].name,
                    day_header(model, var.day),
                    hhmm(var.start),
                    hhmm((var.start + var.length) % DAY_MIN)
                );
            }
        }
        for (a, w, paid, min) in &r.under_hours {
            let c = &rules.contracts[r.agents[*a].contract];
            let week = if weeks > 1 {
                format!(" in week {}", w + 1)
            } else {
                String::new()
            };
            t += &format!(
                "  agent {} ({}) works {} h{week}, below the {} h a week its contract asks (pro rata to its days available)\n",
                agent_name(rules, &p.pool, *a, &r.agents[*a]),
                c.name,
                crate::report::numbers::figure_text(f64::from(*paid) / 60.0),
                crate::report::numbers::figure_text(f64::from(*min) / 60.0)
            );
        }
    }
    if s.pools.len() > 1 {
        t += &format!(
            "total: roster cost {}; the program's shift plan {}{}, objective {}, LP bound {} (on the objective)\n",
            crate::report::numbers::figure_text(s.roster_cost),
            crate::report::numbers::figure_text(s.shift_plan_cost),
            if s.unassigned_shifts > 0 {
                format!(" ({} shifts unassigned)", s.unassigned_shifts)
            } else {
                String::new()
            },
            crate::report::numbers::figure_text(s.objective),
            crate::report::numbers::figure_text(s.lp_bound),
        );
    }
    if short.is_empty() {
        t += "coverage: every interval's requirement is met\n";
    } else {
        t += &format!(
            "coverage: {} interval × pool cells short, {} agent-intervals in all (column `under` of coverage.csv); the first:\n",
            short.len(),
            s.short_agent_intervals
        );
        for (p, k, n) in short.iter().take(10) {
            t += &format!(
                "  {} pool {}: {n} agent(s) short\n",
                model.calendar.label(*k as f64 * model.interval_s),
                model.pools[*p].name
            );
        }
    }
    for (pi, p) in s.pools.iter().enumerate() {
        let Some(people) = &p.people else { continue };
        let cells = short.iter().filter(|&&(q, _, _)| q == pi).count();
        if cells == 0 {
            continue;
        }
        t += &if people.not_needed.is_empty() {
            format!(
                "  pool {}: all {} named agents are rostered and {cells} interval(s) are still short: more people than agents.csv has would cover them, unless the shift templates or the rules leave them uncovered whatever the headcount\n",
                p.pool, people.available
            )
        } else {
            format!(
                "  pool {}: {cells} interval(s) are short although {} named agents are not needed: the shift templates or the rules leave them uncovered, not the people\n",
                p.pool,
                people.not_needed.len()
            )
        };
    }
    t += "solved in {elapsed} s\n";
    t
}
