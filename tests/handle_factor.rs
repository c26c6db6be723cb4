//! `[[pool]] handle_time_factor`: the pool's agents work a queue's calls in the factor times
//! the queue's handle time. One pool with factor 0.75 on a queue of 4-minute exponential calls
//! is M/M/c with 3-minute calls: Erlang C with the scaled mean. `hotline staff` plans the
//! queue with its planning pool's factor, so it equals the plan of the scaled queue.

use crate::support::*;
use hotline::engine::simulate;
use hotline::stats::IntervalRow;

#[test]
fn a_faster_pool_is_mmc_with_the_scaled_mean() {
    // a = 170/h × 240 s × 0.75 = 8.5 erlangs on 10 agents (unscaled: 11.3, unstable).
    let (c, per_hour, aht_s, factor) = (10, 170.0, 240.0, 0.75);
    let mut model = one_queue(per_hour, aht_s, None, c, 150);
    model.pools[0].handle_time_factor = vec![factor];
    let mut stats = simulate(&model, 0);
    let (rows, _) = stats.drain_rows();
    let rows: Vec<IntervalRow> = rows.collect();
    let lambda = per_hour / 3600.0;
    let mu = 1.0 / (aht_s * factor);
    let a = lambda / mu;
    let exact = |k: u32| {
        let pw = erlang_c(k, a);
        let rate = f64::from(k) * mu - lambda;
        [pw, pw / rate]
    };
    let [lo, at, hi] = [c - 1, c, c + 1].map(exact);
    let answered = |d: &[&IntervalRow]| sum(d, |r| r.answered as f64);
    let p_wait = daily(&rows, 24, |d| {
        sum(d, |r| r.p_wait.unwrap_or(0.0) * r.answered as f64) / answered(d)
    });
    let asa = daily(&rows, 24, |d| {
        sum(d, |r| r.asa_s.unwrap_or(0.0) * r.answered as f64) / answered(d)
    });
    let handle = daily(&rows, 24, |d| {
        sum(d, |r| {
            r.handle_time_mean_s.unwrap_or(0.0) * r.answered as f64
        }) / answered(d)
    });
    assert_batch_close("P(wait)", "agent", &p_wait, [lo[0], at[0], hi[0]]);
    assert_batch_close("ASA", "agent", &asa, [lo[1], at[1], hi[1]]);
    // The realised handle time is the scaled mean, 180 s, not the queue's 240 s.
    let (mean, se) = batch_mean(&handle);
    assert!((mean - aht_s * factor).abs() < Z * se, "{mean} ± {se}");
    assert!((aht_s - aht_s * factor) > 10.0 * se);
}

#[test]
fn factors_of_one_change_nothing() {
    let base = one_queue(170.0, 180.0, Some(300.0), 10, 3);
    let mut ones = base.clone();
    ones.pools[0].handle_time_factor = vec![1.0];
    let rows = |m: &hotline::scenario::Model| {
        let mut s = simulate(m, 0);
        let (rows, _) = s.drain_rows();
        rows.collect::<Vec<IntervalRow>>()
    };
    assert_eq!(rows(&base), rows(&ones));
}

/// 1000 calls/h, exponential handle time `mean`, one pool of 55 with `extra` lines.
fn staffed(mean: &str, extra: &str) -> String {
    format!(
        r#"[scenario]
name = "factor"
days = 1
interval = "30m"
seed = 7

[arrivals]
calls_per_hour = 1000

[[queue]]
name = "general"
handle_time = {{ dist = "exponential", mean = "{mean}" }}
wrap_up = "{mean}"
patience = {{ dist = "exponential", mean = "5m" }}

[[pool]]
name = "agents"
serves = ["general"]
agents = 55
{extra}
"#
    )
}

#[test]
fn staff_plans_the_queue_with_its_planning_pools_factor() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let scaled = write(
        dir.path(),
        "scaled.toml",
        &staffed("3m", "handle_time_factor = { general = 0.5 }"),
    );
    let halved = write(dir.path(), "halved.toml", &staffed("1m30s", ""));
    for (s, out) in [(&scaled, &a), (&halved, &b)] {
        let o = hotline()
            .arg("staff")
            .arg(s)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (ra, rb) = (
        read_csv(&a.join("staffing.csv")),
        read_csv(&b.join("staffing.csv")),
    );
    assert_eq!(ra.len(), 48);
    assert_eq!(ra, rb, "the factor is the planning pool's handle time");
}

#[test]
fn a_factor_at_or_below_zero_is_refused_at_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(
        dir.path(),
        "bad.toml",
        &staffed("3m", "handle_time_factor = { general = 0 }"),
    );
    let o = hotline().arg("check").arg(&s).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.toml:20:34"), "{err}");
    assert!(err.contains("pool[0].handle_time_factor.general"), "{err}");
    assert!(err.contains("above 0"), "{err}");
}
