//! Live Tail (StartLiveTail) for the tail engine, when the user asks for it: a polling
//! back-fill of the look-back window, then one session per 10 groups, re-opened whenever AWS
//! ends it (sessions last at most 3 h), with sampling reported. Where Live Tail is not offered
//! (an emulator, no permission, too many sessions) those groups fall back to polling.
//!
//! Live Tail events carry no event id, so events are de-duplicated by content (stream,
//! timestamp, message) across the back-fill and the sessions.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use unstuck_aws::api::{LiveTail, Logs, WallClock};
use unstuck_aws::model::{BackendError, LiveTailRequest, LiveTailUpdate, LogEvent};

use super::report::{TailReport, TailSpec};
use super::request_budget::RequestBudget;
use super::seen_ids::SeenIds;
use super::tail_task::{ReportSink, TailOptions, run_tail};

/// Remembered content keys (per tail): enough for minutes of a busy app.
const SEEN_CAPACITY: usize = 500_000;

/// A stable key for an event that has no id of its own.
pub fn content_key(event: &LogEvent) -> String {
    let mut hasher = DefaultHasher::new();
    event.message.hash(&mut hasher);
    format!(
        "{}\u{0}{}\u{0}{}\u{0}{:016x}",
        event.group,
        event.stream,
        event.timestamp_ms,
        hasher.finish()
    )
}

/// Everything one live tail needs.
pub struct LiveTailRun {
    pub live: Arc<dyn LiveTail>,
    pub logs: Arc<dyn Logs>,
    pub clock: Arc<dyn WallClock>,
    pub budget: Arc<RequestBudget>,
    pub spec: TailSpec,
    pub options: TailOptions,
}

/// Tail with Live Tail sessions (falling back to polling where unavailable) until cancelled.
pub async fn run_live_tail(
    run: LiveTailRun,
    sink: impl ReportSink + Sync,
    cancel: CancellationToken,
) {
    let tail_id = run.spec.tail_id;
    let (tx, mut rx) = mpsc::channel::<TailReport>(256);
    // Sessions first, so nothing ingested from now on can fall between back-fill and live.
    let request = LiveTailRequest {
        groups: run.spec.groups.clone(),
        stream_names: run.spec.stream_names.clone(),
        stream_prefixes: run.spec.stream_prefix.iter().cloned().collect(),
        filter_pattern: run.spec.filter_pattern.clone(),
    };
    for chunk in request.split() {
        tokio::spawn(session_loop(
            Arc::clone(&run.live),
            chunk,
            FallbackPolling {
                logs: Arc::clone(&run.logs),
                clock: Arc::clone(&run.clock),
                budget: Arc::clone(&run.budget),
                spec: run.spec.clone(),
                options: run.options,
            },
            tx.clone(),
            cancel.clone(),
        ));
    }
    let backfill = TailSpec { ..run.spec.clone() };
    tokio::spawn(run_tail(
        Arc::clone(&run.logs),
        Arc::clone(&run.clock),
        Arc::clone(&run.budget),
        backfill,
        tx.clone(),
        cancel.clone(),
        TailOptions {
            follow: false,
            ..run.options
        },
    ));
    drop(tx);
    let mut seen = SeenIds::new(SEEN_CAPACITY);
    loop {
        let report = tokio::select! {
            () = cancel.cancelled() => return,
            report = rx.recv() => report,
        };
        let Some(report) = report else { return };
        let report = match report {
            TailReport::Events { at_ms, events, .. } => {
                let fresh: Vec<LogEvent> = events
                    .into_iter()
                    .filter(|e| seen.insert(e.timestamp_ms, &content_key(e)))
                    .collect();
                if fresh.is_empty() {
                    continue;
                }
                TailReport::Events {
                    tail_id,
                    at_ms,
                    events: fresh,
                }
            }
            TailReport::Failed {
                at_ms,
                group,
                error,
                ..
            } => TailReport::Failed {
                tail_id,
                at_ms,
                group,
                error,
            },
            TailReport::Caught { at_ms, .. } => TailReport::Caught { tail_id, at_ms },
            TailReport::Older { at_ms, result, .. } => TailReport::Older {
                tail_id,
                at_ms,
                result,
            },
            TailReport::Progress { at_ms, groups, .. } => TailReport::Progress {
                tail_id,
                at_ms,
                groups,
            },
            TailReport::Live {
                at_ms,
                groups,
                state,
                ..
            } => TailReport::Live {
                tail_id,
                at_ms,
                groups,
                state,
            },
        };
        if !sink.report(report).await {
            return;
        }
    }
}

