//! `unstuck tail`: the tail engine without the TUI. Prints one event per line, sanitised
//! (`text`) or as JSON with every control character escaped (`json`).

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use chrono::{DateTime, Utc};
use regex::Regex;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use unstuck_aws::api::Backends;
use unstuck_aws::model::{BackendError, LogEvent};
use unstuck_aws::untrusted_text::{is_control_like, sanitize_line};

use crate::cli::{OutputFormat, TailArgs};
use crate::tail::{LiveTailRun, RequestBudget, TailOptions, run_live_tail, run_tail};
use crate::tail::{TailReport, TailSpec};

/// "10m", "90s", "2h", "1d", or an RFC 3339 time; returns how far back from `now_ms`.
pub fn parse_since(text: &str, now_ms: i64) -> Result<i64, String> {
    let text = text.trim();
    if let Some(relative) = relative_since(text) {
        return relative;
    }
    // Every absolute form the TUI's `:time` takes: 02:46 (today, or yesterday if still to
    // come), 2026-11-20 02:46, RFC 3339, -5m.
    crate::state::logs::parse_time(text, now_ms)
        .map(|at| now_ms.saturating_sub(at).max(0))
        .map_err(|_| {
            format!(
                "bad --since {text:?}: use e.g. 30s, 10m, 2h, 1d, 02:46, 2026-11-20 02:46 or an \
                 RFC 3339 time"
            )
        })
}

/// `30s`, `10m`, `2h`, `1d`, `500ms`, or bare seconds; `None` when `text` is none of them.
fn relative_since(text: &str) -> Option<Result<i64, String>> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits.parse().ok()?;
    let unit_ms = match unit {
        "ms" => 1,
        "s" | "" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        // `10x`: a mistyped unit; anything else (`02:46`, `2026-…`) is an absolute time.
        _ if unit.chars().all(|c| c.is_ascii_alphabetic()) => {
            return Some(Err(format!("bad --since unit {unit:?}: use s, m, h or d")));
        }
        _ => return None,
    };
    Some(Ok(n.saturating_mul(unit_ms)))
}

fn iso_ms(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_else(|| ms.to_string())
}

/// A JSON string literal in which every control character (C0, DEL, C1), bidi control and
/// line separator is escaped, so the output is safe to print on a terminal.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_control_like(c) => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One output line for an event.
pub fn format_event(event: &LogEvent, format: OutputFormat) -> String {
    match format {
        OutputFormat::Text => format!(
            "{} {} {} {}",
            iso_ms(event.timestamp_ms),
            sanitize_line(&event.group),
            sanitize_line(&event.stream),
            sanitize_line(event.message.trim_end_matches(['\n', '\r']))
        ),
        OutputFormat::Json => format!(
            "{{\"timestamp\":{},\"ingestion_time\":{},\"group\":{},\"stream\":{},\"event_id\":{},\"message\":{}}}",
            json_string(&iso_ms(event.timestamp_ms)),
            json_string(&iso_ms(event.ingestion_time_ms)),
            json_string(&event.group),
            json_string(&event.stream),
            json_string(&event.event_id),
            json_string(&event.message),
        ),
    }
}

/// The groups named or prefixed by each argument: an exact name means that group alone,
/// anything else every group starting with it.
pub async fn resolve_groups(
    backends: &Backends,
    args: &[String],
) -> Result<Vec<String>, anyhow::Error> {
    if args.iter().any(|a| a.trim().is_empty()) {
        bail!(
            "an empty log group name would tail every group in the account: name one or a prefix"
        );
    }
    let mut groups = Vec::new();
    for arg in args {
        let found = backends
            .logs
            .list_log_groups(Some(arg))
            .await
            .map_err(|e| anyhow::anyhow!("listing log groups for {arg:?}: {e}"))?;
        let names: Vec<String> = if found.iter().any(|g| &g.name == arg) {
            vec![arg.clone()]
        } else {
            found.into_iter().map(|g| g.name).collect()
        };
        if names.is_empty() {
            bail!("no log group is named or starts with {arg:?}");
        }
        for name in names {
            if !groups.contains(&name) {
                groups.push(name);
            }
        }
    }
    Ok(groups)
}

