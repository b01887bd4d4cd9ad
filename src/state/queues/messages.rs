//! One queue's messages as a peek read them: the `/` filter over them (a regex over the
//! body, `@NAME=VALUE` over attributes), groups by error attribute or body shape, and the
//! props of the selected message. Everything shown is the sanitised form.

use std::collections::BTreeMap;

use unstuck_aws::model::queues::{QueueMessage, QueueSummary, queue_name_of};
use unstuck_views::queues::MessageItem;

use crate::queues::MessageFilter;

/// Attributes that name why a message failed (Lambda's async DLQ, common app conventions).
const ERROR_ATTRIBUTES: [&str; 4] = ["ErrorCode", "ErrorMessage", "errorType", "error"];

#[derive(Debug, Clone, PartialEq)]
pub struct OpenQueue {
    pub queue: QueueSummary,
    /// None while the peek runs.
    pub messages: Option<Result<Vec<QueueMessage>, String>>,
    pub cursor: usize,
    pub filter_text: String,
    pub filter: MessageFilter,
}

impl OpenQueue {
    pub fn new(queue: QueueSummary) -> Self {
        Self {
            queue,
            messages: None,
            cursor: 0,
            filter_text: String::new(),
            filter: MessageFilter::default(),
        }
    }

    pub fn shown(&self) -> Vec<&QueueMessage> {
        match &self.messages {
            Some(Ok(all)) => all.iter().filter(|m| self.filter.matches(m)).collect(),
            _ => Vec::new(),
        }
    }

    pub fn move_cursor(&mut self, delta: isize) {
        self.cursor =
            crate::state::shared::pane_ctx::moved_cursor(self.cursor, delta, self.shown().len());
    }

    pub fn items(&self) -> Vec<MessageItem<'_>> {
        self.shown()
            .into_iter()
            .map(|m| MessageItem {
                id: &m.message_id,
                sent: m
                    .sent_ms()
                    .map(crate::executions_command::render::rfc3339)
                    .unwrap_or_default(),
                receives: m.receive_count().map(|n| n.to_string()).unwrap_or_default(),
                source: m
                    .source_arn()
                    .map(|a| queue_name_of(a).to_string())
                    .unwrap_or_default(),
                summary: m.body_shown.chars().take(200).collect(),
            })
            .collect()
    }

    /// Counts by error attribute where messages carry one, else by body shape; largest first.
    pub fn groups(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for m in self.shown() {
            *counts.entry(group_of(m)).or_default() += 1;
        }
        let mut out: Vec<(String, usize)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// The selected message as lines: ids, attributes, then the pretty body.
    pub fn detail(&self) -> Vec<String> {
        let shown = self.shown();
        let Some(m) = shown.get(self.cursor) else {
            return Vec::new();
        };
        let mut lines = vec![format!("── {}", m.message_id)];
        for (name, value) in &m.attributes {
            lines.push(format!(
                "   {name}: {}",
                unstuck_aws::untrusted_text::sanitize_line(value)
            ));
        }
        for (name, a) in &m.message_attributes {
            lines.push(format!("   @{name} ({}) = {}", a.data_type, a.shown));
        }
        lines.extend(
            crate::state::shared::json_value::pretty_json(&m.body_shown)
                .lines()
                .map(str::to_string),
        );
        lines
    }
}

/// An error attribute's value, or the body's shape: top-level keys, each with its kind
/// (`[]` an empty list, `[…]` a list with items).
pub fn group_of(m: &QueueMessage) -> String {
    for name in ERROR_ATTRIBUTES {
        if let Some(a) = m.message_attributes.get(name) {
            return format!("{name} = {}", a.shown);
        }
    }
    match serde_json::from_str::<serde_json::Value>(&m.body_shown) {
        Ok(serde_json::Value::Object(map)) => {
            let mut keys: Vec<String> = map
                .iter()
                .map(|(k, v)| match v {
                    serde_json::Value::Array(a) if a.is_empty() => format!("{k}:[]"),
                    serde_json::Value::Array(_) => format!("{k}:[…]"),
                    serde_json::Value::Object(_) => format!("{k}:{{…}}"),
                    _ => k.clone(),
                })
                .collect();
            keys.sort();
            format!("{{{}}}", keys.join(","))
        }
        Ok(_) => "JSON, not an object".into(),
        Err(_) => "not JSON".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_group_by_error_attribute_else_by_shape() {
        let a = QueueMessage::new("a", "h", r#"{"id":1,"deductions":[]}"#);
        let b = QueueMessage::new("b", "h", r#"{"id":2,"deductions":[{"x":1}]}"#);
        assert_eq!(group_of(&a), "{deductions:[],id}");
        assert_eq!(group_of(&b), "{deductions:[…],id}");
        let mut c = QueueMessage::new("c", "h", "plain");
        assert_eq!(group_of(&c), "not JSON");
        c.message_attributes.insert(
            "ErrorCode".into(),
            unstuck_aws::model::queues::MessageAttribute::string("String", "200"),
        );
        assert_eq!(group_of(&c), "ErrorCode = 200");
    }
}
