//! What the executions pane polls. Each poll makes a bounded number of calls, each drawn
//! from the Step Functions budget ([`Pace`]) before it is made:
//! - machines: ListStateMachines, then per Standard machine (the first
//!   [`MACHINES_COUNTED`]) one ListExecutions of RUNNING and one of FAILED (the last 24 h),
//!   each one page, and per Express machine its logging (DescribeStateMachine: Express
//!   executions are only in its log group), every 3 minutes (for 20 machines: 40 calls,
//!   a ninth of a 2 calls/s ListExecutions bucket); `r` reads them at once;
//! - a machine's executions: `pages` pages of ListExecutions (filtered by status in AWS: the
//!   newest 100, and 100 more each time the list is scrolled past its end) every 30 s; and
//!   apart (`reasons`), so the list shows after one call, the same pages with the stuck
//!   reason of the running ones among the [`ROWS_READ`] rows from `rows_from` (the
//!   rows on screen: scrolling to other rows is a new topic, read at once) and of the
//!   [`OLDEST_READ`] longest-running (the likeliest to be stuck), every minute (about 37
//!   calls: one history page each, the cache holding the rest; only while the budget has
//!   room, the rest at the next poll); the pane keeps what each poll learnt;
//! - for the overview, a machine with running executions: one page of RUNNING and the stuck
//!   reasons of its [`OLDEST_READ`] longest-running, every 5 minutes (an execution is stuck
//!   for hours, not seconds; as above, only while the budget has room). With the machines'
//!   poll this keeps the overview under a sixth of the ListExecutions quota at 200 machines;
//! - one execution: DescribeExecution, the definition it ran (cached), its history from its
//!   last page on (cached; nothing once it ended), its Map runs, every 10 s while it is open.

use std::time::Duration;

use super::execution_reader::{ExecutionReader, ExecutionReading, Pace, Unpaced};
use super::topic::{Service, TopicTiming};
use super::{Backends, StepFunctions};
use crate::model::BackendError;
use crate::model::step_functions::{
    ExecutionDetail, ExecutionStatus, ExecutionSummary, ExecutionsRequest, MachineLogging,
    MachineType, StateMachineSummary, Stuck,
};

/// Machines whose running and failed executions are counted in one poll.
pub const MACHINES_COUNTED: usize = 20;
/// The rows of the list whose running executions' stuck reasons one poll reads.
pub const ROWS_READ: usize = 25;
/// The longest-running executions, read at every poll wherever the list is scrolled.
pub const OLDEST_READ: usize = 10;
/// Executions listed per page.
pub const EXECUTIONS_PAGE: u32 = 100;
/// Pages listed at most (1,000 executions).
pub const MAX_PAGES: u8 = 10;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StepFunctionsTopic {
    Machines,
    Executions {
        machine_arn: String,
        status: Option<ExecutionStatus>,
        /// The first row whose stuck reason is read (a multiple of [`ROWS_READ`]).
        rows_from: u32,
        /// Pages of [`EXECUTIONS_PAGE`] listed (1..=[`MAX_PAGES`]).
        pages: u8,
        /// Read the stuck reasons too (a poll of many calls, kept apart so the list itself
        /// shows after one call).
        reasons: bool,
    },
    Execution {
        execution_arn: String,
    },
    /// For the overview: a machine's newest page of RUNNING executions, with the stuck
    /// reasons of its [`OLDEST_READ`] longest-running (the rows shown play no part).
    StuckScan {
        machine_arn: String,
    },
}

