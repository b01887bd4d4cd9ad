//! Which messages a peek, export or redrive takes: `--grep REGEX` over the body and
//! `--attribute NAME=VALUE` over message attributes' string values (repeatable, all must
//! match). The TUI's `/` filter is the same thing typed as `REGEX` or `@NAME=VALUE ...`.

use regex::Regex;
use unstuck_aws::model::queues::QueueMessage;

#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    grep: Option<Regex>,
    attributes: Vec<(String, String)>,
}

impl PartialEq for MessageFilter {
    fn eq(&self, other: &Self) -> bool {
        self.grep.as_ref().map(Regex::as_str) == other.grep.as_ref().map(Regex::as_str)
            && self.attributes == other.attributes
    }
}

impl MessageFilter {
    /// From the command line's `--grep` and `--attribute` values.
    pub fn parse(grep: Option<&str>, attributes: &[String]) -> Result<Self, String> {
        let grep = match grep.filter(|g| !g.is_empty()) {
            Some(pattern) => Some(
                regex::RegexBuilder::new(pattern)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| format!("--grep {pattern:?} is not a regular expression: {e}"))?,
            ),
            None => None,
        };
        let attributes = attributes
            .iter()
            .map(|pair| match pair.split_once('=') {
                Some((name, value)) if !name.trim().is_empty() => {
                    Ok((name.trim().to_string(), value.to_string()))
                }
                _ => Err(format!(
                    "--attribute {pair:?} is not NAME=VALUE (e.g. --attribute errorType=Timeout)"
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { grep, attributes })
    }

    /// The TUI's `/` text: words `@NAME=VALUE` are attribute matches, the rest a regex.
    pub fn parse_typed(text: &str) -> Result<Self, String> {
        let (attributes, rest): (Vec<&str>, Vec<&str>) = text
            .split_whitespace()
            .partition(|w| w.starts_with('@') && w.contains('='));
        let attributes: Vec<String> = attributes
            .iter()
            .map(|w| w.trim_start_matches('@').to_string())
            .collect();
        let rest = rest.join(" ");
        Self::parse(Some(&rest), &attributes)
            .map_err(|e| e.replace("--grep ", "").replace("--attribute ", "@"))
    }

    pub fn is_all(&self) -> bool {
        self.grep.is_none() && self.attributes.is_empty()
    }

    pub fn matches(&self, m: &QueueMessage) -> bool {
        self.grep
            .as_ref()
            .is_none_or(|re| re.is_match(m.body.as_sent()))
            && self
                .attributes
                .iter()
                .all(|(name, value)| m.attribute_value(name) == Some(value.as_str()))
    }

    /// "body ~ /Timeout/, errorType = Timeout" (sanitised), or "every message".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(re) = &self.grep {
            parts.push(format!("body ~ /{}/", re.as_str()));
        }
        for (name, value) in &self.attributes {
            parts.push(format!("{name} = {value}"));
        }
        if parts.is_empty() {
            return "every message".to_string();
        }
        unstuck_aws::untrusted_text::sanitize_line(&parts.join(", ")).into_owned()
    }

    /// Stable text for the journal's key.
    pub fn key(&self) -> String {
        let mut key = self
            .grep
            .as_ref()
            .map(|r| r.as_str().to_string())
            .unwrap_or_default();
        for (name, value) in &self.attributes {
            key.push('\u{1f}');
            key.push_str(name);
            key.push('=');
            key.push_str(value);
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unstuck_aws::model::queues::MessageAttribute;

    fn message(body: &str, error: &str) -> QueueMessage {
        let mut m = QueueMessage::new("id", "rh", body);
        m.message_attributes.insert(
            "errorType".into(),
            MessageAttribute::string("String", error),
        );
        m
    }

    #[test]
    fn grep_and_attributes_must_all_match() {
        let f = MessageFilter::parse(Some("deductions\":\\[\\]"), &["errorType=Timeout".into()])
            .unwrap();
        assert!(f.matches(&message(r#"{"deductions":[]}"#, "Timeout")));
        assert!(!f.matches(&message(r#"{"deductions":[1]}"#, "Timeout")));
        assert!(!f.matches(&message(r#"{"deductions":[]}"#, "Throttled")));
        assert!(MessageFilter::default().matches(&message("x", "y")));
    }

    #[test]
    fn malformed_filters_say_what_is_wrong() {
        let e = MessageFilter::parse(Some("(unclosed"), &[]).unwrap_err();
        assert!(e.contains("not a regular expression"), "{e}");
        let e = MessageFilter::parse(None, &["novalue".into()]).unwrap_err();
        assert!(e.contains("NAME=VALUE"), "{e}");
        let e = MessageFilter::parse_typed("@x=1 (").unwrap_err();
        assert!(!e.contains("--"), "{e}");
    }

    #[test]
    fn typed_filters_split_attributes_from_the_regex() {
        let f = MessageFilter::parse_typed("@errorType=Timeout SUB-2025").unwrap();
        assert_eq!(f.describe(), "body ~ /SUB-2025/, errorType = Timeout");
        assert!(MessageFilter::parse_typed("").unwrap().is_all());
    }
}
