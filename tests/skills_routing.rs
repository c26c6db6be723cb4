//! `scenarios/skills-routing.toml` (handle-time factors per pool, random agent choice,
//! first-free headcount drops, a queue disconnecting its line at closing, a consult and a
//! conference) runs, conserves calls, and shows each setting at work.

use hotline::engine::simulate;
use hotline::scenario::{AgentChoice, StaffingDrop};

fn model() -> hotline::scenario::Model {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/skills-routing.toml");
    hotline::scenario::load(&path).expect("the bundled scenario loads")
}

#[test]
fn the_bundled_skills_scenario_uses_every_setting_and_conserves_calls() {
    let m = model();
    assert_eq!(m.center.agent_choice, AgentChoice::Random);
    assert_eq!(m.center.staffing_drop, StaffingDrop::FirstFree);
    let mut stats = simulate(&m, 0);
    stats.finish();
    let summary = stats.summary();
    let all = summary.last().expect("an all row");
    assert_eq!(
        all.offered + all.transferred_in + all.closed_callbacks,
        all.self_served
            + all.hung_up_ivr
            + all.blocked
            + all.answered
            + all.abandoned
            + all.closed
            + all.callbacks_failed
            + all.disconnected
            + all.in_system_at_end
    );
    let (cards, loans, deposits) = (&summary[0], &summary[1], &summary[2]);
    // Deposits consults card specialists (4 %) and confers with loans (5 %): consults end on
    // deposits, conferences and the consults finding no card specialist free are legs.
    let consults = deposits.consults.expect("a consult is configured");
    let answered = deposits.answered as f64;
    assert!(consults as f64 > 0.02 * answered && (consults as f64) < 0.04 * answered);
    assert_eq!(
        deposits.transferred_out,
        cards.transferred_in + loans.transferred_in
    );
    assert!(loans.transferred_in as f64 > 0.04 * answered);
    assert!(loans.disconnected > 0, "loans cuts its line at 17:00");
    assert_eq!(cards.disconnected, 0, "cards finishes its line");
    // Cards' queue mean is 4m30s with wrap-up; the specialists work it at 0.75 of that and
    // take most calls, the frontline at 1.2 only after 30 s.
    let h = cards.handle_time_mean_s.expect("answered cards calls");
    assert!(h < 0.9 * 270.0 && h > 0.7 * 270.0, "{h}");
}
