//! Step Functions as plain data: state machines, executions, their event history reduced to
//! the status of each state, Map runs, and why an execution (or a machine) is stuck. Pure:
//! the backends fill these, the app and the views read them. Text in them (names, input,
//! output, errors) was neutralised at ingest.

mod history;
mod step_status;
mod stuck;
mod tokens;

pub use history::{EventPhase, HistoryEvent, MAX_HISTORY_EVENTS};
pub use step_status::{ExecutionProgress, StepRecord, StepStatus};
pub use stuck::{
    MachineActivity, Stuck, StuckKind, StuckLimits, detect_stuck, human_duration,
    nothing_reaches_it, percentile_ms, rfc3339_ms,
};
pub use tokens::{waiting_token, waiting_tokens};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineType {
    Standard,
    Express,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateMachineSummary {
    pub arn: String,
    pub name: String,
    pub machine_type: MachineType,
    pub created_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExecutionStatus {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
    PendingRedrive,
}

impl ExecutionStatus {
    /// As AWS spells it (`RUNNING`, `TIMED_OUT`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "RUNNING",
            Self::Succeeded => "SUCCEEDED",
            Self::Failed => "FAILED",
            Self::TimedOut => "TIMED_OUT",
            Self::Aborted => "ABORTED",
            Self::PendingRedrive => "PENDING_REDRIVE",
        }
    }

    pub fn is_running(self) -> bool {
        matches!(self, Self::Running | Self::PendingRedrive)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionSummary {
    pub arn: String,
    pub name: String,
    pub state_machine_arn: String,
    pub status: ExecutionStatus,
    pub start_ms: i64,
    pub stop_ms: Option<i64>,
    pub redrive_count: u32,
}

impl ExecutionSummary {
    /// How long it ran (or has been running, at `now_ms`).
    pub fn duration_ms(&self, now_ms: i64) -> i64 {
        self.stop_ms
            .unwrap_or(now_ms)
            .saturating_sub(self.start_ms)
            .max(0)
    }
}

/// A Map run's items, as DescribeMapRun counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemCounts {
    pub pending: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub timed_out: u64,
    pub aborted: u64,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapRun {
    pub arn: String,
    pub execution_arn: String,
    pub start_ms: i64,
    pub max_concurrency: u32,
    pub items: ItemCounts,
}

/// Where a machine logs its executions (DescribeStateMachine's `loggingConfiguration`): for
/// an Express machine the only record of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MachineLogging {
    /// `ALL`, `ERROR`, `FATAL` or `OFF`.
    pub level: String,
    pub include_execution_data: bool,
    /// The log group's name, when it logs to one.
    pub group: Option<String>,
}

impl MachineLogging {
    pub fn is_on(&self) -> bool {
        self.level != "OFF" && self.group.is_some()
    }
}

/// A page of a machine's executions (ListExecutions), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecutionsRequest {
    /// A state machine's ARN; or a distributed Map run's (`...:mapRun:...`): its child
    /// executions (ListExecutions' `mapRunArn`).
    pub state_machine_arn: String,
    /// Only executions in this status (ListExecutions' `statusFilter`).
    pub status: Option<ExecutionStatus>,
    pub next_token: Option<String>,
    /// At most this many (1..=1000); None: the API's default.
    pub max_results: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecutionsPage {
    pub executions: Vec<ExecutionSummary>,
    pub next_token: Option<String>,
}

/// DescribeExecution: one execution with its input, output and, for a failed one, why and
/// whether it can be redriven.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionDetail {
    pub summary: ExecutionSummary,
    pub input: Option<String>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// `REDRIVABLE`, `NOT_REDRIVABLE`, `REDRIVABLE_BY_MAP_RUN`.
    pub redrive_status: Option<String>,
    pub redrive_status_reason: Option<String>,
}

/// The definition an execution ran (DescribeStateMachineForExecution): the text, to be
/// parsed with [`crate::model::asl::parse`], cached by machine and revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineDefinition {
    pub state_machine_arn: String,
    pub name: String,
    pub definition: String,
    pub revision_id: Option<String>,
    pub updated_ms: i64,
}

/// A page of an execution's history (GetExecutionHistory), oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryPage {
    pub events: Vec<HistoryEvent>,
    pub next_token: Option<String>,
}
