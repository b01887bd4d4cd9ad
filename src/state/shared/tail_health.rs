//! How well the tail keeps up, for the logs pane's title and the groups list: how far behind
//! the slowest active group is, how often quiet groups are checked, the late events caught,
//! and per group what the tail saw (last event, events and errors per minute, failing).

use std::collections::HashMap;

use unstuck_aws::model::LogEvent;

use crate::state::shared::durations::short_duration;
use crate::tail::{GroupProgress, TailReport};

fn report_tail_id(report: &TailReport) -> Option<u64> {
    match report {
        TailReport::Events { tail_id, .. }
        | TailReport::Failed { tail_id, .. }
        | TailReport::Caught { tail_id, .. }
        | TailReport::Progress { tail_id, .. }
        | TailReport::Older { tail_id, .. }
        | TailReport::Live { tail_id, .. } => Some(*tail_id),
    }
}

/// An event ingested this long after its timestamp counts as late.
pub const LATE_MS: i64 = 30_000;
/// The title says "behind" from this much delay on ...
const BEHIND_SHOWN_MS: i64 = 5_000;
/// ... and suggests Live Tail from this much.
const LIVE_TAIL_HELPS_MS: i64 = 10_000;
/// Quiet groups checked less often than this are mentioned in the title.
const QUIET_SHOWN_MS: i64 = 10_000;

/// What the tail reported about its groups, and the late events it delivered.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TailHealth {
    pub groups: HashMap<String, GroupProgress>,
    pub late_count: u64,
    pub late_max_ms: i64,
    /// Per group: events and errors seen by the tail, for the groups list's rates.
    pub seen: HashMap<String, GroupActivity>,
    /// Groups whose last poll failed (until a full round succeeds).
    pub failing: std::collections::HashSet<String>,
    /// The tail these figures are of (`observe` starts over for a newer one).
    pub tail_id: Option<u64>,
    live_suggested: bool,
}

/// What the tail saw of one group.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct GroupActivity {
    pub last_event_ms: Option<i64>,
    /// Timestamps of the events of the last minute, and which were errors (by timestamp, so
    /// a back-fill of the last five minutes does not count as one minute's burst).
    recent: std::collections::VecDeque<(i64, bool)>,
}

const RATE_WINDOW_MS: i64 = 60_000;

impl GroupActivity {
    /// Events and errors per minute, over the last minute up to `now_ms`.
    pub fn per_minute(&self, now_ms: i64) -> (usize, usize) {
        let recent = self
            .recent
            .iter()
            .filter(|(ts, _)| now_ms - ts < RATE_WINDOW_MS);
        recent.fold((0, 0), |(n, e), (_, error)| {
            (n + 1, e + usize::from(*error))
        })
    }
}

impl TailHealth {
    /// A new tail: nothing known yet.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Events delivered at `at_ms`; returns a message when late ones were among them.
    pub fn on_events(
        &mut self,
        events: &[LogEvent],
        at_ms: i64,
        is_error: impl Fn(&LogEvent) -> bool,
    ) -> Option<String> {
        let mut late = 0u64;
        let mut latest = 0i64;
        for event in events {
            let lateness = event.ingestion_time_ms.saturating_sub(event.timestamp_ms);
            if lateness >= LATE_MS {
                late += 1;
                latest = latest.max(lateness);
            }
            let seen = self.seen.entry(event.group.clone()).or_default();
            seen.last_event_ms = Some(
                seen.last_event_ms
                    .map_or(event.timestamp_ms, |t| t.max(event.timestamp_ms)),
            );
            if at_ms - event.timestamp_ms < RATE_WINDOW_MS {
                seen.recent.push_back((event.timestamp_ms, is_error(event)));
            }
        }
        for seen in self.seen.values_mut() {
            seen.recent.retain(|(ts, _)| at_ms - ts < RATE_WINDOW_MS);
        }
        if late == 0 {
            return None;
        }
        self.late_count += late;
        self.late_max_ms = self.late_max_ms.max(latest);
        Some(format!(
            "{late} late event{}, up to {} late (ingested after newer ones; shown in place)",
            if late == 1 { "" } else { "s" },
            short_duration(latest)
        ))
    }

    /// Take in any report, starting over when it is of a newer tail (the groups list sees
    /// every tail; the logs pane passes only its own).
    pub fn observe(&mut self, report: &TailReport, is_error: impl Fn(&LogEvent) -> bool) {
        let Some(id) = report_tail_id(report) else {
            return;
        };
        match self.tail_id {
            Some(current) if id < current => return,
            Some(current) if id > current => self.reset(),
            _ => {}
        }
        self.tail_id = Some(id);
        match report {
            TailReport::Events { events, at_ms, .. } => {
                for event in events {
                    self.failing.remove(&event.group);
                }
                self.on_events(events, *at_ms, is_error);
            }
            TailReport::Progress { groups, .. } => self.on_progress(groups.clone()),
            TailReport::Failed { group, .. } => {
                self.failing.insert(group.clone());
            }
            TailReport::Caught { .. } => self.failing.clear(),
            TailReport::Older { .. } | TailReport::Live { .. } => {}
        }
    }

