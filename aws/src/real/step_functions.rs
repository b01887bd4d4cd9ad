//! Step Functions reads through aws-sdk-sfn. Every text from AWS (names, definitions, input,
//! output, errors) is neutralised on the way in, in `step_functions_convert`.

use async_trait::async_trait;
use aws_sdk_sfn::Client;
use aws_sdk_sfn::operation::describe_state_machine::DescribeStateMachineOutput;

use super::errors::{ErrorContext, classify};
use super::step_functions_convert as convert;
use crate::api::{StepFunctions, StepFunctionsOps};
use crate::model::BackendError;
use crate::model::step_functions::{
    ExecutionDetail, ExecutionsPage, ExecutionsRequest, HistoryPage, MachineDefinition,
    MachineLogging, MapRun, StateMachineSummary,
};

/// At most this many machines are listed.
pub const MAX_STATE_MACHINES: usize = 5_000;

/// GetExecutionHistory page size (the API maximum).
const HISTORY_PAGE: i32 = 1_000;

/// The real [`StepFunctions`] backend.
#[derive(Debug, Clone)]
pub struct RealStepFunctions {
    client: Client,
    cx: ErrorContext,
}

impl RealStepFunctions {
    pub(crate) fn new(client: Client, cx: ErrorContext) -> Self {
        Self { client, cx }
    }

    /// DescribeStateMachine: the definition and the logging of a machine.
    async fn describe_machine(
        &self,
        state_machine_arn: &str,
    ) -> Result<DescribeStateMachineOutput, BackendError> {
        self.client
            .describe_state_machine()
            .state_machine_arn(state_machine_arn)
            .send()
            .await
            .map_err(|e| classify(&e, "DescribeStateMachine", &self.cx))
    }
}

#[async_trait]
impl StepFunctions for RealStepFunctions {
    async fn list_state_machines(&self) -> Result<Vec<StateMachineSummary>, BackendError> {
        let mut machines = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let out = self
                .client
                .list_state_machines()
                .set_next_token(next_token.take())
                .max_results(1_000)
                .send()
                .await
                .map_err(|e| classify(&e, "ListStateMachines", &self.cx))?;
            machines.extend(out.state_machines().iter().map(convert::state_machine));
            next_token = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() || machines.len() >= MAX_STATE_MACHINES {
                break;
            }
        }
        machines.sort_by(|a, b| a.name.cmp(&b.name));
        machines.truncate(MAX_STATE_MACHINES);
        Ok(machines)
    }

    async fn list_executions(
        &self,
        req: &ExecutionsRequest,
    ) -> Result<ExecutionsPage, BackendError> {
        let arn = req.state_machine_arn.as_str();
        let map_run = arn.contains(":mapRun:");
        let out = self
            .client
            .list_executions()
            .set_state_machine_arn((!map_run).then(|| arn.to_string()))
            .set_map_run_arn(map_run.then(|| arn.to_string()))
            .set_status_filter(req.status.map(convert::status_filter))
            .set_next_token(req.next_token.clone())
            .set_max_results(
                req.max_results
                    .and_then(|n| i32::try_from(n.clamp(1, 1_000)).ok()),
            )
            .send()
            .await
            .map_err(|e| classify(&e, "ListExecutions", &self.cx))?;
        Ok(ExecutionsPage {
            executions: out.executions().iter().map(convert::execution).collect(),
            next_token: out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
    }

    async fn describe_execution(
        &self,
        execution_arn: &str,
    ) -> Result<ExecutionDetail, BackendError> {
        let out = self
            .client
            .describe_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map_err(|e| classify(&e, "DescribeExecution", &self.cx))?;
        Ok(convert::execution_detail(&out))
    }

    async fn definition_for_execution(
        &self,
        execution_arn: &str,
    ) -> Result<MachineDefinition, BackendError> {
        let out = self
            .client
            .describe_state_machine_for_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map_err(|e| classify(&e, "DescribeStateMachineForExecution", &self.cx))?;
        Ok(convert::machine_definition(&out))
    }

    async fn machine_definition(
        &self,
        state_machine_arn: &str,
    ) -> Result<MachineDefinition, BackendError> {
        let out = self.describe_machine(state_machine_arn).await?;
        Ok(convert::current_definition(&out))
    }

    async fn machine_logging(
        &self,
        state_machine_arn: &str,
    ) -> Result<MachineLogging, BackendError> {
        let out = self.describe_machine(state_machine_arn).await?;
        Ok(convert::machine_logging(out.logging_configuration()))
    }

    async fn execution_history(
        &self,
        execution_arn: &str,
        next_token: Option<&str>,
    ) -> Result<HistoryPage, BackendError> {
        let out = self
            .client
            .get_execution_history()
            .execution_arn(execution_arn)
            .max_results(HISTORY_PAGE)
            .reverse_order(false)
            .include_execution_data(true)
            .set_next_token(next_token.map(str::to_string))
            .send()
            .await
            .map_err(|e| classify(&e, "GetExecutionHistory", &self.cx))?;
        Ok(HistoryPage {
            events: out.events().iter().map(convert::history_event).collect(),
            next_token: out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
    }

    async fn map_runs(&self, execution_arn: &str) -> Result<Vec<MapRun>, BackendError> {
        let mut arns = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let out = self
                .client
                .list_map_runs()
                .execution_arn(execution_arn)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| classify(&e, "ListMapRuns", &self.cx))?;
            arns.extend(out.map_runs().iter().map(|r| r.map_run_arn().to_string()));
            next_token = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() || arns.len() >= 100 {
                break;
            }
        }
        let mut runs = Vec::with_capacity(arns.len());
        for arn in arns {
            let out = self
                .client
                .describe_map_run()
                .map_run_arn(&arn)
                .send()
                .await
                .map_err(|e| classify(&e, "DescribeMapRun", &self.cx))?;
            runs.push(convert::map_run(&out));
        }
        Ok(runs)
    }
}

#[async_trait]
impl StepFunctionsOps for RealStepFunctions {
    async fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), BackendError> {
        self.client
            .stop_execution()
            .execution_arn(execution_arn)
            .set_error(error.map(str::to_string))
            .set_cause(cause.map(str::to_string))
            .send()
            .await
            .map_err(|e| classify(&e, "StopExecution", &self.cx))?;
        Ok(())
    }

    async fn redrive_execution(&self, execution_arn: &str) -> Result<i64, BackendError> {
        let out = self
            .client
            .redrive_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map_err(|e| classify(&e, "RedriveExecution", &self.cx))?;
        Ok(convert::ms(out.redrive_date()))
    }

    async fn send_task_success(&self, task_token: &str, output: &str) -> Result<(), BackendError> {
        self.client
            .send_task_success()
            .task_token(task_token)
            .output(output)
            .send()
            .await
            .map_err(|e| classify(&e, "SendTaskSuccess", &self.cx))?;
        Ok(())
    }

    async fn send_task_failure(
        &self,
        task_token: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), BackendError> {
        self.client
            .send_task_failure()
            .task_token(task_token)
            .set_error(error.map(str::to_string))
            .set_cause(cause.map(str::to_string))
            .send()
            .await
            .map_err(|e| classify(&e, "SendTaskFailure", &self.cx))?;
        Ok(())
    }

    async fn send_task_heartbeat(&self, task_token: &str) -> Result<(), BackendError> {
        self.client
            .send_task_heartbeat()
            .task_token(task_token)
            .send()
            .await
            .map_err(|e| classify(&e, "SendTaskHeartbeat", &self.cx))?;
        Ok(())
    }
}
