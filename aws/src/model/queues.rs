//! SQS queues and their messages, as the app sees them.
//!
//! Names, ARNs and attribute values shown on screen are sanitised when they come in. A
//! message's body and attribute values are kept twice: exactly as AWS holds them
//! ([`RawText`], which has no `Display`, for sending back and exporting) and sanitised for the
//! screen (`shown`). Nothing prints the raw text to a terminal.

use std::collections::BTreeMap;

use crate::untrusted_text::sanitize_line;

/// The SQS maximum message size (body and attributes together): 1 MiB since 2025-08.
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;
/// Message attributes AWS allows on one message.
pub const MAX_MESSAGE_ATTRIBUTES: usize = 10;
/// Entries in one SendMessageBatch / DeleteMessageBatch / ReceiveMessage.
pub const BATCH_SIZE: usize = 10;
/// The highest rate StartMessageMoveTask accepts (messages per second).
pub const MAX_MOVE_RATE: u32 = 500;

/// Text exactly as AWS holds it (a message body, an attribute value). No `Display`: it is
/// for sending back and for files, never for the terminal.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawText(String);

impl RawText {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text as sent: only for requests and files.
    pub fn as_sent(&self) -> &str {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for RawText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RawText({} bytes)", self.0.len())
    }
}

/// A queue's name and URL (ListQueues).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QueueRef {
    pub name: String,
    pub url: String,
}

impl QueueRef {
    /// From a queue URL (its last path segment is the name).
    pub fn from_url(url: &str) -> Self {
        let name = url.rsplit('/').next().unwrap_or(url);
        Self {
            name: sanitize_line(name).into_owned(),
            url: url.to_string(),
        }
    }

    pub fn is_fifo(&self) -> bool {
        self.name.ends_with(".fifo")
    }
}

/// Where a queue sends what its consumers fail on (its RedrivePolicy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedrivePolicy {
    pub dead_letter_target_arn: String,
    pub max_receive_count: u32,
}

/// A queue's attributes (GetQueueAttributes All).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueAttributes {
    pub arn: String,
    /// ApproximateNumberOfMessages.
    pub visible: u64,
    /// ApproximateNumberOfMessagesNotVisible.
    pub in_flight: u64,
    /// ApproximateNumberOfMessagesDelayed.
    pub delayed: u64,
    pub fifo: bool,
    pub visibility_timeout_s: u32,
    pub retention_s: u32,
    pub created_ms: Option<i64>,
    pub redrive_policy: Option<RedrivePolicy>,
    /// RedriveAllowPolicy's `redrivePermission` (allowAll, denyAll, byQueue), when set.
    pub redrive_permission: Option<String>,
}

impl QueueAttributes {
    /// Messages held, visible or not.
    pub fn depth(&self) -> u64 {
        self.visible + self.in_flight + self.delayed
    }
}

/// One queue with what the table shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueSummary {
    pub queue: QueueRef,
    pub attributes: QueueAttributes,
    /// The queues whose RedrivePolicy names this one (it is their DLQ), by ARN.
    pub sources: Vec<String>,
}

impl QueueSummary {
    pub fn is_dlq(&self) -> bool {
        !self.sources.is_empty()
    }

    pub fn dlq_arn(&self) -> Option<&str> {
        self.attributes
            .redrive_policy
            .as_ref()
            .map(|p| p.dead_letter_target_arn.as_str())
    }
}

/// A message attribute (MessageAttributes), raw and as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageAttribute {
    /// String, Number, Binary, or a custom `String.x` type.
    pub data_type: String,
    pub string_value: Option<RawText>,
    pub binary_value: Option<Vec<u8>>,
    /// The value for the screen: sanitised text, or "<N bytes>" for binary.
    pub shown: String,
}

impl MessageAttribute {
    pub fn string(data_type: &str, value: &str) -> Self {
        Self {
            data_type: sanitize_line(data_type).into_owned(),
            string_value: Some(RawText::new(value)),
            binary_value: None,
            shown: sanitize_line(value).into_owned(),
        }
    }

    pub fn binary(data_type: &str, value: Vec<u8>) -> Self {
        Self {
            data_type: sanitize_line(data_type).into_owned(),
            shown: format!("<{} bytes>", value.len()),
            string_value: None,
            binary_value: Some(value),
        }
    }
}

/// The system attributes the app reads (all others are kept by name, sanitised).
pub mod system_attribute {
    pub const SENT_TIMESTAMP: &str = "SentTimestamp";
    pub const RECEIVE_COUNT: &str = "ApproximateReceiveCount";
    pub const FIRST_RECEIVE: &str = "ApproximateFirstReceiveTimestamp";
    pub const GROUP_ID: &str = "MessageGroupId";
    pub const DEDUPLICATION_ID: &str = "MessageDeduplicationId";
    pub const TRACE_HEADER: &str = "AWSTraceHeader";
    pub const SOURCE_ARN: &str = "DeadLetterQueueSourceArn";
    pub const SENDER_ID: &str = "SenderId";
}

/// One received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMessage {
    pub message_id: String,
    /// Only valid until the message is received again.
    pub receipt_handle: String,
    pub body: RawText,
    /// The body for the screen, sanitised (control characters and escapes neutralised).
    pub body_shown: String,
    /// System attributes (SentTimestamp, ApproximateReceiveCount, MessageGroupId, ...), raw:
    /// sent back as they are; use [`QueueMessage::attribute_shown`] for the screen.
    pub attributes: BTreeMap<String, String>,
    pub message_attributes: BTreeMap<String, MessageAttribute>,
}

