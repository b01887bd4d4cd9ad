//! Naming queues: QUEUE as a name, URL or ARN becomes a [`QueueTarget`] (URL, ARN, type,
//! counts), and where a redrive sends each message ([`Destination`]): one chosen queue, or
//! each message's own source (`DeadLetterQueueSourceArn`; when SQS did not set it, as
//! emulators and Lambda-fed DLQs do not, the DLQ's only source queue).

use std::collections::BTreeMap;

use unstuck_aws::api::Queues;
use unstuck_aws::model::BackendError;
use unstuck_aws::model::queues::{QueueAttributes, QueueMessage, queue_name_of};
use unstuck_aws::untrusted_text::sanitize_line;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueTarget {
    pub name: String,
    pub url: String,
    pub attributes: QueueAttributes,
}

impl QueueTarget {
    pub fn arn(&self) -> &str {
        &self.attributes.arn
    }

    pub fn fifo(&self) -> bool {
        self.attributes.fifo
    }

    pub fn kind(&self) -> &'static str {
        if self.fifo() { "FIFO" } else { "standard" }
    }
}

/// A queue by name, URL or ARN, with its attributes.
pub async fn resolve(queues: &dyn Queues, spec: &str) -> Result<QueueTarget, BackendError> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err(BackendError::InvalidInput(
            "no queue named (give a name, URL or ARN)".into(),
        ));
    }
    let url = if spec.contains("://") {
        spec.to_string()
    } else {
        queues.queue_url(queue_name_of(spec)).await?
    };
    let attributes = queues.queue_attributes(&url).await?;
    Ok(QueueTarget {
        name: sanitize_line(queue_name_of(&url)).into_owned(),
        url,
        attributes,
    })
}

/// Where a redrive sends messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `--to QUEUE`.
    Fixed(QueueTarget),
    /// Each message back to its source queue.
    Sources {
        by_arn: BTreeMap<String, QueueTarget>,
    },
}

impl Destination {
    /// `--to` or each message's source; Err when a redrive cannot go there at all.
    pub async fn choose(
        queues: &dyn Queues,
        dlq: &QueueTarget,
        to: Option<&str>,
    ) -> Result<Destination, String> {
        if let Some(to) = to {
            let target = resolve(queues, to)
                .await
                .map_err(|e| format!("--to {to}: {e}"))?;
            if target.url == dlq.url {
                return Err(format!("--to {} is the queue being redriven", target.name));
            }
            check_types(dlq, &target)?;
            return Ok(Destination::Fixed(target));
        }
        let urls = queues
            .dead_letter_sources(&dlq.url)
            .await
            .map_err(|e| e.to_string())?;
        let mut by_arn = BTreeMap::new();
        for url in urls {
            match resolve(queues, &url).await {
                Ok(target) => {
                    by_arn.insert(target.arn().to_string(), target);
                }
                Err(BackendError::NotFound(_)) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok(Destination::Sources { by_arn })
    }

    /// The queue this message goes to, or why it cannot go anywhere.
    pub fn for_message(&self, m: &QueueMessage) -> Result<&QueueTarget, String> {
        match self {
            Destination::Fixed(target) => Ok(target),
            Destination::Sources { by_arn } => match m.source_arn() {
                Some(arn) => by_arn.get(arn).ok_or_else(|| {
                    format!(
                        "its source {} is not a queue that names this DLQ (deleted?): use --to",
                        sanitize_line(queue_name_of(arn))
                    )
                }),
                None if by_arn.len() == 1 => by_arn
                    .values()
                    .next()
                    .ok_or_else(|| "no source queue".to_string()),
                None if by_arn.is_empty() => Err(
                    "no queue names this queue as its DLQ (fed by Lambda, SNS or EventBridge?): \
                     say where with --to"
                        .into(),
                ),
                None => Err(format!(
                    "it carries no DeadLetterQueueSourceArn and {} queues feed this DLQ: say \
                     which with --to",
                    by_arn.len()
                )),
            },
        }
    }

    /// "tax-submissions" or "each message's source (tax-a, tax-b)".
    pub fn describe(&self) -> String {
        match self {
            Destination::Fixed(t) => t.name.clone(),
            Destination::Sources { by_arn } if by_arn.len() == 1 => {
                by_arn.values().map(|t| t.name.clone()).collect()
            }
            Destination::Sources { by_arn } => format!(
                "each message's source ({})",
                by_arn
                    .values()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    pub fn key(&self) -> String {
        match self {
            Destination::Fixed(t) => t.url.clone(),
            Destination::Sources { .. } => "sources".into(),
        }
    }
}

/// A FIFO queue's messages need a group id a standard queue's do not have, and the other
/// way round the order would be lost: both are refused.
pub fn check_types(from: &QueueTarget, to: &QueueTarget) -> Result<(), String> {
    if from.fifo() != to.fifo() {
        return Err(format!(
            "{} is a {} queue and {} a {} one: messages move only between queues of one type",
            from.name,
            from.kind(),
            to.name,
            to.kind()
        ));
    }
    Ok(())
}

impl From<&unstuck_aws::model::queues::QueueSummary> for QueueTarget {
    fn from(q: &unstuck_aws::model::queues::QueueSummary) -> Self {
        Self {
            name: q.queue.name.clone(),
            url: q.queue.url.clone(),
            attributes: q.attributes.clone(),
        }
    }
}

/// Why SQS cannot move this DLQ's messages itself (StartMessageMoveTask), if it cannot:
/// a task already active, queues of two types, or no queue naming it as its DLQ.
pub fn native_refusal(
    dlq: &QueueTarget,
    sources: usize,
    to: Option<&QueueTarget>,
    active: Option<&unstuck_aws::model::queues::MoveTask>,
) -> Option<String> {
    if let Some(active) = active {
        return Some(format!(
            "a move task of {} is already {} ({} moved): wait for it or cancel it",
            dlq.name, active.status, active.moved
        ));
    }
    match to {
        Some(to) => check_types(dlq, to).err(),
        None if sources == 0 => Some(format!(
            "no queue names {} as its DLQ: it is fed by Lambda, SNS or EventBridge, whose \
             messages SQS cannot move back; use a selective redrive with --to",
            dlq.name
        )),
        None => None,
    }
}