    pub fn on_progress(&mut self, groups: Vec<GroupProgress>) {
        self.groups = groups.into_iter().map(|g| (g.group.clone(), g)).collect();
    }

    /// How long ago the least recently polled active group was read: a new event there waits
    /// at least that long.
    pub fn behind_ms(&self, now_ms: i64) -> Option<i64> {
        self.groups
            .values()
            .filter(|g| !g.quiet)
            .filter_map(|g| g.polled_ms.map(|p| now_ms - p))
            .max()
    }

    /// How often the quiet groups are checked (the longest gap).
    pub fn quiet_every_ms(&self) -> Option<i64> {
        self.groups
            .values()
            .filter(|g| g.quiet)
            .map(|g| g.every_ms)
            .max()
    }

    /// The title's note: "~9s behind · quiet groups every 45s · 3 late ≤4m12s".
    pub fn note(&self, now_ms: i64) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(behind) = self.behind_ms(now_ms).filter(|b| *b >= BEHIND_SHOWN_MS) {
            parts.push(format!("~{} behind", short_duration(behind)));
        }
        if let Some(every) = self.quiet_every_ms().filter(|e| *e >= QUIET_SHOWN_MS) {
            parts.push(format!("quiet groups every {}", short_duration(every)));
        }
        if self.late_count > 0 {
            parts.push(format!(
                "{} late ≤{}",
                self.late_count,
                short_duration(self.late_max_ms)
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// Once per tail, when polling is far behind: what Live Tail would do, and its cost.
    pub fn live_tail_suggestion(&mut self, now_ms: i64, live_on: bool) -> Option<String> {
        let behind = self.behind_ms(now_ms)?;
        if live_on || self.live_suggested || behind < LIVE_TAIL_HELPS_MS {
            return None;
        }
        self.live_suggested = true;
        Some(format!(
            "the tail is ~{} behind over {} groups (the calls/s budget is shared): --live-tail \
             streams them within ~1 s (10 groups per session; AWS bills Live Tail per \
             session-minute), or raise --calls-per-second",
            short_duration(behind),
            self.groups.len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(group: &str, ts: i64, ingested: i64) -> LogEvent {
        LogEvent {
            timestamp_ms: ts,
            ingestion_time_ms: ingested,
            group: group.into(),
            stream: "s".into(),
            event_id: format!("{ts}"),
            message: "m".into(),
        }
    }

    fn progress(group: &str, polled: i64, every: i64, quiet: bool) -> GroupProgress {
        GroupProgress {
            group: group.into(),
            polled_ms: Some(polled),
            every_ms: every,
            quiet,
        }
    }

    #[test]
    fn late_events_are_counted_and_said() {
        let mut health = TailHealth::default();
        let on_time = [event("/g", 1_000, 1_500)];
        assert_eq!(health.on_events(&on_time, 2_000, |_| false), None);
        let late = [
            event("/g", 0, 252_000),
            event("/g", 1, 40_000),
            event("/h", 2, 100_000),
        ];
        assert_eq!(
            health.on_events(&late, 260_000, |_| false).as_deref(),
            Some("3 late events, up to 4m12s late (ingested after newer ones; shown in place)")
        );
        assert_eq!(health.note(260_000).as_deref(), Some("3 late ≤4m12s"));
    }

    #[test]
    fn behind_counts_active_groups_and_quiet_ones_are_named() {
        let mut health = TailHealth::default();
        health.on_progress(vec![
            progress("/a", 91_000, 9_000, false),
            progress("/b", 99_000, 9_000, false),
            progress("/q", 60_000, 45_000, true),
        ]);
        assert_eq!(health.behind_ms(100_000), Some(9_000));
        assert_eq!(
            health.note(100_000).as_deref(),
            Some("~9s behind · quiet groups every 45s")
        );
        assert_eq!(health.live_tail_suggestion(100_000, false), None);
        let said = health.live_tail_suggestion(103_000, false);
        assert!(said.is_some_and(|s| s.contains("--live-tail") && s.contains("~12s behind")));
        assert_eq!(health.live_tail_suggestion(110_000, false), None, "once");
    }

    #[test]
    fn rates_per_group_over_the_last_minute() {
        let mut health = TailHealth::default();
        let events: Vec<LogEvent> = (0..10).map(|i| event("/g", i, i)).collect();
        health.on_events(&events, 0, |e| e.timestamp_ms < 3);
        assert_eq!(health.seen["/g"].per_minute(30_000), (10, 3));
        health.on_events(&[event("/g", 50_000, 50_000)], 61_000, |_| false);
        assert_eq!(health.seen["/g"].per_minute(61_000), (1, 0));
        assert_eq!(health.seen["/g"].last_event_ms, Some(50_000));
        // A back-fill of older events counts for the last event, not the rate.
        health.on_events(&[event("/h", 0, 0)], 300_000, |_| false);
        assert_eq!(health.seen["/h"].per_minute(300_000), (0, 0));
        assert_eq!(health.seen["/h"].last_event_ms, Some(0));
    }
}
