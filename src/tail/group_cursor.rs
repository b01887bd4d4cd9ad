//! Where one group's tail stands: the look-back window, the page being followed, the ids
//! already delivered.
//!
//! Correctness: FilterLogEvents selects by event *timestamp*, but an event can be ingested
//! (become visible) seconds after newer events of other streams. So each query starts again
//! a look-back before the earlier of (the previous query's time, the newest timestamp seen);
//! re-read events are dropped by id. Two look-backs keep that cheap:
//! - the *head* look-back, used by most polls, adapts to the lateness actually observed
//!   (ingestion time minus timestamp) between a floor and a ceiling;
//! - a *near sweep* every `sweep_every_ms` looks back at least `sweep_ms`, and as far as the
//!   lateness observed (up to `late_ms`), catching events a little later than the head's window;
//! - a *deep sweep* every `deep_every_ms` looks back `late_ms` plus the time between deep
//!   sweeps, so an event ingested up to `late_ms` after its timestamp is delivered at the
//!   latest one deep sweep (plus one poll) after it was ingested.
//!
//! A sweep is not an extra call: it is the group's next poll with an earlier window start, so
//! for a quiet group it costs nothing and for a busy one it costs the pages the window holds.
//! No window starts before the oldest event id still remembered (`SeenIds::horizon_ms`), so a
//! group too busy for the id memory gets a shorter reach, never duplicates.

use unstuck_aws::model::{FilterPage, FilterRequest, LogEvent};

use super::seen_ids::SeenIds;
use super::window_pieces::{Narrowed, WindowPieces};

/// The stream name of the line shown in place of events that could not be decoded.
pub const UNDECODABLE_STREAM: &str = "(unstuck)";

/// What narrows every query of a tail (passed through to FilterLogEvents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryScope {
    pub stream_names: Vec<String>,
    pub stream_prefix: Option<String>,
    pub filter_pattern: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookBack {
    /// The head look-back: at least this ...
    pub floor_ms: i64,
    /// ... at most this.
    pub ceiling_ms: i64,
    /// The near sweep: at least this far back ...
    pub sweep_ms: i64,
    /// ... this often.
    pub sweep_every_ms: i64,
    /// Events ingested up to this long after their timestamp are delivered (the deep sweep).
    pub late_ms: i64,
    /// The deep sweep runs this often.
    pub deep_every_ms: i64,
}

/// Slack added to the deep sweep's reach for the poll that follows its due time.
const DEEP_SLACK_MS: i64 = 60_000;

impl Default for LookBack {
    fn default() -> Self {
        Self {
            floor_ms: 5_000,
            ceiling_ms: 60_000,
            sweep_ms: 60_000,
            sweep_every_ms: 20_000,
            late_ms: 15 * 60_000,
            deep_every_ms: 75_000,
        }
    }
}

/// Which window a poll reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reach {
    #[default]
    Head,
    Near,
    Deep,
}

impl LookBack {
    /// How far back the deep sweep starts, relative to the previous query.
    fn deep_ms(&self) -> i64 {
        self.late_ms
            .saturating_add(self.deep_every_ms)
            .saturating_add(DEEP_SLACK_MS)
    }

    /// The furthest back any query can start, relative to the previous query.
    fn widest_ms(&self) -> i64 {
        self.ceiling_ms.max(self.sweep_ms).max(self.deep_ms())
    }
}

#[derive(Debug)]
pub struct GroupCursor {
    pub group: String,
    /// Never query before this (the tail's start).
    since_ms: i64,
    /// Local time of the last completed query.
    last_query_ms: Option<i64>,
    newest_seen_ms: Option<i64>,
    /// Largest (ingestion time - timestamp) seen.
    max_lateness_ms: i64,
    /// The next page of the range being read.
    paging: Option<String>,
    /// The ranges the poll under way reads (one, unless a page could not be decoded).
    pieces: WindowPieces,
    /// Local time the first page of the current poll was requested.
    poll_started_ms: Option<i64>,
    /// The current poll's window, and when the last sweeps of each kind started.
    reach: Reach,
    last_sweep_ms: Option<i64>,
    last_deep_ms: Option<i64>,
    seen: SeenIds,
    look_back: LookBack,
}

