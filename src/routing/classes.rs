//! Caller classes: which class a caller belongs to, and which waiting caller of a queue is next
//! under the `priority` and `aging` policies.
//!
//! A queue with `[[queue.class]]` under a class policy keeps one FIFO sub-line per class
//! ([`ClassLines`], in the floor's [`super::Line`]); every other queue keeps its single FIFO line
//! and pays nothing here. Because each sub-line is FIFO, its head has waited longest in its
//! class, so comparing the heads suffices:
//! - `priority` (strict, non-preemptive): the head of the highest-priority class; equal
//!   priorities, the older head.
//! - `aging`: the head with the highest `priority + aging × wait` (ties: higher priority, then
//!   older). A class's priority grows with its head's wait, so a low class is served once its
//!   head has waited (priority gap ÷ aging rate), whatever the load of higher classes.
//!
//! Under `fifo` a queue's classes are still drawn (for the per-class figures) but not used for
//! ordering. Classes order callers within a queue; which queue a free agent serves is the
//! router's choice, made on the entered-at time of each queue's next caller.

use std::collections::VecDeque;

use super::floor::{Caller, CallerState};
use super::policy::ClassOrder;
use crate::random::{CallerStreams, Purpose};
use crate::scenario::{CallerClass, Queue};

/// Draws the class of a caller offered to `queue`, or `None` when the queue has no classes
/// (then nothing is drawn). From the caller's own class stream (first-attempt streams: a
/// redialling caller keeps their class), so every policy sees the same classes.
#[inline]
pub fn draw(queue: &Queue, caller: CallerStreams) -> Option<u8> {
    if queue.classes.is_empty() {
        return None;
    }
    Some(pick(&queue.classes, caller.stream(Purpose::Class).open01()))
}

/// The class whose share interval holds `u` (cumulative shares in scenario order).
fn pick(classes: &[CallerClass], u: f64) -> u8 {
    let mut acc = 0.0;
    for (k, c) in classes.iter().enumerate() {
        acc += c.share;
        if u < acc {
            return k as u8;
        }
    }
    // Rounding of the cumulative sum: the last class with a share.
    classes.iter().rposition(|c| c.share > 0.0).unwrap_or(0) as u8
}

/// One sub-line per class of a queue ordered by class.
#[derive(Debug, Clone)]
pub struct ClassLines {
    order: ClassOrder,
    /// Caller slots per class, in order of entry; may hold `Gone` slots.
    lines: Vec<VecDeque<u32>>,
    priority: Vec<f64>,
    aging_per_s: Vec<f64>,
}

impl ClassLines {
    /// Sub-lines for `queue` under `order`, or `None` when the queue keeps one FIFO line
    /// (no classes, or the `fifo` order).
    pub fn for_queue(queue: &Queue, order: ClassOrder) -> Option<Box<ClassLines>> {
        if queue.classes.is_empty() || order == ClassOrder::Fifo {
            return None;
        }
        Some(Box::new(ClassLines {
            order,
            lines: vec![VecDeque::new(); queue.classes.len()],
            priority: queue.classes.iter().map(|c| c.priority as f64).collect(),
            aging_per_s: match order {
                ClassOrder::Aging => queue.classes.iter().map(|c| c.aging_per_s).collect(),
                _ => vec![0.0; queue.classes.len()],
            },
        }))
    }

    /// Appends a caller of class `class` to its sub-line.
    #[inline]
    pub fn push(&mut self, class: Option<u8>, slot: u32) {
        self.lines[class.unwrap_or(0) as usize].push_back(slot);
    }

    /// The class whose head is served next at time `now`, with the head's entered-at time;
    /// drops (and frees) abandoned heads on the way.
    pub fn next(
        &mut self,
        callers: &mut [Caller],
        free: &mut Vec<u32>,
        now: f64,
    ) -> Option<(usize, f64)> {
        // (class, score, priority, entered_at)
        let mut best: Option<(usize, f64, f64, f64)> = None;
        for (k, line) in self.lines.iter_mut().enumerate() {
            let Some(entered) = live_head(line, callers, free) else {
                continue;
            };
            let p = self.priority[k];
            let score = p + self.aging_per_s[k] * (now - entered).max(0.0);
            let better = match best {
                None => true,
                Some((_, bs, bp, be)) => {
                    score > bs || (score == bs && (p > bp || (p == bp && entered < be)))
                }
            };
            if better {
                best = Some((k, score, p, entered));
            }
        }
        best.map(|(k, _, _, e)| (k, e))
    }

    /// Takes the next caller's slot (see [`ClassLines::next`]).
    pub fn pop(&mut self, callers: &mut [Caller], free: &mut Vec<u32>, now: f64) -> Option<u32> {
        let (k, _) = self.next(callers, free, now)?;
        self.lines[k].pop_front()
    }

    /// Frees every slot left (all abandoned: the queue has no caller waiting).
    pub fn release_all(&mut self, callers: &mut [Caller], free: &mut Vec<u32>) {
        for line in &mut self.lines {
            while let Some(s) = line.pop_front() {
                callers[s as usize].state = CallerState::Free;
                free.push(s);
            }
        }
    }

