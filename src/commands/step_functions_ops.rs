//! The Step Functions mutations as commands: what each does, said in one line for the confirm
//! dialog, the headless prompt and the audit log, and run against a [`StepFunctionsOps`]
//! (which a read-only app does not have). The same command runs from the TUI's executor and
//! from `unstuck execution stop|redrive|send-task-*`.

use serde_json::{Value, json};
use unstuck_aws::api::StepFunctionsOps;
use unstuck_aws::model::BackendError;
use unstuck_aws::untrusted_text::sanitize_line;

/// What to do to an execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SfnOperation {
    Stop {
        error: Option<String>,
        cause: Option<String>,
    },
    Redrive,
    SendTaskSuccess {
        token: String,
        /// JSON, validated when the command was made.
        output: String,
    },
    SendTaskFailure {
        token: String,
        error: Option<String>,
        cause: Option<String>,
    },
    SendTaskHeartbeat {
        token: String,
    },
}

/// One mutation of one execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SfnCommand {
    pub execution_arn: String,
    /// The state it is aimed at (the one waiting on the token), when known.
    pub state: Option<String>,
    pub operation: SfnOperation,
}

/// `machine/execution` from an execution ARN (the ARN itself when it is not one).
pub fn execution_label(execution_arn: &str) -> String {
    let parts: Vec<&str> = execution_arn.split(':').collect();
    let label = match parts.as_slice() {
        [.., "execution", machine, name] => format!("{machine}/{name}"),
        _ => execution_arn.to_string(),
    };
    sanitize_line(&label).into_owned()
}

/// `text` if it is one JSON value, else why not (for the output a task succeeds with).
pub fn valid_json(text: &str) -> Result<String, String> {
    serde_json::from_str::<Value>(text)
        .map(|_| text.trim().to_string())
        .map_err(|e| format!("the task output is not JSON: {e}"))
}

/// A token as the audit log and messages name it: never whole (it lets anyone answer the task).
pub fn token_hint(token: &str) -> String {
    let tail: String = token
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    sanitize_line(&format!("…{tail}")).into_owned()
}

