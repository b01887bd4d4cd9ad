//! The demo world's queues and their messages: receive with visibility timeouts and receipt
//! handles, delete, send, redrive policies that move a message to its DLQ after
//! `maxReceiveCount` failed receives (with `DeadLetterQueueSourceArn` set, as SQS does), and
//! native move tasks that move a DLQ's messages at their rate, tick by tick.

use std::collections::BTreeMap;

use crate::model::BackendError;
use crate::model::queues::{
    BatchFailure, BatchOutcome, MessageAttribute, MoveTask, OutgoingMessage, QueueAttributes,
    QueueMessage, QueueRef, RawText, ReceiptEntry, RedrivePolicy, system_attribute as sys,
};
use crate::sim::{DEMO_ACCOUNT, DEMO_REGION};

/// Who takes a queue's messages in the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumer {
    /// Nobody (a DLQ).
    None,
    /// A Lambda event source mapping: batches of this many per tick.
    Lambda {
        function: &'static str,
        per_tick: usize,
    },
}

#[derive(Debug, Clone)]
pub struct SimMessage {
    pub id: String,
    /// Bumped by every receive: the receipt handle is `id#receipts`.
    pub receipts: u64,
    pub body: String,
    /// System attributes set at send (group, dedup, trace header, DLQ source).
    pub system: BTreeMap<String, String>,
    pub attributes: BTreeMap<String, MessageAttribute>,
    pub sent_ms: i64,
    pub receive_count: u32,
    pub first_receive_ms: Option<i64>,
    pub visible_at_ms: i64,
    /// Fails every time (a poison message) rather than now and then.
    pub poison: bool,
    /// Sent back by an operator: its processing writes logs of its own.
    pub redriven: bool,
}

impl SimMessage {
    fn handle(&self) -> String {
        format!("{}#{}", self.id, self.receipts)
    }
}

#[derive(Debug)]
pub struct SimQueue {
    pub name: String,
    pub fifo: bool,
    pub consumer: Consumer,
    pub redrive: Option<RedrivePolicy>,
    pub visibility_timeout_s: u32,
    pub created_ms: i64,
    pub messages: Vec<SimMessage>,
}

impl SimQueue {
    pub fn arn(&self) -> String {
        format!("arn:aws:sqs:{DEMO_REGION}:{DEMO_ACCOUNT}:{}", self.name)
    }

    pub fn url(&self) -> String {
        format!(
            "https://sqs.{DEMO_REGION}.amazonaws.com/{DEMO_ACCOUNT}/{}",
            self.name
        )
    }
}

#[derive(Debug, Clone)]
pub struct SimMoveTask {
    pub task: MoveTask,
    pub handle: String,
}

/// Every queue of the demo world.
#[derive(Debug, Default)]
pub struct QueueBook {
    pub queues: Vec<SimQueue>,
    pub tasks: Vec<SimMoveTask>,
    /// Message ids handed out so far.
    pub next_id: u64,
}

fn no_queue(what: &str) -> BackendError {
    BackendError::NotFound(format!(
        "AWS.SimpleQueueService.NonExistentQueue: the queue {} does not exist",
        crate::untrusted_text::sanitize_line(what)
    ))
}

impl QueueBook {
    pub fn index_of_url(&self, url: &str) -> Result<usize, BackendError> {
        self.queues
            .iter()
            .position(|q| q.url() == url)
            .ok_or_else(|| no_queue(url))
    }

    pub fn index_of_arn(&self, arn: &str) -> Option<usize> {
        self.queues.iter().position(|q| q.arn() == arn)
    }

    pub fn refs(&self) -> Vec<QueueRef> {
        let mut refs: Vec<QueueRef> = self
            .queues
            .iter()
            .map(|q| QueueRef::from_url(&q.url()))
            .collect();
        refs.sort();
        refs
    }

    pub fn url_of(&self, name: &str) -> Result<String, BackendError> {
        self.queues
            .iter()
            .find(|q| q.name == name)
            .map(SimQueue::url)
            .ok_or_else(|| no_queue(name))
    }

