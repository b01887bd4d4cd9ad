//! A row of the queue table, and which queues' oldest-message ages to read.

use std::collections::VecDeque;

use unstuck_aws::api::{MAX_QUEUES_AGED, QueuesTopic, Topic};
use unstuck_aws::model::queues::{MoveTask, QueueSummary, queue_name_of};
use unstuck_views::queues::QueueItem;

use crate::state::shared::durations::short_duration;

/// The ages to read: those of the queues holding messages (by name, sorted), at most
/// [`MAX_QUEUES_AGED`]; None when no queue holds any.
pub(super) fn ages_topic(rows: &[QueueSummary]) -> Option<Topic> {
    let mut names: Vec<String> = rows
        .iter()
        .filter(|r| r.attributes.depth() > 0)
        .map(|r| r.queue.name.clone())
        .collect();
    names.sort();
    names.truncate(MAX_QUEUES_AGED);
    (!names.is_empty()).then_some(Topic::Queues(QueuesTopic::Ages { names }))
}

/// One row of the queue table.
pub(super) fn queue_item<'a>(
    r: &'a QueueSummary,
    depths: Option<&VecDeque<u64>>,
    tasks: Option<&Vec<MoveTask>>,
    oldest_s: Option<f64>,
) -> QueueItem<'a> {
    let names = |arns: &[String]| {
        arns.iter()
            .map(|a| queue_name_of(a).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let link = match r.dlq_arn() {
        _ if r.is_dlq() => format!("DLQ of {}", names(&r.sources)),
        Some(dlq) => format!("-> {}", queue_name_of(dlq)),
        None => String::new(),
    };
    let moving = tasks.and_then(|t| t.first()).map(|t| {
        format!(
            "move {}: {}/{}",
            t.status.to_lowercase(),
            t.moved,
            t.to_move.map_or("?".into(), |n| n.to_string())
        )
    });
    QueueItem {
        name: &r.queue.name,
        fifo: r.attributes.fifo,
        visible: r.attributes.visible,
        in_flight: r.attributes.in_flight,
        delayed: r.attributes.delayed,
        link,
        depths: depths
            .map(|d| d.iter().copied().collect())
            .unwrap_or_default(),
        alarming: r.is_dlq() && r.attributes.depth() > 0,
        moving,
        // Only a queue holding messages has an oldest one.
        oldest: oldest_s
            .filter(|_| r.attributes.depth() > 0)
            .map(|s| short_duration((s * 1000.0) as i64))
            .unwrap_or_default(),
    }
}
