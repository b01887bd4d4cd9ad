//! The polling tail task: rounds over the tailed groups, one FilterLogEvents query per
//! group per round (following every page), new events sent to the app as they come.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::Sender;
use tokio_util::sync::CancellationToken;
use unstuck_aws::api::{Logs, WallClock};
use unstuck_aws::model::{BackendError, FilterRequest, LogEvent};

use super::seen_ids::SeenIds;
use crate::state::{Msg, TailReport, TailSpec};

const CAUGHT_EVERY: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TailOptions {
    /// Pause between rounds.
    pub poll_interval: Duration,
    /// How far behind the previous query's time each query starts again: events ingested
    /// up to this late are still found. CloudWatch ingestion is usually < 5 s behind.
    pub look_back_ms: i64,
    /// Per-group cap of remembered event ids.
    pub seen_capacity: usize,
    /// Pages followed per group per round before yielding to the next group.
    pub max_pages_per_poll: usize,
}

impl Default for TailOptions {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(2),
            look_back_ms: 30_000,
            seen_capacity: 200_000,
            max_pages_per_poll: 20,
        }
    }
}

/// Where one group's tail stands.
#[derive(Debug)]
pub struct GroupCursor {
    pub group: String,
    /// Never query before this (the tail's start).
    pub since_ms: i64,
    /// The next query starts at `max(since_ms, last_query_ms - look_back_ms)`.
    pub last_query_ms: Option<i64>,
    /// A page token left over when a poll stopped at `max_pages_per_poll`.
    pub resume: Option<(i64, String)>,
    pub seen: SeenIds,
}

impl GroupCursor {
    pub fn new(group: String, since_ms: i64, seen_capacity: usize) -> Self {
        Self {
            group,
            since_ms,
            last_query_ms: None,
            resume: None,
            seen: SeenIds::new(seen_capacity),
        }
    }

    fn window_start(&self, look_back_ms: i64) -> i64 {
        self.last_query_ms
            .map_or(self.since_ms, |t| self.since_ms.max(t - look_back_ms))
    }

    /// One poll: every page (up to the cap) of events from the window start on; returns
    /// the events never delivered before.
    pub async fn poll(
        &mut self,
        logs: &dyn Logs,
        now_ms: i64,
        opts: &TailOptions,
    ) -> Result<Vec<LogEvent>, BackendError> {
        let (start, mut token) = match self.resume.take() {
            Some((start, token)) => (start, Some(token)),
            None => (self.window_start(opts.look_back_ms), None),
        };
        let mut fresh = Vec::new();
        for _ in 0..opts.max_pages_per_poll.max(1) {
            let request = FilterRequest {
                group: self.group.clone(),
                start_ms: start,
                next_token: token.take(),
                ..FilterRequest::default()
            };
            let page = logs.filter_log_events(&request).await?;
            for event in page.events {
                if self.seen.insert(event.timestamp_ms, &event.event_id) {
                    fresh.push(event);
                }
            }
            match page.next_token {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        match token {
            Some(next) => self.resume = Some((start, next)),
            None => {
                self.last_query_ms = Some(now_ms);
                self.seen
                    .forget_before(self.window_start(opts.look_back_ms) - 1);
            }
        }
        Ok(fresh)
    }
}

/// Tail `spec.groups` until cancelled, reporting through `tx`.
pub async fn run_tail(
    logs: Arc<dyn Logs>,
    clock: Arc<dyn WallClock>,
    spec: TailSpec,
    tx: Sender<Msg>,
    cancel: CancellationToken,
    opts: TailOptions,
) {
    let since = clock.now_ms() - spec.backfill_ms;
    let mut cursors: Vec<GroupCursor> = spec
        .groups
        .iter()
        .map(|g| GroupCursor::new(g.clone(), since, opts.seen_capacity))
        .collect();
    let mut rng = fastrand::Rng::new();
    let mut failures = 0u32;
    // "Caught up" is reported after the first round, after recovering from errors, and
    // otherwise at most every CAUGHT_EVERY, so a quiet tail does not wake the UI.
    let mut last_caught: Option<tokio::time::Instant> = None;
    loop {
        let mut round_ok = true;
        let mut asked_wait = None;
        for cursor in &mut cursors {
            let now = clock.now_ms();
            let result = tokio::select! {
                () = cancel.cancelled() => return,
                result = cursor.poll(logs.as_ref(), now, &opts) => result,
            };
            let report = match result {
                Ok(events) if events.is_empty() => continue,
                Ok(events) => TailReport::Events {
                    tail_id: spec.tail_id,
                    at_ms: clock.now_ms(),
                    events,
                },
                Err(error) => {
                    round_ok = false;
                    asked_wait = asked_wait.or(error.retry_after());
                    let throttled = error.is_throttling();
                    let report = TailReport::Failed {
                        tail_id: spec.tail_id,
                        at_ms: clock.now_ms(),
                        group: cursor.group.clone(),
                        error,
                    };
                    if tx.send(Msg::Tail(report)).await.is_err() {
                        return;
                    }
                    if throttled {
                        // Stop this round: the next groups would be throttled too.
                        break;
                    }
                    continue;
                }
            };
            if tx.send(Msg::Tail(report)).await.is_err() {
                return;
            }
        }
        let wait = if round_ok {
            let due = failures > 0 || last_caught.is_none_or(|t| t.elapsed() >= CAUGHT_EVERY);
            failures = 0;
            if due {
                last_caught = Some(tokio::time::Instant::now());
                let caught = TailReport::Caught {
                    tail_id: spec.tail_id,
                    at_ms: clock.now_ms(),
                };
                if tx.send(Msg::Tail(caught)).await.is_err() {
                    return;
                }
            }
            opts.poll_interval.mul_f64(0.9 + rng.f64() * 0.2)
        } else {
            failures += 1;
            let exp = opts
                .poll_interval
                .saturating_mul(1u32 << failures.min(5))
                .min(Duration::from_secs(60));
            let jittered = exp.mul_f64(0.5 + rng.f64() * 0.5);
            asked_wait.map_or(jittered, |asked| jittered.max(asked))
        };
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(wait) => {}
        }
    }
}
