//! `hotline policies`: the queue policy components, one line each, and how they combine.

use crate::routing::policy::{COMPONENTS, SETTINGS};

/// The text `hotline policies` prints.
pub fn text() -> String {
    let width = COMPONENTS.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::from(
        "Queue policies (`[routing] policy`, `simulate --policy`, `compare --policy`):\n\n",
    );
    for c in COMPONENTS {
        out.push_str(&format!("  {:width$}  {}\n", c.name, c.summary));
    }
    out.push_str(
        "\nCombine components with `+` in any order (`priority+overflow+callback`); `fifo` is \
         the default and stands alone; `priority` and `aging` exclude each other (aging is \
         priority that grows with the wait). Every policy sees the same callers on the same seed.",
    );
    out.push_str(
        "\n\nRouting settings in the scenario (every policy; docs/scenario-format.md):\n\n",
    );
    for c in SETTINGS {
        out.push_str(&format!("  {}\n      {}\n", c.name, c.summary));
    }
    out
}
