//! What can be done to the open execution: the mutations, each built as a checked
//! [`SfnCommand`] (a confirm dialog runs it; nothing here calls AWS), and the way from a
//! Lambda step to its logs.

use unstuck_aws::model::asl::{MapMode, StateKind, lambda_function_name};
use unstuck_aws::model::step_functions::{MapRun, StepRecord, waiting_token};

use super::open_execution::OpenExecution;
use crate::commands::{SfnCommand, SfnOperation, valid_json};
use crate::state::shared::json_value::JsonValue;
use crate::state::shared::msg::Focus;

/// Logs are read from this long before a step was entered (clock skew, a cold start).
const LOGS_LEAD_MS: i64 = 5_000;

/// A mutation of the open execution, before its token is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    Stop {
        error: Option<String>,
        cause: Option<String>,
    },
    Redrive,
    TaskSuccess {
        output: String,
    },
    TaskFailure {
        error: Option<String>,
        cause: Option<String>,
    },
    TaskHeartbeat,
}

/// `ERROR [CAUSE...]` as typed after a command (both optional).
pub fn error_and_cause(arg: &str) -> (Option<String>, Option<String>) {
    let arg = arg.trim();
    let (error, cause) = match arg.split_once(char::is_whitespace) {
        Some((e, c)) => (e, c.trim()),
        None => (arg, ""),
    };
    let some = |t: &str| (!t.is_empty()).then(|| t.to_string());
    (some(error), some(cause))
}

impl OpenExecution {
    /// The task token a send goes to, and the state waiting on it: a pasted token first,
    /// else the selected state's, else the one state waiting on one.
    fn token_target(&self) -> Result<(Option<String>, String), String> {
        if let Some(token) = &self.pasted_token {
            return Ok((self.selected_name().map(str::to_string), token.clone()));
        }
        let (Some(definition), Some(reading)) = (self.definition(), self.reading()) else {
            return Err("the execution has not been read yet".into());
        };
        let progress = &reading.progress;
        if let Some(state) = self.selected.and_then(|id| definition.state(id))
            && let Some(token) = waiting_token(state, progress.step(&state.name))
        {
            return Ok((Some(state.name.clone()), token));
        }
        let waiting: Vec<(String, String)> =
            unstuck_aws::model::step_functions::waiting_tokens(definition, progress);
        match waiting.as_slice() {
            [] => Err(
                "no state of this execution waits on a task token it can be read from \
                       (paste one: :token TOKEN)"
                    .into(),
            ),
            [(state, token)] => Ok((Some(state.clone()), token.clone())),
            _ => Err(format!(
                "{} states wait on a task token: select the one to answer",
                waiting.len()
            )),
        }
    }

    /// The command for `mutation`, or why it cannot be done now.
    pub fn command(&self, mutation: Mutation) -> Result<SfnCommand, String> {
        let detail = self.detail().ok_or("the execution has not been read yet")?;
        let status = detail.summary.status;
        let running = status.is_running();
        let (state, operation) = match mutation {
            Mutation::Stop { .. }
            | Mutation::TaskSuccess { .. }
            | Mutation::TaskFailure { .. }
            | Mutation::TaskHeartbeat
                if !running =>
            {
                return Err(format!("it is {}: it is not running", status.as_str()));
            }
            Mutation::Stop { error, cause } => {
                (self.active_state(), SfnOperation::Stop { error, cause })
            }
            Mutation::Redrive if running => {
                return Err(
                    "it is running: only a failed, timed-out or aborted execution can \
                            be redriven"
                        .into(),
                );
            }
            Mutation::Redrive => {
                if let Some(redrive) = detail.redrive_status.as_deref()
                    && redrive != "REDRIVABLE"
                {
                    let reason = detail.redrive_status_reason.as_deref().unwrap_or(redrive);
                    return Err(format!("it cannot be redriven: {reason}"));
                }
                (None, SfnOperation::Redrive)
            }
            Mutation::TaskSuccess { output } => {
                let output = valid_json(&output)?;
                let (state, token) = self.token_target()?;
                (state, SfnOperation::SendTaskSuccess { token, output })
            }
            Mutation::TaskFailure { error, cause } => {
                let (state, token) = self.token_target()?;
                (
                    state,
                    SfnOperation::SendTaskFailure {
                        token,
                        error,
                        cause,
                    },
                )
            }
            Mutation::TaskHeartbeat => {
                let (state, token) = self.token_target()?;
                (state, SfnOperation::SendTaskHeartbeat { token })
            }
        };
        Ok(SfnCommand {
            execution_arn: detail.summary.arn.clone(),
            state,
            operation,
        })
    }

