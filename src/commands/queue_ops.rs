//! The queue pane's work as commands: peek and export (receives that take nothing) and the
//! mutations (selective redrive, native move task, cancelling it). Each says in one line what
//! it does; the redrives are bulk, so the confirm dialog wants the DLQ's name typed. They run
//! on the executor with the same code as `unstuck dlq ...`.

use std::path::PathBuf;

use unstuck_aws::api::Backends;
use unstuck_aws::model::queues::QueueMessage;

use super::audit_log::{AuditLog, AuditSession};
use super::queue_runs::{AuditPlace, cancel_move_task, selective_redrive, start_move_task};
use crate::queues::{
    Destination, MessageFilter, RedriveCounts, RedriveOptions, journal_for, resolve,
};

/// Messages a peek reads at most.
pub const PEEK_MAX: usize = 100;
/// How long a peek or export hides what it read at most (shown again when it ends).
pub const PEEK_VISIBILITY_S: u32 = 30;

#[derive(Debug, Clone, PartialEq)]
pub enum QueueCommand {
    Peek {
        url: String,
        name: String,
    },
    Export {
        url: String,
        name: String,
        path: PathBuf,
        filter: String,
    },
    /// Selective redrive: the messages the filter takes, to their source (or `to`).
    Redrive {
        url: String,
        name: String,
        to: Option<String>,
        filter: String,
        about: u64,
    },
    /// StartMessageMoveTask.
    MoveTask {
        arn: String,
        name: String,
        to_arn: Option<String>,
        about: u64,
    },
    CancelMoveTask {
        arn: String,
        name: String,
        handle: String,
    },
}

/// What a queue command reports back to the pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueReport {
    Peeked {
        url: String,
        result: Result<Vec<QueueMessage>, String>,
    },
    Progress {
        name: String,
        done: u64,
        total: u64,
    },
    Finished {
        result: Result<String, String>,
    },
}

impl QueueCommand {
    pub fn summary(&self) -> String {
        match self {
            QueueCommand::Peek { name, .. } => format!("Peek at {name}"),
            QueueCommand::Export { name, path, .. } => {
                format!("Export {name} to {}", path.display())
            }
            QueueCommand::Redrive {
                name,
                to,
                filter,
                about,
                ..
            } => {
                let which = if filter.is_empty() {
                    String::new()
                } else {
                    format!(" matching {filter}")
                };
                let to = to.as_deref().map_or("their source queue", |t| {
                    unstuck_aws::model::queues::queue_name_of(t)
                });
                format!("Move the messages{which} of {name} (about {about}) -> {to}")
            }
            QueueCommand::MoveTask {
                name,
                to_arn,
                about,
                ..
            } => format!(
                "Move {about} messages {name} -> {} (SQS message move task)",
                to_arn.as_deref().map_or(
                    "their source queues",
                    unstuck_aws::model::queues::queue_name_of
                )
            ),
            QueueCommand::CancelMoveTask { name, .. } => format!("Cancel the move task of {name}"),
        }
    }

    pub fn mutates_aws(&self) -> bool {
        !matches!(
            self,
            QueueCommand::Peek { .. } | QueueCommand::Export { .. }
        )
    }

    /// Bulk moves want the queue's name typed before they go.
    pub fn typed_name(&self) -> Option<String> {
        match self {
            QueueCommand::Redrive { name, .. } | QueueCommand::MoveTask { name, .. } => {
                Some(name.clone())
            }
            _ => None,
        }
    }

    /// Run it; `report` gets its progress; the outcome is returned.
    pub async fn run(
        self,
        backends: Backends,
        audit: Option<AuditLog>,
        session: AuditSession,
        report: impl Fn(QueueReport) + Send + Sync,
    ) -> QueueReport {
        let summary = self.summary();
        let place = AuditPlace {
            audit: audit.as_ref(),
            session: &session,
            clock: backends.clock.as_ref(),
        };
        let queues = backends.queues.as_ref();
        let result = match self {
            QueueCommand::Peek { url, .. } => {
                let read = async {
                    let queue = resolve(queues, &url).await.map_err(|e| e.to_string())?;
                    let mut messages = Vec::new();
                    let all = MessageFilter::default();
                    crate::queues::read_messages(
                        queues,
                        &queue,
                        PEEK_MAX,
                        PEEK_VISIBILITY_S,
                        &all,
                        |m| {
                            messages.push(m.clone());
                            Ok(())
                        },
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                    Ok(messages)
                };
                let result = read.await.map_err(|e: String| clean(&e));
                return QueueReport::Peeked { url, result };
            }
            QueueCommand::Export {
                url,
                name,
                path,
                filter,
            } => {
                async {
                    let filter = MessageFilter::parse_typed(&filter)?;
                    let queue = resolve(queues, &url).await.map_err(|e| e.to_string())?;
                    let total = queue.attributes.depth();
                    let mut done = 0;
                    let s = crate::queues::export(queues, &queue, &path, &filter, 120, |n| {
                        done += n as u64;
                        report(QueueReport::Progress {
                            name: name.clone(),
                            done,
                            total,
                        });
                    })
                    .await
                    .map_err(|e| e.to_string())?;
                    Ok(format!(
                        "{} messages of {name} written to {} (nothing deleted)",
                        s.taken,
                        path.display()
                    ))
                }
                .await
            }
            QueueCommand::Redrive {
                url,
                name,
                to,
                filter,
                ..
            } => {
                async {
                    let filter = MessageFilter::parse_typed(&filter)?;
                    let dlq = resolve(queues, &url).await.map_err(|e| e.to_string())?;
                    let destination = Destination::choose(queues, &dlq, to.as_deref()).await?;
                    let journal = journal_for(&dlq, &destination, &filter, None)?;
                    let options = RedriveOptions {
                        filter,
                        rate: None,
                        dry_run: false,
                        visibility_s: 60,
                        workers: 8,
                    };
                    let total = dlq.attributes.depth();
                    let progress = |c: &RedriveCounts| {
                        report(QueueReport::Progress {
                            name: name.clone(),
                            done: c.seen,
                            total,
                        });
                    };
                    let r = selective_redrive(
                        &backends,
                        &dlq,
                        &destination,
                        &options,
                        journal,
                        &summary,
                        place,
                        &progress,
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                    let c = &r.counts;
                    Ok(format!(
                        "{name}: {} moved to {}, {} left (not chosen), {} skipped, {} failed",
                        c.moved + c.resumed,
                        destination.describe(),
                        c.seen - c.selected,
                        c.skipped,
                        c.failed
                    ))
                }
                .await
            }
            QueueCommand::MoveTask {
                arn, name, to_arn, ..
            } => start_move_task(&backends, &arn, to_arn.as_deref(), None, &summary, place)
                .await
                .map(|_| format!("{name}: move task started")),
            QueueCommand::CancelMoveTask { arn, name, handle } => {
                cancel_move_task(&backends, &arn, &handle, &summary, place)
                    .await
                    .map(|moved| format!("{name}: move task cancelled after {moved} moved"))
            }
        };
        QueueReport::Finished {
            result: result.map_err(|e| clean(&e)),
        }
    }
}

fn clean(e: &str) -> String {
    unstuck_aws::untrusted_text::sanitize_line(e).into_owned()
}
