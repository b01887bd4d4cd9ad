//! `unstuck dlq redrive` (selective, or `--native` with a message move task) and
//! `unstuck dlq cancel-move`. Each mutation is refused by `--read-only` before any call,
//! asks first on a terminal (a bulk move: type the queue's name), needs `--yes` otherwise,
//! and goes to the audit log with its counts. A dry run changes nothing and needs neither.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use unstuck_aws::api::Backends;
use unstuck_aws::model::queues::{MAX_MOVE_RATE, MoveTask};

use super::{filter_of, target};
use crate::cli::OutputFormat;
use crate::cli_queues::{DlqCancelArgs, DlqRedriveArgs};
use crate::commands::{AuditLog, AuditSession, begin_audit, state_dir};
use crate::executions_command::render::print;
use crate::exit::Refusal;
use crate::queues::{
    Destination, Journal, MessageFilter, QueueTarget, RedriveError, RedriveOptions, check_types,
    redrive,
};

/// One journal per DLQ, destination and filter, so re-running the same command continues.
pub fn default_journal_path(
    dlq: &QueueTarget,
    destination: &Destination,
    filter: &MessageFilter,
) -> Option<PathBuf> {
    let key = format!(
        "{}\u{1f}{}\u{1f}{}",
        dlq.url,
        destination.key(),
        filter.key()
    );
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let name: String = dlq
        .name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    Some(
        state_dir()?
            .join("redrive")
            .join(format!("{name}-{hash:016x}.jsonl")),
    )
}

fn refuse_read_only(backends: &Backends, what: &str) -> anyhow::Result<()> {
    if backends.queues_ops.is_none() {
        return Err(Refusal::read_only(format!(
            "read-only: refused to {what} (drop --read-only, or read_only in config.toml)"
        ))
        .into());
    }
    Ok(())
}

/// Ask on the terminal (a bulk move: the queue's name typed), or require `--yes`.
fn confirm(summary: &str, yes: bool, type_name: Option<&str>) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Refusal::usage(format!(
            "{summary}: not done; stdin is not a terminal, so add --yes to do it without asking"
        ))
        .into());
    }
    let mut err = std::io::stderr().lock();
    match type_name {
        Some(name) => write!(
            err,
            "{summary}\nType the queue's name ({name}) to go ahead: "
        )?,
        None => write!(err, "{summary}? [y/N] ")?,
    }
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    let answer = answer.trim();
    let ok = match type_name {
        Some(name) => answer == name,
        None => matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"),
    };
    if ok {
        Ok(())
    } else {
        Err(Refusal::input(format!("{summary}: cancelled")).into())
    }
}

async fn session(backends: &Backends) -> AuditSession {
    AuditSession {
        profile: backends.label.profile.clone(),
        region: backends.label.region.clone(),
        account: backends
            .session
            .identity()
            .await
            .ok()
            .and_then(|i| i.account),
    }
}

fn thousands(n: u64) -> String {
    crate::state::shared::thousands::thousands(usize::try_from(n).unwrap_or(usize::MAX))
}

