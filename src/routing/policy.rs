//! Named queue policies: what a scenario's `[routing] policy` and `simulate --policy` select.
//!
//! A policy is a set of behaviours switched on over today's default (`fifo`): class priorities
//! (strict or with aging), overflow to secondary pools after a delay, and callback offers. The
//! scenario describes the data each behaviour needs (classes, `overflow_after`, the callback
//! offer); the policy says which of them run, so two policies compared on one scenario see the
//! same callers and differ only in the rules. Combinations join names with `+`
//! (`priority+overflow+callback`); `priority` and `aging` exclude each other.

use std::fmt;

/// How waiting calls of different caller classes are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClassOrder {
    /// Classes ignored: the oldest call first.
    #[default]
    Fifo,
    /// Strict, non-preemptive priority: a higher class is always served first.
    Strict,
    /// Priority that grows with the wait, so a low class's waits stay bounded.
    Aging,
}

/// The behaviours one named policy switches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    pub classes: ClassOrder,
    /// Secondary pools take a waiting call only after the pool's `overflow_after`; without it,
    /// every pool serves all the queues it lists at once, oldest call first (today's rule).
    pub overflow: bool,
    /// Callers facing a long expected wait are offered a callback (queues that state an offer).
    pub callbacks: bool,
}

/// One building block of a policy name, with the line `hotline policies` prints.
pub struct Component {
    pub name: &'static str,
    pub summary: &'static str,
}

/// Every component, in the order names are written.
pub const COMPONENTS: &[Component] = &[
    Component {
        name: "fifo",
        summary: "the oldest waiting call first, longest-idle agent, no callbacks (the default)",
    },
    Component {
        name: "priority",
        summary: "caller classes by strict non-preemptive priority, oldest first within a class",
    },
    Component {
        name: "aging",
        summary: "class priority that grows with the wait (the class's `aging` rate), so low classes are not starved",
    },
    Component {
        name: "overflow",
        summary: "secondary pools take a call only after their `overflow_after`; primary queues first (a written `[[pool.takes]]` table applies under every policy)",
    },
    Component {
        name: "callback",
        summary: "queues with a `[queue.callback]` offer it when the expected wait exceeds the offer's threshold",
    },
];

/// Routing settings of the scenario that run under every policy (they are data, not policy
/// components), with the line `hotline policies` prints for each.
pub const SETTINGS: &[Component] = &[
    Component {
        name: "[center] agent_choice",
        summary: "which idle agent answers an arriving caller: \"longest_idle\" (default), \"primary_first\" (own pools before helpers), \"random\" (any idle eligible agent, equally likely, from the caller's own stream), \"by_pool_rank\" (the first pool as written)",
    },
    Component {
        name: "[center] staffing_drop",
        summary: "who leaves when headcount drops: \"designated\" (default: busy agents marked at the boundary leave after their own call) or \"first_free\" (the next agents to finish a call leave)",
    },
    Component {
        name: "[[pool.takes]]",
        summary: "queue, priority, after: the pool's routing table — a free agent takes, among its table's queues whose next caller waited at least `after`, the highest priority, then the longest wait (`serves`/`secondary`/`overflow_after` expand to it)",
    },
    Component {
        name: "[[pool]] handle_time_factor",
        summary: "{ cards = 0.75 }: the pool's handle time on a queue as a multiple of the queue's (staff and plans use the queue's planning pool)",
    },
    Component {
        name: "[queue.closed] waiting",
        summary: "\"finish\" (default: callers on hold at the closing stay in line) or \"disconnect\" (they are cut off, counted `disconnected`)",
    },
    Component {
        name: "[[queue.transfer]] at, consult, conference, when_busy",
        summary: "how a transferred caller moves on: blind \"after_wrap_up\" (default) or at \"end_of_talk\"; or after a `consult` (both agents busy for its time, the caller on hold, then back to the first agent, whose call ends) or a `conference` (the second agent joins for its time, then goes on alone), at end of talk; with no agent of `to` free the caller \"wait\"s in its line (default) or is \"disconnect\"ed (counted `disconnected`)",
    },
    Component {
        name: "[redial] same_caller",
        summary: "false (default: each redial draws afresh) or true (a redial is the same caller: patience, handle time and every other draw kept; journeys across attempts in journeys.csv)",
    },
];

