//! The command executor: runs a [`Command`] off the UI loop and reports back through the
//! app channel (progress while it runs, then done). File work runs on a blocking thread.

use tokio::sync::mpsc::Sender;

use crate::commands::{Command, CommandOutcome, CommandReport, write_export};
use crate::state::Msg;

pub fn spawn(command: Command, tx: Sender<Msg>) {
    match command {
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
