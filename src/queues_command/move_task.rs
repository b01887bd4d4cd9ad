//! `unstuck dlq redrive --native` (an SQS message move task, followed to its end for a
//! bounded time) and `unstuck dlq cancel-move`. Refused by `--read-only` before any call,
//! asked first (the queue's name typed for the move), audited.

use std::time::Duration;

use serde_json::json;
use unstuck_aws::api::Backends;
use unstuck_aws::model::queues::{MAX_MOVE_RATE, MoveTask};

use super::redrive::{refuse_read_only, thousands};
use super::target;
use crate::cli::OutputFormat;
use crate::cli_queues::{DlqCancelArgs, DlqRedriveArgs};
use crate::commands::{AuditLog, AuditPlace, audit_session, cancel_move_task, start_move_task};
use crate::executions_command::render::print;
use crate::exit::{Refusal, confirm_mutation};
use crate::queues::{QueueTarget, native_refusal};

pub(super) async fn run_native(backends: Backends, args: &DlqRedriveArgs) -> anyhow::Result<()> {
    refuse_read_only(&backends, &format!("start a move task on {}", args.queue))?;
    let rate = match args.rate {
        Some(r) if r.fract() != 0.0 || r < 1.0 || r > f64::from(MAX_MOVE_RATE) => {
            return Err(Refusal::input(format!(
                "--rate {r}: a move task takes 1 to {MAX_MOVE_RATE} messages per second"
            ))
            .into());
        }
        Some(r) => Some(r as u32),
        None => None,
    };
    let dlq = target(&backends, &args.queue).await?;
    let to = match &args.to {
        Some(spec) => Some(target(&backends, spec).await?),
        None => None,
    };
    let sources = backends
        .queues
        .dead_letter_sources(&dlq.url)
        .await
        .map_err(|e| Refusal::input(e.to_string()))?;
    let tasks = backends
        .queues
        .list_move_tasks(dlq.arn())
        .await
        .map_err(|e| Refusal::input(format!("move tasks of {}: {e}", dlq.name)))?;
    let active = tasks.iter().find(|t| t.is_active());
    // The tasks there before ours: SQS lists a task's handle only while it runs, so once
    // ended ours is the one that was not there before.
    let earlier: Vec<Option<i64>> = tasks.iter().map(|t| t.started_ms).collect();
    if let Some(why) = native_refusal(&dlq, sources.len(), to.as_ref(), active) {
        return Err(Refusal::input(why).into());
    }
    let dest = to
        .as_ref()
        .map_or_else(|| "their source queues".to_string(), |t| t.name.clone());
    let summary = format!(
        "Move {} messages {} -> {dest}{} (SQS message move task)",
        thousands(dlq.attributes.visible),
        dlq.name,
        rate.map(|r| format!(" at {r} msg/s")).unwrap_or_default()
    );
    confirm_mutation(&summary, args.yes, Some(&dlq.name))?;
    let session = audit_session(&backends).await;
    let audit = AuditLog::in_state_dir();
    let place = AuditPlace {
        audit: audit.as_ref(),
        session: &session,
        clock: backends.clock.as_ref(),
    };
    let to_arn = to.as_ref().map(QueueTarget::arn);
    let handle = start_move_task(&backends, dlq.arn(), to_arn, rate, &summary, place)
        .await
        .map_err(|e| Refusal::input(format!("{summary}: {e}")))?;
    // Follow it, for a bounded time: long enough for the whole queue at its rate.
    let per_second = f64::from(rate.unwrap_or(MAX_MOVE_RATE));
    let bound = Duration::from_secs_f64(60.0 + 3.0 * dlq.attributes.visible as f64 / per_second);
    let started = tokio::time::Instant::now();
    let mut last: Option<MoveTask> = None;
    while started.elapsed() < bound {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let tasks = backends
            .queues
            .list_move_tasks(dlq.arn())
            .await
            .unwrap_or_default();
        let task = tasks.into_iter().find(|t| {
            t.task_handle.as_deref() == Some(handle.as_str())
                || t.is_active()
                || !earlier.contains(&t.started_ms)
        });
        if let Some(task) = &task {
            if args.output == OutputFormat::Text {
                eprint!(
                    "\r{}: {} of {} moved",
                    task.status,
                    task.moved,
                    task.to_move.map_or("?".into(), |n| n.to_string())
                );
            }
            if !task.is_active() {
                last = Some(task.clone());
                break;
            }
        }
        last = task;
    }
    eprintln!();
    let out = match (&last, args.output) {
        (Some(t), OutputFormat::Json) => {
            json!({
                "summary": true, "native": true, "status": t.status, "moved": t.moved,
                "selected": t.to_move, "skipped": 0, "failed": u64::from(t.status == "FAILED"),
                "failure_reason": t.failure_reason,
            })
            .to_string()
                + "\n"
        }
        (Some(t), OutputFormat::Text) => format!(
            "{summary}: {} ({} moved{})\n",
            t.status,
            t.moved,
            t.failure_reason
                .as_deref()
                .map(|r| format!("; {r}"))
                .unwrap_or_default()
        ),
        (None, OutputFormat::Json) => {
            json!({
                "summary": true, "native": true, "status": null, "moved": null,
                "selected": dlq.attributes.visible, "skipped": 0, "failed": 0,
                "failure_reason": null,
                "note": "started; its progress could not be read",
            })
            .to_string()
                + "\n"
        }
        (None, OutputFormat::Text) => {
            format!("{summary}: started; its progress could not be read\n")
        }
    };
    print(&out)?;
    match last {
        Some(t) if t.status == "FAILED" => Err(Refusal::input(format!(
            "the move task failed: {}",
            t.failure_reason.unwrap_or_default()
        ))
        .into()),
        _ => Ok(()),
    }
}

pub async fn run_cancel(backends: Backends, args: &DlqCancelArgs) -> anyhow::Result<()> {
    refuse_read_only(
        &backends,
        &format!("cancel the move task of {}", args.queue),
    )?;
    let dlq = target(&backends, &args.queue).await?;
    let tasks = backends
        .queues
        .list_move_tasks(dlq.arn())
        .await
        .map_err(|e| Refusal::input(e.to_string()))?;
    let Some(task) = tasks.iter().find(|t| t.status == "RUNNING") else {
        return Err(Refusal::input(format!("{} has no running move task", dlq.name)).into());
    };
    let summary = format!(
        "Cancel the move task of {} ({} moved so far)",
        dlq.name, task.moved
    );
    confirm_mutation(&summary, args.yes, None)?;
    let session = audit_session(&backends).await;
    let audit = AuditLog::in_state_dir();
    let place = AuditPlace {
        audit: audit.as_ref(),
        session: &session,
        clock: backends.clock.as_ref(),
    };
    let handle = task.task_handle.clone().unwrap_or_default();
    let moved = cancel_move_task(&backends, dlq.arn(), &handle, &summary, place)
        .await
        .map_err(|e| Refusal::input(format!("{summary}: {e}")))?;
    let out = match args.output {
        OutputFormat::Json => {
            json!({ "queue": dlq.name, "cancelled": true, "moved": moved }).to_string() + "\n"
        }
        OutputFormat::Text => format!("{summary}: cancelled after {moved} moved\n"),
    };
    print(&out)
}
