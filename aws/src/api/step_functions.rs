//! Step Functions reads: machines, their executions, what an execution ran and its history,
//! its Map runs. Mutations (stop, redrive, send a task token) are a separate `*Ops` trait
//! that `--read-only` never builds.
//!
//! Quotas shape the calls: ListExecutions refills at 2-5 calls/s per account, so callers
//! filter by status and page lazily; DescribeStateMachineForExecution refills at 1/s, so its
//! answers are cached by machine and revision; history is read only for the execution open.

use async_trait::async_trait;

use crate::model::BackendError;
use crate::model::step_functions::{
    ExecutionDetail, ExecutionsPage, ExecutionsRequest, HistoryPage, MachineDefinition,
    MachineLogging, MapRun, StateMachineSummary,
};

#[async_trait]
pub trait StepFunctions: Send + Sync {
    /// Every state machine of the account and region (ListStateMachines, all pages).
    async fn list_state_machines(&self) -> Result<Vec<StateMachineSummary>, BackendError>;

    /// One page of a machine's executions, newest first.
    async fn list_executions(
        &self,
        req: &ExecutionsRequest,
    ) -> Result<ExecutionsPage, BackendError>;

    async fn describe_execution(
        &self,
        execution_arn: &str,
    ) -> Result<ExecutionDetail, BackendError>;

    /// The definition the execution ran.
    async fn definition_for_execution(
        &self,
        execution_arn: &str,
    ) -> Result<MachineDefinition, BackendError>;

    /// One page of the execution's history, oldest first.
    async fn execution_history(
        &self,
        execution_arn: &str,
        next_token: Option<&str>,
    ) -> Result<HistoryPage, BackendError>;

    /// The machine's current definition (DescribeStateMachine).
    async fn machine_definition(
        &self,
        state_machine_arn: &str,
    ) -> Result<MachineDefinition, BackendError>;

    /// Where the machine logs its executions (DescribeStateMachine).
    async fn machine_logging(
        &self,
        state_machine_arn: &str,
    ) -> Result<MachineLogging, BackendError>;

    /// The Map runs an execution started (distributed Maps), with their item counts.
    async fn map_runs(&self, execution_arn: &str) -> Result<Vec<MapRun>, BackendError>;
}

/// Step Functions mutations. Held as an `Option` in [`crate::api::Backends`]: `--read-only`
/// builds none, so nothing in a read-only app can reach one.
#[async_trait]
pub trait StepFunctionsOps: Send + Sync {
    /// StopExecution, with the error and cause recorded in its history.
    async fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), BackendError>;

    /// RedriveExecution: a failed, timed-out or aborted Standard execution restarts from
    /// where it stopped. Returns when it was redriven (epoch ms).
    async fn redrive_execution(&self, execution_arn: &str) -> Result<i64, BackendError>;

    /// SendTaskSuccess: the waiting task succeeds with `output` (JSON).
    async fn send_task_success(&self, task_token: &str, output: &str) -> Result<(), BackendError>;

    /// SendTaskFailure: the waiting task fails with `error` and `cause`.
    async fn send_task_failure(
        &self,
        task_token: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), BackendError>;

    /// SendTaskHeartbeat: the waiting task is still being worked on.
    async fn send_task_heartbeat(&self, task_token: &str) -> Result<(), BackendError>;
}