pub async fn run_redrive(backends: Backends, args: &DlqRedriveArgs) -> anyhow::Result<()> {
    if args.native {
        return run_native(backends, args).await;
    }
    let filter = filter_of(&args.selection)?;
    if !args.dry_run {
        refuse_read_only(&backends, &format!("redrive {}", args.queue))?;
    }
    let dlq = target(&backends, &args.queue).await?;
    let destination = Destination::choose(backends.queues.as_ref(), &dlq, args.to.as_deref())
        .await
        .map_err(Refusal::input)?;
    let about = dlq.attributes.visible + dlq.attributes.in_flight;
    let which = if filter.is_all() {
        String::new()
    } else {
        format!(" matching {}", filter.describe())
    };
    let rate = args
        .rate
        .map(|r| format!(" at {r} msg/s"))
        .unwrap_or_default();
    let summary = format!(
        "Move {} messages{which} {} -> {}{rate}",
        if filter.is_all() {
            thousands(about)
        } else {
            format!("those of about {}", thousands(about))
        },
        dlq.name,
        destination.describe()
    );
    let options = RedriveOptions {
        filter: filter.clone(),
        rate: args.rate,
        dry_run: args.dry_run,
        visibility_s: args.visibility,
        workers: usize::try_from(args.workers).unwrap_or(8),
    };
    let text = args.output == OutputFormat::Text && std::io::stderr().is_terminal();
    let progress = |c: &crate::queues::RedriveCounts| {
        if text {
            eprint!(
                "\r{} seen, {} moved, {} skipped, {} failed",
                c.seen,
                c.moved + c.resumed,
                c.skipped,
                c.failed
            );
        }
    };
    if args.dry_run {
        eprintln!(
            "dry run: {summary} (nothing is sent or deleted; messages are received and shown again)"
        );
        let report = redrive(
            backends.queues.as_ref(),
            None,
            &dlq,
            &destination,
            &options,
            None,
            backends.clock.as_ref(),
            &progress,
        )
        .await
        .map_err(|e| Refusal::input(e.to_string()))?;
        if text {
            eprintln!();
        }
        return print_report(&report, args.output, &summary);
    }
    confirm(&summary, args.yes, Some(&dlq.name))?;
    let journal_path = match &args.journal {
        Some(path) => path.clone(),
        None => default_journal_path(&dlq, &destination, &filter).ok_or_else(|| {
            Refusal::input("no state directory for the journal: give --journal PATH")
        })?,
    };
    let run_json = json!({ "dlq": dlq.url, "to": destination.key(), "filter": filter.key() });
    let journal = Journal::open(&journal_path, &run_json)
        .map_err(|e| Refusal::input(format!("the journal {}: {e}", journal_path.display())))?;
    if journal.resumed_lines > 0 {
        eprintln!("resuming the run journalled in {}", journal_path.display());
    }
    let audit_session = session(&backends).await;
    let audit = AuditLog::in_state_dir();
    let parameters = json!({
        "queueArn": dlq.arn(), "destination": destination.describe(), "filter": filter.describe(),
        "rate": args.rate, "journal": journal_path.display().to_string(),
    });
    let trail = begin_audit(
        audit.as_ref(),
        &audit_session,
        backends.clock.as_ref(),
        "SelectiveRedrive",
        summary.clone(),
        parameters,
    )?;
    let ops = backends.queues_ops.as_deref();
    let result = redrive(
        backends.queues.as_ref(),
        ops,
        &dlq,
        &destination,
        &options,
        Some(journal),
        backends.clock.as_ref(),
        &progress,
    )
    .await;
    if text {
        eprintln!();
    }
    match result {
        Ok(report) => {
            trail.finish(Ok(()), Some(report.to_json()));
            print_report(&report, args.output, &summary)?;
            let left = report.counts.skipped + report.counts.failed + report.counts.undeleted;
            if left > 0 {
                return Err(Refusal::input(format!(
                    "{left} selected messages were not moved (still in {}); see the reasons above",
                    dlq.name
                ))
                .into());
            }
            Ok(())
        }
        Err(RedriveError::Stopped { reason, report }) => {
            trail.finish(Err(reason.clone()), Some(report.to_json()));
            print_report(&report, args.output, &summary)?;
            Err(Refusal::input(format!(
                "stopped: {reason}; nothing was lost: what was not sent is still in {} (re-run to continue)",
                dlq.name
            ))
            .into())
        }
        Err(e) => {
            trail.finish(Err(e.to_string()), None);
            Err(Refusal::input(e.to_string()).into())
        }
    }
}

fn print_report(
    report: &crate::queues::RedriveReport,
    output: OutputFormat,
    summary: &str,
) -> anyhow::Result<()> {
    let out = match output {
        OutputFormat::Json => report.to_json().to_string() + "\n",
        OutputFormat::Text => {
            let c = &report.counts;
            let verb = if report.dry_run {
                "would move"
            } else {
                "moved"
            };
            let mut out = format!(
                "{summary}: {} seen, {} selected, {verb} {}, {} skipped, {} failed in {:.1} s\n",
                c.seen,
                c.selected,
                c.moved + c.resumed,
                c.skipped,
                c.failed,
                report.seconds
            );
            for (queue, n) in &report.by_destination {
                out.push_str(&format!("  -> {queue}: {n}\n"));
            }
            for (why, n) in &report.skip_reasons {
                out.push_str(&format!("  skipped {n}: {why}\n"));
            }
            for failure in &report.failures {
                out.push_str(&format!("  failed: {failure}\n"));
            }
            if c.resumed > 0 {
                out.push_str(&format!(
                    "  {} sent by the earlier run, deleted now\n",
                    c.resumed
                ));
            }
            if report.left_in_flight > 0 {
                out.push_str(&format!(
                    "  {} messages were in flight elsewhere and not seen\n",
                    report.left_in_flight
                ));
            }
            out
        }
    };
    print(&out)
}

