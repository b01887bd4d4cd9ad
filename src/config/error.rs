//! Configuration errors. Every error that comes from a file names the file and the line,
//! and, where a name was mistyped, the nearest valid name.

use std::fmt;

/// `path:line` of the thing an error is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// The file's path as given (user files) or `builtin:keymaps/vim.toml` (embedded presets).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// ` (did you mean "x"?)`, or nothing when no valid name is close enough.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Suggestion(pub Option<String>);

impl Suggestion {
    /// The candidate closest to `typed`, if any is reasonably close: within one edit
    /// (a swapped pair counts as one: `vmi` → `vim`), two for longer words, or similar by
    /// Jaro-Winkler. The app's one "did you mean": config errors and the palette use it.
    pub fn nearest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let typed_lower = typed.to_lowercase();
        let max_edits = if typed.chars().count() >= 6 { 2 } else { 1 };
        let best = candidates
            .into_iter()
            .filter_map(|candidate| {
                let lower = candidate.to_lowercase();
                let edits = strsim::damerau_levenshtein(&typed_lower, &lower);
                let score = strsim::jaro_winkler(&typed_lower, &lower);
                (edits <= max_edits || score >= 0.7).then_some((edits, score, candidate))
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        Self(best.map(|(_, _, candidate)| candidate.to_string()))
    }
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(name) => write!(f, " (did you mean \"{name}\"?)"),
            None => Ok(()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{at}: invalid TOML: {message}")]
    Syntax { at: SourceLocation, message: String },
    #[error("{at}: unknown action \"{name}\" in [{context}]{suggestion}")]
    UnknownAction {
        at: SourceLocation,
        context: String,
        name: String,
        suggestion: Suggestion,
    },
    #[error("{at}: bad chord \"{chord}\": {reason}")]
    BadChord {
        at: SourceLocation,
        chord: String,
        reason: String,
    },
    #[error("{at}: chord \"{chord}\" is bound twice in [{context}] (also on line {first_line})")]
    DuplicateChord {
        at: SourceLocation,
        context: String,
        chord: String,
        first_line: usize,
    },
    #[error("{at}: unknown context [{name}]{suggestion}")]
    UnknownContext {
        at: SourceLocation,
        name: String,
        suggestion: Suggestion,
    },
    #[error("{at}: unknown colour \"{name}\"{suggestion}")]
    UnknownColour {
        at: SourceLocation,
        name: String,
        suggestion: Suggestion,
    },
    #[error("{at}: unknown slot \"{name}\"{suggestion}")]
    UnknownSlot {
        at: SourceLocation,
        name: String,
        suggestion: Suggestion,
    },
    #[error("{at}: unknown text modifier \"{name}\"{suggestion}")]
    UnknownModifier {
        at: SourceLocation,
        name: String,
        suggestion: Suggestion,
    },
    #[error("{at}: unknown key \"{name}\"{suggestion}")]
    UnknownKey {
        at: SourceLocation,
        name: String,
        suggestion: Suggestion,
    },
    #[error("{at}: {message}")]
    Invalid { at: SourceLocation, message: String },
    /// `origin` is `path:line` of an `extends`/`config.toml` entry, `command line`, or
    /// empty (a name typed at run time).
    #[error("{}unknown {kind} \"{name}\"{suggestion}; available: {}",
        origin_prefix(origin), available.join(", "))]
    UnknownPreset {
        origin: String,
        kind: &'static str,
        name: String,
        suggestion: Suggestion,
        available: Vec<String>,
    },
    #[error("{at}: extends cycle: {}", chain.join(" -> "))]
    ExtendsCycle {
        at: SourceLocation,
        chain: Vec<String>,
    },
}

fn origin_prefix(origin: &str) -> String {
    if origin.is_empty() {
        String::new()
    } else {
        format!("{origin}: ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name() {
        let candidates = ["quit", "help", "back"];
        assert_eq!(
            Suggestion::nearest("qiut", candidates).0.as_deref(),
            Some("quit")
        );
        assert_eq!(Suggestion::nearest("zzzzzz", candidates).0, None);
    }

    #[test]
    fn displays_path_line_and_suggestion() {
        let err = ConfigError::UnknownAction {
            at: SourceLocation {
                file: "/home/u/.config/unstuck/keymap.toml".into(),
                line: 7,
            },
            context: "logs".into(),
            name: "qiut".into(),
            suggestion: Suggestion(Some("quit".into())),
        };
        assert_eq!(
            err.to_string(),
            "/home/u/.config/unstuck/keymap.toml:7: unknown action \"qiut\" in [logs] (did you mean \"quit\"?)"
        );
    }
}
