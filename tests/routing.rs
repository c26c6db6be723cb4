//! The routing rule, shown on replayed calls with recorded handle times (no randomness): a
//! caller goes to the longest-idle eligible agent, across pools, and a freed agent takes the
//! oldest waiting call among the queues its pool serves. Conservation holds under any rule;
//! these figures do not.
//!
//! Two queues (`cards` listed first, `loans`) and two pools of one agent each: `generalists`
//! (listed first) serve both queues, `specialists` only `loans`. Nobody abandons.
//!
//! | call | arrives | queue | handle | who and why                                           | wait |
//! |------|---------|-------|--------|-------------------------------------------------------|------|
//! | 1    | 60      | cards | 600    | G (the only pool for cards): busy 60–660              | 0    |
//! | 2    | 1000    | loans | 300    | S, idle since 0, longer than G (660): 1000–1300       | 0    |
//! | 3    | 1400    | loans | 200    | G, idle since 660, longer than S (1300): 1400–1600    | 0    |
//! | 4    | 2000    | loans | 1000   | S, idle since 1300 (G since 1600): 2000–3000          | 0    |
//! | 5    | 2100    | cards | 500    | G: 2100–2600                                          | 0    |
//! | 6    | 2200    | loans | 300    | waits; at 2600 G takes it, older than call 7: –2900   | 400  |
//! | 7    | 2300    | cards | 400    | waits; G takes it at 2900: –3300                      | 600  |
//! | 8    | 3600    | loans | 900    | S, idle since 3000 (G since 3300): 3600–4500          | 0    |
//! | 9    | 3700    | cards | 300    | G: 3700–4000                                          | 0    |
//! | 10   | 3800    | cards | 100    | waits; at 4000 G takes it, older than call 11: –4100  | 200  |
//! | 11   | 3900    | loans | 100    | waits; G takes it at 4100 (S busy until 4500): –4200  | 200  |
//!
//! A rule "first pool listed" gives call 2 to G; "most recently idle" gives call 3 to S; "first
//! queue listed" gives call 7 before call 6; "newest call first" gives call 11 before call 10.
//! Each changes the busy time of the pools or the waits per queue below.

use crate::support::{hotline, num, read_csv, write};

const LOG: &str = "arrived_at,queue,handle_time
60,cards,600s
1000,loans,300s
1400,loans,200s
2000,loans,1000s
2100,cards,500s
2200,loans,300s
2300,cards,400s
3600,loans,900s
3700,cards,300s
3800,cards,100s
3900,loans,100s
";

const SCENARIO: &str = r#"[scenario]
name = "routing"
days = 1
interval = "30m"

[arrivals]
replay = "calls.csv"

[[queue]]
name = "cards"
handle_time = "5m"

[[queue]]
name = "loans"
handle_time = "5m"

[[pool]]
name = "generalists"
serves = ["cards", "loans"]
agents = 1

[[pool]]
name = "specialists"
serves = ["loans"]
agents = 1
"#;

#[test]
fn the_longest_idle_agent_answers_and_a_freed_agent_takes_the_oldest_call() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "calls.csv", LOG);
    let scenario = write(dir.path(), "routing.toml", SCENARIO);
    let out = dir.path().join("out");
    let o = hotline()
        .arg("simulate")
        .arg(&scenario)
        .arg("--no-charts")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // Figures carry 6 significant digits.
    let close = |got: f64, want: f64| (got - want).abs() <= 1e-5 * want.abs().max(1.0);
    let interval = |r: &std::collections::HashMap<String, String>| {
        (num(r, "interval_start_s") / 1800.0).round() as usize
    };

    // Busy seconds of each pool in the first three half hours (table above).
    let busy = [
        ("generalists", [800.0, 1200.0, 500.0]),
        ("specialists", [300.0, 1000.0, 900.0]),
    ];
    let pools = read_csv(&out.join("pools.csv"));
    for (pool, want) in busy {
        for (k, want) in want.iter().enumerate() {
            let row = pools
                .iter()
                .find(|r| r["pool"] == pool && interval(r) == k)
                .unwrap_or_else(|| panic!("no pools.csv row for {pool} in interval {k}"));
            let got = num(row, "agents_busy") * 1800.0;
            assert!(
                close(got, *want),
                "{pool}, half hour {k}: busy {got:.1} s, the rule gives {want} s"
            );
        }
    }

    // (answered, ASA in seconds) per queue and half hour.
    let waits = [
        ("cards", [(1, 0.0), (2, 300.0), (2, 100.0)]),
        ("loans", [(2, 0.0), (2, 200.0), (2, 100.0)]),
    ];
    let intervals = read_csv(&out.join("intervals.csv"));
    for (queue, want) in waits {
        for (k, (answered, asa)) in want.iter().enumerate() {
            let row = intervals
                .iter()
                .find(|r| r["queue"] == queue && interval(r) == k)
                .unwrap_or_else(|| panic!("no intervals.csv row for {queue} in interval {k}"));
            assert_eq!(
                num(row, "answered"),
                f64::from(*answered),
                "{queue}, half hour {k}"
            );
            let got = num(row, "asa_s");
            assert!(
                close(got, *asa),
                "{queue}, half hour {k}: ASA {got} s, the rule gives {asa} s"
            );
        }
    }
    let total: f64 = intervals
        .iter()
        .filter(|r| r["queue"] == "all")
        .map(|r| num(r, "answered"))
        .sum();
    assert_eq!(total, 11.0, "every call answered");
}

/// Within a pool the longest-idle agent answers too, and that shows across pools: with two
/// generalists g1, g2 (G) and one specialist s (S), on the same replayed principle as above —
///
/// | call | arrives | queue | handle | who and why                                           |
/// |------|---------|-------|--------|-------------------------------------------------------|
/// | A    | 0       | cards | 100    | g1: 0–100                                             |
/// | B    | 10      | cards | 200    | g2: 10–210                                            |
/// | C    | 20      | loans | 130    | s (G all busy): 20–150                                |
/// | D    | 300     | cards | 50     | g1, idle since 100 (g2 since 210): 300–350            |
/// | E    | 400     | loans | 100    | s, idle since 150, longer than G's longest (g2, 210)  |
///
/// "Most recently idle within the pool" gives D to g2, leaves g1 (idle since 100) at G's head
/// and so gives E to G: G busy 450 s and S 130 s in the first half hour, instead of 350 and 230.
#[test]
fn within_a_pool_the_longest_idle_agent_answers() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "calls.csv",
        "arrived_at,queue,handle_time\n0,cards,100s\n10,cards,200s\n20,loans,130s\n\
         300,cards,50s\n400,loans,100s\n",
    );
    let scenario = write(
        dir.path(),
        "routing.toml",
        &SCENARIO.replacen("agents = 1", "agents = 2", 1),
    );
    let model = hotline::scenario::load(&scenario).unwrap();
    assert_eq!(model.pools[0].headcount[0], 2, "two generalists");
    let out = dir.path().join("out");
    let o = hotline()
        .args(["simulate", "--no-charts", "--out"])
        .arg(&out)
        .arg(&scenario)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pools = read_csv(&out.join("pools.csv"));
    for (pool, want) in [("generalists", 350.0), ("specialists", 230.0)] {
        let row = pools
            .iter()
            .find(|r| r["pool"] == pool && num(r, "interval_start_s") == 0.0)
            .unwrap();
        let got = num(row, "agents_busy") * 1800.0;
        assert!(
            (got - want).abs() < 1e-2,
            "{pool}: busy {got} s, the rule gives {want} s"
        );
    }
}
