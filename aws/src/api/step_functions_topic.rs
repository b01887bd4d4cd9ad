//! What the executions pane polls. Each poll draws one call from the Step Functions budget
//! and makes a bounded number behind it:
//! - machines: ListStateMachines, then per Standard machine (the first
//!   [`MACHINES_COUNTED`]) one ListExecutions of RUNNING and one of FAILED (the last 24 h),
//!   each one page, every minute;
//! - a machine's executions: one page of ListExecutions (filtered by status in AWS), and the
//!   stuck reason of [`STUCK_READ_PER_POLL`] of its running ones, every 30 s: always the
//!   [`OLDEST_READ`] longest-running (the likeliest to be stuck), and the others in turn, so
//!   a page of 100 is read through in six polls (the pane keeps what each poll learnt);
//! - one execution: DescribeExecution, the definition it ran, its whole history, its Map runs,
//!   every 10 s (only while it is open).

use std::time::Duration;

use super::execution_reader::{ExecutionReader, ExecutionReading, Unpaced};
use super::topic::{Service, TopicTiming};
use super::{Backends, StepFunctions};
use crate::model::BackendError;
use crate::model::step_functions::{
    ExecutionDetail, ExecutionStatus, ExecutionSummary, ExecutionsRequest, MachineType,
    StateMachineSummary, Stuck,
};

/// Machines whose running and failed executions are counted in one poll.
pub const MACHINES_COUNTED: usize = 25;
/// Running executions whose stuck reason is read in one poll of a machine's executions.
pub const STUCK_READ_PER_POLL: usize = 25;
/// Of those, the longest-running, read at every poll.
pub const OLDEST_READ: usize = 10;
/// The executions topic's interval, which also turns the window of executions read.
const EXECUTIONS_EVERY_MS: i64 = 30_000;
/// Executions listed per page.
pub const EXECUTIONS_PAGE: u32 = 100;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StepFunctionsTopic {
    Machines,
    Executions {
        machine_arn: String,
        status: Option<ExecutionStatus>,
    },
    Execution {
        execution_arn: String,
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
            StepFunctionsTopic::Machines => 60,
            StepFunctionsTopic::Executions { .. } => EXECUTIONS_EVERY_MS as u64 / 1_000,
            StepFunctionsTopic::Execution { .. } => 10,
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
        }
    }

    pub async fn fetch(&self, backends: &Backends) -> Result<StepFunctionsData, BackendError> {
        let api = backends.step_functions.as_ref();
        let now_ms = backends.clock.now_ms();
        match self {
            StepFunctionsTopic::Machines => {
                machines(api, now_ms).await.map(StepFunctionsData::Machines)
            }
            StepFunctionsTopic::Executions {
                machine_arn,
                status,
            } => executions(api, machine_arn, *status, now_ms)
                .await
                .map(StepFunctionsData::Executions),
            StepFunctionsTopic::Execution { execution_arn } => {
                let detail = api.describe_execution(execution_arn).await?;
                let mut reader = ExecutionReader::new(api, &Unpaced, now_ms);
                let reading = reader.read(&detail.summary).await?;
                Ok(StepFunctionsData::Execution(Box::new((detail, reading))))
            }
        }
    }
}

/// The running executions (longest-running first) this poll reads: all of them when they
/// are few, else the [`OLDEST_READ`] longest-running and the next of the others in turn,
/// the turn moving with the clock.
fn read_window<'a>(running: &[&'a ExecutionSummary], now_ms: i64) -> Vec<&'a ExecutionSummary> {
    let n = running.len();
    if n <= STUCK_READ_PER_POLL {
        return running.to_vec();
    }
    let (oldest, others) = running.split_at(OLDEST_READ);
    let each = STUCK_READ_PER_POLL - OLDEST_READ;
    let turn = usize::try_from(now_ms.max(0) / EXECUTIONS_EVERY_MS).unwrap_or(0);
    let start = turn.wrapping_mul(each) % others.len();
    let turn_of_others = (0..each.min(others.len())).map(|i| others[(start + i) % others.len()]);
    oldest.iter().copied().chain(turn_of_others).collect()
}

/// The last part of an ARN (`...:stateMachine:tax` -> `tax`, `...:execution:tax:e1` -> `e1`).
pub fn short_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

async fn machines(api: &dyn StepFunctions, now_ms: i64) -> Result<Vec<MachineRow>, BackendError> {
    let mut rows = Vec::new();
    let mut counted = 0;
    for summary in api.list_state_machines().await? {
        let standard = summary.machine_type == MachineType::Standard;
        let mut row = MachineRow {
            summary,
            running: None,
            failed_24h: None,
            last_start_ms: None,
        };
        if standard && counted < MACHINES_COUNTED {
            counted += 1;
            let list = |status| ExecutionsRequest {
                state_machine_arn: row.summary.arn.clone(),
                status: Some(status),
                max_results: Some(EXECUTIONS_PAGE),
                next_token: None,
            };
            let running = api.list_executions(&list(ExecutionStatus::Running)).await?;
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
    api: &dyn StepFunctions,
    machine_arn: &str,
    status: Option<ExecutionStatus>,
    now_ms: i64,
) -> Result<ExecutionsView, BackendError> {
    let page = api
        .list_executions(&ExecutionsRequest {
            state_machine_arn: machine_arn.to_string(),
            status,
            max_results: Some(EXECUTIONS_PAGE),
            next_token: None,
        })
        .await?;
    let mut view = ExecutionsView {
        more: page.next_token.is_some(),
        ..ExecutionsView::default()
    };
    let mut reader = ExecutionReader::new(api, &Unpaced, now_ms);
    // The page is newest first: the longest-running are at its end.
    let running: Vec<&ExecutionSummary> = page
        .executions
        .iter()
        .rev()
        .filter(|e| e.status.is_running())
        .collect();
    for execution in read_window(&running, now_ms) {
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
    view.executions = page.executions;
    Ok(view)
}
