//! One simulated execution: a walk through the definition that writes the history AWS would,
//! event by event with their times, as an [`Oracle`] decides (which Choice rule holds, whether
//! a task fails, when a token comes back, or never). The timeline is written once, whole; a
//! query shows the part of it that has happened by the world's now.

use crate::model::asl::{
    Block, Definition, Seconds, State, StateId, StateKind, TaskPattern, WaitSpec,
};
use crate::model::step_functions::{ExecutionStatus, HistoryEvent};

/// What happens to a task's work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskFate {
    Succeeds,
    /// Fails once with this error, then succeeds on the retry.
    RetriedOnce(String),
    /// Fails with (error, cause); a Catch may take it.
    Fails(String, String),
}

/// The decisions of one execution.
pub trait Oracle {
    /// Which Choice rule holds (`rules` means the Default).
    fn choose(&mut self, state: &str, rules: usize) -> usize;
    /// How long until the token of a `.waitForTaskToken` task comes back; None: never.
    fn token_after_ms(&mut self, state: &str) -> Option<i64>;
    /// The task's output once it succeeds (a token's answer, a Lambda's result).
    fn task_output(&mut self, state: &str) -> String;
    fn task_fate(&mut self, state: &str) -> TaskFate;
    /// How long one piece of work takes.
    fn work_ms(&mut self, state: &str) -> i64;
    /// Items of a Map.
    fn map_items(&mut self, state: &str) -> usize;
    /// The task token handed to a `.waitForTaskToken` task.
    fn task_token(&mut self, state: &str) -> String;
}

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

/// The whole life of an execution: its events, and how and when it ends (None: it never
/// does on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub events: Vec<HistoryEvent>,
    pub end: Option<(ExecutionStatus, i64)>,
}

/// Waits longer than this are not walked past: the execution is still in them.
const FAR_AHEAD_MS: i64 = 7 * 24 * 3_600_000;
/// States visited at most (a loop that never ends stops the walk).
const MAX_STEPS: usize = 2_000;

enum Halt {
    /// Waits for something that does not come (by now or ever).
    Stuck,
    Failed {
        error: String,
        cause: String,
        id: i64,
    },
}

enum Step {
    Go(StateId, i64),
    End(i64),
}

struct Walker<'a, O: Oracle> {
    definition: &'a Definition,
    oracle: &'a mut O,
    events: Vec<HistoryEvent>,
    at_ms: i64,
    steps: usize,
}

