//! Selective redrive: receive the DLQ's messages, send the chosen ones to their destination
//! (body, message attributes, `AWSTraceHeader`, FIFO group id with a fresh deduplication id),
//! then delete them from the DLQ: at-least-once. What is not chosen is held hidden for the
//! run and shown again at its end. A journal makes a killed run resumable.
//!
//! [`decide`] is the pure part (what to do with one message); [`redrive`] is the loop:
//! `workers` receivers in parallel, a shared rate limit, and an end when the DLQ has nothing
//! visible and nothing in flight but what this run holds.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use unstuck_aws::api::{Queues, QueuesOps};
use unstuck_aws::model::BackendError;
use unstuck_aws::model::queues::{
    BATCH_SIZE, MAX_MESSAGE_BYTES, OutgoingMessage, QueueMessage, ReceiptEntry, ReceiveRequest,
    system_attribute as sys,
};

use super::filter::MessageFilter;
use super::journal::Journal;
use super::pacer::Pacer;
use super::target::{Destination, QueueTarget};

#[derive(Debug, Clone)]
pub struct RedriveOptions {
    pub filter: MessageFilter,
    /// Messages per second, at most.
    pub rate: Option<f64>,
    /// Say what would move where; send and delete nothing.
    pub dry_run: bool,
    /// How long received messages stay hidden while the run works on them.
    pub visibility_s: u32,
    /// Receivers in parallel.
    pub workers: usize,
}

/// What to do with one received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<'a> {
    /// Not chosen: hidden for the run, shown again at its end.
    Hold,
    /// Chosen, but it has nowhere to go (why).
    Skip(String),
    /// Send it here, then delete it.
    Send(&'a QueueTarget),
    /// An earlier run sent it: only delete it.
    Settle,
}

/// The pure step: one message, the filter, what the journal knows, where messages go.
pub fn decide<'a>(
    m: &QueueMessage,
    filter: &MessageFilter,
    already_sent: bool,
    destination: &'a Destination,
) -> Decision<'a> {
    if !filter.matches(m) {
        return Decision::Hold;
    }
    if already_sent {
        return Decision::Settle;
    }
    match destination.for_message(m) {
        Ok(target) if target.fifo() && m.group_id().is_none() => {
            Decision::Skip("it has no MessageGroupId and the destination is FIFO".into())
        }
        Ok(target) => Decision::Send(target),
        Err(why) => Decision::Skip(why),
    }
}

/// A fresh deduplication id per redriven message: not the original's (SQS would drop the
/// copy within its 5-minute window), the same on a retry of the same send.
pub fn redrive_deduplication_id(message_id: &str) -> String {
    let id: String = message_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(100)
        .collect();
    format!("unstuck-redrive-{id}")
}

/// The message as it is sent back.
pub fn outgoing(m: &QueueMessage, entry: usize, to: &QueueTarget) -> OutgoingMessage {
    OutgoingMessage {
        entry_id: entry.to_string(),
        body: m.body.clone(),
        message_attributes: m.message_attributes.clone(),
        trace_header: m.attribute(sys::TRACE_HEADER).map(str::to_string),
        group_id: to
            .fifo()
            .then(|| m.group_id().map(str::to_string))
            .flatten(),
        deduplication_id: to.fifo().then(|| redrive_deduplication_id(&m.message_id)),
    }
}

/// The counts a run reports as it goes and at its end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedriveCounts {
    /// Messages received (each once).
    pub seen: u64,
    /// Chosen by the filter.
    pub selected: u64,
    /// Sent and deleted from the DLQ (dry run: would be).
    pub moved: u64,
    /// Sent by an earlier run, deleted now.
    pub resumed: u64,
    /// Chosen but with nowhere to go (left in the DLQ).
    pub skipped: u64,
    /// Could not be sent (left in the DLQ).
    pub failed: u64,
    /// Sent, but the DLQ's delete failed: a re-run with the journal deletes them.
    pub undeleted: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RedriveReport {
    pub counts: RedriveCounts,
    /// Messages sent (dry run: that would be) per destination queue name.
    pub by_destination: BTreeMap<String, u64>,
    pub skip_reasons: BTreeMap<String, u64>,
    /// The first few failures, in words.
    pub failures: Vec<String>,
    /// In flight elsewhere when the run ended (not seen by it).
    pub left_in_flight: u64,
    pub seconds: f64,
    pub dry_run: bool,
}

