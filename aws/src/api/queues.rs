//! SQS: reading queues and their messages, and (apart, in [`QueuesOps`]) sending, deleting and
//! native move tasks. A receive is here, with the reads: it changes nothing a consumer would
//! not (it raises the receive count and hides the message for its visibility timeout), and
//! inspecting a DLQ is reading it. Deleting and sending are mutations.
//!
//! The queue table's topic reads every queue's attributes concurrently, but re-reads only
//! what can change under an on-call engineer's eyes: DLQs, queues holding messages, and the
//! rest once every [`QUIET_REREAD_MS`]. SQS quotas its API calls per queue at thousands per
//! second, so the app's SQS budget is a courtesy, not a hard limit.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use futures::{FutureExt, StreamExt};

use super::Backends;
use super::execution_reader::Pace;
use super::topic::{Service, TopicTiming};
use crate::model::BackendError;
use crate::model::queues::{
    BatchOutcome, MoveTask, OutgoingMessage, QueueAttributes, QueueMessage, QueueRef, QueueSummary,
    ReceiptEntry, ReceiveRequest,
};

/// At most this many queues are listed (ListQueues pages of 1,000).
pub const MAX_QUEUES: usize = 5_000;
/// GetQueueAttributes calls in flight at once for the table.
pub const ATTRIBUTE_READS_IN_FLIGHT: usize = 16;
/// An empty queue that is no DLQ is re-read this often (its counts rarely move).
pub const QUIET_REREAD_MS: i64 = 5 * 60 * 1000;

/// SQS reads.
#[async_trait]
pub trait Queues: Send + Sync {
    /// Every queue of the account and region (ListQueues, all pages), by name.
    async fn list_queues(&self) -> Result<Vec<QueueRef>, BackendError>;

    /// A queue's URL from its name (GetQueueUrl).
    async fn queue_url(&self, name: &str) -> Result<String, BackendError>;

    /// GetQueueAttributes All.
    async fn queue_attributes(&self, url: &str) -> Result<QueueAttributes, BackendError>;

    /// The URLs of the queues whose DLQ this one is (ListDeadLetterSourceQueues).
    async fn dead_letter_sources(&self, url: &str) -> Result<Vec<String>, BackendError>;

    /// ReceiveMessage with every system and message attribute.
    async fn receive(
        &self,
        url: &str,
        req: &ReceiveRequest,
    ) -> Result<Vec<QueueMessage>, BackendError>;

    /// ChangeMessageVisibilityBatch: 0 shows received messages again at once.
    async fn change_visibility(
        &self,
        url: &str,
        entries: &[ReceiptEntry],
        timeout_s: u32,
    ) -> Result<BatchOutcome, BackendError>;

    /// The move tasks of a DLQ, newest first (ListMessageMoveTasks).
    async fn list_move_tasks(&self, source_arn: &str) -> Result<Vec<MoveTask>, BackendError>;
}

/// SQS mutations. Held as an `Option` in [`Backends`]: `--read-only` builds none.
#[async_trait]
pub trait QueuesOps: Send + Sync {
    /// SendMessageBatch (at most 10 entries).
    async fn send_batch(
        &self,
        url: &str,
        messages: &[OutgoingMessage],
    ) -> Result<BatchOutcome, BackendError>;

    /// DeleteMessageBatch (at most 10 entries).
    async fn delete_batch(
        &self,
        url: &str,
        entries: &[ReceiptEntry],
    ) -> Result<BatchOutcome, BackendError>;

    /// StartMessageMoveTask: the DLQ's messages to their sources (`destination` None) or one
    /// queue, at most `max_per_second`. Returns the task handle.
    async fn start_move_task(
        &self,
        source_arn: &str,
        destination_arn: Option<&str>,
        max_per_second: Option<u32>,
    ) -> Result<String, BackendError>;

