//! The queue pane's work as commands: peek and export (receives that take nothing) and the
//! mutations (selective redrive, native move task, cancelling it). Each says in one line what
//! it does; the redrives are bulk, so the confirm dialog wants the DLQ's name typed. They run
//! on the executor with the same code as `unstuck dlq ...`.

use std::path::PathBuf;

use serde_json::json;
use unstuck_aws::api::Backends;
use unstuck_aws::model::queues::QueueMessage;

use super::audit_log::{AuditLog, AuditSession};
use super::mutation::begin_audit;
use crate::queues::{Destination, Journal, MessageFilter, RedriveOptions, redrive, resolve};

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
        url: String,
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

    fn url(&self) -> String {
        match self {
            QueueCommand::Peek { url, .. }
            | QueueCommand::Export { url, .. }
            | QueueCommand::Redrive { url, .. } => url.clone(),
            QueueCommand::MoveTask { arn, .. } => arn.clone(),
            QueueCommand::CancelMoveTask { name, .. } => name.clone(),
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
        let url = self.url();
        let summary = self.summary();
        let clean = |e: String| unstuck_aws::untrusted_text::sanitize_line(&e).into_owned();
        let queues = backends.queues.as_ref();
        match self {
            QueueCommand::Peek { url, .. } => {
                let result = async {
                    let queue = resolve(queues, &url).await.map_err(|e| e.to_string())?;
                    let mut messages = Vec::new();
                    crate::queues::read_messages(
                        queues,
                        &queue,
                        PEEK_MAX,
                        PEEK_VISIBILITY_S,
                        &MessageFilter::default(),
                        |m| {
                            messages.push(m.clone());
                            Ok(())
                        },
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                    Ok(messages)
                }
                .await;
                QueueReport::Peeked {
                    url,
                    result: result.map_err(clean),
                }
            }
            QueueCommand::Export {
                url,
                name,
                path,
                filter,
            } => {
                let result = async {
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
                .await;
                QueueReport::Finished {
                    url,
                    result: result.map_err(clean),
                }
            }
            QueueCommand::Redrive {
                url,
                name,
                to,
                filter,
                ..
            } => {
                let result = async {
                    let ops = backends.queues_ops.as_deref().ok_or("read-only: changes are off")?;
                    let filter = MessageFilter::parse_typed(&filter)?;
                    let dlq = resolve(queues, &url).await.map_err(|e| e.to_string())?;
                    let destination = Destination::choose(queues, &dlq, to.as_deref()).await?;
                    let path = crate::queues_command::default_journal_path(&dlq, &destination, &filter)
                        .ok_or("no state directory for the journal (set UNSTUCK_STATE_DIR)")?;
                    let run = json!({ "dlq": dlq.url, "to": destination.key(), "filter": filter.key() });
                    let journal = Journal::open(&path, &run).map_err(|e| format!("the journal {}: {e}", path.display()))?;
                    let parameters = json!({ "queueArn": dlq.arn(), "destination": destination.describe(), "filter": filter.describe() });
                    let trail = begin_audit(audit.as_ref(), &session, backends.clock.as_ref(), "SelectiveRedrive", summary.clone(), parameters)
                        .map_err(|e| e.to_string())?;
                    let options = RedriveOptions { filter, rate: None, dry_run: false, visibility_s: 60, workers: 8 };
                    let total = dlq.attributes.depth();
                    let progress = |c: &crate::queues::RedriveCounts| {
                        report(QueueReport::Progress { name: name.clone(), done: c.seen, total });
                    };
                    let out = redrive(queues, Some(ops), &dlq, &destination, &options, Some(journal), backends.clock.as_ref(), &progress).await;
                    match out {
                        Ok(r) => {
                            trail.finish(Ok(()), Some(r.to_json()));
                            let c = &r.counts;
                            Ok(format!(
                                "{name}: {} moved to {}, {} left (not chosen), {} skipped, {} failed",
                                c.moved + c.resumed, destination.describe(), c.seen - c.selected, c.skipped, c.failed
                            ))
                        }
                        Err(e) => {
                            trail.finish(Err(e.to_string()), None);
                            Err(e.to_string())
                        }
                    }
                }
                .await;
                QueueReport::Finished {
                    url,
                    result: result.map_err(clean),
                }
            }
            QueueCommand::MoveTask {
                arn, name, to_arn, ..
            } => {
                let result = async {
                    let ops = backends
                        .queues_ops
                        .as_deref()
                        .ok_or("read-only: changes are off")?;
                    let trail = begin_audit(
                        audit.as_ref(),
                        &session,
                        backends.clock.as_ref(),
                        "StartMessageMoveTask",
                        summary.clone(),
                        json!({ "sourceArn": arn, "destinationArn": to_arn }),
                    )
                    .map_err(|e| e.to_string())?;
                    match ops.start_move_task(&arn, to_arn.as_deref(), None).await {
                        Ok(_) => {
                            trail.finish(Ok(()), None);
                            Ok(format!("{name}: move task started"))
                        }
                        Err(e) => {
                            trail.finish(Err(e.to_string()), None);
                            Err(e.to_string())
                        }
                    }
                }
                .await;
                QueueReport::Finished {
                    url,
                    result: result.map_err(clean),
                }
            }
            QueueCommand::CancelMoveTask { name, handle } => {
                let result = async {
                    let ops = backends
                        .queues_ops
                        .as_deref()
                        .ok_or("read-only: changes are off")?;
                    let trail = begin_audit(
                        audit.as_ref(),
                        &session,
                        backends.clock.as_ref(),
                        "CancelMessageMoveTask",
                        summary.clone(),
                        json!({ "queue": name }),
                    )
                    .map_err(|e| e.to_string())?;
                    match ops.cancel_move_task(&handle).await {
                        Ok(moved) => {
                            trail.finish(Ok(()), Some(json!({ "moved": moved })));
                            Ok(format!("{name}: move task cancelled after {moved} moved"))
                        }
                        Err(e) => {
                            trail.finish(Err(e.to_string()), None);
                            Err(e.to_string())
                        }
                    }
                }
                .await;
                QueueReport::Finished {
                    url,
                    result: result.map_err(clean),
                }
            }
        }
    }
}
