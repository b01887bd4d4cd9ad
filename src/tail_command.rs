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
use crate::state::logs::parse_since;
use crate::tail::{LiveTailRun, RequestBudget, TailOptions, run_live_tail, run_tail};
use crate::tail::{TailReport, TailSpec};

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
    choices: &crate::startup::Choices,
) -> anyhow::Result<()> {
    let calls_per_second = choices.calls_per_second;
    let live_tail = choices.live_tail;
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
    let backfill_ms = parse_since(&args.since, now).map_err(|e| anyhow::anyhow!("--since: {e}"))?;
    let groups = resolve_groups(&backends, &args.groups).await?;
    let budget = Arc::new(RequestBudget::new(calls_per_second));
    let spec_groups = groups.len();
    let spec = TailSpec {
        tail_id: 1,
        groups,
        backfill_ms,
        since_ms: None,
        stream_names: args.stream.clone(),
        stream_prefix: args.stream_prefix.clone(),
        filter_pattern: args.filter_pattern.clone(),
    };
    let options = TailOptions {
        follow: args.follow,
        ..choices.tail
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
    let give_up = (!args.follow).then(|| {
        args.give_up_after
            .map_or(ONE_SHOT_GIVE_UP, Duration::from_secs)
    });
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
    // With --follow: events wait until they are REORDER_WINDOW old, so lines of one
    // invocation read by different polls (or groups) still come out in time order.
    let mut reorder = ReorderWindow::default();
    loop {
        let deadline = failing_since
            .as_ref()
            .zip(give_up)
            .map(|((since, _), limit)| *since + limit);
        let release = reorder.next_release();
        let report = tokio::select! {
            report = rx.recv() => report,
            _ = tokio::signal::ctrl_c() => {
                print_events(&stdout, reorder.drain(), grep, format);
                return Ok(());
            }
            () = sleep_until_opt(release), if release.is_some() => {
                let ready = reorder.release(tokio::time::Instant::now());
                if !print_events(&stdout, ready, grep, format) {
                    return Ok(());
                }
                continue;
            }
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
            Some(TailReport::Events {
                mut events, at_ms, ..
            }) => {
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
                } else {
                    reorder.hold(tokio::time::Instant::now(), at_ms, events);
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
            Some(TailReport::Progress { .. } | TailReport::Older { .. }) => {}
            Some(TailReport::Caught { .. }) => {
                if failing_since.take().is_some() {
                    eprintln!("unstuck: every group reachable again");
                }
            }
            None => {
                let rest = held.take().unwrap_or_else(|| reorder.drain());
                print_events(&stdout, rest, grep, format);
                return Ok(());
            }
        }
    }
}

/// Print events in time order (then by group and stream, so the order is stable); false
/// when stdout is closed.
fn print_events(
    stdout: &std::io::Stdout,
    events: Vec<LogEvent>,
    grep: Option<&Regex>,
    format: OutputFormat,
) -> bool {
    let events = in_print_order(events);
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

/// Time order, then group, stream and event id (ids grow within a stream).
fn in_print_order(mut events: Vec<LogEvent>) -> Vec<LogEvent> {
    events.sort_by(|a, b| {
        (a.timestamp_ms, &a.group, &a.stream, &a.event_id).cmp(&(
            b.timestamp_ms,
            &b.group,
            &b.stream,
            &b.event_id,
        ))
    });
    events
}

/// How old (by its own timestamp) an event is before `tail --follow` prints it, so that
/// lines of one invocation read by different polls still come out in time order. Most
/// events arrive older than this (Lambda flushes its logs about once a second), so the hold
/// costs little; it grows to what a stream is seen to need when one delivers out of order.
pub const REORDER_WINDOW: Duration = Duration::from_millis(500);
/// The most the window grows to.
pub const MAX_REORDER_WINDOW: Duration = Duration::from_secs(5);

/// Events waiting out the reorder window, each with when it may be printed.
#[derive(Debug)]
struct ReorderWindow {
    waiting: Vec<(tokio::time::Instant, LogEvent)>,
    window_ms: i64,
    /// The newest timestamp printed of each stream (to see a stream arrive out of order).
    newest: std::collections::HashMap<(String, String), i64>,
}

impl Default for ReorderWindow {
    fn default() -> Self {
        Self {
            waiting: Vec::new(),
            window_ms: duration_ms(REORDER_WINDOW),
            newest: std::collections::HashMap::new(),
        }
    }
}

fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl ReorderWindow {
    /// Events read at `now`, when the wall clock said `at_ms`: each waits until it is
    /// `window_ms` old by its timestamp (never longer than the window from now).
    fn hold(&mut self, now: tokio::time::Instant, at_ms: i64, events: Vec<LogEvent>) {
        for event in events {
            let key = (event.group.clone(), event.stream.clone());
            if let Some(newest) = self.newest.get(&key)
                && event.timestamp_ms < *newest
            {
                // Printed too early once: wait longer from now on.
                let behind = newest
                    .saturating_sub(event.timestamp_ms)
                    .saturating_add(250);
                self.window_ms = self
                    .window_ms
                    .max(behind)
                    .min(duration_ms(MAX_REORDER_WINDOW));
            }
            let wait_ms = event
                .timestamp_ms
                .saturating_add(self.window_ms)
                .saturating_sub(at_ms)
                .clamp(0, self.window_ms);
            let wait = Duration::from_millis(u64::try_from(wait_ms).unwrap_or(0));
            self.waiting.push((now + wait, event));
        }
    }

    fn next_release(&self) -> Option<tokio::time::Instant> {
        self.waiting.iter().map(|(at, _)| *at).min()
    }

    /// Everything whose wait is over, and with it every event still waiting that is stamped
    /// no later than those (else it would come out after them), in time order.
    fn release(&mut self, now: tokio::time::Instant) -> Vec<LogEvent> {
        let Some(cutoff) = self
            .waiting
            .iter()
            .filter(|(at, _)| *at <= now)
            .map(|(_, e)| e.timestamp_ms)
            .max()
        else {
            return Vec::new();
        };
        let (out, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|(at, e)| *at <= now || e.timestamp_ms <= cutoff);
        self.waiting = keep;
        let out = in_print_order(out.into_iter().map(|(_, e)| e).collect());
        for event in &out {
            let newest = self
                .newest
                .entry((event.group.clone(), event.stream.clone()))
                .or_insert(i64::MIN);
            *newest = (*newest).max(event.timestamp_ms);
        }
        out
    }

    fn drain(&mut self) -> Vec<LogEvent> {
        in_print_order(self.waiting.drain(..).map(|(_, e)| e).collect())
    }
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
