//! aws-sdk-sqs types to the model and back. Names and shown values are sanitised here;
//! bodies and attribute values are kept raw beside their shown form (see
//! [`crate::model::queues`]).

use std::collections::HashMap;

use aws_sdk_sqs::types::{
    BatchResultErrorEntry, ListMessageMoveTasksResultEntry, Message, MessageAttributeValue,
    MessageSystemAttributeName, MessageSystemAttributeNameForSends, MessageSystemAttributeValue,
    QueueAttributeName, SendMessageBatchRequestEntry,
};
use aws_smithy_types::Blob;
use aws_smithy_types::error::operation::BuildError;

use crate::model::queues::{
    BatchFailure, BatchOutcome, MessageAttribute, MoveTask, OutgoingMessage, QueueAttributes,
    QueueMessage, RedrivePolicy,
};
use crate::untrusted_text::sanitize_line;

fn clean(text: &str) -> String {
    sanitize_line(text).into_owned()
}

pub fn attributes(map: Option<&HashMap<QueueAttributeName, String>>) -> QueueAttributes {
    let get = |name: QueueAttributeName| map.and_then(|m| m.get(&name)).map(String::as_str);
    let number = |name: QueueAttributeName| get(name).and_then(|v| v.parse::<u64>().ok());
    let redrive_policy = get(QueueAttributeName::RedrivePolicy).and_then(redrive_policy);
    let redrive_permission = get(QueueAttributeName::RedriveAllowPolicy)
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .and_then(|v| v.get("redrivePermission")?.as_str().map(clean));
    QueueAttributes {
        arn: clean(get(QueueAttributeName::QueueArn).unwrap_or_default()),
        visible: number(QueueAttributeName::ApproximateNumberOfMessages).unwrap_or(0),
        in_flight: number(QueueAttributeName::ApproximateNumberOfMessagesNotVisible).unwrap_or(0),
        delayed: number(QueueAttributeName::ApproximateNumberOfMessagesDelayed).unwrap_or(0),
        fifo: get(QueueAttributeName::FifoQueue) == Some("true"),
        visibility_timeout_s: number(QueueAttributeName::VisibilityTimeout)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(30),
        retention_s: number(QueueAttributeName::MessageRetentionPeriod)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(345_600),
        created_ms: number(QueueAttributeName::CreatedTimestamp)
            .and_then(|s| i64::try_from(s).ok())
            .map(|s| s.saturating_mul(1000)),
        redrive_policy,
        redrive_permission,
    }
}

/// `{"deadLetterTargetArn": "...", "maxReceiveCount": 3}` (the count is a string or a
/// number, depending on who wrote it).
pub fn redrive_policy(text: &str) -> Option<RedrivePolicy> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let arn = value.get("deadLetterTargetArn")?.as_str()?;
    let count = value.get("maxReceiveCount")?;
    let max_receive_count = count
        .as_u64()
        .or_else(|| count.as_str()?.parse().ok())
        .and_then(|n| u32::try_from(n).ok())?;
    Some(RedrivePolicy {
        dead_letter_target_arn: clean(arn),
        max_receive_count,
    })
}

pub fn message(m: &Message) -> QueueMessage {
    let mut out = QueueMessage::new(
        m.message_id().unwrap_or_default(),
        m.receipt_handle().unwrap_or_default(),
        m.body().unwrap_or_default(),
    );
    if let Some(attributes) = m.attributes() {
        for (name, value) in attributes {
            if *name != MessageSystemAttributeName::All {
                out.attributes
                    .insert(clean(name.as_str()), value.to_string());
            }
        }
    }
    if let Some(attributes) = m.message_attributes() {
        for (name, value) in attributes {
            out.message_attributes
                .insert(clean(name), message_attribute(value));
        }
    }
    out
}

fn message_attribute(value: &MessageAttributeValue) -> MessageAttribute {
    match (value.string_value(), value.binary_value()) {
        (_, Some(blob)) => MessageAttribute::binary(value.data_type(), blob.as_ref().to_vec()),
        (text, None) => MessageAttribute::string(value.data_type(), text.unwrap_or_default()),
    }
}