/// Every single component and the combinations a planner is most likely to compare (a bench
/// and the multi-skill tests run each of them on the same callers).
pub const SHOWCASE: &[&str] = &[
    "fifo",
    "priority",
    "aging",
    "overflow",
    "priority+overflow",
    "aging+overflow",
    "callback",
    "aging+overflow+callback",
];

impl Policy {
    /// Parses a policy name: `fifo`, or components joined by `+`. The error names the known
    /// components and valid combinations.
    pub fn parse(name: &str) -> Result<Policy, String> {
        let mut p = Policy::default();
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("empty policy name; {}", Self::known()));
        }
        if name == "fifo" {
            return Ok(p);
        }
        let mut seen: Vec<&str> = Vec::new();
        for part in name.split('+').map(str::trim) {
            if seen.contains(&part) {
                return Err(format!("policy `{name}` names `{part}` twice"));
            }
            seen.push(part);
            match part {
                "priority" | "aging" if p.classes != ClassOrder::Fifo => {
                    return Err(format!(
                        "policy `{name}`: `priority` and `aging` exclude each other (aging is priority that grows with the wait)"
                    ));
                }
                "priority" => p.classes = ClassOrder::Strict,
                "aging" => p.classes = ClassOrder::Aging,
                "overflow" => p.overflow = true,
                "callback" => p.callbacks = true,
                "fifo" => {
                    return Err(format!(
                        "policy `{name}`: `fifo` is the default and is not combined; drop it"
                    ));
                }
                other => {
                    return Err(format!("unknown policy `{other}`; {}", Self::known()));
                }
            }
        }
        Ok(p)
    }

    /// The known names, for error messages.
    pub fn known() -> String {
        let names: Vec<&str> = COMPONENTS.iter().map(|c| c.name).collect();
        format!(
            "known policies: {}, and combinations joined by `+` (e.g. `priority+overflow+callback`; `priority` and `aging` exclude each other)",
            names.join(", ")
        )
    }

    /// True for today's behaviour (the engine's fast path).
    pub fn is_fifo(&self) -> bool {
        *self == Policy::default()
    }
}

impl fmt::Display for Policy {
    /// The canonical name (components in [`COMPONENTS`] order), which `parse` reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        match self.classes {
            ClassOrder::Fifo => {}
            ClassOrder::Strict => parts.push("priority"),
            ClassOrder::Aging => parts.push("aging"),
        }
        if self.overflow {
            parts.push("overflow");
        }
        if self.callbacks {
            parts.push("callback");
        }
        if parts.is_empty() {
            f.write_str("fifo")
        } else {
            f.write_str(&parts.join("+"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_canonical_order() {
        let p = Policy::parse("callback+priority").unwrap();
        assert_eq!(p.classes, ClassOrder::Strict);
        assert!(p.callbacks && !p.overflow);
        assert_eq!(p.to_string(), "priority+callback");
        assert_eq!(Policy::parse(&p.to_string()).unwrap(), p);
        assert!(Policy::parse("fifo").unwrap().is_fifo());
        assert_eq!(Policy::default().to_string(), "fifo");
    }

    #[test]
    fn bad_names_are_refused_with_the_list() {
        let e = Policy::parse("lifo").unwrap_err();
        assert!(
            e.contains("unknown policy `lifo`") && e.contains("overflow"),
            "{e}"
        );
        assert!(
            Policy::parse("priority+aging")
                .unwrap_err()
                .contains("exclude")
        );
        assert!(
            Policy::parse("overflow+overflow")
                .unwrap_err()
                .contains("twice")
        );
        assert!(
            Policy::parse("fifo+overflow")
                .unwrap_err()
                .contains("default")
        );
        assert!(Policy::parse("").is_err());
    }
}
