//! The default 24/7 desk of `plan --compare-nights`: the queues whose opening hours are 24/7,
//! not the queues that happen to have a pool of their own.

use std::path::Path;

use hotline::schedule::nights::default_desk;

use crate::support::write;

fn bundled(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name),
    )
    .unwrap()
}

fn desk_of(text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let model = hotline::scenario::load(&write(dir.path(), "s.toml", text)).unwrap();
    default_desk(&model)
        .into_iter()
        .map(|q| model.queues[q].name.clone())
        .collect()
}

/// Regression: with a pool of its own for the day queue `general` (closed 19:00–08:00 and at
/// weekends), the desk was "general, lost_card" (pools serving one queue); only `lost_card`
/// is open 24/7.
#[test]
fn the_default_desk_is_the_queues_open_24_7_not_those_with_a_pool_of_their_own() {
    let text = bundled("night-traffic.toml");
    assert_eq!(desk_of(&text), ["lost_card"]);
    let own_pool = text.replace(
        "serves = [\"general\", \"lost_card\"]",
        "serves = [\"general\"]",
    );
    assert_ne!(own_pool, text);
    assert_eq!(desk_of(&own_pool), ["lost_card"]);
    // A queue without hours next to one that closes is open around the clock too.
    let no_hours = text.replace(
        "hours = \"24/7\"                # stated: this queue never closes\n",
        "",
    );
    assert_ne!(no_hours, text);
    assert_eq!(desk_of(&no_hours), ["lost_card"]);
}

/// weekly-plan.toml states no opening hours: every queue is open around the clock, so the
/// hours cannot pick a desk and the dedicated card desk stays the default.
#[test]
fn without_closing_hours_the_desk_is_the_queues_with_a_dedicated_pool() {
    assert_eq!(desk_of(&bundled("weekly-plan.toml")), ["cards"]);
}
