//! The demo world's Step Functions mutations. Each really changes the world: what was done is
//! recorded on the execution and its timeline walked again, so a sent token resumes it (and
//! its later states run), a stop aborts it now, a redrive runs it again from the state that
//! failed. Refusals are the ones AWS gives, in its words.

use async_trait::async_trait;

use super::book::{ExecutionBook, not_found};
use super::walker::{Operation, TokenAnswer};
use crate::api::{StepFunctionsOps, WallClock};
use crate::model::BackendError;
use crate::model::step_functions::ExecutionStatus;
use crate::sim::SimWorld;
use crate::untrusted_text::sanitize_line;

/// How long after it ends a Standard execution can still be redriven.
const REDRIVE_WINDOW_MS: i64 = 14 * 86_400_000;

impl ExecutionBook {
    fn status_at(&mut self, m: usize, index: u64, now_ms: i64) -> (ExecutionStatus, Option<i64>) {
        let summary = self.summary(m, index, now_ms);
        (summary.status, summary.stop_ms)
    }

    /// Record `operation` on the execution and walk it again.
    fn apply(&mut self, m: usize, index: u64, now_ms: i64, operation: Operation) {
        let mut done = self.run(m, index).done.clone();
        done.operations.push((now_ms, operation));
        let run = self.walk_run(m, index, done);
        self.runs.insert((m, index), run);
        self.rewalked(m, index);
    }

    pub fn stop(
        &mut self,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
        now_ms: i64,
    ) -> Result<(), BackendError> {
        let (m, index) = self
            .locate(execution_arn, now_ms)
            .ok_or_else(|| not_found("execution", execution_arn))?;
        let (status, _) = self.status_at(m, index, now_ms);
        if status != ExecutionStatus::Running {
            return Err(BackendError::InvalidInput(format!(
                "ExecutionNotRunning: the execution is {}; only a running one can be stopped",
                status.as_str()
            )));
        }
        let operation = Operation::Stop {
            error: error.map(str::to_string),
            cause: cause.map(str::to_string),
        };
        self.apply(m, index, now_ms, operation);
        Ok(())
    }

    pub fn redrive(&mut self, execution_arn: &str, now_ms: i64) -> Result<i64, BackendError> {
        let (m, index) = self
            .locate(execution_arn, now_ms)
            .ok_or_else(|| not_found("execution", execution_arn))?;
        let (status, stop_ms) = self.status_at(m, index, now_ms);
        let redrivable = matches!(
            status,
            ExecutionStatus::Failed | ExecutionStatus::TimedOut | ExecutionStatus::Aborted
        );
        if !redrivable {
            return Err(BackendError::InvalidInput(format!(
                "ExecutionNotRedrivable: the execution is {}; only a failed, timed-out or \
                 aborted one can be redriven",
                status.as_str()
            )));
        }
        if stop_ms.is_some_and(|stop| now_ms - stop > REDRIVE_WINDOW_MS) {
            return Err(BackendError::InvalidInput(
                "ExecutionNotRedrivable: the execution ended more than 14 days ago".into(),
            ));
        }
        self.apply(m, index, now_ms, Operation::Redrive);
        Ok(now_ms)
    }

    /// The execution waiting on `token` at `now_ms`, or AWS's refusal.
    fn waiting_on(&self, token: &str, now_ms: i64) -> Result<(usize, u64), BackendError> {
        let mut handed = false;
        for (&key, run) in &self.runs {
            if run.timeline.waits_on(token, now_ms) {
                return Ok(key);
            }
            handed |= run.timeline.handed(token);
        }
        let head: String = token.chars().take(24).collect();
        let shown = sanitize_line(&head);
        Err(if handed {
            BackendError::InvalidInput(format!(
                "TaskTimedOut: the task that token {shown}… belonged to is no longer waiting"
            ))
        } else {
            BackendError::NotFound(format!(
                "TaskDoesNotExist: no task is waiting on token {shown}…"
            ))
        })
    }

    pub fn answer_token(
        &mut self,
        token: &str,
        answer: TokenAnswer,
        now_ms: i64,
    ) -> Result<(), BackendError> {
        if let TokenAnswer::Success(output) = &answer
            && serde_json::from_str::<serde_json::Value>(output).is_err()
        {
            return Err(BackendError::InvalidInput(
                "InvalidOutput: the task output is not JSON".into(),
            ));
        }
        let (m, index) = self.waiting_on(token, now_ms)?;
        let mut done = self.run(m, index).done.clone();
        done.answers.insert(token.to_string(), (now_ms, answer));
        let run = self.walk_run(m, index, done);
        self.runs.insert((m, index), run);
        self.rewalked(m, index);
        Ok(())
    }

    /// A heartbeat changes nothing in the history; it is refused as AWS would refuse it.
    pub fn heartbeat(&self, token: &str, now_ms: i64) -> Result<(), BackendError> {
        self.waiting_on(token, now_ms).map(|_| ())
    }
}

#[async_trait]
impl StepFunctionsOps for SimWorld {
    async fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), BackendError> {
        self.calls().record("StopExecution");
        let now = self.now_ms();
        self.lock()
            .executions
            .stop(execution_arn, error, cause, now)
    }

    async fn redrive_execution(&self, execution_arn: &str) -> Result<i64, BackendError> {
        self.calls().record("RedriveExecution");
        let now = self.now_ms();
        self.lock().executions.redrive(execution_arn, now)
    }

    async fn send_task_success(&self, task_token: &str, output: &str) -> Result<(), BackendError> {
        self.calls().record("SendTaskSuccess");
        let now = self.now_ms();
        let answer = TokenAnswer::Success(output.to_string());
        self.lock().executions.answer_token(task_token, answer, now)
    }

    async fn send_task_failure(
        &self,
        task_token: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), BackendError> {
        self.calls().record("SendTaskFailure");
        let now = self.now_ms();
        let answer = TokenAnswer::Failure {
            error: error.map(str::to_string),
            cause: cause.map(str::to_string),
        };
        self.lock().executions.answer_token(task_token, answer, now)
    }

    async fn send_task_heartbeat(&self, task_token: &str) -> Result<(), BackendError> {
        self.calls().record("SendTaskHeartbeat");
        let now = self.now_ms();
        self.lock().executions.heartbeat(task_token, now)
    }
}
