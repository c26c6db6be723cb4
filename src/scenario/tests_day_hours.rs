//! Opening hours per weekday (`hours = { "mon-fri" = "08:00-20:00", sat = "09:00-14:00" }`) for
//! queues and pools, special days' dated `hours`, and their bad input.

use super::tests::*;

/// MINIMAL with `extra` lines at the end of its pool (line 20 is the first extra line).
fn with_pool(extra: &str) -> String {
    edit(MINIMAL, "agents = 55\n", &format!("agents = 55\n{extra}\n"))
}

/// MINIMAL with one special day of `keys` (line 22 is the first of `keys`).
fn with_special_day(keys: &str) -> String {
    format!("{MINIMAL}\n[[arrivals.special_day]]\n{keys}\n")
}

const BANK_HOURS: &str = r#"hours = { "mon-fri" = "08:00-20:00", sat = "09:00-14:00" }"#;

/// Interval of the week (30-minute intervals, Monday first) at `day` (0 = Monday), `hh:mm`.
fn at(day: usize, hh: usize, mm: usize) -> usize {
    day * 48 + hh * 2 + mm / 30
}

#[test]
fn an_hours_table_opens_each_day_in_its_own_range() {
    let h = ok(&with_queue(BANK_HOURS)).queues[0].hours.clone().unwrap();
    assert_eq!(h.open.len(), 7 * 48);
    assert_eq!(h.open.iter().filter(|&&o| o).count(), 5 * 24 + 10);
    assert!(!h.open[at(0, 7, 30)] && h.open[at(0, 8, 0)] && h.open[at(4, 19, 30)]);
    assert!(!h.open[at(4, 20, 0)]);
    assert!(!h.open[at(5, 8, 30)] && h.open[at(5, 9, 0)] && h.open[at(5, 13, 30)]);
    assert!(!h.open[at(5, 14, 0)] && !h.open[at(5, 15, 0)]);
    assert!(
        h.open[at(6, 0, 0)..=at(6, 23, 30)].iter().all(|&o| !o),
        "Sunday is closed"
    );
}