struct FallbackPolling {
    logs: Arc<dyn Logs>,
    clock: Arc<dyn WallClock>,
    budget: Arc<RequestBudget>,
    spec: TailSpec,
    options: TailOptions,
}

/// What the live tail of some groups is doing, for the status line and the pane title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveState {
    Streaming,
    /// AWS samples the session (more than 500 events/s): some events are not shown.
    Sampled,
    /// AWS ended the session; a new one is being opened.
    Reopening(String),
    /// Live Tail is not offered here: these groups are polled instead.
    Polling(String),
}

async fn session_loop(
    live: Arc<dyn LiveTail>,
    request: LiveTailRequest,
    fallback: FallbackPolling,
    tx: mpsc::Sender<TailReport>,
    cancel: CancellationToken,
) {
    let groups = request.groups.clone();
    let status = |state: LiveState, at_ms: i64| TailReport::Live {
        tail_id: 0,
        at_ms,
        groups: groups.clone(),
        state,
    };
    let mut failures = 0u32;
    let mut sampled = false;
    loop {
        let started = tokio::select! {
            () = cancel.cancelled() => return,
            started = live.start_live_tail(&request) => started,
        };
        let mut session = match started {
            Ok(session) => session,
            Err(BackendError::Unavailable(why)) => {
                let _ = tx
                    .send(status(LiveState::Polling(why), fallback.clock.now_ms()))
                    .await;
                // The same window as the back-fill, so an event ingested late between the
                // back-fill and now is not missed; the overlap is de-duplicated by content.
                let spec = TailSpec {
                    groups: request.groups.clone(),
                    ..fallback.spec.clone()
                };
                run_tail(
                    fallback.logs,
                    fallback.clock,
                    fallback.budget,
                    spec,
                    tx,
                    cancel,
                    fallback.options,
                )
                .await;
                return;
            }
            Err(error) => {
                failures += 1;
                let failed = TailReport::Failed {
                    tail_id: 0,
                    at_ms: fallback.clock.now_ms(),
                    group: groups.join(", "),
                    error,
                };
                if tx.send(failed).await.is_err() {
                    return;
                }
                let wait = Duration::from_secs(2)
                    .saturating_mul(1 << failures.min(5))
                    .min(Duration::from_secs(60));
                tokio::select! {
                    () = cancel.cancelled() => return,
                    () = tokio::time::sleep(wait) => continue,
                }
            }
        };
        loop {
            let next = tokio::select! {
                () = cancel.cancelled() => return,
                next = session.next() => next,
            };
            let now = fallback.clock.now_ms();
            let report = match next {
                Ok(Some(LiveTailUpdate::Started { .. })) => {
                    failures = 0;
                    status(LiveState::Streaming, now)
                }
                Ok(Some(LiveTailUpdate::Events {
                    events,
                    sampled: now_sampled,
                })) => {
                    if now_sampled != sampled {
                        sampled = now_sampled;
                        let state = if sampled {
                            LiveState::Sampled
                        } else {
                            LiveState::Streaming
                        };
                        if tx.send(status(state, now)).await.is_err() {
                            return;
                        }
                    }
                    TailReport::Events {
                        tail_id: 0,
                        at_ms: now,
                        events,
                    }
                }
                Ok(Some(LiveTailUpdate::Ended { reason })) => {
                    let _ = tx.send(status(LiveState::Reopening(reason), now)).await;
                    break;
                }
                Ok(None) => break,
                Err(error) => {
                    let _ = tx
                        .send(TailReport::Failed {
                            tail_id: 0,
                            at_ms: now,
                            group: groups.join(", "),
                            error,
                        })
                        .await;
                    tokio::select! {
                        () = cancel.cancelled() => return,
                        () = tokio::time::sleep(Duration::from_secs(2)) => {}
                    }
                    break;
                }
            };
            if tx.send(report).await.is_err() {
                return;
            }
        }
    }
}
