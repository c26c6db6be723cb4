//! Shift rules as validated from `[[shift]]`, `[[contract]]` and `[roster]`: what
//! `hotline schedule` may build a week from. Times are whole minutes (minutes since midnight for
//! clock times), so shift arithmetic is exact.
//!
//! Owns the meaning of the rules; choosing shifts and building rosters is `crate::schedule`'s.

/// Minutes in a day.
pub const DAY_MIN: u32 = 24 * 60;

/// Every rule of a scenario's shift section.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftRules {
    pub templates: Vec<ShiftTemplate>,
    pub contracts: Vec<Contract>,
    pub roster: RosterRules,
    /// The named agents of `[roster] agents` (an `agents.csv`); empty = the scheduler makes
    /// as many anonymous agents as each contract's `max_agents` allows.
    pub people: Vec<Person>,
}

/// One named agent of `agents.csv`: who they are, where they work, when they cannot.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub name: String,
    /// Index into the model's pools (the agent's skills).
    pub pool: usize,
    /// Index into [`ShiftRules::contracts`].
    pub contract: usize,
    /// Days of the horizon (0-based) the agent is unavailable (leave, training): sorted, a hard
    /// rule.
    pub unavailable: Vec<usize>,
    /// Templates the agent prefers to work (soft).
    pub preferred_shifts: Vec<usize>,
    /// Weekdays (Monday = 0) the agent prefers off (soft).
    pub preferred_days_off: [bool; 7],
}

impl Person {
    /// Whether the agent is unavailable on day `d` of the horizon.
    pub fn unavailable_on(&self, d: usize) -> bool {
        self.unavailable.binary_search(&d).is_ok()
    }
}

/// One `[[shift]]` template: every combination of start, length and lunch start is a variant.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftTemplate {
    pub name: String,
    /// Weekdays it may start on, Monday = 0.
    pub weekdays: [bool; 7],
    /// Start times, minutes since midnight (first, last, step).
    pub start_first: u32,
    pub start_last: u32,
    pub step: u32,
    /// Lengths from start to end, lunch included, minutes.
    pub lengths: Vec<u32>,
    /// Paid breaks, minutes each.
    pub breaks: Vec<u32>,
    /// Unpaid lunch: length and the earliest/latest start after the shift's start, minutes.
    pub lunch: Option<Lunch>,
    /// Pools (indices into the model's pools) whose agents may work it; `None` = every pool.
    pub pools: Option<Vec<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lunch {
    pub length: u32,
    pub after_min: u32,
    pub after_max: u32,
}

impl ShiftTemplate {
    /// Whether agents of pool `p` may work it.
    pub fn for_pool(&self, p: usize) -> bool {
        self.pools.as_ref().is_none_or(|ps| ps.contains(&p))
    }
    /// Start times, minutes since midnight.
    pub fn starts(&self) -> impl Iterator<Item = u32> + '_ {
        (self.start_first..=self.start_last).step_by(self.step.max(1) as usize)
    }
    /// Paid minutes of a shift of `length` minutes (the unpaid lunch taken off).
    pub fn paid(&self, length: u32) -> u32 {
        length - self.lunch.map_or(0, |l| l.length)
    }
}

/// One `[[contract]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub name: String,
    /// Indices into [`ShiftRules::templates`] this contract may work.
    pub templates: Vec<usize>,
    /// Paid minutes per week, at least / at most.
    pub min_weekly: u32,
    pub max_weekly: u32,
    /// Most agents on this contract in one pool.
    pub max_agents: u32,
    /// Cost of one paid hour before premiums (`[roster] hourly_cost` unless the contract
    /// states its own).
    pub hourly_cost: f64,
    /// Working days per week an agent of this contract has, at least / at most.
    pub min_days: u32,
    pub max_days: u32,
    /// Paid minutes a week an agent may work above `max_weekly` (0: none).
    pub overtime: u32,
    /// Premium on the hourly cost of those minutes, a fraction (0.5 = 50 %).
    pub overtime_premium: f64,
}

impl Contract {
    /// Most paid minutes an agent may work in a week, overtime included.
    pub fn weekly_cap(&self) -> u32 {
        self.max_weekly + self.overtime
    }
    /// Pay of the overtime in a week of `paid` minutes: the minutes above `max_weekly` at the
    /// hourly cost × the overtime premium (their base pay is in the shifts' cost).
    pub fn overtime_pay(&self, paid: u32) -> f64 {
        f64::from(paid.saturating_sub(self.max_weekly)) / 60.0
            * self.hourly_cost
            * self.overtime_premium
    }
}

/// `[roster]`: rules per agent and pay.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterRules {
    /// Cost of a paid hour before premiums.
    pub hourly_cost: f64,
    /// Night hours as minutes since midnight, start and end (end < start: over midnight).
    pub night: (u32, u32),
    /// Premiums as fractions (0.25 = 25 %) on paid minutes at night / on Saturday and Sunday.
    pub night_premium: f64,
    pub weekend_premium: f64,
    pub max_days_in_row: u32,
    /// Minutes from the end of one shift to the start of the next, at least.
    pub min_rest: u32,
    pub no_consecutive_nights: bool,
    pub two_days_off: bool,
    /// Minutes inside the night hours that make a shift a night shift.
    pub night_shift_min: u32,
}

impl Default for RosterRules {
    fn default() -> Self {
        RosterRules {
            hourly_cost: 1.0,
            night: (22 * 60, 6 * 60),
            night_premium: 0.0,
            weekend_premium: 0.0,
            max_days_in_row: 5,
            min_rest: 11 * 60,
            no_consecutive_nights: true,
            two_days_off: true,
            night_shift_min: 3 * 60,
        }
    }
}

impl RosterRules {
    /// Most working days in a week the rules allow: two days off leave 5; otherwise a day off
    /// after every `max_days_in_row` working days.
    pub fn work_days_per_week(&self) -> u32 {
        let run = self.max_days_in_row.min(7);
        let by_run = if run >= 7 {
            7
        } else {
            7 - 7u32.div_ceil(run + 1)
        };
        if self.two_days_off {
            by_run.min(5)
        } else {
            by_run
        }
    }

    /// Whether minute `m` of the day (0..1440) is in the night hours.
    pub fn is_night(&self, m: u32) -> bool {
        let (a, b) = self.night;
        let m = m % DAY_MIN;
        if a <= b {
            m >= a && m < b
        } else {
            m >= a || m < b
        }
    }
}
