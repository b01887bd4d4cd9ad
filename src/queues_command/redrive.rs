//! `unstuck dlq redrive` (selective, or `--native` with a message move task) and
//! `unstuck dlq cancel-move`. Each mutation is refused by `--read-only` before any call,
//! asks first on a terminal (a bulk move: type the queue's name), needs `--yes` otherwise,
//! and goes to the audit log with its counts. A dry run changes nothing and needs neither.

use std::io::IsTerminal;

use unstuck_aws::api::Backends;

use super::{filter_of, target};
use crate::cli::OutputFormat;
use crate::cli_queues::DlqRedriveArgs;
use crate::commands::{AuditLog, AuditPlace, audit_session, selective_redrive};
use crate::executions_command::render::print;
use crate::exit::{Refusal, confirm_mutation};
use crate::queues::{Destination, RedriveError, RedriveOptions, journal_for, redrive};

pub(super) fn refuse_read_only(backends: &Backends, what: &str) -> anyhow::Result<()> {
    if backends.queues_ops.is_none() {
        return Err(Refusal::read_only(format!(
            "read-only: refused to {what} (drop --read-only, or read_only in config.toml)"
        ))
        .into());
    }
    Ok(())
}

pub(super) fn thousands(n: u64) -> String {
    crate::state::shared::thousands::thousands(usize::try_from(n).unwrap_or(usize::MAX))
}

pub async fn run_redrive(backends: Backends, args: &DlqRedriveArgs) -> anyhow::Result<()> {
    if args.native {
        return super::move_task::run_native(backends, args).await;
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
    confirm_mutation(&summary, args.yes, Some(&dlq.name))?;
    let journal = journal_for(&dlq, &destination, &filter, args.journal.as_deref())
        .map_err(Refusal::input)?;
    if journal.resumed_lines > 0 {
        eprintln!(
            "resuming the run journalled in {}",
            journal.path().display()
        );
    }
    let session = audit_session(&backends).await;
    let audit = AuditLog::in_state_dir();
    let place = AuditPlace {
        audit: audit.as_ref(),
        session: &session,
        clock: backends.clock.as_ref(),
    };
    let result = selective_redrive(
        &backends,
        &dlq,
        &destination,
        &options,
        journal,
        &summary,
        place,
        &progress,
    )
    .await;
    if text {
        eprintln!();
    }
    match result {
        Ok(report) => {
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
            print_report(&report, args.output, &summary)?;
            Err(Refusal::input(format!(
                "stopped: {reason}; nothing was lost: what was not sent is still in {} (re-run to continue)",
                dlq.name
            ))
            .into())
        }
        Err(e) => Err(Refusal::input(e.to_string()).into()),
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
