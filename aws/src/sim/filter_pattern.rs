//! The subset of CloudWatch Logs filter-pattern syntax the demo world understands.
//!
//! - Terms: `ERROR timeout` matches events containing every term (case-sensitive, as in
//!   CloudWatch); `"Task timed out"` is one phrase.
//! - `?ERROR ?WARN` matches events containing at least one of the `?` terms.
//! - `-healthcheck` excludes events containing the term.
//! - JSON: `{ $.level = "ERROR" }`, `{ $.cold_start = true }`, `{ $.latency > 500 }`,
//!   `{ $.a.b[0] != "x" }`, combined with `&&`, `||` and parentheses. `*` is a wildcard in
//!   string values. Only events that are JSON objects can match.
//!
//! Anything else (space-delimited `[...]` patterns, `%regex%`) is rejected with
//! [`BackendError::InvalidInput`].

use serde_json::Value;

use crate::model::BackendError;

/// A parsed filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterPattern {
    /// No pattern: every event matches.
    Everything,
    Terms(TermPattern),
    Json(JsonCondition),
}

/// `term "a phrase" ?any ?of -excluded`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermPattern {
    pub required: Vec<String>,
    pub any_of: Vec<String>,
    pub excluded: Vec<String>,
}

/// A condition on a JSON event.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonCondition {
    Compare {
        path: Vec<PathStep>,
        op: CompareOp,
        value: Literal,
    },
    And(Box<JsonCondition>, Box<JsonCondition>),
    Or(Box<JsonCondition>, Box<JsonCondition>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Field(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A quoted or bare string; `*` is a wildcard.
    Text(String),
    Number(f64),
    Bool(bool),
    Null,
}

fn invalid(pattern: &str, why: &str) -> BackendError {
    BackendError::InvalidInput(format!("invalid filter pattern {pattern:?}: {why}"))
}

impl FilterPattern {
    pub fn parse(pattern: &str) -> Result<Self, BackendError> {
        let trimmed = pattern.trim();
        if trimmed.is_empty() {
            return Ok(Self::Everything);
        }
        if trimmed.starts_with('{') {
            return json::parse(trimmed)
                .map(Self::Json)
                .map_err(|why| invalid(pattern, &why));
        }
        if trimmed.starts_with('[') {
            return Err(invalid(
                pattern,
                "space-delimited patterns ([...]) are not supported by the demo world",
            ));
        }
        if trimmed.starts_with('%') {
            return Err(invalid(
                pattern,
                "regular expressions (%...%) are not supported by the demo world",
            ));
        }
        parse_terms(trimmed)
            .map(Self::Terms)
            .map_err(|why| invalid(pattern, &why))
    }

    pub fn matches(&self, message: &str) -> bool {
        match self {
            Self::Everything => true,
            Self::Terms(terms) => terms.matches(message),
            Self::Json(condition) => {
                if !message.trim_start().starts_with('{') {
                    return false;
                }
                serde_json::from_str::<Value>(message)
                    .is_ok_and(|event| event.is_object() && condition.matches(&event))
            }
        }
    }
}

impl TermPattern {
    pub fn matches(&self, message: &str) -> bool {
        self.required.iter().all(|t| message.contains(t.as_str()))
            && (self.any_of.is_empty() || self.any_of.iter().any(|t| message.contains(t.as_str())))
            && !self.excluded.iter().any(|t| message.contains(t.as_str()))
    }
}

fn parse_terms(pattern: &str) -> Result<TermPattern, String> {
    let mut terms = TermPattern::default();
    let mut chars = pattern.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            break;
        };
        let bucket = match first {
            '?' => {
                chars.next();
                &mut terms.any_of
            }
            '-' => {
                chars.next();
                &mut terms.excluded
            }
            _ => &mut terms.required,
        };
        let term = if chars.next_if_eq(&'"').is_some() {
            let mut phrase = String::new();
            loop {
                match chars.next() {
                    None => return Err("unterminated quoted phrase".to_owned()),
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(escaped) => phrase.push(escaped),
                        None => return Err("unterminated quoted phrase".to_owned()),
                    },
                    Some(c) => phrase.push(c),
                }
            }
            if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                return Err("a quoted phrase must be followed by a space".to_owned());
            }
            phrase
        } else {
            let mut word = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '"' {
                    return Err("a quote in the middle of a term; quote the whole term".to_owned());
                }
                word.push(c);
            }
            word
        };
        if term.is_empty() {
            return Err(format!("{first:?} must be followed by a term"));
        }
        bucket.push(term);
    }
    Ok(terms)
}

impl JsonCondition {
    pub fn matches(&self, event: &Value) -> bool {
        match self {
            Self::And(left, right) => left.matches(event) && right.matches(event),
            Self::Or(left, right) => left.matches(event) || right.matches(event),
            Self::Compare { path, op, value } => {
                let mut selected = event;
                for step in path {
                    let next = match step {
                        PathStep::Field(name) => selected.get(name.as_str()),
                        PathStep::Index(index) => selected.get(*index),
                    };
                    match next {
                        Some(inner) => selected = inner,
                        None => return false,
                    }
                }
                compare(selected, *op, value)
            }
        }
    }
}

fn compare(actual: &Value, op: CompareOp, expected: &Literal) -> bool {
    let equal = match (expected, actual) {
        (Literal::Text(text), Value::String(s)) => wildcard_match(text, s),
        (Literal::Number(n), Value::Number(m)) => m.as_f64().is_some_and(|m| m == *n),
        (Literal::Bool(b), Value::Bool(v)) => b == v,
        (Literal::Null, Value::Null) => true,
        _ => false,
    };
    match op {
        CompareOp::Equal => equal,
        CompareOp::NotEqual => !equal,
        CompareOp::Less
        | CompareOp::LessOrEqual
        | CompareOp::Greater
        | CompareOp::GreaterOrEqual => {
            let (Literal::Number(bound), Some(value)) = (expected, actual.as_f64()) else {
                return false;
            };
            match op {
                CompareOp::Less => value < *bound,
                CompareOp::LessOrEqual => value <= *bound,
                CompareOp::Greater => value > *bound,
                _ => value >= *bound,
            }
        }
    }
}

/// `*` matches any run of characters; everything else literally.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let Some(first) = pieces.next() else {
        return text.is_empty();
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

mod json;

#[cfg(test)]
mod tests;
