//! Looking back on demand: read one older window of every tailed group (FilterLogEvents
//! inside the tail's request budget) and report it whole. A window holding more events than
//! the pane has room for is halved and read again, so what arrives never leaves a gap.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use unstuck_aws::api::{Logs, WallClock};
use unstuck_aws::model::{BackendError, FilterRequest, LogEvent};

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
    pub room: usize,
}

/// What one older read found.
#[derive(Debug, Clone, PartialEq)]
pub struct OlderWindow {
    /// The window actually read (its start is later than asked when it had to be halved).
    pub start_ms: i64,
    pub end_ms: i64,
    pub events: Vec<LogEvent>,
}

enum Read {
    Whole(Vec<LogEvent>),
    TooBig,
}

async fn read_window(
    logs: &dyn Logs,
    budget: &RequestBudget,
    request: &OlderRequest,
    start_ms: i64,
    cancel: &CancellationToken,
) -> Result<Option<Read>, BackendError> {
    let mut events = Vec::new();
    for group in &request.groups {
        let mut token = None;
        let mut pages = 0;
        loop {
            tokio::select! {
                () = cancel.cancelled() => return Ok(None),
                () = budget.acquire() => {}
            }
            let query = FilterRequest {
                group: group.clone(),
                stream_names: request.scope.stream_names.clone(),
                stream_prefix: request.scope.stream_prefix.clone(),
                start_ms,
                // FilterLogEvents' end is inclusive; the window's is not.
                end_ms: Some(request.end_ms.saturating_sub(1)),
                filter_pattern: request.scope.filter_pattern.clone(),
                next_token: token.take(),
                limit: None,
            };
            let page = match logs.filter_log_events(&query).await {
                Ok(page) => page,
                Err(error) if error.is_throttling() => {
                    budget.throttled(error.retry_after());
                    token = query.next_token;
                    continue;
                }
                Err(error) => return Err(error),
            };
            budget.succeeded();
            events.extend(page.events);
            pages += 1;
            if events.len() > request.room || pages >= MAX_PAGES {
                return Ok(Some(Read::TooBig));
            }
            match page.next_token {
                Some(next) if Some(&next) != query.next_token.as_ref() => token = Some(next),
                _ => break,
            }
        }
    }
    Ok(Some(Read::Whole(events)))
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
            Ok(Some(Read::Whole(events))) => {
                break Ok(OlderWindow {
                    start_ms,
                    end_ms: request.end_ms,
                    events,
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