    /// Every slot in the sub-lines (abandoned ones too), class by class.
    pub fn slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.lines.iter().flat_map(|l| l.iter().copied())
    }

    /// The ordering rule (for tests and messages).
    pub fn order(&self) -> ClassOrder {
        self.order
    }
}

/// The entered-at time of the first caller still waiting in `line`, freeing abandoned heads.
#[inline]
fn live_head(line: &mut VecDeque<u32>, callers: &mut [Caller], free: &mut Vec<u32>) -> Option<f64> {
    while let Some(&s) = line.front() {
        let c = &mut callers[s as usize];
        if c.state.in_line() {
            return Some(c.entered_at);
        }
        c.state = CallerState::Free;
        free.push(s);
        line.pop_front();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ivr::IvrEnd;
    use crate::routing::CallInfo;
    use crate::scenario::QueueId;

    fn class(priority: i64, aging_per_s: f64) -> CallerClass {
        CallerClass {
            name: format!("p{priority}"),
            share: 0.5,
            priority,
            aging_per_s,
        }
    }

    fn queue(classes: Vec<CallerClass>) -> Queue {
        Queue {
            name: "q".into(),
            handle_time: crate::dist::Dist::exponential(60.0).unwrap(),
            wrap_up: None,
            patience: None,
            sl_threshold_s: 20.0,
            callback: None,
            closed_release: Default::default(),
            classes,
            hours: None,
        }
    }

    fn waiting(entered_at: f64, class: u8) -> Caller {
        let streams = crate::random::StreamKey::new(1, 0).caller_streams(0);
        Caller {
            state: CallerState::Waiting,
            call: CallInfo {
                tag: 0,
                streams,
                caller: streams,
                attempt: 0,
                handle_scale: 1.0,
                handle_s: f64::NAN,
                patience_s: f64::NAN,
                class: Some(class),
                journey: crate::routing::Journey::NONE,
                retrial: crate::routing::Retrial::Outside,
            },
            queue: QueueId(0),
            ivr_end: IvrEnd::Queue(QueueId(0)),
            entered_at,
            deadline: f64::INFINITY,
        }
    }

    /// Callers 0 (low class, entered at 0) and 1 (high class, entered at 100).
    fn two_waiting(order: ClassOrder, aging: f64) -> (ClassLines, Vec<Caller>) {
        let q = queue(vec![class(0, aging), class(5, 0.0)]);
        let mut lines = *ClassLines::for_queue(&q, order).unwrap();
        let callers = vec![waiting(0.0, 0), waiting(100.0, 1)];
        lines.push(Some(0), 0);
        lines.push(Some(1), 1);
        (lines, callers)
    }

    #[test]
    fn strict_priority_serves_the_high_class_first_however_long_the_low_one_waited() {
        let (mut lines, mut callers) = two_waiting(ClassOrder::Strict, 1.0);
        let mut free = Vec::new();
        assert_eq!(lines.pop(&mut callers, &mut free, 1e6), Some(1));
        assert_eq!(lines.pop(&mut callers, &mut free, 1e6), Some(0));
    }

    #[test]
    fn aging_serves_the_low_class_once_its_wait_outweighs_the_priority_gap() {
        // Low class gains 0.1 point per second: at t = 60 its head scores 6 > 5.
        let (mut lines, mut callers) = two_waiting(ClassOrder::Aging, 0.1);
        let mut free = Vec::new();
        assert_eq!(
            lines.next(&mut callers, &mut free, 40.0).map(|x| x.0),
            Some(1)
        );
        assert_eq!(
            lines.next(&mut callers, &mut free, 60.0).map(|x| x.0),
            Some(0)
        );
    }

    #[test]
    fn abandoned_heads_are_skipped_and_freed() {
        let (mut lines, mut callers) = two_waiting(ClassOrder::Strict, 0.0);
        callers[1].state = CallerState::Gone;
        let mut free = Vec::new();
        assert_eq!(lines.next(&mut callers, &mut free, 0.0), Some((0, 0.0)));
        assert_eq!(free, vec![1]);
    }

    #[test]
    fn fifo_or_no_classes_keep_the_single_line() {
        assert!(ClassLines::for_queue(&queue(vec![class(1, 0.0)]), ClassOrder::Fifo).is_none());
        assert!(ClassLines::for_queue(&queue(vec![]), ClassOrder::Strict).is_none());
    }

    #[test]
    fn classes_are_drawn_by_their_shares() {
        let classes = vec![
            CallerClass {
                share: 0.2,
                ..class(1, 0.0)
            },
            CallerClass {
                share: 0.8,
                ..class(0, 0.0)
            },
        ];
        assert_eq!(pick(&classes, 0.1), 0);
        assert_eq!(pick(&classes, 0.2), 1);
        assert_eq!(pick(&classes, 0.999_999_999_999), 1);
        let q = queue(classes);
        let key = crate::random::StreamKey::new(3, 0);
        let n = 20_000;
        let first = (0..n)
            .filter(|&i| draw(&q, key.caller_streams(i)) == Some(0))
            .count() as f64;
        // Binomial(20000, 0.2): sd = sqrt(n p (1-p)) = 56.6; 5 sd.
        assert!((first - 4000.0).abs() < 5.0 * 56.6, "{first}");
        assert_eq!(draw(&queue(vec![]), key.caller_streams(0)), None);
    }
}
