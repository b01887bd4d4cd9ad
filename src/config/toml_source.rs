//! A TOML file's text plus its display name, with span -> line conversion and helpers for
//! walking the spanned `DeTable` in file order.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::error::{ConfigError, SourceLocation, Suggestion};

/// The text of one config file and the name errors use for it.
#[derive(Debug, Clone)]
pub struct TomlSource {
    /// A user file's path, or `builtin:themes/dark.toml` for an embedded preset.
    pub label: String,
    pub text: String,
}

/// A key and its value, borrowed from a parsed table.
pub type Entry<'t, 'i> = (&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>);

impl TomlSource {
    pub fn new(label: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            text: text.into(),
        }
    }

    /// Parses the document; a syntax error names the file and line.
    pub fn parse(&self) -> Result<DeTable<'_>, ConfigError> {
        match DeTable::parse(&self.text) {
            Ok(table) => Ok(table.into_inner()),
            Err(err) => Err(ConfigError::Syntax {
                at: self.location(err.span().unwrap_or(0..0)),
                message: err.message().trim().to_string(),
            }),
        }
    }

    /// `file:line` of the start of a byte span.
    pub fn location(&self, span: Range<usize>) -> SourceLocation {
        let offset = span.start.min(self.text.len());
        let line = self
            .text
            .as_bytes()
            .iter()
            .take(offset)
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        SourceLocation {
            file: self.label.clone(),
            line,
        }
    }

    /// An error for a value of the wrong type.
    pub fn invalid(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            at: self.location(span),
            message: message.into(),
        }
    }

    /// An error for a key that is not one of `valid`.
    pub fn unknown_key<'a>(
        &self,
        key: &Spanned<DeString<'_>>,
        valid: impl IntoIterator<Item = &'a str>,
    ) -> ConfigError {
        ConfigError::UnknownKey {
            at: self.location(key.span()),
            name: key.get_ref().to_string(),
            suggestion: Suggestion::nearest(key.get_ref(), valid),
        }
    }

    /// Expects a string value.
    pub fn expect_str<'v>(
        &self,
        key: &str,
        value: &'v Spanned<DeValue<'_>>,
    ) -> Result<&'v str, ConfigError> {
        value.get_ref().as_str().ok_or_else(|| {
            self.invalid(
                value.span(),
                format!(
                    "`{key}` must be a string, not {}",
                    value.get_ref().type_str()
                ),
            )
        })
    }
}

/// The entries of a table in the order they appear in the file (the parsed map is sorted by
/// key, which would lose the order help screens show bindings in).
pub fn entries_in_file_order<'t, 'i>(table: &'t DeTable<'i>) -> Vec<Entry<'t, 'i>> {
    let mut entries: Vec<Entry<'t, 'i>> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based_and_follow_the_key() {
        let source = TomlSource::new("t.toml", "a = 1\n\n[logs]\n\"q\" = \"quit\"\n");
        let Ok(table) = source.parse() else {
            panic!("parse failed")
        };
        let lines: Vec<(String, usize)> = entries_in_file_order(&table)
            .into_iter()
            .map(|(k, _)| (k.get_ref().to_string(), source.location(k.span()).line))
            .collect();
        assert_eq!(lines, vec![("a".into(), 1), ("logs".into(), 3)]);
        let Some(logs) = table.iter().find(|(k, _)| k.get_ref() == "logs") else {
            panic!("no logs table")
        };
        let Some(logs) = logs.1.get_ref().as_table() else {
            panic!("not a table")
        };
        let Some((quit_key, _)) = logs.iter().next() else {
            panic!("empty")
        };
        assert_eq!(source.location(quit_key.span()).line, 4);
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let source = TomlSource::new("bad.toml", "a = 1\nb = \n");
        let Err(err) = source.parse() else {
            panic!("expected an error")
        };
        assert!(
            err.to_string().starts_with("bad.toml:2: invalid TOML: "),
            "{err}"
        );
    }
}