/// What one page added.
#[derive(Debug, Default)]
pub struct PageOutcome {
    pub fresh: Vec<LogEvent>,
    /// The poll is complete (no more pages).
    pub done: bool,
}

impl GroupCursor {
    pub fn new(group: String, since_ms: i64, seen_capacity: usize, look_back: LookBack) -> Self {
        Self {
            group,
            since_ms,
            last_query_ms: None,
            newest_seen_ms: None,
            max_lateness_ms: 0,
            paging: None,
            pieces: WindowPieces::default(),
            poll_started_ms: None,
            reach: Reach::Head,
            last_sweep_ms: None,
            last_deep_ms: None,
            seen: SeenIds::new(seen_capacity),
            look_back,
        }
    }

    /// The look-back now in force.
    pub fn look_back_ms(&self) -> i64 {
        (self.max_lateness_ms + self.max_lateness_ms / 4 + 2_000)
            .clamp(self.look_back.floor_ms, self.look_back.ceiling_ms)
    }

    /// The window a poll starting at `now_ms` reads.
    fn reach_due(&self, now_ms: i64) -> Reach {
        let due =
            |last: Option<i64>, every: i64| last.is_none_or(|t| now_ms.saturating_sub(t) >= every);
        if self.last_query_ms.is_none() {
            Reach::Head
        } else if due(self.last_deep_ms, self.look_back.deep_every_ms) {
            Reach::Deep
        } else if due(self.last_sweep_ms, self.look_back.sweep_every_ms) {
            Reach::Near
        } else {
            Reach::Head
        }
    }

    fn window_start(&self, reach: Reach) -> i64 {
        let Some(last) = self.last_query_ms else {
            return self.since_ms;
        };
        let anchor = self
            .newest_seen_ms
            .map_or(last, |newest| last.min(newest.saturating_add(1)));
        let observed = self.observed_reach_ms();
        // Saturating: an event stamped i64::MAX or MIN must not wrap the window around.
        let start = match reach {
            Reach::Head => anchor.saturating_sub(self.look_back_ms()),
            Reach::Near => anchor.saturating_sub(observed.max(self.look_back.sweep_ms)),
            Reach::Deep => last.saturating_sub(self.look_back.deep_ms()),
        }
        .max(last.saturating_sub(self.look_back.widest_ms()));
        start.max(self.since_ms).max(self.seen.horizon_ms())
    }

    /// The near sweep's reach from the lateness observed: as far back as the latest event
    /// seen so far came, with a margin, up to the late window.
    fn observed_reach_ms(&self) -> i64 {
        (self.max_lateness_ms + self.max_lateness_ms / 4 + 2_000).min(self.look_back.late_ms)
    }

    /// The window of the poll under way (or of the next one).
    pub fn reach(&self) -> Reach {
        self.reach
    }

    /// The next FilterLogEvents request at local time `now_ms` (continuing a page sequence if
    /// one is open).
    pub fn next_request(&mut self, scope: &QueryScope, now_ms: i64) -> FilterRequest {
        let range = match self.pieces.current() {
            Some(range) => range,
            None => {
                self.paging = None;
                self.reach = self.reach_due(now_ms);
                self.pieces.begin(self.window_start(self.reach));
                self.pieces
                    .current()
                    .unwrap_or(super::window_pieces::Range {
                        start_ms: self.since_ms,
                        end_ms: None,
                    })
            }
        };
        FilterRequest {
            group: self.group.clone(),
            stream_names: scope.stream_names.clone(),
            stream_prefix: scope.stream_prefix.clone(),
            start_ms: range.start_ms,
            end_ms: range.end_ms,
            filter_pattern: scope.filter_pattern.clone(),
            next_token: self.paging.clone(),
            limit: None,
        }
    }