/// Walk `definition` for an execution started at `start_ms` with `input`.
pub fn walk<O: Oracle>(
    definition: &Definition,
    oracle: &mut O,
    start_ms: i64,
    input: &str,
) -> Timeline {
    let mut w = Walker {
        definition,
        oracle,
        events: Vec::new(),
        at_ms: start_ms,
        steps: 0,
    };
    let started = w.emit("ExecutionStarted", None, 0, |e| {
        e.input = Some(input.to_string())
    });
    let end = match w.block(&definition.root, started) {
        Ok(last) => {
            w.emit("ExecutionSucceeded", None, last, |e| {
                e.output = Some(r#"{"status":"FILED"}"#.into())
            });
            Some((ExecutionStatus::Succeeded, w.at_ms))
        }
        Err(Halt::Failed { error, cause, id }) => {
            w.emit("ExecutionFailed", None, id, |e| {
                e.error = Some(error);
                e.cause = Some(cause);
            });
            Some((ExecutionStatus::Failed, w.at_ms))
        }
        Err(Halt::Stuck) => None,
    };
    Timeline {
        events: w.events,
        end,
    }
}

impl<O: Oracle> Walker<'_, O> {
    fn emit(
        &mut self,
        kind: &str,
        state: Option<&str>,
        previous: i64,
        fill: impl FnOnce(&mut HistoryEvent),
    ) -> i64 {
        let id = self.events.len() as i64 + 1;
        let mut event = HistoryEvent {
            id,
            previous_id: previous,
            timestamp_ms: self.at_ms,
            kind: kind.to_string(),
            state: state.map(str::to_string),
            ..HistoryEvent::default()
        };
        fill(&mut event);
        self.events.push(event);
        id
    }

    fn pass(&mut self, ms: i64) {
        self.at_ms = self.at_ms.saturating_add(ms.max(0));
    }

    fn block(&mut self, block: &Block, previous: i64) -> Result<i64, Halt> {
        let mut current = block.start;
        let mut previous = previous;
        loop {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                return Err(Halt::Stuck);
            }
            let Some(state) = self.definition.state(current) else {
                return Err(Halt::Stuck);
            };
            match self.state(state, previous)? {
                Step::Go(next, last) => (current, previous) = (next, last),
                Step::End(last) => return Ok(last),
            }
        }
    }

    /// After a state's last event: go on to Next, or end the block.
    fn onward(state: &State, last: i64) -> Step {
        state
            .next
            .map_or(Step::End(last), |next| Step::Go(next, last))
    }

    /// A failure at event `id`: a Catch takes it on, or it fails the block.
    fn failed(state: &State, error: String, cause: String, id: i64) -> Result<Step, Halt> {
        let catch = state
            .catches
            .iter()
            .find(|c| c.errors.iter().any(|e| e == "States.ALL" || *e == error));
        match catch {
            Some(c) => Ok(Step::Go(c.next, id)),
            None => Err(Halt::Failed { error, cause, id }),
        }
    }

    fn state(&mut self, state: &State, previous: i64) -> Result<Step, Halt> {
        let name = state.name.as_str();
        let entered_kind = format!("{}StateEntered", state.kind.type_name());
        let exited_kind = format!("{}StateExited", state.kind.type_name());
        let entered = self.emit(&entered_kind, Some(name), previous, |e| {
            e.input = Some("{}".into())
        });
        match &state.kind {
            StateKind::Pass => {
                let exited = self.emit(&exited_kind, Some(name), entered, |_| {});
                Ok(Self::onward(state, exited))
            }
            StateKind::Succeed => Ok(Step::End(self.emit(
                &exited_kind,
                Some(name),
                entered,
                |_| {},
            ))),
            StateKind::Fail { error, cause } => Err(Halt::Failed {
                error: error.clone().unwrap_or_else(|| "States.Fail".into()),
                cause: cause.clone().unwrap_or_default(),
                id: entered,
            }),
            StateKind::Choice { rules, default } => {
                let pick = self.oracle.choose(name, rules.len());
                let next = rules.get(pick).map(|r| r.next).or(*default);
                let exited = self.emit(&exited_kind, Some(name), entered, |_| {});
                next.map_or(Err(Halt::Stuck), |n| Ok(Step::Go(n, exited)))
            }
            StateKind::Wait(spec) => {
                let ms = match spec {
                    WaitSpec::Seconds(Seconds::Fixed(s)) => {
                        i64::try_from(*s).unwrap_or(i64::MAX).saturating_mul(1_000)
                    }
                    WaitSpec::Until(text) => crate::model::step_functions::rfc3339_ms(text)
                        .map_or(FAR_AHEAD_MS + 1, |until| until - self.at_ms),
                    WaitSpec::Seconds(Seconds::Dynamic(_)) => 60_000,
                };
                if ms > FAR_AHEAD_MS {
                    return Err(Halt::Stuck);
                }
                self.pass(ms);
                let exited = self.emit(&exited_kind, Some(name), entered, |_| {});
                Ok(Self::onward(state, exited))
            }
            StateKind::Task(task) => self.task(state, task, entered, &exited_kind),
            StateKind::Parallel { branches } => {
                let started = self.emit("ParallelStateStarted", None, entered, |_| {});
                let mut last = started;
                for branch in branches {
                    match self.block(branch, started) {
                        Ok(id) => last = id,
                        Err(Halt::Failed { error, cause, id }) => {
                            let failed = self.emit("ParallelStateFailed", None, id, |e| {
                                e.error = Some(error.clone());
                                e.cause = Some(cause.clone());
                            });
                            return Self::failed(state, error, cause, failed);
                        }
                        Err(Halt::Stuck) => return Err(Halt::Stuck),
                    }
                }
                let done = self.emit("ParallelStateSucceeded", None, last, |_| {});
                let exited = self.emit(&exited_kind, Some(name), done, |_| {});
                Ok(Self::onward(state, exited))
            }
            StateKind::Map { processor, .. } => {
                let started = self.emit("MapStateStarted", None, entered, |_| {});
                let mut last = started;
                for _ in 0..self.oracle.map_items(name) {
                    let iteration = self.emit("MapIterationStarted", None, last, |_| {});
                    match self.block(processor, iteration) {
                        Ok(id) => last = self.emit("MapIterationSucceeded", None, id, |_| {}),
                        Err(Halt::Failed { error, cause, id }) => {
                            let failed = self.emit("MapStateFailed", None, id, |e| {
                                e.error = Some(error.clone());
                                e.cause = Some(cause.clone());
                            });
                            return Self::failed(state, error, cause, failed);
                        }
                        Err(Halt::Stuck) => return Err(Halt::Stuck),
                    }
                }
                let done = self.emit("MapStateSucceeded", None, last, |_| {});
                let exited = self.emit(&exited_kind, Some(name), done, |_| {});
                Ok(Self::onward(state, exited))
            }
        }
    }

    fn task(
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
            match (self.oracle.token_after_ms(name), timeout_ms) {
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
            self.pass(work);
            match self.oracle.task_fate(name) {
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
                    self.pass(work);
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
        let output = self.oracle.task_output(name);
        last = self.emit(succeeded, None, last, |e| e.output = Some(output.clone()));
        let exited = self.emit(exited_kind, Some(name), last, |e| e.output = Some(output));
        Ok(Self::onward(state, exited))
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