impl QueueMessage {
    /// A message from its parts; the body's shown form is made here.
    pub fn new(message_id: &str, receipt_handle: &str, body: &str) -> Self {
        Self {
            message_id: sanitize_line(message_id).into_owned(),
            receipt_handle: receipt_handle.to_string(),
            body: RawText::new(body),
            body_shown: crate::untrusted_text::sanitize_lines(body).join("\n"),
            attributes: BTreeMap::new(),
            message_attributes: BTreeMap::new(),
        }
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// A system attribute for the screen.
    pub fn attribute_shown(&self, name: &str) -> Option<String> {
        self.attribute(name).map(|v| sanitize_line(v).into_owned())
    }

    pub fn sent_ms(&self) -> Option<i64> {
        self.attribute(system_attribute::SENT_TIMESTAMP)?
            .parse()
            .ok()
    }

    pub fn receive_count(&self) -> Option<u32> {
        self.attribute(system_attribute::RECEIVE_COUNT)?
            .parse()
            .ok()
    }

    pub fn group_id(&self) -> Option<&str> {
        self.attribute(system_attribute::GROUP_ID)
    }

    pub fn source_arn(&self) -> Option<&str> {
        self.attribute(system_attribute::SOURCE_ARN)
    }

    /// A message attribute's string value, raw (for matching `--attribute NAME=VALUE`).
    pub fn attribute_value(&self, name: &str) -> Option<&str> {
        self.message_attributes
            .get(name)?
            .string_value
            .as_ref()
            .map(RawText::as_sent)
    }

    /// Bytes SQS counts for this message: body, attribute names, types and values.
    pub fn size_bytes(&self) -> usize {
        self.body.len()
            + self
                .message_attributes
                .iter()
                .map(|(name, a)| {
                    name.len()
                        + a.data_type.len()
                        + a.string_value.as_ref().map_or(0, RawText::len)
                        + a.binary_value.as_ref().map_or(0, Vec::len)
                })
                .sum::<usize>()
    }
}

/// How a receive behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiveRequest {
    /// At most [`BATCH_SIZE`].
    pub max_messages: u8,
    /// How long the received messages stay hidden.
    pub visibility_timeout_s: u32,
    /// Long polling (0: answer at once).
    pub wait_s: u8,
}

/// One message to send (SendMessageBatch entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    /// Unique within the batch.
    pub entry_id: String,
    pub body: RawText,
    pub message_attributes: BTreeMap<String, MessageAttribute>,
    /// AWSTraceHeader, kept across the redrive.
    pub trace_header: Option<String>,
    /// FIFO only.
    pub group_id: Option<String>,
    /// FIFO only.
    pub deduplication_id: Option<String>,
}

/// One message to delete or change (DeleteMessageBatch / ChangeMessageVisibilityBatch entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptEntry {
    pub entry_id: String,
    pub receipt_handle: String,
}

/// What a batch call did, entry by entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BatchOutcome {
    /// Entry ids that succeeded.
    pub ok: Vec<String>,
    /// Entry ids that failed, with AWS's reason (sanitised) and whether it was the sender's
    /// fault (not worth retrying).
    pub failed: Vec<BatchFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchFailure {
    pub entry_id: String,
    pub code: String,
    pub message: String,
    pub sender_fault: bool,
}

/// A native message move task (ListMessageMoveTasks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveTask {
    pub task_handle: Option<String>,
    /// RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED (SCHEDULED too, say AWS's docs).
    pub status: String,
    pub source_arn: String,
    pub destination_arn: Option<String>,
    pub max_per_second: Option<u32>,
    pub moved: u64,
    pub to_move: Option<u64>,
    pub failure_reason: Option<String>,
    pub started_ms: Option<i64>,
}

impl MoveTask {
    /// SCHEDULED, RUNNING and CANCELLING tasks hold the queue: no second one may start.
    pub fn is_active(&self) -> bool {
        matches!(self.status.as_str(), "SCHEDULED" | "RUNNING" | "CANCELLING")
    }
}

/// `name`, `arn:aws:sqs:region:account:name` or a queue URL: the queue's name.
pub fn queue_name_of(spec: &str) -> &str {
    if spec.starts_with("arn:") {
        spec.rsplit(':').next().unwrap_or(spec)
    } else if spec.contains("://") {
        spec.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(spec)
    } else {
        spec
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_arns_and_urls() {
        assert_eq!(
            queue_name_of("arn:aws:sqs:eu-west-1:123456789012:tax-dlq"),
            "tax-dlq"
        );
        assert_eq!(
            queue_name_of("http://127.0.0.1:5000/123456789012/tax-dlq.fifo"),
            "tax-dlq.fifo"
        );
        assert_eq!(queue_name_of("tax-dlq"), "tax-dlq");
        assert!(QueueRef::from_url("https://sqs.eu-west-1.amazonaws.com/1/a.fifo").is_fifo());
    }

    #[test]
    fn a_body_is_kept_raw_and_shown_sanitised() {
        let m = QueueMessage::new("id", "rh", "{\"a\":\"\u{1b}]52;c;aGk=\u{7}\"}");
        assert!(m.body.as_sent().contains('\u{1b}'));
        assert!(!m.body_shown.contains('\u{1b}'), "{:?}", m.body_shown);
        assert!(format!("{m:?}").contains("RawText("));
        assert!(!format!("{m:?}").contains('\u{1b}'));
    }

    #[test]
    fn active_move_tasks() {
        let task = |status: &str| MoveTask {
            task_handle: None,
            status: status.into(),
            source_arn: String::new(),
            destination_arn: None,
            max_per_second: None,
            moved: 0,
            to_move: None,
            failure_reason: None,
            started_ms: None,
        };
        for s in ["SCHEDULED", "RUNNING", "CANCELLING"] {
            assert!(task(s).is_active(), "{s}");
        }
        for s in ["COMPLETED", "CANCELLED", "FAILED"] {
            assert!(!task(s).is_active(), "{s}");
        }
    }
}
