//! The time ranges one poll of a group reads. A poll's window is one range, unless a page
//! could not be decoded: FilterLogEvents would answer the same page again and again, so the
//! range is halved until the bad event is isolated in one millisecond, which is skipped (the
//! cursor shows a marker in its place) and cut out of every later window. One bad event costs
//! about two calls per halving (some 40 for one in the last 15 minutes), and each later poll
//! one call more, for the range on either side of it; it never stalls its group.
//!
//! Narrowing is bounded: a poll that has had [`MAX_UNDECODABLE_PER_POLL`] unreadable answers
//! gives up (the caller treats it as a failure and backs off). What was skipped so far stays
//! skipped, so the next poll goes on from there.
//!
//! Ranges include both ends, as FilterLogEvents' `startTime` and `endTime` do; an open range
//! reads up to now and beyond.

use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start_ms: i64,
    /// None: open (everything from `start_ms` on).
    pub end_ms: Option<i64>,
}

/// Unreadable answers one poll may have before it gives up: enough to isolate two bad events
/// anywhere in time (about 2 × 64 halvings each, the future split at [`FUTURE_SPLIT_MS`]).
pub const MAX_UNDECODABLE_PER_POLL: u32 = 300;

/// How far past now the open end of a window is split first: an event stamped in the future
/// is almost always within hours of now, not near the end of time.
const FUTURE_SPLIT_MS: i64 = 2 * 3_600_000;

/// What became of a range whose page could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Narrowed {
    /// Split in two; both halves are still to read.
    Halved,
    /// Down to one millisecond, which is skipped from now on.
    Skipped(i64),
    /// Too many unreadable answers in this poll: it is abandoned.
    GaveUp,
}

#[derive(Debug, Default)]
pub struct WindowPieces {
    /// Ranges still to read in the poll under way, the next one last.
    todo: Vec<Range>,
    /// Milliseconds skipped as undecodable, never asked for again.
    skipped: BTreeSet<i64>,
    /// Unreadable answers in the poll under way.
    unreadable: u32,
}

impl WindowPieces {
    /// The range to read next, if a poll is under way.
    pub fn current(&self) -> Option<Range> {
        self.todo.last().copied()
    }

    /// Start a poll of everything from `start_ms` on, around the milliseconds skipped.
    pub fn begin(&mut self, start_ms: i64) {
        self.todo.clear();
        self.unreadable = 0;
        let mut from = start_ms;
        for &ms in self.skipped.range(start_ms..) {
            if ms > from {
                self.todo.push(Range {
                    start_ms: from,
                    end_ms: Some(ms - 1),
                });
            }
            from = ms.saturating_add(1);
        }
        self.todo.push(Range {
            start_ms: from,
            end_ms: None,
        });
        self.todo.reverse();
    }

    /// The current range was read to its end; true when the poll has nothing left to read.
    pub fn finish_current(&mut self) -> bool {
        self.todo.pop();
        self.todo.is_empty()
    }

    /// The current range's page could not be decoded at local time `now_ms`: halve it, or,
    /// when it is one millisecond, skip it.
    pub fn undecodable(&mut self, now_ms: i64) -> Narrowed {
        self.unreadable += 1;
        if self.unreadable > MAX_UNDECODABLE_PER_POLL {
            self.todo.clear();
            return Narrowed::GaveUp;
        }
        let Some(range) = self.todo.pop() else {
            return Narrowed::GaveUp;
        };
        let start = range.start_ms;
        let one_ms = range.end_ms.map_or(start == i64::MAX, |end| start >= end);
        if one_ms {
            self.skipped.insert(start);
            return Narrowed::Skipped(start);
        }
        let future_split = now_ms.saturating_add(FUTURE_SPLIT_MS);
        let (left_end, right) = match range.end_ms {
            // Up to now first: the bad event is almost always in the past; then the next
            // two hours.
            None if start < now_ms => (now_ms, None),
            None if start < future_split => (future_split, None),
            None => (start + (i64::MAX - start) / 2, None),
            Some(end) => (start + (end - start) / 2, Some(end)),
        };
        self.todo.push(Range {
            start_ms: left_end.saturating_add(1),
            end_ms: right,
        });
        self.todo.push(Range {
            start_ms: start,
            end_ms: Some(left_end),
        });
        Narrowed::Halved
    }

