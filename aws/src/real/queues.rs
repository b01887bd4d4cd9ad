//! SQS through aws-sdk-sqs. Conversions to the model are in `queues_convert`; every SDK error
//! goes through `errors::classify`.

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{
    ChangeMessageVisibilityBatchRequestEntry, DeleteMessageBatchRequestEntry,
    MessageSystemAttributeName, QueueAttributeName,
};

use super::errors::{ErrorContext, classify};
use super::queues_convert as convert;
use crate::api::{MAX_QUEUES, Queues, QueuesOps};
use crate::model::BackendError;
use crate::model::queues::{
    BatchOutcome, MoveTask, OutgoingMessage, QueueAttributes, QueueMessage, QueueRef, ReceiptEntry,
    ReceiveRequest,
};

/// The real [`Queues`] and [`QueuesOps`] backend.
#[derive(Debug, Clone)]
pub struct RealQueues {
    client: Client,
    cx: ErrorContext,
}

impl RealQueues {
    pub(crate) fn new(client: Client, cx: ErrorContext) -> Self {
        Self { client, cx }
    }
}

fn build_error(e: impl std::fmt::Display) -> BackendError {
    BackendError::InvalidInput(crate::untrusted_text::sanitize_line(&e.to_string()).into_owned())
}

#[async_trait]
impl Queues for RealQueues {
    async fn list_queues(&self) -> Result<Vec<QueueRef>, BackendError> {
        let mut queues = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let out = self
                .client
                .list_queues()
                .max_results(1_000)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| classify(&e, "ListQueues", &self.cx))?;
            queues.extend(out.queue_urls().iter().map(|url| QueueRef::from_url(url)));
            next_token = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() || queues.len() >= MAX_QUEUES {
                break;
            }
        }
        queues.sort();
        queues.dedup();
        queues.truncate(MAX_QUEUES);
        Ok(queues)
    }

    async fn queue_url(&self, name: &str) -> Result<String, BackendError> {
        let out = self
            .client
            .get_queue_url()
            .queue_name(name)
            .send()
            .await
            .map_err(|e| classify(&e, "GetQueueUrl", &self.cx))?;
        out.queue_url()
            .map(str::to_string)
            .ok_or_else(|| BackendError::NotFound(format!("queue {name}")))
    }

    async fn queue_attributes(&self, url: &str) -> Result<QueueAttributes, BackendError> {
        let out = self
            .client
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::All)
            .send()
            .await
            .map_err(|e| classify(&e, "GetQueueAttributes", &self.cx))?;
        Ok(convert::attributes(out.attributes()))
    }

    async fn dead_letter_sources(&self, url: &str) -> Result<Vec<String>, BackendError> {
        let mut urls = Vec::new();
        let mut next_token: Option<String> = None;
        loop {
            let out = self
                .client
                .list_dead_letter_source_queues()
                .queue_url(url)
                .max_results(1_000)
                .set_next_token(next_token.take())
                .send()
                .await
                .map_err(|e| classify(&e, "ListDeadLetterSourceQueues", &self.cx))?;
            urls.extend(out.queue_urls().iter().cloned());
            next_token = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if next_token.is_none() || urls.len() >= MAX_QUEUES {
                break;
            }
        }
        Ok(urls)
    }

    async fn receive(
        &self,
        url: &str,
        req: &ReceiveRequest,
    ) -> Result<Vec<QueueMessage>, BackendError> {
        let out = self
            .client
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(i32::from(req.max_messages.clamp(1, 10)))
            .visibility_timeout(i32::try_from(req.visibility_timeout_s).unwrap_or(i32::MAX))
            .wait_time_seconds(i32::from(req.wait_s.min(20)))
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .map_err(|e| classify(&e, "ReceiveMessage", &self.cx))?;
        Ok(out.messages().iter().map(convert::message).collect())
    }

    async fn change_visibility(
        &self,
        url: &str,
        entries: &[ReceiptEntry],
        timeout_s: u32,
    ) -> Result<BatchOutcome, BackendError> {
        if entries.is_empty() {
            return Ok(BatchOutcome::default());
        }
        let timeout = i32::try_from(timeout_s).unwrap_or(i32::MAX);
        let entries = entries
            .iter()
            .map(|e| {
                ChangeMessageVisibilityBatchRequestEntry::builder()
                    .id(&e.entry_id)
                    .receipt_handle(&e.receipt_handle)
                    .visibility_timeout(timeout)
                    .build()
                    .map_err(build_error)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let out = self
            .client
            .change_message_visibility_batch()
            .queue_url(url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| classify(&e, "ChangeMessageVisibilityBatch", &self.cx))?;
        Ok(convert::outcome(
            out.successful().iter().map(|s| s.id()),
            out.failed(),
        ))
    }

    async fn list_move_tasks(&self, source_arn: &str) -> Result<Vec<MoveTask>, BackendError> {
        let out = self
            .client
            .list_message_move_tasks()
            .source_arn(source_arn)
            .max_results(10)
            .send()
            .await
            .map_err(|e| classify(&e, "ListMessageMoveTasks", &self.cx))?;
        Ok(out.results().iter().map(convert::move_task).collect())
    }
}

#[async_trait]
impl QueuesOps for RealQueues {
    async fn send_batch(
        &self,
        url: &str,
        messages: &[OutgoingMessage],
    ) -> Result<BatchOutcome, BackendError> {
        let entries = messages
            .iter()
            .map(convert::send_entry)
            .collect::<Result<Vec<_>, _>>()
            .map_err(build_error)?;
        let out = self
            .client
            .send_message_batch()
            .queue_url(url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| classify(&e, "SendMessageBatch", &self.cx))?;
        Ok(convert::outcome(
            out.successful().iter().map(|s| s.id()),
            out.failed(),
        ))
    }

    async fn delete_batch(
        &self,
        url: &str,
        entries: &[ReceiptEntry],
    ) -> Result<BatchOutcome, BackendError> {
        if entries.is_empty() {
            return Ok(BatchOutcome::default());
        }
        let entries = entries
            .iter()
            .map(|e| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(&e.entry_id)
                    .receipt_handle(&e.receipt_handle)
                    .build()
                    .map_err(build_error)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let out = self
            .client
            .delete_message_batch()
            .queue_url(url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| classify(&e, "DeleteMessageBatch", &self.cx))?;
        Ok(convert::outcome(
            out.successful().iter().map(|s| s.id()),
            out.failed(),
        ))
    }

    async fn start_move_task(
        &self,
        source_arn: &str,
        destination_arn: Option<&str>,
        max_per_second: Option<u32>,
    ) -> Result<String, BackendError> {
        let out = self
            .client
            .start_message_move_task()
            .source_arn(source_arn)
            .set_destination_arn(destination_arn.map(str::to_string))
            .set_max_number_of_messages_per_second(
                max_per_second.and_then(|r| i32::try_from(r).ok()),
            )
            .send()
            .await
            .map_err(|e| classify(&e, "StartMessageMoveTask", &self.cx))?;
        Ok(out.task_handle().unwrap_or_default().to_string())
    }

    async fn cancel_move_task(&self, task_handle: &str) -> Result<u64, BackendError> {
        let out = self
            .client
            .cancel_message_move_task()
            .task_handle(task_handle)
            .send()
            .await
            .map_err(|e| classify(&e, "CancelMessageMoveTask", &self.cx))?;
        Ok(u64::try_from(out.approximate_number_of_messages_moved()).unwrap_or(0))
    }
}
