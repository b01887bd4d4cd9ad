//! The task tokens an execution waits on, read back from its history: a `.waitForTaskToken`
//! task that is waiting, whose TaskScheduled parameters hold the token where its definition
//! put it (`$$.Task.Token`, or `$states.context.Task.Token` in JSONata).

use super::{ExecutionProgress, StepRecord, StepStatus};
use crate::model::asl::{Definition, State, StateKind, TaskPattern};

/// The token `state` waits on, given what the history says of it.
pub fn waiting_token(state: &State, step: Option<&StepRecord>) -> Option<String> {
    let step = step.filter(|s| s.status == StepStatus::Waiting)?;
    match &state.kind {
        StateKind::Task(task) if task.pattern == TaskPattern::WaitForTaskToken => {
            task.token_in(step.parameters.as_deref()?)
        }
        _ => None,
    }
}

/// Every (state name, token) the execution waits on now, in the definition's order.
pub fn waiting_tokens(
    definition: &Definition,
    progress: &ExecutionProgress,
) -> Vec<(String, String)> {
    definition
        .states
        .iter()
        .filter_map(|state| {
            let token = waiting_token(state, progress.step(&state.name))?;
            Some((state.name.clone(), token))
        })
        .collect()
}
