//! Days-off patterns: the set of days of one week an agent works, the patterns a contract's
//! rules allow, their runs at the week's edges, and the pairing of one week's patterns with the
//! next week's that keeps runs of working days legal across the boundary.
//!
//! Owns what a pattern is; choosing how many agents work each is `solve`'s, handing them to
//! agents `roster`'s.

use super::WEEK_DAYS;
use crate::scenario::shifts::ShiftRules;

/// A week's working days as a bit set (bit d = day d of the week works).
pub type Pattern = u8;

/// Per contract, per week boundary w → w + 1: (pattern in w, pattern in w + 1, agents), the
/// patterns as indices into the contract's list.
pub type Transitions = Vec<Vec<Vec<(usize, usize, u32)>>>;

/// The days of the week pattern `p` works.
pub fn works(p: Pattern, day_of_week: usize) -> bool {
    p & (1 << day_of_week) != 0
}

/// Working days at the start of the week in a row.
pub fn leading_run(p: Pattern) -> u32 {
    (0..WEEK_DAYS).take_while(|&d| works(p, d)).count() as u32
}

/// Working days at the end of the week in a row.
pub fn trailing_run(p: Pattern) -> u32 {
    (0..WEEK_DAYS).rev().take_while(|&d| works(p, d)).count() as u32
}

/// Longest run of working days (cyclic: Sunday then Monday, for a one-week horizon).
pub(super) fn longest_run(p: Pattern, cyclic: bool) -> u32 {
    let span = if cyclic { 2 * WEEK_DAYS } else { WEEK_DAYS };
    let (mut best, mut run) = (0, 0);
    for i in 0..span {
        if works(p, i % WEEK_DAYS) {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best.min(WEEK_DAYS as u32)
}

/// Whether two consecutive days of the week are off (cyclic for a one-week horizon).
pub(super) fn two_off_in_a_row(p: Pattern, cyclic: bool) -> bool {
    let last = if cyclic { WEEK_DAYS } else { WEEK_DAYS - 1 };
    (0..last).any(|d| !works(p, d) && !works(p, (d + 1) % WEEK_DAYS))
}

/// Every pattern contract `c` may work: the rules, and only days (of the week) on which
/// `has_shift` says the contract has a shift in the pool.
pub fn patterns(
    rules: &ShiftRules,
    c: usize,
    cyclic: bool,
    has_shift: &[bool; WEEK_DAYS],
) -> Vec<Pattern> {
    patterns_within(rules, c, cyclic, has_shift, 0)
}

/// The patterns of [`patterns`] for a week in which the days of `unavailable` cannot be
/// worked (leave): none of them worked, and between `min_days − L` and `max_days − L` days for
/// L such days (a day of leave counts as a day worked: `crate::schedule::crews`).
pub fn patterns_within(
    rules: &ShiftRules,
    c: usize,
    cyclic: bool,
    has_shift: &[bool; WEEK_DAYS],
    unavailable: Pattern,
) -> Vec<Pattern> {
    let k = &rules.contracts[c];
    let r = &rules.roster;
    let l = unavailable.count_ones();
    (0u8..128)
        .filter(|&p| {
            let n = p.count_ones();
            p & unavailable == 0
                && n >= k.min_days.saturating_sub(l)
                && n <= k.max_days.saturating_sub(l)
                && (0..WEEK_DAYS).all(|d| !works(p, d) || has_shift[d])
                && longest_run(p, cyclic) <= r.max_days_in_row
                // Sunday and Monday of a week count as in a row, as in the repeating week.
                && (!r.two_days_off || two_off_in_a_row(p, true))
        })
        .collect()
}

/// Pairs each week's pattern units with the next week's: the unit with the longest run into
/// the boundary first, each taking the next-week unit with the longest opening run that still
/// fits `max_run` (safe for a threshold graph: every later unit fits whatever an earlier one
/// does); units left without a fitting partner are paired in order (the roster then reports
/// what the rules keep it from staffing).
pub(super) fn pair_weeks(pats: &[Vec<Pattern>], y: &[Vec<Vec<u32>>], max_run: u32) -> Transitions {
    let units = |row: &[u32]| -> Vec<usize> {
        row.iter()
            .enumerate()
            .flat_map(|(p, &n)| std::iter::repeat_n(p, n as usize))
            .collect()
    };
    pats.iter()
        .zip(y)
        .map(|(ps, weeks)| {
            weeks
                .windows(2)
                .map(|ww| {
                    let mut from = units(&ww[0]);
                    from.sort_by_key(|&a| (std::cmp::Reverse(trailing_run(ps[a])), a));
                    let mut to = units(&ww[1]);
                    let mut out: Vec<(usize, usize, u32)> = Vec::new();
                    let mut add =
                        |a: usize, b: usize| match out.iter_mut().find(|t| t.0 == a && t.1 == b) {
                            Some(t) => t.2 += 1,
                            None => out.push((a, b, 1)),
                        };
                    let mut left = Vec::new();
                    for a in from {
                        let fit = (0..to.len())
                            .filter(|&i| trailing_run(ps[a]) + leading_run(ps[to[i]]) <= max_run)
                            .max_by_key(|&i| (leading_run(ps[to[i]]), std::cmp::Reverse(i)));
                        match fit {
                            Some(i) => add(a, to.remove(i)),
                            None => left.push(a),
                        }
                    }
                    for (a, b) in left.into_iter().zip(to) {
                        add(a, b);
                    }
                    out
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_at_the_week_edges() {
        let mon_to_fri: Pattern = 0b001_1111;
        assert_eq!(leading_run(mon_to_fri), 5);
        assert_eq!(trailing_run(mon_to_fri), 0);
        let wed_to_sun: Pattern = 0b111_1100;
        assert_eq!(leading_run(wed_to_sun), 0);
        assert_eq!(trailing_run(wed_to_sun), 5);
        // Sat, Sun, Mon, Tue, Wed worked: a run of five on the cyclic week, two otherwise.
        let wrap: Pattern = 0b110_0111;
        assert_eq!(longest_run(wrap, true), 5);
        assert_eq!(longest_run(wrap, false), 3);
        assert!(two_off_in_a_row(wrap, false));
        // Off Monday and Sunday: consecutive only on the cyclic week.
        let ends_off: Pattern = 0b011_1110;
        assert!(two_off_in_a_row(ends_off, true));
        assert!(!two_off_in_a_row(ends_off, false));
    }
}