pub fn send_entry(m: &OutgoingMessage) -> Result<SendMessageBatchRequestEntry, BuildError> {
    let mut entry = SendMessageBatchRequestEntry::builder()
        .id(&m.entry_id)
        .message_body(m.body.as_sent())
        .set_message_group_id(m.group_id.clone())
        .set_message_deduplication_id(m.deduplication_id.clone());
    for (name, attribute) in &m.message_attributes {
        let mut value = MessageAttributeValue::builder().data_type(&attribute.data_type);
        if let Some(text) = &attribute.string_value {
            value = value.string_value(text.as_sent());
        }
        if let Some(bytes) = &attribute.binary_value {
            value = value.binary_value(Blob::new(bytes.clone()));
        }
        entry = entry.message_attributes(name, value.build()?);
    }
    if let Some(trace) = &m.trace_header {
        let value = MessageSystemAttributeValue::builder()
            .data_type("String")
            .string_value(trace)
            .build()?;
        entry = entry
            .message_system_attributes(MessageSystemAttributeNameForSends::AwsTraceHeader, value);
    }
    entry.build()
}

pub fn outcome<'a>(
    ok: impl Iterator<Item = &'a str>,
    failed: &[BatchResultErrorEntry],
) -> BatchOutcome {
    BatchOutcome {
        ok: ok.map(str::to_string).collect(),
        failed: failed
            .iter()
            .map(|f| BatchFailure {
                entry_id: f.id().to_string(),
                code: clean(f.code()),
                message: clean(f.message().unwrap_or_default()),
                sender_fault: f.sender_fault(),
            })
            .collect(),
    }
}

pub fn move_task(t: &ListMessageMoveTasksResultEntry) -> MoveTask {
    MoveTask {
        task_handle: t.task_handle().map(clean),
        status: clean(t.status().unwrap_or("UNKNOWN")),
        source_arn: clean(t.source_arn().unwrap_or_default()),
        destination_arn: t.destination_arn().map(clean),
        max_per_second: t
            .max_number_of_messages_per_second()
            .and_then(|n| u32::try_from(n).ok()),
        moved: u64::try_from(t.approximate_number_of_messages_moved()).unwrap_or(0),
        to_move: t
            .approximate_number_of_messages_to_move()
            .and_then(|n| u64::try_from(n).ok()),
        failure_reason: t.failure_reason().map(clean),
        started_ms: (t.started_timestamp() > 0).then_some(t.started_timestamp()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redrive_policies_with_either_count_type() {
        let p = redrive_policy(
            r#"{"deadLetterTargetArn":"arn:aws:sqs:r:1:dlq","maxReceiveCount":"3"}"#,
        )
        .unwrap();
        assert_eq!(p.max_receive_count, 3);
        let p = redrive_policy(r#"{"deadLetterTargetArn":"arn:x","maxReceiveCount":5}"#).unwrap();
        assert_eq!(p.max_receive_count, 5);
        assert!(redrive_policy("{").is_none());
    }

    #[test]
    fn a_message_keeps_its_raw_values_beside_the_shown_ones() {
        let m = Message::builder()
            .message_id("m1")
            .receipt_handle("rh")
            .body("hi\u{1b}[2J")
            .attributes(MessageSystemAttributeName::ApproximateReceiveCount, "4")
            .message_attributes(
                "error",
                MessageAttributeValue::builder()
                    .data_type("String")
                    .string_value("Timeout\u{7}")
                    .build()
                    .unwrap(),
            )
            .build();
        let m = message(&m);
        assert_eq!(m.receive_count(), Some(4));
        assert_eq!(m.attribute_value("error"), Some("Timeout\u{7}"));
        assert!(!m.message_attributes["error"].shown.contains('\u{7}'));
        assert!(!m.body_shown.contains('\u{1b}'));
    }
}
