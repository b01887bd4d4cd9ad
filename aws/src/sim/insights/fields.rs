//! The fields Logs Insights discovers in an event: the system fields, Lambda's platform
//! lines (`@type`, `@requestId`, `@duration`, `@billedDuration`, `@memorySize` and
//! `@maxMemoryUsed` in bytes, `@initDuration`) and the keys of a JSON message (nested keys
//! joined with dots).

use crate::sim::catalogue::DEMO_ACCOUNT;
use crate::sim::clock::UtcTime;

/// A field's value: Insights compares numbers as numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
}

impl Value {
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Text(t) => t.trim().parse().ok(),
        }
    }

    /// As AWS returns it: whole numbers without a fraction.
    pub fn display(&self) -> String {
        match self {
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => format!("{n}"),
            Value::Text(t) => t.clone(),
        }
    }
}

/// One row: named values, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub fields: Vec<(String, Value)>,
    /// The columns shown, once `fields` or `stats` named them (else the default ones).
    pub shown: Option<Vec<String>>,
}

impl Record {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn push(&mut self, name: impl Into<String>, value: Value) {
        let name = name.into();
        match self.fields.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((name, value)),
        }
    }
}

/// The `@timestamp` text AWS returns: `2026-11-20 02:47:01.123` (UTC).
pub fn timestamp_text(ms: i64) -> String {
    UtcTime::from_epoch_ms(ms).log4j()
}

/// Every field of one stored event.
pub fn record_of(
    group: &str,
    stream: &str,
    timestamp_ms: i64,
    ingestion_ms: i64,
    message: &str,
) -> Record {
    let mut record = Record::default();
    record.push("@timestamp", Value::Number(timestamp_ms as f64));
    record.push("@message", Value::Text(message.to_string()));
    record.push("@logStream", Value::Text(stream.to_string()));
    record.push("@log", Value::Text(format!("{DEMO_ACCOUNT}:{group}")));
    record.push("@ingestionTime", Value::Number(ingestion_ms as f64));
    let line = message.trim_end();
    if let Some(rest) = line.strip_prefix("REPORT RequestId: ") {
        record.push("@type", Value::Text("REPORT".into()));
        let mut parts = rest.split('\t');
        if let Some(id) = parts.next() {
            record.push("@requestId", Value::Text(id.trim().to_string()));
        }
        for part in parts {
            let Some((label, value)) = part.split_once(": ") else {
                continue;
            };
            let (number, unit) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
            let Ok(number) = number.parse::<f64>() else {
                continue;
            };
            let number = if unit == "MB" { number * 1e6 } else { number };
            let name = match label.trim() {
                "Duration" => "@duration",
                "Billed Duration" => "@billedDuration",
                "Memory Size" => "@memorySize",
                "Max Memory Used" => "@maxMemoryUsed",
                "Init Duration" => "@initDuration",
                _ => continue,
            };
            record.push(name, Value::Number(number));
        }
    } else if let Some(rest) = line.strip_prefix("START RequestId: ") {
        record.push("@type", Value::Text("START".into()));
        let id = rest.split_whitespace().next().unwrap_or_default();
        record.push("@requestId", Value::Text(id.to_string()));
    } else if let Some(rest) = line.strip_prefix("END RequestId: ") {
        record.push("@type", Value::Text("END".into()));
        record.push("@requestId", Value::Text(rest.trim().to_string()));
    } else if line.starts_with('{')
        && let Ok(serde_json::Value::Object(map)) = serde_json::from_str(line)
    {
        for (key, value) in map {
            flatten(&mut record, key, value);
        }
    }
    record
}

fn flatten(record: &mut Record, name: String, value: serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                flatten(record, format!("{name}.{key}"), inner);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, inner) in items.into_iter().enumerate() {
                flatten(record, format!("{name}.{i}"), inner);
            }
        }
        serde_json::Value::Number(n) => record.push(name, Value::Number(n.as_f64().unwrap_or(0.0))),
        serde_json::Value::String(s) => record.push(name, Value::Text(s)),
        serde_json::Value::Bool(b) => record.push(name, Value::Text(b.to_string())),
        serde_json::Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_line_gives_lambdas_fields_in_aws_units() {
        let r = record_of(
            "/aws/lambda/f",
            "s",
            1_000,
            1_200,
            "REPORT RequestId: abc\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: \
             512 MB\tMax Memory Used: 90 MB\tInit Duration: 250.10 ms\t\n",
        );
        assert_eq!(r.get("@type"), Some(&Value::Text("REPORT".into())));
        assert_eq!(r.get("@requestId"), Some(&Value::Text("abc".into())));
        assert_eq!(r.get("@duration"), Some(&Value::Number(12.5)));
        assert_eq!(r.get("@maxMemoryUsed"), Some(&Value::Number(90e6)));
        assert_eq!(r.get("@initDuration"), Some(&Value::Number(250.1)));
        assert_eq!(
            r.get("@log"),
            Some(&Value::Text(format!("{DEMO_ACCOUNT}:/aws/lambda/f")))
        );
    }

    #[test]
    fn json_keys_are_fields_and_nested_keys_join_with_dots() {
        let r = record_of(
            "g",
            "s",
            0,
            0,
            r#"{"level":"ERROR","ctx":{"ms":42},"tags":["a"]}"#,
        );
        assert_eq!(r.get("level"), Some(&Value::Text("ERROR".into())));
        assert_eq!(r.get("ctx.ms"), Some(&Value::Number(42.0)));
        assert_eq!(r.get("tags.0"), Some(&Value::Text("a".into())));
        assert_eq!(Value::Number(42.0).display(), "42");
        assert_eq!(timestamp_text(1_123), "1970-01-01 00:00:01.123");
    }
}
