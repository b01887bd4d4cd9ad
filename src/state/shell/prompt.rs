//! The `:` palette and `/` filter prompts: what is typed, its completions and its error.

use unstuck_views::props::Completion;

use super::panes::PaneId;
use crate::state::shared::text_input::TextInput;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// `:` command palette.
    Palette,
    /// `/` filter of a pane; `previous` is restored on cancel.
    Filter {
        pane: PaneId,
        previous: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: TextInput,
    pub candidates: Vec<Completion>,
    pub selected: Option<usize>,
    pub error: Option<String>,
    /// Position while walking the history (None = editing a new line).
    pub history_pos: Option<usize>,
}

impl Prompt {
    pub fn new(kind: PromptKind, text: &str) -> Self {
        Self {
            kind,
            input: TextInput::with_text(text),
            candidates: Vec::new(),
            selected: None,
            error: None,
            history_pos: None,
        }
    }

    pub fn prefix(&self) -> &'static str {
        match self.kind {
            PromptKind::Palette => ":",
            PromptKind::Filter { .. } => "/",
        }
    }
}