impl RedriveReport {
    pub fn to_json(&self) -> Value {
        let c = &self.counts;
        json!({
            "summary": true,
            "dry_run": self.dry_run,
            "selected": c.selected,
            "moved": c.moved + c.resumed,
            "skipped": c.skipped,
            "failed": c.failed,
            "seen": c.seen,
            "resumed": c.resumed,
            "undeleted": c.undeleted,
            "left_in_flight": self.left_in_flight,
            "seconds": (self.seconds * 100.0).round() / 100.0,
            "messages_per_second": if self.seconds > 0.0 {
                ((c.moved as f64 / self.seconds) * 10.0).round() / 10.0
            } else { 0.0 },
            "destinations": self.by_destination,
            "skip_reasons": self.skip_reasons,
            "failures": self.failures,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RedriveError {
    #[error("{0}")]
    Aws(#[from] BackendError),
    #[error("the journal {0}")]
    Journal(String),
    /// Not started: read-only, or the audit log cannot be written.
    #[error("{0}")]
    Refused(String),
    #[error("stopped: {reason}; nothing was lost (every message not sent is still in the DLQ)")]
    Stopped {
        reason: String,
        report: Box<RedriveReport>,
    },
}

pub(super) struct Shared {
    pub(super) journal: Option<Journal>,
    pub(super) report: RedriveReport,
    pub(super) seen: HashSet<String>,
    /// Held messages: id -> current receipt handle.
    pub(super) held: HashMap<String, String>,
    pub(super) stop: Option<String>,
    /// Messages received by a worker and not yet sent, held or deleted.
    pub(super) busy: u64,
    /// When this run last received a message it had not seen.
    pub(super) last_new: Option<tokio::time::Instant>,
}

pub(super) struct Run<'a> {
    pub(super) queues: &'a dyn Queues,
    pub(super) ops: Option<&'a dyn QueuesOps>,
    pub(super) dlq: &'a QueueTarget,
    pub(super) destination: &'a Destination,
    pub(super) options: &'a RedriveOptions,
    pub(super) pacer: Option<Pacer>,
    pub(super) shared: Mutex<Shared>,
    pub(super) done: AtomicBool,
    pub(super) on_progress: &'a (dyn Fn(&RedriveCounts) + Sync),
}

impl Run<'_> {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn journal_step(
        &self,
        step: impl FnOnce(&mut Journal) -> std::io::Result<()>,
    ) -> Result<(), RedriveError> {
        let mut shared = self.lock();
        match shared.journal.as_mut() {
            Some(j) => {
                step(j).map_err(|e| RedriveError::Journal(format!("{}: {e}", j.path().display())))
            }
            None => Ok(()),
        }
    }

    pub(super) fn stop(&self, reason: String) {
        let mut shared = self.lock();
        shared.stop.get_or_insert(reason);
        self.done.store(true, Ordering::SeqCst);
    }
}

/// Retry a call AWS throttled or could not answer, a few times; anything else is returned.
pub(super) async fn patiently<T, F, Fut>(mut call: F) -> Result<T, BackendError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, BackendError>>,
{
    let mut attempt = 0u32;
    loop {
        match call().await {
            Err(
                e @ (BackendError::Throttled { .. }
                | BackendError::Timeout(_)
                | BackendError::Network(_)),
            ) if attempt < 5 => {
                attempt += 1;
                let wait = match &e {
                    BackendError::Throttled {
                        retry_after: Some(d),
                        ..
                    } => *d,
                    _ => Duration::from_millis(200 * 2u64.pow(attempt)),
                };
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
}

/// Run a redrive (or its dry run, when `ops` is None or `options.dry_run`).
#[allow(clippy::too_many_arguments)]
pub async fn redrive(
    queues: &dyn Queues,
    ops: Option<&dyn QueuesOps>,
    dlq: &QueueTarget,
    destination: &Destination,
    options: &RedriveOptions,
    journal: Option<Journal>,
    clock: &dyn unstuck_aws::api::WallClock,
    on_progress: &(dyn Fn(&RedriveCounts) + Sync),
) -> Result<RedriveReport, RedriveError> {
    let started = clock.now_ms();
    let ops = if options.dry_run { None } else { ops };
    let run = Run {
        queues,
        ops,
        dlq,
        destination,
        options,
        pacer: options.rate.filter(|r| *r > 0.0).map(Pacer::per_second),
        shared: Mutex::new(Shared {
            journal,
            report: RedriveReport {
                dry_run: ops.is_none(),
                ..Default::default()
            },
            seen: HashSet::new(),
            held: HashMap::new(),
            stop: None,
            busy: 0,
            last_new: None,
        }),
        done: AtomicBool::new(false),
        on_progress,
    };
    if ops.is_some() {
        super::redrive_loop::settle(&run).await?;
    }
    let workers = (0..options.workers.max(1)).map(|_| super::redrive_loop::worker(&run));
    let results = futures::future::join_all(workers).await;
    super::redrive_loop::release_held(&run).await;
    let mut shared = run.lock();
    shared.report.seconds = (clock.now_ms() - started).max(0) as f64 / 1000.0;
    let report = shared.report.clone();
    if let Some(reason) = shared.stop.take() {
        return Err(RedriveError::Stopped {
            reason,
            report: Box::new(report),
        });
    }
    for result in results {
        result?;
    }
    if let Some(journal) = shared.journal.as_mut() {
        let left = report.counts.skipped + report.counts.failed + report.counts.undeleted;
        if ops.is_some() && left == 0 && report.left_in_flight == 0 {
            journal
                .complete(&report.to_json())
                .map_err(|e| RedriveError::Journal(e.to_string()))?;
        }
    }
    Ok(report)
}

/// Entries of one send: at most 10, at most the SQS maximum in total.
pub fn size_batches(messages: Vec<QueueMessage>) -> Vec<Vec<QueueMessage>> {
    let mut out: Vec<Vec<QueueMessage>> = Vec::new();
    let mut bytes = 0;
    for m in messages {
        let size = m.size_bytes();
        match out.last_mut() {
            Some(batch) if batch.len() < BATCH_SIZE && bytes + size <= MAX_MESSAGE_BYTES => {
                bytes += size;
                batch.push(m);
            }
            _ => {
                bytes = size;
                out.push(vec![m]);
            }
        }
    }
    out
}

pub fn receipts(messages: &[(String, String)]) -> Vec<ReceiptEntry> {
    messages
        .iter()
        .enumerate()
        .map(|(i, (_, handle))| ReceiptEntry {
            entry_id: i.to_string(),
            receipt_handle: handle.clone(),
        })
        .collect()
}

pub fn receive_request(options: &RedriveOptions) -> ReceiveRequest {
    ReceiveRequest {
        max_messages: 10,
        visibility_timeout_s: options.visibility_s,
        wait_s: 0,
    }
}
