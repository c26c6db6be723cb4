//! `[center]` (lines, agent choice) and pools' secondary queues with `overflow_after`: what is
//! read, and the exact position of every error.

use super::tests::*;
use super::*;

/// Two queues, a pool per queue; the loans pool may help cards (line numbers depend on it).
const SKILLS: &str = r#"[scenario]
name = "skills"
days = 7

[arrivals]
calls_per_hour = 100

[[queue]]
name = "cards"
handle_time = "3m"

[[queue]]
name = "loans"
handle_time = "5m"

[[pool]]
name = "cards"
serves = ["cards"]
agents = 5

[[pool]]
name = "loans"
serves = ["loans"]
secondary = ["cards"]
overflow_after = "2m"
agents = 3

[center]
lines = 40
agent_choice = "primary_first"
"#;

#[test]
fn secondary_queues_overflow_delay_lines_and_agent_choice_are_read() {
    let m = ok(SKILLS);
    assert_eq!(m.pools[1].serves, vec![QueueId(1)]);
    assert_eq!(m.pools[1].secondary, vec![QueueId(0)]);
    assert_eq!(m.pools[1].overflow_after_s, 120.0);
    assert!(m.pools[0].secondary.is_empty());
    assert_eq!(m.center.lines, Some(40));
    assert_eq!(m.center.agent_choice, AgentChoice::PrimaryFirst);
}

#[test]
fn without_center_lines_are_unlimited_and_the_longest_idle_agent_answers() {
    let m = ok(MINIMAL);
    assert_eq!(m.center, Center::default());
    assert_eq!(m.center.lines, None);
    assert_eq!(m.center.agent_choice, AgentChoice::LongestIdle);
}

#[test]
fn secondary_without_overflow_after_is_at_once() {
    let m = ok(&edit(SKILLS, "overflow_after = \"2m\"\n", ""));
    assert_eq!(m.pools[1].overflow_after_s, 0.0);
}

#[test]
fn zero_lines_are_refused() {
    let e = err(&edit(SKILLS, "lines = 40", "lines = 0"));
    assert_at(&e, 29, 9, "center.lines");
    assert_says(&e, "must be between 1 and");
}

#[test]
fn unknown_agent_choice_lists_the_known_ones() {
    let e = err(&edit(SKILLS, "\"primary_first\"", "\"round_robin\""));
    assert_at(&e, 30, 16, "center.agent_choice");
    assert_says(&e, "\"longest_idle\", \"primary_first\"");
}

#[test]
fn staffing_drop_is_read_and_designated_by_default() {
    assert_eq!(ok(SKILLS).center.staffing_drop, StaffingDrop::Designated);
    let m = ok(&edit(
        SKILLS,
        "lines = 40\n",
        "lines = 40\nstaffing_drop = \"first_free\"\n",
    ));
    assert_eq!(m.center.staffing_drop, StaffingDrop::FirstFree);
}

#[test]
fn unknown_staffing_drop_lists_the_known_ones() {
    let e = err(&edit(
        SKILLS,
        "lines = 40\n",
        "lines = 40\nstaffing_drop = \"last_in\"\n",
    ));
    assert_at(&e, 30, 17, "center.staffing_drop");
    assert_says(&e, "\"designated\", \"first_free\"");
}

#[test]
fn unknown_secondary_queue_is_refused_at_that_element() {
    let e = err(&edit(
        SKILLS,
        "secondary = [\"cards\"]",
        "secondary = [\"crads\"]",
    ));
    assert_at(&e, 24, 14, "pool[1].secondary[0]");
    assert_says(&e, "unknown queue `crads`");
}

#[test]
fn a_queue_primary_and_secondary_for_one_pool_is_refused() {
    let e = err(&edit(
        SKILLS,
        "secondary = [\"cards\"]",
        "secondary = [\"loans\"]",
    ));
    assert_at(&e, 24, 14, "pool[1].secondary[0]");
    assert_says(&e, "already in this pool's `serves`");
}

#[test]
fn empty_secondary_list_is_refused() {
    let e = err(&edit(SKILLS, "secondary = [\"cards\"]", "secondary = []"));
    assert_at(&e, 24, 13, "pool[1].secondary");
    assert_says(&e, "must name at least one queue");
}

#[test]
fn a_pool_with_no_queue_is_refused() {
    let e = err(&edit(SKILLS, "serves = [\"cards\"]", "serves = []"));
    assert_at(&e, 18, 10, "pool[0].serves");
    assert_says(&e, "must name at least one queue");
}

#[test]
fn overflow_after_without_secondary_is_refused() {
    let e = err(&edit(SKILLS, "secondary = [\"cards\"]\n", ""));
    assert_at(&e, 24, 18, "pool[1].overflow_after");
    assert_says(&e, "has no effect without `secondary`");
}

#[test]
fn negative_or_unitless_overflow_after_is_refused() {
    let e = err(&edit(SKILLS, "\"2m\"", "\"-2m\""));
    assert_at(&e, 25, 18, "pool[1].overflow_after");
    let e = err(&edit(SKILLS, "\"2m\"", "120"));
    assert_at(&e, 25, 18, "pool[1].overflow_after");
}

#[test]
fn overflow_to_a_queue_nobody_serves_is_refused_at_the_secondary_entry() {
    // cards is only loans' secondary queue: no pool of its own to overflow from.
    let text = edit(SKILLS, "serves = [\"cards\"]", "serves = [\"loans\"]");
    let text = edit(
        &text,
        "name = \"cards\"\nserves",
        "name = \"frontline\"\nserves",
    );
    let e = err(&text);
    assert_at(&e, 24, 14, "pool[1].secondary[0]");
    assert_says(
        &e,
        "only a secondary queue (overflow to a queue nobody serves)",
    );
}