    /// CancelMessageMoveTask. Returns the messages moved so far.
    async fn cancel_move_task(&self, task_handle: &str) -> Result<u64, BackendError>;
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueuesTopic {
    /// Every queue with its counts, DLQ and sources.
    Table,
    /// The move tasks of one DLQ (while its detail is open).
    MoveTasks { source_arn: String },
    /// The age of the oldest message of these queues (by name, sorted: those holding
    /// messages), from CloudWatch.
    Ages { names: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub enum QueuesData {
    Table(Vec<QueueSummary>),
    MoveTasks {
        source_arn: String,
        tasks: Vec<MoveTask>,
    },
    /// Seconds since the oldest message was sent, by queue name.
    Ages(BTreeMap<String, f64>),
}

impl QueuesTopic {
    pub fn timing(&self) -> TopicTiming {
        match self {
            QueuesTopic::Table => TopicTiming::every(Duration::from_secs(15)),
            QueuesTopic::MoveTasks { .. } => TopicTiming::every(Duration::from_secs(5)),
            QueuesTopic::Ages { .. } => TopicTiming::every(super::AGES_EVERY),
        }
    }

    pub fn service(&self) -> Service {
        match self {
            QueuesTopic::Ages { .. } => Service::CloudWatch,
            _ => Service::Sqs,
        }
    }

    pub fn resource(&self) -> String {
        match self {
            QueuesTopic::Table => "queues".to_string(),
            QueuesTopic::MoveTasks { source_arn } => format!(
                "move tasks of {}",
                crate::model::queues::queue_name_of(source_arn)
            ),
            QueuesTopic::Ages { names } => {
                format!("age of the oldest message ({} queues)", names.len())
            }
        }
    }

    pub async fn fetch(
        &self,
        backends: &Backends,
        pace: &dyn Pace,
    ) -> Result<QueuesData, BackendError> {
        match self {
            QueuesTopic::Table => queue_table(backends, pace).await.map(QueuesData::Table),
            QueuesTopic::MoveTasks { source_arn } => {
                let tasks = backends.queues.list_move_tasks(source_arn).await?;
                Ok(QueuesData::MoveTasks {
                    source_arn: source_arn.clone(),
                    tasks,
                })
            }
            QueuesTopic::Ages { names } => super::oldest_ages(backends, names, pace)
                .await
                .map(QueuesData::Ages),
        }
    }
}

/// The attributes read, by URL, with when: what the next table poll may reuse.
#[derive(Debug, Default)]
pub struct QueueAttributeCache {
    read: Mutex<BTreeMap<String, (QueueAttributes, i64)>>,
}

impl QueueAttributeCache {
    /// Reuse these attributes at `now_ms`? Only an empty queue that is no DLQ, read lately.
    fn reusable(&self, url: &str, is_dlq: bool, now_ms: i64) -> Option<QueueAttributes> {
        let read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        let (attributes, at_ms) = read.get(url)?;
        (!is_dlq && attributes.depth() == 0 && now_ms - at_ms < QUIET_REREAD_MS)
            .then(|| attributes.clone())
    }

    fn store(&self, url: &str, attributes: &QueueAttributes, now_ms: i64) {
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.insert(url.to_string(), (attributes.clone(), now_ms));
    }

    fn keep_only(&self, urls: &[QueueRef]) {
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.retain(|url, _| urls.iter().any(|q| &q.url == url));
    }

    /// ARNs known to be some queue's DLQ, from the RedrivePolicies read.
    fn dlq_arns(&self) -> Vec<String> {
        let read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.values()
            .filter_map(|(a, _)| a.redrive_policy.as_ref())
            .map(|p| p.dead_letter_target_arn.clone())
            .collect()
    }
}

/// Every queue with its attributes and, for DLQs, the queues that feed them (from their
/// RedrivePolicies: no ListDeadLetterSourceQueues call per queue). A queue that vanished
/// between the list and its read is left out; any other failed read fails the poll.
pub async fn queue_table(
    backends: &Backends,
    pace: &dyn Pace,
) -> Result<Vec<QueueSummary>, BackendError> {
    let refs = backends.queues.list_queues().await?;
    let cache = &backends.queue_attributes;
    cache.keep_only(&refs);
    let now_ms = backends.clock.now_ms();
    let known_dlqs = cache.dlq_arns();
    let known_dlqs = &known_dlqs;
    let reads: Vec<_> = refs
        .iter()
        .map(|queue| {
            async move {
                let is_dlq = known_dlqs
                    .iter()
                    .any(|arn| arn.ends_with(&format!(":{}", queue.name)));
                if let Some(attributes) = cache.reusable(&queue.url, is_dlq, now_ms) {
                    return (queue, Ok(attributes));
                }
                pace.before_call().await;
                let read = backends.queues.queue_attributes(&queue.url).await;
                if let Ok(attributes) = &read {
                    cache.store(&queue.url, attributes, now_ms);
                }
                (queue, read)
            }
            .boxed()
        })
        .collect();
    let mut read: Vec<_> = futures::stream::iter(reads)
        .buffer_unordered(ATTRIBUTE_READS_IN_FLIGHT)
        .collect()
        .await;
    read.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let mut rows = Vec::with_capacity(read.len());
    for (queue, attributes) in read {
        match attributes {
            Ok(attributes) => rows.push(QueueSummary {
                queue: queue.clone(),
                attributes,
                sources: Vec::new(),
            }),
            Err(BackendError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    pair_sources(&mut rows);
    Ok(rows)
}

/// Fill each DLQ's `sources` from the RedrivePolicies of the others.
pub fn pair_sources(rows: &mut [QueueSummary]) {
    let pairs: Vec<(String, String)> = rows
        .iter()
        .filter_map(|r| Some((r.dlq_arn()?.to_string(), r.attributes.arn.clone())))
        .collect();
    for row in rows.iter_mut() {
        row.sources = pairs
            .iter()
            .filter(|(dlq, _)| *dlq == row.attributes.arn)
            .map(|(_, source)| source.clone())
            .collect();
    }
}
