//! A Task state walked: its work scheduled and started, retried or failed as the oracle
//! says, a `.waitForTaskToken` handed out and answered (by the oracle, an operator, or
//! never), and each Lambda invocation recorded with its request id, so the demo world writes
//! that invocation's logs and the task's output names it as `lambda:invoke` does.

use super::*;

/// Parameters holding `token` at `path` (keys, `[n]` for array items), as AWS renders them.
fn render_token(path: &[String], token: &str) -> String {
    let mut value = serde_json::Value::String(token.to_string());
    for key in path.iter().rev() {
        value = if key.starts_with('[') {
            serde_json::Value::Array(vec![value])
        } else {
            serde_json::json!({ key.as_str(): value })
        };
    }
    value.to_string()
}

/// A `lambda:invoke` task's output as AWS shapes it: the function's result as `Payload`
/// (kept when the result already is one), the invocation's request id, the status code.
fn lambda_invoke_output(result: &str, request_id: &str) -> String {
    let result: serde_json::Value = serde_json::from_str(result).unwrap_or(serde_json::Value::Null);
    let payload = match result.get("Payload") {
        Some(payload) => payload.clone(),
        None => result,
    };
    serde_json::json!({
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "SdkResponseMetadata": { "RequestId": request_id },
        "StatusCode": 200,
    })
    .to_string()
}

