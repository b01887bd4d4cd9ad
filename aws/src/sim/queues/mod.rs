//! The demo world's SQS: [`Queues`] and [`QueuesOps`] over the [`QueueBook`], which moves
//! with the world's clock (producers, consumers failing into DLQs, move tasks).

mod book;
mod demo;

use async_trait::async_trait;

pub use book::QueueBook;
pub use demo::QueueTraffic;

use super::SimWorld;
use crate::api::{Queues, QueuesOps};
use crate::model::BackendError;
use crate::model::queues::{
    BATCH_SIZE, BatchOutcome, MAX_MOVE_RATE, MoveTask, OutgoingMessage, QueueAttributes,
    QueueMessage, QueueRef, ReceiptEntry, ReceiveRequest,
};

fn too_many(n: usize) -> Result<(), BackendError> {
    if n > BATCH_SIZE {
        return Err(BackendError::InvalidInput(format!(
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest: {n} entries (at most 10)"
        )));
    }
    Ok(())
}

#[async_trait]
impl Queues for SimWorld {
    async fn list_queues(&self) -> Result<Vec<QueueRef>, BackendError> {
        self.calls().record("ListQueues");
        Ok(self.lock_caught_up().queues.refs())
    }

    async fn queue_url(&self, name: &str) -> Result<String, BackendError> {
        self.calls().record("GetQueueUrl");
        self.lock_caught_up().queues.url_of(name)
    }

    async fn queue_attributes(&self, url: &str) -> Result<QueueAttributes, BackendError> {
        self.calls().record("GetQueueAttributes");
        let (state, now_ms) = self.lock_caught_up_with_now();
        let q = state.queues.index_of_url(url)?;
        Ok(state.queues.attributes(q, now_ms))
    }

    async fn dead_letter_sources(&self, url: &str) -> Result<Vec<String>, BackendError> {
        self.calls().record("ListDeadLetterSourceQueues");
        let state = self.lock_caught_up();
        let q = state.queues.index_of_url(url)?;
        Ok(state.queues.sources_of(q))
    }

    async fn receive(
        &self,
        url: &str,
        req: &ReceiveRequest,
    ) -> Result<Vec<QueueMessage>, BackendError> {
        self.calls().record("ReceiveMessage");
        let (mut state, now_ms) = self.lock_caught_up_with_now();
        let q = state.queues.index_of_url(url)?;
        let max = usize::from(req.max_messages.clamp(1, 10));
        Ok(state
            .queues
            .receive(q, max, req.visibility_timeout_s, now_ms))
    }

    async fn change_visibility(
        &self,
        url: &str,
        entries: &[ReceiptEntry],
        timeout_s: u32,
    ) -> Result<BatchOutcome, BackendError> {
        self.calls().record("ChangeMessageVisibilityBatch");
        too_many(entries.len())?;
        let (mut state, now_ms) = self.lock_caught_up_with_now();
        let q = state.queues.index_of_url(url)?;
        Ok(state
            .queues
            .change_visibility(q, entries, timeout_s, now_ms))
    }

    async fn list_move_tasks(&self, source_arn: &str) -> Result<Vec<MoveTask>, BackendError> {
        self.calls().record("ListMessageMoveTasks");
        let state = self.lock_caught_up();
        Ok(state
            .queues
            .tasks
            .iter()
            .rev()
            .filter(|t| t.task.source_arn == source_arn)
            .map(|t| t.task.clone())
            .collect())
    }
}

#[async_trait]
impl QueuesOps for SimWorld {
    async fn send_batch(
        &self,
        url: &str,
        messages: &[OutgoingMessage],
    ) -> Result<BatchOutcome, BackendError> {
        self.calls().record("SendMessageBatch");
        too_many(messages.len())?;
        let (mut state, now_ms) = self.lock_caught_up_with_now();
        let q = state.queues.index_of_url(url)?;
        Ok(state.queues.send(q, messages, now_ms))
    }

    async fn delete_batch(
        &self,
        url: &str,
        entries: &[ReceiptEntry],
    ) -> Result<BatchOutcome, BackendError> {
        self.calls().record("DeleteMessageBatch");
        too_many(entries.len())?;
        let mut state = self.lock_caught_up();
        let q = state.queues.index_of_url(url)?;
        Ok(state.queues.delete(q, entries))
    }

    async fn start_move_task(
        &self,
        source_arn: &str,
        destination_arn: Option<&str>,
        max_per_second: Option<u32>,
    ) -> Result<String, BackendError> {
        self.calls().record("StartMessageMoveTask");
        let (mut state, now_ms) = self.lock_caught_up_with_now();
        let book = &mut state.queues;
        let invalid = |m: &str| Err(BackendError::InvalidInput(m.to_string()));
        let Some(source) = book.index_of_arn(source_arn) else {
            return Err(BackendError::NotFound(format!("queue {source_arn}")));
        };
        if max_per_second.is_some_and(|r| r == 0 || r > MAX_MOVE_RATE) {
            return invalid("MaxNumberOfMessagesPerSecond must be between 1 and 500");
        }
        if destination_arn.is_none() && book.sources_of(source).is_empty() {
            return invalid("the source queue is not a dead-letter queue of any queue");
        }
        if let Some(dest) = destination_arn {
            let Some(d) = book.index_of_arn(dest) else {
                return Err(BackendError::NotFound(format!("queue {dest}")));
            };
            if book.queues[d].fifo != book.queues[source].fifo {
                return invalid("the source and destination queues must be of the same type");
            }
        }
        if book
            .tasks
            .iter()
            .any(|t| t.task.source_arn == source_arn && t.task.is_active())
        {
            return invalid("there is already an active message move task for this queue");
        }
        let to_move = book.attributes(source, now_ms).visible;
        let handle = format!("sim-task-{}", book.tasks.len() + 1);
        book.tasks.push(book::SimMoveTask {
            handle: handle.clone(),
            task: MoveTask {
                task_handle: Some(handle.clone()),
                status: "RUNNING".into(),
                source_arn: source_arn.to_string(),
                destination_arn: destination_arn.map(str::to_string),
                max_per_second,
                moved: 0,
                to_move: Some(to_move),
                failure_reason: None,
                started_ms: Some(now_ms),
            },
        });
        Ok(handle)
    }

    async fn cancel_move_task(&self, task_handle: &str) -> Result<u64, BackendError> {
        self.calls().record("CancelMessageMoveTask");
        let mut state = self.lock_caught_up();
        let Some(task) = state
            .queues
            .tasks
            .iter_mut()
            .find(|t| t.handle == task_handle)
        else {
            return Err(BackendError::NotFound(format!("move task {task_handle}")));
        };
        if task.task.status != "RUNNING" {
            return Err(BackendError::InvalidInput(format!(
                "the move task is {}, not RUNNING",
                task.task.status
            )));
        }
        task.task.status = "CANCELLED".into();
        Ok(task.task.moved)
    }
}