#[test]
fn a_one_range_table_equals_the_hours_and_weekdays_shorthand() {
    let table = ok(&with_queue(r#"hours = { "mon-fri" = "08:00-18:00" }"#));
    let shorthand = ok(&with_queue(
        "hours = \"08:00-18:00\"\nweekdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
    ));
    assert_eq!(
        table.queues[0].hours.as_ref().unwrap().open,
        shorthand.queues[0].hours.as_ref().unwrap().open
    );
    // Full day names, and a run over Sunday; a night range crosses midnight.
    let h = ok(&with_queue(r#"hours = { "saturday-mon" = "22:00-02:00" }"#)).queues[0]
        .hours
        .clone()
        .unwrap();
    assert!(h.open[at(5, 22, 0)] && h.open[at(6, 1, 30)] && h.open[at(0, 1, 30)]);
    assert!(h.open[at(1, 1, 30)], "Monday's night runs into Tuesday");
    assert!(!h.open[at(2, 1, 30)] && !h.open[at(1, 22, 0)]);
}

#[test]
fn a_pool_works_the_hours_of_its_table() {
    let m = ok(&edit(&with_pool(BANK_HOURS), "agents = 55", "agents = 10"));
    let hc = &m.pools[0].headcount;
    assert_eq!(hc.len(), 7 * 48);
    assert_eq!(
        (hc[at(0, 8, 0)], hc[at(0, 7, 30)], hc[at(4, 20, 0)]),
        (10, 0, 0)
    );
    assert_eq!(
        (hc[at(5, 9, 0)], hc[at(5, 14, 0)], hc[at(6, 12, 0)]),
        (10, 0, 0)
    );
    assert_eq!(
        hc.iter().map(|&n| u64::from(n)).sum::<u64>(),
        10 * (5 * 24 + 10)
    );
}

#[test]
fn a_day_given_twice_is_an_error_at_the_second_key_naming_the_first() {
    let e = err(&with_queue(
        r#"hours = { "mon-fri" = "08:00-20:00", fri = "08:00-18:00" }"#,
    ));
    assert_at(&e, 15, 38, "queue[0].hours.fri");
    assert_says(&e, "fri is already given by `mon-fri`; name each day once");
    let e = err(&with_pool(
        r#"hours = { "sat-mon" = "08:00-20:00", "mon-fri" = "08:00-18:00" }"#,
    ));
    assert_at(&e, 20, 38, "pool[0].hours.mon-fri");
    assert_says(&e, "mon is already given by `sat-mon`");
}

#[test]
fn an_unknown_day_or_a_time_off_the_grid_is_an_error_where_written() {
    let e = err(&with_queue(r#"hours = { "mon-fry" = "08:00-20:00" }"#));
    assert_at(&e, 15, 11, "queue[0].hours.mon-fry");
    assert_says(
        &e,
        "unknown day `mon-fry`; write a day (mon, tue, wed, thu, fri, sat, sun)",
    );
    let e = err(&with_queue(
        r#"hours = { mon = "08:00-20:00", sat = "09:15-14:00" }"#,
    ));
    assert_at(&e, 15, 38, "queue[0].hours.sat");
    assert_says(&e, "09:15 is not on a statistics-interval boundary");
    let e = err(&with_pool(r#"hours = { holiday = "08:00-20:00" }"#));
    assert_at(&e, 20, 11, "pool[0].hours.holiday");
}

#[test]
fn a_table_refuses_weekdays_beside_it_an_agents_list_and_emptiness() {
    let e = err(&with_queue(&format!("{BANK_HOURS}\nweekdays = [\"mon\"]")));
    assert_at(&e, 16, 12, "queue[0].weekdays");
    assert_says(&e, "the `hours` table names the days; leave `weekdays` out");
    let e = err(&with_pool(&format!("{BANK_HOURS}\nweekdays = [\"mon\"]")));
    assert_at(&e, 21, 12, "pool[0].weekdays");
    let list = format!("agents = [{}]", ["5"; 24].join(", "));
    let e = err(&edit(&with_pool(BANK_HOURS), "agents = 55", &list));
    assert_at(&e, 20, 9, "pool[0].hours");
    assert_says(&e, "`hours` works only with a constant `agents`");
    let e = err(&with_queue("hours = {}"));
    assert_at(&e, 15, 9, "queue[0].hours");
    assert_says(&e, "names no day");
}

#[test]
fn a_special_day_sets_a_queue_s_hours_on_its_date_only() {
    let m = ok(&with_special_day(
        "name = \"inventory\"\ndays = [3, 10]\nhours = { general = \"10:00-14:00\" }",
    ));
    let h = m.queues[0]
        .hours
        .as_ref()
        .expect("hours on the special days");
    // 30 days: the table covers 5 whole weeks.
    assert_eq!(h.open.len(), 35 * 48);
    let per_day = 48;
    for day in [2u64, 9] {
        let k = |hh: u64, mm: u64| day * per_day + hh * 2 + mm / 30;
        assert!(!h.is_open(k(9, 30), per_day) && h.is_open(k(10, 0), per_day));
        assert!(h.is_open(k(13, 30), per_day) && !h.is_open(k(14, 0), per_day));
    }
    assert!(h.is_open(per_day + 3, per_day) && h.is_open(16 * per_day, per_day));
    // The day keeps its volume.
    assert_eq!(
        m.arrivals.rate_per_s[..48],
        ok(MINIMAL).arrivals.rate_per_s[..48]
    );
}

#[test]
fn a_special_day_replaces_the_weekly_table_on_that_date() {
    let text = with_special_day("day = 6\nhours = { general = \"11:00-13:00\" }");
    let m = ok(&edit(
        &text,
        "service_level_threshold = \"20s\"\n",
        &format!("service_level_threshold = \"20s\"\n{BANK_HOURS}\n"),
    ));
    let h = m.queues[0].hours.as_ref().unwrap();
    // Day 6 is a Saturday (09:00-14:00 in the week): 11:00-13:00 that day, the next Saturday
    // as usual.
    let sat = 5 * 48;
    assert!(!h.is_open(sat + 20, 48) && h.is_open(sat + 22, 48) && !h.is_open(sat + 26, 48));
    assert!(h.is_open(sat + 7 * 48 + 20, 48));
}

#[test]
fn special_day_hours_refuse_unknown_queues_midnight_and_closing_too() {
    let e = err(&with_special_day(
        "day = 3\nhours = { genral = \"10:00-14:00\" }",
    ));
    assert_at(&e, 23, 11, "arrivals.special_day[0].hours.genral");
    assert_says(&e, "unknown queue `genral`; queues are `general`");
    let e = err(&with_special_day(
        "day = 3\nhours = { general = \"20:00-02:00\" }",
    ));
    assert_at(&e, 23, 21, "arrivals.special_day[0].hours.general");
    assert_says(&e, "runs past midnight; a special day's hours end by 24:00");
    let e = err(&with_special_day(
        "day = 3\nclosed_queues = [\"general\"]\nhours = { general = \"10:00-14:00\" }",
    ));
    assert_at(&e, 24, 11, "arrivals.special_day[0].hours.general");
    assert_says(&e, "closed or has hours, not both");
    let e = err(&with_special_day(
        "day = 3\nhours = { general = \"10:10-14:00\" }",
    ));
    assert_at(&e, 23, 21, "arrivals.special_day[0].hours.general");
    assert_says(&e, "10:10 is not on a statistics-interval boundary");
}