impl<O: Oracle> Walker<'_, O> {
    /// `work` ms of the task's work; for a Lambda task, one invocation of `function`,
    /// recorded with its request id (returned), made from the walk's seed and position.
    fn invoke(
        &mut self,
        function: Option<&str>,
        work: i64,
        error: Option<String>,
    ) -> Option<String> {
        let start_ms = self.at_ms;
        self.pass(work);
        let function = function?;
        let seed = (start_ms as u64) ^ ((self.events.len() as u64) << 44) ^ 0x51ed_270b;
        let request_id = crate::sim::ids::request_id(&mut fastrand::Rng::with_seed(seed));
        self.lambdas.push(LambdaRun {
            function: function.to_string(),
            start_ms,
            end_ms: self.at_ms,
            request_id: request_id.clone(),
            error,
        });
        Some(request_id)
    }
    pub(super) fn task(
        &mut self,
        state: &State,
        task: &crate::model::asl::TaskSpec,
        entered: i64,
        exited_kind: &str,
    ) -> Result<Step, Halt> {
        let name = state.name.as_str();
        let lambda = task.function.is_some();
        let (scheduled, started, succeeded, failed_kind) = if lambda {
            (
                "LambdaFunctionScheduled",
                "LambdaFunctionStarted",
                "LambdaFunctionSucceeded",
                "LambdaFunctionFailed",
            )
        } else {
            (
                "TaskScheduled",
                "TaskStarted",
                "TaskSucceeded",
                "TaskFailed",
            )
        };
        let resource = if lambda {
            task.function.clone().unwrap_or_default()
        } else {
            task.resource
                .trim_start_matches("arn:aws:states:::")
                .to_string()
        };
        let function = task
            .function
            .as_deref()
            .map(|f| crate::model::asl::lambda_function_name(f).to_string());
        let mut request_id = None;
        let token =
            (task.pattern == TaskPattern::WaitForTaskToken).then(|| self.oracle.task_token(name));
        let parameters = match (&token, task.token_paths.first()) {
            (Some(token), Some(path)) => Some(render_token(path, token)),
            _ => None,
        };
        let mut last = self.emit(scheduled, None, entered, |e| {
            e.resource = Some(resource.clone());
            e.parameters = parameters;
        });
        last = self.emit(started, None, last, |_| {});
        if task.pattern == TaskPattern::WaitForTaskToken {
            last = self.emit("TaskSubmitted", None, last, |_| {});
            let timeout_ms = match task.timeout {
                Some(Seconds::Fixed(s)) => {
                    Some(i64::try_from(s).unwrap_or(i64::MAX).saturating_mul(1_000))
                }
                _ => None,
            };
            let token = token.clone().unwrap_or_default();
            let mut natural = self.oracle.token_after_ms(name);
            // An operator's answer comes first (the task was waiting when it was sent).
            let answered = self.answers.get(&token).cloned();
            if let Some((at, _)) = &answered {
                natural = Some((at - self.at_ms).max(0));
            }
            let handed_ms = self.at_ms;
            let closes_after = match (natural, timeout_ms) {
                (Some(after), Some(limit)) => Some(after.min(limit)),
                (after, limit) => after.or(limit),
            };
            self.tokens.push(TokenSpan {
                token,
                handed_ms,
                closed_ms: closes_after.map(|after| handed_ms.saturating_add(after)),
            });
            if let Some((_, answer)) = answered.filter(|_| {
                natural.is_some_and(|after| timeout_ms.is_none_or(|limit| after <= limit))
            }) {
                self.pass(natural.unwrap_or(0));
                return self.answered(state, answer, last, exited_kind);
            }
            match (natural, timeout_ms) {
                (Some(after), Some(limit)) if after > limit => {
                    self.pass(limit);
                    return self.time_out(state, last);
                }
                (None, Some(limit)) => {
                    self.pass(limit);
                    return self.time_out(state, last);
                }
                (None, None) => return Err(Halt::Stuck),
                (Some(after), _) => self.pass(after),
            }
        } else {
            let work = self.oracle.work_ms(name);
            let fate = self.oracle.task_fate(name);
            let first_error = match &fate {
                TaskFate::Succeeds => None,
                TaskFate::RetriedOnce(error) | TaskFate::Fails(error, _) => Some(error.clone()),
            };
            request_id = self.invoke(function.as_deref(), work, first_error);
            match fate {
                TaskFate::Succeeds => {}
                TaskFate::RetriedOnce(error) => {
                    last = self.emit(failed_kind, None, last, |e| {
                        e.error = Some(error);
                        e.cause = Some("retried".into());
                    });
                    self.pass(2_000);
                    last = self.emit(scheduled, None, last, |e| {
                        e.resource = Some(resource.clone())
                    });
                    last = self.emit(started, None, last, |_| {});
                    let work = self.oracle.work_ms(name);
                    request_id = self.invoke(function.as_deref(), work, None);
                }
                TaskFate::Fails(error, cause) => {
                    let id = self.emit(failed_kind, None, last, |e| {
                        e.error = Some(error.clone());
                        e.cause = Some(cause.clone());
                    });
                    return Self::failed(state, error, cause, id);
                }
            }
        }
        let output = match &request_id {
            Some(id) => lambda_invoke_output(&self.oracle.task_output(name), id),
            None => self.oracle.task_output(name),
        };
        last = self.emit(succeeded, None, last, |e| e.output = Some(output.clone()));
        let exited = self.emit(exited_kind, Some(name), last, |e| e.output = Some(output));
        Ok(Self::onward(state, exited))
    }

    /// A token task answered by an operator: it succeeds with their output, or fails with
    /// their error (a Catch may take it).
    fn answered(
        &mut self,
        state: &State,
        answer: TokenAnswer,
        last: i64,
        exited_kind: &str,
    ) -> Result<Step, Halt> {
        let name = state.name.as_str();
        match answer {
            TokenAnswer::Success(output) => {
                let done = self.emit("TaskSucceeded", None, last, |e| {
                    e.output = Some(output.clone())
                });
                let exited = self.emit(exited_kind, Some(name), done, |e| e.output = Some(output));
                Ok(Self::onward(state, exited))
            }
            TokenAnswer::Failure { error, cause } => {
                let (error, cause) = (error.unwrap_or_default(), cause.unwrap_or_default());
                let id = self.emit("TaskFailed", None, last, |e| {
                    e.error = Some(error.clone());
                    e.cause = Some(cause.clone());
                });
                Self::failed(state, error, cause, id)
            }
        }
    }

    fn time_out(&mut self, state: &State, last: i64) -> Result<Step, Halt> {
        let (error, cause) = (
            "States.Timeout".to_string(),
            "the task token did not come back in time".to_string(),
        );
        let id = self.emit("TaskTimedOut", None, last, |e| {
            e.error = Some(error.clone());
            e.cause = Some(cause.clone());
        });
        Self::failed(state, error, cause, id)
    }
}