/// A count read from one page: `more` when the page was full (shown as "100+").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub n: usize,
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineRow {
    pub summary: StateMachineSummary,
    /// None: not counted (Express, or beyond [`MACHINES_COUNTED`]).
    pub running: Option<Count>,
    pub failed_24h: Option<Count>,
    pub last_start_ms: Option<i64>,
    /// An Express machine's logging (None: Standard, or not read).
    pub logging: Option<MachineLogging>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecutionsView {
    pub executions: Vec<ExecutionSummary>,
    /// There are more than one page.
    pub more: bool,
    /// The running executions whose stuck reason was read by this poll.
    pub read: Vec<String>,
    /// (execution ARN, its worst stuck reason) for those of them that are stuck.
    pub stuck: Vec<(String, Stuck)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepFunctionsData {
    Machines(Vec<MachineRow>),
    Executions(ExecutionsView),
    Execution(Box<(ExecutionDetail, ExecutionReading)>),
}

impl StepFunctionsTopic {
    pub fn timing(&self) -> TopicTiming {
        TopicTiming::every(Duration::from_secs(match self {
            StepFunctionsTopic::Machines => 180,
            StepFunctionsTopic::Executions { reasons: false, .. } => 30,
            StepFunctionsTopic::Executions { reasons: true, .. } => 60,
            StepFunctionsTopic::Execution { .. } => 10,
            StepFunctionsTopic::StuckScan { .. } => 300,
        }))
    }

    pub fn service(&self) -> Service {
        Service::StepFunctions
    }

    pub fn resource(&self) -> String {
        match self {
            StepFunctionsTopic::Machines => "state machines".to_string(),
            StepFunctionsTopic::Executions { machine_arn, .. } => {
                format!("executions of {}", short_name(machine_arn))
            }
            StepFunctionsTopic::Execution { execution_arn } => {
                format!("execution {}", short_name(execution_arn))
            }
            StepFunctionsTopic::StuckScan { machine_arn } => {
                format!("stuck executions of {}", short_name(machine_arn))
            }
        }
    }

    pub async fn fetch(
        &self,
        backends: &Backends,
        pace: &dyn Pace,
    ) -> Result<StepFunctionsData, BackendError> {
        let api = backends.step_functions.as_ref();
        let now_ms = backends.clock.now_ms();
        match self {
            StepFunctionsTopic::Machines => machines(api, pace, now_ms)
                .await
                .map(StepFunctionsData::Machines),
            StepFunctionsTopic::Executions {
                machine_arn,
                status,
                rows_from,
                pages,
                reasons,
            } => executions(
                backends,
                pace,
                (machine_arn, *status),
                (*rows_from as usize, (*pages).clamp(1, MAX_PAGES), *reasons),
                now_ms,
            )
            .await
            .map(StepFunctionsData::Executions),
            StepFunctionsTopic::StuckScan { machine_arn } => executions(
                backends,
                pace,
                (machine_arn, Some(ExecutionStatus::Running)),
                (usize::MAX, 1, true),
                now_ms,
            )
            .await
            .map(StepFunctionsData::Executions),
            StepFunctionsTopic::Execution { execution_arn } => {
                // The first call: the poller drew it.
                let detail = api.describe_execution(execution_arn).await?;
                let mut reader = ExecutionReader::new(api, pace, backends.caches(), now_ms);
                let reading = reader.read(&detail.summary).await?;
                Ok(StepFunctionsData::Execution(Box::new((detail, reading))))
            }
        }
    }
}

/// The running executions one poll reads: those among the rows from `rows_from`, and the
/// [`OLDEST_READ`] longest-running of the page (newest first, so at its end), each once.
pub fn to_read(page: &[ExecutionSummary], rows_from: usize) -> Vec<&ExecutionSummary> {
    let shown = page.iter().skip(rows_from).take(ROWS_READ);
    let oldest = page
        .iter()
        .rev()
        .filter(|e| e.status.is_running())
        .take(OLDEST_READ);
    let mut out: Vec<&ExecutionSummary> = Vec::new();
    for e in shown.chain(oldest).filter(|e| e.status.is_running()) {
        if !out.iter().any(|o| o.arn == e.arn) {
            out.push(e);
        }
    }
    out
}

/// The last part of an ARN (`...:stateMachine:tax` -> `tax`, `...:execution:tax:e1` -> `e1`).
pub fn short_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

async fn machines(
    api: &dyn StepFunctions,
    pace: &dyn Pace,
    now_ms: i64,
) -> Result<Vec<MachineRow>, BackendError> {
    let mut rows = Vec::new();
    let mut counted = 0;
    for summary in api.list_state_machines().await? {
        let standard = summary.machine_type == MachineType::Standard;
        let mut row = MachineRow {
            summary,
            running: None,
            failed_24h: None,
            last_start_ms: None,
            logging: None,
        };
        if !standard && counted < MACHINES_COUNTED {
            counted += 1;
            pace.before_call().await;
            row.logging = Some(api.machine_logging(&row.summary.arn).await?);
        }
        if standard && counted < MACHINES_COUNTED {
            counted += 1;
            let list = |status| ExecutionsRequest {
                state_machine_arn: row.summary.arn.clone(),
                status: Some(status),
                max_results: Some(EXECUTIONS_PAGE),
                next_token: None,
            };
            pace.before_call().await;
            let running = api.list_executions(&list(ExecutionStatus::Running)).await?;
            pace.before_call().await;
            let failed = api.list_executions(&list(ExecutionStatus::Failed)).await?;
            row.running = Some(Count {
                n: running.executions.len(),
                more: running.next_token.is_some(),
            });
            let recent = failed
                .executions
                .iter()
                .filter(|e| e.stop_ms.unwrap_or(e.start_ms) >= now_ms - DAY_MS)
                .count();
            row.failed_24h = Some(Count {
                n: recent,
                more: recent == failed.executions.len() && failed.next_token.is_some(),
            });
            row.last_start_ms = running.executions.first().map(|e| e.start_ms);
        }
        rows.push(row);
    }
    Ok(rows)
}

async fn executions(
    backends: &Backends,
    pace: &dyn Pace,
    (machine_arn, status): (&str, Option<ExecutionStatus>),
    (rows_from, pages, reasons): (usize, u8, bool),
    now_ms: i64,
) -> Result<ExecutionsView, BackendError> {
    let api = backends.step_functions.as_ref();
    let mut listed = Vec::new();
    let mut next_token = None;
    for page_index in 0..pages {
        // The first call: the poller drew it.
        if page_index > 0 {
            pace.before_call().await;
        }
        let page = api
            .list_executions(&ExecutionsRequest {
                state_machine_arn: machine_arn.to_string(),
                status,
                max_results: Some(EXECUTIONS_PAGE),
                next_token: next_token.take(),
            })
            .await?;
        listed.extend(page.executions);
        next_token = page.next_token;
        if next_token.is_none() {
            break;
        }
    }
    let mut view = ExecutionsView {
        more: next_token.is_some(),
        ..ExecutionsView::default()
    };
    // Reasons are read while the budget has room, one call each (their history's last page;
    // a definition or the recent successes once a poll): the rest wait for the next poll,
    // so they never hold up a list or an execution the user opened.
    let mut reader = ExecutionReader::new(api, &Unpaced, backends.caches(), now_ms);
    let reads = if reasons {
        to_read(&listed, rows_from)
    } else {
        Vec::new()
    };
    for execution in reads {
        if !pace.try_call() {
            break;
        }
        // One execution that cannot be read does not hide the others.
        match reader.read(execution).await {
            Ok(reading) => {
                view.read.push(execution.arn.clone());
                if let Some(stuck) = reading.stuck.into_iter().next() {
                    view.stuck.push((execution.arn.clone(), stuck));
                }
            }
            Err(e) if e.is_throttling() => return Err(e),
            Err(_) => {}
        }
    }
    view.executions = listed;
    Ok(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(statuses: &[ExecutionStatus]) -> Vec<ExecutionSummary> {
        statuses
            .iter()
            .enumerate()
            .map(|(i, &status)| ExecutionSummary {
                arn: format!("arn:aws:states:r:1:execution:m:e{i}"),
                name: format!("e{i}"),
                state_machine_arn: "arn:aws:states:r:1:stateMachine:m".into(),
                status,
                start_ms: 1_000_000 - i as i64,
                stop_ms: None,
                redrive_count: 0,
            })
            .collect()
    }

    #[test]
    fn a_poll_reads_the_running_rows_shown_and_the_longest_running_once_each() {
        use ExecutionStatus::{Failed, Running};
        let mut statuses = vec![Running; 100];
        statuses[1] = Failed;
        let page = page(&statuses);
        let names = |from| -> Vec<String> {
            to_read(&page, from)
                .iter()
                .map(|e| e.name.clone())
                .collect()
        };
        let top = names(0);
        // Rows 0..25 less the failed one, then the ten oldest (rows 99..90).
        assert_eq!(top.len(), 24 + OLDEST_READ);
        assert_eq!(top[..2], ["e0", "e2"]);
        assert_eq!(top[24], "e99");
        assert!(!top.contains(&"e1".to_string()));
        // Scrolled to the end: the rows shown and the oldest are the same ones, read once.
        let end = names(75);
        assert_eq!(end.len(), ROWS_READ);
        assert_eq!(end.first().map(String::as_str), Some("e75"));
        // Past the page: only the oldest.
        assert_eq!(names(500).len(), OLDEST_READ);
    }
}
