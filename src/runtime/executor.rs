//! The command executor: runs a [`Command`] off the UI loop and reports back through the
//! app channel (progress while it runs, then done). File work runs on a blocking thread; an
//! AWS mutation on a task, through the audit log.

use tokio::sync::mpsc::Sender;

use crate::commands::{
    Command, CommandOutcome, CommandReport, MutationContext, run_audited, write_export,
};
use crate::state::Msg;

/// Run `command`; a mutation runs with `mutations` (None: read-only, it is refused).
pub fn spawn(
    command: Command,
    tx: Sender<Msg>,
    mutations: Option<MutationContext>,
    backends: unstuck_aws::api::Backends,
    audit: (
        Option<crate::commands::AuditLog>,
        crate::commands::AuditSession,
    ),
) {
    match command {
        Command::Queue(command) => {
            tokio::spawn(async move {
                let report = |r| {
                    let _ = tx.try_send(Msg::Command(CommandReport::Queue(r)));
                };
                let done = command.run(backends, audit.0, audit.1, report).await;
                let _ = tx.send(Msg::Command(CommandReport::Queue(done))).await;
            });
        }
        Command::StepFunctions(command) => {
            tokio::spawn(async move {
                let summary = command.summary();
                let result = match mutations {
                    None => Err(format!("read-only: refused to {summary}")),
                    Some(cx) => run_audited(&command, &cx).await.map_err(|e| {
                        unstuck_aws::untrusted_text::sanitize_line(&e.to_string()).into_owned()
                    }),
                };
                let _ = tx
                    .send(Msg::Command(CommandReport::Mutated { summary, result }))
                    .await;
            });
        }
        Command::ExportLines(job) => {
            tokio::task::spawn_blocking(move || {
                // Progress may be dropped when the channel is full: the next report says more.
                let result = write_export(&job, |done, total| {
                    let _ = tx.try_send(Msg::Command(CommandReport::Progress { done, total }));
                });
                let report = CommandReport::Done(result.map(CommandOutcome::Exported));
                let _ = tx.blocking_send(Msg::Command(report));
            });
        }
    }
}