/// Errors after which tailing cannot go on. A group that is not found (deleted mid-tail) is
/// not one: it is dropped with a message while the others go on, and read again if it
/// comes back (the engine keeps asking, backing off).
fn is_fatal(error: &BackendError) -> bool {
    matches!(
        error,
        BackendError::Credentials { .. }
            | BackendError::Setup { .. }
            | BackendError::AccessDenied { .. }
            | BackendError::InvalidInput(_)
    )
}

pub async fn run(
    backends: Backends,
    args: TailArgs,
    calls_per_second: f64,
    live_tail: bool,
) -> anyhow::Result<()> {
    let grep = args
        .grep
        .as_deref()
        .map(|g| {
            Regex::new(g).map_err(|e| {
                anyhow::anyhow!(
                    "bad --grep regex {g:?}: {}",
                    e.to_string().lines().last().unwrap_or("invalid")
                )
            })
        })
        .transpose()?;
    let now = backends.clock.now_ms();
    let backfill_ms = parse_since(&args.since, now).map_err(anyhow::Error::msg)?;
    let groups = resolve_groups(&backends, &args.groups).await?;
    let budget = Arc::new(RequestBudget::new(calls_per_second));
    let spec_groups = groups.len();
    let spec = TailSpec {
        tail_id: 1,
        groups,
        backfill_ms,
        stream_names: args.stream.clone(),
        stream_prefix: args.stream_prefix.clone(),
        filter_pattern: args.filter_pattern.clone(),
    };
    let options = TailOptions {
        follow: args.follow,
        ..TailOptions::default()
    };
    let (tx, mut rx) = mpsc::channel::<TailReport>(256);
    let cancel = CancellationToken::new();
    let engine = if live_tail && args.follow {
        let run = LiveTailRun {
            live: Arc::clone(&backends.live_tail),
            logs: Arc::clone(&backends.logs),
            clock: Arc::clone(&backends.clock),
            budget,
            spec,
            options,
        };
        tokio::spawn(run_live_tail(run, tx, cancel.clone()))
    } else {
        tokio::spawn(run_tail(
            Arc::clone(&backends.logs),
            Arc::clone(&backends.clock),
            budget,
            spec,
            tx,
            cancel.clone(),
            options,
        ))
    };
    let started = tokio::time::Instant::now();
    // Without --follow the command must end: a group failing for this long ends it.
    let give_up = (!args.follow).then_some(ONE_SHOT_GIVE_UP);
    let result = print_reports(&mut rx, grep.as_ref(), args.output, give_up, spec_groups).await;
    cancel.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(2), engine).await;
    let calls = backends.calls.snapshot();
    let total: u64 = calls.iter().map(|(_, n)| n).sum();
    let per_op = calls
        .iter()
        .map(|(op, n)| format!("{op} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    eprintln!(
        "unstuck: {total} API calls in {:.1} s ({per_op})",
        started.elapsed().as_secs_f64()
    );
    result
}

/// How long `unstuck tail` without `--follow` keeps retrying a failing group before it
/// gives up with exit 1 (a cron job must not hang on an endpoint that answers 500 forever).
pub const ONE_SHOT_GIVE_UP: Duration = Duration::from_secs(60);