impl SfnCommand {
    /// The AWS operation it calls.
    pub fn api_name(&self) -> &'static str {
        match self.operation {
            SfnOperation::Stop { .. } => "StopExecution",
            SfnOperation::Redrive => "RedriveExecution",
            SfnOperation::SendTaskSuccess { .. } => "SendTaskSuccess",
            SfnOperation::SendTaskFailure { .. } => "SendTaskFailure",
            SfnOperation::SendTaskHeartbeat { .. } => "SendTaskHeartbeat",
        }
    }

    /// "Send task success to tax-approval/exec-42 (HumanApproval)".
    pub fn summary(&self) -> String {
        let target = execution_label(&self.execution_arn);
        let state = self
            .state
            .as_deref()
            .map(|s| format!(" ({})", sanitize_line(s)))
            .unwrap_or_default();
        let with_error = |error: &Option<String>| {
            error
                .as_deref()
                .map(|e| format!(" with error {}", sanitize_line(e)))
                .unwrap_or_default()
        };
        match &self.operation {
            SfnOperation::Stop { error, .. } => {
                format!("Stop {target}{state}{}", with_error(error))
            }
            SfnOperation::Redrive => format!("Redrive {target} from the state it stopped in"),
            SfnOperation::SendTaskSuccess { output, .. } => format!(
                "Send task success to {target}{state}, output of {} bytes",
                output.len()
            ),
            SfnOperation::SendTaskFailure { error, .. } => {
                format!("Send task failure to {target}{state}{}", with_error(error))
            }
            SfnOperation::SendTaskHeartbeat { .. } => {
                format!("Send a task heartbeat to {target}{state}")
            }
        }
    }

    /// What the audit log keeps of it: names and sizes, never the output or cause text, and
    /// only the end of a token.
    pub fn audit_parameters(&self) -> Value {
        let mut p = json!({ "executionArn": sanitize_line(&self.execution_arn) });
        if let Some(state) = &self.state {
            p["state"] = json!(sanitize_line(state));
        }
        let chars = |text: &Option<String>| text.as_ref().map(|t| t.chars().count());
        match &self.operation {
            SfnOperation::Stop { error, cause } => {
                p["error"] = json!(error.as_deref().map(sanitize_line));
                p["causeChars"] = json!(chars(cause));
            }
            SfnOperation::Redrive => {}
            SfnOperation::SendTaskSuccess { token, output } => {
                p["taskToken"] = json!(token_hint(token));
                p["outputBytes"] = json!(output.len());
            }
            SfnOperation::SendTaskFailure {
                token,
                error,
                cause,
            } => {
                p["taskToken"] = json!(token_hint(token));
                p["error"] = json!(error.as_deref().map(sanitize_line));
                p["causeChars"] = json!(chars(cause));
            }
            SfnOperation::SendTaskHeartbeat { token } => {
                p["taskToken"] = json!(token_hint(token));
            }
        }
        p
    }

    /// Call AWS; the line to report when it went through.
    pub async fn run(&self, ops: &dyn StepFunctionsOps) -> Result<String, BackendError> {
        let arn = self.execution_arn.as_str();
        match &self.operation {
            SfnOperation::Stop { error, cause } => {
                ops.stop_execution(arn, error.as_deref(), cause.as_deref())
                    .await?
            }
            SfnOperation::Redrive => {
                ops.redrive_execution(arn).await?;
            }
            SfnOperation::SendTaskSuccess { token, output } => {
                ops.send_task_success(token, output).await?
            }
            SfnOperation::SendTaskFailure {
                token,
                error,
                cause,
            } => {
                ops.send_task_failure(token, error.as_deref(), cause.as_deref())
                    .await?
            }
            SfnOperation::SendTaskHeartbeat { token } => ops.send_task_heartbeat(token).await?,
        }
        Ok(format!("{}: done", self.summary()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:states:eu-west-1:123456789012:execution:tax-approval:exec-42";

    fn command(operation: SfnOperation) -> SfnCommand {
        SfnCommand {
            execution_arn: ARN.into(),
            state: Some("HumanApproval".into()),
            operation,
        }
    }

    #[test]
    fn summaries_say_exactly_what_will_happen() {
        let success = command(SfnOperation::SendTaskSuccess {
            token: "AAAAKgAAAAIAAAAAsecretTAIL1234".into(),
            output: r#"{"approved":true}"#.into(),
        });
        assert_eq!(
            success.summary(),
            "Send task success to tax-approval/exec-42 (HumanApproval), output of 17 bytes"
        );
        let stop = SfnCommand {
            state: None,
            ..command(SfnOperation::Stop {
                error: Some("OnCall.Stopped".into()),
                cause: Some("stuck since the deploy".into()),
            })
        };
        assert_eq!(
            stop.summary(),
            "Stop tax-approval/exec-42 with error OnCall.Stopped"
        );
        assert_eq!(stop.api_name(), "StopExecution");
        assert_eq!(execution_label("not-an-arn"), "not-an-arn");
    }

    #[test]
    fn the_audit_record_keeps_no_payload_and_no_whole_token() {
        let failure = command(SfnOperation::SendTaskFailure {
            token: "AAAAKgAAAAIAAAAAsecretTAIL1234".into(),
            error: Some("Rejected".into()),
            cause: Some("the taxpayer's SSN 123-45-6789 does not match".into()),
        });
        let text = failure.audit_parameters().to_string();
        assert!(
            !text.contains("secret") && text.contains("…TAIL1234"),
            "{text}"
        );
        assert!(!text.contains("SSN"), "{text}");
        assert!(text.contains(r#""causeChars":45"#), "{text}");
        let success = command(SfnOperation::SendTaskSuccess {
            token: "t".into(),
            output: r#"{"pin":"0000"}"#.into(),
        });
        assert!(!success.audit_parameters().to_string().contains("0000"));
    }

    #[test]
    fn output_must_be_json() {
        assert_eq!(valid_json(" {\"a\":1} "), Ok("{\"a\":1}".into()));
        assert!(valid_json("{a").unwrap_err().contains("not JSON"));
        assert!(valid_json("").is_err());
    }
}
