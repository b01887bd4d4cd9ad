//! Live Tail served by the demo world: a session polls the world's log store every
//! [`POLL_INTERVAL`] of tokio time and yields the events ingested since the previous poll,
//! exactly as FilterLogEvents would return them (same ids, same filter pattern semantics).
//! Like AWS it samples above [`LIVE_TAIL_MAX_EVENTS_PER_SECOND`] and ends after
//! [`LIVE_TAIL_SESSION_MS`] of simulated time. Everything follows tokio time, so sessions are
//! deterministic under paused time.
//!
//! Simplification: a poll looks [`LOOKBACK_MS`] back in event time for newly ingested events.
//! The world's own events are ingested at most 20 s after they happen; events a client puts
//! with an older timestamp are not tailed (FilterLogEvents still finds them).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use tokio::time::Instant;

use crate::api::{LiveTail, LiveTailSession};
use crate::model::{
    BackendError, FilterRequest, LIVE_TAIL_MAX_EVENTS_PER_SECOND, LIVE_TAIL_SESSION_MS,
    LiveTailRequest, LiveTailUpdate, LogEvent, log_group_name_of,
};

use super::SimWorld;

/// How often a session looks for newly ingested events.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// How far back in event time a poll looks for events ingested since the previous one.
pub const LOOKBACK_MS: i64 = 30_000;

/// The demo world's [`LiveTail`].
#[derive(Debug)]
pub struct SimLiveTail {
    world: Arc<SimWorld>,
    sessions: AtomicU64,
}

impl SimLiveTail {
    pub fn new(world: Arc<SimWorld>) -> Self {
        Self {
            world,
            sessions: AtomicU64::new(0),
        }
    }
}

#[async_trait]
impl LiveTail for SimLiveTail {
    async fn start_live_tail(
        &self,
        req: &LiveTailRequest,
    ) -> Result<Box<dyn LiveTailSession>, BackendError> {
        self.world.calls().record("StartLiveTail");
        req.validate()?;
        let now_ms = {
            let (state, now_ms) = self.world.lock_caught_up_with_now();
            // Missing groups (NotFound) and bad patterns (InvalidInput) fail here, as in AWS.
            for group in &req.groups {
                let probe = FilterRequest {
                    group: log_group_name_of(group).to_string(),
                    start_ms: now_ms,
                    end_ms: Some(now_ms),
                    filter_pattern: req.filter_pattern.clone(),
                    limit: Some(1),
                    ..FilterRequest::default()
                };
                state.logs.filter(&probe, now_ms)?;
            }
            now_ms
        };
        let n = self.sessions.fetch_add(1, Ordering::Relaxed) + 1;
        let started = Instant::now();
        Ok(Box::new(SimSession {
            world: Arc::clone(&self.world),
            req: req.clone(),
            session_id: format!("sim-live-tail-{n:04}"),
            announced: false,
            done: false,
            watermark_ms: now_ms,
            deadline_ms: now_ms.saturating_add(LIVE_TAIL_SESSION_MS),
            next_poll: started + POLL_INTERVAL,
            deadline: started + Duration::from_millis(LIVE_TAIL_SESSION_MS.unsigned_abs()),
        }))
    }
}

struct SimSession {
    world: Arc<SimWorld>,
    req: LiveTailRequest,
    session_id: String,
    announced: bool,
    done: bool,
    /// Events ingested up to here (epoch ms) have been delivered.
    watermark_ms: i64,
    deadline_ms: i64,
    next_poll: Instant,
    deadline: Instant,
}

#[async_trait]
impl LiveTailSession for SimSession {
    async fn next(&mut self) -> Result<Option<LiveTailUpdate>, BackendError> {
        if self.done {
            return Ok(None);
        }
        if !self.announced {
            self.announced = true;
            return Ok(Some(LiveTailUpdate::Started {
                session_id: self.session_id.clone(),
                groups: self.req.groups.clone(),
            }));
        }
        loop {
            tokio::time::sleep_until(self.next_poll.min(self.deadline)).await;
            let polled = self.poll();
            self.next_poll = Instant::now() + POLL_INTERVAL;
            match polled {
                Err(e) => {
                    self.done = true;
                    return Err(e);
                }
                Ok(Some(update)) => return Ok(Some(update)),
                Ok(None) if self.watermark_ms >= self.deadline_ms => {
                    self.done = true;
                    return Ok(Some(LiveTailUpdate::Ended {
                        reason: "live tail session timed out after 3 hours".to_string(),
                    }));
                }
                Ok(None) => {}
            }
        }
    }
}

impl SimSession {
    /// The events ingested since the last poll (up to the session's end), sampled like AWS.
    fn poll(&mut self) -> Result<Option<LiveTailUpdate>, BackendError> {
        let (state, now_ms) = self.world.lock_caught_up_with_now();
        let upto = now_ms.min(self.deadline_ms);
        let since = self.watermark_ms;
        if upto <= since {
            return Ok(None);
        }
        let prefixes = &self.req.stream_prefixes;
        let mut events: Vec<LogEvent> = Vec::new();
        for entry in &self.req.groups {
            let mut req = FilterRequest {
                group: log_group_name_of(entry).to_string(),
                stream_names: self.req.stream_names.clone(),
                stream_prefix: match prefixes.as_slice() {
                    [one] => Some(one.clone()),
                    _ => None,
                },
                start_ms: since.saturating_sub(LOOKBACK_MS),
                filter_pattern: self.req.filter_pattern.clone(),
                ..FilterRequest::default()
            };
            loop {
                let page = state.logs.filter(&req, upto)?;
                events.extend(
                    page.events
                        .into_iter()
                        .filter(|e| e.ingestion_time_ms > since)
                        .filter(|e| {
                            prefixes.is_empty() || prefixes.iter().any(|p| e.stream.starts_with(p))
                        })
                        .map(|e| LogEvent {
                            group: entry.clone(),
                            ..e
                        }),
                );
                match page.next_token {
                    Some(token) => req.next_token = Some(token),
                    None => break,
                }
            }
        }
        drop(state);
        self.watermark_ms = upto;
        if events.is_empty() {
            return Ok(None);
        }
        events.sort_by_key(|e| e.timestamp_ms);
        let window_ms = usize::try_from(upto - since).unwrap_or(usize::MAX);
        let cap = (LIVE_TAIL_MAX_EVENTS_PER_SECOND.saturating_mul(window_ms) / 1000).max(1);
        let sampled = events.len() > cap;
        if sampled {
            events = sample(events, cap);
        }
        Ok(Some(LiveTailUpdate::Events { events, sampled }))
    }
}

/// `keep` of `events` (fewer than there are), spread evenly: indices `j * len / keep`.
fn sample(events: Vec<LogEvent>, keep: usize) -> Vec<LogEvent> {
    let len = events.len();
    let mut taken = 0;
    events
        .into_iter()
        .enumerate()
        .filter_map(|(i, e)| {
            (taken < keep && i == taken * len / keep).then(|| {
                taken += 1;
                e
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "live_tail_tests.rs"]
mod tests;
