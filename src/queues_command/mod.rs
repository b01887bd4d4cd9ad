//! `unstuck queues` and `unstuck dlq peek|export|redrive|cancel-move`: the queue work for
//! runbooks and scripts, with the headless contract (`--output text|json`; exit 0, 1 on an
//! AWS or input error, 2 on bad usage, 3 refused by `--read-only`; a mutation needs `--yes`
//! when stdin is not a terminal). Peek and export are receives, not mutations: they work
//! read-only, and say what a receive does.

mod move_task;
mod redrive;

use serde_json::json;
use unstuck_aws::api::{Backends, Unpaced, queue_table};
use unstuck_aws::model::queues::{QueueMessage, QueueSummary, queue_name_of};
use unstuck_aws::untrusted_text::sanitize_line;

use crate::cli::OutputFormat;
use crate::cli_queues::{DlqAction, DlqExportArgs, DlqPeekArgs, MessageSelection, QueuesArgs};
use crate::executions_command::render::{print, rfc3339};
use crate::exit::Refusal;
use crate::queues::{
    MessageFilter, QueueTarget, ReadError, export, message_json, read_messages, receive_warning,
    resolve,
};
use crate::state::shared::thousands::progress;

pub use redrive::run_redrive;

/// DLQs holding messages first, then the rest by name.
pub fn table_order(rows: &mut [QueueSummary]) {
    rows.sort_by(|a, b| {
        let key = |r: &QueueSummary| {
            (
                !(r.is_dlq() && r.attributes.depth() > 0),
                r.queue.name.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

pub async fn run_queues(backends: Backends, args: &QueuesArgs) -> anyhow::Result<()> {
    let mut rows = queue_table(&backends, &Unpaced).await?;
    table_order(&mut rows);
    let ages = oldest_ages_of(&backends, &rows).await;
    let age_of = |r: &QueueSummary| {
        ages.get(&r.queue.name)
            .copied()
            .filter(|_| r.attributes.depth() > 0)
    };
    let name_of = |arn: &str| sanitize_line(queue_name_of(arn)).into_owned();
    let out = match args.output {
        OutputFormat::Json => rows
            .iter()
            .map(|r| {
                json!({
                    "name": r.queue.name,
                    "url": sanitize_line(&r.queue.url),
                    "arn": r.attributes.arn,
                    "fifo": r.attributes.fifo,
                    "visible": r.attributes.visible,
                    "in_flight": r.attributes.in_flight,
                    "delayed": r.attributes.delayed,
                    "oldest_age_s": age_of(r),
                    "dlq": r.dlq_arn(),
                    "max_receive_count": r.attributes.redrive_policy.as_ref().map(|p| p.max_receive_count),
                    "sources": r.sources,
                })
                .to_string()
                    + "\n"
            })
            .collect::<String>(),
        OutputFormat::Text => {
            let mut out = format!(
                "{:<44} {:<5} {:>8} {:>9} {:>7} {:>8}  {}\n",
                "QUEUE", "TYPE", "VISIBLE", "IN FLIGHT", "DELAYED", "OLDEST", "DLQ / DLQ OF"
            );
            for r in &rows {
                let link = match (r.dlq_arn(), r.is_dlq()) {
                    (_, true) => format!(
                        "DLQ of {}",
                        r.sources.iter().map(|s| name_of(s)).collect::<Vec<_>>().join(", ")
                    ),
                    (Some(dlq), false) => format!("-> {}", name_of(dlq)),
                    (None, false) => String::new(),
                };
                out.push_str(&format!(
                    "{:<44} {:<5} {:>8} {:>9} {:>7} {:>8}  {}\n",
                    r.queue.name,
                    if r.attributes.fifo { "fifo" } else { "std" },
                    r.attributes.visible,
                    r.attributes.in_flight,
                    r.attributes.delayed,
                    age_of(r)
                        .map(|s| crate::state::shared::durations::short_duration((s * 1000.0) as i64))
                        .unwrap_or_default(),
                    link
                ));
            }
            out
        }
    };
    print(&out)
}

/// The age of the oldest message of each queue holding messages (CloudWatch), or none with
/// a note on stderr when it cannot be read (an emulator without CloudWatch).
async fn oldest_ages_of(
    backends: &Backends,
    rows: &[QueueSummary],
) -> std::collections::BTreeMap<String, f64> {
    let names: Vec<String> = rows
        .iter()
        .filter(|r| r.attributes.depth() > 0)
        .map(|r| r.queue.name.clone())
        .collect();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        unstuck_aws::api::oldest_ages(backends, &names, &Unpaced),
    )
    .await;
    match read {
        Ok(Ok(ages)) => ages,
        Ok(Err(e)) => {
            eprintln!(
                "age of the oldest message not read (CloudWatch): {}",
                sanitize_line(&e.to_string())
            );
            Default::default()
        }
        Err(_) => {
            eprintln!("age of the oldest message not read (CloudWatch): no answer within 60 s");
            Default::default()
        }
    }
}

pub async fn run_dlq(backends: Backends, action: &DlqAction) -> anyhow::Result<()> {
    match action {
        DlqAction::Peek(args) => run_peek(backends, args).await,
        DlqAction::Export(args) => run_export(backends, args).await,
        DlqAction::Redrive(args) => run_redrive(backends, args).await,
        DlqAction::CancelMove(args) => move_task::run_cancel(backends, args).await,
    }
}

pub fn filter_of(selection: &MessageSelection) -> anyhow::Result<MessageFilter> {
    MessageFilter::parse(selection.grep.as_deref(), &selection.attributes)
        .map_err(|e| Refusal::input(e).into())
}

pub async fn target(backends: &Backends, spec: &str) -> anyhow::Result<QueueTarget> {
    resolve(backends.queues.as_ref(), spec)
        .await
        .map_err(|e| Refusal::input(format!("queue {}: {e}", sanitize_line(spec))).into())
}

fn read_failed(e: ReadError) -> anyhow::Error {
    Refusal::input(e.to_string()).into()
}

/// One message for the terminal: every text sanitised.
pub fn message_text(m: &QueueMessage) -> String {
    let mut out = format!("── {}", m.message_id);
    if let Some(sent) = m.sent_ms() {
        out.push_str(&format!("  sent {}", rfc3339(sent)));
    }
    if let Some(count) = m.receive_count() {
        out.push_str(&format!("  received {count}×"));
    }
    if let Some(source) = m.source_arn() {
        out.push_str(&format!("  from {}", sanitize_line(queue_name_of(source))));
    }
    if let Some(group) = m.group_id() {
        out.push_str(&format!("  group {}", sanitize_line(group)));
    }
    out.push('\n');
    for (name, a) in &m.message_attributes {
        out.push_str(&format!("   @{name} = {}\n", a.shown));
    }
    out.push_str(&crate::state::shared::json_value::pretty_json(
        &m.body_shown,
    ));
    out.push('\n');
    out
}

async fn run_peek(backends: Backends, args: &DlqPeekArgs) -> anyhow::Result<()> {
    let filter = filter_of(&args.selection)?;
    let queue = target(&backends, &args.queue).await?;
    eprintln!("{}: {}", queue.name, receive_warning(args.visibility));
    let mut messages = Vec::new();
    let max = usize::try_from(args.max).unwrap_or(usize::MAX);
    let summary = read_messages(
        backends.queues.as_ref(),
        &queue,
        max,
        args.visibility,
        &filter,
        |m| {
            messages.push(m.clone());
            Ok(())
        },
    )
    .await
    .map_err(read_failed)?;
    let out = match args.output {
        OutputFormat::Json => messages
            .iter()
            .map(|m| message_json(m).to_string() + "\n")
            .collect::<String>(),
        OutputFormat::Text => {
            let mut out: String = messages.iter().map(message_text).collect();
            out.push_str(&format!(
                "{} read, {} shown (of about {} in {})\n",
                summary.read,
                summary.taken,
                queue.attributes.depth(),
                queue.name
            ));
            out
        }
    };
    print(&out)
}

async fn run_export(backends: Backends, args: &DlqExportArgs) -> anyhow::Result<()> {
    let filter = filter_of(&args.selection)?;
    let queue = target(&backends, &args.queue).await?;
    eprintln!("{}: {}", queue.name, receive_warning(args.visibility));
    let total = usize::try_from(queue.attributes.depth()).unwrap_or(usize::MAX);
    let mut written = 0usize;
    let summary = export(
        backends.queues.as_ref(),
        &queue,
        &args.file,
        &filter,
        args.visibility,
        |n| {
            written += n;
            if written.is_multiple_of(100) {
                eprint!("\r{}", progress(written, total, "messages"));
            }
        },
    )
    .await
    .map_err(read_failed)?;
    eprintln!("\r{}", progress(written, total.max(written), "messages"));
    let out = match args.output {
        OutputFormat::Json => {
            json!({
                "queue": queue.name, "file": args.file.display().to_string(),
                "read": summary.read, "written": summary.taken, "deleted": 0,
            })
            .to_string()
                + "\n"
        }
        OutputFormat::Text => format!(
            "{} of {} messages of {} written to {} (nothing deleted)\n",
            summary.taken,
            summary.read,
            queue.name,
            args.file.display()
        ),
    };
    print(&out)
}