/// The same check for a row of the queue table (the TUI knows its sources and tasks).
pub fn native_refusal_of(
    q: &unstuck_aws::model::queues::QueueSummary,
    active: Option<&MoveTask>,
) -> Option<String> {
    let dlq = QueueTarget {
        name: q.queue.name.clone(),
        url: q.queue.url.clone(),
        attributes: q.attributes.clone(),
    };
    let tasks: Vec<MoveTask> = active.into_iter().cloned().collect();
    native_refusal(&dlq, q.sources.len(), None, &tasks)
}

/// Why SQS cannot move this DLQ's messages itself, if it cannot.
pub fn native_refusal(
    dlq: &QueueTarget,
    sources: usize,
    to: Option<&QueueTarget>,
    tasks: &[MoveTask],
) -> Option<String> {
    if let Some(active) = tasks.iter().find(|t| t.is_active()) {
        return Some(format!(
            "a move task of {} is already {} ({} moved): wait for it or cancel it (unstuck dlq cancel-move)",
            dlq.name, active.status, active.moved
        ));
    }
    match to {
        Some(to) => check_types(dlq, to).err(),
        None if sources == 0 => Some(format!(
            "no queue names {} as its DLQ: it is fed by Lambda, SNS or EventBridge, whose messages \
             SQS cannot move back; use a selective redrive with --to",
            dlq.name
        )),
        None => None,
    }
}

async fn run_native(backends: Backends, args: &DlqRedriveArgs) -> anyhow::Result<()> {
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
    if let Some(why) = native_refusal(&dlq, sources.len(), to.as_ref(), &tasks) {
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
    confirm(&summary, args.yes, Some(&dlq.name))?;
    let Some(ops) = backends.queues_ops.clone() else {
        return Ok(());
    };
    let audit_session = session(&backends).await;
    let audit = AuditLog::in_state_dir();
    let parameters = json!({ "sourceArn": dlq.arn(), "destinationArn": to.as_ref().map(|t| t.arn().to_string()), "maxPerSecond": rate });
    let trail = begin_audit(
        audit.as_ref(),
        &audit_session,
        backends.clock.as_ref(),
        "StartMessageMoveTask",
        summary.clone(),
        parameters,
    )?;
    let handle = match ops
        .start_move_task(dlq.arn(), to.as_ref().map(QueueTarget::arn), rate)
        .await
    {
        Ok(handle) => {
            trail.finish(Ok(()), Some(json!({ "taskHandle": "started" })));
            handle
        }
        Err(e) => {
            trail.finish(Err(e.to_string()), None);
            return Err(Refusal::input(format!("{summary}: {e}")).into());
        }
    };
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
        let task = tasks
            .into_iter()
            .find(|t| t.task_handle.as_deref() == Some(handle.as_str()) || t.is_active());
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
        (None, _) => format!("{summary}: started; its progress could not be read\n"),
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
    confirm(&summary, args.yes, None)?;
    let Some(ops) = backends.queues_ops.clone() else {
        return Ok(());
    };
    let audit_session = session(&backends).await;
    let audit = AuditLog::in_state_dir();
    let trail = begin_audit(
        audit.as_ref(),
        &audit_session,
        backends.clock.as_ref(),
        "CancelMessageMoveTask",
        summary.clone(),
        json!({ "sourceArn": dlq.arn() }),
    )?;
    let handle = task.task_handle.clone().unwrap_or_default();
    match ops.cancel_move_task(&handle).await {
        Ok(moved) => {
            trail.finish(Ok(()), Some(json!({ "moved": moved })));
            let out = match args.output {
                OutputFormat::Json => {
                    json!({ "queue": dlq.name, "cancelled": true, "moved": moved }).to_string()
                        + "\n"
                }
                OutputFormat::Text => format!("{summary}: cancelled after {moved} moved\n"),
            };
            print(&out)
        }
        Err(e) => {
            trail.finish(Err(e.to_string()), None);
            Err(Refusal::input(format!("{summary}: {e}")).into())
        }
    }
}
