//! Reading a queue's messages without taking them: receive (which raises each message's
//! receive count and hides it for the visibility timeout), keep each message once, and show
//! them all again at the end. Peek stops at `max`; export reads everything (or what the
//! filter takes) into a JSONL file.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Map, Value, json};
use unstuck_aws::api::Queues;
use unstuck_aws::model::BackendError;
use unstuck_aws::model::queues::{BATCH_SIZE, QueueMessage, ReceiveRequest};

use super::filter::MessageFilter;
use super::redrive::{patiently, receipts};
use super::target::QueueTarget;

/// What the user is told before a peek or export: it is a receive.
pub fn receive_warning(visibility_s: u32) -> String {
    format!(
        "reading a queue is a receive: each message's receive count goes up by one and it is \
         hidden for up to {visibility_s} s (shown again when the read ends)"
    )
}

/// Receive up to `max` messages (each once), calling `each` with every new one that the
/// filter takes; then show them all again. Empty receives twice in a row end the read.
pub async fn read_messages(
    queues: &dyn Queues,
    queue: &QueueTarget,
    max: usize,
    visibility_s: u32,
    filter: &MessageFilter,
    mut each: impl FnMut(&QueueMessage) -> std::io::Result<()>,
) -> Result<ReadSummary, ReadError> {
    let request = ReceiveRequest {
        max_messages: 10,
        visibility_timeout_s: visibility_s,
        wait_s: 0,
    };
    let mut seen = HashSet::new();
    let mut held: Vec<(String, String)> = Vec::new();
    let mut summary = ReadSummary::default();
    let mut empty = 0;
    let result = loop {
        if summary.read >= max {
            break Ok(());
        }
        let batch = match patiently(|| queues.receive(&queue.url, &request)).await {
            Ok(batch) => batch,
            Err(e) => break Err(ReadError::Aws(e)),
        };
        if batch.is_empty() {
            empty += 1;
            if empty >= 2 {
                break Ok(());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        }
        empty = 0;
        let mut failed = None;
        for m in batch {
            held.push((m.message_id.clone(), m.receipt_handle.clone()));
            if !seen.insert(m.message_id.clone()) || summary.read >= max {
                continue;
            }
            summary.read += 1;
            if filter.matches(&m) {
                summary.taken += 1;
                if let Err(e) = each(&m) {
                    failed = Some(e);
                    break;
                }
            }
        }
        if let Some(e) = failed {
            break Err(ReadError::Write(e.to_string()));
        }
    };
    for chunk in held.chunks(BATCH_SIZE) {
        let _ = queues
            .change_visibility(&queue.url, &receipts(chunk), 0)
            .await;
    }
    result.map(|()| summary)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// Messages received (each once).
    pub read: usize,
    /// Of those, the ones the filter took.
    pub taken: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Aws(BackendError),
    #[error("writing: {0}")]
    Write(String),
}

/// One message as a JSONL line: body and attribute values exactly as held (JSON escapes
/// every control character), binary values in base64.
pub fn message_json(m: &QueueMessage) -> Value {
    let mut attributes = Map::new();
    for (name, a) in &m.message_attributes {
        let mut v = Map::new();
        v.insert("DataType".into(), json!(a.data_type));
        if let Some(s) = &a.string_value {
            v.insert("StringValue".into(), json!(s.as_sent()));
        }
        if let Some(b) = &a.binary_value {
            v.insert(
                "BinaryValue".into(),
                json!(base64::engine::general_purpose::STANDARD.encode(b)),
            );
        }
        attributes.insert(name.clone(), Value::Object(v));
    }
    json!({
        "MessageId": m.message_id,
        "Body": m.body.as_sent(),
        "Attributes": m.attributes,
        "MessageAttributes": attributes,
    })
}

/// Export a queue to a JSONL file (created; never overwritten), deleting nothing.
pub async fn export(
    queues: &dyn Queues,
    queue: &QueueTarget,
    path: &Path,
    filter: &MessageFilter,
    visibility_s: u32,
    mut progress: impl FnMut(usize),
) -> Result<ReadSummary, ReadError> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| ReadError::Write(format!("{}: {e}", path.display())))?;
    let mut out = std::io::BufWriter::new(file);
    let summary = read_messages(queues, queue, usize::MAX, visibility_s, filter, |m| {
        let mut line = message_json(m).to_string();
        line.push('\n');
        out.write_all(line.as_bytes())?;
        progress(1);
        Ok(())
    })
    .await?;
    out.flush()
        .and_then(|()| out.get_ref().sync_all())
        .map_err(|e| ReadError::Write(e.to_string()))?;
    Ok(summary)
}
