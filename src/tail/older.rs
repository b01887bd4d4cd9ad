//! Looking back on demand: read one older window of every tailed group (FilterLogEvents
//! inside the tail's request budget) and report it whole. A window holding more events than
//! the pane has room for is halved and read again, so what arrives never leaves a gap.
//!
//! A group with nothing in the window is probed once from `floor_ms` to the window's start:
//! one page with no more to follow is everything older there is (delivered, and the group is
//! done), an empty one means nothing older at all. So "nothing older" costs two calls a group,
//! not one per ever-longer window.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use unstuck_aws::api::{Logs, WallClock};
use unstuck_aws::model::{BackendError, FilterPage, FilterRequest, LogEvent};

use super::group_cursor::QueryScope;
use super::report::TailReport;
use super::request_budget::RequestBudget;
use super::tail_task::ReportSink;

/// Pages read for one group and window before the window counts as too big.
const MAX_PAGES: usize = 20;
/// Halvings of a window that holds too much before giving up.
const MAX_HALVINGS: u32 = 6;

/// Read `[start_ms, end_ms)` of `groups`, at most `room` events in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OlderRequest {
    pub tail_id: u64,
    pub groups: Vec<String>,
    pub scope: QueryScope,
    pub start_ms: i64,
    pub end_ms: i64,
    /// Nothing is looked for before this.
    pub floor_ms: i64,
    pub room: usize,
}

/// What one older read found.
#[derive(Debug, Clone, PartialEq)]
pub struct OlderWindow {
    /// The window actually read (its start is later than asked when it had to be halved).
    pub start_ms: i64,
    pub end_ms: i64,
    pub events: Vec<LogEvent>,
    /// Groups with nothing older than what is delivered (back to the floor).
    pub exhausted: Vec<String>,
}

enum Read {
    Whole {
        events: Vec<LogEvent>,
        exhausted: Vec<String>,
    },
    TooBig,
}

/// One page of a group; throttling waits and asks again.
async fn page(
    logs: &dyn Logs,
    budget: &RequestBudget,
    query: &FilterRequest,
    cancel: &CancellationToken,
) -> Result<Option<FilterPage>, BackendError> {
    loop {
        tokio::select! {
            () = cancel.cancelled() => return Ok(None),
            () = budget.acquire() => {}
        }
        match logs.filter_log_events(query).await {
            Ok(page) => {
                budget.succeeded();
                return Ok(Some(page));
            }
            Err(error) if error.is_throttling() => {
                budget.throttled(error.retry_after());
            }
            Err(error) => return Err(error),
        }
    }
}

async fn read_window(
    logs: &dyn Logs,
    budget: &RequestBudget,
    request: &OlderRequest,
    start_ms: i64,
    cancel: &CancellationToken,
) -> Result<Option<Read>, BackendError> {
    let mut events = Vec::new();
    let mut exhausted = Vec::new();
    for group in &request.groups {
        let mut query = FilterRequest {
            group: group.clone(),
            stream_names: request.scope.stream_names.clone(),
            stream_prefix: request.scope.stream_prefix.clone(),
            start_ms,
            // FilterLogEvents' end is inclusive; the window's is not.
            end_ms: Some(request.end_ms.saturating_sub(1)),
            filter_pattern: request.scope.filter_pattern.clone(),
            next_token: None,
            limit: None,
        };
        let before = events.len();
        let mut pages = 0;
        loop {
            let Some(found) = page(logs, budget, &query, cancel).await? else {
                return Ok(None);
            };
            events.extend(found.events);
            pages += 1;
            if events.len() > request.room || pages >= MAX_PAGES {
                return Ok(Some(Read::TooBig));
            }
            match found.next_token {
                Some(next) if Some(&next) != query.next_token.as_ref() => {
                    query.next_token = Some(next);
                }
                _ => break,
            }
        }
        if events.len() == before && start_ms > request.floor_ms {
            // Nothing in the window: is there anything older at all?
            let probe = FilterRequest {
                start_ms: request.floor_ms,
                end_ms: Some(start_ms.saturating_sub(1)),
                next_token: None,
                ..query
            };
            let Some(found) = page(logs, budget, &probe, cancel).await? else {
                return Ok(None);
            };
            if found.next_token.is_none() && events.len() + found.events.len() <= request.room {
                events.extend(found.events);
                exhausted.push(group.clone());
            }
        } else if start_ms <= request.floor_ms {
            exhausted.push(group.clone());
        }
    }
    Ok(Some(Read::Whole { events, exhausted }))
}

/// Read the window (halving it while it holds too much) and report `TailReport::Older`.
pub async fn load_older(
    logs: Arc<dyn Logs>,
    clock: Arc<dyn WallClock>,
    budget: Arc<RequestBudget>,
    request: OlderRequest,
    sink: impl ReportSink,
    cancel: CancellationToken,
) {
    let mut start_ms = request.start_ms;
    let mut halvings = 0;
    let result = loop {
        match read_window(logs.as_ref(), &budget, &request, start_ms, &cancel).await {
            Ok(None) => return,
            Ok(Some(Read::Whole { events, exhausted })) => {
                break Ok(OlderWindow {
                    start_ms,
                    end_ms: request.end_ms,
                    events,
                    exhausted,
                });
            }
            Ok(Some(Read::TooBig)) if halvings < MAX_HALVINGS => {
                halvings += 1;
                start_ms = request.end_ms - (request.end_ms - start_ms) / 2;
            }
            Ok(Some(Read::TooBig)) => {
                break Err(BackendError::InvalidInput(format!(
                    "more lines than the buffer has room for ({}) just before the oldest line \
                     shown: raise --buffer-lines, or narrow with a filter pattern",
                    request.room
                )));
            }
            Err(error) => break Err(error),
        }
    };
    let _ = sink
        .report(TailReport::Older {
            tail_id: request.tail_id,
            at_ms: clock.now_ms(),
            result,
        })
        .await;
}