    pub fn attributes(&self, q: usize, now_ms: i64) -> QueueAttributes {
        let queue = &self.queues[q];
        let (visible, in_flight) = queue.messages.iter().fold((0, 0), |(v, f), m| {
            if m.visible_at_ms <= now_ms {
                (v + 1, f)
            } else {
                (v, f + 1)
            }
        });
        QueueAttributes {
            arn: queue.arn(),
            visible,
            in_flight,
            delayed: 0,
            fifo: queue.fifo,
            visibility_timeout_s: queue.visibility_timeout_s,
            retention_s: 14 * 86_400,
            created_ms: Some(queue.created_ms),
            redrive_policy: queue.redrive.clone(),
            redrive_permission: None,
        }
    }

    pub fn sources_of(&self, q: usize) -> Vec<String> {
        let arn = self.queues[q].arn();
        self.queues
            .iter()
            .filter(|s| {
                s.redrive
                    .as_ref()
                    .is_some_and(|r| r.dead_letter_target_arn == arn)
            })
            .map(SimQueue::url)
            .collect()
    }

    /// Up to `max` visible messages, hidden for `visibility_s`. A FIFO queue hands out at
    /// most one group's messages while any of that group is in flight.
    pub fn receive(
        &mut self,
        q: usize,
        max: usize,
        visibility_s: u32,
        now_ms: i64,
    ) -> Vec<QueueMessage> {
        let queue = &mut self.queues[q];
        let fifo = queue.fifo;
        let busy_groups: Vec<String> = if fifo {
            queue
                .messages
                .iter()
                .filter(|m| m.visible_at_ms > now_ms)
                .filter_map(|m| m.system.get(sys::GROUP_ID).cloned())
                .collect()
        } else {
            Vec::new()
        };
        let mut out = Vec::new();
        for m in queue.messages.iter_mut() {
            if out.len() >= max {
                break;
            }
            if m.visible_at_ms > now_ms {
                continue;
            }
            if fifo
                && m.system
                    .get(sys::GROUP_ID)
                    .is_some_and(|g| busy_groups.contains(g))
            {
                continue;
            }
            m.receipts += 1;
            m.receive_count += 1;
            m.first_receive_ms.get_or_insert(now_ms);
            m.visible_at_ms = now_ms + i64::from(visibility_s) * 1000;
            out.push(to_model(m));
        }
        out
    }

    pub fn change_visibility(
        &mut self,
        q: usize,
        entries: &[ReceiptEntry],
        timeout_s: u32,
        now_ms: i64,
    ) -> BatchOutcome {
        let queue = &mut self.queues[q];
        let mut outcome = BatchOutcome::default();
        for e in entries {
            match queue
                .messages
                .iter_mut()
                .find(|m| m.handle() == e.receipt_handle)
            {
                Some(m) if m.visible_at_ms > now_ms => {
                    m.visible_at_ms = now_ms + i64::from(timeout_s) * 1000;
                    outcome.ok.push(e.entry_id.clone());
                }
                _ => outcome.failed.push(failure(
                    e,
                    "MessageNotInflight",
                    "the message is not in flight",
                )),
            }
        }
        outcome
    }

    /// Deleting with a receipt handle of an earlier receive does nothing, as in SQS (which
    /// answers ok); an unknown handle fails.
    pub fn delete(&mut self, q: usize, entries: &[ReceiptEntry]) -> BatchOutcome {
        let queue = &mut self.queues[q];
        let mut outcome = BatchOutcome::default();
        for e in entries {
            // `id#receipts`: a handle this world handed out.
            let well_formed = e
                .receipt_handle
                .split_once('#')
                .is_some_and(|(_, n)| n.parse::<u64>().is_ok());
            match queue
                .messages
                .iter()
                .position(|m| m.handle() == e.receipt_handle)
            {
                Some(at) => {
                    queue.messages.remove(at);
                    outcome.ok.push(e.entry_id.clone());
                }
                None if well_formed => {
                    outcome.ok.push(e.entry_id.clone());
                }
                None => outcome.failed.push(failure(
                    e,
                    "ReceiptHandleIsInvalid",
                    "the receipt handle is not valid",
                )),
            }
        }
        outcome
    }

