//! One event of an execution's history, as GetExecutionHistory gives it, and what part of a
//! state's life it marks. AWS names more than sixty event types; they fall into a few phases.

use super::ExecutionStatus;

/// An execution fails when its history reaches this many events.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryEvent {
    pub id: i64,
    pub previous_id: i64,
    pub timestamp_ms: i64,
    /// The type as AWS names it: `TaskStateEntered`, `LambdaFunctionFailed`, ...
    pub kind: String,
    /// The state entered or exited (`*StateEntered` / `*StateExited` only).
    pub state: Option<String>,
    /// What a task runs (`lambda:invoke`, an activity ARN), from its scheduled event.
    pub resource: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub input: Option<String>,
    pub output: Option<String>,
    /// The rendered parameters of a TaskScheduled event (JSON): where a task token is.
    pub parameters: Option<String>,
}

/// Where an event falls in a state's (or the execution's) life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventPhase {
    StateEntered,
    StateExited,
    /// Work handed out: a task, a Lambda invocation, an activity.
    Scheduled,
    Started,
    /// A `.waitForTaskToken` task sent its request and waits for the token.
    Submitted,
    WorkSucceeded,
    /// The work (or the state) failed or timed out.
    WorkFailed,
    StateAborted,
    ExecutionEnded(ExecutionStatus),
    ExecutionRedriven,
    Other,
}

impl HistoryEvent {
    pub fn phase(&self) -> EventPhase {
        phase_of(&self.kind)
    }
}

pub fn phase_of(kind: &str) -> EventPhase {
    use EventPhase::*;
    match kind {
        "ExecutionSucceeded" => ExecutionEnded(ExecutionStatus::Succeeded),
        "ExecutionFailed" => ExecutionEnded(ExecutionStatus::Failed),
        "ExecutionTimedOut" => ExecutionEnded(ExecutionStatus::TimedOut),
        "ExecutionAborted" => ExecutionEnded(ExecutionStatus::Aborted),
        "ExecutionRedriven" => ExecutionRedriven,
        "TaskScheduled" | "LambdaFunctionScheduled" | "ActivityScheduled" => Scheduled,
        "TaskStarted"
        | "LambdaFunctionStarted"
        | "ActivityStarted"
        | "MapStateStarted"
        | "ParallelStateStarted"
        | "MapRunStarted" => Started,
        "TaskSubmitted" => Submitted,
        "TaskSucceeded"
        | "LambdaFunctionSucceeded"
        | "ActivitySucceeded"
        | "MapStateSucceeded"
        | "ParallelStateSucceeded"
        | "MapRunSucceeded" => WorkSucceeded,
        "TaskStateAborted"
        | "WaitStateAborted"
        | "MapStateAborted"
        | "ParallelStateAborted"
        | "MapRunAborted" => StateAborted,
        k if k.ends_with("StateEntered") => StateEntered,
        k if k.ends_with("StateExited") => StateExited,
        k if k.starts_with("Execution") || k.starts_with("MapIteration") => Other,
        k if k.ends_with("Failed") || k.ends_with("TimedOut") => WorkFailed,
        _ => Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_event_falls_in_its_phase() {
        use EventPhase::*;
        let cases = [
            ("TaskStateEntered", StateEntered),
            ("MapStateExited", StateExited),
            ("LambdaFunctionScheduled", Scheduled),
            ("ActivityStarted", Started),
            ("TaskSubmitted", Submitted),
            ("LambdaFunctionSucceeded", WorkSucceeded),
            ("LambdaFunctionTimedOut", WorkFailed),
            ("TaskSubmitFailed", WorkFailed),
            ("ActivityScheduleFailed", WorkFailed),
            ("EvaluationFailed", WorkFailed),
            ("WaitStateAborted", StateAborted),
            (
                "ExecutionTimedOut",
                ExecutionEnded(ExecutionStatus::TimedOut),
            ),
            ("ExecutionRedriven", ExecutionRedriven),
            ("MapIterationFailed", Other),
            ("ExecutionStarted", Other),
            ("NewFeature", Other),
        ];
        for (kind, phase) in cases {
            assert_eq!(phase_of(kind), phase, "{kind}");
        }
    }
}
