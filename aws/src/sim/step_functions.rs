//! Step Functions in the demo world. The world has no state machines yet (the tax-return
//! machines and their executions come with the executions pane), so it answers as an account
//! without any would: no machines, and NotFound for any execution. Calls are counted like
//! every other call to the world.

use async_trait::async_trait;

use super::SimWorld;
use crate::api::StepFunctions;
use crate::model::BackendError;
use crate::model::step_functions::{
    ExecutionDetail, ExecutionsPage, ExecutionsRequest, HistoryPage, MachineDefinition, MapRun,
    StateMachineSummary,
};

fn no_such(what: &str, arn: &str) -> BackendError {
    BackendError::NotFound(format!(
        "{what} {}: the demo world has no state machines yet",
        crate::untrusted_text::sanitize_line(arn)
    ))
}

#[async_trait]
impl StepFunctions for SimWorld {
    async fn list_state_machines(&self) -> Result<Vec<StateMachineSummary>, BackendError> {
        self.calls().record("ListStateMachines");
        Ok(Vec::new())
    }

    async fn list_executions(
        &self,
        req: &ExecutionsRequest,
    ) -> Result<ExecutionsPage, BackendError> {
        self.calls().record("ListExecutions");
        Err(no_such("state machine", &req.state_machine_arn))
    }

    async fn describe_execution(
        &self,
        execution_arn: &str,
    ) -> Result<ExecutionDetail, BackendError> {
        self.calls().record("DescribeExecution");
        Err(no_such("execution", execution_arn))
    }

    async fn definition_for_execution(
        &self,
        execution_arn: &str,
    ) -> Result<MachineDefinition, BackendError> {
        self.calls().record("DescribeStateMachineForExecution");
        Err(no_such("execution", execution_arn))
    }

    async fn execution_history(
        &self,
        execution_arn: &str,
        _next_token: Option<&str>,
    ) -> Result<HistoryPage, BackendError> {
        self.calls().record("GetExecutionHistory");
        Err(no_such("execution", execution_arn))
    }

    async fn map_runs(&self, execution_arn: &str) -> Result<Vec<MapRun>, BackendError> {
        self.calls().record("ListMapRuns");
        Err(no_such("execution", execution_arn))
    }
}
