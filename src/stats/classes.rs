//! Per-class figures (queues with `[[queue.class]]`): a [`QueueTally`] per queue × class and
//! interval, closed with the interval into `class_intervals.csv` rows and summed over the run
//! into `classes.csv` rows. Kept only when some queue has classes; a scenario without classes
//! has no such tallies, rows or files.

use serde::Serialize;

use super::tally::{QueueTally, derive_wait_figures};
use crate::scenario::{Model, QueueId};
use crate::time::Calendar;

macro_rules! class_row {
    ($name:ident, $q:expr, $c:expr, $p:expr, $t:expr, $f:expr,
     { $($head:tt)* } then { $($tail:tt)* }) => {
        $name {
            $($head)*
            queue: $q.clone(),
            class: $c.clone(),
            priority: *$p,
            offered: $t.offered,
            answered: $t.answered,
            abandoned: $t.abandoned,
            in_queue_at_end: $t.in_queue_at_end,
            answered_within_threshold: $t.answered_within,
            abandoned_within_threshold: $t.abandoned_within,
            service_level: $f.service_level,
            sl_of_answered: $f.sl_of_answered,
            asa_s: $f.asa_s,
            wait_mean_s: $f.wait_mean_s,
            p_wait: $f.p_wait,
            abandon_rate: $f.abandon_rate,
            wait_p50_s: $f.p[0],
            wait_p80_s: $f.p[1],
            wait_p90_s: $f.p[2],
            wait_p95_s: $f.p[3],
            wait_p99_s: $f.p[4],
            $($tail)*
            callbacks_failed: $t.callbacks_failed,
            disconnected: $t.disconnected,
        }
    };
}

macro_rules! class_record {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }
     then { $($(#[$tmeta:meta])* $tfield:ident : $tty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Queue name.
            pub queue: String,
            /// Class name (`[[queue.class]] name`).
            pub class: String,
            /// The class's priority (higher is served first under `priority` and `aging`).
            pub priority: i64,
            /// Callers of this class offered to the queue while it was open: a class is drawn
            /// when a caller enters the line, so the queue's `closed` callers and its
            /// closed-queue callback legs have none. Σ classes = queue offered − closed −
            /// closed_callbacks.
            pub offered: u64,
            pub answered: u64,
            /// Callers of this class who hung up while waiting.
            pub abandoned: u64,
            /// Still waiting when the horizon ended. Conservation per class:
            /// offered = answered + abandoned + callbacks_failed + disconnected +
            /// in_queue_at_end.
            pub in_queue_at_end: u64,
            /// Answered with a wait ≤ the queue's SL threshold.
            pub answered_within_threshold: u64,
            /// Abandoned with a wait ≤ the queue's SL threshold.
            pub abandoned_within_threshold: u64,
            /// Answered within T ÷ (answered + abandoned after T).
            pub service_level: Option<f64>,
            /// Answered within T ÷ answered.
            pub sl_of_answered: Option<f64>,
            /// Mean wait of answered callers, seconds.
            pub asa_s: Option<f64>,
            /// Mean wait of callers leaving the queue (answered or abandoned), seconds.
            pub wait_mean_s: Option<f64>,
            /// Share of callers leaving the queue who waited at all.
            pub p_wait: Option<f64>,
            /// Abandoned ÷ (answered + abandoned).
            pub abandon_rate: Option<f64>,
            /// Wait percentiles of callers leaving the queue, seconds.
            pub wait_p50_s: Option<f64>,
            pub wait_p80_s: Option<f64>,
            pub wait_p90_s: Option<f64>,
            pub wait_p95_s: Option<f64>,
            pub wait_p99_s: Option<f64>,
            $($(#[$tmeta])* pub $tfield: $tty,)*
            /// Callback requests of this class dropped after every attempt went unanswered.
            pub callbacks_failed: u64,
            /// Callers of this class on hold when the queue closed, disconnected then.
            pub disconnected: u64,
        }
    };
}

class_record! {
    /// One row of `classes.csv`: one queue × class over the whole run.
    ClassRow {} then {}
}

class_record! {
    /// One row of `class_intervals.csv`: one interval × queue × class (by interval of offer).
    ClassIntervalRow {
        /// Start of the interval, as in `intervals.csv`.
        interval_start: String,
        /// Start of the interval in seconds since the horizon began.
        interval_start_s: f64,
    } then {
        /// Weekday of the interval's start: `Mon` … `Sun`.
        weekday: &'static str,
    }
}

/// Where each queue's classes sit in a flat list of tallies.
#[derive(Debug, Clone)]
pub struct ClassLayout {
    /// Index of queue q's first class; `first[nq]` = number of classes in all.
    first: Vec<usize>,
    /// (queue name, class name, priority) per flat index.
    names: Vec<(String, String, i64)>,
    /// Service-level threshold per flat index, seconds.
    pub thresholds: Vec<f64>,
}

impl ClassLayout {
    /// The layout of `model`'s classes, or `None` when no queue has any.
    pub fn of(model: &Model) -> Option<ClassLayout> {
        if model.queues.iter().all(|q| q.classes.is_empty()) {
            return None;
        }
        let mut first = Vec::with_capacity(model.queues.len() + 1);
        let mut names = Vec::new();
        let mut thresholds = Vec::new();
        for q in &model.queues {
            first.push(names.len());
            for c in &q.classes {
                names.push((q.name.clone(), c.name.clone(), c.priority));
                thresholds.push(q.sl_threshold_s);
            }
        }
        first.push(names.len());
        Some(ClassLayout {
            first,
            names,
            thresholds,
        })
    }

    /// Number of queue × class pairs.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there is no class (never for a built layout).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The flat index of class `k` of queue `q`.
    #[inline]
    pub fn index(&self, q: QueueId, k: u8) -> usize {
        self.first[q.0 as usize] + usize::from(k)
    }

    /// One `class_intervals.csv` row per queue × class of an interval starting at `start_s`.
    pub fn interval_rows<'a>(
        &'a self,
        calendar: &'a Calendar,
        start_s: f64,
        tallies: &'a [QueueTally],
    ) -> impl Iterator<Item = ClassIntervalRow> + 'a {
        self.names.iter().zip(tallies).map(move |((q, c, p), t)| {
            let f = derive_wait_figures(t);
            class_row!(ClassIntervalRow, q, c, p, t, f, {
                interval_start: calendar.label(start_s),
                interval_start_s: start_s,
            } then {
                weekday: calendar.weekday_label(start_s),
            })
        })
    }

    /// One `classes.csv` row per queue × class over the whole run.
    pub fn summary_rows(&self, tallies: &[QueueTally]) -> Vec<ClassRow> {
        self.names
            .iter()
            .zip(tallies)
            .map(|((q, c, p), t)| {
                let f = derive_wait_figures(t);
                class_row!(ClassRow, q, c, p, t, f, {} then {})
            })
            .collect()
    }
}
