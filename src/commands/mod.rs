//! Commands: work the reducer asks for that must run off the UI loop, described as data.
//! The reducer returns `Effect::Execute(Command)`; the runtime's executor runs it on a task
//! and reports back with `Msg::Command`. Today that is the logs export; the AWS mutations
//! (stop an execution, send a task token, redrive a queue) join here, each with a concrete
//! one-line summary for the confirm dialog and the audit log.
//!
//! Nothing here knows the app's state: `state` builds commands, `runtime` runs them.

mod audit_log;
mod export_lines;
mod mutation;
mod queue_ops;
mod queue_runs;
mod step_functions_ops;

pub use audit_log::{AuditEntry, AuditLog, AuditPhase, AuditSession, state_dir};
pub use export_lines::{
    EXPORT_CHUNK_LINES, ExportFormat, ExportJob, ExportSummary, default_file_name, write_export,
};
pub use mutation::{AuditTrail, MutationContext, MutationError, begin_audit, run_audited};
pub use queue_ops::{PEEK_MAX, PEEK_VISIBILITY_S, QueueCommand, QueueReport};
pub use queue_runs::{
    AuditPlace, audit_session, cancel_move_task, selective_redrive, start_move_task,
};
pub use step_functions_ops::{SfnCommand, SfnOperation, execution_label, token_hint, valid_json};

/// Something to run off the UI loop.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Write the logs pane's shown lines to a file.
    ExportLines(ExportJob),
    /// Stop, redrive, or answer the task token of a Step Functions execution.
    StepFunctions(SfnCommand),
    /// Peek, export or redrive a queue.
    Queue(QueueCommand),
}

impl Command {
    /// One line saying exactly what it will do (for the confirm dialog and the audit log).
    pub fn summary(&self) -> String {
        match self {
            Command::ExportLines(job) => {
                format!("Write {} lines to {}", job.rows.len(), job.path.display())
            }
            Command::StepFunctions(command) => command.summary(),
            Command::Queue(command) => command.summary(),
        }
    }

    /// The name to type before a bulk mutation is confirmed.
    pub fn typed_name(&self) -> Option<String> {
        match self {
            Command::Queue(command) => command.typed_name(),
            _ => None,
        }
    }

    /// Whether it changes anything in AWS: such commands need a confirmation, are written to
    /// the audit log, and are refused by `--read-only`.
    pub fn mutates_aws(&self) -> bool {
        match self {
            Command::ExportLines(_) => false,
            Command::StepFunctions(_) => true,
            Command::Queue(command) => command.mutates_aws(),
        }
    }
}

/// What a running command reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandReport {
    /// `done` of `total` units (lines, messages) so far.
    Progress { done: usize, total: usize },
    /// Finished, or failed with a one-line reason.
    Done(Result<CommandOutcome, String>),
    /// A mutation went through (the line to show), or did not (why).
    Mutated {
        summary: String,
        result: Result<String, String>,
    },
    /// From a queue command (to the queues pane).
    Queue(QueueReport),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandOutcome {
    Exported(ExportSummary),
}
