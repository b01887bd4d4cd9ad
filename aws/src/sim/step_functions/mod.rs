//! Step Functions in the demo world: the tax-return machines ([`machines`]), their executions
//! walked through the definitions ([`walker`]) and kept in an [`ExecutionBook`], served
//! through the same trait as AWS. Calls are counted like every other call to the world.

mod book;
mod lambda_runs;
mod machines;
mod ops;
mod timeline;
mod walker;

use async_trait::async_trait;

pub use book::ExecutionBook;
pub use timeline::LambdaRun;

use super::SimWorld;
use crate::api::{StepFunctions, WallClock};
use crate::model::BackendError;
use crate::model::step_functions::{
    ExecutionDetail, ExecutionsPage, ExecutionsRequest, HistoryPage, MachineDefinition,
    MachineLogging, MapRun, StateMachineSummary,
};

#[async_trait]
impl StepFunctions for SimWorld {
    async fn list_state_machines(&self) -> Result<Vec<StateMachineSummary>, BackendError> {
        self.calls().record("ListStateMachines");
        Ok(self.lock().executions.machines())
    }

    async fn list_executions(
        &self,
        req: &ExecutionsRequest,
    ) -> Result<ExecutionsPage, BackendError> {
        self.calls().record("ListExecutions");
        let now = self.now_ms();
        self.lock().executions.list(req, now)
    }

    async fn describe_execution(
        &self,
        execution_arn: &str,
    ) -> Result<ExecutionDetail, BackendError> {
        self.calls().record("DescribeExecution");
        let now = self.now_ms();
        self.lock().executions.describe(execution_arn, now)
    }

    async fn definition_for_execution(
        &self,
        execution_arn: &str,
    ) -> Result<MachineDefinition, BackendError> {
        self.calls().record("DescribeStateMachineForExecution");
        let now = self.now_ms();
        self.lock().executions.definition(execution_arn, now)
    }

    async fn execution_history(
        &self,
        execution_arn: &str,
        next_token: Option<&str>,
    ) -> Result<HistoryPage, BackendError> {
        self.calls().record("GetExecutionHistory");
        let now = self.now_ms();
        self.lock()
            .executions
            .history(execution_arn, next_token, now)
    }

    async fn machine_definition(
        &self,
        state_machine_arn: &str,
    ) -> Result<MachineDefinition, BackendError> {
        self.calls().record("DescribeStateMachine");
        self.lock().executions.machine_definition(state_machine_arn)
    }

    async fn machine_logging(
        &self,
        state_machine_arn: &str,
    ) -> Result<MachineLogging, BackendError> {
        self.calls().record("DescribeStateMachine");
        // The demo's machines are Standard and log nothing: their history is the record.
        self.lock()
            .executions
            .machines()
            .iter()
            .find(|m| m.arn == state_machine_arn)
            .map(|_| MachineLogging {
                level: "OFF".into(),
                ..MachineLogging::default()
            })
            .ok_or_else(|| book::not_found("state machine", state_machine_arn))
    }

    async fn map_runs(&self, execution_arn: &str) -> Result<Vec<MapRun>, BackendError> {
        self.calls().record("ListMapRuns");
        let now = self.now_ms();
        if self.lock().executions.has_execution(execution_arn, now) {
            // The demo machines' Maps are inline: they start no Map runs.
            Ok(Vec::new())
        } else {
            Err(BackendError::NotFound(format!(
                "execution does not exist: {}",
                crate::untrusted_text::sanitize_line(execution_arn)
            )))
        }
    }
}