    /// Take in the answer to `request`, which was sent at local time `requested_at_ms`.
    pub fn absorb(
        &mut self,
        request: &FilterRequest,
        page: FilterPage,
        requested_at_ms: i64,
    ) -> PageOutcome {
        self.poll_started_ms.get_or_insert(requested_at_ms);
        let mut fresh = Vec::new();
        for event in page.events {
            self.max_lateness_ms = self
                .max_lateness_ms
                .max(event.ingestion_time_ms.saturating_sub(event.timestamp_ms))
                .min(self.look_back.late_ms);
            self.newest_seen_ms = Some(
                self.newest_seen_ms
                    .map_or(event.timestamp_ms, |n| n.max(event.timestamp_ms)),
            );
            if self.seen.insert(event.timestamp_ms, &event.event_id) {
                fresh.push(event);
            }
        }
        match page.next_token {
            Some(token) if Some(&token) != request.next_token.as_ref() => {
                self.paging = Some(token);
                PageOutcome { fresh, done: false }
            }
            _ => {
                self.paging = None;
                let done = self.pieces.finish_current();
                if done {
                    self.finish_poll(requested_at_ms);
                }
                PageOutcome { fresh, done }
            }
        }
    }

    /// The page just asked for (at `requested_at_ms`) could not be decoded:
    /// narrow the range, or skip the one millisecond it has come down to, with a line saying
    /// so in place of its events. None: this poll had too many unreadable answers and is
    /// abandoned (a failure to back off from; what was skipped stays skipped).
    pub fn undecodable(&mut self, requested_at_ms: i64) -> Option<PageOutcome> {
        self.poll_started_ms.get_or_insert(requested_at_ms);
        self.paging = None;
        let mut fresh = Vec::new();
        match self.pieces.undecodable(requested_at_ms) {
            Narrowed::GaveUp => return None,
            Narrowed::Halved => {}
            Narrowed::Skipped(ms) => {
                let marker = LogEvent {
                    timestamp_ms: ms,
                    ingestion_time_ms: requested_at_ms,
                    group: self.group.clone(),
                    stream: UNDECODABLE_STREAM.to_string(),
                    event_id: format!("unstuck-undecodable-{ms}"),
                    message: "[unstuck: FilterLogEvents answered with a page that could not \
                              be decoded; the events stamped in this millisecond were skipped]"
                        .to_string(),
                };
                if self.seen.insert(ms, &marker.event_id) {
                    fresh.push(marker);
                }
            }
        }
        let done = self.pieces.current().is_none();
        if done {
            self.finish_poll(requested_at_ms);
        }
        Some(PageOutcome { fresh, done })
    }

    /// The last range of a poll was read: account for the poll.
    fn finish_poll(&mut self, requested_at_ms: i64) {
        // Everything ingested before the poll's first request has been read.
        let started = self.poll_started_ms.take().unwrap_or(requested_at_ms);
        // The first poll reads everything since the start: it counts as both sweeps.
        let first = self.last_sweep_ms.is_none();
        match std::mem::take(&mut self.reach) {
            Reach::Deep => {
                self.last_deep_ms = Some(started);
                self.last_sweep_ms = Some(started);
            }
            Reach::Near => self.last_sweep_ms = Some(started),
            Reach::Head if first => {
                self.last_deep_ms = Some(started);
                self.last_sweep_ms = Some(started);
            }
            Reach::Head => {}
        }
        self.last_query_ms = Some(started);
        // No later query starts before this, so older ids can never come back.
        let horizon = started.saturating_sub(self.look_back.widest_ms() + 1);
        self.seen.forget_before(horizon);
        self.pieces.forget_before(horizon);
    }