    pub fn send(&mut self, q: usize, messages: &[OutgoingMessage], now_ms: i64) -> BatchOutcome {
        let mut outcome = BatchOutcome::default();
        for m in messages {
            let fifo = self.queues[q].fifo;
            if fifo != m.group_id.is_some() {
                outcome.failed.push(BatchFailure {
                    entry_id: m.entry_id.clone(),
                    code: "MissingParameter".into(),
                    message: if fifo {
                        "The request must contain the parameter MessageGroupId.".into()
                    } else {
                        "MessageGroupId is only for FIFO queues".into()
                    },
                    sender_fault: true,
                });
                continue;
            }
            let mut system = BTreeMap::new();
            if let Some(g) = &m.group_id {
                system.insert(sys::GROUP_ID.to_string(), g.clone());
            }
            if let Some(d) = &m.deduplication_id {
                system.insert(sys::DEDUPLICATION_ID.to_string(), d.clone());
            }
            if let Some(t) = &m.trace_header {
                system.insert(sys::TRACE_HEADER.to_string(), t.clone());
            }
            let poison = is_poison(m.body.as_sent());
            let message = self.new_message(m.body.as_sent(), system, now_ms, poison);
            let queue = &mut self.queues[q];
            queue.messages.push(SimMessage {
                attributes: m.message_attributes.clone(),
                redriven: true,
                ..message
            });
            outcome.ok.push(m.entry_id.clone());
        }
        outcome
    }

    pub fn new_message(
        &mut self,
        body: &str,
        system: BTreeMap<String, String>,
        now_ms: i64,
        poison: bool,
    ) -> SimMessage {
        self.next_id += 1;
        let n = self.next_id;
        SimMessage {
            id: format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                (n * 2_654_435_761) & 0xffff_ffff,
                n & 0xffff,
                n & 0xfff,
                (n >> 4) & 0xfff,
                n
            ),
            receipts: 0,
            body: body.to_string(),
            system,
            attributes: BTreeMap::new(),
            sent_ms: now_ms,
            receive_count: 0,
            first_receive_ms: None,
            visible_at_ms: now_ms,
            poison,
            redriven: false,
        }
    }

    /// A failed receive of a source queue's message: after `maxReceiveCount` it moves to
    /// the DLQ, with `DeadLetterQueueSourceArn` naming where it came from.
    pub fn failed(&mut self, q: usize, at: usize, now_ms: i64) {
        let queue = &mut self.queues[q];
        let Some(policy) = queue.redrive.clone() else {
            return;
        };
        if queue.messages[at].receive_count < policy.max_receive_count {
            return;
        }
        let source = queue.arn();
        let mut message = queue.messages.remove(at);
        if let Some(dlq) = self.index_of_arn(&policy.dead_letter_target_arn) {
            message.system.insert(sys::SOURCE_ARN.to_string(), source);
            message.visible_at_ms = now_ms;
            message.redriven = false;
            self.queues[dlq].messages.push(message);
        }
    }
}

fn failure(e: &ReceiptEntry, code: &str, message: &str) -> BatchFailure {
    BatchFailure {
        entry_id: e.entry_id.clone(),
        code: code.to_string(),
        message: message.to_string(),
        sender_fault: true,
    }
}

pub fn to_model(m: &SimMessage) -> QueueMessage {
    let mut out = QueueMessage::new(&m.id, &m.handle(), &m.body);
    out.attributes = m.system.clone();
    let mut put = |name: &str, value: String| {
        out.attributes.insert(name.to_string(), value);
    };
    put(sys::SENT_TIMESTAMP, m.sent_ms.to_string());
    put(sys::RECEIVE_COUNT, m.receive_count.to_string());
    if let Some(first) = m.first_receive_ms {
        put(sys::FIRST_RECEIVE, first.to_string());
    }
    put(sys::SENDER_ID, "AIDAEXAMPLEDEMO".to_string());
    out.message_attributes = m.attributes.clone();
    out
}

/// The demo's incident: `tax-calculate-refund` fails on every return without deductions.
pub fn is_poison(body: &str) -> bool {
    body.contains("\"deductions\":[]")
}

/// A string attribute as the demo sends it.
pub fn text_attribute(value: &str) -> MessageAttribute {
    MessageAttribute {
        data_type: "String".into(),
        string_value: Some(RawText::new(value)),
        binary_value: None,
        shown: crate::untrusted_text::sanitize_line(value).into_owned(),
    }
}