    /// The Map runs of the selected state, newest first: a distributed Map's runs (named by
    /// its label, else every run when the machine has one distributed Map).
    pub fn map_runs_of_selected(&self) -> Vec<&MapRun> {
        let (Some(definition), Some(reading)) = (self.definition(), self.reading()) else {
            return Vec::new();
        };
        let Some(state) = self.selected.and_then(|id| definition.state(id)) else {
            return Vec::new();
        };
        let distributed = |s: &unstuck_aws::model::asl::State| {
            matches!(
                s.kind,
                StateKind::Map {
                    mode: MapMode::Distributed,
                    ..
                }
            )
        };
        if !distributed(state) {
            return Vec::new();
        }
        let only_one = definition.states.iter().filter(|s| distributed(s)).count() == 1;
        let label = format!("/{}:", state.name);
        let mut runs: Vec<&MapRun> = reading
            .map_runs
            .iter()
            .filter(|r| only_one || r.arn.contains(&label))
            .collect();
        runs.sort_by_key(|r| std::cmp::Reverse(r.start_ms));
        runs
    }

    /// The state running or waiting now, for the summary of a stop.
    fn active_state(&self) -> Option<String> {
        let progress = &self.reading()?.progress;
        progress.newest_active().map(|(n, _)| n.to_string())
    }

    /// The logs of the selected Lambda step: its function's log group, from just before it
    /// was entered, and the invocation's request id when its output carries one.
    pub fn step_logs(&self) -> Result<Focus, String> {
        let definition = self
            .definition()
            .ok_or("the definition has not been read")?;
        let state = self
            .selected
            .and_then(|id| definition.state(id))
            .ok_or("select a state first")?;
        let step = self
            .reading()
            .and_then(|r| r.progress.step(&state.name))
            .ok_or_else(|| format!("{} has not run in this execution", state.name))?;
        let written = match &state.kind {
            StateKind::Task(task) => task.function.clone(),
            _ => None,
        };
        let function = function_of(step)
            .or(written.filter(|f| !f.contains('$')))
            .ok_or_else(|| format!("{} does not invoke a Lambda function", state.name))?;
        let since_ms = step.entered_ms.unwrap_or(0).saturating_sub(LOGS_LEAD_MS);
        Ok(Focus::StepLogs {
            group: format!("/aws/lambda/{function}"),
            since_ms,
            request_id: step.output.as_deref().and_then(request_id),
        })
    }
}

/// The function a step invoked, as the history rendered it (FunctionName of a lambda:invoke
/// task, or the resource of a Lambda state), without an alias or version.
fn function_of(step: &StepRecord) -> Option<String> {
    let from_parameters = step
        .parameters
        .as_deref()
        .and_then(JsonValue::parse)
        .and_then(|p| {
            p.get("FunctionName")
                .and_then(|f| f.as_str().map(str::to_string))
        });
    let from_resource = step
        .resource
        .as_deref()
        .filter(|r| r.contains(":function:"))
        .map(str::to_string);
    let written = from_parameters.or(from_resource)?;
    Some(lambda_function_name(&written).to_string())
}

/// The Lambda request id in a lambda:invoke task's output (`SdkResponseMetadata.RequestId`).
fn request_id(output: &str) -> Option<String> {
    let value = JsonValue::parse(output)?;
    let id = value
        .get("SdkResponseMetadata")?
        .get("RequestId")?
        .as_str()?;
    (!id.is_empty()).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_and_error_causes_are_read_from_what_was_given() {
        assert_eq!(
            request_id(r#"{"Payload":{},"SdkResponseMetadata":{"RequestId":"ab-12"}}"#),
            Some("ab-12".into())
        );
        assert_eq!(request_id(r#"{"Payload":{}}"#), None);
        assert_eq!(
            error_and_cause("  Rejected  the officer said no "),
            (Some("Rejected".into()), Some("the officer said no".into()))
        );
        assert_eq!(error_and_cause(""), (None, None));
    }
}