    pub fn remembered_ids(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(ts: i64, ingested: i64, id: &str) -> LogEvent {
        LogEvent {
            timestamp_ms: ts,
            ingestion_time_ms: ingested,
            group: "g".into(),
            stream: "s".into(),
            event_id: id.into(),
            message: id.into(),
        }
    }

    fn page(events: Vec<LogEvent>, token: Option<&str>) -> FilterPage {
        FilterPage {
            events,
            next_token: token.map(str::to_string),
        }
    }

    #[test]
    fn first_query_starts_at_since_then_looks_back() {
        let mut c = GroupCursor::new("g".into(), 1_000, 100, LookBack::default());
        let scope = QueryScope::default();
        let r = c.next_request(&scope, 60_000);
        assert_eq!(r.start_ms, 1_000);
        c.absorb(&r, page(vec![ev(50_000, 50_500, "a")], None), 60_000);
        // min(last query 60 s, newest 50 s) - floor 5 s
        let r = c.next_request(&scope, 61_000);
        assert_eq!(r.start_ms, 45_001);
        c.absorb(&r, page(Vec::new(), None), 61_000);
        // 20 s after the first poll, a sweep looks back 60 s.
        assert_eq!(c.next_request(&scope, 80_000).start_ms, 1_000);
    }

    #[test]
    fn re_read_events_are_not_fresh_and_late_ones_are() {
        let mut c = GroupCursor::new("g".into(), 0, 100, LookBack::default());
        let scope = QueryScope::default();
        let r = c.next_request(&scope, 0);
        let out = c.absorb(&r, page(vec![ev(10, 20, "a"), ev(30, 40, "b")], None), 100);
        assert_eq!(out.fresh.len(), 2);
        let r = c.next_request(&scope, 0);
        let out = c.absorb(
            &r,
            page(
                vec![ev(10, 20, "a"), ev(20, 95, "late"), ev(30, 40, "b")],
                None,
            ),
            200,
        );
        assert_eq!(
            out.fresh
                .iter()
                .map(|e| e.event_id.as_str())
                .collect::<Vec<_>>(),
            ["late"]
        );
    }

    #[test]
    fn look_back_grows_with_observed_lateness_within_bounds() {
        let mut c = GroupCursor::new(
            "g".into(),
            0,
            100,
            LookBack {
                floor_ms: 5_000,
                ceiling_ms: 60_000,
                ..LookBack::default()
            },
        );
        assert_eq!(c.look_back_ms(), 5_000);
        let r = c.next_request(&QueryScope::default(), 0);
        c.absorb(&r, page(vec![ev(0, 20_000, "x")], None), 30_000);
        assert_eq!(c.look_back_ms(), 27_000);
        let r = c.next_request(&QueryScope::default(), 0);
        c.absorb(&r, page(vec![ev(1, 900_000, "y")], None), 900_000);
        assert_eq!(c.look_back_ms(), 60_000);
    }

    #[test]
    fn pages_keep_the_window_and_pass_the_scope() {
        let mut c = GroupCursor::new("g".into(), 500, 100, LookBack::default());
        let scope = QueryScope {
            stream_prefix: Some("2026/".into()),
            filter_pattern: Some("ERROR".into()),
            ..QueryScope::default()
        };
        let r = c.next_request(&scope, 0);
        let out = c.absorb(&r, page(vec![ev(600, 600, "a")], Some("t1")), 1_000);
        assert!(!out.done);
        let r2 = c.next_request(&scope, 0);
        assert_eq!((r2.start_ms, r2.next_token.as_deref()), (500, Some("t1")));
        assert_eq!(r2.stream_prefix.as_deref(), Some("2026/"));
        assert_eq!(r2.filter_pattern.as_deref(), Some("ERROR"));
        let out = c.absorb(&r2, page(vec![ev(700, 700, "b")], None), 1_100);
        assert!(out.done);
        assert_eq!(out.fresh.len(), 1);
    }

    #[test]
    fn extreme_timestamps_do_not_wrap_the_window() {
        let mut c = GroupCursor::new("g".into(), 1_000, 100, LookBack::default());
        let scope = QueryScope::default();
        let r = c.next_request(&scope, 60_000);
        let extremes = vec![
            ev(i64::MAX, 59_000, "future"),
            ev(i64::MIN, 59_000, "past"),
            ev(58_000, 58_500, "normal"),
        ];
        let out = c.absorb(&r, page(extremes, None), 60_000);
        assert_eq!(out.fresh.len(), 3, "every event is delivered once");
        // The next window still starts within the widest look-back of the last query.
        for now in [61_000, 80_000, 200_000] {
            let r = c.next_request(&scope, now);
            let widest = LookBack::default().widest_ms();
            assert!(
                r.start_ms <= 60_000 && r.start_ms >= 60_000 - widest,
                "window starts at {} at {now}",
                r.start_ms
            );
            c.absorb(&r, page(Vec::new(), None), 60_000);
        }
    }
}