/// Print what the engine reports until it is done. `give_up` (one pass, no `--follow`): end
/// with an error once a failure has lasted that long without any success in between, and
/// hold every event until the pass is over so the output is merged by time across groups.
/// `groups`: how many are tailed (when every one is gone, there is nothing left to tail).
pub async fn print_reports(
    rx: &mut mpsc::Receiver<TailReport>,
    grep: Option<&Regex>,
    format: OutputFormat,
    give_up: Option<Duration>,
    groups: usize,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut failing_since: Option<(tokio::time::Instant, String)> = None;
    let mut missing: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut held: Option<Vec<LogEvent>> = give_up.is_some().then(Vec::new);
    loop {
        let deadline = failing_since
            .as_ref()
            .zip(give_up)
            .map(|((since, _), limit)| *since + limit);
        let report = tokio::select! {
            report = rx.recv() => report,
            _ = tokio::signal::ctrl_c() => return Ok(()),
            () = sleep_until_opt(deadline), if deadline.is_some() => {
                let last = failing_since.take().map(|(_, last)| last).unwrap_or_default();
                // What was read before giving up still comes out.
                if let Some(held) = held.take() {
                    print_events(&stdout, held, grep, format);
                }
                return Err(anyhow::anyhow!(
                    "gave up after {} s of errors without --follow: {last}",
                    give_up.unwrap_or_default().as_secs()
                ));
            }
        };
        match report {
            Some(TailReport::Events { mut events, .. }) => {
                if failing_since.take().is_some() {
                    eprintln!("unstuck: reading again after errors");
                }
                for event in &events {
                    if missing.remove(&event.group) {
                        let name = sanitize_line(&event.group).into_owned();
                        eprintln!("unstuck: {name} is back; following it again");
                    }
                }
                if let Some(held) = held.as_mut() {
                    // One pass over a window: merged across groups when it is all read.
                    held.append(&mut events);
                } else if !print_events(&stdout, events, grep, format) {
                    return Ok(()); // stdout closed (| head): done
                }
            }
            Some(TailReport::Failed { group, error, .. }) => {
                // Group names and AWS's error text are untrusted: never raw on stderr.
                let text = sanitize_line(&format!("{group}: {error}")).into_owned();
                if is_fatal(&error) {
                    return Err(anyhow::anyhow!("{text}")).context("tailing stopped");
                }
                if matches!(error, BackendError::NotFound(_)) {
                    if missing.insert(group.clone()) {
                        eprintln!(
                            "unstuck: {text}: dropped (deleted?); the other groups go on, and \
                             it is read again if it comes back"
                        );
                    }
                    if missing.len() >= groups {
                        return Err(anyhow::anyhow!("{text}"))
                            .context("tailing stopped: every group is gone");
                    }
                    continue;
                }
                eprintln!("unstuck: {text}; retrying");
                if failing_since.is_none() {
                    failing_since = Some((tokio::time::Instant::now(), text));
                } else if let Some((_, last)) = failing_since.as_mut() {
                    *last = text;
                }
            }
            Some(TailReport::Live { groups, state, .. }) => {
                let text = sanitize_line(&groups.join(", ")).into_owned();
                eprintln!("unstuck: live tail of {text}: {state:?}");
            }
            Some(TailReport::Caught { .. }) => {
                if failing_since.take().is_some() {
                    eprintln!("unstuck: every group reachable again");
                }
            }
            None => {
                if let Some(held) = held.take() {
                    print_events(&stdout, held, grep, format);
                }
                return Ok(());
            }
        }
    }
}

/// Print events in time order (then by group and stream, so the order is stable); false
/// when stdout is closed.
fn print_events(
    stdout: &std::io::Stdout,
    mut events: Vec<LogEvent>,
    grep: Option<&Regex>,
    format: OutputFormat,
) -> bool {
    events.sort_by(|a, b| {
        (a.timestamp_ms, a.ingestion_time_ms, &a.group, &a.stream).cmp(&(
            b.timestamp_ms,
            b.ingestion_time_ms,
            &b.group,
            &b.stream,
        ))
    });
    let mut out = stdout.lock();
    for event in events
        .iter()
        .filter(|e| grep.is_none_or(|re| re.is_match(&e.message)))
    {
        if writeln!(out, "{}", format_event(event, format)).is_err() {
            return false;
        }
    }
    out.flush().is_ok()
}

async fn sleep_until_opt(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
#[path = "tail_command_tests.rs"]
mod tests;