    /// No window starts before `ms` any more.
    pub fn forget_before(&mut self, ms: i64) {
        self.skipped = self.skipped.split_off(&ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every piece of a poll from `start`, where pages holding `bad` cannot be decoded.
    /// Returns the calls made and the milliseconds skipped.
    fn poll(p: &mut WindowPieces, start: i64, now: i64, bad: &[i64]) -> (usize, Vec<i64>) {
        p.begin(start);
        let (mut calls, mut skipped) = (0, Vec::new());
        while let Some(r) = p.current() {
            calls += 1;
            let end = r.end_ms.unwrap_or(i64::MAX);
            if bad.iter().any(|&b| b >= r.start_ms && b <= end) {
                match p.undecodable(now) {
                    Narrowed::Skipped(ms) => skipped.push(ms),
                    Narrowed::Halved => {}
                    Narrowed::GaveUp => panic!("gave up after {calls} calls"),
                }
            } else {
                p.finish_current();
            }
            assert!(calls < 1_000, "the poll ends");
        }
        (calls, skipped)
    }

    #[test]
    fn a_clean_window_is_one_open_range() {
        let mut p = WindowPieces::default();
        p.begin(1_000);
        assert_eq!(
            p.current(),
            Some(Range {
                start_ms: 1_000,
                end_ms: None
            })
        );
        assert!(p.finish_current());
        assert_eq!(p.current(), None);
    }

    #[test]
    fn a_bad_millisecond_is_isolated_once_and_cut_out_afterwards() {
        let mut p = WindowPieces::default();
        let now = 1_000_000;
        // A 15-minute window, once: the open window, what is after now, the window up to
        // now, and at most two calls for each of the 20 halvings down to one millisecond.
        let (calls, skipped) = poll(&mut p, now - 900_000, now, &[now - 4_321]);
        assert_eq!(skipped, [now - 4_321]);
        assert!(calls <= 3 + 2 * 20, "{calls} calls");
        // Later polls read around it: two ranges, no failure.
        let (calls, skipped) = poll(&mut p, now - 900_000, now + 1_000, &[now - 4_321]);
        assert_eq!((calls, skipped.len()), (2, 0));
        p.begin(now - 900_000);
        assert_eq!(
            p.current(),
            Some(Range {
                start_ms: now - 900_000,
                end_ms: Some(now - 4_322)
            })
        );
        // Once no window reaches it, it is forgotten.
        p.forget_before(now);
        let (calls, _) = poll(&mut p, now, now + 2_000, &[]);
        assert_eq!(calls, 1);
    }

    #[test]
    fn two_bad_events_and_extreme_timestamps_end() {
        let mut p = WindowPieces::default();
        let (_, mut skipped) = poll(&mut p, 0, 10_000, &[10, 9_999]);
        skipped.sort_unstable();
        assert_eq!(skipped, [10, 9_999]);
        let mut p = WindowPieces::default();
        let (calls, skipped) = poll(&mut p, 0, 10_000, &[i64::MAX]);
        assert_eq!(skipped, [i64::MAX]);
        assert!(calls <= 2 * 64 + 2, "{calls} calls");
        // A window starting at the skipped maximum still ends.
        assert_eq!(poll(&mut p, i64::MAX, 10_000, &[i64::MAX]).1.len(), 1);
    }

    #[test]
    fn an_event_stamped_an_hour_ahead_is_found_in_the_next_two_hours() {
        let mut p = WindowPieces::default();
        let now = 1_000_000_000;
        let (calls, skipped) = poll(&mut p, now - 900_000, now, &[now + 3_600_000]);
        assert_eq!(skipped, [now + 3_600_000]);
        // The open window, the past, then about two calls per halving of two hours.
        assert!(calls <= 3 + 2 * 23, "{calls} calls");
    }

    #[test]
    fn a_poll_where_every_answer_is_unreadable_gives_up() {
        let mut p = WindowPieces::default();
        p.begin(0);
        let mut answers = 0;
        let gave_up = loop {
            answers += 1;
            match p.undecodable(10_000) {
                Narrowed::GaveUp => break true,
                Narrowed::Halved | Narrowed::Skipped(_) => {}
            }
            if p.current().is_none() {
                break false;
            }
        };
        assert!(gave_up, "every range was unreadable: the poll is abandoned");
        assert_eq!(answers, MAX_UNDECODABLE_PER_POLL + 1);
        assert_eq!(p.current(), None);
        // The next poll starts afresh.
        p.begin(0);
        assert!(p.current().is_some());
    }
}
